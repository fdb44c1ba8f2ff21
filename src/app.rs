//! The root component: it owns the state and wires components to actions; its effects are the named
//! hooks of [`crate::hooks`].

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{ActiveFilters, EntityPanel, Facets, Header, Reader, ResultList, SearchBar};
use crate::export::{entities_csv, results_csv, to_json};
use crate::hooks::{
    use_embed_attributes, use_host_events, use_keeps_offline, use_keyboard, use_missing_pieces,
    use_pack_by_url, use_page_lang, use_update_banner, use_url_history, use_warm_up,
};
use crate::i18n::UiLang;
use crate::loader::pack_param;
use crate::state::{Action, ExplorerState};
use crate::url::UrlState;
use crate::view::{entity_panel, entity_rows, facet_groups, reader_article, result_items, Shared};
use crate::BUNDLED_PACK;

/// The interface language the browser asks for.
fn browser_ui_lang() -> UiLang {
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    UiLang::from_tag(&tag)
}

/// Starts a download of `content` as a file.
fn download(name: &str, mime: &str, content: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(a) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Downloads an export of the current view: `what` is `results` or `entities`, `format` `csv` or
/// `json`. False, with nothing downloaded, while a split pack's pieces it needs (or any others noted
/// and not fetched yet) are not all at hand: they are noted, to be fetched.
fn export(state: &ExplorerState, what: &str, format: &str) -> bool {
    let (engine, outcome) = (&state.engine, &state.outcome);
    let (name, mime, text) = match (what, format) {
        ("entities", "csv") => {
            ("sorot-entities.csv", "text/csv;charset=utf-8", entities_csv(&entity_rows(engine, outcome)))
        }
        ("entities", _) => {
            ("sorot-entities.json", "application/json", to_json(&entity_rows(engine, outcome)))
        }
        (_, "csv") => (
            "sorot-results.csv",
            "text/csv;charset=utf-8",
            results_csv(&result_items(engine, outcome, usize::MAX)),
        ),
        _ => ("sorot-results.json", "application/json", to_json(&result_items(engine, outcome, usize::MAX))),
    };
    if engine.is_waiting() {
        return false;
    }
    download(name, mime, &text);
    true
}

/// The explorer inside another site's page (a `<sorot-explorer>` element): what its attributes say.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    /// The custom element: events are dispatched on it, and keys typed inside it are shortcuts.
    pub host: web_sys::Element,
    /// The element the explorer renders into (inside the host's shadow root); it carries `lang`.
    pub root: web_sys::Element,
    /// The pack to show (relative to the host page); `None` for the bundled corpus.
    pub pack: Option<String>,
    /// Interface language; `None` follows the browser.
    pub lang: Option<UiLang>,
    /// The search to start with (and to switch to when the attribute changes).
    pub query: String,
    /// Entity filters in query syntax, e.g. `person:"Vladimir Putin" -org:CSTO`.
    pub filters: String,
    /// Whether the filters are fixed (the user cannot remove them).
    pub locked: bool,
}

/// What the page gives the explorer.
#[derive(Properties, Clone, Default)]
pub struct AppProps {
    /// Pack bytes to use instead of the bundled corpus (the single-file page inlines its corpus).
    #[prop_or_default]
    pub pack: Option<Rc<Vec<u8>>>,
    /// Set when the explorer is embedded in another page: no URL state, events on the host element.
    #[prop_or_default]
    pub embed: Option<Embed>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &AppProps) -> bool {
        let same_pack = match (&self.pack, &other.pack) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        same_pack && self.embed == other.embed
    }
}

