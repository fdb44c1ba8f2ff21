use yew::prelude::*;

use crate::i18n::UiLang;

/// Properties of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Interface language.
    pub ui: UiLang,
    /// Switches the interface language.
    pub on_switch_ui: Callback<UiLang>,
}

/// The top bar: product name and the interface-language switch.
#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let s = props.ui.strings();
    let onclick = {
        let next = props.ui.toggled();
        props.on_switch_ui.reform(move |_| next)
    };
    html! {
        <header class="topbar">
            <h1 class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{ "Sorot" }</span>
                <span class="brand-tagline">{ s.tagline }</span>
            </h1>
            <button type="button" class="lang-switch" aria-label={s.switch_language} {onclick}>
                <span lang={s.other_language_code}>{ s.other_language }</span>
            </button>
        </header>
    }
}
