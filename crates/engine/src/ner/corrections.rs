//! A curator's corrections to the entities: rename an entity, merge two, split a mention off into an
//! entity of its own, change a mention's type, mark a mention as not an entity.
//!
//! Corrections are a log, applied in order after the mentions are merged into entities, each to what
//! the ones before it left: `sorot pack --corrections FILE` applies a file of them when it packs, and
//! the browser applies the same file (its format is [`Corrections::from_json`]'s). An entity is named
//! by its type and one of its names (its name or an alias, compared as the merging compares names:
//! case, diacritics and hyphens aside), so that a correction still finds its entity when articles
//! are added and the name it was known by becomes an alias. A mention is named by its article's id,
//! its place in the body (UTF-8 bytes) and its text. What a correction cannot find (an entity no
//! longer there, an article or a mention that is not) is left out and said in a [`Note`]; the rest
//! still apply.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::entities::{name_key, Entities, Entity, EntityMention};
use super::mention::EntityType;
use crate::{EntityId, Span};

/// An entity as a correction names it: its type and one of its names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    /// Person, organisation or place.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Its name or one of its aliases.
    pub name: String,
}

/// A mention as a correction names it: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRef {
    /// The article's id.
    pub article: String,
    /// Where the mention starts in the article's body (UTF-8 bytes).
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
    /// Its text, as the body has it there.
    pub text: String,
}

/// One correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Correction {
    /// The entity is called `to` from now on (its old name stays as an alias). If another entity of
    /// its type is already called that, the two become one.
    Rename {
        /// The entity.
        entity: EntityRef,
        /// Its new name.
        to: String,
    },
    /// `entity`'s mentions and names become `into`'s.
    Merge {
        /// The entity that goes.
        entity: EntityRef,
        /// The entity that stays.
        into: EntityRef,
    },
    /// The mention becomes an entity of its own, of the same type, called `name` (or what the
    /// mention says), or joins the entity of that type already called so.
    Split {
        /// The mention.
        mention: MentionRef,
        /// The name of the entity it goes to; `None`: its text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The mention is of another type: it joins the entity of that type with its name, or becomes
    /// one.
    Retype {
        /// The mention.
        mention: MentionRef,
        /// Its type.
        to: EntityType,
    },
    /// The mention is not an entity at all.
    NotEntity {
        /// The mention.
        mention: MentionRef,
    },
}

/// A file of corrections: `{"sorot_corrections": 1, "corrections": [ … ]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corrections {
    /// The format's version: 1.
    pub sorot_corrections: u32,
    /// The corrections, in the order they apply.
    pub corrections: Vec<Correction>,
}

/// The version of the format this code reads and writes.
pub const CORRECTIONS_VERSION: u32 = 1;

/// What a correction could not do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The correction's place in the file (0-based).
    pub correction: usize,
    /// What was wrong.
    pub problem: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "correction {}: {}", self.correction + 1, self.problem)
    }
}

impl Corrections {
    /// No corrections.
    pub fn new() -> Corrections {
        Corrections { sorot_corrections: CORRECTIONS_VERSION, corrections: Vec::new() }
    }

    /// Reads a corrections file. The error says where (line and column) and what is wrong.
    pub fn from_json(text: &str) -> Result<Corrections, String> {
        // The file's frame first (its syntax errors have a line and column), then each correction
        // (whose errors name it).
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Frame {
            sorot_corrections: u32,
            corrections: Vec<serde_json::Value>,
        }
        let frame: Frame = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if frame.sorot_corrections != CORRECTIONS_VERSION {
            return Err(format!(
                "a corrections file of version {} (this Sorot reads version {CORRECTIONS_VERSION})",
                frame.sorot_corrections
            ));
        }
        let mut corrections = Vec::with_capacity(frame.corrections.len());
        for (i, value) in frame.corrections.into_iter().enumerate() {
            let c: Correction =
                serde_json::from_value(value).map_err(|e| format!("correction {}: {e}", i + 1))?;
            if let Some(problem) = c.malformed() {
                return Err(format!("correction {}: {problem}", i + 1));
            }
            corrections.push(c);
        }
        Ok(Corrections { sorot_corrections: frame.sorot_corrections, corrections })
    }

