//! Article metadata read from a parsed page: publication date, by-line, outlet, canonical URL,
//! headline and language, from JSON-LD, `<meta>` tags, `<time>` elements and the URL.
//!
//! The publication-date cascade is ours, modelled on htmldate's: the most explicit statement of
//! the *original* publication wins (JSON-LD `datePublished`, then publication meta tags, then a
//! `<time>` element marked as the publication time, then a date in the URL or the lead image's
//! URL, then any `<time>`, then an element classed as a date, then the date written most often
//! in the page; a URL date overrides a timestamp one day away from it, which crossed midnight in
//! UTC),
//! modification and copyright dates are never used, and dates in the future (beyond a day of
//! clock skew) or before 1995 are rejected. The extractors we evaluated either took the first
//! date they met (often a modified date) or did not look at URLs.

use crate::dates;
use chrono::NaiveDate;
use corroborate_model::MetadataOrigin;
use dom_query::Document;
use once_cell::sync::Lazy;
use regex::Regex;
use serde_json::Value;

/// What the page's markup says about the article.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMetadata {
    /// Headline from JSON-LD or `og:title`.
    pub title: Option<String>,
    /// Author names joined with ", ".
    pub byline: Option<String>,
    /// Publication date with its origin and the raw value.
    pub published: Option<(NaiveDate, MetadataOrigin, String)>,
    /// Site or publisher name.
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// `<html lang>`, as an ISO 639-1 code.
    pub language: Option<String>,
}

/// Meta tags that state the publication date, most reliable first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "article.published",
    "originalpublicationdate",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
    "nv:date",
    "shareaholic:article_published_time",
    "rnews:datepublished",
    "displaydate",
    "dc.created",
    "created",
];

/// Meta tags naming the site.
const SITE_META: &[&str] = &["og:site_name", "application-name", "twitter:site"];
/// Meta tags naming the author.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
];

/// Reads the metadata of `doc` (parsed from `html`); `url` is the page's address when the
/// container knew it, for the URL date pattern. `today` bounds dates from above.
pub fn read(doc: &Document, html: &str, url: Option<&str>, today: NaiveDate) -> PageMetadata {
    let mut meta = PageMetadata::default();
    let json_ld = json_ld(doc);
    let tags = meta_tags(doc);
    let tag = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|name| {
            tags.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        })
    };

    meta.url = doc
        .select("link[rel=canonical]")
        .attr("href")
        .map(|s| s.trim().to_string())
        .filter(|s| s.starts_with("http"))
        .or_else(|| tag(&["og:url"]).filter(|s| s.starts_with("http")));
    meta.language = doc.select("html").attr("lang").and_then(|l| {
        let code = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        (code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase())).then_some(code)
    });
    meta.outlet = json_ld
        .iter()
        .find_map(|o| o.get("publisher").and_then(name_of))
        .or_else(|| tag(SITE_META).filter(|s| !s.starts_with('@')));
    meta.title = json_ld
        .iter()
        .find_map(|o| o.get("headline").and_then(Value::as_str).map(clean))
        .or_else(|| tag(&["og:title", "twitter:title"]));
    meta.byline = json_ld
        .iter()
        .find_map(|o| o.get("author").and_then(authors_of))
        .or_else(|| tag(AUTHOR_META).filter(|a| !a.starts_with("http")));

    let accept = |raw: &str| dates::parse_datetime(raw).filter(|d| plausible(*d, today));
    let mut published = json_ld.iter().find_map(|o| {
        ["datePublished", "dateCreated"].iter().find_map(|k| {
            let raw = o.get(*k)?.as_str()?;
            accept(raw).map(|d| (d, MetadataOrigin::JsonLd, raw.to_string()))
        })
    });
    if published.is_none() {
        published = json_ld_by_pattern(doc, &accept);
    }
    if published.is_none() {
        published = DATE_META.iter().find_map(|name| {
            tags.iter()
                .filter(|(k, _)| k == name)
                .find_map(|(_, raw)| accept(raw).map(|d| (d, MetadataOrigin::MetaTag, raw.clone())))
        });
    }
    if published.is_none() {
        published = time_element(doc, true, &accept);
    }
    if published.is_none() {
        published = url.into_iter().chain(meta.url.as_deref()).find_map(|u| {
            url_date(u)
                .filter(|d| plausible(*d, today))
                .map(|d| (d, MetadataOrigin::Url, u.to_string()))
        });
    }
    if published.is_none() {
        published = tag(&["og:image", "twitter:image"]).and_then(|u| {
            url_date(&u)
                .filter(|d| plausible(*d, today))
                .map(|d| (d, MetadataOrigin::Url, u))
        });
    }
    if published.is_none() {
        published = time_element(doc, false, &accept);
    }
    if published.is_none() {
        published = dated_element(doc, today);
    }
    if published.is_none() {
        published = most_frequent_date(html, today);
    }
    // A URL date is the publisher's own calendar day; a UTC timestamp a day away from it has
    // crossed midnight, so the URL's day is the one readers saw.
    if let Some((date, origin, _)) = &published
        && matches!(origin, MetadataOrigin::JsonLd | MetadataOrigin::MetaTag)
        && let Some(local) = url
            .into_iter()
            .chain(meta.url.as_deref())
            .find_map(url_date)
        && (local - *date).num_days().abs() == 1
    {
        published = Some((
            local,
            MetadataOrigin::Url,
            url.or(meta.url.as_deref()).unwrap_or_default().to_string(),
        ));
    }
    meta.published = published;
    meta
}

