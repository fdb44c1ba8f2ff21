//! Showing the work (teaching mode): how a query was read and what it searched for
//! ([`Engine::explain_query`], after Elasticsearch's `_analyze` and `validate/query?explain`), and why
//! a hit ranks where it does ([`SearchResults::explain_hit`], a readable `explain`). Both are made by
//! the code that searches and ranks, so their numbers are the ones the engine used.

use serde::Serialize;

use super::query::{Clause, ClauseKind, Field, QueryWarning};
use super::{clause_tf, plan_query, titled_terms, Accumulator, MatchKind, Matcher, Planned, Scorer};
use crate::index::{candidate_derivations, Index};
use crate::text::analyze::is_stopword;
use crate::text::stem::{derivation_steps, Affix};
use crate::{DocId, Engine, SearchOptions, SearchResults, Span};

/// How a query was read and what each of its clauses searched for.
#[derive(Clone, Debug, Serialize)]
pub struct QueryExplanation {
    /// The query as given.
    pub query: String,
    /// Articles in the corpus (the `N` of every idf).
    pub articles: usize,
    /// The languages whose stopword lists and stemmers the corpus uses (`id`, `en`).
    pub languages: Vec<&'static str>,
    /// The clauses that must all match, in groups: any clause of a group may (`a OR b`). Entity
    /// filters given besides the text come first, as their own groups.
    pub groups: Vec<Vec<ClauseExplanation>>,
    /// The clauses no result may match (`-word`).
    pub excluded: Vec<ClauseExplanation>,
    /// What was odd about the query, each with where it is.
    pub warnings: Vec<QueryWarning>,
    /// Articles that match.
    pub total: usize,
    /// No article had all the words: the results have any of them.
    pub any_word_fallback: bool,
}

/// One clause of a query, through the pipeline.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseExplanation {
    /// Its label in score breakdowns (`kerusuhan`, `title:kremlin`, `"revolusi warna"`).
    pub label: String,
    /// Where it is in the query (UTF-8 bytes; empty for a filter given besides the text).
    pub span: Span,
    /// What it looks for.
    pub kind: ClauseType,
    /// Where it looks.
    pub field: Field,
    /// Each word as typed and analysed (one for a word, each of a phrase's; none for an entity).
    pub words: Vec<WordAnalysis>,
    /// It is a stopword among other words: it matches, but counts for little and is not required.
    pub stopword: bool,
    /// The corpus terms searched for a word: the word itself, words of the same root, completions
    /// of a prefix, typos (each with what it weighs).
    pub searched: Vec<SearchedTerm>,
    /// The entities an entity filter found (their names).
    pub entities: Vec<String>,
    /// Articles the clause matches (its document frequency).
    pub articles: usize,
}

/// What a clause looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseType {
    /// A word.
    Word,
    /// A word written `word*`: words starting with it.
    Prefix,
    /// Words in a row.
    Phrase,
    /// Articles mentioning an entity.
    Entity,
}

/// One word of a query through the analysis.
#[derive(Clone, Debug, Serialize)]
pub struct WordAnalysis {
    /// As typed.
    pub typed: String,
    /// Normalised: NFKC, lower case, diacritics folded, thousands separators dropped.
    pub normalized: String,
    /// The stopword lists that have it (`id`, `en`), of the corpus's languages.
    pub stopword_in: Vec<&'static str>,
    /// Its candidate roots, most likely first, each with how it was found.
    pub roots: Vec<RootCandidate>,
}

/// A candidate root of a query word.
#[derive(Clone, Debug, Serialize)]
pub struct RootCandidate {
    /// The root.
    pub root: String,
    /// The stemmer: `id` (Sorot's Indonesian rules) or `en` (Porter2).
    pub language: &'static str,
    /// The affixes removed, from the outside in (none for the English stem).
    pub steps: Vec<RootStep>,
    /// Whether it is itself a word of the corpus.
    pub is_word: bool,
    /// How many other words of the corpus (not the query word) have it among their roots: what a
    /// search for the word also finds through it.
    pub variants: usize,
}

