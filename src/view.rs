//! What the views show, made from the engine and the explorer's state without Yew (so it is tested
//! natively): result rows, facet groups, the open article with its entity marks, the entity panel,
//! and the rows of an export. Components get these and callbacks; none of them asks the engine.
//!
//! The lists are built with `for` loops: `filter_map` closures that build these structs cost about
//! 3 KB (brotli) more in the wasm.

use std::rc::Rc;

use sorot_engine::{
    excerpt, kwic, paragraphs, DocId, Engine, EntityId, EntityType, Facet, Field, Span, UNDETERMINED,
};

use crate::export::EntityRow;
use crate::state::Outcome;
use crate::url::EntityRef;

/// Entity chips shown per result.
pub const CHIPS: usize = 4;
/// How many entities of a type the facets list before "show more".
pub const FACETS_FIRST: usize = 8;
/// How many a "show more" list has at most (the entity export has them all).
pub const FACETS_ALL: usize = 200;
/// Mentions listed in the entity panel.
pub const PANEL_LINES: usize = 60;
/// Entities the panel lists as appearing with the one shown.
pub const PANEL_WITH: usize = 20;
/// Characters of context on each side of a mention in the panel.
pub const CONTEXT: usize = 48;
/// Characters of an article's body shown while browsing (no query: no snippet).
const EXCERPT: usize = 220;

/// View data shared with a component, compared by identity: it is made again (by `use_memo`) only
/// when what it comes from changed, so the same `Rc` means the same data (and comparing it costs
/// nothing, nor does its comparison code take room in the wasm).
#[derive(Debug, Default)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Shared<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// An entity as a mark or chip names it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityLabel {
    /// Which entity (for filtering by it).
    pub entity: EntityRef,
    /// Its other names.
    pub aliases: Vec<String>,
}

/// Text with what to highlight in it (UTF-8 byte spans, sorted, not overlapping).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MarkedText {
    /// The text.
    pub text: String,
    /// The search's matches in it.
    pub highlights: Vec<Span>,
}

/// One article of the result list.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultItem {
    /// Its place in the list, from 0.
    pub rank: usize,
    /// Article number in the corpus.
    pub doc: DocId,
    /// Article id.
    pub id: String,
    /// Its language (`lang` attribute).
    pub lang: String,
    /// The headline with the search's matches.
    pub title: MarkedText,
    /// Source, if known.
    pub source: Option<String>,
    /// Publication date, if known.
    pub date: Option<String>,
    /// Link, if known.
    pub url: Option<String>,
    /// Its score, when it is one of the ranked hits (none while browsing).
    pub score: Option<f32>,
    /// The passage around the matches (the body's start while browsing).
    pub snippet: MarkedText,
    /// The entities it mentions, most mentioned first (the list shows the first [`CHIPS`]).
    pub entities: Vec<EntityRef>,
}

impl ResultItem {
    /// Source and date, those known, as one line.
    pub fn facts(&self) -> String {
        match (&self.source, &self.date) {
            (Some(source), Some(date)) => format!("{source} · {date}"),
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => String::new(),
        }
    }
}

/// The first `shown` articles of an outcome.
pub fn result_items(engine: &Engine, outcome: &Outcome, shown: usize) -> Vec<ResultItem> {
    let results = outcome.results.as_ref();
    // The ranked hits (a page of them) carry scores; a look through them per article (no hash table
    // in the wasm).
    let hits = results.map_or(&[][..], |r| r.hits.as_slice());
    let mut items = Vec::new();
    for (rank, &doc) in outcome.docs.iter().take(shown).enumerate() {
        // Results that will change once their pieces are in: no article is fetched for them.
        let article = if outcome.results_pending { engine.article_here(doc) } else { engine.article_at(doc) };
        let Some(article) = article else { continue };
        let title = MarkedText {
            text: article.title.clone(),
            highlights: results.map(|r| engine.highlights(r, doc, Field::Title)).unwrap_or_default(),
        };
        let snippet = match results {
            Some(r) => {
                let sn = engine.snippet(r, doc);
                MarkedText { text: sn.text, highlights: sn.highlights }
            }
            None => MarkedText { text: excerpt(&article.body, EXCERPT), highlights: Vec::new() },
        };
        let mut entities = Vec::new();
        for (id, _) in engine.article_entities(doc) {
            entities.extend(entity_ref_in(engine, doc, id));
        }
        items.push(ResultItem {
            rank,
            doc,
            id: article.id.clone(),
            lang: article.lang.clone(),
            title,
            source: article.source.clone(),
            date: article.date.clone(),
            url: article.url.clone(),
            score: hits.iter().find(|h| h.doc == doc).map(|h| h.score),
            snippet,
            entities,
        });
    }
    items
}

