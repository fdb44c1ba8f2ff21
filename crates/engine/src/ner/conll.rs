//! CoNLL-style data: the gold sentences that training and evaluation read.
//!
//! Two layouts are read, one token a line and a blank line between sentences:
//!
//! ```text
//! Indonesia PROPN B-LOC        token, any middle columns, tag (space-separated; idner-news-2k)
//! Indonesia<TAB>B-PLACE        token<TAB>tag (NERGRIT)
//! ```
//!
//! Tags are normalised to `O`, `B-PER`, `I-PER`, `B-ORG`, `I-ORG`, `B-LOC`, `I-LOC`: NERGRIT's `PERSON`,
//! `ORGANISATION` and `PLACE` (and CoNLL's `LOCATION`, `ORGANIZATION`) map onto the three types, `MISC`
//! becomes `O`, BIOES prefixes become BIO, and an `I-` that cannot continue the entity before it opens
//! a new one (as `conlleval` reads it).

use std::fmt;

use super::mention::EntityType;
use crate::Span;

/// One sentence of a CoNLL file: its tokens and their BIO tags, one tag a token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaggedSentence {
    /// The tokens, as written in the file.
    pub tokens: Vec<String>,
    /// The normalised tags (`O`, `B-PER`, `I-LOC`, …), as many as there are tokens.
    pub tags: Vec<String>,
}

impl TaggedSentence {
    /// The sentence's entities as token ranges `start..end` with their type, in order.
    pub fn entities(&self) -> Vec<(std::ops::Range<usize>, EntityType)> {
        bio_entities(&self.tags)
    }

    /// The sentence as the evaluation tags it: the tokens joined by single spaces, with each token's
    /// byte span in that text.
    pub fn text(&self) -> (String, Vec<Span>) {
        let mut text = String::with_capacity(self.tokens.iter().map(|t| t.len() + 1).sum());
        let mut spans = Vec::with_capacity(self.tokens.len());
        for token in &self.tokens {
            if !text.is_empty() {
                text.push(' ');
            }
            spans.push(Span::new(text.len(), text.len() + token.len()));
            text.push_str(token);
        }
        (text, spans)
    }

    /// [`TaggedSentence::text`] with its gold entities as spans of that text.
    pub fn gold(&self) -> (String, Vec<(Span, EntityType)>) {
        let (text, spans) = self.text();
        let gold = self
            .entities()
            .into_iter()
            .map(|(range, kind)| (Span::new(spans[range.start].start, spans[range.end - 1].end), kind))
            .collect();
        (text, gold)
    }
}

/// Entities of a BIO tag sequence as token ranges; tags other than the seven normalised ones count as
/// `O`, and an `I-X` that does not follow `B-X`/`I-X` opens a new entity.
pub(crate) fn bio_entities<S: AsRef<str>>(tags: &[S]) -> Vec<(std::ops::Range<usize>, EntityType)> {
    let mut out: Vec<(std::ops::Range<usize>, EntityType)> = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let parsed = parse_bio(tag.as_ref());
        let continues =
            matches!((parsed, open), (Some((false, kind)), Some((_, current))) if kind == current);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            out.push((start..i, kind));
        }
        if let Some((_, kind)) = parsed {
            open = Some((i, kind));
        }
    }
    if let Some((start, kind)) = open {
        out.push((start..tags.len(), kind));
    }
    out
}

/// `B-PER` → `(true, Per)`, `I-LOC` → `(false, Loc)`, anything else → `None`.
fn parse_bio(tag: &str) -> Option<(bool, EntityType)> {
    let (begin, kind) = match tag.split_once('-')? {
        ("B", kind) => (true, kind),
        ("I", kind) => (false, kind),
        _ => return None,
    };
    let kind = match kind {
        "PER" => EntityType::Per,
        "ORG" => EntityType::Org,
        "LOC" => EntityType::Loc,
        _ => return None,
    };
    Some((begin, kind))
}

/// Why a CoNLL file could not be read: [`ConllError::line`] says where, [`ConllError::kind`] what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConllError {
    line: usize,
    kind: ConllErrorKind,
}

