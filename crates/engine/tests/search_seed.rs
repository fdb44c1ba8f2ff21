//! The search engine on real text: the Indonesian seed article and an English fixture.

use std::path::Path;

use sorot_engine::{
    read_path, DocId, Engine, EntityId, EntityType, Field, Filter, SearchOptions, SearchResults,
};

const SEED_ID: &str = "000_ce9894c18006a3a8";
const ID_FIXTURE: &str = "id-unjuk-rasa";

fn engine() -> Engine {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut articles = read_path(&root.join("../../seeds")).expect("the seed corpus loads");
    articles.extend(read_path(&root.join("tests/fixtures")).expect("the fixtures load"));
    Engine::from_articles(articles)
}

/// Texts of the highlights in article `id`'s body.
fn highlighted(engine: &Engine, results: &SearchResults, id: &str) -> Vec<String> {
    let doc = engine.article_number(id).expect("article exists");
    let body = &engine.articles()[doc.index()].body;
    engine.highlights(results, doc, Field::Body).iter().map(|s| body[s.start..s.end].to_string()).collect()
}

fn ids(engine: &Engine, results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| engine.articles()[h.doc.index()].id.clone()).collect()
}

struct Case {
    name: &'static str,
    query: &'static str,
    /// Ids of the articles found (in any order; ranking has its own tests).
    found: &'static [&'static str],
    /// Every highlight in the seed body must be one of these (case-sensitive surface forms).
    seed_marks: &'static [&'static str],
    /// How many highlights the seed body gets.
    seed_mark_count: Option<usize>,
}

