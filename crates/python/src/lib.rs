//! The extension module `corroborate._native` behind the `corroborate` Python package
//! (`python/`). A thin shell over the library: it turns Python inputs into the library's raw
//! documents, runs [`corroborate::analyze_documents`] with the GIL released, and hands results
//! back as the bytes of the JSON report or as JSON Lines rows that the package reads into
//! Arrow tables. Every field it writes is a field of the JSON report; it computes nothing.
//!
//! The Python side (`python/corroborate/__init__.py`) decides what each input is (a path, an
//! article text or a record) and raises the package's exceptions; this module does the work.

use corroborate::model::{
    Analysis, AnalyzedArticle, ClaimGroup, ClaimRef, DocId, InputError, RawDocument, Span, Story,
    Verdict,
};
use corroborate::report::{FramingProfile, JsonLayout, SourcingProfile, evidence_text};
use corroborate::{Config, IngestOptions, KnowledgeBase};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;
use std::io::Write as _;
use std::path::PathBuf;

mod spark;

create_exception!(
    _native,
    BadInput,
    PyValueError,
    "An input that could not be read or analysed; the message names the input and the reason."
);

/// One input of `analyze`, as the Python side classified it.
enum Input {
    /// A file, folder or http(s) URL, read as the CLI reads it.
    Path(String),
    /// An article given as content (plain text or HTML, detected like a file's content),
    /// named `name` in the report (`inputs[3]`).
    Text { name: String, bytes: Vec<u8> },
    /// One article record as a JSON object with the JSON-record field names.
    Record { name: String, json: Vec<u8> },
}

impl Input {
    fn new(kind: &str, name: String, payload: Option<&Bound<'_, PyBytes>>) -> PyResult<Self> {
        match (kind, payload) {
            ("path", _) => Ok(Input::Path(name)),
            ("text", Some(bytes)) => Ok(Input::Text {
                name,
                bytes: bytes.as_bytes().to_vec(),
            }),
            ("record", Some(bytes)) => Ok(Input::Record {
                name,
                json: bytes.as_bytes().to_vec(),
            }),
            (kind, _) => Err(PyValueError::new_err(format!(
                "{name}: unknown input kind {kind:?} or missing content"
            ))),
        }
    }

    /// The name the report's provenance gives this input.
    fn name(&self) -> &str {
        match self {
            Input::Path(path) => path,
            Input::Text { name, .. } | Input::Record { name, .. } => name,
        }
    }

    /// The input's documents, streamed as the CLI streams a file.
    fn documents<'a>(
        &'a self,
        options: &'a IngestOptions,
    ) -> Box<dyn Iterator<Item = Result<RawDocument, InputError>> + 'a> {
        match self {
            Input::Path(path) => Box::new(corroborate_ingest::open(
                std::slice::from_ref(path),
                options,
            )),
            Input::Text { name, bytes } => {
                corroborate_ingest::read(name, std::io::Cursor::new(bytes.clone()), options)
            }
            Input::Record { name, json } => {
                Box::new(corroborate_ingest::records::json_document(name, json))
            }
        }
    }
}

/// The result of one `analyze` call, kept in Rust; Python reads it as a JSON report or as
/// tables.
#[pyclass(module = "corroborate._native", name = "Analysis", frozen)]
struct PyAnalysis {
    analysis: Analysis,
}

/// Reads the knowledge-base files, merged over the built-in one; the warnings come back as
/// lines for the Python side to show.
fn load_kb(files: &[PathBuf]) -> PyResult<(KnowledgeBase, Vec<String>)> {
    let mut kb = KnowledgeBase::starter();
    let mut warnings = Vec::new();
    for file in files {
        let (loaded, diagnostics) =
            KnowledgeBase::load(file, false).map_err(|e| BadInput::new_err(e.to_string()))?;
        warnings.extend(diagnostics.iter().map(ToString::to_string));
        kb.merge(loaded);
    }
    Ok((kb, warnings))
}

