//! The stages of the Spark job (`python/corroborate/spark.py`), each a thin call into the
//! library that the job runs where its data is:
//!
//! * [`analyze_each`] (executors, one call per Arrow batch of inputs): ingest, extraction and the
//!   per-article stages ([`corroborate::analyze_article`]), giving each article's analysis as
//!   JSON with ids counted from 0 within the batch, and a slim copy (text, sentences, entities)
//!   for story clustering.
//! * [`cluster_stories`] (driver, over the slim copies in global id order): cross-article entity
//!   linking and story clustering exactly as `corroborate analyze` runs them
//!   ([`corroborate_nlp::link_entities`], [`corroborate_cluster::cluster`]).
//! * [`align_story`] (executors, grouped by story): dating, knowledge-base verdicts and claim
//!   alignment of one story ([`corroborate_kb::date_and_judge`], [`corroborate_align::align`]),
//!   with the story's articles numbered from 0 while the library works and their global ids put
//!   back in every row.
//!
//! Alignment, dating and verdicts only ever look inside one story, so one story at a time gives
//! the groups of the whole run; the order of the whole run's groups is restored from the sort
//! keys [`align_story`] returns.

use crate::{Input, Quote, article_row, claim_rows, group_row, json_text, load_kb, story_row};
use corroborate::model::{
    AnalyzedArticle, ClaimGroup, DocId, Story, Topic, Verdict, renumber_analysis,
};
use corroborate::{IngestOptions, KnowledgeBase};
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

/// One analysed article of [`analyze_each`]: the input it came from, its analysis and the
/// slim copy clustering needs.
type Analysed = (usize, Vec<u8>, Vec<u8>);

