//! Word lists the tagger consults: countries, places, organisations, organisation heads, person titles
//! and calendar words, compiled into the binary from `data/ner/*.txt` (see `data/ner/SOURCES.md`).
//!
//! Entries are matched on token n-grams of lower-cased text, tokenised exactly as the tagger tokenises
//! (so `Amerika Serikat` is two tokens and `Guinea-Bissau` one). For every token the lookup reports,
//! per list, whether a match starts there, continues there, or is a single-token match.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::tokens::{lower_hash, mix, NerTokens};

/// The lists, in the order of their bits in [`Gazetteer::annotate`]'s output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    /// Countries, territories and world regions (CLDR, Indonesian and English names).
    Country = 0,
    /// Indonesian provinces, regions, islands and cities; major world cities.
    Place = 1,
    /// Organisations often in the news.
    Organisation = 2,
    /// Words that open or close an organisation's name (`Kementerian`, `Partai`, `Inc.`).
    OrgHead = 3,
    /// Offices, ranks and honorifics before a person's name (`Presiden`, `Jenderal`, `Dr.`).
    PersonTitle = 4,
    /// Days, months and holidays: capitalised but not names.
    Calendar = 5,
    /// Given names, Indonesian and English.
    FirstName = 6,
    /// The 10,000 most common Indonesian words (names among them are common words too).
    CommonWord = 7,
}

impl List {
    /// Every list, in bit order.
    pub(crate) const ALL: [List; LIST_COUNT] = [
        List::Country,
        List::Place,
        List::Organisation,
        List::OrgHead,
        List::PersonTitle,
        List::Calendar,
        List::FirstName,
        List::CommonWord,
    ];

    /// What the list holds, in a few words.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            List::Country => "countries",
            List::Place => "places",
            List::Organisation => "organisations",
            List::OrgHead => "organisation words (Kementerian, Partai)",
            List::PersonTitle => "titles before names (Presiden, Jenderal)",
            List::Calendar => "days, months and holidays",
            List::FirstName => "given names",
            List::CommonWord => "common Indonesian words",
        }
    }
}

/// Number of lists.
pub(crate) const LIST_COUNT: usize = 8;

/// Bits per list in a token's annotation: match begins here, continues here, single-token match.
pub(crate) const BITS_PER_LIST: u32 = 3;

/// Annotation bit: a match of `list` begins at this token (and has more tokens).
pub(crate) fn begin_bit(list: List) -> u32 {
    1 << (list as u32 * BITS_PER_LIST)
}

/// Annotation bit: this token continues a match of `list`.
pub(crate) fn inside_bit(list: List) -> u32 {
    1 << (list as u32 * BITS_PER_LIST + 1)
}

/// Annotation bit: this token alone is an entry of `list`.
pub(crate) fn unit_bit(list: List) -> u32 {
    1 << (list as u32 * BITS_PER_LIST + 2)
}

/// Any bit of `list`.
pub(crate) fn any_bit(list: List) -> u32 {
    0b111 << (list as u32 * BITS_PER_LIST)
}

const SOURCES: [(List, &str); 9] = [
    (List::Country, include_str!("../../data/ner/countries-id.txt")),
    (List::Country, include_str!("../../data/ner/countries-en.txt")),
    (List::Place, include_str!("../../data/ner/places-id.txt")),
    (List::Organisation, include_str!("../../data/ner/organisations.txt")),
    (List::OrgHead, include_str!("../../data/ner/org-heads.txt")),
    (List::PersonTitle, include_str!("../../data/ner/person-titles.txt")),
    (List::Calendar, include_str!("../../data/ner/calendar.txt")),
    (List::FirstName, include_str!("../../data/ner/first-names.txt")),
    (List::CommonWord, include_str!("../../data/ner/common-words-id.txt")),
];

/// Longest entry, in tokens, that is looked up.
const MAX_TOKENS: usize = 8;

/// Hashes are already well mixed: use them as they are.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The compiled lists: n-gram hash → which lists hold it (bit per list; 0 = only a prefix of entries).
pub(crate) struct Gazetteer {
    entries: HashMap<u64, u8, BuildHasherDefault<IdentityHasher>>,
    fingerprint: u32,
}

