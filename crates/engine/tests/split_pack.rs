//! A split pack answers as the whole corpus does: over the seed and fixture articles, cut into many
//! small pieces, every query's hits, scores, snippets, highlights and facets are those of the engine
//! that holds everything, once the pieces the queries asked for are in.
#![cfg(feature = "model")]

use std::path::Path;

use sorot_engine::{
    read_path, shipped_model, DocId, Engine, Field, Filter, MatchKind, PieceKind, SearchOptions,
    SplitOptions, SplitPack,
};

fn corpus() -> Engine {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut articles = read_path(&root.join("../../seeds")).expect("the seed corpus loads");
    articles.extend(read_path(&root.join("tests/fixtures")).expect("the engine's fixtures load"));
    articles.extend(read_path(&root.join("../../tests/fixtures")).expect("the app's fixtures load"));
    Engine::with_ner(articles, &shipped_model(), &mut |_| {})
}

/// Small pieces, so that a query needs some of them and not others.
const TINY: SplitOptions = SplitOptions {
    dict_terms: 40,
    post_bytes: 96,
    range_docs: 3,
    batch_bytes: 600,
    entity_chunk: 2,
    keyed_chunks: 2048,
};

/// [`TINY`] with more postings chunks than the entry names: the dictionary chunks name them.
const NAMED: SplitOptions = SplitOptions { keyed_chunks: 4, ..TINY };

/// Everything the explorer shows for a query, as text: totals, hits with scores and their term
/// scores, snippets, highlights in title and body, expansions, warnings, and the facets of all
/// matches and of the first hit.
fn answer(engine: &Engine, query: &str, filters: &str) -> String {
    let options = SearchOptions {
        limit: 10,
        prefix_last: true,
        filters: Filter::parse(filters).0,
        ..SearchOptions::default()
    };
    let results = engine.search(query, &options);
    let mut out = format!(
        "{} total={} fallback={} warnings={:?} expansions={:?} docs={:?}\n",
        query, results.total, results.any_word_fallback, results.warnings, results.expansions, results.docs
    );
    for hit in &results.hits {
        let article = engine.article_at(hit.doc);
        out += &format!(
            "  {:?} {:?} score={} exact={} in_title={} factor={} terms={:?}\n    snippet={:?}\n    title={:?} body={:?}\n",
            hit.doc,
            article.map(|a| (&a.id, &a.title)),
            hit.score,
            hit.exact,
            hit.in_title,
            hit.title_factor,
            hit.terms,
            engine.snippet(&results, hit.doc),
            engine.highlights(&results, hit.doc, Field::Title),
            engine.highlights(&results, hit.doc, Field::Body),
        );
        out += &format!("    entities={:?}\n", engine.article_entities(hit.doc));
        out += &format!("    mentions={:?}\n", engine.article_mentions(hit.doc));
    }
    out += &format!("  facets={:?}\n", engine.facets(Some(&results.docs)));
    let first: Vec<DocId> = results.docs.iter().take(1).copied().collect();
    out += &format!("  facets of the first={:?}\n", engine.facets(Some(&first)));
    for f in engine.facets(Some(&results.docs)).iter().take(3) {
        out += &format!("  {:?}\n", engine.entity(f.entity).map(|e| (&e.name, &e.aliases, e.kind)));
        // What the entity panel shows of it.
        out += &format!("    {:?}\n", engine.mentions_of(f.entity, 3));
        out += &format!("    with {:?}\n", engine.cooccurring(f.entity));
    }
    out
}

/// Answers `query` on an engine opened from `split`'s entry, fetching what each try says is missing
/// until nothing is; returns the answer and the pieces fetched, in rounds.
fn answer_split(split: &SplitPack, engine: &Engine, query: &str, filters: &str) -> (String, Vec<Vec<u32>>) {
    let mut rounds = Vec::new();
    loop {
        let text = answer(engine, query, filters);
        let missing = engine.missing();
        if missing.is_empty() {
            return (text, rounds);
        }
        for &piece in &missing {
            assert!(!engine.has_piece(piece), "{query}: piece {piece} is at hand yet reported missing");
            engine.add_piece(piece, &split.pieces[piece as usize].1).expect("a piece as written is accepted");
        }
        rounds.push(missing);
        assert!(rounds.len() <= 8, "{query}: still missing pieces after {rounds:?}");
    }
}

