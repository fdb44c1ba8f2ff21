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

mod corpus;
mod engine;
mod ids;
mod index;
mod ner;
mod order;
mod pack;
mod pieces;
mod search;
mod span;
mod text;

pub use corpus::article::{Article, ArticleError, ArticleErrorKind};
pub use corpus::date::{read_date, DateError, DateErrorKind, DayMonth};
pub use corpus::load::{
    learn_dates, read_corpus, read_files, read_path, read_paths, stream_articles, stream_corpus,
    ArticleField, DateOrders, Effect, LoadError, LoadErrorKind, Loaded, NamedFile, Problem, ReadOptions,
    Reading,
};
pub use corpus::stored::{article_from_store, stored_article};
pub use engine::{Added, DateOrder, Engine, Facet};
pub use ids::{DocId, EntityId};
pub use index::{Index, IndexBuilder, Posting};
#[cfg(feature = "model")]
pub use ner::shipped_model;
pub use ner::{
    evaluate, read_conll, resolve_entities, train, train_with_auxiliary, ConllError, ConllErrorKind,
    Correction, CorrectionEntity, CorrectionMention, CorrectionNote, Corrections, Entities, Entity,
    EntityMention, EntityType, FeatureWeight, Mention, MentionExplanation, MentionPlace, MergeReason,
    NerExplanation, NerModel, NerModelError, NerModelErrorKind, NerScores, Prf, SentenceTags, TaggedSentence,
    TokenTag, TrainOptions, CORRECTIONS_VERSION,
};
pub use pack::container::ContainerFault;
pub use pack::split::{PieceKind, SplitOptions, SplitPack, ENTRY_NAME, SPLIT_MAGIC};
#[cfg(feature = "ingest")]
pub use pack::split::{PieceWriter, SplitPacker};
pub use pack::{CorpusParts, PackDecoder, PackError, PackErrorKind, Step, PACK_MAGIC, PACK_VERSION};
pub use search::explain::{
    Above, ClauseExplanation, ClauseScore, ClauseType, HitExplanation, HitLengths, QueryExplanation,
    RootCandidate, RootStep, SearchedTerm, TermCount, WordAnalysis,
};
pub use search::query::{
    entity_field, parse_query, Clause, ClauseKind, Field, Query, QueryWarning, WarningKind,
};
pub use search::{Expanded, Filter, Hit, MatchKind, RankParams, SearchOptions, SearchResults, Snippet};
pub use span::{cut, utf16_spans, Group, Piece, Span};
pub use text::analyze::{is_stopword, normalize, tokenize, Token};
#[cfg(feature = "ingest")]
pub use text::html::html_to_text;
pub use text::lang::{detect_lang, UNDETERMINED};
pub use text::passages::{derive_title, excerpt, kwic, paragraphs};
