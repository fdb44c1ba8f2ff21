use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use sorot_engine::excerpt;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::{ActiveFilters, EntityPanel, Facets, Header, Reader, ResultList, SearchBar};
use crate::export::{entities_csv, results_csv, to_json, EntityRow, ResultRow};
use crate::i18n::UiLang;
use crate::loader::{fetch_pack, next_turn, pack_param};
use crate::state::{Action, CorpusViews, ExplorerState, SharedEngine};
use crate::url::UrlState;
use crate::BUNDLED_PACK;

/// A typing burst shorter than this makes one history entry, not one per keystroke.
const TYPING_MS: f64 = 1500.0;

/// The interface language the browser asks for.
fn browser_ui_lang() -> UiLang {
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    UiLang::from_tag(&tag)
}

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// While typing, the URL is written this long after the last keystroke, not on every one: a history
/// call costs about a millisecond of each keystroke, and Chromium throttles a page that makes more than
/// 100 of them in 10 seconds.
const URL_QUIET_MS: u32 = 250;

/// What the explorer last wrote into the URL, and a write that waits for typing to pause.
#[derive(Default)]
struct UrlWriter {
    /// The view last written (or waiting to be) and when (`js_sys::Date::now()`; 0 for one the
    /// browser brought back).
    last: UrlState,
    at: f64,
    /// A deferred `replaceState` of `last`: its target, and the timer that will make it.
    pending: Option<(String, Timer)>,
}

impl UrlWriter {
    fn new(url: UrlState) -> UrlWriter {
        UrlWriter { last: url, ..UrlWriter::default() }
    }

    /// The browser brought this view back (back/forward): a write still waiting would overwrite it.
    fn restored(&mut self, url: UrlState) {
        self.pending = None;
        (self.last, self.at) = (url, 0.0);
    }
}

/// How long after a corpus is shown its warm-up searches run (see `Engine::warm_up`): after the
/// paint that shows it. The bundled corpus's warm-up compiles the search code long before a pack by
/// URL arrives; a pack's own grows the memory to its size. Without them the first keystroke on the
/// dev file took a 70 ms task.
const WARM_UP_MS: u32 = 50;

/// A `setTimeout` that is cleared when dropped.
struct Timer {
    handle: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timer {
    fn new(ms: u32, f: impl FnOnce() + 'static) -> Timer {
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let handle = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms as i32,
            )
            .ok()
        });
        Timer { handle, _callback: callback }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let (Some(handle), Some(window)) = (self.handle, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }
}

fn replace_url(target: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(target));
    }
}

/// Makes the deferred write now, if there is one (before an entry is pushed on top of it).
fn flush_url(writer: &RefCell<UrlWriter>) {
    let pending = writer.borrow_mut().pending.take();
    if let Some((target, timer)) = pending {
        drop(timer);
        replace_url(&target);
    }
}

/// Writes the view into the URL: a new history entry, or (while typing) the same one, once the
/// typing pauses.
fn write_url(url: &UrlState, writer: &Rc<RefCell<UrlWriter>>) {
    let Some(window) = web_sys::window() else { return };
    let hash = url.to_hash();
    let target = if hash == "#" {
        window.location().pathname().unwrap_or_default() + &window.location().search().unwrap_or_default()
    } else {
        hash.clone()
    };
    let now = js_sys::Date::now();
    let (previous, at) = {
        let w = writer.borrow();
        (w.last.clone(), w.at)
    };
    // Stepping through hits, and a burst of typing, change the current entry instead of adding one.
    let only_hit = UrlState { hit: previous.hit, ..url.clone() } == previous;
    let only_query = UrlState { query: previous.query.clone(), hit: previous.hit, ..url.clone() } == previous;
    if only_query && !only_hit && now - at < TYPING_MS {
        let timer = {
            let writer = Rc::downgrade(writer);
            Timer::new(URL_QUIET_MS, move || {
                if let Some(writer) = writer.upgrade() {
                    flush_url(&writer);
                }
            })
        };
        let mut w = writer.borrow_mut();
        // The burst goes on from the last keystroke, as when each one was written.
        (w.last, w.at) = (url.clone(), now);
        w.pending = Some((target, timer));
        return;
    }
    flush_url(writer);
    let current = location_hash();
    if hash == current || (hash == "#" && current.is_empty()) {
        return;
    }
    let Ok(history) = window.history() else { return };
    let result = if only_hit {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&target))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(&target))
    };
    if result.is_ok() {
        let mut w = writer.borrow_mut();
        let stamp = if only_hit { w.at } else { now };
        (w.last, w.at) = (url.clone(), stamp);
    }
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

