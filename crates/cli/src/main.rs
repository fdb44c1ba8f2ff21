//! `sorot`: the command-line face of the engine. Glue only: every format and rule lives in
//! `sorot-engine`.

/// `println!` that ends the program quietly when the reader went away (`sorot search … | head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("sorot: cannot write the output: {e}");
            std::process::exit(2);
        }
    }};
}

mod args;
mod bundle;
mod corpus;
mod ner_cmd;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use args::{Args, Spec};
use serde_json::{json, Value};
use sorot_engine::{DocId, Engine, Field, SearchOptions, SearchResults, Span};

const USAGE: &str = "\
sorot — pack, search and inspect article corpora for the Sorot explorer

USAGE:
    sorot pack <INPUT>... -o <FILE>       read articles and write a pack (articles + index)
    sorot bundle <CORPUS>... -o <FILE>    write the whole explorer with the corpus as one HTML
                                         file that works opened from disk, offline
    sorot search <CORPUS> <QUERY> [--limit N] [--full] [--prefix] [--json]
                                         search a pack, an article file or a folder
    sorot explain <CORPUS> <QUERY> [--doc ID] [--limit N] [--json]
                                         show the work: how the query is read (roots and the
                                         rules that found them, terms searched) and why each
                                         hit ranks where it does
    sorot facets <CORPUS> [QUERY] [--json]
                                         entities with their article and mention counts
                                         (over the articles matching QUERY, if given)
    sorot entities <FILE|-> [--lang L] [--json]
                                         the named entities in a plain UTF-8 text (- reads stdin)
    sorot list <CORPUS>                   list the articles of a corpus
    sorot train-ner [--data DIR] [--out FILE] [--without-dev] [--epochs N] [--seed N]   train the NER model
    sorot eval-ner <FILE> [--json] [--model FILE]   score the NER model on a CoNLL file
    sorot <COMMAND> --help                one command's usage and options (-h too)
    sorot help                            show this text

INPUT and CORPUS: .txt (with an optional NAME.meta), .md (front matter), .json (array of
articles), .jsonl (one article per line), .csv, any of these .gz, folders of these, or (CORPUS
only) one .pack file.
";

/// What every command reads, in the words of its usage texts.
macro_rules! inputs_help {
    () => {
        "INPUT: .txt (with an optional NAME.meta), .md (front matter), .json (an array of articles),
.jsonl (one article per line), .csv (a header row, then one article per row; `,` `;` or tab), any
of these .gz, or a folder of these (read recursively, in file-name order). Dates are read as news
sites write them (2019-10-09, 31 Juli 2019, Oct 2, 2019, Senin, 10/01/2022 14:05 WIB, RFC 2822)."
    };
}

/// The same, for commands that also take a pack.
macro_rules! corpus_help {
    () => {
        "CORPUS: one .pack file (as `sorot pack` writes), or article files and folders: .txt (with an
optional NAME.meta), .md (front matter), .json (an array of articles), .jsonl (one article per line),
.csv, or any of these .gz."
    };
}

// After the help macros, which it uses.
mod explain_cmd;

/// A `sorot` command: its name, what it accepts, and what it does.
struct Command {
    name: &'static str,
    spec: Spec,
    run: fn(&Args) -> Result<Done, String>,
}

/// How a command that did its work ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    /// All of it.
    Complete,
    /// The output was written, but records of the input were left out (exit status 1).
    Partial,
}

