//! The stages of the Spark job (`python/corroborate/spark.py`), each a thin call into the
//! library that the job runs where its data is:
//!
//! * [`analyze_each`] (executors, one call per Arrow batch of inputs): ingest, extraction and the
//!   per-article stages ([`corroborate::analyze_article`]), giving each article's analysis as
//!   JSON with ids counted from 0 within the batch, a slim copy (text, sentences, entities) for
//!   story clustering, its entities alone, and its exact-copy hash.
//! * [`link_entities`] (driver, over the entities alone in global id order): cross-article
//!   entity linking as `corroborate analyze` runs it ([`corroborate_nlp::link_entities`]).
//! * Stories, as `corroborate analyze` makes them ([`corroborate_cluster::cluster`]) but in
//!   parts (see `corroborate_cluster`'s `parts` module): [`story_statistics`] and
//!   [`merge_statistics`] (executors) sum the run's statistics, [`story_keys`] (executors) gives
//!   each article its key terms and LSH band keys, [`posting_neighbours`] (executors, grouped by
//!   key term) and [`story_candidates`] (executors, grouped by article) give the story
//!   candidate pairs, [`bucket_pairs`] (executors, grouped by band key) the near-duplicate
//!   candidates, [`story_features`] (executors) gives each article's clustering features
//!   once, [`story_links`] (executors, the pairs joined with both articles' features) keeps
//!   the pairs that can join two articles' stories, [`story_parts`] (driver, over pairs of
//!   integers and their similarities) runs the run's average link and splits the run into
//!   parts of whole clusters by those links and exact copies, and [`cluster_part`]
//!   (executors, grouped by part) clusters one part with the run's clusters.
//! * [`align_story`] (executors, grouped by story): dating, knowledge-base verdicts and claim
//!   alignment of one story ([`corroborate_kb::date_and_judge`],
//!   [`corroborate_align::align_in_run`]), with the story's articles numbered from 0 while the
//!   library works (explanations print their run ids) and their run ids put back in every row.
//!
//! Alignment, dating and verdicts only ever look inside one story, so one story at a time gives
//! the groups of the whole run; the order of the whole run's groups is restored from the sort
//! keys [`align_story`] returns.

use crate::{Input, Quote, article_row, claim_rows, group_row, json_text, load_kb, story_row};
use corroborate::model::{
    AnalyzedArticle, Article, ClaimGroup, DocId, Entity, SourceRef, Story, Topic, Verdict,
    renumber_analysis,
};
use corroborate::{IngestOptions, KnowledgeBase};
use corroborate_cluster::{RunStatistics, StoryLinks};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Documents extracted and analysed together, as the CLI batches them.
const BATCH: usize = 256;

/// The files `paths` stand for, in the order `corroborate analyze` reads them: a folder
/// recursively in name order, hidden entries and files that do not look like articles left
/// out; anything else as given.
#[pyfunction]
pub(crate) fn list_files(py: Python<'_>, paths: Vec<String>) -> Vec<String> {
    py.detach(move || {
        let options = IngestOptions::default();
        let mut files = Vec::new();
        for path in paths {
            let root = Path::new(&path);
            if !root.is_dir() {
                files.push(path);
                continue;
            }
            let walk = walkdir::WalkDir::new(root)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walk.flatten() {
                if entry.file_type().is_dir() {
                    continue;
                }
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if options.files.reads(relative) {
                    files.push(entry.path().display().to_string());
                }
            }
        }
        files
    })
}

/// One analysed article of [`analyze_each`]: the input it came from, and its [`Analysed`].
type Numbered = (usize, Analysed);

