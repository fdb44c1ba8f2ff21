//! Every string the interface shows, in Bahasa Indonesia and English. Components never hard-code text.

use sorot_engine::{EntityType, WarningKind};

/// The language of the interface (not of the articles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UiLang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

/// The fixed strings of one interface language.
#[derive(Debug, PartialEq, Eq)]
pub struct Strings {
    /// BCP 47 code for the `lang` attribute of the page.
    pub code: &'static str,
    /// Tagline next to the product name.
    pub tagline: &'static str,
    /// Label of the article list.
    pub articles: &'static str,
    /// Hint shown where the reader will be.
    pub choose_article: &'static str,
    /// Button that closes the reader.
    pub back_to_list: &'static str,
    /// Label of the interface-language switch.
    pub switch_language: &'static str,
    /// Text of the interface-language switch (names the other language, in it).
    pub other_language: &'static str,
    /// Code of the other language, for the switch's `lang`.
    pub other_language_code: &'static str,
    /// Heading of the error shown when the corpus cannot be loaded.
    pub corpus_error: &'static str,
    /// Label for an article's source.
    pub source: &'static str,
    /// Label for an article's date.
    pub date: &'static str,
    /// Label for an article's language.
    pub language: &'static str,
    /// The link to teaching mode (the explorer with its work shown).
    pub show_work: &'static str,
    /// The link back from teaching mode.
    pub hide_work: &'static str,
    /// Label of the search box.
    pub search_label: &'static str,
    /// Placeholder of the search box.
    pub search_placeholder: &'static str,
    /// Summary of the syntax help.
    pub syntax_help: &'static str,
    /// Syntax help rows: (example, explanation).
    pub syntax_rows: [(&'static str, &'static str); 7],
    /// Keyboard shortcuts, one line.
    pub shortcuts: &'static str,
    /// Label of the results region.
    pub results: &'static str,
    /// Shown when nothing matches.
    pub no_results: &'static str,
    /// Suggestion when nothing matches.
    pub no_results_hint: &'static str,
    /// Label of the sort control.
    pub sort: &'static str,
    /// Sort by relevance.
    pub by_relevance: &'static str,
    /// Sort by date.
    pub by_date: &'static str,
    /// Button to show more results.
    pub show_more: &'static str,
    /// Label of the export menu.
    pub export: &'static str,
    /// Export results as CSV.
    pub export_results_csv: &'static str,
    /// Export results as JSON.
    pub export_results_json: &'static str,
    /// Export entities as CSV.
    pub export_entities_csv: &'static str,
    /// Export entities as JSON.
    pub export_entities_json: &'static str,
    /// Heading of the entity facets.
    pub entities: &'static str,
    /// Shown when the corpus has no entities.
    pub no_entities: &'static str,
    /// The facets pane of a split corpus before a search: it counts entities only over what is found.
    pub entities_after_search: &'static str,
    /// Heading of the active filters.
    pub active_filters: &'static str,
    /// Button that removes every filter.
    pub clear_all: &'static str,
    /// Word before an excluded entity in a chip.
    pub not: &'static str,
    /// Says a filter chip was set by the page and cannot be removed.
    pub locked_filter: &'static str,
    /// Banner: a new version of the app or of its corpus is ready.
    pub update_available: &'static str,
    /// Button that reloads into the new version.
    pub reload: &'static str,
    /// A split pack's results are in, their entities on the way.
    pub loading_entities: &'static str,
    /// Button: fetch every piece of a split pack, so that it works offline.
    pub save_offline: &'static str,
    /// Status once every piece of a split pack is here.
    pub saved_offline: &'static str,
    /// Previous hit button.
    pub previous_hit: &'static str,
    /// Next hit button.
    pub next_hit: &'static str,
    /// Label of the entity legend.
    pub legend: &'static str,
    /// "also" before aliases.
    pub also: &'static str,
    /// Heading of the mentions in the entity panel.
    pub mentions: &'static str,
    /// Heading of co-occurring entities.
    pub appears_with: &'static str,
    /// Close button of the entity panel.
    pub close: &'static str,
    /// No search hits in the open article.
    pub no_hits: &'static str,
    /// Label of the hit navigation.
    pub hit_navigation: &'static str,
}

