//! Story clustering: TF-IDF vectors of the whole text (name, number and headline boosts), of
//! the lead and of the headline, candidate pairs from an inverted index of each article's rarest
//! key terms and headline words within a time window, and sparse average-link agglomeration.
//! [`StoryIndex`] does the same one article at a time.

use crate::ClusterOptions;
use crate::dedup::{self, DuplicatePair};
use crate::features::ArticleFeatures;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The result of clustering a batch of articles by their features.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Stories as lists of article indices; every article is in exactly one, stories are
    /// ordered by their first article and members are ascending.
    pub stories: Vec<Vec<u32>>,
    /// Near-duplicate pairs (always within one story).
    pub duplicates: Vec<DuplicatePair>,
}

impl Clustering {
    /// The story index of each article.
    pub fn labels(&self, n: usize) -> Vec<u32> {
        let mut out = vec![0; n];
        for (s, docs) in self.stories.iter().enumerate() {
            for &d in docs {
                if let Some(slot) = out.get_mut(d as usize) {
                    *slot = s as u32;
                }
            }
        }
        out
    }
}

/// Weighted edges `(a, b, similarity)` of the article graph.
type Edges = Vec<(u32, u32, f32)>;

/// A sparse, L2-normalised TF-IDF vector sorted by term id.
type Vector = Box<[(u32, f32)]>;

fn idf(df: u32, n: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Document frequencies: of each term over whole articles, and of each headline word over
/// headlines. Headline words are weighted by how many *headlines* use them, so that the fixed
/// words of headline templates ("X: fires hit the Y") count for little in the headline field.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Frequencies {
    pub(crate) terms: FxHashMap<u32, u32>,
    headlines: FxHashMap<u32, u32>,
}

impl Frequencies {
    /// Counts the terms and headline words of `f`.
    pub(crate) fn add(&mut self, f: &ArticleFeatures) {
        for &(t, _) in f.terms.iter() {
            *self.terms.entry(t).or_default() += 1;
        }
        for &t in f.headline.iter() {
            *self.headlines.entry(t).or_default() += 1;
        }
    }

    /// Adds the counts of `other`.
    pub(crate) fn merge(mut self, other: Self) -> Self {
        for (mine, theirs) in [
            (&mut self.terms, other.terms),
            (&mut self.headlines, other.headlines),
        ] {
            for (t, c) in theirs {
                *mine.entry(t).or_default() += c;
            }
        }
        self
    }

    fn term(&self, t: u32) -> u32 {
        self.terms.get(&t).copied().unwrap_or(0)
    }

    fn headline(&self, t: u32) -> u32 {
        self.headlines.get(&t).copied().unwrap_or(0)
    }
}

/// The TF-IDF vectors of one article's fields, each L2-normalised.
///
/// Stories are compared field by field: the whole text (names, numbers and headline words
/// boosted, top `vector_terms` terms), the lead (headline plus the first sentences, where
/// news style says who, what, where and when) and the headline alone. Comparing the lead on its
/// own keeps a long article's background paragraphs from drowning out what the report is about.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    whole: Vector,
    lead: Vector,
    headline: Vector,
}

/// Similarity of two articles: the weighted mean of the field cosines (`whole_weight`,
/// `lead_weight`, `headline_weight`) over the fields both articles have (the whole text alone
/// when either lead is empty).
fn similarity(a: &Fields, b: &Fields, options: &ClusterOptions) -> f32 {
    let mut sum = options.whole_weight * cosine(&a.whole, &b.whole);
    let mut weights = options.whole_weight;
    if !a.lead.is_empty() && !b.lead.is_empty() {
        sum += options.lead_weight * cosine(&a.lead, &b.lead);
        weights += options.lead_weight;
    }
    if !a.headline.is_empty() && !b.headline.is_empty() {
        sum += options.headline_weight * cosine(&a.headline, &b.headline);
        weights += options.headline_weight;
    }
    if weights > 0.0 { sum / weights } else { 0.0 }
}

/// Sublinear tf × idf, L2-normalised, sorted by term id.
fn normalized(mut weighted: Vec<(u32, f32)>) -> Vector {
    let norm = weighted.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    for (_, w) in &mut weighted {
        *w = if norm > 0.0 { *w / norm } else { 0.0 };
    }
    weighted.sort_unstable_by_key(|&(t, _)| t);
    weighted.into_boxed_slice()
}

/// The field vectors of `f` and its key terms (highest weights, rare enough to index).
pub(crate) fn vectorize(
    f: &ArticleFeatures,
    freq: &Frequencies,
    n: u32,
    options: &ClusterOptions,
) -> (Fields, Vec<u32>) {
    let max_df = options.max_key_df(n);
    let mut weighted: Vec<(u32, f32, u32)> = f
        .terms
        .iter()
        .map(|&(t, raw)| {
            let d = freq.term(t);
            (t, (1.0 + raw.ln()) * idf(d, n), d)
        })
        .collect();
    weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let indexable = |d: u32| d >= 2 && d <= max_df;
    let mut keys: Vec<u32> = weighted
        .iter()
        .filter(|&&(_, _, d)| indexable(d))
        .take(options.key_terms)
        .map(|&(t, _, _)| t)
        .collect();
    // Headline words are keys too: two reports of one event often share little more than the
    // words of their headlines beyond what the top weights of long texts pick.
    for &t in f.headline.iter() {
        if indexable(freq.term(t)) && !keys.contains(&t) {
            keys.push(t);
        }
    }
    weighted.truncate(options.vector_terms);
    let field = |terms: &[(u32, f32)]| {
        normalized(
            terms
                .iter()
                .map(|&(t, c)| (t, (1.0 + c.ln()) * idf(freq.term(t), n)))
                .collect(),
        )
    };
    let fields = Fields {
        whole: normalized(weighted.into_iter().map(|(t, w, _)| (t, w)).collect()),
        lead: field(&f.lead),
        headline: normalized(
            f.headline
                .iter()
                .map(|&t| (t, idf(freq.headline(t), n)))
                .collect(),
        ),
    };
    (fields, keys)
}

/// The `max` ids occurring most often in `seen` (ties: lower id first), excluding `me`.
/// Sorting a short vector beats a hash map here: it is a few hundred ids per article.
pub(crate) fn most_shared(mut seen: Vec<u32>, me: u32, max: usize) -> Vec<u32> {
    seen.sort_unstable();
    let mut counted: Vec<(Reverse<u32>, u32)> = seen
        .chunk_by(|a, b| a == b)
        .filter(|run| run[0] != me)
        .map(|run| (Reverse(run.len() as u32), run[0]))
        .collect();
    if counted.len() > max {
        counted.select_nth_unstable(max);
        counted.truncate(max);
    }
    counted.sort_unstable();
    counted.into_iter().map(|(_, id)| id).collect()
}

fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    // A merge of two sorted lists, written without unpredictable branches: both cursors advance
    // by comparison results, and the product is added only where the ids are equal.
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while let (Some(&(x, wx)), Some(&(y, wy))) = (a.get(i), b.get(j)) {
        s += if x == y { wx * wy } else { 0.0 };
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    s
}

/// Down-weights pairs published far apart: 1 within `time_grace_days`, then exponential decay.
fn time_factor(a: Option<i32>, b: Option<i32>, options: &ClusterOptions) -> f32 {
    match (a, b) {
        (Some(x), Some(y)) => {
            let dt = (x - y).unsigned_abs() as f32;
            if dt <= options.time_grace_days {
                1.0
            } else {
                (-(dt - options.time_grace_days) / options.time_decay_days).exp()
            }
        }
        _ => 1.0,
    }
}

fn within_window(a: Option<i32>, b: Option<i32>, options: &ClusterOptions) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).unsigned_abs() <= options.max_days,
        _ => true,
    }
}

/// Postings of key terms, each list sorted by (day, doc) so a time window is a sub-slice.
struct Postings {
    offsets: FxHashMap<u32, (u32, u32)>,
    entries: Vec<(i32, u32)>,
}

impl Postings {
    /// Postings of `keys[s]` for slot `s`, which stands for article `docs[s]`.
    fn build(keys: &[Vec<u32>], docs: &[u32], days: &[Option<i32>]) -> Self {
        let mut triples: Vec<(u32, i32, u32)> = docs
            .iter()
            .zip(keys)
            .enumerate()
            .flat_map(|(s, (&d, ks))| {
                let day = days.get(d as usize).copied().flatten().unwrap_or(i32::MIN);
                ks.iter().map(move |&t| (t, day, s as u32))
            })
            .collect();
        triples.par_sort_unstable();
        let mut offsets = FxHashMap::default();
        let mut start = 0usize;
        for run in triples.chunk_by(|x, y| x.0 == y.0) {
            offsets.insert(run[0].0, (start as u32, (start + run.len()) as u32));
            start += run.len();
        }
        let entries = triples.into_iter().map(|(_, day, d)| (day, d)).collect();
        Self { offsets, entries }
    }

    /// Slots indexed under `term` within the window around `day` (see [`window`]).
    fn near(
        &self,
        term: u32,
        day: Option<i32>,
        max_days: u32,
        limit: usize,
    ) -> impl Iterator<Item = u32> + '_ {
        let list = self
            .offsets
            .get(&term)
            .and_then(|&(s, e)| self.entries.get(s as usize..e as usize))
            .unwrap_or(&[]);
        window(list, day, max_days, limit)
    }
}

/// The entries of one posting `list` (sorted by (day, id), undated entries first with the day
/// `i32::MIN`) that an article of `day` scans: at most `limit` of them, the nearest in time
/// within `max_days`, so that a common name costs the same at any corpus size.
pub(crate) fn window(
    list: &[(i32, u32)],
    day: Option<i32>,
    max_days: u32,
    limit: usize,
) -> impl Iterator<Item = u32> + '_ {
    let undated = list.partition_point(|&(d, _)| d == i32::MIN);
    let (head, dated) = list.split_at(undated);
    let half = limit / 2;
    let window = match day {
        Some(day) => {
            // One binary search for the article's day, then the `limit` postings around it,
            // trimmed to the time window (a search over those few, not the whole list).
            let mid = dated.partition_point(|&(d, _)| d < day);
            let around = dated
                .get(mid.saturating_sub(half)..(mid + half).min(dated.len()))
                .unwrap_or(&[]);
            let lo = around.partition_point(|&(d, _)| d < day.saturating_sub(max_days as i32));
            let hi = around.partition_point(|&(d, _)| d <= day.saturating_add(max_days as i32));
            around.get(lo..hi.max(lo)).unwrap_or(&[])
        }
        None => dated.get(..limit.min(dated.len())).unwrap_or(&[]),
    };
    head.iter().take(half).chain(window).map(|&(_, d)| d)
}

/// Clusters articles given as features (the crawl-scale entry point: no text needed).
pub fn cluster_features(features: &[ArticleFeatures], options: &ClusterOptions) -> Clustering {
    let reps = representatives(&dedup::exact_representatives(features));
    let df = document_frequencies(features, &reps);
    cluster_weighted(features, &df, reps.len() as u32, None, options)
}

/// The articles that stand for their group of exact copies (see
/// [`dedup::exact_representatives`]), ascending.
pub(crate) fn representatives(representative: &[u32]) -> Vec<u32> {
    (0..representative.len() as u32)
        .filter(|&i| representative.get(i as usize) == Some(&i))
        .collect()
}

/// What a whole run decided for some of its articles (indices into the features): its
/// candidate pairs, found over the run rather than searched for among the articles at hand
/// (story candidates from key terms, near-duplicate candidates from LSH buckets, each pair
/// `(lower, higher)`), and its average-link clusters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GivenPairs<'a> {
    pub(crate) similar: &'a [(u32, u32)],
    pub(crate) duplicates: &'a [(u32, u32)],
    /// For each article, the article that names its average-link cluster in the run (see
    /// [`average_link_by_component`]): the run's label, not re-run here (see
    /// [`crate::cluster_part`] for why).
    pub(crate) clusters: &'a [u32],
}

