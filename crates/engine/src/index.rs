//! The inverted index: every normalised word (term) with the articles it occurs in and how often, and
//! every root (stem) with the terms that share it. Built once by [`IndexBuilder`], then only read.
//!
//! It keeps no word positions: phrases are checked on the article text, which the engine holds anyway
//! (positions were most of the index, and a pack is downloaded whole).

use std::collections::{HashMap, HashSet};

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};
use serde::{Deserialize, Serialize};

use crate::pieces::{Misses, Slot};
use crate::text::analyze::tokenize;
use crate::text::stem::{english_stem, indonesian_derivations, indonesian_roots, prune_roots, Affix};
use crate::Article;

/// Most unattested root candidates kept per term (see [`crate::text::stem`]).
const MAX_UNATTESTED_ROOTS: usize = 6;

/// A split index with at most this many ranges of lengths gets them all with its first query's
/// dictionary chunks ([`Index::ask_lengths_early`]): 32,768 articles, about 60 kB.
const EARLY_LENGTH_RANGES: usize = 16;

/// A split index with at most this many postings chunks has their first keys in its entry, so that
/// a word's postings are asked for with its dictionary chunk ([`Index::word_id`]): 605 chunks and
/// 4.6 KB for the 14,272 real articles. A larger one's entry would grow with them (100,000 generated
/// articles: 4,991 chunks, 39 KB of keys and 40 KB of names), so it goes without: its dictionary
/// chunks name its postings chunks ([`PostRefs`]), and its words' postings come a round later.
/// (The default of [`crate::SplitOptions::keyed_chunks`].)
pub(crate) const KEYED_POSTINGS_CHUNKS: usize = 2048;

/// At most this many postings chunks in a split index whose dictionary chunks name them (an archive
/// of some 20 million articles): its entry says how many there are without listing them, so a
/// crafted one could otherwise make the reader set aside room for billions.
const MAX_NAMED_POSTINGS_CHUNKS: u32 = 1 << 21;

/// Languages a term occurs in, as bits.
const LANG_ID: u8 = 1;
const LANG_EN: u8 = 2;

/// How often a term occurs in one article's title and body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Posting {
    /// Article number in the corpus.
    pub doc: u32,
    /// Occurrences in the title.
    pub title: u32,
    /// Occurrences in the body.
    pub body: u32,
    /// Where in the title (as the `n`th of its words) it first occurs, when it does.
    pub title_first: u32,
}

/// Collects articles, then builds an [`Index`].
#[derive(Default)]
pub struct IndexBuilder {
    terms: HashMap<String, TermStats>,
    title_lens: Vec<u32>,
    body_lens: Vec<u32>,
    langs: u8,
}

#[derive(Default)]
struct TermStats {
    /// The postings of the articles before the current one, encoded as they will be stored (article
    /// gaps and counts apart, see [`encode_posting`]): a term costs a few bytes per article while the
    /// corpus is read (no allocation per posting).
    gaps: Vec<u8>,
    counts: Vec<u8>,
    /// Articles encoded so far, and the last of them.
    docs: u32,
    last_doc: u32,
    /// The current article's posting, not yet encoded (`title + body == 0`: none).
    current: Posting,
    langs: u8,
    /// Seen starting lower-case somewhere in a body: a common word.
    seen_lower: bool,
    /// Seen capitalised inside a sentence of a body: a name, unless also seen lower-case.
    seen_capital_inside: bool,
}

impl TermStats {
    /// Encodes the current article's posting, if there is one.
    fn flush(&mut self) {
        let p = std::mem::take(&mut self.current);
        if p.title + p.body > 0 {
            // A quarter more room at a time, not double: a corpus of a million articles holds its
            // postings here, and doubling leaves them half empty at worst.
            for (stream, most) in [(&mut self.gaps, 5), (&mut self.counts, 15)] {
                if stream.capacity() - stream.len() < most {
                    stream.reserve_exact(most.max(stream.len() / 4));
                }
            }
            encode_posting(&p, p.doc - self.last_doc, &mut self.gaps, &mut self.counts);
            self.last_doc = p.doc;
            self.docs += 1;
        }
    }
}

fn lang_bits(lang: &str) -> u8 {
    match lang {
        "id" | "ms" | "jv" | "su" => LANG_ID,
        "en" => LANG_EN,
        _ => LANG_ID | LANG_EN,
    }
}

impl IndexBuilder {
    /// Adds the next article; articles are numbered in the order they are added.
    pub fn add(&mut self, article: &Article) {
        let doc = self.title_lens.len() as u32;
        let bits = lang_bits(&article.lang);
        self.langs |= bits;
        let title = tokenize(&article.title);
        let body = tokenize(&article.body);
        self.title_lens.push(title.len() as u32);
        self.body_lens.push(body.len() as u32);
        for (field, tokens) in [(0, title), (1, body)] {
            for token in tokens {
                let stats = match self.terms.get_mut(&token.term) {
                    Some(stats) => stats,
                    None => self.terms.entry(token.term).or_default(),
                };
                stats.langs |= bits;
                if field == 1 {
                    stats.seen_lower |= !token.capitalized;
                    stats.seen_capital_inside |= token.capitalized && !token.sentence_start;
                }
                if stats.current.doc != doc {
                    stats.flush();
                    stats.current.doc = doc;
                }
                if field == 0 {
                    if stats.current.title == 0 {
                        stats.current.title_first = token.pos;
                    }
                    stats.current.title += 1;
                } else {
                    stats.current.body += 1;
                }
            }
        }
    }

    /// Builds the immutable index. Output is deterministic for the same articles in the same order.
    pub fn build(self) -> Index {
        let mut terms: Vec<(String, TermStats)> = self.terms.into_iter().collect();
        for (_, stats) in &mut terms {
            stats.flush();
        }
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let vocabulary: HashSet<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();

        // Roots for common words, never for names: a term is a name when the bodies only ever write it
        // capitalised, at least once inside a sentence (a capital at a sentence start proves nothing).
        let mut term_roots_text: Vec<Vec<String>> = Vec::with_capacity(terms.len());
        for (term, stats) in &terms {
            let mut roots = Vec::new();
            let alphabetic = term.chars().all(char::is_alphabetic);
            let name = !stats.seen_lower && stats.seen_capital_inside;
            if !name && alphabetic {
                if stats.langs & LANG_ID != 0 {
                    let candidates = indonesian_roots(term);
                    roots.extend(prune_roots(candidates, |r| vocabulary.contains(r), MAX_UNATTESTED_ROOTS));
                }
                if stats.langs & LANG_EN != 0 {
                    roots.extend(english_stem(term));
                }
            }
            roots.retain(|r| r != term);
            roots.sort();
            roots.dedup();
            term_roots_text.push(roots);
        }
        let mut root_names: Vec<&str> = term_roots_text.iter().flatten().map(String::as_str).collect();
        root_names.sort_unstable();
        root_names.dedup();
        let root_id: HashMap<&str, u32> =
            root_names.iter().enumerate().map(|(i, r)| (*r, i as u32)).collect();
        let mut root_terms = vec![Vec::new(); root_names.len()];
        for (term_id, roots) in term_roots_text.iter().enumerate() {
            for r in roots {
                if let Some(&r) = root_id.get(r.as_str()) {
                    root_terms[r as usize].push(term_id as u32);
                }
            }
        }

        let term_map = build_map(terms.iter().map(|(t, _)| t.as_str()));
        let mut gaps = Vec::with_capacity(terms.iter().map(|(_, s)| s.gaps.len()).sum());
        let mut counts = Vec::with_capacity(terms.iter().map(|(_, s)| s.counts.len()).sum());
        let mut doc_freq = Vec::with_capacity(terms.len());
        for (_, stats) in terms {
            doc_freq.push(stats.docs);
            gaps.extend_from_slice(&stats.gaps);
            counts.extend_from_slice(&stats.counts);
        }

        let root_map = build_map(root_names.iter().copied());
        let n_docs = self.title_lens.len();
        let docs = n_docs.max(1) as f32;
        let head = IndexHead {
            docs: n_docs as u32,
            terms: doc_freq.len() as u32,
            avg_title: self.title_lens.iter().sum::<u32>() as f32 / docs,
            avg_body: self.body_lens.iter().sum::<u32>() as f32 / docs,
            langs: self.langs,
            range_docs: n_docs.max(1) as u32,
        };
        let mut post = PostChunk {
            doc_freq: doc_freq.clone(),
            gaps,
            counts,
            keys: Vec::new(),
            gap_offsets: Vec::new(),
            count_offsets: Vec::new(),
            key_restarts: Vec::new(),
        };
        // The offsets are found as a pack's reader finds them: one way to lay out the streams.
        let found = post.find_offsets();
        debug_assert!(found, "the builder's streams hold doc_freq postings per term");
        let dict = DictChunk {
            terms: term_map,
            doc_freq,
            roots: root_map,
            root_terms: Lists::new(&root_terms),
            tails: build_map(std::iter::empty()),
            tail_terms: Lists::new(&[]),
            posts: PostRefs::default(),
        };
        let lens = Lengths { title: self.title_lens, body: self.body_lens };
        Index::whole(head, dict, post, lens)
    }
}

/// The candidate roots a query looks a word up by besides the word itself, in a corpus of `langs`
/// (what [`crate::search`] asks [`Index::root`] for).
pub(crate) fn candidate_roots(word: &str, langs: u8) -> Vec<String> {
    let mut roots = Vec::new();
    if word.chars().all(char::is_alphabetic) {
        if langs & LANG_ID != 0 {
            roots.extend(indonesian_roots(word));
        }
        if langs & LANG_EN != 0 {
            roots.extend(english_stem(word));
        }
    }
    roots
}

/// [`candidate_roots`] with how each was found: by the Indonesian rules, with the affixes removed
/// (`Some`), or as the English (Porter2) stem (`None`). The same roots in the same order (a test
/// says so).
pub(crate) fn candidate_derivations(word: &str, langs: u8) -> Vec<(String, Option<Vec<Affix>>)> {
    let mut roots = Vec::new();
    if word.chars().all(char::is_alphabetic) {
        if langs & LANG_ID != 0 {
            roots.extend(
                indonesian_derivations(word).into_iter().map(|(root, affixes)| (root, Some(affixes))),
            );
        }
        if langs & LANG_EN != 0 {
            roots.extend(english_stem(word).map(|stem| (stem, None)));
        }
    }
    roots
}

