//! The current results and the entity table as CSV (RFC 4180) and JSON, for download.

use serde::Serialize;

/// One result row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultRow {
    /// Rank, from 1.
    pub rank: usize,
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication date, if known.
    pub date: Option<String>,
    /// Source, if known.
    pub source: Option<String>,
    /// Link, if known.
    pub url: Option<String>,
    /// Score (none when browsing without a query).
    pub score: Option<f32>,
    /// The passage shown, without marks.
    pub snippet: String,
    /// The article's entities (canonical names), most mentioned first.
    pub entities: Vec<String>,
}

/// One entity row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityRow {
    /// Canonical name.
    pub entity: String,
    /// `PER`, `ORG` or `LOC`.
    #[serde(rename = "type")]
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
pub fn results_csv(rows: &[ResultRow]) -> String {
    let header = ["rank", "id", "title", "date", "source", "url", "score", "snippet", "entities"];
    csv(
        &header,
        rows.iter().map(|r| {
            vec![
                r.rank.to_string(),
                r.id.clone(),
                r.title.clone(),
                r.date.clone().unwrap_or_default(),
                r.source.clone().unwrap_or_default(),
                r.url.clone().unwrap_or_default(),
                r.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
                r.snippet.clone(),
                r.entities.join("; "),
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

/// Any rows as pretty JSON.
pub fn to_json<T: Serialize>(rows: &[T]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must() {
        let rows = vec![ResultRow {
            rank: 1,
            id: "a".into(),
            title: "Putin: \"revolusi warna\", kata dia".into(),
            date: Some("2022-01-10".into()),
            source: None,
            url: None,
            score: Some(1.5),
            snippet: "baris satu\nbaris dua".into(),
            entities: vec!["Vladimir Putin".into(), "Kazakhstan".into()],
        }];
        assert_eq!(
            results_csv(&rows),
            "rank,id,title,date,source,url,score,snippet,entities\r\n\
             1,a,\"Putin: \"\"revolusi warna\"\", kata dia\",2022-01-10,,,1.5000,\"baris satu\nbaris dua\",Vladimir Putin; Kazakhstan\r\n"
        );
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
    }
}
