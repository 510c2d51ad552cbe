//! Claim extractors: quantities, office holders, quotes, sourcing, framing, dates.
//!
//! [`extract_claims`] reads an [`AnalyzedArticle`] whose sentences, token layer, entities,
//! mentions and coreference the nlp stage filled, and returns [`Claim`]s, each with the
//! sentence that supports it as evidence and byte spans for every part it names; it writes
//! nothing else and keeps nothing between articles. It does not tokenise or split sentences:
//! it reads `nlp`'s token layer ([`AnalyzedArticle::tokens`]; for a record read back from JSON
//! or storage, which keeps no layer, the same layer rebuilt by [`corroborate_nlp::tokens_of`])
//! into one shared `Doc` view (tokens, sentences as token ranges, mentions sorted by
//! position), finds quotation marks once, then runs one extractor per claim kind:
//!
//! - `quantity`: figures normalised to an [`Interval`](corroborate_model::Interval) with
//!   what they count and what is said of it ("more than 600 retired Israeli security
//!   officials" ⇒ [600, ∞), head "official");
//! - `holder`: people with office titles, normalised through [`office`];
//! - [`implied`]: offices the text implies someone holds, read more loosely for the knowledge
//!   base to confirm (a title next to a name, "his administration is …", "the former
//!   president"), never compared across outlets;
//! - `quote`: quotations with speaker, cue and paraphrase markers;
//! - `attribution`: sourcing cues (named, anonymous, document, hedged);
//! - `framing`: loaded terms from `data/framing.tsv`, in the outlet's voice or quoted;
//! - `time`: dates, weekdays and durations (durations are time claims, never quantities),
//!   and which day is the article's own date line or by-line.
//!
//! What the knowledge base needs is read here too, so that `kb` scans no text: it links the
//! office-holder and implied office claims (each marked when its sentence anchors itself in a
//! stated time, "in 2023", "then-") and takes the date line, durations (with what they count
//! from) and weekdays from the time claims. The one reading it asks for is whether a sentence
//! where it finds the name of an ended event speaks in the present tense
//! ([`implied::speaks_of_now`]).
//!
//! Normalisation choices, so that figures from different outlets compare:
//! - approximations widen the value: "about"/"roughly"/"an estimated" ×[0.9, 1.1],
//!   "nearly"/"almost" ×[0.9, 1]; bounds are open-ended ("more than 600" ⇒ [600, ∞),
//!   "up to 28" ⇒ [0, 28]); vague magnitudes are ranges ("hundreds" ⇒ [200, 999]); the
//!   factors live in `data/numbers.toml`;
//! - money is in units of its currency ("$1.2 billion" = "1,200 million dollars" = 1.2e9
//!   USD), percentages in percent;
//! - durations ("nearly two years", "its 23rd month") are only [`TimeValue::Duration`]
//!   claims, in days, never quantities;
//! - quotes of at most [`SHORT_QUOTE_WORDS`] words are scare quotes: still claims, but
//!   attributed only from an adjacent cue or a named speaker's verb in the same sentence;
//! - pronoun speakers ("she added") stay `Speaker::Description`, unresolved.
//!
//! Vocabularies live in `data/` and are compiled in. Article text is untrusted: nothing
//! here panics on input, and every span lies on char boundaries of `article.text`.
//! `examples/claims_throughput.rs` measures the stage on the seed articles (53 µs of CPU per
//! 3 KB of text on 2026-11-23).
//!
//! [`TimeValue::Duration`]: corroborate_model::TimeValue::Duration
//!
//! ```
//! use corroborate_claims::extract_claims;
//! use corroborate_model::{AnalyzedArticle, Article, ClaimKind, SourceRef, TextRange};
//!
//! let text = "More than 600 retired officials signed the letter.";
//! let mut doc = AnalyzedArticle::new(Article {
//!     id: 0, source: SourceRef::file("a.txt"), url: None, outlet: None, title: None,
//!     byline: None, published: None, language: None, text: text.into(), body_start: 0,
//! });
//! doc.sentences = vec![TextRange::new(0, text.len())];
//! let claims = extract_claims(&doc);
//! let ClaimKind::Quantity(q) = &claims[0].kind else { panic!("a quantity") };
//! assert_eq!(q.value.low, 600.0);
//! assert!(q.value.high.is_infinite());
//! assert_eq!(q.number.slice(text), Some("More than 600"));
//! let counted = q.counted.as_ref().unwrap();
//! assert_eq!((counted.head.as_str(), counted.predicate.as_deref()), ("official", Some("sign")));
//! ```

mod attribution;
mod framing;
mod holder;
pub mod implied;
mod lexicon;
mod number;
pub mod office;
mod quantity;
mod quote;
mod text;
mod time;

#[cfg(test)]
mod testutil;

use corroborate_model::{AnalyzedArticle, Claim};

pub use quote::SHORT_QUOTE_WORDS;

/// Extracts every claim in an article whose sentences, entities and mentions are known.
///
/// Claims come grouped by kind (quantities, office holders, quotes, attributions, framing,
/// times), each group in text order. Without sentence ranges, lines stand in for sentences.
pub fn extract_claims(doc: &AnalyzedArticle) -> Vec<Claim> {
    let view = text::Doc::new(doc);
    let regions = quote::find_regions(view.text);
    let mut claims = Vec::new();
    quantity::extract(&view, &mut claims);
    holder::extract(&view, &mut claims);
    implied::extract(&view, &mut claims);
    quote::extract(&view, &regions, &mut claims);
    attribution::extract(&view, &mut claims);
    framing::extract(&view, &regions, &mut claims);
    time::extract(&view, &mut claims);
    claims
}