/// Analyses `inputs` (`(kind, name, content)` triples: `("path", path, None)`,
/// `("text", name, bytes)`, `("record", name, json bytes)`) with the knowledge-base files `kb`
/// merged over the built-in one, on `threads` worker threads (default: all cores). Returns
/// the analysis and the knowledge base's warnings. The GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (inputs, kb = Vec::new(), threads = None))]
fn analyze(
    py: Python<'_>,
    inputs: Vec<(String, String, Option<Bound<'_, PyBytes>>)>,
    kb: Vec<PathBuf>,
    threads: Option<usize>,
) -> PyResult<(PyAnalysis, Vec<String>)> {
    let inputs = inputs
        .into_iter()
        .map(|(kind, name, payload)| Input::new(&kind, name, payload.as_ref()))
        .collect::<PyResult<Vec<_>>>()?;
    let pool = match threads {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| PyOSError::new_err(format!("cannot start {n} threads: {e}")))?,
        ),
        None => None,
    };
    py.detach(move || {
        let (kb_base, warnings) = load_kb(&kb)?;
        let config = Config {
            kb: kb_base,
            ..Config::default()
        };
        let names: Vec<String> = inputs.iter().map(|i| i.name().to_owned()).collect();
        let run = || {
            let documents = inputs.iter().flat_map(|i| i.documents(&config.ingest));
            corroborate::analyze_documents(documents, &config)
        };
        let mut analysis = match &pool {
            Some(pool) => pool.install(run),
            None => run(),
        };
        analysis.provenance = Some(corroborate::provenance(&names, &kb));
        Ok((PyAnalysis { analysis }, warnings))
    })
}

/// The main text and metadata of one page or text (`content`, HTML or plain text, detected as
/// for a file), as `corroborate extract -f json` prints them, as JSON. `url` is the page's
/// address when known (it names the source in errors, and HTML pages resolve against it).
#[pyfunction]
#[pyo3(signature = (content, url = None))]
fn extract(py: Python<'_>, content: &Bound<'_, PyBytes>, url: Option<String>) -> PyResult<String> {
    let content = content.as_bytes().to_vec();
    py.detach(move || {
        let name = url.clone().unwrap_or_else(|| "<content>".to_owned());
        let format = corroborate_ingest::detect_format(&content);
        let raw = RawDocument {
            source: corroborate::model::SourceRef::file(name),
            format,
            bytes: content,
            metadata: corroborate::model::RecordMetadata {
                url,
                ..Default::default()
            },
        };
        let article =
            corroborate_extract::extract(raw, 0).map_err(|e| BadInput::new_err(e.to_string()))?;
        let record = corroborate::report::extracted_json(&article);
        Ok(record.to_string())
    })
}

/// One row of the `articles` table: an article's metadata and text, the story it is in, the
/// sizes of its analysis, its dating and its sourcing and framing profiles.
#[derive(Serialize)]
struct ArticleRow<'a> {
    doc: DocId,
    source: String,
    url: Option<&'a str>,
    outlet: Option<&'a str>,
    title: Option<&'a str>,
    byline: Option<&'a str>,
    published: Option<String>,
    published_origin: Option<&'a corroborate::model::MetadataOrigin>,
    language: Option<&'a str>,
    text: &'a str,
    story: Option<usize>,
    sentences: usize,
    entities: usize,
    mentions: usize,
    claims: usize,
    dating_earliest: Option<String>,
    dating_latest: Option<String>,
    sourcing: SourcingProfile,
    framing: FramingProfile,
}

/// One row of the `claims` table: a claim's place, kind and evidence, and the claim object of
/// the JSON report as JSON text (its fields differ by kind).
#[derive(Serialize)]
struct ClaimRow<'a> {
    doc: DocId,
    claim: usize,
    r#type: String,
    start: usize,
    end: usize,
    text: Option<&'a str>,
    json: String,
}

/// One row of the `stories` table.
#[derive(Serialize)]
struct StoryRow<'a> {
    story: usize,
    label: &'a str,
    docs: &'a [DocId],
    articles: usize,
    /// The near-duplicate pairs with their shared passages, as JSON text.
    near_duplicates: String,
}

#[derive(Serialize)]
struct EvidenceRow<'a> {
    doc: DocId,
    start: usize,
    end: usize,
    text: Option<&'a str>,
}

