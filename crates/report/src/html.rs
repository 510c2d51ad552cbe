//! The self-contained HTML report: a verdict panel beside the articles in columns, with every
//! evidence span highlighted in the text and linked both ways.
//!
//! Ids: `group-{g}` is `groups[g]` of the JSON report; `span-{g}-{k}` is its evidence `k`;
//! `doc-{d}` is `articles[d]`. Everything from the input is escaped by `maud`; the page has no
//! script and loads nothing.

use crate::evidence::{
    SpanProblem, article_label, clean_inline, doc_label, evidence_text, origin_label, truncate,
};
use crate::profile::{FramingProfile, SourcingProfile};
use crate::verdict_description;
use corroborate_model::{Analysis, AnalyzedArticle, ClaimGroup, DiffSegment, Verdict};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = include_str!("../assets/report.css");

/// Longest quotation shown in the verdict panel, in characters.
const MAX_PANEL_QUOTE_CHARS: usize = 140;

/// One valid evidence span to highlight in an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Highlight {
    pub start: usize,
    pub end: usize,
    pub group: usize,
    pub index: usize,
    pub verdict: Verdict,
}

impl Highlight {
    fn id(&self) -> String {
        format!("span-{}-{}", self.group, self.index)
    }

    /// Sort key putting the most important verdict, then the earliest group, first.
    fn importance(&self) -> (usize, usize, usize) {
        let rank = Verdict::ALL
            .iter()
            .position(|v| *v == self.verdict)
            .unwrap_or(Verdict::ALL.len());
        (rank, self.group, self.index)
    }
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline<'a> {
    /// The start of a highlight: where its id and its link back to the group go. The flag is
    /// false when an anchor of the same group at the same place already shows the group label.
    Anchor(Highlight, bool),
    /// Text covered by the listed highlights (most important first), possibly none.
    Text(&'a str, Vec<Highlight>),
}

/// One paragraph of an article: where it starts (the byte after the line break that opened
/// it) and its pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paragraph<'a> {
    pub start: usize,
    pub items: Vec<Inline<'a>>,
}

/// Splits `text` into paragraphs (at line breaks) of non-overlapping segments, each carrying
/// every highlight that covers it, so overlapping and nested spans render as flat markup.
/// `highlights` must lie on char boundaries of `text` with `start <= end`.
pub(crate) fn segment<'a>(text: &'a str, highlights: &[Highlight]) -> Vec<Paragraph<'a>> {
    let mut points: Vec<usize> = highlights
        .iter()
        .flat_map(|h| [h.start, h.end])
        .chain([0, text.len()])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut anchors: Vec<Highlight> = highlights.to_vec();
    anchors.sort_by_key(|h| (h.start, h.importance()));
    let mut anchors = anchors.into_iter().peekable();

    let mut paragraphs = Vec::new();
    let mut current = Paragraph {
        start: 0,
        items: Vec::new(),
    };
    for window in points.windows(2) {
        let (from, to) = (window[0], window[1]);
        while let Some(anchor) = anchors.next_if(|h| h.start <= from) {
            push_anchor(&mut current.items, anchor);
        }
        let Some(piece) = text.get(from..to) else {
            continue;
        };
        let mut covering: Vec<Highlight> = highlights
            .iter()
            .filter(|h| h.start <= from && to <= h.end)
            .copied()
            .collect();
        covering.sort_by_key(Highlight::importance);
        let mut line_start = from;
        for (n, line) in piece.split(['\n', '\r']).enumerate() {
            if n > 0 {
                end_paragraph(&mut paragraphs, &mut current, line_start);
            }
            if !line.is_empty() {
                current.items.push(Inline::Text(line, covering.clone()));
            }
            // Both separators are one byte long.
            line_start += line.len() + 1;
        }
    }
    for anchor in anchors {
        push_anchor(&mut current.items, anchor);
    }
    end_paragraph(&mut paragraphs, &mut current, text.len());
    paragraphs
}

/// Adds an anchor, labelled unless the previous item is an anchor of the same group.
fn push_anchor(current: &mut Vec<Inline<'_>>, anchor: Highlight) {
    let labelled = !matches!(
        current.last(),
        Some(Inline::Anchor(previous, _)) if previous.group == anchor.group
    );
    current.push(Inline::Anchor(anchor, labelled));
}