/// The families of the roots of a whole index's `dict` (each root's own term and the terms whose
/// roots include it, with their postings from `post`; `keys`: every term's text), in chunks of about
/// `post_bytes` of postings and texts (a larger family has a chunk of its own), with the first root
/// of each chunk (the first: empty). Every term that is a candidate root of a term in a corpus of
/// `langs` ([`candidate_roots`]; names' too, which get no roots) has a family, if only of itself:
/// a query of a word of the corpus finds all its candidates' terms in the family chunks, and needs
/// no dictionary chunk to learn that a candidate is no term. None when there would be more than
/// `keyed` chunks ([`KEYED_POSTINGS_CHUNKS`] by default). (Only a packer writes a split pack: the
/// app's wasm does without.)
#[cfg(feature = "ingest")]
fn families(
    dict: &DictChunk,
    post: &PostChunk,
    keys: &[Vec<u8>],
    langs: u8,
    post_bytes: usize,
    keyed: usize,
) -> (Vec<String>, Vec<FamData>) {
    let (g, c) = (&post.gap_offsets, &post.count_offsets);
    let size = |t: u32| {
        let t = t as usize;
        (g[t + 1] - g[t] + c[t + 1] - c[t]) as usize + keys[t].len()
    };
    // The roots of the chunk being filled: key, own term + 1 (0: none), the terms that have it.
    type Members = (Vec<u8>, u32, Vec<u32>);
    let chunk = |families: &[Members]| {
        let mut terms: Vec<u32> = families
            .iter()
            .flat_map(|(_, own, list)| own.checked_sub(1).into_iter().chain(list.iter().copied()))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        let (mut gaps, mut counts) = (Vec::new(), Vec::new());
        for &t in &terms {
            let t = t as usize;
            gaps.extend_from_slice(&post.gaps[g[t] as usize..g[t + 1] as usize]);
            counts.extend_from_slice(&post.counts[c[t] as usize..c[t + 1] as usize]);
        }
        FamData {
            roots: build_map(families.iter().map(|f| std::str::from_utf8(&f.0).unwrap_or_default()))
                .as_fst()
                .as_bytes()
                .to_vec(),
            root_term: families.iter().map(|f| f.1).collect(),
            root_terms: Lists::new(&families.iter().map(|f| f.2.clone()).collect::<Vec<_>>()),
            post: PostChunk {
                doc_freq: terms.iter().map(|&t| post.doc_freq[t as usize]).collect(),
                gaps,
                counts,
                keys: TermKeys::encode(terms.iter().map(|&t| keys[t as usize].as_slice())),
                gap_offsets: Vec::new(),
                count_offsets: Vec::new(),
                key_restarts: Vec::new(),
            },
            terms,
        }
    };
    // The roots, and the other terms that are some term's candidate root, in key order.
    let mut all: std::collections::BTreeMap<Vec<u8>, Vec<u32>> = std::collections::BTreeMap::new();
    let mut roots = dict.roots.stream();
    while let Some((root, r)) = roots.next() {
        all.insert(root.to_vec(), dict.root_terms.get(r as usize).to_vec());
    }
    for key in keys {
        for root in candidate_roots(std::str::from_utf8(key).unwrap_or_default(), langs) {
            if dict.terms.contains_key(&root) && !all.contains_key(root.as_bytes()) {
                all.insert(root.into_bytes(), Vec::new());
            }
        }
    }
    // Where each chunk starts, worked out first: a pack that would have too many has none, and
    // never holds a copy of its postings for them.
    let all: Vec<Members> = all
        .into_iter()
        .map(|(root, list)| {
            let own = dict.terms.get(&root).map_or(0, |t| t as u32 + 1);
            (root, own, list)
        })
        .collect();
    let (mut starts, mut bytes) = (Vec::new(), 0);
    for (i, (_, own, list)) in all.iter().enumerate() {
        let more: usize = list.iter().chain(own.checked_sub(1).as_ref()).map(|&t| size(t)).sum();
        if starts.is_empty() || bytes + more > post_bytes {
            starts.push(i);
            bytes = 0;
        }
        bytes += more;
    }
    if starts.len() > keyed {
        return (Vec::new(), Vec::new());
    }
    starts.push(all.len());
    let firsts = starts[..starts.len() - 1]
        .iter()
        .map(|&i| if i == 0 { String::new() } else { String::from_utf8_lossy(&all[i].0).into_owned() })
        .collect();
    (firsts, starts.windows(2).map(|w| chunk(&all[w[0]..w[1]])).collect())
}

/// What a split index's family chunk says of a root (`Index::family`).
enum Family<'a> {
    /// The chunk is still to come.
    Waiting,
    /// No term of the corpus has this root (it may be a term itself: the dictionary says).
    NoRoot,
    /// The term that is the root itself, if the corpus has it, and the terms whose roots include it
    /// (as [`Index::terms_with_root`]); their postings come with them.
    Root(Option<u32>, &'a [u32]),
}

/// An fst map from sorted keys to their rank.
fn build_map<'a>(keys: impl Iterator<Item = &'a str>) -> Map<Vec<u8>> {
    let mut builder = MapBuilder::memory();
    for (i, key) in keys.enumerate() {
        // Keys come sorted and unique, which is all the builder asks.
        builder.insert(key, i as u64).expect("keys are sorted and unique");
    }
    builder.into_map()
}

/// The searchable index of a corpus, in parts: the dictionary in chunks by term (each with the terms
/// of a range of keys, their numbers of articles and the roots of that range), the postings in chunks
/// by term number, the articles' lengths in ranges of articles. An index built here, or read from a
/// whole pack, has one chunk of each, all at hand; one opened from a split pack's entry has the
/// table of the chunks and gets each when its piece arrives ([`crate::pieces`]).
#[derive(Clone)]
pub struct Index {
    head: IndexHead,
    /// The first key of each dictionary chunk (the first: empty).
    dict_keys: Vec<String>,
    /// The first term number of each dictionary chunk, then the number of terms.
    dict_first: Vec<u32>,
    dict: Vec<Slot<DictChunk>>,
    /// The first term number of each postings chunk, then the number of terms; empty when the
    /// dictionary chunks name the postings chunks ([`PostRefs`]).
    post_first: Vec<u32>,
    /// The first key of each postings chunk (the first: empty) in a split index of at most
    /// [`KEYED_POSTINGS_CHUNKS`] (empty in others, and in a whole one): a word's postings are asked
    /// for with its dictionary chunk, in the same round.
    post_keys: Vec<String>,
    post: Vec<Slot<PostChunk>>,
    /// The lengths of articles `[r × range_docs, (r + 1) × range_docs)`.
    lens: Vec<Slot<Lengths>>,
    /// The first root of each family chunk (the first: empty) in a split index of at most
    /// [`KEYED_POSTINGS_CHUNKS`] of them (none in others, and in a whole one).
    fam_keys: Vec<String>,
    /// Families of roots: each root's terms with their postings, so that a query's stems come in
    /// the round of its words ([`Index::root`]).
    fam: Vec<Slot<FamChunk>>,
    pub(crate) misses: Misses,
}

/// What an index says of itself, whole or split.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct IndexHead {
    pub(crate) docs: u32,
    pub(crate) terms: u32,
    avg_title: f32,
    avg_body: f32,
    langs: u8,
    /// Articles per range of lengths (and, in a split pack, of entity mentions and ids).
    pub(crate) range_docs: u32,
}

/// A range of the dictionary: its terms (numbered from the chunk's first), how many articles have
/// each, and the roots whose keys fall in the range with the terms (numbered in the whole index)
/// that have them.
#[derive(Clone)]
pub(crate) struct DictChunk {
    terms: Map<Vec<u8>>,
    doc_freq: Vec<u32>,
    roots: Map<Vec<u8>>,
    root_terms: Lists,
    /// A split pack's chunk: the tails (all but the first character) of the terms whose tails fall
    /// in its range, with the terms that have each. A word with a typo in its first letter is found
    /// by its tail ([`Index::terms_within`]), not by walking every chunk. Empty in a whole pack.
    tails: Map<Vec<u8>>,
    tail_terms: Lists,
    /// In an index whose entry does not name its postings chunks, those of the terms it names.
    posts: PostRefs,
}

/// A dictionary chunk as stored.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DictData {
    #[serde(with = "bytes")]
    terms: Vec<u8>,
    doc_freq: Vec<u32>,
    #[serde(with = "bytes")]
    roots: Vec<u8>,
    root_terms: Lists,
    #[serde(with = "bytes")]
    tails: Vec<u8>,
    tail_terms: Lists,
    posts: PostRefs,
}

/// The postings chunks that hold the terms a dictionary chunk names (its own and its roots'; not
/// its tails'), in a split index of more than [`KEYED_POSTINGS_CHUNKS`] of them, whose entry does not
/// name them: each chunk's number, first and end term numbers, and the content hash its file is
/// named by (8 bytes). The entry of 1,000,000 articles would otherwise name some 15,000 postings
/// chunks, most of its size. Empty in other indexes.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct PostRefs {
    /// Ascending; so are the chunks' term ranges.
    chunks: Vec<u32>,
    first: Vec<u32>,
    end: Vec<u32>,
    #[serde(with = "bytes")]
    hashes: Vec<u8>,
}

impl PostRefs {
    /// The postings chunks `chunks` of the index whose chunks start at `post_first` (with the
    /// number of terms last), unnamed yet (the hashes are filled in as the chunks are written).
    fn new(chunks: impl IntoIterator<Item = usize>, post_first: &[u32]) -> PostRefs {
        let chunks: Vec<u32> = chunks.into_iter().map(|c| c as u32).collect();
        PostRefs {
            first: chunks.iter().map(|&c| post_first[c as usize]).collect(),
            end: chunks.iter().map(|&c| post_first[c as usize + 1]).collect(),
            hashes: vec![0; 8 * chunks.len()],
            chunks,
        }
    }

    /// The chunk that holds term `term`, if named here: its number, first and end term numbers.
    fn find(&self, term: u32) -> Option<(usize, u32, u32)> {
        let i = self.first.partition_point(|&f| f <= term).checked_sub(1)?;
        (term < self.end[i]).then(|| (self.chunks[i] as usize, self.first[i], self.end[i]))
    }

    /// Chunk `chunk`'s first and end term numbers and its hash, if named here.
    fn get(&self, chunk: usize) -> Option<(u32, u32, &[u8])> {
        let i = self.chunks.binary_search(&(chunk as u32)).ok()?;
        Some((self.first[i], self.end[i], self.hashes.get(8 * i..8 * i + 8)?))
    }

    /// Whether they are chunks of an index of `chunks` postings chunks and `terms` terms, each
    /// with a name, and those over terms `[from, to)` follow each other without a gap.
    fn is_valid(&self, chunks: usize, terms: u32, (from, to): (u32, u32)) -> bool {
        let n = self.chunks.len();
        let listed = self.first.len() == n
            && self.end.len() == n
            && self.hashes.len() == 8 * n
            && self.chunks.windows(2).all(|w| w[0] < w[1])
            && self.chunks.last().is_none_or(|&c| (c as usize) < chunks)
            && (0..n).all(|i| self.first[i] < self.end[i] && self.end[i] <= terms)
            && (1..n).all(|i| self.end[i - 1] <= self.first[i]);
        // Every term of the range is in one of them (they are in order and do not overlap).
        let mut at = from;
        for i in 0..n {
            if self.first[i] <= at && at < self.end[i] {
                at = self.end[i];
            }
        }
        let covered = at >= to;
        listed && covered
    }
}