    /// The file, as [`Corrections::from_json`] reads it (one correction a line).
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"sorot_corrections\": {}, \"corrections\": [", self.sorot_corrections);
        for (i, c) in self.corrections.iter().enumerate() {
            out.push_str(if i == 0 { "\n  " } else { ",\n  " });
            out.push_str(&serde_json::to_string(c).unwrap_or_default());
        }
        out.push_str(if self.corrections.is_empty() { "]}\n" } else { "\n]}\n" });
        out
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.corrections.is_empty()
    }
}

impl Correction {
    /// What makes it meaningless whatever the corpus: an empty name, a mention that ends before
    /// it starts.
    fn malformed(&self) -> Option<String> {
        let empty = |name: &str| name_key(name).is_empty();
        let mention = |m: &MentionRef| {
            (m.end <= m.start || m.end - m.start != m.text.len())
                .then(|| format!("the mention {}–{} cannot say “{}”", m.start, m.end, m.text))
        };
        match self {
            Correction::Rename { entity, to } => {
                (empty(&entity.name) || empty(to)).then(|| "a rename needs both names".into())
            }
            Correction::Merge { entity, into } => {
                (empty(&entity.name) || empty(&into.name)).then(|| "a merge needs both names".into())
            }
            Correction::Split { mention: m, name } => mention(m)
                .or_else(|| name.as_deref().is_some_and(empty).then(|| "the new entity needs a name".into())),
            Correction::Retype { mention: m, .. } | Correction::NotEntity { mention: m } => mention(m),
        }
    }
}

