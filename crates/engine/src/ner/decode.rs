//! Decoding: the best BIO tag path of a sentence by Viterbi, with per-token margins, and the entities
//! on a path.

use super::mention::EntityType;
use super::tags::{allowed, is_inside, tag_kind, START, STRIDE, TAGS};

/// The decoder's buffers for one sentence, reused from sentence to sentence: the emission scores it
/// reads, its forward and backward scores, and the path and margins it writes.
#[derive(Default)]
pub(super) struct Lattice {
    /// Emission scores, `STRIDE` per token (filled in by the caller).
    pub(super) scores: Vec<f32>,
    alpha: Vec<f32>,
    beta: Vec<f32>,
    back: Vec<u8>,
    /// The best tag per token.
    pub(super) path: Vec<u8>,
    /// Per token, how far ahead the best path is of the best path with another tag there.
    pub(super) margins: Vec<f32>,
    /// Per token, the tag of that second-best path (what the margin is against).
    pub(super) runner_up: Vec<u8>,
}

/// Viterbi over `scores` (`n × STRIDE`, emission scores) with `transitions[prev][cur]` (`prev` = START
/// at the beginning), honouring BIO. Fills `path` with the best tags and `margins` with, per token, the
/// best path's score minus the best score of any path with another tag at that token.
pub(super) fn decode(transitions: &[[f32; STRIDE]; STRIDE], n: usize, s: &mut Lattice) {
    let Lattice { scores, alpha, beta, back, path, margins, runner_up: second } = s;
    alpha.clear();
    alpha.resize(n * STRIDE, f32::NEG_INFINITY);
    beta.clear();
    beta.resize(n * STRIDE, 0.0);
    back.clear();
    back.resize(n * STRIDE, 0);
    path.clear();
    margins.clear();
    second.clear();
    if n == 0 {
        return;
    }
    for y in 0..TAGS {
        if allowed(START, y) {
            alpha[y] = transitions[START][y] + scores[y];
        }
    }
    for t in 1..n {
        for y in 0..TAGS {
            let (mut best, mut arg) = (f32::NEG_INFINITY, 0u8);
            for p in 0..TAGS {
                if !allowed(p, y) {
                    continue;
                }
                let v = alpha[(t - 1) * STRIDE + p] + transitions[p][y];
                if v > best {
                    best = v;
                    arg = p as u8;
                }
            }
            alpha[t * STRIDE + y] = best + scores[t * STRIDE + y];
            back[t * STRIDE + y] = arg;
        }
    }
    for t in (0..n - 1).rev() {
        for y in 0..TAGS {
            let mut best = f32::NEG_INFINITY;
            for q in 0..TAGS {
                if !allowed(y, q) {
                    continue;
                }
                let v = transitions[y][q] + scores[(t + 1) * STRIDE + q] + beta[(t + 1) * STRIDE + q];
                if v > best {
                    best = v;
                }
            }
            beta[t * STRIDE + y] = best;
        }
    }
    let last = (n - 1) * STRIDE;
    let mut y = (0..TAGS).fold(0, |b, y| if alpha[last + y] > alpha[last + b] { y } else { b });
    path.resize(n, 0);
    for t in (0..n).rev() {
        path[t] = y as u8;
        if t > 0 {
            y = back[t * STRIDE + y] as usize;
        }
    }
    for t in 0..n {
        let chosen = path[t] as usize;
        let best = alpha[t * STRIDE + chosen] + beta[t * STRIDE + chosen];
        let (runner_up, tag) = (0..TAGS)
            .filter(|&y| y != chosen)
            .map(|y| (alpha[t * STRIDE + y] + beta[t * STRIDE + y], y))
            .fold((f32::NEG_INFINITY, 0), |b, c| if c.0 > b.0 { c } else { b });
        margins.push(if runner_up.is_finite() { (best - runner_up).max(0.0) } else { f32::INFINITY });
        second.push(tag as u8);
    }
}

/// Entities of a tag path as token ranges with their type and the smallest margin over their tokens
/// and the token after them.
pub(super) fn path_entities(path: &[u8], margins: &[f32]) -> Vec<(usize, usize, EntityType, f32)> {
    let mut out = Vec::new();
    let mut t = 0;
    while t < path.len() {
        let Some(kind) = tag_kind(path[t]) else {
            t += 1;
            continue;
        };
        let start = t;
        t += 1;
        while t < path.len() && is_inside(path[t] as usize) && tag_kind(path[t]) == Some(kind) {
            t += 1;
        }
        let end_margin = margins.get(t).copied().unwrap_or(f32::INFINITY);
        let margin = margins[start..t].iter().copied().fold(end_margin, f32::min);
        out.push((start, t, kind, margin));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_respects_bio() {
        // Emissions that prefer I-PER everywhere: the path must open with B-PER.
        let mut lattice = Lattice { scores: vec![0.0; 3 * STRIDE], ..Lattice::default() };
        for t in 0..3 {
            lattice.scores[t * STRIDE + 2] = 5.0;
            lattice.scores[t * STRIDE + 1] = 1.0;
        }
        let transitions = [[0.0; STRIDE]; STRIDE];
        decode(&transitions, 3, &mut lattice);
        assert_eq!(lattice.path, [1, 2, 2]);
        assert!(lattice.margins.iter().all(|&m| m >= 0.0));
    }
}
