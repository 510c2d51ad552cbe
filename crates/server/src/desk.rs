//! What the worker does with the library: analyse a queue item's articles once each, place each
//! new article into a story, and re-align only the stories that changed.
//!
//! Placement uses the library's streaming [`StoryIndex`] (MinHash/LSH bands for copies, shared
//! key terms for reports of the same event), fed every article in id order, so a new article
//! costs a lookup, not a pass over the store. Its streaming stories are *neighbourhoods*: each
//! one a batch changed is aligned by
//! `corroborate::analyze_articles` over its current articles (entity linking, stories, dating,
//! verdicts, as `corroborate analyze` runs them) and replaces the stored stories it overlaps.
//!
//! A store below `align_whole_below` articles is one neighbourhood, so there the server gives
//! exactly the CLI's stories, groups and verdicts (`tests/server.rs` compares them, uploaded at
//! once and with an article arriving later). Past it, what the CLI computes over the whole run
//! is computed per neighbourhood: term weights, entity names linked across stories, story
//! labels. Term weights over a few related articles rate their shared words lower than a whole
//! store would, so a thin report the CLI attaches to its story can stay a story of its own.
//!
//! Articles are analysed with document id 0 and stored that way; alignment numbers a
//! neighbourhood's articles by their position in id order (the library wants ids equal to
//! positions) and maps every document id in the output back to the stable article id.

use crate::storage::{
    GroupRow, NewArticle, QueueItem, Results, Storage, StorageError, Stored, StoredAnalysis,
    StoryRow, StorySummary,
};
use corroborate::Config;
use corroborate::model::{AnalyzedArticle, Article, ClaimGroup, ClaimRef, Verdict};
use corroborate_cluster::StoryIndex;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Cursor;

/// What one queue item gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Processed {
    /// New articles and revisions stored.
    pub stored: i64,
    /// Articles already stored with the same content.
    pub duplicates: i64,
    /// Ids of the articles it stored or found stored (to place, if not placed yet).
    pub articles: Vec<i64>,
    /// Ids of the articles its revisions superseded (their stories lose them).
    pub superseded: Vec<i64>,
    /// Records inside the item that could not be read (the item itself succeeded).
    pub errors: Vec<String>,
}

/// Why a queue item failed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// Nothing in it could be read as an article.
    #[error("{0}")]
    Input(String),
    /// The database failed; the item can be retried.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Reads, extracts and analyses every article of `item`, storing each unless its content is
/// already stored.
pub fn process(
    store: &dyn Storage,
    config: &Config,
    item: &QueueItem,
) -> Result<Processed, ProcessError> {
    let mut out = Processed::default();
    // A submitted URL has no bytes yet: it is fetched here, as `corroborate analyze URL` would.
    let url = [item.source.clone()];
    let documents: Box<dyn Iterator<Item = _>> =
        if item.payload.is_empty() && corroborate_ingest::fetch::is_url(&item.source) {
            Box::new(corroborate_ingest::open(&url, &config.ingest))
        } else {
            let reader = Cursor::new(item.payload.clone());
            Box::new(corroborate_ingest::read(
                &item.source,
                reader,
                &config.ingest,
            ))
        };
    for document in documents {
        let article = match document.and_then(|raw| corroborate_extract::extract(raw, 0)) {
            Ok(article) => article,
            Err(e) => {
                out.errors.push(e.to_string());
                continue;
            }
        };
        let new = new_article(article, item.id);
        match store.store_article(&new)? {
            Stored::Duplicate(id) => {
                out.duplicates += 1;
                out.articles.push(id);
            }
            Stored::New(id) => {
                out.stored += 1;
                out.articles.push(id);
            }
            Stored::Revision { id, of } => {
                out.stored += 1;
                out.articles.push(id);
                out.superseded.push(of);
            }
        }
    }
    if out.stored == 0 && out.duplicates == 0 {
        let reason = if out.errors.is_empty() {
            format!("{}: no article found in the input", item.source)
        } else {
            out.errors.join("; ")
        };
        return Err(ProcessError::Input(reason));
    }
    Ok(out)
}

