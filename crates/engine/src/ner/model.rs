//! The statistical named-entity tagger: the model (a weight table, tag transitions and a confidence
//! calibration), its file format, and tagging text with it.
//!
//! ```text
//! text → NerTokens (words, punctuation) → sentences → token features (hashes) → rows of the weight
//!   table → emission scores → Viterbi (BIO-constrained) → spans + max-marginal margins → Mention
//! ```
//!
//! The weights live in one table of `2^bits` rows (a feature's row is its hash), seven tags a row,
//! quantised to `i8` with one scale; only non-zero rows are stored in the model file, a [container]
//! with the magic `SOROTNER`. Texts in English (`lang == "en"`) go to a small rule-based tagger
//! instead (gazetteer, capitalisation, titles).

use std::fmt;

use super::decode::{decode, path_entities, Lattice};
use super::english;
use super::features::{Features, FEATURE_VERSION};
use serde::Serialize;

use super::gazetteer::{Gazetteer, BITS_PER_LIST, LIST_COUNT};
use super::mention::{EntityType, Mention};
use super::propagate::propagate;
use super::rules::{coordinated_names, coordinators, leading_name, listed_kind};
use super::tags::{STRIDE, TAGS};
use super::tokens::Sentences;
use crate::pack::container::{self, ContainerFault, Format, HEADER_LEN};
use crate::Span;

// ---------------------------------------------------------------------------------------------------
// The weight table

/// The quantised weight table: only its non-zero rows, found through a bitmap with rank counts, so
/// a table of 2^20 rows with 100,000 in use takes about 1 MB of memory instead of 8.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Table {
    bits: u32,
    /// Bit `r` set when row `r` is stored.
    present: Vec<u64>,
    /// Number of stored rows before each word of `present`.
    ranks: Vec<u32>,
    /// The stored rows, in row order; lane 7 is zero.
    rows: Vec<[i8; STRIDE]>,
}

impl Table {
    /// An empty table of `2^bits` rows.
    pub(super) fn new(bits: u32) -> Table {
        let words = (1usize << bits).div_ceil(64);
        Table { bits, present: vec![0; words], ranks: vec![0; words], rows: Vec::new() }
    }

    /// Appends row `row` (rows must come in increasing order; zero rows are skipped).
    pub(super) fn push(&mut self, row: usize, values: [i8; STRIDE]) {
        if values.iter().all(|&v| v == 0) {
            return;
        }
        self.present[row / 64] |= 1 << (row % 64);
        self.rows.push(values);
    }

    /// Fills in the rank counts once every row is pushed.
    pub(super) fn finish(&mut self) {
        let mut count = 0u32;
        for (rank, word) in self.ranks.iter_mut().zip(&self.present) {
            *rank = count;
            count += word.count_ones();
        }
    }

    #[inline]
    fn get(&self, row: u32) -> Option<&[i8; STRIDE]> {
        let (word, bit) = (row as usize / 64, row % 64);
        let bits = *self.present.get(word)?;
        if bits >> bit & 1 == 0 {
            return None;
        }
        let index = self.ranks[word] as usize + (bits & ((1u64 << bit) - 1)).count_ones() as usize;
        self.rows.get(index)
    }

    /// The stored rows with their numbers, in order.
    fn iter(&self) -> impl Iterator<Item = (usize, &[i8; STRIDE])> + '_ {
        let numbers = self
            .present
            .iter()
            .enumerate()
            .flat_map(|(w, &bits)| (0..64).filter(move |b| bits >> b & 1 != 0).map(move |b| w * 64 + b));
        numbers.zip(&self.rows)
    }
}

// ---------------------------------------------------------------------------------------------------
// The model

/// The model format this build reads and writes.
const MODEL_VERSION: u16 = 1;
/// The container of model files.
const FORMAT: Format = Format {
    magic: *b"SOROTNER",
    version: MODEL_VERSION,
    noun: "NER model",
    name: "Sorot NER model",
    remedy: "retrain it with `sorot train-ner`",
};
/// Table sizes a model may have (`2^bits` rows).
pub(super) const BITS_RANGE: std::ops::RangeInclusive<u32> = 10..=24;

