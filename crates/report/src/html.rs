//! The self-contained HTML report, built to scale past one story: a colour legend, an index of
//! stories (most disputed first), then one section per story with a table of outlets against
//! the disputed facts, the claim groups with each piece of evidence shown in its sentence, and
//! the articles side by side (wrapping into rows) with every evidence span highlighted and
//! linked both ways.
//!
//! A page has a budget ([`FULL_DETAIL_BYTES`]): stories are rendered in full, most disputed
//! first, until it is spent; the rest are summarised (the glance table, one line per group,
//! the list of articles), so that a report of any size stays small enough to open at once.
//!
//! Ids: `story-{s}` is `stories[s]` (`story-none` holds what belongs to no story);
//! `group-{g}` is `groups[g]` of the JSON report; `span-{g}-{k}` is its evidence `k`;
//! `doc-{d}` is `articles[d]`. Everything from the input is escaped by `maud`; the page has no
//! script and loads nothing.

use crate::evidence::{
    SpanProblem, clean_inline, evidence_text, origin_label, provenance_line, truncate,
};
use crate::profile::{FramingProfile, SourcingProfile};
use corroborate_model::{
    Analysis, AnalyzedArticle, ClaimGroup, ClaimKind, CopyChangeKind, DiffSegment,
    MIN_SHOWN_CONFIDENCE, Span, Story, Topic, Verdict,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = include_str!("../assets/report.css");

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

fn verdict_rank(verdict: Verdict) -> usize {
    Verdict::ALL
        .iter()
        .position(|v| *v == verdict)
        .unwrap_or(Verdict::ALL.len())
}

/// One section of the page: a story, or the articles and groups that belong to none.
struct Section {
    /// Index into [`Analysis::stories`]; `None` for the leftovers.
    story: Option<usize>,
    title: String,
    docs: Vec<u32>,
    /// Indexes into [`Analysis::groups`], most important verdict first.
    groups: Vec<usize>,
    disputed: usize,
}

impl Section {
    fn anchor(&self) -> String {
        match self.story {
            Some(s) => format!("story-{s}"),
            None => "story-none".to_owned(),
        }
    }
}

/// HTML report settings.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// Show every group, also alarms below [`MIN_SHOWN_CONFIDENCE`].
    pub all: bool,
}

impl HtmlOptions {
    fn shows(&self, group: &ClaimGroup) -> bool {
        self.all || !group.verdict.is_alarm() || group.confidence >= MIN_SHOWN_CONFIDENCE
    }
}

/// The stories as sections, most disputed first, then the articles and groups of no story.
fn sections(analysis: &Analysis, options: &HtmlOptions) -> Vec<Section> {
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); analysis.stories.len()];
    let mut loose_groups = Vec::new();
    for (index, group) in analysis.groups.iter().enumerate() {
        if !options.shows(group) {
            continue;
        }
        match group.story.and_then(|s| groups_of.get_mut(s)) {
            Some(list) => list.push(index),
            None => loose_groups.push(index),
        }
    }
    let mut in_story = vec![false; analysis.articles.len()];
    let mut sections: Vec<Section> = analysis
        .stories
        .iter()
        .zip(groups_of)
        .enumerate()
        .map(|(s, (story, groups))| {
            for &doc in &story.docs {
                if let Some(seen) = in_story.get_mut(doc as usize) {
                    *seen = true;
                }
            }
            section(
                analysis,
                Some(s),
                story_title(analysis, story),
                story.docs.clone(),
                groups,
            )
        })
        .collect();
    sections.sort_by_key(|s| {
        (
            std::cmp::Reverse(s.disputed),
            std::cmp::Reverse(s.groups.len()),
            std::cmp::Reverse(s.docs.len()),
        )
    });
    let loose_docs: Vec<u32> = (0..analysis.articles.len())
        .filter(|&d| !in_story[d])
        .map(|d| d as u32)
        .collect();
    if !loose_docs.is_empty() || !loose_groups.is_empty() {
        let title = if analysis.stories.is_empty() {
            "Articles".to_owned()
        } else {
            "Not in any story".to_owned()
        };
        sections.push(section(analysis, None, title, loose_docs, loose_groups));
    }
    sections
}