/// The stored form of an extracted article: analysed once, here.
fn new_article(article: Article, queue_id: i64) -> NewArticle {
    let content_hash = content_hash(&article);
    let meta = (
        article.url.clone(),
        article.outlet.clone(),
        article.title.clone(),
        article.published.as_ref().map(|p| p.date.to_string()),
        article.text.clone(),
    );
    let analyzed = corroborate::analyze_article(article);
    // Serialising the model cannot fail: its maps have string keys.
    let analyzed = serde_json::to_string(&analyzed).unwrap_or_default();
    NewArticle {
        url: meta.0,
        content_hash,
        outlet: meta.1,
        title: meta.2,
        published: meta.3,
        text: meta.4,
        analyzed,
        queue_id,
    }
}

/// Hash of everything the analysis reads from an article (not where it was uploaded from).
pub fn content_hash(article: &Article) -> String {
    let mut hash = Sha256::new();
    let published = article.published.as_ref().map(|p| p.raw.as_str());
    for field in [
        article.url.as_deref(),
        article.outlet.as_deref(),
        article.title.as_deref(),
        article.byline.as_deref(),
        published,
        article.language.as_deref(),
        Some(&article.text),
    ] {
        match field {
            Some(s) => {
                hash.update([1]);
                hash.update((s.len() as u64).to_le_bytes());
                hash.update(s.as_bytes());
            }
            None => hash.update([0]),
        }
    }
    hex(&hash.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sets every document id in a serialised analysis (`doc` fields of spans and claim
/// references, and the article's own `id`) to `id`.
pub fn renumber(value: &mut Value, id: u64) {
    if let Some(article) = value.get_mut("article").and_then(|a| a.get_mut("id")) {
        *article = id.into();
    }
    set_docs(value, id);
}

fn set_docs(value: &mut Value, id: u64) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "doc" && v.is_u64() {
                    *v = id.into();
                } else {
                    set_docs(v, id);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| set_docs(v, id)),
        _ => {}
    }
}

/// A stored analysis read back with document id `id`.
pub fn load_analyzed(json: &str, id: u64) -> Result<AnalyzedArticle, serde_json::Error> {
    let mut value: Value = serde_json::from_str(json)?;
    renumber(&mut value, id);
    serde_json::from_value(value)
}

/// A verdict's name in the JSON report (`holder_conflict`): the API and the stored rows use it.
pub fn verdict_key(verdict: Verdict) -> String {
    verdict.key().to_string()
}

/// Whether a verdict is something an editor must look at (counted as "disputed").
pub fn is_alarm(verdict: Verdict) -> bool {
    verdict.is_dispute()
}

/// Articles read from the store per page when the index is rebuilt.
const PAGE: i64 = 1_000;

/// Articles aligned per stored chunk when every story is re-aligned (bounds the memory).
const CHUNK: usize = 2_000;

/// Where every stored article (superseded ones too, as when it arrived) sits among the story
/// neighbourhoods, and which articles still need their neighbourhood re-aligned.
pub struct Placement {
    index: StoryIndex,
    /// Article id at each index position (ascending).
    ids: Vec<i64>,
    positions: HashMap<i64, u32>,
    /// Articles whose neighbourhood changed since it was last stored.
    touched: Vec<i64>,
    /// Below this many articles the whole store is one neighbourhood.
    whole_below: usize,
}

impl Placement {
    /// An empty placement; below `whole_below` articles the store is aligned as one run.
    pub fn new(config: &Config, whole_below: usize) -> Self {
        Self {
            whole_below,
            index: StoryIndex::new(config.cluster.clone()),
            ids: Vec::new(),
            positions: HashMap::new(),
            touched: Vec::new(),
        }
    }

    /// Number of articles placed.
    pub fn placed(&self) -> usize {
        self.ids.len()
    }

    /// True when some neighbourhood waits to be re-aligned.
    pub fn has_work(&self) -> bool {
        !self.touched.is_empty()
    }

    /// Places a stored article unless it is placed already.
    fn insert(&mut self, row: &StoredAnalysis, config: &Config) {
        if self.positions.contains_key(&row.id) {
            return;
        }
        match load_analyzed(&row.analyzed, 0) {
            Ok(article) => {
                let features = corroborate_cluster::article_features(&article, &config.cluster);
                self.positions.insert(row.id, self.ids.len() as u32);
                self.ids.push(row.id);
                self.index.insert(features);
                self.touched.push(row.id);
            }
            Err(e) => tracing::error!(article = row.id, "stored analysis unreadable: {e}"),
        }
    }

    /// The members of every neighbourhood holding one of `articles`, each ascending.
    fn neighbourhoods(&self, articles: &[i64]) -> Vec<Vec<i64>> {
        if self.ids.len() < self.whole_below {
            return if articles.is_empty() {
                Vec::new()
            } else {
                vec![self.ids.clone()]
            };
        }
        let stories = self.index.story_ids();
        let mut wanted: Vec<u32> = articles
            .iter()
            .filter_map(|id| self.positions.get(id))
            .filter_map(|&p| stories.get(p as usize).copied())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut members: HashMap<u32, Vec<i64>> = HashMap::new();
        for (position, story) in stories.iter().enumerate() {
            if wanted.binary_search(story).is_ok() {
                members.entry(*story).or_default().push(self.ids[position]);
            }
        }
        let mut out: Vec<Vec<i64>> = members.into_values().collect();
        out.sort();
        out
    }
}

/// Builds the placement over every stored article and re-aligns every story, so a restart
/// also aligns what a crash left stored but unaligned. Returns the placement and how many
/// articles were aligned.
pub fn rebuild(
    store: &dyn Storage,
    config: &Config,
    whole_below: usize,
) -> Result<(Placement, usize), StorageError> {
    let mut placement = Placement::new(config, whole_below);
    let mut after = i64::MIN;
    loop {
        let page = store.analyses_after(after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in &page {
            placement.insert(row, config);
        }
    }
    // Every stored article is in a neighbourhood, so replacing the stories of each chunk's
    // members replaces every stored story; readers keep the old ones until their chunk lands.
    let neighbourhoods = placement.neighbourhoods(&placement.ids.clone());
    let mut aligned = 0;
    let mut chunk: Vec<Vec<i64>> = Vec::new();
    for members in neighbourhoods {
        chunk.push(members);
        if chunk.iter().map(Vec::len).sum::<usize>() >= CHUNK {
            aligned += realign_chunk(store, config, &chunk)?;
            chunk.clear();
        }
    }
    aligned += realign_chunk(store, config, &chunk)?;
    placement.touched.clear();
    Ok((placement, aligned))
}

/// Places `articles` (stored or found stored by a batch) and re-aligns every neighbourhood
/// that gained one of them or lost one of `superseded`. On a storage error the work stays in
/// the placement for the next call. Returns how many articles were aligned.
pub fn place(
    store: &dyn Storage,
    config: &Config,
    placement: &mut Placement,
    articles: &[i64],
    superseded: &[i64],
) -> Result<usize, StorageError> {
    let mut new: Vec<i64> = articles
        .iter()
        .copied()
        .filter(|id| !placement.positions.contains_key(id))
        .collect();
    new.sort_unstable();
    new.dedup();
    if !new.is_empty() {
        for row in store.analyses(&new)? {
            placement.insert(&row, config);
        }
    }
    placement.touched.extend_from_slice(superseded);
    if placement.touched.is_empty() {
        return Ok(0);
    }
    let count = realign_chunk(store, config, &placement.neighbourhoods(&placement.touched))?;
    placement.touched.clear();
    Ok(count)
}

/// Aligns `neighbourhoods` and replaces the stored stories of all their members (superseded
/// ones included, so a story left with no current article goes); returns how many articles
/// were aligned.
fn realign_chunk(
    store: &dyn Storage,
    config: &Config,
    neighbourhoods: &[Vec<i64>],
) -> Result<usize, StorageError> {
    if neighbourhoods.is_empty() {
        return Ok(0);
    }
    let (results, count) = align_neighbourhoods(store, config, neighbourhoods)?;
    store.replace_stories(&neighbourhoods.concat(), &results)?;
    Ok(count)
}

/// Aligns each neighbourhood's current articles as one `corroborate analyze` run; returns the
/// stories and groups of all of them and how many articles were aligned.
fn align_neighbourhoods(
    store: &dyn Storage,
    config: &Config,
    neighbourhoods: &[Vec<i64>],
) -> Result<(Results, usize), StorageError> {
    let mut out = Results::default();
    let mut count = 0;
    for members in neighbourhoods {
        let mut ids = Vec::with_capacity(members.len());
        let mut articles = Vec::with_capacity(members.len());
        for row in store.analyses(members)? {
            if row.superseded {
                continue;
            }
            match load_analyzed(&row.analyzed, articles.len() as u64) {
                Ok(article) => {
                    ids.push(row.id);
                    articles.push(article);
                }
                Err(e) => tracing::error!(article = row.id, "stored analysis unreadable: {e}"),
            }
        }
        if articles.is_empty() {
            continue;
        }
        count += articles.len();
        let analysis = corroborate::analyze_articles(articles, Vec::new(), config);
        let results = results(&analysis, &ids);
        out.stories.extend(results.stories);
        out.groups.extend(results.groups);
    }
    Ok((out, count))
}

/// A claim group with the JSON report's field names; document ids are article ids.
#[derive(Serialize)]
struct GroupBody<'a> {
    key: &'a str,
    topic: &'a corroborate::model::Topic,
    verdict: Verdict,
    explanation: &'a str,
    claims: Vec<ClaimRef>,
    evidence: Vec<EvidenceBody<'a>>,
    diffs: Vec<Value>,
    independent_sources: usize,
    story: Option<i64>,
}

#[derive(Serialize)]
struct EvidenceBody<'a> {
    doc: i64,
    start: usize,
    end: usize,
    text: Option<&'a str>,
}

