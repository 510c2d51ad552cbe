//! The `cluster` command's reports: stories and near-duplicate pairs, without claims.

use crate::JsonLayout;
use crate::evidence::{article_label, clean_inline};
use crate::json::{into_io, write_line};
use corroborate_model::{Analysis, InputError, Provenance, Story};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Stories and near-duplicate pairs as readable text.
pub(crate) fn text(analysis: &Analysis) -> String {
    let mut out = format!(
        "{} in {}\n",
        plural(analysis.articles.len(), "article", "articles"),
        plural(analysis.stories.len(), "story", "stories")
    );
    for story in &analysis.stories {
        let _ = writeln!(
            out,
            "\nstory {} ({}): {}",
            story.id + 1,
            plural(story.docs.len(), "article", "articles"),
            clean_inline(&story.label)
        );
        for &doc in &story.docs {
            if let Some(analyzed) = analysis.articles.get(doc as usize) {
                let article = &analyzed.article;
                let _ = writeln!(
                    out,
                    "  [{doc}] {} ({})",
                    article_label(article),
                    clean_inline(&article.source.to_string())
                );
            }
        }
        for pair in &story.near_duplicates {
            let source = match pair.likely_source {
                Some(d) => format!(", likely source [{d}]"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  near-duplicates [{}] and [{}]: similarity {:.2}{source}, {}",
                pair.a,
                pair.b,
                pair.similarity,
                plural(pair.shared.len(), "shared passage", "shared passages")
            );
            // A passage is quoted once only when both articles word it the same; an aligned
            // pair worded differently is shown from each side, so nothing is called shared
            // that one of them does not contain.
            for (a, b) in pair.shared.iter().take(3) {
                let (in_a, in_b) = (
                    clean_inline(analysis.quote(*a)),
                    clean_inline(analysis.quote(*b)),
                );
                if in_a == in_b {
                    let _ = writeln!(out, "    “{in_a}”");
                } else {
                    let _ = writeln!(out, "    [{}] “{in_a}”", pair.a);
                    let _ = writeln!(out, "    [{}] “{in_b}”", pair.b);
                }
            }
        }
    }
    out
}

/// What the cluster report says about one article.
#[derive(Serialize)]
struct ArticleSummary<'a> {
    id: u32,
    source: String,
    outlet: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<String>,
}

fn articles(analysis: &Analysis) -> impl Iterator<Item = ArticleSummary<'_>> {
    analysis.articles.iter().map(|a| ArticleSummary {
        id: a.article.id,
        source: a.article.source.to_string(),
        outlet: a.article.outlet.as_deref(),
        title: a.article.title.as_deref(),
        published: a.article.published.as_ref().map(|p| p.date.to_string()),
    })
}

#[derive(Serialize)]
struct Report<'a> {
    articles: Vec<ArticleSummary<'a>>,
    stories: &'a [Story],
    errors: &'a [InputError],
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'a Provenance>,
}

/// Stories and near-duplicate pairs as one JSON object, with each article's label and source.
pub(crate) fn write_json(
    analysis: &Analysis,
    out: impl Write,
    layout: JsonLayout,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let report = Report {
        articles: articles(analysis).collect(),
        stories: &analysis.stories,
        errors: &analysis.errors,
        provenance: analysis.provenance.as_ref(),
    };
    match layout {
        JsonLayout::Pretty => serde_json::to_writer_pretty(&mut out, &report),
        JsonLayout::Compact => serde_json::to_writer(&mut out, &report),
    }
    .map_err(into_io)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[derive(Serialize)]
struct Run<'a> {
    articles: usize,
    stories: usize,
    errors: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'a Provenance>,
}

/// The same as JSON Lines: a `run` object, then one object per article, story and error.
pub(crate) fn write_lines(analysis: &Analysis, out: impl Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let run = Run {
        articles: analysis.articles.len(),
        stories: analysis.stories.len(),
        errors: analysis.errors.len(),
        provenance: analysis.provenance.as_ref(),
    };
    write_line(&mut out, "run", None, run)?;
    for article in articles(analysis) {
        write_line(&mut out, "article", None, article)?;
    }
    for story in &analysis.stories {
        write_line(&mut out, "story", None, story)?;
    }
    for error in &analysis.errors {
        write_line(&mut out, "error", None, error)?;
    }
    out.flush()
}