/// Queries of every kind the explorer runs, made from the corpus's own titles: each title word,
/// its first four letters, a one-letter typo, two words, a phrase of two, an exclusion, a field.
fn queries(engine: &Engine) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in engine.articles() {
        let words: Vec<&str> =
            a.title.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 4).collect();
        for pair in words.windows(2) {
            let (w, v) = (pair[0], pair[1]);
            let chars: Vec<char> = w.chars().collect();
            out.push((w.to_lowercase(), String::new()));
            out.push((chars[..4].iter().collect(), String::new()));
            out.push((chars.iter().skip(1).collect::<String>(), String::new()));
            let typo: String = chars.iter().enumerate().filter(|&(i, _)| i != 2).map(|(_, c)| c).collect();
            out.push((typo, String::new()));
            out.push((format!("{w} {v}"), String::new()));
            out.push((format!("\"{w} {v}\""), String::new()));
            out.push((format!("{v} -{w}"), String::new()));
            out.push((format!("title:{v}"), String::new()));
        }
    }
    out.push(("putin".into(), "person:\"Vladimir Putin\"".into()));
    out.push(("".into(), "-person:\"Vladimir Putin\"".into()));
    out.push(("kazakhstan".into(), "-place:Almaty".into()));
    out.push(("yang".into(), String::new()));
    out.push(("k".into(), String::new()));
    out.push(("\"unclosed quote".into(), String::new()));
    out
}

#[test]
fn a_split_pack_answers_every_query_as_the_whole_corpus() {
    answers_every_query_as_the_whole_corpus(&TINY);
}

/// So does one whose dictionary chunks name its postings chunks (an archive's with more of them than
/// its entry names).
#[test]
fn a_split_pack_whose_dictionary_names_its_postings_answers_every_query_as_the_whole_corpus() {
    answers_every_query_as_the_whole_corpus(&NAMED);
}

fn answers_every_query_as_the_whole_corpus(options: &SplitOptions) {
    let whole = corpus();
    assert!(whole.has_entities(), "the corpus has entities to filter and count");
    let split = whole.to_split(options).expect("an engine with every article splits");
    let count = split.pieces.len();
    assert!(count > 30, "small pieces: {count}");
    let queries = queries(&whole);
    assert!(queries.len() > 200, "{} queries", queries.len());
    let mut partial = 0;
    for (query, filters) in &queries {
        let expected = answer(&whole, query, filters);
        assert!(whole.missing().is_empty(), "a whole engine misses nothing");
        let opened = Engine::from_entry(&split.entry).expect("the entry opens");
        let (found, rounds) = answer_split(&split, &opened, query, filters);
        assert_eq!(found, expected, "{query} {filters}");
        let fetched: usize = rounds.iter().map(Vec::len).sum();
        partial += usize::from(fetched < count);
    }
    // Most queries need only some of the pieces.
    assert!(
        partial * 10 >= queries.len() * 9,
        "{partial} of {} queries fetched less than everything",
        queries.len()
    );
}

/// The rounds of fetches a query takes on a fresh engine over `split` until it needs nothing more (the
/// kinds of the pieces each round asked for), with that engine; the query finds something.
fn rounds_of(split: &SplitPack, query: &str, options: &SearchOptions) -> (Engine, Vec<Vec<PieceKind>>) {
    let opened = Engine::from_entry(&split.entry).unwrap();
    let mut rounds = Vec::new();
    loop {
        let hits = opened.search(query, options).total;
        let missing = opened.missing();
        if missing.is_empty() {
            assert!(hits > 0, "{query}: found");
            return (opened, rounds);
        }
        rounds.push(missing.iter().map(|&p| opened.piece_kind(p).unwrap()).collect());
        for p in missing {
            opened.add_piece(p, &split.pieces[p as usize].1).unwrap();
        }
    }
}

/// A word's postings chunk is asked for with its dictionary chunk (the entry has each postings
/// chunk's first key): a query of words the corpus has, typed whole or still being typed, finds its
/// articles after one round of fetches, not two (a dictionary chunk, then the postings it names).
#[test]
fn a_query_of_words_reads_its_index_in_one_round() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { post_bytes: 16, ..TINY }).unwrap();
    let post_chunks = split.pieces.iter().filter(|(name, _)| name.starts_with("p-")).count();
    assert!(post_chunks > 20, "the postings are in {post_chunks} chunks");
    for (query, prefix_last) in
        [("putin", false), ("kazakhstan", true), ("indofood jakarta", false), ("kazakh", true)]
    {
        let options = SearchOptions { prefix_last, ..SearchOptions::default() };
        let (opened, rounds) = rounds_of(&split, query, &options);
        assert_eq!(rounds.len(), 1, "{query}: {rounds:?}");
        assert!(
            rounds[0].contains(&PieceKind::Dictionary) && rounds[0].contains(&PieceKind::Postings),
            "{query}: {rounds:?}"
        );
        assert_eq!(opened.search(query, &options).docs, whole.search(query, &options).docs, "{query}");
    }
}