/// The postings of a range of terms (by number), as built and as stored.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PostChunk {
    /// Postings per term of the range.
    doc_freq: Vec<u32>,
    /// The terms' postings, term after term: the article numbers (as gaps) in one stream, the counts
    /// in another ([`encode_posting`]). Apart, each compresses better (a third smaller together).
    #[serde(with = "bytes")]
    gaps: Vec<u8>,
    #[serde(with = "bytes")]
    counts: Vec<u8>,
    /// A split pack's chunk names its terms ([`TermKeys`]): a query reads the texts of the terms it
    /// matches (to mark them in the articles) from the chunks it reads for their postings anyway,
    /// not from the dictionary chunks of every stem variant. Empty in a whole pack.
    #[serde(with = "bytes")]
    keys: Vec<u8>,
    /// Where each term's part of `gaps` and of `counts` starts (and, last, the end). Not stored: read
    /// off the streams and `doc_freq` when a chunk is opened ([`PostChunk::find_offsets`]).
    #[serde(skip)]
    gap_offsets: Vec<u32>,
    #[serde(skip)]
    count_offsets: Vec<u32>,
    /// Where every [`KEY_RESTART`]th key starts in `keys`.
    #[serde(skip)]
    key_restarts: Vec<u32>,
}

/// A run of keys in order, each written as the length of the prefix it shares with the one before,
/// the length of the rest and the rest; every [`KEY_RESTART`]th shares nothing, so a key is read
/// from the restart before it.
struct TermKeys;

/// Keys between restarts of [`TermKeys`].
const KEY_RESTART: usize = 16;

impl TermKeys {
    fn encode<'a>(keys: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut last: &[u8] = &[];
        for (i, key) in keys.enumerate() {
            let shared = if i % KEY_RESTART == 0 {
                0
            } else {
                last.iter().zip(key).take_while(|(a, b)| a == b).count()
            };
            push_varint(shared as u32, &mut out);
            push_varint((key.len() - shared) as u32, &mut out);
            out.extend_from_slice(&key[shared..]);
            last = key;
        }
        out
    }

    /// Reads the key at `at` and what follows it, from `prev` (the key before, or empty at a restart);
    /// `None` when the bytes end too soon or share more than there is.
    fn next(bytes: &[u8], at: &mut usize, prev: &mut Vec<u8>) -> Option<()> {
        let shared = read_varint(bytes, at) as usize;
        let rest = read_varint(bytes, at) as usize;
        let end = at.checked_add(rest).filter(|&e| e <= bytes.len())?;
        if shared > prev.len() {
            return None;
        }
        prev.truncate(shared);
        prev.extend_from_slice(&bytes[*at..end]);
        *at = end;
        Some(())
    }

    /// Where each restart starts, if `bytes` hold exactly `n` keys.
    fn restarts(bytes: &[u8], n: usize) -> Option<Vec<u32>> {
        let (mut at, mut key, mut restarts) = (0, Vec::new(), Vec::new());
        for i in 0..n {
            if i % KEY_RESTART == 0 {
                restarts.push(at as u32);
                key.clear();
            }
            TermKeys::next(bytes, &mut at, &mut key)?;
        }
        (at == bytes.len()).then_some(restarts)
    }
}

/// Title and body lengths (in words) of a range of articles.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Lengths {
    title: Vec<u32>,
    body: Vec<u32>,
}

/// Lists of ids, one after another (`items[offsets[i]..offsets[i + 1]]` is list `i`): one allocation
/// to decode instead of one per list.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Lists {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    fn new(lists: &[Vec<u32>]) -> Lists {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        offsets.push(0);
        let mut items = Vec::new();
        for list in lists {
            items.extend_from_slice(list);
            offsets.push(items.len() as u32);
        }
        Lists { offsets, items }
    }

    /// `n` lists, in order, ending where the items do.
    fn is_valid(&self, n: usize) -> bool {
        self.offsets.len() == n + 1
            && self.offsets.first() == Some(&0)
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self.offsets.last().is_some_and(|&end| end as usize == self.items.len())
    }

    fn get(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&start), Some(&end)) => self.items.get(start as usize..end as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("terms", &self.head.terms).field("chunks", &self.dict.len()).finish()
    }
}

/// `Vec<u8>` fields read as one borrowed slice and copied once, instead of byte by byte (postcard
/// writes bytes and a sequence of `u8` alike: the length, then the bytes).
pub(crate) mod bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        <&'de [u8]>::deserialize(deserializer).map(<[u8]>::to_vec)
    }
}

/// Every value of an fst map is below `n` (a crafted pack could say otherwise).
fn ids_below(map: &Map<Vec<u8>>, n: usize) -> bool {
    let mut stream = map.stream();
    let mut ok = true;
    while let Some((_, v)) = stream.next() {
        ok &= (v as usize) < n;
    }
    ok
}

impl DictData {
    /// Names the postings chunks it refers to ([`PostRefs`]) by the hashes of their files (every
    /// postings chunk's, in order).
    pub(crate) fn name_posts(&mut self, hashes: &[[u8; 8]]) {
        let posts = &mut self.posts;
        posts.hashes =
            posts.chunks.iter().flat_map(|&c| hashes.get(c as usize).copied().unwrap_or_default()).collect();
    }

    /// The chunk of terms `[first, first + n)` (of `total`), checked; `named` postings chunks when
    /// the dictionary names them ([`PostRefs`]), else `None`.
    pub(crate) fn open(
        self,
        (first, n): (u32, u32),
        total: u32,
        named: Option<usize>,
    ) -> Result<DictChunk, String> {
        let DictData { terms, doc_freq, roots, root_terms, tails, tail_terms, posts } = self;
        let terms = Map::new(terms).map_err(|e| format!("term dictionary: {e}"))?;
        let roots = Map::new(roots).map_err(|e| format!("root dictionary: {e}"))?;
        let tails = Map::new(tails).map_err(|e| format!("tail dictionary: {e}"))?;
        let posts_valid = match named {
            Some(chunks) => posts.is_valid(chunks, total, (first, first + n)),
            None => posts.chunks.is_empty(),
        };
        let consistent = terms.len() == n as usize
            && doc_freq.len() == n as usize
            && root_terms.is_valid(roots.len())
            && root_terms.items.iter().all(|&t| t < total)
            && ids_below(&terms, n as usize)
            && ids_below(&roots, roots.len())
            && tail_terms.is_valid(tails.len())
            && tail_terms.items.iter().all(|&t| t < total)
            && ids_below(&tails, tails.len())
            && posts_valid;
        if !consistent {
            return Err("index parts do not agree with each other".into());
        }
        Ok(DictChunk { terms, doc_freq, roots, root_terms, tails, tail_terms, posts })
    }
}

impl PostChunk {
    /// The chunk of `n` terms over `docs` articles, checked.
    pub(crate) fn open(mut self, n: u32) -> Result<PostChunk, String> {
        if self.doc_freq.len() != n as usize || !self.find_offsets() {
            return Err("index parts do not agree with each other".into());
        }
        if !self.keys.is_empty() {
            self.key_restarts = TermKeys::restarts(&self.keys, n as usize)
                .ok_or("the terms of a postings chunk do not agree with it")?;
        }
        Ok(self)
    }

    /// The text of the chunk's `t`th term, if the chunk names its terms.
    fn key(&self, t: usize) -> Option<String> {
        let start = *self.key_restarts.get(t / KEY_RESTART)? as usize;
        let (mut at, mut key) = (start, Vec::new());
        for _ in 0..=t % KEY_RESTART {
            TermKeys::next(&self.keys, &mut at, &mut key)?;
        }
        String::from_utf8(key).ok()
    }
}

impl Lengths {
    /// The lengths of `n` articles, checked.
    pub(crate) fn open(self, n: u32) -> Result<Lengths, String> {
        if self.title.len() != n as usize || self.body.len() != n as usize {
            return Err("index parts do not agree with each other".into());
        }
        Ok(self)
    }
}

/// The families of a range of roots (by key), as stored: each root with the term that is the root
/// itself and the terms whose roots include it, and the postings of all those terms. A split
/// pack's query reads a word's candidate roots' families in the round of its dictionary chunk, and
/// so has its stem variants' postings with its own: without them, the root's dictionary chunk names
/// the variants, whose postings chunks (all over the dictionary: `disebut`, `menyebut`, `sebutan`)
/// take a round more.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct FamData {
    #[serde(with = "bytes")]
    roots: Vec<u8>,
    /// Each root's own term: its number + 1, or 0 when the root is no term of the corpus.
    root_term: Vec<u32>,
    root_terms: Lists,
    /// The terms of the chunk's families, ascending: `post` holds their postings in this order.
    terms: Vec<u32>,
    post: PostChunk,
}

/// A family chunk, opened.
#[derive(Clone)]
pub(crate) struct FamChunk {
    roots: Map<Vec<u8>>,
    root_term: Vec<u32>,
    root_terms: Lists,
    terms: Vec<u32>,
    post: PostChunk,
}

impl FamData {
    /// The chunk, checked against an index of `total` terms.
    pub(crate) fn open(self, total: u32) -> Result<FamChunk, String> {
        let FamData { roots, root_term, root_terms, terms, post } = self;
        let roots = Map::new(roots).map_err(|e| format!("root dictionary: {e}"))?;
        let has = |t: u32| terms.binary_search(&t).is_ok();
        let consistent = root_term.len() == roots.len()
            && root_terms.is_valid(roots.len())
            && ids_below(&roots, roots.len())
            && terms.windows(2).all(|w| w[0] < w[1])
            && terms.last().is_none_or(|&t| t < total)
            && root_terms.items.iter().all(|&t| has(t))
            && root_term.iter().all(|&t| t == 0 || has(t - 1));
        if !consistent {
            return Err("index parts do not agree with each other".into());
        }
        let post = post.open(terms.len() as u32)?;
        Ok(FamChunk { roots, root_term, root_terms, terms, post })
    }
}

/// A split index's parts as a packer writes them ([`Index::split`]).
pub(crate) struct SplitIndex {
    pub(crate) head: IndexHead,
    pub(crate) dict_keys: Vec<String>,
    pub(crate) dict_first: Vec<u32>,
    pub(crate) dict: Vec<DictData>,
    /// The first term number of each postings chunk, then the number of terms (which the entry
    /// holds unless the dictionary chunks name the postings chunks: [`SplitIndex::table`]).
    pub(crate) post_first: Vec<u32>,
    /// Whether the dictionary chunks name the postings chunks ([`PostRefs`]).
    pub(crate) named_posts: bool,
    pub(crate) post_keys: Vec<String>,
    pub(crate) post: Vec<PostChunk>,
    pub(crate) lens: Vec<Lengths>,
    pub(crate) fam_keys: Vec<String>,
    pub(crate) fam: Vec<FamData>,
}

impl SplitIndex {
    /// The table its entry holds.
    pub(crate) fn table(&self) -> IndexTable {
        IndexTable {
            head: self.head,
            dict_keys: self.dict_keys.clone(),
            dict_first: self.dict_first.clone(),
            post_first: if self.named_posts { Vec::new() } else { self.post_first.clone() },
            named_posts: if self.named_posts { self.post.len() as u32 } else { 0 },
            post_keys: self.post_keys.clone(),
            fam_keys: self.fam_keys.clone(),
        }
    }
}

