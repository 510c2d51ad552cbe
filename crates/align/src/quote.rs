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
//! differs (people are compared by surname, documents by their head noun: "the open letter" is
//! "letter"; a person and a document are not different speakers, as a person may write or
//! speak for it, but the explanation still names both); people (or documents) that differ also
//! make a **SpeakerConflict** group of their own, with where each outlet names its speaker.
//! Linked variants form a group:
//! **QuoteVerbatim** when every link is word for word, else **QuoteAltered** with the
//! word-level diffs; the group carries the speaker most independent sources give. A phrase of
//! two to four words quoted inside the writer's sentence is too short for the shingle index:
//! module `fragment` lays it against the same person's quotes in other sources and reports it
//! as **QuoteAltered** when they give it with one content word changed. Word-for-word copies between
//! near-duplicate articles are not reported (one source corroborates nothing), but a copy that
//! changed a quote is.
//!
//! **ParaphraseInQuotes** is given to a quote whose cue flags it as a paraphrase ("says in
//! essence"), whether or not another outlet has it, with the same speaker's quotes elsewhere as
//! evidence; and to an article whose every quotation of a *document* ("the letter") shares no
//! words with the version of that document at least two other independent sources print
//! verbatim. The second rule is limited to documents by default
//! (`unmatched_quotes_of_people` extends it): a document has one fixed text, whereas a person
//! may have said many different things on different occasions. Paraphrase groups cite at most
//! eight versions printed elsewhere, one per independent source.

use crate::AlignOptions;
use crate::confidence;
use crate::context::{StoryContext, person_key, shorten};
use crate::terms::TERMS;
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, DiffSegment, DocId, EntityKind, Quote, QuoteDiff, Span,
    Speaker, Topic, Verdict,
};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

mod fragment;
mod reported;

/// Longest quote text shown in an explanation.
const MAX_QUOTE_CHARS: usize = 60;
/// Quotes longer than this many words are extraction accidents, not quotations; skipped.
const MAX_QUOTE_WORDS: usize = 400;
/// Most versions printed elsewhere that a paraphrase group cites (one per source).
const MAX_REFERENCE_QUOTES: usize = 8;
/// A version this short that starts in lower case is a fragment woven into the writer's
/// sentence, not a sentence quoted whole.
const FRAGMENT_WORDS: usize = 8;
/// Share of the shorter version's words that an excerpt of the same remark keeps (the rest
/// are respelt words).
const EXCERPT_MIN_COVERAGE: f64 = 0.8;
/// Words in common that make the overlap of two crossed excerpts a shared clause.
const MIN_OVERLAP_WORDS: usize = 6;
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

/// A quote prepared for comparison.
struct Item<'a> {
    r: ClaimRef,
    quote: &'a Quote,
    words: Vec<String>,
    surface: Vec<String>,
    /// `gaps[i]`: the outlet marks an elision ("…") or ends a sentence just before word `i`
    /// (`i == len`: at the end).
    gaps: Vec<bool>,
    /// `elisions[i]`: the gap before word `i` is a marked elision, not only a sentence end.
    elisions: Vec<bool>,
    /// Words an editor put in brackets ("(local)", "[John Boehner]").
    editorial: Vec<bool>,
    /// Quoted in the headline, or a quotation standing with no cue (a crosshead or pull
    /// quote): by convention these compress what was said, so they are never "altered".
    compressed: bool,
    speaker: Option<SpeakerKey>,
    speaker_label: Option<String>,
}

/// Identical words from the same speaker.
struct Variant {
    items: Vec<usize>,
}

/// How two variants relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    /// The same words (attributed to different speakers).
    Identical,
    /// One is a contiguous part of the other.
    SubSpan,
    /// The same quote with words changed.
    Altered,
}

