use sorot_engine::kwic;
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::state::SharedEngine;
use crate::url::EntityRef;

/// Mentions listed in the panel.
const MAX_LINES: usize = 60;
/// Characters of context on each side of a mention.
const CONTEXT: usize = 48;

/// Properties of [`EntityPanel`].
#[derive(Properties, PartialEq)]
pub struct EntityPanelProps {
    /// The corpus.
    pub engine: SharedEngine,
    /// The entity shown; `None` renders nothing (the panel stays mounted, as the reader does).
    pub entity: Option<u32>,
    /// Interface language.
    pub ui: UiLang,
    /// Closes the panel.
    pub on_close: Callback<()>,
    /// Opens an article at a mention: `(article id, mention span)`.
    pub on_open: Callback<(String, sorot_engine::Span)>,
    /// Shows another entity.
    pub on_show: Callback<EntityRef>,
    /// Filters by the entity.
    pub on_include: Callback<EntityRef>,
}

/// One entity across the corpus: its mentions in context, and the entities it appears with.
#[function_component]
pub fn EntityPanel(props: &EntityPanelProps) -> Html {
    let s = props.ui.strings();
    let engine = &props.engine;
    let Some((id, entity)) = props.entity.and_then(|id| Some((id, engine.entities().list.get(id as usize)?)))
    else {
        return html! {};
    };
    let me = EntityRef { kind: entity.kind, name: entity.name.clone() };
    let lines = engine.mentions_of(id).into_iter().take(MAX_LINES).filter_map(|(doc, span)| {
        let article = engine.articles().get(doc as usize)?;
        let (left, word, right) = kwic(&article.body, span, CONTEXT);
        let onclick = {
            let id = article.id.clone();
            props.on_open.reform(move |_| (id.clone(), span))
        };
        Some(html! {
            <li>
                <button type="button" class="kwic" lang={article.lang.clone()} {onclick}>
                    <span class="kwic-left">{ left }</span>
                    <strong>{ word }</strong>
                    <span class="kwic-right">{ right }</span>
                    <span class="kwic-source">{ &article.title }</span>
                </button>
            </li>
        })
    });
    let with = engine.cooccurring(id).into_iter().take(20).filter_map(|(id, n)| {
        let other = engine.entities().list.get(id as usize)?;
        let r = EntityRef { kind: other.kind, name: other.name.clone() };
        let onclick = props.on_show.reform(move |_| r.clone());
        Some(html! {
            <li><button type="button" class="chip" data-entity-type={other.kind.code()} {onclick}>
                { &other.name }<span class="chip-count">{ n }</span>
            </button></li>
        })
    });
    let close = props.on_close.reform(|_| ());
    let include = props.on_include.reform(move |_| me.clone());
    html! {
        <aside class="entity-panel" aria-labelledby="entity-panel-title" data-entity-type={entity.kind.code()}>
            <header>
                <p class="panel-type">{ props.ui.type_name(entity.kind) }</p>
                <h2 id="entity-panel-title">{ &entity.name }</h2>
                if !entity.aliases.is_empty() {
                    <p class="panel-aliases">{ s.also }{ ": " }{ entity.aliases.join(", ") }</p>
                }
                <p class="panel-counts">{ props.ui.article_count(entity.articles as usize) }{ " · " }{ entity.mentions }{ " × " }</p>
                <div class="panel-actions">
                    <button type="button" onclick={include} aria-label={props.ui.include_label(&entity.name, entity.articles)}>{ "⊕ " }{ &entity.name }</button>
                    <button type="button" onclick={close}>{ s.close }</button>
                </div>
            </header>
            <h3>{ s.mentions }</h3>
            <ul class="kwic-list">{ for lines }</ul>
            <h3>{ s.appears_with }</h3>
            <ul class="chips">{ for with }</ul>
        </aside>
    }
}
