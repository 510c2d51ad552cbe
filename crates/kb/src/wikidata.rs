//! Import of office holders from Wikidata SPARQL query results (CSV or JSON) into the
//! knowledge-base TOML format, so users can load thousands of offices.
//!
//! The query returns one row per "position held" statement with its start and end time;
//! column names are matched loosely (`personLabel` / `holderLabel` / `itemLabel`,
//! `positionLabel` / `officeLabel`, `countryLabel` / `jurisdictionLabel`, `start` /
//! `startTime`, `end` / `endTime`, optional `startPrecision` / `endPrecision` with Wikidata's
//! precision codes 9 = year, 10 = month, 11 = day). Rows without a start time, holder or office
//! are skipped and listed as comments at the top of the output.

use crate::format::{KbDiagnostic, KbError, Severity};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

const HOLDER: &[&str] = &[
    "personlabel",
    "holderlabel",
    "officeholderlabel",
    "itemlabel",
    "humanlabel",
];
const HOLDER_ID: &[&str] = &["person", "holder", "officeholder", "item", "human"];
const OFFICE: &[&str] = &[
    "positionlabel",
    "officelabel",
    "positionheldlabel",
    "position_label",
    "office_label",
];
const OFFICE_ID: &[&str] = &["position", "office", "positionheld"];
const ORG: &[&str] = &[
    "countrylabel",
    "jurisdictionlabel",
    "orglabel",
    "organizationlabel",
    "organisationlabel",
    "appliestojurisdictionlabel",
    "country",
    "org",
];
const START: &[&str] = &["start", "starttime", "start_time", "startdate", "from"];
const END: &[&str] = &["end", "endtime", "end_time", "enddate", "to"];
const START_PRECISION: &[&str] = &["startprecision", "start_precision"];
const END_PRECISION: &[&str] = &["endprecision", "end_precision"];
const ALIASES: &[&str] = &[
    "personaltlabel",
    "holderaltlabel",
    "itemaltlabel",
    "aliases",
    "altlabel",
];

/// One result row: variable name (lower-case) → value, with its line in the file.
struct Row {
    line: usize,
    values: BTreeMap<String, String>,
}

impl Row {
    fn get(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|n| self.values.get(*n))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// Converts a Wikidata SPARQL result file (CSV, or JSON in the SPARQL 1.1 results format)
/// into knowledge-base TOML, ready for `--kb`. Fails with file and line when the file cannot
/// be read as either format or lacks the holder, office or start columns.
pub fn import_wikidata(path: &Path) -> Result<String, KbError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| KbError::Io {
        path: name.clone(),
        source,
    })?;
    import_wikidata_text(&name, &text)
}

/// [`import_wikidata`] on text already read from `file`.
pub fn import_wikidata_text(file: &str, text: &str) -> Result<String, KbError> {
    let invalid = |line: usize, message: String| KbError::Invalid {
        diagnostics: vec![KbDiagnostic {
            file: file.to_string(),
            line,
            severity: Severity::Error,
            message,
        }],
        lenient_would_load: false,
    };
    let (columns, rows) = if text.trim_start().starts_with('{') {
        json_rows(text).map_err(|(line, m)| invalid(line, m))?
    } else {
        csv_rows(text).map_err(|(line, m)| invalid(line, m))?
    };
    for (what, names) in [
        ("holder", HOLDER),
        ("office", OFFICE),
        ("start time", START),
    ] {
        let fallback: &[&str] = match what {
            "holder" => HOLDER_ID,
            _ => &[],
        };
        if !names.iter().chain(fallback).any(|n| columns.contains(*n)) {
            return Err(invalid(
                1,
                format!(
                    "no column for the {what} (expected one of: {})",
                    names.join(", ")
                ),
            ));
        }
    }
    let mut out = String::new();
    let mut skipped = Vec::new();
    let mut seen = HashSet::new();
    let mut kept = 0usize;
    for row in &rows {
        match convert(row) {
            Ok(entry) => {
                if seen.insert(entry.clone()) {
                    out.push_str(&entry);
                    kept += 1;
                }
            }
            Err(reason) => skipped.push(format!("# skipped {file}:{}: {reason}\n", row.line)),
        }
    }
    let mut header = format!(
        "# Imported from {file} by `corroborate kb import`: {kept} rows, {} skipped.\n# Check it with `corroborate kb check`; edit freely.\n",
        skipped.len()
    );
    for s in &skipped {
        header.push_str(s);
    }
    Ok(header + &out)
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn entity_id(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}

/// A Wikidata time ("+2021-01-20T00:00:00Z") as a knowledge-base date at `precision`.
fn wikidata_date(value: &str, precision: Option<&str>) -> Result<String, String> {
    let v = value.trim().trim_start_matches('+');
    let date = v.split('T').next().unwrap_or(v);
    let parts: Vec<&str> = date.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return Err(format!("`{value}` is not a Wikidata time"));
    }
    let text = match precision.map(str::trim) {
        Some("9") => parts[0].to_string(),
        Some("10") => format!("{}-{}", parts[0], parts[1]),
        _ => date.to_string(),
    };
    crate::KbDate::parse(&text).map(|_| text)
}

