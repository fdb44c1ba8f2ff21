//! What the tagger's tests share: the CoNLL corpora of the shared data, the shipped model, a small
//! trained model, and checks of mentions.

use std::sync::OnceLock;

use super::conll::{read_conll, TaggedSentence};
use super::mention::{EntityType, Mention};
use super::model::NerModel;
use super::train::{train, TrainOptions};

/// The bytes of the shipped model.
pub(super) const SHIPPED: &[u8] = include_bytes!("../../data/ner/model.bin");

fn data_path(name: &str) -> String {
    format!("{}/../../../shared/data/ner/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A CoNLL file of the shared data; panics with the path when it is missing.
pub(super) fn load(name: &str) -> Vec<TaggedSentence> {
    let path = data_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_conll(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The shipped model, loaded once.
pub(super) fn shipped() -> &'static NerModel {
    static MODEL: OnceLock<NerModel> = OnceLock::new();
    MODEL.get_or_init(|| NerModel::from_bytes(SHIPPED).expect("the shipped model loads"))
}

/// A small model trained on 300 sentences, for tests of the format.
pub(super) fn small() -> &'static NerModel {
    static MODEL: OnceLock<NerModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let sentences = load("idner-news-2k/dev.txt");
        let options = TrainOptions { epochs: 3, table_bits: 14, runs: 1, ..TrainOptions::default() };
        train(&sentences[..300], &options)
    })
}

/// The mentions as their text and type.
pub(super) fn named(text: &str, mentions: &[Mention]) -> Vec<(String, EntityType)> {
    mentions.iter().map(|m| (text[m.span.start..m.span.end].to_string(), m.kind)).collect()
}

/// Mentions are sorted, do not overlap, lie on char boundaries and have a confidence in 0–1.
pub(super) fn check_mentions(text: &str, mentions: &[Mention]) {
    let mut end = 0;
    for m in mentions {
        assert!(m.span.start >= end, "overlapping or unsorted: {mentions:?}");
        assert!(m.span.start < m.span.end && m.span.end <= text.len());
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        assert!((0.0..=1.0).contains(&m.confidence), "{m:?}");
        end = m.span.end;
    }
}
