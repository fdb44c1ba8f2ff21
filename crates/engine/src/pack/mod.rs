//! The pack: the one binary file format for a corpus, written by the CLI and the app's build script
//! and read by the browser without re-processing.
//!
//! A pack is a [container]: the magic `SOROTPAK`, the format version ([`PACK_VERSION`]), the
//! payload's length and CRC-32, then the payload: the articles, their index and their entities,
//! encoded with `postcard`.

pub(crate) mod container;
pub(crate) mod crc;

use std::fmt;

use serde::Serialize;

use crate::index::{Index, IndexData};
use crate::ner::{confidence_byte, confidence_from_byte, Entities, Entity, EntityMention};
use crate::EntityId;
use crate::{Article, Span};
use container::{ContainerFault, Format, HEADER_LEN};
use crc::Crc32;

/// The first eight bytes of every pack.
pub const PACK_MAGIC: [u8; 8] = *b"SOROTPAK";
/// The pack format this build writes and reads. Bumped whenever the payload changes shape.
pub const PACK_VERSION: u16 = 7;
/// The container of packs.
const FORMAT: Format = Format {
    magic: PACK_MAGIC,
    version: PACK_VERSION,
    noun: "pack",
    name: "Sorot pack",
    remedy: "re-create it with `sorot pack`",
};

/// The entity mentions of every article as columns, spans as gaps and lengths: smaller, and quicker
/// to decode, than one record per mention.
#[derive(Default, Serialize)]
struct MentionColumns {
    /// Mentions per article.
    counts: Vec<u32>,
    /// Start minus the previous mention's start in the same article (the first: minus zero).
    starts: Vec<i64>,
    /// End minus start.
    lens: Vec<i64>,
    entities: Vec<u32>,
    /// As bytes ([`confidence_byte`]).
    #[serde(with = "crate::index::bytes")]
    confidences: Vec<u8>,
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
                out.entities.push(m.entity.0);
                out.confidences.push(confidence_byte(m.confidence));
            }
        }
        out
    }

    /// The mentions with their spans, from the counts, starts and lengths (entity and confidence are
    /// filled in from their columns afterwards, so that fewer columns are in memory at once).
    fn into_spans(self) -> Option<Vec<Vec<EntityMention>>> {
        let n = self.starts.len();
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        if total != n as u64 || self.lens.len() != n {
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
                ms.push(EntityMention { span, entity: EntityId(0), confidence: 0.0 });
                i += 1;
            }
            out.push(ms);
        }
        Some(out)
    }
}

/// A byte string, decoded in one piece.
#[derive(serde::Deserialize)]
struct Bytes(#[serde(with = "crate::index::bytes")] Vec<u8>);

/// Why bytes could not be read as a pack; [`PackError::kind`] says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    kind: PackErrorKind,
}

/// What is wrong with a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PackErrorKind {
    /// The container is wrong: not a pack (no [`PACK_MAGIC`]), another format version, cut off (a
    /// broken download or copy), or damaged.
    Container(ContainerFault),
    /// The checksum matches but the content does not decode (a writer bug).
    Malformed(String),
}

impl PackError {
    /// What is wrong.
    pub fn kind(&self) -> &PackErrorKind {
        &self.kind
    }

    fn malformed(what: impl Into<String>) -> PackError {
        PackError { kind: PackErrorKind::Malformed(what.into()) }
    }
}

