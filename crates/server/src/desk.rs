//! What the worker does with the library: analyse a queue item's articles once each, place each
//! new article into a story, and re-align only the stories that changed.
//!
//! Placement uses the library's streaming [`StoryIndex`] (MinHash/LSH bands for copies, shared
//! key terms for reports of the same event), fed every article in id order, so a new article
//! costs a lookup, not a pass over the store. The index also keeps *parts*: the articles joined
//! by the links batch clustering could act on ([`StoryIndex::part_ids`]). A part, or in a part
//! over [`PART_MAX`] articles one of the index's streaming stories, is a *neighbourhood*: each
//! one a batch changed is aligned by `corroborate::analyze_articles_in_run` over its current
//! articles (entity linking, stories, dating, verdicts, as `corroborate analyze` runs them,
//! with the whole store's term weights and explanations naming articles by their stable ids)
//! and replaces the stored stories it overlaps.
//!
//! A store below `align_whole_below` articles is one neighbourhood, so there the server gives
//! exactly the CLI's stories, groups and verdicts (`tests/server.rs` compares them, uploaded at
//! once and with an article arriving later). Past it they can differ: parts are found with the
//! term weights known when each article arrived, a neighbourhood is clustered with the store's
//! weights when it was last aligned, candidates are searched and entity names linked within
//! it (`scripts/server_parity.py` measures how far the two are apart).
//!
//! Articles are analysed with document id 0 and stored that way; alignment numbers a
//! neighbourhood's articles by their position in id order (the library wants ids equal to
//! positions) and maps every document id in the output back to the stable article id.

use crate::storage::{
    GroupRow, NewArticle, QueueItem, Results, Storage, StorageError, StoredAnalysis, StoryIds,
    StoryRow, StorySummary,
};
use corroborate::model::{AnalyzedArticle, Article, ClaimGroup, ClaimRef, DocId, Topic, Verdict};
use corroborate::{Config, InRun, RunStatistics};
use corroborate_cluster::StoryIndex;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::time::{Duration, Instant};

/// A queue item read and analysed, not yet stored.
#[derive(Debug, Default)]
pub struct Analysed {
    /// Its articles in stored form, in input order.
    pub articles: Vec<NewArticle>,
    /// The analysis of each (document id 0), to place new articles without reading them back.
    pub analyses: Vec<AnalyzedArticle>,
    /// Records inside the item that could not be read (the item itself succeeded).
    pub errors: Vec<String>,
}

/// Reads, extracts and analyses every article of `item`; an error names the input when
/// nothing in it could be read as an article. Pure apart from fetching a submitted URL, so
/// the worker runs a batch's items in parallel and stores them in one transaction.
pub fn analyse(config: &Config, item: &QueueItem) -> Result<Analysed, String> {
    let mut out = Analysed::default();
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
        match document.and_then(|raw| corroborate_extract::extract(raw, 0)) {
            Ok(article) => {
                let (new, analysed) = new_article(article, item.id);
                out.articles.push(new);
                out.analyses.push(analysed);
            }
            Err(e) => out.errors.push(e.to_string()),
        }
    }
    if out.articles.is_empty() {
        return Err(if out.errors.is_empty() {
            format!("{}: no article found in the input", item.source)
        } else {
            out.errors.join("; ")
        });
    }
    Ok(out)
}

