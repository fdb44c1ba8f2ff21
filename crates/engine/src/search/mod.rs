//! Running a query against the index: expansion (exact, stem, prefix, typo), BM25F ranking with a
//! per-term breakdown, snippets and highlight spans; the query language is [`query`].

pub(crate) mod explain;
pub(crate) mod query;

use std::sync::OnceLock;

use serde::Serialize;

use crate::index::{candidate_roots, Index};
use crate::ner::EntityType;
use crate::search::query::{parse_query, Clause, ClauseKind, Field, QueryWarning, WarningKind};
use crate::text::analyze::{first_non_ascii, for_each_word, is_cut, is_stopword, normalize};
use crate::{DocId, EntityId};
use crate::{Engine, Span};

/// Ranking parameters (BM25F with match-kind weights). The defaults suit news articles.
#[derive(Clone, Debug, PartialEq)]
pub struct RankParams {
    /// Term-frequency saturation (0.5–2.0): higher lets repeated words count for longer.
    pub k1: f32,
    /// Body length normalisation (0–1): 1 fully penalises long articles, 0 ignores length.
    pub b_body: f32,
    /// Title length normalisation (0–1).
    pub b_title: f32,
    /// How much a title occurrence counts against a body occurrence (1–10).
    pub title_boost: f32,
    /// Weight of a word matched exactly (after case and diacritic folding). The reference: 1.
    pub exact: f32,
    /// Weight of a word matched through its stem (`kerusuhan` for `rusuh`), 0–1: below exact so that
    /// exact matches rank first.
    pub stem: f32,
    /// Weight of a word matched as a prefix (`tokayev` for `toka*`), 0–1.
    pub prefix: f32,
    /// Weight of a word one edit away (`kazakhstan` for `kazakstan`), 0–1; two edits count half of it.
    pub typo: f32,
    /// Factor for stopwords (`yang`, `the`) when the query has other words, 0–1: they match but do not
    /// drive ranking.
    pub stopword: f32,
    /// Rank by how many query words the title has before the score (after exact matches): a headline
    /// that names what was asked for comes before an article that only mentions it, as a reader
    /// scanning headlines expects (and as Meilisearch's `attribute` rule and FlexSearch's field order
    /// do). Below that count, the query's stopwords in the title break ties (`buat` in `buat
    /// terminal`: a headline with both is the closer match; on the dev file's two- and three-word
    /// known-item queries, whose words keep their stopwords, this took success@10 to 1.00). False:
    /// the title only weighs through `title_boost`.
    pub title_tier: bool,
    /// Weight of where in its title an article names what was asked for: the score of an article
    /// whose title has a query word is multiplied by `1 + title_position / (1 + p)`, `p` the place of
    /// the title's first such word (0: the headline opens with it, ×2 at 1.0; 4th word ×1.25). A
    /// headline leads with what it is about (Meilisearch's `attribute` rule and FlexSearch's scoring
    /// weigh word position the same way). Only the best `4 × limit` articles (at most 64, at least
    /// `limit`) by the other signals are reordered: the titles are read, no positions are stored.
    /// 0 turns it off. On the dev file's known-item queries (`sorot-bench --known-items`), 1.0 took
    /// one-word queries from 0.57 to 0.65 success@10 and all from 0.88 to 0.90; anything from 0.5 to 2
    /// does about as well.
    pub title_position: f32,
}

impl Default for RankParams {
    fn default() -> RankParams {
        RankParams {
            k1: 1.2,
            b_body: 0.75,
            b_title: 0.5,
            title_boost: 3.0,
            exact: 1.0,
            stem: 0.7,
            prefix: 0.5,
            typo: 0.4,
            stopword: 0.1,
            title_tier: true,
            title_position: 1.0,
        }
    }
}

/// How a query is run.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchOptions {
    /// Most hits returned (the total still counts them all).
    pub limit: usize,
    /// Treat the last word as a prefix too, for search-as-you-type (unless the query ends in a space).
    pub prefix_last: bool,
    /// Ranking parameters.
    pub rank: RankParams,
    /// Put every matching article in rank order in [`SearchResults::docs`] (the explorer pages
    /// through them). When false only the hits are ranked and `docs` is in corpus order, which is
    /// quicker when many articles match.
    pub rank_all: bool,
    /// Entity filters applied besides the query text (the explorer's chips, an embedding page's
    /// filters): as if written before it, but not part of it, so that warning spans refer to the
    /// query text alone.
    pub filters: Vec<Filter>,
}

impl Default for SearchOptions {
    fn default() -> SearchOptions {
        SearchOptions {
            limit: 20,
            prefix_last: false,
            rank: RankParams::default(),
            rank_all: true,
            filters: Vec::new(),
        }
    }
}

/// An entity filter: articles that mention the entity (or, with `exclude`, that do not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Its kind.
    pub kind: EntityType,
    /// Its name (canonical or an alias, as in a query's `person:"…"`).
    pub name: String,
    /// Leave out the articles that mention it.
    pub exclude: bool,
}

impl Filter {
    /// The entity filters written in `text` in the query syntax (`person:"Vladimir Putin" -org:CSTO`),
    /// and where its other clauses are (words, phrases: no filters).
    pub fn parse(text: &str) -> (Vec<Filter>, Vec<Span>) {
        let query = parse_query(text);
        let (mut filters, mut others) = (Vec::new(), Vec::new());
        let included = query.groups.iter().flatten().map(|c| (c, false));
        for (clause, exclude) in included.chain(query.excluded.iter().map(|c| (c, true))) {
            match &clause.kind {
                ClauseKind::Entity { kind, name } => {
                    filters.push(Filter { kind: *kind, name: name.clone(), exclude })
                }
                _ => others.push(clause.span),
            }
        }
        (filters, others)
    }

    /// As a query clause (with an empty span: it is not in the query text).
    fn clause(&self) -> Clause {
        Clause {
            span: Span::new(0, 0),
            field: Field::Any,
            kind: ClauseKind::Entity { kind: self.kind, name: self.name.clone() },
        }
    }
}

/// How a term came to match a query word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The same word.
    Exact,
    /// A word sharing its root.
    Stem,
    /// A word starting with the query word.
    Prefix,
    /// A word a typo away.
    Typo,
}

#[derive(Clone, Debug)]
struct Expansion {
    term: u32,
    weight: f32,
    exact: bool,
    /// How it matched (for explanations).
    kind: MatchKind,
    /// A typo's edit distance; for a stem, which of the word's keys (0: the word, then its
    /// candidate roots in order) the term shares.
    via: u8,
}

#[derive(Clone, Debug)]
enum Matcher {
    Words(Vec<Expansion>),
    Phrase(Vec<u32>),
    /// Articles mentioning one of these entities.
    Entities(Vec<EntityId>),
    Nothing,
}

#[derive(Clone, Debug)]
struct Planned {
    label: String,
    field: Field,
    matcher: Matcher,
    stopword: bool,
}

/// A word of the query that matched a different word in the corpus (a stem, a prefix or a typo).
#[derive(Clone, PartialEq, Serialize)]
pub struct Expanded {
    /// The query word.
    pub query: String,
    /// The corpus word it matched.
    pub term: String,
    /// How.
    pub kind: MatchKind,
    /// The corpus word's term id (so highlighting need not look its text up again).
    #[serde(skip)]
    pub(crate) term_id: u32,
}

// Debug as derived for the public fields only (the term id is a shortcut, not part of the answer).
impl std::fmt::Debug for Expanded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expanded")
            .field("query", &self.query)
            .field("term", &self.term)
            .field("kind", &self.kind)
            .finish()
    }
}

/// One matching article.
///
/// Hits are ranked first by how many query clauses they match exactly (so an article with the very
/// word ranks above one with only a variant of it), then by score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Article number in the corpus.
    pub doc: DocId,
    /// Number of query clauses matched exactly (the word itself, or the phrase).
    pub exact: u32,
    /// Number of query clauses matched in the title (any kind of match; stopwords not counted).
    pub in_title: u32,
    /// Total score: the clauses' contributions times `title_factor`.
    pub score: f32,
    /// What the place of the first query word in the title multiplied the score by (1: none there, or
    /// not weighed; see [`RankParams::title_position`]).
    pub title_factor: f32,
    /// What each query clause contributed, in query order (clauses that did not match are left out).
    pub terms: Vec<(String, f32)>,
}