/// A trained named-entity recogniser: a weight table, tag transitions and a confidence calibration.
///
/// Load the shipped one with [`NerModel::from_bytes`], train one with [`train`](crate::train), tag
/// text with [`NerModel::tag`].
#[derive(Clone, PartialEq)]
pub struct NerModel {
    bits: u32,
    /// Emission weights (times `scale`).
    weights: Table,
    scale: f32,
    transitions: [[f32; STRIDE]; STRIDE],
    /// Confidence = sigmoid(a · ln(1 + margin) + b), fitted when the model is trained.
    calibration: (f32, f32),
    gazetteer: u32,
}

impl fmt::Debug for NerModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.weights.rows.len();
        f.debug_struct("NerModel")
            .field("bits", &self.bits)
            .field("non_zero_rows", &rows)
            .field("scale", &self.scale)
            .field("calibration", &self.calibration)
            .finish_non_exhaustive()
    }
}

/// Why bytes could not be read as a model; [`NerModelError::kind`] says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NerModelError {
    kind: NerModelErrorKind,
}

/// What is wrong with a model file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NerModelErrorKind {
    /// The container is wrong: not a model (no `SOROTNER`), another format version, cut off, or
    /// damaged.
    Container(ContainerFault),
    /// The model was trained with other features or word lists than this build has.
    Incompatible(String),
    /// The checksum matches but the content does not decode (a writer bug).
    Malformed(String),
}

impl NerModelError {
    /// What is wrong.
    pub fn kind(&self) -> &NerModelErrorKind {
        &self.kind
    }

    fn new(kind: NerModelErrorKind) -> NerModelError {
        NerModelError { kind }
    }

    fn malformed(what: &str) -> NerModelError {
        NerModelError::new(NerModelErrorKind::Malformed(what.to_string()))
    }
}

impl From<ContainerFault> for NerModelError {
    fn from(fault: ContainerFault) -> NerModelError {
        NerModelError::new(NerModelErrorKind::Container(fault))
    }
}

impl fmt::Display for NerModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            NerModelErrorKind::Container(fault) => FORMAT.describe(*fault, f),
            NerModelErrorKind::Incompatible(why) => {
                write!(f, "{} does not fit this build ({why}); {}", FORMAT.noun, FORMAT.remedy)
            }
            NerModelErrorKind::Malformed(what) => FORMAT.describe_malformed(what, f),
        }
    }
}

impl std::error::Error for NerModelError {}

