//! Reading articles from files: plain text with an optional sidecar, Markdown with front matter, JSON,
//! JSON Lines and CSV, optionally gzip-compressed, with bodies as text or HTML.
//!
//! The corpus format (also in README):
//! - `NAME.txt`: the article text. The id is `NAME`; the title is derived from the first sentence.
//!   An optional sidecar `NAME.meta` next to it holds metadata lines (`source: AFP`, `lang: id`).
//! - `NAME.md`: optional front matter between `---` lines with the same `key: value` lines; a first
//!   line `# Heading` becomes the title when the front matter has none.
//! - `NAME.json`: an array of article objects; `NAME.jsonl`: one article object per line;
//!   `NAME.csv`: a header row naming the columns, then one article per row. Fields: `body` (required,
//!   or `html`), `id`, `title`, `date`, `source`, `url`, `lang`; other fields are ignored. Common other
//!   names are understood (`content` → body, `headline` → title, see [`ArticleField::names`]) and
//!   [`ReadOptions::fields`] adds more. Articles without an id get `NAME-1`, `NAME-2`, … by position.
//! - Any of these with `.gz` after it is read decompressed.
//!
//! One bad record never sinks an archive: by default [`read_corpus`] keeps every good article and
//! reports the rest as [`Problem`]s (a record left out, a date not understood and dropped, a field
//! ignored). [`ReadOptions::strict`] stops at the first problem instead.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::corpus::article::ArticleErrorKind;
use crate::corpus::date::{read_date, DateError, DayMonth};
use crate::{derive_title, detect_lang, Article, ArticleError};

/// A field of an article, as files name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArticleField {
    /// A stable identifier, unique in the corpus.
    Id,
    /// The headline.
    Title,
    /// The text.
    Body,
    /// The text as HTML (turned into text paragraphs).
    Html,
    /// The publication date.
    Date,
    /// The publisher.
    Source,
    /// Where it was published.
    Url,
    /// Its language.
    Lang,
}

impl ArticleField {
    /// Every field.
    pub const ALL: [ArticleField; 8] = [
        ArticleField::Id,
        ArticleField::Title,
        ArticleField::Body,
        ArticleField::Html,
        ArticleField::Date,
        ArticleField::Source,
        ArticleField::Url,
        ArticleField::Lang,
    ];

    /// The field's own name, then the other names exports and spreadsheets give it (compared
    /// ignoring case, with spaces and `-` read as `_`). The own name wins over the others.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ArticleField::Id => &["id", "guid", "uid", "article_id", "post_id", "uuid"],
            ArticleField::Title => &["title", "headline", "judul", "heading", "post_title"],
            ArticleField::Body => {
                &["body", "content", "text", "isi", "article", "konten", "artikel", "post_content", "berita"]
            }
            ArticleField::Html => {
                &["html", "body_html", "content_html", "content_encoded", "content:encoded"]
            }
            ArticleField::Date => &[
                "date",
                "published",
                "published_at",
                "publish_date",
                "pubdate",
                "date_published",
                "datetime",
                "tanggal",
                "waktu",
                "created_at",
                "post_date",
                "time",
            ],
            ArticleField::Source => &["source", "publisher", "media", "site", "sumber", "portal", "outlet"],
            ArticleField::Url => &["url", "link", "permalink", "href", "tautan", "source_url"],
            ArticleField::Lang => &["lang", "language", "bahasa", "locale"],
        }
    }

    /// The field's own name.
    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The field a name given on the command line means (`body`, `title`, …; its own names only).
    pub fn from_name(name: &str) -> Option<ArticleField> {
        ArticleField::ALL.into_iter().find(|f| f.name() == name.trim().to_ascii_lowercase())
    }
}

/// A column or key name as compared with [`ArticleField::names`].
fn normal_name(name: &str) -> String {
    name.trim().trim_start_matches('\u{feff}').to_lowercase().replace([' ', '-'], "_")
}

/// How to read a corpus.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Stop at the first problem, as an error, instead of keeping the good articles.
    pub strict: bool,
    /// Every body is HTML (not only those given in an `html` field).
    pub html: bool,
    /// More names for fields: `(Body, "isi_berita")` reads the column or key `isi_berita` as the body,
    /// before any other name of the field.
    pub fields: Vec<(ArticleField, String)>,
    /// The most text (UTF-8 bytes) an article may have; a longer one is left out, with a problem.
    /// `None`: no bound (the packer's).
    pub max_body_bytes: Option<usize>,
}

/// What [`read_corpus`] read: the articles, and what it left out or changed, in file order.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The good articles, in file order; ids are unique.
    pub articles: Vec<Article>,
    /// Records left out, dates dropped, fields and files ignored.
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// How many problems had this effect.
    pub fn count(&self, effect: Effect) -> usize {
        self.problems.iter().filter(|p| p.effect == effect).count()
    }
}

/// One thing [`read_corpus`] could not take as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where and what.
    pub error: LoadError,
    /// What became of it.
    pub effect: Effect,
}

/// What became of a record (or file) with a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The record (or the whole file, when the problem has no line) was left out.
    Skipped,
    /// The article was kept without its date.
    DateDropped,
    /// The article was kept; the field (or a file that is not an article) was ignored.
    Ignored,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let effect = match self.effect {
            Effect::Skipped if self.error.line.is_none() && self.error.record.is_none() => "file skipped",
            Effect::Skipped => "skipped",
            Effect::DateDropped => "kept without a date",
            Effect::Ignored => "ignored",
        };
        write!(f, "{} ({effect})", self.error)
    }
}

/// A file that could not be read as articles, with where ([`LoadError::path`], [`LoadError::line`],
/// [`LoadError::record`]) and why ([`LoadError::kind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    path: String,
    line: Option<usize>,
    record: Option<usize>,
    kind: LoadErrorKind,
}

