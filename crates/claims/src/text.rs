//! The shared view every extractor reads: the article's token layer (from `nlp`), sentences as
//! token ranges, mentions sorted by position, and small English lemma rules.
//!
//! Reading one token layer per article (instead of running one regex per extractor over the
//! text) keeps `extract_claims` to one linear pass plus cheap lookups per sentence. Claims does
//! not tokenise: the layer is the one `nlp` stored on the article, or, for a record read back
//! without it, the same layer rebuilt by [`corroborate_nlp::tokens_of`].

use crate::lexicon::LEMMAS;
use crate::number::may_start_figure;
use chrono::NaiveDate;
use corroborate_model::{AnalyzedArticle, DocId, Entity, EntityKind, Mention, Span, TextRange};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

/// The token layer `nlp` built ([`corroborate_nlp::tokenize`]); `Kind` is its shape.
pub(crate) use corroborate_model::{Token, TokenKind as Kind};

/// A sentence: its byte range and the tokens inside it.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub range: TextRange,
    pub tokens: Range<usize>,
}

/// Everything the extractors share about one article.
pub(crate) struct Doc<'a> {
    pub id: DocId,
    pub text: &'a str,
    /// ASCII-lower-cased copy of the text: same length, same char boundaries.
    pub lower: String,
    /// The article's token layer.
    pub tokens: Cow<'a, [Token]>,
    /// Per token: it may start a figure, a duration or a date ([`may_start_figure`]).
    pub numeric: Vec<bool>,
    pub sentences: Vec<Sentence>,
    /// Valid mentions sorted by start.
    pub mentions: Vec<Mention>,
    /// Valid pronoun and role-noun mentions resolved to people, sorted by start.
    pub coreference: Vec<Mention>,
    pub entities: &'a [Entity],
    pub published: Option<NaiveDate>,
    /// Where the body begins: headline, date line and by-line come before it.
    pub body_start: usize,
}

impl<'a> Doc<'a> {
    /// Builds the shared view; tolerates missing or malformed sentences and mentions.
    pub fn new(doc: &'a AnalyzedArticle) -> Self {
        let text = doc.article.text.as_str();
        let tokens = corroborate_nlp::tokens_of(doc);
        let mut ranges: Vec<TextRange> = doc
            .sentences
            .iter()
            .copied()
            .filter(|r| r.start < r.end && r.slice(text).is_some())
            .collect();
        ranges.sort();
        ranges.dedup();
        let mut last_end = 0;
        ranges.retain(|r| {
            let keep = r.start >= last_end;
            if keep {
                last_end = r.end;
            }
            keep
        });
        if ranges.is_empty() {
            ranges = lines(text);
        }
        let sentences = ranges
            .into_iter()
            .map(|range| {
                let lo = tokens.partition_point(|t| t.start < range.start);
                let hi = tokens.partition_point(|t| t.end <= range.end).max(lo);
                Sentence {
                    range,
                    tokens: lo..hi,
                }
            })
            .collect();
        let valid = |list: &[Mention]| {
            let mut valid: Vec<Mention> = list
                .iter()
                .copied()
                .filter(|m| {
                    m.entity < doc.entities.len()
                        && m.span.start < m.span.end
                        && m.span.slice(text).is_some()
                })
                .collect();
            valid.sort_by_key(|m| (m.span.start, m.span.end));
            valid
        };
        let mentions = valid(&doc.mentions);
        let coreference = valid(&doc.coreference);
        let lower = text.to_ascii_lowercase();
        let numeric = tokens
            .iter()
            .map(|t| lower.get(t.start..t.end).is_some_and(may_start_figure))
            .collect();
        Doc {
            id: doc.article.id,
            text,
            lower,
            tokens,
            numeric,
            sentences,
            mentions,
            coreference,
            entities: &doc.entities,
            published: doc.article.published.as_ref().map(|p| p.date),
            body_start: doc.article.body_start,
        }
    }

