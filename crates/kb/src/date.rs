//! Dates as precise as their source, and day ranges for reasoning about when things were true.
//!
//! A knowledge-base date may be a day (`2023-01-16`), a month (`2024-11`) or a year (`2019`):
//! a maintainer who knows only the month writes the month instead of guessing a day. Every
//! such date is the range of days it could denote, and all reasoning is conservative: a claim
//! is called stale only when no day the data allows would make it true.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A calendar date known to a day, a month or a year, as the range of days it could denote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KbDate {
    /// First day the date could denote.
    pub earliest: NaiveDate,
    /// Last day the date could denote.
    pub latest: NaiveDate,
}

impl KbDate {
    /// A date known to the day.
    pub fn day(date: NaiveDate) -> Self {
        Self {
            earliest: date,
            latest: date,
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the error says what was expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bad = || format!("`{t}` is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)");
        let mut parts = t.split('-');
        let year_text = parts.next().ok_or_else(bad)?;
        if year_text.len() != 4 {
            return Err(bad());
        }
        let year: i32 = year_text.parse().map_err(|_| bad())?;
        let number = |p: Option<&str>| -> Result<Option<u32>, String> {
            match p {
                None => Ok(None),
                Some(s) if s.len() == 2 => s.parse().map(Some).map_err(|_| bad()),
                Some(_) => Err(bad()),
            }
        };
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if parts.next().is_some() {
            return Err(bad());
        }
        let invalid = || format!("`{t}` is not a valid calendar date");
        match (month, day) {
            (None, _) => Ok(Self {
                earliest: NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(invalid)?,
                latest: NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(invalid)?,
            }),
            (Some(m), None) => {
                let first = NaiveDate::from_ymd_opt(year, m, 1).ok_or_else(invalid)?;
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, m + 1, 1)
                };
                let last = next.and_then(|n| n.pred_opt()).ok_or_else(invalid)?;
                Ok(Self {
                    earliest: first,
                    latest: last,
                })
            }
            (Some(m), Some(d)) => Ok(Self::day(
                NaiveDate::from_ymd_opt(year, m, d).ok_or_else(invalid)?,
            )),
        }
    }
}

impl fmt::Display for KbDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (self.earliest, self.latest);
        if a == b {
            write!(f, "{}", a.format("%Y-%m-%d"))
        } else if a.day() == 1 && a.month() == b.month() && a.year() == b.year() {
            write!(f, "{}", a.format("%Y-%m"))
        } else if a.ordinal() == 1 && a.year() == b.year() && b.month() == 12 && b.day() == 31 {
            write!(f, "{}", a.year())
        } else {
            write!(f, "{} – {}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d"))
        }
    }
}

/// An inclusive range of days; `NaiveDate::MIN` / `MAX` stand for unbounded ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayRange {
    /// First day (MIN: unbounded).
    pub from: NaiveDate,
    /// Last day (MAX: unbounded).
    pub to: NaiveDate,
}

impl DayRange {
    /// Every day.
    pub const ALL: DayRange = DayRange {
        from: NaiveDate::MIN,
        to: NaiveDate::MAX,
    };

    /// The range from optional bounds (`None`: unbounded).
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        Self {
            from: from.unwrap_or(NaiveDate::MIN),
            to: to.unwrap_or(NaiveDate::MAX),
        }
    }

    /// The first day, `None` when unbounded.
    pub fn earliest(&self) -> Option<NaiveDate> {
        (self.from != NaiveDate::MIN).then_some(self.from)
    }

    /// The last day, `None` when unbounded.
    pub fn latest(&self) -> Option<NaiveDate> {
        (self.to != NaiveDate::MAX).then_some(self.to)
    }

    /// The days in both ranges, if any.
    pub fn intersect(&self, other: &DayRange) -> Option<DayRange> {
        let from = self.from.max(other.from);
        let to = self.to.min(other.to);
        (from <= to).then_some(DayRange { from, to })
    }

    /// The smallest range covering both.
    pub fn hull(&self, other: &DayRange) -> DayRange {
        DayRange {
            from: self.from.min(other.from),
            to: self.to.max(other.to),
        }
    }

    /// True when both ends are known.
    pub fn is_bounded(&self) -> bool {
        self.earliest().is_some() && self.latest().is_some()
    }
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.earliest(), self.latest()) {
            (Some(a), Some(b)) if a == b => write!(f, "{}", a.format("%Y-%m-%d")),
            (Some(a), Some(b)) => write!(f, "{} – {}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
            (Some(a), None) => write!(f, "from {}", a.format("%Y-%m-%d")),
            (None, Some(b)) => write!(f, "until {}", b.format("%Y-%m-%d")),
            (None, None) => f.write_str("any date"),
        }
    }
}

