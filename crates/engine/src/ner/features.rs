//! The tagger's features: what it sees of each token (hashes of the word, its shape, affixes, flags
//! and word-list matches) and of its neighbours, hashed into rows of the weight table.

use super::gazetteer::{Gazetteer, List, BITS_PER_LIST, LIST_COUNT};
use super::tokens::{mix, CharHash};

// Token flags.
/// The token starts with a capital letter.
pub(super) const F_INIT_CAP: u32 = 1;
const F_ALL_CAPS: u32 = 1 << 1;
const F_ALL_LOWER: u32 = 1 << 2;
const F_MIXED: u32 = 1 << 3;
const F_HAS_DIGIT: u32 = 1 << 4;
const F_ALL_DIGIT: u32 = 1 << 5;
const F_HYPHEN: u32 = 1 << 6;
const F_PERIOD: u32 = 1 << 7;
const F_APOSTROPHE: u32 = 1 << 8;
const F_PUNCT: u32 = 1 << 9;
const F_CAP_AFTER_HYPHEN: u32 = 1 << 10;
const F_QUOTE: u32 = 1 << 11;
const F_BRACKET: u32 = 1 << 12;
const FLAG_COUNT: u32 = 13;

/// Everything the features need to know about one token, as hashes.
#[derive(Clone, Copy, Default)]
pub(super) struct TokenInfo {
    word: u64,
    /// The hash of its lower-cased form.
    pub(super) lower: u64,
    shape: u64,
    short_shape: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 3],
    /// `F_*` bits.
    pub(super) flags: u32,
    length: u32,
    /// Word-list bits ([`Gazetteer::annotate`]).
    pub(super) gazetteer: u32,
}

impl TokenInfo {
    fn of(token: &str) -> TokenInfo {
        let mut word = CharHash::NEW;
        let mut lower = CharHash::NEW;
        let mut shape = CharHash::NEW;
        let mut short_shape = CharHash::NEW;
        let mut prefix = CharHash::NEW;
        let mut prefixes = [0u64; 3];
        let mut tail = ['\0'; 4];
        let (mut lowers, mut length) = (0usize, 0u32);
        let (mut last_class, mut run) = ('\0', 0u32);
        let (mut upper, mut lower_count, mut digits, mut alnum) = (0u32, 0u32, 0u32, 0u32);
        let mut flags = 0u32;
        let mut previous = '\0';
        for c in token.chars() {
            length += 1;
            word.push(c);
            let mut push_one = |l: char| {
                lower.push(l);
                lowers += 1;
                if lowers <= 4 {
                    prefix.push(l);
                    if lowers >= 2 {
                        prefixes[lowers - 2] = prefix.finish();
                    }
                }
                tail.rotate_left(1);
                tail[3] = l;
            };
            if c.is_ascii() {
                push_one(c.to_ascii_lowercase());
            } else if c == '’' {
                push_one('\'');
            } else {
                c.to_lowercase().for_each(&mut push_one);
            }
            let class = class_of(c);
            match class {
                'X' => {
                    upper += 1;
                    if previous.is_lowercase() {
                        flags |= F_MIXED;
                    }
                    if matches!(previous, '-' | '\u{2010}' | '\u{2011}') {
                        flags |= F_CAP_AFTER_HYPHEN;
                    }
                }
                'x' => lower_count += 1,
                'd' => digits += 1,
                'a' => {}
                _ => match c {
                    '-' | '\u{2010}' | '\u{2011}' | '–' => flags |= F_HYPHEN,
                    '.' => flags |= F_PERIOD,
                    '\'' | '’' => flags |= F_APOSTROPHE,
                    '“' | '”' | '"' | '‘' | '«' | '»' => flags |= F_QUOTE,
                    '(' | ')' | '[' | ']' => flags |= F_BRACKET,
                    _ => {}
                },
            }
            if c.is_alphanumeric() {
                alnum += 1;
            }
            if class == last_class {
                run += 1;
            } else {
                run = 1;
                last_class = class;
                short_shape.push(class);
            }
            if run <= 4 {
                shape.push(class);
            }
            previous = c;
        }
        if token.chars().next().is_some_and(char::is_uppercase) {
            flags |= F_INIT_CAP;
        }
        if upper >= 2 && lower_count == 0 {
            flags |= F_ALL_CAPS;
        }
        if lower_count > 0 && upper == 0 {
            flags |= F_ALL_LOWER;
        }
        if digits > 0 {
            flags |= F_HAS_DIGIT;
            if digits == alnum && upper + lower_count == 0 {
                flags |= F_ALL_DIGIT;
            }
        }
        if alnum == 0 {
            flags |= F_PUNCT;
        }
        let mut suffixes = [0u64; 3];
        for (k, slot) in suffixes.iter_mut().enumerate() {
            let n = k + 2;
            if lowers >= n {
                let mut h = CharHash::NEW;
                tail[4 - n..].iter().for_each(|&c| h.push(c));
                *slot = h.finish();
            }
        }
        TokenInfo {
            word: word.finish(),
            lower: lower.finish(),
            shape: shape.finish(),
            short_shape: short_shape.finish(),
            prefixes,
            suffixes,
            flags,
            length,
            gazetteer: 0,
        }
    }
}

