//! Quantities: which figures count the same thing, and whether they agree.
//!
//! # The key
//!
//! A quantity is comparable only with quantities of the same story that share
//! `(unit, head, predicate)`, each normalised through `data/terms.toml`:
//!
//! - the **head** noun through a short synonym table (`people` = `person`; `officer` is kept
//!   apart from `official` on purpose);
//! - the **predicate** through a table of lemmas that report one figure (`killed` = `died`;
//!   `signed` = `called on` = `urged` for a group putting its name to an appeal). A quantity
//!   without a predicate only meets other quantities without one, because guessing the missing
//!   predicate is how "65,000 Palestinians killed" would meet "hundreds of thousands of
//!   Palestinians remained".
//!
//! A count whose predicate is missing or a light verb ("550 officials have *taken* the step of
//! appealing") joins the bucket of its head with a real predicate only when exactly one such
//! bucket has claims its modifiers fit (see below) *and* it shares at least two modifiers with
//! them; a bare "Palestinians" never joins "Palestinians killed".
//!
//! Quantities with no counted noun phrase are not aligned at all: there is nothing to say what
//! they count. A head that is a unit of measure (`[measures]` in terms.toml) is compared in one
//! unit after exact conversion: "25-tonne" meets "19-ton", "12 kilometers" meets "7.5 miles".
//!
//! # Modifiers
//!
//! Inside a bucket, modifiers decide who may be compared. They are normalised (`retired`,
//! `ex-` and `former` are one modifier; hedges such as "some" are dropped) and two quantities
//! are **compatible when one set of modifiers contains the other** and they agree exactly on
//! the *strict* modifiers (`additional`, `remaining`, `daily`, …) that turn a figure into a
//! different count. So {former, israeli, security} fits inside {former, senior, israeli,
//! security}, while {israeli} and {palestinian}, or {former} and {current}, never meet.
//! Compatible sets form chains; a less specific set joins a chain only when exactly one chain
//! accepts it, so "officials" stays alone when a story counts both Israeli and Palestinian
//! officials.
//!
//! # Readings and verdicts
//!
//! Every figure is read as the interval it stands for: an exact figure as the rounding its last
//! significant digit implies (capped at ±5 % by default: "550" is 545–555, "1,200" is
//! 1,150–1,250, "4.8%" is 4.75–4.85); an approximate one as ±10 % ("about 1,250"), or just
//! below or above the figure for "nearly" and "just over"; bounds and vague magnitudes as
//! stated. Then, for the figures of one chain:
//!
//! - **Agree** when all readings share a value;
//! - **Conflict** when they cannot, and also when outlets give *different minimum (or
//!   maximum) figures* for the same count ("more than 600" against "more than 550"): strictly
//!   compatible, but a careful reader sees two outlets disagreeing on the figure;
//! - **VagueVsPrecise** when a magnitude word ("hundreds") stands beside figures;
//! - **SingleSource** when only one independent source gives a non-vague figure for a
//!   *specific* thing (a non-generic head with a real predicate or two modifiers, or any sum of
//!   money; for counts, a figure of ten or more) in a story that has other sources; everything else stated once
//!   is left out to keep that list short.
//!
//! Heads too generic to say what is counted (`person`, `other`, …) only ever get **Agree**.
//!
//! Cost: one pass to bucket (a `BTreeMap` keyed per story), then work proportional to the
//! bucket sizes, times the number of distinct modifier sets in a bucket (small in practice).

use crate::AlignOptions;
use crate::confidence;
use crate::context::StoryContext;
use crate::terms::{Lean, TERMS};
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, Counted, Interval, Precision, Quantity, QuantityUnit, Span,
    Topic, Verdict,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest counted phrase quoted in an explanation.
const MAX_PHRASE_CHARS: usize = 60;
/// Modifiers a count with a weak predicate must share with a bucket to join it.
const MIN_SHARED_MODIFIERS: usize = 2;
/// Smallest figure worth a single-source flag: counts under ten are mostly narrative ("three
/// sources", "two brief ceasefires") rather than reported statistics.
const MIN_SINGLE_SOURCE_FIGURE: f64 = 10.0;

