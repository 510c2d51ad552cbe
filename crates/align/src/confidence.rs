//! How likely a reader checking a group's evidence finds its verdict right: the one place
//! where every aligner's confidence is made, so that the scale means the same everywhere.
//!
//! These are rules over the evidence, not a trained model: how the claims were matched (a
//! shared predicate and modifiers are stronger than words nearby), how far apart the values
//! are (1.5 vs 1.6 million is a misreport of one figure more often than 100 vs 290), how much
//! of a quote the versions share around a change. Their levels were checked against the
//! verdicts a careful reader accepted and rejected on real coverage (basil-dev, README);
//! [`corroborate_model::MIN_SHOWN_CONFIDENCE`] separates the alarms a report shows by default.

use corroborate_model::DiffSegment;

/// Figures grouped on what they count (head noun, unit and modifiers).
pub(crate) fn keyed_figures(shared_predicate: bool, shared_modifiers: usize, spread: f64) -> f32 {
    let matched =
        0.55 + if shared_predicate { 0.15 } else { 0.0 } + 0.05 * shared_modifiers.min(3) as f32;
    two_places(matched * closeness(spread))
}

/// Figures grouped on the words around them, whatever they count.
pub(crate) fn context_figures(shared_words: usize, spread: f64) -> f32 {
    let matched = (0.6 + 0.03 * shared_words.saturating_sub(3) as f32).min(0.8);
    two_places(matched * closeness(spread))
}

/// Dates of one happening matched on the words around them: weaker than figures, since a
/// story often tells of several happenings in the same words.
pub(crate) fn dated_happening(shared_words: usize) -> f32 {
    two_places((0.5 + 0.04 * shared_words.saturating_sub(4) as f32).min(0.7))
}

/// A vague word ("hundreds") beside figures in its range: a real imprecision when one thing
/// is counted, which a shared predicate makes likelier.
pub(crate) fn vague_figures(shared_predicate: bool, shared_modifiers: usize) -> f32 {
    two_places(
        0.6 + if shared_predicate { 0.1 } else { 0.0 } + 0.05 * shared_modifiers.min(2) as f32,
    )
}

/// Holders of a one-holder office, told apart by name.
pub(crate) fn holders(body_named: bool) -> f32 {
    if body_named { 0.8 } else { 0.65 }
}

/// One person given different top posts of one body: often one outlet's error, but a person
/// may hold both posts and the articles not say so.
pub(crate) const TITLES: f32 = 0.6;

/// One quote given to different speakers. The versions nearly match word for word (they are
/// linked across speakers only then), but a real misattribution is rarer than a speaker read
/// wrongly from the text (about one quote in ten on polnear-dev; "His response:" after a
/// question): below the threshold reports show by default until attribution improves.
pub(crate) const SPEAKERS: f32 = 0.45;

/// Agreement and single-source findings: what was matched is shown, nothing is alleged.
pub(crate) const FINDING: f32 = 1.0;

/// An outlet that prints words in quotation marks and flags them as a paraphrase itself.
pub(crate) const SELF_FLAGGED_PARAPHRASE: f32 = 0.9;

/// Words attributed to a speaker that match nothing other outlets quote the speaker saying:
/// a paraphrase put in quotation marks, or a remark the others left out.
pub(crate) const UNMATCHED_WORDING: f32 = 0.6;

/// Versions of one quote with words changed: the longer the stretch they share around the
/// changes, the surer it is one utterance printed two ways rather than two things said.
pub(crate) fn altered_quote<'a>(diffs: impl IntoIterator<Item = &'a [DiffSegment]>) -> f32 {
    let words = |text: &str| text.split_whitespace().count();
    let (mut shared, mut changed, mut any) = (usize::MAX, 0usize, false);
    for diff in diffs {
        any = true;
        let (mut equal, mut edits) = (0, 0);
        for segment in diff {
            match segment {
                DiffSegment::Equal(t) => equal += words(t),
                DiffSegment::Insert(t) | DiffSegment::Delete(t) => edits += words(t),
            }
        }
        shared = shared.min(equal);
        changed = changed.max(edits);
    }
    if !any {
        return 0.0;
    }
    let context = (shared as f32 / 12.0).min(1.0);
    let share = shared as f32 / (shared + changed).max(1) as f32;
    two_places((0.4 + 0.4 * context + 0.15 * share).min(0.95))
}

/// A fact a near-copy gives differently from its source: the more of the passage the two
/// share around the change, the surer it is one text edited rather than two sentences that
/// happen to align; a copy whose source cannot be told is less sure which value came first,
/// not that they differ.
pub(crate) fn altered_copy(
    shared_words: usize,
    changed_words: usize,
    direction_known: bool,
) -> f32 {
    let context = (shared_words as f32 / 12.0).min(1.0);
    let share = shared_words as f32 / (shared_words + changed_words).max(1) as f32;
    let direction = if direction_known { 0.05 } else { 0.0 };
    two_places((0.45 + 0.3 * context + 0.15 * share + direction).min(0.95))
}

/// Confidences are estimates: two decimals say all they know, and keep reports readable.
fn two_places(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// How much a spread of values (largest over smallest) lowers a figure conflict: values a
/// few per cent apart are one figure misreported; values three times apart (the most a
/// conflict allows) as likely count different things.
fn closeness(spread: f64) -> f32 {
    let excess = ((spread - 1.0) / 2.0).clamp(0.0, 1.0) as f32;
    1.0 - 0.3 * excess
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_figures_matched_on_a_predicate_are_surer_than_distant_ones_matched_on_context() {
        let keyed = keyed_figures(true, 1, 1.07);
        let context = context_figures(3, 2.5);
        assert!(keyed > 0.65, "{keyed}");
        assert!(context < 0.5, "{context}");
        assert!(keyed_figures(false, 0, 3.0) < keyed_figures(false, 0, 1.1));
    }

    #[test]
    fn a_quote_change_in_a_long_shared_stretch_is_surer_than_in_a_short_one() {
        let long = [
            DiffSegment::Equal("we will not stand by while our neighbours are".into()),
            DiffSegment::Delete("forced".into()),
            DiffSegment::Insert("driven".into()),
            DiffSegment::Equal("from their homes by this policy".into()),
        ];
        let short = [
            DiffSegment::Delete("a grave".into()),
            DiffSegment::Insert("an honest".into()),
            DiffSegment::Equal("mistake".into()),
        ];
        let (long, short) = (altered_quote([&long[..]]), altered_quote([&short[..]]));
        assert!(long >= 0.8, "{long}");
        assert!(short < 0.5, "{short}");
    }
}
