//! The pack: the one binary file format for a corpus, written by the CLI and the app's build script
//! and read by the browser without re-processing.
//!
//! A pack is a [container]: the magic `SOROTPAK`, the format version ([`PACK_VERSION`]), the
//! payload's length and CRC-32, then the payload: the articles, their index and their entities,
//! encoded with `postcard`.

pub(crate) mod container;
pub(crate) mod crc;
pub(crate) mod split;

use std::fmt;

use serde::Serialize;

use crate::engine::LocalMention;
use crate::index::Index;
use crate::ner::{confidence_byte, confidence_from_byte, Entity, EntityMention, EntityType};
use crate::{Article, Span};
use container::{ContainerFault, Format, HEADER_LEN};
use crc::Crc32;

/// The first eight bytes of every pack.
pub const PACK_MAGIC: [u8; 8] = *b"SOROTPAK";
/// The pack format this build writes and reads. Bumped whenever the payload changes shape.
pub const PACK_VERSION: u16 = 12;
/// The container of packs.
const FORMAT: Format = Format {
    magic: PACK_MAGIC,
    version: PACK_VERSION,
    noun: "pack",
    name: "Sorot pack",
    remedy: "re-create it with `sorot pack`",
};

/// Each article's distinct entities and their numbers of mentions, as columns: what facets count, a
/// split pack's facet pieces (a fraction of the mentions' size: no places in the text). An article's
/// entities are in the order first mentioned: a mention names its entity by its place there.
#[derive(Default, Serialize, serde::Deserialize)]
pub(crate) struct FacetColumns {
    /// Entries per article.
    lens: Vec<u32>,
    /// Each entry's entity number.
    entities: Vec<u32>,
    /// Each entry's number of mentions.
    counts: Vec<u32>,
}

impl FacetColumns {
    pub(crate) fn new<M: AsRef<[EntityMention]>>(mentions: &[M]) -> FacetColumns {
        let table = crate::engine::DocEntities::new(mentions);
        let mut out = FacetColumns::default();
        for doc in 0..table.len() {
            out.lens.push(table.of(doc).len() as u32);
            for &(entity, n) in table.of(doc) {
                out.entities.push(entity);
                out.counts.push(n);
            }
        }
        out
    }

    /// The table, for `docs` articles and entity numbers below `entities`; `None` unless the
    /// columns agree with each other and with those.
    pub(crate) fn into_table(self, docs: usize, entities: u32) -> Option<crate::engine::DocEntities> {
        if self.lens.len() != docs || self.entities.len() != self.counts.len() {
            return None;
        }
        let mut entries = Vec::with_capacity(self.entities.len());
        let mut i = 0;
        for &n in &self.lens {
            for _ in 0..n {
                let entity = *self.entities.get(i)?;
                if entity >= entities {
                    return None;
                }
                entries.push((entity, self.counts[i]));
                i += 1;
            }
        }
        crate::engine::DocEntities::from_columns(&self.lens, entries)
    }
}

/// The entity mentions of articles as columns, spans as gaps and lengths: smaller, and quicker to
/// decode, than one record per mention. A mention names its entity by its place among the article's
/// entities in the order first mentioned (0 for the first one mentioned): what the mentions say does
/// not change when a corpus grows and its entities are numbered anew, so neither do its article
/// batches.
#[derive(Default, Serialize, serde::Deserialize)]
pub(crate) struct MentionColumns {
    /// Mentions per article.
    counts: Vec<u32>,
    /// Start minus the previous mention's start in the same article (the first: minus zero).
    starts: Vec<i64>,
    /// End minus start.
    lens: Vec<i64>,
    /// The entity's place among the article's entities.
    locals: Vec<u32>,
    /// As bytes ([`confidence_byte`]).
    #[serde(with = "crate::index::bytes")]
    confidences: Vec<u8>,
}

impl MentionColumns {
    pub(crate) fn new<M: AsRef<[EntityMention]>>(mentions: &[M]) -> MentionColumns {
        let mut out = MentionColumns::default();
        for ms in mentions.iter() {
            let ms = ms.as_ref();
            let locals = crate::engine::localize(ms, crate::engine::DocEntities::new(&[ms]).of(0));
            out.counts.push(ms.len() as u32);
            let mut last = 0i64;
            for m in locals {
                out.starts.push(m.span.start as i64 - last);
                last = m.span.start as i64;
                out.lens.push(m.span.end as i64 - m.span.start as i64);
                out.locals.push(m.local);
                out.confidences.push(confidence_byte(m.confidence));
            }
        }
        out
    }