/// What is wrong with a CoNLL line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConllErrorKind {
    /// A line with a token but no tag column.
    MissingTag,
    /// A tag that is not `O` or `B-`/`I-` (or `E-`/`S-`) of a known type.
    UnknownTag(String),
}

impl ConllError {
    /// The 1-based number of the bad line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong with it.
    pub fn kind(&self) -> &ConllErrorKind {
        &self.kind
    }
}

impl fmt::Display for ConllError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ConllErrorKind::MissingTag => write!(
                f,
                "line {}: expected a token and a tag (`token TAG`, `token POS TAG` or `token<TAB>TAG`)",
                self.line
            ),
            ConllErrorKind::UnknownTag(tag) => write!(
                f,
                "line {}: unknown tag `{tag}` (expected O or B-/I- with PER, ORG, LOC, PERSON, ORGANISATION or PLACE)",
                self.line
            ),
        }
    }
}

impl std::error::Error for ConllError {}

/// Reads sentences from CoNLL text in either layout (see the module documentation).
///
/// Blank lines (also ones holding only whitespace) end sentences; CRLF line ends and `-DOCSTART-`
/// lines are accepted. The error names the first bad line.
///
/// ```
/// use sorot_engine::read_conll;
/// let sentences = read_conll("Presiden O\nJokowi B-PER\n\nDi\tO\nBandung\tB-PLACE\n").unwrap();
/// assert_eq!(sentences[1].tags, ["O", "B-LOC"]);
/// ```
pub fn read_conll(text: &str) -> Result<Vec<TaggedSentence>, ConllError> {
    let mut sentences = Vec::new();
    let mut current = TaggedSentence::default();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            if !current.tokens.is_empty() {
                sentences.push(repair_bio(std::mem::take(&mut current)));
            }
            continue;
        }
        let (token, tag) = if line.contains('\t') {
            let mut fields = line.split('\t').map(str::trim).filter(|f| !f.is_empty());
            let token = fields.next();
            (token, fields.next_back())
        } else {
            let mut fields = line.split_whitespace();
            let token = fields.next();
            (token, fields.next_back())
        };
        let (Some(token), Some(tag)) = (token, tag) else {
            return Err(ConllError { line: line_number, kind: ConllErrorKind::MissingTag });
        };
        let tag = normalize_tag(tag).ok_or_else(|| ConllError {
            line: line_number,
            kind: ConllErrorKind::UnknownTag(tag.to_string()),
        })?;
        current.tokens.push(token.to_string());
        current.tags.push(tag);
    }
    if !current.tokens.is_empty() {
        sentences.push(repair_bio(current));
    }
    Ok(sentences)
}

/// One tag in the normalised vocabulary, or `None` when it is not a tag at all.
fn normalize_tag(tag: &str) -> Option<String> {
    if tag == "O" {
        return Some("O".to_string());
    }
    let (prefix, kind) = tag.split_once('-')?;
    let prefix = match prefix {
        "B" | "S" => "B",
        "I" | "E" | "M" => "I",
        _ => return None,
    };
    let kind = match kind.to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => "PER",
        "ORG" | "ORGANISATION" | "ORGANIZATION" => "ORG",
        "LOC" | "LOCATION" | "PLACE" | "GPE" => "LOC",
        "MISC" => return Some("O".to_string()),
        _ => return None,
    };
    Some(format!("{prefix}-{kind}"))
}

