//! Arbitrary bytes (plain or gzip) read as a WARC stream, and every record extracted: no panic,
//! no endless loop, records numbered in order.
#![no_main]

use corroborate_ingest::{IngestOptions, read};
use corroborate_model::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = IngestOptions {
        format: Some(InputFormat::Warc),
        max_bytes: 1 << 20,
        ..Default::default()
    };
    for doc in read("fuzz.warc", std::io::Cursor::new(data.to_vec()), &options).flatten() {
        let _ = corroborate_extract::extract(doc, 0);
    }
});
