//! Every string the interface shows, in Bahasa Indonesia and English. Components never hard-code text.

/// The language of the interface (not of the articles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UiLang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

/// The strings of one interface language.
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
    /// Text of the interface-language switch (names the other language).
    pub other_language: &'static str,
    /// Heading of the error shown when the corpus cannot be loaded.
    pub corpus_error: &'static str,
    /// Label for an article's source.
    pub source: &'static str,
    /// Label for an article's date.
    pub date: &'static str,
    /// Label for an article's language.
    pub language: &'static str,
}

const ID: Strings = Strings {
    code: "id",
    tagline: "penjelajah artikel",
    articles: "Artikel",
    choose_article: "Pilih artikel dari daftar untuk membacanya.",
    back_to_list: "Kembali ke daftar",
    switch_language: "Ganti bahasa antarmuka ke English",
    other_language: "EN",
    corpus_error: "Korpus tidak dapat dimuat",
    source: "Sumber",
    date: "Tanggal",
    language: "Bahasa",
};

const EN: Strings = Strings {
    code: "en",
    tagline: "article explorer",
    articles: "Articles",
    choose_article: "Choose an article from the list to read it.",
    back_to_list: "Back to the list",
    switch_language: "Switch the interface to Bahasa Indonesia",
    other_language: "ID",
    corpus_error: "The corpus could not be loaded",
    source: "Source",
    date: "Date",
    language: "Language",
};

impl UiLang {
    /// The interface language for a browser language tag such as `en-US` or `id`.
    pub fn from_tag(tag: &str) -> UiLang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "id" | "ms" | "in" => UiLang::Id,
            "" => UiLang::Id,
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

    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            UiLang::Id => &ID,
            UiLang::En => &EN,
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
        let (id, en) = (UiLang::Id.strings(), UiLang::En.strings());
        let pairs = [
            (id.tagline, en.tagline),
            (id.articles, en.articles),
            (id.choose_article, en.choose_article),
            (id.back_to_list, en.back_to_list),
            (id.switch_language, en.switch_language),
            (id.corpus_error, en.corpus_error),
            (id.source, en.source),
            (id.date, en.date),
            (id.language, en.language),
        ];
        for (a, b) in pairs {
            assert_ne!(a, b, "untranslated string {a:?}");
        }
    }
}
