//! `http(s)://` inputs, fetched with `ureq` (blocking, rustls): a whole-request time limit,
//! bounded redirects, a user agent that names us, and the body streamed into the same readers as
//! a file, so the size limit and WARC streaming apply to it unchanged.

use crate::{IngestOptions, Input};
use corroborate_model::InputError;
use std::io::BufReader;

/// The user agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "corroborate/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/corroborate/corroborate)"
);

/// Whether an input names a URL rather than a path.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Requests `url` and returns its body as a stream with the charset its `Content-Type` header
/// declares; HTTP errors, timeouts and unreachable hosts
/// are errors naming the URL. The body is read lazily, so the time limit and the size limit
/// (applied by the reader) also cover an endless body.
pub fn get(url: &str, options: &IngestOptions) -> Result<(Input, Option<String>), InputError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.url_timeout))
        .max_redirects(options.max_redirects)
        .user_agent(USER_AGENT)
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| InputError::new(url, reason(&e)))?;
    let charset = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(crate::warc::charset_of);
    let body = response
        .into_body()
        .into_with_config()
        .limit(u64::MAX)
        .reader();
    Ok((Box::new(BufReader::with_capacity(64 * 1024, body)), charset))
}

/// Words for a failed request.
fn reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::StatusCode(code) => format!("HTTP error {code}"),
        ureq::Error::Timeout(_) => "timed out (see --url-timeout)".to_string(),
        ureq::Error::TooManyRedirects => "too many redirects".to_string(),
        other => format!("cannot fetch: {other}"),
    }
}
