//! Aligns comparable claims across the articles of a story and labels each group with a verdict.

use corroborate_model::{AnalyzedArticle, ClaimGroup, Story};

/// Alignment settings.
#[derive(Debug, Clone, Default)]
pub struct AlignOptions {}

/// Groups comparable claims within each story and gives every group a verdict.
pub fn align(
    articles: &[AnalyzedArticle],
    stories: &[Story],
    options: &AlignOptions,
) -> Vec<ClaimGroup> {
    let _ = (articles, stories, options);
    Vec::new()
}