fn section(
    analysis: &Analysis,
    story: Option<usize>,
    title: String,
    docs: Vec<u32>,
    mut groups: Vec<usize>,
) -> Section {
    groups.sort_by_key(|&g| (verdict_rank(analysis.groups[g].verdict), g));
    let disputed = groups
        .iter()
        .filter(|&&g| analysis.groups[g].verdict.is_dispute())
        .count();
    Section {
        story,
        title,
        docs,
        groups,
        disputed,
    }
}

/// A story's title: the headline of its first article that has one (a reader recognises a
/// headline; the clustering label is stemmed terms), else that label.
fn story_title(analysis: &Analysis, story: &Story) -> String {
    story
        .docs
        .iter()
        .filter_map(|&d| analysis.articles.get(d as usize)?.article.title.as_deref())
        .map(clean_inline)
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| clean_inline(&story.label))
}

pub(crate) fn render(analysis: &Analysis, options: &HtmlOptions) -> String {
    let mut highlights: Vec<Vec<Highlight>> = vec![Vec::new(); analysis.articles.len()];
    for (group_index, group) in analysis.groups.iter().enumerate() {
        if !options.shows(group) {
            continue;
        }
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
    let sections = sections(analysis, options);
    let mut spent = 0;
    let rendered: Vec<Markup> = sections
        .iter()
        .map(|section| {
            let full = story_section(analysis, section, &highlights);
            if spent + full.0.len() <= FULL_DETAIL_BYTES {
                spent += full.0.len();
                full
            } else {
                story_summary(analysis, section)
            }
        })
        .collect();
    let hidden = analysis.groups.iter().filter(|g| !options.shows(g)).count();
    let title = match sections.as_slice() {
        [only] if only.story.is_some() => format!("Corroboration report — {}", only.title),
        _ => "Corroboration report".to_owned(),
    };
    let summary = [
        count(analysis.articles.len(), "article", "articles"),
        count(analysis.stories.len(), "story", "stories"),
        count(analysis.groups.len(), "claim group", "claim groups"),
        count(analysis.errors.len(), "input error", "input errors"),
    ]
    .into_iter()
    .chain((hidden > 0).then(|| {
        format!(
            "{} below confidence {MIN_SHOWN_CONFIDENCE} not shown (--all shows them)",
            count(hidden, "alarm", "alarms")
        )
    }))
    .collect::<Vec<_>>()
    .join(" · ");

    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(GENERATOR);
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.report {
                    h1 { (title) }
                    p.summary { (summary) }
                    @if let Some(provenance) = &analysis.provenance {
                        p.provenance { (provenance_line(provenance)) }
                    }
                    (legend())
                }
                @if sections.len() > 1 {
                    nav.index aria-label="Stories" {
                        h2 { "Stories, most disputed first" }
                        ol {
                            @for section in &sections {
                                li { (index_entry(analysis, section)) }
                            }
                        }
                    }
                }
                main {
                    @if analysis.articles.is_empty() && analysis.groups.is_empty() {
                        p.empty { "No article could be read." }
                    }
                    @for section in rendered {
                        (section)
                    }
                }
                @if !analysis.errors.is_empty() {
                    section.errors id="errors" {
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

/// Names the tool in the page, so a later run can recognise (and skip) its own reports.
const GENERATOR: &str = concat!("corroborate ", env!("CARGO_PKG_VERSION"));

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What each highlight colour means.
fn legend() -> Markup {
    html! {
        details.legend open {
            summary { "What the colours mean" }
            ul {
                @for verdict in Verdict::ALL {
                    li title=(verdict.description()) {
                        span class={ "swatch " (verdict_class(verdict)) } {}
                        strong { (verdict.name().replace('-', " ")) }
                        span.desc { " — " (verdict.description()) }
                    }
                }
            }
        }
    }
}

/// Counts of groups per verdict in a section, most important first.
fn verdict_counts(analysis: &Analysis, section: &Section) -> Vec<(Verdict, usize)> {
    let mut counts: Vec<(Verdict, usize)> = Vec::new();
    for &g in &section.groups {
        let verdict = analysis.groups[g].verdict;
        match counts.last_mut() {
            Some((v, n)) if *v == verdict => *n += 1,
            _ => counts.push((verdict, 1)),
        }
    }
    counts
}

fn chips(counts: &[(Verdict, usize)]) -> Markup {
    html! {
        span.chips {
            @for (verdict, n) in counts {
                span class={ "chip " (verdict_class(*verdict)) } {
                    (n) " " (verdict.name().replace('-', " "))
                }
            }
        }
    }
}

fn index_entry(analysis: &Analysis, section: &Section) -> Markup {
    html! {
        a href={ "#" (section.anchor()) } { (section.title) }
        " "
        span.meta { (count(section.docs.len(), "article", "articles")) }
        " "
        (chips(&verdict_counts(analysis, section)))
    }
}

fn story_section(analysis: &Analysis, section: &Section, highlights: &[Vec<Highlight>]) -> Markup {
    let outlets: Vec<String> = section
        .docs
        .iter()
        .map(|&d| doc_name(analysis, d))
        .collect();
    html! {
        section.story id=(section.anchor()) {
            h2 { (section.title) }
            p.meta {
                (count(section.docs.len(), "article", "articles"))
                @if !outlets.is_empty() { ": " (outlets.join(", ")) }
            }
            (chips(&verdict_counts(analysis, section)))
            (glance_table(analysis, section))
            @if !section.groups.is_empty() {
                h3 { "Claim groups" }
                div.groups {
                    @for &g in &section.groups {
                        (group_card(analysis, g, &analysis.groups[g]))
                    }
                }
            }
            @if !section.docs.is_empty() {
                h3 { "Articles" }
                div.articles {
                    @for &doc in &section.docs {
                        @if let Some(analyzed) = analysis.articles.get(doc as usize) {
                            (article_card(doc as usize, analyzed, highlights.get(doc as usize).map(Vec::as_slice).unwrap_or(&[]), analysis))
                        }
                    }
                }
            }
        }
    }
}

/// Bytes of the page that stories rendered in full may take, so that with the summaries of the
/// rest a page opens at once whatever its input: the 5,000 generated articles of
/// `scripts/html-scale.sh` (435 stories, 20,000 groups) give 16 MB (16 stories in full) instead
/// of 57 MB with every story in full.
const FULL_DETAIL_BYTES: usize = 12_000_000;

/// Groups listed in a summarised story; the JSON report has them all.
const MAX_SUMMARY_GROUPS: usize = 40;

/// Longest explanation shown in a summarised story's group list, in characters.
const MAX_SUMMARY_CHARS: usize = 240;

/// A story past the page's budget: its glance table, one line per group (most important
/// first) and the list of its articles, without evidence or article text.
fn story_summary(analysis: &Analysis, section: &Section) -> Markup {
    let outlets: Vec<String> = section
        .docs
        .iter()
        .map(|&d| doc_name(analysis, d))
        .collect();
    let listed = section.groups.len().min(MAX_SUMMARY_GROUPS);
    html! {
        section.story.summary id=(section.anchor()) {
            h2 { (section.title) }
            p.meta {
                (count(section.docs.len(), "article", "articles"))
                @if !outlets.is_empty() { ": " (outlets.join(", ")) }
            }
            (chips(&verdict_counts(analysis, section)))
            p.note {
                "In summary: this page shows the more disputed stories above in full and keeps                  to a size a browser opens at once. The JSON report (-f json) has every group                  with its evidence; a report of this story's articles alone shows them in full."
            }
            (glance_table(analysis, section))
            @if listed > 0 {
                h3 { "Claim groups" }
                ol.lines {
                    @for &g in &section.groups[..listed] {
                        @let group = &analysis.groups[g];
                        li class=(verdict_class(group.verdict)) id={ "group-" (g) } {
                            strong { "G" (g + 1) } " "
                            span.verdict { (group.verdict.name().replace('-', " ")) } " "
                            (truncate(&clean_inline(&group.explanation), MAX_SUMMARY_CHARS))
                        }
                    }
                }
                @if section.groups.len() > listed {
                    p.meta { "… and " (count(section.groups.len() - listed, "more group", "more groups")) " in the JSON report." }
                }
            }
            @if !section.docs.is_empty() {
                h3 { "Articles" }
                ul.lines {
                    @for &doc in &section.docs {
                        @if let Some(analyzed) = analysis.articles.get(doc as usize) {
                            @let article = &analyzed.article;
                            li id={ "doc-" (doc) } {
                                strong { (doc_name(analysis, doc)) }
                                @if let Some(title) = article.title.as_deref().map(clean_inline).filter(|t| !t.is_empty()) {
                                    " — " (title)
                                }
                                @if let Some(published) = &article.published {
                                    " · " time datetime=(published.date) { (published.date) }
                                }
                                " · " span.meta { (clean_inline(&article.url.clone().unwrap_or_else(|| article.source.to_string()))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Outlets against the disputed facts of a story: what each says, in the verdict's colour.
fn glance_table(analysis: &Analysis, section: &Section) -> Markup {
    let disputed: Vec<usize> = section
        .groups
        .iter()
        .copied()
        .filter(|&g| analysis.groups[g].verdict.is_dispute())
        .collect();
    if disputed.is_empty() || section.docs.is_empty() {
        return html! {};
    }
    let columns = &disputed[..disputed.len().min(MAX_GLANCE_COLUMNS)];
    html! {
        div.glance {
            table {
                caption {
                    "At a glance: what each outlet says about the disputed facts"
                    @if columns.len() < disputed.len() {
                        " (the " (columns.len()) " most important of " (disputed.len()) "; all are in the groups below)"
                    }
                }
                thead {
                    tr {
                        th scope="col" { "Outlet" }
                        @for &g in columns {
                            th scope="col" class=(verdict_class(analysis.groups[g].verdict)) {
                                a href={ "#group-" (g) } { "G" (g + 1) " " (topic_label(&analysis.groups[g].topic)) }
                                br;
                                small { (analysis.groups[g].verdict.name().replace('-', " ")) }
                            }
                        }
                    }
                }
                tbody {
                    @for &doc in &section.docs {
                        tr {
                            th scope="row" { (doc_name(analysis, doc)) }
                            @for &g in columns {
                                @let values = cell_values(analysis, &analysis.groups[g], doc);
                                @if values.is_empty() {
                                    td.none { "—" }
                                } @else {
                                    td class=(verdict_class(analysis.groups[g].verdict)) { (values.join(" / ")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Most columns of a glance table: past this a table is no longer read at a glance (and a
/// story of a hundred articles would repeat its rows for every column).
const MAX_GLANCE_COLUMNS: usize = 12;

/// Most evidence lines a group card quotes in full; the rest are links to their places in the
/// articles, which keeps the card readable and a large report small.
const MAX_EVIDENCE_LINES: usize = 8;

/// What a group is about, in a few words (the column heading of the glance table).
fn topic_label(topic: &Topic) -> String {
    match topic {
        Topic::Quantity { counted, .. } => clean_inline(counted),
        Topic::Office { office } => match &office.org {
            Some(org) => format!("{} ({})", clean_inline(&office.title), clean_inline(org)),
            None => clean_inline(&office.title),
        },
        Topic::Quote { speaker } => match speaker.as_deref().map(clean_inline) {
            Some(s) if !is_pronoun(&s) => format!("quote of {s}"),
            _ => "unattributed quotation".to_owned(),
        },
        Topic::Named { name } => clean_inline(name),
        Topic::Dating => "date".to_owned(),
        Topic::CopyChange { change, .. } => match change {
            CopyChangeKind::Figure => "figure changed in a copy",
            CopyChangeKind::Name => "name changed in a copy",
            CopyChangeKind::Quote => "quote changed in a copy",
        }
        .to_owned(),
    }
}

/// A speaker that is only a pronoun ("she", "they") names nobody: reports say
/// "unattributed" instead.
fn is_pronoun(speaker: &str) -> bool {
    const PRONOUNS: &[&str] = &[
        "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me",
    ];
    PRONOUNS.contains(&speaker.trim().to_lowercase().as_str())
}

/// Longest value shown in a glance-table cell, in characters.
const MAX_CELL_CHARS: usize = 60;

/// The values article `doc` gives in a group: the number, the holder or the quoted words of its
/// claims, else its shortest evidence span; each once.
fn cell_values(analysis: &Analysis, group: &ClaimGroup, doc: u32) -> Vec<String> {
    let mut spans: Vec<Span> = group
        .claims
        .iter()
        .filter(|r| r.doc == doc)
        .filter_map(|r| analysis.claim(*r))
        .map(|claim| match &claim.kind {
            ClaimKind::Quantity(q) => q.number,
            ClaimKind::OfficeHolder(h) => h.person_span,
            ClaimKind::Quote(q) => q.content,
            _ => claim.evidence,
        })
        .collect();
    if spans.is_empty() {
        spans.extend(
            group
                .evidence
                .iter()
                .filter(|s| s.doc == doc)
                .min_by_key(|s| s.end.saturating_sub(s.start)),
        );
    }
    let mut values: Vec<String> = Vec::new();
    for span in spans {
        if let Ok(text) = evidence_text(analysis, span) {
            let value = truncate(&clean_inline(text), MAX_CELL_CHARS).into_owned();
            if !value.is_empty() && !values.contains(&value) {
                values.push(value);
            }
        }
    }
    values
}

/// The name a reader knows an article's outlet by: the outlet field, else the outlet its
/// by-line names, else the site of its URL (or of the URL it was read from), else its
/// headline; never a file name.
fn doc_name(analysis: &Analysis, doc: u32) -> String {
    let Some(analyzed) = analysis.articles.get(doc as usize) else {
        return format!("unknown article {doc}");
    };
    let article = &analyzed.article;
    [
        article.outlet.clone(),
        article.byline.as_deref().and_then(byline_outlet),
    ]
    .into_iter()
    .chain([article.url.as_deref(), Some(article.source.path.as_str())].map(|u| u.and_then(site)))
    .chain([article
        .title
        .as_deref()
        .map(|t| truncate(&clean_inline(t), 48).into_owned())])
    .flatten()
    .map(|name| clean_inline(&name))
    .find(|name| !name.is_empty())
    .unwrap_or_else(|| format!("article {}", doc + 1))
}

/// Words that mark a by-line part as an outlet rather than a person ("Anna Lindqvist, Northern
/// Wire"; "Coastline Daily staff").
const OUTLET_WORDS: &[&str] = &[
    "agency",
    "associated",
    "bbc",
    "broadcasting",
    "chronicle",
    "courier",
    "daily",
    "gazette",
    "herald",
    "journal",
    "magazine",
    "media",
    "news",
    "newspaper",
    "observer",
    "post",
    "press",
    "radio",
    "reuters",
    "review",
    "staff",
    "telegraph",
    "times",
    "tribune",
    "tv",
    "wire",
];

/// The outlet a by-line names: the part before "staff", or a part after the author's name
/// that reads like an outlet ("Anna Lindqvist, Northern Wire", "Jo Park | The Herald").
fn byline_outlet(byline: &str) -> Option<String> {
    let parts = byline
        .split([',', '|', '/', ';'])
        .flat_map(|p| p.split(" for "))
        .flat_map(|p| p.split(" with "))
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for part in parts {
        let words: Vec<&str> = part.split_whitespace().collect();
        if let Some(staff) = words.iter().position(|w| w.eq_ignore_ascii_case("staff")) {
            if staff > 0 {
                return Some(words[..staff].join(" "));
            }
            continue;
        }
        let lower = part.to_lowercase();
        if lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| OUTLET_WORDS.contains(&w))
        {
            return Some(part.to_owned());
        }
    }
    None
}

/// The host of an http(s) URL without a leading `www.`.
fn site(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn group_card(analysis: &Analysis, index: usize, group: &ClaimGroup) -> Markup {
    html! {
        div class={ "group " (verdict_class(group.verdict)) } id={ "group-" (index) } {
            p.head {
                strong { "G" (index + 1) } " "
                span.verdict { (group.verdict.name().replace('-', " ")) }
                @if group.verdict.is_alarm() {
                    " "
                    span.confidence title="how likely a reader checking the evidence finds the verdict right" {
                        "confidence " (format!("{:.2}", group.confidence))
                    }
                }
            }
            p { (clean_inline(&group.explanation)) }
            ul {
                @let (lines, more) = evidence_lines(analysis, index, group);
                @for line in lines {
                    li { (line) }
                }
                @if !more.is_empty() {
                    li.more {
                        "Also in " (more.len()) " more places: "
                        @for (n, line) in more.iter().enumerate() {
                            @if n > 0 { ", " }
                            @if let Some(first) = line.spans.first() {
                                a href={ "#" (first.id()) } { (doc_name(analysis, line.doc)) }
                            }
                        }
                    }
                }
            }
            @for diff in &group.diffs {
                p.diff {
                    span.label { (doc_name(analysis, diff.from.doc)) " → " (doc_name(analysis, diff.to.doc)) ": " }
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

/// Most characters of context shown on either side of an evidence span whose sentence is long
/// or unknown.
const CONTEXT_CHARS: usize = 160;

/// The group's evidence as lines of context: each valid span shown inside its sentence, spans
/// that share a sentence on one line, every span marked and linked to its place in the
/// article; invalid spans said to be invalid. Lines past [`MAX_EVIDENCE_LINES`] are returned
/// unrendered, for a list of links.
fn evidence_lines(
    analysis: &Analysis,
    index: usize,
    group: &ClaimGroup,
) -> (Vec<Markup>, Vec<EvidenceLine>) {
    let mut lines: Vec<EvidenceLine> = Vec::new();
    let mut invalid = Vec::new();
    for (k, span) in group.evidence.iter().enumerate() {
        if let Err(problem) = evidence_text(analysis, *span) {
            invalid.push((*span, problem));
            continue;
        }
        // A quotable span names an existing article.
        let Some(analyzed) = analysis.articles.get(span.doc as usize) else {
            continue;
        };
        let highlight = Highlight {
            start: span.start,
            end: span.end,
            group: index,
            index: k,
            verdict: group.verdict,
        };
        let (start, end) = context(analyzed, span.start, span.end);
        match lines
            .iter_mut()
            .find(|l| l.doc == span.doc && l.start < end.max(start + 1) && start < l.end)
        {
            Some(line) => {
                line.start = line.start.min(start);
                line.end = line.end.max(end);
                line.spans.push(highlight);
            }
            None => lines.push(EvidenceLine {
                doc: span.doc,
                start,
                end,
                spans: vec![highlight],
            }),
        }
    }
    let more = lines.split_off(lines.len().min(MAX_EVIDENCE_LINES));
    let mut out: Vec<Markup> = lines
        .iter()
        .map(|line| evidence_line(analysis, line))
        .collect();
    out.extend(invalid.into_iter().map(|(span, problem)| {
        html! {
            span.label { (doc_name(analysis, span.doc)) } " "
            (invalid_note(span.start, span.end, problem))
        }
    }));
    (out, more)
}

/// Evidence spans of one group that lie in the same stretch of one article's text.
struct EvidenceLine {
    doc: u32,
    /// The context shown: byte range in the article's text.
    start: usize,
    end: usize,
    /// The spans, in article coordinates.
    spans: Vec<Highlight>,
}

/// The sentences a span lies in, or a window of text around it on its line; never longer than
/// the span plus [`CONTEXT_CHARS`] on each side. The span must be valid in the article.
fn context(analyzed: &AnalyzedArticle, start: usize, end: usize) -> (usize, usize) {
    let text = analyzed.article.text.as_str();
    let mut covering = analyzed
        .sentences
        .iter()
        .filter(|s| s.start < end.max(start + 1) && start < s.end && s.end <= text.len())
        .peekable();
    let known = covering.peek().is_some();
    let (mut from, mut to) =
        covering.fold((start, end), |(a, b), s| (a.min(s.start), b.max(s.end)));
    if !known {
        // No sentence known: the rest of the line around the span.
        from = text[..start].rfind('\n').map_or(0, |i| i + 1);
        to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    }
    from = from.max(floor_char(text, start.saturating_sub(CONTEXT_CHARS * 4)));
    to = to.min(ceil_char(text, end.saturating_add(CONTEXT_CHARS * 4)));
    // Trim to CONTEXT_CHARS characters on each side.
    if let Some((i, _)) = text[from..start].char_indices().rev().nth(CONTEXT_CHARS) {
        from += i;
    }
    if let Some((i, _)) = text[end..to].char_indices().nth(CONTEXT_CHARS) {
        to = end + i;
    }
    (from, to)
}

fn floor_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// One line of evidence: the outlet, then the context with each span marked. A span covering
/// the whole context is left unmarked when smaller spans in it say what matters.
fn evidence_line(analysis: &Analysis, line: &EvidenceLine) -> Markup {
    let (start, end) = (line.start, line.end);
    let text = analysis
        .articles
        .get(line.doc as usize)
        .map_or("", |a| a.article.text.as_str());
    let whole = |h: &Highlight| h.start <= start && end <= h.end;
    let mut shown: Vec<&Highlight> = line
        .spans
        .iter()
        .filter(|h| line.spans.len() == 1 || !whole(h))
        .collect();
    if shown.is_empty() {
        shown = line.spans.iter().collect();
    }
    let marked: Vec<Highlight> = shown
        .iter()
        .map(|h| Highlight {
            start: h.start - start,
            end: h.end - start,
            ..**h
        })
        .collect();
    // The outlet links to the span the marks leave out (the whole sentence), else to the first.
    let target = line
        .spans
        .iter()
        .find(|h| marked.iter().all(|m| m.index != h.index))
        .or(line.spans.first());
    let context = &text[start..end];
    let before = start > 0 && !text[..start].ends_with(['\n', ' ']);
    let after = end < text.len() && !text[end..].starts_with(['\n', ' ']);
    html! {
        @if let Some(target) = target {
            a.label href={ "#" (target.id()) } { (doc_name(analysis, line.doc)) }
        }
        " "
        q.context {
            @if before { "…" }
            @for (n, paragraph) in segment(context, &marked).iter().enumerate() {
                @if n > 0 { " " }
                @for item in &paragraph.items {
                    @if let Inline::Text(piece, covering) = item {
                        @match covering.first() {
                            None => { (clean_inline_keep_edges(piece)) }
                            Some(h) => {
                                mark class=(verdict_class(h.verdict)) {
                                    a href={ "#" (h.id()) } { (clean_inline_keep_edges(piece)) }
                                }
                            }
                        }
                    }
                }
            }
            @if after { "…" }
        }
    }
}

/// [`clean_inline`] that keeps one leading and trailing space, so pieces of a line still join
/// with spaces between words.
fn clean_inline_keep_edges(piece: &str) -> String {
    let cleaned = clean_inline(piece);
    if cleaned.is_empty() && !piece.is_empty() {
        // The space between two marked words.
        return " ".to_owned();
    }
    let lead = if piece.starts_with(char::is_whitespace) && !cleaned.is_empty() {
        " "
    } else {
        ""
    };
    let trail = if piece.ends_with(char::is_whitespace) && !cleaned.is_empty() {
        " "
    } else {
        ""
    };
    format!("{lead}{cleaned}{trail}")
}

fn invalid_note(start: usize, end: usize, problem: SpanProblem) -> Markup {
    html! {
        span.invalid { "invalid evidence, bytes " (start) ".." (end) ": " (problem.to_string()) }
    }
}

fn article_card(
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
                p.outlet { (doc_name(analysis, doc as u32)) }
                @if let Some(title) = article.title.as_deref().map(clean_inline).filter(|t| !t.is_empty()) {
                    h4 { (title) }
                }
                @if let Some(byline) = &article.byline {
                    p.byline { "By " (clean_inline(byline)) }
                }
                @if let Some(published) = &article.published {
                    p.date {
                        time datetime=(published.date) { (published.date) }
                        " (" (origin_label(published.origin)) ")"
                    }
                }
                p.source { (article.url.clone().unwrap_or_else(|| article.source.to_string())) }
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
                            (inline(item))
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

/// A piece of article text. Only the superscript anchor before a highlight links to its group:
/// a link and a tooltip on every highlighted piece would double the size of a large report.
fn inline(item: &Inline) -> Markup {
    match item {
        Inline::Anchor(h, labelled) => html! {
            a.ref id=(h.id()) href={ "#group-" (h.group) } {
                @if *labelled { "G" (h.group + 1) }
            }
        },
        Inline::Text(text, covering) => {
            if covering.is_empty() {
                return html! { (text) };
            }
            let ids: Vec<String> = covering.iter().map(Highlight::id).collect();
            let mut classes: Vec<String> = Vec::with_capacity(covering.len());
            let mut groups: Vec<usize> = Vec::with_capacity(covering.len());
            for h in covering {
                if !groups.contains(&h.group) {
                    groups.push(h.group);
                    let class = verdict_class(h.verdict);
                    if !classes.contains(&class) {
                        classes.push(class);
                    }
                }
            }
            if groups.len() > 1 {
                classes.push("multi".into());
            }
            html! {
                mark class=(classes.join(" ")) data-spans=(ids.join(" ")) { (text) }
            }
        }
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
    fn outlets_come_from_by_lines_and_url_hosts() {
        assert_eq!(
            byline_outlet("Coastline Daily staff, with Northern Wire").as_deref(),
            Some("Coastline Daily")
        );
        assert_eq!(
            byline_outlet("Anna Lindqvist, Northern Wire").as_deref(),
            Some("Northern Wire")
        );
        assert_eq!(
            byline_outlet("Jo Park for The Herald").as_deref(),
            Some("The Herald")
        );
        assert_eq!(byline_outlet("Tomas Reyes"), None);
        assert_eq!(byline_outlet("Ana Ruiz, Tom Beck"), None);
        assert_eq!(
            site("https://user@www.Example.org:8080/a?b").as_deref(),
            Some("example.org")
        );
        assert_eq!(site("articles/fire.txt"), None);
        assert_eq!(site("https:///x"), None);
    }

    #[test]
    fn a_pronoun_is_not_a_speaker() {
        let quote = |s: Option<&str>| Topic::Quote {
            speaker: s.map(Into::into),
        };
        assert_eq!(topic_label(&quote(Some("She"))), "unattributed quotation");
        assert_eq!(topic_label(&quote(None)), "unattributed quotation");
        assert_eq!(topic_label(&quote(Some("the union"))), "quote of the union");
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
