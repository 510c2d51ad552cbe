//! The background worker: claims queued submissions in batches, analyses a batch's items in
//! parallel on the blocking pool, records every outcome with the articles in one transaction,
//! then places the batch's articles into stories and re-aligns the stories they changed (see
//! [`desk`]). Three batches are in flight, one per stage (analysis, recording, placement),
//! so that the database stores one batch while the cores analyse and place the others.
//!
//! Durability: an item is marked done in the transaction that stores its articles, and storing
//! is idempotent (content hash), so an item interrupted anywhere is simply analysed again. At
//! shutdown the batch in hand is finished or, when not yet analysed, goes back to the queue;
//! after a crash, `Server::start` requeues whatever was left running.

use crate::desk;
use crate::storage::{Outcome, QueueItem, Stored};
use crate::web::{AppState, blocking, refresh_reads};
use corroborate::model::AnalyzedArticle;
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Items claimed at a time: analysed together, stored in one commit, and the alignment after
/// each batch sees them all (a story that gains several articles is re-aligned once).
const BATCH: usize = 256;

/// While more work is queued, re-alignment waits until this many articles wait for it or
/// the configured wait (`align_wait_ms`) passed: a story that gains articles in several
/// batches in a row is aligned once, not once per batch. An empty queue aligns at once.
const ALIGN_AFTER: usize = 4_096;

/// How long an idle worker sleeps when nobody wakes it (another server on the same
/// PostgreSQL database may have queued work).
const IDLE: Duration = Duration::from_secs(2);

pub(crate) async fn run(state: Arc<AppState>, mut stop: watch::Receiver<bool>) {
    // Built from the store at start, which also aligns articles a crash left unaligned; lost
    // (and rebuilt before the next batch) if building or placing fails.
    let mut placement = rebuild(&state).await;
    // One batch per stage: while a batch is recorded, the next one is claimed and analysed and
    // the one before is placed (and its stories aligned when due), so the cores stay busy
    // while the database stores a batch.
    let mut ahead: Option<tokio::task::JoinHandle<Batch>> = None;
    let mut recorded: Option<Recorded> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        let batch = match ahead.take() {
            Some(next) => next.await.unwrap_or_else(|e| Batch::Crashed(e.to_string())),
            None => claim_and_analyse(state.clone()).await,
        };
        let (analysed, analysing) = match batch {
            Batch::Analysed { items, took } if !items.is_empty() => (items, took),
            batch => {
                if let Some(batch) = recorded.take() {
                    placement = place_and_align(&state, placement, batch).await;
                }
                match batch {
                    Batch::Unreadable(e) => tracing::error!("cannot read the queue: {e}"),
                    // Only a bug in the worker gets here (each item's panic is caught); the
                    // batch stays running and is requeued at the next start.
                    Batch::Crashed(e) => tracing::error!("batch analysis crashed: {e}"),
                    Batch::Analysed { .. } => {
                        if let Some(current) = placement.take_if(|p| p.has_work()) {
                            placement = align(&state, current).await;
                        }
                    }
                }
                state.busy.store(
                    placement.as_ref().is_some_and(desk::Placement::has_work),
                    Ordering::SeqCst,
                );
                tokio::select! {
                    _ = state.wake.notified() => {}
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
                continue;
            }
        };
        state.busy.store(true, Ordering::SeqCst);
        if *stop.borrow() {
            requeue(&state, analysed.iter().map(|(item, _)| item.id).collect()).await;
            break;
        }
        ahead = Some(tokio::spawn(claim_and_analyse(state.clone())));
        let recording = tokio::spawn(record(state.clone(), stop.clone(), analysed, analysing));
        if let Some(batch) = recorded.take() {
            placement = place_and_align(&state, placement, batch).await;
        }
        recorded = match recording.await {
            Ok(Some(batch)) => Some(batch),
            Ok(None) => {
                tracing::error!(
                    "outcomes not recorded before shutdown; requeued at the next start"
                );
                break;
            }
            Err(e) => {
                // A bug in the worker: the batch stays running and is requeued at the next start.
                tracing::error!("recording crashed: {e}");
                None
            }
        };
    }
    // The batch claimed ahead goes back to the queue (one that crashed stays running and is
    // requeued at the next start); a batch recorded but not placed is placed at the next
    // start, when the placement is rebuilt from the store.
    if let Some(next) = ahead
        && let Ok(Batch::Analysed { items, .. }) = next.await
    {
        requeue(&state, items.iter().map(|(item, _)| item.id).collect()).await;
    }
    state.busy.store(false, Ordering::SeqCst);
}