/// The per-article analysis of `inputs` (`(kind, name, content)` triples as for `analyze`).
/// Returns, in input order, `(input index, analysis JSON, slim JSON, entities JSON, exact-copy
/// hash)` for each article (see [`analysed`]) and `(input index, source, reason)` for each
/// input or record that could not be read.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn analyze_each<'py>(
    py: Python<'py>,
    inputs: Vec<(String, String, Option<Bound<'py, PyBytes>>)>,
) -> PyResult<(
    Vec<(
        usize,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
        Bound<'py, PyBytes>,
        Option<i64>,
    )>,
    Vec<(usize, String, String)>,
)> {
    let inputs = inputs
        .into_iter()
        .map(|(kind, name, payload)| Input::new(&kind, name, payload.as_ref()))
        .collect::<PyResult<Vec<_>>>()?;
    let (articles, errors) = py.detach(move || {
        let options = IngestOptions::default();
        let mut articles: Vec<Numbered> = Vec::new();
        let mut errors = Vec::new();
        let mut batch = Vec::with_capacity(BATCH);
        let flush = |batch: &mut Vec<_>, articles: &mut Vec<Numbered>, errors: &mut Vec<_>| {
            let done: Vec<_> = std::mem::take(batch)
                .into_par_iter()
                .map(|(i, raw)| (i, corroborate_extract::extract(raw, 0).map(analysed)))
                .collect();
            for (i, result) in done {
                match result {
                    Ok(analysed) => articles.push((i, analysed)),
                    Err(e) => errors.push((i, e.source, e.reason)),
                }
            }
        };
        for (i, input) in inputs.iter().enumerate() {
            for item in input.documents(&options) {
                match item {
                    Ok(raw) => {
                        batch.push((i, raw));
                        if batch.len() >= BATCH {
                            flush(&mut batch, &mut articles, &mut errors);
                        }
                    }
                    Err(e) => {
                        flush(&mut batch, &mut articles, &mut errors);
                        errors.push((i, e.source, e.reason));
                    }
                }
            }
        }
        flush(&mut batch, &mut articles, &mut errors);
        (articles, errors)
    });
    let articles = articles
        .into_iter()
        .map(|(i, a)| {
            let bytes = |b: &[u8]| PyBytes::new(py, b);
            (
                i,
                bytes(&a.whole),
                bytes(&a.slim),
                bytes(&a.entities),
                a.copy,
            )
        })
        .collect();
    Ok((articles, errors))
}

/// One article after the per-article stages.
struct Analysed {
    /// The whole analysis, as JSON.
    whole: Vec<u8>,
    /// The analysis without mentions and claims (what story clustering reads), as JSON.
    slim: Vec<u8>,
    /// Its entities (what entity linking reads), as JSON.
    entities: Vec<u8>,
    /// The hash its exact copies share ([`corroborate_cluster::ArticleFeatures::copy_key`],
    /// as the bits of an `i64`); entity linking does not change it.
    copy: Option<i64>,
}

fn analysed(article: Article) -> Analysed {
    let mut analyzed = corroborate::analyze_article(article);
    let whole = serde_json::to_vec(&analyzed).unwrap_or_default();
    analyzed.mentions.clear();
    analyzed.claims.clear();
    let features = corroborate_cluster::article_features(&analyzed, &cluster_options());
    Analysed {
        whole,
        slim: serde_json::to_vec(&analyzed).unwrap_or_default(),
        entities: serde_json::to_vec(&analyzed.entities).unwrap_or_default(),
        copy: features.copy_key().map(|k| k as i64),
    }
}

fn cluster_options() -> corroborate::ClusterOptions {
    corroborate::ClusterOptions::default()
}

