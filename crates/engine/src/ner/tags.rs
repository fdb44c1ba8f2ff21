//! The tagger's BIO tags as numbers, and which may follow which.

use super::mention::EntityType;

/// Number of BIO tags: O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC.
pub(super) const TAGS: usize = 7;
/// Row stride of the weight table (one padding lane).
pub(super) const STRIDE: usize = 8;
/// Index of the "start of sentence" row in the transition matrix.
pub(super) const START: usize = 7;

/// The number of a normalised CoNLL tag (`B-PER` → 1); anything else is `O` (0).
pub(super) fn tag_index(tag: &str) -> u8 {
    match tag {
        "B-PER" => 1,
        "I-PER" => 2,
        "B-ORG" => 3,
        "I-ORG" => 4,
        "B-LOC" => 5,
        "I-LOC" => 6,
        _ => 0,
    }
}

/// The entity type of a tag, `None` for `O`.
pub(super) fn tag_kind(tag: u8) -> Option<EntityType> {
    match tag {
        1 | 2 => Some(EntityType::Per),
        3 | 4 => Some(EntityType::Org),
        5 | 6 => Some(EntityType::Loc),
        _ => None,
    }
}

/// Whether a tag is an `I-` tag.
#[inline]
pub(super) fn is_inside(tag: usize) -> bool {
    tag != 0 && tag.is_multiple_of(2)
}

/// Whether tag `cur` may follow `prev` (`START` at the beginning): `I-X` only continues `B-X`/`I-X`.
#[inline]
pub(super) fn allowed(prev: usize, cur: usize) -> bool {
    !is_inside(cur) || prev == cur || prev + 1 == cur
}
