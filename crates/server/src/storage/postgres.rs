//! The team backend: PostgreSQL 15+, the same tables as SQLite, full-text search through a
//! generated `tsvector` column with a GIN index. A small pool of connections, each re-opened
//! when the server restarts under it.

use super::*;
use ::postgres::{Client, NoTls, Row, Transaction};

/// Migrations, applied in order at connect; versions applied are rows of `schema_migrations`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE queue (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    payload BYTEA NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    articles BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX queue_state ON queue (state, id);
CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    url TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    revision_of BIGINT REFERENCES articles (id),
    superseded BOOLEAN NOT NULL DEFAULT FALSE,
    outlet TEXT,
    title TEXT,
    published TEXT,
    text TEXT NOT NULL,
    analyzed TEXT NOT NULL,
    queue_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    search TSVECTOR GENERATED ALWAYS AS
        (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED
);
CREATE INDEX articles_url ON articles (url) WHERE NOT superseded;
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE TABLE stories (
    id BIGINT PRIMARY KEY,
    label TEXT NOT NULL,
    articles BIGINT NOT NULL,
    outlets TEXT NOT NULL,
    groups BIGINT NOT NULL,
    disputed BIGINT NOT NULL,
    verdicts TEXT NOT NULL,
    newest BIGINT NOT NULL
);
CREATE TABLE story_articles (
    story_id BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX story_articles_article ON story_articles (article_id);
CREATE TABLE claim_groups (
    key TEXT PRIMARY KEY,
    story_id BIGINT,
    verdict TEXT NOT NULL,
    rank BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX claim_groups_story ON claim_groups (story_id, rank);
"#,
    r#"
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
"#,
    r#"
CREATE TABLE feeds (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    interval_seconds BIGINT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    next_poll_at BIGINT NOT NULL,
    last_polled_at BIGINT,
    failures BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    updates BIGINT NOT NULL DEFAULT 0
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
ALTER TABLE stories ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE story_aliases (id BIGINT PRIMARY KEY, story_id BIGINT NOT NULL);
CREATE INDEX story_aliases_story ON story_aliases (story_id);
CREATE SEQUENCE alignment_generation;
"#,
    // Committed alignments, counted in a row (a sequence moves before its transaction commits):
    // servers poll it to know when cached story reads are stale.
    r#"
CREATE TABLE alignment_commits (id BIGINT PRIMARY KEY CHECK (id = 1), count BIGINT NOT NULL);
INSERT INTO alignment_commits (id, count) VALUES (1, 0);
"#,
    // Analyses (about 40 KB of JSON each) and group bodies are compressed with lz4, several
    // times faster than the default pglz both ways; a server built without lz4 keeps pglz.
    r#"
DO $$ BEGIN
    ALTER TABLE articles ALTER COLUMN analyzed SET COMPRESSION lz4,
                         ALTER COLUMN text SET COMPRESSION lz4;
    ALTER TABLE claim_groups ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
"#,
    // A queue row is written three times (queued, claimed, done): a submission's bytes go out
    // of line (TOAST), so the two updates copy a pointer, not the bytes, and counting the
    // queue by state scans rows of some 100 bytes, not kilobytes (16 times less heap).
    r#"
ALTER TABLE queue SET (toast_tuple_target = 128);
"#,
];

/// Connections per server: handlers and the worker use the first free one.
const POOL: usize = 8;

/// The PostgreSQL backend.
pub struct PostgresStorage {
    config: ::postgres::Config,
    /// Connections, opened on first use; `None` also after a failed reconnect (the next call
    /// tries again).
    clients: Pool<Option<Client>>,
    /// For error messages: the URL without its password.
    target: String,
}

/// `url` with any password replaced, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PostgresStorage {
    /// Connects to `url` (`postgres://user@host:port/db`) and migrates the database.
    pub fn connect(url: &str) -> Result<Self> {
        Self::connect_in_schema(url, None)
    }

    /// Connects with every table in `schema`, created if missing (tests use one fresh schema per
    /// run, so runs never collide).
    pub fn connect_in_schema(url: &str, schema: Option<&str>) -> Result<Self> {
        let target = redact(url);
        let action = format!("connect to PostgreSQL at {target}");
        let mut config: ::postgres::Config = url.parse().context(&action)?;
        config.connect_timeout(std::time::Duration::from_secs(5));
        if let Some(schema) = schema {
            if !schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(StorageError::new(action, "schema names are [A-Za-z0-9_]"));
            }
            let mut admin = config.connect(NoTls).context(&action)?;
            admin
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .context(&action)?;
            config.options(&format!("-c search_path={schema}"));
        }
        let mut client = config.connect(NoTls).context(&action)?;
        migrate(&mut client).context(&format!("migrate PostgreSQL at {target}"))?;
        let mut clients = vec![Some(client)];
        clients.extend((1..POOL).map(|_| None));
        let clients = Pool::new(clients);
        Ok(Self {
            config,
            clients,
            target,
        })
    }

    /// Drops a schema made by [`PostgresStorage::connect_in_schema`] (test clean-up).
    pub fn drop_schema(url: &str, schema: &str) -> Result<()> {
        let action = format!("drop schema {schema}");
        let mut client = Client::connect(url, NoTls).context(&action)?;
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .context(&action)
    }

    fn with<T>(
        &self,
        action: &str,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, ::postgres::Error>,
    ) -> Result<T> {
        let mut slot = self.clients.take()?;
        if slot.as_ref().is_none_or(Client::is_closed) {
            *slot = None;
            *slot = Some(
                self.config
                    .connect(NoTls)
                    .context(&format!("{action}: reconnect to {}", self.target))?,
            );
        }
        let client = slot
            .as_mut()
            .ok_or_else(|| StorageError::new(action, "no connection"))?;
        f(client).map_err(|e| match e.as_db_error() {
            // The database's own message ("duplicate key value violates …"), not "db error".
            Some(db) => {
                StorageError::new(action, format!("{}: {}", db.code().code(), db.message()))
            }
            None => StorageError::new(action, e),
        })
    }

    fn in_tx<T>(
        &self,
        action: &str,
        f: impl FnOnce(&mut Transaction) -> std::result::Result<T, ::postgres::Error>,
    ) -> Result<T> {
        self.with(action, |c| {
            let mut tx = c.transaction()?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        })
    }
}

