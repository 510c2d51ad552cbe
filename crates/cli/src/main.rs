//! The `corroborate` command: a thin shell over the `corroborate` library.
//!
//! It parses arguments, builds a [`corroborate::Config`], runs one library call and writes the
//! result. Exit codes: 0 everything was read, 1 the report was written but some inputs failed,
//! 2 the command itself failed (bad arguments, unwritable output).

use clap::{Parser, Subcommand, ValueEnum};
use corroborate::model::{Article, InputFormat};
use corroborate::{Config, report};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The analysis makes millions of small, short-lived allocations (tokens, spans, claims, report
/// strings); mimalloc serves them faster than the system allocator (measured in
/// scripts/bench.sh, see the README).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Line up what news outlets claim about one story and show, with evidence, where they agree
/// and where they conflict.
///
/// Give it the articles (text files, folders of them, or - to read one from standard input).
/// It finds the numbers, office holders, quotes and sources in each article, lines up the ones
/// that talk about the same thing, and reports agreement, conflicts, altered quotes and claims
/// only one outlet makes — each with the exact words it rests on.
#[derive(Parser)]
#[command(name = "corroborate", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare articles and report where they agree and conflict.
    ///
    /// Examples:
    ///   corroborate analyze story/                    summary in the terminal
    ///   corroborate analyze a.txt b.txt -f html -o report.html
    ///   corroborate analyze story/ -f json -o report.json
    #[command(verbatim_doc_comment)]
    Analyze {
        #[command(flatten)]
        inputs: Inputs,
        /// Report format: a terminal summary, JSON for other tools, or a self-contained web page.
        #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Write the report to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Colours in the terminal summary.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        #[command(flatten)]
        knowledge: Knowledge,
    },
    /// Group articles into stories and list near-duplicate copies with the passages they share.
    Cluster {
        #[command(flatten)]
        inputs: Inputs,
        /// Output: readable text or JSON.
        #[arg(short, long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        /// Write to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Work with knowledge-base files of dated office holders and events.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Print the text and metadata extracted from each article, to check or reuse extraction.
    Extract {
        #[command(flatten)]
        inputs: Inputs,
        /// Output: readable text, or JSON Lines with one object per article
        /// (url, title, byline, published, outlet, language, text).
        #[arg(short, long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        /// Write to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run the corroboration desk: web UI and JSON API over a durable article store (SQLite in
    /// a data directory by default, PostgreSQL with --database).
    Serve(corroborate_server::ServeArgs),
}

/// Knowledge-base subcommands.
#[derive(Subcommand)]
enum KbCommand {
    /// Check a knowledge-base file: malformed rows, dates out of order, overlapping tenures.
    Check {
        /// The TOML file.
        file: PathBuf,
    },
    /// Convert Wikidata query results (SPARQL CSV or JSON) into a knowledge-base TOML file.
    Import {
        /// The query result file.
        file: PathBuf,
        /// Write the TOML here instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Knowledge bases used to date articles and flag stale claims.
#[derive(clap::Args)]
struct Knowledge {
    /// Merge this knowledge-base file over the built-in one (repeatable; later files win).
    #[arg(long = "kb", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Load the valid rows of a knowledge-base file that has malformed ones (they are reported).
    #[arg(long)]
    lenient: bool,
}

/// Options shared by every command that reads articles.
#[derive(clap::Args)]
struct Inputs {
    /// Article files, folders (read recursively) or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Treat every input as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputKind>,
    /// Skip inputs larger than this many megabytes.
    #[arg(long, value_name = "MB", default_value_t = 64)]
    max_size: u64,
    /// Give up on an http(s) URL input after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    url_timeout: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputKind {
    Text,
    Html,
    Feed,
    Warc,
    Json,
}

impl From<InputKind> for InputFormat {
    fn from(kind: InputKind) -> Self {
        match kind {
            InputKind::Text => InputFormat::PlainText,
            InputKind::Html => InputFormat::Html,
            InputKind::Feed => InputFormat::Feed,
            InputKind::Warc => InputFormat::Warc,
            InputKind::Json => InputFormat::JsonRecords,
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("corroborate: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command; `Ok(false)` means some inputs failed but output was written.
fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Analyze {
            inputs,
            format,
            output,
            color,
            knowledge,
        } => {
            let mut config = config(&inputs)?;
            for file in &knowledge.files {
                let (kb, diagnostics) = corroborate::KnowledgeBase::load(file, knowledge.lenient)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                for d in diagnostics {
                    eprintln!("{d}");
                }
                config.kb.merge(kb);
            }
            let analysis = corroborate::analyze(&inputs.paths, &config);
            report_skipped(&analysis.errors, &config);
            match format {
                ReportFormat::Text => {
                    let color = match color {
                        ColorChoice::Always => true,
                        ColorChoice::Never => false,
                        ColorChoice::Auto => {
                            output.is_none()
                                && std::io::stdout().is_terminal()
                                && std::env::var_os("NO_COLOR").is_none()
                        }
                    };
                    let text = report::text(&analysis, &report::TextOptions { color });
                    write_output(output.as_ref(), text.as_bytes())?;
                }
                ReportFormat::Json => {
                    // Streamed: the JSON of a large run is hundreds of megabytes.
                    let mut out = open_output(output.as_ref())?;
                    report::write_json(&analysis, &mut out)
                        .and_then(|()| out.flush())
                        .map_err(|e| anyhow::anyhow!("cannot write output: {e}"))?;
                }
                ReportFormat::Html => {
                    write_output(output.as_ref(), report::html(&analysis).as_bytes())?;
                }
            }
            if analysis.articles.is_empty() {
                anyhow::bail!("no article could be read");
            }
            let ok = analysis.errors.is_empty();
            // The process ends next: freeing millions of small allocations (every article,
            // claim and knowledge-base row) would only delay the exit, by 0.2 s for 10,000
            // articles with a 100,000-row knowledge base; the operating system reclaims it all.
            std::mem::forget(analysis);
            std::mem::forget(config);
            Ok(ok)
        }
        Command::Cluster {
            inputs,
            format,
            output,
        } => {
            let config = config(&inputs)?;
            let analysis = corroborate::analyze(&inputs.paths, &config);
            report_skipped(&analysis.errors, &config);
            let rendered = match format {
                ExtractFormat::Text => stories_text(&analysis),
                ExtractFormat::Json => stories_json(&analysis),
            };
            write_output(output.as_ref(), rendered.as_bytes())?;
            Ok(analysis.errors.is_empty())
        }
        Command::Serve(args) => corroborate_server::run(args)
            .map(|()| true)
            .map_err(|e| anyhow::anyhow!(e)),
        Command::Kb(KbCommand::Check { file }) => {
            let diagnostics = corroborate::kb::check(&file);
            for d in &diagnostics {
                println!("{d}");
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == corroborate::kb::Severity::Error)
                .count();
            println!(
                "{}: {errors} error(s), {} warning(s)",
                file.display(),
                diagnostics.len() - errors
            );
            Ok(errors == 0)
        }
        Command::Kb(KbCommand::Import { file, output }) => {
            let toml =
                corroborate::kb::import_wikidata(&file).map_err(|e| anyhow::anyhow!("{e}"))?;
            write_output(output.as_ref(), toml.as_bytes())?;
            Ok(true)
        }
        Command::Extract {
            inputs,
            format,
            output,
        } => {
            let config = config(&inputs)?;
            let mut out = open_output(output.as_ref())?;
            let mut failed = false;
            let mut write_error = None;
            corroborate::extract_each(&inputs.paths, &config, |result| match result {
                Ok(article) if write_error.is_none() => {
                    let written = match format {
                        ExtractFormat::Json => writeln!(out, "{}", extracted_json(&article)),
                        ExtractFormat::Text => write!(out, "{}", extracted_text(&article)),
                    };
                    if let Err(e) = written {
                        write_error = Some(e);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    failed = true;
                    eprintln!("skipped {}: {}", e.source, e.reason);
                }
            });
            if let Some(summary) = config.ingest.stats.summary() {
                eprintln!("{summary}");
            }
            if let Some(e) = write_error {
                anyhow::bail!("cannot write output: {e}");
            }
            out.flush()?;
            Ok(!failed)
        }
    }
}

/// Names every input that was skipped and why, then what containers skipped on purpose.
fn report_skipped(errors: &[corroborate::model::InputError], config: &Config) {
    for error in errors {
        eprintln!("skipped {}: {}", error.source, error.reason);
    }
    if let Some(summary) = config.ingest.stats.summary() {
        eprintln!("{summary}");
    }
}

fn config(inputs: &Inputs) -> anyhow::Result<Config> {
    if let Some(threads) = inputs.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} threads: {e}"))?;
    }
    let mut config = Config::default();
    config.ingest.format = inputs.input_format.map(Into::into);
    config.ingest.max_bytes = inputs.max_size.saturating_mul(1024 * 1024);
    config.ingest.url_timeout = std::time::Duration::from_secs(inputs.url_timeout.max(1));
    Ok(config)
}

/// Where output goes: the file, else standard output; buffered.
fn open_output(path: Option<&PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn write_output(path: Option<&PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = open_output(path)?;
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| anyhow::anyhow!("cannot write output: {e}"))
}

/// The label a reader knows an article by: outlet, else title, else file.
fn article_label(article: &Article) -> String {
    article
        .outlet
        .clone()
        .or_else(|| article.title.clone())
        .unwrap_or_else(|| article.source.to_string())
}

/// Stories and near-duplicate pairs as readable text.
fn stories_text(analysis: &corroborate::model::Analysis) -> String {
    let mut out = format!(
        "{} articles in {} stories\n",
        analysis.articles.len(),
        analysis.stories.len()
    );
    for story in &analysis.stories {
        out += &format!(
            "\nstory {} ({} articles): {}\n",
            story.id + 1,
            story.docs.len(),
            story.label
        );
        for &doc in &story.docs {
            let article = &analysis.articles[doc as usize].article;
            out += &format!(
                "  [{doc}] {} ({})\n",
                article_label(article),
                article.source
            );
        }
        for pair in &story.near_duplicates {
            let source = match pair.likely_source {
                Some(d) => format!(", likely source [{d}]"),
                None => String::new(),
            };
            out += &format!(
                "  near-duplicates [{}] and [{}]: similarity {:.2}{source}, {} shared passage(s)\n",
                pair.a,
                pair.b,
                pair.similarity,
                pair.shared.len()
            );
            for (a, _) in pair.shared.iter().take(3) {
                out += &format!("    “{}”\n", analysis.quote(*a));
            }
        }
    }
    out
}

/// Stories and near-duplicate pairs as JSON, with each article's label and source.
fn stories_json(analysis: &corroborate::model::Analysis) -> String {
    let articles: Vec<_> = analysis
        .articles
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.article.id,
                "source": a.article.source.to_string(),
                "outlet": a.article.outlet,
                "title": a.article.title,
                "published": a.article.published.as_ref().map(|p| p.date.to_string()),
            })
        })
        .collect();
    let value = serde_json::json!({
        "articles": articles,
        "stories": analysis.stories,
        "errors": analysis.errors,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// One extracted article as a JSON object (the shape trafilatura and news-please users expect).
fn extracted_json(article: &Article) -> serde_json::Value {
    serde_json::json!({
        "source": article.source.to_string(),
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.as_ref().map(|p| p.date.to_string()),
        "outlet": article.outlet,
        "language": article.language,
        "text": article.text,
    })
}

/// One extracted article as readable text.
fn extracted_text(article: &Article) -> String {
    let field = |name: &str, value: Option<&str>| match value {
        Some(v) => format!("{name}: {v}\n"),
        None => String::new(),
    };
    let published = article.published.as_ref().map(|p| p.date.to_string());
    format!(
        "=== {}\n{}{}{}{}{}{}\n{}\n\n",
        article.source,
        field("title", article.title.as_deref()),
        field("outlet", article.outlet.as_deref()),
        field("byline", article.byline.as_deref()),
        field("published", published.as_deref()),
        field("url", article.url.as_deref()),
        field("language", article.language.as_deref()),
        article.text.trim_end(),
    )
}
