//! Copies that change facts: a near-duplicate of another article that gives a different
//! figure, name or quoted word in a passage the two otherwise share.
//!
//! Near-copies count as one independent source, so the other aligners never compare a copy
//! with its source; yet what a copy changed is the finding a reader most needs. For each
//! near-duplicate pair of a story, every shared passage worded differently is diffed word by
//! word (Myers, the `similar` crate), the words being the words and numbers of the articles'
//! token layers (`nlp`; punctuation is no word). A replaced stretch of a few words, with words
//! in common on either side, is a [`Verdict::CopyAltered`] group when it is
//!
//! - a **figure**: the quantity claims there read as intervals that do not overlap ("more
//!   than 200" and "90"; "1,200" and "about 1,200" agree), or, without claims, different digits;
//! - **quoted words**: inside a quotation in both articles;
//! - a **name**: capitalised words on both sides, not opening the sentence, not a day or month.
//!
//! Rewording (synonyms, reordered clauses) is none of these and stays silent. The source is the
//! pair's likely source (wire by-line, earlier date, or the text containing the other); when
//! it cannot be told the group says so. Single-source groups of the changed claims are
//! dropped: one source that gives two values is an altered copy, not a single-source fact.
//! Each change is reported once however many copy pairs show it.

use crate::confidence;
use crate::context::{StoryContext, shorten};
use crate::{AlignOptions, quantity};
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, CopyChangeKind, DocId, NearDuplicate, Span, TextRange, Topic,
    Verdict,
};
use corroborate_model::{Token, TokenKind};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::borrow::Cow;
use std::collections::HashSet;

/// Most words on either side of a change: longer stretches are rewriting, not an edit of a fact.
const MAX_CHANGED_WORDS: usize = 4;
/// Words in common a passage pair needs around a change (the evidence that it is one passage).
const MIN_SHARED_WORDS: usize = 4;
/// Longest value shown in an explanation.
const MAX_VALUE_CHARS: usize = 60;

/// Appends a group for every fact a near-copy of the story changes, and drops the
/// single-source groups (from `first` on, this story's) that such a change explains.
pub(crate) fn align(
    ctx: &StoryContext<'_>,
    options: &AlignOptions,
    first: usize,
    out: &mut Vec<ClaimGroup>,
) {
    let mut reported: HashSet<Span> = HashSet::new();
    let mut found = Vec::new();
    for pair in &ctx.story.near_duplicates {
        let Some((source, copy, known)) = direction(ctx, pair) else {
            continue;
        };
        let (layer_source, layer_copy) = (layer(ctx, source), layer(ctx, copy));
        for &(in_a, in_b) in &pair.shared {
            let (passage_source, passage_copy) = if source == pair.a {
                (in_a, in_b)
            } else {
                (in_b, in_a)
            };
            if !ctx.is_valid(passage_source, source) || !ctx.is_valid(passage_copy, copy) {
                continue;
            }
            let passages = (passage_source, passage_copy);
            for change in changes(ctx, options, passages, (&layer_source, &layer_copy)) {
                // Three copies of one text show one change in two pairs: reported once.
                let (new_before, new_after) = (
                    reported.insert(change.before),
                    reported.insert(change.after),
                );
                if !(new_before && new_after) {
                    continue;
                }
                found.push(group(
                    ctx,
                    &change,
                    (source, copy, known),
                    (passage_source, passage_copy),
                ));
            }
        }
    }
    let changed: HashSet<ClaimRef> = found.iter().flat_map(|g| g.claims.clone()).collect();
    let mut index = 0;
    out.retain(|g| {
        let keep = index < first
            || g.verdict != Verdict::SingleSource
            || !g.claims.iter().any(|r| changed.contains(r));
        index += 1;
        keep
    });
    out.extend(found);
}

/// (source, copy, whether the direction is known) of a pair whose articles are in the story.
fn direction(ctx: &StoryContext<'_>, pair: &NearDuplicate) -> Option<(DocId, DocId, bool)> {
    if !ctx.docs().contains(&pair.a) || !ctx.docs().contains(&pair.b) || pair.a == pair.b {
        return None;
    }
    Some(match pair.likely_source {
        Some(s) if s == pair.b => (pair.b, pair.a, true),
        Some(s) if s == pair.a => (pair.a, pair.b, true),
        _ => (pair.a, pair.b, false),
    })
}

/// One changed fact between a passage and its copy.
struct Change {
    kind: CopyChangeKind,
    before: Span,
    after: Span,
    claims: Vec<ClaimRef>,
    /// Words the two passages have in common, and words changed (both sides).
    shared_words: usize,
    changed_words: usize,
}

