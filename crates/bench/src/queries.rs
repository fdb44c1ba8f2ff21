//! The native benchmark's 100 timed queries, drawn from the first 1,000 articles (the browser
//! benchmark once had the same generator in JavaScript; it now asks the known-item queries of
//! [`crate::known`], as `--known-items` does).
//! Kinds (count): word (20), two words (15), stemmed (20), phrase (15), prefix (15), typo (15).

use std::collections::{HashMap, HashSet};

use sorot_engine::Article;

/// One query: its kind and its text in Sorot's query language.
pub struct Query {
    pub kind: &'static str,
    pub text: String,
}

/// Mulberry32 (a small deterministic generator).
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() * n.max(1) as f64).floor() as usize
    }
}

/// Length as JavaScript counts it (UTF-16 units).
fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Lower-case words of a text (letters only).
pub(crate) fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// Pairs of adjacent words (3+ letters each) separated by exactly one space, not touching a letter,
/// digit or hyphen on either side; non-overlapping, left to right.
pub(crate) fn adjacent_pairs(text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut runs = Vec::new(); // [start, end) of letter runs
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let blocks = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '-');
    let mut pairs = Vec::new();
    let mut r = 0;
    while r + 1 < runs.len() {
        let (a, b) = (runs[r], runs[r + 1]);
        let fits = a.1 - a.0 >= 3
            && b.1 - b.0 >= 3
            && !blocks(a.0.checked_sub(1).and_then(|p| chars.get(p)))
            && b.0 == a.1 + 1
            && chars[a.1] == ' '
            && !blocks(chars.get(b.1));
        if fits {
            pairs.push((chars[a.0..a.1].iter().collect(), chars[b.0..b.1].iter().collect()));
            r += 2;
        } else {
            r += 1;
        }
    }
    pairs
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !out.contains(&s) {
        out.push(s);
    }
}

fn starts_vowel(s: &str) -> bool {
    s.starts_with(['a', 'i', 'u', 'e', 'o'])
}

/// Candidate roots of an Indonesian word: prefixes meN-/peN- (with their sound changes), di-, ber-,
/// ter-, ke-, se-, per- and suffixes -kan, -an, -i, -nya, -lah, -kah stripped in every combination.
/// Over-generates on purpose: callers keep only roots the corpus itself writes.
pub(crate) fn roots(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stems = vec![word.to_string()];
    for particle in ["nya", "lah", "kah"] {
        if let Some(s) = word.strip_suffix(particle) {
            push_unique(&mut stems, s.to_string());
        }
    }
    for s in stems.clone() {
        for suffix in ["kan", "an", "i"] {
            if let Some(r) = s.strip_suffix(suffix) {
                push_unique(&mut stems, r.to_string());
            }
        }
    }
    for s in &stems {
        push_unique(&mut out, s.clone());
        for p in ["di", "ber", "be", "ter", "ke", "se", "per"] {
            if let Some(r) = s.strip_prefix(p) {
                push_unique(&mut out, r.to_string());
            }
        }
        for lead in ["me", "pe"] {
            let Some(rest) = s.strip_prefix(lead) else { continue };
            if let Some(r) = rest.strip_prefix("ng") {
                push_unique(&mut out, r.to_string());
                if starts_vowel(r) {
                    push_unique(&mut out, format!("k{r}"));
                }
            } else if let Some(r) = rest.strip_prefix("ny") {
                push_unique(&mut out, format!("s{r}"));
            } else if let Some(r) = rest.strip_prefix('m') {
                push_unique(&mut out, r.to_string());
                if starts_vowel(r) {
                    push_unique(&mut out, format!("p{r}"));
                }
            } else if let Some(r) = rest.strip_prefix('n') {
                push_unique(&mut out, r.to_string());
                if starts_vowel(r) {
                    push_unique(&mut out, format!("t{r}"));
                }
            } else {
                push_unique(&mut out, rest.to_string());
            }
        }
    }
    out.retain(|r| js_len(r) >= 4);
    out
}

/// meN-/peN- + root with the nasal sound change.
fn nasal(lead: &str, root: &str) -> String {
    let c = root.chars().next().unwrap_or(' ');
    let rest = &root[c.len_utf8().min(root.len())..];
    if starts_vowel(root) || "gh".contains(c) {
        format!("{lead}ng{root}")
    } else if c == 'k' {
        format!("{lead}ng{rest}")
    } else if c == 'p' {
        format!("{lead}m{rest}")
    } else if "bfv".contains(c) {
        format!("{lead}m{root}")
    } else if c == 't' {
        format!("{lead}n{rest}")
    } else if "dcjz".contains(c) {
        format!("{lead}n{root}")
    } else if c == 's' {
        format!("{lead}ny{rest}")
    } else {
        format!("{lead}{root}")
    }
}

/// Affixed forms of a root.
pub(crate) fn forms(root: &str) -> Vec<String> {
    let (me, pe) = (nasal("me", root), nasal("pe", root));
    let all = [
        root.to_string(),
        format!("{root}nya"),
        format!("{root}kan"),
        format!("{root}an"),
        format!("{root}i"),
        format!("ke{root}an"),
        format!("di{root}"),
        format!("di{root}kan"),
        format!("di{root}i"),
        format!("ber{root}"),
        format!("ter{root}"),
        format!("per{root}an"),
        format!("se{root}"),
        me.clone(),
        format!("{me}kan"),
        format!("{me}i"),
        pe.clone(),
        format!("{pe}an"),
    ];
    let mut out = Vec::new();
    for f in all {
        push_unique(&mut out, f);
    }
    out
}

struct Doc {
    tokens: Vec<String>,
    /// Distinct tokens in first-seen order (a JavaScript `Set`).
    present: Vec<String>,
    present_set: HashSet<String>,
    pairs: Vec<(String, String)>,
}

