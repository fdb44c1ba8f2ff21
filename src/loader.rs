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

/// Fetches `url` (relative to the page), calling `progress(received, total)` as bytes arrive.
pub async fn fetch_bytes(url: &str, progress: impl Fn(u64, Option<u64>)) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let Some(body) = response.body() else { return Ok(Vec::new()) };
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| "the response cannot be read".to_string())?;
    let mut bytes = Vec::with_capacity(total.unwrap_or(0).min(1 << 30) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(describe)?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let data = js_sys::Uint8Array::new(&chunk.get_value());
        let start = bytes.len();
        bytes.resize(start + data.length() as usize, 0);
        data.copy_to(&mut bytes[start..]);
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}
