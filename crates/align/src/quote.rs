//! Quotes: versions of one quotation across the articles of a story.
//!
//! Quotes are normalised to words (lower-case, curly quotes folded, punctuation dropped).
//! Identical word sequences with the same speaker collapse into one *variant*, so a wire quote
//! copied into a hundred articles is one variant. Variants are indexed by word shingles
//! (`quote_shingle_words`-grams; shorter quotes by their whole text); only variants sharing a
//! shingle are compared, and shingles shared by more than `max_shingle_variants` variants
//! (boilerplate like "the prime minister said") are skipped. Cost is linear in the number of
//! words plus the candidate pairs, each compared with a word-level diff.
//!
//! Two variants are linked when one is the other word for word or a verbatim sub-span of it,
//! or when their diff keeps at least `quote_altered_min_similarity` of the words. Variants
//! whose known speakers differ are linked only when nearly identical
//! (`quote_cross_speaker_min_similarity`), and the explanation then says the attribution
//! differs. Linked variants form a group: **QuoteVerbatim** when every link is word for word,
//! else **QuoteAltered** with the word-level diffs.
//!
//! **ParaphraseInQuotes** is given to a quote whose cue flags it as a paraphrase ("says in
//! essence"), whether or not another outlet has it, with the same speaker's quotes elsewhere as
//! evidence; and to an article whose every quotation of a *document* ("the letter") shares no
//! words with the version of that document at least two other independent sources print
//! verbatim. The second rule is limited to documents by default
//! (`unmatched_quotes_of_people` extends it): a document has one fixed text, whereas a person
//! may have said many different things on different occasions.

use crate::AlignOptions;
use crate::context::{StoryContext, shorten};
use crate::terms::TERMS;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, DiffSegment, DocId, Quote, QuoteDiff, Span, Speaker, Topic,
    Verdict,
};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// Longest quote text shown in an explanation.
const MAX_QUOTE_CHARS: usize = 60;
/// Quotes longer than this many words are extraction accidents, not quotations; skipped.
const MAX_QUOTE_WORDS: usize = 400;
/// Changed passages named in an explanation.
const MAX_CHANGES_NAMED: usize = 3;

/// Who a quote is attributed to, as compared across articles. Descriptions ("a senior
/// official") vary between outlets for the same person, so they never count as a different
/// speaker.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum SpeakerKey {
    Entity(String),
    Document(String),
}

struct Item<'a> {
    r: ClaimRef,
    quote: &'a Quote,
    words: Vec<String>,
    surface: Vec<String>,
    speaker: Option<SpeakerKey>,
    speaker_label: Option<String>,
}

/// Identical words from the same speaker.
struct Variant {
    items: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Identical,
    SubSpan,
    Altered,
}

struct Link {
    a: usize,
    b: usize,
    kind: LinkKind,
    ops: Vec<DiffOp>,
}

/// Groups the quotes of one story and appends their verdict groups.
pub(crate) fn align(ctx: &StoryContext<'_>, options: &AlignOptions, out: &mut Vec<ClaimGroup>) {
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut marked: Vec<Item<'_>> = Vec::new();
    for (r, claim) in ctx.claims() {
        let ClaimKind::Quote(quote) = &claim.kind else {
            continue;
        };
        if !ctx.is_valid(quote.content, r.doc) {
            continue;
        }
        let (words, surface) = words(ctx.text(quote.content));
        if words.is_empty() || words.len() > MAX_QUOTE_WORDS {
            continue;
        }
        let (speaker, speaker_label) = speaker(ctx, r.doc, quote.speaker.as_ref());
        let item = Item {
            r,
            quote,
            words,
            surface,
            speaker,
            speaker_label,
        };
        let cue_flags = quote
            .cue
            .is_some_and(|cue| TERMS.is_paraphrase_cue(ctx.text(cue)));
        if quote.marked_paraphrase || cue_flags {
            marked.push(item);
        } else {
            items.push(item);
        }
    }
    let variants = variants(&items);
    let links = links(&items, &variants, options);
    let clusters = clusters(variants.len(), &links);
    for cluster in &clusters {
        let docs: BTreeSet<DocId> = cluster
            .iter()
            .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].r.doc))
            .collect();
        if docs.len() >= 2 {
            out.push(version_group(ctx, &items, &variants, cluster, &links));
        }
    }
    for m in &marked {
        out.push(marked_group(ctx, m, &items));
    }
    unmatched_quotes(ctx, options, &items, &variants, &clusters, &marked, out);
}

