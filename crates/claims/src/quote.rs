//! Quote claims: text inside curly (“…”) or straight ("…") double quotes, with the speaker
//! and the cue that attributes it.
//!
//! Quotation marks are paired per paragraph (a curly opening mark without a closing one runs
//! to the end of its paragraph, as in multi-paragraph quotes; curly marks nest; a straight
//! mark may close a curly one and the reverse). The cue is looked for, in
//! order: right after the closing mark (`,” the letter states`, `,” said Ayalon`), right
//! before the opening mark (`Mr. Plesner, a lawmaker, elaborated, “`), and earlier in the
//! same sentence (`Blinken warned that such a move would be “a strategic mistake”`). A quote
//! with no cue that opens right after the previous attributed quote inherits its speaker
//! (`“…,” Ayalon said. “It is leading …”`).
//!
//! Short quotes (at most [`SHORT_QUOTE_WORDS`] words: scare quotes such as “hell”,
//! nicknames) are still claims, but take a speaker only from an adjacent cue or from a
//! named entity's speech verb earlier in the sentence ("Katz vowed to unleash “hell”"),
//! never a description or pronoun, never from a previous quote, and never pass their
//! speaker on: a scare quote marks a word, not a statement.

use crate::lexicon::CUES;
use crate::text::{Doc, Kind, PhraseSet};
use corroborate_model::{Claim, ClaimKind, EntityKind, Quote, Span, Speaker, TextRange};
use once_cell::sync::Lazy;

static PARAPHRASE_MARKERS: Lazy<PhraseSet> =
    Lazy::new(|| PhraseSet::new(CUES.paraphrase_markers.iter().map(String::as_str)));

/// Quotes of at most this many words are treated as scare quotes (see the module docs).
pub const SHORT_QUOTE_WORDS: usize = 3;

/// A pair of quotation marks and what they enclose.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteRegion {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// The quoted words, without marks, surrounding spaces or a trailing comma.
    pub content: TextRange,
    /// Byte offset just after the closing mark (the paragraph end when unterminated).
    pub close: usize,
    /// Number of words inside.
    pub words: usize,
}

/// Finds every quotation in the text, paragraph by paragraph.
///
/// Curly marks nest (`“… what he calls “hell” than …”` is two quotations), and a straight
/// mark may close a curly one or the reverse (`“Immunity deals …," Chaffetz said`), as
/// editors mix them.
pub(crate) fn find_regions(text: &str) -> Vec<QuoteRegion> {
    let mut regions = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        let line_end = base + line.trim_end().len();
        let mut straight: Option<usize> = None;
        let mut curly: Vec<usize> = Vec::new();
        let mut chars = line.char_indices().peekable();
        let mut before = ' ';
        while let Some((off, c)) = chars.next() {
            let at = base + off;
            let after = chars.peek().map_or(' ', |&(_, n)| n);
            match c {
                '“' => curly.push(at),
                '”' => {
                    let open = curly.pop().or_else(|| straight.take());
                    if let Some(open) = open {
                        let inner = open + text[open..].chars().next().map_or(1, char::len_utf8);
                        push_region(text, &mut regions, open, inner, at, at + c.len_utf8());
                    }
                }
                '"' => match straight.take() {
                    Some(open) => push_region(text, &mut regions, open, open + 1, at, at + 1),
                    // A closing mark (after a word or punctuation, before a space or
                    // punctuation) ends the open curly quotation.
                    None if !curly.is_empty()
                        && !before.is_whitespace()
                        && !after.is_alphanumeric() =>
                    {
                        if let Some(open) = curly.pop() {
                            push_region(
                                text,
                                &mut regions,
                                open,
                                open + '“'.len_utf8(),
                                at,
                                at + 1,
                            );
                        }
                    }
                    None => straight = Some(at),
                },
                _ => {}
            }
            before = c;
        }
        // An unclosed curly quotation runs to the end of its paragraph (the outermost one
        // when several are open).
        if let Some(&open) = curly.first() {
            push_region(
                text,
                &mut regions,
                open,
                open + '“'.len_utf8(),
                line_end,
                line_end,
            );
        }
    }
    regions.sort_by_key(|r| r.open);
    regions
}

fn push_region(
    text: &str,
    out: &mut Vec<QuoteRegion>,
    open: usize,
    inner_start: usize,
    inner_end: usize,
    close: usize,
) {
    let Some(inner) = text.get(inner_start..inner_end) else {
        return;
    };
    let trimmed_start = inner_start + (inner.len() - inner.trim_start().len());
    let trimmed = inner.trim();
    let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
    if trimmed.is_empty() {
        return;
    }
    out.push(QuoteRegion {
        open,
        content: TextRange::new(trimmed_start, trimmed_start + trimmed.len()),
        close,
        words: trimmed.split_whitespace().count(),
    });
}

/// True when byte `at` lies inside some quotation (regions sorted by `open`).
pub(crate) fn inside(regions: &[QuoteRegion], at: usize) -> bool {
    let i = regions.partition_point(|r| r.open <= at);
    regions[..i].iter().rev().take(4).any(|r| at < r.close)
}

/// A speaker with the cue that names it, as found near a quote or a speech verb.
#[derive(Debug, Clone)]
pub(crate) struct Attributed {
    pub speaker: Speaker,
    pub cue: Span,
    /// Where the attributing clause ends (for quote continuation).
    pub clause_end: usize,
    pub marked_paraphrase: bool,
}

