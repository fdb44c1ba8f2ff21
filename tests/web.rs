//! Component behaviour in a real browser (headless Chromium via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use std::rc::Rc;

use sorot_app::components::{Reader, ReaderProps};
use sorot_app::i18n::UiLang;
use sorot_app::{App, AppProps, BUNDLED_PACK};
use sorot_engine::{paragraphs, Article, Engine, Span};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element on the page to mount a component into.
fn mount_point() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Waits (yielding to the browser between checks) until `cond` holds; fails after about five seconds.
async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..1000 {
        if cond() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("timed out waiting for {what}");
}

fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
fn bundled_pack_decodes_in_wasm() {
    let engine = Engine::from_pack(BUNDLED_PACK).expect("the bundled pack decodes");
    let seed = engine.article("000_ce9894c18006a3a8").expect("the seed article is bundled");
    assert!(seed.body.contains("Kassym Jomart-Tokayev"));
    assert_eq!(seed.lang, "id");
    assert_eq!(seed.source.as_deref(), Some("AFP"));
    assert!(paragraphs(&seed.body).len() >= 10);
}

/// Clears the URL hash: every test runs in the same page, and an earlier test's view (an open article,
/// say) would otherwise be restored by the next explorer mounted.
fn fresh_url() {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap() + &window.location().search().unwrap();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)).unwrap();
}

#[wasm_bindgen_test]
async fn app_lists_and_opens_the_seed() {
    fresh_url();
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for("the result list", || root.query_selector(".result-open").ok().flatten().is_some()).await;
    let button: web_sys::HtmlElement =
        root.query_selector(".result-open").unwrap().unwrap().dyn_into().unwrap();
    assert!(text(&button).starts_with("Unit militer pimpinan Moskow"));
    button.click();
    wait_for("the open article", || root.query_selector("article").ok().flatten().is_some()).await;
    let article = root.query_selector("article").unwrap().unwrap();
    assert!(text(&article).contains("Kassym Jomart-Tokayev"));
    let item = root.query_selector(".result").unwrap().unwrap();
    assert_eq!(item.get_attribute("aria-current").as_deref(), Some("true"));
    let body = root.query_selector("article .body").unwrap().unwrap();
    assert_eq!(body.get_attribute("lang").as_deref(), Some("id"));
}

