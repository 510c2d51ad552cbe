//! Implied office assertions and the stated time of a sentence, read for the knowledge base.
//!
//! The knowledge base finds the people it knows by name (the only step that needs its name
//! tables) and asks this module what the text around them says; it reads no text itself:
//!
//! - [`title_before`] and [`title_after`]: a title written before a name ("U.S. President
//!   Donald Trump", "IDF Chief of Staff, Lt. Gen. Eyal Zamir") or in apposition after it
//!   ("David Barnea, the chief of Israel's Mossad"), with the offices it may denote and
//!   whether it is held now or formerly;
//! - [`administrations`]: "the Biden administration has …" / "his administration has …",
//!   which say the person is president (or prime minister) now, only in the present tense;
//! - [`former_titles`]: "the former president", which the knowledge base resolves to the
//!   nearest preceding holder of that office;
//! - [`historical`]: the sentence anchors itself in a stated time ("in 2023", "then-",
//!   "March 2024", "at the time"), so what it says of an office is about that time;
//! - [`speaks_of_now`]: the sentence speaks in the present tense and anchors itself in no
//!   stated time ("the war cabinet *is* …").
//!
//! These readings are looser than the office-holder claims of `holder` (which need nlp's
//! person entities): they are only used once the knowledge base has linked the name to a
//! holder of the office, so a title phrase needs no more than a known head word. Their words
//! are `[implied]` in `data/cues.toml`; "IDF chief" is the chief of staff by the office
//! vocabulary's `military_words`, and stated times use the time reader's month names.

use crate::lexicon::{CUES, NUMBERS};
use crate::office::normalize_office;
use corroborate_model::{Office, Tenure, TextRange};
use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;
use std::sync::RwLock;

/// A title phrase next to a name.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleCue {
    /// The title phrase ("IDF Chief of Staff", "the chief of Israel's Mossad").
    pub cue: TextRange,
    /// The offices it may denote, most likely first (empty when none is known).
    pub offices: Vec<Office>,
    /// Former when the phrase says so ("former", "ex-"), else current.
    pub tenure: Tenure,
}

/// "the Biden administration has …" or "his administration has …", in the present tense.
#[derive(Debug, Clone, PartialEq)]
pub struct Administration {
    /// The phrase ("the Biden administration", "his administration").
    pub cue: TextRange,
    /// The name inside the phrase ("Biden"); `None` for "his" / "her".
    pub name: Option<TextRange>,
    /// The offices it implies the person holds now (president, prime minister).
    pub offices: Vec<Office>,
}

/// "the former president", "a former army chief".
#[derive(Debug, Clone, PartialEq)]
pub struct FormerTitle {
    /// From the article to the end of the title ("the former president").
    pub cue: TextRange,
    /// Where a name would start right after the phrase (one space on), when one may follow;
    /// a name there makes it a title before that name instead.
    pub next: Option<usize>,
    /// The offices the title may denote (never empty).
    pub offices: Vec<Office>,
}

/// Strips possessive and bracket punctuation from a token ("(IDF)" → "IDF", "president’s" →
/// "president").
fn bare(token: &str) -> &str {
    let t = token.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '“' | '”'));
    t.strip_suffix("’s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t)
}

