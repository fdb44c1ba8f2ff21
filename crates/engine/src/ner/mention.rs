//! What the recogniser finds: a [`Mention`] of an entity of some [`EntityType`] in a text.

use serde::{Deserialize, Serialize};

use crate::Span;

/// The kinds of entity the recogniser finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// People.
    #[serde(rename = "PER")]
    Per,
    /// Organisations: agencies, parties, media, companies.
    #[serde(rename = "ORG")]
    Org,
    /// Places: countries, cities, regions, geopolitical names.
    #[serde(rename = "LOC")]
    Loc,
}

impl EntityType {
    /// All types, in display order.
    pub const ALL: [EntityType; 3] = [EntityType::Per, EntityType::Org, EntityType::Loc];

    /// `PER`, `ORG` or `LOC`.
    pub fn code(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
        }
    }
}

/// One mention of an entity in a text, as the tagger finds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Where it is (UTF-8 bytes).
    pub span: Span,
    /// What kind of entity.
    pub kind: EntityType,
    /// How sure the tagger is, 0–1.
    pub confidence: f32,
}