/// Words of a quote: normalised for comparison, and as written for diffs.
fn words(text: &str) -> (Vec<String>, Vec<String>) {
    let mut normal = Vec::new();
    let mut surface = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == '—' || c == '–') {
        let written = token.trim_matches(|c: char| !c.is_alphanumeric());
        let folded: String = written
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !folded.is_empty() {
            normal.push(folded);
            surface.push(written.to_string());
        }
    }
    (normal, surface)
}

fn speaker(
    ctx: &StoryContext<'_>,
    doc: DocId,
    speaker: Option<&Speaker>,
) -> (Option<SpeakerKey>, Option<String>) {
    match speaker {
        Some(Speaker::Entity { entity, .. }) => {
            match ctx.article(doc).and_then(|a| a.entities.get(*entity)) {
                Some(e) if !e.canonical.trim().is_empty() => (
                    Some(SpeakerKey::Entity(e.canonical.trim().to_lowercase())),
                    Some(e.canonical.trim().to_string()),
                ),
                _ => (None, None),
            }
        }
        Some(Speaker::Document { description, .. }) => {
            let key = TERMS.document_key(description);
            if key.is_empty() {
                (None, Some(description.clone()))
            } else {
                (Some(SpeakerKey::Document(key)), Some(description.clone()))
            }
        }
        Some(Speaker::Description { description, .. }) => (None, Some(description.clone())),
        None => (None, None),
    }
}

fn variants(items: &[Item<'_>]) -> Vec<Variant> {
    let mut index: HashMap<(&[String], Option<&SpeakerKey>), usize> = HashMap::new();
    let mut variants: Vec<Variant> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = (item.words.as_slice(), item.speaker.as_ref());
        match index.get(&key) {
            Some(&v) => variants[v].items.push(i),
            None => {
                index.insert(key, variants.len());
                variants.push(Variant { items: vec![i] });
            }
        }
    }
    variants
}

fn hash_words(words: &[String]) -> u64 {
    let mut h = DefaultHasher::new();
    words.hash(&mut h);
    h.finish()
}

/// The representative item of a variant (its first).
fn rep<'i, 'a>(items: &'i [Item<'a>], variant: &Variant) -> &'i Item<'a> {
    &items[variant.items[0]]
}