/// A recorded batch's articles to place: each stored one with its analysis (none for a
/// duplicate, read from the store), and the articles its revisions superseded.
struct Recorded {
    articles: Vec<(i64, Option<AnalyzedArticle>)>,
    superseded: Vec<i64>,
}

/// Records an analysed batch's outcomes with its articles in one transaction; `None` when
/// shutdown came before the database answered.
async fn record(
    state: Arc<AppState>,
    stop: watch::Receiver<bool>,
    analysed: Vec<(QueueItem, Result<desk::Analysed, String>)>,
    analysing: Duration,
) -> Option<Recorded> {
    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(analysed.len());
    let mut analyses: Vec<Vec<AnalyzedArticle>> = Vec::with_capacity(analysed.len());
    for (item, result) in analysed {
        match result {
            Ok(a) => {
                tracing::debug!(id = item.id, source = %item.source, articles = a.articles.len(), skipped = a.errors.len(), "analysed");
                let note = (!a.errors.is_empty()).then(|| a.errors.join("; "));
                outcomes.push(Outcome::Analysed {
                    item: item.id,
                    articles: a.articles,
                    note,
                });
                analyses.push(a.analyses);
            }
            Err(error) => {
                tracing::warn!(id = item.id, source = %item.source, "failed: {error}");
                outcomes.push(Outcome::Failed {
                    item: item.id,
                    error,
                });
                analyses.push(Vec::new());
            }
        }
    }
    let outcomes = Arc::new(outcomes);
    let stored = until_recorded(&state, &stop, {
        let outcomes = outcomes.clone();
        move |store| store.record(&outcomes)
    })
    .await?;
    let mut out = Recorded {
        articles: Vec::new(),
        superseded: Vec::new(),
    };
    let (mut new, mut duplicates, mut failed) = (0u64, 0u64, 0u64);
    for ((outcome, stored), analyses) in outcomes.iter().zip(stored).zip(analyses) {
        if matches!(outcome, Outcome::Failed { .. }) {
            failed += 1;
        }
        for (stored, analysis) in stored.into_iter().zip(analyses) {
            match stored {
                Stored::New(id) => {
                    new += 1;
                    out.articles.push((id, Some(analysis)));
                }
                Stored::Revision { id, of } => {
                    new += 1;
                    out.articles.push((id, Some(analysis)));
                    out.superseded.push(of);
                }
                Stored::Duplicate(id) => {
                    duplicates += 1;
                    out.articles.push((id, None));
                }
            }
        }
    }
    tracing::info!(
        items = outcomes.len(),
        new,
        duplicates,
        failed,
        ?analysing,
        recording = ?started.elapsed(),
        "batch stored"
    );
    let m = &state.metrics;
    m.articles_stored.fetch_add(new, Ordering::Relaxed);
    m.articles_duplicate
        .fetch_add(duplicates, Ordering::Relaxed);
    m.queue_failed.fetch_add(failed, Ordering::Relaxed);
    Some(out)
}

/// Places a recorded batch (rebuilding a lost placement first) and re-aligns the stories
/// that changed once enough articles or time have gathered.
async fn place_and_align(
    state: &Arc<AppState>,
    mut placement: Option<desk::Placement>,
    batch: Recorded,
) -> Option<desk::Placement> {
    if placement.is_none() {
        placement = rebuild(state).await;
    }
    if let Some(current) = placement.take() {
        placement = place(state, current, batch.articles, batch.superseded).await;
    }
    if let Some(current) = placement.take_if(|p| {
        let (waiting, age) = p.waiting();
        waiting >= ALIGN_AFTER || (waiting > 0 && age >= state.align_wait)
    }) {
        placement = align(state, current).await;
    }
    placement
}

/// A batch taken from the queue by [`claim_and_analyse`].
enum Batch {
    /// Claimed items, each with its analysis or why it failed (none: the queue was empty),
    /// and how long analysing them took.
    Analysed {
        items: Vec<(QueueItem, Result<desk::Analysed, String>)>,
        took: Duration,
    },
    /// The queue could not be read.
    Unreadable(String),
    /// The analysis crashed (a bug in the worker; each item's panic is caught).
    Crashed(String),
}

