//! Time claims: calendar dates, weekdays and durations.
//!
//! - Dates: "August 4, 2025", "Nov. 10, 2024", "4 August 2025", "2025-08-04" (one day);
//!   "October 2023" (the month); "in 2023" (the year). A day and month without a year
//!   ("Nov. 10") is kept only when the article's publication date gives the year: the latest
//!   such day not more than 31 days after publication.
//! - Weekdays: "Monday", "on Tuesday".
//! - The date line: when the article's metadata gives no publication date, the first day
//!   written in a date line ("Updated: Mon 4 August 2025 10:00 EST") or by-line ("By Jane Roe
//!   | 12 March 2024") among its first six lines is marked with [`PublicationLine`].
//! - Durations, in days: "nearly two years" (⇒ [0.9, 1] × 730.5), "18 months", "a two-year
//!   war", and ordinals "its 23rd month" (⇒ between 22 and 23 months; "nearing its 23rd
//!   month" ⇒ between 21 and 23). A bare count of time elapsed ("two years *into* the war",
//!   words in `elapsed_links`) is a whole number of units passed: [2, 3) years. Durations are
//!   time claims only, never quantities, so each is reported once. This is the one duration
//!   reader: the knowledge base dates articles from these claims.
//!
//! `about` is what the date or duration refers to: "two years *of conflict*", the noun before
//! "its" ("*the prolonged conflict* that is nearing its 23rd month"), an event noun next to a
//! date ("the October 7, 2023, *attack*", "*the Hamas-led attack* on October 7, 2023").

use crate::lexicon::{CUES, NUMBERS};
use crate::number::{figure_at, modifier_at, ordinal_at, parse_digits};
use crate::text::{Doc, Kind, Sentence};
use chrono::{Datelike, Days, NaiveDate};
use corroborate_model::{Claim, ClaimKind, Interval, PublicationLine, TimeExpression, TimeValue};
use once_cell::sync::Lazy;
use regex::Regex;

/// Appends time claims to `out`.
pub(crate) fn extract(doc: &Doc, out: &mut Vec<Claim>) {
    let first = out.len();
    for s in &doc.sentences {
        let mut i = s.tokens.start;
        while i < s.tokens.end {
            let calendar_word = doc.is_capitalised(i)
                && (NUMBERS.months.contains_key(doc.lower(i))
                    || NUMBERS.weekdays.contains_key(doc.lower(i)));
            if let Some((expression, next)) = relative_at(doc, s, i) {
                out.push(Claim {
                    evidence: doc.span(s.range.start, s.range.end),
                    kind: ClaimKind::Time(expression),
                });
                i = next;
                continue;
            }
            if !(doc.is_numeric(i) || calendar_word) {
                i += 1;
                continue;
            }
            let found = date_at(doc, s, i)
                .or_else(|| weekday_at(doc, i))
                .or_else(|| duration_at(doc, s, i));
            match found {
                Some((expression, next)) => {
                    out.push(Claim {
                        evidence: doc.span(s.range.start, s.range.end),
                        kind: ClaimKind::Time(expression),
                    });
                    i = next.max(i + 1);
                }
                None => i += 1,
            }
        }
    }
    if doc.published.is_none() {
        mark_publication(doc, &mut out[first..]);
    }
}

/// A line that is only a date, perhaps with a weekday, a time or "Published" before it.
static DATE_LINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:published|updated|posted|first published)(?:\s+on)?:?\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?[\w .,-]{6,30}?(?:\s+(?:at\s+)?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$")
        .expect("valid regex")
});

/// Marks the first day written in a date line or by-line among the article's first six lines
/// (the header, or its first 600 bytes) as its publication date ([`PublicationLine`]).
fn mark_publication(doc: &Doc, times: &mut [Claim]) {
    let text = doc.text;
    let head_end = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| i >= 600)
        .unwrap_or(text.len())
        .max(doc.body_start.min(text.len()));
    let mut offset = 0;
    for line in text
        .get(..head_end)
        .unwrap_or("")
        .split_inclusive('\n')
        .take(6)
    {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        let end = start + trimmed.len();
        let Some(time) = times.iter_mut().find_map(|c| match &mut c.kind {
            ClaimKind::Time(t)
                if (start..end).contains(&t.span.start)
                    && matches!(t.value, TimeValue::Date { earliest, latest } if earliest == latest) =>
            {
                Some(t)
            }
            _ => None,
        }) else {
            continue;
        };
        let lower = trimmed.to_lowercase();
        if lower.starts_with("by ") || lower.contains(" | ") && lower.contains("by ") {
            time.publication = Some(PublicationLine::ByLine);
            return;
        }
        if DATE_LINE.is_match(trimmed) && trimmed.len() <= 60 {
            time.publication = Some(PublicationLine::DateLine);
            return;
        }
    }
}

