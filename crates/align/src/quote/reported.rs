//! Quotes of an outlet's own report, checked against that report when the story has it:
//! "The New York Times reported the charges “will include mail fraud and wire fraud and focus
//! on …”" against the Times article's "were expected to include mail fraud and wire fraud, and
//! to focus largely on …". The words in quotation marks should be the report's words.
//!
//! A quote whose speaker is named like the outlet of another article of the story is compared,
//! as quotes are compared with each other, with the passage of one or two sentences of that
//! article that shares most word pairs with it, unless that passage is itself a quotation
//! (then both outlets quote someone, and the quotes meet as quotes). Cost: the sentences of the
//! reported outlet's articles, for the few quotes attributed to an outlet.

use super::{
    Item, LinkKind, MIN_OVERLAP_WORDS, Words, changes, is_real_change, quoted, relate, segments,
};
use crate::AlignOptions;
use crate::confidence;
use crate::context::StoryContext;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, DiffSegment, DocId, Quote, Span, TextRange, Topic, Verdict,
};
use similar::DiffOp;
use std::collections::HashSet;

/// Sentences a passage may join: a quoted report rarely runs over more than two.
const MAX_PASSAGE_SENTENCES: usize = 2;

/// Appends a group for each quote of an outlet's report that the story's article from that
/// outlet words the same (verbatim) or otherwise (altered).
pub(super) fn align(
    ctx: &StoryContext<'_>,
    items: &[Item<'_>],
    options: &AlignOptions,
    out: &mut Vec<ClaimGroup>,
) {
    for item in items {
        if item.compressed || item.words.len() < MIN_OVERLAP_WORDS {
            continue;
        }
        let Some(label) = &item.speaker_label else {
            continue;
        };
        let outlet = outlet_key(label);
        let reported: Vec<DocId> = ctx
            .docs()
            .iter()
            .copied()
            .filter(|&d| d != item.r.doc && ctx.source_of(d) != ctx.source_of(item.r.doc))
            .filter(|&d| {
                ctx.article(d)
                    .and_then(|a| a.article.outlet.as_deref())
                    .is_some_and(|o| outlet_key(o) == outlet)
            })
            .collect();
        let best = reported
            .into_iter()
            .filter_map(|d| best_passage(ctx, d, &item.words))
            .max_by_key(|(_, _, score)| *score);
        let Some((doc, passage, _)) = best else {
            continue;
        };
        if let Some(group) = compare_with_report(ctx, item, label, doc, passage, options) {
            out.push(group);
        }
    }
}

/// An outlet's name as compared: lower case, without a leading "the".
fn outlet_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    lower.strip_prefix("the ").unwrap_or(&lower).to_string()
}

/// The passage of article `doc` (one sentence, or two in a row) sharing most word pairs with
/// `words`, with that count; `None` when it shares fewer than a clause's worth, or when it
/// is a quotation of that article.
fn best_passage(
    ctx: &StoryContext<'_>,
    doc: DocId,
    words: &[String],
) -> Option<(DocId, TextRange, usize)> {
    let article = ctx.article(doc)?;
    let pairs: HashSet<(&str, &str)> = words
        .windows(2)
        .map(|w| (w[0].as_str(), w[1].as_str()))
        .collect();
    let sentences = &article.sentences;
    let mut best: Option<(TextRange, usize)> = None;
    for (i, first) in sentences.iter().enumerate() {
        for last in sentences.iter().skip(i).take(MAX_PASSAGE_SENTENCES) {
            let range = TextRange::new(first.start, last.end);
            let Some(text) = article.article.text.get(range.start..range.end) else {
                continue;
            };
            let normal = Words::of(text).normal;
            let shared = normal
                .windows(2)
                .filter(|w| pairs.contains(&(w[0].as_str(), w[1].as_str())))
                .count();
            // The shorter passage wins a tie: a second sentence that adds nothing is not part
            // of what was quoted.
            if best.is_none_or(|(_, s)| shared > s) {
                best = Some((range, shared));
            }
        }
    }
    let (range, shared) = best?;
    let quoted_there = article.claims.iter().any(|c| match &c.kind {
        ClaimKind::Quote(q) => q.content.start < range.end && range.start < q.content.end,
        _ => false,
    });
    (shared + 1 >= MIN_OVERLAP_WORDS && !quoted_there).then_some((doc, range, shared))
}

