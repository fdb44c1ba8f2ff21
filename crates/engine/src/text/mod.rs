//! Text processing: words (tokens, normal forms, stopwords), the folding tables behind them, stems,
//! language detection, HTML to text, and passages (paragraphs, excerpts, keyword in context).

pub(crate) mod analyze;
pub(crate) mod fold;
#[cfg(feature = "ingest")]
pub(crate) mod html;
pub(crate) mod lang;
pub(crate) mod passages;
pub(crate) mod stem;
