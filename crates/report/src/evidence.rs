//! Resolving evidence spans to the text they quote, and the labels reports print beside them.
//!
//! Spans come from other stages and may be wrong; a report must say so instead of crashing or
//! quoting the wrong characters, so every lookup here returns a [`SpanProblem`] on failure.

use corroborate_model::{Analysis, Article, MetadataOrigin, Provenance, Span};
use std::borrow::Cow;
use std::fmt;

/// Why an evidence span cannot be quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanProblem {
    /// The span names an article that is not in the analysis.
    UnknownArticle,
    /// The span ends before it starts.
    Reversed,
    /// The span reaches past the end of the article text (whose length in bytes is given).
    OutOfBounds {
        /// Length of the article text in bytes.
        text_len: usize,
    },
    /// A span boundary falls inside a multi-byte character.
    SplitsCharacter,
}

impl fmt::Display for SpanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpanProblem::UnknownArticle => f.write_str("no such article"),
            SpanProblem::Reversed => f.write_str("the span ends before it starts"),
            SpanProblem::OutOfBounds { text_len } => {
                write!(
                    f,
                    "the span lies outside the article text ({text_len} bytes)"
                )
            }
            SpanProblem::SplitsCharacter => f.write_str("the span splits a character"),
        }
    }
}

/// An evidence span of a claim group that cannot be quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidEvidence {
    /// Index of the group in [`Analysis::groups`].
    pub group: usize,
    /// Index of the span in the group's evidence.
    pub index: usize,
    /// The span.
    pub span: Span,
    /// What is wrong with it.
    pub problem: SpanProblem,
}

impl fmt::Display for InvalidEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "group {} evidence {}: article {} bytes {}..{}: {}",
            self.group, self.index, self.span.doc, self.span.start, self.span.end, self.problem
        )
    }
}

/// The article text a span quotes, or why it cannot be quoted.
pub fn evidence_text(analysis: &Analysis, span: Span) -> Result<&str, SpanProblem> {
    let article = analysis
        .articles
        .get(span.doc as usize)
        .ok_or(SpanProblem::UnknownArticle)?;
    let text = article.article.text.as_str();
    if span.end < span.start {
        return Err(SpanProblem::Reversed);
    }
    if span.end > text.len() {
        return Err(SpanProblem::OutOfBounds {
            text_len: text.len(),
        });
    }
    span.slice(text).ok_or(SpanProblem::SplitsCharacter)
}

/// Every evidence span of every group that cannot be quoted, in group order, so a caller can
/// warn about a faulty stage before showing a report.
pub fn invalid_evidence(analysis: &Analysis) -> Vec<InvalidEvidence> {
    let mut invalid = Vec::new();
    for (group_index, group) in analysis.groups.iter().enumerate() {
        for (index, span) in group.evidence.iter().enumerate() {
            if let Err(problem) = evidence_text(analysis, *span) {
                invalid.push(InvalidEvidence {
                    group: group_index,
                    index,
                    span: *span,
                    problem,
                });
            }
        }
    }
    invalid
}

/// The shortest name a reader recognises an article by: outlet, else title, else its file.
pub(crate) fn article_label(article: &Article) -> String {
    clean_inline(&article.label())
}

/// The label of the article a span points into.
pub(crate) fn doc_label(analysis: &Analysis, doc: u32) -> String {
    match analysis.articles.get(doc as usize) {
        Some(analyzed) => article_label(&analyzed.article),
        None => format!("unknown article {doc}"),
    }
}

/// How a publication date was found, in words.
pub(crate) fn origin_label(origin: MetadataOrigin) -> &'static str {
    match origin {
        MetadataOrigin::FrontMatter => "front matter",
        MetadataOrigin::Text => "date line",
        MetadataOrigin::MetaTag => "meta tag",
        MetadataOrigin::JsonLd => "JSON-LD",
        MetadataOrigin::TimeElement => "time element",
        MetadataOrigin::Url => "URL",
        MetadataOrigin::Container => "feed or record",
        MetadataOrigin::Heading => "heading",
    }
}

/// Most inputs a report names in its provenance line (a run can have thousands; the JSON
/// report lists them all).
const MAX_NAMED_INPUTS: usize = 5;

/// One line saying what produced a report: tool, version, time (UTC), inputs and knowledge
/// bases.
pub(crate) fn provenance_line(provenance: &Provenance) -> String {
    let mut inputs: Vec<String> = provenance
        .inputs
        .iter()
        .take(MAX_NAMED_INPUTS)
        .map(|i| clean_inline(i))
        .collect();
    if provenance.inputs.len() > MAX_NAMED_INPUTS {
        inputs.push(format!(
            "and {} more",
            provenance.inputs.len() - MAX_NAMED_INPUTS
        ));
    }
    let knowledge: Vec<String> = provenance
        .knowledge_bases
        .iter()
        .map(|k| clean_inline(k))
        .collect();
    format!(
        "Generated by {} {} on {} UTC from {}; knowledge bases: {}",
        clean_inline(&provenance.tool),
        clean_inline(&provenance.version),
        provenance.generated_at.format("%Y-%m-%d %H:%M:%S"),
        if inputs.is_empty() {
            "no inputs".to_owned()
        } else {
            inputs.join(", ")
        },
        if knowledge.is_empty() {
            "none".to_owned()
        } else {
            knowledge.join(", ")
        },
    )
}

/// Untrusted text made safe and compact for one line: runs of whitespace become one space, and
/// control and bidirectional-override characters (which could move the cursor, recolour the
/// terminal or reorder what a reader sees) are dropped.
pub(crate) fn clean_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if c.is_control() || is_bidi_control(c) {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// At most `max_chars` characters of `text`, cut at a word boundary when one is near and
/// ended with "…" when anything was cut.
pub(crate) fn truncate(text: &str, max_chars: usize) -> Cow<'_, str> {
    let Some((cut, _)) = text.char_indices().nth(max_chars.saturating_sub(1)) else {
        return Cow::Borrowed(text);
    };
    if text[cut..].chars().nth(1).is_none() {
        return Cow::Borrowed(text);
    }
    let head = &text[..cut];
    let head = match head.rfind(' ') {
        Some(space) if head[space..].chars().count() <= 20 => &head[..space],
        _ => head,
    };
    Cow::Owned(format!("{}…", head.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_inline_drops_escapes_and_collapses_whitespace() {
        assert_eq!(
            clean_inline("  “Red\u{1b}[31m alert”\n\tnow\u{202E}txt  "),
            "“Red[31m alert” nowtxt"
        );
    }

    #[test]
    fn truncate_keeps_short_text_and_cuts_long_text_on_char_boundaries() {
        assert_eq!(truncate("“short”", 7), "“short”");
        let long = "é".repeat(50);
        let cut = truncate(&long, 10);
        assert_eq!(cut, format!("{}…", "é".repeat(9)));
        assert_eq!(
            truncate("the quick brown fox jumps over the lazy dog", 24),
            "the quick brown fox…"
        );
    }
}
