use super::*;

fn strict() -> ReadOptions {
    ReadOptions { strict: true, ..ReadOptions::default() }
}

fn lenient() -> ReadOptions {
    ReadOptions::default()
}

/// Reads `text` as the file `name` and returns the articles or the error's text.
fn read(name: &str, text: &str, options: &ReadOptions) -> Result<Loaded, String> {
    read_bytes(name, text.as_bytes(), options).map_err(|e| e.to_string())
}

fn problems(loaded: &Loaded) -> Vec<String> {
    loaded.problems.iter().map(ToString::to_string).collect()
}

/// A fresh folder for files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sorot-load-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn txt_with_sidecar() {
    let dir = folder("sidecar");
    fs::write(dir.join("x.txt"), "Putin tiba di Moskow pada Senin. Ia bicara.\n").unwrap();
    fs::write(dir.join("x.meta"), "source: AFP\nlang: id\ndate: 10 Januari 2022\n").unwrap();
    let a = read_path(&dir).unwrap().remove(0);
    assert_eq!(a.id, "x");
    assert_eq!(a.title, "Putin tiba di Moskow pada Senin");
    assert_eq!(a.source.as_deref(), Some("AFP"));
    assert_eq!(a.lang, "id");
    assert_eq!(a.date.as_deref(), Some("2022-01-10"));
    assert_eq!(a.body, "Putin tiba di Moskow pada Senin. Ia bicara.");
}

#[test]
fn markdown_front_matter_and_heading() {
    let md = "---\ndate: 2022-01-10\nsource: \"Kompas\"\n---\n# Kerusuhan di Almaty\n\nIsi berita.\n";
    let a = read("a.md", md, &strict()).unwrap().articles.remove(0);
    assert_eq!(a.title, "Kerusuhan di Almaty");
    assert_eq!(a.date.as_deref(), Some("2022-01-10"));
    assert_eq!(a.source.as_deref(), Some("Kompas"));
    assert_eq!(a.body, "Isi berita.");
}

#[test]
fn strict_reading_stops_at_the_first_problem_and_names_it() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str)] = &[
        ("unknown key", "a.md", "---\ntitle: A\nauthor: B\n---\nIsi.", "a.md:3: unknown field `author` (known: id, title, date, source, url, lang)"),
        ("not key value", "a.md", "---\njust words\n---\nIsi.", "a.md:2: expected `key: value`, found \"just words\""),
        ("unclosed", "a.md", "---\ntitle: A\nIsi.", "a.md:1: front matter starts with `---` but has no closing `---` line"),
        ("bad date", "a.md", "---\ndate: kemarin\n---\nIsi.", "a.md: date \"kemarin\": not a date Sorot can read (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019)"),
        ("empty", "a.md", "---\ntitle: A\n---\n", "a.md: the article has no text"),
        ("missing body", "c.jsonl", "{\"id\": \"a\"}\n{\"id\": \"b\"}", "c.jsonl:1: missing field `body`"),
        ("bad json line", "c.jsonl", "{\"body\": \"ok\", \"lang\": \"id\"}\n{oops}", "c.jsonl:2: key must be a string (column 2)"),
        ("array item", "c.json", "[{\"body\": 5}]", "c.json: article 1 of the array: field `body` is not text"),
        ("not an array", "c.json", "{\"body\": \"x\"}", "c.json:1: invalid type: map, expected a sequence"),
        ("bad date in json", "c.json", "[{\"body\": \"x\", \"date\": \"kemarin\"}]", "c.json: article 1 of the array: date \"kemarin\": not a date Sorot can read (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019)"),
        ("duplicate id", "c.jsonl", "{\"id\": \"a\", \"body\": \"x\"}\n{\"id\": \"a\", \"body\": \"y\"}", "c.jsonl:2: id \"a\" is already used by c.jsonl:1"),
        ("bad id", "c.jsonl", "{\"id\": \"a/b\", \"body\": \"x\"}", "c.jsonl:1: id \"a/b\" is not usable: use letters, digits, `-`, `_` or `.` (at most 200)"),
        ("no body column", "c.csv", "judul,tanggal\nA,2019-01-01\n", "c.csv:1: no column for the article text: the header has \"judul\", \"tanggal\"; name one `body`, or say which with --field body=COLUMN"),
    ];
    for (name, file, input, expected) in cases {
        let err = read(file, input, &strict()).err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(err, *expected, "case: {name}");
    }
}