/// A word found by its roots too (`mengatakan` → `kata` → `dikatakan`, `katanya`) reads its candidate
/// roots' family chunks with its dictionary chunk: the variants' postings come with them, in the
/// first round, not in a round after the root's dictionary chunk has named them. Its results are the
/// whole corpus's.
#[test]
fn a_word_reads_its_stem_variants_postings_in_its_first_round() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { post_bytes: 16, ..TINY }).unwrap();
    let families = split.pieces.iter().filter(|(name, _)| name.starts_with("s-")).count();
    assert!(families > 5, "the roots' families are in {families} chunks");
    for (query, prefix_last) in
        [("mengatakan", false), ("kenaikan", false), ("dikatakan pedagang", false), ("naik", true)]
    {
        let options = SearchOptions { prefix_last, ..SearchOptions::default() };
        let (opened, rounds) = rounds_of(&split, query, &options);
        let results = opened.search(query, &options);
        let stems = results.expansions.iter().filter(|e| e.kind == MatchKind::Stem).count();
        assert!(stems > 0, "{query}: found by its roots too");
        assert_eq!(rounds.len(), 1, "{query} ({stems} stem variants): {rounds:?}");
        assert!(rounds[0].contains(&PieceKind::Families), "{query}: {rounds:?}");
        let full = whole.search(query, &options);
        assert_eq!(results.docs, full.docs, "{query}");
        assert_eq!(results.expansions, full.expansions, "{query}");
    }
}

/// When the dictionary chunks name the postings chunks (an archive with more of them than its entry
/// names), a word's postings come a round after its dictionary chunk, and so do its stem variants'
/// (`mengatakan` → `kata` → `dikatakan`): the root's dictionary chunk names their postings chunks
/// too, so they take no third round. The results are the whole corpus's.
#[test]
fn where_the_dictionary_names_the_postings_stem_variants_come_with_the_words_postings() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { post_bytes: 16, ..NAMED }).unwrap();
    for (query, prefix_last) in [("putin", false), ("mengatakan", false), ("kenaikan", false), ("naik", true)]
    {
        let options = SearchOptions { prefix_last, ..SearchOptions::default() };
        let (opened, rounds) = rounds_of(&split, query, &options);
        let results = opened.search(query, &options);
        assert_eq!(rounds.len(), 2, "{query}: {rounds:?}");
        assert!(
            rounds[0].iter().all(|&k| k == PieceKind::Dictionary || k == PieceKind::Lengths),
            "{query}: {rounds:?}"
        );
        assert!(rounds[1].iter().all(|&k| k == PieceKind::Postings), "{query}: {rounds:?}");
        let full = whole.search(query, &options);
        assert_eq!(results.docs, full.docs, "{query}");
        assert_eq!(results.expansions, full.expansions, "{query}");
        assert!(query == "putin" || results.expansions.iter().any(|e| e.kind == MatchKind::Stem), "{query}");
    }
}

/// A phrase's words are all looked up at once: their dictionary and postings chunks come in the
/// first round, then the batches of the articles that have every word (the phrase is counted in
/// their text), not a round per word.
#[test]
fn a_phrase_reads_its_index_in_one_round_then_its_articles() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { post_bytes: 16, ..TINY }).unwrap();
    for query in ["\"vladimir putin\"", "\"rusia vladimir putin\""] {
        let options = SearchOptions::default();
        let (opened, rounds) = rounds_of(&split, query, &options);
        assert_eq!(rounds.len(), 2, "{query}: {rounds:?}");
        let words = query.split_whitespace().count();
        let dictionaries = rounds[0].iter().filter(|&&k| k == PieceKind::Dictionary).count();
        assert!(
            dictionaries >= words.min(2) && rounds[0].contains(&PieceKind::Postings),
            "{query}: {rounds:?}"
        );
        assert!(rounds[1].iter().all(|&k| k == PieceKind::Articles), "{query}: {rounds:?}");
        assert_eq!(opened.search(query, &options).docs, whole.search(query, &options).docs, "{query}");
    }
}

