//! Attribution claims: how statements are sourced, one claim per cue.
//!
//! Three cue families:
//! - sourcing phrases from `data/cues.toml` (anonymous: "speaking anonymously", "sources
//!   familiar with"; hedged: "reportedly", "are said to", "according to leaks"), matched
//!   with one Aho-Corasick pass over the text;
//! - "according to X", classified by X: a named organisation or person ⇒ Named, unnamed
//!   officials or sources ⇒ Anonymous, a document ⇒ Document; an X with no name in it
//!   ("according to the data") is not a sourcing cue;
//! - speech verbs with their subject ("Ayalon said", "the letter states", "one former
//!   Mossad officer said"): a named entity ⇒ Named, a document ⇒ Document, unnamed people
//!   ⇒ Anonymous. Pronoun subjects ("she added") are not attributions by themselves; the
//!   quote extractor keeps them as `Speaker::Description` without resolving them.

use crate::lexicon::CUES;
use crate::quote::{is_speech_verb, subject_before};
use crate::text::{Doc, Kind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use corroborate_model::{Attribution, Claim, ClaimKind, SourcingKind, Speaker, TextRange};
use once_cell::sync::Lazy;

static SOURCING: Lazy<AhoCorasick> = Lazy::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
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
    for m in SOURCING.find_iter(doc.lower.as_str()) {
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
                r.start < doc.start(a)
                    && entry.kind == "anonymous"
                    && !backward_phrase(doc.lower(a))
            })
            .map_or(doc.start(a), |r| r.start);
        let cue = doc.span(cue_start, doc.end(b - 1));
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
        while start > 0 && end - start < 6 && doc.kind(start - 1) == Kind::Word {
            start -= 1;
        }
        return (start < end).then(|| TextRange::new(doc.start(start), doc.end(end - 1)));
    }
    let mut start = a;
    if doc.lower(a) == "according" {
        start = a + 2;
    } else {
        while start > 0
            && a - start < 3
            && doc.kind(start - 1) == Kind::Word
            && !matches!(
                doc.lower(start - 1),
                "to" | "according" | "by" | "from" | "and" | "of" | "said" | "told" | "with"
            )
        {
            start -= 1;
        }
    }
    let end = forward_phrase_end(doc, b);
    (start < end).then(|| TextRange::new(doc.start(start), doc.end(end - 1)))
}