    /// The mentions of each article, from the columns, checked: each in its article's body, and each
    /// article's entities named in the order first mentioned.
    pub(crate) fn into_mentions(self, articles: &[Article]) -> Result<Vec<Vec<LocalMention>>, PackError> {
        let n = self.starts.len();
        let total: u64 = self.counts.iter().map(|&c| u64::from(c)).sum();
        let agree = total == n as u64
            && self.counts.len() == articles.len()
            && self.lens.len() == n
            && self.locals.len() == n
            && self.confidences.len() == n;
        let unfit = || PackError::malformed("entity mentions do not fit the articles");
        if !agree {
            return Err(unfit());
        }
        let mut i = 0;
        let mut out = Vec::with_capacity(self.counts.len());
        for (&count, article) in self.counts.iter().zip(articles) {
            let mut ms = Vec::with_capacity(count as usize);
            let (mut last, mut seen) = (0i64, 0u32);
            for _ in 0..count {
                let start = last.checked_add(self.starts[i]).ok_or_else(unfit)?;
                let end = start.checked_add(self.lens[i]).filter(|&end| end >= start).ok_or_else(unfit)?;
                last = start;
                let span = match (usize::try_from(start), usize::try_from(end)) {
                    (Ok(start), Ok(end)) => Span::new(start, end),
                    _ => return Err(unfit()),
                };
                // An entity first mentioned here is the next one of the article's.
                let local = self.locals[i];
                if local > seen || span.get(&article.body).is_none() {
                    return Err(unfit());
                }
                seen += u32::from(local == seen);
                ms.push(LocalMention { span, local, confidence: confidence_from_byte(self.confidences[i]) });
                i += 1;
            }
            out.push(ms);
        }
        Ok(out)
    }
}

/// Why bytes could not be read as a pack; [`PackError::kind`] says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    kind: PackErrorKind,
    file: File,
}

/// Which file of a pack an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum File {
    Pack,
    Entry,
    Piece,
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

    pub(crate) fn malformed(what: impl Into<String>) -> PackError {
        PackError { kind: PackErrorKind::Malformed(what.into()), file: File::Pack }
    }

    /// Something wrong inside a split pack's piece.
    pub(crate) fn piece_malformed(what: impl Into<String>) -> PackError {
        PackError { kind: PackErrorKind::Malformed(what.into()), file: File::Piece }
    }

    /// A fault of a split pack's entry file.
    pub(crate) fn entry(fault: ContainerFault) -> PackError {
        PackError { kind: PackErrorKind::Container(fault), file: File::Entry }
    }

    /// A fault of a split pack's piece.
    pub(crate) fn piece(fault: ContainerFault) -> PackError {
        PackError { kind: PackErrorKind::Container(fault), file: File::Piece }
    }
}

impl From<ContainerFault> for PackError {
    fn from(fault: ContainerFault) -> PackError {
        PackError { kind: PackErrorKind::Container(fault), file: File::Pack }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = match self.file {
            File::Pack => &FORMAT,
            File::Entry => &split::ENTRY,
            File::Piece => &split::PIECE,
        };
        match &self.kind {
            PackErrorKind::Container(fault) => format.describe(*fault, f),
            PackErrorKind::Malformed(what) => format.describe_malformed(what, f),
        }
    }
}

impl std::error::Error for PackError {}

/// About how many bytes of articles one batch holds in a (whole) pack, and so one
/// [`PackDecoder::step`] decodes: a few milliseconds of work, so a page that yields between steps
/// stays responsive while a large corpus opens.
pub(crate) const STEP_BYTES: usize = 4 << 20;

/// Reads a pack as its bytes arrive, a bounded piece of work at a time, so a page can decode a large
/// corpus while it downloads, without holding the whole pack in memory and without blocking.
///
/// A pack is a split pack in one file ([`split`]): the entry, then each piece's payload, each after
/// its length. [`PackDecoder::feed`] takes bytes in any pieces (it checks the header and keeps the
/// checksum), [`PackDecoder::end`] says there are no more, and each [`PackDecoder::step`] decodes
/// one piece that has arrived whole (a batch of articles, a part of the index or of the entities).
/// The [`CorpusParts`] come out only after every byte arrived and the checksum matched; a pack that
/// fails to decode before that is reported as damaged when its checksum is wrong.
/// [`Engine::from_pack`](crate::Engine::from_pack) does all of it at once.
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
    /// A decoding error found before every byte arrived: reported once the checksum has been checked.
    failed: Option<PackError>,
    /// The entry, once read: where each kind of piece starts.
    layout: Option<[usize; 7]>,
    index: Option<Index>,
    /// The index's parts as they came: read only once the checksum matched (the dictionaries'
    /// reader trusts its bytes).
    index_parts: Vec<Vec<u8>>,
    /// The next piece to read.
    next: usize,
    articles: Vec<Article>,
    entity_list: Vec<Entity>,
    mentions: Vec<Vec<LocalMention>>,
    /// Each article's entities, in the order first mentioned (the whole pack's one facet range).
    facets: Option<FacetColumns>,
    done: bool,
}

