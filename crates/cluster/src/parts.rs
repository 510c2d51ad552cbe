//! Clustering one run in parts, on many machines (the Spark job), with the stories that
//! [`crate::cluster`] gives over the whole run.
//!
//! Story clustering looks beyond one article in three ways only:
//!
//! * run-wide statistics: document frequencies of terms and headline words over the exact-copy
//!   representatives, and of the words story labels are picked from over every article. They
//!   are sums, so they add up from any split of the run ([`RunStatistics`]);
//! * candidate pairs: an article's neighbours in the posting lists of its key terms (the
//!   postings nearest in time, capped per key; of those, the `max_candidates` sharing most
//!   keys) and the members of its LSH buckets (linked as a star in a bucket too large);
//! * exact copies, which follow the first article with the same words.
//!
//! Of the candidate pairs only two kinds can change a story: story candidates whose similarity
//! reaches `edge_min` and near-duplicate candidates that the sentence alignment confirms
//! ([`StoryLinks`]). The links' similarities are all average link needs, so it runs over the
//! whole run's links ([`story_parts`], on integers and floats), and the run splits into parts
//! of whole average-link clusters, joined by the edges of the articles average link leaves
//! alone, near-duplicates and copies; each part clustered on its own with the run's
//! statistics, its links and the run's clusters ([`crate::cluster_part`]) gives exactly the
//! run's stories among its articles.
//!
//! Every step needs only the articles that meet at one key, one article or one pair, so it
//! distributes as shuffles:
//!
//! ```text
//! each article ──RunStatistics::add──▶ part sums ──RunStatistics::merge──▶ run statistics
//! each article + run statistics ──story_keys──▶ key terms (with its day), band keys
//! each key term's postings ──posting_neighbours──▶ (article, neighbour)
//! each article's neighbours ──story_candidates──▶ story candidate pairs ──edge──▶ links
//! each band key's articles ──bucket_pairs──▶ near-duplicate candidates ──is_duplicate──▶ links
//! links + exact copies ──story_parts──▶ average-link clusters, parts
//! each part + its links + its clusters + run statistics ──cluster_part──▶ its stories (run ids)
//! ```

use crate::features::ArticleFeatures;
use crate::stories::{self, Frequencies, most_shared, vectorize, window};
use crate::{ClusterOptions, dedup};
use corroborate_model::{AnalyzedArticle, DocId};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The sums over a whole run that story clustering weighs each article with. Built by
/// [`RunStatistics::add`] over a run's articles in any order and split, then
/// [`RunStatistics::merge`]; sent between machines as bytes ([`RunStatistics::to_bytes`]).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStatistics {
    /// Term and headline-word frequencies over exact-copy representatives.
    pub(crate) frequencies: Frequencies,
    /// Number of exact-copy representatives.
    pub(crate) representatives: u32,
    /// Frequencies of label words (headline and lead) over every article.
    pub(crate) label_words: FxHashMap<String, u32>,
    /// Number of articles.
    pub(crate) articles: u32,
}

impl RunStatistics {
    /// Counts `article` with its `features`. `representative` is true unless an earlier article
    /// of the run (a lower id) has the same [`ArticleFeatures::copy_key`].
    pub fn add(
        &mut self,
        article: &AnalyzedArticle,
        features: &ArticleFeatures,
        representative: bool,
    ) {
        self.add_words(features, &crate::label_words(article), representative);
    }

    /// [`RunStatistics::add`] with the article's label words already picked out.
    pub(crate) fn add_words(
        &mut self,
        features: &ArticleFeatures,
        words: &[String],
        representative: bool,
    ) {
        if representative {
            self.frequencies.add(features);
            self.representatives += 1;
        }
        for word in words {
            match self.label_words.get_mut(word) {
                Some(count) => *count += 1,
                None => {
                    self.label_words.insert(word.clone(), 1);
                }
            }
        }
        self.articles += 1;
    }

