//! Training the tagger (an averaged structured perceptron, with a confidence calibration fitted on
//! held-out sentences) and scoring a model on gold data.

use super::conll::TaggedSentence;
use super::decode::{decode, path_entities, Lattice};
use super::features::Features;
use super::mention::EntityType;
use super::model::{log_margin, NerModel, Table, BITS_RANGE};
use super::tags::{allowed, is_inside, tag_index, START, STRIDE, TAGS};
use super::tokens::{mix, NerToken, NerTokens};

/// Settings of [`train`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainOptions {
    /// Passes over the training data (default 12; more than ~20 rarely helps).
    pub epochs: usize,
    /// Seed of the shuffle before each pass; the same data, options and seed give the same model
    /// byte for byte.
    pub seed: u64,
    /// Size of the weight table: `2^table_bits` rows of 7 weights (default 20, 10–24). Larger tables
    /// mean fewer feature collisions and a larger file.
    pub table_bits: u32,
    /// Number of perceptrons trained with seeds `seed`, `seed + 1`, … whose weights are averaged
    /// (default 4): less dependence on the shuffle, at `runs` times the training time.
    pub runs: usize,
    /// Fit the confidence calibration on a held-out tenth of the sentences (trains a second model, so
    /// training takes twice as long). Without it, confidence is a fixed squashing of the margin.
    pub calibrate: bool,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions { epochs: 12, seed: 42, table_bits: 20, runs: 4, calibrate: true }
    }
}

/// Where a sentence comes from: the main corpus (whose conventions the tagger follows) or an auxiliary
/// one with other conventions. Every feature exists twice, shared and per domain ("frustratingly easy
/// domain adaptation", Daumé 2007): the auxiliary corpus teaches the shared weights, the main corpus
/// also its own. Tagging always uses the main domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Domain {
    Main,
    Auxiliary,
}

impl Domain {
    /// Training keeps three tables of `2^bits` rows one after the other: shared, main, auxiliary. A
    /// feature's per-domain copy is its row plus this offset. Tagging adds the main copies into the
    /// shared rows once, when the model is quantised, so they cost nothing.
    fn offset(self, bits: u32) -> u32 {
        match self {
            Domain::Main => 1 << bits,
            Domain::Auxiliary => 2 << bits,
        }
    }
}

/// One training sentence, featurised.
struct Example {
    /// Feature rows of all tokens, concatenated.
    rows: Vec<u32>,
    /// End of each token's rows in `rows`.
    row_ends: Vec<u32>,
    /// Gold tag per token.
    gold: Vec<u8>,
    /// Row offset of the sentence's domain copies (see [`Domain::offset`]).
    offset: u32,
}

impl Example {
    fn token_rows(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.row_ends[i - 1] as usize };
        &self.rows[start..self.row_ends[i] as usize]
    }
}

/// Re-tokenises a gold sentence with [`NerTokens`] (so `(WHO)` becomes `(`, `WHO`, `)`), carrying the
/// tags over: brackets and quotes that open or close inside an entity (`Dana Moneter Internasional
/// (IMF)`) stay in it; other split-off punctuation gets `O`.
fn retokenize(sentence: &TaggedSentence) -> (Vec<String>, Vec<u8>) {
    let mut tokens = Vec::with_capacity(sentence.tokens.len());
    let mut tags = Vec::with_capacity(sentence.tokens.len());
    for (token, tag) in sentence.tokens.iter().zip(&sentence.tags) {
        let tag = tag_index(tag);
        let pieces: Vec<NerToken> = NerTokens::new(token).collect();
        if pieces.len() <= 1 {
            tokens.push(token.clone());
            tags.push(tag);
            continue;
        }
        let kind_tag = if tag % 2 == 1 { tag + 1 } else { tag }; // B-X → I-X; I-X and O stay
        let is_word = |p: &NerToken| token[p.start..p.end].chars().any(char::is_alphanumeric);
        let first_word = pieces.iter().position(is_word);
        let last_word = pieces.iter().rposition(is_word);
        let (Some(first_word), Some(last_word)) = (first_word, last_word) else {
            // Only punctuation: keep the tag on the first piece, continue it over the others.
            for (i, p) in pieces.iter().enumerate() {
                tokens.push(token[p.start..p.end].to_string());
                tags.push(if i == 0 { tag } else { kind_tag });
            }
            continue;
        };
        let opened_before = is_inside(tag as usize);
        let inner_from = if opened_before { 0 } else { pieces[first_word].start };
        for (i, p) in pieces.iter().enumerate() {
            let piece = &token[p.start..p.end];
            let t = if tag == 0 {
                0
            } else if i < first_word {
                // Leading punctuation belongs to the entity only if the entity began earlier.
                if opened_before {
                    kind_tag
                } else {
                    0
                }
            } else if i == first_word {
                if opened_before {
                    kind_tag
                } else {
                    tag
                }
            } else if i <= last_word {
                kind_tag
            } else {
                // Trailing punctuation: a closing bracket whose opener is inside the entity stays.
                let opens = token[inner_from..p.start].matches(['(', '[']).count();
                let closes = token[inner_from..p.start].matches([')', ']']).count();
                if matches!(piece, ")" | "]") && (opens > closes || opened_before) {
                    kind_tag
                } else {
                    0
                }
            };
            tokens.push(piece.to_string());
            tags.push(t);
        }
    }
    // Punctuation split off inside an entity (`Plaines,` then more words) leaves an `I-` after `O`:
    // open the rest as a new entity, as conlleval reads it.
    for i in 0..tags.len() {
        let previous = if i == 0 { START } else { tags[i - 1] as usize };
        if !allowed(previous, tags[i] as usize) {
            tags[i] -= 1;
        }
    }
    (tokens, tags)
}