/// An analysis serialised by [`analyze_each`], read back as article `id` (every `doc` field of
/// its spans and claim references moved with it), with `entities` (JSON) in place of its own
/// when given.
fn load(json: &[u8], id: DocId, entities: Option<&[u8]>) -> Result<AnalyzedArticle, String> {
    let mut value: Value = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    if let Some(entities) = entities {
        value["entities"] = serde_json::from_slice(entities).map_err(|e| e.to_string())?;
    }
    renumber_analysis(&mut value, u64::from(id));
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// Cross-article entity linking over each article's entities (JSON, as [`analyze_each`] gives
/// them), in global id order; returns each article's linked entities as JSON.
#[pyfunction]
pub(crate) fn link_entities<'py>(
    py: Python<'py>,
    entities: Vec<Bound<'py, PyBytes>>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let entities: Vec<Vec<u8>> = entities.iter().map(|b| b.as_bytes().to_vec()).collect();
    let linked = py
        .detach(move || {
            let mut articles = entities
                .par_iter()
                .enumerate()
                .map(|(i, json)| {
                    let mut a = AnalyzedArticle::new(Article::from_text(
                        i as DocId,
                        SourceRef::file(""),
                        String::new(),
                    ));
                    a.entities = serde_json::from_slice::<Vec<Entity>>(json)
                        .map_err(|e| format!("article {i}: entities: {e}"))?;
                    Ok(a)
                })
                .collect::<Result<Vec<_>, String>>()?;
            drop(entities);
            corroborate_nlp::link_entities(&mut articles);
            Ok::<_, String>(
                articles
                    .par_iter()
                    .map(|a| serde_json::to_vec(&a.entities).unwrap_or_default())
                    .collect::<Vec<_>>(),
            )
        })
        .map_err(PyValueError::new_err)?;
    Ok(linked.iter().map(|e| PyBytes::new(py, e)).collect())
}

/// A run's statistics for story clustering ([`RunStatistics`]), read once per Python worker
/// from the bytes the driver broadcasts.
#[pyclass(frozen, name = "RunStatistics")]
pub(crate) struct PyRunStatistics(RunStatistics);

#[pymethods]
impl PyRunStatistics {
    #[new]
    fn new(bytes: &[u8]) -> PyResult<Self> {
        RunStatistics::from_bytes(bytes)
            .map(Self)
            .map_err(PyValueError::new_err)
    }
}

/// The slim analysis of `doc` with its linked entities.
fn slim_article(doc: DocId, slim: &[u8], entities: &[u8]) -> Result<AnalyzedArticle, String> {
    load(slim, doc, Some(entities)).map_err(|e| format!("article {doc}: {e}"))
}

/// The statistics of some articles of a run, `(id, slim JSON, linked entities JSON, whether it
/// is the first of its exact copies)` each, as bytes for [`merge_statistics`].
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn story_statistics<'py>(
    py: Python<'py>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>, bool)>,
) -> PyResult<Bound<'py, PyBytes>> {
    let docs = owned(docs);
    let bytes = py
        .detach(move || {
            let options = cluster_options();
            docs.par_iter()
                .map(|(doc, slim, entities, representative)| {
                    let a = slim_article(*doc, slim, entities)?;
                    let f = corroborate_cluster::article_features(&a, &options);
                    let mut sums = RunStatistics::default();
                    sums.add(&a, &f, *representative);
                    Ok(sums)
                })
                .try_reduce(RunStatistics::default, |a, b| Ok(a.merge(b)))
                .map(|s: RunStatistics| s.to_bytes())
        })
        .map_err(|e: String| PyValueError::new_err(e))?;
    Ok(PyBytes::new(py, &bytes))
}

/// The sums of two statistics of [`story_statistics`].
#[pyfunction]
pub(crate) fn merge_statistics<'py>(
    py: Python<'py>,
    a: &[u8],
    b: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let (a, b) = (a.to_vec(), b.to_vec());
    let bytes = py
        .detach(move || {
            Ok::<_, String>(
                RunStatistics::from_bytes(&a)?
                    .merge(RunStatistics::from_bytes(&b)?)
                    .to_bytes(),
            )
        })
        .map_err(PyValueError::new_err)?;
    Ok(PyBytes::new(py, &bytes))
}

