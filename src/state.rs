//! All explorer state in one place: the corpus, the search, the filters, the open article, and the
//! search outcome derived from them. Components send [`Action`]s; only `reduce` changes state.

use std::rc::Rc;

use sorot_engine::{
    DocId, Engine, EntityId, EntityType, Facet, Field, Filter, PackError, SearchOptions, SearchResults, Span,
};

use yew::Reducible;

use crate::i18n::UiLang;
use crate::url::{EntityRef, Sort, UrlState};

/// How many results are shown before "show more".
pub const PAGE: usize = 30;

/// The same for a split pack: each result shown may be an article batch to fetch, and a browser
/// fetches about six at a time over HTTP/1.1, so a first screen of ten is painted after two waves
/// of requests instead of five (Pagefind's interface shows five).
pub const SPLIT_PAGE: usize = 10;

/// A shared, read-only engine. Components compare it by identity, never by content.
#[derive(Clone, Debug)]
pub struct SharedEngine(pub Rc<Engine>);

/// No articles. Read from a pack `build.rs` wrote rather than built with `Engine::default()`, which
/// would put the whole index builder into the wasm (about 37 KB brotli) for an empty index.
impl Default for SharedEngine {
    fn default() -> SharedEngine {
        // Not `expect`: it would put the error's `Debug` (and with it the tables that escape strings
        // for debug output, about 1 KB brotli) into the wasm.
        match Engine::from_pack(crate::EMPTY_PACK) {
            Ok(engine) => SharedEngine(Rc::new(engine)),
            Err(_) => unreachable!("build.rs writes a valid empty pack"),
        }
    }
}

impl PartialEq for SharedEngine {
    fn eq(&self, other: &SharedEngine) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedEngine {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.0
    }
}

/// What depends on the corpus alone, computed once per corpus: the facets of the whole corpus (the
/// browsing view), with the engine's date order made on the way.
#[derive(Debug, Default, PartialEq)]
pub struct CorpusViews {
    /// Entity counts over the whole corpus.
    pub facets: Vec<Facet>,
}

impl CorpusViews {
    /// The views of `engine`'s corpus, made now, to hand to [`Action::Loaded`].
    pub fn ready(engine: &Engine) -> Rc<std::cell::OnceCell<CorpusViews>> {
        Rc::new(std::cell::OnceCell::from(CorpusViews::new(engine)))
    }

    fn new(engine: &Engine) -> CorpusViews {
        // A split pack's browsing view is what its entry lists (the facets of the whole corpus would
        // fetch every mention).
        if engine.is_split() {
            return CorpusViews::default();
        }
        engine.dates();
        CorpusViews { facets: engine.facets(None) }
    }
}

/// What a search (or browsing without one) gives: the articles in display order and their facets.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The engine's answer; `None` when there is no query and no filter (browsing everything).
    pub results: Option<SearchResults>,
    /// Matching articles in display order.
    pub docs: Vec<DocId>,
    /// Entity counts over `docs`.
    pub facets: Vec<Facet>,
    /// A split pack's results are complete, and the pieces their facets need are on their way.
    pub facets_pending: bool,
    /// A split pack's results are not complete yet: the pieces they need are on their way (the list
    /// shows those of their articles that are here, and fetches none for them).
    pub results_pending: bool,
}

/// The derived outcome, compared by identity.
#[derive(Clone, Debug, Default)]
pub struct SharedOutcome(pub Rc<Outcome>);

impl PartialEq for SharedOutcome {
    fn eq(&self, other: &SharedOutcome) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedOutcome {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.0
    }
}

/// A corpus pack being fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loading {
    /// Where from.
    pub url: String,
    /// Bytes received so far.
    pub received: u64,
    /// Bytes expected, when the server says.
    pub total: Option<u64>,
    /// Once all bytes are in: how much of the pack is decoded, in thousandths.
    pub opened: Option<u16>,
}

