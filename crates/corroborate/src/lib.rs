//! corroborate: line up what news outlets claim about one story and show, with evidence, where
//! they agree and where they conflict.
//!
//! This crate wires the stages together; each stage is its own crate:
//!
//! | stage | crate | per article? |
//! |---|---|---|
//! | read inputs | [`corroborate_ingest`] | yes (streamed) |
//! | main text and metadata | [`corroborate_extract`] | yes |
//! | sentences, entities | [`corroborate_nlp`] | yes (+ one cross-article linking pass) |
//! | claims | [`corroborate_claims`] | yes |
//! | stories, near-duplicates | [`corroborate_cluster`] | no |
//! | dating, stale claims | [`corroborate_kb`] | both |
//! | alignment, verdicts | [`corroborate_align`] | no |
//! | reports | [`corroborate_report`] | no |
//!
//! Per-article stages run in parallel on a rayon pool; the cross-article stages see the whole run.

pub use corroborate_align::AlignOptions;
pub use corroborate_cluster::{ClusterOptions, RunStatistics};
pub use corroborate_ingest::{FileFilter, IngestOptions, read_input_list};
pub use corroborate_kb as kb;
pub use corroborate_kb::KnowledgeBase;
pub use corroborate_model as model;
pub use corroborate_report as report;

use corroborate_model::{
    Analysis, AnalyzedArticle, Article, DocId, InputError, Provenance, RawDocument, SCHEMA_VERSION,
};
use rayon::prelude::*;

/// Settings for a whole run.
#[derive(Debug, Clone)]
pub struct Config {
    /// How inputs are read.
    pub ingest: IngestOptions,
    /// How stories are formed.
    pub cluster: ClusterOptions,
    /// How claims are aligned.
    pub align: AlignOptions,
    /// Knowledge base for dating and stale-claim verdicts.
    pub kb: KnowledgeBase,
}

impl Default for Config {
    /// Default options with the knowledge base shipped with corroborate.
    fn default() -> Self {
        Self {
            ingest: IngestOptions::default(),
            cluster: ClusterOptions::default(),
            align: AlignOptions::default(),
            kb: KnowledgeBase::starter(),
        }
    }
}

/// The provenance of a run starting now over `inputs`, with the knowledge-base files
/// `kb_files` merged over the built-in knowledge base, for [`Analysis::provenance`].
pub fn provenance(inputs: &[String], kb_files: &[std::path::PathBuf]) -> Provenance {
    let now = chrono::Utc::now();
    Provenance {
        tool: "corroborate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        // Whole seconds: sub-second digits only make archived reports harder to compare.
        generated_at: now - chrono::Duration::nanoseconds(now.timestamp_subsec_nanos().into()),
        inputs: inputs.to_vec(),
        knowledge_bases: std::iter::once("built-in".to_owned())
            .chain(kb_files.iter().map(|f| f.display().to_string()))
            .collect(),
    }
}

/// Documents are processed in batches of this size so that memory stays bounded by the
/// batch while ingest streams (a WARC file may hold millions of records).
const BATCH: usize = 2048;

/// A batch is also cut when its raw documents reach this many bytes, so that a crawl of large
/// pages does not hold 2,048 of them at once.
const BATCH_BYTES: usize = 64 * 1024 * 1024;

/// Raw documents waiting for a parallel pass, cut by count and by bytes.
#[derive(Default)]
struct Batch {
    docs: Vec<RawDocument>,
    bytes: usize,
}

impl Batch {
    /// Adds a document; true when the batch should now be processed.
    fn push(&mut self, doc: RawDocument) -> bool {
        self.bytes += doc.bytes.len();
        self.docs.push(doc);
        self.docs.len() >= BATCH || self.bytes >= BATCH_BYTES
    }

    /// Empties the batch, returning its documents.
    fn take(&mut self) -> Vec<RawDocument> {
        self.bytes = 0;
        std::mem::take(&mut self.docs)
    }
}

/// What a long run reports as it goes, so a front end can show progress (the CLI draws a
/// progress bar on a terminal). Every method does nothing by default; `()` reports nothing.
pub trait Progress {
    /// So many articles have been read and so many inputs skipped so far.
    fn read(&self, _articles: usize, _skipped: usize) {}
    /// A stage over the whole run begins ("clustering stories").
    fn stage(&self, _name: &str) {}
}

impl Progress for () {}

/// Reads `inputs` (paths, directories, `-` for stdin) and analyses them.
pub fn analyze(inputs: &[String], config: &Config) -> Analysis {
    analyze_with_progress(inputs, config, &())
}

/// [`analyze`], telling `progress` how far it got.
pub fn analyze_with_progress(
    inputs: &[String],
    config: &Config,
    progress: &dyn Progress,
) -> Analysis {
    analyze_stream(
        corroborate_ingest::open(inputs, &config.ingest),
        config,
        progress,
    )
}

/// Analyses a stream of raw documents; failed items are kept as errors.
pub fn analyze_documents(
    documents: impl Iterator<Item = Result<RawDocument, InputError>>,
    config: &Config,
) -> Analysis {
    analyze_stream(documents, config, &())
}

