//! Scraping residue in snippets: how often what a search shows is the scraper's leftovers rather than
//! the article.
//!
//! Sorot indexes and shows article text as it is given (cleaning a scrape is the publisher's business),
//! so residue reaches the snippets. This module finds four kinds of it in a text, by what they are in
//! general rather than by one archive's quirks:
//! - **mojibake**: UTF-8 that was decoded as Windows-1252 or Mac Roman on the way (`â€™`, `‚Äô` for
//!   `’`): a run of non-ASCII characters whose bytes in one of those encodings are valid UTF-8 again;
//! - **related links**: `Baca juga:`, `Simak juga`, `Lihat juga`, `Read also` and what follows them on
//!   the line (the headline of another article);
//! - **credits**: `Penulis:`, `Editor:`, `Reporter:`, `Pewarta:`, `Kontributor:` and the rest of the line;
//! - **addresses**: `http://…`, `https://…`, `www.…`.
//!
//! [`Tally`] counts, over the snippets a set of queries shows, those that contain each kind and those
//! whose highlighted match lies inside it (the snippet shows the residue *because* the query matched
//! there).

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};
use sorot_engine::{Snippet, Span};

/// The kinds of residue, in report order.
pub const KINDS: [&str; 4] = ["mojibake", "related links", "credits", "addresses"];

/// Phrases that start a related-article link (matched case-insensitively at a word start).
const LINKS: [&str; 5] = ["baca juga", "simak juga", "lihat juga", "read also", "baca:"];

/// Labels that start a credit line (each followed by optional spaces and `:`).
const CREDITS: [&str; 6] = ["penulis", "editor", "reporter", "pewarta", "kontributor", "fotografer"];

/// Residue found in a text: `(kind index into [`KINDS`], byte span)`.
pub fn find(text: &str) -> Vec<(usize, Span)> {
    let mut out = Vec::new();
    mojibake(text, &mut out);
    let lower = text.to_lowercase();
    // Lower case can change byte lengths (rarely, outside ASCII): then only the mojibake is reliable.
    if lower.len() == text.len() {
        labelled(text, &lower, &mut out);
    }
    out
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |i| from + i)
}

fn at_word_start(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

fn labelled(text: &str, lower: &str, out: &mut Vec<(usize, Span)>) {
    for phrase in LINKS {
        for (i, _) in lower.match_indices(phrase) {
            if at_word_start(text, i) {
                out.push((1, Span::new(i, line_end(text, i))));
            }
        }
    }
    for label in CREDITS {
        for (i, _) in lower.match_indices(label) {
            let after = &lower[i + label.len()..];
            let rest = after.trim_start_matches([' ', '\t']);
            if at_word_start(text, i) && rest.starts_with(':') {
                out.push((2, Span::new(i, line_end(text, i))));
            }
        }
    }
    for start in ["http://", "https://", "www."] {
        for (i, _) in lower.match_indices(start) {
            if start != "www." || at_word_start(text, i) {
                let end = text[i..].find(char::is_whitespace).map_or(text.len(), |j| i + j);
                out.push((3, Span::new(i, end)));
            }
        }
    }
}

/// Runs of non-ASCII characters that read back as UTF-8 from Windows-1252 or Mac Roman (the two
/// mis-decodings seen in scraped news; a real `é` or `’` alone is never valid UTF-8 that way).
fn mojibake(text: &str, out: &mut Vec<(usize, Span)>) {
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let run = &text[start..end];
        if [WINDOWS_1252, MACINTOSH].iter().any(|&enc| reads_back(enc, run)) {
            out.push((0, Span::new(start, end)));
        }
    }
}

/// Whether `run`, written in `encoding`, is UTF-8 with a character beyond ASCII.
fn reads_back(encoding: &'static Encoding, run: &str) -> bool {
    let (bytes, _, unmappable) = encoding.encode(run);
    !unmappable && bytes.len() >= 2 && std::str::from_utf8(&bytes).is_ok_and(|s| !s.is_ascii())
}