/// What the explorer shows.
#[derive(Clone, Debug, Default)]
pub struct ExplorerState {
    /// The loaded corpus.
    pub engine: SharedEngine,
    /// Views of the corpus computed once (set with the engine, filled on first use).
    pub views: Rc<std::cell::OnceCell<CorpusViews>>,
    /// Where the corpus came from: `None` for the bundled one, else the pack URL.
    pub corpus_url: Option<String>,
    /// Another corpus being fetched (the current one stays usable meanwhile).
    pub loading: Option<Loading>,
    /// Why the last corpus fetch failed: `(url, reason)`.
    pub fetch_error: Option<(String, String)>,
    /// Why the bundled corpus could not be loaded, if it could not.
    pub load_error: Option<PackError>,
    /// Language of the interface.
    pub ui: UiLang,
    /// The search box.
    pub query: String,
    /// Entities every result must mention.
    pub include: Vec<EntityRef>,
    /// Entities no result may mention.
    pub exclude: Vec<EntityRef>,
    /// Filters the page fixed (an embedding site's `locked-filters`): shown, applied, not removable.
    pub locked_include: Vec<EntityRef>,
    /// Exclusions the page fixed.
    pub locked_exclude: Vec<EntityRef>,
    /// Filters the page asked for in query syntax (`person:"Vladimir Putin" -org:CSTO`) and whether
    /// they are locked; resolved against each corpus as it loads.
    pub page_filters: Option<(String, bool)>,
    /// Result order.
    pub sort: Sort,
    /// How many results are shown.
    pub shown: usize,
    /// The result the keyboard cursor is on (index into the outcome's docs).
    pub cursor: Option<usize>,
    /// The open article (index into the corpus).
    pub open: Option<DocId>,
    /// Highlights of the search in the open article's body.
    pub hits: Rc<Vec<Span>>,
    /// The current hit (index into `hits`).
    pub hit: usize,
    /// A place in the open article to bring into view (a mention chosen in the entity panel).
    pub focus: Option<Span>,
    /// The entity shown in the entity panel.
    pub panel: Option<EntityRef>,
    /// Entity types whose facets are listed whole, not only the first few.
    pub facet_lists: Vec<EntityType>,
    /// The outcome of the current search and filters.
    pub outcome: SharedOutcome,
    /// An article to open once a split pack's pieces say which it is (its id).
    pub pending_open: Option<String>,
    /// A split pack's pieces on their way, and how many batches of them arrived so far (what the
    /// views made from the engine depend on, besides the engine).
    pub fetching: u32,
    pub arrivals: u32,
    /// The user asked for the whole split pack, to have it offline: every piece is fetched (the
    /// service worker keeps what the page fetches).
    pub saving: bool,
    /// An export asked for (what, format) that waits for a split pack's pieces: it is downloaded
    /// once they are in, whole.
    pub pending_export: Option<(&'static str, &'static str)>,
    /// How many times the user asked for something that may need pieces that failed before (an
    /// export, making the pack available offline): each time, those are asked for again.
    pub retries: u32,
    /// The page's corpus comes by URL (`?pack=`) and nothing is shown before it: the bundled corpus
    /// is not decoded and drawn only to be replaced, an article the URL names waits for the corpus,
    /// and the bundled corpus is shown if the one by URL cannot be loaded.
    pub awaiting: bool,
}

/// Everything a user (or the page) can do to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The search box changed.
    SetQuery(String),
    /// `Esc`: clear the search box, or close the article when it is already empty.
    Escape,
    /// Require this entity (or stop requiring it).
    ToggleInclude(EntityRef),
    /// Exclude this entity (or stop excluding it).
    ToggleExclude(EntityRef),
    /// Remove every entity filter.
    ClearFilters,
    /// Change the result order.
    SetSort(Sort),
    /// Show more results.
    ShowMore,
    /// Move the keyboard cursor by this many results.
    MoveCursor(i32),
    /// Open the result under the cursor.
    OpenCursor,
    /// Open an article by id, optionally bringing a place in it into view.
    Open(String, Option<Span>),
    /// Close the reader.
    Close,
    /// Go to the next (`true`) or previous hit in the open article.
    StepHit(bool),
    /// Show an entity in the entity panel, or close it.
    ShowEntity(Option<EntityRef>),
    /// List a type's facets whole, or only the first few again.
    ToggleFacetList(EntityType),
    /// Show the interface in this language.
    SetUi(UiLang),
    /// Take the view from the URL (on load and on back/forward).
    Restore(UrlState),
    /// Fetching a corpus pack from this URL started.
    LoadStarted(String),
    /// Bytes of the pack arrived: `(received, total)`.
    LoadProgress(u64, Option<u64>),
    /// The pack arrived and is being decoded: this much of it, in thousandths.
    Opening(u16),
    /// The pack from this URL was decoded: switch to it (with its views, when already made).
    Loaded(String, SharedEngine, Rc<std::cell::OnceCell<CorpusViews>>),
    /// The pack from this URL could not be fetched or decoded: `(url, reason)`.
    LoadFailed(String, String),
    /// Dismiss the fetch error.
    DismissError,
    /// The page set filters in query syntax, locked (`true`) or as a starting point the user may change.
    SetPageFilters(String, bool),
    /// This many pieces of the split pack are being fetched.
    PiecesRequested(u32),
    /// Pieces of the split pack arrived (this many, now in the engine), or the first that could not, why.
    PiecesArrived(u32, Result<(), String>),
    /// Fetch every piece of the split pack ("Make available offline").
    SaveOffline,
    /// An export (what, format) waits for pieces of the split pack; `None`: it was downloaded.
    ExportWhenReady(Option<(&'static str, &'static str)>),
}

