//! Fetching another corpus pack by URL (`?pack=articles.pack`, relative to the page), with progress.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a pack could not be fetched.
pub fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the network request failed".into())
}

/// Pack bytes the page provides in `globalThis.__SOROT_PACK__` (a `Uint8Array`), if any. The single-file
/// page (`sorot bundle`) inlines its corpus this way, so it needs no request at all.
pub fn inline_pack() -> Option<Vec<u8>> {
    let value = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__SOROT_PACK__")).ok()?;
    value.dyn_ref::<js_sys::Uint8Array>().map(|bytes| bytes.to_vec())
}

/// The pack URL named in the page's query string (`?pack=…`), if any.
pub fn pack_param() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let query = search.strip_prefix('?')?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == "pack" && !value.is_empty())
            .then(|| js_sys::decode_uri_component(value).ok().map(String::from))
            .flatten()
    })
}

/// The response to `url` if the page already started fetching it (`globalThis.__sorotPack`, set by
/// an early script in `index.html` so the pack downloads while the wasm loads). Taken once.
fn early_response(url: &str) -> Option<js_sys::Promise> {
    let global = js_sys::global();
    let early = js_sys::Reflect::get(&global, &JsValue::from_str("__sorotPack")).ok()?;
    let early_url = js_sys::Reflect::get(&early, &JsValue::from_str("url")).ok()?.as_string()?;
    if early_url != url {
        return None;
    }
    let promise = js_sys::Reflect::get(&early, &JsValue::from_str("response")).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::set(&global, &JsValue::from_str("__sorotPack"), &JsValue::UNDEFINED);
    Some(promise)
}

/// Fetches `url` (relative to the page), calling `progress(received, total)` as bytes arrive.
pub async fn fetch_bytes(url: &str, progress: impl Fn(u64, Option<u64>)) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let request = early_response(url).unwrap_or_else(|| window.fetch_with_str(url));
    let response = JsFuture::from(request).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let Some(body) = response.body() else { return Ok(Vec::new()) };
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| "the response cannot be read".to_string())?;
    // The chunks stay in JS until the end, then go into wasm memory in one copy (no zero-filling).
    let mut chunks: Vec<js_sys::Uint8Array> = Vec::new();
    let mut received: u64 = 0;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(describe)?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let data: js_sys::Uint8Array = chunk.get_value().unchecked_into();
        received += u64::from(data.length());
        chunks.push(data);
        progress(received, total);
    }
    let whole =
        js_sys::Uint8Array::new_with_length(u32::try_from(received).map_err(|_| "the pack is over 4 GB")?);
    let mut at = 0;
    for data in chunks {
        whole.set(&data, at);
        at += data.length();
    }
    Ok(whole.to_vec())
}
