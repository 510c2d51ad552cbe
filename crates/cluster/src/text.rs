//! Tokens and sentences for clustering: lower-cased, lightly stemmed content words hashed to
//! `u32` term ids, so that a million articles fit in memory without a vocabulary table.
//!
//! This is the one tokeniser left outside `nlp`'s token layer, on purpose:
//! - clustering also runs on raw text without `nlp` ([`crate::ArticleText`] with no sentences,
//!   as in the crate example and the crawl-scale examples), where no layer exists and building
//!   one would cost a pass and an allocation per token for nothing else;
//! - it lower-cases, stems and hashes in the same pass, with no token list in between, which
//!   is most of the clustering cost on a million articles;
//! - its words are not the layer's: hyphens and apostrophes split or vanish ("ex mossad",
//!   "obrien"), and each character of a script written without spaces is a word. Reading the
//!   layer would change every MinHash signature and so which articles cluster.

use corroborate_nlp::is_function_word;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// One content word of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Hash of the stemmed, lower-cased word.
    pub term: u32,
    /// Written with a capital letter away from the start of a sentence (a name-like word).
    pub capitalized: bool,
    /// Contains a digit.
    pub numeric: bool,
}

/// A 32-bit hash of a term string (FxHash, finalised so low bits are well mixed).
pub(crate) fn hash_term(s: &str) -> u32 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    let x = mix64(h.finish());
    (x ^ (x >> 32)) as u32
}

/// SplitMix64 finaliser: turns a weak hash into one whose bits are all usable.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Scripts written without spaces between words: each character counts as a word.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x0E00..=0x0E7F)
}

/// Light English suffix stripping (plurals, -ing, -ed, possessives).
///
/// Written by hand rather than with Snowball: it runs on every word of a million-article crawl,
/// and merging "officials"/"official" or "killed"/"kill" is all story clustering needs.
fn stem(word: &str) -> &str {
    let w = word.strip_suffix("'s").unwrap_or(word);
    let n = w.len();
    if n <= 3 || !w.is_ascii() {
        return w;
    }
    if let Some(s) = w.strip_suffix("ies").filter(|_| n > 4) {
        return s;
    }
    if let Some(s) = w.strip_suffix("ing").filter(|_| n > 5) {
        return s;
    }
    if let Some(s) = w
        .strip_suffix("ed")
        .filter(|_| n > 4 && !w.ends_with("eed"))
    {
        return s;
    }
    let sibilant =
        |s: &str| s.ends_with("ss") || s.ends_with("sh") || s.ends_with("ch") || s.ends_with('x');
    if let Some(s) = w.strip_suffix("es").filter(|s| n > 4 && sibilant(s)) {
        return s;
    }
    if let Some(s) = w
        .strip_suffix('s')
        .filter(|s| !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i'))
    {
        return s;
    }
    w
}

/// Appends the lower case of `c` (a fast path for ASCII, the common case).
fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

/// Calls `emit` for every content word of `text` (stop words and one-letter words dropped).
///
/// `sentence_start` says whether the first word opens a sentence (its capital is not a name).
pub(crate) fn for_each_token(text: &str, mut emit: impl FnMut(Token)) {
    let mut buf = String::with_capacity(32);
    let mut at_sentence_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if is_unspaced_script(c) {
            buf.clear();
            buf.push(c);
            emit(Token {
                term: hash_term(&buf),
                capitalized: false,
                numeric: false,
            });
            at_sentence_start = false;
            continue;
        }
        if !c.is_alphanumeric() {
            if matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '“' | '”') {
                at_sentence_start = true;
            }
            continue;
        }
        buf.clear();
        let capitalized = c.is_uppercase();
        let mut numeric = c.is_ascii_digit();
        push_lower(&mut buf, c);
        while let Some(&(_, d)) = chars.peek() {
            if d.is_alphanumeric() && !is_unspaced_script(d) {
                numeric |= d.is_ascii_digit();
                push_lower(&mut buf, d);
                chars.next();
            } else if matches!(d, '\'' | '’' | ',' | '.') {
                // Keep "1,200", "4.8" and "o'brien" whole; stop at ", " and ". ".
                let mut ahead = chars.clone();
                ahead.next();
                match ahead.peek() {
                    Some(&(_, e))
                        if e.is_alphanumeric() && (numeric || matches!(d, '\'' | '’')) =>
                    {
                        if d != '\'' && d != '’' && d != ',' {
                            buf.push(d);
                        }
                        chars.next();
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        let word = stem(&buf);
        let keep = (word.chars().count() > 1 || numeric) && !is_function_word(word);
        if keep {
            emit(Token {
                term: hash_term(word),
                capitalized: capitalized && !at_sentence_start,
                numeric,
            });
        }
        at_sentence_start = false;
    }
}

/// The words (stemmed, lower-cased) of `text`, for labels and tests.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        } else if !buf.is_empty() {
            let w = stem(&buf);
            if w.chars().count() > 2
                && !is_function_word(w)
                && !w.chars().any(|c| c.is_ascii_digit())
            {
                out.push(w.to_string());
            }
            buf.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<Token> {
        let mut v = Vec::new();
        for_each_token(text, |t| v.push(t));
        v
    }

    #[test]
    fn plurals_and_tenses_share_a_term() {
        assert_eq!(terms("officials")[0].term, terms("official")[0].term);
        assert_eq!(terms("killed")[0].term, terms("kills")[0].term);
        assert_eq!(terms("1,200")[0].term, hash_term("1200"));
    }

    #[test]
    fn names_away_from_sentence_start_are_capitalized() {
        let t = terms("Fire crews said Mayor Olsen arrived.");
        assert!(!t[0].capitalized);
        assert!(
            t.iter()
                .any(|t| t.capitalized && t.term == hash_term("olsen"))
        );
    }

    #[test]
    fn stop_words_are_dropped_and_cjk_is_split() {
        assert!(terms("the of and").is_empty());
        assert_eq!(terms("東京都").len(), 3);
    }
}