/// A date that can be a publication date seen from `today`.
fn plausible(date: NaiveDate, today: NaiveDate) -> bool {
    let earliest = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or(NaiveDate::MIN);
    date >= earliest && date <= today + chrono::Duration::days(1)
}

/// `<meta>` name/property/itemprop (lower-cased) and content pairs, in document order.
fn meta_tags(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for node in doc.select("meta").nodes() {
        let key = node
            .attr("property")
            .or_else(|| node.attr("name"))
            .or_else(|| node.attr("itemprop"))
            .or_else(|| node.attr("http-equiv"));
        let value = node.attr("content").or_else(|| node.attr("datetime"));
        if let (Some(key), Some(value)) = (key, value) {
            out.push((key.trim().to_ascii_lowercase(), clean(&value)));
        }
    }
    out
}

/// JSON-LD objects of the page, flattened out of `@graph` lists and arrays, articles first.
fn json_ld(doc: &Document) -> Vec<serde_json::Map<String, Value>> {
    let mut objects = Vec::new();
    for node in doc.select("script[type='application/ld+json']").nodes() {
        let text = node.text();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        flatten(value, &mut objects, 0);
    }
    objects.sort_by_key(|o| !is_article(o));
    objects
}

fn flatten(value: Value, out: &mut Vec<serde_json::Map<String, Value>>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out, depth + 1)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            out.push(map);
        }
        _ => {}
    }
}

fn is_article(object: &serde_json::Map<String, Value>) -> bool {
    let kind = |v: &Value| {
        v.as_str()
            .is_some_and(|t| t.contains("Article") || t.contains("Posting") || t == "Report")
    };
    match object.get("@type") {
        Some(Value::Array(types)) => types.iter().any(kind),
        Some(t) => kind(t),
        None => false,
    }
}

fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(clean(s)),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(clean),
        Value::Array(items) => items.iter().find_map(name_of),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn authors_of(value: &Value) -> Option<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| !n.starts_with("http"))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Collapses whitespace.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `<time>` element's date; with `marked`, only one marked as the publication time.
fn time_element(
    doc: &Document,
    marked: bool,
    accept: &dyn Fn(&str) -> Option<NaiveDate>,
) -> Option<(NaiveDate, MetadataOrigin, String)> {
    for node in doc.select("time").nodes() {
        if marked {
            let hint = [
                node.attr("itemprop"),
                node.attr("class"),
                node.attr("pubdate"),
                node.attr("id"),
            ]
            .into_iter()
            .flatten()
            .map(|a| a.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
            let is_pub = node.has_attr("pubdate")
                || hint.contains("publish")
                || hint.contains("datepublished");
            if !is_pub || hint.contains("modif") || hint.contains("update") {
                continue;
            }
        }
        let raw = node
            .attr("datetime")
            .map(|s| s.to_string())
            .unwrap_or_else(|| node.text().to_string());
        if let Some(date) = accept(raw.trim()) {
            return Some((date, MetadataOrigin::TimeElement, clean(&raw)));
        }
    }
    None
}

static JSON_LD_PUBLISHED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r#""datePublished"\s*:\s*"([^"]{8,40})""#)
        .unwrap_or_else(|e| panic!("JSON-LD date pattern: {e}"))
});

/// `datePublished` read by pattern from JSON-LD that is not valid JSON (common: unescaped
/// quotes or trailing commas elsewhere in the block).
fn json_ld_by_pattern(
    doc: &Document,
    accept: &dyn Fn(&str) -> Option<NaiveDate>,
) -> Option<(NaiveDate, MetadataOrigin, String)> {
    doc.select("script[type='application/ld+json']")
        .nodes()
        .iter()
        .find_map(|node| {
            let text = node.text();
            let raw = JSON_LD_PUBLISHED
                .captures(&text)?
                .get(1)?
                .as_str()
                .to_string();
            accept(&raw).map(|d| (d, MetadataOrigin::JsonLd, raw))
        })
}

