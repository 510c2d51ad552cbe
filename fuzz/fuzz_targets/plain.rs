//! Arbitrary bytes through auto-detection and extraction (plain text, front matter, JSON records,
//! everything `corroborate extract` accepts from a file): no panic, spans on char boundaries.
#![no_main]

use corroborate_ingest::{IngestOptions, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = IngestOptions::default();
    for doc in read("fuzz.txt", std::io::Cursor::new(data.to_vec()), &options).flatten() {
        if let Ok(article) = corroborate_extract::extract(doc, 0) {
            assert!(article.text.is_char_boundary(article.body_start));
            if let Some(span) = article.published.and_then(|p| p.evidence) {
                assert!(article.text.get(span.start..span.end).is_some());
            }
        }
    }
});