/// The table of a split index, as its entry file holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IndexTable {
    pub(crate) head: IndexHead,
    pub(crate) dict_keys: Vec<String>,
    pub(crate) dict_first: Vec<u32>,
    /// The first term number of each postings chunk, then the number of terms; none in an index
    /// of more than [`KEYED_POSTINGS_CHUNKS`], whose dictionary chunks name its postings chunks.
    pub(crate) post_first: Vec<u32>,
    /// The number of postings chunks, when the dictionary chunks name them (else 0).
    pub(crate) named_posts: u32,
    /// The first key of each postings chunk (the first: empty); none in an index of more than
    /// [`KEYED_POSTINGS_CHUNKS`].
    pub(crate) post_keys: Vec<String>,
    /// The first root of each family chunk (the first: empty); none in a whole pack, and in a split
    /// one of more than [`KEYED_POSTINGS_CHUNKS`].
    pub(crate) fam_keys: Vec<String>,
}

impl IndexTable {
    /// Whether the dictionary chunks name the postings chunks ([`PostRefs`]), not this table.
    pub(crate) fn names_postings(&self) -> bool {
        self.post_first.is_empty()
    }

    /// Pieces: the dictionary chunks, the postings chunks, the length ranges, the family chunks.
    pub(crate) fn counts(&self) -> (usize, usize, usize, usize) {
        let ranges = self.head.docs.div_ceil(self.head.range_docs.max(1)) as usize;
        let posts = match self.post_first.len() {
            0 => self.named_posts as usize,
            n => n - 1,
        };
        (self.dict_keys.len(), posts, ranges, self.fam_keys.len())
    }

    /// Whether the table is one an index can have.
    pub(crate) fn is_valid(&self) -> bool {
        let ascending = |v: &[u32]| v.windows(2).all(|w| w[0] <= w[1]);
        let h = &self.head;
        h.range_docs > 0
            && !self.dict_keys.is_empty()
            && self.dict_keys[0].is_empty()
            && self.dict_keys.windows(2).all(|w| w[0] < w[1])
            && self.dict_first.len() == self.dict_keys.len() + 1
            && self.dict_first.first() == Some(&0)
            && self.dict_first.last() == Some(&h.terms)
            && ascending(&self.dict_first)
            && match self.names_postings() {
                // The dictionary chunks name the postings chunks: more than the entry would.
                true => {
                    self.named_posts > 0
                        && self.named_posts <= h.terms.min(MAX_NAMED_POSTINGS_CHUNKS)
                        && self.post_keys.is_empty()
                        && self.fam_keys.is_empty()
                }
                false => {
                    self.named_posts == 0
                        && self.post_first.len() >= 2
                        && self.post_first.first() == Some(&0)
                        && self.post_first.last() == Some(&h.terms)
                        && ascending(&self.post_first)
                }
            }
            && (self.post_keys.is_empty()
                || self.post_keys.len() + 1 == self.post_first.len()
                    && self.post_keys[0].is_empty()
                    && self.post_keys.windows(2).all(|w| w[0] < w[1]))
            && (self.fam_keys.is_empty()
                || self.fam_keys[0].is_empty() && self.fam_keys.windows(2).all(|w| w[0] < w[1]))
    }
}

impl Index {
    /// Builds the index of `articles`.
    pub fn build(articles: &[Article]) -> Index {
        let mut builder = IndexBuilder::default();
        for article in articles {
            builder.add(article);
        }
        builder.build()
    }

    /// An index of one chunk of each part, all at hand.
    fn whole(head: IndexHead, dict: DictChunk, post: PostChunk, lens: Lengths) -> Index {
        Index {
            head,
            dict_keys: vec![String::new()],
            dict_first: vec![0, head.terms],
            dict: vec![Slot::filled(0, dict)],
            post_first: vec![0, head.terms],
            post_keys: Vec::new(),
            post: vec![Slot::filled(0, post)],
            lens: vec![Slot::filled(0, lens)],
            fam_keys: Vec::new(),
            fam: Vec::new(),
            misses: Misses::default(),
        }
    }

    /// An index with its table only: its parts come as pieces, numbered from `first_piece` in the
    /// order of [`IndexTable::counts`].
    pub(crate) fn from_table(table: IndexTable, first_piece: u32) -> Index {
        let (d, p, l, f) = table.counts();
        fn slots<T>(from: usize, n: usize, first: u32) -> Vec<Slot<T>> {
            (from..from + n).map(|i| Slot::empty(first + i as u32)).collect()
        }
        Index {
            head: table.head,
            dict_keys: table.dict_keys,
            dict_first: table.dict_first,
            dict: slots(0, d, first_piece),
            post_first: table.post_first,
            post_keys: table.post_keys,
            post: slots(d, p, first_piece),
            lens: slots(d + p, l, first_piece),
            fam_keys: table.fam_keys,
            fam: slots(d + p + l, f, first_piece),
            misses: Misses::default(),
        }
    }

    /// Fills part `at` (in the order of [`IndexTable::counts`]) from a piece's payload.
    pub(crate) fn fill(&self, at: usize, payload: &[u8]) -> Result<(), String> {
        let (d, p, l) = (self.dict.len(), self.post.len(), self.lens.len());
        let bad = |e: postcard::Error| e.to_string();
        if at < d {
            let (first, n) = (self.dict_first[at], self.dict_first[at + 1] - self.dict_first[at]);
            let named = self.names_postings().then_some(p);
            let chunk = postcard::from_bytes::<DictData>(payload).map_err(bad)?.open(
                (first, n),
                self.head.terms,
                named,
            )?;
            self.dict[at].fill(chunk);
        } else if at < d + p {
            let c = at - d;
            let (first, end) = match self.post_first.get(c..c + 2) {
                Some(&[first, end]) => (first, end),
                _ => self
                    .post_ref(c)
                    .map(|(first, end, _)| (first, end))
                    .ok_or("a postings chunk came before a dictionary chunk that names it")?,
            };
            self.post[c].fill(postcard::from_bytes::<PostChunk>(payload).map_err(bad)?.open(end - first)?);
        } else if at < d + p + l {
            self.fill_lengths(at - d - p, postcard::from_bytes::<Lengths>(payload).map_err(bad)?)?;
        } else {
            let chunk = postcard::from_bytes::<FamData>(payload).map_err(bad)?.open(self.head.terms)?;
            self.fam.get(at - d - p - l).ok_or("no such part of the index")?.fill(chunk);
        }
        Ok(())
    }

    /// Fills the lengths of range `r`, checked against its number of articles.
    pub(crate) fn fill_lengths(&self, r: usize, lens: Lengths) -> Result<(), String> {
        let slot = self.lens.get(r).ok_or("no such part of the index")?;
        slot.fill(lens.open(self.range_len(r))?);
        Ok(())
    }

    /// Articles in range `r`.
    pub(crate) fn range_len(&self, r: usize) -> u32 {
        let start = r as u32 * self.head.range_docs;
        self.head.docs.saturating_sub(start).min(self.head.range_docs)
    }

    pub(crate) fn head(&self) -> &IndexHead {
        &self.head
    }

    /// Dictionary chunks, postings chunks, length ranges and family chunks.
    pub(crate) fn table_counts(&self) -> (usize, usize, usize, usize) {
        (self.dict.len(), self.post.len(), self.lens.len(), self.fam.len())
    }

    /// Whether part `at` (in the order of [`IndexTable::counts`]) is at hand.
    pub(crate) fn has_part(&self, at: usize) -> bool {
        let (d, p, l) = (self.dict.len(), self.post.len(), self.lens.len());
        match at {
            i if i < d => self.dict[i].peek().is_some(),
            i if i < d + p => self.post[i - d].peek().is_some(),
            i if i < d + p + l => self.lens[i - d - p].peek().is_some(),
            i => self.fam.get(i - d - p - l).is_some_and(|s| s.peek().is_some()),
        }
    }

    /// Whether something asked for since the last [`crate::Engine::missing`] was not at hand: what is
    /// being worked out will be worked out again, so fallbacks (typos for a word not found) wait.
    pub(crate) fn missed_something(&self) -> bool {
        self.misses.any()
    }

    /// Whether every part is at hand.
    pub fn is_complete(&self) -> bool {
        self.dict.iter().all(|s| s.peek().is_some())
            && self.post.iter().all(|s| s.peek().is_some())
            && self.lens.iter().all(|s| s.peek().is_some())
            && self.fam.iter().all(|s| s.peek().is_some())
    }

