//! Reports over an [`Analysis`]: a terminal summary, a JSON document with a versioned schema,
//! and a self-contained HTML page.
//!
//! All three read the same [`Analysis`] and quote evidence through its spans, never from
//! copies:
//!
//! - [`text`] groups claim groups by [`Verdict`] (most important first), quotes each evidence
//!   span under the name of its outlet, shows quote diffs as word diffs, then profiles each
//!   article ([`SourcingProfile`], [`FramingProfile`], dates) and lists input errors.
//! - [`json`] serialises the whole analysis plus conveniences (the quoted text of every
//!   evidence span, per-article profiles, a summary); `SCHEMA.md` documents it field by field
//!   and [`JSON_SCHEMA`] validates it.
//! - [`html`] is an index of stories, most disputed first, then per story a table of outlets
//!   against the disputed facts, the groups with their evidence in its sentence, and the
//!   articles side by side with evidence highlighted and linked both ways.
//!
//! Spans from other stages may be wrong: [`evidence_text`] resolves one or says why it cannot
//! ([`SpanProblem`]), and every report shows an invalid span as invalid instead of failing.
//!
//! ```
//! use corroborate_model::*;
//! let text = "Officials said 550 people signed.";
//! let article = Article {
//!     id: 0, source: SourceRef::file("a.txt"), url: None, outlet: Some("The Courier".into()),
//!     title: None, byline: None, published: None, language: None,
//!     text: text.into(), body_start: 0,
//! };
//! let analysis = Analysis {
//!     schema_version: SCHEMA_VERSION.into(),
//!     articles: vec![AnalyzedArticle::new(article)],
//!     stories: vec![],
//!     groups: vec![ClaimGroup {
//!         topic: Topic::Quantity { counted: "signatory".into(), unit: QuantityUnit::Count },
//!         verdict: Verdict::SingleSource,
//!         explanation: "Only The Courier gives a figure.".into(),
//!         claims: vec![],
//!         evidence: vec![Span::new(0, TextRange::new(15, 25))],
//!         diffs: vec![],
//!         independent_sources: 1,
//!         story: None,
//!         confidence: 1.0,
//!     }],
//!     errors: vec![],
//!     provenance: None,
//! };
//! let summary = corroborate_report::text(&analysis, &Default::default());
//! assert!(summary.contains("[The Courier] “550 people”"));
//! assert!(corroborate_report::html(&analysis, &Default::default()).contains(r##"href="#span-0-0""##));
//! ```

mod evidence;
mod extracted;
mod html;
mod json;
mod profile;
mod stories;
mod text;

pub use evidence::{InvalidEvidence, SpanProblem, evidence_text, invalid_evidence};
pub use extracted::{extracted_json, extracted_text};
pub use html::HtmlOptions;
pub use profile::{FramingProfile, FramingTerm, SourcingProfile};

use corroborate_model::Analysis;

/// The JSON Schema (draft 2020-12) of the [`json`] report, for `--print-schema` style options
/// and for consumers that validate what they read.
pub const JSON_SCHEMA: &str = include_str!("../schema/report-v1.schema.json");

/// Terminal report settings.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Show every group, also alarms below [`corroborate_model::MIN_SHOWN_CONFIDENCE`].
    pub all: bool,
}

/// The terminal summary, grouped by verdict, most important first.
pub fn text(analysis: &Analysis, options: &TextOptions) -> String {
    text::render(analysis, options)
}

/// The JSON report (schema documented in `crates/report/SCHEMA.md`).
pub fn json(analysis: &Analysis) -> String {
    json::render(analysis)
}

/// How a JSON report is laid out: indented for people, or on one line for programs (half the
/// size of a large report is indentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum JsonLayout {
    /// Indented, one key per line.
    #[default]
    Pretty,
    /// No white space.
    Compact,
}

/// The JSON report written straight to `out` (with [`JsonLayout::Pretty`], the same bytes as
/// [`json`]), without holding it in memory.
pub fn write_json(
    analysis: &Analysis,
    out: impl std::io::Write,
    layout: JsonLayout,
) -> std::io::Result<()> {
    json::write(analysis, out, layout)
}

/// The report as JSON Lines, for `jq` and database loaders: a `run` object (schema version,
/// summary, provenance), then one object per article, story, group and input error, each with
/// a `type` field (`article`, `story`, `group`, `error`) and the fields of the JSON report.
pub fn write_jsonl(analysis: &Analysis, out: impl std::io::Write) -> std::io::Result<()> {
    json::write_lines(analysis, out)
}

/// The stories and near-duplicate pairs of a run as text (the `cluster` command).
pub fn stories_text(analysis: &Analysis) -> String {
    stories::text(analysis)
}

/// The stories and near-duplicate pairs as one JSON object: `articles` (id, source, outlet,
/// title, published), `stories`, `errors`, `provenance`.
pub fn write_stories_json(
    analysis: &Analysis,
    out: impl std::io::Write,
    layout: JsonLayout,
) -> std::io::Result<()> {
    stories::write_json(analysis, out, layout)
}

/// The stories as JSON Lines: a `run` object, then `article`, `story` and `error` objects.
pub fn write_stories_jsonl(analysis: &Analysis, out: impl std::io::Write) -> std::io::Result<()> {
    stories::write_lines(analysis, out)
}

/// The self-contained HTML report.
pub fn html(analysis: &Analysis, options: &HtmlOptions) -> String {
    html::render(analysis, options)
}
