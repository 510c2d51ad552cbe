//! Extracts HTML files with a chosen engine and prints one JSON object per file, for comparing
//! extractors in `scripts/extract_eval.py`:
//! `cargo run --release -p corroborate-extract --example extract_engine -- trafilatura FILE...`

use corroborate_extract::{Engine, ExtractOptions, extract_with};
use corroborate_model::{InputFormat, RawDocument, RecordMetadata, SourceRef};

fn main() {
    let mut args = std::env::args().skip(1);
    let engine = match args.next().as_deref() {
        Some("readability") => Engine::Readability,
        Some("trafilatura") => Engine::Trafilatura,
        _ => {
            eprintln!("usage: extract_engine readability|trafilatura FILE...");
            std::process::exit(2);
        }
    };
    let options = ExtractOptions { engine };
    for (id, path) in args.enumerate() {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let raw = RawDocument {
            source: SourceRef::file(path.clone()),
            format: InputFormat::Html,
            bytes,
            metadata: RecordMetadata::default(),
        };
        let line = match extract_with(raw, id as u32, &options) {
            Ok(a) => serde_json::json!({
                "source": path, "url": a.url, "title": a.title, "byline": a.byline,
                "published": a.published.map(|p| p.date.to_string()), "outlet": a.outlet,
                "language": a.language, "text": a.text,
            }),
            Err(e) => serde_json::json!({ "source": path, "error": e.reason }),
        };
        println!("{line}");
    }
}
