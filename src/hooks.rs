//! The explorer's effects, one named hook each, so that `App` only wires state to components: the
//! URL and history, the keyboard, the page language, packs by URL, the embedding element's attributes
//! and events, the update banner, and the warm-up searches.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::app::Embed;
use crate::loader::{fetch_pack, next_turn};
use crate::state::{Action, CorpusViews, ExplorerState, SharedEngine};
use crate::url::UrlState;

/// A typing burst shorter than this makes one history entry, not one per keystroke.
const TYPING_MS: f64 = 1500.0;

pub fn location_hash() -> String {
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

/// True when keys typed go into a form control (so single-letter shortcuts must not fire).
fn typing_into(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.has_attribute("contenteditable")
    })
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
pub fn apply_update() {
    let global = js_sys::global();
    if let Ok(f) = js_sys::Reflect::get(&global, &"__sorotApplyUpdate".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&global);
        }
    }
}

/// Whether `register-sw.js` set `name` on the page.
fn page_flag(name: &str) -> bool {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).is_ok_and(|v| v.is_truthy())
}

/// The page's (or the embedded root's) `lang` follows the interface language.
#[hook]
pub fn use_page_lang(code: &'static str, root: Option<web_sys::Element>) {
    use_effect_with(code, move |code| {
        let root =
            root.or_else(|| web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()));
        if let Some(root) = root {
            let _ = root.set_attribute("lang", code);
        }
    });
}

/// How many pieces are fetched at once when the whole split pack is wanted (a progress step each).
const SAVE_BATCH: usize = 16;

/// How long the pieces a query ending in a word of one or two letters needs wait for the next
/// keystroke: such a word is taken as the start of many (`p`: 14 dictionary and 41 postings
/// pieces, 300 KB of the dev file's split pack), and while the user types it is one.
const SHORT_PREFIX_WAIT_MS: u32 = 250;

/// Whether `query` ends in a word of at most two letters still being typed.
fn ends_in_short_prefix(query: &str) -> bool {
    let last = query.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    !query.ends_with(char::is_whitespace) && (1..=2).contains(&last.chars().count())
}

/// A split pack's pieces that the last render (and the search before it) needed and did not have are
/// fetched, beside the entry; once they are in, the explorer looks again. Each piece is asked for once:
/// one that fails is reported and not fetched again by itself (the rest keeps working), but asked for
/// again when the user asks for something that needs it (an export, making the pack available
/// offline: [`ExplorerState::retries`]). While the user makes the pack available offline, the pieces
/// not yet here follow, [`SAVE_BATCH`] at a time.
#[hook]
pub fn use_missing_pieces(state: &ExplorerState, dispatcher: UseReducerDispatcher<ExplorerState>) {
    // The pieces of this engine asked for (in flight, in, or failed), those that failed, and the
    // user's retries last seen.
    let asked = use_mut_ref(|| (SharedEngine::default(), Vec::<u32>::new(), Vec::<u32>::new(), 0u32));
    // The fetch a short prefix waits with, and its query (another query clears it); and the query
    // that waited already (its next rounds of pieces do not wait again).
    let waiting = use_mut_ref(|| (None::<(String, Timer)>, None::<String>));
    let query = state.query.clone();
    let engine = state.engine.clone();
    let url = state.corpus_url.clone();
    let (saving, fetching, retries) = (state.saving, state.fetching, state.retries);
    let wait = ends_in_short_prefix(&state.query) && !saving && state.pending_export.is_none();
    use_effect(move || {
        let missing = engine.missing();
        if waiting.borrow().0.as_ref().is_some_and(|(q, _)| *q != query) {
            waiting.borrow_mut().0 = None;
        }
        let wait = wait && waiting.borrow().1.as_ref() != Some(&query);
        let (Some(url), true) = (url, engine.is_split()) else { return };
        let mut seen = asked.borrow_mut();
        if seen.0 != engine {
            *seen = (engine.clone(), Vec::new(), Vec::new(), retries);
        }
        if seen.3 != retries {
            // Asked again: what failed may come now.
            let failed = std::mem::take(&mut seen.2);
            seen.1.retain(|p| !failed.contains(p));
            seen.3 = retries;
        }
        let mut wanted: Vec<u32> = missing.into_iter().filter(|p| !seen.1.contains(p)).collect();
        // Making it available offline: the rest too, a few at a time (each batch's arrival renders
        // again and asks for the next).
        if saving && wanted.is_empty() && fetching == 0 {
            // (An article batch once its range's lengths piece, which names it, is here: those come first.)
            let rest = (0..engine.piece_count() as u32)
                .filter(|&p| !engine.has_piece(p) && !seen.1.contains(&p) && engine.piece(p).is_some());
            wanted.extend(rest.take(SAVE_BATCH));
        }
        if wanted.is_empty() {
            return;
        }
        drop(seen);
        let fetch = move || fetch_wanted(&asked, wanted, url, engine, &dispatcher);
        // A newer query's pieces replace those a short prefix waited with (the timer is cleared).
        if wait {
            let (waited, done) = (waiting.clone(), query.clone());
            let timer = Timer::new(SHORT_PREFIX_WAIT_MS, move || {
                waited.borrow_mut().1 = Some(done);
                fetch();
            });
            waiting.borrow_mut().0 = Some((query, timer));
        } else {
            // (A timer is dropped only when the query changed: never from within its own callback,
            // whose fetch may render at once.)
            fetch();
        }
    });
}

