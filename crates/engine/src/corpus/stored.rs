//! An added article as a browser keeps it (IndexedDB): the article and the mentions the tagger found
//! in it, in a few bytes with the format's version first, so that a store written by another version,
//! or damaged, is recognised as such and not misread.

use serde::{Deserialize, Serialize};

use super::article::Article;
use crate::ner::Mention;

/// The version byte of [`stored_article`]'s format.
const STORED_VERSION: u8 = 1;

#[derive(Serialize, Deserialize)]
struct Stored {
    article: Article,
    mentions: Vec<Mention>,
}

/// `article` and the `mentions` a tagger found in its body, as bytes to keep.
pub fn stored_article(article: &Article, mentions: &[Mention]) -> Vec<u8> {
    let stored = Stored { article: article.clone(), mentions: mentions.to_vec() };
    let mut out = vec![STORED_VERSION];
    // Serialising plain data to a vector cannot fail.
    out.extend(postcard::to_allocvec(&stored).unwrap_or_default());
    out
}

/// The article and mentions [`stored_article`] kept in `bytes`; says what is wrong with bytes it did
/// not write (another version, damage) or with an article that no longer passes its checks.
pub fn article_from_store(bytes: &[u8]) -> Result<(Article, Vec<Mention>), String> {
    match bytes.split_first() {
        Some((&STORED_VERSION, rest)) => {
            let stored: Stored =
                postcard::from_bytes(rest).map_err(|e| format!("the kept article is damaged ({e})"))?;
            stored.article.validate().map_err(|e| format!("the kept article is not valid: {e}"))?;
            let len = stored.article.body.len();
            if let Some(m) = stored.mentions.iter().find(|m| m.span.end > len || m.span.start > m.span.end) {
                return Err(format!("the kept article has a mention outside its text ({:?})", m.span));
            }
            Ok((stored.article, stored.mentions))
        }
        Some((version, _)) => Err(format!("the kept article is of another format (version {version})")),
        None => Err("the kept article is empty".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EntityType, Span};

    #[test]
    fn an_article_and_its_mentions_come_back_and_damage_is_named() {
        let article = Article {
            id: "a1".into(),
            title: "Banjir di Jakarta".into(),
            lang: "id".into(),
            body: "Banjir melanda Jakarta pada Senin.".into(),
            date: Some("2024-01-02".into()),
            source: Some("contoh.id".into()),
            url: None,
        };
        let mentions =
            vec![crate::Mention { span: Span::new(15, 22), kind: EntityType::Loc, confidence: 0.75 }];
        let bytes = stored_article(&article, &mentions);
        assert_eq!(bytes[0], STORED_VERSION);
        assert_eq!(article_from_store(&bytes).unwrap(), (article.clone(), mentions.clone()));
        assert_eq!(article_from_store(&[]).unwrap_err(), "the kept article is empty");
        assert!(article_from_store(&[9, 1, 2]).unwrap_err().contains("version 9"));
        assert!(article_from_store(&bytes[..bytes.len() / 2]).unwrap_err().contains("damaged"));
        let outside =
            vec![crate::Mention { span: Span::new(30, 60), kind: EntityType::Loc, confidence: 0.5 }];
        assert!(article_from_store(&stored_article(&article, &outside))
            .unwrap_err()
            .contains("outside its text"));
        let invalid = Article { id: String::new(), ..article };
        assert!(article_from_store(&stored_article(&invalid, &[])).unwrap_err().contains("not valid"));
    }
}
