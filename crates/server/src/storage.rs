//! One storage interface, two backends: [`sqlite::SqliteStorage`] (embedded, the default) and
//! [`postgres::PostgresStorage`] (teams). Both apply the same versioned migrations at open and
//! pass the same test suite (`tests/storage.rs`).
//!
//! What is stored:
//! - the ingest **queue**: each accepted submission (a posted record, an uploaded file) with its
//!   bytes, written in the transaction that acknowledges it, so nothing acknowledged is lost;
//! - **articles**: each analysed once (its content hash is unique); a changed version of a URL
//!   seen before is a new article that records the one it revises and supersedes it;
//! - the **results** of alignment: stories, their articles and their claim groups; after each
//!   batch only the stories that gained or lost an article are replaced.
//!
//! The interface is synchronous; the server calls it from blocking tasks.

pub mod postgres;
pub mod sqlite;

use serde::Serialize;
use std::time::{SystemTime, UNIX_EPOCH};

/// A storage failure, naming what was being done.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {reason}")]
pub struct StorageError {
    /// What the storage was asked to do ("enqueue", "open /data/desk.sqlite").
    pub action: String,
    /// Why it failed, as the database said it.
    pub reason: String,
}

impl StorageError {
    /// An error while doing `action`.
    pub fn new(action: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self {
            action: action.into(),
            reason: reason.to_string(),
        }
    }
}

/// Result of a storage call.
pub type Result<T> = std::result::Result<T, StorageError>;

/// Adds the action to a database error.
pub(crate) trait Context<T> {
    fn context(self, action: &str) -> Result<T>;
}

impl<T, E: std::fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, action: &str) -> Result<T> {
        self.map_err(|e| StorageError::new(action, e))
    }
}

/// A submission to analyse: a name for it and its bytes (any input the CLI reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// Where it came from (an upload's file name, `api`), shown in the queue and errors.
    pub source: String,
    /// The bytes as submitted.
    pub payload: Vec<u8>,
}

/// A queue item claimed by the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    /// Queue id.
    pub id: i64,
    /// Where it came from.
    pub source: String,
    /// The bytes as submitted.
    pub payload: Vec<u8>,
}

/// Where a queue item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    /// Waiting for the worker.
    Pending,
    /// Being analysed.
    Running,
    /// Analysed.
    Done,
    /// Failed; see its error. Can be retried.
    Failed,
}

impl QueueState {
    /// Every state, in queue order.
    pub const ALL: [QueueState; 4] = [
        QueueState::Pending,
        QueueState::Running,
        QueueState::Done,
        QueueState::Failed,
    ];

    /// The stored and displayed name.
    pub fn name(self) -> &'static str {
        match self {
            QueueState::Pending => "pending",
            QueueState::Running => "running",
            QueueState::Done => "done",
            QueueState::Failed => "failed",
        }
    }

    /// The state named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A queue item as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueEntry {
    /// Queue id.
    pub id: i64,
    /// Where it came from.
    pub source: String,
    /// Where it is.
    pub state: QueueState,
    /// Why it failed, or what was skipped in it.
    pub error: Option<String>,
    /// How many times the worker has started it.
    pub attempts: i64,
    /// Articles stored from it (new or revised; duplicates are not counted).
    pub articles: i64,
    /// Size of the submission in bytes.
    pub bytes: i64,
    /// When it was accepted (Unix seconds).
    pub created_at: i64,
    /// When its state last changed (Unix seconds).
    pub updated_at: i64,
}

/// How many queue items are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    /// Waiting.
    pub pending: i64,
    /// Being analysed.
    pub running: i64,
    /// Analysed.
    pub done: i64,
    /// Failed.
    pub failed: i64,
}

