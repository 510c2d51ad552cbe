//! Server-rendered pages. Every value from an article or a request goes through maud, which
//! escapes it, so hostile text shows as text. Pages need no JavaScript: filters are GET forms,
//! actions are POST forms answered with a redirect, the ingest page refreshes itself while work
//! is queued.

use crate::api::{self, QueueParams, StoriesParams, group_cites, upload_items};
use crate::auth::{self, Identity};
use crate::desk;
use crate::storage::{ArticleSummary, GroupRow, QueueState, StoryState};
use crate::web::{AppError, AppState, Rendered, StoryView, blocking};
use axum::extract::{Extension, Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use corroborate::model::{ClaimKind, Verdict};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

const CSS: &str = include_str!("desk.css");

type Page = Result<Response, AppError>;

fn layout(who: &Identity, title: &str, refresh: bool, body: impl maud::Render) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if refresh { meta http-equiv="refresh" content="5"; }
                title { (title) " · corroborate" }
                link rel="stylesheet" href="/static/desk.css";
            }
            body {
                header.top {
                    a.brand href="/" { "corroborate" }
                    nav {
                        a href="/" { "Stories" }
                        a href="/?sort=disputed" { "Most disputed" }
                        a href="/ingest" { "Ingest" }
                        a href="/feeds" { "Feeds" }
                        a href="/api/openapi.json" { "API" }
                        @match who {
                            Identity::User { user, .. } => {
                                form.logout method="post" action="/logout" {
                                    a.who href="/account" { (user.name) " (" (user.role.name()) ")" } " "
                                    button type="submit" { "Log out" }
                                }
                            }
                            Identity::Anonymous => { a href="/login" { "Log in" } }
                            Identity::Local => {}
                        }
                    }
                }
                main { (body) }
            }
        }
    };
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// The page shown for an error.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    layout(
        &Identity::Anonymous,
        status.canonical_reason().unwrap_or("Error"),
        false,
        html! {
            h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
            p.error { (message) }
            p { a href="/" { "Back to the stories" } }
        },
    )
}

pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

fn verdict_badge(name: &str) -> Markup {
    let description = verdict_named(name).map_or("", |v| v.description());
    html! {
        span class={ "verdict v-" (name) " " (look(name)) } title=(description) {
            (name.replace('_', "-"))
        }
    }
}

/// The verdict stored under `name` (its JSON key).
fn verdict_named(name: &str) -> Option<corroborate::model::Verdict> {
    corroborate::model::Verdict::ALL
        .into_iter()
        .find(|v| desk::verdict_key(*v) == name)
}

/// The class that colours a verdict, from its definition: outlets in dispute, agreement, or a
/// note (vague figures, developments, single sources).
fn look(name: &str) -> &'static str {
    match verdict_named(name) {
        Some(v) if v.is_dispute() => "dispute",
        Some(v) if v.tone() == corroborate::model::Tone::Agreement => "agreement",
        _ => "note",
    }
}

fn topic_label(topic: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    match topic["type"].as_str() {
        Some("quantity") => format!("how many: {}", text(&topic["counted"])),
        Some("office") => {
            let office = &topic["office"];
            match office["org"].as_str() {
                Some(org) => format!("who is {} ({org})", text(&office["title"])),
                None => format!("who is {}", text(&office["title"])),
            }
        }
        Some("quote") => match topic["speaker"].as_str() {
            Some(speaker) => format!("quotation of {speaker}"),
            None => "quotation".to_string(),
        },
        Some("dating") => "dating".to_string(),
        _ => topic.to_string(),
    }
}

