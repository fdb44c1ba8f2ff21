//! Text with `<mark>`s and entity marks, built as DOM nodes from spans (never from HTML).

use sorot_engine::{cut, Span};
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::url::EntityRef;
use crate::view::EntityLabel;

/// Entity mentions to mark in a text, and what a click on one does.
#[derive(Clone, PartialEq)]
pub struct EntityMarks<'a> {
    /// `(span, entity)` in text order.
    pub mentions: &'a [(Span, EntityLabel)],
    /// Filters by the clicked entity.
    pub on_click: Callback<EntityRef>,
}

/// A stretch of text to show with its marks.
pub struct Marked<'a> {
    /// The whole text the spans refer to.
    pub text: &'a str,
    /// The part shown.
    pub range: Span,
    /// The search's matches, numbered by their index here (`data-hit`).
    pub highlights: &'a [Span],
    /// The match that gets the class `current`.
    pub current: Option<usize>,
    /// Entity mentions to mark, if any.
    pub entities: Option<&'a EntityMarks<'a>>,
}

impl<'a> Marked<'a> {
    /// All of `text` with its highlights, no current one and no entity marks.
    pub fn whole(text: &'a str, highlights: &'a [Span]) -> Marked<'a> {
        Marked { text, range: Span::new(0, text.len()), highlights, current: None, entities: None }
    }

    /// The nodes, in interface language `ui` (entity marks' labels and tips).
    pub fn render(&self, ui: UiLang) -> Html {
        let Marked { text, range, highlights, current, entities } = *self;
        let mention_spans: Vec<Span> =
            entities.map(|e| e.mentions.iter().map(|(s, _)| *s).collect()).unwrap_or_default();
        let s = ui.strings();
        cut(range, highlights, &mention_spans)
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
                    let (span, label) = marks.mentions.get(m)?;
                    Some((*span, label, marks))
                });
                let Some((span, label, marks)) = mention else { return pieces };
                let entity = &label.entity;
                let r = entity.clone();
                let onclick = marks.on_click.reform(move |_| r.clone());
                let aliases = if label.aliases.is_empty() {
                    String::new()
                } else {
                    format!("{}: {}", s.also, label.aliases.join(", "))
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
}