/// One row of the `groups` table: a claim group with its verdict and evidence (the topic and
/// the quote diffs, whose shapes vary, as JSON text).
#[derive(Serialize)]
struct GroupRow<'a> {
    group: usize,
    verdict: Verdict,
    topic_type: String,
    topic: String,
    explanation: &'a str,
    story: Option<usize>,
    confidence: f32,
    independent_sources: usize,
    claims: &'a [ClaimRef],
    evidence: Vec<EvidenceRow<'a>>,
    diffs: String,
}

fn json_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The `type` tag and the JSON text of a value serialised as an internally tagged enum.
fn tagged(value: &impl Serialize) -> (String, String) {
    let value = serde_json::to_value(value).unwrap_or_default();
    let tag = value
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or_default()
        .to_owned();
    (tag, value.to_string())
}

fn quoted(analysis: &Analysis, span: Span) -> Option<&str> {
    evidence_text(analysis, span).ok()
}

/// Quotes an evidence span: the text it covers, `None` when it cannot be quoted.
type Quote<'a> = dyn Fn(Span) -> Option<&'a str> + 'a;

fn article_row(a: &AnalyzedArticle, story: Option<usize>) -> ArticleRow<'_> {
    let article = &a.article;
    ArticleRow {
        doc: article.id,
        source: article.source.to_string(),
        url: article.url.as_deref(),
        outlet: article.outlet.as_deref(),
        title: article.title.as_deref(),
        byline: article.byline.as_deref(),
        published: article.published.as_ref().map(|p| p.date.to_string()),
        published_origin: article.published.as_ref().map(|p| &p.origin),
        language: article.language.as_deref(),
        text: &article.text,
        story,
        sentences: a.sentences.len(),
        entities: a.entities.len(),
        mentions: a.mentions.len(),
        claims: a.claims.len(),
        dating_earliest: a
            .dating
            .as_ref()
            .and_then(|d| d.earliest)
            .map(|d| d.to_string()),
        dating_latest: a
            .dating
            .as_ref()
            .and_then(|d| d.latest)
            .map(|d| d.to_string()),
        sourcing: SourcingProfile::of(a),
        framing: FramingProfile::of(a),
    }
}

fn claim_rows<'a>(
    quote: &'a Quote<'a>,
    a: &'a AnalyzedArticle,
) -> impl Iterator<Item = ClaimRow<'a>> + 'a {
    a.claims.iter().enumerate().map(move |(index, claim)| {
        let (kind, json) = tagged(claim);
        ClaimRow {
            doc: a.article.id,
            claim: index,
            r#type: kind,
            start: claim.evidence.start,
            end: claim.evidence.end,
            text: quote(claim.evidence),
            json,
        }
    })
}

fn story_row(story: &Story) -> StoryRow<'_> {
    StoryRow {
        story: story.id,
        label: &story.label,
        docs: &story.docs,
        articles: story.docs.len(),
        near_duplicates: json_text(&story.near_duplicates),
    }
}

fn group_row<'a>(quote: &Quote<'a>, index: usize, group: &'a ClaimGroup) -> GroupRow<'a> {
    let (topic_type, topic) = tagged(&group.topic);
    GroupRow {
        group: index,
        verdict: group.verdict,
        topic_type,
        topic,
        explanation: &group.explanation,
        story: group.story,
        confidence: group.confidence,
        independent_sources: group.independent_sources,
        claims: &group.claims,
        evidence: group
            .evidence
            .iter()
            .map(|span| EvidenceRow {
                doc: span.doc,
                start: span.start,
                end: span.end,
                text: quote(*span),
            })
            .collect(),
        diffs: json_text(&group.diffs),
    }
}

/// Appends `row` as one JSON line, remembering the longest line.
fn push_line(out: &mut Vec<u8>, longest: &mut usize, row: &impl Serialize) {
    let before = out.len();
    // Writing to memory cannot fail, and every key of these rows is a string.
    let _ = serde_json::to_writer(&mut *out, row);
    out.push(b'\n');
    *longest = (*longest).max(out.len() - before);
}

