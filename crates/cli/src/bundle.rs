//! The explorer as one HTML file: the app's script, wasm, stylesheet and icon and a corpus pack, all
//! inlined, so the page works opened from disk (`file://`) with no network.
//!
//! A module script inlined in the page may run from `file://` where a `src` one may not; the wasm and
//! the pack travel as base64 text in inert `<script type="application/octet-stream">` elements and are
//! decoded in the page, so opening it makes no request at all. The app reads the pack from
//! `globalThis.__SOROT_PACK__` (see `src/loader.rs`), which is set before the wasm starts.
//!
//! With the teaching build (teaching mode, `teach.html` when served) the page carries both apps, each
//! with its own module script, and starts one: the teaching one when the file is opened with
//! `?explain=1` (or `explain=1` in the hash). Its switch is a link to the file with or without that
//! query, so the file loads again and starts the other. The teaching wasm and the recogniser's model
//! are gzipped (the browser's `DecompressionStream` unpacks them), which keeps the file near half the
//! size it would have with them as they are.

/// The files of a release build of the app, as trunk writes them.
pub struct AppAssets<'a> {
    /// wasm-bindgen's ES module (`--target web`), whose default export instantiates the wasm.
    pub js: &'a str,
    /// The app's WebAssembly.
    pub wasm: &'a [u8],
    /// The stylesheet.
    pub css: &'a str,
    /// The SVG icon.
    pub icon: &'a [u8],
    /// The teaching build, if the binary has it.
    pub teach: Option<TeachAssets<'a>>,
}

/// The teaching build's files (the `teach` feature of the app).
#[derive(Clone, Copy)]
pub struct TeachAssets<'a> {
    /// Its wasm-bindgen ES module.
    pub js: &'a str,
    /// Its WebAssembly.
    pub wasm: &'a [u8],
    /// Its own stylesheet (it uses the app's too).
    pub css: &'a str,
    /// The recogniser's model, which it reads to explain an article's entities.
    pub model: &'a [u8],
}

/// The app this binary was built with (`SOROT_APP_DIST`, see `build.rs`), if any.
#[cfg(sorot_app)]
pub fn embedded_app() -> Option<AppAssets<'static>> {
    Some(AppAssets {
        js: include_str!(concat!(env!("OUT_DIR"), "/app.js")),
        wasm: include_bytes!(concat!(env!("OUT_DIR"), "/app.wasm")),
        css: include_str!(concat!(env!("OUT_DIR"), "/style.css")),
        icon: include_bytes!(concat!(env!("OUT_DIR"), "/icon.svg")),
        teach: embedded_teaching(),
    })
}

#[cfg(all(sorot_app, sorot_teach))]
fn embedded_teaching() -> Option<TeachAssets<'static>> {
    Some(TeachAssets {
        js: include_str!(concat!(env!("OUT_DIR"), "/teach.js")),
        wasm: include_bytes!(concat!(env!("OUT_DIR"), "/teach.wasm")),
        css: include_str!(concat!(env!("OUT_DIR"), "/teach.css")),
        model: include_bytes!(concat!(env!("OUT_DIR"), "/ner-model.bin")),
    })
}

#[cfg(all(sorot_app, not(sorot_teach)))]
fn embedded_teaching() -> Option<TeachAssets<'static>> {
    None
}

/// The app this binary was built with (`SOROT_APP_DIST`, see `build.rs`), if any.
#[cfg(not(sorot_app))]
pub fn embedded_app() -> Option<AppAssets<'static>> {
    None
}

/// What to say when this binary carries no app.
pub const NO_APP: &str = "this sorot binary was built without the explorer app, so it cannot bundle; \
     build one that has it with `bash scripts/build-cli.sh` (it prints where the binary is)";

