//! Reads the user's inputs into [`RawDocument`]s, one per article.
//!
//! [`open`] takes inputs as given on the command line — files, directories (walked recursively
//! in sorted order, hidden entries skipped), `-` for standard input, `http(s)://` URLs — and
//! returns a lazy iterator of documents. Every input becomes a byte stream
//! ([`std::io::BufRead`]); a gzip stream (recognised by its magic bytes) is decompressed on the
//! fly; then the content decides what happens ([`detect_format`], or [`IngestOptions::format`]):
//!
//! * a WARC file is *streamed* record by record ([`warc`]): a 1 GB crawl never sits in memory,
//!   only one record at a time does;
//! * an RSS/Atom feed is split into one document per item ([`feed`]);
//! * JSON / JSON Lines article records become one document per record ([`records`]);
//! * anything else (HTML, plain text) is one document.
//!
//! Documents from containers carry what the container said in [`RecordMetadata`] and their
//! index in [`SourceRef::record`]. A problem with one input or one record (unreadable, too large,
//! truncated gzip, corrupt WARC record, HTTP 404) becomes an [`InputError`] item in the stream,
//! so the rest of a batch is still read. What is not an article is skipped silently and counted
//! in [`IngestStats`]: WARC records other than responses, responses with a status other than
//! 2xx or a payload other than HTML, files of a folder without an article extension
//! ([`FileFilter`]), reports corroborate wrote, and links that leave the folder.
//!
//! ```no_run
//! use corroborate_ingest::{open, IngestOptions};
//! for item in open(&["articles/".to_string()], &IngestOptions::default()) {
//!     match item {
//!         Ok(doc) => println!("{} ({} bytes)", doc.source, doc.bytes.len()),
//!         Err(e) => eprintln!("skipped {e}"),
//!     }
//! }
//! ```

pub mod feed;
pub mod fetch;
pub mod records;
pub mod warc;

use corroborate_model::{InputError, InputFormat, RawDocument, RecordMetadata, SourceRef};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Force this format instead of detecting it from the content.
    pub format: Option<InputFormat>,
    /// Documents (a file, a decompressed file, one WARC record, a fetched page) larger than this
    /// many bytes are rejected with an error. A WARC file as a whole is not limited: it streams.
    pub max_bytes: u64,
    /// Whole-request time limit for an `http(s)://` input (connect, redirects and body).
    pub url_timeout: Duration,
    /// How many redirects a URL input may follow.
    pub max_redirects: u32,
    /// Which files of a folder are read (files named on the command line always are).
    pub files: FileFilter,
    /// Counters of what was skipped on purpose, shared so the caller can report them after the run.
    pub stats: Arc<IngestStats>,
}

/// The extensions of files a folder is searched for: text, web pages, feeds, article records,
/// crawl files, and any of these gzipped (`.gz`, which covers `.warc.gz`).
pub const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "shtml", "xml", "rss", "atom", "json", "jsonl",
    "ndjson", "warc", "arc", "gz",
];

/// Which files of a folder look like articles: an extension of [`ARTICLE_EXTENSIONS`] (any
/// case) or an `include` glob, and no `exclude` glob. Globs match the path relative to the
/// folder given (`*.md` matches at any depth; `drafts/**` one subfolder).
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    include: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl FileFilter {
    /// A filter from `--include` and `--exclude` globs.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, globset::Error> {
        let set = |globs: &[String]| {
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                builder.add(globset::Glob::new(glob)?);
            }
            builder.build()
        };
        Ok(Self {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Whether a folder's file at `relative` (its path inside the folder) is read.
    pub fn reads(&self, relative: &Path) -> bool {
        if self.exclude.is_match(relative) {
            return false;
        }
        let article = relative
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        article || self.include.is_match(relative)
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            format: None,
            max_bytes: 256 * 1024 * 1024,
            url_timeout: Duration::from_secs(30),
            max_redirects: 5,
            files: FileFilter::default(),
            stats: Arc::default(),
        }
    }
}

