//! Text with `<mark>`s and entity marks, built as DOM nodes from spans (never from HTML).

use sorot_engine::{Engine, Span};
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::marks::groups;
use crate::url::EntityRef;

/// Entity mentions to mark in a text, and what a click on one does.
#[derive(Clone, PartialEq)]
pub struct EntityMarks<'a> {
    /// `(span, entity id)` in text order.
    pub mentions: &'a [(Span, u32)],
    /// Filters by the clicked entity.
    pub on_click: Callback<EntityRef>,
}

/// `text[range]` with highlights (numbered by their index in `highlights`; the one equal to
/// `current` gets the class `current`) and, optionally, entity marks.
pub fn marked_text(
    engine: &Engine,
    ui: UiLang,
    text: &str,
    range: Span,
    highlights: &[Span],
    current: Option<usize>,
    entities: Option<&EntityMarks<'_>>,
) -> Html {
    let mention_spans: Vec<Span> =
        entities.map(|e| e.mentions.iter().map(|(s, _)| *s).collect()).unwrap_or_default();
    let s = ui.strings();
    groups(range, highlights, &mention_spans)
        .into_iter()
        .map(|group| {
            let pieces: Html = group
                .pieces
                .iter()
                .map(|piece| {
                    let content = piece.span.get(text).unwrap_or_default().to_string();
                    match piece.hit {
                        Some(i) => html! {
                            <mark data-hit={i.to_string()} class={classes!((current == Some(i)).then_some("current"))}>
                                { content }
                            </mark>
                        },
                        None => html! { { content } },
                    }
                })
                .collect();
            let mention = group.mention.zip(entities).and_then(|(m, marks)| {
                let (span, id) = marks.mentions.get(m)?;
                Some((*span, *id, marks))
            });
            let Some((span, id, marks)) = mention else { return pieces };
            let Some(entity) = engine.entities().list.get(id as usize) else { return pieces };
            let r = EntityRef { kind: entity.kind, name: entity.name.clone() };
            let onclick = marks.on_click.reform(move |_| r.clone());
            let aliases = if entity.aliases.is_empty() {
                String::new()
            } else {
                format!("{}: {}", s.also, entity.aliases.join(", "))
            };
            html! {
                <button type="button" class="entity" data-entity-type={entity.kind.code()} data-entity={entity.name.clone()}
                    data-start={span.start.to_string()}
                    aria-label={ui.entity_mark_label(entity.kind, &entity.name, span.get(text).unwrap_or_default())} {onclick}>
                    { pieces }
                    <span class="tip" aria-hidden="true">
                        <span class="tip-type">{ ui.type_name(entity.kind) }</span>
                        <span class="tip-name">{ &entity.name }</span>
                        if !aliases.is_empty() {
                            <span class="tip-aliases">{ aliases }</span>
                        }
                    </span>
                </button>
            }
        })
        .collect()
}
