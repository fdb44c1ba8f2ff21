//! Text analysis shared by indexing, querying and highlighting: one tokenizer, one normaliser.
//!
//! Words are found with Unicode word boundaries (UAX #29), then normalised: NFKC, lower case, diacritics
//! removed (`é` → `e`), Indonesian/English thousands separators dropped (`2.500` → `2500`). Hyphens and
//! typographic quotes separate words, so `Jomart-Tokayev` is two tokens (`jomart`, `tokayev`) that a
//! phrase query finds together, and `kota-kota` is `kota` twice.

use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::Span;

/// One word of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the word is in the text (UTF-8 bytes).
    pub span: Span,
    /// The normalised form that is indexed and matched.
    pub term: String,
    /// The word's number in its text, counting from 0 (for phrases).
    pub pos: u32,
    /// True when the word starts with an upper-case letter.
    pub capitalized: bool,
    /// True when the word opens a sentence or paragraph (its capital says nothing about names).
    pub sentence_start: bool,
}

/// The words of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_word(text, |start, piece| {
        let term = normalize(piece);
        if term.is_empty() {
            return;
        }
        out.push(Token {
            span: Span::new(start, start + piece.len()),
            capitalized: piece.chars().next().is_some_and(char::is_uppercase),
            sentence_start: opens_sentence(text, start),
            term,
            pos: out.len() as u32,
        });
    });
    out
}

/// True where a white-space byte meets a non-space ASCII byte (`p` is the second's offset, at least 1):
/// UAX #29 always breaks there and no rule looks across, so the text either side can be read for words
/// on its own.
pub(crate) fn is_cut(bytes: &[u8], p: usize) -> bool {
    let b = bytes[p];
    b.is_ascii() && !b.is_ascii_whitespace() && bytes[p - 1].is_ascii_whitespace()
}

/// Calls `f` with the byte offset and surface text of each word of `text` (before normalisation; a
/// word whose normal form is empty is still passed), in order.
///
/// Words are UAX #29 word segments with a letter or digit, split at typographic quotes. The text is cut
/// where a white-space byte meets a non-space ASCII byte: UAX #29 always breaks there and no rule
/// looks across it. Stretches of plain ASCII between such cuts are segmented by a byte scan of the
/// rules that apply to ASCII (WB5–WB13b), the rest by `unicode-segmentation`; both give the same
/// words (see the tests).
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(usize, &str)) {
    let bytes = text.as_bytes();
    let is_cut = |p: usize| is_cut(bytes, p);
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(wide) = first_non_ascii(&bytes[pos..]).map(|i| pos + i) else {
            ascii_words(text, pos, bytes.len(), &mut f);
            return;
        };
        let from = (pos + 1..wide).rev().find(|&p| is_cut(p)).unwrap_or(pos);
        let to = (wide + 1..bytes.len()).find(|&p| is_cut(p)).unwrap_or(bytes.len());
        ascii_words(text, pos, from, &mut f);
        for (offset, segment) in text[from..to].split_word_bound_indices() {
            let offset = from + offset;
            if segment.is_ascii() {
                if segment.bytes().any(|b| b.is_ascii_alphanumeric()) {
                    f(offset, segment);
                }
                continue;
            }
            // UAX #29 keeps `Jum’at` together; typographic quotes are punctuation here.
            let mut piece_start = 0;
            let ends = segment.char_indices().filter(|(_, c)| is_quote(*c)).chain([(segment.len(), ' ')]);
            for (end, sep) in ends {
                let piece = &segment[piece_start..end];
                if piece.chars().any(char::is_alphanumeric) {
                    f(offset + piece_start, piece);
                }
                piece_start = end + sep.len_utf8();
            }
        }
        pos = to;
    }
}

/// The offset of the first byte of `bytes` that is not ASCII (eight at a time).
pub(crate) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|b| !b.is_ascii()).map(|i| at + i)
}

/// Word break classes of ASCII bytes (UAX #29), as far as the rules joining words need them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Letter,
    Digit,
    /// `_` (ExtendNumLet).
    Connector,
    /// `:` (MidLetter): joins letters.
    MidLetter,
    /// `.` and `'` (MidNumLet, Single_Quote): join letters or digits.
    MidNumLet,
    /// `,` and `;` (MidNum): join digits.
    MidNum,
    Other,
}

/// The class of each ASCII byte.
const ASCII_CLASSES: [Ascii; 128] = {
    let mut classes = [Ascii::Other; 128];
    let mut b = 0;
    while b < 128 {
        classes[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Ascii::Letter,
            b'0'..=b'9' => Ascii::Digit,
            b'_' => Ascii::Connector,
            b':' => Ascii::MidLetter,
            b'.' | b'\'' => Ascii::MidNumLet,
            b',' | b';' => Ascii::MidNum,
            _ => Ascii::Other,
        };
        b += 1;
    }
    classes
};

