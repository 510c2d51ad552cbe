//! Short fragments in quotation marks whose words another outlet's quote of the same speaker
//! gives with one word changed: the NCAA "was “deeply concerned”" against the statement's
//! "We are especially concerned about how this legislation could affect …".
//!
//! A fragment of two to [`MAX_FRAGMENT_WORDS`] words is too short for the shingle index that
//! brings versions together, and too short to be compared with a whole quote by similarity.
//! Here it is laid against every window of the same length in the quotes that other
//! independent sources give the same person: when no quote of that person has the fragment
//! word for word, and a window matches it in all words but one — the changed word and at
//! least one matched word being content words, the change not a respelling or an inflection
//! — the outlet has put words in quotation marks that the speaker, as others print them, did
//! not say, unless the changed word is in another of the speaker's quotes in that source (two
//! sentences of one remark joined). The group is **QuoteAltered**, with the window as the
//! other version.
//!
//! Cost: for each fragment, the words of the same speaker's quotes in other sources.

use super::{Item, SpeakerKey, quoted, same_spelling, same_stem};
use crate::confidence;
use crate::context::StoryContext;
use corroborate_model::{ClaimGroup, ClaimRef, DiffSegment, QuoteDiff, Topic, Verdict};

/// Longest quotation read as a fragment woven into the writer's sentence.
const MAX_FRAGMENT_WORDS: usize = 4;

/// Appends a **QuoteAltered** group for each fragment that other sources' quotes of the same
/// person word differently in one word.
pub(super) fn align(ctx: &StoryContext<'_>, items: &[Item<'_>], out: &mut Vec<ClaimGroup>) {
    for fragment in items.iter().filter(|i| is_fragment(i)) {
        let Some(key @ SpeakerKey::Entity(_)) = &fragment.speaker else {
            continue;
        };
        let source = ctx.source_of(fragment.r.doc);
        let others: Vec<&Item<'_>> = items
            .iter()
            .filter(|o| o.speaker.as_ref() == Some(key))
            .filter(|o| ctx.source_of(o.r.doc) != source && !o.compressed)
            .collect();
        let n = fragment.words.len();
        let verbatim = others
            .iter()
            .any(|o| o.words.windows(n).any(|w| w == fragment.words.as_slice()));
        if verbatim {
            continue;
        }
        let found = others.iter().find_map(|o| {
            (0..(o.words.len() + 1).saturating_sub(n))
                .find_map(|at| one_word_changed(fragment, o, at).map(|changed| (*o, at, changed)))
        });
        // "would “conquer Jihadism”" against "try to contain Jihadism. … We will conquer it":
        // a changed word the speaker says elsewhere in that source joins two sentences of one
        // remark rather than changing what was said.
        let Some((other, at, changed)) = found else {
            continue;
        };
        let said_there = others
            .iter()
            .filter(|o| o.r.doc == other.r.doc)
            .any(|o| o.words.contains(&fragment.words[changed]));
        if !said_there {
            out.push(group(ctx, fragment, other, at, changed));
        }
    }
}

/// A quotation of two to four words that starts in lower case, as a phrase quoted inside the
/// writer's own sentence does, with no words an editor put in brackets.
fn is_fragment(item: &Item<'_>) -> bool {
    (2..=MAX_FRAGMENT_WORDS).contains(&item.words.len())
        && !item.compressed
        && !item.editorial.contains(&true)
        && item
            .surface
            .first()
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_lowercase)
}

/// The position in the fragment of its one word that differs from `other`'s window at `at`,
/// when all its other words match and the change is a change of content.
fn one_word_changed(fragment: &Item<'_>, other: &Item<'_>, at: usize) -> Option<usize> {
    let n = fragment.words.len();
    let window = &other.words[at..at + n];
    let mut differing = (0..n).filter(|&i| fragment.words[i] != window[i]);
    let changed = differing.next()?;
    if differing.next().is_some() || other.editorial[at..at + n].contains(&true) {
        return None;
    }
    let (from, to) = (&fragment.surface[changed], &other.surface[at + changed]);
    let content_kept = (0..n)
        .filter(|&i| i != changed)
        .any(|i| is_content_word(&fragment.words[i]));
    let respelt =
        same_stem(from, to) || same_spelling(std::slice::from_ref(from), std::slice::from_ref(to));
    let content_changed =
        is_content_word(&fragment.words[changed]) && is_content_word(&other.words[at + changed]);
    (content_kept && content_changed && !respelt).then_some(changed)
}

/// A word that says something on its own: not a function word, and not a number (figures
/// in quotes are compared as figures).
fn is_content_word(word: &str) -> bool {
    !corroborate_nlp::is_function_word(word) && !word.chars().any(|c| c.is_ascii_digit())
}

/// The group: the other source's window is the version the fragment is read against.
fn group(
    ctx: &StoryContext<'_>,
    fragment: &Item<'_>,
    other: &Item<'_>,
    at: usize,
    changed: usize,
) -> ClaimGroup {
    let n = fragment.words.len();
    let window = &other.surface[at..at + n];
    let mut segments = Vec::new();
    if changed > 0 {
        segments.push(DiffSegment::Equal(window[..changed].join(" ")));
    }
    segments.push(DiffSegment::Delete(window[changed].clone()));
    segments.push(DiffSegment::Insert(fragment.surface[changed].clone()));
    if changed + 1 < n {
        segments.push(DiffSegment::Equal(window[changed + 1..].join(" ")));
    }
    let speaker = fragment
        .speaker_label
        .clone()
        .or_else(|| other.speaker_label.clone());
    let by = speaker
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    let explanation = format!(
        "{}{by} in {}; {} quotes {} in {}: \"{}\" → \"{}\"",
        quoted(&fragment.surface),
        ctx.outlets(&[fragment.r]),
        ctx.outlets(&[other.r]),
        quoted(window),
        quoted(&other.surface),
        window[changed],
        fragment.surface[changed],
    );
    let claims: Vec<ClaimRef> = vec![other.r, fragment.r];
    ClaimGroup {
        topic: Topic::Quote { speaker },
        verdict: Verdict::QuoteAltered,
        explanation,
        independent_sources: ctx.sources_of_refs(&claims),
        confidence: confidence::altered_quote([segments.as_slice()]),
        diffs: vec![QuoteDiff {
            from: other.r,
            to: fragment.r,
            segments,
        }],
        claims,
        evidence: vec![other.quote.content, fragment.quote.content],
        story: Some(ctx.story.id),
    }
}