/// The group for a quote of `label`'s report against the passage of the report, when the
/// two are one text.
fn compare_with_report(
    ctx: &StoryContext<'_>,
    item: &Item<'_>,
    label: &str,
    doc: DocId,
    passage: TextRange,
    options: &AlignOptions,
) -> Option<ClaimGroup> {
    let text = ctx
        .article(doc)?
        .article
        .text
        .get(passage.start..passage.end)?;
    let span = Span::new(doc, passage);
    // The report's passage is no claim of its article: it stands in as an unattributed
    // version of the quote so that it is compared exactly as quotes are.
    let stand_in = Quote {
        content: span,
        speaker: None,
        cue: None,
        marked_paraphrase: false,
    };
    let words = Words::of(text);
    let report = Item {
        r: item.r,
        quote: &stand_in,
        words: words.normal,
        surface: words.surface,
        gaps: words.gaps,
        elisions: words.elisions,
        editorial: words.editorial,
        compressed: false,
        speaker: None,
        speaker_label: None,
    };
    let (kind, ops) = relate(item, &report, options)?;
    // Unlike another outlet's excerpt, a report holds every quoted word: a quoted word it
    // lacks is a change even at the quote's edge ("will include" / "were expected to
    // include"). The report's own words before and after the quoted passage are not.
    let quote_side: Vec<usize> = (0..ops.len())
        .filter(|&i| !ops[i].old_range().is_empty())
        .collect();
    let (&first, &last) = (quote_side.first()?, quote_side.last()?);
    let inside: Vec<DiffSegment> = edge_trimmed(&ops[first..=last], &item.surface, &report.surface);
    let missing = ops[first..=last].iter().any(|op| {
        !matches!(op, DiffOp::Equal { .. })
            && !op.old_range().is_empty()
            && is_real_change(op, false, false, item, &report)
    });
    let quoting = ctx.outlets(&[item.r]);
    let head = format!("{} ({label}) in {quoting}", quoted(&item.surface));
    let (verdict, explanation, confidence) = match kind {
        LinkKind::Identical | LinkKind::SubSpan if !missing => (
            Verdict::QuoteVerbatim,
            format!("{head}: word for word in {label}'s own article"),
            confidence::FINDING,
        ),
        _ => (
            Verdict::QuoteAltered,
            format!(
                "{head}; {label}'s own article words it otherwise: {}",
                changes(&inside).join(", ")
            ),
            confidence::altered_quote([inside.as_slice()]),
        ),
    };
    let claims: Vec<ClaimRef> = vec![item.r];
    Some(ClaimGroup {
        topic: Topic::Quote {
            speaker: Some(label.to_string()),
        },
        verdict,
        explanation,
        independent_sources: ctx.independent_sources([item.r.doc, doc]),
        claims,
        evidence: vec![item.quote.content, span],
        diffs: Vec::new(),
        story: Some(ctx.story.id),
        confidence,
    })
}

/// Diff segments of `ops`, which start and end on quoted words, with the report's words in a
/// replacement at either end cut to those next to the quote: "will" → "were expected to",
/// not → "The charges against Mr. Grimm, … were expected to".
fn edge_trimmed(ops: &[DiffOp], quote: &[String], report: &[String]) -> Vec<DiffSegment> {
    let mut all = segments(ops, quote, report);
    let near = |text: &str, keep: usize, from_end: bool| -> String {
        let words: Vec<&str> = text.split_whitespace().collect();
        let kept = if from_end {
            &words[words.len().saturating_sub(keep)..]
        } else {
            &words[..keep.min(words.len())]
        };
        kept.join(" ")
    };
    let width = |text: &str| text.split_whitespace().count() + 2;
    if let [DiffSegment::Delete(old), DiffSegment::Insert(new), ..] = all.as_mut_slice() {
        *new = near(new, width(old), true);
    }
    if let [.., DiffSegment::Delete(old), DiffSegment::Insert(new)] = all.as_mut_slice() {
        *new = near(new, width(old), false);
    }
    all
}
