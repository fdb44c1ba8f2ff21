//! The query language, parsed leniently: a malformed query still searches, and says what it fixed.
//!
//! | syntax | meaning |
//! |---|---|
//! | `kerusuhan kazakhstan` | articles with all the words (stems, prefixes of the last word and typos included) |
//! | `"revolusi warna"` | the words next to each other, in order |
//! | `-putin`, `-"revolusi warna"` | articles without the word or phrase |
//! | `rusia OR belarus` | either word |
//! | `title:kremlin`, `body:kremlin` | the word in the title (or body) only |
//! | `toka*` | words starting with `toka` |
//! | `person:"Vladimir Putin"`, `org:CSTO`, `place:kazakhstan` | entity filters (with the entity index) |

use serde::Serialize;

use crate::{EntityType, Span};

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Groups that must all match; inside a group, any alternative may (`a OR b`).
    pub groups: Vec<Vec<Clause>>,
    /// Clauses no result may match (`-word`).
    pub excluded: Vec<Clause>,
    /// What was odd about the query and how it was read.
    pub warnings: Vec<QueryWarning>,
}

/// Which part of an article a clause looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// Title and body.
    Any,
    /// The title only.
    Title,
    /// The body only.
    Body,
}

/// The field name that filters by entities of a kind in the query language: `person`, `org` or
/// `place` (how queries and score labels write it).
pub fn entity_field(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Per => "person",
        EntityType::Org => "org",
        EntityType::Loc => "place",
    }
}

/// Serialises an entity kind as its query field (`"person"`), as the JSON of warnings has it.
fn serialize_field<S: serde::Serializer>(kind: &EntityType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(entity_field(*kind))
}

/// One thing to look for.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// Where the clause is in the query text.
    pub span: Span,
    /// Where to look.
    pub field: Field,
    /// What to look for.
    pub kind: ClauseKind,
}

/// What a clause looks for.
#[derive(Clone, Debug, PartialEq)]
pub enum ClauseKind {
    /// One word (already normalised); `prefix` when written `word*`.
    Word {
        /// The normalised word.
        term: String,
        /// Match words that start with `term`.
        prefix: bool,
    },
    /// Words in a row (normalised). A hyphenated word such as `Jomart-Tokayev` is a phrase too.
    Phrase(Vec<String>),
    /// An entity filter.
    Entity {
        /// What kind of entity (`person:`, `org:` or `place:`).
        kind: EntityType,
        /// The name as written.
        name: String,
    },
}

impl Clause {
    /// A short label for score breakdowns: the word, or the phrase in quotes.
    pub fn label(&self) -> String {
        let base = match &self.kind {
            ClauseKind::Word { term, prefix: true } => format!("{term}*"),
            ClauseKind::Word { term, .. } => term.clone(),
            ClauseKind::Phrase(words) => format!("\"{}\"", words.join(" ")),
            ClauseKind::Entity { kind, name } => format!("{}:{name}", entity_field(*kind)).to_lowercase(),
        };
        match self.field {
            Field::Any => base,
            Field::Title => format!("title:{base}"),
            Field::Body => format!("body:{base}"),
        }
    }
}

/// Something the parser had to fix or ignore, with where it is in the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueryWarning {
    /// What happened, for interfaces that word it themselves (in another language, say).
    pub kind: WarningKind,
    /// What the user should know, in English words.
    pub message: String,
    /// The part of the query it is about (UTF-8 bytes).
    pub span: Span,
}

/// The kinds of query warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WarningKind {
    /// A quote was not closed; it was closed at the end.
    UnclosedQuote,
    /// A `-` with nothing after it.
    LoneMinus,
    /// `OR` without a word on each side.
    DanglingOr,
    /// `""`.
    EmptyPhrase,
    /// `name:` that is not a field.
    UnknownField {
        /// The name before the colon.
        name: String,
    },
    /// `person:` (etc.) with no name.
    EmptyEntityName,
    /// No article had all the words; the results have any of them.
    AnyWordFallback,
    /// The corpus has no entities, so entity filters match nothing.
    NoEntityIndex,
    /// No entity of that kind has that name.
    UnknownEntity {
        /// What kind of entity (serialised as its query field, `"person"`).
        #[serde(serialize_with = "serialize_field")]
        kind: EntityType,
        /// The name as written.
        name: String,
    },
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WarningKind::UnclosedQuote => write!(f, "a quote is not closed; it was closed at the end of the query"),
            WarningKind::LoneMinus => {
                write!(f, "a lone `-` excludes nothing; write it right before a word, e.g. -putin")
            }
            WarningKind::DanglingOr => write!(f, "OR needs a word on each side; it was ignored"),
            WarningKind::EmptyPhrase => write!(f, "an empty phrase was ignored"),
            WarningKind::UnknownField { name } => write!(
                f,
                "`{name}:` is not a field (use title:, body:, person:, org: or place:); searching for the words"
            ),
            WarningKind::EmptyEntityName => write!(f, "an entity filter needs a name"),
            WarningKind::AnyWordFallback => {
                write!(f, "no article has all the words; showing articles with any of them")
            }
            WarningKind::NoEntityIndex => {
                write!(f, "this corpus has no entity index, so entity filters match nothing")
            }
            WarningKind::UnknownEntity { kind, name } => {
                let word = match kind {
                    EntityType::Per => "person",
                    EntityType::Org => "organisation",
                    EntityType::Loc => "place",
                };
                write!(f, "no {word} called “{name}” in this corpus")
            }
        }
    }
}