/// Two linked variants with their word-level diff.
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
        let Words {
            normal: words,
            surface,
            gaps,
            elisions,
            editorial,
        } = Words::of(ctx.text(quote.content));
        if words.is_empty() || words.len() > MAX_QUOTE_WORDS {
            continue;
        }
        let (speaker, speaker_label) = speaker(ctx, r.doc, quote.speaker.as_ref());
        let item = Item {
            r,
            quote,
            words,
            surface,
            gaps,
            elisions,
            editorial,
            compressed: ctx.article(r.doc).is_some_and(|a| {
                quote.content.start < a.article.body_start
                    || is_own_paragraph(&a.article.text, quote.content)
            }),
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
    let (variants, variant_of_item) = variants(&items);
    let links = links(&items, &variants, options);
    let clusters = clusters(variants.len(), &links);
    let mut cluster_of_variant = vec![0; variants.len()];
    for (c, cluster) in clusters.iter().enumerate() {
        for &v in cluster {
            cluster_of_variant[v] = c;
        }
    }
    let mut links_by_cluster: Vec<Vec<&Link>> = vec![Vec::new(); clusters.len()];
    for link in &links {
        links_by_cluster[cluster_of_variant[link.a]].push(link);
    }
    for (cluster, cluster_links) in clusters.iter().zip(&links_by_cluster) {
        let docs: BTreeSet<DocId> = cluster
            .iter()
            .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].r.doc))
            .collect();
        // Word-for-word copies between near-duplicates corroborate nothing; a copy that
        // changed a quote is still worth reporting.
        let verbatim_copies = ctx.independent_sources(docs.iter().copied()) < 2
            && cluster_links.iter().all(|l| l.kind != LinkKind::Altered);
        if docs.len() >= 2 && !verbatim_copies {
            out.push(version_group(
                ctx,
                &items,
                &variants,
                cluster,
                cluster_links,
            ));
            out.extend(speaker_conflict(ctx, &items, &variants, cluster));
        }
    }
    let versions = Versions {
        items: &items,
        variants: &variants,
        clusters: &clusters,
        variant_of_item: &variant_of_item,
        cluster_of_variant: &cluster_of_variant,
    };
    let mut by_speaker: HashMap<&SpeakerKey, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(key) = &item.speaker {
            by_speaker.entry(key).or_default().push(i);
        }
    }
    let mut speakers: Vec<SpeakerVersions<'_>> = by_speaker
        .into_iter()
        .map(|(key, quotes)| SpeakerVersions::new(ctx, &versions, key, quotes))
        .collect();
    speakers.sort_by_key(|s| s.quotes.first().copied());
    let speaker_index: HashMap<&SpeakerKey, usize> = speakers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key, i))
        .collect();
    // Flagged quotes of one article and speaker are one passage; unattributed ones stand alone.
    let mut passages: Vec<Vec<&Item<'_>>> = Vec::new();
    let mut passage_of: HashMap<(DocId, &SpeakerKey), usize> = HashMap::new();
    for m in &marked {
        let Some(key) = m.speaker.as_ref() else {
            passages.push(vec![m]);
            continue;
        };
        let p = *passage_of.entry((m.r.doc, key)).or_insert_with(|| {
            passages.push(Vec::new());
            passages.len() - 1
        });
        passages[p].push(m);
    }
    for passage in &passages {
        let Some(first) = passage.first() else {
            continue;
        };
        let elsewhere: Vec<&Item<'_>> = first
            .speaker
            .as_ref()
            .and_then(|key| speaker_index.get(key))
            .map(|&s| {
                let speaker = &speakers[s];
                speaker.representatives(
                    ctx,
                    &versions,
                    speaker.clusters.iter().take(1),
                    first.r.doc,
                )
            })
            .unwrap_or_default()
            .into_iter()
            .map(|i| &items[i])
            .collect();
        out.extend(marked_group(ctx, passage, &elsewhere));
    }
    reported::align(ctx, &items, options, out);
    fragment::align(ctx, &items, out);
    let marked_docs: HashSet<DocId> = marked.iter().map(|m| m.r.doc).collect();
    for speaker in &speakers {
        let eligible = match speaker.key {
            SpeakerKey::Document(_) => true,
            SpeakerKey::Entity(_) => options.unmatched_quotes_of_people,
        };
        if eligible {
            unmatched_quotes(ctx, &versions, speaker, &marked_docs, out);
        }
    }
}

/// The words of a quote: normalised for comparison, as written for diffs, where the outlet
/// marks an elision or a sentence ends (one outlet may quote sentences another leaves out),
/// and which words an editor added in brackets.
struct Words {
    normal: Vec<String>,
    surface: Vec<String>,
    gaps: Vec<bool>,
    elisions: Vec<bool>,
    editorial: Vec<bool>,
}

impl Words {
    fn of(text: &str) -> Words {
        let mut words = Words {
            normal: Vec::new(),
            surface: Vec::new(),
            gaps: vec![false],
            elisions: vec![false],
            editorial: Vec::new(),
        };
        let mut depth = 0usize;
        let text = text.replace(". . .", "…");
        for chunk in text.split(|c: char| c.is_whitespace() || c == '—' || c == '–') {
            // "project...we're" is two words with an elision between them.
            for (i, token) in chunk.split("...").flat_map(|t| t.split('…')).enumerate() {
                if i > 0 {
                    words.mark_gap();
                    if let Some(last) = words.elisions.last_mut() {
                        *last = true;
                    }
                }
                let written = token.trim_matches(|c: char| !c.is_alphanumeric());
                // "conservation & healthy herds" is "conservation and healthy herds".
                let written = if written.is_empty() && token.contains('&') {
                    "and"
                } else {
                    written
                };
                let folded: String = written
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect();
                let opens = token.chars().filter(|c| matches!(c, '(' | '[')).count();
                let closes = token.chars().filter(|c| matches!(c, ')' | ']')).count();
                if !folded.is_empty() {
                    words.normal.push(folded);
                    words.surface.push(written.to_string());
                    words.gaps.push(false);
                    words.elisions.push(false);
                    words.editorial.push(depth + opens > 0);
                }
                depth = (depth + opens).saturating_sub(closes);
                if token.ends_with(['.', '?', '!']) {
                    words.mark_gap();
                }
            }
        }
        words
    }

