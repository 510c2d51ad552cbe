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
//! RunStatistics (summed over parts) + story_keys ──▶ links ──story_parts──▶ parts ──cluster_part──▶ the same stories
//! ```
//!
//! * [`ArticleFeatures`] reduces an article to weighted term ids (names, numbers and headline
//!   words boosted), a one-permutation MinHash signature of its word bigrams and one term set per
//!   sentence, so that a million articles fit in memory without their text.
//! * Near-duplicates: exact copies by content hash; rewrites by MinHash LSH candidates confirmed
//!   by sentence alignment on bags of words (synonym swaps and reordered clauses still align;
//!   one shared quoted sentence is not a copy). The aligned sentences are the shared passages.
//! * Stories: a weighted mean of TF-IDF cosines (whole text; lead = headline and first
//!   sentences; headline alone) with a time decay, computed only for pairs that share rare key
//!   terms or headline words within a time window (an inverted index, no all-pairs pass), then
//!   sparse average-link agglomeration. Near-duplicates always end up in one story.
//! * In parts, for a cluster of machines: the run's sums ([`RunStatistics`]) and each
//!   article's [`story_keys`] (key terms, LSH band keys) give the candidate pairs, those that
//!   can join two stories are the run's [`StoryLinks`]; average link over those alone gives
//!   the run's clusters and splits the run into parts of whole clusters ([`story_parts`]) that
//!   [`cluster_part`] clusters one at a time, with exactly the stories of [`cluster`] over the
//!   whole run (see the `parts` module).
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
mod parts;
mod stories;
mod text;

pub use dedup::DuplicatePair;
pub use features::{ArticleFeatures, ArticleText};
pub use parts::{
    RunStatistics, StoryKeys, StoryLinks, StoryParts, bucket_pairs, edge, is_duplicate,
    posting_neighbours, story_candidates, story_keys, story_parts,
};
pub use stories::{Clustering, PairSignals, StoryIndex, cluster_features, pair_signals};

use corroborate_model::{AnalyzedArticle, DocId, NearDuplicate, Span, Story};
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
    /// Minimum share of the smaller article's distinct words found in the other before a
    /// candidate is aligned.
    pub vocabulary_containment: f64,
    /// Minimum bag-of-words similarity for two sentences to count as the same passage.
    pub sentence_match: f64,
    /// Minimum share of one article's words lying in shared sentences for a near-duplicate.
    pub duplicate_coverage: f64,
    /// LSH buckets larger than this are linked as a star (flood of copies stays linear).
    pub max_bucket: usize,
    /// Key terms per article used to find candidate story neighbours (its headline words are
    /// keys as well).
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
    /// Weight of the whole-text cosine in the pair similarity: a weighted mean of the field
    /// cosines (whole text, lead, headline) over the fields both articles have, times the time
    /// decay. The three default weights are a logistic regression of "same event" on the
    /// time-decayed cosines of all giveme5w1h candidate pairs (plain path; coefficients
    /// normalised to sum 1 and rounded), and `story_threshold` was then picked on the same set:
    /// fitted on the evaluation set, so the honest figures are the two-fold cross-validation by
    /// event in the README (`scripts/cluster-eval.sh cv`).
    pub whole_weight: f32,
    /// Weight of the lead cosine (headline and first content words); see `whole_weight`.
    pub lead_weight: f32,
    /// Weight of the headline cosine (headline words weighted by their idf over headlines);
    /// see `whole_weight`. 0 leaves the field out.
    pub headline_weight: f32,
    /// Average-link similarity at which stories merge (picked on giveme5w1h together with the
    /// field weights, grid 0.06–0.20; see `whole_weight`).
    pub story_threshold: f32,
    /// An article left alone by average link joins the story whose centroid it is most similar
    /// to (times the time decay to the story's nearest member date) at this similarity.
    pub singleton_threshold: f32,
    /// Articles published further apart than this are never linked (when both dates are known).
    /// The default (about three years) is where the time decay alone rules a link out: even
    /// identical texts fall below `edge_min` beyond `time_grace_days + time_decay_days ×
    /// ln(1 / edge_min)`. So the window only bounds the candidate search and never cuts off
    /// pairs that the decay would still let through.
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
            candidate_min: 0.25,
            vocabulary_containment: 0.6,
            sentence_match: 0.5,
            duplicate_coverage: 0.7,
            max_bucket: 64,
            key_terms: 10,
            vector_terms: 200,
            key_df_ratio: 0.005,
            key_df_floor: 50,
            max_candidates: 24,
            edge_min: 0.05,
            whole_weight: 0.33,
            lead_weight: 0.41,
            headline_weight: 0.26,
            story_threshold: 0.13,
            singleton_threshold: 0.08,
            max_days: 1_100,
            time_grace_days: 3.0,
            time_decay_days: 365.0,
            max_postings_scan: 100,
        }
    }
}

