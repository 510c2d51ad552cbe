//! The knowledge-base file format (TOML), its parser and its checks.
//!
//! ```toml
//! [kb]
//! as_of = "2025-06-30"          # open-ended rows were checked current up to this date
//!
//! [[holder]]
//! office = "chief of staff"     # as written; normalised through the office vocabulary
//! org = "Israel"                # organisation or country
//! holder = "Herzi Halevi"
//! aliases = ["Herzl Halevi"]
//! from = "2023-01-16"           # YYYY-MM-DD, YYYY-MM or YYYY
//! to = "2025-03-05"             # omit while still in office
//! source = "Wikipedia: Herzi Halevi"
//!
//! [[event]]
//! name = "Gaza war"
//! aliases = ["war in Gaza"]
//! context = ["Gaza", "Hamas"]   # words that make "the war" mean this event
//! start = "2023-10-07"
//! source = "Wikipedia: Gaza war"
//! ```
//!
//! Every problem is reported with its file and line. A malformed row stops a strict load; a
//! lenient load skips it and reports it. Overlapping tenures of one office are warnings.

use crate::date::KbDate;
use crate::{Event, Holding, KnowledgeBase};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use toml::Spanned;

/// How serious a knowledge-base problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The row is malformed: a strict load fails, a lenient load skips the row.
    Error,
    /// The data loads but is suspicious (overlapping tenures of one office).
    Warning,
}

/// One problem found in a knowledge-base file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbDiagnostic {
    /// The file.
    pub file: String,
    /// 1-based line (0 when the problem concerns the whole file).
    pub line: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl fmt::Display for KbDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, level, self.message
        )
    }
}

/// Why a knowledge base could not be loaded or imported.
#[derive(Debug)]
pub enum KbError {
    /// The file could not be read.
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file has malformed rows (strict load) or is not valid TOML / CSV / JSON at all.
    Invalid {
        /// Every error found, each with file and line.
        diagnostics: Vec<KbDiagnostic>,
        /// A lenient load would keep the file's valid rows (false for syntax errors and
        /// imports, where nothing can be kept).
        lenient_would_load: bool,
    },
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KbError::Io { path, source } => write!(f, "{path}: {source}"),
            KbError::Invalid {
                diagnostics,
                lenient_would_load,
            } => {
                let errors: Vec<String> = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(ToString::to_string)
                    .collect();
                write!(f, "{}", errors.join("\n"))?;
                if *lenient_would_load {
                    write!(f, "\n(use --lenient to load the valid rows anyway)")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for KbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KbError::Io { source, .. } => Some(source),
            KbError::Invalid { .. } => None,
        }
    }
}

/// A date field: a string (`"2024-11"`) or a bare TOML date (`2024-11-05`).
enum DateField {
    Text(String),
    Toml(toml::value::Datetime),
}

