//! Article metadata read from a parsed page: publication date, by-line, outlet, canonical URL,
//! headline and language, from JSON-LD, `<meta>` tags, `<time>` elements and the URL.
//!
//! The publication-date cascade is ours, modelled on htmldate's. The most explicit statement of
//! the *original* publication wins; each source is tried only when all above it gave nothing:
//!
//! 1. JSON-LD `datePublished` (the article object first; then the same key read by pattern
//!    from JSON-LD that is not valid JSON): written by the CMS for search engines, names the
//!    field it means, and is rarely the modification date.
//! 2. Publication `<meta>` tags (`DATE_META`, most specific first): same origin, but generic
//!    names such as `date` are sometimes set to the crawl or update day.
//! 3. A `<time>` element marked as the publication time (`pubdate`, `itemprop=datePublished`).
//! 4. JSON-LD `dateCreated`: when the item was created, often a draft's or a record's day
//!    before publication, so any statement of publication outranks it.
//! 5. A date in the page's URL, then in the lead image's URL: the CMS's local day at creation,
//!    sometimes a draft's day, so it only ranks after what the page says about publication.
//! 6. Any `<time>` element, then an element classed as a date (`post-date`, `byline`), then
//!    the date written most often in the page: visible but unlabelled, and could be a
//!    comment's, a related story's or today's.
//!
//! Modification, update and comment dates are never used, and dates in the future (past the
//! latest calendar day that has begun anywhere) or before 1995 are rejected. A timestamp
//! stated in UTC is then moved to the publisher's calendar day where the domain's country, the
//! URL, a day the page prints or the page's declared locale settles it (`publisher_day`). The extractors we evaluated either took the first
//! date they met (often a modified date) or did not look at URLs.

use crate::dates;
use chrono::NaiveDate;
use corroborate_model::MetadataOrigin;
use dom_query::Document;
use once_cell::sync::Lazy;
use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;

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
/// container knew it, for the URL date pattern and the publisher's country. `today` is the
/// latest calendar day a page may carry, i.e. the fetch day in the easternmost time zone
/// (UTC+14): a later date is in the future everywhere and is never returned.
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
    let html_lang = doc.select("html").attr("lang");
    meta.language = html_lang.as_deref().and_then(|l| {
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
    let json_ld_date = |key: &str| {
        json_ld.iter().find_map(|o| {
            let raw = o.get(key)?.as_str()?;
            accept(raw).map(|d| (d, MetadataOrigin::JsonLd, raw.to_string()))
        })
    };
    let mut published = json_ld_date("datePublished");
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
        published = json_ld_date("dateCreated");
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
    if let Some(found) = &mut published {
        let region = tag(&["og:locale"])
            .or_else(|| html_lang.as_deref().map(str::to_string))
            .and_then(|locale| locale_region(&locale));
        publisher_day(
            found,
            doc,
            (url, meta.url.as_deref()),
            region.as_deref(),
            today,
        );
    }
    meta.published = published;
    meta
}

/// A date that can be a publication date seen from `today` (the latest calendar day a page
/// may carry: see [`read`]). The web's news begins in 1995.
fn plausible(date: NaiveDate, today: NaiveDate) -> bool {
    let earliest = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or(NaiveDate::MIN);
    date >= earliest && date <= today
}

/// UTC offsets, in minutes, of the clocks of the countries named by country-code domains
/// (data/cctld_utc_offsets.tsv): the smallest and the largest, summer time included.
static COUNTRY_OFFSETS: Lazy<HashMap<String, (i64, i64)>> = Lazy::new(|| {
    let minutes = |h: &str| {
        h.trim()
            .parse::<f64>()
            .ok()
            .map(|h| (h * 60.0).round() as i64)
    };
    include_str!("../data/cctld_utc_offsets.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let tld = fields.next()?.trim().to_string();
            Some((tld, (minutes(fields.next()?)?, minutes(fields.next()?)?)))
        })
        .collect()
});

/// Offsets of the inhabited time zones where news is published, in minutes: Hawaii (UTC-10)
/// to the Line Islands (UTC+14). Without a country, a UTC timestamp's local day lies between
/// the days it falls on at these two offsets.
const ANY_OFFSET: (i64, i64) = (-10 * 60, 14 * 60);

