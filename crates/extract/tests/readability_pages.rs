//! Main-text accuracy on Mozilla's readability test pages (../shared/testdata): the average
//! per-page F1 over word 4-gram shingles must stay at or above what we measured, and title
//! accuracy likewise, so a change that degrades extraction fails here.

use corroborate_model::{InputFormat, RawDocument, RecordMetadata, SourceRef};
use std::collections::HashSet;
use std::path::Path;

const PAGES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/readability-test-pages/pages"
);

/// Measured: average F1 0.991 and title accuracy 0.992 on the 130 pages (2026-11-23; see
/// crates/extract/README.md). The bounds leave a little room for harmless changes.
const MIN_AVERAGE_F1: f64 = 0.97;
const MIN_TITLE_ACCURACY: f64 = 0.97;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(text: &str) -> HashSet<Vec<String>> {
    let w = words(text);
    if w.len() < 4 {
        return std::iter::once(w).filter(|w| !w.is_empty()).collect();
    }
    w.windows(4).map(<[String]>::to_vec).collect()
}

fn f1(predicted: &str, gold: &str) -> f64 {
    let (p, g) = (shingles(predicted), shingles(gold));
    if p.is_empty() && g.is_empty() {
        return 1.0;
    }
    let common = p.intersection(&g).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (precision, recall) = (common / p.len() as f64, common / g.len() as f64);
    2.0 * precision * recall / (precision + recall)
}

/// Text of an HTML fragment: tags dropped, entities decoded by parsing it.
fn fragment_text(html: &str) -> String {
    dom_query::Document::from(html)
        .select("body")
        .text()
        .to_string()
}

fn norm(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn main_text_f1_and_titles_on_readability_test_pages() {
    let dir = Path::new(PAGES);
    if !dir.exists() {
        eprintln!("skipped: ../shared not found");
        return;
    }
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let (mut total_f1, mut titles, mut titled) = (0.0, 0usize, 0usize);
    for case in &cases {
        let source = std::fs::read(case.join("source.html")).unwrap();
        let gold = fragment_text(&std::fs::read_to_string(case.join("expected.html")).unwrap());
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(case.join("expected-metadata.json")).unwrap(),
        )
        .unwrap();
        let raw = RawDocument {
            source: SourceRef::file(case.display().to_string()),
            format: InputFormat::Html,
            bytes: source,
            metadata: RecordMetadata::default(),
        };
        let article = corroborate_extract::extract(raw, 0);
        let text = article.as_ref().map(|a| a.text.as_str()).unwrap_or("");
        total_f1 += f1(text, &gold);
        if let Some(title) = meta["title"].as_str().filter(|t| !t.is_empty()) {
            titled += 1;
            let got = article
                .as_ref()
                .ok()
                .and_then(|a| a.title.as_deref())
                .unwrap_or("");
            titles += usize::from(norm(got) == norm(title));
        }
    }
    let average = total_f1 / cases.len() as f64;
    let title_accuracy = titles as f64 / titled.max(1) as f64;
    eprintln!(
        "{} pages: average 4-gram F1 {average:.3}, title accuracy {title_accuracy:.3}",
        cases.len()
    );
    assert!(
        average >= MIN_AVERAGE_F1,
        "average F1 {average:.3} < {MIN_AVERAGE_F1}"
    );
    assert!(
        title_accuracy >= MIN_TITLE_ACCURACY,
        "title accuracy {title_accuracy:.3} < {MIN_TITLE_ACCURACY}"
    );
}
