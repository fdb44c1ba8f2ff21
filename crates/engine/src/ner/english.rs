//! The rule-based tagger for English text: word lists, capitalisation and titles (the statistical
//! model is trained on Indonesian news only).

use super::gazetteer::{any_bit, begin_bit, inside_bit, unit_bit, Gazetteer, List};
use super::mention::{EntityType, Mention};
use super::tokens::{lower_hash, NerToken, Sentences};
use crate::Span;

/// Words that join the parts of a name (`Bank of America`, `Organization for …`).
const CONNECTORS: &[&str] = &["of", "for", "&", "de", "del", "da", "van", "von", "al", "bin", "la", "le"];

/// Capitalised words that do not start a name at the start of a sentence.
fn is_function_word(lower: &str) -> bool {
    crate::is_stopword(lower, "en")
        || matches!(
            lower,
            "but"
                | "and"
                | "or"
                | "the"
                | "a"
                | "an"
                | "in"
                | "on"
                | "at"
                | "after"
                | "before"
                | "when"
                | "while"
                | "this"
                | "that"
                | "these"
                | "those"
                | "it"
                | "its"
                | "he"
                | "she"
                | "they"
                | "we"
                | "i"
                | "there"
                | "here"
                | "some"
                | "many"
                | "most"
                | "more"
                | "as"
                | "if"
                | "so"
                | "yet"
                | "also"
                | "however"
                | "meanwhile"
                | "still"
                | "now"
                | "then"
                | "why"
                | "what"
                | "who"
                | "how"
                | "where"
                | "speaking"
                | "according"
                | "asked"
                | "despite"
                | "since"
                | "until"
        )
}

/// Verbs of saying: a capitalised run next to one is a person.
const PERSON_VERBS: &[&str] =
    &["said", "says", "told", "added", "wrote", "asked", "argued", "insisted", "stated"];

/// The mentions in an English text: runs of capitalised words, classified by the word lists, titles
/// and the words around them.
pub(super) fn tag(text: &str) -> Vec<Mention> {
    let gazetteer = Gazetteer::get();
    let mut out = Vec::new();
    let mut sentences = Sentences::new(text);
    let mut tokens = Vec::new();
    let mut hashes = Vec::new();
    let mut bits = Vec::new();
    while sentences.next_into(&mut tokens) {
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        hashes.clear();
        hashes.extend(words.iter().map(|w| lower_hash(w)));
        let capitalised: Vec<bool> = words.iter().map(|w| w.starts_with(char::is_uppercase)).collect();
        gazetteer.annotate(&hashes, &capitalised, &mut bits);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let is_cap = |i: usize| {
            let w = words[i];
            w.chars().next().is_some_and(char::is_uppercase) && bits[i] & any_bit(List::Calendar) == 0
        };
        // The first word of the sentence (after opening quotes and brackets).
        let first = words.iter().position(|w| w.chars().any(char::is_alphanumeric)).unwrap_or(0);
        let mut i = 0;
        while i < words.len() {
            if !is_cap(i) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < words.len() {
                if is_cap(j) {
                    j += 1;
                } else if CONNECTORS.contains(&lower[j].as_str()) && j + 1 < words.len() && is_cap(j + 1) {
                    j += 2;
                } else {
                    break;
                }
            }
            if let Some(m) = classify(text, &tokens, &words, &lower, &bits, i, j, i == first) {
                out.push(m);
            }
            i = j;
        }
    }
    out
}

