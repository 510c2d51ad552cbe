//! Name keys: the comparison form of a name, the one folding every stage uses (nlp's
//! in-article and cross-article resolution, the knowledge base's holder index, alignment's
//! person keys).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The comparison key of a name: lower-case, hyphens as spaces, full stops dropped, curly
/// apostrophes straight, accents folded out, single spaces ("Itamar Ben-Gvir" and "Itamar
/// Ben Gvir" share a key, as do "Charles Q. Brown Jr." and "charles q brown jr", "Calderón"
/// and "Calderon").
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    push_name_key(&mut key, name);
    key
}

/// Appends the key of `name` to `key`, after a space when `key` is not empty; keys built word
/// by word this way equal the key of the words joined.
pub fn push_name_key(key: &mut String, name: &str) {
    for word in name.split(|c: char| c.is_whitespace() || c == '-' || c == '‐') {
        let before = key.len();
        if !key.is_empty() {
            key.push(' ');
        }
        let letters = key.len();
        for c in word.chars() {
            match c {
                '.' => {}
                '’' | '‘' => key.push('\''),
                c if c.is_ascii() => key.push(c.to_ascii_lowercase()),
                c => {
                    for lower in c.to_lowercase() {
                        decompose_canonical(lower, |d| {
                            if !is_combining_mark(d) {
                                key.push(d);
                            }
                        });
                    }
                }
            }
        }
        if key.len() == letters {
            key.truncate(before);
        }
    }
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
        assert_eq!(name_key("Charles Q. Brown Jr."), "charles q brown jr");
        assert_eq!(name_key("Felipe Calderón"), "felipe calderon");
        assert_eq!(name_key(" - . "), "");
        let mut built = name_key("Joseph R.");
        push_name_key(&mut built, "Biden-Smith");
        assert_eq!(built, name_key("Joseph R. Biden-Smith"));
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
