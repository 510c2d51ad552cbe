//! Quantity claims: a figure, normalised to an interval, with what it counts and what is
//! said of the counted things.
//!
//! For each sentence, left to right: an optional modifier ("more than"), an optional currency
//! symbol, a figure (digits, number words, or a vague magnitude), an optional range end and
//! unit ("%", "percent", "dollars"); then the counted noun phrase (the first plural noun after
//! the figure is its head) and the predicate after it, skipping auxiliaries and an
//! ", including …," aside. Elliptical counts ("250 *more*", "half a million *are*") borrow the
//! noun of the previous count in the same sentence.
//!
//! Figures followed by a unit of time ("two years") are left to the time extractor. Years,
//! dates, clock times, ordinals and numbers inside names ("Channel 12 News") are skipped.

use crate::lexicon::NUMBERS;
use crate::number::{Figure, figure_at, modifier_at, range_end};
use crate::text::{Doc, Kind, PhraseSet, Sentence, is_plural, singular, verb_lemma};
use chrono::Datelike;
use corroborate_model::{Claim, ClaimKind, Counted, Interval, Precision, Quantity, QuantityUnit};
use once_cell::sync::Lazy;

static PERCENT_WORDS: Lazy<PhraseSet> =
    Lazy::new(|| PhraseSet::new(NUMBERS.percent_words.iter().map(String::as_str)));

static ELLIPSIS_WORDS: Lazy<PhraseSet> =
    Lazy::new(|| PhraseSet::new(NUMBERS.ellipsis_words.iter().map(String::as_str)));

/// Appends the quantity claims of every sentence to `out`.
pub(crate) fn extract(doc: &Doc, out: &mut Vec<Claim>) {
    for sentence in &doc.sentences {
        let mut previous: Option<Counted> = None;
        let mut i = sentence.tokens.start;
        while i < sentence.tokens.end {
            if !doc.is_numeric(i) {
                i += 1;
                continue;
            }
            match quantity_at(doc, sentence, i, previous.as_ref()) {
                Some((quantity, next)) => {
                    if quantity.counted.is_some() {
                        previous.clone_from(&quantity.counted);
                    }
                    out.push(Claim {
                        evidence: doc.span(sentence.range.start, sentence.range.end),
                        kind: ClaimKind::Quantity(quantity),
                    });
                    i = next.max(i + 1);
                }
                None => i += 1,
            }
        }
    }
}

/// What follows a figure.
enum Unit {
    Count,
    Percent,
    Money(String),
}

fn quantity_at(
    doc: &Doc,
    s: &Sentence,
    i: usize,
    previous: Option<&Counted>,
) -> Option<(Quantity, usize)> {
    let end = s.tokens.end;
    let (modifier, mut j) = match modifier_at(doc, i, end) {
        Some((m, j)) => (Some(m), j),
        None => (None, i),
    };
    let mut currency = None;
    if j < end && doc.kind(j) == Kind::Punct {
        currency = Some(NUMBERS.currency_symbols.get(doc.word(j))?.clone());
        j += 1;
    }
    let figure_start = j;
    let mut fig = figure_at(doc, j, end)?;
    let range = modifier.is_some_and(|m| m.range);
    if range {
        if fig.next + 1 >= end || doc.lower(fig.next) != "and" {
            return None;
        }
        let second = figure_at(doc, fig.next + 1, end)?;
        fig = Figure {
            high: second.high,
            next: second.next,
            ..fig
        };
    } else if let Some(r) = range_end(doc, &fig, end) {
        fig = r;
    }
    if fig.trivial || fig.low > fig.high {
        return None;
    }
    let mut k = fig.next;
    let mut unit = match currency {
        Some(c) => Unit::Money(c),
        None => Unit::Count,
    };
    if k < end && doc.word(k) == "%" {
        unit = Unit::Percent;
        k += 1;
    } else if let Some((_, after)) = PERCENT_WORDS.longest_at(doc, k, end) {
        unit = Unit::Percent;
        k = after;
    } else if k < end
        && let Some(c) = NUMBERS.currency_words.get(doc.lower(k))
    {
        unit = Unit::Money(c.clone());
        k += 1;
    }
    let plain = modifier.is_none() && matches!(unit, Unit::Count);
    if is_time_unit(doc, k, end)
        || (!fig.vague && is_clock_or_date(doc, s, figure_start, fig.next))
        || (plain && !fig.vague && not_a_count(doc, s, figure_start, k))
    {
        return None;
    }
    let number = doc.token_span(i, k);
    let (precision, value) = interval(&fig, modifier);
    let counted = if matches!(unit, Unit::Count) || fig.vague {
        // A noun after the figure, else the subject of a level verb before it, else the noun
        // an elliptical figure stands for ("600 officials signed, and 550 more").
        counted_after(doc, s, i, k, None)
            .or_else(|| measure_compound(doc, k, end))
            .or_else(|| counted_as_subject(doc, s, i))
            .or_else(|| counted_after(doc, s, i, k, previous))
    } else if k < end && doc.lower(k) == "of" {
        // A share or sum of something: "4.8% of the region's capacity", "$1.2 billion of trade".
        counted_after(doc, s, i, k, None)
    } else {
        counted_before(doc, s, i)
    };
    let next = counted
        .as_ref()
        .map_or(k, |c| doc.token_at(c.span.end).max(k));
    let unit = match unit {
        Unit::Count => QuantityUnit::Count,
        Unit::Percent => QuantityUnit::Percent,
        Unit::Money(currency) => QuantityUnit::Money { currency },
    };
    let year = year_after(doc, s, next);
    Some((
        Quantity {
            value,
            precision,
            unit,
            counted,
            number,
            year,
        },
        next,
    ))
}

