//! WARC files (ISO 28500, as Common Crawl and its news crawl write them), streamed record by
//! record.
//!
//! [`Records`] reads a record header, then exactly `Content-Length` bytes of block, then the
//! `\r\n\r\n` that ends every record, so only one record is ever held in memory. `response`
//! records whose HTTP payload is HTML become documents, with the target URI, the HTTP
//! `Content-Type` charset as [`RecordMetadata`]; other records are skipped and
//! counted in [`crate::IngestStats`]. The WARC date is the
//! crawl time, not the publication time, so it is not passed on as the article's date.
//!
//! This reader is our own rather than the `warc` crate's because what matters at crawl scale is
//! what happens after a bad record: here a corrupt header or a block that does not end where its
//! length says yields one [`InputError`] naming the record, and reading resumes at the next line
//! that starts a record (`WARC/1.`), also when that line hides inside an overlong block.

use crate::{IngestOptions, Input};
use corroborate_model::{InputError, InputFormat, RawDocument, RecordMetadata, SourceRef};
use std::io::{BufRead, Read};
use std::sync::atomic::Ordering;

/// Longest header line accepted; longer means we are not looking at a WARC header.
const MAX_HEADER_LINE: u64 = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADER_LINES: usize = 512;

/// Iterator over the HTML documents of one WARC stream.
pub struct Records<'a> {
    source: String,
    reader: Option<Input>,
    options: &'a IngestOptions,
    /// Index of the next record in the file (every record counts, skipped or not).
    index: u64,
    /// After an error, skip lines until the next record start.
    resync: bool,
    /// Set after an unrecoverable read error.
    ended: bool,
}

impl<'a> Records<'a> {
    /// Streams the records of `reader`, naming them `source#index`.
    pub fn new(source: String, reader: Input, options: &'a IngestOptions) -> Self {
        Self {
            source,
            reader: Some(reader),
            options,
            index: 0,
            resync: false,
            ended: false,
        }
    }

    fn record_source(&self, index: u64) -> SourceRef {
        SourceRef {
            path: self.source.clone(),
            record: Some(index),
        }
    }
}

/// One parsed WARC header.
#[derive(Debug, Default)]
struct Header {
    record_type: String,
    content_length: Option<u64>,
    target_uri: Option<String>,
    content_type: Option<String>,
}

/// What reading one record gave.
enum Step {
    Document(RawDocument),
    Skipped,
    Error(InputError),
    End,
}

impl Iterator for Records<'_> {
    type Item = Result<RawDocument, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.step() {
                Step::Document(doc) => return Some(Ok(doc)),
                Step::Skipped => continue,
                Step::Error(e) => return Some(Err(e)),
                Step::End => {
                    self.reader = None;
                    return None;
                }
            }
        }
    }
}

