//! Single-source facts: what only one independent source of a story reports.
//!
//! Run after the other aligners of a story, on what they left alone. A fact-checker reads these
//! to see what rests on one outlet's word, so each is kept to something checkable:
//!
//! - a **quote** of at least [`MIN_QUOTE_WORDS`] words that no other source prints in any
//!   version (one group per quote, with its speaker);
//! - a stated **figure** — a sum of money, a percentage, or a count of ten or more — that no
//!   other source gives with an overlapping value in the same unit;
//! - a **named person or organisation** that no other source names (the surname for people, so
//!   "Eric Holder" and "Eric H. Holder Jr." are one), with the sentence that first names it.
//!
//! Groups come quotes first, then figures, then names: a quotation only one outlet has is the
//! most checkable claim, a name the least specific. Near-duplicate copies count as one source.
//! Cost: linear in the claims and mentions of the story (figures after a sort by value).

use crate::confidence;
use crate::context::{StoryContext, person_key, shorten};
use crate::quantity::is_checkable;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, DocId, EntityKind, Precision, Quantity, QuantityUnit, Span,
    Speaker, TextRange, Topic, Verdict,
};
use std::collections::{HashMap, HashSet};

/// Shorter quotations are phrases ("very unfair"), not statements worth checking alone.
const MIN_QUOTE_WORDS: usize = 6;
/// Longest quote text shown in an explanation.
const MAX_QUOTE_CHARS: usize = 80;

/// Appends single-source groups for the claims and names of one story that no group in
/// `covered` compares.
pub(crate) fn align(
    ctx: &StoryContext<'_>,
    covered: &HashSet<ClaimRef>,
    out: &mut Vec<ClaimGroup>,
) {
    if ctx.story_sources() < 2 {
        return;
    }
    quotes(ctx, covered, out);
    figures(ctx, covered, out);
    names(ctx, out);
}

fn quotes(ctx: &StoryContext<'_>, covered: &HashSet<ClaimRef>, out: &mut Vec<ClaimGroup>) {
    for (r, claim) in ctx.claims() {
        let ClaimKind::Quote(quote) = &claim.kind else {
            continue;
        };
        if covered.contains(&r) || !ctx.is_valid(quote.content, r.doc) {
            continue;
        }
        let text = ctx.written(quote.content);
        if text.split_whitespace().count() < MIN_QUOTE_WORDS {
            continue;
        }
        let (speaker, speaker_span) = match &quote.speaker {
            Some(Speaker::Entity { entity, span }) => (
                ctx.article(r.doc)
                    .and_then(|a| a.entities.get(*entity))
                    .map(|e| e.canonical.trim().to_string()),
                Some(*span),
            ),
            Some(Speaker::Document { description, span })
            | Some(Speaker::Description { description, span }) => {
                (Some(description.clone()), Some(*span))
            }
            None => (None, None),
        };
        let who = speaker
            .as_deref()
            .map(|s| format!(" {s} as saying"))
            .unwrap_or_default();
        let mut evidence = vec![quote.content];
        evidence.extend(speaker_span.filter(|s| ctx.is_valid(*s, r.doc) && *s != quote.content));
        out.push(ClaimGroup {
            topic: Topic::Quote { speaker },
            verdict: Verdict::SingleSource,
            explanation: format!(
                "only {} quotes{who} “{}”",
                ctx.outlets(&[r]),
                shorten(&text, MAX_QUOTE_CHARS)
            ),
            claims: vec![r],
            evidence,
            diffs: Vec::new(),
            independent_sources: 1,
            story: Some(ctx.story.id),
            confidence: confidence::FINDING,
        });
    }
}

fn figures(ctx: &StoryContext<'_>, covered: &HashSet<ClaimRef>, out: &mut Vec<ClaimGroup>) {
    let figures: Vec<(ClaimRef, Span, &Quantity)> = ctx
        .claims()
        .filter_map(|(r, c)| match &c.kind {
            ClaimKind::Quantity(q) if ctx.is_valid(q.number, r.doc) => Some((r, c.evidence, q)),
            _ => None,
        })
        .collect();
    let given_elsewhere = given_elsewhere(ctx, &figures);
    for &(r, sentence, q) in &figures {
        if covered.contains(&r) || q.precision == Precision::Vague || !is_checkable(q) {
            continue;
        }
        if given_elsewhere.contains(&r) {
            continue;
        }
        let counted = q
            .counted
            .as_ref()
            .map(|c| format!(" {}", ctx.written(c.span)))
            .unwrap_or_default();
        let mut evidence = vec![q.number];
        if ctx.is_valid(sentence, r.doc) && sentence != q.number {
            evidence.push(sentence);
        }
        out.push(ClaimGroup {
            topic: Topic::Quantity {
                counted: q
                    .counted
                    .as_ref()
                    .map(|c| c.head.clone())
                    .unwrap_or_default(),
                unit: q.unit.clone(),
            },
            verdict: Verdict::SingleSource,
            explanation: format!(
                "only {} gives the figure {}{counted}",
                ctx.outlets(&[r]),
                ctx.written(q.number)
            ),
            claims: vec![r],
            evidence,
            diffs: Vec::new(),
            independent_sources: 1,
            story: Some(ctx.story.id),
            confidence: confidence::FINDING,
        });
    }
}

