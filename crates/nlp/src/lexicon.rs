//! The word lists behind sentence splitting and entity recognition, loaded once from `data/`.
//!
//! Multi-word entries (places, organisations, titles, demonyms) are compiled into one
//! leftmost-longest Aho-Corasick automaton, so a single pass over an article finds every
//! gazetteer hit and the longest entry wins ("Gaza City" over "Gaza", "Israel Defense Forces"
//! over "Israel"). Single-word lists (given names, stop words, organisation head words) are
//! hash sets consulted only for capitalised tokens.

use crate::names::name_key;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet};

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexKind {
    /// A country, city or region.
    Place,
    /// An organisation or agency.
    Organization,
    /// A title, rank or honorific that precedes a person's name.
    Title,
    /// A demonym adjective ("Israeli"): never an entity by itself.
    DemonymAdjective,
    /// A plural demonym ("Israelis"): a group of people.
    DemonymPlural,
}

/// One gazetteer entry: the canonical name and what it names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LexEntry {
    /// The canonical name every surface form of the entry maps to.
    pub canonical: &'static str,
    /// What it names.
    pub kind: LexKind,
}

/// How an abbreviation's final period behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbreviationClass {
    /// Honorifics and ranks: never end a sentence.
    Title,
    /// Month abbreviations: never end a sentence before a number.
    Month,
    /// Others: end a sentence only before a capitalised function word.
    Other,
}

/// All word lists, compiled.
pub(crate) struct Lexicon {
    automaton: AhoCorasick,
    /// Entry index for each automaton pattern.
    pattern_entry: Vec<u32>,
    entries: Vec<LexEntry>,
    given_names: FxHashSet<&'static str>,
    /// Given names that are almost always one gender's ("Robert", "Ayelet").
    given_name_genders: FxHashMap<&'static str, Gender>,
    stopwords: FxHashSet<&'static str>,
    org_keywords: FxHashSet<&'static str>,
    place_keywords: FxHashSet<&'static str>,
    governing_bodies: FxHashSet<&'static str>,
    cue_verbs: FxHashSet<&'static str>,
    /// Name keys of notable people and of their surnames.
    notable: FxHashSet<String>,
    cue_skips: FxHashSet<&'static str>,
    pronouns: FxHashMap<&'static str, Gender>,
    honorifics: FxHashMap<&'static str, Gender>,
    roles: FxHashMap<&'static str, Vec<&'static str>>,
    abbreviations: FxHashMap<&'static str, AbbreviationClass>,
}

/// The compiled lexicon, built on first use.
pub(crate) static LEXICON: Lazy<Lexicon> = Lazy::new(Lexicon::load);

/// Lower-case English function words ("about", "which", "very"), kept apart from the
/// lexicon so that a stage which only needs them does not build the name automaton.
pub(crate) static FUNCTION_WORDS: Lazy<FxHashSet<&'static str>> =
    Lazy::new(|| data_lines(include_str!("../data/function_words.txt")).collect());

/// A person's gender as pronouns and honorifics show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gender {
    Male,
    Female,
}

/// `(first word, rest)` of the `class` lines of `data/coreference.txt`.
fn coreference_lines(class: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data_lines(include_str!("../data/coreference.txt"))
        .filter_map(move |line| line.strip_prefix(class)?.strip_prefix(' '))
        .filter_map(|rest| rest.trim().split_once(' '))
}

