//! HTML pages: the main article text without boilerplate, and the article's metadata.
//!
//! The page is decoded ([`crate::charset`]) and parsed once into a `dom_query` document. Our
//! metadata reader ([`crate::htmlmeta`]) reads it first; then the main-content extractor runs:
//!
//! * [`Engine::Readability`] (default): `dom_smoothie`, a Rust port of Mozilla's Readability.js,
//!   scoring paragraphs and dropping menus, related links, comments and banners. It measured
//!   best on the readability test pages and is several times faster than the alternative
//!   (figures in the crate README).
//! * [`Engine::Trafilatura`]: the `trafilatura` crate (port of go-trafilatura), kept for
//!   comparison and for pages where it does better; selectable through [`crate::ExtractOptions`].
//!
//! Text comes out as paragraphs separated by a blank line, whitespace inside a paragraph
//! collapsed, so the spans of later stages index clean text. The title is the extractor's
//! headline (Readability's cleaned `<title>` / `<h1>` logic), else JSON-LD/`og:title`.

use crate::htmlmeta;
use chrono::NaiveDate;
use corroborate_model::{Article, DocId, PublishedDate, RecordMetadata, SourceRef};
use dom_query::Document;

/// Which main-content extractor to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    /// `dom_smoothie` (Readability.js port).
    #[default]
    Readability,
    /// The `trafilatura` crate.
    Trafilatura,
}

/// Pages larger than this are cut before parsing: extractors are superlinear on huge trees and
/// no article needs more (the size limit of ingest still rejects absurd inputs first).
const MAX_PARSE_BYTES: usize = 8 * 1024 * 1024;

/// Extracts the article from `bytes` (an HTML page); `container` is what the feed, WARC record or
/// HTTP response said (charset, URL). `today` is the latest publication date accepted (see
/// [`htmlmeta::read`]).
pub fn article(
    source: SourceRef,
    bytes: &[u8],
    container: &RecordMetadata,
    id: DocId,
    engine: Engine,
    today: NaiveDate,
) -> Result<Article, String> {
    let (mut html, _) = crate::charset::decode_html(bytes, container.charset.as_deref());
    if html.len() > MAX_PARSE_BYTES {
        let mut end = MAX_PARSE_BYTES;
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        html.truncate(end);
    }
    if !html.contains('<') {
        return Err("no HTML markup found (use --input-format text for plain text)".to_string());
    }
    let page_url = container.url.as_deref();
    let (text, title, byline, outlet, meta) = match engine {
        Engine::Readability => {
            let doc = Document::from(strip_inert(&html).as_str());
            let meta = htmlmeta::read(&doc, &html, page_url, today);
            let config = dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                ..Default::default()
            };
            let url = page_url.filter(|u| u.starts_with("http"));
            let mut readability = dom_smoothie::Readability::with_document(doc, url, Some(config))
                .map_err(|e| format!("cannot read the page: {e}"))?;
            match readability.parse() {
                Ok(a) => (
                    a.text_content.to_string(),
                    Some(a.title).filter(|t| !t.trim().is_empty()),
                    a.byline,
                    a.site_name,
                    meta,
                ),
                Err(_) => (body_text(&html), None, None, None, meta),
            }
        }
        Engine::Trafilatura => {
            let doc = Document::from(html.as_str());
            let meta = htmlmeta::read(&doc, &html, page_url, today);
            let options = trafilatura::Options::default().with_fallback(true);
            match trafilatura::extract(&html, &options) {
                Ok(r) => {
                    let m = r.metadata;
                    let nonempty = |s: String| Some(s).filter(|s| !s.trim().is_empty());
                    (
                        r.content_text,
                        nonempty(m.title),
                        nonempty(m.author),
                        nonempty(m.sitename),
                        meta,
                    )
                }
                Err(_) => (body_text(&html), None, None, None, meta),
            }
        }
    };
    let text = normalise_paragraphs(&text);
    let published = meta.published.map(|(date, origin, raw)| PublishedDate {
        date,
        origin,
        raw,
        evidence: None,
    });
    Ok(Article {
        id,
        source,
        url: meta.url.or_else(|| container.url.clone()),
        outlet: outlet.map(|o| collapse(&o)).or(meta.outlet),
        title: title.map(|t| collapse(&t)).or(meta.title),
        byline: byline
            .map(|b| collapse(&b))
            .filter(|b| !b.is_empty() && b.len() < 200 && !b.starts_with("http"))
            .or(meta.byline),
        published,
        language: meta.language,
        text,
        body_start: 0,
    })
}

