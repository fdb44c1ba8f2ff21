use sorot_engine::EntityType;
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::url::EntityRef;
use crate::view::{FacetGroup, Shared};

/// Properties of [`Facets`].
#[derive(Properties, PartialEq)]
pub struct FacetsProps {
    /// The facets by type (their counts follow the query).
    pub groups: Shared<Vec<FacetGroup>>,
    /// Whether the corpus has entities at all.
    pub has_entities: bool,
    /// What the pane says when it lists no entity (why not), if anything.
    #[prop_or_default]
    pub note: Option<&'static str>,
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
    /// Shows a type's whole list, or its first entities again.
    pub on_expand: Callback<EntityType>,
}

/// Entity facets grouped by type, with counts that follow the query: include (toggle), exclude, details.
#[function_component]
pub fn Facets(props: &FacetsProps) -> Html {
    let s = props.ui.strings();
    if !props.has_entities {
        return html! {
            <div class="facets">
                <h2 id="facets-heading">{ s.entities }</h2>
                <p class="muted">{ s.no_entities }</p>
            </div>
        };
    }
    let group = |g: &FacetGroup| {
        let FacetGroup { kind, rows, hidden, expanded: all } = g;
        let (kind, hidden, all) = (*kind, *hidden, *all);
        let toggle = props.on_expand.reform(move |_| kind);
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
            if let Some(note) = props.note {
                <p class="muted">{ note }</p>
            }
            { for props.groups.iter().map(group) }
        </div>
    }
}
