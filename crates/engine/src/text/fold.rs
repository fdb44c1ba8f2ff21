//! Folding of non-ASCII words: what NFKC → lower case → NFD → drop diacritics → NFC gives, from
//! the few small tables `build.rs` derives (the full normalisation tables weigh ~41 KiB brotli in the
//! wasm; these a few KiB). Tested equal to that pipeline on every char of Unicode.

use std::sync::OnceLock;

struct Tables {
    /// Sorted: (char, start and length in `chars`) of the chars whose fold is not their lower case.
    fold: Vec<(u32, u32)>,
    chars: Vec<char>,
    /// Sorted (first, last, class) runs of the non-zero canonical combining classes that survive folding.
    ccc: Vec<(u32, u32, u8)>,
    /// Sorted ((first << 32) | second, composite): canonical compositions whose second char survives.
    compose: Vec<(u64, char)>,
    /// Sorted (first, last) runs of general category M.
    marks: Vec<(u32, u32)>,
}

/// Reads the LEB128 numbers of a table.
struct Numbers<'a>(&'a [u8]);

impl Numbers<'_> {
    fn next(&mut self) -> Option<u64> {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
        }
    }

    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(byte)
    }

    fn signed(&mut self) -> Option<i64> {
        self.next().map(|v| ((v >> 1) as i64) ^ -((v & 1) as i64))
    }
}

fn char_at(base: u32, delta: i64) -> char {
    char::from_u32((i64::from(base) + delta) as u32).expect("build.rs writes valid chars")
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut bytes = Numbers(include_bytes!(concat!(env!("OUT_DIR"), "/fold.bin")));
        let count = bytes.next().unwrap_or(0) as usize;
        let mut c = 0u32;
        let mut fold: Vec<(u32, u32)> = (0..count)
            .map(|_| {
                c += bytes.next().unwrap_or(0) as u32;
                (c, 0)
            })
            .collect();
        let mut chars = Vec::new();
        let lengths: Vec<u32> = (0..count).map(|_| bytes.next().unwrap_or(0) as u32).collect();
        let mut previous_first = 0u32;
        for (entry, len) in fold.iter_mut().zip(lengths) {
            entry.1 = ((chars.len() as u32) << 8) | len;
            let mut base = previous_first;
            for i in 0..len {
                let f = char_at(base, bytes.signed().unwrap_or(0));
                chars.push(f);
                base = f as u32;
                if i == 0 {
                    previous_first = base;
                }
            }
        }

        let runs = |bytes: &[u8], with_class: bool| {
            let mut bytes = Numbers(bytes);
            let mut runs = Vec::new();
            let mut end = 0u32;
            while let Some(gap) = bytes.next() {
                let start = end + gap as u32;
                end = start + bytes.next().unwrap_or(1) as u32;
                let class = if with_class { bytes.byte().unwrap_or(0) } else { 0 };
                runs.push((start, end - 1, class));
            }
            runs
        };
        let ccc = runs(include_bytes!(concat!(env!("OUT_DIR"), "/ccc.bin")), true);
        let marks = runs(include_bytes!(concat!(env!("OUT_DIR"), "/marks.bin")), false)
            .into_iter()
            .map(|(first, last, _)| (first, last))
            .collect();

        let mut compose = Vec::new();
        let mut bytes = Numbers(include_bytes!(concat!(env!("OUT_DIR"), "/compose.bin")));
        let mut first = 0u32;
        while let Some(gap) = bytes.next() {
            first += gap as u32;
            let second = char_at(first, bytes.signed().unwrap_or(0));
            let composite = char_at(first, bytes.signed().unwrap_or(0));
            compose.push(((u64::from(first) << 32) | u64::from(second as u32), composite));
        }
        // The pairs are unique; the shared sort routine keeps one more sort out of the wasm.
        crate::order::sort_by_key(&mut compose, |&(pair, _)| pair);
        Tables { fold, chars, ccc, compose, marks }
    })
}

