//! Teaching mode (issue #15, `teach.html`): the work behind a search, shown next to its results. How
//! the query was read (its clauses, and each word through the analysis to the terms searched) and
//! why each of the first results ranks where it does, from the engine's own explanations
//! ([`Engine::explain_query`], [`sorot_engine::SearchResults::explain_hit`]): the numbers are the
//! ones it ranked by. Only the teaching build has this module (the `teach` feature), so that the
//! first page load does not carry it. Article text is never rendered as HTML: every string is a
//! text node.

use sorot_engine::{
    Above, ClauseExplanation, ClauseType, DocId, Engine, EntityType, Field, HitExplanation, MatchKind,
    MergeReason, QueryExplanation, SearchOptions, SearchResults, Span,
};
use yew::prelude::*;

use crate::i18n::UiLang;
use crate::view::Shared;

/// How many of the first results get a "why this rank" breakdown.
pub const EXPLAINED_HITS: usize = 10;

/// The teaching strings, in Bahasa Indonesia and English.
struct Words {
    heading: &'static str,
    intro: &'static str,
    structure: &'static str,
    all_groups: &'static str,
    or: &'static str,
    excluded: &'static str,
    warnings: &'static str,
    analysis: &'static str,
    typed: &'static str,
    normalized: &'static str,
    stopword: &'static str,
    roots: &'static str,
    searched: &'static str,
    yes: &'static str,
    no: &'static str,
    no_roots: &'static str,
    why_rank: &'static str,
    clause: &'static str,
    terms: &'static str,
    score: &'static str,
    sum: &'static str,
    title_factor: &'static str,
    in_title: &'static str,
    exact: &'static str,
    variant_only: &'static str,
    corpus_word: &'static str,
    not_in_corpus: &'static str,
    articles: &'static str,
    article: &'static str,
    title_word: &'static str,
    above_exact: &'static str,
    above_title: &'static str,
    above_stop: &'static str,
    above_score: &'static str,
    above_tie: &'static str,
    lengths: &'static str,
    kinds: [&'static str; 4],
    clause_kinds: [&'static str; 4],
    fields: [&'static str; 3],
    rules: [(&'static str, &'static str); 6],
    entity_filter_found: &'static str,
    entities_heading: &'static str,
    entities_intro: &'static str,
    mention: &'static str,
    entity: &'static str,
    joined: &'static str,
    confidence: &'static str,
    kinds_of_entity: [&'static str; 3],
    merge: [&'static str; 6],
    recogniser: &'static str,
    model_loading: &'static str,
    model_failed: &'static str,
    runner_up: &'static str,
    margin: &'static str,
    only_tag: &'static str,
    not_tagged: &'static str,
    split_off: &'static str,
    cut_from: &'static str,
    sentence: &'static str,
    lists: &'static str,
    how: [&'static str; 4],
    pictures: &'static str,
    by_type: &'static str,
    network: &'static str,
    network_note: &'static str,
    over_time: &'static str,
    table: &'static str,
    period: &'static str,
    undated: &'static str,
    pair: &'static str,
    shared: &'static str,
    filter_by: &'static str,
    types_plural: [&'static str; 3],
}

const ID: Words = Words {
    heading: "Cara kerja pencarian",
    intro: "Bagaimana kueri dibaca, kata apa saja yang dicari, dan mengapa setiap hasil berada di urutannya. Angka-angkanya adalah yang dipakai mesin untuk mengurutkan.",
    structure: "Susunan kueri",
    all_groups: "Setiap kelompok harus cocok; di dalam kelompok, salah satu cukup (ATAU).",
    or: "ATAU",
    excluded: "Tidak boleh ada",
    warnings: "Catatan",
    analysis: "Analisis kata",
    typed: "Diketik",
    normalized: "Dinormalkan",
    stopword: "Kata henti",
    roots: "Kandidat akar kata (aturan)",
    searched: "Yang dicari (artikel)",
    yes: "ya",
    no: "tidak",
    no_roots: "tidak ada",
    why_rank: "Mengapa urutan ini",
    clause: "Klausa",
    terms: "Kata dan kemunculan (judul/isi)",
    score: "Skor",
    sum: "Jumlah",
    title_factor: "faktor judul",
    in_title: "kata kueri di judul",
    exact: "klausa cocok persis",
    variant_only: "hanya varian",
    corpus_word: "kata dalam korpus",
    not_in_corpus: "tidak ada di korpus",
    articles: "artikel",
    article: "artikel",
    title_word: "kata ke-{} judul",
    above_exact: "Di atas hasil berikutnya karena lebih banyak klausa yang cocok persis",
    above_title: "Di atas hasil berikutnya karena lebih banyak kata kueri di judul",
    above_stop: "Di atas hasil berikutnya karena lebih banyak kata henti kueri di judul",
    above_score: "Di atas hasil berikutnya karena skornya lebih tinggi",
    above_tie: "Sama dengan hasil berikutnya di setiap kunci: urutan korpus yang menentukan",
    lengths: "Panjang",
    kinds: ["kata itu sendiri", "akar sama", "lanjutan awalan", "salah ketik"],
    clause_kinds: ["kata", "awal kata (kata apa pun yang diawalinya)", "frasa", "filter entitas"],
    fields: ["judul dan isi", "judul saja", "isi saja"],
    rules: [
        ("particle", "partikel"),
        ("possessive", "kata ganti milik"),
        ("suffix", "akhiran"),
        ("prefix", "awalan"),
        ("reduplication", "perulangan"),
        ("infix", "sisipan"),
    ],
    entity_filter_found: "Entitas yang cocok",
    entities_heading: "Mengapa ini entitas",
    entities_intro: "Setiap nama yang disebut dalam artikel yang dibuka, sekali per cara penulisannya: entitas tempat ia digabungkan dan alasannya, serta keyakinan pengenal entitas saat korpus dikemas (dan berapa kali disebut).",
    mention: "Sebutan",
    entity: "Entitas",
    joined: "Digabungkan karena",
    confidence: "Keyakinan",
    kinds_of_entity: ["orang", "organisasi", "tempat"],
    merge: [
        "namanya sendiri",
        "kata-kata yang sama, ditulis berbeda (huruf besar, diakritik, tanda hubung)",
        "singkatan dalam kurung setelah namanya",
        "bagian dari “{}”, yang juga ada di artikel ini",
        "bagian dari “{}”, satu-satunya nama lebih panjang di korpus yang cocok",
        "lewat nama lainnya, “{}”",
    ],
    recogniser: "Pengenal entitas",
    model_loading: "Memuat pengenal entitas (model 0,7 MB)…",
    model_failed: "Pengenal entitas tidak dapat dimuat",
    runner_up: "pesaing",
    margin: "selisih",
    only_tag: "satu-satunya tag yang mungkin",
    not_tagged: "tidak ditandai pengenal entitas: ditambahkan saat penggabungan (singkatan dalam kurung setelah nama yang ditandai)",
    split_off: "pengenal entitas menandai “{}”; penggabungan memisahkan singkatan dalam kurungnya",
    cut_from: "dipotong dari “{}”",
    sentence: "Tag kalimatnya",
    lists: "daftar kata",
    how: [
        "entitas pada jalur tag terbaik",
        "dipotong dari entitas yang lebih panjang oleh aturan (gelar, atau nama yang digabung dengan “dan”)",
        "nama yang sama ditandai di bagian lain teks",
        "teks bahasa Inggris: daftar kata, huruf besar, dan gelar (tanpa model statistik)",
    ],
    pictures: "Gambaran hasil",
    by_type: "Entitas teratas menurut jenis (artikel)",
    network: "Entitas yang muncul bersama",
    network_note: "Lingkaran: entitas (besar menurut jumlah artikel); garis: artikel bersama (tebal menurut jumlahnya). Pilih entitas untuk menyaringnya.",
    over_time: "Hasil dari waktu ke waktu",
    table: "Tabel",
    period: "Periode",
    undated: "tanpa tanggal",
    pair: "Pasangan",
    shared: "Artikel bersama",
    filter_by: "Saring menurut",
    types_plural: ["Orang", "Organisasi", "Tempat"],
};

const EN: Words = Words {
    heading: "How the search works",
    intro: "How the query was read, which words were searched for, and why each result stands where it does. The numbers are the ones the engine ranked by.",
    structure: "The query's structure",
    all_groups: "Every group must match; within a group, any one will do (OR).",
    or: "OR",
    excluded: "Must not have",
    warnings: "Notes",
    analysis: "Word analysis",
    typed: "Typed",
    normalized: "Normalised",
    stopword: "Stopword",
    roots: "Candidate roots (rules)",
    searched: "Searched for (articles)",
    yes: "yes",
    no: "no",
    no_roots: "none",
    why_rank: "Why this rank",
    clause: "Clause",
    terms: "Terms and occurrences (title/body)",
    score: "Score",
    sum: "Sum",
    title_factor: "title factor",
    in_title: "query words in the title",
    exact: "clauses matched exactly",
    variant_only: "a variant only",
    corpus_word: "a word of the corpus",
    not_in_corpus: "not in the corpus",
    articles: "articles",
    article: "article",
    title_word: "word {} of the title",
    above_exact: "Above the next result: more clauses matched exactly",
    above_title: "Above the next result: more query words in the title",
    above_stop: "Above the next result: more of the query's stopwords in the title",
    above_score: "Above the next result: a higher score",
    above_tie: "Equal to the next result on every key: the corpus order decides",
    lengths: "Lengths",
    kinds: ["the word itself", "same root", "prefix completion", "typo"],
    clause_kinds: ["word", "word start (any word it begins)", "phrase", "entity filter"],
    fields: ["title and body", "title only", "body only"],
    rules: [
        ("particle", "particle"),
        ("possessive", "possessive"),
        ("suffix", "suffix"),
        ("prefix", "prefix"),
        ("reduplication", "reduplication"),
        ("infix", "infix"),
    ],
    entity_filter_found: "Entities found",
    entities_heading: "Why these are entities",
    entities_intro: "Each name the open article mentions, once per way it is written: the entity it was merged into and why, and how sure the recogniser was when the corpus was packed (and how many times it is mentioned).",
    mention: "Mention",
    entity: "Entity",
    joined: "Merged because",
    confidence: "Confidence",
    kinds_of_entity: ["person", "organisation", "place"],
    merge: [
        "it is its name",
        "the same words written differently (case, diacritics, hyphens)",
        "an acronym in parentheses after its name",
        "part of “{}”, which this article also has",
        "part of “{}”, the only longer name in the corpus it fits",
        "through another of its names, “{}”",
    ],
    recogniser: "Recogniser",
    model_loading: "Loading the recogniser (a 0.7 MB model)…",
    model_failed: "The recogniser could not be loaded",
    runner_up: "runner-up",
    margin: "margin",
    only_tag: "the only possible tag",
    not_tagged: "not tagged by the recogniser: added by the merging (an acronym in parentheses after a tagged name)",
    split_off: "the recogniser tagged “{}”; the merging split off the acronym in parentheses",
    cut_from: "cut from “{}”",
    sentence: "The sentence's tags",
    lists: "word lists",
    how: [
        "an entity of the best tag path",
        "cut from a longer entity by a rule (a title, or names joined by “dan”)",
        "the same name was tagged elsewhere in the text",
        "English text: word lists, capitals and titles (no statistical model)",
    ],
    pictures: "Pictures of the results",
    by_type: "Top entities by type (articles)",
    network: "Entities that appear together",
    network_note: "Circles: entities (sized by articles); lines: shared articles (thicker for more). Choose an entity to filter by it.",
    over_time: "Results over time",
    table: "Table",
    period: "Period",
    undated: "no date",
    pair: "Pair",
    shared: "Shared articles",
    filter_by: "Filter by",
    types_plural: ["People", "Organisations", "Places"],
};

fn words(ui: UiLang) -> &'static Words {
    match ui {
        UiLang::Id => &ID,
        UiLang::En => &EN,
    }
}

/// What the panel shows: the query's explanation and the first hits' breakdowns, with their titles.
#[derive(Clone, Debug)]
pub struct Explained {
    /// How the query was read.
    pub query: QueryExplanation,
    /// The first hits' breakdowns, with their titles.
    pub hits: Vec<(String, HitExplanation)>,
}

/// The open article's mentions, each with its entity and why its name joined it.
#[derive(Clone, Debug, Default)]
pub struct ArticleEntities {
    /// The article's title.
    pub title: String,
    /// Its body and language, for the recogniser to read again.
    pub body: String,
    /// Its language code.
    pub lang: String,
    /// Each name as written, once, in the order first mentioned: its entity's type and name, why it
    /// is that entity, how often it is mentioned so, and the lowest and highest confidence.
    pub mentions: Vec<NameRow>,
}

/// A name as an article writes it, and its entity.
#[derive(Clone, Debug, PartialEq)]
pub struct NameRow {
    /// The name as written.
    pub text: String,
    /// The entity's type.
    pub kind: EntityType,
    /// The entity's name.
    pub entity: String,
    /// Why the name is that entity.
    pub reason: MergeReason,
    /// Mentions of it written so.
    pub count: usize,
    /// The lowest and highest confidence of those mentions.
    pub confidence: (f32, f32),
    /// Where it is first mentioned.
    pub first: Span,
}

/// The mentions of article `doc` with their merge reasons (`None`: nothing to show).
pub fn article_entities(engine: &Engine, doc: DocId) -> Option<ArticleEntities> {
    let article = engine.article_at(doc)?;
    let mut mentions: Vec<NameRow> = Vec::new();
    // Each mention's reason, the article's mentions read once.
    for (m, reason) in engine.merge_reasons(doc) {
        let id = m.entity;
        let (Some(entity), Some(text)) = (engine.entity(id), m.span.get(&article.body)) else { continue };
        let c = m.confidence;
        match mentions.iter_mut().find(|r| r.text == text && r.entity == entity.name && r.reason == reason) {
            Some(row) => {
                row.count += 1;
                row.confidence = (row.confidence.0.min(c), row.confidence.1.max(c));
            }
            None => mentions.push(NameRow {
                text: text.to_string(),
                kind: entity.kind,
                entity: entity.name.clone(),
                reason,
                count: 1,
                confidence: (c, c),
                first: m.span,
            }),
        }
    }
    (!mentions.is_empty()).then(|| ArticleEntities {
        title: article.title.clone(),
        body: article.body.clone(),
        lang: article.lang.clone(),
        mentions,
    })
}

/// Properties of [`EntityWork`].
#[derive(Properties, PartialEq)]
pub struct EntityWorkProps {
    /// The open article's mentions (none: no article open, or it names no entity).
    pub entities: Shared<Option<ArticleEntities>>,
    /// Interface language.
    pub ui: UiLang,
}

/// Where teaching mode's build finds the recogniser's model (`scripts/lib.sh` copies it there).
const MODEL_URL: &str = "ner-model.bin";

/// The recogniser's model, fetched (or, in the single file, read from the page) once an article is open.
#[derive(Clone, PartialEq)]
enum Model {
    Missing,
    Loading,
    Ready(Shared<sorot_engine::NerModel>),
    Failed(String),
}

async fn fetch_model() -> Result<sorot_engine::NerModel, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    // The single file carries the model in the page (`crates/cli/src/bundle.rs`).
    let inlined =
        js_sys::Reflect::get(&js_sys::global(), &wasm_bindgen::JsValue::from_str("__SOROT_NER_MODEL__"));
    if let Some(bytes) = inlined.ok().and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok()) {
        return sorot_engine::NerModel::from_bytes(&bytes.to_vec())
            .map_err(|e| format!("the page's model: {e}"));
    }
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(MODEL_URL)).await.map_err(crate::loader::describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("{MODEL_URL}: HTTP {}", response.status()));
    }
    let buffer = response.array_buffer().map_err(crate::loader::describe)?;
    let buffer = JsFuture::from(buffer).await.map_err(crate::loader::describe)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    sorot_engine::NerModel::from_bytes(&bytes).map_err(|e| format!("{MODEL_URL}: {e}"))
}

/// "Why these are entities": the open article's mentions and how each joined its entity.
#[function_component]
pub fn EntityWork(props: &EntityWorkProps) -> Html {
    let w = words(props.ui);
    let model = use_state(|| Model::Missing);
    {
        let model = model.clone();
        let wanted = props.entities.0.is_some() && *model == Model::Missing;
        use_effect_with(wanted, move |&wanted| {
            if wanted {
                model.set(Model::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    model.set(match fetch_model().await {
                        Ok(m) => Model::Ready(Shared(std::rc::Rc::new(m))),
                        Err(e) => Model::Failed(e),
                    });
                });
            }
        });
    }
    // The recogniser's reading of the article, by the same decoder that tagged it when packed.
    let tagged = {
        let model = (*model).clone();
        use_memo((props.entities.clone(), model), |(entities, model)| match (entities.0.as_ref(), model) {
            (Some(a), Model::Ready(m)) => Some(m.0.explain(&a.body, &a.lang)),
            _ => None,
        })
    };
    let Some(a) = props.entities.0.as_ref() else { return html! {} };
    let kind = |k: EntityType| w.kinds_of_entity[EntityType::ALL.iter().position(|&x| x == k).unwrap_or(0)];
    let reason = |r: &MergeReason| match r {
        MergeReason::Canonical => w.merge[0].to_string(),
        MergeReason::Variant => w.merge[1].to_string(),
        MergeReason::Acronym => w.merge[2].to_string(),
        MergeReason::PartOf { longer, in_article: true } => w.merge[3].replace("{}", longer),
        MergeReason::PartOf { longer, in_article: false } => w.merge[4].replace("{}", longer),
        MergeReason::Through { name } => w.merge[5].replace("{}", name),
    };
    html! {
        <section class="teach teach-entities" aria-labelledby="teach-entities-heading">
            <h2 id="teach-entities-heading">{ w.entities_heading }</h2>
            <p class="teach-intro">{ w.entities_intro }{ " — " }<span class="teach-title">{ &a.title }</span></p>
            <div class="teach-scroll" tabindex="0" role="region" aria-label={format!("{}: {}", w.entities_heading, a.title)}>
                <table class="teach-mentions">
                    <thead>
                        <tr>
                            <th scope="col">{ w.mention }</th>
                            <th scope="col">{ w.entity }</th>
                            <th scope="col">{ w.joined }</th>
                            <th scope="col">{ w.confidence }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for a.mentions.iter().map(|row| html! {
                            <>
                            <tr>
                                <th scope="row">{ &row.text }</th>
                                <td>{ &row.entity }{ format!(" ({})", kind(row.kind)) }</td>
                                <td>{ reason(&row.reason) }</td>
                                <td>{ match row.confidence {
                                    (low, high) if row.count > 1 && low != high => format!("{low:.2}–{high:.2} (×{})", row.count),
                                    (low, _) if row.count > 1 => format!("{low:.2} (×{})", row.count),
                                    (low, _) => format!("{low:.2}"),
                                } }</td>
                            </tr>
                            // The recogniser's work on the name, the width of the table.
                            <tr class="teach-ner-row">
                                <td colspan="4">{ match (&*model, tagged.as_ref()) {
                                    (_, Some(t)) => recogniser_cell(w, t, &a.body, &row.text, row.first),
                                    (Model::Failed(e), _) => html! { <span>{ format!("{}: {e}", w.model_failed) }</span> },
                                    _ => html! { <span class="teach-note">{ w.model_loading }</span> },
                                } }</td>
                            </tr>
                            </>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The explanations of `results` (the search the explorer ran with `options`).
pub fn explain(engine: &Engine, results: &SearchResults, options: &SearchOptions) -> Explained {
    let (query, hits) = results.explain(engine, options, EXPLAINED_HITS);
    let hits = hits
        .into_iter()
        .map(|e| (engine.article_here(e.doc).map(|a| a.title.clone()).unwrap_or_default(), e))
        .collect();
    Explained { query, hits }
}

/// Properties of [`TeachPanel`].
#[derive(Properties, PartialEq)]
pub struct TeachPanelProps {
    /// The explanations (none: no search).
    pub explained: Shared<Option<Explained>>,
    /// Interface language.
    pub ui: UiLang,
}

/// The "show the work" panel.
#[function_component]
pub fn TeachPanel(props: &TeachPanelProps) -> Html {
    let w = words(props.ui);
    let Some(explained) = props.explained.0.as_ref() else { return html! {} };
    let q = &explained.query;
    html! {
        <section class="teach" aria-labelledby="teach-heading">
            <h2 id="teach-heading">{ w.heading }</h2>
            <p class="teach-intro">{ w.intro }</p>
            <h3>{ w.structure }</h3>
            <p class="teach-note">{ w.all_groups }</p>
            <ol class="teach-tree">
                { for q.groups.iter().map(|group| html! {
                    <li class="teach-group">
                        { for group.iter().enumerate().map(|(i, c)| html! {
                            <>
                                if i > 0 { <span class="teach-or">{ w.or }</span> }
                                { clause_summary(w, &q.query, c) }
                            </>
                        }) }
                    </li>
                }) }
            </ol>
            if !q.excluded.is_empty() {
                <p class="teach-note">{ w.excluded }</p>
                <ul class="teach-tree">
                    { for q.excluded.iter().map(|c| html! { <li>{ clause_summary(w, &q.query, c) }</li> }) }
                </ul>
            }
            if !q.warnings.is_empty() {
                <h3>{ w.warnings }</h3>
                <ul class="teach-warnings">
                    { for q.warnings.iter().map(|warning| html! {
                        <li>
                            <span class="teach-query">{ marked(&q.query, warning.span) }</span>
                            { " — " }{ props.ui.warning(&warning.kind) }
                        </li>
                    }) }
                </ul>
            }
            <h3>{ w.analysis }</h3>
            <div class="teach-scroll" tabindex="0" role="region" aria-label={w.analysis}>
                <table class="teach-analysis">
                    <thead>
                        <tr>
                            <th scope="col">{ w.typed }</th>
                            <th scope="col">{ w.normalized }</th>
                            <th scope="col">{ w.stopword }</th>
                            <th scope="col">{ w.roots }</th>
                            <th scope="col">{ w.searched }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for q.groups.iter().flatten().chain(&q.excluded).flat_map(|c| {
                            c.words.iter().enumerate().map(move |(i, word)| (c, i, word))
                        }).map(|(c, i, word)| html! {
                            <tr>
                                <th scope="row">{ &word.typed }</th>
                                <td><code>{ &word.normalized }</code></td>
                                <td>{ if word.stopword_in.is_empty() { w.no.to_string() } else {
                                    format!("{} ({})", w.yes, word.stopword_in.join(", "))
                                } }</td>
                                <td>{ roots_cell(w, word) }</td>
                                // A phrase's terms are its words: the searched list is a word's.
                                <td>{ if i == 0 { searched_cell(w, c) } else { html! {} } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if !explained.hits.is_empty() {
                <h3>{ w.why_rank }</h3>
                { for explained.hits.iter().map(|(title, hit)| hit_breakdown(w, title, hit)) }
            }
        </section>
    }
}

/// The query text with `span` marked (as text nodes).
fn marked(query: &str, span: Span) -> Html {
    let (a, b) = (span.start.min(query.len()), span.end.min(query.len()));
    match (query.get(..a), query.get(a..b), query.get(b..)) {
        (Some(before), Some(part), Some(after)) => html! { <>{ before }<mark>{ part }</mark>{ after }</> },
        _ => html! { { query } },
    }
}

fn clause_summary(w: &Words, query: &str, c: &ClauseExplanation) -> Html {
    let written = query.get(c.span.start..c.span.end).filter(|s| !s.is_empty()).unwrap_or(&c.label);
    let kind = w.clause_kinds[match c.kind {
        ClauseType::Word => 0,
        ClauseType::Prefix => 1,
        ClauseType::Phrase => 2,
        ClauseType::Entity => 3,
    }];
    let field = w.fields[match c.field {
        Field::Any => 0,
        Field::Title => 1,
        Field::Body => 2,
    }];
    let stop = if c.stopword { format!(", {}", w.stopword.to_lowercase()) } else { String::new() };
    html! {
        <span class="teach-clause">
            <code>{ written }</code>
            { format!(" — {kind}, {field}{stop}: {}", count(w, c.articles)) }
            if !c.entities.is_empty() {
                { format!(" ({}: {})", w.entity_filter_found, c.entities.join(", ")) }
            }
        </span>
    }
}

/// `n` articles, in the interface's words.
fn count(w: &Words, n: usize) -> String {
    format!("{n} {}", if n == 1 { w.article } else { w.articles })
}

fn rule_name(w: &Words, rule: &str) -> &'static str {
    w.rules.iter().find(|r| r.0 == rule).map_or("", |r| r.1)
}

fn roots_cell(w: &Words, word: &sorot_engine::WordAnalysis) -> Html {
    if word.roots.is_empty() {
        return html! { { w.no_roots } };
    }
    html! {
        <ul class="teach-roots">
            { for word.roots.iter().map(|r| {
                let steps: Vec<String> = if r.steps.is_empty() {
                    vec!["Porter2 (English)".to_string()]
                } else {
                    r.steps.iter().map(|s| format!("{} {}", rule_name(w, s.rule), s.affix)).collect()
                };
                let seen = if r.is_word || r.variants > 0 { w.corpus_word } else { w.not_in_corpus };
                html! {
                    <li class={classes!("teach-root", (!r.is_word && r.variants == 0).then_some("absent"))}>
                        <code>{ &r.root }</code>{ format!(" ← {} · {seen}", steps.join(" + ")) }
                    </li>
                }
            }) }
        </ul>
    }
}

fn kind_name(w: &Words, kind: MatchKind) -> &'static str {
    w.kinds[match kind {
        MatchKind::Exact => 0,
        MatchKind::Stem => 1,
        MatchKind::Prefix => 2,
        MatchKind::Typo => 3,
    }]
}

fn searched_cell(w: &Words, c: &ClauseExplanation) -> Html {
    html! {
        <ul class="teach-searched">
            { for c.searched.iter().map(|t| {
                let how = match (t.kind, &t.root, t.distance) {
                    (MatchKind::Stem, Some(root), _) => format!("{} “{root}”", kind_name(w, t.kind)),
                    (MatchKind::Typo, _, Some(d)) => format!("{} ({d})", kind_name(w, t.kind)),
                    (kind, _, _) => kind_name(w, kind).to_string(),
                };
                html! {
                    <li><code>{ &t.term }</code>{ format!(" — {how}, ×{:.2}, {}", t.weight, count(w, t.articles as usize)) }</li>
                }
            }) }
        </ul>
    }
}

fn hit_breakdown(w: &Words, title: &str, e: &HitExplanation) -> Html {
    let l = &e.lengths;
    let above = e.above_next.as_ref().map(|a| match a {
        Above::Exact { this, next } => format!("{} ({this} > {next}).", w.above_exact),
        Above::TitleWords { this, next } => format!("{} ({this} > {next}).", w.above_title),
        Above::TitleStopwords { this, next } => format!("{} ({this} > {next}).", w.above_stop),
        Above::Score { this, next } => format!("{} ({this:.4} > {next:.4}).", w.above_score),
        Above::Tie => format!("{}.", w.above_tie),
    });
    let factor = e.title_place.map(|p| {
        format!(
            " × {} {:.3} ({})",
            w.title_factor,
            e.title_factor,
            w.title_word.replace("{}", &(p + 1).to_string())
        )
    });
    html! {
        <details class="teach-hit" data-place={e.place.to_string()}>
            <summary>
                { format!("#{} ", e.place) }<span class="teach-title">{ title }</span>
                { format!(" — {} ", w.score) }<span class="teach-score">{ format!("{:.4}", e.score) }</span>
            </summary>
            <p class="teach-note">
                { format!("{} {} · {} {} · ", e.exact, w.exact, e.in_title, w.in_title) }
                { format!("{}: title {} (avg {:.1}, b {:.2} → {:.3}), body {} (avg {:.1}, b {:.2} → {:.3}); k1 {:.2}; boost {:.1}; N {}",
                    w.lengths, l.title, l.average_title, l.b_title, l.norm_title, l.body, l.average_body,
                    l.b_body, l.norm_body, e.k1, e.title_boost, e.articles) }
            </p>
            <div class="teach-scroll" tabindex="0" role="region" aria-label={format!("{} #{}", w.why_rank, e.place)}>
                <table class="teach-breakdown">
                    <thead>
                        <tr>
                            <th scope="col">{ w.clause }</th>
                            <th scope="col">{ w.terms }</th>
                            <th scope="col">{ "tf" }</th>
                            <th scope="col">{ "idf (n/N)" }</th>
                            <th scope="col">{ "BM25F" }</th>
                            <th scope="col">{ w.score }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for e.clauses.iter().map(|c| html! {
                            <tr>
                                <th scope="row">
                                    <code>{ &c.label }</code>
                                    if !c.exact { { format!(" ({})", w.variant_only) } }
                                </th>
                                <td>
                                    { for c.terms.iter().map(|t| html! {
                                        <div>
                                            <code>{ &t.term }</code>
                                            { format!(" {} ×{:.2}: {}/{}", kind_name(w, t.kind), t.weight, t.title, t.body) }
                                        </div>
                                    }) }
                                </td>
                                <td>{ format!("{:.2}/{:.2}", c.tf_title, c.tf_body) }</td>
                                <td>{ format!("{:.3} ({}/{})", c.idf, c.df, e.articles) }</td>
                                <td>{ format!("{:.3} → {:.3}{}", c.weighted_tf, c.saturated_tf,
                                    if c.stopword_factor != 1.0 { format!(" ×{:.2}", c.stopword_factor) } else { String::new() }) }</td>
                                <td class="teach-clause-score" data-score={c.score.to_string()}>{ format!("{:.4}", c.score) }</td>
                            </tr>
                        }) }
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="5">
                                { format!("{} {:.4}{}", w.sum, e.sum, factor.unwrap_or_default()) }
                            </th>
                            <td class="teach-total" data-score={e.score.to_string()} data-sum={e.sum.to_string()}
                                data-factor={e.title_factor.to_string()}>{ format!("{:.4}", e.score) }</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            if let Some(above) = above {
                <p class="teach-above">{ above }</p>
            }
        </details>
    }
}

/// What the recogniser made of the mention at `span`: how it came about, and each of its words' tag
/// against the runner-up with the margin and the features that pushed most either way.
fn recogniser_cell(w: &Words, e: &sorot_engine::NerExplanation, body: &str, name: &str, span: Span) -> Html {
    // The recogniser's mention there, or the one the merging split an acronym in parentheses off.
    let exact = e.mentions.iter().find(|m| m.span == span);
    let around = || e.mentions.iter().find(|m| m.span.start <= span.start && span.end <= m.span.end);
    let Some(m) = exact.or_else(around) else {
        return html! { <span class="teach-note">{ w.not_tagged }</span> };
    };
    let tokens =
        m.place.and_then(|p| e.sentences.get(p.sentence)?.tokens.get(p.tokens.0..p.tokens.1)).unwrap_or(&[]);
    // The path's entity the tokens make up, as written.
    let path_text = match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => body.get(a.span.start..b.span.end).unwrap_or(""),
        _ => "",
    };
    let how = match m.how {
        _ if exact.is_none() => w.split_off.replace("{}", &m.text),
        "tagged" => w.how[0].to_string(),
        "cut" => format!("{} ({})", w.how[1], w.cut_from.replace("{}", path_text)),
        "propagated" => w.how[2].to_string(),
        _ => w.how[3].to_string(),
    };
    let tags: Vec<&str> = tokens.iter().map(|t| t.tag).collect();
    // The whole sentence, each word with its tag (B-/I- begin and continue a name, O is none).
    let sentence = m.place.and_then(|p| Some((p, e.sentences.get(p.sentence)?)));
    html! {
        <details class="teach-ner" data-name={name.to_string()}>
            <summary>
                { format!("{}: ", w.recogniser) }
                { if tags.is_empty() { how.to_string() } else { format!("{} — {how}", tags.join(" ")) } }
            </summary>
            if let Some((p, sentence)) = sentence {
                <p class="teach-sentence">
                    <span class="teach-note">{ format!("{}: ", w.sentence) }</span>
                    { for sentence.tokens.iter().enumerate().map(|(i, t)| html! {
                        <span class={classes!("teach-token", (p.tokens.0..p.tokens.1).contains(&i).then_some("in-mention"))}>
                            { &t.text }<sub>{ t.tag }</sub>{ " " }
                        </span>
                    }) }
                </p>
            }
            <ul>
                { for tokens.iter().map(|t| {
                    let margin = t.margin.map_or(w.only_tag.to_string(), |m| format!("{} {m:.1}", w.margin));
                    html! {
                        <li>
                            <strong>{ &t.text }</strong>{ format!(" {} ({} {}, {margin})", t.tag, w.runner_up, t.runner_up) }
                            if !t.lists.is_empty() {
                                { format!(" · {}: {}", w.lists, t.lists.join("; ")) }
                            }
                            <ul class="teach-features">
                                { for t.for_tag.iter().take(3).chain(t.against.iter().take(2)).map(|f| html! {
                                    <li>{ format!("{:+.1} ", f.weight) }{ &f.feature }</li>
                                }) }
                            </ul>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

/// What the pictures of the current results show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pictures {
    /// Per type, its entities most often among the results: name and articles.
    pub bars: Vec<(EntityType, Vec<(String, u32)>)>,
    /// The entities most often among the results (name, type, articles), and which of them appear
    /// in the same articles: `(a, b, shared articles)` by their places in the list.
    pub nodes: Vec<(String, EntityType, u32)>,
    /// The network's edges.
    pub edges: Vec<(usize, usize, u32)>,
    /// Results over time: each period (`2022-01`, or a year) with its articles, oldest first; and
    /// how many results have no date.
    pub periods: Vec<(String, u32)>,
    /// Results without a date.
    pub undated: u32,
}

/// Entities a type's bar chart shows.
const BARS: usize = 8;
/// Entities the network shows.
const NODES: usize = 12;

/// The pictures of `docs` (the results), from their entity counts `facets`.
pub fn pictures(engine: &Engine, docs: &[DocId], facets: &[sorot_engine::Facet]) -> Pictures {
    let named =
        |f: &sorot_engine::Facet| engine.entity(f.entity).map(|e| (e.name.clone(), e.kind, f.articles));
    let mut ranked: Vec<(String, EntityType, u32, sorot_engine::EntityId)> =
        facets.iter().filter_map(|f| named(f).map(|(n, k, a)| (n, k, a, f.entity))).collect();
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let bars = EntityType::ALL
        .iter()
        .map(|&kind| {
            let top = ranked.iter().filter(|r| r.1 == kind).take(BARS).map(|r| (r.0.clone(), r.2)).collect();
            (kind, top)
        })
        .collect();
    let top: Vec<_> = ranked.iter().take(NODES).collect();
    let mut edges: Vec<(usize, usize, u32)> = Vec::new();
    for &doc in docs {
        let here: Vec<usize> = engine
            .article_entities(doc)
            .iter()
            .filter_map(|(e, _)| top.iter().position(|t| t.3 == *e))
            .collect();
        for (i, &a) in here.iter().enumerate() {
            for &b in &here[i + 1..] {
                let (a, b) = (a.min(b), a.max(b));
                match edges.iter_mut().find(|e| e.0 == a && e.1 == b) {
                    Some(e) => e.2 += 1,
                    None => edges.push((a, b, 1)),
                }
            }
        }
    }
    edges.sort_unstable();
    let nodes = top.iter().map(|t| (t.0.clone(), t.1, t.2)).collect();
    // By month, or by year over more than three years.
    let dates: Vec<Option<&str>> = docs.iter().map(|&d| engine.article_date(d)).collect();
    let months: Vec<&str> = dates.iter().flatten().filter_map(|d| d.get(..7)).collect();
    let years = {
        let first = months.iter().min().and_then(|m| m.get(..4)?.parse::<i32>().ok());
        let last = months.iter().max().and_then(|m| m.get(..4)?.parse::<i32>().ok());
        matches!((first, last), (Some(a), Some(b)) if b - a >= 3)
    };
    let mut periods: Vec<(String, u32)> = Vec::new();
    for m in &months {
        let key = if years { &m[..4] } else { m };
        match periods.iter_mut().find(|p| p.0 == key) {
            Some(p) => p.1 += 1,
            None => periods.push((key.to_string(), 1)),
        }
    }
    periods.sort();
    let undated = (docs.len() - months.len()) as u32;
    Pictures { bars, nodes, edges, periods, undated }
}

/// Properties of [`PicturesPanel`].
#[derive(Properties, PartialEq)]
pub struct PicturesProps {
    /// What to draw (none: no search).
    pub pictures: Shared<Option<Pictures>>,
    /// Interface language.
    pub ui: UiLang,
    /// Filters by an entity.
    pub on_include: Callback<crate::url::EntityRef>,
}

/// The index of a type in [`EntityType::ALL`].
fn type_index(kind: EntityType) -> usize {
    EntityType::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// A chart element that filters by an entity: a button for the mouse and the keyboard.
fn filter_handlers(
    on_include: &Callback<crate::url::EntityRef>,
    kind: EntityType,
    name: &str,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let entity = crate::url::EntityRef { kind, name: name.to_string() };
    let (a, b) = (on_include.clone(), on_include.clone());
    let e2 = entity.clone();
    let click = Callback::from(move |_: MouseEvent| a.emit(entity.clone()));
    let key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            b.emit(e2.clone());
        }
    });
    (click, key)
}

/// "Pictures of the results": entities by type, the co-occurrence network, results over time; each
/// with a table of the same numbers.
#[function_component]
pub fn PicturesPanel(props: &PicturesProps) -> Html {
    let w = words(props.ui);
    let Some(p) = props.pictures.0.as_ref() else { return html! {} };
    if p.nodes.is_empty() && p.periods.is_empty() {
        return html! {};
    }
    let on_include = &props.on_include;
    html! {
        <section class="teach teach-pictures" aria-labelledby="teach-pictures-heading">
            <h2 id="teach-pictures-heading">{ w.pictures }</h2>
            if !p.nodes.is_empty() {
                <h3>{ w.by_type }</h3>
                <div class="teach-charts">
                    { for p.bars.iter().filter(|b| !b.1.is_empty()).map(|(kind, bars)| bar_chart(w, *kind, bars, on_include)) }
                </div>
                <h3>{ w.network }</h3>
                <p class="teach-note">{ w.network_note }</p>
                { network(w, p, on_include) }
            }
            if !p.periods.is_empty() {
                <h3>{ w.over_time }</h3>
                { timeline(w, p) }
            }
        </section>
    }
}

fn bar_chart(
    w: &Words,
    kind: EntityType,
    bars: &[(String, u32)],
    on_include: &Callback<crate::url::EntityRef>,
) -> Html {
    let title = w.types_plural[type_index(kind)];
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f32;
    let (row, width) = (34.0f32, 360.0f32);
    let height = row * bars.len() as f32;
    let class = ["per", "org", "loc"][type_index(kind)];
    html! {
        <figure class={classes!("teach-chart", "teach-bars", class)} data-type={kind.code()}>
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                role="group" aria-label={format!("{}: {title}", w.by_type)}>
                { for bars.iter().enumerate().map(|(i, (name, n))| {
                    let y = i as f32 * row;
                    let length = (*n as f32 / max) * (width - 40.0);
                    let (click, key) = filter_handlers(on_include, kind, name);
                    // The button's name starts with what it shows (the name, above its bar); the count
                    // beside the bar is not part of it.
                    html! {
                        <>
                            <g class="teach-bar" tabindex="0" role="button" data-name={name.clone()} data-articles={n.to_string()}
                                aria-label={format!("{name} ({n} {}): {}", w.articles, w.filter_by.to_lowercase())} onclick={click} onkeydown={key}>
                                <text x="0" y={(y + 12.0).to_string()}>{ name }</text>
                                <rect x="0" y={(y + 16.0).to_string()} width={length.max(1.0).to_string()} height="12" rx="2" />
                            </g>
                            <text x={(6.0 + length).to_string()} y={(y + 27.0).to_string()} class="teach-count" aria-hidden="true">{ n.to_string() }</text>
                        </>
                    }
                }) }
            </svg>
            { chart_table(w, (w.entity, w.articles), bars.iter().map(|(name, n)| (name.clone(), *n))) }
        </figure>
    }
}

/// Places for a network's `n` nodes in the unit square, by force (Fruchterman and Reingold): every
/// two nodes push each other apart, an edge pulls its ends together, the more the more articles they
/// share, and a slight pull to the middle keeps unlinked nodes near. It starts from a circle, so the
/// same results always give the same picture; then it is stretched to fill the square.
fn force_layout(n: usize, edges: &[(usize, usize, u32)]) -> Vec<(f32, f32)> {
    let mut at: Vec<(f32, f32)> = (0..n)
        .map(|i| {
            let angle = std::f32::consts::TAU * i as f32 / n as f32 - std::f32::consts::FRAC_PI_2;
            (angle.cos(), angle.sin())
        })
        .collect();
    if n < 3 {
        return at.into_iter().map(|(x, y)| ((x + 1.0) / 2.0, (y + 1.0) / 2.0)).collect();
    }
    // The distance nodes settle at, for n nodes in a square of side 2.
    let k = (4.0 / n as f32).sqrt();
    let most = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f32;
    let mut step = 0.25f32;
    for _ in 0..300 {
        let mut moves = vec![(0.0f32, 0.0f32); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (at[i].0 - at[j].0, at[i].1 - at[j].1);
                let push = k * k / (dx * dx + dy * dy).max(1e-4);
                moves[i] = (moves[i].0 + dx * push, moves[i].1 + dy * push);
                moves[j] = (moves[j].0 - dx * push, moves[j].1 - dy * push);
            }
        }
        for &(a, b, shared) in edges.iter().filter(|e| e.0 < n && e.1 < n) {
            let (dx, dy) = (at[a].0 - at[b].0, at[a].1 - at[b].1);
            let pull = (0.5 + shared as f32 / most) * (dx * dx + dy * dy).sqrt() / k;
            moves[a] = (moves[a].0 - dx * pull, moves[a].1 - dy * pull);
            moves[b] = (moves[b].0 + dx * pull, moves[b].1 + dy * pull);
        }
        for (p, m) in at.iter_mut().zip(&moves) {
            let m = (m.0 - 0.1 * p.0 / k, m.1 - 0.1 * p.1 / k);
            let length = (m.0 * m.0 + m.1 * m.1).sqrt();
            if length > 0.0 {
                let by = length.min(step) / length;
                *p = (p.0 + m.0 * by, p.1 + m.1 * by);
            }
        }
        step = (step * 0.985).max(0.002);
    }
    let (lo_x, hi_x) = at.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (lo_y, hi_y) = at.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let scale = |v: f32, lo: f32, hi: f32| if hi - lo > 1e-6 { (v - lo) / (hi - lo) } else { 0.5 };
    at.into_iter().map(|(x, y)| (scale(x, lo_x, hi_x), scale(y, lo_y, hi_y))).collect()
}

/// The longest name the network writes beside its node, in characters.
const LABEL_CHARS: usize = 24;

fn network(w: &Words, p: &Pictures, on_include: &Callback<crate::url::EntityRef>) -> Html {
    // Room for the labels beside the nodes at the left and right, and for the circles above and below.
    let (width, height, side, top) = (660.0f32, 420.0f32, 175.0f32, 30.0f32);
    let c = width / 2.0;
    let places = force_layout(p.nodes.len(), &p.edges);
    let at = |i: usize| {
        let (x, y) = places.get(i).copied().unwrap_or((0.5, 0.5));
        (side + x * (width - 2.0 * side), top + y * (height - 2.0 * top))
    };
    let max_articles = p.nodes.iter().map(|n| n.2).max().unwrap_or(1).max(1) as f32;
    let max_shared = p.edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f32;
    html! {
        <figure class="teach-chart teach-network">
            <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                role="group" aria-label={w.network}>
                { for p.edges.iter().map(|&(a, b, shared)| {
                    let ((x1, y1), (x2, y2)) = (at(a), at(b));
                    html! {
                        <line class="teach-edge" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()}
                            stroke-width={(1.0 + 5.0 * shared as f32 / max_shared).to_string()}
                            data-pair={format!("{}|{}", p.nodes[a].0, p.nodes[b].0)} data-shared={shared.to_string()} />
                    }
                }) }
                { for p.nodes.iter().enumerate().map(|(i, (name, kind, articles))| {
                    let (x, y) = at(i);
                    let r = 5.0 + 13.0 * (*articles as f32 / max_articles).sqrt();
                    let (click, key) = filter_handlers(on_include, *kind, name);
                    let class = ["per", "org", "loc"][type_index(*kind)];
                    // Labels away from the middle.
                    let (lx, anchor) = if x >= c { (x + r + 4.0, "start") } else { (x - r - 4.0, "end") };
                    // A long name is cut short here (its button and the table have it whole).
                    let label = match name.char_indices().nth(LABEL_CHARS) {
                        Some((at, _)) => format!("{}…", name[..at].trim_end()),
                        None => name.clone(),
                    };
                    html! {
                        <g class={classes!("teach-node", class)} tabindex="0" role="button" data-name={name.clone()}
                            data-articles={articles.to_string()}
                            aria-label={format!("{name} ({articles} {}): {}", w.articles, w.filter_by.to_lowercase())} onclick={click} onkeydown={key}>
                            <circle cx={x.to_string()} cy={y.to_string()} r={r.to_string()} />
                            <text x={lx.to_string()} y={(y + 4.0).to_string()} text-anchor={anchor}>{ label }</text>
                        </g>
                    }
                }) }
            </svg>
            { chart_table(w, (w.pair, w.shared), p.edges.iter().map(|&(a, b, shared)| (format!("{} — {}", p.nodes[a].0, p.nodes[b].0), shared))) }
        </figure>
    }
}

/// A chart's table alternative (for screen readers, and anyone who wants the numbers): a row per
/// mark, its label and its number, under the `head` of the two columns.
fn chart_table(w: &Words, head: (&str, &str), rows: impl Iterator<Item = (String, u32)>) -> Html {
    html! {
        <details class="teach-table">
            <summary>{ w.table }</summary>
            <table>
                <thead><tr><th scope="col">{ head.0 }</th><th scope="col">{ head.1 }</th></tr></thead>
                <tbody>
                    { for rows.map(|(label, n)| html! { <tr><th scope="row">{ label }</th><td>{ n.to_string() }</td></tr> }) }
                </tbody>
            </table>
        </details>
    }
}

fn timeline(w: &Words, p: &Pictures) -> Html {
    let (width, height) = (420.0f32, 140.0f32);
    let max = p.periods.iter().map(|p| p.1).max().unwrap_or(1).max(1) as f32;
    let slot = ((width - 20.0) / p.periods.len().max(1) as f32).min(48.0);
    let label = |i: usize| p.periods.get(i).map(|p| p.0.clone()).unwrap_or_default();
    html! {
        <figure class="teach-chart teach-timeline">
            <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                role="img" aria-label={w.over_time}>
                { for p.periods.iter().enumerate().map(|(i, (period, n))| {
                    let h = (*n as f32 / max) * (height - 40.0);
                    html! {
                        <rect class="teach-period" x={(10.0 + i as f32 * slot + 1.0).to_string()} y={(height - 24.0 - h).to_string()}
                            width={(slot - 2.0).max(1.0).to_string()} height={h.max(1.0).to_string()}
                            data-period={period.clone()} data-articles={n.to_string()}>
                            <title>{ format!("{period}: {n}") }</title>
                        </rect>
                    }
                }) }
                <text x="10" y={(height - 6.0).to_string()}>{ label(0) }</text>
                <text x={(width - 10.0).to_string()} y={(height - 6.0).to_string()} text-anchor="end">{ label(p.periods.len().saturating_sub(1)) }</text>
            </svg>
            { chart_table(w, (w.period, w.articles), p.periods.iter().cloned().chain((p.undated > 0).then(|| (w.undated.to_string(), p.undated)))) }
        </figure>
    }
}

/// Properties of [`TeachViews`].
#[derive(Properties, PartialEq)]
pub struct TeachViewsProps {
    /// The corpus.
    pub engine: crate::state::SharedEngine,
    /// The explorer's search and its results.
    pub outcome: crate::state::SharedOutcome,
    /// The open article.
    pub open: Option<DocId>,
    /// Pieces of a split pack that came in (the views are made again when some do).
    pub arrivals: u32,
    /// How the explorer searched.
    pub options: SearchOptions,
    /// Interface language.
    pub ui: UiLang,
    /// Filters by an entity.
    pub on_include: Callback<crate::url::EntityRef>,
}

/// How long after the first render teaching mode's warm-up runs (the explorer's own runs at 50 ms).
const WARM_UP_MS: u32 = 120;

/// Explanations and pictures of a search for a title word of the corpus, thrown away.
fn warm_up(engine: &Engine) {
    let word = engine.articles().iter().find_map(|a| {
        a.title.split_whitespace().find(|w| w.len() >= 5 && w.bytes().all(|b| b.is_ascii_alphabetic()))
    });
    let Some(word) = word else { return };
    let options = SearchOptions { limit: EXPLAINED_HITS, prefix_last: true, ..SearchOptions::default() };
    let results = engine.search(word, &options);
    std::hint::black_box(explain(engine, &results, &options));
    let made = pictures(engine, &results.docs, &engine.facets(Some(&results.docs)));
    std::hint::black_box(force_layout(made.nodes.len(), &made.edges));
}

/// Teaching mode's views of the explorer's state: the work behind the search, the open article's
/// entities, the pictures of the results.
#[function_component]
pub fn TeachViews(props: &TeachViewsProps) -> Html {
    let engine = props.engine.clone();
    // A whole pack's explanations and pictures are made in a task of their own, after the results
    // are painted: at thousands of results they took tens of milliseconds more in the same task. A
    // split pack's are made while the explorer renders, so that the pieces they need are noted
    // where the explorer fetches them.
    let later = !engine.0.is_split();
    // Once, after the first render: the explanations and pictures of a search on the corpus at hand
    // (the bundled one, before a pack comes), so that their code is compiled before the first search
    // that needs it; at 20,000 articles a large first search otherwise made a task of about 60 ms
    // in one of six loads.
    {
        let engine = engine.clone();
        use_effect_with((), move |_| {
            let task = gloo_timers::callback::Timeout::new(WARM_UP_MS, move || warm_up(&engine.0));
            move || drop(task)
        });
    }
    let made = |engine: &crate::state::SharedEngine,
                outcome: &crate::state::SharedOutcome,
                options: &SearchOptions| {
        let explained = outcome.results.as_ref().map(|r| explain(&engine.0, r, options));
        let pictures = outcome.results.as_ref().map(|_| pictures(&engine.0, &outcome.docs, &outcome.facets));
        (std::rc::Rc::new(explained), std::rc::Rc::new(pictures))
    };
    let now = {
        let (engine, options) = (engine.clone(), props.options.clone());
        use_memo((props.outcome.clone(), props.arrivals, later), move |(outcome, _, later)| {
            (!later).then(|| made(&engine, outcome, &options))
        })
    };
    // What the tasks made, with the search it is of: the explanations in one task, the pictures in
    // the next (at 20,000 articles the two in one task came near 80 ms on the first search).
    type Made<T> = Option<(crate::state::SharedOutcome, std::rc::Rc<Option<T>>)>;
    let deferred_explained = use_state(|| None as Made<Explained>);
    let deferred_pictures = use_state(|| None as Made<Pictures>);
    {
        let (engine, options) = (engine.clone(), props.options.clone());
        let (set_explained, set_pictures) = (deferred_explained.setter(), deferred_pictures.setter());
        use_effect_with((props.outcome.clone(), props.arrivals, later), move |(outcome, _, later)| {
            use gloo_timers::callback::Timeout;
            type Pending = std::rc::Rc<std::cell::RefCell<Option<Timeout>>>;
            let (first, second): (Pending, Pending) = Default::default();
            if *later {
                let (outcome, next) = (outcome.clone(), second.clone());
                *first.borrow_mut() = Some(Timeout::new(0, move || {
                    let explained = outcome.results.as_ref().map(|r| explain(&engine.0, r, &options));
                    set_explained.set(Some((outcome.clone(), std::rc::Rc::new(explained))));
                    *next.borrow_mut() = Some(Timeout::new(0, move || {
                        let made = outcome
                            .results
                            .as_ref()
                            .map(|_| pictures(&engine.0, &outcome.docs, &outcome.facets));
                        set_pictures.set(Some((outcome, std::rc::Rc::new(made))));
                    }));
                }));
            }
            // A newer search cancels the tasks not run yet.
            move || {
                drop(first.borrow_mut().take());
                drop(second.borrow_mut().take());
            }
        });
    }
    // Until a task has run, the last search's work stays (marked as being made again).
    fn shown<T>(
        now: Option<std::rc::Rc<Option<T>>>,
        made: &Made<T>,
        outcome: &crate::state::SharedOutcome,
    ) -> (std::rc::Rc<Option<T>>, bool) {
        match (now, made) {
            (Some(work), _) => (work, false),
            (None, Some((of, work))) => (work.clone(), of != outcome),
            (None, None) => (std::rc::Rc::new(None), true),
        }
    }
    let (explained, stale_explained) =
        shown((*now).as_ref().map(|w| w.0.clone()), &deferred_explained, &props.outcome);
    let (pictured, stale_pictures) =
        shown((*now).as_ref().map(|w| w.1.clone()), &deferred_pictures, &props.outcome);
    let stale = stale_explained || stale_pictures;
    let entities = use_memo((props.engine.clone(), props.open, props.arrivals), move |(_, doc, _)| {
        doc.and_then(|d| article_entities(&engine.0, d))
    });
    html! {
        <div class={classes!("teach-views", stale.then_some("stale"))} aria-busy={stale.then_some("true")}>
            <TeachPanel explained={Shared(explained)} ui={props.ui} />
            <EntityWork entities={Shared(entities)} ui={props.ui} />
            <PicturesPanel pictures={Shared(pictured)} ui={props.ui} on_include={props.on_include.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::force_layout;

    fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn nodes_that_share_articles_end_up_together() {
        // Two groups of four, each linked within itself, and one weak link between them.
        let mut edges = Vec::new();
        for group in [0usize, 4] {
            for a in group..group + 4 {
                for b in a + 1..group + 4 {
                    edges.push((a, b, 3));
                }
            }
        }
        edges.push((3, 4, 1));
        let at = force_layout(8, &edges);
        assert_eq!(at, force_layout(8, &edges), "the same picture every time");
        assert!(at.iter().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)), "{at:?}");
        let mean = |pairs: &[(usize, usize)]| {
            pairs.iter().map(|&(a, b)| distance(at[a], at[b])).sum::<f32>() / pairs.len() as f32
        };
        let within: Vec<_> = edges.iter().filter(|e| e.2 == 3).map(|e| (e.0, e.1)).collect();
        let across: Vec<_> = (0..4).flat_map(|a| (4..8).map(move |b| (a, b))).collect();
        assert!(
            mean(&within) * 2.0 < mean(&across),
            "within {} across {}: {at:?}",
            mean(&within),
            mean(&across)
        );
        // No two nodes on top of each other.
        for a in 0..8 {
            for b in a + 1..8 {
                assert!(distance(at[a], at[b]) > 0.08, "{a} and {b}: {at:?}");
            }
        }
    }

    #[test]
    fn small_and_unlinked_networks_are_placed_too() {
        assert!(force_layout(0, &[]).is_empty());
        assert_eq!(force_layout(1, &[]).len(), 1);
        let two = force_layout(2, &[(0, 1, 1)]);
        assert!(distance(two[0], two[1]) > 0.5, "{two:?}");
        // Unlinked nodes spread out; an edge naming no node is left alone.
        let five = force_layout(5, &[(0, 9, 1)]);
        for a in 0..5 {
            for b in a + 1..5 {
                assert!(distance(five[a], five[b]) > 0.2, "{five:?}");
            }
        }
    }
}