/// A character's class in a word's shape: `X` upper case, `x` lower case, `d` a digit, `a` another
/// letter, anything else itself.
fn class_of(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a'
    } else {
        c
    }
}

/// What a token's features see of it, written out (for explanations): its lower-cased form, its shape
/// (runs of a class cut at 4: `Xxxxx` for `Putin`... `Xxxx`) and short shape (runs collapsed: `Xx`).
pub(super) fn written_forms(token: &str) -> (String, String, String) {
    let mut lower = String::new();
    for c in token.chars() {
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
        } else if c == '’' {
            lower.push('\'');
        } else {
            lower.extend(c.to_lowercase());
        }
    }
    let (mut shape, mut short) = (String::new(), String::new());
    let (mut last, mut run) = ('\0', 0);
    for class in token.chars().map(class_of) {
        if class == last {
            run += 1;
        } else {
            (last, run) = (class, 1);
            short.push(class);
        }
        if run <= 4 {
            shape.push(class);
        }
    }
    (lower, shape, short)
}

/// Where a token's features go: the weight table's rows (tagging), or rows with what each feature is
/// (explaining; `label` is only called then).
pub(super) trait Sink {
    fn feature(&mut self, key: u64, label: impl FnOnce() -> String);
}

/// The rows of a table of `2^(64 - shift)` rows.
struct Rows<'a> {
    out: &'a mut Vec<u32>,
    shift: u32,
}

impl Sink for Rows<'_> {
    #[inline]
    fn feature(&mut self, key: u64, _label: impl FnOnce() -> String) {
        self.out.push((key >> self.shift) as u32);
    }
}

/// Rows with their features written out.
pub(super) struct Labelled {
    pub(super) rows: Vec<(u32, String)>,
    shift: u32,
}

impl Sink for Labelled {
    fn feature(&mut self, key: u64, label: impl FnOnce() -> String) {
        self.rows.push(((key >> self.shift) as u32, label()));
    }
}

const FLAG_NAMES: [&str; FLAG_COUNT as usize] = [
    "starts with a capital",
    "all capitals",
    "all lower case",
    "mixed case",
    "has a digit",
    "all digits",
    "has a hyphen",
    "has a period",
    "has an apostrophe",
    "punctuation",
    "a capital after a hyphen",
    "a quote",
    "a bracket",
];

/// The names of the flags set in `flags`.
fn flag_names(flags: u32) -> String {
    let names: Vec<&str> =
        (0..FLAG_COUNT).filter(|b| flags & (1 << b) != 0).map(|b| FLAG_NAMES[b as usize]).collect();
    if names.is_empty() {
        "nothing of note".to_string()
    } else {
        names.join(", ")
    }
}

/// A word-list annotation bit, in words: the list and whether a match begins, continues or is the
/// token alone.
pub(super) fn list_bit(bit: u32) -> String {
    let how = match bit % BITS_PER_LIST {
        0 => "begins a name of",
        1 => "continues a name of",
        _ => "is an entry of",
    };
    format!("{how} the list of {}", List::ALL[(bit / BITS_PER_LIST) as usize].describe())
}