/// True for the combining marks (general category M: Mn, Mc, Me).
pub(crate) fn is_combining_mark(c: char) -> bool {
    let c = c as u32;
    let marks = &tables().marks;
    let i = marks.partition_point(|&(first, _)| first <= c);
    i > 0 && c <= marks[i - 1].1
}

fn combining_class(c: char) -> u8 {
    if (c as u32) < 0x300 {
        return 0;
    }
    let c = c as u32;
    let ccc = &tables().ccc;
    let i = ccc.partition_point(|&(first, _, _)| first <= c);
    if i > 0 && c <= ccc[i - 1].1 {
        ccc[i - 1].2
    } else {
        0
    }
}

const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

fn compose_pair(a: char, b: char) -> Option<char> {
    let (a32, b32) = (a as u32, b as u32);
    if (L_BASE..L_BASE + L_COUNT).contains(&a32) && (V_BASE..V_BASE + V_COUNT).contains(&b32) {
        return char::from_u32(S_BASE + ((a32 - L_BASE) * V_COUNT + (b32 - V_BASE)) * T_COUNT);
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&a32)
        && (a32 - S_BASE).is_multiple_of(T_COUNT)
        && (T_BASE + 1..T_BASE + T_COUNT).contains(&b32)
    {
        return char::from_u32(a32 + (b32 - T_BASE));
    }
    let compose = &tables().compose;
    let key = (u64::from(a32) << 32) | u64::from(b32);
    compose.binary_search_by_key(&key, |&(k, _)| k).ok().map(|i| compose[i].1)
}

