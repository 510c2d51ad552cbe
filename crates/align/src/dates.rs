//! Dates of one happening: outlets that put the same event on days that cannot overlap
//! ("trustees warned *last week*" in an article of 17 June against projections "issued *last
//! month*"), a [`Verdict::DatingConflict`] between the two.
//!
//! Dates are the time claims that name a day or a span of at most [`MAX_SPAN_DAYS`] days,
//! written as a date ("Oct. 7") or relative to the article's publication ("yesterday", "last
//! week"; `claims` reads those generously). Two dates of different independent sources are of
//! one happening when the words around them match as figures' contexts do (see
//! `context_figures`): at least [`MIN_SHARED_WORDS`] content words within a dozen words of each,
//! not counting the story's topic words. They conflict when their day ranges are at least
//! [`MIN_GAP_DAYS`] apart, which leaves room for time zones and for an event late one day
//! reported as the next. Each date joins at most one pair, the best matched first.
//!
//! Cost: dates are indexed by context word, so only pairs that share a word are compared.

use crate::confidence;
use crate::context::StoryContext;
use crate::context_figures::context_words;
use chrono::NaiveDate;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, Span, TimeExpression, TimeValue, Topic, Verdict,
};
use std::collections::{HashMap, HashSet};

/// Longest span a date may cover and still date one happening ("in 2019" dates too much).
const MAX_SPAN_DAYS: i64 = 31;
/// Content words the contexts of two dates must share: one more than figures need, since two
/// figures must also be close in value to meet while any two happenings have different dates.
const MIN_SHARED_WORDS: usize = 4;
/// Days between two ranges that no reading of either can bridge.
const MIN_GAP_DAYS: i64 = 2;
/// Share of the story's dates a context word may be near and still tell happenings apart.
const MAX_CONTEXT_SHARE: f64 = 0.25;

struct Dated<'a> {
    r: ClaimRef,
    time: &'a TimeExpression,
    sentence: Span,
    earliest: NaiveDate,
    latest: NaiveDate,
    context: HashSet<String>,
}

/// Appends a dating conflict for each pair of dates of one happening that cannot agree.
pub(crate) fn align(ctx: &StoryContext<'_>, out: &mut Vec<ClaimGroup>) {
    let mut dates: Vec<Dated<'_>> = ctx
        .claims()
        .filter_map(|(r, claim)| {
            let ClaimKind::Time(time) = &claim.kind else {
                return None;
            };
            let TimeValue::Date { earliest, latest } = time.value else {
                return None;
            };
            ((latest - earliest).num_days() <= MAX_SPAN_DAYS && ctx.is_valid(time.span, r.doc))
                .then(|| Dated {
                    r,
                    time,
                    sentence: claim.evidence,
                    earliest,
                    latest,
                    context: context_words(ctx, claim.evidence, time.span),
                })
        })
        .collect();
    if dates.len() < 2 {
        return;
    }
    let mut near: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in dates.iter().enumerate() {
        for w in &d.context {
            near.entry(w.clone()).or_default().push(i);
        }
    }
    let limit = (MAX_CONTEXT_SHARE * dates.len() as f64).max(2.0);
    near.retain(|_, at| at.len() as f64 <= limit);
    for d in &mut dates {
        d.context.retain(|w| near.contains_key(w));
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for at in near.values() {
        for (x, &i) in at.iter().enumerate() {
            for &j in &at[x + 1..] {
                *shared.entry((i.min(j), i.max(j))).or_default() += 1;
            }
        }
    }
    let mut candidates: Vec<(usize, usize, usize)> = shared
        .into_iter()
        .filter(|&((i, j), n)| {
            let (a, b) = (&dates[i], &dates[j]);
            n >= MIN_SHARED_WORDS
                && ctx.source_of(a.r.doc) != ctx.source_of(b.r.doc)
                && gap_days(a, b) >= MIN_GAP_DAYS
        })
        .map(|((i, j), n)| (i, j, n))
        .collect();
    candidates.sort_by_key(|&(i, j, n)| (std::cmp::Reverse(n), i, j));
    let mut paired: HashSet<usize> = HashSet::new();
    for (i, j, _) in candidates {
        if paired.contains(&i) || paired.contains(&j) {
            continue;
        }
        paired.insert(i);
        paired.insert(j);
        out.push(group(ctx, &dates[i], &dates[j]));
    }
}

/// Days between two ranges; zero or less when they overlap or touch.
fn gap_days(a: &Dated<'_>, b: &Dated<'_>) -> i64 {
    (b.earliest - a.latest)
        .num_days()
        .max((a.earliest - b.latest).num_days())
}

fn group(ctx: &StoryContext<'_>, a: &Dated<'_>, b: &Dated<'_>) -> ClaimGroup {
    let mut shared: Vec<&str> = a
        .context
        .intersection(&b.context)
        .map(String::as_str)
        .collect();
    shared.sort_unstable();
    let describe = |d: &Dated<'_>| {
        let days = if d.earliest == d.latest {
            d.earliest.to_string()
        } else {
            format!("{} to {}", d.earliest, d.latest)
        };
        format!(
            "“{}” ({}: {days})",
            ctx.written(d.time.span),
            ctx.outlets(&[d.r])
        )
    };
    ClaimGroup {
        topic: Topic::Dating,
        verdict: Verdict::DatingConflict,
        explanation: format!(
            "one happening ({}) dated differently: {} vs {}",
            shared.join(", "),
            describe(a),
            describe(b)
        ),
        claims: vec![a.r, b.r],
        evidence: vec![a.time.span, a.sentence, b.time.span, b.sentence],
        diffs: Vec::new(),
        independent_sources: 2,
        story: Some(ctx.story.id),
        confidence: confidence::dated_happening(shared.len()),
    }
}