/// Stand-ins for the tokens before the start and after the end of a sentence.
const BEFORE: TokenInfo = padding(0x0b0f_5e17_7e11_0001);
const AFTER: TokenInfo = padding(0x0e0f_5e17_7e11_0002);

const fn padding(h: u64) -> TokenInfo {
    TokenInfo {
        word: h,
        lower: h,
        shape: h,
        short_shape: h,
        prefixes: [0; 3],
        suffixes: [0; 3],
        flags: 0,
        length: 0,
        gazetteer: 0,
    }
}

// Feature templates. Changing them changes every model: bump FEATURE_VERSION.
pub(super) const FEATURE_VERSION: u16 = 1;
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_LOWER_M1: u64 = 4;
const T_LOWER_M2: u64 = 5;
const T_LOWER_P1: u64 = 6;
const T_LOWER_P2: u64 = 7;
const T_BIGRAM_M1: u64 = 8;
const T_BIGRAM_P1: u64 = 9;
const T_SHAPE: u64 = 10;
const T_SHORT_TRI: u64 = 11;
const T_SHORT_M1: u64 = 12;
const T_SHORT_P1: u64 = 13;
const T_SHORT_LOWER_M1: u64 = 14;
const T_SHORT_LOWER_P1: u64 = 15;
const T_PREFIX: u64 = 16; // + 0..3
const T_SUFFIX: u64 = 20; // + 0..3
const T_FLAG: u64 = 24;
const T_LENGTH: u64 = 25;
const T_START: u64 = 26;
const T_GAZ: u64 = 27;
const T_GAZ_CAP: u64 = 28;
const T_GAZ_M1: u64 = 29;
const T_GAZ_P1: u64 = 30;
const T_WORD_M1: u64 = 31;
const T_WORD_P1: u64 = 32;
const T_FLAGS_M1: u64 = 33;
const T_FLAGS_P1: u64 = 34;
const T_GAZ_LOWER_M1: u64 = 35;

