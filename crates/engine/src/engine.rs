use crate::{read_pack, write_pack, Article, PackError};

/// The one entry point the CLI and the app use: a loaded corpus and, in later versions, its index.
///
/// Built once, then only read; every query method takes `&self`.
#[derive(Clone, Debug, Default)]
pub struct Engine {
    articles: Vec<Article>,
}

impl Engine {
    /// An engine over `articles`, in the given order.
    pub fn from_articles(articles: Vec<Article>) -> Engine {
        Engine { articles }
    }

    /// An engine over the corpus in a pack (see [`crate::write_pack`]).
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        read_pack(bytes).map(Engine::from_articles)
    }

    /// The corpus encoded as a pack.
    pub fn to_pack(&self) -> Vec<u8> {
        write_pack(&self.articles)
    }

    /// All articles, in corpus order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }
}
