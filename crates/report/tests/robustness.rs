//! Property tests: arbitrary text and arbitrary (often invalid) spans never make a report
//! panic, and invalid spans are reported as invalid.

use corroborate_model::*;
use corroborate_report::{
    HtmlOptions, TextOptions, evidence_text, html, invalid_evidence, json, text,
};
use proptest::prelude::*;

fn article(id: DocId, text: String, title: Option<String>) -> AnalyzedArticle {
    AnalyzedArticle::new(Article {
        title,
        ..Article::from_text(id, SourceRef::file(format!("doc{id}.txt")), text)
    })
}

fn any_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zé “”—<>&\"'\n\r\t\u{1b}\u{202e}0-9.]{0,80}")
        .expect("valid regex")
}

fn any_span() -> impl Strategy<Value = Span> {
    (0u32..4, 0usize..100, 0usize..100).prop_map(|(doc, a, b)| Span {
        doc,
        start: a,
        end: b,
    })
}

fn any_group() -> impl Strategy<Value = ClaimGroup> {
    (
        0usize..Verdict::ALL.len(),
        any_text(),
        proptest::collection::vec(any_span(), 0..6),
        proptest::collection::vec(any_text(), 0..3),
        0.0f32..=1.0,
    )
        .prop_map(
            |(verdict, explanation, evidence, words, confidence)| ClaimGroup {
                topic: Topic::Quote { speaker: None },
                verdict: Verdict::ALL[verdict],
                explanation,
                claims: vec![ClaimRef { doc: 0, claim: 0 }],
                evidence,
                diffs: vec![QuoteDiff {
                    from: ClaimRef { doc: 0, claim: 0 },
                    to: ClaimRef { doc: 9, claim: 3 },
                    segments: words
                        .into_iter()
                        .enumerate()
                        .map(|(i, w)| match i % 3 {
                            0 => DiffSegment::Equal(w),
                            1 => DiffSegment::Delete(w),
                            _ => DiffSegment::Insert(w),
                        })
                        .collect(),
                }],
                independent_sources: 1,
                story: Some(5),
                confidence,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reports_never_panic_and_flag_invalid_spans(
        texts in proptest::collection::vec(any_text(), 1..4),
        title in proptest::option::of(any_text()),
        groups in proptest::collection::vec(any_group(), 0..5),
    ) {
        let articles: Vec<AnalyzedArticle> = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| article(i as DocId, t, title.clone()))
            .collect();
        let analysis = Analysis {
            schema_version: SCHEMA_VERSION.into(),
            articles,
            stories: vec![],
            groups,
            errors: vec![InputError::new("x\u{1b}[1m", "bad\nfile")],
            provenance: None,
        };
        let spans: Vec<Span> = analysis.groups.iter().flat_map(|g| g.evidence.clone()).collect();
        let valid = spans.iter().filter(|s| evidence_text(&analysis, **s).is_ok()).count();
        for span in &spans {
            let expected = analysis
                .articles
                .get(span.doc as usize)
                .and_then(|a| a.article.text.get(span.start..span.end));
            prop_assert_eq!(evidence_text(&analysis, *span).ok(), expected);
        }
        prop_assert_eq!(invalid_evidence(&analysis).len(), spans.len() - valid);

        let plain = text(&analysis, &TextOptions { color: false, all: true });
        let escaped = plain.contains('\u{1b}');
        prop_assert!(!escaped, "escape code in plain text");
        prop_assert_eq!(plain.matches("(invalid evidence, bytes").count(), spans.len() - valid);
        let _ = text(&analysis, &TextOptions { color: true, all: false });

        let report: serde_json::Value = serde_json::from_str(&json(&analysis)).expect("valid JSON");
        prop_assert_eq!(&report["summary"]["invalid_evidence"], &serde_json::json!(spans.len() - valid));

        let page = html(&analysis, &HtmlOptions { all: true });
        prop_assert_eq!(page.matches("class=\"ref\" id=\"span-").count(), valid);
        prop_assert_eq!(page.matches("invalid evidence, bytes").count(), spans.len() - valid);
        prop_assert!(!page.contains("<script"));
    }
}