/// Decides what the capitalised run `i..j` is, if anything.
#[allow(clippy::too_many_arguments)]
fn classify(
    text: &str,
    tokens: &[NerToken],
    words: &[&str],
    lower: &[String],
    bits: &[u32],
    mut i: usize,
    j: usize,
    sentence_start: bool,
) -> Option<Mention> {
    let mention = |i: usize, j: usize, kind, confidence| {
        // `Putin's` → `Putin`.
        let mut end = tokens[j - 1].end;
        let last = &text[tokens[j - 1].start..end];
        for suffix in ["'s", "’s"] {
            if last.len() > suffix.len() && last.ends_with(suffix) {
                end -= suffix.len();
            }
        }
        Some(Mention { span: Span::new(tokens[i].start, end), kind, confidence })
    };
    let whole = |list: List, i: usize, j: usize| {
        let starts = if j - i == 1 { unit_bit(list) } else { begin_bit(list) };
        bits[i] & starts != 0
            && bits[i + 1..j].iter().all(|b| b & inside_bit(list) != 0)
            && bits.get(j).is_none_or(|b| b & inside_bit(list) == 0)
    };
    if whole(List::Country, i, j) || whole(List::Place, i, j) {
        return mention(i, j, EntityType::Loc, 0.9);
    }
    if whole(List::Organisation, i, j) {
        return mention(i, j, EntityType::Org, 0.85);
    }
    if (i..j).any(|k| bits[k] & any_bit(List::OrgHead) != 0) {
        // `Foreign Ministry`, `Bank of Japan`, `Acme Corp.`: but not a lone head word at the start.
        if j - i > 1 || !sentence_start {
            return mention(i, j, EntityType::Org, 0.75);
        }
        return None;
    }
    // Titles inside the run: `President Joe Biden` → `Joe Biden`, and whatever qualifies the title
    // goes with it: `Russian President Vladimir Putin`, `Communications Minister Budi Arie Setiadi`.
    let mut titled = false;
    if let Some(k) = (i..j).rev().find(|&k| bits[k] & any_bit(List::PersonTitle) != 0) {
        i = k + 1;
        titled = true;
    }
    if i == j {
        return None;
    }
    let before = |k: usize| if k > 0 { bits[k - 1] } else { 0 };
    if titled || before(i) & any_bit(List::PersonTitle) != 0 {
        return mention(i, j, EntityType::Per, 0.8);
    }
    let single = j - i == 1;
    let word = words[i];
    let acronym = word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
    if sentence_start && single && (is_function_word(&lower[i]) || !acronym) {
        return None;
    }
    if sentence_start && is_function_word(&lower[i]) {
        return classify(text, tokens, words, lower, bits, i + 1, j, false);
    }
    if single && acronym {
        return mention(i, j, EntityType::Org, 0.6);
    }
    let next = lower.get(j).map(String::as_str).unwrap_or("");
    if PERSON_VERBS.contains(&next) || (i > 0 && PERSON_VERBS.contains(&lower[i - 1].as_str())) {
        return mention(i, j, EntityType::Per, 0.7);
    }
    if !single {
        return mention(i, j, EntityType::Per, 0.55);
    }
    let previous = if i > 0 { lower[i - 1].as_str() } else { "" };
    if matches!(previous, "in" | "from" | "to" | "near" | "across") {
        return mention(i, j, EntityType::Loc, 0.5);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::testing::{check_mentions, named, shipped};

    #[test]
    fn english_titles_are_not_part_of_names() {
        let text = "Russian President Vladimir Putin met Communications Minister Budi Arie Setiadi.";
        let names: Vec<&str> = tag(text).iter().map(|m| &text[m.span.start..m.span.end]).collect();
        assert_eq!(names, ["Vladimir Putin", "Budi Arie Setiadi"]);
    }

    #[test]
    fn english_fallback() {
        struct Case {
            name: &'static str,
            text: &'static str,
            expected: &'static [(&'static str, EntityType)],
        }
        use EntityType::*;
        let cases = [
            Case {
                name: "title, country, organisation",
                text: "President Joe Biden met officials from the Foreign Ministry in Kazakhstan on Monday.",
                expected: &[("Joe Biden", Per), ("Foreign Ministry", Org), ("Kazakhstan", Loc)],
            },
            Case {
                name: "spokesman and possessive",
                text: "Kremlin spokesman Dmitry Peskov said Putin's comments were clear.",
                expected: &[("Kremlin", Org), ("Dmitry Peskov", Per), ("Putin", Per)],
            },
            Case {
                name: "acronyms and companies",
                text: "The CSTO sent troops, while Google and Acme Corp. reported to the United Nations.",
                expected: &[("CSTO", Org), ("Google", Org), ("Acme Corp.", Org), ("United Nations", Org)],
            },
            Case {
                name: "sentence start is not a name",
                text: "However, the protests in Almaty continued.",
                expected: &[("Almaty", Loc)],
            },
            Case {
                name: "full name then surname",
                text: "Angela Merkel arrived in Berlin. Merkel said little.",
                expected: &[("Angela Merkel", Per), ("Berlin", Loc), ("Merkel", Per)],
            },
        ];
        for case in &cases {
            let mentions = shipped().tag(case.text, "en");
            check_mentions(case.text, &mentions);
            let got = named(case.text, &mentions);
            let expected: Vec<(String, EntityType)> =
                case.expected.iter().map(|(t, k)| (t.to_string(), *k)).collect();
            assert_eq!(got, expected, "{}", case.name);
        }
    }
}
