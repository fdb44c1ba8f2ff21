use sorot_engine::EntityType;
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::state::{SharedEngine, SharedOutcome};
use crate::url::EntityRef;

/// How many entities of a type are listed before "show more".
const FIRST: usize = 8;

/// How many "show more" lists at most (the entity export has them all).
const ALL: usize = 200;

/// Properties of [`Facets`].
#[derive(Properties, PartialEq)]
pub struct FacetsProps {
    /// The corpus.
    pub engine: SharedEngine,
    /// The current outcome (its facets follow the query).
    pub outcome: SharedOutcome,
    /// Required entities.
    pub include: Vec<EntityRef>,
    /// Excluded entities.
    pub exclude: Vec<EntityRef>,
    /// Interface language.
    pub ui: UiLang,
    /// Toggles requiring an entity.
    pub on_include: Callback<EntityRef>,
    /// Toggles excluding an entity.
    pub on_exclude: Callback<EntityRef>,
    /// Opens the entity panel.
    pub on_show: Callback<EntityRef>,
}

/// Entity facets grouped by type, with counts that follow the query: include (toggle), exclude, details.
#[function_component]
pub fn Facets(props: &FacetsProps) -> Html {
    let expanded = use_state(Vec::<EntityType>::new);
    let s = props.ui.strings();
    let list = &props.engine.entities().list;
    if list.is_empty() {
        return html! {
            <div class="facets">
                <h2 id="facets-heading">{ s.entities }</h2>
                <p class="muted">{ s.no_entities }</p>
            </div>
        };
    }
    // Filters stay visible (with a zero count) even when the results no longer contain them.
    let group = |kind: EntityType| {
        // Only the rows shown are named (a large corpus has thousands of entities in its results).
        let ids: Vec<(u32, u32)> = props
            .outcome
            .facets
            .iter()
            .filter(|f| list.get(f.entity as usize).is_some_and(|e| e.kind == kind))
            .map(|f| (f.entity, f.articles))
            .collect();
        let all = expanded.contains(&kind);
        let shown = if all { ALL } else { FIRST };
        let mut rows: Vec<(EntityRef, u32)> = ids
            .iter()
            .take(shown)
            .map(|&(id, n)| (EntityRef { kind, name: list[id as usize].name.clone() }, n))
            .collect();
        let mut total = ids.len();
        for r in props.include.iter().chain(&props.exclude).filter(|r| r.kind == kind) {
            if !ids.iter().any(|&(id, _)| list[id as usize].name == r.name) {
                rows.push((r.clone(), 0));
                total += 1;
            }
        }
        if rows.is_empty() {
            return html! {};
        }
        let hidden = total.saturating_sub(FIRST);
        let toggle = {
            let expanded = expanded.clone();
            Callback::from(move |_| {
                let mut next = (*expanded).clone();
                if let Some(i) = next.iter().position(|k| *k == kind) {
                    next.remove(i);
                } else {
                    next.push(kind);
                }
                expanded.set(next);
            })
        };
        let heading_id = format!("facets-{}", kind.code());
        html! {
            <section class="facet-group" data-entity-type={kind.code()} aria-labelledby={heading_id.clone()}>
                <h3 id={heading_id}>{ props.ui.type_heading(kind) }</h3>
                <ul>
                    { for rows.iter().map(|(r, n)| {
                        let included = props.include.contains(r);
                        let excluded = props.exclude.contains(r);
                        let (a, b, c) = (r.clone(), r.clone(), r.clone());
                        html! {
                            <li class={classes!(included.then_some("included"), excluded.then_some("excluded"))}>
                                // The eye sees "Kazakhstan 2"; the accessible name says "Kazakhstan 2 articles".
                                <button type="button" class="facet-include" aria-pressed={included.to_string()}
                                    aria-label={props.ui.include_label(&r.name, *n)}
                                    onclick={props.on_include.reform(move |_| a.clone())}>
                                    <span class="facet-name">{ &r.name }</span>{ " " }
                                    <span class="facet-count">{ n }</span>
                                </button>
                                <button type="button" class="facet-exclude" aria-pressed={excluded.to_string()}
                                    aria-label={props.ui.exclude_label(&r.name)} title={props.ui.exclude_label(&r.name)}
                                    onclick={props.on_exclude.reform(move |_| b.clone())}>{ "⊘" }</button>
                                <button type="button" class="facet-info" aria-label={props.ui.show_entity(&r.name)}
                                    title={props.ui.show_entity(&r.name)}
                                    onclick={props.on_show.reform(move |_| c.clone())}>{ "⋯" }</button>
                            </li>
                        }
                    }) }
                </ul>
                if hidden > 0 {
                    <button type="button" class="more" aria-expanded={all.to_string()} onclick={toggle}>
                        { props.ui.more_entities(hidden, all) }
                    </button>
                }
            </section>
        }
    };
    html! {
        <div class="facets">
            <h2 id="facets-heading">{ s.entities }</h2>
            { for EntityType::ALL.into_iter().map(group) }
        </div>
    }
}
