//! Compact per-article features: weighted term ids, a MinHash signature and sentence sketches.
//!
//! Everything later stages need is here, so the text itself can be dropped at crawl scale: about
//! 1–2 KB per article instead of the article.

use crate::text::{self, Token, mix64};
use chrono::{Datelike, NaiveDate};
use corroborate_model::TextRange;
use rustc_hash::FxHashMap;

/// What an article offers for clustering: text plus whatever metadata is known.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleText<'a> {
    /// The body (may include the headline).
    pub text: &'a str,
    /// The headline, weighted higher than body words.
    pub title: Option<&'a str>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// By-line as written; wire agencies mark the likely source of a copy.
    pub byline: Option<&'a str>,
    /// Sentence ranges in `text` from the nlp stage; split here when `None`.
    pub sentences: Option<&'a [TextRange]>,
    /// Canonical entity names from the nlp stage, added as extra terms.
    pub entities: &'a [&'a str],
}

/// One sentence reduced to its set of content-term ids (a slice of
/// [`ArticleFeatures`]' sentence-term pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSketch {
    /// Where the sentence is in the article text.
    pub range: TextRange,
    start: u32,
    len: u32,
}

/// The features of one article, independent of every other article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFeatures {
    /// Publication day (days since 1 January of year 1), when known.
    pub day: Option<i32>,
    /// The by-line names a wire agency (AP, Reuters, AFP, ...).
    pub wire_byline: bool,
    /// `(term id, raw weight)`, sorted by term id.
    pub(crate) terms: Box<[(u32, f32)]>,
    /// Distinct term ids of the headline's content words, sorted; empty without a headline.
    pub(crate) headline: Box<[u32]>,
    /// `(term id, count)` of the headline and the first [`LEAD_WORDS`] content words of the
    /// body, sorted by term id.
    pub(crate) lead: Box<[(u32, f32)]>,
    /// One-permutation MinHash over content-word bigrams; empty for an article without words.
    pub(crate) signature: Box<[u32]>,
    /// Hash of the content-word sequence: equal for exact copies (up to spacing/punctuation).
    pub(crate) exact: u64,
    pub(crate) sentences: Box<[SentenceSketch]>,
    sentence_terms: Box<[u32]>,
    /// Number of content words.
    pub(crate) content_tokens: u32,
}

/// Content words of the body counted in the lead (roughly the first two or three sentences,
/// where news style puts who, what, where and when).
pub(crate) const LEAD_WORDS: usize = 60;

/// `(term, count)` pairs sorted by term.
fn counted(mut ids: Vec<u32>) -> Box<[(u32, f32)]> {
    ids.sort_unstable();
    ids.chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len() as f32))
        .collect()
}

const WIRE_AGENCIES: &[&str] = &[
    "associated press",
    "reuters",
    "afp",
    "agence france",
    "(ap)",
    "ap ",
    "dpa",
    "ansa",
    "efe",
    "press association",
    "bloomberg",
];

impl ArticleFeatures {
    /// Extracts features from `input`; `signature_len` is the MinHash length (bands × rows).
    pub fn extract(input: &ArticleText<'_>, signature_len: usize) -> Self {
        let owned_sentences;
        let sentences = match input.sentences {
            Some(s) if !s.is_empty() => s,
            _ => {
                // The same splitter the nlp stage uses, for the crawl-scale path without nlp.
                owned_sentences = corroborate_nlp::split_sentences(input.text);
                &owned_sentences
            }
        };
        let mut weights: FxHashMap<u32, f32> = FxHashMap::default();
        let mut sketches = Vec::with_capacity(sentences.len());
        let mut pool: Vec<u32> = Vec::new();
        let mut sequence: Vec<u32> = Vec::new();
        let mut headline: Vec<u32> = Vec::new();
        if let Some(title) = input.title {
            text::for_each_token(title, |t| headline.push(t.term));
        }
        let mut lead = headline.clone();
        for range in sentences {
            let Some(sentence) = range.slice(input.text) else {
                continue;
            };
            let start = pool.len();
            let mut prev: Option<Token> = None;
            text::for_each_token(sentence, |t| {
                let w = if t.capitalized {
                    2.0
                } else if t.numeric {
                    1.5
                } else {
                    1.0
                };
                *weights.entry(t.term).or_default() += w;
                if let Some(p) = prev.filter(|p| p.capitalized && t.capitalized) {
                    *weights.entry(pair_term(p.term, t.term)).or_default() += 2.0;
                }
                prev = Some(t);
                pool.push(t.term);
                if sequence.len() < LEAD_WORDS {
                    lead.push(t.term);
                }
                sequence.push(t.term);
            });
            pool[start..].sort_unstable();
            let mut uniq_end = start;
            for i in start..pool.len() {
                if i == start || pool[i] != pool[uniq_end - 1] {
                    pool[uniq_end] = pool[i];
                    uniq_end += 1;
                }
            }
            pool.truncate(uniq_end);
            if pool.len() > start {
                sketches.push(SentenceSketch {
                    range: *range,
                    start: start as u32,
                    len: (pool.len() - start) as u32,
                });
            }
        }
        for &t in &headline {
            *weights.entry(t).or_default() += 3.0;
        }
        for e in input.entities {
            let name = e.to_lowercase();
            *weights
                .entry(text::hash_term(&format!("entity:{name}")))
                .or_default() += 2.0;
        }
        let mut terms: Vec<(u32, f32)> = weights.into_iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        let exact = sequence
            .iter()
            .fold(0x9e37_79b9_7f4a_7c15u64, |h, &t| mix64(h ^ u64::from(t)));
        let wire_byline = input.byline.is_some_and(|b| {
            let b = format!("{} ", b.to_lowercase());
            WIRE_AGENCIES.iter().any(|w| b.contains(w))
        });
        Self {
            day: input.published.map(|d| d.num_days_from_ce()),
            wire_byline,
            terms: terms.into_boxed_slice(),
            headline: {
                let mut ids = headline;
                ids.sort_unstable();
                ids.dedup();
                ids.into_boxed_slice()
            },
            lead: counted(lead),
            signature: one_permutation_minhash(&sequence, signature_len).into_boxed_slice(),
            exact,
            sentences: sketches.into_boxed_slice(),
            sentence_terms: pool.into_boxed_slice(),
            content_tokens: sequence.len() as u32,
        }
    }