fn convert(row: &Row) -> Result<String, String> {
    let holder_id = row.get(HOLDER_ID).map(entity_id);
    let holder = row.get(HOLDER).or(holder_id).ok_or("no holder")?;
    let office = row.get(OFFICE).ok_or("no office")?;
    let start = row
        .get(START)
        .ok_or_else(|| format!("no start time for {holder} ({office})"))?;
    let from = wikidata_date(start, row.get(START_PRECISION))?;
    let to = match row.get(END) {
        Some(end) => Some(wikidata_date(end, row.get(END_PRECISION))?),
        None => None,
    };
    if let Some(to) = &to
        && crate::KbDate::parse(&from).map(|d| d.earliest)
            > crate::KbDate::parse(to).map(|d| d.latest)
    {
        return Err(format!(
            "start {from} is after end {to} for {holder} ({office})"
        ));
    }
    let mut s = String::from("\n[[holder]]\n");
    let _ = writeln!(s, "office = {}", quoted(office));
    if let Some(org) = row.get(ORG).filter(|o| !o.starts_with("http")) {
        let _ = writeln!(s, "org = {}", quoted(org));
    }
    let _ = writeln!(s, "holder = {}", quoted(holder));
    if let Some(aliases) = row.get(ALIASES) {
        let list: Vec<String> = aliases
            .split(", ")
            .map(str::trim)
            .filter(|a| !a.is_empty() && *a != holder)
            .map(quoted)
            .collect();
        if !list.is_empty() {
            let _ = writeln!(s, "aliases = [{}]", list.join(", "));
        }
    }
    let _ = writeln!(s, "from = {}", quoted(&from));
    if let Some(to) = to {
        let _ = writeln!(s, "to = {}", quoted(&to));
    }
    let source = match (
        holder_id.filter(|id| id.starts_with('Q')),
        row.get(OFFICE_ID).map(entity_id),
    ) {
        (Some(h), Some(p)) => format!("Wikidata {h}, position held (P39) {p}"),
        (Some(h), None) => format!("Wikidata {h}, position held (P39)"),
        _ => "Wikidata, position held (P39)".to_string(),
    };
    let _ = writeln!(s, "source = {}", quoted(&source));
    Ok(s)
}

type Rows = (HashSet<String>, Vec<Row>);

fn csv_rows(text: &str) -> Result<Rows, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| (1, format!("not a CSV file: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('?').to_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            (line, format!("malformed CSV: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let values = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        rows.push(Row { line, values });
    }
    Ok((headers.into_iter().collect(), rows))
}