/// [`cluster_features`] with TF-IDF weights from `df`, the document frequencies over `nr`
/// exact-copy representatives: those of `features` themselves, or of a whole run when
/// `features` are a part of it (see [`crate::RunStatistics`]). With `given` pairs and clusters
/// the candidates and the average-link clusters are those instead of the ones a search and
/// average link among `features` would find.
pub(crate) fn cluster_weighted(
    features: &[ArticleFeatures],
    df: &Frequencies,
    nr: u32,
    given: Option<GivenPairs<'_>>,
    options: &ClusterOptions,
) -> Clustering {
    let n = features.len();
    let representative = dedup::exact_representatives(features);
    let reps = representatives(&representative);
    let edges = match given {
        Some(given) => {
            // The given pairs of articles as pairs of representative slots.
            let slot = |d: u32| reps.binary_search(&d).ok().map(|s| s as u32);
            let mut pairs: Vec<(u32, u32)> = given
                .similar
                .iter()
                .filter_map(|&(a, b)| Some((slot(a)?, slot(b)?)))
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            let vectors: Vec<Fields> = reps
                .par_iter()
                .map(|&d| vectorize(&features[d as usize], df, nr, options).0)
                .collect();
            scored_edges(features, &reps, &vectors, &pairs, options)
        }
        None => story_edges(features, &reps, df, nr, options),
    };
    let slot_days: Vec<Option<i32>> = reps.iter().map(|&d| features[d as usize].day).collect();
    // The run's clusters as slot labels: the slot of the article naming the cluster, which is
    // a representative (only representatives have story links).
    let given_labels = given.map(|g| {
        (0..reps.len())
            .map(|s| {
                let named = reps
                    .get(s)
                    .and_then(|&d| g.clusters.get(d as usize))
                    .and_then(|c| reps.binary_search(c).ok());
                named.unwrap_or(s) as u32
            })
            .collect::<Vec<u32>>()
    });
    // Near-duplicates and average link are independent until the final union, so they run side
    // by side: the near-duplicate tasks fill the core that serial average link on a giant
    // component leaves idle.
    let (duplicates, slot_label) = rayon::join(
        || {
            let mut clock = PhaseClock::from_env();
            let found = dedup::find_duplicates(
                features,
                &representative,
                given.map(|g| g.duplicates),
                options,
            );
            clock.lap("near-duplicates (alongside average link)");
            found
        },
        || {
            let mut clock = PhaseClock::from_env();
            let mut labels = given_labels.unwrap_or_else(|| {
                average_link_by_component(reps.len(), &edges, options.story_threshold)
            });
            clock.lap("average link");
            let fields = |s: u32| {
                let f = &features[reps[s as usize] as usize];
                vectorize(f, df, nr, options).0
            };
            attach_singletons(&mut labels, &edges, fields, &slot_days, options);
            clock.lap("singletons");
            labels
        },
    );
    drop(edges);
    let mut clock = PhaseClock::from_env();

    // Copies follow their representative; confirmed near-duplicates join stories.
    let mut uf = UnionFind::new(n);
    for (i, &r) in representative.iter().enumerate() {
        uf.union(i as u32, r);
    }
    let mut first_of_label: FxHashMap<u32, u32> = FxHashMap::default();
    for (s, &l) in slot_label.iter().enumerate() {
        let d = reps[s];
        let f = *first_of_label.entry(l).or_insert(d);
        uf.union(f, d);
    }
    for p in &duplicates {
        uf.union(p.a, p.b);
    }
    let stories = uf.groups();
    clock.lap("stories");
    Clustering {
        stories,
        duplicates,
    }
}

/// Prints the wall time of each phase of [`cluster_features`] to standard error when the
/// environment variable `CORROBORATE_CLUSTER_TIMING` is set (for profiling at scale).
struct PhaseClock {
    last: Option<std::time::Instant>,
}

impl PhaseClock {
    fn from_env() -> Self {
        Self {
            last: std::env::var_os("CORROBORATE_CLUSTER_TIMING").map(|_| std::time::Instant::now()),
        }
    }

    fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last.as_mut() {
            eprintln!(
                "cluster phase {phase}: {:.2} s",
                last.elapsed().as_secs_f64()
            );
            *last = std::time::Instant::now();
        }
    }
}

/// Field vectors of the representative slots (`reps[s]` is the article of slot `s`), weighted
/// with `df` over `nr` representatives, and the deduplicated candidate pairs of slots from the
/// key-term index.
fn candidates(
    features: &[ArticleFeatures],
    reps: &[u32],
    df: &Frequencies,
    nr: u32,
    options: &ClusterOptions,
) -> (Vec<Fields>, Vec<(u32, u32)>) {
    let mut clock = PhaseClock::from_env();
    let (vectors, keys): (Vec<Fields>, Vec<Vec<u32>>) = reps
        .par_iter()
        .map(|&d| vectorize(&features[d as usize], df, nr, options))
        .unzip();
    clock.lap("vectors");
    let days: Vec<Option<i32>> = features.iter().map(|f| f.day).collect();
    let postings = Postings::build(&keys, reps, &days);
    clock.lap("postings");
    // Candidate pairs first (each pair is usually found from both ends), scored once.
    let mut pairs = candidate_pairs(reps, &keys, &days, &postings, options);
    pairs.par_sort_unstable();
    pairs.dedup();
    clock.lap("candidate pairs");
    (vectors, pairs)
}

/// The similarity graph over representative slots (`reps[s]` is the article of slot `s`):
/// candidate pairs and their similarities at or above `edge_min`.
fn story_edges(
    features: &[ArticleFeatures],
    reps: &[u32],
    df: &Frequencies,
    nr: u32,
    options: &ClusterOptions,
) -> Edges {
    let (vectors, pairs) = candidates(features, reps, df, nr, options);
    let mut clock = PhaseClock::from_env();
    let edges = scored_edges(features, reps, &vectors, &pairs, options);
    drop(pairs);
    clock.lap("similarities");
    edges
}

/// The similarities of candidate `pairs` of slots (sorted) at or above `edge_min`.
fn scored_edges(
    features: &[ArticleFeatures],
    reps: &[u32],
    vectors: &[Fields],
    pairs: &[(u32, u32)],
    options: &ClusterOptions,
) -> Edges {
    pairs
        .par_iter()
        .filter_map(|&(x, y)| {
            let (dx, dy) = (*reps.get(x as usize)?, *reps.get(y as usize)?);
            let sim = similarity(vectors.get(x as usize)?, vectors.get(y as usize)?, options)
                * time_factor(
                    features[dx as usize].day,
                    features[dy as usize].day,
                    options,
                );
            (sim >= options.edge_min).then_some((x, y, sim))
        })
        .collect()
}

/// The similarity of two representatives `a` and `b` of a run weighted by `df` over `nr`
/// representatives when they are an edge of its similarity graph (at or above `edge_min`).
pub(crate) fn edge(
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    df: &Frequencies,
    nr: u32,
    options: &ClusterOptions,
) -> Option<f32> {
    let (va, vb) = (
        vectorize(a, df, nr, options).0,
        vectorize(b, df, nr, options).0,
    );
    let sim = similarity(&va, &vb, options) * time_factor(a.day, b.day, options);
    (sim >= options.edge_min).then_some(sim)
}

/// The similarity signals of one candidate pair of articles (see [`pair_signals`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSignals {
    /// The lower article index.
    pub a: u32,
    /// The higher article index.
    pub b: u32,
    /// Cosine of the whole-text vectors.
    pub whole: f32,
    /// Cosine of the lead vectors (0 when either lead is empty).
    pub lead: f32,
    /// Cosine of the idf-weighted headline vectors (0 when either headline is empty).
    pub headline: f32,
    /// Days between the publication dates, when both are known.
    pub days_apart: Option<u32>,
    /// The time factor (1 within the grace period, then exponential decay).
    pub time: f32,
    /// The similarity clustering uses: the weighted field cosines times the time factor.
    pub score: f32,
}

/// The signals of every candidate pair the key-term index proposes among exact-copy
/// representatives (before the `edge_min` floor): for fitting the similarity weights and for
/// diagnostics such as how many same-story pairs are candidates at all.
pub fn pair_signals(features: &[ArticleFeatures], options: &ClusterOptions) -> Vec<PairSignals> {
    let reps = representatives(&dedup::exact_representatives(features));
    let df = document_frequencies(features, &reps);
    let (vectors, pairs) = candidates(features, &reps, &df, reps.len() as u32, options);
    pairs
        .iter()
        .map(|&(x, y)| {
            let (vx, vy) = (&vectors[x as usize], &vectors[y as usize]);
            let (fa, fb) = (
                &features[reps[x as usize] as usize],
                &features[reps[y as usize] as usize],
            );
            let time = time_factor(fa.day, fb.day, options);
            PairSignals {
                a: reps[x as usize],
                b: reps[y as usize],
                whole: cosine(&vx.whole, &vy.whole),
                lead: cosine(&vx.lead, &vy.lead),
                headline: cosine(&vx.headline, &vy.headline),
                days_apart: fa.day.zip(fb.day).map(|(p, q)| (p - q).unsigned_abs()),
                time,
                score: similarity(vx, vy, options) * time,
            }
        })
        .collect()
}

