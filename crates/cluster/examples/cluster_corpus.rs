//! Clusters a corpus written by `corroborate-gen-corpus` and scores it against its truth file.
//!
//! ```text
//! cargo run --release -p corroborate-cluster --example cluster_corpus -- DIR [stream | duplicates-only] [show-errors] [name=value ...]
//! ```
//!
//! Reads `DIR/articles.jsonl` in blocks, extracts features in parallel and drops the text (the
//! crawl-scale path: nothing but [`ArticleFeatures`] stays in memory), clusters in batch (or
//! with the streaming [`StoryIndex`] when `stream` is given; only near-duplicate detection with
//! `duplicates-only`), and prints timings, B-cubed
//! precision/recall/F1 of stories and precision/recall of near-duplicate pairs. `name=value`
//! overrides one [`ClusterOptions`] field (sentence_match, duplicate_coverage, candidate_min,
//! story_threshold, max_days, time_decay_days, whole_weight, lead_weight, headline_weight, ...).

use chrono::NaiveDate;
use corroborate_cluster::eval::{bcubed, duplicate_pairs, pairwise};
use corroborate_cluster::{
    ArticleFeatures, ArticleText, ClusterOptions, StoryIndex, cluster_features,
    find_near_duplicates,
};
use rayon::prelude::*;
use serde::Deserialize;
use std::io::BufRead;
use std::time::Instant;

#[derive(Deserialize)]
struct Record {
    title: String,
    text: String,
    date: String,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Deserialize)]
struct Truth {
    stories: Vec<u32>,
    duplicates: Vec<(u32, u32)>,
}

fn features_of(line: &str, options: &ClusterOptions) -> ArticleFeatures {
    let record: Option<Record> = serde_json::from_str(line).ok();
    let Some(r) = record else {
        return ArticleFeatures::extract(&ArticleText::default(), options.signature_len());
    };
    let byline = r.authors.join(", ");
    let input = ArticleText {
        text: &r.text,
        title: Some(&r.title),
        published: NaiveDate::parse_from_str(&r.date, "%Y-%m-%d").ok(),
        byline: Some(&byline),
        ..Default::default()
    };
    ArticleFeatures::extract(&input, options.signature_len())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cluster_corpus DIR [stream]");
        std::process::exit(2);
    };
    let stream = args.iter().any(|a| a == "stream");
    let duplicates_only = args.iter().any(|a| a == "duplicates-only");
    let mut options = ClusterOptions::default();
    for arg in &args[1..] {
        let Some((k, v)) = arg.split_once('=') else {
            continue;
        };
        options.set(k, v)?;
    }
    let start = Instant::now();
    let file = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(format!("{dir}/articles.jsonl"))?,
    );
    let mut features: Vec<ArticleFeatures> = Vec::new();
    let mut block: Vec<String> = Vec::with_capacity(65536);
    let mut lines = file.lines();
    loop {
        block.clear();
        for line in lines.by_ref().take(65536) {
            block.push(line?);
        }
        if block.is_empty() {
            break;
        }
        features.par_extend(block.par_iter().map(|l| features_of(l, &options)));
    }
    let extracted = start.elapsed();
    let truth: Truth = serde_json::from_slice(&std::fs::read(format!("{dir}/truth.json"))?)?;
    let t = Instant::now();
    if duplicates_only {
        let pairs = find_near_duplicates(&features, &options);
        let found: Vec<(u32, u32)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        let dup = duplicate_pairs(&found, &truth.duplicates);
        println!(
            "articles {} | mode duplicates-only | read+features {:.2} s | near-duplicates {:.2} s | total {:.2} s",
            features.len(),
            extracted.as_secs_f64(),
            t.elapsed().as_secs_f64(),
            start.elapsed().as_secs_f64()
        );
        println!(
            "near-duplicates found {} true {} P {:.4} R {:.4}",
            found.len(),
            truth.duplicates.len(),
            dup.precision,
            dup.recall
        );
        return Ok(());
    }
    let (labels, found): (Vec<u32>, Vec<(u32, u32)>) = if stream {
        let mut index = StoryIndex::new(options.clone());
        for f in features {
            index.insert(f);
        }
        let pairs = index.duplicates().iter().map(|p| (p.a, p.b)).collect();
        (index.story_ids().to_vec(), pairs)
    } else {
        let n = features.len();
        let clustering = cluster_features(&features, &options);
        let pairs = clustering.duplicates.iter().map(|p| (p.a, p.b)).collect();
        (clustering.labels(n), pairs)
    };
    let clustered = t.elapsed();
    if args.iter().any(|a| a == "show-errors") {
        let mut by_label: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, &l) in labels.iter().enumerate() {
            by_label.entry(l).or_default().push(i);
        }
        let mixed: Vec<&Vec<usize>> = by_label
            .values()
            .filter(|m| m.iter().any(|&i| truth.stories[i] != truth.stories[m[0]]))
            .take(3)
            .collect();
        println!("stories mixing true stories (first 3): {mixed:?}");
        let copies: std::collections::HashSet<(u32, u32)> = truth
            .duplicates
            .iter()
            .map(|&(a, b)| (a.min(b), a.max(b)))
            .collect();
        let wrong: Vec<&(u32, u32)> = found
            .iter()
            .filter(|&&(a, b)| !copies.contains(&(a.min(b), a.max(b))))
            .take(10)
            .collect();
        println!("pairs not planted (first 10): {wrong:?}");
    }
    let b3 = bcubed(&labels, &truth.stories);
    let pw = pairwise(&labels, &truth.stories);
    let dup = duplicate_pairs(&found, &truth.duplicates);
    let mut distinct = labels.clone();
    distinct.sort_unstable();
    distinct.dedup();
    println!(
        "articles {} | stories found {} | mode {} | read+features {:.2} s | cluster {:.2} s | total {:.2} s",
        labels.len(),
        distinct.len(),
        if stream { "streaming" } else { "batch" },
        extracted.as_secs_f64(),
        clustered.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    println!(
        "stories B-cubed P {:.4} R {:.4} F1 {:.4} | pairwise F1 {:.4} | near-duplicates found {} true {} P {:.4} R {:.4}",
        b3.precision,
        b3.recall,
        b3.f1,
        pw.f1,
        found.len(),
        truth.duplicates.len(),
        dup.precision,
        dup.recall
    );
    Ok(())
}
