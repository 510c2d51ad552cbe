//! Framing claims: loaded or emotive terms from the lexicon in `data/framing.tsv`, each
//! marked as in the outlet's own voice or inside a quotation.
//!
//! One Aho-Corasick pass over the ASCII-lower-cased text (leftmost-longest) finds lexicon terms and
//! their irregular stems; a match counts only on word boundaries, allowing the regular
//! inflections -s, -es, -d, -ed, -ing and -ly after it ("massacres", "brutally"), so
//! "regime" does not match inside "regimen".

use crate::lexicon::FRAMING;
use crate::quote::{QuoteRegion, inside};
use crate::text::Doc;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .build(&patterns)
        .expect("framing terms build an automaton");
    (automaton, entries)
});

const INFLECTIONS: [&str; 7] = ["", "s", "es", "d", "ed", "ing", "ly"];

/// Appends framing claims to `out`.
pub(crate) fn extract(doc: &Doc, regions: &[QuoteRegion], out: &mut Vec<Claim>) {
    let (automaton, entries) = &*MATCHER;
    let text = doc.text;
    for m in automaton.find_iter(doc.lower.as_str()) {
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

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use corroborate_model::{ClaimKind, Framing, Voice};

    fn framing(text: &str) -> Vec<(String, String, Voice, String)> {
        let doc = article(text, &[]);
        let found: Vec<Framing> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::Framing(f) => Some(f),
            _ => None,
        });
        found
            .into_iter()
            .map(|f| (f.term, f.category, f.voice, doc.quote(f.span).to_string()))
            .collect()
    }

    #[test]
    fn outlet_and_quoted_voice_with_inflections() {
        let found = framing(
            "In an extraordinary appeal, critics spoke of a Genocide. “They are terrorists and this is a massacre,” he said. Massacres followed.",
        );
        let short: Vec<_> = found
            .iter()
            .map(|(t, c, v, s)| (t.as_str(), c.as_str(), *v, s.as_str()))
            .collect();
        assert_eq!(
            short,
            [
                (
                    "extraordinary",
                    "intensifier",
                    Voice::Outlet,
                    "extraordinary"
                ),
                ("genocide", "legal-charge", Voice::Outlet, "Genocide"),
                ("terrorist", "delegitimising", Voice::Quoted, "terrorists"),
                ("massacre", "atrocity", Voice::Quoted, "massacre"),
                ("massacre", "atrocity", Voice::Outlet, "Massacres"),
            ]
        );
    }

    #[test]
    fn multiword_terms_and_y_plurals() {
        let found = framing(
            "The campaign crossed into criminal territory amid atrocities and a desperate plea.",
        );
        let terms: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            terms,
            ["criminal territory", "atrocity", "desperate", "plea"]
        );
    }

    #[test]
    fn terms_inside_other_words_do_not_match() {
        assert!(framing("A strict regimen of hellos at the terrace.").is_empty());
    }
}