pub(crate) async fn stories(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Query(params): Query<StoriesParams>,
) -> Page {
    let query = params.query()?;
    let (limit, offset) = (query.limit, query.offset);
    let store = state.store.clone();
    let (items, outlets) = blocking(move || Ok((store.stories(&query)?, store.outlets()?))).await?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let link = |offset: i64| {
        let mut url = format!("/?offset={offset}&limit={limit}");
        for (key, v) in [
            ("q", &params.q),
            ("verdict", &params.verdict),
            ("outlet", &params.outlet),
            ("from", &params.from),
            ("to", &params.to),
            ("sort", &params.sort),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                url.push_str(&format!("&{key}={}", encode(v)));
            }
        }
        url
    };
    let body = html! {
        h1 { "Stories" }
        form.filters method="get" action="/" {
            input type="search" name="q" placeholder="Search articles" value=(value(&params.q)) aria-label="Search";
            select name="verdict" aria-label="Verdict" {
                option value="" { "any verdict" }
                @for v in corroborate::model::Verdict::ALL {
                    @let key = desk::verdict_key(v);
                    option value=(key) selected[params.verdict.as_deref() == Some(key.as_str())] { (v.name()) }
                }
            }
            select name="outlet" aria-label="Outlet" {
                option value="" { "any outlet" }
                @for o in &outlets {
                    option value=(o) selected[params.outlet.as_deref() == Some(o.as_str())] { (o) }
                }
            }
            input type="date" name="from" value=(value(&params.from)) aria-label="Published from";
            input type="date" name="to" value=(value(&params.to)) aria-label="Published until";
            select name="sort" aria-label="Order" {
                option value="newest" { "newest" }
                option value="disputed" selected[params.sort.as_deref() == Some("disputed")] { "most disputed" }
            }
            button type="submit" { "Show" }
        }
        @if items.is_empty() {
            p.empty { "No stories match. " a href="/ingest" { "Add articles" } "." }
        }
        ol.stories {
            @for s in &items {
                li {
                    a.story-title href={ "/stories/" (s.id) } { (s.label) }
                    div.meta {
                        @if let (Some(a), Some(b)) = (&s.first_published, &s.last_published) {
                            @if a == b { (a) " · " } @else { (a) " – " (b) " · " }
                        }
                        (s.articles) " articles · " (s.groups) " groups"
                        @if s.disputed > 0 { " · " strong.disputed { (s.disputed) " disputed" } }
                    }
                    div.outlets { (s.outlets.join(" · ")) }
                    div.verdicts { @for v in &s.verdicts { (verdict_badge(v)) " " } }
                }
            }
        }
        nav.pager {
            @if offset > 0 { a href=(link((offset - limit).max(0))) { "← newer" } }
            @if items.len() as i64 == limit { a href=(link(offset + limit)) { "older →" } }
        }
    };
    Ok(layout(&who, "Stories", false, body))
}

/// Percent-encodes a query value.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn article_name(a: &ArticleSummary) -> String {
    a.outlet
        .clone()
        .or_else(|| a.title.clone())
        .unwrap_or_else(|| format!("article {}", a.id))
}

