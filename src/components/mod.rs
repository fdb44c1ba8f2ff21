//! One component per file, each with its own `Props`.

mod article_list;
mod header;
mod reader;

pub use article_list::{ArticleList, ArticleListProps};
pub use header::{Header, HeaderProps};
pub use reader::{Reader, ReaderProps};
