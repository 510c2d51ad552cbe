//! Test support shared by the storage and server tests: PostgreSQL in a fresh schema, and a real
//! server on an ephemeral loopback port with a small blocking HTTP client.

use corroborate_server::storage::postgres::PostgresStorage;
use corroborate_server::{ServeOptions, Server};
use std::sync::atomic::{AtomicU32, Ordering};

/// Where the PostgreSQL tests connect: `DATABASE_URL`, else the project machines' server.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A PostgreSQL store in a schema of its own, dropped when the guard is.
pub struct PgSchema {
    pub url: String,
    pub schema: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = PostgresStorage::drop_schema(&self.url, &self.schema);
    }
}

/// A fresh PostgreSQL store, or `None` after printing `skipped: no PostgreSQL at …`.
pub fn postgres(test: &str) -> Option<(PostgresStorage, PgSchema)> {
    static N: AtomicU32 = AtomicU32::new(0);
    let url = database_url();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!(
        "corroborate_test_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    );
    match PostgresStorage::connect_in_schema(&url, Some(&schema)) {
        Ok(store) => Some((store, PgSchema { url, schema })),
        Err(e) => {
            eprintln!("skipped: no PostgreSQL at {url} ({test}): {e}");
            None
        }
    }
}

/// A server running on its own runtime, driven by blocking test code.
pub struct TestServer {
    pub runtime: tokio::runtime::Runtime,
    pub server: Option<Server>,
    pub base: String,
    agent: ureq::Agent,
}

/// A response: status, headers we look at, body.
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestServer {
    /// Starts with SQLite in `data_dir` on an ephemeral port.
    pub fn sqlite(data_dir: &std::path::Path, worker: bool) -> Self {
        let mut options = ServeOptions::new(data_dir);
        options.listen = "127.0.0.1:0".parse().unwrap();
        options.worker = worker;
        Self::start(options, None)
    }

    /// Starts with `store` (or the options' storage) on an ephemeral port.
    pub fn start(
        options: ServeOptions,
        store: Option<std::sync::Arc<dyn corroborate_server::storage::Storage>>,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(async {
                match store {
                    Some(store) => Server::start_with(options, store).await,
                    None => Server::start(options).await,
                }
            })
            .unwrap();
        let base = format!("http://{}", server.addr());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            // The server closes a connection whose request body it refused without reading;
            // a fresh connection per request keeps a later POST from landing on it.
            .max_idle_connections_per_host(0)
            .build()
            .into();
        Self {
            runtime,
            server: Some(server),
            base,
            agent,
        }
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().unwrap()
    }

    /// Waits until the worker has analysed and aligned everything queued.
    pub fn idle(&self) {
        let server = self.server();
        self.runtime
            .block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(120), server.idle()).await
            })
            .expect("worker did not finish within 120 s")
            .unwrap();
    }

    /// Stops as a crash would: no requeueing, nothing flushed by us.
    pub fn crash(mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }

    /// Graceful shutdown.
    pub fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }

    fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("request failed");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, location, set_cookie) =
            (header("etag"), header("location"), header("set-cookie"));
        Reply {
            status: response.status().as_u16(),
            etag,
            location,
            set_cookie,
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        Self::reply(self.agent.get(format!("{}{path}", self.base)).call())
    }

    pub fn get_with(&self, path: &str, header: &str, value: &str) -> Reply {
        Self::reply(
            self.agent
                .get(format!("{}{path}", self.base))
                .header(header, value)
                .call(),
        )
    }

    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        self.post_with(path, content_type, body, &[])
    }

    /// A POST with extra headers (cookies, tokens).
    pub fn post_with(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::reply(request.send(body))
    }

    /// A DELETE; returns the status.
    /// A DELETE with extra headers (tokens).
    pub fn delete_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.delete(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::reply(request.call())
    }

    pub fn agent_delete(&self, path: &str) -> u16 {
        Self::reply(self.agent.delete(format!("{}{path}", self.base)).call()).status
    }

    /// Posts files as multipart/form-data under the field name `files`.
    pub fn upload(&self, path: &str, files: &[(&str, &[u8])]) -> Reply {
        let boundary = "corroborate-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
        )
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
