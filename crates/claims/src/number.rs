//! Reading figures written in digits or words: "1,200", "4.8", "20-30", "€3m",
//! "two million", "half a million", "a dozen", "hundreds of thousands", and the modifiers
//! before them ("more than", "about"). Shared by the quantity and time extractors.

use crate::lexicon::{Modifier, NUMBERS};
use crate::text::{Doc, Kind, PhraseSet};
use once_cell::sync::Lazy;
use rustc_hash::FxHashSet;

/// Modifier phrases ("more than", "no more than"), indexed for longest match.
static MODIFIERS: Lazy<PhraseSet> =
    Lazy::new(|| PhraseSet::new(NUMBERS.modifiers.iter().map(|m| m.phrase.as_str())));

/// Vague magnitudes ("hundreds of thousands", "hundreds"), indexed for longest match.
static VAGUE: Lazy<PhraseSet> =
    Lazy::new(|| PhraseSet::new(NUMBERS.vague.iter().map(|v| v.phrase.as_str())));

/// First words of everything that can start a figure or a duration: number words, scale
/// and ordinal words, modifiers, vague magnitudes, "a"/"an"/"half".
static STARTERS: Lazy<FxHashSet<String>> = Lazy::new(|| {
    let mut set: FxHashSet<String> = ["a", "an", "half"].iter().map(|s| s.to_string()).collect();
    let first = |p: &str| p.split(' ').next().unwrap_or_default().to_string();
    set.extend(NUMBERS.units.keys().cloned());
    set.extend(NUMBERS.tens.keys().cloned());
    set.extend(NUMBERS.scales.keys().cloned());
    set.extend(NUMBERS.ordinals.keys().cloned());
    set.extend(NUMBERS.modifiers.iter().map(|m| first(&m.phrase)));
    set.extend(NUMBERS.vague.iter().map(|v| first(&v.phrase)));
    set.extend(NUMBERS.currency_symbols.keys().cloned());
    set
});

/// True when a token (lower-case) may start a figure, so extractors can skip the others
/// with one lookup.
pub(crate) fn may_start_figure(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    let head = bytes
        .iter()
        .position(|&b| b == b'-')
        .map_or(lower, |p| &lower[..p]);
    STARTERS.contains(head)
}

/// A figure read from tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Figure {
    /// Lowest value written (before any modifier).
    pub low: f64,
    /// Highest value written (equal to `low` unless a range or a vague magnitude).
    pub high: f64,
    /// Index of the first token after the figure.
    pub next: usize,
    /// A magnitude word without a figure ("hundreds").
    pub vague: bool,
    /// Written only in words ("two million").
    pub from_words: bool,
    /// The figure was a bare word "one" or "a" with nothing else: too weak to be a count.
    pub trivial: bool,
    /// The scale word or suffix applied ("million" ⇒ 1e6), 1 when none.
    pub scale: f64,
}

/// The modifier starting at token `i`, with the index after it.
pub(crate) fn modifier_at(doc: &Doc, i: usize, end: usize) -> Option<(&'static Modifier, usize)> {
    if doc.tokens.get(i)?.kind != Kind::Word {
        return None;
    }
    let (index, next) = MODIFIERS.longest_at(doc, i, end)?;
    Some((NUMBERS.modifiers.get(index)?, next))
}

/// Parses "1,200", "4.8", "20-30", "3m", "1.2bn" into (value, range end, suffix).
pub(crate) fn parse_digits(s: &str) -> Option<(f64, Option<f64>, &str)> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '-'))
        .unwrap_or(s.len());
    let (figures, suffix) = s.split_at(split);
    let parse = |f: &str| -> Option<f64> {
        let clean: String = f.chars().filter(|&c| c != ',').collect();
        if clean.is_empty() || clean.matches('.').count() > 1 {
            return None;
        }
        clean.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    match figures.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            (a <= b).then_some((a, Some(b), suffix))
        }
        None => Some((parse(figures)?, None, suffix)),
    }
}

/// Reads number words starting at `i` ("two hundred and fifty", "twenty-five", "two million").
fn words_at(doc: &Doc, i: usize, end: usize) -> Option<(f64, usize)> {
    let (mut total, mut current, mut j, mut seen) = (0.0f64, 0.0f64, i, false);
    while j < end && doc.kind(j) == Kind::Word {
        let w = doc.lower(j);
        if w == "and" && seen && j + 1 < end && is_number_word(doc.lower(j + 1)) {
            j += 1;
            continue;
        }
        let mut consumed = false;
        let first_part = w.split('-').next().unwrap_or(w);
        if !(seen
            || NUMBERS.units.contains_key(first_part)
            || NUMBERS.tens.contains_key(first_part))
        {
            return None;
        }
        for part in w.split('-') {
            if let Some(v) = NUMBERS.units.get(part).filter(|_| part != "dozen") {
                current += v;
            } else if let Some(v) = NUMBERS.tens.get(part) {
                current += v;
            } else if part == "dozen" {
                current = current.max(1.0) * 12.0;
            } else if part == "hundred" {
                current = current.max(1.0) * 100.0;
            } else if let Some(v) = NUMBERS.scales.get(part) {
                total += current.max(1.0) * v;
                current = 0.0;
            } else {
                return seen.then_some((total + current, j));
            }
            consumed = true;
        }
        seen |= consumed;
        j += 1;
    }
    seen.then_some((total + current, j))
}

