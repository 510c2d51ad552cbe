//! The knowledge base on the five seed articles of one story (read from ../shared at test
//! time, never copied): each article is dated with evidence, and exactly the stale or
//! inconsistent office claims a careful reader would flag are flagged.

use corroborate_kb::{KnowledgeBase, date_articles, kb_verdicts};
use corroborate_model::{AnalyzedArticle, Article, ClaimGroup, SourceRef, Story, Verdict};
use std::path::Path;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

fn load() -> Option<Vec<AnalyzedArticle>> {
    let dir = Path::new(SEEDS);
    if !dir.is_dir() {
        eprintln!("skipped: ../shared not found");
        return None;
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut articles: Vec<AnalyzedArticle> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            corroborate_nlp::analyze(Article {
                language: Some("en".into()),
                ..Article::from_text(i as u32, SourceRef::file(p.display().to_string()), text)
            })
        })
        .collect();
    corroborate_nlp::link_entities(&mut articles);
    Some(articles)
}

fn story(n: usize) -> Vec<Story> {
    vec![Story {
        id: 0,
        label: "gaza letter".into(),
        docs: (0..n as u32).collect(),
        near_duplicates: vec![],
    }]
}

fn of(groups: &[ClaimGroup], doc: u32, verdict: Verdict) -> Vec<&ClaimGroup> {
    groups
        .iter()
        .filter(|g| g.verdict == verdict && g.evidence.first().is_some_and(|s| s.doc == doc))
        .collect()
}

/// The seeds through nlp and claims, as the pipeline hands them to the knowledge base: every
/// office assertion comes from an office-holder or implied office claim.
#[test]
fn seeds_are_dated_and_outdated_office_holders_flagged() {
    let Some(mut articles) = load() else { return };
    for a in &mut articles {
        a.claims = corroborate_claims::extract_claims(a);
    }
    let kb = KnowledgeBase::starter();
    let linked: Vec<_> = articles
        .iter()
        .flat_map(|a| corroborate_kb::link::office_assertions(&kb, a))
        .collect();
    eprintln!("office assertions: {}", linked.len());
    check(articles);
}

fn check(mut articles: Vec<AnalyzedArticle>) {
    assert_eq!(articles.len(), 5);
    let kb = KnowledgeBase::starter();
    let stories = story(articles.len());
    date_articles(&kb, &mut articles, &stories);
    let groups = kb_verdicts(&kb, &articles, &stories);
    for a in &articles {
        let d = a.dating.as_ref().unwrap();
        eprintln!("doc {}: {:?} – {:?}", a.article.id, d.earliest, d.latest);
        for e in &d.evidence {
            eprintln!("    [{}] {}", e.rule, e.explanation);
        }
    }
    for g in &groups {
        eprintln!(
            "{:?} doc {}: {}",
            g.verdict, g.evidence[0].doc, g.explanation
        );
        for s in &g.evidence {
            let q = articles[s.doc as usize].quote(*s);
            assert!(!q.is_empty(), "every evidence span quotes text: {s:?}");
        }
    }

    // Every article is dated, with evidence, to an interval.
    for a in &articles {
        let d = a.dating.as_ref().unwrap();
        assert!(
            !d.evidence.is_empty(),
            "doc {} has dating evidence",
            a.article.id
        );
    }
    let date = |doc: usize| {
        let d = articles[doc].dating.as_ref().unwrap();
        (
            d.earliest.map(|x| x.to_string()),
            d.latest.map(|x| x.to_string()),
        )
    };
    // 002 carries a date line.
    assert_eq!(
        date(2),
        (Some("2025-08-04".into()), Some("2025-08-04".into()))
    );
    // 000: "nearing its 23rd month" of the war begun 2023-10-07.
    let d0 = articles[0].dating.as_ref().unwrap();
    assert!(d0.evidence.iter().any(|e| e.rule == "relative-to-event"));
    assert!(d0.earliest.unwrap().to_string().as_str() <= "2025-08-04");
    assert!(d0.latest.unwrap().to_string().as_str() >= "2025-08-04");
    // 003: "nearly two years" of the war, with Zamir and Katz in office.
    let d3 = articles[3].dating.as_ref().unwrap();
    assert!(d3.evidence.iter().any(|e| e.rule == "relative-to-event"));
    assert!(d3.evidence.iter().any(|e| e.rule == "office-holders"));
    // 004: its office holders only fit before Gallant's dismissal, and it speaks of the war
    // cabinet (dissolved 2024-06-17) as current.
    assert_eq!(
        date(4),
        (Some("2023-10-11".into()), Some("2024-06-17".into()))
    );
    let d4 = articles[4].dating.as_ref().unwrap();
    let office = d4
        .evidence
        .iter()
        .find(|e| e.rule == "office-holders")
        .unwrap();
    assert_eq!(
        office.latest.map(|d| d.to_string()).as_deref(),
        Some("2024-11-05")
    );

    // 004: Halevi as chief of staff, Gallant as defence minister, Blinken as secretary of
    // state are stale against the story's 2025 dating, and the article conflicts with it.
    let stale4 = of(&groups, 4, Verdict::Stale);
    let text4 = |g: &ClaimGroup| g.explanation.clone();
    for who in ["Herzi Halevi", "Yoav Gallant", "Antony Blinken"] {
        assert!(
            stale4.iter().any(|g| text4(g).contains(who)),
            "{who} stale in 004"
        );
    }
    assert_eq!(of(&groups, 4, Verdict::DatingConflict).len(), 1);
    // 001: "Biden … his administration has stopped short" in a story about President Trump.
    let stale1 = of(&groups, 1, Verdict::Stale);
    assert_eq!(stale1.len(), 1);
    assert!(stale1[0].explanation.contains("Joe Biden was president"));
    // 002: President Trump and "the former president" in one article.
    let inc2 = of(&groups, 2, Verdict::InternallyInconsistent);
    assert_eq!(inc2.len(), 1);
    assert!(inc2[0].explanation.contains("Donald Trump"));
    // No stale flag on a claim that was true at the article's date: 000 and 003 are clean.
    for doc in [0, 3] {
        let flagged: Vec<&ClaimGroup> = groups
            .iter()
            .filter(|g| g.evidence.first().is_some_and(|s| s.doc == doc))
            .collect();
        assert!(flagged.is_empty(), "doc {doc}: {flagged:#?}");
    }
}