/// The folded form of a word: NFKC, lower case, no diacritics, composed again (NFC).
pub(crate) fn fold_word(word: &str) -> String {
    let t = tables();
    let mut chars: Vec<char> = Vec::with_capacity(word.len());
    for c in word.chars() {
        let i = t.fold.partition_point(|&(k, _)| k < c as u32);
        match t.fold.get(i) {
            Some(&(k, at)) if k == c as u32 => {
                let start = (at >> 8) as usize;
                chars.extend_from_slice(&t.chars[start..start + (at & 0xFF) as usize]);
            }
            _ => chars.extend(c.to_lowercase()),
        }
    }
    // Canonical order: runs of non-starters sorted (stably) by class.
    let mut i = 0;
    while i < chars.len() {
        if combining_class(chars[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && combining_class(chars[i]) != 0 {
            i += 1;
        }
        if i - start > 1 {
            crate::order::sort_by_key(&mut chars[start..i], |&c| combining_class(c));
        }
    }
    // Canonical composition (UAX #15).
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut starter: Option<usize> = None;
    let mut last_class = 0u8;
    for c in chars {
        let class = combining_class(c);
        if let Some(s) = starter {
            let unblocked = last_class < class || (last_class == 0 && out.len() == s + 1);
            if unblocked {
                if let Some(composite) = compose_pair(out[s], c) {
                    out[s] = composite;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
        }
        last_class = class;
        out.push(c);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn is_dropped_mark(c: char) -> bool {
        matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
    }

    /// The pipeline `fold_word` replaces.
    fn reference(word: &str) -> String {
        word.nfkc()
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .nfd()
            .filter(|c| !is_dropped_mark(*c))
            .nfc()
            .collect()
    }

    #[test]
    fn every_char_folds_as_the_reference() {
        let mut differ = Vec::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.to_string();
            if fold_word(&s) != reference(&s) {
                differ.push(c);
            }
        }
        assert!(
            differ.is_empty(),
            "{} chars differ, first {:?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }

    #[test]
    fn every_combining_mark_as_the_reference() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_combining_mark(c), unicode_normalization::char::is_combining_mark(c), "{c:?}");
        }
    }

    #[test]
    fn letters_with_marks_fold_as_the_reference() {
        // Every char of the Latin, Greek, Cyrillic, Hangul-jamo, kana and Indic blocks followed by
        // each combining mark that composes with something, or by two of them in either order.
        let marks: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                unicode_normalization::char::canonical_combining_class(c) != 0 || is_combining_mark(c)
            })
            .filter(|&c| (c as u32) < 0x3100)
            .collect();
        let bases = (0x20..0x0530u32)
            .chain(0x0900..0x0E00)
            .chain(0x1100..0x1200)
            .chain(0x1E00..0x2000)
            .chain(0x3040..0x3100)
            .chain([0xAC00, 0xAC01, 0xD7A3])
            .filter_map(char::from_u32);
        let mut checked = 0;
        for base in bases {
            for &m in &marks {
                let s: String = [base, m].into_iter().collect();
                assert_eq!(fold_word(&s), reference(&s), "{s:?} {:?}", s.chars().collect::<Vec<_>>());
                checked += 1;
            }
        }
        let few_marks = [
            '\u{0301}', '\u{0323}', '\u{0345}', '\u{093C}', '\u{0951}', '\u{05B0}', '\u{0591}', '\u{3099}',
            '\u{0F71}', '\u{0F72}',
        ];
        let bases = ['a', 'e', 'α', 'ω', 'и', 'क', 'か', 'ᄀ', '가', 'ཀ', 'ו', 'ে', 'ಕ'];
        for base in bases {
            for m1 in few_marks {
                for m2 in few_marks {
                    for tail in ['\0', 'ᅡ', 'ᆨ', 'ா', 'ৗ', 'ಂ'] {
                        let s: String = [base, m1, m2, tail].into_iter().filter(|&c| c != '\0').collect();
                        assert_eq!(fold_word(&s), reference(&s), "{:?}", s.chars().collect::<Vec<_>>());
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn hangul_jamo_compose() {
        for s in ["\u{1100}\u{1161}", "\u{1100}\u{1161}\u{11A8}", "\u{AC00}\u{11A8}", "한국어", "ｶﾞ", "が"]
        {
            assert_eq!(fold_word(s), reference(s), "{s:?}");
        }
    }

    /// Speed against the reference: `cargo test -p sorot-engine --release fold_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn fold_speed() {
        use std::time::Instant;
        let words: Vec<&str> = "Señor Ñuñoa café naïve Ελληνικά Москва Йошкар-Ола ｆｕｌｌ ﬁle Đà Nẵng Hà Nội 한국어 がっこう Dvořák Łódź"
            .split(' ')
            .collect();
        for _ in 0..2 {
            let start = Instant::now();
            let mut n = 0;
            for _ in 0..20_000 {
                n += words.iter().map(|w| fold_word(w).len()).sum::<usize>();
            }
            let ours = start.elapsed();
            let start = Instant::now();
            for _ in 0..20_000 {
                n -= words.iter().map(|w| reference(w).len()).sum::<usize>();
            }
            let theirs = start.elapsed();
            assert_eq!(n, 0);
            let per = |d: std::time::Duration| d.as_nanos() as f64 / (20_000 * words.len()) as f64;
            println!(
                "fold_word {:.0} ns/word, unicode-normalization pipeline {:.0} ns/word",
                per(ours),
                per(theirs)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn random_words_fold_as_the_reference(s in "[\\PC\\p{M}]{0,12}") {
            proptest::prop_assert_eq!(fold_word(&s), reference(&s));
        }

        /// Chars that compose, reorder or fold to several chars, mixed.
        #[test]
        fn random_mixes_fold_as_the_reference(
            s in "[aeiouAEIOUİıßΩωαΑιῼᾳиИйЙкかカｶﾞ\u{3099}\u{309A}각가각\u{0300}-\u{0345}\u{093C}क़कৗো\u{0B3E}\u{0B47}ୋ\u{05B0}\u{0591}\u{0F71}\u{0F72}\u{0F80}ﬁ①㍱\u{1D400}\u{1D7CE}½]{0,10}"
        ) {
            proptest::prop_assert_eq!(fold_word(&s), reference(&s));
        }
    }
}