impl Hit {
    /// What each clause contributed, by its label in label order; a label given twice keeps its last
    /// score.
    pub fn term_scores(&self) -> Vec<(&str, f32)> {
        let mut terms: Vec<(&str, f32)> = self.terms.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        // Stable: equal labels keep query order, so the last one is the last clause's.
        crate::order::sort_by(&mut terms, |x, y| x.0.cmp(y.0));
        let mut out: Vec<(&str, f32)> = Vec::with_capacity(terms.len());
        for (label, score) in terms {
            match out.last_mut() {
                Some(last) if last.0 == label => last.1 = score,
                _ => out.push((label, score)),
            }
        }
        out
    }
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// What was odd about the query.
    pub warnings: Vec<QueryWarning>,
    /// How many articles match.
    pub total: usize,
    /// True when no article had all the words and the results are those with any of them.
    pub any_word_fallback: bool,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// Words matched other than exactly (for "did you mean" and the teaching view).
    pub expansions: Vec<Expanded>,
    /// Every matching article, best first (`hits` are the first of these); in corpus order when the
    /// search was made without [`SearchOptions::rank_all`].
    pub docs: Vec<DocId>,
    plan: Vec<Planned>,
    /// The ranking parameters it was ranked with (for explanations).
    rank: RankParams,
    /// The texts of the terms the plan matches, made on the first highlight.
    matched: OnceLock<MatchedTerms>,
}

/// The terms a query matches, by their normalised text: highlighting compares an article's words with
/// these instead of looking each word up in the dictionary.
#[derive(Clone, Debug)]
struct MatchedTerms {
    /// `(text, id)` by [`fold_hash`] of the text, open addressing: a power of two of slots, at least
    /// twice the terms.
    slots: Vec<Option<(Box<str>, u32)>>,
    /// For each length in bytes (the last: 63 or more), bit `b % 64` set for each first byte `b` of a
    /// term that long: most words are ruled out by these alone.
    starts: [u64; 64],
}

impl MatchedTerms {
    fn new(index: &Index, plan: &[Planned], known: &[Expanded]) -> MatchedTerms {
        let mut ids: Vec<u32> = Vec::new();
        for planned in plan {
            match &planned.matcher {
                Matcher::Words(expansions) => ids.extend(expansions.iter().map(|e| e.term)),
                Matcher::Phrase(terms) => ids.extend(terms),
                Matcher::Entities(_) | Matcher::Nothing => {}
            }
        }
        MatchedTerms::from_ids(index, ids, known)
    }

    /// The terms `ids`, with the texts of those in `known` taken from there (a prefix's completions,
    /// found by walking the dictionary once already) and the others read from the dictionary.
    fn from_ids(index: &Index, mut ids: Vec<u32>, known: &[Expanded]) -> MatchedTerms {
        crate::order::sort_ids(&mut ids);
        ids.dedup();
        let mut texts: Vec<(u32, &str)> = known.iter().map(|e| (e.term_id, e.term.as_str())).collect();
        crate::order::sort_by(&mut texts, |a, b| a.0.cmp(&b.0));
        let mut slots = vec![None; (ids.len() * 2).next_power_of_two()];
        let mut starts = [0; 64];
        let mask = slots.len() - 1;
        for id in ids {
            let text = match texts.binary_search_by(|t| t.0.cmp(&id)) {
                Ok(at) => texts[at].1.to_string(),
                Err(_) => match index.term_text(id) {
                    Some(text) => text,
                    None => continue,
                },
            };
            starts[text.len().min(63)] |= start_bit(text.bytes().next().unwrap_or(0));
            let mut i = fold_hash(text.as_bytes()) as usize & mask;
            while slots[i].is_some() {
                i = (i + 1) & mask;
            }
            slots[i] = Some((text.into_boxed_str(), id));
        }
        MatchedTerms { slots, starts }
    }

    /// The term id of a word (its surface text) if the query matches it, `Some(None)` if not; `None`
    /// when the word has no normal form (the tokenizer drops it).
    fn id(&self, word: &str) -> Option<Option<u32>> {
        if word.is_ascii() && !word.starts_with(|c: char| c.is_ascii_digit()) {
            // Its normal form is its lower case, of the same length (see `normalize`).
            let first = word.as_bytes()[0].to_ascii_lowercase();
            if self.starts[word.len().min(63)] & start_bit(first) == 0 {
                return Some(None);
            }
            return Some(self.find(word.as_bytes(), true));
        }
        let term = normalize(word);
        (!term.is_empty()).then(|| self.find(term.as_bytes(), false))
    }

    /// The id of the term that is `word` (with ASCII letters in lower case if `fold`).
    fn find(&self, word: &[u8], fold: bool) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = fold_hash(word) as usize & mask;
        while let Some((text, id)) = &self.slots[i] {
            let text = text.as_bytes();
            let equal = match fold {
                true => {
                    text.len() == word.len()
                        && text.iter().zip(word).all(|(t, w)| *t == w.to_ascii_lowercase())
                }
                false => text == word,
            };
            if equal {
                return Some(*id);
            }
            i = (i + 1) & mask;
        }
        None
    }
}

/// FNV-1a of `bytes` with ASCII letters in lower case.
fn fold_hash(bytes: &[u8]) -> u64 {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    });
    h ^ (h >> 32)
}

fn start_bit(first: u8) -> u64 {
    1 << (first % 64)
}

/// A short passage of an article around its matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage, with `…` where it is cut.
    pub text: String,
    /// What to highlight in `text` (UTF-8 bytes).
    pub highlights: Vec<Span>,
}

/// Per-document accumulated weighted term frequencies for one clause.
#[derive(Clone, Copy, Debug, Default)]
struct Tf {
    title: f32,
    body: f32,
    /// The clause matched here exactly (not only through a stem, prefix or typo).
    exact: bool,
}

/// Most words a prefix or typo expands to.
const MAX_EXPANSIONS: usize = 64;
/// Words in a snippet.
const SNIPPET_WORDS: usize = 30;

/// A query as planned: parsed (filters first), each clause with the terms it matches.
struct QueryPlan {
    /// The parsed query (its warnings grow while planning).
    query: crate::search::query::Query,
    /// Each group's clauses, planned.
    groups: Vec<Vec<Planned>>,
    /// The excluded clauses, planned.
    excluded: Vec<Planned>,
    /// Words matched other than exactly.
    expansions: Vec<Expanded>,
    /// Every clause is a stopword (none then counts as one).
    all_stop: bool,
}

/// Parses `text` with the options' filters and plans each clause.
fn plan_query(engine: &Engine, text: &str, options: &SearchOptions) -> QueryPlan {
    let index = engine.index();
    let mut query = parse_query(text);
    // The filters come first, as when they were written before the query: each one a required group
    // of its own, or an exclusion.
    if !options.filters.is_empty() {
        let filters = |exclude: bool| options.filters.iter().filter(move |f| f.exclude == exclude);
        let mut groups: Vec<Vec<Clause>> = filters(false).map(|f| vec![f.clause()]).collect();
        groups.append(&mut query.groups);
        query.groups = groups;
        let mut excluded: Vec<Clause> = filters(true).map(Filter::clause).collect();
        excluded.append(&mut query.excluded);
        query.excluded = excluded;
    }
    let rank = &options.rank;
    let typing_last = options.prefix_last && !text.ends_with(char::is_whitespace);
    if typing_last {
        if let Some(Clause { kind: ClauseKind::Word { prefix, .. }, .. }) =
            query.groups.last_mut().and_then(|g| g.last_mut())
        {
            *prefix = true;
        }
    }
    // Scoring will need the articles' lengths: a split index with few ranges of them has them asked
    // for now, with the dictionary, rather than after the postings.
    if query
        .groups
        .iter()
        .chain([&query.excluded])
        .flatten()
        .any(|c| !matches!(c.kind, ClauseKind::Entity { .. }))
    {
        index.ask_lengths_early();
    }
    let mut expansions = Vec::new();
    let (has_id, has_en) = index.has_langs();
    let all_stop = query.groups.iter().flatten().all(|c| is_stop_clause(c, has_id, has_en));
    let mut plan_groups: Vec<Vec<Planned>> = Vec::new();
    for group in &query.groups {
        let planned = group
            .iter()
            .map(|c| {
                let mut p = plan_clause(engine, c, rank, &mut expansions, &mut query.warnings);
                p.stopword = !all_stop && is_stop_clause(c, has_id, has_en);
                p
            })
            .collect();
        plan_groups.push(planned);
    }
    let excluded: Vec<Planned> = query
        .excluded
        .iter()
        .map(|c| plan_clause(engine, c, rank, &mut Vec::new(), &mut query.warnings))
        .collect();
    QueryPlan { query, groups: plan_groups, excluded, expansions, all_stop }
}

