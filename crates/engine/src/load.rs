//! Reading articles from files: plain text with an optional sidecar, Markdown with front matter, JSON
//! and JSON Lines.
//!
//! The corpus format (also in README):
//! - `NAME.txt`: the article text. The id is `NAME`; the title is derived from the first sentence.
//!   An optional sidecar `NAME.meta` next to it holds metadata lines (`source: AFP`, `lang: id`).
//! - `NAME.md`: optional front matter between `---` lines with the same `key: value` lines; a first
//!   line `# Heading` becomes the title when the front matter has none.
//!
//! - `NAME.json`: an array of article objects; `NAME.jsonl`: one article object per line. Fields:
//!   `body` (required), `id`, `title`, `date`, `source`, `url`, `lang`; other fields are ignored.
//!   Articles without an id get `NAME-1`, `NAME-2`, … by position.
//!
//! Metadata keys: `id`, `title`, `date` (ISO 8601), `source`, `url`, `lang` (ISO 639-1).

use std::{fmt, fs, path::Path};

use serde::Deserialize;

use crate::{derive_title, detect_lang, Article, ArticleError};

/// Metadata given for an article, from a sidecar file or front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// `id:`
    pub id: Option<String>,
    /// `title:`
    pub title: Option<String>,
    /// `date:`
    pub date: Option<String>,
    /// `source:`
    pub source: Option<String>,
    /// `url:`
    pub url: Option<String>,
    /// `lang:`
    pub lang: Option<String>,
}

/// A file that could not be read as articles, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file (or folder) as the user named it.
    pub path: String,
    /// 1-based line in that file, when the problem has one.
    pub line: Option<usize>,
    /// What went wrong.
    pub kind: LoadErrorKind,
}

/// What went wrong while loading articles.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        /// The file that used it first.
        first: String,
    },
    /// The fields do not make a valid article.
    Article(ArticleError),
    /// JSON that does not parse, or an article object with a missing or mistyped field.
    Json(String),
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
                write!(f, "not an article file (use .txt, .md, .json or .jsonl)")
            }
            LoadErrorKind::DuplicateId { id, first } => {
                write!(f, "id {id:?} is already used by {first}")
            }
            LoadErrorKind::Article(e) => write!(f, "{e}"),
            LoadErrorKind::Json(e) => write!(f, "{e}"),
            LoadErrorKind::NoArticles => write!(f, "no article files (.txt, .md, .json, .jsonl) found"),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    fn new(path: &str, line: Option<usize>, kind: LoadErrorKind) -> LoadError {
        LoadError { path: path.to_string(), line, kind }
    }
}

/// Parses `key: value` metadata lines. `first_line` is the file line number of `text`'s first line.
fn parse_meta(text: &str, path: &str, first_line: usize) -> Result<Meta, LoadError> {
    let mut meta = Meta::default();
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
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "id" => &mut meta.id,
            "title" => &mut meta.title,
            "date" => &mut meta.date,
            "source" => &mut meta.source,
            "url" => &mut meta.url,
            "lang" | "language" => &mut meta.lang,
            other => return Err(LoadError::new(path, at, LoadErrorKind::UnknownKey(other.to_string()))),
        };
        *slot = (!value.is_empty()).then_some(value);
    }
    Ok(meta)
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// Splits Markdown front matter off `text`: `(front matter, line of its first line, body)`.
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

/// Builds an article from one file's bytes. `stem` is the file name without extension (the default
/// id), `ext` its extension, `sidecar` the text of a `.meta` file next to it.
pub fn parse_article_file(
    path: &str,
    stem: &str,
    ext: &str,
    bytes: &[u8],
    sidecar: Option<(&str, &str)>,
) -> Result<Article, LoadError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| LoadError::new(path, None, LoadErrorKind::NotUtf8 { offset: e.valid_up_to() }))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut meta, mut body) = match ext {
        "txt" => (Meta::default(), text),
        "md" | "markdown" => {
            let (front, body) = split_front_matter(text, path)?;
            let meta = match front {
                Some(front) => parse_meta(front, path, 2)?,
                None => Meta::default(),
            };
            (meta, body)
        }
        _ => return Err(LoadError::new(path, None, LoadErrorKind::UnsupportedFile)),
    };
    if let Some((meta_path, meta_text)) = sidecar {
        let side = parse_meta(meta_text, meta_path, 1)?;
        meta = Meta {
            id: meta.id.or(side.id),
            title: meta.title.or(side.title),
            date: meta.date.or(side.date),
            source: meta.source.or(side.source),
            url: meta.url.or(side.url),
            lang: meta.lang.or(side.lang),
        };
    }
    if meta.title.is_none() && ext != "txt" {
        let trimmed = body.trim_start();
        if let Some(heading) = trimmed.strip_prefix("# ") {
            let (line, rest) = heading.split_once('\n').unwrap_or((heading, ""));
            meta.title = Some(line.trim().to_string());
            body = rest;
        }
    }
    let body = body.replace("\r\n", "\n").trim().to_string();
    let article = Article {
        id: meta.id.unwrap_or_else(|| stem.to_string()),
        title: meta.title.unwrap_or_else(|| derive_title(&body)),
        lang: meta.lang.map(|l| l.to_ascii_lowercase()).unwrap_or_else(|| detect_lang(&body)),
        body,
        date: meta.date,
        source: meta.source,
        url: meta.url,
    };
    article.validate().map_err(|e| LoadError::new(path, None, LoadErrorKind::Article(e)))?;
    Ok(article)
}

