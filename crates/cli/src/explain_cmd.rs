//! `sorot explain`: the engine's explanations of a query and its hits, as text or JSON.

use std::fmt::Write;

use serde_json::{json, Value};
use sorot_engine::{
    Above, ClauseExplanation, ClauseType, Engine, Field, HitExplanation, MatchKind, MergeReason,
    QueryExplanation, SearchOptions,
};

use crate::args::{Args, Spec};
use crate::{corpus, look_at, positional, usage, Done};

pub const SPEC: Spec = Spec {
    usage: concat!(
        "\
usage: sorot explain <CORPUS> <QUERY> [--doc ID] [--limit N] [--prefix] [--json]

Shows the work of a search. How QUERY is read: its clauses (groups that must all match, OR inside a
group, exclusions, fields, entity filters) and warnings; each word as typed, normalised, whether it is
a stopword, its candidate roots with the rules that found them (suffix -an, prefix meN- with its
sound change, particle -lah, possessive -nya, reduplication, infix), and the terms searched (the
word, its root's words, a prefix's completions, typos with their edit distance) with the number of
articles that have each. Then why each hit ranks where it does: per clause the term counts and
weights, the title and body lengths against their averages, idf with n and N, k1 and b, the score;
the sum, what the title's first query word multiplies it by, and what puts it above the next hit.

",
        corpus_help!(),
        "

options:
    --doc <ID>    explain only this article's rank (it must be among the first --limit hits)
    --limit <N>   explain the first N hits (default 3; with --doc, look among the first 100)
    --prefix      treat the last word as a prefix, as the explorer does while typing
    --json        print JSON: {\"query\": …, \"hits\": […]}
    -h, --help    show this text"
    ),
    valued: &[&["--doc"], &["--limit"]],
    flags: &["--json", "--prefix"],
};

pub fn explain(args: &Args) -> Result<Done, String> {
    let [corpus, query] = positional(args)[..] else {
        return Err(format!(
            "`explain` takes a corpus and a query (quote a query of several words)\n\n{}",
            usage("explain")
        ));
    };
    let doc = args.value("--doc");
    let limit = args.number("--limit", if doc.is_some() { 100 } else { 3 })?;
    let options = SearchOptions { limit, prefix_last: args.has("--prefix"), ..SearchOptions::default() };
    let json = args.has("--json");
    let answer = |engine: &Engine| -> Result<String, String> {
        let explained = engine.explain_query(query, &options);
        let results = engine.search(query, &options);
        let hits: Vec<&sorot_engine::Hit> = match doc {
            Some(id) => {
                let hit = results.hits.iter().find(|h| engine.article_at(h.doc).is_some_and(|a| a.id == id));
                let Some(hit) = hit else {
                    let known = engine.article_number(id).is_some();
                    return Err(if known {
                        format!(
                            "article {id:?} is not among the first {limit} hits of {query:?} (raise --limit)"
                        )
                    } else {
                        format!("no article {id:?} in {corpus}")
                    });
                };
                vec![hit]
            }
            None => results.hits.iter().collect(),
        };
        let hits: Vec<HitExplanation> =
            hits.iter().filter_map(|h| results.explain_hit(engine, h.doc)).collect();
        Ok(if json {
            let hits: Vec<Value> = hits.iter().map(|e| hit_json(engine, e)).collect();
            let value = json!({ "query": explained, "hits": hits });
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        } else {
            let mut out = query_text(&explained);
            for e in &hits {
                out.push_str("\n\n");
                out.push_str(&hit_text(engine, e));
            }
            out
        })
    };
    if let Some(split) = corpus::split_entry(&[corpus]) {
        let split = split?;
        let out = split.answer(answer)??;
        outln!("{out}");
        return Ok(Done::Complete);
    }
    let (engine, done) = look_at(&[corpus])?;
    outln!("{}", answer(&engine)?);
    Ok(done)
}

/// A hit's explanation with its article's id and title.
fn hit_json(engine: &Engine, e: &HitExplanation) -> Value {
    let mut value = serde_json::to_value(e).unwrap_or(Value::Null);
    if let (Some(a), Value::Object(map)) = (engine.article_at(e.doc), &mut value) {
        map.insert("id".into(), json!(a.id));
        map.insert("title".into(), json!(a.title));
    }
    value
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Any => "title and body",
        Field::Title => "title only",
        Field::Body => "body only",
    }
}

fn kind_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "the word",
        MatchKind::Stem => "same root",
        MatchKind::Prefix => "completion",
        MatchKind::Typo => "typo",
    }
}

