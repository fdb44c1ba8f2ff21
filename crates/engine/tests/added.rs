//! Articles added to a corpus (issue #16): the corpus with them is the one a pack of all the articles
//! makes, byte for byte, so that scores and entities do not depend on how the articles came in.
#![cfg(feature = "model")]

use std::path::Path;

use sorot_engine::{
    read_path, shipped_model, Article, Correction, CorrectionEntity, Corrections, Engine, EntityType,
    SearchOptions, SplitOptions,
};

fn articles() -> Vec<Article> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut articles = read_path(&root.join("../../seeds")).expect("the seed corpus loads");
    articles.extend(read_path(&root.join("tests/fixtures")).expect("the engine's fixtures load"));
    articles.extend(read_path(&root.join("../../tests/fixtures")).expect("the app's fixtures load"));
    articles
}

fn tagged(articles: &[Article]) -> Vec<(Article, Vec<sorot_engine::Mention>)> {
    let model = shipped_model();
    articles.iter().map(|a| (a.clone(), model.tag(&a.body, &a.lang))).collect()
}

#[test]
fn a_corpus_with_articles_added_is_the_pack_of_all_of_them() {
    let all = articles();
    assert!(all.len() >= 6, "{} articles", all.len());
    let model = shipped_model();
    let whole = Engine::with_ner(all.clone(), &model, &mut |_| {});
    // The first half packed, then read back as the browser has it; the rest added in two turns.
    let half = all.len() / 2;
    let base =
        Engine::from_pack(&Engine::with_ner(all[..half].to_vec(), &model, &mut |_| {}).to_pack()).unwrap();
    let once = base.with_added(tagged(&all[half..all.len() - 1]), &Corrections::new()).unwrap();
    assert!(once.refused.is_empty() && once.notes.is_empty());
    let twice = once.engine.with_added(tagged(&all[all.len() - 1..]), &Corrections::new()).unwrap();
    assert!(twice.engine.to_pack() == whole.to_pack(), "the same pack as all the articles packed at once");
    // And so the same scores, to the bit.
    let options = SearchOptions { limit: 50, ..SearchOptions::default() };
    for query in ["kazakhstan", "putin rusuh", "\"revolusi warna\"", "jakarta OR bandung", "pemerintah"] {
        let (a, b) = (twice.engine.search(query, &options), whole.search(query, &options));
        let scores = |r: &sorot_engine::SearchResults| {
            r.hits.iter().map(|h| (h.doc, h.score.to_bits())).collect::<Vec<_>>()
        };
        assert_eq!(scores(&a), scores(&b), "{query}");
    }
}

#[test]
fn an_id_already_there_is_refused_and_corrections_apply_to_the_whole() {
    let all = articles();
    let model = shipped_model();
    let base = Engine::with_ner(all[..2].to_vec(), &model, &mut |_| {});
    let mut again = all[0].clone();
    again.body = "Teks lain sama sekali.".into();
    let mut added = tagged(&all[2..3]);
    added.push((again, Vec::new()));
    added.extend(tagged(&all[2..3]));
    let putin = base
        .entity_list()
        .into_iter()
        .find(|e| e.name == "Vladimir Putin")
        .expect("the seed's Putin")
        .clone();
    let corrections = Corrections {
        sorot_corrections: 1,
        corrections: vec![Correction::Rename {
            entity: CorrectionEntity { kind: EntityType::Per, name: putin.name.clone() },
            to: "Presiden Putin".into(),
        }],
    };
    let result = base.with_added(added, &corrections).unwrap();
    assert_eq!(result.refused, [all[0].id.clone(), all[2].id.clone()]);
    assert_eq!(result.engine.article_count(), 3);
    assert_eq!(
        result.engine.article(&all[0].id).unwrap().body,
        all[0].body,
        "the corpus's own article stays"
    );
    assert!(result.notes.is_empty());
    assert_eq!(result.engine.find_entities(Some(EntityType::Per), "Presiden Putin").len(), 1);

    // A split pack is not all at hand: it says so.
    let split = base.to_split(&SplitOptions::default()).unwrap();
    let opened = Engine::from_entry(&split.entry).unwrap();
    let err = opened.with_added(Vec::new(), &Corrections::new()).err().expect("refused");
    assert!(err.contains("not all at hand"), "{err}");
}

