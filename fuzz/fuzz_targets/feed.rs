//! Arbitrary bytes read as an RSS/Atom feed, and every item extracted: no panic.
#![no_main]

use corroborate_ingest::{IngestOptions, read};
use corroborate_model::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = IngestOptions {
        format: Some(InputFormat::Feed),
        ..Default::default()
    };
    for doc in read("fuzz.xml", std::io::Cursor::new(data.to_vec()), &options).flatten() {
        let _ = corroborate_extract::extract(doc, 0);
    }
});
