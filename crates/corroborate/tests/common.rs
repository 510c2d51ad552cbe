//! Helpers shared by the corpus-level integration tests.
#![allow(dead_code)]

use corroborate::model::{Analysis, ClaimGroup, ClaimKind, DocId, Topic, Verdict};
use std::path::PathBuf;

/// Workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// `../shared/corpus/seeds`, or `None` after printing a notice when it is not there.
pub fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: ../shared not found ({} is missing)",
            dir.display()
        );
        None
    }
}

/// Analyses `paths` with the default configuration.
pub fn analyze(paths: &[PathBuf]) -> Analysis {
    let inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    corroborate::analyze(&inputs, &corroborate::Config::default())
}

/// The article whose file name starts with `prefix`.
pub fn doc(analysis: &Analysis, prefix: &str) -> DocId {
    analysis
        .articles
        .iter()
        .find(|a| {
            std::path::Path::new(&a.article.source.path)
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .map(|a| a.article.id)
        .unwrap_or_else(|| panic!("no article {prefix}"))
}

/// Articles a group's claims come from.
pub fn docs(group: &ClaimGroup) -> Vec<DocId> {
    let mut d: Vec<DocId> = group.claims.iter().map(|c| c.doc).collect();
    d.sort();
    d.dedup();
    d
}

/// The text of every evidence span of a group, joined with " | ".
pub fn evidence(analysis: &Analysis, group: &ClaimGroup) -> String {
    group
        .evidence
        .iter()
        .map(|s| analysis.quote(*s))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Groups with `verdict`.
pub fn with_verdict(analysis: &Analysis, verdict: Verdict) -> Vec<&ClaimGroup> {
    analysis
        .groups
        .iter()
        .filter(|g| g.verdict == verdict)
        .collect()
}

/// Office groups for `title` with `verdict`.
pub fn office_groups<'a>(
    analysis: &'a Analysis,
    verdict: Verdict,
    title: &str,
) -> Vec<&'a ClaimGroup> {
    with_verdict(analysis, verdict)
        .into_iter()
        .filter(|g| matches!(&g.topic, Topic::Office { office } if office.title == title))
        .collect()
}

/// Quantity groups with `verdict` whose evidence mentions every one of `words`.
pub fn quantity_groups<'a>(
    analysis: &'a Analysis,
    verdict: Verdict,
    words: &[&str],
) -> Vec<&'a ClaimGroup> {
    with_verdict(analysis, verdict)
        .into_iter()
        .filter(|g| matches!(g.topic, Topic::Quantity { .. }))
        .filter(|g| {
            let text = evidence(analysis, g).to_lowercase();
            words.iter().all(|w| text.contains(&w.to_lowercase()))
        })
        .collect()
}

/// Quote groups with `verdict` whose evidence contains `words`.
pub fn quote_groups<'a>(
    analysis: &'a Analysis,
    verdict: Verdict,
    words: &str,
) -> Vec<&'a ClaimGroup> {
    with_verdict(analysis, verdict)
        .into_iter()
        .filter(|g| evidence(analysis, g).contains(words))
        .collect()
}

/// Panics with a readable list of all groups, for failing assertions.
pub fn dump(analysis: &Analysis) -> String {
    analysis
        .groups
        .iter()
        .map(|g| {
            format!(
                "{:?} {:?}: {} [{}]",
                g.verdict,
                g.topic,
                g.explanation,
                evidence(analysis, g)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every claim's spans are in bounds and on char boundaries.
pub fn assert_spans_valid(analysis: &Analysis) {
    for a in &analysis.articles {
        for claim in &a.claims {
            assert!(
                claim.evidence.slice(&a.article.text).is_some(),
                "evidence span invalid: {claim:?}"
            );
            let inner = match &claim.kind {
                ClaimKind::Quantity(q) => q.number,
                ClaimKind::OfficeHolder(o) => o.office_span,
                ClaimKind::ImpliedOffice(o) => o.cue,
                ClaimKind::Quote(q) => q.content,
                ClaimKind::Attribution(x) => x.cue,
                ClaimKind::Framing(f) => f.span,
                ClaimKind::Time(t) => t.span,
            };
            assert_eq!(inner.doc, a.article.id);
            assert!(
                inner.slice(&a.article.text).is_some(),
                "claim span invalid: {claim:?}"
            );
        }
    }
    for g in &analysis.groups {
        assert!(!g.evidence.is_empty(), "group without evidence: {g:?}");
        for s in &g.evidence {
            assert!(
                !analysis.quote(*s).is_empty(),
                "group evidence span invalid: {g:?}"
            );
        }
    }
}
