//! Knowledge-base verdicts: stale office claims, self-contradicting articles and articles
//! whose dating conflicts with their story's.
//!
//! * **Stale**: an office assertion (current or former) that was true on no day of the
//!   article's own dating (date line, relative phrases), or, when the article has none, on no
//!   day of its story's dating. Sentences that state their own time ("in 2023", "then-") are
//!   about that time and are never stale.
//! * **Internally inconsistent**: one article calls the same person the holder and the former
//!   holder of the same office.
//! * **Dating conflict**: an article's own dating (or, lacking one, the window in which all its
//!   office holders were in office together) shares no day with its story's dating.

use crate::KnowledgeBase;
use crate::date::{DayRange, intersect_sets};
use crate::dating::{own_evidence, story_range, strong_with_spans};
use crate::link::{OfficeAssertion, office_assertions};
use corroborate_model::{
    AnalyzedArticle, ClaimGroup, ClaimRef, DatingEvidence, DocId, Span, Story, Tenure, Topic,
    Verdict,
};
use std::collections::HashMap;

// Confidence (see `ClaimGroup::confidence`): how likely a reader checking the evidence finds
// the verdict right. A stale holder rests on the article's own words and a dated knowledge-base
// entry; a self-contradiction on two phrases of one article; a dating conflict on an inferred
// date, the weakest of the three.
const STALE_CONFIDENCE: f32 = 0.75;
const INCONSISTENT_CONFIDENCE: f32 = 0.7;
const DATING_CONFIDENCE: f32 = 0.55;

/// Stale, internally inconsistent and dating-conflict verdicts.
pub fn kb_verdicts(
    kb: &KnowledgeBase,
    articles: &[AnalyzedArticle],
    stories: &[Story],
) -> Vec<ClaimGroup> {
    let assertions: Vec<Vec<OfficeAssertion>> =
        articles.iter().map(|a| office_assertions(kb, a)).collect();
    verdicts_with(kb, articles, stories, &assertions)
}

/// Dates the articles and returns the knowledge-base verdicts in one pass: the same result as
/// [`crate::date_articles`] followed by [`kb_verdicts`], finding each article's office
/// assertions once instead of twice.
pub fn date_and_judge(
    kb: &KnowledgeBase,
    articles: &mut [AnalyzedArticle],
    stories: &[Story],
) -> Vec<ClaimGroup> {
    let assertions: Vec<Vec<OfficeAssertion>> =
        articles.iter().map(|a| office_assertions(kb, a)).collect();
    crate::dating::date_with(kb, articles, stories, &assertions);
    verdicts_with(kb, articles, stories, &assertions)
}

fn verdicts_with(
    kb: &KnowledgeBase,
    articles: &[AnalyzedArticle],
    stories: &[Story],
    assertions: &[Vec<OfficeAssertion>],
) -> Vec<ClaimGroup> {
    let evidence: Vec<Vec<DatingEvidence>> = articles
        .iter()
        .zip(assertions)
        .map(|(a, xs)| match &a.dating {
            Some(d) => d.evidence.clone(),
            None => own_evidence(kb, a, xs),
        })
        .collect();
    let strong: HashMap<DocId, (DayRange, Vec<Span>)> = articles
        .iter()
        .zip(&evidence)
        .filter_map(|(a, ev)| Some((a.article.id, strong_with_spans(ev)?)))
        .collect();
    let mut groups = Vec::new();
    for ((a, xs), ev) in articles.iter().zip(assertions).zip(&evidence) {
        let doc = a.article.id;
        let story_id = stories.iter().find(|s| s.docs.contains(&doc)).map(|s| s.id);
        let own = strong.get(&doc);
        let story = story_range(doc, stories, &strong);
        let reference = match (own, &story) {
            (Some((r, spans)), _) => Some((*r, spans.clone(), "this article is dated")),
            (None, Some((r, spans))) => Some((*r, spans.clone(), "its story is dated")),
            (None, None) => None,
        };
        if let Some((range, spans, label)) = &reference {
            groups.extend(stale(a, xs, *range, spans, label, story_id));
        }
        groups.extend(inconsistent(a, xs, story_id));
        if let Some((story_dates, story_spans)) = &story {
            groups.extend(dating_conflict(
                a,
                xs,
                ev,
                own,
                *story_dates,
                story_spans,
                story_id,
            ));
        }
    }
    groups
}

