//! Arbitrary text through the whole per-article analysis — sentences, entities and every claim
//! extractor — and the cross-article stages and reports: no panic, every span in bounds and on
//! character boundaries.
#![no_main]

use corroborate::model::{Article, ClaimKind, SourceRef};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: the starter knowledge base takes milliseconds to parse.
static CONFIG: LazyLock<corroborate::Config> = LazyLock::new(corroborate::Config::default);

fuzz_target!(|text: &str| {
    let article = Article::from_text(0, SourceRef::file("fuzz.txt"), text);
    let doc = corroborate::analyze_article(article);
    for range in &doc.sentences {
        assert!(range.slice(text).is_some());
    }
    for mention in &doc.mentions {
        assert!(mention.span.slice(text).is_some());
        assert!(mention.entity < doc.entities.len());
    }
    for claim in &doc.claims {
        assert!(claim.evidence.slice(text).is_some());
        let inner = match &claim.kind {
            ClaimKind::Quantity(q) => q.number,
            ClaimKind::OfficeHolder(o) => o.office_span,
            ClaimKind::Quote(q) => q.content,
            ClaimKind::Attribution(a) => a.cue,
            ClaimKind::Framing(f) => f.span,
            ClaimKind::Time(t) => t.span,
        };
        assert!(inner.slice(text).is_some());
    }
    let analysis = corroborate::analyze_articles(vec![doc], Vec::new(), &CONFIG);
    let _ = corroborate::report::html(&analysis);
});
