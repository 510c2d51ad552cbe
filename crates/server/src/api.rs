//! The JSON API under `/api`. Objects use the JSON report's field names (`crates/report/SCHEMA.md`):
//! a group is a report group (`topic`, `verdict`, `explanation`, `claims`, `evidence` with
//! `text`, `diffs`, `independent_sources`, `story`) plus its permalink `key`; an article is a
//! report article (the analysed article with `sourcing` and `framing`). Document ids (`doc`)
//! are stable article ids, and `story` is the story's id. Lists are pages (`limit`, `offset`,
//! `next`); reads carry an `ETag` and answer `If-None-Match` with 304.

use crate::auth::Identity;
use crate::desk;
use crate::storage::{
    ArticleRecord, GroupRow, NewItem, QueueState, StoryOrder, StoryQuery, StoryState,
};
use crate::web::{AppError, AppState, Rendered, StoryView, blocking};
use axum::body::Bytes;
use axum::extract::{Extension, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// An API error: the status and `{"error": "..."}`.
#[derive(Debug)]
pub(crate) struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Storage(_) | AppError::Internal(_)) {
            tracing::error!("{}", self.0);
        }
        (
            self.0.status(),
            axum::Json(json!({ "error": self.0.to_string() })),
        )
            .into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 500;

/// Page parameters, clamped to 1..=500 items.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Page {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl Page {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}

/// Story list parameters (shared with the stories page).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StoriesParams {
    pub q: Option<String>,
    pub verdict: Option<String>,
    pub outlet: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl StoriesParams {
    pub fn query(&self) -> Result<StoryQuery, AppError> {
        let page = Page {
            limit: self.limit,
            offset: self.offset,
        };
        let order = match self.sort.as_deref().unwrap_or("") {
            "" | "newest" => StoryOrder::Newest,
            "disputed" => StoryOrder::Disputed,
            other => {
                return Err(AppError::BadRequest(format!(
                    "sort={other:?}: expected newest or disputed"
                )));
            }
        };
        // The report's names (`holder_conflict`) and the text report's (`holder-conflict`).
        let verdict = non_empty(&self.verdict).map(|v| v.replace('-', "_"));
        if let Some(v) = &verdict
            && !corroborate::model::Verdict::ALL
                .iter()
                .any(|x| desk::verdict_key(*x) == *v)
        {
            return Err(AppError::BadRequest(format!(
                "verdict={v:?}: no such verdict"
            )));
        }
        let date = |name: &str, v: &Option<String>| -> Result<Option<String>, AppError> {
            match non_empty(v) {
                None => Ok(None),
                Some(d) => {
                    let ok = d.len() == 10
                        && d.bytes().enumerate().all(|(i, b)| {
                            if i == 4 || i == 7 {
                                b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        });
                    if ok {
                        Ok(Some(d))
                    } else {
                        Err(AppError::BadRequest(format!(
                            "{name}={d:?}: expected YYYY-MM-DD"
                        )))
                    }
                }
            }
        };
        Ok(StoryQuery {
            text: non_empty(&self.q),
            verdict,
            outlet: non_empty(&self.outlet),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            order,
            limit: page.limit(),
            offset: page.offset(),
        })
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[derive(Serialize)]
struct PageOf<T: Serialize> {
    items: Vec<T>,
    limit: i64,
    offset: i64,
    /// Offset of the next page, when this one was full.
    next_offset: Option<i64>,
}

fn page_of<T: Serialize>(items: Vec<T>, limit: i64, offset: i64) -> PageOf<T> {
    let next_offset = (items.len() as i64 == limit).then_some(offset + limit);
    PageOf {
        items,
        limit,
        offset,
        next_offset,
    }
}

/// A JSON response with a strong ETag of its bytes; 304 when the client has them.
pub(crate) fn json_with_etag(headers: &HeaderMap, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let etag = etag_of(&body);
            respond_json(headers, body.into(), etag)
        }
        Err(e) => ApiError(AppError::Internal(format!("cannot encode JSON: {e}"))).into_response(),
    }
}

/// The strong ETag of a body.
fn etag_of(body: &[u8]) -> HeaderValue {
    let etag = format!("\"{}\"", &desk::hex(&Sha256::digest(body))[..32]);
    HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""))
}

