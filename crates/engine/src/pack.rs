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
use crate::{Article, Engine, Span};

/// The first eight bytes of every pack.
pub const PACK_MAGIC: [u8; 8] = *b"SOROTPAK";
/// The pack format this build writes and reads. Bumped whenever the payload changes shape.
pub const PACK_VERSION: u16 = 5;
const HEADER_LEN: usize = 8 + 2 + 2 + 8 + 4;

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

/// About how many bytes of the pack one [`PackDecoder::step`] reads: a few milliseconds of work, so
/// a page that yields between steps stays responsive while a large corpus opens.
const STEP_BYTES: usize = 4 << 20;

/// Reads a pack a bounded piece at a time: the header on [`PackDecoder::new`], then with each
/// [`PackDecoder::step`] a few megabytes of checksum, a batch of articles, or one part of the index or
/// the entities, until the engine is ready. [`Engine::from_pack`] runs every step at once.
pub struct PackDecoder<'a> {
    payload: &'a [u8],
    expected_crc: u32,
    crc: crate::crc::Crc32,
    /// Payload bytes checksummed so far.
    checked: usize,
    /// The payload not yet decoded.
    rest: &'a [u8],
    stage: Stage,
    /// Bytes one step reads at most (a whole article or column may take more).
    step_bytes: usize,
    articles: Vec<Article>,
    /// Articles the pack announces that are not decoded yet.
    articles_left: u64,
    index: Option<Index>,
    entity_list: Vec<Entity>,
    columns: MentionColumns,
    mentions: Vec<Vec<EntityMention>>,
    engine: Option<Engine>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Checksum,
    ArticleCount,
    Articles,
    Index,
    EntityList,
    MentionCounts,
    MentionStarts,
    MentionLens,
    MentionEntities,
    MentionConfidences,
    Mentions,
    Fit,
    Facets,
    Done,
}

impl<'a> PackDecoder<'a> {
    /// Checks magic, version and length; the checksum and the content follow step by step.
    pub fn new(bytes: &'a [u8]) -> Result<PackDecoder<'a>, PackError> {
        if bytes.len() < PACK_MAGIC.len() || bytes[..8] != PACK_MAGIC {
            return Err(PackError::NotAPack);
        }
        if bytes.len() < HEADER_LEN {
            return Err(PackError::Truncated { expected: HEADER_LEN as u64, found: bytes.len() as u64 });
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
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
        let mut hasher = crate::crc::Crc32::new();
        hasher.update(&bytes[8..20]);
        let payload = &bytes[HEADER_LEN..];
        Ok(PackDecoder {
            payload,
            expected_crc: u32::from_le_bytes(crc),
            crc: hasher,
            checked: 0,
            rest: payload,
            stage: Stage::Checksum,
            step_bytes: STEP_BYTES,
            articles: Vec::new(),
            articles_left: 0,
            index: None,
            entity_list: Vec::new(),
            columns: MentionColumns::default(),
            mentions: Vec::new(),
            engine: None,
        })
    }

    /// How far decoding is, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.stage == Stage::Done {
            return 1.0;
        }
        // Checksum and decoding each read the payload once; the checks at the end are quick.
        let decoded = self.payload.len() - self.rest.len();
        let total = 2.0 * self.payload.len() as f64 + 1.0;
        ((self.checked + decoded) as f64 / total).min(0.99)
    }

    /// Does the next piece of work; `Ok(Some(engine))` when the pack is fully read and checked. An
    /// error ends decoding (further steps repeat nothing and report the pack as malformed).
    pub fn step(&mut self) -> Result<Option<Engine>, PackError> {
        let result = self.advance();
        if result.is_err() {
            self.stage = Stage::Done;
        }
        result
    }

    /// Runs every remaining step.
    pub fn finish(mut self) -> Result<Engine, PackError> {
        loop {
            if let Some(engine) = self.step()? {
                return Ok(engine);
            }
        }
    }