fn featurize_examples(sentences: &[TaggedSentence], bits: u32, domain: Domain) -> Vec<Example> {
    let mut features = Features::default();
    sentences
        .iter()
        .filter(|s| !s.tokens.is_empty())
        .map(|sentence| {
            let (tokens, gold) = retokenize(sentence);
            features.featurize(tokens.iter().map(String::as_str), bits);
            Example {
                rows: features.rows.clone(),
                row_ends: features.row_ends.iter().map(|&e| e as u32).collect(),
                gold,
                offset: domain.offset(bits),
            }
        })
        .collect()
}

/// A small deterministic generator (splitmix64) for the shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// The averaged perceptron's state: current weights and the running sums for averaging.
struct Perceptron {
    weights: Vec<f32>,
    sums: Vec<f64>,
    transitions: [[f32; STRIDE]; STRIDE],
    transition_sums: [[f64; STRIDE]; STRIDE],
    step: f64,
}

impl Perceptron {
    /// Moves the weights of `tag` for the features in `rows` (shared rows and their domain copies).
    fn update_emission(&mut self, rows: &[u32], offset: u32, tag: usize, delta: f32) {
        for &row in rows {
            for row in [row, row + offset] {
                let i = row as usize * STRIDE + tag;
                self.weights[i] += delta;
                self.sums[i] += self.step * f64::from(delta);
            }
        }
    }

    fn update_transition(&mut self, prev: usize, cur: usize, delta: f32) {
        self.transitions[prev][cur] += delta;
        self.transition_sums[prev][cur] += self.step * f64::from(delta);
    }

    fn averaged(&self) -> (Vec<f32>, [[f32; STRIDE]; STRIDE]) {
        let weights = self
            .weights
            .iter()
            .zip(&self.sums)
            .map(|(&w, &s)| (f64::from(w) - s / self.step) as f32)
            .collect();
        let mut transitions = [[0f32; STRIDE]; STRIDE];
        for ((row, current), sums) in transitions.iter_mut().zip(&self.transitions).zip(&self.transition_sums)
        {
            for ((cell, &w), &sum) in row.iter_mut().zip(current).zip(sums) {
                *cell = (f64::from(w) - sum / self.step) as f32;
            }
        }
        (weights, transitions)
    }
}

