//! Linking "person holds office" claims of an article to knowledge-base rows.
//!
//! The claims stage reads every assertion; this module reads no text. It links:
//!
//! * office-holder claims ("Defense Minister Yoav Gallant"), through the person's entity;
//! * implied office claims, which only the knowledge base can confirm: a title before a name
//!   or in apposition read loosely ("U.S. President Donald Trump"), "the Biden administration
//!   has …" or "his administration has …" (the person is president now), and "the former
//!   president" — each through the first of its candidate people whom the knowledge base
//!   knows as a holder of one of its offices.
//!
//! Each assertion is linked to the rows of that person and office, which give the days on
//! which it was true ([`OfficeAssertion::truth`]); a claim whose sentence anchors itself in a
//! stated time ("in 2023", "then-") is marked historical by the claims stage.

use crate::date::{DayRange, merge_ranges};
use crate::{Holding, KnowledgeBase};
use chrono::NaiveDate;
use corroborate_model::{
    AnalyzedArticle, ClaimKind, ImpliedBy, Mention, Office, Span, Tenure, TextRange,
};

/// How an assertion was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// An office-holder claim.
    Claim,
    /// An implied office claim, confirmed by the knowledge base.
    Implied(ImpliedBy),
}

/// One "person holds (or held) office" assertion, linked to the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeAssertion {
    /// The office-holder or implied office claim it comes from (index into the article's
    /// claims).
    pub claim: usize,
    /// The holder's name as the knowledge base writes it.
    pub holder: String,
    /// The office, as the knowledge base normalises it.
    pub office: Office,
    /// Whether the office is asserted as held now or formerly.
    pub tenure: Tenure,
    /// The words that assert the office ("Defense Minister", "his administration").
    pub cue: Span,
    /// Where the person is named, when named.
    pub person: Option<Span>,
    /// The sentence.
    pub sentence: Span,
    /// How it was found.
    pub basis: Basis,
    /// The sentence anchors itself in a stated time ("in 2023", "then-"), so the assertion is
    /// about that time, not the article's.
    pub historical: bool,
    /// The days on which the assertion was (possibly) true, sorted and merged.
    pub truth: Vec<DayRange>,
    /// The knowledge-base rows it rests on, as "file:line".
    pub rows: Vec<String>,
    /// The rows' sources.
    pub sources: Vec<String>,
}

/// The nlp stage's sentence around byte `pos`; between sentences, the empty range at `pos`
/// (so a window "from the sentence before" does not reach over a paragraph break); the whole
/// text when the article has no sentences.
pub(crate) fn sentence_at(article: &AnalyzedArticle, pos: usize) -> TextRange {
    let sentences = &article.sentences;
    if sentences.is_empty() {
        return TextRange::new(0, article.article.text.len());
    }
    let i = sentences.partition_point(|s| s.end <= pos);
    match sentences.get(i) {
        Some(s) if s.start <= pos => *s,
        _ => TextRange::new(pos, pos),
    }
}

/// When `tenure` of `rows` (one person, one office) was possibly true.
fn truth_of(rows: &[&Holding], tenure: Tenure) -> Vec<DayRange> {
    match tenure {
        Tenure::Current => merge_ranges(rows.iter().map(|h| h.possible_tenure()).collect()),
        Tenure::Former => {
            // Possibly former: after the earliest possible end of a tenure, except on days
            // the person was certainly in office.
            let first_end = rows
                .iter()
                .filter_map(|h| match h.to {
                    Some(t) => Some(t.earliest),
                    None => h.known_until.and_then(|d| d.succ_opt()),
                })
                .min();
            let Some(first_end) = first_end else {
                return Vec::new();
            };
            let certain: Vec<DayRange> = merge_ranges(
                rows.iter()
                    .filter_map(|h| {
                        let from = h.from.latest;
                        let to = match h.to {
                            Some(t) => t.earliest.pred_opt()?,
                            None => h.known_until.unwrap_or(NaiveDate::MAX),
                        };
                        (from <= to).then_some(DayRange { from, to })
                    })
                    .collect(),
            );
            subtract(DayRange::new(Some(first_end), None), &certain)
        }
        Tenure::Unspecified => Vec::new(),
    }
}

fn subtract(range: DayRange, holes: &[DayRange]) -> Vec<DayRange> {
    let mut out = Vec::new();
    let mut from = range.from;
    for h in holes {
        if h.to < from || h.from > range.to {
            continue;
        }
        if h.from > from
            && let Some(end) = h.from.pred_opt()
        {
            out.push(DayRange {
                from,
                to: end.min(range.to),
            });
        }
        match h.to.succ_opt() {
            Some(next) => from = from.max(next),
            None => return out,
        }
    }
    if from <= range.to {
        out.push(DayRange { from, to: range.to });
    }
    out
}

struct Builder<'a> {
    kb: &'a KnowledgeBase,
    article: &'a AnalyzedArticle,
    out: Vec<OfficeAssertion>,
}

