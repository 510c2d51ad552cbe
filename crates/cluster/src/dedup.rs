//! Near-duplicate and rewrite detection: exact copies by content hash, candidates by MinHash
//! LSH, confirmation by sentence alignment (which also yields the shared passages).

use crate::ClusterOptions;
use crate::features::{ArticleFeatures, signature_similarity};
use corroborate_model::TextRange;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Two articles that are copies or rewrites of one text, by index in the feature slice.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatePair {
    /// One article (the lower index).
    pub a: u32,
    /// The other.
    pub b: u32,
    /// Share of content words (of both articles) lying in aligned sentences, in [0, 1].
    pub similarity: f64,
    /// The article that is likely the original: a wire by-line, else the earlier date, else the
    /// one that contains the other.
    pub likely_source: Option<u32>,
    /// Aligned sentences, as (range in `a`, range in `b`).
    pub shared: Vec<(TextRange, TextRange)>,
}

/// The outcome of aligning the sentences of two articles.
pub(crate) struct Alignment {
    pub similarity: f64,
    pub coverage_a: f64,
    pub coverage_b: f64,
    pub shared: Vec<(TextRange, TextRange)>,
}

/// Size of two sorted sets' intersection.
fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Aligns each sentence of `a` with its most similar sentence of `b` (bag of content words, so
/// synonym swaps and reordered clauses still align) and measures how much of each is covered.
pub(crate) fn align(
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    options: &ClusterOptions,
) -> Alignment {
    let mut shared = Vec::new();
    let mut covered_b = vec![false; b.sentences.len()];
    let (mut words_a, mut hit_a) = (0usize, 0usize);
    for (i, sa) in a.sentences.iter().enumerate() {
        let ta = a.sentence_terms(i);
        words_a += ta.len();
        let mut best: Option<(usize, f64)> = None;
        for (j, _) in b.sentences.iter().enumerate() {
            let tb = b.sentence_terms(j);
            let common = intersection(ta, tb);
            if common == 0 {
                continue;
            }
            let union = ta.len() + tb.len() - common;
            let jaccard = common as f64 / union as f64;
            let containment = common as f64 / ta.len().min(tb.len()) as f64;
            let score = if ta.len().min(tb.len()) >= 4 {
                jaccard.max(containment * 0.75)
            } else {
                jaccard
            };
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((j, score));
            }
        }
        if let Some((j, _)) = best.filter(|&(_, s)| s >= options.sentence_match) {
            hit_a += ta.len();
            if let (Some(c), Some(sb)) = (covered_b.get_mut(j), b.sentences.get(j)) {
                *c = true;
                shared.push((sa.range, sb.range));
            }
        }
    }
    let (mut words_b, mut hit_b) = (0usize, 0usize);
    for (j, c) in covered_b.iter().enumerate() {
        let n = b.sentence_terms(j).len();
        words_b += n;
        if *c {
            hit_b += n;
        }
    }
    let ratio = |h: usize, w: usize| if w == 0 { 0.0 } else { h as f64 / w as f64 };
    Alignment {
        similarity: ratio(hit_a + hit_b, words_a + words_b),
        coverage_a: ratio(hit_a, words_a),
        coverage_b: ratio(hit_b, words_b),
        shared,
    }
}

