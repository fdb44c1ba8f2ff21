//! Teaching mode's explanations: how a query is read (on the seed and its fixtures) and why a hit
//! ranks where it does, recomputed from the breakdown (there, and on real news).
#![cfg(feature = "model")]

use std::path::Path;

use sorot_engine::{
    read_path, Above, Article, ClauseExplanation, ClauseType, Engine, Field, HitExplanation, MatchKind,
    MergeReason, QueryExplanation, SearchOptions, WarningKind,
};

fn engine() -> Engine {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut articles = read_path(&root.join("../../seeds")).expect("the seed corpus loads");
    articles.extend(read_path(&root.join("tests/fixtures")).expect("the fixtures load"));
    Engine::with_ner(articles, &sorot_engine::shipped_model(), &mut |_| {})
}

fn clauses(explained: &QueryExplanation) -> Vec<&ClauseExplanation> {
    explained.groups.iter().flatten().collect()
}

/// Each root of the clause's first word with its steps as `rule affix → leaves`.
fn roots(clause: &ClauseExplanation) -> Vec<(String, Vec<String>, bool)> {
    clause.words[0]
        .roots
        .iter()
        .map(|r| {
            let steps = r.steps.iter().map(|s| format!("{} {} → {}", s.rule, s.affix, s.leaves)).collect();
            (r.root.clone(), steps, r.variants > 0)
        })
        .collect()
}

#[test]
fn a_word_goes_through_the_analysis_to_its_root_and_the_terms_searched() {
    let engine = engine();
    let explained = engine.explain_query("Kerusuhan", &SearchOptions::default());
    let [clause] = clauses(&explained)[..] else { panic!("one clause: {explained:?}") };
    assert_eq!(clause.kind, ClauseType::Word);
    let word = &clause.words[0];
    assert_eq!((word.typed.as_str(), word.normalized.as_str()), ("Kerusuhan", "kerusuhan"));
    assert!(word.stopword_in.is_empty());
    // The root the seed shares with the fixture's `merusuh`, found by two rules, outside in.
    let rusuh = roots(clause).into_iter().find(|r| r.0 == "rusuh").expect("rusuh is a candidate");
    assert_eq!(rusuh.1, ["suffix -an → kerusuh", "prefix ke- → rusuh"]);
    assert!(rusuh.2, "the corpus has another word of rusuh: merusuh");
    // Searched: the word itself, and `merusuh` by that root, with their document frequencies.
    let searched: Vec<_> =
        clause.searched.iter().map(|t| (t.term.as_str(), t.kind, t.root.as_deref(), t.articles)).collect();
    assert!(searched.contains(&("kerusuhan", MatchKind::Exact, None, 1)), "{searched:?}");
    assert!(searched.contains(&("merusuh", MatchKind::Stem, Some("rusuh"), 1)), "{searched:?}");
    assert_eq!(clause.articles, 2);
    assert_eq!(explained.total, 2);
    assert_eq!(explained.articles, engine.article_count());
}

#[test]
fn sound_changes_of_men_and_meng_are_named() {
    let engine = engine();
    for (query, root, steps) in [
        ("menahan", "tahan", &["prefix men- (t→n) → tahan"][..]),
        ("mengurangi", "kurang", &["suffix -i → mengurang", "prefix meng- (k→ng) → kurang"][..]),
        ("memukul", "pukul", &["prefix mem- (p→m) → pukul"][..]),
        ("rusuhlah", "rusuh", &["particle -lah → rusuh"][..]),
        ("kinerja", "kerja", &["infix -in- → kerja"][..]),
        ("rerata", "rata", &["reduplication re- → rata"][..]),
    ] {
        let explained = engine.explain_query(query, &SearchOptions::default());
        let found = roots(clauses(&explained)[0]).into_iter().find(|r| r.0 == root);
        let (_, got, _) = found.unwrap_or_else(|| panic!("{query}: {root} is a candidate"));
        assert_eq!(got, steps, "{query}");
        let prefix = &clauses(&explained)[0].words[0].roots.iter().find(|r| r.root == root).unwrap().steps;
        if let Some(step) = prefix.iter().find(|s| s.rule == "prefix") {
            assert_eq!(step.class, Some("meN-"), "{query}");
        }
    }
}