impl ExplorerState {
    /// The state for a corpus given as pack bytes; a bad pack leaves an empty corpus and the reason.
    pub fn from_pack(bytes: &[u8], ui: UiLang) -> ExplorerState {
        let mut state = match Engine::from_pack(bytes) {
            Ok(engine) => ExplorerState { engine: SharedEngine(Rc::new(engine)), ui, ..Default::default() },
            Err(e) => ExplorerState { load_error: Some(e), ui, ..Default::default() },
        };
        state.shown = PAGE;
        state.recompute();
        state
    }

    /// Whether there is no corpus to show yet, only one on its way: the explorer then shows the
    /// search box and the loading bar, not "no article matches".
    pub fn waiting(&self) -> bool {
        self.engine.article_count() == 0 && (self.awaiting || self.loading.is_some())
    }

    /// The page's state while its corpus by URL is on its way (see [`ExplorerState::awaiting`]).
    pub fn awaiting(ui: UiLang) -> ExplorerState {
        ExplorerState { awaiting: true, ..ExplorerState::empty(ui) }
    }

    /// The state with no corpus yet (one is on its way).
    pub fn empty(ui: UiLang) -> ExplorerState {
        let mut state = ExplorerState { ui, shown: PAGE, ..Default::default() };
        state.recompute();
        state
    }

    /// The entity a reference names, if the corpus has it.
    pub fn entity_id(&self, r: &EntityRef) -> Option<EntityId> {
        self.engine.entity_named(r.kind, &r.name)
    }

    /// The entity filters in `filters` (query syntax), by canonical name where the corpus knows the
    /// entity, as written otherwise (a filter on an unknown entity matches nothing, as it should).
    pub fn resolve_filters(&self, filters: &str) -> (Vec<EntityRef>, Vec<EntityRef>) {
        let engine = &self.engine;
        let (mut include, mut exclude) = (Vec::new(), Vec::new());
        for f in Filter::parse(filters).0 {
            let name = match engine.find_entities(Some(f.kind), &f.name).first() {
                Some(&id) => self.engine.entity(id).map_or_else(|| f.name.clone(), |e| e.name.clone()),
                None => f.name,
            };
            let list = if f.exclude { &mut exclude } else { &mut include };
            list.push(EntityRef { kind: f.kind, name });
        }
        include.dedup();
        exclude.dedup();
        (include, exclude)
    }

    /// Applies the page's filters (again, after another corpus loaded).
    fn apply_page_filters(&mut self) {
        let Some((filters, locked)) = self.page_filters.clone() else { return };
        let (include, exclude) = self.resolve_filters(&filters);
        if locked {
            self.locked_include = include;
            self.locked_exclude = exclude;
        } else {
            self.locked_include.clear();
            self.locked_exclude.clear();
            self.include = include;
            self.exclude = exclude;
        }
    }

    /// How the explorer searches: the first page ranked, the last word a prefix while typing, the
    /// entity filters.
    pub fn search_options(&self) -> SearchOptions {
        SearchOptions { limit: PAGE, prefix_last: true, filters: self.filters(), ..SearchOptions::default() }
    }

    /// The entity filters the search applies besides the box's text: the locked ones, then the user's.
    pub fn filters(&self) -> Vec<Filter> {
        let filter = |r: &EntityRef, exclude: bool| Filter { kind: r.kind, name: r.name.clone(), exclude };
        let include = self.locked_include.iter().chain(&self.include).map(|r| filter(r, false));
        include.chain(self.locked_exclude.iter().chain(&self.exclude).map(|r| filter(r, true))).collect()
    }

    /// The search as one query text (what the host page hears in `sorot-search`): the entity filters
    /// in query syntax, then the search box.
    pub fn engine_query(&self) -> String {
        let mut parts = Vec::new();
        let filter = |r: &EntityRef, sign: &str| {
            format!("{sign}{}:\"{}\"", sorot_engine::entity_field(r.kind), r.name.replace('"', ""))
        };
        parts.extend(self.locked_include.iter().chain(&self.include).map(|r| filter(r, "")));
        parts.extend(self.locked_exclude.iter().chain(&self.exclude).map(|r| filter(r, "-")));
        parts.push(self.query.trim_start().to_string());
        parts.retain(|p| !p.is_empty());
        parts.join(" ")
    }

    /// The URL view of the state.
    pub fn url_state(&self) -> UrlState {
        UrlState {
            query: self.query.clone(),
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            sort: self.sort,
            // An article still waiting for its corpus (or its piece) stays in the URL.
            open: match self.open {
                Some(d) => self.engine.article_at(d).map(|a| a.id.clone()),
                None => self.pending_open.clone(),
            },
            hit: self.hit,
            entity: self.panel.clone(),
        }
    }

