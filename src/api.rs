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

use js_sys::{Array, Object, Reflect};
use sorot_engine::{utf16_spans, Engine, Field, Filter, SearchOptions};
use wasm_bindgen::prelude::*;

use crate::loader::fetch_pack;

/// A loaded corpus.
#[wasm_bindgen]
pub struct Sorot {
    engine: Engine,
}

/// A plain JS object with these fields, built directly rather than through a JSON string (the wasm
/// stays smaller without a JSON serializer). Fields are listed in alphabetical order, the order the
/// results had when they were JSON.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// A string, or `null`.
pub(crate) fn string_or_null(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

fn number(n: f64) -> JsValue {
    JsValue::from_f64(n)
}

/// A score; `null` when it is not finite (as JSON had it).
fn score(s: f32) -> JsValue {
    if s.is_finite() {
        number(f64::from(s))
    } else {
        JsValue::NULL
    }
}

fn pairs(text: &str, spans: &[sorot_engine::Span]) -> JsValue {
    utf16_spans(text, spans)
        .into_iter()
        .map(|(s, e)| JsValue::from(Array::of2(&number(s as f64), &number(e as f64))))
        .collect::<Array>()
        .into()
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

    /// A corpus fetched from a pack URL (relative to the page); rejects with the reason. Decoding
    /// gives the page a turn every few tens of milliseconds, so a large pack does not freeze it.
    #[wasm_bindgen(js_name = fromUrl)]
    pub async fn from_url(url: String) -> Result<Sorot, JsError> {
        fetch_pack(&url, &|_, _| {}, &|_| {})
            .await
            .map(|engine| Sorot { engine })
            .map_err(|e| JsError::new(&format!("{url}: {e}")))
    }

    /// Number of articles.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.engine.article_count()
    }

    /// Searches. `options`: `{ limit = 10, filters = [], prefix = false, snippets = true, facets = 20 }`
    /// (`facets`: how many entity facets to return, most frequent first), where
    /// `filters` are entity filters in the query syntax such as `'person:"Vladimir Putin"'` or
    /// `'-org:CSTO'` (anything else in them is an error). Returns `{ query, total, anyWordFallback,
    /// warnings: [{ message, start, end }] (UTF-16 offsets into `query`), hits: [{ id, title, score,
    /// terms, titleFactor, snippet: { text, highlights } }], facets: [{ entity, type, articles, mentions }] }`.
    pub fn search(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let get = |key: &str| {
            js_sys::Reflect::get(&options, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
        };
        let limit = get("limit").and_then(|v| v.as_f64()).map_or(10, |n| n.max(0.0) as usize);
        let prefix = get("prefix").and_then(|v| v.as_bool()).unwrap_or(false);
        let snippets = get("snippets").and_then(|v| v.as_bool()).unwrap_or(true);
        let facet_limit = get("facets").and_then(|v| v.as_f64()).map_or(20, |n| n.max(0.0) as usize);
        let mut filters = Vec::new();
        if let Some(list) = get("filters") {
            for text in js_sys::Array::from(&list).iter().filter_map(|f| f.as_string()) {
                let (found, others) = Filter::parse(&text);
                if let Some(span) = others.first() {
                    let part = span.get(&text).unwrap_or_default();
                    return Err(JsError::new(&format!(
                        "filter “{text}”: `{part}` is not an entity filter (person:, org: or place:)"
                    )));
                }
                filters.extend(found);
            }
        }
        let e = &self.engine;
        let options = SearchOptions {
            limit,
            prefix_last: prefix,
            rank_all: false,
            filters,
            ..SearchOptions::default()
        };
        let results = e.search(query, &options);
        let hits: Array = results
            .hits
            .iter()
            .filter_map(|hit| {
                let a = e.article_at(hit.doc)?;
                // Sorted by term, a repeated term keeping its last score (as the JSON map did).
                let terms_object = Object::new();
                for (term, term_score) in hit.term_scores() {
                    let _ = Reflect::set(&terms_object, &JsValue::from_str(term), &score(term_score));
                }
                let mut fields = vec![("id", JsValue::from_str(&a.id)), ("score", score(hit.score))];
                if snippets {
                    let sn = e.snippet(&results, hit.doc);
                    let snippet = object(&[
                        ("highlights", pairs(&sn.text, &sn.highlights)),
                        ("text", JsValue::from_str(&sn.text)),
                    ]);
                    fields.push(("snippet", snippet));
                }
                fields.push(("terms", terms_object.into()));
                fields.push(("titleFactor", score(hit.title_factor)));
                fields.push(("title", JsValue::from_str(&a.title)));
                Some(object(&fields))
            })
            .collect();
        // `facets: 0` asks for none: then they are not counted at all.
        let counted = if facet_limit == 0 { Vec::new() } else { e.facets(Some(&results.docs)) };
        let facets: Array = counted
            .iter()
            .take(facet_limit)
            .filter_map(|f| {
                let entity = e.entity(f.entity)?;
                Some(object(&[
                    ("articles", number(f.articles as f64)),
                    ("entity", JsValue::from_str(&entity.name)),
                    ("mentions", number(f.mentions as f64)),
                    ("type", JsValue::from_str(entity.kind.code())),
                ]))
            })
            .collect();
        let warnings: Array = results
            .warnings
            .iter()
            .map(|w| {
                let (start, end) = utf16_spans(query, &[w.span]).first().copied().unwrap_or((0, 0));
                object(&[
                    ("end", number(end as f64)),
                    ("message", JsValue::from_str(&w.message)),
                    ("start", number(start as f64)),
                ])
            })
            .collect();
        Ok(object(&[
            ("anyWordFallback", JsValue::from_bool(results.any_word_fallback)),
            ("facets", facets.into()),
            ("hits", hits.into()),
            ("query", JsValue::from_str(query)),
            ("total", number(results.total as f64)),
            ("warnings", warnings.into()),
        ]))
    }

    /// One article by id: `{ id, title, body, date, source, url, lang, highlights, entities: [{ start,
    /// end, type, entity }] }`; `highlights` mark what `query` (if given) matches in the body. `null`
    /// when there is no such article.
    pub fn article(&self, id: &str, query: Option<String>) -> Result<JsValue, JsError> {
        let e = &self.engine;
        let Some(doc) = e.article_number(id) else { return Ok(JsValue::NULL) };
        let Some(a) = e.article_at(doc) else { return Ok(JsValue::NULL) };
        let highlights = match query.filter(|q| !q.trim().is_empty()) {
            Some(q) => {
                let results =
                    e.search(&q, &SearchOptions { limit: 0, rank_all: false, ..SearchOptions::default() });
                e.highlights(&results, doc, Field::Body)
            }
            None => Vec::new(),
        };
        let mentions = e.article_mentions(doc);
        let spans: Vec<sorot_engine::Span> = mentions.iter().map(|m| m.span).collect();
        let entities: Array = utf16_spans(&a.body, &spans)
            .into_iter()
            .zip(mentions)
            .filter_map(|((start, end), m)| {
                let entity = e.entity(m.entity)?;
                Some(object(&[
                    ("end", number(end as f64)),
                    ("entity", JsValue::from_str(&entity.name)),
                    ("start", number(start as f64)),
                    ("type", JsValue::from_str(entity.kind.code())),
                ]))
            })
            .collect();
        Ok(object(&[
            ("body", JsValue::from_str(&a.body)),
            ("date", string_or_null(a.date.as_deref())),
            ("entities", entities.into()),
            ("highlights", pairs(&a.body, &highlights)),
            ("id", JsValue::from_str(&a.id)),
            ("lang", JsValue::from_str(&a.lang)),
            ("source", string_or_null(a.source.as_deref())),
            ("title", JsValue::from_str(&a.title)),
            ("url", string_or_null(a.url.as_deref())),
        ]))
    }
}