    fn mark_gap(&mut self) {
        if let Some(last) = self.gaps.last_mut() {
            *last = true;
        }
    }
}

fn speaker(
    ctx: &StoryContext<'_>,
    doc: DocId,
    speaker: Option<&Speaker>,
) -> (Option<SpeakerKey>, Option<String>) {
    match speaker {
        Some(Speaker::Entity { entity, .. }) => {
            match ctx.article(doc).and_then(|a| a.entities.get(*entity)) {
                Some(e) if !e.canonical.trim().is_empty() => {
                    // People by surname, as for office holders, so that an unlinked "Ayalon"
                    // and "Ami Ayalon" are one speaker; organisations by their whole name.
                    let key = match e.kind {
                        EntityKind::Person => person_key(&e.canonical),
                        _ => e.canonical.trim().to_lowercase(),
                    };
                    let key = (!key.is_empty()).then_some(SpeakerKey::Entity(key));
                    (key, Some(e.canonical.trim().to_string()))
                }
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

/// Collapses identical words with the same speaker into variants; also returns each item's
/// variant.
fn variants(items: &[Item<'_>]) -> (Vec<Variant>, Vec<usize>) {
    let mut index: HashMap<(&[String], Option<&SpeakerKey>), usize> = HashMap::new();
    let mut variants: Vec<Variant> = Vec::new();
    let mut variant_of_item = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let key = (item.words.as_slice(), item.speaker.as_ref());
        let v = *index.entry(key).or_insert_with(|| {
            variants.push(Variant { items: Vec::new() });
            variants.len() - 1
        });
        variants[v].items.push(i);
        variant_of_item.push(v);
    }
    (variants, variant_of_item)
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
    let (kind, ops) = relate(x, y, options)?;
    Some(Link { a, b, kind, ops })
}

/// How two versions relate, with their word-level diff; `None` when they are not one quote.
fn relate(x: &Item<'_>, y: &Item<'_>, options: &AlignOptions) -> Option<(LinkKind, Vec<DiffOp>)> {
    // A person quoted with a document's words may be its author or speak for it ("the
    // letter says" / "Father Reese said"): only two people or two documents differ.
    let speakers_differ = match (&x.speaker, &y.speaker) {
        (Some(SpeakerKey::Entity(p)), Some(SpeakerKey::Entity(q)))
        | (Some(SpeakerKey::Document(p)), Some(SpeakerKey::Document(q))) => p != q,
        _ => false,
    };
    let ops = capture_diff_slices(Algorithm::Myers, &x.words, &y.words);
    let equal_words = |ops: &[DiffOp]| -> usize {
        ops.iter()
            .map(|op| match op {
                DiffOp::Equal { len, .. } => *len,
                _ => 0,
            })
            .sum()
    };
    let equal = equal_words(&ops);
    // Outlets excerpt one remark at different points, so words beyond the shared stretch say
    // nothing about whether the shared part was changed: similarity is measured on the
    // stretch from the first to the last word in common.
    // The stretch runs between equal runs of two words or more, so that a lone "I" matched
    // across an extra leading sentence does not pull that sentence inside it.
    let is_equal = |op: &DiffOp| matches!(op, DiffOp::Equal { .. });
    let is_anchor = |op: &DiffOp| matches!(op, DiffOp::Equal { len, .. } if *len >= 2);
    let first = ops
        .iter()
        .position(is_anchor)
        .or_else(|| ops.iter().position(is_equal))?;
    let last = ops
        .iter()
        .rposition(is_anchor)
        .or_else(|| ops.iter().rposition(is_equal))?;
    // A lone word in common one small change away from the stretch ("rationale *for*
    // gutting" / "a rationale gutting") is part of it: the change is inside the quote.
    let near = |at: usize, between: usize| is_equal(&ops[at]) && small_change(&ops[between], x, y);
    let first = if first >= 2 && near(first - 2, first - 1) {
        first - 2
    } else {
        first
    };
    let last = if last + 2 < ops.len() && near(last + 2, last + 1) {
        last + 2
    } else {
        last
    };
    let (x_from, y_from) = (ops[first].old_range().start, ops[first].new_range().start);
    let (x_to, y_to) = (ops[last].old_range().end, ops[last].new_range().end);
    let shared = (x_to - x_from) + (y_to - y_from);
    let stretch_equal = equal_words(&ops[first..=last]);
    let similarity = 2.0 * stretch_equal as f64 / shared as f64;
    // Most of the shorter version must be in the other one, or two remarks merely share a
    // phrase.
    let coverage = equal as f64 / x.words.len().min(y.words.len()) as f64;
    // Two excerpts of one remark may overlap: one starts inside the other and runs on past
    // its end ("has been a race to the bottom. We have seen …" / "I think the GOP race has
    // been, in many cases, a race to the bottom."). Then the words each has beyond the other
    // are where the outlets cut, and what must be shared is most of the overlap, provided
    // the overlap is a clause rather than a phrase.
    let crossed = (x_from == 0 && y_to == y.words.len()) || (y_from == 0 && x_to == x.words.len());
    let overlap_coverage = if crossed && stretch_equal >= MIN_OVERLAP_WORDS {
        stretch_equal as f64 / (x_to - x_from).min(y_to - y_from) as f64
    } else {
        0.0
    };
    if coverage.max(overlap_coverage) < options.quote_altered_min_similarity
        || equal < 3.min(x.words.len())
    {
        return None;
    }
    // Under different names only nearly the whole of both versions may match.
    let whole_similarity = 2.0 * equal as f64 / (x.words.len() + y.words.len()) as f64;
    if speakers_differ && whole_similarity < options.quote_cross_speaker_min_similarity {
        return None;
    }
    let fragment = x.words.len().min(y.words.len()) < FRAGMENT_WORDS
        && [x, y].iter().any(|q| {
            q.surface
                .first()
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_lowercase)
        });
    let changed = ops
        .iter()
        .enumerate()
        .any(|(i, op)| is_real_change(op, i < first || i > last, fragment, x, y));
    let kind = if x.words == y.words {
        LinkKind::Identical
    } else if !changed && coverage >= EXCERPT_MIN_COVERAGE {
        LinkKind::SubSpan
    } else if changed
        && similarity >= options.quote_altered_min_similarity
        && !x.compressed
        && !y.compressed
    {
        // Only a change inside the shared stretch alters a quote: versions that differ only
        // where an outlet marks an elision or cuts its excerpt are two excerpts.
        LinkKind::Altered
    } else {
        return None;
    };
    Some((kind, ops))
}

/// True when a diff operation changes at most two words on each side, with no elision or
/// sentence end in or around them on either side.
fn small_change(op: &DiffOp, x: &Item<'_>, y: &Item<'_>) -> bool {
    let (old, new) = (op.old_range(), op.new_range());
    old.len() <= 2
        && new.len() <= 2
        && !x.gaps[old.start..=old.end].contains(&true)
        && !y.gaps[new.start..=new.end].contains(&true)
}

/// True when a diff operation changes what was said, rather than where an outlet's excerpt
/// starts or ends (`at_edge`), a passage it marks as elided ("…"), how a word is spelt
/// ("workforce" / "work force", "it's" / "it is", "Qaddafi" / "Gadhafi"), or — in a
/// `fragment` woven into the writer's own sentence — the inflection of one word fitted to that
/// sentence ("asked if he fully *supported* the Obama agenda").
fn is_real_change(op: &DiffOp, at_edge: bool, fragment: bool, x: &Item<'_>, y: &Item<'_>) -> bool {
    let (old, new) = (op.old_range(), op.new_range());
    if fragment
        && old.len() == 1
        && new.len() == 1
        && same_stem(&x.surface[old.start], &y.surface[new.start])
    {
        return false;
    }
    match *op {
        DiffOp::Equal { .. } => false,
        _ if at_edge => {
            // A word replaced by a word at the edge ("environmentalist" → "environmentalists")
            // is a change; an excerpt cut at a different point is not.
            let (old, new) = (op.old_range(), op.new_range());
            old.len() == new.len() && !same_spelling(&x.surface[old], &y.surface[new])
        }
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => {
            !left_out(y, new_index, x, old_index, old_len) && !all_editorial(x, old_index, old_len)
        }
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => {
            !left_out(x, old_index, y, new_index, new_len) && !all_editorial(y, new_index, new_len)
        }
        DiffOp::Replace { .. } => {
            let (old, new) = (op.old_range(), op.new_range());
            // Words that replace an elision: the shorter side cut the passage there.
            let (short, range) = if old.len() <= new.len() {
                (x, old.clone())
            } else {
                (y, new.clone())
            };
            let elided = short.gaps[range.start] || short.gaps[range.end];
            let (from, to) = (&x.surface[old], &y.surface[new]);
            let respelt = same_spelling(from, to) || (all_capitalised(from) && all_capitalised(to));
            !(elided || respelt)
        }
    }
}

/// True when the `len` words of `longer` from `start` are missing from `shorter` at `at`
/// because `shorter` leaves them out: it marks an elision there, or it ends a sentence there
/// and the words do not merely open the next sentence. An "Oh," opening the sentence after
/// a sentence end is a word added, not a sentence left out.
fn left_out(shorter: &Item<'_>, at: usize, longer: &Item<'_>, start: usize, len: usize) -> bool {
    let opens_next_sentence = longer.gaps[start] && !longer.gaps[start + len];
    shorter.elisions[at] || (shorter.gaps[at] && !opens_next_sentence)
}

/// True when a quotation is a whole paragraph of its own, quotation marks and all, with no
/// words around it (a crosshead).
fn is_own_paragraph(text: &str, content: Span) -> bool {
    let is_mark = |c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | ',' | '.');
    let before = text.get(..content.start).unwrap_or("");
    let after = text.get(content.end..).unwrap_or("");
    let before = before.trim_end_matches(is_mark);
    let after = after.trim_start_matches(is_mark);
    (before.is_empty() || before.ends_with('\n')) && (after.is_empty() || after.starts_with('\n'))
}

/// Two forms of one word ("supported" / "support", "ending" / "end"): a shared beginning of at
/// least four letters that covers most of the shorter form.
fn same_stem(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let common = a.chars().zip(b.chars()).take_while(|(p, q)| p == q).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4 && common * 10 >= shorter * 7
}

/// True when the `len` words from `start` were all put in brackets by an editor.
fn all_editorial(item: &Item<'_>, start: usize, len: usize) -> bool {
    item.editorial
        .get(start..start + len)
        .is_some_and(|words| words.iter().all(|&e| e))
}

/// Names are respelt by editors and transliterated differently ("Muammar al-Qaddafi" /
/// "Moammar Gadhafi", "Gen." / "General"); capitalised words replaced by capitalised words
/// are taken for the same name.
fn all_capitalised(words: &[String]) -> bool {
    !words.is_empty()
        && words.iter().all(|w| {
            w.split('-')
                .any(|part| part.chars().next().is_some_and(char::is_uppercase))
        })
}

/// True when two runs of words differ only in spacing, hyphenation, case or contraction.
fn same_spelling(a: &[String], b: &[String]) -> bool {
    let key = |words: &[String]| -> String {
        words
            .iter()
            .map(|w| expand_contraction(&w.to_lowercase().replace('’', "'")))
            .collect::<String>()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    key(a) == key(b)
}

/// "it's" → "it is", "don't" → "do not", "we'll" → "we will"; other words unchanged.
fn expand_contraction(word: &str) -> String {
    const IS: [&str; 9] = [
        "it", "that", "he", "she", "there", "what", "who", "here", "where",
    ];
    let irregular = match word {
        "won't" => Some("will not"),
        "can't" => Some("can not"),
        "shan't" => Some("shall not"),
        "let's" => Some("let us"),
        _ => None,
    };
    if let Some(full) = irregular {
        return full.to_string();
    }
    for (suffix, full) in [
        ("n't", " not"),
        ("'re", " are"),
        ("'ll", " will"),
        ("'ve", " have"),
        ("'m", " am"),
        ("'d", " would"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return format!("{stem}{full}");
        }
    }
    match word.strip_suffix("'s") {
        Some(stem) if IS.contains(&stem) => format!("{stem} is"),
        _ => word.to_string(),
    }
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
    cluster_links: &[&Link],
) -> ClaimGroup {
    let refs_of =
        |v: usize| -> Vec<ClaimRef> { variants[v].items.iter().map(|&i| items[i].r).collect() };
    // The reference version: the one most independent sources print, then the first seen.
    let mut ordered: Vec<usize> = cluster.to_vec();
    ordered.sort_by_cached_key(|&v| (std::cmp::Reverse(ctx.sources_of_refs(&refs_of(v))), v));
    let reference = ordered[0];
    let reference_item = rep(items, &variants[reference]);
    let claims: Vec<ClaimRef> = ordered.iter().flat_map(|&v| refs_of(v)).collect();
    let evidence: Vec<Span> = ordered
        .iter()
        .flat_map(|&v| variants[v].items.iter().map(|&i| items[i].quote.content))
        .collect();
    let altered: Vec<&Link> = cluster_links
        .iter()
        .copied()
        .filter(|l| l.kind == LinkKind::Altered)
        .collect();
    let touched: HashSet<usize> = altered.iter().flat_map(|l| [l.a, l.b]).collect();
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
    // The group carries the speaker most independent sources give (the first on a tie), so
    // that one outlet's misattribution does not label everyone's quote.
    let speaker_label = speakers
        .iter()
        .rev()
        .max_by_key(|(_, refs)| ctx.sources_of_refs(refs))
        .map(|(label, _)| label.clone())
        .or_else(|| {
            ordered
                .iter()
                .find_map(|&v| rep(items, &variants[v]).speaker_label.clone())
        });
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
                    && touched.contains(&v)
                    && rep(items, &variants[v]).words != reference_item.words
            })
            .flat_map(|&v| refs_of(v))
            .collect();
        // Each change once, however many versions make it.
        let mut seen = HashSet::new();
        let changes: Vec<String> = diffs
            .iter()
            .flat_map(|d| changes(&d.segments))
            .filter(|c| seen.insert(c.clone()))
            .take(MAX_CHANGES_NAMED)
            .collect();
        explanation.push_str(&format!(
            "; altered in {}: {}",
            ctx.outlets(&altered_refs),
            changes.join(", ")
        ));
        Verdict::QuoteAltered
    };
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
        confidence: match verdict {
            Verdict::QuoteAltered => {
                confidence::altered_quote(diffs.iter().map(|d| d.segments.as_slice()))
            }
            _ => confidence::FINDING,
        },
        diffs,
        story: Some(ctx.story.id),
    }
}