/// A word with a typo looks for its near words as soon as its own dictionary chunks say it is not
/// in the corpus, not once every other clause of the query has all its pieces: a query takes no
/// more rounds than its slowest clause. (A phrase, which reads its articles' batches after its
/// index pieces, is the clause that takes longer: a word's stems come with it, in one round.)
#[test]
fn a_typo_does_not_wait_for_the_other_words() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { post_bytes: 16, ..TINY }).unwrap();
    let mut longer = 0;
    for (word, typo) in [
        ("\"vladimir putin\"", "inflsai"),
        ("\"rusia vladimir putin\"", "jakrta"),
        ("\"vladimir putin\"", "indofod"),
    ] {
        let rounds = |query: &str| rounds_of(&split, query, &SearchOptions::default()).1.len();
        let (alone, typo_alone, both) = (rounds(word), rounds(typo), rounds(&format!("{word} {typo}")));
        // (Fewer when the other word's pieces happen to be the typo's too.)
        assert!(
            both <= alone.max(typo_alone),
            "{word} {typo}: {both} rounds ({alone} and {typo_alone} alone)"
        );
        longer += usize::from(alone > 1);
    }
    assert!(longer > 0, "some clause takes more than one round alone");
}

#[test]
fn one_engine_keeps_what_it_fetched_and_answers_the_next_query_with_it() {
    let whole = corpus();
    let split = whole.to_split(&TINY).unwrap();
    let opened = Engine::from_entry(&split.entry).unwrap();
    let (_, first) = answer_split(&split, &opened, "putin", "");
    assert!(!first.is_empty(), "a first query fetches pieces");
    // Asking again needs nothing more.
    let (again, rounds) = answer_split(&split, &opened, "putin", "");
    assert!(rounds.is_empty(), "{rounds:?}");
    assert_eq!(again, answer(&whole, "putin", ""));
    // Nothing but the index, the lengths and the articles shown: the entity pieces come with facets.
    let kinds: Vec<PieceKind> = first.iter().flatten().map(|&p| opened.piece_kind(p).unwrap()).collect();
    assert!(kinds.contains(&PieceKind::Dictionary) && kinds.contains(&PieceKind::Postings), "{kinds:?}");
    assert!(kinds.contains(&PieceKind::Articles), "{kinds:?}");
}

#[test]
fn a_damaged_or_misplaced_piece_is_refused_and_the_rest_keeps_working() {
    let whole = corpus();
    let split = whole.to_split(&TINY).unwrap();
    let opened = Engine::from_entry(&split.entry).unwrap();
    opened.search("putin", &SearchOptions::default());
    let missing = opened.missing();
    // A dictionary chunk (large enough that its middle is past the container's header).
    let piece = *missing
        .iter()
        .find(|&&p| opened.piece_kind(p).unwrap() == sorot_engine::PieceKind::Dictionary)
        .unwrap();
    let mut damaged = split.pieces[piece as usize].1.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x55;
    let error = opened.add_piece(piece, &damaged).unwrap_err();
    assert!(error.to_string().contains("damaged"), "{error}");
    assert!(!opened.has_piece(piece));
    // The file is gzip around the container; a container damaged inside a sound gzip is refused by
    // its own checksum.
    assert!(split.pieces[piece as usize].1.starts_with(&[0x1f, 0x8b]));
    let mut container = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&split.pieces[piece as usize].1[..]),
        &mut container,
    )
    .unwrap();
    let middle = container.len() / 2;
    container[middle] ^= 0x55;
    let error = opened.add_piece(piece, &container).unwrap_err();
    assert!(error.to_string().contains("damaged (checksum mismatch)"), "{error}");
    assert!(!opened.has_piece(piece));
    // Another piece's bytes in its place: checked against the entry's tables.
    let other = (0..split.pieces.len() as u32)
        .find(|&p| opened.piece_kind(p).unwrap() != opened.piece_kind(piece).unwrap())
        .unwrap();
    assert!(opened.add_piece(piece, &split.pieces[other as usize].1).is_err());
    assert!(opened.add_piece(split.pieces.len() as u32, &split.pieces[0].1).is_err());
    // The right bytes still go in, and the query is answered.
    let (found, _) = answer_split(&split, &opened, "putin", "");
    assert_eq!(found, answer(&whole, "putin", ""));
    // Not an entry at all, and an entry cut short.
    assert!(Engine::from_entry(&split.pieces[0].1)
        .unwrap_err()
        .to_string()
        .contains("not a Sorot split pack entry"));
    let cut = &split.entry[..split.entry.len() - 3];
    assert!(Engine::from_entry(cut).is_err());
}

#[test]
fn pieces_are_named_by_their_content() {
    pieces_are_named_by_their_content_with(&TINY);
}

/// When the dictionary chunks name the postings chunks, a postings chunk's name is known once a
/// dictionary chunk that names it is here, and the service worker finds the dictionary chunks with
/// the lengths pieces.
#[test]
fn pieces_are_named_by_their_content_also_where_the_dictionary_names_the_postings() {
    pieces_are_named_by_their_content_with(&NAMED);
}

