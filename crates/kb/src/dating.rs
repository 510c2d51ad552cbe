//! Article dating: an interval of plausible writing dates, with the evidence for it.
//!
//! Evidence is combined in order of trust, each piece narrowing the interval; a piece that
//! would empty it is kept in the evidence, marked, and not combined (that is what the stale
//! and dating-conflict verdicts then report):
//!
//! 1. the publication date (date line, by-line, metadata);
//! 2. the claims stage's durations counted from a knowledge-base event ("nearing its 23rd
//!    month" of the war begun 2023-10-07, "nearly two years of conflict");
//! 3. the window in which all the article's office holders held their offices together, and
//!    events with an end date spoken of in the present tense ("the war cabinet is …");
//! 4. the dating of the article's story (the other articles' publication and relative dates);
//! 5. the claims stage's weekdays, resolved to a date once the interval is a week or less.

use crate::date::{DayRange, add_days, intersect_sets};
use crate::link::{OfficeAssertion, office_assertions};
use crate::{Event, KnowledgeBase};
use chrono::{Datelike, NaiveDate};
use corroborate_model::{
    AnalyzedArticle, ClaimKind, DateEstimate, DatingEvidence, DocId, MetadataOrigin,
    PublicationLine, Span, Story, Tenure, TextRange, TimeExpression, TimeValue,
};
use corroborate_nlp::name_key;
use std::collections::HashMap;

/// Rules whose evidence is the article's own statement of when it was written.
pub(crate) const STRONG_RULES: [&str; 4] =
    ["date-line", "by-line", "metadata", "relative-to-event"];

const NOT_COMBINED: &str = " — conflicts with the evidence above, not combined";

/// Estimates each article's date and stores it in [`AnalyzedArticle::dating`].
pub fn date_articles(kb: &KnowledgeBase, articles: &mut [AnalyzedArticle], stories: &[Story]) {
    let assertions: Vec<Vec<OfficeAssertion>> =
        articles.iter().map(|a| office_assertions(kb, a)).collect();
    date_with(kb, articles, stories, &assertions);
}

/// [`date_articles`] with the office assertions of each article already found.
pub(crate) fn date_with(
    kb: &KnowledgeBase,
    articles: &mut [AnalyzedArticle],
    stories: &[Story],
    assertions: &[Vec<OfficeAssertion>],
) {
    let own: Vec<Vec<DatingEvidence>> = articles
        .iter()
        .zip(assertions)
        .map(|(a, xs)| own_evidence(kb, a, xs))
        .collect();
    let strong: HashMap<DocId, (DayRange, Vec<Span>)> = articles
        .iter()
        .zip(&own)
        .filter_map(|(a, ev)| Some((a.article.id, strong_with_spans(ev)?)))
        .collect();
    for (a, mut evidence) in articles.iter_mut().zip(own) {
        if let Some((range, spans)) = story_range(a.article.id, stories, &strong) {
            evidence.push(DatingEvidence {
                rule: "story".into(),
                explanation: format!("the other articles of its story are dated {range}"),
                earliest: range.earliest(),
                latest: range.latest(),
                spans,
            });
        }
        let mut estimate = combine(evidence);
        weekday_evidence(a, &mut estimate);
        a.dating = Some(estimate);
    }
}

/// The strong dating of an article with the spans it rests on.
pub(crate) fn strong_with_spans(evidence: &[DatingEvidence]) -> Option<(DayRange, Vec<Span>)> {
    let range = strong_range(evidence)?;
    let spans = evidence
        .iter()
        .filter(|e| STRONG_RULES.contains(&e.rule.as_str()))
        .flat_map(|e| e.spans.iter().copied())
        .collect();
    Some((range, spans))
}

/// The hull of the strong datings of the other members of `doc`'s story, with their spans.
pub(crate) fn story_range(
    doc: DocId,
    stories: &[Story],
    strong: &HashMap<DocId, (DayRange, Vec<Span>)>,
) -> Option<(DayRange, Vec<Span>)> {
    let story = stories.iter().find(|s| s.docs.contains(&doc))?;
    let mut hull: Option<DayRange> = None;
    let mut spans = Vec::new();
    for d in story.docs.iter().filter(|&&d| d != doc) {
        if let Some((r, s)) = strong.get(d).filter(|(r, _)| r.is_bounded()) {
            hull = Some(hull.map_or(*r, |h| h.hull(r)));
            spans.extend(s.iter().copied());
        }
    }
    hull.map(|h| (h, spans))
}

