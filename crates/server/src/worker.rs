//! The background worker: claims queued submissions in small batches, analyses them on the
//! blocking pool, records each outcome, then places the batch's articles into stories and
//! re-aligns the stories they changed (see [`desk`]).
//!
//! Durability: an item is marked done only after its articles are stored, and storing is
//! idempotent (content hash), so an item interrupted anywhere is simply analysed again. At
//! shutdown the item being analysed finishes and the claimed ones not yet started go back to
//! the queue; after a crash, `Server::start` requeues whatever was left running.

use crate::desk::{self, ProcessError};
use crate::web::{AppState, blocking};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Items claimed at a time: the alignment after each batch sees them all.
const BATCH: usize = 32;

/// How long an idle worker sleeps when nobody wakes it (another server on the same
/// PostgreSQL database may have queued work).
const IDLE: Duration = Duration::from_secs(2);

pub(crate) async fn run(state: Arc<AppState>, mut stop: watch::Receiver<bool>) {
    // Built from the store at start, which also aligns articles a crash left unaligned; lost
    // (and rebuilt before the next batch) if building or placing fails.
    let mut placement = rebuild(&state).await;
    loop {
        if *stop.borrow() {
            break;
        }
        let claimed = blocking({
            let state = state.clone();
            move || state.store.claim(BATCH)
        })
        .await;
        let items = match claimed {
            Ok(items) => items,
            Err(e) => {
                tracing::error!("cannot read the queue: {e}");
                tokio::select! {
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
                continue;
            }
        };
        if items.is_empty() {
            if let Some(current) = placement.take_if(|p| p.has_work()) {
                placement = place(&state, current, Vec::new(), Vec::new()).await;
            }
            tokio::select! {
                _ = state.wake.notified() => {}
                _ = tokio::time::sleep(IDLE) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        state.busy.store(true, Ordering::SeqCst);
        let mut articles: Vec<i64> = Vec::new();
        let mut superseded: Vec<i64> = Vec::new();
        let mut items = items.into_iter();
        while let Some(item) = items.next() {
            if *stop.borrow() {
                let ids: Vec<i64> = std::iter::once(item.id)
                    .chain(items.by_ref().map(|i| i.id))
                    .collect();
                let store = state.store.clone();
                if let Err(e) = blocking(move || store.requeue(&ids)).await {
                    tracing::error!("requeue at shutdown: {e}");
                }
                break;
            }
            let id = item.id;
            let source = item.source.clone();
            let outcome = {
                let state = state.clone();
                tokio::task::spawn_blocking(move || {
                    desk::process(state.store.as_ref(), &state.config, &item)
                })
                .await
            };
            let recorded = match outcome {
                Ok(Ok(mut processed)) => {
                    articles.append(&mut processed.articles);
                    superseded.append(&mut processed.superseded);
                    state
                        .metrics
                        .articles_stored
                        .fetch_add(processed.stored as u64, Ordering::Relaxed);
                    state
                        .metrics
                        .articles_duplicate
                        .fetch_add(processed.duplicates as u64, Ordering::Relaxed);
                    tracing::info!(
                        id,
                        %source,
                        stored = processed.stored,
                        duplicates = processed.duplicates,
                        skipped = processed.errors.len(),
                        "analysed"
                    );
                    let note = (!processed.errors.is_empty()).then(|| processed.errors.join("; "));
                    until_recorded(&state, &stop, move |store| {
                        store.finish(id, processed.stored, note.as_deref())
                    })
                    .await
                }
                Ok(Err(ProcessError::Storage(e))) => {
                    // The database failed, not the input: the item is analysed again once the
                    // database answers (storing is idempotent).
                    tracing::warn!(id, %source, "database failed, requeued: {e}");
                    until_recorded(&state, &stop, move |store| store.requeue(&[id])).await
                }
                Ok(Err(e)) => {
                    state.metrics.queue_failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(id, %source, "failed: {e}");
                    let error = e.to_string();
                    until_recorded(&state, &stop, move |store| store.fail(id, &error)).await
                }
                Err(panic) => {
                    state.metrics.queue_failed.fetch_add(1, Ordering::Relaxed);
                    let error = format!("{source}: analysis crashed: {panic}");
                    tracing::error!(id, "{error}");
                    until_recorded(&state, &stop, move |store| store.fail(id, &error)).await
                }
            };
            if !recorded {
                tracing::error!(
                    id,
                    "outcome not recorded before shutdown; requeued at the next start"
                );
            }
        }
        if placement.is_none() {
            placement = rebuild(&state).await;
        }
        if let Some(current) = placement.take() {
            placement = place(&state, current, articles, superseded).await;
        }
        state.busy.store(false, Ordering::SeqCst);
    }
}

/// Records an item's outcome, retrying while the database is unreachable (a PostgreSQL restart)
/// so that no item stays running; false when shutdown came first.
async fn until_recorded(
    state: &Arc<AppState>,
    stop: &watch::Receiver<bool>,
    record: impl Fn(&dyn crate::storage::Storage) -> crate::storage::Result<()> + Send + Sync + 'static,
) -> bool {
    let record = Arc::new(record);
    let mut wait = Duration::from_millis(200);
    loop {
        let store = state.store.clone();
        let attempt = record.clone();
        match blocking(move || attempt(store.as_ref())).await {
            Ok(()) => return true,
            Err(e) => tracing::error!("cannot record an outcome, retrying in {wait:?}: {e}"),
        }
        if *stop.borrow() {
            return false;
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

/// Places a batch's articles and re-aligns the stories they changed; a storage error keeps
/// the work in the placement for the next batch.
async fn place(
    state: &Arc<AppState>,
    mut placement: desk::Placement,
    articles: Vec<i64>,
    superseded: Vec<i64>,
) -> Option<desk::Placement> {
    let started = Instant::now();
    let result = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            let aligned = desk::place(
                state.store.as_ref(),
                &state.config,
                &mut placement,
                &articles,
                &superseded,
            );
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
            Some(placement)
        }
        Ok((placement, Err(e))) => {
            tracing::error!("alignment not stored, kept for the next batch: {e}");
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
