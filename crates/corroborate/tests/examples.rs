//! The bundled example corpus has one planted case of each verdict; check they are found.

mod common;

use common::*;
use corroborate::model::{Topic, Verdict};

fn example_analysis() -> corroborate::model::Analysis {
    analyze(&[root().join("examples/articles")])
}

#[test]
fn every_planted_verdict_is_found() {
    let analysis = example_analysis();
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    assert_eq!(analysis.articles.len(), 6);
    assert_spans_valid(&analysis);
    let all = dump(&analysis);

    // 80 firefighters against more than 120.
    assert!(
        !quantity_groups(&analysis, Verdict::Conflict, &["80", "120"]).is_empty(),
        "firefighter conflict missing:\n{all}"
    );
    // 1,180 evacuated agrees with about 1,200; 4.8% with about 5 percent; $1.2 billion with
    // 1,200 million dollars.
    for words in [
        &["1,180", "1,200"][..],
        &["4.8%", "5 percent"],
        &["$1.2 billion", "1,200 million dollars"],
    ] {
        assert!(
            !quantity_groups(&analysis, Verdict::Agree, words).is_empty(),
            "agreement {words:?} missing:\n{all}"
        );
    }
    // Dozens of containers against 48.
    assert!(
        !quantity_groups(&analysis, Verdict::VagueVsPrecise, &["dozens", "48"]).is_empty(),
        "vague-vs-precise missing:\n{all}"
    );
    // The damage estimate appears in one outlet only.
    assert!(
        !quantity_groups(&analysis, Verdict::SingleSource, &["$35 million"]).is_empty(),
        "single-source damage figure missing:\n{all}"
    );
    // The fire chief's words, verbatim in two outlets; the mayor's, altered in the wire copy.
    assert!(
        !quote_groups(
            &analysis,
            Verdict::QuoteVerbatim,
            "contained, but it is not out"
        )
        .is_empty(),
        "verbatim quote missing:\n{all}"
    );
    let altered = quote_groups(&analysis, Verdict::QuoteAltered, "make it stronger");
    assert!(!altered.is_empty(), "altered quote missing:\n{all}");
    assert!(!altered[0].diffs.is_empty(), "altered quote without a diff");
    // Bay Radio's "in essence" statement.
    assert!(
        !quote_groups(
            &analysis,
            Verdict::ParaphraseInQuotes,
            "running within days"
        )
        .is_empty(),
        "paraphrase in quotes missing:\n{all}"
    );
    // Two fire chiefs.
    let chiefs: Vec<_> = with_verdict(&analysis, Verdict::HolderConflict)
        .into_iter()
        .filter(|g| matches!(&g.topic, Topic::Office { .. }))
        .filter(|g| {
            let text = evidence(&analysis, g);
            text.contains("Okafor") && text.contains("Lee")
        })
        .collect();
    assert_eq!(chiefs.len(), 1, "fire chief conflict missing:\n{all}");
}

#[test]
fn the_unrelated_story_and_the_wire_copy_are_recognised() {
    let analysis = example_analysis();
    let council = doc(&analysis, "council-budget");
    let story_of = |d| {
        analysis
            .stories
            .iter()
            .position(|s| s.docs.contains(&d))
            .expect("every article is in a story")
    };
    assert_eq!(analysis.stories[story_of(council)].docs, vec![council]);
    let fire: Vec<_> = [
        "bay-radio",
        "coastline",
        "courier",
        "harbour-watch",
        "northern-wire",
    ]
    .iter()
    .map(|p| story_of(doc(&analysis, p)))
    .collect();
    assert!(
        fire.iter().all(|s| *s == fire[0]),
        "fire articles split: {:?}",
        analysis.stories
    );

    let wire = doc(&analysis, "northern-wire");
    let copy = doc(&analysis, "coastline");
    let pair = analysis.stories[fire[0]]
        .near_duplicates
        .iter()
        .find(|p| (p.a, p.b) == (wire.min(copy), wire.max(copy)) || (p.a, p.b) == (copy, wire))
        .unwrap_or_else(|| panic!("wire copy not found: {:?}", analysis.stories[fire[0]]));
    assert!(!pair.shared.is_empty());
    // The copy does not count as an independent source for the evacuation figure.
    let evacuated = quantity_groups(&analysis, Verdict::Agree, &["1,180", "1,200"]);
    assert!(!evacuated.is_empty());
    assert_eq!(
        evacuated[0].independent_sources,
        docs(evacuated[0]).len() - 1,
        "near-duplicates must count once"
    );
}

#[test]
fn the_example_knowledge_base_flags_the_outdated_fire_chief() {
    let mut config = corroborate::Config::default();
    let (kb, diagnostics) =
        corroborate::KnowledgeBase::load(&root().join("examples/kestrel-bay-kb.toml"), false)
            .expect("the example knowledge base loads");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    config.kb.merge(kb);
    let inputs = vec![root().join("examples/articles").display().to_string()];
    let analysis = corroborate::analyze(&inputs, &config);
    let stale = with_verdict(&analysis, Verdict::Stale);
    assert_eq!(stale.len(), 1, "{}", dump(&analysis));
    assert!(evidence(&analysis, stale[0]).contains("Marcus Lee"));
    assert_eq!(docs(stale[0]), vec![doc(&analysis, "bay-radio")]);
}

/// An analysis renumbered in memory serialises as the same analysis renumbered as JSON, for
/// every article of the example run (quotes, offices, figures, times, framing, dating).
#[test]
fn renumbering_in_memory_matches_renumbering_the_json() {
    let mut articles = example_analysis().articles;
    // The examples use no loaded term; one invented sentence adds a framing claim.
    articles.push(corroborate::analyze_article(
        corroborate::model::Article::from_text(
            0,
            corroborate::model::SourceRef::file("framing.txt"),
            "Rights groups called the raid a war crime, Mayor Ada Rinn said on Tuesday. Her administration has asked for calm.",
        ),
    ));
    let kinds: std::collections::HashSet<&str> = articles
        .iter()
        .flat_map(|a| &a.claims)
        .map(|c| match &c.kind {
            corroborate::model::ClaimKind::Quantity(_) => "quantity",
            corroborate::model::ClaimKind::OfficeHolder(_) => "office",
            corroborate::model::ClaimKind::ImpliedOffice(_) => "implied office",
            corroborate::model::ClaimKind::Quote(_) => "quote",
            corroborate::model::ClaimKind::Attribution(_) => "attribution",
            corroborate::model::ClaimKind::Framing(_) => "framing",
            corroborate::model::ClaimKind::Time(_) => "time",
        })
        .collect();
    assert_eq!(
        kinds.len(),
        7,
        "the example run has every kind of claim: {kinds:?}"
    );
    for article in &articles {
        let mut typed = article.clone();
        typed.renumber(41);
        let mut json = serde_json::to_value(article).unwrap();
        corroborate::model::renumber_analysis(&mut json, 41);
        assert_eq!(serde_json::to_value(&typed).unwrap(), json);
        let coreference = typed.coreference.iter().all(|m| m.span.doc == 41);
        assert!(
            coreference,
            "coreference is not serialised but renumbered too"
        );
    }
}
