//! Implied office claims and the stated time of a sentence.
//!
//! The office-holder reader (`holder`) takes a title next to a person only in shapes precise
//! enough to compare across outlets. This module reads the looser ones, as
//! [`ImpliedOffice`] claims that only a knowledge base knowing the person as a holder of the
//! office can confirm (`kb` links them; alignment never compares them):
//!
//! - a title phrase before a person's name ("U.S. President Donald Trump", "IDF Chief of
//!   Staff, Lt. Gen. Eyal Zamir") or in apposition after it ("David Barnea, the chief of
//!   Israel's Mossad"), when the office-holder reader took no office for that mention;
//! - "the Biden administration has …" / "his administration has …", which say the person is
//!   president (or prime minister) now, only in the present tense;
//! - "the former president", about one of the people named shortly before it.
//!
//! It also says whether a sentence anchors itself in a stated time ([`historical`]: "in
//! 2023", "then-", "March 2024", "at the time"), which marks office claims of both kinds, and
//! whether it speaks in the present tense ([`speaks_of_now`]: "the war cabinet *is* …"), which
//! `kb` asks of the sentences where it finds the name of an event that has ended.
//!
//! A title phrase needs no more than a known head word here. Its words are `[implied]` in
//! `data/cues.toml`; "IDF chief" is the chief of staff by the office vocabulary's
//! `military_words`, and stated times use the time reader's month names.

use crate::lexicon::{CUES, NUMBERS};
use crate::office::normalize_office;
use crate::text::Doc;
use corroborate_model::{
    Claim, ClaimKind, EntityKind, ImpliedBy, ImpliedOffice, Mention, Office, Tenure, TextRange,
};
use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;
use std::sync::RwLock;

/// A title phrase next to a name.
#[derive(Debug, Clone, PartialEq)]
struct TitleCue {
    /// The title phrase ("IDF Chief of Staff", "the chief of Israel's Mossad").
    cue: TextRange,
    /// The offices it may denote, most likely first (empty when none is known).
    offices: Vec<Office>,
    /// Former when the phrase says so ("former", "ex-"), else current.
    tenure: Tenure,
}

/// "the Biden administration has …" or "his administration has …", in the present tense.
#[derive(Debug, Clone, PartialEq)]
struct Administration {
    /// The phrase ("the Biden administration", "his administration").
    cue: TextRange,
    /// The name inside the phrase ("Biden"); `None` for "his" / "her".
    name: Option<TextRange>,
    /// The offices it implies the person holds now (president, prime minister).
    offices: Vec<Office>,
}

/// "the former president", "a former army chief".
#[derive(Debug, Clone, PartialEq)]
struct FormerTitle {
    /// From the article to the end of the title ("the former president").
    cue: TextRange,
    /// Where a name would start right after the phrase (one space on), when one may follow;
    /// a name there makes it a title before that name instead.
    next: Option<usize>,
    /// The offices the title may denote (never empty).
    offices: Vec<Office>,
}

/// One implied office reading before it becomes a claim.
struct Reading {
    cue: TextRange,
    offices: Vec<Office>,
    tenure: Tenure,
    candidates: Vec<Mention>,
    implied_by: ImpliedBy,
    name: Option<TextRange>,
}

