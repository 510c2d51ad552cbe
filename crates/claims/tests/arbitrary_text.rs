//! Arbitrary text (quotes, digits, currency, unicode, half-formed names) never makes
//! `extract_claims` panic, and every span it returns lies inside the text on char boundaries.

use corroborate_claims::extract_claims;
use corroborate_model::{
    AnalyzedArticle, Article, ClaimKind, Entity, EntityKind, Mention, SourceRef, Span, Speaker,
    TextRange,
};
use proptest::prelude::*;

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("“".to_string()),
            Just("”".to_string()),
            Just("\"".to_string()),
            Just(" said ".to_string()),
            Just(" the letter states ".to_string()),
            Just(" more than ".to_string()),
            Just(" Lt. Gen. ".to_string()),
            Just(" Defense Minister ".to_string()),
            Just(", the chief of ".to_string()),
            Just(" according to ".to_string()),
            Just(" October 7, 2023 ".to_string()),
            Just(" its 23rd month ".to_string()),
            Just(" half a million ".to_string()),
            Just(" hundreds of ".to_string()),
            Just("$1.2bn ".to_string()),
            Just("20-30".to_string()),
            Just("%".to_string()),
            Just("—".to_string()),
            Just("\n".to_string()),
            Just(". ".to_string()),
            Just(", ".to_string()),
            "[0-9]{1,7}".prop_map(|s| s),
            "[A-Z][a-z]{1,8}".prop_map(|s| format!(" {s} ")),
            "[a-z]{1,8}".prop_map(|s| format!(" {s}")),
            any::<char>().prop_map(|c| c.to_string()),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

/// An article with random (possibly invalid) sentence ranges and mentions of random entities.
fn analysed(text: String, cuts: Vec<(usize, usize)>, kinds: Vec<u8>) -> AnalyzedArticle {
    let mut doc = AnalyzedArticle::new(Article::from_text(3, SourceRef::file("p.txt"), text));
    for (i, k) in kinds.iter().enumerate() {
        let kind = match k % 4 {
            0 => EntityKind::Person,
            1 => EntityKind::Organization,
            2 => EntityKind::Place,
            _ => EntityKind::Group,
        };
        doc.entities.push(Entity {
            canonical: format!("E{i}"),
            kind,
            aliases: Vec::new(),
        });
    }
    let len = doc.article.text.len().max(1);
    for (i, (a, b)) in cuts.into_iter().enumerate() {
        let (a, b) = (a % (len + 3), b % (len + 3));
        let range = TextRange::new(a.min(b), a.max(b));
        if i % 2 == 0 {
            doc.sentences.push(range);
        } else {
            doc.mentions.push(Mention {
                entity: i % (kinds.len() + 1),
                span: Span::new(3, range),
            });
        }
    }
    doc
}

fn check(text: &str, span: Span) {
    assert_eq!(span.doc, 3);
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{span:?} of {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{span:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn never_panics_and_spans_are_in_bounds(
        text in pieces(),
        cuts in prop::collection::vec((0usize..400, 0usize..400), 0..12),
        kinds in prop::collection::vec(any::<u8>(), 0..4),
    ) {
        let doc = analysed(text, cuts, kinds);
        let text = doc.article.text.as_str();
        for claim in extract_claims(&doc) {
            check(text, claim.evidence);
            match claim.kind {
                ClaimKind::Quantity(q) => {
                    check(text, q.number);
                    if let Some(c) = q.counted { check(text, c.span); }
                    prop_assert!(q.value.low <= q.value.high);
                }
                ClaimKind::OfficeHolder(h) => {
                    check(text, h.person_span);
                    check(text, h.office_span);
                    prop_assert!(h.person < doc.entities.len());
                }
                ClaimKind::ImpliedOffice(o) => {
                    check(text, o.cue);
                    if let Some(n) = o.name { check(text, n); }
                    prop_assert!(!o.offices.is_empty());
                    prop_assert!(!o.candidates.is_empty() || o.name.is_some());
                    for m in o.candidates {
                        check(text, m.span);
                        prop_assert!(m.entity < doc.entities.len());
                    }
                }
                ClaimKind::Quote(q) => {
                    check(text, q.content);
                    if let Some(c) = q.cue { check(text, c); }
                    match q.speaker {
                        Some(Speaker::Entity { entity, span }) => {
                            check(text, span);
                            prop_assert!(entity < doc.entities.len());
                        }
                        Some(Speaker::Document { span, .. } | Speaker::Description { span, .. }) => check(text, span),
                        None => {}
                    }
                }
                ClaimKind::Attribution(a) => check(text, a.cue),
                ClaimKind::Framing(f) => check(text, f.span),
                ClaimKind::Time(t) => check(text, t.span),
            }
        }
    }
}
