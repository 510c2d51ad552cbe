//! The embedded backend: one SQLite file in WAL mode (readers never wait for the writer), with
//! `synchronous=FULL` so that an acknowledged submission survives a crash of the process or
//! the machine. Full-text search is an FTS5 table kept beside `articles`.

use super::*;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::Path;
use std::sync::Mutex;

/// Migrations, applied in order at open; the version reached is kept in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    payload BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX queue_state ON queue (state, id);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    revision_of INTEGER REFERENCES articles (id),
    superseded INTEGER NOT NULL DEFAULT 0,
    outlet TEXT,
    title TEXT,
    published TEXT,
    text TEXT NOT NULL,
    analyzed TEXT NOT NULL,
    queue_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX articles_url ON articles (url) WHERE superseded = 0;
CREATE VIRTUAL TABLE article_fts USING fts5 (title, text);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    articles INTEGER NOT NULL,
    outlets TEXT NOT NULL,
    groups INTEGER NOT NULL,
    disputed INTEGER NOT NULL,
    verdicts TEXT NOT NULL,
    newest INTEGER NOT NULL
);
CREATE TABLE story_articles (
    story_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX story_articles_article ON story_articles (article_id);
CREATE TABLE claim_groups (
    key TEXT PRIMARY KEY,
    story_id INTEGER,
    verdict TEXT NOT NULL,
    rank INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX claim_groups_story ON claim_groups (story_id, rank);
"#,
    r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"#,
    r#"
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    interval_seconds INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    next_poll_at INTEGER NOT NULL,
    last_polled_at INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updates INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_due ON feeds (next_poll_at);
"#,
    r#"
ALTER TABLE stories ADD COLUMN first_published TEXT;
ALTER TABLE stories ADD COLUMN last_published TEXT;
"#,
    // The story list's two orders, read from an index instead of sorting every story.
    r#"
CREATE INDEX stories_newest ON stories (newest DESC, id DESC);
CREATE INDEX stories_disputed ON stories (disputed DESC, newest DESC, id DESC);
"#,
    // Story versions (pages are cached by them) and retired story ids leading to their stories.
    r#"
ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE story_aliases (id INTEGER PRIMARY KEY, story_id INTEGER NOT NULL);
CREATE INDEX story_aliases_story ON story_aliases (story_id);
CREATE TABLE alignment_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO alignment_generation (id, value) VALUES (1, 0);
"#,
];

/// Read-only connections beside the writer (WAL lets them read while it writes).
const READERS: usize = 3;

/// The SQLite backend: one writing connection, a few reading ones.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
    /// `None` for an in-memory database (not shared between connections): the writer reads.
    readers: Option<Pool<Connection>>,
}

impl SqliteStorage {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        let action = format!("open SQLite database {}", path.display());
        let conn = Connection::open(path).context(&action)?;
        let mut storage = Self::setup(conn, &action)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .context(&action)?;
            reader
                .busy_timeout(std::time::Duration::from_secs(10))
                .context(&action)?;
            readers.push(reader);
        }
        storage.readers = Some(Pool::new(readers));
        Ok(storage)
    }

    /// A private in-memory database (tests).
    pub fn in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().context("open in-memory SQLite")?;
        Self::setup(conn, "open in-memory SQLite")
    }

    fn setup(mut conn: Connection, action: &str) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .context(action)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .context(action)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .context(action)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .context(action)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .context(action)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let step = format!("{action}: migration {}", i + 1);
            let tx = conn.transaction().context(&step)?;
            tx.execute_batch(sql).context(&step)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .context(&step)?;
            tx.commit().context(&step)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
            readers: None,
        })
    }

    /// Runs a read on a free reading connection (the writer when there are none).
    fn read<T>(
        &self,
        action: &str,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let Some(readers) = &self.readers else {
            return self.with(action, |c| f(c));
        };
        let conn = readers.take()?;
        f(&conn).context(action)
    }

    fn with<T>(
        &self,
        action: &str,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StorageError::new(action, "connection lock poisoned"))?;
        f(&mut conn).context(action)
    }
}