fn analyze_stream(
    documents: impl Iterator<Item = Result<RawDocument, InputError>>,
    config: &Config,
    progress: &dyn Progress,
) -> Analysis {
    let mut articles: Vec<AnalyzedArticle> = Vec::new();
    let mut errors = Vec::new();
    let mut pending: Vec<Article> = Vec::with_capacity(BATCH);
    let analyze_pending = |pending: &mut Vec<Article>, articles: &mut Vec<AnalyzedArticle>| {
        articles.par_extend(std::mem::take(pending).into_par_iter().map(analyze_article));
    };
    let mut read = 0;
    extract_documents(documents, |result| {
        match result {
            Ok(article) => {
                read += 1;
                pending.push(article);
                if pending.len() >= BATCH {
                    analyze_pending(&mut pending, &mut articles);
                }
            }
            Err(e) => errors.push(e),
        }
        progress.read(read, errors.len());
    });
    progress.stage("analysing the last articles");
    analyze_pending(&mut pending, &mut articles);
    cross_article(articles, errors, config, &InRun::default(), progress)
}

/// Extracts articles from `inputs` without analysing them, calling `sink` for each article or
/// error in input order. Memory stays bounded by one batch, so arbitrarily large crawl files
/// stream through.
pub fn extract_each(
    inputs: &[String],
    config: &Config,
    sink: impl FnMut(Result<Article, InputError>),
) {
    extract_documents(corroborate_ingest::open(inputs, &config.ingest), sink);
}

/// Extracts `documents` in parallel batches and calls `sink` for each article or error in
/// input order. Ids are given only to the articles that survive extraction, counting from 0,
/// so they index the list of articles a caller collects (every later span carries its id).
fn extract_documents(
    documents: impl Iterator<Item = Result<RawDocument, InputError>>,
    mut sink: impl FnMut(Result<Article, InputError>),
) {
    let mut batch = Batch::default();
    let mut next_id: DocId = 0;
    let mut flush = |batch: &mut Batch, sink: &mut dyn FnMut(Result<Article, InputError>)| {
        let results: Vec<_> = batch
            .take()
            .into_par_iter()
            .map(|raw| corroborate_extract::extract(raw, 0))
            .collect();
        for mut result in results {
            if let Ok(article) = &mut result {
                article.renumber(next_id);
                next_id += 1;
            }
            sink(result);
        }
    };
    for item in documents {
        match item {
            Ok(raw) => {
                if batch.push(raw) {
                    flush(&mut batch, &mut sink);
                }
            }
            Err(e) => {
                flush(&mut batch, &mut sink);
                sink(Err(e));
            }
        }
    }
    flush(&mut batch, &mut sink);
}

/// The per-article analysis stages: sentences, tokens and entities, then claims.
///
/// The token layer ([`AnalyzedArticle::tokens`]) is dropped once claims have read it: a run
/// holds every analysed article until alignment, and the layer (24 bytes a token, some five
/// times the text) raised peak memory by a quarter to a third on the bench corpus. The one
/// cross-article reader, align's near-copy diff, rebuilds it for the articles it compares
/// (`corroborate_nlp::tokens_of`).
pub fn analyze_article(article: Article) -> AnalyzedArticle {
    let mut doc = corroborate_nlp::analyze(article);
    doc.claims = corroborate_claims::extract_claims(&doc);
    doc.tokens = Vec::new();
    doc
}

/// The cross-article stages over already analysed articles (ids must equal their positions):
/// entity linking, stories, dating, alignment, verdict order.
pub fn analyze_articles(
    articles: Vec<AnalyzedArticle>,
    errors: Vec<InputError>,
    config: &Config,
) -> Analysis {
    cross_article(articles, errors, config, &InRun::default(), &())
}

/// Where the articles given to [`analyze_articles_in_run`] sit in a larger run.
#[derive(Default)]
pub struct InRun<'a> {
    /// The run's sums (see [`corroborate_cluster::cluster_in_run`]): stories are clustered with
    /// the run's term weights and label words. `None`: with the articles' own.
    pub statistics: Option<&'a RunStatistics>,
    /// The id the run knows article `doc` by, printed where an explanation names an article
    /// by number ("Daily Ledger #12"); `None`: `doc` itself.
    pub run_id: Option<&'a dyn Fn(DocId) -> DocId>,
}

/// [`analyze_articles`] over some of the articles of a larger run (the server aligns one
/// neighbourhood of its store at a time), numbered from 0 here: everything looks at
/// `articles` alone except what `run` gives.
pub fn analyze_articles_in_run(
    articles: Vec<AnalyzedArticle>,
    run: &InRun<'_>,
    config: &Config,
) -> Analysis {
    cross_article(articles, Vec::new(), config, run, &())
}

fn cross_article(
    mut articles: Vec<AnalyzedArticle>,
    errors: Vec<InputError>,
    config: &Config,
    run: &InRun<'_>,
    progress: &dyn Progress,
) -> Analysis {
    progress.stage("linking entities");
    corroborate_nlp::link_entities(&mut articles);
    progress.stage("clustering stories");
    let stories = match run.statistics {
        Some(statistics) => {
            corroborate_cluster::cluster_in_run(&articles, statistics, &config.cluster)
        }
        None => corroborate_cluster::cluster(&articles, &config.cluster),
    };
    progress.stage("dating articles");
    let kb_groups = corroborate_kb::date_and_judge(&config.kb, &mut articles, &stories);
    progress.stage("aligning claims");
    let mut groups = match run.run_id {
        Some(run_id) => corroborate_align::align_in_run(&articles, &stories, &config.align, run_id),
        None => corroborate_align::align(&articles, &stories, &config.align),
    };
    groups.extend(kb_groups);
    groups.sort_by_key(|g| g.verdict);
    Analysis {
        schema_version: SCHEMA_VERSION.to_string(),
        articles,
        stories,
        groups,
        errors,
        provenance: None,
    }
}