fn month_at(doc: &Doc, s: &Sentence, i: usize) -> Option<(u32, usize)> {
    if i >= s.tokens.end || !doc.is_capitalised(i) {
        return None;
    }
    let month = *NUMBERS.months.get(doc.lower(i))?;
    let next = if i + 1 < s.tokens.end && doc.word(i + 1) == "." {
        i + 2
    } else {
        i + 1
    };
    Some((month, next))
}

fn plain_number(doc: &Doc, s: &Sentence, i: usize) -> Option<u32> {
    if i >= s.tokens.end || doc.kind(i) != Kind::Number {
        return None;
    }
    let (v, None, suffix) = parse_digits(doc.lower(i))? else {
        return None;
    };
    (matches!(suffix, "" | "st" | "nd" | "rd" | "th")
        && v.fract() == 0.0
        && (0.0..10_000.0).contains(&v))
    .then_some(v as u32)
}

fn year_at(doc: &Doc, s: &Sentence, i: usize) -> Option<i32> {
    let w = doc.tokens.get(i).map(|_| doc.lower(i))?;
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| plain_number(doc, s, i))
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
        .map(|y| y as i32)
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A day and month without a year, placed in the year the publication date implies.
fn infer_year(doc: &Doc, month: u32, day: u32) -> Option<NaiveDate> {
    let published = doc.published?;
    let limit = published.checked_add_days(Days::new(31))?;
    [published.year(), published.year() - 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d <= limit)
}

fn date_at(doc: &Doc, s: &Sentence, i: usize) -> Option<(TimeExpression, usize)> {
    let end = s.tokens.end;
    let (earliest, latest, next) = if let Some((month, j)) = month_at(doc, s, i) {
        if let Some(day) = plain_number(doc, s, j).filter(|d| (1..=31).contains(d)) {
            let mut k = j + 1;
            if k < end && doc.word(k) == "," {
                k += 1;
            }
            match year_at(doc, s, k) {
                Some(year) => {
                    let d = NaiveDate::from_ymd_opt(year, month, day)?;
                    (d, d, k + 1)
                }
                None => {
                    let d = infer_year(doc, month, day)?;
                    (d, d, j + 1)
                }
            }
        } else if let Some(year) = year_at(doc, s, j) {
            (
                NaiveDate::from_ymd_opt(year, month, 1)?,
                last_day(year, month)?,
                j + 1,
            )
        } else {
            return None;
        }
    } else if let Some(day) = plain_number(doc, s, i).filter(|d| (1..=31).contains(d))
        && let Some((month, j)) = month_at(doc, s, i + 1)
    {
        match year_at(doc, s, j) {
            Some(year) => {
                let d = NaiveDate::from_ymd_opt(year, month, day)?;
                (d, d, j + 1)
            }
            None => {
                let d = infer_year(doc, month, day)?;
                (d, d, j)
            }
        }
    } else if doc.kind(i) == Kind::Number && doc.lower(i).len() == 10 {
        let w = doc.lower(i);
        let d = NaiveDate::parse_from_str(w, "%Y-%m-%d").ok()?;
        (d, d, i + 1)
    } else if i > s.tokens.start
        && matches!(
            doc.lower(i - 1),
            "in" | "since" | "by" | "until" | "during" | "from" | "of" | "early" | "late" | "mid"
        )
        && let Some(year) = year_at(doc, s, i)
    {
        (
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
            i + 1,
        )
    } else {
        return None;
    };
    let span = doc.token_span(i, next);
    Some((
        TimeExpression {
            value: TimeValue::Date { earliest, latest },
            about: event_about(doc, s, i, next),
            span,
            publication: None,
        },
        next,
    ))
}