/// A JSON body with its ETag; 304 when the client has it.
fn respond_json(headers: &HeaderMap, body: Bytes, etag: HeaderValue) -> Response {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().as_bytes() == etag.as_bytes() || t.trim() == "*")
        });
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

fn stored_json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

pub(crate) async fn stories(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<StoriesParams>,
) -> ApiResult {
    let query = params.query()?;
    if let Some(cached) = state.reads.list(&query) {
        return Ok(respond_json(&headers, cached.body, cached.etag));
    }
    let (limit, offset) = (query.limit, query.offset);
    let epoch = state.reads.epoch();
    let store = state.store.clone();
    let items = blocking({
        let query = query.clone();
        move || store.stories(&query)
    })
    .await?;
    let body = serde_json::to_vec(&page_of(items, limit, offset))
        .map_err(|e| AppError::Internal(format!("cannot encode JSON: {e}")))?;
    let rendered = Rendered {
        title: "stories".into(),
        etag: etag_of(&body),
        body: body.into(),
    };
    state.reads.put_list(epoch, query, rendered.clone());
    Ok(respond_json(&headers, rendered.body, rendered.etag))
}

pub(crate) async fn story(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult {
    let version = match crate::web::story_state(&state, id).await? {
        StoryState::Current { version } => version,
        StoryState::Moved { to } => {
            return Ok(Redirect::permanent(&format!("/api/stories/{to}")).into_response());
        }
        StoryState::Missing => return Err(AppError::NotFound(format!("no story {id}")).into()),
    };
    if let Some(cached) = state.stories.get(StoryView::Api, id, version) {
        return Ok(respond_json(&headers, cached.body, cached.etag));
    }
    let store = state.store.clone();
    let (summary, articles, groups) = blocking(move || {
        Ok((
            store.story(id)?,
            store.story_articles(id)?,
            store.story_groups(id)?,
        ))
    })
    .await?;
    let summary = summary.ok_or_else(|| AppError::NotFound(format!("no story {id}")))?;
    let groups: Vec<Value> = groups.iter().map(|g| stored_json(&g.body)).collect();
    let body =
        serde_json::to_vec(&json!({ "story": summary, "articles": articles, "groups": groups }))
            .map_err(|e| AppError::Internal(format!("cannot encode JSON: {e}")))?;
    let rendered = Rendered {
        title: summary.label.as_str().into(),
        etag: etag_of(&body),
        body: body.into(),
    };
    state
        .stories
        .put(StoryView::Api, id, version, rendered.clone());
    Ok(respond_json(&headers, rendered.body, rendered.etag))
}

pub(crate) async fn group(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> ApiResult {
    let store = state.store.clone();
    let lookup = key.clone();
    let group = blocking(move || store.group(&lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no group {key:?}")))?;
    Ok(json_with_etag(&headers, &stored_json(&group.body)))
}

pub(crate) async fn articles(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(page): Query<Page>,
) -> ApiResult {
    let (limit, offset) = (page.limit(), page.offset());
    let store = state.store.clone();
    let items = blocking(move || store.articles(limit, offset)).await?;
    Ok(json_with_etag(&headers, &page_of(items, limit, offset)))
}

/// The report's article object (analysis with `sourcing` and `framing`), ids set to `id`.
pub(crate) fn article_view(analyzed: &str, id: i64) -> Result<Value, AppError> {
    let article = desk::load_analyzed(analyzed, 0).map_err(|e| {
        AppError::Internal(format!("article {id}: stored analysis unreadable: {e}"))
    })?;
    let mut value = serde_json::to_value(&article)
        .map_err(|e| AppError::Internal(format!("article {id}: {e}")))?;
    desk::renumber(&mut value, id.max(0) as u64);
    if let Value::Object(map) = &mut value {
        let sourcing = corroborate::report::SourcingProfile::of(&article);
        let framing = corroborate::report::FramingProfile::of(&article);
        map.insert(
            "sourcing".into(),
            serde_json::to_value(sourcing).unwrap_or_default(),
        );
        map.insert(
            "framing".into(),
            serde_json::to_value(framing).unwrap_or_default(),
        );
    }
    Ok(value)
}

pub(crate) async fn article(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult {
    let (record, groups) = article_with_groups(&state, id).await?;
    let view = article_view(&record.analyzed, id)?;
    let groups: Vec<String> = groups
        .iter()
        .filter(|g| group_cites(&stored_json(&g.body), id))
        .map(|g| g.key.clone())
        .collect();
    Ok(json_with_etag(
        &headers,
        &json!({ "record": record.summary, "article": view, "groups": groups }),
    ))
}

/// Article `id` with the groups of its story (the API's and the UI's article pages).
pub(crate) async fn article_with_groups(
    state: &AppState,
    id: i64,
) -> Result<(ArticleRecord, Vec<GroupRow>), AppError> {
    let store = state.store.clone();
    let (record, groups) = blocking(move || {
        let record = store.article(id)?;
        let groups = match record.as_ref().and_then(|r| r.summary.story) {
            Some(story) => store.story_groups(story)?,
            None => Vec::new(),
        };
        Ok((record, groups))
    })
    .await?;
    let record = record.ok_or_else(|| AppError::NotFound(format!("no article {id}")))?;
    Ok((record, groups))
}

/// Whether a stored group's claims or evidence come from article `id`.
pub(crate) fn group_cites(group: &Value, id: i64) -> bool {
    ["claims", "evidence"].iter().any(|field| {
        group[field]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["doc"].as_i64() == Some(id)))
    })
}

/// Splits a posted body into one queue item per article record: a JSON array, one object, or
/// JSON Lines. Anything else is refused with the parser's reason.
pub(crate) fn records(body: &[u8]) -> Result<Vec<NewItem>, AppError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        AppError::BadRequest(format!("the body is not UTF-8 (byte {})", e.valid_up_to()))
    })?;
    let item = |value: &Value| NewItem {
        source: "api.json".to_string(),
        payload: value.to_string().into_bytes(),
    };
    let check = |value: &Value, at: &str| {
        if value.is_object() {
            Ok(())
        } else {
            Err(AppError::BadRequest(format!(
                "{at}: an article record must be a JSON object"
            )))
        }
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(values)) => {
            for (i, v) in values.iter().enumerate() {
                check(v, &format!("item {i}"))?;
            }
            Ok(values.iter().map(item).collect())
        }
        Ok(value) => {
            check(&value, "the body")?;
            Ok(vec![item(&value)])
        }
        Err(whole) => {
            let mut items = Vec::new();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(line).map_err(|e| {
                    if n == 0 {
                        AppError::BadRequest(format!("the body is not JSON: {whole}"))
                    } else {
                        AppError::BadRequest(format!("line {}: not JSON: {e}", n + 1))
                    }
                })?;
                check(&value, &format!("line {}", n + 1))?;
                items.push(item(&value));
            }
            if items.is_empty() {
                return Err(AppError::BadRequest("the body is empty".into()));
            }
            Ok(items)
        }
    }
}