/// Whitespace-separated tokens of `text[from..to]` as byte ranges.
fn tokens(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let Some(slice) = text.get(from..to) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in slice.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((from + s, from + i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((from + s, to));
    }
    out
}

fn allowed_in_title(token: &str) -> bool {
    let b = bare(token);
    let lower = b.to_lowercase();
    b.chars().next().is_some_and(char::is_uppercase)
        || CUES.implied.title_words.contains(&lower)
        || lower.starts_with("ex-")
}

fn is_abbreviation(token: &str) -> bool {
    let core = token.trim_end_matches(',');
    core.len() <= 5 && core.ends_with('.') && core.chars().next().is_some_and(char::is_uppercase)
}

fn trim_range(text: &str, r: TextRange) -> TextRange {
    let slice = text.get(r.start..r.end).unwrap_or("");
    let trimmed = slice.trim_end_matches([',', ';', ':', ' ']);
    TextRange::new(r.start, r.start + trimmed.len())
}

fn cue(text: &str, range: TextRange) -> TitleCue {
    let phrase = text.get(range.start..range.end).unwrap_or("");
    TitleCue {
        cue: range,
        offices: offices_of(phrase),
        tenure: tenure_of(phrase),
    }
}

/// A title phrase ending right before a name at `name_start` ("IDF Chief of Staff, Lt.
/// Gen."), within `sentence` and not reaching back before `floor` (the end of the previous
/// name in the sentence, or the sentence start).
pub fn title_before(
    text: &str,
    sentence: TextRange,
    floor: usize,
    name_start: usize,
) -> Option<TitleCue> {
    let from = floor.max(sentence.start);
    let toks = tokens(text, from, name_start);
    let mut i = toks.len();
    while i > 0 {
        let t = text.get(toks[i - 1].0..toks[i - 1].1).unwrap_or("");
        if CUES.implied.ranks.contains(&t.to_lowercase()) {
            i -= 1;
        } else {
            break;
        }
    }
    let end_tok = i;
    let mut start_tok = i;
    while start_tok > 0 && end_tok - start_tok < 8 {
        let (s, e) = toks[start_tok - 1];
        let t = text.get(s..e).unwrap_or("");
        let nearest = start_tok == end_tok;
        let ends_clause = t.ends_with([',', ';', ':', '.', '—', '–']) && !is_abbreviation(t);
        if ends_clause && !nearest {
            break;
        }
        let word = t.trim_end_matches([',', ';', ':', '—', '–']);
        if !allowed_in_title(word) || (t.ends_with('.') && !is_abbreviation(t)) {
            break;
        }
        start_tok -= 1;
        if ends_clause && nearest && !t.ends_with(',') {
            break;
        }
    }
    while start_tok < end_tok {
        let t = text.get(toks[start_tok].0..toks[start_tok].1).unwrap_or("");
        if matches!(
            bare(t).to_lowercase().as_str(),
            "of" | "the" | "and" | "for"
        ) {
            start_tok += 1;
        } else {
            break;
        }
    }
    if start_tok >= end_tok {
        return None;
    }
    let (s, _) = toks[start_tok];
    let (ls, le) = toks[end_tok - 1];
    let head = text
        .get(ls..le)
        .unwrap_or("")
        .trim_end_matches([',', ';', ':'])
        .to_lowercase();
    CUES.implied
        .title_heads
        .contains(bare(&head))
        .then(|| cue(text, trim_range(text, TextRange::new(s, le))))
}

/// A title phrase in apposition right after a name ending at `name_end`: ", the military
/// chief of staff,".
pub fn title_after(text: &str, sentence: TextRange, name_end: usize) -> Option<TitleCue> {
    let rest = text.get(name_end..sentence.end)?;
    let after_comma = rest.strip_prefix(", ")?;
    let start = name_end + 2;
    let toks = tokens(text, start, sentence.end);
    let mut end = None;
    for (count, &(s, e)) in toks.iter().enumerate() {
        let t = text.get(s..e).unwrap_or("");
        let word = t.trim_end_matches([',', ';', ':', '.', '—', '–']);
        if !allowed_in_title(word) || count >= 8 {
            break;
        }
        end = Some(s + word.len());
        if word.len() != t.len() {
            break;
        }
    }
    let end = end?;
    let first = after_comma
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let starts_like_title =
        matches!(first.as_str(), "the" | "former" | "current") || first.starts_with("ex-");
    starts_like_title.then(|| cue(text, TextRange::new(start, end)))
}

fn tenure_of(phrase: &str) -> Tenure {
    let lower = phrase.to_lowercase();
    if lower
        .split_whitespace()
        .any(|w| w == "former" || w.starts_with("ex-") || w == "ex")
    {
        Tenure::Former
    } else {
        Tenure::Current
    }
}

/// Offices a title phrase may denote: the vocabulary's reading, and for "IDF chief" / "army
/// head" (which the vocabulary reads as a generic chief) also the chief of staff. Title
/// phrases repeat across articles ("Prime Minister", "U.S. President"), so readings are
/// memoised.
pub fn offices_of(phrase: &str) -> Vec<Office> {
    static MEMO: Lazy<RwLock<HashMap<String, Vec<Office>>>> = Lazy::new(Default::default);
    const MEMO_LIMIT: usize = 50_000;
    if let Some(known) = MEMO.read().ok().and_then(|m| m.get(phrase).cloned()) {
        return known;
    }
    let mut out = Vec::new();
    if let Some(o) = normalize_office(phrase, None) {
        let lower = phrase.to_lowercase();
        let army = CUES
            .office
            .military_words
            .iter()
            .any(|w| lower.contains(w.as_str()));
        if o.title == "intelligence chief" && army {
            out.push(Office {
                title: "chief of staff".into(),
                org: o.org.clone(),
            });
        }
        out.push(o);
    }
    if let Ok(mut memo) = MEMO.write()
        && memo.len() < MEMO_LIMIT
    {
        memo.insert(phrase.to_string(), out.clone());
    }
    out
}

static ADMINISTRATION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?-u:\b)(?:(?:[Tt]he\s+)?([A-Z][\p{L}'’-]+?)(?:’s|'s)?|([Hh]is|[Hh]er))\s+administration(?-u:\b)",
    )
    .expect("valid regex")
});
static PRESENT_VERB: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"^[\s,]*(?:\w+ly\s+)?(?:has|have|is|are|continues|remains|says|insists|wants|will)(?-u:\b)",
    )
    .expect("valid regex")
});
static NOT_CURRENT_BEFORE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(?:former|previous|prior|under|during|then|outgoing|last)\s+(?:the\s+)?$")
        .expect("valid regex")
});

