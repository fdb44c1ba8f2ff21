use crate::index::Index;
use crate::pack::{read_pack, write_pack};
use crate::search::{search, SearchOptions, SearchResults, Snippet};
use crate::{Article, Field, PackError, Span};

/// The one entry point the CLI and the app use: a corpus and its index.
///
/// Built once (from articles, or from a pack without re-indexing), then only read; every query
/// method takes `&self`.
#[derive(Clone, Debug)]
pub struct Engine {
    articles: Vec<Article>,
    index: Index,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::from_articles(Vec::new())
    }
}

impl Engine {
    /// An engine over `articles`, in the given order; builds the index.
    pub fn from_articles(articles: Vec<Article>) -> Engine {
        let index = Index::build(&articles);
        Engine { articles, index }
    }

    /// An engine over the corpus and index in a pack (see [`Engine::to_pack`]).
    pub fn from_pack(bytes: &[u8]) -> Result<Engine, PackError> {
        let (articles, index) = read_pack(bytes)?;
        Ok(Engine { articles, index })
    }

    /// The corpus and its index encoded as a pack.
    pub fn to_pack(&self) -> Vec<u8> {
        write_pack(&self.articles, &self.index)
    }

    /// All articles, in corpus order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// The index (for statistics and the teaching view).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs a query (see [`crate::parse_query`] for the language).
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        search(&self.index, query, options)
    }

    /// The snippet of a hit's article for these results.
    pub fn snippet(&self, results: &SearchResults, doc: u32) -> Snippet {
        match self.articles.get(doc as usize) {
            Some(a) => results.snippet(&self.index, &a.body),
            None => Snippet { text: String::new(), highlights: Vec::new() },
        }
    }

    /// Highlight spans over an article's body (or title) for these results.
    pub fn highlights(&self, results: &SearchResults, doc: u32, field: Field) -> Vec<Span> {
        let Some(a) = self.articles.get(doc as usize) else { return Vec::new() };
        let text = if field == Field::Title { &a.title } else { &a.body };
        results.highlights(&self.index, text, field)
    }
}
