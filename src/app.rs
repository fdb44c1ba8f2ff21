use yew::prelude::*;

use crate::components::{ArticleList, Header, Reader};
use crate::i18n::UiLang;
use crate::state::{Action, ExplorerState};
use crate::BUNDLED_PACK;

/// The interface language the browser asks for.
fn browser_ui_lang() -> UiLang {
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    UiLang::from_tag(&tag)
}

/// The root component: owns the state and wires components to actions.
#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| ExplorerState::from_pack(BUNDLED_PACK, browser_ui_lang()));
    let s = state.ui.strings();
    {
        let code = s.code;
        use_effect_with(code, move |code| {
            if let Some(root) =
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", code);
            }
        });
    }
    let on_open = state.dispatcher().to_callback().reform(Action::Open);
    let on_close = state.dispatcher().to_callback().reform(|()| Action::Close);
    let on_switch_ui = state.dispatcher().to_callback().reform(Action::SetUi);
    let open_article = state.open.as_deref().and_then(|id| state.engine.article(id)).cloned();
    let main_class = classes!("layout", open_article.is_some().then_some("reading"));
    html! {
        <>
            <Header ui={state.ui} {on_switch_ui} />
            if let Some(error) = &state.load_error {
                <div class="error" role="alert">
                    <strong>{ s.corpus_error }</strong>{ ": " }{ error.to_string() }
                </div>
            }
            <div class={main_class}>
                <ArticleList engine={state.engine.clone()} open={state.open.clone()} ui={state.ui} {on_open} />
                <main class="reader-pane">
                    if let Some(article) = open_article {
                        <Reader {article} ui={state.ui} {on_close} />
                    } else {
                        <p class="empty">{ s.choose_article }</p>
                    }
                </main>
            </div>
        </>
    }
}