/// The query's analysis as text.
fn query_text(q: &QueryExplanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "query {:?} over {} (stopwords and stemming: {})",
        q.query,
        plural(q.articles, "article"),
        if q.languages.is_empty() { "none".to_string() } else { q.languages.join(", ") }
    );
    for w in &q.warnings {
        let _ = writeln!(out, "note: {} (at {}..{} of the query)", w.message, w.span.start, w.span.end);
    }
    let _ = writeln!(out, "\nevery group must match; any clause of a group may (OR):");
    for (g, group) in q.groups.iter().enumerate() {
        for (c, clause) in group.iter().enumerate() {
            let head = if c == 0 { format!("{}.", g + 1) } else { "OR".to_string() };
            clause_text(&mut out, &head, clause);
        }
    }
    if !q.excluded.is_empty() {
        let _ = writeln!(out, "\nno result may match:");
        for clause in &q.excluded {
            clause_text(&mut out, "NOT", clause);
        }
    }
    let _ = write!(
        out,
        "\n{} {}{}",
        plural(q.total, "article"),
        if q.total == 1 { "matches" } else { "match" },
        if q.any_word_fallback { " (any of the words: none has them all)" } else { "" }
    );
    out
}

fn clause_text(out: &mut String, head: &str, c: &ClauseExplanation) {
    let kind = match c.kind {
        ClauseType::Word => "word",
        ClauseType::Prefix => "prefix",
        ClauseType::Phrase => "phrase",
        ClauseType::Entity => "entity filter",
    };
    let stop = if c.stopword {
        format!(", a stopword: counts ×{} and is not required", sorot_engine::RankParams::default().stopword)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {head} {}  ({kind}, {}, in {}{stop})",
        c.label,
        field_name(c.field),
        plural(c.articles, "article")
    );
    for w in &c.words {
        let stop = match &w.stopword_in[..] {
            [] => "not a stopword".to_string(),
            langs => format!("stopword ({})", langs.join(", ")),
        };
        let _ = writeln!(out, "     {:?} → normalised {:?} → {stop}", w.typed, w.normalized);
        for r in &w.roots {
            let how = if r.steps.is_empty() {
                "Porter2 English stem".to_string()
            } else {
                r.steps
                    .iter()
                    .map(|s| format!("{} {} → {}", s.rule, s.affix, s.leaves))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let seen = match (r.is_word, r.variants) {
                (true, 0) => "a word of the corpus".to_string(),
                (false, 0) => "no word of the corpus".to_string(),
                (true, n) => format!("a word of the corpus, and the root of {} more", plural(n, "word")),
                (false, n) => format!("the root of {} of the corpus", plural(n, "other word")),
            };
            let _ = writeln!(out, "       root {:?} [{}]: {how}; {seen}", r.root, r.language);
        }
    }
    if !c.entities.is_empty() {
        let _ = writeln!(out, "     entities: {}", c.entities.join(", "));
    }
    for t in &c.searched {
        let how = match (t.kind, &t.root, t.distance) {
            (MatchKind::Stem, Some(root), _) => format!("same root {root:?}"),
            (MatchKind::Typo, _, Some(d)) => format!("typo, {}", plural(usize::from(d), "edit")),
            (kind, _, _) => kind_name(kind).to_string(),
        };
        let _ = writeln!(
            out,
            "     searched {:?}: {how}, weight {:.2}, in {}",
            t.term,
            t.weight,
            plural(t.articles as usize, "article")
        );
    }
}

/// A hit's breakdown as text.
fn hit_text(engine: &Engine, e: &HitExplanation) -> String {
    let mut out = String::new();
    let (id, title) = engine.article_at(e.doc).map_or(("?", ""), |a| (a.id.as_str(), a.title.as_str()));
    let _ = writeln!(out, "#{} {title}  ({id})", e.place);
    let factor = match e.title_place {
        Some(p) => {
            format!(" × title factor {:.3} (a query word is the title's word {})", e.title_factor, p + 1)
        }
        None => String::new(),
    };
    let _ = writeln!(out, "   score {:.4} = sum {:.4}{factor}", e.score, e.sum);
    let l = &e.lengths;
    let _ = writeln!(
        out,
        "   title {} words (average {:.1}, b {:.2}: norm {:.3}) · body {} words (average {:.1}, b {:.2}: norm {:.3}) · k1 {:.2} · title boost {:.1} · N {}",
        l.title, l.average_title, l.b_title, l.norm_title, l.body, l.average_body, l.b_body, l.norm_body, e.k1, e.title_boost, e.articles
    );
    for c in &e.clauses {
        let terms: Vec<String> = c
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{:?} ({}, ×{:.2}): title {} body {}",
                    t.term,
                    kind_name(t.kind),
                    t.weight,
                    t.title,
                    t.body
                )
            })
            .collect();
        let _ = writeln!(out, "   {}{}", c.label, if c.exact { "" } else { " (a variant only)" });
        let _ = writeln!(out, "      {}", terms.join("; "));
        let stop = if c.stopword_factor != 1.0 {
            format!(" × stopword {:.2}", c.stopword_factor)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "      tf title {:.2} body {:.2} → weighted {:.3} → saturated {:.3} × idf {:.3} (n {} of N {}){stop} = {:.4}",
            c.tf_title, c.tf_body, c.weighted_tf, c.saturated_tf, c.idf, c.df, e.articles, c.score
        );
    }
    let tier = if e.title_tier {
        format!(", {} in the title ({} stopwords)", e.in_title, e.stopwords_in_title)
    } else {
        String::new()
    };
    let _ = write!(out, "   ranked by: {} exact{tier}, then score", plural(e.exact as usize, "clause"));
    if let Some(above) = &e.above_next {
        let why = match above {
            Above::Exact { this, next } => format!("more clauses matched exactly ({this} against {next})"),
            Above::TitleWords { this, next } => {
                format!("more query words in the title ({this} against {next})")
            }
            Above::TitleStopwords { this, next } => {
                format!("more of the query's stopwords in the title ({this} against {next})")
            }
            Above::Score { this, next } => format!("a higher score ({this:.4} against {next:.4})"),
            Above::Tie => "nothing: equal on every key, the corpus order decides".to_string(),
        };
        let _ = write!(out, "\n   above #{} by {why}", e.place + 1);
    }
    out
}