/// An event noun right after the date ("October 2023 Hamas attack") or before it
/// ("the Hamas-led attack on October 7, 2023").
fn event_about(doc: &Doc, s: &Sentence, start: usize, next: usize) -> Option<String> {
    let end = s.tokens.end;
    let mut j = next;
    if j < end && doc.word(j) == "," {
        j += 1;
    }
    if let Some(noun) = (j..end.min(j + 3))
        .take_while(|&k| doc.kind(k) == Kind::Word)
        .find(|&k| CUES.event_nouns.contains(doc.lower(k)))
    {
        return Some(doc.slice(doc.start(j), doc.end(noun)).to_lowercase());
    }
    let prep = start.checked_sub(1).filter(|&p| p >= s.tokens.start)?;
    if !matches!(doc.lower(prep), "on" | "in" | "of" | "since") {
        return None;
    }
    let noun = prep.checked_sub(1).filter(|&n| n >= s.tokens.start)?;
    if !CUES.event_nouns.contains(doc.lower(noun)) {
        return None;
    }
    let first = (noun.saturating_sub(3).max(s.tokens.start)..noun)
        .find(|&k| matches!(doc.lower(k), "the" | "a" | "an" | "this" | "that"))
        .unwrap_or(noun);
    Some(doc.slice(doc.start(first), doc.end(noun)).to_lowercase())
}

/// A time said relative to the day of publication ("yesterday", "last week", "earlier this
/// month"), as the days it can denote given the article's publication date. Without one it
/// dates nothing. Ranges are generous (news writing uses "last week" for any of the past
/// dozen days), so that two expressions only disagree when no reading makes them agree.
fn relative_at(doc: &Doc, s: &Sentence, i: usize) -> Option<(TimeExpression, usize)> {
    let published = doc.published?;
    let end = s.tokens.end;
    let word = |k: usize| (k < end && doc.kind(k) == Kind::Word).then(|| doc.lower(k));
    let days_before = |n: u64| published.checked_sub_days(Days::new(n));
    let month_start = |d: NaiveDate| d.with_day(1);
    let (earliest, latest, next) = match (word(i)?, word(i + 1), word(i + 2)) {
        ("yesterday", ..) => (days_before(1)?, days_before(1)?, i + 1),
        ("today" | "tonight", ..) => (published, published, i + 1),
        ("last", Some("night"), _) => (days_before(1)?, published, i + 2),
        ("this", Some("morning" | "afternoon" | "evening"), _) => (published, published, i + 2),
        ("last", Some("week"), _) => (days_before(14)?, days_before(1)?, i + 2),
        ("earlier", Some("this"), Some("week")) | ("this", Some("week"), _) => {
            let back = u64::from(published.weekday().num_days_from_monday());
            let next = if doc.lower(i) == "this" { i + 2 } else { i + 3 };
            (days_before(back)?, published, next)
        }
        ("last", Some("month"), _) => {
            let previous = month_start(published)?.pred_opt()?;
            (month_start(previous)?, previous, i + 2)
        }
        ("earlier", Some("this"), Some("month")) => (month_start(published)?, published, i + 3),
        _ => return None,
    };
    Some((
        TimeExpression {
            value: TimeValue::Date { earliest, latest },
            about: None,
            span: doc.token_span(i, next),
            publication: None,
        },
        next,
    ))
}

fn weekday_at(doc: &Doc, i: usize) -> Option<(TimeExpression, usize)> {
    if !doc.is_capitalised(i) {
        return None;
    }
    let day = *NUMBERS.weekdays.get(doc.lower(i))?;
    Some((
        TimeExpression {
            value: TimeValue::Weekday { day },
            about: None,
            span: doc.token_span(i, i + 1),
            publication: None,
        },
        i + 1,
    ))
}

/// Length of a unit word in days ("years", "two-year" → its unit part).
fn unit_days(word: &str) -> Option<f64> {
    NUMBERS.durations.get(word).copied()
}