/// Queues `items` (committed before this returns) and wakes the worker.
pub(crate) async fn enqueue(
    state: &Arc<AppState>,
    items: Vec<NewItem>,
) -> Result<Vec<i64>, AppError> {
    let store = state.store.clone();
    let ids = blocking(move || store.enqueue(&items)).await?;
    state
        .metrics
        .submissions
        .fetch_add(ids.len() as u64, Ordering::Relaxed);
    state.wake.notify_one();
    Ok(ids)
}

fn accepted(ids: Vec<i64>) -> Response {
    (
        StatusCode::ACCEPTED,
        axum::Json(json!({ "queued": ids, "status": "/api/ingest" })),
    )
        .into_response()
}

pub(crate) async fn post_articles(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult {
    let items = records(&body)?;
    Ok(accepted(enqueue(&state, items).await?))
}

/// Reads every file part of a multipart upload; a malformed or oversized body is a 4xx with
/// the parser's reason.
pub(crate) async fn upload_items(mut multipart: Multipart) -> Result<Vec<NewItem>, AppError> {
    let mut items = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(e)),
        };
        let Some(name) = field.file_name().map(file_name) else {
            continue;
        };
        let bytes = field.bytes().await.map_err(multipart_error)?;
        if bytes.is_empty() {
            return Err(AppError::BadRequest(format!("{name}: the file is empty")));
        }
        items.push(NewItem {
            source: name,
            payload: bytes.to_vec(),
        });
    }
    if items.is_empty() {
        return Err(AppError::BadRequest(
            "no file in the upload (send multipart/form-data with a file field)".into(),
        ));
    }
    Ok(items)
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(format!("upload too large: {}", e.body_text()))
    } else {
        AppError::BadRequest(format!("malformed upload: {}", e.body_text()))
    }
}