    /// A span of this article.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, TextRange::new(start, end))
    }

    /// The span of tokens `a..b` (exclusive); empty at `a` when the range is empty.
    pub fn token_span(&self, a: usize, b: usize) -> Span {
        let start = self.start(a);
        let end = if b > a { self.end(b - 1) } else { start };
        self.span(start, end.max(start))
    }

    /// True when token `i` may start a figure, a duration or a date.
    pub fn is_numeric(&self, i: usize) -> bool {
        self.numeric.get(i).copied().unwrap_or(false)
    }

    /// What token `i` is; out-of-range indices read as punctuation, which every rule skips.
    pub fn kind(&self, i: usize) -> Kind {
        self.tokens.get(i).map_or(Kind::Punct, |t| t.kind)
    }

    /// First byte of token `i` (the text length when out of range).
    pub fn start(&self, i: usize) -> usize {
        self.tokens.get(i).map_or(self.text.len(), |t| t.start)
    }

    /// One past the last byte of token `i` (the text length when out of range).
    pub fn end(&self, i: usize) -> usize {
        self.tokens.get(i).map_or(self.text.len(), |t| t.end)
    }

    /// The text of a byte range (empty when out of bounds or off a char boundary).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or("")
    }

    /// Original text of token `i` (empty when out of range).
    pub fn word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// Lower-cased text of token `i` (empty when out of range).
    pub fn lower(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.lower.get(t.start..t.end))
            .unwrap_or("")
    }

    /// True when token `i` is a word starting with an upper-case letter.
    pub fn is_capitalised(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.capitalised)
    }

    /// The sentence span containing byte `at`, as claim evidence.
    pub fn evidence(&self, at: usize, end: usize) -> Span {
        let i = self.sentences.partition_point(|s| s.range.end <= at);
        match self.sentences.get(i) {
            Some(s) if s.range.start <= at => self.span(s.range.start, s.range.end.max(end)),
            _ => self.span(at, end),
        }
    }

    /// Evidence covering both byte ranges (a quote and its cue may cross sentences).
    pub fn evidence_covering(&self, start: usize, end: usize) -> Span {
        let first = self.evidence(start, end);
        let last = self.evidence(end.saturating_sub(1).max(start), end);
        self.span(first.start.min(start), last.end.max(end))
    }

    /// The first mention that starts in `[start, end)`.
    pub fn mention_starting_in(&self, start: usize, end: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.span.start < start);
        self.mentions.get(i).filter(|m| m.span.start < end)
    }

    /// The last mention that ends in `(start, end]`.
    pub fn mention_ending_in(&self, start: usize, end: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.span.start < end);
        self.mentions[..i]
            .iter()
            .rev()
            .take(8)
            .find(|m| m.span.end > start && m.span.end <= end)
    }

    /// The person a pronoun or role noun ending at byte `end`, within `[start, end)`, stands
    /// for.
    pub fn resolved(&self, start: usize, end: usize) -> Option<&Mention> {
        let i = self.coreference.partition_point(|m| m.span.end < end);
        self.coreference
            .get(i)
            .filter(|m| m.span.end == end && m.span.start >= start)
    }

    /// The kind of entity `id`.
    pub fn entity_kind(&self, id: usize) -> Option<EntityKind> {
        self.entities.get(id).map(|e| e.kind)
    }

    /// Index of the token starting at or after byte `at`.
    pub fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.start < at)
    }
}

/// Non-empty lines as sentences, used when the article has no sentence ranges.
fn lines(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if !trimmed.trim().is_empty() {
            out.push(TextRange::new(start, start + trimmed.len()));
        }
        start += line.len();
    }
    out
}

/// A set of multi-word phrases, indexed by first word, matched against tokens.
///
/// Looking phrases up by their first token (one hash per token) instead of trying each
/// phrase at each token keeps the per-token cost flat as the vocabularies grow.
pub(crate) struct PhraseSet {
    /// First word → (remaining words, index of the phrase in the input), longest first.
    by_first: FxHashMap<String, Vec<(Vec<String>, usize)>>,
}

