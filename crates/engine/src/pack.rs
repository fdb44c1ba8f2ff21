//! The pack: the one binary file format for a corpus, written by the CLI and the app's build script
//! and read by the browser without re-processing.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `SOROTPAK` |
//! | 2 | format version ([`PACK_VERSION`]) |
//! | 2 | reserved, zero |
//! | 8 | payload length in bytes |
//! | 4 | CRC-32 (IEEE) of the bytes from the version to the end, this field excluded |
//! | n | payload: the articles, their index and their entities, encoded with `postcard` |

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::index::{Index, IndexData};
use crate::ner::{Entities, Entity, EntityMention};
use crate::{Article, Span};

/// The first eight bytes of every pack.
pub const PACK_MAGIC: [u8; 8] = *b"SOROTPAK";
/// The pack format this build writes and reads. Bumped whenever the payload changes shape.
pub const PACK_VERSION: u16 = 5;
const HEADER_LEN: usize = 8 + 2 + 2 + 8 + 4;

#[derive(Deserialize)]
struct Payload {
    articles: Vec<Article>,
    index: IndexData,
    entity_list: Vec<Entity>,
    mentions: MentionColumns,
}

/// The entity mentions of every article as columns, spans as gaps and lengths: smaller, and quicker
/// to decode, than one record per mention.
#[derive(Default, Serialize, Deserialize)]
struct MentionColumns {
    /// Mentions per article.
    counts: Vec<u32>,
    /// Start minus the previous mention's start in the same article (the first: minus zero).
    starts: Vec<i64>,
    /// End minus start.
    lens: Vec<i64>,
    entities: Vec<u32>,
    confidences: Vec<f32>,
}

impl MentionColumns {
    fn new(mentions: &[Vec<EntityMention>]) -> MentionColumns {
        let mut out = MentionColumns::default();
        for ms in mentions {
            out.counts.push(ms.len() as u32);
            let mut last = 0i64;
            for m in ms {
                out.starts.push(m.span.start as i64 - last);
                last = m.span.start as i64;
                out.lens.push(m.span.end as i64 - m.span.start as i64);
                out.entities.push(m.entity);
                out.confidences.push(m.confidence);
            }
        }
        out
    }

    fn into_mentions(self) -> Option<Vec<Vec<EntityMention>>> {
        let n = self.starts.len();
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        if total != n as u64
            || self.lens.len() != n
            || self.entities.len() != n
            || self.confidences.len() != n
        {
            return None;
        }
        let mut i = 0;
        let mut out = Vec::with_capacity(self.counts.len());
        for &count in &self.counts {
            let mut ms = Vec::with_capacity(count as usize);
            let mut last = 0i64;
            for _ in 0..count {
                let start = last.checked_add(self.starts[i])?;
                let end = start.checked_add(self.lens[i]).filter(|&end| end >= start)?;
                last = start;
                let span = Span::new(usize::try_from(start).ok()?, usize::try_from(end).ok()?);
                ms.push(EntityMention { span, entity: self.entities[i], confidence: self.confidences[i] });
                i += 1;
            }
            out.push(ms);
        }
        Some(out)
    }
}

/// Why bytes could not be read as a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    /// The bytes do not start with [`PACK_MAGIC`]: not a pack at all.
    NotAPack,
    /// A pack of another format version.
    WrongVersion {
        /// Version found in the file.
        found: u16,
    },
    /// Fewer bytes than the header announces: a cut-off download or copy.
    Truncated {
        /// Bytes the header announces.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// The checksum does not match: the bytes were damaged.
    ChecksumMismatch,
    /// The checksum matches but the content does not decode (a writer bug).
    Malformed(String),
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::NotAPack => write!(f, "not a Sorot pack (it does not start with SOROTPAK)"),
            PackError::WrongVersion { found } => write!(
                f,
                "pack format version {found} is not supported (this build reads version {PACK_VERSION}); re-create it with `sorot pack`"
            ),
            PackError::Truncated { expected, found } => write!(
                f,
                "pack is cut off: {found} of {expected} bytes present; copy or download it again"
            ),
            PackError::ChecksumMismatch => {
                write!(f, "pack is damaged (checksum mismatch); copy or download it again")
            }
            PackError::Malformed(e) => write!(f, "pack content does not decode: {e}"),
        }
    }
}

impl std::error::Error for PackError {}