/// What went wrong while loading articles.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The operating system could not read it.
    Io(String),
    /// The file is not valid UTF-8; the offset is of the first bad byte.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A metadata line is not `key: value`.
    BadMetaLine(String),
    /// A metadata key that the corpus format does not know.
    UnknownKey(String),
    /// Front matter opened with `---` but never closed.
    UnclosedFrontMatter,
    /// A metadata sidecar with no article next to it.
    OrphanMeta(String),
    /// The file type is not an article format.
    UnsupportedFile,
    /// Two articles share an id.
    DuplicateId {
        /// The shared id.
        id: String,
        /// Where it was used first (`file` or `file:line`).
        first: String,
    },
    /// The fields do not make a valid article.
    Article(ArticleError),
    /// A date that could not be read.
    Date {
        /// The date as given.
        date: String,
        /// Why it could not be read.
        why: DateError,
    },
    /// A required field is missing (or empty).
    MissingField(&'static str),
    /// A field holds something other than text (a number, a list, …).
    NotText(&'static str),
    /// JSON that does not parse, or an article that is not a JSON object.
    Json(String),
    /// A CSV file that cannot be read, or a header without a column for the article text.
    Csv(String),
    /// Compressed data that does not decompress.
    Gzip(String),
    /// The file needs a reader this build of the engine leaves out (the `ingest` feature).
    NotBuiltIn(&'static str),
    /// An article with more text than it may have ([`ReadOptions::max_body_bytes`]).
    TooLarge {
        /// Its text's length (UTF-8 bytes).
        bytes: usize,
        /// The most it may have.
        limit: usize,
    },
    /// Nothing to load.
    NoArticles,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(record) = self.record {
            write!(f, "article {record} of the array: ")?;
        }
        match &self.kind {
            LoadErrorKind::Io(e) => write!(f, "cannot read: {e}"),
            LoadErrorKind::NotUtf8 { offset } => {
                write!(f, "not UTF-8 text (first bad byte at offset {offset}); save it as UTF-8")
            }
            LoadErrorKind::BadMetaLine(l) => write!(f, "expected `key: value`, found {l:?}"),
            LoadErrorKind::UnknownKey(k) => {
                write!(f, "unknown field `{k}` (known: id, title, date, source, url, lang)")
            }
            LoadErrorKind::UnclosedFrontMatter => {
                write!(f, "front matter starts with `---` but has no closing `---` line")
            }
            LoadErrorKind::OrphanMeta(expected) => {
                write!(f, "metadata file without its article (expected {expected})")
            }
            LoadErrorKind::UnsupportedFile => {
                write!(f, "not an article file (use .txt, .md, .json, .jsonl or .csv, or one of them .gz)")
            }
            LoadErrorKind::DuplicateId { id, first } => write!(f, "id {id:?} is already used by {first}"),
            LoadErrorKind::Article(e) => write!(f, "{e}"),
            LoadErrorKind::Date { date, why } => {
                write!(f, "date {date:?}: {why} (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019)")
            }
            LoadErrorKind::MissingField(field) => write!(f, "missing field `{field}`"),
            LoadErrorKind::NotText(field) => write!(f, "field `{field}` is not text"),
            LoadErrorKind::Json(e) => write!(f, "{e}"),
            LoadErrorKind::Csv(e) => write!(f, "{e}"),
            LoadErrorKind::Gzip(e) => write!(f, "not gzip data that decompresses: {e}"),
            LoadErrorKind::NotBuiltIn(what) => write!(f, "{what} cannot be read by this build of Sorot"),
            LoadErrorKind::NoArticles => {
                write!(f, "no article files (.txt, .md, .json, .jsonl, .csv) found")
            }
            LoadErrorKind::TooLarge { bytes, limit } => write!(
                f,
                "the article's text is {:.1} MB, more than the {:.1} MB an article may have here; split it",
                *bytes as f64 / 1e6,
                *limit as f64 / 1e6
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    fn new(path: &str, line: Option<usize>, kind: LoadErrorKind) -> LoadError {
        LoadError { path: path.to_string(), line, record: None, kind }
    }

    /// The file (or folder) as the user named it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line in that file, when the problem has one.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// 1-based position of the article in a JSON array, when the problem is in one.
    pub fn record(&self) -> Option<usize> {
        self.record
    }

    /// What went wrong.
    pub fn kind(&self) -> &LoadErrorKind {
        &self.kind
    }
}

/// How far [`read_corpus`] has come, for a progress display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// Bytes of the input files read so far (compressed size for `.gz` files).
    pub bytes: u64,
    /// Bytes of all input files.
    pub total_bytes: u64,
    /// Records read so far.
    pub records: usize,
    /// The first of [`stream_corpus`]'s two readings, which only learns how dates are written.
    pub dates_only: bool,
}

/// An article as a file gives it, before its fields are checked.
#[derive(Clone, Debug, Default)]
struct Draft {
    path: String,
    line: Option<usize>,
    record: Option<usize>,
    default_id: String,
    id: Option<String>,
    title: Option<String>,
    body: Option<String>,
    html: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    lang: Option<String>,
}

impl Draft {
    fn error(&self, kind: LoadErrorKind) -> LoadError {
        LoadError { path: self.path.clone(), line: self.line, record: self.record, kind }
    }

    fn slot(&mut self, field: ArticleField) -> &mut Option<String> {
        match field {
            ArticleField::Id => &mut self.id,
            ArticleField::Title => &mut self.title,
            ArticleField::Body => &mut self.body,
            ArticleField::Html => &mut self.html,
            ArticleField::Date => &mut self.date,
            ArticleField::Source => &mut self.source,
            ArticleField::Url => &mut self.url,
            ArticleField::Lang => &mut self.lang,
        }
    }

    /// Where it is, as a duplicate id names it.
    fn place(&self) -> String {
        match (self.line, self.record) {
            (Some(line), _) => format!("{}:{line}", self.path),
            (None, Some(record)) => format!("{} (article {record})", self.path),
            (None, None) => self.path.clone(),
        }
    }
}

/// Collects what a reading finds: drafts and problems (when strict, the first problem in file order
/// becomes the error once everything is read).
struct Collector<'o, 's> {
    options: &'o ReadOptions,
    drafts: Vec<Draft>,
    /// What takes each draft as it is read, when reading streams (else drafts are kept in `drafts`).
    sink: Option<&'s mut DraftSink<'s>>,
    /// Drafts read so far.
    records: usize,
    problems: Vec<Problem>,
    /// The files in the order they are read, to report problems in that order.
    files: HashMap<String, usize>,
}

/// Where a streaming reading hands each draft, with the problems list for what it finds.
type DraftSink<'s> = dyn FnMut(Draft, &mut Vec<Problem>) + 's;

impl<'o, 's> Collector<'o, 's> {
    fn new(options: &'o ReadOptions, sink: Option<&'s mut DraftSink<'s>>) -> Collector<'o, 's> {
        Collector {
            options,
            drafts: Vec::new(),
            sink,
            records: 0,
            problems: Vec::new(),
            files: HashMap::new(),
        }
    }

    fn problem(&mut self, error: LoadError, effect: Effect) {
        self.problems.push(Problem { error, effect });
    }

    fn push(&mut self, draft: Draft) {
        self.records += 1;
        match &mut self.sink {
            Some(sink) => sink(draft, &mut self.problems),
            None => self.drafts.push(draft),
        }
    }
}

/// Reads the articles in `paths`: article files, or folders searched recursively (file names in
/// sorted order, hidden entries and files of other types skipped). See the module docs for the
/// formats and for what happens to bad records; `progress` is called as the files are read.
///
/// Fails (even when not strict) when a named path cannot be read or holds no article file at all,
/// and when no article at all could be read.
pub fn read_corpus(
    paths: &[&Path],
    options: &ReadOptions,
    progress: &mut dyn FnMut(&Reading),
) -> Result<Loaded, LoadError> {
    let mut collector = Collector::new(options, None);
    let first_input = read_inputs(&mut collector, paths, progress)?;
    let articles = finish(&mut collector)?;
    if let Some(first) = collector.problems.first().filter(|_| options.strict) {
        return Err(first.error.clone());
    }
    if articles.is_empty() {
        return Err(nothing_read(&collector.problems, &first_input));
    }
    Ok(Loaded { articles, problems: collector.problems })
}

/// [`read_corpus`] without holding the corpus: each article is handed to `each` as soon as it is
/// read, in the order `read_corpus` lists them, and the problems are returned in file order. The
/// files are read twice (a first reading learns how each source writes its dates) and a JSON Lines
/// file (plain or gzip-compressed) is read line by line, so memory does not grow with the corpus
/// (but for the ids, kept to refuse duplicates). When strict, the first problem is the error (the
/// articles before it were handed on).
pub fn stream_corpus(
    paths: &[&Path],
    options: &ReadOptions,
    progress: &mut dyn FnMut(&Reading),
    each: &mut dyn FnMut(Article),
) -> Result<Vec<Problem>, LoadError> {
    let orders = learn_dates(paths, options, progress)?;
    stream_articles(paths, options, &orders, progress, each)
}

/// How each source in the files writes its numeric dates (day or month first), learnt from its own
/// unambiguous ones: [`stream_corpus`]'s first reading.
#[derive(Clone, Debug, Default)]
pub struct DateOrders(HashMap<String, DayMonth>);

/// Reads the files `paths` name for their dates only ([`Reading::dates_only`] in `progress`).
pub fn learn_dates(
    paths: &[&Path],
    options: &ReadOptions,
    progress: &mut dyn FnMut(&Reading),
) -> Result<DateOrders, LoadError> {
    let mut dates: HashMap<String, Vec<String>> = HashMap::new();
    let mut note_date = |d: Draft, _: &mut Vec<Problem>| {
        if let Some(date) = &d.date {
            dates.entry(date_group(&d)).or_default().push(date.clone());
        }
    };
    let mut collector = Collector::new(options, Some(&mut note_date));
    read_inputs(&mut collector, paths, &mut |r| progress(&Reading { dates_only: true, ..*r }))?;
    drop(collector);
    Ok(DateOrders(learn_orders(&dates)))
}

/// [`stream_corpus`]'s second reading, with the dates' orders a first one learnt: it can be made
/// again (a packer that reads the articles twice learns the dates once).
pub fn stream_articles(
    paths: &[&Path],
    options: &ReadOptions,
    orders: &DateOrders,
    progress: &mut dyn FnMut(&Reading),
    each: &mut dyn FnMut(Article),
) -> Result<Vec<Problem>, LoadError> {
    let mut finisher = Finisher::new(orders.0.clone(), options);
    let mut read = 0usize;
    let mut take = |d: Draft, problems: &mut Vec<Problem>| {
        if let Some(article) = finisher.article(d, problems) {
            read += 1;
            each(article);
        }
    };
    let mut collector = Collector::new(options, Some(&mut take));
    let first_input = read_inputs(&mut collector, paths, progress)?;
    let Collector { mut problems, files, .. } = collector;
    sort_problems(&mut problems, &files);
    if let Some(first) = problems.first().filter(|_| options.strict) {
        return Err(first.error.clone());
    }
    if read == 0 {
        return Err(nothing_read(&problems, &first_input));
    }
    Ok(problems)
}

/// The error when no article at all could be read: the first record's problem says most.
fn nothing_read(problems: &[Problem], first_input: &str) -> LoadError {
    let skipped = problems.iter().find(|p| p.effect == Effect::Skipped);
    skipped.map_or(LoadError::new(first_input, None, LoadErrorKind::NoArticles), |p| p.error.clone())
}

/// Reads the files `paths` name into `collector`; returns how the first path is shown.
fn read_inputs(
    collector: &mut Collector,
    paths: &[&Path],
    progress: &mut dyn FnMut(&Reading),
) -> Result<String, LoadError> {
    let mut inputs: Vec<(String, Vec<PathBuf>, bool)> = Vec::new();
    let mut reading = Reading::default();
    for path in paths {
        let shown = path.display().to_string();
        let meta =
            fs::metadata(path).map_err(|e| LoadError::new(&shown, None, LoadErrorKind::Io(e.to_string())))?;
        let mut files = Vec::new();
        if meta.is_dir() {
            collect_files(path, &mut files)?;
        } else {
            files.push(path.to_path_buf());
        }
        reading.total_bytes +=
            files.iter().filter_map(|f| fs::metadata(f).ok()).map(|m| m.len()).sum::<u64>();
        inputs.push((shown, files, meta.is_dir()));
    }
    for (shown, files, is_dir) in &inputs {
        let before = collector.records + collector.problems.len();
        let mut any_article_file = false;
        for file in files {
            let file_shown = file.display().to_string();
            let order = collector.files.len();
            collector.files.entry(file_shown.clone()).or_insert(order);
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let (stem, kind) = file_kind(name);
            match kind {
                FileKind::Meta => {
                    let has_article =
                        ["txt", "md", "markdown"].iter().any(|e| file.with_extension(e).exists());
                    if !has_article {
                        let expected = file.with_extension("txt").display().to_string();
                        let error = LoadError::new(&file_shown, None, LoadErrorKind::OrphanMeta(expected));
                        collector.problem(error, Effect::Ignored);
                    }
                    continue;
                }
                FileKind::Other if *is_dir => continue, // READMEs, licences and other files in a folder
                // A file named on its own must be an article file.
                FileKind::Other => {
                    return Err(LoadError::new(&file_shown, None, LoadErrorKind::UnsupportedFile))
                }
                _ => {}
            }
            any_article_file = true;
            let size = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            let base = reading;
            // Progress within the file: its bytes read (of `size`) and records.
            let mut in_file = |done: u64, records: usize| {
                progress(&Reading {
                    bytes: base.bytes + done.min(size),
                    records: base.records + records,
                    ..base
                })
            };
            // JSON Lines are read line by line, not held whole.
            if matches!(kind, FileKind::Json(true) | FileKind::Gzip(Compressed::Json(true))) {
                json_lines_file(collector, file, &file_shown, stem, kind, &mut in_file)?;
                reading.bytes += size;
                reading.records = collector.records;
                progress(&reading);
                continue;
            }
            match fs::read(file) {
                Ok(bytes) => {
                    let sidecar = match kind {
                        FileKind::Text(_) => read_sidecar(&file.with_extension("meta"))?,
                        _ => None,
                    };
                    read_file(collector, &file_shown, stem, kind, bytes, sidecar, &mut in_file)?;
                }
                Err(e) => {
                    let error = LoadError::new(&file_shown, None, LoadErrorKind::Io(e.to_string()));
                    collector.problem(error, Effect::Skipped);
                }
            }
            reading.bytes += size;
            reading.records = collector.records;
            progress(&reading);
        }
        if !any_article_file || collector.records + collector.problems.len() == before {
            return Err(LoadError::new(shown, None, LoadErrorKind::NoArticles));
        }
    }
    Ok(inputs.first().map_or(String::new(), |(s, _, _)| s.clone()))
}

/// A file given as its name and bytes (picked or dropped in a browser), for [`read_files`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedFile {
    /// Its name (`feed.jsonl`, `berita.md`): the type is read from the extension, and problems
    /// name it.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads the articles in files given as bytes, as [`read_corpus`] reads files on disk: each file by
/// its type (a `.meta` is the metadata of the `.txt` or `.md` of the same name among them), its good
/// articles kept and what was wrong with the rest said, file by file. A file of another type, an
/// article whose id `taken` holds (a corpus's) or an earlier one of these files has, each is a
/// problem, and the others are read. It does not fail: when nothing could be read, the problems
/// say why (or there were no files).
pub fn read_files(files: Vec<NamedFile>, options: &ReadOptions, taken: &HashSet<String>) -> Loaded {
    let mut collector = Collector::new(options, None);
    let stem = |f: &NamedFile| file_kind(&f.name).0.to_string();
    // The metadata files (small) by the name of the text they belong to, and the texts' names.
    let sidecars: HashMap<String, (String, Vec<u8>)> = files
        .iter()
        .filter(|f| matches!(file_kind(&f.name).1, FileKind::Meta))
        .map(|f| (stem(f), (f.name.clone(), f.bytes.clone())))
        .collect();
    let texts: HashSet<String> =
        files.iter().filter(|f| matches!(file_kind(&f.name).1, FileKind::Text(_))).map(stem).collect();
    for NamedFile { name, bytes } in files {
        let order = collector.files.len();
        collector.files.entry(name.clone()).or_insert(order);
        let (stem, kind) = file_kind(&name);
        let sidecar = match kind {
            FileKind::Meta => {
                if !texts.contains(stem) {
                    let error = LoadError::new(&name, None, LoadErrorKind::OrphanMeta(format!("{stem}.txt")));
                    collector.problem(error, Effect::Ignored);
                }
                continue;
            }
            FileKind::Text(_) => match sidecars.get(stem) {
                Some((meta, text)) => match String::from_utf8(text.clone()) {
                    Ok(text) => Some((meta.clone(), text)),
                    Err(e) => {
                        let offset = e.utf8_error().valid_up_to();
                        collector.problem(
                            LoadError::new(meta, None, LoadErrorKind::NotUtf8 { offset }),
                            Effect::Skipped,
                        );
                        continue;
                    }
                },
                None => None,
            },
            _ => None,
        };
        if let Err(error) = read_file(&mut collector, &name, stem, kind, bytes, sidecar, &mut |_, _| {}) {
            collector.problem(error, Effect::Skipped);
        }
    }
    let articles = finish_with(&mut collector, taken);
    Loaded { articles, problems: collector.problems }
}

/// Reads the articles in `path` (one article file, or a folder), stopping at the first problem.
pub fn read_path(path: &Path) -> Result<Vec<Article>, LoadError> {
    read_paths(&[path], &mut |_| {})
}

/// Reads the articles in several files or folders, in order, stopping at the first problem (see
/// [`read_corpus`]). `progress` is called with the number of records read so far.
pub fn read_paths(paths: &[&Path], progress: &mut dyn FnMut(usize)) -> Result<Vec<Article>, LoadError> {
    let options = ReadOptions { strict: true, ..ReadOptions::default() };
    Ok(read_corpus(paths, &options, &mut |r| progress(r.records))?.articles)
}

/// What a file holds, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    /// `.txt` (`false`) or `.md` (`true`).
    Text(bool),
    /// `.json` (`false`) or `.jsonl` (`true`).
    Json(bool),
    Csv,
    /// One of the above, gzip-compressed.
    Gzip(Compressed),
    Meta,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compressed {
    Json(bool),
    Csv,
}

/// A file name's stem (the default id) and kind: `feed.jsonl.gz` → (`feed`, gzip JSON Lines).
fn file_kind(name: &str) -> (&str, FileKind) {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let kind = match ext.to_ascii_lowercase().as_str() {
        "txt" => FileKind::Text(false),
        "md" | "markdown" => FileKind::Text(true),
        "json" => FileKind::Json(false),
        "jsonl" | "ndjson" => FileKind::Json(true),
        "csv" => FileKind::Csv,
        "meta" => FileKind::Meta,
        "gz" => {
            let (inner_stem, inner) = stem.rsplit_once('.').unwrap_or((stem, ""));
            let compressed = match inner.to_ascii_lowercase().as_str() {
                "json" => Some(Compressed::Json(false)),
                "jsonl" | "ndjson" => Some(Compressed::Json(true)),
                "csv" => Some(Compressed::Csv),
                _ => None,
            };
            return match compressed {
                Some(c) => (inner_stem, FileKind::Gzip(c)),
                None => (stem, FileKind::Other),
            };
        }
        _ => FileKind::Other,
    };
    (stem, kind)
}

/// Reads one file's bytes into the collector. `progress(bytes, records)` reports progress in it.
fn read_file(
    collector: &mut Collector,
    path: &str,
    stem: &str,
    kind: FileKind,
    bytes: Vec<u8>,
    sidecar: Option<(String, String)>,
    progress: &mut dyn FnMut(u64, usize),
) -> Result<(), LoadError> {
    let compressed = bytes.len() as u64;
    let (kind, bytes) = match kind {
        FileKind::Gzip(inner) => match gunzip(&bytes) {
            Ok(data) => (
                match inner {
                    Compressed::Json(lines) => FileKind::Json(lines),
                    Compressed::Csv => FileKind::Csv,
                },
                data,
            ),
            Err(kind) => {
                collector.problem(LoadError::new(path, None, kind), Effect::Skipped);
                return Ok(());
            }
        },
        _ => (kind, bytes),
    };
    // Progress in the file's own bytes (compressed ones for a .gz file).
    let scale = compressed as f64 / bytes.len().max(1) as f64;
    let progress = &mut |done: u64, records| progress((done as f64 * scale) as u64, records);
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    match kind {
        // Line by line (record by record): a bad byte costs its record, not the file.
        FileKind::Json(true) => {
            return json_lines(collector, path, stem, &mut &bytes[..], LoadErrorKind::Io, progress)
        }
        FileKind::Csv => return csv_drafts(collector, path, stem, bytes, progress),
        FileKind::Gzip(_) | FileKind::Meta => return Ok(()),
        FileKind::Other => {
            let error = LoadError::new(path, None, LoadErrorKind::UnsupportedFile);
            {
                collector.problem(error, Effect::Skipped);
                return Ok(());
            }
        }
        FileKind::Text(_) | FileKind::Json(false) => {}
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let error = LoadError::new(path, None, LoadErrorKind::NotUtf8 { offset: e.valid_up_to() });
            {
                collector.problem(error, Effect::Skipped);
                return Ok(());
            }
        }
    };
    if let FileKind::Text(markdown) = kind {
        let sidecar = sidecar.as_ref().map(|(p, t)| (p.as_str(), t.as_str()));
        if let Some(draft) = text_draft(collector, path, stem, markdown, text, sidecar)? {
            collector.push(draft);
        }
        return Ok(());
    }
    json_array(collector, path, stem, text)
}

#[cfg(feature = "ingest")]
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, LoadErrorKind> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| LoadErrorKind::Gzip(e.to_string()))?;
    Ok(out)
}

