//! Merging mentions into entities, within an article and across the corpus.
//!
//! Rules, applied per entity type (never across types):
//! - Variants that differ only in case, diacritics, hyphens or spacing are one name
//!   (`Jomart-Tokayev` = `Jomart Tokayev`).
//! - An acronym in parentheses right after a name is that name (`Organisasi Perjanjian Keamanan
//!   Kolektif (CSTO)`); the acronym is added as a mention if the tagger missed it.
//! - A name that is part of a longer name of the same type (`Putin` in `Vladimir Putin`) is that longer
//!   name: first within the article, then across the corpus when only one longer name fits.
//! - Two different full names are never merged (`Joe Biden` and `Hunter Biden` stay apart, and a bare
//!   `Biden` then stays apart too, unless its own article says which one).
//!
//! The canonical name of an entity is its most complete form (most words, then most frequent).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::mention::{EntityType, Mention};
use crate::text::analyze::tokenize;
use crate::Span;
use crate::{DocId, EntityId};

/// An entity of the corpus: one person, organisation or place, under all its names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Person, organisation or place.
    pub kind: EntityType,
    /// The most complete name.
    pub name: String,
    /// Every other way the corpus writes it, most frequent first.
    pub aliases: Vec<String>,
    /// Number of articles that mention it.
    pub articles: u32,
    /// Number of mentions in the corpus.
    pub mentions: u32,
}

/// Why a mention's name is its entity's (the merging rules above, as they apply to it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum MergeReason {
    /// It is the entity's name.
    Canonical,
    /// The same words, written with another case, diacritics, hyphens or spacing.
    Variant,
    /// An acronym written in parentheses right after the name (`(CSTO)`).
    Acronym,
    /// Part of a longer name of the entity (`Putin` of `Vladimir Putin`): that name is in the same
    /// article (`in_article`), or it is the only longer name of that type in the corpus it fits.
    PartOf {
        /// The longer name.
        longer: String,
        /// The article itself has the longer name.
        in_article: bool,
    },
    /// Joined through another of the entity's names, which it is part of or an acronym of.
    Through {
        /// That name.
        name: String,
    },
}

impl Entity {
    /// Why `surface`, a name of this entity as an article writes it, is this entity;
    /// `article_names`: the entity's other names in that article, as written there.
    pub fn merge_reason(&self, surface: &str, article_names: &[&str]) -> MergeReason {
        let key = name_key(surface);
        let canonical = name_key(&self.name);
        if surface == self.name {
            return MergeReason::Canonical;
        }
        if key == canonical {
            return MergeReason::Variant;
        }
        if is_part_of(&key, &canonical) {
            let in_article = article_names.iter().any(|n| is_part_of(&key, &name_key(n)));
            return MergeReason::PartOf { longer: self.name.clone(), in_article };
        }
        if is_acronym(surface) && !canonical.iter().any(|w| key.contains(w)) {
            return MergeReason::Acronym;
        }
        // Part of (or the same as) another of its names: the longest such.
        let through = self.aliases.iter().filter(|a| {
            let k = name_key(a);
            k == key || is_part_of(&key, &k)
        });
        match through.max_by_key(|a| name_key(a).len()) {
            Some(name) if name_key(name) != key => {
                let in_article = article_names.iter().any(|n| is_part_of(&key, &name_key(n)));
                MergeReason::PartOf { longer: name.clone(), in_article }
            }
            _ => MergeReason::Through { name: self.name.clone() },
        }
    }
}

/// A mention resolved to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Where it is in the article body (UTF-8 bytes).
    pub span: Span,
    /// The entity, as an index into [`Entities::list`].
    pub entity: EntityId,
    /// The tagger's confidence, 0–1, in steps of 1/255 (as a pack keeps it, in one byte).
    pub confidence: f32,
}