/// The last path component of an uploaded file name, so a name never points elsewhere.
fn file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if base.is_empty() || base == "." || base == ".." {
        "upload".to_string()
    } else {
        base.to_string()
    }
}

pub(crate) async fn upload(State(state): State<Arc<AppState>>, multipart: Multipart) -> ApiResult {
    let items = upload_items(multipart).await?;
    Ok(accepted(enqueue(&state, items).await?))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    pub state: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl QueueParams {
    pub fn state(&self) -> Result<Option<QueueState>, AppError> {
        match non_empty(&self.state) {
            None => Ok(None),
            Some(s) => QueueState::parse(&s).map(Some).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "state={s:?}: expected pending, running, done or failed"
                ))
            }),
        }
    }
}

pub(crate) async fn queue(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(params): Query<QueueParams>,
) -> ApiResult {
    let filter = params.state()?;
    let page = Page {
        limit: params.limit,
        offset: params.offset,
    };
    let (limit, offset) = (page.limit(), page.offset());
    let store = state.store.clone();
    let (counts, items) =
        blocking(move || Ok((store.queue_counts()?, store.queue(filter, limit, offset)?))).await?;
    let mut body = serde_json::to_value(page_of(items, limit, offset))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    body["counts"] = serde_json::to_value(counts).unwrap_or_default();
    body["busy"] = state.busy.load(Ordering::SeqCst).into();
    Ok(json_with_etag(&headers, &body))
}

/// Puts a failed item back in the queue.
pub(crate) async fn retry_item(state: &Arc<AppState>, id: i64) -> Result<(), AppError> {
    let store = state.store.clone();
    if blocking(move || store.retry(id)).await? {
        state.wake.notify_one();
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no failed queue item {id}")))
    }
}

pub(crate) async fn retry(State(state): State<Arc<AppState>>, Path(id): Path<i64>) -> ApiResult {
    retry_item(&state, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({ "queued": [id], "status": "/api/ingest" })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct UrlsBody {
    url: Option<String>,
    #[serde(default)]
    urls: Vec<String>,
}

/// An http(s) URL with a host, or the reason it is not one.
pub(crate) fn check_url(url: &str) -> Result<String, AppError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| AppError::BadRequest(format!("{url:?}: only http and https URLs")))?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err(AppError::BadRequest(format!(
            "{url:?}: not a URL with a host"
        )));
    }
    Ok(url.to_string())
}