impl ClusterOptions {
    /// MinHash signature length (bands × rows).
    pub fn signature_len(&self) -> usize {
        self.minhash_bands * self.minhash_rows
    }

    /// Sets the option called `name` (the field name, e.g. `story_threshold`) from its text
    /// form, for tuning tools and experiments (`scripts/cluster-eval.sh story_threshold=0.1`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let number = value
            .trim()
            .parse::<f64>()
            .map_err(|e| format!("{name}: {e}"))?;
        if !number.is_finite() || number < 0.0 {
            return Err(format!("{name}: {value} is not a non-negative number"));
        }
        // Counts are whole numbers; `as` saturates for values past the type's range.
        let count = number as usize;
        let (int, float) = (number as u32, number as f32);
        match name {
            "minhash_bands" => self.minhash_bands = count,
            "minhash_rows" => self.minhash_rows = count,
            "candidate_min" => self.candidate_min = number,
            "vocabulary_containment" => self.vocabulary_containment = number,
            "sentence_match" => self.sentence_match = number,
            "duplicate_coverage" => self.duplicate_coverage = number,
            "max_bucket" => self.max_bucket = count,
            "key_terms" => self.key_terms = count,
            "vector_terms" => self.vector_terms = count,
            "key_df_ratio" => self.key_df_ratio = number,
            "key_df_floor" => self.key_df_floor = int,
            "max_candidates" => self.max_candidates = count,
            "edge_min" => self.edge_min = float,
            "whole_weight" => self.whole_weight = float,
            "lead_weight" => self.lead_weight = float,
            "headline_weight" => self.headline_weight = float,
            "story_threshold" => self.story_threshold = float,
            "singleton_threshold" => self.singleton_threshold = float,
            "max_days" => self.max_days = int,
            "time_grace_days" => self.time_grace_days = float,
            "time_decay_days" => self.time_decay_days = float,
            "max_postings_scan" => self.max_postings_scan = count,
            _ => return Err(format!("unknown cluster option {name}")),
        }
        Ok(())
    }

    /// Highest document frequency of a key term among `n` articles.
    pub(crate) fn max_key_df(&self, n: u32) -> u32 {
        self.key_df_floor
            .max((self.key_df_ratio * f64::from(n)) as u32)
    }
}

/// Near-duplicate pairs among `features` without story clustering: exact copies linked to the
/// first copy, rewrites confirmed by sentence alignment. [`cluster_features`] runs this too.
pub fn find_near_duplicates(
    features: &[ArticleFeatures],
    options: &ClusterOptions,
) -> Vec<DuplicatePair> {
    let representative = dedup::exact_representatives(features);
    dedup::find_duplicates(features, &representative, None, options)
}

/// How many independent sources `docs` represent: articles linked by a near-duplicate pair
/// (copies and rewrites of one text, directly or through other copies) count once. The align
/// stage uses this for corroboration counts, so three copies of a wire story are one source.
pub fn independent_sources(docs: &[DocId], near_duplicates: &[NearDuplicate]) -> usize {
    let mut parent: FxHashMap<DocId, DocId> = docs.iter().map(|&d| (d, d)).collect();
    fn root(parent: &FxHashMap<DocId, DocId>, mut d: DocId) -> DocId {
        while let Some(&p) = parent.get(&d) {
            if p == d {
                break;
            }
            d = p;
        }
        d
    }
    for p in near_duplicates {
        if parent.contains_key(&p.a) && parent.contains_key(&p.b) {
            let (ra, rb) = (root(&parent, p.a), root(&parent, p.b));
            if ra != rb {
                parent.insert(ra.max(rb), ra.min(rb));
            }
        }
    }
    let mut roots: Vec<DocId> = parent.keys().map(|&d| root(&parent, d)).collect();
    roots.sort_unstable();
    roots.dedup();
    roots.len()
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
    let (features, words) = features_and_label_words(articles, options);
    let representative = dedup::exact_representatives(&features);
    let statistics = features
        .par_iter()
        .zip(&words)
        .enumerate()
        .fold(RunStatistics::default, |mut sums, (i, (f, w))| {
            sums.add_words(f, w, representative.get(i) == Some(&(i as u32)));
            sums
        })
        .reduce(RunStatistics::default, RunStatistics::merge);
    stories_of(articles, &features, &words, &statistics, None, options)
}