impl NerModel {
    /// Reads a model written by [`NerModel::to_bytes`]: checks the magic, the version, the length, the
    /// checksum and that the model matches this build's features and word lists. Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, NerModelError> {
        use NerModelErrorKind::*;
        let header = FORMAT.read_header(bytes)?.ok_or_else(|| container::short_header(bytes.len()))?;
        let length = header.payload_len;
        let found = (bytes.len() - HEADER_LEN) as u64;
        if found < length {
            return Err(NerModelError::new(Container(ContainerFault::Truncated {
                expected: HEADER_LEN as u64 + length,
                found: bytes.len() as u64,
            })));
        }
        if found > length {
            return Err(NerModelError::malformed("bytes after the end of the model"));
        }
        let payload = &bytes[HEADER_LEN..];
        let mut hasher = container::checksum_start(bytes);
        hasher.update(payload);
        if hasher.finalize() != header.crc {
            return Err(NerModelError::new(Container(ContainerFault::ChecksumMismatch)));
        }
        let mut r = Reader { bytes: payload };
        let features = r.u16()?;
        if features != FEATURE_VERSION {
            return Err(NerModelError::new(Incompatible(format!(
                "feature set {features}, this build has {FEATURE_VERSION}"
            ))));
        }
        let gazetteer = r.u32()?;
        if gazetteer != Gazetteer::get().fingerprint() {
            return Err(NerModelError::new(Incompatible(format!(
                "trained with word lists {gazetteer:08x}, this build has {:08x}",
                Gazetteer::get().fingerprint()
            ))));
        }
        let bits = u32::from(r.u8()?);
        if !BITS_RANGE.contains(&bits) {
            return Err(NerModelError::malformed("table size out of range"));
        }
        let tags = r.u8()?;
        if usize::from(tags) != TAGS {
            return Err(NerModelError::malformed("unexpected number of tags"));
        }
        let scale = r.f32()?;
        let calibration = (r.f32()?, r.f32()?);
        let mut transitions = [[f32::NEG_INFINITY; STRIDE]; STRIDE];
        for row in transitions.iter_mut() {
            for cell in row.iter_mut().take(TAGS) {
                *cell = r.f32()?;
            }
        }
        if ![scale, calibration.0, calibration.1].iter().all(|x| x.is_finite())
            || transitions.iter().flat_map(|r| &r[..TAGS]).any(|x| x.is_nan())
        {
            return Err(NerModelError::malformed("non-finite parameter"));
        }
        let count = r.u32()? as usize;
        let rows = 1usize << bits;
        if count > rows || count.saturating_mul(3) > r.bytes.len() {
            return Err(NerModelError::malformed("row count exceeds the data"));
        }
        let mut weights = Table::new(bits);
        let mut row = 0usize;
        for i in 0..count {
            let delta = r.varint()? as usize;
            row = if i == 0 {
                delta
            } else {
                row.checked_add(delta).filter(|_| delta > 0).unwrap_or(usize::MAX)
            };
            if row >= rows {
                return Err(NerModelError::malformed("row index out of range"));
            }
            let mask = r.u8()?;
            if mask == 0 || mask >= 1 << TAGS {
                return Err(NerModelError::malformed("bad row mask"));
            }
            let mut values = [0i8; STRIDE];
            for (tag, w) in values.iter_mut().take(TAGS).enumerate() {
                if mask & 1 << tag != 0 {
                    let v = r.u8()? as i8;
                    if v == 0 {
                        return Err(NerModelError::malformed("zero weight stored"));
                    }
                    *w = v;
                }
            }
            weights.push(row, values);
        }
        if !r.bytes.is_empty() {
            return Err(NerModelError::malformed("trailing bytes in the payload"));
        }
        weights.finish();
        Ok(NerModel { bits, weights, scale, transitions, calibration, gazetteer })
    }

    /// The model as bytes: header (magic, version, length, CRC-32) and the non-zero rows of the table.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = FORMAT.begin(0);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&self.gazetteer.to_le_bytes());
        out.push(self.bits as u8);
        out.push(TAGS as u8);
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.calibration.0.to_le_bytes());
        out.extend_from_slice(&self.calibration.1.to_le_bytes());
        for row in &self.transitions {
            for cell in &row[..TAGS] {
                out.extend_from_slice(&cell.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.weights.rows.len() as u32).to_le_bytes());
        let mut previous = 0usize;
        for (i, (row, values)) in self.weights.iter().enumerate() {
            write_varint(&mut out, (if i == 0 { row } else { row - previous }) as u64);
            previous = row;
            let values = &values[..TAGS];
            let mask = values.iter().enumerate().fold(0u8, |m, (i, &w)| if w != 0 { m | 1 << i } else { m });
            out.push(mask);
            out.extend(values.iter().filter(|&&w| w != 0).map(|&w| w as u8));
        }
        container::seal(&mut out);
        out
    }

    /// Tags raw text (any length, any Unicode). `lang` is the article's ISO 639-1 code: "en" uses the
    /// English fallback (gazetteer + capitalisation + titles); anything else the statistical model.
    ///
    /// Mentions come sorted by position, never overlap, and their spans lie on char boundaries. A name
    /// the tagger found once (`Vladimir Putin`) is also found where it recurs in the same text without
    /// context (`Putin`), with a lower confidence.
    pub fn tag(&self, text: &str, lang: &str) -> Vec<Mention> {
        let mentions = if lang == "en" { english::tag(text) } else { self.tag_statistical(text) };
        propagate(text, mentions)
    }

    fn tag_statistical(&self, text: &str) -> Vec<Mention> {
        let coordinators = coordinators();
        let mut out = Vec::new();
        let mut features = Features::default();
        let mut lattice = Lattice::default();
        let mut sentences = Sentences::new(text);
        let mut tokens = Vec::new();
        while sentences.next_into(&mut tokens) {
            self.tag_tokens(tokens.iter().map(|t| &text[t.start..t.end]), &mut features, &mut lattice);
            let infos = &features.infos;
            for (start, end, kind, margin) in path_entities(&lattice.path, &lattice.margins) {
                let confidence = self.confidence(margin);
                let mut start = start;
                if let Some((split, head)) = leading_name(&infos[start..end], kind) {
                    out.push(Mention {
                        span: Span::new(tokens[start].start, tokens[start + split - 1].end),
                        kind: head,
                        confidence,
                    });
                    start += split;
                }
                let mut part = start;
                let cuts = coordinated_names(&infos[start..end], &coordinators);
                for cut in cuts.into_iter().map(|c| start + c).chain([end]) {
                    let kind = listed_kind(&infos[part..cut], kind);
                    out.push(Mention {
                        span: Span::new(tokens[part].start, tokens[cut - 1].end),
                        kind,
                        confidence,
                    });
                    part = cut + 1;
                }
            }
        }
        out
    }

    /// Explains how [`NerModel::tag`] tags `text` (see [`NerExplanation`]): the same tokens,
    /// features and decoder, with what each step saw.
    pub fn explain(&self, text: &str, lang: &str) -> NerExplanation {
        let mentions = self.tag(text, lang);
        if lang == "en" {
            let mentions =
                mentions.into_iter().map(|m| MentionExplanation::new(text, &m, "rules", None)).collect();
            return NerExplanation {
                language: lang.to_string(),
                tagger: "english-rules",
                sentences: Vec::new(),
                mentions,
            };
        }
        let mut features = Features::default();
        let mut lattice = Lattice::default();
        let mut sentences = Sentences::new(text);
        let mut tokens = Vec::new();
        let mut explained = Vec::new();
        // Each entity on a path: its byte span, and where it is (sentence, first and end token).
        let mut entities: Vec<(Span, usize, usize, usize, f32)> = Vec::new();
        while sentences.next_into(&mut tokens) {
            let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
            self.tag_tokens(words.iter().copied(), &mut features, &mut lattice);
            let labelled = features.describe(&words, self.bits);
            let s = explained.len();
            for (start, end, _, margin) in path_entities(&lattice.path, &lattice.margins) {
                entities.push((Span::new(tokens[start].start, tokens[end - 1].end), s, start, end, margin));
            }
            let tokens = tokens
                .iter()
                .zip(labelled)
                .enumerate()
                .map(|(i, (token, rows))| {
                    let (tag, second) = (lattice.path[i] as usize, lattice.runner_up[i] as usize);
                    let mut pushes: Vec<FeatureWeight> = rows
                        .into_iter()
                        .filter_map(|(row, feature)| {
                            let w = self.weights.get(row)?;
                            let weight = (f32::from(w[tag]) - f32::from(w[second])) * self.scale;
                            (weight != 0.0).then_some(FeatureWeight { feature, weight })
                        })
                        .collect();
                    let total = pushes.iter().map(|f| f.weight).sum();
                    crate::order::sort_by(&mut pushes, |a, b| b.weight.total_cmp(&a.weight));
                    let against = pushes
                        .iter()
                        .rev()
                        .take_while(|f| f.weight < 0.0)
                        .take(TOP_FEATURES)
                        .cloned()
                        .collect();
                    pushes.truncate(TOP_FEATURES);
                    pushes.retain(|f| f.weight > 0.0);
                    let scores = &lattice.scores[i * STRIDE..(i + 1) * STRIDE];
                    let gazetteer = features.infos[i].gazetteer;
                    TokenTag {
                        text: words[i].to_string(),
                        span: Span::new(token.start, token.end),
                        tag: TAG_NAMES[tag],
                        runner_up: TAG_NAMES[second],
                        margin: lattice.margins[i].is_finite().then_some(lattice.margins[i]),
                        lists: list_names(gazetteer),
                        emission: scores[tag] - scores[second],
                        features_total: total,
                        for_tag: pushes,
                        against,
                    }
                })
                .collect();
            explained.push(SentenceTags { tokens });
        }
        let mentions = mentions
            .iter()
            .map(|m| {
                let on_path = entities.iter().find(|e| e.0.start <= m.span.start && m.span.end <= e.0.end);
                let how = match on_path {
                    Some(e) if e.0 == m.span => "tagged",
                    Some(_) => "cut",
                    None => "propagated",
                };
                let at = on_path.map(|&(_, s, start, end, margin)| MentionPlace {
                    sentence: s,
                    tokens: (start, end),
                    margin,
                });
                MentionExplanation::new(text, m, how, at)
            })
            .collect();
        NerExplanation { language: lang.to_string(), tagger: "model", sentences: explained, mentions }
    }

    /// Featurises and decodes one sentence; the result is in `lattice.path` and `lattice.margins`.
    fn tag_tokens<'t>(
        &self,
        tokens: impl Iterator<Item = &'t str>,
        features: &mut Features,
        lattice: &mut Lattice,
    ) {
        features.featurize(tokens, self.bits);
        let n = features.infos.len();
        lattice.scores.clear();
        lattice.scores.resize(n * STRIDE, 0.0);
        for i in 0..n {
            let start = if i == 0 { 0 } else { features.row_ends[i - 1] };
            let sums = self.emission(&features.rows[start..features.row_ends[i]]);
            lattice.scores[i * STRIDE..(i + 1) * STRIDE].copy_from_slice(&sums);
        }
        decode(&self.transitions, n, lattice);
    }

    /// The emission scores of one token from its feature rows.
    #[inline]
    pub(super) fn emission(&self, rows: &[u32]) -> [f32; STRIDE] {
        let mut sums = [0i32; STRIDE];
        for &row in rows {
            if let Some(weights) = self.weights.get(row) {
                for (s, &w) in sums.iter_mut().zip(weights) {
                    *s += i32::from(w);
                }
            }
        }
        sums.map(|s| s as f32 * self.scale)
    }

    /// The confidence of a mention whose smallest margin is `margin`.
    fn confidence(&self, margin: f32) -> f32 {
        let (a, b) = self.calibration;
        let z = f64::from(a) * log_margin(margin) + f64::from(b);
        (1.0 / (1.0 + (-z).exp())).clamp(0.0, 1.0) as f32
    }

    /// A model of quantised weights (as training makes it), for this build's word lists.
    pub(super) fn new(
        bits: u32,
        weights: Table,
        scale: f32,
        transitions: [[f32; STRIDE]; STRIDE],
        calibration: (f32, f32),
    ) -> NerModel {
        NerModel { bits, weights, scale, transitions, calibration, gazetteer: Gazetteer::get().fingerprint() }
    }

    /// Tag transition scores, `[previous][current]` (`START` before the first token).
    pub(super) fn transitions(&self) -> &[[f32; STRIDE]; STRIDE] {
        &self.transitions
    }

    /// Replaces the confidence calibration (see [`NerModel::confidence`]).
    pub(super) fn set_calibration(&mut self, calibration: (f32, f32)) {
        self.calibration = calibration;
    }
}