/// One quote's versions given to different people, or to different documents, by different
/// sources: a **SpeakerConflict** of its own, beside the group about the wording. A person and
/// a document are not rivals (a person may write or speak for a document), nor are
/// organisations (an outlet's or agency's name near a quote is more often its source than its
/// speaker). A phrase shorter than a clause ("fake news", a show's name) is said by many, and
/// an outlet that gives the words to both speakers has no conflict with itself.
fn speaker_conflict(
    ctx: &StoryContext<'_>,
    items: &[Item<'_>],
    variants: &[Variant],
    cluster: &[usize],
) -> Option<ClaimGroup> {
    let is_person = |item: &Item<'_>| match &item.quote.speaker {
        Some(Speaker::Entity { entity, .. }) => ctx
            .article(item.r.doc)
            .and_then(|a| a.entities.get(*entity))
            .is_some_and(|e| e.kind == EntityKind::Person),
        _ => false,
    };
    let mut speakers: Vec<(&SpeakerKey, &str, Vec<&Item<'_>>)> = Vec::new();
    for &v in cluster {
        for &i in &variants[v].items {
            let item = &items[i];
            let (Some(key), Some(label)) = (&item.speaker, &item.speaker_label) else {
                continue;
            };
            let rival = match key {
                SpeakerKey::Document(_) => true,
                SpeakerKey::Entity(_) => is_person(item),
            };
            if !rival || item.words.len() < MIN_OVERLAP_WORDS {
                continue;
            }
            match speakers.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, said)) => said.push(item),
                None => speakers.push((key, label, vec![item])),
            }
        }
    }
    let count = |document: bool| {
        speakers
            .iter()
            .filter(|(k, _, _)| matches!(k, SpeakerKey::Document(_)) == document)
            .count()
    };
    if count(false) < 2 && count(true) < 2 {
        return None;
    }
    let refs: Vec<ClaimRef> = speakers
        .iter()
        .flat_map(|(_, _, said)| said.iter().map(|i| i.r))
        .collect();
    let sources = ctx.sources_of_refs(&refs);
    let mut sides: HashMap<DocId, usize> = HashMap::new();
    for (_, _, said) in &speakers {
        let own: BTreeSet<DocId> = said.iter().map(|i| ctx.source_of(i.r.doc)).collect();
        for source in own {
            *sides.entry(source).or_default() += 1;
        }
    }
    if sources < 2 || sides.values().any(|&n| n > 1) {
        return None;
    }
    let described = speakers
        .iter()
        .map(|(_, label, said)| {
            let refs: Vec<ClaimRef> = said.iter().map(|i| i.r).collect();
            format!("{label} ({})", ctx.outlets(&refs))
        })
        .collect::<Vec<_>>()
        .join(" vs ");
    let first = speakers.first()?.2.first()?;
    let mut evidence = Vec::new();
    for (_, _, said) in &speakers {
        for item in said {
            evidence.push(item.quote.content);
            if let Some(span) = item.quote.speaker.as_ref().map(Speaker::span)
                && ctx.is_valid(span, item.r.doc)
            {
                evidence.push(span);
            }
        }
    }
    Some(ClaimGroup {
        topic: Topic::Quote { speaker: None },
        verdict: Verdict::SpeakerConflict,
        explanation: format!("{} is attributed to {described}", quoted(&first.surface)),
        claims: refs,
        evidence,
        diffs: Vec::new(),
        independent_sources: sources,
        story: Some(ctx.story.id),
        confidence: confidence::SPEAKERS,
    })
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