#[cfg(not(feature = "ingest"))]
fn gunzip(_: &[u8]) -> Result<Vec<u8>, LoadErrorKind> {
    Err(LoadErrorKind::NotBuiltIn("a gzip-compressed file"))
}

/// Parses `key: value` metadata lines into `draft`. `first_line` is the file line of `text`'s first
/// line. An unknown key is a problem (the field is ignored unless strict).
fn parse_meta(
    collector: &mut Collector,
    draft: &mut Draft,
    text: &str,
    path: &str,
    first_line: usize,
) -> Result<(), LoadError> {
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = Some(first_line + i);
        let Some((key, value)) = line.split_once(':') else {
            return Err(LoadError::new(path, at, LoadErrorKind::BadMetaLine(line.to_string())));
        };
        let value = unquote(value.trim()).to_string();
        let key = key.trim().to_ascii_lowercase();
        let field = match key.as_str() {
            "language" => Some(ArticleField::Lang),
            k => ArticleField::from_name(k).filter(|f| *f != ArticleField::Body && *f != ArticleField::Html),
        };
        match field {
            Some(field) => {
                let slot = draft.slot(field);
                // The first one given wins (front matter before its sidecar).
                if slot.is_none() && !value.is_empty() {
                    *slot = Some(value);
                }
            }
            None => {
                let error = LoadError::new(path, at, LoadErrorKind::UnknownKey(key));
                collector.problem(error, Effect::Ignored);
            }
        }
    }
    Ok(())
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// Splits Markdown front matter off `text`: `(front matter, body)`.
fn split_front_matter<'t>(text: &'t str, path: &str) -> Result<(Option<&'t str>, &'t str), LoadError> {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Ok((None, text));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((Some(&rest[..offset]), &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(LoadError::new(path, Some(1), LoadErrorKind::UnclosedFrontMatter))
}

/// The draft of a `.txt` or `.md` file (`None` when the file's problem skips it).
fn text_draft(
    collector: &mut Collector,
    path: &str,
    stem: &str,
    markdown: bool,
    text: &str,
    sidecar: Option<(&str, &str)>,
) -> Result<Option<Draft>, LoadError> {
    let mut draft = Draft { path: path.to_string(), default_id: stem.to_string(), ..Draft::default() };
    let parsed = (|| {
        let mut body = text;
        if markdown {
            let (front, rest) = split_front_matter(text, path)?;
            if let Some(front) = front {
                parse_meta(collector, &mut draft, front, path, 2)?;
            }
            body = rest;
        }
        if let Some((meta_path, meta_text)) = sidecar {
            parse_meta(collector, &mut draft, meta_text, meta_path, 1)?;
        }
        if markdown && draft.title.is_none() {
            let trimmed = body.trim_start();
            if let Some(heading) = trimmed.strip_prefix("# ") {
                let (line, rest) = heading.split_once('\n').unwrap_or((heading, ""));
                draft.title = Some(line.trim().to_string());
                body = rest;
            }
        }
        Ok(body)
    })();
    match parsed {
        Ok(body) => {
            draft.body = Some(body.to_string());
            Ok(Some(draft))
        }
        Err(error) => {
            collector.problem(error, Effect::Skipped);
            Ok(None)
        }
    }
}

/// Finds each field's value among a record's names (`(normal name, value)`), preferring the names of
/// [`ReadOptions::fields`], then the field's own name, then its other names in order.
fn field_columns(options: &ReadOptions, names: &[String]) -> Vec<(ArticleField, usize)> {
    let mut out = Vec::new();
    for field in ArticleField::ALL {
        let extra = options.fields.iter().filter(|(f, _)| *f == field).map(|(_, n)| normal_name(n));
        let known = field.names().iter().map(|n| normal_name(n));
        let found = extra.chain(known).find_map(|wanted| names.iter().position(|n| *n == wanted));
        if let Some(column) = found {
            out.push((field, column));
        }
    }
    out
}

/// Reads a `.jsonl` file (or `.jsonl.gz`) line by line from the disk: the file is never held whole.
/// A read error (a gzip stream that breaks off) ends the file, as a problem at the line it reached.
fn json_lines_file(
    collector: &mut Collector,
    file: &Path,
    path: &str,
    stem: &str,
    kind: FileKind,
    progress: &mut dyn FnMut(u64, usize),
) -> Result<(), LoadError> {
    use std::io::BufReader;
    let file = match fs::File::open(file) {
        Ok(file) => file,
        Err(e) => {
            collector.problem(LoadError::new(path, None, LoadErrorKind::Io(e.to_string())), Effect::Skipped);
            return Ok(());
        }
    };
    // Progress in the file's own bytes (compressed ones for a .gz file).
    let read = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counted = Counted { inner: file, read: read.clone() };
    let mut progress = |_: u64, records| progress(read.get(), records);
    let (mut reader, broken): (Box<dyn std::io::BufRead>, fn(String) -> LoadErrorKind) = match kind {
        FileKind::Gzip(_) => match gunzip_reader(counted) {
            Ok(r) => (Box::new(BufReader::with_capacity(1 << 16, r)), LoadErrorKind::Gzip),
            Err(kind) => {
                collector.problem(LoadError::new(path, None, kind), Effect::Skipped);
                return Ok(());
            }
        },
        _ => (Box::new(BufReader::with_capacity(1 << 16, counted)), LoadErrorKind::Io),
    };
    json_lines(collector, path, stem, &mut reader, broken, &mut progress)
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

#[cfg(feature = "ingest")]
fn gunzip_reader<R: std::io::Read + 'static>(r: R) -> Result<Box<dyn std::io::Read>, LoadErrorKind> {
    Ok(Box::new(flate2::read::MultiGzDecoder::new(r)))
}

#[cfg(not(feature = "ingest"))]
fn gunzip_reader<R: std::io::Read + 'static>(_: R) -> Result<Box<dyn std::io::Read>, LoadErrorKind> {
    Err(LoadErrorKind::NotBuiltIn("a gzip-compressed file"))
}

/// Reads `.jsonl`: one article object per line. When the input cannot be read on (a gzip stream that
/// breaks off), the rest of the file is left out: a problem (`broken` says what) at the line reached.
fn json_lines(
    collector: &mut Collector,
    path: &str,
    stem: &str,
    input: &mut dyn std::io::BufRead,
    broken: fn(String) -> LoadErrorKind,
    progress: &mut dyn FnMut(u64, usize),
) -> Result<(), LoadError> {
    let mut number = 0;
    let mut offset = 0;
    let mut line = Vec::new();
    for i in 0.. {
        line.clear();
        let read = match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                collector.problem(LoadError::new(path, Some(i + 1), broken(e.to_string())), Effect::Skipped);
                break;
            }
        };
        let start = offset;
        offset += read;
        let mut bytes = line.strip_suffix(b"\n").unwrap_or(&line);
        if i == 0 {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        number += 1;
        let mut draft = Draft {
            path: path.to_string(),
            line: Some(i + 1),
            default_id: format!("{stem}-{number}"),
            ..Draft::default()
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let error = draft.error(LoadErrorKind::NotUtf8 { offset: start + e.valid_up_to() });
                collector.problem(error, Effect::Skipped);
                continue;
            }
        };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => json_fields(collector, &mut draft, value)?,
            Err(e) => collector.problem(draft.error(LoadErrorKind::Json(json_message(&e))), Effect::Skipped),
        }
        if number % 1024 == 0 {
            progress(offset as u64, number);
        }
    }
    Ok(())
}

