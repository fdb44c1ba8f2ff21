//! The inverted index: every normalised word (term) with the articles it occurs in and how often, and
//! every root (stem) with the terms that share it. Built once by [`IndexBuilder`], then only read.
//!
//! It keeps no word positions: phrases are checked on the article text, which the engine holds anyway
//! (positions were most of the index, and a pack is downloaded whole).

use std::collections::{HashMap, HashSet};

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};
use serde::{Deserialize, Serialize};

use crate::text::analyze::tokenize;
use crate::text::stem::{english_stem, indonesian_roots, prune_roots};
use crate::Article;

/// Most unattested root candidates kept per term (see [`crate::text::stem`]).
const MAX_UNATTESTED_ROOTS: usize = 6;

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
        let mut term_roots = Vec::with_capacity(terms.len());
        for (term_id, roots) in term_roots_text.iter().enumerate() {
            let ids: Vec<u32> = roots.iter().filter_map(|r| root_id.get(r.as_str()).copied()).collect();
            for &r in &ids {
                root_terms[r as usize].push(term_id as u32);
            }
            term_roots.push(ids);
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
        let docs = self.title_lens.len().max(1) as f32;
        let mut t = Tables {
            avg_title: self.title_lens.iter().sum::<u32>() as f32 / docs,
            avg_body: self.body_lens.iter().sum::<u32>() as f32 / docs,
            root_terms: Lists::new(&root_terms),
            term_roots: Lists::new(&term_roots),
            gaps,
            counts,
            gap_offsets: Vec::new(),
            count_offsets: Vec::new(),
            doc_freq,
            title_lens: self.title_lens,
            body_lens: self.body_lens,
            langs: self.langs,
        };
        // The offsets are found as a pack's reader finds them: one way to lay out the streams.
        let found = t.find_offsets();
        debug_assert!(found, "the builder's streams hold doc_freq postings per term");
        Index { terms: term_map, roots: root_map, t }
    }
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

/// The searchable index of a corpus.
#[derive(Clone)]
pub struct Index {
    terms: Map<Vec<u8>>,
    roots: Map<Vec<u8>>,
    t: Tables,
}

/// Everything of the index but its two dictionaries, as built and as stored.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Tables {
    root_terms: Lists,
    term_roots: Lists,
    /// Every term's postings, term after term: the article numbers (as gaps) in one stream, the counts
    /// in another ([`encode_posting`]). Apart, each compresses better (a third smaller together).
    #[serde(with = "bytes")]
    gaps: Vec<u8>,
    #[serde(with = "bytes")]
    counts: Vec<u8>,
    /// Where each term's part of `gaps` and of `counts` starts (and, last, the end). Not stored: read
    /// off the streams and `doc_freq` when a pack is opened ([`Tables::find_offsets`]).
    #[serde(skip)]
    gap_offsets: Vec<u32>,
    #[serde(skip)]
    count_offsets: Vec<u32>,
    doc_freq: Vec<u32>,
    title_lens: Vec<u32>,
    body_lens: Vec<u32>,
    avg_title: f32,
    avg_body: f32,
    langs: u8,
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
        f.debug_struct("Index").field("terms", &self.terms.len()).field("roots", &self.roots.len()).finish()
    }
}

/// The index as stored in a pack: the dictionaries' bytes, then the tables (postcard writes nested
/// fields in order, so this is the same layout as listing them flat).
#[derive(Serialize, Deserialize)]
pub(crate) struct IndexData {
    #[serde(with = "bytes")]
    terms: Vec<u8>,
    #[serde(with = "bytes")]
    roots: Vec<u8>,
    tables: Tables,
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

impl Index {
    /// Builds the index of `articles`.
    pub fn build(articles: &[Article]) -> Index {
        let mut builder = IndexBuilder::default();
        for article in articles {
            builder.add(article);
        }
        builder.build()
    }

