//! `corroborate serve`: the corroboration desk — a web UI and JSON API over a durable store of
//! analysed articles, built on the same library as the CLI so both give the same verdicts.
//!
//! - [`storage`]: the [`Storage`](storage::Storage) interface and its two backends, SQLite
//!   (embedded, default) and PostgreSQL.
//! - [`desk`]: what the worker does with the library — analyse each queued submission's
//!   articles once (content hash), keep changed versions of a URL as revisions, align.
//! - `worker`: drains the queue in the background; work in flight at shutdown is requeued,
//!   and anything left running by a crash is requeued at start.
//! - `api` and `ui`: thin handlers (parse, call storage, render) for `/api` (JSON) and the
//!   server-rendered pages (maud, escaped by construction, no JavaScript needed).
//!
//! [`Server::start`] runs it all on a listener and returns its address; tests start real servers
//! on ephemeral ports with it.

pub mod auth;
pub mod desk;
pub mod feeds;
pub mod storage;

mod api;
mod options;
mod ui;
mod web;
mod worker;

pub use options::{ServeArgs, ServeOptions};

use std::net::SocketAddr;
use std::sync::Arc;
use storage::Storage;
use tokio::sync::watch;

/// A running server.
pub struct Server {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    state: Arc<web::AppState>,
}

impl Server {
    /// Opens the storage, recovers work left running, starts the worker (unless disabled) and
    /// the HTTP listener.
    pub async fn start(options: ServeOptions) -> Result<Server, String> {
        let store = options.open_storage().await?;
        Self::start_with(options, store).await
    }

    /// Starts on an already open store.
    pub async fn start_with(
        options: ServeOptions,
        store: Arc<dyn Storage>,
    ) -> Result<Server, String> {
        let config = options.library_config()?;
        let users = web::blocking({
            let store = store.clone();
            move || store.user_count()
        })
        .await
        .map_err(|e| e.to_string())?;
        options.check_listen(users > 0)?;
        let state = Arc::new(web::AppState::new(store, config, &options, users > 0));
        let recovered = web::blocking({
            let state = state.clone();
            move || state.store.requeue_running()
        })
        .await
        .map_err(|e| e.to_string())?;
        if recovered > 0 {
            tracing::info!(
                recovered,
                "requeued items left running by an earlier process"
            );
        }
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the listening address: {e}"))?;
        let (shutdown, signal) = watch::channel(false);
        let mut tasks = Vec::new();
        if options.worker {
            tasks.push(tokio::spawn(worker::run(state.clone(), signal.clone())));
            tasks.push(tokio::spawn(feeds::run(state.clone(), signal.clone())));
        }
        tasks.push(tokio::spawn(web::watch_alignments(
            state.clone(),
            signal.clone(),
        )));
        let router = web::router(state.clone());
        let mut http_signal = signal;
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = http_signal.wait_for(|stop| *stop).await;
            };
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, service)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!("HTTP server stopped: {e}");
            }
        }));
        tracing::info!(%addr, backend = state.store.backend(), "corroborate desk listening");
        Ok(Server {
            addr,
            shutdown,
            tasks,
            state,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store it uses.
    pub fn store(&self) -> Arc<dyn Storage> {
        self.state.store.clone()
    }

    /// Stops accepting requests, lets the worker finish the item it is analysing, requeues the
    /// items it had claimed but not started, and waits for all of it.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        let store = self.state.store.clone();
        if let Err(e) = web::blocking(move || store.requeue_running()).await {
            tracing::error!("requeue at shutdown: {e}");
        }
    }

    /// Waits until the queue has nothing pending or running and the worker has aligned what
    /// it stored (tests and scripts).
    pub async fn idle(&self) -> Result<(), String> {
        loop {
            let store = self.state.store.clone();
            let counts = web::blocking(move || store.queue_counts())
                .await
                .map_err(|e| e.to_string())?;
            if counts.pending + counts.running == 0
                && !self.state.busy.load(std::sync::atomic::Ordering::SeqCst)
            {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Stops without any clean-up, as a crash would (tests of recovery).
    pub fn abort(self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// `corroborate serve`: runs until Ctrl-C or SIGTERM, then shuts down gracefully.
pub fn run(args: ServeArgs) -> Result<(), String> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    let options = ServeOptions::resolve(&args)?;
    if args.add_user.is_some() || args.add_token.is_some() {
        return manage_accounts(&args, &options);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let server = Server::start(options).await?;
        println!("corroborate desk on http://{}/", server.addr());
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the item in progress, requeueing the rest");
        server.shutdown().await;
        Ok(())
    })
}

/// `--add-user` and `--add-token`: change the store and exit.
fn manage_accounts(args: &ServeArgs, options: &ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let store = runtime.block_on(options.open_storage())?;
    if let Some(name) = &args.add_user {
        let role = storage::Role::parse(&args.role)
            .ok_or_else(|| format!("--role {:?}: expected reader, editor or admin", args.role))?;
        let password = match std::env::var("CORROBORATE_PASSWORD") {
            Ok(p) if !p.is_empty() => p,
            _ => {
                eprintln!("password for {name} (one line on standard input):");
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| format!("cannot read the password: {e}"))?;
                line.trim_end_matches(['\r', '\n']).to_string()
            }
        };
        if password.chars().count() < 8 {
            return Err("the password must have at least 8 characters".into());
        }
        let hash = auth::hash_password(&password)?;
        let id = store
            .put_user(name, role, &hash)
            .map_err(|e| e.to_string())?;
        println!("user {name} ({}) stored with id {id}", role.name());
    }
    if let Some(name) = &args.add_token {
        let user = store
            .user(name)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("--add-token {name}: no such user"))?;
        let token = auth::new_secret()?;
        store
            .create_token(&auth::secret_hash(&token), user.id, "cli")
            .map_err(|e| e.to_string())?;
        println!("{token}");
    }
    drop(store);
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
