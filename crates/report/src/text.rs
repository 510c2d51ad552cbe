//! The terminal summary: what a journalist reads first.

use crate::TextOptions;
use crate::evidence::{
    article_label, clean_inline, doc_label, evidence_text, origin_label, provenance_line, truncate,
};
use crate::profile::{FramingProfile, SourcingProfile};
use anstyle::{AnsiColor, Style};
use corroborate_model::{
    Analysis, AnalyzedArticle, ClaimGroup, DateEstimate, DiffSegment, MIN_SHOWN_CONFIDENCE,
    QuoteDiff, Tone, Verdict,
};
use std::fmt::Write;

/// Longest quotation printed in full, in characters.
const MAX_QUOTE_CHARS: usize = 160;

/// Applies styles only when colour was asked for, so plain output has no escape codes.
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

fn verdict_style(verdict: Verdict) -> Style {
    let color = match verdict.tone() {
        Tone::Contradiction => AnsiColor::Red,
        Tone::Alteration => AnsiColor::Magenta,
        Tone::Time => AnsiColor::Yellow,
        Tone::Vagueness => AnsiColor::Cyan,
        Tone::Agreement => AnsiColor::Green,
        Tone::SingleSource => AnsiColor::Blue,
    };
    color.on_default().bold()
}

/// Whether the report shows a group: every group with `all`, else alarms only from
/// [`MIN_SHOWN_CONFIDENCE`].
fn is_shown(group: &ClaimGroup, options: &TextOptions) -> bool {
    options.all || !group.verdict.is_alarm() || group.confidence >= MIN_SHOWN_CONFIDENCE
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

pub(crate) fn render(analysis: &Analysis, options: &TextOptions) -> String {
    let painter = Painter {
        color: options.color,
    };
    let mut out = String::new();
    let header = [
        plural(analysis.articles.len(), "article", "articles"),
        plural(analysis.stories.len(), "story", "stories"),
        plural(analysis.groups.len(), "claim group", "claim groups"),
        plural(analysis.errors.len(), "input error", "input errors"),
    ]
    .join(" · ");
    let _ = writeln!(out, "{}", painter.paint(Style::new().bold(), &header));

    if analysis.groups.is_empty() {
        let _ = writeln!(out, "\nNo claims to compare.");
    }
    for verdict in Verdict::ALL {
        let groups: Vec<(usize, &ClaimGroup)> = analysis
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.verdict == verdict && is_shown(g, options))
            .collect();
        if groups.is_empty() {
            continue;
        }
        let heading = format!(
            "{} ({})",
            verdict.name().replace('-', " ").to_uppercase(),
            groups.len()
        );
        let _ = writeln!(
            out,
            "\n{} — {}",
            painter.paint(verdict_style(verdict), &heading),
            painter.paint(Style::new().dimmed(), verdict.description())
        );
        for (index, group) in groups {
            write_group(&mut out, &painter, analysis, index, group);
        }
    }

    let hidden = analysis
        .groups
        .iter()
        .filter(|g| !is_shown(g, options))
        .count();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(
                Style::new().dimmed(),
                &format!(
                    "{} below confidence {MIN_SHOWN_CONFIDENCE} not shown; --all shows them",
                    plural(hidden, "alarm", "alarms")
                )
            )
        );
    }

    if !analysis.stories.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(Style::new().bold(), "STORIES"));
        for story in &analysis.stories {
            let members: Vec<String> = story.docs.iter().map(|d| doc_label(analysis, *d)).collect();
            let _ = writeln!(
                out,
                "  {}. {}: {}",
                story.id + 1,
                clean_inline(&story.label),
                members.join(", ")
            );
            for pair in &story.near_duplicates {
                let _ = writeln!(
                    out,
                    "     near-duplicates: {} ≈ {} ({:.0} % similar)",
                    doc_label(analysis, pair.a),
                    doc_label(analysis, pair.b),
                    pair.similarity * 100.0
                );
            }
        }
    }

    if !analysis.articles.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(Style::new().bold(), "ARTICLES"));
        for analyzed in &analysis.articles {
            write_article(&mut out, &painter, analyzed);
        }
    }

    if let Some(provenance) = &analysis.provenance {
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(Style::new().dimmed(), &provenance_line(provenance))
        );
    }

    if !analysis.errors.is_empty() {
        let heading = format!("INPUT ERRORS ({})", analysis.errors.len());
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(AnsiColor::Red.on_default().bold(), &heading)
        );
        for error in &analysis.errors {
            let _ = writeln!(
                out,
                "  {}: {}",
                clean_inline(&error.source),
                clean_inline(&error.reason)
            );
        }
    }
    out
}