const ID: Strings = Strings {
    code: "id",
    tagline: "penjelajah artikel",
    articles: "Artikel",
    choose_article: "Pilih artikel dari daftar untuk membacanya.",
    back_to_list: "Kembali ke daftar",
    switch_language: "Ganti bahasa antarmuka ke English",
    other_language: "English",
    other_language_code: "en",
    corpus_error: "Korpus tidak dapat dimuat",
    source: "Sumber",
    date: "Tanggal",
    language: "Bahasa",
    show_work: "Tunjukkan cara kerjanya",
    hide_work: "Sembunyikan cara kerjanya",
    search_label: "Cari artikel",
    search_placeholder: "mis. kerusuhan, \"revolusi warna\", -putin",
    syntax_help: "Cara mencari",
    syntax_rows: [
        ("kerusuhan kazakhstan", "artikel yang memuat semua kata (juga bentuk turunan dan salah ketik)"),
        ("\"revolusi warna\"", "frasa persis"),
        ("-putin", "tanpa kata ini"),
        ("rusia OR belarus", "salah satu kata"),
        ("toka*", "kata yang berawalan toka"),
        ("title:kremlin", "hanya di judul"),
        ("person:\"Vladimir Putin\"  org:CSTO  place:kazakhstan", "artikel yang menyebut entitas ini"),
    ],
    shortcuts: "Pintasan: / cari · Esc hapus · j/k pindah hasil · Enter buka · n/p temuan berikut/sebelumnya",
    results: "Hasil",
    no_results: "Tidak ada artikel yang cocok.",
    no_results_hint: "Coba kata lain, awalan seperti kazak*, atau hapus filter entitas.",
    sort: "Urutkan",
    by_relevance: "Relevansi",
    by_date: "Terbaru",
    show_more: "Tampilkan lebih banyak",
    export: "Ekspor",
    export_results_csv: "Hasil (CSV)",
    export_results_json: "Hasil (JSON)",
    export_entities_csv: "Entitas (CSV)",
    export_entities_json: "Entitas (JSON)",
    entities: "Entitas",
    no_entities: "Korpus ini tidak memiliki entitas.",
    entities_after_search: "Cari untuk melihat orang, organisasi, dan tempat dalam artikel yang ditemukan.",
    active_filters: "Filter aktif",
    clear_all: "Hapus semua filter",
    not: "bukan",
    locked_filter: "filter tetap dari halaman ini",
    update_available: "Versi baru tersedia.",
    reload: "Muat ulang",
    loading_entities: "Memuat entitas hasil ini…",
    save_offline: "Simpan untuk dibaca luring",
    saved_offline: "Seluruh korpus tersedia luring.",
    previous_hit: "Temuan sebelumnya (p)",
    next_hit: "Temuan berikutnya (n)",
    legend: "Keterangan warna entitas",
    also: "juga",
    mentions: "Penyebutan",
    appears_with: "Muncul bersama",
    close: "Tutup",
    no_hits: "Tidak ada temuan pencarian di artikel ini.",
    hit_navigation: "Navigasi temuan",
};

const EN: Strings = Strings {
    code: "en",
    tagline: "article explorer",
    articles: "Articles",
    choose_article: "Choose an article from the list to read it.",
    back_to_list: "Back to the list",
    switch_language: "Switch the interface to Bahasa Indonesia",
    other_language: "Bahasa Indonesia",
    other_language_code: "id",
    corpus_error: "The corpus could not be loaded",
    source: "Source",
    date: "Date",
    language: "Language",
    show_work: "Show the work",
    hide_work: "Hide the work",
    search_label: "Search articles",
    search_placeholder: "e.g. kerusuhan, \"revolusi warna\", -putin",
    syntax_help: "How to search",
    syntax_rows: [
        ("kerusuhan kazakhstan", "articles with all the words (word forms and typos included)"),
        ("\"revolusi warna\"", "the exact phrase"),
        ("-putin", "without this word"),
        ("rusia OR belarus", "either word"),
        ("toka*", "words starting with toka"),
        ("title:kremlin", "in the title only"),
        ("person:\"Vladimir Putin\"  org:CSTO  place:kazakhstan", "articles mentioning this entity"),
    ],
    shortcuts:
        "Shortcuts: / search · Esc clear · j/k move through results · Enter open · n/p next/previous hit",
    results: "Results",
    no_results: "No article matches.",
    no_results_hint: "Try other words, a prefix such as kazak*, or remove entity filters.",
    sort: "Sort by",
    by_relevance: "Relevance",
    by_date: "Newest",
    show_more: "Show more",
    export: "Export",
    export_results_csv: "Results (CSV)",
    export_results_json: "Results (JSON)",
    export_entities_csv: "Entities (CSV)",
    export_entities_json: "Entities (JSON)",
    entities: "Entities",
    no_entities: "This corpus has no entities.",
    entities_after_search: "Search to see the people, organisations and places in the articles found.",
    active_filters: "Active filters",
    clear_all: "Clear all filters",
    not: "not",
    locked_filter: "fixed filter set by this page",
    update_available: "A new version is available.",
    reload: "Reload",
    loading_entities: "Loading the entities of these results…",
    save_offline: "Make available offline",
    saved_offline: "The whole corpus is available offline.",
    previous_hit: "Previous hit (p)",
    next_hit: "Next hit (n)",
    legend: "Entity colours",
    also: "also",
    mentions: "Mentions",
    appears_with: "Appears with",
    close: "Close",
    no_hits: "No search hits in this article.",
    hit_navigation: "Hit navigation",
};