/// Features listed for and against a token's tag.
const TOP_FEATURES: usize = 6;

/// The tags' names, by number.
const TAG_NAMES: [&str; TAGS] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];

/// The word lists whose bits are set in a token's annotation, in words.
fn list_names(bits: u32) -> Vec<String> {
    (0..LIST_COUNT as u32 * BITS_PER_LIST)
        .filter(|b| bits & (1 << b) != 0)
        .map(super::features::list_bit)
        .collect()
}

/// How the recogniser read a text ([`NerModel::explain`]): each sentence's tokens with their tags and
/// why, and each mention with how it came about.
#[derive(Clone, Debug, Serialize)]
pub struct NerExplanation {
    /// The language it was tagged as.
    pub language: String,
    /// `model` (the statistical tagger) or `english-rules` (word lists, capitals and titles: English
    /// text has no trained model, and no sentences are shown).
    pub tagger: &'static str,
    /// The sentences as the tagger cut them.
    pub sentences: Vec<SentenceTags>,
    /// The mentions found, as [`NerModel::tag`] gives them.
    pub mentions: Vec<MentionExplanation>,
}

/// A sentence's tokens with their tags.
#[derive(Clone, Debug, Serialize)]
pub struct SentenceTags {
    /// Its tokens.
    pub tokens: Vec<TokenTag>,
}