const COMMANDS: &[Command] = &[
    Command {
        name: "pack",
        spec: Spec {
            usage: concat!(
                "\
usage: sorot pack <INPUT>... (-o <FILE> | --split <DIR>) [--strict] [--html] [--field FIELD=NAME]... [--corrections FILE]

Reads articles, finds their named entities, indexes them and writes a pack: what the explorer loads
with ?pack=, and what `sorot search`, `list`, `facets` and `bundle` read fastest. Progress goes to a
terminal. One bad record never sinks an archive: the pack is written from the good ones, and a
summary names the first problems with their file, line and field. A date that cannot be read is
dropped (the article stays); of two articles with one id the first is kept.

",
                inputs_help!(),
                "

options:
    -o, --output <FILE>      where to write the pack
    --split <DIR>            write a split pack instead: DIR/entry.sorot and pieces that a page fetches
                             as queries need them (for archives too large to download whole); a
                             re-pack into the same DIR writes only the pieces that changed
    --piece-bytes <N>        about how large a split pack's pieces are (default 4096: articles in
                             batches of N bytes, postings and family chunks of 2N, N/8 terms per
                             dictionary chunk, N/16 entities per chunk of the entity list)
    --keyed-chunks <N>       at most N postings chunks are named in the entry (default 2048), so that
                             a word's postings come with its dictionary chunk; a larger index's
                             dictionary chunks name them, which keeps its entry small
    --strict                 stop at the first problem instead, and write nothing
    --html                   the bodies (and titles) are HTML: keep their text, by paragraph
    --field <FIELD=NAME>     read the CSV column or JSON key NAME as FIELD (body, title, id, date,
                             source, url, lang, html), e.g. --field body=isi_berita; repeatable
    --corrections <FILE>     apply a curator's corrections to the entities (rename, merge, split a
                             mention off, change a mention's type, not an entity): a JSON file as
                             the explorer exports it (see README, \"Corrections\")
    -h, --help               show this text

exit status: 0 when every record was packed, 1 when the pack was written but records were skipped
or corrections could not apply, 2 when nothing was written."
            ),
            valued: &[
                &["-o", "--output"],
                &["--field"],
                &["--split"],
                &["--piece-bytes"],
                &["--keyed-chunks"],
                &["--corrections"],
            ],
            flags: &["--strict", "--html"],
        },
        run: pack,
    },
    Command {
        name: "bundle",
        spec: Spec {
            usage: concat!(
                "\
usage: sorot bundle <CORPUS>... -o <FILE> [--strict] [--html] [--field FIELD=NAME]... [--corrections FILE]

Writes the whole explorer with the corpus inside as one HTML file that works opened from disk,
offline. A pack is checked and inlined as it is; articles are read and packed as `sorot pack` does
(the same options, the same summary and exit status). Needs a `sorot` built with the app inside
(bash scripts/build-cli.sh).

",
                corpus_help!(),
                "

options:
    -o, --output <FILE>      where to write the page (for example articles.html)
    --strict, --html, --field <FIELD=NAME>, --corrections <FILE>   as for `sorot pack`
    -h, --help               show this text"
            ),
            valued: &[&["-o", "--output"], &["--field"], &["--corrections"]],
            flags: &["--strict", "--html"],
        },
        run: bundle_page,
    },
    Command {
        name: "search",
        spec: Spec {
            usage: concat!(
                "\
usage: sorot search <CORPUS> <QUERY> [--limit N] [--full] [--prefix] [--json]

Searches a corpus as the explorer does and prints the ranked hits with their snippets. QUERY is one
argument (quote a query of several words): words, \"a phrase\", -excluded, person:\"Vladimir Putin\".

",
                corpus_help!(),
                "

options:
    --limit <N>   show at most N hits (default 10)
    --full        also give every highlight span over each hit's body
    --prefix      treat the last word as a prefix, as the explorer does while typing
    --json        print JSON instead of a readable view
    -h, --help    show this text"
            ),
            valued: &[&["--limit"]],
            flags: &["--full", "--json", "--prefix"],
        },
        run: search,
    },
    Command {
        name: "facets",
        spec: Spec {
            usage: concat!(
                "\
usage: sorot facets <CORPUS> [QUERY] [--json]

Lists the named entities of a corpus with how many articles mention each and how often, by type;
with QUERY, over the articles that match it.

",
                corpus_help!(),
                "

options:
    --json        print JSON
    -h, --help    show this text"
            ),
            valued: &[],
            flags: &["--json"],
        },
        run: facets,
    },
    Command {
        name: "entities",
        spec: Spec {
            usage: "\
usage: sorot entities <FILE|-> [--lang L] [--explain] [--json]

Finds the named entities (people, organisations, places) in a plain UTF-8 text, with their byte
offsets, canonical names and confidence. - reads standard input.

options:
    --lang <L>    the text's language (id, en); without it, it is detected
    --explain     show the work: for each mention how it came about, each of its words' tag (B-, I-)
                  against the runner-up with the margin, the features that pushed most either way
                  with their weights, and the word lists the words are in
    --json        print JSON (with --explain: the whole explanation, every sentence's tokens)
    -h, --help    show this text",
            valued: &[&["--lang"]],
            flags: &["--json", "--explain"],
        },
        run: entities,
    },
    Command {
        name: "list",
        spec: Spec {
            usage: concat!(
                "\
usage: sorot list <CORPUS>...

Prints one line per article: id, language, source and title, separated by tabs.

",
                corpus_help!(),
                "

options:
    -h, --help    show this text"
            ),
            valued: &[],
            flags: &[],
        },
        run: list,
    },
    Command { name: "explain", spec: explain_cmd::SPEC, run: explain_cmd::explain },
    Command { name: "train-ner", spec: ner_cmd::TRAIN, run: ner_cmd::train_ner },
    Command { name: "eval-ner", spec: ner_cmd::EVAL, run: ner_cmd::eval_ner },
];

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(Done::Complete) => ExitCode::SUCCESS,
        Ok(Done::Partial) => ExitCode::from(1),
        Err(message) => {
            eprintln!("sorot: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<Done, String> {
    let Some((name, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(Done::Complete);
    };
    if matches!(name.as_str(), "help" | "-h" | "--help") {
        // `sorot help pack` is `sorot pack --help`.
        match rest.first().and_then(|n| COMMANDS.iter().find(|c| c.name == n)) {
            Some(command) => outln!("{}", command.spec.usage),
            None => print!("{USAGE}"),
        }
        return Ok(Done::Complete);
    }
    let command = COMMANDS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| format!("unknown command `{name}`\n\n{USAGE}"))?;
    let args = Args::parse(rest, &command.spec)?;
    if args.help {
        outln!("{}", command.spec.usage);
        return Ok(Done::Complete);
    }
    (command.run)(&args)
}

/// The usage text of the command `name`, for error messages.
fn usage(name: &str) -> &'static str {
    COMMANDS.iter().find(|c| c.name == name).map_or(USAGE, |c| c.spec.usage)
}

/// The positional arguments as `&str`s.
fn positional(args: &Args) -> Vec<&str> {
    args.positional.iter().map(String::as_str).collect()
}

/// Reads a corpus for a command that only looks at it (search, list, facets): leniently, saying on
/// stderr what was left out.
fn look_at(inputs: &[&str]) -> Result<(Engine, Done), String> {
    let corpus = corpus::read(inputs, &sorot_engine::ReadOptions::default())?;
    if !corpus.problems.is_empty() {
        corpus.report("read");
    }
    let done = if corpus.skipped() > 0 { Done::Partial } else { Done::Complete };
    Ok((corpus.engine, done))
}

fn pack(args: &Args) -> Result<Done, String> {
    let inputs = positional(args);
    let split = args.value("--split");
    let output = match (args.value("-o"), split) {
        (Some(o), None) => o,
        (None, Some(dir)) => dir,
        (Some(_), Some(_)) => {
            return Err("give `-o <FILE>` for a pack or `--split <DIR>` for a split pack, not both".into())
        }
        (None, None) => {
            return Err("missing `-o <FILE>`: where should the pack go? (or `--split <DIR>`)".into())
        }
    };
    if inputs.is_empty() {
        return Err(format!("no input: name article files or folders\n\n{}", usage("pack")));
    }
    let options = corpus::read_options(args)?;
    let corrections = corpus::read_corrections(args)?;
    let started = Instant::now();
    if split.is_some() {
        let positive = |flag: &str| match args.value(flag) {
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .map(Some)
                .ok_or_else(|| format!("{flag}: {v:?} is not a positive number")),
            None => Ok(None),
        };
        let mut split = split_options(positive("--piece-bytes")?);
        if let Some(n) = positive("--keyed-chunks")? {
            split.keyed_chunks = n;
        }
        // Article files are packed as they are read, never all held; a pack is read, then cut.
        if corpus::are_article_files(&inputs) {
            let (mut problems, mut notes, mut count) = (Vec::new(), Vec::new(), 0);
            let mut corrections = Some(corrections);
            write_split(Path::new(output), started, &mut |write| {
                let corrections = corrections.take().unwrap_or_default();
                let packed = corpus::pack_split(&inputs, &options, corrections, &split, write)?;
                (problems, notes, count) = (packed.problems, packed.notes, packed.articles);
                Ok((packed.entry, packed.articles, packed.terms))
            })?;
            corpus::report(count, &problems, "packed");
            corpus::report_notes(&notes);
            let skipped = problems.iter().filter(|p| p.effect == sorot_engine::Effect::Skipped).count();
            return Ok(if skipped + notes.len() > 0 { Done::Partial } else { Done::Complete });
        }
        let corpus = corpus::read_corrected(&inputs, &options, &corrections)?;
        let engine = &corpus.engine;
        write_split(Path::new(output), started, &mut |write| {
            let entry = engine.write_split(&split, write)?;
            Ok((entry, engine.article_count(), engine.index().term_count()))
        })?;
        corpus.report("packed");
        return Ok(if corpus.skipped() > 0 { Done::Partial } else { Done::Complete });
    }
    let corpus = corpus::read_corrected(&inputs, &options, &corrections)?;
    let engine = &corpus.engine;
    let bytes = engine.to_pack();
    if bytes.is_empty() {
        return Err(format!("{output}: cannot pack: the corpus is not all at hand"));
    }
    let text_bytes: usize = (0..engine.article_count() as u32)
        .filter_map(|d| engine.article_at(sorot_engine::DocId(d)))
        .map(|a| a.title.len() + a.body.len())
        .sum();
    std::fs::write(output, &bytes).map_err(|e| format!("{output}: cannot write: {e}"))?;
    eprintln!(
        "wrote {output}: {}, {} terms, {} bytes (article text {} bytes) in {:.2} s",
        corpus::articles(engine.article_count()),
        engine.index().term_count(),
        bytes.len(),
        text_bytes,
        started.elapsed().as_secs_f32()
    );
    corpus.report("packed");
    Ok(if corpus.skipped() > 0 { Done::Partial } else { Done::Complete })
}

/// How a split pack is cut: the defaults, or pieces of about `piece_bytes` (for tests of many
/// small pieces).
fn split_options(piece_bytes: Option<usize>) -> sorot_engine::SplitOptions {
    let mut options = sorot_engine::SplitOptions::default();
    if let Some(n) = piece_bytes {
        options.batch_bytes = n;
        options.post_bytes = 2 * n;
        options.dict_terms = (n / 8).max(1);
        options.entity_chunk = (n / 16).max(1);
    }
    options
}

/// What makes a split pack: it hands each piece file to the writer it is given, and returns the
/// entry file's bytes and the numbers of articles and terms.
type MakeSplit<'a> =
    dyn FnMut(&mut sorot_engine::PieceWriter<'_>) -> Result<(Vec<u8>, usize, usize), String> + 'a;

/// Writes the split pack `make` makes in `dir`: the entry file and the pieces not there yet (a
/// piece's name is its content's hash), and removes the pieces of an earlier pack that this one
/// does not have. Says how many files changed.
fn write_split(dir: &Path, started: Instant, make: &mut MakeSplit<'_>) -> Result<(), String> {
    let shown = dir.display();
    let existed = dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| format!("{shown}: cannot create: {e}"))?;
    let (mut written, mut kept, mut bytes) = (0usize, 0usize, 0u64);
    let mut names = std::collections::HashSet::new();
    // Each piece is written as soon as it is made (a large corpus's pieces are never all in memory).
    let made = make(&mut |_, name, data| {
        bytes += data.len() as u64;
        if !names.insert(name.to_string()) {
            return Ok(());
        }
        let path = dir.join(name);
        // Same name, same content: a piece already there is left alone.
        if std::fs::metadata(&path).is_ok_and(|m| m.len() == data.len() as u64) {
            kept += 1;
            return Ok(());
        }
        std::fs::write(&path, data).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written += 1;
        Ok(())
    });
    let (entry_bytes, n, terms) = match made {
        Ok(made) => made,
        Err(e) => {
            // A folder made for this pack goes with it; in an earlier pack's folder, the earlier
            // entry and its pieces still stand (pieces of this one left there go at the next pack).
            if !existed {
                let _ = std::fs::remove_dir_all(dir);
            }
            return Err(e);
        }
    };
    bytes += entry_bytes.len() as u64;
    let entry = dir.join(sorot_engine::ENTRY_NAME);
    std::fs::write(&entry, &entry_bytes).map_err(|e| format!("{}: cannot write: {e}", entry.display()))?;
    let mut removed = 0;
    for file in std::fs::read_dir(dir).map_err(|e| format!("{shown}: cannot list: {e}"))?.flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sorot") && name != sorot_engine::ENTRY_NAME && !names.contains(&name) {
            std::fs::remove_file(file.path()).map_err(|e| format!("{name}: cannot remove: {e}"))?;
            removed += 1;
        }
    }
    let peak = peak_memory().map(|kb| format!(", peak memory {} MB", kb / 1024)).unwrap_or_default();
    eprintln!(
        "wrote {shown}: {}, {} terms, {} pieces ({} bytes, entry {} bytes) in {:.2} s{peak}; {written} written, {kept} unchanged, {removed} removed",
        corpus::articles(n),
        terms,
        names.len(),
        bytes,
        entry_bytes.len(),
        started.elapsed().as_secs_f32()
    );
    Ok(())
}

