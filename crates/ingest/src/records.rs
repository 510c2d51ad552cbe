//! JSON and JSON Lines article records, as news-please, trafilatura and similar tools export them.
//!
//! A record is an object; the fields read (first one present wins) are:
//!
//! | meaning | field names |
//! |---|---|
//! | main text | `text`, `maintext`, `raw_text`, `content`, `body` |
//! | HTML page | `html`, `raw_html`, `content_html` |
//! | URL | `url`, `source_url`, `link`, `source` (trafilatura) |
//! | title | `title`, `headline` |
//! | date | `date`, `date_publish`, `published`, `publication_date`, `datePublished` |
//! | outlet | `outlet`, `sitename`, `source-hostname`, `source_domain`, `hostname` |
//! | authors | `authors` (list or string), `author`, `byline` |
//!
//! A record with text becomes a plain-text document (its metadata comes from the record, not
//! from guessing in the text); a record with only HTML becomes an HTML document. JSON Lines are
//! streamed line by line, so a large export is never held whole; a bad line is one error naming
//! its line number and the next line is read. A file that is one JSON value (an array of records
//! or a single, possibly pretty-printed object) is read whole within the size limit.

use crate::{Documents, IngestOptions, Input};
use corroborate_model::{InputError, InputFormat, RawDocument, RecordMetadata, SourceRef};
use serde_json::{Map, Value};
use std::io::{BufRead, Read};

const TEXT_FIELDS: &[&str] = &["text", "maintext", "raw_text", "content", "body"];
const HTML_FIELDS: &[&str] = &["html", "raw_html", "content_html"];
const URL_FIELDS: &[&str] = &["url", "source_url", "link", "source"];
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const DATE_FIELDS: &[&str] = &[
    "date",
    "date_publish",
    "published",
    "publication_date",
    "datePublished",
];
const OUTLET_FIELDS: &[&str] = &[
    "outlet",
    "sitename",
    "source-hostname",
    "source_domain",
    "hostname",
];
const AUTHOR_FIELDS: &[&str] = &["authors", "author", "byline"];

/// Streams a JSON Lines input; if its first line is not a whole JSON value, the input is read as
/// one (pretty-printed) JSON document instead.
pub fn json_lines<'a>(
    source: String,
    mut reader: Input,
    options: &'a IngestOptions,
) -> Documents<'a> {
    let mut first = Vec::new();
    let limit = options.max_bytes.saturating_add(1);
    if let Err(e) = reader.by_ref().take(limit).read_until(b'\n', &mut first) {
        return Box::new(std::iter::once(Err(crate::read_error(&source, &e))));
    }
    if serde_json::from_slice::<Value>(&first).is_err() {
        let mut bytes = first;
        let rest = limit.saturating_sub(bytes.len() as u64);
        if let Err(e) = reader.take(rest).read_to_end(&mut bytes) {
            return Box::new(std::iter::once(Err(crate::read_error(&source, &e))));
        }
        if bytes.len() as u64 > options.max_bytes {
            return Box::new(std::iter::once(Err(crate::too_large(
                &source,
                bytes.len() as u64,
                options.max_bytes,
            ))));
        }
        return Box::new(json_document(&source, &bytes));
    }
    let mut pending = Some(first);
    let mut line_number = 0u64;
    let mut ended = false;
    Box::new(std::iter::from_fn(move || {
        loop {
            if ended {
                return None;
            }
            let line = match pending.take() {
                Some(line) => line,
                None => {
                    let mut line = Vec::new();
                    match reader.by_ref().take(limit).read_until(b'\n', &mut line) {
                        Ok(0) => return None,
                        Ok(_) => line,
                        Err(e) => {
                            // A broken stream repeats its error: report it once and stop.
                            ended = true;
                            line_number += 1;
                            let record = record_ref(&source, line_number - 1);
                            return Some(Err(crate::read_error(&record.to_string(), &e)));
                        }
                    }
                }
            };
            line_number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let record = record_ref(&source, line_number - 1);
            if line.len() as u64 > options.max_bytes {
                return Some(Err(crate::too_large(
                    &record,
                    line.len() as u64,
                    options.max_bytes,
                )));
            }
            return Some(match serde_json::from_slice::<Value>(&line) {
                Ok(value) => from_value(record, value),
                Err(e) => Err(InputError::new(
                    &record,
                    format!("line {line_number} is not valid JSON: {e}"),
                )),
            });
        }
    }))
}

fn record_ref(path: &str, index: u64) -> SourceRef {
    SourceRef {
        path: path.to_string(),
        record: Some(index),
    }
}

/// Reads a whole JSON document: an array of records, an object with an array of records under
/// `articles`/`items`/`records`, or one record.
pub fn json_document(
    source: &str,
    bytes: &[u8],
) -> impl Iterator<Item = Result<RawDocument, InputError>> + use<> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let items: Vec<Result<RawDocument, InputError>> = match serde_json::from_slice::<Value>(bytes) {
        Err(e) => vec![Err(InputError::new(source, format!("not valid JSON: {e}")))],
        Ok(Value::Array(values)) => values
            .into_iter()
            .enumerate()
            .map(|(i, v)| from_value(record_ref(source, i as u64), v))
            .collect(),
        Ok(Value::Object(map)) => {
            let list = ["articles", "items", "records"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_array).cloned());
            match list {
                Some(values) => values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| from_value(record_ref(source, i as u64), v))
                    .collect(),
                None => vec![from_value(SourceRef::file(source), Value::Object(map))],
            }
        }
        Ok(_) => vec![Err(InputError::new(
            source,
            "JSON input must be an article object or a list of them",
        ))],
    };
    items.into_iter()
}

/// One record object as a document.
fn from_value(source: SourceRef, value: Value) -> Result<RawDocument, InputError> {
    let Value::Object(map) = value else {
        return Err(InputError::new(&source, "record is not a JSON object"));
    };
    let metadata = RecordMetadata {
        url: string_field(&map, URL_FIELDS),
        title: string_field(&map, TITLE_FIELDS),
        date: string_field(&map, DATE_FIELDS),
        outlet: string_field(&map, OUTLET_FIELDS),
        authors: authors(&map),
        charset: Some("utf-8".to_string()),
    };
    let body = string_field(&map, TEXT_FIELDS)
        .map(|text| (InputFormat::PlainText, text))
        .or_else(|| string_field(&map, HTML_FIELDS).map(|html| (InputFormat::Html, html)));
    match body {
        Some((format, body)) => Ok(RawDocument {
            source,
            format,
            bytes: body.into_bytes(),
            metadata,
        }),
        None => Err(InputError::new(
            &source,
            "record has no text or html field (expected one of text, maintext, html)",
        )),
    }
}

fn string_field(map: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match map.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn authors(map: &Map<String, Value>) -> Vec<String> {
    for name in AUTHOR_FIELDS {
        match map.get(*name) {
            Some(Value::Array(items)) => {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.trim().to_string()),
                        Value::Object(o) => o.get("name")?.as_str().map(|s| s.trim().to_string()),
                        _ => None,
                    })
                    .filter(|s| !s.is_empty())
                    .collect();
                if !names.is_empty() {
                    return names;
                }
            }
            Some(Value::String(s)) if !s.trim().is_empty() => {
                return s
                    .split([';', '|'])
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
    Vec::new()
}
