//! Packs (and indexes) the corpus in `seeds/` (or the folder named by `SOROT_CORPUS`) into `$OUT_DIR/corpus.pack`,
//! which the app embeds with `include_bytes!`: the page needs no request to show its articles.

use std::{env, fs, path::PathBuf, process::exit};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let corpus = env::var_os("SOROT_CORPUS").map_or_else(|| root.join("seeds"), PathBuf::from);
    println!("cargo:rerun-if-env-changed=SOROT_CORPUS");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let articles = match sorot_engine::read_path(&corpus) {
        Ok(articles) => articles,
        Err(e) => {
            eprintln!("error: the bundled corpus cannot be packed: {e}");
            exit(1);
        }
    };
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("corpus.pack");
    let bytes = sorot_engine::Engine::from_articles(articles).to_pack();
    if let Err(e) = fs::write(&out, &bytes) {
        eprintln!("error: cannot write {}: {e}", out.display());
        exit(1);
    }
}