/// Runs `text` against `index` (and `entities`, for entity filters; `articles`, the indexed articles in
/// order, for phrases).
pub(crate) fn search(engine: &Engine, text: &str, options: &SearchOptions) -> SearchResults {
    let index = engine.index();
    let rank = &options.rank;
    let QueryPlan { mut query, groups: plan_groups, excluded, mut expansions, all_stop } =
        plan_query(engine, text, options);

    // Articles per clause (in article order), with their weighted term frequencies.
    let n_docs = index.docs();
    let mut acc = Accumulator::new();
    let group_tfs: Vec<Vec<Vec<(u32, Tf)>>> =
        plan_groups.iter().map(|g| g.iter().map(|p| clause_tf(engine, p, &mut acc)).collect()).collect();
    let mut excluded_docs = Vec::new();
    for p in &excluded {
        excluded_docs = union(&excluded_docs, &doc_list(&clause_tf(engine, p, &mut acc)));
    }
    // (One clause, the usual group: its list as it is, not merged into an empty one.)
    let mut group_docs: Vec<Vec<u32>> = group_tfs
        .iter()
        .map(|g| match g.as_slice() {
            [one] => doc_list(one),
            _ => g.iter().fold(Vec::new(), |docs, tfs| union(&docs, &doc_list(tfs))),
        })
        .collect();
    let required: Vec<usize> =
        (0..plan_groups.len()).filter(|&g| all_stop || !plan_groups[g].iter().all(|p| p.stopword)).collect();
    // Only exclusions (`-putin`, or an excluded entity alone): everything else matches.
    let mut docs: Vec<u32> = if required.is_empty() && !excluded.is_empty() {
        (0..n_docs as u32).collect()
    } else {
        let mut iter = required.iter();
        match iter.next() {
            // One group: its list itself (the fallback below needs the lists only for two or more).
            Some(&first) if required.len() == 1 => std::mem::take(&mut group_docs[first]),
            Some(&first) => iter.fold(group_docs[first].clone(), |docs, &g| intersect(&docs, &group_docs[g])),
            None => Vec::new(),
        }
    };
    if !excluded_docs.is_empty() {
        docs = difference(&docs, &excluded_docs);
    }
    let mut any_word_fallback = false;
    if docs.is_empty() && required.len() > 1 {
        let any = group_docs.iter().fold(Vec::new(), |any, g| union(&any, g));
        let any = difference(&any, &excluded_docs);
        if !any.is_empty() {
            docs = any;
            any_word_fallback = true;
            query.warnings.push(QueryWarning::new(WarningKind::AnyWordFallback, Span::new(0, text.len())));
        }
    }

    // Score every matching article (clause lists and `docs` are in article order: one cursor each),
    // rank, and explain only the hits returned.
    let scorer = Scorer::new(index, rank);
    // Each clause with its article list and idf.
    type Clauses<'a> = Vec<(&'a Planned, &'a Vec<(u32, Tf)>, f32)>;
    let clauses: Clauses = plan_groups
        .iter()
        .flatten()
        .zip(group_tfs.iter().flatten())
        .map(|(p, tfs)| (p, tfs, scorer.idf(tfs.len())))
        .collect();
    let mut cursors = vec![0usize; clauses.len()];
    let mut ranked: Vec<(u64, u32)> = docs
        .iter()
        .map(|&doc| {
            let (mut score, mut exact, mut in_title, mut stop_in_title) = (0.0f32, 0u32, 0u32, 0u32);
            let norms = scorer.norms(doc);
            for ((planned, tfs, idf), at) in clauses.iter().zip(&mut cursors) {
                while *at < tfs.len() && tfs[*at].0 < doc {
                    *at += 1;
                }
                let Some((_, tf)) = tfs.get(*at).filter(|(d, _)| *d == doc) else { continue };
                score += scorer.score(planned, tf, *idf, norms);
                exact += u32::from(tf.exact && !planned.stopword);
                in_title += u32::from(tf.title > 0.0 && !planned.stopword);
                stop_in_title += u32::from(tf.title > 0.0 && planned.stopword);
            }
            // Query words in the title, and below them the query's stopwords there (`buat` in
            // `buat term*`): four bits each of the key's eight.
            let tier = in_title.min(15) << 4 | stop_in_title.min(15);
            (rank_key(exact, if rank.title_tier { tier } else { 0 }, score), doc)
        })
        .collect();
    let total = ranked.len();
    let pool = if rank.title_position > 0.0 {
        options.limit.max((4 * options.limit).min(64))
    } else {
        options.limit
    };
    if options.rank_all {
        crate::order::rank_descending(&mut ranked);
    } else {
        ranked = crate::order::top_descending(&ranked, pool);
    }
    let plan: Vec<&Planned> = plan_groups.iter().flatten().collect();
    let matched = OnceLock::new();
    let mut factors = Vec::new();
    // With the title tier, the key says which articles have a query word in the title; none: nothing to do.
    let titled = |key: u64| !rank.title_tier || (key >> 32) & 0xff > 0;
    if rank.title_position > 0.0 && ranked.iter().take(pool).any(|&(key, _)| titled(key)) {
        let pooled = &mut ranked[..pool.min(total)];
        let words;
        (factors, words) = rerank_by_title_position(engine, &plan, rank.title_position, pooled, &expansions);
        let _ = matched.set(words);
    }
    let hits: Vec<Hit> = ranked
        .iter()
        .take(options.limit)
        .map(|&(_, doc)| {
            let norms = scorer.norms(doc);
            let (mut score, mut exact, mut in_title, mut terms) = (0.0f32, 0u32, 0u32, Vec::new());
            for (planned, tfs, idf) in &clauses {
                let Ok(i) = tfs.binary_search_by_key(&doc, |(d, _)| *d) else { continue };
                let tf = &tfs[i].1;
                let s = scorer.score(planned, tf, *idf, norms);
                score += s;
                exact += u32::from(tf.exact && !planned.stopword);
                in_title += u32::from(tf.title > 0.0 && !planned.stopword);
                terms.push((planned.label.clone(), s));
            }
            let title_factor = factors.iter().find(|f| f.0 == doc).map_or(1.0, |f| f.1);
            Hit { doc: DocId(doc), exact, in_title, score: score * title_factor, title_factor, terms }
        })
        .collect();
    let docs = if options.rank_all {
        ranked.iter().map(|&(_, doc)| DocId(doc)).collect()
    } else {
        docs.into_iter().map(DocId).collect()
    };
    crate::order::sort_by(&mut expansions, |a: &Expanded, b| (&a.query, &a.term).cmp(&(&b.query, &b.term)));
    expansions.dedup();
    SearchResults {
        query: text.to_string(),
        warnings: query.warnings,
        total,
        any_word_fallback,
        hits,
        expansions,
        docs,
        plan: plan_groups.into_iter().flatten().collect(),
        rank: rank.clone(),
        matched,
    }
}

fn is_stop_clause(clause: &Clause, has_id: bool, has_en: bool) -> bool {
    match &clause.kind {
        ClauseKind::Word { term, prefix: false } => {
            (has_id && is_stopword(term, "id")) || (has_en && is_stopword(term, "en"))
        }
        _ => false,
    }
}