/// Appends one quote claim per quotation region to `out`.
pub(crate) fn extract(doc: &Doc, regions: &[QuoteRegion], out: &mut Vec<Claim>) {
    let mut previous: Option<(QuoteRegion, Attributed)> = None;
    for region in regions {
        let short = region.words <= SHORT_QUOTE_WORDS;
        let after = cue_after(doc, region);
        // `“It’s heartbreaking,” Ryan said.`: a short quote closed by its own punctuation
        // and followed by its cue is a statement, not a scare quote, and passes its speaker on.
        let statement = after.is_some() && closes_with_punctuation(doc.text, region);
        let mut attributed = after.or_else(|| cue_before(doc, region)).or_else(|| {
            cue_in_sentence(doc, region)
                .filter(|a| !short || matches!(a.speaker, Speaker::Entity { .. }))
        });
        let mut inherited = false;
        if attributed.is_none()
            && !short
            && let Some((_, prev)) = &previous
            && continues(doc.text, prev.clause_end, region.open)
        {
            attributed = Some(prev.clone());
            inherited = true;
        }
        let evidence_end = attributed
            .as_ref()
            .filter(|_| !inherited)
            .map_or(region.close, |a| a.clause_end.max(region.close));
        let evidence_start = attributed
            .as_ref()
            .filter(|_| !inherited)
            .map_or(region.open, |a| a.cue.start.min(region.open));
        out.push(Claim {
            evidence: doc.evidence_covering(evidence_start, evidence_end),
            kind: ClaimKind::Quote(Quote {
                content: doc.span(region.content.start, region.content.end),
                speaker: attributed.as_ref().map(|a| a.speaker.clone()),
                cue: attributed.as_ref().filter(|_| !inherited).map(|a| a.cue),
                marked_paraphrase: attributed.as_ref().is_some_and(|a| a.marked_paraphrase),
            }),
        });
        if short && !statement {
            // `,” Flynn said on Fox News’s “Fox and Friends.” “I mean …`: a title inside the
            // attributing clause does not end it.
            if let Some((_, prev)) = &mut previous
                && same_clause(doc.text, prev.clause_end, region.open)
            {
                prev.clause_end = region.close;
            }
        } else {
            previous = match attributed {
                Some(mut a) => {
                    a.clause_end = if inherited {
                        region.close
                    } else {
                        a.clause_end.max(region.close)
                    };
                    Some((*region, a))
                }
                None => None,
            };
        }
    }
}

/// True when the quoted words end with a comma or a sentence's end inside the marks.
fn closes_with_punctuation(text: &str, region: &QuoteRegion) -> bool {
    text.get(region.content.start..region.close)
        .and_then(|inner| inner.trim_end_matches(['”', '"']).chars().next_back())
        .is_some_and(|c| matches!(c, ',' | '.' | '!' | '?'))
}

/// True when nothing but a few words of one clause (no sentence end, no other quotation, no
/// line break) lies between `from` and `to`.
fn same_clause(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| {
        gap.len() <= 80 && !gap.contains(['\n', '.', '!', '?', ';', '“', '”', '"'])
    })
}

/// True when only the rest of one sentence (no other text-bearing sentence) separates the
/// previous quote's attribution from the next opening mark.
fn continues(text: &str, from: usize, to: usize) -> bool {
    let Some(gap) = text.get(from..to) else {
        return false;
    };
    if gap.len() > 200 || gap.contains(['“', '”', '"']) {
        return false;
    }
    let trimmed = gap.trim_end();
    let terminators = trimmed
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && trimmed[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
                && !after_abbreviation(&trimmed[..i])
        })
        .count();
    terminators <= 1 && (trimmed.is_empty() || trimmed.ends_with(['.', '!', '?', ',', ';', ':']))
}

/// True when `before` ends with a short capitalised word such as "Mr" or "N.C" (its dot is
/// no sentence end).
fn after_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
        .next()
        .unwrap_or("");
    word.len() <= 4 && word.chars().next().is_some_and(char::is_uppercase)
}

/// Index of the first token at or after `at` that lies on the same line.
fn first_token_on_line(doc: &Doc, at: usize) -> Option<usize> {
    let i = doc.token_at(at);
    let t = doc.tokens.get(i)?;
    let between = doc.text.get(at..t.start)?;
    (!between.contains('\n')).then_some(i)
}

/// `,” the letter states` / `,” said Ayalon` / `,” one former Mossad officer said` /
/// `,” Scott Hale, the mayor of Dover, said` / `.” ― Pamela Reyes` (a by-line under the quote).
fn cue_after(doc: &Doc, region: &QuoteRegion) -> Option<Attributed> {
    let k = first_token_on_line(doc, region.close)?;
    if DASHES.contains(&doc.word(k)) {
        return dash_byline(doc, k);
    }
    if doc.kind(k) != Kind::Word || CUES.subordinators.contains(doc.lower(k)) {
        return None;
    }
    let limit = clause_end(doc, k, 12);
    if is_speech_verb(doc, k) {
        // `,” said 9/11 widow Ann Ross` / `,” said Harbour Chief Dana Whitlow`.
        let speaker = match head_person(doc, k + 1, name_end(doc, k + 1, 8)) {
            Some(m) => entity_speaker(doc, m.entity, m.span),
            None => {
                let end = words_until(doc, k + 1, limit, 6);
                // `said Del. Mara Price of the Virgin Islands`: an unknown name before a
                // preposition is the speaker, not the place after it.
                speaker_of(doc, k + 1, end, true)
                    .or_else(|| capitalised_name(doc, k + 1, head_end(doc, k + 1, end)))
            }
        }?;
        return Some(attributed(doc, speaker, k, limit));
    }
    let verb = verb_after_subject(doc, k)?;
    let subject_end = strip_adverbs(doc, k, verb);
    let speaker = subject_speaker(doc, k, subject_end)?;
    Some(attributed(doc, speaker, verb, clause_end(doc, verb, 12)))
}

/// Dashes that introduce a by-line after a quote.
const DASHES: [&str; 4] = ["―", "—", "–", "-"];

/// `“…” ― Pamela Reyes`: a name alone after a dash, up to the line end, is the speaker.
fn dash_byline(doc: &Doc, dash: usize) -> Option<Attributed> {
    let end = clause_end(doc, dash + 1, 8);
    let at_line_end = doc
        .text
        .get(doc.end(end.saturating_sub(1))..doc.start(end + usize::from(doc.word(end) == ".")))
        .is_some_and(|g| g.contains('\n'))
        || end + usize::from(doc.word(end) == ".") >= doc.tokens.len();
    if end == dash + 1 || !at_line_end {
        return None;
    }
    let speaker =
        speaker_of(doc, dash + 1, end, true).or_else(|| capitalised_name(doc, dash + 1, end))?;
    let mut a = attributed(doc, speaker, dash, end);
    a.cue = doc.token_span(dash, dash + 1);
    Some(a)
}

