//! Shared HTTP plumbing: application state, the router, errors, `/healthz` and `/metrics`.

use crate::options::ServeOptions;
use crate::storage::{Storage, StorageError};
use crate::{api, ui};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use tokio::sync::Notify;
use tower_http::trace::TraceLayer;

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    pub http_requests: AtomicU64,
    pub submissions: AtomicU64,
    pub articles_stored: AtomicU64,
    pub articles_duplicate: AtomicU64,
    pub queue_failed: AtomicU64,
    pub realignments: AtomicU64,
    pub realign_micros: AtomicU64,
    pub articles_aligned: AtomicU64,
}

/// What a cached story rendering is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum StoryView {
    /// The story page's content (wrapped in the layout per request).
    Page,
    /// `/api/stories/{id}`.
    Api,
}

/// A story rendered once: its title and body, and the ETag of the body.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub title: Arc<str>,
    pub body: axum::body::Bytes,
    pub etag: axum::http::HeaderValue,
}

/// Stories rendered for pages and the API, each kept with the version of the story it was
/// rendered from. A request reads the story's version (one indexed read) and serves the
/// rendering while the version holds; re-aligning a story gives it a new version, so nothing
/// stale is served, also when another server on the same PostgreSQL re-aligned it.
#[derive(Debug, Default)]
pub(crate) struct StoryCache {
    entries: std::sync::Mutex<std::collections::HashMap<(StoryView, i64), (i64, Rendered)>>,
}

/// Renderings kept; when full the cache starts over (the hot stories come back at once).
const CACHED_STORIES: usize = 8_192;

impl StoryCache {
    pub fn get(&self, view: StoryView, id: i64, version: i64) -> Option<Rendered> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&(view, id))
            .filter(|(v, _)| *v == version)
            .map(|(_, r)| r.clone())
    }

    pub fn put(&self, view: StoryView, id: i64, version: i64, rendered: Rendered) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHED_STORIES {
                entries.clear();
            }
            entries.insert((view, id), (version, rendered));
        }
    }
}

/// Reads that change only when an alignment is committed — where a story id leads, pages of
/// the story list — kept until the store's count of committed alignments
/// ([`Storage::alignment_commits`]) moves. The worker looks at the count after each alignment
/// (so this server's own changes show at once) and [`watch_alignments`] every
/// [`ALIGNMENT_POLL`] (another server's on the same database). A read from the store is kept
/// only when no change was seen while it ran, and nothing is kept while the count is unknown.
#[derive(Debug, Default)]
pub(crate) struct ReadCache {
    inner: std::sync::Mutex<ReadCacheInner>,
}

#[derive(Debug, Default)]
struct ReadCacheInner {
    /// The count the entries are current for; `None` until read (or after it could not be).
    commits: Option<i64>,
    /// Changes each time `commits` does: a read that started in another epoch is not kept.
    epoch: u64,
    states: std::collections::HashMap<i64, crate::storage::StoryState>,
    lists: std::collections::HashMap<crate::storage::StoryQuery, Rendered>,
}

/// Entries kept per kind; when full that kind starts over.
const CACHED_READS: usize = 16_384;

/// How often a server looks for alignments committed by another server on its database.
pub(crate) const ALIGNMENT_POLL: std::time::Duration = std::time::Duration::from_millis(250);

impl ReadCache {
    fn lock(&self) -> Option<std::sync::MutexGuard<'_, ReadCacheInner>> {
        self.inner.lock().ok()
    }

    /// The epoch to give back with what is read from the store now.
    pub fn epoch(&self) -> u64 {
        self.lock().map_or(u64::MAX, |c| c.epoch)
    }

    /// Records the store's count of committed alignments (`None`: it could not be read);
    /// everything kept goes when it moved.
    pub fn observe(&self, commits: Option<i64>) {
        if let Some(mut c) = self.lock()
            && (c.commits != commits || commits.is_none())
        {
            c.commits = commits;
            c.epoch += 1;
            c.states.clear();
            c.lists.clear();
        }
    }

    pub fn state(&self, id: i64) -> Option<crate::storage::StoryState> {
        self.lock()?.states.get(&id).copied()
    }

    pub fn put_state(&self, epoch: u64, id: i64, state: crate::storage::StoryState) {
        if let Some(mut c) = self
            .lock()
            .filter(|c| c.epoch == epoch && c.commits.is_some())
        {
            if c.states.len() >= CACHED_READS {
                c.states.clear();
            }
            c.states.insert(id, state);
        }
    }

    pub fn list(&self, query: &crate::storage::StoryQuery) -> Option<Rendered> {
        self.lock()?.lists.get(query).cloned()
    }

    pub fn put_list(&self, epoch: u64, query: crate::storage::StoryQuery, rendered: Rendered) {
        if let Some(mut c) = self
            .lock()
            .filter(|c| c.epoch == epoch && c.commits.is_some())
        {
            if c.lists.len() >= CACHED_READS {
                c.lists.clear();
            }
            c.lists.insert(query, rendered);
        }
    }
}