/// Works out which corpus terms a clause matches, and how much each counts.
fn plan_clause(
    engine: &Engine,
    clause: &Clause,
    rank: &RankParams,
    expanded: &mut Vec<Expanded>,
    warnings: &mut Vec<QueryWarning>,
) -> Planned {
    let index = engine.index();
    let label = clause.label();
    let matcher = match &clause.kind {
        ClauseKind::Word { term, prefix } => {
            Matcher::Words(expand_word(index, term, *prefix, rank, expanded))
        }
        ClauseKind::Phrase(words) => {
            // Every word looked up, not only those before the first one not found: a split index
            // asks for all their pieces in one round (a word's dictionary chunk still to come is
            // "not found" until it is here).
            let ids: Vec<Option<u32>> = words.iter().map(|w| index.word_id(w, false)).collect();
            ids.into_iter().collect::<Option<Vec<u32>>>().map_or(Matcher::Nothing, Matcher::Phrase)
        }
        ClauseKind::Entity { kind, name } => {
            let found =
                if engine.has_entities() { engine.find_entities(Some(*kind), name) } else { Vec::new() };
            if found.is_empty() {
                let warning = if !engine.has_entities() {
                    WarningKind::NoEntityIndex
                } else {
                    WarningKind::UnknownEntity { kind: *kind, name: name.clone() }
                };
                warnings.push(QueryWarning::new(warning, clause.span));
            }
            Matcher::Entities(found)
        }
    };
    Planned { label, field: clause.field, matcher, stopword: false }
}

/// The corpus terms a query word stands for: exact, then stems, prefixes, and typos when nothing else.
fn expand_word(
    index: &Index,
    word: &str,
    prefix: bool,
    rank: &RankParams,
    expanded: &mut Vec<Expanded>,
) -> Vec<Expansion> {
    let mut out: Vec<Expansion> = Vec::new();
    let add = |out: &mut Vec<Expansion>, term: u32, weight: f32, (kind, via): (MatchKind, u8)| {
        // A few hundred at most: a look through them is as quick as a hash set.
        if !out.iter().any(|e| e.term == term) {
            // A word still being typed (`rest*` on the way to `restoran`) is no exact match for
            // the ranking tier: an article that has `rest` does not answer it better than one
            // with `restoran`.
            let exact = kind == MatchKind::Exact && !prefix;
            out.push(Expansion { term, weight, exact, kind, via });
            true
        } else {
            false
        }
    };
    if let Some(id) = index.word_id(word, prefix) {
        add(&mut out, id, rank.exact, (MatchKind::Exact, 0));
    }
    // Stems: the query word's own root candidates, in every language the corpus has.
    let mut keys = vec![word.to_string()];
    keys.extend(candidate_roots(word, index.langs()));
    for (k, key) in keys.iter().enumerate() {
        let (direct, family) = index.root(key, word);
        for term in direct.filter(|_| key != word).into_iter().chain(family.iter().copied()) {
            if add(&mut out, term, rank.stem, (MatchKind::Stem, k.min(255) as u8)) {
                expanded.push(Expanded {
                    query: word.into(),
                    term: term_text(index, term),
                    kind: MatchKind::Stem,
                    term_id: term,
                });
            }
        }
    }
    if prefix {
        // Completions are distinct: only the exact and stem terms before them can repeat one.
        let before = out.len();
        // Beyond the 64 most common, rarer completions as long as they add at most one posting per
        // article of the corpus; not for one or two letters, which every other word starts with (they
        // are a word being typed, where `k*` reaching a rare word would only cost time).
        let extra = if word.chars().nth(2).is_some() { index.docs() as u64 } else { 0 };
        for (text, term) in index.common_terms_with_prefix(word, MAX_EXPANSIONS, extra) {
            if out[..before].iter().any(|e| e.term == term) {
                continue;
            }
            // Shorter completions are closer to what was typed.
            let closeness = (word.len() as f32 / text.len().max(1) as f32).sqrt();
            let weight = rank.prefix * closeness;
            out.push(Expansion { term, weight, exact: false, kind: MatchKind::Prefix, via: 0 });
            expanded.push(Expanded {
                query: word.into(),
                term: text,
                kind: MatchKind::Prefix,
                term_id: term,
            });
        }
    }
    let letters = word.chars().count();
    // (Not while the word's own part of the dictionary is still to come: it may be there. Other
    // words' pieces still to come do not hold it up.)
    if out.is_empty() && letters >= 4 && index.has_chunks_of(&keys, prefix.then_some(word)) {
        let distance = if letters >= 9 { 2 } else { 1 };
        for d in 1..=distance {
            for (text, term) in index.terms_within(word, d, MAX_EXPANSIONS) {
                let weight = if d == 1 { rank.typo } else { rank.typo / 2.0 };
                if add(&mut out, term, weight, (MatchKind::Typo, d as u8)) {
                    expanded.push(Expanded {
                        query: word.into(),
                        term: text,
                        kind: MatchKind::Typo,
                        term_id: term,
                    });
                }
            }
            if !out.is_empty() {
                break; // the closest typos only
            }
        }
    }
    out
}

/// The text of a term id (for explanations only; walks the dictionary).
fn term_text(index: &Index, term: u32) -> String {
    index.term_text(term).unwrap_or_default()
}

/// The BM25F arithmetic, shared by the ranking pass and the explanation of the returned hits (so both
/// give the very same numbers).
struct Scorer<'a> {
    index: &'a Index,
    rank: &'a RankParams,
    n: f32,
    avg_title: f32,
    avg_body: f32,
}

impl<'a> Scorer<'a> {
    fn new(index: &'a Index, rank: &'a RankParams) -> Scorer<'a> {
        let (avg_title, avg_body) = index.average_lengths();
        Scorer { index, rank, n: index.docs() as f32, avg_title, avg_body }
    }

    /// Length normalisation of an article's title and body.
    fn norms(&self, doc: u32) -> (f32, f32) {
        let rank = self.rank;
        let (title_len, body_len) = self.index.lengths(doc);
        let norm_title = 1.0 - rank.b_title + rank.b_title * title_len as f32 / self.avg_title.max(1.0);
        let norm_body = 1.0 - rank.b_body + rank.b_body * body_len as f32 / self.avg_body.max(1.0);
        (norm_title, norm_body)
    }

    /// The inverse document frequency of a clause matching `df` articles.
    fn idf(&self, df: usize) -> f32 {
        let df = df as f32;
        (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln()
    }

    /// A clause's frequencies in title and body, the title's boosted, each divided by its field's
    /// length normalisation.
    fn weighted(&self, tf: &Tf, (norm_title, norm_body): (f32, f32)) -> f32 {
        self.rank.title_boost * tf.title / norm_title + tf.body / norm_body
    }

    /// What a clause contributes with these frequencies.
    fn score(&self, planned: &Planned, tf: &Tf, idf: f32, norms: (f32, f32)) -> f32 {
        let rank = self.rank;
        let weighted = self.weighted(tf, norms);
        let s = idf * weighted * (rank.k1 + 1.0) / (rank.k1 + weighted);
        if planned.stopword {
            s * rank.stopword
        } else {
            s
        }
    }
}

/// Reorders `ranked` (best first) by [`RankParams::title_position`]: each article whose title has a
/// word of a clause that looks at titles gets its score multiplied. Returns the factors other than 1,
/// and the query's words (made here anyway; snippets and highlights use them next).
fn rerank_by_title_position(
    engine: &Engine,
    plan: &[&Planned],
    weight: f32,
    ranked: &mut [(u64, u32)],
    known: &[Expanded],
) -> (Vec<(u32, f32)>, MatchedTerms) {
    let index = engine.index();
    let mut all = Vec::new();
    for planned in plan {
        match &planned.matcher {
            Matcher::Words(expansions) => all.extend(expansions.iter().map(|e| e.term)),
            Matcher::Phrase(terms) => all.extend_from_slice(terms),
            Matcher::Entities(_) | Matcher::Nothing => {}
        }
    }
    let titled = titled_terms(plan);
    let matched = MatchedTerms::from_ids(index, all, known);
    let mut factors = Vec::new();
    if titled.is_empty() {
        return (factors, matched);
    }
    // The first place of a titled term in each pooled article's title, from the postings (the index
    // keeps each term's first place in a title): the titles themselves are not read.
    let mut pooled: Vec<(u32, usize)> = ranked.iter().enumerate().map(|(i, &(_, doc))| (doc, i)).collect();
    crate::order::sort_by_key(&mut pooled, |p| p.0);
    let mut places: Vec<Option<u32>> = vec![None; ranked.len()];
    for &term in &titled {
        let mut at = 0;
        for (doc, place) in index.title_places(term) {
            while at < pooled.len() && pooled[at].0 < doc {
                at += 1;
            }
            let Some(&(d, i)) = pooled.get(at) else { break };
            if d == doc {
                places[i] = Some(places[i].map_or(place, |p| p.min(place)));
            }
        }
    }
    for ((key, doc), first) in ranked.iter_mut().zip(places) {
        let Some(p) = first else { continue };
        let factor = 1.0 + weight / (1 + p) as f32;
        let score = score_of_key(*key) * factor;
        *key = (*key & !0xffff_ffff) | (rank_key(0, 0, score) & 0xffff_ffff);
        factors.push((*doc, factor));
    }
    crate::order::rank_descending(ranked);
    (factors, matched)
}