    /// The index in chunks of about `dict_terms` terms and `post_bytes` bytes of postings, lengths in
    /// ranges of `range_docs` articles. `None` unless every part is at hand.
    ///
    /// With `name_terms`, each postings chunk also holds its terms' texts (a split pack's do).
    pub(crate) fn split(
        &self,
        dict_terms: usize,
        post_bytes: usize,
        range_docs: u32,
        name_terms: bool,
        keyed: usize,
    ) -> Option<SplitIndex> {
        let ([dict], [post], [lens]) = (&self.dict[..], &self.post[..], &self.lens[..]) else { return None };
        let (dict, post, lens) = (dict.peek()?, post.peek()?, lens.peek()?);
        let n = self.head.terms as usize;
        // Dictionary chunks: `dict_terms` terms each.
        let mut keys: Vec<Vec<u8>> = Vec::with_capacity(n);
        let mut stream = dict.terms.stream();
        while let Some((key, _)) = stream.next() {
            keys.push(key.to_vec());
        }
        let mut dict_first: Vec<u32> = (0..n).step_by(dict_terms.max(1)).map(|i| i as u32).collect();
        if dict_first.is_empty() {
            dict_first.push(0);
        }
        let dict_keys: Vec<String> =
            dict_first
                .iter()
                .enumerate()
                .map(|(c, &i)| {
                    if c == 0 {
                        String::new()
                    } else {
                        String::from_utf8_lossy(&keys[i as usize]).into_owned()
                    }
                })
                .collect();
        dict_first.push(n as u32);
        // Postings chunks: terms in order until they hold `post_bytes`.
        let mut post_first = vec![0u32];
        let mut post_keys = Vec::new();
        let mut posts = Vec::new();
        let mut from = 0usize;
        while from < n {
            post_keys.push(if from == 0 {
                String::new()
            } else {
                String::from_utf8_lossy(&keys[from]).into_owned()
            });
            let mut to = from + 1;
            let size = |to: usize| {
                (post.gap_offsets[to] - post.gap_offsets[from]) as usize
                    + (post.count_offsets[to] - post.count_offsets[from]) as usize
            };
            while to < n && size(to + 1) <= post_bytes {
                to += 1;
            }
            let (g, c) = (&post.gap_offsets, &post.count_offsets);
            posts.push(PostChunk {
                doc_freq: post.doc_freq[from..to].to_vec(),
                gaps: post.gaps[g[from] as usize..g[to] as usize].to_vec(),
                counts: post.counts[c[from] as usize..c[to] as usize].to_vec(),
                keys: if name_terms {
                    TermKeys::encode(keys[from..to].iter().map(Vec::as_slice))
                } else {
                    Vec::new()
                },
                gap_offsets: Vec::new(),
                count_offsets: Vec::new(),
                key_restarts: Vec::new(),
            });
            post_first.push(to as u32);
            from = to;
        }
        if posts.is_empty() {
            posts.push(PostChunk {
                doc_freq: Vec::new(),
                gaps: Vec::new(),
                counts: Vec::new(),
                keys: Vec::new(),
                gap_offsets: Vec::new(),
                count_offsets: Vec::new(),
                key_restarts: Vec::new(),
            });
            post_first.push(0);
            post_keys.push(String::new());
        }
        // Too many for the entry to name: the dictionary chunks name them, and there are no families.
        let named = name_terms && posts.len() > keyed;
        if post_keys.len() > keyed {
            post_keys = Vec::new();
        }
        // A split pack's roots go in family chunks, with their terms' postings (unless there would
        // be too many of those for the entry to name); else each root goes with the dictionary
        // chunk its key falls in.
        #[cfg(feature = "ingest")]
        let (fam_keys, fam) = match name_terms && !named {
            true => families(dict, post, &keys, self.head.langs, post_bytes, keyed),
            false => (Vec::new(), Vec::new()),
        };
        #[cfg(not(feature = "ingest"))]
        let (fam_keys, fam): (Vec<String>, Vec<FamData>) = (Vec::new(), Vec::new());
        let mut chunk_roots: Vec<Vec<(Vec<u8>, Vec<u32>)>> = vec![Vec::new(); dict_keys.len()];
        let mut roots = dict.roots.stream();
        while let Some((root, r)) = roots.next().filter(|_| fam.is_empty()) {
            let c = dict_keys.partition_point(|k| k.as_bytes() <= root).saturating_sub(1);
            chunk_roots[c].push((root.to_vec(), dict.root_terms.get(r as usize).to_vec()));
        }
        // And each tail (a split pack's), with the terms that have it.
        let mut chunk_tails: Vec<Vec<(Vec<u8>, Vec<u32>)>> = vec![Vec::new(); dict_keys.len()];
        if name_terms {
            let mut tails: Vec<(&[u8], u32)> = keys
                .iter()
                .enumerate()
                .filter_map(|(id, key)| {
                    let width = std::str::from_utf8(key).ok()?.chars().next()?.len_utf8();
                    Some((&key[width..], id as u32))
                })
                .collect();
            tails.sort_unstable();
            for group in tails.chunk_by(|a, b| a.0 == b.0) {
                let tail = group[0].0;
                let c = dict_keys.partition_point(|k| k.as_bytes() <= tail).saturating_sub(1);
                chunk_tails[c].push((tail.to_vec(), group.iter().map(|g| g.1).collect()));
            }
        }
        let mut dicts = Vec::with_capacity(dict_keys.len());
        for ((c, roots), tails) in chunk_roots.into_iter().enumerate().zip(chunk_tails) {
            let (from, to) = (dict_first[c] as usize, dict_first[c + 1] as usize);
            let terms = build_map(keys[from..to].iter().map(|k| std::str::from_utf8(k).unwrap_or_default()));
            let root_map = build_map(roots.iter().map(|(k, _)| std::str::from_utf8(k).unwrap_or_default()));
            let lists: Vec<Vec<u32>> = roots.into_iter().map(|(_, l)| l).collect();
            // The postings chunks of its terms and of its roots' terms, when the entry does not
            // name them: a word's stem variants are read with it, not a round after their own
            // dictionary chunks. Its tails' terms (a typo's candidates of another first letter)
            // are left to theirs. (100,000 generated articles: 30 dictionary chunks, 259 KB
            // without names of postings chunks, 321 KB with their own terms', 345 KB with their
            // roots' too, 405 KB with their tails' too.)
            let refs = match named {
                true => {
                    let chunk_of = |t: u32| post_first.partition_point(|&f| f <= t) - 1;
                    let mut chunks: Vec<usize> = (from..to).map(|t| chunk_of(t as u32)).collect();
                    chunks.extend(lists.iter().flatten().map(|&t| chunk_of(t)));
                    chunks.sort_unstable();
                    chunks.dedup();
                    PostRefs::new(chunks, &post_first)
                }
                false => PostRefs::default(),
            };
            dicts.push(DictData {
                terms: terms.as_fst().as_bytes().to_vec(),
                doc_freq: dict.doc_freq[from..to].to_vec(),
                roots: root_map.as_fst().as_bytes().to_vec(),
                root_terms: Lists::new(&lists),
                tails: build_map(tails.iter().map(|(k, _)| std::str::from_utf8(k).unwrap_or_default()))
                    .as_fst()
                    .as_bytes()
                    .to_vec(),
                tail_terms: Lists::new(&tails.into_iter().map(|(_, l)| l).collect::<Vec<_>>()),
                posts: refs,
            });
        }
        let range = range_docs.max(1) as usize;
        let lens_out = lens
            .title
            .chunks(range)
            .zip(lens.body.chunks(range))
            .map(|(t, b)| Lengths { title: t.to_vec(), body: b.to_vec() })
            .collect();
        let head = IndexHead { range_docs: range as u32, ..self.head };
        Some(SplitIndex {
            head,
            dict_keys,
            dict_first,
            dict: dicts,
            post_first,
            named_posts: named,
            post_keys,
            post: posts,
            lens: lens_out,
            fam_keys,
            fam,
        })
    }

    /// Number of articles.
    pub fn docs(&self) -> usize {
        self.head.docs as usize
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.head.terms as usize
    }

    /// The dictionary chunk whose range holds `key`.
    fn chunk_of_key(&self, key: &[u8]) -> usize {
        self.dict_keys.partition_point(|k| k.as_bytes() <= key).saturating_sub(1)
    }

    /// The dictionary chunk of term number `term`, with the chunk's first term number.
    fn chunk_of_term(&self, term: u32) -> Option<(&DictChunk, u32)> {
        let c = self.dict_first.partition_point(|&f| f <= term).checked_sub(1)?;
        let first = *self.dict_first.get(c)?;
        Some((self.dict.get(c)?.get(&self.misses)?, first))
    }

