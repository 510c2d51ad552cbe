//! In-article coreference for people: "he"/"she" and role nouns ("the senator") resolved to a
//! person the article names, so a quote's speaker is the person, not the pronoun.
//!
//! One pass over the word tokens, outside quotations (inside them "he" is the speaker's
//! word, not the writer's):
//!
//! * a pronoun resolves to a person of its gender (fixed by an honorific in the person's
//!   aliases, "Mr. Ortiz", by a given name almost always one gender's, "Robert Gibbs", or
//!   by an earlier resolved pronoun), preferring a subject (the
//!   first person named in a sentence, or named right before a speech verb) of the last two
//!   sentences whose gender is known, then one whose gender is not, else the most recent
//!   person who may have it;
//! * "the senator" resolves to the most recent person titled as one ("Sen. Ada Vance"), else
//!   to the only such person the article names.
//!
//! Pronouns and honorifics with their genders and role nouns with their titles are data
//! (`data/coreference.txt`).

use crate::lexicon::{Gender, LEXICON};
use crate::tokens::Word;
use corroborate_model::{DocId, Entity, EntityKind, Mention, Span, TextRange};

/// How many persons are remembered for recency.
const RECENT: usize = 12;

/// A person named recently.
#[derive(Clone, Copy)]
struct Seen {
    entity: usize,
    /// The last sentence where the person was a subject.
    subject_in: Option<usize>,
}

/// Pronoun and role-noun mentions resolved to person entities, sorted by start.
pub(crate) fn resolve(
    text: &str,
    tokens: &[Word],
    sentences: &[TextRange],
    entities: &[Entity],
    mentions: &[Mention],
    doc: DocId,
) -> Vec<Mention> {
    let mut gender: Vec<Option<Gender>> = entities.iter().map(alias_gender).collect();
    let titles: Vec<Vec<String>> = entities.iter().map(title_words).collect();
    let mut recent: Vec<Seen> = Vec::with_capacity(RECENT);
    let mut out = Vec::new();
    let mut quoted = false;
    let (mut next_mention, mut sentence, mut sentence_has_subject) = (0, 0, false);
    let (mut prev_end, mut line_end, mut straight_pairs) = (0, 0, true);
    for (i, t) in tokens.iter().enumerate() {
        if t.start >= line_end {
            // Straight quotes count only on a line where they pair up (a stray one opening
            // each paragraph of a long quotation must not hide the rest of the line).
            line_end = text[t.start..]
                .find('\n')
                .map_or(text.len(), |n| t.start + n);
            let line_start = text[..t.start].rfind('\n').map_or(0, |n| n + 1);
            straight_pairs = text[line_start..line_end]
                .matches('"')
                .count()
                .is_multiple_of(2);
        }
        for c in text.get(prev_end..t.start).unwrap_or("").chars() {
            match c {
                '\n' | '”' => quoted = false,
                '“' => quoted = true,
                '"' if straight_pairs => quoted = !quoted,
                _ => {}
            }
        }
        prev_end = t.end;
        while sentences.get(sentence).is_some_and(|s| s.end <= t.start) {
            sentence += 1;
            sentence_has_subject = false;
        }
        if quoted {
            continue;
        }
        while mentions
            .get(next_mention)
            .is_some_and(|m| m.span.start < t.start)
        {
            next_mention += 1;
        }
        if let Some(m) = mentions
            .get(next_mention)
            .filter(|m| m.span.start == t.start)
        {
            if entities
                .get(m.entity)
                .is_some_and(|e| e.kind == EntityKind::Person)
            {
                let after = tokens[i..].iter().find(|n| n.start >= m.span.end);
                let speaks = after.is_some_and(|n| LEXICON.is_cue_verb(&text[n.start..n.end]));
                // "about Santorum's remarks, … Robert Gibbs called": a possessor is not the
                // subject.
                let rest = text.get(m.span.end..).unwrap_or("");
                let possessor = rest.starts_with("'s") || rest.starts_with("’s");
                let subject = speaks || !(sentence_has_subject || possessor);
                sentence_has_subject |= subject;
                remember(&mut recent, m.entity, sentence, subject);
            }
            continue;
        }
        let word = &text[t.start..t.end];
        // Pronouns and "the" are short: lower-case them on the stack, no allocation per token.
        let mut buf = [0u8; 4];
        let lower = match buf.get_mut(..word.len()) {
            Some(b) => {
                b.copy_from_slice(word.as_bytes());
                b.make_ascii_lowercase();
                std::str::from_utf8(b).unwrap_or("")
            }
            None => "",
        };
        if let Some(g) = LEXICON.pronoun_gender(lower) {
            let Some(e) = antecedent(&recent, &gender, g, sentence) else {
                continue;
            };
            gender[e].get_or_insert(g);
            sentence_has_subject = true;
            remember(&mut recent, e, sentence, true);
            out.push(Mention {
                entity: e,
                span: Span::new(doc, TextRange::new(t.start, t.end)),
            });
        } else if lower == "the"
            && let Some(n) = tokens.get(i + 1)
            && text.get(t.end..n.start) == Some(" ")
            && let Some(role) = LEXICON.role_titles(&text[n.start..n.end])
            && let Some(e) = titled(&recent, &titles, role)
        {
            out.push(Mention {
                entity: e,
                span: Span::new(doc, TextRange::new(t.start, n.end)),
            });
        }
    }
    out
}

