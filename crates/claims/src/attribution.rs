//! Attribution claims: how statements are sourced, one claim per cue.
//!
//! Three cue families:
//! - sourcing phrases from `data/cues.toml` (anonymous: "speaking anonymously", "sources
//!   familiar with"; hedged: "reportedly", "are said to", "according to leaks"), matched
//!   with one Aho-Corasick pass over the text;
//! - "according to X", classified by X: a named organisation or person ⇒ Named, unnamed
//!   officials or sources ⇒ Anonymous, a document ⇒ Document;
//! - speech verbs with their subject ("Ayalon said", "the letter states", "one former
//!   Mossad officer said"): a named entity ⇒ Named, a document ⇒ Document, unnamed people
//!   ⇒ Anonymous. Pronoun subjects are not attributions by themselves.

use crate::lexicon::CUES;
use crate::quote::{is_speech_verb, subject_before};
use crate::text::{Doc, Kind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use corroborate_model::{Attribution, Claim, ClaimKind, SourcingKind, Speaker, TextRange};
use once_cell::sync::Lazy;

static SOURCING: Lazy<AhoCorasick> = Lazy::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(CUES.sourcing.iter().map(|s| s.phrase.as_str()))
        .expect("sourcing phrases build an automaton")
});

fn word_boundary(text: &str, start: usize, end: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        && text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Appends attribution claims to `out`.
pub(crate) fn extract(doc: &Doc, out: &mut Vec<Claim>) {
    let mut cues: Vec<TextRange> = Vec::new();
    for m in SOURCING.find_iter(doc.text) {
        if !word_boundary(doc.text, m.start(), m.end()) {
            continue;
        }
        let entry = &CUES.sourcing[m.pattern().as_usize()];
        let a = doc.token_at(m.start());
        let b = doc.token_at(m.end());
        if a >= b {
            continue;
        }
        let (kind, source_range) = if entry.kind == "anonymous" {
            (SourcingKind::Anonymous, anonymous_source(doc, a, b))
        } else {
            hedged(doc, a, b)
        };
        let cue_start = source_range
            .filter(|r| {
                r.start < doc.tokens[a].start
                    && entry.kind == "anonymous"
                    && !backward_phrase(doc.lower(a))
            })
            .map_or(doc.tokens[a].start, |r| r.start);
        let cue = doc.span(cue_start, doc.tokens[b - 1].end);
        cues.push(source_range.unwrap_or(cue.range()));
        cues.push(cue.range());
        out.push(Claim {
            evidence: doc.evidence(cue.start, cue.end),
            kind: ClaimKind::Attribution(Attribution {
                kind,
                cue,
                source: source_range
                    .and_then(|r| r.slice(doc.text))
                    .map(str::to_string),
            }),
        });
    }
    for s in &doc.sentences {
        for i in s.tokens.clone() {
            if doc.lower(i) == "according" && i + 1 < s.tokens.end && doc.lower(i + 1) == "to" {
                according_to(doc, i, s.tokens.end, &cues, out);
            } else if is_speech_verb(doc, i) {
                speech(doc, i, &cues, out);
            }
        }
    }
}

fn overlaps(cues: &[TextRange], r: TextRange) -> bool {
    cues.iter().any(|c| c.start < r.end && r.start < c.end)
}

/// Phrases whose source is the noun phrase before them ("officials, speaking anonymously").
fn backward_phrase(first: &str) -> bool {
    matches!(
        first,
        "speaking" | "spoke" | "on" | "who" | "declined" | "not"
    )
}

/// The unnamed source a sourcing phrase describes, as a byte range.
fn anonymous_source(doc: &Doc, a: usize, b: usize) -> Option<TextRange> {
    if backward_phrase(doc.lower(a)) {
        let mut end = a;
        if end > 0 && doc.word(end - 1) == "," {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && end - start < 6 && doc.tokens[start - 1].kind == Kind::Word {
            start -= 1;
        }
        return (start < end)
            .then(|| TextRange::new(doc.tokens[start].start, doc.tokens[end - 1].end));
    }
    let mut start = a;
    if doc.lower(a) == "according" {
        start = a + 2;
    } else {
        while start > 0
            && a - start < 3
            && doc.tokens[start - 1].kind == Kind::Word
            && !matches!(
                doc.lower(start - 1),
                "to" | "according" | "by" | "from" | "and" | "of" | "said" | "told" | "with"
            )
        {
            start -= 1;
        }
    }
    let end = forward_phrase_end(doc, b);
    (start < end).then(|| TextRange::new(doc.tokens[start].start, doc.tokens[end - 1].end))
}

/// Index after the words that continue a noun phrase from `b` (to punctuation or a speech
/// verb, at most 8 tokens).
fn forward_phrase_end(doc: &Doc, b: usize) -> usize {
    let mut end = b;
    while end < doc.tokens.len()
        && end - b < 8
        && (doc.tokens[end].kind == Kind::Word || (doc.word(end) == "’" || doc.word(end) == "'"))
        && !is_speech_verb(doc, end)
    {
        end += 1;
    }
    end
}

/// A hedge; "according to leaks/reports" carries its source after it, and reports from a
/// named outlet are a named source.
fn hedged(doc: &Doc, a: usize, b: usize) -> (SourcingKind, Option<TextRange>) {
    if doc.lower(a) != "according" {
        let source = (doc.lower(a) == "insiders")
            .then(|| TextRange::new(doc.tokens[a].start, doc.tokens[a].end));
        return (SourcingKind::Hedged, source);
    }
    let end = forward_phrase_end(doc, b);
    let source = TextRange::new(doc.tokens[a + 2].start, doc.tokens[end.max(a + 3) - 1].end);
    let reports =
        doc.lower(a + 2).starts_with("report") || doc.lower(a + 3.min(b - 1)).starts_with("report");
    let named = reports
        && b + 1 < end
        && matches!(doc.lower(b), "from" | "by" | "in")
        && doc.is_capitalised(b + 1);
    (
        if named {
            SourcingKind::Named
        } else {
            SourcingKind::Hedged
        },
        Some(source),
    )
}

fn according_to(doc: &Doc, i: usize, end: usize, cues: &[TextRange], out: &mut Vec<Claim>) {
    let first = i + 2;
    let mut j = first;
    while j < end
        && j - first < 10
        && (doc.tokens[j].kind == Kind::Word
            || (doc.word(j) == "." && doc.tokens[j - 1].end == doc.tokens[j].start))
    {
        j += 1;
    }
    if j == first {
        return;
    }
    let range = TextRange::new(doc.tokens[first].start, doc.tokens[j - 1].end);
    let cue = doc.span(doc.tokens[i].start, doc.tokens[i + 1].end);
    if overlaps(cues, range) || overlaps(cues, cue.range()) {
        return;
    }
    let words: Vec<&str> = (first..j).map(|k| doc.lower(k)).collect();
    let named_mention = doc
        .mention_starting_in(range.start, range.end)
        .is_some_and(|m| {
            doc.entity_kind(m.entity)
                .is_some_and(|k| k != corroborate_model::EntityKind::Group)
        });
    let unnamed = words.iter().take(4).any(|w| CUES.source_nouns.contains(*w))
        && !words.iter().take(4).any(|w| {
            matches!(
                *w,
                "military" | "army" | "government" | "ministry" | "police" | "office" | "agency"
            )
        });
    let kind = if words
        .iter()
        .take(3)
        .any(|w| CUES.document_nouns.contains(*w))
        && matches!(words[0], "the" | "a" | "this")
    {
        SourcingKind::Document
    } else if unnamed
        && !named_mention
        && !(first + 1..j).any(|k| {
            doc.is_capitalised(k) && !words.iter().take(3).any(|w| CUES.source_nouns.contains(*w))
        })
    {
        SourcingKind::Anonymous
    } else {
        SourcingKind::Named
    };
    out.push(Claim {
        evidence: doc.evidence(cue.start, range.end),
        kind: ClaimKind::Attribution(Attribution {
            kind,
            cue: doc.span(cue.start, range.end),
            source: range.slice(doc.text).map(str::to_string),
        }),
    });
}

fn speech(doc: &Doc, v: usize, cues: &[TextRange], out: &mut Vec<Claim>) {
    let speaker = subject_before(doc, v).or_else(|| {
        let after_quote = v > 0 && matches!(doc.word(v - 1), "”" | "\"" | ",");
        let next = doc.tokens.get(v + 1)?;
        let m = doc.mention_starting_in(next.start, next.end)?;
        after_quote.then_some(Speaker::Entity {
            entity: m.entity,
            span: m.span,
        })
    });
    let Some(speaker) = speaker else {
        return;
    };
    let verb = doc.tokens[v];
    let (kind, source, span) = match &speaker {
        Speaker::Entity { entity, span } => (
            SourcingKind::Named,
            doc.entities.get(*entity).map(|e| e.canonical.clone()),
            *span,
        ),
        Speaker::Document { description, span } => {
            (SourcingKind::Document, Some(description.clone()), *span)
        }
        Speaker::Description { description, span } => {
            if span.end - span.start <= 4
                && CUES.pronouns.contains(description.to_lowercase().as_str())
            {
                return;
            }
            (SourcingKind::Anonymous, Some(description.clone()), *span)
        }
    };
    let cue = doc.span(span.start.min(verb.start), span.end.max(verb.end));
    if overlaps(cues, span.range()) && kind == SourcingKind::Anonymous {
        return;
    }
    out.push(Claim {
        evidence: doc.evidence(cue.start, cue.end),
        kind: ClaimKind::Attribution(Attribution { kind, cue, source }),
    });
}