fn checkable(x: &OfficeAssertion) -> bool {
    !x.historical && x.tenure != Tenure::Unspecified && !x.truth.is_empty()
}

fn truth_text(x: &OfficeAssertion) -> String {
    let ranges: Vec<String> = x.truth.iter().map(ToString::to_string).collect();
    ranges.join(" and ")
}

fn office_text(x: &OfficeAssertion) -> String {
    let former = if x.tenure == Tenure::Former {
        "a former "
    } else {
        ""
    };
    match &x.office.org {
        Some(org) => format!("{former}{} ({org})", x.office.title),
        None => format!("{former}{}", x.office.title),
    }
}

fn claim_refs(a: &AnalyzedArticle, xs: &[&OfficeAssertion]) -> Vec<ClaimRef> {
    let mut refs: Vec<ClaimRef> = xs
        .iter()
        .map(|x| ClaimRef {
            doc: a.article.id,
            claim: x.claim,
        })
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

fn cue_spans(xs: &[&OfficeAssertion]) -> Vec<Span> {
    let mut spans = Vec::new();
    for x in xs {
        spans.push(x.cue);
        if let Some(p) = x.person
            && !(x.cue.start <= p.start && p.end <= x.cue.end)
        {
            spans.push(p);
        }
    }
    spans.sort();
    spans.dedup();
    spans
}

/// One person, office and tenure.
type Key = (String, corroborate_model::Office, Tenure);

fn stale(
    a: &AnalyzedArticle,
    xs: &[OfficeAssertion],
    reference: DayRange,
    reference_spans: &[Span],
    label: &str,
    story: Option<usize>,
) -> Vec<ClaimGroup> {
    // One group per person, office and tenure, however often the article repeats it.
    let mut by_key: Vec<(Key, Vec<&OfficeAssertion>)> = Vec::new();
    for x in xs.iter().filter(|x| checkable(x)) {
        if !intersect_sets(&x.truth, &[reference]).is_empty() {
            continue;
        }
        let key = (x.holder.clone(), x.office.clone(), x.tenure);
        match by_key.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(x),
            None => by_key.push((key, vec![x])),
        }
    }
    by_key
        .into_iter()
        .filter_map(|((holder, office, _), list)| {
            let first = list.first()?;
            let mut evidence = cue_spans(&list);
            evidence.extend(reference_spans.iter().take(3));
            Some(ClaimGroup {
                topic: Topic::Office { office },
                verdict: Verdict::Stale,
                explanation: format!(
                    "“{}”: {holder} was {} only {}, but {label} {reference} (knowledge base: {})",
                    a.quote(first.cue),
                    office_text(first),
                    truth_text(first),
                    first.sources.join("; ")
                ),
                claims: claim_refs(a, &list),
                evidence,
                diffs: Vec::new(),
                independent_sources: 1,
                story,
                confidence: STALE_CONFIDENCE,
            })
        })
        .collect()
}

fn inconsistent(
    a: &AnalyzedArticle,
    xs: &[OfficeAssertion],
    story: Option<usize>,
) -> Vec<ClaimGroup> {
    let mut out = Vec::new();
    let mut seen: Vec<(String, corroborate_model::Office)> = Vec::new();
    for current in xs
        .iter()
        .filter(|x| !x.historical && x.tenure == Tenure::Current)
    {
        let key = (current.holder.clone(), current.office.clone());
        if seen.contains(&key) {
            continue;
        }
        let former: Vec<&OfficeAssertion> = xs
            .iter()
            .filter(|x| {
                !x.historical
                    && x.tenure == Tenure::Former
                    && x.holder == current.holder
                    && x.office == current.office
            })
            .collect();
        let Some(first_former) = former.first() else {
            continue;
        };
        seen.push(key);
        let mut list = vec![current];
        list.extend(former.iter().copied());
        out.push(ClaimGroup {
            topic: Topic::Office {
                office: current.office.clone(),
            },
            verdict: Verdict::InternallyInconsistent,
            explanation: format!(
                "the article calls {} both “{}” and “{}”: {} cannot be the current and a former holder at once",
                current.holder,
                a.quote(current.cue),
                a.quote(first_former.cue),
                current.office.title
            ),
            claims: claim_refs(a, &list),
            evidence: cue_spans(&list),
            diffs: Vec::new(),
            independent_sources: 1,
            story,
            confidence: INCONSISTENT_CONFIDENCE,
        });
    }
    out
}