/// This process's peak resident memory in KiB (`VmHWM` of `/proc/self/status`; Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `sorot bundle`: the explorer and a corpus as one self-contained HTML file.
fn bundle_page(args: &Args) -> Result<Done, String> {
    let inputs = positional(args);
    let output = args
        .value("-o")
        .ok_or("missing `-o <FILE>`: where should the page go? (for example `-o articles.html`)")?;
    if inputs.is_empty() {
        return Err(format!(
            "no corpus: name article files or folders, or one .pack file\n\n{}",
            usage("bundle")
        ));
    }
    let options = corpus::read_options(args)?;
    let corrections = corpus::read_corrections(args)?;
    let started = Instant::now();
    // A pack is checked and inlined as it is; articles are read, tagged and packed as `sorot pack` does.
    let (pack, corpus) = match inputs[..] {
        [single] if Path::new(single).extension().is_some_and(|e| e == "pack") && corrections.is_empty() => {
            let bytes = std::fs::read(single).map_err(|e| format!("{single}: cannot read: {e}"))?;
            let engine = Engine::from_pack(&bytes).map_err(|e| format!("{single}: {e}"))?;
            (bytes, corpus::Corpus { engine, problems: Vec::new(), notes: Vec::new() })
        }
        _ => {
            let corpus = corpus::read_corrected(&inputs, &options, &corrections)?;
            (corpus.engine.to_pack(), corpus)
        }
    };
    let engine = &corpus.engine;
    let app = bundle::embedded_app().ok_or(bundle::NO_APP)?;
    let html = bundle::single_file(&app, &pack)?;
    std::fs::write(output, &html).map_err(|e| format!("{output}: cannot write: {e}"))?;
    eprintln!(
        "wrote {output}: {}, {} bytes ({:.1} MB; the pack is {} bytes) in {:.2} s",
        corpus::articles(engine.article_count()),
        html.len(),
        html.len() as f64 / 1e6,
        pack.len(),
        started.elapsed().as_secs_f32()
    );
    if !corpus.problems.is_empty() || !corpus.notes.is_empty() {
        corpus.report("bundled");
    }
    Ok(if corpus.skipped() > 0 { Done::Partial } else { Done::Complete })
}

