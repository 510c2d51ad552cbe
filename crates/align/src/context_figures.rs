//! Figures for the same thing that the head-noun buckets cannot see.
//!
//! Outlets often give a figure without a counted noun ("to the tune of $3.5 billion", "fell to
//! 400,000") or under another noun ("arrests" and "apprehensions"), so the key of the
//! `quantity` module never brings them together. Here two figures of different independent
//! sources are compared when what surrounds them says they are about the same thing:
//!
//! - the same unit, stated values close (at most [`MAX_RATIO`] apart) but not compatible
//!   after rounding (read as in the `quantity` module), or a vague figure whose range holds
//!   the stated one; each a checkable figure (money, a percentage, or a count of ten or more);
//! - no contradiction in what they count: counted heads, when both are known, are equal, and
//!   so are real predicates ("killed" is never compared with "injured");
//! - a shared context: at least [`MIN_SHARED_WORDS`] content words within
//!   [`CONTEXT_WORDS`] words of each figure, or another figure both sentences give
//!   ("… about one-third of the 1.6 million arrests in 2000") and one content word. Words
//!   found near more than [`MAX_CONTEXT_SHARE`] of the story's figures are its topic
//!   ("Medicare" in a Medicare story) and do not count;
//! - neither figure is one of a list (a poll: "Huckabee 21 percent, Romney 20 percent"),
//!   whose figures are each about a different item.
//!
//! A pair that passes is a **Conflict** (stated figures that cannot both be true) or
//! **VagueVsPrecise** (a vague figure, "hundreds of thousands", beside a stated one in its
//! range), whose explanation names the shared context, so a reader can judge the match. Figures the buckets already compared with each other are left
//! alone. Cost: figures are indexed by value, so only figures within [`MAX_RATIO`] of each
//! other (or within a vague figure's range) are compared: a sort plus the candidate pairs.

use crate::AlignOptions;
use crate::confidence;
use crate::context::StoryContext;
use crate::quantity::{is_checkable, reading};
use crate::terms::TERMS;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, Interval, Precision, Quantity, Span, Topic, Verdict,
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Largest ratio between two figures for the same thing reported differently.
const MAX_RATIO: f64 = 1.35;
/// Content words the contexts of two figures must share.
const MIN_SHARED_WORDS: usize = 3;
/// Share of the story's figures a context word may be near and still tell them apart.
const MAX_CONTEXT_SHARE: f64 = 0.25;
/// Words on each side of a figure that make its context.
const CONTEXT_WORDS: usize = 12;
/// Words too common in news to say what a figure is about.
const STOPWORDS: &[&str] = &[
    "about",
    "after",
    "also",
    "although",
    "among",
    "around",
    "because",
    "been",
    "before",
    "being",
    "between",
    "billion",
    "both",
    "could",
    "during",
    "each",
    "from",
    "have",
    "having",
    "into",
    "last",
    "least",
    "less",
    "more",
    "most",
    "much",
    "million",
    "nearly",
    "only",
    "other",
    "over",
    "percent",
    "roughly",
    "said",
    "says",
    "since",
    "some",
    "such",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thousand",
    "under",
    "until",
    "very",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "year",
    "years",
    "told",
    "according",
    "dollars",
];

struct Figure<'a> {
    r: ClaimRef,
    quantity: &'a Quantity,
    /// The values the figure as written stands for (rounding, "about").
    reading: Interval,
    sentence: Span,
    context: HashSet<String>,
    siblings: HashSet<String>,
}

