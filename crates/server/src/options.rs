//! Options of `corroborate serve`: command line over environment over configuration file over
//! defaults.

use crate::storage::{Storage, postgres::PostgresStorage, sqlite::SqliteStorage};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Command-line options of `corroborate serve`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Directory of the embedded SQLite database (default: ./corroborate-data; env
    /// CORROBORATE_DATA_DIR)
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite: postgres://user@host:port/db (env CORROBORATE_DATABASE)
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080; env CORROBORATE_LISTEN)
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// TOML configuration file with the same keys (data_dir, database, listen, max_upload_mb,
    /// kb)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Add (or update) a user in the configured store and exit; the password is read from
    /// CORROBORATE_PASSWORD or the first line of standard input. Authentication is on once a
    /// user exists.
    #[arg(long, value_name = "NAME")]
    pub add_user: Option<String>,
    /// Role for --add-user: reader, editor or admin
    #[arg(
        long,
        value_name = "ROLE",
        default_value = "reader",
        requires = "add_user"
    )]
    pub role: String,
    /// Create an API token for user NAME, print it once and exit
    #[arg(long, value_name = "NAME")]
    pub add_token: Option<String>,
}

/// The configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database: Option<String>,
    listen: Option<SocketAddr>,
    max_upload_mb: Option<u64>,
    #[serde(default)]
    kb: Vec<PathBuf>,
    public_read: Option<bool>,
    cookie_secure: Option<bool>,
    ingest_per_minute: Option<u32>,
    align_whole_below: Option<usize>,
    align_wait_ms: Option<u64>,
}

/// Resolved server settings.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where the SQLite database lives.
    pub data_dir: PathBuf,
    /// PostgreSQL URL; SQLite when `None`.
    pub database: Option<String>,
    /// Listening address (port 0: any free port).
    pub listen: SocketAddr,
    /// Largest accepted request body on ingest routes, in bytes.
    pub max_upload_bytes: usize,
    /// Knowledge-base files merged over the built-in one, as `analyze --kb`.
    pub kb: Vec<PathBuf>,
    /// Run the background worker (tests turn it off to leave work queued).
    pub worker: bool,
    /// With authentication on, let anyone read (ingest still needs an editor).
    pub public_read: bool,
    /// Mark the session cookie `Secure` (browsers keep it over https and on localhost).
    pub cookie_secure: bool,
    /// Ingest requests allowed per client address and minute.
    pub ingest_per_minute: u32,
    /// Below this many stored articles every batch re-aligns the whole store as one run, as
    /// the CLI does (it takes well under a second); from it on, only the neighbourhoods a batch
    /// changed (see `desk`).
    pub align_whole_below: usize,
    /// While more work is queued, how long placed articles may wait for their stories to be
    /// re-aligned (a story that gains articles in several batches in a row is then aligned
    /// once); 0 aligns after every batch. An empty queue aligns at once.
    pub align_wait: std::time::Duration,
}

