//! Sentences, the token layer, named entities and alias resolution for English news text.
//!
//! nlp is where the pipeline reads an article's text: it owns sentence splitting and the one
//! tokeniser, and later stages (claims, align) read its layer (the one stored on the article,
//! or the same one rebuilt by [`tokens_of`]) instead of splitting the text again. The per-article entry point is [`analyze`]: it takes an [`Article`] from
//! `extract` and returns an [`AnalyzedArticle`] for `claims` with
//!
//! * `sentences` from [`split_sentences`] (hand rules: lines are hard boundaries,
//!   abbreviations from `data/abbreviations.txt` do not end sentences, quotes stay with their
//!   attribution),
//! * `tokens`, the token layer from [`tokenize`] (module `tokens`): byte offsets and a shape
//!   (word, number or punctuation; capitalised) for every token. It is not serialised; a
//!   record read back without it gets the same layer from [`tokens_of`]. The recogniser reads
//!   a finer sub-view of it (hyphenated words cut, possessive "’s" left out, an
//!   abbreviation's period taken in),
//! * `entities` (people, organisations, places, groups) with their `mentions`, found by a
//!   rule-based recogniser over gazetteers in `data/` (module `entities`): titles and
//!   honorifics are stripped from names but kept as aliases ("Lt. Gen. Eyal Zamir" is the
//!   person "Eyal Zamir" with alias "Lt. Gen. Eyal Zamir"), surnames, quoted nicknames and
//!   parenthesised acronyms resolve to the entity they abbreviate within the article, and
//! * `coreference`: "he"/"she" and role nouns ("the senator") outside quotations resolved to
//!   the person they stand for (module `coreference`, words in `data/coreference.txt`).
//!
//! Mention spans cover the name only: no title, no possessive "’s", so downstream stages can
//! read the words around a mention (an office before it, a speech verb after it).
//!
//! The person kind is meant to be reliable rather than exhaustive: a capitalised name with no
//! gazetteer entry becomes a person only with evidence (a title or honorific before it, a
//! given name from `data/given_names.txt`, a by-line, a speech verb from
//! `data/person_cues.txt` next to one of its mentions, or a surname from
//! `data/notable_people.txt`); without evidence it is left out. "the Trump administration"
//! and "the Netanyahu government" are organisations of their own (`data/governing_bodies.txt`),
//! never mentions of the person, so quotes and offices are not attached to a leader through
//! the body they lead.
//!
//! Names are compared by one key, [`name_key`] (lower-case, hyphens as spaces, no full stops,
//! straight apostrophes, no accents: "Ben-Gvir" is "ben gvir"), here and in every later stage
//! (the knowledge base's holder index, alignment's person keys).
//!
//! Word lists live in `data/`: abbreviations, stop words, function words, places,
//! organisations, demonyms, titles, given names, organisation and place head words, person
//! cues, notable people.
//!
//! Once every article is analysed, [`link_entities`] resolves aliases across the run with hash
//! maps (linear in the number of entities): "Netanyahu" in one article and "Benjamin
//! Netanyahu" in another end up with the same canonical string, while a surname shared by two
//! different full names stays as it is.
//!
//! ```
//! use corroborate_model::{Article, EntityKind, SourceRef};
//! use corroborate_nlp::{analyze, link_entities};
//!
//! let article = |id, text: &str| Article::from_text(id, SourceRef::file("-"), text.to_string());
//! let mut run = vec![
//!     analyze(article(0, "Defense Minister Yoav Gallant met Mr. Netanyahu’s aides. Gallant left.")),
//!     analyze(article(1, "Prime Minister Benjamin Netanyahu spoke in Gaza City.")),
//! ];
//! assert_eq!(run[0].sentences.len(), 2);
//! let gallant = &run[0].entities[run[0].mentions[0].entity];
//! assert_eq!((gallant.canonical.as_str(), gallant.kind), ("Yoav Gallant", EntityKind::Person));
//!
//! link_entities(&mut run);
//! let netanyahu = run[0].entities.iter().find(|e| e.aliases.iter().any(|a| a == "Mr. Netanyahu"));
//! assert_eq!(netanyahu.map(|e| e.canonical.as_str()), Some("Benjamin Netanyahu"));
//! ```

mod coreference;
mod entities;
mod lexicon;
mod linking;
mod names;
mod sentences;
mod tokens;

pub use names::{name_key, push_name_key};
pub use sentences::split_sentences;
pub use tokens::{tokenize, tokens_of};

/// True for a lower-case English function word ("about", "which", "very"): a word that says
/// nothing of a text's topic. One list (`data/function_words.txt`) for every stage.
pub fn is_function_word(word: &str) -> bool {
    lexicon::FUNCTION_WORDS.contains(word)
}

use corroborate_model::{AnalyzedArticle, Article};

/// Splits `article` into sentences and tokens and finds its entities and their mentions.
///
/// Fills `sentences`, `tokens`, `entities`, `mentions` and `coreference`; leaves `claims`
/// empty and `dating` unset for the later stages. Never panics on any text.
pub fn analyze(article: Article) -> AnalyzedArticle {
    let mut analyzed = AnalyzedArticle::new(article);
    let text = analyzed.article.text.as_str();
    let sentences = split_sentences(text);
    let layer = tokenize(text);
    let id = analyzed.article.id;
    let (entities, mentions, words) = entities::recognize(text, &layer, &sentences, id);
    analyzed.coreference = coreference::resolve(text, &words, &sentences, &entities, &mentions, id);
    analyzed.sentences = sentences;
    analyzed.tokens = layer;
    analyzed.entities = entities;
    analyzed.mentions = mentions;
    analyzed
}

/// Resolves aliases across articles so one entity has one canonical name in the whole run.
///
/// Rewrites each article's `Entity::canonical` and `aliases` in place (the old canonical
/// becomes an alias); entity indices and mentions are unchanged, so claims that already point
/// at entities stay valid.
pub fn link_entities(articles: &mut [AnalyzedArticle]) {
    linking::link(articles);
}