fn dating_conflict(
    a: &AnalyzedArticle,
    xs: &[OfficeAssertion],
    evidence: &[DatingEvidence],
    own: Option<&(DayRange, Vec<Span>)>,
    story_dates: DayRange,
    story_spans: &[Span],
    story: Option<usize>,
) -> Option<ClaimGroup> {
    let (range, spans, what) = match own {
        // An article's stated date is a fact, not an inference: far from the rest of its story
        // it is follow-up (or earlier) coverage, never a dating conflict. Only an article whose
        // date is inferred from what it says (its office holders, the events it calls
        // current) can contradict its story.
        Some(_) => return None,
        None => {
            // The article's own weaker evidence, combined as in its dating.
            let own: Vec<&DatingEvidence> = evidence
                .iter()
                .filter(|e| matches!(e.rule.as_str(), "office-holders" | "ongoing-event"))
                .collect();
            let mut r = DayRange::ALL;
            let mut spans = Vec::new();
            for e in &own {
                if let Some(next) = r.intersect(&DayRange::new(e.earliest, e.latest)) {
                    r = next;
                    spans.extend(e.spans.iter().copied());
                }
            }
            let subject = match (
                own.iter().any(|e| e.rule == "office-holders"),
                own.iter().any(|e| e.rule == "ongoing-event"),
            ) {
                (true, true) => {
                    "this article's office holders and the events it speaks of as current are"
                }
                (true, false) => "this article's office holders are",
                (false, true) => "the events this article speaks of as current are",
                (false, false) => return None,
            };
            let what = match (r.earliest(), r.latest()) {
                (_, Some(_)) => format!("{subject} consistent only with {r}"),
                (Some(from), None) => format!(
                    "{subject} consistent only with a date from {}",
                    from.format("%Y-%m-%d")
                ),
                (None, None) => return None,
            };
            (r, spans, what)
        }
    };
    if range.intersect(&story_dates).is_some() {
        return None;
    }
    let used: Vec<&OfficeAssertion> = xs.iter().filter(|x| checkable(x)).collect();
    if spans.is_empty() {
        // A verdict with nothing in the article to point to is not reported.
        return None;
    }
    let mut all_spans = spans;
    all_spans.extend(story_spans.iter().take(3));
    Some(ClaimGroup {
        topic: Topic::Dating,
        verdict: Verdict::DatingConflict,
        explanation: format!("{what}, but the story it belongs to is dated {story_dates}"),
        claims: claim_refs(a, &used),
        evidence: all_spans,
        diffs: Vec::new(),
        independent_sources: 1,
        story,
        confidence: DATING_CONFIDENCE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date_articles;
    use crate::link::tests::analysed;

    fn run(texts: &[&str]) -> (Vec<AnalyzedArticle>, Vec<ClaimGroup>) {
        let kb = KnowledgeBase::starter();
        let mut v: Vec<AnalyzedArticle> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| analysed(i as u32, t))
            .collect();
        let stories = [Story {
            id: 0,
            label: "story".into(),
            docs: (0..texts.len() as u32).collect(),
            near_duplicates: vec![],
        }];
        date_articles(&kb, &mut v, &stories);
        let groups = kb_verdicts(&kb, &v, &stories);
        (v, groups)
    }

    #[test]
    fn explicitly_dated_articles_days_apart_are_not_a_dating_conflict() {
        let conflicts = |texts: &[&str]| {
            run(texts)
                .1
                .into_iter()
                .filter(|g| g.verdict == Verdict::DatingConflict)
                .map(|g| g.explanation)
                .collect::<Vec<_>>()
        };
        let a = "March 14, 2026\nThe harbour burned.";
        assert!(conflicts(&[a, "March 15, 2026\nThe harbour was closed."]).is_empty());
        // Two years later is follow-up coverage (or a clustering error), not a conflict.
        assert!(conflicts(&[a, "March 14, 2024\nThe harbour was closed."]).is_empty());
    }

    const DATED_2025: &str = "August 4, 2025\nIDF Chief of Staff Lt. Gen. Eyal Zamir and Defense Minister Israel Katz met.";

    #[test]
    fn outdated_holders_are_stale_against_the_story_and_the_article_conflicts() {
        let (v, groups) = run(&[
            DATED_2025,
            "IDF Chief of Staff, Lt. Gen. Herzi Halevi, inspected the depot. Defense Minister Yoav Gallant was late. U.S. Secretary of State Antony Blinken phoned.",
        ]);
        let stale: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::Stale)
            .collect();
        assert_eq!(stale.len(), 3, "{groups:#?}");
        assert!(stale.iter().all(|g| {
            g.evidence
                .iter()
                .all(|s| !v[s.doc as usize].quote(*s).is_empty())
        }));
        assert!(stale[1].explanation.starts_with("“Defense Minister”: Yoav Gallant was defense minister (israel) only 2022-12-29 – 2024-11-05, but its story is dated 2025-08-04"), "{}", stale[1].explanation);
        assert!(
            stale.iter().any(|g| g.evidence.iter().any(|s| s.doc == 0)),
            "story evidence is cited"
        );
        let conflict: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::DatingConflict)
            .collect();
        assert_eq!(conflict.len(), 1);
        assert_eq!(conflict[0].topic, Topic::Dating);
        assert_eq!(
            conflict[0].explanation,
            "this article's office holders are consistent only with 2023-01-16 – 2024-11-05, but the story it belongs to is dated 2025-08-04"
        );
    }

    #[test]
    fn the_one_pass_entry_point_gives_the_same_result() {
        let kb = KnowledgeBase::starter();
        let texts = [DATED_2025, "Defense Minister Yoav Gallant was late."];
        let mut a: Vec<AnalyzedArticle> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| analysed(i as u32, t))
            .collect();
        let mut b = a.clone();
        let stories = [Story {
            id: 0,
            label: String::new(),
            docs: vec![0, 1],
            near_duplicates: vec![],
        }];
        date_articles(&kb, &mut a, &stories);
        let separate = kb_verdicts(&kb, &a, &stories);
        let combined = date_and_judge(&kb, &mut b, &stories);
        assert_eq!(a, b);
        assert_eq!(separate, combined);
        assert_eq!(combined.len(), 2);
    }

    #[test]
    fn holders_true_at_the_article_date_are_not_flagged() {
        let (_, groups) = run(&[
            DATED_2025,
            "The current defense minister, Israel Katz, toured a shipyard last year before the budget vote.",
        ]);
        assert!(groups.is_empty(), "{groups:#?}");
    }

    #[test]
    fn an_administration_in_the_present_tense_is_stale_after_it_ended() {
        let (_, groups) = run(&[
            DATED_2025,
            "Although Biden has quietly urged patience, his administration has declined to set a deadline.",
        ]);
        let stale: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::Stale)
            .collect();
        assert_eq!(stale.len(), 1, "{groups:#?}");
        assert!(
            stale[0]
                .explanation
                .contains("Joe Biden was president (united states) only 2021-01-20 – 2025-01-20"),
            "{}",
            stale[0].explanation
        );
    }

    #[test]
    fn president_and_former_president_in_one_article_is_inconsistent() {
        let (_, groups) = run(&[
            "August 4, 2025\nThe mayors wrote to U.S. President Donald Trump on Friday. Donald Trump has taken credit for the deal. Analysts say the former president’s friendship counts.",
        ]);
        let inc: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::InternallyInconsistent)
            .collect();
        assert_eq!(inc.len(), 1, "{groups:#?}");
        assert!(
            inc[0]
                .explanation
                .contains("both “U.S. President” and “the former president”"),
            "{}",
            inc[0].explanation
        );
        assert!(groups.iter().all(|g| g.verdict != Verdict::DatingConflict));
    }

    #[test]
    fn stale_against_the_article_own_date_and_historical_sentences_exempt() {
        let (_, groups) = run(&[
            "March 1, 2025\nDefense Minister Yoav Gallant visited the base. In 2023, Defense Minister Yoav Gallant ordered a siege.",
        ]);
        let stale: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.verdict == Verdict::Stale)
            .collect();
        assert_eq!(stale.len(), 1, "{groups:#?}");
        assert!(
            stale[0]
                .explanation
                .contains("but this article is dated 2025-03-01")
        );
        assert_eq!(stale[0].evidence.len(), 3, "cue, person and date line");
    }
}
