//! `sorot`: the command-line face of the engine. Glue only: every format and rule lives in
//! `sorot-engine`.

use std::{path::PathBuf, process::ExitCode};

use sorot_engine::{read_path, Engine};

const USAGE: &str = "\
sorot — pack and inspect article corpora for the Sorot explorer

USAGE:
    sorot pack <INPUT>... -o <FILE>   read articles (.txt, .md, folders) and write a pack
    sorot list <CORPUS>               list the articles of a pack, file or folder
    sorot help                        show this text
";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sorot: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    match command.as_str() {
        "pack" => pack(rest),
        "list" => list(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn pack(args: &[String]) -> Result<(), String> {
    let mut inputs = Vec::new();
    let mut output = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-o" | "--output" => {
                output = Some(it.next().ok_or("`-o` needs a file name")?.clone());
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option `{flag}`"))
            }
            input => inputs.push(PathBuf::from(input)),
        }
    }
    let output = output.ok_or("missing `-o <FILE>`: where should the pack go?")?;
    if inputs.is_empty() {
        return Err("no input: name article files or folders".into());
    }
    let mut articles = Vec::new();
    for input in &inputs {
        articles.extend(read_path(input).map_err(|e| e.to_string())?);
    }
    let bytes = Engine::from_articles(articles).to_pack();
    std::fs::write(&output, &bytes).map_err(|e| format!("{output}: cannot write: {e}"))?;
    let count = Engine::from_pack(&bytes).map_err(|e| e.to_string())?.articles().len();
    eprintln!("wrote {output}: {count} articles, {} bytes", bytes.len());
    Ok(())
}

fn list(args: &[String]) -> Result<(), String> {
    let [corpus] = args else {
        return Err("`list` takes one corpus: a pack, an article file or a folder".into());
    };
    let engine = open_corpus(corpus)?;
    for a in engine.articles() {
        println!("{}\t{}\t{}\t{}", a.id, a.lang, a.source.as_deref().unwrap_or("-"), a.title);
    }
    Ok(())
}

/// Opens a pack (recognised by its magic bytes) or reads articles from a file or folder.
fn open_corpus(corpus: &str) -> Result<Engine, String> {
    let path = PathBuf::from(corpus);
    if path.is_file() {
        let bytes = std::fs::read(&path).map_err(|e| format!("{corpus}: cannot read: {e}"))?;
        if bytes.starts_with(&sorot_engine::PACK_MAGIC) {
            return Engine::from_pack(&bytes).map_err(|e| format!("{corpus}: {e}"));
        }
    }
    read_path(&path).map(Engine::from_articles).map_err(|e| e.to_string())
}
