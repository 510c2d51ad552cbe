//! Measures `extract_claims` alone on the seed articles (analysed once by corroborate-nlp).
//!
//! Run in release: `cargo run --release -p corroborate-claims --example claims_throughput`.
//! Prints microseconds per article and per 3 KB of text, in wall-clock time and, on Linux,
//! in CPU time of this thread (the fair figure on a shared machine); the budget is about
//! 100 µs per 3 KB article.

use corroborate_claims::extract_claims;
use corroborate_model::{Article, SourceRef};
use std::hint::black_box;
use std::time::Instant;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// Nanoseconds this thread has run on a CPU, from Linux's schedstat (None elsewhere).
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs: Vec<_> = paths
        .iter()
        .enumerate()
        .filter_map(|(id, path)| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(corroborate_nlp::analyze(Article::from_text(
                id as u32,
                SourceRef::file(path.display().to_string()),
                text,
            )))
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.article.text.len()).sum();
    let claims: usize = docs.iter().map(|d| extract_claims(d).len()).sum();
    let rounds = 2_000;
    let cpu_started = cpu_ns();
    let started = Instant::now();
    for _ in 0..rounds {
        for doc in &docs {
            black_box(extract_claims(black_box(doc)));
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_started.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e9);
    let articles = (rounds * docs.len()) as f64;
    let per_article = elapsed / articles * 1e6;
    let per_3kb = elapsed / (rounds as f64 * bytes as f64) * 3_000.0 * 1e6;
    println!(
        "{} articles, {} bytes, {} claims per pass; wall: {:.1} µs per article, {:.1} µs per 3 KB, {:.0} articles/s",
        docs.len(),
        bytes,
        claims,
        per_article,
        per_3kb,
        articles / elapsed
    );
    if let Some(cpu) = cpu {
        println!(
            "CPU time: {:.1} µs per article, {:.1} µs per 3 KB, {:.0} articles/s per core",
            cpu / articles * 1e6,
            cpu / (rounds as f64 * bytes as f64) * 3_000.0 * 1e6,
            articles / cpu
        );
    }
}
