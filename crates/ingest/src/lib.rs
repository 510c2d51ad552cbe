//! Reads the user's inputs into [`RawDocument`]s, one per article.
//!
//! [`open`] takes inputs as given on the command line — files, directories (walked recursively
//! in sorted order, hidden entries skipped), `-` for standard input — and returns a lazy
//! iterator of documents. [`detect_format`] sniffs what each one holds. A problem with one
//! input (unreadable, too large, empty) becomes an [`InputError`] item in the stream, so the
//! rest of a batch is still read.
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

use corroborate_model::{InputError, InputFormat, RawDocument, RecordMetadata, SourceRef};
use std::io::Read;
use std::path::Path;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Force this format instead of detecting it from the content.
    pub format: Option<InputFormat>,
    /// Inputs larger than this many bytes are rejected with an error.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            format: None,
            max_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Opens `inputs` and streams their documents, in input order (directory entries sorted).
pub fn open<'a>(
    inputs: &'a [String],
    options: &'a IngestOptions,
) -> impl Iterator<Item = Result<RawDocument, InputError>> + 'a {
    inputs.iter().flat_map(move |input| expand(input, options))
}

/// One command-line input as a stream of documents.
fn expand<'a>(
    input: &str,
    options: &'a IngestOptions,
) -> Box<dyn Iterator<Item = Result<RawDocument, InputError>> + 'a> {
    if input == "-" {
        let mut bytes = Vec::new();
        let limit = options.max_bytes.saturating_add(1);
        let result = std::io::stdin().lock().take(limit).read_to_end(&mut bytes);
        return Box::new(std::iter::once(
            result
                .map_err(|e| InputError::new("-", format!("cannot read standard input: {e}")))
                .and_then(|_| document(SourceRef::file("-"), bytes, options)),
        ));
    }
    let path = Path::new(input);
    if path.is_dir() {
        let root = input.to_string();
        let walk = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        return Box::new(walk.filter_map(move |entry| match entry {
            Ok(entry) if entry.file_type().is_file() => {
                Some(read_file(&entry.path().display().to_string(), options))
            }
            Ok(_) => None,
            Err(e) => {
                let source = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.clone());
                Some(Err(InputError::new(
                    source,
                    format!("cannot read: {}", io_reason(&e)),
                )))
            }
        }));
    }
    Box::new(std::iter::once(read_file(input, options)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn io_reason(e: &walkdir::Error) -> String {
    e.io_error()
        .map(|io| io.to_string())
        .unwrap_or_else(|| e.to_string())
}

/// Reads one file, refusing files over the size limit before reading them.
fn read_file(path: &str, options: &IngestOptions) -> Result<RawDocument, InputError> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::new(path, format!("cannot open: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| InputError::new(path, format!("cannot read: {e}")))?
        .len();
    if len > options.max_bytes {
        return Err(too_large(path, len, options.max_bytes));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(options.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    document(SourceRef::file(path), bytes, options)
}

fn too_large(source: impl std::fmt::Display, len: u64, max: u64) -> InputError {
    InputError::new(
        source,
        format!(
            "file is too large ({} MB; the limit is {} MB, see --max-size)",
            len / 1_000_000,
            max / 1_000_000
        ),
    )
}

/// Wraps bytes read from `source` as a document after the checks every input gets.
fn document(
    source: SourceRef,
    bytes: Vec<u8>,
    options: &IngestOptions,
) -> Result<RawDocument, InputError> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(too_large(&source, bytes.len() as u64, options.max_bytes));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::new(&source, "empty file"));
    }
    let format = options.format.unwrap_or_else(|| detect_format(&bytes));
    Ok(RawDocument {
        source,
        format,
        bytes,
        metadata: RecordMetadata::default(),
    })
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
    } else if lower.starts_with(b"<") && (contains(b"<rss") || contains(b"<feed")) {
        InputFormat::Feed
    } else if lower.starts_with(b"<") && (contains(b"<html") || contains(b"<!doctype html"))
        || contains(b"<body")
        || contains(b"<p>")
    {
        InputFormat::Html
    } else {
        InputFormat::PlainText
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn collect(inputs: &[String]) -> Vec<Result<RawDocument, InputError>> {
        open(inputs, &IngestOptions::default()).collect()
    }

    #[test]
    fn directories_are_walked_in_order_and_bad_entries_do_not_stop_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("b.txt"), "Second article.").unwrap();
        fs::write(dir.path().join("sub/a.txt"), "Nested article.").unwrap();
        fs::write(dir.path().join("empty.txt"), "  \n").unwrap();
        fs::write(dir.path().join(".hidden"), "skipped").unwrap();
        let items = collect(&[dir.path().display().to_string()]);
        let names: Vec<String> = items
            .iter()
            .map(|r| match r {
                Ok(d) => d.source.path.clone(),
                Err(e) => format!("error {}: {}", e.source, e.reason),
            })
            .map(|s| s.replace(&dir.path().display().to_string(), ""))
            .collect();
        assert_eq!(
            names,
            vec!["/b.txt", "error /empty.txt: empty file", "/sub/a.txt"]
        );
    }

    #[test]
    fn missing_and_oversized_files_are_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        fs::write(&big, "x".repeat(2000)).unwrap();
        let options = IngestOptions {
            max_bytes: 1000,
            ..Default::default()
        };
        let inputs = vec![big.display().to_string(), "/no/such/file.txt".to_string()];
        let items: Vec<_> = open(&inputs, &options).collect();
        let errors: Vec<String> = items
            .into_iter()
            .map(|r| r.unwrap_err().to_string())
            .collect();
        assert!(
            errors[0].contains("big.txt: file is too large"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("/no/such/file.txt: cannot open"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn formats_are_detected_from_content() {
        assert_eq!(detect_format(b"Headline\n\nBody."), InputFormat::PlainText);
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF <!DOCTYPE html><html>"),
            InputFormat::Html
        );
        assert_eq!(
            detect_format(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            InputFormat::Feed
        );
        assert_eq!(detect_format(b"WARC/1.1\r\n"), InputFormat::Warc);
        assert_eq!(detect_format(b"{\"title\": 1}"), InputFormat::JsonRecords);
    }
}
