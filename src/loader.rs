//! Fetching another corpus pack by URL (`?pack=articles.pack`, relative to the page), with progress,
//! decoding it as it arrives without holding the page for long.

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

/// Whether the single-file page carries the teaching build too (`globalThis.__SOROT_TEACH__`, set by
/// its script, see `crates/cli/src/bundle.rs`).
pub fn teaching_inlined() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__SOROT_TEACH__"))
        .is_ok_and(|v| v.is_truthy())
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

/// The engine over the split pack whose entry is at `url`, if the page's inline script (`index.html`)
/// has read that entry whole by now (`globalThis.__sorotEntry`): the app opens it before its first
/// render, with no turn of the page in between. Taken once, with the early response (not read again).
pub fn early_entry(url: &str) -> Option<sorot_engine::Engine> {
    let global = js_sys::global();
    let early = js_sys::Reflect::get(&global, &JsValue::from_str("__sorotEntry")).ok()?;
    if js_sys::Reflect::get(&early, &JsValue::from_str("url")).ok()?.as_string()? != url {
        return None;
    }
    let bytes: js_sys::Uint8Array =
        js_sys::Reflect::get(&early, &JsValue::from_str("entry")).ok()?.dyn_into().ok()?;
    // A damaged entry: the usual way, which reports it.
    let engine = sorot_engine::Engine::from_entry(&bytes.to_vec()).ok()?;
    for name in ["__sorotEntry", "__sorotPack"] {
        let _ = js_sys::Reflect::set(&global, &JsValue::from_str(name), &JsValue::UNDEFINED);
    }
    Some(engine)
}

/// The responses to pieces that the page's inline script (`index.html`) asked for early: with
/// `?pack=` a split pack's entry, whose first bytes after its 24-byte header are the byte length of
/// its ranges' lengths pieces' hashes and then the hashes, has those pieces fetched at once when they
/// are at most 15 (what its first query asks for first), while the app loads. Only the entry's first
/// bytes are looked at, so a whole pack's download is not read twice. `__sorotPieces` is a promise of
/// a map from address to response, there from the start, so that the app waits for it rather than
/// ask for a piece twice; the fetch's failure is the app's to report. The pieces are asked for once
/// the wasm is in (not to slow it down): the app says so when it starts ([`wasm_in`]).
async fn early_pieces() -> Option<js_sys::Map> {
    let early = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__sorotPieces")).ok()?;
    let promise: js_sys::Promise = early.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// Tells the page's inline script (`index.html`) that the wasm is in, so that the pieces it asks for
/// early are asked for now. Called first thing when the app starts (the browser's own notice, the
/// wasm's resource timing entry, which the script used to watch, came as a task after the app's
/// start-up and first render, 50–80 ms later).
pub fn wasm_in() {
    if let Ok(wasm_in) = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__sorotWasmIn")) {
        if let Some(wasm_in) = wasm_in.dyn_ref::<js_sys::Function>() {
            let _ = wasm_in.call0(&JsValue::UNDEFINED);
        }
    }
}

/// How long reading or decoding a pack runs before it gives the page a turn (input, painting): well
/// under the 50 ms a task may take before the browser counts it as long.
const SLICE_MS: f64 = 25.0;

/// Gives the page a turn once [`SLICE_MS`] have passed since the last one.
struct Slices {
    since: f64,
}

impl Slices {
    fn new() -> Slices {
        Slices { since: js_sys::Date::now() }
    }

    fn over(&self) -> bool {
        js_sys::Date::now() - self.since >= SLICE_MS
    }

    async fn turn_if_over(&mut self) {
        if self.over() {
            next_turn().await;
            self.since = js_sys::Date::now();
        }
    }
}

/// Fetches the pack at `url` (relative to the page) and decodes it as it arrives: the whole pack is
/// never held in memory, most of the decoding is done when the last byte comes, and the page gets a
/// turn every `SLICE_MS`. `received(bytes, total)` reports the download; `opening(share)` the
/// decoding left after it.
pub async fn fetch_pack(
    url: &str,
    received: &dyn Fn(u64, Option<u64>),
    opening: &dyn Fn(f64),
) -> Result<sorot_engine::Engine, String> {
    use sorot_engine::{Engine, PackDecoder, Step};
    let window = web_sys::window().ok_or("no window")?;
    let request = early_response(url).unwrap_or_else(|| window.fetch_with_str(url));
    let response = JsFuture::from(request).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let mut decoder = PackDecoder::new();
    let error = |e: sorot_engine::PackError| e.to_string();
    let mut slices = Slices::new();
    if let Some(body) = response.body() {
        let reader: web_sys::ReadableStreamDefaultReader =
            body.get_reader().dyn_into().map_err(|_| "the response cannot be read".to_string())?;
        let mut chunk_bytes: Vec<u8> = Vec::new();
        let mut got = 0u64;
        let mut entry: Option<Vec<u8>> = None;
        loop {
            // Chunks already received resolve one after another without the page getting a turn.
            slices.turn_if_over().await;
            let chunk = JsFuture::from(reader.read()).await.map_err(describe)?;
            let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
            if chunk.get_done().unwrap_or(true) {
                break;
            }
            let data: js_sys::Uint8Array = chunk.get_value().unchecked_into();
            chunk_bytes.resize(data.length() as usize, 0);
            data.copy_to(&mut chunk_bytes);
            // A split pack's entry: small, read whole.
            if got == 0 && chunk_bytes.starts_with(&sorot_engine::SPLIT_MAGIC[..chunk_bytes.len().min(8)]) {
                entry = Some(Vec::new());
            }
            if let Some(entry) = entry.as_mut() {
                entry.extend_from_slice(&chunk_bytes);
                got += chunk_bytes.len() as u64;
                continue;
            }
            if let Err(e) = decoder.feed(&chunk_bytes) {
                // Not a pack (an HTML page, say), or another version: stop the download.
                let _ = reader.cancel();
                return Err(error(e));
            }
            got += chunk_bytes.len() as u64;
            received(got, total);
            while !slices.over() {
                match decoder.step().map_err(error)? {
                    Step::Working => {}
                    Step::NeedBytes | Step::Done(_) => break,
                }
            }
        }
        if let Some(entry) = entry {
            return Engine::from_entry(&entry).map_err(error);
        }
    }
    decoder.end().map_err(error)?;
    loop {
        match decoder.step().map_err(error)? {
            Step::Done(parts) => {
                // Making the engine counts each article's entities for the facets: a turn first.
                slices.turn_if_over().await;
                return Ok(Engine::from_parts(*parts));
            }
            Step::Working => {
                if slices.over() {
                    opening(decoder.progress());
                    slices.turn_if_over().await;
                }
            }
            Step::NeedBytes => return Err("the pack ended early".into()),
        }
    }
}