/// Removes what no extractor reads before the page is parsed: inline scripts (except JSON-LD),
/// styles, SVG drawings and comments, often half of a news page's bytes. Readability drops them
/// right after parsing anyway; not building them into the tree saves a good part of the parse.
/// The scan is a plain case-insensitive search, no parser: an unterminated element is kept.
fn strip_inert(html: &str) -> String {
    const ELEMENTS: [(&str, &str); 4] = [
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<svg", "</svg>"),
        ("<!--", "-->"),
    ];
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        let rest = &lower[start..];
        let element = ELEMENTS.iter().find(|(open, _)| {
            rest.starts_with(open)
                && (open.starts_with("<!")
                    || rest[open.len()..]
                        .starts_with(|c: char| c == '>' || c.is_ascii_whitespace()))
        });
        let Some((open, close)) = element else {
            out.push_str(&html[at..=start]);
            at = start + 1;
            continue;
        };
        let Some(close_at) = rest.find(close) else {
            break;
        };
        let end = start + close_at + close.len();
        let keep = *open == "<script" && {
            let tag_end = rest.find('>').unwrap_or(0);
            rest[..tag_end].contains("ld+json")
        };
        out.push_str(&html[at..start]);
        if keep {
            out.push_str(&html[start..end]);
        }
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The visible text of the whole `<body>`, for pages where no main content stands out.
fn body_text(html: &str) -> String {
    let doc = Document::from(html);
    doc.select("script, style, noscript, template").remove();
    let mut out = String::new();
    for node in doc
        .select("body p, body h1, body h2, body h3, body li, body pre, body blockquote")
        .nodes()
    {
        out.push_str(&node.text());
        out.push('\n');
    }
    if out.trim().is_empty() {
        out = doc.select("body").text().to_string();
    }
    out
}

/// Paragraphs separated by one blank line; whitespace inside a paragraph collapsed to a space.
pub fn normalise_paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for paragraph in text.split('\n') {
        let mut words = paragraph.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(bytes: &[u8], charset: Option<&str>) -> Result<Article, String> {
        let container = RecordMetadata {
            charset: charset.map(str::to_string),
            ..RecordMetadata::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        article(
            SourceRef::file("p.html"),
            bytes,
            &container,
            0,
            Engine::Readability,
            today,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let _ = run(&bytes, None);
            let _ = run(&bytes, Some("shift_jis"));
        }

        #[test]
        fn tag_soup_gives_normalised_text(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=date>".to_string()),
                Just("<script>".to_string()), Just("<!--".to_string()), Just("<time datetime=\"2024-02-30\">".to_string()),
                "[a-zA-Z “”—é ]{0,40}".prop_map(|s| s),
            ], 0..60)) {
            let html = format!("<html><body>{}</body></html>", parts.concat());
            if let Ok(a) = run(html.as_bytes(), None) {
                prop_assert!(!a.text.contains("\n\n\n"));
                prop_assert!(!a.text.starts_with(char::is_whitespace));
                prop_assert_eq!(a.body_start, 0);
            }
        }
    }

    #[test]
    fn an_address_is_never_a_byline() {
        let body = "<p>The veteran left hospital to applause from the staff who had treated him for three weeks.</p>".repeat(8);
        let html = format!(
            r#"<html><head><title>Veteran recovers</title><script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"Veteran recovers",
            "author":{{"@type":"Person","name":"https://news.example.com/video/id-53/veteran-recovers"}}}}</script></head>
            <body><article><h1>Veteran recovers</h1>{body}</article></body></html>"#
        );
        let a = run(html.as_bytes(), None).unwrap();
        assert_eq!(a.byline, None);
        assert!(a.text.contains("applause"));
    }

    #[test]
    fn inert_elements_are_stripped_but_json_ld_and_text_stay() {
        let html = "<head><SCRIPT src=x>var a = '<p>';</script><script type=\"application/ld+json\">{\"a\":1}</script>\
            <style>p{}</style><!-- <p>hidden</p> --></head><body><scripted>kept</scripted><svg><text>x</text></svg>\
            <p>Café “quoted”</p><script>unterminated";
        let out = strip_inert(html);
        assert_eq!(
            out,
            "<head><script type=\"application/ld+json\">{\"a\":1}</script></head><body><scripted>kept</scripted><p>Café “quoted”</p><script>unterminated"
        );
    }
}