#[test]
fn the_query_tree_has_groups_exclusions_fields_phrases_and_filters() {
    let engine = engine();
    let query = "\"Revolusi Warna\" rusia OR belarus -putin title:kremlin toka* person:\"Vladimir Putin\"";
    let explained = engine.explain_query(query, &SearchOptions::default());
    let shape: Vec<Vec<(ClauseType, Field, &str)>> = explained
        .groups
        .iter()
        .map(|g| g.iter().map(|c| (c.kind, c.field, &query[c.span.start..c.span.end])).collect())
        .collect();
    assert_eq!(
        shape,
        [
            vec![(ClauseType::Phrase, Field::Any, "\"Revolusi Warna\"")],
            vec![(ClauseType::Word, Field::Any, "rusia"), (ClauseType::Word, Field::Any, "belarus")],
            vec![(ClauseType::Word, Field::Title, "title:kremlin")],
            vec![(ClauseType::Prefix, Field::Any, "toka*")],
            vec![(ClauseType::Entity, Field::Any, "person:\"Vladimir Putin\"")],
        ]
    );
    let phrase = &explained.groups[0][0];
    let typed: Vec<(&str, &str)> =
        phrase.words.iter().map(|w| (w.typed.as_str(), w.normalized.as_str())).collect();
    assert_eq!(typed, [("Revolusi", "revolusi"), ("Warna", "warna")]);
    assert_eq!(explained.groups[2][0].words[0].typed, "kremlin");
    assert_eq!(explained.groups[3][0].words[0].typed, "toka");
    assert!(explained.groups[3][0]
        .searched
        .iter()
        .any(|t| t.term == "tokayev" && t.kind == MatchKind::Prefix));
    assert_eq!(explained.groups[4][0].entities, ["Vladimir Putin"]);
    let [excluded] = &explained.excluded[..] else { panic!("one exclusion") };
    assert_eq!(
        (&query[excluded.span.start..excluded.span.end], excluded.words[0].normalized.as_str()),
        ("-putin", "putin")
    );
}

#[test]
fn stopwords_typos_and_warnings_are_shown_where_they_are() {
    let engine = engine();
    let explained = engine.explain_query("yang kerusuhan", &SearchOptions::default());
    let yang = clauses(&explained)[0];
    assert_eq!(yang.words[0].stopword_in, ["id"]);
    assert!(yang.stopword);
    assert!(!clauses(&explained)[1].stopword);

    let explained = engine.explain_query("kazakstan", &SearchOptions::default());
    let typo = &clauses(&explained)[0].searched;
    assert!(
        typo.iter().any(|t| t.term == "kazakhstan" && t.kind == MatchKind::Typo && t.distance == Some(1)),
        "{typo:?}"
    );

    let query = "putin \"revolusi warna";
    let explained = engine.explain_query(query, &SearchOptions::default());
    let [warning] = &explained.warnings[..] else { panic!("one warning: {:?}", explained.warnings) };
    assert_eq!(warning.kind, WarningKind::UnclosedQuote);
    assert_eq!(&query[warning.span.start..warning.span.end], "\"revolusi warna");
}

/// Checks that `e`, hit `i` of `hits`, adds up: each clause's score from its parts, the sum, the title
/// factor, and the score the engine ranked by; and that what it says put it above the next is so.
fn assert_adds_up(query: &str, e: &HitExplanation, score: f32, k1_title_position: (f32, f32)) {
    let (k1, title_position) = k1_title_position;
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-5 * a.abs().max(b.abs()).max(1.0);
    let l = &e.lengths;
    assert!(
        close(l.norm_title, 1.0 - l.b_title + l.b_title * l.title as f32 / l.average_title.max(1.0)),
        "{query}"
    );
    assert!(
        close(l.norm_body, 1.0 - l.b_body + l.b_body * l.body as f32 / l.average_body.max(1.0)),
        "{query}"
    );
    let mut sum = 0.0f32;
    for c in &e.clauses {
        let n = e.articles as f32;
        let df = c.df as f32;
        assert!(close(c.idf, (1.0 + (n - df + 0.5) / (df + 0.5)).ln()), "{query} {}: idf", c.label);
        // The weighted frequencies are the terms' counts times their weights.
        let title: f32 = c.terms.iter().map(|t| t.weight * t.title as f32).sum();
        let body: f32 = c.terms.iter().map(|t| t.weight * t.body as f32).sum();
        assert!(close(c.tf_title, title) && close(c.tf_body, body), "{query} {}: {c:?}", c.label);
        let weighted = e.title_boost * c.tf_title / l.norm_title + c.tf_body / l.norm_body;
        assert!(close(c.weighted_tf, weighted), "{query} {}", c.label);
        assert!(close(c.saturated_tf, weighted * (k1 + 1.0) / (k1 + weighted)), "{query} {}", c.label);
        assert!(close(c.score, c.idf * c.saturated_tf * c.stopword_factor), "{query} {}: {c:?}", c.label);
        sum += c.score;
    }
    assert_eq!(sum, e.sum, "{query}");
    if let Some(place) = e.title_place {
        assert!(close(e.title_factor, 1.0 + title_position / (1 + place) as f32), "{query}: {e:?}");
    } else {
        assert_eq!(e.title_factor, 1.0, "{query}");
    }
    assert_eq!(e.score, score, "{query}: the explanation's score is the one ranked by");
    assert!(close(e.sum * e.title_factor, score), "{query}");
    match e.above_next {
        Some(Above::Exact { this, next }) | Some(Above::TitleWords { this, next }) => {
            assert!(this > next, "{query}")
        }
        Some(Above::TitleStopwords { this, next }) => assert!(this > next, "{query}"),
        Some(Above::Score { this, next }) => assert!(this > next, "{query}: {e:?}"),
        Some(Above::Tie) | None => {}
    }
}

