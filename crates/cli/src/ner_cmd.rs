//! `sorot train-ner` and `sorot eval-ner`: glue over the engine's named-entity tagger.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::args::{Args, Spec};
use crate::Done;
use sorot_engine::{
    evaluate, read_conll, train_with_auxiliary, NerModel, NerScores, Prf, TaggedSentence, TrainOptions,
};

/// The model shipped with the engine (trained with `sorot train-ner` and its defaults).
const SHIPPED_MODEL: &[u8] = include_bytes!("../../engine/data/ner/model.bin");

/// `sorot train-ner`'s command line.
pub const TRAIN: Spec = Spec {
    usage: "\
usage: sorot train-ner [--data DIR] [--out FILE] [--without-dev] [--epochs N] [--seed N]

Trains the named-entity model on DIR (default ../shared/data/ner): idner-news-2k train + dev as the main
corpus, NERGRIT train + valid as the auxiliary one. --without-dev leaves out idner dev and NERGRIT valid
(the setting of the quality gate). Writes FILE (default crates/engine/data/ner/model.bin); with the
defaults the result is byte for byte the shipped model.

options:
    --data <DIR>     the training data (default ../shared/data/ner)
    --out <FILE>     where to write the model (default crates/engine/data/ner/model.bin)
    --without-dev    leave out the development sets
    --epochs <N>     training epochs (default: the shipped model's)
    --seed <N>       the shuffling seed (default: the shipped model's)
    -h, --help       show this text",
    valued: &[&["--data"], &["--out"], &["--epochs"], &["--seed"]],
    flags: &["--without-dev"],
};

/// `sorot eval-ner`'s command line.
pub const EVAL: Spec = Spec {
    usage: "\
usage: sorot eval-ner <FILE> [--json] [--model FILE]

Tags the sentences of a CoNLL file (`token POS TAG` or `token<TAB>TAG`) and prints entity-level
exact-match precision, recall and F1, overall and per type. Default model: the shipped one.

options:
    --model <FILE>   a model written by `sorot train-ner` instead of the shipped one
    --json           print JSON
    -h, --help       show this text",
    valued: &[&["--model"]],
    flags: &["--json"],
};

/// Reads one CoNLL file; errors name the file (and the line, from the engine).
fn read_sentences(path: &Path) -> Result<Vec<TaggedSentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    read_conll(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `sorot train-ner`.
pub fn train_ner(args: &Args) -> Result<Done, String> {
    if let Some(extra) = args.positional.first() {
        return Err(format!("unexpected argument `{extra}`\n\n{}", TRAIN.usage));
    }
    let data = PathBuf::from(args.value("--data").unwrap_or("../shared/data/ner"));
    let out = PathBuf::from(args.value("--out").unwrap_or("crates/engine/data/ner/model.bin"));
    let without_dev = args.has("--without-dev");
    let defaults = TrainOptions::default();
    let train_options = TrainOptions {
        epochs: args.number("--epochs", defaults.epochs)?,
        seed: args.number("--seed", defaults.seed)?,
        ..defaults
    };

    let mut main_files = vec!["idner-news-2k/train.txt"];
    let mut auxiliary_files = vec!["nergrit/train_preprocess.txt"];
    if !without_dev {
        main_files.push("idner-news-2k/dev.txt");
        auxiliary_files.push("nergrit/valid_preprocess.txt");
    }
    let load = |files: &[&str]| -> Result<Vec<TaggedSentence>, String> {
        let mut all = Vec::new();
        for file in files {
            let sentences = read_sentences(&data.join(file))?;
            eprintln!("read {}: {} sentences", data.join(file).display(), sentences.len());
            all.extend(sentences);
        }
        Ok(all)
    };
    let main = load(&main_files)?;
    let auxiliary = load(&auxiliary_files)?;
    eprintln!(
        "training: {} epochs × {} runs, seed {}, 2^{} rows{}",
        train_options.epochs,
        train_options.runs,
        train_options.seed,
        train_options.table_bits,
        if train_options.calibrate { ", confidence calibrated on a held-out tenth" } else { "" }
    );
    let started = Instant::now();
    let model = train_with_auxiliary(&main, &auxiliary, &train_options);
    let bytes = model.to_bytes();
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
    }
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
    eprintln!(
        "wrote {}: {} bytes ({:.2} MB) in {:.1} s",
        out.display(),
        bytes.len(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f32()
    );
    Ok(Done::Complete)
}

/// `sorot eval-ner`.
pub fn eval_ner(args: &Args) -> Result<Done, String> {
    let [file] = &args.positional[..] else {
        return Err(format!("`eval-ner` takes one CoNLL file\n\n{}", EVAL.usage));
    };
    let model = match args.value("--model") {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
            NerModel::from_bytes(&bytes).map_err(|e| format!("{path}: {e}"))?
        }
        None => NerModel::from_bytes(SHIPPED_MODEL).map_err(|e| format!("built-in NER model: {e}"))?,
    };
    let sentences = read_sentences(Path::new(file))?;
    let started = Instant::now();
    let scores = evaluate(&model, &sentences);
    let elapsed = started.elapsed().as_secs_f32();
    if args.has("--json") {
        outln!("{}", serde_json::to_string_pretty(&scores_json(&scores)).map_err(|e| e.to_string())?);
    } else {
        outln!("{file}: {} sentences, tagged in {elapsed:.2} s", sentences.len());
        outln!(
            "{:<6} {:>9} {:>9} {:>9} {:>7} {:>9} {:>8}",
            "",
            "precision",
            "recall",
            "F1",
            "gold",
            "predicted",
            "correct"
        );
        let row = |name: &str, p: &Prf| {
            outln!(
                "{name:<6} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>9} {:>8}",
                p.precision,
                p.recall,
                p.f1,
                p.gold,
                p.predicted,
                p.correct
            )
        };
        row("micro", &scores.micro);
        for (kind, p) in &scores.per_type {
            row(kind.code(), p);
        }
    }
    Ok(Done::Complete)
}

fn prf_json(p: &Prf) -> Value {
    json!({
        "precision": p.precision,
        "recall": p.recall,
        "f1": p.f1,
        "gold": p.gold,
        "predicted": p.predicted,
        "correct": p.correct,
    })
}

fn scores_json(scores: &NerScores) -> Value {
    let per_type: Map<String, Value> =
        scores.per_type.iter().map(|(kind, p)| (kind.code().to_string(), prf_json(p))).collect();
    json!({"micro": prf_json(&scores.micro), "per_type": per_type})
}
