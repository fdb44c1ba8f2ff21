//! The numbers things have in a corpus, each its own type so that an article's number cannot be
//! passed where an entity's is wanted.

use serde::{Deserialize, Serialize};

/// An article's number: its place in [`crate::Engine::articles`], in corpus order.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub u32);

/// An entity's number: its place in [`crate::Entities::list`].
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub u32);

// Debug output is the bare number, as it was before these types (dumps and test messages stay the
// same).
impl std::fmt::Debug for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::fmt::Debug for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl DocId {
    /// As an index into the articles.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl EntityId {
    /// As an index into the entity list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