/// The terms whose place in a title weighs ([`RankParams::title_position`]): the words of the
/// clauses that look at titles, but stopwords; a phrase's first word. Sorted, without duplicates.
fn titled_terms(plan: &[&Planned]) -> Vec<u32> {
    let mut titled = Vec::new();
    for planned in plan.iter().filter(|p| !p.stopword && p.field != Field::Body) {
        match &planned.matcher {
            Matcher::Words(expansions) => titled.extend(expansions.iter().map(|e| e.term)),
            // A phrase is where its first word is.
            Matcher::Phrase(terms) => titled.extend(terms.first()),
            Matcher::Entities(_) | Matcher::Nothing => {}
        }
    }
    crate::order::sort_ids(&mut titled);
    titled.dedup();
    titled
}

/// The score a [`rank_key`] was made from.
fn score_of_key(key: u64) -> f32 {
    let ordered = key as u32;
    f32::from_bits(if ordered >> 31 == 1 { ordered & 0x7fff_ffff } else { !ordered })
}

/// A sort key ordering hits by exact clauses, then clauses in the title (when `title_tier`), then
/// score (all descending when the key is).
fn rank_key(exact: u32, in_title: u32, score: f32) -> u64 {
    // Maps f32 to u32 in `total_cmp` order.
    let bits = score.to_bits();
    let ordered = if bits >> 31 == 1 { !bits } else { bits | 0x8000_0000 };
    u64::from(exact.min(0xff_ffff)) << 40 | u64::from(in_title.min(0xff)) << 32 | u64::from(ordered)
}

/// The articles of a clause's list.
fn doc_list(tfs: &[(u32, Tf)]) -> Vec<u32> {
    tfs.iter().map(|(d, _)| *d).collect()
}

/// Merges two ascending article lists.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() { b.to_vec() } else { a.to_vec() };
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The articles of ascending list `a` that are also in ascending list `b`.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    filter_by_membership(a, b, true)
}

/// The articles of ascending list `a` that are not in ascending list `b`.
fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    if b.is_empty() {
        return a.to_vec();
    }
    filter_by_membership(a, b, false)
}

/// The articles of ascending list `a` whose presence in ascending list `b` is `present` (one merge walk).
fn filter_by_membership(a: &[u32], b: &[u32], present: bool) -> Vec<u32> {
    let mut j = 0;
    a.iter()
        .copied()
        .filter(|&d| {
            while j < b.len() && b[j] < d {
                j += 1;
            }
            (j < b.len() && b[j] == d) == present
        })
        .collect()
}

/// Sums frequencies per article over several terms: one slot per article, reused across clauses.
struct Accumulator {
    slots: Vec<Tf>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl Accumulator {
    fn new() -> Accumulator {
        Accumulator { slots: Vec::new(), seen: Vec::new(), touched: Vec::new() }
    }

    /// Makes room for `docs` articles (allocated on first use only).
    fn reserve(&mut self, docs: usize) {
        if self.slots.len() < docs {
            self.slots.resize(docs, Tf::default());
            self.seen.resize(docs, false);
        }
    }

    fn add(&mut self, doc: u32, title: f32, body: f32, exact: bool) {
        let Some(slot) = self.slots.get_mut(doc as usize) else { return };
        if !self.seen[doc as usize] {
            self.seen[doc as usize] = true;
            self.touched.push(doc);
        }
        slot.title += title;
        slot.body += body;
        slot.exact |= exact;
    }

    /// The sums in article order; empties the accumulator.
    fn take(&mut self) -> Vec<(u32, Tf)> {
        if self.touched.len() > self.slots.len() / 16 {
            // Many articles: walking all of them in order is quicker than sorting the touched ones.
            let seen = &self.seen;
            self.touched.clear();
            self.touched.extend((0..seen.len() as u32).filter(|&d| seen[d as usize]));
        } else {
            crate::order::sort_ids(&mut self.touched);
        }
        let out = self
            .touched
            .iter()
            .map(|&d| {
                self.seen[d as usize] = false;
                (d, std::mem::take(&mut self.slots[d as usize]))
            })
            .collect();
        self.touched.clear();
        out
    }
}

/// For each article the clause matches, in article order: its weighted term frequency in title and
/// body.
fn clause_tf(engine: &Engine, planned: &Planned, acc: &mut Accumulator) -> Vec<(u32, Tf)> {
    let index = engine.index();
    let (use_title, use_body) = match planned.field {
        Field::Any => (true, true),
        Field::Title => (true, false),
        Field::Body => (false, true),
    };
    let counts = |title: u32, body: u32| {
        (if use_title { title as f32 } else { 0.0 }, if use_body { body as f32 } else { 0.0 })
    };
    match &planned.matcher {
        Matcher::Nothing => Vec::new(),
        Matcher::Entities(wanted) => {
            let mut out = Vec::new();
            engine.for_each_doc_entities(|doc, entities| {
                let count: u32 =
                    entities.iter().filter(|&&(e, _)| wanted.contains(&EntityId(e))).map(|&(_, n)| n).sum();
                if count > 0 {
                    out.push((doc, Tf { title: 0.0, body: count as f32, exact: true }));
                }
            });
            out
        }
        // One term (the common case): its postings are already in article order.
        Matcher::Words(expansions) if expansions.len() == 1 => {
            let e = &expansions[0];
            index
                .doc_counts(e.term)
                .filter_map(|(doc, title, body)| {
                    let (title, body) = counts(title, body);
                    (title + body != 0.0).then_some((
                        doc,
                        Tf { title: e.weight * title, body: e.weight * body, exact: e.exact },
                    ))
                })
                .collect()
        }
        Matcher::Words(expansions) => {
            acc.reserve(index.docs());
            for e in expansions {
                for (doc, title, body) in index.doc_counts(e.term) {
                    let (title, body) = counts(title, body);
                    if title + body != 0.0 {
                        acc.add(doc, e.weight * title, e.weight * body, e.exact);
                    }
                }
            }
            acc.take()
        }
        Matcher::Phrase(terms) => {
            // Articles with every word in a field searched (and in which fields), then the phrase
            // counted in those fields' text: the index keeps no positions.
            let mut candidates: Option<Vec<(u32, bool, bool)>> = None;
            for &t in terms {
                let docs = index.doc_counts(t).filter_map(|(doc, title, body)| {
                    let (title, body) = (use_title && title > 0, use_body && body > 0);
                    (title || body).then_some((doc, title, body))
                });
                candidates = Some(match candidates {
                    None => docs.collect(),
                    Some(c) => {
                        let mut docs = docs.peekable();
                        c.into_iter()
                            .filter_map(|(doc, title, body)| {
                                while docs.next_if(|&(d, _, _)| d < doc).is_some() {}
                                let (_, t, b) = docs.next_if(|&(d, _, _)| d == doc)?;
                                (title && t || body && b).then_some((doc, title && t, body && b))
                            })
                            .collect()
                    }
                });
            }
            let phrase = Phrase::new(index, terms);
            let mut out = Vec::new();
            for (doc, in_title, in_body) in candidates.unwrap_or_default() {
                let Some(article) = engine.article_at(DocId(doc)) else { continue };
                let title = if in_title { phrase.count(&article.title) } else { 0 };
                let body = if in_body { phrase.count(&article.body) } else { 0 };
                if title + body > 0 {
                    out.push((doc, Tf { title: title as f32, body: body as f32, exact: true }));
                }
            }
            out
        }
    }
}

/// A phrase to count in article texts.
struct Phrase<'a> {
    terms: &'a [u32],
    matched: MatchedTerms,
    /// Its rarest word written in ASCII (no digit first) and that word's place in the phrase (the
    /// first, if it occurs twice): where the text holds the phrase, it holds this word.
    anchor: Option<(usize, String)>,
}

