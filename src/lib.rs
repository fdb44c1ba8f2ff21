//! The Sorot explorer: Yew components over `sorot-engine`. No search or language logic lives here.

mod app;
pub mod components;
pub mod export;
pub mod i18n;
pub mod loader;
pub mod marks;
pub mod state;
pub mod url;

pub use app::App;

/// The corpus packed from `seeds/` at build time (see `build.rs`).
pub static BUNDLED_PACK: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/corpus.pack"));

/// Mounts the explorer on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