/// Sorts and merges overlapping or touching ranges.
pub fn merge_ranges(mut ranges: Vec<DayRange>) -> Vec<DayRange> {
    ranges.sort();
    let mut merged: Vec<DayRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.from <= last.to.succ_opt().unwrap_or(NaiveDate::MAX) => {
                last.to = last.to.max(r.to);
            }
            _ => merged.push(r),
        }
    }
    merged
}

/// The days in both sets of ranges (each sorted and merged).
pub fn intersect_sets(a: &[DayRange], b: &[DayRange]) -> Vec<DayRange> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(i) = x.intersect(y) {
                out.push(i);
            }
        }
    }
    merge_ranges(out)
}

/// Adds a whole number of days, saturating at the calendar's ends.
pub fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let delta = chrono::Duration::try_days(days).unwrap_or(chrono::Duration::zero());
    date.checked_add_signed(delta).unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_month_and_year_precision_parse_to_their_day_ranges() {
        assert_eq!(
            KbDate::parse("2024-11-05").unwrap(),
            KbDate::day(d(2024, 11, 5))
        );
        let feb = KbDate::parse("2024-02").unwrap();
        assert_eq!((feb.earliest, feb.latest), (d(2024, 2, 1), d(2024, 2, 29)));
        let dec = KbDate::parse("2023-12").unwrap();
        assert_eq!(dec.latest, d(2023, 12, 31));
        let year = KbDate::parse(" 2019 ").unwrap();
        assert_eq!(
            (year.earliest, year.latest),
            (d(2019, 1, 1), d(2019, 12, 31))
        );
        assert_eq!(feb.to_string(), "2024-02");
        assert_eq!(year.to_string(), "2019");
        assert_eq!(
            KbDate::parse("2024-11-05").unwrap().to_string(),
            "2024-11-05"
        );
    }

    #[test]
    fn malformed_dates_are_rejected_with_a_reason() {
        for bad in [
            "",
            "24-11-05",
            "2024-13",
            "2023-02-29",
            "2024-1-5",
            "2024-11-05-01",
            "soon",
        ] {
            assert!(KbDate::parse(bad).is_err(), "{bad}");
        }
        assert!(
            KbDate::parse("2023-02-29")
                .unwrap_err()
                .contains("not a valid")
        );
    }

    #[test]
    fn ranges_intersect_merge_and_print_open_ends() {
        let a = DayRange::new(Some(d(2023, 1, 16)), Some(d(2025, 3, 5)));
        let b = DayRange::new(Some(d(2025, 3, 5)), None);
        assert_eq!(
            a.intersect(&b),
            Some(DayRange::new(Some(d(2025, 3, 5)), Some(d(2025, 3, 5))))
        );
        let c = DayRange::new(Some(d(2025, 3, 6)), None);
        assert_eq!(a.intersect(&c), None);
        assert_eq!(
            merge_ranges(vec![c, a]),
            vec![DayRange::new(Some(d(2023, 1, 16)), None)]
        );
        assert_eq!(b.to_string(), "from 2025-03-05");
        assert_eq!(add_days(d(2023, 10, 7), 700), d(2025, 9, 6));
    }
}
