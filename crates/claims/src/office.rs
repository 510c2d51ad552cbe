//! Office vocabulary: turns "Minister of Defence" or "Israeli defense minister" into one
//! comparable [`Office`]. Claims and the knowledge base both normalise through here.
//!
//! The vocabulary is a data file (`data/offices.toml`) so that it can be read and extended
//! without touching code.

use corroborate_model::Office;
use once_cell::sync::Lazy;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Vocabulary {
    titles: BTreeMap<String, Vec<String>>,
    orgs: BTreeMap<String, Vec<String>>,
}

/// Surface form → canonical, for titles and for organisations, longest surface forms first.
struct Tables {
    titles: Vec<(String, String)>,
    orgs: Vec<(String, String)>,
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
    Tables {
        titles: flatten(vocabulary.titles),
        orgs: flatten(vocabulary.orgs),
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
fn find<'a>(table: &'a [(String, String)], text: &str) -> Option<(&'a str, &'a str)> {
    table.iter().find_map(|(form, canonical)| {
        let mut from = 0;
        while let Some(pos) = text[from..].find(form.as_str()) {
            let start = from + pos;
            let end = start + form.len();
            let before_ok = text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                return Some((canonical.as_str(), form.as_str()));
            }
            from = end;
        }
        None
    })
}

/// The canonical form of an organisation or country name ("Israeli" → "israel"), if known.
pub fn normalize_org(org: &str) -> Option<String> {
    let folded = fold(org);
    find(&TABLES.orgs, &folded).map(|(canonical, _)| canonical.to_string())
}

/// Normalises an office title as written (possibly with its organisation inside, as in
/// "IDF Chief of Staff" or "Israel's defence minister") plus an optional separate organisation.
/// Returns `None` when the title is not in the vocabulary.
pub fn normalize_office(title: &str, org: Option<&str>) -> Option<Office> {
    let folded = fold(title);
    let (canonical, form) = find(&TABLES.titles, &folded)?;
    let rest = folded.replacen(form, " ", 1);
    let org = org
        .and_then(normalize_org)
        .or_else(|| find(&TABLES.orgs, &rest).map(|(c, _)| c.to_string()));
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
    fn unknown_titles_are_rejected_and_words_are_not_matched_inside_words() {
        assert_eq!(normalize_office("plumber", None), None);
        assert_eq!(normalize_org("Usain"), None);
    }
}
