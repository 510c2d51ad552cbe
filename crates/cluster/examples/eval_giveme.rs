//! Story clustering quality on the giveme5w1h news-cluster set (383 real articles, 69 events).
//!
//! ```text
//! cargo run --release -p corroborate-cluster --example eval_giveme [DIR] [name=value ...]
//! ```
//!
//! Two paths are scored on the same articles and options:
//!
//! * **product** — what `corroborate analyze` / `corroborate cluster` do after extraction: each
//!   record's title, text, date, outlet and authors become an [`Article`], then
//!   `corroborate_nlp::analyze`, `corroborate_nlp::link_entities` and
//!   [`corroborate_cluster::cluster`] (so the features carry nlp sentences and entity canonical
//!   names). This is the headline figure.
//! * **plain text** — [`ArticleFeatures::extract`] on title + text + date alone, no nlp (the
//!   crawl-scale path).
//!
//! Claims are not computed: the cluster features do not read them.
//!
//! DIR defaults to `../shared/testdata/giveme5w1h-news-cluster`. `name=value` overrides one
//! [`ClusterOptions`] field (story_threshold, edge_min, max_days, time_grace_days,
//! time_decay_days, key_terms, vector_terms, max_candidates, key_df_floor, key_df_ratio,
//! whole_weight, lead_weight, headline_weight, ...) to explore settings; the figures reported in
//! the README use none. Modes (any combination):
//!
//! * `errors` lists split and merged events of the product path.
//! * `split-half` tunes `story_threshold` on the events with even index and evaluates on the odd
//!   ones, and the other way round, for both paths.
//! * `cv` cross-validates the field weights by event: on one half of the events, a logistic
//!   regression of "same event" on the candidate pairs' time-decayed whole-text, lead and
//!   headline cosines gives the weights (coefficients normalised to sum 1) and `story_threshold`
//!   is tuned end to end on that half; the other half is clustered with them and scored. Then the
//!   same fit on all events (what the defaults were set from).
//! * `pairs` prints candidate-pair diagnostics: the share of gold same-event pairs the key-term
//!   index proposes at all, and the average precision of same-event pairs ranked by the pair
//!   similarity (with the given weights and with the earlier mean of two cosines).

use chrono::NaiveDate;
use corroborate_cluster::eval::{bcubed, pairwise};
use corroborate_cluster::{
    ArticleFeatures, ArticleText, ClusterOptions, StoryIndex, article_features, cluster_features,
};
use corroborate_model::{AnalyzedArticle, Article, MetadataOrigin, PublishedDate, SourceRef};
use rayon::prelude::*;
use std::time::Instant;

struct Gold {
    file: String,
    title: String,
    text: String,
    date: Option<NaiveDate>,
    /// `date_publish` as written.
    date_raw: String,
    outlet: String,
    authors: Vec<String>,
    event: u32,
}

fn load(dir: &str) -> Result<Vec<Gold>, String> {
    let index = std::fs::read_to_string(format!("{dir}/clusters.json"))
        .map_err(|e| format!("{dir}/clusters.json: {e}"))?;
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&index).map_err(|e| e.to_string())?;
    records
        .par_iter()
        .map(|r| {
            let file = r["file"].as_str().ok_or("record without file")?;
            let raw = std::fs::read_to_string(format!("{dir}/{file}"))
                .map_err(|e| format!("{file}: {e}"))?;
            let a: serde_json::Value =
                serde_json::from_str(&raw).map_err(|e| format!("{file}: {e}"))?;
            let field = |k: &str| {
                a[k].as_str()
                    .filter(|s| *s != "None")
                    .unwrap_or("")
                    .to_string()
            };
            let date_raw = field("date_publish");
            let date = date_raw
                .get(..10)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let authors = a["authors"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            Ok(Gold {
                file: file.to_string(),
                title: field("title"),
                text: field("text"),
                date,
                date_raw,
                outlet: field("source_domain"),
                authors,
                event: r["event_id"].as_u64().unwrap_or(0) as u32,
            })
        })
        .collect()
}