impl Gazetteer {
    /// The lists compiled into this build (built once, on first use).
    pub(crate) fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| Gazetteer::from_sources(&SOURCES))
    }

    fn from_sources(sources: &[(List, &str)]) -> Gazetteer {
        let mut entries: HashMap<u64, u8, BuildHasherDefault<IdentityHasher>> = HashMap::default();
        let mut crc = crate::pack::crc::Crc32::new();
        let mut hashes = Vec::new();
        for &(list, text) in sources {
            crc.update(&[list as u8]);
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                crc.update(line.as_bytes());
                crc.update(b"\n");
                hashes.clear();
                hashes.extend(NerTokens::new(line).map(|t| lower_hash(&line[t.start..t.end])));
                if hashes.is_empty() || hashes.len() > MAX_TOKENS {
                    continue;
                }
                let mut key = NGRAM_SEED;
                for (i, &h) in hashes.iter().enumerate() {
                    key = extend_key(key, h);
                    let slot = entries.entry(key).or_insert(0);
                    if i + 1 == hashes.len() {
                        *slot |= 1 << list as u8;
                    }
                }
            }
        }
        Gazetteer { entries, fingerprint: crc.finalize() }
    }

    /// A checksum of the lists' contents: a model records the one it was trained with.
    pub(crate) fn fingerprint(&self) -> u32 {
        self.fingerprint
    }

    /// Annotates the tokens whose lower-cased hashes are `hashes`: `out[i]` gets the begin/inside/unit
    /// bits of every list with a match covering token `i` (the longest match starting at each token).
    /// Lists of names (countries, places, organisations, first names) match only where
    /// `capitalised[start]` (so `antara` and `tempo` are words, `Antara` and `Tempo` may be media).
    pub(crate) fn annotate(&self, hashes: &[u64], capitalised: &[bool], out: &mut Vec<u32>) {
        out.clear();
        out.resize(hashes.len(), 0);
        for start in 0..hashes.len() {
            let allowed =
                if capitalised.get(start).copied().unwrap_or(false) { u8::MAX } else { !NAME_LISTS };
            let mut key = NGRAM_SEED;
            // Longest match per list from this start.
            let mut longest = [0usize; LIST_COUNT];
            for (n, &h) in hashes[start..].iter().take(MAX_TOKENS).enumerate() {
                key = extend_key(key, h);
                let Some(&lists) = self.entries.get(&key) else { break };
                let lists = lists & allowed;
                for (list, len) in longest.iter_mut().enumerate() {
                    if lists & (1 << list) != 0 {
                        *len = n + 1;
                    }
                }
            }
            for (list, &len) in longest.iter().enumerate() {
                let shift = list as u32 * BITS_PER_LIST;
                match len {
                    0 => {}
                    1 => out[start] |= 0b100 << shift,
                    _ => {
                        out[start] |= 0b001 << shift;
                        for slot in &mut out[start + 1..start + len] {
                            *slot |= 0b010 << shift;
                        }
                    }
                }
            }
        }
    }
}

/// Lists of names: matched only from a capitalised token.
const NAME_LISTS: u8 = 1 << List::Country as u8
    | 1 << List::Place as u8
    | 1 << List::Organisation as u8
    | 1 << List::FirstName as u8;

const NGRAM_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[inline]
fn extend_key(key: u64, token: u64) -> u64 {
    mix(key.rotate_left(17) ^ token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotate(text: &str) -> Vec<(String, u32)> {
        let tokens: Vec<&str> = NerTokens::new(text).map(|t| &text[t.start..t.end]).collect();
        let hashes: Vec<u64> = tokens.iter().map(|t| lower_hash(t)).collect();
        let capitalised: Vec<bool> = tokens.iter().map(|t| t.starts_with(char::is_uppercase)).collect();
        let mut out = Vec::new();
        Gazetteer::get().annotate(&hashes, &capitalised, &mut out);
        tokens.iter().map(|t| t.to_string()).zip(out).collect()
    }

    #[test]
    fn multi_word_entries_get_begin_and_inside_bits() {
        let got = annotate("pesawat dari Amerika Serikat mendarat di Jawa Barat");
        let bits: Vec<u32> = got.iter().map(|(_, b)| *b).collect();
        assert_eq!(bits[0] & (any_bit(List::Country) | any_bit(List::Place)), 0, "{got:?}");
        assert_ne!(bits[2] & begin_bit(List::Country), 0, "{got:?}");
        assert_ne!(bits[3] & inside_bit(List::Country), 0, "{got:?}");
        assert_ne!(bits[6] & begin_bit(List::Place), 0, "{got:?}");
        assert_ne!(bits[7] & inside_bit(List::Place), 0, "{got:?}");
    }

    #[test]
    fn single_tokens_case_insensitive() {
        struct Case {
            name: &'static str,
            text: &'static str,
            token: usize,
            bit: u32,
        }
        let cases = [
            Case { name: "country", text: "di Kazakhstan", token: 1, bit: unit_bit(List::Country) },
            Case {
                name: "lower-case title",
                text: "kata juru bicara itu",
                token: 1,
                bit: begin_bit(List::PersonTitle),
            },
            Case { name: "org head", text: "Kementerian Luar Negeri", token: 0, bit: any_bit(List::OrgHead) },
            Case { name: "month", text: "pada Januari lalu", token: 1, bit: unit_bit(List::Calendar) },
            Case {
                name: "abbreviation with period",
                text: "Dr. Terawan",
                token: 0,
                bit: unit_bit(List::PersonTitle),
            },
        ];
        let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cases.len());
        for case in &cases {
            let got = annotate(case.text);
            assert_ne!(got[case.token].1 & case.bit, 0, "{}: {got:?}", case.name);
        }
    }

    #[test]
    fn fingerprint_is_stable_within_a_build() {
        assert_eq!(Gazetteer::get().fingerprint(), Gazetteer::from_sources(&SOURCES).fingerprint());
    }
}