/// Pairs of slots (`min`, `max`) sharing key terms: for each slot, the `max_candidates` slots
/// that share most of its key terms among the postings nearest in time.
fn candidate_pairs(
    reps: &[u32],
    keys: &[Vec<u32>],
    days: &[Option<i32>],
    postings: &Postings,
    options: &ClusterOptions,
) -> Vec<(u32, u32)> {
    (0..reps.len())
        .into_par_iter()
        .flat_map_iter(|s| {
            let day = days[reps[s] as usize];
            let mut seen: Vec<u32> = Vec::with_capacity(keys[s].len() * options.max_postings_scan);
            for &t in &keys[s] {
                seen.extend(postings.near(t, day, options.max_days, options.max_postings_scan));
            }
            let me = s as u32;
            most_shared(seen, me, options.max_candidates)
                .into_iter()
                .map(move |so| (me.min(so), me.max(so)))
        })
        .collect()
}

/// Document frequencies over the articles `docs` of `features`.
pub(crate) fn document_frequencies(features: &[ArticleFeatures], docs: &[u32]) -> Frequencies {
    docs.par_iter()
        .fold(Frequencies::default, |mut m, &d| {
            if let Some(f) = features.get(d as usize) {
                m.add(f);
            }
            m
        })
        .reduce(Frequencies::default, |a, b| {
            if a.terms.len() >= b.terms.len() {
                a.merge(b)
            } else {
                b.merge(a)
            }
        })
}

/// A story's summed member field vectors and the span of its members' days.
#[derive(Default)]
struct Centroid {
    whole: FxHashMap<u32, f32>,
    lead: FxHashMap<u32, f32>,
    headline: FxHashMap<u32, f32>,
    span: Option<(i32, i32)>,
}

