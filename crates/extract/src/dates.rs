//! Dates as they are written on a line of their own or in metadata: "August 4, 2025",
//! "Aug. 4, 2025", "Monday, August 4, 2025", "4 August 2025", "2025-08-04", "2025-08-04T10:00Z".
//!
//! chrono parses each candidate format; the list of formats is ours. A general date parser
//! (`dateparser`) was not used because it fills missing times with the wall clock and rejects
//! "4 August 2025".

use chrono::{NaiveDate, NaiveDateTime};
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

/// Numeric dates (`2020-04-17`, `2020/04/17`, `17.04.2020`), dates with a month name, day
/// first (`17 April 2020`, `17 de abril de 2020`, `17 d'abril de 2020`, `17. April 2020`) or
/// month first (`April 17, 2020`), and the year-month-day form of Chinese, Japanese and Korean
/// (`2020年4月17日`, `2020년 4월 17일`), whose unit characters make it unambiguous.
static DATE_IN_TEXT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?xi)
        (?-u:\b)(?P<y1>(?:19|20)\d{2})[-/.](?P<m1>0?[1-9]|1[0-2])[-/.](?P<d1>0?[1-9]|[12]\d|3[01])(?-u:\b)
        | (?-u:\b)(?P<d2>0?[1-9]|[12]\d|3[01])[./](?P<m2>0?[1-9]|1[0-2])[./](?P<y2>(?:19|20)\d{2})(?-u:\b)
        | (?-u:\b)(?P<d3>[1-9]|[12]\d|3[01]|0[1-9])(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+|d['’])?(?P<m3>\p{L}{3,12})\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d{2})(?-u:\b)
        | (?-u:\b)(?P<m4>\p{L}{3,12})\.?\s+(?P<d4>[1-9]|[12]\d|3[01]|0[1-9])(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{2})(?-u:\b)
        | (?P<y5>(?:19|20)\d{2})\s?[年년]\s?(?P<m5>0?[1-9]|1[0-2])\s?[月월]\s?(?P<d5>0?[1-9]|[12]\d|3[01])\s?[日일]",
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
        } else if let Some(y) = num("y5") {
            (y, num("m5")?, num("d5")?)
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

static UTC_TIMESTAMP: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?x)^((?:19|20)\d{2})-?(\d{2})-?(\d{2})[T\ ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?
        \s*(?:Z|[+-]00(?::?00)?|UTC|GMT)$",
    )
    .unwrap_or_else(|e| panic!("UTC timestamp pattern: {e}"))
});

/// The instant a metadata timestamp states, when it has a time of day and says it is in UTC
/// (`2020-03-01T23:15:00Z`, `+00:00`, `20200301T23:15Z`, RFC 2822 with `GMT` or `+0000`).
/// Such a timestamp is the server's clock: its date part is the publisher's calendar day only
/// if the publisher is in UTC. Timestamps with another offset, or with no offset, already
/// carry the writer's own day and give `None`.
pub fn utc_instant(value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    if value.len() > 40 {
        return None;
    }
    if let Some(caps) = UTC_TIMESTAMP.captures(value) {
        let n = |i: usize| {
            caps.get(i)
                .map_or(Some(0), |m| m.as_str().parse::<u32>().ok())
        };
        let date = NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)?;
        return date.and_hms_opt(n(4)?, n(5)?, n(6)?);
    }
    chrono::DateTime::parse_from_rfc2822(value)
        .ok()
        .filter(|dt| dt.offset().local_minus_utc() == 0)
        .map(|dt| dt.naive_utc())
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
    fn cjk_and_non_latin_month_names_are_read() {
        let first = |t: &str| dates_in(t).map(|(d, _)| d).next();
        assert_eq!(first("投稿日 2021年3月5日 (金)"), d(2021, 3, 5));
        assert_eq!(first("2021年03月05日"), d(2021, 3, 5));
        assert_eq!(first("작성 2021년 3월 5일"), d(2021, 3, 5));
        assert_eq!(first("2021年13月05日"), None);
        assert_eq!(first("Опубликовано 5 марта 2021 г."), d(2021, 3, 5));
        assert_eq!(first("оновлено 17 вересня 2021"), d(2021, 9, 17));
        assert_eq!(first("القاهرة: الجمعة، 05 مارس 2021"), d(2021, 3, 5));
        assert_eq!(first("publicat el 5 d'abril de 2021"), d(2021, 4, 5));
        assert_eq!(first("dne 5. října 2021"), d(2021, 10, 5));
        assert_eq!(first("Rabu, 5 Agustus 2021"), d(2021, 8, 5));
        assert_eq!(first("5 października 2021"), d(2021, 10, 5));
    }

    #[test]
    fn only_timestamps_stated_in_utc_are_instants() {
        let at = |y, m, day, h, min, s| d(y, m, day).and_then(|x| x.and_hms_opt(h, min, s));
        assert_eq!(
            utc_instant("2021-03-05T23:15:00Z"),
            at(2021, 3, 5, 23, 15, 0)
        );
        assert_eq!(
            utc_instant("2021-03-05T23:15:0Z"),
            at(2021, 3, 5, 23, 15, 0)
        );
        assert_eq!(
            utc_instant("2021-03-05T00:40:09.120Z"),
            at(2021, 3, 5, 0, 40, 9)
        );
        assert_eq!(
            utc_instant("2021-03-05T23:15:00+00:00"),
            at(2021, 3, 5, 23, 15, 0)
        );
        assert_eq!(utc_instant("20210305T01:02:03Z"), at(2021, 3, 5, 1, 2, 3));
        assert_eq!(
            utc_instant("Fri, 05 Mar 2021 23:15:00 GMT"),
            at(2021, 3, 5, 23, 15, 0)
        );
        assert_eq!(utc_instant("2021-03-05T23:15:00+01:00"), None);
        assert_eq!(utc_instant("2021-03-05T23:15:00"), None);
        assert_eq!(utc_instant("2021-03-05"), None);
        assert_eq!(utc_instant("2021-03-05T25:15:00Z"), None);
        assert_eq!(utc_instant("Fri, 05 Mar 2021 23:15:00 +0100"), None);
    }

    #[test]
    fn month_table_has_no_name_for_two_months() {
        let mut seen: HashMap<String, String> = HashMap::new();
        for line in include_str!("../data/months.tsv").lines() {
            let mut fields = line.split('\t');
            let number = fields.next().unwrap_or_default();
            if number.starts_with('#') {
                continue;
            }
            for name in fields {
                let before = seen.insert(name.trim().to_lowercase(), number.to_string());
                assert!(
                    before.as_deref().is_none_or(|b| b == number),
                    "{name} is listed for months {before:?} and {number}"
                );
            }
        }
        assert_eq!(MONTHS.get("марта"), Some(&3));
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