/// Index after the words that continue a noun phrase from `b` (to punctuation or a speech
/// verb, at most 8 tokens).
fn forward_phrase_end(doc: &Doc, b: usize) -> usize {
    let mut end = b;
    while end < doc.tokens.len()
        && end - b < 8
        && (doc.kind(end) == Kind::Word || (doc.word(end) == "’" || doc.word(end) == "'"))
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
        let source = (doc.lower(a) == "insiders").then(|| TextRange::new(doc.start(a), doc.end(a)));
        return (SourcingKind::Hedged, source);
    }
    let end = forward_phrase_end(doc, b);
    let source = TextRange::new(doc.start(a + 2), doc.end(end.max(a + 3) - 1));
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
        && (doc.kind(j) == Kind::Word
            || (doc.word(j) == "."
                && doc.end(j - 1) == doc.start(j)
                && doc.word(j - 1).len() <= 3
                && j + 1 < end
                && doc.kind(j + 1) == Kind::Word))
    {
        j += 1;
    }
    if j == first {
        return;
    }
    let range = TextRange::new(doc.start(first), doc.end(j - 1));
    let cue = doc.span(doc.start(i), doc.end(i + 1));
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
        && words
            .first()
            .is_some_and(|w| matches!(*w, "the" | "a" | "this"))
    {
        SourcingKind::Document
    } else if unnamed
        && !named_mention
        && !(first + 1..j).any(|k| {
            doc.is_capitalised(k) && !words.iter().take(3).any(|w| CUES.source_nouns.contains(*w))
        })
    {
        SourcingKind::Anonymous
    } else if named_mention || (first..j).any(|k| doc.is_capitalised(k)) {
        SourcingKind::Named
    } else {
        return;
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
    let Some(&verb) = doc.tokens.get(v) else {
        return;
    };
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
            let head = description.rsplit(' ').next().unwrap_or("").to_lowercase();
            // A pronoun, or a role ("the mayor") that is neither named nor anonymous.
            if span.end - span.start <= 4 && CUES.pronouns.contains(head.as_str())
                || CUES.role_nouns.contains(head.as_str()) && !CUES.source_nouns.contains(&head)
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

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use corroborate_model::{Attribution, ClaimKind, EntityKind, SourcingKind};

    fn attributions(
        text: &str,
        names: &[(&str, EntityKind)],
    ) -> Vec<(SourcingKind, String, Option<String>)> {
        let doc = article(text, names);
        let found: Vec<Attribution> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::Attribution(a) => Some(a),
            _ => None,
        });
        found
            .into_iter()
            .map(|a| (a.kind, doc.quote(a.cue).to_string(), a.source))
            .collect()
    }

    #[test]
    fn anonymous_sources_with_their_descriptions() {
        let found = attributions(
            "Port engineers, speaking anonymously because of the delicate budget dispute, described the scheme. According to two sources familiar with the closed-door council meetings, neither backed it. Anonymous officials involved in the audit stated otherwise.",
            &[],
        );
        assert_eq!(
            found,
            [
                (
                    SourcingKind::Anonymous,
                    "speaking anonymously".into(),
                    Some("Port engineers".into())
                ),
                (
                    SourcingKind::Anonymous,
                    "two sources familiar with".into(),
                    Some("two sources familiar with the closed-door council meetings".into())
                ),
                (
                    SourcingKind::Anonymous,
                    "Anonymous officials".into(),
                    Some("Anonymous officials involved in the audit".into())
                ),
            ]
        );
    }

    #[test]
    fn hedges_and_anonymous_according_to() {
        let found = attributions(
            "Halevi is reported to be resisting, according to sources in the Prime Minister’s Office. Gantz and others are said to be alarmed. According to leaks, insiders claim it is believed to be final.",
            &[],
        );
        let kinds: Vec<_> = found.iter().map(|(k, cue, _)| (*k, cue.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (SourcingKind::Hedged, "is reported to"),
                (SourcingKind::Anonymous, "according to sources"),
                (SourcingKind::Hedged, "are said to"),
                (SourcingKind::Hedged, "According to leaks"),
                (SourcingKind::Hedged, "insiders claim"),
                (SourcingKind::Hedged, "it is believed"),
            ]
        );
        assert_eq!(
            found[1].2.as_deref(),
            Some("sources in the Prime Minister’s Office")
        );
    }

    #[test]
    fn named_and_document_sources() {
        let found = attributions(
            "Over 350,000 people had fled, according to the Israeli military. “It is over,” the letter states. Ayalon said the war was lost. Officials, according to multiple defense officials quoted in media, disagree.",
            &[("Ami Ayalon", EntityKind::Person)],
        );
        assert_eq!(
            found,
            [
                (
                    SourcingKind::Named,
                    "according to the Israeli military".into(),
                    Some("the Israeli military".into())
                ),
                (
                    SourcingKind::Document,
                    "the letter states".into(),
                    Some("the letter".into())
                ),
                (
                    SourcingKind::Named,
                    "Ayalon said".into(),
                    Some("Ami Ayalon".into())
                ),
                (
                    SourcingKind::Anonymous,
                    "according to multiple defense officials quoted in media".into(),
                    Some("multiple defense officials quoted in media".into())
                ),
            ]
        );
    }

    #[test]
    fn according_to_an_unnamed_thing_is_not_a_source() {
        assert!(attributions("Prices rose, according to the data we saw.", &[]).is_empty());
    }

    #[test]
    fn pronoun_speakers_and_passive_said_are_not_named_sources() {
        let found = attributions("She said it was late. The plan is said to be final.", &[]);
        assert_eq!(found, [(SourcingKind::Hedged, "is said to".into(), None)]);
    }
}
