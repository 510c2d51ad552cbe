//! Turns a [`RawDocument`] into an [`Article`]: main text plus outlet, title, by-line and date.

use corroborate_model::{Article, DocId, InputError, RawDocument};

/// Extracts the article in `raw`, numbering it `id`.
pub fn extract(raw: RawDocument, id: DocId) -> Result<Article, InputError> {
    let _ = id;
    Err(InputError::new(&raw.source, "not implemented"))
}