/// A corpus as a pack holds it: the articles, their index and the entities they mention, checked
/// against each other. [`PackDecoder`] reads them; [`Engine::from_parts`](crate::Engine::from_parts)
/// makes an engine of them.
#[derive(Clone, Debug)]
pub struct CorpusParts {
    pub(crate) articles: Vec<Article>,
    pub(crate) index: Index,
    /// The entity list.
    pub(crate) list: Vec<Entity>,
    /// Each article's mentions, and its entities in the order first mentioned (what they name).
    pub(crate) mentions: Vec<Vec<LocalMention>>,
    pub(crate) table: crate::engine::DocEntities,
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

    /// Their entities, by type, then by number of articles.
    pub fn entity_list(&self) -> &[Entity] {
        &self.list
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
            failed: None,
            layout: None,
            index: None,
            index_parts: Vec::new(),
            next: 0,
            articles: Vec::new(),
            entity_list: Vec::new(),
            mentions: Vec::new(),
            facets: None,
            done: false,
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
        match self.payload_len {
            _ if self.done => 1.0,
            Some(len) if len > 0 => {
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
        if self.done {
            return Err(PackError::malformed("decoding already ended"));
        }
        match self.advance() {
            Ok(step) => Ok(step),
            Err(error) if !self.ended => {
                self.failed = Some(error);
                Ok(Step::NeedBytes)
            }
            Err(error) => {
                self.done = true;
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

    /// Where the next length-prefixed part lies in the buffer, once it is all there.
    fn next_part(&mut self) -> Result<Option<std::ops::Range<usize>>, PackError> {
        let available = &self.buf[self.at..];
        let Ok((len, rest)) = postcard::take_from_bytes::<u64>(available) else {
            return match self.ended {
                true => Err(PackError::malformed("the pack ended early")),
                false => Ok(None),
            };
        };
        let start = self.buf.len() - rest.len();
        let len = usize::try_from(len).map_err(|_| PackError::malformed("a part longer than the pack"))?;
        if (rest.len() as u64) < len as u64 {
            if self.ended || self.payload_len.is_some_and(|total| (start - self.at + len) as u64 > total) {
                return Err(PackError::malformed("a part longer than the pack"));
            }
            return Ok(None);
        }
        self.at = start + len;
        Ok(Some(start..start + len))
    }

    fn advance(&mut self) -> Result<Step, PackError> {
        if self.payload_len.is_none() {
            return Ok(Step::NeedBytes);
        }
        let Some(layout) = self.layout else {
            let Some(range) = self.next_part()? else { return Ok(Step::NeedBytes) };
            let (entry, layout) = split::read_entry(&self.buf[range])?;
            let docs = entry.table.head.docs as usize;
            self.articles.reserve(docs.min(1 << 12));
            self.index = Some(Index::from_table(entry.table, 0));
            self.layout = Some(layout);
            return Ok(Step::Working);
        };
        if self.next < layout[6] {
            let Some(range) = self.next_part()? else { return Ok(Step::NeedBytes) };
            let payload = &self.buf[range];
            let bad = |e: postcard::Error| PackError::malformed(e.to_string());
            let p = self.next;
            match p {
                i if i < layout[1] => self.index_parts.push(payload.to_vec()),
                i if i < layout[2] => {
                    let mut chunk: Vec<Entity> = postcard::from_bytes(payload).map_err(bad)?;
                    self.entity_list.append(&mut chunk);
                }
                // A whole pack has no name index or catalog: its list and articles have them.
                i if i < layout[3] => {}
                i if i < layout[4] => self.facets = Some(postcard::from_bytes(payload).map_err(bad)?),
                i if i < layout[5] => {}
                _ => {
                    // (A whole pack's batches name no entities: its list is in the pack.)
                    let (mut batch, columns, _): (Vec<Article>, MentionColumns, Vec<(EntityType, String)>) =
                        postcard::from_bytes(payload).map_err(bad)?;
                    self.mentions.append(&mut columns.into_mentions(&batch)?);
                    self.articles.append(&mut batch);
                }
            }
            self.next += 1;
            return Ok(Step::Working);
        }
        // What follows reads the dictionaries (whose reader trusts its bytes) and cross-checks the
        // parts: only once every byte arrived and the checksum matched.
        if !self.verified {
            return Ok(Step::NeedBytes);
        }
        if self.at != self.buf.len() {
            return Err(PackError::malformed("bytes left over after the last part"));
        }
        let index = self.index.take().ok_or_else(|| PackError::malformed("no index"))?;
        for (i, part) in std::mem::take(&mut self.index_parts).iter().enumerate() {
            index.fill(i, part).map_err(PackError::malformed)?;
        }
        // Each batch's mentions were checked against its articles; each names one of its article's
        // entities, which the facet columns number.
        let unfit = || PackError::malformed("entity mentions do not fit the articles");
        let docs = self.articles.len();
        // (A pack of no articles has no facet range.)
        let table = match self.facets.take() {
            Some(columns) => columns.into_table(docs, self.entity_list.len() as u32).ok_or_else(unfit)?,
            None => crate::engine::DocEntities::default(),
        };
        if !index.is_complete() || index.docs() != docs || table.len() != docs {
            return Err(unfit());
        }
        if !self.entity_list.windows(2).all(|w| w[0].kind <= w[1].kind) {
            return Err(PackError::malformed("the entity list is not sorted by type"));
        }
        let mentions = std::mem::take(&mut self.mentions);
        for (d, ms) in mentions.iter().enumerate() {
            if !crate::engine::names_all(ms, table.of(d)) {
                return Err(unfit());
            }
        }
        let list = std::mem::take(&mut self.entity_list);
        self.done = true;
        let articles = std::mem::take(&mut self.articles);
        Ok(Step::Done(Box::new(CorpusParts { articles, index, list, mentions, table })))
    }
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
        crate::Engine::from_articles(articles.to_vec()).pack_with(200)
    }

    fn read_articles(bytes: &[u8]) -> Result<Vec<Article>, PackErrorKind> {
        PackDecoder::decode(bytes).map(|parts| parts.articles).map_err(|e| e.kind().clone())
    }

    #[test]
    fn mentions_that_do_not_fit_their_articles_are_refused() {
        let articles = sample();
        let mention = |start: usize, end: usize, entity: u32| EntityMention {
            span: Span::new(start, end),
            entity: crate::EntityId(entity),
            confidence: 1.0,
        };
        let columns = |ms: &[EntityMention]| MentionColumns::new(&[ms]);
        // "Isi" is the body's first word, "script" is at 5..11; entity 7 is mentioned first, so it
        // is the article's first (0), entity 3 its second (1).
        let two = [mention(0, 3, 7), mention(5, 11, 3), mention(5, 11, 7)];
        let locals: Vec<u32> =
            columns(&two).into_mentions(&articles).unwrap()[0].iter().map(|m| m.local).collect();
        assert_eq!(locals, [0, 1, 0]);
        let cases = [
            ("past the end of the body", columns(&[mention(30, 300, 0)])),
            ("inside a character", columns(&[mention(0, 31, 0)])),
            ("another number of articles", MentionColumns::new::<&[EntityMention]>(&[&[], &[]])),
        ];
        for (name, columns) in cases {
            let error = columns.into_mentions(&articles).unwrap_err();
            assert_eq!(
                error.to_string(),
                "pack content does not decode: entity mentions do not fit the articles",
                "{name}"
            );
        }
        // An entity named by a place beyond those first mentioned so far.
        let mut skipped = columns(&two);
        skipped.locals[1] = 2;
        assert!(skipped.into_mentions(&articles).is_err());
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
        assert_eq!(parts.entity_list(), whole.entity_list());
        assert_eq!(parts.mentions, whole.mentions);
        assert_eq!(crate::Engine::from_parts(*parts).pack_with(200), bytes);
        assert!(decoder.step().is_err(), "a finished decoder says so");
    }

    #[test]
    fn damage_in_the_middle_is_reported_as_damage_once_the_checksum_is_known() {
        let bytes = pack(&articles_for_steps());
        for at in [HEADER_LEN + 1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            let mut decoder = PackDecoder::new();
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
            assert_eq!(PackError { kind, file: File::Pack }.to_string(), text);
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
