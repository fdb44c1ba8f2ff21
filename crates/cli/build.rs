//! Puts a prebuilt explorer inside the `sorot` binary, for `sorot bundle`.
//!
//! `SOROT_APP_DIST` names a trunk release output folder (`scripts/lib.sh` `build_cli`). Its script,
//! wasm, stylesheet and icon are copied into `OUT_DIR` and the `sorot_app` cfg is set; without the
//! variable the binary is built without the app and `sorot bundle` says how to get one that has it.
//! When the folder has the teaching build beside the app (`teach/`, `scripts/lib.sh`
//! `build_teaching_page`), its script, wasm and stylesheet and the recogniser's model (beside the
//! app) are copied too and the `sorot_teach` cfg is set: the single file then carries teaching mode.

use std::path::{Path, PathBuf};

/// The files the single page needs, as `(name in OUT_DIR, file-name prefix, file-name suffix)` of
/// trunk's hashed outputs (`sorot-app-<hash>.js`, `style-<hash>.css`, …).
const ASSETS: [(&str, &str, &str); 4] = [
    ("app.js", "sorot-app-", ".js"),
    ("app.wasm", "sorot-app-", "_bg.wasm"),
    ("style.css", "style-", ".css"),
    ("icon.svg", "icon-", ".svg"),
];

/// The teaching build's files, in `teach/` of the folder.
const TEACH_ASSETS: [(&str, &str, &str); 3] = [
    ("teach.js", "sorot-app-", ".js"),
    ("teach.wasm", "sorot-app-", "_bg.wasm"),
    ("teach.css", "teach-", ".css"),
];

/// The recogniser's model, beside the app (teaching mode reads it).
const MODEL: [(&str, &str, &str); 1] = [("ner-model.bin", "ner-model", ".bin")];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(sorot_app)");
    println!("cargo::rustc-check-cfg=cfg(sorot_teach)");
    println!("cargo::rerun-if-env-changed=SOROT_APP_DIST");
    let Some(dist) = std::env::var_os("SOROT_APP_DIST").filter(|d| !d.is_empty()) else { return };
    let dist = PathBuf::from(dist);
    println!("cargo::rerun-if-changed={}", dist.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    copy(&dist, &ASSETS, &out);
    println!("cargo::rustc-cfg=sorot_app");
    let teach = dist.join("teach");
    if teach.is_dir() {
        copy(&teach, &TEACH_ASSETS, &out);
        copy(&dist, &MODEL, &out);
        println!("cargo::rustc-cfg=sorot_teach");
    }
}

/// Copies each of `assets` from `dir` into `out` under its name there.
fn copy(dir: &Path, assets: &[(&str, &str, &str)], out: &Path) {
    for &(name, prefix, suffix) in assets {
        let source = find(dir, prefix, suffix);
        println!("cargo::rerun-if-changed={}", source.display());
        std::fs::copy(&source, out.join(name))
            .unwrap_or_else(|e| panic!("SOROT_APP_DIST: cannot copy {}: {e}", source.display()));
    }
}

/// The one file of `dist` named `<prefix>…<suffix>`; the build stops if there is none or several.
fn find(dist: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let entries = std::fs::read_dir(dist).unwrap_or_else(|e| {
        panic!(
            "SOROT_APP_DIST={}: cannot read the folder ({e}); build the app into it with trunk first",
            dist.display()
        )
    });
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(prefix) && name.ends_with(suffix)
        })
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => one.clone(),
        [] => panic!(
            "SOROT_APP_DIST={}: no {prefix}*{suffix}; is it a trunk release output folder?",
            dist.display()
        ),
        many => panic!("SOROT_APP_DIST={}: several {prefix}*{suffix} files: {many:?}", dist.display()),
    }
}