/// An article as JSON gives it.
#[derive(Deserialize)]
struct JsonArticle {
    id: Option<String>,
    title: Option<String>,
    body: String,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    lang: Option<String>,
}

impl JsonArticle {
    fn into_article(self, default_id: String) -> Article {
        let body = self.body.replace("\r\n", "\n").trim().to_string();
        Article {
            id: self.id.unwrap_or(default_id),
            title: self.title.unwrap_or_else(|| derive_title(&body)),
            lang: self.lang.map(|l| l.to_ascii_lowercase()).unwrap_or_else(|| detect_lang(&body)),
            body,
            date: self.date,
            source: self.source,
            url: self.url,
        }
    }
}

/// Parses a `.json` file (an array of articles) or a `.jsonl` file (one article per line).
pub fn parse_json_articles(
    path: &str,
    stem: &str,
    bytes: &[u8],
    lines: bool,
) -> Result<Vec<Article>, LoadError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| LoadError::new(path, None, LoadErrorKind::NotUtf8 { offset: e.valid_up_to() }))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let check = |article: Article, line: Option<usize>| {
        article.validate().map_err(|e| LoadError::new(path, line, LoadErrorKind::Article(e)))?;
        Ok(article)
    };
    if lines {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed: JsonArticle = serde_json::from_str(line)
                .map_err(|e| LoadError::new(path, Some(i + 1), LoadErrorKind::Json(json_message(&e))))?;
            out.push(check(parsed.into_article(format!("{stem}-{}", out.len() + 1)), Some(i + 1))?);
        }
        return Ok(out);
    }
    let parsed: Vec<serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| LoadError::new(path, Some(e.line()), LoadErrorKind::Json(json_message(&e))))?;
    let mut out = Vec::with_capacity(parsed.len());
    for (i, value) in parsed.into_iter().enumerate() {
        let parsed: JsonArticle = serde_json::from_value(value).map_err(|e| {
            LoadError::new(path, None, LoadErrorKind::Json(format!("article {} of the array: {e}", i + 1)))
        })?;
        let article = parsed.into_article(format!("{stem}-{}", i + 1));
        article.validate().map_err(|e| {
            LoadError::new(path, None, LoadErrorKind::Json(format!("article {} of the array: {e}", i + 1)))
        })?;
        out.push(article);
    }
    Ok(out)
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

/// Reads the articles in `path`: one article file, or a folder searched recursively (file names in
/// sorted order, hidden entries skipped). Ids must be unique.
pub fn read_path(path: &Path) -> Result<Vec<Article>, LoadError> {
    read_paths(&[path], &mut |_| {})
}