    pub(crate) fn to_data(&self) -> IndexData {
        IndexData {
            terms: self.terms.as_fst().as_bytes().to_vec(),
            roots: self.roots.as_fst().as_bytes().to_vec(),
            tables: self.t.clone(),
        }
    }

    /// Rebuilds the index from stored data, checking that its parts agree (`docs` articles).
    pub(crate) fn from_data(data: IndexData, docs: usize) -> Result<Index, String> {
        let IndexData { terms, roots, tables: mut data } = data;
        let terms = Map::new(terms).map_err(|e| format!("term dictionary: {e}"))?;
        let roots = Map::new(roots).map_err(|e| format!("root dictionary: {e}"))?;
        let n_terms = terms.len();
        let consistent = data.doc_freq.len() == n_terms
            && data.find_offsets()
            && data.term_roots.is_valid(n_terms)
            && data.root_terms.is_valid(roots.len())
            && data.title_lens.len() == docs
            && data.body_lens.len() == docs
            && data.term_roots.items.iter().all(|&r| (r as usize) < roots.len())
            && data.root_terms.items.iter().all(|&t| (t as usize) < n_terms);
        // Every dictionary value must be a valid id (a crafted pack could say otherwise).
        let ids_valid = |map: &Map<Vec<u8>>, n: usize| {
            let mut stream = map.stream();
            let mut ok = true;
            while let Some((_, v)) = stream.next() {
                ok &= (v as usize) < n;
            }
            ok
        };
        if !consistent || !ids_valid(&terms, n_terms) || !ids_valid(&roots, roots.len()) {
            return Err("index parts do not agree with each other".into());
        }
        Ok(Index { terms, roots, t: data })
    }

    /// Number of articles.
    pub fn docs(&self) -> usize {
        self.t.title_lens.len()
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The id of a term, if the corpus has it.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.terms.get(term).map(|id| id as u32)
    }

    /// The text of a term id, read from the dictionary (terms are numbered in dictionary order, so
    /// the id leads to its key; no table of all texts is built).
    pub fn term_text(&self, term: u32) -> Option<String> {
        let key = self.terms.as_fst().get_key(u64::from(term))?;
        String::from_utf8(key).ok()
    }

    /// The terms whose roots include `root`.
    pub fn terms_with_root(&self, root: &str) -> &[u32] {
        self.roots.get(root).map_or(&[], |r| self.t.root_terms.get(r as usize))
    }

    /// The root ids of a term.
    pub fn roots_of(&self, term: u32) -> &[u32] {
        self.t.term_roots.get(term as usize)
    }

    /// Whether the corpus has Indonesian (or undetermined) and English articles.
    pub fn has_langs(&self) -> (bool, bool) {
        (self.t.langs & LANG_ID != 0, self.t.langs & LANG_EN != 0)
    }

    /// Number of articles containing a term.
    pub fn doc_freq(&self, term: u32) -> u32 {
        self.t.doc_freq[term as usize]
    }

    /// Title and body length (in words) of an article.
    pub fn lengths(&self, doc: u32) -> (u32, u32) {
        (self.t.title_lens[doc as usize], self.t.body_lens[doc as usize])
    }

    /// Average title and body length (in words).
    pub fn average_lengths(&self) -> (f32, f32) {
        (self.t.avg_title, self.t.avg_body)
    }

