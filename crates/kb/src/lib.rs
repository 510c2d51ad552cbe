//! A dated knowledge base of office holders and events, used to date articles and flag stale
//! claims.
//!
//! Outlets repeat facts that were true once: an article about 2025 that still names the 2024
//! defence minister. This crate holds *when* things were true and checks articles against it.
//!
//! * [`KnowledgeBase`] holds [`Holding`]s (who held which office, from when to when, with a
//!   source) and [`Event`]s (anchor dates such as the start of a war). It is read from a plain
//!   TOML file a user can edit ([`KnowledgeBase::load`], format in `README.md`), checked with
//!   [`check`], merged over the shipped [`KnowledgeBase::starter`] with
//!   [`KnowledgeBase::merge`], and filled from Wikidata query results with
//!   [`import_wikidata`].
//! * [`link::office_assertions`] links the claims stage's office-holder claims ("Defense
//!   Minister Yoav Gallant") and implied office claims ("the Biden administration is …",
//!   "U.S. President Donald Trump", "the former president") to the knowledge-base rows of
//!   that person and office, trying an implied claim's candidate people in order. It reads no
//!   text: the only text this crate looks at is for the names it alone knows — the names of
//!   events (an ended "war cabinet" spoken of as current, the war a duration counts from) —
//!   and what a sentence around such a name says is again the claims stage's reading.
//! * [`date_articles`] estimates each article's date as an interval with its evidence (date
//!   line, the claims stage's durations such as "nearing its 23rd month" counted from a known
//!   war, its weekdays, and the window in which all its office holders were in office
//!   together).
//! * Holder and event names are looked up by nlp's [`name_key`](corroborate_nlp::name_key),
//!   the key every stage compares names by.
//! * [`kb_verdicts`] compares each assertion with the article's date and its story's date and
//!   returns stale, internally inconsistent and dating-conflict [`ClaimGroup`](corroborate_model::ClaimGroup)s with evidence.
//!   [`date_and_judge`] does both steps in one pass.
//!
//! ```
//! use corroborate_kb::KnowledgeBase;
//! use corroborate_model::Office;
//! use chrono::NaiveDate;
//!
//! let kb = KnowledgeBase::starter();
//! let office = Office { title: "defense minister".into(), org: Some("israel".into()) };
//! let on = NaiveDate::from_ymd_opt(2025, 8, 4).unwrap();
//! let holders: Vec<&str> = kb.holders_on(&office, on).map(|h| h.holder.as_str()).collect();
//! assert_eq!(holders, ["Israel Katz"]);
//! ```

pub mod date;
mod dating;
mod format;
pub mod link;
mod verdicts;
mod wikidata;

pub use date::{DayRange, KbDate};
pub use dating::date_articles;
pub use format::{KbDiagnostic, KbError, Severity};
pub use verdicts::{date_and_judge, kb_verdicts};
pub use wikidata::{import_wikidata, import_wikidata_text};

use chrono::NaiveDate;
use corroborate_model::Office;
use corroborate_nlp::name_key;
use std::path::Path;

/// One person's tenure of one office, as a knowledge-base row.
#[derive(Debug, Clone, PartialEq)]
pub struct Holding {
    /// The office, normalised so it compares equal with offices found in articles.
    pub office: Office,
    /// The office as written in the file ("Minister of Defence").
    pub office_label: String,
    /// The organisation or country as written in the file.
    pub org_label: Option<String>,
    /// The country an agency belongs to ("israel" for the Mossad), normalised, so that
    /// "Israel's spy chief" links to the Mossad director.
    pub country: Option<String>,
    /// The holder's full name.
    pub holder: String,
    /// Other names the holder is written as.
    pub aliases: Vec<String>,
    /// First day in office.
    pub from: KbDate,
    /// Last day in office (`None`: still in office).
    pub to: Option<KbDate>,
    /// For an open-ended row: the date up to which the file's maintainers checked that the
    /// holder was still in office (the file's `as_of`). After it, "former" is not disputed.
    pub known_until: Option<NaiveDate>,
    /// Where the dates come from.
    pub source: String,
    /// File the row was read from (shared by every row of the file).
    pub file: std::sync::Arc<str>,
    /// Line of the row in that file.
    pub line: usize,
}

