//! The browser's own store of added articles (IndexedDB), for issue #16's "keep": each article with
//! the mentions its tagger found, in the engine's format ([`sorot_engine::stored_article`]), under its
//! id. A write is acknowledged only once its transaction is committed. What can go wrong is said in a
//! [`StoreError`]: no storage at all (a private window may have none), the quota, a damaged store.
//!
//! Not yet used by the explorer: the page that adds articles will be (see README, "Corrections").

use std::future::Future;

use sorot_engine::{article_from_store, stored_article, Article, Mention};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

/// The object store of articles (key: the article's id).
const ARTICLES: &str = "articles";
/// The store's version (its object stores).
const VERSION: u32 = 1;

/// What went wrong with the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser gives this page no storage (IndexedDB missing or refused, as in some private
    /// windows).
    Unavailable(String),
    /// The storage is full.
    Quota,
    /// Something else failed (the browser's words).
    Failed(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(why) => write!(f, "this browser keeps no data for this page ({why})"),
            StoreError::Quota => write!(f, "the browser's storage for this page is full"),
            StoreError::Failed(why) => write!(f, "the browser's storage failed: {why}"),
        }
    }
}

/// The error a failed request or transaction carries.
fn store_error(error: JsValue) -> StoreError {
    let name =
        js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    let message = js_sys::Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string());
    let why = message.filter(|m| !m.is_empty()).unwrap_or_else(|| name.clone());
    match name.as_str() {
        "QuotaExceededError" => StoreError::Quota,
        "SecurityError" | "InvalidAccessError" => StoreError::Unavailable(why),
        _ => StoreError::Failed(if why.is_empty() { "no reason given".into() } else { why }),
    }
}

/// A promise settled by the first of the `ok` or `fail` events that `set` hands their handlers to
/// (a request's `onsuccess` and `onerror`, a transaction's `oncomplete` and `onabort`), with
/// `value()` or `error()`. The handler of the event that does not come stays behind, a few bytes.
fn settled(
    set: impl FnOnce(&js_sys::Function, &js_sys::Function),
    value: impl FnOnce() -> JsValue + 'static,
    error: impl FnOnce() -> JsValue + 'static,
) -> JsFuture {
    // The executor runs once, at once: each part is taken once.
    let mut parts = Some((set, value, error));
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let Some((set, value, error)) = parts.take() else { return };
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &value());
        });
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &error());
        });
        set(ok.unchecked_ref(), fail.unchecked_ref());
    });
    JsFuture::from(promise)
}

/// The result of `request`, once it has one.
fn request(request: &IdbRequest) -> impl Future<Output = Result<JsValue, StoreError>> {
    let (r, e) = (request.clone(), request.clone());
    let done = settled(
        |ok, fail| {
            request.set_onsuccess(Some(ok));
            request.set_onerror(Some(fail));
        },
        move || r.result().unwrap_or(JsValue::UNDEFINED),
        move || e.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
    );
    async move { done.await.map_err(store_error) }
}

/// `transaction`, committed (or why not).
fn committed(transaction: &IdbTransaction) -> impl Future<Output = Result<(), StoreError>> {
    let e = transaction.clone();
    let done = settled(
        |ok, fail| {
            transaction.set_oncomplete(Some(ok));
            // A failed write aborts its transaction (its `error` event comes first, and each event
            // may settle the promise only once).
            transaction.set_onabort(Some(fail));
        },
        || JsValue::UNDEFINED,
        move || e.error().map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
    );
    async move { done.await.map(|_| ()).map_err(store_error) }
}

/// An article the store held that could not be read back: its key and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Its key (the article's id).
    pub id: String,
    /// What is wrong with it.
    pub why: String,
}

/// The store, open.
pub struct Store {
    db: IdbDatabase,
}

impl Store {
    /// Opens (or makes) the store called `name`.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
        let factory = window
            .indexed_db()
            .map_err(store_error)?
            .ok_or_else(|| StoreError::Unavailable("no IndexedDB".into()))?;
        let opening = factory.open_with_u32(name, VERSION).map_err(store_error)?;
        let upgrade = {
            let opening = opening.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                let Ok(db) = opening.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                    return;
                };
                if !db.object_store_names().contains(ARTICLES) {
                    let params = web_sys::IdbObjectStoreParameters::new();
                    let _ = db.create_object_store_with_optional_parameters(ARTICLES, &params);
                }
            })
        };
        opening.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = request(&opening).await;
        opening.set_onupgradeneeded(None);
        drop(upgrade);
        let db =
            result?.dyn_into::<IdbDatabase>().map_err(|_| StoreError::Failed("not a database".into()))?;
        Ok(Store { db })
    }

    fn transaction(
        &self,
        mode: IdbTransactionMode,
    ) -> Result<(IdbTransaction, web_sys::IdbObjectStore), StoreError> {
        let transaction = self.db.transaction_with_str_and_mode(ARTICLES, mode).map_err(store_error)?;
        let store = transaction.object_store(ARTICLES).map_err(store_error)?;
        Ok((transaction, store))
    }

    /// Keeps `articles` (each with its mentions), replacing any kept under the same id; done when
    /// the browser has committed them all (none is kept if one cannot be).
    pub async fn put(&self, articles: &[(Article, Vec<Mention>)]) -> Result<(), StoreError> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        for (article, mentions) in articles {
            let bytes = js_sys::Uint8Array::from(stored_article(article, mentions).as_slice());
            store.put_with_key(&bytes, &JsValue::from_str(&article.id)).map_err(store_error)?;
        }
        committed(&transaction).await
    }

    /// Every kept article, in the order of their ids, and those that could not be read back.
    pub async fn all(&self) -> Result<(Vec<(Article, Vec<Mention>)>, Vec<Unreadable>), StoreError> {
        let (_transaction, store) = self.transaction(IdbTransactionMode::Readonly)?;
        let keys = request(&store.get_all_keys().map_err(store_error)?).await?;
        let values = request(&store.get_all().map_err(store_error)?).await?;
        let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
        let (mut good, mut bad) = (Vec::new(), Vec::new());
        for (key, value) in keys.iter().zip(values.iter()) {
            let id = key.as_string().unwrap_or_default();
            let read = value
                .dyn_into::<js_sys::Uint8Array>()
                .map_err(|_| "the kept article is not bytes".to_string())
                .and_then(|bytes| article_from_store(&bytes.to_vec()));
            match read {
                Ok(article) => good.push(article),
                Err(why) => bad.push(Unreadable { id, why }),
            }
        }
        Ok((good, bad))
    }

    /// Removes the article kept under `id` (nothing if there is none).
    pub async fn remove(&self, id: &str) -> Result<(), StoreError> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        store.delete(&JsValue::from_str(id)).map_err(store_error)?;
        committed(&transaction).await
    }

    /// Removes every kept article.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        store.clear().map_err(store_error)?;
        committed(&transaction).await
    }

    /// Keeps `bytes` under `id` as they are (for tests of a damaged store).
    #[doc(hidden)]
    pub async fn put_raw(&self, id: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        store.put_with_key(&js_sys::Uint8Array::from(bytes), &JsValue::from_str(id)).map_err(store_error)?;
        committed(&transaction).await
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }
}