/// An analysed article to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// The article's URL when known: a new hash for a known URL is a revision.
    pub url: Option<String>,
    /// Hash of what the analysis reads (text and metadata): equal hashes are analysed once.
    pub content_hash: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date (ISO).
    pub published: Option<String>,
    /// Main text (indexed for search).
    pub text: String,
    /// The per-article analysis (`AnalyzedArticle` as JSON, spans of document 0).
    pub analyzed: String,
    /// The queue item it came from.
    pub queue_id: i64,
}

/// What storing an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// A new article.
    New(i64),
    /// A new version of the article `of` (same URL, other content), which it supersedes.
    Revision {
        /// The new article.
        id: i64,
        /// The article it revises.
        of: i64,
    },
    /// Already stored with the same content hash.
    Duplicate(i64),
}

/// What the worker made of one claimed queue item, recorded with [`Storage::record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Analysed: its articles to store (at least one), and what in it could not be read.
    Analysed {
        /// Queue id.
        item: i64,
        /// The item's analysed articles, in input order.
        articles: Vec<NewArticle>,
        /// What was skipped in it.
        note: Option<String>,
    },
    /// Failed with this error; it can be retried.
    Failed {
        /// Queue id.
        item: i64,
        /// Why, naming the input.
        error: String,
    },
}

/// A stored per-article analysis, for alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnalysis {
    /// Article id.
    pub id: i64,
    /// `AnalyzedArticle` as JSON (spans of document 0).
    pub analyzed: String,
    /// Replaced by a later revision (placed, but no longer aligned).
    pub superseded: bool,
}

/// A story as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorySummary {
    /// Permalink id: the id of the story's first article.
    pub id: i64,
    /// Most distinctive shared terms.
    pub label: String,
    /// Number of current articles.
    pub articles: i64,
    /// Outlets, in article order, each once.
    pub outlets: Vec<String>,
    /// Number of claim groups.
    pub groups: i64,
    /// Number of groups whose verdict is an alarm (conflicts, altered quotes, stale claims, …).
    pub disputed: i64,
    /// Verdicts present, most important first.
    pub verdicts: Vec<String>,
    /// Id of the newest article (stories sort newest first by it).
    pub newest: i64,
    /// Earliest publication date of its articles (ISO), when any is known.
    pub first_published: Option<String>,
    /// Latest publication date of its articles (ISO), when any is known.
    pub last_published: Option<String>,
}

/// A story to store, with its member articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRow {
    /// The listing.
    pub summary: StorySummary,
    /// Member article ids.
    pub articles: Vec<i64>,
}

/// A claim group to store or as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    /// Permalink key, stable while the story and the group's topic stay.
    pub key: String,
    /// The story it belongs to.
    pub story: Option<i64>,
    /// Verdict name (`conflict`, …).
    pub verdict: String,
    /// Position in the story's report order.
    pub rank: i64,
    /// The group as JSON, with the JSON report's field names.
    pub body: String,
}

/// The latest alignment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    /// Stories.
    pub stories: Vec<StoryRow>,
    /// Claim groups.
    pub groups: Vec<GroupRow>,
    /// Story ids this alignment retires, each with the story that took most of its articles:
    /// the old id stays a permalink that leads there.
    pub moved: Vec<(i64, i64)>,
}

/// What the store holds about the story ids a re-alignment touches, so that stories keep
/// their ids (see `desk`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryIds {
    /// The stored story of each of the articles asked about.
    pub of_article: std::collections::HashMap<i64, i64>,
    /// Those of the articles' own ids that a story outside the ones being replaced holds, as
    /// its id or as a retired id leading to it.
    pub held_elsewhere: std::collections::HashSet<i64>,
    /// Above every article and story id: ids from here on are free.
    pub next_spare: i64,
}

/// Where a story id leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryState {
    /// A current story; its version changes whenever it is re-aligned (pages cached by it).
    Current {
        /// Alignment generation that stored it.
        version: i64,
    },
    /// Retired by a merge or split: the story that took most of its articles.
    Moved {
        /// The current id.
        to: i64,
    },
    /// No such story.
    Missing,
}