/// The words of `text[from..to]`, which is ASCII and starts and ends at cuts (see [`for_each_word`]).
fn ascii_words(text: &str, from: usize, to: usize, f: &mut impl FnMut(usize, &str)) {
    use Ascii::*;
    let bytes = &text.as_bytes()[..to];
    let class = |i: usize| bytes.get(i).map_or(Other, |&b| ASCII_CLASSES[usize::from(b & 0x7f)]);
    let mut i = from;
    while i < to {
        let first = class(i);
        if !matches!(first, Letter | Digit | Connector) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            let joined = match (class(i), class(i + 1)) {
                // WB5, WB8, WB9, WB10, WB13a, WB13b
                (Letter | Digit | Connector, Letter | Digit | Connector) => 1,
                // WB6, WB7
                (Letter, MidLetter | MidNumLet) if class(i + 2) == Letter => 2,
                // WB11, WB12
                (Digit, MidNum | MidNumLet) if class(i + 2) == Digit => 2,
                _ => 0,
            };
            if joined == 0 {
                break;
            }
            i += joined;
        }
        i += 1;
        let word = &text[start..i];
        if first != Connector || word.bytes().any(|b| b.is_ascii_alphanumeric()) {
            f(start, word);
        }
    }
}

/// The normalised form of one word: NFKC, lower case, no diacritics, no thousands separators.
pub fn normalize(word: &str) -> String {
    if word.is_ascii() {
        // Nothing to compose, decompose or strip: the common case, kept fast.
        return strip_thousands(word.to_ascii_lowercase());
    }
    strip_thousands(crate::text::fold::fold_word(word))
}

/// `2.500` / `2,500` / `1.250.000` → digits only; anything else unchanged.
fn strip_thousands(term: String) -> String {
    if !term.starts_with(|c: char| c.is_ascii_digit()) {
        return term;
    }
    for sep in ['.', ','] {
        let mut groups = term.split(sep);
        let Some(first) = groups.next() else { continue };
        let rest: Vec<&str> = groups.collect();
        let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
        let rest_ok =
            !rest.is_empty() && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if first_ok && rest_ok {
            return term.chars().filter(char::is_ascii_digit).collect();
        }
    }
    term
}

fn is_quote(c: char) -> bool {
    matches!(c, '‘' | '’' | '‛' | '`')
}

/// True when nothing but white space, opening quotes or brackets stands between the start of the
/// text, a line break, or a sentence-ending mark and `at`.
fn opens_sentence(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        match c {
            '\n' | '.' | '!' | '?' | '…' | ':' => return true,
            c if c.is_whitespace() => continue,
            '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '–' | '—' | '-' => continue,
            _ => return false,
        }
    }
    true
}