/// Intersects the strong pieces, skipping any that would empty the interval.
pub(crate) fn strong_range(evidence: &[DatingEvidence]) -> Option<DayRange> {
    let mut range: Option<DayRange> = None;
    for e in evidence
        .iter()
        .filter(|e| STRONG_RULES.contains(&e.rule.as_str()))
    {
        let r = DayRange::new(e.earliest, e.latest);
        range = match range {
            None => Some(r),
            Some(cur) => Some(cur.intersect(&r).unwrap_or(cur)),
        };
    }
    range
}

fn combine(mut evidence: Vec<DatingEvidence>) -> DateEstimate {
    let mut range = DayRange::ALL;
    for e in &mut evidence {
        match range.intersect(&DayRange::new(e.earliest, e.latest)) {
            Some(r) => range = r,
            None => e.explanation.push_str(NOT_COMBINED),
        }
    }
    DateEstimate {
        earliest: range.earliest(),
        latest: range.latest(),
        evidence,
    }
}

/// Evidence from the article alone (rules 1–3), in order of trust.
pub(crate) fn own_evidence(
    kb: &KnowledgeBase,
    a: &AnalyzedArticle,
    assertions: &[OfficeAssertion],
) -> Vec<DatingEvidence> {
    let mut out = Vec::new();
    out.extend(publication(a));
    out.extend(relative_to_events(kb, a));
    out.extend(office_window(assertions));
    out.extend(ongoing_events(kb, a));
    out
}

fn day_evidence(
    rule: &str,
    explanation: String,
    date: NaiveDate,
    spans: Vec<Span>,
) -> DatingEvidence {
    DatingEvidence {
        rule: rule.into(),
        explanation,
        earliest: Some(date),
        latest: Some(date),
        spans,
    }
}

/// The publication date: from the article's metadata, else the day the claims stage read in
/// its date line or by-line.
fn publication(a: &AnalyzedArticle) -> Option<DatingEvidence> {
    let doc = a.article.id;
    if let Some(p) = &a.article.published {
        let rule = match p.origin {
            MetadataOrigin::Text => "date-line",
            _ => "metadata",
        };
        let source = match p.origin {
            MetadataOrigin::Text => "date line",
            MetadataOrigin::FrontMatter => "front matter",
            MetadataOrigin::MetaTag => "meta tag",
            MetadataOrigin::JsonLd => "JSON-LD",
            MetadataOrigin::TimeElement => "time element",
            MetadataOrigin::Url => "URL",
            MetadataOrigin::Container => "feed or archive record",
            MetadataOrigin::Heading => "heading",
        };
        return Some(day_evidence(
            rule,
            format!(
                "published {} ({source}: “{}”)",
                p.date.format("%Y-%m-%d"),
                p.raw
            ),
            p.date,
            p.evidence.into_iter().collect(),
        ));
    }
    a.claims.iter().find_map(|c| match &c.kind {
        ClaimKind::Time(TimeExpression {
            value: TimeValue::Date { earliest, .. },
            span,
            publication: Some(line),
            ..
        }) if span.doc == doc => Some(match line {
            PublicationLine::DateLine => day_evidence(
                "date-line",
                format!("date line {}", earliest.format("%Y-%m-%d")),
                *earliest,
                vec![*span],
            ),
            PublicationLine::ByLine => day_evidence(
                "by-line",
                format!("by-line date {}", earliest.format("%Y-%m-%d")),
                *earliest,
                vec![*span],
            ),
        }),
        _ => None,
    })
}

const GENERIC_EVENT_WORDS: [&str; 7] = [
    "war",
    "conflict",
    "fighting",
    "campaign",
    "offensive",
    "invasion",
    "hostilities",
];

