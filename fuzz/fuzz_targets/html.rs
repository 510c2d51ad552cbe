//! HTML pages of arbitrary bytes (any charset declaration) through extraction: no panic, and the
//! text is valid with whitespace normalised.
#![no_main]

use corroborate_model::{InputFormat, RawDocument, RecordMetadata, SourceRef};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = RawDocument {
        source: SourceRef::file("fuzz.html"),
        format: InputFormat::Html,
        bytes: data.to_vec(),
        metadata: RecordMetadata::default(),
    };
    if let Ok(article) = corroborate_extract::extract(raw, 0) {
        assert!(!article.text.contains("\n\n\n"));
        assert!(article.body_start <= article.text.len());
    }
});
