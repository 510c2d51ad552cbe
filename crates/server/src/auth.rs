//! Team use: who is asking and what they may do.
//!
//! Authentication is on as soon as the store holds a user (`corroborate serve --add-user`).
//! A request is identified by an API token (`Authorization: Bearer …`) or a session cookie set
//! at `/login`; both are stored only as SHA-256 hashes, passwords as argon2 hashes. Reading
//! needs the reader role unless `public_read` is set; ingest and retry need editor. A form
//! posted with a session cookie must carry the session's CSRF token (`?csrf=` in the form's
//! action, so multipart uploads carry it too); token requests are not ambient and need none.
//! Ingest is rate-limited per client address.

use crate::storage::{Role, User};
use crate::web::{AppState, blocking};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Name of the session cookie.
pub(crate) const COOKIE: &str = "corroborate_session";

/// How long a session lasts (seconds).
pub(crate) const SESSION_SECONDS: i64 = 12 * 3600;

/// An argon2id hash (PHC string) of `password` with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness for a salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .and_then(|h| Argon2::default().verify_password(password.as_bytes(), &h))
        .is_ok()
}

/// A new random secret (session cookie, CSRF or API token): 32 bytes as hex.
pub fn new_secret() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(crate::desk::hex(&bytes))
}

/// How a secret is stored: its SHA-256.
pub fn secret_hash(secret: &str) -> String {
    crate::desk::hex(&Sha256::digest(secret.as_bytes()))
}

/// Who is asking.
#[derive(Debug, Clone)]
pub(crate) enum Identity {
    /// Authentication is off (no users): everything is allowed, as on a single desk.
    Local,
    /// Not logged in.
    Anonymous,
    /// A user, with the session's CSRF token when identified by cookie.
    User { user: User, csrf: Option<String> },
}

impl Identity {
    pub fn role(&self) -> Option<Role> {
        match self {
            Identity::Local => Some(Role::Admin),
            Identity::Anonymous => None,
            Identity::User { user, .. } => Some(user.role),
        }
    }

    /// The CSRF token forms must carry, if any.
    pub fn csrf(&self) -> Option<&str> {
        match self {
            Identity::User { csrf, .. } => csrf.as_deref(),
            _ => None,
        }
    }

    /// A form action with the CSRF token appended.
    pub fn action(&self, path: &str) -> String {
        match self.csrf() {
            Some(csrf) => format!("{path}?csrf={csrf}"),
            None => path.to_string(),
        }
    }
}

/// Per-address token buckets for ingest requests.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; false when its bucket is empty.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, seen)| now.duration_since(*seen).as_secs() < 60);
        }
        let (tokens, last) = buckets.entry(ip).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.per_minute / 60.0)
            .min(self.per_minute);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Whether a browser says the request comes from another site: `Sec-Fetch-Site: cross-site`,
