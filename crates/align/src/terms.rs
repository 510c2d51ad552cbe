//! The alignment vocabulary (`data/terms.toml`): synonyms and rules that decide which claims
//! are comparable. Kept as data so it can be reviewed and extended without touching code.

use once_cell::sync::Lazy;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
struct File {
    heads: HashMap<String, String>,
    modifiers: HashMap<String, String>,
    rules: Rules,
    predicates: HashMap<String, String>,
    approximate: Approximate,
    quotes: Quotes,
    offices: Offices,
    measures: HashMap<String, Measure>,
}

/// A unit of measure as a multiple of the unit it is compared in (see `[measures]`).
#[derive(Deserialize, Clone)]
pub(crate) struct Measure {
    /// The unit compared in ("mile" for kilometres).
    pub unit: String,
    /// How many of `unit` one of this unit is.
    pub factor: f64,
}

/// How many people can hold an office at once (see `[offices]` in terms.toml).
#[derive(Deserialize, Default)]
pub(crate) struct Offices {
    one_holder_in_story: HashSet<String>,
    one_holder_per_named_body: HashSet<String>,
    leader_titles: HashSet<String>,
}

/// Whether two different holders of an office can be in conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holders {
    /// One holder per country or place; the story may supply the organisation.
    OneInStory,
    /// One holder per body; the body must be named.
    OnePerNamedBody,
    /// Many holders at once ("senator"), or a qualified office ("deputy director").
    Many,
}

#[derive(Deserialize)]
struct Rules {
    ignored_modifiers: HashSet<String>,
    strict_modifiers: HashSet<String>,
    generic_heads: HashSet<String>,
    light_predicates: HashSet<String>,
    event_roles: HashSet<String>,
}

#[derive(Deserialize)]
struct Approximate {
    below: Vec<String>,
    above: Vec<String>,
}

#[derive(Deserialize)]
struct Quotes {
    paraphrase_cues: Vec<String>,
    document_noise: HashSet<String>,
}

/// The parsed vocabulary.
pub(crate) struct Terms {
    heads: HashMap<String, String>,
    modifiers: HashMap<String, String>,
    predicates: HashMap<String, String>,
    ignored_modifiers: HashSet<String>,
    strict_modifiers: HashSet<String>,
    generic_heads: HashSet<String>,
    light_predicates: HashSet<String>,
    event_roles: HashSet<String>,
    below: Vec<String>,
    above: Vec<String>,
    paraphrase_cues: Vec<String>,
    document_noise: HashSet<String>,
    offices: Offices,
    measures: HashMap<String, Measure>,
}

/// The vocabulary, parsed once. The file is compiled in and checked by a unit test, so a
/// parse failure is a build defect; it degrades to an empty vocabulary rather than panicking.
pub(crate) static TERMS: Lazy<Terms> = Lazy::new(|| {
    parse(include_str!("../data/terms.toml")).unwrap_or_else(|_| Terms {
        heads: HashMap::new(),
        modifiers: HashMap::new(),
        predicates: HashMap::new(),
        ignored_modifiers: HashSet::new(),
        strict_modifiers: HashSet::new(),
        generic_heads: HashSet::new(),
        light_predicates: HashSet::new(),
        event_roles: HashSet::new(),
        below: Vec::new(),
        above: Vec::new(),
        paraphrase_cues: Vec::new(),
        document_noise: HashSet::new(),
        offices: Offices::default(),
        measures: HashMap::new(),
    })
});

fn parse(text: &str) -> Result<Terms, toml::de::Error> {
    let file: File = toml::from_str(text)?;
    Ok(Terms {
        heads: file.heads,
        modifiers: file.modifiers,
        predicates: file.predicates,
        ignored_modifiers: file.rules.ignored_modifiers,
        strict_modifiers: file.rules.strict_modifiers,
        generic_heads: file.rules.generic_heads,
        light_predicates: file.rules.light_predicates,
        event_roles: file.rules.event_roles,
        below: file.approximate.below,
        above: file.approximate.above,
        paraphrase_cues: file.quotes.paraphrase_cues,
        document_noise: file.quotes.document_noise,
        offices: file.offices,
        measures: file.measures,
    })
}

/// Lower-cases a word, folds curly apostrophes and trims punctuation at both ends.
pub(crate) fn fold_word(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .trim_matches('-')
        .replace(['’', '‘'], "'")
        .to_lowercase()
}

/// Which way an approximate figure leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lean {
    /// "nearly two years": at most the figure.
    Below,
    /// "just over 600": at least the figure.
    Above,
    /// "about 1,200": either side.
    Either,
}

impl Terms {
    /// The canonical head noun.
    pub(crate) fn head(&self, head: &str) -> String {
        let folded = fold_word(head);
        self.heads.get(&folded).cloned().unwrap_or(folded)
    }

    /// True when the head says too little about what is counted to risk a conflict.
    pub(crate) fn is_generic_head(&self, canonical_head: &str) -> bool {
        canonical_head.is_empty() || self.generic_heads.contains(canonical_head)
    }

