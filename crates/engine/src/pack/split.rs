//! The split pack: a corpus as a small entry file and pieces fetched as queries need them, for a site
//! whose archive is too large to download whole. Written by `sorot pack --split DIR`, read by the
//! browser through [`Engine::from_entry`] and [`Engine::add_piece`]; one definition for both.
//!
//! Every file is a [container](super::container): the entry `SOROTSPL`, each piece `SOROTPCE`, with
//! a postcard payload. The entry holds the content hashes of the pieces that name others (first,
//! where the service worker reads them: the length ranges' pieces, and the dictionary chunks when
//! they name the postings chunks), the index's table (the first key and term number of each
//! dictionary chunk, the first term number and key of each postings chunk, the first root of each
//! family chunk, the corpus statistics), the number of article batches of each range, and the
//! content hash of every other piece but the batches, whose hashes are in their range's lengths
//! piece. An index of more postings chunks than [`SplitOptions::keyed_chunks`] (an archive of
//! 50,000 articles or more) has no family chunks, and its entry holds neither the postings chunks'
//! first terms and keys nor their hashes: its dictionary chunks do, for their terms and their
//! roots' terms, so that the entry does not grow with the postings. The pieces, in this order:
//!
//! | pieces | what each holds |
//! |---|---|
//! | dictionary chunks | a range of terms (fst), their numbers of articles, the terms' tails (all but the first character) whose keys fall in the range, with their terms, and the roots whose keys fall there with their terms when there are no family chunks; then, when the entry does not name them, the postings chunks of those terms and roots' terms: their numbers, term ranges and hashes |
//! | postings chunks | the postings of a range of term numbers, and the terms' texts |
//! | length ranges | title and body lengths of a range of articles, and its [`Shelf`]: where its article batches start, and their hashes |
//! | family chunks | a range of roots (by key), each with the term that is the root and the terms whose roots include it, and those terms' postings and texts: a query's stem variants come with its words (none when there would be more than [`SplitOptions::keyed_chunks`] of them, or of postings chunks) |
//! | entity chunks | [`SplitOptions::entity_chunk`] entities of the list (sorted by type, then by number of articles), with their names and counts |
//! | name buckets | the entities that have a name or alias of each hash ([`crate::ner`]'s `name_hash`), by hash: what a name is looked up by |
//! | facet ranges | each article's entities (in the order first mentioned: the numbers its batch's mentions are resolved by) and numbers of mentions, for a range of articles |
//! | catalog ranges | the ids and dates of a range of articles |
//! | article batches | whole articles (id, title, body, metadata) with their entity mentions (columns), about [`SplitOptions::batch_bytes`] each, cut within the ranges |
//!
//! A piece's file is its container compressed with gzip (RFC 1952; the browser has a decoder,
//! `DecompressionStream`, so the wasm needs none, and a static host need not compress anything). Its
//! name is its kind's letter and the first 16 hex digits of the file's SHA-256 (`p-3f2a…c1.sorot`):
//! a piece never changes under its name, so a CDN may cache it forever, a service worker can check
//! what it got, and a re-pack rewrites only pieces whose content changed. The entry is not compressed.

use serde::{Deserialize, Serialize};

use super::container::Format;
use super::{FacetColumns, MentionColumns, PackError, STEP_BYTES};
use crate::engine::{batch_range, Batch, Catalog, NameBucket, Shelf};
use crate::index::{Index, IndexTable, SplitIndex};
use crate::ner::{Entity, EntityType};
use crate::{Article, Engine};

/// The first bytes of a gzip member: how a piece file as written starts.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// At most this many bytes come out of decompressing a piece (a piece is tens of kilobytes; this
/// refuses a file made to expand without end).
#[cfg(feature = "ingest")]
const MAX_PIECE_BYTES: u64 = 256 << 20;

/// A piece file's container: the file decompressed.
#[cfg(feature = "ingest")]
fn gunzip(file: &[u8]) -> Result<Vec<u8>, PackError> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut reader = flate2::read::GzDecoder::new(file).take(MAX_PIECE_BYTES + 1);
    // A gzip stream that does not decode (its own CRC-32 included) is a damaged file.
    reader
        .read_to_end(&mut out)
        .map_err(|_| PackError::piece(super::container::ContainerFault::ChecksumMismatch))?;
    if out.len() as u64 > MAX_PIECE_BYTES {
        return Err(PackError::piece_malformed("split pack piece decompresses to more than 256 MB"));
    }
    Ok(out)
}

/// A piece's container, compressed as its file is written.
#[cfg(feature = "ingest")]
fn gzip(container: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(container);
    encoder.finish().unwrap_or_default()
}

/// The first bytes of a split pack's entry file.
pub const SPLIT_MAGIC: [u8; 8] = *b"SOROTSPL";

/// The entry file's container.
pub(crate) const ENTRY: Format = Format {
    magic: SPLIT_MAGIC,
    version: 7,
    noun: "split pack entry",
    name: "Sorot split pack entry",
    remedy: "re-create it with `sorot pack --split`",
};

/// A piece's container.
pub(crate) const PIECE: Format = Format {
    magic: *b"SOROTPCE",
    version: 3,
    noun: "split pack piece",
    name: "Sorot split pack piece",
    remedy: "re-create the pack with `sorot pack --split`",
};

/// The name a split pack's entry file has in its folder.
pub const ENTRY_NAME: &str = "entry.sorot";

