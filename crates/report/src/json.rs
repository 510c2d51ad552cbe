//! The JSON report: [`Analysis`] as the model serialises it, plus conveniences (quoted evidence
//! text, per-article profiles, a summary). Documented field by field in `SCHEMA.md`.
//!
//! The view only adds keys to the model's own serialisation, so a report still deserialises
//! into [`Analysis`] (serde ignores the extra keys). Every collection is a `Vec` or a struct,
//! so key and item order never depend on hash order.

use crate::JsonLayout;
use crate::evidence::evidence_text;
use crate::profile::{FramingProfile, SourcingProfile};
use corroborate_model::{
    Analysis, AnalyzedArticle, ClaimGroup, ClaimRef, DocId, InputError, Provenance, QuoteDiff,
    SCHEMA_VERSION, Story, Topic, Verdict,
};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Serialize)]
struct Report<'a> {
    schema_version: &'static str,
    summary: Summary,
    articles: Vec<ArticleView<'a>>,
    stories: &'a [Story],
    groups: Vec<GroupView<'a>>,
    errors: &'a [InputError],
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'a Provenance>,
}

#[derive(Serialize)]
struct Summary {
    articles: usize,
    stories: usize,
    groups: usize,
    errors: usize,
    invalid_evidence: usize,
    verdicts: VerdictCounts,
}

/// Group counts for every verdict, keyed by its JSON name, most important first.
struct VerdictCounts([usize; Verdict::ALL.len()]);

impl Serialize for VerdictCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (verdict, count) in Verdict::ALL.iter().zip(self.0) {
            map.serialize_entry(verdict, &count)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    analyzed: &'a AnalyzedArticle,
    sourcing: SourcingProfile,
    framing: FramingProfile,
}

#[derive(Serialize)]
struct GroupView<'a> {
    topic: &'a Topic,
    verdict: Verdict,
    explanation: &'a str,
    claims: &'a [ClaimRef],
    evidence: Vec<EvidenceView<'a>>,
    diffs: &'a [QuoteDiff],
    independent_sources: usize,
    story: Option<usize>,
    confidence: f32,
}

#[derive(Serialize)]
struct EvidenceView<'a> {
    doc: DocId,
    start: usize,
    end: usize,
    /// `None` (JSON `null`) when the span cannot be quoted.
    text: Option<&'a str>,
}

fn group_view<'a>(analysis: &'a Analysis, group: &'a ClaimGroup) -> GroupView<'a> {
    GroupView {
        topic: &group.topic,
        verdict: group.verdict,
        explanation: &group.explanation,
        claims: &group.claims,
        evidence: group
            .evidence
            .iter()
            .map(|span| EvidenceView {
                doc: span.doc,
                start: span.start,
                end: span.end,
                text: evidence_text(analysis, *span).ok(),
            })
            .collect(),
        diffs: &group.diffs,
        independent_sources: group.independent_sources,
        story: group.story,
        confidence: group.confidence,
    }
}

pub(crate) fn render(analysis: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes valid UTF-8.
    let _ = write(analysis, &mut out, JsonLayout::Pretty);
    String::from_utf8(out).unwrap_or_default()
}

fn summary(analysis: &Analysis, groups: &[GroupView]) -> Summary {
    let invalid_evidence = groups
        .iter()
        .flat_map(|g| &g.evidence)
        .filter(|e| e.text.is_none())
        .count();
    let mut verdicts = [0; Verdict::ALL.len()];
    for group in &analysis.groups {
        if let Some(slot) = Verdict::ALL.iter().position(|v| *v == group.verdict) {
            verdicts[slot] += 1;
        }
    }
    Summary {
        articles: analysis.articles.len(),
        stories: analysis.stories.len(),
        groups: analysis.groups.len(),
        errors: analysis.errors.len(),
        invalid_evidence,
        verdicts: VerdictCounts(verdicts),
    }
}

fn article_view(analyzed: &AnalyzedArticle) -> ArticleView<'_> {
    ArticleView {
        analyzed,
        sourcing: SourcingProfile::of(analyzed),
        framing: FramingProfile::of(analyzed),
    }
}

/// Streams the report to `out` without building it as one string first (a report of 10,000
/// articles is hundreds of megabytes).
pub(crate) fn write(
    analysis: &Analysis,
    out: impl std::io::Write,
    layout: JsonLayout,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let groups: Vec<GroupView> = analysis
        .groups
        .iter()
        .map(|g| group_view(analysis, g))
        .collect();
    let report = Report {
        schema_version: SCHEMA_VERSION,
        summary: summary(analysis, &groups),
        articles: analysis.articles.iter().map(article_view).collect(),
        stories: &analysis.stories,
        groups,
        errors: &analysis.errors,
        provenance: analysis.provenance.as_ref(),
    };
    // serde_json makes many small writes (a key, a colon, an indent). Through a buffer of a
    // concrete type they are inlined copies; straight into `out`, often a `dyn Write`, each
    // is a call.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    // Serialising these types cannot fail: every map key is a string and non-finite floats
    // are written as `null` (by the model or by serde_json itself); only `out` can.
    match layout {
        JsonLayout::Pretty => serde_json::to_writer_pretty(&mut buffered, &report),
        JsonLayout::Compact => serde_json::to_writer(&mut buffered, &report),
    }
    .map_err(into_io)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// A serde_json error as the I/O error it wraps (so a caller can tell a closed pipe), else as
/// an opaque one.
pub(crate) fn into_io(error: serde_json::Error) -> std::io::Error {
    match error.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, error),
        None => std::io::Error::other(error),
    }
}

/// One line of a JSON Lines stream: what the object is, then its fields.
#[derive(Serialize)]
pub(crate) struct Line<T> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Position of a group in the stream of groups (articles and stories carry their own ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    #[serde(flatten)]
    pub item: T,
}

/// Writes one object and a line break.
pub(crate) fn write_line<T: Serialize>(
    out: &mut impl std::io::Write,
    kind: &'static str,
    id: Option<usize>,
    item: T,
) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { kind, id, item }).map_err(into_io)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct RunView<'a> {
    schema_version: &'static str,
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'a Provenance>,
}

/// The report as JSON Lines: a `run` object (schema version, summary, provenance), then one
/// object per article, story, group and input error, each with its `type`.
pub(crate) fn write_lines(analysis: &Analysis, out: impl std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let groups: Vec<GroupView> = analysis
        .groups
        .iter()
        .map(|g| group_view(analysis, g))
        .collect();
    let run = RunView {
        schema_version: SCHEMA_VERSION,
        summary: summary(analysis, &groups),
        provenance: analysis.provenance.as_ref(),
    };
    write_line(&mut out, "run", None, run)?;
    for analyzed in &analysis.articles {
        write_line(&mut out, "article", None, article_view(analyzed))?;
    }
    for story in &analysis.stories {
        write_line(&mut out, "story", None, story)?;
    }
    for (index, group) in groups.iter().enumerate() {
        write_line(&mut out, "group", Some(index), group)?;
    }
    for error in &analysis.errors {
        write_line(&mut out, "error", None, error)?;
    }
    out.flush()
}
