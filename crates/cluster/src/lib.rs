//! Groups articles into stories and finds near-duplicate copies, from a handful of articles up
//! to a daily news crawl.
//!
//! Principal types and how data flows:
//!
//! ```text
//! AnalyzedArticle / plain text ──ArticleFeatures::extract──▶ ArticleFeatures (per article, parallel)
//!     ──cluster_features──▶ Clustering { stories, duplicates }     (batch)
//!     ──StoryIndex::insert──▶ story id                              (streaming)
//! cluster(&[AnalyzedArticle]) = extract + cluster_features ──▶ Vec<Story> with NearDuplicate spans
//! ```
//!
//! * [`ArticleFeatures`] reduces an article to weighted term ids (names, numbers and headline
//!   words boosted), a one-permutation MinHash signature of its word bigrams and one term set per
//!   sentence, so that a million articles fit in memory without their text.
//! * Near-duplicates: exact copies by content hash; rewrites by MinHash LSH candidates confirmed
//!   by sentence alignment on bags of words (synonym swaps and reordered clauses still align;
//!   one shared quoted sentence is not a copy). The aligned sentences are the shared passages.
//! * Stories: TF-IDF cosine with a time decay, computed only for pairs that share rare key terms
//!   within a time window (an inverted index, no all-pairs pass), then sparse average-link
//!   agglomeration. Near-duplicates always end up in one story.
//!
//! ```
//! use corroborate_cluster::{ArticleFeatures, ArticleText, ClusterOptions, cluster_features};
//! let options = ClusterOptions::default();
//! let texts = [
//!     "Fire crews fought a blaze at the Harbor Street warehouse on Monday. Mayor Ellen Voss visited the site.",
//!     "Fire crews fought a blaze at the Harbor Street warehouse on Monday. Mayor Ellen Voss visited the site.",
//!     "The city council approved the stadium budget after a long debate.",
//! ];
//! let features: Vec<ArticleFeatures> = texts
//!     .iter()
//!     .map(|t| ArticleFeatures::extract(&ArticleText { text: t, ..Default::default() }, options.signature_len()))
//!     .collect();
//! let clustering = cluster_features(&features, &options);
//! assert_eq!(clustering.stories, vec![vec![0, 1], vec![2]]);
//! assert_eq!((clustering.duplicates[0].a, clustering.duplicates[0].b), (0, 1));
//! ```

mod dedup;
pub mod eval;
mod features;
mod stories;
mod text;

pub use dedup::DuplicatePair;
pub use features::{ArticleFeatures, ArticleText};
pub use stories::{Clustering, StoryIndex, cluster_features};
pub use text::split_sentences;

use corroborate_model::{AnalyzedArticle, NearDuplicate, Span, Story};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Clustering settings. `Default` holds the values tuned on the giveme5w1h news-cluster set and
/// the generated corpus (see the crate README).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterOptions {
    /// LSH bands; with `minhash_rows` rows each, pairs with bigram Jaccard ≈ 0.35 and above
    /// become candidates.
    pub minhash_bands: usize,
    /// Rows per LSH band.
    pub minhash_rows: usize,
    /// Minimum MinHash Jaccard estimate before a candidate is aligned sentence by sentence.
    pub candidate_min: f64,
    /// Minimum bag-of-words similarity for two sentences to count as the same passage.
    pub sentence_match: f64,
    /// Minimum share of one article's words lying in shared sentences for a near-duplicate.
    pub duplicate_coverage: f64,
    /// LSH buckets larger than this are linked as a star (flood of copies stays linear).
    pub max_bucket: usize,
    /// Key terms per article used to find candidate story neighbours.
    pub key_terms: usize,
    /// Terms kept in each article's TF-IDF vector.
    pub vector_terms: usize,
    /// A key term may occur in at most `max(key_df_floor, key_df_ratio × N)` articles.
    pub key_df_ratio: f64,
    /// See `key_df_ratio`.
    pub key_df_floor: u32,
    /// Candidate neighbours scored per article.
    pub max_candidates: usize,
    /// Similarities below this are not kept as graph edges.
    pub edge_min: f32,
    /// Average-link similarity at which stories merge.
    pub story_threshold: f32,
    /// Articles published further apart than this are never linked (when both dates are known).
    pub max_days: u32,
    /// No time penalty within this many days.
    pub time_grace_days: f32,
    /// Beyond the grace period, similarity decays by e every this many days.
    pub time_decay_days: f32,
    /// Postings scanned per key term (the nearest in time in batch, the most recent when
    /// streaming), which bounds the cost per article at any corpus size.
    pub max_postings_scan: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            minhash_bands: 20,
            minhash_rows: 3,
            candidate_min: 0.12,
            sentence_match: 0.5,
            duplicate_coverage: 0.5,
            max_bucket: 200,
            key_terms: 12,
            vector_terms: 200,
            key_df_ratio: 0.005,
            key_df_floor: 50,
            max_candidates: 64,
            edge_min: 0.02,
            story_threshold: 0.12,
            max_days: 365,
            time_grace_days: 3.0,
            time_decay_days: 365.0,
            max_postings_scan: 400,
        }
    }
}