/// The `class` lines of `data/coreference.txt` as word → gender.
fn genders(class: &'static str) -> FxHashMap<&'static str, Gender> {
    coreference_lines(class)
        .filter_map(|(word, gender)| match gender.trim() {
            "male" => Some((word, Gender::Male)),
            "female" => Some((word, Gender::Female)),
            _ => None,
        })
        .collect()
}

/// Non-comment, non-blank lines of a data file.
/// `data/given_names.txt`: each name with its gender where the list gives one.
fn given_names() -> impl Iterator<Item = (&'static str, Option<Gender>)> {
    data_lines(include_str!("../data/given_names.txt")).map(|line| {
        let (name, gender) = line.split_once(' ').unwrap_or((line, ""));
        let gender = match gender.trim() {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        };
        (name, gender)
    })
}

fn data_lines(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    fn load() -> Self {
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut pattern_entry = Vec::new();
        let mut entries = Vec::new();
        let mut add = |canonical: &'static str, kind: LexKind, surfaces: &[&'static str]| {
            let id = entries.len() as u32;
            entries.push(LexEntry { canonical, kind });
            for surface in surfaces {
                patterns.push(surface);
                pattern_entry.push(id);
            }
        };
        for (file, kind) in [
            (include_str!("../data/places.txt"), LexKind::Place),
            (
                include_str!("../data/organizations.txt"),
                LexKind::Organization,
            ),
        ] {
            for line in data_lines(file) {
                let surfaces: Vec<&'static str> = line.split('|').map(str::trim).collect();
                add(surfaces[0], kind, &surfaces);
            }
        }
        for line in data_lines(include_str!("../data/titles.txt")) {
            add(line, LexKind::Title, &[line]);
        }
        for line in data_lines(include_str!("../data/demonyms.txt")) {
            let mut forms = line.split('|').map(str::trim);
            if let Some(adjective) = forms.next() {
                add(adjective, LexKind::DemonymAdjective, &[adjective]);
            }
            if let Some(plural) = forms.next().filter(|p| !p.is_empty()) {
                add(plural, LexKind::DemonymPlural, &[plural]);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .unwrap_or_else(|e| panic!("gazetteer automaton failed to build: {e}"));
        let abbreviations = data_lines(include_str!("../data/abbreviations.txt"))
            .filter_map(|line| {
                let (word, class) = line.split_once(' ')?;
                let class = match class.trim() {
                    "title" => AbbreviationClass::Title,
                    "month" => AbbreviationClass::Month,
                    _ => AbbreviationClass::Other,
                };
                Some((word, class))
            })
            .collect();
        let cues = |class: &'static str| {
            data_lines(include_str!("../data/person_cues.txt"))
                .filter_map(move |line| line.strip_prefix(class)?.strip_prefix(' '))
                .map(str::trim)
                .collect()
        };
        Self {
            automaton,
            pattern_entry,
            entries,
            given_names: given_names().map(|(name, _)| name).collect(),
            given_name_genders: given_names()
                .filter_map(|(name, gender)| Some((name, gender?)))
                .collect(),
            stopwords: data_lines(include_str!("../data/stopwords.txt")).collect(),
            org_keywords: data_lines(include_str!("../data/org_keywords.txt")).collect(),
            place_keywords: data_lines(include_str!("../data/place_keywords.txt")).collect(),
            governing_bodies: data_lines(include_str!("../data/governing_bodies.txt")).collect(),
            cue_verbs: cues("verb"),
            notable: data_lines(include_str!("../data/notable_people.txt"))
                .flat_map(|name| {
                    let key = name_key(name);
                    let surname = key.rsplit(' ').next().unwrap_or_default().to_string();
                    [key, surname]
                })
                .collect(),
            cue_skips: cues("skip"),
            pronouns: genders("pronoun"),
            honorifics: genders("honorific"),
            roles: coreference_lines("role")
                .map(|(role, titles)| (role, titles.split_whitespace().collect()))
                .collect(),
            abbreviations,
        }
    }

    /// Every gazetteer hit in `text` as (start, end, entry), leftmost-longest, in order.
    pub fn find_all<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, u32)> + 'a {
        self.automaton.find_iter(text).filter_map(|m| {
            let entry = *self.pattern_entry.get(m.pattern().as_usize())?;
            Some((m.start(), m.end(), entry))
        })
    }

    /// The entry with index `id`.
    pub fn entry(&self, id: u32) -> Option<LexEntry> {
        self.entries.get(id as usize).copied()
    }

    /// The gender of a lower-case pronoun that is resolved to a person ("she").
    pub fn pronoun_gender(&self, word: &str) -> Option<Gender> {
        self.pronouns.get(word).copied()
    }

    /// The gender a lower-case honorific without its dot implies ("mrs").
    pub fn honorific_gender(&self, word: &str) -> Option<Gender> {
        self.honorifics.get(word).copied()
    }

    /// The title words of a lower-case role noun ("senator" → "sen", "senator").
    pub fn role_titles(&self, word: &str) -> Option<&[&'static str]> {
        self.roles.get(word).map(Vec::as_slice)
    }

    /// The gender a capitalised given name almost always has ("Robert"); `None` for names
    /// given to both ("Jordan") or not listed.
    pub fn given_name_gender(&self, word: &str) -> Option<Gender> {
        self.given_name_genders.get(word).copied()
    }

    /// True for a common given name ("Benjamin", "Israel").
    pub fn is_given_name(&self, word: &str) -> bool {
        self.given_names.contains(word)
    }

    /// True for a capitalised function or calendar word ("The", "However", "Monday").
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// True for an organisation head word ("Institute", "Forces").
    pub fn is_org_keyword(&self, word: &str) -> bool {
        self.org_keywords.contains(word)
    }

    /// True for a place head word ("Bridge", "Island").
    pub fn is_place_keyword(&self, word: &str) -> bool {
        self.place_keywords.contains(word)
    }

    /// True for a body named after its leader ("administration" in "Trump administration").
    pub fn is_governing_body(&self, word: &str) -> bool {
        self.governing_bodies.contains(word)
    }

    /// True for a speech or thought verb that shows its subject is a person ("said").
    pub fn is_cue_verb(&self, word: &str) -> bool {
        self.cue_verbs.contains(word)
    }

    /// True when `key` (a [`name_key`]) is a notable person's name or surname.
    pub fn is_notable_person(&self, key: &str) -> bool {
        self.notable.contains(key)
    }

    /// True for a word allowed between a name and its cue verb ("has", "publicly").
    pub fn is_cue_skip(&self, word: &str) -> bool {
        self.cue_skips.contains(word)
    }

    /// The class of `word` (without its final period) if it is a known abbreviation.
    pub fn abbreviation(&self, word: &str) -> Option<AbbreviationClass> {
        self.abbreviations.get(word).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_gazetteer_entry_wins() {
        let text = "in Gaza City and the Israel Defense Forces";
        let hits: Vec<_> = LEXICON
            .find_all(text)
            .filter_map(|(s, e, id)| Some((&text[s..e], LEXICON.entry(id)?.canonical)))
            .collect();
        assert_eq!(
            hits,
            vec![
                ("Gaza City", "Gaza City"),
                ("Israel Defense Forces", "Israel Defense Forces")
            ]
        );
    }

    #[test]
    fn word_lists_load() {
        assert!(LEXICON.is_given_name("Israel"));
        assert!(LEXICON.is_stopword("However"));
        assert!(LEXICON.is_org_keyword("Institute"));
        assert!(LEXICON.is_cue_verb("said") && LEXICON.is_cue_skip("publicly"));
        assert!(
            LEXICON.is_notable_person("netanyahu") && LEXICON.is_notable_person("gideon sa'ar")
        );
        assert_eq!(LEXICON.abbreviation("Gen"), Some(AbbreviationClass::Title));
        assert_eq!(LEXICON.abbreviation("U.S"), Some(AbbreviationClass::Other));
        assert_eq!(LEXICON.pronoun_gender("she"), Some(Gender::Female));
        assert_eq!(LEXICON.honorific_gender("mr"), Some(Gender::Male));
        assert_eq!(LEXICON.pronoun_gender("mr"), None);
        assert_eq!(
            LEXICON.role_titles("senator"),
            Some(&["sen", "senator"][..])
        );
    }
}