/// Every "X administration" / "his administration" followed by a present-tense verb and not
/// preceded by a word that puts it in the past ("under", "former", "then").
pub fn administrations(text: &str) -> Vec<Administration> {
    if !text.contains("administration") {
        return Vec::new();
    }
    let heads = || {
        ["president", "prime minister"]
            .map(|t| Office {
                title: t.into(),
                org: None,
            })
            .to_vec()
    };
    let mut out = Vec::new();
    for caps in ADMINISTRATION.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let before = text
            .get(whole.start().saturating_sub(24)..whole.start())
            .unwrap_or("");
        if NOT_CURRENT_BEFORE.is_match(before) {
            continue;
        }
        let after = text.get(whole.end()..).unwrap_or("");
        if !PRESENT_VERB.is_match(after) {
            continue;
        }
        out.push(Administration {
            cue: TextRange::new(whole.start(), whole.end()),
            // "His administration" at the start of a sentence is a pronoun, not a name.
            name: caps
                .get(1)
                .filter(|name| !matches!(name.as_str(), "His" | "Her"))
                .map(|name| TextRange::new(name.start(), name.end())),
            offices: heads(),
        });
    }
    out
}

static FORMER_TITLE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?-u:\b)(?:[Tt]he|[Aa])\s+(former|ex-)\s*((?:[A-Za-z.]+\s+){0,3}?(?:president|prime minister|premier|chancellor|defen[cs]e (?:minister|secretary)|foreign (?:minister|secretary)|secretary of (?:state|defense)|chief of staff|army chief|military chief|spy chief|intelligence chief))(?:’s|'s)?(?-u:\b)")
        .expect("valid regex")
});

/// Every "the former president" / "an ex-defense minister" whose title names a known office.
pub fn former_titles(text: &str) -> Vec<FormerTitle> {
    if !(text.contains("former") || text.contains("ex-")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for caps in FORMER_TITLE.captures_iter(text) {
        let (Some(whole), Some(title)) = (caps.get(0), caps.get(2)) else {
            continue;
        };
        let offices = offices_of(&text[title.start()..title.end()]);
        if offices.is_empty() {
            continue;
        }
        let rest = text.get(whole.end()..).unwrap_or("");
        out.push(FormerTitle {
            cue: TextRange::new(whole.start(), title.end()),
            next: rest.starts_with(' ').then_some(whole.end() + 1),
            offices,
        });
    }
    out
}

/// A stated time: "in 2023", "since early 2019", "March 2024", "May 5, 2021", "then-",
/// "last year", "years ago", "at the time", "previously". Month names are the time reader's.
static HISTORICAL: Lazy<Regex> = Lazy::new(|| {
    let mut months: Vec<&str> = NUMBERS.months.keys().map(String::as_str).collect();
    months.sort_by_key(|m| std::cmp::Reverse(m.len()));
    Regex::new(&format!(
        r"(?i-u)\b(?:(?:in|since|during|until|by)\s+(?:early\s+|late\s+|mid-)?(?:19|20)\d\d|then[- ]|last year|years? ago|at the time|at that time|previously|earlier in (?:the|his|her) (?:career|tenure))\b|\b(?:{})\s+(?:\d{{1,2}},\s+)?(?:19|20)\d\d\b",
        months.join("|")
    ))
    .expect("valid regex")
});

static PRESENT_TENSE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?-u:\b)(?:is|are|continues|remains|has been|have been)(?-u:\b)")
        .expect("valid regex")
});

/// True when `sentence` anchors itself in a stated time ("in 2023", "then-"), or the office
/// phrase `cue` in it says "then", so that what it asserts is about that time.
pub fn historical(sentence: &str, cue: &str) -> bool {
    HISTORICAL.is_match(sentence) || cue.to_lowercase().contains("then")
}

