//! Named entities: a statistical tagger for people, organisations and places, trained on Indonesian
//! news, and the merging of its mentions into entities.
//!
//! The modules, each using only those above it:
//!
//! | module | holds |
//! |---|---|
//! | `mention` | [`EntityType`], [`Mention`]: what the tagger finds |
//! | `tags` | the BIO tags as numbers, and which may follow which |
//! | `tokens` | tokens as the CoNLL data has them, sentences, token hashes |
//! | `gazetteer` | the word lists, matched on token sequences |
//! | `features` | what the tagger sees of a token and its neighbours, as weight-table rows |
//! | `decode` | Viterbi over BIO tags, margins, the entities on a tag path |
//! | `rules` | word-list rules over the statistical tagger's mentions |
//! | `english` | the rule-based tagger for English text |
//! | `propagate` | one type per name in a text, and names found again where they recur |
//! | `model` | [`NerModel`]: the weight table, the model file, tagging text |
//! | `conll` | CoNLL files: [`TaggedSentence`], [`read_conll`] |
//! | `train` | [`train()`], the confidence calibration, [`evaluate`] |
//! | `entities` | [`resolve_entities`]: mentions merged into the corpus's entities |

mod conll;
mod corrections;
mod decode;
mod english;
mod entities;
mod features;
mod gazetteer;
mod mention;
mod model;
mod propagate;
mod rules;
mod tags;
#[cfg(test)]
mod testing;
mod tokens;
mod train;

pub use conll::{read_conll, ConllError, ConllErrorKind, TaggedSentence};
pub(crate) use corrections::apply as apply_corrections;
pub use corrections::{
    Correction, Corrections, EntityRef as CorrectionEntity, MentionRef as CorrectionMention,
    Note as CorrectionNote, CORRECTIONS_VERSION,
};
pub(crate) use entities::Resolver;
pub(crate) use entities::{confidence_byte, confidence_from_byte};
pub(crate) use entities::{find_entities, name_hash};
pub use entities::{resolve_entities, Entities, Entity, EntityMention, MergeReason};
pub use mention::{EntityType, Mention};
pub use model::{
    FeatureWeight, MentionExplanation, MentionPlace, NerExplanation, NerModel, NerModelError,
    NerModelErrorKind, SentenceTags, TokenTag,
};
pub use train::{evaluate, train, train_with_auxiliary, NerScores, Prf, TrainOptions};

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
