//! Native benchmark of the engine on generated corpora of real Indonesian news sentences.
//!
//! ```text
//! cargo run --release -p sorot-bench                          # 1k, 10k and 20k articles
//! cargo run --release -p sorot-bench -- --sizes 1000,50000
//! cargo run --release -p sorot-bench -- --sizes 20000 --no-ner  # skip tagging (no entity facets)
//! cargo run --release -p sorot-bench -- --write-jsonl corpus-20k.jsonl --sizes 20000
//! cargo run --release -p sorot-bench -- --dump-results before.txt --sizes 20000 --dump-hits 30
//! cargo run --release -p sorot-bench -- --typographic   # “quotes” and – dashes, as real news text
//! cargo run --release -p sorot-bench -- --pack-real          # pack the real dev file resampled to 2k … 100k
//! cargo run --release -p sorot-bench -- --pack-real --corpus feed.jsonl.gz --sizes 1000,5000
//! cargo run --release -p sorot-bench -- --resample 100000 --corpus feed.jsonl.gz -o big.jsonl
//! cargo run --release -p sorot-bench -- --known-items               # success@10 and MRR per kind, real dev file
//! cargo run --release -p sorot-bench -- --known-items --write-queries q.json   # the queries, for bench/run.mjs
//! cargo run --release -p sorot-bench -- --known-items --rank k1=1.5,title_boost=4 --misses typo
//! ```
//!
//! `--pack-real` times packing a real archive stage by stage ([`real`]). `--known-items` asks the
//! queries of [`known`] (made from titles; the article is the answer) and prints, per kind, how often
//! the article is in the top 10 and its mean reciprocal rank, with any `--rank` parameters, then how
//! much scraping residue ([`residue`]) the top 10's snippets show.
//!
//! Articles are deterministic recombinations of the sentences in `../shared/data/ner` (idner-news-2k and
//! NERGRIT): the same sizes always give the same corpora. The timed queries ([`queries`]): word, two
//! words, stemmed, phrase, prefix and typo, 100 drawn from the first 1,000 articles.
//! Each query is timed as the JavaScript API runs it (`Sorot.search`: 10 hits, the top 20 entity
//! facets of all matching articles), without and with snippets. Separately, it times what the
//! explorer draws per keystroke: the snippets and title highlights of each query's top 30 articles.
//! It prints numbers and never fails on timing.

mod known;
mod queries;
mod real;
mod residue;

#[global_allocator]
static ALLOC: real::Counting = real::Counting;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sorot_engine::{Article, Engine, Field, SearchOptions};

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

/// The text with typographic quotes and dashes, as published news writes them (`"a"` → `“a”`, `'` → `’`,
/// ` - ` → ` – `): the generated corpus is otherwise plain ASCII, which the tokenizer takes a faster
/// path for.
fn typographic(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut open = true;
    for c in text.replace(" - ", " – ").chars() {
        match c {
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            '\'' => out.push('’'),
            c => out.push(c),
        }
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// One query as `Sorot.search(q, { limit: 10, snippets, facets: 20 })` runs it: the search (only the
/// hits ranked), the top 20 facets of every matching article, each hit's article and (if asked) its
/// snippet. Returns the total.
fn run_query(engine: &Engine, query: &str, snippets: bool) -> usize {
    let options = SearchOptions { limit: 10, rank_all: false, ..SearchOptions::default() };
    let results = engine.search(query, &options);
    for hit in &results.hits {
        std::hint::black_box(engine.articles().get(hit.doc.index()).map(|a| a.title.len()));
        if snippets {
            std::hint::black_box(engine.snippet(&results, hit.doc));
        }
    }
    let list = &engine.entity_list();
    for f in engine.facets(Some(&results.docs)).iter().take(20) {
        std::hint::black_box(list.get(f.entity.index()).map(|e| e.name.len()));
    }
    results.total
}

/// Mean time of one query, repeated until at least 30 ms and 3 runs have passed (at most 200 runs).
fn time_query(engine: &Engine, query: &str, snippets: bool) -> (Duration, usize) {
    let total = run_query(engine, query, snippets);
    let mut runs = 0u32;
    let started = Instant::now();
    while runs < 3 || (started.elapsed() < Duration::from_millis(30) && runs < 200) {
        std::hint::black_box(run_query(engine, query, snippets));
        runs += 1;
    }
    (started.elapsed() / runs, total)
}

/// Articles whose snippet and title highlights the explorer draws per keystroke.
const VISIBLE: usize = 30;

/// Mean time to make the snippets and title highlights of a query's top [`VISIBLE`] articles (the search
/// itself is not timed), repeated as [`time_query`] does. Returns the time and the articles drawn.
fn time_visible(engine: &Engine, query: &str) -> (Duration, usize) {
    let results = engine.search(query, &SearchOptions { limit: VISIBLE, ..SearchOptions::default() });
    let draw = || {
        for hit in &results.hits {
            std::hint::black_box(engine.snippet(&results, hit.doc));
            std::hint::black_box(engine.highlights(&results, hit.doc, Field::Title));
        }
    };
    draw();
    let mut runs = 0u32;
    let started = Instant::now();
    while runs < 3 || (started.elapsed() < Duration::from_millis(30) && runs < 200) {
        draw();
        runs += 1;
    }
    (started.elapsed() / runs, results.hits.len())
}

/// Brotli at quality 6 with a 16 MiB window, as the browser benchmark compresses.
fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, 6, 24);
        w.write_all(bytes).expect("writing to memory does not fail");
    }
    out.len()
}