impl Builder<'_> {
    fn span(&self, r: TextRange) -> Span {
        Span::new(self.article.article.id, r)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        names: &[&str],
        offices: &[Office],
        tenure: Tenure,
        cue: TextRange,
        person: Option<TextRange>,
        basis: Basis,
        claim: usize,
        historical: bool,
    ) -> bool {
        let Some((office, holder, rows)) = offices.iter().find_map(|o| {
            self.kb
                .person_office(names, o)
                .map(|(h, rows)| (o, h, rows))
        }) else {
            return false;
        };
        let sentence = sentence_at(self.article, cue.start);
        let office = rows
            .first()
            .map(|h| h.office.clone())
            .unwrap_or_else(|| office.clone());
        let assertion = OfficeAssertion {
            claim,
            holder,
            office,
            tenure,
            cue: self.span(cue),
            person: person.map(|p| self.span(p)),
            sentence: self.span(sentence),
            basis,
            historical,
            truth: truth_of(&rows, tenure),
            rows: rows
                .iter()
                .map(|h| format!("{}:{}", h.file, h.line))
                .collect(),
            sources: {
                let mut s: Vec<String> = rows.iter().map(|h| h.source.clone()).collect();
                s.dedup();
                s
            },
        };
        self.out.push(assertion);
        true
    }

    fn covered(&self, person: TextRange) -> bool {
        self.out.iter().any(|a| {
            a.person
                .is_some_and(|p| p.start < person.end && person.start < p.end)
        })
    }
}

