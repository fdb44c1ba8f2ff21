//! Native benchmark of the engine on generated corpora of real Indonesian news sentences.
//!
//! ```text
//! cargo run --release -p sorot-bench                          # 1k, 10k and 20k articles
//! cargo run --release -p sorot-bench -- --sizes 1000,50000
//! cargo run --release -p sorot-bench -- --write-jsonl corpus-20k.jsonl --sizes 20000
//! ```
//!
//! Articles are deterministic recombinations of the sentences in `../shared/data/ner` (idner-news-2k and
//! NERGRIT): the same sizes always give the same corpora and the same queries. It prints numbers and
//! never fails on timing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sorot_engine::{Article, Engine, SearchOptions};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Sentences of the CoNLL files (first column), detokenised.
fn load_sentences(data: &Path) -> Result<Vec<String>, String> {
    let files = [
        "idner-news-2k/train.txt",
        "idner-news-2k/dev.txt",
        "nergrit/train_preprocess.txt",
        "nergrit/valid_preprocess.txt",
        "nergrit/test_preprocess.txt",
    ];
    let mut sentences = Vec::new();
    for file in files {
        let path = data.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut words: Vec<&str> = Vec::new();
        for line in text.lines().chain([""]) {
            match line.split_whitespace().next() {
                Some(word) => words.push(word),
                None if !words.is_empty() => {
                    sentences.push(detokenize(&words));
                    words.clear();
                }
                None => {}
            }
        }
    }
    if sentences.is_empty() {
        return Err(format!("no sentences found under {}", data.display()));
    }
    Ok(sentences)
}