fn pieces_are_named_by_their_content_with(options: &SplitOptions) {
    let whole = corpus();
    let split = whole.to_split(options).unwrap();
    let named = options.keyed_chunks == NAMED.keyed_chunks;
    let opened = Engine::from_entry(&split.entry).unwrap();
    // A batch is named by its range's lengths piece, not by the entry; so is a postings chunk by a
    // dictionary chunk, when the entry does not name them.
    let kinds: Vec<PieceKind> =
        (0..split.pieces.len() as u32).map(|p| opened.piece_kind(p).unwrap()).collect();
    let by_others = |kind: PieceKind| kind == PieceKind::Articles || named && kind == PieceKind::Postings;
    assert!(kinds.iter().filter(|&&k| k == PieceKind::Postings).count() > NAMED.keyed_chunks);
    for (p, kind) in kinds.iter().enumerate() {
        assert_eq!(opened.piece(p as u32).is_some(), !by_others(*kind), "{kind:?}");
    }
    let naming = |kind: PieceKind| kind == PieceKind::Lengths || named && kind == PieceKind::Dictionary;
    for (p, kind) in kinds.iter().enumerate() {
        if naming(*kind) {
            opened.add_piece(p as u32, &split.pieces[p].1).unwrap();
        }
    }
    assert!(
        kinds.iter().filter(|&&k| k == PieceKind::Articles).count()
            > kinds.iter().filter(|&&k| k == PieceKind::Lengths).count()
    );
    // The service worker finds the names of the pieces that name others where `www/sw.js` reads
    // them: after the entry's 24-byte header, their bytes' number (a varint), then 9 bytes each:
    // the kind's letter and the hash.
    let listed: Vec<&String> =
        split.pieces.iter().zip(&kinds).filter(|(_, &k)| naming(k)).map(|((n, _), _)| n).collect();
    assert!(listed.len() > 1);
    let (mut len, mut at) = (0, 24);
    for shift in (0..).step_by(7) {
        len |= usize::from(split.entry[at] & 0x7f) << shift;
        at += 1;
        if split.entry[at - 1] < 0x80 {
            break;
        }
    }
    assert_eq!(len, 9 * listed.len());
    for (i, name) in listed.iter().enumerate() {
        let at = at + 9 * i;
        let hash: String = split.entry[at + 1..at + 9].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(**name, format!("{}-{hash}.sorot", split.entry[at] as char));
    }
    let mut by_name = std::collections::HashMap::new();
    for (p, (name, bytes)) in split.pieces.iter().enumerate() {
        assert_eq!(&opened.piece(p as u32).unwrap().1, name);
        // One name, one content (two pieces alike, say two ranges without mentions, share a file).
        assert_eq!(*by_name.entry(name.as_str()).or_insert(bytes), bytes, "{name}");
    }
    let contents: std::collections::HashSet<&Vec<u8>> = split.pieces.iter().map(|(_, b)| b).collect();
    assert_eq!(by_name.len(), contents.len(), "distinct contents, distinct names");
    // The same corpus splits into the same files.
    let again = whole.to_split(options).unwrap();
    assert_eq!(again.entry, split.entry);
}

/// Fetches what `ask` says is missing until nothing is.
fn complete(split: &SplitPack, engine: &Engine, ask: impl Fn()) {
    loop {
        ask();
        let missing = engine.missing();
        if missing.is_empty() {
            return;
        }
        for p in missing {
            engine.add_piece(p, &split.pieces[p as usize].1).unwrap();
        }
    }
}

#[test]
fn facets_read_the_facet_columns_and_name_only_the_entities_shown() {
    let whole = corpus();
    let split = whole.to_split(&TINY).unwrap();
    let opened = Engine::from_entry(&split.entry).unwrap();
    let options = SearchOptions::default();
    // The results first, with every piece they need.
    complete(&split, &opened, || drop(opened.search("putin", &options)));
    let results = opened.search("putin", &options);
    assert!(opened.missing().is_empty());
    let facets = opened.facets(Some(&results.docs));
    let kinds: Vec<PieceKind> = opened.missing().iter().map(|&p| opened.piece_kind(p).unwrap()).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|&k| k == PieceKind::Facets), "{kinds:?}");
    complete(&split, &opened, || drop(opened.facets(Some(&results.docs))));
    let facets_again = opened.facets(Some(&results.docs));
    assert_eq!(facets_again, whole.facets(Some(&results.docs)));
    assert!(facets.len() < facets_again.len(), "counted without the facet columns: {facets:?}");
    // Their types are known without names; naming the first reads one chunk of the entity list.
    for f in &facets_again {
        assert_eq!(opened.entity_kind(f.entity), whole.entity(f.entity).map(|e| e.kind));
    }
    assert!(opened.missing().is_empty());
    let top = facets_again[0].entity;
    assert!(opened.entity(top).is_none());
    let chunks = opened.missing();
    assert_eq!(chunks.len(), 1, "{chunks:?}");
    assert_eq!(opened.piece_kind(chunks[0]).unwrap(), PieceKind::Entities);
    let all_chunks = split.pieces.iter().filter(|(name, _)| name.starts_with("e-")).count();
    assert!(all_chunks > 3, "the list is in {all_chunks} chunks");
}