/// Story list order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum StoryOrder {
    /// Newest article first.
    #[default]
    Newest,
    /// Most alarm groups first.
    Disputed,
}

/// A page of the story list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StoryQuery {
    /// Full-text search over the stories' articles.
    pub text: Option<String>,
    /// Only stories with a group of this verdict.
    pub verdict: Option<String>,
    /// Only stories with an article from this outlet.
    pub outlet: Option<String>,
    /// Only stories with articles published on or after this date (ISO).
    pub from: Option<String>,
    /// Only stories with articles published on or before this date (ISO).
    pub to: Option<String>,
    /// Order.
    pub order: StoryOrder,
    /// Page size.
    pub limit: i64,
    /// Items skipped.
    pub offset: i64,
}

/// An article as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    /// Permalink id.
    pub id: i64,
    /// URL.
    pub url: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date (ISO).
    pub published: Option<String>,
    /// The article this one revises.
    pub revision_of: Option<i64>,
    /// Replaced by a later revision (kept, but no longer aligned).
    pub superseded: bool,
    /// The story it is in, after the latest alignment.
    pub story: Option<i64>,
    /// The queue item it came from.
    pub queue_id: i64,
}

/// An article with its analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRecord {
    /// The listing.
    pub summary: ArticleSummary,
    /// `AnalyzedArticle` as JSON (spans of document 0).
    pub analyzed: String,
}

/// What a user may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads stories, articles and the queue.
    Reader,
    /// Also ingests and retries.
    Editor,
    /// Also manages users and tokens.
    Admin,
}

impl Role {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [Role::Reader, Role::Editor, Role::Admin]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// Argon2 PHC string.
    pub password_hash: String,
}

/// An API token as listed: never its secret, nor the whole hash that checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Public id: the first 16 hex digits of the secret's hash.
    pub id: String,
    /// The user it acts as.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
}

/// Hex digits of a token's hash that make its public id.
pub const TOKEN_ID_LEN: usize = 16;

/// A subscribed RSS/Atom feed and its polling state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feed {
    /// Id.
    pub id: i64,
    /// Feed URL.
    pub url: String,
    /// Seconds between polls when all is well.
    pub interval_seconds: i64,
    /// `ETag` of the last answer, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When it is polled next (Unix seconds).
    pub next_poll_at: i64,
    /// When it was last polled (Unix seconds).
    pub last_polled_at: Option<i64>,
    /// Polls that failed in a row (the wait doubles with each).
    pub failures: i64,
    /// Why the last poll failed.
    pub last_error: Option<String>,
    /// Polls that brought a changed feed into the queue.
    pub updates: i64,
}

/// What one poll of a feed found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedPoll {
    /// The feed changed: its validators for next time.
    Changed {
        /// New `ETag`.
        etag: Option<String>,
        /// New `Last-Modified`.
        last_modified: Option<String>,
    },
    /// 304 Not Modified.
    Unchanged,
    /// The poll failed.
    Failed(String),
}