/// Trains `options.runs` perceptrons (seeds `seed`, `seed + 1`, …), averages their weights and
/// quantises the result.
fn train_examples(examples: &[Example], options: &TrainOptions, bits: u32) -> NerModel {
    let runs = options.runs.max(1);
    let mut weights = vec![0f32; (3usize << bits) * STRIDE];
    let mut transitions = [[0f32; STRIDE]; STRIDE];
    for run in 0..runs {
        let (w, t) = train_run(examples, options.epochs, options.seed.wrapping_add(run as u64), bits);
        for (a, b) in weights.iter_mut().zip(&w) {
            *a += b / runs as f32;
        }
        for (ra, rb) in transitions.iter_mut().zip(&t) {
            for (a, b) in ra.iter_mut().zip(rb) {
                *a += b / runs as f32;
            }
        }
    }
    // Tagging sees the main domain: fold its copies into the shared rows.
    let shared = (1usize << bits) * STRIDE;
    let folded: Vec<f32> =
        weights[..shared].iter().zip(&weights[shared..2 * shared]).map(|(a, b)| a + b).collect();
    quantize(bits, &folded, transitions)
}

/// One averaged perceptron: `epochs` passes in an order shuffled with `seed`.
fn train_run(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    bits: u32,
) -> (Vec<f32>, [[f32; STRIDE]; STRIDE]) {
    let rows = 3usize << bits;
    let mut p = Perceptron {
        weights: vec![0.0; rows * STRIDE],
        sums: vec![0.0; rows * STRIDE],
        transitions: [[0.0; STRIDE]; STRIDE],
        transition_sums: [[0.0; STRIDE]; STRIDE],
        step: 1.0,
    };
    let mut rng = Rng(seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut lattice = Lattice::default();
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        for &e in &order {
            let example = &examples[e];
            let n = example.gold.len();
            lattice.scores.clear();
            lattice.scores.resize(n * STRIDE, 0.0);
            for t in 0..n {
                let scores = &mut lattice.scores[t * STRIDE..(t + 1) * STRIDE];
                for &row in example.token_rows(t) {
                    for row in [row, row + example.offset] {
                        let w = &p.weights[row as usize * STRIDE..row as usize * STRIDE + STRIDE];
                        for (s, &w) in scores.iter_mut().zip(w) {
                            *s += w;
                        }
                    }
                }
            }
            decode(&p.transitions, n, &mut lattice);
            if lattice.path != example.gold {
                for t in 0..n {
                    let (gold, predicted) = (example.gold[t] as usize, lattice.path[t] as usize);
                    let (gold_prev, predicted_prev) = if t == 0 {
                        (START, START)
                    } else {
                        (example.gold[t - 1] as usize, lattice.path[t - 1] as usize)
                    };
                    if gold != predicted {
                        p.update_emission(example.token_rows(t), example.offset, gold, 1.0);
                        p.update_emission(example.token_rows(t), example.offset, predicted, -1.0);
                    }
                    if (gold_prev, gold) != (predicted_prev, predicted) {
                        p.update_transition(gold_prev, gold, 1.0);
                        p.update_transition(predicted_prev, predicted, -1.0);
                    }
                }
            }
            p.step += 1.0;
        }
    }
    p.averaged()
}

/// Rounds the averaged weights to `i8` with one scale; the largest weights (above the 99.99th
/// percentile of magnitudes) are clipped.
fn quantize(bits: u32, weights: &[f32], mut transitions: [[f32; STRIDE]; STRIDE]) -> NerModel {
    let mut magnitudes: Vec<f32> = weights.iter().map(|w| w.abs()).filter(|&w| w > 0.0).collect();
    let limit = if magnitudes.is_empty() {
        1.0
    } else {
        let k = ((magnitudes.len() as f64) * 0.9999) as usize;
        let k = k.min(magnitudes.len() - 1);
        *magnitudes.select_nth_unstable_by(k, f32::total_cmp).1
    };
    let scale = limit / 127.0;
    let mut quantized = Table::new(bits);
    for (r, row) in weights.chunks(STRIDE).enumerate() {
        let mut out = [0i8; STRIDE];
        for (q, &w) in out.iter_mut().zip(&row[..TAGS]) {
            *q = (w / scale).round().clamp(-127.0, 127.0) as i8;
        }
        quantized.push(r, out);
    }
    quantized.finish();
    for row in transitions.iter_mut() {
        row[TAGS] = f32::NEG_INFINITY;
    }
    NerModel::new(bits, quantized, scale, transitions, DEFAULT_CALIBRATION)
}

/// Calibration used without a held-out fit: a margin of 0 is a coin toss, a margin of 10 ≈ 0.9.
const DEFAULT_CALIBRATION: (f32, f32) = (0.9, 0.0);