/// Hand-written rather than `#[serde(untagged)]`, which buffers every value and made loading
/// a 100,000-row file a third slower.
impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = DateField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date: \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or a TOML date")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateField, E> {
                Ok(DateField::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<DateField, E> {
                Ok(DateField::Text(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<DateField, A::Error> {
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(DateField::Toml(dt))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl DateField {
    fn parse(&self) -> Result<KbDate, String> {
        match self {
            DateField::Text(s) => KbDate::parse(s),
            DateField::Toml(dt) => match (dt.date, dt.time) {
                (Some(d), None) => KbDate::parse(&d.to_string()),
                _ => Err(format!("`{dt}` is not a plain date (give YYYY-MM-DD)")),
            },
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    as_of: Option<DateField>,
    #[allow(dead_code)] // read so that a description does not count as an unknown field
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHolding {
    office: String,
    org: Option<String>,
    country: Option<String>,
    holder: String,
    #[serde(default)]
    aliases: Vec<String>,
    from: DateField,
    to: Option<DateField>,
    source: String,
    #[allow(dead_code)] // free-text remark for maintainers
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    context: Vec<String>,
    start: DateField,
    end: Option<DateField>,
    source: String,
    #[allow(dead_code)] // free-text remark for maintainers
    note: Option<String>,
}

/// The whole file read in one pass: the fast path, taken when every row is well-formed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypedFile {
    kb: Option<RawMeta>,
    #[serde(default)]
    holder: Vec<Spanned<RawHolding>>,
    #[serde(default)]
    event: Vec<Spanned<RawEvent>>,
}

/// The file with rows left untyped, so that each malformed row is reported on its own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    kb: Option<RawMeta>,
    #[serde(default)]
    holder: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    event: Vec<Spanned<toml::Table>>,
}

/// Rows with their line, each parsed or with the reason it could not be.
type Rows<T> = Vec<(usize, Result<T, String>)>;

/// Byte offset → 1-based line.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).max(1)
    }
}

/// The rows of a file (or of one section of it), each with its line, before validation.
struct Parsed {
    meta: Option<RawMeta>,
    holders: Rows<RawHolding>,
    events: Rows<RawEvent>,
}

/// Parses `text`, which starts at byte `offset` of the file: typed rows in one pass when every
/// row is well-formed, otherwise row by row, so that every malformed row is reported with its
/// own line and the others still load. `Err` is a TOML syntax error (nothing can be kept).
fn parse_rows(text: &str, offset: usize, lines: &Lines) -> Result<Parsed, toml::de::Error> {
    let line = |span: std::ops::Range<usize>| lines.line(offset + span.start);
    if let Ok(typed) = toml::from_str::<TypedFile>(text) {
        return Ok(Parsed {
            meta: typed.kb,
            holders: typed
                .holder
                .into_iter()
                .map(|r| (line(r.span()), Ok(r.into_inner())))
                .collect(),
            events: typed
                .event
                .into_iter()
                .map(|r| (line(r.span()), Ok(r.into_inner())))
                .collect(),
        });
    }
    let raw = toml::from_str::<RawFile>(text)?;
    fn typed<T: serde::de::DeserializeOwned>(
        row: Spanned<toml::Table>,
        what: &str,
        line: impl Fn(std::ops::Range<usize>) -> usize,
    ) -> (usize, Result<T, String>) {
        let at = line(row.span());
        let value = toml::Value::Table(row.into_inner());
        let parsed = value
            .try_into::<T>()
            .map_err(|e| format!("{what} row: {}", e.message().trim()));
        (at, parsed)
    }
    Ok(Parsed {
        meta: raw.kb,
        holders: raw
            .holder
            .into_iter()
            .map(|r| typed(r, "holder", line))
            .collect(),
        events: raw
            .event
            .into_iter()
            .map(|r| typed(r, "event", line))
            .collect(),
    })
}

/// Byte offsets at which `text` can be cut into independently parsable sections: the start of
/// each line that is a top-level `[[holder]]`, `[[event]]` or `[kb]` header. Lines inside
/// multi-line strings are skipped by counting `"""` / `'''` delimiters; the count can be fooled
/// by escaped delimiters, but a cut inside a string leaves that section unterminated, which
/// is a syntax error and sends the caller back to parsing the file whole.
fn section_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut in_string = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !in_string
            && offset > 0
            && line.trim_start().starts_with('[')
            && matches!(line.trim(), "[[holder]]" | "[[event]]" | "[kb]")
        {
            starts.push(offset);
        }
        let delimiters = line
            .as_bytes()
            .windows(3)
            .filter(|w| *w == b"\"\"\"" || *w == b"'''")
            .count();
        if delimiters % 2 == 1 {
            in_string = !in_string;
        }
        offset += line.len();
    }
    starts
}

/// Parses the file section by section, in parallel. TOML is parsed here by the `toml` crate
/// all the same; cutting the file first only keeps each parse small (a 100,000-row file
/// parses twice as fast in sections as whole, one thread, since no document-wide table is
/// built) and lets sections go to different cores. `None` when a section is not valid TOML
/// on its own or `[kb]` appears twice: the caller then parses the file whole, which gives
/// exactly the error a whole-file parse gives.
fn parse_sections(text: &str, lines: &Lines) -> Option<Parsed> {
    use rayon::prelude::*;
    let starts = section_starts(text);
    let sections: Vec<(usize, &str)> = starts
        .iter()
        .zip(starts.iter().skip(1).chain(std::iter::once(&text.len())))
        .filter_map(|(&a, &b)| text.get(a..b).map(|t| (a, t)))
        .collect();
    let parsed: Vec<Parsed> = sections
        .par_iter()
        .map(|&(offset, section)| parse_rows(section, offset, lines).ok())
        .collect::<Option<_>>()?;
    let mut all = Parsed {
        meta: None,
        holders: Vec::new(),
        events: Vec::new(),
    };
    for p in parsed {
        if p.meta.is_some() {
            if all.meta.is_some() {
                return None;
            }
            all.meta = p.meta;
        }
        all.holders.extend(p.holders);
        all.events.extend(p.events);
    }
    Some(all)
}

/// Parses knowledge-base `text` read from `file` into a knowledge base plus diagnostics.
/// Malformed rows are left out and reported as errors; the caller decides whether errors
/// fail the load.
pub(crate) fn parse(file: &str, text: &str) -> (KnowledgeBase, Vec<KbDiagnostic>) {
    let lines = Lines::new(text);
    let mut diagnostics = Vec::new();
    let mut kb = KnowledgeBase::default();
    let diag = |line: usize, severity: Severity, message: String| KbDiagnostic {
        file: file.to_string(),
        line,
        severity,
        message,
    };
    let parsed = match parse_sections(text, &lines) {
        Some(parsed) => parsed,
        None => match parse_rows(text, 0, &lines) {
            Ok(parsed) => parsed,
            Err(e) => {
                let line = e.span().map(|s| lines.line(s.start)).unwrap_or(0);
                let message = e.message().trim().to_string();
                diagnostics.push(diag(line, Severity::Error, message));
                return (kb, diagnostics);
            }
        },
    };
    let Parsed {
        meta,
        holders,
        events,
    } = parsed;
    let as_of = match meta.as_ref().and_then(|m| m.as_of.as_ref()) {
        Some(field) => match field.parse() {
            Ok(d) => Some(d.latest),
            Err(e) => {
                let line = text.find("as_of").map(|o| lines.line(o)).unwrap_or(0);
                diagnostics.push(diag(line, Severity::Error, format!("as_of: {e}")));
                None
            }
        },
        None => None,
    };
    let shared_name: std::sync::Arc<str> = file.into();
    let mut normalised = HashMap::new();
    kb.holdings.reserve(holders.len());
    for (line, row) in holders {
        match row.and_then(|r| holding(r, as_of, &shared_name, line, &mut normalised)) {
            Ok(h) => kb.holdings.push(h),
            Err(message) => diagnostics.push(diag(line, Severity::Error, message)),
        }
    }
    for (line, row) in events {
        match row.and_then(|r| event(r, &shared_name, line)) {
            Ok(ev) => kb.events.push(ev),
            Err(message) => diagnostics.push(diag(line, Severity::Error, message)),
        }
    }
    kb.reindex();
    diagnostics.extend(overlaps(&kb));
    (kb, diagnostics)
}

/// Offices already normalised, by office as written and then by organisation, so that each
/// row looks its office up without allocating a key.
type OfficeCache = HashMap<String, Vec<(Option<String>, corroborate_model::Office)>>;

fn holding(
    raw: RawHolding,
    as_of: Option<chrono::NaiveDate>,
    file: &std::sync::Arc<str>,
    line: usize,
    cache: &mut OfficeCache,
) -> Result<Holding, String> {
    let field = |name: &str, r: Result<KbDate, String>| r.map_err(|e| format!("{name}: {e}"));
    if raw.holder.trim().is_empty() {
        return Err("holder is empty".into());
    }
    if raw.office.trim().is_empty() {
        return Err("office is empty".into());
    }
    if raw.source.trim().is_empty() {
        return Err("source is empty: every row must cite where its dates come from".into());
    }
    let from = field("from", raw.from.parse())?;
    let to = match &raw.to {
        Some(t) => Some(field("to", t.parse())?),
        None => None,
    };
    if let Some(to) = to
        && from.earliest > to.latest
    {
        return Err(format!(
            "from {from} is after to {to} for {} ({})",
            raw.holder, raw.office
        ));
    }
    let known = cache.get(&raw.office).and_then(|orgs| {
        orgs.iter()
            .find(|(org, _)| org.as_deref() == raw.org.as_deref())
            .map(|(_, office)| office.clone())
    });
    let office = match known {
        Some(office) => office,
        None => {
            let office = crate::normalise_office(&raw.office, raw.org.as_deref());
            cache
                .entry(raw.office.clone())
                .or_default()
                .push((raw.org.clone(), office.clone()));
            office
        }
    };
    let country = raw.country.as_deref().map(crate::normalise_org_name);
    Ok(Holding {
        office,
        office_label: raw.office,
        org_label: raw.org,
        country,
        holder: raw.holder,
        aliases: raw.aliases,
        from,
        to,
        known_until: if to.is_none() { as_of } else { None },
        source: raw.source,
        file: file.clone(),
        line,
    })
}

fn event(raw: RawEvent, file: &std::sync::Arc<str>, line: usize) -> Result<Event, String> {
    if raw.name.trim().is_empty() {
        return Err("event name is empty".into());
    }
    if raw.source.trim().is_empty() {
        return Err("source is empty: every row must cite where its dates come from".into());
    }
    let start = raw.start.parse().map_err(|e| format!("start: {e}"))?;
    let end = match &raw.end {
        Some(e) => Some(e.parse().map_err(|e| format!("end: {e}"))?),
        None => None,
    };
    if let Some(end) = end
        && start.earliest > end.latest
    {
        return Err(format!("start {start} is after end {end} for {}", raw.name));
    }
    Ok(Event {
        name: raw.name,
        aliases: raw.aliases,
        context: raw.context,
        start,
        end,
        source: raw.source,
        file: file.clone(),
        line,
    })
}

/// Tenures of one office that certainly overlap (a same-day hand-over is not an overlap).
pub(crate) fn overlaps(kb: &KnowledgeBase) -> Vec<KbDiagnostic> {
    let mut by_office: HashMap<&corroborate_model::Office, Vec<&Holding>> = HashMap::new();
    for h in &kb.holdings {
        by_office.entry(&h.office).or_default().push(h);
    }
    let mut out = Vec::new();
    for rows in by_office.values_mut() {
        rows.sort_by_key(|h| (h.from.earliest, h.line));
        // The row whose tenure reaches furthest so far; compared with each later row.
        let mut reach: Option<&Holding> = None;
        for &h in rows.iter() {
            if let Some(prev) = reach {
                let prev_end = prev.to.map(|t| t.earliest);
                let overlapping = prev_end.is_none_or(|end| h.from.latest < end);
                if overlapping {
                    let same = corroborate_nlp::name_key(&prev.holder)
                        == corroborate_nlp::name_key(&h.holder);
                    let message = match (same, prev.to) {
                        (true, _) => format!(
                            "{} is listed twice as {} with overlapping dates (also at {}:{})",
                            h.holder, h.office_label, prev.file, prev.line
                        ),
                        (false, None) => format!(
                            "{} takes office as {} on {} but {} ({}:{}) has no end date",
                            h.holder, h.office_label, h.from, prev.holder, prev.file, prev.line
                        ),
                        (false, Some(end)) => format!(
                            "{} takes office as {} on {}, before {} left it on {} ({}:{})",
                            h.holder,
                            h.office_label,
                            h.from,
                            prev.holder,
                            end,
                            prev.file,
                            prev.line
                        ),
                    };
                    out.push(KbDiagnostic {
                        file: h.file.to_string(),
                        line: h.line,
                        severity: Severity::Warning,
                        message,
                    });
                }
            }
            let reaches_further = match reach {
                None => true,
                Some(prev) => match (prev.to, h.to) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(a), Some(b)) => b.latest > a.latest,
                },
            };
            if reaches_further {
                reach = Some(h);
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(d: &[KbDiagnostic]) -> Vec<&KbDiagnostic> {
        d.iter().filter(|d| d.severity == Severity::Error).collect()
    }

    #[test]
    fn rows_parse_with_partial_dates_bare_dates_and_open_ends() {
        let text = r#"
[kb]
as_of = "2025-06-30"

[[holder]]
office = "Minister of Defence"
org = "Israel"
holder = "Yoav Gallant"
from = 2022-12-29
to = "2024-11"
source = "Wikipedia: Yoav Gallant"

[[holder]]
office = "defense minister"
org = "Israeli"
holder = "Israel Katz"
from = "2024-11-07"
source = "Wikipedia: Israel Katz"

[[event]]
name = "Gaza war"
aliases = ["war in Gaza"]
start = "2023-10-07"
source = "Wikipedia: Gaza war"
"#;
        let (kb, diags) = parse("t.toml", text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(kb.holdings.len(), 2);
        assert_eq!(kb.holdings[0].office, kb.holdings[1].office);
        assert_eq!(kb.holdings[0].line, 5);
        assert_eq!(kb.holdings[0].to.unwrap().to_string(), "2024-11");
        assert_eq!(
            kb.holdings[1].known_until.unwrap().to_string(),
            "2025-06-30"
        );
        assert_eq!(kb.events[0].line, 20);
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line_and_the_rest_still_parse() {
        let text = r#"[[holder]]
office = "president"
org = "United States"
holder = "Joe Biden"
from = "2021-01-20"
to = "2025-01-20"
source = "Wikipedia: Joe Biden"

[[holder]]
office = "president"
org = "United States"
holder = "Nobody"
from = "2021-13-01"
source = "x"

[[holder]]
office = "president"
org = "United States"
holder = "Somebody"
from = "2022-01-01"
to = "2021-01-01"
tenure = "acting"
source = "x"

[[holder]]
office = "president"
holder = "Nameless Source"
from = "2020"
"#;
        let (kb, diags) = parse("bad.toml", text);
        assert_eq!(kb.holdings.len(), 1);
        let errs = errors(&diags);
        assert_eq!(errs.len(), 3, "{diags:?}");
        assert_eq!(errs[0].line, 9);
        assert!(errs[0].message.contains("2021-13-01"), "{}", errs[0]);
        assert_eq!(errs[1].line, 16);
        assert!(
            errs[1].message.contains("unknown field `tenure`"),
            "{}",
            errs[1]
        );
        assert_eq!(errs[2].line, 25);
        assert!(errs[2].message.contains("source"), "{}", errs[2]);
        assert!(errs[0].to_string().starts_with("bad.toml:9: error: "));
    }

    #[test]
    fn from_after_to_and_toml_syntax_errors_name_the_line() {
        let text = "[[holder]]\noffice = \"president\"\norg = \"France\"\nholder = \"A\"\nfrom = \"2022\"\nto = \"2021\"\nsource = \"s\"\n";
        let (_, diags) = parse("f.toml", text);
        assert!(
            diags[0].message.contains("from 2022 is after to 2021"),
            "{diags:?}"
        );
        let (_, diags) = parse("g.toml", "[[holder]]\noffice = \"president\norg = 1\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2, "{diags:?}");
        let (_, diags) = parse("h.toml", "[[holders]]\noffice = \"x\"\n");
        assert!(
            diags[0].message.contains("unknown field `holders`"),
            "{diags:?}"
        );
    }

    #[test]
    fn overlapping_tenures_are_warnings_but_same_day_handover_is_not() {
        let text = r#"
[[holder]]
office = "president"
org = "United States"
holder = "Joe Biden"
from = "2021-01-20"
to = "2025-01-20"
source = "s"

[[holder]]
office = "president"
org = "United States"
holder = "Donald Trump"
from = "2025-01-20"
source = "s"

[[holder]]
office = "president"
org = "United States"
holder = "Kamala Harris"
from = "2024-07-21"
to = "2025-01-01"
source = "s"
"#;
        let (_, diags) = parse("o.toml", text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Warning);
        assert_eq!(diags[0].line, 17);
        assert!(
            diags[0]
                .message
                .contains("before Joe Biden left it on 2025-01-20"),
            "{}",
            diags[0]
        );
    }

    /// The rows a parse yields, as (line, holder or event name, error) triples.
    fn summary(p: &Parsed) -> Vec<(usize, String)> {
        let holders = p.holders.iter().map(|(line, r)| {
            (
                *line,
                r.as_ref().map_or_else(Clone::clone, |h| h.holder.clone()),
            )
        });
        let events = p.events.iter().map(|(line, r)| {
            (
                *line,
                r.as_ref().map_or_else(Clone::clone, |e| e.name.clone()),
            )
        });
        holders.chain(events).collect()
    }

    #[test]
    fn sections_parse_to_the_same_rows_and_lines_as_the_whole_file() {
        let text = "# header comment\n[kb]\nas_of = \"2025-06-30\"\n\n[[holder]]\noffice = \"king\"\norg = \"United Kingdom\"\nholder = \"Charles III\"\nfrom = \"2022-09-08\"\nsource = \"s\"\nnote = \"\"\"\nnot a header:\n[[holder]]\nstill the note\n\"\"\"\n\n  [[event]]  \nname = \"Gaza war\"\nstart = \"2023-10-07\"\nsource = \"s\"\n\n[[holder]]\noffice = \"king\"\norg = \"United Kingdom\"\nholder = \"Elizabeth II\"\nfrom = \"1952-02-06\"\nto = \"2022-09-08\"\nsource = \"s\"\nrank = 2\n";
        let lines = Lines::new(text);
        assert_eq!(section_starts(text).len(), 5, "{:?}", section_starts(text));
        let whole = parse_rows(text, 0, &lines).unwrap();
        let sections = parse_sections(text, &lines).unwrap();
        assert_eq!(summary(&sections), summary(&whole));
        assert_eq!(summary(&sections)[0], (5, "Charles III".to_string()));
        assert_eq!(summary(&sections)[1].0, 22);
        assert!(summary(&sections)[1].1.contains("unknown field `rank`"));
        assert!(sections.meta.is_some());
    }

    #[test]
    fn sections_that_are_not_toml_on_their_own_fall_back_to_the_whole_file() {
        // A delimiter the count misreads (an escaped quote run) cuts inside a string: the
        // section parse fails and the whole-file parse gives the right rows.
        let text = "[[holder]]\noffice = \"king\"\norg = \"United Kingdom\"\nholder = \"Charles III\"\nfrom = \"2022-09-08\"\nsource = \"s\"\nnote = \"\"\"a \\\"\"\" b\n[[holder]]\n\"\"\"\n";
        let lines = Lines::new(text);
        assert!(parse_sections(text, &lines).is_none());
        let (kb, diags) = parse("n.toml", text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(kb.holdings.len(), 1);
        // `[kb]` twice is an error of the whole file, not something to merge.
        let (_, diags) = parse("d.toml", "[kb]\nas_of = \"2025\"\n[kb]\nas_of = \"2024\"\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Error);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Files assembled from well-formed, malformed and hostile pieces (headers inside
        /// multi-line strings, stray quotes, duplicate `[kb]`): the sectioned parse, whenever it
        /// succeeds, gives exactly the rows and lines of the whole-file parse, and `parse`
        /// never panics.
        #[test]
        fn sectioned_and_whole_file_parses_agree(pieces in proptest::collection::vec(0usize..9, 0..12)) {
            const PIECES: [&str; 9] = [
                "[[holder]]\noffice = \"king\"\norg = \"United Kingdom\"\nholder = \"Charles III\"\nfrom = \"2022-09-08\"\nsource = \"s\"\n",
                "[[holder]]\noffice = \"king\"\nholder = \"X\"\nfrom = \"May 2017\"\nsource = \"s\"\n",
                "[[event]]\nname = \"Gaza war\"\nstart = \"2023-10-07\"\nsource = \"s\"\n",
                "[kb]\nas_of = \"2025-06-30\"\n",
                "note = \"\"\"\n[[holder]]\n\"\"\"\n",
                "# comment\n\n",
                "[[holder]]\noffice = \"x\"\nrank = 3\n",
                "  [[event]]  \nname = 'it''s'\n",
                "[[holder]\n",
            ];
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let lines = Lines::new(&text);
            if let Some(sections) = parse_sections(&text, &lines) {
                let whole = parse_rows(&text, 0, &lines);
                proptest::prop_assert!(whole.is_ok(), "sections parsed but the whole file did not:\n{text}");
                if let Ok(whole) = whole {
                    proptest::prop_assert_eq!(summary(&sections), summary(&whole));
                }
            }
            let _ = parse("p.toml", &text);
        }
    }
}
