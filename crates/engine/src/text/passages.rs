//! Plain-text helpers shared by loading and display.

use crate::Span;

/// Longest derived title, in characters, before it is shortened at a word boundary.
const TITLE_MAX_CHARS: usize = 80;

/// A title for an article that has none: its first sentence, shortened at a word boundary with `…`.
///
/// ```
/// let body = "Putin berbicara pada Senin. Kalimat kedua.";
/// assert_eq!(sorot_engine::derive_title(body), "Putin berbicara pada Senin");
/// ```
pub fn derive_title(body: &str) -> String {
    let first_line = body.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let sentence = first_sentence(first_line);
    let sentence = sentence.trim_end_matches(['.', '!', '?', ' ']);
    if sentence.chars().count() <= TITLE_MAX_CHARS {
        return sentence.to_string();
    }
    // Cut at the last space that keeps the title within the limit, then drop trailing punctuation.
    let limit = sentence.char_indices().nth(TITLE_MAX_CHARS).map_or(sentence.len(), |(i, _)| i);
    let cut = sentence[..limit].rfind(char::is_whitespace).unwrap_or(limit);
    let short = sentence[..cut].trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-(“\"'".contains(c));
    format!("{short}…")
}

/// The first sentence of `line`: up to the first `.`, `!` or `?` that is followed by a space and an
/// upper-case letter or a quote. Numbers such as `2.500` and initials inside a word do not end it.
fn first_sentence(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &line[i + 1..];
        let Some(after_space) = rest.strip_prefix(' ') else {
            if rest.is_empty() {
                return line;
            }
            continue;
        };
        let next = after_space.chars().next();
        let starts_sentence = next.is_some_and(|n| n.is_uppercase() || "“\"‘'".contains(n));
        // A single capital before the dot is an initial ("H. Ahmad"), not a sentence end.
        let initial =
            i >= 1 && bytes[i - 1].is_ascii_uppercase() && (i == 1 || !bytes[i - 2].is_ascii_alphanumeric());
        if starts_sentence && !initial {
            return &line[..i + 1];
        }
    }
    line
}

/// The paragraphs of `body`: one span per non-blank line, trimmed of surrounding white space.
pub fn paragraphs(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            let start = offset + lead;
            out.push(Span::new(start, start + trimmed.len()));
        }
        offset += line.len();
    }
    out
}

/// The opening of `text` on one line, at most `max_chars` characters, cut at a word with `…`.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let end = text.char_indices().nth(max_chars).map_or(text.len(), |(i, _)| i);
    if end == text.len() {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    format!("{}…", text[..cut].split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Keyword in context: up to `width` characters of `text` on each side of `span`, cut at word
/// boundaries, on one line: `(left, keyword, right)`.
pub fn kwic(text: &str, span: Span, width: usize) -> (String, String, String) {
    let Some(keyword) = span.get(text) else { return (String::new(), String::new(), String::new()) };
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let before = &text[..span.start];
    let after = &text[span.end..];
    let mut left_start = before.char_indices().rev().nth(width.saturating_sub(1)).map_or(0, |(i, _)| i);
    if left_start > 0 {
        // Start at the next word.
        left_start = before[left_start..].find(char::is_whitespace).map_or(before.len(), |i| left_start + i);
    }
    let mut right_end = after.char_indices().nth(width).map_or(after.len(), |(i, _)| i);
    if right_end < after.len() {
        right_end = after[..right_end].rfind(char::is_whitespace).unwrap_or(right_end);
    }
    let mut left = flat(&before[left_start..]);
    let mut right = flat(&after[..right_end]);
    if before.ends_with(char::is_whitespace) && !left.is_empty() {
        left.push(' ');
    }
    if after.starts_with(char::is_whitespace) && !right.is_empty() {
        right.insert(0, ' ');
    }
    if left_start > 0 {
        left.insert(0, '…');
    }
    if right_end < after.len() {
        right.push('…');
    }
    (left, keyword.to_string(), right)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        body: &'static str,
        title: &'static str,
    }

    const TITLE_CASES: &[Case] = &[
        Case { name: "short sentence", body: "Putin tiba di Moskow. Lalu pergi.", title: "Putin tiba di Moskow" },
        Case { name: "thousands separator is not a sentence end", body: "Sebanyak 2.500 tentara tiba. Lalu pergi.", title: "Sebanyak 2.500 tentara tiba" },
        Case { name: "initial is not a sentence end", body: "Kata H. Ahmad kepada wartawan. Lalu pergi.", title: "Kata H. Ahmad kepada wartawan" },
        Case { name: "question", body: "Apa yang terjadi? Semua diam.", title: "Apa yang terjadi" },
        Case { name: "leading blank lines", body: "\n\n  Judul di sini\nIsi.", title: "Judul di sini" },
        Case { name: "empty", body: "", title: "" },
        Case {
            name: "long sentence cut at a word",
            body: "Unit militer pimpinan Moskow yang dikerahkan ke Kazakhstan untuk meredam kerusuhan anti-pemerintah terburuk dalam sejarah.",
            title: "Unit militer pimpinan Moskow yang dikerahkan ke Kazakhstan untuk meredam…",
        },
        Case { name: "one long word", body: "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", title: "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" },
    ];

    #[test]
    fn case_names_are_unique() {
        let mut names: Vec<_> = TITLE_CASES.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TITLE_CASES.len());
    }

    #[test]
    fn derived_titles() {
        for case in TITLE_CASES {
            assert_eq!(derive_title(case.body), case.title, "case: {}", case.name);
        }
    }

    #[test]
    fn excerpts() {
        assert_eq!(excerpt("Satu dua\ntiga empat", 100), "Satu dua tiga empat");
        assert_eq!(excerpt("Satu dua tiga empat", 12), "Satu dua…");
    }

    #[test]
    fn keyword_in_context() {
        let text = "kata juru bicara Kremlin Dmitry Peskov pada hari Senin.";
        let at = text.find("Dmitry Peskov").unwrap();
        let (l, k, r) = kwic(text, Span::new(at, at + "Dmitry Peskov".len()), 12);
        assert_eq!((l.as_str(), k.as_str(), r.as_str()), ("…Kremlin ", "Dmitry Peskov", " pada hari…"));
        let (l, _, r) = kwic(text, Span::new(0, 4), 100);
        assert_eq!((l.as_str(), r.as_str()), ("", " juru bicara Kremlin Dmitry Peskov pada hari Senin."));
    }

    #[test]
    fn paragraphs_are_trimmed_lines() {
        let body = "  satu \r\n\n dua\nTiga";
        let spans = paragraphs(body);
        let texts: Vec<_> = spans.iter().map(|s| s.get(body).unwrap()).collect();
        assert_eq!(texts, ["satu", "dua", "Tiga"]);
    }

    proptest::proptest! {
        #[test]
        fn title_and_paragraphs_never_panic(body in "\\PC{0,300}") {
            let title = derive_title(&body);
            proptest::prop_assert!(title.chars().count() <= TITLE_MAX_CHARS + 1);
            for span in paragraphs(&body) {
                proptest::prop_assert!(span.get(&body).is_some());
            }
        }
    }
}