fn parse_overrides(options: &mut ClusterOptions, args: &[String]) -> Result<(), String> {
    for arg in args {
        if ["errors", "split-half", "pairs", "cv"].contains(&arg.as_str()) {
            continue;
        }
        let (k, v) = arg
            .split_once('=')
            .ok_or(format!("expected name=value, got {arg}"))?;
        options.set(k, v)?;
    }
    Ok(())
}

/// The article the extract stage would build from a news-please record (title, date, outlet and
/// authors from the record, text as given).
fn article(id: usize, g: &Gold) -> Article {
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Article {
        id: id as u32,
        source: SourceRef::file(g.file.clone()),
        url: None,
        outlet: non_empty(&g.outlet),
        title: non_empty(&g.title),
        byline: (!g.authors.is_empty()).then(|| g.authors.join(", ")),
        published: g.date.map(|date| PublishedDate {
            date,
            origin: MetadataOrigin::Container,
            raw: g.date_raw.clone(),
            evidence: None,
        }),
        language: None,
        text: g.text.clone(),
        body_start: 0,
    }
}

/// Features of one path, and the batch labels it gets.
struct Path {
    name: &'static str,
    features: Vec<ArticleFeatures>,
    labels: Vec<u32>,
    stories: usize,
    duplicates: usize,
    features_ms: f64,
    total_ms: f64,
}

/// The product path: nlp analysis and cross-article entity linking, then
/// `corroborate_cluster::cluster` exactly as `corroborate_analyze` calls it.
fn product_path(gold: &[Gold], options: &ClusterOptions) -> Path {
    let start = Instant::now();
    let mut analyzed: Vec<AnalyzedArticle> = gold
        .par_iter()
        .enumerate()
        .map(|(i, g)| corroborate_nlp::analyze(article(i, g)))
        .collect();
    corroborate_nlp::link_entities(&mut analyzed);
    let features_ms = start.elapsed().as_secs_f64() * 1e3;
    let stories = corroborate_cluster::cluster(&analyzed, options);
    let total_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut labels = vec![u32::MAX; gold.len()];
    let mut duplicates = 0;
    for s in &stories {
        duplicates += s.near_duplicates.len();
        for &d in &s.docs {
            labels[d as usize] = s.id as u32;
        }
    }
    // The same features, for streaming and split halves.
    let features: Vec<ArticleFeatures> = analyzed
        .par_iter()
        .map(|a| article_features(a, options))
        .collect();
    let check = cluster_features(&features, options).labels(gold.len());
    assert_eq!(
        bcubed(&check, &labels).f1,
        1.0,
        "cluster() and cluster_features(article_features) disagree"
    );
    Path {
        name: "product",
        features,
        labels,
        stories: stories.len(),
        duplicates,
        features_ms,
        total_ms,
    }
}