fn duration_at(doc: &Doc, s: &Sentence, i: usize) -> Option<(TimeExpression, usize)> {
    let end = s.tokens.end;
    let (modifier, j) = match modifier_at(doc, i, end) {
        Some((m, j)) if !m.range => (Some(m), j),
        _ => (None, i),
    };
    let (low, high, unit_token, next) = if let Some(n) = ordinal_at(doc, j)
        && j + 1 < end
        && let Some(days) = unit_days(doc.lower(j + 1))
    {
        let reached = if approached(doc, s, j) { 2.0 } else { 1.0 };
        ((n - reached).max(0.0) * days, n * days, j + 1, j + 2)
    } else if doc.tokens.get(j).is_some_and(|t| t.kind == Kind::Word)
        && let Some((number, unit)) = doc.lower(j).split_once('-')
        && let Some(days) = unit_days(unit)
    {
        let value = *NUMBERS
            .units
            .get(number)
            .or_else(|| NUMBERS.tens.get(number))?;
        (value * days, value * days, j, j + 1)
    } else {
        let fig = figure_at(doc, j, end).filter(|f| !f.vague)?;
        let mut k = fig.next;
        if k < end && doc.word(k) == "-" {
            k += 1;
        }
        let days = unit_days(doc.lower(k).split('-').next().unwrap_or_default())?;
        if doc.lower(k).ends_with("-old") || (k + 1 < end && doc.lower(k + 1) == "ago") {
            return None;
        }
        let elapsed =
            modifier.is_none() && k + 1 < end && NUMBERS.elapsed_links.contains(doc.lower(k + 1));
        let whole_units = if elapsed { days } else { 0.0 };
        (fig.low * days, fig.high * days + whole_units, k, k + 1)
    };
    let value = match modifier {
        Some(m) => Interval::between(
            if m.low.is_infinite() {
                m.low
            } else {
                low * m.low
            },
            if m.high.is_infinite() {
                m.high
            } else {
                high * m.high
            },
        ),
        None => Interval::between(low, high),
    };
    Some((
        TimeExpression {
            value: TimeValue::Duration { days: value },
            about: duration_about(doc, s, i, unit_token, next),
            span: doc.token_span(i, next),
            publication: None,
        },
        next,
    ))
}

/// True when an approach verb ("nearing") comes before the ordinal at `j`, over "its",
/// "their" or "the".
fn approached(doc: &Doc, s: &Sentence, j: usize) -> bool {
    let mut k = j;
    while k > s.tokens.start && matches!(doc.lower(k - 1), "its" | "their" | "the") {
        k -= 1;
    }
    k > s.tokens.start && NUMBERS.duration_approach_verbs.contains(doc.lower(k - 1))
}

