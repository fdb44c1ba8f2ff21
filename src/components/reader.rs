use std::rc::Rc;

use sorot_engine::{EntityType, Span};
use yew::prelude::*;

use super::{EntityMarks, Marked};
use crate::i18n::{language_name, UiLang};
use crate::url::EntityRef;
use crate::view::{ReaderArticle, Shared};

/// Properties of [`Reader`].
#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    /// The open article; `None` renders nothing.
    pub article: Shared<Option<ReaderArticle>>,
    /// The search's highlights in the body.
    pub hits: Rc<Vec<Span>>,
    /// The current hit.
    pub hit: usize,
    /// A place to bring into view (from the entity panel).
    pub focus: Option<Span>,
    /// Interface language.
    pub ui: UiLang,
    /// Closes the reader.
    pub on_close: Callback<()>,
    /// Next (`true`) or previous hit.
    pub on_step: Callback<bool>,
    /// Filters by an entity clicked in the text.
    pub on_entity: Callback<EntityRef>,
}

/// Scrolls the first element matching `selector` inside `root` to the middle of the view.
fn scroll_to(root: &web_sys::Element, selector: &str) -> bool {
    let Ok(Some(el)) = root.query_selector(selector) else { return false };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    true
}

/// The open article: every search hit marked (with "hit n of N" navigation), every entity mention
/// marked by type. Text goes into the DOM as text nodes, never as HTML.
///
/// The reader stays mounted while no article is open (`doc: None`) and renders nothing then. A
/// component that is created anew renders a scheduler step before its siblings' updates, and Yew
/// gives the browser a turn in between: the article would show while the result list still marked
/// the previous one as current (`aria-current`). Updates of mounted components render together.
#[function_component]
pub fn Reader(props: &ReaderProps) -> Html {
    let s = props.ui.strings();
    let root = use_node_ref();
    let heading = use_node_ref();
    let doc = props.article.as_ref().as_ref().map(|a| a.doc);
    {
        // A newly opened article: move focus to its headline (keyboard and screen-reader users land on
        // what they asked for), then bring the current hit, the focused mention or the top into view.
        let (root, heading) = (root.clone(), heading.clone());
        let deps = (doc, props.hit, props.hits.len(), props.focus);
        use_effect_with(deps, move |(_, hit, hits, focus)| {
            if let (Some(root), Some(h)) =
                (root.cast::<web_sys::Element>(), heading.cast::<web_sys::HtmlElement>())
            {
                let shown = match focus {
                    Some(span) => scroll_to(&root, &format!("[data-start=\"{}\"]", span.start)),
                    None if *hits > 0 => scroll_to(&root, &format!("mark[data-hit=\"{hit}\"]")),
                    None => false,
                };
                if !shown {
                    h.scroll_into_view();
                }
            }
        });
    }
    {
        let heading = heading.clone();
        use_effect_with(doc, move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = h.focus_with_options(&options);
            }
        });
    }
    let Some(a) = props.article.as_ref() else {
        return html! {};
    };
    let lang = a.lang_attr();
    let marks = EntityMarks { mentions: &a.mentions, on_click: props.on_entity.clone() };
    let current = (!props.hits.is_empty()).then_some(props.hit);
    let paras = a.paragraphs.iter().map(|&range| {
        let text = Marked { text: &a.body, range, highlights: &props.hits, current, entities: Some(&marks) };
        html! { <p>{ text.render(props.ui) }</p> }
    });
    let n = props.hits.len();
    let (prev, next) = (props.on_step.reform(|_| false), props.on_step.reform(|_| true));
    let onclick = props.on_close.reform(|_| ());
    html! {
        <section class="reader-pane" aria-labelledby="reader-title">
            <article class="reader" aria-labelledby="reader-title" ref={root}>
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
                <div class="reader-tools">
                    if n > 0 {
                        <nav class="hit-nav" aria-label={s.hit_navigation}>
                            <button type="button" aria-label={s.previous_hit} title={s.previous_hit} onclick={prev}>{ "↑" }</button>
                            <span class="hit-count" aria-live="polite">{ props.ui.hit_of(props.hit + 1, n) }</span>
                            <button type="button" aria-label={s.next_hit} title={s.next_hit} onclick={next}>{ "↓" }</button>
                        </nav>
                    }
                    if !a.mentions.is_empty() {
                        <ul class="legend" aria-label={s.legend}>
                            { for EntityType::ALL.into_iter().map(|k| html! {
                                <li data-entity-type={k.code()}>{ props.ui.type_heading(k) }</li>
                            }) }
                        </ul>
                    }
                </div>
                <div class="body" lang={lang}>{ for paras }</div>
            </article>
        </section>
    }
}