/// The figures another independent source gives a compatible value for (same unit,
/// overlapping values). Per unit, figures are sorted by their low end with a running record
/// of the two highest high ends from different sources, so each figure is one binary search:
/// linear after the sort, however many figures a story has.
fn given_elsewhere(
    ctx: &StoryContext<'_>,
    figures: &[(ClaimRef, Span, &Quantity)],
) -> HashSet<ClaimRef> {
    let mut by_unit: HashMap<&QuantityUnit, Vec<(f64, f64, DocId)>> = HashMap::new();
    for (r, _, q) in figures {
        by_unit
            .entry(&q.unit)
            .or_default()
            .push((q.value.low, q.value.high, ctx.source_of(r.doc)));
    }
    // Per unit: sorted lows, and after each prefix the best high end and the best high end
    // of another source.
    type Best = ((f64, DocId), Option<(f64, DocId)>);
    let mut index: HashMap<&QuantityUnit, (Vec<f64>, Vec<Best>)> = HashMap::new();
    for (unit, mut values) in by_unit {
        values.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut lows = Vec::with_capacity(values.len());
        let mut bests: Vec<Best> = Vec::with_capacity(values.len());
        for &(low, high, source) in &values {
            let next = match bests.last().copied() {
                None => ((high, source), None),
                Some((first, second)) => {
                    let mut candidates = vec![first, (high, source)];
                    candidates.extend(second);
                    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
                    let top = candidates[0];
                    let other = candidates.iter().copied().find(|c| c.1 != top.1);
                    (top, other)
                }
            };
            lows.push(low);
            bests.push(next);
        }
        index.insert(unit, (lows, bests));
    }
    let mut out = HashSet::new();
    for (r, _, q) in figures {
        let Some((lows, bests)) = index.get(&q.unit) else {
            continue;
        };
        let upto = lows.partition_point(|&low| low <= q.value.high);
        let Some(&(first, second)) = upto.checked_sub(1).and_then(|i| bests.get(i)) else {
            continue;
        };
        let source = ctx.source_of(r.doc);
        let high = if first.1 != source {
            Some(first.0)
        } else {
            second.map(|s| s.0)
        };
        if high.is_some_and(|h| h >= q.value.low) {
            out.insert(*r);
        }
    }
    out
}

/// The key under which a person or organisation is compared across articles.
fn name_key(kind: EntityKind, canonical: &str) -> Option<String> {
    let key = match kind {
        EntityKind::Person => person_key(canonical),
        EntityKind::Organization => canonical.trim().to_lowercase(),
        _ => return None,
    };
    (!key.is_empty()).then_some(key)
}

fn names(ctx: &StoryContext<'_>, out: &mut Vec<ClaimGroup>) {
    // Which independent sources name each key.
    let mut sources_by_key: HashMap<String, HashSet<DocId>> = HashMap::new();
    for &doc in ctx.docs() {
        let Some(a) = ctx.article(doc) else { continue };
        for e in &a.entities {
            if let Some(key) = name_key(e.kind, &e.canonical) {
                sources_by_key
                    .entry(key)
                    .or_default()
                    .insert(ctx.source_of(doc));
            }
        }
    }
    let outlets: HashSet<String> = ctx
        .docs()
        .iter()
        .map(|&d| ctx.label(d).to_lowercase())
        .collect();
    let mut reported: HashSet<(DocId, String)> = HashSet::new();
    for &doc in ctx.docs() {
        let Some(a) = ctx.article(doc) else { continue };
        for m in &a.mentions {
            let Some(e) = a.entities.get(m.entity) else {
                continue;
            };
            let Some(key) = name_key(e.kind, &e.canonical) else {
                continue;
            };
            let single = sources_by_key.get(&key).is_some_and(|s| s.len() == 1);
            if !single
                || outlets.contains(&e.canonical.trim().to_lowercase())
                || !ctx.is_valid(m.span, doc)
                || !reported.insert((ctx.source_of(doc), key))
            {
                continue;
            }
            // Sentences are in text order: the one holding the mention is found by bisection.
            let at = a.sentences.partition_point(|s| s.end < m.span.end);
            let sentence = a
                .sentences
                .get(at)
                .filter(|s| s.start <= m.span.start && m.span.end <= s.end)
                .copied()
                .unwrap_or(TextRange::new(m.span.start, m.span.end));
            let sentence = Span::new(doc, sentence);
            let claims: Vec<ClaimRef> = a
                .claims
                .iter()
                .enumerate()
                .filter(|(_, c)| c.evidence.start <= m.span.start && m.span.end <= c.evidence.end)
                .map(|(claim, _)| ClaimRef { doc, claim })
                .collect();
            let mut evidence = vec![m.span];
            if sentence != m.span {
                evidence.push(sentence);
            }
            out.push(ClaimGroup {
                topic: Topic::Named {
                    name: e.canonical.trim().to_string(),
                },
                verdict: Verdict::SingleSource,
                explanation: format!("only {} names {}", ctx.label(doc), e.canonical.trim()),
                claims,
                evidence,
                diffs: Vec::new(),
                independent_sources: 1,
                story: Some(ctx.story.id),
                confidence: confidence::FINDING,
            });
        }
    }
}