/// or an `Origin` whose host is not the `Host` asked for.
fn cross_site(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if get("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (get("origin"), get("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            !origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The role a request needs, or `None` when anyone may make it.
fn required_role(method: &Method, path: &str, public_read: bool) -> Option<Role> {
    if matches!(path, "/login" | "/logout" | "/healthz" | "/static/desk.css") {
        return None;
    }
    // Accounts and tokens, listed or revoked, are for admins only.
    if ["/api/users", "/api/tokens", "/account/users"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
        || (path.starts_with("/account/tokens/") && path.ends_with("/revoke"))
    {
        return Some(Role::Admin);
    }
    if method == Method::GET || method == Method::HEAD {
        // Your own account page is not public even when reading is.
        if path == "/account" {
            return Some(Role::Reader);
        }
        return (!public_read).then_some(Role::Reader);
    }
    match path {
        "/account/tokens" => Some(Role::Reader),
        "/account/users" => Some(Role::Admin),
        _ => Some(Role::Editor),
    }
}

fn is_ingest(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/ingest" | "/api/articles" | "/api/uploads")
}

fn refuse(status: StatusCode, api: bool, message: &str) -> Response {
    if api {
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    } else {
        (status, crate::ui::error_page(status, message)).into_response()
    }
}

/// Identifies the request, enforces roles, CSRF and the ingest rate, and passes the
/// [`Identity`] on to the handlers.
pub(crate) async fn authorize(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let api = path.starts_with("/api/");
    if is_ingest(&method, &path) {
        let ip = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        if let Some(ip) = ip
            && !state.rate.allow(ip)
        {
            let mut response = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                api,
                "too many ingest requests from this address; slow down",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            return response;
        }
    }
    if method != Method::GET && method != Method::HEAD && cross_site(request.headers()) {
        // Without accounts nothing else stops a web page from posting to a desk on loopback.
        return refuse(
            StatusCode::FORBIDDEN,
            api,
            "cross-site request refused (its Origin is not this server)",
        );
    }
    let identity = match identify(&state, request.headers()).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    if let Some(needed) = required_role(&method, &path, state.public_read) {
        match identity.role() {
            None if !api && method == Method::GET => {
                let next = crate::ui::encode(&path);
                return Redirect::to(&format!("/login?next={next}")).into_response();
            }
            None => return refuse(StatusCode::UNAUTHORIZED, api, "log in or send an API token"),
            Some(role) if role < needed => {
                let message = format!("this needs the {} role", needed.name());
                return refuse(StatusCode::FORBIDDEN, api, &message);
            }
            Some(_) => {}
        }
        if method != Method::GET
            && method != Method::HEAD
            && let Some(expected) = identity.csrf()
            && query_value(request.uri().query(), "csrf").as_deref() != Some(expected)
        {
            return refuse(StatusCode::FORBIDDEN, api, "missing or wrong CSRF token");
        }
    }
    request.extensions_mut().insert(identity);
    next.run(request).await
}

async fn identify(state: &Arc<AppState>, headers: &HeaderMap) -> Result<Identity, Response> {
    if !state.auth_enabled {
        return Ok(Identity::Local);
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let store = state.store.clone();
    let storage_error =
        |e: crate::web::AppError| refuse(StatusCode::SERVICE_UNAVAILABLE, true, &e.to_string());
    if let Some(token) = bearer {
        let hash = secret_hash(&token);
        return match blocking(move || store.token_user(&hash)).await {
            Ok(Some(user)) => Ok(Identity::User { user, csrf: None }),
            Ok(None) => Err(refuse(StatusCode::UNAUTHORIZED, true, "unknown API token")),
            Err(e) => Err(storage_error(e)),
        };
    }
    if let Some(cookie) = cookie_value(headers, COOKIE) {
        let hash = secret_hash(&cookie);
        return match blocking(move || store.session(&hash)).await {
            Ok(Some((user, csrf))) => Ok(Identity::User {
                user,
                csrf: Some(csrf),
            }),
            Ok(None) => Ok(Identity::Anonymous),
            Err(e) => Err(storage_error(e)),
        };
    }
    Ok(Identity::Anonymous)
}

/// The `Set-Cookie` value for a new session.
pub(crate) fn session_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends a session.
pub(crate) fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session cookie's secret in a request.
pub(crate) fn request_session(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horse "));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn reading_needs_a_reader_unless_public_and_writing_needs_an_editor() {
        assert_eq!(required_role(&Method::GET, "/", false), Some(Role::Reader));
        assert_eq!(required_role(&Method::GET, "/", true), None);
        assert_eq!(
            required_role(&Method::POST, "/api/uploads", true),
            Some(Role::Editor)
        );
        assert_eq!(required_role(&Method::POST, "/login", false), None);
        assert_eq!(required_role(&Method::GET, "/healthz", false), None);
        assert_eq!(
            required_role(&Method::GET, "/account", true),
            Some(Role::Reader)
        );
        assert_eq!(
            required_role(&Method::POST, "/account/tokens", false),
            Some(Role::Reader)
        );
        assert_eq!(
            required_role(&Method::POST, "/account/users", false),
            Some(Role::Admin)
        );
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        assert!(!cross_site(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(!cross_site(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ])));
        assert!(cross_site(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example")
        ])));
        assert!(cross_site(&headers(&[("origin", "null")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
    }

    #[test]
    fn rate_limiter_empties_and_is_per_address() {
        let limiter = RateLimiter::new(2);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }

    #[test]
    fn cookies_and_query_values_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; corroborate_session=abc".parse().unwrap(),
        );
        assert_eq!(cookie_value(&headers, COOKIE).as_deref(), Some("abc"));
        assert_eq!(
            query_value(Some("x=1&csrf=zz"), "csrf").as_deref(),
            Some("zz")
        );
        assert_eq!(query_value(None, "csrf"), None);
        assert!(session_cookie("s", true).contains("HttpOnly; SameSite=Strict"));
        assert!(session_cookie("s", true).ends_with("; Secure"));
    }
}