fn mb(bytes: usize) -> String {
    format!("{:.2}", bytes as f64 / 1e6)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "1000,10000,20000".into())
        .split(',')
        .map(|s| s.trim().parse().map_err(|_| format!("--sizes: {s:?} is not a number")))
        .collect::<Result<_, _>>()?;
    // A real archive: packing time per stage and memory at growing sizes, or a resampled copy.
    let corpus = value("--corpus").map_or_else(real::default_corpus, PathBuf::from);
    if has("--pack-real") {
        let sizes: Vec<usize> = match value("--sizes") {
            Some(_) => sizes,
            None => vec![2_000, 5_000, 10_000, 14_272, 100_000],
        };
        return real::run(&corpus, &sizes, 20_000);
    }
    if has("--known-items") {
        let misses = value("--misses");
        return known_items(
            &corpus,
            value("--write-queries").as_deref(),
            value("--rank").as_deref(),
            misses.as_deref(),
        );
    }
    if let Some(n) = value("--resample") {
        let n: usize = n.parse().map_err(|_| format!("--resample: {n:?} is not a number"))?;
        let out = value("-o").ok_or("--resample needs -o FILE")?;
        let loaded = sorot_engine::read_corpus(&[corpus.as_path()], &Default::default(), &mut |_| {})
            .map_err(|e| e.to_string())?;
        let bytes = real::write_jsonl(&real::resample(&loaded.articles, n), Path::new(&out))?;
        eprintln!("wrote {n} articles ({}) to {out}", mb(bytes));
        return Ok(());
    }
    let data = value("--data").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner"),
        PathBuf::from,
    );
    let mut sentences = load_sentences(&data)?;
    if has("--typographic") {
        sentences = sentences.iter().map(|s| typographic(s)).collect();
    }
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

    if has("--print-queries") {
        let n = sizes.first().copied().unwrap_or(1000);
        for q in queries::make(&generate(&sentences, n.min(1000))) {
            println!("{}\t{}", q.kind, q.text);
        }
        return Ok(());
    }

    // Every query's results, to check that a change to the engine keeps them.
    if let Some(out) = value("--dump-results") {
        let n = sizes.first().copied().unwrap_or(1000);
        let limit = match value("--dump-hits") {
            Some(v) => v.parse().map_err(|_| format!("--dump-hits: {v:?} is not a number"))?,
            None => 10,
        };
        let body_highlights = has("--dump-body-highlights");
        // A real archive when one is named (its first `--sizes` articles), else the generated corpus.
        let articles = match value("--corpus") {
            Some(_) => {
                let loaded = sorot_engine::read_corpus(&[corpus.as_path()], &Default::default(), &mut |_| {})
                    .map_err(|e| e.to_string())?;
                let n = value("--sizes").map_or(loaded.articles.len(), |_| n);
                loaded.articles.into_iter().take(n).collect()
            }
            None => generate(&sentences, n),
        };
        // The benchmark's queries, then the known-item queries of the whole corpus.
        let texts: Vec<String> = queries::make(&articles[..articles.len().min(1000)])
            .into_iter()
            .map(|q| q.text)
            .chain(known::make(&articles).into_iter().map(|q| q.text))
            .collect();
        let engine = Engine::with_ner(articles, &sorot_engine::shipped_model(), &mut |_| {});
        let engine = Engine::from_pack(&engine.to_pack()).map_err(|e| e.to_string())?;
        let mut lines = Vec::new();
        for text in &texts {
            let results = engine.search(text, &SearchOptions { limit, ..SearchOptions::default() });
            lines.push(format!(
                "{text} total {} fallback {} docs {:?}",
                results.total, results.any_word_fallback, results.docs
            ));
            lines.push(format!("  expansions {:?} warnings {:?}", results.expansions, results.warnings));
            for hit in &results.hits {
                lines.push(format!("  {hit:?}"));
                lines.push(format!("  {:?}", engine.snippet(&results, hit.doc)));
                lines.push(format!("  {:?}", engine.highlights(&results, hit.doc, Field::Title)));
                if body_highlights {
                    lines.push(format!("  {:?}", engine.highlights(&results, hit.doc, Field::Body)));
                }
            }
            lines.push(format!("  facets {:?}", engine.facets(Some(&results.docs))));
        }
        std::fs::write(&out, lines.join("\n") + "\n").map_err(|e| format!("{out}: {e}"))?;
        return Ok(());
    }

    let model = (!has("--no-ner")).then(sorot_engine::shipped_model);
    let mut sizes_table = vec![
        "| articles | tag + index s | pack MB | pack brotli MB | text MB | text brotli MB | pack/text brotli | from_pack ms |".to_string(),
        "|---:|---:|---:|---:|---:|---:|---:|---:|".to_string(),
    ];
    let mut query_table = vec![
        "| articles | kind | n | p50 ms | p95 ms | + snippets p50 | + snippets p95 | hits (mean) |"
            .to_string(),
        "|---:|---|---:|---:|---:|---:|---:|---:|".to_string(),
    ];
    let mut visible_table = vec![
        format!("| articles | kind | n | {VISIBLE} snippets + title highlights p50 ms | p95 ms | µs per article (mean) |"),
        "|---:|---|---:|---:|---:|---:|".to_string(),
    ];
    // With `--corpus`, the tables are of a real archive's first articles (as many as each size asks).
    let real_articles = match value("--corpus") {
        Some(_) => Some(
            sorot_engine::read_corpus(&[corpus.as_path()], &Default::default(), &mut |_| {})
                .map_err(|e| e.to_string())?
                .articles,
        ),
        None => None,
    };
    for &n in &sizes {
        let articles = match &real_articles {
            Some(real) => real.iter().take(n).cloned().collect(),
            None => generate(&sentences, n),
        };
        let text: String = articles.iter().map(|a| format!("{}\n{}\n", a.title, a.body)).collect();
        let queries = queries::make(&articles[..articles.len().min(1000)]);
        let started = Instant::now();
        let engine = match &model {
            Some(model) => Engine::with_ner(articles, model, &mut |_| {}),
            None => Engine::from_articles(articles),
        };
        let build = started.elapsed();
        let pack = engine.to_pack();
        let mut decode = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let decoded = Engine::from_pack(&pack).map_err(|e| e.to_string())?;
            decode.push(started.elapsed());
            drop(decoded);
        }
        decode.sort();
        let (pack_brotli, text_brotli) = (brotli_len(&pack), brotli_len(text.as_bytes()));
        sizes_table.push(format!(
            "| {n} | {:.2} | {} | {} | {} | {} | {:.2} | {} |",
            build.as_secs_f64(),
            mb(pack.len()),
            mb(pack_brotli),
            mb(text.len()),
            mb(text_brotli),
            pack_brotli as f64 / text_brotli as f64,
            ms(decode[0]),
        ));

        // `--profile-kind KIND`: only that kind's queries, over and over for ten seconds (run under
        // `perf record`).
        if let Some(kind) = value("--profile-kind") {
            let picked: Vec<&queries::Query> = queries.iter().filter(|q| q.kind == kind).collect();
            let started = Instant::now();
            let mut runs = 0usize;
            while started.elapsed() < Duration::from_secs(10) {
                for q in &picked {
                    std::hint::black_box(run_query(&engine, &q.text, true));
                }
                runs += 1;
            }
            eprintln!("{runs} runs of {} {kind} queries", picked.len());
            return Ok(());
        }
        // (kind, plain times, snippet times, hits)
        let mut by_kind: Vec<(&str, Vec<Duration>, Vec<Duration>, usize)> = Vec::new();
        // (kind, times, articles drawn)
        let mut visible: Vec<(&str, Vec<Duration>, usize)> = Vec::new();
        for q in &queries {
            let (time, drawn) = time_visible(&engine, &q.text);
            match visible.iter_mut().find(|(k, ..)| *k == q.kind) {
                Some(v) => {
                    v.1.push(time);
                    v.2 += drawn;
                }
                None => visible.push((q.kind, vec![time], drawn)),
            }
        }
        let all = visible.iter().fold(("all", Vec::new(), 0), |mut acc, (_, t, d)| {
            acc.1.extend(t);
            acc.2 += d;
            acc
        });
        visible.push(all);
        for (kind, mut times, drawn) in visible {
            times.sort();
            let sum: Duration = times.iter().sum();
            visible_table.push(format!(
                "| {n} | {kind} | {} | {} | {} | {:.1} |",
                times.len(),
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                sum.as_secs_f64() * 1e6 / drawn.max(1) as f64
            ));
        }
        for q in &queries {
            let (plain, total) = time_query(&engine, &q.text, false);
            let (with_snippets, _) = time_query(&engine, &q.text, true);
            let i = match by_kind.iter().position(|(k, ..)| *k == q.kind) {
                Some(i) => i,
                None => {
                    by_kind.push((q.kind, Vec::new(), Vec::new(), 0));
                    by_kind.len() - 1
                }
            };
            by_kind[i].1.push(plain);
            by_kind[i].2.push(with_snippets);
            by_kind[i].3 += total;
        }
        let all = by_kind.iter().fold(("all", Vec::new(), Vec::new(), 0), |mut acc, (_, p, s, h)| {
            acc.1.extend(p);
            acc.2.extend(s);
            acc.3 += h;
            acc
        });
        by_kind.push(all);
        for (kind, mut plain, mut snippets, hits) in by_kind {
            plain.sort();
            snippets.sort();
            query_table.push(format!(
                "| {n} | {kind} | {} | {} | {} | {} | {} | {} |",
                plain.len(),
                ms(percentile(&plain, 0.5)),
                ms(percentile(&plain, 0.95)),
                ms(percentile(&snippets, 0.5)),
                ms(percentile(&snippets, 0.95)),
                hits / plain.len().max(1)
            ));
        }
        eprintln!("{n} articles done");
    }
    println!("{}\n\n{}\n\n{}", sizes_table.join("\n"), query_table.join("\n"), visible_table.join("\n"));
    Ok(())
}

