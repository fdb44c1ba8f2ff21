//! Generates the few Unicode tables `normalize` and the NER tokenizer need (`src/text/fold.rs`), from
//! `unicode-normalization` at build time, so its full NFC/NFD/NFKC tables stay out of the wasm.
//!
//! Each table is a byte string of LEB128 numbers, decoded once on first use:
//! - `fold.bin`: the characters whose folded form is not their lower case: their count, then their
//!   code point gaps, then the lengths of their folds, then the folds' chars, each as a zigzag
//!   difference from the previous char (a fold's first from the previous fold's first);
//! - `ccc.bin`: canonical combining classes that can reach the composition step: (gap, length, class)
//!   runs;
//! - `compose.bin`: canonical compositions whose second char survives folding: (first, second
//!   − first, composite − first) with the first as a gap from the previous one;
//! - `marks.bin`: general category M as (gap, length) runs.

use std::env;
use std::fs;
use std::path::Path;

use unicode_normalization::char::{canonical_combining_class, compose, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Diacritics `normalize` drops (kept in step with `fold::is_dropped_mark`).
fn is_dropped_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The fold of one char before the final composition: NFKC, lower case, NFD, diacritics dropped.
fn fold(c: char) -> String {
    std::iter::once(c)
        .nfkc()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfd()
        .filter(|c| !is_dropped_mark(*c))
        .collect()
}

fn is_hangul_syllable(c: char) -> bool {
    (0xAC00..0xAC00 + 11172).contains(&(c as u32))
}

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

/// (gap from the previous run's end, length) runs of the chars where `value` is `Some`, with it.
fn runs(value: impl Fn(char) -> Option<u8>) -> Vec<(u32, u32, u8)> {
    let mut runs: Vec<(u32, u32, u8)> = Vec::new();
    for c in all_chars() {
        let Some(v) = value(c) else { continue };
        let c = c as u32;
        match runs.last_mut() {
            Some((start, len, last)) if *start + *len == c && *last == v => *len += 1,
            _ => runs.push((c, 1, v)),
        }
    }
    runs
}

fn encode_runs(runs: &[(u32, u32, u8)], with_value: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous_end = 0;
    for &(start, len, value) in runs {
        leb(&mut out, u64::from(start - previous_end));
        leb(&mut out, u64::from(len));
        if with_value {
            out.push(value);
        }
        previous_end = start + len;
    }
    out
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);

    let mut folds: Vec<(u32, Vec<char>)> = Vec::new();
    for c in all_chars() {
        if is_hangul_syllable(c) {
            continue; // its own fold: decomposed into jamo, composed again arithmetically
        }
        let folded: Vec<char> = fold(c).chars().collect();
        if !folded.iter().copied().eq(c.to_lowercase()) {
            folds.push((c as u32, folded));
        }
    }
    // Three streams (keys, lengths, chars) compress better than interleaved entries.
    let (mut keys, mut lengths, mut chars) = (Vec::new(), Vec::new(), Vec::new());
    let (mut previous_key, mut previous_first) = (0u32, 0u32);
    for (c, folded) in &folds {
        leb(&mut keys, u64::from(c - previous_key));
        previous_key = *c;
        leb(&mut lengths, folded.len() as u64);
        let mut base = previous_first;
        for &f in folded {
            leb(&mut chars, zigzag(i64::from(f as u32) - i64::from(base)));
            base = f as u32;
        }
        if let Some(&first) = folded.first() {
            previous_first = first as u32;
        }
    }
    let mut table = Vec::new();
    leb(&mut table, folds.len() as u64);
    table.extend(keys);
    table.extend(lengths);
    table.extend(chars);
    fs::write(out_dir.join("fold.bin"), table).expect("write fold.bin");

    let ccc = runs(|c| {
        let class = canonical_combining_class(c);
        (class != 0 && !is_dropped_mark(c)).then_some(class)
    });
    fs::write(out_dir.join("ccc.bin"), encode_runs(&ccc, true)).expect("write ccc.bin");

    // Primary composites: one char of a decomposition composes with the rest (itself one char).
    let mut pairs = Vec::new();
    for c in all_chars() {
        if is_hangul_syllable(c) {
            continue; // composed arithmetically
        }
        let decomposed: Vec<char> = std::iter::once(c).nfd().collect();
        if decomposed.len() < 2 {
            continue;
        }
        for i in 1..decomposed.len() {
            let second = decomposed[i];
            let rest: Vec<char> = decomposed
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &d)| d)
                .collect::<String>()
                .nfc()
                .collect();
            if let [first] = rest[..] {
                if compose(first, second) == Some(c) && !is_dropped_mark(second) {
                    pairs.push((first as u32, second as u32, c as u32));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut compositions = Vec::new();
    let mut previous = 0u32;
    for &(first, second, composite) in &pairs {
        leb(&mut compositions, u64::from(first - previous));
        leb(&mut compositions, zigzag(i64::from(second) - i64::from(first)));
        leb(&mut compositions, zigzag(i64::from(composite) - i64::from(first)));
        previous = first;
    }
    fs::write(out_dir.join("compose.bin"), compositions).expect("write compose.bin");

    let marks = runs(|c| is_combining_mark(c).then_some(1));
    fs::write(out_dir.join("marks.bin"), encode_runs(&marks, false)).expect("write marks.bin");
}