#[test]
fn an_article_comes_in_one_piece_after_its_ranges_lengths_and_its_entities_with_its_facet_range() {
    let whole = corpus();
    let split = whole.to_split(&TINY).unwrap();
    let opened = Engine::from_entry(&split.entry).unwrap();
    let doc = (0..whole.article_count() as u32)
        .map(DocId)
        .find(|&d| !whole.article_mentions(d).is_empty())
        .expect("an article with entities");
    // The entry does not name the batches: the range's lengths piece does (a query reads it anyway).
    assert!(opened.article_at(doc).is_none());
    let missing = opened.missing();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(opened.piece_kind(missing[0]).unwrap(), PieceKind::Lengths);
    opened.add_piece(missing[0], &split.pieces[missing[0] as usize].1).unwrap();
    assert!(opened.article_at(doc).is_none());
    let missing = opened.missing();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(opened.piece_kind(missing[0]).unwrap(), PieceKind::Articles);
    opened.add_piece(missing[0], &split.pieces[missing[0] as usize].1).unwrap();
    assert_eq!(opened.article_at(doc), whole.article_at(doc));
    // The mentions' entities are numbered by the facet range (what the results' facets read).
    assert!(opened.article_mentions(doc).is_empty());
    let missing = opened.missing();
    assert_eq!(
        missing.iter().map(|&p| opened.piece_kind(p).unwrap()).collect::<Vec<_>>(),
        [PieceKind::Facets]
    );
    opened.add_piece(missing[0], &split.pieces[missing[0] as usize].1).unwrap();
    assert_eq!(opened.article_mentions(doc), whole.article_mentions(doc));
    // And the names of its entities (what a list of results shows), without the entity list.
    for m in whole.article_mentions(doc) {
        let name = whole.entity(m.entity).map(|e| e.name.as_str());
        assert_eq!(opened.entity_name_in(doc, m.entity), name);
        assert_eq!(opened.entity_kind(m.entity), whole.entity(m.entity).map(|e| e.kind));
    }
    assert!(opened.missing().is_empty());
}

#[test]
fn adding_articles_leaves_the_earlier_article_batches_as_they_were() {
    let whole = corpus();
    let fewer: Vec<_> = whole.articles()[..whole.article_count() - 2].to_vec();
    let mut mentions = Vec::new();
    let model = sorot_engine::shipped_model();
    for a in &fewer {
        mentions.push(model.tag(&a.body, &a.lang));
    }
    let fewer = Engine::with_mentions(fewer, mentions);
    // Some entity of both corpora has another number in each (else this would prove nothing).
    let renumbered = fewer
        .entity_list()
        .iter()
        .enumerate()
        .any(|(i, e)| whole.entity_named(e.kind, &e.name).is_some_and(|id| id.index() != i));
    assert!(renumbered, "the two corpora number their entities alike");
    let before = fewer.to_split(&TINY).unwrap();
    let after = whole.to_split(&TINY).unwrap();
    let names = |s: &SplitPack, kind: char| -> Vec<String> {
        s.pieces.iter().map(|(n, _)| n.clone()).filter(|n| n.starts_with(kind)).collect()
    };
    // The entities are numbered anew (more articles, other counts), and the batches do not say
    // their numbers: every batch of the earlier articles but the last is the same file.
    let (old, new) = (names(&before, 'a'), names(&after, 'a'));
    let kept = old.iter().filter(|n| new.contains(n)).count();
    assert!(kept + 1 >= old.len(), "{kept} of {} batches kept", old.len());
}