/// Quotes one article flags as a paraphrase (one passage, same speaker), with the speaker's
/// most widely printed version elsewhere.
fn marked_group(
    ctx: &StoryContext<'_>,
    passage: &[&Item<'_>],
    elsewhere: &[&Item<'_>],
) -> Option<ClaimGroup> {
    let first = passage.first()?;
    let mut claims = Vec::new();
    let mut evidence = Vec::new();
    let mut cue = None;
    for item in passage {
        claims.push(item.r);
        evidence.push(item.quote.content);
        if let Some(c) = item.quote.cue.filter(|&c| ctx.is_valid(c, item.r.doc)) {
            if !evidence.contains(&c) {
                evidence.push(c);
            }
            cue = cue.or(Some(c));
        }
    }
    let cue = cue
        .map(|c| format!(" (“{}”)", ctx.written(c)))
        .unwrap_or_default();
    let (more, them) = match passage.len() {
        1 => (String::new(), "it"),
        2 => (" and one more passage".to_string(), "them"),
        n => (format!(" and {} more passages", n - 1), "them"),
    };
    let mut explanation = format!(
        "{} prints {}{more} in quotation marks but flags {them} as a paraphrase{cue}",
        ctx.label(first.r.doc),
        quoted(&first.surface)
    );
    if let (Some(version), Some(label)) = (elsewhere.first(), &first.speaker_label) {
        let refs: Vec<ClaimRef> = elsewhere.iter().map(|i| i.r).collect();
        explanation.push_str(&format!(
            "; {} quote {label} as {}",
            ctx.outlets(&refs),
            quoted(&version.surface)
        ));
    }
    for item in elsewhere {
        claims.push(item.r);
        evidence.push(item.quote.content);
    }
    Some(ClaimGroup {
        topic: Topic::Quote {
            speaker: first.speaker_label.clone(),
        },
        verdict: Verdict::ParaphraseInQuotes,
        explanation,
        independent_sources: ctx.sources_of_refs(&claims),
        claims,
        evidence,
        diffs: Vec::new(),
        story: Some(ctx.story.id),
        confidence: confidence::SELF_FLAGGED_PARAPHRASE,
    })
}

/// The quotes of one story grouped into variants and clusters of linked variants.
struct Versions<'v, 'a> {
    items: &'v [Item<'a>],
    variants: &'v [Variant],
    clusters: &'v [Vec<usize>],
    variant_of_item: &'v [usize],
    cluster_of_variant: &'v [usize],
}

impl Versions<'_, '_> {
    /// Item indices of cluster `c`.
    fn cluster_item_indices(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        self.clusters
            .get(c)
            .into_iter()
            .flatten()
            .flat_map(|&v| self.variants[v].items.iter().copied())
    }

    /// The cluster of item `i`.
    fn cluster_of_item(&self, i: usize) -> usize {
        self.cluster_of_variant[self.variant_of_item[i]]
    }
}

/// One cluster holding a speaker's quotes.
struct ClusterSummary {
    cluster: usize,
    /// Its independent sources.
    sources: HashSet<DocId>,
    /// Its first item from each source, at most [`MAX_REFERENCE_QUOTES`] + 1 of them.
    representatives: Vec<usize>,
}

/// The quotes of one speaker and the clusters they fall in, most widely printed first.
struct SpeakerVersions<'k> {
    key: &'k SpeakerKey,
    quotes: Vec<usize>,
    clusters: Vec<ClusterSummary>,
}