impl Records<'_> {
    fn step(&mut self) -> Step {
        let Some(mut reader) = self.reader.take().filter(|_| !self.ended) else {
            return Step::End;
        };
        let index = self.index;
        let result = self.read_record(&mut reader, index);
        self.reader = Some(reader);
        result
    }

    fn read_record(&mut self, reader: &mut Input, index: u64) -> Step {
        // Find the version line, skipping blank lines (and, after an error, anything else).
        let mut line = Vec::new();
        loop {
            line.clear();
            match read_line(reader, &mut line) {
                Ok(0) => return Step::End,
                Ok(_) => {}
                Err(e) => return self.broken(index, &e),
            }
            if line.starts_with(b"WARC/") {
                break;
            }
            // A record start behind stray bytes on the same line (damage just before it).
            if let Some(at) = find(&line, b"WARC/1.") {
                line.drain(..at);
                break;
            }
            if self.resync || trim(&line).is_empty() {
                continue;
            }
            self.resync = true;
            return self.fail(
                index,
                "corrupt record: expected a WARC header line (WARC/1.x)".to_string(),
            );
        }
        self.resync = false;
        self.index += 1;
        let header = match read_header(reader) {
            Ok(header) => header,
            Err(HeaderError::Io(e)) => return self.broken(index, &e),
            Err(HeaderError::Format(reason)) => {
                self.resync = true;
                return self.fail(index, format!("corrupt record header: {reason}"));
            }
        };
        let Some(length) = header.content_length else {
            self.resync = true;
            return self.fail(index, "corrupt record: no Content-Length".to_string());
        };
        let wanted = header.record_type.eq_ignore_ascii_case("response")
            || header.record_type.eq_ignore_ascii_case("resource");
        if !wanted {
            self.options
                .stats
                .warc_non_response
                .fetch_add(1, Ordering::Relaxed);
            return match skip(reader, length) {
                Ok(()) => self.end_of_record(reader, index, Step::Skipped),
                Err(e) => self.broken(index, &e),
            };
        }
        if length > self.options.max_bytes {
            let step = Step::Error(InputError::new(
                self.record_source(index),
                format!(
                    "record too large ({} MiB; the limit is {} MiB, see --max-size)",
                    length / crate::MIB,
                    self.options.max_bytes / crate::MIB
                ),
            ));
            return match skip(reader, length) {
                Ok(()) => self.end_of_record(reader, index, step),
                Err(e) => self.broken(index, &e),
            };
        }
        let mut block = Vec::with_capacity(length.min(16 * 1024 * 1024) as usize);
        match reader.by_ref().take(length).read_to_end(&mut block) {
            Ok(n) if (n as u64) < length => {
                return self.fail(
                    index,
                    format!("truncated record: {n} of {length} bytes before the end of the file"),
                );
            }
            Ok(_) => {}
            Err(e) => return self.broken(index, &e),
        }
        // A block that swallowed the next record's header means the length was wrong: report
        // this record and re-read from where the next one starts.
        if let Some(at) = find(&block, b"\r\n\r\nWARC/1.")
            && !trailer_follows(reader)
        {
            let rest = block.split_off(at + 4);
            let old = std::mem::replace(reader, Box::new(std::io::empty()));
            *reader = Box::new(std::io::Cursor::new(rest).chain(old));
            return Step::Error(InputError::new(
                self.record_source(index),
                "corrupt record: its Content-Length runs into the next record",
            ));
        }
        let step = self.document(index, &header, block);
        self.end_of_record(reader, index, step)
    }

    /// Checks the blank lines that end a record; if they are missing, the record is reported
    /// (its length was wrong) and the next read resynchronises.
    fn end_of_record(&mut self, reader: &mut Input, index: u64, step: Step) -> Step {
        let mut trailer = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            match reader.read(&mut trailer[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.broken(index, &e),
            }
        }
        let fine = got == 0 || trailer[..got].iter().all(|b| *b == b'\r' || *b == b'\n');
        if fine {
            step
        } else {
            self.resync = true;
            self.fail(
                index,
                "corrupt record: it does not end where its Content-Length says".to_string(),
            )
        }
    }

    /// An I/O or decompression error: the stream cannot go on (a broken gzip stream repeats
    /// its error forever), so it is reported once and reading this input ends.
    fn broken(&mut self, index: u64, e: &std::io::Error) -> Step {
        self.ended = true;
        self.fail(index, crate::read_error(&self.source, e).reason)
    }

    fn fail(&mut self, index: u64, reason: String) -> Step {
        Step::Error(InputError::new(self.record_source(index), reason))
    }

    /// Turns a response block into a document when its payload is HTML.
    fn document(&self, index: u64, header: &Header, block: Vec<u8>) -> Step {
        let is_http = header
            .content_type
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().contains("application/http"));
        let (content_type, payload) = if is_http {
            match http_payload(block) {
                Ok((status, _, _)) if !(200..300).contains(&status) => {
                    self.options
                        .stats
                        .warc_not_ok
                        .fetch_add(1, Ordering::Relaxed);
                    return Step::Skipped;
                }
                Ok((_, content_type, payload)) => (content_type, payload),
                Err(reason) => {
                    return Step::Error(InputError::new(
                        self.record_source(index),
                        format!("corrupt HTTP response: {reason}"),
                    ));
                }
            }
        } else {
            (header.content_type.clone(), block)
        };
        let html = match &content_type {
            Some(t) => {
                let t = t.to_ascii_lowercase();
                t.contains("html") || (t.is_empty() && crate::looks_like_html(&payload))
            }
            None => crate::looks_like_html(&payload),
        };
        if !html || payload.iter().all(u8::is_ascii_whitespace) {
            self.options
                .stats
                .warc_non_html
                .fetch_add(1, Ordering::Relaxed);
            return Step::Skipped;
        }
        Step::Document(RawDocument {
            source: self.record_source(index),
            format: self
                .options
                .format
                .filter(|f| *f != InputFormat::Warc)
                .unwrap_or(InputFormat::Html),
            bytes: payload,
            metadata: RecordMetadata {
                url: header.target_uri.clone(),
                charset: content_type.as_deref().and_then(charset_of),
                ..RecordMetadata::default()
            },
        })
    }
}