/// The stored form of an extracted article and its analysis: analysed once, here.
fn new_article(article: Article, queue_id: i64) -> (NewArticle, AnalyzedArticle) {
    let content_hash = content_hash(&article);
    let meta = (
        article.url.clone(),
        article.outlet.clone(),
        article.title.clone(),
        article.published.as_ref().map(|p| p.date.to_string()),
        article.text.clone(),
    );
    let analysed = corroborate::analyze_article(article);
    // Serialising the model cannot fail: its maps have string keys.
    let analyzed = serde_json::to_string(&analysed).unwrap_or_default();
    let new = NewArticle {
        url: meta.0,
        content_hash,
        outlet: meta.1,
        title: meta.2,
        published: meta.3,
        text: meta.4,
        analyzed,
        queue_id,
    };
    (new, analysed)
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

pub use corroborate::model::renumber_analysis as renumber;

/// A stored analysis read back with document id `id`. Stored analyses are compact JSON with
/// document id 0 (see [`new_article`]), so the ids are set in the text and the analysis is
/// parsed once, straight into the model (no `Value` tree: alignment reads every article of a
/// neighbourhood this way); anything else takes the slower path through [`renumber`].
pub fn load_analyzed(json: &str, id: u64) -> Result<AnalyzedArticle, serde_json::Error> {
    if id == 0 {
        return serde_json::from_str(json);
    }
    if let Some(text) = renumbered(json, id) {
        return serde_json::from_str(&text);
    }
    let mut value: Value = serde_json::from_str(json)?;
    renumber(&mut value, id);
    serde_json::from_value(value)
}

/// Compact analysis JSON with document id 0 rewritten to `id`: the article's leading
/// `"id":0` and every `"doc":0` (a key inside a string value cannot match: quotes there are
/// escaped). `None` when the JSON does not start as stored analyses do.
fn renumbered(json: &str, id: u64) -> Option<String> {
    const HEAD: &str = "{\"article\":{\"id\":0,";
    const DOC: &str = "\"doc\":0";
    let rest = json.strip_prefix(HEAD)?;
    let id = id.to_string();
    let mut out = String::with_capacity(json.len() + 64);
    out.push_str("{\"article\":{\"id\":");
    out.push_str(&id);
    out.push(',');
    let mut rest = rest;
    while let Some(at) = rest.find(DOC) {
        let end = at + DOC.len();
        out.push_str(&rest[..at]);
        if matches!(rest.as_bytes().get(end), Some(b',' | b'}')) {
            out.push_str("\"doc\":");
            out.push_str(&id);
        } else {
            out.push_str(DOC);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
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

/// The largest part of the story index aligned as one neighbourhood; past it each of the
/// part's index stories is one. A part holds every article the CLI could put in a story with
/// its articles, but on text that chains stories together (the bench generator's: one part
/// holds 85 % of 10,000 articles) aligning it whole on every change would cost as much as
/// aligning the store; 2,000 articles take about half a second.
const PART_MAX: usize = 2_000;

/// Where every stored article (superseded ones too, as when it arrived) sits among the story
/// neighbourhoods, and which articles still need their neighbourhood re-aligned.
pub struct Placement {
    index: StoryIndex,
    /// Article id at each index position (ascending).
    ids: Vec<i64>,
    positions: HashMap<i64, u32>,
    /// Articles whose neighbourhood changed since it was last stored.
    touched: Vec<i64>,
    /// The analyses of articles placed from a batch and not aligned yet, so their first
    /// alignment does not read and parse them back from the store (at most the articles
    /// waiting, which the worker bounds).
    fresh: HashMap<i64, AnalyzedArticle>,
    /// When the oldest change in `touched` was placed.
    waiting_since: Option<Instant>,
    /// Below this many articles the whole store is one neighbourhood.
    whole_below: usize,
    /// The store's sums that story clustering weighs terms with (every version placed), so a
    /// neighbourhood is clustered with the whole store's term weights, as the CLI would.
    statistics: RunStatistics,
    /// Copy keys of the articles placed: a later exact copy is not counted in the term sums.
    copy_keys: HashSet<u64>,
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
            fresh: HashMap::new(),
            waiting_since: None,
            statistics: RunStatistics::default(),
            copy_keys: HashSet::new(),
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

    /// How many placed or superseded articles wait for their neighbourhood to be re-aligned,
    /// and for how long the oldest has waited.
    pub fn waiting(&self) -> (usize, Duration) {
        let age = self.waiting_since.map_or(Duration::ZERO, |t| t.elapsed());
        (self.touched.len(), age)
    }

    /// Records that `ids` wait for their neighbourhood to be re-aligned.
    fn touch(&mut self, ids: impl IntoIterator<Item = i64>) {
        let before = self.touched.len();
        self.touched.extend(ids);
        if before == 0 && !self.touched.is_empty() {
            self.waiting_since = Some(Instant::now());
        }
    }

    /// Places a stored article unless it is placed already.
    fn insert(&mut self, row: &StoredAnalysis, config: &Config) {
        if self.positions.contains_key(&row.id) {
            return;
        }
        match load_analyzed(&row.analyzed, 0) {
            Ok(article) => {
                self.insert_analysed(row.id, &article, config);
            }
            Err(e) => tracing::error!(article = row.id, "stored analysis unreadable: {e}"),
        }
    }

    /// Places article `id` from its analysis; ids must arrive in ascending order. False when
    /// it was placed already.
    fn insert_analysed(&mut self, id: i64, article: &AnalyzedArticle, config: &Config) -> bool {
        if self.positions.contains_key(&id) {
            return false;
        }
        let features = corroborate_cluster::article_features(article, &config.cluster);
        let representative = features
            .copy_key()
            .is_none_or(|key| self.copy_keys.insert(key));
        self.statistics.add(article, &features, representative);
        self.positions.insert(id, self.ids.len() as u32);
        self.ids.push(id);
        self.index.insert(features);
        self.touch([id]);
        true
    }

    /// The store's term sums to cluster a neighbourhood with; `None` while the whole store is
    /// one neighbourhood, which is then clustered as the CLI clusters a run.
    fn run_statistics(&self) -> Option<&RunStatistics> {
        (self.ids.len() >= self.whole_below).then_some(&self.statistics)
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
        // Each article's neighbourhood: its part, or its index story in a part too large.
        let parts = self.index.part_ids();
        let mut size: HashMap<u32, usize> = HashMap::new();
        for &p in &parts {
            *size.entry(p).or_default() += 1;
        }
        let stories = self.index.story_ids();
        let neighbourhood = |position: usize| -> Option<(bool, u32)> {
            let part = *parts.get(position)?;
            Some(if size.get(&part).copied().unwrap_or(0) <= PART_MAX {
                (true, part)
            } else {
                (false, *stories.get(position)?)
            })
        };
        let mut wanted: Vec<(bool, u32)> = articles
            .iter()
            .filter_map(|id| self.positions.get(id))
            .filter_map(|&p| neighbourhood(p as usize))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut members: HashMap<(bool, u32), Vec<i64>> = HashMap::new();
        for position in 0..self.ids.len() {
            if let Some(key) = neighbourhood(position)
                && wanted.binary_search(&key).is_ok()
            {
                members.entry(key).or_default().push(self.ids[position]);
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
    let run = placement.run_statistics();
    let mut aligned = 0;
    let mut chunk: Vec<Vec<i64>> = Vec::new();
    for members in neighbourhoods {
        chunk.push(members);
        if chunk.iter().map(Vec::len).sum::<usize>() >= CHUNK {
            aligned += realign_chunk(store, config, run, &chunk, &mut HashMap::new())?;
            chunk.clear();
        }
    }
    aligned += realign_chunk(store, config, run, &chunk, &mut HashMap::new())?;
    placement.touched.clear();
    placement.waiting_since = None;
    Ok((placement, aligned))
}

/// Places `articles` (stored or found stored by a batch; the analysis when the batch has it,
/// otherwise it is read from the store) and marks every neighbourhood that gained one of them
/// or lost one of `superseded` for re-alignment ([`align`]). On a storage error nothing is
/// placed and the caller may try again.
pub fn place(
    store: &dyn Storage,
    config: &Config,
    placement: &mut Placement,
    mut articles: Vec<(i64, Option<AnalyzedArticle>)>,
    superseded: &[i64],
) -> Result<(), StorageError> {
    articles.retain(|(id, _)| !placement.positions.contains_key(id));
    articles.sort_by_key(|(id, _)| *id);
    articles.dedup_by_key(|(id, _)| *id);
    let unread: Vec<i64> = articles
        .iter()
        .filter(|(_, a)| a.is_none())
        .map(|(id, _)| *id)
        .collect();
    let mut read = read_analyses(store, &unread)?;
    for (id, analysed) in articles {
        match analysed {
            Some(article) => {
                if placement.insert_analysed(id, &article, config) {
                    placement.fresh.insert(id, article);
                }
            }
            None => {
                if let Some(row) = read.remove(&id) {
                    placement.insert(&row, config);
                }
            }
        }
    }
    // A superseded article is read back with its flag, which takes it out of alignment.
    for id in superseded {
        placement.fresh.remove(id);
    }
    placement.touch(superseded.iter().copied());
    Ok(())
}

/// The stored analyses of `ids` by article id (no query when there are none).
fn read_analyses(
    store: &dyn Storage,
    ids: &[i64],
) -> Result<HashMap<i64, StoredAnalysis>, StorageError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(store
        .analyses(ids)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// Re-aligns every neighbourhood marked by [`place`] and stores its stories; on a storage error
/// the work stays in the placement for the next call. Returns how many articles were aligned.
pub fn align(
    store: &dyn Storage,
    config: &Config,
    placement: &mut Placement,
) -> Result<usize, StorageError> {
    if placement.touched.is_empty() {
        return Ok(0);
    }
    let neighbourhoods = placement.neighbourhoods(&placement.touched);
    let mut fresh = std::mem::take(&mut placement.fresh);
    let count = realign_chunk(
        store,
        config,
        placement.run_statistics(),
        &neighbourhoods,
        &mut fresh,
    );
    // After an error what is left of `fresh` waits for the next try (the rest is read back).
    placement.fresh = fresh;
    let count = count?;
    placement.fresh.clear();
    placement.touched.clear();
    placement.waiting_since = None;
    Ok(count)
}

/// Aligns `neighbourhoods` and replaces the stored stories of all their members (superseded
/// ones included, so a story left with no current article goes); returns how many articles
/// were aligned. Members found in `fresh` are taken from it instead of the store.
fn realign_chunk(
    store: &dyn Storage,
    config: &Config,
    run: Option<&RunStatistics>,
    neighbourhoods: &[Vec<i64>],
    fresh: &mut HashMap<i64, AnalyzedArticle>,
) -> Result<usize, StorageError> {
    if neighbourhoods.is_empty() {
        return Ok(0);
    }
    let started = Instant::now();
    let members = neighbourhoods.concat();
    let mut known = store.story_ids(&members)?;
    let (results, count) =
        align_neighbourhoods(store, config, run, neighbourhoods, fresh, &mut known)?;
    let aligned = started.elapsed();
    store.replace_stories(&members, &results)?;
    tracing::debug!(
        neighbourhoods = neighbourhoods.len(),
        largest = neighbourhoods.iter().map(Vec::len).max().unwrap_or(0),
        articles = count,
        ?aligned,
        stored = ?(started.elapsed() - aligned),
        "re-aligned"
    );
    Ok(count)
}

/// Aligns each neighbourhood's current articles as one `corroborate analyze` run; returns the
/// stories and groups of all of them and how many articles were aligned.
fn align_neighbourhoods(
    store: &dyn Storage,
    config: &Config,
    run: Option<&RunStatistics>,
    neighbourhoods: &[Vec<i64>],
    fresh: &mut HashMap<i64, AnalyzedArticle>,
    known: &mut StoryIds,
) -> Result<(Results, usize), StorageError> {
    let unread: Vec<i64> = neighbourhoods
        .concat()
        .into_iter()
        .filter(|id| !fresh.contains_key(id))
        .collect();
    let mut rows = read_analyses(store, &unread)?;
    let inputs: Vec<Vec<(i64, Member)>> = neighbourhoods
        .iter()
        .map(|members| {
            members
                .iter()
                .filter_map(|&id| match fresh.remove(&id) {
                    Some(article) => Some((id, Member::Analysed(Box::new(article)))),
                    None => rows
                        .remove(&id)
                        .filter(|row| !row.superseded)
                        .map(|row| (id, Member::Stored(row.analyzed))),
                })
                .collect()
        })
        .collect();
    // Neighbourhoods are independent: they are read and aligned in parallel, then numbered
    // in order (story ids are handed out one neighbourhood after the other).
    let aligned: Vec<Option<(Vec<i64>, corroborate::model::Analysis)>> = inputs
        .into_par_iter()
        .map(|members| {
            let mut ids = Vec::with_capacity(members.len());
            let mut articles = Vec::with_capacity(members.len());
            for (id, member) in members {
                let position = articles.len() as u64;
                let article = match member {
                    Member::Analysed(mut article) => {
                        article.renumber(position as u32);
                        Ok(*article)
                    }
                    Member::Stored(json) => load_analyzed(&json, position),
                };
                match article {
                    Ok(article) => {
                        ids.push(id);
                        articles.push(article);
                    }
                    Err(e) => tracing::error!(article = id, "stored analysis unreadable: {e}"),
                }
            }
            (!articles.is_empty()).then(|| {
                // Explanations name articles by their stable ids, as pages and the API do.
                let run_id = |doc: DocId| ids.get(doc as usize).map_or(doc, |&id| id as DocId);
                let in_run = InRun {
                    statistics: run,
                    run_id: Some(&run_id),
                };
                let analysis = corroborate::analyze_articles_in_run(articles, &in_run, config);
                (ids, analysis)
            })
        })
        .collect();
    let mut out = Results::default();
    let mut count = 0;
    for (members, aligned) in neighbourhoods.iter().zip(aligned) {
        let Some((ids, analysis)) = aligned else {
            continue;
        };
        count += ids.len();
        let before: Vec<i64> = members
            .iter()
            .filter_map(|a| known.of_article.get(a).copied())
            .collect();
        let results = results(&analysis, &ids, &before, known);
        out.stories.extend(results.stories);
        out.groups.extend(results.groups);
        out.moved.extend(results.moved);
    }
    // A stored story can span neighbourhoods (stories aligned while the store was one
    // neighbourhood): its id is retired once, and not at all when one of them kept it.
    let kept: std::collections::HashSet<i64> = out.stories.iter().map(|s| s.summary.id).collect();
    let mut retired = std::collections::HashSet::new();
    out.moved
        .retain(|(old, _)| !kept.contains(old) && retired.insert(*old));
    Ok((out, count))
}

/// An article of a neighbourhood to align: analysed in this batch, or stored (JSON).
enum Member {
    Analysed(Box<AnalyzedArticle>),
    Stored(String),
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

/// Ids for the new stories of one re-aligned neighbourhood (each given as its member
/// articles), so that a story keeps its id when articles join or leave it or it is re-aligned.
/// `before` are the stored stories of the neighbourhood's articles (all replaced). Old ids are
/// handed out oldest first, each to the new story (without an id yet) holding the article of
/// that id, else the most of its articles: a merge keeps the older id, a story that gains or
/// loses articles keeps its id, a split leaves it with the part holding its first article. A
/// story that inherits no id takes its first article's id if nothing else holds it, else the
/// next free one it has, else a spare id above all. Returns the ids and the old ids retired,
/// each with the story that took most of its articles.
pub fn assign_ids(
    stories: &[Vec<i64>],
    before: &[i64],
    known: &mut StoryIds,
) -> (Vec<i64>, Vec<(i64, i64)>) {
    let mut old: Vec<i64> = before.to_vec();
    old.sort_unstable();
    old.dedup();
    // (articles shared, holds the article of that id, old id, new story)
    let mut pairs: Vec<(usize, bool, i64, usize)> = Vec::new();
    for (j, members) in stories.iter().enumerate() {
        let mut shared: HashMap<i64, usize> = HashMap::new();
        for a in members {
            if let Some(&o) = known.of_article.get(a) {
                *shared.entry(o).or_default() += 1;
            }
        }
        for (o, n) in shared {
            pairs.push((n, members.contains(&o), o, j));
        }
    }
    pairs.sort_by(|a, b| {
        (a.2.cmp(&b.2))
            .then(b.1.cmp(&a.1))
            .then(b.0.cmp(&a.0))
            .then(a.3.cmp(&b.3))
    });
    let mut ids: Vec<Option<i64>> = vec![None; stories.len()];
    let mut taken: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for &(_, _, o, j) in &pairs {
        if ids[j].is_none() && !taken.contains(&o) && !known.held_elsewhere.contains(&o) {
            ids[j] = Some(o);
            taken.insert(o);
        }
    }
    let ids: Vec<i64> = ids
        .into_iter()
        .zip(stories)
        .map(|(id, members)| {
            id.unwrap_or_else(|| {
                let mut sorted = members.clone();
                sorted.sort_unstable();
                let free = sorted.into_iter().find(|m| {
                    !taken.contains(m) && !known.held_elsewhere.contains(m) && !old.contains(m)
                });
                let id = free.unwrap_or_else(|| {
                    known.next_spare += 1;
                    known.next_spare - 1
                });
                taken.insert(id);
                id
            })
        })
        .collect();
    // Held from now on, for the other neighbourhoods aligned in the same chunk.
    known.held_elsewhere.extend(ids.iter().copied());
    let moved = old
        .iter()
        .filter(|o| !taken.contains(o))
        .filter_map(|&o| {
            let best = pairs
                .iter()
                .filter(|p| p.2 == o)
                .max_by(|a, b| a.0.cmp(&b.0).then(ids[b.3].cmp(&ids[a.3])))?;
            Some((o, ids[best.3]))
        })
        .collect();
    (ids, moved)
}

/// Stories and groups of `analysis` keyed by stable ids (`ids[doc]` is the article id; story
/// ids from [`assign_ids`]).
pub fn results(
    analysis: &corroborate::model::Analysis,
    ids: &[i64],
    before: &[i64],
    known: &mut StoryIds,
) -> Results {
    let article_id = |doc: u32| ids.get(doc as usize).copied().unwrap_or(-1);
    let members: Vec<Vec<i64>> = analysis
        .stories
        .iter()
        .map(|s| s.docs.iter().map(|d| article_id(*d)).collect())
        .collect();
    let (story_key, moved) = assign_ids(&members, before, known);
    let mut per_story: HashMap<Option<i64>, Vec<&ClaimGroup>> = HashMap::new();
    let mut groups = Vec::with_capacity(analysis.groups.len());
    let mut used_keys: HashMap<String, usize> = HashMap::new();
    for (rank, group) in analysis.groups.iter().enumerate() {
        let story = group.story.and_then(|s| story_key.get(s).copied());
        per_story.entry(story).or_default().push(group);
        // A copy's change names its two articles: by their stable ids, also in the key.
        let mut topic = group.topic.clone();
        if let Topic::CopyChange { source, copy, .. } = &mut topic {
            *source = article_id(*source).max(0) as DocId;
            *copy = article_id(*copy).max(0) as DocId;
        }
        let topic_json = serde_json::to_string(&topic).unwrap_or_default();
        let mut key = format!(
            "{}-{}",
            story.map_or_else(|| "none".to_string(), |s| s.to_string()),
            &hex(&Sha256::digest(topic_json.as_bytes()))[..10]
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
            topic: &topic,
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
    Results {
        stories,
        groups,
        moved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate::model::SourceRef;

    fn known(stories: &[(i64, &[i64])]) -> StoryIds {
        StoryIds {
            of_article: stories
                .iter()
                .flat_map(|(id, members)| members.iter().map(move |a| (*a, *id)))
                .collect(),
            held_elsewhere: Default::default(),
            next_spare: 1000,
        }
    }

    fn assign(old: &[(i64, &[i64])], new: &[&[i64]]) -> (Vec<i64>, Vec<(i64, i64)>) {
        let mut known = known(old);
        let before: Vec<i64> = known.of_article.values().copied().collect();
        let new: Vec<Vec<i64>> = new.iter().map(|m| m.to_vec()).collect();
        assign_ids(&new, &before, &mut known)
    }

    #[test]
    fn a_story_keeps_its_id_when_articles_join_or_it_is_realigned() {
        assert_eq!(assign(&[(5, &[5, 6])], &[&[5, 6, 7]]), (vec![5], vec![]));
        assert_eq!(assign(&[(5, &[5, 6])], &[&[5, 6]]), (vec![5], vec![]));
        // A first story takes its first article's id.
        assert_eq!(assign(&[], &[&[9, 10], &[11]]), (vec![9, 11], vec![]));
    }

    #[test]
    fn a_merge_keeps_the_older_id_and_the_other_leads_to_it() {
        assert_eq!(
            assign(&[(5, &[5]), (8, &[8, 9, 10])], &[&[5, 8, 9, 10]]),
            (vec![5], vec![(8, 5)])
        );
    }

    #[test]
    fn a_split_leaves_the_id_with_the_part_holding_its_first_article() {
        assert_eq!(
            assign(&[(5, &[5, 6, 7])], &[&[6, 7], &[5]]),
            (vec![6, 5], vec![])
        );
        // A part whose own ids are all held elsewhere gets a spare id.
        let mut ids = known(&[(5, &[5, 6])]);
        ids.held_elsewhere.insert(6);
        assert_eq!(
            assign_ids(&[vec![5], vec![6]], &[5, 5], &mut ids),
            (vec![5, 1000], vec![])
        );
        assert_eq!(ids.next_spare, 1001);
    }

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
        // The text path and the `Value` path agree.
        let mut value: Value = serde_json::from_str(&json).unwrap();
        renumber(&mut value, 5);
        let slow: AnalyzedArticle = serde_json::from_value(value).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&slow).unwrap()
        );
        assert!(renumbered(&json, 5).is_some());
    }
}