/// A reference to entity `id`, if the corpus has it.
#[inline(never)]
pub fn entity_ref(engine: &Engine, id: EntityId) -> Option<EntityRef> {
    let e = engine.entity(id)?;
    Some(EntityRef { kind: e.kind, name: e.name.clone() })
}

/// A reference to entity `id`, one of article `doc`'s (a split pack's article names its entities:
/// no chunk of the entity list is needed).
#[inline(never)]
pub fn entity_ref_in(engine: &Engine, doc: DocId, id: EntityId) -> Option<EntityRef> {
    let name = engine.entity_name_in(doc, id)?;
    Some(EntityRef { kind: engine.entity_kind(id)?, name: name.to_string() })
}

/// The entity facets of one type.
#[derive(Clone, Debug, PartialEq)]
pub struct FacetGroup {
    /// The type.
    pub kind: EntityType,
    /// The entities listed, with the articles that mention them (filters not among the facets come
    /// last, with 0).
    pub rows: Vec<(EntityRef, u32)>,
    /// How many rows the whole list has beyond the first [`FACETS_FIRST`].
    pub hidden: usize,
    /// Whether the list is shown whole.
    pub expanded: bool,
}

/// Facets grouped by type (types with nothing to list left out). Only the rows shown are named: a
/// large corpus has thousands of entities in its results. Filters stay listed (with a zero count)
/// when the results no longer contain them.
pub fn facet_groups(
    engine: &Engine,
    facets: &[Facet],
    filters: &[&EntityRef],
    expanded: &[EntityType],
) -> Vec<FacetGroup> {
    let mut groups = Vec::new();
    for kind in EntityType::ALL {
        let all = expanded.contains(&kind);
        let shown = if all { FACETS_ALL } else { FACETS_FIRST };
        let (mut rows, mut total, mut named) = (Vec::new(), 0, true);
        // The type of an entity is known without its name, which a split pack fetches: the rows
        // listed are the first ones whose names are here. Every row to show is looked up, so that
        // the pieces all of them need are asked for at once, not one after another.
        for f in facets {
            if engine.entity_kind(f.entity) != Some(kind) {
                continue;
            }
            if total < shown {
                match engine.entity(f.entity) {
                    Some(e) if named => rows.push((EntityRef { kind, name: e.name.clone() }, f.articles)),
                    _ => named = false,
                }
            }
            total += 1;
        }
        for r in filters.iter().filter(|r| r.kind == kind) {
            let id = engine.entity_named(kind, &r.name);
            let listed = id.is_some_and(|id| facets.iter().any(|f| f.entity == id));
            if !listed {
                rows.push(((*r).clone(), 0));
                total += 1;
            }
        }
        if !rows.is_empty() {
            groups.push(FacetGroup { kind, rows, hidden: total.saturating_sub(FACETS_FIRST), expanded: all });
        }
    }
    groups
}

/// The open article.
#[derive(Clone, Debug, PartialEq)]
pub struct ReaderArticle {
    /// Article number in the corpus.
    pub doc: DocId,
    /// Headline.
    pub title: String,
    /// Source, if known.
    pub source: Option<String>,
    /// Date, if known.
    pub date: Option<String>,
    /// Language code (`und` when not determined).
    pub lang: String,
    /// The body.
    pub body: String,
    /// Its paragraphs (spans of `body`).
    pub paragraphs: Vec<Span>,
    /// Its entity mentions in text order.
    pub mentions: Vec<(Span, EntityLabel)>,
}

impl ReaderArticle {
    /// The `lang` attribute for its text, if its language is known.
    pub fn lang_attr(&self) -> Option<String> {
        (self.lang != UNDETERMINED).then(|| self.lang.clone())
    }
}

/// Article `doc` as the reader shows it.
pub fn reader_article(engine: &Engine, doc: DocId) -> Option<ReaderArticle> {
    let a = engine.article_at(doc)?;
    let mut mentions = Vec::new();
    for m in engine.article_mentions(doc) {
        let Some(entity) = entity_ref_in(engine, doc, m.entity) else { continue };
        // The other names come with the entity list's chunk (a split pack's, a moment later).
        let aliases = engine.entity(m.entity).map(|e| e.aliases.clone()).unwrap_or_default();
        mentions.push((m.span, EntityLabel { entity, aliases }));
    }
    Some(ReaderArticle {
        doc,
        title: a.title.clone(),
        source: a.source.clone(),
        date: a.date.clone(),
        lang: a.lang.clone(),
        body: a.body.clone(),
        paragraphs: paragraphs(&a.body),
        mentions,
    })
}

/// One mention in the entity panel: the article it is in and its context.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelLine {
    /// Article id (to open it).
    pub id: String,
    /// Article language.
    pub lang: String,
    /// Article headline.
    pub title: String,
    /// Where the mention is in the body.
    pub span: Span,
    /// Text before, the mention, text after.
    pub kwic: (String, String, String),
}