impl Drop for PostgresStorage {
    /// The blocking client runs its own runtime to close the connection, which panics on a
    /// thread that drives async tasks; there it is closed on a thread of its own.
    fn drop(&mut self) {
        let clients: Vec<Client> = self.clients.drain().into_iter().flatten().collect();
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::spawn(move || drop(clients));
        } else {
            drop(clients);
        }
    }
}

fn migrate(client: &mut Client) -> std::result::Result<(), ::postgres::Error> {
    client.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = (i + 1) as i64;
        let mut tx = client.transaction()?;
        // One migrator at a time: a second server starting on the same database waits here.
        tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[&version],
            )?
            .is_some();
        if !done {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[&version, &now()],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

fn queue_entry(row: &Row) -> QueueEntry {
    let state: String = row.get(2);
    QueueEntry {
        id: row.get(0),
        source: row.get(1),
        state: QueueState::parse(&state).unwrap_or(QueueState::Failed),
        error: row.get(3),
        attempts: row.get(4),
        articles: row.get(5),
        bytes: row.get::<_, i32>(6) as i64,
        created_at: row.get(7),
        updated_at: row.get(8),
    }
}

fn story_summary(row: &Row) -> StorySummary {
    StorySummary {
        id: row.get(0),
        label: row.get(1),
        articles: row.get(2),
        outlets: split_list(row.get(3)),
        groups: row.get(4),
        disputed: row.get(5),
        verdicts: split_list(row.get(6)),
        newest: row.get(7),
        first_published: row.get(8),
        last_published: row.get(9),
    }
}

const STORY_COLUMNS: &str = "s.id, s.label, s.articles, s.outlets, s.groups, s.disputed, s.verdicts, s.newest, s.first_published, s.last_published";

const ARTICLE_COLUMNS: &str = "a.id, a.url, a.outlet, a.title, a.published, a.revision_of, a.superseded, \
     (SELECT story_id FROM story_articles WHERE article_id = a.id LIMIT 1), a.queue_id";

fn article_summary(row: &Row) -> ArticleSummary {
    ArticleSummary {
        id: row.get(0),
        url: row.get(1),
        outlet: row.get(2),
        title: row.get(3),
        published: row.get(4),
        revision_of: row.get(5),
        superseded: row.get(6),
        story: row.get(7),
        queue_id: row.get(8),
    }
}

const FEED_COLUMNS: &str = "id, url, interval_seconds, etag, last_modified, next_poll_at, \
     last_polled_at, failures, last_error, updates";

fn feed(row: &Row) -> Feed {
    Feed {
        id: row.get(0),
        url: row.get(1),
        interval_seconds: row.get(2),
        etag: row.get(3),
        last_modified: row.get(4),
        next_poll_at: row.get(5),
        last_polled_at: row.get(6),
        failures: row.get(7),
        last_error: row.get(8),
        updates: row.get(9),
    }
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash";

fn user(row: &Row) -> User {
    User {
        id: row.get(0),
        name: row.get(1),
        role: Role::parse(row.get(2)).unwrap_or(Role::Reader),
        password_hash: row.get(3),
    }
}

fn group_row(row: &Row) -> GroupRow {
    GroupRow {
        key: row.get(0),
        story: row.get(1),
        verdict: row.get(2),
        rank: row.get(3),
        body: row.get(4),
    }
}

impl Storage for PostgresStorage {
    fn backend(&self) -> &'static str {
        "postgresql"
    }

    fn ping(&self) -> Result<()> {
        self.with("ping", |c| c.batch_execute("SELECT 1"))
    }

    fn enqueue(&self, items: &[NewItem]) -> Result<Vec<i64>> {
        // One statement for the whole request (a JSON Lines body is hundreds of items), with
        // the ids taken first so that they follow the items' order.
        self.in_tx("enqueue", |tx| {
            let ids: Vec<i64> = tx
                .query(
                    "SELECT nextval('queue_id_seq') FROM generate_series(1, $1::BIGINT)",
                    &[&(items.len() as i64)],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let sources: Vec<&str> = items.iter().map(|i| i.source.as_str()).collect();
            let payloads: Vec<&[u8]> = items.iter().map(|i| i.payload.as_slice()).collect();
            tx.execute(
                "INSERT INTO queue (id, source, payload, created_at, updated_at) \
                 SELECT m.id, m.source, m.payload, $4, $4 FROM unnest($1::BIGINT[], $2::TEXT[], $3::BYTEA[]) \
                 AS m (id, source, payload)",
                &[&ids, &sources, &payloads, &now()],
            )?;
            Ok(ids)
        })
    }

    fn claim(&self, limit: usize) -> Result<Vec<QueueItem>> {
        self.in_tx("claim queue items", |tx| {
            let rows = tx.query(
                "UPDATE queue SET state = 'running', attempts = attempts + 1, updated_at = $2 \
                 WHERE id IN (SELECT id FROM queue WHERE state = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) \
                 RETURNING id, source, payload",
                &[&(limit as i64), &now()],
            )?;
            let mut items: Vec<QueueItem> = rows
                .iter()
                .map(|r| QueueItem {
                    id: r.get(0),
                    source: r.get(1),
                    payload: r.get(2),
                })
                .collect();
            items.sort_by_key(|i| i.id);
            Ok(items)
        })
    }

    fn requeue_running(&self) -> Result<u64> {
        self.with("requeue running items", |c| {
            c.execute(
                "UPDATE queue SET state = 'pending', updated_at = $1 WHERE state = 'running'",
                &[&now()],
            )
        })
    }

    fn requeue(&self, ids: &[i64]) -> Result<()> {
        self.with("requeue items", |c| {
            c.execute(
                "UPDATE queue SET state = 'pending', updated_at = $2 WHERE id = ANY($1) AND state = 'running'",
                &[&ids, &now()],
            )
            .map(drop)
        })
    }

    fn retry(&self, id: i64) -> Result<bool> {
        self.with(&format!("retry queue item {id}"), |c| {
            c.execute(
                "UPDATE queue SET state = 'pending', error = NULL, updated_at = $2 WHERE id = $1 AND state = 'failed'",
                &[&id, &now()],
            )
            .map(|n| n == 1)
        })
    }

    fn queue(&self, state: Option<QueueState>, limit: i64, offset: i64) -> Result<Vec<QueueEntry>> {
        let state = state.map(QueueState::name);
        self.with("list queue", |c| {
            let rows = c.query(
                "SELECT id, source, state, error, attempts, articles, length(payload), created_at, updated_at \
                 FROM queue WHERE $1::TEXT IS NULL OR state = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
                &[&state, &limit, &offset],
            )?;
            Ok(rows.iter().map(queue_entry).collect())
        })
    }

    fn queue_counts(&self) -> Result<QueueCounts> {
        self.with("count queue", |c| {
            let mut counts = QueueCounts::default();
            for row in c.query("SELECT state, count(*) FROM queue GROUP BY state", &[])? {
                let (state, n): (String, i64) = (row.get(0), row.get(1));
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
        self.in_tx("record queue outcomes", |tx| {
            let articles: Vec<&NewArticle> = outcomes
                .iter()
                .flat_map(|o| match o {
                    Outcome::Analysed { articles, .. } => articles.as_slice(),
                    Outcome::Failed { .. } => &[],
                })
                .collect();
            let mut stored = store_all(tx, &articles)?.into_iter();
            let mut out = Vec::with_capacity(outcomes.len());
            let (mut done, mut counts, mut notes) = (Vec::new(), Vec::new(), Vec::new());
            let (mut failed, mut errors) = (Vec::new(), Vec::new());
            for outcome in outcomes {
                match outcome {
                    Outcome::Analysed {
                        item,
                        articles,
                        note,
                    } => {
                        let mine: Vec<Stored> = stored.by_ref().take(articles.len()).collect();
                        done.push(*item);
                        counts.push(
                            mine.iter()
                                .filter(|s| !matches!(s, Stored::Duplicate(_)))
                                .count() as i64,
                        );
                        notes.push(note.as_deref());
                        out.push(mine);
                    }
                    Outcome::Failed { item, error } => {
                        failed.push(*item);
                        errors.push(error.as_str());
                        out.push(Vec::new());
                    }
                }
            }
            let now = now();
            tx.execute(
                "UPDATE queue q SET state = 'done', articles = m.articles, error = m.note, updated_at = $4 \
                 FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[]) AS m (id, articles, note) WHERE q.id = m.id",
                &[&done, &counts, &notes, &now],
            )?;
            tx.execute(
                "UPDATE queue q SET state = 'failed', error = m.error, updated_at = $3 \
                 FROM unnest($1::BIGINT[], $2::TEXT[]) AS m (id, error) WHERE q.id = m.id",
                &[&failed, &errors, &now],
            )?;
            Ok(out)
        })
    }

    fn store_article(&self, a: &NewArticle) -> Result<Stored> {
        self.in_tx("store article", |tx| Ok(store_all(tx, &[a])?.remove(0)))
    }

    fn analyses_after(&self, after: i64, limit: i64) -> Result<Vec<StoredAnalysis>> {
        self.with("read analyses", |c| {
            let rows = c.query(
                "SELECT id, analyzed, superseded FROM articles WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after, &limit],
            )?;
            Ok(rows.iter().map(stored_analysis).collect())
        })
    }

    fn analyses(&self, ids: &[i64]) -> Result<Vec<StoredAnalysis>> {
        self.with("read analyses", |c| {
            let rows = c.query(
                "SELECT id, analyzed, superseded FROM articles WHERE id = ANY($1) ORDER BY id",
                &[&ids],
            )?;
            Ok(rows.iter().map(stored_analysis).collect())
        })
    }

    fn replace_stories(&self, articles: &[i64], results: &Results) -> Result<()> {
        self.in_tx("store alignment", |tx| {
            let version: i64 = tx
                .query_one("SELECT nextval('alignment_generation')", &[])?
                .get(0);
            tx.execute(
                "UPDATE alignment_commits SET count = count + 1 WHERE id = 1",
                &[],
            )?;
            let retired: Vec<i64> = tx
                .query(
                    "SELECT DISTINCT story_id FROM story_articles WHERE article_id = ANY($1)",
                    &[&articles],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            tx.execute("DELETE FROM stories WHERE id = ANY($1)", &[&retired])?;
            tx.execute(
                "DELETE FROM story_articles WHERE story_id = ANY($1)",
                &[&retired],
            )?;
            tx.execute(
                "DELETE FROM claim_groups WHERE story_id = ANY($1)",
                &[&retired],
            )?;
            insert_results(tx, results, version)?;
            let (old, new): (Vec<i64>, Vec<i64>) = results.moved.iter().copied().unzip();
            tx.execute(
                "UPDATE story_aliases a SET story_id = m.new FROM unnest($1::BIGINT[], $2::BIGINT[]) AS m (old, new) \
                 WHERE a.story_id = m.old",
                &[&old, &new],
            )?;
            tx.execute(
                "INSERT INTO story_aliases (id, story_id) SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[]) \
                 ON CONFLICT (id) DO UPDATE SET story_id = EXCLUDED.story_id",
                &[&old, &new],
            )?;
            let ids: Vec<i64> = results.stories.iter().map(|s| s.summary.id).collect();
            tx.execute("DELETE FROM story_aliases WHERE id = ANY($1)", &[&ids])?;
            Ok(())
        })
    }

    fn story_ids(&self, articles: &[i64]) -> Result<StoryIds> {
        self.with("read story ids", |c| {
            let mut out = StoryIds::default();
            for row in c.query(
                "SELECT article_id, story_id FROM story_articles WHERE article_id = ANY($1)",
                &[&articles],
            )? {
                out.of_article.insert(row.get(0), row.get(1));
            }
            let mut region: Vec<i64> = out.of_article.values().copied().collect();
            region.sort_unstable();
            region.dedup();
            for row in c.query(
                "SELECT id FROM stories WHERE id = ANY($1) AND NOT id = ANY($2) \
                 UNION SELECT id FROM story_aliases WHERE id = ANY($1) AND NOT story_id = ANY($2)",
                &[&articles, &region],
            )? {
                out.held_elsewhere.insert(row.get(0));
            }
            out.next_spare = c
                .query_one(
                    "SELECT greatest((SELECT max(id) FROM stories), (SELECT max(id) FROM story_aliases), \
                     (SELECT max(id) FROM articles), 0) + 1",
                    &[],
                )?
                .get(0);
            Ok(out)
        })
    }

    fn alignment_commits(&self) -> Result<i64> {
        self.with("read the alignment count", |c| {
            Ok(
                c.query_one("SELECT count FROM alignment_commits WHERE id = 1", &[])?
                    .get(0),
            )
        })
    }

    fn story_state(&self, id: i64) -> Result<StoryState> {
        self.with(&format!("read story {id}"), |c| {
            if let Some(row) = c.query_opt("SELECT version FROM stories WHERE id = $1", &[&id])? {
                return Ok(StoryState::Current {
                    version: row.get(0),
                });
            }
            Ok(
                c.query_opt("SELECT story_id FROM story_aliases WHERE id = $1", &[&id])?
                    .map_or(StoryState::Missing, |r| StoryState::Moved { to: r.get(0) }),
            )
        })
    }

    fn stories(&self, q: &StoryQuery) -> Result<Vec<StorySummary>> {
        let text = q.text.as_deref().filter(|t| !t.trim().is_empty());
        let order = match q.order {
            StoryOrder::Newest => "s.newest DESC, s.id DESC",
            StoryOrder::Disputed => "s.disputed DESC, s.newest DESC, s.id DESC",
        };
        let sql = format!(
            "SELECT {STORY_COLUMNS} FROM stories s \
             WHERE ($1::TEXT IS NULL OR s.id IN (SELECT sa.story_id FROM story_articles sa \
                    JOIN articles a ON a.id = sa.article_id WHERE a.search @@ websearch_to_tsquery('english', $1))) \
               AND ($2::TEXT IS NULL OR EXISTS (SELECT 1 FROM claim_groups g WHERE g.story_id = s.id AND g.verdict = $2)) \
               AND ($3::TEXT IS NULL OR EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id \
                    WHERE sa.story_id = s.id AND a.outlet = $3)) \
               AND ($6::TEXT IS NULL OR s.last_published >= $6) \
               AND ($7::TEXT IS NULL OR s.first_published <= $7) \
             ORDER BY {order} LIMIT $4 OFFSET $5"
        );
        self.with("list stories", |c| {
            let rows = c.query(
                &sql,
                &[
                    &text, &q.verdict, &q.outlet, &q.limit, &q.offset, &q.from, &q.to,
                ],
            )?;
            Ok(rows.iter().map(story_summary).collect())
        })
    }

    fn story(&self, id: i64) -> Result<Option<StorySummary>> {
        self.with(&format!("read story {id}"), |c| {
            let row = c.query_opt(
                &format!("SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = $1"),
                &[&id],
            )?;
            Ok(row.as_ref().map(story_summary))
        })
    }

    fn story_articles(&self, id: i64) -> Result<Vec<ArticleSummary>> {
        self.with(&format!("read articles of story {id}"), |c| {
            let rows = c.query(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN story_articles sa ON sa.article_id = a.id \
                     WHERE sa.story_id = $1 ORDER BY a.id"
                ),
                &[&id],
            )?;
            Ok(rows.iter().map(article_summary).collect())
        })
    }

    fn story_groups(&self, id: i64) -> Result<Vec<GroupRow>> {
        self.with(&format!("read groups of story {id}"), |c| {
            let rows = c.query(
                "SELECT key, story_id, verdict, rank, body FROM claim_groups WHERE story_id = $1 ORDER BY rank",
                &[&id],
            )?;
            Ok(rows.iter().map(group_row).collect())
        })
    }

    fn group(&self, key: &str) -> Result<Option<GroupRow>> {
        self.with("read group", |c| {
            let row = c.query_opt(
                "SELECT key, story_id, verdict, rank, body FROM claim_groups WHERE key = $1",
                &[&key],
            )?;
            Ok(row.as_ref().map(group_row))
        })
    }

    fn article(&self, id: i64) -> Result<Option<ArticleRecord>> {
        self.with(&format!("read article {id}"), |c| {
            let row = c.query_opt(
                &format!("SELECT {ARTICLE_COLUMNS}, a.analyzed FROM articles a WHERE a.id = $1"),
                &[&id],
            )?;
            Ok(row.map(|r| ArticleRecord {
                summary: article_summary(&r),
                analyzed: r.get(9),
            }))
        })
    }

    fn articles(&self, limit: i64, offset: i64) -> Result<Vec<ArticleSummary>> {
        self.with("list articles", |c| {
            let rows = c.query(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles a ORDER BY a.id DESC LIMIT $1 OFFSET $2"
                ),
                &[&limit, &offset],
            )?;
            Ok(rows.iter().map(article_summary).collect())
        })
    }

    fn outlets(&self) -> Result<Vec<String>> {
        self.with("list outlets", |c| {
            let rows = c.query(
                "SELECT DISTINCT outlet FROM articles WHERE NOT superseded AND outlet IS NOT NULL ORDER BY outlet",
                &[],
            )?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    fn put_user(&self, name: &str, role: Role, password_hash: &str) -> Result<i64> {
        self.with(&format!("store user {name:?}"), |c| {
            c.query_one(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash \
                 RETURNING id",
                &[&name, &role.name(), &password_hash, &now()],
            )
            .map(|r| r.get(0))
        })
    }

    fn user(&self, name: &str) -> Result<Option<User>> {
        self.with("read user", |c| {
            let row = c.query_opt(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"),
                &[&name],
            )?;
            Ok(row.as_ref().map(user))
        })
    }

    fn user_count(&self) -> Result<i64> {
        self.with("count users", |c| {
            c.query_one("SELECT count(*) FROM users", &[])
                .map(|r| r.get(0))
        })
    }

    fn create_session(
        &self,
        token_hash: &str,
        user: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        self.in_tx("create session", |tx| {
            tx.execute("DELETE FROM sessions WHERE expires_at < $1", &[&now()])?;
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
                &[&token_hash, &user, &csrf, &expires_at],
            )
            .map(drop)
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<(User, String)>> {
        self.with("read session", |c| {
            let row = c.query_opt(
                &format!(
                    "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at >= $2"
                ),
                &[&token_hash, &now()],
            )?;
            Ok(row.map(|r| (user(&r), r.get(4))))
        })
    }

    fn delete_session(&self, token_hash: &str) -> Result<()> {
        self.with("end session", |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
                .map(drop)
        })
    }

    fn create_token(&self, token_hash: &str, user: i64, label: &str) -> Result<()> {
        self.with("create API token", |c| {
            c.execute(
                "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, $4)",
                &[&token_hash, &user, &label, &now()],
            )
            .map(drop)
        })
    }

    fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        self.with("read API token", |c| {
            let row = c.query_opt(
                &format!(
                    "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
                ),
                &[&token_hash],
            )?;
            Ok(row.as_ref().map(user))
        })
    }

    fn users(&self) -> Result<Vec<User>> {
        self.with("list users", |c| {
            let rows = c.query(
                &format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"),
                &[],
            )?;
            Ok(rows.iter().map(user).collect())
        })
    }

    fn delete_user(&self, name: &str) -> Result<bool> {
        self.in_tx(&format!("revoke user {name}"), |tx| {
            let Some(row) = tx.query_opt("SELECT id FROM users WHERE name = $1", &[&name])? else {
                return Ok(false);
            };
            let id: i64 = row.get(0);
            tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&id])?;
            tx.execute("DELETE FROM api_tokens WHERE user_id = $1", &[&id])?;
            tx.execute("DELETE FROM users WHERE id = $1", &[&id])?;
            Ok(true)
        })
    }

    fn tokens(&self) -> Result<Vec<ApiToken>> {
        self.with("list API tokens", |c| {
            let rows = c.query(
                "SELECT left(t.token_hash, $1), u.name, t.label, t.created_at \
                 FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 ORDER BY t.created_at DESC, t.token_hash",
                &[&(TOKEN_ID_LEN as i32)],
            )?;
            Ok(rows
                .iter()
                .map(|r| ApiToken {
                    id: r.get(0),
                    user: r.get(1),
                    label: r.get(2),
                    created_at: r.get(3),
                })
                .collect())
        })
    }

    fn revoke_token(&self, id: &str) -> Result<bool> {
        self.with("revoke API token", |c| {
            c.execute(
                "DELETE FROM api_tokens WHERE left(token_hash, $1) = $2",
                &[&(TOKEN_ID_LEN as i32), &id],
            )
            .map(|n| n > 0)
        })
    }

    fn add_feed(&self, url: &str, interval_seconds: i64) -> Result<i64> {
        self.with(&format!("subscribe to {url}"), |c| {
            c.query_one(
                "INSERT INTO feeds (url, interval_seconds, next_poll_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (url) DO UPDATE SET interval_seconds = excluded.interval_seconds RETURNING id",
                &[&url, &interval_seconds, &now()],
            )
            .map(|r| r.get(0))
        })
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        self.with("list feeds", |c| {
            let rows = c.query(
                &format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"),
                &[],
            )?;
            Ok(rows.iter().map(feed).collect())
        })
    }

    fn due_feeds(&self, now: i64, limit: i64) -> Result<Vec<Feed>> {
        self.with("list due feeds", |c| {
            let rows = c.query(
                &format!(
                    "SELECT {FEED_COLUMNS} FROM feeds WHERE next_poll_at <= $1 ORDER BY next_poll_at, id LIMIT $2"
                ),
                &[&now, &limit],
            )?;
            Ok(rows.iter().map(feed).collect())
        })
    }

    fn record_poll(
        &self,
        id: i64,
        poll: &FeedPoll,
        item: Option<&NewItem>,
        next_poll_at: i64,
    ) -> Result<()> {
        self.in_tx(&format!("record poll of feed {id}"), |tx| {
            let now = now();
            match poll {
                FeedPoll::Changed { etag, last_modified } => {
                    tx.execute(
                        "UPDATE feeds SET etag = $2, last_modified = $3, next_poll_at = $4, last_polled_at = $5, \
                         failures = 0, last_error = NULL, updates = updates + 1 WHERE id = $1",
                        &[&id, etag, last_modified, &next_poll_at, &now],
                    )?;
                }
                FeedPoll::Unchanged => {
                    tx.execute(
                        "UPDATE feeds SET next_poll_at = $2, last_polled_at = $3, failures = 0, last_error = NULL WHERE id = $1",
                        &[&id, &next_poll_at, &now],
                    )?;
                }
                FeedPoll::Failed(error) => {
                    tx.execute(
                        "UPDATE feeds SET next_poll_at = $2, last_polled_at = $3, failures = failures + 1, last_error = $4 WHERE id = $1",
                        &[&id, &next_poll_at, &now, error],
                    )?;
                }
            }
            if let Some(item) = item {
                tx.execute(
                    "INSERT INTO queue (source, payload, created_at, updated_at) VALUES ($1, $2, $3, $3)",
                    &[&item.source, &item.payload, &now],
                )?;
            }
            Ok(())
        })
    }

    fn delete_feed(&self, id: i64) -> Result<bool> {
        self.with(&format!("unsubscribe feed {id}"), |c| {
            c.execute("DELETE FROM feeds WHERE id = $1", &[&id])
                .map(|n| n == 1)
        })
    }
}

/// Stores `articles` inside `tx` in order, each unless its content hash is known (also from
/// earlier in the list), a new hash for a URL superseding the URL's current article (see
/// [`Storage::store_article`]): a few statements over arrays for the whole list, not a round
/// trip per article.
fn store_all(
    tx: &mut Transaction,
    articles: &[&NewArticle],
) -> std::result::Result<Vec<Stored>, ::postgres::Error> {
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    // Two servers storing one URL or content at once must not both supersede the same article:
    // each key is locked for the transaction, in one order.
    let mut keys: Vec<&str> = articles
        .iter()
        .map(|a| a.url.as_deref().unwrap_or(&a.content_hash))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::TEXT[]) AS k ORDER BY k",
        &[&keys],
    )?;
    let hashes: Vec<&str> = articles.iter().map(|a| a.content_hash.as_str()).collect();
    let mut known: std::collections::HashMap<String, i64> = tx
        .query(
            "SELECT content_hash, id FROM articles WHERE content_hash = ANY($1)",
            &[&hashes],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let urls: Vec<&str> = articles.iter().filter_map(|a| a.url.as_deref()).collect();
    let mut current: std::collections::HashMap<String, i64> = tx
        .query(
            "SELECT DISTINCT ON (url) url, id FROM articles WHERE url = ANY($1) AND NOT superseded \
             ORDER BY url, id DESC",
            &[&urls],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let fresh = articles
        .iter()
        .filter(|a| !known.contains_key(&a.content_hash))
        .count() as i64;
    let mut ids = tx
        .query(
            "SELECT nextval('articles_id_seq') FROM generate_series(1, $1::BIGINT)",
            &[&fresh],
        )?
        .iter()
        .map(|r| r.get::<_, i64>(0))
        .collect::<Vec<_>>()
        .into_iter();
    let mut out = Vec::with_capacity(articles.len());
    let mut rows: Vec<(i64, &NewArticle, Option<i64>)> = Vec::new();
    let mut superseded: Vec<i64> = Vec::new();
    for a in articles {
        if let Some(&id) = known.get(&a.content_hash) {
            out.push(Stored::Duplicate(id));
            continue;
        }
        let Some(id) = ids.next() else {
            break;
        };
        let previous = a.url.as_ref().and_then(|u| current.get(u).copied());
        known.insert(a.content_hash.clone(), id);
        if let Some(url) = &a.url {
            current.insert(url.clone(), id);
        }
        if let Some(of) = previous {
            superseded.push(of);
        }
        rows.push((id, a, previous));
        out.push(match previous {
            Some(of) => Stored::Revision { id, of },
            None => Stored::New(id),
        });
    }
    let now = now();
    tx.execute(
        "INSERT INTO articles (id, url, content_hash, revision_of, outlet, title, published, text, analyzed, queue_id, created_at) \
         SELECT *, $11::BIGINT FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[], $5::TEXT[], $6::TEXT[], \
         $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::BIGINT[])",
        &[
            &rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.url.as_deref()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.content_hash.as_str()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.outlet.as_deref()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.title.as_deref()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.published.as_deref()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.text.as_str()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.analyzed.as_str()).collect::<Vec<_>>(),
            &rows.iter().map(|r| r.1.queue_id).collect::<Vec<_>>(),
            &now,
        ],
    )?;
    tx.execute(
        "UPDATE articles SET superseded = TRUE WHERE id = ANY($1)",
        &[&superseded],
    )?;
    Ok(out)
}

fn stored_analysis(r: &::postgres::Row) -> StoredAnalysis {
    StoredAnalysis {
        id: r.get(0),
        analyzed: r.get(1),
        superseded: r.get(2),
    }
}

/// Inserts stories, their members and their groups (a group's key is replaced if present),
/// each table in one statement over arrays: a batch's alignment is a few round trips, not one
/// per row.
fn insert_results(
    tx: &mut ::postgres::Transaction<'_>,
    results: &Results,
    version: i64,
) -> std::result::Result<(), ::postgres::Error> {
    let summaries: Vec<&StorySummary> = results.stories.iter().map(|r| &r.summary).collect();
    let column =
        |f: &dyn Fn(&StorySummary) -> i64| summaries.iter().map(|s| f(s)).collect::<Vec<i64>>();
    let text = |f: &dyn Fn(&StorySummary) -> String| {
        summaries.iter().map(|s| f(s)).collect::<Vec<String>>()
    };
    let date = |f: &dyn Fn(&StorySummary) -> Option<String>| {
        summaries
            .iter()
            .map(|s| f(s))
            .collect::<Vec<Option<String>>>()
    };
    tx.execute(
        "INSERT INTO stories (id, label, articles, outlets, groups, disputed, verdicts, newest, \
         first_published, last_published, version) \
         SELECT *, $11::BIGINT FROM unnest($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::BIGINT[], \
         $6::BIGINT[], $7::TEXT[], $8::BIGINT[], $9::TEXT[], $10::TEXT[])",
        &[
            &column(&|s| s.id),
            &text(&|s| s.label.clone()),
            &column(&|s| s.articles),
            &text(&|s| s.outlets.join("\n")),
            &column(&|s| s.groups),
            &column(&|s| s.disputed),
            &text(&|s| s.verdicts.join("\n")),
            &column(&|s| s.newest),
            &date(&|s| s.first_published.clone()),
            &date(&|s| s.last_published.clone()),
            &version,
        ],
    )?;
    let (stories, articles): (Vec<i64>, Vec<i64>) = results
        .stories
        .iter()
        .flat_map(|row| row.articles.iter().map(|a| (row.summary.id, *a)))
        .unzip();
    tx.execute(
        "INSERT INTO story_articles (story_id, article_id) SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[])",
        &[&stories, &articles],
    )?;
    // One statement cannot upsert a key twice; as row by row, the last row of a key wins.
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, g) in results.groups.iter().enumerate() {
        last.insert(&g.key, i);
    }
    let groups: Vec<&GroupRow> = results
        .groups
        .iter()
        .enumerate()
        .filter(|(i, g)| last.get(g.key.as_str()) == Some(i))
        .map(|(_, g)| g)
        .collect();
    tx.execute(
        "INSERT INTO claim_groups (key, story_id, verdict, rank, body) \
         SELECT * FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::BIGINT[], $5::TEXT[]) \
         ON CONFLICT (key) DO UPDATE SET story_id = EXCLUDED.story_id, verdict = EXCLUDED.verdict, \
         rank = EXCLUDED.rank, body = EXCLUDED.body",
        &[
            &groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            &groups.iter().map(|g| g.story).collect::<Vec<_>>(),
            &groups
                .iter()
                .map(|g| g.verdict.as_str())
                .collect::<Vec<_>>(),
            &groups.iter().map(|g| g.rank).collect::<Vec<_>>(),
            &groups.iter().map(|g| g.body.as_str()).collect::<Vec<_>>(),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