#[test]
fn a_name_is_looked_up_in_one_bucket_of_the_name_index_and_its_entities_chunks() {
    let whole = corpus();
    let split = whole.to_split(&TINY).unwrap();
    let buckets = split.pieces.iter().filter(|(name, _)| name.starts_with("n-")).count();
    assert!(buckets > 3, "the name index is in {buckets} buckets");
    let all_chunks = split.pieces.iter().filter(|(name, _)| name.starts_with("e-")).count();
    // Every entity by each of its names, aliases and another case: the same entities as the whole
    // engine finds, from one bucket and the chunks of its candidates.
    for e in whole.entity_list() {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            for asked in [name.clone(), name.to_uppercase()] {
                let opened = Engine::from_entry(&split.entry).unwrap();
                complete(&split, &opened, || drop(opened.find_entities(Some(e.kind), &asked)));
                assert_eq!(
                    opened.find_entities(Some(e.kind), &asked),
                    whole.find_entities(Some(e.kind), &asked)
                );
                assert_eq!(opened.entity_named(e.kind, name), whole.entity_named(e.kind, name), "{name}");
                let read: Vec<PieceKind> = (0..split.pieces.len() as u32)
                    .filter(|&p| opened.has_piece(p))
                    .map(|p| opened.piece_kind(p).unwrap())
                    .collect();
                assert_eq!(read.iter().filter(|&&k| k == PieceKind::Names).count(), 1, "{asked}: {read:?}");
                let chunks = read.iter().filter(|&&k| k == PieceKind::Entities).count();
                assert!(chunks >= 1 && chunks < all_chunks, "{asked}: {chunks} of {all_chunks} chunks");
                assert!(read.iter().all(|&k| k == PieceKind::Names || k == PieceKind::Entities), "{read:?}");
            }
        }
    }
    // A name no entity has reads one bucket and no chunk (unless its hash meets another name's).
    let opened = Engine::from_entry(&split.entry).unwrap();
    complete(&split, &opened, || drop(opened.find_entities(None, "Nama Yang Tidak Ada")));
    assert!(opened.find_entities(None, "Nama Yang Tidak Ada").is_empty());
}

#[test]
fn a_typo_reads_the_dictionary_of_its_first_letter_and_its_tails_not_every_chunk() {
    let whole = corpus();
    let split = whole.to_split(&SplitOptions { dict_terms: 8, ..TINY }).unwrap();
    let kind = |engine: &Engine, p: u32| engine.piece_kind(p).unwrap();
    let probe = Engine::from_entry(&split.entry).unwrap();
    let chunks = (0..split.pieces.len() as u32).filter(|&p| kind(&probe, p) == PieceKind::Dictionary).count();
    assert!(chunks > 20, "{chunks} dictionary chunks");
    // A letter left out, one before the word, the first replaced, the first two swapped, and a
    // letter dropped inside: each one edit from `kazakhstan`.
    for typo in ["azakhstan", "skazakhstan", "gazakhstan", "akzakhstan", "kazakstan"] {
        let found = whole.search(typo, &SearchOptions::default());
        assert!(
            found
                .expansions
                .iter()
                .any(|e| e.term == "kazakhstan" && e.kind == sorot_engine::MatchKind::Typo),
            "{typo}: {:?}",
            found.expansions
        );
        let opened = Engine::from_entry(&split.entry).unwrap();
        let (answered, rounds) = answer_split(&split, &opened, typo, "");
        assert_eq!(answered, answer(&whole, typo, ""), "{typo}");
        let read = rounds.iter().flatten().filter(|&&p| kind(&opened, p) == PieceKind::Dictionary).count();
        assert!(read * 3 < chunks, "{typo}: {read} of {chunks} dictionary chunks read");
    }
}

/// What `packer` writes at [`TINY`] given `articles` again: the entry, the number of terms, what the
/// corrections could not do, and the pieces (name and bytes) in the order written.
#[allow(clippy::type_complexity)]
fn write_all(
    packer: sorot_engine::SplitPacker,
    articles: &[sorot_engine::Article],
) -> (Vec<u8>, usize, Vec<sorot_engine::CorrectionNote>, Vec<(String, Vec<u8>)>) {
    let mut again = articles.iter().cloned();
    let mut pieces: Vec<(String, Vec<u8>)> = Vec::new();
    let (entry, terms, notes) = packer
        .write(&TINY, &mut || again.next().map(Ok), &mut |at, name, file| {
            if pieces.len() <= at {
                pieces.resize(at + 1, Default::default());
            }
            pieces[at] = (name.to_string(), file.to_vec());
            Ok(())
        })
        .expect("the packer writes");
    (entry, terms, notes, pieces)
}

#[test]
fn the_streaming_packer_writes_the_pack_the_whole_engine_writes() {
    let whole = corpus();
    let model = sorot_engine::shipped_model();
    let mut packer = sorot_engine::SplitPacker::new();
    for a in whole.articles() {
        packer.add(a, &model.tag(&a.body, &a.lang));
    }
    let (entry, terms, _, pieces) = write_all(packer, whole.articles());
    let expected = whole.to_split(&TINY).unwrap();
    assert_eq!(terms, whole.index().term_count());
    assert!(entry == expected.entry, "the entries differ");
    assert_eq!(pieces.len(), expected.pieces.len());
    for (got, want) in pieces.iter().zip(&expected.pieces) {
        assert_eq!(got.0, want.0);
        assert!(got.1 == want.1, "{} differs", got.0);
    }
}

