/// The language code for text whose language could not be determined (ISO 639-2 `und`).
pub const UNDETERMINED: &str = "und";

/// Detects the language of `text` as an ISO 639-1 code (`id`, `en`, …), or [`UNDETERMINED`].
///
/// Without the `detect-lang` feature (the browser build) this always answers [`UNDETERMINED`];
/// packed articles already carry their language.
pub fn detect_lang(text: &str) -> String {
    detect(text).unwrap_or(UNDETERMINED).to_string()
}

#[cfg(feature = "detect-lang")]
fn detect(text: &str) -> Option<&'static str> {
    use whatlang::Lang;
    // A few thousand characters decide reliably; more only costs time on huge articles.
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && sample.len() > 200 {
        return None;
    }
    // whatlang speaks ISO 639-3; the corpus format speaks ISO 639-1 for the languages we analyse.
    Some(match info.lang() {
        Lang::Ind => "id",
        Lang::Eng => "en",
        Lang::Jav => "jv",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Rus => "ru",
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Tha => "th",
        Lang::Vie => "vi",
        Lang::Tgl => "tl",
        // Malay is so close to Indonesian that short Indonesian texts are often labelled Malay.
        other if other.code() == "zlm" || other.code() == "msa" => "id",
        _ => return None,
    })
}

#[cfg(not(feature = "detect-lang"))]
fn detect(_text: &str) -> Option<&'static str> {
    None
}

#[cfg(all(test, feature = "detect-lang"))]
mod tests {
    use super::*;

    #[test]
    fn detects_indonesian_and_english() {
        let id = "Pihak berwenang di Kazakhstan menutup akses internet di seluruh negeri di tengah protes nasional pekan lalu.";
        let en = "The authorities in Kazakhstan shut down internet access across the country amid national protests last week.";
        assert_eq!(detect_lang(id), "id");
        assert_eq!(detect_lang(en), "en");
    }

    #[test]
    fn no_letters_is_undetermined() {
        assert_eq!(detect_lang("12345 !!! ..."), UNDETERMINED);
        assert_eq!(detect_lang(""), UNDETERMINED);
    }
}