/// One entity across the corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityPanelData {
    /// The entity.
    pub label: EntityLabel,
    /// Articles that mention it.
    pub articles: u32,
    /// Its mentions.
    pub mentions: u32,
    /// The first [`PANEL_LINES`] mentions in context.
    pub lines: Vec<PanelLine>,
    /// The entities in the most articles with it, with how many.
    pub with: Vec<(EntityRef, u32)>,
}

/// Entity `id` as the panel shows it.
pub fn entity_panel(engine: &Engine, id: EntityId) -> Option<EntityPanelData> {
    let e = engine.entity(id)?;
    let mut lines = Vec::new();
    for (doc, span) in engine.mentions_of(id, PANEL_LINES) {
        let Some(a) = engine.article_at(doc) else { continue };
        let kwic = kwic(&a.body, span, CONTEXT);
        lines.push(PanelLine { id: a.id.clone(), lang: a.lang.clone(), title: a.title.clone(), span, kwic });
    }
    let mut with = Vec::new();
    for (other, n) in engine.cooccurring(id).into_iter().take(PANEL_WITH) {
        with.extend(entity_ref(engine, other).map(|r| (r, n)));
    }
    Some(EntityPanelData {
        label: EntityLabel {
            entity: EntityRef { kind: e.kind, name: e.name.clone() },
            aliases: e.aliases.clone(),
        },
        articles: e.articles,
        mentions: e.mentions,
        lines,
        with,
    })
}