/// `sorot entities --explain` as text: each mention, how it came about, and its words' tags.
pub fn entities_text(e: &sorot_engine::NerExplanation, merges: &[Option<(String, MergeReason)>]) -> String {
    let mut out = String::new();
    if e.tagger == "english-rules" {
        let _ = writeln!(
            out,
            "English text: tagged by word lists, capitals and titles (the statistical model is Indonesian)"
        );
    }
    for (m, merge) in e.mentions.iter().zip(merges) {
        let how = match m.how {
            "tagged" => "an entity of the best tag path",
            "cut" => "cut from a longer entity of the path (a title, or names joined by dan/and)",
            "propagated" => "the same name was tagged elsewhere in the text",
            _ => "the English rules",
        };
        let _ = writeln!(
            out,
            "\n{} “{}” at {}..{}, confidence {:.3}: {how}",
            m.kind.code(),
            m.text,
            m.span.start,
            m.span.end,
            m.confidence
        );
        if let Some((entity, reason)) = merge {
            let why = match reason {
                MergeReason::Canonical => "its name".to_string(),
                MergeReason::Variant => "the same words written differently".to_string(),
                MergeReason::Acronym => "an acronym in parentheses after its name".to_string(),
                MergeReason::PartOf { longer, in_article: true } => {
                    format!("part of “{longer}”, in the same text")
                }
                MergeReason::PartOf { longer, in_article: false } => {
                    format!("part of “{longer}”, the only longer name it fits")
                }
                MergeReason::Through { name } => format!("joined through “{name}”"),
            };
            let _ = writeln!(out, "   entity “{entity}”: {why}");
        }
        let Some(place) = m.place else { continue };
        let Some(sentence) = e.sentences.get(place.sentence) else { continue };
        let _ = writeln!(out, "   smallest margin {:.2} (over its words and the word after)", place.margin);
        for t in sentence.tokens.get(place.tokens.0..place.tokens.1).unwrap_or(&[]) {
            let margin = t.margin.map_or("only possible tag".to_string(), |m| format!("margin {m:.2}"));
            let _ = writeln!(
                out,
                "   {} {} (runner-up {}, {margin}; own evidence {:+.2})",
                t.text, t.tag, t.runner_up, t.emission
            );
            if !t.lists.is_empty() {
                let _ = writeln!(out, "      lists: {}", t.lists.join("; "));
            }
            for f in t.for_tag.iter().take(4) {
                let _ = writeln!(out, "      {:+.2}  {}", f.weight, f.feature);
            }
            for f in t.against.iter().take(3) {
                let _ = writeln!(out, "      {:+.2}  {}", f.weight, f.feature);
            }
        }
    }
    out
}