#[test]
fn one_bad_record_never_sinks_the_archive() {
    let jsonl = [
        r#"{"id": "a", "title": "Satu", "body": "Isi satu.", "lang": "id", "date": "31 Juli 2019"}"#,
        r#"{"id": "b", "title": "Tanpa isi"}"#,
        r#"{oops"#,
        r#"{"id": "a", "body": "Id yang sama.", "lang": "id"}"#,
        r#"{"id": "c", "body": "Tanggal aneh.", "lang": "id", "date": "kemarin sore"}"#,
        r#"{"id": "d", "body": "Judul angka.", "title": 5, "lang": "id"}"#,
        r#"[1, 2]"#,
        r#"{"id": "e", "body": "Bahasa ditulis lengkap.", "lang": "Bahasa Indonesia"}"#,
    ]
    .join("\n");
    let loaded = read("feed.jsonl", &jsonl, &lenient()).unwrap();
    assert_eq!(loaded.articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "c", "d", "e"]);
    assert_eq!(loaded.articles[0].date.as_deref(), Some("2019-07-31"));
    assert_eq!(loaded.articles[1].date, None);
    assert_eq!(loaded.articles[2].title, "Judul angka");
    assert_eq!(loaded.articles[3].lang, "id");
    assert_eq!(
        problems(&loaded),
        [
            "feed.jsonl:2: missing field `body` (skipped)",
            "feed.jsonl:3: key must be a string (column 2) (skipped)",
            "feed.jsonl:4: id \"a\" is already used by feed.jsonl:1 (skipped)",
            "feed.jsonl:5: date \"kemarin sore\": not a date Sorot can read (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019) (kept without a date)",
            "feed.jsonl:6: field `title` is not text (ignored)",
            "feed.jsonl:7: an article must be a JSON object (skipped)",
        ]
    );
    assert_eq!((loaded.count(Effect::Skipped), loaded.count(Effect::DateDropped)), (4, 1));
    // Strict: the first of them is an error.
    assert_eq!(read("feed.jsonl", &jsonl, &strict()).unwrap_err(), "feed.jsonl:2: missing field `body`");
}

#[test]
fn lenient_reading_keeps_an_article_whose_front_matter_has_an_unknown_field() {
    let loaded = read("a.md", "---\ntitle: A\nauthor: B\n---\nIsi.", &lenient()).unwrap();
    assert_eq!(loaded.articles[0].title, "A");
    assert_eq!(
        problems(&loaded),
        ["a.md:3: unknown field `author` (known: id, title, date, source, url, lang) (ignored)"]
    );
    let loaded = read("b.md", "---\ntitle: A\nIsi.", &lenient()).unwrap();
    assert!(loaded.articles.is_empty());
    assert_eq!(
        problems(&loaded),
        ["b.md:1: front matter starts with `---` but has no closing `---` line (skipped)"]
    );
}

#[test]
fn json_and_jsonl() {
    let json = r#"[{"id": "a", "title": "Satu", "body": "Isi satu.", "lang": "id", "tags": ["x"]},
                   {"body": "Isi dua tanpa judul. Kalimat kedua.", "lang": "id"}]"#;
    let articles = read("c.json", json, &strict()).unwrap().articles;
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[1].id, "c-2");
    assert_eq!(articles[1].title, "Isi dua tanpa judul");
    let jsonl = "{\"id\": \"x\", \"body\": \"Satu.\", \"lang\": \"id\"}\n\n{\"id\": 7, \"body\": \"Dua.\", \"lang\": \"EN\"}\n";
    let articles = read("c.jsonl", jsonl, &strict()).unwrap().articles;
    assert_eq!(
        articles.iter().map(|a| (a.id.as_str(), a.lang.as_str())).collect::<Vec<_>>(),
        [("x", "id"), ("7", "en")]
    );
}