/// Moves `entity` to the most recent place; a subject in `sentence` when `subject`.
fn remember(recent: &mut Vec<Seen>, entity: usize, sentence: usize, subject: bool) {
    let mut seen = Seen {
        entity,
        subject_in: subject.then_some(sentence),
    };
    if let Some(i) = recent.iter().position(|s| s.entity == entity) {
        seen.subject_in = seen.subject_in.or(recent[i].subject_in);
        recent.remove(i);
    } else if recent.len() == RECENT {
        recent.remove(0);
    }
    recent.push(seen);
}

/// The person a pronoun of gender `g` in sentence `sentence` stands for: a subject of the
/// last two sentences known to have that gender, else one of unknown gender, else the most
/// recent person who may have it.
fn antecedent(
    recent: &[Seen],
    gender: &[Option<Gender>],
    g: Gender,
    sentence: usize,
) -> Option<usize> {
    let subjects = || {
        recent
            .iter()
            .rev()
            .filter(|s| s.subject_in.is_some_and(|at| sentence - at <= 2))
    };
    subjects()
        .find(|s| gender[s.entity] == Some(g))
        .or_else(|| subjects().find(|s| gender[s.entity].is_none()))
        .or_else(|| {
            recent
                .iter()
                .rev()
                .find(|s| gender[s.entity].is_none_or(|h| h == g))
        })
        .map(|s| s.entity)
}

/// The person a role noun with title words `role` stands for: the most recent one titled so,
/// else the only one.
fn titled(recent: &[Seen], titles: &[Vec<String>], role: &[&str]) -> Option<usize> {
    let has = |e: usize| titles[e].iter().any(|w| role.contains(&w.as_str()));
    if let Some(s) = recent.iter().rev().find(|s| has(s.entity)) {
        return Some(s.entity);
    }
    let mut all = (0..titles.len()).filter(|&e| has(e));
    let only = all.next()?;
    all.next().is_none().then_some(only)
}

/// A person's gender from an honorific in the aliases ("Mr. Ortiz").
fn alias_gender(e: &Entity) -> Option<Gender> {
    if e.kind != EntityKind::Person {
        return None;
    }
    let honorific = e.aliases.iter().find_map(|a| {
        let first = a
            .split(' ')
            .next()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        LEXICON.honorific_gender(&first).filter(|_| a.contains(' '))
    });
    // "Robert Gibbs": a given name that is almost always one gender's.
    honorific.or_else(|| {
        e.aliases
            .iter()
            .chain(std::iter::once(&e.canonical))
            .find_map(|a| {
                let (first, _) = a.split_once(' ')?;
                LEXICON.given_name_gender(first)
            })
    })
}

/// Lower-case words of a person's aliases that are not in the name ("sen" for "Sen. Ada
/// Vance"), without dots.
fn title_words(e: &Entity) -> Vec<String> {
    if e.kind != EntityKind::Person {
        return Vec::new();
    }
    let name: Vec<&str> = e.canonical.split(' ').collect();
    let mut words: Vec<String> = e
        .aliases
        .iter()
        .flat_map(|a| a.split(' '))
        .filter(|w| !name.contains(w))
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use crate::analyze;
    use corroborate_model::{Article, SourceRef};

    /// Each resolved span's text with the canonical name of its person.
    fn resolved(text: &str) -> Vec<(String, String)> {
        let a = analyze(Article::from_text(
            0,
            SourceRef::file("-"),
            text.to_string(),
        ));
        a.coreference
            .iter()
            .map(|m| {
                let name = a.entities[m.entity].canonical.clone();
                (a.quote(m.span).to_string(), name)
            })
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_pronoun_is_the_last_subject_of_its_gender() {
        let text = "Laura Vance met Mr. Peter Ortiz in Lyon on Monday. She said the talks went well. \
                    Ortiz disagreed. He said nothing was agreed.";
        assert_eq!(
            resolved(text),
            pairs(&[("She", "Laura Vance"), ("He", "Peter Ortiz")])
        );
    }

    #[test]
    fn a_given_name_shows_the_gender_and_a_possessor_is_no_subject() {
        let text = "Mr. Carl Dunmore spoke on Sunday. Asked about Dunmore's remarks, campaign aide \
                    Robert Gibbs called them reckless. Gibbs said the harbour vote was lost. \
                    He added that the guild would appeal.";
        assert_eq!(resolved(text), pairs(&[("He", "Robert Gibbs")]));
    }

    #[test]
    fn a_resolved_pronoun_fixes_the_gender_for_later_ones() {
        let text = "Laura Vance said the plan was dead. She left early. \
                    John Hale stayed and spoke with Vance. She said he was wrong.";
        assert_eq!(
            resolved(text),
            pairs(&[
                ("She", "Laura Vance"),
                ("She", "Laura Vance"),
                ("he", "John Hale"),
            ])
        );
    }

    #[test]
    fn pronouns_inside_quotations_are_left_alone() {
        let text = "Laura Vance spoke in Lyon.\n“He is wrong and he knows it,” she said.\n\
                    \"Peter Ortiz spoke first. He said yes.\n";
        assert_eq!(
            resolved(text),
            pairs(&[("she", "Laura Vance"), ("He", "Peter Ortiz")])
        );
    }

    #[test]
    fn a_role_noun_is_the_person_titled_so() {
        let text = "Sen. Laura Vance and Gov. Peter Ortiz met in Lyon. John Hale joined them. \
                    The talks failed, the senator said, and the governor agreed.";
        assert_eq!(
            resolved(text),
            pairs(&[
                ("the senator", "Laura Vance"),
                ("the governor", "Peter Ortiz")
            ])
        );
    }
}