/// True when `term` (normalised) is a stopword of the language `lang` (`id` or `en`).
pub fn is_stopword(term: &str, lang: &str) -> bool {
    // Sorted lists searched by halves: no hash table compiled into the wasm for them.
    static ID: OnceLock<Vec<&'static str>> = OnceLock::new();
    static EN: OnceLock<Vec<&'static str>> = OnceLock::new();
    let sorted = |text: &'static str| {
        let mut words: Vec<&'static str> = text.lines().collect();
        crate::order::sort_by(&mut words, |a, b| a.cmp(b));
        words
    };
    let list = match lang {
        "id" => ID.get_or_init(|| sorted(include_str!("../../data/stopwords/id.txt"))),
        "en" => EN.get_or_init(|| sorted(include_str!("../../data/stopwords/en.txt"))),
        _ => return false,
    };
    list.binary_search(&term).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.term).collect()
    }

    struct Case {
        name: &'static str,
        input: &'static str,
        expected: &'static [&'static str],
    }

    const CASES: &[Case] = &[
        Case { name: "case folding", input: "PUTIN Putin putin", expected: &["putin", "putin", "putin"] },
        Case {
            name: "hyphenated name",
            input: "Kassym Jomart-Tokayev",
            expected: &["kassym", "jomart", "tokayev"],
        },
        Case {
            name: "reduplication",
            input: "kota-kota anak-anak",
            expected: &["kota", "kota", "anak", "anak"],
        },
        Case {
            name: "thousands dot",
            input: "2.500 tentara dan 8.000 orang",
            expected: &["2500", "tentara", "dan", "8000", "orang"],
        },
        Case { name: "millions", input: "Rp1.250.000", expected: &["rp1.250.000"] },
        Case { name: "plain millions", input: "1.250.000", expected: &["1250000"] },
        Case { name: "english thousands", input: "2,500 troops", expected: &["2500", "troops"] },
        Case { name: "decimal stays", input: "2,5 persen", expected: &["2,5", "persen"] },
        Case { name: "diacritics", input: "café Éric naïve", expected: &["cafe", "eric", "naive"] },
        Case {
            name: "typographic quotes",
            input: "“revolusi warna” Jum’at",
            expected: &["revolusi", "warna", "jum", "at"],
        },
        Case {
            name: "dashes and ellipsis",
            input: "Kazakhstan – pengulangan … termasuk",
            expected: &["kazakhstan", "pengulangan", "termasuk"],
        },
        Case { name: "nfkc ligature and fullwidth", input: "ﬁle ＡＢＣ", expected: &["file", "abc"] },
        Case { name: "no words", input: "!!! … — ??", expected: &[] },
    ];

    #[test]
    fn case_names_are_unique() {
        let names: std::collections::HashSet<_> = CASES.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), CASES.len());
    }

    #[test]
    fn tokenizer_cases() {
        for case in CASES {
            assert_eq!(terms(case.input), case.expected, "case: {}", case.name);
        }
    }

    #[test]
    fn spans_point_at_the_surface_words() {
        let text = "Presiden “Kassym Jomart-Tokayev” berkata.";
        let surfaces: Vec<&str> = tokenize(text).iter().map(|t| t.span.get(text).unwrap()).collect();
        assert_eq!(surfaces, ["Presiden", "Kassym", "Jomart", "Tokayev", "berkata"]);
    }

    #[test]
    fn sentence_starts_and_capitals() {
        let tokens = tokenize("Kata Putin. “Kami datang,” kata Peskov.\nKremlin diam.");
        let flags: Vec<(&str, bool, bool)> =
            tokens.iter().map(|t| (t.term.as_str(), t.capitalized, t.sentence_start)).collect();
        assert_eq!(
            flags,
            [
                ("kata", true, true),
                ("putin", true, false),
                ("kami", true, true),
                ("datang", false, false),
                ("kata", false, false),
                ("peskov", true, false),
                ("kremlin", true, true),
                ("diam", false, false),
            ]
        );
    }

    #[test]
    fn stopwords() {
        assert!(is_stopword("yang", "id"));
        assert!(is_stopword("the", "en"));
        assert!(!is_stopword("kerusuhan", "id"));
        assert!(!is_stopword("yang", "xx"));
    }

    /// The words of `text` as `unicode-segmentation` alone finds them (what [`for_each_word`] must
    /// equal).
    fn reference_words(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (offset, segment) in text.split_word_bound_indices() {
            let mut piece_start = 0;
            let ends = segment.char_indices().filter(|(_, c)| is_quote(*c)).chain([(segment.len(), ' ')]);
            for (end, sep) in ends {
                let piece = &segment[piece_start..end];
                if piece.chars().any(char::is_alphanumeric) {
                    out.push((offset + piece_start, piece.to_string()));
                }
                piece_start = end + sep.len_utf8();
            }
        }
        out
    }

    fn words(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_word(text, |start, piece| out.push((start, piece.to_string())));
        out
    }

    #[test]
    fn words_agree_with_uax29_on_every_short_string() {
        // Every string of up to 4 of these: letters, digits, each joining or breaking ASCII class, and
        // a few others (a letter, a typographic quote, a combining mark, a no-break space).
        let alphabet: Vec<char> = "a1_.:',; \n\r\t-\"`é’\u{301}\u{a0}".chars().collect();
        let mut text = String::new();
        for len in 1..=4u32 {
            for mut n in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(words(&text), reference_words(&text), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_agree_with_uax29(text in "([a-zA-Z0-9_.:',;\"`\\- \t\r\n]|[“”‘’é\u{301}\u{200d}\u{a0}\u{85}\u{93e}\u{5d0}\u{30a2}\u{1f1ee}😀]){0,40}") {
            proptest::prop_assert_eq!(words(&text), reference_words(&text));
        }

        #[test]
        fn words_agree_with_uax29_on_any_text(text in "\\PC{0,60}") {
            proptest::prop_assert_eq!(words(&text), reference_words(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_are_on_char_boundaries(text in "\\PC{0,200}") {
            let mut last_end = 0;
            for token in tokenize(&text) {
                proptest::prop_assert!(token.span.get(&text).is_some());
                proptest::prop_assert!(token.span.start >= last_end);
                proptest::prop_assert!(!token.term.is_empty());
                last_end = token.span.end;
            }
        }
    }
}
