use crate::index::Index;
use crate::ner::{find_entities, name_hash, Entities, Entity, EntityMention, EntityType, Mention, NerModel};
use crate::pack::{CorpusParts, PackDecoder};
use crate::pieces::Slot;
use crate::search::{search, SearchOptions, SearchResults, Snippet};
use crate::{Article, Field, PackError, Span};
use crate::{DocId, EntityId};

/// The one entry point the CLI and the app use: a corpus and its index.
///
/// Built once (from articles, or from a pack without re-indexing), then only read; every query
/// method takes `&self`. An engine opened from a split pack's entry ([`Engine::from_entry`]) starts
/// with the table of its pieces only: what a query needs and is not at hand is noted, and
/// [`Engine::missing`] says which pieces to fetch before asking again ([`crate::pieces`]).
#[derive(Clone, Debug)]
pub struct Engine {
    index: Index,
    /// The number of the first article batch of each range of the index's `range_docs` articles,
    /// then the number of batches.
    batch_start: Vec<u32>,
    /// Where each range's batches start (in a split pack, with their names): a split pack keeps
    /// them in the range's lengths piece (one, filled, for an engine that holds every article).
    shelves: Vec<Slot<Shelf>>,
    /// The articles with their entity mentions, in batches (one, for an engine that holds them all).
    batches: Vec<Slot<Batch>>,
    /// The entity list in chunks of `entity_chunk` entities, by entity number (one chunk, for an
    /// engine that holds them all).
    entity_chunks: Vec<Slot<Vec<Entity>>>,
    entity_chunk: u32,
    /// Number of entities (known before the chunks are at hand).
    entities: u32,
    /// The end of each type's entity numbers, in [`EntityType::ALL`]'s order: the list is sorted by
    /// type, so a type is known without its entity.
    kind_ends: [u32; 3],
    /// A split pack's name index: which entities have a name (or alias) of each hash, in buckets
    /// by hash (empty for a whole engine, which reads its list).
    names: Vec<Slot<NameBucket>>,
    /// A split pack's article ids and dates, in ranges of the index's `range_docs` articles (a whole
    /// engine reads its articles).
    catalog: Vec<Slot<Catalog>>,
    /// Each article's entities with their numbers of mentions, in the same ranges: what facets,
    /// entity filters and co-occurrence read, without the mentions' places (a whole engine counts
    /// them from its mentions, in one range).
    facet_columns: Vec<Slot<DocEntities>>,
    /// A split pack's pieces' content hashes, 8 bytes each, in piece order but the batches (empty for a
    /// whole engine).
    hashes: Vec<u8>,
    /// A split pack's newest articles, as its entry lists them.
    newest: Vec<DocId>,
    /// Article numbers sorted by article id (a map from id to article), made on the first lookup.
    by_id: std::sync::OnceLock<Vec<u32>>,
    /// The articles by date, made on first use.
    dates: std::sync::OnceLock<DateOrder>,
}

/// An engine's parts, for the split pack's reader and writer.
pub(crate) struct Parts<'a> {
    pub(crate) index: &'a Index,
    pub(crate) batch_start: &'a [u32],
    pub(crate) shelves: &'a [Slot<Shelf>],
    pub(crate) batches: &'a [Slot<Batch>],
    pub(crate) entity_chunks: &'a [Slot<Vec<Entity>>],
    pub(crate) entity_chunk: u32,
    pub(crate) kind_ends: [u32; 3],
    pub(crate) names: &'a [Slot<NameBucket>],
    pub(crate) catalog: &'a [Slot<Catalog>],
    pub(crate) facet_columns: &'a [Slot<DocEntities>],
    pub(crate) hashes: &'a [u8],
    pub(crate) entities: u32,
}

/// A range's article batches: where each starts (counted from the range's first article), then
/// the range's end; in a split pack also each batch's content hash, the name of its file. A split
/// pack keeps it in the range's lengths piece, which a query reads anyway, so that its entry does
/// not grow with the number of batches.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Shelf {
    pub(crate) first: Vec<u32>,
    #[serde(with = "crate::index::bytes")]
    pub(crate) hashes: Vec<u8>,
}

impl Shelf {
    /// Whether it holds `batches` batches over `articles` articles, with a hash each (a split pack's).
    pub(crate) fn fits(&self, batches: usize, articles: u32) -> bool {
        self.first.len() == batches + 1
            && self.first.first() == Some(&0)
            && self.first.last() == Some(&articles)
            && self.first.windows(2).all(|w| w[0] < w[1])
            && self.hashes.len() == 8 * batches
    }
}

/// The range that holds article batch `b` and the batch's place among the range's, by the number of
/// each range's first batch (`batch_start`).
pub(crate) fn batch_range(batch_start: &[u32], b: usize) -> Option<(usize, usize)> {
    let r = batch_start.partition_point(|&s| s as usize <= b).checked_sub(1)?;
    Some((r, b - batch_start[r] as usize))
}

/// The ids and dates of a range of articles.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Catalog {
    pub(crate) ids: Vec<String>,
    pub(crate) dates: Vec<Option<String>>,
}

