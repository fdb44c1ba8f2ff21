//! All explorer state in one place: the loaded corpus and what the reader is looking at.

use std::rc::Rc;

use sorot_engine::{Engine, PackError};
use yew::Reducible;

use crate::i18n::UiLang;

/// A shared, read-only engine. Components compare it by identity, never by content.
#[derive(Clone, Debug, Default)]
pub struct SharedEngine(pub Rc<Engine>);

impl PartialEq for SharedEngine {
    fn eq(&self, other: &SharedEngine) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedEngine {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.0
    }
}

/// What the explorer shows.
#[derive(Clone, Debug, Default)]
pub struct ExplorerState {
    /// The loaded corpus.
    pub engine: SharedEngine,
    /// Why the bundled corpus could not be loaded, if it could not.
    pub load_error: Option<PackError>,
    /// Id of the article open in the reader.
    pub open: Option<String>,
    /// Language of the interface.
    pub ui: UiLang,
}

/// Everything a user (or the page) can do to the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the article with this id in the reader.
    Open(String),
    /// Close the reader and go back to the list.
    Close,
    /// Show the interface in this language.
    SetUi(UiLang),
}

impl ExplorerState {
    /// The state for a corpus given as pack bytes; a bad pack leaves an empty corpus and the reason.
    pub fn from_pack(bytes: &[u8], ui: UiLang) -> ExplorerState {
        match Engine::from_pack(bytes) {
            Ok(engine) => ExplorerState { engine: SharedEngine(Rc::new(engine)), ui, ..Default::default() },
            Err(e) => ExplorerState { load_error: Some(e), ui, ..Default::default() },
        }
    }
}

impl Reducible for ExplorerState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Open(id) => {
                if next.engine.article(&id).is_none() || next.open.as_deref() == Some(id.as_str()) {
                    return self;
                }
                next.open = Some(id);
            }
            Action::Close => {
                if next.open.is_none() {
                    return self;
                }
                next.open = None;
            }
            Action::SetUi(ui) => {
                if next.ui == ui {
                    return self;
                }
                next.ui = ui;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_and_close() {
        let state = Rc::new(ExplorerState::from_pack(crate::BUNDLED_PACK, UiLang::Id));
        let id = state.engine.articles()[0].id.clone();
        let opened = state.clone().reduce(Action::Open(id.clone()));
        assert_eq!(opened.open.as_deref(), Some(id.as_str()));
        let closed = opened.reduce(Action::Close);
        assert_eq!(closed.open, None);
    }

    #[test]
    fn unknown_article_is_ignored() {
        let state = Rc::new(ExplorerState::from_pack(crate::BUNDLED_PACK, UiLang::Id));
        let same = state.clone().reduce(Action::Open("no-such-article".into()));
        assert!(Rc::ptr_eq(&state, &same));
    }

    #[test]
    fn bad_pack_keeps_the_reason() {
        let state = ExplorerState::from_pack(b"not a pack", UiLang::En);
        assert_eq!(state.load_error, Some(PackError::NotAPack));
        assert!(state.engine.articles().is_empty());
    }
}