/// The bucket a quantity belongs to within its story.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    unit: QuantityUnit,
    head: String,
    predicate: Option<String>,
    /// The year a figure is for, when its clause names one: figures for different years
    /// ("1.6 million arrests in 2000", "520,000 last year") never meet.
    year: Option<i32>,
}

/// A quantity prepared for comparison.
struct Item<'a> {
    /// Position in the story's claims, to keep story order after items move between buckets.
    seq: usize,
    r: ClaimRef,
    quantity: &'a Quantity,
    counted: &'a Counted,
    modifiers: BTreeSet<String>,
    reading: Interval,
    written: String,
}

/// Groups the quantities of one story and appends a verdict group per comparable set.
pub(crate) fn align(ctx: &StoryContext<'_>, options: &AlignOptions, out: &mut Vec<ClaimGroup>) {
    let mut buckets: BTreeMap<Key, Vec<Item<'_>>> = BTreeMap::new();
    for (seq, (r, claim)) in ctx.claims().enumerate() {
        let ClaimKind::Quantity(quantity) = &claim.kind else {
            continue;
        };
        let Some(counted) = &quantity.counted else {
            continue;
        };
        if !ctx.is_valid(quantity.number, r.doc) || !ctx.is_valid(counted.span, r.doc) {
            continue;
        }
        let mut head = TERMS.head(&counted.head);
        let measure = TERMS.measure(&head).cloned();
        if let Some(m) = &measure {
            head.clone_from(&m.unit);
        }
        let Interval { low, high } = quantity.value;
        // An interval with no finite end, a NaN or reversed ends says nothing comparable.
        let unordered = low.is_nan() || high.is_nan() || low > high;
        if head.is_empty() || unordered || !low.is_finite() && !high.is_finite() {
            continue;
        }
        let mut modifiers = Vec::new();
        for m in &counted.modifiers {
            TERMS.modifiers(m, &mut modifiers);
        }
        // "Wal-Mart and Sam's Club stores" counts a union: "and" is kept as a strict
        // modifier, so the figure only meets other unions, never the count of one part.
        let phrase = ctx.written(counted.span).to_lowercase();
        if phrase.contains(" and ") || phrase.contains(" & ") {
            modifiers.push("and".to_string());
        }
        let modifiers: BTreeSet<String> = modifiers.into_iter().filter(|m| *m != head).collect();
        let written = ctx.written(quantity.number);
        let key = Key {
            unit: quantity.unit.clone(),
            head,
            predicate: counted
                .predicate
                .as_deref()
                .map(|p| TERMS.predicate(p))
                .filter(|p| !p.is_empty()),
            year: quantity.year,
        };
        let mut reading = reading(quantity, &written, options);
        if let Some(m) = &measure {
            reading = Interval::between(reading.low * m.factor, reading.high * m.factor);
        }
        buckets.entry(key).or_default().push(Item {
            seq,
            r,
            quantity,
            counted,
            modifiers,
            reading,
            written,
        });
    }
    attach_weak(&mut buckets);
    for (key, items) in &buckets {
        for chain in chains(items) {
            let members: Vec<&Item<'_>> = chain.iter().filter_map(|&i| items.get(i)).collect();
            judge(ctx, key, &members, options, out);
        }
    }
}

/// True when a predicate is missing or a light verb.
fn is_weak(predicate: Option<&str>) -> bool {
    predicate.is_none_or(|p| TERMS.is_light_predicate(p))
}