/// Reads `.json`: an array of article objects.
fn json_array(collector: &mut Collector, path: &str, stem: &str, text: &str) -> Result<(), LoadError> {
    let parsed: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let error = LoadError::new(path, Some(e.line()), LoadErrorKind::Json(json_message(&e)));
            {
                collector.problem(error, Effect::Skipped);
                return Ok(());
            }
        }
    };
    for (i, value) in parsed.into_iter().enumerate() {
        let mut draft = Draft {
            path: path.to_string(),
            record: Some(i + 1),
            default_id: format!("{stem}-{}", i + 1),
            ..Draft::default()
        };
        json_fields(collector, &mut draft, value)?;
    }
    Ok(())
}

/// Fills `draft` from one JSON article object and adds it (a record that is not an object is skipped).
fn json_fields(
    collector: &mut Collector,
    draft: &mut Draft,
    value: serde_json::Value,
) -> Result<(), LoadError> {
    let serde_json::Value::Object(object) = value else {
        let error = draft.error(LoadErrorKind::Json("an article must be a JSON object".into()));
        {
            collector.problem(error, Effect::Skipped);
            return Ok(());
        }
    };
    let names: Vec<String> = object.keys().map(|k| normal_name(k)).collect();
    let values: Vec<serde_json::Value> = object.into_iter().map(|(_, v)| v).collect();
    for (field, column) in field_columns(collector.options, &names) {
        let value = match &values[column] {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s.clone(),
            // Numbers are fine as ids (`"id": 123`).
            serde_json::Value::Number(n) if field == ArticleField::Id => n.to_string(),
            _ => {
                let error = draft.error(LoadErrorKind::NotText(field.name()));
                if matches!(field, ArticleField::Body | ArticleField::Html) {
                    {
                        collector.problem(error, Effect::Skipped);
                        return Ok(());
                    }
                }
                collector.problem(error, Effect::Ignored);
                continue;
            }
        };
        *draft.slot(field) = Some(value);
    }
    collector.push(std::mem::take(draft));
    Ok(())
}

