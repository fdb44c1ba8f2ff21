//! Known-item queries: each made from one article's title, as a reader who remembers a headline
//! types it, so the article itself is the answer (success@10: it is among the top 10; MRR@10: one
//! over its rank there). One generator for the native and the browser benchmark: `--write-queries`
//! writes them as JSON for `bench/run.mjs`.
//!
//! Deterministic (a fixed seed) and derived from the corpus alone, so it works on any archive. An
//! article qualifies when its title is unique in the corpus (a reprinted article has two right
//! answers) and has at least three *content words*: words of four or more letters found in at most
//! 5% of the articles (so `yang`, `dalam` and a publisher's name in every title are not). Kinds, in
//! order (`PER_KIND` each, every one from a different article):
//!
//! - `one word`, `two words`, `three words`: content words of the title, in title order.
//! - `prefix`: two content words, the last cut to its first four letters (`putin kaza*`), as the
//!   box reads while a reader types.
//! - `typo`: two content words, one of five or more letters with one edit (a letter dropped,
//!   replaced or two swapped, taking turns) that is not itself a word of the corpus.
//! - `stemmed`: two content words, one replaced by another form of its root that the corpus writes
//!   and the title does not (`menahan` for `ditahan`); the root must be a word of at least three
//!   articles, which keeps out most of what the affix rules over-generate.
//! - `phrase`: two words next to each other in the title (three or more letters each, one of them a
//!   content word), in quotes.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sorot_engine::Article;

use crate::queries::{adjacent_pairs, forms, roots, words};
use crate::Rng;

/// Queries per kind (at least 50, so that one query is not the difference between two libraries).
pub const PER_KIND: usize = 60;
/// The generator's seed.
pub const SEED: u64 = 4242;
/// The kinds, in the order they are made and reported.
pub const KINDS: [&str; 7] = ["one word", "two words", "three words", "prefix", "typo", "stemmed", "phrase"];

/// One known-item query.
pub struct KnownItem {
    pub kind: &'static str,
    /// In Sorot's query language.
    pub text: String,
    /// The plain words, for libraries that take prefix, fuzzy and all-words as options.
    pub words: Vec<String>,
    /// Index of the article it was made from.
    pub target: usize,
}

fn chars(w: &str) -> usize {
    w.chars().count()
}

/// `word` with one edit: `how` 0 drops a letter, 1 replaces one, 2 swaps two neighbours (never the
/// first letter, which readers rarely get wrong).
fn typo(word: &str, how: usize, rng: &mut Rng) -> String {
    const LETTERS: &[char] =
        &['a', 'e', 'i', 'o', 'u', 'n', 'r', 's', 't', 'k', 'g', 'm', 'l', 'p', 'b', 'd', 'h'];
    let mut w: Vec<char> = word.chars().collect();
    let i = 1 + rng.below(w.len() - 2);
    match how {
        0 => {
            w.remove(i);
        }
        1 => {
            let others: Vec<char> = LETTERS.iter().copied().filter(|&c| c != w[i]).collect();
            w[i] = others[rng.below(others.len())];
        }
        _ => w.swap(i, i + 1),
    }
    w.into_iter().collect()
}

