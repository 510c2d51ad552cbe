//! Corpus test: the five seed articles in `../shared/corpus/seeds` (read at test time, never
//! copied into the repository) go through `corroborate_nlp::analyze` and then
//! `extract_claims`; the claims a careful reader finds must be there.

use corroborate_claims::extract_claims;
use corroborate_model::{
    AnalyzedArticle, Article, Claim, ClaimKind, Interval, OfficeHolder, Quote, SourceRef,
    SourcingKind, Speaker, Tenure,
};
use corroborate_nlp::analyze;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// Each seed analysed, with its claims, in file-name order; `None` when ../shared is missing.
fn seeds() -> Option<Vec<(AnalyzedArticle, Vec<Claim>)>> {
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipped: ../shared not found");
        return None;
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5, "expected the five seed articles in {SEEDS}");
    Some(
        paths
            .iter()
            .enumerate()
            .map(|(id, path)| {
                let text = std::fs::read_to_string(path).expect("readable seed");
                let doc = analyze(Article::from_text(
                    id as u32,
                    SourceRef::file(path.display().to_string()),
                    text,
                ));
                let claims = extract_claims(&doc);
                (doc, claims)
            })
            .collect(),
    )
}

fn officials_count(doc: &AnalyzedArticle, claims: &[Claim], number: &str) -> bool {
    claims.iter().any(|c| match &c.kind {
        ClaimKind::Quantity(q) => {
            doc.quote(q.number) == number
                && q.value == Interval::at_least(q.value.low)
                && q.counted.as_ref().is_some_and(|c| c.head == "official")
        }
        _ => false,
    })
}

fn holders<'a>(doc: &'a AnalyzedArticle, claims: &'a [Claim]) -> Vec<(&'a str, &'a OfficeHolder)> {
    claims
        .iter()
        .filter_map(|c| match &c.kind {
            ClaimKind::OfficeHolder(h) => Some((doc.entities[h.person].canonical.as_str(), h)),
            _ => None,
        })
        .collect()
}

fn holds(
    doc: &AnalyzedArticle,
    claims: &[Claim],
    person: &str,
    title: &str,
    tenure: Tenure,
) -> bool {
    holders(doc, claims)
        .iter()
        .any(|(name, h)| name.ends_with(person) && h.office.title == title && h.tenure == tenure)
}

fn quotes(claims: &[Claim]) -> Vec<&Quote> {
    claims
        .iter()
        .filter_map(|c| match &c.kind {
            ClaimKind::Quote(q) => Some(q),
            _ => None,
        })
        .collect()
}

#[test]
fn figures_for_the_signatories() {
    let Some(run) = seeds() else { return };
    assert!(officials_count(&run[0].0, &run[0].1, "more than 600"));
    assert!(officials_count(&run[2].0, &run[2].1, "more than 600"));
    assert!(officials_count(&run[1].0, &run[1].1, "More than 550"));
    for (doc, claims) in &run {
        for c in claims {
            if let ClaimKind::Quantity(q) = &c.kind {
                let number = doc.quote(q.number);
                assert!(!number.contains("12"), "Channel 12 is a name: {number}");
                assert!(
                    !number.contains("2023") && !number.contains("2025"),
                    "a year: {number}"
                );
            }
        }
    }
}

#[test]
fn office_holders_across_outlets() {
    let Some(run) = seeds() else { return };
    let (d0, c0) = (&run[0].0, &run[0].1);
    let (d3, c3) = (&run[3].0, &run[3].1);
    let (d4, c4) = (&run[4].0, &run[4].1);
    assert!(
        holds(d0, c0, "Eyal Zamir", "chief of staff", Tenure::Current),
        "{:#?}",
        holders(d0, c0)
    );
    assert!(
        holds(d3, c3, "Zamir", "chief of staff", Tenure::Current),
        "{:#?}",
        holders(d3, c3)
    );
    assert!(
        holds(d4, c4, "Herzi Halevi", "chief of staff", Tenure::Current),
        "{:#?}",
        holders(d4, c4)
    );
    assert!(holds(
        d3,
        c3,
        "Israel Katz",
        "defense minister",
        Tenure::Current
    ));
    assert!(holds(
        d3,
        c3,
        "Yoav Gallant",
        "defense minister",
        Tenure::Former
    ));
    assert!(holds(
        d4,
        c4,
        "Yoav Gallant",
        "defense minister",
        Tenure::Current
    ));
    assert!(holds(
        d4,
        c4,
        "Benny Gantz",
        "chief of staff",
        Tenure::Former
    ));
    assert!(holds(
        d3,
        c3,
        "David Barnea",
        "intelligence chief",
        Tenure::Current
    ));
}

#[test]
fn the_letter_is_quoted_verbatim_and_in_essence() {
    let Some(run) = seeds() else { return };
    // Short fragments only: the seed text itself stays under ../shared.
    let (opening_start, opening_end) = ("It is our professional judgment", "threat to Israel");
    for i in [0, 2] {
        let (doc, claims) = &run[i];
        let found = quotes(claims)
            .into_iter()
            .find(|q| {
                let content = doc.quote(q.content);
                content.starts_with(opening_start) && content.ends_with(opening_end)
            })
            .unwrap_or_else(|| panic!("seed {i}: the letter's opening quote"));
        assert!(
            matches!(&found.speaker, Some(Speaker::Document { description, .. }) if description == "the letter"),
            "seed {i}: {:?}",
            found.speaker
        );
        assert_eq!(found.cue.map(|c| doc.quote(c)), Some("states"));
    }
    let (doc, claims) = &run[1];
    let essence = quotes(claims)
        .into_iter()
        .find(|q| {
            doc.quote(q.content)
                .starts_with("Hamas has been dismantled")
        })
        .expect("the in-essence quote");
    assert!(essence.marked_paraphrase);
    assert_eq!(essence.cue.map(|c| doc.quote(c)), Some("says in essence"));
}

#[test]
fn anonymous_sourcing_in_the_reporting_pieces() {
    let Some(run) = seeds() else { return };
    for i in [3, 4] {
        let anonymous = run[i]
            .1
            .iter()
            .filter(|c| matches!(&c.kind, ClaimKind::Attribution(a) if a.kind == SourcingKind::Anonymous))
            .count();
        assert!(anonymous >= 2, "seed {i}: {anonymous} anonymous cues");
    }
}

#[test]
fn every_span_is_evidence_in_its_own_article() {
    let Some(run) = seeds() else { return };
    for (doc, claims) in &run {
        for c in claims {
            assert_eq!(c.evidence.doc, doc.article.id);
            assert!(!doc.quote(c.evidence).is_empty(), "{c:?}");
        }
    }
}