/// Where story `id` leads, from the read cache or the store.
pub(crate) async fn story_state(
    state: &Arc<AppState>,
    id: i64,
) -> Result<crate::storage::StoryState, AppError> {
    if let Some(known) = state.reads.state(id) {
        return Ok(known);
    }
    let epoch = state.reads.epoch();
    let store = state.store.clone();
    let read = blocking(move || store.story_state(id)).await?;
    state.reads.put_state(epoch, id, read);
    Ok(read)
}

/// Reads the store's count of committed alignments into the read cache.
pub(crate) async fn refresh_reads(state: &Arc<AppState>) {
    let store = state.store.clone();
    let commits = blocking(move || store.alignment_commits()).await;
    if let Err(e) = &commits {
        tracing::warn!("cannot read the alignment count, not caching reads: {e}");
    }
    state.reads.observe(commits.ok());
}

/// Looks for alignments committed by another server on the same database until shutdown.
pub(crate) async fn watch_alignments(
    state: Arc<AppState>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        refresh_reads(&state).await;
        tokio::select! {
            _ = tokio::time::sleep(ALIGNMENT_POLL) => {}
            _ = stop.changed() => return,
        }
    }
}

/// What every handler sees.
pub(crate) struct AppState {
    pub store: Arc<dyn Storage>,
    pub config: corroborate::Config,
    /// Wakes the worker when something is queued.
    pub wake: Notify,
    /// True while the worker has a batch in hand (claimed and not yet aligned).
    pub busy: AtomicBool,
    pub metrics: Metrics,
    pub max_upload_bytes: usize,
    /// There are user accounts: requests must identify themselves.
    pub auth_enabled: bool,
    pub public_read: bool,
    pub cookie_secure: bool,
    pub rate: crate::auth::RateLimiter,
    pub align_whole_below: usize,
    pub align_wait: std::time::Duration,
    pub stories: StoryCache,
    pub reads: ReadCache,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Storage>,
        config: corroborate::Config,
        options: &ServeOptions,
        auth_enabled: bool,
    ) -> Self {
        Self {
            store,
            config,
            wake: Notify::new(),
            busy: AtomicBool::new(false),
            metrics: Metrics::default(),
            max_upload_bytes: options.max_upload_bytes,
            auth_enabled,
            public_read: options.public_read,
            cookie_secure: options.cookie_secure,
            rate: crate::auth::RateLimiter::new(options.ingest_per_minute),
            align_whole_below: options.align_whole_below,
            align_wait: options.align_wait,
            stories: StoryCache::default(),
            reads: ReadCache::default(),
        }
    }
}

/// Runs a storage call on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(AppError::Storage),
        Err(e) => Err(AppError::Internal(format!("storage task failed: {e}"))),
    }
}

/// A request that could not be served, with the reason a user can act on.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Storage(StorageError),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        AppError::Storage(e)
    }
}