/// serde_json's message without its own "at line … column …" tail (the line is reported separately).
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.column() > 0 => format!("{} (column {})", &text[..i], e.column()),
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The cell separator of a CSV file: `;`, `,` or a tab, whichever its first line (outside quotes)
/// has most of.
#[cfg(feature = "ingest")]
fn csv_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map_or(b',', |(d, _)| *d)
}

/// Reads a `.csv` file: a header row, then one article per row (cells may hold quoted line breaks).
#[cfg(feature = "ingest")]
fn csv_drafts(
    collector: &mut Collector,
    path: &str,
    stem: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, usize),
) -> Result<(), LoadError> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(csv_delimiter(bytes)).flexible(true).from_reader(bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            collector
                .problem(LoadError::new(path, Some(1), LoadErrorKind::Csv(e.to_string())), Effect::Skipped);
            return Ok(());
        }
    };
    let names: Vec<String> = headers.iter().map(normal_name).collect();
    let columns = field_columns(collector.options, &names);
    if !columns.iter().any(|(f, _)| matches!(f, ArticleField::Body | ArticleField::Html)) {
        let message = format!(
            "no column for the article text: the header has {}; name one `body`, or say which with --field body=COLUMN",
            headers.iter().map(|h| format!("{:?}", h.trim())).collect::<Vec<_>>().join(", ")
        );
        {
            collector.problem(LoadError::new(path, Some(1), LoadErrorKind::Csv(message)), Effect::Skipped);
            return Ok(());
        }
    }
    let mut record = csv::StringRecord::new();
    let mut number = 0;
    // The line where each row starts, counted from its byte offset (the reader's own line numbers
    // count the blank lines it skips into the next row).
    let (mut counted, mut lines) = (0usize, 1usize);
    let mut line_at = |offset: usize| {
        let mut start = offset.min(bytes.len());
        while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        lines += bytes[counted..start].iter().filter(|&&b| b == b'\n').count();
        counted = start;
        lines
    };
    loop {
        let mut line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let error = LoadError::new(path, Some(line), LoadErrorKind::Csv(csv_message(&e)));
                collector.problem(error, Effect::Skipped);
                // A bad byte costs its row; after other errors (input that ends inside a quote) the
                // rest of the file cannot be read.
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        // Where the row starts (blank lines before it are skipped by the reader).
        line = record.position().map_or(line, |p| line_at(p.byte() as usize));
        number += 1;
        let mut draft = Draft {
            path: path.to_string(),
            line: Some(line),
            default_id: format!("{stem}-{number}"),
            ..Draft::default()
        };
        for &(field, column) in &columns {
            if let Some(cell) = record.get(column).filter(|c| !c.trim().is_empty()) {
                *draft.slot(field) = Some(cell.to_string());
            }
        }
        collector.push(draft);
        if number % 1024 == 0 {
            progress(reader.position().byte(), number);
        }
    }
    Ok(())
}

