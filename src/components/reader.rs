use sorot_engine::{paragraphs, Article, UNDETERMINED};
use yew::prelude::*;

use crate::i18n::{language_name, UiLang};

/// Properties of [`Reader`].
#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    /// The article to show.
    pub article: Article,
    /// Interface language.
    pub ui: UiLang,
    /// Closes the reader.
    pub on_close: Callback<()>,
}

/// The open article as readable text. Text goes into the DOM as text nodes, never as HTML.
#[function_component]
pub fn Reader(props: &ReaderProps) -> Html {
    let s = props.ui.strings();
    let a = &props.article;
    let heading = use_node_ref();
    {
        // Move focus to the headline when another article opens, so keyboard and screen-reader users
        // land on what they asked for, and it scrolls into view on narrow screens.
        let heading = heading.clone();
        use_effect_with(a.id.clone(), move |_| {
            if let Some(el) = heading.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
                el.scroll_into_view();
            }
        });
    }
    let lang = (a.lang != UNDETERMINED).then(|| a.lang.clone());
    let paras = paragraphs(&a.body).into_iter().map(|span| {
        let text = span.get(&a.body).unwrap_or_default().to_string();
        html! { <p>{ text }</p> }
    });
    let onclick = props.on_close.reform(|_| ());
    html! {
        <article class="reader" aria-labelledby="reader-title">
            <button type="button" class="back" {onclick}>{ "← " }{ s.back_to_list }</button>
            <header lang={lang.clone()}>
                <h1 id="reader-title" tabindex="-1" ref={heading}>{ &a.title }</h1>
            </header>
            <dl class="facts">
                if let Some(source) = &a.source {
                    <div><dt>{ s.source }</dt><dd>{ source }</dd></div>
                }
                if let Some(date) = &a.date {
                    <div><dt>{ s.date }</dt><dd>{ date }</dd></div>
                }
                <div><dt>{ s.language }</dt><dd>{ language_name(props.ui, &a.lang) }</dd></div>
            </dl>
            <div class="body" lang={lang}>{ for paras }</div>
        </article>
    }
}
