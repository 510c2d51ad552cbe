//! Feed subscriptions: every due feed is fetched with a conditional GET (`If-None-Match`,
//! `If-Modified-Since`); a changed feed's body goes into the ingest queue in the transaction
//! that records the poll, and the worker reads its items like an uploaded feed (items already
//! stored are skipped by content hash). A failing feed waits twice as long after each failure
//! in a row, up to six hours, and its error is shown on the feeds page.

use crate::storage::{Feed, FeedPoll, NewItem, now};
use crate::web::{AppState, blocking};
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the poller looks for due feeds.
const TICK: Duration = Duration::from_secs(1);

/// Longest wait after failures, in seconds.
const MAX_BACKOFF: i64 = 6 * 3600;

/// Feeds polled per tick.
const PER_TICK: i64 = 16;

/// When to poll a feed next, after a poll at `now` that succeeded or failed.
pub fn next_poll(now: i64, feed: &Feed, failed: bool) -> i64 {
    let interval = feed.interval_seconds.max(1);
    if !failed {
        return now + interval;
    }
    let doublings = (feed.failures + 1).clamp(0, 20) as u32;
    let wait = interval
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF.max(interval));
    now + wait
}

/// What a conditional GET returned.
#[derive(Debug, PartialEq, Eq)]
pub enum Fetched {
    /// 304: unchanged since the validators were issued.
    NotModified,
    /// A new body with its validators.
    Body {
        /// The feed's bytes.
        bytes: Vec<u8>,
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
    },
}

/// Fetches `feed.url` with its validators; errors name the URL and the reason.
pub fn fetch(feed: &Feed, timeout: Duration, max_bytes: u64) -> Result<Fetched, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(5)
        .http_status_as_error(false)
        .user_agent("corroborate-desk (feed poller)")
        .build()
        .into();
    let mut request = agent.get(&feed.url);
    if let Some(etag) = &feed.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(date) = &feed.last_modified {
        request = request.header("If-Modified-Since", date);
    }
    let mut response = request.call().map_err(|e| format!("{}: {e}", feed.url))?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(format!("{}: HTTP {status}", feed.url));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: reading the body: {e}", feed.url))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!("{}: larger than {max_bytes} bytes", feed.url));
    }
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}

/// Polls due feeds until `stop`.
pub(crate) async fn run(state: Arc<AppState>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
        let due = {
            let store = state.store.clone();
            blocking(move || store.due_feeds(now(), PER_TICK)).await
        };
        let due = match due {
            Ok(due) => due,
            Err(e) => {
                tracing::error!("cannot read feeds: {e}");
                continue;
            }
        };
        let polls: Vec<_> = due
            .into_iter()
            .map(|feed| tokio::spawn(poll(state.clone(), feed)))
            .collect();
        for poll in polls {
            let _ = poll.await;
        }
    }
}

async fn poll(state: Arc<AppState>, feed: Feed) {
    let timeout = state.config.ingest.url_timeout;
    let max_bytes = state.max_upload_bytes as u64;
    let fetched = {
        let feed = feed.clone();
        tokio::task::spawn_blocking(move || fetch(&feed, timeout, max_bytes))
            .await
            .unwrap_or_else(|e| Err(format!("poll crashed: {e}")))
    };
    let now = now();
    let (outcome, item) = match fetched {
        Ok(Fetched::NotModified) => (FeedPoll::Unchanged, None),
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
        }) => (
            FeedPoll::Changed {
                etag,
                last_modified,
            },
            Some(NewItem {
                source: feed.url.clone(),
                payload: bytes,
            }),
        ),
        Err(e) => (FeedPoll::Failed(e), None),
    };
    let failed = matches!(outcome, FeedPoll::Failed(_));
    if let FeedPoll::Failed(e) = &outcome {
        tracing::warn!(feed = feed.id, "poll failed: {e}");
    }
    let next = next_poll(now, &feed, failed);
    let queued = item.is_some();
    let store = state.store.clone();
    let id = feed.id;
    match blocking(move || store.record_poll(id, &outcome, item.as_ref(), next)).await {
        Ok(()) if queued => state.wake.notify_one(),
        Ok(()) => {}
        Err(e) => tracing::error!(feed = id, "cannot record the poll: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(interval: i64, failures: i64) -> Feed {
        Feed {
            id: 1,
            url: "http://x/feed".into(),
            interval_seconds: interval,
            etag: None,
            last_modified: None,
            next_poll_at: 0,
            last_polled_at: None,
            failures,
            last_error: None,
            updates: 0,
        }
    }

    #[test]
    fn failures_double_the_wait_up_to_six_hours() {
        assert_eq!(next_poll(100, &feed(60, 0), false), 160);
        assert_eq!(next_poll(100, &feed(60, 0), true), 220);
        assert_eq!(next_poll(100, &feed(60, 1), true), 340);
        assert_eq!(next_poll(100, &feed(60, 50), true), 100 + MAX_BACKOFF);
        assert_eq!(next_poll(0, &feed(0, 0), false), 1, "never busy-polls");
    }
}