/// Where the corrections are applied: the entities as the merging made them, and the articles'
/// ids (in corpus order) to find mentions by.
pub(crate) fn apply(
    entities: Entities,
    ids: &dyn Fn(usize) -> Option<String>,
    corrections: &Corrections,
) -> (Entities, Vec<Note>) {
    if corrections.is_empty() {
        return (entities, Vec::new());
    }
    let Entities { list, mut mentions } = entities;
    let docs: HashMap<String, usize> = (0..mentions.len()).filter_map(|d| ids(d).map(|id| (id, d))).collect();
    let forward = (0..list.len() as u32).collect();
    let mut work = Work { entities: list.into_iter().map(|e| Some(Draft::from(e))).collect(), forward };
    // Each mention a correction moved or dropped: (article, span) → its entity, or none.
    let mut moved: HashMap<(usize, Span), Option<u32>> = HashMap::new();
    let mut notes = Vec::new();
    for (i, correction) in corrections.corrections.iter().enumerate() {
        let note = |problem: String| Note { correction: i, problem };
        let result = match correction {
            Correction::Rename { entity, to } => work.find(entity).map(|id| work.rename(id, to)),
            Correction::Merge { entity, into } => match (work.find(entity), work.find(into)) {
                (Ok(a), Ok(b)) => {
                    work.merge(a, b);
                    Ok(())
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            },
            Correction::Split { mention, .. } | Correction::Retype { mention, .. } => {
                let retype = match correction {
                    Correction::Retype { to, .. } => Some(*to),
                    _ => None,
                };
                find_mention(&docs, &mentions, &moved, &work, mention).and_then(|(doc, span, now)| {
                    let Some(now) = now else {
                        return Err(format!("{} is no longer an entity", describe(mention)));
                    };
                    let kind = retype.unwrap_or_else(|| work.kind(now));
                    let name = match correction {
                        Correction::Split { name: Some(name), .. } => name.as_str(),
                        _ => mention.text.as_str(),
                    };
                    let target = work.named(kind, name).filter(|&t| retype.is_some() || t != work.root(now));
                    let target = target.unwrap_or_else(|| work.create(kind, name));
                    moved.insert((doc, span), Some(target));
                    Ok(())
                })
            }
            Correction::NotEntity { mention } => {
                find_mention(&docs, &mentions, &moved, &work, mention).map(|(doc, span, _)| {
                    moved.insert((doc, span), None);
                })
            }
        };
        if let Err(problem) = result {
            notes.push(note(problem));
        }
    }
    // Every mention to its entity as the corrections left it; then the entities that have mentions,
    // counted and in the list's order (type, articles, mentions, name).
    let mut counts: Vec<(u32, u32)> = vec![(0, 0); work.entities.len()];
    for (doc, ms) in mentions.iter_mut().enumerate() {
        ms.retain_mut(|m| {
            let to = moved.get(&(doc, m.span)).copied().unwrap_or(Some(m.entity.0));
            match to {
                Some(id) => {
                    m.entity = EntityId(work.root(id));
                    true
                }
                None => false,
            }
        });
        let mut seen: Vec<u32> = ms.iter().map(|m| m.entity.0).collect();
        for &e in &seen {
            counts[e as usize].1 += 1;
        }
        seen.sort_unstable();
        seen.dedup();
        for e in seen {
            counts[e as usize].0 += 1;
        }
    }
    let mut kept: Vec<(u32, Entity)> = work
        .entities
        .into_iter()
        .enumerate()
        .filter_map(|(id, e)| {
            let (articles, count) = counts[id];
            let e = e?;
            (count > 0).then(|| (id as u32, e.finish(articles, count)))
        })
        .collect();
    kept.sort_by(|a, b| {
        let (a, b) = (&a.1, &b.1);
        a.kind
            .cmp(&b.kind)
            .then(b.articles.cmp(&a.articles))
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
    });
    let mut place = vec![u32::MAX; counts.len()];
    for (new, (old, _)) in kept.iter().enumerate() {
        place[*old as usize] = new as u32;
    }
    for ms in &mut mentions {
        for m in ms.iter_mut() {
            m.entity = EntityId(place[m.entity.0 as usize]);
        }
    }
    let list = kept.into_iter().map(|(_, e)| e).collect();
    (Entities { list, mentions }, notes)
}

/// A mention for the notes: `“Putin” at 10–15 of article a1`.
fn describe(m: &MentionRef) -> String {
    format!("“{}” at {}–{} of article {}", m.text, m.start, m.end, m.article)
}

/// The mention `m` names: its article, its span, and its entity now (`None`: no longer one).
fn find_mention(
    docs: &HashMap<String, usize>,
    mentions: &[Vec<EntityMention>],
    moved: &HashMap<(usize, Span), Option<u32>>,
    work: &Work,
    m: &MentionRef,
) -> Result<(usize, Span, Option<u32>), String> {
    let doc = *docs.get(&m.article).ok_or_else(|| format!("no article {}", m.article))?;
    let span = Span::new(m.start, m.end);
    let found = mentions[doc].iter().find(|x| x.span == span);
    let Some(found) = found else {
        return Err(format!("{} is not a mention the tagger found", describe(m)));
    };
    let now = moved.get(&(doc, span)).copied().unwrap_or(Some(found.entity.0));
    Ok((doc, span, now.map(|id| work.root(id))))
}

/// An entity while corrections change it.
struct Draft {
    kind: EntityType,
    name: String,
    /// Its other names, the merging's first (most frequent first), then what corrections added.
    aliases: Vec<String>,
}

impl From<Entity> for Draft {
    fn from(e: Entity) -> Draft {
        Draft { kind: e.kind, name: e.name, aliases: e.aliases }
    }
}

impl Draft {
    fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name).chain(&self.aliases)
    }

    fn add_alias(&mut self, name: String) {
        if name != self.name && !self.aliases.contains(&name) {
            self.aliases.push(name);
        }
    }

    fn finish(self, articles: u32, mentions: u32) -> Entity {
        Entity { kind: self.kind, name: self.name, aliases: self.aliases, articles, mentions }
    }
}

/// The entities as the corrections so far left them. An entity merged into another stays in place
/// (`None`) and forwards to it, so that a mention's entity number still leads to where it went.
struct Work {
    entities: Vec<Option<Draft>>,
    forward: Vec<u32>,
}

impl Work {
    /// Where entity `id` went (itself if it is still there).
    fn root(&self, mut id: u32) -> u32 {
        while self.forward[id as usize] != id {
            id = self.forward[id as usize];
        }
        id
    }

    fn kind(&self, id: u32) -> EntityType {
        self.entities[self.root(id) as usize].as_ref().map_or(EntityType::Per, |e| e.kind)
    }