/// Storage for the desk. Every method is one transaction.
pub trait Storage: Send + Sync + 'static {
    /// `sqlite` or `postgresql`.
    fn backend(&self) -> &'static str;
    /// Checks that the database answers.
    fn ping(&self) -> Result<()>;

    /// Adds submissions as pending; returns their ids once committed.
    fn enqueue(&self, items: &[NewItem]) -> Result<Vec<i64>>;
    /// Takes up to `limit` pending items, oldest first, and marks them running.
    fn claim(&self, limit: usize) -> Result<Vec<QueueItem>>;
    /// Puts running items back to pending (after a crash or at shutdown); returns how many.
    fn requeue_running(&self) -> Result<u64>;
    /// Puts these running items back to pending.
    fn requeue(&self, ids: &[i64]) -> Result<()>;
    /// Records a batch of outcomes in one transaction: stores the articles of every analysed
    /// item (as [`Storage::store_article`]) and marks it done with the number stored (new or
    /// revised), marks every failed item failed. An item is done exactly when its articles
    /// are stored, and a batch costs one commit. Returns what storing each article did, per
    /// outcome (empty for a failure).
    fn record(&self, outcomes: &[Outcome]) -> Result<Vec<Vec<Stored>>>;
    /// Puts a failed item back to pending; false when there is no failed item `id`.
    fn retry(&self, id: i64) -> Result<bool>;
    /// Lists queue items, newest first, optionally in one state.
    fn queue(&self, state: Option<QueueState>, limit: i64, offset: i64) -> Result<Vec<QueueEntry>>;
    /// Counts queue items by state.
    fn queue_counts(&self) -> Result<QueueCounts>;

    /// Stores one analysed article unless its content hash is known; a new hash for a known URL
    /// supersedes the URL's current article. The worker stores through [`Storage::record`].
    fn store_article(&self, article: &NewArticle) -> Result<Stored>;
    /// Up to `limit` analyses of articles (superseded ones too) with ids above `after`, in id
    /// order: the story index is rebuilt from them at start, page by page.
    fn analyses_after(&self, after: i64, limit: i64) -> Result<Vec<StoredAnalysis>>;
    /// The analyses of the articles among `ids`, in id order.
    fn analyses(&self, ids: &[i64]) -> Result<Vec<StoredAnalysis>>;
    /// Replaces the stories holding any of `articles` (with their groups) by `results`: the
    /// re-alignment of the stories a batch of new articles changed. The new stories get a new
    /// version; `results.moved` become retired ids leading to their new stories (retired ids
    /// that led to a moved id lead on to its new story; a retired id taken by a new story
    /// stops leading elsewhere).
    fn replace_stories(&self, articles: &[i64], results: &Results) -> Result<()>;
    /// The stored story of each of `articles`, and which of their ids stories outside those
    /// hold: see [`StoryIds`].
    fn story_ids(&self, articles: &[i64]) -> Result<StoryIds>;
    /// How many alignments were committed ([`Storage::replace_stories`] calls): story reads
    /// cached while it stays the same are current, also when another server on the same
    /// database aligned.
    fn alignment_commits(&self) -> Result<i64>;
    /// Where a story id leads (one indexed read: pages are cached by the version).
    fn story_state(&self, id: i64) -> Result<StoryState>;

    /// A page of stories.
    fn stories(&self, query: &StoryQuery) -> Result<Vec<StorySummary>>;
    /// One story.
    fn story(&self, id: i64) -> Result<Option<StorySummary>>;
    /// A story's articles in id order.
    fn story_articles(&self, id: i64) -> Result<Vec<ArticleSummary>>;
    /// A story's groups in report order.
    fn story_groups(&self, id: i64) -> Result<Vec<GroupRow>>;
    /// One group by key.
    fn group(&self, key: &str) -> Result<Option<GroupRow>>;
    /// One article with its analysis.
    fn article(&self, id: i64) -> Result<Option<ArticleRecord>>;
    /// A page of articles, newest first.
    fn articles(&self, limit: i64, offset: i64) -> Result<Vec<ArticleSummary>>;
    /// Distinct outlets of current articles, sorted.
    fn outlets(&self) -> Result<Vec<String>>;

    /// Adds a user, or replaces the role and password of the user of that name; returns its id.
    fn put_user(&self, name: &str, role: Role, password_hash: &str) -> Result<i64>;
    /// The user called `name`.
    fn user(&self, name: &str) -> Result<Option<User>>;
    /// How many users there are (authentication is on when there is one).
    fn user_count(&self) -> Result<i64>;
    /// Records a session (by the hash of its cookie value) with its CSRF token.
    fn create_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The user and CSRF token of an unexpired session.
    fn session(&self, token_hash: &str) -> Result<Option<(User, String)>>;
    /// Ends a session.
    fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Records an API token (by its hash) for a user.
    fn create_token(&self, token_hash: &str, user: i64, label: &str) -> Result<()>;
    /// The user an API token belongs to.
    fn token_user(&self, token_hash: &str) -> Result<Option<User>>;
    /// Every user, by name.
    fn users(&self) -> Result<Vec<User>>;
    /// Removes a user with its sessions and API tokens; false when there is no such user.
    fn delete_user(&self, name: &str) -> Result<bool>;
    /// Every API token, newest first.
    fn tokens(&self) -> Result<Vec<ApiToken>>;
    /// Revokes the API token with this public id; false when there is none.
    fn revoke_token(&self, id: &str) -> Result<bool>;

    /// Subscribes to a feed (polled at once); an existing subscription keeps its state and
    /// takes the new interval. Returns its id.
    fn add_feed(&self, url: &str, interval_seconds: i64) -> Result<i64>;
    /// Every feed, by id.
    fn feeds(&self) -> Result<Vec<Feed>>;
    /// Feeds whose next poll is due at `now`.
    fn due_feeds(&self, now: i64, limit: i64) -> Result<Vec<Feed>>;
    /// Records a poll and when to poll next; when the feed changed, its body is queued as
    /// `item` in the same transaction.
    fn record_poll(
        &self,
        feed: i64,
        poll: &FeedPoll,
        item: Option<&NewItem>,
        next_poll_at: i64,
    ) -> Result<()>;
    /// Unsubscribes; false when there was no such feed.
    fn delete_feed(&self, id: i64) -> Result<bool>;
}