/// The speech verb of a subject starting at `k`: within eight tokens, or after an appositive
/// or parenthesis closed by `,` / `)` (`Scott Hale, the mayor of Dover, said`), in one clause.
fn verb_after_subject(doc: &Doc, k: usize) -> Option<usize> {
    let mut j = k + 1;
    while j < doc.tokens.len() && j - k < 30 {
        if doc
            .text
            .get(doc.end(j - 1)..doc.start(j))
            .is_some_and(|g| g.contains('\n'))
        {
            return None;
        }
        let w = doc.word(j);
        if matches!(w, "“" | "”" | "\"" | ";" | "!" | "?")
            || (w == "." && !abbreviation_dot(doc, j))
        {
            return None;
        }
        if is_speech_verb(doc, j) {
            let before = strip_adverbs(doc, k, j);
            let closed = before > k && matches!(doc.word(before - 1), "," | ")");
            if j - k < 8 || closed {
                return Some(j);
            }
        }
        j += 1;
    }
    None
}

/// The speaker named by a subject `a..b` that may carry a parenthesis and appositives: the
/// person its head names (`German Chancellor Anna Roth`), else the noun phrase before the first
/// comma, else the person an appositive is (`his niece, state Del. Mara Price (D-Va.),`), else
/// a capitalised subject as written (a name the recogniser does not know).
fn subject_speaker(doc: &Doc, a: usize, b: usize) -> Option<Speaker> {
    let np_end = (a..b)
        .find(|&j| matches!(doc.word(j), "," | "("))
        .unwrap_or(b);
    if let Some(m) = head_person(doc, a, np_end) {
        return entity_speaker(doc, m.entity, m.span);
    }
    if let Some(s) = speaker_of(doc, a, np_end, false) {
        return Some(s);
    }
    if doc.word(np_end) == "," {
        let from = np_end + 1;
        let to = (from..b)
            .find(|&j| matches!(doc.word(j), "," | "("))
            .unwrap_or(b);
        if let Some(m) = head_person(doc, from, to)
            && m.span.end == doc.end(to - 1)
        {
            return entity_speaker(doc, m.entity, m.span);
        }
    }
    capitalised_name(doc, a, np_end)
}

/// Tokens `a..b` as a name when every one is capitalised (or an initial's dot).
fn capitalised_name(doc: &Doc, a: usize, b: usize) -> Option<Speaker> {
    if a >= b || !(a..b).all(|j| doc.is_capitalised(j) || abbreviation_dot(doc, j)) {
        return None;
    }
    let span = doc.token_span(a, b);
    Some(Speaker::Description {
        description: doc.slice(span.start, span.end).to_string(),
        span,
    })
}

/// The last person named in the noun phrase `a..b` who is not a possessive or a modifier
/// (`Clinton campaign spokesman Ben Ross` names Ross; `Scott’s niece` and `a narrator in the
/// Hale ad` name nobody: a name before a common noun qualifies it).
fn head_person<'d>(doc: &'d Doc, a: usize, b: usize) -> Option<&'d corroborate_model::Mention> {
    persons_in(doc, a, b)
        .filter(|m| !qualifies_noun(doc, m, b))
        .last()
}

/// True when mention `m` is followed, before token `b`, by a lower-case word it qualifies
/// (`the Hale ad`, `the Fox News host`).
fn qualifies_noun(doc: &Doc, m: &corroborate_model::Mention, b: usize) -> bool {
    let next = doc.token_at(m.span.end);
    next < b
        && doc.kind(next) == Kind::Word
        && !doc.is_capitalised(next)
        && head_end(doc, next - 1, next + 1) == next + 1
}

/// The people named in tokens `a..b`, possessives left out.
fn persons_in<'d>(
    doc: &'d Doc,
    a: usize,
    b: usize,
) -> impl Iterator<Item = &'d corroborate_model::Mention> {
    let (start, end) = if a < b {
        (doc.start(a), doc.end(b - 1))
    } else {
        (0, 0)
    };
    let first = doc.mentions.partition_point(|m| m.span.start < start);
    doc.mentions[first..]
        .iter()
        .take_while(move |m| m.span.start < end)
        .filter(move |m| {
            m.span.end <= end
                && doc.entity_kind(m.entity) == Some(EntityKind::Person)
                && !doc
                    .text
                    .get(m.span.end..)
                    .is_some_and(|r| r.starts_with("’s") || r.starts_with("'s"))
        })
}

/// `Ms. Varga, a retired harbour pilot, elaborated, “…` / `she added, “…`.
fn cue_before(doc: &Doc, region: &QuoteRegion) -> Option<Attributed> {
    let o = doc.token_at(region.open);
    let mut v = o.checked_sub(1)?;
    if matches!(doc.word(v), "," | ":") {
        v = v.checked_sub(1)?;
    }
    if let Some(a) = according_to_before(doc, v)
        .or_else(|| participle_before(doc, v))
        .or_else(|| inverted_before(doc, v))
    {
        return Some(a);
    }
    // `the statement said in essence: “…` — a paraphrase marker between verb and quote.
    let cue_last = v;
    if !is_speech_verb(doc, v) {
        v = (v.saturating_sub(4)..v).rev().find(|&w| {
            is_speech_verb(doc, w)
                && PARAPHRASE_MARKERS
                    .longest_at(doc, w + 1, cue_last + 1)
                    .is_some_and(|(_, after)| after == cue_last + 1)
        })?;
    }
    if doc.text.get(doc.end(v)..region.open)?.contains('\n') {
        return None;
    }
    let speaker = subject_before(doc, v)?;
    let mut a = attributed(doc, speaker, v, cue_last + 1);
    a.clause_end = doc.end(cue_last);
    Some(a)
}

/// `According to Dana Whitlow, “…`: the source ending at token `last` is the speaker.
fn according_to_before(doc: &Doc, last: usize) -> Option<Attributed> {
    let at = (last.saturating_sub(8)..last)
        .rev()
        .find(|&j| doc.lower(j) == "according" && doc.lower(j + 1) == "to")?;
    let speaker = subject_speaker(doc, at + 2, last + 1)?;
    let mut a = attributed(doc, speaker, at, at + 2);
    a.clause_end = doc.end(last);
    Some(a)
}