/// The passage around `spans` (their sentence, at most ~240 bytes either side), as byte offsets.
fn passage(text: &str, spans: &[(usize, usize)]) -> Option<(usize, usize)> {
    let start = spans.iter().map(|s| s.0).min()?;
    let end = spans.iter().map(|s| s.1).max()?;
    text.get(start..end)?;
    const REACH: usize = 240;
    let stops = ['.', '!', '?', '\n'];
    let mut from = text[..start].rfind(stops).map_or(0, |i| i + 1);
    if start - from > REACH {
        from = start - REACH;
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    let mut to = text[end..].find(stops).map_or(text.len(), |i| end + i + 1);
    if to - end > REACH {
        to = end + REACH;
        while !text.is_char_boundary(to) {
            to -= 1;
        }
    }
    Some((from, to))
}

/// One outlet's evidence: the passage with every span of the group marked.
fn evidence_card(
    doc: i64,
    spans: &[(usize, usize)],
    text: Option<&str>,
    name: &str,
    verdict: &str,
) -> Markup {
    let first = spans.iter().map(|s| s.0).min().unwrap_or(0);
    let mut marks: Vec<(usize, usize)> = spans.to_vec();
    marks.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in marks {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    // (plain text before a mark, marked text) pairs, then the rest of the passage.
    let pieces = text.and_then(|t| {
        let (from, to) = passage(t, &merged)?;
        let mut pos = from;
        let mut pairs = Vec::with_capacity(merged.len());
        for &(s, e) in &merged {
            pairs.push((t.get(pos..s)?, t.get(s..e)?));
            pos = e;
        }
        Some((pairs, t.get(pos..to)?))
    });
    html! {
        figure.quote {
            figcaption { a href={ "/articles/" (doc) "#at-" (first) } { (name) } }
            @match pieces {
                Some((pairs, tail)) => blockquote {
                    @for (before, marked) in pairs {
                        (before)
                        mark class={ "v-" (verdict) " " (look(verdict)) } { (marked) }
                    }
                    (tail)
                },
                None => blockquote.invalid { "(this evidence cannot be quoted)" },
            }
        }
    }
}

/// A figure as one article reported it, for a timeline.
struct Reported {
    published: Option<String>,
    article: i64,
    name: String,
    figure: String,
}

/// Who reported which figure when, for an `evolving` group: one row per article and figure,
/// by publication date (undated last), as written in the article. `figures` holds each
/// article's quantity claims' numbers as written, by claim index.
fn timeline(
    body: &Value,
    articles: &[ArticleSummary],
    figures: &HashMap<i64, Vec<Option<String>>>,
) -> Vec<Reported> {
    let mut rows: Vec<Reported> = Vec::new();
    for claim in body["claims"].as_array().into_iter().flatten() {
        let doc = claim["doc"].as_i64().unwrap_or(-1);
        let index = claim["claim"].as_u64().unwrap_or(u64::MAX) as usize;
        let (Some(article), Some(Some(figure))) = (
            articles.iter().find(|a| a.id == doc),
            figures.get(&doc).and_then(|f| f.get(index)),
        ) else {
            continue;
        };
        if rows.iter().any(|r| r.article == doc && &r.figure == figure) {
            continue;
        }
        rows.push(Reported {
            published: article.published.clone(),
            article: doc,
            name: article_name(article),
            figure: figure.clone(),
        });
    }
    rows.sort_by(|a, b| {
        (a.published.is_none(), &a.published, a.article).cmp(&(
            b.published.is_none(),
            &b.published,
            b.article,
        ))
    });
    rows
}

fn timeline_table(rows: &[Reported]) -> Markup {
    let latest = rows.iter().rev().find(|r| r.published.is_some());
    html! {
        table.queue.timeline {
            caption { "Figures over time" }
            thead { tr { th { "published" } th { "article" } th { "figure" } } }
            tbody {
                @for r in rows {
                    tr {
                        td { (r.published.as_deref().unwrap_or("undated")) }
                        td { a href={ "/articles/" (r.article) } { (r.name) } }
                        td { (r.figure) }
                    }
                }
            }
        }
        @if let Some(r) = latest {
            p.latest {
                "Latest figure: " strong { (r.figure) }
                " (" (r.name) ", " (r.published.as_deref().unwrap_or("")) ")"
            }
        }
    }
}

fn group_section(
    group: &GroupRow,
    names: &HashMap<i64, String>,
    texts: &HashMap<i64, String>,
    timeline: Option<&[Reported]>,
) -> Markup {
    let body: Value = serde_json::from_str(&group.body).unwrap_or(Value::Null);
    let diffs = body["diffs"].as_array().cloned().unwrap_or_default();
    // Evidence by article, in the group's order.
    let mut by_doc: Vec<(i64, Vec<(usize, usize)>)> = Vec::new();
    for e in body["evidence"].as_array().into_iter().flatten() {
        let doc = e["doc"].as_i64().unwrap_or(-1);
        let span = (
            e["start"].as_u64().unwrap_or(0) as usize,
            e["end"].as_u64().unwrap_or(0) as usize,
        );
        match by_doc.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, spans)) => spans.push(span),
            None => by_doc.push((doc, vec![span])),
        }
    }
    html! {
        section.group id={ "group-" (group.key) } {
            h3 {
                (verdict_badge(&group.verdict)) " "
                (topic_label(&body["topic"])) " "
                a.permalink href={ "/groups/" (group.key) } title="Permalink" { "#" }
            }
            p.explanation { (body["explanation"].as_str().unwrap_or("")) }
            @if let Some(rows) = timeline.filter(|rows| !rows.is_empty()) { (timeline_table(rows)) }
            div.evidence {
                @for (doc, spans) in &by_doc {
                    @let name = names.get(doc).cloned().unwrap_or_else(|| format!("article {doc}"));
                    (evidence_card(*doc, spans, texts.get(doc).map(String::as_str), &name, &group.verdict))
                }
            }
            @for d in &diffs {
                p.diff {
                    @for seg in d["segments"].as_array().into_iter().flatten() {
                        @let text = seg["text"].as_str().unwrap_or("");
                        @match seg["op"].as_str() {
                            Some("insert") => ins { (text) },
                            Some("delete") => del { (text) },
                            _ => span { (text) },
                        }
                        " "
                    }
                }
            }
        }
    }
}

pub(crate) async fn story(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(id): Path<i64>,
) -> Page {
    let version = match crate::web::story_state(&state, id).await? {
        StoryState::Current { version } => version,
        StoryState::Moved { to } => {
            return Ok(Redirect::permanent(&format!("/stories/{to}")).into_response());
        }
        StoryState::Missing => return Err(AppError::NotFound(format!("no story {id}"))),
    };
    let rendered = match state.stories.get(StoryView::Page, id, version) {
        Some(rendered) => rendered,
        None => {
            let rendered = render_story(&state, id).await?;
            state
                .stories
                .put(StoryView::Page, id, version, rendered.clone());
            rendered
        }
    };
    // The body is markup maud escaped when it was rendered.
    let body = maud::PreEscaped(String::from_utf8_lossy(&rendered.body));
    Ok(layout(&who, &rendered.title, false, body))
}