#[test]
fn corrections_apply_alike_in_the_whole_engine_and_the_streaming_packer() {
    use sorot_engine::{Correction, CorrectionEntity, CorrectionMention, Corrections, EntityType};
    let whole = corpus();
    let model = shipped_model();
    let articles = whole.articles().to_vec();
    let mentions: Vec<_> = articles.iter().map(|a| model.tag(&a.body, &a.lang)).collect();
    // Rename the first person, merge the second place into the first, and take the first mention of
    // the first article out.
    let people: Vec<_> = whole.entity_list().into_iter().filter(|e| e.kind == EntityType::Per).collect();
    let places: Vec<_> = whole.entity_list().into_iter().filter(|e| e.kind == EntityType::Loc).collect();
    let first = whole.article_mentions(DocId(0))[0];
    let text = first.span.get(&articles[0].body).unwrap().to_string();
    let named = |e: &sorot_engine::Entity| CorrectionEntity { kind: e.kind, name: e.name.clone() };
    let corrections = Corrections {
        sorot_corrections: 1,
        corrections: vec![
            Correction::Rename { entity: named(people[0]), to: "Someone Else".into() },
            Correction::Merge { entity: named(places[1]), into: named(places[0]) },
            Correction::NotEntity {
                mention: CorrectionMention {
                    article: articles[0].id.clone(),
                    start: first.span.start,
                    end: first.span.end,
                    text: text.clone(),
                },
            },
        ],
    };
    let (corrected, notes) = Engine::with_corrections(articles.clone(), mentions.clone(), &corrections);
    assert_eq!(notes, []);
    assert_eq!(corrected.find_entities(Some(EntityType::Per), "Someone Else").len(), 1);
    assert_eq!(
        corrected.entity_list().iter().filter(|e| e.kind == EntityType::Loc).count(),
        places.len() - 1
    );
    assert!(corrected.article_mentions(DocId(0)).iter().all(|m| m.span != first.span), "{text} is gone");
    assert_eq!(corrected.article_mentions(DocId(0)).len() + 1, whole.article_mentions(DocId(0)).len());

    let mut packer = sorot_engine::SplitPacker::new();
    packer.correct(corrections);
    for (a, m) in articles.iter().zip(&mentions) {
        packer.add(a, m);
    }
    let (entry, _, notes, pieces) = write_all(packer, &articles);
    assert_eq!(notes, []);
    let expected = corrected.to_split(&TINY).unwrap();
    assert!(entry == expected.entry, "the entries differ");
    assert_eq!(pieces.len(), expected.pieces.len());
    for (got, want) in pieces.iter().zip(&expected.pieces) {
        assert!(got.1 == want.1, "{} differs", got.0);
    }
}

#[test]
fn the_streaming_packer_refuses_articles_that_are_not_those_it_was_given() {
    let whole = corpus();
    let packed = || {
        let mut packer = sorot_engine::SplitPacker::new();
        for a in whole.articles() {
            packer.add(a, &[]);
        }
        packer
    };
    let write = &mut |_: usize, _: &str, _: &[u8]| Ok(());
    // Read again, the files had changed: another article, fewer, or a reading that failed.
    let mut changed = whole.articles().to_vec();
    changed[5].id = "someone-else".into();
    let mut changed = changed.into_iter();
    let err = packed().write(&TINY, &mut || changed.next().map(Ok), write).unwrap_err();
    assert!(err.starts_with("article 6 read again is \"someone-else\", not "), "{err}");
    let mut fewer = whole.articles()[..4].iter().cloned();
    let err = packed().write(&TINY, &mut || fewer.next().map(Ok), write).unwrap_err();
    let n = whole.article_count();
    assert_eq!(err, format!("the articles ended at 4 of {n}: did the files change while they were packed?"));
    let mut more = whole.articles().iter().chain(&whole.articles()[..1]).cloned();
    let err = packed().write(&TINY, &mut || more.next().map(Ok), write).unwrap_err();
    assert_eq!(
        err,
        format!(
            "read again, the files hold more than the {n} articles first read ({:?} follows them): did they change while they were packed?",
            whole.articles()[0].id
        )
    );
    let err = packed().write(&TINY, &mut || Some(Err("feed.jsonl: cannot read".into())), write).unwrap_err();
    assert_eq!(err, "feed.jsonl: cannot read");
    // And what the writer says stops the pack.
    let mut all = whole.articles().to_vec().into_iter();
    let err = packed().write(&TINY, &mut || all.next().map(Ok), &mut |_, _, _| Err("disk full".into()));
    assert_eq!(err.unwrap_err(), "disk full");
}