fn queue_entry(row: &Row) -> rusqlite::Result<QueueEntry> {
    let state: String = row.get(2)?;
    Ok(QueueEntry {
        id: row.get(0)?,
        source: row.get(1)?,
        state: QueueState::parse(&state).unwrap_or(QueueState::Failed),
        error: row.get(3)?,
        attempts: row.get(4)?,
        articles: row.get(5)?,
        bytes: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

fn story_summary(row: &Row) -> rusqlite::Result<StorySummary> {
    Ok(StorySummary {
        id: row.get(0)?,
        label: row.get(1)?,
        articles: row.get(2)?,
        outlets: split_list(&row.get::<_, String>(3)?),
        groups: row.get(4)?,
        disputed: row.get(5)?,
        verdicts: split_list(&row.get::<_, String>(6)?),
        newest: row.get(7)?,
        first_published: row.get(8)?,
        last_published: row.get(9)?,
    })
}

const STORY_COLUMNS: &str = "s.id, s.label, s.articles, s.outlets, s.groups, s.disputed, s.verdicts, s.newest, s.first_published, s.last_published";

const ARTICLE_COLUMNS: &str = "a.id, a.url, a.outlet, a.title, a.published, a.revision_of, a.superseded, \
     (SELECT story_id FROM story_articles WHERE article_id = a.id), a.queue_id";

fn article_summary(row: &Row) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: row.get(0)?,
        url: row.get(1)?,
        outlet: row.get(2)?,
        title: row.get(3)?,
        published: row.get(4)?,
        revision_of: row.get(5)?,
        superseded: row.get::<_, i64>(6)? != 0,
        story: row.get(7)?,
        queue_id: row.get(8)?,
    })
}

const FEED_COLUMNS: &str = "id, url, interval_seconds, etag, last_modified, next_poll_at, \
     last_polled_at, failures, last_error, updates";

fn feed(row: &Row) -> rusqlite::Result<Feed> {
    Ok(Feed {
        id: row.get(0)?,
        url: row.get(1)?,
        interval_seconds: row.get(2)?,
        etag: row.get(3)?,
        last_modified: row.get(4)?,
        next_poll_at: row.get(5)?,
        last_polled_at: row.get(6)?,
        failures: row.get(7)?,
        last_error: row.get(8)?,
        updates: row.get(9)?,
    })
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash";

fn user(row: &Row) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        role: Role::parse(&row.get::<_, String>(2)?).unwrap_or(Role::Reader),
        password_hash: row.get(3)?,
    })
}

fn group_row(row: &Row) -> rusqlite::Result<GroupRow> {
    Ok(GroupRow {
        key: row.get(0)?,
        story: row.get(1)?,
        verdict: row.get(2)?,
        rank: row.get(3)?,
        body: row.get(4)?,
    })
}

impl Storage for SqliteStorage {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn ping(&self) -> Result<()> {
        self.read("ping", |c| c.query_row("SELECT 1", [], |_| Ok(())))
    }