/// The per-article analysis of `inputs` (`(kind, name, content)` triples as for `analyze`).
/// Returns, in input order, `(input index, analysis JSON, slim JSON)` for each article and
/// `(input index, source, reason)` for each input or record that could not be read.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn analyze_each<'py>(
    py: Python<'py>,
    inputs: Vec<(String, String, Option<Bound<'py, PyBytes>>)>,
) -> PyResult<(
    Vec<(usize, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>,
    Vec<(usize, String, String)>,
)> {
    let inputs = inputs
        .into_iter()
        .map(|(kind, name, payload)| Input::new(&kind, name, payload.as_ref()))
        .collect::<PyResult<Vec<_>>>()?;
    let (articles, errors) = py.detach(move || {
        let options = IngestOptions::default();
        let mut articles: Vec<Analysed> = Vec::new();
        let mut errors = Vec::new();
        let mut batch = Vec::with_capacity(BATCH);
        let flush = |batch: &mut Vec<_>, articles: &mut Vec<Analysed>, errors: &mut Vec<_>| {
            let done: Vec<_> = std::mem::take(batch)
                .into_par_iter()
                .map(|(i, raw)| (i, corroborate_extract::extract(raw, 0).map(analysed)))
                .collect();
            for (i, result) in done {
                match result {
                    Ok((analysis, slim)) => articles.push((i, analysis, slim)),
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
        .map(|(i, a, s)| (i, PyBytes::new(py, &a), PyBytes::new(py, &s)))
        .collect();
    Ok((articles, errors))
}

/// The per-article stages of one article, as JSON: the whole analysis, and the slim copy
/// (without mentions and claims) that entity linking and clustering read.
fn analysed(article: corroborate::model::Article) -> (Vec<u8>, Vec<u8>) {
    let mut analyzed = corroborate::analyze_article(article);
    let whole = serde_json::to_vec(&analyzed).unwrap_or_default();
    analyzed.mentions.clear();
    analyzed.claims.clear();
    let slim = serde_json::to_vec(&analyzed).unwrap_or_default();
    (whole, slim)
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

/// Entity linking and stories over the slim analyses of the whole run, given in global id
/// order (the slim copy of article `i` is `slims[i]`). Returns each story as JSON with its row
/// of the `stories` table, and each article's linked entities as JSON.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn cluster_stories<'py>(
    py: Python<'py>,
    slims: Vec<Bound<'py, PyBytes>>,
) -> PyResult<(Vec<(Bound<'py, PyBytes>, String)>, Vec<Bound<'py, PyBytes>>)> {
    let slims: Vec<Vec<u8>> = slims.iter().map(|b| b.as_bytes().to_vec()).collect();
    let (stories, entities) = py
        .detach(move || {
            let mut articles = slims
                .par_iter()
                .enumerate()
                .map(|(i, json)| {
                    load(json, i as DocId, None).map_err(|e| format!("article {i}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            drop(slims);
            corroborate_nlp::link_entities(&mut articles);
            let stories =
                corroborate_cluster::cluster(&articles, &corroborate::ClusterOptions::default());
            let stories: Vec<(Vec<u8>, String)> = stories
                .iter()
                .map(|s| {
                    (
                        serde_json::to_vec(s).unwrap_or_default(),
                        row_json(&story_row(s)),
                    )
                })
                .collect();
            let entities: Vec<Vec<u8>> = articles
                .par_iter()
                .map(|a| serde_json::to_vec(&a.entities).unwrap_or_default())
                .collect();
            Ok::<_, String>((stories, entities))
        })
        .map_err(PyValueError::new_err)?;
    let stories = stories
        .into_iter()
        .map(|(s, row)| (PyBytes::new(py, &s), row))
        .collect();
    let entities = entities.iter().map(|e| PyBytes::new(py, e)).collect();
    Ok((stories, entities))
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

/// Dating, knowledge-base verdicts and alignment of one story. `story` is the story's JSON from
/// [`cluster_stories`] and `docs` its articles as `(global id, analysis JSON, linked entities
/// JSON)` in any order; `kb` the knowledge-base files merged over the built-in one. Returns the
/// story's rows of the `articles` and `claims` tables (one JSON object each) and its groups
/// with their sort keys; a group row's `group` field is set by the caller once every story's
/// groups are in order.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn align_story<'py>(
    py: Python<'py>,
    story: &Bound<'py, PyBytes>,
    docs: Vec<(DocId, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>,
    kb: Vec<PathBuf>,
) -> PyResult<(Vec<String>, Vec<String>, Vec<SortedGroup>)> {
    let story: Story = serde_json::from_slice(story.as_bytes())
        .map_err(|e| PyValueError::new_err(format!("story: {e}")))?;
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
        let align_groups =
            corroborate_align::align(&articles, stories, &corroborate::AlignOptions::default());

        // Back to global ids.
        let global = |d: DocId| story.docs.get(d as usize).copied().unwrap_or(d);
        let relabel = Relabel::new(&articles, global);
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
            .map(|(origin, mut g)| {
                g.explanation = relabel.apply(&g.explanation);
                (origin, renumbered_group(g, global, story.id))
            })
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
        Ok((article_rows, claim_rows, group_rows))
    })
    .map_err(|e: String| PyValueError::new_err(e))
}

/// The article numbers that explanations print, moved from the story's numbering to the run's.
///
/// An explanation names each article by its outlet label and, where two articles of the story
/// share a label, adds the article's id ("Daily Ledger #12"); an article without any label is
/// "article 12" (`corroborate_align`'s `labels`). Those ids are the story's own while it is
/// aligned on its own, so each such name gets the number the CLI prints.
struct Relabel {
    /// Story id → (its shared label, run id), for articles whose label another one shares.
    shared: FxHashMap<DocId, (String, DocId)>,
    /// Story id → run id, for articles without a label.
    unlabelled: FxHashMap<DocId, DocId>,
}

impl Relabel {
    /// Outlet labels are cut to this many characters (`corroborate_align`'s `MAX_LABEL_CHARS`).
    const MAX_LABEL_CHARS: usize = 48;

    fn new(articles: &[AnalyzedArticle], global: impl Fn(DocId) -> DocId) -> Self {
        let base: Vec<String> = articles
            .iter()
            .map(|a| {
                let label = a.article.label();
                match label.char_indices().nth(Self::MAX_LABEL_CHARS) {
                    Some((cut, _)) => format!("{}…", label[..cut].trim_end()),
                    None => label,
                }
            })
            .collect();
        let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
        for label in &base {
            *counts.entry(label.as_str()).or_default() += 1;
        }
        let mut relabel = Self {
            shared: FxHashMap::default(),
            unlabelled: FxHashMap::default(),
        };
        for (a, label) in articles.iter().zip(&base) {
            let (local, run) = (a.article.id, global(a.article.id));
            if label.is_empty() {
                relabel.unlabelled.insert(local, run);
            } else if counts.get(label.as_str()).is_some_and(|&n| n > 1) {
                relabel.shared.insert(local, (label.clone(), run));
            }
        }
        relabel
    }

    /// `text` with every "label #id" and "article id" of the story renumbered.
    fn apply(&self, text: &str) -> String {
        // (start, end, run id) of each number to replace.
        let mut numbers: Vec<(usize, usize, DocId)> = Vec::new();
        let number_at = |at: usize| -> Option<(usize, DocId)> {
            let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
            let id = text.get(at..at + digits)?.parse().ok()?;
            Some((at + digits, id))
        };
        if !self.shared.is_empty() {
            for (hash, _) in text.match_indices(" #") {
                let Some((end, id)) = number_at(hash + 2) else {
                    continue;
                };
                if let Some((label, run)) = self.shared.get(&id)
                    && text[..hash].ends_with(label.as_str())
                {
                    numbers.push((hash + 2, end, *run));
                }
            }
        }
        if !self.unlabelled.is_empty() {
            for (at, word) in text.match_indices("article ") {
                let Some((end, id)) = number_at(at + word.len()) else {
                    continue;
                };
                if let Some(run) = self.unlabelled.get(&id) {
                    numbers.push((at + word.len(), end, *run));
                }
            }
        }
        if numbers.is_empty() {
            return text.to_owned();
        }
        numbers.sort_unstable();
        let mut out = String::with_capacity(text.len() + 8 * numbers.len());
        let mut last = 0;
        for (start, end, run) in numbers {
            out.push_str(&text[last..start]);
            out.push_str(&run.to_string());
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }
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