impl QueryWarning {
    /// A warning of `kind` about `span` of the query.
    pub fn new(kind: WarningKind, span: Span) -> QueryWarning {
        QueryWarning { message: kind.to_string(), kind, span }
    }
}

#[derive(Debug)]
enum Piece {
    Or(Span),
    Clause { negated: bool, clause: Clause },
}

/// Parses `text`. Never fails: problems become [`QueryWarning`]s.
pub fn parse_query(text: &str) -> Query {
    let mut warnings = Vec::new();
    let pieces = split_pieces(text, &mut warnings);
    let mut query = Query::default();
    let mut pending_or: Option<Span> = None;
    let mut last_was_positive = false;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Or(span) => {
                let next_is_positive =
                    matches!(pieces.get(i + 1), Some(Piece::Clause { negated: false, .. }));
                if !last_was_positive || !next_is_positive || pending_or.is_some() {
                    warnings.push(QueryWarning::new(WarningKind::DanglingOr, *span));
                } else {
                    pending_or = Some(*span);
                }
            }
            Piece::Clause { negated: true, clause } => {
                query.excluded.push(clause.clone());
                last_was_positive = false;
            }
            Piece::Clause { negated: false, clause } => {
                match (pending_or.take(), query.groups.last_mut()) {
                    (Some(_), Some(group)) => group.push(clause.clone()),
                    _ => query.groups.push(vec![clause.clone()]),
                }
                last_was_positive = true;
            }
        }
    }
    query.warnings = warnings;
    query
}