impl UiLang {
    /// The interface language for a browser language tag such as `en-US` or `id`.
    pub fn from_tag(tag: &str) -> UiLang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "id" | "ms" | "in" | "" => UiLang::Id,
            _ => UiLang::En,
        }
    }

    /// The other language, for the switch.
    pub fn toggled(self) -> UiLang {
        match self {
            UiLang::Id => UiLang::En,
            UiLang::En => UiLang::Id,
        }
    }

    /// The fixed strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            UiLang::Id => &ID,
            UiLang::En => &EN,
        }
    }

    /// "3 articles" / "3 artikel".
    pub fn article_count(self, n: usize) -> String {
        match (self, n) {
            (UiLang::Id, _) => format!("{n} artikel"),
            (UiLang::En, 1) => "1 article".into(),
            (UiLang::En, _) => format!("{n} articles"),
        }
    }

    /// The live announcement of a result count.
    pub fn found(self, n: usize) -> String {
        match self {
            UiLang::Id => format!("{n} artikel ditemukan"),
            UiLang::En if n == 1 => "1 article found".into(),
            UiLang::En => format!("{n} articles found"),
        }
    }

    /// "Hit 2 of 6".
    pub fn hit_of(self, n: usize, total: usize) -> String {
        match self {
            UiLang::Id => format!("Temuan {n} dari {total}"),
            UiLang::En => format!("Hit {n} of {total}"),
        }
    }

    /// Plural heading of an entity type.
    pub fn type_heading(self, kind: EntityType) -> &'static str {
        match (self, kind) {
            (UiLang::Id, EntityType::Per) => "Orang",
            (UiLang::Id, EntityType::Org) => "Organisasi",
            (UiLang::Id, EntityType::Loc) => "Tempat",
            (UiLang::En, EntityType::Per) => "People",
            (UiLang::En, EntityType::Org) => "Organisations",
            (UiLang::En, EntityType::Loc) => "Places",
        }
    }

    /// Singular name of an entity type.
    pub fn type_name(self, kind: EntityType) -> &'static str {
        match (self, kind) {
            (UiLang::Id, EntityType::Per) => "orang",
            (UiLang::Id, EntityType::Org) => "organisasi",
            (UiLang::Id, EntityType::Loc) => "tempat",
            (UiLang::En, EntityType::Per) => "person",
            (UiLang::En, EntityType::Org) => "organisation",
            (UiLang::En, EntityType::Loc) => "place",
        }
    }

    /// Accessible name of a facet's include control: the entity and its count.
    pub fn include_label(self, name: &str, articles: u32) -> String {
        match self {
            UiLang::Id => format!("{name} {articles} artikel"),
            UiLang::En if articles == 1 => format!("{name} 1 article"),
            UiLang::En => format!("{name} {articles} articles"),
        }
    }

    /// The button that lists more (or fewer) entities of a type.
    pub fn more_entities(self, hidden: usize, expanded: bool) -> String {
        match (self, expanded) {
            (UiLang::Id, false) => format!("Tampilkan {hidden} lagi"),
            (UiLang::Id, true) => "Tampilkan lebih sedikit".into(),
            (UiLang::En, false) => format!("Show {hidden} more"),
            (UiLang::En, true) => "Show fewer".into(),
        }
    }

    /// Accessible name of a facet's exclude control.
    pub fn exclude_label(self, name: &str) -> String {
        match self {
            UiLang::Id => format!("Kecualikan {name}"),
            UiLang::En => format!("Exclude {name}"),
        }
    }

    /// Accessible name of a filter chip's remove button.
    pub fn remove_filter(self, name: &str) -> String {
        match self {
            UiLang::Id => format!("Hapus filter {name}"),
            UiLang::En => format!("Remove filter {name}"),
        }
    }

    /// Accessible name of an entity mark: what the text says, the entity it is, and what a click does.
    pub fn entity_mark_label(self, kind: EntityType, name: &str, surface: &str) -> String {
        let who = if surface == name { name.to_string() } else { format!("{surface} – {name}") };
        match self {
            UiLang::Id => format!("{who} ({}): filter dengan entitas ini", self.type_name(kind)),
            UiLang::En => format!("{who} ({}): filter by this entity", self.type_name(kind)),
        }
    }

    /// Accessible name of the button that opens the entity panel.
    pub fn show_entity(self, name: &str) -> String {
        match self {
            UiLang::Id => format!("Detail {name}"),
            UiLang::En => format!("Details of {name}"),
        }
    }

    /// Before the list of typo corrections the search used.
    pub fn corrected(self) -> &'static str {
        match self {
            UiLang::Id => "Juga dicari (salah ketik):",
            UiLang::En => "Also searched (typos):",
        }
    }

    /// Progress of fetching a corpus pack.
    pub fn loading(self, url: &str) -> String {
        match self {
            UiLang::Id => format!("Memuat korpus {url}…"),
            UiLang::En => format!("Loading the corpus {url}…"),
        }
    }

    /// Progress of "Make available offline": `have` of `total` parts of the corpus are here.
    pub fn saving_offline(self, have: usize, total: usize) -> String {
        match self {
            UiLang::Id => format!("Menyimpan untuk luring: {have} dari {total} bagian korpus"),
            UiLang::En => format!("Saving for offline use: {have} of {total} parts of the corpus"),
        }
    }

    /// Parts of a split corpus are being fetched.
    pub fn fetching_pieces(self, n: u32) -> String {
        match self {
            UiLang::Id => format!("Memuat {n} bagian korpus…"),
            UiLang::En => format!("Loading {n} part{} of the corpus…", if n == 1 { "" } else { "s" }),
        }
    }

    /// A corpus pack arrived and is being decoded.
    pub fn opening(self, url: &str) -> String {
        match self {
            UiLang::Id => format!("Membuka korpus {url}…"),
            UiLang::En => format!("Opening the corpus {url}…"),
        }
    }

    /// A corpus pack could not be fetched or read.
    pub fn load_failed(self, url: &str, reason: &str) -> String {
        match self {
            UiLang::Id => {
                format!("Korpus {url} tidak dapat dimuat: {reason}. Korpus yang ada tetap dipakai.")
            }
            UiLang::En => {
                format!("The corpus {url} could not be loaded: {reason}. The current corpus stays in use.")
            }
        }
    }

    /// Label of the button that dismisses a message.
    pub fn dismiss(self) -> &'static str {
        match self {
            UiLang::Id => "Tutup pesan",
            UiLang::En => "Dismiss",
        }
    }

    /// A query warning, worded in this language.
    pub fn warning(self, kind: &WarningKind) -> String {
        match (self, kind) {
            (UiLang::En, k) => k.to_string(),
            (UiLang::Id, WarningKind::UnclosedQuote) => "Tanda kutip belum ditutup; dianggap ditutup di akhir.".into(),
            (UiLang::Id, WarningKind::LoneMinus) => {
                "Tanda - sendirian tidak mengecualikan apa pun; tulis tepat sebelum kata, mis. -putin.".into()
            }
            (UiLang::Id, WarningKind::DanglingOr) => "OR perlu kata di kedua sisinya; diabaikan.".into(),
            (UiLang::Id, WarningKind::EmptyPhrase) => "Frasa kosong diabaikan.".into(),
            (UiLang::Id, WarningKind::UnknownField { name }) => format!(
                "`{name}:` bukan kolom (gunakan title:, body:, person:, org:, place:); kata-katanya tetap dicari."
            ),
            (UiLang::Id, WarningKind::EmptyEntityName) => "Filter entitas memerlukan nama.".into(),
            (UiLang::Id, WarningKind::AnyWordFallback) => {
                "Tidak ada artikel yang memuat semua kata; ditampilkan artikel yang memuat salah satunya.".into()
            }
            (UiLang::Id, WarningKind::NoEntityIndex) => {
                "Korpus ini tidak memiliki indeks entitas, jadi filter entitas tidak cocok dengan apa pun.".into()
            }
            (UiLang::Id, WarningKind::UnknownEntity { kind, name }) => {
                format!("Tidak ada {} bernama “{name}” di korpus ini.", self.type_name(*kind))
            }
        }
    }
}

