use yew::prelude::*;

use crate::i18n::UiLang;
use crate::state::SharedEngine;

/// Properties of [`ArticleList`].
#[derive(Properties, PartialEq)]
pub struct ArticleListProps {
    /// The corpus.
    pub engine: SharedEngine,
    /// Id of the open article, marked as current.
    pub open: Option<String>,
    /// Interface language.
    pub ui: UiLang,
    /// Opens an article by id.
    pub on_open: Callback<String>,
}

/// The list of articles in the corpus; each entry opens its article.
#[function_component]
pub fn ArticleList(props: &ArticleListProps) -> Html {
    let s = props.ui.strings();
    let items = props.engine.articles().iter().map(|article| {
        let current = props.open.as_deref() == Some(article.id.as_str());
        let onclick = {
            let id = article.id.clone();
            props.on_open.reform(move |_| id.clone())
        };
        let facts: Vec<&str> =
            [article.source.as_deref(), article.date.as_deref()].into_iter().flatten().collect();
        html! {
            <li key={article.id.clone()}>
                <button type="button" class="article-link" aria-current={current.then_some("page")} {onclick}>
                    <span class="article-link-title" lang={article.lang.clone()}>{ &article.title }</span>
                    if !facts.is_empty() {
                        <span class="article-link-facts">{ facts.join(" · ") }</span>
                    }
                </button>
            </li>
        }
    });
    html! {
        <nav class="article-list" aria-labelledby="article-list-heading">
            <h2 id="article-list-heading">
                { s.articles }
                <span class="count">{ props.engine.articles().len() }</span>
            </h2>
            <ul>{ for items }</ul>
        </nav>
    }
}