#[test]
fn other_names_for_fields_and_names_given_by_the_user() {
    let jsonl = r#"{"guid": "p1", "headline": "Judul", "content": "Isi berita.", "published_at": "2019-10-09T08:30:00+07:00", "publisher": "Tempo", "link": "https://x.id/1", "language": "id"}"#;
    let a = read("c.jsonl", jsonl, &strict()).unwrap().articles.remove(0);
    assert_eq!(
        (
            a.id.as_str(),
            a.title.as_str(),
            a.body.as_str(),
            a.date.as_deref(),
            a.source.as_deref(),
            a.url.as_deref()
        ),
        ("p1", "Judul", "Isi berita.", Some("2019-10-09T08:30+07:00"), Some("Tempo"), Some("https://x.id/1"))
    );
    // The field's own name wins over the others; a name the user gives wins over both.
    let both = r#"{"body": "Isi asli.", "content": "Ringkasan.", "isi_berita": "Isi lengkap."}"#;
    assert_eq!(read("c.jsonl", both, &strict()).unwrap().articles[0].body, "Isi asli.");
    let options = ReadOptions { fields: vec![(ArticleField::Body, "Isi Berita".into())], ..strict() };
    assert_eq!(read("c.jsonl", both, &options).unwrap().articles[0].body, "Isi lengkap.");
    assert_eq!(ArticleField::from_name("BODY"), Some(ArticleField::Body));
    assert_eq!(ArticleField::from_name("content"), None);
}

#[test]
fn dates_as_publishers_write_them_and_each_sources_own_order() {
    let jsonl = [
        r#"{"id": "k1", "body": "x", "source": "Kompas.com", "date": "14/09/2019"}"#,
        r#"{"id": "k2", "body": "x", "source": "Kompas.com", "date": "03/04/2019"}"#,
        r#"{"id": "u1", "body": "x", "source": "US Daily", "date": "09/14/2019", "lang": "en"}"#,
        r#"{"id": "u2", "body": "x", "source": "US Daily", "date": "03/04/2019", "lang": "en"}"#,
        r#"{"id": "n1", "body": "x", "source": "Nowhere", "date": "03/04/2019", "lang": "en"}"#,
        r#"{"id": "i1", "body": "x", "source": "Lokal", "date": "03/04/2019", "lang": "id"}"#,
        r#"{"id": "t1", "body": "x", "date": "10-Sep-19"}"#,
        r#"{"id": "t2", "body": "x", "date": "Senin, 10/01/2022 14:05 WIB"}"#,
        r#"{"id": "t3", "body": "x", "date": "2019-10-09 00:00:00"}"#,
    ]
    .join("\n");
    let loaded = read("d.jsonl", &jsonl, &lenient()).unwrap();
    let dates: Vec<(&str, Option<&str>)> =
        loaded.articles.iter().map(|a| (a.id.as_str(), a.date.as_deref())).collect();
    assert_eq!(
        dates,
        [
            ("k1", Some("2019-09-14")),
            ("k2", Some("2019-04-03")),
            ("u1", Some("2019-09-14")),
            ("u2", Some("2019-03-04")),
            ("n1", None),
            ("i1", Some("2019-04-03")),
            ("t1", Some("2019-09-10")),
            ("t2", Some("2022-01-10T14:05+07:00")),
            ("t3", Some("2019-10-09")),
        ]
    );
    assert_eq!(
        problems(&loaded),
        ["d.jsonl:5: date \"03/04/2019\": day and month could be either way round (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019) (kept without a date)"]
    );
}