/// The year a figure is for when its clause names it right after the figure and what it
/// counts: "the 1.6 million arrests that happened *in 2000*", "a peak of 1.6 million *in the
/// 2000 fiscal year*", "*in fiscal 2018*", and, given the publication date, "*last year*" and
/// "*in the last fiscal year*". A figure without one is about the time the article reports.
fn year_after(doc: &Doc, s: &Sentence, k: usize) -> Option<i32> {
    let end = s.tokens.end;
    let year_at = |j: usize| {
        let digits = doc.word(j);
        let year: i32 = digits.parse().ok()?;
        (digits.len() == 4 && (1900..=2100).contains(&year)).then_some(year)
    };
    let previous_year = || doc.published.map(|d| d.year() - 1);
    for j in k..end.min(k + MAX_WORDS_TO_YEAR) {
        if doc.kind(j) != Kind::Word {
            return None;
        }
        if doc.lower(j) == "last" && j + 1 < end && doc.lower(j + 1) == "year" {
            return previous_year();
        }
        if !matches!(doc.lower(j), "in" | "during" | "for") {
            continue;
        }
        // The words after the preposition, up to "year": "the last fiscal", "fiscal", "the 2000".
        let mut m = j + 1;
        if m < end && doc.lower(m) == "the" {
            m += 1;
        }
        let mut year = None;
        let mut last = false;
        while m < end && m < j + 5 {
            match doc.lower(m) {
                "last" | "previous" | "past" => last = true,
                "fiscal" | "calendar" | "financial" => {}
                "year" => {}
                _ => match year_at(m) {
                    Some(y) => year = Some(y),
                    None => break,
                },
            }
            m += 1;
        }
        let says_year = (j + 1..m).any(|w| matches!(doc.lower(w), "year" | "fiscal"));
        match (year, last) {
            (Some(y), _) => return Some(y),
            (None, true) if says_year => return previous_year(),
            // Another phrase ("for unauthorized crossings"): the year may follow it.
            _ => continue,
        }
    }
    None
}

/// Words from the end of a counted phrase within which its year is looked for.
const MAX_WORDS_TO_YEAR: usize = 6;