#[inline]
fn key(template: u64, value: u64) -> u64 {
    mix(value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

#[inline]
fn key2(template: u64, a: u64, b: u64) -> u64 {
    mix(key(template, a) ^ b.rotate_left(23))
}

/// Gives `sink` the features of token `i` of a sentence; `words`, the tokens' texts, only for the
/// labels (empty when tagging).
fn token_features(infos: &[TokenInfo], words: &[&str], i: usize, first_word: usize, sink: &mut impl Sink) {
    let at = |offset: isize| -> &TokenInfo {
        let j = i as isize + offset;
        if j < 0 {
            &BEFORE
        } else {
            infos.get(j as usize).unwrap_or(&AFTER)
        }
    };
    // A word's text for a label: as written, lower-cased, or its shapes.
    let word = |offset: isize| -> &str {
        match i.checked_add_signed(offset) {
            Some(j) => words.get(j).copied().unwrap_or("(the sentence's end)"),
            None => "(the sentence's start)",
        }
    };
    let lower = |offset: isize| written_forms(word(offset)).0;
    let short = |offset: isize| written_forms(word(offset)).2;
    let (m2, m1, t, p1, p2) = (at(-2), at(-1), at(0), at(1), at(2));
    let mut push = |k: u64, label: &dyn Fn() -> String| sink.feature(k, label);
    push(key(T_BIAS, 0), &|| "bias (every token)".into());
    push(key(T_WORD, t.word), &|| format!("the word “{}”", word(0)));
    push(key(T_LOWER, t.lower), &|| format!("the word “{}” in any case", lower(0)));
    push(key(T_LOWER_M1, m1.lower), &|| format!("the word before is “{}”", lower(-1)));
    push(key(T_LOWER_M2, m2.lower), &|| format!("two words before: “{}”", lower(-2)));
    push(key(T_LOWER_P1, p1.lower), &|| format!("the word after is “{}”", lower(1)));
    push(key(T_LOWER_P2, p2.lower), &|| format!("two words after: “{}”", lower(2)));
    push(key2(T_BIGRAM_M1, m1.lower, t.lower), &|| format!("the words “{} {}”", lower(-1), lower(0)));
    push(key2(T_BIGRAM_P1, t.lower, p1.lower), &|| format!("the words “{} {}”", lower(0), lower(1)));
    push(key(T_SHAPE, t.shape), &|| format!("the shape “{}”", written_forms(word(0)).1));
    push(key2(T_SHORT_TRI, key(0, m1.short_shape) ^ t.short_shape, p1.short_shape), &|| {
        format!("the shapes “{} {} {}” of the word and its neighbours", short(-1), short(0), short(1))
    });
    push(key2(T_SHORT_M1, m1.short_shape, t.short_shape), &|| {
        format!("the shapes “{} {}” of the word before and this one", short(-1), short(0))
    });
    push(key2(T_SHORT_P1, t.short_shape, p1.short_shape), &|| {
        format!("the shapes “{} {}” of this word and the next", short(0), short(1))
    });
    push(key2(T_SHORT_LOWER_M1, t.short_shape, m1.lower), &|| {
        format!("the shape “{}” after the word “{}”", short(0), lower(-1))
    });
    push(key2(T_SHORT_LOWER_P1, t.short_shape, p1.lower), &|| {
        format!("the shape “{}” before the word “{}”", short(0), lower(1))
    });
    push(key(T_WORD_M1, m1.word), &|| format!("the word before is “{}” as written", word(-1)));
    push(key(T_WORD_P1, p1.word), &|| format!("the word after is “{}” as written", word(1)));
    for (k, &h) in t.prefixes.iter().enumerate() {
        if h != 0 {
            push(key(T_PREFIX + k as u64, h), &|| {
                format!("begins with “{}”", lower(0).chars().take(k + 2).collect::<String>())
            });
        }
    }
    for (k, &h) in t.suffixes.iter().enumerate() {
        if h != 0 {
            push(key(T_SUFFIX + k as u64, h), &|| {
                let l: Vec<char> = lower(0).chars().collect();
                format!("ends with “{}”", l[l.len().saturating_sub(k + 2)..].iter().collect::<String>())
            });
        }
    }
    for bit in 0..FLAG_COUNT {
        if t.flags & (1 << bit) != 0 {
            push(key(T_FLAG, u64::from(bit)), &|| format!("it {}", FLAG_NAMES[bit as usize]));
        }
    }
    let around = F_INIT_CAP | F_ALL_CAPS | F_PUNCT | F_QUOTE | F_BRACKET;
    push(key(T_FLAGS_M1, u64::from(m1.flags & around)), &|| {
        format!("the word before: {}", flag_names(m1.flags & around))
    });
    push(key(T_FLAGS_P1, u64::from(p1.flags & around)), &|| {
        format!("the word after: {}", flag_names(p1.flags & around))
    });
    let length = match t.length {
        0..=1 => 1,
        2 => 2,
        3 => 3,
        4..=5 => 4,
        6..=8 => 5,
        _ => 6,
    };
    let lengths = [
        "",
        "1 character",
        "2 characters",
        "3 characters",
        "4–5 characters",
        "6–8 characters",
        "9 or more characters",
    ];
    push(key(T_LENGTH, length), &|| lengths[length as usize].to_string());
    // Sentence start: the first token, or the first after opening quotes and brackets.
    if i <= first_word {
        push(key(T_START, t.short_shape), &|| format!("opens the sentence, shape “{}”", short(0)));
    }
    let cap = u64::from(t.flags & F_INIT_CAP != 0) | u64::from(t.flags & F_ALL_CAPS != 0) << 1;
    let case = ["lower case", "capitalised", "all capitals", "all capitals"];
    for bit in 0..(LIST_COUNT as u32 * BITS_PER_LIST) {
        if t.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ, u64::from(bit)), &|| format!("it {}", list_bit(bit)));
            push(key2(T_GAZ_CAP, u64::from(bit), cap), &|| {
                format!("it {}, {}", list_bit(bit), case[cap as usize])
            });
        }
        if t.gazetteer & (1 << bit) != 0 {
            push(key2(T_GAZ_LOWER_M1, u64::from(bit), m1.lower), &|| {
                format!("it {} after “{}”", list_bit(bit), lower(-1))
            });
        }
        if m1.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ_M1, u64::from(bit)), &|| format!("the word before {}", list_bit(bit)));
        }
        if p1.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ_P1, u64::from(bit)), &|| format!("the word after {}", list_bit(bit)));
        }
    }
}