/// The rows of an entity export: the current facets, all of them.
pub fn entity_rows(engine: &Engine, outcome: &Outcome) -> Vec<EntityRow> {
    let mut rows = Vec::new();
    for f in &outcome.facets {
        let Some(e) = engine.entity(f.entity) else { continue };
        rows.push(EntityRow {
            entity: e.name.clone(),
            kind: e.kind.code().to_string(),
            aliases: e.aliases.clone(),
            articles: f.articles,
            mentions: f.mentions,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::UiLang;
    use crate::state::{Action, ExplorerState};

    fn seed() -> Rc<ExplorerState> {
        Rc::new(ExplorerState::from_pack(crate::BUNDLED_PACK, UiLang::En))
    }

    fn searched(query: &str) -> Rc<ExplorerState> {
        yew::Reducible::reduce(seed(), Action::SetQuery(query.into()))
    }

    #[test]
    fn a_result_has_its_marks_facts_and_most_mentioned_entities() {
        let s = searched("putin");
        let items = result_items(&s.engine, &s.outcome, 30);
        assert_eq!(items.len(), 1);
        let item = &items[0];
        let article = s.engine.article_at(item.doc).unwrap();
        assert_eq!((item.rank, item.id.as_str()), (0, article.id.as_str()));
        let marked = |m: &MarkedText| {
            m.highlights.iter().map(|h| h.get(&m.text).unwrap().to_string()).collect::<Vec<_>>()
        };
        assert!(marked(&item.snippet).iter().all(|w| w == "Putin"), "{:?}", marked(&item.snippet));
        assert!(!item.snippet.highlights.is_empty());
        let facts: Vec<String> =
            [article.source.clone(), article.date.clone()].into_iter().flatten().collect();
        assert_eq!(item.facts(), facts.join(" · "));
        assert!(!facts.is_empty(), "the seed has a source or a date");
        // The chips: the article's entities by mentions, counted here another way.
        let mentions = s.engine.article_mentions(item.doc);
        let count = |r: &EntityRef| {
            mentions.iter().filter(|m| s.engine.entity_list()[m.entity.index()].name == r.name).count()
        };
        assert_eq!(item.entities.len(), s.engine.article_entities(item.doc).len());
        assert!(item.entities.windows(2).all(|w| count(&w[0]) >= count(&w[1])));
        let most = mentions.iter().map(|m| count(&entity_ref(&s.engine, m.entity).unwrap())).max().unwrap();
        assert_eq!(count(&item.entities[0]), most);
        // Browsing: the body's start, nothing marked.
        let browsing = result_items(&seed().engine, &seed().outcome, 30);
        assert!(browsing[0].snippet.highlights.is_empty() && browsing[0].title.highlights.is_empty());
        assert!(article.body.starts_with(browsing[0].snippet.text.trim_end_matches('…')));
    }

    /// A split pack's facets name the rows they show after one round of fetches: every chunk of the
    /// entity list those rows need is asked for at once (the list in chunks of two entities here).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn facet_groups_ask_for_every_name_they_show_at_once() {
        use sorot_engine::{PieceKind, SplitOptions};
        let whole = Engine::from_pack(crate::BUNDLED_PACK).unwrap();
        let options = SplitOptions { entity_chunk: 2, ..SplitOptions::default() };
        let split = whole.to_split(&options).unwrap();
        let opened = Engine::from_entry(&split.entry).unwrap();
        let add = |pieces: Vec<u32>| {
            for p in pieces {
                opened.add_piece(p, &split.pieces[p as usize].1).unwrap();
            }
        };
        // The facets of every article, with the facet columns in and no name yet.
        let docs: Vec<DocId> = (0..opened.article_count() as u32).map(DocId).collect();
        drop(opened.facets(Some(&docs)));
        add(opened.missing());
        let facets = opened.facets(Some(&docs));
        assert!(opened.missing().is_empty());
        assert_eq!(facets, whole.facets(Some(&docs)));

        let first = facet_groups(&opened, &facets, &[], &[]);
        let chunks = opened.missing();
        assert!(chunks.iter().all(|&p| opened.piece_kind(p) == Some(PieceKind::Entities)), "{chunks:?}");
        assert!(chunks.len() > EntityType::ALL.len(), "more than one chunk per type: {chunks:?}");
        assert!(first.iter().all(|g| g.rows.len() < FACETS_FIRST), "no name is here yet: {first:?}");
        add(chunks);
        let named = facet_groups(&opened, &facets, &[], &[]);
        assert!(opened.missing().is_empty(), "one round named them all");
        assert_eq!(named, facet_groups(&whole, &facets, &[], &[]));
    }

    #[test]
    fn facet_groups_list_the_first_few_name_filters_and_expand() {
        let s = seed();
        let engine = &s.engine;
        let facets = &s.outcome.facets;
        let per_kind =
            |kind| facets.iter().filter(|f| engine.entity_list()[f.entity.index()].kind == kind).count();
        let groups = facet_groups(engine, facets, &[], &[]);
        for g in &groups {
            assert_eq!(g.rows.len(), per_kind(g.kind).min(FACETS_FIRST), "{:?}", g.kind);
            assert_eq!(g.hidden, per_kind(g.kind).saturating_sub(FACETS_FIRST));
            assert!(!g.expanded);
        }
        let big =
            groups.iter().find(|g| g.hidden > 0).expect("the seed has a type with more than 8 entities");
        let whole = facet_groups(engine, facets, &[], &[big.kind]);
        let whole = whole.iter().find(|g| g.kind == big.kind).unwrap();
        assert_eq!(whole.rows.len(), per_kind(big.kind));
        assert!(whole.expanded);
        // A filter the facets do not have stays listed, with 0.
        let gone = EntityRef { kind: EntityType::Org, name: "Nobody".into() };
        let org = facet_groups(engine, facets, &[&gone], &[])
            .into_iter()
            .find(|g| g.kind == EntityType::Org)
            .unwrap();
        assert_eq!(org.rows.last(), Some(&(gone, 0)));
    }

    #[test]
    fn the_reader_and_the_panel_name_each_mention() {
        let s = seed();
        let engine = &s.engine;
        let a = reader_article(engine, DocId(0)).unwrap();
        let mentions = engine.article_mentions(sorot_engine::DocId(0));
        assert_eq!(a.mentions.len(), mentions.len());
        for ((span, label), m) in a.mentions.iter().zip(mentions) {
            let e = &engine.entity_list()[m.entity.index()];
            assert_eq!((*span, &label.entity.name, &label.aliases), (m.span, &e.name, &e.aliases));
        }
        assert_eq!(a.paragraphs, sorot_engine::paragraphs(&a.body));
        assert!(reader_article(engine, DocId(engine.articles().len() as u32)).is_none());
        let putin =
            EntityId(engine.entity_list().iter().position(|e| e.name == "Vladimir Putin").unwrap() as u32);
        let panel = entity_panel(engine, putin).unwrap();
        assert_eq!(panel.lines.len(), engine.mentions_of(putin, usize::MAX).len().min(PANEL_LINES));
        for line in &panel.lines {
            assert_eq!(line.span.get(&a.body), Some(line.kwic.1.as_str()));
        }
        assert!(panel.with.iter().all(|(r, _)| r.name != "Vladimir Putin"));
    }

    #[test]
    fn exports_have_every_result_and_entity() {
        let s = searched("kazakhstan");
        let rows = result_items(&s.engine, &s.outcome, usize::MAX);
        assert_eq!(rows.len(), s.outcome.docs.len());
        assert!(rows.iter().enumerate().all(|(i, r)| r.rank == i && r.score.is_some()));
        assert_eq!(entity_rows(&s.engine, &s.outcome).len(), s.outcome.facets.len());
        let browsing = seed();
        assert!(result_items(&browsing.engine, &browsing.outcome, usize::MAX)
            .iter()
            .all(|r| r.score.is_none()));
    }
}