/// One affix removed on the way to a root.
#[derive(Clone, Debug, Serialize)]
pub struct RootStep {
    /// What it is: `particle`, `possessive`, `suffix`, `prefix`, `reduplication` or `infix`.
    pub rule: &'static str,
    /// The prefix's class as dictionaries name it (`meN-`), for a prefix.
    pub class: Option<&'static str>,
    /// As written in the word: `-lah`, `-nya`, `-kan`, `ke-`, `men- (t→n)`.
    pub affix: String,
    /// What is left after it.
    pub leaves: String,
}

/// A corpus term a query word searched for.
#[derive(Clone, Debug, Serialize)]
pub struct SearchedTerm {
    /// The term.
    pub term: String,
    /// How it matches the word.
    pub kind: MatchKind,
    /// For a stem match, the root it shares with the word.
    pub root: Option<String>,
    /// For a typo, its edit distance from the word.
    pub distance: Option<u8>,
    /// What one occurrence of it counts for (the word itself: 1).
    pub weight: f32,
    /// Articles that have it.
    pub articles: u32,
}

impl Engine {
    /// How `text` is read and what it searches for with `options`: each word through the analysis
    /// (normalised, stopword, candidate roots with the rules that found them), the terms searched
    /// with their document frequencies, the query's structure and its warnings. A split engine
    /// notes the pieces it needs ([`Engine::missing`]) as a search does.
    pub fn explain_query(&self, text: &str, options: &SearchOptions) -> QueryExplanation {
        self.search(text, options).explain_query(self, options)
    }
}

impl SearchResults {
    /// How this search's query was read ([`Engine::explain_query`]), from the search itself: made
    /// with `options`, the ones it was run with.
    pub fn explain_query(&self, engine: &Engine, options: &SearchOptions) -> QueryExplanation {
        self.query_with(engine, options, &self.clause_lists(engine))
    }

    /// The query's explanation and the first `n` hits' ([`SearchResults::explain_query`],
    /// [`SearchResults::explain_hits`]), each clause's articles read once for both: what teaching
    /// mode shows of a search.
    pub fn explain(
        &self,
        engine: &Engine,
        options: &SearchOptions,
        n: usize,
    ) -> (QueryExplanation, Vec<HitExplanation>) {
        let lists = self.clause_lists(engine);
        (self.query_with(engine, options, &lists), self.hits_with(engine, n, &lists))
    }

