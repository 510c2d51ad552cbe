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
    /// Share of content words (of both articles) that aligned sentences have in common, in
    /// [0, 1]: a rewrite that changes words, or a copy that changes a figure, is below 1.
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

/// How well two sentences with `a` and `b` distinct content words, `common` of them shared,
/// match: their Jaccard similarity, or for sentences of at least four words three quarters of
/// the share of the shorter one found in the other (a clause quoted inside a longer sentence).
fn sentence_match(common: usize, a: usize, b: usize) -> f64 {
    let jaccard = common as f64 / (a + b - common) as f64;
    if a.min(b) >= 4 {
        jaccard.max(common as f64 / a.min(b) as f64 * 0.75)
    } else {
        jaccard
    }
}

/// Aligns each sentence of `a` with its most similar sentence of `b` (bag of content words, so
/// synonym swaps and reordered clauses still align) and measures how much of each is covered.
///
/// Common words are counted through an index of `b`'s sentences by term: each sentence of `a`
/// walks its own terms and touches only the sentences of `b` that share one (most pairs share
/// none), instead of intersecting it with every sentence of `b`. Sentence term sets are
/// distinct, so the counts are the intersection sizes.
pub(crate) fn align(
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    options: &ClusterOptions,
) -> Alignment {
    let mut postings: Vec<(u32, u32)> = (0..b.sentences.len())
        .flat_map(|j| b.sentence_terms(j).iter().map(move |&t| (t, j as u32)))
        .collect();
    postings.sort_unstable();
    let holders = |t: u32| {
        let lo = postings.partition_point(|&(x, _)| x < t);
        let hi = lo + postings[lo..].partition_point(|&(x, _)| x == t);
        &postings[lo..hi]
    };
    let mut common = vec![0u32; b.sentences.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut shared = Vec::new();
    let mut covered_b = vec![false; b.sentences.len()];
    // Words each side has in common with the sentence it is aligned with (for `b`, the most
    // with any sentence of `a`): what the similarity counts, rather than whole sentences.
    let mut common_b = vec![0usize; b.sentences.len()];
    let (mut words_a, mut hit_a, mut common_a) = (0usize, 0usize, 0usize);
    for (i, sa) in a.sentences.iter().enumerate() {
        let ta = a.sentence_terms(i);
        words_a += ta.len();
        for &t in ta {
            for &(_, j) in holders(t) {
                let count = &mut common[j as usize];
                if *count == 0 {
                    touched.push(j);
                }
                *count += 1;
            }
        }
        // Ascending sentence order, so that ties go to the first sentence of `b`.
        touched.sort_unstable();
        let mut best: Option<(usize, f64, usize)> = None;
        for &j in &touched {
            let j = j as usize;
            let shared_words = std::mem::take(&mut common[j]) as usize;
            let score = sentence_match(shared_words, ta.len(), b.sentence_terms(j).len());
            if best.is_none_or(|(_, s, _)| score > s) {
                best = Some((j, score, shared_words));
            }
        }
        touched.clear();
        if let Some((j, _, words)) = best.filter(|&(_, s, _)| s >= options.sentence_match) {
            hit_a += ta.len();
            common_a += words;
            if let (Some(c), Some(n), Some(sb)) = (
                covered_b.get_mut(j),
                common_b.get_mut(j),
                b.sentences.get(j),
            ) {
                *c = true;
                *n = (*n).max(words);
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
        similarity: ratio(common_a + common_b.iter().sum::<usize>(), words_a + words_b),
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
            match f.copy_key() {
                Some(key) => *first.entry(key).or_insert(i),
                None => i,
            }
        })
        .collect()
}

/// The LSH bucket of `signature` in band `band` of `rows` rows (`None` when the signature is
/// too short, as for an article without words).
pub(crate) fn band_key(signature: &[u32], band: usize, rows: usize) -> Option<u64> {
    let chunk = signature.get(band * rows..(band + 1) * rows)?;
    Some(chunk.iter().fold(band as u64, |h, &v| {
        crate::text::mix64(h.wrapping_mul(0x100_0000_01b3) ^ u64::from(v))
    }))
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
                    Some((
                        band_key(&features.get(d as usize)?.signature, band, rows)?,
                        d,
                    ))
                })
                .collect();
            keys.sort_unstable();
            let mut out = Vec::new();
            let mut docs = Vec::new();
            for run in keys.chunk_by(|x, y| x.0 == y.0) {
                docs.clear();
                docs.extend(run.iter().map(|&(_, d)| d));
                out.extend(bucket_pairs(&docs, options));
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// All near-duplicate pairs among `features`: exact copies (each linked to its group's first
/// member) and confirmed candidates between group representatives: `given` pairs (sorted,
/// found over a whole run), else those of LSH buckets among `features`.
pub(crate) fn find_duplicates(
    features: &[ArticleFeatures],
    representative: &[u32],
    given: Option<&[(u32, u32)]>,
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
    match given {
        Some(given) => pairs.extend_from_slice(given),
        None => pairs.extend(lsh_candidates(features, &reps, options)),
    }
    pairs
        .par_iter()
        .filter_map(|&(x, y)| {
            duplicate(
                x,
                y,
                features.get(x as usize)?,
                features.get(y as usize)?,
                options,
            )
        })
        .collect()
}

/// The near-duplicate pair of a candidate pair `(ia, ib)`, when the check of the pair
/// confirms it.
pub(crate) fn duplicate(
    ia: u32,
    ib: u32,
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    options: &ClusterOptions,
) -> Option<DuplicatePair> {
    if a.exact != b.exact && !plausible(a, b, options) {
        return None;
    }
    confirm(ia, ib, a, b, options)
}

/// The candidate pairs of one LSH bucket, its members `docs` ascending: every pair, or for
/// a bucket larger than `options.max_bucket` (a template or boiler plate shared by thousands
/// of pages) each member with the first, so that a flood of copies stays linear.
pub(crate) fn bucket_pairs(docs: &[u32], options: &ClusterOptions) -> Vec<(u32, u32)> {
    let Some(&first) = docs.first() else {
        return Vec::new();
    };
    if docs.len() > options.max_bucket {
        return docs.iter().skip(1).map(|&d| (first, d)).collect();
    }
    docs.iter()
        .enumerate()
        .flat_map(|(i, &x)| docs.iter().skip(i + 1).map(move |&y| (x.min(y), x.max(y))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::ArticleText;
    use proptest::prelude::*;

    /// The textbook alignment the indexed one must reproduce: every sentence of `a` against
    /// every sentence of `b`, common words by looking each word up in the other sorted set.
    fn align_all_pairs(a: &ArticleFeatures, b: &ArticleFeatures, o: &ClusterOptions) -> Alignment {
        let intersection =
            |x: &[u32], y: &[u32]| x.iter().filter(|t| y.binary_search(t).is_ok()).count();
        let mut shared = Vec::new();
        let mut covered_b = vec![false; b.sentences.len()];
        let mut common_b = vec![0usize; b.sentences.len()];
        let (mut words_a, mut hit_a, mut common_a) = (0usize, 0usize, 0usize);
        for (i, sa) in a.sentences.iter().enumerate() {
            let ta = a.sentence_terms(i);
            words_a += ta.len();
            let mut best: Option<(usize, f64, usize)> = None;
            for j in 0..b.sentences.len() {
                let tb = b.sentence_terms(j);
                let common = intersection(ta, tb);
                if common == 0 {
                    continue;
                }
                let score = sentence_match(common, ta.len(), tb.len());
                if best.is_none_or(|(_, s, _)| score > s) {
                    best = Some((j, score, common));
                }
            }
            if let Some((j, _, common)) = best.filter(|&(_, s, _)| s >= o.sentence_match) {
                hit_a += ta.len();
                common_a += common;
                covered_b[j] = true;
                common_b[j] = common_b[j].max(common);
                shared.push((sa.range, b.sentences[j].range));
            }
        }
        let words_b: usize = (0..b.sentences.len())
            .map(|j| b.sentence_terms(j).len())
            .sum();
        let hit_b: usize = (0..b.sentences.len())
            .filter(|&j| covered_b[j])
            .map(|j| b.sentence_terms(j).len())
            .sum();
        let ratio = |h: usize, w: usize| if w == 0 { 0.0 } else { h as f64 / w as f64 };
        Alignment {
            similarity: ratio(common_a + common_b.iter().sum::<usize>(), words_a + words_b),
            coverage_a: ratio(hit_a, words_a),
            coverage_b: ratio(hit_b, words_b),
            shared,
        }
    }

    /// Sentences over a small vocabulary, so that they share words often and tie often.
    fn text() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec!["harbour", "fire", "crews", "mayor", "port"]);
        // Capitalised, or the splitter would not see a new sentence.
        let sentence = prop::collection::vec(word, 1..6).prop_map(|w| {
            let s = w.join(" ");
            s[..1].to_uppercase() + &s[1..] + "."
        });
        prop::collection::vec(sentence, 0..12).prop_map(|s| s.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn indexed_alignment_matches_all_pairs(x in text(), y in text(), threshold in 0.2f64..0.9) {
            let o = ClusterOptions { sentence_match: threshold, ..ClusterOptions::default() };
            let features = |t: &str| ArticleFeatures::extract(
                &ArticleText { text: t, ..Default::default() },
                o.signature_len(),
            );
            let (a, b) = (features(&x), features(&y));
            let (fast, slow) = (align(&a, &b, &o), align_all_pairs(&a, &b, &o));
            prop_assert_eq!(fast.shared, slow.shared);
            prop_assert_eq!(fast.similarity, slow.similarity);
            prop_assert_eq!(fast.coverage_a, slow.coverage_a);
            prop_assert_eq!(fast.coverage_b, slow.coverage_b);
        }
    }
}