/// A confidence as the byte a pack keeps: 0–1 in 255 steps (the tagger's calibration is not finer
/// than that, and a byte compresses to a third of an `f32`).
pub(crate) fn confidence_byte(confidence: f32) -> u8 {
    (confidence.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// The confidence a byte stands for.
pub(crate) fn confidence_from_byte(byte: u8) -> f32 {
    f32::from(byte) / 255.0
}

/// The entities of a corpus and where each article mentions them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    /// All entities, by type, then by number of articles (most first), then by name.
    pub list: Vec<Entity>,
    /// For each article, its mentions in text order.
    pub mentions: Vec<Vec<EntityMention>>,
}

/// A name reduced to its words, for comparison: `Jomart-Tokayev` → `["jomart", "tokayev"]`.
pub(crate) fn name_key(name: &str) -> Vec<String> {
    tokenize(name).into_iter().map(|t| t.term).collect()
}

/// A number for a name as [`find_entities`] compares names (its folded words): what a split pack's
/// name index is keyed by. FNV-1a over the words, each followed by a zero byte.
pub(crate) fn name_hash(name: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for word in name_key(name) {
        for b in word.bytes().chain([0]) {
            hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    hash
}

/// The words of names as numbers, each distinct word once: keys of a few bytes that are cheap to
/// copy and compare (with a `String` per word, the merging held several times the corpus's names).
#[derive(Default)]
struct Words(HashMap<String, u32>);

impl Words {
    /// [`name_key`], with the words as numbers.
    fn key(&mut self, name: &str) -> Vec<u32> {
        tokenize(name)
            .into_iter()
            .map(|t| {
                let next = self.0.len() as u32;
                *self.0.entry(t.term).or_insert(next)
            })
            .collect()
    }
}

/// True when `short` occurs as consecutive words in `long` (and is shorter).
fn is_part_of<T: PartialEq>(short: &[T], long: &[T]) -> bool {
    short.len() < long.len() && long.windows(short.len()).any(|w| w == short)
}

/// True for a word written as an acronym: 2–10 capitals or digits, at least two capitals.
fn is_acronym(text: &str) -> bool {
    let caps = text.chars().filter(|c| c.is_uppercase()).count();
    (2..=10).contains(&text.chars().count())
        && caps >= 2
        && text.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.')
}

/// One name (per type) and what is known of it.
struct Name {
    kind: EntityType,
    key: Vec<u32>,
    /// Surface forms and how often each occurs (most names have one or two).
    surfaces: Vec<(String, u32)>,
}

/// Union-find over names, refusing unions that would join two different full names.
struct Groups {
    parent: Vec<usize>,
    /// The longest names of each group (by key), for the full-name guard.
    longest: Vec<Vec<Vec<u32>>>,
}

impl Groups {
    fn new(names: &[Name]) -> Groups {
        Groups {
            parent: (0..names.len()).collect(),
            longest: names.iter().map(|n| vec![n.key.clone()]).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the groups of `a` and `b` unless that puts two different full names together; `force`
    /// skips the guard (an acronym and its spelled-out name share no words).
    fn union(&mut self, a: usize, b: usize, force: bool) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        let compatible = |x: &Vec<u32>, y: &Vec<u32>| x == y || is_part_of(x, y) || is_part_of(y, x);
        let ok = force || self.longest[ra].iter().all(|x| self.longest[rb].iter().all(|y| compatible(x, y)));
        if !ok {
            return false;
        }
        let mut merged = std::mem::take(&mut self.longest[rb]);
        merged.append(&mut self.longest[ra]);
        // Keep only names not contained in another one of the group.
        let keep: Vec<Vec<u32>> =
            merged.iter().filter(|x| !merged.iter().any(|y| is_part_of(x, y))).cloned().collect();
        let mut keep = keep;
        keep.sort();
        keep.dedup();
        self.longest[ra] = keep;
        self.parent[rb] = ra;
        true
    }
}

/// Resolves the mentions of each article (`(body, mentions)` in corpus order) into entities.
pub fn resolve_entities(articles: &[(&str, Vec<Mention>)]) -> Entities {
    let mut resolver = Resolver::default();
    for (body, mentions) in articles {
        resolver.add(body, mentions);
    }
    resolver.finish()
}

/// [`resolve_entities`] an article at a time: what the merging needs of an article's body is taken
/// when it is added, so that a large corpus's bodies need not all be held at once.
#[derive(Default)]
pub struct Resolver {
    /// Every article's mentions (acronyms in parentheses added), article after article.
    mentions: MentionLog,
    words: Words,
    names: Vec<Name>,
    name_of: HashMap<(EntityType, Vec<u32>), usize>,
    /// Names joined as a name and its acronym in parentheses, in the order found.
    acronyms: Vec<(usize, usize)>,
}

impl Resolver {
    /// Adds the next article: its body and the mentions a tagger found in it.
    pub fn add(&mut self, body: &str, mentions: &[Mention]) {
        // 1. The article's mentions, with acronyms in parentheses added when the tagger missed them.
        let mut mentions: Vec<Mention> = mentions
            .iter()
            .filter(|m| m.span.get(body).is_some_and(|s| !name_key(s).is_empty()))
            .flat_map(|m| split_acronym(body, m))
            .collect();
        let mut added = Vec::new();
        for m in &mentions {
            if let Some(acronym) = parenthesised_acronym(body, m.span) {
                if !mentions.iter().any(|o| o.span == acronym) {
                    added.push(Mention { span: acronym, kind: m.kind, confidence: m.confidence });
                }
            }
        }
        mentions.extend(added);
        mentions.sort_by_key(|m| m.span);
        mentions.dedup_by_key(|m| m.span);

        // 2. Distinct names per type.
        let mut ids = Vec::with_capacity(mentions.len());
        for m in &mentions {
            let surface = m.span.get(body).unwrap_or_default().trim().to_string();
            let key = self.words.key(&surface);
            let names = &mut self.names;
            let id = *self.name_of.entry((m.kind, key.clone())).or_insert_with(|| {
                names.push(Name { kind: m.kind, key, surfaces: Vec::new() });
                names.len() - 1
            });
            let surfaces = &mut names[id].surfaces;
            match surfaces.iter_mut().find(|(s, _)| *s == surface) {
                Some((_, count)) => *count += 1,
                None => surfaces.push((surface, 1)),
            }
            ids.push(id);
        }

        // 3a. A name and its acronym in parentheses are one.
        for (i, m) in mentions.iter().enumerate() {
            if let Some(acronym) = parenthesised_acronym(body, m.span) {
                if let Some(j) = mentions.iter().position(|o| o.span == acronym && o.kind == m.kind) {
                    self.acronyms.push((ids[i], ids[j]));
                }
            }
        }
        self.mentions.push_doc(mentions.iter().zip(ids).map(|(m, id)| (m.span, m.confidence, id as u32)));
    }

    /// The entities of the articles added, and each article's mentions of them.
    pub fn finish(self) -> Entities {
        let (list, table) = self.finish_table();
        let mentions = table.of(0..table.docs());
        Entities { list, mentions }
    }

    /// [`Resolver::finish_table`] with a curator's `corrections` applied (see
    /// [`crate::Corrections`]); `ids` gives each article's id by its place. Returns what the
    /// corrections could not do as well.
    pub(crate) fn finish_corrected(
        self,
        ids: &dyn Fn(usize) -> Option<String>,
        corrections: &super::Corrections,
    ) -> (Vec<Entity>, MentionTable, Vec<super::CorrectionNote>) {
        let (list, table) = self.finish_table();
        if corrections.is_empty() {
            return (list, table, Vec::new());
        }
        let mentions = table.of(0..table.docs());
        let (Entities { list, mentions }, notes) =
            super::corrections::apply(Entities { list, mentions }, ids, corrections);
        let mut log = MentionLog::default();
        for ms in &mentions {
            log.push_doc(ms.iter().map(|m| (m.span, m.confidence, m.entity.0)));
        }
        (list, MentionTable(log), notes)
    }

    /// [`Resolver::finish`] with the mentions kept in columns, as the articles' mentions are
    /// asked for a range at a time.
    pub(crate) fn finish_table(self) -> (Vec<Entity>, MentionTable) {
        let Resolver { mut mentions, words, names, name_of, acronyms } = self;
        let docs: Vec<&[u32]> = (0..mentions.docs()).map(|d| mentions.ids_of(d)).collect();
        // 3. Merge: acronyms, then parts within an article, then parts across the corpus.
        let mut groups = Groups::new(&names);
        for (a, b) in acronyms {
            groups.union(a, b, true);
        }
        for ids in &docs {
            let mut distinct: Vec<usize> = ids.iter().map(|&n| n as usize).collect();
            distinct.sort_unstable();
            distinct.dedup();
            // Longer names first, so a part joins the longest name that contains it.
            distinct.sort_by_key(|&n| std::cmp::Reverse(names[n].key.len()));
            for (i, &short) in distinct.iter().enumerate() {
                let containers: Vec<usize> = distinct[..i]
                    .iter()
                    .copied()
                    .filter(|&long| {
                        names[long].kind == names[short].kind
                            && is_part_of(&names[short].key, &names[long].key)
                    })
                    .collect();
                let roots: Vec<usize> = {
                    let mut r: Vec<usize> = containers.iter().map(|&c| groups.find(c)).collect();
                    r.sort_unstable();
                    r.dedup();
                    r
                };
                if let [root] = roots[..] {
                    groups.union(root, short, false);
                }
            }
        }
        // Across the corpus: every run of consecutive words of a name, shorter than the name, points to
        // the names it is part of (names are a few words long, so this is linear in the number of names;
        // comparing every pair of names was quadratic).
        drop((name_of, words));
        let mut containing: HashMap<(EntityType, &[u32]), Vec<usize>> = HashMap::new();
        for (n, name) in names.iter().enumerate() {
            for len in 1..name.key.len() {
                for part in name.key.windows(len) {
                    let list = containing.entry((name.kind, part)).or_default();
                    if list.last() != Some(&n) {
                        list.push(n);
                    }
                }
            }
        }
        let mut by_length: Vec<usize> = (0..names.len()).collect();
        by_length.sort_by_key(|&n| std::cmp::Reverse(names[n].key.len()));
        for &short in &by_length {
            let root = groups.find(short);
            if groups.longest[root].iter().any(|l| l.len() > names[short].key.len()) {
                continue; // already part of a longer name
            }
            let containers = containing.get(&(names[short].kind, names[short].key.as_slice()));
            let mut roots: Vec<usize> =
                containers.into_iter().flatten().map(|&long| groups.find(long)).collect();
            roots.sort_unstable();
            roots.dedup();
            if let [only] = roots[..] {
                groups.union(only, short, false);
            }
        }

        // 4. One entity per group.
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for n in 0..names.len() {
            let root = groups.find(n);
            members.entry(root).or_default().push(n);
        }
        struct Draft {
            kind: EntityType,
            name: String,
            aliases: Vec<String>,
            articles: u32,
            mentions: u32,
        }
        let mut entity_of_name = vec![0usize; names.len()];
        let mut drafts: Vec<Draft> = Vec::new();
        for group in members.values() {
            let names = &names;
            let mut surfaces: Vec<(String, u32, usize)> = group
                .iter()
                .flat_map(|&n| {
                    names[n].surfaces.iter().map(move |(s, c)| (s.clone(), *c, names[n].key.len()))
                })
                .collect();
            // Most complete first (most words, then most frequent, then longer text, then alphabetical).
            surfaces.sort_by(|a, b| {
                b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(b.0.len().cmp(&a.0.len())).then(a.0.cmp(&b.0))
            });
            let name = surfaces[0].0.clone();
            let mut aliases: Vec<(String, u32)> =
                surfaces[1..].iter().map(|(s, c, _)| (s.clone(), *c)).collect();
            aliases.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for &n in group {
                entity_of_name[n] = drafts.len();
            }
            drafts.push(Draft {
                kind: names[group[0]].kind,
                name,
                aliases: aliases.into_iter().map(|(s, _)| s).collect(),
                articles: 0,
                mentions: 0,
            });
        }
        for ids in &docs {
            let mut seen: Vec<usize> = ids.iter().map(|&n| entity_of_name[n as usize]).collect();
            for &e in &seen {
                drafts[e].mentions += 1;
            }
            seen.sort_unstable();
            seen.dedup();
            for e in seen {
                drafts[e].articles += 1;
            }
        }
        // Stable order: by type, then most articles, then name.
        let mut order: Vec<usize> = (0..drafts.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&drafts[a], &drafts[b]);
            x.kind
                .cmp(&y.kind)
                .then(y.articles.cmp(&x.articles))
                .then(y.mentions.cmp(&x.mentions))
                .then(x.name.cmp(&y.name))
        });
        let mut new_id = vec![0u32; drafts.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = new as u32;
        }
        let list = order
            .iter()
            .map(|&i| {
                let d = &drafts[i];
                Entity {
                    kind: d.kind,
                    name: d.name.clone(),
                    aliases: d.aliases.clone(),
                    articles: d.articles,
                    mentions: d.mentions,
                }
            })
            .collect();
        drop(docs);
        for n in &mut mentions.ids {
            *n = new_id[entity_of_name[*n as usize]];
        }
        (list, MentionTable(mentions))
    }
}

/// Mentions article after article, in columns of a few bytes each (a corpus of a million articles
/// has tens of millions): each one's name (or entity) number, how sure the tagger was (as a pack
/// keeps it, in a byte), and where it is (varints: from the previous mention's start, and its
/// length).
#[derive(Default)]
struct MentionLog {
    ids: Vec<u32>,
    confidence: Vec<u8>,
    spans: Vec<u8>,
    /// Where each article's mentions end, and its spans.
    ends: Vec<(u32, u32)>,
}

impl MentionLog {
    /// Adds an article's mentions (in text order): span, confidence, number.
    fn push_doc(&mut self, mentions: impl Iterator<Item = (Span, f32, u32)>) {
        let mut last = 0;
        for (span, confidence, id) in mentions {
            // A body is far shorter than 4 GiB (a mention beyond that is left out).
            let (Ok(start), Ok(len)) = (u32::try_from(span.start), u32::try_from(span.len())) else {
                continue;
            };
            crate::index::push_varint(start.saturating_sub(last), &mut self.spans);
            crate::index::push_varint(len, &mut self.spans);
            last = start;
            self.confidence.push(confidence_byte(confidence));
            self.ids.push(id);
        }
        self.ends.push((self.ids.len() as u32, self.spans.len() as u32));
    }

    fn docs(&self) -> usize {
        self.ends.len()
    }

    /// Where article `d`'s mentions and spans start and end.
    fn bounds(&self, d: usize) -> ((usize, usize), (usize, usize)) {
        let (from, spans_from) = if d == 0 { (0, 0) } else { self.ends[d - 1] };
        let (to, spans_to) = self.ends[d];
        ((from as usize, to as usize), (spans_from as usize, spans_to as usize))
    }

    fn ids_of(&self, d: usize) -> &[u32] {
        let ((from, to), _) = self.bounds(d);
        &self.ids[from..to]
    }
}

/// The mentions of a corpus's articles, with their entities' numbers, in columns.
pub(crate) struct MentionTable(MentionLog);

impl MentionTable {
    /// Number of articles.
    pub(crate) fn docs(&self) -> usize {
        self.0.docs()
    }

    /// The mentions of articles `docs`, each article's in text order.
    pub(crate) fn of(&self, docs: std::ops::Range<usize>) -> Vec<Vec<EntityMention>> {
        let c = &self.0;
        docs.map(|d| {
            let ((from, to), (mut at, _)) = c.bounds(d);
            let mut start = 0;
            (from..to)
                .map(|m| {
                    start += crate::index::read_varint(&c.spans, &mut at);
                    let len = crate::index::read_varint(&c.spans, &mut at);
                    EntityMention {
                        span: Span::new(start as usize, (start + len) as usize),
                        entity: EntityId(c.ids[m]),
                        confidence: confidence_from_byte(c.confidence[m]),
                    }
                })
                .collect()
        })
        .collect()
    }
}

/// A mention the tagger took together with its acronym (`Organisasi … Utara (NATO)`) becomes two: the
/// name, and the acronym in its parentheses.
fn split_acronym(body: &str, m: &Mention) -> Vec<Mention> {
    let text = m.span.get(body).unwrap_or_default();
    let split = text.strip_suffix(')').and_then(|inner| {
        let open = inner.rfind('(')?;
        let name = inner[..open].trim_end();
        let acronym = inner[open + 1..].trim();
        (!name.is_empty() && is_acronym(acronym)).then(|| {
            let name_span = Span::new(m.span.start, m.span.start + name.len());
            let start =
                m.span.start + open + 1 + (inner[open + 1..].len() - inner[open + 1..].trim_start().len());
            (name_span, Span::new(start, start + acronym.len()))
        })
    });
    match split {
        Some((name, acronym)) => vec![
            Mention { span: name, kind: m.kind, confidence: m.confidence },
            Mention { span: acronym, kind: m.kind, confidence: m.confidence },
        ],
        None => vec![m.clone()],
    }
}

/// The span of an acronym written in parentheses right after `span` (`… Kolektif (CSTO)`).
fn parenthesised_acronym(body: &str, span: Span) -> Option<Span> {
    let rest = body.get(span.end..)?;
    let open = rest.len() - rest.trim_start().len();
    let after = rest[open..].strip_prefix('(')?;
    let close = after.find(')')?;
    let inner = &after[..close];
    let trimmed = inner.trim();
    if !is_acronym(trimmed) {
        return None;
    }
    let start = span.end + open + 1 + (inner.len() - inner.trim_start().len());
    Some(Span::new(start, start + trimmed.len()))
}

/// Entities of `list` whose name or an alias is `name` (see [`Entities::find`]).
pub(crate) fn find_entities<'a>(
    list: impl IntoIterator<Item = (EntityId, &'a Entity)>,
    kind: Option<EntityType>,
    name: &str,
) -> Vec<EntityId> {
    let key = name_key(name);
    if key.is_empty() {
        return Vec::new();
    }
    list.into_iter()
        .filter(|(_, e)| kind.is_none_or(|k| k == e.kind))
        .filter(|(_, e)| std::iter::once(&e.name).chain(&e.aliases).any(|n| name_key(n) == key))
        .map(|(id, _)| id)
        .collect()
}

impl Entities {
    /// Entities whose name or an alias is `name` (case, diacritics and hyphens ignored), of `kind`.
    pub fn find(&self, kind: Option<EntityType>, name: &str) -> Vec<EntityId> {
        find_entities(self.list.iter().enumerate().map(|(i, e)| (EntityId(i as u32), e)), kind, name)
    }

    /// How often article `doc` mentions entity `entity`.
    pub fn mentions_in(&self, doc: DocId, entity: EntityId) -> usize {
        self.mentions.get(doc.index()).map_or(0, |ms| ms.iter().filter(|m| m.entity == entity).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_reasons_follow_the_rules() {
        let entity = Entity {
            kind: EntityType::Per,
            name: "Kassym Jomart-Tokayev".into(),
            aliases: vec!["kassym jomart tokayev".into(), "Jomart-Tokayev".into(), "Tokayev".into()],
            articles: 2,
            mentions: 5,
        };
        let reason = |surface: &str, others: &[&str]| entity.merge_reason(surface, others);
        assert_eq!(reason("Kassym Jomart-Tokayev", &[]), MergeReason::Canonical);
        assert_eq!(reason("kassym jomart tokayev", &[]), MergeReason::Variant);
        let part = |in_article| MergeReason::PartOf { longer: "Kassym Jomart-Tokayev".into(), in_article };
        assert_eq!(reason("Tokayev", &["Jomart-Tokayev"]), part(true));
        assert_eq!(reason("Tokayev", &[]), part(false));
        let org = Entity {
            kind: EntityType::Org,
            name: "Organisasi Perjanjian Keamanan Kolektif".into(),
            aliases: vec!["CSTO".into()],
            articles: 1,
            mentions: 2,
        };
        assert_eq!(org.merge_reason("CSTO", &[]), MergeReason::Acronym);
        assert_eq!(org.merge_reason("O.P.K.K.", &[]), MergeReason::Acronym);
    }

    /// Mentions for every occurrence of each `(text, kind)` in `body`.
    fn tag(body: &str, names: &[(&str, EntityType)]) -> Vec<Mention> {
        let mut out = Vec::new();
        for (name, kind) in names {
            for (at, _) in body.match_indices(name) {
                let span = Span::new(at, at + name.len());
                // Whole words only, and the longest name wins where two overlap.
                let before = body[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                let after = body[span.end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                let inside_longer =
                    out.iter().any(|m: &Mention| m.span.start <= at && span.end <= m.span.end);
                if before && after && !inside_longer {
                    out.push(Mention { span, kind: *kind, confidence: 0.9 });
                }
            }
        }
        out
    }

    fn names(entities: &Entities) -> Vec<(String, Vec<String>, u32, u32)> {
        entities.list.iter().map(|e| (e.name.clone(), e.aliases.clone(), e.articles, e.mentions)).collect()
    }

    use EntityType::{Loc, Org, Per};

    #[test]
    fn short_names_join_the_full_name_in_and_across_articles() {
        let a = "Presiden Vladimir Putin berbicara. Putin juga menekankan hal itu.";
        let b = "Putin tidak hadir.";
        let docs = [(a, tag(a, &[("Vladimir Putin", Per), ("Putin", Per)])), (b, tag(b, &[("Putin", Per)]))];
        let e = resolve_entities(&docs);
        assert_eq!(names(&e), [("Vladimir Putin".to_string(), vec!["Putin".to_string()], 2, 3)]);
        assert!(e.mentions.iter().flatten().all(|m| m.entity == EntityId(0)));
    }

    #[test]
    fn acronym_in_parentheses_joins_its_name() {
        let a = "aliansi Organisasi Perjanjian Keamanan Kolektif (CSTO). Pasukan CSTO tiba.";
        let docs = [(a, tag(a, &[("Organisasi Perjanjian Keamanan Kolektif", Org)]))];
        let e = resolve_entities(&docs);
        // The tagger missed `(CSTO)`; the acronym is added; the later bare CSTO was not tagged at all.
        assert_eq!(
            names(&e),
            [("Organisasi Perjanjian Keamanan Kolektif".to_string(), vec!["CSTO".to_string()], 1, 2)]
        );
        let b = "Pasukan CSTO akan tetap berada di sana.";
        let docs = [
            (a, tag(a, &[("Organisasi Perjanjian Keamanan Kolektif", Org), ("CSTO", Org)])),
            (b, tag(b, &[("CSTO", Org)])),
        ];
        let e = resolve_entities(&docs);
        assert_eq!(e.list.len(), 1);
        assert_eq!((e.list[0].articles, e.list[0].mentions), (2, 4));
    }

    #[test]
    fn a_name_tagged_with_its_acronym_is_split() {
        let a = "bersama Organisasi Perjanjian Atlantik Utara (NATO) di Brussel.";
        let start = a.find("Organisasi").unwrap();
        let end = a.find(')').unwrap() + 1;
        let docs = [(a, vec![Mention { span: Span::new(start, end), kind: Org, confidence: 0.7 }])];
        let e = resolve_entities(&docs);
        assert_eq!(
            names(&e),
            [("Organisasi Perjanjian Atlantik Utara".to_string(), vec!["NATO".to_string()], 1, 2)]
        );
        let spans: Vec<&str> = e.mentions[0].iter().map(|m| &a[m.span.start..m.span.end]).collect();
        assert_eq!(spans, ["Organisasi Perjanjian Atlantik Utara", "NATO"]);
    }

    #[test]
    fn variants_of_case_and_hyphen_are_one_name() {
        let a = "Kassym Jomart-Tokayev dan Kassym Jomart Tokayev, juga KASSYM JOMART-TOKAYEV.";
        let docs = [(
            a,
            tag(
                a,
                &[
                    ("Kassym Jomart-Tokayev", Per),
                    ("Kassym Jomart Tokayev", Per),
                    ("KASSYM JOMART-TOKAYEV", Per),
                ],
            ),
        )];
        let e = resolve_entities(&docs);
        assert_eq!(e.list.len(), 1);
        assert_eq!(e.list[0].mentions, 3);
    }

    #[test]
    fn different_full_names_never_merge() {
        let a = "Joe Biden bertemu Hunter Biden. Biden tersenyum.";
        let b = "Biden berbicara.";
        let docs = [
            (a, tag(a, &[("Joe Biden", Per), ("Hunter Biden", Per), ("Biden", Per)])),
            (b, tag(b, &[("Biden", Per)])),
        ];
        let e = resolve_entities(&docs);
        let mut got: Vec<String> = e.list.iter().map(|e| e.name.clone()).collect();
        got.sort();
        assert_eq!(got, ["Biden", "Hunter Biden", "Joe Biden"]);
    }

    #[test]
    fn types_never_merge() {
        let a = "Georgia Smith tiba di Georgia.";
        let docs = [(a, tag(a, &[("Georgia Smith", Per), ("Georgia", Loc)]))];
        let e = resolve_entities(&docs);
        assert_eq!(e.list.len(), 2);
    }

    #[test]
    fn find_by_name_or_alias() {
        let a = "Presiden Vladimir Putin berbicara. Putin diam. Kremlin menolak.";
        let docs = [(a, tag(a, &[("Vladimir Putin", Per), ("Putin", Per), ("Kremlin", Org)]))];
        let e = resolve_entities(&docs);
        let putin = e.find(Some(Per), "vladimir putin");
        assert_eq!(putin.len(), 1);
        assert_eq!(e.find(Some(Per), "PUTIN"), putin);
        assert!(e.find(Some(Loc), "putin").is_empty());
        assert_eq!(e.mentions_in(DocId(0), putin[0]), 2);
    }
}