/// Appends implied office claims, after the office-holder claims (which `out` holds): a title
/// next to a person is read loosely only when it may denote an office the office-holder
/// claims about that mention do not name.
pub(crate) fn extract(doc: &Doc, out: &mut Vec<Claim>) {
    let text = doc.text;
    let people: Vec<&Mention> = doc
        .mentions
        .iter()
        .filter(|m| doc.entity_kind(m.entity) == Some(EntityKind::Person))
        .collect();
    let stated: Vec<(TextRange, &Office, TextRange)> = out
        .iter()
        .filter_map(|c| match &c.kind {
            ClaimKind::OfficeHolder(o) => {
                Some((o.person_span.range(), &o.office, o.office_span.range()))
            }
            _ => None,
        })
        .collect();
    let mut found: Vec<Reading> = Vec::new();
    for (k, m) in people.iter().enumerate() {
        let person = m.span.range();
        let stated_here: Vec<&Office> = stated
            .iter()
            .filter(|(s, _, _)| s.start < person.end && person.start < s.end)
            .map(|&(_, office, _)| office)
            .collect();
        let sentence = doc.evidence(person.start, person.end).range();
        // The title never reaches back over another person's name.
        let floor = k
            .checked_sub(1)
            .and_then(|j| people.get(j))
            .map(|p| p.span.end)
            .filter(|&end| end <= person.start && end > sentence.start)
            .unwrap_or(sentence.start);
        let before = title_before(doc, sentence, floor, person.start)
            .map(|t| (t, ImpliedBy::TitleBeforeName));
        let after = title_after(doc, sentence, person.end).map(|t| (t, ImpliedBy::Apposition));
        for (title, implied_by) in before.into_iter().chain(after) {
            // Read only when it may add an office to what office-holder claims say.
            if title.offices.iter().any(|o| !stated_here.contains(&o)) {
                found.push(Reading {
                    cue: title.cue,
                    offices: title.offices,
                    tenure: title.tenure,
                    candidates: vec![**m],
                    implied_by,
                    name: None,
                });
            }
        }
    }
    for adm in administrations(text) {
        let candidates = match adm.name {
            // "the Biden administration": the person named Biden, when the article names one.
            Some(name) => {
                let mut named: Vec<Mention> = people
                    .iter()
                    .filter(|p| {
                        (p.span.end == name.end && p.span.start <= name.start)
                            || doc.entities.get(p.entity).is_some_and(|e| {
                                surname_is(&e.canonical, doc.slice(name.start, name.end))
                            })
                    })
                    .map(|p| **p)
                    .collect();
                named.sort_by_key(|p| p.span.start.abs_diff(adm.cue.start));
                named
            }
            // "his administration": the person "his" stands for, then the people named before
            // it in this or the last sentence, nearest first.
            None => {
                let pronoun_end = adm.cue.start + 3;
                let resolved = doc.resolved(adm.cue.start, pronoun_end).copied();
                let from = window_start(doc, adm.cue.start, 1);
                resolved
                    .into_iter()
                    .chain(named_before(&people, from, adm.cue.start))
                    .collect()
            }
        };
        found.push(Reading {
            cue: adm.cue,
            offices: adm.offices,
            tenure: Tenure::Current,
            candidates,
            implied_by: ImpliedBy::Administration,
            name: adm.name,
        });
    }
    for former in former_titles(text) {
        // A name right after the phrase makes it a title of that name, and so does an
        // office-holder claim that reads the phrase ("the former president, Tom Reed,").
        let cue = former.cue;
        if former
            .next
            .is_some_and(|next| people.iter().any(|p| p.span.start == next))
            || stated
                .iter()
                .any(|(_, _, office)| office.start < cue.end && cue.start < office.end)
        {
            continue;
        }
        let from = window_start(doc, former.cue.start, 2);
        let candidates = named_before(&people, from, former.cue.start).collect();
        found.push(Reading {
            cue: former.cue,
            offices: former.offices,
            tenure: Tenure::Former,
            candidates,
            implied_by: ImpliedBy::FormerTitle,
            name: None,
        });
    }
    for Reading {
        cue,
        offices,
        tenure,
        mut candidates,
        implied_by,
        name,
    } in found
    {
        let mut seen = Vec::new();
        candidates.retain(|m| {
            let first = !seen.contains(&m.entity);
            seen.push(m.entity);
            first
        });
        if candidates.is_empty() && name.is_none() {
            continue;
        }
        let evidence = doc.evidence(cue.start, cue.end);
        let sentence = doc.slice(evidence.start, evidence.end);
        out.push(Claim {
            evidence,
            kind: ClaimKind::ImpliedOffice(ImpliedOffice {
                cue: doc.span(cue.start, cue.end),
                offices,
                tenure,
                candidates,
                name: name.map(|n| doc.span(n.start, n.end)),
                implied_by,
                historical: historical(sentence, doc.slice(cue.start, cue.end)),
            }),
        });
    }
}