/// The 100 queries from `articles` (the first 1,000 of the corpus).
pub fn make(articles: &[Article]) -> Vec<Query> {
    let mut random = Rng(4242);
    let docs: Vec<Doc> = articles
        .iter()
        .map(|a| {
            let tokens = words(&format!("{} {}", a.title, a.body));
            let mut present = Vec::new();
            let mut present_set = HashSet::new();
            for t in &tokens {
                if present_set.insert(t.clone()) {
                    present.push(t.clone());
                }
            }
            Doc { tokens, present, present_set, pairs: adjacent_pairs(&a.body) }
        })
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in &docs {
        for w in &d.present {
            *df.entry(w).or_default() += 1;
        }
    }
    let common: HashSet<String> = articles
        .iter()
        .flat_map(|a| {
            format!("{} {}", a.title, a.body)
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty() && *w == w.to_lowercase())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let df_of = |w: &str| df.get(w).copied().unwrap_or(0);
    let rare = |d: &Doc, min: usize| -> Vec<String> {
        let mut out: Vec<String> = d.present.iter().filter(|w| js_len(w) >= min).cloned().collect();
        out.sort_by(|a, b| df_of(a).cmp(&df_of(b)).then_with(|| a.encode_utf16().cmp(b.encode_utf16())));
        out.truncate(24);
        out
    };
    let stem_variants = |word: &str, present: &HashSet<String>| -> Vec<String> {
        let mut variants = Vec::new();
        for root in roots(word) {
            if !common.contains(&root) || df_of(&root) < 3 {
                continue;
            }
            for f in forms(&root) {
                if f != word && common.contains(&f) && !present.contains(&f) {
                    push_unique(&mut variants, f);
                }
            }
        }
        variants.sort_by(|a, b| df_of(a).cmp(&df_of(b)).then_with(|| a.encode_utf16().cmp(b.encode_utf16())));
        variants
    };
    let typo = |word: &str, random: &mut Rng, replace: bool| -> Option<String> {
        let letters: Vec<char> = "aeiounrstkgmlpbdh".chars().collect();
        let w: Vec<char> = word.chars().collect();
        for _ in 0..10 {
            let i = 1 + random.below(w.len().saturating_sub(2));
            let mut t = w.clone();
            if replace {
                let at = letters.iter().position(|&c| c == w[i]).map_or(-1, |p| p as i64);
                let r = random.below(letters.len() - 1) as i64;
                t[i] = letters[((at + 1 + r) % letters.len() as i64) as usize];
            } else {
                t.remove(i);
            }
            let t: String = t.into_iter().collect();
            if t != word && !df.contains_key(t.as_str()) {
                return Some(t);
            }
        }
        None
    };

    let plan =
        [("word", 20), ("two words", 15), ("stemmed", 20), ("phrase", 15), ("prefix", 15), ("typo", 15)];
    let mut queries: Vec<Query> = Vec::new();
    for (kind, count) in plan {
        let mut made = 0;
        let mut attempt = 0;
        while made < count && attempt < 10_000 {
            attempt += 1;
            let d = &docs[random.below(docs.len())];
            let long: Vec<&String> = d.tokens.iter().filter(|w| js_len(w) >= 5).collect();
            if long.len() < 4 {
                continue;
            }
            let text = match kind {
                "word" => Some(long[random.below(long.len())].clone()),
                "two words" => {
                    let a = long[random.below(long.len())];
                    let b = long[random.below(long.len())];
                    (a != b).then(|| format!("{a} {b}"))
                }
                "phrase" if !d.pairs.is_empty() => {
                    let (a, b) = &d.pairs[random.below(d.pairs.len())];
                    (a != b).then(|| format!("\"{a} {b}\""))
                }
                "prefix" => {
                    let candidates: Vec<&&String> = long.iter().filter(|w| js_len(w) >= 6).collect();
                    (!candidates.is_empty()).then(|| {
                        let w = candidates[random.below(candidates.len())];
                        format!("{}*", w.chars().take(4).collect::<String>())
                    })
                }
                "stemmed" => {
                    let mut picked: Vec<(String, String)> = Vec::new(); // (from, to)
                    for w in rare(d, 5).into_iter().filter(|x| common.contains(x)) {
                        let v = stem_variants(&w, &d.present_set)
                            .into_iter()
                            .find(|x| !picked.iter().any(|(from, to)| to == x || from == x));
                        let related = |from: &String| {
                            let mine = roots(&w);
                            from == &w || roots(from).iter().any(|r| mine.contains(r))
                        };
                        if let Some(v) = v {
                            if !picked.iter().any(|(from, _)| related(from)) {
                                picked.push((w.clone(), v));
                            }
                        }
                        if picked.len() == 3 {
                            break;
                        }
                    }
                    (picked.len() == 3)
                        .then(|| picked.iter().map(|(_, to)| to.as_str()).collect::<Vec<_>>().join(" "))
                }
                "typo" => {
                    let candidates = rare(d, 6);
                    if candidates.len() >= 2 {
                        let a = candidates[random.below(candidates.len())].clone();
                        let b = candidates[random.below(candidates.len())].clone();
                        if a != b {
                            let ta = typo(&a, &mut random, made % 2 == 0);
                            let tb = typo(&b, &mut random, made % 2 == 1);
                            ta.zip(tb).map(|(ta, tb)| format!("{ta} {tb}"))
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(text) = text {
                if !queries.iter().any(|q| q.text == text) {
                    queries.push(Query { kind, text });
                    made += 1;
                }
            }
        }
        if made < count {
            eprintln!("could only make {made} of {count} {kind} queries from the corpus");
        }
    }
    queries
}