/// The queries, `PER_KIND` of each kind (fewer, with a message, when the corpus is too small).
pub fn make(articles: &[Article]) -> Vec<KnownItem> {
    let n = articles.len();
    let mut df: HashMap<String, u32> = HashMap::new();
    // Words the corpus writes in lower case somewhere: forms a reader types, not only names.
    let mut lower: HashSet<String> = HashSet::new();
    let mut titles: HashMap<String, u32> = HashMap::new();
    for a in articles {
        let mut seen = HashSet::new();
        for w in words(&a.title).into_iter().chain(words(&a.body)) {
            if seen.insert(w.clone()) {
                *df.entry(w).or_default() += 1;
            }
        }
        for w in a.body.split(|c: char| !c.is_alphabetic()) {
            if !w.is_empty() && w.chars().all(char::is_lowercase) && !lower.contains(w) {
                lower.insert(w.to_string());
            }
        }
        *titles.entry(words(&a.title).join(" ")).or_default() += 1;
    }
    let max_df = (n as f64 * 0.05).max(1.0) as u32;
    let content = |w: &str| chars(w) >= 4 && df.get(w).is_some_and(|&d| d <= max_df);

    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng(SEED);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    // Title words in order, and the distinct content words among them, for each article that qualifies.
    let candidates: Vec<(usize, Vec<String>, Vec<String>)> = order
        .into_iter()
        .filter_map(|i| {
            let title = words(&articles[i].title);
            if titles.get(&title.join(" ")) != Some(&1) {
                return None;
            }
            let mut picked: Vec<String> = Vec::new();
            for w in &title {
                if content(w) && !picked.contains(w) {
                    picked.push(w.clone());
                }
            }
            (picked.len() >= 3).then_some((i, title, picked))
        })
        .collect();

    // `k` of `words` at random, kept in title order.
    let pick = |words: &[String], k: usize, rng: &mut Rng| -> Vec<String> {
        let mut at: Vec<usize> = (0..words.len()).collect();
        for i in (1..at.len()).rev() {
            at.swap(i, rng.below(i + 1));
        }
        at.truncate(k);
        at.sort_unstable();
        at.into_iter().map(|i| words[i].clone()).collect()
    };

    let mut out: Vec<KnownItem> = Vec::new();
    let mut next = 0;
    for kind in KINDS {
        let mut made = 0;
        let mut tries = 0;
        while made < PER_KIND && tries < candidates.len() {
            tries += 1;
            let (target, title, content_words) = &candidates[next % candidates.len()];
            next += 1;
            let made_words: Option<Vec<String>> = match kind {
                "one word" => Some(pick(content_words, 1, &mut rng)),
                "two words" => Some(pick(content_words, 2, &mut rng)),
                "three words" => Some(pick(content_words, 3, &mut rng)),
                "prefix" => {
                    let long: Vec<usize> =
                        (1..content_words.len()).filter(|&i| chars(&content_words[i]) >= 6).collect();
                    (!long.is_empty()).then(|| {
                        let b = long[rng.below(long.len())];
                        let a = rng.below(b);
                        vec![content_words[a].clone(), content_words[b].chars().take(4).collect()]
                    })
                }
                "typo" => {
                    let two = pick(content_words, 2, &mut rng);
                    let which: Vec<usize> = (0..2).filter(|&i| chars(&two[i]) >= 5).collect();
                    which.get(rng.below(which.len().max(1))).and_then(|&i| {
                        let t = typo(&two[i], made % 3, &mut rng);
                        (!df.contains_key(&t)).then(|| {
                            let mut two = two.clone();
                            two[i] = t;
                            two
                        })
                    })
                }
                "stemmed" => {
                    let in_title: HashSet<&str> = title.iter().map(String::as_str).collect();
                    let variant = |w: &str| -> Option<String> {
                        let mut found: Vec<String> = Vec::new();
                        for root in roots(w) {
                            if !lower.contains(&root) || df.get(&root).is_none_or(|&d| d < 3) {
                                continue;
                            }
                            for f in forms(&root) {
                                if f != w
                                    && lower.contains(&f)
                                    && !in_title.contains(f.as_str())
                                    && !found.contains(&f)
                                {
                                    found.push(f);
                                }
                            }
                        }
                        // The most written such form: the one a reader is likeliest to type.
                        found
                            .sort_by_key(|f| (std::cmp::Reverse(df.get(f).copied().unwrap_or(0)), f.clone()));
                        found.into_iter().next()
                    };
                    let two = pick(content_words, 2, &mut rng);
                    let first = rng.below(2);
                    [first, 1 - first].into_iter().find_map(|i| {
                        variant(&two[i]).map(|v| {
                            let mut two = two.clone();
                            two[i] = v;
                            two
                        })
                    })
                }
                "phrase" => {
                    let pairs: Vec<(String, String)> = adjacent_pairs(&articles[*target].title)
                        .into_iter()
                        .filter(|(a, b)| a != b && (content(a) || content(b)))
                        .collect();
                    (!pairs.is_empty()).then(|| {
                        let (a, b) = pairs[rng.below(pairs.len())].clone();
                        vec![a, b]
                    })
                }
                _ => None,
            };
            let Some(words) = made_words else { continue };
            let text = match kind {
                "prefix" => format!("{}*", words.join(" ")),
                "phrase" => format!("\"{}\"", words.join(" ")),
                _ => words.join(" "),
            };
            out.push(KnownItem { kind, text, words, target: *target });
            made += 1;
        }
        if made < PER_KIND {
            eprintln!("only {made} of {PER_KIND} {kind} queries could be made from this corpus");
        }
    }
    out
}