/// A word of a passage: its place in the article and its form for comparison.
struct Word {
    range: TextRange,
    folded: String,
}

/// The token layer of article `doc` (see [`corroborate_nlp::tokens_of`]); empty when the
/// story names no such article.
fn layer<'a>(ctx: &StoryContext<'a>, doc: DocId) -> Cow<'a, [Token]> {
    ctx.article(doc)
        .map_or(Cow::Borrowed(&[][..]), corroborate_nlp::tokens_of)
}

/// The words and numbers of `layer` (the token layer of the passage's article) that lie in
/// `passage`: punctuation is no word.
fn words(ctx: &StoryContext<'_>, layer: &[Token], passage: Span) -> Vec<Word> {
    let text = ctx
        .article(passage.doc)
        .map_or("", |a| a.article.text.as_str());
    let first = layer.partition_point(|t| t.start < passage.start);
    layer[first..]
        .iter()
        .take_while(|t| t.end <= passage.end)
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| Word {
            range: TextRange::new(t.start, t.end),
            folded: text.get(t.start..t.end).unwrap_or("").to_lowercase(),
        })
        .collect()
}

/// The facts changed between `source` and `copy`, two aligned passages; `layers` are the token
/// layers of their articles.
fn changes(
    ctx: &StoryContext<'_>,
    options: &AlignOptions,
    (source, copy): (Span, Span),
    layers: (&[Token], &[Token]),
) -> Vec<Change> {
    if ctx.text(source) == ctx.text(copy) {
        return Vec::new();
    }
    let (ws, wc) = (words(ctx, layers.0, source), words(ctx, layers.1, copy));
    let (fs, fc): (Vec<&str>, Vec<&str>) = (
        ws.iter().map(|w| w.folded.as_str()).collect(),
        wc.iter().map(|w| w.folded.as_str()).collect(),
    );
    let ops = capture_diff_slices(Algorithm::Myers, &fs, &fc);
    let shared_words: usize = ops
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    if shared_words < MIN_SHARED_WORDS {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
            ..
        } = *op
        else {
            continue;
        };
        if old_len > MAX_CHANGED_WORDS || new_len > MAX_CHANGED_WORDS {
            continue;
        }
        // A change between two stretches the passages share, not at a loose end.
        let equal_at = |j: Option<usize>| {
            j.and_then(|j| ops.get(j))
                .is_some_and(|op| matches!(op, DiffOp::Equal { .. }))
        };
        if !equal_at(i.checked_sub(1)) && !equal_at(Some(i + 1)) {
            continue;
        }
        let (old, new) = (
            &ws[old_index..old_index + old_len],
            &wc[new_index..new_index + new_len],
        );
        let span = |doc: DocId, w: &[Word]| match (w.first(), w.last()) {
            (Some(a), Some(b)) => Span::new(doc, TextRange::new(a.range.start, b.range.end)),
            _ => Span::new(doc, TextRange::new(0, 0)),
        };
        let (before, after) = (span(source.doc, old), span(copy.doc, new));
        let kind = figure(ctx, options, before, after)
            .or_else(|| quoted(ctx, before, after))
            .or_else(|| {
                (old_index > 0 && new_index > 0 && is_name(ctx, before) && is_name(ctx, after))
                    .then(|| (CopyChangeKind::Name, holders(ctx, before, after)))
            });
        if let Some((kind, claims)) = kind {
            out.push(Change {
                kind,
                before: widen(ctx, &claims, before),
                after: widen(ctx, &claims, after),
                claims,
                shared_words,
                changed_words: old_len + new_len,
            });
        }
    }
    out
}

