//! Clustering one run in parts, on many machines (the Spark job), with the stories that
//! [`crate::cluster`] gives over the whole run.
//!
//! Story clustering looks beyond one article in three ways only:
//!
//! * run-wide statistics: document frequencies of terms and headline words over the exact-copy
//!   representatives, and of the words story labels are picked from over every article. They
//!   are sums, so they add up from any split of the run ([`RunStatistics`]);
//! * candidate pairs: the postings of an article's key terms and its LSH buckets;
//! * exact copies, which follow the first article with the same words.
//!
//! [`story_keys`] names all three for an article: its key terms (rare enough to index, with
//! the run's frequencies), its LSH band keys and its exact-copy hash. Two articles that share
//! no key, directly or through other articles, never affect each other's story, so each
//! connected component of shared keys can be clustered on its own ([`crate::cluster_part`])
//! and gives exactly the run's stories among its articles. Only the articles sharing a key
//! need to meet (a shuffle on the keys), and each component needs only its own articles.
//!
//! ```text
//! each article ──RunStatistics::add──▶ part sums ──RunStatistics::merge──▶ run statistics
//! each article + run statistics ──story_keys──▶ keys ──(shuffle, components)──▶ components
//! each component + run statistics ──cluster_part──▶ its stories (run ids)
//! ```

use crate::features::ArticleFeatures;
use crate::stories::{Frequencies, vectorize};
use crate::{ClusterOptions, dedup};
use corroborate_model::AnalyzedArticle;
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

/// Key terms go into the key space above every 32-bit value, away from exact-copy hashes and
/// band keys of the same value (a collision would only join two components, which is safe).
const TERM_KEY: u64 = 1 << 32;

/// The keys an article shares with every article that can affect its story (see the module
/// docs), sorted: its exact-copy hash, and for a `representative` (see [`RunStatistics::add`])
/// its LSH band keys and its key terms under the run's `statistics`.
pub fn story_keys(
    features: &ArticleFeatures,
    representative: bool,
    statistics: &RunStatistics,
    options: &ClusterOptions,
) -> Vec<u64> {
    let mut keys: Vec<u64> = features.copy_key().into_iter().collect();
    if representative {
        let rows = options.minhash_rows.max(1);
        keys.extend(
            (0..options.minhash_bands)
                .filter_map(|band| dedup::band_key(&features.signature, band, rows)),
        );
        let (_, terms) = vectorize(
            features,
            &statistics.frequencies,
            statistics.representatives,
            options,
        );
        keys.extend(terms.into_iter().map(|t| TERM_KEY | u64::from(t)));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}