/// Turns the day of a timestamp stated in UTC (JSON-LD, meta tag, `<time>`) into the day the
/// publisher printed, which is what readers and the page itself call the publication date.
/// UTC timestamps are the server's clock: an article posted at 20:00 in New York is stamped
/// 00:00Z the next day. The publisher's clock is found, in order, from
///
/// 1. the country of the page's domain (`.it`, `.com.au`) when all of that country's clocks
///    agree on the day at that instant (a `.ca` page at 00:30Z is from the day before in
///    every Canadian zone; a `.ru` page is left alone when Kaliningrad and Kamchatka disagree);
/// 2. a date in the page's URL, written by the publisher's CMS in local time, when it is a day
///    the instant falls on in some inhabited zone ([`ANY_OFFSET`], or the country's range);
/// 3. a day the page prints in a date element, when the instant falls on it somewhere (some
///    sites print the UTC day, and the page is what readers see);
/// 4. for a generic domain (`.com`), the region of the page's declared locale (`og:locale`
///    `en_US`, `<html lang="de-AT">`), under the same rule as the domain's country. It ranks
///    last because CMS templates often keep a default locale (`en_US`) whatever the site.
///
/// Timestamps with their own offset or none already carry the writer's day and are kept, as
/// is anything the rules above cannot settle.
fn publisher_day(
    found: &mut (NaiveDate, MetadataOrigin, String),
    doc: &Document,
    page_urls: (Option<&str>, Option<&str>),
    locale_region: Option<&str>,
    today: NaiveDate,
) {
    let (url, canonical) = page_urls;
    let (date, origin, raw) = found;
    if !matches!(
        origin,
        MetadataOrigin::JsonLd | MetadataOrigin::MetaTag | MetadataOrigin::TimeElement
    ) {
        return;
    }
    let Some(instant) = dates::utc_instant(raw) else {
        return;
    };
    let day_at = |minutes: i64| {
        instant
            .checked_add_signed(chrono::Duration::minutes(minutes))
            .map(|t| t.date())
    };
    // The one day the instant falls on across a range of offsets, if they agree.
    let single_day = |(west, east): (i64, i64)| {
        let first = day_at(west)?;
        (Some(first) == day_at(east)).then_some(first)
    };
    let page = url.or(canonical);
    let country = page
        .and_then(host_country)
        .and_then(|tld| COUNTRY_OFFSETS.get(&tld).copied());
    let (west, east) = country.unwrap_or(ANY_OFFSET);
    let (Some(first), Some(last)) = (day_at(west), day_at(east)) else {
        return;
    };
    let possible = |day: NaiveDate| (day == first || day == last) && plausible(day, today);
    if first == last {
        if plausible(first, today) {
            *date = first;
        }
        return;
    }
    let url_day = url.into_iter().chain(canonical).find_map(url_date);
    if let Some(local) = url_day.filter(|&d| possible(d)) {
        if local != *date {
            *found = (
                local,
                MetadataOrigin::Url,
                page.unwrap_or_default().to_string(),
            );
        }
        return;
    }
    if let Some((printed, _, _)) = dated_element(doc, today).filter(|(d, _, _)| possible(*d)) {
        *date = printed;
        return;
    }
    let from_locale = locale_region
        .filter(|_| country.is_none())
        .and_then(|region| COUNTRY_OFFSETS.get(region).copied())
        .and_then(single_day);
    if let Some(local) = from_locale.filter(|&d| plausible(d, today)) {
        *date = local;
    }
}

/// The country-code top-level domain of a URL's host (`au` for `https://news.example.com.au/a`),
/// lower case; `None` for generic domains, IP addresses and unparsable URLs.
fn host_country(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.');
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    (tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase())).then_some(tld)
}