fn json_rows(text: &str) -> Result<Rows, (usize, String)> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| (e.line(), format!("not valid JSON: {e}")))?;
    let vars: HashSet<String> = value
        .pointer("/head/vars")
        .and_then(|v| v.as_array())
        .ok_or((1, "not a SPARQL JSON result: no head.vars".to_string()))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_lowercase))
        .collect();
    let bindings = value
        .pointer("/results/bindings")
        .and_then(|v| v.as_array())
        .ok_or((
            1,
            "not a SPARQL JSON result: no results.bindings".to_string(),
        ))?;
    // JSON results carry no line numbers; rows are numbered by their position instead.
    let rows = bindings
        .iter()
        .enumerate()
        .map(|(i, b)| Row {
            line: i + 1,
            values: b
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| {
                    Some((k.to_lowercase(), v.get("value")?.as_str()?.to_string()))
                })
                .collect(),
        })
        .collect();
    Ok((vars, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KnowledgeBase;

    const FIXTURE_CSV: &str = include_str!("../tests/fixtures/wikidata_p39.csv");
    const FIXTURE_JSON: &str = include_str!("../tests/fixtures/wikidata_p39.json");

    #[test]
    fn csv_results_become_a_loadable_knowledge_base() {
        let toml = import_wikidata_text("p39.csv", FIXTURE_CSV).unwrap();
        let (kb, diags) = KnowledgeBase::from_toml("imported.toml", &toml, false).unwrap();
        assert!(diags.is_empty(), "{diags:?}\n{toml}");
        assert_eq!(kb.holdings().len(), 4, "{toml}");
        let gallant = kb.rows_named("Yoav Gallant").next().unwrap();
        assert_eq!(gallant.office.title, "defense minister");
        assert_eq!(gallant.office.org.as_deref(), Some("israel"));
        assert_eq!(gallant.to.unwrap().to_string(), "2024-11-05");
        assert!(
            gallant.source.starts_with("Wikidata Q"),
            "{}",
            gallant.source
        );
        let kochavi = kb.rows_named("Aviv Kochavi").next().unwrap();
        assert_eq!(kochavi.from.to_string(), "2019-01", "month precision kept");
        assert!(
            toml.contains("# skipped p39.csv:6: no start time for Nobody Known"),
            "{toml}"
        );
        assert!(toml.contains("1 skipped"));
    }

    #[test]
    fn json_results_import_the_same_rows() {
        let toml = import_wikidata_text("p39.json", FIXTURE_JSON).unwrap();
        let (kb, _) = KnowledgeBase::from_toml("imported.toml", &toml, false).unwrap();
        assert_eq!(kb.holdings().len(), 3, "{toml}");
        let biden = kb.rows_named("Joe Biden").next().unwrap();
        assert_eq!(biden.office.title, "president");
        assert_eq!(biden.office.org.as_deref(), Some("united states"));
        assert!(
            biden
                .aliases
                .contains(&"Joseph Robinette Biden Jr.".to_string())
        );
        let trump = kb
            .rows_named("Donald Trump")
            .find(|h| h.to.is_none())
            .unwrap();
        assert_eq!(trump.from.to_string(), "2025-01-20");
    }

    #[test]
    fn files_without_the_needed_columns_or_format_are_rejected_with_a_line() {
        let err = import_wikidata_text("x.csv", "name,when\nA,2020\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("x.csv:1: error: no column for the holder"),
            "{err}"
        );
        let err = import_wikidata_text("y.csv", "personLabel,start\nA,2020\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("y.csv:1: error: no column for the office"),
            "{err}"
        );
        let err = import_wikidata_text("x.json", "{\"head\": {\"vars\": []},\n\"results\": [}")
            .unwrap_err();
        assert!(
            err.to_string().contains("x.json:2: error: not valid JSON"),
            "{err}"
        );
        let err = import_wikidata_text("x.json", "{\"head\": {}}").unwrap_err();
        assert!(err.to_string().contains("no head.vars"), "{err}");
    }

    #[test]
    fn bad_times_skip_the_row_with_a_reason() {
        let csv = "personLabel,positionLabel,start,end\nA B,President,2020-01-01T00:00:00Z,soon\nC D,President,2021-01-01T00:00:00Z,2020-01-01T00:00:00Z\n";
        let toml = import_wikidata_text("t.csv", csv).unwrap();
        assert!(
            toml.contains("t.csv:2: `soon` is not a Wikidata time"),
            "{toml}"
        );
        assert!(
            toml.contains("t.csv:3: start 2021-01-01 is after end 2020-01-01"),
            "{toml}"
        );
        assert!(!toml.contains("[[holder]]"));
    }
}