#[derive(Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The pieces that name others, each as its kind's letter and its content hash (9 bytes), in
    /// piece order: when the dictionary chunks name the postings chunks ([`Named`]), each
    /// dictionary chunk; then each range's lengths piece, which also holds the range's shelf (where
    /// its article batches start, and their hashes). First, so that the service worker finds them
    /// without decoding the rest (`www/sw.js`). None in a whole pack.
    #[serde(with = "crate::index::bytes")]
    tables: Vec<u8>,
    pub(crate) table: IndexTable,
    /// Article batches in each range of `range_docs` articles.
    range_batches: Vec<u32>,
    /// Entities in the list, entities per chunk of it, and the end of each type's numbers (in
    /// [`crate::EntityType::ALL`]'s order).
    entities: u32,
    entity_chunk: u32,
    kind_ends: [u32; 3],
    /// Buckets of the name index (none in a whole pack).
    name_buckets: u32,
    /// The newest articles, newest first (at most [`NEWEST`]): what a page lists before any query.
    newest: Vec<u32>,
    /// Whether there are catalog pieces (a whole pack's articles have their ids and dates).
    catalog: bool,
    /// The content hash of each other piece, in piece order, but the batches and the postings
    /// chunks the dictionary chunks name (none in a whole pack; 8 bytes each).
    #[serde(with = "crate::index::bytes")]
    hashes: Vec<u8>,
}

/// Where a split pack names a piece other than an article batch.
#[derive(Clone, Copy, PartialEq)]
enum Named {
    /// In the entry's `tables`, with its kind: a lengths piece, or a dictionary chunk that names
    /// postings chunks.
    Tables(PieceKind),
    /// In the entry's `hashes`.
    Hashes,
    /// In the dictionary chunks: a postings chunk of an index with more than the entry would name
    /// ([`SplitOptions::keyed_chunks`]).
    Dictionary,
}

/// Where piece `i` (not an article batch) is named, in an index of `d` dictionary chunks, `p`
/// postings chunks and `l` ranges; `named`: its dictionary chunks name its postings chunks.
fn named_in(i: usize, (d, p, l): (usize, usize, usize), named: bool) -> Named {
    match i {
        i if i < d && named => Named::Tables(PieceKind::Dictionary),
        i if (d..d + p).contains(&i) && named => Named::Dictionary,
        i if (d + p..d + p + l).contains(&i) => Named::Tables(PieceKind::Lengths),
        _ => Named::Hashes,
    }
}

/// Articles the entry lists newest first.
const NEWEST: usize = 100;

/// How a split pack is cut.
#[derive(Clone, Copy, Debug)]
pub struct SplitOptions {
    /// Terms per dictionary chunk.
    pub dict_terms: usize,
    /// Bytes of postings per postings chunk (a term with more has a chunk of its own).
    pub post_bytes: usize,
    /// Articles per range of lengths, facet columns and catalog.
    pub range_docs: u32,
    /// Bytes of title and body per article batch (an article with more has a batch of its own).
    pub batch_bytes: usize,
    /// Entities per chunk of the entity list. The list is sorted by type, then by number of
    /// articles, so the first chunks of each type name the entities that facets list most.
    pub entity_chunk: usize,
    /// At most this many postings chunks are named in the entry, each with its first key (a
    /// word's postings are asked for with its dictionary chunk), and the family chunks too (a
    /// word's stem variants come with it). An index with more postings chunks has no family
    /// chunks, and its dictionary chunks name its postings chunks, so that its entry does not grow
    /// with them; a query reads its words' postings in a round after their dictionary chunks.
    pub keyed_chunks: usize,
}

impl Default for SplitOptions {
    fn default() -> SplitOptions {
        SplitOptions {
            dict_terms: 512,
            post_bytes: 8 << 10,
            range_docs: 2048,
            batch_bytes: 4 << 10,
            entity_chunk: 256,
            keyed_chunks: crate::index::KEYED_POSTINGS_CHUNKS,
        }
    }
}

/// A split pack as written: the entry file's bytes and each piece's name and bytes.
#[derive(Debug)]
pub struct SplitPack {
    /// The entry file ([`ENTRY_NAME`]).
    pub entry: Vec<u8>,
    /// Every piece, in piece order: its file name and its bytes.
    pub pieces: Vec<(String, Vec<u8>)>,
}

/// What kind of part a piece holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// A range of the dictionary.
    Dictionary,
    /// The postings of a range of terms.
    Postings,
    /// Title and body lengths of a range of articles.
    Lengths,
    /// A chunk of the entity list.
    Entities,
    /// A bucket of the name index.
    Names,
    /// Each article's entities with their numbers of mentions, for a range of articles.
    Facets,
    /// The ids and dates of a range of articles.
    Catalog,
    /// A batch of articles.
    Articles,
    /// The families of a range of roots: each root's terms with their postings.
    Families,
}

impl PieceKind {
    fn letter(self) -> char {
        match self {
            PieceKind::Dictionary => 'd',
            PieceKind::Postings => 'p',
            PieceKind::Lengths => 'l',
            PieceKind::Entities => 'e',
            PieceKind::Names => 'n',
            PieceKind::Facets => 'f',
            PieceKind::Catalog => 'c',
            PieceKind::Articles => 'a',
            PieceKind::Families => 's',
        }
    }
}

/// Where each kind's pieces start: index parts, entity chunks, name buckets, facet ranges, catalog
/// ranges (none in a whole pack), article batches, end.
fn layout([index, entities, names, facets, catalog, batches]: [usize; 6]) -> [usize; 7] {
    let n = index + entities + names;
    [0, index, index + entities, n, n + facets, n + facets + catalog, n + facets + catalog + batches]
}