/// The event a phrase ("the war", "conflict in Gaza") refers to, using the article for
/// context; `None` when it cannot be told.
fn resolve_event<'a>(kb: &'a KnowledgeBase, phrase: &str, article_text: &str) -> Option<&'a Event> {
    let folded = name_key(phrase);
    let specific = kb.events().iter().find(|e| {
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .any(|alias| contains_words(&folded, &name_key(alias)))
    });
    if specific.is_some() {
        return specific;
    }
    if !GENERIC_EVENT_WORDS
        .iter()
        .any(|w| contains_words(&folded, w))
    {
        return None;
    }
    let mut best: Option<(&Event, usize)> = None;
    let mut tie = false;
    for e in kb.events() {
        let score: usize = e
            .context
            .iter()
            .map(|c| article_text.matches(c.as_str()).count())
            .sum();
        if score == 0 {
            continue;
        }
        match best {
            Some((_, s)) if s == score => tie = true,
            Some((_, s)) if s > score => {}
            _ => {
                best = Some((e, score));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(e, _)| e) }
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn relative_evidence(
    event: &Event,
    low: f64,
    high: f64,
    what: &str,
    span: Span,
) -> Option<DatingEvidence> {
    let earliest = add_days(event.start.earliest, low.floor() as i64);
    let latest = if high.is_finite() {
        Some(add_days(event.start.latest, high.ceil() as i64))
    } else {
        None
    };
    if let Some(end) = event.end
        && earliest > end.latest
    {
        return None;
    }
    Some(DatingEvidence {
        rule: "relative-to-event".into(),
        explanation: format!(
            "“{what}” counted from the {} ({}) gives {}",
            event.name,
            event.start,
            DayRange::new(Some(earliest), latest)
        ),
        earliest: Some(earliest),
        latest,
        spans: vec![span],
    })
}

/// Durations counted from a known event: the claims stage's duration claims, each counted
/// from the event its `about` names, else the event its sentence names.
fn relative_to_events(kb: &KnowledgeBase, a: &AnalyzedArticle) -> Vec<DatingEvidence> {
    let text = &a.article.text;
    let doc = a.article.id;
    let mut out: Vec<DatingEvidence> = Vec::new();
    let mut readings: Vec<(TextRange, &Event, f64, f64)> = Vec::new();
    for claim in &a.claims {
        let ClaimKind::Time(t) = &claim.kind else {
            continue;
        };
        let TimeValue::Duration { days } = &t.value else {
            continue;
        };
        if t.span.doc != doc {
            continue;
        }
        let event = t
            .about
            .as_deref()
            .and_then(|about| resolve_event(kb, about, text))
            .or_else(|| resolve_event(kb, a.quote(claim.evidence), text));
        let Some(event) = event else {
            continue;
        };
        let low = if days.low.is_finite() {
            days.low.max(0.0)
        } else {
            0.0
        };
        readings.push((t.span.range(), event, low, days.high));
    }
    readings.sort_by_key(|(r, ..)| *r);
    for (span, event, low, high) in readings {
        let what = text.get(span.start..span.end).unwrap_or("").trim_end();
        if let Some(ev) = relative_evidence(event, low, high, what, Span::new(doc, span)) {
            // The same phrase repeated gives one piece of evidence with every span.
            match out.iter_mut().find(|o| o.explanation == ev.explanation) {
                Some(same) => same.spans.extend(ev.spans),
                None => out.push(ev),
            }
        }
    }
    out
}

/// The days on which every current or former office assertion of the article was true.
fn office_window(assertions: &[OfficeAssertion]) -> Option<DatingEvidence> {
    let used: Vec<&OfficeAssertion> = assertions
        .iter()
        .filter(|x| !x.historical && x.tenure != Tenure::Unspecified && !x.truth.is_empty())
        .collect();
    if used.is_empty() {
        return None;
    }
    let mut window = vec![DayRange::ALL];
    for x in &used {
        let next = intersect_sets(&window, &x.truth);
        if next.is_empty() {
            // Contradictory holders: reported as an inconsistency, not used for dating.
            return None;
        }
        window = next;
    }
    let hull = window.iter().skip(1).fold(window[0], |h, r| h.hull(r));
    let mut names: Vec<String> = used
        .iter()
        .map(|x| {
            let t = match x.tenure {
                Tenure::Former => "former ",
                _ => "",
            };
            format!("{} as {t}{}", x.holder, x.office.title)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    let shown = if names.len() > 4 {
        format!("{} and {} more", names[..4].join(", "), names.len() - 4)
    } else {
        names.join(", ")
    };
    Some(DatingEvidence {
        rule: "office-holders".into(),
        explanation: format!("its office holders ({shown}) were all in place together only {hull}"),
        earliest: hull.earliest(),
        latest: hull.latest(),
        spans: used.iter().map(|x| x.cue).collect(),
    })
}

/// Events that have ended, spoken of in the present tense ("the war cabinet … continues").
///
/// Finding the event's name is linking a knowledge-base name, so it stays here: event names
/// ("war cabinet", "Gaza ceasefire") are common-noun phrases that nlp's mentions (people and
/// organisations) do not cover, so they are matched in the text against the knowledge base's
/// ended-event names. Whether the sentence speaks in the present tense is the claims stage's
/// reading ([`corroborate_claims::implied::speaks_of_now`]).
fn ongoing_events(kb: &KnowledgeBase, a: &AnalyzedArticle) -> Option<DatingEvidence> {
    let (matcher, owners) = kb.ended_event_names.as_ref()?;
    let text = &a.article.text;
    for m in matcher.find_iter(text) {
        let before = text.get(..m.start()).and_then(|t| t.chars().next_back());
        let after = text.get(m.end()..).and_then(|t| t.chars().next());
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let Some(e) = owners
            .get(m.pattern().as_usize())
            .and_then(|&i| kb.events().get(i))
        else {
            continue;
        };
        let sentence = a.quote(Span::new(
            a.article.id,
            crate::link::sentence_at(a, m.start()),
        ));
        if !corroborate_claims::implied::speaks_of_now(sentence) {
            continue;
        }
        let end = e.end?;
        return Some(DatingEvidence {
            rule: "ongoing-event".into(),
            explanation: format!(
                "speaks of the {} in the present tense; it existed {} – {}",
                e.name, e.start, end
            ),
            earliest: Some(e.start.earliest),
            latest: Some(end.latest),
            spans: vec![Span::new(a.article.id, TextRange::new(m.start(), m.end()))],
        });
    }
    None
}

/// Resolves the claims stage's weekday claims to dates when the estimate is a week or less
/// wide: "on Monday" in an article dated 2025-08-04 is the Monday on or before it.
fn weekday_evidence(a: &AnalyzedArticle, estimate: &mut DateEstimate) {
    let (Some(earliest), Some(latest)) = (estimate.earliest, estimate.latest) else {
        return;
    };
    if (latest - earliest).num_days() > 6 {
        return;
    }
    let doc = a.article.id;
    let named: Vec<(u8, Span)> = a
        .claims
        .iter()
        .filter_map(|c| match &c.kind {
            ClaimKind::Time(t) => match t.value {
                TimeValue::Weekday { day } if t.span.doc == doc => Some((day, t.span)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for (day, span) in named.into_iter().take(3) {
        let mut d = latest;
        for _ in 0..7 {
            if d.weekday().number_from_monday() as u8 == day {
                break;
            }
            d = d.pred_opt().unwrap_or(d);
        }
        estimate.evidence.push(DatingEvidence {
            rule: "weekday".into(),
            explanation: format!(
                "“{}” is {} if it falls in the week up to the article's date",
                a.quote(span),
                d.format("%Y-%m-%d")
            ),
            earliest: None,
            latest: None,
            spans: vec![span],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::tests::{analysed, article};
    use corroborate_model::{Claim, Interval, PublishedDate, TimeExpression};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dated(text: &str) -> DateEstimate {
        let kb = KnowledgeBase::starter();
        let mut a = vec![analysed(0, text)];
        date_articles(&kb, &mut a, &[]);
        a.remove(0).dating.unwrap()
    }

    #[test]
    fn a_date_line_dates_the_article_to_the_day() {
        let e = dated("August 4, 2025\nBy Some Writer\nThe letter was sent on Monday.");
        assert_eq!(
            (e.earliest, e.latest),
            (Some(d("2025-08-04")), Some(d("2025-08-04")))
        );
        assert_eq!(e.evidence[0].rule, "date-line");
        assert_eq!(e.evidence[0].spans[0].start, 0);
        let weekday = e.evidence.iter().find(|x| x.rule == "weekday").unwrap();
        assert!(
            weekday.explanation.contains("2025-08-04"),
            "{}",
            weekday.explanation
        );
        let e = dated("By Jane Roe | 12 March 2024\nText.");
        assert_eq!(e.evidence[0].rule, "by-line");
        assert_eq!(e.earliest, Some(d("2024-03-12")));
    }

    #[test]
    fn published_metadata_wins_over_text() {
        let kb = KnowledgeBase::starter();
        let mut a = article(0, "Body without dates.");
        a.article.published = Some(PublishedDate {
            date: d("2025-09-16"),
            origin: MetadataOrigin::MetaTag,
            raw: "2025-09-16T10:00:00Z".into(),
            evidence: None,
        });
        let mut v = vec![a];
        date_articles(&kb, &mut v, &[]);
        let e = v[0].dating.as_ref().unwrap();
        assert_eq!(e.evidence[0].rule, "metadata");
        assert!(e.evidence[0].explanation.contains("meta tag"));
    }

    #[test]
    fn relative_phrases_count_from_the_war_they_name() {
        let e = dated(
            "Hamas attacked Israel and the war in Gaza followed. The prolonged conflict is nearing its 23rd month.",
        );
        assert_eq!(e.evidence[0].rule, "relative-to-event");
        assert_eq!(
            (e.earliest, e.latest),
            (Some(d("2025-07-07")), Some(d("2025-09-07")))
        );
        assert!(
            e.evidence[0].explanation.contains("Gaza war (2023-10-07)"),
            "{}",
            e.evidence[0].explanation
        );
        // "Nearly" two years: 0.9 to 1 times two years, the factors of every "nearly" figure.
        let e = dated("Soldiers are tired after nearly two years of conflict in Gaza.");
        assert_eq!(e.latest, Some(d("2025-10-07")));
        assert_eq!(e.earliest, Some(d("2025-07-25")));
        // A bare count of years into the war: any day of the third year.
        let e = dated("Two years into the war in Gaza, soldiers are tired.");
        assert_eq!(
            (e.earliest, e.latest),
            (Some(d("2025-10-06")), Some(d("2026-10-07")))
        );
        // A generic "war" with no context word in the article cannot be anchored.
        assert!(
            dated("The war is nearing its 23rd month.")
                .evidence
                .is_empty()
        );
    }

    #[test]
    fn duration_claims_from_the_claims_stage_are_used() {
        let kb = KnowledgeBase::starter();
        let text = "The Gaza war has lasted 700 days.";
        let mut a = article(0, text);
        let span = Span::new(0, TextRange::new(24, 32));
        a.claims.push(Claim {
            evidence: Span::new(0, TextRange::new(0, text.len())),
            kind: ClaimKind::Time(TimeExpression {
                value: TimeValue::Duration {
                    days: Interval::exact(700.0),
                },
                about: Some("the gaza war".into()),
                span,
                publication: None,
            }),
        });
        let mut v = vec![a];
        date_articles(&kb, &mut v, &[]);
        let e = v[0].dating.as_ref().unwrap();
        assert_eq!(
            (e.earliest, e.latest),
            (Some(d("2025-09-06")), Some(d("2025-09-06")))
        );
        assert_eq!(e.evidence[0].spans, vec![span]);
    }

    #[test]
    fn office_holders_give_a_window_and_story_dating_is_added() {
        let kb = KnowledgeBase::starter();
        let mut v = vec![
            analysed(
                0,
                "IDF Chief of Staff Herzi Halevi resisted. Defense Minister Yoav Gallant was alarmed. U.S. Secretary of State Antony Blinken warned.",
            ),
            analysed(1, "August 4, 2025\nThe letter was sent."),
        ];
        let stories = [Story {
            id: 0,
            label: "gaza".into(),
            docs: vec![0, 1],
            near_duplicates: vec![],
        }];
        date_articles(&kb, &mut v, &stories);
        let e = v[0].dating.as_ref().unwrap();
        assert_eq!(e.evidence[0].rule, "office-holders");
        assert_eq!(
            (e.earliest, e.latest),
            (Some(d("2023-01-16")), Some(d("2024-11-05")))
        );
        assert_eq!(e.evidence[1].rule, "story");
        assert!(
            e.evidence[1].explanation.ends_with("not combined"),
            "{}",
            e.evidence[1].explanation
        );
    }

    #[test]
    fn an_ended_event_in_the_present_tense_bounds_the_date() {
        let e = dated("Members of the war cabinet are said to be alarmed.");
        assert_eq!(e.evidence[0].rule, "ongoing-event");
        assert_eq!(e.latest, Some(d("2024-06-17")));
        assert!(
            dated("In 2023, the war cabinet was formed.")
                .evidence
                .is_empty()
        );
    }

    #[test]
    fn no_evidence_leaves_the_date_open() {
        let e = dated("Nothing here says when.");
        assert_eq!((e.earliest, e.latest), (None, None));
        assert!(e.evidence.is_empty());
    }
}