/// Claims of `doc` with a span (picked by `span_of`) overlapping `range`.
fn claims_at<'a>(
    ctx: &'a StoryContext<'_>,
    at: Span,
    span_of: impl Fn(&ClaimKind) -> Option<Span> + 'a,
) -> impl Iterator<Item = (ClaimRef, &'a ClaimKind)> + 'a {
    ctx.article(at.doc)
        .into_iter()
        .flat_map(|a| a.claims.iter().enumerate())
        .filter_map(move |(claim, c)| {
            let s = span_of(&c.kind)?;
            (s.doc == at.doc && s.start < at.end && at.start < s.end)
                .then_some((ClaimRef { doc: at.doc, claim }, &c.kind))
        })
}

/// A changed figure: quantity claims that disagree, or different digits where no claim was
/// read.
fn figure(
    ctx: &StoryContext<'_>,
    options: &AlignOptions,
    before: Span,
    after: Span,
) -> Option<(CopyChangeKind, Vec<ClaimRef>)> {
    let number = |k: &ClaimKind| match k {
        ClaimKind::Quantity(q) => Some(q.number),
        _ => None,
    };
    let reading = |r: ClaimRef, k: &ClaimKind| match k {
        ClaimKind::Quantity(q) => Some((r, quantity::reading(q, ctx.text(q.number), options))),
        _ => None,
    };
    let old: Vec<_> = claims_at(ctx, before, number)
        .filter_map(|(r, k)| reading(r, k))
        .collect();
    let new: Vec<_> = claims_at(ctx, after, number)
        .filter_map(|(r, k)| reading(r, k))
        .collect();
    if let (Some(&(ro, vo)), Some(&(rn, vn))) = (old.first(), new.first()) {
        return (!vo.overlaps(&vn)).then(|| (CopyChangeKind::Figure, vec![ro, rn]));
    }
    let digits = |s: Span| -> String {
        ctx.text(s)
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let (d_old, d_new) = (digits(before), digits(after));
    (!d_old.is_empty() && !d_new.is_empty() && d_old != d_new)
        .then(|| (CopyChangeKind::Figure, Vec::new()))
}

/// Changed words inside a quotation in both articles.
fn quoted(
    ctx: &StoryContext<'_>,
    before: Span,
    after: Span,
) -> Option<(CopyChangeKind, Vec<ClaimRef>)> {
    let content = |k: &ClaimKind| match k {
        ClaimKind::Quote(q) => Some(q.content),
        _ => None,
    };
    let inside = |at: Span| {
        claims_at(ctx, at, content)
            .find(|(_, k)| content(k).is_some_and(|c| c.start <= at.start && at.end <= c.end))
    };
    let (old, new) = (inside(before)?, inside(after)?);
    Some((CopyChangeKind::Quote, vec![old.0, new.0]))
}

/// Office-holder claims naming the changed person, when the claims stage read them.
fn holders(ctx: &StoryContext<'_>, before: Span, after: Span) -> Vec<ClaimRef> {
    let person = |k: &ClaimKind| match k {
        ClaimKind::OfficeHolder(h) => Some(h.person_span),
        _ => None,
    };
    let old = claims_at(ctx, before, person).next();
    let new = claims_at(ctx, after, person).next();
    old.into_iter().chain(new).map(|(r, _)| r).collect()
}

/// True when the changed words lie inside a name `nlp` read (a person, organisation or
/// place), so that a day, a month or a sentence's first word is not taken for one.
fn is_name(ctx: &StoryContext<'_>, at: Span) -> bool {
    at.start < at.end
        && ctx.article(at.doc).is_some_and(|a| {
            a.mentions
                .iter()
                .any(|m| m.span.start <= at.start && at.end <= m.span.end)
        })
}

/// The changed stretch widened to the whole figure of a quantity claim it lies in ("More than
/// 200" rather than "200").
fn widen(ctx: &StoryContext<'_>, claims: &[ClaimRef], at: Span) -> Span {
    claims
        .iter()
        .filter(|r| r.doc == at.doc)
        .filter_map(|&r| match &ctx.article(r.doc)?.claims.get(r.claim)?.kind {
            ClaimKind::Quantity(q) if ctx.is_valid(q.number, r.doc) => Some(q.number),
            _ => None,
        })
        .map(|n| {
            Span::new(
                at.doc,
                TextRange::new(n.start.min(at.start), n.end.max(at.end)),
            )
        })
        .next()
        .unwrap_or(at)
}

fn group(
    ctx: &StoryContext<'_>,
    change: &Change,
    (source, copy, known): (DocId, DocId, bool),
    (passage_source, passage_copy): (Span, Span),
) -> ClaimGroup {
    let value = |s: Span| shorten(&ctx.written(s), MAX_VALUE_CHARS);
    let (before, after) = (value(change.before), value(change.after));
    let what = match change.kind {
        CopyChangeKind::Figure => "a figure",
        CopyChangeKind::Name => "a name",
        CopyChangeKind::Quote => "quoted words",
    };
    let explanation = if known {
        format!(
            "{} copies {} but changes {what}: “{before}” becomes “{after}”",
            ctx.label(copy),
            ctx.label(source)
        )
    } else {
        format!(
            "{} and {} are near-copies of one text but differ in {what}: “{before}” vs “{after}” \
             (which came first cannot be told)",
            ctx.label(source),
            ctx.label(copy)
        )
    };
    ClaimGroup {
        topic: Topic::CopyChange {
            change: change.kind,
            source,
            copy,
            direction_known: known,
            before,
            after,
        },
        verdict: Verdict::CopyAltered,
        explanation,
        claims: change.claims.clone(),
        evidence: vec![passage_source, passage_copy, change.before, change.after],
        diffs: Vec::new(),
        independent_sources: 1,
        story: Some(ctx.story.id),
        confidence: confidence::altered_copy(change.shared_words, change.changed_words, known),
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::{ArticleBuilder, By, Thing};
    use crate::{AlignOptions, align};
    use corroborate_model::{
        AnalyzedArticle, ClaimGroup, CopyChangeKind, EntityKind, Interval, NearDuplicate,
        Precision, QuantityUnit, Span, Story, TextRange, Topic, Verdict,
    };

    const FLOOD: [&str; 3] = [
        "Flooding forced the evacuation of 1,200 residents from the Marsh End district on Saturday.",
        "Fire chief Dana Okafor said crews pulled 14 people from flooded cars overnight.",
        "“We have never seen the river rise this fast in March,” the mayor said.",
    ];

    fn residents(number: &str, value: f64) -> (&str, Interval, Precision, QuantityUnit, Thing<'_>) {
        (
            number,
            Interval::exact(value),
            Precision::Exact,
            QuantityUnit::Count,
            Thing {
                phrase: "residents",
                head: "resident",
                modifiers: &[],
                predicate: Some("evacuate"),
            },
        )
    }

    /// The sentences of `a` and `b` paired in order, as the cluster stage's shared passages.
    fn copy_pair(a: &AnalyzedArticle, b: &AnalyzedArticle, source: Option<u32>) -> NearDuplicate {
        let sentences = |x: &AnalyzedArticle| -> Vec<Span> {
            let text = &x.article.text;
            let mut spans = Vec::new();
            let mut start = 0;
            for part in text.split_inclusive(['.', '”']) {
                let trimmed = part.trim_start();
                let begin = start + (part.len() - trimmed.len());
                if trimmed.len() > 1 {
                    spans.push(Span::new(
                        x.article.id,
                        TextRange::new(begin, start + part.len()),
                    ));
                }
                start += part.len();
            }
            spans
        };
        NearDuplicate {
            a: a.article.id,
            b: b.article.id,
            similarity: 0.9,
            likely_source: source,
            shared: sentences(a).into_iter().zip(sentences(b)).collect(),
        }
    }

    fn run(articles: Vec<AnalyzedArticle>, pairs: Vec<NearDuplicate>) -> Vec<ClaimGroup> {
        let story = Story {
            id: 0,
            label: "flood".into(),
            docs: articles.iter().map(|a| a.article.id).collect(),
            near_duplicates: pairs,
        };
        align(&articles, &[story], &AlignOptions::default())
    }

    fn text_of(a: &AnalyzedArticle, span: Span) -> &str {
        a.quote(span)
    }

    #[test]
    fn a_copy_that_changes_a_figure_and_a_name_is_reported_with_source_and_copy() {
        let source_text = FLOOD.join(" ");
        let copy_text = source_text
            .replace("1,200", "2,500")
            .replace("Dana Okafor", "Marta Lindgren");
        let (n, v, p, u, t) = residents("1,200", 1200.0);
        let a = ArticleBuilder::new(0, "Harbour Courier", &source_text)
            .quantity(n, v, p, u, t)
            .mention("Dana Okafor", EntityKind::Person)
            .build();
        let (n, v, p, u, t) = residents("2,500", 2500.0);
        let b = ArticleBuilder::new(1, "Bay Digest", &copy_text)
            .quantity(n, v, p, u, t)
            .mention("Marta Lindgren", EntityKind::Person)
            .build();
        let pair = copy_pair(&a, &b, Some(0));
        let groups = run(vec![a.clone(), b.clone()], vec![pair]);
        let altered: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::CopyAltered)
            .collect();
        assert_eq!(altered.len(), 2, "{groups:#?}");
        let figure = altered[0];
        assert_eq!(
            figure.explanation,
            "Bay Digest copies Harbour Courier but changes a figure: “1,200” becomes “2,500”"
        );
        assert_eq!(
            figure.topic,
            Topic::CopyChange {
                change: CopyChangeKind::Figure,
                source: 0,
                copy: 1,
                direction_known: true,
                before: "1,200".into(),
                after: "2,500".into(),
            }
        );
        assert_eq!(text_of(&a, figure.evidence[0]), FLOOD[0]);
        assert!(text_of(&b, figure.evidence[1]).contains("of 2,500 residents"));
        assert_eq!(text_of(&a, figure.evidence[2]), "1,200");
        assert_eq!(text_of(&b, figure.evidence[3]), "2,500");
        assert_eq!(figure.claims.len(), 2);
        assert_eq!(figure.independent_sources, 1);
        assert!(figure.confidence >= 0.8, "{}", figure.confidence);
        let name = altered[1];
        assert!(matches!(
            &name.topic,
            Topic::CopyChange { change: CopyChangeKind::Name, before, after, .. }
                if before == "Dana Okafor" && after == "Marta Lindgren"
        ));
    }

    #[test]
    fn near_copies_giving_different_bounds_are_altered_not_single_source() {
        let firefighters = |number: &str, value: Interval, precision| {
            let text = format!(
                "{number} firefighters fought the blaze at the Harbor Street depot through the night. \
                 The cause of the fire is not yet known, a spokesman for the city said."
            );
            (text, value, precision)
        };
        let thing = Thing {
            phrase: "firefighters",
            head: "firefighter",
            modifiers: &[],
            predicate: Some("fight"),
        };
        let (ta, va, pa) =
            firefighters("More than 200", Interval::at_least(200.0), Precision::Bound);
        let (tb, vb, pb) = firefighters("90", Interval::exact(90.0), Precision::Exact);
        let a = ArticleBuilder::new(0, "Wire", &ta)
            .quantity("More than 200", va, pa, QuantityUnit::Count, thing)
            .build();
        let b = ArticleBuilder::new(1, "Echo", &tb)
            .quantity(
                "90",
                vb,
                pb,
                QuantityUnit::Count,
                Thing {
                    phrase: "firefighters",
                    head: "firefighter",
                    modifiers: &[],
                    predicate: Some("fight"),
                },
            )
            .build();
        let other = ArticleBuilder::new(
            2,
            "Gazette",
            "A spokesman for the city said the cause of the depot fire was under investigation.",
        )
        .build();
        let pair = copy_pair(&a, &b, None);
        let groups = run(vec![a, b, other], vec![pair]);
        assert!(
            groups.iter().all(|g| g.verdict != Verdict::SingleSource
                || !matches!(g.topic, Topic::Quantity { .. })),
            "{groups:#?}"
        );
        let altered = groups
            .iter()
            .find(|g| g.verdict == Verdict::CopyAltered)
            .expect("an altered copy");
        assert_eq!(
            altered.explanation,
            "Wire and Echo are near-copies of one text but differ in a figure: “More than 200” vs \
             “90” (which came first cannot be told)"
        );
    }

    #[test]
    fn rewording_and_rounding_in_a_copy_are_not_changed_facts() {
        let a_text = "Flooding forced the evacuation of 1,200 residents from the Marsh End district on Saturday.";
        let b_text = "Floods forced the evacuation of about 1,200 people from the Marsh End district on Saturday.";
        let (n, v, p, u, t) = residents("1,200", 1200.0);
        let a = ArticleBuilder::new(0, "Harbour Courier", a_text)
            .quantity(n, v, p, u, t)
            .build();
        let b = ArticleBuilder::new(1, "Bay Digest", b_text)
            .quantity(
                "about 1,200",
                Interval::between(1080.0, 1320.0),
                Precision::Approximate,
                QuantityUnit::Count,
                Thing {
                    phrase: "people",
                    head: "people",
                    modifiers: &[],
                    predicate: Some("evacuate"),
                },
            )
            .build();
        let pair = copy_pair(&a, &b, Some(0));
        let groups = run(vec![a, b], vec![pair]);
        assert!(
            groups.iter().all(|g| g.verdict != Verdict::CopyAltered),
            "{groups:#?}"
        );
    }

    #[test]
    fn changed_words_inside_a_quotation_are_a_quote_change() {
        let a_text = FLOOD[2];
        let b_text = FLOOD[2].replace("this fast", "this slowly");
        let a = ArticleBuilder::new(0, "Harbour Courier", a_text)
            .quote(
                "We have never seen the river rise this fast in March,",
                By::Nobody,
                None,
            )
            .build();
        let b = ArticleBuilder::new(1, "Bay Digest", &b_text)
            .quote(
                "We have never seen the river rise this slowly in March,",
                By::Nobody,
                None,
            )
            .build();
        let pair = copy_pair(&a, &b, Some(0));
        let groups = run(vec![a, b], vec![pair]);
        let altered: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::CopyAltered)
            .collect();
        assert_eq!(altered.len(), 1, "{groups:#?}");
        assert!(matches!(
            &altered[0].topic,
            Topic::CopyChange { change: CopyChangeKind::Quote, before, after, .. }
                if before == "fast" && after == "slowly"
        ));
    }
}