/// Encodes `articles` and their index as a pack.
pub(crate) fn write_pack(articles: &[Article], index: &Index, entities: &Entities) -> Vec<u8> {
    #[derive(Serialize)]
    struct PayloadRef<'a> {
        articles: &'a [Article],
        index: IndexData,
        entity_list: &'a [Entity],
        mentions: MentionColumns,
    }
    let payload = postcard::to_allocvec(&PayloadRef {
        articles,
        index: index.to_data(),
        entity_list: &entities.list,
        mentions: MentionColumns::new(&entities.mentions),
    })
    .expect("postcard encodes owned strings and vectors without failing");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&PACK_MAGIC);
    out.extend_from_slice(&PACK_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    let crc = checksum(&out[8..20], &payload);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// The CRC-32 of the header fields after the magic and of the payload.
fn checksum(header: &[u8], payload: &[u8]) -> u32 {
    let mut hasher = crate::crc::Crc32::new();
    hasher.update(header);
    hasher.update(payload);
    hasher.finalize()
}

/// Decodes a pack, checking magic, version, length and checksum first.
pub(crate) fn read_pack(bytes: &[u8]) -> Result<(Vec<Article>, Index, Entities), PackError> {
    if bytes.len() < PACK_MAGIC.len() || bytes[..8] != PACK_MAGIC {
        return Err(PackError::NotAPack);
    }
    if bytes.len() < HEADER_LEN {
        return Err(PackError::Truncated { expected: HEADER_LEN as u64, found: bytes.len() as u64 });
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let version = u16_at(8);
    if version != PACK_VERSION {
        return Err(PackError::WrongVersion { found: version });
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[12..20]);
    let payload_len = u64::from_le_bytes(len);
    let mut crc = [0u8; 4];
    crc.copy_from_slice(&bytes[20..24]);
    let present = (bytes.len() - HEADER_LEN) as u64;
    if present < payload_len {
        return Err(PackError::Truncated { expected: payload_len, found: present });
    }
    // Trailing bytes beyond the payload are damage too, caught by the length check here.
    if present > payload_len {
        return Err(PackError::ChecksumMismatch);
    }
    let payload = &bytes[HEADER_LEN..];
    if checksum(&bytes[8..20], payload) != u32::from_le_bytes(crc) {
        return Err(PackError::ChecksumMismatch);
    }
    let decoded: Payload = postcard::from_bytes(payload).map_err(|e| PackError::Malformed(e.to_string()))?;
    let index = Index::from_data(decoded.index, decoded.articles.len()).map_err(PackError::Malformed)?;
    let mentions = decoded
        .mentions
        .into_mentions()
        .ok_or_else(|| PackError::Malformed("entity mention columns do not agree".into()))?;
    let entities = Entities { list: decoded.entity_list, mentions };
    let n_entities = entities.list.len() as u32;
    let entities_fit = entities.mentions.len() == decoded.articles.len()
        && entities
            .mentions
            .iter()
            .zip(&decoded.articles)
            .all(|(ms, a)| ms.iter().all(|m| m.entity < n_entities && m.span.get(&a.body).is_some()));
    if !entities_fit {
        return Err(PackError::Malformed("entity mentions do not fit the articles".into()));
    }
    Ok((decoded.articles, index, entities))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Vec<Article> {
        vec![Article {
            id: "a".into(),
            title: "Judul".into(),
            body: "Isi <script>alert(1)</script> ✓".into(),
            date: Some("2022-01-10".into()),
            source: None,
            url: Some("https://example.org/a".into()),
            lang: "id".into(),
        }]
    }

    fn pack(articles: &[Article]) -> Vec<u8> {
        let entities = Entities { list: Vec::new(), mentions: vec![Vec::new(); articles.len()] };
        write_pack(articles, &Index::build(articles), &entities)
    }

    fn read_articles(bytes: &[u8]) -> Result<Vec<Article>, PackError> {
        read_pack(bytes).map(|(articles, _, _)| articles)
    }

    #[test]
    fn round_trip() {
        let bytes = pack(&sample());
        let (articles, index, _) = read_pack(&bytes).unwrap();
        assert_eq!(articles, sample());
        assert_eq!(index.term_count(), Index::build(&sample()).term_count());
    }

    #[test]
    fn damage_is_refused_with_its_reason() {
        let good = pack(&sample());
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x20;
        let mut version = good.clone();
        version[8] = 99;
        let cases: Vec<(&str, Vec<u8>, PackError)> = vec![
            ("empty", vec![], PackError::NotAPack),
            ("html page", b"<!doctype html><html>".to_vec(), PackError::NotAPack),
            ("header only", good[..12].to_vec(), PackError::Truncated { expected: 24, found: 12 }),
            (
                "cut payload",
                good[..good.len() - 3].to_vec(),
                PackError::Truncated { expected: (good.len() - 24) as u64, found: (good.len() - 27) as u64 },
            ),
            ("flipped bit", flipped, PackError::ChecksumMismatch),
            ("other version", version, PackError::WrongVersion { found: 99 }),
            ("trailing junk", [good.as_slice(), b"xx"].concat(), PackError::ChecksumMismatch),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(read_articles(&bytes), Err(expected), "case: {name}");
        }
    }

    fn arb_article() -> impl Strategy<Value = Article> {
        (
            "[a-z0-9_]{1,12}",
            "\\PC{0,40}",
            "\\PC{1,200}",
            proptest::option::of("20[0-9]{2}-0[1-9]-1[0-9]"),
            proptest::option::of("\\PC{0,10}"),
            "(id|en|und)",
        )
            .prop_map(|(id, title, body, date, source, lang)| Article {
                id,
                title,
                body,
                date,
                source,
                url: None,
                lang,
            })
    }

    proptest! {
        #[test]
        fn any_articles_round_trip(articles in proptest::collection::vec(arb_article(), 0..5)) {
            prop_assert_eq!(read_articles(&pack(&articles)), Ok(articles));
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = read_articles(&bytes);
        }

        #[test]
        fn any_damaged_byte_is_caught(index in 0usize..1000, flip in 1u8..=255) {
            let mut bytes = pack(&sample());
            let i = index % bytes.len();
            bytes[i] ^= flip;
            prop_assert!(read_articles(&bytes).is_err());
        }
    }
}