#[test]
fn corrections_made_on_a_loaded_corpus_are_those_made_when_packing() {
    let all = articles();
    let model = shipped_model();
    let mentions: Vec<_> = all.iter().map(|a| model.tag(&a.body, &a.lang)).collect();
    let loaded = Engine::from_pack(&Engine::with_mentions(all.clone(), mentions.clone()).to_pack()).unwrap();
    let people: Vec<_> =
        loaded.entity_list().into_iter().filter(|e| e.kind == EntityType::Per).cloned().collect();
    let named = |e: &sorot_engine::Entity| CorrectionEntity { kind: e.kind, name: e.name.clone() };
    let corrections = Corrections {
        sorot_corrections: 1,
        corrections: vec![
            Correction::Merge { entity: named(&people[1]), into: named(&people[0]) },
            Correction::Rename { entity: named(&people[0]), to: "Tokoh Utama".into() },
            Correction::Rename {
                entity: CorrectionEntity { kind: EntityType::Org, name: "Nobody".into() },
                to: "X".into(),
            },
        ],
    };
    let (now, notes) = loaded.corrected(&corrections).unwrap();
    let (packed, packed_notes) = Engine::with_corrections(all, mentions, &corrections);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes, packed_notes);
    assert!(now.to_pack() == packed.to_pack(), "the same corpus either way");
    // The filter by the merged entity finds the articles of both.
    let only = |engine: &Engine, name: &str| {
        let filter = sorot_engine::Filter { kind: EntityType::Per, name: name.into(), exclude: false };
        let options = SearchOptions { filters: vec![filter], limit: 100, ..SearchOptions::default() };
        engine.search("", &options).docs.into_iter().collect::<std::collections::BTreeSet<_>>()
    };
    let both: std::collections::BTreeSet<_> =
        only(&loaded, &people[0].name).union(&only(&loaded, &people[1].name)).copied().collect();
    assert!(!both.is_empty());
    assert_eq!(only(&now, "Tokoh Utama"), both);
}

#[test]
fn a_split_pack_with_all_its_pieces_is_corrected_and_added_to_as_the_whole() {
    let all = articles();
    let model = shipped_model();
    let half = all.len() / 2;
    let base = Engine::with_ner(all[..half].to_vec(), &model, &mut |_| {});
    // Small pieces: the articles in several batches, the index in chunks.
    let options = SplitOptions {
        dict_terms: 30,
        post_bytes: 128,
        range_docs: 2,
        batch_bytes: 500,
        ..SplitOptions::default()
    };
    let split = base.to_split(&options).unwrap();
    let batches =
        (0..split.pieces.len() as u32).filter(|&p| split.pieces[p as usize].0.starts_with("a-")).count();
    assert!(
        batches > 1,
        "{batches} article batches of {:?}",
        split.pieces.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    let opened = Engine::from_entry(&split.entry).unwrap();
    assert!(opened.with_added(Vec::new(), &Corrections::new()).is_err(), "no pieces yet");
    for p in 0..split.pieces.len() as u32 {
        opened.add_piece(p, &split.pieces[p as usize].1).unwrap();
    }
    let corrections = Corrections {
        sorot_corrections: 1,
        corrections: vec![Correction::Rename {
            entity: CorrectionEntity { kind: EntityType::Per, name: "Vladimir Putin".into() },
            to: "Putin".into(),
        }],
    };
    let (from_split, _) = opened.corrected(&corrections).unwrap();
    let (from_whole, _) = base.corrected(&corrections).unwrap();
    assert!(from_split.to_pack() == from_whole.to_pack());
    let added = tagged(&all[half..]);
    let a = opened.with_added(added.clone(), &corrections).unwrap().engine;
    let b = base.with_added(added, &corrections).unwrap().engine;
    assert!(a.to_pack() == b.to_pack());
}