/// Queues URLs to fetch and analyse: `{"url": …}` or `{"urls": […]}`.
pub(crate) async fn post_urls(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult {
    let body: UrlsBody = serde_json::from_slice(&body).map_err(|e| {
        AppError::BadRequest(format!("expected {{\"url\": …}} or {{\"urls\": […]}}: {e}"))
    })?;
    let urls: Vec<String> = body.url.into_iter().chain(body.urls).collect();
    if urls.is_empty() {
        return Err(AppError::BadRequest("no URL given".into()).into());
    }
    let items = urls
        .iter()
        .map(|u| {
            check_url(u).map(|source| NewItem {
                source,
                payload: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(accepted(enqueue(&state, items).await?))
}

#[derive(Debug, Deserialize)]
pub(crate) struct FeedBody {
    pub url: String,
    pub interval_seconds: Option<i64>,
}

/// Default seconds between polls of a feed.
pub(crate) const FEED_INTERVAL: i64 = 900;

/// Subscribes to a feed; returns its id.
pub(crate) async fn subscribe(state: &Arc<AppState>, body: FeedBody) -> Result<i64, AppError> {
    let url = check_url(&body.url)?;
    let interval = body.interval_seconds.unwrap_or(FEED_INTERVAL);
    if !(1..=7 * 86400).contains(&interval) {
        return Err(AppError::BadRequest(format!(
            "interval_seconds={interval}: expected 1 to 604800"
        )));
    }
    let store = state.store.clone();
    blocking(move || store.add_feed(&url, interval)).await
}

pub(crate) async fn post_feed(State(state): State<Arc<AppState>>, body: Bytes) -> ApiResult {
    let body: FeedBody = serde_json::from_slice(&body).map_err(|e| {
        AppError::BadRequest(format!(
            "expected {{\"url\": …, \"interval_seconds\": …}}: {e}"
        ))
    })?;
    let id = subscribe(&state, body).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({ "id": id }))).into_response())
}

pub(crate) async fn feeds(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult {
    let store = state.store.clone();
    let feeds = blocking(move || store.feeds()).await?;
    Ok(json_with_etag(&headers, &json!({ "items": feeds })))
}

/// Unsubscribes from a feed.
pub(crate) async fn unsubscribe(state: &Arc<AppState>, id: i64) -> Result<(), AppError> {
    let store = state.store.clone();
    if blocking(move || store.delete_feed(id)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no feed {id}")))
    }
}

pub(crate) async fn delete_feed(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> ApiResult {
    unsubscribe(&state, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Revokes a user (with its sessions and tokens) for an admin, who cannot revoke themselves.
pub(crate) async fn revoke_user(
    state: &AppState,
    who: &Identity,
    name: String,
) -> Result<(), AppError> {
    if let Identity::User { user, .. } = who
        && user.name == name
    {
        return Err(AppError::BadRequest(
            "you cannot revoke your own account; ask another admin".into(),
        ));
    }
    let store = state.store.clone();
    let missing = format!("no user {name:?}");
    if blocking(move || store.delete_user(&name)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(missing))
    }
}

/// Revokes an API token by its public id.
pub(crate) async fn revoke_token(state: &AppState, id: String) -> Result<(), AppError> {
    if id.len() != crate::storage::TOKEN_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::BadRequest(format!(
            "token id {id:?}: expected {} hex digits",
            crate::storage::TOKEN_ID_LEN
        )));
    }
    let store = state.store.clone();
    let missing = format!("no API token {id}");
    if blocking(move || store.revoke_token(&id.to_ascii_lowercase())).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(missing))
    }
}

pub(crate) async fn users(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult {
    let store = state.store.clone();
    let users = blocking(move || store.users()).await?;
    let items: Vec<Value> = users
        .iter()
        .map(|u| json!({ "name": u.name, "role": u.role }))
        .collect();
    Ok(json_with_etag(&headers, &json!({ "items": items })))
}

pub(crate) async fn delete_user(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Identity>,
    Path(name): Path<String>,
) -> ApiResult {
    revoke_user(&state, &who, name).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn tokens(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult {
    let store = state.store.clone();
    let tokens = blocking(move || store.tokens()).await?;
    Ok(json_with_etag(&headers, &json!({ "items": tokens })))
}

pub(crate) async fn delete_token(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> ApiResult {
    revoke_token(&state, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_accepts_an_object_an_array_and_json_lines() {
        assert_eq!(records(br#"{"text": "a"}"#).unwrap().len(), 1);
        assert_eq!(
            records(br#"[{"text": "a"}, {"text": "b"}]"#).unwrap().len(),
            2
        );
        assert_eq!(
            records(b"{\"text\": \"a\"}\n\n{\"text\": \"b\"}\n")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn records_refuses_with_the_reason() {
        let err = records(b"{\"text\": \"a\"}\nnot json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 2: not JSON"), "{err}");
        let err = records(b"\xff\xfe").unwrap_err().to_string();
        assert!(err.contains("not UTF-8"), "{err}");
        let err = records(b"[1]").unwrap_err().to_string();
        assert!(err.contains("item 0"), "{err}");
        assert!(records(b"  ").is_err());
    }

    #[test]
    fn only_http_urls_with_a_host_are_fetched() {
        assert!(check_url(" https://x.example/a ").is_ok());
        for bad in [
            "file:///etc/passwd",
            "http://",
            "https:///x",
            "ftp://x",
            "http://a b",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uploaded_file_names_keep_only_their_last_component() {
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name("C:\\x\\a.html"), "a.html");
        assert_eq!(file_name(".."), "upload");
    }

    #[test]
    fn etag_answers_if_none_match_with_304() {
        let value = json!({"a": 1});
        let first = json_with_etag(&HeaderMap::new(), &value);
        let etag = first.headers()[header::ETAG].clone();
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(
            json_with_etag(&headers, &value).status(),
            StatusCode::NOT_MODIFIED
        );
    }
}