/// What a level or its change counts when it is the subject of the verb before the figure:
/// "border apprehensions have actually fallen in recent years, *to* 400,000", "the death toll
/// *reached* 30" (token `i` starts the figure).
fn counted_as_subject(doc: &Doc, s: &Sentence, i: usize) -> Option<Counted> {
    let start = s.tokens.start;
    if i <= start + 1 {
        return None;
    }
    let before = i - 1;
    let verb = if NUMBERS.level_verbs_direct.contains(doc.lower(before)) {
        before
    } else if matches!(doc.lower(before), "to" | "at") {
        // The verb may stand a short phrase before "to" ("fallen in recent years, to").
        let lowest = before.saturating_sub(MAX_WORDS_VERB_TO_FIGURE).max(start);
        let verb = (lowest..before)
            .rev()
            .find(|&j| NUMBERS.level_verbs_with_to.contains(doc.lower(j)))?;
        let clause_breaks = (verb + 1..before).any(|j| {
            doc.kind(j) == Kind::Number || doc.kind(j) == Kind::Punct && doc.word(j) != ","
        });
        if clause_breaks {
            return None;
        }
        verb
    } else {
        return None;
    };
    let mut h = verb;
    while h > start && {
        let w = doc.lower(h - 1);
        NUMBERS.predicate_skips.contains(w) || is_adverb(w)
    } {
        h -= 1;
    }
    if h == start {
        return None;
    }
    noun_phrase_ending_at(doc, s, h - 1)
}

/// The unit of a figure written as a compound with it ("a 19-ton sculpture", "a 10-mile
/// stretch"): the figure measures the thing in that unit, so the unit is what it counts.
fn measure_compound(doc: &Doc, k: usize, end: usize) -> Option<Counted> {
    if k + 1 >= end || doc.word(k) != "-" || doc.kind(k + 1) != Kind::Word {
        return None;
    }
    let unit = doc.lower(k + 1);
    NUMBERS.measure_units.contains(unit).then(|| Counted {
        phrase: doc.word(k + 1).to_string(),
        head: singular(unit),
        modifiers: Vec::new(),
        predicate: None,
        span: doc.token_span(k + 1, k + 2),
    })
}

/// Words a level verb may stand before its "to" and figure.
const MAX_WORDS_VERB_TO_FIGURE: usize = 6;

/// The interval and precision of a figure under its modifier.
fn interval(fig: &Figure, modifier: Option<&crate::lexicon::Modifier>) -> (Precision, Interval) {
    let scale = |v: f64, f: f64| if f.is_infinite() { f } else { v * f };
    match modifier.filter(|m| !m.range) {
        Some(m) => {
            let value = Interval::between(scale(fig.low, m.low), scale(fig.high, m.high));
            let precision = if fig.vague {
                Precision::Vague
            } else if m.precision == "approximate" {
                Precision::Approximate
            } else {
                Precision::Bound
            };
            (precision, value)
        }
        None => {
            let precision = if fig.vague {
                Precision::Vague
            } else if fig.low < fig.high {
                Precision::Bound
            } else {
                Precision::Exact
            };
            (precision, Interval::between(fig.low, fig.high))
        }
    }
}

/// True when a unit of time follows ("two years", "18-month", "23-year-old").
fn is_time_unit(doc: &Doc, k: usize, end: usize) -> bool {
    let k = if k < end && doc.word(k) == "-" {
        k + 1
    } else {
        k
    };
    k < end && {
        let w = doc.lower(k);
        let head = w.split('-').next().unwrap_or(w);
        NUMBERS.durations.contains_key(head)
    }
}

/// Clock times ("10:30", "9 p.m.") and days of a month ("October 7", "7 October") are never
/// counts, whatever modifier precedes them.
fn is_clock_or_date(doc: &Doc, s: &Sentence, i: usize, k: usize) -> bool {
    let prev = (i > s.tokens.start).then(|| i - 1);
    let is_month = |j: usize| NUMBERS.months.contains_key(doc.lower(j)) && doc.is_capitalised(j);
    let prev_word = prev.map(|p| {
        if doc.word(p) == "." && p > s.tokens.start {
            p - 1
        } else {
            p
        }
    });
    if prev_word.is_some_and(is_month) || (k < s.tokens.end && is_month(k)) {
        return true;
    }
    let clock_minutes = prev.is_some_and(|p| {
        doc.word(p) == ":" && p > s.tokens.start && doc.kind(p - 1) == Kind::Number
    });
    clock_minutes
        || (k < s.tokens.end
            && (doc.word(k) == ":" || matches!(doc.lower(k), "a.m" | "p.m" | "am" | "pm")))
}