/// The asked-for bookkeeping of [`use_missing_pieces`]: the engine, its pieces asked for, those that
/// failed, and the user's retries last seen.
type Asked = Rc<RefCell<(SharedEngine, Vec<u32>, Vec<u32>, u32)>>;

/// Fetches the pieces of `wanted` not asked for yet, and hands them to the engine; one that fails is
/// noted as failed.
fn fetch_wanted(
    asked: &Asked,
    mut wanted: Vec<u32>,
    url: String,
    engine: SharedEngine,
    dispatcher: &UseReducerDispatcher<ExplorerState>,
) {
    let mut seen = asked.borrow_mut();
    wanted.retain(|p| !seen.1.contains(p));
    if wanted.is_empty() {
        return;
    }
    seen.1.extend_from_slice(&wanted);
    drop(seen);
    dispatcher.dispatch(Action::PiecesRequested(wanted.len() as u32));
    let (asked, dispatcher) = (asked.clone(), dispatcher.clone());
    wasm_bindgen_futures::spawn_local(async move {
        // Those the page asked for early (a split pack's lengths, while the app loaded) may still be
        // on their way: the others are not held up by them.
        let (early, now) = crate::loader::early_pieces_of(&url, &engine, wanted).await;
        for group in [early, now].into_iter().filter(|g| !g.is_empty()) {
            let (asked, dispatcher, engine) = (asked.clone(), dispatcher.clone(), engine.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::loader::fetch_pieces(&engine, &group).await;
                if result.is_err() {
                    let mut seen = asked.borrow_mut();
                    if seen.0 == engine {
                        seen.2.extend(group.requests().filter(|&p| !engine.has_piece(p)));
                    }
                }
                dispatcher.dispatch(Action::PiecesArrived(group.len() as u32, result));
            });
        }
    });
}

/// Another corpus by URL (`?pack=` on the page, the `pack` attribute of the element); the current one
/// stays usable until it arrives. Not fetched again when it is the one `shown` (a split pack's entry
/// that the page's script had read whole before the app's first render: [`crate::loader::early_entry`]).
#[hook]
pub fn use_pack_by_url(
    url: Option<String>,
    shown: Option<String>,
    dispatcher: UseReducerDispatcher<ExplorerState>,
) {
    use_effect_with(url, move |url| {
        if let Some(url) = url.clone().filter(|url| shown.as_ref() != Some(url)) {
            load_pack(url, dispatcher);
        }
    });
}