impl<'a> Phrase<'a> {
    fn new(index: &Index, terms: &'a [u32]) -> Phrase<'a> {
        let anchor = terms
            .iter()
            .enumerate()
            .filter_map(|(k, &t)| Some((k, t, index.term_text(t)?)))
            .filter(|(_, _, text)| text.is_ascii() && !text.starts_with(|c: char| c.is_ascii_digit()))
            .min_by_key(|&(k, t, _)| (index.doc_freq(t), k))
            .map(|(k, _, text)| (k, text));
        Phrase { terms, matched: MatchedTerms::from_ids(index, terms.to_vec(), &[]), anchor }
    }

    /// How often the phrase occurs as consecutive words of `text` (overlapping occurrences each
    /// count), as [`tokenize`](crate::tokenize) finds them; the text is looked at only around the
    /// places where its anchor word may be.
    fn count(&self, text: &str) -> u32 {
        match &self.anchor {
            Some((k, word)) => self.count_at_anchor(text, *k, word.as_bytes()),
            None => self.count_every_word(text),
        }
    }

    /// [`Phrase::count`], reading every word of the text (a phrase of words that are not ASCII).
    fn count_every_word(&self, text: &str) -> u32 {
        let terms = self.terms;
        let n = terms.len();
        let Some(&last) = terms.last() else { return 0 };
        // The ids of the last `n` words, as a ring.
        let mut recent: Vec<Option<u32>> = vec![None; n];
        let (mut seen, mut count) = (0usize, 0u32);
        for_each_word(text, |_, word| {
            let Some(id) = self.matched.id(word) else { return }; // not a word the index has
            recent[seen % n] = id;
            seen += 1;
            if id == Some(last) && seen >= n && (0..n).all(|i| recent[(seen - n + i) % n] == Some(terms[i])) {
                count += 1;
            }
        });
        count
    }

    /// Counts the occurrences whose word `k` is the anchor `word`. An ASCII word normalises to the
    /// anchor only when it is the same letters in any case: such words are found by a byte search, at
    /// the places where no ASCII letter, digit or `_` (which would make them part of a longer word)
    /// stands next to them. A word with other characters may fold to it (`Lébih` is `lebih`): each
    /// such word is read and compared.
    fn count_at_anchor(&self, text: &str, k: usize, word: &[u8]) -> u32 {
        let bytes = text.as_bytes();
        let Some(&first) = word.first() else { return 0 };
        let anchor = Some(self.terms[k]);
        let joins = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let mut starts = Vec::new();
        for at in memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), bytes) {
            let end = at + word.len();
            let same = bytes.get(at..end).is_some_and(|b| b.eq_ignore_ascii_case(word));
            if same && !joins(at.checked_sub(1).and_then(|p| bytes.get(p))) && !joins(bytes.get(end)) {
                starts.push(at);
            }
        }
        // The words with other characters than ASCII, a stretch between two cuts at a time.
        let cut = |p: usize| p == 0 || p >= bytes.len() || is_cut(bytes, p);
        // Read up to `from`; `last_cut` is the last cut at or before it.
        let (mut from, mut last_cut) = (0, 0);
        while let Some(at) = first_non_ascii(&bytes[from..]).map(|p| from + p) {
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
            if never_in_a_word(c) {
                from = at + c.len_utf8();
                continue;
            }
            let start = (last_cut..=at).rev().find(|&p| cut(p)).unwrap_or(last_cut);
            let end = (at + 1..=bytes.len()).find(|&p| cut(p)).unwrap_or(bytes.len());
            for_each_word(&text[start..end], |offset, w| {
                if !w.is_ascii() && self.matched.id(w) == Some(anchor) {
                    starts.push(start + offset);
                }
            });
            from = end;
            last_cut = end;
        }
        crate::order::sort_by(&mut starts, |a, b| a.cmp(b));
        starts.dedup();
        // Reading around each place costs about the phrase's length, but a text with no cuts is read
        // whole each time: past a few times its length, reading every word once is quicker.
        let mut budget = 4 * bytes.len() + 4096;
        let mut count = 0;
        for at in starts {
            match self.occurs_at(text, at, k, &mut budget) {
                Some(found) => count += u32::from(found),
                None => return self.count_every_word(text),
            }
        }
        count
    }

    /// Whether the phrase occurs with its word `k` starting at byte `at`: the words around `at` are
    /// read from a stretch of text that starts and ends where no word crosses (see
    /// [`crate::text::analyze::is_cut`]), wide enough to hold the phrase.
    /// `None` once `budget` bytes were read (each reading takes its length from it).
    fn occurs_at(&self, text: &str, at: usize, k: usize, budget: &mut usize) -> Option<bool> {
        let bytes = text.as_bytes();
        let n = self.terms.len();
        let cut = |p: usize| p == 0 || p >= bytes.len() || is_cut(bytes, p);
        let mut reach = 24 * n;
        let mut words: Vec<(usize, Option<u32>)> = Vec::new();
        loop {
            let lo = at.saturating_sub(reach);
            let start = (lo..=at).find(|&p| cut(p));
            let hi = (at + reach).min(bytes.len());
            let end = (hi..bytes.len()).find(|&p| cut(p)).unwrap_or(bytes.len());
            if let Some(start) = start {
                *budget = budget.checked_sub(end - start)?;
                words.clear();
                for_each_word(&text[start..end], |offset, word| {
                    if let Some(id) = self.matched.id(word) {
                        words.push((start + offset, id));
                    }
                });
                let Some(j) = words.iter().position(|&(offset, _)| offset == at) else { return Some(false) };
                let before_ok = j >= k || start == 0;
                let after_ok = words.len() - j >= n - k || end == bytes.len();
                if before_ok && after_ok {
                    return Some(
                        j >= k
                            && words.get(j - k..j - k + n).is_some_and(|w| {
                                w.iter().zip(self.terms).all(|(&(_, id), &t)| id == Some(t))
                            }),
                    );
                }
            }
            if lo == 0 && end == bytes.len() {
                return Some(false); // the whole text was read
            }
            reach *= 2;
        }
    }
}

/// Characters no word contains (white space, dashes, quotes and other punctuation that UAX #29 never
/// joins to a letter, and that [`for_each_word`] treats as a break): a text's other characters than
/// ASCII are mostly these.
fn never_in_a_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '“' | '”' | '‘' | '’' | '‚' | '„' | '–' | '—' | '…' | '«' | '»' | '†' | '¬')
}

impl SearchResults {
    /// Spans in `text` (an article's title or body) of everything the query matched there: each
    /// matched word, and each phrase occurrence whole. Sorted, never overlapping.
    pub(crate) fn highlights(&self, index: &Index, text: &str, field: Field) -> Vec<Span> {
        self.highlight_words(&self.words(index, text), field)
    }

    /// The words of `text` (as [`crate::tokenize`] finds them), each with the id of the query term it
    /// is, if any.
    fn words(&self, index: &Index, text: &str) -> Vec<(Span, Option<u32>)> {
        let matched = self.matched.get_or_init(|| MatchedTerms::new(index, &self.plan, &self.expansions));
        let mut words = Vec::new();
        for_each_word(text, |start, word| {
            if let Some(id) = matched.id(word) {
                words.push((Span::new(start, start + word.len()), id));
            }
        });
        words
    }

    fn highlight_words(&self, words: &[(Span, Option<u32>)], field: Field) -> Vec<Span> {
        let mut spans = Vec::new();
        for planned in &self.plan {
            if planned.field != Field::Any && planned.field != field {
                continue;
            }
            match &planned.matcher {
                Matcher::Nothing | Matcher::Entities(_) => {}
                Matcher::Words(expansions) => {
                    for &(span, id) in words {
                        if id.is_some_and(|id| expansions.iter().any(|e| e.term == id)) {
                            spans.push(span);
                        }
                    }
                }
                Matcher::Phrase(terms) => {
                    for start in 0..words.len().saturating_sub(terms.len() - 1) {
                        let matches = terms.iter().enumerate().all(|(i, t)| words[start + i].1 == Some(*t));
                        if matches {
                            let end = words[start + terms.len() - 1].0.end;
                            spans.push(Span::new(words[start].0.start, end));
                        }
                    }
                }
            }
        }
        merge_spans(spans)
    }