/// The country of a locale tag (`en_US`, `pt-BR`, `de-AT`) as its country-code domain (`us`,
/// `br`, `at`; `GB` is `uk`), or `None` for a bare language (`en`) or a script (`zh-Hant`).
fn locale_region(locale: &str) -> Option<String> {
    let region = locale.trim().split(['-', '_']).nth(1)?;
    let region = region.to_ascii_lowercase();
    (region.len() == 2 && region.bytes().all(|b| b.is_ascii_lowercase())).then(|| {
        if region == "gb" {
            "uk".to_string()
        } else {
            region
        }
    })
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
/// Dates in URL paths (`/2019/05/17/`) are not counted: the page's own URL was read earlier in
/// the cascade, and other URLs are links to other articles or namespaces (W3C's
/// `/1999/02/22-rdf-syntax-ns`, declared on countless pages).
fn most_frequent_date(html: &str, today: NaiveDate) -> Option<(NaiveDate, MetadataOrigin, String)> {
    let mut counts: std::collections::HashMap<NaiveDate, (usize, String)> = Default::default();
    for (date, raw) in dates::dates_in(html) {
        // `raw` is a slice of `html`: its offset says what precedes it.
        let at = (raw.as_ptr() as usize).saturating_sub(html.as_ptr() as usize);
        let in_url_path = html.get(..at).is_some_and(|before| before.ends_with('/'));
        if plausible(date, today) && !in_url_path {
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

/// A date opening a path segment (`/2024/05/17/`, `/2024-05-17-slug`, `/20240517/`), or a
/// compact `YYYYMMDD` closing a slug (`/ferry-strike-20240517`, as some CMSs stamp their
/// story URLs). The second form needs the segment to end right after the digits, so that a
/// longer number (an article id) is never read as a date.
static URL_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(concat!(
        r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)",
        r"|[_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|\.|[?#]|$)",
    ))
    .unwrap_or_else(|e| panic!("URL date pattern: {e}"))
});

/// The publication date a URL's path states (see `URL_DATE` for the forms read).
pub fn url_date(url: &str) -> Option<NaiveDate> {
    let caps = URL_DATE.captures(url)?;
    let n = |i: usize| {
        caps.get(i)
            .or_else(|| caps.get(i + 3))?
            .as_str()
            .parse::<u32>()
            .ok()
    };
    NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    fn a_compact_date_closing_a_slug_is_read_but_not_inside_a_longer_number() {
        let day = NaiveDate::from_ymd_opt(2020, 1, 13);
        assert_eq!(
            url_date("https://x.co.za/World/fire-under-control-20200113"),
            day
        );
        assert_eq!(url_date("https://x.co.za/World/fire-20200113.html"), day);
        assert_eq!(url_date("https://x.co.za/World/fire-20200113?ref=rss"), day);
        assert_eq!(url_date("https://x.co.za/fire-2020011345"), None);
        assert_eq!(url_date("https://x.co.za/fire-20201340"), None);
        assert_eq!(url_date("https://x.co.za/fire-20200113x/"), None);
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

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn published_at(stamp: &str, url: &str) -> NaiveDate {
        let html = format!(r#"<meta property="article:published_time" content="{stamp}">"#);
        meta(&html, Some(url)).published.unwrap().0
    }

    #[test]
    fn utc_timestamps_take_the_day_of_the_publishers_country() {
        // 23:40Z is 00:40 or 01:40 the next day everywhere in Italy.
        let it = "https://giornale.example.it/cronaca/storia";
        assert_eq!(published_at("2021-03-05T23:40:00Z", it), day(2021, 3, 6));
        // 00:30Z is the evening before in every Canadian zone.
        let ca = "https://nouvelles.example.ca/article/42";
        assert_eq!(
            published_at("2021-03-06T00:30:00.000Z", ca),
            day(2021, 3, 5)
        );
        assert_eq!(published_at("2021-03-06T12:00:00Z", ca), day(2021, 3, 6));
        // Russia spans UTC+2 to UTC+12: at 20:30Z its clocks disagree, so the stamp stands;
        // at 23:30Z all of them show the next day.
        let ru = "https://gazeta.example.ru/news/7";
        assert_eq!(published_at("2021-03-05T20:30:00Z", ru), day(2021, 3, 5));
        assert_eq!(published_at("2021-03-05T23:30:00Z", ru), day(2021, 3, 6));
        // A stamp with its own offset is the writer's day already.
        assert_eq!(
            published_at("2021-03-05T23:40:00+00:30", it),
            day(2021, 3, 5)
        );
        assert_eq!(published_at("2021-03-05T23:40:00", it), day(2021, 3, 5));
    }

    #[test]
    fn url_day_settles_a_utc_timestamp_only_across_a_real_midnight() {
        let url = "https://paper.example.com/2021/03/04/council-vote/";
        // 02:10Z is the evening of the 4th from Hawaii to Brazil: the URL's day.
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-05T02:10:00Z"}</script>"#,
            Some(url),
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!((date, origin), (day(2021, 3, 4), MetadataOrigin::Url));
        // 11:30Z is the 5th in every inhabited zone: the URL holds a draft's day.
        assert_eq!(published_at("2021-03-05T11:30:00Z", url), day(2021, 3, 5));
        // An explicit offset is not overridden by the URL.
        assert_eq!(
            published_at("2021-03-05T01:10:00+09:00", url),
            day(2021, 3, 5)
        );
    }

    #[test]
    fn a_generic_domain_falls_back_to_the_printed_day_then_the_declared_locale() {
        let stamp = r#"<meta property="article:published_time" content="2020-05-02T02:54:29Z">"#;
        let at = |head: &str, body: &str, url: &str| {
            meta(
                &format!("<html {head}><head>{stamp}</head><body>{body}</body></html>"),
                Some(url),
            )
            .published
            .unwrap()
            .0
        };
        let com = "https://station.example.com/traffic/penn-station/6144149/";
        // 02:54Z is the evening of 1 May everywhere in the United States.
        assert_eq!(at(r#"lang="en-US""#, "", com), day(2020, 5, 1));
        // No region, no clue: the stamp's own day stands.
        assert_eq!(at(r#"lang="en""#, "", com), day(2020, 5, 2));
        // What the page prints beats a (possibly template-default) locale.
        let printed = r#"<span class="date">2 May 2020</span>"#;
        assert_eq!(at(r#"lang="en-US""#, printed, com), day(2020, 5, 2));
        // A printed day the instant does not fall on anywhere is some other date.
        let other = r#"<span class="date">28 April 2020</span>"#;
        assert_eq!(at(r#"lang="en-US""#, other, com), day(2020, 5, 1));
        // The URL's day beats both.
        let dated = "https://station.example.com/2020/05/02/penn-station/";
        assert_eq!(at(r#"lang="es-ES""#, "", dated), day(2020, 5, 2));
        // A country domain is not overridden by the locale.
        let nz = "https://news.example.co.nz/penn-station/";
        assert_eq!(at(r#"lang="en-US""#, "", nz), day(2020, 5, 2));
        assert_eq!(locale_region("en_GB").as_deref(), Some("uk"));
        assert_eq!(locale_region("zh-Hant"), None);
        assert_eq!(locale_region("en"), None);
    }

    #[test]
    fn no_date_after_the_latest_day_begun_anywhere() {
        let m = meta(
            r#"<meta property="article:published_time" content="2026-11-24T08:00:00+01:00">
            <p class="post-date">November 24, 2026</p>"#,
            None,
        );
        assert_eq!(m.published, None);
        // A UTC stamp whose local day would be tomorrow keeps its own (past) day.
        assert_eq!(
            published_at("2026-11-23T23:30:00Z", "https://a.example.de/x"),
            day(2026, 11, 23)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Whatever the page and URL say, the date is never after `today` and nothing panics.
        #[test]
        fn no_future_date_and_no_panic(
            stamp in "(19|20|21|99)[0-9]{2}-[01][0-9]-[0-3][0-9](T[0-2][0-9]:[0-5][0-9](:[0-9]{1,2})?(Z|[+-][01][0-9]:?[03]0)?)?",
            text in "[0-9]{1,4}[ ./年-]{1,2}(марта|mars|Dec|[0-9]{1,2})[ ./月-]{1,2}[0-9]{1,4}日?",
            host in "(a\\.example\\.(it|ru|nz|us|com|xx)|[0-9.:@]{0,12})",
            path in "(/[0-9]{2,8}){0,4}/?",
        ) {
            let html = format!(
                r#"<meta name="date" content="{stamp}"><time datetime="{stamp}">x</time><p class="date">{text}</p><p>{text}</p>"#
            );
            let url = format!("https://{host}{path}");
            if let Some((date, _, _)) = meta(&html, Some(&url)).published {
                prop_assert!(date <= today(), "{date} from {html} at {url}");
            }
            let _ = dates::utc_instant(&stamp);
        }
    }

    #[test]
    fn dates_in_link_paths_are_not_counted_as_written_dates() {
        let m = meta(
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>
            <a href="/2021/04/30/older-story">Older</a><a href="/2021/04/30/other">Other</a>
            <p>Filed 2 May 2021</p>"#,
            None,
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!((date, origin), (day(2021, 5, 2), MetadataOrigin::Text));
    }

    #[test]
    fn json_ld_creation_date_ranks_below_any_statement_of_publication() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","dateCreated":"2021-06-09T08:00:00+02:00"}</script>
            <meta itemprop="datePublished" content="2021-06-08T14:00:00+02:00">"#,
            None,
        );
        let (date, origin, _) = m.published.unwrap();
        assert_eq!((date, origin), (day(2021, 6, 8), MetadataOrigin::MetaTag));
        let m = meta(
            r#"<script type="application/ld+json">[{"@type":"NewsArticle","dateCreated":"2021-06-09"},{"@type":"WebPage","datePublished":"2021-06-08"}]</script>"#,
            None,
        );
        assert_eq!(m.published.unwrap().0, day(2021, 6, 8));
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","dateCreated":"2021-06-09"}</script>"#,
            Some("https://x.example.com/2021/06/01/a"),
        );
        assert_eq!(m.published.unwrap().0, day(2021, 6, 9));
    }

    #[test]
    fn country_of_a_host() {
        assert_eq!(
            host_country("https://www.News.Example.COM.AU:443/a?b").as_deref(),
            Some("au")
        );
        assert_eq!(
            host_country("https://user@example.it/").as_deref(),
            Some("it")
        );
        assert_eq!(host_country("https://example.com/path.de"), None);
        assert_eq!(host_country("http://192.168.0.1/x"), None);
        assert_eq!(host_country(""), None);
        assert!(COUNTRY_OFFSETS.len() > 100);
        assert_eq!(COUNTRY_OFFSETS.get("in"), Some(&(330, 330)));
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