impl Holding {
    /// Every day the holder may have been in office (loosest reading of partial dates).
    pub fn possible_tenure(&self) -> DayRange {
        DayRange::new(Some(self.from.earliest), self.to.map(|t| t.latest))
    }

    /// True when the office title matches and the organisation is the same or unstated.
    fn matches(&self, office: &Office) -> bool {
        self.office.title == office.title
            && match &office.org {
                None => true,
                Some(org) => {
                    self.office.org.as_ref() == Some(org) || self.country.as_ref() == Some(org)
                }
            }
    }
}

/// An anchor event ("the war") from which relative phrases ("its 23rd month") are dated.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The event's name.
    pub name: String,
    /// Specific names it is written as ("war in Gaza", "Israel-Hamas war").
    pub aliases: Vec<String>,
    /// Words that, present in an article, make a generic phrase ("the war", "the conflict")
    /// refer to this event.
    pub context: Vec<String>,
    /// When it began.
    pub start: KbDate,
    /// When it ended, if it has.
    pub end: Option<KbDate>,
    /// Where the dates come from.
    pub source: String,
    /// File the row was read from (shared by every row of the file).
    pub file: std::sync::Arc<str>,
    /// Line of the row in that file.
    pub line: usize,
}

/// Office holders and anchor events with dates.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    holdings: Vec<Holding>,
    events: Vec<Event>,
    /// Folded holder name or alias → indices into `holdings`.
    by_name: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Names and aliases of events that have ended (matched case-insensitively) and the
    /// event each belongs to, for dating by events spoken of as current.
    ended_event_names: Option<(aho_corasick::AhoCorasick, Vec<usize>)>,
}

/// The shipped starter file.
const STARTER: &str = include_str!("../data/starter.toml");

impl KnowledgeBase {
    /// The curated starter knowledge base shipped with corroborate.
    pub fn starter() -> Self {
        let (kb, _) = format::parse("starter.toml", STARTER);
        kb
    }