/// Splits the query into clauses and `OR`s, reading quotes, `-`, `field:` and `*`.
fn split_pieces(text: &str, warnings: &mut Vec<QueryWarning>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut negated = false;
        if c == '-' {
            negated = true;
            i += 1;
            let next = text[i..].chars().next();
            if next.is_none_or(char::is_whitespace) {
                warnings.push(QueryWarning::new(WarningKind::LoneMinus, Span::new(start, i)));
                continue;
            }
        }
        // An optional `field:` prefix.
        let mut field = Field::Any;
        let mut entity = None;
        let word_end = text[i..].find(|c: char| c.is_whitespace() || c == '"').map_or(text.len(), |e| i + e);
        if let Some(colon) = text[i..word_end].find(':') {
            let name = &text[i..i + colon];
            let known = match name.to_ascii_lowercase().as_str() {
                "title" | "judul" => Some((Field::Title, None)),
                "body" | "isi" => Some((Field::Body, None)),
                "person" | "orang" | "per" => Some((Field::Any, Some(EntityType::Per))),
                "org" | "organisasi" => Some((Field::Any, Some(EntityType::Org))),
                "place" | "tempat" | "loc" => Some((Field::Any, Some(EntityType::Loc))),
                _ => None,
            };
            if let Some((f, e)) = known {
                field = f;
                entity = e;
                i += colon + 1;
            } else if !name.is_empty() && name.chars().all(char::is_alphabetic) {
                let kind = WarningKind::UnknownField { name: name.to_string() };
                warnings.push(QueryWarning::new(kind, Span::new(i, i + colon + 1)));
            }
        }
        // The clause body: a quoted phrase or a bare word.
        let (raw, raw_span, quoted) = if bytes.get(i) == Some(&b'"') {
            let open = i;
            match text[i + 1..].find('"') {
                Some(close) => {
                    i = i + 1 + close + 1;
                    (&text[open + 1..i - 1], Span::new(open, i), true)
                }
                None => {
                    warnings.push(QueryWarning::new(WarningKind::UnclosedQuote, Span::new(open, text.len())));
                    i = text.len();
                    (&text[open + 1..], Span::new(open, text.len()), true)
                }
            }
        } else {
            let end = text[i..].find(char::is_whitespace).map_or(text.len(), |e| i + e);
            let word = &text[i..end];
            let span = Span::new(i, end);
            i = end;
            (word, span, false)
        };
        let span = Span::new(start, raw_span.end);
        if !negated && !quoted && field == Field::Any && entity.is_none() && raw == "OR" {
            pieces.push(Piece::Or(span));
            continue;
        }
        if let Some(kind) = entity {
            let name = raw.trim().to_string();
            if name.is_empty() {
                warnings.push(QueryWarning::new(WarningKind::EmptyEntityName, span));
            } else {
                let clause = Clause { span, field, kind: ClauseKind::Entity { kind, name } };
                pieces.push(Piece::Clause { negated, clause });
            }
            continue;
        }
        let (raw, prefix) = match raw.strip_suffix('*') {
            Some(stem) if !quoted => (stem, true),
            _ => (raw, false),
        };
        let words: Vec<String> = crate::tokenize(raw).into_iter().map(|t| t.term).collect();
        let kind = match (words.len(), quoted) {
            (0, _) => {
                if quoted {
                    warnings.push(QueryWarning::new(WarningKind::EmptyPhrase, span));
                }
                continue;
            }
            (1, _) => ClauseKind::Word { term: words.into_iter().next().unwrap_or_default(), prefix },
            _ => ClauseKind::Phrase(words),
        };
        pieces.push(Piece::Clause { negated, clause: Clause { span, field, kind } });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(term: &str) -> ClauseKind {
        ClauseKind::Word { term: term.into(), prefix: false }
    }

    fn kinds(groups: &[Vec<Clause>]) -> Vec<Vec<ClauseKind>> {
        groups.iter().map(|g| g.iter().map(|c| c.kind.clone()).collect()).collect()
    }

    #[test]
    fn all_words() {
        let q = parse_query("Kerusuhan  KAZAKHSTAN");
        assert_eq!(kinds(&q.groups), vec![vec![word("kerusuhan")], vec![word("kazakhstan")]]);
        assert!(q.warnings.is_empty());
    }

    #[test]
    fn phrases_exclusions_or_fields_prefixes() {
        let q = parse_query(r#""revolusi warna" -putin -"uni soviet" rusia OR belarus title:kremlin toka*"#);
        assert_eq!(
            kinds(&q.groups),
            vec![
                vec![ClauseKind::Phrase(vec!["revolusi".into(), "warna".into()])],
                vec![word("rusia"), word("belarus")],
                vec![word("kremlin")],
                vec![ClauseKind::Word { term: "toka".into(), prefix: true }],
            ]
        );
        assert_eq!(q.groups[2][0].field, Field::Title);
        let excluded: Vec<_> = q.excluded.iter().map(|c| c.kind.clone()).collect();
        assert_eq!(excluded, vec![word("putin"), ClauseKind::Phrase(vec!["uni".into(), "soviet".into()])]);
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
    }

    #[test]
    fn hyphenated_word_is_a_phrase() {
        let q = parse_query("Jomart-Tokayev");
        assert_eq!(kinds(&q.groups), vec![vec![ClauseKind::Phrase(vec!["jomart".into(), "tokayev".into()])]]);
    }

    #[test]
    fn entity_filters() {
        let q = parse_query(r#"person:"Vladimir Putin" -org:CSTO"#);
        assert_eq!(
            kinds(&q.groups),
            vec![vec![ClauseKind::Entity { kind: EntityType::Per, name: "Vladimir Putin".into() }]]
        );
        assert_eq!(q.excluded[0].kind, ClauseKind::Entity { kind: EntityType::Org, name: "CSTO".into() });
    }

    struct Case {
        name: &'static str,
        query: &'static str,
        warning_span: (usize, usize),
        groups: usize,
    }

    const MALFORMED: &[Case] = &[
        Case { name: "unbalanced quote", query: "putin \"revolusi warna", warning_span: (6, 21), groups: 2 },
        Case { name: "lone dash", query: "putin - rusia", warning_span: (6, 7), groups: 2 },
        Case { name: "or at the end", query: "putin OR", warning_span: (6, 8), groups: 1 },
        Case { name: "or at the start", query: "OR putin", warning_span: (0, 2), groups: 1 },
        Case { name: "double or", query: "a OR OR b", warning_span: (2, 4), groups: 1 },
        Case { name: "empty phrase", query: "\"\" putin", warning_span: (0, 2), groups: 1 },
        Case { name: "unknown field", query: "foo:bar", warning_span: (0, 4), groups: 1 },
    ];

    #[test]
    fn malformed_queries_warn_with_the_span() {
        let names: std::collections::HashSet<_> = MALFORMED.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), MALFORMED.len());
        for case in MALFORMED {
            let q = parse_query(case.query);
            assert_eq!(q.warnings.len(), 1, "case {}: {:?}", case.name, q.warnings);
            let span = q.warnings[0].span;
            assert_eq!((span.start, span.end), case.warning_span, "case {}", case.name);
            assert_eq!(q.groups.len(), case.groups, "case {}: {:?}", case.name, q.groups);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_fit(text in "[ a-zA-Z\"*:()\\-ÄéОR’]{0,40}|\\PC{0,40}") {
            let q = parse_query(&text);
            for w in &q.warnings {
                proptest::prop_assert!(w.span.get(&text).is_some());
            }
            for c in q.groups.iter().flatten().chain(&q.excluded) {
                proptest::prop_assert!(c.span.get(&text).is_some());
            }
        }
    }
}