/// Last resort, as htmldate's extensive search: the date written most often in the page source
/// (visible text, scripts, attributes), ties going to the later date, since pages list older
/// articles beside the current one. Day-first `DD.MM.YYYY` is read as European pages write it.
fn most_frequent_date(html: &str, today: NaiveDate) -> Option<(NaiveDate, MetadataOrigin, String)> {
    let mut counts: std::collections::HashMap<NaiveDate, (usize, String)> = Default::default();
    for (date, raw) in dates::dates_in(html) {
        if plausible(date, today) {
            counts.entry(date).or_insert((0, raw.to_string())).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(date, (count, _))| (*count, *date))
        .map(|(date, (_, raw))| (date, MetadataOrigin::Text, raw))
}

/// The first date in an element whose class or id says it holds the publication date
/// (`entry-date`, `post-date`, `article-date`, `published`), skipping update stamps.
fn dated_element(doc: &Document, today: NaiveDate) -> Option<(NaiveDate, MetadataOrigin, String)> {
    let selector = "[class*=date], [class*=publish], [id*=date], [itemprop*=date], [class*=byline], [class*=time]";
    for node in doc.select(selector).nodes().iter().take(200) {
        let hint = [node.attr("class"), node.attr("id"), node.attr("itemprop")]
            .into_iter()
            .flatten()
            .map(|a| a.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        if hint.contains("modif") || hint.contains("update") || hint.contains("comment") {
            continue;
        }
        let text = node.text();
        if text.len() > 200 {
            continue;
        }
        if let Some((date, raw)) = dates::dates_in(&text).find(|(d, _)| plausible(*d, today)) {
            return Some((date, MetadataOrigin::Text, raw.to_string()));
        }
    }
    None
}

static URL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)")
        .unwrap_or_else(|e| panic!("URL date pattern: {e}"))
});

/// A `/2024/05/17/`-style date in a URL path.
pub fn url_date(url: &str) -> Option<NaiveDate> {
    let caps = URL_DATE.captures(url)?;
    let n = |i: usize| caps.get(i)?.as_str().parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn meta(html: &str, url: Option<&str>) -> PageMetadata {
        read(&Document::from(html), html, url, today())
    }

    #[test]
    fn json_ld_published_date_beats_modified_and_meta() {
        let m = meta(
            r#"<html lang="en-GB"><head>
            <meta property="article:modified_time" content="2024-03-09T10:00:00Z">
            <meta property="article:published_time" content="2024-03-02T10:00:00Z">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
              {"@type":"NewsArticle","headline":"Ferry  strike","dateModified":"2024-03-09","datePublished":"2024-03-01T23:30:00-05:00",
               "author":[{"@type":"Person","name":"Jane Roe"},{"name":"Kim Lee"}],"publisher":{"@type":"Organization","name":"Gazette"}}]}</script>
            </head><body></body></html>"#,
            None,
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(origin, MetadataOrigin::JsonLd);
        assert_eq!(m.byline.as_deref(), Some("Jane Roe, Kim Lee"));
        assert_eq!(m.outlet.as_deref(), Some("Gazette"));
        assert_eq!(m.title.as_deref(), Some("Ferry strike"));
        assert_eq!(m.language.as_deref(), Some("en"));
    }

    #[test]
    fn future_and_copyright_dates_are_not_publication_dates() {
        let m = meta(
            r#"<meta property="article:published_time" content="2031-01-01"><footer>© 2019</footer>
            <time datetime="2020-05-17" class="updated">x</time>"#,
            Some("https://news.example/2020/05/16/story.html"),
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2020, 5, 16).unwrap());
        assert_eq!(origin, MetadataOrigin::Url);
    }

    #[test]
    fn time_elements_and_url_patterns() {
        let m = meta(
            r#"<p><time pubdate datetime="2019-12-31T23:00:00Z">Dec 31</time></p>"#,
            None,
        );
        assert_eq!(
            m.published.unwrap().0,
            NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()
        );
        assert_eq!(
            url_date("https://x.org/2021-02-03/a"),
            NaiveDate::from_ymd_opt(2021, 2, 3)
        );
        assert_eq!(
            url_date("https://x.org/20210203/a"),
            NaiveDate::from_ymd_opt(2021, 2, 3)
        );
        assert_eq!(url_date("https://x.org/2021/13/03/a"), None);
        assert_eq!(url_date("https://x.org/a/12345678"), None);
    }

    #[test]
    fn broken_json_ld_and_dates_in_the_page_are_fallbacks() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle", "headline": "a "quoted" word", "datePublished": "2020-10-26T18:10:00+01:00",}</script>"#,
            None,
        );
        assert_eq!(m.published.unwrap().1, MetadataOrigin::JsonLd);
        let m = meta(
            "<p>Posted 17.04.2020</p><script>showDate('2020/04/17 01:43')</script><aside>2019-01-02</aside>",
            None,
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2020, 4, 17).unwrap());
        assert_eq!(origin, MetadataOrigin::Text);
        let m = meta(
            r#"<meta property="og:image" content="https://x.org/media/2020/10/26/1.jpg">"#,
            None,
        );
        assert_eq!(
            m.published.unwrap().0,
            NaiveDate::from_ymd_opt(2020, 10, 26).unwrap()
        );
    }

    #[test]
    fn canonical_url_and_site_name() {
        let m = meta(
            r#"<link rel="canonical" href="https://site.example/a"><meta property="og:site_name" content="Site News">"#,
            None,
        );
        assert_eq!(m.url.as_deref(), Some("https://site.example/a"));
        assert_eq!(m.outlet.as_deref(), Some("Site News"));
    }
}