    fn enqueue(&self, items: &[NewItem]) -> Result<Vec<i64>> {
        self.with("enqueue", |c| {
            let tx = c.transaction()?;
            let now = now();
            let mut ids = Vec::with_capacity(items.len());
            {
                let mut insert = tx.prepare(
                    "INSERT INTO queue (source, payload, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                )?;
                for item in items {
                    insert.execute(params![item.source, item.payload, now])?;
                    ids.push(tx.last_insert_rowid());
                }
            }
            tx.commit()?;
            Ok(ids)
        })
    }

    fn claim(&self, limit: usize) -> Result<Vec<QueueItem>> {
        self.with("claim queue items", |c| {
            let tx = c.transaction()?;
            let items = {
                let mut select = tx.prepare(
                    "SELECT id, source, payload FROM queue WHERE state = 'pending' ORDER BY id LIMIT ?1",
                )?;
                select
                    .query_map([limit as i64], |r| {
                        Ok(QueueItem {
                            id: r.get(0)?,
                            source: r.get(1)?,
                            payload: r.get(2)?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            let now = now();
            for item in &items {
                tx.execute(
                    "UPDATE queue SET state = 'running', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1",
                    params![item.id, now],
                )?;
            }
            tx.commit()?;
            Ok(items)
        })
    }

    fn requeue_running(&self) -> Result<u64> {
        self.with("requeue running items", |c| {
            c.execute(
                "UPDATE queue SET state = 'pending', updated_at = ?1 WHERE state = 'running'",
                [now()],
            )
            .map(|n| n as u64)
        })
    }

    fn requeue(&self, ids: &[i64]) -> Result<()> {
        self.with("requeue items", |c| {
            let tx = c.transaction()?;
            for id in ids {
                tx.execute(
                    "UPDATE queue SET state = 'pending', updated_at = ?2 WHERE id = ?1 AND state = 'running'",
                    params![id, now()],
                )?;
            }
            tx.commit()
        })
    }

    fn retry(&self, id: i64) -> Result<bool> {
        self.with(&format!("retry queue item {id}"), |c| {
            c.execute(
                "UPDATE queue SET state = 'pending', error = NULL, updated_at = ?2 WHERE id = ?1 AND state = 'failed'",
                params![id, now()],
            )
            .map(|n| n == 1)
        })
    }

    fn queue(&self, state: Option<QueueState>, limit: i64, offset: i64) -> Result<Vec<QueueEntry>> {
        self.read("list queue", |c| {
            let mut select = c.prepare(
                "SELECT id, source, state, error, attempts, articles, length(payload), created_at, updated_at \
                 FROM queue WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
            )?;
            select
                .query_map(params![state.map(QueueState::name), limit, offset], queue_entry)?
                .collect()
        })
    }

    fn queue_counts(&self) -> Result<QueueCounts> {
        self.read("count queue", |c| {
            let mut counts = QueueCounts::default();
            let mut select = c.prepare("SELECT state, count(*) FROM queue GROUP BY state")?;
            let rows =
                select.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (state, n) = row?;
                match QueueState::parse(&state) {
                    Some(QueueState::Pending) => counts.pending = n,
                    Some(QueueState::Running) => counts.running = n,
                    Some(QueueState::Done) => counts.done = n,
                    Some(QueueState::Failed) | None => counts.failed += n,
                }
            }
            Ok(counts)
        })
    }

    fn record(&self, outcomes: &[Outcome]) -> Result<Vec<Vec<Stored>>> {
        self.with("record queue outcomes", |c| {
            let tx = c.transaction()?;
            let now = now();
            let mut out = Vec::with_capacity(outcomes.len());
            for outcome in outcomes {
                match outcome {
                    Outcome::Analysed {
                        item,
                        articles,
                        note,
                    } => {
                        let stored = articles
                            .iter()
                            .map(|a| store_in(&tx, a))
                            .collect::<rusqlite::Result<Vec<_>>>()?;
                        let new = stored
                            .iter()
                            .filter(|s| !matches!(s, Stored::Duplicate(_)))
                            .count() as i64;
                        tx.prepare_cached(
                            "UPDATE queue SET state = 'done', articles = ?2, error = ?3, updated_at = ?4 WHERE id = ?1",
                        )?
                        .execute(params![item, new, note, now])?;
                        out.push(stored);
                    }
                    Outcome::Failed { item, error } => {
                        tx.prepare_cached(
                            "UPDATE queue SET state = 'failed', error = ?2, updated_at = ?3 WHERE id = ?1",
                        )?
                        .execute(params![item, error, now])?;
                        out.push(Vec::new());
                    }
                }
            }
            tx.commit()?;
            Ok(out)
        })
    }

    fn store_article(&self, a: &NewArticle) -> Result<Stored> {
        self.with("store article", |c| {
            let tx = c.transaction()?;
            let stored = store_in(&tx, a)?;
            tx.commit()?;
            Ok(stored)
        })
    }

    fn analyses_after(&self, after: i64, limit: i64) -> Result<Vec<StoredAnalysis>> {
        self.read("read analyses", |c| {
            let mut select = c.prepare_cached(
                "SELECT id, analyzed, superseded FROM articles WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            select
                .query_map(params![after, limit], stored_analysis)?
                .collect()
        })
    }

    fn analyses(&self, ids: &[i64]) -> Result<Vec<StoredAnalysis>> {
        let ids = id_list(ids);
        self.read("read analyses", |c| {
            let mut select = c.prepare_cached(
                "SELECT id, analyzed, superseded FROM articles \
                 WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
            )?;
            select.query_map([ids], stored_analysis)?.collect()
        })
    }

    fn replace_stories(&self, articles: &[i64], results: &Results) -> Result<()> {
        let ids = id_list(articles);
        let new_ids = id_list(
            &results
                .stories
                .iter()
                .map(|s| s.summary.id)
                .collect::<Vec<_>>(),
        );
        self.with("store alignment", |c| {
            let tx = c.transaction()?;
            let version: i64 = tx.query_row(
                "UPDATE alignment_generation SET value = value + 1 WHERE id = 1 RETURNING value",
                [],
                |r| r.get(0),
            )?;
            tx.execute(
                "CREATE TEMP TABLE IF NOT EXISTS retired (id INTEGER PRIMARY KEY)",
                [],
            )?;
            tx.execute("DELETE FROM retired", [])?;
            tx.execute(
                "INSERT OR IGNORE INTO retired SELECT story_id FROM story_articles \
                 WHERE article_id IN (SELECT value FROM json_each(?1))",
                [&ids],
            )?;
            tx.execute_batch(
                "DELETE FROM stories WHERE id IN (SELECT id FROM retired); \
                 DELETE FROM story_articles WHERE story_id IN (SELECT id FROM retired); \
                 DELETE FROM claim_groups WHERE story_id IN (SELECT id FROM retired); \
                 DELETE FROM retired;",
            )?;
            insert_results(&tx, results, version)?;
            for (old, new) in &results.moved {
                tx.prepare_cached("UPDATE story_aliases SET story_id = ?2 WHERE story_id = ?1")?
                    .execute([old, new])?;
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO story_aliases (id, story_id) VALUES (?1, ?2)",
                )?
                .execute([old, new])?;
            }
            tx.execute(
                "DELETE FROM story_aliases WHERE id IN (SELECT value FROM json_each(?1))",
                [&new_ids],
            )?;
            tx.commit()
        })
    }

    fn story_ids(&self, articles: &[i64]) -> Result<StoryIds> {
        let ids = id_list(articles);
        self.read("read story ids", |c| {
            let mut out = StoryIds::default();
            let mut select = c.prepare_cached(
                "SELECT article_id, story_id FROM story_articles \
                 WHERE article_id IN (SELECT value FROM json_each(?1))",
            )?;
            for row in select.query_map([&ids], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let (article, story) = row?;
                out.of_article.insert(article, story);
            }
            let mut region: Vec<i64> = out.of_article.values().copied().collect();
            region.sort_unstable();
            region.dedup();
            let region = id_list(&region);
            let mut held = c.prepare_cached(
                "SELECT id FROM stories WHERE id IN (SELECT value FROM json_each(?1)) \
                   AND id NOT IN (SELECT value FROM json_each(?2)) \
                 UNION SELECT id FROM story_aliases WHERE id IN (SELECT value FROM json_each(?1)) \
                   AND story_id NOT IN (SELECT value FROM json_each(?2))",
            )?;
            for id in held.query_map([&ids, &region], |r| r.get(0))? {
                out.held_elsewhere.insert(id?);
            }
            out.next_spare = c.query_row(
                "SELECT max(coalesce((SELECT max(id) FROM stories), 0), \
                 coalesce((SELECT max(id) FROM story_aliases), 0), \
                 coalesce((SELECT max(id) FROM articles), 0)) + 1",
                [],
                |r| r.get(0),
            )?;
            Ok(out)
        })
    }

    fn alignment_commits(&self) -> Result<i64> {
        self.read("read the alignment count", |c| {
            c.query_row(
                "SELECT value FROM alignment_generation WHERE id = 1",
                [],
                |r| r.get(0),
            )
        })
    }

    fn story_state(&self, id: i64) -> Result<StoryState> {
        self.read(&format!("read story {id}"), |c| {
            if let Some(version) = c
                .prepare_cached("SELECT version FROM stories WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
            {
                return Ok(StoryState::Current { version });
            }
            Ok(
                c.prepare_cached("SELECT story_id FROM story_aliases WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?
                    .map_or(StoryState::Missing, |to| StoryState::Moved { to }),
            )
        })
    }

    fn stories(&self, q: &StoryQuery) -> Result<Vec<StorySummary>> {
        let text = q.text.as_deref().map(fts5_query).filter(|t| !t.is_empty());
        let order = match q.order {
            StoryOrder::Newest => "s.newest DESC, s.id DESC",
            StoryOrder::Disputed => "s.disputed DESC, s.newest DESC, s.id DESC",
        };
        let sql = format!(
            "SELECT {STORY_COLUMNS} FROM stories s \
             WHERE (?1 IS NULL OR s.id IN (SELECT sa.story_id FROM story_articles sa \
                    JOIN article_fts f ON f.rowid = sa.article_id WHERE article_fts MATCH ?1)) \
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM claim_groups g WHERE g.story_id = s.id AND g.verdict = ?2)) \
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id \
                    WHERE sa.story_id = s.id AND a.outlet = ?3)) \
               AND (?6 IS NULL OR s.last_published >= ?6) \
               AND (?7 IS NULL OR s.first_published <= ?7) \
             ORDER BY {order} LIMIT ?4 OFFSET ?5"
        );
        self.read("list stories", |c| {
            let mut select = c.prepare(&sql)?;
            select
                .query_map(
                    params![text, q.verdict, q.outlet, q.limit, q.offset, q.from, q.to],
                    story_summary,
                )?
                .collect()
        })
    }

    fn story(&self, id: i64) -> Result<Option<StorySummary>> {
        self.read(&format!("read story {id}"), |c| {
            c.query_row(
                &format!("SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?1"),
                [id],
                story_summary,
            )
            .optional()
        })
    }

    fn story_articles(&self, id: i64) -> Result<Vec<ArticleSummary>> {
        self.read(&format!("read articles of story {id}"), |c| {
            let mut select = c.prepare(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN story_articles sa ON sa.article_id = a.id \
                 WHERE sa.story_id = ?1 ORDER BY a.id"
            ))?;
            select.query_map([id], article_summary)?.collect()
        })
    }

    fn story_groups(&self, id: i64) -> Result<Vec<GroupRow>> {
        self.read(&format!("read groups of story {id}"), |c| {
            let mut select = c.prepare(
                "SELECT key, story_id, verdict, rank, body FROM claim_groups WHERE story_id = ?1 ORDER BY rank",
            )?;
            select.query_map([id], group_row)?.collect()
        })
    }

    fn group(&self, key: &str) -> Result<Option<GroupRow>> {
        self.read("read group", |c| {
            c.query_row(
                "SELECT key, story_id, verdict, rank, body FROM claim_groups WHERE key = ?1",
                [key],
                group_row,
            )
            .optional()
        })
    }

    fn article(&self, id: i64) -> Result<Option<ArticleRecord>> {
        self.read(&format!("read article {id}"), |c| {
            c.query_row(
                &format!("SELECT {ARTICLE_COLUMNS}, a.analyzed FROM articles a WHERE a.id = ?1"),
                [id],
                |r| {
                    Ok(ArticleRecord {
                        summary: article_summary(r)?,
                        analyzed: r.get(9)?,
                    })
                },
            )
            .optional()
        })
    }

    fn articles(&self, limit: i64, offset: i64) -> Result<Vec<ArticleSummary>> {
        self.read("list articles", |c| {
            let mut select = c.prepare(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles a ORDER BY a.id DESC LIMIT ?1 OFFSET ?2"
            ))?;
            select
                .query_map(params![limit, offset], article_summary)?
                .collect()
        })
    }

    fn outlets(&self) -> Result<Vec<String>> {
        self.read("list outlets", |c| {
            let mut select = c.prepare(
                "SELECT DISTINCT outlet FROM articles WHERE superseded = 0 AND outlet IS NOT NULL ORDER BY outlet",
            )?;
            select.query_map([], |r| r.get(0))?.collect()
        })
    }

    fn put_user(&self, name: &str, role: Role, password_hash: &str) -> Result<i64> {
        self.with(&format!("store user {name:?}"), |c| {
            c.query_row(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash \
                 RETURNING id",
                params![name, role.name(), password_hash, now()],
                |r| r.get(0),
            )
        })
    }

    fn user(&self, name: &str) -> Result<Option<User>> {
        self.read("read user", |c| {
            c.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1"),
                [name],
                user,
            )
            .optional()
        })
    }

    fn user_count(&self) -> Result<i64> {
        self.read("count users", |c| {
            c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        })
    }

    fn create_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.with("create session", |c| {
            c.execute("DELETE FROM sessions WHERE expires_at < ?1", [now()])?;
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, user, csrf, expires_at],
            )
            .map(drop)
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<(User, String)>> {
        self.read("read session", |c| {
            c.query_row(
                &format!(
                    "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = ?1 AND s.expires_at >= ?2"
                ),
                params![token_hash, now()],
                |r| Ok((user(r)?, r.get(4)?)),
            )
            .optional()
        })
    }

    fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.with("end session", |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
                .map(drop)
        })
    }

    fn create_token(&self, token_hash: &str, user: i64, label: &str) -> Result<()> {
        self.with("create API token", |c| {
            c.execute(
                "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, user, label, now()],
            )
            .map(drop)
        })
    }

    fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        self.read("read API token", |c| {
            c.query_row(
                &format!(
                    "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1"
                ),
                [token_hash],
                user,
            )
            .optional()
        })
    }

    fn users(&self) -> Result<Vec<User>> {
        self.read("list users", |c| {
            let mut select = c.prepare(&format!(
                "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
            ))?;
            select.query_map([], user)?.collect()
        })
    }

    fn delete_user(&self, name: &str) -> Result<bool> {
        self.with(&format!("revoke user {name}"), |c| {
            let tx = c.transaction()?;
            let Some(id) = tx
                .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()?
            else {
                return Ok(false);
            };
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            tx.execute("DELETE FROM api_tokens WHERE user_id = ?1", [id])?;
            tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn tokens(&self) -> Result<Vec<ApiToken>> {
        self.read("list API tokens", |c| {
            let mut select = c.prepare(
                "SELECT substr(t.token_hash, 1, ?1), u.name, t.label, t.created_at \
                 FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 ORDER BY t.created_at DESC, t.rowid DESC",
            )?;
            select
                .query_map([TOKEN_ID_LEN as i64], |r| {
                    Ok(ApiToken {
                        id: r.get(0)?,
                        user: r.get(1)?,
                        label: r.get(2)?,
                        created_at: r.get(3)?,
                    })
                })?
                .collect()
        })
    }

    fn revoke_token(&self, id: &str) -> Result<bool> {
        self.with("revoke API token", |c| {
            c.execute(
                "DELETE FROM api_tokens WHERE substr(token_hash, 1, ?1) = ?2",
                params![TOKEN_ID_LEN as i64, id],
            )
            .map(|n| n > 0)
        })
    }

    fn add_feed(&self, url: &str, interval_seconds: i64) -> Result<i64> {
        self.with(&format!("subscribe to {url}"), |c| {
            c.query_row(
                "INSERT INTO feeds (url, interval_seconds, next_poll_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (url) DO UPDATE SET interval_seconds = excluded.interval_seconds RETURNING id",
                params![url, interval_seconds, now()],
                |r| r.get(0),
            )
        })
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        self.read("list feeds", |c| {
            let mut select = c.prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"))?;
            select.query_map([], feed)?.collect()
        })
    }

    fn due_feeds(&self, now: i64, limit: i64) -> Result<Vec<Feed>> {
        self.read("list due feeds", |c| {
            let mut select = c.prepare(&format!(
                "SELECT {FEED_COLUMNS} FROM feeds WHERE next_poll_at <= ?1 ORDER BY next_poll_at, id LIMIT ?2"
            ))?;
            select.query_map(params![now, limit], feed)?.collect()
        })
    }

    fn record_poll(
        &self,
        id: i64,
        poll: &FeedPoll,
        item: Option<&NewItem>,
        next_poll_at: i64,
    ) -> Result<()> {
        self.with(&format!("record poll of feed {id}"), |c| {
            let tx = c.transaction()?;
            let now = now();
            match poll {
                FeedPoll::Changed { etag, last_modified } => {
                    tx.execute(
                        "UPDATE feeds SET etag = ?2, last_modified = ?3, next_poll_at = ?4, last_polled_at = ?5, \
                         failures = 0, last_error = NULL, updates = updates + 1 WHERE id = ?1",
                        params![id, etag, last_modified, next_poll_at, now],
                    )?;
                }
                FeedPoll::Unchanged => {
                    tx.execute(
                        "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, failures = 0, last_error = NULL WHERE id = ?1",
                        params![id, next_poll_at, now],
                    )?;
                }
                FeedPoll::Failed(error) => {
                    tx.execute(
                        "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, failures = failures + 1, last_error = ?4 WHERE id = ?1",
                        params![id, next_poll_at, now, error],
                    )?;
                }
            }
            if let Some(item) = item {
                tx.execute(
                    "INSERT INTO queue (source, payload, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    params![item.source, item.payload, now],
                )?;
            }
            tx.commit()
        })
    }

    fn delete_feed(&self, id: i64) -> Result<bool> {
        self.with(&format!("unsubscribe feed {id}"), |c| {
            c.execute("DELETE FROM feeds WHERE id = ?1", [id])
                .map(|n| n == 1)
        })
    }
}

/// Stores an article inside `tx` unless its content hash is known (see
/// [`Storage::store_article`]).
fn store_in(tx: &rusqlite::Transaction<'_>, a: &NewArticle) -> rusqlite::Result<Stored> {
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM articles WHERE content_hash = ?1")?
        .query_row([&a.content_hash], |r| r.get(0))
        .optional()?
    {
        return Ok(Stored::Duplicate(id));
    }
    let previous: Option<i64> = match &a.url {
        Some(url) => tx
            .prepare_cached(
                "SELECT id FROM articles WHERE url = ?1 AND superseded = 0 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([url], |r| r.get(0))
            .optional()?,
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO articles (url, content_hash, revision_of, outlet, title, published, text, analyzed, queue_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        a.url, a.content_hash, previous, a.outlet, a.title, a.published, a.text, a.analyzed,
        a.queue_id, now()
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO article_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![id, a.title.as_deref().unwrap_or(""), a.text])?;
    if let Some(of) = previous {
        tx.prepare_cached("UPDATE articles SET superseded = 1 WHERE id = ?1")?
            .execute([of])?;
    }
    Ok(match previous {
        Some(of) => Stored::Revision { id, of },
        None => Stored::New(id),
    })
}

/// Ids as a JSON array, for `json_each` (one bound parameter however many ids).
fn id_list(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn stored_analysis(r: &Row<'_>) -> rusqlite::Result<StoredAnalysis> {
    Ok(StoredAnalysis {
        id: r.get(0)?,
        analyzed: r.get(1)?,
        superseded: r.get(2)?,
    })
}

/// Inserts stories, their members and their groups (a group's key is replaced if present).
fn insert_results(
    tx: &rusqlite::Transaction<'_>,
    results: &Results,
    version: i64,
) -> rusqlite::Result<()> {
    let mut story = tx.prepare_cached(
        "INSERT INTO stories (id, label, articles, outlets, groups, disputed, verdicts, newest, \
         first_published, last_published, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut member =
        tx.prepare_cached("INSERT INTO story_articles (story_id, article_id) VALUES (?1, ?2)")?;
    for row in &results.stories {
        let s = &row.summary;
        story.execute(params![
            s.id,
            s.label,
            s.articles,
            s.outlets.join("\n"),
            s.groups,
            s.disputed,
            s.verdicts.join("\n"),
            s.newest,
            s.first_published,
            s.last_published,
            version
        ])?;
        for article in &row.articles {
            member.execute(params![s.id, article])?;
        }
    }
    let mut group = tx.prepare_cached(
        "INSERT OR REPLACE INTO claim_groups (key, story_id, verdict, rank, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for g in &results.groups {
        group.execute(params![g.key, g.story, g.verdict, g.rank, g.body])?;
    }
    Ok(())
}