/// Moves each count with a weak predicate and a specific noun phrase into the one bucket of
/// its head with a real predicate whose modifiers it fits (see the module documentation).
fn attach_weak(buckets: &mut BTreeMap<Key, Vec<Item<'_>>>) {
    let mut moves: BTreeMap<Key, HashMap<usize, Key>> = BTreeMap::new();
    {
        // (unit, head) → buckets with a real predicate, with their distinct modifier sets.
        type Targets<'k> = Vec<(&'k Key, BTreeSet<&'k BTreeSet<String>>)>;
        let mut strong: HashMap<(&QuantityUnit, &str, Option<i32>), Targets<'_>> = HashMap::new();
        for (key, items) in buckets.iter() {
            if !is_weak(key.predicate.as_deref()) {
                let sets = items.iter().map(|i| &i.modifiers).collect();
                strong
                    .entry((&key.unit, key.head.as_str(), key.year))
                    .or_default()
                    .push((key, sets));
            }
        }
        for (key, items) in buckets.iter() {
            if !is_weak(key.predicate.as_deref()) {
                continue;
            }
            let Some(targets) = strong.get(&(&key.unit, key.head.as_str(), key.year)) else {
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                if item.modifiers.len() < MIN_SHARED_MODIFIERS {
                    continue;
                }
                let fits = |set: &&BTreeSet<String>| {
                    (compatible(&item.modifiers, set) || compatible(set, &item.modifiers))
                        && item.modifiers.intersection(set).count() >= MIN_SHARED_MODIFIERS
                };
                let mut fitting = targets.iter().filter(|(_, sets)| sets.iter().any(fits));
                if let (Some((target, _)), None) = (fitting.next(), fitting.next()) {
                    moves
                        .entry(key.clone())
                        .or_default()
                        .insert(i, (*target).clone());
                }
            }
        }
    }
    let mut touched = BTreeSet::new();
    for (from, targets) in moves {
        let Some(items) = buckets.remove(&from) else {
            continue;
        };
        let mut stay = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match targets.get(&i) {
                Some(target) => {
                    buckets.entry(target.clone()).or_default().push(item);
                    touched.insert(target.clone());
                }
                None => stay.push(item),
            }
        }
        if !stay.is_empty() {
            buckets.insert(from, stay);
        }
    }
    for key in touched {
        if let Some(items) = buckets.get_mut(&key) {
            items.sort_by_key(|i| i.seq);
        }
    }
}

/// Splits a bucket into chains of compatible modifier sets (see the module documentation).
fn chains(items: &[Item<'_>]) -> Vec<Vec<usize>> {
    let mut by_set: BTreeMap<&BTreeSet<String>, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        by_set.entry(&item.modifiers).or_default().push(i);
    }
    let mut sets: Vec<(&BTreeSet<String>, Vec<usize>)> = by_set.into_iter().collect();
    sets.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
    // Each chain is kept as (its smallest set so far, members); sets arrive largest first,
    // so a set fits a chain exactly when it is contained in that chain's smallest set.
    let mut chains: Vec<(&BTreeSet<String>, Vec<usize>)> = Vec::new();
    for (set, members) in sets {
        let mut fitting = chains
            .iter()
            .enumerate()
            .filter(|(_, (smallest, _))| compatible(set, smallest))
            .map(|(i, _)| i);
        match (fitting.next(), fitting.next()) {
            (Some(only), None) => {
                if let Some(chain) = chains.get_mut(only) {
                    chain.0 = set;
                    chain.1.extend(members);
                }
            }
            _ => chains.push((set, members)),
        }
    }
    chains
        .into_iter()
        .map(|(_, mut members)| {
            members.sort_unstable();
            members
        })
        .collect()
}

/// `smaller` refines nothing `larger` rules out, and both agree on strict modifiers.
fn compatible(smaller: &BTreeSet<String>, larger: &BTreeSet<String>) -> bool {
    fn strict(s: &BTreeSet<String>) -> impl Iterator<Item = &String> {
        s.iter().filter(|m| TERMS.is_strict_modifier(m))
    }
    smaller.is_subset(larger) && strict(smaller).eq(strict(larger))
}

/// The largest finite end of a figure, in absolute value.
fn magnitude(v: Interval) -> f64 {
    [v.low, v.high]
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0, |m: f64, x| m.max(x.abs()))
}