/// `Said Ellis: “…`: a speech verb opening the sentence, its subject after it up to token
/// `last`.
fn inverted_before(doc: &Doc, last: usize) -> Option<Attributed> {
    let w = (last.saturating_sub(6)..last).find(|&w| {
        doc.is_capitalised(w)
            && CUES.speech_verbs.contains(doc.lower(w))
            && (w == 0
                || matches!(doc.word(w - 1), "." | "!" | "?")
                || doc
                    .text
                    .get(doc.end(w - 1)..doc.start(w))
                    .is_some_and(|g| g.contains('\n')))
    })?;
    let speaker = speaker_of(doc, w + 1, last + 1, true)
        .or_else(|| capitalised_name(doc, w + 1, last + 1))?;
    let mut a = attributed(doc, speaker, w, w + 1);
    a.clause_end = doc.end(last);
    Some(a)
}

/// `Hale attacked the plan on Monday, saying, “…` / `footage of Hale saying “…`: a
/// participle cue speaks for the person named right before it, else for the person or the
/// unnamed people opening the sentence's clause.
fn participle_before(doc: &Doc, v: usize) -> Option<Attributed> {
    if !CUES.participles.contains(doc.lower(v)) {
        return None;
    }
    let before = if doc.word(v.checked_sub(1)?) == "," {
        v - 1
    } else {
        v
    };
    let adjacent = head_person(doc, before.saturating_sub(4), before)
        .filter(|m| m.span.end == doc.end(before - 1));
    let sentence = doc.token_at(doc.evidence(doc.start(v), doc.start(v)).start);
    let opener = persons_in(doc, sentence, before)
        .next()
        .filter(|m| opens_clause(doc, sentence, doc.token_at(m.span.start)))
        .filter(|m| {
            doc.text
                .get(m.span.end..doc.start(v))
                .is_some_and(|g| !g.contains(['“', '"']))
        });
    let speaker = match adjacent.or(opener) {
        Some(m) => entity_speaker(doc, m.entity, m.span)?,
        None => clause_opener(doc, sentence, before)?,
    };
    let mut a = attributed(doc, speaker, v, v + 1);
    a.clause_end = doc.end(v);
    Some(a)
}

/// True when token `j` starts its clause: only capitalised words, "the" or punctuation since
/// the sentence start at `from` or the last comma (`During the speech, Hale attacked`).
fn opens_clause(doc: &Doc, from: usize, j: usize) -> bool {
    let start = (from..j)
        .rev()
        .find(|&c| doc.word(c) == ",")
        .map_or(from, |c| c + 1);
    (start..j).all(|t| doc.is_capitalised(t) || doc.kind(t) == Kind::Punct || doc.lower(t) == "the")
}

/// `Okafor recently warned that the new toll would be “a costly error”`.
fn cue_in_sentence(doc: &Doc, region: &QuoteRegion) -> Option<Attributed> {
    let o = doc.token_at(region.open);
    let sentence = doc.evidence(region.open, region.open);
    let first = doc.token_at(sentence.start);
    let v = (first..o)
        .rev()
        .take(30)
        .find(|&v| is_speech_verb(doc, v))?;
    let speaker = subject_before(doc, v).or_else(|| clause_opener(doc, first, v))?;
    let mut a = attributed(doc, speaker, v, v + 1);
    a.clause_end = doc.end(v);
    Some(a)
}

/// `Protesters marching through the streets chanted “…` / `At the fair, the band leader
/// called them up, singing “…`: the unnamed people opening a clause between `from` and `to`
/// (a role or source noun within its first four words).
fn clause_opener(doc: &Doc, from: usize, to: usize) -> Option<Speaker> {
    let is_head = |j: usize| {
        doc.kind(j) == Kind::Word
            && (CUES.role_nouns.contains(doc.lower(j)) || CUES.source_nouns.contains(doc.lower(j)))
    };
    let starts =
        std::iter::once(from).chain((from..to).filter(|&c| doc.word(c) == ",").map(|c| c + 1));
    starts.take(3).find_map(|s| {
        let mut head = (s..(s + 4).min(to))
            .take_while(|&j| doc.kind(j) == Kind::Word)
            .find(|&j| is_head(j))?;
        while head + 1 < to && is_head(head + 1) {
            head += 1;
        }
        let span = doc.token_span(s, head + 1);
        Some(Speaker::Description {
            description: doc.slice(span.start, span.end).to_string(),
            span,
        })
    })
}

/// The subject before a speech verb at `v`, skipping adverbs and an appositive between commas.
pub(crate) fn subject_before(doc: &Doc, v: usize) -> Option<Speaker> {
    let mut end = v;
    while end > 0 && is_adverb(doc, end - 1) {
        end -= 1;
    }
    // `Rep. Gwen Moore (D-Wis.) said`: the party label is not part of the name.
    if end > 0
        && doc.word(end - 1) == ")"
        && let Some(open) = (end.saturating_sub(10)..end - 1)
            .rev()
            .find(|&c| doc.word(c) == "(")
    {
        end = open;
    }
    if end > 0 && doc.word(end - 1) == "," {
        let open = (end.saturating_sub(22)..end - 1)
            .rev()
            .find(|&c| doc.word(c) == ",")?;
        // `the league's president, Ada Rinn, said`: an appositive that is a person's name
        // names the speaker the description before it describes.
        if let Some(m) = doc.mention_ending_in(doc.start(open + 1), doc.end(end - 2))
            && m.span.start == doc.start(open + 1)
            && m.span.end == doc.end(end - 2)
            && doc.entity_kind(m.entity) == Some(EntityKind::Person)
        {
            return entity_speaker(doc, m.entity, m.span);
        }
        end = open;
    }
    let mut start = end;
    while start > 0
        && end - start < 8
        && (doc.kind(start - 1) != Kind::Punct
            || (matches!(doc.word(start - 1), "." | "-")
                && start >= 2
                && doc.end(start - 2) == doc.start(start - 1)))
    {
        start -= 1;
    }
    if start == end {
        return None;
    }
    if let Some(m) = doc.mention_ending_in(doc.start(start), doc.end(end - 1))
        && m.span.end == doc.end(end - 1)
    {
        return entity_speaker(doc, m.entity, m.span);
    }
    let np_start = (start..end)
        .rev()
        .find(|&j| {
            matches!(
                doc.lower(j),
                "the" | "a" | "an" | "one" | "two" | "three" | "several" | "many" | "some"
            ) && (j == 0 || doc.lower(j - 1) != "of")
        })
        .unwrap_or_else(|| end.saturating_sub(1).max(start));
    speaker_of(doc, np_start, end, false)
}

