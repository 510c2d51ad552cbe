//! The `corroborate` command: a thin shell over the `corroborate` library.
//!
//! It parses arguments, builds a [`corroborate::Config`], runs one library call and writes the
//! result. Exit codes: 0 everything was read, 1 the report was written but some inputs failed,
//! 2 the command itself failed (bad arguments, unwritable output).

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use corroborate::model::InputFormat;
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
        /// Report format: a terminal summary, JSON for other tools, JSON Lines (one object per
        /// article, story, group and error), or a self-contained web page. Default: from the
        /// extension of --output (.html, .json, .jsonl), else text.
        #[arg(short, long, value_enum)]
        format: Option<ReportFormat>,
        /// Write the report to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        layout: Layout,
        /// Colours in the terminal summary.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Show every alarm in the text and HTML reports, also those below confidence 0.5
        /// (JSON and JSON Lines always hold every group).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        knowledge: Knowledge,
    },
    /// Group articles into stories and list near-duplicate copies with the passages they share.
    Cluster {
        #[command(flatten)]
        inputs: Inputs,
        /// Output: readable text, JSON, or JSON Lines (one object per article, story and error).
        /// Default: from the extension of --output (.json, .jsonl), else text.
        #[arg(short, long, value_enum)]
        format: Option<ClusterFormat>,
        /// Write to this file instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        layout: Layout,
    },
    /// Work with knowledge-base files of dated office holders and events.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Print the text and metadata extracted from each article, to check or reuse extraction.
    Extract {
        #[command(flatten)]
        inputs: Inputs,
        /// Output: readable text, or JSON Lines with one object per article
        /// (url, title, byline, published, outlet, language, text). Default: from the extension
        /// of --output (.json, .jsonl), else text.
        #[arg(short, long, value_enum)]
        format: Option<ExtractFormat>,
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

/// How JSON is laid out.
#[derive(clap::Args)]
struct Layout {
    /// JSON on one line (the default when the output is not a terminal).
    #[arg(long, conflicts_with = "pretty")]
    compact: bool,
    /// Indented JSON (the default in a terminal).
    #[arg(long)]
    pretty: bool,
}

impl Layout {
    /// Pretty for a person at a terminal, compact for a file or a pipe, unless told.
    fn resolve(&self, output: Option<&PathBuf>) -> report::JsonLayout {
        let terminal = output.is_none() && std::io::stdout().is_terminal();
        if self.pretty || (terminal && !self.compact) {
            report::JsonLayout::Pretty
        } else {
            report::JsonLayout::Compact
        }
    }
}

/// Options shared by every command that reads articles.
#[derive(clap::Args)]
struct Inputs {
    /// Article files, folders (read recursively), http(s) URLs or - for standard input.
    #[arg(required_unless_present = "input_files", value_name = "PATH")]
    paths: Vec<String>,
    /// Also read the paths and URLs listed in FILE, one per line (# starts a comment).
    #[arg(short = 'i', long = "input-file", value_name = "FILE")]
    input_files: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Treat every input as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputKind>,
    /// Skip inputs larger than this many MiB (1 MiB = 1,048,576 bytes).
    #[arg(long, value_name = "MiB", default_value_t = 64)]
    max_size: u64,
    /// In folders, also read files matching this glob (relative to the folder; repeatable).
    /// By default a folder is searched for .txt .text .html .htm .xhtml .shtml .xml .rss .atom
    /// .json .jsonl .ndjson .warc .arc and .gz files; files named here are always read.
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In folders, skip files matching this glob (repeatable; wins over --include).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Print nothing on standard error but fatal errors: no progress, no skipped inputs (the
    /// exit status still says when some were skipped).
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each stage with the time it started, and a closing count.
    #[arg(short, long)]
    verbose: bool,
    /// Give up on an http(s) URL input after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    url_timeout: u64,
}

impl Inputs {
    /// The paths given, then those listed in each --input-file.
    fn all(&self) -> anyhow::Result<Vec<String>> {
        let mut paths = self.paths.clone();
        for list in &self.input_files {
            paths.extend(corroborate::read_input_list(list).map_err(anyhow::Error::new)?);
        }
        Ok(paths)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Jsonl,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClusterFormat {
    Text,
    Json,
    Jsonl,
}

/// The format named by an output file's extension (`.html`, `.json`, `.jsonl`, `.ndjson`,
/// `.txt`), when `-f` was not given; `None` for other extensions or no file.
fn format_of<F: ValueEnum>(output: Option<&PathBuf>) -> Option<F> {
    let extension = output?.extension()?.to_str()?.to_ascii_lowercase();
    let name = match extension.as_str() {
        "html" | "htm" => "html",
        "json" => "json",
        "jsonl" | "ndjson" => "jsonl",
        "txt" | "text" => "text",
        _ => return None,
    };
    F::from_str(name, true).ok()
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Text,
    /// JSON Lines (also chosen by -o FILE.jsonl).
    #[value(alias = "jsonl")]
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
        // The reader went away (`| head`): nothing is wrong, as in ripgrep.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corroborate: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The analysis of `paths` with progress on standard error and its provenance recorded.
fn analyze(
    inputs: &Inputs,
    paths: &[String],
    config: &Config,
    provenance: corroborate::model::Provenance,
) -> corroborate::model::Analysis {
    let feedback = Feedback::new(inputs);
    let mut analysis = corroborate::analyze_with_progress(paths, config, &feedback);
    analysis.provenance = Some(provenance);
    feedback.finish(&analysis.errors, config);
    analysis
}

/// Runs the command; `Ok(false)` means some inputs failed but output was written.
fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Analyze {
            inputs,
            format,
            output,
            layout,
            color,
            all,
            knowledge,
        } => {
            let paths = inputs.all()?;
            let provenance = corroborate::provenance(&paths, &knowledge.files);
            let mut config = config(&inputs)?;
            for file in &knowledge.files {
                let (kb, diagnostics) = corroborate::KnowledgeBase::load(file, knowledge.lenient)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                for d in diagnostics {
                    eprintln!("{d}");
                }
                config.kb.merge(kb);
            }
            let analysis = analyze(&inputs, &paths, &config, provenance);
            let format = format
                .or_else(|| format_of(output.as_ref()))
                .unwrap_or(ReportFormat::Text);
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
                    let text = report::text(&analysis, &report::TextOptions { color, all });
                    write_output(output.as_ref(), text.as_bytes())?;
                }
                ReportFormat::Json => {
                    // Streamed: the JSON of a large run is hundreds of megabytes.
                    let layout = layout.resolve(output.as_ref());
                    stream_output(output.as_ref(), |out| {
                        report::write_json(&analysis, out, layout)
                    })?;
                }
                ReportFormat::Jsonl => {
                    stream_output(output.as_ref(), |out| report::write_jsonl(&analysis, out))?;
                }
                ReportFormat::Html => {
                    write_output(
                        output.as_ref(),
                        report::html(&analysis, &report::HtmlOptions { all }).as_bytes(),
                    )?;
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
            layout,
        } => {
            let paths = inputs.all()?;
            let provenance = corroborate::provenance(&paths, &[]);
            let config = config(&inputs)?;
            let analysis = analyze(&inputs, &paths, &config, provenance);
            let format = format
                .or_else(|| format_of(output.as_ref()))
                .unwrap_or(ClusterFormat::Text);
            match format {
                ClusterFormat::Text => {
                    write_output(output.as_ref(), report::stories_text(&analysis).as_bytes())?
                }
                ClusterFormat::Json => {
                    let layout = layout.resolve(output.as_ref());
                    stream_output(output.as_ref(), |out| {
                        report::write_stories_json(&analysis, out, layout)
                    })?
                }
                ClusterFormat::Jsonl => stream_output(output.as_ref(), |out| {
                    report::write_stories_jsonl(&analysis, out)
                })?,
            }
            if analysis.articles.is_empty() {
                anyhow::bail!("no article could be read");
            }
            Ok(analysis.errors.is_empty())
        }
        Command::Serve(args) => corroborate_server::run(args)
            .map(|()| true)
            .map_err(|e| anyhow::anyhow!(e)),
        Command::Kb(KbCommand::Check { file }) => {
            let diagnostics = corroborate::kb::check(&file);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == corroborate::kb::Severity::Error)
                .count();
            stream_output(None, |out| {
                for d in &diagnostics {
                    writeln!(out, "{d}")?;
                }
                writeln!(
                    out,
                    "{}: {errors} error(s), {} warning(s)",
                    file.display(),
                    diagnostics.len() - errors
                )
            })?;
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
            let paths = inputs.all()?;
            let config = config(&inputs)?;
            let format = format
                .or_else(|| format_of(output.as_ref()))
                .unwrap_or(ExtractFormat::Text);
            let mut out = open_output(output.as_ref())?;
            let feedback = Feedback::new(&inputs);
            let (mut read, mut skipped) = (0, Vec::new());
            let mut write_error = None;
            corroborate::extract_each(&paths, &config, |result| {
                match result {
                    Ok(article) if write_error.is_none() => {
                        read += 1;
                        let written = match format {
                            ExtractFormat::Json => {
                                writeln!(out, "{}", report::extracted_json(&article))
                            }
                            ExtractFormat::Text => {
                                write!(out, "{}", report::extracted_text(&article))
                            }
                        };
                        if let Err(e) = written {
                            write_error = Some(e);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => skipped.push(e),
                }
                corroborate::Progress::read(&feedback, read, skipped.len());
            });
            feedback.finish(&skipped, &config);
            let failed = !skipped.is_empty();
            if let Some(e) = write_error {
                return Err(anyhow::Error::new(e).context("cannot write output"));
            }
            out.flush().context("cannot write output")?;
            if read == 0 {
                anyhow::bail!("no article could be read");
            }
            Ok(!failed)
        }
    }
}

/// What a run shows on standard error: a progress line while it reads and analyses (on a
/// terminal, unless --quiet), each stage with its start time (--verbose), then every skipped
/// input with the reason (unless --quiet).
struct Feedback {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    verbose: bool,
    started: std::time::Instant,
}

impl Feedback {
    fn new(inputs: &Inputs) -> Self {
        let bar = (!inputs.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {msg}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar.set_message("reading");
            bar
        });
        Self {
            bar,
            quiet: inputs.quiet,
            verbose: inputs.verbose,
            started: std::time::Instant::now(),
        }
    }

    /// Prints a line on standard error without tearing the progress line.
    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Clears the progress line, then names every input that was skipped and why, and what
    /// containers skipped on purpose.
    fn finish(&self, errors: &[corroborate::model::InputError], config: &Config) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.quiet {
            return;
        }
        for error in errors {
            eprintln!("skipped {}: {}", error.source, error.reason);
        }
        if let Some(summary) = config.ingest.stats.summary() {
            eprintln!("{summary}");
        }
        if self.verbose {
            eprintln!(
                "done in {:.1} s, {} skipped",
                self.started.elapsed().as_secs_f64(),
                errors.len()
            );
        }
    }
}

impl corroborate::Progress for Feedback {
    fn read(&self, articles: usize, skipped: usize) {
        if let Some(bar) = &self.bar {
            let noun = if articles == 1 { "article" } else { "articles" };
            bar.set_message(format!("{articles} {noun} read, {skipped} skipped"));
        }
    }

    fn stage(&self, name: &str) {
        if self.verbose {
            self.say(&format!(
                "[{:.1} s] {name}",
                self.started.elapsed().as_secs_f64()
            ));
        }
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
        }
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
    config.ingest.files = corroborate::FileFilter::new(&inputs.include, &inputs.exclude)
        .context("bad --include or --exclude glob")?;
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
    stream_output(path, |out| out.write_all(bytes))
}

/// Runs `write` on the output and flushes it; a write error keeps its `io::Error`, so a closed
/// pipe can be told apart.
fn stream_output(
    path: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = open_output(path)?;
    write(&mut out)
        .and_then(|()| out.flush())
        .context("cannot write output")
}