/// Words of `text` that mojibake is glued to (`‚ÄúKami`: `‚` separates, `Äú` are letters, so the
/// word indexed is `äukami`, which no one types), and all its words: `(fused, words)`.
pub fn fused_words(text: &str) -> (usize, usize) {
    let runs: Vec<Span> = find(text).into_iter().filter(|f| f.0 == 0).map(|f| f.1).collect();
    let tokens = sorot_engine::tokenize(text);
    let fused = tokens
        .iter()
        .filter(|t| {
            runs.iter().any(|r| {
                let overlaps = r.start < t.span.end && t.span.start < r.end;
                let beyond = t.span.start < r.start || r.end < t.span.end;
                overlaps && beyond
            })
        })
        .count();
    (fused, tokens.len())
}

/// Counts over snippets: how many were shown, and per kind how many contain it and how many have a
/// highlight inside it.
#[derive(Debug, Default)]
pub struct Tally {
    /// Snippets looked at.
    pub snippets: usize,
    /// Snippets with any residue.
    pub any: usize,
    /// Per kind: snippets containing it.
    pub containing: [usize; 4],
    /// Per kind: snippets with a highlighted match inside it.
    pub matched_in: [usize; 4],
}

impl Tally {
    /// Adds one snippet.
    pub fn add(&mut self, snippet: &Snippet) {
        self.snippets += 1;
        let found = find(&snippet.text);
        self.any += usize::from(!found.is_empty());
        for (kind, (containing, matched_in)) in
            self.containing.iter_mut().zip(&mut self.matched_in).enumerate()
        {
            let spans: Vec<Span> = found.iter().filter(|f| f.0 == kind).map(|f| f.1).collect();
            *containing += usize::from(!spans.is_empty());
            let inside =
                snippet.highlights.iter().any(|h| spans.iter().any(|s| s.start <= h.start && h.end <= s.end));
            *matched_in += usize::from(inside);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, &str)> {
        find(text).into_iter().map(|(k, s)| (KINDS[k], &text[s.start..s.end])).collect()
    }

    #[test]
    fn mojibake_from_either_encoding_is_found_and_real_accents_are_not() {
        // `’` (E2 80 99) read as Mac Roman and as Windows-1252.
        assert_eq!(kinds("Jum‚Äôat pagi"), vec![("mojibake", "‚Äô")]);
        assert_eq!(kinds("Jumâ€™at pagi"), vec![("mojibake", "â€™")]);
        assert_eq!(kinds("café – Jum’at, “kata” naïve"), vec![]);
    }

    #[test]
    fn labels_take_the_rest_of_their_line() {
        let text = "Hujan turun.\nBaca juga: Banjir di Bekasi\nEditor : Rina\nLihat di https://x.id/a ya";
        assert_eq!(
            kinds(text),
            vec![
                ("related links", "Baca juga: Banjir di Bekasi"),
                ("credits", "Editor : Rina"),
                ("addresses", "https://x.id/a")
            ]
        );
        // Inside a word, or a label without its colon, is the article's own text.
        assert_eq!(kinds("Kreditor menagih; editor berkata"), vec![]);
    }

    #[test]
    fn words_glued_to_mojibake_are_counted() {
        // `“Kami` and `Jum’at` read through Mac Roman; `pagi` is clean.
        assert_eq!(fused_words("‚ÄúKami pagi Jum‚Äôat"), (2, 4));
        assert_eq!(fused_words("“Kami” pagi"), (0, 2));
    }

    #[test]
    fn a_tally_tells_residue_shown_from_residue_matched() {
        let mut tally = Tally::default();
        let text = "Baca juga: Banjir di Bekasi".to_string();
        tally.add(&Snippet { text: text.clone(), highlights: vec![Span::new(11, 17)] });
        tally.add(&Snippet { text: "Banjir. Baca juga: x".into(), highlights: vec![Span::new(0, 6)] });
        tally.add(&Snippet { text: "Banjir lagi".into(), highlights: vec![Span::new(0, 6)] });
        assert_eq!((tally.snippets, tally.any), (3, 2));
        assert_eq!(tally.containing[1], 2);
        assert_eq!(tally.matched_in[1], 1);
    }
}