/// What the readers skipped because it was not an article (not errors).
#[derive(Debug, Default)]
pub struct IngestStats {
    /// WARC records of other types than `response` (request, metadata, warcinfo, ...).
    pub warc_non_response: AtomicU64,
    /// WARC responses whose payload is not HTML (images, scripts, redirects without a body).
    pub warc_non_html: AtomicU64,
    /// WARC responses with a status other than 2xx (404 pages, redirects, server errors).
    pub warc_not_ok: AtomicU64,
    /// Files in folders that do not look like articles ([`FileFilter`]).
    pub not_articles: AtomicU64,
    /// Reports corroborate wrote itself (JSON, JSON Lines, HTML).
    pub own_reports: AtomicU64,
    /// Symbolic links in folders that lead out of the folder or to another folder.
    pub links_not_followed: AtomicU64,
}

impl IngestStats {
    /// A one-line summary of what was skipped, or `None` when nothing was.
    pub fn summary(&self) -> Option<String> {
        let parts: Vec<String> = [
            (
                &self.not_articles,
                "files that do not look like articles (see --include)",
            ),
            (&self.own_reports, "reports written by corroborate"),
            (
                &self.links_not_followed,
                "symbolic links that leave the folder or lead to a folder",
            ),
            (
                &self.warc_non_response,
                "WARC records that are not responses",
            ),
            (
                &self.warc_not_ok,
                "WARC responses with a status other than 2xx",
            ),
            (&self.warc_non_html, "non-HTML WARC responses"),
        ]
        .into_iter()
        .filter_map(|(count, what)| {
            let n = count.load(Ordering::Relaxed);
            (n > 0).then(|| format!("{n} {what}"))
        })
        .collect();
        (!parts.is_empty()).then(|| format!("skipped {}", parts.join(", ")))
    }
}

/// A lazily read stream of documents or errors.
pub type Documents<'a> = Box<dyn Iterator<Item = Result<RawDocument, InputError>> + 'a>;

/// A byte stream of one input.
pub(crate) type Input = Box<dyn BufRead + Send>;

/// Opens `inputs` and streams their documents, in input order (directory entries sorted).
pub fn open<'a>(
    inputs: &'a [String],
    options: &'a IngestOptions,
) -> impl Iterator<Item = Result<RawDocument, InputError>> + 'a {
    inputs.iter().flat_map(move |input| expand(input, options))
}

/// Streams the documents of one already-open input (bytes in memory, a socket, a pipe) exactly as
/// [`open`] would for a file named `source`: gzip, WARC, feeds and JSON records included.
pub fn read<'a>(
    source: &str,
    reader: impl BufRead + Send + 'static,
    options: &'a IngestOptions,
) -> Documents<'a> {
    read_stream(source.to_string(), Box::new(reader), options)
}

/// The inputs listed in a file (as `-i urls.txt` gives them): one path or URL per line, blank
/// lines and lines starting with `#` ignored, surrounding whitespace trimmed.
pub fn read_input_list(path: &Path) -> Result<Vec<String>, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(path.display(), format!("cannot read the input list: {e}")))?;
    Ok(parse_input_list(&text))
}