    /// Reads a knowledge-base file. Errors name the file and line of each malformed row; with
    /// `lenient` the valid rows load anyway and the errors come back as diagnostics. Warnings
    /// (overlapping tenures) are returned either way.
    pub fn load(path: &Path, lenient: bool) -> Result<(Self, Vec<KbDiagnostic>), KbError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| KbError::Io {
            path: name.clone(),
            source,
        })?;
        Self::from_toml(&name, &text, lenient)
    }

    /// Parses knowledge-base text as if read from `file` (see [`KnowledgeBase::load`]).
    pub fn from_toml(
        file: &str,
        text: &str,
        lenient: bool,
    ) -> Result<(Self, Vec<KbDiagnostic>), KbError> {
        let (kb, diagnostics) = format::parse(file, text);
        let syntax_error = kb.holdings.is_empty()
            && kb.events.is_empty()
            && diagnostics.iter().any(|d| d.severity == Severity::Error);
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if has_errors && (!lenient || syntax_error) {
            return Err(KbError::Invalid {
                diagnostics,
                lenient_would_load: !syntax_error,
            });
        }
        Ok((kb, diagnostics))
    }

    /// Adds `other`'s rows over this knowledge base: where `other` has rows for a person and
    /// office (or an event of the same name), they replace the rows here, so a user's file
    /// corrects the starter one.
    ///
    /// Costs in proportion to this knowledge base, not to `other`: `other`'s name index is
    /// kept (shifted past the rows kept here), so merging a 100,000-row file over the starter
    /// one does not index it a second time.
    pub fn merge(&mut self, other: KnowledgeBase) {
        let KnowledgeBase {
            holdings: their_rows,
            events: their_events,
            mut by_name,
            ended_event_names: _,
        } = other;
        let restated = |h: &Holding| {
            let holder = name_key(&h.holder);
            by_name.get(&holder).into_iter().flatten().any(|&i| {
                their_rows
                    .get(i)
                    .is_some_and(|t| t.office == h.office && name_key(&t.holder) == holder)
            })
        };
        let kept: Vec<Holding> = std::mem::take(&mut self.holdings)
            .into_iter()
            .filter(|h| !restated(h))
            .collect();
        let shift = kept.len();
        for rows in by_name.values_mut() {
            for i in rows.iter_mut() {
                *i += shift;
            }
        }
        std::mem::swap(&mut self.by_name, &mut by_name);
        self.holdings = kept;
        self.holdings.extend(their_rows);
        self.index_holdings(0..shift);
        let names: std::collections::HashSet<String> =
            their_events.iter().map(|e| name_key(&e.name)).collect();
        self.events.retain(|e| !names.contains(&name_key(&e.name)));
        self.events.extend(their_events);
        self.index_events();
    }

    /// Every office-holder row.
    pub fn holdings(&self) -> &[Holding] {
        &self.holdings
    }

    /// Every event.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The rows of people who may have held `office` on `date`.
    pub fn holders_on<'a>(
        &'a self,
        office: &'a Office,
        date: NaiveDate,
    ) -> impl Iterator<Item = &'a Holding> + 'a {
        let day = DayRange::new(Some(date), Some(date));
        self.holdings
            .iter()
            .filter(move |h| h.matches(office) && h.possible_tenure().intersect(&day).is_some())
    }

    /// The rows whose holder is written `name` (full name or alias, any case).
    pub fn rows_named(&self, name: &str) -> impl Iterator<Item = &Holding> + '_ {
        self.by_name
            .get(&name_key(name))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.holdings.get(i))
    }

    /// The canonical holder name and rows for a person written `names` (tried in order)
    /// holding `office`.
    pub fn person_office(
        &self,
        names: &[&str],
        office: &Office,
    ) -> Option<(String, Vec<&Holding>)> {
        for name in names {
            let rows: Vec<&Holding> = self
                .rows_named(name)
                .filter(|h| h.matches(office))
                .collect();
            if let Some(first) = rows.first() {
                let holder = name_key(&first.holder);
                let rows: Vec<&Holding> = rows
                    .into_iter()
                    .filter(|h| name_key(&h.holder) == holder)
                    .collect();
                let canonical = rows.first().map(|h| h.holder.clone()).unwrap_or_default();
                return Some((canonical, rows));
            }
        }
        None
    }

    /// Rebuilds every index from the rows.
    fn reindex(&mut self) {
        self.by_name.clear();
        self.index_holdings(0..self.holdings.len());
        self.index_events();
    }

    /// Adds the names of `rows` (indices into `holdings`) to the name indices, keeping each
    /// name's row list in ascending order whatever order rows are indexed in.
    fn index_holdings(&mut self, rows: std::ops::Range<usize>) {
        for i in rows {
            let Some(h) = self.holdings.get(i) else {
                continue;
            };
            for name in std::iter::once(&h.holder).chain(&h.aliases) {
                let folded = name_key(name);
                let entry = self.by_name.entry(folded).or_default();
                if let Err(at) = entry.binary_search(&i) {
                    entry.insert(at, i);
                }
            }
        }
    }

    /// Rebuilds the matcher of ended events' names.
    fn index_events(&mut self) {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (i, e) in self
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.end.is_some())
        {
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                patterns.push(name.clone());
                owners.push(i);
            }
        }
        self.ended_event_names = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty())
            .map(|m| (m, owners));
    }
}