/// What a duration measures: "of conflict" after it, an event noun right after a compound
/// ("two-year war"), or the noun phrase "its" refers to.
fn duration_about(
    doc: &Doc,
    s: &Sentence,
    start: usize,
    unit: usize,
    next: usize,
) -> Option<String> {
    let end = s.tokens.end;
    if next < end && doc.lower(next) == "of" {
        let first = next + 1;
        let mut k = first;
        while k < end
            && k - first < 4
            && doc.kind(k) == Kind::Word
            && !crate::lexicon::NUMBERS.counted_stops.contains(doc.lower(k))
        {
            k += 1;
        }
        if k > first {
            return Some(doc.slice(doc.start(first), doc.end(k - 1)).to_lowercase());
        }
    }
    if unit == next - 1
        && doc.lower(unit).contains('-')
        && next < end
        && CUES.event_nouns.contains(doc.lower(next))
    {
        return Some(doc.lower(next).to_string());
    }
    let its = start.checked_sub(1).filter(|&p| p >= s.tokens.start)?;
    if !matches!(doc.lower(its), "its" | "their") {
        return None;
    }
    let mut k = its;
    while k > s.tokens.start && CUES.duration_links.contains(doc.lower(k - 1)) {
        k -= 1;
    }
    let noun = k
        .checked_sub(1)
        .filter(|&n| n >= s.tokens.start && doc.kind(n) == Kind::Word)?;
    let first = (noun.saturating_sub(4).max(s.tokens.start)..noun)
        .rev()
        .find(|&d| matches!(doc.lower(d), "the" | "this" | "a" | "an"))
        .unwrap_or(noun);
    Some(doc.slice(doc.start(first), doc.end(noun)).to_lowercase())
}

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use chrono::NaiveDate;
    use corroborate_model::{ClaimKind, MetadataOrigin, PublishedDate, TimeExpression, TimeValue};

    fn times_published(
        text: &str,
        published: Option<NaiveDate>,
    ) -> Vec<(String, TimeValue, Option<String>)> {
        let mut doc = article(text, &[]);
        doc.article.published = published.map(|date| PublishedDate {
            date,
            origin: MetadataOrigin::FrontMatter,
            raw: date.to_string(),
            evidence: None,
        });
        let found: Vec<TimeExpression> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::Time(t) => Some(t),
            _ => None,
        });
        found
            .into_iter()
            .map(|t| (doc.quote(t.span).to_string(), t.value, t.about))
            .collect()
    }

    #[test]
    fn times_relative_to_publication() {
        // Friday 17 June 2011.
        let found = times_published(
            "The board warned last week that funds run out. Figures issued last month agree. \
             The vote came yesterday, after talks earlier this week.",
            Some(day(2011, 6, 17)),
        );
        let dated = |written: &str| {
            found
                .iter()
                .find(|(w, ..)| w == written)
                .map(|(_, v, _)| v.clone())
                .unwrap_or_else(|| panic!("{written} not found in {found:?}"))
        };
        let range = |a: NaiveDate, b: NaiveDate| TimeValue::Date {
            earliest: a,
            latest: b,
        };
        assert_eq!(dated("last week"), range(day(2011, 6, 3), day(2011, 6, 16)));
        assert_eq!(
            dated("last month"),
            range(day(2011, 5, 1), day(2011, 5, 31))
        );
        assert_eq!(
            dated("yesterday"),
            range(day(2011, 6, 16), day(2011, 6, 16))
        );
        assert_eq!(
            dated("earlier this week"),
            range(day(2011, 6, 13), day(2011, 6, 17))
        );
        // Without a publication date nothing is dated.
        assert!(times("The board warned last week that funds run out.").is_empty());
    }

    fn times(text: &str) -> Vec<(String, TimeValue, Option<String>)> {
        times_published(text, None)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn full_dates_months_and_events() {
        let found = times(
            "August 4, 2025\nIt followed the deadly October 7, 2023, attack by Hamas. War Triggered by October 2023 Hamas Attack",
        );
        assert_eq!(
            found[0].1,
            TimeValue::Date {
                earliest: day(2025, 8, 4),
                latest: day(2025, 8, 4)
            }
        );
        assert_eq!(found[1].0, "October 7, 2023");
        assert_eq!(found[1].2.as_deref(), Some("attack"));
        assert_eq!(
            found[2].1,
            TimeValue::Date {
                earliest: day(2023, 10, 1),
                latest: day(2023, 10, 31)
            }
        );
        assert_eq!(found[2].2.as_deref(), Some("hamas attack"));
    }

    #[test]
    fn day_without_year_needs_a_publication_date() {
        assert!(times("Talks resume Nov. 10 in Cairo.").is_empty());
        let found = times_published("Talks resume Nov. 10 in Cairo.", Some(day(2026, 1, 5)));
        assert_eq!(found[0].0, "Nov. 10");
        assert_eq!(
            found[0].1,
            TimeValue::Date {
                earliest: day(2025, 11, 10),
                latest: day(2025, 11, 10)
            }
        );
    }

    #[test]
    fn weekdays() {
        let found = times("In a televised address on Tuesday, he spoke. Monday was calm.");
        let days: Vec<_> = found.iter().map(|t| t.1.clone()).collect();
        assert_eq!(
            days,
            [TimeValue::Weekday { day: 2 }, TimeValue::Weekday { day: 1 }]
        );
    }

    #[test]
    fn durations_with_what_they_measure() {
        let found = times(
            "Talks stalled in the long dispute that is nearing its 23rd month. Fatigue grew after nearly two years of conflict on the docks.",
        );
        let TimeValue::Duration { days } = found[0].1 else {
            panic!("{found:?}")
        };
        // "Nearing" its 23rd month: 21 to 23 months in.
        assert!(
            (days.low - 21.0 * 30.436875).abs() < 1e-6
                && (days.high - 23.0 * 30.436875).abs() < 1e-6
        );
        assert_eq!(found[0].2.as_deref(), Some("the long dispute"));
        let TimeValue::Duration { days } = found[1].1 else {
            panic!("{found:?}")
        };
        assert!(days.low < 730.0 && days.high > 730.0 && days.high <= 730.485 + 1e-9);
        assert_eq!(found[1].0, "nearly two years");
        assert_eq!(found[1].2.as_deref(), Some("conflict"));
    }

    #[test]
    fn ordinals_and_bare_counts_of_elapsed_time_are_ranges() {
        let found = times(
            "The strike is in its 3rd week. Two years into the dispute, talks resumed. It lasted 40 days.",
        );
        let days: Vec<(f64, f64)> = found
            .iter()
            .filter_map(|t| match t.1 {
                TimeValue::Duration { days } => Some((days.low, days.high)),
                _ => None,
            })
            .collect();
        assert_eq!(days, [(14.0, 21.0), (730.485, 1095.7275), (40.0, 40.0)]);
    }

    #[test]
    fn ages_and_relative_times_are_not_durations() {
        assert!(times("A 23-year-old soldier left two years ago.").is_empty());
    }
}