    /// The sums of both (the larger maps absorb the smaller ones).
    pub fn merge(self, other: Self) -> Self {
        let (mut big, small) = if self.label_words.len() >= other.label_words.len() {
            (self, other)
        } else {
            (other, self)
        };
        big.frequencies = if big.frequencies.terms.len() >= small.frequencies.terms.len() {
            big.frequencies.merge(small.frequencies)
        } else {
            small.frequencies.merge(big.frequencies)
        };
        for (word, count) in small.label_words {
            *big.label_words.entry(word).or_default() += count;
        }
        big.representatives += small.representatives;
        big.articles += small.articles;
        big
    }

    /// The statistics as bytes, for [`RunStatistics::from_bytes`] on another machine.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Statistics written by [`RunStatistics::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("run statistics: {e}"))
    }
}

/// The keys an article is indexed under for candidate pairs: its key terms under the run's
/// statistics (rare enough to index) and its LSH band keys. A copy (not the first of its exact
/// copies) has none: it follows the first copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryKeys {
    /// Key terms: with the article's day, the postings of [`posting_neighbours`].
    pub terms: Vec<u32>,
    /// LSH band keys: the buckets of [`bucket_pairs`].
    pub bands: Vec<u64>,
}

/// The [`StoryKeys`] of an article with `features`; `representative` as for
/// [`RunStatistics::add`].
pub fn story_keys(
    features: &ArticleFeatures,
    representative: bool,
    statistics: &RunStatistics,
    options: &ClusterOptions,
) -> StoryKeys {
    if !representative {
        return StoryKeys::default();
    }
    let rows = options.minhash_rows.max(1);
    let mut bands: Vec<u64> = (0..options.minhash_bands)
        .filter_map(|band| dedup::band_key(&features.signature, band, rows))
        .collect();
    bands.sort_unstable();
    bands.dedup();
    let (_, mut terms) = vectorize(
        features,
        &statistics.frequencies,
        statistics.representatives,
        options,
    );
    terms.sort_unstable();
    StoryKeys { terms, bands }
}

