//! The vocabularies the extractors read, loaded once from `data/*.toml` and `data/framing.tsv`.
//!
//! Keeping words out of code lets a reader audit and extend them; a unit test parses every
//! file so a malformed edit fails the build's tests rather than a run.

use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;

/// A word before a figure that turns it into an interval ("more than", "about").
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Modifier {
    pub phrase: String,
    pub precision: String,
    pub low: f64,
    pub high: f64,
    #[serde(default)]
    pub range: bool,
}

/// A magnitude word without a figure ("hundreds").
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Vague {
    pub phrase: String,
    pub low: f64,
    pub high: f64,
}

#[derive(Deserialize)]
pub(crate) struct Numbers {
    pub percent_words: Vec<String>,
    pub counted_stops: HashSet<String>,
    pub ellipsis_words: Vec<String>,
    pub predicate_skips: HashSet<String>,
    pub predicate_adjectives: HashSet<String>,
    pub predicate_verbs: HashSet<String>,
    pub level_verbs_with_to: HashSet<String>,
    pub level_verbs_direct: HashSet<String>,
    pub measure_units: HashSet<String>,
    pub duration_approach_verbs: HashSet<String>,
    pub elapsed_links: HashSet<String>,
    pub ordinals: HashMap<String, f64>,
    pub units: HashMap<String, f64>,
    pub tens: HashMap<String, f64>,
    pub scales: HashMap<String, f64>,
    pub suffix_scales: HashMap<String, f64>,
    pub modifiers: Vec<Modifier>,
    pub vague: Vec<Vague>,
    pub currency_symbols: HashMap<String, String>,
    pub currency_words: HashMap<String, String>,
    pub durations: HashMap<String, f64>,
    pub months: HashMap<String, u32>,
    pub weekdays: HashMap<String, u8>,
}

#[derive(Deserialize)]
pub(crate) struct Lemmas {
    pub not_plural: HashSet<String>,
    pub plurals: HashMap<String, String>,
    pub verbs: HashMap<String, String>,
}

#[derive(Deserialize)]
pub(crate) struct OfficeCues {
    pub intelligence_orgs: HashSet<String>,
    pub military_words: Vec<String>,
    pub generic_titles: HashSet<String>,
    pub org_suffixes: Vec<String>,
}

/// Title vocabulary of `implied`, read next to names the knowledge base knows.
#[derive(Deserialize)]
pub(crate) struct ImpliedCues {
    pub title_words: HashSet<String>,
    pub title_heads: HashSet<String>,
    pub ranks: HashSet<String>,
}

/// One sourcing phrase and its kind ("anonymous" or "hedged").
#[derive(Deserialize)]
pub(crate) struct SourcingPhrase {
    pub phrase: String,
    pub kind: String,
}

#[derive(Deserialize)]
pub(crate) struct Cues {
    pub speech_verbs: HashSet<String>,
    pub telling_verbs: HashSet<String>,
    pub participles: HashSet<String>,
    pub subordinators: HashSet<String>,
    pub paraphrase_markers: Vec<String>,
    pub document_nouns: HashSet<String>,
    pub source_nouns: HashSet<String>,
    pub role_nouns: HashSet<String>,
    pub pronouns: HashSet<String>,
    pub ranks: HashSet<String>,
    pub former_markers: HashSet<String>,
    pub current_markers: HashSet<String>,
    pub office_qualifiers: HashSet<String>,
    pub predecessor_words: HashSet<String>,
    pub event_nouns: HashSet<String>,
    pub duration_links: HashSet<String>,
    pub office_verbs: HashMap<String, String>,
    pub office_verbs_past: HashMap<String, bool>,
    pub office: OfficeCues,
    pub implied: ImpliedCues,
    pub sourcing: Vec<SourcingPhrase>,
}

/// One framing lexicon entry.
pub(crate) struct FramingTerm {
    pub term: String,
    pub category: String,
}

pub(crate) static NUMBERS: Lazy<Numbers> = Lazy::new(|| {
    toml::from_str(include_str!("../data/numbers.toml"))
        .expect("data/numbers.toml is valid (checked by a unit test)")
});

pub(crate) static LEMMAS: Lazy<Lemmas> = Lazy::new(|| {
    toml::from_str(include_str!("../data/lemmas.toml"))
        .expect("data/lemmas.toml is valid (checked by a unit test)")
});

pub(crate) static CUES: Lazy<Cues> = Lazy::new(|| {
    toml::from_str(include_str!("../data/cues.toml"))
        .expect("data/cues.toml is valid (checked by a unit test)")
});

pub(crate) static FRAMING: Lazy<Vec<FramingTerm>> = Lazy::new(|| {
    include_str!("../data/framing.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (term, category) = l.split_once('\t')?;
            Some(FramingTerm {
                term: term.trim().to_lowercase(),
                category: category.trim().to_string(),
            })
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses_and_is_not_empty() {
        assert!(NUMBERS.modifiers.iter().any(|m| m.phrase == "more than"));
        assert!(NUMBERS.vague.iter().any(|v| v.phrase == "hundreds"));
        assert_eq!(
            LEMMAS.plurals.get("people").map(String::as_str),
            Some("people")
        );
        assert!(CUES.speech_verbs.contains("said"));
        assert!(CUES.sourcing.iter().any(|s| s.kind == "anonymous"));
        assert!(
            CUES.sourcing
                .iter()
                .all(|s| s.kind == "anonymous" || s.kind == "hedged")
        );
        assert!(
            NUMBERS
                .modifiers
                .iter()
                .all(|m| m.precision == "bound" || m.precision == "approximate" || m.range)
        );
    }

    #[test]
    fn framing_lexicon_is_large_and_well_formed() {
        assert!(FRAMING.len() >= 150, "{} entries", FRAMING.len());
        let known = [
            "legal-charge",
            "atrocity",
            "intensifier",
            "delegitimising",
            "alarm",
            "emotive",
            "euphemism",
        ];
        for t in FRAMING.iter() {
            assert!(known.contains(&t.category.as_str()), "{}", t.category);
            assert_eq!(t.term, t.term.trim());
        }
    }
}