    /// A passage of about thirty words of `body` covering the most distinct query clauses, cut at word
    /// boundaries, with its highlights.
    pub(crate) fn snippet(&self, index: &Index, body: &str) -> Snippet {
        let tokens = self.words(index, body);
        if tokens.is_empty() {
            return Snippet { text: String::new(), highlights: Vec::new() };
        }
        let highlights = self.highlight_words(&tokens, Field::Body);
        // Which highlight each token falls in; distinct clauses approximated by distinct highlighted terms
        // (numbered in order of appearance).
        let mut marks: Vec<Option<usize>> = vec![None; tokens.len()];
        let mut terms: Vec<Option<u32>> = Vec::new();
        let mut h = 0;
        for (i, &(span, term)) in tokens.iter().enumerate() {
            while h < highlights.len() && highlights[h].end <= span.start {
                h += 1;
            }
            if let Some(highlight) = highlights.get(h) {
                if highlight.start <= span.start && span.end <= highlight.end {
                    marks[i] = Some(terms.iter().position(|&x| x == term).unwrap_or_else(|| {
                        terms.push(term);
                        terms.len() - 1
                    }));
                }
            }
        }
        // The first window with the most distinct marks, then the most marks (slid one token at a time).
        let window = SNIPPET_WORDS.min(tokens.len());
        let mut in_window = vec![0usize; terms.len()];
        let (mut distinct, mut marked) = (0usize, 0usize);
        let mut best = (0usize, (0usize, 0usize));
        for (i, mark) in marks.iter().enumerate() {
            if let Some(m) = *mark {
                in_window[m] += 1;
                distinct += usize::from(in_window[m] == 1);
                marked += 1;
            }
            if i >= window {
                if let Some(m) = marks[i - window] {
                    in_window[m] -= 1;
                    distinct -= usize::from(in_window[m] == 0);
                    marked -= 1;
                }
            }
            if i + 1 >= window {
                let start = i + 1 - window;
                if (distinct, marked) > best.1 {
                    best = (start, (distinct, marked));
                }
            }
        }
        let mut start_tok = best.0;
        if best.1 .1 > 0 {
            let first_mark =
                (start_tok..start_tok + window).find(|&i| marks[i].is_some()).unwrap_or(start_tok);
            let lead = first_mark.saturating_sub(start_tok);
            if lead < 4 {
                start_tok = first_mark.saturating_sub(4).min(tokens.len() - window);
            }
        }
        let end_tok = start_tok + window - 1;
        let from = tokens[start_tok].0.start;
        let mut to = tokens[end_tok].0.end;
        // Keep closing punctuation that belongs to the last word.
        to += body[to..].find(|c: char| c.is_whitespace() || c.is_alphanumeric()).unwrap_or(body.len() - to);
        let (lead, tail) = (if from > 0 { "…" } else { "" }, if to < body.len() { "…" } else { "" });
        // Paragraph breaks become spaces (same length, so the spans stay right).
        let text = format!("{lead}{}{tail}", body[from..to].replace(['\n', '\r'], " "));
        let shift = lead.len();
        let highlights = highlights
            .iter()
            .filter(|s| s.start >= from && s.end <= to)
            .map(|s| Span::new(s.start - from + shift, s.end - from + shift))
            .collect();
        Snippet { text, highlights }
    }
}