/// Opening an article and marking its result as current happen in the same turn of the browser, and
/// so does closing it. Yew gives the browser a turn between scheduler steps once a run has taken 16 ms;
/// the article here is long enough that rendering it always takes longer, so a component that renders a
/// step later than the reader (the result list did, while the reader was created on opening) is caught.
#[wasm_bindgen_test]
async fn the_open_article_and_its_current_result_change_in_the_same_turn() {
    let seed = Engine::from_pack(BUNDLED_PACK).unwrap().article("000_ce9894c18006a3a8").unwrap().clone();
    let long = Article { id: "long".into(), body: vec![seed.body.as_str(); 40].join("\n"), ..seed };
    let pack = Engine::from_articles(vec![long]).to_pack();
    fresh_url();
    let root = mount_point();
    let props = AppProps { pack: Some(Rc::new(pack)), embed: None };
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    wait_for("the result list", || root.query_selector(".result-open").ok().flatten().is_some()).await;
    let shown = || {
        let article = root.query_selector("article").unwrap().is_some();
        let current = root.query_selector(".result[aria-current=\"true\"]").unwrap().is_some();
        (article, current)
    };
    // Looks after every turn the browser gets (a zero timeout runs at the next one).
    let mut turns = 0;
    let mut watch = |open: bool| {
        let (article, current) = shown();
        assert_eq!(
            article, current,
            "turn {turns}: article shown {article}, its result marked current {current}"
        );
        turns += 1;
        assert!(turns < 100_000, "the article never {}", if open { "opened" } else { "closed" });
        article == open
    };
    let button: web_sys::HtmlElement =
        root.query_selector(".result-open").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    while !watch(true) {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
    let back: web_sys::HtmlElement =
        root.query_selector("article .back").unwrap().unwrap().dyn_into().unwrap();
    back.click();
    while !watch(false) {
        yew::platform::time::sleep(Duration::ZERO).await;
    }
    app.destroy();
    fresh_url();
}

#[wasm_bindgen_test]
async fn article_text_is_never_html() {
    let hostile = "<script>alert(1)</script> dan <img src=x onerror=alert(2)> tetap teks.";
    let article = Article {
        id: "hostile".into(),
        title: "<b>Judul</b> <script>alert(3)</script>".into(),
        body: format!("Paragraf satu.\n{hostile}"),
        date: None,
        source: Some("<i>AFP</i>".into()),
        url: None,
        lang: "id".into(),
    };
    let root = mount_point();
    let body = article.body.clone();
    let engine = Engine::from_articles(vec![article]);
    // Highlight the hostile part too: marks are built around text nodes, never parsed.
    let start = body.find("<script>").unwrap();
    let hits = Rc::new(vec![Span::new(start, start + "<script>alert(1)</script>".len())]);
    let props = ReaderProps {
        article: sorot_app::view::Shared(Rc::new(sorot_app::view::reader_article(
            &engine,
            sorot_engine::DocId(0),
        ))),
        hits,
        hit: 0,
        focus: None,
        ui: UiLang::En,
        on_close: Callback::noop(),
        on_step: Callback::noop(),
        on_entity: Callback::noop(),
    };
    yew::Renderer::<Reader>::with_root_and_props(root.clone(), props).render();
    wait_for("the reader", || root.query_selector("article").ok().flatten().is_some()).await;
    assert!(
        root.query_selector("script, img, b, i").unwrap().is_none(),
        "markup from article text was parsed"
    );
    let shown = text(&root);
    assert!(shown.contains(hostile));
    assert!(shown.contains("<b>Judul</b> <script>alert(3)</script>"));
    assert!(shown.contains("<i>AFP</i>"));
    assert_eq!(root.query_selector_all(".body p").unwrap().length(), 2);
    let mark = root.query_selector("mark").unwrap().expect("the hit is marked");
    assert_eq!(text(&mark), "<script>alert(1)</script>");
}

/// Reads `value[key]` of a JS object.
fn get(value: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn js_api_offsets_are_javascript_string_indices() {
    let sorot = sorot_app::Sorot::bundled().unwrap();
    assert_eq!(sorot.size(), 1);
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"limit".into(), &5.into()).unwrap();
    let result = sorot.search("rusuh", options.clone().into()).unwrap();
    assert_eq!(get(&result, "total").as_f64(), Some(1.0));
    // Facets come by default (the seed names people, places and organisations); `facets: 0` skips them.
    assert!(js_sys::Array::from(&get(&result, "facets")).length() > 0);
    js_sys::Reflect::set(&options, &"facets".into(), &0.into()).unwrap();
    let without = sorot.search("rusuh", options.into()).unwrap();
    assert_eq!(js_sys::Array::from(&get(&without, "facets")).length(), 0);
    assert_eq!(get(&without, "total").as_f64(), Some(1.0));
    let hit = js_sys::Array::from(&get(&result, "hits")).get(0);
    let snippet = get(&hit, "snippet");
    let text: js_sys::JsString = get(&snippet, "text").into();
    let highlights = js_sys::Array::from(&get(&snippet, "highlights"));
    assert!(highlights.length() > 0);
    for h in highlights.iter() {
        let pair = js_sys::Array::from(&h);
        let (start, end) = (pair.get(0).as_f64().unwrap() as u32, pair.get(1).as_f64().unwrap() as u32);
        // The snippet starts with "…" and holds “ ” quotes: byte offsets would be off here.
        assert_eq!(String::from(text.slice(start, end)), "kerusuhan");
    }
    let id = get(&hit, "id").as_string().unwrap();
    let article = sorot.article(&id, Some("\"revolusi warna\"".into())).unwrap();
    let body: js_sys::JsString = get(&article, "body").into();
    let marks = js_sys::Array::from(&get(&article, "highlights"));
    assert_eq!(marks.length(), 3);
    for h in marks.iter() {
        let pair = js_sys::Array::from(&h);
        let (start, end) = (pair.get(0).as_f64().unwrap() as u32, pair.get(1).as_f64().unwrap() as u32);
        assert_eq!(String::from(body.slice(start, end)), "revolusi warna");
    }
    assert!(sorot.article("no-such-id", None).unwrap().is_null());
    let err = sorot_app::Sorot::from_bytes(b"not a pack").err().expect("garbage is refused");
    let message = get(&wasm_bindgen::JsValue::from(err), "message").as_string().unwrap();
    assert!(message.contains("not a Sorot pack"), "{message}");
}

/// The store of added articles keeps them across connections (a reload opens it anew), replaces an
/// article kept under the same id, names one it cannot read back and keeps reading the others.
#[wasm_bindgen_test]
async fn the_store_keeps_added_articles_and_names_a_damaged_one() {
    use sorot_app::store::Store;
    let name = format!("sorot-test-{}", js_sys::Math::random());
    let engine = Engine::from_pack(BUNDLED_PACK).unwrap();
    let seed = engine.articles()[0].clone();
    let mentions = engine.tagged_mentions(sorot_engine::DocId(0));
    assert!(!mentions.is_empty());
    let other = Article { id: "zz-added".into(), body: "Banjir melanda Jakarta.".into(), ..seed.clone() };

    let store = Store::open(&name).await.unwrap();
    assert_eq!(store.all().await.unwrap(), (Vec::new(), Vec::new()));
    store.put(&[(seed.clone(), mentions.clone()), (other.clone(), Vec::new())]).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();
    let (kept, unreadable) = store.all().await.unwrap();
    assert_eq!(kept, vec![(seed.clone(), mentions.clone()), (other.clone(), Vec::new())]);
    assert!(unreadable.is_empty());
    let changed = Article { body: "Banjir surut di Jakarta.".into(), ..other.clone() };
    store.put(&[(changed.clone(), Vec::new())]).await.unwrap();
    store.put_raw("rusak", &[1, 255, 3]).await.unwrap();
    let (kept, unreadable) = store.all().await.unwrap();
    assert_eq!(kept, vec![(seed.clone(), mentions), (changed, Vec::new())]);
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].id, "rusak");
    assert!(unreadable[0].why.contains("damaged"), "{}", unreadable[0].why);

    store.remove("rusak").await.unwrap();
    store.remove(&other.id).await.unwrap();
    assert_eq!(store.all().await.unwrap().0.len(), 1);
    store.clear().await.unwrap();
    assert_eq!(store.all().await.unwrap(), (Vec::new(), Vec::new()));
    store.close();
}