/// The root component: owns the state, keeps it in the URL, and wires components to actions.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let pack = props.pack.clone();
    let embed = props.embed.clone();
    let state = use_reducer(move || {
        let Some(embed) = embed else {
            let initial = match (pack, pack_param()) {
                (Some(pack), _) => Rc::new(ExplorerState::from_pack(&pack, browser_ui_lang())),
                (None, Some(url)) => {
                    let waiting = Rc::new(ExplorerState::awaiting(browser_ui_lang()));
                    // A split pack's entry already in: the first render shows its corpus.
                    match crate::loader::early_entry(&url) {
                        Some(engine) => {
                            let views = crate::state::CorpusViews::ready(&engine);
                            let engine = crate::state::SharedEngine(Rc::new(engine));
                            yew::Reducible::reduce(waiting, Action::Loaded(url, engine, views))
                        }
                        None => waiting,
                    }
                }
                (None, None) => Rc::new(ExplorerState::from_pack(BUNDLED_PACK, browser_ui_lang())),
            };
            return yew::Reducible::reduce(
                initial,
                Action::Restore(UrlState::from_hash(&crate::hooks::location_hash())),
            )
            .as_ref()
            .clone();
        };
        let ui = embed.lang.unwrap_or_else(browser_ui_lang);
        // With a pack of its own, the widget never shows the bundled corpus, not even while loading.
        let initial = Rc::new(match embed.pack {
            Some(_) => ExplorerState::empty(ui),
            None => ExplorerState::from_pack(BUNDLED_PACK, ui),
        });
        let initial = yew::Reducible::reduce(initial, Action::SetQuery(embed.query.clone()));
        let initial = if embed.filters.trim().is_empty() {
            initial
        } else {
            yew::Reducible::reduce(initial, Action::SetPageFilters(embed.filters.clone(), embed.locked))
        };
        initial.as_ref().clone()
    });
    let embedded = props.embed.is_some();
    let embed = props.embed.as_ref();
    let input_ref = use_node_ref();
    let s = state.ui.strings();
    use_page_lang(s.code, embed.map(|e| e.root.clone()));
    use_pack_by_url(
        embed.map_or_else(pack_param, |e| e.pack.clone()),
        state.corpus_url.clone(),
        state.dispatcher(),
    );
    use_missing_pieces(&state, state.dispatcher());
    // An export that waited for pieces, once some arrived: downloaded when it is whole.
    {
        let (state, d) = ((*state).clone(), state.dispatcher());
        use_effect_with((state.pending_export, state.arrivals), move |&(pending, _)| {
            if let Some((what, format)) = pending {
                let done = export(&state, what, format);
                // Not yet: render again, so that the pieces just noted are fetched.
                d.dispatch(Action::ExportWhenReady((!done).then_some((what, format))));
            }
        });
    }
    use_embed_attributes(embed, state.dispatcher());
    use_host_events(embed, &state);
    let update_ready = use_update_banner(embedded);
    let keeps_offline = use_keeps_offline(embedded);
    use_url_history(&state, embedded);
    use_warm_up(state.engine.clone());
    use_keyboard(embed, input_ref.clone(), state.dispatcher());

    let d = state.dispatcher();
    let on_input = d.to_callback().reform(Action::SetQuery);
    let on_switch_ui = d.to_callback().reform(Action::SetUi);
    let on_open = d.to_callback().reform(|id| Action::Open(id, None));
    let on_open_at = d.to_callback().reform(|(id, span)| Action::Open(id, Some(span)));
    let on_close = d.to_callback().reform(|()| Action::Close);
    let on_step = d.to_callback().reform(Action::StepHit);
    let on_include = d.to_callback().reform(Action::ToggleInclude);
    let on_exclude = d.to_callback().reform(Action::ToggleExclude);
    let on_clear = d.to_callback().reform(|()| Action::ClearFilters);
    let on_sort = d.to_callback().reform(Action::SetSort);
    let on_more = d.to_callback().reform(|()| Action::ShowMore);
    let on_show = d.to_callback().reform(|r| Action::ShowEntity(Some(r)));
    let on_hide = d.to_callback().reform(|()| Action::ShowEntity(None));
    let on_export = {
        let (state, d) = (state.clone(), d.clone());
        Callback::from(move |(what, format): (&'static str, &'static str)| {
            if !export(&state, what, format) {
                d.dispatch(Action::ExportWhenReady(Some((what, format))));
            }
        })
    };
    let warnings = state.outcome.results.as_ref().map(|r| r.warnings.clone()).unwrap_or_default();
    let waiting = state.waiting();
    let count = state.outcome.results.as_ref().filter(|_| !waiting).map(|_| state.outcome.docs.len());
    let corrections: Vec<(String, String)> = state
        .outcome
        .results
        .as_ref()
        .map(|r| {
            r.expansions
                .iter()
                .filter(|e| e.kind == sorot_engine::MatchKind::Typo)
                .take(5)
                .map(|e| (e.query.clone(), e.term.clone()))
                .collect()
        })
        .unwrap_or_default();
    // What the views show, made again only when what it comes from changed.
    let engine = state.engine.clone();
    let lists = {
        let engine = engine.clone();
        let (o, include, exclude) = (state.outcome.clone(), state.include.clone(), state.exclude.clone());
        use_memo((o, state.shown, include, exclude, state.facet_lists.clone()), move |deps| {
            let (outcome, shown, include, exclude, lists) = deps;
            let filters: Vec<_> = include.iter().chain(exclude).collect();
            let groups = facet_groups(&engine, &outcome.facets, &filters, lists);
            (Shared(Rc::new(result_items(&engine, outcome, *shown))), Shared(Rc::new(groups)))
        })
    };
    let (items, groups) = (lists.0.clone(), lists.1.clone());
    // Why the facets pane of a split corpus lists nothing before a search: it counts entities only
    // over what a search finds (over all of it, they would fetch every facet piece).
    let facets_note = (state.browsing() && engine.is_split() && engine.has_entities() && groups.0.is_empty())
        .then_some(s.entities_after_search);
    let article = {
        let engine = engine.clone();
        use_memo((state.engine.clone(), state.open, state.arrivals), move |(_, doc, _)| {
            doc.and_then(|d| reader_article(&engine, d))
        })
    };
    let panel = {
        let id = state.panel.as_ref().and_then(|r| state.entity_id(r));
        use_memo((state.engine.clone(), id, state.arrivals), move |(_, id, _)| {
            id.and_then(|id| entity_panel(&engine, id))
        })
    };
    // Teaching mode (the teaching build, `teach.html`): the work behind the search.
    #[cfg(feature = "teach")]
    let teach_views = html! {
        <crate::teach::TeachViews engine={state.engine.clone()} outcome={state.outcome.clone()}
            open={state.open} arrivals={state.arrivals} options={state.search_options()} ui={state.ui}
            on_include={on_include.clone()} />
    };
    #[cfg(not(feature = "teach"))]
    let teach_views = Html::default();
    // The switch between the explorer and its teaching build, which keeps the view. Served, the two
    // are pages side by side (teach.html carries the page's `?pack=`); in the single file, which
    // carries both apps, the switch is the file's `?explain=1` (a change of query, so the file loads
    // again with the other app, see `crates/cli/src/bundle.rs`). Not in a widget, and not in a single
    // file without the teaching app.
    let teach_link = (!embedded)
        .then(|| teach_switch(props.pack.is_some(), &state.url_state().to_hash()))
        .flatten()
        .map(|href| {
            let label = if cfg!(feature = "teach") { s.hide_work } else { s.show_work };
            html! { <a class="teach-switch" {href}>{ label }</a> }
        });
    let on_expand = d.to_callback().reform(Action::ToggleFacetList);
    // Receiving a pack (without a known size the bar is indeterminate), then decoding it.
    let loading_bar = state.loading.as_ref().map(|loading| match loading.opened {
        Some(opened) => (state.ui.opening(&loading.url), Some(1000), Some(u64::from(opened))),
        None => (
            state.ui.loading(&loading.url),
            loading.total.map(|t| t.max(1)),
            loading.total.map(|_| loading.received),
        ),
    });
    // A split pack's pieces: how many are here, of how many.
    let pieces = if state.saving {
        let total = state.engine.piece_count();
        ((0..total as u32).filter(|&p| state.engine.has_piece(p)).count(), total)
    } else {
        (0, 0)
    };
    html! {
        <>
            <Header ui={state.ui} {on_switch_ui} />
            if update_ready {
                <div class="update" role="status">
                    <span>{ s.update_available }</span>
                    <button type="button" class="reload" onclick={Callback::from(|_| crate::hooks::apply_update())}>{ s.reload }</button>
                </div>
            }
            if let Some(error) = &state.load_error {
                <div class="error" role="alert">
                    <strong>{ s.corpus_error }</strong>{ ": " }{ error.to_string() }
                </div>
            }
            if let Some((label, max, value)) = loading_bar {
                <div class="loading" role="status">
                    <span>{ label.clone() }</span>
                    <progress max={max.map(|m| m.to_string())} value={value.map(|v| v.to_string())}
                        aria-label={label}></progress>
                </div>
            }
            if state.saving {
                <div class="loading saving" role="status">
                    if pieces.0 < pieces.1 {
                        <span>{ state.ui.saving_offline(pieces.0, pieces.1) }</span>
                        <progress max={pieces.1.to_string()} value={pieces.0.to_string()}
                            aria-label={state.ui.saving_offline(pieces.0, pieces.1)}></progress>
                    } else {
                        <span>{ s.saved_offline }</span>
                    }
                </div>
            } else if state.engine.is_split() && keeps_offline {
                <div class="offline-bar">
                    <button type="button" class="save-offline" onclick={d.to_callback().reform(|_| Action::SaveOffline)}>
                        { s.save_offline }
                    </button>
                </div>
            }
            if state.fetching > 0 && !state.saving && !state.outcome.facets_pending {
                <div class="loading pieces" role="status">
                    <span>{ state.ui.fetching_pieces(state.fetching) }</span>
                    <progress aria-label={state.ui.fetching_pieces(state.fetching)}></progress>
                </div>
            }
            if let Some((url, reason)) = &state.fetch_error {
                <div class="error" role="alert">
                    <span>{ state.ui.load_failed(url, reason) }</span>
                    <button type="button" class="dismiss" onclick={d.to_callback().reform(|_| Action::DismissError)}>
                        { state.ui.dismiss() }
                    </button>
                </div>
            }
            // Embedded, the host page has the main landmark.
            <@{if embedded { "div" } else { "main" }} class="shell">
                <div class="main-column">
                    <SearchBar query={state.query.clone()} ui={state.ui} {warnings} {count} {corrections} {on_input} input_ref={input_ref.clone()} landmark={!embedded} />
                    <ActiveFilters include={state.include.clone()} exclude={state.exclude.clone()} ui={state.ui}
                        locked_include={state.locked_include.clone()} locked_exclude={state.locked_exclude.clone()}
                        on_remove_include={on_include.clone()} on_remove_exclude={on_exclude.clone()} {on_clear} />
                    { teach_link.unwrap_or_default() }
                    if !waiting {
                        { teach_views }
                    }
                    // Nothing to list before the corpus is in (its loading bar is above).
                    if !waiting {
                        <div class="columns">
                            <div class="results-pane">
                                <ResultList {items} total={state.outcome.docs.len()}
                                    cursor={state.cursor} open={state.open} sort={state.sort} ui={state.ui}
                                    {on_open} {on_sort} {on_more} on_include={on_include.clone()} {on_export} />
                            </div>
                            <aside class="facets-pane" aria-labelledby="facets-heading"
                                aria-busy={state.outcome.facets_pending.then_some("true")}>
                                if state.outcome.facets_pending {
                                    <p class="facets-loading" role="status">{ s.loading_entities }</p>
                                }
                                <Facets {groups} has_entities={state.engine.has_entities()} note={facets_note} include={state.include.clone()}
                                    exclude={state.exclude.clone()} ui={state.ui} on_include={on_include.clone()}
                                    on_exclude={on_exclude.clone()} on_show={on_show.clone()} {on_expand} />
                            </aside>
                        </div>
                    }
                </div>
                // Always mounted (see `Reader`): opening an article updates the list and the reader together.
                <Reader article={Shared(article)} hits={state.hits.clone()} hit={state.hit}
                    focus={state.focus} ui={state.ui} {on_close} {on_step} on_entity={on_include.clone()} />
            </@>
            <EntityPanel entity={Shared(panel)} ui={state.ui} on_close={on_hide}
                on_open={on_open_at} {on_show} on_include={on_include} />
        </>
    }
}

/// Where the switch between the explorer and its teaching build goes, keeping the view `hash`; `None`
/// where there is no teaching build to go to.
fn teach_switch(single_file: bool, hash: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    if !single_file {
        // The page's `?pack=` goes along.
        let target = if cfg!(feature = "teach") { "index.html" } else { "teach.html" };
        return Some(format!("{target}{}{hash}", location.search().unwrap_or_default()));
    }
    if cfg!(feature = "teach") {
        // The file without its query (the page's script put `?explain=1` there).
        return Some(format!("{}{hash}", location.pathname().ok()?));
    }
    crate::loader::teaching_inlined().then(|| format!("?explain=1{hash}"))
}
