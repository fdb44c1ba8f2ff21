//! Sorot's engine: everything the explorer knows about articles, with no browser in sight.
//!
//! The same code runs natively (the `sorot` CLI, the app's build script, the tests) and in
//! WebAssembly (the Yew app), so every format has exactly one definition:
//!
//! ```text
//! seeds/ → read_path → Vec<Article> → Engine → Pack bytes → (in the page) Engine::from_pack → view
//! ```
//!
//! Positions in text are always [`Span`]s of UTF-8 byte offsets; conversion to UTF-16 happens only at
//! the JavaScript boundary.
#![deny(missing_docs)]

mod analyze;
mod article;
mod engine;
mod lang;
mod load;
mod pack;
mod span;
#[allow(dead_code)]
mod stem;
mod text;

pub use analyze::{is_stopword, normalize, tokenize, Token};
pub use article::{Article, ArticleError};
pub use engine::Engine;
pub use lang::{detect_lang, UNDETERMINED};
pub use load::{parse_article_file, read_path, LoadError, LoadErrorKind, Meta};
pub use pack::{read_pack, write_pack, PackError, PACK_MAGIC, PACK_VERSION};
pub use span::Span;
pub use text::{derive_title, paragraphs};