/// The plain-text path: title, text and date only, no nlp sentences or entities.
fn plain_path(gold: &[Gold], options: &ClusterOptions) -> Path {
    let start = Instant::now();
    let features: Vec<ArticleFeatures> = gold
        .par_iter()
        .map(|g| {
            let input = ArticleText {
                text: &g.text,
                title: Some(&g.title),
                published: g.date,
                ..Default::default()
            };
            ArticleFeatures::extract(&input, options.signature_len())
        })
        .collect();
    let features_ms = start.elapsed().as_secs_f64() * 1e3;
    let clustering = cluster_features(&features, options);
    let total_ms = start.elapsed().as_secs_f64() * 1e3;
    Path {
        name: "plain",
        labels: clustering.labels(gold.len()),
        stories: clustering.stories.len(),
        duplicates: clustering.duplicates.len(),
        features,
        features_ms,
        total_ms,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, overrides) = match args.first() {
        Some(a)
            if !a.contains('=')
                && !["errors", "split-half", "pairs", "cv"].contains(&a.as_str()) =>
        {
            (a.clone(), &args[1..])
        }
        _ => (
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/testdata/giveme5w1h-news-cluster"
            )
            .to_string(),
            &args[..],
        ),
    };
    let mut options = ClusterOptions::default();
    if let Err(e) = parse_overrides(&mut options, overrides) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    let show_errors = overrides.iter().any(|a| a == "errors");
    let gold = match load(&dir) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let gold_labels: Vec<u32> = gold.iter().map(|g| g.event).collect();
    let mut events = gold_labels.clone();
    events.sort_unstable();
    events.dedup();
    println!(
        "giveme5w1h: {} articles, {} gold events",
        gold.len(),
        events.len()
    );
    let paths = [product_path(&gold, &options), plain_path(&gold, &options)];
    // Streaming: insert in publication order, as a crawler would see them.
    let mut order: Vec<usize> = (0..gold.len()).collect();
    order.sort_by_key(|&i| (gold[i].date, i));
    for path in &paths {
        println!(
            "{:<7} batch     {} | {} stories, {} near-duplicate pairs, features {:.1} ms, total {:.1} ms",
            path.name,
            scores(&path.labels, &gold_labels),
            path.stories,
            path.duplicates,
            path.features_ms,
            path.total_ms
        );
        let start = Instant::now();
        let mut index = StoryIndex::new(options.clone());
        for &i in &order {
            index.insert(path.features[i].clone());
        }
        // Stories can merge after an article joined, so the labels are read at the end.
        let mut stream_labels = vec![0u32; gold.len()];
        for (&i, &story) in order.iter().zip(index.story_ids()) {
            stream_labels[i] = story;
        }
        println!(
            "{:<7} streaming {} ({:.1} ms)",
            path.name,
            scores(&stream_labels, &gold_labels),
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    if show_errors {
        print_errors(&gold, &paths[0].labels);
    }
    if overrides.iter().any(|a| a == "pairs") {
        for path in &paths {
            pair_diagnostics(path.name, &path.features, &gold_labels, &options);
        }
    }
    if overrides.iter().any(|a| a == "cv") {
        for path in &paths {
            cross_validate(path.name, &path.features, &gold_labels, &options);
        }
    }
    if overrides.iter().any(|a| a == "split-half") {
        for path in &paths {
            split_half(path.name, &path.features, &gold_labels, &options);
        }
    }
}

/// Prints every gold event split over several stories and every story mixing events, with
/// titles, to see what the clustering gets wrong.
fn print_errors(gold: &[Gold], labels: &[u32]) {
    use std::collections::BTreeMap;
    let mut by_event: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut by_story: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, g) in gold.iter().enumerate() {
        by_event.entry(g.event).or_default().push(i);
        by_story.entry(labels[i]).or_default().push(i);
    }
    for (event, members) in &by_event {
        let mut stories: Vec<u32> = members.iter().map(|&i| labels[i]).collect();
        stories.sort_unstable();
        stories.dedup();
        if stories.len() > 1 {
            println!("SPLIT event {event}:");
            for &i in members {
                println!(
                    "  story {:>4} {} {}",
                    labels[i],
                    gold[i].date.map(|d| d.to_string()).unwrap_or_default(),
                    gold[i].title
                );
            }
        }
    }
    for (story, members) in &by_story {
        let mut events: Vec<u32> = members.iter().map(|&i| gold[i].event).collect();
        events.sort_unstable();
        events.dedup();
        if events.len() > 1 {
            println!("MERGED story {story}:");
            for &i in members {
                println!(
                    "  event {:>4} {} {}",
                    gold[i].event,
                    gold[i].date.map(|d| d.to_string()).unwrap_or_default(),
                    gold[i].title
                );
            }
        }
    }
}