fn list(args: &Args) -> Result<Done, String> {
    let inputs = positional(args);
    if inputs.is_empty() {
        return Err(format!(
            "`list` needs a corpus: a pack, an article file or a folder\n\n{}",
            usage("list")
        ));
    }
    let (engine, done) = look_at(&inputs)?;
    for a in (0..engine.article_count() as u32).filter_map(|d| engine.article_at(DocId(d))) {
        outln!("{}\t{}\t{}\t{}", a.id, a.lang, a.source.as_deref().unwrap_or("-"), a.title);
    }
    Ok(done)
}

fn search(args: &Args) -> Result<Done, String> {
    let [corpus, query] = positional(args)[..] else {
        return Err(format!(
            "`search` takes a corpus and a query (quote a query of several words)\n\n{}",
            usage("search")
        ));
    };
    let has = |flag: &str| args.has(flag);
    let limit = args.number("--limit", 10)?;
    let search_options = SearchOptions { limit, prefix_last: has("--prefix"), ..SearchOptions::default() };
    if let Some(split) = corpus::split_entry(&[corpus]) {
        // Only the pieces the query needs, read as a page fetches them.
        let split = split?;
        // The search first, then what showing its hits reads (their articles), so that only the
        // articles of the right hits are read.
        let results = split.answer(|engine| engine.search(query, &search_options))?;
        let out = split.answer(|engine| {
            if has("--json") {
                let value = results_json(engine, &results, has("--full"));
                serde_json::to_string_pretty(&value).map_err(|e| e.to_string())
            } else {
                Ok(results_text(engine, &results, has("--full")))
            }
        })??;
        outln!("{out}");
        let (pieces, bytes) = split.read.get();
        let kinds: Vec<String> =
            split.by_kind.borrow().iter().map(|(k, n, b)| format!("{k:?} {n} ({b} bytes)")).collect();
        let rounds: Vec<String> = split
            .rounds
            .borrow()
            .iter()
            .map(|r| r.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join("+"))
            .collect();
        eprintln!(
            "read {pieces} of {} pieces ({bytes} bytes): {}; in {} rounds: {}",
            split.engine.piece_count(),
            kinds.join(", "),
            rounds.len(),
            rounds.join(" → ")
        );
        return Ok(Done::Complete);
    }
    let (engine, done) = look_at(&[corpus])?;
    let results = engine.search(query, &search_options);
    if has("--json") {
        let value = results_json(&engine, &results, has("--full"));
        outln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
    } else {
        outln!("{}", results_text(&engine, &results, has("--full")));
    }
    Ok(done)
}

