//! The explorer's view in the URL hash, so a view can be shared, reloaded and stepped through with
//! back/forward: `#q=…&in=PER:Vladimir%20Putin|LOC:Kazakhstan&ex=…&a=<article>&h=<hit>&sort=date&e=…`.

use sorot_engine::EntityType;

/// An entity as the URL and the filters name it: by type and canonical name (ids change between packs).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    /// Person, organisation or place.
    pub kind: EntityType,
    /// The entity's canonical name.
    pub name: String,
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first (articles without a date last).
    Date,
}

/// Everything the URL records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    /// The search box.
    pub query: String,
    /// Entities every result must mention.
    pub include: Vec<EntityRef>,
    /// Entities no result may mention.
    pub exclude: Vec<EntityRef>,
    /// Result order.
    pub sort: Sort,
    /// The open article's id.
    pub open: Option<String>,
    /// The current hit in the open article (0-based).
    pub hit: usize,
    /// The entity shown in the entity panel.
    pub entity: Option<EntityRef>,
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space); invalid escapes and bytes are kept or replaced, never fatal.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn type_code(kind: EntityType) -> &'static str {
    kind.code()
}

fn parse_type(code: &str) -> Option<EntityType> {
    EntityType::ALL.into_iter().find(|k| k.code() == code)
}

fn encode_refs(refs: &[EntityRef]) -> String {
    refs.iter().map(|r| format!("{}:{}", type_code(r.kind), encode(&r.name))).collect::<Vec<_>>().join("|")
}

fn decode_refs(value: &str) -> Vec<EntityRef> {
    value
        .split('|')
        .filter_map(|part| {
            let (code, name) = part.split_once(':')?;
            let name = decode(name);
            (!name.is_empty()).then_some(EntityRef { kind: parse_type(code)?, name })
        })
        .collect()
}

impl UrlState {
    /// The hash for this state, with the leading `#`; `#` alone for the empty state.
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!("q={}", encode(&self.query)));
        }
        if !self.include.is_empty() {
            parts.push(format!("in={}", encode_refs(&self.include)));
        }
        if !self.exclude.is_empty() {
            parts.push(format!("ex={}", encode_refs(&self.exclude)));
        }
        if self.sort == Sort::Date {
            parts.push("sort=date".into());
        }
        if let Some(id) = &self.open {
            parts.push(format!("a={}", encode(id)));
            if self.hit > 0 {
                parts.push(format!("h={}", self.hit + 1));
            }
        }
        if let Some(e) = &self.entity {
            parts.push(format!("e={}", encode_refs(std::slice::from_ref(e))));
        }
        format!("#{}", parts.join("&"))
    }

    /// Reads a hash (with or without `#`). Unknown or malformed parts are ignored.
    pub fn from_hash(hash: &str) -> UrlState {
        let mut state = UrlState::default();
        for part in hash.trim_start_matches('#').split('&') {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            match key {
                "q" => state.query = decode(value),
                "in" => state.include = decode_refs(value),
                "ex" => state.exclude = decode_refs(value),
                "sort" if value == "date" => state.sort = Sort::Date,
                "a" if !value.is_empty() => state.open = Some(decode(value)),
                "h" => state.hit = value.parse::<usize>().map_or(0, |h| h.saturating_sub(1)),
                "e" => state.entity = decode_refs(value).into_iter().next(),
                _ => {}
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let state = UrlState {
            query: "\"revolusi warna\" -putin & kota/kota #1 é".into(),
            include: vec![
                EntityRef { kind: EntityType::Per, name: "Vladimir Putin".into() },
                EntityRef { kind: EntityType::Loc, name: "Kazakhstan|x:y".into() },
            ],
            exclude: vec![EntityRef { kind: EntityType::Org, name: "CSTO".into() }],
            sort: Sort::Date,
            open: Some("000_ce9894c18006a3a8".into()),
            hit: 4,
            entity: Some(EntityRef { kind: EntityType::Per, name: "Dmitry Peskov".into() }),
        };
        let hash = state.to_hash();
        assert!(!hash[1..].contains(['#', ' ', '"']), "{hash}");
        assert_eq!(UrlState::from_hash(&hash), state);
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(UrlState::default().to_hash(), "#");
        assert_eq!(UrlState::from_hash(""), UrlState::default());
        let odd = UrlState::from_hash("#q=%ZZ%&in=XXX:foo|PER:&h=abc&zzz=1&a=");
        assert_eq!(odd.query, "%ZZ%");
        assert!(odd.include.is_empty());
        assert_eq!(odd.hit, 0);
        assert_eq!(odd.open, None);
        assert_eq!(UrlState::from_hash("#q=a+b%20c").query, "a b c");
    }
}