#[cfg(feature = "ingest")]
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text in cell {}", err.field() + 1),
        _ => {
            let text = e.to_string();
            // The csv crate names positions itself; the line is reported separately.
            text.split(": ").last().unwrap_or(&text).to_string()
        }
    }
}

#[cfg(not(feature = "ingest"))]
fn csv_drafts(
    collector: &mut Collector,
    path: &str,
    _: &str,
    _: &[u8],
    _: &mut dyn FnMut(u64, usize),
) -> Result<(), LoadError> {
    collector.problem(LoadError::new(path, None, LoadErrorKind::NotBuiltIn("a CSV file")), Effect::Skipped);
    Ok(())
}

/// HTML turned into text paragraphs.
#[cfg(feature = "ingest")]
fn html_text(html: &str) -> Result<String, LoadErrorKind> {
    Ok(crate::text::html::html_to_text(html))
}

#[cfg(not(feature = "ingest"))]
fn html_text(_: &str) -> Result<String, LoadErrorKind> {
    Err(LoadErrorKind::NotBuiltIn("an HTML body"))
}

/// A language as files write it: `id`, `ID`, `id-ID`, `Indonesian`, `Bahasa Indonesia`, `English`.
fn language_code(lang: &str) -> String {
    let lower = lang.trim().to_lowercase();
    match lower.as_str() {
        "indonesian" | "indonesia" | "bahasa indonesia" | "bahasa" | "ind" => "id".into(),
        "english" | "inggris" | "bahasa inggris" | "eng" => "en".into(),
        _ => lower.split(['-', '_']).next().unwrap_or_default().to_string(),
    }
}