/// The story page's content (the same for every visitor, so it is cached by story version).
async fn render_story(state: &Arc<AppState>, id: i64) -> Result<Rendered, AppError> {
    let store = state.store.clone();
    let (summary, articles, groups, texts, figures) = blocking(move || {
        let articles = store.story_articles(id)?;
        let mut texts = HashMap::new();
        let mut figures = HashMap::new();
        // One read for every article's analysis, not one round trip each.
        let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
        for record in store.analyses(&ids)? {
            if let Ok(analyzed) = desk::load_analyzed(&record.analyzed, 0) {
                let sourcing = corroborate::report::SourcingProfile::of(&analyzed);
                let framing = corroborate::report::FramingProfile::of(&analyzed);
                let numbers: Vec<Option<String>> = analyzed
                    .claims
                    .iter()
                    .map(|c| match &c.kind {
                        ClaimKind::Quantity(q) => {
                            q.number.slice(&analyzed.article.text).map(str::to_string)
                        }
                        _ => None,
                    })
                    .collect();
                figures.insert(record.id, numbers);
                texts.insert(record.id, (analyzed.article.text, sourcing, framing));
            }
        }
        Ok((
            store.story(id)?,
            articles,
            store.story_groups(id)?,
            texts,
            figures,
        ))
    })
    .await?;
    let summary = summary.ok_or_else(|| AppError::NotFound(format!("no story {id}")))?;
    let names: HashMap<i64, String> = articles.iter().map(|a| (a.id, article_name(a))).collect();
    let profiles = html! {
        details.profiles {
            summary { "Sourcing and framing by article" }
            table.queue {
                thead { tr { th { "article" } th { "named" } th { "anonymous" } th { "hedged" } th { "document" } th { "loaded terms in its own voice" } } }
                tbody {
                    @for a in &articles {
                        @if let Some((_, sourcing, framing)) = texts.get(&a.id) {
                            tr {
                                td { a href={ "/articles/" (a.id) } { (article_name(a)) } }
                                @for (_, n) in sourcing.entries() { td { (n) } }
                                td { @for (i, t) in framing.outlet.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    (t.term) " (" (t.category) @if t.count > 1 { " ×" (t.count) } ")"
                                } }
                            }
                        }
                    }
                }
            }
        }
    };
    let texts: HashMap<i64, String> = texts
        .into_iter()
        .map(|(id, (text, _, _))| (id, text))
        .collect();
    let body = html! {
        h1 { (summary.label) }
        p.meta {
            (summary.articles) " articles · " (summary.groups) " groups"
            @if summary.disputed > 0 { " · " strong.disputed { (summary.disputed) " disputed" } }
            " · " a href={ "/api/stories/" (id) } { "JSON" }
        }
        details.articles {
            summary { "Articles" }
            ul {
                @for a in &articles {
                    li {
                        a href={ "/articles/" (a.id) } { (article_name(a)) }
                        @if let Some(t) = &a.title { " — " (t) }
                        @if let Some(p) = &a.published { " · " (p) }
                    }
                }
            }
        }
        (profiles)
        @if groups.is_empty() { p.empty { "No comparable claims in this story yet." } }
        @for g in &groups {
            @let rows = (g.verdict == desk::verdict_key(Verdict::Evolving)).then(|| {
                timeline(&serde_json::from_str(&g.body).unwrap_or(Value::Null), &articles, &figures)
            });
            (group_section(g, &names, &texts, rows.as_deref()))
        }
    };
    Ok(Rendered {
        title: summary.label.as_str().into(),
        body: body.into_string().into(),
        etag: axum::http::HeaderValue::from_static(""),
    })
}