impl IntoResponse for AppError {
    /// Pages get an HTML error page.
    fn into_response(self) -> Response {
        if matches!(self, AppError::Storage(_) | AppError::Internal(_)) {
            tracing::error!("{self}");
        }
        (
            self.status(),
            ui::error_page(self.status(), &self.to_string()),
        )
            .into_response()
    }
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    // Only the ingest routes read a body; the limit applies to them.
    let limit = state.max_upload_bytes;
    Router::new()
        .route("/", get(ui::stories))
        .route("/stories/{id}", get(ui::story))
        .route("/groups/{key}", get(ui::group))
        .route("/articles/{id}", get(ui::article))
        .route("/ingest", get(ui::ingest).post(ui::upload))
        .route("/ingest/{id}/retry", post(ui::retry))
        .route("/static/desk.css", get(ui::css))
        .route("/login", get(ui::login_page).post(ui::login))
        .route("/logout", post(ui::logout))
        .route("/account", get(ui::account))
        .route("/account/tokens", post(ui::create_token))
        .route("/account/users", post(ui::create_user))
        .route("/account/users/{name}/revoke", post(ui::revoke_user))
        .route("/account/tokens/{id}/revoke", post(ui::revoke_token))
        .route("/api/users", get(api::users))
        .route("/api/users/{name}", axum::routing::delete(api::delete_user))
        .route("/api/tokens", get(api::tokens))
        .route("/api/tokens/{id}", axum::routing::delete(api::delete_token))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/groups/{key}", get(api::group))
        .route("/api/articles", get(api::articles).post(api::post_articles))
        .route("/api/uploads", post(api::upload))
        .route("/api/urls", post(api::post_urls))
        .route("/api/feeds", get(api::feeds).post(api::post_feed))
        .route("/api/feeds/{id}", axum::routing::delete(api::delete_feed))
        .route("/feeds", get(ui::feeds).post(ui::subscribe))
        .route("/feeds/{id}/delete", post(ui::unsubscribe))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/ingest", get(api::queue))
        .route("/api/ingest/{id}/retry", post(api::retry))
        .route("/api/openapi.json", get(api::openapi))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::authorize,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), count))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn count(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    state.metrics.http_requests.fetch_add(1, Ordering::Relaxed);
    next.run(request).await
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        api::ApiError(AppError::NotFound(format!(
            "no such resource: {}",
            uri.path()
        )))
        .into_response()
    } else {
        AppError::NotFound(format!("no page at {}", uri.path())).into_response()
    }
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let store = state.store.clone();
    match blocking(move || store.ping()).await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}\n")).into_response(),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Result<Response, AppError> {
    let store = state.store.clone();
    let counts = blocking(move || store.queue_counts()).await?;
    let m = &state.metrics;
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, samples: &[(&str, u64)]| {
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
        for (labels, value) in samples {
            out.push_str(&format!("{name}{labels} {value}\n"));
        }
    };
    metric(
        "corroborate_http_requests_total",
        "counter",
        "HTTP requests served.",
        &[("", get(&m.http_requests))],
    );
    metric(
        "corroborate_submissions_total",
        "counter",
        "Submissions accepted into the queue.",
        &[("", get(&m.submissions))],
    );
    metric(
        "corroborate_articles_stored_total",
        "counter",
        "Articles analysed and stored (new or revised).",
        &[("", get(&m.articles_stored))],
    );
    metric(
        "corroborate_articles_duplicate_total",
        "counter",
        "Articles skipped because their content was already stored.",
        &[("", get(&m.articles_duplicate))],
    );
    metric(
        "corroborate_queue_failures_total",
        "counter",
        "Queue items that failed.",
        &[("", get(&m.queue_failed))],
    );
    metric(
        "corroborate_alignments_total",
        "counter",
        "Alignments of the stored articles.",
        &[("", get(&m.realignments))],
    );
    metric(
        "corroborate_aligned_articles_total",
        "counter",
        "Articles aligned (a batch aligns the articles of the stories it changed).",
        &[("", get(&m.articles_aligned))],
    );
    metric(
        "corroborate_alignment_seconds_total",
        "counter",
        "Time spent aligning.",
        &[],
    );
    out.push_str(&format!(
        "corroborate_alignment_seconds_total {:.6}\n",
        get(&m.realign_micros) as f64 / 1e6
    ));
    let queue = [
        ("{state=\"pending\"}", counts.pending.max(0) as u64),
        ("{state=\"running\"}", counts.running.max(0) as u64),
        ("{state=\"done\"}", counts.done.max(0) as u64),
        ("{state=\"failed\"}", counts.failed.max(0) as u64),
    ];
    let mut tail = String::new();
    tail.push_str("# HELP corroborate_queue_items Queue items by state.\n# TYPE corroborate_queue_items gauge\n");
    for (labels, value) in queue {
        tail.push_str(&format!("corroborate_queue_items{labels} {value}\n"));
    }
    out.push_str(&tail);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response())
}
