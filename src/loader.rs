//! Fetching another corpus pack by URL (`?pack=articles.pack`, relative to the page), with progress,
//! and decoding it without holding the page for long.

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
    // Each chunk goes into wasm memory as it arrives: the copying is spread over the download instead
    // of being one long task at its end. Chunks already received resolve one after another without
    // the page getting a turn, so the loop makes one every few tens of milliseconds.
    let mut bytes: Vec<u8> = Vec::new();
    let too_big = |_| "there is not enough memory for the pack".to_string();
    if let Some(total) = total {
        // Growing memory is cheap; this saves copying the bytes each time the buffer doubles.
        bytes.try_reserve_exact(usize::try_from(total).unwrap_or(usize::MAX)).map_err(too_big)?;
    }
    let mut since = js_sys::Date::now();
    loop {
        if js_sys::Date::now() - since >= DECODE_SLICE_MS {
            next_turn().await;
            since = js_sys::Date::now();
        }
        let chunk = JsFuture::from(reader.read()).await.map_err(describe)?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            break;
        }
        let data: js_sys::Uint8Array = chunk.get_value().unchecked_into();
        let at = bytes.len();
        let len = data.length() as usize;
        bytes.try_reserve(len).map_err(too_big)?;
        bytes.resize(at + len, 0);
        data.copy_to(&mut bytes[at..]);
        progress(bytes.len() as u64, total);
    }
    Ok(bytes)
}

/// How long reading or decoding a pack runs before it gives the page a turn (input, painting): well
/// under the 50 ms a task may take before the browser counts it as long.
const DECODE_SLICE_MS: f64 = 25.0;

/// Decodes a pack a step at a time, giving the page a turn about every [`DECODE_SLICE_MS`] and
/// calling `progress` with the share done (0 to 1) each time.
pub async fn decode_pack(bytes: &[u8], progress: &dyn Fn(f64)) -> Result<sorot_engine::Engine, String> {
    let mut decoder = sorot_engine::PackDecoder::new(bytes).map_err(|e| e.to_string())?;
    let mut since = js_sys::Date::now();
    loop {
        if let Some(engine) = decoder.step().map_err(|e| e.to_string())? {
            return Ok(engine);
        }
        if js_sys::Date::now() - since >= DECODE_SLICE_MS {
            progress(decoder.progress());
            next_turn().await;
            since = js_sys::Date::now();
        }
    }
}

/// Resolves after the browser has had a turn (a zero-delay timer).
pub async fn next_turn() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().is_some_and(|w| w.set_timeout_with_callback(&resolve).is_ok());
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
