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