/// A speaker named by tokens `a..b`: a mention, a document, or a description.
fn speaker_of(doc: &Doc, a: usize, b: usize, after_verb: bool) -> Option<Speaker> {
    if a >= b {
        return None;
    }
    let (start, end) = (doc.start(a), doc.end(b - 1));
    // After a verb the speaker comes first: a place after a preposition is not it.
    let mention_end = if after_verb {
        doc.end(head_end(doc, a, b) - 1)
    } else {
        end
    };
    // `the Fox News host`: a name before a role noun qualifies it and is not the speaker.
    if let Some(m) = doc.mention_starting_in(start, mention_end).filter(|m| {
        !(qualifies_noun(doc, m, b)
            && CUES
                .role_nouns
                .contains(doc.lower(doc.token_at(m.span.end))))
    }) {
        let only_determiners = (a..doc.token_at(m.span.start))
            .all(|j| matches!(doc.lower(j), "the" | "mr" | "ms" | "mrs" | "dr" | "."));
        if only_determiners || after_verb {
            return entity_speaker(doc, m.entity, m.span);
        }
    }
    let head_at = head_end(doc, a, b);
    let head = doc.lower(head_at - 1);
    let phrase = doc.slice(start, end).to_string();
    let span = doc.span(start, end);
    if CUES.document_nouns.contains(head)
        && matches!(doc.lower(a), "the" | "a" | "this" | "its" | "their")
    {
        return Some(Speaker::Document {
            description: phrase.to_lowercase(),
            span,
        });
    }
    let pronoun = b - a == 1 && CUES.pronouns.contains(head);
    let role = CUES.role_nouns.contains(head);
    // "she said", "the senator said": the person nlp resolved them to, the words as the span.
    if (pronoun || role)
        && let Some(m) = doc.resolved(start, end)
    {
        return entity_speaker(doc, m.entity, span);
    }
    if pronoun || role || CUES.source_nouns.contains(head) {
        return Some(Speaker::Description {
            description: phrase,
            span,
        });
    }
    None
}

/// Index after the head of the noun phrase `a..b`: `the mother of three`, `a narrator in the
/// ad` end before the preposition.
fn head_end(doc: &Doc, a: usize, b: usize) -> usize {
    (a + 1..b)
        .find(|&j| {
            matches!(
                doc.lower(j),
                "of" | "in" | "on" | "at" | "for" | "from" | "with"
            )
        })
        .unwrap_or(b)
}

fn entity_speaker(doc: &Doc, entity: usize, span: Span) -> Option<Speaker> {
    match doc.entity_kind(entity)? {
        EntityKind::Person | EntityKind::Organization | EntityKind::Place => {
            Some(Speaker::Entity { entity, span })
        }
        EntityKind::Group => Some(Speaker::Description {
            description: doc.text.get(span.start..span.end)?.to_string(),
            span,
        }),
    }
}

/// Builds the attribution for a verb at `v`: the cue covers the verb, a listener after a
/// telling verb ("told reporters") and a paraphrase marker ("says in essence").
fn attributed(doc: &Doc, speaker: Speaker, v: usize, limit: usize) -> Attributed {
    let mut cue_end = v + 1;
    if CUES.telling_verbs.contains(doc.lower(v)) {
        let object_end = words_until(doc, cue_end, limit, 3);
        cue_end = object_end.max(cue_end);
    }
    let mut marked_paraphrase = false;
    for j in v + 1..limit.min(v + 6) {
        if let Some((_, after)) = PARAPHRASE_MARKERS.longest_at(doc, j, limit) {
            marked_paraphrase = true;
            cue_end = cue_end.max(after);
            break;
        }
    }
    let clause_end = doc.end(limit.max(cue_end) - 1);
    Attributed {
        speaker,
        cue: doc.token_span(v, cue_end),
        clause_end,
        marked_paraphrase,
    }
}

/// Index after the last token of the clause starting at `k` (stops at punctuation other
/// than abbreviation dots, and at line ends), at most `max` tokens.
fn clause_end(doc: &Doc, k: usize, max: usize) -> usize {
    let mut j = k;
    while j < doc.tokens.len() && j - k < max {
        let Some(&t) = doc.tokens.get(j) else {
            break;
        };
        if j > k
            && doc
                .text
                .get(doc.end(j - 1)..t.start)
                .is_some_and(|g| g.contains('\n'))
        {
            break;
        }
        if t.kind == Kind::Punct && !(j > k && abbreviation_dot(doc, j)) {
            break;
        }
        j += 1;
    }
    j
}

/// True when token `j` is the dot of a short capitalised abbreviation ("Sen.", "N.C.", a
/// party label "R-Ky.").
fn abbreviation_dot(doc: &Doc, j: usize) -> bool {
    let before = doc.word(j.wrapping_sub(1));
    doc.word(j) == "."
        && j > 0
        && doc.end(j - 1) == doc.start(j)
        && doc.is_capitalised(j - 1)
        && (before.len() <= 3 || before.len() <= 6 && before.contains(['-', '.']))
}

/// Index after the name phrase starting at `a`: words, numbers, abbreviation dots and the
/// slash of "9/11", at most `max` tokens, on one line.
fn name_end(doc: &Doc, a: usize, max: usize) -> usize {
    let mut j = a;
    while j < doc.tokens.len()
        && j - a < max
        && (doc.kind(j) != Kind::Punct || doc.word(j) == "/" || abbreviation_dot(doc, j))
        && (j == a || !doc.slice(doc.end(j - 1), doc.start(j)).contains('\n'))
    {
        j += 1;
    }
    j
}