impl ClusterOptions {
    /// MinHash signature length (bands × rows).
    pub fn signature_len(&self) -> usize {
        self.minhash_bands * self.minhash_rows
    }

    /// Highest document frequency of a key term among `n` articles.
    pub(crate) fn max_key_df(&self, n: u32) -> u32 {
        self.key_df_floor
            .max((self.key_df_ratio * f64::from(n)) as u32)
    }
}

/// Features of an analysed article: title, text, date, by-line, nlp sentences and entities.
pub fn article_features(article: &AnalyzedArticle, options: &ClusterOptions) -> ArticleFeatures {
    let entities: Vec<&str> = article
        .entities
        .iter()
        .map(|e| e.canonical.as_str())
        .collect();
    let a = &article.article;
    let input = ArticleText {
        text: &a.text,
        title: a.title.as_deref(),
        published: a.published.as_ref().map(|p| p.date),
        byline: a.byline.as_deref(),
        sentences: Some(&article.sentences),
        entities: &entities,
    };
    ArticleFeatures::extract(&input, options.signature_len())
}

/// Groups `articles` into stories (every article belongs to exactly one story).
pub fn cluster(articles: &[AnalyzedArticle], options: &ClusterOptions) -> Vec<Story> {
    let features: Vec<ArticleFeatures> = articles
        .par_iter()
        .map(|a| article_features(a, options))
        .collect();
    let clustering = cluster_features(&features, options);
    let doc = |i: u32| articles.get(i as usize).map(|a| a.article.id).unwrap_or(i);
    let mut by_story: Vec<Vec<NearDuplicate>> = vec![Vec::new(); clustering.stories.len()];
    let labels = clustering.labels(articles.len());
    for p in &clustering.duplicates {
        let Some(list) = labels
            .get(p.a as usize)
            .and_then(|&s| by_story.get_mut(s as usize))
        else {
            continue;
        };
        list.push(NearDuplicate {
            a: doc(p.a),
            b: doc(p.b),
            similarity: p.similarity,
            likely_source: p.likely_source.map(doc),
            shared: p
                .shared
                .iter()
                .map(|&(ra, rb)| (Span::new(doc(p.a), ra), Span::new(doc(p.b), rb)))
                .collect(),
        });
    }
    let story_labels = label_stories(articles, &clustering.stories);
    clustering
        .stories
        .into_iter()
        .zip(by_story)
        .zip(story_labels)
        .enumerate()
        .map(|(id, ((members, near_duplicates), label))| Story {
            id,
            label,
            docs: members.into_iter().map(doc).collect(),
            near_duplicates,
        })
        .collect()
}

/// A label per story: the three words most typical of it (frequent among its headlines and
/// leads, rare elsewhere).
fn label_stories(articles: &[AnalyzedArticle], stories: &[Vec<u32>]) -> Vec<String> {
    let words: Vec<Vec<String>> = articles
        .par_iter()
        .map(|a| {
            let lead = a
                .article
                .text
                .get(a.article.body_start.min(a.article.text.len())..)
                .unwrap_or("");
            let end = (0..=lead.len().min(600))
                .rev()
                .find(|&i| lead.is_char_boundary(i))
                .unwrap_or(0);
            let mut w = text::content_words(&format!(
                "{} {}",
                a.article.title.as_deref().unwrap_or(""),
                lead.get(..end).unwrap_or("")
            ));
            w.sort();
            w.dedup();
            w
        })
        .collect();
    let mut df: FxHashMap<&str, u32> = FxHashMap::default();
    for w in words.iter().flatten() {
        *df.entry(w).or_default() += 1;
    }
    let n = articles.len().max(1) as f64;
    stories
        .iter()
        .map(|members| {
            let mut local: FxHashMap<&str, u32> = FxHashMap::default();
            for &m in members {
                for w in words.get(m as usize).into_iter().flatten() {
                    *local.entry(w).or_default() += 1;
                }
            }
            let mut scored: Vec<(&str, f64)> = local
                .into_iter()
                .map(|(w, c)| {
                    let d = df.get(w).copied().unwrap_or(1).max(1);
                    (w, f64::from(c) * (1.0 + n / f64::from(d)).ln())
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            scored
                .iter()
                .take(3)
                .map(|(w, _)| *w)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}