fn detokenize(words: &[&str]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        let glue_left = matches!(*w, "," | "." | ";" | ":" | "!" | "?" | ")" | "%");
        let after_open = i > 0 && matches!(words[i - 1], "(");
        if i > 0 && !glue_left && !after_open {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `n` articles of 6–20 sentences in paragraphs of 1–4, with a title from another sentence.
fn generate(sentences: &[String], n: usize) -> Vec<Article> {
    (0..n)
        .map(|i| {
            let mut rng = Rng(i as u64 * 7919 + 17);
            let count = 6 + rng.below(15);
            let mut body = String::new();
            let mut in_paragraph = 0;
            for _ in 0..count {
                let s = &sentences[rng.below(sentences.len())];
                if in_paragraph > 0 {
                    body.push(' ');
                }
                body.push_str(s);
                in_paragraph += 1;
                if in_paragraph > rng.below(4) {
                    body.push('\n');
                    in_paragraph = 0;
                }
            }
            let title_words: Vec<&str> = sentences[rng.below(sentences.len())].split(' ').take(10).collect();
            let day = i % 365;
            Article {
                id: format!("bench-{i:05}"),
                title: title_words.join(" ").trim_end_matches([',', '.']).to_string(),
                body: body.trim().to_string(),
                date: Some(format!("2021-{:02}-{:02}", day / 31 % 12 + 1, day % 28 + 1)),
                source: Some("bench".into()),
                url: None,
                lang: "id".into(),
            }
        })
        .collect()
}

/// Content words of an article body (alphabetic, at least 5 letters).
fn words_of(article: &Article) -> Vec<String> {
    article
        .body
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}

/// A fixed mix of queries drawn from the corpus: (kind, query).
fn queries(articles: &[Article]) -> Vec<(&'static str, String)> {
    let mut rng = Rng(4242);
    let mut out = Vec::new();
    while out.len() < 100 {
        let article = &articles[rng.below(articles.len())];
        let words = words_of(article);
        if words.len() < 4 {
            continue;
        }
        let i = rng.below(words.len() - 1);
        let w = &words[i];
        let (kind, query) = match out.len() % 5 {
            0 => ("word", w.clone()),
            1 => ("two words", format!("{w} {}", words[rng.below(words.len())])),
            2 => {
                let adjacent = article
                    .body
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .map(|p| format!("{} {}", p[0], p[1]))
                    .find(|p| p.contains(w.as_str()) && p.chars().all(|c| c.is_alphabetic() || c == ' '));
                match adjacent {
                    Some(p) => ("phrase", format!("\"{p}\"")),
                    None => continue,
                }
            }
            3 => ("prefix", format!("{}*", w.chars().take(4).collect::<String>())),
            _ => {
                if w.chars().count() < 6 {
                    continue;
                }
                let mut chars: Vec<char> = w.chars().collect();
                chars.remove(chars.len() / 2);
                ("typo", chars.into_iter().collect())
            }
        };
        out.push((kind, query));
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// Mean time of one search plus snippets for its top 10 hits, over enough repetitions to be stable.
fn time_query(engine: &Engine, query: &str, options: &SearchOptions) -> (Duration, usize) {
    let mut runs = 0u32;
    let mut total = 0;
    let started = Instant::now();
    while runs < 3 || (started.elapsed() < Duration::from_millis(30) && runs < 1000) {
        let results = engine.search(query, options);
        for hit in &results.hits {
            std::hint::black_box(engine.snippet(&results, hit.doc));
        }
        total = results.total;
        runs += 1;
    }
    (started.elapsed() / runs, total)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "1000,10000,20000".into())
        .split(',')
        .map(|s| s.trim().parse().map_err(|_| format!("--sizes: {s:?} is not a number")))
        .collect::<Result<_, _>>()?;
    let data = value("--data").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner"),
        PathBuf::from,
    );
    let sentences = load_sentences(&data)?;
    eprintln!("{} sentences from {}", sentences.len(), data.display());

    if let Some(out) = value("--write-jsonl") {
        let n = sizes.first().copied().unwrap_or(1000);
        let lines: Vec<String> = generate(&sentences, n)
            .iter()
            .map(|a| serde_json::json!({"id": a.id, "title": a.title, "body": a.body, "date": a.date, "source": a.source, "lang": a.lang}).to_string())
            .collect();
        std::fs::write(&out, lines.join("\n") + "\n").map_err(|e| format!("{out}: {e}"))?;
        eprintln!("wrote {n} articles to {out}");
        return Ok(());
    }

    println!("| articles | build | pack bytes | text bytes | pack/text | decode | kind | p50 ms | p95 ms | hits (mean) |");
    println!("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for &n in &sizes {
        let articles = generate(&sentences, n);
        let text_bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
        let queries = queries(&articles);
        let started = Instant::now();
        let engine = Engine::from_articles(articles);
        let build = started.elapsed();
        let pack = engine.to_pack();
        let started = Instant::now();
        let decoded = Engine::from_pack(&pack).map_err(|e| e.to_string())?;
        let decode = started.elapsed();
        drop(decoded);
        let options = SearchOptions { limit: 10, ..SearchOptions::default() };
        let mut by_kind: Vec<(&str, Vec<Duration>, usize)> = Vec::new();
        let mut all = Vec::new();
        for (kind, query) in &queries {
            let (time, total) = time_query(&engine, query, &options);
            all.push(time);
            match by_kind.iter_mut().find(|(k, _, _)| k == kind) {
                Some((_, times, hits)) => {
                    times.push(time);
                    *hits += total;
                }
                None => by_kind.push((kind, vec![time], total)),
            }
        }
        let total_hits: usize = by_kind.iter().map(|(_, _, h)| h).sum();
        by_kind.push(("all", all, total_hits));
        for (i, (kind, mut times, hits)) in by_kind.into_iter().enumerate() {
            times.sort();
            let lead = if i == 0 {
                format!(
                    "| {n} | {:.2} s | {} | {} | {:.2} | {} ms |",
                    build.as_secs_f64(),
                    pack.len(),
                    text_bytes,
                    pack.len() as f64 / text_bytes as f64,
                    ms(decode)
                )
            } else {
                "| | | | | | |".to_string()
            };
            println!(
                "{lead} {kind} | {} | {} | {} |",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                hits / times.len()
            );
        }
    }
    Ok(())
}