/// Appends conflict groups for close figures in matching contexts that no quantity group
/// in `compared` (claim → group index) already holds together.
pub(crate) fn align(
    ctx: &StoryContext<'_>,
    options: &AlignOptions,
    compared: &HashMap<ClaimRef, usize>,
    out: &mut Vec<ClaimGroup>,
) {
    let claims: Vec<(ClaimRef, Span, &Quantity)> = ctx
        .claims()
        .filter_map(|(r, c)| match &c.kind {
            ClaimKind::Quantity(q) if ctx.is_valid(q.number, r.doc) => Some((r, c.evidence, q)),
            _ => None,
        })
        .collect();
    let mut by_sentence: HashMap<Span, Vec<usize>> = HashMap::new();
    for (i, (_, sentence, _)) in claims.iter().enumerate() {
        by_sentence.entry(*sentence).or_default().push(i);
    }
    let mut figures: Vec<Figure<'_>> = claims
        .iter()
        .filter(|(_, _, q)| is_checkable(q))
        .filter_map(|&(r, sentence, quantity)| {
            let siblings: Vec<&Quantity> = by_sentence
                .get(&sentence)
                .into_iter()
                .flatten()
                .filter(|&&i| claims[i].0 != r)
                .map(|&i| claims[i].2)
                .collect();
            let listed = siblings.iter().filter(|q| q.unit == quantity.unit).count() >= 2;
            if listed {
                return None;
            }
            let siblings = siblings
                .iter()
                .map(|q| ctx.written(q.number).to_lowercase())
                .collect();
            Some(Figure {
                r,
                quantity,
                reading: reading(quantity, &ctx.written(quantity.number), options),
                sentence,
                context: context_words(ctx, sentence, quantity.number),
                siblings,
            })
        })
        .collect();
    let mut near: HashMap<&str, usize> = HashMap::new();
    for f in &figures {
        for w in &f.context {
            *near.entry(w.as_str()).or_default() += 1;
        }
    }
    let limit = (MAX_CONTEXT_SHARE * figures.len() as f64).max(2.0);
    let topic: HashSet<String> = near
        .into_iter()
        .filter(|&(_, n)| n as f64 > limit)
        .map(|(w, _)| w.to_string())
        .collect();
    for f in &mut figures {
        f.context.retain(|w| !topic.contains(w));
    }
    // Candidate pairs through an index sorted by value: a stated figure meets the stated
    // figures at most MAX_RATIO above it and the vague ones whose range holds it, so the cost
    // is the sort plus the candidates, not all pairs. Conflicts come first, then vague
    // figures, the most shared context first; each figure joins one pair.
    let value = |f: &Figure<'_>| midpoint(f.quantity.value).unwrap_or(f64::NAN);
    let mut stated: Vec<usize> = (0..figures.len())
        .filter(|&i| figures[i].quantity.precision != Precision::Vague && value(&figures[i]) > 0.0)
        .collect();
    stated.sort_by(|&a, &b| value(&figures[a]).total_cmp(&value(&figures[b])));
    let stated_values: Vec<f64> = stated.iter().map(|&i| value(&figures[i])).collect();
    let within = |low: f64, high: f64| {
        let from = stated_values.partition_point(|&v| v < low);
        let to = stated_values.partition_point(|&v| v <= high);
        stated[from..to.max(from)].iter().copied()
    };
    let mut candidates: Vec<(usize, usize, Verdict, Vec<String>)> = Vec::new();
    for (i, a) in figures.iter().enumerate() {
        let partners: Vec<usize> = if a.quantity.precision == Precision::Vague {
            within(a.reading.low, a.reading.high).collect()
        } else {
            let v = value(a);
            if v.is_nan() || v <= 0.0 {
                continue;
            }
            within(v, v * MAX_RATIO).filter(|&j| j != i).collect()
        };
        for j in partners {
            let b = &figures[j];
            let together = matches!(
                (compared.get(&a.r), compared.get(&b.r)),
                (Some(x), Some(y)) if x == y
            );
            if together || ctx.source_of(a.r.doc) == ctx.source_of(b.r.doc) {
                continue;
            }
            if let Some((verdict, shared)) = matching_context(a, b) {
                candidates.push((i.min(j), i.max(j), verdict, shared));
            }
        }
    }
    candidates.sort_by_key(|(i, j, ..)| (*i, *j));
    candidates.dedup_by_key(|(i, j, ..)| (*i, *j));
    candidates
        .sort_by_key(|(i, j, verdict, shared)| (*verdict, std::cmp::Reverse(shared.len()), *i, *j));
    let mut paired: HashSet<ClaimRef> = HashSet::new();
    for (i, j, verdict, shared) in candidates {
        let (a, b) = (&figures[i], &figures[j]);
        if paired.contains(&a.r) || paired.contains(&b.r) {
            continue;
        }
        paired.insert(a.r);
        paired.insert(b.r);
        out.push(group(ctx, verdict, a, b, &shared));
    }
}