/// Trains a model on `sentences` (CoNLL tags as [`read_conll`](crate::read_conll) gives them): an
/// averaged structured perceptron, `options.epochs` passes in a seeded shuffled order. Deterministic:
/// the same input and options give the same bytes.
pub fn train(sentences: &[TaggedSentence], options: &TrainOptions) -> NerModel {
    train_with_auxiliary(sentences, &[], options)
}

/// Trains like [`train`] on `main` plus `auxiliary`, a corpus annotated with other conventions (NERGRIT
/// tags every country as a place; idner-news-2k only places where something happens): the auxiliary
/// sentences teach what the corpora share, the tagger follows `main`'s conventions.
pub fn train_with_auxiliary(
    main: &[TaggedSentence],
    auxiliary: &[TaggedSentence],
    options: &TrainOptions,
) -> NerModel {
    let bits = options.table_bits.clamp(*BITS_RANGE.start(), *BITS_RANGE.end());
    let mut examples = featurize_examples(main, bits, Domain::Main);
    examples.extend(featurize_examples(auxiliary, bits, Domain::Auxiliary));
    let mut model = train_examples(&examples, options, bits);
    if options.calibrate && examples.len() >= 20 {
        // Every tenth sentence is held out for a model trained on the rest; its mentions' margins and
        // correctness fit the calibration of the model trained on everything.
        let held: Vec<&Example> = examples.iter().skip(9).step_by(10).collect();
        let kept: Vec<(usize, &Example)> = examples.iter().enumerate().filter(|(i, _)| i % 10 != 9).collect();
        let kept: Vec<Example> = kept
            .into_iter()
            .map(|(_, e)| Example {
                rows: e.rows.clone(),
                row_ends: e.row_ends.clone(),
                gold: e.gold.clone(),
                offset: e.offset,
            })
            .collect();
        let probe = train_examples(&kept, options, bits);
        let mut points = Vec::new();
        let mut lattice = Lattice::default();
        for example in held {
            let n = example.gold.len();
            lattice.scores.clear();
            lattice.scores.resize(n * STRIDE, 0.0);
            for t in 0..n {
                let sums = probe.emission(example.token_rows(t));
                lattice.scores[t * STRIDE..(t + 1) * STRIDE].copy_from_slice(&sums);
            }
            decode(probe.transitions(), n, &mut lattice);
            let gold = path_entities(&example.gold, &vec![0.0; n]);
            for (start, end, kind, margin) in path_entities(&lattice.path, &lattice.margins) {
                let correct = gold.iter().any(|g| (g.0, g.1, g.2) == (start, end, kind));
                points.push((margin, correct));
            }
        }
        model.set_calibration(fit_calibration(&points));
    }
    model
}

/// Fits sigmoid(a · ln(1 + margin) + b) to (margin, correct) pairs: logistic regression by Newton's method with
/// backtracking and a weak Gaussian prior, so the fit stays finite even when the points separate. A
/// fit with `a ≤ 0` (confidence that falls with the margin) is rejected for the default.
fn fit_calibration(points: &[(f32, bool)]) -> (f32, f32) {
    if points.len() < 10 {
        return DEFAULT_CALIBRATION;
    }
    const PRIOR: f64 = 1e-2;
    let loss = |a: f64, b: f64| {
        let data: f64 = points
            .iter()
            .map(|&(m, y)| {
                let z = a * log_margin(m) + b;
                // log(1 + e^-z) for correct, log(1 + e^z) for wrong, computed stably.
                let z = if y { -z } else { z };
                z.max(0.0) + (-z.abs()).exp().ln_1p()
            })
            .sum();
        data + PRIOR * (a * a + b * b) / 2.0
    };
    let (mut a, mut b) = (f64::from(DEFAULT_CALIBRATION.0), 0.0f64);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (PRIOR * a, PRIOR * b, PRIOR, 0.0, PRIOR);
        for &(m, y) in points {
            let m = log_margin(m);
            let p = 1.0 / (1.0 + (-(a * m + b)).exp());
            let r = p - if y { 1.0 } else { 0.0 };
            ga += r * m;
            gb += r;
            let w = p * (1.0 - p);
            haa += w * m * m;
            hab += w * m;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        let mut step = 1.0;
        while step > 1e-6 && loss(a - step * da, b - step * db) > current {
            step /= 2.0;
        }
        let (na, nb) = (a - step * da, b - step * db);
        let next = loss(na, nb);
        if next > current {
            break;
        }
        let converged = current - next < 1e-9;
        (a, b, current) = (na, nb, next);
        if converged {
            break;
        }
    }
    if !(a.is_finite() && b.is_finite()) || a <= 0.0 {
        return DEFAULT_CALIBRATION;
    }
    (a as f32, b as f32)
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/// Precision, recall and F1 of one set of predictions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Correct predictions / predictions (0 when nothing was predicted).
    pub precision: f64,
    /// Correct predictions / gold entities (0 when there are none).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Number of gold entities.
    pub gold: usize,
    /// Number of predicted entities.
    pub predicted: usize,
    /// Number of predictions that match a gold entity exactly (start, end and type).
    pub correct: usize,
}