fn write_group(
    out: &mut String,
    painter: &Painter,
    analysis: &Analysis,
    index: usize,
    group: &ClaimGroup,
) {
    let confidence = if group.verdict.is_alarm() {
        painter.paint(
            Style::new().dimmed(),
            &format!(" (confidence {:.2})", group.confidence),
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {}. {}{confidence}",
        index + 1,
        clean_inline(&group.explanation)
    );
    for span in &group.evidence {
        let label = painter.paint(Style::new().bold(), &doc_label(analysis, span.doc));
        match evidence_text(analysis, *span) {
            Ok(quoted) => {
                let quoted = clean_inline(quoted);
                let _ = writeln!(
                    out,
                    "     [{label}] “{}”",
                    truncate(&quoted, MAX_QUOTE_CHARS)
                );
            }
            Err(problem) => {
                let _ = writeln!(
                    out,
                    "     [{label}] {}",
                    painter.paint(
                        Style::new().italic(),
                        &format!(
                            "(invalid evidence, bytes {}..{}: {problem})",
                            span.start, span.end
                        )
                    )
                );
            }
        }
    }
    for diff in &group.diffs {
        let _ = writeln!(
            out,
            "     {} → {}: {}",
            doc_label(analysis, diff.from.doc),
            doc_label(analysis, diff.to.doc),
            word_diff(painter, diff)
        );
    }
}

/// A quote diff as one line, in the notation of `git diff --word-diff`: `[-removed-]` and
/// `{+added+}`, coloured red and green when colour is on.
fn word_diff(painter: &Painter, diff: &QuoteDiff) -> String {
    let mut words = Vec::with_capacity(diff.segments.len());
    for segment in &diff.segments {
        let (text, rendered) = match segment {
            DiffSegment::Equal(text) => (text, None),
            DiffSegment::Delete(text) => (text, Some(("[-", "-]", AnsiColor::Red))),
            DiffSegment::Insert(text) => (text, Some(("{+", "+}", AnsiColor::Green))),
        };
        let text = clean_inline(text);
        if text.is_empty() {
            continue;
        }
        words.push(match rendered {
            None => text,
            Some((open, close, color)) => {
                painter.paint(color.on_default().bold(), &format!("{open}{text}{close}"))
            }
        });
    }
    words.join(" ")
}

fn write_article(out: &mut String, painter: &Painter, analyzed: &AnalyzedArticle) {
    let article = &analyzed.article;
    let label = article_label(article);
    let title = article
        .title
        .as_deref()
        .map(clean_inline)
        .unwrap_or_default();
    let mut heading = painter.paint(Style::new().bold(), &label);
    if !title.is_empty() && title != label {
        let _ = write!(heading, " — {title}");
    }
    let _ = writeln!(out, "\n  {heading}");

    let mut facts = Vec::new();
    if let Some(byline) = article.byline.as_deref().map(clean_inline)
        && !byline.is_empty()
    {
        facts.push(format!("by {byline}"));
    }
    if let Some(published) = &article.published {
        facts.push(format!(
            "published {} ({})",
            published.date,
            origin_label(published.origin)
        ));
    }
    facts.push(clean_inline(&article.source.to_string()));
    let _ = writeln!(out, "     {}", facts.join(" · "));

    let sourcing = SourcingProfile::of(analyzed);
    let line = if sourcing.total() == 0 {
        "no attribution cues found".to_owned()
    } else {
        sourcing
            .entries()
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let _ = writeln!(out, "     Sourcing: {line}");

    let framing = FramingProfile::of(analyzed);
    if !framing.outlet.is_empty() || !framing.quoted_only.is_empty() {
        let mut line = if framing.outlet.is_empty() {
            "none".to_owned()
        } else {
            framing
                .outlet
                .iter()
                .map(|t| {
                    let times = if t.count > 1 {
                        format!(" ×{}", t.count)
                    } else {
                        String::new()
                    };
                    format!(
                        "“{}” ({}){times}",
                        clean_inline(&t.term),
                        clean_inline(&t.category)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !framing.quoted_only.is_empty() {
            let _ = write!(
                line,
                " · {} only inside quotes",
                plural(framing.quoted_only.len(), "more term", "more terms")
            );
        }
        let _ = writeln!(out, "     Framing (outlet’s voice): {line}");
    }

    if let Some(dating) = &analyzed.dating {
        let _ = writeln!(out, "     Dated: {}", date_range(dating));
        for evidence in &dating.evidence {
            let _ = writeln!(
                out,
                "       - {}: {}",
                clean_inline(&evidence.rule),
                clean_inline(&evidence.explanation)
            );
        }
    }
}

fn date_range(dating: &DateEstimate) -> String {
    match (dating.earliest, dating.latest) {
        (Some(a), Some(b)) if a == b => format!("on {a}"),
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("on or after {a}"),
        (None, Some(b)) => format!("on or before {b}"),
        (None, None) => "no bound found".to_owned(),
    }
}