/// Claims up to a batch of queued items and analyses them in parallel on the blocking pool.
async fn claim_and_analyse(state: Arc<AppState>) -> Batch {
    let claimed = blocking({
        let state = state.clone();
        move || state.store.claim(BATCH)
    })
    .await;
    let items = match claimed {
        Ok(items) => items,
        Err(e) => return Batch::Unreadable(e.to_string()),
    };
    if items.is_empty() {
        return Batch::Analysed {
            items: Vec::new(),
            took: Duration::ZERO,
        };
    }
    let started = Instant::now();
    let analysed = tokio::task::spawn_blocking(move || {
        items
            .into_par_iter()
            .map(|item| {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    desk::analyse(&state.config, &item)
                }))
                .unwrap_or_else(|panic| {
                    let why = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    Err(format!("{}: analysis crashed: {why}", item.source))
                });
                (item, result)
            })
            .collect::<Vec<_>>()
    })
    .await;
    match analysed {
        Ok(items) => Batch::Analysed {
            items,
            took: started.elapsed(),
        },
        Err(e) => Batch::Crashed(e.to_string()),
    }
}

/// Puts claimed items back to pending (at shutdown).
async fn requeue(state: &Arc<AppState>, ids: Vec<i64>) {
    let store = state.store.clone();
    if let Err(e) = blocking(move || store.requeue(&ids)).await {
        tracing::error!("requeue at shutdown: {e}");
    }
}

/// Records a batch's outcomes, retrying while the database is unreachable (a PostgreSQL
/// restart) so that no item stays running; `None` when shutdown came first.
async fn until_recorded<T: Send + 'static>(
    state: &Arc<AppState>,
    stop: &watch::Receiver<bool>,
    record: impl Fn(&dyn crate::storage::Storage) -> crate::storage::Result<T> + Send + Sync + 'static,
) -> Option<T> {
    let record = Arc::new(record);
    let mut wait = Duration::from_millis(200);
    loop {
        let store = state.store.clone();
        let attempt = record.clone();
        match blocking(move || attempt(store.as_ref())).await {
            Ok(out) => return Some(out),
            Err(e) => tracing::error!("cannot record outcomes, retrying in {wait:?}: {e}"),
        }
        if *stop.borrow() {
            return None;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(IDLE);
    }
}

/// Builds the placement from the store and re-aligns every story.
async fn rebuild(state: &Arc<AppState>) -> Option<desk::Placement> {
    let started = Instant::now();
    let result = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            desk::rebuild(state.store.as_ref(), &state.config, state.align_whole_below)
        })
        .await
    };
    match result {
        Ok(Ok((placement, articles))) => {
            refresh_reads(state).await;
            record_alignment(state, started, articles);
            tracing::info!(articles, elapsed = ?started.elapsed(), "placed and aligned every article");
            Some(placement)
        }
        Ok(Err(e)) => {
            tracing::error!("alignment not stored: {e}");
            None
        }
        Err(e) => {
            tracing::error!("alignment crashed: {e}");
            None
        }
    }
}

/// Places a batch's articles into stories (aligned later, see [`align`]); a storage error
/// loses the placement, which is rebuilt from the store before the next batch.
async fn place(
    state: &Arc<AppState>,
    mut placement: desk::Placement,
    articles: Vec<(i64, Option<AnalyzedArticle>)>,
    superseded: Vec<i64>,
) -> Option<desk::Placement> {
    let result = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            desk::place(
                state.store.as_ref(),
                &state.config,
                &mut placement,
                articles,
                &superseded,
            )
            .map(|()| placement)
        })
        .await
    };
    match result {
        Ok(Ok(placement)) => Some(placement),
        Ok(Err(e)) => {
            tracing::error!("articles not placed, placing every article again: {e}");
            None
        }
        Err(e) => {
            tracing::error!("placement crashed: {e}");
            None
        }
    }
}

/// Re-aligns the stories placed articles changed; a storage error keeps the work in the
/// placement for the next time.
async fn align(state: &Arc<AppState>, mut placement: desk::Placement) -> Option<desk::Placement> {
    let started = Instant::now();
    let result = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            let aligned = desk::align(state.store.as_ref(), &state.config, &mut placement);
            (placement, aligned)
        })
        .await
    };
    match result {
        Ok((placement, Ok(articles))) => {
            if articles > 0 {
                record_alignment(state, started, articles);
                tracing::info!(articles, placed = placement.placed(), elapsed = ?started.elapsed(), "aligned changed stories");
            }
            // Cached reads of the stories it replaced go before the worker reports idle.
            refresh_reads(state).await;
            Some(placement)
        }
        Ok((placement, Err(e))) => {
            tracing::error!("alignment not stored, kept for the next time: {e}");
            Some(placement)
        }
        Err(e) => {
            tracing::error!("alignment crashed: {e}");
            None
        }
    }
}

fn record_alignment(state: &AppState, started: Instant, articles: usize) {
    state.metrics.realignments.fetch_add(1, Ordering::Relaxed);
    state
        .metrics
        .articles_aligned
        .fetch_add(articles as u64, Ordering::Relaxed);
    state
        .metrics
        .realign_micros
        .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
}