impl Centroid {
    fn add(&mut self, f: &Fields, day: Option<i32>) {
        for &(t, w) in f.whole.iter() {
            *self.whole.entry(t).or_default() += w;
        }
        for &(t, w) in f.lead.iter() {
            *self.lead.entry(t).or_default() += w;
        }
        for &(t, w) in f.headline.iter() {
            *self.headline.entry(t).or_default() += w;
        }
        if let Some(d) = day {
            self.span = Some(self.span.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
    }

    /// The normalised centroid fields and the day span.
    fn finish(self) -> (Fields, Option<(i32, i32)>) {
        let fields = Fields {
            whole: normalized(self.whole.into_iter().collect()),
            lead: normalized(self.lead.into_iter().collect()),
            headline: normalized(self.headline.into_iter().collect()),
        };
        (fields, self.span)
    }
}

/// Lets an article left alone by average link join the story whose **centroid** it is most
/// similar to, when that similarity, times the time factor to the nearest end of the story's
/// span, reaches `singleton_threshold`. A report with little text (a short update, a thin
/// extraction) or one dated far from the rest (a crawl or update date) rarely reaches the
/// threshold against every member of a story, but the centroid (the normalised sum of the
/// members' field vectors, as in centroid-based news-stream clustering) keeps what the members
/// share and averages out what each says alone, so it still points at the story. Candidates
/// are the stories the article has an edge to; only their centroids are built, from the
/// vectors `fields` recomputes for their members (none are kept through average link). All
/// choices are made against the stories as average link left them, so attachments never chain.
fn attach_singletons(
    labels: &mut [u32],
    edges: &[(u32, u32, f32)],
    fields: impl Fn(u32) -> Fields,
    days: &[Option<i32>],
    options: &ClusterOptions,
) {
    let mut size: FxHashMap<u32, u32> = FxHashMap::default();
    for &l in labels.iter() {
        *size.entry(l).or_default() += 1;
    }
    let alone = |i: u32| size.get(&labels[i as usize]) == Some(&1);
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for &(a, b, _) in edges {
        if alone(a) && !alone(b) {
            candidates.push((a, labels[b as usize]));
        }
        if alone(b) && !alone(a) {
            candidates.push((b, labels[a as usize]));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let wanted: FxHashSet<u32> = candidates.iter().map(|&(_, l)| l).collect();
    let vectors: FxHashMap<u32, Fields> = candidates
        .iter()
        .map(|&(a, _)| a)
        .collect::<FxHashSet<u32>>()
        .into_iter()
        .map(|a| (a, fields(a)))
        .collect();
    // Summed member vectors and the span of member days, per candidate story.
    let mut sums: FxHashMap<u32, Centroid> = FxHashMap::default();
    for (i, &l) in labels.iter().enumerate() {
        if wanted.contains(&l) {
            sums.entry(l).or_default().add(&fields(i as u32), days[i]);
        }
    }
    let centroids: FxHashMap<u32, (Fields, Option<(i32, i32)>)> =
        sums.into_iter().map(|(l, c)| (l, c.finish())).collect();
    let mut best: FxHashMap<u32, (f32, u32)> = FxHashMap::default();
    for &(a, l) in &candidates {
        let (Some((c, span)), Some(v)) = (centroids.get(&l), vectors.get(&a)) else {
            continue;
        };
        let nearest = match (days[a as usize], span) {
            (Some(d), Some((lo, hi))) => Some(d.clamp(*lo, *hi)),
            _ => None,
        };
        let s = similarity(v, c, options) * time_factor(days[a as usize], nearest, options);
        let e = best.entry(a).or_insert((f32::MIN, u32::MAX));
        if s > e.0 || (s == e.0 && l < e.1) {
            *e = (s, l);
        }
    }
    for (a, (s, l)) in best {
        if s >= options.singleton_threshold {
            labels[a as usize] = l;
        }
    }
}

/// Average link run separately (and in parallel) on each connected component of the edges at
/// or above `threshold`: two stories can only merge if some pair between them is that similar,
/// so no merge crosses components, and each heap stays small. Returns for each node the node
/// that names its cluster.
///
/// A component's nodes are numbered in ascending order and its heap ties are broken by those
/// numbers, so the labels depend only on the edges and the order of the node ids: the run's
/// links over article ids give the labels the run's edges over representative slots give.
pub(crate) fn average_link_by_component(
    n: usize,
    edges: &[(u32, u32, f32)],
    threshold: f32,
) -> Vec<u32> {
    let mut uf = UnionFind::new(n);
    for &(a, b, s) in edges {
        if s >= threshold {
            uf.union(a, b);
        }
    }
    let root: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
    // Local index of each node inside its component, and the component's members.
    let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, &r) in root.iter().enumerate() {
        members.entry(r).or_default().push(i as u32);
    }
    let mut local = vec![0u32; n];
    for list in members.values() {
        for (k, &i) in list.iter().enumerate() {
            local[i as usize] = k as u32;
        }
    }
    let mut by_component: FxHashMap<u32, Edges> = FxHashMap::default();
    for &(a, b, s) in edges {
        let (ra, rb) = (root[a as usize], root[b as usize]);
        if ra == rb {
            by_component
                .entry(ra)
                .or_default()
                .push((local[a as usize], local[b as usize], s));
        }
    }
    let mut jobs: Vec<(u32, Edges)> = by_component.into_iter().collect();
    // Largest first, so that a giant component starts at once and the rest fill other cores.
    jobs.sort_unstable_by_key(|(r, e)| (Reverse(e.len()), *r));
    if std::env::var_os("CORROBORATE_CLUSTER_TIMING").is_some() {
        let largest = members.values().map(Vec::len).max().unwrap_or(0);
        eprintln!(
            "cluster components: {} with edges, largest {largest} articles",
            jobs.len()
        );
    }
    let results: Vec<(u32, Vec<u32>)> = jobs
        .into_par_iter()
        .map(|(r, e)| {
            let size = members.get(&r).map_or(0, Vec::len);
            (r, average_link(size, &e, threshold))
        })
        .collect();
    let mut labels: Vec<u32> = (0..n as u32).collect();
    for (r, local_labels) in results {
        if let Some(list) = members.get(&r) {
            for (&global, &l) in list.iter().zip(&local_labels) {
                if let Some(&head) = list.get(l as usize) {
                    labels[global as usize] = head;
                }
            }
        }
    }
    labels
}

/// Average-link agglomerative clustering over a sparse similarity graph (absent pairs count as
/// similarity 0), merging while the best average link is at least `threshold`. Returns a
/// cluster label per node.
///
/// The heap holds upper bounds, re-scored only when they reach the top. Invariant: every pair of
/// current clusters whose average link is at least `threshold` has an entry (naming a member of
/// each) whose key is at least that average. After merging `a` and `b`, the average with a third
/// cluster is a weighted mean of the averages of `a` and `b` with it, so the larger of their
/// entries still bounds it. An entry whose re-scored average equals its key is the true best
/// pair. This avoids pushing an entry for every neighbour of a growing story at every merge,
/// which was quadratic in the story size.
fn average_link(n: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<u32> {
    let mut adj: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); n];
    for &(a, b, s) in edges {
        if let Some(m) = adj.get_mut(a as usize) {
            *m.entry(b).or_default() += s;
        }
        if let Some(m) = adj.get_mut(b as usize) {
            *m.entry(a).or_default() += s;
        }
    }
    let mut size = vec![1u32; n];
    let mut uf = UnionFind::new(n);
    // (bound as ordered bits, a, b); averages are non-negative so their bit patterns order like
    // the values. Only pairs at or above the threshold can start a merge; weaker edges still
    // count in the sums of `adj`. The initial edges are sorted once (a sequential scan instead of
    // millions of heap pops); only re-scored entries go through the heap, and the next entry is
    // the larger of the two heads, so the order is that of one heap holding both.
    let mut initial: Vec<(u32, u32, u32)> = edges
        .iter()
        .filter(|&&(_, _, s)| s >= threshold)
        .map(|&(a, b, s)| (s.to_bits(), a, b))
        .collect();
    initial.par_sort_unstable_by(|x, y| y.cmp(x));
    let mut initial = initial.into_iter().peekable();
    let mut heap: BinaryHeap<(u32, u32, u32)> = BinaryHeap::new();
    loop {
        let from_heap = match (initial.peek(), heap.peek()) {
            (Some(x), Some(y)) => y > x,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let next = if from_heap {
            heap.pop()
        } else {
            initial.next()
        };
        let Some((bits, a, b)) = next else {
            break;
        };
        let bound = f32::from_bits(bits);
        if bound < threshold {
            break;
        }
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra == rb {
            continue;
        }
        let (ai, bi) = (ra as usize, rb as usize);
        let sum = adj.get(ai).and_then(|m| m.get(&rb)).copied().unwrap_or(0.0);
        let avg = sum / (size[ai] as f32 * size[bi] as f32);
        if avg < bound {
            if avg >= threshold {
                heap.push((avg.to_bits(), ra, rb));
            }
            continue;
        }
        // Merge the cluster with fewer neighbours into the other (cost: its neighbours).
        let (keep, gone) = if adj[ai].len() >= adj[bi].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let (k, g) = (keep as usize, gone as usize);
        uf.attach(gone, keep);
        size[k] += size[g];
        let moved = std::mem::take(&mut adj[g]);
        adj[k].remove(&gone);
        for (c, s) in moved {
            if c == keep {
                continue;
            }
            *adj[k].entry(c).or_default() += s;
            if let Some(m) = adj.get_mut(c as usize) {
                m.remove(&gone);
                *m.entry(keep).or_default() += s;
            }
        }
    }
    (0..n as u32).map(|i| uf.find(i)).collect()
}

/// Union-find with path halving.
#[derive(Debug, Default)]
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while let Some(&p) = self.parent.get(x as usize) {
            if p == x {
                break;
            }
            let gp = self.parent.get(p as usize).copied().unwrap_or(p);
            self.parent[x as usize] = gp;
            x = gp;
        }
        x
    }

    /// Adds one element, alone in its set.
    fn push(&mut self) {
        self.parent.push(self.parent.len() as u32);
    }

    /// The root of `x` without shortening paths (for readers holding `&self`).
    fn root(&self, mut x: u32) -> u32 {
        while let Some(&p) = self.parent.get(x as usize) {
            if p == x {
                break;
            }
            x = p;
        }
        x
    }

    /// Makes root `child` a child of root `root` (whatever their order).
    fn attach(&mut self, child: u32, root: u32) {
        if let Some(p) = self.parent.get_mut(child as usize) {
            *p = root;
        }
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            if let Some(p) = self.parent.get_mut(hi as usize) {
                *p = lo;
            }
        }
    }

    /// Groups by root, ordered by first member.
    fn groups(&mut self) -> Vec<Vec<u32>> {
        let n = self.parent.len();
        let mut index: FxHashMap<u32, usize> = FxHashMap::default();
        let mut out: Vec<Vec<u32>> = Vec::new();
        for i in 0..n as u32 {
            let r = self.find(i);
            let g = *index.entry(r).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[g].push(i);
        }
        out
    }
}