/// The single HTML page: `app` running on `pack`. Fails only if the app's script is not the shape
/// wasm-bindgen writes (no default export, or imports of other files).
pub fn single_file(app: &AppAssets, pack: &[u8]) -> Result<String, String> {
    let init = start_function(app.js, "app")?;
    let (head, tail) = page_frame(INDEX_HTML)?;
    let mut html =
        String::with_capacity(app.js.len() + app.css.len() + (app.wasm.len() + pack.len()) * 4 / 3 + 4096);
    html.push_str(head);
    html.push_str("    <link rel=\"icon\" href=\"data:image/svg+xml;base64,");
    html.push_str(&base64(app.icon));
    html.push_str("\" />\n    <style>\n");
    html.push_str(&style_safe(app.css));
    if let Some(teach) = &app.teach {
        html.push('\n');
        html.push_str(&style_safe(teach.css));
    }
    html.push_str("\n    </style>\n");
    inert(&mut html, "sorot-wasm", &base64(app.wasm));
    inert(&mut html, "sorot-pack", &base64(pack));
    let teach = match &app.teach {
        Some(teach) => {
            inert(&mut html, "sorot-teach-wasm", &base64(&gzip(teach.wasm)?));
            inert(&mut html, "sorot-ner-model", &base64(&gzip(teach.model)?));
            Some((teach, start_function(teach.js, "teaching app")?))
        }
        None => None,
    };
    html.push_str("    <script type=\"module\">\n");
    html.push_str(&script_safe(app.js));
    html.push_str("\n;{\n");
    html.push_str(BYTES);
    html.push_str(if teach.is_some() { CHOOSE } else { "  globalThis.__sorotStart = 'app';\n" });
    html.push_str("  globalThis.__SOROT_PACK__ = bytes('sorot-pack');\n");
    html.push_str("  if (globalThis.__sorotStart === 'app') {\n");
    html.push_str(&format!("    await {init}({{ module_or_path: bytes('sorot-wasm') }});\n"));
    html.push_str("  } else {\n    document.getElementById('sorot-wasm').remove();\n  }\n}\n    </script>\n");
    if let Some((teach, init)) = teach {
        html.push_str("    <script type=\"module\">\n");
        html.push_str(&script_safe(teach.js));
        html.push_str("\n;{\n");
        html.push_str(BYTES);
        html.push_str(&START_TEACHING.replace("INIT", init));
        html.push_str("}\n    </script>\n");
    }
    html.push_str(tail);
    Ok(html)
}

/// The name of the function that starts `js`'s wasm (its default export), after checking that the
/// script stands alone.
fn start_function<'a>(js: &'a str, what: &str) -> Result<&'a str, String> {
    let init = default_export(js).ok_or(format!(
        "the {what}'s script has no default export (`export {{ … as default }}`) to start the wasm"
    ))?;
    let imports = |l: &str| {
        l.trim_start().strip_prefix("import").is_some_and(|rest| rest.starts_with([' ', '{', '*', '"', '\'']))
    };
    if let Some(line) = js.lines().find(|l| imports(l)) {
        return Err(format!("the {what}'s script imports another file, which one page cannot carry: {line}"));
    }
    Ok(init)
}

/// Appends an inert element holding `text` (base64) with the id `id`.
fn inert(html: &mut String, id: &str, text: &str) {
    html.push_str(&format!("    <script type=\"application/octet-stream\" id=\"{id}\">"));
    html.push_str(text);
    html.push_str("</script>\n");
}

/// `bytes` gzipped (best compression).
fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).and_then(|()| encoder.finish()).map_err(|e| format!("cannot gzip: {e}"))
}

/// The served page, whose head (up to its first `<link>`: charset, viewport, description, title,
/// theme) and body the single file takes as they are.
const INDEX_HTML: &str = include_str!("../../../index.html");

/// The page around the inlined files: `index`'s lines before its first `<link`, and from its
/// `</head>` to the end.
fn page_frame(index: &str) -> Result<(&str, &str), String> {
    let line_start = |at: usize| index[..at].rfind('\n').map_or(0, |n| n + 1);
    let head = index.find("<link").map(line_start).ok_or("index.html has no <link> in its head")?;
    let tail = index.find("</head>").map(line_start).ok_or("index.html has no </head>")?;
    Ok((&index[..head], &index[tail..]))
}

/// Decodes an inert base64 element (and drops it, to free its text). Inside a block, so its names
/// cannot meet wasm-bindgen's.
const BYTES: &str = r#"  const bytes = (id) => {
    const element = document.getElementById(id);
    const text = element.textContent;
    element.remove();
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  };
"#;

