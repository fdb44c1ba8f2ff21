use sorot_engine::QueryWarning;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::UiLang;

/// Properties of [`SearchBar`].
#[derive(Properties, PartialEq)]
pub struct SearchBarProps {
    /// The search box's text.
    pub query: String,
    /// Interface language.
    pub ui: UiLang,
    /// What the engine said about the query.
    pub warnings: Vec<QueryWarning>,
    /// Number of matching articles (announced to screen readers); `None` while browsing.
    pub count: Option<usize>,
    /// Query words matched through a typo correction: `(typed, found)`.
    pub corrections: Vec<(String, String)>,
    /// The text changed.
    pub on_input: Callback<String>,
    /// Where the input is, so `/` can focus it.
    pub input_ref: NodeRef,
    /// Whether the box is a search landmark (not inside another page, where the page owns the landmarks).
    #[prop_or(true)]
    pub landmark: bool,
}

/// The search box, its warnings, the live result count and the syntax help.
#[function_component]
pub fn SearchBar(props: &SearchBarProps) -> Html {
    let s = props.ui.strings();
    let oninput =
        props.on_input.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let warnings_id = "search-warnings";
    html! {
        <div class="search" role={props.landmark.then_some("search")}>
            <label for="search-input" class="search-label">{ s.search_label }</label>
            <input id="search-input" type="search" ref={props.input_ref.clone()} value={props.query.clone()}
                placeholder={s.search_placeholder} autocomplete="off" spellcheck="false"
                aria-describedby={(!props.warnings.is_empty()).then_some(warnings_id)} {oninput} />
            if !props.warnings.is_empty() {
                <ul id={warnings_id} class="warnings">
                    { for props.warnings.iter().map(|w| html! {
                        <li>
                            { props.ui.warning(&w.kind) }
                            if let Some(part) = w.span.get(&props.query).filter(|p| !p.trim().is_empty() && *p != props.query) {
                                { " " }<code>{ part.to_string() }</code>
                            }
                        </li>
                    }) }
                </ul>
            }
            if !props.corrections.is_empty() {
                <p class="corrections">
                    { props.ui.corrected() }{ " " }
                    { for props.corrections.iter().enumerate().map(|(i, (typed, found))| html! {
                        <>
                            if i > 0 { { ", " } }
                            <span class="typed">{ typed }</span>{ " → " }<strong>{ found }</strong>
                        </>
                    }) }
                </p>
            }
            <p class="status" role="status" aria-live="polite">
                { props.count.map(|n| props.ui.found(n)).unwrap_or_default() }
            </p>
            <details class="syntax">
                <summary>{ s.syntax_help }</summary>
                <dl>
                    { for s.syntax_rows.iter().map(|(example, meaning)| html! {
                        <div><dt><code>{ *example }</code></dt><dd>{ *meaning }</dd></div>
                    }) }
                </dl>
                <p class="shortcuts">{ s.shortcuts }</p>
            </details>
        </div>
    }
}
