//! The token layer: the one place that splits an article's text into tokens.
//!
//! [`tokenize`] reads the text once into [`Token`]s with byte offsets and a shape (word,
//! number or punctuation; capitalised). Its boundaries are the ones the claims extractors were
//! written against: apostrophes, hyphens and dots join letters ("Sa’ar", "Ex-Mossad", "U.S",
//! "Netanyahu’s"); commas, dots and hyphens join digits ("1,200", "4.8", "20-30"); every other
//! non-space character is a punctuation token of its own ("." after "U.S", "“", "%").
//!
//! Name recognition wants finer words, so it reads a sub-view of the layer, [`name_words`]:
//! each word or number of the layer is cut where a name cannot continue (hyphens, digit
//! commas, dots between long segments, a possessive "’s", which is left out so a mention of
//! "Netanyahu’s" covers only the name), and a period that belongs to the word (an
//! abbreviation "Gen.", an initial "J.", a dotted initialism "U.S.") is taken in, so
//! gazetteer entries written with their period line up with word bounds. The sub-view is
//! derived from the layer's tokens, never from a second pass over the whole text; [`gap`] says
//! how two neighbouring words are joined.
//!
//! Lemmas are not part of the layer: the few words whose lemma a rule needs (a counted noun, a
//! predicate verb) are lemmatised by claims on demand, which is cheaper than one string per
//! token.

use crate::lexicon::LEXICON;
use corroborate_model::{AnalyzedArticle, Token, TokenKind};
use std::borrow::Cow;

/// Splits `text` into the token layer: words, numbers and punctuation with byte offsets.
/// White space separates tokens and is no token. Never panics on any text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            tokens.push(Token {
                start,
                end: start + c.len_utf8(),
                kind: TokenKind::Punct,
                capitalised: false,
            });
            continue;
        }
        let kind = if c.is_ascii_digit() {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        let mut end = start + c.len_utf8();
        let mut prev_digit = c.is_ascii_digit();
        while let Some(&(i, n)) = it.peek() {
            if n.is_alphanumeric() {
                end = i + n.len_utf8();
                prev_digit = n.is_ascii_digit();
                it.next();
                continue;
            }
            let mut ahead = it.clone();
            ahead.next();
            let next = ahead.peek().map(|&(_, c)| c);
            let joins = match (kind, n, next) {
                (TokenKind::Word, '-' | '\'' | '’' | '.', Some(m)) => m.is_alphanumeric(),
                (TokenKind::Number, ',' | '.' | '-', Some(m)) => prev_digit && m.is_ascii_digit(),
                _ => false,
            };
            if !joins {
                break;
            }
            it.next();
            if let Some((j, m)) = it.next() {
                end = j + m.len_utf8();
                prev_digit = m.is_ascii_digit();
            }
        }
        tokens.push(Token {
            start,
            end,
            kind,
            capitalised: kind == TokenKind::Word && c.is_uppercase(),
        });
    }
    tokens
}

/// The token layer of `article`: the one `nlp` stored, or, for a record that has none (read
/// back from JSON or storage, where the layer is not kept, or past the facade's per-article
/// stages, which drop it), the same layer built now.
pub fn tokens_of(article: &AnalyzedArticle) -> Cow<'_, [Token]> {
    if article.tokens.is_empty() {
        Cow::Owned(tokenize(&article.article.text))
    } else {
        Cow::Borrowed(&article.tokens)
    }
}

/// One word of the name-recognition view: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What separates two neighbouring words.
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

/// The name-recognition view of the token layer `layer` of `text` (see the module docs).
///
/// Only the characters of the layer's words and numbers are read (and the few characters
/// right after one, to see a possessive or a final period); white space and punctuation
/// between them are skipped through the layer.
pub(crate) fn name_words(text: &str, layer: &[Token]) -> Vec<Word> {
    let mut words = Vec::with_capacity(layer.len());
    // Everything before `resume` has been read: a word may run past the end of a layer token
    // ("1990’s" is one number, a punctuation mark and a word in the layer).
    let mut resume = 0;
    for t in layer {
        if t.kind == TokenKind::Punct {
            continue;
        }
        let from = t.start.max(resume);
        if from < t.end {
            resume = split_words(text, from, t.end, &mut words);
        }
    }
    words
}

