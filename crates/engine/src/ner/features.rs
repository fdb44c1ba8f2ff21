//! The tagger's features: what it sees of each token (hashes of the word, its shape, affixes, flags
//! and word-list matches) and of its neighbours, hashed into rows of the weight table.

use super::gazetteer::{Gazetteer, BITS_PER_LIST, LIST_COUNT};
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
            let class = if c.is_uppercase() {
                upper += 1;
                if previous.is_lowercase() {
                    flags |= F_MIXED;
                }
                if matches!(previous, '-' | '\u{2010}' | '\u{2011}') {
                    flags |= F_CAP_AFTER_HYPHEN;
                }
                'X'
            } else if c.is_lowercase() {
                lower_count += 1;
                'x'
            } else if c.is_numeric() {
                digits += 1;
                'd'
            } else if c.is_alphabetic() {
                'a'
            } else {
                match c {
                    '-' | '\u{2010}' | '\u{2011}' | '–' => flags |= F_HYPHEN,
                    '.' => flags |= F_PERIOD,
                    '\'' | '’' => flags |= F_APOSTROPHE,
                    '“' | '”' | '"' | '‘' | '«' | '»' => flags |= F_QUOTE,
                    '(' | ')' | '[' | ']' => flags |= F_BRACKET,
                    _ => {}
                }
                c
            };
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

/// Appends the weight-table rows of the features of token `i` to `out`.
fn token_features(infos: &[TokenInfo], i: usize, first_word: usize, bits: u32, out: &mut Vec<u32>) {
    let at = |offset: isize| -> &TokenInfo {
        let j = i as isize + offset;
        if j < 0 {
            &BEFORE
        } else {
            infos.get(j as usize).unwrap_or(&AFTER)
        }
    };
    let (m2, m1, t, p1, p2) = (at(-2), at(-1), at(0), at(1), at(2));
    let shift = 64 - bits;
    let mut push = |k: u64| out.push((k >> shift) as u32);
    push(key(T_BIAS, 0));
    push(key(T_WORD, t.word));
    push(key(T_LOWER, t.lower));
    push(key(T_LOWER_M1, m1.lower));
    push(key(T_LOWER_M2, m2.lower));
    push(key(T_LOWER_P1, p1.lower));
    push(key(T_LOWER_P2, p2.lower));
    push(key2(T_BIGRAM_M1, m1.lower, t.lower));
    push(key2(T_BIGRAM_P1, t.lower, p1.lower));
    push(key(T_SHAPE, t.shape));
    push(key2(T_SHORT_TRI, key(0, m1.short_shape) ^ t.short_shape, p1.short_shape));
    push(key2(T_SHORT_M1, m1.short_shape, t.short_shape));
    push(key2(T_SHORT_P1, t.short_shape, p1.short_shape));
    push(key2(T_SHORT_LOWER_M1, t.short_shape, m1.lower));
    push(key2(T_SHORT_LOWER_P1, t.short_shape, p1.lower));
    push(key(T_WORD_M1, m1.word));
    push(key(T_WORD_P1, p1.word));
    for (k, &h) in t.prefixes.iter().enumerate() {
        if h != 0 {
            push(key(T_PREFIX + k as u64, h));
        }
    }
    for (k, &h) in t.suffixes.iter().enumerate() {
        if h != 0 {
            push(key(T_SUFFIX + k as u64, h));
        }
    }
    for bit in 0..FLAG_COUNT {
        if t.flags & (1 << bit) != 0 {
            push(key(T_FLAG, u64::from(bit)));
        }
    }
    push(key(T_FLAGS_M1, u64::from(m1.flags & (F_INIT_CAP | F_ALL_CAPS | F_PUNCT | F_QUOTE | F_BRACKET))));
    push(key(T_FLAGS_P1, u64::from(p1.flags & (F_INIT_CAP | F_ALL_CAPS | F_PUNCT | F_QUOTE | F_BRACKET))));
    let length = match t.length {
        0..=1 => 1,
        2 => 2,
        3 => 3,
        4..=5 => 4,
        6..=8 => 5,
        _ => 6,
    };
    push(key(T_LENGTH, length));
    // Sentence start: the first token, or the first after opening quotes and brackets.
    if i <= first_word {
        push(key(T_START, t.short_shape));
    }
    let cap = u64::from(t.flags & F_INIT_CAP != 0) | u64::from(t.flags & F_ALL_CAPS != 0) << 1;
    for bit in 0..(LIST_COUNT as u32 * BITS_PER_LIST) {
        if t.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ, u64::from(bit)));
            push(key2(T_GAZ_CAP, u64::from(bit), cap));
        }
        if t.gazetteer & (1 << bit) != 0 {
            push(key2(T_GAZ_LOWER_M1, u64::from(bit), m1.lower));
        }
        if m1.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ_M1, u64::from(bit)));
        }
        if p1.gazetteer & (1 << bit) != 0 {
            push(key(T_GAZ_P1, u64::from(bit)));
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
        self.rows.clear();
        self.row_ends.clear();
        let first_word = self.infos.iter().position(|x| x.flags & F_PUNCT == 0).unwrap_or(0);
        for i in 0..self.infos.len() {
            token_features(&self.infos, i, first_word, bits, &mut self.rows);
            self.row_ends.push(self.rows.len());
        }
    }
}