pub(crate) async fn group(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(key): Path<String>,
) -> Page {
    let store = state.store.clone();
    let lookup = key.clone();
    let group = blocking(move || store.group(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no group {key:?}")))?;
    match group.story {
        Some(story) => {
            Ok(Redirect::to(&format!("/stories/{story}#group-{}", group.key)).into_response())
        }
        None => Ok(layout(
            &who,
            "Group",
            false,
            group_section(&group, &HashMap::new(), &HashMap::new(), None),
        )),
    }
}

/// A highlighted span of an article's text.
struct Highlight {
    start: usize,
    end: usize,
    /// The group it is evidence of, with that group's verdict.
    group: Option<(String, String)>,
}

/// Picks non-overlapping highlights: group evidence first (most important verdict first, the
/// order groups are stored in), then claims that no group cites.
fn highlights(text: &str, groups: &[(String, String, Value)], claims: &[Value]) -> Vec<Highlight> {
    let mut chosen: Vec<Highlight> = Vec::new();
    let mut take = |start: usize, end: usize, group: Option<(String, String)>| {
        if start < end
            && text.get(start..end).is_some()
            && !chosen.iter().any(|h| start < h.end && h.start < end)
        {
            chosen.push(Highlight { start, end, group });
        }
    };
    for (key, verdict, spans) in groups {
        for span in spans.as_array().into_iter().flatten() {
            let (Some(s), Some(e)) = (span["start"].as_u64(), span["end"].as_u64()) else {
                continue;
            };
            take(s as usize, e as usize, Some((key.clone(), verdict.clone())));
        }
    }
    for claim in claims {
        let span = &claim["evidence"];
        if let (Some(s), Some(e)) = (span["start"].as_u64(), span["end"].as_u64()) {
            take(s as usize, e as usize, None);
        }
    }
    chosen.sort_by_key(|h| h.start);
    chosen
}

fn highlighted_text(text: &str, marks: &[Highlight]) -> Markup {
    let mut pos = 0;
    let mut pieces = Vec::with_capacity(marks.len());
    for h in marks {
        pieces.push((text.get(pos..h.start).unwrap_or(""), h));
        pos = h.end;
    }
    let tail = text.get(pos..).unwrap_or("");
    html! {
        div.text {
            @for (before, h) in pieces {
                (before)
                @let marked = text.get(h.start..h.end).unwrap_or("");
                @match &h.group {
                    Some((key, verdict)) => a href={ "/groups/" (key) } {
                        mark id={ "at-" (h.start) } class={ "v-" (verdict) " " (look(verdict)) } title=(verdict) { (marked) }
                    },
                    None => mark.claim id={ "at-" (h.start) } { (marked) },
                }
            }
            (tail)
        }
    }
}

pub(crate) async fn article(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(id): Path<i64>,
) -> Page {
    let (record, groups) = api::article_with_groups(&state, id).await?;
    let view = api::article_view(&record.analyzed, id)?;
    let text = view["article"]["text"].as_str().unwrap_or("");
    let cited: Vec<(String, String, Value, String)> = groups
        .iter()
        .filter_map(|g| {
            let body: Value = serde_json::from_str(&g.body).ok()?;
            if !group_cites(&body, id) {
                return None;
            }
            let spans: Vec<Value> = body["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| e["doc"].as_i64() == Some(id))
                .cloned()
                .collect();
            Some((
                g.key.clone(),
                g.verdict.clone(),
                Value::Array(spans),
                topic_label(&body["topic"]),
            ))
        })
        .collect();
    let claims = view["claims"].as_array().cloned().unwrap_or_default();
    let spans: Vec<(String, String, Value)> = cited
        .iter()
        .map(|(k, v, s, _)| (k.clone(), v.clone(), s.clone()))
        .collect();
    let marks = highlights(text, &spans, &claims);
    let s = &record.summary;
    let title = s.title.clone().unwrap_or_else(|| article_name(s));
    let body = html! {
        h1 { (title) }
        p.meta {
            @if let Some(o) = &s.outlet { strong { (o) } " · " }
            @if let Some(p) = &s.published { (p) " · " }
            @if let Some(story) = s.story { a href={ "/stories/" (story) } { "the story" } " · " }
            @if let Some(url) = &s.url { a href=(url) rel="nofollow noreferrer" { "original" } " · " }
            a href={ "/api/articles/" (id) } { "JSON" }
        }
        @if s.superseded { p.notice { "A later revision of this article replaces it in the alignment." } }
        @if let Some(of) = s.revision_of { p.notice { "Revises " a href={ "/articles/" (of) } { "an earlier version" } "." } }
        @if !cited.is_empty() {
            section.cited {
                h2 { "In groups" }
                ul { @for (key, verdict, _, label) in &cited { li { (verdict_badge(verdict)) " " a href={ "/groups/" (key) } { (label) } } } }
            }
        }
        (highlighted_text(text, &marks))
    };
    Ok(layout(&who, &title, false, body))
}

pub(crate) async fn ingest(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Query(params): Query<QueueParams>,
) -> Page {
    let filter = params.state()?;
    let limit = params.limit.unwrap_or(100).clamp(1, 500);
    let offset = params.offset.unwrap_or(0).max(0);
    let store = state.store.clone();
    let (counts, items) =
        blocking(move || Ok((store.queue_counts()?, store.queue(filter, limit, offset)?))).await?;
    let working = counts.pending + counts.running > 0;
    let body = html! {
        h1 { "Ingest" }
        form.upload method="post" action=(who.action("/ingest")) enctype="multipart/form-data" {
            label { "Articles (text, HTML, RSS/Atom, WARC, JSON Lines; many files at once): "
                input type="file" name="files" multiple required; }
            button type="submit" { "Upload" }
        }
        p.counts {
            @for s in QueueState::ALL {
                a href={ "/ingest?state=" (s.name()) } { (s.name()) }
                ": " (match s { QueueState::Pending => counts.pending, QueueState::Running => counts.running,
                               QueueState::Done => counts.done, QueueState::Failed => counts.failed }) " "
            }
            a href="/ingest" { "all" }
        }
        table.queue {
            thead { tr { th { "#" } th { "source" } th { "state" } th { "articles" } th { "bytes" } th { "error" } th {} } }
            tbody {
                @for item in &items {
                    tr class={ "q-" (item.state.name()) } {
                        td { (item.id) }
                        td { (item.source) }
                        td { (item.state.name()) }
                        td { (item.articles) }
                        td { (item.bytes) }
                        td.error { (item.error.as_deref().unwrap_or("")) }
                        td {
                            @if item.state == QueueState::Failed {
                                form method="post" action=(who.action(&format!("/ingest/{}/retry", item.id))) {
                                    button type="submit" { "Retry" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&who, "Ingest", working, body))
}

pub(crate) async fn upload(State(state): State<Arc<AppState>>, multipart: Multipart) -> Page {
    let items = upload_items(multipart).await?;
    api::enqueue(&state, items).await?;
    Ok(Redirect::to("/ingest").into_response())
}

pub(crate) async fn retry(State(state): State<Arc<AppState>>, Path(id): Path<i64>) -> Page {
    api::retry_item(&state, id).await?;
    Ok(Redirect::to("/ingest").into_response())
}

fn when(seconds: Option<i64>) -> String {
    match seconds {
        None => "never".to_string(),
        Some(t) => {
            let ago = crate::storage::now() - t;
            if ago >= 0 {
                format!("{ago} s ago")
            } else {
                format!("in {} s", -ago)
            }
        }
    }
}

pub(crate) async fn feeds(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
) -> Page {
    let store = state.store.clone();
    let feeds = blocking(move || store.feeds()).await?;
    let body = html! {
        h1 { "Feeds" }
        form.subscribe method="post" action=(who.action("/feeds")) {
            input type="url" name="url" placeholder="https://example.com/feed.xml" required aria-label="Feed URL";
            input type="number" name="interval_seconds" min="60" value=(api::FEED_INTERVAL) aria-label="Seconds between polls";
            button type="submit" { "Subscribe" }
        }
        @if feeds.is_empty() { p.empty { "No feeds yet. Feeds are polled with conditional requests; new items arrive on the ingest page." } }
        table.queue {
            thead { tr { th { "#" } th { "feed" } th { "every" } th { "polled" } th { "next" } th { "updates" } th { "error" } th {} } }
            tbody {
                @for f in &feeds {
                    tr class=[(f.failures > 0).then_some("q-failed")] {
                        td { (f.id) }
                        td { a href=(f.url) rel="nofollow noreferrer" { (f.url) } }
                        td { (f.interval_seconds) " s" }
                        td { (when(f.last_polled_at)) }
                        td { (when(Some(f.next_poll_at))) }
                        td { (f.updates) }
                        td.error { @if let Some(e) = &f.last_error { (e) " (" (f.failures) " in a row)" } }
                        td {
                            form method="post" action=(who.action(&format!("/feeds/{}/delete", f.id))) {
                                button type="submit" { "Unsubscribe" }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&who, "Feeds", false, body))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct FeedForm {
    url: String,
    interval_seconds: Option<i64>,
}

pub(crate) async fn subscribe(
    State(state): State<Arc<AppState>>,
    Form(form): Form<FeedForm>,
) -> Page {
    api::subscribe(
        &state,
        api::FeedBody {
            url: form.url,
            interval_seconds: form.interval_seconds,
        },
    )
    .await?;
    Ok(Redirect::to("/feeds").into_response())
}

pub(crate) async fn unsubscribe(State(state): State<Arc<AppState>>, Path(id): Path<i64>) -> Page {
    api::unsubscribe(&state, id).await?;
    Ok(Redirect::to("/feeds").into_response())
}

/// What an admin sees of the accounts: every user and API token, each with a revoke button.
struct Accounts {
    users: Vec<crate::storage::User>,
    tokens: Vec<crate::storage::ApiToken>,
}

/// The account page, with the accounts listed for an admin.
async fn account_view(state: &AppState, who: &Identity, notice: Option<Markup>) -> Page {
    let accounts = match who.role() {
        Some(crate::storage::Role::Admin) if state.auth_enabled => {
            let store = state.store.clone();
            let (users, tokens) = blocking(move || Ok((store.users()?, store.tokens()?))).await?;
            Some(Accounts { users, tokens })
        }
        _ => None,
    };
    Ok(account_page(who, notice, accounts.as_ref()))
}

fn accounts_section(who: &Identity, accounts: &Accounts) -> Markup {
    html! {
        h2 { "Users" }
        table.queue {
            thead { tr { th { "name" } th { "role" } th { "" } } }
            tbody {
                @for u in &accounts.users {
                    tr {
                        td { (u.name) } td { (u.role.name()) }
                        td {
                            form.inline method="post" action=(who.action(&format!("/account/users/{}/revoke", encode(&u.name)))) {
                                button type="submit" { "Revoke" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "API tokens" }
        @if accounts.tokens.is_empty() { p.empty { "No API tokens." } }
        @else {
            table.queue {
                thead { tr { th { "id" } th { "user" } th { "label" } th { "" } } }
                tbody {
                    @for t in &accounts.tokens {
                        tr {
                            td { code { (t.id) } } td { (t.user) } td { (t.label) }
                            td {
                                form.inline method="post" action=(who.action(&format!("/account/tokens/{}/revoke", t.id))) {
                                    button type="submit" { "Revoke" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn account_page(who: &Identity, notice: Option<Markup>, accounts: Option<&Accounts>) -> Response {
    let body = html! {
        h1 { "Account" }
        @if let Some(notice) = notice { (notice) }
        @match who {
            Identity::User { user, .. } => {
                p { "Logged in as " strong { (user.name) } " (" (user.role.name()) ")." }
                h2 { "API token" }
                p { "Send it as " code { "Authorization: Bearer TOKEN" } "; it acts with your role. It is shown once." }
                form method="post" action=(who.action("/account/tokens")) {
                    input type="text" name="label" placeholder="what it is for" required aria-label="Label";
                    " " button type="submit" { "Create a token" }
                }
                @if user.role == crate::storage::Role::Admin {
                    h2 { "Add or update a user" }
                    form.account method="post" action=(who.action("/account/users")) {
                        input type="text" name="name" placeholder="name" required aria-label="Name";
                        " " select name="role" aria-label="Role" {
                            option value="reader" { "reader" }
                            option value="editor" { "editor" }
                            option value="admin" { "admin" }
                        }
                        " " input type="password" name="password" placeholder="password (8+ characters)" minlength="8" required aria-label="Password";
                        " " button type="submit" { "Save" }
                    }
                }
                @if let Some(accounts) = accounts { (accounts_section(who, accounts)) }
            }
            _ => p { "Authentication is off: this desk has no users. Add one with "
                     code { "corroborate serve --add-user NAME --role admin" } " and restart." },
        }
    };
    layout(who, "Account", false, body)
}

pub(crate) async fn account(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
) -> Page {
    account_view(&state, &who, None).await
}

pub(crate) async fn revoke_user(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(name): Path<String>,
) -> Page {
    api::revoke_user(&state, &who, name.clone()).await?;
    let notice =
        html! { p.notice { "Revoked user " strong { (name) } " with its sessions and tokens." } };
    account_view(&state, &who, Some(notice)).await
}

pub(crate) async fn revoke_token(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(id): Path<String>,
) -> Page {
    api::revoke_token(&state, id.clone()).await?;
    let notice = html! { p.notice { "Revoked API token " code { (id) } "." } };
    account_view(&state, &who, Some(notice)).await
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct TokenForm {
    label: String,
}

pub(crate) async fn create_token(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Form(form): Form<TokenForm>,
) -> Page {
    let Identity::User { user, .. } = &who else {
        return Err(AppError::BadRequest(
            "tokens belong to users; authentication is off".into(),
        ));
    };
    let token = auth::new_secret().map_err(AppError::Internal)?;
    let (hash, id, label) = (auth::secret_hash(&token), user.id, form.label);
    let store = state.store.clone();
    blocking(move || store.create_token(&hash, id, &label)).await?;
    let notice = html! { p.notice { "Your new token (copy it now, it is not shown again): " code.token { (token) } } };
    account_view(&state, &who, Some(notice)).await
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct UserForm {
    name: String,
    role: String,
    password: String,
}

pub(crate) async fn create_user(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Form(form): Form<UserForm>,
) -> Page {
    let role = crate::storage::Role::parse(&form.role).ok_or_else(|| {
        AppError::BadRequest(format!(
            "role {:?}: expected reader, editor or admin",
            form.role
        ))
    })?;
    let name = form.name.trim().to_string();
    if name.is_empty() || name.len() > 64 {
        return Err(AppError::BadRequest(
            "a user name has 1 to 64 characters".into(),
        ));
    }
    if form.password.chars().count() < 8 {
        return Err(AppError::BadRequest(
            "the password must have at least 8 characters".into(),
        ));
    }
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let store = state.store.clone();
    let stored = name.clone();
    blocking(move || store.put_user(&stored, role, &hash)).await?;
    let notice = html! { p.notice { "Saved user " strong { (name) } " (" (role.name()) ")." } };
    account_view(&state, &who, Some(notice)).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct LoginParams {
    next: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

/// Where to go after logging in: a path on this site only.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

fn login_form(next: &str, failed: bool) -> Markup {
    html! {
        h1 { "Log in" }
        @if failed { p.error { "Wrong name or password." } }
        form.login method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            p { label { "Name " input type="text" name="name" autocomplete="username" required; } }
            p { label { "Password " input type="password" name="password" autocomplete="current-password" required; } }
            button type="submit" { "Log in" }
        }
    }
}

pub(crate) async fn login_page(
    Extension(who): Extension<Identity>,
    Query(params): Query<LoginParams>,
) -> Response {
    let next = local_path(params.next.as_deref());
    layout(&who, "Log in", false, login_form(&next, false))
}

pub(crate) async fn login(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Form(form): Form<LoginForm>,
) -> Page {
    let next = local_path(form.next.as_deref());
    let store = state.store.clone();
    let name = form.name.clone();
    let user = blocking(move || store.user(&name)).await?;
    // Verify even for an unknown name, so timing does not tell which names exist.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let password = form.password;
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| verified) else {
        tracing::warn!(name = %form.name, "failed login");
        let mut page = layout(&who, "Log in", false, login_form(&next, true));
        *page.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(page);
    };
    let secret = auth::new_secret().map_err(AppError::Internal)?;
    let csrf = auth::new_secret().map_err(AppError::Internal)?;
    let store = state.store.clone();
    let hash = auth::secret_hash(&secret);
    let expires = crate::storage::now() + auth::SESSION_SECONDS;
    blocking(move || store.create_session(&hash, user.id, &csrf, expires)).await?;
    let mut response = Redirect::to(&next).into_response();
    if let Ok(cookie) = auth::session_cookie(&secret, state.cookie_secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// An argon2 hash of a random secret, checked for unknown user names.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let secret = auth::new_secret().unwrap_or_default();
        auth::hash_password(&secret).unwrap_or_default()
    })
}

pub(crate) async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Page {
    if let Some(secret) = auth::request_session(&headers) {
        let store = state.store.clone();
        let hash = auth::secret_hash(&secret);
        blocking(move || store.delete_session(&hash)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    if let Ok(cookie) = auth::clear_cookie(state.cookie_secure).parse() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_prefer_group_evidence_and_never_overlap() {
        let text = "One. Two three. Four.";
        let groups = vec![(
            "1-a".to_string(),
            "conflict".to_string(),
            serde_json::json!([{"doc": 1, "start": 5, "end": 15}]),
        )];
        let claims = vec![
            serde_json::json!({"evidence": {"doc": 1, "start": 5, "end": 9}}),
            serde_json::json!({"evidence": {"doc": 1, "start": 16, "end": 21}}),
            serde_json::json!({"evidence": {"doc": 1, "start": 16, "end": 99}}),
        ];
        let marks = highlights(text, &groups, &claims);
        let spans: Vec<_> = marks
            .iter()
            .map(|h| (h.start, h.end, h.group.is_some()))
            .collect();
        assert_eq!(spans, vec![(5, 15, true), (16, 21, false)]);
        let html = highlighted_text(text, &marks).into_string();
        assert!(
            html.contains(r#"<a href="/groups/1-a"><mark id="at-5" class="v-conflict dispute""#)
        );
        assert!(html.starts_with(r#"<div class="text">One. <a"#));
    }

    #[test]
    fn login_goes_back_only_to_local_paths() {
        assert_eq!(local_path(Some("/stories/3")), "/stories/3");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn evidence_is_shown_in_its_sentence_with_every_span_marked() {
        let text = "First one. Officials said 80 firefighters came. Last.";
        let html = evidence_card(
            3,
            &[(26, 28), (29, 41)],
            Some(text),
            "<Courier>",
            "conflict",
        )
        .into_string();
        assert!(
            html.contains(r#"<a href="/articles/3#at-26">&lt;Courier&gt;</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<blockquote> Officials said <mark class="v-conflict dispute">80</mark> <mark class="v-conflict dispute">firefighters</mark> came.</blockquote>"#), "{html}");
        assert_eq!(
            passage("é".repeat(300).as_str(), &[(300, 302)]).map(|(f, t)| (f % 2, t % 2)),
            Some((0, 0))
        );
        assert!(
            evidence_card(1, &[(5, 999)], Some("short"), "x", "agree")
                .into_string()
                .contains("cannot be quoted")
        );
    }

    #[test]
    fn encode_percent_encodes_query_values() {
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