impl Prf {
    /// Scores from the three counts.
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(correct, predicted), ratio(correct, gold));
        let f1 =
            if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf { precision, recall, f1, gold, predicted, correct }
    }
}

/// Entity-level scores: over all types (micro-averaged) and per type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NerScores {
    /// All entities together.
    pub micro: Prf,
    /// One entry per type, in [`EntityType::ALL`] order.
    pub per_type: Vec<(EntityType, Prf)>,
}

/// Runs `model.tag` on each sentence's text (tokens joined by single spaces, lang "id") and scores
/// entity-level exact matches (same start, end and type) against the gold BIO spans.
pub fn evaluate(model: &NerModel, sentences: &[TaggedSentence]) -> NerScores {
    let mut counts = [(0usize, 0usize, 0usize); 3];
    for sentence in sentences {
        let (text, gold) = sentence.gold();
        let predicted = model.tag(&text, "id");
        for (_, kind) in &gold {
            counts[type_index(*kind)].0 += 1;
        }
        for mention in &predicted {
            let c = &mut counts[type_index(mention.kind)];
            c.1 += 1;
            if gold.contains(&(mention.span, mention.kind)) {
                c.2 += 1;
            }
        }
    }
    let per_type: Vec<(EntityType, Prf)> = EntityType::ALL
        .iter()
        .map(|&k| {
            (k, Prf::from_counts(counts[type_index(k)].0, counts[type_index(k)].1, counts[type_index(k)].2))
        })
        .collect();
    let total = counts.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    NerScores { micro: Prf::from_counts(total.0, total.1, total.2), per_type }
}

