//! The Sorot explorer: Yew components over `sorot-engine`. No search or language logic lives here.

mod api;
mod app;
pub mod components;
mod embed;
pub mod export;
mod hooks;
pub mod i18n;
pub mod loader;
pub mod state;
pub mod store;
#[cfg(feature = "teach")]
pub mod teach;
pub mod url;
pub mod view;

pub use api::Sorot;
pub use app::{App, AppProps, Embed};
pub use embed::EmbeddedExplorer;

/// The corpus packed from `seeds/` at build time (see `build.rs`).
pub static BUNDLED_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.pack"));

/// A pack of no articles (see `build.rs`): the engine before a corpus is in.
pub(crate) static EMPTY_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/empty.pack"));

/// Mounts the explorer on the page's `<body>`, unless the page says `<body data-sorot-manual>` (it
/// then uses only the JavaScript API through the hashed glue, as the benchmark page does), or
/// `sorot.js` (the JS API) or `sorot-embed.js` (`<sorot-explorer>` elements) loaded the wasm. A pack the page inlines
/// (`globalThis.__SOROT_PACK__`, see [`loader::inline_pack`]) replaces the bundled corpus.
pub fn start() {
    loader::wasm_in();
    let manual = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|b| b.has_attribute("data-sorot-manual"))
        || embed::no_mount();
    if !manual {
        let props = AppProps { pack: loader::inline_pack().map(std::rc::Rc::new), embed: None };
        yew::Renderer::<App>::with_props(props).render();
    }
}