    /// The content-term set of sentence `i`, sorted.
    pub(crate) fn sentence_terms(&self, i: usize) -> &[u32] {
        self.sentences
            .get(i)
            .and_then(|s| {
                self.sentence_terms
                    .get(s.start as usize..s.start as usize + s.len as usize)
            })
            .unwrap_or(&[])
    }

    /// True when the article has no content words at all.
    pub fn is_empty(&self) -> bool {
        self.content_tokens == 0
    }

    /// The hash that exact copies share (the same words, up to spacing and punctuation);
    /// `None` for an article without words, which is nobody's copy.
    pub fn copy_key(&self) -> Option<u64> {
        (!self.is_empty()).then_some(self.exact)
    }

    /// The features as compact bytes for [`ArticleFeatures::from_bytes`] on another machine
    /// (little-endian numbers, each list after its length): what a story link needs of an
    /// article, a few kilobytes, without the text and its analysis to read and tokenise again.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            32 + 8 * (self.terms.len() + self.lead.len() + 3 * self.sentences.len())
                + 4 * (self.headline.len() + self.signature.len() + self.sentence_terms.len()),
        );
        let u32s = |out: &mut Vec<u8>, xs: &mut dyn Iterator<Item = u32>, len: usize| {
            out.extend_from_slice(&(len as u32).to_le_bytes());
            xs.for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
        };
        out.push(u8::from(self.day.is_some()) | (u8::from(self.wire_byline) << 1));
        out.extend_from_slice(&self.day.unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&self.exact.to_le_bytes());
        out.extend_from_slice(&self.content_tokens.to_le_bytes());
        for list in [&self.terms, &self.lead] {
            let mut xs = list.iter().flat_map(|&(t, w)| [t, w.to_bits()]);
            u32s(&mut out, &mut xs, list.len());
        }
        for list in [&self.headline, &self.signature, &self.sentence_terms] {
            u32s(&mut out, &mut list.iter().copied(), list.len());
        }
        let mut xs = self.sentences.iter().flat_map(|s| {
            let (start, end) = (s.range.start as u64, s.range.end as u64);
            let halves = |x: u64| [x as u32, (x >> 32) as u32];
            let [a, b] = halves(start);
            let [c, d] = halves(end);
            [a, b, c, d, s.start, s.len]
        });
        u32s(&mut out, &mut xs, self.sentences.len());
        out
    }

    /// Features written by [`ArticleFeatures::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut input = Reader { bytes, at: 0 };
        let flags = input.take(1)?[0];
        let day = input.u32()? as i32;
        let exact = u64::from(input.u32()?) | (u64::from(input.u32()?) << 32);
        let content_tokens = input.u32()?;
        let mut list = |width: usize| -> Result<Vec<u32>, String> {
            let len = input.u32()? as usize;
            Ok(input
                .take(len.saturating_mul(width * 4))?
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let pairs = |xs: Vec<u32>| -> Box<[(u32, f32)]> {
            xs.chunks_exact(2)
                .map(|p| (p[0], f32::from_bits(p[1])))
                .collect()
        };
        let terms = pairs(list(2)?);
        let lead = pairs(list(2)?);
        let headline = list(1)?.into_boxed_slice();
        let signature = list(1)?.into_boxed_slice();
        let sentence_terms = list(1)?.into_boxed_slice();
        let sentences = list(6)?
            .chunks_exact(6)
            .map(|s| {
                let wide = |lo: u32, hi: u32| (u64::from(hi) << 32 | u64::from(lo)) as usize;
                SentenceSketch {
                    range: TextRange::new(wide(s[0], s[1]), wide(s[2], s[3])),
                    start: s[4],
                    len: s[5],
                }
            })
            .collect();
        Ok(Self {
            day: (flags & 1 != 0).then_some(day),
            wire_byline: flags & 2 != 0,
            terms,
            headline,
            lead,
            signature,
            exact,
            sentences,
            sentence_terms,
            content_tokens,
        })
    }
}