    /// The canonical predicate.
    pub(crate) fn predicate(&self, predicate: &str) -> String {
        let folded = fold_word(predicate);
        self.predicates.get(&folded).cloned().unwrap_or(folded)
    }

    /// The unit a head that is a unit of measure is compared in, with its factor: "25-tonne"
    /// and "19-ton" both become short tons.
    pub(crate) fn measure(&self, head: &str) -> Option<&Measure> {
        self.measures.get(head)
    }

    /// True for light verbs ("take", "make") that say little as a predicate.
    pub(crate) fn is_light_predicate(&self, canonical: &str) -> bool {
        self.light_predicates.contains(canonical)
    }

    /// True when a canonical predicate is a role people play in an event (killed, injured,
    /// arrested): it makes a count of "people" specific.
    pub(crate) fn is_event_role(&self, canonical: &str) -> bool {
        self.event_roles.contains(canonical)
    }

    /// Canonical modifiers of one modifier as written: "ex-Mossad" gives "former" and
    /// "mossad"; ignored words and numbers give nothing.
    pub(crate) fn modifiers(&self, modifier: &str, out: &mut Vec<String>) {
        for part in modifier.split_whitespace() {
            let folded = fold_word(part);
            let (prefix_former, rest) = match folded.strip_prefix("ex-") {
                Some(rest) => (true, rest.to_string()),
                None => (false, folded),
            };
            if prefix_former {
                out.push("former".to_string());
            }
            if rest.is_empty()
                || rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
                || self.ignored_modifiers.contains(&rest)
            {
                continue;
            }
            out.push(self.modifiers.get(&rest).cloned().unwrap_or(rest));
        }
    }

    /// True for modifiers that must be present on both sides for two counts to compare.
    pub(crate) fn is_strict_modifier(&self, canonical: &str) -> bool {
        self.strict_modifiers.contains(canonical)
    }

    /// Which way an approximate figure written as `number_text` leans.
    pub(crate) fn lean(&self, number_text: &str) -> Lean {
        let lower = number_text.to_lowercase();
        let has = |cues: &[String]| cues.iter().any(|c| contains_words(&lower, c));
        if has(&self.below) {
            Lean::Below
        } else if has(&self.above) {
            Lean::Above
        } else {
            Lean::Either
        }
    }

    /// True when a quote's cue flags it as a paraphrase ("the letter says in essence").
    pub(crate) fn is_paraphrase_cue(&self, cue_text: &str) -> bool {
        let lower = cue_text.to_lowercase();
        self.paraphrase_cues
            .iter()
            .any(|c| lower.contains(c.as_str()))
    }

    /// How many people can hold the office with this canonical title at once.
    pub(crate) fn holders(&self, title: &str) -> Holders {
        if self.offices.one_holder_in_story.contains(title) {
            Holders::OneInStory
        } else if self.offices.one_holder_per_named_body.contains(title) {
            Holders::OnePerNamedBody
        } else {
            Holders::Many
        }
    }

    /// True for a top post of a company or organisation ("chief executive", "president").
    pub(crate) fn is_leader_title(&self, title: &str) -> bool {
        self.offices.leader_titles.contains(title)
    }

    /// The head of a document description: "the open letter" → "letter".
    pub(crate) fn document_key(&self, description: &str) -> String {
        description
            .split_whitespace()
            .map(fold_word)
            .filter(|w| !w.is_empty() && !self.document_noise.contains(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// True when `phrase` occurs in `text` as whole words.
fn contains_words(text: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|rest| rest.find(phrase)) {
        let start = from + pos;
        let end = start + phrase.len();
        let before_ok = text
            .get(..start)
            .and_then(|s| s.chars().next_back())
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text
            .get(end..)
            .and_then(|s| s.chars().next())
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_file_parses() {
        let terms = parse(include_str!("../data/terms.toml")).expect("terms.toml parses");
        assert_eq!(
            terms.heads.get("officials").map(String::as_str),
            Some("official")
        );
        assert!(
            !terms.heads.contains_key("officer"),
            "officer must stay apart"
        );
    }

    #[test]
    fn former_retired_and_ex_are_one_modifier() {
        let mut out = Vec::new();
        for m in ["retired", "Ex-Mossad", "former", "ex"] {
            TERMS.modifiers(m, &mut out);
        }
        assert_eq!(out, ["former", "former", "mossad", "former", "former"]);
    }

    #[test]
    fn hedges_lean_the_right_way() {
        assert_eq!(TERMS.lean("nearly two"), Lean::Below);
        assert_eq!(TERMS.lean("just over 600"), Lean::Above);
        assert_eq!(TERMS.lean("about 1,200"), Lean::Either);
        assert_eq!(TERMS.lean("unnearly 5"), Lean::Either);
    }

    #[test]
    fn document_speakers_reduce_to_their_head() {
        assert_eq!(TERMS.document_key("the open letter"), "letter");
        assert_eq!(TERMS.document_key("The letter"), "letter");
    }
}
