//! Name keys: the comparison form of a name, shared by in-article and cross-article resolution.

/// The comparison key of a name: lower-case, hyphens as spaces, curly apostrophes straight,
/// single spaces ("Itamar Ben-Gvir" and "Itamar Ben Gvir" share a key).
pub(crate) fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split(|c: char| c.is_whitespace() || c == '-' || c == '‐') {
        if word.is_empty() {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            match c {
                '’' | '‘' => key.push('\''),
                c => key.extend(c.to_lowercase()),
            }
        }
    }
    key
}

/// The proper word suffixes of a key, longest first ("ben gvir", "gvir" for "itamar ben gvir").
pub(crate) fn proper_suffixes(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices(' ').map(move |(i, _)| &key[i + 1..])
}

/// Number of words in a key.
pub(crate) fn word_count(key: &str) -> usize {
    key.split(' ').filter(|w| !w.is_empty()).count()
}

/// True for an all-capitals abbreviation of two letters or more ("IDF", "U.N.", "CIS").
pub(crate) fn is_acronym(word: &str) -> bool {
    word.chars()
        .all(|c| c.is_uppercase() || c == '.' || c == '&')
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_hyphens_and_apostrophe_style() {
        assert_eq!(name_key("Itamar Ben-Gvir"), name_key("Itamar  Ben Gvir"));
        assert_eq!(name_key("Gideon Sa’ar"), "gideon sa'ar");
    }

    #[test]
    fn suffixes_are_proper_and_longest_first() {
        let suffixes: Vec<_> = proper_suffixes("itamar ben gvir").collect();
        assert_eq!(suffixes, ["ben gvir", "gvir"]);
        assert_eq!(proper_suffixes("hamas").count(), 0);
        assert_eq!(word_count("itamar ben gvir"), 3);
        assert!(is_acronym("IDF") && is_acronym("U.N.") && !is_acronym("I.") && !is_acronym("Idf"));
    }
}
