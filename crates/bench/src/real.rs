//! Packing a real news archive at growing sizes: time per stage, per 1,000 articles (a flat column
//! shows the stage is linear), peak memory against the input's size, and pack size.
//!
//! The corpus (`--corpus FILE`, by default `../shared/data/news/clickid-dev.jsonl.gz`) is resampled to
//! each size: shuffled deterministically, then taken whole as often as needed, every copy past the
//! first with new ids (`ID.2`, `ID.3`, …). Each sample is written as JSONL to `target/bench/` and packed
//! from there as `sorot pack` does: read, tag, index and merge entities, encode.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sorot_engine::{read_corpus, resolve_entities, Article, Engine, Index, ReadOptions};

use crate::{brotli_len, mb, Rng};

/// The system allocator, counting the bytes in use and their peak (for peak memory per size).
pub struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as given.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as given.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as given.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

fn grew(size: usize) {
    let now = IN_USE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

/// Starts a new peak from what is in use now; returns that.
fn reset_peak() -> usize {
    let now = IN_USE.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// The dev file's place, next to the project.
pub fn default_corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/news/clickid-dev.jsonl.gz")
}

/// `n` articles drawn from `articles` as the module says.
pub fn resample(articles: &[Article], n: usize) -> Vec<Article> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    let mut rng = Rng(0x5eed);
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    (0..n)
        .map(|i| {
            let mut a = articles[order[i % order.len()]].clone();
            let copy = i / order.len();
            if copy > 0 {
                a.id = format!("{}.{}", a.id, copy + 1);
            }
            a
        })
        .collect()
}

/// One article as a JSONL line of the corpus format.
fn jsonl(a: &Article) -> String {
    serde_json::json!({
        "id": a.id, "title": a.title, "body": a.body, "date": a.date,
        "source": a.source, "url": a.url, "lang": a.lang,
    })
    .to_string()
}

/// Writes `articles` as JSONL to `path`; returns the file's size.
pub fn write_jsonl(articles: &[Article], path: &Path) -> Result<usize, String> {
    let mut text = String::new();
    for a in articles {
        text.push_str(&jsonl(a));
        text.push('\n');
    }
    std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text.len())
}

fn per_1k(d: Duration, n: usize) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0 / n.max(1) as f64)
}

/// Runs the packing benchmark; prints a Markdown table.
pub fn run(corpus: &Path, sizes: &[usize], brotli_up_to: usize) -> Result<(), String> {
    let loaded = read_corpus(&[corpus], &ReadOptions::default(), &mut |_| {}).map_err(|e| e.to_string())?;
    eprintln!(
        "{} articles read from {} ({} problems)",
        loaded.articles.len(),
        corpus.display(),
        loaded.problems.len()
    );
    if loaded.articles.is_empty() {
        return Err(format!("{}: no articles", corpus.display()));
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let model = sorot_engine::shipped_model();

    let mut table = vec![
        format!("Corpus: {} (resampled). Seconds per 1,000 articles by stage; peak = most heap in use while packing.", corpus.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned())),
        String::new(),
        "| articles | input MB | read | tag | index | entities | encode | total s | total per 1k | peak MB | peak / input | pack MB | pack brotli MB | text brotli MB | pack / text brotli |".to_string(),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|".to_string(),
    ];
    for &n in sizes {
        let path = dir.join(format!("real-{n}.jsonl"));
        let input = write_jsonl(&resample(&loaded.articles, n), &path)?;
        let base = reset_peak();

        let started = Instant::now();
        let read = read_corpus(&[path.as_path()], &ReadOptions::default(), &mut |_| {})
            .map_err(|e| e.to_string())?;
        let t_read = started.elapsed();
        if read.articles.len() != n {
            let first = read.problems.first().map(|p| p.error.to_string()).unwrap_or_default();
            return Err(format!("{}: {} of {n} articles read; {first}", path.display(), read.articles.len()));
        }
        let articles = read.articles;

        let started = Instant::now();
        let mentions: Vec<_> = articles.iter().map(|a| model.tag(&a.body, &a.lang)).collect();
        let t_tag = started.elapsed();

        // The stages of `Engine::with_mentions`, timed one by one; the engine is then built as the
        // packer builds it (that time is not counted twice).
        let started = Instant::now();
        let index = Index::build(&articles);
        let t_index = started.elapsed();
        drop(index);
        let started = Instant::now();
        let bodies: Vec<(&str, Vec<_>)> =
            articles.iter().map(|a| a.body.as_str()).zip(mentions.iter().cloned()).collect();
        let entities = resolve_entities(&bodies);
        let t_entities = started.elapsed();
        drop((entities, bodies));

        let engine = Engine::with_mentions(articles, mentions);
        let started = Instant::now();
        let pack = engine.to_pack();
        let t_encode = started.elapsed();
        let peak = PEAK.load(Ordering::Relaxed) - base;

        let total = t_read + t_tag + t_index + t_entities + t_encode;
        let (pack_brotli, text_brotli) = if n <= brotli_up_to {
            let text: String =
                engine.articles().iter().map(|a| format!("{}\n{}\n", a.title, a.body)).collect();
            (mb(brotli_len(&pack)), mb(brotli_len(text.as_bytes())))
        } else {
            ("–".to_string(), "–".to_string())
        };
        let ratio = match (pack_brotli.parse::<f64>(), text_brotli.parse::<f64>()) {
            (Ok(p), Ok(t)) if t > 0.0 => format!("{:.2}", p / t),
            _ => "–".to_string(),
        };
        table.push(format!(
            "| {n} | {} | {} | {} | {} | {} | {} | {:.1} | {} | {} | {:.1} | {} | {pack_brotli} | {text_brotli} | {ratio} |",
            mb(input),
            per_1k(t_read, n),
            per_1k(t_tag, n),
            per_1k(t_index, n),
            per_1k(t_entities, n),
            per_1k(t_encode, n),
            total.as_secs_f64(),
            per_1k(total, n),
            mb(peak),
            peak as f64 / input as f64,
            mb(pack.len()),
        ));
        eprintln!("{n} articles: {:.1} s", total.as_secs_f64());
        drop((engine, pack));
        let _ = std::fs::remove_file(&path);
    }
    println!("{}", table.join("\n"));
    Ok(())
}
