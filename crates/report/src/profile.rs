//! Per-article profiles a reader scans before the details: how the article sources its
//! statements, and which loaded terms it uses in its own voice.

use corroborate_model::{AnalyzedArticle, ClaimKind, SourcingKind, Voice};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of an article's attribution cues by kind: a quick read on how well it is sourced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourcingProfile {
    /// Statements attributed to a named person or organisation.
    pub named: usize,
    /// Statements attributed to anonymous sources.
    pub anonymous: usize,
    /// Hedged or second-hand statements ("reportedly").
    pub hedged: usize,
    /// Statements attributed to a document.
    pub document: usize,
}

impl SourcingProfile {
    /// Counts the [`corroborate_model::Attribution`] claims of `article`.
    pub fn of(article: &AnalyzedArticle) -> Self {
        let mut profile = Self::default();
        for claim in &article.claims {
            if let ClaimKind::Attribution(attribution) = &claim.kind {
                match attribution.kind {
                    SourcingKind::Named => profile.named += 1,
                    SourcingKind::Anonymous => profile.anonymous += 1,
                    SourcingKind::Hedged => profile.hedged += 1,
                    SourcingKind::Document => profile.document += 1,
                }
            }
        }
        profile
    }

    /// Number of attribution cues of every kind.
    pub fn total(&self) -> usize {
        self.named + self.anonymous + self.hedged + self.document
    }

    /// The counts in reading order, with their labels.
    pub fn entries(&self) -> [(&'static str, usize); 4] {
        [
            ("named", self.named),
            ("anonymous", self.anonymous),
            ("hedged", self.hedged),
            ("document", self.document),
        ]
    }
}

/// One framing term with how often it occurs in one voice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FramingTerm {
    /// The lexicon entry, lower-case.
    pub term: String,
    /// Its lexicon category.
    pub category: String,
    /// Occurrences.
    pub count: usize,
}

/// The loaded terms of an article, split by whose voice they are in: a term the outlet uses
/// in its own narration weighs differently from the same term inside a quotation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FramingProfile {
    /// Terms in the outlet's own voice, most frequent first.
    pub outlet: Vec<FramingTerm>,
    /// Terms that occur only inside quotations, most frequent first.
    pub quoted_only: Vec<FramingTerm>,
}

impl FramingProfile {
    /// Collects the [`corroborate_model::Framing`] claims of `article`.
    pub fn of(article: &AnalyzedArticle) -> Self {
        let mut outlet: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut quoted: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for claim in &article.claims {
            if let ClaimKind::Framing(framing) = &claim.kind {
                let key = (framing.term.as_str(), framing.category.as_str());
                let counts = match framing.voice {
                    Voice::Outlet => &mut outlet,
                    Voice::Quoted => &mut quoted,
                };
                *counts.entry(key).or_default() += 1;
            }
        }
        quoted.retain(|(term, _), _| !outlet.keys().any(|(t, _)| t == term));
        Self {
            outlet: ranked(outlet),
            quoted_only: ranked(quoted),
        }
    }
}

/// Most frequent first; ties in lexicon order, so the output is deterministic.
fn ranked(counts: BTreeMap<(&str, &str), usize>) -> Vec<FramingTerm> {
    let mut terms: Vec<FramingTerm> = counts
        .into_iter()
        .map(|((term, category), count)| FramingTerm {
            term: term.to_owned(),
            category: category.to_owned(),
            count,
        })
        .collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.count));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::{Article, Attribution, Claim, Framing, SourceRef, Span, TextRange};

    fn article_with(claims: Vec<ClaimKind>) -> AnalyzedArticle {
        let mut analyzed = AnalyzedArticle::new(Article::from_text(
            0,
            SourceRef::file("a.txt"),
            "x".repeat(40),
        ));
        let span = Span::new(0, TextRange::new(0, 1));
        analyzed.claims = claims
            .into_iter()
            .map(|kind| Claim {
                evidence: span,
                kind,
            })
            .collect();
        analyzed
    }

    fn framing(term: &str, voice: Voice) -> ClaimKind {
        ClaimKind::Framing(Framing {
            term: term.into(),
            category: "charged".into(),
            voice,
            span: Span::new(0, TextRange::new(0, 1)),
        })
    }

    #[test]
    fn sourcing_counts_each_kind() {
        let cue = |kind| {
            ClaimKind::Attribution(Attribution {
                kind,
                cue: Span::new(0, TextRange::new(0, 1)),
                source: None,
            })
        };
        let article = article_with(vec![
            cue(SourcingKind::Anonymous),
            cue(SourcingKind::Named),
            cue(SourcingKind::Anonymous),
            cue(SourcingKind::Document),
        ]);
        let profile = SourcingProfile::of(&article);
        assert_eq!(
            profile.entries(),
            [
                ("named", 1),
                ("anonymous", 2),
                ("hedged", 0),
                ("document", 1)
            ]
        );
        assert_eq!(profile.total(), 4);
    }

    #[test]
    fn a_term_used_in_the_outlet_voice_is_not_counted_as_quoted_only() {
        let article = article_with(vec![
            framing("slaughter", Voice::Quoted),
            framing("regime", Voice::Outlet),
            framing("regime", Voice::Quoted),
            framing("slaughter", Voice::Quoted),
            framing("regime", Voice::Outlet),
        ]);
        let profile = FramingProfile::of(&article);
        assert_eq!(profile.outlet.len(), 1);
        assert_eq!(profile.outlet[0].term, "regime");
        assert_eq!(profile.outlet[0].count, 2);
        assert_eq!(profile.quoted_only.len(), 1);
        assert_eq!(profile.quoted_only[0].term, "slaughter");
        assert_eq!(profile.quoted_only[0].count, 2);
    }
}