/// One token's tag and what decided it.
#[derive(Clone, Debug, Serialize)]
pub struct TokenTag {
    /// The token.
    pub text: String,
    /// Where it is (UTF-8 bytes).
    pub span: Span,
    /// Its tag on the best path (`B-PER`: begins a person's name, `I-PER`: continues it, `O`: none).
    pub tag: &'static str,
    /// The tag of the best path with another tag here.
    pub runner_up: &'static str,
    /// How far the best path is ahead of that one (none: no other tag was possible).
    pub margin: Option<f32>,
    /// The word lists it is in.
    pub lists: Vec<String>,
    /// Its own evidence for the tag over the runner-up: the difference of their emission scores
    /// (the rest of the margin is the neighbours' tags and the transitions).
    pub emission: f32,
    /// The same, added up from every feature (equal to `emission` up to rounding).
    pub features_total: f32,
    /// The features that pushed most for the tag over the runner-up, with by how much.
    pub for_tag: Vec<FeatureWeight>,
    /// The features that pushed most for the runner-up.
    pub against: Vec<FeatureWeight>,
}

/// A feature and what it weighed.
#[derive(Clone, Debug, Serialize)]
pub struct FeatureWeight {
    /// The feature, in words.
    pub feature: String,
    /// Its weight for the tag minus its weight for the runner-up.
    pub weight: f32,
}