/// Each source's (else each file's) group of articles, whose own unambiguous numeric dates say
/// how it writes them.
fn date_group(d: &Draft) -> String {
    d.source.clone().unwrap_or_else(|| d.path.clone())
}

/// The day-and-month order of each group's dates.
fn learn_orders<S: AsRef<str>>(dates: &HashMap<String, Vec<S>>) -> HashMap<String, DayMonth> {
    dates.iter().map(|(g, ds)| (g.clone(), DayMonth::learn(ds.iter().map(AsRef::as_ref)))).collect()
}

/// Problems in file order (those found while checking fields come after those of reading).
fn sort_problems(problems: &mut [Problem], files: &HashMap<String, usize>) {
    problems.sort_by_key(|p| {
        let file = files.get(&p.error.path).copied().unwrap_or(usize::MAX);
        (file, p.error.line.unwrap_or(0), p.error.record.unwrap_or(0))
    });
}

/// Turns drafts into articles, one at a time: dates read (in their group's day-and-month order),
/// HTML made text, languages detected where none is given, fields checked, the first of each id
/// kept.
struct Finisher {
    orders: HashMap<String, DayMonth>,
    html: bool,
    max_body_bytes: Option<usize>,
    /// Each id taken so far, and where.
    first: HashMap<String, String>,
}