/// True when the last word of `full` is `surname` ("Joe Biden", "Biden").
fn surname_is(full: &str, surname: &str) -> bool {
    full.rsplit(' ').next() == Some(surname) && full.len() > surname.len()
}

/// People named in `[from, before)`, nearest first.
fn named_before<'m>(
    people: &'m [&'m Mention],
    from: usize,
    before: usize,
) -> impl Iterator<Item = Mention> + 'm {
    people
        .iter()
        .rev()
        .filter(move |p| p.span.end <= before && p.span.start >= from)
        .map(|p| **p)
}

/// Where a window of the sentence around byte `at` and the `back` sentences before it starts.
/// A sentence counts as before only when the previous one ends right before it (a space, not a
/// paragraph break), so the window never reaches over a paragraph.
fn window_start(doc: &Doc, at: usize, back: usize) -> usize {
    let sentences = &doc.sentences;
    let i = sentences.partition_point(|s| s.range.end <= at);
    let Some(mut start) = sentences
        .get(i)
        .filter(|s| s.range.start <= at)
        .map(|s| s.range.start)
    else {
        return at;
    };
    for j in (0..i).rev().take(back) {
        let previous = sentences[j].range;
        if previous.end + 2 <= start {
            break;
        }
        start = previous.start;
    }
    start
}

/// Strips possessive and bracket punctuation from a token ("(IDF)" → "IDF", "president’s" →
/// "president").
fn bare(token: &str) -> &str {
    let t = token.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '“' | '”'));
    t.strip_suffix("’s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t)
}

