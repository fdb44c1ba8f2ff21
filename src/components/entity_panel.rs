use yew::prelude::*;

use crate::i18n::UiLang;
use crate::url::EntityRef;
use crate::view::{EntityPanelData, Shared};

/// Properties of [`EntityPanel`].
#[derive(Properties, PartialEq)]
pub struct EntityPanelProps {
    /// The entity shown; `None` renders nothing (the panel stays mounted, as the reader does).
    pub entity: Shared<Option<EntityPanelData>>,
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
    let Some(data) = props.entity.as_ref() else {
        return html! {};
    };
    let (me, aliases) = (&data.label.entity, &data.label.aliases);
    let lines = data.lines.iter().map(|line| {
        let (left, word, right) = &line.kwic;
        let onclick = {
            let (id, span) = (line.id.clone(), line.span);
            props.on_open.reform(move |_| (id.clone(), span))
        };
        html! {
            <li>
                <button type="button" class="kwic" lang={line.lang.clone()} {onclick}>
                    <span class="kwic-left">{ left }</span>
                    <strong>{ word }</strong>
                    <span class="kwic-right">{ right }</span>
                    <span class="kwic-source">{ &line.title }</span>
                </button>
            </li>
        }
    });
    let with = data.with.iter().map(|(r, n)| {
        let onclick = {
            let r = r.clone();
            props.on_show.reform(move |_| r.clone())
        };
        html! {
            <li><button type="button" class="chip" data-entity-type={r.kind.code()} {onclick}>
                { &r.name }<span class="chip-count">{ n }</span>
            </button></li>
        }
    });
    let close = props.on_close.reform(|_| ());
    let include = {
        let me = me.clone();
        props.on_include.reform(move |_| me.clone())
    };
    html! {
        <aside class="entity-panel" aria-labelledby="entity-panel-title" data-entity-type={me.kind.code()}>
            <header>
                <p class="panel-type">{ props.ui.type_name(me.kind) }</p>
                <h2 id="entity-panel-title">{ &me.name }</h2>
                if !aliases.is_empty() {
                    <p class="panel-aliases">{ s.also }{ ": " }{ aliases.join(", ") }</p>
                }
                <p class="panel-counts">{ props.ui.article_count(data.articles as usize) }{ " · " }{ data.mentions }{ " × " }</p>
                <div class="panel-actions">
                    <button type="button" onclick={include} aria-label={props.ui.include_label(&me.name, data.articles)}>{ "⊕ " }{ &me.name }</button>
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
