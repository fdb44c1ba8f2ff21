//! The JavaScript API of the explorer's wasm: a corpus you can load, search and read from JS.
//!
//! ```js
//! import init, { Sorot } from './sorot-app.js';
//! await init();
//! const sorot = await Sorot.fromUrl('articles.pack');        // or Sorot.bundled(), Sorot.fromBytes(u8)
//! const r = sorot.search('kerusuhan', { limit: 10, filters: ['person:"Vladimir Putin"'] });
//! r.hits[0].snippet.highlights;                              // [[start, end], …] in UTF-16 units
//! const a = sorot.article(r.hits[0].id, 'kerusuhan');        // text, highlights, entity mentions
//! ```
//!
//! Offsets are UTF-16 code units (JavaScript string indices); the conversion happens here only.

use serde_json::{json, Value};
use sorot_engine::{utf16_spans, Engine, Field, SearchOptions};
use wasm_bindgen::prelude::*;

use crate::loader::fetch_bytes;

/// A loaded corpus.
#[wasm_bindgen]
pub struct Sorot {
    engine: Engine,
}

fn to_js(value: &Value) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&value.to_string()).map_err(|_| JsError::new("internal error: result is not JSON"))
}

fn pairs(text: &str, spans: &[sorot_engine::Span]) -> Value {
    utf16_spans(text, spans).into_iter().map(|(s, e)| json!([s, e])).collect()
}

#[wasm_bindgen]
impl Sorot {
    /// The corpus bundled into this build.
    pub fn bundled() -> Result<Sorot, JsError> {
        Sorot::from_bytes(crate::BUNDLED_PACK)
    }

    /// A corpus from pack bytes; throws with the reason if they are not a valid pack.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Sorot, JsError> {
        Engine::from_pack(bytes).map(|engine| Sorot { engine }).map_err(|e| JsError::new(&e.to_string()))
    }

    /// A corpus fetched from a pack URL (relative to the page); rejects with the reason.
    #[wasm_bindgen(js_name = fromUrl)]
    pub async fn from_url(url: String) -> Result<Sorot, JsError> {
        let bytes = fetch_bytes(&url, |_, _| {}).await.map_err(|e| JsError::new(&format!("{url}: {e}")))?;
        Engine::from_pack(&bytes)
            .map(|engine| Sorot { engine })
            .map_err(|e| JsError::new(&format!("{url}: {e}")))
    }

    /// Number of articles.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.engine.articles().len()
    }

    /// Searches. `options`: `{ limit = 10, filters = [], prefix = false, snippets = true, facets = 20 }`
    /// (`facets`: how many entity facets to return, most frequent first), where
    /// `filters` are query clauses such as `'person:"Vladimir Putin"'` or `'-org:CSTO'`. Returns
    /// `{ query, total, anyWordFallback, warnings: [{ message, start, end }], hits: [{ id, title, score,
    /// terms, snippet: { text, highlights } }], facets: [{ entity, type, articles, mentions }] }`.
    pub fn search(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let get = |key: &str| {
            js_sys::Reflect::get(&options, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
        };
        let limit = get("limit").and_then(|v| v.as_f64()).map_or(10, |n| n.max(0.0) as usize);
        let prefix = get("prefix").and_then(|v| v.as_bool()).unwrap_or(false);
        let snippets = get("snippets").and_then(|v| v.as_bool()).unwrap_or(true);
        let facet_limit = get("facets").and_then(|v| v.as_f64()).map_or(20, |n| n.max(0.0) as usize);
        let mut full = String::new();
        if let Some(filters) = get("filters") {
            for f in js_sys::Array::from(&filters).iter().filter_map(|f| f.as_string()) {
                full.push_str(&f);
                full.push(' ');
            }
        }
        full.push_str(query);
        let e = &self.engine;
        let results =
            e.search(&full, &SearchOptions { limit, prefix_last: prefix, ..SearchOptions::default() });
        let hits: Vec<Value> = results
            .hits
            .iter()
            .filter_map(|hit| {
                let a = e.articles().get(hit.doc as usize)?;
                let terms: serde_json::Map<String, Value> =
                    hit.terms.iter().map(|(t, s)| (t.clone(), json!(s))).collect();
                let mut value = json!({ "id": a.id, "title": a.title, "score": hit.score, "terms": terms });
                if snippets {
                    let sn = e.snippet(&results, hit.doc);
                    value["snippet"] =
                        json!({ "text": sn.text, "highlights": pairs(&sn.text, &sn.highlights) });
                }
                Some(value)
            })
            .collect();
        let list = &e.entities().list;
        let facets: Vec<Value> = e
            .facets(Some(&results.docs))
            .iter()
            .take(facet_limit)
            .filter_map(|f| {
                let entity = list.get(f.entity as usize)?;
                Some(json!({ "entity": entity.name, "type": entity.kind.code(), "articles": f.articles, "mentions": f.mentions }))
            })
            .collect();
        let warnings: Vec<Value> = results
            .warnings
            .iter()
            .map(|w| {
                let (start, end) = utf16_spans(&full, &[w.span]).first().copied().unwrap_or((0, 0));
                json!({ "message": w.message, "start": start, "end": end })
            })
            .collect();
        to_js(&json!({
            "query": query,
            "total": results.total,
            "anyWordFallback": results.any_word_fallback,
            "warnings": warnings,
            "hits": hits,
            "facets": facets,
        }))
    }

    /// One article by id: `{ id, title, body, date, source, url, lang, highlights, entities: [{ start,
    /// end, type, entity }] }`; `highlights` mark what `query` (if given) matches in the body. `null`
    /// when there is no such article.
    pub fn article(&self, id: &str, query: Option<String>) -> Result<JsValue, JsError> {
        let e = &self.engine;
        let Some(doc) = e.articles().iter().position(|a| a.id == id) else { return Ok(JsValue::NULL) };
        let a = &e.articles()[doc];
        let highlights = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => {
                let results = e.search(&q, &SearchOptions { limit: 0, ..SearchOptions::default() });
                e.highlights(&results, doc as u32, Field::Body)
            }
            None => Vec::new(),
        };
        let mentions = e.entities().mentions.get(doc).cloned().unwrap_or_default();
        let spans: Vec<sorot_engine::Span> = mentions.iter().map(|m| m.span).collect();
        let list = &e.entities().list;
        let entities: Vec<Value> = utf16_spans(&a.body, &spans)
            .into_iter()
            .zip(&mentions)
            .filter_map(|((start, end), m)| {
                let entity = list.get(m.entity as usize)?;
                Some(json!({ "start": start, "end": end, "type": entity.kind.code(), "entity": entity.name }))
            })
            .collect();
        to_js(&json!({
            "id": a.id, "title": a.title, "body": a.body, "date": a.date, "source": a.source, "url": a.url,
            "lang": a.lang, "highlights": pairs(&a.body, &highlights), "entities": entities,
        }))
    }
}