/// Streaming story index: each new article joins the story it links to best (average link over
/// the members that share key terms with it) or opens a new one, without recomputing anything;
/// then its story merges with another one when the average link between the two stories
/// reaches the threshold (batch average link, story against story, run where the new article's
/// links changed a sum), so a story's later reports that each link to only a few members can
/// still bring their own small story in.
///
/// Document frequencies grow as articles arrive, so early articles are weighted with the
/// statistics known when they came; batch [`cluster_features`] sees the whole set at once and
/// is the better choice when the set is known in advance.
#[derive(Debug, Default)]
pub struct StoryIndex {
    options: ClusterOptions,
    features: Vec<ArticleFeatures>,
    vectors: Vec<Fields>,
    df: Frequencies,
    postings: FxHashMap<u32, Vec<u32>>,
    bands: Vec<FxHashMap<u64, Vec<u32>>>,
    exact: FxHashMap<u64, u32>,
    story_of: Vec<u32>,
    /// Members of each story id (empty once the story merged into another).
    members: Vec<Vec<u32>>,
    /// Summed similarities of the article pairs between two stories, per story (both ways).
    cross: Vec<FxHashMap<u32, f32>>,
    duplicates: Vec<DuplicatePair>,
    /// The articles batch clustering could put in one story with each article (see
    /// [`StoryIndex::part_ids`]).
    parts: UnionFind,
    /// Whether each article has a link at or above the story threshold.
    strong: Vec<bool>,
}

impl StoryIndex {
    /// An empty index with `options`.
    pub fn new(options: ClusterOptions) -> Self {
        Self {
            bands: vec![FxHashMap::default(); options.minhash_bands],
            options,
            ..Self::default()
        }
    }