fn entities(args: &Args) -> Result<Done, String> {
    let [input] = positional(args)[..] else {
        return Err(format!(
            "`entities` takes one text file, or - for standard input\n\n{}",
            usage("entities")
        ));
    };
    let bytes = if input == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| format!("stdin: {e}"))?;
        buf
    } else {
        std::fs::read(input).map_err(|e| format!("{input}: cannot read: {e}"))?
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{input}: not UTF-8 text (first bad byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })?;
    let lang = args.value("--lang").map(str::to_string).unwrap_or_else(|| sorot_engine::detect_lang(&text));
    if args.has("--explain") {
        let explained = sorot_engine::shipped_model().explain(&text, &lang);
        // How each mention joined its entity, as `sorot pack` merges the names of one article.
        let mentions: Vec<sorot_engine::Mention> = explained
            .mentions
            .iter()
            .map(|m| sorot_engine::Mention { span: m.span, kind: m.kind, confidence: m.confidence })
            .collect();
        let resolved = sorot_engine::resolve_entities(&[(text.as_str(), mentions)]);
        let merges: Vec<Option<(String, sorot_engine::MergeReason)>> = explained
            .mentions
            .iter()
            .map(|m| {
                let own = resolved.mentions[0].iter().find(|r| r.span == m.span)?;
                let entity = resolved.list.get(own.entity.index())?;
                let others: Vec<&str> = resolved.mentions[0]
                    .iter()
                    .filter(|r| r.entity == own.entity && r.span != m.span)
                    .filter_map(|r| r.span.get(&text))
                    .collect();
                Some((entity.name.clone(), entity.merge_reason(&m.text, &others)))
            })
            .collect();
        if args.has("--json") {
            let mut value = serde_json::to_value(&explained).map_err(|e| e.to_string())?;
            if let Some(list) = value["mentions"].as_array_mut() {
                for (m, merge) in list.iter_mut().zip(&merges) {
                    if let (Value::Object(map), Some((entity, reason))) = (m, merge) {
                        map.insert("entity".into(), json!(entity));
                        map.insert("merge".into(), json!(reason));
                    }
                }
            }
            outln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
        } else {
            outln!("{}", explain_cmd::entities_text(&explained, &merges));
        }
        return Ok(Done::Complete);
    }
    let mentions = sorot_engine::shipped_model().tag(&text, &lang);
    let resolved = sorot_engine::resolve_entities(&[(text.as_str(), mentions)]);
    let list = &resolved.list;
    let rows: Vec<Value> = resolved.mentions[0]
        .iter()
        .filter_map(|m| {
            let e = list.get(m.entity.index())?;
            Some(json!({
                "text": &text[m.span.start..m.span.end],
                "type": e.kind.code(),
                "start": m.span.start,
                "end": m.span.end,
                "canonical": e.name,
                "confidence": (f64::from(m.confidence) * 1000.0).round() / 1000.0,
            }))
        })
        .collect();
    if args.has("--json") {
        outln!("{}", serde_json::to_string_pretty(&json!({ "entities": rows })).map_err(|e| e.to_string())?);
    } else {
        for r in &rows {
            outln!(
                "{}\t{}..{}\t{}\t{}\t{}",
                r["type"].as_str().unwrap_or(""),
                r["start"],
                r["end"],
                r["text"].as_str().unwrap_or(""),
                r["canonical"].as_str().unwrap_or(""),
                r["confidence"]
            );
        }
    }
    Ok(Done::Complete)
}

