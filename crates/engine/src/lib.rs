//! Sorot's engine: everything the explorer knows about articles, with no browser in sight.
//!
//! The same code runs natively (the `sorot` CLI, the app's build script, the tests) and in
//! WebAssembly (the Yew app), so every format has exactly one definition:
//!
//! ```text
//! seeds/ → read_corpus → Vec<Article> → Engine (index) → pack bytes → (in the page) Engine::from_pack → search
//! ```
//!
//! Positions in text are always [`Span`]s of UTF-8 byte offsets; conversion to UTF-16 happens only at
//! the JavaScript boundary.
#![deny(missing_docs)]

mod analyze;
mod article;
mod container;
mod crc;
mod date;
mod engine;
mod fold;
#[cfg(feature = "ingest")]
mod html;
mod index;
mod lang;
mod load;
mod ner;
pub mod order;
mod pack;
mod query;
mod search;
mod span;
mod stem;
mod text;

pub use analyze::{is_stopword, normalize, tokenize, Token};
pub use article::{Article, ArticleError, ArticleErrorKind};
pub use date::{read_date, DateError, DateErrorKind, DayMonth};
pub use engine::{Engine, Facet};
#[cfg(feature = "ingest")]
pub use html::html_to_text;
pub use index::{Index, IndexBuilder, Posting};
pub use lang::{detect_lang, UNDETERMINED};
pub use load::{
    read_corpus, read_path, read_paths, ArticleField, Effect, LoadError, LoadErrorKind, Loaded, Problem,
    ReadOptions, Reading,
};
#[cfg(feature = "model")]
pub use ner::shipped_model;
pub use ner::{
    evaluate, read_conll, resolve_entities, train, train_with_auxiliary, ConllError, ConllErrorKind, Entities,
    Entity, EntityMention, EntityType, Mention, NerModel, NerModelError, NerModelErrorKind, NerScores, Prf,
    TaggedSentence, TrainOptions,
};
pub use pack::{CorpusParts, PackDecoder, PackError, PackErrorKind, Step, PACK_MAGIC, PACK_VERSION};
pub use query::{entity_field, parse_query, Clause, ClauseKind, Field, Query, QueryWarning, WarningKind};
pub use search::{Expanded, Filter, Hit, MatchKind, RankParams, SearchOptions, SearchResults, Snippet};
pub use span::{utf16_spans, Span};
pub use text::{derive_title, excerpt, kwic, paragraphs};
