//! What a careful reader finds in the five seed articles (read from ../shared, never copied).

mod common;

use common::*;
use corroborate::model::{ClaimKind, Topic, Verdict};

#[test]
fn seeds_show_the_disagreements_a_careful_reader_finds() {
    let Some(dir) = seeds() else { return };
    let analysis = analyze(&[dir]);
    assert_eq!(analysis.articles.len(), 5, "{:?}", analysis.errors);
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    assert_spans_valid(&analysis);
    let all = dump(&analysis);
    let (a000, a001, a002, a003, a004) = (
        doc(&analysis, "000"),
        doc(&analysis, "001"),
        doc(&analysis, "002"),
        doc(&analysis, "003"),
        doc(&analysis, "004"),
    );

    // The number of signatories: more than 600 (000, 002) against more than 550 (001).
    let signatories = quantity_groups(&analysis, Verdict::Conflict, &["600", "550"]);
    assert_eq!(signatories.len(), 1, "signatory conflict missing:\n{all}");
    let d = docs(signatories[0]);
    assert!(
        d.contains(&a000) && d.contains(&a001) && d.contains(&a002),
        "{d:?}\n{all}"
    );

    // Two outlets name different chiefs of staff: Eyal Zamir (000, 003) and Herzi Halevi (004).
    let chiefs = office_groups(&analysis, Verdict::HolderConflict, "chief of staff");
    assert_eq!(chiefs.len(), 1, "chief of staff conflict missing:\n{all}");
    let text = evidence(&analysis, chiefs[0]);
    assert!(text.contains("Zamir") && text.contains("Halevi"), "{text}");
    assert!(docs(chiefs[0]).contains(&a004) && docs(chiefs[0]).contains(&a003));

    // Two outlets name different defence ministers: Israel Katz (003) and Yoav Gallant (004).
    let ministers = office_groups(&analysis, Verdict::HolderConflict, "defense minister");
    assert_eq!(
        ministers.len(),
        1,
        "defense minister conflict missing:\n{all}"
    );
    let text = evidence(&analysis, ministers[0]);
    assert!(text.contains("Katz") && text.contains("Gallant"), "{text}");

    // One sentence of the letter is quoted word for word by two outlets.
    let verbatim = quote_groups(&analysis, Verdict::QuoteVerbatim, "professional judgment");
    assert_eq!(verbatim.len(), 1, "verbatim letter quote missing:\n{all}");
    assert_eq!(docs(verbatim[0]), vec![a000, a002]);

    // One outlet presents a paraphrase "in essence" inside quotation marks.
    let paraphrase = with_verdict(&analysis, Verdict::ParaphraseInQuotes);
    assert!(
        paraphrase.iter().any(|g| docs(g).contains(&a001)
            && evidence(&analysis, g).contains("Hamas has been dismantled")),
        "paraphrase in quotes missing:\n{all}"
    );

    // No false conflicts: every numeric conflict is about the signatories, and never pits
    // counts of different things (killed, residents, hostages, fled) against each other.
    for g in with_verdict(&analysis, Verdict::Conflict) {
        assert!(matches!(g.topic, Topic::Quantity { .. }), "{all}");
        let heads: Vec<_> = g
            .claims
            .iter()
            .filter_map(|r| match &analysis.claim(*r)?.kind {
                ClaimKind::Quantity(q) => q.counted.as_ref().map(|c| c.head.clone()),
                _ => None,
            })
            .collect();
        assert!(
            heads.iter().all(|h| h == "official" || h == "chief"),
            "unexpected numeric conflict {heads:?}:\n{all}"
        );
    }
    for g in &analysis.groups {
        let text = evidence(&analysis, g);
        let killed = text.contains("65,000");
        let residents = text.contains("two million") || text.contains("half a million");
        assert!(!(killed && residents), "different counts compared: {text}");
    }
}

#[test]
fn seed_metadata_comes_from_the_text() {
    let Some(dir) = seeds() else { return };
    let analysis = analyze(&[dir]);
    let a002 = &analysis.articles[doc(&analysis, "002") as usize].article;
    assert_eq!(a002.byline.as_deref(), Some("Ayinde Adeleke"));
    assert_eq!(
        a002.published
            .as_ref()
            .map(|p| p.date.to_string())
            .as_deref(),
        Some("2025-08-04")
    );
    let a001 = &analysis.articles[doc(&analysis, "001") as usize].article;
    assert!(
        a001.title
            .as_deref()
            .is_some_and(|t| t.starts_with("550 Ex-Mossad"))
    );
    let a000 = &analysis.articles[doc(&analysis, "000") as usize].article;
    assert_eq!(a000.title, None, "000 starts with its body");
}
