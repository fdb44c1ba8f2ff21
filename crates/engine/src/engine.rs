use crate::index::Index;
use crate::ner::{resolve_entities, Entities, Entity, EntityMention, Mention, NerModel};
use crate::pack::{write_pack, CorpusParts, PackDecoder};
use crate::search::{search, SearchOptions, SearchResults, Snippet};
use crate::{Article, Field, PackError, Span};
use crate::{DocId, EntityId};

/// The one entry point the CLI and the app use: a corpus and its index.
///
/// Built once (from articles, or from a pack without re-indexing), then only read; every query
/// method takes `&self`.
#[derive(Clone, Debug)]
pub struct Engine {
    articles: Vec<Article>,
    index: Index,
    entities: Entities,
    /// Each article's distinct entities with their mention counts, made on the first facet count.
    doc_entities: std::sync::OnceLock<DocEntities>,
    /// Article numbers sorted by article id (a map from id to article), made on the first lookup.
    by_id: std::sync::OnceLock<Vec<u32>>,
    /// The articles by date, made on first use.
    dates: std::sync::OnceLock<DateOrder>,
}

/// The articles in date order, newest first (undated last; equal dates in corpus order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateOrder {
    /// Every article, newest first.
    pub newest_first: Vec<DocId>,
    /// `rank[doc]`: the place of the article's date in `newest_first` (equal dates, equal ranks).
    pub rank: Vec<u32>,
}