/// Confirms a candidate pair: enough of the shorter article lies in sentences shared with the
/// other, and more than one sentence is shared (one common quote is not a copy).
pub(crate) fn confirm(
    ia: u32,
    ib: u32,
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    options: &ClusterOptions,
) -> Option<DuplicatePair> {
    let al = align(a, b, options);
    let shorter_sentences = a.sentences.len().min(b.sentences.len());
    let needed = shorter_sentences.clamp(1, 2);
    let distinct_b = {
        let mut v: Vec<usize> = al.shared.iter().map(|(_, r)| r.start).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    if distinct_b < needed || al.coverage_a.max(al.coverage_b) < options.duplicate_coverage {
        return None;
    }
    let likely_source = if a.wire_byline != b.wire_byline {
        Some(if a.wire_byline { ia } else { ib })
    } else {
        match (a.day, b.day) {
            (Some(x), Some(y)) if x != y => Some(if x < y { ia } else { ib }),
            _ if al.coverage_a >= 0.9 && al.coverage_b < 0.9 => Some(ib),
            _ if al.coverage_b >= 0.9 && al.coverage_a < 0.9 => Some(ia),
            _ => None,
        }
    };
    Some(DuplicatePair {
        a: ia,
        b: ib,
        similarity: al.similarity,
        likely_source,
        shared: al.shared,
    })
}

/// Cheap checks before sentence alignment: the MinHash estimate, then the share of the smaller
/// article's vocabulary found in the other (a copy keeps most of its words, synonym swaps and
/// all; two reports of one event written independently do not).
pub(crate) fn plausible(
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    options: &ClusterOptions,
) -> bool {
    if signature_similarity(&a.signature, &b.signature) < options.candidate_min {
        return false;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.terms.get(i), b.terms.get(j)) {
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let smaller = a.terms.len().min(b.terms.len()).max(1);
    common as f64 / smaller as f64 >= options.vocabulary_containment
}

/// Groups exact copies: returns, for each article, the index of its group's first member.
pub(crate) fn exact_representatives(features: &[ArticleFeatures]) -> Vec<u32> {
    let mut first: FxHashMap<u64, u32> = FxHashMap::default();
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let i = i as u32;
            if f.is_empty() {
                i
            } else {
                *first.entry(f.exact).or_insert(i)
            }
        })
        .collect()
}

/// Candidate pairs from LSH banding over the signatures of `docs`.
///
/// Band keys are sorted rather than hashed into per-band tables, which keeps memory to one
/// `(key, doc)` vector per band. A bucket larger than `options.max_bucket` (a template or boiler
/// plate shared by thousands of pages) is linked as a star to its first member instead of all
/// pairs, so a flood of copies stays linear.
fn lsh_candidates(
    features: &[ArticleFeatures],
    docs: &[u32],
    options: &ClusterOptions,
) -> Vec<(u32, u32)> {
    let rows = options.minhash_rows.max(1);
    let mut pairs: Vec<(u32, u32)> = (0..options.minhash_bands)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut keys: Vec<(u64, u32)> = docs
                .iter()
                .filter_map(|&d| {
                    let sig = &features.get(d as usize)?.signature;
                    let rows = sig.get(band * rows..(band + 1) * rows)?;
                    let key = rows.iter().fold(band as u64, |h, &v| {
                        crate::text::mix64(h.wrapping_mul(0x100_0000_01b3) ^ u64::from(v))
                    });
                    Some((key, d))
                })
                .collect();
            keys.sort_unstable();
            let mut out = Vec::new();
            for run in keys.chunk_by(|x, y| x.0 == y.0) {
                if run.len() > options.max_bucket {
                    out.extend(run.iter().skip(1).map(|&(_, d)| (run[0].1, d)));
                } else {
                    for (i, &(_, x)) in run.iter().enumerate() {
                        out.extend(run.iter().skip(i + 1).map(|&(_, y)| (x.min(y), x.max(y))));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// All near-duplicate pairs among `features`: exact copies (each linked to its group's first
/// member) and confirmed LSH candidates between group representatives.
pub(crate) fn find_duplicates(
    features: &[ArticleFeatures],
    representative: &[u32],
    options: &ClusterOptions,
) -> Vec<DuplicatePair> {
    let mut pairs: Vec<(u32, u32)> = representative
        .iter()
        .enumerate()
        .filter(|&(i, &r)| r as usize != i)
        .map(|(i, &r)| (r, i as u32))
        .collect();
    let reps: Vec<u32> = representative
        .iter()
        .enumerate()
        .filter(|&(i, &r)| r as usize == i)
        .map(|(i, _)| i as u32)
        .collect();
    pairs.extend(lsh_candidates(features, &reps, options));
    pairs
        .par_iter()
        .filter_map(|&(x, y)| {
            let (a, b) = (features.get(x as usize)?, features.get(y as usize)?);
            if a.exact != b.exact && !plausible(a, b, options) {
                return None;
            }
            confirm(x, y, a, b, options)
        })
        .collect()
}