/// Tunes `story_threshold` on one half of the events (even or odd position in the sorted list
/// of event ids) and scores that threshold on the other half; each half is clustered on its own.
fn split_half(path: &str, features: &[ArticleFeatures], gold: &[u32], options: &ClusterOptions) {
    let mut events = gold.to_vec();
    events.sort_unstable();
    events.dedup();
    let half_of = |e: u32| events.binary_search(&e).map_or(0, |i| i % 2);
    let grid: Vec<f32> = (6..=20).map(|i| i as f32 / 100.0).collect();
    // F1 per grid threshold, per half.
    let scores: Vec<Vec<f64>> = (0..2)
        .map(|half| {
            let members: Vec<usize> = (0..gold.len())
                .filter(|&i| half_of(gold[i]) == half)
                .collect();
            let part: Vec<ArticleFeatures> = members.iter().map(|&i| features[i].clone()).collect();
            let part_gold: Vec<u32> = members.iter().map(|&i| gold[i]).collect();
            grid.par_iter()
                .map(|&t| {
                    let o = ClusterOptions {
                        story_threshold: t,
                        ..options.clone()
                    };
                    let labels = cluster_features(&part, &o).labels(part.len());
                    bcubed(&labels, &part_gold).f1
                })
                .collect()
        })
        .collect();
    let at = |half: usize, t: f32| {
        grid.iter()
            .position(|&g| (g - t).abs() < 1e-6)
            .map(|k| format!("{:.4}", scores[half][k]))
            .unwrap_or_else(|| "-".into())
    };
    for (tune, test) in [(0, 1), (1, 0)] {
        let name = |h: usize| if h == 0 { "even" } else { "odd" };
        let best = (0..grid.len())
            .max_by(|&a, &b| scores[tune][a].total_cmp(&scores[tune][b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let test_best = scores[test].iter().copied().fold(0.0, f64::max);
        println!(
            "{path:<7} split-half tune on {} events: threshold {:.2} F1 {:.4} -> {} events F1 {:.4} (their own best {:.4}; default {:.2}: {})",
            name(tune),
            grid[best],
            scores[tune][best],
            name(test),
            scores[test][best],
            test_best,
            options.story_threshold,
            at(test, options.story_threshold)
        );
    }
}

/// B-cubed and pairwise precision, recall and F1 of `labels` against `gold`, as one line.
fn scores(labels: &[u32], gold: &[u32]) -> String {
    let b3 = bcubed(labels, gold);
    let pw = pairwise(labels, gold);
    format!(
        "B-cubed P {:.4} R {:.4} F1 {:.4} | pairwise P {:.4} R {:.4} F1 {:.4}",
        b3.precision, b3.recall, b3.f1, pw.precision, pw.recall, pw.f1
    )
}

/// Average precision (the area under the precision-recall curve, step-wise) of same-event
/// pairs ranked by their clustering similarity under `options`.
fn average_precision(features: &[ArticleFeatures], gold: &[u32], options: &ClusterOptions) -> f64 {
    let mut scored: Vec<(f32, bool)> = corroborate_cluster::pair_signals(features, options)
        .iter()
        .map(|p| (p.score, gold[p.a as usize] == gold[p.b as usize]))
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (mut hits, mut sum) = (0usize, 0.0);
    for (k, &(_, same)) in scored.iter().enumerate() {
        if same {
            hits += 1;
            sum += hits as f64 / (k + 1) as f64;
        }
    }
    if hits == 0 { 0.0 } else { sum / hits as f64 }
}

/// The similarity before the fitted weights: the mean of the whole-text and lead cosines, no
/// headline field, stories merging at 0.12.
fn mean_cosine(options: &ClusterOptions) -> ClusterOptions {
    ClusterOptions {
        whole_weight: 0.5,
        lead_weight: 0.5,
        headline_weight: 0.0,
        story_threshold: 0.12,
        ..options.clone()
    }
}

/// Candidate-pair diagnostics: how many gold same-event pairs the key-term index proposes at
/// all (articles linked as near-duplicates, which includes exact copies, count as proposed),
/// and how well the pair similarity ranks same-event candidate pairs under `options` and under
/// the earlier mean cosine.
fn pair_diagnostics(
    path: &str,
    features: &[ArticleFeatures],
    gold: &[u32],
    options: &ClusterOptions,
) {
    let n = features.len();
    // Groups of articles linked by near-duplicate pairs.
    let mut group: Vec<usize> = (0..n).collect();
    fn root(group: &mut [usize], mut x: usize) -> usize {
        while group[x] != x {
            group[x] = group[group[x]];
            x = group[x];
        }
        x
    }
    for p in &cluster_features(features, options).duplicates {
        let (ra, rb) = (
            root(&mut group, p.a as usize),
            root(&mut group, p.b as usize),
        );
        group[ra.max(rb)] = ra.min(rb);
    }
    let roots: Vec<usize> = (0..n).map(|i| root(&mut group, i)).collect();
    let linked: std::collections::HashSet<(usize, usize)> =
        corroborate_cluster::pair_signals(features, options)
            .iter()
            .map(|p| {
                let (x, y) = (roots[p.a as usize], roots[p.b as usize]);
                (x.min(y), x.max(y))
            })
            .collect();
    let (mut same, mut found) = (0usize, 0usize);
    for i in 0..n {
        for j in i + 1..n {
            if gold[i] == gold[j] {
                same += 1;
                let (x, y) = (roots[i].min(roots[j]), roots[i].max(roots[j]));
                found += usize::from(x == y || linked.contains(&(x, y)));
            }
        }
    }
    println!(
        "{path:<7} pairs: {} candidate pairs; gold same-event pairs proposed {found} of {same} ({:.3}); average precision of same-event candidates: options {:.4}, mean cosine {:.4} (weights 0.5 / 0.5 / 0)",
        linked.len(),
        found as f64 / same as f64,
        average_precision(features, gold, options),
        average_precision(features, gold, &mean_cosine(options)),
    );
}

/// The articles of one half of the events (even or odd position among the sorted event ids).
fn half(
    features: &[ArticleFeatures],
    gold: &[u32],
    which: usize,
) -> (Vec<ArticleFeatures>, Vec<u32>) {
    let mut events = gold.to_vec();
    events.sort_unstable();
    events.dedup();
    let members: Vec<usize> = (0..gold.len())
        .filter(|&i| events.binary_search(&gold[i]).map_or(0, |k| k % 2) == which)
        .collect();
    (
        members.iter().map(|&i| features[i].clone()).collect(),
        members.iter().map(|&i| gold[i]).collect(),
    )
}

/// Logistic regression of "same event" on `x` (rows of signals) by Newton's method with a
/// small ridge on the coefficients; returns the coefficients and the intercept last. Written
/// here rather than taken from a crate (linfa-logistic): three signals need a 4 × 4 Newton
/// step, not an ndarray and optimiser stack in an evaluation tool.
fn logistic(x: &[Vec<f64>], y: &[bool]) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len) + 1;
    let mut w = vec![0.0; k];
    for _ in 0..50 {
        // Rows of the augmented system [Hessian | gradient].
        let mut m = vec![vec![0.0; k + 1]; k];
        for (row, &label) in x.iter().zip(y) {
            let z: Vec<f64> = row.iter().copied().chain([1.0]).collect();
            let p = 1.0 / (1.0 + (-z.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>()).exp());
            for (mi, &zi) in m.iter_mut().zip(&z) {
                for (h, &zj) in mi.iter_mut().zip(&z) {
                    *h += p * (1.0 - p) * zi * zj;
                }
                mi[k] += (p - f64::from(u8::from(label))) * zi;
            }
        }
        for (i, mi) in m.iter_mut().enumerate().take(k - 1) {
            mi[i] += 1e-3;
            mi[k] += 1e-3 * w[i];
        }
        // Gauss-Jordan elimination with partial pivoting (k is tiny).
        for c in 0..k {
            let piv = (c..k)
                .max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
                .unwrap_or(c);
            m.swap(c, piv);
            let pivot = m[c].clone();
            if pivot[c] == 0.0 {
                continue;
            }
            for (r, row) in m.iter_mut().enumerate() {
                if r != c {
                    let f = row[c] / pivot[c];
                    for (v, p) in row.iter_mut().zip(&pivot) {
                        *v -= f * p;
                    }
                }
            }
        }
        let mut largest = 0.0f64;
        for (i, wi) in w.iter_mut().enumerate() {
            let step = if m[i][i] != 0.0 {
                m[i][k] / m[i][i]
            } else {
                0.0
            };
            *wi -= step;
            largest = largest.max(step.abs());
        }
        if largest < 1e-9 {
            break;
        }
    }
    w
}

/// Fits the field weights on `features` (logistic regression of same event on the candidate
/// pairs' time-decayed field cosines, coefficients normalised to sum 1), then tunes
/// `story_threshold` on the same articles end to end (grid 0.06–0.20, lowest at ties).
fn fit(
    features: &[ArticleFeatures],
    gold: &[u32],
    options: &ClusterOptions,
) -> (ClusterOptions, f64) {
    let pairs = corroborate_cluster::pair_signals(features, options);
    let x: Vec<Vec<f64>> = pairs
        .iter()
        .map(|p| {
            [p.whole, p.lead, p.headline]
                .iter()
                .map(|&c| f64::from(c * p.time))
                .collect()
        })
        .collect();
    let y: Vec<bool> = pairs
        .iter()
        .map(|p| gold[p.a as usize] == gold[p.b as usize])
        .collect();
    let w = logistic(&x, &y);
    let c: Vec<f64> = w[..3].iter().map(|&v| v.max(0.0)).collect();
    let total: f64 = c.iter().sum();
    let weighted = ClusterOptions {
        whole_weight: (c[0] / total) as f32,
        lead_weight: (c[1] / total) as f32,
        headline_weight: (c[2] / total) as f32,
        ..options.clone()
    };
    let grid: Vec<f32> = (6..=20).map(|i| i as f32 / 100.0).collect();
    let scores: Vec<f64> = grid
        .par_iter()
        .map(|&t| {
            let o = ClusterOptions {
                story_threshold: t,
                ..weighted.clone()
            };
            bcubed(&cluster_features(features, &o).labels(features.len()), gold).f1
        })
        .collect();
    let best = (0..grid.len())
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    (
        ClusterOptions {
            story_threshold: grid[best],
            ..weighted
        },
        scores[best],
    )
}

/// Two-fold cross-validation by event: fit on the even events, cluster and score the odd ones,
/// and the other way round; then the fit on all events.
fn cross_validate(
    path: &str,
    features: &[ArticleFeatures],
    gold: &[u32],
    options: &ClusterOptions,
) {
    let halves = [half(features, gold, 0), half(features, gold, 1)];
    let score = |(f, g): &(Vec<ArticleFeatures>, Vec<u32>), o: &ClusterOptions| {
        bcubed(&cluster_features(f, o).labels(f.len()), g).f1
    };
    let describe = |o: &ClusterOptions| {
        format!(
            "whole {:.3} lead {:.3} headline {:.3} threshold {:.2}",
            o.whole_weight, o.lead_weight, o.headline_weight, o.story_threshold
        )
    };
    for (train, test) in [(0usize, 1usize), (1, 0)] {
        let (o, train_f1) = fit(&halves[train].0, &halves[train].1, options);
        let (f, g) = &halves[test];
        println!(
            "{path:<7} cv fit on {} events: {} (F1 there {:.4}, given options {:.4}) -> {} events F1 {:.4} (given options {:.4}, mean cosine at 0.12 {:.4}); pair average precision {:.4} (given {:.4}, mean cosine {:.4})",
            ["even", "odd"][train],
            describe(&o),
            train_f1,
            score(&halves[train], options),
            ["even", "odd"][test],
            score(&halves[test], &o),
            score(&halves[test], options),
            score(&halves[test], &mean_cosine(options)),
            average_precision(f, g, &o),
            average_precision(f, g, options),
            average_precision(f, g, &mean_cosine(options)),
        );
    }
    let (o, f1) = fit(features, gold, options);
    println!(
        "{path:<7} fit on all events: {} (F1 {:.4})",
        describe(&o),
        f1
    );
}
