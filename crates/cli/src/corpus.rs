//! Reading a corpus for a command: a pack as it is, or article files read, tagged and indexed, with
//! progress on a terminal (stage, rate, time left) and a report of what was left out.

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sorot_engine::{
    learn_dates, read_corpus, stream_articles, Article, ArticleField, CorrectionNote, Corrections, Effect,
    Engine, Loaded, Mention, Problem, ReadOptions, Reading, SplitPacker,
};

use crate::args::Args;

/// Problems listed after the summary line; the rest are only counted.
const SHOWN_PROBLEMS: usize = 20;

/// How the options of `pack` and `bundle` say to read articles.
pub fn read_options(args: &Args) -> Result<ReadOptions, String> {
    let mut fields = Vec::new();
    for given in args.values("--field") {
        let (field, name) = given
            .split_once('=')
            .ok_or_else(|| format!("--field takes FIELD=NAME (for example body=isi), not {given:?}"))?;
        let known = ArticleField::ALL.map(ArticleField::name).join(", ");
        let field = ArticleField::from_name(field)
            .ok_or_else(|| format!("--field {given}: there is no field {field:?} (fields: {known})"))?;
        if name.trim().is_empty() {
            return Err(format!("--field {given}: name the column or key after `=`"));
        }
        fields.push((field, name.trim().to_string()));
    }
    Ok(ReadOptions { strict: args.has("--strict"), html: args.has("--html"), fields, max_body_bytes: None })
}