fn table_lines(analysis: &Analysis, table: &str) -> PyResult<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut longest = 0;
    match table {
        "articles" => {
            let mut story_of = vec![None; analysis.articles.len()];
            for story in &analysis.stories {
                for &doc in &story.docs {
                    if let Some(slot) = story_of.get_mut(doc as usize) {
                        *slot = Some(story.id);
                    }
                }
            }
            for (a, story) in analysis.articles.iter().zip(story_of) {
                push_line(&mut out, &mut longest, &article_row(a, story));
            }
        }
        "claims" => {
            let quote = |span| quoted(analysis, span);
            for a in &analysis.articles {
                for row in claim_rows(&quote, a) {
                    push_line(&mut out, &mut longest, &row);
                }
            }
        }
        "stories" => {
            for story in &analysis.stories {
                push_line(&mut out, &mut longest, &story_row(story));
            }
        }
        "groups" => {
            for (index, group) in analysis.groups.iter().enumerate() {
                let quote = |span| quoted(analysis, span);
                push_line(&mut out, &mut longest, &group_row(&quote, index, group));
            }
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "no table {other:?}: the tables are articles, claims, stories and groups"
            )));
        }
    }
    Ok((out, longest))
}

#[pymethods]
impl PyAnalysis {
    /// The JSON report, the same bytes as `corroborate analyze -f json` writes (indented with
    /// `pretty`, else on one line).
    #[pyo3(signature = (pretty = false))]
    fn json<'py>(&self, py: Python<'py>, pretty: bool) -> Bound<'py, PyBytes> {
        let bytes = py.detach(|| {
            let mut out = Vec::new();
            // Writing to memory cannot fail.
            let _ = corroborate::report::write_json(&self.analysis, &mut out, layout(pretty));
            out
        });
        PyBytes::new(py, &bytes)
    }

    /// Streams the JSON report to the file `path`.
    #[pyo3(signature = (path, pretty = false))]
    fn write_json(&self, py: Python<'_>, path: PathBuf, pretty: bool) -> PyResult<()> {
        py.detach(|| {
            let file = std::fs::File::create(&path)?;
            let mut out = std::io::BufWriter::new(file);
            corroborate::report::write_json(&self.analysis, &mut out, layout(pretty))?;
            out.flush()
        })
        .map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))
    }

    /// One table (`articles`, `claims`, `stories` or `groups`) as JSON Lines, one row a line,
    /// and the length of the longest line.
    fn table<'py>(&self, py: Python<'py>, name: &str) -> PyResult<(Bound<'py, PyBytes>, usize)> {
        let (bytes, longest) = py.detach(|| table_lines(&self.analysis, name))?;
        Ok((PyBytes::new(py, &bytes), longest))
    }

    /// The number of articles, stories, groups and input errors.
    fn counts(&self) -> (usize, usize, usize, usize) {
        let a = &self.analysis;
        (
            a.articles.len(),
            a.stories.len(),
            a.groups.len(),
            a.errors.len(),
        )
    }

    /// The inputs that could not be read, as `(source, reason)` pairs.
    fn errors(&self) -> Vec<(String, String)> {
        self.analysis
            .errors
            .iter()
            .map(|e| (e.source.clone(), e.reason.clone()))
            .collect()
    }
}

fn layout(pretty: bool) -> JsonLayout {
    if pretty {
        JsonLayout::Pretty
    } else {
        JsonLayout::Compact
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(spark::list_files, m)?)?;
    m.add_function(wrap_pyfunction!(spark::analyze_each, m)?)?;
    m.add_function(wrap_pyfunction!(spark::link_entities, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(spark::merge_statistics, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_keys, m)?)?;
    m.add_function(wrap_pyfunction!(spark::posting_neighbours, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_candidates, m)?)?;
    m.add_function(wrap_pyfunction!(spark::bucket_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_links, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_features, m)?)?;
    m.add_function(wrap_pyfunction!(spark::story_parts, m)?)?;
    m.add_function(wrap_pyfunction!(spark::cluster_part, m)?)?;
    m.add_class::<spark::PyRunStatistics>()?;
    m.add_function(wrap_pyfunction!(spark::align_story, m)?)?;
    m.add_function(wrap_pyfunction!(spark::verdicts, m)?)?;
    m.add_class::<PyAnalysis>()?;
    m.add("InputError", m.py().get_type::<BadInput>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