fn is_number_word(w: &str) -> bool {
    w.split('-').all(|p| {
        NUMBERS.units.contains_key(p)
            || NUMBERS.tens.contains_key(p)
            || NUMBERS.scales.contains_key(p)
    })
}

/// Reads the figure starting at token `i` (digits, words or a vague magnitude).
pub(crate) fn figure_at(doc: &Doc, i: usize, end: usize) -> Option<Figure> {
    let token = *doc.tokens.get(i)?;
    if i >= end {
        return None;
    }
    let figure = |low: f64, high: f64, next: usize| Figure {
        low,
        high,
        next,
        vague: false,
        from_words: false,
        trivial: false,
        scale: 1.0,
    };
    if token.kind == Kind::Number {
        let (value, range_end, suffix) = parse_digits(doc.lower(i))?;
        let suffix_scale = if suffix.is_empty() {
            1.0
        } else {
            *NUMBERS.suffix_scales.get(suffix)?
        };
        let mut next = i + 1;
        let mut scale = suffix_scale;
        if suffix.is_empty()
            && next < end
            && let Some(s) = NUMBERS.scales.get(doc.lower(next))
        {
            scale = *s;
            next += 1;
        }
        let high = range_end.unwrap_or(value) * scale;
        return Some(Figure {
            scale,
            ..figure(value * scale, high, next)
        });
    }
    if token.kind != Kind::Word {
        return None;
    }
    if let Some((index, next)) = VAGUE.longest_at(doc, i, end)
        && let Some(v) = NUMBERS.vague.get(index)
    {
        return Some(Figure {
            vague: true,
            ..figure(v.low, v.high, next)
        });
    }
    let w = doc.lower(i);
    let scaled = |j: usize| -> Option<f64> {
        (j < end)
            .then(|| doc.lower(j))
            .and_then(|s| {
                if s == "dozen" {
                    Some(&12.0)
                } else {
                    NUMBERS.scales.get(s)
                }
            })
            .copied()
    };
    if w == "a" || w == "an" {
        let v = scaled(i + 1)?;
        return Some(Figure {
            from_words: true,
            ..figure(v, v, i + 2)
        });
    }
    if w == "half" && i + 2 < end && doc.lower(i + 1) == "a" {
        let v = scaled(i + 2)? / 2.0;
        return Some(Figure {
            from_words: true,
            ..figure(v, v, i + 3)
        });
    }
    let (value, next) = words_at(doc, i, end)?;
    Some(Figure {
        from_words: true,
        trivial: value <= 1.0 && next == i + 1,
        ..figure(value, value, next)
    })
}

/// A figure followed by a range end ("20-30", "20 to 30", "20 – 30"), applying a scale
/// written only on the second figure to both ("20 to 30 million").
pub(crate) fn range_end(doc: &Doc, fig: &Figure, end: usize) -> Option<Figure> {
    let j = fig.next;
    if j >= end || fig.vague {
        return None;
    }
    let joiner = doc.lower(j);
    if !matches!(joiner, "-" | "–" | "—" | "to") {
        return None;
    }
    let second = figure_at(doc, j + 1, end).filter(|f| !f.vague)?;
    let mut low = fig.low;
    if fig.scale == 1.0 && second.scale > 1.0 && fig.low * second.scale <= second.high {
        low = fig.low * second.scale;
    }
    (low <= second.high).then_some(Figure {
        low,
        high: second.high,
        next: second.next,
        ..*fig
    })
}

/// An ordinal figure at `i` ("23rd", "second"), for durations like "its 23rd month".
pub(crate) fn ordinal_at(doc: &Doc, i: usize) -> Option<f64> {
    let t = doc.tokens.get(i)?;
    let w = doc.lower(i);
    if t.kind == Kind::Number {
        let (value, None, suffix) = parse_digits(w)? else {
            return None;
        };
        return matches!(suffix, "st" | "nd" | "rd" | "th").then_some(value);
    }
    NUMBERS.ordinals.get(w).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_with_separators_ranges_and_suffixes() {
        assert_eq!(parse_digits("1,200"), Some((1200.0, None, "")));
        assert_eq!(parse_digits("4.8"), Some((4.8, None, "")));
        assert_eq!(parse_digits("20-30"), Some((20.0, Some(30.0), "")));
        assert_eq!(parse_digits("3m"), Some((3.0, None, "m")));
        assert_eq!(parse_digits("23rd"), Some((23.0, None, "rd")));
        assert_eq!(parse_digits("1.2.3"), None);
        assert_eq!(parse_digits("30-20"), None);
    }
}
