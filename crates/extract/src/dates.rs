//! Dates as they are written on a line of their own or in metadata: "August 4, 2025",
//! "Aug. 4, 2025", "Monday, August 4, 2025", "4 August 2025", "2025-08-04", "2025-08-04T10:00Z".
//!
//! chrono parses each candidate format; the list of formats is ours. A general date parser
//! (`dateparser`) was not used because it fills missing times with the wall clock and rejects
//! "4 August 2025".

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;

/// Month names and abbreviations in several languages (data/months.tsv), lower case.
static MONTHS: Lazy<HashMap<String, u32>> = Lazy::new(|| {
    let mut months = HashMap::new();
    for line in include_str!("../data/months.tsv").lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let Some(number) = fields.next().and_then(|n| n.trim().parse::<u32>().ok()) else {
            continue;
        };
        for name in fields {
            months.insert(name.trim().to_lowercase(), number);
        }
    }
    months
});

/// Numeric dates (`2020-04-17`, `2020/04/17`, `17.04.2020`) and dates with a month name, day
/// first (`17 April 2020`, `17 de abril de 2020`, `17. April 2020`) or month first
/// (`April 17, 2020`).
static DATE_IN_TEXT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?xi)
        (?-u:\b)(?P<y1>(?:19|20)\d{2})[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?-u:\b)
        | (?-u:\b)(?P<d2>0?[1-9]|[12]\d|3[01])[./](?P<m2>0?[1-9]|1[0-2])[./](?P<y2>(?:19|20)\d{2})(?-u:\b)
        | (?-u:\b)(?P<d3>[1-9]|[12]\d|3[01]|0[1-9])(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<m3>\p{L}{3,10})\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d{2})(?-u:\b)
        | (?-u:\b)(?P<m4>\p{L}{3,10})\.?\s+(?P<d4>[1-9]|[12]\d|3[01]|0[1-9])(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{2})(?-u:\b)",
    )
    .unwrap_or_else(|e| panic!("date-in-text pattern: {e}"))
});

/// Every date written in `text`, in order, with the text it was read from.
pub fn dates_in(text: &str) -> impl Iterator<Item = (NaiveDate, &str)> {
    DATE_IN_TEXT.captures_iter(text).filter_map(|caps| {
        let num = |name: &str| caps.name(name)?.as_str().parse::<u32>().ok();
        let month = |name: &str| {
            let word = caps.name(name)?.as_str().to_lowercase();
            MONTHS.get(&word).copied()
        };
        let (y, m, d) = if let Some(y) = num("y1") {
            (y, num("m1")?, num("d1")?)
        } else if let Some(y) = num("y2") {
            (y, num("m2")?, num("d2")?)
        } else if let Some(y) = num("y3") {
            (y, month("m3")?, num("d3")?)
        } else {
            (num("y4")?, month("m4")?, num("d4")?)
        };
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        Some((date, caps.get(0)?.as_str()))
    })
}

/// Formats tried in order, after punctuation is normalised (periods after abbreviations removed,
/// "Sept" shortened to "Sep").
const FORMATS: &[&str] = &[
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
];

/// Parses a whole line (or metadata value) as a calendar date; `None` if it is anything else.
pub fn parse_date_line(line: &str) -> Option<NaiveDate> {
    let line = line.trim();
    if line.len() > 64 {
        return None;
    }
    // ISO timestamps: keep the date part.
    if let Some(date) = line
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|_| line.len() == 10 || line[10..].starts_with(['T', ' ']))
    {
        return Some(date);
    }
    let mut cleaned = line.replace('.', "").replace("Sept ", "Sep ");
    // Drop a leading weekday ("Monday, August 4, 2025").
    if let Some((first, rest)) = cleaned.split_once(", ")
        && is_weekday(first)
    {
        cleaned = rest.to_string();
    }
    // Drop a trailing time ("August 4, 2025 10:32 am") by keeping the first three words.
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let candidate = words.iter().take(3).copied().collect::<Vec<_>>().join(" ");
    let candidate = candidate.trim_end_matches(',');
    FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(candidate, f).ok())
        .filter(|_| words.len() <= 3 || looks_like_time(&words[3..]))
}

