use serde::{Deserialize, Serialize};

/// A half-open range `start..end` of UTF-8 byte offsets into one text.
///
/// Tokens, hits, highlights and entity mentions all use this one type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` must not be before `start`.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span {start}..{end} runs backwards");
        Span { start, end }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The covered slice of `text`, or `None` if the span is out of range or not on char boundaries.
    pub fn get<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}

/// Converts byte spans over `text` to UTF-16 code-unit offsets, as JavaScript strings count them.
///
/// The one place where positions change units: everything inside the engine and the app uses bytes.
/// `spans` must be sorted by start (as highlights are); a span off a char boundary is clamped to the
/// boundary before it.
///
/// ```
/// use sorot_engine::{utf16_spans, Span};
/// let text = "“Putin” berkata";
/// let putin = Span::new(3, 8); // after the 3-byte “
/// assert_eq!(utf16_spans(text, &[putin]), [(1, 6)]);
/// ```
pub fn utf16_spans(text: &str, spans: &[Span]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(spans.len());
    // Walk the text once, carrying the UTF-16 offset of the byte offset `at`.
    let (mut at, mut units) = (0usize, 0u32);
    let mut advance = |to: usize| -> u32 {
        let to = to.min(text.len());
        if to < at {
            // Out of order: count again from the start.
            at = 0;
            units = 0;
        }
        for c in text[at..].chars() {
            if at + c.len_utf8() > to {
                break;
            }
            at += c.len_utf8();
            units += c.len_utf16() as u32;
        }
        units
    };
    for span in spans {
        let start = advance(span.start);
        let end = advance(span.end);
        out.push((start, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_match_javascript() {
        // In JavaScript: "a😀é b".indexOf("b") === 5 (😀 is two code units).
        let text = "a😀é b";
        let b = text.find('b').unwrap();
        let emoji = Span::new(1, 5);
        assert_eq!(utf16_spans(text, &[emoji, Span::new(b, b + 1)]), [(1, 3), (5, 6)]);
        assert_eq!(utf16_spans(text, &[Span::new(0, 100)]), [(0, 6)]);
    }

    proptest::proptest! {
        #[test]
        fn utf16_agrees_with_encode_utf16(text in "\\PC{0,40}", a in 0usize..60, b in 0usize..60) {
            let (lo, hi) = (a.min(b).min(text.len()), a.max(b).min(text.len()));
            let boundary = |i: usize| (0..=i).rev().find(|&j| text.is_char_boundary(j)).unwrap_or(0);
            let (lo, hi) = (boundary(lo), boundary(hi));
            let expected = (text[..lo].encode_utf16().count() as u32, text[..hi].encode_utf16().count() as u32);
            proptest::prop_assert_eq!(utf16_spans(&text, &[Span::new(lo, hi)]), vec![expected]);
        }
    }
}

// Cutting a stretch of text into pieces by search highlights and entity mentions, so a view can build
// `<mark>` and entity elements around text nodes (never HTML).

/// A piece of text with what covers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Where it is in the text.
    pub span: Span,
    /// The highlight covering it (index into the highlights given), if any.
    pub hit: Option<usize>,
}

/// Consecutive pieces inside one entity mention (or outside any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The mention covering the group (index into the mentions given), if any.
    pub mention: Option<usize>,
    /// Its pieces, in order.
    pub pieces: Vec<Piece>,
}

/// Cuts `range` at every highlight and mention boundary. `highlights` and `mentions` must each be
/// sorted and non-overlapping (as the engine gives them); a highlight that crosses a mention's edge is
/// split in two pieces with the same `hit`.
pub fn cut(range: Span, highlights: &[Span], mentions: &[Span]) -> Vec<Group> {
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for s in highlights.iter().chain(mentions) {
        for at in [s.start, s.end] {
            if at > range.start && at < range.end {
                cuts.push(at);
            }
        }
    }
    // Through the engine's one sort routine (a sort of `usize` would be compiled in separately).
    crate::order::sort_by_key(&mut cuts, |&at| at);
    cuts.dedup();
    let covering =
        |spans: &[Span], piece: Span| spans.iter().position(|s| s.start <= piece.start && piece.end <= s.end);
    let mut out: Vec<Group> = Vec::new();
    for pair in cuts.windows(2) {
        let span = Span::new(pair[0], pair[1]);
        if span.is_empty() {
            continue;
        }
        let piece = Piece { span, hit: covering(highlights, span) };
        let mention = covering(mentions, span);
        match out.last_mut() {
            Some(group) if group.mention == mention => group.pieces.push(piece),
            _ => out.push(Group { mention, pieces: vec![piece] }),
        }
    }
    out
}

#[cfg(test)]
mod cut_tests {
    use super::*;

    #[test]
    fn highlight_crossing_a_mention_is_split() {
        // "Presiden Rusia Vladimir Putin pada Senin"
        //  0        9     15       24   29
        let range = Span::new(0, 40);
        let highlights = [Span::new(9, 29)]; // "Rusia Vladimir Putin"
        let mentions = [Span::new(15, 29)]; // "Vladimir Putin"
        let got = cut(range, &highlights, &mentions);
        assert_eq!(
            got,
            vec![
                Group {
                    mention: None,
                    pieces: vec![
                        Piece { span: Span::new(0, 9), hit: None },
                        Piece { span: Span::new(9, 15), hit: Some(0) },
                    ],
                },
                Group { mention: Some(0), pieces: vec![Piece { span: Span::new(15, 29), hit: Some(0) }] },
                Group { mention: None, pieces: vec![Piece { span: Span::new(29, 40), hit: None }] },
            ]
        );
    }

    #[test]
    fn spans_outside_the_range_are_ignored_and_pieces_cover_it_exactly() {
        let range = Span::new(10, 20);
        let got = cut(range, &[Span::new(0, 5), Span::new(12, 14)], &[Span::new(18, 30)]);
        let covered: Vec<Span> = got.iter().flat_map(|g| g.pieces.iter().map(|p| p.span)).collect();
        assert_eq!(covered, [Span::new(10, 12), Span::new(12, 14), Span::new(14, 18), Span::new(18, 20)]);
        assert_eq!(got.last().unwrap().mention, Some(0));
        assert_eq!(got[0].pieces[1].hit, Some(1));
    }
}
