//! A dated knowledge base of office holders and events, used to date articles and flag stale claims.

use corroborate_model::{AnalyzedArticle, ClaimGroup, Story};

/// Office holders and anchor events with dates.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {}

impl KnowledgeBase {
    /// The curated starter knowledge base shipped with corroborate.
    pub fn starter() -> Self {
        Self {}
    }
}

/// Estimates each article's date and stores it in [`AnalyzedArticle::dating`].
pub fn date_articles(kb: &KnowledgeBase, articles: &mut [AnalyzedArticle], stories: &[Story]) {
    let _ = (kb, articles, stories);
}

/// Stale, internally inconsistent and dating-conflict verdicts.
pub fn kb_verdicts(
    kb: &KnowledgeBase,
    articles: &[AnalyzedArticle],
    stories: &[Story],
) -> Vec<ClaimGroup> {
    let _ = (kb, articles, stories);
    Vec::new()
}
