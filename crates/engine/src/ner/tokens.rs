//! How the tagger cuts text: into tokens as the CoNLL training data does, and tokens into sentences;
//! and the hashes of tokens that features, word lists and propagation compare.

use crate::text::fold::is_combining_mark;

/// One token found by [`NerTokens`]: a word (letters and digits, with inner hyphens, periods,
/// apostrophes, slashes) or a run of one punctuation character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NerToken {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// A line break comes between this token and the one before.
    pub line_break: bool,
}

/// Splits text into tokens as the CoNLL training data does: punctuation apart from words (`“Kami` →
/// `“`, `Kami`), but `kota-kota`, `Jomart-Tokayev`, `2.500`, `1,5`, `S.H.`, `Dr.` and `AD/ART` whole.
pub(super) struct NerTokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> NerTokens<'a> {
    pub(super) fn new(text: &'a str) -> NerTokens<'a> {
        NerTokens { text, pos: 0 }
    }

    #[inline]
    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..).and_then(|rest| rest.chars().next())
    }

    fn scan_word(&self, start: usize) -> usize {
        let mut i = start;
        loop {
            while let Some(c) = self.char_at(i).filter(|&c| is_word_char(c)) {
                i += c.len_utf8();
            }
            let Some(joiner) = self.char_at(i).filter(|&c| is_joiner(c)) else { break };
            let after = i + joiner.len_utf8();
            let Some(next) = self.char_at(after).filter(|&c| is_word_char(c)) else { break };
            if matches!(joiner, ',' | ':') {
                let before = self.text[..i].chars().next_back();
                if !(before.is_some_and(|c| c.is_ascii_digit()) && next.is_ascii_digit()) {
                    break;
                }
            }
            i = after;
        }
        if self.char_at(i) == Some('.') && absorbs_period(&self.text[start..i]) {
            i += 1;
        }
        i
    }
}

impl Iterator for NerTokens<'_> {
    type Item = NerToken;

    fn next(&mut self) -> Option<NerToken> {
        let mut line_break = false;
        let first = loop {
            let c = self.char_at(self.pos)?;
            if !c.is_whitespace() {
                break c;
            }
            line_break |= matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}');
            self.pos += c.len_utf8();
        };
        let start = self.pos;
        let end = if is_word_char(first) {
            self.scan_word(start)
        } else {
            let mut end = start + first.len_utf8();
            while self.char_at(end) == Some(first) {
                end += first.len_utf8();
            }
            end
        };
        self.pos = end;
        Some(NerToken { start, end, line_break })
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c))
}

#[inline]
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '.' | '\'' | '’' | '/' | '&' | '@' | ',' | ':' | '_' | '`')
}

/// Abbreviations that keep their final period (`Dr.` is one token; `kemarin.` is two).
const ABBREVIATIONS: &[&str] = &[
    "alm", "bros", "capt", "co", "col", "corp", "dll", "dkk", "dr", "dra", "drs", "dsb", "etc", "gen", "gov",
    "hj", "inc", "ir", "jl", "jln", "jr", "kh", "lt", "ltd", "mr", "mrs", "ms", "no", "prof", "rep", "rev",
    "sdr", "sen", "sgt", "sr", "st", "tbk", "vs",
];