/// The queries as the browser benchmark reads them.
pub fn to_json(queries: &[KnownItem], articles: &[Article], corpus: &str) -> serde_json::Value {
    json!({
        "corpus": corpus,
        "articles": articles.len(),
        "seed": SEED,
        "per_kind": PER_KIND,
        "queries": queries.iter().map(|q| json!({
            "kind": q.kind,
            "text": q.text,
            "words": q.words,
            "target": articles[q.target].id,
            "title": articles[q.target].title,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(i: usize, title: &str, body: &str) -> Article {
        Article {
            id: format!("a{i}"),
            title: title.into(),
            body: body.into(),
            date: None,
            source: None,
            url: None,
            lang: "id".into(),
        }
    }

    /// Forty articles with distinct titles and a body that writes `tahan` and its forms in lower case,
    /// plus filler articles so that no title word is in more than 5% of them.
    fn corpus() -> Vec<Article> {
        let places =
            ["Bandung", "Surabaya", "Medan", "Makassar", "Semarang", "Palembang", "Denpasar", "Manado"];
        let verbs = ["Ditahan", "Dibebaskan", "Diperiksa", "Dilantik", "Diundang"];
        let mut out = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for (j, v) in verbs.iter().enumerate() {
                let title = format!("Pejabat{} {p} {v} Polisi{} Kemarin{}", i * 5 + j, j, i);
                out.push(article(out.len(), &title, "polisi menahan dia, lalu tahan lagi"));
            }
        }
        for k in 0..800 {
            out.push(article(out.len(), &format!("Isian{k}"), "menahan tahan penahanan lain kata"));
        }
        out
    }

    #[test]
    fn queries_come_from_their_articles_titles() {
        let articles = corpus();
        let queries = make(&articles);
        for kind in KINDS {
            assert!(queries.iter().any(|q| q.kind == kind), "no {kind} query");
        }
        for q in &queries {
            let title = words(&articles[q.target].title);
            let has = |w: &String| title.contains(w);
            match q.kind {
                "one word" | "two words" | "three words" => assert!(q.words.iter().all(has), "{}", q.text),
                "prefix" => {
                    let (last, rest) = q.words.split_last().unwrap();
                    assert!(
                        rest.iter().all(has)
                            && title.iter().any(|w| w.starts_with(last.as_str()) && w != last)
                    );
                    assert_eq!(q.text, format!("{}*", q.words.join(" ")));
                }
                "typo" => assert_eq!(q.words.iter().filter(|w| !has(w)).count(), 1, "{}", q.text),
                "stemmed" => {
                    let other = q.words.iter().find(|w| !has(w)).expect("one word is another form");
                    assert!(["menahan", "tahan", "penahanan"].contains(&other.as_str()), "{}", q.text);
                }
                "phrase" => {
                    assert!(words(&articles[q.target].title).join(" ").contains(&q.words.join(" ")));
                    assert_eq!(q.text, format!("\"{}\"", q.words.join(" ")));
                }
                other => panic!("unknown kind {other}"),
            }
        }
        // Deterministic: the same corpus gives the same queries.
        let again: Vec<String> = make(&articles).into_iter().map(|q| q.text).collect();
        assert_eq!(again, queries.iter().map(|q| q.text.clone()).collect::<Vec<_>>());
    }
}
