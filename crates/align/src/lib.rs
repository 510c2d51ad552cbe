//! Aligns comparable claims across the articles of a story and labels each group with a verdict.
//!
//! [`align`] takes the analysed articles and the stories they were clustered into and returns
//! [`ClaimGroup`]s, each with a [`Verdict`], a one-line explanation naming the outlets and the
//! values as written, the [`ClaimRef`]s compared and the evidence [`Span`]s in the order the
//! explanation mentions them. Claims are only ever compared within one story. Three aligners
//! share a per-story context that knows each article's outlet label (outlet, else title, else
//! file name) and which articles are near-duplicate copies (connected components of
//! `Story::near_duplicates`, so three copies of one wire story are one independent source):
//!
//! - quantities ([`Verdict::Agree`], [`Verdict::Conflict`], [`Verdict::VagueVsPrecise`],
//!   [`Verdict::SingleSource`]): bucketed by (unit, head noun, predicate), split by compatible
//!   modifiers, compared as intervals allowing for rounding;
//! - figures in matching contexts ([`Verdict::Conflict`]): close figures the key could not
//!   bring together (no counted noun, another noun) whose surrounding words match;
//! - office holders ([`Verdict::HolderConflict`], [`Verdict::Agree`]): bucketed by office,
//!   judged only for offices one person holds at a time;
//! - dates of one happening ([`Verdict::DatingConflict`]): days that cannot overlap, given
//!   to an event described in the same words;
//! - quotes ([`Verdict::QuoteVerbatim`], [`Verdict::QuoteAltered`], [`Verdict::SpeakerConflict`],
//!   [`Verdict::ParaphraseInQuotes`]): candidate versions found through a word-shingle index,
//!   compared with a word-level diff on the stretch they share;
//! - copies that change facts ([`Verdict::CopyAltered`]): a near-copy's figure, name or quoted
//!   words that differ from its source in a passage they share;
//! - single-source facts ([`Verdict::SingleSource`]): quotes, figures and names that no other
//!   independent source of the story gives, quotes first.
//!
//! # Rules
//!
//! Each rule errs towards keeping claims apart: a false conflict is worse than a missed one.
//! The vocabulary lives in `data/terms.toml`; the source of the `quantity`, `office` and
//! `quote` modules documents each rule in full.
//!
//! - **Quantity key.** (unit, head noun, predicate) after synonym tables (`killed` = `died`;
//!   `signed` = `called on` = `urged`; `officer` ≠ `official`). No predicate meets only no
//!   predicate, except that a count with a light verb ("have *taken* the step") or none joins
//!   the one real-predicate bucket of its head that it fits with two shared modifiers. Within a
//!   key, modifiers (with `retired` = `ex-` = `former`) must nest — one
//!   set contains the other — and agree on strict words (`additional`, `remaining`, …): so
//!   "retired Israeli security officials" meets "former senior Israeli security officials",
//!   never "Palestinian officials". A modifier-less claim that fits two incompatible groups
//!   stays alone. Quantities without a counted noun phrase are not aligned.
//! - **Quantity verdicts.** Figures are read as intervals (exact ones by the rounding of their
//!   last significant digit, at most ±5 %; "about" ±10 %; "nearly" just below). *Agree* if all
//!   share a value; *Conflict* if not, and also when outlets give different minimum (or
//!   maximum) figures — "more than 600" against "more than 550" is a disagreement on the
//!   figure a careful reader would report; *VagueVsPrecise* when "hundreds" stands beside a
//!   figure; *SingleSource* only for a non-vague figure (ten or more, for counts) about a
//!   specific thing (a non-generic head with a real predicate or two modifiers) that one
//!   independent source gives in a story with several. Generic heads ("people", "others") only ever get *Agree*.
//! - **Office holders.** Bucketed by (title, org); a claim without an org joins its title's
//!   only org, else the story's dominant org. Different current or unspecified holders (told
//!   apart by surname) across two or more sources: *HolderConflict*; one holder: *Agree*.
//!   Former holders never conflict with current ones.
//! - **Quotes.** Versions sharing a word shingle are diffed: the same words or a verbatim part:
//!   *QuoteVerbatim*; words changed: *QuoteAltered* with diffs; quotes under different
//!   speakers are linked only when nearly identical, and the explanation says so. A quote
//!   whose cue says "in essence" is *ParaphraseInQuotes*, as is an article whose every
//!   quotation of a document shares no words with the version two other sources print.
//!
//! Cost is near-linear: every claim is put in a bucket by key and only claims sharing a bucket
//! (or, for quotes, a shingle) are compared; no step compares all claims of a story or of the
//! corpus with each other. Stories are independent, so the caller may also split them.
//!
//! ```
//! use corroborate_align::{align, AlignOptions};
//! use corroborate_model::*;
//!
//! let article = |id: DocId, outlet: &str, text: &str, number: (usize, usize), np: (usize, usize)| {
//!     let mut a = AnalyzedArticle::new(Article {
//!         id, source: SourceRef::file(format!("{id}.txt")), url: None,
//!         outlet: Some(outlet.into()), title: None, byline: None, published: None,
//!         language: None, text: text.into(), body_start: 0,
//!     });
//!     a.claims.push(Claim {
//!         evidence: Span::new(id, TextRange::new(0, text.len())),
//!         kind: ClaimKind::Quantity(Quantity {
//!             value: Interval::at_least(if id == 0 { 600.0 } else { 550.0 }),
//!             precision: Precision::Bound,
//!             unit: QuantityUnit::Count,
//!             counted: Some(Counted {
//!                 phrase: text[np.0..np.1].into(),
//!                 head: "official".into(),
//!                 modifiers: vec!["former".into(), "israeli".into()],
//!                 predicate: Some("sign".into()),
//!                 span: Span::new(id, TextRange::new(np.0, np.1)),
//!             }),
//!             number: Span::new(id, TextRange::new(number.0, number.1)),
//!             year: None,
//!         }),
//!     });
//!     a
//! };
//! let articles = vec![
//!     article(0, "Wire", "More than 600 former Israeli officials signed.", (0, 13), (14, 38)),
//!     article(1, "Daily", "More than 550 ex-Israeli officials signed.", (0, 13), (14, 34)),
//! ];
//! let story = Story { id: 0, label: "letter".into(), docs: vec![0, 1], near_duplicates: vec![] };
//! let groups = align(&articles, &[story], &AlignOptions::default());
//! assert_eq!(groups[0].verdict, Verdict::Conflict);
//! assert_eq!(
//!     groups[0].explanation,
//!     "outlets give different minimum figures for “former Israeli officials”: \
//!      More than 600 (Wire) vs More than 550 (Daily)"
//! );
//! ```

