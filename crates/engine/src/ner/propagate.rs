//! Document-level consistency: one type per name within a text, and names the tagger found once
//! found again where they recur.

use std::collections::{HashMap, VecDeque};

use super::mention::{EntityType, Mention};
use super::tokens::{mix, word_hash, NerToken, NerTokens};
use crate::Span;

/// Makes the mentions of one text consistent: a name tagged with different types takes the type with
/// the most confidence in total (`Kremlin` as a person once, as an organisation twice → organisation),
/// and names the tagger found elsewhere in the text are added where they stand capitalised and
/// untagged: an exact repeat of a mention, or the last word of a person's full name (`Putin` after
/// `Vladimir Putin`). Linear in the text length.
pub(super) fn propagate(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    // Votes per exact name: total confidence per type.
    let mut votes: HashMap<&str, [f32; 3]> = HashMap::new();
    let slot = |kind: EntityType| EntityType::ALL.iter().position(|&k| k == kind).unwrap_or(0);
    for m in &mentions {
        votes.entry(&text[m.span.start..m.span.end]).or_insert([0.0; 3])[slot(m.kind)] += m.confidence;
    }
    for m in &mut mentions {
        let v = votes[&text[m.span.start..m.span.end]];
        let best = (0..3).fold(slot(m.kind), |b, k| if v[k] > v[b] { k } else { b });
        if best != slot(m.kind) {
            m.kind = EntityType::ALL[best];
            m.confidence = m.confidence.min(v[best] / (v.iter().sum::<f32>()).max(f32::MIN_POSITIVE));
        }
    }
    // Known names by the hash of their tokens (exact case), up to four tokens.
    let mut known: HashMap<u64, (EntityType, f32)> = HashMap::new();
    let mut max_len = 0;
    for m in &mentions {
        let name = &text[m.span.start..m.span.end];
        let words: Vec<&str> = NerTokens::new(name).map(|t| &name[t.start..t.end]).collect();
        if words.is_empty() || words.len() > 4 || m.confidence < 0.5 || !is_capitalised_word(words[0]) {
            continue;
        }
        max_len = max_len.max(words.len());
        let last = words[words.len() - 1];
        if m.kind == EntityType::Per
            && words.len() >= 2
            && is_capitalised_word(last)
            && last.chars().count() > 2
        {
            known.entry(sequence_key(&[word_hash(last)])).or_insert((m.kind, m.confidence));
        }
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
        known.entry(sequence_key(&hashes)).or_insert((m.kind, m.confidence));
    }
    if known.is_empty() {
        return mentions;
    }
    let mut added = Vec::new();
    let mut next = 0;
    let mut window: VecDeque<(NerToken, u64)> = VecDeque::with_capacity(max_len);
    let mut tokens = NerTokens::new(text);
    let mut hashes = Vec::with_capacity(max_len);
    loop {
        while window.len() < max_len {
            let Some(t) = tokens.next() else { break };
            window.push_back((t, word_hash(&text[t.start..t.end])));
        }
        let Some(&(first, _)) = window.front() else { break };
        while next < mentions.len() && mentions[next].span.end <= first.start {
            next += 1;
        }
        let covered = mentions.get(next).is_some_and(|m| m.span.start < first.end);
        let mut consumed = 1;
        if !covered && is_capitalised_word(&text[first.start..first.end]) {
            hashes.clear();
            hashes.extend(window.iter().map(|&(_, h)| h));
            for len in (1..=window.len()).rev() {
                let Some(&(kind, confidence)) = known.get(&sequence_key(&hashes[..len])) else { continue };
                let end = window[len - 1].0.end;
                let free = mentions.get(next).is_none_or(|m| m.span.start >= end);
                if free && !window.iter().take(len).skip(1).any(|(t, _)| t.line_break) {
                    added.push(Mention {
                        span: Span::new(first.start, end),
                        kind,
                        confidence: confidence * 0.8,
                    });
                    consumed = len;
                    break;
                }
            }
        }
        window.drain(..consumed);
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
    }
    mentions
}

fn sequence_key(hashes: &[u64]) -> u64 {
    hashes.iter().fold(0x2545_f491_4f6c_dd1d, |k, &h| mix(k.rotate_left(17) ^ h))
}

fn is_capitalised_word(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}