/// True for a figure specific enough to check on its own, whatever it counts: a sum of money,
/// a percentage, or a count of at least ten (smaller counts are narrative: "two aides").
/// How long something lasted is context, rarely a fact checked on its own.
pub(crate) fn is_checkable(q: &Quantity) -> bool {
    match q.unit {
        QuantityUnit::Count => magnitude(q.value) >= MIN_SINGLE_SOURCE_FIGURE,
        QuantityUnit::Percent | QuantityUnit::Money { .. } => {
            q.value.low.is_finite() || q.value.high.is_finite()
        }
        QuantityUnit::Duration => false,
    }
}

/// The interval of values a figure as written stands for.
pub(crate) fn reading(quantity: &Quantity, written: &str, options: &AlignOptions) -> Interval {
    let Interval { low, high } = quantity.value;
    match quantity.precision {
        Precision::Vague | Precision::Bound => quantity.value,
        Precision::Exact => Interval::between(
            low - rounding(low, options.exact_rounding_cap),
            high + rounding(high, options.exact_rounding_cap),
        ),
        Precision::Approximate if low < high => quantity.value,
        Precision::Approximate => {
            let spread = low.abs() * options.approximate_tolerance;
            match TERMS.lean(written) {
                Lean::Below => Interval::between(low - spread, high),
                Lean::Above => Interval::between(low, high + spread),
                Lean::Either => Interval::between(low - spread, high + spread),
            }
        }
    }
}

/// Half a unit of the last significant digit of `v` ("1,200" → 50, "4.8" → 0.05), at most
/// `cap` × |v|: a round figure stands for the values that round to it, but "1,000" should not
/// swallow 1,400.
fn rounding(v: f64, cap: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return 0.0;
    }
    let half = if v.fract() != 0.0 {
        let repr = format!("{}", v.abs());
        let decimals = repr
            .split_once('.')
            .map_or(0, |(_, frac)| frac.len().min(9));
        0.5 * 10f64.powi(-(decimals as i32))
    } else {
        let mut n = v.abs();
        let mut unit = 1.0;
        while n >= 10.0 && (n / 10.0).fract() == 0.0 && unit < 1e15 {
            n /= 10.0;
            unit *= 10.0;
        }
        0.5 * unit
    };
    half.min(cap * v.abs())
}

/// Claims of one chain that state the same reading, for explanations ("more than 600 (A, C)").
struct ValueCluster<'a> {
    written: &'a str,
    items: Vec<&'a Item<'a>>,
}

/// Splits items by reading and precision, in order of first appearance.
fn value_clusters<'a>(items: &[&'a Item<'a>]) -> Vec<ValueCluster<'a>> {
    let mut clusters: Vec<ValueCluster<'a>> = Vec::new();
    let mut index: HashMap<(u64, u64, Precision), usize> = HashMap::new();
    for &item in items {
        let key = (
            item.reading.low.to_bits(),
            item.reading.high.to_bits(),
            item.quantity.precision,
        );
        let c = *index.entry(key).or_insert_with(|| {
            clusters.push(ValueCluster {
                written: &item.written,
                items: Vec::new(),
            });
            clusters.len() - 1
        });
        clusters[c].items.push(item);
    }
    clusters
}