/// Stories and groups of `analysis` keyed by stable ids (`ids[doc]` is the article id).
pub fn results(analysis: &corroborate::model::Analysis, ids: &[i64]) -> Results {
    let article_id = |doc: u32| ids.get(doc as usize).copied().unwrap_or(-1);
    let story_key: Vec<i64> = analysis
        .stories
        .iter()
        .map(|s| s.docs.iter().map(|d| article_id(*d)).min().unwrap_or(-1))
        .collect();
    let mut per_story: HashMap<Option<i64>, Vec<&ClaimGroup>> = HashMap::new();
    let mut groups = Vec::with_capacity(analysis.groups.len());
    let mut used_keys: HashMap<String, usize> = HashMap::new();
    for (rank, group) in analysis.groups.iter().enumerate() {
        let story = group.story.and_then(|s| story_key.get(s).copied());
        per_story.entry(story).or_default().push(group);
        let topic = serde_json::to_string(&group.topic).unwrap_or_default();
        let mut key = format!(
            "{}-{}",
            story.map_or_else(|| "none".to_string(), |s| s.to_string()),
            &hex(&Sha256::digest(topic.as_bytes()))[..10]
        );
        let seen = used_keys.entry(key.clone()).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            key = format!("{key}-{seen}");
        }
        let map_ref = |r: &ClaimRef| ClaimRef {
            doc: article_id(r.doc).max(0) as u32,
            claim: r.claim,
        };
        let body = GroupBody {
            key: &key,
            topic: &group.topic,
            verdict: group.verdict,
            explanation: &group.explanation,
            claims: group.claims.iter().map(map_ref).collect(),
            evidence: group
                .evidence
                .iter()
                .map(|span| EvidenceBody {
                    doc: article_id(span.doc),
                    start: span.start,
                    end: span.end,
                    text: corroborate::report::evidence_text(analysis, *span).ok(),
                })
                .collect(),
            diffs: group
                .diffs
                .iter()
                .map(|d| {
                    let mut v = serde_json::to_value(d).unwrap_or_default();
                    v["from"]["doc"] = article_id(d.from.doc).into();
                    v["to"]["doc"] = article_id(d.to.doc).into();
                    v
                })
                .collect(),
            independent_sources: group.independent_sources,
            story,
        };
        groups.push(GroupRow {
            body: serde_json::to_string(&body).unwrap_or_default(),
            key,
            story,
            verdict: verdict_key(group.verdict),
            rank: rank as i64,
        });
    }
    let stories = analysis
        .stories
        .iter()
        .zip(&story_key)
        .map(|(story, &id)| {
            let members: Vec<i64> = story.docs.iter().map(|d| article_id(*d)).collect();
            let mut outlets: Vec<String> = Vec::new();
            for doc in &story.docs {
                if let Some(a) = analysis.articles.get(*doc as usize) {
                    let label = a.article.label();
                    if !outlets.contains(&label) {
                        outlets.push(label);
                    }
                }
            }
            let story_groups = per_story.get(&Some(id)).map(Vec::as_slice).unwrap_or(&[]);
            let mut verdicts: Vec<String> = Vec::new();
            for g in story_groups {
                let name = verdict_key(g.verdict);
                if !verdicts.contains(&name) {
                    verdicts.push(name);
                }
            }
            let dates: Vec<String> = story
                .docs
                .iter()
                .filter_map(|d| analysis.articles.get(*d as usize))
                .filter_map(|a| a.article.published.as_ref())
                .map(|p| p.date.to_string())
                .collect();
            StoryRow {
                summary: StorySummary {
                    first_published: dates.iter().min().cloned(),
                    last_published: dates.iter().max().cloned(),
                    id,
                    label: story.label.clone(),
                    articles: members.len() as i64,
                    outlets,
                    groups: story_groups.len() as i64,
                    disputed: story_groups.iter().filter(|g| is_alarm(g.verdict)).count() as i64,
                    verdicts,
                    newest: members.iter().copied().max().unwrap_or(id),
                },
                articles: members,
            }
        })
        .collect();
    Results { stories, groups }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate::model::SourceRef;

    #[test]
    fn renumber_moves_every_span_and_the_article_id() {
        let mut v = serde_json::json!({
            "article": {"id": 0, "published": {"evidence": {"doc": 0, "start": 1, "end": 2}}},
            "claims": [{"evidence": {"doc": 0, "start": 3, "end": 4}, "type": "quote"}],
            "sentences": [{"start": 0, "end": 9}]
        });
        renumber(&mut v, 7);
        assert_eq!(v["article"]["id"], 7);
        assert_eq!(v["article"]["published"]["evidence"]["doc"], 7);
        assert_eq!(v["claims"][0]["evidence"]["doc"], 7);
        assert_eq!(v["sentences"][0]["start"], 0);
    }

    #[test]
    fn content_hash_ignores_where_an_article_was_uploaded_from() {
        let a = Article::from_text(0, SourceRef::file("a.txt"), "Forty people were hurt.");
        let mut b = Article::from_text(3, SourceRef::file("b.txt"), "Forty people were hurt.");
        assert_eq!(content_hash(&a), content_hash(&b));
        b.title = Some("Fire".into());
        assert_ne!(content_hash(&a), content_hash(&b));
    }

    #[test]
    fn analysis_survives_storage_with_a_new_id() {
        let article = Article::from_text(
            0,
            SourceRef::file("a.txt"),
            "The Courier\n\nFirefighters said 80 people were evacuated on Monday.",
        );
        let analyzed = corroborate::analyze_article(article);
        let json = serde_json::to_string(&analyzed).unwrap();
        let back = load_analyzed(&json, 5).unwrap();
        assert_eq!(back.article.id, 5);
        assert_eq!(back.claims.len(), analyzed.claims.len());
        assert!(back.claims.iter().all(|c| c.evidence.doc == 5));
    }
}