fn parse_input_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim_start_matches('\u{feff}').trim())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// One command-line input as a stream of documents.
fn expand<'a>(input: &str, options: &'a IngestOptions) -> Documents<'a> {
    if input == "-" {
        let stdin: Input = Box::new(BufReader::new(std::io::stdin()));
        return read_stream("-".to_string(), stdin, options);
    }
    if fetch::is_url(input) {
        return match fetch::get(input, options) {
            Ok((body, charset)) => {
                let url = input.to_string();
                Box::new(
                    read_stream(input.to_string(), body, options).map(move |item| {
                        item.map(|mut doc| {
                            if doc.source.record.is_none() {
                                doc.metadata.url.get_or_insert_with(|| url.clone());
                                if doc.metadata.charset.is_none() {
                                    doc.metadata.charset = charset.clone();
                                }
                            }
                            doc
                        })
                    }),
                )
            }
            Err(e) => one(Err(e)),
        };
    }
    let path = Path::new(input);
    if path.is_dir() {
        let root = input.to_string();
        // Links are resolved by hand: followed only to files inside the folder.
        let inside = std::fs::canonicalize(path).ok();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        let stats = &options.stats;
        let base = path.to_path_buf();
        return Box::new(walk.flat_map(move |entry| -> Documents<'a> {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => Box::new(std::iter::empty()),
                Ok(entry) => {
                    let relative = entry.path().strip_prefix(&base).unwrap_or(entry.path());
                    if !options.files.reads(relative) {
                        stats.not_articles.fetch_add(1, Ordering::Relaxed);
                        return Box::new(std::iter::empty());
                    }
                    if entry.path_is_symlink() {
                        // A dangling link is read, so that it is reported as unreadable.
                        let leaves = match (std::fs::canonicalize(entry.path()), &inside) {
                            (Ok(target), Some(root)) => {
                                !target.starts_with(root) || target.is_dir()
                            }
                            _ => false,
                        };
                        if leaves {
                            stats.links_not_followed.fetch_add(1, Ordering::Relaxed);
                            return Box::new(std::iter::empty());
                        }
                    }
                    read_file(&entry.path().display().to_string(), options)
                }
                Err(e) => {
                    let source = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| root.clone());
                    one(Err(InputError::new(
                        source,
                        format!("cannot read: {}", io_reason(&e)),
                    )))
                }
            }
        }));
    }
    read_file(input, options)
}

fn one<'a>(item: Result<RawDocument, InputError>) -> Documents<'a> {
    Box::new(std::iter::once(item))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn io_reason(e: &walkdir::Error) -> String {
    e.io_error()
        .map(|io| io.to_string())
        .unwrap_or_else(|| e.to_string())
}

/// Opens one file as a stream. A plain (uncompressed, non-WARC) file over the size limit is
/// refused before it is read.
fn read_file<'a>(path: &str, options: &'a IngestOptions) -> Documents<'a> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return one(Err(InputError::new(path, format!("cannot open: {e}")))),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader: Input = Box::new(BufReader::with_capacity(64 * 1024, file));
    if len > options.max_bytes {
        let head = match peek(&mut reader, 8) {
            Ok(head) => head,
            Err(e) => return one(Err(InputError::new(path, format!("cannot read: {e}")))),
        };
        let streamable = head.starts_with(&GZIP_MAGIC)
            || head.starts_with(b"WARC/")
            || options.format == Some(InputFormat::Warc);
        if !streamable {
            return one(Err(too_large(path, len, options.max_bytes)));
        }
    }
    read_stream(path.to_string(), reader, options)
}

/// The size unit of `--max-size` and of every message about sizes.
pub(crate) const MIB: u64 = 1024 * 1024;

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Returns up to `n` leading bytes of `reader` without consuming them.
fn peek(reader: &mut Input, n: usize) -> std::io::Result<Vec<u8>> {
    loop {
        let available = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        return Ok(available[..available.len().min(n)].to_vec());
    }
}

/// Reads one input stream: decompresses gzip, streams WARC, splits feeds and JSON records.
pub(crate) fn read_stream<'a>(
    source: String,
    mut reader: Input,
    options: &'a IngestOptions,
) -> Documents<'a> {
    let head = match peek(&mut reader, 8) {
        Ok(head) => head,
        Err(e) => return one(Err(InputError::new(&source, format!("cannot read: {e}")))),
    };
    if head.starts_with(&GZIP_MAGIC) {
        reader = Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(reader),
        ));
    }
    let head = match peek(&mut reader, 1024) {
        Ok(head) => head,
        Err(e) => return one(Err(read_error(&source, &e))),
    };
    if written_by_corroborate(&head) {
        options.stats.own_reports.fetch_add(1, Ordering::Relaxed);
        return Box::new(std::iter::empty());
    }
    let is_warc = match options.format {
        Some(format) => format == InputFormat::Warc,
        None => head.starts_with(b"WARC/"),
    };
    if is_warc {
        return Box::new(warc::Records::new(source, reader, options));
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let json_lines = match options.format {
        Some(format) => format == InputFormat::JsonRecords && first == Some(b'{'),
        None => first == Some(b'{'),
    };
    if json_lines {
        return records::json_lines(source, reader, options);
    }
    let mut bytes = Vec::new();
    let limit = options.max_bytes.saturating_add(1);
    if let Err(e) = reader.take(limit).read_to_end(&mut bytes) {
        return one(Err(read_error(&source, &e)));
    }
    if bytes.len() as u64 > options.max_bytes {
        return one(Err(too_large(
            &source,
            bytes.len() as u64,
            options.max_bytes,
        )));
    }
    split(SourceRef::file(source), bytes, options)
}

