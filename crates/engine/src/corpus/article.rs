use std::fmt;

use serde::{Deserialize, Serialize};

/// One news article, as the explorer shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier, unique in a corpus (by default the file name without its extension).
    pub id: String,
    /// Headline; derived from the first sentence when the source has none.
    pub title: String,
    /// The article text. Paragraphs are separated by newlines.
    pub body: String,
    /// Publication date as ISO 8601 (`2022-01-10` or `2022-01-10T08:30:00Z`), when known.
    pub date: Option<String>,
    /// Who published it (`AFP`, `Kompas`), when known.
    pub source: Option<String>,
    /// Where it was published, when known.
    pub url: Option<String>,
    /// ISO 639-1 language code (`id`, `en`), or [`crate::UNDETERMINED`].
    pub lang: String,
}

/// Why a set of fields does not make a valid article; [`ArticleError::kind`] says which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleError {
    kind: ArticleErrorKind,
}

/// What is wrong with an article.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArticleErrorKind {
    /// The id is empty or contains characters that do not belong in a URL fragment.
    BadId(String),
    /// The date is not ISO 8601 (`YYYY-MM-DD`, optionally followed by `T` and a time).
    BadDate(String),
    /// The language is not a two- or three-letter lower-case code.
    BadLang(String),
    /// The article has no text at all.
    EmptyBody,
}

impl ArticleError {
    /// What is wrong.
    pub fn kind(&self) -> &ArticleErrorKind {
        &self.kind
    }

    pub(crate) fn new(kind: ArticleErrorKind) -> ArticleError {
        ArticleError { kind }
    }
}

impl fmt::Display for ArticleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ArticleErrorKind::BadId(id) => {
                write!(f, "id {id:?} is not usable: use letters, digits, `-`, `_` or `.` (at most 200)")
            }
            ArticleErrorKind::BadDate(d) => {
                write!(f, "date {d:?} is not ISO 8601: write it as YYYY-MM-DD")
            }
            ArticleErrorKind::BadLang(l) => {
                write!(f, "lang {l:?} is not a language code: use e.g. `id` or `en`")
            }
            ArticleErrorKind::EmptyBody => write!(f, "the article has no text"),
        }
    }
}

impl std::error::Error for ArticleError {}

impl Article {
    /// Checks the fields a user supplied; loaders call this so a bad article is refused with a reason.
    pub fn validate(&self) -> Result<(), ArticleError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 200
            && self.id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
        if !id_ok {
            return Err(ArticleError::new(ArticleErrorKind::BadId(self.id.clone())));
        }
        if let Some(date) = &self.date {
            if !is_iso_date(date) {
                return Err(ArticleError::new(ArticleErrorKind::BadDate(date.clone())));
            }
        }
        let lang_ok = (2..=3).contains(&self.lang.len()) && self.lang.bytes().all(|b| b.is_ascii_lowercase());
        if !lang_ok {
            return Err(ArticleError::new(ArticleErrorKind::BadLang(self.lang.clone())));
        }
        if self.body.trim().is_empty() {
            return Err(ArticleError::new(ArticleErrorKind::EmptyBody));
        }
        Ok(())
    }
}

/// `YYYY-MM-DD` with a plausible month and day, optionally followed by `T…` or ` …` (a time).
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day) && (b.len() == 10 || matches!(b[10], b'T' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            id: "000_ce9894c18006a3a8".into(),
            title: "Judul".into(),
            body: "Isi.".into(),
            date: Some("2022-01-10".into()),
            source: Some("AFP".into()),
            url: None,
            lang: "id".into(),
        }
    }

    #[test]
    fn valid_article_passes() {
        assert_eq!(article().validate(), Ok(()));
    }

    #[test]
    fn bad_fields_are_named() {
        type Change = Box<dyn Fn(&mut Article)>;
        let cases: Vec<(&str, Change, ArticleErrorKind)> = vec![
            ("empty id", Box::new(|a| a.id.clear()), ArticleErrorKind::BadId(String::new())),
            ("id with slash", Box::new(|a| a.id = "a/b".into()), ArticleErrorKind::BadId("a/b".into())),
            (
                "month 13",
                Box::new(|a| a.date = Some("2022-13-01".into())),
                ArticleErrorKind::BadDate("2022-13-01".into()),
            ),
            (
                "words as date",
                Box::new(|a| a.date = Some("kemarin".into())),
                ArticleErrorKind::BadDate("kemarin".into()),
            ),
            ("upper-case lang", Box::new(|a| a.lang = "ID".into()), ArticleErrorKind::BadLang("ID".into())),
            ("blank body", Box::new(|a| a.body = " \n ".into()), ArticleErrorKind::EmptyBody),
        ];
        for (name, change, expected) in cases {
            let mut a = article();
            change(&mut a);
            assert_eq!(a.validate().map_err(|e| e.kind().clone()), Err(expected), "case: {name}");
        }
    }

    #[test]
    fn dates_with_time_are_accepted() {
        let mut a = article();
        a.date = Some("2022-01-10T08:30:00Z".into());
        assert_eq!(a.validate(), Ok(()));
    }
}
