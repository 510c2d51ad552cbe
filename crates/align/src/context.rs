//! One story as the aligners see it: its member articles, readable outlet labels, and which
//! articles are copies of each other (so that copies count as one source).

use corroborate_model::{AnalyzedArticle, Claim, ClaimRef, DocId, Span, Story};
use corroborate_nlp::name_key;
use std::collections::{HashMap, HashSet};

/// Longest outlet label before it is shortened (titles can be long).
const MAX_LABEL_CHARS: usize = 48;
/// Most outlets named in one explanation.
const MAX_OUTLETS_LISTED: usize = 8;

/// A story with lookups shared by the quantity, office and quote aligners.
pub(crate) struct StoryContext<'a> {
    /// The story.
    pub(crate) story: &'a Story,
    articles: &'a [AnalyzedArticle],
    /// Member articles that exist, in story order, without repeats.
    docs: Vec<DocId>,
    /// Article → representative of its near-duplicate component.
    component: HashMap<DocId, DocId>,
    /// Article → outlet label, unique within the story.
    labels: HashMap<DocId, String>,
    /// Independent sources in the whole story.
    story_sources: usize,
}

impl<'a> StoryContext<'a> {
    /// Prepares `story`; member ids that name no article are ignored. Labels number articles
    /// by `run_id` (see [`crate::align_in_run`]).
    pub(crate) fn new(
        articles: &'a [AnalyzedArticle],
        story: &'a Story,
        run_id: &dyn Fn(DocId) -> DocId,
    ) -> Self {
        let mut docs = Vec::with_capacity(story.docs.len());
        let mut seen = HashSet::new();
        for &doc in &story.docs {
            if (doc as usize) < articles.len() && seen.insert(doc) {
                docs.push(doc);
            }
        }
        let component = components(&docs, story);
        let labels = labels(articles, &docs, run_id);
        let mut roots: Vec<DocId> = component.values().copied().collect();
        roots.sort_unstable();
        roots.dedup();
        Self {
            story,
            articles,
            docs,
            component,
            labels,
            story_sources: roots.len(),
        }
    }

    /// The article `doc`, if it exists.
    /// The member articles, in story order.
    pub(crate) fn docs(&self) -> &[DocId] {
        &self.docs
    }

