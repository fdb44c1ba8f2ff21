//! Named entities: a statistical tagger for people, organisations and places, trained on Indonesian
//! news, and the merging of its mentions into entities.

use serde::{Deserialize, Serialize};

use crate::Span;

mod conll;
mod entities;
mod gazetteer;
mod tagger;

pub use conll::*;
pub(crate) use entities::{confidence_byte, confidence_from_byte};
pub use entities::{resolve_entities, Entities, Entity, EntityMention};
pub use tagger::*;

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

/// The trained model that ships with Sorot (`data/ner/model.bin`, made by `sorot train-ner`).
///
/// Only with the `model` feature: the CLI and the build script carry it; the browser app loads it on
/// demand instead, so it is not part of the first page load.
#[cfg(feature = "model")]
pub fn shipped_model() -> NerModel {
    static BYTES: &[u8] = include_bytes!("../../data/ner/model.bin");
    // The file is part of this build and checked by the tests; failing here is a build defect.
    NerModel::from_bytes(BYTES).expect("the shipped NER model is valid")
}