    /// How many results a page of them has.
    pub fn page(&self) -> usize {
        if self.engine.is_split() {
            SPLIT_PAGE
        } else {
            PAGE
        }
    }

    /// Shows another corpus: the search, filters and the article the URL names are kept (that
    /// article opens if the corpus has it, or once its piece is here in a split pack).
    fn show_corpus(&mut self, engine: SharedEngine, views: Rc<std::cell::OnceCell<CorpusViews>>) {
        let open_id = self.url_state().open;
        self.pending_open = None;
        self.awaiting = false;
        self.engine = engine;
        self.views = views;
        self.panel = None;
        self.open = None;
        self.apply_page_filters();
        self.recompute();
        match open_id.clone().and_then(|id| self.engine.article_number(&id)) {
            Some(doc) => self.open_doc(doc, None),
            None if self.engine.is_split() => self.pending_open = open_id,
            None => {}
        }
    }

    /// Whether nothing is searched for: no query, no filter (the page lists the newest articles).
    pub fn browsing(&self) -> bool {
        self.query.trim().is_empty()
            && self.include.is_empty()
            && self.exclude.is_empty()
            && self.locked_include.is_empty()
            && self.locked_exclude.is_empty()
    }

    /// Runs the search again after the query, filters or order changed.
    fn recompute(&mut self) {
        let page = self.page();
        let browsing = self.browsing();
        let engine = &self.engine;
        let views = self.views.get_or_init(|| CorpusViews::new(engine));
        let (mut facets_pending, mut results_pending) = (false, false);
        let (results, docs, facets) = if browsing && engine.is_split() {
            (None, engine.entry_newest().to_vec(), Vec::new())
        } else if browsing {
            (None, engine.dates().newest_first.clone(), views.facets.clone())
        } else {
            let results = engine.search(&self.query, &self.search_options());
            let mut docs = results.docs.clone();
            if self.sort == Sort::Date {
                // Newest first; otherwise (same date, or none) keep the relevance order.
                engine.dates().sort(&mut docs);
            }
            // A split pack's facets once the results are in (with the first page's articles, which
            // are read here so that their pieces are asked for first): theirs come after.
            let split = engine.is_split();
            if split && !engine.is_waiting() {
                for &doc in docs.iter().take(page) {
                    engine.article_at(doc);
                }
            }
            let waiting = split && engine.is_waiting();
            results_pending = waiting;
            let facets = if waiting { Vec::new() } else { engine.facets(Some(&docs)) };
            // Then the names of the entities the facets pane lists.
            if split && !engine.is_waiting() {
                let filters: Vec<&EntityRef> = self.include.iter().chain(&self.exclude).collect();
                crate::view::facet_groups(engine, &facets, &filters, &self.facet_lists);
            }
            facets_pending = !waiting && split && engine.is_waiting();
            (Some(results), docs, facets)
        };
        self.outcome =
            SharedOutcome(Rc::new(Outcome { results, docs, facets, facets_pending, results_pending }));
        self.cursor = None;
        self.shown = page;
        self.refresh_hits();
    }

    /// Recomputes the open article's highlights for the current search.
    fn refresh_hits(&mut self) {
        let hits = match (self.open, &self.outcome.results) {
            (Some(doc), Some(results)) => self.engine.highlights(results, doc, Field::Body),
            _ => Vec::new(),
        };
        if self.hit >= hits.len() {
            self.hit = 0;
        }
        self.hits = Rc::new(hits);
    }

    fn open_doc(&mut self, doc: DocId, focus: Option<Span>) {
        self.open = Some(doc);
        self.focus = focus;
        self.hit = 0;
        self.refresh_hits();
        if let Some(i) = self.outcome.docs.iter().position(|&d| d == doc) {
            self.cursor = Some(i);
        }
    }
}

fn toggle(list: &mut Vec<EntityRef>, other: &mut Vec<EntityRef>, r: EntityRef) {
    other.retain(|x| x != &r);
    if let Some(i) = list.iter().position(|x| x == &r) {
        list.remove(i);
    } else {
        list.push(r);
    }
}

