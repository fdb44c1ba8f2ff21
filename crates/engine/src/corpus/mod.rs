//! Articles and where they come from: the article model and its checks, publishers' dates, and the
//! reading of corpus files (JSON Lines, JSON, CSV, text, Markdown, folders) with their problems.

pub(crate) mod article;
pub(crate) mod date;
pub(crate) mod load;
pub(crate) mod stored;