fn facets(args: &Args) -> Result<Done, String> {
    let (corpus, query) = match positional(args)[..] {
        [corpus] => (corpus, None),
        [corpus, query] => (corpus, Some(query)),
        _ => return Err(format!("`facets` takes a corpus and an optional query\n\n{}", usage("facets"))),
    };
    let (engine, done) = look_at(&[corpus])?;
    let results = query.map(|q| engine.search(q, &SearchOptions { limit: 0, ..SearchOptions::default() }));
    let facets = engine.facets(results.as_ref().map(|r| r.docs.as_slice()));
    let list = &engine.entity_list();
    if args.has("--json") {
        let facets: Vec<Value> = facets
            .iter()
            .map(|f| {
                let e = &list[f.entity.index()];
                json!({"entity": e.name, "type": e.kind.code(), "aliases": e.aliases, "articles": f.articles, "mentions": f.mentions})
            })
            .collect();
        let mut value = json!({"facets": facets});
        if let Some(r) = &results {
            value["query"] = json!(r.query);
            value["total"] = json!(r.total);
            value["warnings"] = r
                .warnings
                .iter()
                .map(|w| json!({"message": w.message, "start": w.span.start, "end": w.span.end}))
                .collect();
        }
        outln!("{}", serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?);
        return Ok(done);
    }
    if let Some(r) = &results {
        for w in &r.warnings {
            outln!("note: {}", w.message);
        }
        outln!("{} {:?}", matching(r.total), r.query);
    }
    for kind in sorot_engine::EntityType::ALL {
        outln!("\n{}", kind.code());
        for f in facets.iter().filter(|f| list[f.entity.index()].kind == kind) {
            let e = &list[f.entity.index()];
            let aliases = if e.aliases.is_empty() {
                String::new()
            } else {
                format!("  (also {})", e.aliases.join(", "))
            };
            outln!("  {:>4} articles {:>5} mentions  {}{aliases}", f.articles, f.mentions, e.name);
        }
    }
    Ok(done)
}