    pub(crate) fn article(&self, doc: DocId) -> Option<&'a AnalyzedArticle> {
        self.articles.get(doc as usize)
    }

    /// Every claim of the story's articles with its reference.
    pub(crate) fn claims(&self) -> impl Iterator<Item = (ClaimRef, &'a Claim)> + '_ {
        self.docs
            .iter()
            .filter_map(|&doc| self.article(doc))
            .flat_map(|a| {
                let doc = a.article.id;
                a.claims
                    .iter()
                    .enumerate()
                    .map(move |(claim, c)| (ClaimRef { doc, claim }, c))
            })
    }

    /// The text of `span`, or "" when it is invalid.
    pub(crate) fn text(&self, span: Span) -> &'a str {
        self.article(span.doc).map(|a| a.quote(span)).unwrap_or("")
    }

    /// True when `span` lies in article `doc` on character boundaries: claims whose evidence
    /// cannot be quoted are not aligned.
    pub(crate) fn is_valid(&self, span: Span, doc: DocId) -> bool {
        span.doc == doc
            && self
                .article(doc)
                .is_some_and(|a| span.slice(&a.article.text).is_some())
    }

    /// The text of `span` with whitespace collapsed, for explanations.
    pub(crate) fn written(&self, span: Span) -> String {
        self.text(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The outlet label of `doc`.
    pub(crate) fn label(&self, doc: DocId) -> &str {
        self.labels.get(&doc).map(String::as_str).unwrap_or("?")
    }

    /// Labels of the articles behind `refs`, in order of first appearance: "A, C". Long lists
    /// end with "and N more" so an explanation stays one readable line.
    pub(crate) fn outlets(&self, refs: &[ClaimRef]) -> String {
        let mut seen = HashSet::new();
        let docs: Vec<DocId> = refs
            .iter()
            .map(|r| r.doc)
            .filter(|&d| seen.insert(d))
            .collect();
        let mut list = docs
            .iter()
            .take(MAX_OUTLETS_LISTED)
            .map(|&d| self.label(d))
            .collect::<Vec<_>>()
            .join(", ");
        if docs.len() > MAX_OUTLETS_LISTED {
            list.push_str(&format!(" and {} more", docs.len() - MAX_OUTLETS_LISTED));
        }
        list
    }

    /// Independent sources among `docs`: near-duplicate copies count once.
    pub(crate) fn independent_sources(&self, docs: impl IntoIterator<Item = DocId>) -> usize {
        let mut roots: Vec<DocId> = docs.into_iter().map(|d| self.source_of(d)).collect();
        roots.sort_unstable();
        roots.dedup();
        roots.len()
    }

    /// Independent sources behind `refs`.
    pub(crate) fn sources_of_refs(&self, refs: &[ClaimRef]) -> usize {
        self.independent_sources(refs.iter().map(|r| r.doc))
    }

    /// The representative article of `doc`'s near-duplicate component.
    pub(crate) fn source_of(&self, doc: DocId) -> DocId {
        self.component.get(&doc).copied().unwrap_or(doc)
    }

    /// Independent sources in the whole story.
    pub(crate) fn story_sources(&self) -> usize {
        self.story_sources
    }
}

/// Connected components of the near-duplicate graph (union–find with path halving; a few
/// lines, so written here rather than pulling in a graph crate).
fn components(docs: &[DocId], story: &Story) -> HashMap<DocId, DocId> {
    let index: HashMap<DocId, usize> = docs.iter().enumerate().map(|(i, &d)| (d, i)).collect();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for pair in &story.near_duplicates {
        if let (Some(&a), Some(&b)) = (index.get(&pair.a), index.get(&pair.b)) {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            // The smaller index becomes the root, so the representative is the first member.
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    (0..docs.len())
        .map(|i| (docs[i], docs[find(&mut parent, i)]))
        .collect()
}

/// Outlet labels: outlet, else title, else the file name; repeated labels get the article's
/// run id.
fn labels(
    articles: &[AnalyzedArticle],
    docs: &[DocId],
    run_id: &dyn Fn(DocId) -> DocId,
) -> HashMap<DocId, String> {
    let base: Vec<(DocId, String)> = docs
        .iter()
        .filter_map(|&d| articles.get(d as usize).map(|a| (d, base_label(a, run_id))))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (_, label) in &base {
        *counts.entry(label.as_str()).or_default() += 1;
    }
    base.iter()
        .map(|(d, label)| {
            let unique = counts.get(label.as_str()).copied().unwrap_or(0) <= 1;
            let label = if unique {
                label.clone()
            } else {
                format!("{label} #{}", run_id(*d))
            };
            (*d, label)
        })
        .collect()
}

fn base_label(a: &AnalyzedArticle, run_id: &dyn Fn(DocId) -> DocId) -> String {
    let label = a.article.label();
    if label.is_empty() {
        format!("article {}", run_id(a.article.id))
    } else {
        shorten(&label, MAX_LABEL_CHARS)
    }
}

/// Name suffixes that follow a surname ("Joseph R. Biden Jr.", "Eric H. Holder Jr.").
const NAME_SUFFIXES: [&str; 7] = ["jr", "sr", "ii", "iii", "iv", "esq", "phd"];

/// The comparison key of a person: the last word of the name's [`name_key`] that is not a
/// suffix ("Jr.", "III"), without a possessive, so "Joseph R. Biden Jr." and "Biden’s" meet.
pub(crate) fn person_key(name: &str) -> String {
    let key = name_key(name);
    key.split(' ')
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
            w.strip_suffix("'s")
                .unwrap_or(w)
                .trim_matches(|c: char| !c.is_alphanumeric())
        })
        .rfind(|w| w.chars().any(char::is_alphabetic) && !NAME_SUFFIXES.contains(w))
        .unwrap_or("")
        .to_string()
}

/// `text` cut to at most `max` characters (on a character boundary), with "…" when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text).trim_end()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_ignore_possessives_and_punctuation() {
        assert_eq!(person_key("Lt. Gen. Eyal Zamir"), "zamir");
        assert_eq!(person_key("Netanyahu’s"), "netanyahu");
        assert_eq!(person_key("Joseph R. Biden Jr."), "biden");
        assert_eq!(person_key("Eric H. Holder, Jr."), "holder");
        assert_eq!(person_key("  "), "");
        assert_eq!(person_key("Itamar Ben-Gvir"), person_key("Ben Gvir"));
        assert_eq!(person_key("Felipe Calderón"), "calderon");
    }
}