/// The verdict and the shared context words when two figures are about the same thing and
/// disagree: stated figures that cannot both be true are a conflict; a vague figure
/// ("hundreds of thousands") beside a stated one within its range is vague against precise.
fn matching_context(a: &Figure<'_>, b: &Figure<'_>) -> Option<(Verdict, Vec<String>)> {
    let (qa, qb) = (a.quantity, b.quantity);
    if qa.unit != qb.unit {
        return None;
    }
    let vague = [qa, qb]
        .iter()
        .filter(|q| q.precision == Precision::Vague)
        .count();
    let verdict = match vague {
        0 if !overlap(a.reading, b.reading) && ratio(qa.value, qb.value)? <= MAX_RATIO => {
            Verdict::Conflict
        }
        1 if overlap(a.reading, b.reading) => Verdict::VagueVsPrecise,
        _ => return None,
    };
    if let (Some(ca), Some(cb)) = (&qa.counted, &qb.counted) {
        if TERMS.head(&ca.head) != TERMS.head(&cb.head) {
            return None;
        }
        let real = |p: &Option<String>| {
            p.as_deref()
                .map(|p| TERMS.predicate(p))
                .filter(|p| !TERMS.is_light_predicate(p))
        };
        if let (Some(pa), Some(pb)) = (real(&ca.predicate), real(&cb.predicate))
            && pa != pb
        {
            return None;
        }
    }
    let shared: Vec<String> = a
        .context
        .intersection(&b.context)
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let sibling = a.siblings.intersection(&b.siblings).next().is_some();
    (shared.len() >= MIN_SHARED_WORDS || (sibling && !shared.is_empty()))
        .then_some((verdict, shared))
}

/// True when two readings share more than a boundary: "$3.5 billion" and "$3.6 billion" each
/// stand for what rounds to them, and those ranges only touch at 3.55.
fn overlap(a: Interval, b: Interval) -> bool {
    a.low < b.high && b.low < a.high
}

/// The middle of an interval's finite ends.
fn midpoint(v: Interval) -> Option<f64> {
    match (v.low.is_finite(), v.high.is_finite()) {
        (true, true) => Some((v.low + v.high) / 2.0),
        (true, false) => Some(v.low),
        (false, true) => Some(v.high),
        (false, false) => None,
    }
}

/// Largest over smallest of the two figures (their midpoints).
fn ratio(a: Interval, b: Interval) -> Option<f64> {
    let (x, y) = (midpoint(a)?, midpoint(b)?);
    (x > 0.0 && y > 0.0).then(|| x.max(y) / x.min(y))
}

/// Lower-cased content words within [`CONTEXT_WORDS`] words of the figure in its sentence.
/// Content words within a dozen words either side of `number` in its sentence.
pub(crate) fn context_words(
    ctx: &StoryContext<'_>,
    sentence: Span,
    number: Span,
) -> HashSet<String> {
    let text = ctx.text(sentence);
    let (Some(before), Some(after)) = (
        text.get(..number.start.saturating_sub(sentence.start)),
        text.get(number.end.saturating_sub(sentence.start)..),
    ) else {
        return HashSet::new();
    };
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .map(|w| w.trim_matches(['\'', '’']).to_lowercase())
            .filter(|w| {
                w.chars().count() >= 4
                    && !w.chars().any(|c| c.is_ascii_digit())
                    && !STOPWORDS.contains(&w.as_str())
            })
            .collect()
    };
    let mut near: Vec<String> = words(before);
    near.reverse();
    near.truncate(CONTEXT_WORDS);
    near.extend(words(after).into_iter().take(CONTEXT_WORDS));
    near.into_iter().collect()
}

fn group(
    ctx: &StoryContext<'_>,
    verdict: Verdict,
    a: &Figure<'_>,
    b: &Figure<'_>,
    shared: &[String],
) -> ClaimGroup {
    let describe = |f: &Figure<'_>| {
        format!(
            "{} ({})",
            ctx.written(f.quantity.number),
            ctx.outlets(&[f.r])
        )
    };
    let counted = [a, b]
        .iter()
        .find_map(|f| f.quantity.counted.as_ref().map(|c| c.head.clone()))
        .unwrap_or_default();
    ClaimGroup {
        topic: Topic::Quantity {
            counted,
            unit: a.quantity.unit.clone(),
        },
        verdict,
        explanation: format!(
            "figures in matching contexts ({}) {}: {} vs {}",
            shared.join(", "),
            if verdict == Verdict::Conflict {
                "differ"
            } else {
                "one vague, one stated"
            },
            describe(a),
            describe(b)
        ),
        claims: vec![a.r, b.r],
        evidence: vec![a.quantity.number, a.sentence, b.quantity.number, b.sentence],
        diffs: Vec::new(),
        independent_sources: 2,
        story: Some(ctx.story.id),
        confidence: match verdict {
            Verdict::Conflict => confidence::context_figures(
                shared.len(),
                ratio(a.quantity.value, b.quantity.value).unwrap_or(1.0),
            ),
            _ => confidence::vague_figures(false, 0),
        },
    }
}