/// Where a mention's tokens are.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct MentionPlace {
    /// The sentence.
    pub sentence: usize,
    /// Its first token and the token after its last, of the path's entity it is (part of).
    pub tokens: (usize, usize),
    /// The smallest margin over those tokens and the one after them.
    pub margin: f32,
}

/// A mention and how it came about.
#[derive(Clone, Debug, Serialize)]
pub struct MentionExplanation {
    /// Its text.
    pub text: String,
    /// Where it is (UTF-8 bytes).
    pub span: Span,
    /// Its type.
    pub kind: EntityType,
    /// The confidence: a calibrated function of the margin.
    pub confidence: f32,
    /// `tagged` (an entity of the best path), `cut` (part of one: a title or names joined by `dan`
    /// cut off), `propagated` (a name tagged elsewhere in the text, found again here) or `rules`
    /// (English).
    pub how: &'static str,
    /// Where the path has it (tagged or cut).
    pub place: Option<MentionPlace>,
}

impl MentionExplanation {
    fn new(text: &str, m: &Mention, how: &'static str, place: Option<MentionPlace>) -> MentionExplanation {
        MentionExplanation {
            text: text.get(m.span.start..m.span.end).unwrap_or("").to_string(),
            span: m.span,
            kind: m.kind,
            confidence: m.confidence,
            how,
            place,
        }
    }
}

/// What the calibration sees of a margin: its logarithm (margins spread over orders of magnitude),
/// with infinite margins (a token with a single possible tag) capped.
pub(super) fn log_margin(margin: f32) -> f64 {
    f64::from(margin.clamp(0.0, 1e4)).ln_1p()
}