fn spans_json(text: &str, spans: &[Span]) -> Value {
    spans.iter().map(|s| json!({"start": s.start, "end": s.end, "text": &text[s.start..s.end]})).collect()
}

fn results_json(engine: &Engine, results: &SearchResults, full: bool) -> Value {
    let hits: Vec<Value> = results
        .hits
        .iter()
        .filter_map(|hit| {
            let article = engine.article_at(hit.doc)?;
            let snippet = engine.snippet(results, hit.doc);
            let terms: serde_json::Map<String, Value> = hit.terms.iter().map(|(t, s)| (t.clone(), json!(s))).collect();
            let mut value = json!({
                "id": article.id,
                "title": article.title,
                "score": hit.score,
                "exact": hit.exact,
                "in_title": hit.in_title,
                "title_factor": hit.title_factor,
                "terms": terms,
                "snippet": {"text": snippet.text, "highlights": spans_json(&snippet.text, &snippet.highlights)},
            });
            if full {
                let body = engine.highlights(results, hit.doc, Field::Body);
                value["highlights"] = spans_json(&article.body, &body);
                let title = engine.highlights(results, hit.doc, Field::Title);
                value["title_highlights"] = spans_json(&article.title, &title);
            }
            Some(value)
        })
        .collect();
    json!({
        "query": results.query,
        "warnings": results.warnings.iter().map(|w| json!({"message": w.message, "start": w.span.start, "end": w.span.end})).collect::<Vec<_>>(),
        "total": results.total,
        "any_word_fallback": results.any_word_fallback,
        "expansions": results.expansions,
        "hits": hits,
    })
}

