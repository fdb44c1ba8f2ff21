use yew::prelude::*;

use crate::i18n::UiLang;
use crate::url::EntityRef;

/// Properties of [`ActiveFilters`].
#[derive(Properties, PartialEq)]
pub struct ActiveFiltersProps {
    /// Required entities.
    pub include: Vec<EntityRef>,
    /// Excluded entities.
    pub exclude: Vec<EntityRef>,
    /// Entities the page requires (shown, not removable).
    #[prop_or_default]
    pub locked_include: Vec<EntityRef>,
    /// Entities the page excludes (shown, not removable).
    #[prop_or_default]
    pub locked_exclude: Vec<EntityRef>,
    /// Interface language.
    pub ui: UiLang,
    /// Removes a required entity.
    pub on_remove_include: Callback<EntityRef>,
    /// Removes an excluded entity.
    pub on_remove_exclude: Callback<EntityRef>,
    /// Removes all.
    pub on_clear: Callback<()>,
}

/// The active entity filters as removable chips, with "clear all".
#[function_component]
pub fn ActiveFilters(props: &ActiveFiltersProps) -> Html {
    let locked = props.locked_include.len() + props.locked_exclude.len();
    if props.include.is_empty() && props.exclude.is_empty() && locked == 0 {
        return html! {};
    }
    let s = props.ui.strings();
    let fixed = |r: &EntityRef, excluded: bool| {
        html! {
            <li class={classes!("chip", "locked", excluded.then_some("excluded"))} data-entity-type={r.kind.code()}
                title={s.locked_filter}>
                if excluded { <span class="chip-not">{ s.not }{ " " }</span> }
                <span>{ &r.name }</span>
                <span class="visually-hidden">{ " (" }{ s.locked_filter }{ ")" }</span>
            </li>
        }
    };
    let chip = |r: &EntityRef, excluded: bool| {
        let on_remove = if excluded { &props.on_remove_exclude } else { &props.on_remove_include };
        let onclick = {
            let r = r.clone();
            on_remove.reform(move |_| r.clone())
        };
        html! {
            <li class={classes!("chip", excluded.then_some("excluded"))} data-entity-type={r.kind.code()}>
                if excluded { <span class="chip-not">{ s.not }{ " " }</span> }
                <span>{ &r.name }</span>
                <button type="button" class="chip-remove" aria-label={props.ui.remove_filter(&r.name)} {onclick}>{ "×" }</button>
            </li>
        }
    };
    let onclick = props.on_clear.reform(|_| ());
    html! {
        <section class="filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="visually-hidden">{ s.active_filters }</h2>
            <ul>
                { for props.locked_include.iter().map(|r| fixed(r, false)) }
                { for props.locked_exclude.iter().map(|r| fixed(r, true)) }
                { for props.include.iter().map(|r| chip(r, false)) }
                { for props.exclude.iter().map(|r| chip(r, true)) }
            </ul>
            if !props.include.is_empty() || !props.exclude.is_empty() {
                <button type="button" class="clear" {onclick}>{ s.clear_all }</button>
            }
        </section>
    }
}