/// True when `sentence` speaks in the present tense ("is", "remains", "has been") and anchors
/// itself in no stated time.
pub fn speaks_of_now(sentence: &str) -> bool {
    PRESENT_TENSE.is_match(sentence) && !HISTORICAL.is_match(sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(text: &str, name: &str) -> Option<(String, Vec<String>, Tenure)> {
        let start = text.find(name)?;
        let c = title_before(text, TextRange::new(0, text.len()), 0, start)?;
        Some((
            text[c.cue.start..c.cue.end].to_string(),
            c.offices.into_iter().map(|o| o.title).collect(),
            c.tenure,
        ))
    }

    #[test]
    fn titles_before_names_reach_over_ranks_brackets_and_one_comma() {
        let (cue, offices, tenure) = before(
            "The Lakeland Defence Forces (LDF) Chief of Staff, Lt. Gen. Ana Vell, spoke.",
            "Ana",
        )
        .unwrap();
        assert_eq!(cue, "Lakeland Defence Forces (LDF) Chief of Staff");
        assert_eq!(offices[0], "chief of staff");
        assert_eq!(tenure, Tenure::Current);
        let (cue, offices, tenure) =
            before("Guests included former army chief Tom Reed.", "Tom").unwrap();
        assert_eq!(cue, "former army chief");
        assert_eq!(offices[0], "chief of staff");
        assert_eq!(tenure, Tenure::Former);
        // The phrase stops at a full stop and needs a title head next to the name.
        assert!(before("He left. Tom Reed stayed.", "Tom").is_none());
        assert!(before("The Rowing Club Tom Reed spoke.", "Tom").is_none());
    }

    #[test]
    fn the_floor_keeps_a_title_from_reaching_over_another_name() {
        let text = "Prime Minister Ana Vell and Tom Reed spoke.";
        let start = text.find("Tom").unwrap();
        let floor = text.find(" and").unwrap();
        assert!(title_before(text, TextRange::new(0, text.len()), floor, start).is_none());
    }

    #[test]
    fn appositions_start_like_a_title() {
        let text =
            "Ana Vell, the chief of Lakeland's spy agency, declined. Tom Reed, a farmer, agreed.";
        let s = TextRange::new(0, text.find(" Tom").unwrap());
        let c = title_after(text, s, "Ana Vell".len()).unwrap();
        assert_eq!(
            &text[c.cue.start..c.cue.end],
            "the chief of Lakeland's spy agency"
        );
        assert_eq!(c.offices[0].title, "intelligence chief");
        let tom = text.find("Tom").unwrap();
        let s = TextRange::new(tom, text.len());
        assert!(title_after(text, s, tom + "Tom Reed".len()).is_none());
    }

    #[test]
    fn administrations_only_in_the_present_tense() {
        let text = "The Vell administration has refused. His administration is firm. Under the Reed administration is a phrase. With help from the Reed administration, he went.";
        let got = administrations(text);
        let read: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|a| {
                (
                    &text[a.cue.start..a.cue.end],
                    a.name.map(|n| &text[n.start..n.end]),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("The Vell administration", Some("Vell")),
                ("His administration", None)
            ]
        );
        assert_eq!(got[0].offices[0].title, "president");
    }

    #[test]
    fn former_titles_know_whether_a_name_may_follow() {
        let text = "Aides say the former president, not his rival, agreed; a former prime minister Tom Reed agreed.";
        let got = former_titles(text);
        assert_eq!(got.len(), 2);
        assert_eq!(
            &text[got[0].cue.start..got[0].cue.end],
            "the former president"
        );
        assert_eq!(got[0].next, None);
        assert_eq!(got[1].offices[0].title, "prime minister");
        assert_eq!(got[1].next, text.find("Tom"));
        assert!(former_titles("The former rowing coach spoke.").is_empty());
    }

    #[test]
    fn stated_times_and_the_present_tense() {
        for s in [
            "In 2023, the minister resigned.",
            "By early 2019 the board had met.",
            "The council met in March 2024.",
            "It was signed on Sept 5, 2021.",
            "Years ago the plan was drafted.",
            "At the time the port was closed.",
        ] {
            assert!(historical(s, ""), "{s}");
            assert!(!speaks_of_now(s), "{s}");
        }
        assert!(historical("The mayor spoke.", "Then-Mayor"));
        assert!(!historical("The mayor is absent.", "Mayor"));
        assert!(speaks_of_now("The river council remains divided."));
        assert!(!speaks_of_now("The river council met."));
    }
}