    /// The id of a term, if the corpus has it.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        let c = self.chunk_of_key(term.as_bytes());
        let chunk = self.dict.get(c)?.get(&self.misses)?;
        chunk.terms.get(term).map(|id| self.dict_first[c] + id as u32)
    }

    /// The id of a query's word, as [`Index::term_id`]; while a split index's dictionary chunk of the
    /// word is still to come, the postings chunk that holds the word's key is asked for with it (the
    /// entry names each postings chunk's first key), and for a word being `typed` the next one when
    /// it starts with the word (its completions). The word's postings come after one round of
    /// fetches, not two; so do its completions' when they are in those chunks.
    pub fn word_id(&self, word: &str, typed: bool) -> Option<u32> {
        let c = self.chunk_of_key(word.as_bytes());
        if self.dict.get(c).is_some_and(|slot| slot.peek().is_none()) && !self.post_keys.is_empty() {
            let p = self.post_keys.partition_point(|k| k.as_str() <= word).saturating_sub(1);
            let next = typed && self.post_keys.get(p + 1).is_some_and(|k| k.starts_with(word));
            for slot in self.post.iter().skip(p).take(1 + usize::from(next)) {
                slot.get(&self.misses);
            }
        }
        self.term_id(word)
    }

    /// Whether the dictionary chunks that say whether the corpus has `keys` (a word and its
    /// candidate roots) are all here, and those of the word's completions when it is a `prefix`
    /// (noting nothing). A word not found while they are all here is not in the corpus, whatever
    /// else a query still waits for.
    ///
    /// With families ([`Index::root`]), the roots are in those: the word's own dictionary chunk
    /// and the family chunks of all the keys.
    pub fn has_chunks_of(&self, keys: &[String], prefix: Option<&str>) -> bool {
        let here = |c: usize| self.dict.get(c).is_some_and(|slot| slot.peek().is_some());
        let dict_here = |k: &String| here(self.chunk_of_key(k.as_bytes()));
        let roots_here = if self.has_families() {
            // The word's dictionary chunk, and each root's family chunk (and, when the root is not
            // in it and the word is no term of the corpus, the root's dictionary chunk: it may be
            // a term; see [`Index::root`]).
            let word_known = keys.first().is_some_and(|w| self.knows_word(w) == Some(true));
            let settled = |(i, k): (usize, &String)| {
                let c = self.fam_chunk_of(k.as_bytes());
                match self.fam.get(c).and_then(Slot::peek) {
                    Some(chunk) => i == 0 || word_known || chunk.roots.contains_key(k) || dict_here(k),
                    None => false,
                }
            };
            keys.first().is_none_or(dict_here) && keys.iter().enumerate().all(settled)
        } else {
            keys.iter().all(dict_here)
        };
        roots_here && prefix.is_none_or(|p| self.chunks_with_prefix(p).all(here))
    }

    /// Whether the corpus has term `word`, if its dictionary chunk is here (noting nothing).
    fn knows_word(&self, word: &str) -> Option<bool> {
        let chunk = self.dict.get(self.chunk_of_key(word.as_bytes()))?.peek()?;
        Some(chunk.terms.contains_key(word))
    }

    /// Whether the roots' terms are in family chunks (a split index's, unless it has too many).
    pub fn has_families(&self) -> bool {
        !self.fam.is_empty()
    }

    /// The family chunk whose range holds `root`.
    fn fam_chunk_of(&self, root: &[u8]) -> usize {
        self.fam_keys.partition_point(|k| k.as_bytes() <= root).saturating_sub(1)
    }

    /// Root `root` of query word `word`: the term that is the root itself, if the corpus has it, and
    /// the terms whose roots include it. A split index's family chunk names them and brings their
    /// postings (one round); it has every term that is a candidate root of a corpus term, so when
    /// `word` is one a root not there is no term, and else the root's dictionary chunk says (asked
    /// for with its postings). Without families, the dictionary names them (and the variants'
    /// postings chunks come after it).
    pub(crate) fn root(&self, root: &str, word: &str) -> (Option<u32>, &[u32]) {
        if !self.has_families() {
            return (self.term_id(root), self.terms_with_root(root));
        }
        match self.family(root) {
            Family::Root(own, terms) => (own, terms),
            Family::NoRoot if root != word && self.knows_word(word) == Some(false) => {
                (self.word_id(root, false), &[])
            }
            Family::NoRoot | Family::Waiting => (None, &[]),
        }
    }

    /// What the family chunk of `root` says of it (the chunk is noted when it is not here).
    fn family(&self, root: &str) -> Family<'_> {
        let c = self.fam_chunk_of(root.as_bytes());
        let Some(chunk) = self.fam.get(c).and_then(|s| s.get(&self.misses)) else { return Family::Waiting };
        match chunk.roots.get(root) {
            Some(r) => Family::Root(
                chunk.root_term.get(r as usize).and_then(|t| t.checked_sub(1)),
                chunk.root_terms.get(r as usize),
            ),
            None => Family::NoRoot,
        }
    }

    /// The postings of term `term` with its place among them: its postings chunk if that is here,
    /// else a family chunk here that has it, else its postings chunk, noted as missing.
    /// (Where the dictionary chunks name the postings chunks and none here names the term's, its
    /// own dictionary chunk is noted instead.)
    fn postings_of(&self, term: u32) -> Option<(&PostChunk, usize)> {
        let place = self.post_place(term);
        if let Some((c, first, _)) = place {
            if let Some(chunk) = self.post.get(c)?.peek() {
                return Some((chunk, (term - first) as usize));
            }
        }
        let in_family = self.fam.iter().filter_map(Slot::peek).find_map(|f| {
            let t = f.terms.binary_search(&term).ok()?;
            Some((&f.post, t))
        });
        if in_family.is_some() {
            return in_family;
        }
        let Some((c, first, _)) = place else {
            self.chunk_of_term(term);
            return None;
        };
        let chunk = self.post.get(c)?.get(&self.misses)?;
        Some((chunk, (term - first) as usize))
    }

    /// The text of a term id, read from the dictionary (terms are numbered in dictionary order, so
    /// the id leads to its key; no table of all texts is built).
    pub fn term_text(&self, term: u32) -> Option<String> {
        // The dictionary if its chunk is here; else the postings chunk, which a split pack's names
        // its terms in and which the query reads anyway.
        if let Some(text) = self.dict_chunk_here(term).and_then(|(chunk, first)| {
            String::from_utf8(chunk.terms.as_fst().get_key(u64::from(term - first))?).ok()
        }) {
            return Some(text);
        }
        let (post, t) = self.postings_of(term)?;
        if !post.keys.is_empty() {
            return post.key(t);
        }
        let (chunk, first) = self.chunk_of_term(term)?;
        let key = chunk.terms.as_fst().get_key(u64::from(term - first))?;
        String::from_utf8(key).ok()
    }

    /// The dictionary chunk of term number `term` with its first term number, if it is here (noting
    /// nothing).
    fn dict_chunk_here(&self, term: u32) -> Option<(&DictChunk, u32)> {
        let c = self.dict_first.partition_point(|&f| f <= term).checked_sub(1)?;
        Some((self.dict.get(c)?.peek()?, *self.dict_first.get(c)?))
    }

    /// Whether the dictionary chunks name the postings chunks ([`PostRefs`]), not the table.
    pub(crate) fn names_postings(&self) -> bool {
        self.post_first.is_empty()
    }

    /// The postings chunk that holds term `term`: its number, first and end term numbers. From the
    /// table; or, when the dictionary chunks name the postings chunks, from the term's own
    /// dictionary chunk or another here that names the chunk (a root's names its terms'); `None`
    /// while none is here (noting nothing).
    fn post_place(&self, term: u32) -> Option<(usize, u32, u32)> {
        if !self.names_postings() {
            let c = self.post_first.partition_point(|&f| f <= term).checked_sub(1)?;
            return Some((c, self.post_first[c], *self.post_first.get(c + 1)?));
        }
        self.dict_chunk_here(term)
            .and_then(|(chunk, _)| chunk.posts.find(term))
            .or_else(|| self.dict.iter().filter_map(Slot::peek).find_map(|chunk| chunk.posts.find(term)))
    }

    /// Postings chunk `c`'s first and end term numbers and its content hash, from a dictionary
    /// chunk here that names it (when the dictionary names the postings chunks).
    pub(crate) fn post_ref(&self, c: usize) -> Option<(u32, u32, &[u8])> {
        self.dict.iter().filter_map(Slot::peek).find_map(|chunk| chunk.posts.get(c))
    }

    /// The terms whose tail (all but the first character) is `tail`, in a split index.
    fn terms_with_tail(&self, tail: &str) -> &[u32] {
        let c = self.chunk_of_key(tail.as_bytes());
        let Some(chunk) = self.dict.get(c).and_then(|s| s.get(&self.misses)) else { return &[] };
        chunk.tails.get(tail).map_or(&[], |r| chunk.tail_terms.get(r as usize))
    }

    /// The terms whose roots include `root`.
    pub fn terms_with_root(&self, root: &str) -> &[u32] {
        let c = self.chunk_of_key(root.as_bytes());
        let Some(chunk) = self.dict.get(c).and_then(|s| s.get(&self.misses)) else { return &[] };
        chunk.roots.get(root).map_or(&[], |r| chunk.root_terms.get(r as usize))
    }

    /// The languages of the corpus, as bits.
    pub(crate) fn langs(&self) -> u8 {
        self.head.langs
    }

    /// Whether the corpus has Indonesian (or undetermined) and English articles.
    pub fn has_langs(&self) -> (bool, bool) {
        (self.head.langs & LANG_ID != 0, self.head.langs & LANG_EN != 0)
    }

    /// Number of articles containing a term.
    pub fn doc_freq(&self, term: u32) -> u32 {
        // (The postings chunk counts them too, and is what a query reads anyway.)
        let from_dict =
            |(chunk, first): (&DictChunk, u32)| chunk.doc_freq.get((term - first) as usize).copied();
        self.dict_chunk_here(term)
            .and_then(from_dict)
            .or_else(|| self.postings_of(term).and_then(|(post, t)| post.doc_freq.get(t).copied()))
            .unwrap_or(0)
    }

    /// Title and body length (in words) of an article.
    pub fn lengths(&self, doc: u32) -> (u32, u32) {
        let range = self.head.range_docs.max(1);
        let Some(lens) = self.lens.get((doc / range) as usize).and_then(|s| s.get(&self.misses)) else {
            return (0, 0);
        };
        let at = (doc % range) as usize;
        (lens.title.get(at).copied().unwrap_or(0), lens.body.get(at).copied().unwrap_or(0))
    }

    /// Asks for every range of lengths of a split index that has few of them (at most
    /// [`EARLY_LENGTH_RANGES`]): a query scores articles of most ranges, and asking for them with the
    /// dictionary saves the round of fetches that would follow the postings. A larger index gets the
    /// ranges its postings name, after them.
    pub(crate) fn ask_lengths_early(&self) {
        if self.lens.len() <= EARLY_LENGTH_RANGES {
            for slot in &self.lens {
                slot.get(&self.misses);
            }
        }
    }

    /// Average title and body length (in words).
    pub fn average_lengths(&self) -> (f32, f32) {
        (self.head.avg_title, self.head.avg_body)
    }

    /// The dictionary chunks a prefix's terms may be in.
    fn chunks_with_prefix(&self, prefix: &str) -> std::ops::Range<usize> {
        let from = self.chunk_of_key(prefix.as_bytes());
        let to = from + 1 + self.dict_keys[from + 1..].iter().take_while(|k| k.starts_with(prefix)).count();
        from..to
    }

    /// Terms starting with `prefix` (at most `limit`, in dictionary order), with their ids.
    pub fn terms_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, u32)> {
        let chunks = self.chunks_with_prefix(prefix);
        self.terms_matching(&fst::automaton::Str::new(prefix).starts_with(), chunks, limit)
    }

    /// The `limit` most common terms starting with `prefix` (by the number of articles; ties in
    /// dictionary order), with their ids, most common first; then, while their numbers of articles
    /// add up to at most `extra_postings`, the next most common ones. Of a short prefix's many
    /// completions (`meng*` has thousands) the first ones in dictionary order are rarely the word being
    /// typed; the common ones usually are, but not always (`pembobol` is the 123rd of `pemb*`): the
    /// extra ones reach the rarer words at a bounded cost, their postings. At most `MAX_SCANNED`
    /// completions are looked at.
    pub fn common_terms_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
        extra_postings: u64,
    ) -> Vec<(String, u32)> {
        const MAX_SCANNED: usize = 20_000;
        // (doc freq, place in the stream), and the texts one after the other (`ends`: where each
        // ends): the texts of those kept are then at hand, without a walk of the dictionary each.
        let (mut found, mut ids, mut texts, mut ends) = (Vec::new(), Vec::new(), Vec::new(), vec![0]);
        for c in self.chunks_with_prefix(prefix) {
            let Some(chunk) = self.dict[c].get(&self.misses) else { continue };
            let first = self.dict_first[c];
            let mut stream = chunk.terms.search(fst::automaton::Str::new(prefix).starts_with()).into_stream();
            while found.len() < MAX_SCANNED {
                let Some((key, id)) = stream.next() else { break };
                found.push((u64::from(chunk.doc_freq[id as usize]), found.len() as u32));
                ids.push(first + id as u32);
                texts.extend_from_slice(key);
                ends.push(texts.len());
            }
        }
        // Most articles first, ties by place (dictionary order, as ids), as results are ranked; all of
        // them only when extra ones may follow (a short list is picked in one pass).
        let ranked = if extra_postings > 0 { found.len() } else { limit };
        let mut top = crate::order::top_descending(&found, ranked);
        let mut spent = 0u64;
        let keep = top
            .iter()
            .enumerate()
            .take_while(|&(i, &(df, _))| {
                if i >= limit {
                    spent += df;
                }
                spent <= extra_postings
            })
            .count();
        top.truncate(keep);
        top.into_iter()
            .map(|(_, at)| {
                let at = at as usize;
                (String::from_utf8_lossy(&texts[ends[at]..ends[at + 1]]).into_owned(), ids[at])
            })
            .collect()
    }

    /// Terms within `distance` edits of `term` (at most `limit`), with their ids. Walks the whole
    /// dictionary: every chunk of a split one.
    ///
    /// A term whose first letter is not the word's is found only within one edit (the edit at the
    /// first letter, as `Within` counts): a split index finds those by their tails and by two lookups, and
    /// walks only the chunks of the word's first letter, not the whole dictionary.
    pub fn terms_within(&self, term: &str, distance: u32, limit: usize) -> Vec<(String, u32)> {
        // (Very long words get no typo matches.)
        let (Some(within), Some(first)) = (Within::new(term, distance), term.chars().next()) else {
            return Vec::new();
        };
        let (lead, rest) = term.split_at(first.len_utf8());
        // The chunks of the first letter, walked (a whole index's one chunk: all of it).
        let mut found = self.terms_matching(&within, self.chunks_with_prefix(lead), usize::MAX);
        // A split index finds the terms of other first letters without walking their chunks: the
        // first letter dropped (`rest`), swapped with the second, replaced (another letter before
        // `rest`), or one put before it (a letter before `term`); the last two by their tails.
        if distance > 0 && self.dict.len() > 1 {
            let mut ids: Vec<u32> = Vec::new();
            let mut second = rest.chars();
            if let Some(c) = second.next() {
                ids.extend(self.term_id(rest));
                let mut swapped = String::with_capacity(term.len());
                swapped.push(c);
                swapped.push(first);
                swapped.push_str(second.as_str());
                ids.extend(self.term_id(&swapped));
            }
            ids.extend_from_slice(self.terms_with_tail(rest));
            ids.extend_from_slice(self.terms_with_tail(term));
            for id in ids {
                if let Some(text) = self.term_text(id).filter(|t| !t.starts_with(first)) {
                    found.push((text, id));
                }
            }
        }
        crate::order::sort_by(&mut found, |a, b| a.1.cmp(&b.1));
        found.dedup_by_key(|f| f.1);
        found.truncate(limit);
        found
    }

    /// The first `limit` terms (in dictionary order) of dictionary chunks `chunks` that `automaton`
    /// accepts, with their ids.
    fn terms_matching<A: Automaton>(
        &self,
        automaton: &A,
        chunks: std::ops::Range<usize>,
        limit: usize,
    ) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for c in chunks {
            let Some(chunk) = self.dict[c].get(&self.misses) else { continue };
            let mut stream = chunk.terms.search(automaton).into_stream();
            while out.len() < limit {
                let Some((key, id)) = stream.next() else { break };
                out.push((String::from_utf8_lossy(key).into_owned(), self.dict_first[c] + id as u32));
            }
        }
        out
    }

    /// The postings of a term, in article order.
    pub fn postings(&self, term: u32) -> Vec<Posting> {
        let (gaps, counts) = self.posting_bytes(term);
        let mut walk = DocCounts { gaps, counts, at_gap: 0, at_count: 0, doc: 0, title_first: 0 };
        let mut out = Vec::new();
        while let Some((doc, title, body)) = walk.next().filter(|p| p.0 < self.head.docs) {
            out.push(Posting { doc, title, body, title_first: walk.title_first });
        }
        out
    }

    /// The articles of a term with its title and body counts in each, in article order, read straight
    /// from the stored bytes.
    pub(crate) fn doc_counts(&self, term: u32) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let docs = self.docs() as u32;
        let (gaps, counts) = self.posting_bytes(term);
        DocCounts { gaps, counts, at_gap: 0, at_count: 0, doc: 0, title_first: 0 }
            .take_while(move |&(doc, _, _)| doc < docs)
    }

    /// The articles whose titles have a term, with where in each title it first occurs (as the
    /// `n`th word), in article order.
    pub(crate) fn title_places(&self, term: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let docs = self.docs() as u32;
        let (gaps, counts) = self.posting_bytes(term);
        let mut walk = DocCounts { gaps, counts, at_gap: 0, at_count: 0, doc: 0, title_first: 0 };
        std::iter::from_fn(move || loop {
            let (doc, title, _) = walk.next().filter(|p| p.0 < docs)?;
            if title > 0 {
                return Some((doc, walk.title_first));
            }
        })
    }

    /// A term's parts of the gap and count streams (nothing when its chunk is not at hand).
    fn posting_bytes(&self, term: u32) -> (&[u8], &[u8]) {
        let Some((chunk, t)) = self.postings_of(term) else { return (&[], &[]) };
        let (g, k) = (&chunk.gap_offsets, &chunk.count_offsets);
        match (g.get(t..t + 2), k.get(t..t + 2)) {
            (Some(g), Some(k)) => {
                (&chunk.gaps[g[0] as usize..g[1] as usize], &chunk.counts[k[0] as usize..k[1] as usize])
            }
            _ => (&[], &[]),
        }
    }
}