/// `text` with the spans marked: reverse video on a terminal, `[…]` otherwise.
fn mark(text: &str, spans: &[Span], tty: bool) -> String {
    let (open, close) = if tty { ("\x1b[1;7m", "\x1b[0m") } else { ("[", "]") };
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(open);
        out.push_str(&text[s.start..s.end]);
        out.push_str(close);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `1 article matches`, `1,234 articles match`.
fn matching(n: usize) -> String {
    format!("{} {}", corpus::articles(n), if n == 1 { "matches" } else { "match" })
}

/// The readable view of search results (without a final newline).
fn results_text(engine: &Engine, results: &SearchResults, full: bool) -> String {
    use std::fmt::Write;
    let tty = std::io::stdout().is_terminal();
    let mut out = String::new();
    for w in &results.warnings {
        let _ = writeln!(out, "note: {} (at {}..{} of the query)", w.message, w.span.start, w.span.end);
    }
    let _ = write!(out, "{} {:?}", matching(results.total), results.query);
    for (rank, hit) in results.hits.iter().enumerate() {
        let Some(a) = engine.article_at(hit.doc) else { continue };
        let title_marks = engine.highlights(results, hit.doc, Field::Title);
        let _ = write!(
            out,
            "\n\n{}. {}  ({}, score {:.3})",
            rank + 1,
            mark(&a.title, &title_marks, tty),
            a.id,
            hit.score
        );
        let terms: Vec<String> = hit.terms.iter().map(|(t, s)| format!("{t} {s:.3}")).collect();
        let _ = write!(out, "\n   {}", terms.join(" · "));
        let snippet = engine.snippet(results, hit.doc);
        let _ = write!(out, "\n   {}", mark(&snippet.text, &snippet.highlights, tty));
        if full {
            let marks = engine.highlights(results, hit.doc, Field::Body);
            let _ = write!(out, "\n   {} highlights in the body", marks.len());
        }
    }
    out
}