/// One key term's postings, `(day, article)` for each article indexed under it (in any
/// order), to `(article, neighbour)` pairs: the postings each article scans for that key, as
/// the whole run's candidate search scans them (the nearest in time, at most
/// `max_postings_scan`, the article itself among them).
pub fn posting_neighbours(
    postings: &[(Option<i32>, DocId)],
    options: &ClusterOptions,
) -> Vec<(DocId, DocId)> {
    let mut list: Vec<(i32, DocId)> = postings
        .iter()
        .map(|&(day, d)| (day.unwrap_or(i32::MIN), d))
        .collect();
    list.sort_unstable();
    postings
        .iter()
        .flat_map(|&(day, me)| {
            window(&list, day, options.max_days, options.max_postings_scan)
                .map(move |other| (me, other))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The story candidates of article `me` from its neighbours in every key's postings (`seen`,
/// one entry per key and neighbour, as [`posting_neighbours`] gives them): the
/// `max_candidates` sharing most keys with it (ties: the lower id).
pub fn story_candidates(me: DocId, seen: Vec<DocId>, options: &ClusterOptions) -> Vec<DocId> {
    most_shared(seen, me, options.max_candidates)
}

/// The near-duplicate candidate pairs `(lower, higher)` of one LSH bucket, its articles `docs`
/// (any order; see [`StoryKeys::bands`]).
pub fn bucket_pairs(docs: &[DocId], options: &ClusterOptions) -> Vec<(DocId, DocId)> {
    let mut docs = docs.to_vec();
    docs.sort_unstable();
    docs.dedup();
    dedup::bucket_pairs(&docs, options)
}

/// The similarity of a story candidate pair of a run with `statistics` (with the time decay)
/// when the pair is a link: when it reaches `edge_min`.
pub fn edge(
    a: &ArticleFeatures,
    b: &ArticleFeatures,
    statistics: &RunStatistics,
    options: &ClusterOptions,
) -> Option<f32> {
    stories::edge(
        a,
        b,
        &statistics.frequencies,
        statistics.representatives,
        options,
    )
}

/// Whether a near-duplicate candidate pair is a link: a copy or rewrite by sentence alignment
/// (`a` the article with the lower id).
pub fn is_duplicate(a: &ArticleFeatures, b: &ArticleFeatures, options: &ClusterOptions) -> bool {
    dedup::duplicate(0, 1, a, b, options).is_some()
}

/// The links of a run's story graph among some of its articles (pairs of article ids, the
/// lower first): story candidates that are an [`edge`] and near-duplicate candidates that
/// [`is_duplicate`]. Only these, with exact copies, can join articles into one story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryLinks {
    /// Story candidate pairs with their similarity, at least `edge_min`.
    pub similar: Vec<(DocId, DocId, f32)>,
    /// Confirmed near-duplicate candidate pairs.
    pub duplicates: Vec<(DocId, DocId)>,
}

/// How a run of articles `0..n` splits into parts that [`crate::cluster_part`] clusters apart
/// ([`story_parts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryParts {
    /// For each article, the lowest id in its part.
    pub part: Vec<DocId>,
    /// For each article, the article that names its average-link cluster in the run (itself
    /// when average link leaves it alone); [`crate::cluster_part`] takes these as they are.
    pub cluster: Vec<DocId>,
}

/// The parts of a run of articles `0..n` that [`crate::cluster_part`] can cluster apart, from
/// the run's `links` and its exact `copies` (`(first copy, copy)` pairs), and the run's
/// average-link clusters.
///
/// A story is an average-link cluster, joined by the articles average link leaves alone that
/// attach to it, by near-duplicates and by copies. Average link over the run needs only the
/// links' similarities, so it runs here, over the whole run, on integers and floats alone
/// (exactly as the whole run's [`crate::cluster`] runs it: see
/// [`crate::cluster_part`]). A part is then made of whole clusters, joined by what can still
/// bring two of them into one story: the edges of a lone article to an article of a cluster (it
/// attaches to the candidate story whose centroid is nearest, so every story it has an edge to
/// must be in its part), near-duplicate links and copies. Edges between two clusters or between
/// two lone articles change no story once the clusters are known, so they split no part.
/// Links with an end outside `0..n` are left out.
pub fn story_parts(
    n: usize,
    links: &StoryLinks,
    copies: &[(DocId, DocId)],
    options: &ClusterOptions,
) -> StoryParts {
    let inside = |&&(a, b, _): &&(DocId, DocId, f32)| (a as usize) < n && (b as usize) < n;
    let similar: Vec<(DocId, DocId, f32)> = links.similar.iter().filter(inside).copied().collect();
    let cluster = stories::average_link_by_component(n, &similar, options.story_threshold);
    let mut size = vec![0u32; n];
    for &c in &cluster {
        if let Some(s) = size.get_mut(c as usize) {
            *s += 1;
        }
    }
    let alone = |d: DocId| {
        let c = cluster.get(d as usize).copied().unwrap_or(d);
        size.get(c as usize).is_none_or(|&s| s <= 1)
    };
    let mut parent: Vec<DocId> = (0..n as DocId).collect();
    let joined = (0..n as DocId)
        .zip(cluster.iter().copied())
        .chain(
            similar
                .iter()
                .filter(|&&(a, b, _)| alone(a) != alone(b))
                .map(|&(a, b, _)| (a, b)),
        )
        .chain(links.duplicates.iter().copied())
        .chain(copies.iter().copied());
    for (a, b) in joined {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if let Some(p) = parent.get_mut(ra.max(rb) as usize) {
            *p = ra.min(rb);
        }
    }
    let part = (0..n as DocId).map(|d| root(&mut parent, d)).collect();
    StoryParts { part, cluster }
}

/// The root of `d` in the union-find `parent` (with path halving); `d` itself when out of range.
fn root(parent: &mut [DocId], mut d: DocId) -> DocId {
    while let Some(&p) = parent.get(d as usize) {
        if p == d {
            break;
        }
        let grand = parent.get(p as usize).copied().unwrap_or(p);
        parent[d as usize] = grand;
        d = grand;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_article_scans_the_postings_nearest_in_time() {
        let options = ClusterOptions {
            max_postings_scan: 4,
            max_days: 10,
            ..ClusterOptions::default()
        };
        // Article 9 is undated; the others are dated 0, 1, …; 20 is too far from the rest.
        let mut postings: Vec<(Option<i32>, DocId)> = (0..6).map(|d| (Some(d as i32), d)).collect();
        postings.push((None, 9));
        postings.push((Some(20), 20));
        let scanned = |me: DocId| -> Vec<DocId> {
            posting_neighbours(&postings, &options)
                .into_iter()
                .filter(|&(a, _)| a == me)
                .map(|(_, b)| b)
                .collect()
        };
        // Up to half the cap of undated postings, then two on either side of the day.
        assert_eq!(scanned(3), vec![9, 1, 2, 3, 4]);
        assert_eq!(scanned(0), vec![9, 0, 1]);
        assert_eq!(scanned(20), vec![9, 20]);
        // An undated article scans the earliest dated postings.
        assert_eq!(scanned(9), vec![9, 0, 1, 2, 3]);
    }

    #[test]
    fn a_bucket_over_the_cap_is_a_star_on_its_first_article() {
        let options = ClusterOptions {
            max_bucket: 3,
            ..ClusterOptions::default()
        };
        assert_eq!(
            bucket_pairs(&[7, 2, 5], &options),
            vec![(2, 5), (2, 7), (5, 7)]
        );
        assert_eq!(
            bucket_pairs(&[7, 2, 5, 9], &options),
            vec![(2, 5), (2, 7), (2, 9)]
        );
    }

    #[test]
    fn parts_are_whole_clusters_joined_by_lone_articles_duplicates_and_copies() {
        let options = ClusterOptions::default();
        let (strong, weak) = (options.story_threshold + 0.3, options.edge_min + 0.01);
        let edge = options.story_threshold + 0.01;
        // Clusters {0, 1} and {2, 3} share an edge at the story threshold (1–2) but average
        // link keeps them apart ((edge + 0) / 4 is far below it): two parts. Article 4 is alone
        // with weak edges to both, so it brings them into one part in the second run. Articles
        // 5 and 6 are alone with a weak edge between them, which attaches neither: two parts;
        // 7 is a near-duplicate of 6 and 8 a copy of 7. Article 9 has no link at all.
        let links = StoryLinks {
            similar: vec![(0, 1, strong), (2, 3, strong), (1, 2, edge), (5, 6, weak)],
            duplicates: vec![(6, 7)],
        };
        let parts = story_parts(10, &links, &[(7, 8)], &options);
        assert_eq!(parts.part, vec![0, 0, 2, 2, 4, 5, 6, 6, 6, 9]);
        let named = |p: &StoryParts| -> Vec<bool> {
            p.cluster
                .iter()
                .enumerate()
                .map(|(d, &c)| c as usize == d)
                .collect()
        };
        assert_eq!(parts.cluster[0], parts.cluster[1]);
        assert_eq!(parts.cluster[2], parts.cluster[3]);
        assert_ne!(parts.cluster[1], parts.cluster[2]);
        assert_eq!(named(&parts).iter().filter(|&&x| x).count(), 8);
        let lone = StoryLinks {
            similar: [links.similar.clone(), vec![(1, 4, weak), (3, 4, weak)]].concat(),
            ..links
        };
        let parts = story_parts(10, &lone, &[(7, 8)], &options);
        assert_eq!(parts.part, vec![0, 0, 0, 0, 0, 5, 6, 6, 6, 9]);
        // Links beyond the run's articles are left out: of 0..3, {0, 1} is a cluster (named
        // by 1, the one with more neighbours) and 2 is alone with an edge into it.
        let parts = story_parts(3, &lone, &[(7, 8)], &options);
        assert_eq!((parts.part, parts.cluster), (vec![0, 0, 0], vec![1, 1, 2]));
    }
}
