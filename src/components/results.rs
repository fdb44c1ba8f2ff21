use sorot_engine::{Field, Span};
use yew::prelude::*;

use super::marked_text;
use crate::i18n::UiLang;
use crate::state::{SharedEngine, SharedOutcome};
use crate::url::{EntityRef, Sort};

/// Entity chips shown per result.
const CHIPS: usize = 4;

/// Properties of [`ResultList`].
#[derive(Properties, PartialEq)]
pub struct ResultListProps {
    /// The corpus.
    pub engine: SharedEngine,
    /// The current outcome.
    pub outcome: SharedOutcome,
    /// How many results to show.
    pub shown: usize,
    /// The result under the keyboard cursor.
    pub cursor: Option<usize>,
    /// The open article.
    pub open: Option<u32>,
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
    let engine = &props.engine;
    let outcome = &props.outcome;
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
    let items = outcome.docs.iter().take(props.shown).enumerate().map(|(rank, &doc)| {
        let Some(article) = engine.articles().get(doc as usize) else { return html! {} };
        let results = outcome.results.as_ref();
        let title_marks: Vec<Span> = results.map(|r| engine.highlights(r, doc, Field::Title)).unwrap_or_default();
        let title = marked_text(engine, props.ui, &article.title, Span::new(0, article.title.len()), &title_marks, None, None);
        let snippet = match results {
            Some(r) => {
                let sn = engine.snippet(r, doc);
                marked_text(engine, props.ui, &sn.text, Span::new(0, sn.text.len()), &sn.highlights, None, None)
            }
            None => html! { { sorot_engine::excerpt(&article.body, 220) } },
        };
        let facts: Vec<String> = [article.source.clone(), article.date.clone()].into_iter().flatten().collect();
        let mut top: Vec<(u32, usize)> = Vec::new();
        for m in engine.entities().mentions.get(doc as usize).into_iter().flatten() {
            match top.iter_mut().find(|(e, _)| *e == m.entity) {
                Some((_, n)) => *n += 1,
                None => top.push((m.entity, 1)),
            }
        }
        sorot_engine::order::sort_by(&mut top, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let chips = top.iter().take(CHIPS).filter_map(|(e, _)| {
            let entity = engine.entities().list.get(*e as usize)?;
            let r = EntityRef { kind: entity.kind, name: entity.name.clone() };
            let onclick = props.on_include.reform(move |_| r.clone());
            Some(html! {
                <li><button type="button" class="chip" data-entity-type={entity.kind.code()}
                    aria-label={props.ui.entity_mark_label(entity.kind, &entity.name, &entity.name)} {onclick}>{ &entity.name }</button></li>
            })
        });
        let onclick = {
            let id = article.id.clone();
            props.on_open.reform(move |_| id.clone())
        };
        let current = props.open == Some(doc);
        // Not keyed by article: as the query changes, the list's items are patched in place (new text
        // in the same elements), which costs the browser far less than new elements for every result.
        html! {
            <li class={classes!("result", (props.cursor == Some(rank)).then_some("cursor"))}
                data-rank={rank.to_string()} aria-current={current.then_some("true")}>
                <h3 lang={article.lang.clone()}>
                    <button type="button" class="result-open" {onclick}>{ title }</button>
                </h3>
                if !facts.is_empty() {
                    <p class="result-facts">{ facts.join(" · ") }</p>
                }
                <p class="snippet" lang={article.lang.clone()}>{ snippet }</p>
                if !top.is_empty() {
                    <ul class="chips">{ for chips }</ul>
                }
            </li>
        }
    });
    let total = outcome.docs.len();
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
            if total > props.shown {
                <button type="button" class="show-more" onclick={more}>{ s.show_more }</button>
            }
        </section>
    }
}