/// Reads the payload of a model file.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], NerModelError> {
        if self.bytes.len() < n {
            return Err(NerModelError::malformed("unexpected end of data"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], NerModelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, NerModelError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, NerModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, NerModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, NerModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    fn varint(&mut self) -> Result<u64, NerModelError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(NerModelError::malformed("varint too long"))
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ner::mention::EntityType;
    use crate::ner::testing::{check_mentions, named, shipped, small};

    #[test]
    fn model_errors_are_specific() {
        let bytes = small().to_bytes();
        struct Case {
            name: &'static str,
            bytes: Vec<u8>,
            expected: fn(&NerModelErrorKind) -> bool,
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        let mut version = bytes.clone();
        version[8] = 99;
        let cases = [
            Case {
                name: "empty",
                bytes: vec![],
                expected: |k| matches!(k, NerModelErrorKind::Container(ContainerFault::NotThisFormat)),
            },
            Case {
                name: "a pack",
                bytes: b"SOROTPAK and more".to_vec(),
                expected: |k| matches!(k, NerModelErrorKind::Container(ContainerFault::NotThisFormat)),
            },
            Case {
                name: "header only",
                bytes: bytes[..10].to_vec(),
                expected: |k| matches!(k, NerModelErrorKind::Container(ContainerFault::Truncated { .. })),
            },
            Case {
                name: "cut off",
                bytes: bytes[..bytes.len() / 2].to_vec(),
                expected: |k| matches!(k, NerModelErrorKind::Container(ContainerFault::Truncated { .. })),
            },
            Case {
                name: "flipped bit",
                bytes: flipped,
                expected: |k| matches!(k, NerModelErrorKind::Container(ContainerFault::ChecksumMismatch)),
            },
            Case {
                name: "future version",
                bytes: version,
                expected: |k| {
                    matches!(k, NerModelErrorKind::Container(ContainerFault::WrongVersion { found: 99 }))
                },
            },
        ];
        for case in &cases {
            let error = NerModel::from_bytes(&case.bytes).expect_err(case.name);
            assert!((case.expected)(error.kind()), "{}: {error:?}", case.name);
            assert!(!error.to_string().is_empty());
        }
    }

    /// What the CLI prints, word for word.
    #[test]
    fn error_messages() {
        use NerModelErrorKind::*;
        let version = format!(
            "NER model format version 9 is not supported (this build reads version {MODEL_VERSION}); retrain \
             it with `sorot train-ner`"
        );
        let cases = [
            (Container(ContainerFault::NotThisFormat), "not a Sorot NER model (it does not start with SOROTNER)"),
            (Container(ContainerFault::WrongVersion { found: 9 }), version.as_str()),
            (
                Container(ContainerFault::Truncated { expected: 100, found: 60 }),
                "NER model is cut off: 60 of 100 bytes present; copy or download it again",
            ),
            (Container(ContainerFault::ChecksumMismatch), "NER model is damaged (checksum mismatch); copy or download it again"),
            (
                Incompatible("feature set 2, this build has 1".into()),
                "NER model does not fit this build (feature set 2, this build has 1); retrain it with `sorot \
                 train-ner`",
            ),
            (Malformed("bad row mask".into()), "NER model content does not decode: bad row mask"),
        ];
        for (kind, text) in cases {
            assert_eq!(NerModelError::new(kind).to_string(), text);
        }
    }

    /// Business, technology and sports sentences (written for this test): the cases the model gets right.
    #[test]
    fn business_technology_sports() {
        struct Case {
            name: &'static str,
            text: &'static str,
            expected: &'static [(&'static str, EntityType)],
        }
        use EntityType::*;
        let cases = [
            Case {
                name: "food company",
                text: "Indofood menaikkan harga mi instan.",
                expected: &[("Indofood", Org)],
            },
            Case {
                name: "companies opening a sentence",
                text: "Gojek dan Tokopedia bergabung membentuk GoTo.",
                expected: &[("Gojek", Org), ("Tokopedia", Org), ("GoTo", Org)],
            },
            Case {
                name: "electronics and ride hailing",
                text: "Samsung dan Uber membuka kantor di Jakarta.",
                expected: &[("Samsung", Org), ("Uber", Org), ("Jakarta", Loc)],
            },
            Case {
                name: "minister and state company",
                text: "Menteri BUMN Erick Thohir meninjau Pertamina di Balikpapan.",
                expected: &[("BUMN", Org), ("Erick Thohir", Per), ("Pertamina", Org), ("Balikpapan", Loc)],
            },
        ];
        // Not asserted (wrong or partly wrong), printed for the record.
        let misses = [
            "Persib Bandung mengalahkan Persija di Stadion Gelora Bung Karno.",
            "Saham Telkom naik setelah PT Bank Central Asia Tbk melaporkan laba.",
            "Apple meluncurkan iPhone baru di Cupertino, California.",
            "Pebalap Ducati, Francesco Bagnaia, menang di Mandalika.",
            "Timnas Indonesia kalah dari Vietnam di Piala AFF.",
            "Denda dikenakan kepada Google dan Facebook.",
        ];
        for text in misses {
            eprintln!("{text}\n    {:?}", named(text, &shipped().tag(text, "id")));
        }
        for case in &cases {
            let mentions = shipped().tag(case.text, "id");
            check_mentions(case.text, &mentions);
            let got = named(case.text, &mentions);
            let expected: Vec<(String, EntityType)> =
                case.expected.iter().map(|(t, k)| (t.to_string(), *k)).collect();
            assert_eq!(got, expected, "{}", case.name);
        }
    }

    #[test]
    fn long_text_is_tagged_in_linear_time() {
        // 10 MB: news sentences, then a stretch with no sentence ends and no line breaks.
        let sentence = "Presiden Joko Widodo bertemu Menteri Luar Negeri Retno Marsudi di Jakarta, kata juru bicara “Istana” kemarin. ";
        let mut text = sentence.repeat(5_000_000 / sentence.len());
        let run_on = "dan Bandung serta Surabaya bersama PT Pertamina ";
        text.push_str(&run_on.repeat(5_000_000 / run_on.len()));
        let mentions = shipped().tag(&text, "id");
        check_mentions(&text, &mentions);
        assert!(mentions.len() > 100_000, "{} mentions", mentions.len());
        let english = shipped().tag(&text, "en");
        check_mentions(&text, &english);
    }

    #[test]
    fn seed_article_sanity() {
        let path = format!("{}/../../seeds/000_ce9894c18006a3a8.txt", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mentions = shipped().tag(&text, "id");
        check_mentions(&text, &mentions);
        let got = named(&text, &mentions);
        for m in &got {
            eprintln!("{:?} {}", m.1, m.0);
        }
        let putin = got.iter().filter(|(t, k)| t.contains("Putin") && *k == EntityType::Per).count();
        assert_eq!(putin, 6, "{got:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        #[test]
        fn tagging_never_panics(text in "\\PC{0,200}", lang in prop::sample::select(vec!["id", "en", ""])) {
            let mentions = shipped().tag(&text, lang);
            check_mentions(&text, &mentions);
        }

        #[test]
        fn tagging_mixed_scripts_and_controls(text in "[A-Za-zÀ-ÿ“”\"'().,;:!?\\-– \\n\\t\\u{0}\\u{200b}😀한국語]{0,300}") {
            for lang in ["id", "en"] {
                let mentions = shipped().tag(&text, lang);
                check_mentions(&text, &mentions);
            }
        }

        #[test]
        fn model_bytes_never_panic(garbage in prop::collection::vec(any::<u8>(), 0..400), cut in 0usize..10_000, flip in 0usize..10_000, bit in 0u8..8) {
            let _ = NerModel::from_bytes(&garbage);
            let mut with_magic = FORMAT.magic.to_vec();
            with_magic.extend(&garbage);
            let _ = NerModel::from_bytes(&with_magic);
            let bytes = small().to_bytes();
            let cut = cut % bytes.len();
            prop_assert!(NerModel::from_bytes(&bytes[..cut]).is_err());
            let mut flipped = bytes.clone();
            let at = flip % flipped.len();
            flipped[at] ^= 1 << bit;
            prop_assert!(NerModel::from_bytes(&flipped).is_err());
        }
    }
}
