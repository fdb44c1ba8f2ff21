//! The current results and the entity table as CSV (RFC 4180) and JSON, for download. A result row
//! is the list's own [`ResultItem`] (every article of the results, not only those shown).

use crate::view::ResultItem;

/// One entity row.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityRow {
    /// Canonical name.
    pub entity: String,
    /// `PER`, `ORG` or `LOC` (`type` in the JSON).
    pub kind: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Articles (among the results) that mention it.
    pub articles: u32,
    /// Mentions in those articles.
    pub mentions: u32,
}

/// A CSV field, quoted when it must be (RFC 4180: comma, quote, CR or LF inside; quotes doubled).
fn field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// `format!("{x:.4}")`, worked out on the float's bits: the same text (exact value, ties to even) without
/// the float formatting machinery, which would add about 7 KB (brotli) to the wasm for this one column.
fn four_decimals(x: f32) -> String {
    let bits = x.to_bits();
    let sign = if bits >> 31 == 1 { "-" } else { "" };
    let exponent = (bits >> 23) & 0xff;
    let fraction = bits & 0x7f_ffff;
    if exponent == 0xff {
        return if fraction != 0 { "NaN".into() } else { format!("{sign}inf") };
    }
    // x = mantissa × 2^power exactly.
    let (mantissa, power) = match exponent {
        0 => (u128::from(fraction), -149),
        _ => (u128::from(fraction | 0x80_0000), exponent as i32 - 150),
    };
    if power >= 0 {
        return format!("{sign}{}.0000", mantissa << power);
    }
    let (scaled, shift) = (mantissa * 10_000, power.unsigned_abs());
    let ten_thousandths = if shift >= 128 {
        0
    } else {
        let (quotient, rest, half) = (scaled >> shift, scaled & ((1 << shift) - 1), 1u128 << (shift - 1));
        quotient + u128::from(rest > half || (rest == half && quotient % 2 == 1))
    };
    format!("{sign}{}.{:04}", ten_thousandths / 10_000, ten_thousandths % 10_000)
}

fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = header.join(",");
    out.push_str("\r\n");
    for row in rows {
        let fields: Vec<String> = row.iter().map(|v| field(v)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Results as CSV, with a header line; lists are joined with `; `.
pub fn results_csv(rows: &[ResultItem]) -> String {
    let header = ["rank", "id", "title", "date", "source", "url", "score", "snippet", "entities"];
    csv(
        &header,
        rows.iter().map(|r| {
            vec![
                (r.rank + 1).to_string(),
                r.id.clone(),
                r.title.text.clone(),
                r.date.clone().unwrap_or_default(),
                r.source.clone().unwrap_or_default(),
                r.url.clone().unwrap_or_default(),
                r.score.map(four_decimals).unwrap_or_default(),
                r.snippet.text.clone(),
                r.entities.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join("; "),
            ]
        }),
    )
}

/// Entities as CSV, with a header line.
pub fn entities_csv(rows: &[EntityRow]) -> String {
    csv(
        &["entity", "type", "aliases", "articles", "mentions"],
        rows.iter().map(|r| {
            vec![
                r.entity.clone(),
                r.kind.clone(),
                r.aliases.join("; "),
                r.articles.to_string(),
                r.mentions.to_string(),
            ]
        }),
    )
}

/// A value of a JSON export field.
pub enum Value<'a> {
    /// A string.
    Text(&'a str),
    /// A number, already written out.
    Number(String),
    /// An array of strings.
    Texts(Vec<&'a str>),
    /// `null`.
    Null,
}

impl<'a> From<&'a Option<String>> for Value<'a> {
    fn from(value: &'a Option<String>) -> Value<'a> {
        value.as_deref().map_or(Value::Null, Value::Text)
    }
}

/// A row of a JSON export: its fields in order.
pub trait JsonRow {
    /// `(name, value)` pairs, in the order they are written.
    fn fields(&self) -> Vec<(&'static str, Value<'_>)>;
}

impl JsonRow for ResultItem {
    fn fields(&self) -> Vec<(&'static str, Value<'_>)> {
        vec![
            ("rank", Value::Number((self.rank + 1).to_string())),
            ("id", Value::Text(&self.id)),
            ("title", Value::Text(&self.title.text)),
            ("date", (&self.date).into()),
            ("source", (&self.source).into()),
            ("url", (&self.url).into()),
            (
                "score",
                self.score.filter(|s| s.is_finite()).map_or(Value::Null, |s| Value::Number(four_decimals(s))),
            ),
            ("snippet", Value::Text(&self.snippet.text)),
            ("entities", Value::Texts(self.entities.iter().map(|e| e.name.as_str()).collect())),
        ]
    }
}

impl JsonRow for EntityRow {
    fn fields(&self) -> Vec<(&'static str, Value<'_>)> {
        vec![
            ("entity", Value::Text(&self.entity)),
            ("type", Value::Text(&self.kind)),
            ("aliases", Value::Texts(self.aliases.iter().map(String::as_str).collect())),
            ("articles", Value::Number(self.articles.to_string())),
            ("mentions", Value::Number(self.mentions.to_string())),
        ]
    }
}

/// A JSON string (RFC 8259: quote, backslash and control characters escaped).
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(u32::from(c) >> 4) as usize] as char);
                out.push(HEX[(u32::from(c) & 0xf) as usize] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Rows as pretty JSON (two-space indent), an array of objects with the fields in order. Written by
/// hand: a JSON library would add kilobytes to the wasm for these two tables.
pub fn to_json<T: JsonRow>(rows: &[T]) -> String {
    if rows.is_empty() {
        return "[]".into();
    }
    let mut out = String::from("[\n");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("  {\n");
        let fields = row.fields();
        for (j, (name, value)) in fields.iter().enumerate() {
            out.push_str("    ");
            json_string(&mut out, name);
            out.push_str(": ");
            match value {
                Value::Text(text) => json_string(&mut out, text),
                Value::Number(number) => out.push_str(number),
                Value::Null => out.push_str("null"),
                Value::Texts(texts) if texts.is_empty() => out.push_str("[]"),
                Value::Texts(texts) => {
                    out.push_str("[\n");
                    for (k, text) in texts.iter().enumerate() {
                        out.push_str("      ");
                        json_string(&mut out, text);
                        out.push_str(if k + 1 < texts.len() { ",\n" } else { "\n" });
                    }
                    out.push_str("    ]");
                }
            }
            out.push_str(if j + 1 < fields.len() { ",\n" } else { "\n" });
        }
        out.push_str(if i + 1 < rows.len() { "  },\n" } else { "  }\n" });
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::EntityRef;
    use crate::view::MarkedText;
    use sorot_engine::EntityType;

    struct Row {
        rank: usize,
        id: &'static str,
        title: &'static str,
        date: Option<&'static str>,
        source: Option<&'static str>,
        url: Option<&'static str>,
        score: Option<f32>,
        snippet: &'static str,
        entities: &'static [&'static str],
    }

    /// A result row as the list has it (rank from 0 there, from 1 in the exports).
    fn item(r: Row) -> ResultItem {
        let text = |t: &str| MarkedText { text: t.into(), highlights: Vec::new() };
        let entity = |name: &&str| EntityRef { kind: EntityType::Per, name: name.to_string() };
        ResultItem {
            rank: r.rank - 1,
            doc: sorot_engine::DocId(0),
            id: r.id.into(),
            lang: "id".into(),
            title: text(r.title),
            source: r.source.map(Into::into),
            date: r.date.map(Into::into),
            url: r.url.map(Into::into),
            score: r.score,
            snippet: text(r.snippet),
            entities: r.entities.iter().map(entity).collect(),
        }
    }

    #[test]
    fn csv_quotes_what_it_must() {
        let rows = vec![item(Row {
            rank: 1,
            id: "a",
            title: "Putin: \"revolusi warna\", kata dia",
            date: Some("2022-01-10"),
            source: None,
            url: None,
            score: Some(1.5),
            snippet: "baris satu\nbaris dua",
            entities: &["Vladimir Putin", "Kazakhstan"],
        })];
        assert_eq!(
            results_csv(&rows),
            "rank,id,title,date,source,url,score,snippet,entities\r\n\
             1,a,\"Putin: \"\"revolusi warna\"\", kata dia\",2022-01-10,,,1.5000,\"baris satu\nbaris dua\",Vladimir Putin; Kazakhstan\r\n"
        );
    }

    #[test]
    fn four_decimals_is_format() {
        let mut cases =
            vec![0.0, -0.0, 1.5, 0.00005, 0.00015, 0.00025, 1.03125, -2.5e-5, 12.34567, f32::MIN_POSITIVE];
        cases.extend([1e-45, f32::MAX, f32::MIN, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 16_777_216.0]);
        let mut bits = 0x2545_f491_u32; // xorshift over all kinds of bit patterns
        for _ in 0..200_000 {
            bits ^= bits << 13;
            bits ^= bits >> 17;
            bits ^= bits << 5;
            cases.push(f32::from_bits(bits));
            cases.push(f32::from_bits(bits & 0x47ff_ffff)); // magnitudes below 2^16, where scores are
        }
        for x in cases {
            assert_eq!(four_decimals(x), format!("{x:.4}"), "{:#010x}", x.to_bits());
        }
    }

    #[test]
    fn entity_rows() {
        let rows = vec![EntityRow {
            entity: "Organisasi Perjanjian Keamanan Kolektif".into(),
            kind: "ORG".into(),
            aliases: vec!["CSTO".into()],
            articles: 1,
            mentions: 4,
        }];
        assert_eq!(
            entities_csv(&rows),
            "entity,type,aliases,articles,mentions\r\nOrganisasi Perjanjian Keamanan Kolektif,ORG,CSTO,1,4\r\n"
        );
        let json: serde_json::Value = serde_json::from_str(&to_json(&rows)).unwrap();
        assert_eq!(json[0]["type"], "ORG");
        assert_eq!(json[0]["aliases"][0], "CSTO");
        assert_eq!(json[0]["mentions"], 4);
    }

    #[test]
    fn json_is_valid_escaped_and_pretty() {
        let rows = vec![
            item(Row {
                rank: 1,
                id: "a\"b",
                title: "tab\there, back\\slash, bell\u{7}, é and 🌍",
                date: None,
                source: Some("AFP"),
                url: None,
                score: Some(1.5),
                snippet: "baris satu\nbaris dua\r",
                entities: &[],
            }),
            item(Row {
                rank: 2,
                id: "c",
                title: "",
                date: Some("2022-01-10"),
                source: None,
                url: Some("https://example.org/?a=1&b=<2>"),
                score: None,
                snippet: "",
                entities: &["Vladimir Putin", "Kazakhstan"],
            }),
        ];
        let text = to_json(&rows);
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(json[0]["id"], "a\"b");
        assert_eq!(json[0]["title"], "tab\there, back\\slash, bell\u{7}, é and 🌍");
        assert_eq!(json[0]["snippet"], "baris satu\nbaris dua\r");
        assert_eq!(json[0]["score"], 1.5);
        assert_eq!(json[0]["date"], serde_json::Value::Null);
        assert_eq!(json[0]["entities"], serde_json::json!([]));
        assert_eq!(json[1]["score"], serde_json::Value::Null);
        assert_eq!(json[1]["entities"][1], "Kazakhstan");
        assert_eq!(json[1]["url"], "https://example.org/?a=1&b=<2>");
        // Laid out as serde_json's pretty printer does, fields in declaration order.
        let second = "  {\n    \"rank\": 2,\n    \"id\": \"c\",\n    \"title\": \"\",\n    \"date\": \"2022-01-10\",\n    \
            \"source\": null,\n    \"url\": \"https://example.org/?a=1&b=<2>\",\n    \"score\": null,\n    \
            \"snippet\": \"\",\n    \"entities\": [\n      \"Vladimir Putin\",\n      \"Kazakhstan\"\n    ]\n  }\n]";
        assert!(text.starts_with("[\n  {\n    \"rank\": 1,\n    \"id\": \"a\\\"b\",\n"), "{text}");
        assert!(text.contains("\"score\": 1.5000,\n    \"snippet\""), "{text}");
        assert!(text.contains("\"entities\": []\n  },\n"), "{text}");
        assert!(text.ends_with(second), "{text}");
        assert_eq!(to_json::<ResultItem>(&[]), "[]");
    }
}