    /// Adds one article and returns the id of its story after any merges it caused. The
    /// article's index is the number of articles inserted before it. A later merge can retire
    /// an id returned earlier: [`StoryIndex::story_ids`] has the current ones.
    pub fn insert(&mut self, features: ArticleFeatures) -> usize {
        let me = self.features.len() as u32;
        // Confirmed near-duplicates of the new article, and its links with their similarity.
        let mut copies: Vec<u32> = Vec::new();
        let mut pairs: Vec<(u32, f32)> = Vec::new();
        // Exact copies and confirmed near-duplicates decide the story outright.
        let mut story = if let Some(&first) = self
            .exact
            .get(&features.exact)
            .filter(|_| !features.is_empty())
        {
            if let Some(p) = self
                .features
                .get(first as usize)
                .and_then(|f| dedup::confirm(first, me, f, &features, &self.options))
            {
                self.duplicates.push(p);
            }
            self.story_of.get(first as usize).copied()
        } else {
            if !features.is_empty() {
                self.exact.insert(features.exact, me);
            }
            let mut seen = FxHashSet::default();
            let rows = self.options.minhash_rows.max(1);
            for (band, table) in self.bands.iter_mut().enumerate() {
                let Some(key) = dedup::band_key(&features.signature, band, rows) else {
                    continue;
                };
                let bucket = table.entry(key).or_default();
                for &other in bucket.iter().rev().take(self.options.max_bucket) {
                    seen.insert(other);
                }
                bucket.push(me);
            }
            let mut found: Vec<DuplicatePair> = seen
                .into_iter()
                .filter_map(|o| {
                    let f = self.features.get(o as usize)?;
                    if !dedup::plausible(f, &features, &self.options) {
                        return None;
                    }
                    dedup::confirm(o, me, f, &features, &self.options)
                })
                .collect();
            found.sort_by(|x, y| y.similarity.total_cmp(&x.similarity).then(x.a.cmp(&y.a)));
            let joined = found
                .first()
                .and_then(|p| self.story_of.get(p.a as usize).copied());
            copies.extend(found.iter().map(|p| p.a));
            self.duplicates.extend(found);
            joined
        };
        self.df.add(&features);
        let n = me + 1;
        let (vector, keys) = vectorize(&features, &self.df, n, &self.options);
        let mut links: FxHashMap<u32, f32> = FxHashMap::default();
        if story.is_none() {
            let mut seen: Vec<u32> = Vec::new();
            for t in &keys {
                if let Some(list) = self.postings.get(t) {
                    seen.extend(list.iter().rev().take(self.options.max_postings_scan));
                }
            }
            let ranked = most_shared(seen, me, self.options.max_candidates);
            for o in ranked {
                let Some(other) = self.features.get(o as usize) else {
                    continue;
                };
                if !within_window(features.day, other.day, &self.options) {
                    continue;
                }
                let sim = similarity(&vector, &self.vectors[o as usize], &self.options)
                    * time_factor(features.day, other.day, &self.options);
                if sim >= self.options.edge_min {
                    *links.entry(self.story_of[o as usize]).or_default() += sim;
                    pairs.push((o, sim));
                }
            }
            story = links
                .iter()
                .map(|(&s, &sum)| (s, sum / self.size(s) as f32))
                .filter(|&(_, avg)| avg >= self.options.story_threshold)
                .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))
                .map(|(s, _)| s);
        }
        let story = self.place(story);
        self.join_part(me, story, &copies, &pairs);
        for t in keys {
            self.postings.entry(t).or_default().push(me);
        }
        self.vectors.push(vector);
        self.features.push(features);
        self.merge_linked(story, links) as usize
    }

    /// Records the next article as a member of `story`, or of a new story when `None`;
    /// returns its story.
    fn place(&mut self, story: Option<u32>) -> u32 {
        let story = story.unwrap_or_else(|| {
            self.members.push(Vec::new());
            self.cross.push(FxHashMap::default());
            (self.members.len() - 1) as u32
        });
        let me = self.story_of.len() as u32;
        self.members[story as usize].push(me);
        self.story_of.push(story);
        story
    }

    /// Joins the new article `me`, placed in `story`, to the parts of its story, its confirmed
    /// near-duplicates `copies` and its links `pairs` that batch average link could act on: a
    /// link at or above the story threshold, any link of an article with no such link (batch
    /// clustering attaches an article it leaves alone to the nearest story it has a link to),
    /// and a link to an article with no such link so far (which may attach to `me`'s story).
    fn join_part(&mut self, me: u32, story: u32, copies: &[u32], pairs: &[(u32, f32)]) {
        self.parts.push();
        let threshold = self.options.story_threshold;
        let any_strong = pairs.iter().any(|&(_, s)| s >= threshold);
        self.strong.push(any_strong);
        if let Some(&first) = self.members.get(story as usize).and_then(|m| m.first()) {
            self.parts.union(me, first);
        }
        for &o in copies {
            self.parts.union(me, o);
        }
        for &(o, s) in pairs {
            let strong = s >= threshold;
            let lone = !self.strong.get(o as usize).copied().unwrap_or(true);
            if strong || !any_strong || lone {
                self.parts.union(me, o);
            }
            if strong && let Some(flag) = self.strong.get_mut(o as usize) {
                *flag = true;
            }
        }
    }

    fn size(&self, story: u32) -> usize {
        self.members.get(story as usize).map_or(0, Vec::len)
    }

    /// Adds the new article's similarities (`links`: summed per story) to the between-story
    /// sums of its story, then merges its story with a linked story while their average link
    /// (the summed similarities over the product of their sizes, missing pairs 0) reaches
    /// `story_threshold` — average link as in batch, run only where the new article changed a
    /// sum. Every other pair of stories stayed below the threshold: their sums did not change,
    /// and an average with a merged story is a weighted mean of averages below it. Returns the
    /// article's story after the merges.
    fn merge_linked(&mut self, mut story: u32, links: FxHashMap<u32, f32>) -> u32 {
        let mut linked: Vec<u32> = Vec::with_capacity(links.len());
        for (other, sum) in links {
            if other == story {
                continue;
            }
            *self.cross[story as usize].entry(other).or_default() += sum;
            *self.cross[other as usize].entry(story).or_default() += sum;
            linked.push(other);
        }
        linked.sort_unstable();
        loop {
            let best = linked
                .iter()
                .filter_map(|&other| {
                    let sum = self.cross[story as usize].get(&other)?;
                    let avg = sum / (self.size(story) * self.size(other)) as f32;
                    (avg >= self.options.story_threshold).then_some((other, avg))
                })
                .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
            let Some((other, _)) = best else {
                return story;
            };
            linked.retain(|&s| s != other);
            story = self.merge(story, other);
        }
    }

    /// Merges two stories: the smaller one's members move to the larger one (ties: to the
    /// lower id), whose id is returned; the between-story sums are added up.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        let (keep, gone) = match self.size(a).cmp(&self.size(b)) {
            std::cmp::Ordering::Greater => (a, b),
            std::cmp::Ordering::Less => (b, a),
            std::cmp::Ordering::Equal => (a.min(b), a.max(b)),
        };
        let moved = std::mem::take(&mut self.members[gone as usize]);
        if let (Some(&a), Some(&b)) = (moved.first(), self.members[keep as usize].first()) {
            self.parts.union(a, b);
        }
        for &m in &moved {
            self.story_of[m as usize] = keep;
        }
        self.members[keep as usize].extend(moved);
        let sums = std::mem::take(&mut self.cross[gone as usize]);
        self.cross[keep as usize].remove(&gone);
        for (c, s) in sums {
            if c == keep {
                continue;
            }
            *self.cross[keep as usize].entry(c).or_default() += s;
            let theirs = &mut self.cross[c as usize];
            theirs.remove(&gone);
            *theirs.entry(keep).or_default() += s;
        }
        keep
    }

    /// Number of articles inserted.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when nothing has been inserted.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The current story id of each inserted article, in insertion order.
    pub fn story_ids(&self) -> &[u32] {
        &self.story_of
    }

    /// The part of each inserted article (the lowest position in it), in insertion order: the
    /// articles joined by a link batch average link could act on (see `join_part`), by
    /// near-duplicates, copies and the index's own stories. Each part holds whole stories of
    /// the index and, for the weights known so far, every article batch clustering
    /// ([`cluster_features`]) could put in a story with one of its articles; parts only grow.
    pub fn part_ids(&self) -> Vec<u32> {
        (0..self.parts.parent.len() as u32)
            .map(|i| self.parts.root(i))
            .collect()
    }

    /// Near-duplicate pairs found so far (indices are insertion positions).
    pub fn duplicates(&self) -> &[DuplicatePair] {
        &self.duplicates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::ArticleText;

    fn features(title: Option<&str>, text: &str) -> ArticleFeatures {
        ArticleFeatures::extract(
            &ArticleText {
                text,
                title,
                ..Default::default()
            },
            ClusterOptions::default().signature_len(),
        )
    }

    #[test]
    fn similarity_is_the_weighted_mean_of_the_fields_both_articles_have() {
        let o = ClusterOptions {
            whole_weight: 0.5,
            lead_weight: 0.3,
            headline_weight: 0.2,
            ..ClusterOptions::default()
        };
        let v = |t: &[(u32, f32)]| -> Vector { t.to_vec().into_boxed_slice() };
        let a = Fields {
            whole: v(&[(1, 0.6), (2, 0.8)]),
            lead: v(&[(3, 1.0)]),
            headline: v(&[(4, 1.0)]),
        };
        let same_lead = Fields {
            whole: v(&[(2, 1.0)]),
            lead: v(&[(3, 1.0)]),
            headline: v(&[(5, 1.0)]),
        };
        let want = 0.5 * 0.8 + 0.3 * 1.0 + 0.2 * 0.0;
        assert!((similarity(&a, &same_lead, &o) - want).abs() < 1e-6);
        // Without a lead or a headline on one side, the remaining weights are renormalised.
        let whole_only = Fields {
            whole: v(&[(2, 1.0)]),
            ..Fields::default()
        };
        assert!((similarity(&a, &whole_only, &o) - 0.8).abs() < 1e-6);
    }

    #[test]
    fn the_default_window_ends_where_the_decay_rules_out_any_link() {
        let o = ClusterOptions::default();
        let far = time_factor(Some(0), Some(o.max_days as i32), &o);
        assert!(far <= o.edge_min, "{far}");
        let inside = time_factor(Some(0), Some(o.max_days as i32 - 60), &o);
        assert!(inside > o.edge_min, "{inside}");
    }

    #[test]
    fn a_lone_article_joins_the_story_with_the_nearest_centroid() {
        let o = ClusterOptions::default();
        let v = |t: &[(u32, f32)]| Fields {
            whole: t.to_vec().into_boxed_slice(),
            ..Fields::default()
        };
        // Story 0 (slots 0, 1) covers terms 1 and 2; story 2 (slots 2, 3) terms 3 and 4. Slot 4
        // shares terms 1 and 2 with story 0's centroid but has its strongest single edge into
        // story 2 (the pairwise average would pick story 2); slot 5 shares nothing.
        let vectors = [
            v(&[(1, 1.0)]),
            v(&[(2, 1.0)]),
            v(&[(3, 1.0)]),
            v(&[(3, 0.6), (4, 0.8)]),
            v(&[(1, 0.6), (2, 0.8)]),
            v(&[(9, 1.0)]),
        ];
        let fields = |s: u32| vectors[s as usize].clone();
        let edges = [(0, 4, 0.06), (2, 4, 0.3), (0, 5, 0.05)];
        let mut labels = vec![0, 0, 2, 2, 4, 5];
        let days = [Some(0), Some(1), Some(0), Some(1), Some(5), Some(0)];
        attach_singletons(&mut labels, &edges, fields, &days, &o);
        assert_eq!(labels, vec![0, 0, 2, 2, 0, 5]);
        // The same article three years after the story's last member is too far (time decay
        // from the nearest end of the story's span).
        let mut far = vec![0, 0, 2, 2, 4, 5];
        let days = [Some(0), Some(1), Some(0), Some(1), Some(1_000), Some(0)];
        attach_singletons(&mut far, &edges, fields, &days, &o);
        assert_eq!(far, vec![0, 0, 2, 2, 4, 5]);
    }

    #[test]
    fn a_streamed_article_that_joins_a_story_can_bring_a_linked_story_in() {
        /// What `insert` does once the article's story and links are known.
        fn add(index: &mut StoryIndex, story: Option<u32>, links: &[(u32, f32)]) -> u32 {
            let me = index.story_of.len() as u32;
            let story = index.place(story);
            index.join_part(me, story, &[], &[]);
            index.merge_linked(story, links.iter().copied().collect())
        }
        let mut index = StoryIndex::new(ClusterOptions::default());
        // Article 0 opens story 0; article 1 links to it at 0.10 (< 0.13) and opens story 1.
        assert_eq!(add(&mut index, None, &[]), 0);
        assert_eq!(add(&mut index, None, &[(0, 0.10)]), 1);
        // Article 2 joins story 0 and links to article 1 at 0.06: the stories' average link is
        // (0.10 + 0.06) / (2 × 1) = 0.08, below the threshold, so they stay apart.
        assert_eq!(add(&mut index, Some(0), &[(0, 0.3), (1, 0.06)]), 0);
        assert_eq!(index.story_ids(), &[0, 1, 0]);
        // Articles 3–5 join story 1, each also linking to story 0: (0.16 + 0.2) / (2 × 2) = 0.09
        // and (0.36 + 0.3) / (2 × 3) = 0.11 stay apart; (0.66 + 0.5) / (2 × 4) = 0.145 merges
        // the two stories into the larger one. Links into the article's own story are not
        // between-story sums.
        assert_eq!(add(&mut index, Some(1), &[(0, 0.2), (1, 0.2)]), 1);
        assert_eq!(add(&mut index, Some(1), &[(0, 0.3), (1, 0.2)]), 1);
        assert_eq!(index.story_ids(), &[0, 1, 0, 1, 1]);
        assert_eq!(add(&mut index, Some(1), &[(0, 0.5), (1, 0.2)]), 1);
        assert_eq!(index.story_ids(), &[1; 6]);
        assert_eq!(index.members[1], vec![1, 3, 4, 5, 0, 2]);
        assert!(index.members[0].is_empty() && index.cross[0].is_empty());
        assert!(index.cross[1].is_empty());
        // Stories that merged are in one part.
        assert_eq!(index.part_ids(), vec![0; 6]);
    }

    #[test]
    fn parts_join_strong_links_and_the_links_of_articles_without_one() {
        /// What `insert` does for a new article with `pairs` that opens a story of its own.
        fn add(index: &mut StoryIndex, pairs: &[(u32, f32)]) {
            let me = index.story_of.len() as u32;
            let story = index.place(None);
            index.join_part(me, story, &[], pairs);
        }
        let o = ClusterOptions::default();
        let (strong, weak) = (o.story_threshold + 0.1, o.edge_min + 0.01);
        let mut index = StoryIndex::new(o);
        // 0–1 and 2–3 are strong links. 3's weak link to 1 joins nothing: both have a strong
        // link, so average link cannot act on it.
        add(&mut index, &[]);
        add(&mut index, &[(0, strong)]);
        add(&mut index, &[]);
        add(&mut index, &[(2, strong), (1, weak)]);
        assert_eq!(index.part_ids(), vec![0, 0, 2, 2]);
        // 4 has weak links only: batch clustering may attach it to either story.
        add(&mut index, &[(1, weak), (3, weak)]);
        assert_eq!(index.part_ids(), vec![0; 5]);
        // 5 has no link; 7 links strongly to 6 and weakly to 5, which may attach to 7's story.
        add(&mut index, &[]);
        add(&mut index, &[]);
        add(&mut index, &[(6, strong), (5, weak)]);
        assert_eq!(index.part_ids(), vec![0, 0, 0, 0, 0, 5, 5, 5]);
    }

    #[test]
    fn headline_words_are_key_terms() {
        let f = features(
            Some("Quarrelsome walrus"),
            "Zoo keepers fed the animals on Monday. Visitors watched the feeding.",
        );
        let walrus = crate::text::hash_term("walrus");
        let mut df = Frequencies::default();
        df.add(&f);
        df.terms.insert(walrus, 2);
        let (fields, keys) = vectorize(&f, &df, 1_000, &ClusterOptions::default());
        assert!(keys.contains(&walrus), "{keys:?}");
        let norm: f32 = fields.lead.iter().map(|&(_, w)| w * w).sum();
        assert!((norm - 1.0).abs() < 1e-4);
    }
}