/// The words of `[from, to)` as written between spaces, punctuation attached ("(IDF)",
/// "Staff,", "Lt."): runs of the token layer's tokens with nothing between them. Title phrases
/// are read in these units because their punctuation decides where a phrase ends.
fn spaced_words(doc: &Doc, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for t in doc.tokens[doc.token_at(from)..]
        .iter()
        .take_while(|t| t.end <= to)
    {
        match out.last_mut() {
            Some(last) if last.1 == t.start => last.1 = t.end,
            _ => out.push((t.start, t.end)),
        }
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
fn title_before(
    doc: &Doc,
    sentence: TextRange,
    floor: usize,
    name_start: usize,
) -> Option<TitleCue> {
    let from = floor.max(sentence.start);
    let text = doc.text;
    let toks = spaced_words(doc, from, name_start);
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
fn title_after(doc: &Doc, sentence: TextRange, name_end: usize) -> Option<TitleCue> {
    let text = doc.text;
    let rest = text.get(name_end..sentence.end)?;
    let after_comma = rest.strip_prefix(", ")?;
    let start = name_end + 2;
    let toks = spaced_words(doc, start, sentence.end);
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
fn offices_of(phrase: &str) -> Vec<Office> {
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
fn administrations(text: &str) -> Vec<Administration> {
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
fn former_titles(text: &str) -> Vec<FormerTitle> {
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
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};

    /// Implied office claims as (cue, first office, tenure, candidates' names, shape).
    fn implied(
        text: &str,
        people: &[&str],
    ) -> Vec<(String, String, Tenure, Vec<String>, ImpliedBy)> {
        let names: Vec<(&str, EntityKind)> =
            people.iter().map(|p| (*p, EntityKind::Person)).collect();
        let doc = article(text, &names);
        let claims = extract_claims(&doc);
        of_kind(&claims, |k| match k {
            ClaimKind::ImpliedOffice(o) => Some(o),
            _ => None,
        })
        .into_iter()
        .map(|o| {
            (
                doc.quote(o.cue).to_string(),
                o.offices[0].title.clone(),
                o.tenure,
                o.candidates
                    .iter()
                    .map(|m| doc.entities[m.entity].canonical.clone())
                    .collect(),
                o.implied_by,
            )
        })
        .collect()
    }

    #[test]
    fn implied_claims_name_their_candidates_nearest_first() {
        let got = implied(
            "Ana Vell met Tom Reed on Monday. His administration has refused to comment.",
            &["Ana Vell", "Tom Reed"],
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "His administration");
        assert_eq!(got[0].3, ["Tom Reed", "Ana Vell"]);
        assert_eq!(got[0].4, ImpliedBy::Administration);
        // A paragraph break ends the window; the past tense reads nothing.
        assert!(
            implied(
                "Tom Reed spoke.\n\nHis administration has refused.",
                &["Tom Reed"]
            )
            .is_empty()
        );
        assert!(implied("Tom Reed spoke. His administration refused.", &["Tom Reed"]).is_empty());
        let named = implied("The Reed administration is weighing sanctions.", &["Reed"]);
        assert_eq!(named.len(), 1, "{named:?}");
        assert_eq!(named[0].3, ["Reed"]);
    }

    #[test]
    fn a_former_title_looks_two_sentences_back_and_a_named_one_is_a_title() {
        let got = implied(
            "Tom Reed left office in May. Ana Vell took over. Aides say the former president still calls.",
            &["Tom Reed", "Ana Vell"],
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].2, got[0].4),
            (
                "the former president",
                Tenure::Former,
                ImpliedBy::FormerTitle
            )
        );
        assert_eq!(got[0].3, ["Ana Vell", "Tom Reed"]);
        let titled = implied("He met the former president Tom Reed.", &["Tom Reed"]);
        assert!(
            titled.iter().all(|t| t.4 == ImpliedBy::TitleBeforeName),
            "{titled:?}"
        );
    }

    #[test]
    fn loose_titles_add_only_offices_the_office_holder_claims_miss() {
        let got = implied(
            "Reporters asked U.S. President Tom Reed about it. Ana Vell, the chief of Lakeland's spy agency, declined.",
            &["Tom Reed", "Ana Vell"],
        );
        let shapes: Vec<(&str, &str, ImpliedBy)> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1.as_str(), g.4))
            .collect();
        // "U.S. President Tom Reed" is an office-holder claim already; the spy chief is not.
        assert_eq!(
            shapes,
            [(
                "the chief of Lakeland's spy agency",
                "intelligence chief",
                ImpliedBy::Apposition
            )]
        );
        let historical = extract_claims(&article(
            "In 2023, Defense Minister Tom Reed ordered a siege.",
            &[("Tom Reed", EntityKind::Person)],
        ));
        let holders = of_kind(&historical, |k| match k {
            ClaimKind::OfficeHolder(o) => Some(o),
            _ => None,
        });
        assert!(holders.iter().all(|h| h.historical) && !holders.is_empty());
    }

    fn before(text: &str, name: &str) -> Option<(String, Vec<String>, Tenure)> {
        let start = text.find(name)?;
        let a = article(text, &[]);
        let doc = Doc::new(&a);
        let c = title_before(&doc, TextRange::new(0, text.len()), 0, start)?;
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
        let a = article(text, &[]);
        let doc = Doc::new(&a);
        assert!(title_before(&doc, TextRange::new(0, text.len()), floor, start).is_none());
    }

    #[test]
    fn appositions_start_like_a_title() {
        let text =
            "Ana Vell, the chief of Lakeland's spy agency, declined. Tom Reed, a farmer, agreed.";
        let s = TextRange::new(0, text.find(" Tom").unwrap());
        let a = article(text, &[]);
        let doc = Doc::new(&a);
        let c = title_after(&doc, s, "Ana Vell".len()).unwrap();
        assert_eq!(
            &text[c.cue.start..c.cue.end],
            "the chief of Lakeland's spy agency"
        );
        assert_eq!(c.offices[0].title, "intelligence chief");
        let tom = text.find("Tom").unwrap();
        let s = TextRange::new(tom, text.len());
        assert!(title_after(&doc, s, tom + "Tom Reed".len()).is_none());
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