/// Pieces of a split pack to fetch, each with its address beside the entry, and its response if the
/// page asked for it early.
pub struct Pieces(Vec<(u32, String, Option<js_sys::Promise>)>);

impl Pieces {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pieces' numbers.
    pub fn requests(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().map(|r| r.0)
    }
}

/// Pieces `wanted` of the split pack whose entry is at `entry_url` (each file beside the entry): those
/// the page asked for early (taken, so each is asked for once), and the others.
pub async fn early_pieces_of(
    entry_url: &str,
    engine: &sorot_engine::Engine,
    wanted: Vec<u32>,
) -> (Pieces, Pieces) {
    let base = entry_url.rsplit_once('/').map_or("", |(dir, _)| dir);
    let early = early_pieces().await;
    let (mut taken, mut rest) = (Vec::new(), Vec::new());
    for p in wanted {
        let Some((_, name)) = engine.piece(p) else { continue };
        let url = if base.is_empty() { name } else { format!("{base}/{name}") };
        let key = JsValue::from_str(&url);
        let response = early.as_ref().and_then(|m| m.get(&key).dyn_into::<js_sys::Promise>().ok());
        match (&early, response) {
            (Some(map), Some(response)) => {
                map.delete(&key);
                taken.push((p, url, Some(response)));
            }
            _ => rest.push((p, url, None)),
        }
    }
    (Pieces(taken), Pieces(rest))
}

/// Fetches `pieces` (those asked for early are already on their way), all at once, and puts them into
/// `engine`. The first that cannot be fetched or is refused is named in the error; the others are in.
pub async fn fetch_pieces(engine: &sorot_engine::Engine, pieces: &Pieces) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let requests = js_sys::Array::new();
    for (_, url, early) in &pieces.0 {
        requests.push(&early.clone().unwrap_or_else(|| window.fetch_with_str(url)));
    }
    let responses = JsFuture::from(js_sys::Promise::all_settled(&requests)).await.map_err(describe)?;
    let responses: js_sys::Array = responses.unchecked_into();
    let mut failed = None;
    for ((piece, url, _), outcome) in pieces.0.iter().zip(responses.iter()) {
        let value = js_sys::Reflect::get(&outcome, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        let result =
            match value.dyn_into::<web_sys::Response>() {
                Ok(response) if response.ok() => match gunzipped(&response) {
                    Ok(promise) => match JsFuture::from(promise).await {
                        Ok(buffer) => {
                            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                            engine.add_piece(*piece, &bytes).map_err(|e| e.to_string())
                        }
                        Err(e) => Err(format!(
                            "split pack piece is damaged (it cannot be decompressed: {})",
                            describe(e)
                        )),
                    },
                    Err(e) => Err(describe(e)),
                },
                Ok(response) => Err(format!("HTTP {} {}", response.status(), response.status_text())),
                Err(_) => Err(js_sys::Reflect::get(&outcome, &JsValue::from_str("reason"))
                    .map_or_else(describe, describe)),
            };
        if let Err(reason) = result {
            failed.get_or_insert(format!("{url}: {reason}"));
        }
    }
    failed.map_or(Ok(()), Err)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's gzip decoder (Compression Streams; web-sys has it only as an unstable API).
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompression;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompression, JsValue>;
}

/// The bytes of a piece file as it was compressed (gzip): a promise of its container.
fn gunzipped(response: &web_sys::Response) -> Result<js_sys::Promise, JsValue> {
    let body = response.body().ok_or_else(|| JsValue::from_str("the response has no body"))?;
    let stream = body.pipe_through(Decompression::new("gzip")?.unchecked_ref());
    web_sys::Response::new_with_opt_readable_stream(Some(&stream))?.array_buffer()
}

/// Resolves after the browser has had a turn (a zero-delay timer).
pub async fn next_turn() {
    after_ms(0).await;
}

/// Resolves in a task at least `ms` milliseconds later.
pub async fn after_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window()
            .is_some_and(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).is_ok());
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