/// The story keys ([`corroborate_cluster::story_keys`]) of each of `docs` (as for
/// [`story_statistics`]) under the run's `statistics`: `(key terms, band keys as the bits of
/// i64s, day)`, the day in days from the common era when the article is dated.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn story_keys<'py>(
    py: Python<'py>,
    statistics: Py<PyRunStatistics>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>, bool)>,
) -> PyResult<Vec<(Vec<u32>, Vec<i64>, Option<i32>)>> {
    let docs = owned(docs);
    py.detach(move || {
        let options = cluster_options();
        let statistics = &statistics.get().0;
        docs.par_iter()
            .map(|(doc, slim, entities, representative)| {
                let a = slim_article(*doc, slim, entities)?;
                let f = corroborate_cluster::article_features(&a, &options);
                let keys =
                    corroborate_cluster::story_keys(&f, *representative, statistics, &options);
                let bands = keys.bands.into_iter().map(|k| k as i64).collect();
                Ok((keys.terms, bands, f.day))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .map_err(PyValueError::new_err)
}

/// Each key term's postings (`(day, article)` lists) to `(article, neighbour)` pairs
/// ([`corroborate_cluster::posting_neighbours`]), as two columns.
#[pyfunction]
pub(crate) fn posting_neighbours(
    py: Python<'_>,
    postings: Vec<Vec<(Option<i32>, DocId)>>,
) -> (Vec<DocId>, Vec<DocId>) {
    py.detach(move || {
        let options = cluster_options();
        let pairs: Vec<(DocId, DocId)> = postings
            .par_iter()
            .flat_map_iter(|list| corroborate_cluster::posting_neighbours(list, &options))
            .collect();
        pairs.into_iter().unzip()
    })
}

/// Each article's story candidates from its neighbours in the postings (`(article,
/// neighbours)`; [`corroborate_cluster::story_candidates`]), as pairs `(lower, higher)` in two
/// columns.
#[pyfunction]
pub(crate) fn story_candidates(
    py: Python<'_>,
    seen: Vec<(DocId, Vec<DocId>)>,
) -> (Vec<DocId>, Vec<DocId>) {
    py.detach(move || {
        let options = cluster_options();
        let pairs: Vec<(DocId, DocId)> = seen
            .into_par_iter()
            .flat_map_iter(|(me, seen)| {
                corroborate_cluster::story_candidates(me, seen, &options)
                    .into_iter()
                    .map(move |o| (me.min(o), me.max(o)))
            })
            .collect();
        pairs.into_iter().unzip()
    })
}

/// Each LSH bucket's articles to near-duplicate candidate pairs
/// ([`corroborate_cluster::bucket_pairs`]) in two columns.
#[pyfunction]
pub(crate) fn bucket_pairs(py: Python<'_>, buckets: Vec<Vec<DocId>>) -> (Vec<DocId>, Vec<DocId>) {
    py.detach(move || {
        let options = cluster_options();
        let pairs: Vec<(DocId, DocId)> = buckets
            .par_iter()
            .flat_map_iter(|docs| corroborate_cluster::bucket_pairs(docs, &options))
            .collect();
        pairs.into_iter().unzip()
    })
}

/// The clustering features ([`corroborate_cluster::ArticleFeatures::to_bytes`]) of each of
/// `docs` (`(id, slim JSON, linked entities JSON)`), for [`story_links`]: read and tokenised
/// once per article rather than once per candidate pair it is in.
#[pyfunction]
pub(crate) fn story_features<'py>(
    py: Python<'py>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let docs: Vec<(DocId, Vec<u8>, Vec<u8>)> = docs
        .into_iter()
        .map(|(d, s, e)| (d, s.as_bytes().to_vec(), e.as_bytes().to_vec()))
        .collect();
    let features = py
        .detach(move || {
            let options = cluster_options();
            docs.par_iter()
                .map(|(doc, slim, entities)| {
                    let a = slim_article(*doc, slim, entities)?;
                    Ok(corroborate_cluster::article_features(&a, &options).to_bytes())
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .map_err(PyValueError::new_err)?;
    Ok(features.iter().map(|f| PyBytes::new(py, f)).collect())
}

/// Which candidate pairs (`(near-duplicate candidate, else a story candidate; the lower id's
/// features, the higher id's features)`, features of [`story_features`]) are links of the
/// run's story graph under its `statistics`: for each, the similarity of a story candidate
/// that is an [`corroborate_cluster::edge`], 1 for a near-duplicate candidate that
/// [`corroborate_cluster::is_duplicate`], `None` for the rest.
#[pyfunction]
pub(crate) fn story_links<'py>(
    py: Python<'py>,
    statistics: Py<PyRunStatistics>,
    pairs: Vec<(bool, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>,
) -> PyResult<Vec<Option<f32>>> {
    let pairs: Vec<(bool, Vec<u8>, Vec<u8>)> = pairs
        .into_iter()
        .map(|(duplicate, a, b)| (duplicate, a.as_bytes().to_vec(), b.as_bytes().to_vec()))
        .collect();
    py.detach(move || {
        let options = cluster_options();
        let statistics = &statistics.get().0;
        let features = corroborate_cluster::ArticleFeatures::from_bytes;
        pairs
            .par_iter()
            .map(|(duplicate, a, b)| {
                let (a, b) = (features(a)?, features(b)?);
                Ok(if *duplicate {
                    corroborate_cluster::is_duplicate(&a, &b, &options).then_some(1.0)
                } else {
                    corroborate_cluster::edge(&a, &b, statistics, &options)
                })
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .map_err(PyValueError::new_err)
}

/// `docs` with their bytes copied out of Python, for work without the GIL.
fn owned(
    docs: Vec<(DocId, Bound<'_, PyBytes>, Bound<'_, PyBytes>, bool)>,
) -> Vec<(DocId, Vec<u8>, Vec<u8>, bool)> {
    docs.into_iter()
        .map(|(d, s, e, r)| (d, s.as_bytes().to_vec(), e.as_bytes().to_vec(), r))
        .collect()
}

/// The parts of a run of `n` articles to cluster apart ([`corroborate_cluster::story_parts`]),
/// from its links (`similar`: story links with their similarities; `duplicates`) and exact
/// copies (`(first copy, copy)`): for each article, the lowest id in its part, and for each
/// article the article naming its average-link cluster in the run.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn story_parts(
    py: Python<'_>,
    n: usize,
    similar: Vec<(DocId, DocId, f32)>,
    duplicates: Vec<(DocId, DocId)>,
    copies: Vec<(DocId, DocId)>,
) -> PyResult<(Vec<DocId>, Vec<DocId>)> {
    let highest = similar
        .iter()
        .map(|&(a, b, _)| a.max(b))
        .chain(duplicates.iter().chain(&copies).map(|&(a, b)| a.max(b)))
        .max();
    if let Some(id) = highest.filter(|&id| id as usize >= n) {
        return Err(PyValueError::new_err(format!(
            "article id {id} not below {n}"
        )));
    }
    Ok(py.detach(move || {
        let links = StoryLinks {
            similar,
            duplicates,
        };
        let parts = corroborate_cluster::story_parts(n, &links, &copies, &cluster_options());
        (parts.part, parts.cluster)
    }))
}

/// The stories of one part of [`story_parts`], `docs` as `(id, slim JSON, linked entities
/// JSON, the article naming its average-link cluster)` (the cluster of [`story_parts`]), under
/// the run's `statistics`, with the part's links of [`story_links`] (`similar` with their
/// similarities, `duplicates`): each story as `(its first article, story JSON)`, with run ids
/// as members and, until [`align_story`] numbers it, the id 0.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn cluster_part<'py>(
    py: Python<'py>,
    statistics: Py<PyRunStatistics>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>, DocId)>,
    similar: Vec<(DocId, DocId, f32)>,
    duplicates: Vec<(DocId, DocId)>,
) -> PyResult<Vec<(DocId, Bound<'py, PyBytes>)>> {
    let mut docs: Vec<(DocId, Vec<u8>, Vec<u8>, DocId)> = docs
        .into_iter()
        .map(|(d, s, e, c)| (d, s.as_bytes().to_vec(), e.as_bytes().to_vec(), c))
        .collect();
    let stories = py
        .detach(move || {
            docs.sort_unstable_by_key(|d| d.0);
            let articles = docs
                .par_iter()
                .map(|(doc, slim, entities, _)| slim_article(*doc, slim, entities))
                .collect::<Result<Vec<_>, String>>()?;
            let clusters: Vec<DocId> = docs.iter().map(|d| d.3).collect();
            drop(docs);
            let links = StoryLinks {
                similar,
                duplicates,
            };
            let stories = corroborate_cluster::cluster_part(
                &articles,
                &clusters,
                &statistics.get().0,
                &links,
                &cluster_options(),
            );
            Ok::<_, String>(
                stories
                    .into_iter()
                    .map(|mut s| {
                        s.id = 0;
                        let first = s.docs.first().copied().unwrap_or_default();
                        (first, serde_json::to_vec(&s).unwrap_or_default())
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .map_err(PyValueError::new_err)?;
    Ok(stories
        .into_iter()
        .map(|(first, s)| (first, PyBytes::new(py, &s)))
        .collect())
}

fn row_json(row: &impl Serialize) -> String {
    serde_json::to_string(row).unwrap_or_default()
}

/// The knowledge bases loaded in this process, by their files: an executor loads each once.
fn knowledge_base(files: &[PathBuf]) -> PyResult<Arc<KnowledgeBase>> {
    static LOADED: OnceLock<Mutex<FxHashMap<Vec<PathBuf>, Arc<KnowledgeBase>>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    if let Some(kb) = loaded.lock().ok().and_then(|m| m.get(files).cloned()) {
        return Ok(kb);
    }
    let kb = Arc::new(load_kb(files)?.0);
    if let Ok(mut m) = loaded.lock() {
        m.insert(files.to_vec(), kb.clone());
    }
    Ok(kb)
}

/// A group of [`align_story`]: where it sorts in the whole run and its row. The CLI orders
/// groups by verdict, alignment's before the knowledge base's; alignment's by independent
/// sources (most first), then story, then as found; the knowledge base's by article, then as
/// found. The key is `(verdict rank, 0 or 1, minus the sources or the article, position in
/// the story's list)`, to be sorted with the story id after the third.
type SortedGroup = (usize, usize, i64, usize, String);

/// Dating, knowledge-base verdicts and alignment of story `id`. `story` is the story's JSON from
/// [`cluster_part`] and `docs` its articles as `(global id, analysis JSON, linked entities
/// JSON)` in any order; `kb` the knowledge-base files merged over the built-in one. Returns the
/// story's row of the `stories` table, its rows of the `articles` and `claims` tables (one JSON
/// object each) and its groups with their sort keys; a group row's `group` field is set by the
/// caller once every story's groups are in order.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn align_story<'py>(
    py: Python<'py>,
    id: usize,
    story: &Bound<'py, PyBytes>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>,
    kb: Vec<PathBuf>,
) -> PyResult<(String, Vec<String>, Vec<String>, Vec<SortedGroup>)> {
    let mut story: Story = serde_json::from_slice(story.as_bytes())
        .map_err(|e| PyValueError::new_err(format!("story: {e}")))?;
    story.id = id;
    let mut by_id: FxHashMap<DocId, (Vec<u8>, Vec<u8>)> = docs
        .iter()
        .map(|(id, a, e)| (*id, (a.as_bytes().to_vec(), e.as_bytes().to_vec())))
        .collect();
    drop(docs);
    let kb = knowledge_base(&kb)?;
    py.detach(move || {
        // The story's articles numbered 0.. in global id order, as the library wants them.
        let mut articles = Vec::with_capacity(story.docs.len());
        for (local, id) in story.docs.iter().enumerate() {
            let (analysis, entities) = by_id
                .remove(id)
                .ok_or_else(|| format!("story {}: article {id} missing", story.id))?;
            articles.push(
                load(&analysis, local as DocId, Some(&entities))
                    .map_err(|e| format!("article {id}: {e}"))?,
            );
        }
        let local: FxHashMap<DocId, DocId> = story
            .docs
            .iter()
            .enumerate()
            .map(|(i, &d)| (d, i as DocId))
            .collect();
        let local_story = renumbered_story(&story, |d| local.get(&d).copied().unwrap_or(d), 0);
        let stories = std::slice::from_ref(&local_story);
        let kb_groups = corroborate_kb::date_and_judge(&kb, &mut articles, stories);
        let global = |d: DocId| story.docs.get(d as usize).copied().unwrap_or(d);
        let align_groups = corroborate_align::align_in_run(
            &articles,
            stories,
            &corroborate::AlignOptions::default(),
            &global,
        );

        // Back to global ids.
        let articles = articles
            .iter()
            .map(|a| {
                let json = serde_json::to_vec(a).unwrap_or_default();
                load(&json, global(a.article.id), None)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let texts: FxHashMap<DocId, &str> = articles
            .iter()
            .map(|a| (a.article.id, a.article.text.as_str()))
            .collect();
        let quote: &Quote = &|span| texts.get(&span.doc).and_then(|t| span.slice(t));
        let article_rows = articles
            .iter()
            .map(|a| row_json(&article_row(a, Some(story.id))))
            .collect();
        let claim_rows = articles
            .iter()
            .flat_map(|a| claim_rows(quote, a))
            .map(|row| row_json(&row))
            .collect();
        let groups: Vec<(usize, ClaimGroup)> = align_groups
            .into_iter()
            .map(|g| (0, g))
            .chain(kb_groups.into_iter().map(|g| (1, g)))
            .map(|(origin, g)| (origin, renumbered_group(g, global, story.id)))
            .collect();
        let group_rows = groups
            .iter()
            .enumerate()
            .map(|(index, (origin, g))| {
                let rank = Verdict::ALL.iter().position(|v| *v == g.verdict);
                let second = match origin {
                    0 => -(g.independent_sources as i64),
                    _ => g
                        .claims
                        .iter()
                        .map(|c| c.doc)
                        .chain(g.evidence.iter().map(|s| s.doc))
                        .min()
                        .map_or(0, i64::from),
                };
                let row = row_json(&group_row(quote, 0, g));
                (rank.unwrap_or(usize::MAX), *origin, second, index, row)
            })
            .collect();
        Ok((
            row_json(&story_row(&story)),
            article_rows,
            claim_rows,
            group_rows,
        ))
    })
    .map_err(|e: String| PyValueError::new_err(e))
}

/// `story` with its article ids passed through `map` and id `id`.
fn renumbered_story(story: &Story, map: impl Fn(DocId) -> DocId, id: usize) -> Story {
    let mut story = story.clone();
    story.id = id;
    story.docs.iter_mut().for_each(|d| *d = map(*d));
    for pair in &mut story.near_duplicates {
        pair.a = map(pair.a);
        pair.b = map(pair.b);
        pair.likely_source = pair.likely_source.map(&map);
        for (x, y) in &mut pair.shared {
            x.doc = map(x.doc);
            y.doc = map(y.doc);
        }
    }
    story
}

/// `group` with its article ids passed through `map`, in story `story`.
fn renumbered_group(
    mut group: ClaimGroup,
    map: impl Fn(DocId) -> DocId,
    story: usize,
) -> ClaimGroup {
    group.story = group.story.map(|_| story);
    group.claims.iter_mut().for_each(|c| c.doc = map(c.doc));
    group.evidence.iter_mut().for_each(|s| s.doc = map(s.doc));
    for diff in &mut group.diffs {
        diff.from.doc = map(diff.from.doc);
        diff.to.doc = map(diff.to.doc);
    }
    if let Topic::CopyChange { source, copy, .. } = &mut group.topic {
        *source = map(*source);
        *copy = map(*copy);
    }
    group
}

/// The verdicts' JSON names, most important first (the order of the summary's counts).
#[pyfunction]
pub(crate) fn verdicts() -> Vec<String> {
    Verdict::ALL
        .iter()
        .map(|v| json_text(v).trim_matches('"').to_owned())
        .collect()
}