fn absorbs_period(word: &str) -> bool {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    if word.contains('.') {
        return word.split('.').all(|part| !part.is_empty() && part.chars().count() <= 3);
    }
    word.len() <= 5 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Where sentences end in a token stream: after `.`, `!`, `?`, `…` (and the closing quotes and
/// brackets right after them), at line breaks, and after at most [`MAX_SENTENCE`] tokens.
pub(super) struct Sentences<'a> {
    tokens: std::iter::Peekable<NerTokens<'a>>,
    text: &'a str,
}

/// Longest stretch tagged as one sentence: keeps decoding linear on text without sentence ends.
const MAX_SENTENCE: usize = 160;

impl<'a> Sentences<'a> {
    pub(super) fn new(text: &'a str) -> Sentences<'a> {
        Sentences { tokens: NerTokens::new(text).peekable(), text }
    }

    /// Fills `out` with the next sentence's tokens; false at the end of the text.
    pub(super) fn next_into(&mut self, out: &mut Vec<NerToken>) -> bool {
        out.clear();
        let mut ended = false;
        while let Some(&token) = self.tokens.peek() {
            if !out.is_empty() && token.line_break {
                break;
            }
            let s = &self.text[token.start..token.end];
            if ended && !is_closing(s) {
                break;
            }
            out.push(token);
            self.tokens.next();
            if is_sentence_end(s) {
                ended = true;
            }
            if out.len() >= MAX_SENTENCE {
                break;
            }
        }
        !out.is_empty()
    }
}

fn is_sentence_end(token: &str) -> bool {
    token.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn is_closing(token: &str) -> bool {
    token.chars().all(|c| matches!(c, '”' | '"' | '’' | '\'' | ')' | ']' | '»' | '›'))
}

// ---------------------------------------------------------------------------------------------------
// Hashing

/// The splitmix64 finaliser: a cheap, well-mixing 64-bit permutation.
#[inline]
pub(super) fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a over characters, finished with [`mix`].
#[derive(Clone, Copy)]
pub(super) struct CharHash(u64);

impl CharHash {
    pub(super) const NEW: CharHash = CharHash(0xcbf2_9ce4_8422_2325);

    #[inline]
    pub(super) fn push(&mut self, c: char) {
        let mut x = c as u32;
        // One to three bytes per char is enough to tell chars apart.
        loop {
            self.0 = (self.0 ^ u64::from(x & 0xff)).wrapping_mul(0x0000_0100_0000_01b3);
            x >>= 8;
            if x == 0 {
                break;
            }
        }
    }

    #[inline]
    pub(super) fn finish(self) -> u64 {
        mix(self.0)
    }
}

/// Hash of a token's lower-cased form (shared by features and the gazetteer).
pub(super) fn lower_hash(token: &str) -> u64 {
    let mut h = CharHash::NEW;
    for c in token.chars() {
        push_lower(&mut h, c);
    }
    h.finish()
}

#[inline]
fn push_lower(h: &mut CharHash, c: char) {
    if c.is_ascii() {
        h.push(c.to_ascii_lowercase());
    } else if c == '’' {
        h.push('\'');
    } else {
        for l in c.to_lowercase() {
            h.push(l);
        }
    }
}

/// Hash of a token as written (exact case).
pub(super) fn word_hash(token: &str) -> u64 {
    let mut h = CharHash::NEW;
    token.chars().for_each(|c| h.push(c));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_texts(text: &str) -> Vec<&str> {
        NerTokens::new(text).map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn tokenizer_cases() {
        struct Case {
            name: &'static str,
            input: &'static str,
            expected: &'static [&'static str],
        }
        let cases = [
            Case {
                name: "quotes apart",
                input: "“revolusi warna”, kata",
                expected: &["“", "revolusi", "warna", "”", ",", "kata"],
            },
            Case {
                name: "hyphenated names whole",
                input: "Kassym Jomart-Tokayev",
                expected: &["Kassym", "Jomart-Tokayev"],
            },
            Case { name: "reduplication", input: "kota-kota", expected: &["kota-kota"] },
            Case {
                name: "numbers",
                input: "2.500 tentara, 1,5 persen",
                expected: &["2.500", "tentara", ",", "1,5", "persen"],
            },
            Case {
                name: "sentence period apart",
                input: "di Kazakhstan.",
                expected: &["di", "Kazakhstan", "."],
            },
            Case {
                name: "abbreviations keep the period",
                input: "Dr. H. Anwar S.H.",
                expected: &["Dr.", "H.", "Anwar", "S.H."],
            },
            Case { name: "brackets apart", input: "(CSTO).", expected: &["(", "CSTO", ")", "."] },
            Case {
                name: "ellipsis run", input: "baik ... dan …", expected: &["baik", "...", "dan", "…"]
            },
            Case {
                name: "comma between words splits",
                input: "Rusia,Belarus",
                expected: &["Rusia", ",", "Belarus"],
            },
            Case {
                name: "dash alone",
                input: "Kazakhstan – pengulangan",
                expected: &["Kazakhstan", "–", "pengulangan"],
            },
        ];
        for case in &cases {
            assert_eq!(token_texts(case.input), case.expected, "{}", case.name);
        }
    }
}