pub(crate) fn push_varint(mut v: u32, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint; a truncated one reads as what it has (the pack checksum guards real damage).
pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < 32 {
            v |= u32::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// One posting as stored: the article number as the gap from the previous posting's (a varint in
/// `gaps`), then in `counts` one varint `body count × 2 + (title count > 0)` and, when the title has
/// the term (most words are not in the title), the title count and the term's first place there
/// (which the ranking weighs, [`crate::RankParams::title_position`], without reading the title).
fn encode_posting(p: &Posting, gap: u32, gaps: &mut Vec<u8>, counts: &mut Vec<u8>) {
    push_varint(gap, gaps);
    push_varint(p.body << 1 | u32::from(p.title > 0), counts);
    if p.title > 0 {
        push_varint(p.title, counts);
        push_varint(p.title_first, counts);
    }
}

/// Reads one posting's `(title, body, first place in the title)` from the `counts` stream
/// ([`encode_posting`]).
fn read_counts(counts: &[u8], at: &mut usize) -> (u32, u32, u32) {
    let code = read_varint(counts, at);
    let (title, first) =
        if code & 1 == 1 { (read_varint(counts, at), read_varint(counts, at)) } else { (0, 0) };
    (title, code >> 1, first)
}

impl PostChunk {
    /// Reads where each term's postings start in both streams: `doc_freq` says how many each term
    /// has. False when the streams do not end where the counts say (a damaged or crafted pack).
    fn find_offsets(&mut self) -> bool {
        let n = self.doc_freq.len();
        let (mut gap_offsets, mut count_offsets) = (Vec::with_capacity(n + 1), Vec::with_capacity(n + 1));
        let (mut g, mut c) = (0usize, 0usize);
        for &df in &self.doc_freq {
            gap_offsets.push(g as u32);
            count_offsets.push(c as u32);
            // Each gap is one varint: `df` bytes without the continuation bit end this term's gaps.
            let mut left = df;
            while left > 0 {
                let Some(&b) = self.gaps.get(g) else { return false };
                g += 1;
                left -= u32::from(b & 0x80 == 0);
            }
            for _ in 0..df {
                if c >= self.counts.len() {
                    return false;
                }
                read_counts(&self.counts, &mut c);
            }
        }
        gap_offsets.push(g as u32);
        count_offsets.push(c as u32);
        if g != self.gaps.len() || c != self.counts.len() || u32::try_from(g.max(c)).is_err() {
            return false;
        }
        self.gap_offsets = gap_offsets;
        self.count_offsets = count_offsets;
        true
    }
}

/// Articles of a term's postings with their title and body counts, in article order, without
/// allocation.
#[derive(Clone)]
pub(crate) struct DocCounts<'a> {
    gaps: &'a [u8],
    counts: &'a [u8],
    at_gap: usize,
    at_count: usize,
    doc: u32,
    /// The last posting's first place in the title.
    title_first: u32,
}

impl Iterator for DocCounts<'_> {
    /// `(article, title count, body count)`.
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<(u32, u32, u32)> {
        if self.at_gap >= self.gaps.len() {
            return None;
        }
        self.doc = self.doc.saturating_add(read_varint(self.gaps, &mut self.at_gap));
        let (title, body, first) = read_counts(self.counts, &mut self.at_count);
        self.title_first = first;
        Some((self.doc, title, body))
    }
}

/// The words within `distance` edits (insertions, deletions, substitutions of characters, and swaps
/// of two neighbours: `titpi` is one edit from `titip`, the optimal string alignment distance) of a
/// word, as an automaton over the dictionary's bytes. Each state holds the last two rows of the
/// edit-distance table, so nothing is built before the walk (a Levenshtein DFA takes longer to build
/// than the walk itself). A word whose first letter is not the query's is within one edit at most,
/// wherever the distance allows more: typing gets first letters right more often than the others, and
/// a split index finds those words without walking the dictionary ([`Index::terms_within`]).
struct Within {
    query: Vec<char>,
    distance: u8,
}

/// One row of the edit-distance table (the query's first `i` characters against the characters read
/// so far, for each `i`), the row before it and the last character (for swaps), and the bytes of a
/// character not yet complete.
#[derive(Clone, Copy)]
struct Row {
    cells: [u8; Within::MAX_CHARS + 1],
    before: [u8; Within::MAX_CHARS + 1],
    last: char,
    pending: [u8; 4],
    pending_len: u8,
    /// The distance allowed: [`Within::distance`], or one once the first character read is not the
    /// query's.
    limit: u8,
}

impl Within {
    const MAX_CHARS: usize = 63;

    fn new(word: &str, distance: u32) -> Option<Within> {
        let query: Vec<char> = word.chars().collect();
        (query.len() <= Within::MAX_CHARS && distance < 32)
            .then_some(Within { query, distance: distance as u8 })
    }

    fn cells<'r>(&self, row: &'r Row) -> &'r [u8] {
        &row.cells[..=self.query.len()]
    }
}

impl Automaton for Within {
    type State = Option<Row>;

    fn start(&self) -> Option<Row> {
        let mut cells = [0u8; Within::MAX_CHARS + 1];
        for (i, c) in cells.iter_mut().enumerate() {
            *c = i.min(255) as u8;
        }
        Some(Row {
            cells,
            before: [u8::MAX; Within::MAX_CHARS + 1],
            last: '\0',
            pending: [0; 4],
            pending_len: 0,
            limit: self.distance,
        })
    }

    fn is_match(&self, state: &Option<Row>) -> bool {
        state
            .as_ref()
            .is_some_and(|row| row.pending_len == 0 && self.cells(row)[self.query.len()] <= row.limit)
    }

    fn can_match(&self, state: &Option<Row>) -> bool {
        state.as_ref().is_some_and(|row| {
            self.cells(row).iter().any(|&c| c <= row.limit)
                || row.before[..=self.query.len()].iter().any(|&c| c < row.limit)
        })
    }

