//! Extracted articles (`corroborate extract`, `corroborate.extract` in Python): text and
//! metadata only, before any analysis.

use corroborate_model::Article;

/// One extracted article as a JSON object (the shape trafilatura and news-please users expect).
pub fn extracted_json(article: &Article) -> serde_json::Value {
    serde_json::json!({
        "source": article.source.to_string(),
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.as_ref().map(|p| p.date.to_string()),
        "outlet": article.outlet,
        "language": article.language,
        "text": article.text,
    })
}

/// One extracted article as readable text: a header line, its metadata, then the text.
pub fn extracted_text(article: &Article) -> String {
    let field = |name: &str, value: Option<&str>| match value {
        Some(v) => format!("{name}: {v}\n"),
        None => String::new(),
    };
    let published = article.published.as_ref().map(|p| p.date.to_string());
    format!(
        "=== {}\n{}{}{}{}{}{}\n{}\n\n",
        article.source,
        field("title", article.title.as_deref()),
        field("outlet", article.outlet.as_deref()),
        field("byline", article.byline.as_deref()),
        field("published", published.as_deref()),
        field("url", article.url.as_deref()),
        field("language", article.language.as_deref()),
        article.text.trim_end(),
    )
}
