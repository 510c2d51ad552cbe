//! Word tokens with exact byte offsets, shaped for name recognition.
//!
//! A token is a run of letters and digits. Inner apostrophes stay inside ("Sa’ar", "O'Brien")
//! except a possessive "’s", which is left outside so a mention of "Netanyahu’s" covers only
//! the name. Periods stay inside dotted initialisms ("U.S.", "p.m.") and after known
//! abbreviations and single initials ("Gen.", "J."), so gazetteer entries written with their
//! period line up with token bounds. Hyphens split tokens; the gap says how two neighbours
//! are joined.

use crate::lexicon::LEXICON;

/// One word token: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What separates two neighbouring tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Spaces only, no line break.
    Space,
    /// A single hyphen ("Ben-Gvir", "Hamas-led").
    Hyphen,
    /// Anything else: punctuation, quotes, line breaks, possessives.
    Other,
}

fn is_apostrophe(c: char) -> bool {
    c == '’' || c == '\''
}

/// Splits `text` into word tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut segment_len = 1usize;
        let mut dotted = false;
        let mut possessive_done = false;
        while let Some(&(i, d)) = chars.peek() {
            if d.is_alphanumeric() {
                segment_len += 1;
                end = i + d.len_utf8();
                chars.next();
                continue;
            }
            let after = text.get(i + d.len_utf8()..).and_then(|r| r.chars().next());
            let joins = match (d, after) {
                // An inner apostrophe, but not a possessive "’s" ending the word.
                (a, Some(n)) if is_apostrophe(a) && n.is_alphanumeric() => {
                    let possessive = (n == 's' || n == 'S')
                        && text
                            .get(i + a.len_utf8() + 1..)
                            .and_then(|r| r.chars().next())
                            .is_none_or(|m| !m.is_alphanumeric());
                    if possessive {
                        // The "’s" is no word of its own: skip it.
                        tokens.push(Token { start, end });
                        chars.next();
                        chars.next();
                        possessive_done = true;
                        break;
                    }
                    true
                }
                // A period inside a short dotted segment ("U.S", "p.m", "4.8").
                ('.', Some(n)) if n.is_alphanumeric() && segment_len <= 2 => {
                    dotted = true;
                    true
                }
                ('.', Some(n))
                    if n.is_ascii_digit()
                        && text[start..end].ends_with(|x: char| x.is_ascii_digit()) =>
                {
                    true
                }
                _ => false,
            };
            if !joins {
                break;
            }
            chars.next();
            segment_len = 0;
            if let Some(&(j, n)) = chars.peek() {
                end = j + n.len_utf8();
                segment_len = 1;
                chars.next();
            }
        }
        if possessive_done {
            continue;
        }
        // A final period that belongs to the word.
        if let Some(&(i, '.')) = chars.peek() {
            let word = &text[start..end];
            let mut letters = word.chars();
            let initial =
                matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
            if dotted || initial || LEXICON.abbreviation(word).is_some() {
                end = i + 1;
                chars.next();
            }
        }
        tokens.push(Token { start, end });
    }
    tokens
}

/// How `text[a.end..b.start]` joins two neighbouring tokens.
pub(crate) fn gap(text: &str, a: Token, b: Token) -> Gap {
    let between = text.get(a.end..b.start).unwrap_or("\n");
    if between == "-" || between == "‐" {
        Gap::Hyphen
    } else if !between.is_empty()
        && between
            .chars()
            .all(|c| c.is_whitespace() && c != '\n' && c != '\r')
    {
        Gap::Space
    } else {
        Gap::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn possessives_stay_outside_and_inner_apostrophes_inside() {
        assert_eq!(
            words("Netanyahu’s aide, Gideon Sa’ar and Hamas’ men; Israel's O'Brien"),
            [
                "Netanyahu",
                "aide",
                "Gideon",
                "Sa’ar",
                "and",
                "Hamas",
                "men",
                "Israel",
                "O'Brien"
            ]
        );
    }

    #[test]
    fn periods_of_abbreviations_and_initialisms_belong_to_the_token() {
        assert_eq!(
            words("Lt. Gen. Eyal Zamir of the U.S. at 3 p.m. rose 4.8 percent. Donald J. Trump."),
            [
                "Lt.", "Gen.", "Eyal", "Zamir", "of", "the", "U.S.", "at", "3", "p.m.", "rose",
                "4.8", "percent", "Donald", "J.", "Trump"
            ]
        );
    }

    #[test]
    fn hyphens_split_and_are_reported_as_gaps() {
        let text = "Itamar Ben-Gvir led";
        let tokens = tokenize(text);
        assert_eq!(words(text), ["Itamar", "Ben", "Gvir", "led"]);
        assert_eq!(gap(text, tokens[0], tokens[1]), Gap::Space);
        assert_eq!(gap(text, tokens[1], tokens[2]), Gap::Hyphen);
    }
}