impl Finisher {
    fn new(orders: HashMap<String, DayMonth>, options: &ReadOptions) -> Finisher {
        Finisher { orders, html: options.html, max_body_bytes: options.max_body_bytes, first: HashMap::new() }
    }

    /// The article `d` makes, if it makes one; what was wrong goes to `problems`.
    fn article(&mut self, d: Draft, problems: &mut Vec<Problem>) -> Option<Article> {
        let mut problem = |error: LoadError, effect: Effect| problems.push(Problem { error, effect });
        let text = |value: &str| if self.html { html_text(value) } else { Ok(value.to_string()) };
        let body = match (&d.body, &d.html) {
            (Some(body), _) if !body.trim().is_empty() => text(body),
            (_, Some(h)) => html_text(h),
            // An empty file, an empty cell: an article without text (refused below).
            (Some(_), None) => Ok(String::new()),
            (None, None) => Err(LoadErrorKind::MissingField("body")),
        };
        let body = match body {
            Ok(body) => body.replace("\r\n", "\n").trim().to_string(),
            Err(kind) => {
                problem(d.error(kind), Effect::Skipped);
                return None;
            }
        };
        if let Some(limit) = self.max_body_bytes.filter(|&limit| body.len() > limit) {
            problem(d.error(LoadErrorKind::TooLarge { bytes: body.len(), limit }), Effect::Skipped);
            return None;
        }
        let title = match d.title.as_deref().map(text) {
            Some(Ok(title)) if !title.trim().is_empty() => {
                title.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            _ => derive_title(&body),
        };
        let mut date = None;
        if let Some(raw) = d.date.as_deref().filter(|r| !r.trim().is_empty()) {
            let order = self.orders.get(&date_group(&d)).copied().unwrap_or_default();
            // Without a source's say, an Indonesian article's numeric dates are day-first, as Indonesia
            // writes them.
            let indonesian = d.lang.as_deref().is_some_and(|l| language_code(l) == "id");
            let order = if order == DayMonth::Unknown && indonesian { DayMonth::DayFirst } else { order };
            match read_date(raw, order) {
                Ok(iso) => date = Some(iso),
                Err(why) => {
                    let error = d.error(LoadErrorKind::Date { date: raw.to_string(), why });
                    problem(error, Effect::DateDropped);
                }
            }
        }
        let lang = match d.lang.as_deref().map(language_code) {
            Some(code) if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()) => {
                code
            }
            given => {
                if let Some(given) = given.filter(|g| !g.is_empty()) {
                    let error =
                        d.error(LoadErrorKind::Article(ArticleError::new(ArticleErrorKind::BadLang(given))));
                    problem(error, Effect::Ignored);
                }
                detect_lang(&body)
            }
        };
        let article = Article {
            id: d.id.clone().map(|id| id.trim().to_string()).unwrap_or_else(|| d.default_id.clone()),
            title,
            lang,
            body,
            date,
            source: d.source.clone().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            url: d.url.clone().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        };
        if let Err(e) = article.validate() {
            problem(d.error(LoadErrorKind::Article(e)), Effect::Skipped);
            return None;
        }
        if let Some(place) = self.first.get(&article.id) {
            let kind = LoadErrorKind::DuplicateId { id: article.id.clone(), first: place.clone() };
            problem(d.error(kind), Effect::Skipped);
            return None;
        }
        self.first.insert(article.id.clone(), d.place());
        Some(article)
    }
}

/// Turns the collected drafts into articles ([`Finisher`]), the problems put in file order.
fn finish(collector: &mut Collector) -> Result<Vec<Article>, LoadError> {
    Ok(finish_with(collector, &HashSet::new()))
}

/// [`finish`], with the ids `taken` (a corpus's) refused as already used.
fn finish_with(collector: &mut Collector, taken: &HashSet<String>) -> Vec<Article> {
    let drafts = std::mem::take(&mut collector.drafts);
    let mut dates: HashMap<String, Vec<&str>> = HashMap::new();
    for d in &drafts {
        if let Some(date) = &d.date {
            dates.entry(date_group(d)).or_default().push(date);
        }
    }
    let mut finisher = Finisher::new(learn_orders(&dates), collector.options);
    finisher.first.extend(taken.iter().map(|id| (id.clone(), "an article of the corpus".to_string())));
    let mut articles = Vec::with_capacity(drafts.len());
    for d in drafts {
        articles.extend(finisher.article(d, &mut collector.problems));
    }
    sort_problems(&mut collector.problems, &collector.files);
    articles
}

/// The text of a `.meta` sidecar, if there is one.
fn read_sidecar(path: &Path) -> Result<Option<(String, String)>, LoadError> {
    let Ok(bytes) = fs::read(path) else { return Ok(None) };
    let shown = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        LoadError::new(&shown, None, LoadErrorKind::NotUtf8 { offset: e.utf8_error().valid_up_to() })
    })?;
    Ok(Some((shown, text)))
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |e: std::io::Error| {
        LoadError::new(&dir.display().to_string(), None, LoadErrorKind::Io(e.to_string()))
    };
    let mut entries: Vec<_> = fs::read_dir(dir).map_err(io)?.collect::<Result<_, _>>().map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(io)?.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one file's bytes as `read_corpus` would (for tests: no file system).
#[cfg(test)]
fn read_bytes(name: &str, bytes: &[u8], options: &ReadOptions) -> Result<Loaded, LoadError> {
    let mut collector = Collector::new(options, None);
    let (stem, kind) = file_kind(name);
    read_file(&mut collector, name, stem, kind, bytes.to_vec(), None, &mut |_, _| {})?;
    let articles = finish(&mut collector)?;
    if let Some(first) = collector.problems.first().filter(|_| options.strict) {
        return Err(first.error.clone());
    }
    Ok(Loaded { articles, problems: collector.problems })
}

#[cfg(test)]
mod tests;
