//! Office vocabulary: turns "Minister of Defence" or "Israeli defense minister" into one
//! comparable [`Office`]. Claims and the knowledge base both normalise through here.
//!
//! The vocabulary is a data file (`data/offices.toml`) so that it can be read and extended
//! without touching code.

use aho_corasick::AhoCorasick;
use corroborate_model::Office;
use once_cell::sync::Lazy;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

#[derive(Deserialize)]
struct Vocabulary {
    titles: BTreeMap<String, Vec<String>>,
    orgs: BTreeMap<String, Vec<String>>,
}

/// Surface form → canonical, for titles and for organisations, longest surface forms first.
struct Tables {
    titles: Table,
    orgs: Table,
    title_words: HashSet<String>,
}

/// Surface form → canonical pairs with an automaton over the forms (pattern i = pair i).
struct Table {
    pairs: Vec<(String, String)>,
    automaton: AhoCorasick,
}

impl Table {
    fn new(pairs: Vec<(String, String)>) -> Self {
        let automaton = AhoCorasick::new(pairs.iter().map(|(form, _)| form.as_str()))
            .expect("office vocabulary forms build an automaton");
        Table { pairs, automaton }
    }
}

static TABLES: Lazy<Tables> = Lazy::new(|| {
    let vocabulary: Vocabulary = toml::from_str(include_str!("../data/offices.toml"))
        .expect("data/offices.toml is valid (checked by a unit test)");
    let flatten = |map: BTreeMap<String, Vec<String>>| {
        let mut pairs: Vec<(String, String)> = map
            .into_iter()
            .flat_map(|(canonical, forms)| forms.into_iter().map(move |f| (f, canonical.clone())))
            .collect();
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        pairs
    };
    let titles = flatten(vocabulary.titles);
    let title_words = titles
        .iter()
        .flat_map(|(form, _)| form.split([' ', '-']).map(str::to_string))
        .collect();
    Tables {
        titles: Table::new(titles),
        orgs: Table::new(flatten(vocabulary.orgs)),
        title_words,
    }
});

/// Lower-cases, folds curly apostrophes and collapses whitespace.
fn fold(s: &str) -> String {
    s.replace(['’', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Finds the longest table entry occurring in `text` as whole words; returns (canonical, form).
fn find<'a>(table: &'a Table, text: &str) -> Option<(&'a str, &'a str)> {
    locate(table, text).map(|(canonical, form, _)| (canonical, form))
}

/// Like [`find`], also returning the byte offset of the form in `text`. One overlapping
/// Aho-Corasick pass finds every form; the longest whole-word match wins, then the first.
fn locate<'a>(table: &'a Table, text: &str) -> Option<(&'a str, &'a str, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for m in table.automaton.find_overlapping_iter(text) {
        let (start, end) = (m.start(), m.end());
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        let longer = best.is_none_or(|(s, e, _)| end - start > e - s);
        if before_ok && after_ok && longer {
            best = Some((start, end, m.pattern().as_usize()));
        }
    }
    let (start, _, pattern) = best?;
    let (form, canonical) = table.pairs.get(pattern)?;
    Some((canonical.as_str(), form.as_str(), start))
}

/// Where an office title is written inside a phrase: the canonical title, the surface form
/// matched, and the folded (lower-cased, apostrophe-folded) text before and after it, so a
/// caller can read the organisation from either side ("chief *of Israel's Mossad*").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleMatch {
    /// Canonical title ("intelligence chief").
    pub canonical: &'static str,
    /// The surface form that matched ("chief").
    pub form: &'static str,
    /// Folded text before the form.
    pub before: String,
    /// Folded text after the form.
    pub after: String,
}

/// Finds the longest known office title inside `phrase`.
pub fn locate_title(phrase: &str) -> Option<TitleMatch> {
    let folded = fold(phrase);
    let tables: &'static Tables = &TABLES;
    let (canonical, form, at) = locate(&tables.titles, &folded)?;
    Some(TitleMatch {
        canonical,
        form,
        before: folded[..at].trim().to_string(),
        after: folded[at + form.len()..].trim().to_string(),
    })
}

/// The canonical form of an organisation or country name ("Israeli" → "israel"), if known.
pub fn normalize_org(org: &str) -> Option<String> {
    let folded = fold(org);
    find(&TABLES.orgs, &folded).map(|(canonical, _)| canonical.to_string())
}

/// The canonical organisation when the whole phrase is one of its surface forms
/// ("Shin Bet" → "shin bet", but "Israel Democracy Institute" → `None`), so that a named
/// institution containing a country's name is not mistaken for the country.
pub fn normalize_org_exact(org: &str) -> Option<String> {
    let folded = fold(org);
    TABLES
        .orgs
        .pairs
        .iter()
        .find(|(form, _)| *form == folded)
        .map(|(_, canonical)| canonical.clone())
}

/// True when `word` (lower-case) occurs in some surface form of an office title, so a
/// caller scanning text can tell where a written title may begin or end.
pub fn is_title_word(word: &str) -> bool {
    TABLES.title_words.contains(word)
}

/// Normalises an office title as written (possibly with its organisation inside, as in
/// "IDF Chief of Staff" or "Israel's defence minister") plus an optional separate organisation.
/// Returns `None` when the title is not in the vocabulary.
pub fn normalize_office(title: &str, org: Option<&str>) -> Option<Office> {
    let folded = fold(title);
    let (canonical, form) = find(&TABLES.titles, &folded)?;
    let rest = folded.replacen(form, " ", 1);
    // An organisation may sit inside the surface form itself ("idf chief").
    let org = org
        .and_then(normalize_org)
        .or_else(|| find(&TABLES.orgs, &rest).map(|(c, _)| c.to_string()))
        .or_else(|| find(&TABLES.orgs, form).map(|(c, _)| c.to_string()));
    Some(Office {
        title: canonical.to_string(),
        org,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(title: &str, org: Option<&str>) -> Office {
        Office {
            title: title.into(),
            org: org.map(Into::into),
        }
    }

    #[test]
    fn spellings_and_word_orders_of_one_office_are_equal() {
        let expected = office("defense minister", Some("israel"));
        assert_eq!(
            normalize_office("Israel’s Minister of Defence", None),
            Some(expected.clone())
        );
        assert_eq!(
            normalize_office("defense minister", Some("Israeli")),
            Some(expected)
        );
    }

    #[test]
    fn organisation_inside_the_title_is_found() {
        assert_eq!(
            normalize_office("IDF Chief of Staff", None),
            Some(office("chief of staff", Some("israel")))
        );
        assert_eq!(
            normalize_office("U.S. Secretary of State", None),
            Some(office("secretary of state", Some("united states")))
        );
    }

    #[test]
    fn exact_org_lookup_rejects_institutions_named_after_countries() {
        assert_eq!(normalize_org_exact("Shin Bet"), Some("shin bet".into()));
        assert_eq!(normalize_org_exact("Israel Democracy Institute"), None);
        assert!(is_title_word("minister") && is_title_word("staff"));
        assert!(!is_title_word("plumber"));
    }

    #[test]
    fn extended_titles_and_countries() {
        assert_eq!(
            normalize_office("Japanese Chief Executive Officer", None),
            Some(office("chief executive", Some("japan")))
        );
        assert_eq!(
            normalize_office("spokeswoman", Some("North Korean")),
            Some(office("spokesperson", Some("north korea")))
        );
    }

    #[test]
    fn unknown_titles_are_rejected_and_words_are_not_matched_inside_words() {
        assert_eq!(normalize_office("plumber", None), None);
        assert_eq!(normalize_org("Usain"), None);
    }
}