/// Reads one line (up to and including `\n`), refusing absurdly long ones.
fn read_line(reader: &mut Input, line: &mut Vec<u8>) -> std::io::Result<usize> {
    reader
        .by_ref()
        .take(MAX_HEADER_LINE)
        .read_until(b'\n', line)
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end.max(start)]
}

/// Why a header could not be read.
enum HeaderError {
    /// The stream itself failed.
    Io(std::io::Error),
    /// The bytes are not a WARC header.
    Format(String),
}

/// Reads `Name: value` lines up to the blank line that ends a WARC header.
fn read_header(reader: &mut Input) -> Result<Header, HeaderError> {
    read_header_lines(reader).map_err(|e| match e {
        Ok(io) => HeaderError::Io(io),
        Err(reason) => HeaderError::Format(reason),
    })
}

fn read_header_lines(reader: &mut Input) -> Result<Header, Result<std::io::Error, String>> {
    let mut header = Header::default();
    let mut line = Vec::new();
    for _ in 0..MAX_HEADER_LINES {
        line.clear();
        let n = read_line(reader, &mut line).map_err(Ok)?;
        if n == 0 {
            return Err(Err("the file ends inside the header".to_string()));
        }
        let text = String::from_utf8_lossy(trim(&line)).into_owned();
        if text.is_empty() {
            return Ok(header);
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(Err(format!("not a header line: {:?}", truncate(&text, 60))));
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => header.record_type = value,
            "content-length" => {
                header.content_length =
                    Some(value.parse().map_err(|_| {
                        Err(format!("bad Content-Length {:?}", truncate(&value, 30)))
                    })?);
            }
            "warc-target-uri" => {
                header.target_uri = Some(
                    value
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string(),
                );
            }
            "content-type" => header.content_type = Some(value),
            _ => {}
        }
    }
    Err(Err("too many header lines".to_string()))
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Discards `length` bytes.
fn skip(reader: &mut Input, length: u64) -> std::io::Result<()> {
    let copied = std::io::copy(&mut reader.by_ref().take(length), &mut std::io::sink())?;
    if copied < length {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the file ends inside a record",
        ));
    }
    Ok(())
}

/// Whether the next bytes are the `\r\n` that ends a record (peeked, not consumed).
fn trailer_follows(reader: &mut Input) -> bool {
    reader
        .fill_buf()
        .is_ok_and(|buf| buf.is_empty() || buf.starts_with(b"\r\n") || buf.starts_with(b"\n"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Splits an HTTP response into its `Content-Type` and its decoded body (de-chunked and
/// gunzipped when the headers say so).
fn http_payload(block: Vec<u8>) -> Result<(u16, Option<String>, Vec<u8>), String> {
    let (head_end, sep) = match find(&block, b"\r\n\r\n") {
        Some(at) => (at, 4),
        None => match find(&block, b"\n\n") {
            Some(at) => (at, 2),
            None => return Err("no end of the HTTP headers".to_string()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    if !status.starts_with("HTTP/") {
        return Err(format!(
            "not an HTTP status line: {:?}",
            truncate(status, 60)
        ));
    }
    let code = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| format!("no status code: {:?}", truncate(status, 60)))?;
    let mut content_type = None;
    let mut chunked = false;
    let mut gzipped = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_string()),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => {
                let v = value.to_ascii_lowercase();
                gzipped = v.contains("gzip") || v.contains("deflate");
            }
            _ => {}
        }
    }
    let mut body = block;
    body.drain(..head_end + sep);
    if chunked && let Some(dechunked) = dechunk(&body) {
        body = dechunked;
    }
    if gzipped && body.starts_with(&crate::GZIP_MAGIC) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(body.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("bad gzip body: {e}"))?;
        body = out;
    }
    Ok((code, content_type, body))
}

/// Decodes `Transfer-Encoding: chunked`; `None` when the body is not chunked after all (crawlers
/// often store the decoded body but keep the header).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size..)?;
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
    }
}

/// The `charset=` parameter of a `Content-Type` value.
pub(crate) fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}