/// Index after at most `max` words starting at `a` and before `limit` (abbreviation dots
/// inside names are kept).
fn words_until(doc: &Doc, a: usize, limit: usize, max: usize) -> usize {
    let mut j = a;
    let mut words = 0;
    while j < limit && words < max {
        if doc.kind(j) == Kind::Word {
            words += 1;
        } else if doc.word(j) != "." {
            break;
        }
        j += 1;
    }
    j
}

fn strip_adverbs(doc: &Doc, a: usize, mut b: usize) -> usize {
    while b > a + 1 && is_adverb(doc, b - 1) {
        b -= 1;
    }
    b
}

fn is_adverb(doc: &Doc, j: usize) -> bool {
    let w = doc.lower(j);
    doc.kind(j) == Kind::Word
        && (w.ends_with("ly") && w.len() > 4
            || matches!(
                w,
                "also" | "later" | "then" | "again" | "once" | "often" | "has" | "had" | "have"
            ))
}

/// True when token `j` is a speech verb used as one (not "is said to").
pub(crate) fn is_speech_verb(doc: &Doc, j: usize) -> bool {
    let Some(t) = doc.tokens.get(j) else {
        return false;
    };
    if t.kind != Kind::Word || doc.is_capitalised(j) || !CUES.speech_verbs.contains(doc.lower(j)) {
        return false;
    }
    let passive = j > 0
        && matches!(
            doc.lower(j - 1),
            "is" | "are" | "was" | "were" | "be" | "been" | "being"
        );
    // "said to be", "said to have": a hedge; "said to reporters": speech.
    let hedge = doc.lower(j + 1) == "to"
        && matches!(doc.lower(j + 2), "be" | "have" | "been" | "had")
        && !CUES.telling_verbs.contains(doc.lower(j));
    !passive && !hedge
}

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use corroborate_model::{ClaimKind, EntityKind, Quote, Speaker};

    fn quotes(
        text: &str,
        names: &[(&str, EntityKind)],
    ) -> Vec<(String, Option<String>, Option<String>, bool)> {
        let doc = article(text, names);
        let found: Vec<Quote> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::Quote(q) => Some(q),
            _ => None,
        });
        found
            .into_iter()
            .map(|q| {
                let speaker = q.speaker.map(|s| match s {
                    Speaker::Entity { entity, .. } => {
                        format!("entity:{}", doc.entities[entity].canonical)
                    }
                    Speaker::Document { description, .. } => format!("document:{description}"),
                    Speaker::Description { description, .. } => {
                        format!("description:{description}")
                    }
                });
                (
                    doc.quote(q.content).to_string(),
                    speaker,
                    q.cue.map(|c| doc.quote(c).to_string()),
                    q.marked_paraphrase,
                )
            })
            .collect()
    }

    fn q(
        content: &str,
        speaker: Option<&str>,
        cue: Option<&str>,
        paraphrase: bool,
    ) -> (String, Option<String>, Option<String>, bool) {
        (
            content.into(),
            speaker.map(Into::into),
            cue.map(Into::into),
            paraphrase,
        )
    }

    #[test]
    fn document_speaker_after_the_quote_and_a_quoted_heading() {
        let found = quotes(
            "“The Harbour Wall Is No Longer at Risk”\n“It is our considered view that the harbour wall no longer faces a serious threat from storms,” the letter states. It was signed.",
            &[],
        );
        assert_eq!(
            found,
            [
                q("The Harbour Wall Is No Longer at Risk", None, None, false),
                q(
                    "It is our considered view that the harbour wall no longer faces a serious threat from storms",
                    Some("document:the letter"),
                    Some("states"),
                    false
                ),
            ]
        );
    }

    #[test]
    fn continued_quote_inherits_the_speaker() {
        let found = quotes(
            "“At first, the strike was a fair strike,” Meron said. “It is pushing the whole port toward ruin.”",
            &[("Rivka Meron", EntityKind::Person)],
        );
        assert_eq!(
            found,
            [
                q(
                    "At first, the strike was a fair strike",
                    Some("entity:Rivka Meron"),
                    Some("said"),
                    false
                ),
                q(
                    "It is pushing the whole port toward ruin.",
                    Some("entity:Rivka Meron"),
                    None,
                    false
                ),
            ]
        );
    }

    #[test]
    fn inverted_cue_and_cue_before_with_an_appositive() {
        let found = quotes(
            "“Nothing like this has happened before,” noted Yohanan Plesner, the head of the Israel Democracy Institute.\nMr. Plesner, once a centrist legislator, elaborated, “The custom was broad agreement.”",
            &[("Yohanan Plesner", EntityKind::Person)],
        );
        assert_eq!(found[0].1.as_deref(), Some("entity:Yohanan Plesner"));
        assert_eq!(found[0].2.as_deref(), Some("noted"));
        assert_eq!(found[1].1.as_deref(), Some("entity:Yohanan Plesner"));
        assert_eq!(found[1].2.as_deref(), Some("elaborated"));
    }

    #[test]
    fn a_name_in_apposition_after_a_description_is_the_speaker() {
        let found = quotes(
            "In a statement, the league's president, Ada Rinn, said the league was “deeply worried” about the law.\nThe mayor's spokesman, a former reporter, said the plan was “a costly error for everyone.”",
            &[("Ada Rinn", EntityKind::Person)],
        );
        assert_eq!(found[0].1.as_deref(), Some("entity:Ada Rinn"));
        assert_eq!(found[0].2.as_deref(), Some("said"));
        // An appositive that is no name leaves the description before it as the speaker.
        assert_eq!(
            found[1].1.as_deref(),
            Some("description:The mayor's spokesman")
        );
    }

    #[test]
    fn paraphrase_marker_between_a_leading_cue_and_the_quote() {
        let text =
            "The city's statement said in essence: \"The harbour will be rebuilt within days.\"";
        assert_eq!(
            quotes(text, &[]),
            [(
                "The harbour will be rebuilt within days.".to_string(),
                Some("document:the city's statement".to_string()),
                Some("said in essence".to_string()),
                true
            )]
        );
    }

    #[test]
    fn paraphrase_marker_in_straight_quotes_and_descriptions() {
        let found = quotes(
            "\"The dam has been repaired as a working structure,\" the letter says in essence. \"More delays only waste money.\"\n“The mayor is gambling with our savings,” one former Mossad officer said on the radio. “Please decide this week,” the officials wrote.",
            &[("Mossad", EntityKind::Organization)],
        );
        assert_eq!(
            found[0],
            q(
                "The dam has been repaired as a working structure",
                Some("document:the letter"),
                Some("says in essence"),
                true
            )
        );
        assert_eq!(found[1].1.as_deref(), Some("document:the letter"));
        assert_eq!(
            found[2].1.as_deref(),
            Some("description:one former Mossad officer")
        );
        assert_eq!(found[3].1.as_deref(), Some("description:the officials"));
        assert_eq!(found[3].2.as_deref(), Some("wrote"));
    }

    #[test]
    fn telling_cue_takes_its_listener_and_scare_quotes_stay_unattributed() {
        let found = quotes(
            "“There can be no Hamas. There can be no threats,” Netanyahu reportedly told aides. He praised his “aggressive approach” and then left.",
            &[("Benjamin Netanyahu", EntityKind::Person)],
        );
        assert_eq!(found[0].1.as_deref(), Some("entity:Benjamin Netanyahu"));
        assert_eq!(found[0].2.as_deref(), Some("told aides"));
        assert_eq!(found[1], q("aggressive approach", None, None, false));
    }

    #[test]
    fn short_quote_embedded_after_a_named_speech_verb() {
        let found = quotes(
            "Marta Okafor recently warned that the new toll would be “a costly error” for commuters.",
            &[("Marta Okafor", EntityKind::Person)],
        );
        assert_eq!(
            found,
            [q(
                "a costly error",
                Some("entity:Marta Okafor"),
                Some("warned"),
                false
            )]
        );
    }

    #[test]
    fn head_of_a_titled_subject_with_a_party_label_or_appositives() {
        let found = quotes(
            "“The bridge stays shut,” Harbour Chief Dana Whitlow said Monday.\n“We will appeal the ruling,” Rep. Lena Osgood (D-Ore.) said. “It is unfair to the town.”\n“The toll is illegal,” Carl Brandt, the mayor of Dover, one of the towns suing, said.\n“It is late,” Ms. Osgood said to reporters.",
            &[
                ("Dover", EntityKind::Place),
                ("Dana Whitlow", EntityKind::Person),
                ("Lena Osgood", EntityKind::Person),
                ("Carl Brandt", EntityKind::Person),
            ],
        );
        let speakers: Vec<_> = found.iter().map(|f| f.1.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("entity:Dana Whitlow"),
                Some("entity:Lena Osgood"),
                Some("entity:Lena Osgood"),
                Some("entity:Carl Brandt"),
                Some("entity:Lena Osgood"),
            ]
        );
    }

    #[test]
    fn inverted_cue_with_a_party_label_lets_the_next_quote_continue() {
        let found = quotes(
            "“This is a sad day,” said Rep. Lena Osgood (D-N.C.), head of the Harbour Caucus. “The port was ours.”",
            &[("Lena Osgood", EntityKind::Person)],
        );
        assert_eq!(found[1].1.as_deref(), Some("entity:Lena Osgood"));
    }

    #[test]
    fn a_name_after_a_dash_under_a_quote_is_its_speaker() {
        let found = quotes(
            "“The ferry is always late.” ― Dana Whitlow\n“Nobody listens to us.”\u{a0}― Quillon Varga\nThe ferry — “a relic” — sails on.",
            &[("Dana Whitlow", EntityKind::Person)],
        );
        assert_eq!(found[0].1.as_deref(), Some("entity:Dana Whitlow"));
        assert_eq!(found[0].2.as_deref(), Some("―"));
        assert_eq!(found[1].1.as_deref(), Some("description:Quillon Varga"));
        assert_eq!(found[2].1, None);
    }

    #[test]
    fn role_nouns_unknown_names_and_appositives_with_a_noun_that_looks_like_a_verb() {
        let found = quotes(
            "“We do not see a link to the storm,” the mayor said.\n“The ferry must run all winter,” Quillon, a top harbour adviser, said Friday.\n“It is an invasion of our harbour,” Carl Brandt, the attorney general of Kent, one of the states suing the port, said at an event.\n“Why is the port still closed to us?” Brandt demanded.",
            &[("Carl Brandt", EntityKind::Person)],
        );
        let speakers: Vec<_> = found.iter().map(|f| f.1.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("description:the mayor"),
                Some("description:Quillon"),
                Some("entity:Carl Brandt"),
                Some("entity:Carl Brandt"),
            ]
        );
    }

    #[test]
    fn pronoun_and_role_speakers_are_the_people_nlp_resolved() {
        let text = "Sen. Laura Vance met Peter Ortiz in Lyon.\n“The port must stay open all winter,” she said.\n“We will not close the harbour,” the senator said.\n“I cannot promise anything at all,” a spokeswoman said.";
        let doc = corroborate_nlp::analyze(corroborate_model::Article::from_text(
            0,
            corroborate_model::SourceRef::file("-"),
            text.to_string(),
        ));
        let speakers: Vec<String> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::Quote(q) => q.speaker.as_ref(),
            _ => None,
        })
        .into_iter()
        .map(|s| match s {
            Speaker::Entity { entity, span } => {
                format!("{} ({})", doc.entities[entity].canonical, doc.quote(span))
            }
            Speaker::Description { description, .. } | Speaker::Document { description, .. } => {
                description.clone()
            }
        })
        .collect();
        assert_eq!(
            speakers,
            [
                "Laura Vance (she)",
                "Laura Vance (the senator)",
                "a spokeswoman"
            ]
        );
    }

    #[test]
    fn according_to_and_participle_cues_before_a_quote() {
        let found = quotes(
            "According to Dana Whitlow, “the ferry will never run on time again.”\nDuring a long speech, Carl Brandt attacked Whitlow over the tolls, saying, “She has failed the harbour town.”\nThe advert shows Whitlow asking, “Why is the ferry not faster?”\nAt the fair, the band called the Dover Singers to the stage, singing “The Old Harbour Song” loudly.",
            &[
                ("Dana Whitlow", EntityKind::Person),
                ("Carl Brandt", EntityKind::Person),
                ("Dover Singers", EntityKind::Person),
            ],
        );
        let speakers: Vec<_> = found.iter().map(|f| f.1.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("entity:Dana Whitlow"),
                Some("entity:Carl Brandt"),
                Some("entity:Dana Whitlow"),
                Some("description:the band"),
            ]
        );
        assert_eq!(found[1].2.as_deref(), Some("saying"));
    }

    #[test]
    fn heads_before_a_preposition_numbers_in_titles_and_frequency_adverbs() {
        let found = quotes(
            "“The rationale does not hold at all,” said 9/11 widow Dana Whitlow.\nAsked about the fares, the 34-year-old mother of three replied, “It is meant for every family in town.”\n“We live in a harbour town,” my father often said.",
            &[("Dana Whitlow", EntityKind::Person)],
        );
        let speakers: Vec<_> = found.iter().map(|f| f.1.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("entity:Dana Whitlow"),
                Some("description:the 34-year-old mother of three"),
                Some("description:my father"),
            ]
        );
    }

    #[test]
    fn unnamed_people_opening_the_clause_speak_for_a_participle_or_a_verb_afar() {
        let found = quotes(
            "Late on Friday, small groups of dock workers marched past the gates while chanting, “Open the port now.”\nResidents marching through the old town centre shouted “We want our ferry back” all night.",
            &[],
        );
        let speakers: Vec<_> = found.iter().map(|f| f.1.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("description:small groups"),
                Some("description:Residents"),
            ]
        );
    }

    /// Content and speaker of each quote.
    fn speakers(text: &str, names: &[(&str, EntityKind)]) -> Vec<(String, Option<String>)> {
        quotes(text, names)
            .into_iter()
            .map(|(content, speaker, _, _)| (content, speaker))
            .collect()
    }

    fn said(content: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (content.into(), speaker.map(Into::into))
    }

    #[test]
    fn mixed_quotation_marks_pair_up() {
        let found = speakers(
            r#"“Tolls should not rise for the ferry," Hale said, calling the rise "a tax."
"Nobody voted for the harbour fee,” Ortiz said."#,
            &[
                ("Dana Hale", EntityKind::Person),
                ("Peter Ortiz", EntityKind::Person),
            ],
        );
        assert_eq!(
            found,
            [
                said(
                    "Tolls should not rise for the ferry",
                    Some("entity:Dana Hale")
                ),
                said("a tax.", Some("entity:Dana Hale")),
                said(
                    "Nobody voted for the harbour fee",
                    Some("entity:Peter Ortiz")
                ),
            ]
        );
    }

    #[test]
    fn a_quotation_nested_in_curly_marks_keeps_the_outer_one() {
        let found = speakers(
            "“I would rather live in what he calls “ruin” than stay here,” Ruiz said.",
            &[("Ana Ruiz", EntityKind::Person)],
        );
        assert_eq!(
            found,
            [
                said(
                    "I would rather live in what he calls “ruin” than stay here",
                    Some("entity:Ana Ruiz")
                ),
                said("ruin", None),
            ]
        );
    }

    #[test]
    fn a_short_statement_with_its_cue_and_a_title_in_the_cue_pass_the_speaker_on() {
        let found = speakers(
            "“It’s heartbreaking,” Hale said. “And this town has to find new ways to heal.”\n\
             “The port is dying,” Hale said on Radio Nord’s “Morning Call.” “I mean, nobody is buying.”",
            &[("Dana Hale", EntityKind::Person)],
        );
        let hale = Some("entity:Dana Hale");
        assert_eq!(
            found,
            [
                said("It’s heartbreaking", hale),
                said("And this town has to find new ways to heal.", hale),
                said("The port is dying", hale),
                said("Morning Call.", hale),
                said("I mean, nobody is buying.", hale),
            ]
        );
    }

    #[test]
    fn a_sentence_opening_speech_verb_before_its_subject() {
        let found = speakers(
            "Tolls rose again. Said Ellis: “I don’t get the sense she cares about tolls.”",
            &[("Ryan Ellis", EntityKind::Person)],
        );
        assert_eq!(
            found,
            [said(
                "I don’t get the sense she cares about tolls.",
                Some("entity:Ryan Ellis")
            )]
        );
    }

    #[test]
    fn an_organisation_qualifying_the_subject_is_not_the_speaker() {
        let found = speakers(
            "All we have heard, the Radio Nord host complained, is “we need a big tent.”",
            &[("Radio Nord", EntityKind::Organization)],
        );
        assert_eq!(
            found,
            [said(
                "we need a big tent.",
                Some("description:the Radio Nord host")
            )]
        );
    }

    #[test]
    fn a_subordinate_clause_after_a_quote_is_no_cue() {
        let found = speakers(
            "The mayor shrugged. “That makes me smart,” while Ortiz argued the opposite.",
            &[("Peter Ortiz", EntityKind::Person)],
        );
        assert_eq!(found, [said("That makes me smart", None)]);
    }

    #[test]
    fn a_name_after_the_verb_before_a_place_and_a_name_qualifying_a_noun() {
        let found = speakers(
            "“This is a waste of the committee’s time,” said Del. Stacey Marsh of the Virgin Islands.\n\
             “You work hard and you pay your taxes,” a narrator in the Hale ad asks.",
            &[
                ("Virgin Islands", EntityKind::Place),
                ("Dana Hale", EntityKind::Person),
            ],
        );
        assert_eq!(
            found,
            [
                said(
                    "This is a waste of the committee’s time",
                    Some("description:Del. Stacey Marsh")
                ),
                said(
                    "You work hard and you pay your taxes",
                    Some("description:a narrator in the Hale ad")
                ),
            ]
        );
    }
}