    fn accept(&self, state: &Option<Row>, byte: u8) -> Option<Row> {
        let mut row = (*state)?;
        row.pending[row.pending_len as usize] = byte;
        row.pending_len += 1;
        let width = match row.pending[0] {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => return None,
        };
        if (row.pending_len as usize) < width {
            return Some(row);
        }
        let c = std::str::from_utf8(&row.pending[..width]).ok()?.chars().next()?;
        row.pending_len = 0;
        let (old, older) = (row.cells, row.before);
        // Another first letter: one edit at most (the edit is there).
        if old[0] == 0 && self.query.first() != Some(&c) {
            row.limit = row.limit.min(1);
        }
        row.cells[0] = old[0].saturating_add(1);
        for (j, &q) in self.query.iter().enumerate() {
            let substitute = old[j].saturating_add(u8::from(q != c));
            let mut best = substitute.min(old[j + 1].saturating_add(1)).min(row.cells[j].saturating_add(1));
            if j > 0 && q == row.last && self.query[j - 1] == c {
                best = best.min(older[j - 1].saturating_add(1));
            }
            row.cells[j + 1] = best;
        }
        row.before = old;
        row.last = c;
        self.can_match(&Some(row)).then_some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_derivations_are_the_candidate_roots() {
        for word in ["kerusuhan", "mengurangi", "dibom", "protesters", "rioting", "x", "2022", "kinerjanya"] {
            for langs in [LANG_ID, LANG_EN, LANG_ID | LANG_EN] {
                let derived: Vec<String> =
                    candidate_derivations(word, langs).into_iter().map(|d| d.0).collect();
                assert_eq!(derived, candidate_roots(word, langs), "{word} {langs}");
            }
        }
    }

    fn article(id: &str, title: &str, body: &str, lang: &str) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            body: body.into(),
            date: None,
            source: None,
            url: None,
            lang: lang.into(),
        }
    }

    #[test]
    fn postings_round_trip() {
        let postings = vec![
            Posting { doc: 0, title: 1, body: 300, title_first: 4 },
            Posting { doc: 7, title: 0, body: 1, title_first: 0 },
            Posting { doc: 100_000, title: 2, body: 0, title_first: 0 },
        ];
        let (mut gaps, mut counts) = (Vec::new(), Vec::new());
        let mut last = 0;
        for p in &postings {
            encode_posting(p, p.doc - last, &mut gaps, &mut counts);
            last = p.doc;
        }
        let mut walk =
            DocCounts { gaps: &gaps, counts: &counts, at_gap: 0, at_count: 0, doc: 0, title_first: 0 };
        let mut back = Vec::new();
        while let Some((doc, title, body)) = walk.next() {
            back.push(Posting { doc, title, body, title_first: walk.title_first });
        }
        assert_eq!(back, postings);
    }

    #[test]
    fn terms_counts_and_roots() {
        let index = Index::build(&[
            article("a", "Kerusuhan di Almaty", "Kerusuhan terjadi. Polisi meredam kerusuhan itu.", "id"),
            article("b", "Protests", "The protesters protested in Almaty.", "en"),
        ]);
        let kerusuhan = index.term_id("kerusuhan").unwrap();
        let postings = index.postings(kerusuhan);
        assert_eq!(postings, vec![Posting { doc: 0, title: 1, body: 2, title_first: 0 }]);
        let almaty_places: Vec<(u32, u32)> = index.title_places(index.term_id("almaty").unwrap()).collect();
        assert_eq!(almaty_places, [(0, 2)], "the third word of the first title; not in the second");
        // Names keep no roots; English words get their Porter2 stem.
        let almaty = index.term_id("almaty").unwrap();
        assert!(index.terms_with_root("almaty").is_empty() && index.terms_with_root("almat").is_empty());
        let protested = index.term_id("protested").unwrap();
        assert!(index.terms_with_root("protest").contains(&protested));
        assert_eq!(index.doc_freq(almaty), 2);
        assert_eq!(index.lengths(1), (1, 5));
    }

    /// The optimal string alignment distance, from the full table (the textbook definition).
    fn edit_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    /// Whether [`Index::terms_within`] should find `term` for `query`: within `distance` edits by the
    /// full table, and within one when the first letters differ.
    fn typo_of(query: &str, term: &str, distance: u32) -> bool {
        let d = edit_distance(query, term);
        !query.is_empty() && d <= distance as usize && (term.chars().next() == query.chars().next() || d <= 1)
    }

    /// `index` cut as a split pack cuts it (here in chunks of two terms, 8 bytes of postings, one
    /// article per range), then filled again from the encoded parts.
    fn cut_and_filled(index: &Index) -> Index {
        let split = index.split(2, 8, 1, true, KEYED_POSTINGS_CHUNKS).unwrap();
        let back = Index::from_table(split.table(), 0);
        for (i, bytes) in encoded_parts(&split).iter().enumerate() {
            back.fill(i, bytes).unwrap();
        }
        assert!(back.is_complete());
        back
    }

    /// `split`'s parts as pieces hold them, in piece order.
    fn encoded_parts(split: &SplitIndex) -> Vec<Vec<u8>> {
        split
            .dict
            .iter()
            .map(|d| postcard::to_allocvec(d).unwrap())
            .chain(split.post.iter().map(|p| postcard::to_allocvec(p).unwrap()))
            .chain(split.lens.iter().map(|l| postcard::to_allocvec(l).unwrap()))
            .chain(split.fam.iter().map(|f| postcard::to_allocvec(f).unwrap()))
            .collect()
    }

    proptest::proptest! {
        /// Over a small alphabet (so that words share letters, swaps and repeats), the dictionary walk
        /// finds exactly the terms the full table puts within the distance (within one when the first
        /// letter differs), and so does the walk of a split index, which reads the chunks of the first
        /// letter and finds the others by their tails.
        #[test]
        fn typo_walk_is_the_table(
            mut terms in proptest::collection::vec("[abcé]{0,6}", 1..30),
            query in "[abcé]{0,6}",
            swaps in proptest::collection::vec(0usize..6, 0..4),
            distance in 0u32..3,
        ) {
            // Near misses of the query too: it with neighbours swapped, once or more.
            let mut near: Vec<char> = query.chars().collect();
            for at in swaps {
                if at + 1 < near.len() {
                    near.swap(at, at + 1);
                    terms.push(near.iter().collect());
                }
            }
            let index = Index::build(&[article("a", "", &terms.join(" "), "und")]);
            let all = index.terms_with_prefix("", usize::MAX);
            let expected: Vec<&str> =
                all.iter().map(|(t, _)| t.as_str()).filter(|t| typo_of(&query, t, distance)).collect();
            let found = index.terms_within(&query, distance, usize::MAX);
            let found: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
            proptest::prop_assert_eq!(&found, &expected);
            let split = cut_and_filled(&index);
            proptest::prop_assert!(split.dict.len() > 1 || all.len() <= 2);
            let in_split = split.terms_within(&query, distance, usize::MAX);
            proptest::prop_assert_eq!(in_split.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn typo_lookup_matches_edit_distance() {
        let words =
            "kazakhstan kazakstan kasakhstan kerusuhan kerusuhannya rusuh café cafe caffè naïve naive \
                     ñandú nandu tokayev tokaev tokayevs tokyaev 東京 東都 京東 almaty almati almtay ktitip titpi";
        let index = Index::build(&[article("a", "", words, "und")]);
        let split = cut_and_filled(&index);
        let all = index.terms_with_prefix("", usize::MAX);
        // (`kasakhstan` is one edit from `kazakhstan` but two from `kazakstan`; `ktitip` one from
        // `titip`, by the letter put before it.)
        for query in
            ["kazakstan", "cafe", "naive", "nandu", "東京", "tokayev", "almaty", "rusuhan", "titip", "x"]
        {
            for distance in 0..=2 {
                let mut expected: Vec<&str> =
                    all.iter().map(|(t, _)| t.as_str()).filter(|t| typo_of(query, t, distance)).collect();
                expected.sort_unstable();
                let found = index.terms_within(query, distance, usize::MAX);
                let found: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
                assert_eq!(found, expected, "{query} within {distance}");
                let found = split.terms_within(query, distance, usize::MAX);
                let found: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
                assert_eq!(found, expected, "{query} within {distance}, split");
            }
        }
    }

    /// An index of more postings chunks than [`KEYED_POSTINGS_CHUNKS`] leaves their keys out of its
    /// table (its entry stays small): its words' postings come after their dictionary chunks, and
    /// the answers are the same. A smaller one asks for a word's postings with its dictionary chunk.
    /// A split index's roots go in family chunks, each root with its terms and their postings,
    /// unless there would be more than [`KEYED_POSTINGS_CHUNKS`] of those (the entry names each):
    /// then the dictionary chunks hold the roots, as a whole index's does.
    #[test]
    fn families_only_for_a_few_chunks() {
        let (consonants, vowels) = (b"bdgklmprst", b"aiu");
        let syllable = |i: usize| [consonants[i % 10], vowels[i / 10 % 3]];
        let roots: Vec<String> = (0..KEYED_POSTINGS_CHUNKS + 60)
            .map(|i| {
                let bytes = [syllable(i % 30), syllable(i / 30 % 30), syllable(i / 900 % 30)].concat();
                String::from_utf8(bytes).unwrap()
            })
            .collect();
        let text: Vec<String> = roots.iter().flat_map(|r| [r.clone(), format!("di{r}")]).collect();
        let index = Index::build(&[article("a", "", &text.join(" "), "id")]);
        let (root, variant) = (&roots[7], format!("di{}", roots[7]));
        let variant_id = index.term_id(&variant).unwrap();
        assert_eq!(index.terms_with_root(root), [variant_id], "the stemmer takes `di` off");
        for (post_bytes, with_families) in [(1, false), (64, true)] {
            let split = index.split(512, post_bytes, 1, true, KEYED_POSTINGS_CHUNKS).unwrap();
            assert_eq!(split.fam.is_empty(), !with_families, "{} family chunks", split.fam.len());
            assert!(split.table().is_valid());
            let back = Index::from_table(split.table(), 0);
            for (i, bytes) in encoded_parts(&split).iter().enumerate() {
                back.fill(i, bytes).unwrap();
            }
            assert_eq!(back.has_families(), with_families);
            if with_families {
                let Family::Root(own, terms) = back.family(root) else { panic!("{root} has a family") };
                assert_eq!((own, terms), (index.term_id(root), &[variant_id][..]));
                assert!(back.terms_with_root(root).is_empty(), "the dictionary chunks leave the roots out");
            } else {
                assert_eq!(back.terms_with_root(root), [variant_id]);
            }
            assert_eq!(back.postings(variant_id), index.postings(variant_id));
        }
    }

    #[test]
    fn postings_keys_only_for_a_few_chunks() {
        let words: Vec<String> = (0..KEYED_POSTINGS_CHUNKS + 10)
            .map(|i| {
                format!(
                    "k{}{}{}",
                    (b'a' + (i / 676) as u8) as char,
                    (b'a' + (i / 26 % 26) as u8) as char,
                    (b'a' + (i % 26) as u8) as char
                )
            })
            .collect();
        let index = Index::build(&[article("a", "", &words.join(" "), "und")]);
        for (post_bytes, keyed) in [(1, false), (64, true)] {
            let split = index.split(512, post_bytes, 1, true, KEYED_POSTINGS_CHUNKS).unwrap();
            assert_eq!(split.post.len() > KEYED_POSTINGS_CHUNKS, !keyed);
            assert_eq!(split.post_keys.is_empty(), !keyed);
            assert!(split.table().is_valid());
            let back = Index::from_table(split.table(), 0);
            let word = &words[KEYED_POSTINGS_CHUNKS];
            assert_eq!(back.word_id(word, false), None, "its dictionary chunk is still to come");
            let asked = back.misses.take();
            let post =
                |p: &u32| (split.dict.len()..split.dict.len() + split.post.len()).contains(&(*p as usize));
            assert_eq!(asked.iter().any(post), keyed, "{asked:?}");
            for (i, bytes) in encoded_parts(&split).iter().enumerate() {
                back.fill(i, bytes).unwrap();
            }
            let id = back.word_id(word, false).unwrap();
            assert_eq!(back.postings(id), index.postings(index.term_id(word).unwrap()));
        }
    }

    #[test]
    fn parts_round_trip_and_inconsistency() {
        let articles = [
            article("a", "Judul", "Isi berita pendek tentang banjir.", "id"),
            article("b", "Banjir", "Banjir di kota lagi, banjir besar.", "id"),
        ];
        let index = Index::build(&articles);
        // Cut in chunks of two terms, 8 bytes of postings and one article per range, then filled again.
        let split = index.split(2, 8, 1, true, KEYED_POSTINGS_CHUNKS).unwrap();
        let table = || split.table();
        assert!(table().is_valid());
        let encoded = encoded_parts(&split);
        assert!(split.dict.len() > 2 && split.post.len() > 2 && split.lens.len() == 2);
        let back = Index::from_table(table(), 0);
        for (i, bytes) in encoded.iter().enumerate() {
            assert!(!back.has_part(i));
            back.fill(i, bytes).unwrap();
        }
        assert!(back.is_complete());
        for term in 0..index.term_count() as u32 {
            assert_eq!(back.postings(term), index.postings(term));
            assert_eq!(back.term_text(term), index.term_text(term));
        }
        assert_eq!(back.terms_with_prefix("b", 10), index.terms_with_prefix("b", 10));
        assert_eq!(back.lengths(1), index.lengths(1));
        // The offsets of both posting streams are read off `doc_freq`: counts that disagree with the
        // streams are refused, never read past; and a part is checked against the table.
        let d = split.dict.len();
        let mut more = split.post[0].clone();
        more.doc_freq[0] += 1;
        let fresh = Index::from_table(table(), 0);
        assert!(fresh.fill(d, &postcard::to_allocvec(&more).unwrap()).is_err());
        let mut cut = split.post[0].clone();
        cut.counts.pop();
        assert!(fresh.fill(d, &postcard::to_allocvec(&cut).unwrap()).is_err());
        assert!(fresh.fill(0, &encoded[d]).is_err(), "postings where a dictionary chunk goes");
        assert!(!fresh.has_part(d) && !fresh.has_part(0));
    }
}