/// The stories of `articles`, a part of a run whose sums are `statistics` and whose story
/// graph has the `links` (see the `parts` module docs), with `clusters[i]`, the run's
/// average-link cluster of `articles[i]` ([`StoryParts::cluster`]): a part of [`story_parts`]
/// or a union of such parts, in ascending id order. They are the stories the whole run's
/// [`cluster`] gives these articles, with their ids as members and ids counted from 0 in the
/// part. Links with an end outside `articles` are left out.
///
/// Why the run's clusters are taken rather than average link re-run on the part: average link
/// is reducible, so merging only inside a part of whole clusters replays the run's merges in
/// exact arithmetic, but not bit for bit. When two clusters merge, the one with fewer
/// neighbours is merged into the other, and in a part the clusters lose their neighbours
/// outside it; another cluster then names the merge, heap ties (equal averages) are broken by
/// other names, and the summed similarities are added in another order, so an average at the
/// threshold or a tie could come out the other way. [`story_parts`] runs the very average link
/// of the whole run over the run's links (the same edges and similarities; its node ids, the
/// articles' run ids, in the order of the whole run's representative slots, which is all its
/// tie-breaking sees), so its clusters are the run's. What is left for the part depends only on
/// articles inside it: a lone article's candidate stories (those it has an edge to) and their
/// centroids (summed over all their members, in id order), ties between candidates by the
/// article naming the story (run ids keep their order in the part), near-duplicates and
/// copies (both ends in the part), story order (by first article) and labels (the run's label
/// word frequencies).
pub fn cluster_part(
    articles: &[AnalyzedArticle],
    clusters: &[DocId],
    statistics: &RunStatistics,
    links: &StoryLinks,
    options: &ClusterOptions,
) -> Vec<Story> {
    let (features, words) = features_and_label_words(articles, options);
    let index = |d: DocId| {
        articles
            .binary_search_by_key(&d, |a| a.article.id)
            .ok()
            .map(|i| i as u32)
    };
    let local = |pairs: &mut dyn Iterator<Item = (DocId, DocId)>| {
        let mut out: Vec<(u32, u32)> = pairs
            .filter_map(|(a, b)| {
                let (x, y) = (index(a)?, index(b)?);
                Some((x.min(y), x.max(y)))
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let similar = local(&mut links.similar.iter().map(|&(a, b, _)| (a, b)));
    let duplicates = local(&mut links.duplicates.iter().copied());
    let clusters: Vec<u32> = (0..articles.len() as u32)
        .map(|i| {
            clusters
                .get(i as usize)
                .and_then(|&c| index(c))
                .unwrap_or(i)
        })
        .collect();
    let given = stories::GivenPairs {
        similar: &similar,
        duplicates: &duplicates,
        clusters: &clusters,
    };
    stories_of(
        articles,
        &features,
        &words,
        statistics,
        Some(given),
        options,
    )
}

/// The stories of `articles`, some of the articles of a larger run whose sums are `statistics`:
/// TF-IDF weights, which terms are rare enough to be key terms, and story labels come from the
/// run, while candidate pairs are searched among `articles` alone (unlike [`cluster_part`],
/// which is given the run's links). The server clusters one neighbourhood of its store this
/// way, so a few related articles do not rate the words they all share as common.
pub fn cluster_in_run(
    articles: &[AnalyzedArticle],
    statistics: &RunStatistics,
    options: &ClusterOptions,
) -> Vec<Story> {
    let (features, words) = features_and_label_words(articles, options);
    stories_of(articles, &features, &words, statistics, None, options)
}

/// Each article's [`ArticleFeatures`] and [`label_words`], computed in parallel.
fn features_and_label_words(
    articles: &[AnalyzedArticle],
    options: &ClusterOptions,
) -> (Vec<ArticleFeatures>, Vec<Vec<String>>) {
    let features = articles
        .par_iter()
        .map(|a| article_features(a, options))
        .collect();
    let words = articles.par_iter().map(label_words).collect();
    (features, words)
}

/// Stories of `articles` (with their `features` and [`label_words`]) weighted by a run's
/// `statistics`, with the run's candidate pairs when `given`.
fn stories_of(
    articles: &[AnalyzedArticle],
    features: &[ArticleFeatures],
    words: &[Vec<String>],
    statistics: &RunStatistics,
    given: Option<stories::GivenPairs<'_>>,
    options: &ClusterOptions,
) -> Vec<Story> {
    let clustering = stories::cluster_weighted(
        features,
        &statistics.frequencies,
        statistics.representatives,
        given,
        options,
    );
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
    let story_labels = label_stories(words, &clustering.stories, statistics);
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

/// The distinct words a story label can be made of in `a`: the content words of its headline
/// and of the first 600 bytes of its body.
fn label_words(a: &AnalyzedArticle) -> Vec<String> {
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
}

/// A label per story: the three words most typical of it (frequent among its headlines and
/// leads, `words` of each article, and rare in the run of `statistics`).
fn label_stories(
    words: &[Vec<String>],
    stories: &[Vec<u32>],
    statistics: &RunStatistics,
) -> Vec<String> {
    let df = &statistics.label_words;
    let n = f64::from(statistics.articles.max(1));
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

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::{Article, SourceRef, TextRange};
    use proptest::prelude::*;

    fn article(id: u32, text: &str) -> AnalyzedArticle {
        AnalyzedArticle::new(Article::from_text(
            id,
            SourceRef::file(format!("a{id}.txt")),
            text.to_string(),
        ))
    }

    fn stories_of(texts: &[&str]) -> Vec<Story> {
        let articles: Vec<AnalyzedArticle> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| article(i as u32, t))
            .collect();
        cluster(&articles, &ClusterOptions::default())
    }

    fn assert_partition(stories: &[Story], n: usize) {
        let mut all: Vec<DocId> = stories.iter().flat_map(|s| s.docs.clone()).collect();
        all.sort_unstable();
        assert_eq!(all, (0..n as u32).collect::<Vec<_>>());
        for (i, s) in stories.iter().enumerate() {
            assert_eq!(s.id, i);
        }
    }

    pub(super) const WIRE: &str = "Firefighters battled a huge blaze at the Harbor Street warehouse in Tillbury on Monday night. \
        At least 14 people were injured and three remain in hospital, officials said. \
        Mayor Ellen Voss visited the scene on Tuesday morning and promised a full investigation. \
        Investigators believe faulty wiring in the loading bay caused the fire, the fire chief said. \
        The warehouse, owned by Corvex Logistics, stored paper goods and cleaning chemicals. \
        Damage was estimated at 12 million dollars, according to insurers.";

    pub(super) const REWRITE: &str = "Fire crews fought a massive blaze at the Harbor Street warehouse in Tillbury on Monday night. \
        Officials said at least 14 people were hurt and three stay in hospital. \
        Mayor Ellen Voss toured the scene on Tuesday morning and pledged a full investigation. \
        Faulty wiring in the loading bay triggered the fire, investigators believe, the fire chief said. \
        The warehouse, owned by Corvex Logistics, held paper goods and cleaning chemicals. \
        Insurers estimated the damage at 12 million dollars.";

    const INDEPENDENT_FIRE: &str = "Tillbury’s fire chief blamed an electrical fault for Monday’s warehouse fire on Harbor Street. \
        Fourteen workers needed treatment after smoke spread through the Corvex Logistics depot. \
        “Our crews did everything they could to contain it,” the chief said, praising neighbours who raised the alarm. \
        Mayor Ellen Voss, who came to the site on Tuesday, said the city would review inspection records for the Harbor Street warehouse.";

    const COUNCIL_1: &str = "Tillbury’s city council voted 7-2 on Wednesday to approve a new stadium budget of 340 million dollars. \
        Mayor Ellen Voss, who championed the stadium, called the vote a turning point for the riverside district. \
        Opponents argued the stadium subsidy would drain money from schools and libraries. \
        Construction of the 40,000-seat arena is expected to begin next spring.";

    const COUNCIL_2: &str = "After months of debate, council members backed the riverside stadium plan in a 7-2 vote. \
        The 340 million dollar project includes a 40,000-seat arena and a new tram stop. \
        Mayor Ellen Voss praised councillors, while critics said stadium subsidies rarely pay off for cities. \
        Groundbreaking for the arena is planned for the spring.";

    #[test]
    fn options_are_set_by_name_and_bad_values_are_refused() {
        let mut o = ClusterOptions::default();
        o.set("story_threshold", "0.2").unwrap();
        o.set("max_days", "30").unwrap();
        o.set("key_terms", " 12 ").unwrap();
        assert_eq!((o.story_threshold, o.max_days, o.key_terms), (0.2, 30, 12));
        assert!(
            o.set("story_treshold", "0.2")
                .unwrap_err()
                .contains("unknown")
        );
        assert!(o.set("max_days", "-3").is_err());
        assert!(o.set("edge_min", "NaN").is_err());
        assert!(o.set("edge_min", "high").is_err());
        assert_eq!(o.story_threshold, 0.2);
    }

    #[test]
    fn identical_copies_form_one_story_with_a_full_match() {
        let stories = stories_of(&[WIRE, WIRE, WIRE, COUNCIL_1]);
        assert_partition(&stories, 4);
        let fire = stories.iter().find(|s| s.docs.contains(&0)).unwrap();
        assert_eq!(fire.docs, vec![0, 1, 2]);
        assert_eq!(fire.near_duplicates.len(), 2);
        let pair = &fire.near_duplicates[0];
        assert!(pair.similarity > 0.99);
        assert_eq!(pair.shared.len(), 6);
        for (a, b) in &pair.shared {
            assert_eq!(a.slice(WIRE), b.slice(WIRE));
        }
    }

    #[test]
    fn copies_count_as_one_independent_source() {
        let stories = stories_of(&[WIRE, WIRE, REWRITE, INDEPENDENT_FIRE]);
        let fire = stories.iter().find(|s| s.docs.contains(&0)).unwrap();
        assert_eq!(fire.docs, vec![0, 1, 2, 3]);
        assert_eq!(independent_sources(&fire.docs, &fire.near_duplicates), 2);
        assert_eq!(independent_sources(&[0, 3], &fire.near_duplicates), 2);
        assert_eq!(independent_sources(&[], &fire.near_duplicates), 0);
    }

    #[test]
    fn a_synonym_swapped_rewrite_with_reordered_clauses_is_a_duplicate() {
        let stories = stories_of(&[WIRE, REWRITE]);
        assert_eq!(stories.len(), 1);
        let dups = &stories[0].near_duplicates;
        assert_eq!(dups.len(), 1, "{stories:?}");
        assert!(dups[0].shared.len() >= 4);
        let (a, b) = dups[0].shared[0];
        assert_eq!(
            a.slice(WIRE).map(|s| s.starts_with("Firefighters")),
            Some(true)
        );
        assert_eq!(
            b.slice(REWRITE).map(|s| s.starts_with("Fire crews")),
            Some(true)
        );
    }

    #[test]
    fn similarity_counts_the_words_aligned_passages_share() {
        let changed = WIRE.replace("12 million", "40 million");
        let stories = stories_of(&[WIRE, &changed]);
        let pair = &stories[0].near_duplicates[0];
        assert!(
            pair.similarity < 0.99 && pair.similarity > 0.9,
            "{}",
            pair.similarity
        );
        let short = [
            "Police arrested two men after a robbery at a jewellery shop on King Street on Friday night. \
             The shop owner was unhurt, officers said.",
            "Police detained two men after a robbery at a jewellery shop on King Street on Friday night. \
             The shop owner was unharmed, officers said.",
        ];
        let stories = stories_of(&short);
        let pair = &stories[0].near_duplicates[0];
        assert!(pair.similarity < 0.9, "{}", pair.similarity);
    }

    #[test]
    fn one_shared_quoted_sentence_is_not_a_duplicate() {
        let quote = "“We will rebuild every home that was lost, and we will do it together,” the governor said.";
        let a = format!(
            "{quote} Storm damage across the valley left 2,000 homes without power on Sunday. \
            Crews expect to restore electricity by Thursday. Schools in the county will stay closed."
        );
        let b = format!(
            "Farmers in the north of the state counted heavy losses after the hail. \
            {quote} Insurance adjusters arrived on Monday to inspect barns and orchards. \
            Apple growers said half of this year's harvest was gone."
        );
        let stories = stories_of(&[&a, &b]);
        assert!(
            stories.iter().all(|s| s.near_duplicates.is_empty()),
            "{stories:?}"
        );
    }

    #[test]
    fn a_mayor_in_a_fire_story_and_a_council_story_keeps_them_apart() {
        let stories = stories_of(&[WIRE, COUNCIL_1, INDEPENDENT_FIRE, COUNCIL_2]);
        assert_partition(&stories, 4);
        let labels: Vec<usize> = (0..4)
            .map(|d| stories.iter().position(|s| s.docs.contains(&d)).unwrap())
            .collect();
        assert_eq!(
            labels[0], labels[2],
            "independent fire reports join: {stories:?}"
        );
        assert_eq!(
            labels[1], labels[3],
            "independent council reports join: {stories:?}"
        );
        assert_ne!(labels[0], labels[1]);
        assert!(stories.iter().all(|s| s.near_duplicates.is_empty()));
        assert!(!stories[labels[0]].label.is_empty());
    }

    #[test]
    fn empty_one_word_and_foreign_articles_are_handled() {
        let texts = [
            "",
            "   ",
            "Breaking",
            "Breaking",
            "Ein Großbrand in einem Lagerhaus am Hafen hat am Montag 14 Menschen verletzt. Die Feuerwehr war mit 80 Kräften im Einsatz.",
            "東京都内の倉庫で月曜日に大規模な火災が発生し、14人がけがをした。",
            "Пожар на складе в порту в понедельник ранил 14 человек.",
        ];
        let stories = stories_of(&texts);
        assert_partition(&stories, texts.len());
        let empty_story = |d: u32| stories.iter().find(|s| s.docs.contains(&d)).unwrap();
        assert_eq!(
            empty_story(0).docs,
            vec![0],
            "empty articles are not copies of each other"
        );
        assert_eq!(
            empty_story(2).docs,
            vec![2, 3],
            "identical one-word articles are one story"
        );
    }

    #[test]
    fn ten_thousand_copies_of_one_article_are_one_story_quickly() {
        let articles: Vec<AnalyzedArticle> = (0..10_000).map(|i| article(i, WIRE)).collect();
        let start = std::time::Instant::now();
        let stories = cluster(&articles, &ClusterOptions::default());
        assert_eq!(stories.len(), 1);
        assert_eq!(stories[0].docs.len(), 10_000);
        assert_eq!(stories[0].near_duplicates.len(), 9_999);
        assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    }

    #[test]
    fn nlp_sentences_are_used_when_present() {
        let mut a = article(0, WIRE);
        let mut b = article(1, WIRE);
        let whole = vec![TextRange::new(0, WIRE.len())];
        a.sentences = whole.clone();
        b.sentences = whole;
        let stories = cluster(&[a, b], &ClusterOptions::default());
        assert_eq!(stories[0].near_duplicates[0].shared.len(), 1);
    }

    #[test]
    fn streaming_index_joins_rewrites_and_same_event_reports() {
        let options = ClusterOptions::default();
        let mut index = StoryIndex::new(options.clone());
        let f = |t: &str| {
            ArticleFeatures::extract(
                &ArticleText {
                    text: t,
                    ..Default::default()
                },
                options.signature_len(),
            )
        };
        let fire = index.insert(f(WIRE));
        let council = index.insert(f(COUNCIL_1));
        assert_ne!(fire, council);
        assert_eq!(index.insert(f(REWRITE)), fire);
        assert_eq!(index.insert(f(COUNCIL_2)), council);
        assert_eq!(index.duplicates().len(), 1);
        assert_eq!(index.len(), 4);
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics_and_spans_stay_on_boundaries(
            texts in proptest::collection::vec("(\\PC|[.!?“”\"' \n]){0,200}", 1..6),
            dup in 0usize..6,
        ) {
            let mut texts = texts;
            if let Some(t) = texts.get(dup % texts.len()).cloned() {
                texts.push(t);
            }
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let stories = stories_of(&refs);
            assert_partition(&stories, texts.len());
            for s in &stories {
                for p in &s.near_duplicates {
                    for (a, b) in &p.shared {
                        prop_assert!(a.slice(&texts[a.doc as usize]).is_some());
                        prop_assert!(b.slice(&texts[b.doc as usize]).is_some());
                    }
                }
            }
        }
    }
}