#[test]
fn csv_as_cms_exports_and_spreadsheets_give_it() {
    // A BOM, `;` between cells, a quoted cell with line breaks and quotes, other names for fields.
    let csv = "\u{feff}ID;Headline;Content;Tanggal;Publisher\n\
               a1;Banjir di Jakarta;\"Paragraf satu.\nParagraf \"\"dua\"\".\";31 Juli 2019;Kompas\n\
               a2;Tanpa isi;;2019-08-01;Kompas\n\
               \n\
               a3;Gempa;Isi gempa.;kemarin;Tempo\n";
    let loaded = read("export.csv", csv, &lenient()).unwrap();
    let a = &loaded.articles[0];
    assert_eq!((a.id.as_str(), a.title.as_str()), ("a1", "Banjir di Jakarta"));
    assert_eq!(a.body, "Paragraf satu.\nParagraf \"dua\".");
    assert_eq!((a.date.as_deref(), a.source.as_deref()), (Some("2019-07-31"), Some("Kompas")));
    assert_eq!(loaded.articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a1", "a3"]);
    // Lines are those of the file, where each row starts.
    assert_eq!(
        problems(&loaded),
        [
            "export.csv:4: missing field `body` (skipped)",
            "export.csv:6: date \"kemarin\": not a date Sorot can read (write it as YYYY-MM-DD, or as news sites do: 31 Juli 2019) (kept without a date)",
        ]
    );
    // Commas, a column named by the user.
    let csv = "no,isi_berita,judul\n1,\"Satu, dua.\",A\n2,Tiga.,B\n";
    let options = ReadOptions { fields: vec![(ArticleField::Body, "isi_berita".into())], ..strict() };
    let articles = read("e.csv", csv, &options).unwrap().articles;
    assert_eq!(
        articles.iter().map(|a| (a.id.as_str(), a.body.as_str())).collect::<Vec<_>>(),
        [("e-1", "Satu, dua."), ("e-2", "Tiga.")]
    );
    // A quote that is never closed swallows the rest of the file: what came before is kept.
    let broken = "body,title\nIsi.,A\n\"Tanpa penutup,B\nIsi lagi.,C\n";
    let loaded = read("f.csv", broken, &lenient()).unwrap();
    assert_eq!(loaded.articles.len(), 2, "{:?}", problems(&loaded));
}

#[test]
fn html_bodies_become_text() {
    let jsonl = r#"{"id": "w1", "title": "Banjir &amp; longsor", "html": "<p>Satu &amp; dua.</p><script>alert(1)</script><p>Tiga<br>empat</p>"}"#;
    let a = read("wp.jsonl", jsonl, &strict()).unwrap().articles.remove(0);
    assert_eq!(a.body, "Satu & dua.\nTiga\nempat");
    // Without --html a title is taken as written; with it, bodies and titles are HTML.
    assert_eq!(a.title, "Banjir &amp; longsor");
    let jsonl = r#"{"id": "w2", "title": "Banjir &amp; longsor", "body": "<p>Isi <b>tebal</b>.</p><style>p{}</style>"}"#;
    let options = ReadOptions { html: true, ..strict() };
    let a = read("wp.jsonl", jsonl, &options).unwrap().articles.remove(0);
    assert_eq!((a.title.as_str(), a.body.as_str()), ("Banjir & longsor", "Isi tebal."));
    // An HTML body with no text left is an article without text.
    let empty = r#"{"id": "w3", "html": "<script>x</script>"}"#;
    assert_eq!(read("wp.jsonl", empty, &strict()).unwrap_err(), "wp.jsonl:1: the article has no text");
}

#[test]
fn broken_utf8_costs_only_its_record() {
    let mut bytes = b"{\"id\": \"a\", \"body\": \"Baik.\"}\n{\"id\": \"b\", \"body\": \"Ra".to_vec();
    bytes.extend(b"\xff\xfe");
    bytes.extend(b"sak.\"}\n{\"id\": \"c\", \"body\": \"Baik juga.\"}\n");
    let loaded = read_bytes("u.jsonl", &bytes, &lenient()).unwrap();
    assert_eq!(loaded.articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
    assert_eq!(
        problems(&loaded),
        ["u.jsonl:2: not UTF-8 text (first bad byte at offset 52); save it as UTF-8 (skipped)"]
    );
    let err = read_bytes("b.txt", b"Halo \xff dunia", &strict()).unwrap_err();
    assert_eq!(*err.kind(), LoadErrorKind::NotUtf8 { offset: 5 });
    assert!(err.to_string().starts_with("b.txt: not UTF-8"), "{err}");
}

#[test]
fn gzip_files_are_read_decompressed() {
    use std::io::Write;
    let dir = folder("gzip");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"id\": \"z\", \"body\": \"Isi terkompresi.\", \"lang\": \"id\"}\n").unwrap();
    fs::write(dir.join("feed.jsonl.gz"), gz.finish().unwrap()).unwrap();
    fs::write(dir.join("broken.csv.gz"), b"not gzip").unwrap();
    let loaded = read_corpus(&[dir.as_path()], &lenient(), &mut |_| {}).unwrap();
    assert_eq!(loaded.articles[0].body, "Isi terkompresi.");
    assert_eq!(loaded.problems.len(), 1);
    assert!(
        loaded.problems[0].to_string().contains("broken.csv.gz: not gzip data that decompresses"),
        "{}",
        loaded.problems[0]
    );
}

#[test]
fn named_paths_must_hold_articles() {
    let dir = folder("named");
    fs::write(dir.join("README"), "not an article").unwrap();
    let err = read_corpus(&[dir.as_path()], &lenient(), &mut |_| {}).unwrap_err();
    assert_eq!(*err.kind(), LoadErrorKind::NoArticles);
    let err = read_corpus(&[dir.join("README").as_path()], &lenient(), &mut |_| {}).unwrap_err();
    assert_eq!(*err.kind(), LoadErrorKind::UnsupportedFile);
    let err = read_corpus(&[dir.join("missing.jsonl").as_path()], &lenient(), &mut |_| {}).unwrap_err();
    assert!(matches!(err.kind(), LoadErrorKind::Io(_)));
    // Every record bad: the first problem is the error.
    fs::write(dir.join("bad.jsonl"), "{\"id\": \"x\"}\n").unwrap();
    let err = read_corpus(&[dir.join("bad.jsonl").as_path()], &lenient(), &mut |_| {}).unwrap_err();
    assert_eq!(*err.kind(), LoadErrorKind::MissingField("body"));
}

#[test]
fn progress_reaches_the_size_of_the_input() {
    let dir = folder("progress");
    let lines: String = (0..3000)
        .map(|i| format!("{{\"id\": \"a{i}\", \"body\": \"Isi {i}.\", \"lang\": \"id\"}}\n"))
        .collect();
    fs::write(dir.join("feed.jsonl"), &lines).unwrap();
    let mut seen = Vec::new();
    read_corpus(&[dir.as_path()], &lenient(), &mut |r| seen.push(*r)).unwrap();
    assert!(seen.len() >= 3, "progress along the way, not only at the end: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].bytes <= w[1].bytes && w[0].records <= w[1].records));
    let last = seen.last().unwrap();
    assert_eq!((last.bytes, last.total_bytes, last.records), (lines.len() as u64, lines.len() as u64, 3000));
}

/// A folder of every kind of file, with problems of every kind, dates that need their source's
/// order, and a gzip file cut off in the middle.
fn mixed_folder(name: &str) -> PathBuf {
    use std::io::Write;
    let dir = folder(name);
    let feed = [
        r#"{"id": "k1", "body": "Isi.", "source": "Kompas.com", "date": "14/09/2019"}"#,
        r#"{"id": "k2", "body": "Isi lagi.", "source": "Kompas.com", "date": "03/04/2019"}"#,
        r#"{"id": "b", "title": "Tanpa isi"}"#,
        r#"{oops"#,
        r#"{"id": "k1", "body": "Id yang sama.", "lang": "id"}"#,
        r#"{"id": "c", "body": "Tanggal aneh.", "lang": "id", "date": "kemarin sore"}"#,
    ]
    .join("\n");
    fs::write(dir.join("a-feed.jsonl"), feed).unwrap();
    let gzip = |prefix: &str| {
        let lines: String = (0..400)
            .map(|i| {
                format!("{{\"id\": \"{prefix}{i}\", \"body\": \"Isi terkompresi {i}.\", \"lang\": \"id\"}}\n")
            })
            .collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(lines.as_bytes()).unwrap();
        gz.finish().unwrap()
    };
    fs::write(dir.join("b-whole.jsonl.gz"), gzip("z")).unwrap();
    let cut = gzip("y");
    fs::write(dir.join("c-cut.jsonl.gz"), &cut[..cut.len() / 2]).unwrap();
    fs::write(dir.join("d-table.csv"), "id;judul;isi\nt1;Satu;\"Baris\nkedua\"\nt2;Dua;\n").unwrap();
    fs::write(dir.join("e-note.txt"), "Catatan pendek di sini.").unwrap();
    dir
}

#[test]
fn streaming_hands_on_the_articles_and_problems_read_corpus_gives() {
    let dir = mixed_folder("stream");
    let options = ReadOptions { fields: vec![(ArticleField::Title, "judul".into())], ..lenient() };
    let loaded = read_corpus(&[dir.as_path()], &options, &mut |_| {}).unwrap();
    let mut streamed = Vec::new();
    let mut readings = Vec::new();
    let problems =
        stream_corpus(&[dir.as_path()], &options, &mut |r| readings.push(*r), &mut |a| streamed.push(a))
            .unwrap();
    assert_eq!(streamed, loaded.articles);
    assert_eq!(problems, loaded.problems);
    // The first reading learnt Kompas's day-first dates; the second used them.
    assert_eq!(streamed[1].date.as_deref(), Some("2019-04-03"));
    assert!(readings.iter().any(|r| r.dates_only) && readings.iter().any(|r| !r.dates_only));
    // A gzip stream cut off keeps the lines before the cut, and says where it broke.
    let cut: Vec<&Problem> = problems.iter().filter(|p| p.error.path().ends_with("c-cut.jsonl.gz")).collect();
    assert_eq!(cut.len(), 1, "{cut:?}");
    let kept = streamed.iter().filter(|a| a.id.starts_with('y')).count();
    assert!(kept > 0 && kept < 400, "{kept} of the cut file's articles kept");
    assert_eq!(cut[0].error.line(), Some(kept + 1), "{}", cut[0]);
    assert!(cut[0].to_string().contains("not gzip data that decompresses"), "{}", cut[0]);
    assert_eq!(streamed.iter().filter(|a| a.id.starts_with('z')).count(), 400);
    // Strict: the same first problem, as the error.
    let strict = ReadOptions { strict: true, ..options.clone() };
    let whole = read_corpus(&[dir.as_path()], &strict, &mut |_| {}).unwrap_err();
    let stream = stream_corpus(&[dir.as_path()], &strict, &mut |_| {}, &mut |_| {}).unwrap_err();
    assert_eq!(stream, whole);
}

fn named(name: &str, bytes: impl Into<Vec<u8>>) -> NamedFile {
    NamedFile { name: name.into(), bytes: bytes.into() }
}

#[test]
fn files_given_as_bytes_keep_the_good_and_name_each_problem() {
    let big = format!("{{\"id\": \"besar\", \"body\": \"{}\"}}\n", "kata ".repeat(2_000_000));
    let files = [
        named("a.md", "---\nid: a\ntitle: Banjir di Jakarta\ndate: 31 Juli 2019\n---\nHujan deras sejak pagi.\n"),
        named("b.txt", "Polisi menangkap dua orang di Bandung."),
        named("b.meta", "id: b\nsource: contoh.id\n"),
        // A broken line among good ones costs that line.
        named("feed.jsonl", "{\"id\": \"c\", \"body\": \"Satu.\"}\n{\"id\": \"d\", \"body\": \n{\"id\": \"e\", \"body\": \"Tiga.\"}\n"),
        named("kosong.txt", ""),
        named("gambar.png", [0x89u8, b'P', b'N', b'G', 0, 1, 2]),
        named("rusak.txt", [b'a', b'b', 0xff, 0xfe, b'c']),
        named("besar.jsonl", big),
        // Already in the corpus, and twice among these files.
        named("lagi.json", "[{\"id\": \"seed\", \"body\": \"Lagi.\"}, {\"id\": \"c\", \"body\": \"Dua kali.\"}]"),
        named("sendiri.meta", "id: x\n"),
    ];
    let options = ReadOptions { max_body_bytes: Some(2_000_000), ..ReadOptions::default() };
    let taken: HashSet<String> = ["seed".to_string()].into();
    let loaded = read_files(files.to_vec(), &options, &taken);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "e"]);
    assert_eq!(loaded.articles[0].date.as_deref(), Some("2019-07-31"));
    assert_eq!(loaded.articles[1].source.as_deref(), Some("contoh.id"));
    assert_eq!(
        problems(&loaded),
        [
            "feed.jsonl:2: EOF while parsing a value (column 20) (skipped)",
            "kosong.txt: the article has no text (file skipped)",
            "gambar.png: not an article file (use .txt, .md, .json, .jsonl or .csv, or one of them .gz) (file skipped)",
            "rusak.txt: not UTF-8 text (first bad byte at offset 2); save it as UTF-8 (file skipped)",
            "besar.jsonl:1: the article's text is 10.0 MB, more than the 2.0 MB an article may have here; split it (skipped)",
            "lagi.json: article 1 of the array: id \"seed\" is already used by an article of the corpus (skipped)",
            "lagi.json: article 2 of the array: id \"c\" is already used by feed.jsonl:1 (skipped)",
            "sendiri.meta: metadata file without its article (expected sendiri.txt) (ignored)",
        ]
    );
    // Nothing given, nothing good: no articles, and the problems say why.
    assert!(read_files(Vec::new(), &options, &taken).articles.is_empty());
    let only_bad = read_files(files[4..6].to_vec(), &options, &taken);
    assert!(only_bad.articles.is_empty());
    assert_eq!(only_bad.problems.len(), 2);
}

#[test]
fn ten_thousand_files_at_once_are_each_read() {
    // Each with its language, so that the test does not time language detection.
    let files: Vec<NamedFile> = (0..10_000)
        .map(|i| match i {
            7 => named("berita-00007.txt", "Berita nomor tujuh tentang banjir di Jakarta."),
            i => named(
                &format!("berita-{i:05}.md"),
                format!("---\nlang: id\n---\nBerita nomor {i} tentang banjir."),
            ),
        })
        .chain([named("berita-00007.meta", "id: tujuh\nlang: id\n")])
        .collect();
    let loaded = read_files(files, &ReadOptions::default(), &HashSet::new());
    assert_eq!(loaded.articles.len(), 10_000);
    assert!(loaded.problems.is_empty(), "{:?}", problems(&loaded));
    assert_eq!(loaded.articles[7].id, "tujuh");
    assert_eq!(loaded.articles[9_999].id, "berita-09999");
    assert!(loaded.articles.iter().all(|a| a.lang == "id"));
}
