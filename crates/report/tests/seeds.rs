//! The reports on the five real seed articles (read from ../shared at test time, never copied),
//! with evidence spans on every number and every curly-quoted passage, overlapping the first
//! sentence: real typography (curly quotes, dashes, non-ASCII names) and real lengths.

use corroborate_model::*;
use corroborate_report::{
    HtmlOptions, JSON_SCHEMA, TextOptions, html, invalid_evidence, json, text,
};
use std::path::Path;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// Byte ranges of runs of ASCII digits.
fn numbers(text: &str) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                ranges.push(TextRange::new(s, i));
                start = None;
            }
            _ => {}
        }
    }
    ranges
}

/// Byte ranges of passages between “ and ”, quotation marks included.
fn quotations(text: &str) -> Vec<TextRange> {
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|rest| rest.find('“')) {
        let open = from + open;
        let Some(close) = text[open..].find('”') else {
            break;
        };
        let end = open + close + '”'.len_utf8();
        ranges.push(TextRange::new(open, end));
        from = end;
    }
    ranges
}

fn group(verdict: Verdict, explanation: &str, evidence: Vec<Span>) -> ClaimGroup {
    ClaimGroup {
        topic: Topic::Dating,
        verdict,
        explanation: explanation.into(),
        claims: vec![],
        evidence,
        diffs: vec![],
        independent_sources: 1,
        story: None,
        confidence: 0.8,
    }
}

#[test]
fn seed_articles_render_with_every_span_highlighted() {
    let Ok(entries) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut analysis = Analysis {
        schema_version: SCHEMA_VERSION.into(),
        articles: vec![],
        stories: vec![],
        groups: vec![],
        errors: vec![],
        provenance: None,
    };
    for (doc, path) in paths.iter().enumerate() {
        let doc = doc as DocId;
        let text = std::fs::read_to_string(path).expect("seed is UTF-8");
        let name = Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let first_sentence = text.find(". ").map_or(text.len(), |i| i + 1);
        let span = |r: TextRange| Span::new(doc, r);
        analysis.groups.push(group(
            Verdict::Conflict,
            "Numbers",
            numbers(&text).into_iter().map(span).collect(),
        ));
        analysis.groups.push(group(
            Verdict::QuoteVerbatim,
            "Quotations",
            quotations(&text).into_iter().map(span).collect(),
        ));
        analysis.groups.push(group(
            Verdict::Agree,
            "Lead",
            vec![span(TextRange::new(0, first_sentence))],
        ));
        analysis.articles.push(AnalyzedArticle::new(Article {
            outlet: Some(name),
            language: Some("en".into()),
            ..Article::from_text(doc, SourceRef::file(path.display().to_string()), text)
        }));
    }
    let spans: usize = analysis.groups.iter().map(|g| g.evidence.len()).sum();
    assert!(spans > 30, "expected many spans in the seeds, got {spans}");
    assert!(invalid_evidence(&analysis).is_empty());

    let plain = text(
        &analysis,
        &TextOptions {
            color: false,
            all: false,
        },
    );
    assert_eq!(plain.matches("\n     [").count(), spans);
    assert!(!plain.contains('\u{1b}'));

    let page = html(&analysis, &HtmlOptions::default());
    assert_eq!(page.matches("class=\"ref\" id=\"span-").count(), spans);

    let schema: serde_json::Value = serde_json::from_str(JSON_SCHEMA).expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let report: serde_json::Value = serde_json::from_str(&json(&analysis)).expect("JSON");
    assert!(validator.is_valid(&report));
    for (g, group) in analysis.groups.iter().enumerate() {
        for (k, span) in group.evidence.iter().enumerate() {
            assert_eq!(
                report["groups"][g]["evidence"][k]["text"],
                analysis.quote(*span)
            );
        }
    }
}
