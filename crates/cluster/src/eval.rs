//! Clustering quality measures: B-cubed and pairwise precision/recall/F1 against gold labels,
//! and precision/recall of near-duplicate pairs. Used by the evaluation examples and tests.

use rustc_hash::FxHashMap;

/// Precision, recall and their harmonic mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Precision in [0, 1].
    pub precision: f64,
    /// Recall in [0, 1].
    pub recall: f64,
    /// F1 in [0, 1].
    pub f1: f64,
}

impl Scores {
    fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            precision,
            recall,
            f1,
        }
    }
}

/// Cluster sizes by label.
type Sizes = FxHashMap<u32, u64>;

/// Counts of (predicted, gold) label pairs plus the size of each predicted and gold cluster.
fn contingency(predicted: &[u32], gold: &[u32]) -> (FxHashMap<(u32, u32), u64>, Sizes, Sizes) {
    let mut joint = FxHashMap::default();
    let mut p = FxHashMap::default();
    let mut g = FxHashMap::default();
    for (&a, &b) in predicted.iter().zip(gold) {
        *joint.entry((a, b)).or_default() += 1;
        *p.entry(a).or_default() += 1;
        *g.entry(b).or_default() += 1;
    }
    (joint, p, g)
}

/// B-cubed precision/recall/F1 (per-item averages) of `predicted` against `gold` labels.
pub fn bcubed(predicted: &[u32], gold: &[u32]) -> Scores {
    let n = predicted.len().min(gold.len());
    if n == 0 {
        return Scores::new(1.0, 1.0);
    }
    let (joint, p, g) = contingency(predicted, gold);
    let (mut prec, mut rec) = (0.0, 0.0);
    for (&(a, b), &c) in &joint {
        let c = c as f64;
        prec += c * c / p[&a] as f64;
        rec += c * c / g[&b] as f64;
    }
    Scores::new(prec / n as f64, rec / n as f64)
}

/// Pairwise precision/recall/F1: over all article pairs, "same story" predicted vs gold.
pub fn pairwise(predicted: &[u32], gold: &[u32]) -> Scores {
    let (joint, p, g) = contingency(predicted, gold);
    let pairs = |c: u64| (c * c.saturating_sub(1) / 2) as f64;
    let both: f64 = joint.values().map(|&c| pairs(c)).sum();
    let pred: f64 = p.values().map(|&c| pairs(c)).sum();
    let gold_pairs: f64 = g.values().map(|&c| pairs(c)).sum();
    Scores::new(
        if pred > 0.0 { both / pred } else { 1.0 },
        if gold_pairs > 0.0 {
            both / gold_pairs
        } else {
            1.0
        },
    )
}

/// Precision/recall of found pairs against true pairs (order within a pair is ignored).
///
/// Pairs are compared as groups: a found pair counts as correct when both articles belong to
/// one true duplicate group (the transitive closure of `truth`), so linking copies in a star
/// rather than all pairs is not penalised.
pub fn duplicate_pairs(found: &[(u32, u32)], truth: &[(u32, u32)]) -> Scores {
    let mut root: FxHashMap<u32, u32> = FxHashMap::default();
    fn find(root: &mut FxHashMap<u32, u32>, x: u32) -> u32 {
        let mut r = x;
        while let Some(&p) = root.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        root.insert(x, r);
        r
    }
    let union = |root: &mut FxHashMap<u32, u32>, a: u32, b: u32| {
        let (ra, rb) = (find(root, a), find(root, b));
        root.insert(ra.max(rb), ra.min(rb));
        root.entry(ra.min(rb)).or_insert(ra.min(rb));
    };
    for &(a, b) in truth {
        union(&mut root, a, b);
    }
    let correct = found
        .iter()
        .filter(|&&(a, b)| root.contains_key(&a) && find(&mut root, a) == find(&mut root, b))
        .count();
    let mut found_root: FxHashMap<u32, u32> = FxHashMap::default();
    for &(a, b) in found {
        union(&mut found_root, a, b);
    }
    let recalled = truth
        .iter()
        .filter(|&&(a, b)| {
            found_root.contains_key(&a) && find(&mut found_root, a) == find(&mut found_root, b)
        })
        .count();
    Scores::new(
        if found.is_empty() {
            1.0
        } else {
            correct as f64 / found.len() as f64
        },
        if truth.is_empty() {
            1.0
        } else {
            recalled as f64 / truth.len() as f64
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_merged_clusterings() {
        let gold = [0, 0, 1, 1];
        assert_eq!(bcubed(&[5, 5, 7, 7], &gold).f1, 1.0);
        let merged = bcubed(&[0, 0, 0, 0], &gold);
        assert_eq!(merged.recall, 1.0);
        assert!((merged.precision - 0.5).abs() < 1e-9);
        let pw = pairwise(&[0, 0, 0, 0], &gold);
        assert!((pw.precision - 2.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn duplicate_pairs_credit_stars_within_a_group() {
        let truth = [(0, 1), (1, 2), (0, 2)];
        let s = duplicate_pairs(&[(0, 1), (0, 2)], &truth);
        assert_eq!((s.precision, s.recall), (1.0, 1.0));
        let s = duplicate_pairs(&[(0, 3)], &truth);
        assert_eq!(s.precision, 0.0);
    }
}