impl DateOrder {
    fn new(articles: &[Article]) -> DateOrder {
        let mut newest_first: Vec<DocId> = (0..articles.len() as u32).map(DocId).collect();
        // Stable: articles with equal dates (or none) keep the corpus order.
        crate::order::sort_by(&mut newest_first, |&a, &b| {
            let (x, y) = (articles[a.index()].date.as_deref(), articles[b.index()].date.as_deref());
            match (x, y) {
                (Some(x), Some(y)) => y.cmp(x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        let mut rank = vec![0; articles.len()];
        let mut r = 0;
        for (i, &doc) in newest_first.iter().enumerate() {
            if i > 0 && articles[doc.index()].date != articles[newest_first[i - 1].index()].date {
                r += 1;
            }
            rank[doc.index()] = r;
        }
        DateOrder { newest_first, rank }
    }

    /// Puts `docs` in date order, newest first; articles of the same date (or none) keep their order.
    pub fn sort(&self, docs: &mut [DocId]) {
        crate::order::sort_by_key(docs, |&d| self.rank.get(d.index()).copied().unwrap_or(u32::MAX));
    }
}

/// Per article, its distinct entities and how often it mentions each: `entries[offsets[d]..offsets[d
/// + 1]]` are article `d`'s `(entity, mentions)`, in order of first mention.
#[derive(Clone, Debug, Default)]
struct DocEntities {
    offsets: Vec<u32>,
    entries: Vec<(u32, u32)>,
    /// Per entity, the articles and mentions of the whole corpus: the facets of most of the corpus
    /// are these less those of the articles left out.
    totals: Vec<(u32, u32)>,
}

impl DocEntities {
    fn new(entities: &Entities) -> DocEntities {
        let mut offsets = Vec::with_capacity(entities.mentions.len() + 1);
        let mut entries: Vec<(u32, u32)> = Vec::new();
        offsets.push(0);
        for mentions in &entities.mentions {
            let start = entries.len();
            for m in mentions {
                match entries[start..].iter_mut().find(|(e, _)| *e == m.entity.0) {
                    Some((_, count)) => *count += 1,
                    None => entries.push((m.entity.0, 1)),
                }
            }
            offsets.push(entries.len() as u32);
        }
        let mut totals = vec![(0u32, 0u32); entities.list.len()];
        for &(entity, mentions) in &entries {
            if let Some(t) = totals.get_mut(entity as usize) {
                t.0 += 1;
                t.1 += mentions;
            }
        }
        DocEntities { offsets, entries, totals }
    }

    fn of(&self, doc: usize) -> &[(u32, u32)] {
        match (self.offsets.get(doc), self.offsets.get(doc + 1)) {
            (Some(&start), Some(&end)) => &self.entries[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// How often an entity occurs among some articles (a facet value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facet {
    /// The entity, as an index into [`Engine::entities`]`.list`.
    pub entity: EntityId,
    /// Articles (among those counted) that mention it.
    pub articles: u32,
    /// Its mentions in those articles.
    pub mentions: u32,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::from_articles(Vec::new())
    }
}

impl Engine {
    /// An engine over `articles`, in the given order; builds the index (no entities).
    pub fn from_articles(articles: Vec<Article>) -> Engine {
        let mentions = vec![Vec::new(); articles.len()];
        Engine::with_mentions(articles, mentions)
    }

    /// An engine over `articles` whose bodies `model` tags (each in its language); builds the index
    /// and the entities. `progress` is called with the number of articles tagged so far.
    pub fn with_ner(articles: Vec<Article>, model: &NerModel, progress: &mut dyn FnMut(usize)) -> Engine {
        let mut mentions = Vec::with_capacity(articles.len());
        for (i, a) in articles.iter().enumerate() {
            mentions.push(model.tag(&a.body, &a.lang));
            progress(i + 1);
        }
        Engine::with_mentions(articles, mentions)
    }

    /// An engine over `articles` and the mentions a tagger found in each body (same order); builds
    /// the index and merges the mentions into entities.
    pub fn with_mentions(articles: Vec<Article>, mentions: Vec<Vec<Mention>>) -> Engine {
        let index = Index::build(&articles);
        let bodies: Vec<(&str, Vec<Mention>)> = articles
            .iter()
            .map(|a| a.body.as_str())
            .zip(mentions.into_iter().chain(std::iter::repeat(Vec::new())))
            .collect();
        let entities = resolve_entities(&bodies);
        Engine::assemble(articles, index, entities)
    }

    /// An engine over the corpus and index in a pack (see [`Engine::to_pack`]).
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        PackDecoder::decode(bytes).map(Engine::from_parts)
    }

    /// An engine over the corpus a pack held, as [`PackDecoder`] read it (no re-indexing). The
    /// per-article entity table that facets count with is made here rather than on the first search.
    pub fn from_parts(parts: CorpusParts) -> Engine {
        let CorpusParts { articles, index, entities } = parts;
        let engine = Engine::assemble(articles, index, entities);
        engine.doc_entities.get_or_init(|| DocEntities::new(&engine.entities));
        engine
    }

    fn assemble(articles: Vec<Article>, index: Index, entities: Entities) -> Engine {
        let (doc_entities, by_id, dates) = Default::default();
        Engine { articles, index, entities, doc_entities, by_id, dates }
    }

    /// The corpus and its index encoded as a pack.
    pub fn to_pack(&self) -> Vec<u8> {
        write_pack(&self.articles, &self.index, &self.entities)
    }

    /// All articles, in corpus order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.article_at(self.article_number(id)?)
    }

    /// Article number `doc`.
    pub fn article_at(&self, doc: DocId) -> Option<&Article> {
        self.articles.get(doc.index())
    }

    /// The number (place in the corpus) of the article with this id.
    pub fn article_number(&self, id: &str) -> Option<DocId> {
        let articles = &self.articles;
        let by_id = self.by_id.get_or_init(|| {
            let mut by_id: Vec<u32> = (0..articles.len() as u32).collect();
            crate::order::sort_by(&mut by_id, |&a, &b| articles[a as usize].id.cmp(&articles[b as usize].id));
            by_id
        });
        // The first of equal ids (the sort is stable): the one earliest in the corpus.
        let at = by_id.partition_point(|&d| articles[d as usize].id.as_str() < id);
        by_id.get(at).copied().filter(|&d| articles[d as usize].id == id).map(DocId)
    }

    /// Entity number `id` (an index into [`Engine::entities`]`.list`).
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.list.get(id.index())
    }

    /// Article `doc`'s entity mentions, in text order.
    pub fn article_mentions(&self, doc: DocId) -> &[EntityMention] {
        self.entities.mentions.get(doc.index()).map_or(&[], Vec::as_slice)
    }

    /// Whether the corpus has any entities (it was packed with entity recognition).
    pub fn has_entities(&self) -> bool {
        !self.entities.list.is_empty()
    }

    /// The entities article `doc` mentions, with how often: most mentioned first, then in entity
    /// order.
    pub fn article_entities(&self, doc: DocId) -> Vec<(EntityId, u32)> {
        let table = self.doc_entities.get_or_init(|| DocEntities::new(&self.entities));
        let mut out: Vec<(EntityId, u32)> =
            table.of(doc.index()).iter().map(|&(e, n)| (EntityId(e), n)).collect();
        crate::order::sort_by(&mut out, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// The articles in date order.
    pub fn dates(&self) -> &DateOrder {
        self.dates.get_or_init(|| DateOrder::new(&self.articles))
    }

    /// The index (for statistics and the teaching view).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The entities of the corpus and where each article mentions them.
    pub fn entities(&self) -> &Entities {
        &self.entities
    }

    /// Runs a query (see [`crate::parse_query`] for the language).
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        search(&self.index, &self.entities, &self.articles, query, options)
    }

    /// Runs one query of each kind the explorer runs while a reader types (a prefix, a word, a typo,
    /// a phrase, with facets, snippets and highlights) on this corpus's own words, and throws the
    /// results away. A page calls it once the corpus is in, while nobody is typing: otherwise the
    /// first keystroke pays for compiling the code a search runs (browsers compile WebAssembly
    /// lazily, function by function) and for growing the memory to the corpus's size.
    pub fn warm_up(&self) {
        // A title word of five or more ASCII letters (byte slices are then characters) and the word
        // after it, which the phrase takes.
        let letters = |w: &&str| w.len() >= 5 && w.bytes().all(|b| b.is_ascii_alphabetic());
        let pair = self.articles.iter().find_map(|a| {
            let mut words = a.title.split_whitespace().skip_while(|w| !letters(w));
            Some((words.next()?, words.next().unwrap_or_default()))
        });
        let Some((word, next)) = pair else { return };
        let typo = [&word[..1], &word[2..]].concat();
        let phrase = ["\"", word, " ", next, "\""].concat();
        let options = SearchOptions { limit: 30, prefix_last: true, ..SearchOptions::default() };
        for query in [&word[..3], word, &typo, &phrase] {
            let results = self.search(query, &options);
            for docs in [&results.docs[..], &results.docs[..results.docs.len().min(1)]] {
                std::hint::black_box(self.facets(Some(docs)));
            }
            for hit in &results.hits {
                std::hint::black_box(self.snippet(&results, hit.doc));
                std::hint::black_box(self.highlights(&results, hit.doc, Field::Body));
            }
        }
    }

    /// Every mention of an entity across the corpus: `(article, mention span)` in corpus order.
    pub fn mentions_of(&self, entity: EntityId) -> Vec<(DocId, Span)> {
        let mut out = Vec::new();
        for (doc, mentions) in self.entities.mentions.iter().enumerate() {
            out.extend(mentions.iter().filter(|m| m.entity == entity).map(|m| (DocId(doc as u32), m.span)));
        }
        out
    }

    /// Entities that appear in the same articles as `entity`, with the number of shared articles,
    /// most shared first.
    pub fn cooccurring(&self, entity: EntityId) -> Vec<(EntityId, u32)> {
        // Each other entity once per article it shares, then counted in runs (no map in the wasm).
        let mut all: Vec<u32> = Vec::new();
        for mentions in &self.entities.mentions {
            if !mentions.iter().any(|m| m.entity == entity) {
                continue;
            }
            let from = all.len();
            all.extend(mentions.iter().map(|m| m.entity.0).filter(|&e| e != entity.0));
            crate::order::sort_ids(&mut all[from..]);
            let mut last = None;
            let mut kept = from;
            for i in from..all.len() {
                if last != Some(all[i]) {
                    last = Some(all[i]);
                    all[kept] = all[i];
                    kept += 1;
                }
            }
            all.truncate(kept);
        }
        crate::order::sort_ids(&mut all);
        let mut out: Vec<(EntityId, u32)> = Vec::new();
        for e in all {
            match out.last_mut() {
                Some((last, n)) if last.0 == e => *n += 1,
                _ => out.push((EntityId(e), 1)),
            }
        }
        crate::order::sort_by(&mut out, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Entity counts over `docs` (all articles when `None`), most articles first, then most mentions.
    pub fn facets(&self, docs: Option<&[DocId]>) -> Vec<Facet> {
        // One counter per entity of the corpus; work in proportion to the articles counted.
        let table = self.doc_entities.get_or_init(|| DocEntities::new(&self.entities));
        let n = self.articles.len();
        // Most of the corpus (a first letter typed matches nearly everything; all of it for `None`):
        // the corpus's counts less those of the few articles left out.
        let (mut counts, walk, sign) = match docs {
            Some(docs) if docs.len() <= n / 2 => {
                let walk: Vec<u32> = docs.iter().map(|d| d.0).collect();
                (vec![(0u32, 0u32); table.totals.len()], walk, 1)
            }
            _ => {
                let mut counted = vec![docs.is_none(); n];
                for &d in docs.unwrap_or_default() {
                    if let Some(c) = counted.get_mut(d.index()) {
                        *c = true;
                    }
                }
                let rest = (0..n as u32).filter(|&d| !counted[d as usize]).collect();
                (table.totals.clone(), rest, u32::MAX)
            }
        };
        let mut touched = Vec::new();
        for doc in walk {
            for &(entity, mentions) in table.of(doc as usize) {
                let Some(c) = counts.get_mut(entity as usize) else { continue };
                if c.0 == 0 {
                    touched.push(entity);
                }
                // Adds one, or with `sign` −1 (wrapping) takes one away.
                c.0 = c.0.wrapping_add(sign);
                c.1 = c.1.wrapping_add(mentions.wrapping_mul(sign));
            }
        }
        if sign != 1 {
            touched = (0..counts.len() as u32).filter(|&e| counts[e as usize].0 > 0).collect();
        }
        // Most articles, then most mentions, then entity order: one number to rank by.
        let mut ranked: Vec<(u64, u32)> = touched
            .into_iter()
            .map(|entity| {
                let (articles, mentions) = counts[entity as usize];
                (u64::from(articles) << 32 | u64::from(mentions), entity)
            })
            .collect();
        crate::order::rank_descending(&mut ranked);
        ranked
            .into_iter()
            .map(|(key, entity)| Facet {
                entity: EntityId(entity),
                articles: (key >> 32) as u32,
                mentions: key as u32,
            })
            .collect()
    }

    /// The snippet of a hit's article for these results.
    pub fn snippet(&self, results: &SearchResults, doc: DocId) -> Snippet {
        match self.articles.get(doc.index()) {
            Some(a) => results.snippet(&self.index, &a.body),
            None => Snippet { text: String::new(), highlights: Vec::new() },
        }
    }

    /// Highlight spans over an article's body (or title) for these results.
    pub fn highlights(&self, results: &SearchResults, doc: DocId, field: Field) -> Vec<Span> {
        let Some(a) = self.articles.get(doc.index()) else { return Vec::new() };
        let text = if field == Field::Title { &a.title } else { &a.body };
        results.highlights(&self.index, text, field)
    }
}