impl ServeOptions {
    /// Defaults: SQLite in `data_dir`, loopback, port 8080, 64 MB uploads, worker on.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_upload_bytes: 64 * 1024 * 1024,
            kb: Vec::new(),
            worker: true,
            public_read: false,
            cookie_secure: true,
            ingest_per_minute: 600,
            align_whole_below: 500,
            align_wait: std::time::Duration::from_secs(5),
        }
    }

    /// Command line over environment (`CORROBORATE_DATA_DIR`, `CORROBORATE_DATABASE`,
    /// `CORROBORATE_LISTEN`) over the configuration file over defaults.
    pub fn resolve(args: &ServeArgs) -> Result<Self, String> {
        let file = match &args.config {
            Some(path) => read_config(path)?,
            None => FileConfig::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut options = Self::new(
            args.data_dir
                .clone()
                .or_else(|| env("CORROBORATE_DATA_DIR").map(PathBuf::from))
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("corroborate-data")),
        );
        options.database = args
            .database
            .clone()
            .or_else(|| env("CORROBORATE_DATABASE"))
            .or(file.database);
        let env_listen = match env("CORROBORATE_LISTEN") {
            Some(v) => Some(
                v.parse()
                    .map_err(|e| format!("CORROBORATE_LISTEN={v:?} is not an address: {e}"))?,
            ),
            None => None,
        };
        if let Some(listen) = args.listen.or(env_listen).or(file.listen) {
            options.listen = listen;
        }
        if let Some(mb) = file.max_upload_mb {
            options.max_upload_bytes = (mb as usize).saturating_mul(1024 * 1024);
        }
        options.kb = file.kb;
        options.public_read = file.public_read.unwrap_or(false);
        options.cookie_secure = file.cookie_secure.unwrap_or(true);
        options.ingest_per_minute = file.ingest_per_minute.unwrap_or(600);
        if let Some(n) = file.align_whole_below {
            options.align_whole_below = n;
        }
        if let Some(ms) = file.align_wait_ms {
            options.align_wait = std::time::Duration::from_millis(ms);
        }
        Ok(options)
    }

    /// Refuses to listen beyond loopback without user accounts: anyone who could reach the
    /// port could ingest.
    pub fn check_listen(&self, auth_enabled: bool) -> Result<(), String> {
        if auth_enabled || self.listen.ip().is_loopback() {
            Ok(())
        } else {
            Err(format!(
                "refusing to listen on {}: authentication is not configured; add a user first \
                 (corroborate serve --add-user NAME --role admin) or listen on 127.0.0.1",
                self.listen
            ))
        }
    }

    /// Opens the configured store (creating the data directory for SQLite).
    pub async fn open_storage(&self) -> Result<Arc<dyn Storage>, String> {
        let options = self.clone();
        tokio::task::spawn_blocking(move || -> Result<Arc<dyn Storage>, String> {
            match &options.database {
                Some(url) => Ok(Arc::new(
                    PostgresStorage::connect(url).map_err(|e| e.to_string())?,
                )),
                None => {
                    std::fs::create_dir_all(&options.data_dir).map_err(|e| {
                        format!(
                            "cannot create data directory {}: {e}",
                            options.data_dir.display()
                        )
                    })?;
                    let path = options.data_dir.join("corroborate.sqlite");
                    Ok(Arc::new(
                        SqliteStorage::open(&path).map_err(|e| e.to_string())?,
                    ))
                }
            }
        })
        .await
        .map_err(|e| format!("opening storage: {e}"))?
    }

    /// The library settings: defaults plus the configured knowledge-base files.
    pub fn library_config(&self) -> Result<corroborate::Config, String> {
        let mut config = corroborate::Config::default();
        for file in &self.kb {
            let (kb, diagnostics) =
                corroborate::KnowledgeBase::load(file, false).map_err(|e| e.to_string())?;
            for d in diagnostics {
                tracing::warn!("{d}");
            }
            config.kb.merge(kb);
        }
        config.ingest.max_bytes = self.max_upload_bytes as u64;
        // A URL that never answers holds the worker this long at most.
        config.ingest.url_timeout = std::time::Duration::from_secs(15);
        Ok(config)
    }
}

fn read_config(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read configuration {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("configuration {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_listen_is_refused_without_authentication() {
        let mut options = ServeOptions::new("d");
        assert!(options.check_listen(false).is_ok());
        options.listen = "0.0.0.0:8080".parse().unwrap();
        let err = options.check_listen(false).unwrap_err();
        assert!(err.contains("0.0.0.0:8080") && err.contains("authentication"));
        assert!(options.check_listen(true).is_ok());
    }

    #[test]
    fn command_line_wins_over_the_configuration_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/desk\"\nmax_upload_mb = 2\nalign_wait_ms = 0\n",
        )
        .unwrap();
        let args = ServeArgs {
            listen: Some("127.0.0.1:9100".parse().unwrap()),
            config: Some(path.clone()),
            ..Default::default()
        };
        let options = ServeOptions::resolve(&args).unwrap();
        assert_eq!(options.listen.port(), 9100);
        assert_eq!(options.data_dir, PathBuf::from("/srv/desk"));
        assert_eq!(options.max_upload_bytes, 2 * 1024 * 1024);
        assert_eq!(options.align_wait, std::time::Duration::ZERO);
        std::fs::write(&path, "lisen = 1\n").unwrap();
        let err = ServeOptions::resolve(&args).unwrap_err();
        assert!(err.contains("serve.toml") && err.contains("lisen"), "{err}");
    }
}
