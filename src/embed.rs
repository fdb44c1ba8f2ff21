//! The explorer as a widget in another site's page. `www/sorot-embed.js` defines the
//! `<sorot-explorer>` element; for each element it creates a shadow root and mounts an
//! [`EmbeddedExplorer`] in it, passing the element's attributes as options.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::{App, AppProps, Embed};
use crate::i18n::UiLang;

/// One explorer mounted inside a `<sorot-explorer>` element.
#[wasm_bindgen]
pub struct EmbeddedExplorer {
    handle: Option<yew::AppHandle<App>>,
    host: web_sys::Element,
    root: web_sys::Element,
}

fn text(options: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(options, &JsValue::from_str(key)).ok()?.as_string()
}

fn flag(options: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(options, &JsValue::from_str(key)).is_ok_and(|v| v.is_truthy())
}

fn props(host: &web_sys::Element, root: &web_sys::Element, options: &JsValue) -> AppProps {
    let lang = text(options, "lang").filter(|l| !l.trim().is_empty()).map(|l| UiLang::from_tag(&l));
    let embed = Embed {
        host: host.clone(),
        root: root.clone(),
        pack: text(options, "pack").filter(|p| !p.trim().is_empty()),
        lang,
        query: text(options, "query").unwrap_or_default(),
        filters: text(options, "filters").unwrap_or_default(),
        locked: flag(options, "locked"),
    };
    AppProps { pack: None, embed: Some(embed) }
}

#[wasm_bindgen]
impl EmbeddedExplorer {
    /// Mounts an explorer into `root` (an element inside `host`'s shadow root). `options`:
    /// `{ pack, lang, query, filters, locked }`, the element's attributes.
    #[wasm_bindgen(constructor)]
    pub fn new(host: web_sys::Element, root: web_sys::Element, options: JsValue) -> EmbeddedExplorer {
        let handle =
            yew::Renderer::<App>::with_root_and_props(root.clone(), props(&host, &root, &options)).render();
        EmbeddedExplorer { handle: Some(handle), host, root }
    }

    /// Applies changed attributes.
    pub fn update(&mut self, options: JsValue) {
        if let Some(handle) = &mut self.handle {
            handle.update(props(&self.host, &self.root, &options));
        }
    }

    /// Unmounts the explorer (the element left the page).
    pub fn destroy(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
    }
}

/// Whether the page asked the wasm not to mount the full-page explorer (`globalThis.__SOROT_NO_MOUNT__`,
/// set by `sorot-embed.js`, which mounts `<sorot-explorer>` elements, and by `sorot.js`, the JS API).
pub fn no_mount() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__SOROT_NO_MOUNT__"))
        .is_ok_and(|v| v.is_truthy() && v.dyn_ref::<js_sys::Function>().is_none())
}