/// Sorts spans and merges those that overlap or touch.
fn merge_spans(mut spans: Vec<Span>) -> Vec<Span> {
    crate::order::sort_by(&mut spans, Span::cmp);
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{tokenize, Article, Engine};

    /// Words with every kind of normalisation: case, diacritics (composed and not), ligatures, full
    /// width, thousands separators, typographic and plain quotes, hyphens, stems.
    const WORDS: &[&str] = &[
        "Kota",
        "kota-kota",
        "KERUSUHAN",
        "kerusuhannya",
        "rusuh",
        "Café",
        "cafe",
        "CAFÉ",
        "cafe\u{301}",
        "ﬁle",
        "ＡＢＣ",
        "abc",
        "2.500",
        "2500",
        "2,500",
        "2,5",
        "Jum’at",
        "Jum'at",
        "“revolusi",
        "warna”",
        "naïve",
        "a_b",
        "x:y",
        "\u{212a}elvin",
        "kelvin",
        "Ǆemal",
        "menahan",
        "tahan",
    ];
    const SEPARATORS: &[&str] = &[" ", ", ", ". ", "\n", " – "];
    /// Words that join, or do not, to their neighbours, and words of other letters that fold to ASCII
    /// ones; separators, among them scraping residue (`‚Äú` is `“` read in the wrong encoding).
    const PLAIN_WORDS: &[&str] = &[
        "lebih",
        "Lebih",
        "LEBIH",
        "kurang",
        "lebih's",
        "x'lebih",
        "_lebih",
        "lebih_",
        "lebih2",
        "2.500",
        "2500",
        "kurang-lebih",
        "a.b",
        "a",
        "lebihan",
        "kelebihan",
        "kurang.lebih",
        "Lébih",
        "lebih\u{301}",
        "ＬＥＢＩＨ",
        "kuráng",
        "Äúlebih",
        "ﬁle",
        "file",
        "lebih\u{200d}",
    ];
    const PLAIN_SEPARATORS: &[&str] = &[
        " ",
        "  ",
        "\n",
        ", ",
        ". ",
        "“",
        "” ",
        "…",
        " — ",
        "(",
        ") ",
        "'",
        "-",
        "’",
        "‚Äú",
        " ‚Äù ",
        "\u{a0}",
        "é",
    ];

    /// An engine over one Indonesian article.
    fn one_article(title: &str, body: &str) -> Engine {
        corpus(&[(title, body)])
    }

    fn text(picks: &[(usize, usize)]) -> String {
        picks.iter().map(|&(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s])).collect()
    }

    /// What highlighting used to do: tokenize, then look every term up in the dictionary.
    fn reference_words(results: &SearchResults, index: &Index, text: &str) -> Vec<(Span, Option<u32>)> {
        let mut terms = std::collections::HashSet::new();
        for planned in &results.plan {
            match &planned.matcher {
                Matcher::Words(expansions) => terms.extend(expansions.iter().map(|e| e.term)),
                Matcher::Phrase(ids) => terms.extend(ids.iter().copied()),
                Matcher::Entities(_) | Matcher::Nothing => {}
            }
        }
        tokenize(text)
            .iter()
            .map(|t| (t.span, index.term_id(&t.term).filter(|id| terms.contains(id))))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn highlighted_words_are_those_the_dictionary_finds(
            body in proptest::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..40),
            query in proptest::collection::vec(0..WORDS.len(), 1..4),
            phrase: bool,
            prefix: bool,
        ) {
            let body = text(&body);
            let all: Vec<(usize, usize)> = (0..WORDS.len()).map(|w| (w, 0)).collect();
            let article = |id: &str, body: String| Article {
                id: id.into(),
                title: body.chars().take(30).collect(),
                body,
                date: None,
                source: None,
                url: None,
                lang: "id".into(),
            };
            let engine = Engine::from_articles(vec![article("a", body.clone()), article("b", text(&all))]);
            let words: Vec<&str> = query.iter().map(|&w| WORDS[w]).collect();
            let query = if phrase { format!("\"{}\"", words.join(" ")) } else { words.join(" ") };
            let options = SearchOptions { prefix_last: prefix, ..SearchOptions::default() };
            let results = engine.search(&query, &options);
            let index = engine.index();
            for text in [&body, &engine.articles()[0].title] {
                proptest::prop_assert_eq!(results.words(index, text), reference_words(&results, index, text));
            }
        }

        /// In text of ASCII words, counting around the anchor's places finds what reading every word does.
        #[test]
        fn anchored_phrase_counts_are_those_of_every_word(
            body in proptest::collection::vec((0..PLAIN_WORDS.len(), 0..PLAIN_SEPARATORS.len()), 0..80),
            phrase in proptest::collection::vec(0..PLAIN_WORDS.len(), 2..5),
            at in 0..80usize,
        ) {
            let mut body = body;
            let at = at.min(body.len());
            body.splice(at..at, phrase.iter().map(|&w| (w, 0)));
            let body: String = body.iter().map(|&(w, s)| format!("{}{}", PLAIN_WORDS[w], PLAIN_SEPARATORS[s])).collect();
            let words: Vec<&str> = phrase.iter().map(|&w| PLAIN_WORDS[w]).collect();
            let engine = one_article("", &body);
            let results = engine.search(&format!("\"{}\"", words.join(" ")), &SearchOptions::default());
            if let Matcher::Phrase(terms) = &results.plan[0].matcher {
                let phrase = Phrase::new(engine.index(), terms);
                proptest::prop_assert_eq!(phrase.count(&body), phrase.count_every_word(&body));
            }
        }

        /// Phrases are counted on the text; the count is that of the word windows `tokenize` gives.
        #[test]
        fn phrases_count_the_windows_of_tokenized_words(
            title in proptest::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..12),
            body in proptest::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..60),
            phrase in proptest::collection::vec(0..WORDS.len(), 2..5),
            at in 0..60usize,
        ) {
            // The phrase once on purpose (other occurrences by chance).
            let mut body = body;
            let at = at.min(body.len());
            body.splice(at..at, phrase.iter().map(|&w| (w, 0)));
            let (title, body) = (text(&title), text(&body));
            let engine = one_article(&title, &body);
            let words: Vec<&str> = phrase.iter().map(|&w| WORDS[w]).collect();
            let wanted: Vec<String> = tokenize(&words.join(" ")).into_iter().map(|t| t.term).collect();
            let windows = |text: &str| {
                let terms: Vec<String> = tokenize(text).into_iter().map(|t| t.term).collect();
                terms.windows(wanted.len().max(1)).filter(|w| *w == wanted.as_slice()).count() as f32
            };
            let results = engine.search(&format!("\"{}\"", words.join(" ")), &SearchOptions::default());
            let planned = &results.plan[0];
            proptest::prop_assert!(matches!(planned.matcher, Matcher::Phrase(_) | Matcher::Nothing));
            let tf = clause_tf(&engine, planned, &mut Accumulator::new());
            let (title_count, body_count) = tf.first().map_or((0.0, 0.0), |(_, tf)| (tf.title, tf.body));
            proptest::prop_assert_eq!((title_count, body_count), (windows(&title), windows(&body)));
        }
    }

    fn corpus(articles: &[(&str, &str)]) -> Engine {
        Engine::from_articles(
            articles
                .iter()
                .enumerate()
                .map(|(i, (title, body))| Article {
                    id: format!("a{i}"),
                    title: title.to_string(),
                    body: body.to_string(),
                    date: None,
                    source: None,
                    url: None,
                    lang: "id".into(),
                })
                .collect(),
        )
    }

    #[test]
    fn a_headline_with_the_word_ranks_before_articles_that_only_mention_it() {
        let engine = corpus(&[
            ("Hujan deras semalam", "Banjir, banjir dan banjir lagi: warga mengungsi dari banjir."),
            ("Banjir di Bekasi", "Warga mengungsi semalam karena air sungai naik ke permukiman."),
        ]);
        let hits = engine.search("banjir", &SearchOptions::default()).hits;
        assert_eq!(hits.iter().map(|h| (h.doc.0, h.in_title)).collect::<Vec<_>>(), [(1, 1), (0, 0)]);
        // Without the tier (or the title position), the body that repeats the word wins on score alone.
        let rank = RankParams { title_tier: false, title_position: 0.0, ..RankParams::default() };
        let hits = engine.search("banjir", &SearchOptions { rank, ..SearchOptions::default() }).hits;
        assert_eq!(hits.iter().map(|h| h.doc.0).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn a_prefix_reaches_a_rare_completion_beyond_the_64_most_common() {
        // 70 completions of `pem` in two articles each, and `pembobol` in one: the 71st by articles,
        // reached because the extra completions stay within one posting per article.
        let words: Vec<String> =
            (0..70u8).map(|i| format!("pem{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char)).collect();
        let mut articles: Vec<(String, String)> = (0..70)
            .map(|i| (format!("Berita {i}"), format!("{} {}", words[i], words[(i + 1) % 70])))
            .collect();
        articles.push(("Siber".into(), "Polisi menangkap pembobol bank.".into()));
        let refs: Vec<(&str, &str)> = articles.iter().map(|(t, b)| (t.as_str(), b.as_str())).collect();
        let engine = corpus(&refs);
        let found = engine.search("siber pem*", &SearchOptions::default());
        assert!(!found.any_word_fallback);
        assert_eq!(found.hits.iter().map(|h| h.doc.0).collect::<Vec<_>>(), [70]);
        assert_eq!(engine.search("pem*", &SearchOptions::default()).total, 71);
        // Two letters are a word being typed: only the 64 most common completions.
        let typing = engine.search("siber pe*", &SearchOptions::default());
        assert!(typing.any_word_fallback, "{:?}", typing.expansions.len());
    }

    #[test]
    fn a_headline_with_the_query_stopword_too_ranks_before_one_without() {
        // `buat` is a stopword: it does not drive the score, but a headline that has it with the word
        // is the closer match (the title tier counts it below the words).
        let body = "Bandara itu melayani penerbangan domestik sejak tahun lalu.";
        let engine =
            corpus(&[("Terminal bandara dibuka hari ini", body), ("Jalan buat terminal bandara baru", body)]);
        let hits = engine.search("buat terminal", &SearchOptions::default()).hits;
        assert_eq!(hits.iter().map(|h| h.doc.0).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(hits.iter().map(|h| h.in_title).collect::<Vec<_>>(), [1, 1], "stopwords are not counted");
    }

    #[test]
    fn a_headline_that_opens_with_the_word_ranks_first() {
        let body = "Air sungai naik ke permukiman warga sejak semalam.";
        let engine = corpus(&[
            ("Warga kota Bekasi diterjang banjir", body),
            ("Banjir melanda kota Bekasi lagi", body),
        ]);
        let hits = engine.search("banjir", &SearchOptions::default()).hits;
        // The fifth word: ×(1 + 1/5); the first: ×2.
        let factors: Vec<(u32, f32)> = hits.iter().map(|h| (h.doc.0, h.title_factor)).collect();
        assert_eq!(factors, [(1, 2.0), (0, 1.2)]);
        let sum: f32 = hits[0].terms.iter().map(|t| t.1).sum();
        assert!((hits[0].score - 2.0 * sum).abs() < 1e-4, "the score is the clauses' sum times the factor");
        // Off: equal scores (titles of the same length), so corpus order.
        let rank = RankParams { title_position: 0.0, ..RankParams::default() };
        let hits = engine.search("banjir", &SearchOptions { rank, ..SearchOptions::default() }).hits;
        assert_eq!(hits.iter().map(|h| (h.doc.0, h.title_factor)).collect::<Vec<_>>(), [(0, 1.0), (1, 1.0)]);
        // A clause restricted to the body does not look at titles; only the first 4 × limit are weighed.
        let hits = engine.search("body:banjir", &SearchOptions::default()).hits;
        assert!(hits.iter().all(|h| h.title_factor == 1.0));
    }

    #[test]
    fn a_prefix_expands_to_its_most_common_completions() {
        // 80 rare words that sort before `pembobol`, which three articles write.
        let rare: Vec<String> =
            (0..80).map(|i| format!("pemba{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char)).collect();
        let mut articles: Vec<(String, String)> =
            rare.iter().map(|w| (format!("Judul {w}"), format!("isi {w}"))).collect();
        for _ in 0..3 {
            articles.push(("Pembobol bank ditangkap".into(), "Polisi menangkap pembobol bank.".into()));
        }
        let refs: Vec<(&str, &str)> = articles.iter().map(|(t, b)| (t.as_str(), b.as_str())).collect();
        let engine = corpus(&refs);
        let results = engine.search("bank pemb*", &SearchOptions::default());
        assert_eq!(results.total, 3, "{:?}", results.expansions);
        assert!(!results.any_word_fallback);
    }
}