/// Validates a knowledge-base file: malformed rows (bad dates, from after to, unknown or
/// missing fields) as errors and overlapping tenures of one office as warnings, each with
/// file and line. An unreadable file gives one error at line 0.
pub fn check(path: &Path) -> Vec<KbDiagnostic> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => format::parse(&name, &text).1,
        Err(e) => vec![KbDiagnostic {
            file: name,
            line: 0,
            severity: Severity::Error,
            message: e.to_string(),
        }],
    }
}

/// Lower-cases, straightens apostrophes, drops full stops and collapses whitespace: the form
/// of office titles and organisations the office vocabulary does not know ("DGSE"), so they
/// still compare equal with themselves. People's and events' names use nlp's [`name_key`].
fn fold_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '.' => {}
                '’' | '‘' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Normalises an organisation through the office vocabulary, falling back to its folded form
/// so agencies the vocabulary does not know ("DGSE") still compare equal with themselves.
pub(crate) fn normalise_org_name(org: &str) -> String {
    corroborate_claims::office::normalize_org(org).unwrap_or_else(|| fold_label(org))
}

/// Normalises a knowledge-base office through the shared office vocabulary; titles the
/// vocabulary does not know keep their folded form, so imported offices still compare.
pub(crate) fn normalise_office(title: &str, org: Option<&str>) -> Office {
    match corroborate_claims::office::normalize_office(title, org) {
        Some(mut office) => {
            if office.org.is_none() {
                office.org = org.map(normalise_org_name);
            }
            office
        }
        None => Office {
            title: fold_label(title),
            org: org.map(normalise_org_name),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(title: &str, org: &str) -> Office {
        Office {
            title: title.into(),
            org: Some(org.into()),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn holder_on(kb: &KnowledgeBase, o: &Office, on: &str) -> Vec<String> {
        kb.holders_on(o, day(on))
            .map(|h| h.holder.clone())
            .collect()
    }

    #[test]
    fn starter_parses_without_errors_or_overlaps() {
        let (kb, diags) = format::parse("starter.toml", STARTER);
        assert!(
            diags.is_empty(),
            "{}",
            diags
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(kb.holdings.len() > 150, "{}", kb.holdings.len());
        assert!(kb.events.len() >= 3);
    }

    #[test]
    fn starter_offices_compare_equal_with_claim_offices() {
        let kb = KnowledgeBase::starter();
        let cos = office("chief of staff", "israel");
        assert_eq!(holder_on(&kb, &cos, "2024-06-01"), ["Herzi Halevi"]);
        assert_eq!(holder_on(&kb, &cos, "2025-08-04"), ["Eyal Zamir"]);
        let dm = office("defense minister", "israel");
        assert_eq!(holder_on(&kb, &dm, "2024-06-01"), ["Yoav Gallant"]);
        assert_eq!(holder_on(&kb, &dm, "2025-09-16"), ["Israel Katz"]);
        let sos = office("secretary of state", "united states");
        assert_eq!(holder_on(&kb, &sos, "2024-06-01"), ["Antony Blinken"]);
        assert_eq!(holder_on(&kb, &sos, "2025-08-04"), ["Marco Rubio"]);
        let potus = office("president", "united states");
        assert_eq!(holder_on(&kb, &potus, "2024-06-01"), ["Joe Biden"]);
        assert_eq!(holder_on(&kb, &potus, "2025-08-04"), ["Donald Trump"]);
        assert_eq!(
            holder_on(&kb, &potus, "2025-01-20").len(),
            2,
            "hand-over day"
        );
        let mossad = Office {
            title: "intelligence chief".into(),
            org: Some("israel".into()),
        };
        assert_eq!(
            holder_on(&kb, &mossad, "2025-08-04")
                .first()
                .map(String::as_str),
            Some("David Barnea")
        );
        let sg = office("secretary-general", "united nations");
        assert_eq!(holder_on(&kb, &sg, "2025-08-04"), ["António Guterres"]);
    }

    #[test]
    fn every_required_country_has_head_defence_foreign_and_military_rows() {
        let kb = KnowledgeBase::starter();
        let countries = [
            "united states",
            "israel",
            "united kingdom",
            "france",
            "germany",
            "russia",
            "ukraine",
            "china",
            "qatar",
            "egypt",
            "saudi arabia",
            "iran",
        ];
        for c in countries {
            let titles: std::collections::BTreeSet<&str> = kb
                .holdings
                .iter()
                .filter(|h| h.office.org.as_deref() == Some(c) || h.country.as_deref() == Some(c))
                .map(|h| h.office.title.as_str())
                .collect();
            assert!(
                titles.contains("foreign minister") || titles.contains("secretary of state"),
                "{c}: {titles:?}"
            );
            assert!(titles.len() >= 3, "{c}: {titles:?}");
        }
    }

    #[test]
    fn user_rows_replace_starter_rows_for_the_same_person_and_office() {
        let mut kb = KnowledgeBase::starter();
        let before = kb.holdings.len();
        let user = r#"
[[holder]]
office = "defence minister"
org = "Israel"
holder = "Yoav Gallant"
from = "2022-12-29"
to = "2024-11-07"
source = "user correction"

[[holder]]
office = "mayor"
org = "Jerusalem"
holder = "Moshe Lion"
from = "2018-12-04"
source = "Wikipedia: Moshe Lion"
"#;
        let (other, diags) = KnowledgeBase::from_toml("user.toml", user, false).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        kb.merge(other);
        assert_eq!(kb.holdings.len(), before + 1);
        let gallant: Vec<&Holding> = kb.rows_named("yoav gallant").collect();
        assert_eq!(gallant.len(), 1);
        assert_eq!(gallant[0].source, "user correction");
        assert_eq!(kb.rows_named("Moshe Lion").count(), 1);
        // The merged indices (the user file's shifted, the kept rows added) equal a rebuild.
        let mut rebuilt = kb.clone();
        rebuilt.reindex();
        assert_eq!(kb.by_name, rebuilt.by_name);
    }

    #[test]
    fn strict_load_fails_on_a_bad_row_and_lenient_load_keeps_the_rest() {
        let text = "[[holder]]\noffice = \"president\"\norg = \"France\"\nholder = \"Emmanuel Macron\"\nfrom = \"2017-05-14\"\nsource = \"s\"\n\n[[holder]]\noffice = \"president\"\norg = \"France\"\nholder = \"X\"\nfrom = \"May 2017\"\nsource = \"s\"\n";
        let err = KnowledgeBase::from_toml("k.toml", text, false).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("k.toml:8: error: from: `May 2017` is not a date"),
            "{msg}"
        );
        assert!(msg.contains("--lenient"));
        let (kb, diags) = KnowledgeBase::from_toml("k.toml", text, true).unwrap();
        assert_eq!(kb.holdings.len(), 1);
        assert_eq!(diags.len(), 1);
        let syntax = KnowledgeBase::from_toml("k.toml", "[[holder]\n", true).unwrap_err();
        assert!(!syntax.to_string().contains("--lenient"), "{syntax}");
    }

    #[test]
    fn load_and_check_read_files_and_report_missing_ones() {
        let dir = std::env::temp_dir().join(format!("corroborate-kb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kb.toml");
        std::fs::write(&path, "[[holder]]\noffice = \"king\"\norg = \"United Kingdom\"\nholder = \"Charles III\"\nfrom = \"2022-09-08\"\nsource = \"s\"\nrank = 1\n").unwrap();
        let diags = check(&path);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].to_string().ends_with("kb.toml:1: error: holder row: unknown field `rank`, expected one of `office`, `org`, `country`, `holder`, `aliases`, `from`, `to`, `source`, `note`"), "{}", diags[0]);
        assert!(KnowledgeBase::load(&path, false).is_err());
        let missing = dir.join("missing.toml");
        assert!(matches!(
            KnowledgeBase::load(&missing, true),
            Err(KbError::Io { .. })
        ));
        assert_eq!(check(&missing)[0].line, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