fn check_every_hit(engine: &Engine, queries: &[String]) -> usize {
    let options = SearchOptions { limit: 10, ..SearchOptions::default() };
    let mut checked = 0;
    for query in queries {
        let results = engine.search(query, &options);
        for (i, hit) in results.hits.iter().enumerate() {
            let e =
                results.explain_hit(engine, hit.doc).unwrap_or_else(|| panic!("{query}: hit {i} explained"));
            assert_eq!(e.place, i + 1);
            assert_eq!((e.exact, e.in_title), (hit.exact, hit.in_title), "{query}");
            let labels: Vec<(&str, f32)> = e.clauses.iter().map(|c| (c.label.as_str(), c.score)).collect();
            let terms: Vec<(&str, f32)> = hit.terms.iter().map(|(l, s)| (l.as_str(), *s)).collect();
            assert_eq!(labels, terms, "{query}: the clauses are the hit's");
            assert_adds_up(query, &e, hit.score, (options.rank.k1, options.rank.title_position));
            assert_eq!(e.above_next.is_none(), i + 1 == results.hits.len(), "{query}");
            checked += 1;
        }
        // All at once, as teaching mode asks: the same explanations.
        let all = results.explain_hits(engine, results.hits.len());
        let one: Vec<_> = results.hits.iter().filter_map(|h| results.explain_hit(engine, h.doc)).collect();
        assert_eq!(format!("{all:?}"), format!("{one:?}"), "{query}");
        let (q, hits) = results.explain(engine, &options, 3);
        assert_eq!(format!("{q:?}"), format!("{:?}", engine.explain_query(query, &options)), "{query}");
        assert_eq!(format!("{hits:?}"), format!("{:?}", results.explain_hits(engine, 3)), "{query}");
    }
    checked
}

#[test]
fn every_hit_of_the_seed_adds_up_to_its_score() {
    let engine = engine();
    let queries: Vec<String> = [
        "kerusuhan kazakhstan",
        "rusuh",
        "\"revolusi warna\"",
        "putin OR biden",
        "title:kazakhstan",
        "body:almaty warga",
        "yang kerusuhan",
        "kazakstan",
        "toka*",
        "person:\"Vladimir Putin\" kerusuhan",
        "kazakhstan -putin",
        "protesters fuel prices",
    ]
    .map(String::from)
    .to_vec();
    assert!(check_every_hit(&engine, &queries) >= 15);
    let results = engine.search("kazakhstan", &SearchOptions::default());
    let outside = (0..engine.article_count() as u32)
        .map(sorot_engine::DocId)
        .find(|d| !results.hits.iter().any(|h| h.doc == *d));
    if let Some(doc) = outside {
        assert!(results.explain_hit(&engine, doc).is_none(), "only hits are explained");
    }
}

/// The first `n` articles of the real dev file (14,272 Indonesian news articles).
fn real_news(n: usize) -> Vec<Article> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/news/clickid-dev.jsonl.gz");
    let mut articles = read_path(&path)
        .unwrap_or_else(|e| panic!("cannot read {} (is the shared data there?): {e}", path.display()));
    articles.truncate(n);
    articles
}