const CASES: &[Case] = &[
    Case {
        name: "stem finds every kerusuhan",
        query: "rusuh",
        found: &[SEED_ID, ID_FIXTURE],
        seed_marks: &["kerusuhan"],
        seed_mark_count: Some(6),
    },
    Case {
        name: "phrase highlighted whole",
        query: "\"revolusi warna\"",
        found: &[SEED_ID],
        seed_marks: &["revolusi warna"],
        seed_mark_count: Some(3),
    },
    Case {
        name: "last name of a hyphenated name",
        query: "tokayev",
        found: &[SEED_ID],
        seed_marks: &["Tokayev"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "first part of a hyphenated name",
        query: "jomart",
        found: &[SEED_ID],
        seed_marks: &["Jomart"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "whole hyphenated name",
        query: "Jomart-Tokayev",
        found: &[SEED_ID],
        seed_marks: &["Jomart-Tokayev"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "typo",
        query: "kazakstan",
        found: &[SEED_ID, "en-protests"],
        seed_marks: &["Kazakhstan"],
        seed_mark_count: None,
    },
    Case {
        name: "typo: two letters swapped",
        query: "ptuin",
        found: &[SEED_ID],
        seed_marks: &["Putin"],
        seed_mark_count: Some(6),
    },
    Case {
        name: "typo in a four-letter word",
        query: "ptin",
        found: &[SEED_ID],
        seed_marks: &["Putin"],
        seed_mark_count: Some(6),
    },
    Case {
        name: "number without separator",
        query: "2500",
        found: &[SEED_ID, "en-protests"],
        seed_marks: &["2.500"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "number with separator",
        query: "2.500",
        found: &[SEED_ID, "en-protests"],
        seed_marks: &["2.500"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "exclusion",
        query: "kazakhstan -putin",
        found: &["en-protests"],
        seed_marks: &[],
        seed_mark_count: Some(0),
    },
    Case {
        name: "upper case",
        query: "PUTIN",
        found: &[SEED_ID],
        seed_marks: &["Putin"],
        seed_mark_count: Some(6),
    },
    Case {
        name: "prefix",
        query: "toka*",
        found: &[SEED_ID],
        seed_marks: &["Tokayev"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "or",
        query: "belarus OR almaty",
        found: &[SEED_ID, "en-protests", ID_FIXTURE],
        seed_marks: &["Belarus"],
        seed_mark_count: Some(1),
    },
    Case {
        name: "title field",
        query: "title:protests",
        found: &["en-protests"],
        seed_marks: &[],
        seed_mark_count: Some(0),
    },
    Case {
        name: "english stem",
        query: "protest",
        found: &["en-protests"],
        seed_marks: &[],
        seed_mark_count: Some(0),
    },
    Case {
        name: "english running",
        query: "run",
        found: &["en-protests"],
        seed_marks: &[],
        seed_mark_count: Some(0),
    },
    Case {
        name: "a short word is not found inside others",
        query: "put",
        found: &[],
        seed_marks: &[],
        seed_mark_count: Some(0),
    },
];

#[test]
fn case_names_are_unique() {
    let names: std::collections::HashSet<_> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), CASES.len());
}

#[test]
fn seed_and_fixture_queries() {
    let engine = engine();
    let options = SearchOptions::default();
    for case in CASES {
        let results = engine.search(case.query, &options);
        let mut found = ids(&engine, &results);
        found.sort();
        let mut expected: Vec<String> = case.found.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected, "case {}: {results:?}", case.name);
        if !case.found.contains(&SEED_ID) {
            continue;
        }
        let marks = highlighted(&engine, &results, SEED_ID);
        for mark in &marks {
            assert!(
                case.seed_marks.contains(&mark.as_str()),
                "case {}: unexpected highlight {mark:?} in {marks:?}",
                case.name
            );
        }
        if let Some(count) = case.seed_mark_count {
            assert_eq!(marks.len(), count, "case {}: {marks:?}", case.name);
        }
        assert!(results.warnings.is_empty(), "case {}: {:?}", case.name, results.warnings);
    }
}

#[test]
fn exact_surface_ranks_above_stem_only() {
    let engine = engine();
    // The seed says `kerusuhan` six times, the Indonesian fixture `merusuh` twice: same root `rusuh`.
    let results = engine.search("kerusuhan", &SearchOptions::default());
    assert_eq!(ids(&engine, &results), [SEED_ID, ID_FIXTURE]);
    let results = engine.search("merusuh", &SearchOptions::default());
    assert_eq!(ids(&engine, &results), [ID_FIXTURE, SEED_ID]);
    assert_eq!(highlighted(&engine, &results, ID_FIXTURE), ["merusuh", "merusuh"]);
}

#[test]
fn every_hit_explains_its_score() {
    let engine = engine();
    let results = engine.search("kerusuhan kazakhstan", &SearchOptions::default());
    let hit = &results.hits[0];
    let labels: Vec<&str> = hit.terms.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(labels, ["kerusuhan", "kazakhstan"]);
    // The clauses' contributions, times what the place of a query word in the title weighs.
    let sum: f32 = hit.terms.iter().map(|(_, s)| s).sum();
    assert!((sum * hit.title_factor - hit.score).abs() < 1e-4);
}

#[test]
fn all_words_falls_back_to_any_word() {
    let engine = engine();
    let results = engine.search("kremlin fuel", &SearchOptions::default());
    assert!(results.any_word_fallback);
    assert_eq!(results.total, 2);
    assert_eq!(results.warnings.len(), 1);
}

#[test]
fn malformed_query_still_searches_and_warns() {
    let engine = engine();
    let results = engine.search("putin \"revolusi warna", &SearchOptions::default());
    assert_eq!(ids(&engine, &results), [SEED_ID]);
    assert_eq!(results.warnings.len(), 1);
    assert_eq!(results.warnings[0].span.start, 6);
}

#[test]
fn search_as_you_type_completes_the_last_word() {
    let engine = engine();
    let typing = SearchOptions { prefix_last: true, ..SearchOptions::default() };
    let results = engine.search("presiden kass", &typing);
    assert_eq!(ids(&engine, &results), [SEED_ID]);
    assert!(!results.any_word_fallback);
    assert_eq!(highlighted(&engine, &results, SEED_ID).iter().filter(|m| *m == "Kassym").count(), 1);
    // A trailing space means the word is finished: `kass` alone is no word, so only `presiden` matches.
    let results = engine.search("presiden kass ", &typing);
    assert!(results.any_word_fallback);
}

#[test]
fn snippet_covers_the_matches() {
    let engine = engine();
    let results = engine.search("peskov jejaring", &SearchOptions::default());
    let snippet = engine.snippet(&results, results.hits[0].doc);
    let marked: Vec<&str> = snippet.highlights.iter().map(|s| &snippet.text[s.start..s.end]).collect();
    assert!(marked.contains(&"Peskov") && marked.contains(&"Jejaring"), "{snippet:?}");
    assert!(snippet.text.split_whitespace().count() <= 32, "{snippet:?}");
    assert!(snippet.text.starts_with('…') || snippet.text.starts_with("Unit"));
}

#[test]
fn pack_round_trip_searches_the_same() {
    let engine = engine();
    let back = Engine::from_pack(&engine.to_pack()).expect("pack reads back");
    for case in CASES {
        let a = engine.search(case.query, &SearchOptions::default());
        let b = back.search(case.query, &SearchOptions::default());
        assert_eq!(a.hits, b.hits, "case {}", case.name);
    }
}

#[test]
fn only_whole_matched_words_are_highlighted() {
    let engine = engine();
    // `computer` contains `put`; the fixture matches through `airport`, and only that is marked.
    let results = engine.search("put OR airport", &SearchOptions::default());
    assert_eq!(ids(&engine, &results), ["en-protests"]);
    assert_eq!(highlighted(&engine, &results, "en-protests"), ["airport"]);
}

/// An engine over the seed and fixtures with a few hand-placed mentions, to test entity filters and
/// facets independently of the tagger.
fn engine_with_mentions() -> Engine {
    use sorot_engine::{EntityType, Mention, Span};
    let plain = engine();
    let articles = plain.articles().to_vec();
    let mentions = articles
        .iter()
        .map(|a| {
            let mut out = Vec::new();
            for (name, kind) in [
                ("Vladimir Putin", EntityType::Per),
                ("Putin", EntityType::Per),
                ("Kazakhstan", EntityType::Loc),
                ("Almaty", EntityType::Loc),
            ] {
                for (at, _) in a.body.match_indices(name) {
                    let span = Span::new(at, at + name.len());
                    if !out.iter().any(|m: &Mention| m.span.start <= at && span.end <= m.span.end) {
                        out.push(Mention { span, kind, confidence: 1.0 });
                    }
                }
            }
            out.sort_by_key(|m| m.span);
            out
        })
        .collect();
    Engine::with_mentions(articles, mentions)
}

#[test]
fn entity_filters_are_alias_aware() {
    let engine = engine_with_mentions();
    let options = SearchOptions::default();
    let by_full = engine.search(r#"person:"Vladimir Putin""#, &options);
    assert_eq!(ids(&engine, &by_full), [SEED_ID]);
    assert!(by_full.warnings.is_empty());
    let by_alias = engine.search("person:putin", &options);
    assert_eq!(ids(&engine, &by_alias), [SEED_ID]);
    let places = engine.search("place:almaty", &options);
    let mut found = ids(&engine, &places);
    found.sort();
    assert_eq!(found, ["en-protests", ID_FIXTURE]);
    let excluded = engine.search("place:kazakhstan -person:putin", &options);
    assert_eq!(ids(&engine, &excluded), ["en-protests"]);
    // A filter combined with words; and a person that is not there.
    assert_eq!(ids(&engine, &engine.search("kerusuhan place:kazakhstan", &options)), [SEED_ID]);
    let nobody = engine.search("person:Navalny", &options);
    assert_eq!(nobody.total, 0);
    assert_eq!(nobody.warnings.len(), 1);
    assert!(nobody.warnings[0].message.contains("Navalny"));
    // Exclusions alone keep everything else.
    let mut rest = ids(&engine, &engine.search("-person:putin", &options));
    rest.sort();
    assert_eq!(rest, ["en-protests", ID_FIXTURE]);
    assert_eq!(engine.search("-kazakhstan", &options).total, 1);
    // The wrong type never matches.
    assert_eq!(engine.search("place:putin", &options).total, 0);
}

#[test]
fn filters_in_the_options_match_as_written_filters_do_and_leave_the_query_spans_alone() {
    let engine = engine_with_mentions();
    let filter = |kind, name: &str, exclude| Filter { kind, name: name.into(), exclude };
    let as_options = |query: &str, filters: Vec<Filter>| {
        engine.search(query, &SearchOptions { filters, ..SearchOptions::default() })
    };
    let cases = [
        ("kerusuhan", vec![filter(EntityType::Loc, "kazakhstan", false)], "place:kazakhstan kerusuhan"),
        (
            "",
            vec![filter(EntityType::Loc, "kazakhstan", false), filter(EntityType::Per, "putin", true)],
            "place:kazakhstan -person:putin",
        ),
        ("almaty", vec![filter(EntityType::Per, "Navalny", false)], "person:Navalny almaty"),
    ];
    for (query, filters, written) in cases {
        let (a, b) = (as_options(query, filters.clone()), engine.search(written, &SearchOptions::default()));
        assert_eq!((a.total, &a.hits, &a.docs), (b.total, &b.hits, &b.docs), "{written}");
        let kinds = |r: &SearchResults| r.warnings.iter().map(|w| w.kind.clone()).collect::<Vec<_>>();
        assert_eq!(kinds(&a), kinds(&b), "{written}");
        assert_eq!(Filter::parse(written).0, filters, "{written}");
    }
    // The unclosed quote is where the user wrote it, not shifted by the filter before it.
    let query = "  putin \"revolusi warna";
    let r = as_options(query, vec![filter(EntityType::Per, "Vladimir Putin", false)]);
    assert_eq!(ids(&engine, &r), [SEED_ID]);
    let spans: Vec<&str> = r.warnings.iter().filter_map(|w| w.span.get(query)).collect();
    assert_eq!(spans, ["\"revolusi warna"]);
    assert_eq!(Filter::parse("putin person:putin").1, [sorot_engine::Span::new(0, 5)]);
}

#[test]
fn facets_follow_the_query() {
    let engine = engine_with_mentions();
    let name = |f: &sorot_engine::Facet| engine.entity_list()[f.entity.index()].name.clone();
    let all: Vec<(String, u32, u32)> =
        engine.facets(None).iter().map(|f| (name(f), f.articles, f.mentions)).collect();
    assert_eq!(
        all,
        [
            // Body mentions only: the fixtures' titles do not count.
            ("Kazakhstan".to_string(), 2, 10),
            ("Almaty".to_string(), 2, 2),
            ("Vladimir Putin".to_string(), 1, 6),
        ]
    );
    let results = engine.search("warga", &SearchOptions::default());
    let some: Vec<(String, u32, u32)> =
        engine.facets(Some(&results.docs)).iter().map(|f| (name(f), f.articles, f.mentions)).collect();
    assert_eq!(some, [("Almaty".to_string(), 1, 1)]);
}

#[test]
fn facets_of_any_set_of_articles_are_its_mention_counts() {
    // Sets of more than half the corpus are counted as the corpus less the rest: every subset of the
    // three articles must give what counting its mentions one by one gives.
    let engine = engine_with_mentions();
    let n = engine.articles().len() as u32;
    assert!(n >= 3);
    for set in 0u32..1 << n {
        let docs: Vec<DocId> = (0..n).filter(|d| set >> d & 1 == 1).map(DocId).collect();
        let mut want: Vec<(EntityId, u32, u32)> = Vec::new(); // (entity, articles, mentions)
        for &d in &docs {
            let mut seen = Vec::new();
            for m in engine.article_mentions(d) {
                let i = match want.iter().position(|w| w.0 == m.entity) {
                    Some(i) => i,
                    None => {
                        want.push((m.entity, 0, 0));
                        want.len() - 1
                    }
                };
                if !seen.contains(&m.entity) {
                    seen.push(m.entity);
                    want[i].1 += 1;
                }
                want[i].2 += 1;
            }
        }
        want.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        let got: Vec<(EntityId, u32, u32)> =
            engine.facets(Some(&docs)).iter().map(|f| (f.entity, f.articles, f.mentions)).collect();
        assert_eq!(got, want, "articles {docs:?}");
    }
    let all: Vec<DocId> = (0..n).map(DocId).collect();
    assert_eq!(engine.facets(None), engine.facets(Some(&all)));
}

#[test]
fn a_warm_up_changes_no_result() {
    // The explorer warms each corpus up (a search of each kind) before anyone types: what the searches
    // after it give, facets too, must be what they give without it.
    let run = |engine: &Engine| {
        let options = SearchOptions { limit: 30, prefix_last: true, ..SearchOptions::default() };
        ["kaza", "putin", "kazakstan", "\"vladimir putin\"", "kerusuhan place:kazakhstan"]
            .iter()
            .map(|q| {
                let r = engine.search(q, &options);
                let snippets: Vec<_> = r.hits.iter().map(|h| engine.snippet(&r, h.doc)).collect();
                (ids(engine, &r), r.docs.clone(), snippets, engine.facets(Some(&r.docs)))
            })
            .collect::<Vec<_>>()
    };
    let cold = engine_with_mentions();
    let warm = engine_with_mentions();
    warm.warm_up();
    assert_eq!(run(&warm), run(&cold));
    // Corpora without a word to warm up on, or with one only at a title's end, are left alone.
    use sorot_engine::Article;
    let article = |id: &str, title: &str| Article {
        id: id.into(),
        title: title.into(),
        body: "Isi berita.".into(),
        date: None,
        source: None,
        url: None,
        lang: "id".into(),
    };
    Engine::from_articles(Vec::new()).warm_up();
    Engine::from_articles(vec![article("a", "Ó 12 — ab")]).warm_up();
    Engine::from_articles(vec![article("b", "Hujan deras")]).warm_up();
}

#[test]
fn the_engine_answers_by_id_by_date_and_per_article() {
    let engine = engine_with_mentions();
    for (doc, a) in engine.articles().iter().enumerate() {
        assert_eq!(engine.article_number(&a.id), Some(DocId(doc as u32)));
        assert_eq!(engine.article(&a.id).map(|x| &x.id), Some(&a.id));
    }
    assert_eq!(engine.article_number("no-such-article"), None);
    // An article's entities, counted here from its mentions: most mentioned first, ties by number.
    for doc in (0..engine.articles().len() as u32).map(DocId) {
        let mut expected: Vec<(EntityId, u32)> = Vec::new();
        for m in engine.article_mentions(doc) {
            match expected.iter_mut().find(|(e, _)| *e == m.entity) {
                Some((_, n)) => *n += 1,
                None => expected.push((m.entity, 1)),
            }
        }
        expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(engine.article_entities(doc), expected);
        for &(id, _) in &expected {
            assert_eq!(engine.entity(id).map(|e| &e.name), Some(&engine.entity_list()[id.index()].name));
        }
    }
    // Newest first, undated last, and sorting any list keeps that order.
    let dates = engine.dates();
    let date = |d: DocId| engine.articles()[d.index()].date.clone();
    assert_eq!(dates.newest_first.len(), engine.articles().len());
    for pair in dates.newest_first.windows(2) {
        match (date(pair[0]), date(pair[1])) {
            (Some(a), Some(b)) => assert!(a >= b),
            (None, Some(_)) => panic!("an undated article before a dated one"),
            _ => {}
        }
    }
    let mut docs: Vec<DocId> = (0..engine.articles().len() as u32).rev().map(DocId).collect();
    dates.sort(&mut docs);
    assert_eq!(
        docs.iter().map(|&d| date(d)).collect::<Vec<_>>(),
        dates.newest_first.iter().map(|&d| date(d)).collect::<Vec<_>>()
    );
}

#[test]
fn a_hits_term_scores_are_by_label_and_a_repeated_label_keeps_its_last_score() {
    let engine = engine();
    let results = engine.search("kazakhstan rusia kazakhstan", &SearchOptions::default());
    let hit = &results.hits[0];
    let scores = hit.term_scores();
    assert!(scores.windows(2).all(|w| w[0].0 < w[1].0), "{scores:?}");
    let last = hit.terms.iter().rev().find(|(t, _)| t == "kazakhstan").unwrap().1;
    assert_eq!(scores.iter().find(|(t, _)| *t == "kazakhstan").unwrap().1, last);
}