    /// The query's explanation, with the articles of the clauses of its groups in `lists` (in plan
    /// order).
    fn query_with(
        &self,
        engine: &Engine,
        options: &SearchOptions,
        lists: &[Vec<(u32, super::Tf)>],
    ) -> QueryExplanation {
        let text = self.query.as_str();
        let index = engine.index();
        let plan = plan_query(engine, text, options);
        let (has_id, has_en) = index.has_langs();
        let languages: Vec<&'static str> =
            [(has_id, "id"), (has_en, "en")].into_iter().filter(|l| l.0).map(|l| l.1).collect();
        let mut acc = Accumulator::new();
        let mut explain = |clause: &Clause, planned: &Planned, list: Option<&Vec<(u32, super::Tf)>>| {
            let words = analyse_words(index, text, clause, &languages);
            let keys: Vec<String> = match &clause.kind {
                ClauseKind::Word { term, .. } => std::iter::once(term.clone())
                    .chain(candidate_derivations(term, index.langs()).into_iter().map(|(root, _)| root))
                    .collect(),
                _ => Vec::new(),
            };
            let searched = match &planned.matcher {
                Matcher::Words(expansions) => expansions
                    .iter()
                    .map(|e| SearchedTerm {
                        term: index.term_text(e.term).unwrap_or_default(),
                        kind: e.kind,
                        root: (e.kind == MatchKind::Stem)
                            .then(|| keys.get(usize::from(e.via)).cloned())
                            .flatten(),
                        distance: (e.kind == MatchKind::Typo).then_some(e.via),
                        weight: e.weight,
                        articles: index.doc_freq(e.term),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let entities = match &planned.matcher {
                Matcher::Entities(found) => {
                    found.iter().filter_map(|&e| engine.entity(e)).map(|e| e.name.clone()).collect()
                }
                _ => Vec::new(),
            };
            let kind = match &clause.kind {
                ClauseKind::Word { prefix: true, .. } => ClauseType::Prefix,
                ClauseKind::Word { .. } => ClauseType::Word,
                ClauseKind::Phrase(_) => ClauseType::Phrase,
                ClauseKind::Entity { .. } => ClauseType::Entity,
            };
            ClauseExplanation {
                label: planned.label.clone(),
                span: clause.span,
                kind,
                field: clause.field,
                words,
                stopword: planned.stopword,
                searched,
                entities,
                articles: list.map_or_else(|| clause_tf(engine, planned, &mut acc).len(), Vec::len),
            }
        };
        // The groups' clauses in plan order, as the lists are.
        let mut lists = lists.iter();
        let groups = plan
            .query
            .groups
            .iter()
            .zip(&plan.groups)
            .map(|(clauses, planned)| {
                clauses.iter().zip(planned).map(|(c, p)| explain(c, p, lists.next())).collect()
            })
            .collect();
        let excluded =
            plan.query.excluded.iter().zip(&plan.excluded).map(|(c, p)| explain(c, p, None)).collect();
        QueryExplanation {
            query: text.to_string(),
            articles: index.docs(),
            languages,
            groups,
            excluded,
            warnings: self.warnings.clone(),
            total: self.total,
            any_word_fallback: self.any_word_fallback,
        }
    }
}

/// The words of `clause` as typed in `text`, each analysed.
fn analyse_words(
    index: &Index,
    text: &str,
    clause: &Clause,
    languages: &[&'static str],
) -> Vec<WordAnalysis> {
    let normalized: Vec<&String> = match &clause.kind {
        ClauseKind::Word { term, .. } => vec![term],
        ClauseKind::Phrase(words) => words.iter().collect(),
        ClauseKind::Entity { .. } => return Vec::new(),
    };
    // The clause's text after its `field:` (the words are tokens of it, as the parser read them).
    let written = text.get(clause.span.start..clause.span.end).unwrap_or("");
    let body = match clause.field {
        Field::Any => written,
        Field::Title | Field::Body => written.split_once(':').map_or(written, |(_, rest)| rest),
    };
    let typed: Vec<String> =
        crate::tokenize(body).into_iter().map(|t| body[t.span.start..t.span.end].to_string()).collect();
    normalized
        .into_iter()
        .enumerate()
        .map(|(i, word)| {
            let itself = index.term_id(word);
            let roots = candidate_derivations(word, index.langs())
                .into_iter()
                .map(|(root, affixes)| {
                    let (own, family) = index.root(&root, word);
                    RootCandidate {
                        is_word: own.is_some(),
                        variants: family.iter().filter(|&&t| Some(t) != itself && Some(t) != own).count(),
                        language: if affixes.is_some() { "id" } else { "en" },
                        steps: affixes.map(|a| root_steps(word, &a)).unwrap_or_default(),
                        root,
                    }
                })
                .collect();
            WordAnalysis {
                typed: typed.get(i).cloned().unwrap_or_else(|| word.clone()),
                normalized: word.clone(),
                stopword_in: languages.iter().copied().filter(|l| is_stopword(word, l)).collect(),
                roots,
            }
        })
        .collect()
}

/// The affixes of a derivation of `word`, as written, with what each leaves.
fn root_steps(word: &str, affixes: &[Affix]) -> Vec<RootStep> {
    affixes
        .iter()
        .zip(derivation_steps(word, affixes))
        .map(|(affix, (written, leaves))| {
            let (rule, class) = match affix {
                Affix::Particle(_) => ("particle", None),
                Affix::Possessive(_) => ("possessive", None),
                Affix::Suffix(_) => ("suffix", None),
                Affix::Prefix { class, .. } => ("prefix", Some(*class)),
                Affix::Reduplication => ("reduplication", None),
                Affix::Infix => ("infix", None),
            };
            RootStep { rule, class, affix: written, leaves }
        })
        .collect()
}

/// Why a hit ranks where it does: each clause's BM25F arithmetic, the sum, what its title's first
/// query word multiplied it by, and what put it above the next hit.
#[derive(Clone, Debug, Serialize)]
pub struct HitExplanation {
    /// The article.
    pub doc: DocId,
    /// Its place in the results (1: first).
    pub place: usize,
    /// Articles in the corpus (`N`).
    pub articles: usize,
    /// The ranking parameters.
    pub k1: f32,
    /// How much a title occurrence counts against a body occurrence.
    pub title_boost: f32,
    /// The title's and body's lengths, against their averages.
    pub lengths: HitLengths,
    /// Each clause the article matches, in query order.
    pub clauses: Vec<ClauseScore>,
    /// The clauses' scores added up.
    pub sum: f32,
    /// Where in the title the first query word is (0: the headline opens with it), when that
    /// weighed.
    pub title_place: Option<u32>,
    /// What that place multiplied the sum by: `1 + title_position / (1 + place)` (1: none).
    pub title_factor: f32,
    /// The score: `sum × title_factor`, the number the engine ranked by.
    pub score: f32,
    /// Clauses matched exactly (the first thing hits are ranked by).
    pub exact: u32,
    /// Query words in the title, stopwords not counted (the second, when the title tier is on).
    pub in_title: u32,
    /// The query's stopwords in the title (breaking ties of the second).
    pub stopwords_in_title: u32,
    /// Whether the title tier is on ([`crate::RankParams::title_tier`]).
    pub title_tier: bool,
    /// What put it above the next hit (none for the last).
    pub above_next: Option<Above>,
}

/// An article's lengths (in words) and what they do to its term frequencies.
#[derive(Clone, Debug, Serialize)]
pub struct HitLengths {
    /// The title's length.
    pub title: u32,
    /// The body's length.
    pub body: u32,
    /// The corpus's average title length.
    pub average_title: f32,
    /// The corpus's average body length.
    pub average_body: f32,
    /// Title length normalisation `b`.
    pub b_title: f32,
    /// Body length normalisation `b`.
    pub b_body: f32,
    /// `1 − b + b × length / average` for the title: what its frequencies are divided by.
    pub norm_title: f32,
    /// The same for the body.
    pub norm_body: f32,
}

/// One clause's part of a hit's score.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseScore {
    /// The clause's label.
    pub label: String,
    /// Where it looks.
    pub field: Field,
    /// The terms of the clause the article has, with their counts.
    pub terms: Vec<TermCount>,
    /// Title occurrences, each times its term's weight.
    pub tf_title: f32,
    /// Body occurrences, each times its term's weight.
    pub tf_body: f32,
    /// Articles the clause matches (`n`).
    pub df: usize,
    /// `ln(1 + (N − n + 0.5) / (n + 0.5))`.
    pub idf: f32,
    /// `title_boost × tf_title / norm_title + tf_body / norm_body`.
    pub weighted_tf: f32,
    /// `weighted_tf × (k1 + 1) / (k1 + weighted_tf)`: frequency with diminishing returns.
    pub saturated_tf: f32,
    /// The stopword factor (1 for other words).
    pub stopword_factor: f32,
    /// Matched by the very word (or phrase), not only a variant.
    pub exact: bool,
    /// `idf × saturated_tf × stopword_factor`: what the clause adds (as the engine computed it).
    pub score: f32,
}

/// A term's occurrences in a hit.
#[derive(Clone, Debug, Serialize)]
pub struct TermCount {
    /// The term (a phrase's words; an entity filter's entities).
    pub term: String,
    /// How it matches its query word.
    pub kind: MatchKind,
    /// What each occurrence counts for.
    pub weight: f32,
    /// Occurrences in the title (in a field the clause looks at).
    pub title: u32,
    /// Occurrences in the body (mentions, for an entity).
    pub body: u32,
}

/// What put a hit above the next one: the first of the ranking's keys where they differ.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Above {
    /// More clauses matched exactly.
    Exact {
        /// This hit's.
        this: u32,
        /// The next one's.
        next: u32,
    },
    /// More query words in the title.
    TitleWords {
        /// This hit's.
        this: u32,
        /// The next one's.
        next: u32,
    },
    /// More of the query's stopwords in the title.
    TitleStopwords {
        /// This hit's.
        this: u32,
        /// The next one's.
        next: u32,
    },
    /// A higher score.
    Score {
        /// This hit's.
        this: f32,
        /// The next one's.
        next: f32,
    },
    /// Equal on every key: the corpus order decides.
    Tie,
}

impl SearchResults {
    /// Why hit `doc` (one of [`SearchResults::hits`]) ranks where it does, from the same arithmetic
    /// the ranking used; `None` when it is not a hit.
    pub fn explain_hit(&self, engine: &Engine, doc: DocId) -> Option<HitExplanation> {
        let place = self.hits.iter().position(|h| h.doc == doc)?;
        let lists = self.clause_lists(engine);
        let mut explained = self.hit_breakdown(engine, place, &lists)?;
        if let Some(next) = self.hit_breakdown(engine, place + 1, &lists) {
            explained.above_next = Some(above(&explained, &next));
        }
        Some(explained)
    }

    /// [`SearchResults::explain_hit`] for each of the first `n` hits, each clause's articles read
    /// once for all of them (a phrase's are counted in their text: read for each hit, a common
    /// phrase of a large corpus took seconds).
    pub fn explain_hits(&self, engine: &Engine, n: usize) -> Vec<HitExplanation> {
        self.hits_with(engine, n, &self.clause_lists(engine))
    }

    fn hits_with(&self, engine: &Engine, n: usize, lists: &[Vec<(u32, super::Tf)>]) -> Vec<HitExplanation> {
        let mut out: Vec<HitExplanation> = (0..n.min(self.hits.len()) + 1)
            .filter_map(|place| self.hit_breakdown(engine, place, lists))
            .collect();
        for i in 1..out.len() {
            let next = out[i].clone();
            out[i - 1].above_next = Some(above(&out[i - 1], &next));
        }
        out.truncate(n);
        out
    }

    /// Each clause's articles with their frequencies, as the search had them.
    fn clause_lists(&self, engine: &Engine) -> Vec<Vec<(u32, super::Tf)>> {
        let mut acc = Accumulator::new();
        self.plan.iter().map(|planned| clause_tf(engine, planned, &mut acc)).collect()
    }

    fn hit_breakdown(
        &self,
        engine: &Engine,
        place: usize,
        lists: &[Vec<(u32, super::Tf)>],
    ) -> Option<HitExplanation> {
        let hit = self.hits.get(place)?;
        let index = engine.index();
        let rank = &self.rank;
        let scorer = Scorer::new(index, rank);
        let doc = hit.doc.0;
        let norms = scorer.norms(doc);
        let (title_len, body_len) = index.lengths(doc);
        let (average_title, average_body) = index.average_lengths();
        let (mut sum, mut exact, mut in_title, mut stopwords_in_title) = (0.0f32, 0u32, 0u32, 0u32);
        let mut clauses = Vec::new();
        for (planned, tfs) in self.plan.iter().zip(lists) {
            let idf = scorer.idf(tfs.len());
            let Ok(i) = tfs.binary_search_by_key(&doc, |(d, _)| *d) else { continue };
            let tf = &tfs[i].1;
            let score = scorer.score(planned, tf, idf, norms);
            sum += score;
            exact += u32::from(tf.exact && !planned.stopword);
            in_title += u32::from(tf.title > 0.0 && !planned.stopword);
            stopwords_in_title += u32::from(tf.title > 0.0 && planned.stopword);
            let weighted_tf = scorer.weighted(tf, norms);
            clauses.push(ClauseScore {
                label: planned.label.clone(),
                field: planned.field,
                terms: term_counts(engine, planned, doc, tf),
                tf_title: tf.title,
                tf_body: tf.body,
                df: tfs.len(),
                idf,
                weighted_tf,
                saturated_tf: weighted_tf * (rank.k1 + 1.0) / (rank.k1 + weighted_tf),
                stopword_factor: if planned.stopword { rank.stopword } else { 1.0 },
                exact: tf.exact,
                score,
            });
        }
        let title_place = (hit.title_factor != 1.0).then(|| title_place(index, &self.plan, doc)).flatten();
        Some(HitExplanation {
            doc: hit.doc,
            place: place + 1,
            articles: index.docs(),
            k1: rank.k1,
            title_boost: rank.title_boost,
            lengths: HitLengths {
                title: title_len,
                body: body_len,
                average_title,
                average_body,
                b_title: rank.b_title,
                b_body: rank.b_body,
                norm_title: norms.0,
                norm_body: norms.1,
            },
            clauses,
            sum,
            title_place,
            title_factor: hit.title_factor,
            score: sum * hit.title_factor,
            exact,
            in_title,
            stopwords_in_title,
            title_tier: rank.title_tier,
            above_next: None,
        })
    }
}

/// The first of the ranking's keys on which `this` and `next` differ.
fn above(this: &HitExplanation, next: &HitExplanation) -> Above {
    if this.exact != next.exact {
        return Above::Exact { this: this.exact, next: next.exact };
    }
    if this.title_tier {
        // The tier saturates at 15 (four bits each), as the ranking key does.
        let (a, b) = (this.in_title.min(15), next.in_title.min(15));
        if a != b {
            return Above::TitleWords { this: this.in_title, next: next.in_title };
        }
        let (a, b) = (this.stopwords_in_title.min(15), next.stopwords_in_title.min(15));
        if a != b {
            return Above::TitleStopwords { this: this.stopwords_in_title, next: next.stopwords_in_title };
        }
    }
    if this.score != next.score {
        return Above::Score { this: this.score, next: next.score };
    }
    Above::Tie
}

/// The terms of `planned` in article `doc`, with their counts in the fields the clause looks at.
fn term_counts(engine: &Engine, planned: &Planned, doc: u32, tf: &super::Tf) -> Vec<TermCount> {
    let index = engine.index();
    let (use_title, use_body) = match planned.field {
        Field::Any => (true, true),
        Field::Title => (true, false),
        Field::Body => (false, true),
    };
    match &planned.matcher {
        Matcher::Words(expansions) => expansions
            .iter()
            .filter_map(|e| {
                let (_, title, body) = index.doc_counts(e.term).find(|p| p.0 == doc)?;
                let (title, body) = (if use_title { title } else { 0 }, if use_body { body } else { 0 });
                (title + body > 0).then(|| TermCount {
                    term: index.term_text(e.term).unwrap_or_default(),
                    kind: e.kind,
                    weight: e.weight,
                    title,
                    body,
                })
            })
            .collect(),
        // The phrase's occurrences, counted in the article's text.
        Matcher::Phrase(terms) => vec![TermCount {
            term: terms.iter().map(|&t| index.term_text(t).unwrap_or_default()).collect::<Vec<_>>().join(" "),
            kind: MatchKind::Exact,
            weight: 1.0,
            title: tf.title as u32,
            body: tf.body as u32,
        }],
        Matcher::Entities(found) => {
            let names: Vec<String> =
                found.iter().filter_map(|&e| engine.entity(e)).map(|e| e.name.clone()).collect();
            vec![TermCount {
                term: names.join(", "),
                kind: MatchKind::Exact,
                weight: 1.0,
                title: 0,
                body: tf.body as u32,
            }]
        }
        Matcher::Nothing => Vec::new(),
    }
}

/// The first place in `doc`'s title of a term of a clause that looks at titles, as the ranking
/// weighed it.
fn title_place(index: &Index, plan: &[Planned], doc: u32) -> Option<u32> {
    let plan: Vec<&Planned> = plan.iter().collect();
    titled_terms(&plan)
        .into_iter()
        .filter_map(|term| index.title_places(term).find(|p| p.0 == doc).map(|p| p.1))
        .min()
}