fn type_index(kind: EntityType) -> usize {
    match kind {
        EntityType::Per => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::testing::{load, shipped, SHIPPED};

    #[test]
    fn retokenize_keeps_bracketed_acronyms_in_their_entity() {
        let sentence = TaggedSentence {
            tokens: ["Organisasi", "Kesehatan", "Dunia", "(WHO)", "dan", "(Jokowi)", "Indonesia?"]
                .map(String::from)
                .to_vec(),
            tags: ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-PER", "B-LOC"].map(String::from).to_vec(),
        };
        let (tokens, tags) = retokenize(&sentence);
        assert_eq!(
            tokens,
            [
                "Organisasi",
                "Kesehatan",
                "Dunia",
                "(",
                "WHO",
                ")",
                "dan",
                "(",
                "Jokowi",
                ")",
                "Indonesia",
                "?"
            ]
        );
        assert_eq!(tags, [3, 4, 4, 4, 4, 4, 0, 0, 1, 0, 5, 0]);
    }

    #[test]
    fn calibration_is_monotone() {
        let points: Vec<(f32, bool)> = (0..200).map(|i| (i as f32 / 10.0, i % 7 != 0 && i > 30)).collect();
        let (a, _) = fit_calibration(&points);
        assert!(a > 0.0);
    }

    #[test]
    fn prf_counts() {
        let p = Prf::from_counts(10, 8, 6);
        assert!((p.precision - 0.75).abs() < 1e-12 && (p.recall - 0.6).abs() < 1e-12);
        assert!((p.f1 - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(Prf::from_counts(0, 0, 0).f1, 0.0);
    }

    /// The quality gate: trained without idner dev, the model reaches micro F1 ≥ 0.83 on it.
    #[test]
    fn quality_gate_dev_f1() {
        let main = load("idner-news-2k/train.txt");
        let auxiliary = load("nergrit/train_preprocess.txt");
        let dev = load("idner-news-2k/dev.txt");
        let nergrit_test = load("nergrit/test_preprocess.txt");
        let options = TrainOptions { calibrate: false, ..TrainOptions::default() };
        let model = train_with_auxiliary(&main, &auxiliary, &options);
        let scores = evaluate(&model, &dev);
        let nergrit = evaluate(&model, &nergrit_test);
        let line = |name: &str, p: &Prf| {
            eprintln!(
                "{name:<14} P {:.4} R {:.4} F1 {:.4} (gold {}, predicted {}, correct {})",
                p.precision, p.recall, p.f1, p.gold, p.predicted, p.correct
            )
        };
        line("idner dev", &scores.micro);
        for (kind, p) in &scores.per_type {
            line(&format!("  {}", kind.code()), p);
        }
        line("NERGRIT test", &nergrit.micro);
        assert!(scores.micro.f1 >= 0.83, "dev micro F1 {:.4} < 0.83", scores.micro.f1);
    }

    /// The shipped model loads, is small, and `sorot train-ner` (these settings) reproduces it.
    #[test]
    fn shipped_model_is_reproducible() {
        assert!(SHIPPED.len() <= 2_000_000, "model is {} bytes", SHIPPED.len());
        let model = shipped();
        let mut main = load("idner-news-2k/train.txt");
        main.extend(load("idner-news-2k/dev.txt"));
        let mut auxiliary = load("nergrit/train_preprocess.txt");
        auxiliary.extend(load("nergrit/valid_preprocess.txt"));
        let retrained = train_with_auxiliary(&main, &auxiliary, &TrainOptions::default());
        assert!(
            retrained.to_bytes() == SHIPPED,
            "retraining does not reproduce data/ner/model.bin: run `sorot train-ner`"
        );
        assert_eq!(&retrained, model);
    }

    #[test]
    fn training_is_deterministic_and_round_trips() {
        let sentences = load("idner-news-2k/train.txt");
        let options = TrainOptions { epochs: 2, table_bits: 14, runs: 2, ..TrainOptions::default() };
        let a = train(&sentences[..200], &options);
        let b = train(&sentences[..200], &options);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let other_seed = train(&sentences[..200], &TrainOptions { seed: 7, ..options });
        assert_ne!(a.to_bytes(), other_seed.to_bytes());
        assert_eq!(NerModel::from_bytes(&a.to_bytes()).as_ref(), Ok(&a));
    }
}

#[cfg(test)]
mod tuning {
    use super::*;
    use crate::ner::read_conll;

    fn load(name: &str) -> Vec<TaggedSentence> {
        let path = format!("{}/../../../shared/data/ner/{name}", env!("CARGO_MANIFEST_DIR"));
        read_conll(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
        std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
    }

    /// Dev F1 over several seeds for the settings in the environment (EPOCHS, BITS, RUNS, SEEDS).
    #[test]
    #[ignore]
    fn sweep() {
        let main = load("idner-news-2k/train.txt");
        let aux = load("nergrit/train_preprocess.txt");
        let dev = load("idner-news-2k/dev.txt");
        let (epochs, table_bits, runs, seeds) =
            (env("EPOCHS", 12), env("BITS", 20), env("RUNS", 4), env("SEEDS", 3u64));
        let mut total = 0.0;
        for seed in 0..seeds {
            let options = TrainOptions { epochs, seed: 42 + seed * 100, table_bits, runs, calibrate: false };
            let model = train_with_auxiliary(&main, &aux, &options);
            let s = evaluate(&model, &dev);
            eprintln!(
                "seed {}: P {:.4} R {:.4} F {:.4} ({} bytes)",
                options.seed,
                s.micro.precision,
                s.micro.recall,
                s.micro.f1,
                model.to_bytes().len()
            );
            total += s.micro.f1;
        }
        eprintln!("MEAN F1 {:.4}", total / seeds as f64);
        if std::env::var("SHOW").is_ok() {
            let options = TrainOptions { epochs, seed: 42, table_bits, runs, calibrate: false };
            let model = train_with_auxiliary(&main, &aux, &options);
            for text in [
                "Samsung dan Uber membuka kantor di Jakarta.",
                "Gojek dan Tokopedia bergabung membentuk GoTo.",
                "Indofood menaikkan harga mi instan.",
                "Pebalap Ducati, Francesco Bagnaia, menang di Mandalika.",
                "Apple meluncurkan iPhone baru di Cupertino, California.",
                "Persib Bandung mengalahkan Persija di Stadion Gelora Bung Karno.",
                "Komentar Putin muncul setelah tentara Rusia dikerahkan, menurut kantor berita pemerintah RIA Novosti.",
                "Unit militer pimpinan Moskow dikerahkan ke Kazakhstan.",
            ] {
                let tags: Vec<String> = model.tag(text, "id").iter().map(|m| format!("{}={:?}", &text[m.span.start..m.span.end], m.kind)).collect();
                eprintln!("{text}\n    {}", tags.join(", "));
            }
        }
    }

    /// Tagging speed of the shipped model on 10 MB of news text (run with `--release`).
    #[test]
    #[ignore]
    fn speed() {
        let model = NerModel::from_bytes(include_bytes!("../../data/ner/model.bin")).unwrap();
        let dev = load("idner-news-2k/dev.txt");
        let mut text = String::new();
        while text.len() < 10_000_000 {
            for s in &dev {
                text.push_str(&s.tokens.join(" "));
                text.push('\n');
            }
        }
        let seed = std::fs::read_to_string(format!(
            "{}/../../seeds/000_ce9894c18006a3a8.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let seeds = seed.repeat(10_000_000 / seed.len());
        let one_line = text.replace('\n', " ").replace(" . ", " ");
        for (name, text, lang) in [
            ("dev sentences, id", &text, "id"),
            ("seed article, id", &seeds, "id"),
            ("no sentence ends, id", &one_line, "id"),
            ("dev sentences, en", &text, "en"),
        ] {
            let started = std::time::Instant::now();
            let mentions = model.tag(text, lang);
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "{name}: {} bytes, {} mentions, {:.2} s, {:.1} MB/s",
                text.len(),
                mentions.len(),
                secs,
                text.len() as f64 / 1e6 / secs
            );
        }
    }

    /// Writes the errors of the shipped model on a CoNLL file (FILE, relative to the data folder).
    #[test]
    #[ignore]
    fn dump_errors() {
        let model = NerModel::from_bytes(include_bytes!("../../data/ner/model.bin")).unwrap();
        let sentences = load(&std::env::var("FILE").unwrap_or("nergrit/test_preprocess.txt".into()));
        let mut out = String::new();
        for sentence in &sentences {
            let (text, gold) = sentence.gold();
            let predicted: Vec<(crate::Span, EntityType)> =
                model.tag(&text, "id").into_iter().map(|m| (m.span, m.kind)).collect();
            let mut lines = Vec::new();
            for g in gold.iter().filter(|g| !predicted.contains(g)) {
                lines.push(format!("  MISS {:?} {}", g.1, &text[g.0.start..g.0.end]));
            }
            for p in predicted.iter().filter(|p| !gold.contains(p)) {
                lines.push(format!("  FP   {:?} {}", p.1, &text[p.0.start..p.0.end]));
            }
            if !lines.is_empty() {
                out.push_str(&format!("{text}\n{}\n", lines.join("\n")));
            }
        }
        std::fs::write("/tmp/ner_errors.txt", out).unwrap();
    }

    /// Precision of the mentions of a model (MODEL, a path) on idner dev by confidence band.
    #[test]
    #[ignore]
    fn calibration_bands() {
        let path = std::env::var("MODEL").unwrap_or("/tmp/model_nodev.bin".into());
        let model = NerModel::from_bytes(&std::fs::read(&path).unwrap()).unwrap();
        eprintln!("{model:?}");
        let mut bands = [(0usize, 0usize); 10];
        for sentence in &load("idner-news-2k/dev.txt") {
            let (text, gold) = sentence.gold();
            for m in model.tag(&text, "id") {
                let band = ((m.confidence * 10.0) as usize).min(9);
                bands[band].0 += 1;
                bands[band].1 += usize::from(gold.contains(&(m.span, m.kind)));
            }
        }
        for (i, (n, correct)) in bands.iter().enumerate() {
            eprintln!(
                "confidence {:.1}–{:.1}: {n} mentions, {:.2} correct",
                i as f32 / 10.0,
                (i + 1) as f32 / 10.0,
                *correct as f32 / (*n).max(1) as f32
            );
        }
    }
}