impl PhraseSet {
    /// Indexes `phrases` (lower-case, words separated by single spaces).
    pub fn new<'p>(phrases: impl IntoIterator<Item = &'p str>) -> Self {
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, usize)>> = FxHashMap::default();
        for (index, phrase) in phrases.into_iter().enumerate() {
            let mut words = phrase.split(' ').map(str::to_string);
            let Some(first) = words.next() else {
                continue;
            };
            by_first
                .entry(first)
                .or_default()
                .push((words.collect(), index));
        }
        for entries in by_first.values_mut() {
            entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        Self { by_first }
    }

    /// The longest phrase spelled by the tokens from `i` (before `end`): its index and the
    /// token index after it.
    pub fn longest_at(&self, doc: &Doc, i: usize, end: usize) -> Option<(usize, usize)> {
        if i >= end {
            return None;
        }
        let entries = self.by_first.get(doc.lower(i))?;
        entries.iter().find_map(|(rest, index)| {
            let after = i + 1 + rest.len();
            (after <= end
                && rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| doc.lower(i + 1 + k) == w))
            .then_some((*index, after))
        })
    }
}

/// True for words ending in a plural form ("officials", "people", "chiefs").
pub(crate) fn is_plural(lower: &str) -> bool {
    if LEMMAS.plurals.contains_key(lower) {
        return true;
    }
    if LEMMAS.not_plural.contains(lower) || lower.len() < 3 {
        return false;
    }
    lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("'s")
        && !lower.ends_with("’s")
}

/// Singular lemma of a lower-case noun ("officials" → "official", "casualties" → "casualty").
pub(crate) fn singular(lower: &str) -> String {
    if let Some(s) = LEMMAS.plurals.get(lower) {
        return s.clone();
    }
    if !is_plural(lower) {
        return lower.to_string();
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["ches", "shes", "xes", "sses", "zes"] {
        if lower.ends_with(suffix) {
            return lower[..lower.len() - 2].to_string();
        }
    }
    lower[..lower.len() - 1].to_string()
}

/// Verb lemma of a lower-case word form ("killed" → "kill", "fled" → "flee").
pub(crate) fn verb_lemma(lower: &str) -> String {
    if let Some(v) = LEMMAS.verbs.get(lower) {
        return v.clone();
    }
    if let Some(stem) = lower.strip_suffix("ied") {
        return format!("{stem}y");
    }
    let stem = lower
        .strip_suffix("ed")
        .or_else(|| lower.strip_suffix("ing"))
        .filter(|s| s.len() >= 2);
    let Some(stem) = stem else {
        return lower
            .strip_suffix('s')
            .filter(|s| s.len() >= 3)
            .unwrap_or(lower)
            .to_string();
    };
    let b = stem.as_bytes();
    let n = b.len();
    if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'f') {
        return stem[..n - 1].to_string();
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let needs_e = matches!(b[n - 1], b'c' | b'v' | b'z')
        || (n >= 3 && b[n - 1] == b's' && vowel(b[n - 2]) && !vowel(b[n - 3]))
        || stem.ends_with("ur")
        || (n >= 4 && stem.ends_with("at") && !vowel(b[n - 3]))
        // "striking", "taking", "liked" (but "speaking", "attacked", "walked").
        || (n >= 3 && b[n - 1] == b'k' && vowel(b[n - 2]) && !vowel(b[n - 3]));
    if needs_e {
        format!("{stem}e")
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemmas_of_tricky_plurals_and_verbs() {
        assert_eq!(singular("officials"), "official");
        assert_eq!(singular("people"), "people");
        assert_eq!(singular("casualties"), "casualty");
        assert_eq!(singular("hamas"), "hamas");
        assert_eq!(singular("news"), "news");
        assert_eq!(verb_lemma("killed"), "kill");
        assert_eq!(verb_lemma("fled"), "flee");
        assert_eq!(verb_lemma("signed"), "sign");
        assert_eq!(verb_lemma("stopped"), "stop");
        assert_eq!(verb_lemma("evacuated"), "evacuate");
        assert_eq!(verb_lemma("called"), "call");
        assert_eq!(verb_lemma("remain"), "remain");
        assert_eq!(verb_lemma("striking"), "strike");
        assert_eq!(verb_lemma("taking"), "take");
        assert_eq!(verb_lemma("speaking"), "speak");
        assert_eq!(verb_lemma("attacked"), "attack");
        assert_eq!(verb_lemma("injuring"), "injure");
    }
}