    fn advance(&mut self) -> Result<Option<Engine>, PackError> {
        let malformed = |e: postcard::Error| PackError::Malformed(e.to_string());
        match self.stage {
            Stage::Checksum => {
                let end = (self.checked + self.step_bytes).min(self.payload.len());
                self.crc.update(&self.payload[self.checked..end]);
                self.checked = end;
                if end == self.payload.len() {
                    let crc = std::mem::replace(&mut self.crc, crate::crc::Crc32::new());
                    if crc.finalize() != self.expected_crc {
                        return Err(PackError::ChecksumMismatch);
                    }
                    self.stage = Stage::ArticleCount;
                }
            }
            Stage::ArticleCount => {
                // A sequence's length is a varint, as a u64 is.
                let (count, rest) = postcard::take_from_bytes::<u64>(self.rest).map_err(malformed)?;
                self.rest = rest;
                self.articles_left = count;
                // Each article takes at least a few bytes; a count beyond that is a lie.
                self.articles.reserve(usize::try_from(count).unwrap_or(0).min(rest.len() / 4));
                self.stage = Stage::Articles;
            }
            Stage::Articles => {
                let start = self.rest.len();
                while self.articles_left > 0 && start - self.rest.len() < self.step_bytes {
                    let (article, rest) = postcard::take_from_bytes::<Article>(self.rest).map_err(malformed)?;
                    self.articles.push(article);
                    self.rest = rest;
                    self.articles_left -= 1;
                }
                if self.articles_left == 0 {
                    self.stage = Stage::Index;
                }
            }
            Stage::Index => {
                let (data, rest) = postcard::take_from_bytes::<IndexData>(self.rest).map_err(malformed)?;
                self.rest = rest;
                self.index = Some(Index::from_data(data, self.articles.len()).map_err(PackError::Malformed)?);
                self.stage = Stage::EntityList;
            }
            Stage::EntityList => {
                let (list, rest) = postcard::take_from_bytes::<Vec<Entity>>(self.rest).map_err(malformed)?;
                self.rest = rest;
                self.entity_list = list;
                self.stage = Stage::MentionCounts;
            }
            // The mention columns, one column per step (postcard writes a struct's fields in order).
            Stage::MentionCounts => {
                (self.columns.counts, self.rest) = postcard::take_from_bytes(self.rest).map_err(malformed)?;
                self.stage = Stage::MentionStarts;
            }
            Stage::MentionStarts => {
                (self.columns.starts, self.rest) = postcard::take_from_bytes(self.rest).map_err(malformed)?;
                self.stage = Stage::MentionLens;
            }
            Stage::MentionLens => {
                (self.columns.lens, self.rest) = postcard::take_from_bytes(self.rest).map_err(malformed)?;
                self.stage = Stage::MentionEntities;
            }
            Stage::MentionEntities => {
                (self.columns.entities, self.rest) = postcard::take_from_bytes(self.rest).map_err(malformed)?;
                self.stage = Stage::MentionConfidences;
            }
            Stage::MentionConfidences => {
                (self.columns.confidences, self.rest) = postcard::take_from_bytes(self.rest).map_err(malformed)?;
                self.stage = Stage::Mentions;
            }
            Stage::Mentions => {
                self.mentions = std::mem::take(&mut self.columns)
                    .into_mentions()
                    .ok_or_else(|| PackError::Malformed("entity mention columns do not agree".into()))?;
                self.stage = Stage::Fit;
            }
            Stage::Fit => {
                let n_entities = self.entity_list.len() as u32;
                let fit = self.mentions.len() == self.articles.len()
                    && self.mentions.iter().zip(&self.articles).all(|(ms, a)| {
                        ms.iter().all(|m| m.entity < n_entities && m.span.get(&a.body).is_some())
                    });
                if !fit {
                    return Err(PackError::Malformed("entity mentions do not fit the articles".into()));
                }
                let index = self.index.take().ok_or_else(|| PackError::Malformed("no index".into()))?;
                let entities = Entities {
                    list: std::mem::take(&mut self.entity_list),
                    mentions: std::mem::take(&mut self.mentions),
                };
                self.engine = Some(Engine::from_parts(std::mem::take(&mut self.articles), index, entities));
                self.stage = Stage::Facets;
            }
            // The per-article entity table facets count with, made here rather than on the first search.
            Stage::Facets => {
                let engine = self.engine.take().ok_or_else(|| PackError::Malformed("no engine".into()))?;
                engine.prepare_facets();
                self.stage = Stage::Done;
                return Ok(Some(engine));
            }
            Stage::Done => return Err(PackError::Malformed("decoding already ended".into())),
        }
        Ok(None)
    }
}

/// Decodes a pack, checking magic, version, length and checksum first.
pub(crate) fn read_pack(bytes: &[u8]) -> Result<Engine, PackError> {
    PackDecoder::new(bytes)?.finish()
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
        read_pack(bytes).map(|engine| engine.articles().to_vec())
    }

    #[test]
    fn round_trip() {
        let bytes = pack(&sample());
        let engine = read_pack(&bytes).unwrap();
        assert_eq!(engine.articles(), sample());
        assert_eq!(engine.index().term_count(), Index::build(&sample()).term_count());
    }

    #[test]
    fn step_by_step_reads_the_same_as_at_once() {
        let mut articles = sample();
        for i in 0..20 {
            let mut a = sample()[0].clone();
            a.id = format!("a{i}");
            a.body = format!("Berita ke-{i} tentang Jakarta dan Presiden Joko Widodo. ").repeat(i + 1);
            articles.push(a);
        }
        let bytes = pack(&articles);
        let whole = read_pack(&bytes).unwrap();
        let mut decoder = PackDecoder::new(&bytes).unwrap();
        decoder.step_bytes = 100;
        let (mut steps, mut last) = (0, 0.0);
        let engine = loop {
            steps += 1;
            let progress = decoder.progress();
            assert!(progress >= last && progress < 1.0, "progress {progress} after {last}");
            last = progress;
            if let Some(engine) = decoder.step().unwrap() {
                break engine;
            }
        };
        assert_eq!(decoder.progress(), 1.0);
        // The checksum took a step per 100 bytes, and the articles (most over 100 bytes) about one each.
        assert!(steps > bytes.len() / 100 + articles.len() / 2, "{steps} steps for {} bytes", bytes.len());
        assert_eq!(engine.articles(), whole.articles());
        assert_eq!(engine.entities(), whole.entities());
        assert_eq!(engine.to_pack(), bytes);
        assert!(matches!(decoder.step(), Err(PackError::Malformed(_))), "a finished decoder says so");
    }

    #[test]
    fn a_damaged_pack_fails_at_the_step_that_finds_it_and_stays_failed() {
        let mut bytes = pack(&sample());
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let mut decoder = PackDecoder::new(&bytes).unwrap();
        decoder.step_bytes = 8;
        let error = loop {
            match decoder.step() {
                Ok(None) => continue,
                Ok(Some(_)) => panic!("a damaged pack decoded"),
                Err(e) => break e,
            }
        };
        assert_eq!(error, PackError::ChecksumMismatch);
        assert!(decoder.step().is_err());
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