fn piece_name(kind: PieceKind, hash: &[u8]) -> String {
    let mut name = String::with_capacity(24);
    name.push(kind.letter());
    name.push('-');
    for b in hash {
        name.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        name.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    name.push_str(".sorot");
    name
}

fn malformed(what: impl Into<String>) -> PackError {
    PackError::malformed(what)
}

/// Reads an entry's payload, checking its tables: the entry and where each kind of piece starts.
pub(crate) fn read_entry(payload: &[u8]) -> Result<(Entry, [usize; 7]), PackError> {
    let entry: Entry = postcard::from_bytes(payload).map_err(|e| malformed(e.to_string()))?;
    let docs = entry.table.head.docs;
    let (d, p, l, f) = entry.table.counts();
    // Each range has a batch or more, at most one per article.
    let batches_valid = entry.range_batches.len() == l
        && entry.range_batches.iter().all(|&n| n >= 1 && n <= entry.table.head.range_docs);
    let kinds_valid =
        entry.kind_ends.windows(2).all(|w| w[0] <= w[1]) && entry.kind_ends[2] == entry.entities;
    if !entry.table.is_valid()
        || !batches_valid
        || !kinds_valid
        || entry.entity_chunk == 0
        || entry.newest.iter().any(|&d| d >= docs)
    {
        return Err(malformed("the entry's tables do not agree"));
    }
    let chunks = entry.entities.div_ceil(entry.entity_chunk) as usize;
    let catalog = if entry.catalog { l } else { 0 };
    let batches = entry.range_batches.iter().map(|&n| n as usize).sum();
    let at = layout([d + p + l + f, chunks, entry.name_buckets as usize, l, catalog, batches]);
    let whole = entry.tables.is_empty() && entry.hashes.is_empty();
    // The lengths pieces in `tables`, with the dictionary chunks when they name the postings chunks
    // (which then are named nowhere in the entry); every other piece in `hashes`.
    let named = if entry.table.names_postings() { d } else { 0 };
    let tables = 9 * (named + l);
    let hashes = 8 * (at[5] - l - named - named.min(1) * p);
    if !whole && (entry.tables.len() != tables || entry.hashes.len() != hashes) {
        return Err(malformed("the entry names a different number of pieces"));
    }
    Ok((entry, at))
}

/// How a whole pack is cut: one piece of each part but the articles, in batches of [`STEP_BYTES`].
const WHOLE: SplitOptions = SplitOptions {
    dict_terms: usize::MAX,
    post_bytes: usize::MAX,
    range_docs: u32::MAX,
    batch_bytes: STEP_BYTES,
    entity_chunk: usize::MAX,
    keyed_chunks: usize::MAX,
};

impl Engine {
    /// An engine over a split pack, from its entry file: the table of its pieces, none of them at
    /// hand yet. Queries note what they need ([`Engine::missing`]); [`Engine::add_piece`] brings it.
    pub fn from_entry(bytes: &[u8]) -> Result<Engine, PackError> {
        let payload = ENTRY.open(bytes).map_err(PackError::entry)?;
        let (entry, at) = read_entry(payload)?;
        let Entry {
            tables, table, range_batches, entities, entity_chunk, kind_ends, newest, mut hashes, ..
        } = entry;
        let (d, p, l, _) = table.counts();
        if tables.is_empty() {
            return Err(malformed("a whole pack's entry, not a split pack's"));
        }
        // Every piece's hash but the batches', in piece order (zeros for the postings chunks the
        // dictionary chunks name).
        let named = table.names_postings();
        let (mut listed, mut others) = (tables.chunks_exact(9), hashes.chunks_exact(8));
        let mut all = Vec::with_capacity(8 * at[5]);
        for i in 0..at[5] {
            let hash = match named_in(i, (d, p, l), named) {
                Named::Tables(_) => listed.next().map(|t| &t[1..]),
                Named::Hashes => others.next(),
                Named::Dictionary => Some(&[0; 8][..]),
            };
            all.extend_from_slice(hash.unwrap_or_default());
        }
        hashes = all;
        let index = Index::from_table(table, 0);
        let n = |from: usize, to: usize| (from as u32)..(to as u32);
        Ok(Engine::split(
            hashes,
            newest.into_iter().map(crate::DocId).collect(),
            index,
            (&range_batches, n(d + p, d + p + l)),
            n(at[5], at[6]),
            (entities, entity_chunk, kind_ends),
            n(at[1], at[2]),
            n(at[2], at[3]),
            n(at[3], at[4]),
            n(at[4], at[5]),
        ))
    }

    /// Number of pieces of a split pack (0 for a whole one).
    pub fn piece_count(&self) -> usize {
        if self.is_split() {
            self.piece_layout()[6]
        } else {
            0
        }
    }

    /// What piece `piece` holds and its file name, beside the entry file. An article batch's name
    /// is known once its range's lengths piece is here (`None` before).
    pub fn piece(&self, piece: u32) -> Option<(PieceKind, String)> {
        let parts = self.parts();
        let kind = self.piece_kind(piece)?;
        let at = self.piece_layout();
        let hash = match (piece as usize).checked_sub(at[5]) {
            Some(b) => {
                let (r, k) = batch_range(parts.batch_start, b)?;
                parts.shelves.get(r)?.peek()?.hashes.get(8 * k..8 * k + 8)?
            }
            None if kind == PieceKind::Postings && parts.index.names_postings() => {
                let (d, ..) = parts.index.table_counts();
                parts.index.post_ref(piece as usize - d)?.2
            }
            None => parts.hashes.get(8 * piece as usize..8 * piece as usize + 8)?,
        };
        Some((kind, piece_name(kind, hash)))
    }

    fn piece_layout(&self) -> [usize; 7] {
        let parts = self.parts();
        let (d, p, l, f) = parts.index.table_counts();
        layout([
            d + p + l + f,
            parts.entity_chunks.len(),
            parts.names.len(),
            parts.facet_columns.len(),
            parts.catalog.len(),
            parts.batches.len(),
        ])
    }

    /// What piece `piece` holds (`None`: the pack has no such piece).
    pub fn piece_kind(&self, piece: u32) -> Option<PieceKind> {
        if !self.is_split() {
            return None;
        }
        let at = self.piece_layout();
        let (d, p, l, _) = self.index().table_counts();
        Some(match piece as usize {
            i if i < d => PieceKind::Dictionary,
            i if i < d + p => PieceKind::Postings,
            i if i < d + p + l => PieceKind::Lengths,
            i if i < at[1] => PieceKind::Families,
            i if i < at[2] => PieceKind::Entities,
            i if i < at[3] => PieceKind::Names,
            i if i < at[4] => PieceKind::Facets,
            i if i < at[5] => PieceKind::Catalog,
            i if i < at[6] => PieceKind::Articles,
            _ => return None,
        })
    }

    /// Whether piece `piece` is at hand.
    pub fn has_piece(&self, piece: u32) -> bool {
        let parts = self.parts();
        let at = self.piece_layout();
        match piece as usize {
            i if i < at[1] => parts.index.has_part(i),
            i if i < at[2] => parts.entity_chunks[i - at[1]].peek().is_some(),
            i if i < at[3] => parts.names[i - at[2]].peek().is_some(),
            i if i < at[4] => parts.facet_columns[i - at[3]].peek().is_some(),
            i if i < at[5] => parts.catalog[i - at[4]].peek().is_some(),
            i if i < at[6] => parts.batches[i - at[5]].peek().is_some(),
            _ => false,
        }
    }

    /// Puts in piece `piece` from its container's bytes, checked (container, checksum, and that it
    /// fits the entry). A piece that does not is refused and the engine stays as it was. The file as
    /// written is gzip-compressed: the caller decompresses it (the browser with
    /// `DecompressionStream`); with the `ingest` feature this does.
    pub fn add_piece(&self, piece: u32, bytes: &[u8]) -> Result<(), PackError> {
        #[cfg(feature = "ingest")]
        let inflated;
        #[cfg(feature = "ingest")]
        let bytes = if bytes.starts_with(&GZIP_MAGIC) {
            inflated = gunzip(bytes)?;
            &inflated[..]
        } else {
            bytes
        };
        #[cfg(not(feature = "ingest"))]
        if bytes.starts_with(&GZIP_MAGIC) {
            return Err(PackError::piece_malformed("split pack piece is still gzip-compressed"));
        }
        let payload = PIECE.open(bytes).map_err(PackError::piece)?;
        let parts = self.parts();
        let at = self.piece_layout();
        let bad = |e: postcard::Error| malformed(e.to_string());
        let count = |what: &str| malformed(format!("{what} holds another number of articles"));
        match piece as usize {
            i if i < at[1] => {
                let (d, p, l, _) = parts.index.table_counts();
                if let Some(r) = i.checked_sub(d + p).filter(|&r| r < l) {
                    // A range's lengths, then its shelf: checked before either goes in.
                    let (lens, shelf): (crate::index::Lengths, Shelf) =
                        postcard::from_bytes(payload).map_err(bad)?;
                    let batches =
                        parts.batch_start.get(r + 1).zip(parts.batch_start.get(r)).map(|(b, a)| b - a);
                    if !batches.is_some_and(|n| shelf.fits(n as usize, parts.index.range_len(r))) {
                        return Err(malformed("a range's table of article batches does not fit the entry"));
                    }
                    parts.index.fill_lengths(r, lens).map_err(malformed)?;
                    parts.shelves[r].fill(shelf);
                } else {
                    parts.index.fill(i, payload).map_err(malformed)?;
                }
            }
            i if i < at[2] => {
                let c = (i - at[1]) as u32;
                let list: Vec<Entity> = postcard::from_bytes(payload).map_err(bad)?;
                let first = c * parts.entity_chunk;
                let expected = parts.entity_chunk.min(parts.entities - first);
                // Each entity of the type the entry's table gives its number.
                let mut fits = list.len() == expected as usize;
                for (i, e) in list.iter().enumerate() {
                    let at = parts.kind_ends.partition_point(|&end| end <= first + i as u32);
                    fits &= crate::EntityType::ALL.get(at) == Some(&e.kind);
                }
                if !fits {
                    return Err(malformed("a chunk of the entity list does not fit the entry"));
                }
                parts.entity_chunks[c as usize].fill(list);
            }
            i if i < at[3] => {
                let b = i - at[2];
                let bucket: NameBucket = postcard::from_bytes(payload).map_err(bad)?;
                let buckets = parts.names.len();
                let fits = bucket.hashes.len() == bucket.entities.len()
                    && bucket.hashes.iter().all(|&h| h as usize % buckets == b)
                    && bucket.entities.iter().all(|&e| e < parts.entities);
                if !fits {
                    return Err(malformed("a bucket of the name index does not fit the entry"));
                }
                parts.names[b].fill(bucket);
            }
            i if i < at[4] => {
                let r = i - at[3];
                let columns: FacetColumns = postcard::from_bytes(payload).map_err(bad)?;
                let table = columns
                    .into_table(parts.index.range_len(r) as usize, parts.entities)
                    .ok_or_else(|| malformed("facet columns do not agree with the entry"))?;
                parts.facet_columns[r].fill(table);
            }
            i if i < at[5] => {
                let r = i - at[4];
                let n = parts.index.range_len(r) as usize;
                let catalog: Catalog = postcard::from_bytes(payload).map_err(bad)?;
                if catalog.ids.len() != n || catalog.dates.len() != n {
                    return Err(count("a catalog range"));
                }
                parts.catalog[r].fill(catalog);
            }
            i if i < at[6] => {
                let b = i - at[5];
                let (articles, columns, names): (Vec<Article>, MentionColumns, Vec<(EntityType, String)>) =
                    postcard::from_bytes(payload).map_err(bad)?;
                let Some((shelf, k)) = batch_range(parts.batch_start, b)
                    .and_then(|(r, k)| Some((parts.shelves.get(r)?.peek()?, k)))
                else {
                    return Err(malformed("an article batch came before its range's lengths piece"));
                };
                if articles.len() != (shelf.first[k + 1] - shelf.first[k]) as usize {
                    return Err(count("an article batch"));
                }
                let mentions = columns.into_mentions(&articles)?;
                let batch = Batch::new(articles, mentions, names)
                    .ok_or_else(|| malformed("an article batch names another number of entities"))?;
                parts.batches[b].fill(batch);
            }
            _ => return Err(malformed(format!("the entry has no piece {piece}"))),
        }
        Ok(())
    }

    /// The corpus cut as `options` say ([`cut`]); `None` unless the engine holds the whole corpus.
    fn cut(&self, options: &SplitOptions, catalog: bool, emit: &mut Emit<'_>) -> Option<Entry> {
        let parts = self.parts();
        // A split pack's articles come in batches: gathered, when every batch is at hand.
        let gathered;
        let articles = match self.articles() {
            whole if whole.len() == self.article_count() => whole,
            _ => {
                let every = 0..self.article_count() as u32;
                gathered =
                    every.map(|d| self.article_at(crate::DocId(d)).cloned()).collect::<Option<Vec<_>>>()?;
                &gathered[..]
            }
        };
        let list = self.entity_list();
        if list.len() != parts.entities as usize {
            return None;
        }
        let mentions = self.all_mentions()?;
        // An index in chunks (a split pack's, every piece fetched) is built again from its articles:
        // the same index, in one piece to cut anew.
        let rebuilt;
        let index = match parts.index.table_counts() {
            (1, 1, 0 | 1, 0) => parts.index,
            _ => {
                rebuilt = Index::build(articles);
                &rebuilt
            }
        };
        let records = articles.iter().map(|a| (a.id.as_str(), a.date.as_deref())).collect();
        let newest = self.dates().newest_first.iter().take(NEWEST).map(|d| d.0).collect();
        let mut each = articles.iter().cloned();
        let corpus = Cut {
            index: split_index(index, options, catalog)?,
            list,
            mentions: &|docs| mentions[docs].to_vec(),
            records,
            newest,
            kind_ends: parts.kind_ends,
            articles: &mut || each.next(),
        };
        cut(corpus, options, catalog, emit)
    }

    /// The corpus and its index encoded as a (whole) pack: the split pack's entry and pieces in one
    /// file, one piece of each part but the articles ([`PackDecoder`](super::PackDecoder) reads it).
    /// Empty when the engine does not hold the whole corpus.
    pub fn to_pack(&self) -> Vec<u8> {
        self.pack_with(STEP_BYTES)
    }

    /// [`Engine::to_pack`] with articles in batches of `batch_bytes`.
    pub(crate) fn pack_with(&self, batch_bytes: usize) -> Vec<u8> {
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        let mut keep = |at: usize, _: PieceKind, payload: Vec<u8>| {
            if pieces.len() <= at {
                pieces.resize(at + 1, Vec::new());
            }
            pieces[at] = payload;
            Some([0; 8])
        };
        let Some(entry) = self.cut(&SplitOptions { batch_bytes, ..WHOLE }, false, &mut keep) else {
            return Vec::new();
        };
        let mut payload = Vec::new();
        let mut part = |bytes: &[u8]| {
            let mut len = [0u8; 10];
            if let Ok(used) = postcard::to_slice(&(bytes.len() as u64), &mut len) {
                payload.extend_from_slice(used);
            }
            payload.extend_from_slice(bytes);
        };
        part(&erased::Encode::encode(&entry));
        for bytes in &pieces {
            part(bytes);
        }
        super::FORMAT.wrap(&payload)
    }

    /// This engine's corpus as a split pack, cut as `options` say, all in memory; `None` unless the
    /// engine holds the whole corpus.
    #[cfg(feature = "ingest")]
    pub fn to_split(&self, options: &SplitOptions) -> Option<SplitPack> {
        let mut pieces: Vec<(String, Vec<u8>)> = Vec::new();
        let entry = self
            .write_split(options, &mut |at, name, file| {
                if pieces.len() <= at {
                    pieces.resize(at + 1, Default::default());
                }
                pieces[at] = (name.to_string(), file.to_vec());
                Ok(())
            })
            .ok()?;
        Some(SplitPack { entry, pieces })
    }

    /// This engine's corpus as a split pack, cut as `options` say: each piece's file is handed to
    /// `write` (its number, name and bytes) as soon as it is made, so that a large corpus's pieces
    /// are not all held at once; returns the entry file's bytes. Fails with what `write` said, or
    /// when the engine does not hold the whole corpus.
    #[cfg(feature = "ingest")]
    pub fn write_split(
        &self,
        options: &SplitOptions,
        write: &mut PieceWriter<'_>,
    ) -> Result<Vec<u8>, String> {
        write_pieces(write, |emit| self.cut(options, true, emit))
    }
}

/// Runs `cut` with an emitter that compresses each piece, names it by its hash and hands it to
/// `write`; the entry file's bytes, or what `write` said, or that the corpus was not all at hand.
#[cfg(feature = "ingest")]
fn write_pieces(
    write: &mut PieceWriter<'_>,
    cut: impl FnOnce(&mut Emit<'_>) -> Option<Entry>,
) -> Result<Vec<u8>, String> {
    use sha2::Digest;
    let mut failed = None;
    let mut emit = |at: usize, kind: PieceKind, payload: Vec<u8>| {
        let file = gzip(&PIECE.wrap(&payload));
        let mut hash = [0u8; 8];
        hash.copy_from_slice(&sha2::Sha256::digest(&file)[..8]);
        match write(at, &piece_name(kind, &hash), &file) {
            Ok(()) => Some(hash),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    };
    match cut(&mut emit) {
        Some(entry) => Ok(ENTRY.wrap(&erased::Encode::encode(&entry))),
        None => Err(failed.unwrap_or_else(|| "the corpus is not all at hand".into())),
    }
}

/// A split pack made without holding the corpus: each article is added as it is read (its words
/// indexed, its entity mentions noted, its id and date kept, its text dropped), then
/// [`SplitPacker::write`] reads the articles again, in the same order, to write their batches.
/// What it holds grows with the index and the mentions, not with the text. The pack is the one
/// [`Engine::write_split`] writes for the same articles and mentions.
#[cfg(feature = "ingest")]
#[derive(Default)]
pub struct SplitPacker {
    index: crate::IndexBuilder,
    entities: crate::ner::Resolver,
    /// Each article's id and date (empty: none), in a row: a few bytes each, not a string each.
    ids: Texts,
    dates: Texts,
    /// A curator's corrections to the entities, applied when they are made.
    corrections: crate::Corrections,
}

/// Strings in one buffer, with where each ends.
#[cfg(feature = "ingest")]
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

#[cfg(feature = "ingest")]
impl Texts {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[cfg(feature = "ingest")]
impl SplitPacker {
    /// An empty packer.
    pub fn new() -> SplitPacker {
        SplitPacker::default()
    }

    /// Adds the next article, with the mentions a tagger found in its body.
    pub fn add(&mut self, article: &Article, mentions: &[crate::Mention]) {
        self.index.add(article);
        self.entities.add(&article.body, mentions);
        self.ids.push(&article.id);
        self.dates.push(article.date.as_deref().unwrap_or_default());
    }

    /// Applies a curator's `corrections` to the entities when the pack is written (see
    /// [`crate::Corrections`]); [`SplitPacker::write`] returns what they could not do.
    pub fn correct(&mut self, corrections: crate::Corrections) {
        self.corrections = corrections;
    }

    /// Articles added.
    pub fn article_count(&self) -> usize {
        self.ids.len()
    }

    /// Writes the split pack as `options` say: the index and entities are made, their pieces
    /// handed to `write`, then `articles` is asked for the articles again, one at a time in the
    /// order they were added (`None` after the last), and their batches handed on. Returns the
    /// entry file's bytes, the number of terms and what the corrections could not do. Fails with
    /// what `articles` or `write` said, or when `articles` gives other articles (another id) or
    /// fewer than were added.
    pub fn write(
        self,
        options: &SplitOptions,
        articles: &mut dyn FnMut() -> Option<Result<Article, String>>,
        write: &mut PieceWriter<'_>,
    ) -> Result<(Vec<u8>, usize, Vec<crate::CorrectionNote>), String> {
        let SplitPacker { index, entities, ids, dates, corrections } = self;
        if ids.is_empty() {
            return Err("no articles to pack".into());
        }
        let index = index.build();
        let terms = index.term_count();
        // The index is held once more as pieces: cut before the mentions are made.
        let split = split_index(&index, options, true).ok_or("the index could not be cut")?;
        drop(index);
        let (list, mentions, notes) =
            entities.finish_corrected(&|d: usize| ids.get(d).map(str::to_string), &corrections);
        let dated: Vec<Option<&str>> = dates.iter().map(|d| Some(d).filter(|d| !d.is_empty())).collect();
        let newest = crate::DateOrder::new(&dated).newest_first.iter().take(NEWEST).map(|d| d.0).collect();
        let records = ids.iter().zip(dated).collect();
        let mut failed = None;
        let mut given = 0usize;
        let mut next = || {
            let article = match articles() {
                Some(Ok(article)) => article,
                Some(Err(e)) => {
                    failed = Some(e);
                    return None;
                }
                None => {
                    failed = Some(format!(
                        "the articles ended at {given} of {}: did the files change while they were packed?",
                        ids.len()
                    ));
                    return None;
                }
            };
            match ids.get(given) {
                Some(id) if id == article.id => {
                    given += 1;
                    Some(article)
                }
                _ => {
                    failed = Some(format!(
                        "article {} read again is {:?}, not {:?}: did the files change while they were packed?",
                        given + 1,
                        article.id,
                        ids.get(given).unwrap_or_default()
                    ));
                    None
                }
            }
        };
        let corpus = Cut {
            index: split,
            list: list.iter().collect(),
            mentions: &|docs| mentions.of(docs),
            records,
            newest,
            kind_ends: crate::engine::kind_ends(&list),
            articles: &mut next,
        };
        let written = write_pieces(write, |emit| cut(corpus, options, true, emit));
        match (written, failed) {
            // Read again, the files must end where they did.
            (Ok(entry), _) => match articles() {
                None => Ok((entry, terms, notes)),
                Some(Err(e)) => Err(e),
                Some(Ok(more)) => Err(format!(
                    "read again, the files hold more than the {} articles first read ({:?} follows them): did they change while they were packed?",
                    ids.len(),
                    more.id
                )),
            },
            (Err(_), Some(read)) => Err(read),
            (Err(e), None) => Err(e),
        }
    }
}

/// `index` cut as `options` say for `cut` (`catalog`: a split pack's, with the postings' terms).
fn split_index(index: &Index, options: &SplitOptions, catalog: bool) -> Option<SplitIndex> {
    let range_docs = options.range_docs.min(index.docs().max(1) as u32);
    index.split(options.dict_terms, options.post_bytes, range_docs, catalog, options.keyed_chunks)
}

/// What [`cut`] cuts: a corpus's index, entities and records, with its articles in order (which a
/// streaming packer reads again from its files, so that they are never all held).
struct Cut<'a> {
    /// The index, cut ([`split_index`]).
    index: SplitIndex,
    list: Vec<&'a Entity>,
    /// The mentions of a range of articles, each article's with the entities' numbers in `list`.
    mentions: &'a dyn Fn(std::ops::Range<usize>) -> Vec<Vec<crate::EntityMention>>,
    /// Each article's id and date.
    records: Vec<(&'a str, Option<&'a str>)>,
    /// The newest articles, newest first (at most [`NEWEST`]).
    newest: Vec<u32>,
    kind_ends: [u32; 3],
    /// The next article (`None`: no more, or it could not be had).
    articles: &'a mut dyn FnMut() -> Option<Article>,
}

/// The corpus cut as `options` say, each piece handed to `emit` as it is made (its number, kind
/// and payload), which answers the hash it is named by (`None` stops the cut). The article batches
/// of a range come before the range's lengths piece, whose shelf holds their hashes, and after
/// every other piece: the articles are read once, in order, at the end. Returns the entry, with the
/// hashes of a split pack (`catalog`); `None` when an article was missing.
fn cut(corpus: Cut<'_>, options: &SplitOptions, catalog: bool, emit: &mut Emit<'_>) -> Option<Entry> {
    let Cut { index: mut split, list, mentions, records, newest, kind_ends, articles } = corpus;
    let docs = records.len();
    let range = split.head.range_docs as usize;
    let encode = |value: &dyn erased::Encode| value.encode();
    let entity_chunk = options.entity_chunk.clamp(1, list.len().max(1));
    // A split pack looks names up in an index of buckets of about four chunks' names each.
    let buckets = if catalog && !list.is_empty() {
        let names: usize = list.iter().map(|e| 1 + e.aliases.len()).sum();
        NameBucket::index(&list, names.div_ceil(4 * entity_chunk))
    } else {
        Vec::new()
    };
    let (d, p, l, f) = (split.dict.len(), split.post.len(), split.lens.len(), split.fam.len());
    let table = split.table();
    let chunks = list.len().div_ceil(entity_chunk);
    let first_batch = layout([d + p + l + f, chunks, buckets.len(), l, if catalog { l } else { 0 }, 0])[5];
    let mut hashes = vec![[0u8; 8]; first_batch];
    let mut at = 0;
    // Piece `at` handed on, its hash noted; `at` moves on.
    let put =
        |emit: &mut Emit<'_>, at: &mut usize, kind: PieceKind, payload: Vec<u8>, hashes: &mut [[u8; 8]]| {
            hashes[*at] = emit(*at, kind, payload)?;
            *at += 1;
            Some(())
        };
    // The index's chunks, each let go once handed on; the postings first, for the dictionary
    // chunks that name them (by their files' hashes) when the entry does not.
    let mut post_at = d;
    for c in std::mem::take(&mut split.post) {
        put(emit, &mut post_at, PieceKind::Postings, encode(&c), &mut hashes)?;
    }
    let named = split.named_posts;
    for mut c in std::mem::take(&mut split.dict) {
        if named {
            c.name_posts(&hashes[d..d + p]);
        }
        put(emit, &mut at, PieceKind::Dictionary, encode(&c), &mut hashes)?;
    }
    at = post_at;
    // (The lengths pieces come last, with their ranges' batches.)
    at += l;
    for c in std::mem::take(&mut split.fam) {
        put(emit, &mut at, PieceKind::Families, encode(&c), &mut hashes)?;
    }
    for chunk in list.chunks(entity_chunk) {
        put(emit, &mut at, PieceKind::Entities, encode(&chunk), &mut hashes)?;
    }
    for bucket in &buckets {
        put(emit, &mut at, PieceKind::Names, encode(bucket), &mut hashes)?;
    }
    for start in (0..docs).step_by(range) {
        let ms = mentions(start..(start + range).min(docs));
        put(emit, &mut at, PieceKind::Facets, encode(&FacetColumns::new(&ms)), &mut hashes)?;
    }
    if catalog {
        for r in records.chunks(range) {
            let catalog = Catalog {
                ids: r.iter().map(|(id, _)| id.to_string()).collect(),
                dates: r.iter().map(|(_, date)| date.map(str::to_string)).collect(),
            };
            put(emit, &mut at, PieceKind::Catalog, encode(&catalog), &mut hashes)?;
        }
    }
    // Article batches of about `batch_bytes`, cut within ranges; then each range's lengths with
    // its shelf.
    let mut range_batches = Vec::new();
    let mut batch = first_batch;
    for (r, lens) in split.lens.iter().enumerate() {
        let start = r * range;
        let end = (start + range).min(docs);
        let mut shelf = Shelf { first: vec![0u32], hashes: Vec::new() };
        let ms = mentions(start..end);
        // The batch being filled: its articles, their bytes, its first article.
        let (mut pending, mut bytes, mut from) = (Vec::new(), 0, start);
        for doc in start..=end {
            let next = if doc < end { Some(articles()?) } else { None };
            let size = next.as_ref().map_or(0, |a| a.body.len() + a.title.len());
            if !pending.is_empty() && (next.is_none() || bytes + size > options.batch_bytes) {
                // A split pack's batch names its articles' entities (the results list shows them).
                let of = &ms[from - start..doc - start];
                let names = if catalog { Batch::names_of(of, &list) } else { Vec::new() };
                let payload = encode(&(&pending, MentionColumns::new(of), names));
                let hash = emit(batch, PieceKind::Articles, payload)?;
                if catalog {
                    shelf.hashes.extend_from_slice(&hash);
                }
                batch += 1;
                shelf.first.push((doc - start) as u32);
                (pending, bytes, from) = (Vec::new(), 0, doc);
            }
            if let Some(article) = next {
                bytes += size;
                pending.push(article);
            }
        }
        range_batches.push((shelf.first.len() - 1) as u32);
        let mut at = d + p + r;
        put(emit, &mut at, PieceKind::Lengths, encode(&(lens, shelf)), &mut hashes)?;
    }
    let (tables, hashes) = if catalog {
        let (mut tables, mut others) = (Vec::new(), Vec::new());
        for (i, hash) in hashes.iter().enumerate() {
            match named_in(i, (d, p, l), named) {
                Named::Tables(kind) => {
                    tables.push(kind.letter() as u8);
                    tables.extend_from_slice(hash);
                }
                Named::Hashes => others.extend_from_slice(hash),
                Named::Dictionary => {}
            }
        }
        (tables, others)
    } else {
        (Vec::new(), Vec::new())
    };
    Some(Entry {
        tables,
        table,
        range_batches,
        entities: list.len() as u32,
        entity_chunk: entity_chunk as u32,
        kind_ends,
        name_buckets: buckets.len() as u32,
        newest,
        catalog,
        hashes,
    })
}

/// What takes each piece file [`Engine::write_split`] makes: its number, name and bytes.
#[cfg(feature = "ingest")]
pub type PieceWriter<'a> = dyn FnMut(usize, &str, &[u8]) -> Result<(), String> + 'a;

/// Where [`Engine::cut`] hands each piece: its number, kind and payload; answers its hash.
type Emit<'a> = dyn FnMut(usize, PieceKind, Vec<u8>) -> Option<[u8; 8]> + 'a;

/// One encoding call for the writer's several payload types.
mod erased {
    pub(super) trait Encode {
        fn encode(&self) -> Vec<u8>;
    }

    impl<T: serde::Serialize> Encode for T {
        fn encode(&self) -> Vec<u8> {
            postcard::to_allocvec(self).unwrap_or_default()
        }
    }
}

#[cfg(all(test, feature = "ingest"))]
mod tests {
    use super::*;

    /// The entry of a split pack whose dictionary chunks name its postings chunks, decoded.
    fn named_entry() -> Entry {
        let text = "kata katanya mengatakan dikatakan berkata perkataan ".repeat(40);
        let articles = (0..6)
            .map(|i| Article {
                id: format!("a{i}"),
                title: format!("Judul {i}"),
                body: format!("{text} kata{i} unik{i}"),
                date: None,
                source: None,
                url: None,
                lang: "id".into(),
            })
            .collect();
        let options = SplitOptions { post_bytes: 16, keyed_chunks: 2, ..SplitOptions::default() };
        let split = Engine::from_articles(articles).to_split(&options).expect("splits");
        let entry: Entry = postcard::from_bytes(ENTRY.open(&split.entry).unwrap()).unwrap();
        assert!(entry.table.names_postings() && entry.table.named_posts > 2, "the dictionary names them");
        entry
    }

    /// An entry that claims more postings chunks named by its dictionary than an archive could have
    /// (it does not list them) is refused before anything is set aside for them.
    #[test]
    fn an_entry_claiming_too_many_named_postings_chunks_is_refused() {
        let encode = |entry: &Entry| ENTRY.wrap(&postcard::to_allocvec(entry).unwrap());
        let mut entry = named_entry();
        assert!(Engine::from_entry(&encode(&entry)).is_ok());
        entry.table.head.terms = u32::MAX;
        *entry.table.dict_first.last_mut().unwrap() = u32::MAX;
        entry.table.named_posts = u32::MAX;
        let Err(refused) = Engine::from_entry(&encode(&entry)) else {
            panic!("an entry claiming 2^32 chunks opened")
        };
        assert!(refused.to_string().contains("the entry's tables do not agree"), "{refused}");
    }
}