/// Every office assertion in `article` that the knowledge base can link: its office-holder
/// claims, then its implied office claims, each linked through the first of its people the
/// knowledge base knows as a holder of one of its offices; a person already linked by an
/// earlier assertion takes no looser title reading.
pub fn office_assertions(kb: &KnowledgeBase, article: &AnalyzedArticle) -> Vec<OfficeAssertion> {
    let mut b = Builder {
        kb,
        article,
        out: Vec::new(),
    };
    let doc = article.article.id;
    let names_of = |person: &Mention| -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        if let Some(entity) = article.entities.get(person.entity) {
            names.push(entity.canonical.as_str());
            names.extend(entity.aliases.iter().map(String::as_str));
        }
        let written = article.quote(person.span);
        if !written.is_empty() {
            names.push(written);
        }
        names
    };
    for (i, claim) in article.claims.iter().enumerate() {
        let ClaimKind::OfficeHolder(oh) = &claim.kind else {
            continue;
        };
        if oh.tenure == Tenure::Unspecified || oh.person_span.doc != doc {
            continue;
        }
        let person = Mention {
            entity: oh.person,
            span: oh.person_span,
        };
        b.push(
            &names_of(&person),
            std::slice::from_ref(&oh.office),
            oh.tenure,
            oh.office_span.range(),
            Some(oh.person_span.range()),
            Basis::Claim,
            i,
            oh.historical,
        );
    }
    for (i, claim) in article.claims.iter().enumerate() {
        let ClaimKind::ImpliedOffice(implied) = &claim.kind else {
            continue;
        };
        if implied.cue.doc != doc {
            continue;
        }
        let named = matches!(
            implied.implied_by,
            ImpliedBy::TitleBeforeName | ImpliedBy::Apposition
        );
        let people = implied
            .candidates
            .iter()
            .filter(|p| p.span.doc == doc)
            .map(|p| (names_of(p), p.span.range()));
        let written = implied
            .name
            .filter(|n| n.doc == doc)
            .map(|n| (vec![article.quote(n)], n.range()));
        for (names, person) in people.chain(written) {
            if named && b.covered(person) {
                continue;
            }
            let shown = (implied.implied_by != ImpliedBy::FormerTitle).then_some(person);
            if b.push(
                &names,
                &implied.offices,
                implied.tenure,
                implied.cue.range(),
                shown,
                Basis::Implied(implied.implied_by),
                i,
                implied.historical,
            ) {
                break;
            }
        }
    }
    b.out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use corroborate_model::{Article, SourceRef};

    /// An article through the nlp stage (sentences and entities), without claims.
    pub(crate) fn article(id: u32, text: &str) -> AnalyzedArticle {
        corroborate_nlp::analyze(Article {
            language: Some("en".into()),
            ..Article::from_text(id, SourceRef::file(format!("{id}.txt")), text)
        })
    }

    /// An article through the nlp and claims stages, as the pipeline hands it to the
    /// knowledge base.
    pub(crate) fn analysed(id: u32, text: &str) -> AnalyzedArticle {
        let mut a = article(id, text);
        a.claims = corroborate_claims::extract_claims(&a);
        a
    }

    fn found(text: &str) -> Vec<(String, String, Tenure, Basis, String)> {
        let kb = KnowledgeBase::starter();
        let a = analysed(0, text);
        office_assertions(&kb, &a)
            .into_iter()
            .map(|x| {
                (
                    x.holder,
                    x.office.title,
                    x.tenure,
                    x.basis,
                    a.quote(x.cue).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn titles_before_names_link_through_ranks_brackets_and_commas() {
        let halevi = found("IDF Chief of Staff, Lt. Gen. Herzi Halevi, inspected the depot.");
        assert_eq!(halevi.len(), 1, "{halevi:?}");
        let got = found(
            "Speaking first was IDF Chief of Staff Lt. Gen. Herzi Halevi. The Israel Defense Forces (IDF) Chief of Staff, Lt. Gen. Eyal Zamir, declined to comment. Reporters then asked U.S. President Donald Trump about it.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].1.as_str()),
            ("Herzi Halevi", "chief of staff")
        );
        assert_eq!(got[1].0, "Eyal Zamir");
        assert_eq!(got[1].4, "Israel Defense Forces (IDF) Chief of Staff");
        assert_eq!(
            (got[2].0.as_str(), got[2].1.as_str(), got[2].2),
            ("Donald Trump", "president", Tenure::Current)
        );
    }

    #[test]
    fn former_titles_appositions_and_army_chiefs_are_read() {
        let got = found(
            "Seated at the head table were Defense Minister Yoav Gallant, former IDF Chief Benny Gantz and two envoys. Later General Zamir met David Barnea, the chief of Israel’s Mossad intelligence agency, in Haifa.",
        );
        let summary: Vec<(&str, &str, Tenure)> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1.as_str(), g.2))
            .collect();
        assert_eq!(
            summary,
            [
                ("Yoav Gallant", "defense minister", Tenure::Current),
                ("Benny Gantz", "chief of staff", Tenure::Former),
                ("David Barnea", "intelligence chief", Tenure::Current),
            ]
        );
        assert_eq!(got[2].3, Basis::Claim);
    }

    #[test]
    fn administrations_count_only_in_the_present_tense() {
        let got = found(
            "Although Biden has quietly urged patience, his administration has declined to set a deadline.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].3, got[0].4.as_str()),
            (
                "Joe Biden",
                Basis::Implied(ImpliedBy::Administration),
                "his administration"
            )
        );
        assert!(found("Under the Biden administration has been a phrase.").is_empty());
        assert!(found("With quiet help from the Trump administration, he kept going.").is_empty());
        let named = found("The Biden administration is weighing sanctions.");
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].0, "Joe Biden");
        // Someone else of that name in the article: the name written in the phrase still links.
        let other = found("Hunter Biden spoke. The Biden administration is weighing sanctions.");
        assert_eq!(other.len(), 1, "{other:?}");
        assert_eq!(other[0].0, "Joe Biden");
        let opening = found("Biden has urged patience. His administration has set no deadline.");
        assert_eq!(opening.len(), 1, "{opening:?}");
        assert_eq!(opening[0].4, "His administration");
        let full = found("Critics say Joe Biden’s administration has failed.");
        assert_eq!(full.len(), 1, "{full:?}");
        assert_eq!(
            (full[0].0.as_str(), full[0].3),
            ("Joe Biden", Basis::Implied(ImpliedBy::Administration))
        );
    }

    #[test]
    fn the_former_president_resolves_to_the_nearest_holder() {
        let got = found(
            "Donald Trump has taken credit for the deal. Still, analysts say the former president’s friendship with Netanyahu counts.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].2, got[0].3),
            (
                "Donald Trump",
                Tenure::Former,
                Basis::Implied(ImpliedBy::FormerTitle)
            )
        );
    }

    #[test]
    fn truth_windows_for_current_and_former_tenures() {
        let kb = KnowledgeBase::starter();
        let a = analysed(
            0,
            "Defense Minister Yoav Gallant spoke. Former President Joe Biden spoke. President Donald Trump spoke.",
        );
        let got = office_assertions(&kb, &a);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].truth.len(), 1);
        assert_eq!(got[0].truth[0].to_string(), "2022-12-29 – 2024-11-05");
        assert_eq!(got[1].truth[0].to_string(), "from 2025-01-20");
        let trump: Vec<String> = got[2].truth.iter().map(|r| r.to_string()).collect();
        assert_eq!(trump, ["2017-01-20 – 2021-01-20", "from 2025-01-20"]);
        assert!(got[0].sources[0].contains("Gallant"));
    }

    #[test]
    fn historical_sentences_are_marked() {
        let kb = KnowledgeBase::starter();
        let a = analysed(
            0,
            "In 2023, Defense Minister Yoav Gallant ordered a siege. Then-Defense Minister Benny Gantz agreed.",
        );
        let got = office_assertions(&kb, &a);
        assert!(got.iter().all(|x| x.historical), "{got:?}");
    }

    #[test]
    fn names_link_through_possessives_and_curly_apostrophes() {
        let got = found(
            "Foreign Minister Gideon Sa’ar spoke first. Aides to Prime Minister Netanyahu’s office said the Netanyahu government is united.",
        );
        let holders: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(holders, ["Gideon Sa'ar", "Benjamin Netanyahu"], "{got:?}");
    }

    #[test]
    fn unknown_people_and_non_titles_are_ignored() {
        assert!(found("Dalia Rosen, president of the Israel Rowing Federation, spoke.").is_empty());
        assert!(found("Trump’s Role Under Scrutiny. Netanyahu’s plan stands.").is_empty());
        assert!(found("").is_empty());
    }
}