/// Parses a date value from metadata (JSON-LD, meta tags, `<time datetime>`, feeds, records):
/// ISO 8601 with or without time (the date as written, in the writer's time zone), RFC 2822,
/// compact `YYYYMMDD`, or anything [`parse_date_line`] reads.
pub fn parse_datetime(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.len() > 80 {
        return None;
    }
    if let Some(head) = value.get(..10) {
        let head = head.replace('/', "-");
        if let Ok(date) = NaiveDate::parse_from_str(&head, "%Y-%m-%d") {
            return Some(date);
        }
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(value) {
        return Some(dt.date_naive());
    }
    if value.len() >= 8 && value.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        let rest_ok = value.len() == 8 || value[8..].starts_with(['T', ' ']);
        if rest_ok && let Ok(date) = NaiveDate::parse_from_str(&value[..8], "%Y%m%d") {
            return Some(date);
        }
    }
    parse_date_line(value).or_else(|| dates_in(value).next().map(|(date, _)| date))
}

fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let w = word.to_ascii_lowercase();
    DAYS.iter().any(|d| *d == w || d[..3] == w)
}

fn looks_like_time(words: &[&str]) -> bool {
    words.len() <= 3 && words[0].contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn news_date_lines_parse() {
        assert_eq!(parse_date_line("August 4, 2025"), d(2025, 8, 4));
        assert_eq!(parse_date_line("Aug. 4, 2025"), d(2025, 8, 4));
        assert_eq!(parse_date_line("Sept. 14, 2025"), d(2025, 9, 14));
        assert_eq!(parse_date_line("Monday, August 4, 2025"), d(2025, 8, 4));
        assert_eq!(parse_date_line("4 August 2025"), d(2025, 8, 4));
        assert_eq!(parse_date_line("2025-08-04"), d(2025, 8, 4));
        assert_eq!(parse_date_line("2025-08-04T09:30:00Z"), d(2025, 8, 4));
        assert_eq!(parse_date_line("August 4, 2025 10:32 am"), d(2025, 8, 4));
    }

    #[test]
    fn metadata_values_parse() {
        assert_eq!(parse_datetime("2024-03-01T23:30:00-05:00"), d(2024, 3, 1));
        assert_eq!(parse_datetime("2024/03/01 10:00"), d(2024, 3, 1));
        assert_eq!(
            parse_datetime("Tue, 04 Mar 2025 10:00:00 GMT"),
            d(2025, 3, 4)
        );
        assert_eq!(parse_datetime("20250304"), d(2025, 3, 4));
        assert_eq!(parse_datetime("March 4, 2025"), d(2025, 3, 4));
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_datetime("1234567890123"), None);
    }

    #[test]
    fn dates_are_found_inside_text_in_several_languages() {
        let found = |t: &str| dates_in(t).map(|(d, _)| d).collect::<Vec<_>>();
        assert_eq!(
            found("martes 17 de marzo de 2020"),
            vec![d(2020, 3, 17).unwrap()]
        );
        assert_eq!(
            found("20 septembrie 2020 16:20"),
            vec![d(2020, 9, 20).unwrap()]
        );
        assert_eq!(
            found("Posted March 11, 2020 and 14. Januar 2020"),
            vec![d(2020, 3, 11).unwrap(), d(2020, 1, 14).unwrap()]
        );
        assert_eq!(
            found("on 17.04.2020 and 2020/04/18"),
            vec![d(2020, 4, 17).unwrap(), d(2020, 4, 18).unwrap()]
        );
        assert_eq!(
            parse_datetime("04:25:06 PM IST Apr 08, 2020"),
            d(2020, 4, 8)
        );
        assert!(found("Chapter 12 of 2020 rules").is_empty());
    }

    #[test]
    fn sentences_and_impossible_dates_do_not_parse() {
        assert_eq!(parse_date_line("August 4, 2025, was a hot day."), None);
        assert_eq!(parse_date_line("February 30, 2025"), None);
        assert_eq!(parse_date_line("The war began in 2023"), None);
        assert_eq!(parse_date_line("2025-08-04x"), None);
        assert_eq!(parse_date_line(""), None);
    }
}