/// Years, ranks, identifiers, ages and numbers inside names are not counts.
fn not_a_count(doc: &Doc, s: &Sentence, i: usize, k: usize) -> bool {
    let word = doc.lower(i);
    let next_plural = k < s.tokens.end && !doc.is_capitalised(k) && is_plural(doc.lower(k));
    let year = doc.kind(i) == Kind::Number
        && word.len() == 4
        && word.bytes().all(|b| b.is_ascii_digit())
        && word
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y));
    if year && !next_plural {
        return true;
    }
    let prev = (i > s.tokens.start).then(|| i - 1);
    // A rank or identifier: "No. 2", "No. 10-277", "#1", "Number 10".
    let word_before = prev.map(|p| {
        if doc.word(p) == "." && p > s.tokens.start {
            p - 1
        } else {
            p
        }
    });
    let marked = prev.is_some_and(|p| doc.word(p) == "#")
        || word_before.is_some_and(|p| matches!(doc.lower(p), "no" | "nos" | "number"));
    // An age in apposition: "Clyburn, 76, said".
    let age = prev.is_some_and(|p| {
        doc.word(p) == ","
            && p > s.tokens.start
            && doc.is_capitalised(p - 1)
            && k < s.tokens.end
            && matches!(doc.word(k), "," | ")")
    });
    if doc.kind(i) == Kind::Number && (marked || age) {
        return true;
    }
    let next_is_plural = k < s.tokens.end && is_plural(doc.lower(k));
    let in_name = prev.is_some_and(|p| {
        p > s.tokens.start
            && doc.is_capitalised(p)
            && !doc.lower(p).ends_with("'s")
            && !doc.lower(p).ends_with("’s")
    });
    doc.kind(i) == Kind::Number && in_name && !next_is_plural
}

/// The noun phrase counted by the figure ending before token `k`, and its predicate.
fn counted_after(
    doc: &Doc,
    s: &Sentence,
    figure_start: usize,
    k: usize,
    previous: Option<&Counted>,
) -> Option<Counted> {
    let end = s.tokens.end;
    let ellipsis = |j: usize| {
        ELLIPSIS_WORDS
            .longest_at(doc, j, end)
            .map(|(_, after)| (j, after))
    };
    let mut j = k;
    let direct = ellipsis(j);
    if j < end
        && doc.lower(j) == "of"
        && j + 1 < end
        && matches!(
            doc.lower(j + 1),
            "the" | "their" | "its" | "these" | "those"
        )
    {
        j += 2;
    } else if j < end && doc.lower(j) == "of" && j + 1 < end && doc.kind(j + 1) == Kind::Word {
        j += 1;
    }
    if let Some((j, after)) = direct.or_else(|| ellipsis(j)) {
        let prev = previous?;
        return Some(Counted {
            predicate: predicate(doc, s, figure_start, after),
            span: doc.token_span(j, after),
            phrase: doc.slice(doc.start(j), doc.end(after - 1)).to_string(),
            ..prev.clone()
        });
    }
    // A noun phrase in scare quotes ("at least 30 “national emergencies”") is still what the
    // figure counts.
    if j + 1 < end && j == k && matches!(doc.word(j), "“" | "\"") {
        j += 1;
    }
    let np_start = j;
    let mut head = None;
    let mut last_word = None;
    while j < end && j - np_start < 7 {
        let Some(&t) = doc.tokens.get(j) else {
            break;
        };
        if t.kind != Kind::Word {
            break;
        }
        let w = doc.lower(j);
        let title_case_and = w == "and"
            && j > np_start
            && doc.is_capitalised(j - 1)
            && j + 1 < end
            && doc.is_capitalised(j + 1);
        if (NUMBERS.counted_stops.contains(w) && !title_case_and)
            || NUMBERS.predicate_adjectives.contains(w)
        {
            break;
        }
        if is_plural(w) && !(doc.is_capitalised(j) && w.ends_with("as")) {
            head = Some(j);
            break;
        }
        if !w.ends_with("ed") && !w.ends_with("ing") && !doc.is_capitalised(j) {
            last_word = Some(j);
        }
        j += 1;
    }
    let head = head.or(last_word.filter(|&h| h + 1 == j && j - np_start <= 3));
    let Some(h) = head else {
        let prev = previous?;
        return Some(Counted {
            predicate: predicate(doc, s, figure_start, k),
            ..prev.clone()
        });
    };
    let modifiers = (np_start..h)
        .map(|m| doc.lower(m))
        .filter(|m| *m != "and")
        .map(|m| m.replace('’', "'"))
        .collect();
    Some(Counted {
        phrase: doc.slice(doc.start(np_start), doc.end(h)).to_string(),
        head: singular(&doc.lower(h).replace('’', "'")),
        modifiers,
        predicate: predicate(doc, s, figure_start, h + 1),
        span: doc.token_span(np_start, h + 1),
    })
}