mod confidence;
mod context;
mod context_figures;
mod copies;
mod dates;
mod office;
mod quantity;
mod quote;
mod single;
mod terms;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

use corroborate_model::{AnalyzedArticle, ClaimGroup, DocId, Story};
#[cfg(doc)]
use corroborate_model::{ClaimRef, Span, Verdict};

/// Alignment settings. The defaults are tuned for news articles; every field is a threshold a
/// user may want to tighten or loosen.
#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// Relative spread of an approximate figure stated as one value ("about 1,200" ⇒ ±10 %).
    pub approximate_tolerance: f64,
    /// Largest relative rounding an exact figure is granted ("1,000" is not read as
    /// 500–1,500 but as 950–1,050 with the default 5 %).
    pub exact_rounding_cap: f64,
    /// Report quantities that only one independent source gives (for specific counted things).
    pub single_source_quantities: bool,
    /// Report quotes, figures and names that only one independent source gives.
    pub single_source_facts: bool,
    /// Words per shingle in the quote index.
    pub quote_shingle_words: usize,
    /// Shingles shared by more distinct quote versions than this are boilerplate and ignored,
    /// which keeps candidate pairs near-linear.
    pub max_shingle_variants: usize,
    /// Share of words two versions must have in common (2·equal / total) to be one quote with
    /// words changed.
    pub quote_altered_min_similarity: f64,
    /// The same share for versions attributed to different speakers: only nearly identical
    /// words make them one quote.
    pub quote_cross_speaker_min_similarity: f64,
    /// Also flag a person's quote as a paraphrase when none of its words match what two other
    /// independent sources quote that person as saying. Off by default: people say different
    /// things on different occasions, whereas a document has one text.
    pub unmatched_quotes_of_people: bool,
}

impl Default for AlignOptions {
    fn default() -> Self {
        Self {
            approximate_tolerance: 0.10,
            exact_rounding_cap: 0.05,
            single_source_quantities: true,
            single_source_facts: true,
            quote_shingle_words: 2,
            max_shingle_variants: 64,
            quote_altered_min_similarity: 0.7,
            quote_cross_speaker_min_similarity: 0.9,
            unmatched_quotes_of_people: false,
        }
    }
}

/// Groups comparable claims within each story and gives every group a verdict.
///
/// Groups come most important first: by [`Verdict`] order, then by number of independent
/// sources (descending); ties keep story order.
pub fn align(
    articles: &[AnalyzedArticle],
    stories: &[Story],
    options: &AlignOptions,
) -> Vec<ClaimGroup> {
    align_in_run(articles, stories, options, &|doc| doc)
}

/// [`align`] for articles taken out of a larger run and numbered from 0 (the Spark job aligns
/// each story on its own): `run_id` gives the id the run knows article `doc` by, which
/// explanations print where they name an article by number ("Daily Ledger #12", "article
/// 12"). Everything else refers to the articles by their ids here.
pub fn align_in_run(
    articles: &[AnalyzedArticle],
    stories: &[Story],
    options: &AlignOptions,
    run_id: &dyn Fn(DocId) -> DocId,
) -> Vec<ClaimGroup> {
    let mut groups = Vec::new();
    for story in stories {
        let ctx = context::StoryContext::new(articles, story, run_id);
        let first = groups.len();
        quantity::align(&ctx, options, &mut groups);
        let compared = groups[first..]
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.claims.iter().map(move |&r| (r, g)))
            .collect();
        context_figures::align(&ctx, options, &compared, &mut groups);
        office::align(&ctx, options, &mut groups);
        dates::align(&ctx, &mut groups);
        quote::align(&ctx, options, &mut groups);
        copies::align(&ctx, options, first, &mut groups);
        if options.single_source_facts {
            let covered = groups[first..]
                .iter()
                .flat_map(|g| g.claims.iter().copied())
                .collect();
            single::align(&ctx, &covered, &mut groups);
        }
    }
    groups.sort_by(|a, b| {
        a.verdict
            .cmp(&b.verdict)
            .then_with(|| b.independent_sources.cmp(&a.independent_sources))
    });
    groups
}