/// The corrections file `--corrections FILE` names (none without the option).
pub fn read_corrections(args: &Args) -> Result<Corrections, String> {
    let Some(path) = args.value("--corrections") else { return Ok(Corrections::new()) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    Corrections::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// A corpus read for a command, and what reading it left out.
pub struct Corpus {
    /// The corpus and its index.
    pub engine: Engine,
    /// Problems met while reading article files (none for a pack).
    pub problems: Vec<Problem>,
    /// What the corrections could not do.
    pub notes: Vec<CorrectionNote>,
}

impl Corpus {
    /// Records left out, and corrections that could not apply.
    pub fn skipped(&self) -> usize {
        self.problems.iter().filter(|p| p.effect == Effect::Skipped).count() + self.notes.len()
    }

    /// Prints `14,272 articles packed; 3 skipped, 41 dates not understood` and the first problems,
    /// then the corrections that could not apply.
    pub fn report(&self, done: &str) {
        report(self.engine.article_count(), &self.problems, done);
        report_notes(&self.notes);
    }
}

/// Prints the corrections that could not apply, if any.
pub fn report_notes(notes: &[CorrectionNote]) {
    if notes.is_empty() {
        return;
    }
    let n = notes.len();
    eprintln!("{n} correction{} could not apply (the others did):", if n == 1 { "" } else { "s" });
    for note in notes.iter().take(SHOWN_PROBLEMS) {
        eprintln!("  {note}");
    }
    if n > SHOWN_PROBLEMS {
        eprintln!("  … and {} more", n - SHOWN_PROBLEMS);
    }
}

/// Prints `14,272 articles packed; 3 skipped, 41 dates not understood` and the first problems.
pub fn report(n: usize, problems: &[Problem], done: &str) {
    {
        let count = |effect| problems.iter().filter(|p| p.effect == effect).count();
        let mut line = format!("{} {done}", articles(n));
        let mut parts = Vec::new();
        if count(Effect::Skipped) > 0 {
            parts.push(format!("{} skipped", thousands(count(Effect::Skipped))));
        }
        if count(Effect::DateDropped) > 0 {
            let n = count(Effect::DateDropped);
            parts.push(format!("{} date{} not understood", thousands(n), if n == 1 { "" } else { "s" }));
        }
        if count(Effect::Ignored) > 0 {
            parts.push(format!("{} ignored", thousands(count(Effect::Ignored))));
        }
        if !parts.is_empty() {
            line = format!("{line}; {}", parts.join(", "));
        }
        eprintln!("{line}");
        for problem in problems.iter().take(SHOWN_PROBLEMS) {
            eprintln!("  {problem}");
        }
        if problems.len() > SHOWN_PROBLEMS {
            eprintln!("  … and {} more", problems.len() - SHOWN_PROBLEMS);
        }
    }
}

/// `1 article`, `21,150 articles`.
pub fn articles(n: usize) -> String {
    format!("{} article{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `21150` → `21,150`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A bar (or a spinner, without `len`) for one stage, drawn on a terminal only.
fn stage(name: &str, len: Option<u64>, template: &str) -> ProgressBar {
    let bar = match len {
        Some(len) => ProgressBar::new(len),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_prefix(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Reads the corpus `inputs` name: one `.pack` file as it is, or article files and folders, which are
/// read (leniently unless `options.strict`), tagged and indexed.
pub fn read(inputs: &[&str], options: &ReadOptions) -> Result<Corpus, String> {
    read_corrected(inputs, options, &Corrections::new())
}

/// [`read`], with a curator's `corrections` applied to the entities: of article files as they are
/// merged, of a pack as it has them (a split pack's are refused: it is not read whole).
pub fn read_corrected(
    inputs: &[&str],
    options: &ReadOptions,
    corrections: &Corrections,
) -> Result<Corpus, String> {
    if !corrections.is_empty() && !are_article_files(inputs) {
        let mut corpus = read(inputs, options)?;
        let corrected =
            corpus.engine.corrected(corrections).map_err(|e| format!("{}: {e}", inputs.join(" ")))?;
        (corpus.engine, corpus.notes) = corrected;
        return Ok(corpus);
    }
    if let Some(split) = split_entry(inputs) {
        let split = split?;
        let pieces: Vec<u32> = (0..split.engine.piece_count() as u32).collect();
        split.fetch(&pieces)?;
        return Ok(Corpus { engine: split.engine, problems: Vec::new(), notes: Vec::new() });
    }
    if let [single] = inputs {
        let path = Path::new(single);
        if path.is_file() {
            let bytes = std::fs::read(path).map_err(|e| format!("{single}: cannot read: {e}"))?;
            if bytes.starts_with(&sorot_engine::PACK_MAGIC) {
                let engine = Engine::from_pack(&bytes).map_err(|e| format!("{single}: {e}"))?;
                return Ok(Corpus { engine, problems: Vec::new(), notes: Vec::new() });
            }
        }
    }
    let paths: Vec<&Path> = inputs.iter().map(Path::new).collect();
    let reading = reading_bar();
    let loaded: Loaded =
        read_corpus(&paths, options, &mut |r| show_reading(&reading, r)).map_err(|e| e.to_string())?;
    reading.finish_and_clear();

    let model = sorot_engine::shipped_model();
    let n = loaded.articles.len();
    let tagging = stage(
        "finding entities",
        Some(n as u64),
        "{prefix:>16} [{bar:30}] {human_pos}/{human_len} articles, {per_sec}, {eta} left",
    );
    let (mut articles, mut mentions) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let given = loaded.articles;
    tag_in_order(
        &model,
        move |push| {
            for article in given {
                push(article);
            }
        },
        &mut |article, found| {
            articles.push(article);
            mentions.push(found);
            tagging.inc(1);
        },
    );
    tagging.finish_and_clear();

    let indexing = stage("indexing", None, "{prefix:>16} {spinner} words and entities of {msg} articles");
    indexing.set_message(thousands(n));
    let (engine, notes) = Engine::with_corrections(articles, mentions, corrections);
    indexing.finish_and_clear();
    Ok(Corpus { engine, problems: loaded.problems, notes })
}

/// Whether `inputs` are article files and folders (not a pack or a split pack).
pub fn are_article_files(inputs: &[&str]) -> bool {
    if split_entry(inputs).is_some() {
        return false;
    }
    !matches!(inputs, [single] if std::fs::File::open(single)
        .and_then(|mut f| {
            let mut magic = [0u8; 8];
            std::io::Read::read_exact(&mut f, &mut magic).map(|()| magic)
        })
        .is_ok_and(|magic| magic == sorot_engine::PACK_MAGIC))
}

/// What [`pack_split`] made.
pub struct SplitPacked {
    /// The entry file's bytes.
    pub entry: Vec<u8>,
    /// Articles packed.
    pub articles: usize,
    /// Terms of the index.
    pub terms: usize,
    /// Problems met while reading.
    pub problems: Vec<Problem>,
    /// What the corrections could not do.
    pub notes: Vec<CorrectionNote>,
}

/// A split pack of the article files `inputs` name, made without holding the corpus
/// ([`SplitPacker`]): the files are read, tagged and indexed, then read again for the article
/// batches (on a thread of their own, while the batches are written). Each piece file goes to
/// `write`; `corrections` are applied to the entities.
pub fn pack_split(
    inputs: &[&str],
    options: &ReadOptions,
    corrections: Corrections,
    split: &sorot_engine::SplitOptions,
    write: &mut sorot_engine::PieceWriter<'_>,
) -> Result<SplitPacked, String> {
    let paths: Vec<&Path> = inputs.iter().map(Path::new).collect();
    let model = sorot_engine::shipped_model();
    let mut packer = SplitPacker::new();
    packer.correct(corrections);
    let reading = reading_bar();
    let problems = tag_in_order(
        &model,
        |push| {
            let progress = &mut |r: &Reading| show_reading(&reading, r);
            let orders = learn_dates(&paths, options, progress)?;
            stream_articles(&paths, options, &orders, progress, push).map(|problems| (problems, orders))
        },
        &mut |article, mentions| packer.add(&article, &mentions),
    )
    .map_err(|e| e.to_string())?;
    let (problems, orders) = problems;
    reading.finish_and_clear();
    let n = packer.article_count();
    let writing = stage(
        "writing",
        Some(n as u64),
        "{prefix:>16} [{bar:30}] {human_pos}/{human_len} articles in batches, {per_sec}, {eta} left",
    );
    writing.set_position(0);
    // The second reading runs on its own thread and hands the articles over as they are read.
    let (send, receive) = std::sync::mpsc::sync_channel::<Result<Article, String>>(256);
    let (entry, terms, notes) = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut open = true;
            let read = stream_articles(&paths, options, &orders, &mut |_| {}, &mut |article| {
                open = open && send.send(Ok(article)).is_ok();
            });
            if let Err(e) = read {
                let _ = send.send(Err(e.to_string()));
            }
        });
        let mut next = || {
            let article = receive.recv().ok()?;
            writing.inc(1);
            Some(article)
        };
        let written = packer.write(split, &mut next, write);
        // Whatever is left of the second reading is not needed (a write failed).
        drop(receive);
        written
    })?;
    writing.finish_and_clear();
    Ok(SplitPacked { entry, articles: n, terms, problems, notes })
}

/// Tags the articles `read` hands on (it runs on a thread of its own) on every core, and hands each
/// with the mentions found in it to `each`, in the order read; returns what `read` returned. The
/// articles on their way are a few dozen per core, whatever the corpus's size.
fn tag_in_order<R: Send>(
    model: &sorot_engine::NerModel,
    read: impl FnOnce(&mut dyn FnMut(Article)) -> R + Send,
    each: &mut dyn FnMut(Article, Vec<Mention>),
) -> R {
    use std::sync::mpsc::sync_channel;
    const CHUNK: usize = 32;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let (work, to_tag) = sync_channel::<(usize, Vec<Article>)>(workers * 2);
    let to_tag = std::sync::Mutex::new(to_tag);
    let (tagged, done) = sync_channel::<(usize, Vec<(Article, Vec<Mention>)>)>(workers * 2);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let (mut chunk, mut number) = (Vec::with_capacity(CHUNK), 0);
            let out = read(&mut |article| {
                chunk.push(article);
                if chunk.len() == CHUNK {
                    let _ = work.send((number, std::mem::take(&mut chunk)));
                    number += 1;
                }
            });
            if !chunk.is_empty() {
                let _ = work.send((number, chunk));
            }
            out
        });
        for _ in 0..workers {
            let (to_tag, tagged) = (&to_tag, tagged.clone());
            scope.spawn(move || loop {
                let next = to_tag.lock().ok().and_then(|chunk| chunk.recv().ok());
                let Some((number, chunk)) = next else { break };
                let found = chunk
                    .into_iter()
                    .map(|a| {
                        let mentions = model.tag(&a.body, &a.lang);
                        (a, mentions)
                    })
                    .collect();
                if tagged.send((number, found)).is_err() {
                    break;
                }
            });
        }
        drop(tagged);
        // Chunks come back in any order: each is handed on when those before it have been.
        let (mut waiting, mut next) = (std::collections::BTreeMap::new(), 0);
        for (number, found) in done {
            waiting.insert(number, found);
            while let Some(found) = waiting.remove(&next) {
                for (article, mentions) in found {
                    each(article, mentions);
                }
                next += 1;
            }
        }
        match reader.join() {
            Ok(out) => out,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The bar of the reading stage.
fn reading_bar() -> ProgressBar {
    stage(
        "reading",
        Some(0),
        "{prefix:>16} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}, {msg} articles, {eta} left",
    )
}

/// Shows how far a reading is.
fn show_reading(bar: &ProgressBar, r: &Reading) {
    bar.set_prefix(if r.dates_only { "reading dates" } else { "reading" });
    bar.set_length(r.total_bytes);
    bar.set_position(r.bytes);
    bar.set_message(thousands(r.records));
}

/// A split pack opened from its entry file, with the folder its pieces are read from.
pub struct Split {
    pub engine: Engine,
    folder: std::path::PathBuf,
    /// Pieces read so far, and their bytes.
    pub read: std::cell::Cell<(usize, u64)>,
    /// The same by kind of piece.
    pub by_kind: std::cell::RefCell<Vec<(sorot_engine::PieceKind, usize, u64)>>,
    /// The kinds of piece read by each round (a page fetches a round's pieces together, and needs
    /// the round before to know them).
    pub rounds: std::cell::RefCell<Vec<Vec<sorot_engine::PieceKind>>>,
}

/// The split pack `inputs` names (its folder, or its entry file), if it is one.
pub fn split_entry(inputs: &[&str]) -> Option<Result<Split, String>> {
    let [single] = inputs else { return None };
    let path = Path::new(single);
    let entry = if path.is_dir() { path.join(sorot_engine::ENTRY_NAME) } else { path.to_path_buf() };
    let mut magic = [0u8; 8];
    let is_entry = std::fs::File::open(&entry)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| magic == sorot_engine::SPLIT_MAGIC);
    if !is_entry {
        return None;
    }
    let name = entry.display().to_string();
    Some((|| {
        let bytes = std::fs::read(&entry).map_err(|e| format!("{name}: cannot read: {e}"))?;
        let engine = Engine::from_entry(&bytes).map_err(|e| format!("{name}: {e}"))?;
        let folder = entry.parent().map_or_else(|| ".".into(), Path::to_path_buf);
        Ok(Split {
            engine,
            folder,
            read: Default::default(),
            by_kind: Default::default(),
            rounds: Default::default(),
        })
    })())
}

impl Split {
    /// Reads pieces `pieces` from the folder into the engine.
    pub fn fetch(&self, pieces: &[u32]) -> Result<(), String> {
        let mut round = Vec::new();
        for &piece in pieces {
            let Some((kind, name)) = self.engine.piece(piece) else {
                return Err(format!("no piece {piece}"));
            };
            let path = self.folder.join(&name);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            self.engine.add_piece(piece, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            if !round.contains(&kind) {
                round.push(kind);
            }
            let (n, total) = self.read.get();
            self.read.set((n + 1, total + bytes.len() as u64));
            let mut by_kind = self.by_kind.borrow_mut();
            match by_kind.iter_mut().find(|k| k.0 == kind) {
                Some(k) => (k.1, k.2) = (k.1 + 1, k.2 + bytes.len() as u64),
                None => by_kind.push((kind, 1, bytes.len() as u64)),
            }
        }
        self.rounds.borrow_mut().push(round);
        Ok(())
    }

    /// Runs `ask` until it needs no piece that is not at hand, reading what it needed each time.
    pub fn answer<T>(&self, mut ask: impl FnMut(&Engine) -> T) -> Result<T, String> {
        loop {
            let out = ask(&self.engine);
            let missing = self.engine.missing();
            if missing.is_empty() {
                return Ok(out);
            }
            self.fetch(&missing)?;
        }
    }
}