/// One bucket of a split pack's name index: entity numbers by the [`name_hash`] of each of their
/// names and aliases, sorted by hash, then entity (every hash in it is the bucket's number modulo the
/// number of buckets).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct NameBucket {
    pub(crate) hashes: Vec<u32>,
    pub(crate) entities: Vec<u32>,
}

impl NameBucket {
    /// The index of `list` (entity numbers from 0) in `buckets` buckets.
    pub(crate) fn index(list: &[&Entity], buckets: usize) -> Vec<NameBucket> {
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (id, e) in list.iter().enumerate() {
            let from = pairs.len();
            pairs.extend(std::iter::once(&e.name).chain(&e.aliases).map(|n| (name_hash(n), id as u32)));
            pairs[from..].sort_unstable();
            let mut kept = from;
            for i in from..pairs.len() {
                if i == from || pairs[i] != pairs[kept - 1] {
                    pairs[kept] = pairs[i];
                    kept += 1;
                }
            }
            pairs.truncate(kept);
        }
        pairs.sort_unstable();
        let mut out = vec![NameBucket::default(); buckets];
        for (hash, id) in pairs {
            let b = &mut out[(hash as usize) % buckets];
            b.hashes.push(hash);
            b.entities.push(id);
        }
        out
    }
}

/// A mention as an article batch keeps it: its entity by its place among the article's entities
/// in the order first mentioned (what the article's facet columns number).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LocalMention {
    pub(crate) span: Span,
    pub(crate) local: u32,
    pub(crate) confidence: f32,
}

/// How many entities an article's mentions name.
fn entities_named_by(locals: &[LocalMention]) -> usize {
    locals.iter().map(|m| m.local as usize + 1).max().unwrap_or(0)
}

/// Whether `locals` name each of an article's `entities` (in the order first mentioned), and no other.
pub(crate) fn names_all(locals: &[LocalMention], entities: &[(u32, u32)]) -> bool {
    entities_named_by(locals) == entities.len()
}

/// An article's mentions by their entities' places among its `entities` (its distinct entities in
/// the order first mentioned, as [`DocEntities::new`] lists them).
pub(crate) fn localize(mentions: &[EntityMention], entities: &[(u32, u32)]) -> Vec<LocalMention> {
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions {
        let local = entities.iter().position(|&(e, _)| e == m.entity.0).unwrap_or_default() as u32;
        out.push(LocalMention { span: m.span, local, confidence: m.confidence });
    }
    out
}

/// An article's mentions with their entities' numbers, from its `entities` (in the order first
/// mentioned); `None` unless the two agree.
pub(crate) fn globalize(locals: &[LocalMention], entities: &[(u32, u32)]) -> Option<Vec<EntityMention>> {
    if !names_all(locals, entities) {
        return None;
    }
    let mut out = Vec::with_capacity(locals.len());
    for m in locals {
        let entity = EntityId(entities[m.local as usize].0);
        out.push(EntityMention { span: m.span, entity, confidence: m.confidence });
    }
    Some(out)
}

/// A batch of articles and each one's entity mentions (in text order): what the reader shows comes
/// in one piece. It says nothing that depends on the numbering of the corpus's entities, so a
/// re-pack that adds articles leaves it as it was.
#[derive(Clone, Debug, Default)]
pub(crate) struct Batch {
    pub(crate) articles: Vec<Article>,
    pub(crate) mentions: Vec<Vec<LocalMention>>,
    /// A split pack's batch also names each article's entities (in the order first mentioned), so
    /// that a list of results shows them without the entity list's chunks.
    pub(crate) names: Vec<Vec<(EntityType, String)>>,
}

impl Batch {
    /// The batch; `names` (each article's entities' types and names in the order first mentioned,
    /// all articles in a row) must be complete or empty.
    pub(crate) fn new(
        articles: Vec<Article>,
        mentions: Vec<Vec<LocalMention>>,
        names: Vec<(EntityType, String)>,
    ) -> Option<Batch> {
        let mut named = Vec::new();
        if !names.is_empty() {
            let mut names = names.into_iter();
            for ms in &mentions {
                let mut of = Vec::new();
                for _ in 0..entities_named_by(ms) {
                    of.push(names.next()?);
                }
                named.push(of);
            }
            if names.next().is_some() {
                return None;
            }
        }
        Some(Batch { articles, mentions, names: named })
    }

    /// The types and names of each article's entities as [`Batch::new`] takes them.
    pub(crate) fn names_of<M: AsRef<[EntityMention]>>(
        mentions: &[M],
        list: &[&Entity],
    ) -> Vec<(EntityType, String)> {
        let mut out = Vec::new();
        for ms in mentions {
            for &(e, _) in DocEntities::new(&[ms.as_ref()]).of(0) {
                out.extend(list.get(e as usize).map(|e| (e.kind, e.name.clone())));
            }
        }
        out
    }
}