/// The rows of an export of the current view.
fn export(state: &ExplorerState, what: &str, format: &str) {
    let engine = &state.engine;
    let outcome = &state.outcome;
    if what == "entities" {
        let list = &engine.entities().list;
        let rows: Vec<EntityRow> = outcome
            .facets
            .iter()
            .filter_map(|f| {
                let e = list.get(f.entity as usize)?;
                Some(EntityRow {
                    entity: e.name.clone(),
                    kind: e.kind.code().to_string(),
                    aliases: e.aliases.clone(),
                    articles: f.articles,
                    mentions: f.mentions,
                })
            })
            .collect();
        match format {
            "csv" => download("sorot-entities.csv", "text/csv;charset=utf-8", &entities_csv(&rows)),
            _ => download("sorot-entities.json", "application/json", &to_json(&rows)),
        }
        return;
    }
    // The ranked hits (a page of them) carry scores; a look through them per row (no hash table in the wasm).
    let hits = outcome.results.as_ref().map_or(&[][..], |r| r.hits.as_slice());
    let score_of = |doc: u32| hits.iter().find(|h| h.doc == doc).map(|h| h.score);
    let rows: Vec<ResultRow> = outcome
        .docs
        .iter()
        .enumerate()
        .filter_map(|(i, &doc)| {
            let a = engine.articles().get(doc as usize)?;
            let snippet = match &outcome.results {
                Some(r) => engine.snippet(r, doc).text,
                None => excerpt(&a.body, 220),
            };
            let mut counts: Vec<(u32, usize)> = Vec::new();
            for m in engine.entities().mentions.get(doc as usize).into_iter().flatten() {
                match counts.iter_mut().find(|(e, _)| *e == m.entity) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((m.entity, 1)),
                }
            }
            sorot_engine::order::sort_by(&mut counts, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let entities = counts
                .iter()
                .filter_map(|(e, _)| engine.entities().list.get(*e as usize))
                .map(|e| e.name.clone())
                .collect();
            Some(ResultRow {
                rank: i + 1,
                id: a.id.clone(),
                title: a.title.clone(),
                date: a.date.clone(),
                source: a.source.clone(),
                url: a.url.clone(),
                score: score_of(doc),
                snippet,
                entities,
            })
        })
        .collect();
    match format {
        "csv" => download("sorot-results.csv", "text/csv;charset=utf-8", &results_csv(&rows)),
        _ => download("sorot-results.json", "application/json", &to_json(&rows)),
    }
}

/// True when keys typed go into a form control (so single-letter shortcuts must not fire).
fn typing_into(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.has_attribute("contenteditable")
    })
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

/// Dispatches a `CustomEvent` named `name` on `target`, bubbling out of the shadow root.
fn emit(target: &web_sys::Element, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}

/// Fetches the pack at `url` into the explorer, reporting progress; a failure keeps the current corpus.
fn load_pack(url: String, dispatcher: UseReducerDispatcher<ExplorerState>) {
    wasm_bindgen_futures::spawn_local(async move {
        dispatcher.dispatch(Action::LoadStarted(url.clone()));
        let progress = {
            let dispatcher = dispatcher.clone();
            move |received, total| dispatcher.dispatch(Action::LoadProgress(received, total))
        };
        let opened = {
            let dispatcher = dispatcher.clone();
            move |share: f64| dispatcher.dispatch(Action::Opening((share * 1000.0) as u16))
        };
        let result = fetch_pack(&url, &progress, &opened).await;
        match result {
            Ok(engine) => {
                // The browsing order and whole-corpus facets in a task of their own, before the
                // switch renders.
                next_turn().await;
                let views = CorpusViews::ready(&engine);
                let engine = Rc::new(engine);
                dispatcher.dispatch(Action::Loaded(url, SharedEngine(engine.clone()), views));
                crate::loader::after_ms(WARM_UP_MS as i32).await;
                engine.warm_up();
            }
            Err(reason) => dispatcher.dispatch(Action::LoadFailed(url, reason)),
        }
    });
}

/// Asks the page's service-worker script to switch to the waiting version (it reloads the page).
fn apply_update() {
    let global = js_sys::global();
    if let Ok(f) = js_sys::Reflect::get(&global, &"__sorotApplyUpdate".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&global);
        }
    }
}

/// Whether the page's service-worker script already found a new version.
fn update_waiting() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"__sorotUpdateReady".into()).is_ok_and(|v| v.is_truthy())
}

