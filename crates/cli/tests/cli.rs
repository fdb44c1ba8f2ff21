//! The `sorot` binary end to end: packing, searching (JSON and text) and its error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn sorot(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sorot")).args(args).output().expect("the sorot binary runs")
}

fn seeds() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds").display().to_string()
}

/// A fresh scratch folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn pack_then_search_json() {
    let dir = scratch("pack_then_search_json");
    let pack = dir.join("seed.pack").display().to_string();
    let out = sorot(&["pack", &seeds(), "-o", &pack]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 article packed"), "{}", stderr(&out));

    let out = sorot(&["search", &pack, "rusuh", "--json", "--full"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("search prints JSON");
    assert_eq!(json["query"], "rusuh");
    assert_eq!(json["total"], 1);
    let hit = &json["hits"][0];
    assert_eq!(hit["id"], "000_ce9894c18006a3a8");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit["terms"]["rusuh"].as_f64().unwrap() > 0.0);
    let snippet = hit["snippet"]["text"].as_str().unwrap();
    for h in hit["snippet"]["highlights"].as_array().unwrap() {
        let (start, end) = (h["start"].as_u64().unwrap() as usize, h["end"].as_u64().unwrap() as usize);
        assert_eq!(&snippet[start..end], h["text"].as_str().unwrap());
        assert_eq!(h["text"], "kerusuhan");
    }
    let highlights = hit["highlights"].as_array().unwrap();
    assert_eq!(highlights.len(), 6);
    assert!(highlights.iter().all(|h| h["text"] == "kerusuhan"));
}

#[test]
fn search_warns_about_a_malformed_query() {
    let out = sorot(&["search", &seeds(), "putin \"revolusi warna", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = &json["warnings"][0];
    assert_eq!(warning["start"], 6);
    assert!(warning["message"].as_str().unwrap().contains("quote"));
    assert_eq!(json["total"], 1);
}

#[test]
fn explain_shows_the_roots_and_a_breakdown_that_adds_up() {
    let out = sorot(&["explain", &seeds(), "Kerusuhan kazakstan", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("explain prints JSON");
    let word = &json["query"]["groups"][0][0]["words"][0];
    assert_eq!((&word["typed"], &word["normalized"]), (&Value::from("Kerusuhan"), &Value::from("kerusuhan")));
    let rusuh = word["roots"].as_array().unwrap().iter().find(|r| r["root"] == "rusuh").expect("root rusuh");
    let steps: Vec<&str> =
        rusuh["steps"].as_array().unwrap().iter().map(|s| s["affix"].as_str().unwrap()).collect();
    assert_eq!(steps, ["-an", "ke-"]);
    let typo = &json["query"]["groups"][1][0]["searched"][0];
    assert_eq!(
        (&typo["term"], &typo["kind"], &typo["distance"]),
        (&Value::from("kazakhstan"), &Value::from("typo"), &Value::from(1))
    );
    let hit = &json["hits"][0];
    assert_eq!(hit["id"], "000_ce9894c18006a3a8");
    let sum: f64 = hit["clauses"].as_array().unwrap().iter().map(|c| c["score"].as_f64().unwrap()).sum();
    let score = hit["score"].as_f64().unwrap();
    assert!((sum * hit["title_factor"].as_f64().unwrap() - score).abs() < 1e-4 * score, "{hit}");
    // The same score as the search ranked by.
    let search: Value =
        serde_json::from_slice(&sorot(&["search", &seeds(), "Kerusuhan kazakstan", "--json"]).stdout)
            .unwrap();
    assert_eq!(search["hits"][0]["score"], hit["score"]);

    let out = sorot(&["explain", &seeds(), "kerusuhan"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("root \"rusuh\" [id]: suffix -an → kerusuh, prefix ke- → rusuh"), "{text}");
    assert!(text.contains("#1 "), "{text}");
    let out = sorot(&["explain", &seeds(), "kerusuhan", "--doc", "nope"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no article \"nope\""), "{}", stderr(&out));
}

#[test]
fn entities_explain_shows_the_tags_and_features_of_each_mention() {
    let seed = Path::new(&seeds()).join("000_ce9894c18006a3a8.txt").display().to_string();
    let out = sorot(&["entities", &seed, "--explain", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["tagger"], "model");
    let putin =
        json["mentions"].as_array().unwrap().iter().find(|m| m["text"] == "Vladimir Putin").expect("Putin");
    let (s, from) = (
        putin["place"]["sentence"].as_u64().unwrap() as usize,
        putin["place"]["tokens"][0].as_u64().unwrap() as usize,
    );
    let token = &json["sentences"][s]["tokens"][from];
    assert_eq!((&token["text"], &token["tag"]), (&Value::from("Vladimir"), &Value::from("B-PER")));
    assert!(!token["for_tag"].as_array().unwrap().is_empty());
    let bare =
        json["mentions"].as_array().unwrap().iter().find(|m| m["text"] == "Putin").expect("bare Putin");
    assert_eq!(
        (&bare["entity"], &bare["merge"]["rule"]),
        (&Value::from("Vladimir Putin"), &Value::from("part_of"))
    );
    // The plain list is as before, and the readable explanation names the tags.
    let plain = sorot(&["entities", &seed]);
    let text = String::from_utf8_lossy(&sorot(&["entities", &seed, "--explain"]).stdout).into_owned();
    let first = String::from_utf8_lossy(&plain.stdout).lines().next().unwrap_or("").to_string();
    assert!(first.contains("PER") || first.contains("LOC") || first.contains("ORG"), "{first}");
    assert!(text.contains("Putin I-PER (runner-up"), "{text}");
}

#[test]
fn readable_view_marks_hits() {
    let out = sorot(&["search", &seeds(), "tokayev"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 article matches \"tokayev\""), "{text}");
    assert!(text.contains("Jomart-[Tokayev]"), "{text}");
}

#[test]
fn json_and_jsonl_inputs() {
    let dir = scratch("json_and_jsonl_inputs");
    std::fs::write(dir.join("a.jsonl"), "{\"id\":\"x\",\"title\":\"Banjir di Jakarta\",\"body\":\"Banjir melanda Jakarta.\",\"lang\":\"id\"}\n").unwrap();
    std::fs::write(
        dir.join("b.json"),
        "[{\"id\":\"y\",\"body\":\"Floods hit the capital.\",\"lang\":\"en\"}]",
    )
    .unwrap();
    let out = sorot(&["search", &dir.display().to_string(), "banjir OR flooding", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> =
        json["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["x", "y"]);
}

#[test]
fn errors_name_the_file_and_line() {
    let dir = scratch("errors_name_the_file_and_line");
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":\"a\",\"body\":\"ok\",\"lang\":\"id\"}\n{\"id\":\"b\"}\n").unwrap();
    // Strict: the first problem stops the pack, and nothing is written.
    let strict = dir.join("strict.pack");
    let out = sorot(&["pack", &bad.display().to_string(), "-o", &strict.display().to_string(), "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.jsonl:2: missing field `body`"), "{}", stderr(&out));
    assert!(!strict.exists());
    // Lenient (the default): the good article is packed, the bad one named, and the status says so.
    let lenient = dir.join("lenient.pack");
    let out = sorot(&["pack", &bad.display().to_string(), "-o", &lenient.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 article packed; 1 skipped"), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.jsonl:2: missing field `body` (skipped)"), "{}", stderr(&out));
    let out = sorot(&["list", &lenient.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<&str> =
        std::str::from_utf8(&out.stdout).unwrap().lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids, ["a"]);
    // The same for a split pack, which is packed as the files are read: strict leaves no folder,
    // lenient packs the good article and says what it left out.
    let split = dir.join("split");
    let out =
        sorot(&["pack", &bad.display().to_string(), "--split", &split.display().to_string(), "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.jsonl:2: missing field `body`"), "{}", stderr(&out));
    assert!(!split.exists());
    let out = sorot(&["pack", &bad.display().to_string(), "--split", &split.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 article packed; 1 skipped"), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.jsonl:2: missing field `body` (skipped)"), "{}", stderr(&out));
    let out = sorot(&["list", &split.display().to_string()]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap())
            .collect::<Vec<_>>(),
        ["a"]
    );

    let corrupt = dir.join("corrupt.pack");
    let mut bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/000_ce9894c18006a3a8.txt"))
            .unwrap();
    let mut header = b"SOROTPAK".to_vec();
    header.extend_from_slice(&sorot_engine::PACK_VERSION.to_le_bytes());
    header.extend_from_slice(&[0, 0]);
    bytes.splice(0..0, header);
    std::fs::write(&corrupt, &bytes).unwrap();
    let out = sorot(&["search", &corrupt.display().to_string(), "putin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("corrupt.pack: pack is"), "{}", stderr(&out));

    let out = sorot(&["search", &seeds()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("takes a corpus and a query"));
}

#[test]
fn bundle_refuses_a_damaged_pack_and_writes_nothing() {
    let dir = scratch("bundle_refuses_a_damaged_pack");
    let pack = dir.join("seed.pack");
    let out = sorot(&["pack", &seeds(), "-o", &pack.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut bytes = std::fs::read(&pack).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&pack, &bytes).unwrap();
    let page = dir.join("page.html");
    let out = sorot(&["bundle", &pack.display().to_string(), "-o", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("seed.pack: pack is damaged (checksum mismatch)"), "{}", stderr(&out));
    assert!(!page.exists());

    let not_a_pack = dir.join("notes.pack");
    std::fs::write(&not_a_pack, "just some text").unwrap();
    let out = sorot(&["bundle", &not_a_pack.display().to_string(), "-o", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("notes.pack: not a Sorot pack"), "{}", stderr(&out));

    let out = sorot(&["bundle", &seeds()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing `-o <FILE>`"), "{}", stderr(&out));
}

/// With the app inside (`SOROT_APP_DIST`, see scripts/build-cli.sh) the page is written; without it
/// the command says how to get a binary that has it.
#[test]
fn bundle_writes_one_page_or_says_the_app_is_missing() {
    let dir = scratch("bundle_writes_one_page");
    let page = dir.join("seed.html");
    let out = sorot(&["bundle", &seeds(), "-o", &page.display().to_string()]);
    if out.status.success() {
        assert!(stderr(&out).contains("seed.html: 1 articles"), "{}", stderr(&out));
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains("<script type=\"application/octet-stream\" id=\"sorot-pack\">"));
        assert!(!html.contains(" src=") && !html.contains("href=\"/"), "the page refers to no other file");
    } else {
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("built without the explorer app"), "{}", stderr(&out));
        assert!(stderr(&out).contains("scripts/build-cli.sh"), "{}", stderr(&out));
        assert!(!page.exists());
    }
}

/// Issue #11: `sorot <command> --help` and `-h` print that command's usage and exit 0, and do nothing
/// else (no pack is written, no corpus read).
#[test]
fn every_command_has_its_own_help() {
    let commands = ["pack", "bundle", "search", "facets", "entities", "list", "train-ner", "eval-ner"];
    for command in commands {
        for flag in ["--help", "-h"] {
            // Arguments that would otherwise run the command (or fail) are ignored with --help.
            let out = sorot(&[command, "no-such-input", flag, "-o", "/nonexistent/x"]);
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{command} {flag}: {}", stderr(&out));
            assert!(said.starts_with(&format!("usage: sorot {command} ")), "{command} {flag}: {said}");
            assert!(said.contains("-h, --help"), "{command} {flag}: {said}");
            assert_eq!(stderr(&out), "", "{command} {flag}");
        }
        // `sorot help <command>` says the same.
        let help = sorot(&["help", command]);
        assert_eq!(help.stdout, sorot(&[command, "--help"]).stdout, "help {command}");
    }
    // A mistake names the option and shows the command's own usage, not the whole list.
    let out = sorot(&["search", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    assert!(said.starts_with("sorot: unknown option `--nope`"), "{said}");
    assert!(said.contains("usage: sorot search <CORPUS> <QUERY>"), "{said}");
    assert!(!said.contains("sorot pack <INPUT>"), "{said}");
}

#[test]
fn a_split_pack_searches_as_the_whole_pack_and_a_repack_rewrites_only_what_changed() {
    let dir = scratch("split_pack");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").display().to_string();
    let (pack, split) = (dir.join("all.pack").display().to_string(), dir.join("split").display().to_string());
    let out = sorot(&["pack", &seeds(), &fixtures, "-o", &pack]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Small pieces: an index of many chunks.
    let small = ["--piece-bytes", "64"];
    let out = sorot(&["pack", &seeds(), &fixtures, "--split", &split, small[0], small[1]]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 unchanged, 0 removed"), "{}", stderr(&out));
    let count = |prefix: &str| {
        std::fs::read_dir(&split)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(prefix))
            .count()
    };
    assert!(
        count("d-") > 1 && count("p-") > 1,
        "{} dictionary and {} postings chunks",
        count("d-"),
        count("p-")
    );
    assert!(Path::new(&split).join("entry.sorot").is_file());
    // Article files are packed as they are read (never all held); a pack is cut whole: the same
    // files either way.
    let from_pack = dir.join("from-pack").display().to_string();
    let out = sorot(&["pack", &pack, "--split", &from_pack, small[0], small[1]]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(names(&from_pack), names(&split));
    assert!(
        std::fs::read(format!("{from_pack}/entry.sorot")).unwrap()
            == std::fs::read(format!("{split}/entry.sorot")).unwrap()
    );
    for query in ["putin", "kaza", "\"unjuk rasa\"", "rusia -putin", "ekonomi", "tokaev"] {
        let whole = sorot(&["search", &pack, query, "--json", "--full", "--prefix"]);
        // The folder or its entry file.
        for opened in [split.clone(), format!("{split}/entry.sorot")] {
            let parts = sorot(&["search", &opened, query, "--json", "--full", "--prefix"]);
            assert!(parts.status.success(), "{}", stderr(&parts));
            assert_eq!(
                String::from_utf8_lossy(&parts.stdout),
                String::from_utf8_lossy(&whole.stdout),
                "{query}"
            );
            assert!(stderr(&parts).starts_with("read "), "{}", stderr(&parts));
        }
    }
    let list = |corpus: &str| sorot(&["list", corpus]).stdout;
    assert_eq!(list(&split), list(&pack));
    // The explanations too, from the pieces a query reads.
    for query in ["kerusuhan kazakhstan", "rusia OR belarus -putin", "\"unjuk rasa\" warga"] {
        let whole = sorot(&["explain", &pack, query, "--json", "--limit", "5"]);
        let parts = sorot(&["explain", &split, query, "--json", "--limit", "5"]);
        assert!(whole.status.success() && parts.status.success(), "{}", stderr(&parts));
        assert_eq!(String::from_utf8_lossy(&parts.stdout), String::from_utf8_lossy(&whole.stdout), "{query}");
    }
    // The same articles again: nothing to write. Without the seed: its pieces go, the rest stay.
    let out = sorot(&["pack", &seeds(), &fixtures, "--split", &split, small[0], small[1]]);
    assert!(stderr(&out).contains(" 0 written,"), "{}", stderr(&out));
    let out = sorot(&["pack", &fixtures, "--split", &split, small[0], small[1]]);
    let said = stderr(&out);
    assert!(said.contains(" removed") && !said.contains(" 0 removed"), "{said}");
    // A split pack packs back into the very whole pack of its articles, and into the same pieces.
    let (again, fixtures_pack) = (dir.join("again.pack"), dir.join("fixtures.pack"));
    let out = sorot(&["pack", &split, "-o", &again.display().to_string()]);
    assert!(out.status.success() && stderr(&out).contains("articles packed"), "{}", stderr(&out));
    let out = sorot(&["pack", &fixtures, "-o", &fixtures_pack.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&fixtures_pack).unwrap());
    let resplit = dir.join("resplit").display().to_string();
    let out = sorot(&["pack", &split, "--split", &resplit, small[0], small[1]]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(names(&resplit), names(&split));
}

/// `--keyed-chunks`: a split pack with more postings chunks than that has its dictionary chunks name
/// them, not its entry (which is then smaller); it searches as the whole pack and packs back into it.
#[test]
fn a_split_pack_whose_dictionary_names_its_postings_searches_as_the_whole_pack() {
    let dir = scratch("split_pack_named");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").display().to_string();
    let pack = dir.join("all.pack").display().to_string();
    assert!(sorot(&["pack", &seeds(), &fixtures, "-o", &pack]).status.success());
    let split = |name: &str, keyed: &str| {
        let out = dir.join(name).display().to_string();
        let made = sorot(&[
            "pack",
            &seeds(),
            &fixtures,
            "--split",
            &out,
            "--piece-bytes",
            "64",
            "--keyed-chunks",
            keyed,
        ]);
        assert!(made.status.success(), "{}", stderr(&made));
        out
    };
    let (keyed, named) = (split("keyed", "2048"), split("named", "2"));
    let entry = |d: &str| std::fs::read(format!("{d}/entry.sorot")).unwrap().len();
    assert!(entry(&named) < entry(&keyed), "entries of {} and {} bytes", entry(&named), entry(&keyed));
    // The same pieces but the dictionary chunks and the entry (no family chunks either).
    let pieces =
        |d: &str, kind: &str| names(d).into_iter().filter(|n| n.starts_with(kind)).collect::<Vec<_>>();
    assert_eq!(pieces(&named, "p-"), pieces(&keyed, "p-"));
    assert_ne!(pieces(&named, "d-"), pieces(&keyed, "d-"));
    assert!(pieces(&named, "s-").is_empty() && !pieces(&keyed, "s-").is_empty());
    for query in ["putin", "kaza", "\"unjuk rasa\"", "rusia -putin", "mengatakan", "kazakstan"] {
        let whole = sorot(&["search", &pack, query, "--json", "--full", "--prefix"]);
        let parts = sorot(&["search", &named, query, "--json", "--full", "--prefix"]);
        assert!(parts.status.success(), "{}", stderr(&parts));
        assert_eq!(String::from_utf8_lossy(&parts.stdout), String::from_utf8_lossy(&whole.stdout), "{query}");
    }
    let again = dir.join("again.pack");
    let out = sorot(&["pack", &named, "-o", &again.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&pack).unwrap());
}

/// The names of the files in folder `d`, sorted.
fn names(d: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn corrections_apply_when_packing_whole_or_split_and_what_cannot_apply_is_said() {
    let dir = scratch("corrections");
    let file = dir.join("corrections.json");
    std::fs::write(
        &file,
        r#"{"sorot_corrections": 1, "corrections": [
  {"op": "rename", "entity": {"type": "PER", "name": "Putin"}, "to": "Presiden Putin"},
  {"op": "merge", "entity": {"type": "LOC", "name": "Belarusia"}, "into": {"type": "LOC", "name": "Belarus"}},
  {"op": "rename", "entity": {"type": "ORG", "name": "Nobody"}, "to": "X"}
]}"#,
    )
    .unwrap();
    let file = file.display().to_string();
    let facets = |corpus: &str| {
        let out = sorot(&["facets", corpus, "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["facets"].as_array().unwrap().clone()
    };
    let pack = dir.join("seed.pack").display().to_string();
    let out = sorot(&["pack", &seeds(), "-o", &pack, "--corrections", &file]);
    // Written, with the one that could not apply said, and exit status 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "1 correction could not apply (the others did):\n  correction 3: no organisation named “Nobody”"
        ),
        "{}",
        stderr(&out)
    );
    let corrected = facets(&pack);
    let putin = corrected.iter().find(|f| f["entity"] == "Presiden Putin").expect("renamed");
    assert!(putin["aliases"].as_array().unwrap().iter().any(|a| a == "Vladimir Putin"));
    let belarus = corrected.iter().find(|f| f["entity"] == "Belarus").expect("kept");
    assert!(belarus["aliases"].as_array().unwrap().iter().any(|a| a == "Belarusia"));
    assert!(!corrected.iter().any(|f| f["entity"] == "Belarusia" || f["entity"] == "Vladimir Putin"));
    assert_eq!(corrected.len() + 1, facets(&seeds()).len());

    // The split pack has the same entities.
    let split = dir.join("split").display().to_string();
    let out = sorot(&["pack", &seeds(), "--split", &split, "--corrections", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(facets(&format!("{split}/entry.sorot")), corrected);

    // A broken file writes nothing and says where; a pack's entities are not corrected.
    std::fs::write(
        dir.join("broken.json"),
        "{\"sorot_corrections\": 1, \"corrections\": [\n  {\"op\": \"rename\"}\n]}",
    )
    .unwrap();
    let broken = dir.join("broken.json").display().to_string();
    let other = dir.join("other.pack").display().to_string();
    let out = sorot(&["pack", &seeds(), "-o", &other, "--corrections", &broken]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.json: correction 1: missing field `entity`"), "{}", stderr(&out));
    assert!(!Path::new(&other).exists());
    // A pack of the articles packed without corrections, corrected, is the pack made with them.
    let plain = dir.join("plain.pack").display().to_string();
    assert!(sorot(&["pack", &seeds(), "-o", &plain]).status.success());
    let out = sorot(&["pack", &plain, "-o", &other, "--corrections", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("correction 3: no organisation named “Nobody”"), "{}", stderr(&out));
    assert!(std::fs::read(&other).unwrap() == std::fs::read(&pack).unwrap(), "the same pack either way");
    // So is a split pack of them, corrected (its pieces are all read).
    let plain_split = dir.join("plain-split").display().to_string();
    assert!(sorot(&["pack", &seeds(), "--split", &plain_split]).status.success());
    let out = sorot(&["pack", &format!("{plain_split}/entry.sorot"), "-o", &other, "--corrections", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        std::fs::read(&other).unwrap() == std::fs::read(&pack).unwrap(),
        "the same pack from the split one"
    );
}