/// Where each type's entities end in `list` (sorted by type), in [`EntityType::ALL`]'s order.
pub(crate) fn kind_ends(list: &[Entity]) -> [u32; 3] {
    EntityType::ALL.map(|kind| list.partition_point(|e| e.kind <= kind) as u32)
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
    pub(crate) fn new(dates: &[Option<&str>]) -> DateOrder {
        let mut newest_first: Vec<DocId> = (0..dates.len() as u32).map(DocId).collect();
        // Stable: articles with equal dates (or none) keep the corpus order.
        crate::order::sort_by(&mut newest_first, |&a, &b| {
            let (x, y) = (dates[a.index()], dates[b.index()]);
            match (x, y) {
                (Some(x), Some(y)) => y.cmp(x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        let mut rank = vec![0; dates.len()];
        let mut r = 0;
        for (i, &doc) in newest_first.iter().enumerate() {
            if i > 0 && dates[doc.index()] != dates[newest_first[i - 1].index()] {
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

/// Per article of a range, its distinct entities and how often it mentions each:
/// `entries[offsets[d]..offsets[d + 1]]` are article `d`'s `(entity, mentions)`, in order of first
/// mention.
#[derive(Clone, Debug, Default)]
pub(crate) struct DocEntities {
    offsets: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl DocEntities {
    /// Each article's `(entity, mentions)`, given as the number of entries of each article and the
    /// entries; `None` unless they agree.
    pub(crate) fn from_columns(lens: &[u32], entries: Vec<(u32, u32)>) -> Option<DocEntities> {
        let mut offsets = Vec::with_capacity(lens.len() + 1);
        let mut at = 0u32;
        offsets.push(0);
        for &n in lens {
            at = at.checked_add(n)?;
            offsets.push(at);
        }
        (at as usize == entries.len()).then_some(DocEntities { offsets, entries })
    }

    pub(crate) fn new<M: AsRef<[EntityMention]>>(mentions: &[M]) -> DocEntities {
        let mut offsets = Vec::with_capacity(mentions.len() + 1);
        let mut entries: Vec<(u32, u32)> = Vec::new();
        offsets.push(0);
        for mentions in mentions {
            let start = entries.len();
            for m in mentions.as_ref() {
                match entries[start..].iter_mut().find(|(e, _)| *e == m.entity.0) {
                    Some((_, count)) => *count += 1,
                    None => entries.push((m.entity.0, 1)),
                }
            }
            offsets.push(entries.len() as u32);
        }
        DocEntities { offsets, entries }
    }

    /// The number of articles.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub(crate) fn of(&self, doc: usize) -> &[(u32, u32)] {
        match (self.offsets.get(doc), self.offsets.get(doc + 1)) {
            (Some(&start), Some(&end)) => &self.entries[start as usize..end as usize],
            _ => &[],
        }
    }
}

/// What [`Engine::with_added`] made.
pub struct Added {
    /// The corpus with the articles added.
    pub engine: Engine,
    /// What the corrections could not do.
    pub notes: Vec<crate::CorrectionNote>,
    /// Ids of added articles left out because the corpus already had them.
    pub refused: Vec<String>,
}

/// How often an entity occurs among some articles (a facet value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facet {
    /// The entity, as an index into [`Engine::entity_list`].
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
        // (Not through `with_corrections`, which would bring the corrections' code into the app.)
        let index = Index::build(&articles);
        let bodies: Vec<(&str, Vec<Mention>)> = articles
            .iter()
            .map(|a| a.body.as_str())
            .zip(mentions.into_iter().chain(std::iter::repeat(Vec::new())))
            .collect();
        let entities = crate::resolve_entities(&bodies);
        Engine::assemble(articles, index, entities)
    }

    /// [`Engine::with_mentions`], with a curator's `corrections` applied to the entities (see
    /// [`crate::Corrections`]); returns what the corrections could not do as well.
    pub fn with_corrections(
        articles: Vec<Article>,
        mentions: Vec<Vec<Mention>>,
        corrections: &crate::Corrections,
    ) -> (Engine, Vec<crate::CorrectionNote>) {
        let index = Index::build(&articles);
        let mut resolver = crate::ner::Resolver::default();
        for (article, found) in
            articles.iter().zip(mentions.iter().map(Vec::as_slice).chain(std::iter::repeat(&[][..])))
        {
            resolver.add(&article.body, found);
        }
        let ids = |d: usize| articles.get(d).map(|a| a.id.clone());
        let (list, table, notes) = resolver.finish_corrected(&ids, corrections);
        let entities = Entities { list, mentions: table.of(0..table.docs()) };
        (Engine::assemble(articles, index, entities), notes)
    }

    /// This corpus with `added` articles after it, each with the mentions a tagger found in its body,
    /// and a curator's `corrections` applied: the index and the entities made again over all of
    /// them, so that scores (idf, average lengths) and the merging are what a pack of the same
    /// articles would have. The corpus's own articles keep the mentions their entities have (the
    /// tagger's spans, types and confidence). An added article whose id the corpus (or an earlier
    /// added one) has is left out, and its id returned. Fails when the corpus is not all at hand (a
    /// split pack's pieces missing).
    pub fn with_added(
        &self,
        added: Vec<(Article, Vec<Mention>)>,
        corrections: &crate::Corrections,
    ) -> Result<Added, String> {
        let (mut articles, own, _) = self.whole_corpus()?;
        let mut mentions: Vec<Vec<Mention>> = own.iter().map(|ms| self.as_tagged(ms)).collect();
        let mut ids: std::collections::HashSet<String> = articles.iter().map(|a| a.id.clone()).collect();
        let mut refused = Vec::new();
        for (article, found) in added {
            if ids.insert(article.id.clone()) {
                articles.push(article);
                mentions.push(found);
            } else {
                refused.push(article.id);
            }
        }
        let (engine, notes) = Engine::with_corrections(articles, mentions, corrections);
        Ok(Added { engine, notes, refused })
    }

    /// This corpus with a curator's `corrections` applied to its entities as they are (the index
    /// stays): what the explorer shows at once when a correction is made. Returns what the
    /// corrections could not do as well. Fails when the corpus is not all at hand (a split pack's
    /// pieces missing).
    pub fn corrected(
        &self,
        corrections: &crate::Corrections,
    ) -> Result<(Engine, Vec<crate::CorrectionNote>), String> {
        let (articles, mentions, list) = self.whole_corpus()?;
        let ids = |d: usize| articles.get(d).map(|a| a.id.clone());
        let (entities, notes) = crate::ner::apply_corrections(Entities { list, mentions }, &ids, corrections);
        // A split pack's index is in chunks: made again from the articles, the same index whole.
        let index = if self.is_split() { Index::build(&articles) } else { self.index.clone() };
        Ok((Engine::assemble(articles, index, entities), notes))
    }

    /// Every article, every article's mentions and the entity list, when they are all at hand.
    #[allow(clippy::type_complexity)]
    fn whole_corpus(&self) -> Result<(Vec<Article>, Vec<Vec<EntityMention>>, Vec<Entity>), String> {
        let missing = || "the corpus is not all at hand (a split pack's pieces are missing)".to_string();
        let articles = match self.articles_whole() {
            Some(whole) => whole.to_vec(),
            None => (0..self.article_count() as u32)
                .map(|d| self.article_at(DocId(d)).cloned())
                .collect::<Option<Vec<_>>>()
                .ok_or_else(missing)?,
        };
        let mentions = self.all_mentions().ok_or_else(missing)?;
        let list: Vec<Entity> = self.entity_list().into_iter().cloned().collect();
        if list.len() != self.entities as usize {
            return Err(missing());
        }
        Ok((articles, mentions, list))
    }

    /// Article `doc`'s mentions as a tagger's (span, type, confidence), from its entities: what
    /// [`Engine::with_mentions`] takes. Empty while a split pack's pieces of it are not at hand.
    pub fn tagged_mentions(&self, doc: DocId) -> Vec<Mention> {
        self.as_tagged(&self.article_mentions(doc))
    }

    /// `mentions` of entities as a tagger's: span, the entity's type, confidence.
    fn as_tagged(&self, mentions: &[EntityMention]) -> Vec<Mention> {
        let tagged = |m: &EntityMention| {
            Some(Mention { span: m.span, kind: self.entity_kind(m.entity)?, confidence: m.confidence })
        };
        mentions.iter().filter_map(tagged).collect()
    }

    /// An engine over the corpus and index in a pack (see [`Engine::to_pack`]).
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        PackDecoder::decode(bytes).map(Engine::from_parts)
    }

    /// An engine over the corpus a pack held, as [`PackDecoder`] read it (no re-indexing).
    pub fn from_parts(parts: CorpusParts) -> Engine {
        let CorpusParts { articles, index, list, mentions, table } = parts;
        Engine::assemble_local(articles, index, list, mentions, table)
    }

    fn assemble(articles: Vec<Article>, index: Index, entities: Entities) -> Engine {
        let Entities { list, mentions } = entities;
        let table = DocEntities::new(&mentions);
        let locals = mentions.iter().enumerate().map(|(doc, ms)| localize(ms, table.of(doc))).collect();
        Engine::assemble_local(articles, index, list, locals, table)
    }

    /// An engine over articles with their mentions (each by its entity's place among its
    /// article's in `table`) and the entity `list`.
    fn assemble_local(
        articles: Vec<Article>,
        index: Index,
        list: Vec<Entity>,
        locals: Vec<Vec<LocalMention>>,
        table: DocEntities,
    ) -> Engine {
        let (by_id, dates) = Default::default();
        Engine {
            batch_start: vec![0, 1],
            shelves: vec![Slot::filled(
                0,
                Shelf { first: vec![0, articles.len() as u32], hashes: Vec::new() },
            )],
            batches: vec![Slot::filled(0, Batch { articles, mentions: locals, names: Vec::new() })],
            entities: list.len() as u32,
            entity_chunk: list.len().max(1) as u32,
            kind_ends: kind_ends(&list),
            entity_chunks: vec![Slot::filled(0, list)],
            names: Vec::new(),
            facet_columns: vec![Slot::filled(0, table)],
            catalog: Vec::new(),
            hashes: Vec::new(),
            newest: Vec::new(),
            index,
            by_id,
            dates,
        }
    }

    /// An engine over a split pack whose parts come later: `index` with its table only, the number
    /// of article batches of each range (their shelves come with the ranges' lengths pieces), and
    /// the pieces of the batches, the entity list's chunks, the facet ranges and the catalog ranges.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn split(
        hashes: Vec<u8>,
        newest: Vec<DocId>,
        index: Index,
        (range_batches, shelf_pieces): (&[u32], impl Iterator<Item = u32>),
        batch_pieces: impl Iterator<Item = u32>,
        (entities, entity_chunk, kind_ends): (u32, u32, [u32; 3]),
        entity_pieces: impl Iterator<Item = u32>,
        name_pieces: impl Iterator<Item = u32>,
        facet_pieces: impl Iterator<Item = u32>,
        catalog_pieces: impl Iterator<Item = u32>,
    ) -> Engine {
        let (by_id, dates) = Default::default();
        let mut batch_start = vec![0u32];
        for &n in range_batches {
            batch_start.push(batch_start[batch_start.len() - 1] + n);
        }
        Engine {
            index,
            batch_start,
            shelves: shelf_pieces.map(Slot::empty).collect(),
            batches: batch_pieces.map(Slot::empty).collect(),
            entity_chunks: entity_pieces.map(Slot::empty).collect(),
            entity_chunk,
            entities,
            kind_ends,
            names: name_pieces.map(Slot::empty).collect(),
            facet_columns: facet_pieces.map(Slot::empty).collect(),
            catalog: catalog_pieces.map(Slot::empty).collect(),
            hashes,
            newest,
            by_id,
            dates,
        }
    }

    /// The pieces that what was asked since the last call needed and did not find, in the order
    /// first needed. Empty: every answer given was the whole corpus's.
    pub fn missing(&self) -> Vec<u32> {
        self.index.misses.take()
    }

    pub(crate) fn parts(&self) -> Parts<'_> {
        Parts {
            index: &self.index,
            batch_start: &self.batch_start,
            shelves: &self.shelves,
            batches: &self.batches,
            entity_chunks: &self.entity_chunks,
            entity_chunk: self.entity_chunk,
            kind_ends: self.kind_ends,
            names: &self.names,
            catalog: &self.catalog,
            facet_columns: &self.facet_columns,
            hashes: &self.hashes,
            entities: self.entities,
        }
    }

    fn articles_whole(&self) -> Option<&[Article]> {
        match &self.batches[..] {
            [one] => one.peek().map(|b| b.articles.as_slice()),
            _ => None,
        }
    }

    /// Every article's mentions, when every batch and facet range is at hand.
    pub(crate) fn all_mentions(&self) -> Option<Vec<Vec<EntityMention>>> {
        let mut out = Vec::with_capacity(self.article_count());
        for doc in 0..self.article_count() as u32 {
            let (batch, at) = self.batch_of(DocId(doc))?;
            let (columns, r) = self.in_range(&self.facet_columns, DocId(doc))?;
            out.push(globalize(batch.mentions.get(at)?, columns.of(r))?);
        }
        Some(out)
    }

    /// All articles, in corpus order, of an engine that holds them all (built from articles or read
    /// from a whole pack); empty for a split pack's, whose articles come by [`Engine::article_at`].
    pub fn articles(&self) -> &[Article] {
        self.articles_whole().unwrap_or(&[])
    }

    /// Number of articles.
    pub fn article_count(&self) -> usize {
        self.index.docs()
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.article_at(self.article_number(id)?)
    }

    /// The batch that holds article `doc`, with the article's place in it (`None`, the piece noted,
    /// while it is not at hand).
    fn batch_of(&self, doc: DocId) -> Option<(&Batch, usize)> {
        let (b, at) = self.batch_number(doc, true)?;
        Some((self.batches.get(b)?.get(&self.index.misses)?, at))
    }

    /// The number of the batch that holds article `doc`, with the article's place in it; `None`
    /// while the shelf of its range is not at hand (noted when `note`).
    fn batch_number(&self, doc: DocId, note: bool) -> Option<(usize, usize)> {
        let range = self.index.head().range_docs.max(1);
        let r = (doc.0 / range) as usize;
        let slot = self.shelves.get(r)?;
        let shelf = if note { slot.get(&self.index.misses)? } else { slot.peek()? };
        let local = doc.0 - r as u32 * range;
        let k = shelf.first.partition_point(|&f| f <= local).checked_sub(1)?;
        if k + 1 >= shelf.first.len() {
            return None;
        }
        Some((*self.batch_start.get(r)? as usize + k, (local - shelf.first[k]) as usize))
    }

    /// Article number `doc` (`None` also while its batch is not at hand).
    pub fn article_at(&self, doc: DocId) -> Option<&Article> {
        self.batch_of(doc).and_then(|(batch, at)| batch.articles.get(at))
    }

    /// Article number `doc` if its batch is at hand, noting nothing: for a view of results that are
    /// not complete yet, whose articles are not worth fetching.
    pub fn article_here(&self, doc: DocId) -> Option<&Article> {
        let (b, at) = self.batch_number(doc, false)?;
        self.batches.get(b)?.peek()?.articles.get(at)
    }

    /// Article `doc`'s date as its pack has it (`None`: it has none; in a split pack, also while its
    /// catalog piece is not at hand, which is noted).
    pub fn article_date(&self, doc: DocId) -> Option<&str> {
        self.record(doc.0)?.1
    }

    /// The id and date of article `doc`.
    fn record(&self, doc: u32) -> Option<(&str, Option<&str>)> {
        if self.catalog.is_empty() {
            return self.article_at(DocId(doc)).map(|a| (a.id.as_str(), a.date.as_deref()));
        }
        let (catalog, at) = self.in_range(&self.catalog, DocId(doc))?;
        Some((catalog.ids.get(at)?.as_str(), catalog.dates.get(at)?.as_deref()))
    }

    /// Every article's id and date, or `None` (pieces noted) while some are not at hand.
    fn records(&self) -> Option<Vec<(&str, Option<&str>)>> {
        let n = self.article_count() as u32;
        let records: Vec<Option<(&str, Option<&str>)>> = (0..n).map(|d| self.record(d)).collect();
        records.into_iter().collect()
    }

    /// The number (place in the corpus) of the article with this id.
    pub fn article_number(&self, id: &str) -> Option<DocId> {
        let by_id = match self.by_id.get() {
            Some(by_id) => by_id,
            None => {
                let records = self.records()?;
                let mut by_id: Vec<u32> = (0..records.len() as u32).collect();
                crate::order::sort_by(&mut by_id, |&a, &b| records[a as usize].0.cmp(records[b as usize].0));
                self.by_id.get_or_init(|| by_id)
            }
        };
        // The first of equal ids (the sort is stable): the one earliest in the corpus.
        let key = |d: u32| self.record(d).map_or("", |r| r.0);
        let at = by_id.partition_point(|&d| key(d) < id);
        by_id.get(at).copied().filter(|&d| key(d) == id).map(DocId)
    }

    /// Entity number `id` (`None` also while its chunk of the list is not at hand: the piece is
    /// noted).
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        let chunk = self.entity_chunks.get((id.0 / self.entity_chunk) as usize)?.get(&self.index.misses)?;
        chunk.get((id.0 % self.entity_chunk) as usize)
    }

    /// The name of entity `id`, one of article `doc`'s: a split pack's article batch has it, or else
    /// the entity list (`None`, the piece noted, while neither is at hand).
    pub fn entity_name_in(&self, doc: DocId, id: EntityId) -> Option<&str> {
        let named = self.batch_of(doc).and_then(|(batch, at)| batch.names.get(at));
        let local = self.doc_entities(doc).iter().position(|&(e, _)| e == id.0);
        match named.zip(local).and_then(|(names, local)| names.get(local)) {
            Some((_, name)) => Some(name),
            None => self.entity(id).map(|e| e.name.as_str()),
        }
    }

    /// The type of entity `id`, known without its chunk of the list.
    pub fn entity_kind(&self, id: EntityId) -> Option<EntityType> {
        let at = self.kind_ends.partition_point(|&end| end <= id.0);
        EntityType::ALL.get(at).copied()
    }

    /// All entities, by type, then by number of articles (most first), then by name; empty (the
    /// pieces noted) while a chunk of a split pack's list is not at hand.
    pub fn entity_list(&self) -> Vec<&Entity> {
        let mut out = Vec::with_capacity(self.entities as usize);
        for chunk in &self.entity_chunks {
            // Every chunk is asked for, so that one round brings all that are missing.
            if let Some(chunk) = chunk.get(&self.index.misses) {
                out.extend(chunk.iter());
            }
        }
        if out.len() != self.entities as usize {
            out.clear();
        }
        out
    }

    /// The entity numbers of type `kind` whose chunks are at hand (those not at hand are noted).
    fn entities_of(&self, kind: Option<EntityType>) -> Vec<(EntityId, &Entity)> {
        let (from, to) = match kind.and_then(|k| EntityType::ALL.iter().position(|&x| x == k)) {
            Some(0) => (0, self.kind_ends[0]),
            Some(k) => (self.kind_ends[k - 1], self.kind_ends[k]),
            None => (0, self.entities),
        };
        let mut out = Vec::new();
        let size = self.entity_chunk;
        for c in from / size..to.div_ceil(size) {
            let Some(chunk) = self.entity_chunks.get(c as usize).and_then(|s| s.get(&self.index.misses))
            else {
                continue;
            };
            for (i, e) in chunk.iter().enumerate() {
                let id = c * size + i as u32;
                if (from..to).contains(&id) {
                    out.push((EntityId(id), e));
                }
            }
        }
        out
    }

    /// The entities that may have `name` as a name or alias, with those at hand: a split pack's
    /// name index gives the few whose hash is the name's (their chunks noted when not at hand);
    /// without one, every entity of `kind`.
    fn entities_named(&self, kind: Option<EntityType>, name: &str) -> Vec<(EntityId, &Entity)> {
        if self.names.is_empty() {
            return self.entities_of(kind);
        }
        let hash = name_hash(name);
        let bucket = &self.names[(hash as usize) % self.names.len()];
        let Some(bucket) = bucket.get(&self.index.misses) else { return Vec::new() };
        let mut out = Vec::new();
        for i in 0..bucket.hashes.len().min(bucket.entities.len()) {
            let id = EntityId(bucket.entities[i]);
            if bucket.hashes[i] == hash {
                if let Some(e) = self.entity(id) {
                    out.push((id, e));
                }
            }
        }
        out
    }

    /// Entities whose name or an alias is `name`, of `kind` (see [`Entities::find`]).
    pub fn find_entities(&self, kind: Option<EntityType>, name: &str) -> Vec<EntityId> {
        find_entities(self.entities_named(kind, name), kind, name)
    }

    /// The entity of type `kind` whose canonical name is exactly `name`.
    pub fn entity_named(&self, kind: EntityType, name: &str) -> Option<EntityId> {
        let found = self.entities_named(Some(kind), name).into_iter();
        found.filter(|(_, e)| e.kind == kind && e.name == name).map(|(id, _)| id).next()
    }

    /// The part of `ranges` (facet columns, catalog: one per range of the index's `range_docs`
    /// articles) that holds article `doc`, with the article's place in it; `None` (the piece noted)
    /// while it is not at hand.
    fn in_range<'a, T>(&'a self, ranges: &'a [Slot<T>], doc: DocId) -> Option<(&'a T, usize)> {
        let range = self.index.head().range_docs.max(1);
        let part = ranges.get((doc.0 / range) as usize)?.get(&self.index.misses)?;
        Some((part, (doc.0 % range) as usize))
    }

    /// Article `doc`'s distinct entities with their numbers of mentions.
    fn doc_entities(&self, doc: DocId) -> &[(u32, u32)] {
        self.in_range(&self.facet_columns, doc).map_or(&[], |(columns, at)| columns.of(at))
    }

    /// Article `doc`'s entity mentions, in text order (they come with its batch, and their entities'
    /// numbers with its facet range).
    pub fn article_mentions(&self, doc: DocId) -> Vec<EntityMention> {
        let Some(locals) = self.batch_of(doc).and_then(|(batch, at)| batch.mentions.get(at)) else {
            return Vec::new();
        };
        if locals.is_empty() {
            return Vec::new();
        }
        globalize(locals, self.doc_entities(doc)).unwrap_or_default()
    }

    /// Why each mention of article `doc` is the entity it is ([`Entity::merge_reason`], with the
    /// entity's other names in that article), in text order; empty while a split pack's pieces of
    /// it are not at hand.
    pub fn merge_reasons(&self, doc: DocId) -> Vec<(EntityMention, crate::MergeReason)> {
        let mentions = self.article_mentions(doc);
        let Some(body) = self.article_at(doc).map(|a| a.body.as_str()) else { return Vec::new() };
        mentions
            .iter()
            .filter_map(|m| {
                let others: Vec<&str> = mentions
                    .iter()
                    .filter(|o| o.entity == m.entity && o.span != m.span)
                    .filter_map(|o| o.span.get(body))
                    .collect();
                let reason = self.entity(m.entity)?.merge_reason(m.span.get(body)?, &others);
                Some((*m, reason))
            })
            .collect()
    }

    /// [`Engine::merge_reasons`] of the mention at `span` (`None`: no mention is there).
    pub fn merge_reason(&self, doc: DocId, span: Span) -> Option<(EntityId, crate::MergeReason)> {
        let (mention, reason) = self.merge_reasons(doc).into_iter().find(|(m, _)| m.span == span)?;
        Some((mention.entity, reason))
    }

    /// Calls `each` with every article's number and its distinct entities with their numbers of
    /// mentions, in corpus order (the ranges at hand).
    pub(crate) fn for_each_doc_entities(&self, mut each: impl FnMut(u32, &[(u32, u32)])) {
        let mut doc = 0u32;
        for (r, slot) in self.facet_columns.iter().enumerate() {
            match slot.get(&self.index.misses) {
                Some(columns) => {
                    for at in 0..columns.len() {
                        each(doc, columns.of(at));
                        doc += 1;
                    }
                }
                None => doc += self.index.range_len(r),
            }
        }
    }

    /// Whether the corpus has any entities (it was packed with entity recognition).
    pub fn has_entities(&self) -> bool {
        self.entities > 0
    }

    /// The entities article `doc` mentions, with how often: most mentioned first, then in entity
    /// order.
    pub fn article_entities(&self, doc: DocId) -> Vec<(EntityId, u32)> {
        let mut out: Vec<(EntityId, u32)> =
            self.doc_entities(doc).iter().map(|&(e, n)| (EntityId(e), n)).collect();
        crate::order::sort_by(&mut out, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// The articles in date order (empty, pieces noted, while a split pack's catalog is not at hand).
    pub fn dates(&self) -> &DateOrder {
        static EMPTY: DateOrder = DateOrder { newest_first: Vec::new(), rank: Vec::new() };
        if let Some(dates) = self.dates.get() {
            return dates;
        }
        match self.records() {
            Some(records) => {
                let dates: Vec<Option<&str>> = records.iter().map(|r| r.1).collect();
                self.dates.get_or_init(|| DateOrder::new(&dates))
            }
            None => &EMPTY,
        }
    }

    /// Whether something asked since the last [`Engine::missing`] was not at hand (what it answered
    /// is not the whole corpus's answer yet).
    pub fn is_waiting(&self) -> bool {
        self.index.missed_something()
    }

    /// Whether the engine was opened from a split pack's entry (its parts come as pieces).
    pub fn is_split(&self) -> bool {
        !self.hashes.is_empty()
    }

    /// The newest articles, newest first, that a split pack's entry lists (at most 100; empty for
    /// a whole engine, whose [`Engine::dates`] has them all).
    pub fn entry_newest(&self) -> &[DocId] {
        &self.newest
    }

    /// The index (for statistics and the teaching view).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs a query (see [`crate::parse_query`] for the language).
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        search(self, query, options)
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
        let pair = self.articles().iter().find_map(|a| {
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

    /// The first `limit` mentions of an entity across the corpus: `(article, mention span)` in
    /// corpus order. It reads the batches of only the articles that hold them.
    pub fn mentions_of(&self, entity: EntityId, limit: usize) -> Vec<(DocId, Span)> {
        let mut out = Vec::new();
        let mut wanted = limit;
        self.for_each_doc_entities(|doc, entities| {
            let Some(&(_, n)) = entities.iter().find(|&&(e, _)| e == entity.0) else { return };
            if wanted == 0 {
                return;
            }
            wanted = wanted.saturating_sub(n as usize);
            for m in self.article_mentions(DocId(doc)) {
                if m.entity == entity {
                    out.push((DocId(doc), m.span));
                }
            }
        });
        out.truncate(limit);
        out
    }

    /// Entities that appear in the same articles as `entity`, with the number of shared articles,
    /// most shared first.
    pub fn cooccurring(&self, entity: EntityId) -> Vec<(EntityId, u32)> {
        // Each other entity once per article it shares (an article's entities are distinct), then
        // counted in runs (no map in the wasm).
        let mut all: Vec<u32> = Vec::new();
        self.for_each_doc_entities(|_, entities| {
            if entities.iter().any(|&(e, _)| e == entity.0) {
                all.extend(entities.iter().map(|&(e, _)| e).filter(|&e| e != entity.0));
            }
        });
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
    /// It reads the facet columns, not the entity list.
    pub fn facets(&self, docs: Option<&[DocId]>) -> Vec<Facet> {
        // One counter per entity of the corpus; work in proportion to the articles counted.
        let n = self.article_count();
        let entities = self.entities as usize;
        // The corpus's totals, where the whole list is at hand (an engine that holds everything).
        let totals = match &self.entity_chunks[..] {
            [one] => one.peek(),
            _ => None,
        };
        let (mut counts, walk, sign) = match (docs, totals) {
            (Some(docs), _) if docs.len() <= n / 2 => {
                let walk: Vec<u32> = docs.iter().map(|d| d.0).collect();
                (vec![(0u32, 0u32); entities], walk, 1)
            }
            // Most of the corpus (a first letter typed matches nearly everything; all of it for
            // `None`): the corpus's counts less those of the few articles left out.
            (_, Some(list)) => {
                let mut counted = vec![docs.is_none(); n];
                for &d in docs.unwrap_or_default() {
                    if let Some(c) = counted.get_mut(d.index()) {
                        *c = true;
                    }
                }
                let rest = (0..n as u32).filter(|&d| !counted[d as usize]).collect();
                (list.iter().map(|e| (e.articles, e.mentions)).collect(), rest, u32::MAX)
            }
            (Some(docs), None) => (vec![(0, 0); entities], docs.iter().map(|d| d.0).collect(), 1),
            (None, None) => (vec![(0, 0); entities], (0..n as u32).collect(), 1),
        };
        let mut touched = Vec::new();
        for doc in walk {
            for &(entity, mentions) in self.doc_entities(DocId(doc)) {
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
        match self.article_at(doc) {
            Some(a) => results.snippet(&self.index, &a.body),
            None => Snippet { text: String::new(), highlights: Vec::new() },
        }
    }

    /// Highlight spans over an article's body (or title) for these results.
    pub fn highlights(&self, results: &SearchResults, doc: DocId, field: Field) -> Vec<Span> {
        let Some(a) = self.article_at(doc) else { return Vec::new() };
        let text = if field == Field::Title { &a.title } else { &a.body };
        results.highlights(&self.index, text, field)
    }
}