#[test]
fn every_hit_on_real_news_adds_up_to_its_score() {
    let articles = real_news(1500);
    // Queries from titles: a word, two, three with their stopwords, a prefix, a typo, a phrase, a
    // title field, an exclusion.
    let mut queries = Vec::new();
    for a in articles.iter().step_by(50) {
        let words: Vec<String> = sorot_engine::tokenize(&a.title).into_iter().map(|t| t.term).collect();
        if words.len() < 4 {
            continue;
        }
        let w = |i: usize| words[i % words.len()].clone();
        queries.push(w(1));
        queries.push(format!("{} {}", w(0), w(2)));
        queries.push(format!("{} {} {}", w(1), w(2), w(3)));
        queries.push(format!("{}*", w(2).chars().take(4).collect::<String>()));
        // A letter left out.
        queries.push(w(3).chars().enumerate().filter(|&(i, _)| i != 2).map(|(_, c)| c).collect());
        queries.push(format!("\"{} {}\"", w(0), w(1)));
        queries.push(format!("title:{} {}", w(2), w(0)));
        queries.push(format!("{} -{}", w(1), w(3)));
    }
    let engine = Engine::from_articles(articles);
    let checked = check_every_hit(&engine, &queries);
    assert!(checked > 1000, "{checked} hits checked over {} queries", queries.len());
}

#[test]
fn each_mention_of_the_seed_is_explained_by_the_decoder_that_tagged_it() {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds/000_ce9894c18006a3a8.txt"),
    )
    .expect("the seed article");
    let model = sorot_engine::shipped_model();
    let explained = model.explain(&seed, "id");
    assert_eq!(explained.tagger, "model");
    // The mentions are the tagger's, each placed and said how it came about.
    let tagged = model.tag(&seed, "id");
    let got: Vec<_> = explained.mentions.iter().map(|m| (m.span, m.kind, m.confidence)).collect();
    let want: Vec<_> = tagged.iter().map(|m| (m.span, m.kind, m.confidence)).collect();
    assert_eq!(got, want);
    let putin =
        explained.mentions.iter().find(|m| m.text == "Vladimir Putin").expect("Vladimir Putin is found");
    assert_eq!(putin.how, "tagged");
    let place = putin.place.expect("on the path");
    let tags: Vec<&str> = explained.sentences[place.sentence].tokens[place.tokens.0..place.tokens.1]
        .iter()
        .map(|t| t.tag)
        .collect();
    assert_eq!(tags, ["B-PER", "I-PER"]);
    assert!(explained.mentions.iter().any(|m| m.text == "Putin"), "the bare name too");
    // Every token's listed features add up to its own evidence, as the decoder scored it.
    let mut tokens = 0;
    for t in explained.sentences.iter().flat_map(|s| &s.tokens) {
        assert!((t.features_total - t.emission).abs() <= 1e-3 * t.emission.abs().max(1.0), "{t:?}");
        assert!(
            t.for_tag.windows(2).all(|w| w[0].weight >= w[1].weight)
                && t.for_tag.iter().all(|f| f.weight > 0.0)
        );
        assert!(t.against.iter().all(|f| f.weight < 0.0));
        assert_ne!(t.tag, t.runner_up);
        tokens += 1;
    }
    assert!(tokens > 400);
    // What pushed `Putin` to continue a person's name is readable.
    let token = &explained.sentences[place.sentence].tokens[place.tokens.0 + 1];
    assert_eq!(token.text, "Putin");
    assert!(token.for_tag.iter().any(|f| f.feature.contains('“')), "{:?}", token.for_tag);

    let english = model.explain("President Joe Biden met Kassym-Jomart Tokayev in Almaty.", "en");
    assert_eq!(english.tagger, "english-rules");
    assert!(english.mentions.iter().all(|m| m.how == "rules") && !english.mentions.is_empty());
}

#[test]
fn each_mention_says_how_its_name_joined_its_entity() {
    let engine = engine();
    let doc = engine.article_number("000_ce9894c18006a3a8").expect("the seed");
    let body = engine.article_at(doc).unwrap().body.clone();
    let mut reasons = Vec::new();
    for m in engine.article_mentions(doc) {
        let (entity, reason) = engine.merge_reason(doc, m.span).expect("every mention is explained");
        assert_eq!(entity, m.entity);
        reasons.push((
            body[m.span.start..m.span.end].to_string(),
            engine.entity(entity).unwrap().name.clone(),
            reason,
        ));
    }
    for r in &reasons {
        eprintln!("{r:?}");
    }
    let of = |surface: &str| reasons.iter().find(|r| r.0 == surface).map(|r| r.2.clone());
    assert_eq!(of("Vladimir Putin"), Some(MergeReason::Canonical));
    assert_eq!(of("Putin"), Some(MergeReason::PartOf { longer: "Vladimir Putin".into(), in_article: true }));
    assert_eq!(of("CSTO"), Some(MergeReason::Acronym));
    assert!(engine.merge_reason(doc, sorot_engine::Span::new(0, 1)).is_none(), "no mention there");
}
