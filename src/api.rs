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
//! A split pack (`sorot pack --split`) opens by its entry's URL; `searchAsync` and `articleAsync`
//! fetch the pieces they need first (the sync `search` and `article` throw while one is missing).
//!
//! Offsets are UTF-16 code units (JavaScript string indices); the conversion happens here only.

use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use sorot_engine::{utf16_spans, Engine, Field, Filter, SearchOptions};
use wasm_bindgen::prelude::*;

use crate::loader::{early_pieces_of, fetch_pack, fetch_pieces};

/// A loaded corpus.
#[wasm_bindgen]
pub struct Sorot {
    /// Shared with the futures of `searchAsync` and `articleAsync`, which fill in pieces.
    engine: Rc<Engine>,
    /// Where a split pack's entry came from (its pieces are beside it).
    url: Option<String>,
}

/// What the sync methods say when a split pack's piece they need is not there yet.
const NOT_LOADED: &str =
    "this split pack has not loaded the pieces this needs yet: use searchAsync or articleAsync";

/// What a method of [`Sorot`] computes from the engine.
type Answer = dyn Fn(&Engine) -> Result<JsValue, JsError>;

/// A promise of `run`'s answer once nothing it read was missing: the pieces it noted are fetched
/// from beside `url` and it runs again (each round fills in at least one piece, so it ends).
fn settle(engine: Rc<Engine>, url: Option<String>, run: Box<Answer>) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        for _ in 0..=engine.piece_count() {
            let value = run(&engine)?;
            let missing = engine.missing();
            if missing.is_empty() {
                return Ok(value);
            }
            let url = url.as_deref().ok_or_else(|| {
                JsError::new("this split pack was opened from bytes: its pieces have no address")
            })?;
            let (early, now) = early_pieces_of(url, &engine, missing).await;
            for pieces in [early, now] {
                fetch_pieces(&engine, &pieces).await.map_err(|e| JsError::new(&format!("{url}: {e}")))?;
            }
        }
        Err(JsError::new("the split pack's pieces do not answer what its entry says they hold").into())
    })
}

/// `value`, unless `engine` noted a piece it did not have while making it.
fn complete(engine: &Engine, value: JsValue) -> Result<JsValue, JsError> {
    if engine.missing().is_empty() {
        Ok(value)
    } else {
        Err(JsError::new(NOT_LOADED))
    }
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
        Engine::from_pack(bytes)
            .map(|engine| Sorot { engine: Rc::new(engine), url: None })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// A corpus fetched from a pack URL (relative to the page), or a split pack from its entry's
    /// URL (only the entry is fetched); rejects with the reason. Decoding gives the page a turn every
    /// few tens of milliseconds, so a large pack does not freeze it.
    #[wasm_bindgen(js_name = fromUrl)]
    pub async fn from_url(url: String) -> Result<Sorot, JsError> {
        match fetch_pack(&url, &|_, _| {}, &|_| {}).await {
            Ok(engine) => Ok(Sorot { engine: Rc::new(engine), url: Some(url) }),
            Err(e) => Err(JsError::new(&format!("{url}: {e}"))),
        }
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
        let value = search(&self.engine, query, &options)?;
        complete(&self.engine, value)
    }

    /// `search`, fetching first the pieces of a split pack it needs; resolves to what `search`
    /// returns (for a whole pack, at once).
    #[wasm_bindgen(js_name = searchAsync)]
    pub fn search_async(&self, query: String, options: JsValue) -> Promise {
        settle(self.engine.clone(), self.url.clone(), Box::new(move |e| search(e, &query, &options)))
    }

    /// One article by id: `{ id, title, body, date, source, url, lang, highlights, entities: [{ start,
    /// end, type, entity }] }`; `highlights` mark what `query` (if given) matches in the body. `null`
    /// when there is no such article.
    pub fn article(&self, id: &str, query: Option<String>) -> Result<JsValue, JsError> {
        let value = article(&self.engine, id, query.as_deref())?;
        complete(&self.engine, value)
    }

    /// `article`, fetching first the pieces of a split pack it needs.
    #[wasm_bindgen(js_name = articleAsync)]
    pub fn article_async(&self, id: String, query: Option<String>) -> Promise {
        settle(self.engine.clone(), self.url.clone(), Box::new(move |e| article(e, &id, query.as_deref())))
    }
}

/// [`Sorot::search`] on `e`.
fn search(e: &Engine, query: &str, options: &JsValue) -> Result<JsValue, JsError> {
    let get =
        |key: &str| js_sys::Reflect::get(options, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined());
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
    let options =
        SearchOptions { limit, prefix_last: prefix, rank_all: false, filters, ..SearchOptions::default() };
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

/// [`Sorot::article`] on `e`.
fn article(e: &Engine, id: &str, query: Option<&str>) -> Result<JsValue, JsError> {
    let Some(doc) = e.article_number(id) else { return Ok(JsValue::NULL) };
    let Some(a) = e.article_at(doc) else { return Ok(JsValue::NULL) };
    let highlights = match query.filter(|q| !q.trim().is_empty()) {
        Some(q) => {
            let results =
                e.search(q, &SearchOptions { limit: 0, rank_all: false, ..SearchOptions::default() });
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
            // The article's batch names its entities (a split pack needs no chunk of the list).
            let name = e.entity_name_in(doc, m.entity)?;
            Some(object(&[
                ("end", number(end as f64)),
                ("entity", JsValue::from_str(name)),
                ("start", number(start as f64)),
                ("type", JsValue::from_str(e.entity_kind(m.entity)?.code())),
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