/// Words that may stand between a sum or share and the thing it measures when that thing comes
/// first: "the damage *is estimated at* $35 million", "a budget *of* $3.5 million".
const LINKING_WORDS: &[&str] = &[
    "at",
    "of",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "estimated",
    "valued",
    "put",
    "worth",
    "totalled",
    "totaled",
    "reached",
    "stood",
    "cost",
    "costs",
];

/// Determiners and pronouns, which are never part of a measured thing's name.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "this", "that", "these", "those", "his", "her", "our", "it",
    "they", "which", "what",
];

/// The thing a sum or share measures when it is named before the figure (token `i`).
fn counted_before(doc: &Doc, s: &Sentence, i: usize) -> Option<Counted> {
    let start = s.tokens.start;
    let mut j = i;
    while j > start && i - j < 4 && LINKING_WORDS.contains(&doc.lower(j - 1)) {
        j -= 1;
    }
    if j == i || j == start {
        return None;
    }
    noun_phrase_ending_at(doc, s, j - 1)
}

/// A short noun phrase (a head and up to two lower-case words before it) whose head is token
/// `h`, named before its figure.
fn noun_phrase_ending_at(doc: &Doc, s: &Sentence, h: usize) -> Option<Counted> {
    let start = s.tokens.start;
    let head = doc.lower(h);
    let function_word = |w: &str| NUMBERS.counted_stops.contains(w) || DETERMINERS.contains(&w);
    if doc.kind(h) != Kind::Word || (doc.is_capitalised(h) && h != start) || function_word(head) {
        return None;
    }
    let mut first = h;
    while first > start
        && h - first < 2
        && doc.kind(first - 1) == Kind::Word
        && !doc.is_capitalised(first - 1)
        && !function_word(doc.lower(first - 1))
    {
        first -= 1;
    }
    Some(Counted {
        phrase: doc.slice(doc.start(first), doc.end(h)).to_string(),
        head: singular(&head.replace('’', "'")),
        modifiers: (first..h).map(|m| doc.lower(m).replace('’', "'")).collect(),
        predicate: None,
        span: doc.token_span(first, h + 1),
    })
}

/// What is said of the counted things: the verb or adjective after the noun phrase
/// (starting at token `j`), else the verb before the figure ("killed 65,000").
fn predicate(doc: &Doc, s: &Sentence, figure_start: usize, mut j: usize) -> Option<String> {
    let end = s.tokens.end;
    if j + 1 < end
        && doc.word(j) == ","
        && matches!(doc.lower(j + 1), "including" | "among" | "mostly" | "many")
    {
        let resume = (j + 2..end.min(j + 30)).find(|&c| {
            doc.word(c) == ","
                && c + 1 < end
                && (NUMBERS.predicate_skips.contains(doc.lower(c + 1))
                    || doc.lower(c + 1).ends_with("ed"))
        });
        j = resume? + 1;
    }
    let mut skipped = false;
    while j < end && (NUMBERS.predicate_skips.contains(doc.lower(j)) || is_adverb(doc.lower(j))) {
        skipped = true;
        j += 1;
    }
    if j < end && doc.kind(j) == Kind::Word && !doc.is_capitalised(j) {
        let w = doc.lower(j);
        if NUMBERS.predicate_adjectives.contains(w) && !w.ends_with("ed") {
            return Some(w.to_string());
        }
        let verb_like = w.ends_with("ed")
            || crate::lexicon::LEMMAS.verbs.contains_key(w)
            || NUMBERS.predicate_verbs.contains(w)
            || NUMBERS.predicate_verbs.contains(verb_lemma(w).as_str())
            || (skipped && !NUMBERS.counted_stops.contains(w));
        if verb_like {
            let lemma = verb_lemma(w);
            let object = (j + 1 < end).then(|| doc.lower(j + 1));
            return Some(match object {
                Some(o @ ("hostage" | "captive" | "prisoner")) if lemma == "take" => {
                    format!("take {o}")
                }
                _ => lemma,
            });
        }
    }
    let before = figure_start
        .checked_sub(1)
        .filter(|&b| b >= s.tokens.start)?;
    let verb = if doc.lower(before) == "by" {
        before.checked_sub(1)?
    } else {
        before
    };
    let w = doc.lower(verb);
    // A participle ("killing 12 people", "striking four people") is the verb of its figure;
    // prepositions that end in "-ing" are not.
    let participle = w.ends_with("ing")
        && w.len() > 5
        && !matches!(
            w,
            "including" | "during" | "according" | "regarding" | "following" | "concerning"
        );
    (verb >= s.tokens.start
        && doc.kind(verb) == Kind::Word
        && (w.ends_with("ed") || participle || crate::lexicon::LEMMAS.verbs.contains_key(w)))
    .then(|| verb_lemma(w))
}