/// Rewrites an `I-X` that does not continue an `X` entity as `B-X`.
fn repair_bio(mut sentence: TaggedSentence) -> TaggedSentence {
    let mut previous = String::from("O");
    for tag in &mut sentence.tags {
        if let Some(kind) = tag.strip_prefix("I-") {
            if previous.get(2..) != Some(kind) {
                *tag = format!("B-{kind}");
            }
        }
        previous.clone_from(tag);
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens and tags of each sentence, or the line of the error.
    type Expected = Result<Vec<(Vec<&'static str>, Vec<&'static str>)>, usize>;

    struct Case {
        name: &'static str,
        input: &'static str,
        expected: Expected,
    }

    #[test]
    fn read_conll_cases() {
        let cases = [
            Case {
                name: "idner layout",
                input:
                    "Presiden NOUN O\nJoko PROPN B-PER\nWidodo PROPN I-PER\n\nDi ADP O\nBandung PROPN B-LOC\n",
                expected: Ok(vec![
                    (vec!["Presiden", "Joko", "Widodo"], vec!["O", "B-PER", "I-PER"]),
                    (vec!["Di", "Bandung"], vec!["O", "B-LOC"]),
                ]),
            },
            Case {
                name: "nergrit layout with its type names",
                input:
                    "Mahkamah\tB-ORGANISATION\nAgung\tI-ORGANISATION\ndi\tO\nBali\tB-PLACE\nAni\tB-PERSON\n",
                expected: Ok(vec![(
                    vec!["Mahkamah", "Agung", "di", "Bali", "Ani"],
                    vec!["B-ORG", "I-ORG", "O", "B-LOC", "B-PER"],
                )]),
            },
            Case {
                name: "crlf, whitespace-only blank lines, docstart",
                input: "-DOCSTART- -X- O\r\n\r\nA O\r\nB B-LOC\r\n  \t \r\nC O\r\n",
                expected: Ok(vec![(vec!["A", "B"], vec!["O", "B-LOC"]), (vec!["C"], vec!["O"])]),
            },
            Case {
                name: "stray I- opens an entity; I- of another type too",
                input: "a O\nb I-ORG\nc I-LOC\nd I-LOC\n",
                expected: Ok(vec![(vec!["a", "b", "c", "d"], vec!["O", "B-ORG", "B-LOC", "I-LOC"])]),
            },
            Case {
                name: "bioes and misc",
                input: "a S-PER\nb B-ORG\nc E-ORG\nd B-MISC\n",
                expected: Ok(vec![(vec!["a", "b", "c", "d"], vec!["B-PER", "B-ORG", "I-ORG", "O"])]),
            },
            Case { name: "empty input", input: "", expected: Ok(vec![]) },
            Case { name: "missing tag names the line", input: "a O\n\nb O\nlonely\n", expected: Err(4) },
            Case { name: "unknown tag names the line", input: "a O\nb B-FOOD\n", expected: Err(2) },
            Case { name: "tab layout with no tag", input: "a\tO\nb\t\n", expected: Err(2) },
        ];
        let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cases.len(), "case names must be unique");
        for case in &cases {
            let got = read_conll(case.input);
            match (&got, &case.expected) {
                (Ok(sentences), Ok(expected)) => {
                    let got: Vec<(Vec<&str>, Vec<&str>)> = sentences
                        .iter()
                        .map(|s| {
                            (
                                s.tokens.iter().map(String::as_str).collect(),
                                s.tags.iter().map(String::as_str).collect(),
                            )
                        })
                        .collect();
                    assert_eq!(&got, expected, "{}", case.name);
                }
                (Err(e), Err(line)) => {
                    assert_eq!(e.line(), *line, "{}", case.name);
                    assert!(e.to_string().starts_with(&format!("line {line}: ")), "{}: {e}", case.name);
                }
                _ => panic!("{}: got {got:?}", case.name),
            }
        }
    }

    #[test]
    fn entities_and_text_spans() {
        let sentence =
            read_conll("Kata O\nJoko B-PER\nWidodo I-PER\ndi O\nJawa B-LOC\nBarat I-LOC\nDPR B-ORG\n")
                .unwrap()
                .remove(0);
        let (text, spans) = sentence.text();
        assert_eq!(text, "Kata Joko Widodo di Jawa Barat DPR");
        let named: Vec<(&str, EntityType)> = sentence
            .entities()
            .into_iter()
            .map(|(r, k)| (&text[spans[r.start].start..spans[r.end - 1].end], k))
            .collect();
        assert_eq!(
            named,
            [("Joko Widodo", EntityType::Per), ("Jawa Barat", EntityType::Loc), ("DPR", EntityType::Org)]
        );
    }
}