/// A cursor over the bytes of [`ArticleFeatures::to_bytes`].
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let out = self
            .bytes
            .get(self.at..self.at.saturating_add(n))
            .ok_or_else(|| format!("article features: {} bytes end early", self.bytes.len()))?;
        self.at += n;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// A term for two adjacent name-like words ("north korea").
fn pair_term(a: u32, b: u32) -> u32 {
    let x = mix64((u64::from(a) << 32) | u64::from(b));
    (x >> 32) as u32
}

/// One-permutation MinHash with rotation densification (Shrivastava & Li, 2014/2017).
///
/// Written here rather than taken from a crate: it hashes each shingle once instead of once per
/// permutation (60× fewer hash evaluations than classic MinHash, which is what makes a million
/// articles fit in the time budget) and stores `u32` values to halve the memory.
fn one_permutation_minhash(sequence: &[u32], k: usize) -> Vec<u32> {
    if sequence.is_empty() || k == 0 {
        return Vec::new();
    }
    let mut bins = vec![u32::MAX; k];
    let mut filled = vec![false; k];
    let mut add = |x: u64| {
        let h = mix64(x);
        let bin = (((h >> 32) * k as u64) >> 32) as usize;
        if let (Some(b), Some(f)) = (bins.get_mut(bin), filled.get_mut(bin)) {
            *b = (*b).min(h as u32);
            *f = true;
        }
    };
    if sequence.len() == 1 {
        add(u64::from(sequence[0]));
    }
    for w in sequence.windows(2) {
        add((u64::from(w[0]) << 32) | u64::from(w[1]));
    }
    for i in 0..k {
        if filled[i] {
            continue;
        }
        // Borrow from the next filled bin to the right, offset by the distance so that two
        // documents agree on a densified bin only when they agree on the donor bin.
        for d in 1..k {
            let j = (i + d) % k;
            if filled[j] {
                bins[i] = (mix64(u64::from(bins[j]) ^ ((d as u64) << 40))) as u32;
                break;
            }
        }
    }
    bins
}

/// Fraction of equal positions between two signatures (the Jaccard estimate).
pub(crate) fn signature_similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_read_back_from_their_bytes_are_equal() {
        let text = "Fire crews fought a blaze at the Harbor Street warehouse on Monday. \
            Mayor Ellen Voss visited the site. The fire chief said 14 people were hurt.";
        let f = ArticleFeatures::extract(
            &ArticleText {
                text,
                title: Some("Harbor blaze"),
                published: NaiveDate::from_ymd_opt(2024, 3, 4),
                byline: Some("Reuters"),
                entities: &["Ellen Voss"],
                ..Default::default()
            },
            60,
        );
        assert!(f.day.is_some() && f.wire_byline && !f.sentences.is_empty());
        let bytes = f.to_bytes();
        assert_eq!(ArticleFeatures::from_bytes(&bytes), Ok(f.clone()));
        let empty = ArticleFeatures::extract(&ArticleText::default(), 60);
        assert_eq!(ArticleFeatures::from_bytes(&empty.to_bytes()), Ok(empty));
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(ArticleFeatures::from_bytes(&bytes[..cut]).is_err(), "{cut}");
        }
    }

    #[test]
    fn the_lead_is_the_headline_and_the_first_body_words() {
        let body: String = (0..200).map(|i| format!("word{i} ")).collect();
        let f = ArticleFeatures::extract(
            &ArticleText {
                text: &body,
                title: Some("Harbor blaze"),
                ..Default::default()
            },
            60,
        );
        assert_eq!(f.headline.len(), 2);
        assert_eq!(f.lead.len(), 2 + LEAD_WORDS);
        assert!(f.lead.contains(&(text::hash_term("word0"), 1.0)));
        assert!(!f.lead.iter().any(|&(t, _)| t == text::hash_term("word150")));
        let untitled = ArticleFeatures::extract(
            &ArticleText {
                text: "Harbor blaze. Harbor crews.",
                ..Default::default()
            },
            60,
        );
        assert!(untitled.headline.is_empty());
        assert!(untitled.lead.contains(&(text::hash_term("harbor"), 2.0)));
    }
}