/// Closes the paragraph being built unless it would show nothing, and starts the next one at
/// `next_start`.
fn end_paragraph<'a>(
    paragraphs: &mut Vec<Paragraph<'a>>,
    current: &mut Paragraph<'a>,
    next_start: usize,
) {
    let visible = current.items.iter().any(|item| match item {
        Inline::Anchor(..) => true,
        Inline::Text(text, covering) => !covering.is_empty() || !text.trim().is_empty(),
    });
    let next = Paragraph {
        start: next_start,
        items: Vec::new(),
    };
    let finished = std::mem::replace(current, next);
    if visible {
        paragraphs.push(finished);
    }
}

fn verdict_class(verdict: Verdict) -> String {
    format!("v-{}", verdict.name())
}

pub(crate) fn render(analysis: &Analysis) -> String {
    let mut highlights: Vec<Vec<Highlight>> = vec![Vec::new(); analysis.articles.len()];
    for (group_index, group) in analysis.groups.iter().enumerate() {
        for (index, span) in group.evidence.iter().enumerate() {
            if evidence_text(analysis, *span).is_ok()
                && let Some(list) = highlights.get_mut(span.doc as usize)
            {
                list.push(Highlight {
                    start: span.start,
                    end: span.end,
                    group: group_index,
                    index,
                    verdict: group.verdict,
                });
            }
        }
    }
    let title = match analysis.stories.as_slice() {
        [story] if !story.label.trim().is_empty() => {
            format!("Corroboration report — {}", clean_inline(&story.label))
        }
        _ => "Corroboration report".to_owned(),
    };
    let summary = [
        count(analysis.articles.len(), "article", "articles"),
        count(analysis.stories.len(), "story", "stories"),
        count(analysis.groups.len(), "claim group", "claim groups"),
        count(analysis.errors.len(), "input error", "input errors"),
    ]
    .join(" · ");

    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.report {
                    h1 { (title) }
                    p { (summary) }
                    @for story in &analysis.stories {
                        p {
                            "Story " (story.id + 1) ": " (clean_inline(&story.label)) " — "
                            (story.docs.iter().map(|d| doc_label(analysis, *d)).collect::<Vec<_>>().join(", "))
                        }
                    }
                }
                div.layout {
                    nav.verdicts aria-label="Verdicts" {
                        @if analysis.groups.is_empty() {
                            p { "No claim groups." }
                        }
                        @for verdict in Verdict::ALL {
                            (verdict_section(analysis, verdict))
                        }
                    }
                    main.articles {
                        @for (doc, analyzed) in analysis.articles.iter().enumerate() {
                            (article_column(doc, analyzed, highlights.get(doc).map(Vec::as_slice).unwrap_or(&[]), analysis))
                        }
                    }
                }
                @if !analysis.errors.is_empty() {
                    section.errors {
                        h2 { "Input errors (" (analysis.errors.len()) ")" }
                        ul {
                            @for error in &analysis.errors {
                                li { code { (error.source) } ": " (error.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn verdict_section(analysis: &Analysis, verdict: Verdict) -> Markup {
    let groups: Vec<(usize, &ClaimGroup)> = analysis
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.verdict == verdict)
        .collect();
    html! {
        @if !groups.is_empty() {
            section {
                h2 {
                    (verdict.name().replace('-', " ")) " (" (groups.len()) ") "
                    small { (verdict_description(verdict)) }
                }
                @for (index, group) in groups {
                    (group_card(analysis, index, group))
                }
            }
        }
    }
}

fn group_card(analysis: &Analysis, index: usize, group: &ClaimGroup) -> Markup {
    html! {
        div class={ "group " (verdict_class(group.verdict)) } id={ "group-" (index) } {
            p { strong { "G" (index + 1) } " " (group.explanation) }
            ul {
                @for (k, span) in group.evidence.iter().enumerate() {
                    li {
                        span.label { "[" (doc_label(analysis, span.doc)) "]" } " "
                        @match evidence_text(analysis, *span) {
                            Ok(quoted) => {
                                a href={ "#span-" (index) "-" (k) } {
                                    "“" (truncate(&clean_inline(quoted), MAX_PANEL_QUOTE_CHARS)) "”"
                                }
                            }
                            Err(problem) => { (invalid_note(span.start, span.end, problem)) }
                        }
                    }
                }
            }
            @for diff in &group.diffs {
                p.diff {
                    (doc_label(analysis, diff.from.doc)) " → " (doc_label(analysis, diff.to.doc)) ": "
                    @for (n, segment) in diff.segments.iter().enumerate() {
                        @if n > 0 { " " }
                        @match segment {
                            DiffSegment::Equal(text) => { (text.trim()) }
                            DiffSegment::Delete(text) => { del { (text.trim()) } }
                            DiffSegment::Insert(text) => { ins { (text.trim()) } }
                        }
                    }
                }
            }
        }
    }
}

fn invalid_note(start: usize, end: usize, problem: SpanProblem) -> Markup {
    html! {
        span.invalid { "invalid evidence, bytes " (start) ".." (end) ": " (problem.to_string()) }
    }
}

fn article_column(
    doc: usize,
    analyzed: &AnalyzedArticle,
    highlights: &[Highlight],
    analysis: &Analysis,
) -> Markup {
    let article = &analyzed.article;
    let sourcing = SourcingProfile::of(analyzed);
    let framing = FramingProfile::of(analyzed);
    html! {
        article.doc id={ "doc-" (doc) } {
            header {
                @if let Some(outlet) = &article.outlet {
                    p.outlet { (outlet) }
                }
                h2 { (article.title.clone().unwrap_or_else(|| article_label(article))) }
                @if let Some(byline) = &article.byline {
                    p.byline { "By " (byline) }
                }
                @if let Some(published) = &article.published {
                    p.date {
                        time datetime=(published.date) { (published.date) }
                        " (" (origin_label(published.origin)) ")"
                    }
                }
                p.source { (article.source.to_string()) }
                @if sourcing.total() > 0 {
                    p.sourcing {
                        "Sourcing: "
                        (sourcing.entries().iter().map(|(l, c)| format!("{l} {c}")).collect::<Vec<_>>().join(" · "))
                    }
                }
                @if !framing.outlet.is_empty() || !framing.quoted_only.is_empty() {
                    p.framing { "Framing (outlet’s voice): " (framing_line(&framing)) }
                }
                @if let Some(dating) = &analyzed.dating {
                    p.dating {
                        "Dated: "
                        (dating.earliest.map(|d| d.to_string()).unwrap_or_else(|| "…".into()))
                        " – "
                        (dating.latest.map(|d| d.to_string()).unwrap_or_else(|| "…".into()))
                    }
                }
            }
            div.body {
                @for paragraph in segment(&article.text, highlights) {
                    // Headline, date line and by-line kept in the text: shown, but muted.
                    p class=[(paragraph.start < article.body_start).then_some("preamble")] {
                        @for item in &paragraph.items {
                            (inline(item, analysis))
                        }
                    }
                }
            }
        }
    }
}

/// The outlet-voice terms with their categories, then how many terms occur only in quotes.
fn framing_line(framing: &FramingProfile) -> String {
    let mut line = if framing.outlet.is_empty() {
        "none".to_owned()
    } else {
        framing
            .outlet
            .iter()
            .map(|t| match t.count {
                1 => format!("“{}” ({})", t.term, t.category),
                n => format!("“{}” ({}) ×{n}", t.term, t.category),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !framing.quoted_only.is_empty() {
        line.push_str(&format!(
            " · {} only inside quotes",
            count(framing.quoted_only.len(), "more term", "more terms")
        ));
    }
    line
}

fn inline(item: &Inline, analysis: &Analysis) -> Markup {
    match item {
        Inline::Anchor(h, labelled) => html! {
            a.ref id=(h.id()) href={ "#group-" (h.group) } title=(h.verdict.name()) {
                @if *labelled { "G" (h.group + 1) }
            }
        },
        Inline::Text(text, covering) => match covering.first() {
            None => html! { (text) },
            Some(first) => {
                let ids: Vec<String> = covering.iter().map(Highlight::id).collect();
                let mut groups: Vec<&Highlight> = Vec::with_capacity(covering.len());
                for h in covering {
                    if !groups.iter().any(|g| g.group == h.group) {
                        groups.push(h);
                    }
                }
                let mut classes: Vec<String> =
                    groups.iter().map(|h| verdict_class(h.verdict)).collect();
                classes.dedup();
                if groups.len() > 1 {
                    classes.push("multi".into());
                }
                let titles: Vec<String> = groups
                    .iter()
                    .map(|h| {
                        let explanation = analysis
                            .groups
                            .get(h.group)
                            .map(|g| clean_inline(&g.explanation))
                            .unwrap_or_default();
                        format!("G{} {}: {explanation}", h.group + 1, h.verdict.name())
                    })
                    .collect();
                html! {
                    mark class=(classes.join(" ")) data-spans=(ids.join(" ")) title=(titles.join("\n")) {
                        a href={ "#group-" (first.group) } { (text) }
                    }
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlight(start: usize, end: usize, group: usize, verdict: Verdict) -> Highlight {
        Highlight {
            start,
            end,
            group,
            index: 0,
            verdict,
        }
    }

    fn texts<'a>(paragraph: &[Inline<'a>]) -> Vec<(&'a str, Vec<usize>)> {
        paragraph
            .iter()
            .filter_map(|item| match item {
                Inline::Text(text, covering) => {
                    Some((*text, covering.iter().map(|h| h.group).collect()))
                }
                Inline::Anchor(..) => None,
            })
            .collect()
    }

    #[test]
    fn overlapping_spans_split_into_segments_carrying_every_cover() {
        let text = "one two three four";
        let agree = highlight(0, 13, 1, Verdict::Agree);
        let conflict = highlight(4, 18, 0, Verdict::Conflict);
        let paragraphs = segment(text, &[agree, conflict]);
        assert_eq!(paragraphs.len(), 1);
        assert_eq!(
            texts(&paragraphs[0].items),
            vec![
                ("one ", vec![1]),
                ("two three", vec![0, 1]),
                (" four", vec![0]),
            ]
        );
        let anchors: Vec<usize> = paragraphs[0]
            .items
            .iter()
            .filter_map(|item| match item {
                Inline::Anchor(h, _) => Some(h.group),
                Inline::Text(..) => None,
            })
            .collect();
        assert_eq!(anchors, vec![1, 0]);
    }

    #[test]
    fn nested_span_and_line_breaks_make_paragraphs() {
        let text = "“Quote,” he said.\n\nNext “line” here";
        let outer = highlight(0, 31, 0, Verdict::QuoteAltered);
        let inner = highlight(3, 8, 1, Verdict::QuoteVerbatim);
        let paragraphs = segment(text, &[outer, inner]);
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[1].start, text.find("Next").unwrap_or_default());
        assert_eq!(
            texts(&paragraphs[0].items),
            vec![
                ("“", vec![0]),
                ("Quote", vec![0, 1]),
                (",” he said.", vec![0]),
            ]
        );
        assert_eq!(
            texts(&paragraphs[1].items),
            vec![("Next “", vec![0]), ("line” here", vec![])]
        );
    }

    #[test]
    fn empty_span_keeps_its_anchor() {
        let paragraphs = segment("abc", &[highlight(3, 3, 2, Verdict::Stale)]);
        assert_eq!(
            paragraphs,
            vec![Paragraph {
                start: 0,
                items: vec![
                    Inline::Text("abc", vec![]),
                    Inline::Anchor(highlight(3, 3, 2, Verdict::Stale), true)
                ]
            }]
        );
    }

    proptest::proptest! {
        #[test]
        fn segments_rebuild_the_text_and_carry_exactly_their_covers(
            text in "[ab“\n ]{0,40}",
            raw in proptest::collection::vec((0usize..50, 0usize..50), 0..6),
        ) {
            let highlights: Vec<Highlight> = raw
                .iter()
                .enumerate()
                .filter_map(|(group, &(a, b))| {
                    let (start, end) = (a.min(b), a.max(b));
                    text.get(start..end)?;
                    Some(highlight(start, end, group, Verdict::ALL[group % Verdict::ALL.len()]))
                })
                .collect();
            let paragraphs = segment(&text, &highlights);
            let mut rebuilt = String::new();
            let mut anchors = 0;
            for item in paragraphs.iter().flat_map(|p| &p.items) {
                match item {
                    Inline::Anchor(..) => anchors += 1,
                    Inline::Text(piece, covering) => {
                        let offset = piece.as_ptr() as usize - text.as_ptr() as usize;
                        let end = offset + piece.len();
                        let mut expected: Vec<usize> = highlights
                            .iter()
                            .filter(|h| h.start <= offset && end <= h.end && h.start < h.end)
                            .map(|h| h.group)
                            .collect();
                        let mut got: Vec<usize> = covering.iter().map(|h| h.group).collect();
                        expected.sort_unstable();
                        got.sort_unstable();
                        proptest::prop_assert_eq!(got, expected);
                        rebuilt.push_str(piece);
                    }
                }
            }
            proptest::prop_assert_eq!(anchors, highlights.len());
            // Only line breaks and whitespace-only lines may be dropped.
            let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            proptest::prop_assert_eq!(visible(&rebuilt), visible(&text));
        }
    }
}