impl From<ContainerFault> for PackError {
    fn from(fault: ContainerFault) -> PackError {
        PackError { kind: PackErrorKind::Container(fault) }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PackErrorKind::Container(fault) => FORMAT.describe(*fault, f),
            PackErrorKind::Malformed(what) => FORMAT.describe_malformed(what, f),
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
    let payload = PayloadRef {
        articles,
        index: index.to_data(),
        entity_list: &entities.list,
        mentions: MentionColumns::new(&entities.mentions),
    };
    // The header with room for the length and checksum, then the payload written after it, into one
    // buffer of the right size measured first: the pack is the largest thing in memory when packing,
    // and neither a copy nor a doubling buffer holds it twice.
    struct Count(usize);
    impl Extend<u8> for Count {
        fn extend<I: IntoIterator<Item = u8>>(&mut self, bytes: I) {
            self.0 += bytes.into_iter().count();
        }
    }
    let expect = "postcard encodes owned strings and vectors into a Vec without failing";
    let size = postcard::to_extend(&payload, Count(0)).expect(expect).0;
    let mut out = postcard::to_extend(&payload, FORMAT.begin(size)).expect(expect);
    container::seal(&mut out);
    out
}

/// About how many bytes of articles one [`PackDecoder::step`] decodes: a few milliseconds of work, so
/// a page that yields between steps stays responsive while a large corpus opens.
const STEP_BYTES: usize = 4 << 20;

/// Reads a pack as its bytes arrive, a bounded piece of work at a time, so a page can decode a large
/// corpus while it downloads, without holding the whole pack in memory and without blocking.
///
/// [`PackDecoder::feed`] takes bytes in any pieces (it checks the header and keeps the checksum),
/// [`PackDecoder::end`] says there are no more, and each [`PackDecoder::step`] decodes a batch of
/// articles or one part of the index or the entities from what has arrived. The [`CorpusParts`] come
/// out only after every byte arrived and the checksum matched; a pack that fails to decode before that
/// is reported as damaged when its checksum is wrong. [`Engine::from_pack`](crate::Engine::from_pack)
/// does all of it at once.
pub struct PackDecoder {
    /// Received payload bytes not yet decoded start at `at`.
    buf: Vec<u8>,
    at: usize,
    /// The first bytes, until the header is complete.
    head: Vec<u8>,
    /// From the header, once read: payload length and checksum.
    payload_len: Option<u64>,
    expected_crc: u32,
    crc: Crc32,
    received: u64,
    ended: bool,
    /// Every byte arrived and the checksum matched.
    verified: bool,
    /// A section that did not decode from the bytes so far is tried again once this many are there.
    retry_at: usize,
    /// A decoding error found before every byte arrived: reported once the checksum has been checked.
    failed: Option<PackError>,
    stage: Stage,
    /// Bytes one step decodes at most (a whole article or column may take more).
    step_bytes: usize,
    articles: Vec<Article>,
    /// Articles the pack announces that are not decoded yet.
    articles_left: u64,
    index_data: Option<IndexData>,
    index: Option<Index>,
    entity_list: Vec<Entity>,
    columns: MentionColumns,
    mentions: Vec<Vec<EntityMention>>,
}

/// A corpus as a pack holds it: the articles, their index and the entities they mention, checked
/// against each other. [`PackDecoder`] reads them; [`Engine::from_parts`](crate::Engine::from_parts)
/// makes an engine of them.
#[derive(Clone, Debug)]
pub struct CorpusParts {
    pub(crate) articles: Vec<Article>,
    pub(crate) index: Index,
    pub(crate) entities: Entities,
}

impl CorpusParts {
    /// The articles, in corpus order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// Their index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Their entities, and where each article mentions them.
    pub fn entities(&self) -> &Entities {
        &self.entities
    }
}

/// What a [`PackDecoder::step`] came to.
#[derive(Debug)]
pub enum Step {
    /// It did some work; call `step` again.
    Working,
    /// It needs more bytes (or [`PackDecoder::end`]) first.
    NeedBytes,
    /// The pack is read and checked: here is what it holds.
    Done(Box<CorpusParts>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    ArticleCount,
    Articles,
    Index,
    EntityList,
    MentionCounts,
    MentionStarts,
    MentionLens,
    MentionEntities,
    MentionConfidences,
    Verified,
    BuildIndex,
    Fit,
    Done,
}

impl Default for PackDecoder {
    fn default() -> PackDecoder {
        PackDecoder::new()
    }
}

impl PackDecoder {
    /// A decoder waiting for the first bytes.
    pub fn new() -> PackDecoder {
        PackDecoder {
            buf: Vec::new(),
            at: 0,
            head: Vec::new(),
            payload_len: None,
            expected_crc: 0,
            crc: Crc32::new(),
            received: 0,
            ended: false,
            verified: false,
            retry_at: 0,
            failed: None,
            stage: Stage::ArticleCount,
            step_bytes: STEP_BYTES,
            articles: Vec::new(),
            articles_left: 0,
            index_data: None,
            index: None,
            entity_list: Vec::new(),
            columns: MentionColumns::default(),
            mentions: Vec::new(),
        }
    }