    /// Terms starting with `prefix` (at most `limit`, in dictionary order), with their ids.
    pub fn terms_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, u32)> {
        self.terms_matching(fst::automaton::Str::new(prefix).starts_with(), limit)
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
        let mut stream = self.terms.search(fst::automaton::Str::new(prefix).starts_with()).into_stream();
        // (doc freq, place in the stream), and the texts one after the other (`ends`: where each
        // ends): the texts of those kept are then at hand, without a walk of the dictionary each.
        let (mut found, mut ids, mut texts, mut ends) = (Vec::new(), Vec::new(), Vec::new(), vec![0]);
        while found.len() < MAX_SCANNED {
            let Some((key, id)) = stream.next() else { break };
            found.push((u64::from(self.doc_freq(id as u32)), found.len() as u32));
            ids.push(id as u32);
            texts.extend_from_slice(key);
            ends.push(texts.len());
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

    /// Terms within `distance` edits of `term` (at most `limit`), with their ids.
    pub fn terms_within(&self, term: &str, distance: u32, limit: usize) -> Vec<(String, u32)> {
        match Within::new(term, distance) {
            Some(automaton) => self.terms_matching(automaton, limit),
            None => Vec::new(), // very long words get no typo matches
        }
    }

    /// The first `limit` terms (in dictionary order) that `automaton` accepts, with their ids.
    fn terms_matching(&self, automaton: impl Automaton, limit: usize) -> Vec<(String, u32)> {
        let mut stream = self.terms.search(automaton).into_stream();
        let mut out = Vec::new();
        while out.len() < limit {
            let Some((key, id)) = stream.next() else { break };
            out.push((String::from_utf8_lossy(key).into_owned(), id as u32));
        }
        out
    }

    /// The postings of a term, in article order.
    pub fn postings(&self, term: u32) -> Vec<Posting> {
        self.doc_counts(term).map(|(doc, title, body)| Posting { doc, title, body }).collect()
    }

    /// The articles of a term with its title and body counts in each, in article order, read straight
    /// from the stored bytes.
    pub(crate) fn doc_counts(&self, term: u32) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let docs = self.docs() as u32;
        let (gaps, counts) = self.posting_bytes(term);
        DocCounts { gaps, counts, at_gap: 0, at_count: 0, doc: 0 }.take_while(move |&(doc, _, _)| doc < docs)
    }

    /// A term's parts of the gap and count streams.
    fn posting_bytes(&self, term: u32) -> (&[u8], &[u8]) {
        let (t, g, c) = (term as usize, &self.t.gap_offsets, &self.t.count_offsets);
        (&self.t.gaps[g[t] as usize..g[t + 1] as usize], &self.t.counts[c[t] as usize..c[t + 1] as usize])
    }
}

fn push_varint(mut v: u32, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint; a truncated one reads as what it has (the pack checksum guards real damage).
fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
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
/// `gaps`), then in `counts` one varint `body count × 2 + (title count > 0)` and the title count when
/// there is one (most words are not in the title).
fn encode_posting(p: &Posting, gap: u32, gaps: &mut Vec<u8>, counts: &mut Vec<u8>) {
    push_varint(gap, gaps);
    push_varint(p.body << 1 | u32::from(p.title > 0), counts);
    if p.title > 0 {
        push_varint(p.title, counts);
    }
}

/// Reads one posting's `(title, body)` counts from the `counts` stream ([`encode_posting`]).
fn read_counts(counts: &[u8], at: &mut usize) -> (u32, u32) {
    let code = read_varint(counts, at);
    let title = if code & 1 == 1 { read_varint(counts, at) } else { 0 };
    (title, code >> 1)
}

impl Tables {
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
}

impl Iterator for DocCounts<'_> {
    /// `(article, title count, body count)`.
    type Item = (u32, u32, u32);

    fn next(&mut self) -> Option<(u32, u32, u32)> {
        if self.at_gap >= self.gaps.len() {
            return None;
        }
        self.doc = self.doc.saturating_add(read_varint(self.gaps, &mut self.at_gap));
        let (title, body) = read_counts(self.counts, &mut self.at_count);
        Some((self.doc, title, body))
    }
}

/// The words within `distance` edits (insertions, deletions, substitutions of characters, and swaps
/// of two neighbours: `titpi` is one edit from `titip`, the optimal string alignment distance) of a
/// word, as an automaton over the dictionary's bytes. Each state holds the last two rows of the
/// edit-distance table, so nothing is built before the walk (a Levenshtein DFA takes longer to build
/// than the walk itself).
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
        })
    }

    fn is_match(&self, state: &Option<Row>) -> bool {
        state
            .as_ref()
            .is_some_and(|row| row.pending_len == 0 && self.cells(row)[self.query.len()] <= self.distance)
    }

    fn can_match(&self, state: &Option<Row>) -> bool {
        state.as_ref().is_some_and(|row| {
            self.cells(row).iter().any(|&c| c <= self.distance)
                || row.before[..=self.query.len()].iter().any(|&c| c < self.distance)
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
            Posting { doc: 0, title: 1, body: 300 },
            Posting { doc: 7, title: 0, body: 1 },
            Posting { doc: 100_000, title: 2, body: 0 },
        ];
        let (mut gaps, mut counts) = (Vec::new(), Vec::new());
        let mut last = 0;
        for p in &postings {
            encode_posting(p, p.doc - last, &mut gaps, &mut counts);
            last = p.doc;
        }
        let back: Vec<Posting> = DocCounts { gaps: &gaps, counts: &counts, at_gap: 0, at_count: 0, doc: 0 }
            .map(|(doc, title, body)| Posting { doc, title, body })
            .collect();
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
        assert_eq!(postings, vec![Posting { doc: 0, title: 1, body: 2 }]);
        // Names keep no roots; English words get their Porter2 stem.
        let almaty = index.term_id("almaty").unwrap();
        assert!(index.roots_of(almaty).is_empty());
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

    proptest::proptest! {
        /// Over a small alphabet (so that words share letters, swaps and repeats), the dictionary walk
        /// finds exactly the terms the full table puts within the distance.
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
                all.iter().map(|(t, _)| t.as_str()).filter(|t| edit_distance(&query, t) <= distance as usize).collect();
            let found = index.terms_within(&query, distance, usize::MAX);
            let found: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn typo_lookup_matches_edit_distance() {
        let words =
            "kazakhstan kazakstan kasakhstan kerusuhan kerusuhannya rusuh café cafe caffè naïve naive \
                     ñandú nandu tokayev tokaev tokayevs tokyaev 東京 東都 京東 almaty almati almtay ktitip titpi";
        let index = Index::build(&[article("a", "", words, "und")]);
        let all = index.terms_with_prefix("", usize::MAX);
        for query in
            ["kazakstan", "cafe", "naive", "nandu", "東京", "tokayev", "almaty", "rusuhan", "titip", "x"]
        {
            for distance in 0..=2 {
                let mut expected: Vec<&str> = all
                    .iter()
                    .map(|(t, _)| t.as_str())
                    .filter(|t| edit_distance(query, t) <= distance as usize)
                    .collect();
                expected.sort_unstable();
                let found = index.terms_within(query, distance, usize::MAX);
                let found: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
                assert_eq!(found, expected, "{query} within {distance}");
            }
        }
    }

    #[test]
    fn data_round_trip_and_inconsistency() {
        let articles = [article("a", "Judul", "Isi berita pendek.", "id")];
        let index = Index::build(&articles);
        let back = Index::from_data(index.to_data(), 1).unwrap();
        assert_eq!(back.term_count(), index.term_count());
        assert!(Index::from_data(index.to_data(), 2).is_err());
        // The offsets of both posting streams are read off `doc_freq`: counts that disagree with the
        // streams are refused, never read past.
        let mut more = index.to_data();
        more.tables.doc_freq[0] += 1;
        assert!(Index::from_data(more, 1).is_err());
        let mut fewer = index.to_data();
        fewer.tables.doc_freq[0] -= 1;
        assert!(Index::from_data(fewer, 1).is_err());
        let mut cut = index.to_data();
        cut.tables.counts.pop();
        assert!(Index::from_data(cut, 1).is_err());
        let back = Index::from_data(index.to_data(), 1).unwrap();
        for term in 0..index.term_count() as u32 {
            assert_eq!(back.postings(term), index.postings(term));
        }
    }
}