#[cfg(test)]
mod average_link_tests {
    use super::*;
    use proptest::prelude::*;

    /// Textbook average link: merge the pair of clusters with the highest mean pairwise
    /// similarity (absent pairs 0) while it reaches `threshold`.
    fn naive(n: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<Vec<u32>> {
        let mut sim = vec![vec![0.0f64; n]; n];
        for &(a, b, s) in edges {
            sim[a as usize][b as usize] += f64::from(s);
            sim[b as usize][a as usize] += f64::from(s);
        }
        let mut clusters: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..clusters.len() {
                for j in i + 1..clusters.len() {
                    let sum: f64 = clusters[i]
                        .iter()
                        .flat_map(|&x| clusters[j].iter().map(move |&y| (x, y)))
                        .map(|(x, y)| sim[x as usize][y as usize])
                        .sum();
                    let avg = sum / (clusters[i].len() * clusters[j].len()) as f64;
                    if best.is_none_or(|(b, _, _)| avg > b) {
                        best = Some((avg, i, j));
                    }
                }
            }
            match best {
                Some((avg, i, j)) if avg >= f64::from(threshold) => {
                    let moved = clusters.remove(j);
                    clusters[i].extend(moved);
                }
                _ => break,
            }
        }
        canonical(clusters)
    }

    fn canonical(mut clusters: Vec<Vec<u32>>) -> Vec<Vec<u32>> {
        for c in &mut clusters {
            c.sort_unstable();
        }
        clusters.sort();
        clusters
    }

    fn groups(labels: &[u32]) -> Vec<Vec<u32>> {
        let mut by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, &l) in labels.iter().enumerate() {
            by.entry(l).or_default().push(i as u32);
        }
        canonical(by.into_values().collect())
    }

    proptest! {
        #[test]
        fn lazy_average_link_matches_the_textbook_algorithm(
            n in 2usize..14,
            raw in proptest::collection::vec((0u32..14, 0u32..14, 1u32..1000), 0..40),
        ) {
            // Distinct weights so that the best pair is never a tie.
            let mut edges: Vec<(u32, u32, f32)> = raw
                .iter()
                .enumerate()
                .filter(|&(_, &(a, b, _))| a != b && (a as usize) < n && (b as usize) < n)
                .map(|(k, &(a, b, w))| (a.min(b), a.max(b), w as f32 / 1000.0 + k as f32 * 1e-5))
                .collect();
            edges.sort_by_key(|x| (x.0, x.1));
            edges.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
            let ours = groups(&average_link(n, &edges, 0.3));
            prop_assert_eq!(ours, naive(n, &edges, 0.3));
        }
    }
}
