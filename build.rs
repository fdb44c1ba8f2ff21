//! Packs (and indexes) the corpus in `seeds/` into `$OUT_DIR/corpus.pack`, which the app embeds with
//! `include_bytes!`: the page needs no request to show its articles. `SOROT_CORPUS` names other files
//! or folders instead, separated by `:` (the end-to-end tests use `seeds:tests/fixtures`).

use std::{env, fs, path::PathBuf, process::exit};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let corpus: Vec<PathBuf> = match env::var("SOROT_CORPUS") {
        Ok(list) if !list.is_empty() => list.split(':').map(|p| root.join(p)).collect(),
        _ => vec![root.join("seeds")],
    };
    println!("cargo:rerun-if-env-changed=SOROT_CORPUS");
    println!("cargo:rerun-if-changed=crates/engine/data/ner/model.bin");
    for path in &corpus {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let paths: Vec<&std::path::Path> = corpus.iter().map(PathBuf::as_path).collect();
    let articles = match sorot_engine::read_paths(&paths, &mut |_| {}) {
        Ok(articles) => articles,
        Err(e) => {
            eprintln!("error: the bundled corpus cannot be packed: {e}");
            exit(1);
        }
    };
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // The explorer's engine before a corpus is in, read rather than built: the wasm then carries no
    // index builder.
    if let Err(e) = fs::write(out_dir.join("empty.pack"), sorot_engine::Engine::default().to_pack()) {
        eprintln!("error: cannot write {}: {e}", out_dir.display());
        exit(1);
    }
    let out = out_dir.join("corpus.pack");
    // Packs carry their entity mentions, so the page never runs the tagger on load.
    let model = sorot_engine::shipped_model();
    let bytes = sorot_engine::Engine::with_ner(articles, &model, &mut |_| {}).to_pack();
    if let Err(e) = fs::write(&out, &bytes) {
        eprintln!("error: cannot write {}: {e}", out.display());
        exit(1);
    }
}