/// Describes clusters as "more than 600 (A, C) vs more than 550 (B)".
fn describe(ctx: &StoryContext<'_>, clusters: &[ValueCluster<'_>], joiner: &str) -> String {
    clusters
        .iter()
        .map(|c| {
            let refs: Vec<ClaimRef> = c.items.iter().map(|i| i.r).collect();
            format!("{} ({})", c.written, ctx.outlets(&refs))
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// The figures as a development over days, when they are one: articles published on
/// different days, one figure per day, rising (a toll, a count of signatories). Figures that
/// disagree on one day, or fall (counts in the news mostly accumulate: a lower figure later is
/// a correction or a conflict), stay a conflict. Returns the timeline, oldest first, naming
/// the latest figure.
fn development(ctx: &StoryContext<'_>, items: &[&Item<'_>]) -> Option<String> {
    let mut days: BTreeMap<_, Vec<&Item<'_>>> = BTreeMap::new();
    for item in items {
        let date = ctx.article(item.r.doc)?.article.published.as_ref()?.date;
        days.entry(date).or_default().push(item);
    }
    if days.len() < 2 || !days.values().all(|day| all_overlap(day)) {
        return None;
    }
    // Each day's figure as the interval its articles share.
    let steps: Vec<(f64, f64)> = days
        .values()
        .map(|day| {
            let low = day
                .iter()
                .map(|i| i.reading.low)
                .fold(f64::NEG_INFINITY, f64::max);
            let high = day
                .iter()
                .map(|i| i.reading.high)
                .fold(f64::INFINITY, f64::min);
            (low, high)
        })
        .collect();
    let never_falls = steps.windows(2).all(|w| w[1].1 >= w[0].0);
    if !never_falls {
        return None;
    }
    let described: Vec<String> = days
        .iter()
        .map(|(date, day)| {
            let refs: Vec<ClaimRef> = day.iter().map(|i| i.r).collect();
            format!("{} ({}, {date})", day[0].written, ctx.outlets(&refs))
        })
        .collect();
    let latest = described.last()?.clone();
    Some(format!("{}; latest {latest}", described.join(" → ")))
}

/// Evidence in the order clusters are described: each figure with what it counts, as one
/// span when they stand in one short stretch of a sentence ("six people", "apprehensions
/// have fallen in recent years, to 400,000"), else as two.
fn evidence(ctx: &StoryContext<'_>, clusters: &[ValueCluster<'_>]) -> Vec<Span> {
    let mut spans = Vec::new();
    for cluster in clusters {
        for item in &cluster.items {
            let (number, counted) = (item.quantity.number, item.counted.span);
            if counted == number {
                spans.push(number);
                continue;
            }
            let joined = Span {
                start: number.start.min(counted.start),
                end: number.end.max(counted.end),
                ..number
            };
            let between = Span {
                start: number.end.min(counted.end),
                end: number.start.max(counted.start),
                ..number
            };
            let one_stretch = between.start <= between.end
                && between.end - between.start <= MAX_JOINED_GAP
                && !ctx.text(between).contains(['.', ';', '?', '!', '\n']);
            if one_stretch && ctx.is_valid(joined, number.doc) {
                spans.push(joined);
            } else {
                spans.push(number);
                spans.push(counted);
            }
        }
    }
    spans
}

/// Bytes between a figure and what it counts within which they are quoted as one span.
const MAX_JOINED_GAP: usize = 80;

/// True when every reading shares at least one value (intervals on a line: Helly).
fn all_overlap(items: &[&Item<'_>]) -> bool {
    let low = items
        .iter()
        .map(|i| i.reading.low)
        .fold(f64::NEG_INFINITY, f64::max);
    let high = items
        .iter()
        .map(|i| i.reading.high)
        .fold(f64::INFINITY, f64::min);
    low <= high + high.abs() * 1e-9
}

/// Distinct figures among one-sided bounds: lower bounds (`more than N`) when `lower`, else
/// upper bounds (`up to N`).
fn bound_figures(items: &[&Item<'_>], lower: bool) -> Vec<f64> {
    let mut figures: Vec<f64> = items.iter().filter_map(|i| bound_of(i, lower)).collect();
    figures.sort_by(f64::total_cmp);
    figures.dedup_by(|a, b| (*a - *b).abs() <= b.abs() * 1e-9);
    figures
}

/// The figure of a one-sided bound: of a lower bound (`more than N`) when `lower`, else of an
/// upper bound (`up to N`, `0 to N`).
fn bound_of(item: &Item<'_>, lower: bool) -> Option<f64> {
    if item.quantity.precision != Precision::Bound {
        return None;
    }
    let Interval { low, high } = item.reading;
    match (lower, low.is_finite(), high.is_finite()) {
        (true, true, false) => Some(low),
        (false, false, true) => Some(high),
        (false, true, true) if low <= 0.0 => Some(high),
        _ => None,
    }
}

/// Gives one chain its verdict group(s).
fn judge(
    ctx: &StoryContext<'_>,
    key: &Key,
    items: &[&Item<'_>],
    options: &AlignOptions,
    out: &mut Vec<ClaimGroup>,
) {
    let Some(first) = items.first() else {
        return;
    };
    // "Six people were injured" is specific however unspecific "people" is.
    let generic = TERMS.is_generic_head(&key.head)
        && !key
            .predicate
            .as_deref()
            .is_some_and(|p| TERMS.is_event_role(p));
    let phrase = {
        let written = ctx.written(first.counted.span);
        let phrase = if written.is_empty() {
            first.counted.phrase.clone()
        } else {
            written
        };
        crate::context::shorten(&phrase, MAX_PHRASE_CHARS)
    };
    let topic = Topic::Quantity {
        counted: topic_label(key, items),
        unit: key.unit.clone(),
    };
    let shared_predicate = key.predicate.is_some() && !is_weak(key.predicate.as_deref());
    let group = |verdict: Verdict, explanation: String, members: &[&Item<'_>]| {
        let clusters = value_clusters(members);
        let claims: Vec<ClaimRef> = members.iter().map(|i| i.r).collect();
        let shared_modifiers = members.split_first().map_or(0, |(first, rest)| {
            first
                .modifiers
                .iter()
                .filter(|m| rest.iter().all(|i| i.modifiers.contains(*m)))
                .count()
        });
        let confidence = match verdict {
            Verdict::Conflict => {
                confidence::keyed_figures(shared_predicate, shared_modifiers, spread(members))
            }
            Verdict::VagueVsPrecise => {
                confidence::vague_figures(shared_predicate, shared_modifiers)
            }
            _ => confidence::FINDING,
        };
        ClaimGroup {
            topic: topic.clone(),
            verdict,
            explanation,
            independent_sources: ctx.sources_of_refs(&claims),
            claims,
            evidence: evidence(ctx, &clusters),
            diffs: Vec::new(),
            story: Some(ctx.story.id),
            confidence,
        }
    };
    let refs: Vec<ClaimRef> = items.iter().map(|i| i.r).collect();
    if ctx.sources_of_refs(&refs) < 2 {
        let strong_predicate = !is_weak(key.predicate.as_deref());
        // A sum of money named for a thing ("the damage … $35 million") is specific enough.
        let money = matches!(key.unit, QuantityUnit::Money { .. });
        let specific = !generic
            && (strong_predicate || money || first.modifiers.len() >= MIN_SHARED_MODIFIERS);
        let stated = items.iter().any(|i| {
            i.quantity.precision != Precision::Vague
                && (key.unit != QuantityUnit::Count
                    || magnitude(i.quantity.value) >= MIN_SINGLE_SOURCE_FIGURE)
        });
        if options.single_source_quantities && specific && stated && ctx.story_sources() >= 2 {
            let clusters = value_clusters(items);
            let explanation = format!(
                "only {} gives a figure for “{phrase}”: {}",
                ctx.outlets(&refs),
                clusters
                    .iter()
                    .map(|c| c.written)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out.push(group(Verdict::SingleSource, explanation, items));
        }
        return;
    }
    let (vague, stated): (Vec<&Item<'_>>, Vec<&Item<'_>>) = items
        .iter()
        .partition(|i| i.quantity.precision == Precision::Vague);
    let compared = if stated.is_empty() { &vague } else { &stated };
    let compared_refs: Vec<ClaimRef> = compared.iter().map(|i| i.r).collect();
    if ctx.sources_of_refs(&compared_refs) >= 2 {
        let clusters = value_clusters(compared);
        let lower = bound_figures(compared, true);
        let upper = bound_figures(compared, false);
        if !all_overlap(compared) {
            if !generic && spread(compared) <= MAX_CONFLICT_RATIO {
                match development(ctx, compared) {
                    Some(timeline) => {
                        let explanation =
                            format!("“{phrase}” changed as the story developed: {timeline}");
                        out.push(group(Verdict::Evolving, explanation, compared));
                    }
                    None => {
                        let explanation =
                            format!("“{phrase}”: {}", describe(ctx, &clusters, " vs "));
                        out.push(group(Verdict::Conflict, explanation, compared));
                    }
                }
            }
        } else if lower.len() >= 2 || upper.len() >= 2 {
            if !generic {
                let minimum = lower.len() >= 2;
                let kind = if minimum { "minimum" } else { "maximum" };
                let bounds: Vec<ValueCluster<'_>> = clusters
                    .into_iter()
                    .filter(|c| c.items.iter().all(|i| bound_of(i, minimum).is_some()))
                    .collect();
                let explanation = format!(
                    "outlets give different {kind} figures for “{phrase}”: {}",
                    describe(ctx, &bounds, " vs ")
                );
                out.push(group(Verdict::Conflict, explanation, compared));
            }
        } else {
            let explanation = format!(
                "“{phrase}”: {} agree allowing for rounding",
                describe(ctx, &clusters, ", ")
            );
            out.push(group(Verdict::Agree, explanation, compared));
        }
    }
    // "thousands of immigrants" beside 700,000 immigrants are two populations: a vague word
    // only stands beside figures of its own magnitude.
    let stated: Vec<&Item<'_>> = stated
        .into_iter()
        .filter(|s| vague.iter().any(|v| v.reading.overlaps(&s.reading)))
        .collect();
    if !vague.is_empty() && !stated.is_empty() && !generic {
        let vague_clusters = value_clusters(&vague);
        let stated_clusters = value_clusters(&stated);
        let explanation = format!(
            "“{phrase}”: vague {} beside figures {}",
            describe(ctx, &vague_clusters, ", "),
            describe(ctx, &stated_clusters, ", ")
        );
        let members: Vec<&Item<'_>> = vague.iter().chain(stated.iter()).copied().collect();
        out.push(group(Verdict::VagueVsPrecise, explanation, &members));
    }
}

/// Figures further apart than this under one key count different things ("100 pages" of
/// e-mails and "25,000 pages of documents"), not the same thing misreported: outlets that
/// disagree on one figure disagree within the same order of magnitude.
const MAX_CONFLICT_RATIO: f64 = 3.0;

/// The ratio of the largest to the smallest figure compared (finite ends only).
fn spread(items: &[&Item<'_>]) -> f64 {
    let values: Vec<f64> = items
        .iter()
        .flat_map(|i| [i.reading.low, i.reading.high])
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    if values.is_empty() { 1.0 } else { max / min }
}

/// The alignment key as shown in reports: shared modifiers, head, and predicate
/// ("former israeli security official (appeal)").
fn topic_label(key: &Key, items: &[&Item<'_>]) -> String {
    let mut shared: Option<BTreeSet<&String>> = None;
    for item in items {
        let set: BTreeSet<&String> = item.modifiers.iter().collect();
        shared = Some(match shared {
            None => set,
            Some(prev) => prev.intersection(&set).copied().collect(),
        });
    }
    let mut words: Vec<&str> = shared
        .unwrap_or_default()
        .into_iter()
        .map(String::as_str)
        .collect();
    words.push(&key.head);
    let mut label = words.join(" ");
    if let Some(p) = &key.predicate {
        label.push_str(&format!(" ({p})"));
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_last_significant_digit() {
        assert_eq!(rounding(550.0, 0.05), 5.0);
        assert_eq!(rounding(1200.0, 0.05), 50.0);
        assert!((rounding(4.8, 0.05) - 0.05).abs() < 1e-12);
        assert_eq!(rounding(1000.0, 0.05), 50.0, "capped at 5 %");
        assert_eq!(rounding(2_000_000.0, 0.05), 100_000.0);
        assert_eq!(rounding(f64::INFINITY, 0.05), 0.0);
    }

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn modifier_sets_must_nest_and_agree_on_strict_words() {
        let full = set(&["former", "israeli", "security", "senior"]);
        assert!(compatible(&set(&["former", "israeli", "security"]), &full));
        assert!(compatible(&set(&[]), &full));
        assert!(!compatible(&set(&["palestinian"]), &set(&["israeli"])));
        assert!(!compatible(&set(&[]), &set(&["additional"])));
    }
}
