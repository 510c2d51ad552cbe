//! Framing claims: loaded or emotive terms from the lexicon in `data/framing.tsv`, each
//! marked as in the outlet's own voice or inside a quotation.
//!
//! One Aho-Corasick pass (ASCII case-insensitive, leftmost-longest) finds lexicon terms and
//! their irregular stems; a match counts only on word boundaries, allowing the regular
//! inflections -s, -es, -d, -ed, -ing and -ly after it ("massacres", "brutally"), so
//! "regime" does not match inside "regimen".

use crate::lexicon::FRAMING;
use crate::quote::{QuoteRegion, inside};
use crate::text::Doc;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use corroborate_model::{Claim, ClaimKind, Framing, Voice};
use once_cell::sync::Lazy;

/// The automaton and, per pattern, the lexicon entry it stands for.
static MATCHER: Lazy<(AhoCorasick, Vec<usize>)> = Lazy::new(|| {
    let mut patterns = Vec::new();
    let mut entries = Vec::new();
    for (i, t) in FRAMING.iter().enumerate() {
        patterns.push(t.term.clone());
        entries.push(i);
        if let Some(stem) = t.term.strip_suffix('y') {
            patterns.push(format!("{stem}ies"));
            entries.push(i);
            patterns.push(format!("{stem}ied"));
            entries.push(i);
        }
        if let Some(stem) = t.term.strip_suffix('e') {
            patterns.push(format!("{stem}ing"));
            entries.push(i);
        }
    }
    let automaton = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("framing terms build an automaton");
    (automaton, entries)
});

const INFLECTIONS: [&str; 7] = ["", "s", "es", "d", "ed", "ing", "ly"];

/// Appends framing claims to `out`.
pub(crate) fn extract(doc: &Doc, regions: &[QuoteRegion], out: &mut Vec<Claim>) {
    let (automaton, entries) = &*MATCHER;
    let text = doc.text;
    for m in automaton.find_iter(text) {
        if text[..m.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
        {
            continue;
        }
        let rest = &text[m.end()..];
        let tail_len = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        if !INFLECTIONS.contains(&&doc.lower[m.end()..m.end() + tail_len]) {
            continue;
        }
        let Some(entry) = entries
            .get(m.pattern().as_usize())
            .and_then(|&i| FRAMING.get(i))
        else {
            continue;
        };
        let end = m.end() + tail_len;
        out.push(Claim {
            evidence: doc.evidence(m.start(), end),
            kind: ClaimKind::Framing(Framing {
                term: entry.term.clone(),
                category: entry.category.clone(),
                voice: if inside(regions, m.start()) {
                    Voice::Quoted
                } else {
                    Voice::Outlet
                },
                span: doc.span(m.start(), end),
            }),
        });
    }
}
