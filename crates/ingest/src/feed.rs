//! RSS and Atom feeds (and JSON Feed), parsed with `feed-rs`: each item becomes one document.
//!
//! An item's body is its full content (`content:encoded`, Atom `<content>`) when it has one,
//! else its summary (`<description>`, `<summary>`), whichever holds more text: feeds that publish
//! full text give whole articles, and teaser-only feeds still give their teaser with the item's
//! title, link, date and authors as [`RecordMetadata`]. The body is HTML (format
//! [`InputFormat::Html`]) and goes through the same extraction as a page.

use corroborate_model::{InputError, InputFormat, RawDocument, RecordMetadata, SourceRef};

/// Splits the feed in `bytes` into one document per item (or one error naming the input).
pub fn items(source: &str, bytes: &[u8]) -> Vec<Result<RawDocument, InputError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            return vec![Err(InputError::new(
                source,
                format!("not a readable RSS/Atom feed: {e}"),
            ))];
        }
    };
    let outlet = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    if feed.entries.is_empty() {
        return vec![Err(InputError::new(source, "feed has no items"))];
    }
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let record = SourceRef {
                path: source.to_string(),
                record: Some(index as u64),
            };
            let content = entry.content.as_ref().and_then(|c| c.body.clone());
            let summary = entry.summary.as_ref().map(|s| s.content.clone());
            let body = match (content, summary) {
                (Some(c), Some(s)) if s.len() > c.len() => s,
                (Some(c), _) if !c.trim().is_empty() => c,
                (_, Some(s)) => s,
                (c, None) => c.unwrap_or_default(),
            };
            if body.trim().is_empty() {
                return Err(InputError::new(
                    &record,
                    "feed item has no content or summary",
                ));
            }
            let url = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .map(|l| l.href.clone());
            let authors = entry
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref())
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            Ok(RawDocument {
                source: record,
                format: InputFormat::Html,
                bytes: wrap_fragment(&body).into_bytes(),
                metadata: RecordMetadata {
                    url,
                    title: entry.title.map(|t| t.content.trim().to_string()),
                    date: entry.published.or(entry.updated).map(|d| d.to_rfc3339()),
                    outlet: outlet.clone(),
                    authors,
                    charset: Some("utf-8".to_string()),
                },
            })
        })
        .collect()
}

/// Wraps an item's HTML fragment (or plain text) as a page so the HTML extractor reads it as the
/// page's main content; plain-text bodies keep their paragraphs.
fn wrap_fragment(body: &str) -> String {
    let looks_html = body.contains("</") || body.contains("<br") || body.contains("<p");
    let inner = if looks_html {
        body.to_string()
    } else {
        body.split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{}</p>", escape(p.trim())))
            .collect()
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><article>{inner}</article></body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