/// Whether `head`, the start of an input, is a report corroborate wrote: the HTML report's
/// generator meta tag, or a JSON or JSON Lines report opening with its schema version.
fn written_by_corroborate(head: &[u8]) -> bool {
    if find_bytes(head, b"<meta name=\"generator\" content=\"corroborate ").is_some() {
        return true;
    }
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .take(40)
        .collect();
    compact.starts_with(b"{\"schema_version\":\"")
        || compact.starts_with(b"{\"type\":\"run\",\"schema_version\":\"")
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Turns a read error into words: a gzip stream that ends early says so.
fn read_error(source: &str, e: &std::io::Error) -> InputError {
    let reason = match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "truncated: the compressed data ends early (incomplete download?)".to_string()
        }
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            format!("corrupt compressed data: {e}")
        }
        std::io::ErrorKind::TimedOut => format!("timed out: {e}"),
        _ => format!("cannot read: {e}"),
    };
    InputError::new(source, reason)
}

fn too_large(source: impl std::fmt::Display, len: u64, max: u64) -> InputError {
    InputError::new(
        source,
        format!(
            "too large ({} MiB or more; the limit is {} MiB, see --max-size)",
            len / MIB,
            max / MIB
        ),
    )
}

/// Splits a whole input held in memory: a feed or a JSON array into its records, anything else
/// into one document.
fn split<'a>(source: SourceRef, bytes: Vec<u8>, options: &'a IngestOptions) -> Documents<'a> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return one(Err(InputError::new(&source, "empty file")));
    }
    let format = options.format.unwrap_or_else(|| detect_format(&bytes));
    match format {
        InputFormat::Feed => Box::new(feed::items(&source.path, &bytes).into_iter()),
        InputFormat::JsonRecords => Box::new(records::json_document(&source.path, &bytes)),
        InputFormat::Warc => Box::new(warc::Records::new(
            source.path,
            Box::new(std::io::Cursor::new(bytes)),
            options,
        )),
        InputFormat::Html | InputFormat::PlainText => one(Ok(RawDocument {
            source,
            format,
            bytes,
            metadata: RecordMetadata::default(),
        })),
    }
}

/// Guesses the format of `bytes` from their first kilobytes.
pub fn detect_format(bytes: &[u8]) -> InputFormat {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let trimmed = &head[start..];
    let lower: Vec<u8> = trimmed.iter().map(u8::to_ascii_lowercase).collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if trimmed.starts_with(b"WARC/") {
        InputFormat::Warc
    } else if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        InputFormat::JsonRecords
    } else if lower.starts_with(b"<")
        && (contains(b"<rss") || contains(b"<feed") || contains(b"<rdf:rdf"))
    {
        InputFormat::Feed
    } else if lower.starts_with(b"<") && (contains(b"<html") || contains(b"<!doctype html"))
        || contains(b"<body")
        || contains(b"<p>")
        || contains(b"<head")
    {
        InputFormat::Html
    } else {
        InputFormat::PlainText
    }
}

/// Guesses whether a payload without a declared type is HTML (for WARC records and URLs).
pub(crate) fn looks_like_html(bytes: &[u8]) -> bool {
    detect_format(bytes) == InputFormat::Html
}

#[cfg(test)]
mod tests;