/// Candidate pairs through the shingle index, then the comparison of each.
fn links(items: &[Item<'_>], variants: &[Variant], options: &AlignOptions) -> Vec<Link> {
    let k = options.quote_shingle_words.max(1);
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (v, variant) in variants.iter().enumerate() {
        let words = &rep(items, variant).words;
        let mut shingles: Vec<u64> = if words.len() < k {
            vec![hash_words(words)]
        } else {
            words.windows(k).map(hash_words).collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        for s in shingles {
            index.entry(s).or_default().push(v);
        }
    }
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for posting in index.values() {
        if posting.len() < 2 || posting.len() > options.max_shingle_variants {
            continue;
        }
        for (i, &a) in posting.iter().enumerate() {
            for &b in posting.iter().skip(i + 1) {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
        .into_iter()
        .filter_map(|(a, b)| compare(items, variants, a, b, options))
        .collect()
}

fn compare(
    items: &[Item<'_>],
    variants: &[Variant],
    a: usize,
    b: usize,
    options: &AlignOptions,
) -> Option<Link> {
    let (x, y) = (rep(items, &variants[a]), rep(items, &variants[b]));
    let speakers_differ = matches!((&x.speaker, &y.speaker), (Some(p), Some(q)) if p != q);
    let ops = capture_diff_slices(Algorithm::Myers, &x.words, &y.words);
    let equal: usize = ops
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    let similarity = 2.0 * equal as f64 / (x.words.len() + y.words.len()) as f64;
    if speakers_differ && similarity < options.quote_cross_speaker_min_similarity {
        return None;
    }
    let (short, long) = if x.words.len() <= y.words.len() {
        (&x.words, &y.words)
    } else {
        (&y.words, &x.words)
    };
    let kind = if x.words == y.words {
        LinkKind::Identical
    } else if long.windows(short.len()).any(|w| w == short.as_slice()) {
        LinkKind::SubSpan
    } else if similarity >= options.quote_altered_min_similarity {
        LinkKind::Altered
    } else {
        return None;
    };
    Some(Link { a, b, kind, ops })
}

/// Connected components of variants (union–find; small enough to write here).
fn clusters(n: usize, links: &[Link]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for link in links {
        let (ra, rb) = (find(&mut parent, link.a), find(&mut parent, link.b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for v in 0..n {
        let root = find(&mut parent, v);
        let members = by_root.entry(root).or_default();
        if members.is_empty() {
            order.push(root);
        }
        members.push(v);
    }
    order
        .into_iter()
        .filter_map(|root| by_root.remove(&root))
        .collect()
}

/// A quote as written, shortened, in quotation marks.
fn quoted(words: &[String]) -> String {
    format!("“{}”", shorten(&words.join(" "), MAX_QUOTE_CHARS))
}

/// One group for a cluster of linked variants.
fn version_group(
    ctx: &StoryContext<'_>,
    items: &[Item<'_>],
    variants: &[Variant],
    cluster: &[usize],
    links: &[Link],
) -> ClaimGroup {
    let member: HashSet<usize> = cluster.iter().copied().collect();
    let cluster_links: Vec<&Link> = links.iter().filter(|l| member.contains(&l.a)).collect();
    let refs_of =
        |v: usize| -> Vec<ClaimRef> { variants[v].items.iter().map(|&i| items[i].r).collect() };
    // The reference version: the one most independent sources print, then the first seen.
    let mut ordered: Vec<usize> = cluster.to_vec();
    ordered.sort_by_key(|&v| (std::cmp::Reverse(ctx.sources_of_refs(&refs_of(v))), v));
    let reference = ordered[0];
    let reference_item = rep(items, &variants[reference]);
    let claims: Vec<ClaimRef> = ordered.iter().flat_map(|&v| refs_of(v)).collect();
    let evidence: Vec<Span> = ordered
        .iter()
        .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].quote.content))
        .collect();
    let altered: Vec<&&Link> = cluster_links
        .iter()
        .filter(|l| l.kind == LinkKind::Altered)
        .collect();
    let diffs: Vec<QuoteDiff> = altered
        .iter()
        .map(|l| {
            // Diffs read from the reference version towards the other one.
            let (x, y) = (rep(items, &variants[l.a]), rep(items, &variants[l.b]));
            let segments = if l.b == reference {
                let ops = capture_diff_slices(Algorithm::Myers, &y.words, &x.words);
                segments(&ops, &y.surface, &x.surface)
            } else {
                segments(&l.ops, &x.surface, &y.surface)
            };
            let (from, to) = if l.b == reference {
                (y.r, x.r)
            } else {
                (x.r, y.r)
            };
            QuoteDiff { from, to, segments }
        })
        .collect();
    let speaker_label = ordered
        .iter()
        .find_map(|&v| rep(items, &variants[v]).speaker_label.clone());
    let by = speaker_label
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    let reference_refs = refs_of(reference);
    let mut explanation = format!(
        "{}{by} in {}",
        quoted(&reference_item.surface),
        ctx.outlets(&reference_refs)
    );
    let verdict = if altered.is_empty() {
        let longer: Vec<ClaimRef> = ordered
            .iter()
            .filter(|&&v| rep(items, &variants[v]).words.len() > reference_item.words.len())
            .flat_map(|&v| refs_of(v))
            .collect();
        let shorter: Vec<ClaimRef> = ordered
            .iter()
            .filter(|&&v| rep(items, &variants[v]).words.len() < reference_item.words.len())
            .flat_map(|&v| refs_of(v))
            .collect();
        let same: Vec<ClaimRef> = ordered
            .iter()
            .filter(|&&v| v != reference && rep(items, &variants[v]).words == reference_item.words)
            .flat_map(|&v| refs_of(v))
            .collect();
        if !same.is_empty() {
            explanation.push_str(&format!(", word for word in {}", ctx.outlets(&same)));
        }
        if !longer.is_empty() {
            explanation.push_str(&format!(
                "; it is a verbatim part of the longer quote in {}",
                ctx.outlets(&longer)
            ));
        }
        if !shorter.is_empty() {
            explanation.push_str(&format!(
                "; {} quote a verbatim part of it",
                ctx.outlets(&shorter)
            ));
        }
        if same.is_empty() && longer.is_empty() && shorter.is_empty() {
            explanation.push_str(", word for word");
        }
        Verdict::QuoteVerbatim
    } else {
        let altered_refs: Vec<ClaimRef> = ordered
            .iter()
            .filter(|&&v| {
                v != reference
                    && altered.iter().any(|l| l.a == v || l.b == v)
                    && rep(items, &variants[v]).words != reference_item.words
            })
            .flat_map(|&v| refs_of(v))
            .collect();
        let changes: Vec<String> = diffs
            .iter()
            .flat_map(|d| changes(&d.segments))
            .take(MAX_CHANGES_NAMED)
            .collect();
        explanation.push_str(&format!(
            "; altered in {}: {}",
            ctx.outlets(&altered_refs),
            changes.join(", ")
        ));
        Verdict::QuoteAltered
    };
    let mut speakers: Vec<(String, Vec<ClaimRef>)> = Vec::new();
    for &v in &ordered {
        let item = rep(items, &variants[v]);
        if let (Some(_), Some(label)) = (&item.speaker, &item.speaker_label) {
            match speakers.iter_mut().find(|(l, _)| l == label) {
                Some((_, refs)) => refs.extend(refs_of(v)),
                None => speakers.push((label.clone(), refs_of(v))),
            }
        }
    }
    let keys: BTreeSet<&SpeakerKey> = ordered
        .iter()
        .filter_map(|&v| rep(items, &variants[v]).speaker.as_ref())
        .collect();
    if keys.len() >= 2 {
        explanation.push_str(&format!(
            "; attribution differs: {}",
            speakers
                .iter()
                .map(|(label, refs)| format!("{label} ({})", ctx.outlets(refs)))
                .collect::<Vec<_>>()
                .join(" vs ")
        ));
    }
    ClaimGroup {
        topic: Topic::Quote {
            speaker: speaker_label,
        },
        verdict,
        explanation,
        independent_sources: ctx.sources_of_refs(&claims),
        claims,
        evidence,
        diffs,
        story: Some(ctx.story.id),
    }
}

/// Word-level edits with the words as written on each side.
fn segments(ops: &[DiffOp], from: &[String], to: &[String]) -> Vec<DiffSegment> {
    let take = |words: &[String], start: usize, len: usize| -> String {
        words
            .iter()
            .skip(start)
            .take(len)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out: Vec<DiffSegment> = Vec::new();
    let mut push = |segment: DiffSegment| {
        let merged = match (out.last_mut(), &segment) {
            (Some(DiffSegment::Equal(a)), DiffSegment::Equal(b))
            | (Some(DiffSegment::Insert(a)), DiffSegment::Insert(b))
            | (Some(DiffSegment::Delete(a)), DiffSegment::Delete(b)) => {
                a.push(' ');
                a.push_str(b);
                true
            }
            _ => false,
        };
        if !merged {
            out.push(segment);
        }
    };
    for op in ops {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                push(DiffSegment::Equal(take(from, old_index, len)))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(DiffSegment::Delete(take(from, old_index, old_len))),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(DiffSegment::Insert(take(to, new_index, new_len))),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(DiffSegment::Delete(take(from, old_index, old_len)));
                push(DiffSegment::Insert(take(to, new_index, new_len)));
            }
        }
    }
    out
}

/// The changes of a diff in words: `"judgment" → "assessment"`, `+"now"`, `−"strategic"`.
fn changes(segments: &[DiffSegment]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(segment) = segments.get(i) {
        match (segment, segments.get(i + 1)) {
            (DiffSegment::Delete(a), Some(DiffSegment::Insert(b))) => {
                out.push(format!("\"{a}\" → \"{b}\""));
                i += 1;
            }
            (DiffSegment::Delete(a), _) => out.push(format!("−\"{a}\"")),
            (DiffSegment::Insert(b), _) => out.push(format!("+\"{b}\"")),
            (DiffSegment::Equal(_), _) => {}
        }
        i += 1;
    }
    out
}

/// A quote its own outlet flags as a paraphrase, with the same speaker's quotes elsewhere.
fn marked_group(ctx: &StoryContext<'_>, marked: &Item<'_>, items: &[Item<'_>]) -> ClaimGroup {
    let elsewhere: Vec<&Item<'_>> = match &marked.speaker {
        Some(key) => items
            .iter()
            .filter(|i| i.r.doc != marked.r.doc && i.speaker.as_ref() == Some(key))
            .collect(),
        None => Vec::new(),
    };
    let cue = marked
        .quote
        .cue
        .filter(|&c| ctx.is_valid(c, marked.r.doc))
        .map(|c| format!(" (“{}”)", ctx.written(c)))
        .unwrap_or_default();
    let mut explanation = format!(
        "{} prints {} in quotation marks but flags it as a paraphrase{cue}",
        ctx.label(marked.r.doc),
        quoted(&marked.surface)
    );
    if let (Some(first), Some(label)) = (elsewhere.first(), &marked.speaker_label) {
        let refs: Vec<ClaimRef> = elsewhere.iter().map(|i| i.r).collect();
        explanation.push_str(&format!(
            "; {} quote {label} as {}",
            ctx.outlets(&refs),
            quoted(&first.surface)
        ));
    }
    let mut claims = vec![marked.r];
    let mut evidence = vec![marked.quote.content];
    evidence.extend(marked.quote.cue.filter(|&c| ctx.is_valid(c, marked.r.doc)));
    for item in &elsewhere {
        claims.push(item.r);
        evidence.push(item.quote.content);
    }
    ClaimGroup {
        topic: Topic::Quote {
            speaker: marked.speaker_label.clone(),
        },
        verdict: Verdict::ParaphraseInQuotes,
        explanation,
        independent_sources: ctx.sources_of_refs(&claims),
        claims,
        evidence,
        diffs: Vec::new(),
        story: Some(ctx.story.id),
    }
}

/// One article's quotes (item indices) of one speaker.
type DocQuotes = (DocId, Vec<usize>);

/// Articles whose every quotation of a document (or, when enabled, a person) shares no words
/// with the version other independent sources agree on (see the module documentation).
fn unmatched_quotes(
    ctx: &StoryContext<'_>,
    options: &AlignOptions,
    items: &[Item<'_>],
    variants: &[Variant],
    clusters: &[Vec<usize>],
    marked: &[Item<'_>],
    out: &mut Vec<ClaimGroup>,
) {
    // Clusters printed by at least two independent sources.
    let corroborated: Vec<usize> = (0..clusters.len())
        .filter(|&c| {
            ctx.independent_sources(
                clusters[c]
                    .iter()
                    .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].r.doc)),
            ) >= 2
        })
        .collect();
    let mut cluster_of_item: Vec<usize> = vec![0; items.len()];
    for (c, cluster) in clusters.iter().enumerate() {
        for &v in cluster {
            for &i in &variants[v].items {
                cluster_of_item[i] = c;
            }
        }
    }
    // Speaker → its quotes, per article, in story order.
    let mut by_speaker: Vec<(&SpeakerKey, Vec<DocQuotes>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = match &item.speaker {
            Some(key @ SpeakerKey::Document(_)) => key,
            Some(key @ SpeakerKey::Entity(_)) if options.unmatched_quotes_of_people => key,
            _ => continue,
        };
        let position = match by_speaker.iter().position(|(k, _)| *k == key) {
            Some(p) => p,
            None => {
                by_speaker.push((key, Vec::new()));
                by_speaker.len() - 1
            }
        };
        let docs = &mut by_speaker[position].1;
        match docs.iter_mut().find(|(d, _)| *d == item.r.doc) {
            Some((_, quotes)) => quotes.push(i),
            None => docs.push((item.r.doc, vec![i])),
        }
    }
    for (key, docs) in by_speaker {
        let agreed: Vec<usize> = corroborated
            .iter()
            .copied()
            .filter(|&c| {
                clusters[c].iter().any(|&v| {
                    variants[v]
                        .items
                        .iter()
                        .any(|&i| items[i].speaker.as_ref() == Some(key))
                })
            })
            .collect();
        let Some(&first_agreed) = agreed.first() else {
            continue;
        };
        for (doc, quotes) in &docs {
            let source = ctx.source_of(*doc);
            let matched = quotes.iter().any(|&i| {
                let c = cluster_of_item[i];
                clusters[c].iter().any(|&v| {
                    variants[v]
                        .items
                        .iter()
                        .any(|&j| ctx.source_of(items[j].r.doc) != source)
                })
            });
            let already_flagged = marked.iter().any(|m| m.r.doc == *doc);
            if matched || already_flagged {
                continue;
            }
            let agreed_refs: Vec<ClaimRef> = agreed
                .iter()
                .flat_map(|&c| clusters[c].iter())
                .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].r))
                .collect();
            if ctx.independent_sources(
                agreed_refs
                    .iter()
                    .map(|r| r.doc)
                    .filter(|&d| ctx.source_of(d) != source),
            ) < 2
            {
                continue;
            }
            let label = items
                .get(quotes[0])
                .and_then(|i| i.speaker_label.clone())
                .unwrap_or_else(|| match key {
                    SpeakerKey::Entity(k) | SpeakerKey::Document(k) => k.clone(),
                });
            let reference = clusters[first_agreed]
                .first()
                .map(|&v| quoted(&rep(items, &variants[v]).surface))
                .unwrap_or_default();
            let explanation = format!(
                "{} attributes {} to {label}, but its wording matches none of {label} as {} quote it ({reference})",
                ctx.label(*doc),
                quoted(&items[quotes[0]].surface),
                ctx.outlets(&agreed_refs),
            );
            let mut claims: Vec<ClaimRef> = quotes.iter().map(|&i| items[i].r).collect();
            let mut evidence: Vec<Span> = quotes.iter().map(|&i| items[i].quote.content).collect();
            for &c in &agreed {
                for &v in &clusters[c] {
                    for &i in &variants[v].items {
                        claims.push(items[i].r);
                        evidence.push(items[i].quote.content);
                    }
                }
            }
            out.push(ClaimGroup {
                topic: Topic::Quote {
                    speaker: Some(label),
                },
                verdict: Verdict::ParaphraseInQuotes,
                explanation,
                independent_sources: ctx.sources_of_refs(&claims),
                claims,
                evidence,
                diffs: Vec::new(),
                story: Some(ctx.story.id),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_quotes_and_punctuation() {
        let (normal, surface) = words("“It’s our — professional judgment,” he");
        assert_eq!(normal, ["its", "our", "professional", "judgment", "he"]);
        assert_eq!(surface, ["It’s", "our", "professional", "judgment", "he"]);
    }

    #[test]
    fn changes_pair_replacements() {
        let segs = vec![
            DiffSegment::Equal("it is our".into()),
            DiffSegment::Delete("professional judgment".into()),
            DiffSegment::Insert("firm view".into()),
            DiffSegment::Insert("now".into()),
        ];
        assert_eq!(
            changes(&segs),
            ["\"professional judgment\" → \"firm view\"", "+\"now\""]
        );
    }
}