/// Cuts `text[from..limit]` (a layer word or number, or what is left of one) into words,
/// appending them to `words`; returns the byte after the last character read.
fn split_words(text: &str, from: usize, limit: usize, words: &mut Vec<Word>) -> usize {
    let mut chars = text[from..]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .peekable();
    loop {
        let Some(&(start, c)) = chars.peek() else {
            return text.len();
        };
        if start >= limit {
            return start;
        }
        chars.next();
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
                        words.push(Word { start, end });
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
        words.push(Word { start, end });
    }
}

/// How `text[a.end..b.start]` joins two neighbouring words.
pub(crate) fn gap(text: &str, a: Word, b: Word) -> Gap {
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

    fn tokens(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        name_words(text, &tokenize(text))
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn tokens_keep_figures_names_and_curly_marks_whole() {
        assert_eq!(
            tokens("“About 1,200 Ex-Mossad chiefs,” Sa’ar said: 4.8% of $1.2bn in 20-30 days."),
            vec![
                "“",
                "About",
                "1,200",
                "Ex-Mossad",
                "chiefs",
                ",",
                "”",
                "Sa’ar",
                "said",
                ":",
                "4.8",
                "%",
                "of",
                "$",
                "1.2bn",
                "in",
                "20-30",
                "days",
                "."
            ]
        );
        assert_eq!(
            tokens("U.S. F-35 18-year-old"),
            vec!["U.S", ".", "F-35", "18", "-", "year-old"]
        );
    }

    #[test]
    fn tokens_carry_their_shape() {
        let text = "Gaza, 12 men said.";
        let shapes: Vec<_> = tokenize(text)
            .iter()
            .map(|t| (t.kind, t.capitalised))
            .collect();
        use TokenKind::*;
        assert_eq!(
            shapes,
            [
                (Word, true),
                (Punct, false),
                (Number, false),
                (Word, false),
                (Word, false),
                (Punct, false)
            ]
        );
    }

    #[test]
    fn a_record_without_a_layer_gets_the_same_one_rebuilt() {
        use corroborate_model::{Article, SourceRef};
        let text = "Lt. Gen. Eyal Zamir said 1,200 left.";
        let mut analysed = AnalyzedArticle::new(Article::from_text(0, SourceRef::file("-"), text));
        assert!(matches!(tokens_of(&analysed), Cow::Owned(_)));
        analysed.tokens = tokenize(text);
        assert!(matches!(tokens_of(&analysed), Cow::Borrowed(_)));
        assert_eq!(tokens_of(&analysed).as_ref(), tokenize(text).as_slice());
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
        // A word that runs past its layer token, and one that stops inside the next.
        assert_eq!(
            words("the 1990's and 1990'ers, 5.ab-cd"),
            ["the", "1990", "and", "1990'ers", "5.ab", "cd"]
        );
    }

    #[test]
    fn periods_of_abbreviations_and_initialisms_belong_to_the_word() {
        assert_eq!(
            words("Lt. Gen. Eyal Zamir of the U.S. at 3 p.m. rose 4.8 percent. Donald J. Trump."),
            [
                "Lt.", "Gen.", "Eyal", "Zamir", "of", "the", "U.S.", "at", "3", "p.m.", "rose",
                "4.8", "percent", "Donald", "J.", "Trump"
            ]
        );
    }

    #[test]
    fn hyphens_digit_commas_and_long_dotted_segments_split_layer_tokens() {
        let text = "Itamar Ben-Gvir led 1,200 in 20-30 at example.com";
        let words_ = name_words(text, &tokenize(text));
        assert_eq!(
            words(text),
            [
                "Itamar", "Ben", "Gvir", "led", "1", "200", "in", "20", "30", "at", "example",
                "com"
            ]
        );
        assert_eq!(gap(text, words_[0], words_[1]), Gap::Space);
        assert_eq!(gap(text, words_[1], words_[2]), Gap::Hyphen);
    }
}
