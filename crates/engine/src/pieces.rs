//! Parts of a corpus that may arrive after the engine is made: the pieces of a split pack
//! ([`crate::split`]). An engine built from articles, or read from a whole pack, has every part from
//! the start; one opened from a split pack's entry file gets each part when its piece is fetched.
//!
//! Whatever the engine reads goes through a [`Slot`]: a part not at hand reads as absent and its piece
//! is noted in [`Misses`]. A search that noted nothing read only what was there, so its answer is the
//! one the whole corpus gives; one that noted pieces is done again once they are in.

use std::sync::{Mutex, OnceLock};

/// A part of the corpus, kept in piece number `piece` of a split pack; filled once.
#[derive(Clone, Debug)]
pub(crate) struct Slot<T> {
    pub(crate) piece: u32,
    value: OnceLock<T>,
}

impl<T> Slot<T> {
    /// A slot holding `value` from the start.
    pub(crate) fn filled(piece: u32, value: T) -> Slot<T> {
        let slot = Slot::empty(piece);
        let _ = slot.value.set(value);
        slot
    }

    /// A slot waiting for its piece.
    pub(crate) fn empty(piece: u32) -> Slot<T> {
        Slot { piece, value: OnceLock::new() }
    }

    /// The part, or `None` with its piece noted as missed.
    pub(crate) fn get(&self, misses: &Misses) -> Option<&T> {
        let value = self.value.get();
        if value.is_none() {
            misses.note(self.piece);
        }
        value
    }

    /// The part if it is here, noting nothing.
    pub(crate) fn peek(&self) -> Option<&T> {
        self.value.get()
    }

    /// Puts the part in; false when it was there already.
    pub(crate) fn fill(&self, value: T) -> bool {
        self.value.set(value).is_ok()
    }
}

/// The pieces asked for and not at hand, each once, in the order first asked.
#[derive(Debug, Default)]
pub(crate) struct Misses(Mutex<Vec<u32>>);

impl Clone for Misses {
    fn clone(&self) -> Misses {
        Misses::default()
    }
}

impl Misses {
    pub(crate) fn note(&self, piece: u32) {
        if let Ok(mut missed) = self.0.lock() {
            if !missed.contains(&piece) {
                missed.push(piece);
            }
        }
    }

    /// Whether anything was noted since the last [`Misses::take`].
    pub(crate) fn any(&self) -> bool {
        self.0.lock().is_ok_and(|missed| !missed.is_empty())
    }

    /// What was noted since the last call.
    pub(crate) fn take(&self) -> Vec<u32> {
        self.0.lock().map(|mut missed| std::mem::take(&mut *missed)).unwrap_or_default()
    }
}
