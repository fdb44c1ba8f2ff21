//! Cutting a stretch of article text into pieces by search highlights and entity mentions, so the
//! view can build `<mark>` and entity elements around text nodes (never HTML).

use sorot_engine::Span;

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
pub fn groups(range: Span, highlights: &[Span], mentions: &[Span]) -> Vec<Group> {
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for s in highlights.iter().chain(mentions) {
        for at in [s.start, s.end] {
            if at > range.start && at < range.end {
                cuts.push(at);
            }
        }
    }
    // Through the engine's one sort routine (a sort of `usize` would be compiled in separately).
    sorot_engine::order::sort_by_key(&mut cuts, |&at| at);
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
mod tests {
    use super::*;

    #[test]
    fn highlight_crossing_a_mention_is_split() {
        // "Presiden Rusia Vladimir Putin pada Senin"
        //  0        9     15       24   29
        let range = Span::new(0, 40);
        let highlights = [Span::new(9, 29)]; // "Rusia Vladimir Putin"
        let mentions = [Span::new(15, 29)]; // "Vladimir Putin"
        let got = groups(range, &highlights, &mentions);
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
        let got = groups(range, &[Span::new(0, 5), Span::new(12, 14)], &[Span::new(18, 30)]);
        let covered: Vec<Span> = got.iter().flat_map(|g| g.pieces.iter().map(|p| p.span)).collect();
        assert_eq!(covered, [Span::new(10, 12), Span::new(12, 14), Span::new(14, 18), Span::new(18, 20)]);
        assert_eq!(got.last().unwrap().mention, Some(0));
        assert_eq!(got[0].pieces[1].hit, Some(1));
    }
}