/// Reads the articles in several files or folders (see [`read_path`]), in order. Ids must be unique
/// across all of them. `progress` is called with the number of articles read so far after each file.
pub fn read_paths(paths: &[&Path], progress: &mut dyn FnMut(usize)) -> Result<Vec<Article>, LoadError> {
    let mut articles: Vec<Article> = Vec::new();
    let mut first_file: std::collections::HashMap<String, String> = std::collections::HashMap::new();
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
        let before = articles.len();
        for file in &files {
            let shown = file.display().to_string();
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if ext == "meta" {
                let has_article = ["txt", "md", "markdown"].iter().any(|e| file.with_extension(e).exists());
                if !has_article {
                    let expected = file.with_extension("txt").display().to_string();
                    return Err(LoadError::new(&shown, None, LoadErrorKind::OrphanMeta(expected)));
                }
                continue;
            }
            let known = matches!(ext.as_str(), "txt" | "md" | "markdown" | "json" | "jsonl");
            if meta.is_dir() && !known {
                continue; // READMEs, licences and other files in a corpus folder are not articles
            }
            let bytes =
                fs::read(file).map_err(|e| LoadError::new(&shown, None, LoadErrorKind::Io(e.to_string())))?;
            let parsed = match ext.as_str() {
                "json" => parse_json_articles(&shown, stem, &bytes, false)?,
                "jsonl" => parse_json_articles(&shown, stem, &bytes, true)?,
                _ => {
                    let sidecar_text = read_sidecar(&file.with_extension("meta"))?;
                    let sidecar = sidecar_text.as_ref().map(|(p, t)| (p.as_str(), t.as_str()));
                    vec![parse_article_file(&shown, stem, &ext, &bytes, sidecar)?]
                }
            };
            for article in parsed {
                if let Some(first) = first_file.get(&article.id) {
                    let kind = LoadErrorKind::DuplicateId { id: article.id.clone(), first: first.clone() };
                    return Err(LoadError::new(&shown, None, kind));
                }
                first_file.insert(article.id.clone(), shown.clone());
                articles.push(article);
            }
            progress(articles.len());
        }
        if articles.len() == before {
            return Err(LoadError::new(&shown, None, LoadErrorKind::NoArticles));
        }
    }
    Ok(articles)
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

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), LoadError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_with_sidecar() {
        let a = parse_article_file(
            "seeds/x.txt",
            "x",
            "txt",
            "Putin tiba di Moskow pada Senin. Ia bicara.\n".as_bytes(),
            Some(("seeds/x.meta", "source: AFP\nlang: id\n")),
        )
        .unwrap();
        assert_eq!(a.id, "x");
        assert_eq!(a.title, "Putin tiba di Moskow pada Senin");
        assert_eq!(a.source.as_deref(), Some("AFP"));
        assert_eq!(a.lang, "id");
        assert_eq!(a.body, "Putin tiba di Moskow pada Senin. Ia bicara.");
    }

    #[test]
    fn markdown_front_matter_and_heading() {
        let md = "---\ndate: 2022-01-10\nsource: \"Kompas\"\n---\n# Kerusuhan di Almaty\n\nIsi berita.\n";
        let a = parse_article_file("a.md", "a", "md", md.as_bytes(), None).unwrap();
        assert_eq!(a.title, "Kerusuhan di Almaty");
        assert_eq!(a.date.as_deref(), Some("2022-01-10"));
        assert_eq!(a.source.as_deref(), Some("Kompas"));
        assert_eq!(a.body, "Isi berita.");
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "unknown key",
                "---\ntitle: A\nauthor: B\n---\nIsi.",
                "a.md:3: unknown field `author` (known: id, title, date, source, url, lang)",
            ),
            (
                "not key value",
                "---\njust words\n---\nIsi.",
                "a.md:2: expected `key: value`, found \"just words\"",
            ),
            (
                "unclosed",
                "---\ntitle: A\nIsi.",
                "a.md:1: front matter starts with `---` but has no closing `---` line",
            ),
            (
                "bad date",
                "---\ndate: 10/01/2022\n---\nIsi.",
                "a.md: date \"10/01/2022\" is not ISO 8601: write it as YYYY-MM-DD",
            ),
            ("empty", "---\ntitle: A\n---\n", "a.md: the article has no text"),
        ];
        for (name, input, expected) in cases {
            let err = parse_article_file("a.md", "a", "md", input.as_bytes(), None).unwrap_err();
            assert_eq!(err.to_string(), *expected, "case: {name}");
        }
    }

    #[test]
    fn json_and_jsonl() {
        let json = r#"[{"id": "a", "title": "Satu", "body": "Isi satu.", "lang": "id", "tags": ["x"]},
                       {"body": "Isi dua tanpa judul. Kalimat kedua.", "lang": "id"}]"#;
        let articles = parse_json_articles("c.json", "c", json.as_bytes(), false).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].id, "c-2");
        assert_eq!(articles[1].title, "Isi dua tanpa judul");
        let jsonl = "{\"id\": \"x\", \"body\": \"Satu.\", \"lang\": \"id\"}\n\n{\"id\": \"y\", \"body\": \"Dua.\", \"lang\": \"en\"}\n";
        let articles = parse_json_articles("c.jsonl", "c", jsonl.as_bytes(), true).unwrap();
        assert_eq!(articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn json_errors_name_the_line_and_field() {
        let cases: &[(&str, &str, bool, &str)] = &[
            (
                "missing body",
                "{\"id\": \"a\"}\n{\"id\": \"b\"}",
                true,
                "c.jsonl:1: missing field `body` (column 11)",
            ),
            (
                "bad json line",
                "{\"body\": \"ok\", \"lang\": \"id\"}\n{oops}",
                true,
                "c.jsonl:2: key must be a string (column 2)",
            ),
            (
                "array item",
                "[{\"body\": 5}]",
                false,
                "c.json: article 1 of the array: invalid type: integer `5`, expected a string",
            ),
            ("not an array", "{\"body\": \"x\"}", false, "c.json:1: invalid type: map, expected a sequence"),
            (
                "bad date",
                "[{\"body\": \"x\", \"date\": \"kemarin\"}]",
                false,
                "c.json: article 1 of the array: date \"kemarin\" is not ISO 8601: write it as YYYY-MM-DD",
            ),
        ];
        for (name, input, lines, expected) in cases {
            let ext = if *lines { "c.jsonl" } else { "c.json" };
            let err = parse_json_articles(ext, "c", input.as_bytes(), *lines).unwrap_err();
            assert_eq!(err.to_string(), *expected, "case: {name}");
        }
    }

    #[test]
    fn broken_utf8_names_the_offset() {
        let err = parse_article_file("b.txt", "b", "txt", b"Halo \xff dunia", None).unwrap_err();
        assert_eq!(err.kind, LoadErrorKind::NotUtf8 { offset: 5 });
        assert!(err.to_string().starts_with("b.txt: not UTF-8"));
    }
}