impl Reducible for ExplorerState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetQuery(query) => {
                if query == next.query {
                    return self;
                }
                next.query = query;
                next.recompute();
            }
            Action::Escape => {
                if !next.query.is_empty() {
                    next.query.clear();
                    next.recompute();
                } else if next.panel.is_some() {
                    next.panel = None;
                } else if next.open.is_some() {
                    next.open = None;
                    next.refresh_hits();
                } else {
                    return self;
                }
            }
            Action::ToggleInclude(r) => {
                toggle(&mut next.include, &mut next.exclude, r);
                next.recompute();
            }
            Action::ToggleExclude(r) => {
                toggle(&mut next.exclude, &mut next.include, r);
                next.recompute();
            }
            Action::ClearFilters => {
                if next.include.is_empty() && next.exclude.is_empty() {
                    return self;
                }
                next.include.clear();
                next.exclude.clear();
                next.recompute();
            }
            Action::SetSort(sort) => {
                if sort == next.sort {
                    return self;
                }
                next.sort = sort;
                next.recompute();
            }
            Action::ShowMore => next.shown += next.page(),
            Action::MoveCursor(by) => {
                let n = next.outcome.docs.len();
                if n == 0 {
                    return self;
                }
                let at = match next.cursor {
                    None if by > 0 => 0,
                    None => n - 1,
                    Some(c) => (c as i64 + by as i64).clamp(0, n as i64 - 1) as usize,
                };
                next.cursor = Some(at);
                if at >= next.shown {
                    next.shown = at + 1;
                }
            }
            Action::OpenCursor => {
                let Some(doc) = next.cursor.and_then(|c| next.outcome.docs.get(c).copied()) else {
                    return self;
                };
                next.open_doc(doc, None);
            }
            Action::Open(id, focus) => {
                let Some(doc) = next.engine.article_number(&id) else {
                    if !next.engine.is_split() {
                        return self;
                    }
                    next.pending_open = Some(id);
                    return Rc::new(next);
                };
                next.open_doc(doc, focus);
            }
            Action::PiecesRequested(n) => next.fetching += n,
            Action::SaveOffline => {
                next.saving = next.engine.is_split();
                next.retries += 1;
            }
            Action::ExportWhenReady(export) => {
                // The user's own request (not the wait's next look): failed pieces are tried again.
                if next.pending_export.is_none() && export.is_some() {
                    next.retries += 1;
                }
                next.pending_export = export;
            }
            Action::PiecesArrived(n, result) => {
                next.fetching = next.fetching.saturating_sub(n);
                next.arrivals += 1;
                if let Err(reason) = result {
                    // An export that waited for pieces gives up: the alert says which failed.
                    next.pending_export = None;
                    if let Some(url) = &next.corpus_url {
                        next.fetch_error = Some((url.clone(), reason));
                    }
                }
                let (cursor, shown) = (next.cursor, next.shown);
                // (Also the open article's highlights, now that its text may be here.)
                next.recompute();
                (next.cursor, next.shown) = (cursor, shown);
                if let Some(id) = next.pending_open.clone() {
                    if let Some(doc) = next.engine.article_number(&id) {
                        next.pending_open = None;
                        next.open_doc(doc, None);
                    }
                }
            }
            Action::Close => {
                if next.open.is_none() {
                    return self;
                }
                next.open = None;
                next.focus = None;
                next.refresh_hits();
            }
            Action::StepHit(forward) => {
                let n = next.hits.len();
                if n == 0 {
                    return self;
                }
                next.focus = None;
                next.hit = if forward { (next.hit + 1) % n } else { (next.hit + n - 1) % n };
            }
            Action::ShowEntity(r) => {
                if next.panel == r {
                    return self;
                }
                next.panel = r;
            }
            Action::ToggleFacetList(kind) => match next.facet_lists.iter().position(|k| *k == kind) {
                Some(i) => drop(next.facet_lists.remove(i)),
                None => next.facet_lists.push(kind),
            },
            Action::SetUi(ui) => {
                if next.ui == ui {
                    return self;
                }
                next.ui = ui;
            }
            Action::LoadStarted(url) => {
                next.loading = Some(Loading { url, received: 0, total: None, opened: None });
                next.fetch_error = None;
            }
            Action::LoadProgress(received, total) => {
                let Some(loading) = &mut next.loading else { return self };
                loading.received = received;
                loading.total = total;
            }
            Action::Opening(permille) => {
                let Some(loading) = &mut next.loading else { return self };
                loading.opened = Some(permille.min(1000));
            }
            Action::Loaded(url, engine, views) => {
                next.corpus_url = Some(url);
                next.loading = None;
                next.saving = false;
                next.load_error = None;
                next.show_corpus(engine, views);
            }
            Action::LoadFailed(url, reason) => {
                next.loading = None;
                next.fetch_error = Some((url, reason));
                if next.awaiting {
                    // Nothing was shown yet: the bundled corpus, rather than none.
                    match Engine::from_pack(crate::BUNDLED_PACK) {
                        Ok(engine) => next.show_corpus(SharedEngine(Rc::new(engine)), Rc::default()),
                        Err(e) => next.load_error = Some(e),
                    }
                }
            }
            Action::DismissError => {
                if next.fetch_error.is_none() {
                    return self;
                }
                next.fetch_error = None;
            }
            Action::SetPageFilters(filters, locked) => {
                if next.page_filters.as_ref() == Some(&(filters.clone(), locked)) {
                    return self;
                }
                next.page_filters = Some((filters, locked));
                next.apply_page_filters();
                next.recompute();
            }
            Action::Restore(url) => {
                if url == next.url_state() {
                    return self;
                }
                let search_changed = url.query != next.query
                    || url.include != next.include
                    || url.exclude != next.exclude
                    || url.sort != next.sort;
                next.query = url.query;
                next.include = url.include;
                next.exclude = url.exclude;
                next.sort = url.sort;
                next.panel = url.entity;
                if search_changed {
                    next.recompute();
                }
                let doc = url.open.as_ref().and_then(|id| next.engine.article_number(id));
                next.pending_open = None;
                if doc.is_none() && (next.engine.is_split() || next.awaiting) {
                    next.pending_open = url.open.clone();
                }
                match doc {
                    Some(doc) => {
                        if next.open != Some(doc) {
                            next.open_doc(doc, None);
                        }
                        next.hit = url.hit.min(next.hits.len().saturating_sub(1));
                    }
                    None => {
                        next.open = None;
                        next.refresh_hits();
                    }
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<ExplorerState> {
        Rc::new(ExplorerState::from_pack(crate::BUNDLED_PACK, UiLang::Id))
    }

    const SEED: &str = "000_ce9894c18006a3a8";

    #[test]
    fn browsing_lists_every_article() {
        let s = state();
        assert!(s.outcome.results.is_none());
        assert_eq!(s.outcome.docs.len(), s.engine.articles().len());
    }

    #[test]
    fn typing_searches_and_opening_counts_hits() {
        let s = state().reduce(Action::SetQuery("rusuh".into()));
        assert_eq!(s.outcome.docs.len(), 1);
        let s = s.reduce(Action::Open(SEED.into(), None));
        assert_eq!(s.hits.len(), 6);
        let s = s.reduce(Action::StepHit(false));
        assert_eq!(s.hit, 5);
        let s = s.reduce(Action::StepHit(true));
        assert_eq!(s.hit, 0);
        // A new query keeps the article open with its new hits.
        let s = s.reduce(Action::SetQuery("putin".into()));
        assert_eq!(s.hits.len(), 6);
    }

    #[test]
    fn escape_clears_then_closes() {
        let s = state().reduce(Action::SetQuery("putin".into())).reduce(Action::Open(SEED.into(), None));
        let s = s.reduce(Action::Escape);
        assert_eq!(s.query, "");
        assert!(s.open.is_some());
        let s = s.reduce(Action::Escape);
        assert!(s.open.is_none());
    }

    #[test]
    fn include_and_exclude_are_exclusive() {
        let putin = EntityRef { kind: EntityType::Per, name: "Vladimir Putin".into() };
        let s = state().reduce(Action::ToggleInclude(putin.clone()));
        assert_eq!(s.include, std::slice::from_ref(&putin));
        assert_eq!(s.engine_query(), "person:\"Vladimir Putin\"");
        let s = s.reduce(Action::ToggleExclude(putin.clone()));
        assert!(s.include.is_empty());
        assert_eq!(s.exclude, [putin]);
        let s = s.reduce(Action::ClearFilters);
        assert!(s.exclude.is_empty());
    }

    #[test]
    fn warning_spans_are_in_the_box_text_with_a_filter_and_a_leading_space() {
        let putin = EntityRef { kind: EntityType::Per, name: "Vladimir Putin".into() };
        let s = state()
            .reduce(Action::ToggleInclude(putin))
            .reduce(Action::SetQuery(" putin \"revolusi warna".into()))
            .reduce(Action::ToggleExclude(EntityRef { kind: EntityType::Org, name: "Nobody".into() }));
        let results = s.outcome.results.as_ref().expect("a search ran");
        assert_eq!(results.total, 1, "the filter and the words still find the seed");
        let parts: Vec<(String, Option<&str>)> =
            results.warnings.iter().map(|w| (w.kind.to_string(), w.span.get(&s.query))).collect();
        assert_eq!(
            parts,
            [
                (
                    "a quote is not closed; it was closed at the end of the query".to_string(),
                    Some("\"revolusi warna")
                ),
                ("no organisation called “Nobody” in this corpus".to_string(), Some("")),
            ]
        );
    }

    #[test]
    fn url_round_trip_restores_the_view() {
        let s = state()
            .reduce(Action::SetQuery("\"revolusi warna\"".into()))
            .reduce(Action::Open(SEED.into(), None))
            .reduce(Action::StepHit(true));
        let url = s.url_state();
        assert_eq!(url.hit, 1);
        let restored = state().reduce(Action::Restore(UrlState::from_hash(&url.to_hash())));
        assert_eq!(restored.url_state(), url);
        assert_eq!(restored.hits.len(), 3);
    }

    #[test]
    fn cursor_moves_and_opens() {
        let s = state().reduce(Action::MoveCursor(1));
        assert_eq!(s.cursor, Some(0));
        let s = s.reduce(Action::MoveCursor(-5)).reduce(Action::OpenCursor);
        assert_eq!(s.open, Some(s.outcome.docs[0]));
    }

    #[test]
    fn a_failed_fetch_keeps_the_corpus_and_says_why() {
        let s = state().reduce(Action::SetQuery("putin".into()));
        let s = s.reduce(Action::LoadStarted("big.pack".into())).reduce(Action::LoadProgress(10, Some(100)));
        assert_eq!(s.loading.as_ref().map(|l| (l.received, l.total)), Some((10, Some(100))));
        let s = s.reduce(Action::LoadFailed("big.pack".into(), "HTTP 404 Not Found".into()));
        assert!(s.loading.is_none());
        assert_eq!(s.fetch_error, Some(("big.pack".to_string(), "HTTP 404 Not Found".to_string())));
        assert_eq!(s.outcome.docs.len(), 1);
        assert_eq!(s.corpus_url, None);
    }

    #[test]
    fn an_export_gives_up_when_its_pieces_fail_and_the_next_one_tries_them_again() {
        let s = ExplorerState { corpus_url: Some("archive/entry.sorot".into()), ..(*state()).clone() };
        let s = Rc::new(s).reduce(Action::ExportWhenReady(Some(("entities", "json"))));
        assert_eq!((s.pending_export, s.retries), (Some(("entities", "json")), 1));
        // The wait's own next look is no new request: what failed is not asked for again.
        let s =
            s.reduce(Action::PiecesRequested(2)).reduce(Action::ExportWhenReady(Some(("entities", "json"))));
        assert_eq!(s.retries, 1);
        let s = s.reduce(Action::PiecesArrived(2, Err("e-00.sorot: HTTP 503".into())));
        assert_eq!((s.pending_export, s.fetching), (None, 0));
        assert_eq!(s.fetch_error.as_ref().map(|e| e.1.as_str()), Some("e-00.sorot: HTTP 503"));
        // The user asks again: a retry.
        let s = s.reduce(Action::ExportWhenReady(Some(("entities", "json"))));
        assert_eq!(s.retries, 2);
    }

    /// A corpus of one article, `id`, that says "Putin" twice in its body.
    fn one_article(id: &str) -> SharedEngine {
        SharedEngine(Rc::new(sorot_engine::Engine::from_articles(vec![sorot_engine::Article {
            id: id.into(),
            title: "Putin lagi".into(),
            body: "Putin berbicara lagi. Dua kali Putin.".into(),
            date: None,
            source: None,
            url: None,
            lang: "id".into(),
        }])))
    }

    #[test]
    fn a_loaded_corpus_replaces_the_bundled_one_and_keeps_the_query() {
        let s = state().reduce(Action::SetQuery("putin".into())).reduce(Action::Open(SEED.into(), None));
        let s = s.reduce(Action::Loaded("x.pack".into(), one_article("x"), Rc::default()));
        assert_eq!(s.corpus_url.as_deref(), Some("x.pack"));
        assert_eq!(s.engine.articles().len(), 1);
        assert_eq!(s.outcome.docs, [DocId(0)]);
        assert_eq!(s.open, None, "the seed is not in the new corpus");
    }

    #[test]
    fn a_page_waiting_for_its_corpus_opens_the_article_its_url_names_once_the_corpus_is_in() {
        let url = UrlState::from_hash("#q=putin&a=x");
        let s = Rc::new(ExplorerState::awaiting(UiLang::Id)).reduce(Action::Restore(url.clone()));
        assert_eq!(s.engine.articles().len(), 0, "the bundled corpus is not decoded while waiting");
        assert!(s.waiting());
        assert_eq!((s.open, s.pending_open.as_deref()), (None, Some("x")));
        assert_eq!(s.url_state(), url, "the article stays in the URL while it waits");
        let s = s.reduce(Action::Loaded("x.pack".into(), one_article("x"), Rc::default()));
        assert!(!s.waiting());
        assert_eq!(s.open, Some(DocId(0)));
        assert_eq!((s.pending_open.as_deref(), s.awaiting), (None, false));
        assert_eq!(s.hits.len(), 2, "the two in the body");
        assert_eq!(s.url_state(), url);
    }

    #[test]
    fn a_page_whose_corpus_fails_shows_the_bundled_one_and_says_why() {
        let url = UrlState::from_hash(&format!("#q=putin&a={SEED}"));
        let s = Rc::new(ExplorerState::awaiting(UiLang::Id)).reduce(Action::Restore(url.clone()));
        let s = s.reduce(Action::LoadStarted("big.pack".into()));
        let s = s.reduce(Action::LoadFailed("big.pack".into(), "HTTP 404 Not Found".into()));
        assert_eq!(s.fetch_error, Some(("big.pack".to_string(), "HTTP 404 Not Found".to_string())));
        assert_eq!((s.engine.articles().len(), s.outcome.docs.len(), s.waiting()), (1, 1, false));
        assert_eq!(s.url_state(), url, "the seed article the URL named is open");
        // A later failure (another corpus asked for) keeps what is shown.
        let shown = s.engine.clone();
        let s = s.reduce(Action::LoadFailed("b.pack".into(), "HTTP 404 Not Found".into()));
        assert_eq!((&s.engine, s.url_state()), (&shown, url));
    }

    #[test]
    fn page_filters_resolve_aliases_and_locked_ones_stay() {
        let s = state().reduce(Action::SetPageFilters("person:putin -place:kazakhstan".into(), false));
        assert_eq!(s.include, [EntityRef { kind: EntityType::Per, name: "Vladimir Putin".into() }]);
        assert_eq!(s.exclude, [EntityRef { kind: EntityType::Loc, name: "Kazakhstan".into() }]);
        assert!(s.outcome.docs.is_empty(), "the seed mentions Kazakhstan");

        let s = state().reduce(Action::SetPageFilters("org:csto".into(), true));
        let csto = "Organisasi Perjanjian Keamanan Kolektif";
        assert_eq!(s.locked_include, [EntityRef { kind: EntityType::Org, name: csto.into() }]);
        assert!(s.include.is_empty());
        assert_eq!(s.outcome.docs.len(), 1);
        // Clearing the user's filters leaves the locked ones.
        let s = s.reduce(Action::ClearFilters);
        assert_eq!(s.locked_include.len(), 1);
        assert!(s.engine_query().starts_with(&format!("org:\"{csto}\"")));

        // The page removes its filters: the locked ones go.
        let cleared = s.reduce(Action::SetPageFilters(String::new(), false));
        assert!(cleared.locked_include.is_empty());
        assert_eq!(cleared.engine_query(), "");

        // A locked filter on an entity the corpus does not have matches nothing.
        let s = state().reduce(Action::SetPageFilters("person:\"Nobody Here\"".into(), true));
        assert!(s.outcome.docs.is_empty());
    }

    #[test]
    fn date_order_is_newest_first_undated_last_and_keeps_relevance_on_ties() {
        let article = |id: &str, date: Option<&str>, body: &str| sorot_engine::Article {
            id: id.into(),
            title: id.into(),
            body: body.into(),
            date: date.map(Into::into),
            source: None,
            url: None,
            lang: "id".into(),
        };
        let engine = sorot_engine::Engine::from_articles(vec![
            article("old", Some("2020-01-01"), "banjir"),
            article("none", None, "banjir banjir banjir"),
            article("new-a", Some("2022-05-01"), "banjir"),
            article("new-b", Some("2022-05-01"), "banjir banjir"),
        ]);
        let s = Rc::new(ExplorerState { engine: SharedEngine(Rc::new(engine)), ..ExplorerState::default() });
        let ids = |s: &ExplorerState| -> Vec<String> {
            s.outcome.docs.iter().map(|&d| s.engine.articles()[d.index()].id.clone()).collect()
        };
        let s = s.reduce(Action::SetQuery("zzz".into())).reduce(Action::SetQuery(String::new()));
        assert_eq!(ids(&s), ["new-a", "new-b", "old", "none"], "browsing shows the newest first");
        let s = s.reduce(Action::SetQuery("banjir".into()));
        let relevance = ids(&s);
        assert_eq!(relevance[0], "none", "most mentions first by relevance");
        let s = s.reduce(Action::SetSort(Sort::Date));
        let by_date = ids(&s);
        // Same date: the more relevant first, as in the relevance order.
        let b_first =
            relevance.iter().position(|i| i == "new-b") < relevance.iter().position(|i| i == "new-a");
        let expected =
            if b_first { ["new-b", "new-a", "old", "none"] } else { ["new-a", "new-b", "old", "none"] };
        assert_eq!(by_date, expected);
    }

    #[test]
    fn bad_pack_keeps_the_reason() {
        let state = ExplorerState::from_pack(b"not a pack", UiLang::En);
        assert_eq!(
            state.load_error.map(|e| e.kind().clone()),
            Some(sorot_engine::PackErrorKind::Container(sorot_engine::ContainerFault::NotThisFormat))
        );
        assert!(state.engine.articles().is_empty());
    }
}