impl<'k> SpeakerVersions<'k> {
    fn new(
        ctx: &StoryContext<'_>,
        versions: &Versions<'_, '_>,
        key: &'k SpeakerKey,
        quotes: Vec<usize>,
    ) -> Self {
        let mut seen = HashSet::new();
        let mut clusters: Vec<ClusterSummary> = quotes
            .iter()
            .map(|&i| versions.cluster_of_item(i))
            .filter(|&c| seen.insert(c))
            .map(|cluster| {
                let mut sources = HashSet::new();
                let mut representatives = Vec::new();
                for i in versions.cluster_item_indices(cluster) {
                    if sources.insert(ctx.source_of(versions.items[i].r.doc))
                        && representatives.len() <= MAX_REFERENCE_QUOTES
                    {
                        representatives.push(i);
                    }
                }
                ClusterSummary {
                    cluster,
                    sources,
                    representatives,
                }
            })
            .collect();
        clusters.sort_by(|a, b| {
            b.sources
                .len()
                .cmp(&a.sources.len())
                .then(a.cluster.cmp(&b.cluster))
        });
        Self {
            key,
            quotes,
            clusters,
        }
    }

    /// Up to [`MAX_REFERENCE_QUOTES`] items of `clusters`, one per independent source, none
    /// from the source of `doc`: the versions a paraphrase is set against.
    fn representatives<'s>(
        &self,
        ctx: &StoryContext<'_>,
        versions: &Versions<'_, '_>,
        clusters: impl Iterator<Item = &'s ClusterSummary>,
        doc: DocId,
    ) -> Vec<usize> {
        let mut seen: HashSet<DocId> = HashSet::from([ctx.source_of(doc)]);
        let mut out = Vec::new();
        for summary in clusters {
            for &i in &summary.representatives {
                let source = ctx.source_of(versions.items[i].r.doc);
                if out.len() < MAX_REFERENCE_QUOTES && seen.insert(source) {
                    out.push(i);
                }
            }
        }
        out
    }
}