    /// Takes the next bytes of the pack. Fails at once when the bytes are not a pack of this version,
    /// or go on past the length the header announced.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<(), PackError> {
        if self.payload_len.is_none() {
            let take = (HEADER_LEN - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            let Some(header) = FORMAT.read_header(&self.head)? else { return Ok(()) };
            self.payload_len = Some(header.payload_len);
            self.expected_crc = header.crc;
            self.crc = container::checksum_start(&self.head);
        }
        if bytes.is_empty() {
            return Ok(());
        }
        self.received += bytes.len() as u64;
        // Trailing bytes beyond the payload are damage too.
        if self.payload_len.is_some_and(|len| self.received > len) {
            return Err(ContainerFault::ChecksumMismatch.into());
        }
        self.crc.update(bytes);
        // Decoded bytes are dropped now and then, so the buffer holds about what is not decoded yet.
        if self.at > (1 << 20) && self.at * 2 > self.buf.len() {
            self.buf.drain(..self.at);
            self.retry_at = self.retry_at.saturating_sub(self.at);
            self.at = 0;
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// Says no more bytes will come: checks the length and the checksum.
    pub fn end(&mut self) -> Result<(), PackError> {
        self.ended = true;
        let Some(len) = self.payload_len else {
            return Err(container::short_header(self.head.len()).into());
        };
        if self.received < len {
            return Err(ContainerFault::Truncated { expected: len, found: self.received }.into());
        }
        let crc = std::mem::replace(&mut self.crc, Crc32::new());
        if crc.finalize() != self.expected_crc {
            return Err(ContainerFault::ChecksumMismatch.into());
        }
        if let Some(error) = self.failed.take() {
            return Err(error);
        }
        self.verified = true;
        Ok(())
    }

    /// How far decoding is, from 0 to 1 (of the bytes announced, how many are decoded).
    pub fn progress(&self) -> f64 {
        match (self.stage, self.payload_len) {
            (Stage::Done, _) => 1.0,
            (_, Some(len)) if len > 0 => {
                let decoded = self.received - (self.buf.len() - self.at) as u64;
                (decoded as f64 / len as f64).min(0.99)
            }
            _ => 0.0,
        }
    }

    /// Does the next piece of work. An error ends decoding.
    pub fn step(&mut self) -> Result<Step, PackError> {
        if self.failed.is_some() {
            // Wait for the rest: a wrong checksum explains a decoding error best.
            return if self.ended {
                Err(self.failed.take().unwrap_or_else(|| ContainerFault::ChecksumMismatch.into()))
            } else {
                Ok(Step::NeedBytes)
            };
        }
        match self.advance() {
            Ok(step) => Ok(step),
            Err(error) if !self.ended => {
                self.failed = Some(error);
                Ok(Step::NeedBytes)
            }
            Err(error) => {
                self.stage = Stage::Done;
                Err(error)
            }
        }
    }

    /// Feeds `bytes` as the whole pack and runs every step.
    pub fn decode(bytes: &[u8]) -> Result<CorpusParts, PackError> {
        let mut decoder = PackDecoder::new();
        // In pieces, decoding as they go, so the decoder's buffer stays small.
        for piece in bytes.chunks(1 << 20) {
            decoder.feed(piece)?;
            while let Step::Working = decoder.step()? {}
        }
        decoder.end()?;
        loop {
            match decoder.step()? {
                Step::Done(parts) => return Ok(*parts),
                Step::Working => {}
                Step::NeedBytes => return Err(PackError::malformed("the pack ended early")),
            }
        }
    }

    /// Decodes one `T` from the bytes at hand; `None` when they do not hold all of it yet.
    fn take<'de, T: serde::Deserialize<'de>>(&'de mut self) -> Result<Option<T>, PackError> {
        let available = &self.buf[self.at..];
        if !self.ended && self.buf.len() < self.retry_at {
            return Ok(None);
        }
        match postcard::take_from_bytes::<T>(available) {
            Ok((value, rest)) => {
                self.at = self.buf.len() - rest.len();
                self.retry_at = 0;
                Ok(Some(value))
            }
            Err(_) if !self.ended => {
                // Try again when what is at hand has doubled (at least 4 KB more): a large part is
                // attempted a few times, not once per network chunk.
                self.retry_at = self.buf.len() + (self.buf.len() - self.at).max(1 << 12);
                Ok(None)
            }
            Err(e) => Err(PackError::malformed(e.to_string())),
        }
    }

    fn advance(&mut self) -> Result<Step, PackError> {
        if self.payload_len.is_none() {
            return Ok(Step::NeedBytes);
        }
        macro_rules! take {
            ($t:ty) => {
                match self.take::<$t>()? {
                    Some(value) => value,
                    None => return Ok(Step::NeedBytes),
                }
            };
        }
        match self.stage {
            Stage::ArticleCount => {
                // A sequence's length is a varint, as a u64 is.
                self.articles_left = take!(u64);
                // Room for a first batch only: the count (like the header's length) is not checked
                // yet, and a damaged one must not make us set aside memory for millions of articles.
                self.articles.reserve(usize::try_from(self.articles_left.min(1 << 12)).unwrap_or(0));
                self.stage = Stage::Articles;
            }
            Stage::Articles => {
                let start = self.at;
                while self.articles_left > 0 && self.at - start < self.step_bytes {
                    let article = take!(Article);
                    self.articles.push(article);
                    self.articles_left -= 1;
                }
                if self.articles_left == 0 {
                    self.stage = Stage::Index;
                }
            }
            Stage::Index => {
                // The index part arrives whole before it decodes. Room for the rest of the pack at
                // once, instead of doubling the buffer (each doubling holds the old and the new copy):
                // at most as much as was decoded so far, in case the header's length is wrong.
                if !self.ended {
                    let decoded = self.received - (self.buf.len() - self.at) as u64;
                    let to_come = self.payload_len.unwrap_or(0).saturating_sub(self.received).min(decoded);
                    let _ = self.buf.try_reserve_exact(usize::try_from(to_come).unwrap_or(0));
                }
                self.index_data = Some(take!(IndexData));
                // The buffer held the whole index part; let the memory go to what follows.
                self.buf.drain(..self.at);
                self.retry_at = self.retry_at.saturating_sub(self.at);
                self.at = 0;
                self.buf.shrink_to_fit();
                self.stage = Stage::EntityList;
            }
            Stage::EntityList => {
                self.entity_list = take!(Vec<Entity>);
                self.stage = Stage::MentionCounts;
            }
            // The mention columns, one column per step (postcard writes a struct's fields in order).
            Stage::MentionCounts => {
                self.columns.counts = take!(Vec<u32>);
                self.stage = Stage::MentionStarts;
            }
            Stage::MentionStarts => {
                self.columns.starts = take!(Vec<i64>);
                self.stage = Stage::MentionLens;
            }
            Stage::MentionLens => {
                self.columns.lens = take!(Vec<i64>);
                // The spans now: the two offset columns go before the next ones come.
                self.mentions =
                    std::mem::take(&mut self.columns).into_spans().ok_or_else(columns_disagree)?;
                self.stage = Stage::MentionEntities;
            }
            Stage::MentionEntities => {
                let entities: Vec<u32> = take!(Vec<u32>);
                fill(&mut self.mentions, &entities, |m, &entity| m.entity = EntityId(entity))?;
                self.stage = Stage::MentionConfidences;
            }
            Stage::MentionConfidences => {
                let confidences: Vec<u8> = take!(Bytes).0;
                fill(&mut self.mentions, &confidences, |m, &byte| m.confidence = confidence_from_byte(byte))?;
                self.stage = Stage::Verified;
            }
            // What follows reads the dictionaries (whose reader trusts its bytes) and cross-checks the
            // parts: only once every byte arrived and the checksum matched.
            Stage::Verified => {
                if !self.verified {
                    return Ok(Step::NeedBytes);
                }
                if self.at != self.buf.len() {
                    return Err(PackError::malformed("bytes left over after the entities"));
                }
                self.stage = Stage::BuildIndex;
            }
            Stage::BuildIndex => {
                let data = self.index_data.take().ok_or_else(|| PackError::malformed("no index"))?;
                self.index = Some(Index::from_data(data, self.articles.len()).map_err(PackError::malformed)?);
                self.stage = Stage::Fit;
            }
            Stage::Fit => {
                let n_entities = self.entity_list.len() as u32;
                let fit = self.mentions.len() == self.articles.len()
                    && self.mentions.iter().zip(&self.articles).all(|(ms, a)| {
                        ms.iter().all(|m| m.entity.0 < n_entities && m.span.get(&a.body).is_some())
                    });
                if !fit {
                    return Err(PackError::malformed("entity mentions do not fit the articles"));
                }
                let index = self.index.take().ok_or_else(|| PackError::malformed("no index"))?;
                let entities = Entities {
                    list: std::mem::take(&mut self.entity_list),
                    mentions: std::mem::take(&mut self.mentions),
                };
                self.stage = Stage::Done;
                let articles = std::mem::take(&mut self.articles);
                return Ok(Step::Done(Box::new(CorpusParts { articles, index, entities })));
            }
            Stage::Done => return Err(PackError::malformed("decoding already ended")),
        }
        Ok(Step::Working)
    }
}

fn columns_disagree() -> PackError {
    PackError::malformed("entity mention columns do not agree")
}

/// Sets a field of every mention, in order, from a column with one value per mention.
#[inline(never)]
fn fill<T>(
    mentions: &mut [Vec<EntityMention>],
    column: &[T],
    set: fn(&mut EntityMention, &T),
) -> Result<(), PackError> {
    let mut values = column.iter();
    for ms in mentions {
        for m in ms {
            set(m, values.next().ok_or_else(columns_disagree)?);
        }
    }
    if values.next().is_some() {
        return Err(columns_disagree());
    }
    Ok(())
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

    fn read_articles(bytes: &[u8]) -> Result<Vec<Article>, PackErrorKind> {
        PackDecoder::decode(bytes).map(|parts| parts.articles).map_err(|e| e.kind().clone())
    }

    #[test]
    fn round_trip() {
        let bytes = pack(&sample());
        let parts = PackDecoder::decode(&bytes).unwrap();
        assert_eq!(parts.articles(), sample());
        assert_eq!(parts.index().term_count(), Index::build(&sample()).term_count());
    }

    fn articles_for_steps() -> Vec<Article> {
        let mut articles = sample();
        for i in 0..20 {
            let mut a = sample()[0].clone();
            a.id = format!("a{i}");
            a.body = format!("Berita ke-{i} tentang Jakarta dan Presiden Joko Widodo. ").repeat(i + 1);
            articles.push(a);
        }
        articles
    }

    /// Feeds `bytes` in pieces of `piece` bytes, stepping until the decoder needs more after each.
    fn feed_in_pieces(decoder: &mut PackDecoder, bytes: &[u8], piece: usize) -> Result<usize, PackError> {
        let mut steps = 0;
        for chunk in bytes.chunks(piece) {
            decoder.feed(chunk)?;
            loop {
                steps += 1;
                match decoder.step()? {
                    Step::Working => {}
                    Step::NeedBytes => break,
                    Step::Done(_) => panic!("done before the end of the input"),
                }
            }
        }
        Ok(steps)
    }

    #[test]
    fn decoding_as_bytes_arrive_reads_the_same_as_at_once() {
        let articles = articles_for_steps();
        let bytes = pack(&articles);
        let whole = PackDecoder::decode(&bytes).unwrap();
        let mut decoder = PackDecoder::new();
        decoder.step_bytes = 100;
        let last = bytes.len() - 1;
        let steps = feed_in_pieces(&mut decoder, &bytes[..last], 50).unwrap();
        // The articles (most of the bytes) were decoded while the bytes came in, in many small steps
        // (the last one may wait: a part still arriving is tried again once 4 KB more are there).
        assert!(decoder.articles.len() + 1 >= articles.len(), "{} articles decoded", decoder.articles.len());
        assert!(decoder.progress() > 0.5, "progress {}", decoder.progress());
        assert!(steps > articles.len(), "{steps} steps");
        assert!(matches!(decoder.step(), Ok(Step::NeedBytes)), "no corpus before the last byte");
        decoder.feed(&bytes[last..]).unwrap();
        decoder.end().unwrap();
        let parts = loop {
            match decoder.step().unwrap() {
                Step::Done(parts) => break parts,
                Step::Working => {}
                Step::NeedBytes => panic!("all bytes are in"),
            }
        };
        assert_eq!(decoder.progress(), 1.0);
        assert_eq!(parts.articles(), whole.articles());
        assert_eq!(parts.entities(), whole.entities());
        assert_eq!(write_pack(&parts.articles, &parts.index, &parts.entities), bytes);
        assert!(decoder.step().is_err(), "a finished decoder says so");
    }

    #[test]
    fn damage_in_the_middle_is_reported_as_damage_once_the_checksum_is_known() {
        let bytes = pack(&articles_for_steps());
        for at in [HEADER_LEN + 1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            let mut decoder = PackDecoder::new();
            decoder.step_bytes = 64;
            let streamed = feed_in_pieces(&mut decoder, &damaged, 37).and_then(|_| decoder.end());
            assert_eq!(
                streamed.map_err(|e| e.kind().clone()),
                Err(PackErrorKind::Container(ContainerFault::ChecksumMismatch)),
                "damage at byte {at}"
            );
            assert_eq!(
                read_articles(&damaged),
                Err(PackErrorKind::Container(ContainerFault::ChecksumMismatch)),
                "damage at byte {at}"
            );
        }
    }

    #[test]
    fn a_damaged_article_count_sets_no_memory_aside() {
        // A header announcing an enormous payload, then an article count of 2^32 - 1.
        let mut bytes = pack(&sample());
        bytes[12..20].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
        bytes.splice(HEADER_LEN..HEADER_LEN + 1, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        let mut decoder = PackDecoder::new();
        feed_in_pieces(&mut decoder, &bytes, 64).unwrap();
        assert!(matches!(
            decoder.end().map_err(|e| e.kind().clone()),
            Err(PackErrorKind::Container(ContainerFault::Truncated { .. }))
        ));
    }

    #[test]
    fn a_cut_off_download_is_reported_as_cut_off() {
        let bytes = pack(&articles_for_steps());
        let mut decoder = PackDecoder::new();
        feed_in_pieces(&mut decoder, &bytes[..bytes.len() / 2], 100).unwrap();
        let expected = (bytes.len() - HEADER_LEN) as u64;
        let found = (bytes.len() / 2 - HEADER_LEN) as u64;
        assert_eq!(
            decoder.end().map_err(|e| e.kind().clone()),
            Err(PackErrorKind::Container(ContainerFault::Truncated { expected, found }))
        );
    }

    #[test]
    fn damage_is_refused_with_its_reason() {
        let good = pack(&sample());
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x20;
        let mut version = good.clone();
        version[8] = 99;
        let cases: Vec<(&str, Vec<u8>, PackErrorKind)> = vec![
            ("empty", vec![], PackErrorKind::Container(ContainerFault::NotThisFormat)),
            (
                "html page",
                b"<!doctype html><html>".to_vec(),
                PackErrorKind::Container(ContainerFault::NotThisFormat),
            ),
            (
                "header only",
                good[..12].to_vec(),
                PackErrorKind::Container(ContainerFault::Truncated { expected: 24, found: 12 }),
            ),
            (
                "cut payload",
                good[..good.len() - 3].to_vec(),
                PackErrorKind::Container(ContainerFault::Truncated {
                    expected: (good.len() - 24) as u64,
                    found: (good.len() - 27) as u64,
                }),
            ),
            ("flipped bit", flipped, PackErrorKind::Container(ContainerFault::ChecksumMismatch)),
            ("other version", version, PackErrorKind::Container(ContainerFault::WrongVersion { found: 99 })),
            (
                "trailing junk",
                [good.as_slice(), b"xx"].concat(),
                PackErrorKind::Container(ContainerFault::ChecksumMismatch),
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(read_articles(&bytes), Err(expected), "case: {name}");
        }
    }

    /// What the CLI and the explorer print, word for word.
    #[test]
    fn error_messages() {
        let version = format!(
            "pack format version 1 is not supported (this build reads version {PACK_VERSION}); re-create it \
             with `sorot pack`"
        );
        let cases = [
            (
                PackErrorKind::Container(ContainerFault::NotThisFormat),
                "not a Sorot pack (it does not start with SOROTPAK)",
            ),
            (PackErrorKind::Container(ContainerFault::WrongVersion { found: 1 }), version.as_str()),
            (
                PackErrorKind::Container(ContainerFault::Truncated { expected: 100, found: 60 }),
                "pack is cut off: 60 of 100 bytes present; copy or download it again",
            ),
            (
                PackErrorKind::Container(ContainerFault::ChecksumMismatch),
                "pack is damaged (checksum mismatch); copy or download it again",
            ),
            (PackErrorKind::Malformed("no index".into()), "pack content does not decode: no index"),
        ];
        for (kind, text) in cases {
            assert_eq!(PackError { kind }.to_string(), text);
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