/// A fixed set of connections shared by the request handlers and the worker: a call takes any
/// idle one or waits for the next one given back (waiters are woken in turn, so no request
/// waits behind one busy connection while others are idle).
pub(crate) struct Pool<C> {
    idle: std::sync::Mutex<Vec<C>>,
    given_back: std::sync::Condvar,
}

impl<C> Pool<C> {
    pub fn new(connections: Vec<C>) -> Self {
        Self {
            idle: std::sync::Mutex::new(connections),
            given_back: std::sync::Condvar::new(),
        }
    }

    /// Every idle connection, taken out (at drop).
    pub fn drain(&mut self) -> Vec<C> {
        self.idle.get_mut().map(std::mem::take).unwrap_or_default()
    }

    /// A connection until the guard is dropped.
    pub fn take(&self) -> Result<Pooled<'_, C>> {
        let poisoned = |_| StorageError::new("take a connection", "connection pool poisoned");
        let mut idle = self.idle.lock().map_err(poisoned)?;
        loop {
            if let Some(connection) = idle.pop() {
                return Ok(Pooled {
                    pool: self,
                    connection: Some(connection),
                });
            }
            idle = self.given_back.wait(idle).map_err(poisoned)?;
        }
    }
}

/// A connection taken from a [`Pool`], given back when dropped.
pub(crate) struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    connection: Option<C>,
}

impl<C> std::ops::Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.connection.as_ref().expect("held until dropped")
    }
}

impl<C> std::ops::DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.connection.as_mut().expect("held until dropped")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        if let (Some(connection), Ok(mut idle)) = (self.connection.take(), self.pool.idle.lock()) {
            idle.push(connection);
            self.pool.given_back.notify_one();
        }
    }
}

/// Now in Unix seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Splits a stored newline-joined list.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split('\n')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Turns free text into an FTS5 query that matches all its words: every word is quoted, so no
/// input is read as query syntax.
pub(crate) fn fts5_query(text: &str) -> String {
    text.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_query_quotes_every_word() {
        assert_eq!(fts5_query(r#"fire "NEAR( x"#), r#""fire" """NEAR(" "x""#);
        assert_eq!(fts5_query("  "), "");
    }

    #[test]
    fn queue_state_names_round_trip() {
        for s in QueueState::ALL {
            assert_eq!(QueueState::parse(s.name()), Some(s));
        }
        assert_eq!(QueueState::parse("x"), None);
    }
}