/// `--rank k1=1.5,title_boost=4`: ranking parameters changed from their defaults.
fn rank_params(spec: Option<&str>) -> Result<sorot_engine::RankParams, String> {
    let mut p = sorot_engine::RankParams::default();
    for part in spec.unwrap_or("").split(',').filter(|s| !s.trim().is_empty()) {
        let (name, v) = part.split_once('=').ok_or_else(|| format!("--rank: {part:?} is not NAME=VALUE"))?;
        let v: f32 = v.trim().parse().map_err(|_| format!("--rank: {v:?} is not a number"))?;
        let field = match name.trim() {
            "k1" => &mut p.k1,
            "b_body" => &mut p.b_body,
            "b_title" => &mut p.b_title,
            "title_boost" => &mut p.title_boost,
            "exact" => &mut p.exact,
            "stem" => &mut p.stem,
            "prefix" => &mut p.prefix,
            "typo" => &mut p.typo,
            "stopword" => &mut p.stopword,
            "title_position" => &mut p.title_position,
            "title_tier" => {
                p.title_tier = v != 0.0;
                continue;
            }
            other => return Err(format!("--rank: no parameter {other:?}")),
        };
        *field = v;
    }
    Ok(p)
}

/// Known-item queries from `corpus`: written as JSON for the browser benchmark, or asked natively.
fn known_items(
    corpus: &Path,
    write: Option<&str>,
    rank: Option<&str>,
    misses: Option<&str>,
) -> Result<(), String> {
    let loaded =
        sorot_engine::read_corpus(&[corpus], &Default::default(), &mut |_| {}).map_err(|e| e.to_string())?;
    let articles = loaded.articles;
    let queries = known::make(&articles);
    if let Some(out) = write {
        let name = corpus.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let json = known::to_json(&queries, &articles, &name);
        std::fs::write(out, serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{out}: {e}"))?;
        eprintln!("wrote {} queries to {out}", queries.len());
        return Ok(());
    }
    let options =
        SearchOptions { limit: 10, rank_all: false, rank: rank_params(rank)?, ..SearchOptions::default() };
    let started = Instant::now();
    let engine = Engine::from_articles(articles);
    eprintln!("{} articles indexed in {:.1} s", engine.articles().len(), started.elapsed().as_secs_f64());
    println!(
        "Known-item queries on {} ({} articles), {} per kind; ranking {:?}",
        corpus.display(),
        engine.articles().len(),
        known::PER_KIND,
        options.rank
    );
    println!();
    println!("| kind | n | success@10 | MRR@10 | p50 ms | p95 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut all = (0usize, 0usize, 0.0f64, Vec::new());
    let mut slowest: Vec<(Duration, &str, usize)> = Vec::new();
    for kind in known::KINDS {
        let (mut n, mut found, mut rr, mut times) = (0usize, 0usize, 0.0f64, Vec::new());
        for q in queries.iter().filter(|q| q.kind == kind) {
            let started = Instant::now();
            let results = engine.search(&q.text, &options);
            times.push(started.elapsed());
            slowest.push((started.elapsed(), q.text.as_str(), results.total));
            n += 1;
            if let Some(rank) = results.hits.iter().position(|h| h.doc.index() == q.target) {
                found += 1;
                rr += 1.0 / (rank + 1) as f64;
            }
        }
        all.0 += n;
        all.1 += found;
        all.2 += rr;
        all.3.extend_from_slice(&times);
        let (p50, p95) = percentiles(&mut times);
        println!(
            "| {kind} | {n} | {:.2} | {:.3} | {p50} | {p95} |",
            found as f64 / n.max(1) as f64,
            rr / n.max(1) as f64
        );
    }
    let (p50, p95) = percentiles(&mut all.3);
    let mut missed = Vec::new();
    for q in queries.iter().filter(|q| misses.is_some_and(|k| k == q.kind || k == "all")) {
        let results = engine.search(&q.text, &options);
        if !results.hits.iter().any(|h| h.doc.index() == q.target) {
            let top = results.hits.first().map_or("", |h| engine.articles()[h.doc.index()].title.as_str());
            missed.push(format!(
                "- `{}` ({} matches) for \"{}\"; first: \"{top}\"",
                q.text,
                results.total,
                engine.articles()[q.target].title
            ));
        }
    }
    println!(
        "| all | {} | {:.2} | {:.3} | {p50} | {p95} |",
        all.0,
        all.1 as f64 / all.0.max(1) as f64,
        all.2 / all.0.max(1) as f64
    );
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!(
        "\nSlowest: {}",
        slowest
            .iter()
            .take(8)
            .map(|(t, q, total)| format!("`{q}` {:.2} ms ({total} matches)", t.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(kind) = misses {
        println!("\nMissed ({kind}):\n{}", missed.join("\n"));
    }
    residue_report(&engine, &queries, &options);
    Ok(())
}

/// How scraping residue left in the bodies reaches the snippets of the known-item queries' top 10.
fn residue_report(engine: &Engine, queries: &[known::KnownItem], options: &SearchOptions) {
    let mut bodies = [0usize; 4];
    let (mut any_body, mut fused, mut words, mut fused_in) = (0, 0, 0, 0);
    for a in engine.articles() {
        let found = residue::find(&a.body);
        let (f, w) = residue::fused_words(&a.body);
        (fused, words, fused_in) = (fused + f, words + w, fused_in + usize::from(f > 0));
        any_body += usize::from(!found.is_empty());
        for (kind, n) in bodies.iter_mut().enumerate() {
            *n += usize::from(found.iter().any(|f| f.0 == kind));
        }
    }
    let mut tally = residue::Tally::default();
    for q in queries {
        let results = engine.search(&q.text, options);
        for hit in &results.hits {
            tally.add(&engine.snippet(&results, hit.doc));
        }
    }
    let n = engine.articles().len();
    let pct = |a: usize, b: usize| format!("{:.1}%", 100.0 * a as f64 / b.max(1) as f64);
    println!(
        "\nScraping residue (bodies as given): articles whose body has it, and of the {} snippets the \
         queries' top 10 show, those containing it and those whose highlighted match lies inside it\n",
        tally.snippets
    );
    println!("| residue | articles | snippets containing | match inside |");
    println!("|---|---:|---:|---:|");
    for (kind, name) in residue::KINDS.iter().enumerate() {
        println!(
            "| {name} | {} | {} | {} |",
            pct(bodies[kind], n),
            pct(tally.containing[kind], tally.snippets),
            pct(tally.matched_in[kind], tally.snippets)
        );
    }
    println!("| any | {} | {} | |", pct(any_body, n), pct(tally.any, tally.snippets));
    println!(
        "\nWords glued to mojibake (indexed as `äukami` for `“Kami`, so a search for the word misses them \
         there): {fused} of {words} words ({}), in {} of the articles",
        pct(fused, words),
        pct(fused_in, n)
    );
}

fn percentiles(times: &mut [Duration]) -> (String, String) {
    times.sort();
    let at = |p: f64| {
        times.get(((times.len() as f64 - 1.0) * p).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    (format!("{:.3}", at(0.5)), format!("{:.3}", at(0.95)))
}