    /// The entity `r` names: one of its type called so; failing that, the only one with it as an
    /// alias.
    fn find(&self, r: &EntityRef) -> Result<u32, String> {
        let key = name_key(&r.name);
        let live = || {
            self.entities
                .iter()
                .enumerate()
                .filter_map(|(id, e)| Some((id as u32, e.as_ref()?)))
                .filter(|(_, e)| e.kind == r.kind)
        };
        if let Some((id, _)) = live().find(|(_, e)| name_key(&e.name) == key) {
            return Ok(id);
        }
        let with_alias: Vec<u32> =
            live().filter(|(_, e)| e.names().any(|n| name_key(n) == key)).map(|(id, _)| id).collect();
        match with_alias.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("no {} named “{}”", kind_word(r.kind), r.name)),
            _ => Err(format!(
                "{} entities of type {} are called “{}”",
                with_alias.len(),
                r.kind.code(),
                r.name
            )),
        }
    }

    /// The entity of `kind` called `name` (its name, else an alias), if any.
    fn named(&self, kind: EntityType, name: &str) -> Option<u32> {
        self.find(&EntityRef { kind, name: name.to_string() }).ok()
    }

    fn create(&mut self, kind: EntityType, name: &str) -> u32 {
        let id = self.entities.len() as u32;
        self.entities.push(Some(Draft { kind, name: name.trim().to_string(), aliases: Vec::new() }));
        self.forward.push(id);
        id
    }

    fn rename(&mut self, id: u32, to: &str) {
        let to = to.trim();
        let kind = self.kind(id);
        let same = self.entities.iter().enumerate().find_map(|(other, e)| {
            let e = e.as_ref()?;
            (other as u32 != id && e.kind == kind && name_key(&e.name) == name_key(to))
                .then_some(other as u32)
        });
        if let Some(e) = self.entities[id as usize].as_mut() {
            let old = std::mem::replace(&mut e.name, to.to_string());
            e.aliases.retain(|a| a != to);
            e.add_alias(old);
        }
        if let Some(other) = same {
            self.merge(other, id);
        }
    }

    /// `from`'s names become `into`'s, and `from` forwards to it.
    fn merge(&mut self, from: u32, into: u32) {
        let (from, into) = (self.root(from), self.root(into));
        if from == into {
            return;
        }
        if let Some(gone) = self.entities[from as usize].take() {
            if let Some(e) = self.entities[into as usize].as_mut() {
                for name in gone.names() {
                    e.add_alias(name.clone());
                }
            }
        }
        self.forward[from as usize] = into;
    }
}