/// Articles whose every quotation of a speaker shares no words with the version at least two
/// other independent sources print (see the module documentation).
fn unmatched_quotes(
    ctx: &StoryContext<'_>,
    versions: &Versions<'_, '_>,
    speaker: &SpeakerVersions<'_>,
    marked_docs: &HashSet<DocId>,
    out: &mut Vec<ClaimGroup>,
) {
    let agreed: Vec<&ClusterSummary> = speaker
        .clusters
        .iter()
        .filter(|c| c.sources.len() >= 2)
        .collect();
    let Some(first_agreed) = agreed.first() else {
        return;
    };
    let agreed_sources: HashSet<DocId> = agreed
        .iter()
        .flat_map(|c| c.sources.iter().copied())
        .collect();
    let sources_of_cluster: HashMap<usize, &HashSet<DocId>> = speaker
        .clusters
        .iter()
        .map(|c| (c.cluster, &c.sources))
        .collect();
    let mut by_doc: Vec<(DocId, Vec<usize>)> = Vec::new();
    let mut position: HashMap<DocId, usize> = HashMap::new();
    for &i in &speaker.quotes {
        let doc = versions.items[i].r.doc;
        match position.get(&doc) {
            Some(&p) => by_doc[p].1.push(i),
            None => {
                position.insert(doc, by_doc.len());
                by_doc.push((doc, vec![i]));
            }
        }
    }
    for (doc, doc_quotes) in by_doc {
        let source = ctx.source_of(doc);
        let matched = doc_quotes.iter().any(|&i| {
            sources_of_cluster
                .get(&versions.cluster_of_item(i))
                .is_some_and(|s| s.len() >= 2 || !s.contains(&source))
        });
        let others = agreed_sources.len() - usize::from(agreed_sources.contains(&source));
        if matched || others < 2 || marked_docs.contains(&doc) {
            continue;
        }
        let first = &versions.items[doc_quotes[0]];
        let label = first
            .speaker_label
            .clone()
            .unwrap_or_else(|| match speaker.key {
                SpeakerKey::Entity(k) | SpeakerKey::Document(k) => k.clone(),
            });
        let reference = first_agreed
            .representatives
            .first()
            .map(|&i| quoted(&versions.items[i].surface))
            .unwrap_or_default();
        let elsewhere = speaker.representatives(ctx, versions, agreed.iter().copied(), doc);
        let elsewhere_refs: Vec<ClaimRef> =
            elsewhere.iter().map(|&i| versions.items[i].r).collect();
        let explanation = format!(
            "{} attributes {} to {label}, but its wording matches none of {label} as {} quote it ({reference})",
            ctx.label(doc),
            quoted(&first.surface),
            ctx.outlets(&elsewhere_refs),
        );
        let members: Vec<&Item<'_>> = doc_quotes
            .iter()
            .chain(&elsewhere)
            .map(|&i| &versions.items[i])
            .collect();
        let claims: Vec<ClaimRef> = members.iter().map(|i| i.r).collect();
        out.push(ClaimGroup {
            topic: Topic::Quote {
                speaker: Some(label),
            },
            verdict: Verdict::ParaphraseInQuotes,
            explanation,
            independent_sources: ctx.sources_of_refs(&claims),
            claims,
            evidence: members.iter().map(|i| i.quote.content).collect(),
            diffs: Vec::new(),
            story: Some(ctx.story.id),
            confidence: confidence::UNMATCHED_WORDING,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_quotes_and_punctuation() {
        let words = Words::of("“It’s our — considered opinion,” he");
        assert_eq!(words.normal, ["its", "our", "considered", "opinion", "he"]);
        assert_eq!(
            words.surface,
            ["It’s", "our", "considered", "opinion", "he"]
        );
        let elided = Words::of("a project...we’re just . . . students…");
        assert_eq!(elided.normal, ["a", "project", "were", "just", "students"]);
        assert_eq!(elided.gaps, [false, false, true, false, true, true]);
        let edited = Words::of("these (local) supervisors. [John Boehner] agreed");
        assert_eq!(edited.editorial, [false, true, false, true, true, false]);
        assert_eq!(
            edited.gaps,
            [false, false, false, true, false, false, false]
        );
    }

    #[test]
    fn spelling_contractions_and_hyphens_are_not_changes() {
        let w = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
        assert!(same_spelling(&w("workforce"), &w("work force")));
        assert!(same_spelling(&w("state-funded"), &w("state funded")));
        assert!(same_spelling(&w("It's"), &w("it is")));
        assert!(same_spelling(&w("don’t"), &w("do not")));
        assert!(!same_spelling(&w("destructive to"), &w("destructive of")));
        assert!(all_capitalised(&w("Muammar al-Qaddafi")));
        assert!(same_stem("supported", "support"));
        assert!(!same_stem("destructive", "constructive"));
        assert!(!same_stem("at", "in"));
        assert!(!all_capitalised(&w("the Qaddafi")));
        assert!(all_capitalised(&w("Moammar Gadhafi")));
    }

    #[test]
    fn changes_pair_replacements() {
        let segs = vec![
            DiffSegment::Equal("it is our".into()),
            DiffSegment::Delete("considered opinion".into()),
            DiffSegment::Insert("firm view".into()),
            DiffSegment::Insert("now".into()),
        ];
        assert_eq!(
            changes(&segs),
            ["\"considered opinion\" → \"firm view\"", "+\"now\""]
        );
    }
}
