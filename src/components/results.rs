use yew::prelude::*;

use super::Marked;
use crate::i18n::UiLang;
use crate::url::{EntityRef, Sort};
use crate::view::{ResultItem, Shared, CHIPS};

/// Properties of [`ResultList`].
#[derive(Properties, PartialEq)]
pub struct ResultListProps {
    /// The articles shown.
    pub items: Shared<Vec<ResultItem>>,
    /// How many articles match (more than `items` when "show more" would show more).
    pub total: usize,
    /// The result under the keyboard cursor.
    pub cursor: Option<usize>,
    /// The open article.
    pub open: Option<sorot_engine::DocId>,
    /// Result order.
    pub sort: Sort,
    /// Interface language.
    pub ui: UiLang,
    /// Opens an article by id.
    pub on_open: Callback<String>,
    /// Changes the order.
    pub on_sort: Callback<Sort>,
    /// Shows more results.
    pub on_more: Callback<()>,
    /// Filters by an entity (a chip).
    pub on_include: Callback<EntityRef>,
    /// Downloads an export: `(what, format)`, e.g. `("results", "csv")`.
    pub on_export: Callback<(&'static str, &'static str)>,
}

/// The matching articles (all of them while browsing): title, source and date, snippet, entities.
#[function_component]
pub fn ResultList(props: &ResultListProps) -> Html {
    let s = props.ui.strings();
    let list_ref = use_node_ref();
    {
        // Keep the cursor's result in view and focused, for keyboard users.
        let list_ref = list_ref.clone();
        use_effect_with(props.cursor, move |cursor| {
            if let (Some(i), Some(list)) = (cursor, list_ref.cast::<web_sys::Element>()) {
                let selector = format!("[data-rank=\"{i}\"] .result-open");
                if let Ok(Some(el)) = list.query_selector(&selector) {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    let on_sort = {
        let on_sort = props.on_sort.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            on_sort.emit(if value == "date" { Sort::Date } else { Sort::Relevance });
        })
    };
    let export = |what: &'static str, format: &'static str, label: &'static str| {
        let onclick = props.on_export.reform(move |_| (what, format));
        html! { <button type="button" {onclick}>{ label }</button> }
    };
    let items = props.items.iter().map(|item| {
        let title = Marked::whole(&item.title.text, &item.title.highlights).render(props.ui);
        let snippet = Marked::whole(&item.snippet.text, &item.snippet.highlights).render(props.ui);
        let chips = item.entities.iter().take(CHIPS).map(|r| {
            let onclick = { let r = r.clone(); props.on_include.reform(move |_| r.clone()) };
            html! {
                <li><button type="button" class="chip" data-entity-type={r.kind.code()}
                    aria-label={props.ui.entity_mark_label(r.kind, &r.name, &r.name)} {onclick}>{ &r.name }</button></li>
            }
        });
        let onclick = {
            let id = item.id.clone();
            props.on_open.reform(move |_| id.clone())
        };
        let (rank, current) = (item.rank, props.open == Some(item.doc));
        // Not keyed by article: as the query changes, the list's items are patched in place (new text
        // in the same elements), which costs the browser far less than new elements for every result.
        html! {
            <li class={classes!("result", (props.cursor == Some(rank)).then_some("cursor"))}
                data-rank={rank.to_string()} aria-current={current.then_some("true")}>
                <h3 lang={item.lang.clone()}>
                    <button type="button" class="result-open" {onclick}>{ title }</button>
                </h3>
                if item.source.is_some() || item.date.is_some() {
                    <p class="result-facts">{ item.facts() }</p>
                }
                <p class="snippet" lang={item.lang.clone()}>{ snippet }</p>
                if !item.entities.is_empty() {
                    <ul class="chips">{ for chips }</ul>
                }
            </li>
        }
    });
    let total = props.total;
    let more = props.on_more.reform(|_| ());
    html! {
        <section class="results" aria-labelledby="results-heading">
            <div class="results-bar">
                <h2 id="results-heading">{ s.results }<span class="count">{ props.ui.article_count(total) }</span></h2>
                <label class="sort">
                    { s.sort }{ " " }
                    <select onchange={on_sort}>
                        <option value="relevance" selected={props.sort == Sort::Relevance}>{ s.by_relevance }</option>
                        <option value="date" selected={props.sort == Sort::Date}>{ s.by_date }</option>
                    </select>
                </label>
                <details class="export">
                    <summary>{ s.export }</summary>
                    <div class="export-menu">
                        { export("results", "csv", s.export_results_csv) }
                        { export("results", "json", s.export_results_json) }
                        { export("entities", "csv", s.export_entities_csv) }
                        { export("entities", "json", s.export_entities_json) }
                    </div>
                </details>
            </div>
            if total == 0 {
                <div class="empty">
                    <p><strong>{ s.no_results }</strong></p>
                    <p>{ s.no_results_hint }</p>
                </div>
            }
            <ol class="result-list" ref={list_ref}>{ for items }</ol>
            if total > props.items.len() {
                <button type="button" class="show-more" onclick={more}>{ s.show_more }</button>
            }
        </section>
    }
}