/// The features of one sentence, in buffers reused from sentence to sentence.
#[derive(Default)]
pub(super) struct Features {
    /// What the features know of each token.
    pub(super) infos: Vec<TokenInfo>,
    lowers: Vec<u64>,
    capitalised: Vec<bool>,
    gazetteer: Vec<u32>,
    /// The weight-table rows of every token's features, one token after the other.
    pub(super) rows: Vec<u32>,
    /// Where each token's rows end in `rows`.
    pub(super) row_ends: Vec<usize>,
}

impl Features {
    /// Computes the feature rows of a sentence's tokens into `rows` / `row_ends`.
    pub(super) fn featurize<'t>(&mut self, tokens: impl Iterator<Item = &'t str>, bits: u32) {
        self.annotate(tokens);
        self.rows.clear();
        self.row_ends.clear();
        let first_word = self.first_word();
        let mut rows = Rows { out: &mut self.rows, shift: 64 - bits };
        for i in 0..self.infos.len() {
            token_features(&self.infos, &[], i, first_word, &mut rows);
            self.row_ends.push(rows.out.len());
        }
    }

    /// Each token's feature rows with what each feature is, for a sentence of `words`.
    pub(super) fn describe(&mut self, words: &[&str], bits: u32) -> Vec<Vec<(u32, String)>> {
        self.annotate(words.iter().copied());
        let first_word = self.first_word();
        (0..self.infos.len())
            .map(|i| {
                let mut labelled = Labelled { rows: Vec::new(), shift: 64 - bits };
                token_features(&self.infos, words, i, first_word, &mut labelled);
                labelled.rows
            })
            .collect()
    }

    /// The first token that is not punctuation (the sentence's start for the features).
    fn first_word(&self) -> usize {
        self.infos.iter().position(|x| x.flags & F_PUNCT == 0).unwrap_or(0)
    }

    /// What the features know of each token: [`TokenInfo`]s with their word-list bits.
    fn annotate<'t>(&mut self, tokens: impl Iterator<Item = &'t str>) {
        self.infos.clear();
        self.infos.extend(tokens.map(TokenInfo::of));
        self.lowers.clear();
        self.lowers.extend(self.infos.iter().map(|info| info.lower));
        self.capitalised.clear();
        self.capitalised.extend(self.infos.iter().map(|info| info.flags & F_INIT_CAP != 0));
        Gazetteer::get().annotate(&self.lowers, &self.capitalised, &mut self.gazetteer);
        for (info, &g) in self.infos.iter_mut().zip(&self.gazetteer) {
            info.gazetteer = g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tokens::Sentences;

    fn hash(text: &str) -> u64 {
        let mut h = CharHash::NEW;
        text.chars().for_each(|c| h.push(c));
        h.finish()
    }

    #[test]
    fn explained_features_are_the_tagged_ones_and_their_words_are_what_was_hashed() {
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../seeds/000_ce9894c18006a3a8.txt"
        ))
        .expect("the seed article");
        let text = format!("{seed}\n“Jomart-Tokayev’s” (CSTO) 2.500 orang — É. Macron, 12 Januari.");
        let (mut tagging, mut explaining) = (Features::default(), Features::default());
        let mut sentences = Sentences::new(&text);
        let mut tokens = Vec::new();
        let mut checked = 0;
        while sentences.next_into(&mut tokens) {
            let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
            tagging.featurize(words.iter().copied(), 20);
            let described = explaining.describe(&words, 20);
            for (i, rows) in described.iter().enumerate() {
                let start = if i == 0 { 0 } else { tagging.row_ends[i - 1] };
                let tagged = &tagging.rows[start..tagging.row_ends[i]];
                assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), tagged, "{}", words[i]);
                assert!(rows.iter().all(|r| !r.1.is_empty()));
                let (lower, shape, short) = written_forms(words[i]);
                let info = &tagging.infos[i];
                assert_eq!(
                    (hash(&lower), hash(&shape), hash(&short)),
                    (info.lower, info.shape, info.short_shape),
                    "{}",
                    words[i]
                );
                checked += 1;
            }
        }
        assert!(checked > 400, "{checked} tokens");
    }
}