/// The embedding element's attributes changed at run time (the page has no element: nothing to do).
#[hook]
pub fn use_embed_attributes(embed: Option<&Embed>, dispatcher: UseReducerDispatcher<ExplorerState>) {
    let d = dispatcher.clone();
    use_effect_with(embed.map(|e| e.query.clone()), move |query| {
        if let Some(query) = query {
            d.dispatch(Action::SetQuery(query.clone()));
        }
    });
    let d = dispatcher.clone();
    use_effect_with(embed.map(|e| (e.filters.clone(), e.locked)), move |filters| {
        // Also when the attribute was removed: its filters go.
        if let Some((filters, locked)) = filters {
            d.dispatch(Action::SetPageFilters(filters.clone(), *locked));
        }
    });
    use_effect_with(embed.and_then(|e| e.lang), move |lang| {
        if let Some(lang) = lang {
            dispatcher.dispatch(Action::SetUi(*lang));
        }
    });
}

/// The host page hears about searches (`sorot-search`) and opened articles (`sorot-open`).
#[hook]
pub fn use_host_events(embed: Option<&Embed>, state: &ExplorerState) {
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
        .and_then(|d| state.engine.article_at(d))
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

/// Whether a new version of the app or its corpus is waiting (the service worker says so): the
/// explorer then offers a reload. Never on an embedded explorer.
#[hook]
pub fn use_update_banner(embedded: bool) -> bool {
    use_page_flag("__sorotUpdateReady", "sorot-update", embedded)
}

/// Whether Sorot's service worker controls the page, so that what it fetches is kept: the explorer
/// then offers to keep a whole split pack. Never on an embedded explorer (the host page's worker is
/// the host's).
#[hook]
pub fn use_keeps_offline(embedded: bool) -> bool {
    use_page_flag("__sorotKeeps", "sorot-keeps", embedded)
}

/// A flag that `register-sw.js` sets on the page (`flag`), and the event it sends when it does.
#[hook]
fn use_page_flag(flag: &'static str, event: &'static str, embedded: bool) -> bool {
    let set = use_state(|| page_flag(flag));
    {
        let set = set.clone();
        use_effect_with(embedded, move |embedded| {
            let listener = (!embedded).then(web_sys::window).flatten().map(|window| {
                let on = set.clone();
                let listener = EventListener::new(&window, event, move |_| on.set(true));
                // Yew may yield to the browser between the first render and this effect, and the
                // service worker's message can land in that gap: look at the flag again.
                if page_flag(flag) {
                    set.set(true);
                }
                listener
            });
            move || drop(listener)
        });
    }
    *set
}

/// The view goes into the URL; back/forward bring it back. Not for an embedded explorer, which
/// leaves the host page's URL alone.
#[hook]
pub fn use_url_history(state: &UseReducerHandle<ExplorerState>, embedded: bool) {
    let last_url = use_mut_ref(|| UrlWriter::new(state.url_state()));
    {
        let last_url = last_url.clone();
        use_effect_with(state.url_state(), move |url| {
            if !embedded {
                write_url(url, &last_url);
            }
        });
    }
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = (!embedded).then(web_sys::window).flatten().map(|window| {
            EventListener::new(&window, "popstate", move |_| {
                let url = UrlState::from_hash(&location_hash());
                last_url.borrow_mut().restored(url.clone());
                dispatcher.dispatch(Action::Restore(url));
            })
        });
        move || drop(listener)
    });
}

/// Once, after the first render: the bundled corpus's warm-up searches (a pack's own follow its load).
#[hook]
pub fn use_warm_up(engine: SharedEngine) {
    use_effect_with((), move |_| {
        let warm_up = Timer::new(WARM_UP_MS, move || engine.warm_up());
        move || drop(warm_up)
    });
}

/// Keyboard: `/` search, Esc clear, j/k results, Enter open, n/p hits. Embedded, only keys typed
/// inside the element are shortcuts.
#[hook]
pub fn use_keyboard(
    embed: Option<&Embed>,
    input_ref: NodeRef,
    dispatcher: UseReducerDispatcher<ExplorerState>,
) {
    let target: Option<web_sys::EventTarget> = match embed {
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
                        let on_button = origin
                            .dyn_ref::<web_sys::Element>()
                            .cloned()
                            .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"));
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