/// "-ly" adverbs between a noun and its verb ("have *jointly* called").
fn is_adverb(word: &str) -> bool {
    word.len() > 4
        && word.ends_with("ly")
        && !matches!(word, "only" | "early" | "family" | "ally" | "rally")
}

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use corroborate_model::{ClaimKind, Interval, Precision, Quantity, QuantityUnit};

    fn quantities(text: &str) -> Vec<Quantity> {
        of_kind(&extract_claims(&article(text, &[])), |k| match k {
            ClaimKind::Quantity(q) => Some(q),
            _ => None,
        })
    }

    fn one(text: &str) -> Quantity {
        let q = quantities(text);
        assert_eq!(q.len(), 1, "{text}: {q:#?}");
        q.into_iter().next().unwrap()
    }

    fn head_and_predicate(q: &Quantity) -> (String, Option<String>) {
        let c = q.counted.as_ref().expect("counted");
        (c.head.clone(), c.predicate.clone())
    }

    #[test]
    fn a_level_verb_names_what_its_figure_counts() {
        let counted = |text: &str| {
            let c = one(text).counted.expect("counted");
            (c.head, c.modifiers)
        };
        assert_eq!(
            counted("In Texas, border crossings have actually fallen in recent years, to 300,000."),
            ("crossing".into(), vec!["border".into()])
        );
        assert_eq!(
            counted("There are at least 30 “national emergencies” in effect."),
            ("emergency".into(), vec!["national".into()])
        );
        assert_eq!(
            counted("Cranes lifted the 19-ton sculpture."),
            ("ton".into(), vec![])
        );
        assert_eq!(
            counted("It is an emergency even though seizures have fallen, to 300."),
            ("seizure".into(), vec![])
        );
        assert_eq!(
            counted("The death toll reached 42 on Sunday."),
            ("toll".into(), vec!["death".into()])
        );
        assert_eq!(
            counted("Hospital admissions stood at 1,200 by noon.").0,
            "admission"
        );
        // A noun after the figure still wins, and a figure after "to" with no level verb has
        // nothing to count.
        assert_eq!(counted("Deaths rose to 40 people overnight.").0, "people");
        assert_eq!(one("He spoke to 40 of them.").counted, None);
    }

    #[test]
    fn a_figure_for_a_named_year_keeps_it() {
        let q = quantities(
            "There were 90 arrests last year, a third of the 270 arrests that happened in 2004.",
        );
        // Without a publication date "last year" names no year.
        assert_eq!(
            q.iter().map(|q| q.year).collect::<Vec<_>>(),
            [None, Some(2004)]
        );
        assert_eq!(
            one("Some 300 homes were lost during 1998.").year,
            Some(1998)
        );
        assert_eq!(
            one("Some 300 homes were lost, an inquiry found in 2004.").year,
            None
        );
        assert_eq!(
            one("Seizures stood at 1.6 million in the 2000 fiscal year.").year,
            Some(2000)
        );
        assert_eq!(
            one("Seizures reached 9,000 in fiscal 2015.").year,
            Some(2015)
        );
        assert_eq!(
            one("Seizures have fallen in recent years, to 400 in all.").year,
            None
        );
    }

    #[test]
    fn last_year_is_the_year_before_publication() {
        let published = |text: &str| {
            let mut a = article(text, &[]);
            a.article.published = Some(corroborate_model::PublishedDate {
                date: chrono::NaiveDate::from_ymd_opt(2019, 2, 16).unwrap(),
                origin: corroborate_model::MetadataOrigin::MetaTag,
                raw: "2019-02-16".into(),
                evidence: None,
            });
            of_kind(&extract_claims(&a), |k| match k {
                ClaimKind::Quantity(q) => Some(q),
                _ => None,
            })
            .iter()
            .map(|q| q.year)
            .collect::<Vec<_>>()
        };
        assert_eq!(published("There were 520 arrests last year."), [Some(2018)]);
        assert_eq!(
            published("Arrests have fallen to 400 in the last fiscal year."),
            [Some(2018)]
        );
        assert_eq!(published("There were 520 arrests this year."), [None]);
        assert_eq!(
            published("There were 520 arrests for illegal crossings last year."),
            [Some(2018)]
        );
    }

    #[test]
    fn sums_and_shares_name_what_they_measure() {
        let counted = |text: &str| {
            let q = one(text);
            let c = q.counted.expect("counted");
            (c.head, c.modifiers, c.phrase)
        };
        assert_eq!(
            counted("The fire destroyed 4.8% of the region's container capacity."),
            (
                "capacity".into(),
                vec!["region's".into(), "container".into()],
                "region's container capacity".into()
            )
        );
        assert_eq!(
            counted("The port handles $1.2 billion of trade each year.").0,
            "trade"
        );
        assert_eq!(
            counted("The damage is estimated at $35 million, insiders claim.").2,
            "damage"
        );
        assert_eq!(
            counted("They approved a library budget of $3.5 million.").2,
            "library budget"
        );
        assert_eq!(one("It was estimated at $5 million.").counted, None);
        assert_eq!(one("Shares rose 4% on Monday.").counted, None);
    }

    #[test]
    fn bound_with_modifiers_and_head() {
        let text = "In a petition, more than 400 retired municipal transit workers have called on the mayor.";
        let q = one(text);
        assert_eq!(q.value, Interval::at_least(400.0));
        assert_eq!(q.precision, Precision::Bound);
        assert_eq!(q.number.slice(text), Some("more than 400"));
        let c = q.counted.as_ref().unwrap();
        assert_eq!(c.head, "worker");
        assert_eq!(c.modifiers, ["retired", "municipal", "transit"]);
        assert_eq!(
            c.span.slice(text),
            Some("retired municipal transit workers")
        );
        assert_eq!(c.predicate.as_deref(), Some("call"));
    }

    #[test]
    fn headline_title_case_count_takes_the_first_plural_as_head() {
        let q = one("320 Ex-Navy and Coast Guard Captains Urge Council to Reopen the Port");
        assert_eq!(q.value, Interval::exact(320.0));
        let c = q.counted.unwrap();
        assert_eq!(c.head, "captain");
        assert_eq!(c.modifiers, ["ex-navy", "coast", "guard"]);
    }

    #[test]
    fn approximate_counts_with_predicates() {
        let q =
            one("Regional authorities state that about 1,400 people were killed in the floods.");
        assert_eq!(q.precision, Precision::Approximate);
        assert!(q.value.low < 1400.0 && q.value.high > 1400.0);
        assert_eq!(
            head_and_predicate(&q),
            ("people".into(), Some("kill".into()))
        );
        let q = one("Chroniclers report that approximately 40,000 Carthaginians have been killed.");
        assert_eq!(
            head_and_predicate(&q),
            ("carthaginian".into(), Some("kill".into()))
        );
        let q = quantities(
            "A driver swerved into the market, striking nine shoppers — two of them children.",
        );
        assert_eq!(
            head_and_predicate(&q[0]),
            ("shopper".into(), Some("strike".into()))
        );
        let q = one("Police searched the woods, including 30 volunteers.");
        assert_eq!(head_and_predicate(&q), ("volunteer".into(), None));
        let q = one("The ministry believes that roughly 14 miners are still alive underground.");
        assert_eq!(
            head_and_predicate(&q),
            ("miner".into(), Some("alive".into()))
        );
    }

    #[test]
    fn elliptical_counts_borrow_the_previous_noun() {
        let q = quantities(
            "Over 90,000 people had fled the valley, but an estimated half a million still remain there.",
        );
        assert_eq!(q.len(), 2, "{q:#?}");
        assert_eq!(q[0].value, Interval::at_least(90_000.0));
        assert_eq!(
            head_and_predicate(&q[0]),
            ("people".into(), Some("flee".into()))
        );
        assert!(q[1].value.low <= 500_000.0 && q[1].value.high >= 500_000.0);
        assert_eq!(
            head_and_predicate(&q[1]),
            ("people".into(), Some("remain".into()))
        );
        let q = quantities("About 1,200 people were killed, with around 250 more taken hostage.");
        assert_eq!(
            head_and_predicate(&q[1]),
            ("people".into(), Some("take hostage".into()))
        );
    }

    #[test]
    fn vague_magnitudes_are_intervals() {
        let q = one("Hundreds of thousands of Palestinians remained in the city.");
        assert_eq!(q.precision, Precision::Vague);
        assert_eq!(q.value, Interval::between(200_000.0, 999_999.0));
        assert_eq!(
            head_and_predicate(&q),
            ("palestinian".into(), Some("remain".into()))
        );
        let q = one("Dozens of captives were released.");
        assert_eq!(q.value, Interval::between(24.0, 99.0));
        assert_eq!(
            head_and_predicate(&q),
            ("captive".into(), Some("release".into()))
        );
    }

    #[test]
    fn number_words_ranges_and_bounds() {
        assert_eq!(
            one("It counts two million residents.").value,
            Interval::exact(2e6)
        );
        assert_eq!(
            one("They found a dozen rockets.").value,
            Interval::exact(12.0)
        );
        assert_eq!(
            one("They held twenty-five hostages.").value,
            Interval::exact(25.0)
        );
        let q = one("Between 20 and 30 soldiers were hurt.");
        assert_eq!(q.value, Interval::between(20.0, 30.0));
        assert_eq!(one("Some 20-30 soldiers were hurt.").value.high, 33.0);
        assert_eq!(
            one("The remains of up to 28 bodies.").value,
            Interval::between(0.0, 28.0)
        );
        assert_eq!(
            one("At least 5 people died.").value,
            Interval::at_least(5.0)
        );
    }

    #[test]
    fn percentages_and_money_normalise() {
        let q = one("Unemployment rose 4.8% last month.");
        assert_eq!(
            (q.unit, q.value),
            (QuantityUnit::Percent, Interval::exact(4.8))
        );
        let q = one("Support fell to about 5 percent.");
        assert_eq!(q.unit, QuantityUnit::Percent);
        assert_eq!(
            q.number.slice("Support fell to about 5 percent."),
            Some("about 5 percent")
        );
        let usd = QuantityUnit::Money {
            currency: "USD".into(),
        };
        let a = one("The package is worth $1.2 billion.");
        let b = one("The package is worth 1,200 million dollars.");
        assert_eq!(
            (a.unit.clone(), a.value),
            (usd.clone(), Interval::exact(1.2e9))
        );
        assert_eq!((b.unit, b.value), (usd, Interval::exact(1.2e9)));
        let e = one("A fine of €3m was paid.");
        assert_eq!(e.value, Interval::exact(3e6));
        assert_eq!(
            e.unit,
            QuantityUnit::Money {
                currency: "EUR".into()
            }
        );
    }

    #[test]
    fn years_dates_times_ordinals_names_and_durations_are_not_quantities() {
        for text in [
            "The attack happened in 2023.",
            "It began on October 7, 2023, at dawn.",
            "Talks resume Nov. 10 in Cairo.",
            "The vote is at 10:30 tomorrow.",
            "The war is nearing its 23rd month.",
            "According to Channel 12 News, a decision is due.",
            "After nearly two years of conflict, they left.",
            "One side of the debate won.",
            "The blast came at around 9 p.m. on Friday.",
            "The case, Wal-Mart Stores v. Dukes, No. 10-277, was argued.",
            "He is the No. 2 official in the party.",
            "Clyburn, 76, said the vote would wait.",
        ] {
            assert!(
                quantities(text).is_empty(),
                "{text}: {:#?}",
                quantities(text)
            );
        }
    }
}
