//! The JSON report: [`Analysis`] as the model serialises it, plus conveniences (quoted evidence
//! text, per-article profiles, a summary). Documented field by field in `SCHEMA.md`.
//!
//! The view only adds keys to the model's own serialisation, so a report still deserialises
//! into [`Analysis`] (serde ignores the extra keys). Every collection is a `Vec` or a struct,
//! so key and item order never depend on hash order.

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
    }
}

pub(crate) fn render(analysis: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes valid UTF-8.
    let _ = write(analysis, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Streams the report to `out` without building it as one string first (a report of 10,000
/// articles is hundreds of megabytes).
pub(crate) fn write(analysis: &Analysis, out: impl std::io::Write) -> std::io::Result<()> {
    use std::io::Write as _;
    let groups: Vec<GroupView> = analysis
        .groups
        .iter()
        .map(|g| group_view(analysis, g))
        .collect();
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
    let report = Report {
        schema_version: SCHEMA_VERSION,
        summary: Summary {
            articles: analysis.articles.len(),
            stories: analysis.stories.len(),
            groups: analysis.groups.len(),
            errors: analysis.errors.len(),
            invalid_evidence,
            verdicts: VerdictCounts(verdicts),
        },
        articles: analysis
            .articles
            .iter()
            .map(|analyzed| ArticleView {
                analyzed,
                sourcing: SourcingProfile::of(analyzed),
                framing: FramingProfile::of(analyzed),
            })
            .collect(),
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
    serde_json::to_writer_pretty(&mut buffered, &report).map_err(std::io::Error::other)?;
    buffered.flush()
}