/// Which app starts (`globalThis.__sorotStart`): the teaching one when the file's query or hash says
/// `explain=1`, when the file opens or when such a hash is entered later. In teaching mode the query
/// says it, whatever the hash becomes, and the teaching app's switch back is the file without its
/// query. Runs first, in the app's script.
const CHOOSE: &str = r#"  globalThis.__SOROT_TEACH__ = true;
  const said = (text) => /(^|[?#&])explain=1(&|$)/.test(text);
  if (said(location.search) || said(location.hash)) {
    globalThis.__sorotStart = 'teach';
    if (!said(location.search)) history.replaceState(history.state, '', `?explain=1${location.hash}`);
  } else {
    globalThis.__sorotStart = 'app';
    // Such a hash entered later: the file again with the query (before the app's own popstate).
    addEventListener('popstate', () => said(location.hash) && location.replace(`?explain=1${location.hash}`));
  }
"#;

/// Starts the teaching app (`INIT`, its default export) if it was chosen, once its wasm and the model
/// are unpacked; else drops them. A browser that cannot unpack them is told so, with the way back.
const START_TEACHING: &str = r#"  if (globalThis.__sorotStart === 'teach') {
    const gunzip = async (bytes) => {
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    };
    let wasm;
    try {
      wasm = await gunzip(bytes('sorot-teach-wasm'));
      globalThis.__SOROT_NER_MODEL__ = await gunzip(bytes('sorot-ner-model'));
    } catch (error) {
      const note = document.createElement('p');
      note.setAttribute('role', 'alert');
      note.textContent = `Teaching mode cannot start in this browser (${error}). / Mode mengajar tidak dapat berjalan di peramban ini. `;
      const back = document.createElement('a');
      back.href = location.pathname + location.hash;
      back.textContent = 'Sorot';
      note.append(back);
      document.body.append(note);
    }
    if (wasm) await INIT({ module_or_path: wasm });
  } else {
    document.getElementById('sorot-teach-wasm').remove();
    document.getElementById('sorot-ner-model').remove();
  }
"#;

/// The local name wasm-bindgen exports as default, from `export { initSync, __wbg_init as default };`
/// (or, minified, `export{a as default,b as initSync};`).
fn default_export(js: &str) -> Option<&str> {
    js.match_indices("export").find_map(|(at, _)| {
        let list = js[at + "export".len()..].trim_start().strip_prefix('{')?;
        let list = &list[..list.find('}')?];
        list.split(',').find_map(|item| {
            let name = item.trim().strip_suffix(" as default")?.trim();
            let ident = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            ident.then_some(name)
        })
    })
}

/// `js` made safe as the content of a `<script>` element: a `<` that starts `</script` or `<!--`
/// (which would end the element or change how the HTML parser reads it) becomes `\x3C`, the same
/// character inside JavaScript strings, template literals and regular expressions.
fn script_safe(js: &str) -> String {
    escape_lt(js, &["</script", "<!--"], "\\x3C")
}

/// `css` made safe as the content of a `<style>` element: `</style` becomes `\3C /style`.
fn style_safe(css: &str) -> String {
    escape_lt(css, &["</style"], "\\3C ")
}

/// `text` with the `<` of every (ASCII case-insensitive) occurrence of one of `patterns` replaced.
fn escape_lt(text: &str, patterns: &[&str], replacement: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let hit = patterns
            .iter()
            .any(|p| tail.len() >= p.len() && tail.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()));
        out.push_str(if hit { replacement } else { "<" });
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Standard base64 (RFC 4648, with padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const JS: &str = "let s = \"</script><script>alert(1)</SCRIPT>\";\n// <!-- not a comment here\n\
                      async function __wbg_init(m) {}\nexport { initSync, __wbg_init as default };\n";

    fn app(js: &str) -> AppAssets<'_> {
        AppAssets {
            js,
            wasm: b"\0asm\x01\0\0\0",
            css: "body::after { content: \"</STYLE><p>x\"; }",
            icon: b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            teach: None,
        }
    }

    const TEACH_JS: &str =
        "let t = '</script>';\nasync function teachInit(m) {}\nexport { teachInit as default };\n";

    fn teaching(app: AppAssets<'static>) -> AppAssets<'static> {
        AppAssets {
            teach: Some(TeachAssets {
                js: TEACH_JS,
                wasm: b"\0asm\x01\0\0\0teaching",
                css: ".teach-panel { color: red }",
                model: b"SOROTNER model bytes, model bytes, model bytes",
            }),
            ..app
        }
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
        out
    }

    /// The text of the element whose start tag ends with `open` (the first one).
    fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
        let start = html.find(open).expect("element present") + open.len();
        &html[start..start + html[start..].find(close).expect("element closed")]
    }

    fn unbase64(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let digits: Vec<u32> = text
            .bytes()
            .filter(|&b| b != b'=')
            .map(|b| ALPHABET.iter().position(|&a| a == b).expect("base64 digit") as u32)
            .collect();
        let mut out = Vec::new();
        for group in digits.chunks(4) {
            let n = group.iter().enumerate().fold(0u32, |n, (i, &d)| n | (d << (18 - 6 * i)));
            out.extend_from_slice(&n.to_be_bytes()[1..group.len()]);
        }
        out
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        struct Case {
            input: &'static str,
            expected: &'static str,
        }
        let cases = [
            Case { input: "", expected: "" },
            Case { input: "f", expected: "Zg==" },
            Case { input: "fo", expected: "Zm8=" },
            Case { input: "foo", expected: "Zm9v" },
            Case { input: "foob", expected: "Zm9vYg==" },
            Case { input: "fooba", expected: "Zm9vYmE=" },
            Case { input: "foobar", expected: "Zm9vYmFy" },
        ];
        for case in cases {
            assert_eq!(base64(case.input.as_bytes()), case.expected, "{:?}", case.input);
        }
    }

    #[test]
    fn base64_round_trips_every_byte_and_length() {
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..all.len() {
            assert_eq!(unbase64(&base64(&all[..len])), &all[..len], "length {len}");
        }
    }

    #[test]
    fn inlined_script_and_style_cannot_end_their_element() {
        let html = single_file(&app(JS), b"pack").unwrap();
        let lower = html.to_ascii_lowercase();
        // Only the three script elements of the page close, and the one style element.
        assert_eq!(lower.matches("</script").count(), 3, "{html}");
        assert_eq!(lower.matches("</style").count(), 1, "{html}");
        assert!(!html.contains("<!--"), "{html}");
        let script = element(&html, "<script type=\"module\">\n", "</script>");
        assert!(script.contains(r#"let s = "\x3C/script><script>alert(1)\x3C/SCRIPT>";"#), "{script}");
        assert!(script.contains(r"// \x3C!-- not a comment here"), "{script}");
        let style = element(&html, "<style>\n", "</style>");
        assert!(style.contains(r#"content: "\3C /STYLE><p>x""#), "{style}");
    }

    #[test]
    fn pack_wasm_and_icon_round_trip() {
        let pack: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
        let app = app(JS);
        let html = single_file(&app, &pack).unwrap();
        let inert = |id: &str| {
            unbase64(element(
                &html,
                &format!("<script type=\"application/octet-stream\" id=\"{id}\">"),
                "</script>",
            ))
        };
        assert_eq!(inert("sorot-pack"), pack);
        assert_eq!(inert("sorot-wasm"), app.wasm);
        assert_eq!(unbase64(element(&html, "href=\"data:image/svg+xml;base64,", "\"")), app.icon);
        // The pack is set before the wasm starts, through wasm-bindgen's default export.
        let script = element(&html, "<script type=\"module\">\n", "</script>");
        let set = script.find("globalThis.__SOROT_PACK__ = bytes('sorot-pack');").expect("pack set");
        let start =
            script.find("await __wbg_init({ module_or_path: bytes('sorot-wasm') });").expect("wasm started");
        assert!(set < start);
    }

    #[test]
    fn the_teaching_build_rides_along_gzipped_and_starts_only_when_chosen() {
        let assets = teaching(app(JS));
        let html = single_file(&assets, b"pack").unwrap();
        let lower = html.to_ascii_lowercase();
        // Four inert elements and two module scripts; the teaching script's own `</script>` escaped.
        assert_eq!(lower.matches("</script").count(), 6, "{html}");
        let inert = |id: &str| {
            unbase64(element(
                &html,
                &format!("<script type=\"application/octet-stream\" id=\"{id}\">"),
                "</script>",
            ))
        };
        let teach = assets.teach.as_ref().unwrap();
        assert_eq!(gunzip(&inert("sorot-teach-wasm")), teach.wasm);
        assert_eq!(gunzip(&inert("sorot-ner-model")), teach.model);
        assert_eq!(inert("sorot-wasm"), assets.wasm);
        assert!(element(&html, "<style>\n", "</style>").contains(teach.css));
        // The app's script chooses, then starts the app only if chosen; the teaching script starts
        // its own wasm with its own default export, only if chosen.
        let scripts: Vec<&str> = html
            .match_indices("<script type=\"module\">\n")
            .map(|(at, open)| {
                let start = at + open.len();
                &html[start..start + html[start..].find("</script>").unwrap()]
            })
            .collect();
        assert_eq!(scripts.len(), 2);
        let chosen = scripts[0].find("globalThis.__sorotStart = 'teach'").expect("chooses");
        let app_start =
            scripts[0].find("if (globalThis.__sorotStart === 'app') {\n    await __wbg_init(").unwrap();
        assert!(chosen < app_start);
        assert!(scripts[0].contains("globalThis.__SOROT_TEACH__ = true;"));
        assert!(scripts[1].starts_with("let t = '\\x3C/script>';"), "{}", scripts[1]);
        assert!(scripts[1].contains("if (globalThis.__sorotStart === 'teach') {"));
        assert!(scripts[1].contains("if (wasm) await teachInit({ module_or_path: wasm });"));
        assert!(!scripts[1].contains("__wbg_init"));
        // Without the teaching build the app always starts, and nothing mentions teaching mode.
        let plain = single_file(&app(JS), b"pack").unwrap();
        assert!(!plain.contains("explain") && !plain.contains("__SOROT_TEACH__"));
        assert!(plain.contains("globalThis.__sorotStart = 'app';"));
        let broken = AppAssets {
            teach: Some(TeachAssets { js: "export { x };", ..*assets.teach.as_ref().unwrap() }),
            ..app(JS)
        };
        assert!(single_file(&broken, b"")
            .unwrap_err()
            .contains("the teaching app's script has no default export"));
    }

    #[test]
    fn the_page_has_the_served_pages_head_and_body() {
        let html = single_file(&app(JS), b"pack").unwrap();
        let head = &INDEX_HTML[..INDEX_HTML.find("</head>").unwrap()];
        // Every meta and the title of index.html, in its order; none of trunk's links.
        let tags: Vec<&str> = head
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("<meta") || l.starts_with("<title"))
            .collect();
        assert!(tags.len() >= 5, "{tags:?}");
        let mut at = 0;
        for tag in &tags {
            at += html[at..].find(tag).unwrap_or_else(|| panic!("{tag} missing or out of order"));
        }
        assert!(!html.contains("data-trunk"));
        assert!(html.starts_with("<!doctype html>\n<html lang=\"id\">\n  <head>\n"));
        let body = &INDEX_HTML[INDEX_HTML.find("<body>").unwrap()..];
        assert!(html.ends_with(body), "the body of index.html closes the page");
        assert!(page_frame("<html><head></head></html>").unwrap_err().contains("no <link>"));
    }

    #[test]
    fn scripts_wasm_bindgen_did_not_write_are_refused() {
        let no_default = "function f() {}\nexport { f };\n";
        assert!(single_file(&app(no_default), b"").unwrap_err().contains("no default export"));
        let imports = "import { x } from './snippets/a.js';\nexport { f as default };\n";
        assert!(single_file(&app(imports), b"").unwrap_err().contains("./snippets/a.js"));
        let minified = "import{x}from\"./snippets/a.js\";export{f as default};";
        assert!(single_file(&app(minified), b"").unwrap_err().contains("./snippets/a.js"));
        assert_eq!(default_export("export {initSync,__wbg_init as default};"), Some("__wbg_init"));
        assert_eq!(default_export("let e;export{Ln as default,Xn as initSync};"), Some("Ln"));
        assert_eq!(default_export("export { a as default2 };"), None);
    }
}
