//! The Sorot explorer: Yew components over `sorot-engine`. No search or language logic lives here.

mod api;
mod app;
pub mod components;
pub mod export;
pub mod i18n;
pub mod loader;
pub mod marks;
pub mod state;
pub mod url;

pub use api::Sorot;
pub use app::App;

/// The corpus packed from `seeds/` at build time (see `build.rs`).
pub static BUNDLED_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.pack"));

/// Mounts the explorer on the page's `<body>`, unless the page says `<body data-sorot-manual>` (it
/// then uses only the JavaScript API, as the benchmark page does).
pub fn start() {
    let manual = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|b| b.has_attribute("data-sorot-manual"));
    if !manual {
        yew::Renderer::<App>::new().render();
    }
}
