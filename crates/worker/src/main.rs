//! Sorot's web worker (issue #16, "add"): a corpus and some files in, the corpus with the files'
//! articles added out, off the page's thread. It reads the files as `sorot pack` reads them
//! ([`sorot_engine::read_files`]), tags the articles with the recogniser's model (fetched once, on
//! first use), and packs the corpus again with them ([`sorot_engine::Engine::with_added`]): the pack
//! the page then opens is the one `sorot pack` makes of the same articles.
//!
//! Messages (structured clones):
//! - in: `{ pack: Uint8Array, files: [{ name, bytes: Uint8Array }], model: URL }`;
//! - out: `{ type: "ready" }` once it listens; `{ type: "progress", done, total }` while tagging;
//!   `{ type: "added", pack: Uint8Array, added: [id], refused: [id], problems: [text] }`; or
//!   `{ type: "failed", message }` when nothing could be added (the corpus given is kept as it was).

use std::cell::RefCell;
use std::rc::Rc;

use sorot_engine::{read_files, Corrections, Engine, NamedFile, NerModel, ReadOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The most text an added article may have: 2 MB, some 200 times the longest article of the dev
/// file; a longer one is left out with a message (tagging it would take seconds).
const MAX_BODY_BYTES: usize = 2_000_000;

/// How many articles are tagged between two progress messages.
const PROGRESS_EVERY: usize = 25;

thread_local! {
    /// The recogniser's model, once fetched.
    static MODEL: RefCell<Option<Rc<NerModel>>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `{ type, ...fields }` to the page.
fn post(kind: &str, fields: &[(&str, JsValue)]) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*key).into(), value);
    }
    let _ = scope().post_message(&message);
}

fn strings(items: impl IntoIterator<Item = String>) -> JsValue {
    items.into_iter().map(JsValue::from).collect::<js_sys::Array>().into()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, String> {
    value.dyn_ref::<js_sys::Uint8Array>().map(|b| b.to_vec()).ok_or_else(|| format!("{what} is not bytes"))
}

/// The model at `url`, fetched on first use.
async fn model(url: &str) -> Result<Rc<NerModel>, String> {
    if let Some(model) = MODEL.with(|m| m.borrow().clone()) {
        return Ok(model);
    }
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let response = JsFuture::from(scope().fetch_with_str(url)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(describe)?).await.map_err(describe)?;
    let model = NerModel::from_bytes(&js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|e| format!("{url}: {e}"))?;
    let model = Rc::new(model);
    MODEL.with(|m| *m.borrow_mut() = Some(model.clone()));
    Ok(model)
}

/// Adds the files of `request` to its corpus, posting progress, then the result.
async fn add(request: JsValue) -> Result<(), String> {
    let pack = bytes(&field(&request, "pack"), "the corpus")?;
    let engine = Engine::from_pack(&pack).map_err(|e| format!("the corpus: {e}"))?;
    let files: Vec<NamedFile> = js_sys::Array::from(&field(&request, "files"))
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = field(&f, "name").as_string().unwrap_or_else(|| format!("file {}", i + 1));
            let bytes = bytes(&field(&f, "bytes"), &name)?;
            Ok(NamedFile { name, bytes })
        })
        .collect::<Result<_, String>>()?;
    let taken = engine.articles().iter().map(|a| a.id.clone()).collect();
    let options = ReadOptions { max_body_bytes: Some(MAX_BODY_BYTES), ..ReadOptions::default() };
    let loaded = read_files(files, &options, &taken);
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    if loaded.articles.is_empty() {
        return Err(match problems.first() {
            Some(_) => format!("no article could be read: {}", problems.join("; ")),
            None => "no files to read".into(),
        });
    }
    let url = field(&request, "model").as_string().unwrap_or_else(|| "ner-model.bin".into());
    let model = model(&url).await?;
    let total = loaded.articles.len();
    let mut tagged = Vec::with_capacity(total);
    for (i, article) in loaded.articles.into_iter().enumerate() {
        let mentions = model.tag(&article.body, &article.lang);
        tagged.push((article, mentions));
        if (i + 1) % PROGRESS_EVERY == 0 || i + 1 == total {
            post("progress", &[("done", (i + 1).into()), ("total", total.into())]);
        }
    }
    let ids: Vec<String> = tagged.iter().map(|(a, _)| a.id.clone()).collect();
    let added = engine.with_added(tagged, &Corrections::new())?;
    let pack = js_sys::Uint8Array::from(added.engine.to_pack().as_slice());
    post(
        "added",
        &[
            ("pack", pack.into()),
            ("added", strings(ids.into_iter().filter(|id| !added.refused.contains(id)))),
            ("refused", strings(added.refused)),
            ("problems", strings(problems)),
        ],
    );
    Ok(())
}

fn main() {
    let listener = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(message) = add(event.data()).await {
                post("failed", &[("message", message.into())]);
            }
        });
    });
    scope().set_onmessage(Some(listener.as_ref().unchecked_ref()));
    // It listens for as long as the worker lives.
    listener.forget();
    post("ready", &[]);
}