/// The root component: owns the state, keeps it in the URL, and wires components to actions.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let pack = props.pack.clone();
    let embed = props.embed.clone();
    let state = use_reducer(move || {
        let Some(embed) = embed else {
            let bytes = pack.as_deref().map_or(BUNDLED_PACK, |p| p.as_slice());
            let initial = Rc::new(ExplorerState::from_pack(bytes, browser_ui_lang()));
            return yew::Reducible::reduce(initial, Action::Restore(UrlState::from_hash(&location_hash())))
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
    let input_ref = use_node_ref();
    let last_url = use_mut_ref(|| UrlWriter::new(state.url_state()));
    let s = state.ui.strings();

    // The page language follows the interface language (an embedded explorer's own root only).
    {
        let root = props.embed.as_ref().map(|e| e.root.clone());
        use_effect_with(s.code, move |code| {
            let root = root
                .or_else(|| web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()));
            if let Some(root) = root {
                let _ = root.set_attribute("lang", code);
            }
        });
    }
    // Another corpus by URL (`?pack=` on the page, the `pack` attribute of the element); the current
    // one stays usable until it arrives.
    {
        let dispatcher = state.dispatcher();
        let url = match &props.embed {
            Some(embed) => embed.pack.clone(),
            None => pack_param(),
        };
        use_effect_with(url, move |url| {
            if let Some(url) = url.clone() {
                load_pack(url, dispatcher);
            }
        });
    }
    // Attributes of the element changed at run time (hooks run unconditionally; the page has no element).
    let embed = props.embed.as_ref();
    {
        let dispatcher = state.dispatcher();
        use_effect_with(embed.map(|e| e.query.clone()), move |query| {
            if let Some(query) = query {
                dispatcher.dispatch(Action::SetQuery(query.clone()));
            }
        });
        let dispatcher = state.dispatcher();
        use_effect_with(embed.map(|e| (e.filters.clone(), e.locked)), move |filters| {
            // Also when the attribute was removed: its filters go.
            if let Some((filters, locked)) = filters {
                dispatcher.dispatch(Action::SetPageFilters(filters.clone(), *locked));
            }
        });
        let dispatcher = state.dispatcher();
        use_effect_with(embed.and_then(|e| e.lang), move |lang| {
            if let Some(lang) = lang {
                dispatcher.dispatch(Action::SetUi(*lang));
            }
        });
    }
    // The host page hears about searches and opened articles.
    {
        // Not while the widget's own corpus is still on its way (there is nothing to report yet).
        let host = embed.filter(|e| e.pack.is_none() || state.corpus_url.is_some()).map(|e| e.host.clone());
        let query = state.engine_query();
        use_effect_with(state.outcome.clone(), move |outcome| {
            if let Some(host) = host {
                let detail = crate::api::object(&[
                    ("query", JsValue::from_str(&query)),
                    ("total", JsValue::from_f64(outcome.docs.len() as f64)),
                ]);
                emit(&host, "sorot-search", &detail);
            }
        });
        let host = embed.map(|e| e.host.clone());
        let opened = state
            .open
            .and_then(|d| state.engine.articles().get(d as usize))
            .map(|a| (a.id.clone(), a.title.clone(), a.url.clone(), a.date.clone(), a.source.clone()));
        use_effect_with(opened, move |opened| {
            if let (Some(host), Some((id, title, url, date, source))) = (host, opened) {
                use crate::api::{object, string_or_null};
                let detail = object(&[
                    ("date", string_or_null(date.as_deref())),
                    ("id", JsValue::from_str(id)),
                    ("source", string_or_null(source.as_deref())),
                    ("title", JsValue::from_str(title)),
                    ("url", string_or_null(url.as_deref())),
                ]);
                emit(&host, "sorot-open", &detail);
            }
        });
    }
    // A new version of the app or its corpus (from the service worker): offer a reload.
    let update_ready = use_state(update_waiting);
    {
        let update_ready = update_ready.clone();
        use_effect_with(embedded, move |embedded| {
            let listener = (!embedded).then(web_sys::window).flatten().map(|window| {
                let ready = update_ready.clone();
                let listener = EventListener::new(&window, "sorot-update", move |_| ready.set(true));
                // Yew may yield to the browser between the first render and this effect, and the
                // service worker's message can land in that gap: look at the flag again.
                if update_waiting() {
                    update_ready.set(true);
                }
                listener
            });
            move || drop(listener)
        });
    }
    // The view goes into the URL; back/forward bring it back.
    {
        let last_url = last_url.clone();
        use_effect_with(state.url_state(), move |url| {
            if !embedded {
                write_url(url, &last_url);
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        let last_url = last_url.clone();
        let engine = state.engine.clone();
        use_effect_with((), move |_| {
            // Once, on the first render: the bundled corpus's warm-up (a pack's own follows its load).
            let warm_up = Timer::new(WARM_UP_MS, move || engine.warm_up());
            let listener = (!embedded).then(web_sys::window).flatten().map(|window| {
                EventListener::new(&window, "popstate", move |_| {
                    let url = UrlState::from_hash(&location_hash());
                    last_url.borrow_mut().restored(url.clone());
                    dispatcher.dispatch(Action::Restore(url));
                })
            });
            move || drop((listener, warm_up))
        });
    }
    // Keyboard: `/` search, Esc clear, j/k results, Enter open, n/p hits.
    {
        let dispatcher = state.dispatcher();
        let input_ref = input_ref.clone();
        // Embedded, only keys typed inside the element are shortcuts.
        let target: Option<web_sys::EventTarget> = match &props.embed {
            Some(embed) => Some(embed.host.clone().into()),
            None => web_sys::window().and_then(|w| w.document()).map(Into::into),
        };
        use_effect_with((), move |_| {
            let listener = target.map(|target| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&target, "keydown", options, move |event| {
                    let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    // Inside a shadow root the event's target is the host: look at the real one.
                    let origin = e.composed_path().get(0);
                    let in_field = typing_into(origin.clone().dyn_into().ok().or(e.target()));
                    let action = match e.key().as_str() {
                        "Escape" => Some(Action::Escape),
                        _ if in_field => None,
                        "/" => {
                            if let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() {
                                e.prevent_default();
                                let _ = input.focus();
                                input.select();
                            }
                            None
                        }
                        "j" => Some(Action::MoveCursor(1)),
                        "k" => Some(Action::MoveCursor(-1)),
                        "n" => Some(Action::StepHit(true)),
                        "p" => Some(Action::StepHit(false)),
                        "Enter" => {
                            let on_button = origin.dyn_ref::<web_sys::Element>().cloned().is_some_and(|el| {
                                matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY")
                            });
                            (!on_button).then_some(Action::OpenCursor)
                        }
                        _ => None,
                    };
                    if let Some(action) = action {
                        dispatcher.dispatch(action);
                    }
                })
            });
            move || drop(listener)
        });
    }

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
        let state = state.clone();
        Callback::from(move |(what, format): (&'static str, &'static str)| export(&state, what, format))
    };
    let warnings = state.outcome.results.as_ref().map(|r| r.warnings.clone()).unwrap_or_default();
    let count = state.outcome.results.as_ref().map(|_| state.outcome.docs.len());
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
    let panel = state.panel.as_ref().and_then(|r| state.entity_id(r));
    // Receiving a pack (without a known size the bar is indeterminate), then decoding it.
    let loading_bar = state.loading.as_ref().map(|loading| match loading.opened {
        Some(opened) => (state.ui.opening(&loading.url), Some(1000), Some(u64::from(opened))),
        None => (
            state.ui.loading(&loading.url),
            loading.total.map(|t| t.max(1)),
            loading.total.map(|_| loading.received),
        ),
    });
    html! {
        <>
            <Header ui={state.ui} {on_switch_ui} />
            if *update_ready {
                <div class="update" role="status">
                    <span>{ s.update_available }</span>
                    <button type="button" class="reload" onclick={Callback::from(|_| apply_update())}>{ s.reload }</button>
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
                    <div class="columns">
                        <div class="results-pane">
                            <ResultList engine={state.engine.clone()} outcome={state.outcome.clone()} shown={state.shown}
                                cursor={state.cursor} open={state.open} sort={state.sort} ui={state.ui}
                                {on_open} {on_sort} {on_more} on_include={on_include.clone()} {on_export} />
                        </div>
                        <aside class="facets-pane" aria-labelledby="facets-heading">
                            <Facets engine={state.engine.clone()} outcome={state.outcome.clone()} include={state.include.clone()}
                                exclude={state.exclude.clone()} ui={state.ui} on_include={on_include.clone()}
                                on_exclude={on_exclude.clone()} on_show={on_show.clone()} />
                        </aside>
                    </div>
                </div>
                // Always mounted (see `Reader`): opening an article updates the list and the reader together.
                <Reader engine={state.engine.clone()} doc={state.open} hits={state.hits.clone()} hit={state.hit}
                    focus={state.focus} ui={state.ui} {on_close} {on_step} on_entity={on_include.clone()} />
            </@>
            <EntityPanel engine={state.engine.clone()} entity={panel} ui={state.ui} on_close={on_hide}
                on_open={on_open_at} {on_show} on_include={on_include} />
        </>
    }
}