/// A human name for an article language code, in the interface language.
pub fn language_name(ui: UiLang, code: &str) -> String {
    let name = match (ui, code) {
        (UiLang::Id, "id") => "Bahasa Indonesia",
        (UiLang::Id, "en") => "Bahasa Inggris",
        (UiLang::En, "id") => "Indonesian",
        (UiLang::En, "en") => "English",
        (UiLang::Id, "und") => "tidak diketahui",
        (UiLang::En, "und") => "unknown",
        _ => return code.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags() {
        for (tag, lang) in [
            ("id-ID", UiLang::Id),
            ("en-US", UiLang::En),
            ("EN", UiLang::En),
            ("de", UiLang::En),
            ("", UiLang::Id),
        ] {
            assert_eq!(UiLang::from_tag(tag), lang, "tag {tag:?}");
        }
    }

    #[test]
    fn languages_differ_everywhere() {
        let (i, e) = (UiLang::Id.strings(), UiLang::En.strings());
        let pairs = [
            (i.code, e.code),
            (i.tagline, e.tagline),
            (i.articles, e.articles),
            (i.choose_article, e.choose_article),
            (i.back_to_list, e.back_to_list),
            (i.switch_language, e.switch_language),
            (i.other_language, e.other_language),
            (i.other_language_code, e.other_language_code),
            (i.corpus_error, e.corpus_error),
            (i.source, e.source),
            (i.date, e.date),
            (i.language, e.language),
            (i.search_label, e.search_label),
            (i.search_placeholder, e.search_placeholder),
            (i.show_work, e.show_work),
            (i.hide_work, e.hide_work),
            (i.syntax_help, e.syntax_help),
            (i.shortcuts, e.shortcuts),
            (i.results, e.results),
            (i.no_results, e.no_results),
            (i.no_results_hint, e.no_results_hint),
            (i.sort, e.sort),
            (i.by_relevance, e.by_relevance),
            (i.by_date, e.by_date),
            (i.show_more, e.show_more),
            (i.export, e.export),
            (i.export_results_csv, e.export_results_csv),
            (i.export_results_json, e.export_results_json),
            (i.export_entities_csv, e.export_entities_csv),
            (i.export_entities_json, e.export_entities_json),
            (i.entities, e.entities),
            (i.no_entities, e.no_entities),
            (i.entities_after_search, e.entities_after_search),
            (i.active_filters, e.active_filters),
            (i.clear_all, e.clear_all),
            (i.not, e.not),
            (i.locked_filter, e.locked_filter),
            (i.update_available, e.update_available),
            (i.reload, e.reload),
            (i.loading_entities, e.loading_entities),
            (i.save_offline, e.save_offline),
            (i.saved_offline, e.saved_offline),
            (i.previous_hit, e.previous_hit),
            (i.next_hit, e.next_hit),
            (i.legend, e.legend),
            (i.also, e.also),
            (i.mentions, e.mentions),
            (i.appears_with, e.appears_with),
            (i.close, e.close),
            (i.no_hits, e.no_hits),
            (i.hit_navigation, e.hit_navigation),
        ];
        for (a, b) in pairs {
            assert_ne!(a, b, "untranslated string {a:?}");
        }
        for ((_, a), (_, b)) in i.syntax_rows.iter().zip(&e.syntax_rows) {
            assert_ne!(a, b, "untranslated syntax help {a:?}");
        }
    }

    #[test]
    fn warnings_are_worded_in_both_languages() {
        let kinds = [
            WarningKind::UnclosedQuote,
            WarningKind::LoneMinus,
            WarningKind::DanglingOr,
            WarningKind::EmptyPhrase,
            WarningKind::UnknownField { name: "foo".into() },
            WarningKind::EmptyEntityName,
            WarningKind::AnyWordFallback,
            WarningKind::NoEntityIndex,
            WarningKind::UnknownEntity { kind: EntityType::Per, name: "X".into() },
        ];
        for k in &kinds {
            assert_ne!(UiLang::Id.warning(k), UiLang::En.warning(k));
        }
    }
}