fn kind_word(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Per => "person",
        EntityType::Org => "organisation",
        EntityType::Loc => "place",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::{resolve_entities, Mention};
    use EntityType::{Loc, Org, Per};

    /// Articles `a1`, `a2`, … with every occurrence of each `(text, kind)` tagged (whole words).
    fn corpus(bodies: &[&'static str], names: &[(&str, EntityType)]) -> Entities {
        let docs: Vec<(&str, Vec<Mention>)> = bodies
            .iter()
            .map(|&body| {
                let mut found: Vec<Mention> = Vec::new();
                for &(name, kind) in names {
                    for (at, _) in body.match_indices(name) {
                        let span = Span::new(at, at + name.len());
                        let whole = body[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
                            && body[span.end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                        let inside = found.iter().any(|m| m.span.start <= at && span.end <= m.span.end);
                        if whole && !inside {
                            found.push(Mention { span, kind, confidence: 0.9 });
                        }
                    }
                }
                (body, found)
            })
            .collect();
        resolve_entities(&docs)
    }

    fn id(d: usize) -> Option<String> {
        Some(format!("a{}", d + 1))
    }

    fn correct(entities: Entities, corrections: Vec<Correction>) -> (Entities, Vec<Note>) {
        let (out, notes) = apply(entities, &id, &Corrections { sorot_corrections: 1, corrections });
        check(&out);
        (out, notes)
    }

    /// What the merging guarantees, kept by the corrections: every mention names an entity of the
    /// list, the counts are the mentions', and the list is in its order.
    fn check(e: &Entities) {
        let mut counts = vec![(0u32, 0u32); e.list.len()];
        for ms in &e.mentions {
            let mut seen = Vec::new();
            for m in ms {
                let at = m.entity.0 as usize;
                assert!(at < e.list.len(), "{m:?}");
                counts[at].1 += 1;
                if !seen.contains(&at) {
                    seen.push(at);
                    counts[at].0 += 1;
                }
            }
        }
        for (entity, (articles, mentions)) in e.list.iter().zip(counts) {
            assert_eq!((entity.articles, entity.mentions), (articles, mentions), "{entity:?}");
        }
        for pair in e.list.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let order =
                a.kind.cmp(&b.kind).then(b.articles.cmp(&a.articles)).then(b.mentions.cmp(&a.mentions));
            assert!(order.then(a.name.cmp(&b.name)).is_lt(), "{a:?} before {b:?}");
        }
    }

    fn entity(kind: EntityType, name: &str) -> EntityRef {
        EntityRef { kind, name: name.into() }
    }

    /// The mention of `text` in article `doc` (1-based), its `nth` occurrence.
    fn mention(bodies: &[&str], doc: usize, text: &str, nth: usize) -> MentionRef {
        let (start, _) = bodies[doc - 1].match_indices(text).nth(nth).expect("in the body");
        MentionRef { article: format!("a{doc}"), start, end: start + text.len(), text: text.into() }
    }

    /// Each entity as `name (TYPE): articles/mentions`.
    fn listed(e: &Entities) -> Vec<String> {
        e.list
            .iter()
            .map(|x| format!("{} ({}): {}/{}", x.name, x.kind.code(), x.articles, x.mentions))
            .collect()
    }

    /// The entity each mention of article `doc` (1-based) is, by name.
    fn of_article(e: &Entities, doc: usize) -> Vec<&str> {
        e.mentions[doc - 1].iter().map(|m| e.list[m.entity.0 as usize].name.as_str()).collect()
    }

    const BODIES: [&str; 3] = [
        "Presiden Vladimir Putin bertemu Jokowi di Kazakhstan. Putin tersenyum.",
        "Joko Widodo tiba di Kazakhstan bersama CSTO.",
        "Jokowi dan Kazakhstan, kata Putin.",
    ];
    const NAMES: [(&str, EntityType); 6] = [
        ("Vladimir Putin", Per),
        ("Putin", Per),
        ("Jokowi", Per),
        ("Joko Widodo", Per),
        ("Kazakhstan", Loc),
        ("CSTO", Org),
    ];

    #[test]
    fn rename_and_merge_entities() {
        let before = corpus(&BODIES, &NAMES);
        assert_eq!(
            listed(&before),
            [
                "Vladimir Putin (PER): 2/3",
                "Jokowi (PER): 2/2",
                "Joko Widodo (PER): 1/1",
                "CSTO (ORG): 1/1",
                "Kazakhstan (LOC): 3/3"
            ]
        );
        // Jokowi is Joko Widodo; the Kremlin's man goes by his surname.
        let (after, notes) = correct(
            before,
            vec![
                Correction::Merge { entity: entity(Per, "jokowi"), into: entity(Per, "Joko Widodo") },
                Correction::Rename { entity: entity(Per, "Putin"), to: "Putin".into() },
            ],
        );
        assert_eq!(notes, []);
        assert_eq!(
            listed(&after),
            ["Joko Widodo (PER): 3/3", "Putin (PER): 2/3", "CSTO (ORG): 1/1", "Kazakhstan (LOC): 3/3"]
        );
        let widodo = &after.list[0];
        assert_eq!(widodo.aliases, ["Jokowi"]);
        // The old name stays as an alias, and finds the entity still.
        assert_eq!(after.list[1].aliases, ["Vladimir Putin"]);
        assert_eq!(after.find(Some(Per), "Vladimir Putin"), [EntityId(1)]);
        assert_eq!(of_article(&after, 1), ["Putin", "Joko Widodo", "Kazakhstan", "Putin"]);

        // A rename to another entity's name makes them one.
        let (after, notes) = correct(
            corpus(&BODIES, &NAMES),
            vec![Correction::Rename { entity: entity(Per, "Jokowi"), to: "Joko Widodo".into() }],
        );
        assert_eq!(notes, []);
        assert_eq!(listed(&after)[..2], ["Joko Widodo (PER): 3/3", "Vladimir Putin (PER): 2/3"]);
    }

    #[test]
    fn split_retype_and_drop_mentions() {
        let before = corpus(&BODIES, &NAMES);
        let (after, notes) = correct(
            before,
            vec![
                // The second "Putin" of the first article is someone else; so is the third article's,
                // who joins him.
                Correction::Split {
                    mention: mention(&BODIES, 1, "Putin", 1),
                    name: Some("Putin Jr.".into()),
                },
                Correction::Split { mention: mention(&BODIES, 3, "Putin", 0), name: Some("putin jr".into()) },
                // CSTO, here, was a place; "Jokowi" in the first article not a name at all.
                Correction::Retype { mention: mention(&BODIES, 2, "CSTO", 0), to: Loc },
                Correction::NotEntity { mention: mention(&BODIES, 1, "Jokowi", 0) },
            ],
        );
        assert_eq!(notes, []);
        assert_eq!(
            listed(&after),
            [
                "Putin Jr. (PER): 2/2",
                "Joko Widodo (PER): 1/1",
                "Jokowi (PER): 1/1",
                "Vladimir Putin (PER): 1/1",
                "Kazakhstan (LOC): 3/3",
                "CSTO (LOC): 1/1",
            ]
        );
        assert_eq!(of_article(&after, 1), ["Vladimir Putin", "Kazakhstan", "Putin Jr."]);
        assert_eq!(of_article(&after, 3), ["Jokowi", "Kazakhstan", "Putin Jr."]);
        // No organisation is left: the entity without mentions is gone.
        assert!(after.list.iter().all(|e| e.kind != Org));

        // A split without a name: the mention's text; a retype into a type that has the name joins it.
        let (after, _) = correct(
            corpus(&BODIES, &NAMES),
            vec![
                Correction::Split { mention: mention(&BODIES, 3, "Putin", 0), name: None },
                Correction::Retype { mention: mention(&BODIES, 1, "Kazakhstan", 0), to: Org },
                Correction::Retype { mention: mention(&BODIES, 2, "CSTO", 0), to: Loc },
                Correction::Retype { mention: mention(&BODIES, 3, "Kazakhstan", 0), to: Org },
            ],
        );
        assert!(listed(&after).contains(&"Putin (PER): 1/1".to_string()), "{:?}", listed(&after));
        assert!(listed(&after).contains(&"Kazakhstan (ORG): 2/2".to_string()), "{:?}", listed(&after));
    }

    #[test]
    fn what_cannot_apply_is_noted_and_the_rest_applies() {
        let mut wrong_text = mention(&BODIES, 1, "Putin", 1);
        wrong_text.start += 1;
        wrong_text.end += 1;
        let (after, notes) = correct(
            corpus(&BODIES, &NAMES),
            vec![
                Correction::Rename { entity: entity(Per, "Nobody"), to: "Somebody".into() },
                Correction::Merge { entity: entity(Org, "Jokowi"), into: entity(Per, "Joko Widodo") },
                Correction::NotEntity {
                    mention: MentionRef { article: "a9".into(), ..mention(&BODIES, 1, "Putin", 1) },
                },
                Correction::NotEntity { mention: wrong_text },
                Correction::NotEntity { mention: mention(&BODIES, 2, "CSTO", 0) },
                Correction::Retype { mention: mention(&BODIES, 2, "CSTO", 0), to: Loc },
            ],
        );
        let said: Vec<String> = notes.iter().map(Note::to_string).collect();
        assert_eq!(
            said,
            [
                "correction 1: no person named “Nobody”",
                "correction 2: no organisation named “Jokowi”",
                "correction 3: no article a9",
                "correction 4: “Putin” at 55–60 of article a1 is not a mention the tagger found",
                "correction 6: “CSTO” at 39–43 of article a2 is no longer an entity",
            ]
        );
        assert!(after.list.iter().all(|e| e.name != "CSTO"));
    }

    #[test]
    fn corrections_follow_each_other() {
        // A name given by a rename is the one later corrections use; the old one still finds it.
        let (after, notes) = correct(
            corpus(&BODIES, &NAMES),
            vec![
                Correction::Rename { entity: entity(Per, "Jokowi"), to: "Presiden Jokowi".into() },
                Correction::Merge {
                    entity: entity(Per, "Joko Widodo"),
                    into: entity(Per, "Presiden Jokowi"),
                },
                Correction::Rename { entity: entity(Per, "Jokowi"), to: "Joko Widodo".into() },
                Correction::Split {
                    mention: mention(&BODIES, 2, "Joko Widodo", 0),
                    name: Some("Widodo".into()),
                },
                Correction::Merge { entity: entity(Per, "Widodo"), into: entity(Per, "Joko Widodo") },
            ],
        );
        assert_eq!(notes, []);
        assert_eq!(listed(&after)[0], "Joko Widodo (PER): 3/3");
        let mut aliases = after.list[0].aliases.clone();
        aliases.sort();
        assert_eq!(aliases, ["Jokowi", "Presiden Jokowi", "Widodo"]);
    }

    #[test]
    fn the_file_reads_back_and_says_what_is_wrong() {
        let file = Corrections {
            sorot_corrections: 1,
            corrections: vec![
                Correction::Rename { entity: entity(Per, "Jokowi"), to: "Joko Widodo".into() },
                Correction::Merge {
                    entity: entity(Org, "KPK"),
                    into: entity(Org, "Komisi Pemberantasan Korupsi"),
                },
                Correction::Split { mention: mention(&BODIES, 1, "Putin", 1), name: None },
                Correction::Retype { mention: mention(&BODIES, 2, "CSTO", 0), to: Loc },
                Correction::NotEntity { mention: mention(&BODIES, 3, "Jokowi", 0) },
            ],
        };
        let text = file.to_json();
        assert_eq!(text.lines().count(), 7, "{text}");
        assert!(
            text.contains(r#"{"op":"rename","entity":{"type":"PER","name":"Jokowi"},"to":"Joko Widodo"}"#),
            "{text}"
        );
        assert_eq!(Corrections::from_json(&text).unwrap(), file);
        assert_eq!(Corrections::from_json(&Corrections::new().to_json()).unwrap(), Corrections::new());

        let err = |text: &str| Corrections::from_json(text).unwrap_err();
        assert!(err(r#"{"sorot_corrections": 2, "corrections": []}"#).contains("version 2"));
        let unknown = err("{\"sorot_corrections\": 1, \"corrections\": [\n  {\"op\": \"delete\"}\n]}");
        assert!(unknown.starts_with("correction 1: unknown variant `delete`"), "{unknown}");
        let missing = err(
            r#"{"sorot_corrections": 1, "corrections": [{"op": "not_entity", "mention": {"article": "a", "start": 0, "end": 1, "text": "x"}}, {"op": "rename", "to": "X"}]}"#,
        );
        assert_eq!(missing, "correction 2: missing field `entity`");
        let syntax = err("{\"sorot_corrections\": 1, \"corrections\": [\n  {\"op\": \"rename\",}\n]}");
        assert!(syntax.contains("line 2 column"), "{syntax}");
        let kind = err(
            r#"{"sorot_corrections": 1, "corrections": [{"op": "rename", "entity": {"type": "PERSON", "name": "a"}, "to": "b"}]}"#,
        );
        assert!(kind.contains("PERSON"), "{kind}");
        let short = err(
            r#"{"sorot_corrections": 1, "corrections": [{"op": "not_entity", "mention": {"article": "a", "start": 5, "end": 7, "text": "Putin"}}]}"#,
        );
        assert_eq!(short, "correction 1: the mention 5–7 cannot say “Putin”");
        let unnamed = err(
            r#"{"sorot_corrections": 1, "corrections": [{"op": "rename", "entity": {"type": "PER", "name": "a"}, "to": " - "}]}"#,
        );
        assert_eq!(unnamed, "correction 1: a rename needs both names");
        assert!(err("not json").contains("line 1"));
    }
}
