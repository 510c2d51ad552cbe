//! Behaviour of [`align`] on hand-built articles, one test per rule.

use crate::testkit::{ArticleBuilder, By, Thing, story};
use crate::{AlignOptions, align};
use corroborate_model::{
    AnalyzedArticle, ClaimGroup, DiffSegment, DocId, Interval, Precision, QuantityUnit, Story,
    Tenure, Verdict,
};

/// Alignment without the single-source facts of `single` (tested on their own below), so
/// that each test sees only the groups of the aligner it is about.
fn run(articles: &[AnalyzedArticle], stories: &[Story]) -> Vec<ClaimGroup> {
    let options = AlignOptions {
        single_source_facts: false,
        ..AlignOptions::default()
    };
    align(articles, stories, &options)
}

fn verdicts(groups: &[ClaimGroup]) -> Vec<Verdict> {
    groups.iter().map(|g| g.verdict).collect()
}

fn thing<'a>(
    phrase: &'a str,
    head: &'a str,
    modifiers: &'a [&'a str],
    predicate: Option<&'a str>,
) -> Thing<'a> {
    Thing {
        phrase,
        head,
        modifiers,
        predicate,
    }
}

fn signatories() -> Vec<AnalyzedArticle> {
    vec![
        ArticleBuilder::new(0, "Arab News", "In a petition, more than 600 retired Vestrian customs officials have called on the regent.")
            .quantity(
                "more than 600",
                Interval::at_least(600.0),
                Precision::Bound,
                QuantityUnit::Count,
                thing("retired Vestrian customs officials", "official", &["retired", "vestrian", "customs"], Some("call")),
            )
            .build(),
        ArticleBuilder::new(1, "Unherd", "More than 550 former Vestrian customs officials have appealed to the regent.")
            .quantity(
                "More than 550",
                Interval::at_least(550.0),
                Precision::Bound,
                QuantityUnit::Count,
                thing("former Vestrian customs officials", "official", &["former", "vestrian", "customs"], Some("appeal")),
            )
            .build(),
        ArticleBuilder::new(2, "Vanguard", "In an unusual step, more than 600 former senior Vestrian customs officials have together called on the regent.")
            .quantity(
                "more than 600",
                Interval::at_least(600.0),
                Precision::Bound,
                QuantityUnit::Count,
                thing("former senior Vestrian customs officials", "official", &["former", "senior", "vestrian", "customs"], Some("call")),
            )
            .build(),
    ]
}

#[test]
fn different_minimum_figures_for_the_signatories_are_one_conflict() {
    let articles = signatories();
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");
    let g = &groups[0];
    assert_eq!(
        g.explanation,
        "outlets give different minimum figures for “retired Vestrian customs officials”: \
         more than 600 (Arab News, Vanguard) vs More than 550 (Unherd)"
    );
    assert_eq!(g.independent_sources, 3);
    assert_eq!(g.story, Some(0));
    let evidence: Vec<&str> = g
        .evidence
        .iter()
        .map(|s| articles[s.doc as usize].quote(*s))
        .collect();
    assert_eq!(
        evidence,
        [
            "more than 600 retired Vestrian customs officials",
            "more than 600 former senior Vestrian customs officials",
            "More than 550 former Vestrian customs officials"
        ]
    );
}

#[test]
fn explanations_number_articles_as_the_run_does() {
    let mut articles = signatories();
    articles[2].article.outlet = Some("Arab News".into());
    articles[1].article.outlet = None;
    articles[1].article.source.path.clear();
    let options = AlignOptions {
        single_source_facts: false,
        ..AlignOptions::default()
    };
    let stories = [story(0, &[0, 1, 2], &[])];
    let groups = crate::align_in_run(&articles, &stories, &options, &|doc| doc + 40);
    assert_eq!(
        groups[0].explanation,
        "outlets give different minimum figures for “retired Vestrian customs officials”: \
         more than 600 (Arab News #40, Arab News #42) vs More than 550 (article 41)"
    );
    // Only the printed numbers change: references keep the ids the articles have here.
    let docs: Vec<DocId> = groups[0].claims.iter().map(|c| c.doc).collect();
    assert_eq!(docs, [0, 1, 2]);
}

#[test]
fn copies_of_one_wire_story_count_as_one_source() {
    let mut articles = signatories();
    let copy = |id, outlet| {
        ArticleBuilder::new(
            id,
            outlet,
            "In a petition, more than 600 retired Vestrian customs officials have called on the regent.",
        )
        .quantity(
            "more than 600",
            Interval::at_least(600.0),
            Precision::Bound,
            QuantityUnit::Count,
            thing(
                "retired Vestrian customs officials",
                "official",
                &["retired", "vestrian", "customs"],
                Some("call"),
            ),
        )
        .build()
    };
    articles.push(copy(3, "Copy One"));
    articles.push(copy(4, "Copy Two"));
    // 0, 3 and 4 are copies (a chain of pairs is one component).
    let groups = run(&articles, &[story(0, &[0, 1, 2, 3, 4], &[(0, 3), (3, 4)])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict]);
    assert_eq!(groups[0].independent_sources, 3);
    assert_eq!(groups[0].claims.len(), 5);

    // Only the copies state it: one source, so a single-source figure.
    let groups = run(
        &articles,
        &[story(0, &[0, 3, 4], &[(0, 3), (3, 4)]), story(1, &[1], &[])],
    );
    assert!(groups.iter().all(|g| g.verdict != Verdict::Conflict));
    let single: Vec<&ClaimGroup> = groups.iter().filter(|g| g.story == Some(0)).collect();
    assert!(
        single.is_empty(),
        "a story of copies has nothing to corroborate against: {single:#?}"
    );
}

fn killed_and_displaced() -> Vec<AnalyzedArticle> {
    vec![
        ArticleBuilder::new(0, "Times", "Ward doctors estimate that approximately 65,000 Kaldans have been killed.")
            .quantity("approximately 65,000", Interval::exact(65_000.0), Precision::Approximate, QuantityUnit::Count,
                thing("Kaldans", "kaldan", &[], Some("kill")))
            .build(),
        ArticleBuilder::new(1, "Post", "The army could end up administering two million Kaldan residents.")
            .quantity("two million", Interval::exact(2_000_000.0), Precision::Exact, QuantityUnit::Count,
                thing("Kaldan residents", "resident", &["kaldan"], None))
            .build(),
        ArticleBuilder::new(2, "Herald", "Troops advanced although hundreds of thousands of Kaldans stayed in the port.")
            .quantity("hundreds of thousands", Interval::between(200_000.0, 999_999.0), Precision::Vague, QuantityUnit::Count,
                thing("Kaldans", "kaldan", &[], Some("remain")))
            .build(),
        ArticleBuilder::new(3, "Globe", "Negotiators think roughly 20 captives are still alive, plus the bodies of up to 28 others.")
            .quantity("roughly 20", Interval::exact(20.0), Precision::Approximate, QuantityUnit::Count,
                thing("captives", "hostage", &[], Some("alive")))
            .quantity("up to 28", Interval::at_most(28.0), Precision::Bound, QuantityUnit::Count,
                thing("others", "other", &[], None))
            .build(),
        ArticleBuilder::new(4, "Ledger", "About 1,200 Vestrian civilians were killed and 5,400 Vestrian civilians wounded; 40,000 Kaldan civilians were killed.")
            .quantity("About 1,200", Interval::exact(1_200.0), Precision::Approximate, QuantityUnit::Count,
                thing("Vestrian civilians were", "civilian", &["vestrian"], Some("kill")))
            .quantity("5,400", Interval::exact(5_400.0), Precision::Exact, QuantityUnit::Count,
                thing("Vestrian civilians wounded", "civilian", &["vestrian"], Some("wound")))
            .quantity("40,000", Interval::exact(40_000.0), Precision::Exact, QuantityUnit::Count,
                thing("Kaldan civilians", "civilian", &["kaldan"], Some("kill")))
            .build(),
        ArticleBuilder::new(5, "Sun", "Some 28 captives are dead; 250 were taken captive.")
            .quantity("Some 28", Interval::exact(28.0), Precision::Approximate, QuantityUnit::Count,
                thing("captives", "hostage", &[], Some("dead")))
            .quantity("250", Interval::exact(250.0), Precision::Exact, QuantityUnit::Count,
                thing("captive", "hostage", &[], Some("take")))
            .build(),
    ]
}

#[test]
fn numbers_that_count_different_things_are_never_compared() {
    let articles = killed_and_displaced();
    let options = AlignOptions {
        single_source_quantities: false,
        single_source_facts: false,
        ..AlignOptions::default()
    };
    let groups = align(&articles, &[story(0, &[0, 1, 2, 3, 4, 5], &[])], &options);
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn single_source_is_kept_to_specific_figures() {
    let articles = killed_and_displaced();
    let groups = run(&articles, &[story(0, &[0, 1, 2, 3, 4, 5], &[])]);
    assert!(groups.iter().all(|g| g.verdict == Verdict::SingleSource));
    let explanations: Vec<&str> = groups.iter().map(|g| g.explanation.as_str()).collect();
    assert!(
        explanations.contains(&"only Times gives a figure for “Kaldans”: approximately 65,000")
    );
    // Vague magnitudes and generic heads ("28 others") are left out.
    assert!(
        !explanations
            .iter()
            .any(|e| e.contains("hundreds of thousands") || e.contains("up to 28"))
    );
    // "two million Kaldan residents" has neither a predicate nor two modifiers.
    assert!(!explanations.iter().any(|e| e.contains("two million")));
    // "Some 28 captives are dead" counts killed captives: specific, and 28 ≥ 10.
    assert!(explanations.contains(&"only Sun gives a figure for “captives”: Some 28"));
}

#[test]
fn small_narrative_counts_are_not_single_source() {
    let articles = vec![
        ArticleBuilder::new(0, "A", "Three senior Vestrian ministers favored the deal.")
            .quantity(
                "Three",
                Interval::exact(3.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing(
                    "senior Vestrian ministers",
                    "minister",
                    &["senior", "vestrian"],
                    Some("favor"),
                ),
            )
            .build(),
        ArticleBuilder::new(1, "B", "Nothing to count here.").build(),
    ];
    assert!(run(&articles, &[story(0, &[0, 1], &[])]).is_empty());
}

#[test]
fn a_light_verb_joins_the_one_bucket_its_specific_phrase_fits() {
    let mut articles = signatories();
    // "have taken the unusual step of petitioning": the predicate found is "take".
    if let corroborate_model::ClaimKind::Quantity(q) = &mut articles[1].claims[0].kind
        && let Some(counted) = &mut q.counted
    {
        counted.predicate = Some("take".into());
    }
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");
    assert_eq!(groups[0].claims.len(), 3);

    // A bare "Kaldans" with no predicate never joins "Kaldans killed".
    let articles = vec![
        ArticleBuilder::new(0, "A", "About 65,000 Kaldans have been killed.")
            .quantity(
                "About 65,000",
                Interval::exact(65_000.0),
                Precision::Approximate,
                QuantityUnit::Count,
                thing("Kaldans", "kaldan", &[], Some("kill")),
            )
            .build(),
        ArticleBuilder::new(1, "B", "Some two million Kaldans live in the delta.")
            .quantity(
                "Some two million",
                Interval::exact(2e6),
                Precision::Approximate,
                QuantityUnit::Count,
                thing("Kaldans", "kaldan", &[], None),
            )
            .build(),
        ArticleBuilder::new(
            2,
            "C",
            "Two million delta Kaldan civilians have no shelter.",
        )
        .quantity(
            "Two million",
            Interval::exact(2e6),
            Precision::Exact,
            QuantityUnit::Count,
            thing(
                "delta Kaldan civilians",
                "kaldan",
                &["delta", "civilian"],
                Some("have"),
            ),
        )
        .build(),
    ];
    let options = AlignOptions {
        single_source_quantities: false,
        single_source_facts: false,
        ..AlignOptions::default()
    };
    let groups = align(&articles, &[story(0, &[0, 1, 2], &[])], &options);
    assert!(groups.is_empty(), "{groups:#?}");
}

fn pair(
    first: (&str, &str, Interval, Precision),
    second: (&str, &str, Interval, Precision),
    unit: QuantityUnit,
) -> Vec<ClaimGroup> {
    let build = |id, (text, number, value, precision): (&str, &str, Interval, Precision)| {
        ArticleBuilder::new(id, if id == 0 { "A" } else { "B" }, text)
            .quantity(
                number,
                value,
                precision,
                unit.clone(),
                thing(
                    "unemployment rate",
                    "rate",
                    &["unemployment"],
                    Some("reach"),
                ),
            )
            .build()
    };
    let articles = vec![build(0, first), build(1, second)];
    run(&articles, &[story(0, &[0, 1], &[])])
}

#[test]
fn rounding_lets_stated_precision_agree() {
    let groups = pair(
        (
            "The unemployment rate reached 4.8%.",
            "4.8%",
            Interval::exact(4.8),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached about 5 percent.",
            "about 5 percent",
            Interval::exact(5.0),
            Precision::Approximate,
        ),
        QuantityUnit::Percent,
    );
    assert_eq!(verdicts(&groups), [Verdict::Agree]);
    assert_eq!(
        groups[0].explanation,
        "“unemployment rate”: 4.8% (A), about 5 percent (B) agree allowing for rounding"
    );

    let groups = pair(
        (
            "The unemployment rate reached 1,200.",
            "1,200",
            Interval::exact(1200.0),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached about 1,250.",
            "about 1,250",
            Interval::exact(1250.0),
            Precision::Approximate,
        ),
        QuantityUnit::Count,
    );
    assert_eq!(verdicts(&groups), [Verdict::Agree]);

    let groups = pair(
        (
            "The unemployment rate reached 550.",
            "550",
            Interval::exact(550.0),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached 600.",
            "600",
            Interval::exact(600.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert_eq!(verdicts(&groups), [Verdict::Conflict]);
    assert_eq!(
        groups[0].explanation,
        "“unemployment rate”: 550 (A) vs 600 (B)"
    );

    let groups = pair(
        (
            "The unemployment rate reached 5%.",
            "5%",
            Interval::exact(5.0),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached 6%.",
            "6%",
            Interval::exact(6.0),
            Precision::Exact,
        ),
        QuantityUnit::Percent,
    );
    assert_eq!(verdicts(&groups), [Verdict::Conflict]);

    // Figures orders of magnitude apart count different things.
    let groups = pair(
        (
            "The unemployment rate reached 100.",
            "100",
            Interval::exact(100.0),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached 25,000.",
            "25,000",
            Interval::exact(25000.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn nearly_two_years_lies_just_below_two_years() {
    let agree = pair(
        (
            "The unemployment rate reached nearly 2 years.",
            "nearly 2 years",
            Interval::exact(730.0),
            Precision::Approximate,
        ),
        (
            "The unemployment rate reached 23 months.",
            "23 months",
            Interval::exact(700.0),
            Precision::Exact,
        ),
        QuantityUnit::Duration,
    );
    assert_eq!(verdicts(&agree), [Verdict::Agree]);
    let conflict = pair(
        (
            "The unemployment rate reached nearly 2 years.",
            "nearly 2 years",
            Interval::exact(730.0),
            Precision::Approximate,
        ),
        (
            "The unemployment rate reached 25 months.",
            "25 months",
            Interval::exact(761.0),
            Precision::Exact,
        ),
        QuantityUnit::Duration,
    );
    assert_eq!(verdicts(&conflict), [Verdict::Conflict]);
}

#[test]
fn a_lower_bound_agrees_with_a_figure_above_it() {
    let groups = pair(
        (
            "The unemployment rate reached more than 600.",
            "more than 600",
            Interval::at_least(600.0),
            Precision::Bound,
        ),
        (
            "The unemployment rate reached 640.",
            "640",
            Interval::exact(640.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert_eq!(verdicts(&groups), [Verdict::Agree]);
}

#[test]
fn hundreds_beside_a_figure_is_vague_versus_precise() {
    let groups = pair(
        (
            "The unemployment rate reached hundreds.",
            "hundreds",
            Interval::between(200.0, 999.0),
            Precision::Vague,
        ),
        (
            "The unemployment rate reached 480.",
            "480",
            Interval::exact(480.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert_eq!(verdicts(&groups), [Verdict::VagueVsPrecise]);
    assert_eq!(
        groups[0].explanation,
        "“unemployment rate”: vague hundreds (A) beside figures 480 (B)"
    );
    // "hundreds" beside 120,000 are two different populations.
    let groups = pair(
        (
            "The unemployment rate reached hundreds.",
            "hundreds",
            Interval::between(200.0, 999.0),
            Precision::Vague,
        ),
        (
            "The unemployment rate reached 120,000.",
            "120,000",
            Interval::exact(120000.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert!(
        !verdicts(&groups).contains(&Verdict::VagueVsPrecise),
        "{groups:#?}"
    );
}

#[test]
fn conflicting_modifiers_stay_apart_and_ambiguous_ones_stay_alone() {
    let articles = vec![
        ArticleBuilder::new(0, "A", "1,200 Vestrian soldiers died.")
            .quantity(
                "1,200",
                Interval::exact(1200.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing("Vestrian soldiers", "soldier", &["vestrian"], Some("die")),
            )
            .build(),
        ArticleBuilder::new(1, "B", "9,000 Kaldan soldiers were killed.")
            .quantity(
                "9,000",
                Interval::exact(9000.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing("Kaldan soldiers", "soldier", &["kaldan"], Some("kill")),
            )
            .build(),
        ArticleBuilder::new(2, "C", "5,000 soldiers were killed.")
            .quantity(
                "5,000",
                Interval::exact(5000.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing("soldiers", "soldier", &[], Some("kill")),
            )
            .build(),
        ArticleBuilder::new(3, "D", "200 additional soldiers were killed.")
            .quantity(
                "200",
                Interval::exact(200.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing(
                    "additional soldiers",
                    "soldier",
                    &["additional"],
                    Some("kill"),
                ),
            )
            .build(),
    ];
    let options = AlignOptions {
        single_source_quantities: false,
        single_source_facts: false,
        ..AlignOptions::default()
    };
    let groups = align(&articles, &[story(0, &[0, 1, 2, 3], &[])], &options);
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn generic_heads_never_conflict() {
    let articles = vec![
        ArticleBuilder::new(0, "A", "65,000 people were killed.")
            .quantity(
                "65,000",
                Interval::exact(65000.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing("people", "people", &[], Some("kill")),
            )
            .build(),
        ArticleBuilder::new(1, "B", "1,200 people were killed.")
            .quantity(
                "1,200",
                Interval::exact(1200.0),
                Precision::Exact,
                QuantityUnit::Count,
                thing("people", "person", &[], Some("kill")),
            )
            .build(),
    ];
    assert!(run(&articles, &[story(0, &[0, 1], &[])]).is_empty());
}

#[test]
fn stories_are_aligned_separately() {
    let articles = signatories();
    let groups = run(&articles, &[story(0, &[0], &[]), story(1, &[1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict]);
    assert_eq!(groups[0].story, Some(1));
    assert!(groups[0].claims.iter().all(|r| r.doc != 0));
}

fn chiefs() -> Vec<AnalyzedArticle> {
    vec![
        ArticleBuilder::new(0, "Arab News", "Against the plan stands VDF Chief of Staff Lt. Gen. Aron Tesk.")
            .holder("Aron Tesk", "Aron Tesk", "VDF Chief of Staff", "chief of staff", Some("vestria"), Tenure::Current)
            .build(),
        ArticleBuilder::new(1, "Times", "Lt. Gen. Aron Tesk, the army chief of staff, demurred. Former VDF chief Mila Brand concurred.")
            .holder("Aron Tesk", "Aron Tesk", "army chief of staff", "chief of staff", None, Tenure::Unspecified)
            .holder("Mila Brand", "Mila Brand", "Former VDF chief", "chief of staff", Some("vestria"), Tenure::Former)
            .build(),
        ArticleBuilder::new(2, "Insider", "The VDF Chief of Staff, Lt. Gen. Oren Vass, is pushing back.")
            .holder("Oren Vass", "Oren Vass", "VDF Chief of Staff", "chief of staff", Some("vestria"), Tenure::Current)
            .build(),
        ArticleBuilder::new(3, "Post", "Former chief of staff Mila Brand cautioned.")
            .holder("Mila Brand", "Mila Brand", "Former chief of staff", "chief of staff", Some("vestria"), Tenure::Former)
            .build(),
    ]
}

#[test]
fn different_current_holders_are_a_holder_conflict() {
    let articles = chiefs();
    let groups = run(&articles, &[story(0, &[0, 1, 2, 3], &[])]);
    assert_eq!(
        verdicts(&groups),
        [Verdict::HolderConflict, Verdict::Agree],
        "{groups:#?}"
    );
    assert_eq!(
        groups[0].explanation,
        "chief of staff (vestria): Aron Tesk (Arab News, Times) vs Oren Vass (Insider)"
    );
    assert_eq!(groups[0].independent_sources, 3);
    assert_eq!(
        groups[1].explanation,
        "former chief of staff (vestria): Mila Brand (Times, Post), named by 2 sources"
    );
}

#[test]
fn former_holders_never_conflict_and_the_same_person_agrees() {
    let mut articles = chiefs();
    articles.truncate(2);
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Agree]);
    assert_eq!(
        groups[0].explanation,
        "chief of staff (vestria): Aron Tesk (Arab News, Times), named by 2 sources"
    );
    let evidence: Vec<&str> = groups[0]
        .evidence
        .iter()
        .map(|s| articles[s.doc as usize].quote(*s))
        .collect();
    assert_eq!(
        evidence,
        [
            "Aron Tesk",
            "VDF Chief of Staff",
            "Aron Tesk",
            "army chief of staff"
        ]
    );
}

#[test]
fn many_holder_offices_never_conflict() {
    let articles = vec![
        ArticleBuilder::new(0, "Wire", "Senator Ada Quill objected.")
            .holder(
                "Ada Quill",
                "Ada Quill",
                "Senator",
                "senator",
                None,
                Tenure::Current,
            )
            .build(),
        ArticleBuilder::new(1, "Daily", "Senator Bo Rinn agreed.")
            .holder(
                "Bo Rinn",
                "Bo Rinn",
                "Senator",
                "senator",
                None,
                Tenure::Current,
            )
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn an_office_of_many_bodies_conflicts_only_for_a_named_body() {
    // "President" of a union and of the country, neither named: not one office.
    let unnamed = vec![
        ArticleBuilder::new(0, "Wire", "union President Ada Quill spoke.")
            .holder(
                "Ada Quill",
                "Ada Quill",
                "President",
                "president",
                None,
                Tenure::Current,
            )
            .build(),
        ArticleBuilder::new(1, "Daily", "President Bo Rinn spoke.")
            .holder(
                "Bo Rinn",
                "Bo Rinn",
                "President",
                "president",
                None,
                Tenure::Current,
            )
            .build(),
    ];
    let groups = run(&unnamed, &[story(0, &[0, 1], &[])]);
    assert!(groups.is_empty(), "{groups:#?}");
    // The same named body with two presidents is a conflict.
    let named = vec![
        ArticleBuilder::new(0, "Wire", "Vestrian President Ada Quill spoke.")
            .holder(
                "Ada Quill",
                "Ada Quill",
                "Vestrian President",
                "president",
                Some("vestria"),
                Tenure::Current,
            )
            .build(),
        ArticleBuilder::new(1, "Daily", "Vestrian President Bo Rinn spoke.")
            .holder(
                "Bo Rinn",
                "Bo Rinn",
                "Vestrian President",
                "president",
                Some("vestria"),
                Tenure::Current,
            )
            .build(),
    ];
    let groups = run(&named, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::HolderConflict]);
}

#[test]
fn one_person_under_two_name_forms_is_one_holder() {
    let articles = vec![
        ArticleBuilder::new(0, "Wire", "Chief of Staff Joe Marlowe spoke.")
            .holder(
                "Joe Marlowe",
                "Joe Marlowe",
                "Chief of Staff",
                "chief of staff",
                Some("vestria"),
                Tenure::Current,
            )
            .build(),
        ArticleBuilder::new(1, "Daily", "Chief of Staff Joseph R. Marlowe Jr. spoke.")
            .holder(
                "Joseph R. Marlowe Jr.",
                "Joseph R. Marlowe Jr.",
                "Chief of Staff",
                "chief of staff",
                Some("vestria"),
                Tenure::Current,
            )
            .build(),
        ArticleBuilder::new(2, "Post", "Chief of Staff Joe Marlow spoke.")
            .holder(
                "Joe Marlow",
                "Joe Marlow",
                "Chief of Staff",
                "chief of staff",
                Some("vestria"),
                Tenure::Current,
            )
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Agree], "{groups:#?}");
}

const OPINION: &str = "It is our considered opinion that the Brine Guild no longer presents a serious risk to Vestria";

fn letter_quotes() -> Vec<AnalyzedArticle> {
    let a = format!("“{OPINION},” the letter states.");
    let b = format!("“{OPINION},” the letter states. “The sole sensible course is a truce.”");
    vec![
        ArticleBuilder::new(0, "Arab News", &a)
            .quote(
                OPINION,
                By::Document("the letter"),
                Some("the letter states"),
            )
            .build(),
        ArticleBuilder::new(1, "Vanguard", &b)
            .quote(
                OPINION,
                By::Document("the letter"),
                Some("the letter states"),
            )
            .quote(
                "The sole sensible course is a truce.",
                By::Document("the letter"),
                None,
            )
            .build(),
        ArticleBuilder::new(
            2,
            "Unherd",
            "“The militia has been disbanded as a fighting force,” the open letter says.",
        )
        .quote(
            "The militia has been disbanded as a fighting force,",
            By::Document("the open letter"),
            Some("the open letter says"),
        )
        .build(),
    ]
}

#[test]
fn same_words_are_verbatim_and_unmatched_document_quotes_are_paraphrase() {
    let articles = letter_quotes();
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(
        verdicts(&groups),
        [Verdict::ParaphraseInQuotes, Verdict::QuoteVerbatim],
        "{groups:#?}"
    );
    assert_eq!(
        groups[1].explanation,
        "“It is our considered opinion that the Brine Guild no longer…” (the letter) in Arab News, Vanguard, word for word"
    );
    let paraphrase = &groups[0];
    assert!(
        paraphrase
            .explanation
            .starts_with("Unherd attributes “The militia has been disbanded"),
        "{}",
        paraphrase.explanation
    );
    assert_eq!(paraphrase.evidence.len(), 3);
    assert_eq!(
        articles[2].quote(paraphrase.evidence[0]),
        "The militia has been disbanded as a fighting force,"
    );
    assert_eq!(paraphrase.independent_sources, 3);
}

#[test]
fn a_document_quoted_by_only_one_other_source_is_not_judged() {
    // 0 and 1 are copies: their shared quote is one source, so it corroborates nothing and
    // cannot show that 2 paraphrased.
    let articles = letter_quotes();
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[(0, 1)])]);
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn a_copy_that_changed_a_quote_is_still_reported() {
    let mut articles = letter_quotes();
    articles[1] = ArticleBuilder::new(1, "Vanguard", "“It is our firm opinion that the Brine Guild no longer presents a serious risk to Vestria,” the letter states.")
        .quote("It is our firm opinion that the Brine Guild no longer presents a serious risk to Vestria", By::Document("the letter"), None)
        .build();
    let groups = run(&articles, &[story(0, &[0, 1], &[(0, 1)])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered]);
    assert_eq!(groups[0].independent_sources, 1);
}

#[test]
fn a_quote_inside_a_longer_one_is_a_verbatim_sub_span() {
    let long = "At the start, the strike was a fair strike, a needed strike, but once we had won every demand we made, this strike stopped being a fair strike";
    let articles = vec![
        ArticleBuilder::new(0, "A", &format!("“{long},” Dunmore said."))
            .quote(long, By::Person("Dunmore"), Some("said"))
            .build(),
        ArticleBuilder::new(1, "B", "Dunmore said “once we had won every demand we made, this strike stopped being a fair strike.”")
            .quote("once we had won every demand we made, this strike stopped being a fair strike.", By::Person("Dunmore"), Some("said"))
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteVerbatim]);
    assert!(
        groups[0]
            .explanation
            .ends_with("; B quote a verbatim part of it"),
        "{}",
        groups[0].explanation
    );
    assert_eq!(groups[0].claims.len(), 2);
    assert!(groups[0].diffs.is_empty());
}

#[test]
fn changed_words_make_an_altered_quote_with_a_word_diff() {
    let articles = vec![
        ArticleBuilder::new(0, "A", "“It is our considered opinion that the Brine Guild no longer presents a serious risk to Vestria,” they wrote.")
            .quote("It is our considered opinion that the Brine Guild no longer presents a serious risk to Vestria", By::Document("they"), None)
            .build(),
        ArticleBuilder::new(1, "B", "“It is our firm view that the Brine Guild no longer presents a serious risk to Vestria now,” they wrote.")
            .quote("It is our firm view that the Brine Guild no longer presents a serious risk to Vestria now", By::Document("they"), None)
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    let g = &groups[0];
    assert!(
        g.explanation
            .ends_with("altered in B: \"considered opinion\" → \"firm view\", +\"now\""),
        "{}",
        g.explanation
    );
    assert_eq!(g.diffs.len(), 1);
    assert_eq!(
        g.diffs[0].segments,
        [
            DiffSegment::Equal("It is our".into()),
            DiffSegment::Delete("considered opinion".into()),
            DiffSegment::Insert("firm view".into()),
            DiffSegment::Equal(
                "that the Brine Guild no longer presents a serious risk to Vestria".into()
            ),
            DiffSegment::Insert("now".into()),
        ]
    );
}

#[test]
fn different_speakers_link_only_when_nearly_identical() {
    let articles = vec![
        ArticleBuilder::new(
            0,
            "A",
            "“There can be no Guild and no free harbour today,” Varga told aides.",
        )
        .quote(
            "There can be no Guild and no free harbour today",
            By::Person("Varga"),
            None,
        )
        .build(),
        ArticleBuilder::new(1, "B", "“No Guild and no free harbour,” Lind said.")
            .quote("No Guild and no free harbour", By::Person("Lind"), None)
            .build(),
        ArticleBuilder::new(
            2,
            "C",
            "“There can be no Guild and no free harbour today,” Oduya said.",
        )
        .quote(
            "There can be no Guild and no free harbour today",
            By::Person("Oduya"),
            None,
        )
        .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert!(
        groups.is_empty(),
        "a sub-span under another name is not the same quote: {groups:#?}"
    );
    let groups = run(&articles, &[story(0, &[0, 2], &[])]);
    assert_eq!(
        verdicts(&groups),
        [Verdict::SpeakerConflict, Verdict::QuoteVerbatim]
    );
    assert_eq!(
        groups[0].explanation,
        "“There can be no Guild and no free harbour today” is attributed to Varga (A) vs Oduya (C)"
    );
    assert!(
        groups[1]
            .explanation
            .ends_with("; attribution differs: Varga (A) vs Oduya (C)"),
        "{}",
        groups[1].explanation
    );
}

#[test]
fn a_quote_flagged_in_essence_is_a_paraphrase_even_alone() {
    let mut articles = letter_quotes();
    articles[2] = ArticleBuilder::new(
        2,
        "Unherd",
        "“The militia has been disbanded as a fighting force,” the letter argues in essence.",
    )
    .quote(
        "The militia has been disbanded as a fighting force,",
        By::Document("the letter"),
        Some("the letter argues in essence"),
    )
    .build();
    let groups = run(&articles, &[story(0, &[2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::ParaphraseInQuotes]);
    assert_eq!(
        groups[0].explanation,
        "Unherd prints “The militia has been disbanded as a fighting force” in quotation marks but flags it as a paraphrase (“the letter argues in essence”)"
    );
    assert_eq!(
        articles[2].quote(groups[0].evidence[1]),
        "the letter argues in essence"
    );

    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    let paraphrases: Vec<&ClaimGroup> = groups
        .iter()
        .filter(|g| g.verdict == Verdict::ParaphraseInQuotes)
        .collect();
    assert_eq!(
        paraphrases.len(),
        1,
        "flagged once, not again by the document rule"
    );
    assert_eq!(
        paraphrases[0].claims.len(),
        3,
        "with the letter as the two others print it, one version per source"
    );
}

#[test]
fn groups_are_sorted_by_verdict_then_sources() {
    let mut articles = signatories();
    articles.extend(chiefs().into_iter().enumerate().map(|(i, mut a)| {
        let id = 3 + i as u32;
        a.article.id = id;
        for c in &mut a.claims {
            if let corroborate_model::ClaimKind::OfficeHolder(h) = &mut c.kind {
                h.person_span.doc = id;
                h.office_span.doc = id;
            }
            c.evidence.doc = id;
        }
        a
    }));
    let groups = run(
        &articles,
        &[story(0, &[0, 1, 2], &[]), story(1, &[3, 4, 5, 6], &[])],
    );
    assert_eq!(
        verdicts(&groups),
        [Verdict::Conflict, Verdict::HolderConflict, Verdict::Agree]
    );
}

mod properties {
    use super::*;
    use corroborate_model::ClaimKind;
    use proptest::prelude::*;

    const WORDS: [&str; 8] = [
        "war",
        "hostages",
        "letter",
        "“Guild”",
        "officials",
        "550",
        "Port—City",
        "é",
    ];

    fn article(id: u32, seed: &[u8]) -> AnalyzedArticle {
        let text: String = seed
            .iter()
            .map(|&b| WORDS[b as usize % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ");
        let mut builder = ArticleBuilder::new(id, ["A", "B", ""][id as usize % 3], &text);
        for (i, &b) in seed.iter().enumerate() {
            let word = WORDS[b as usize % WORDS.len()];
            builder = match i % 3 {
                0 => builder.quantity(
                    word,
                    Interval::exact(f64::from(b % 7) * 100.0),
                    [
                        Precision::Exact,
                        Precision::Approximate,
                        Precision::Bound,
                        Precision::Vague,
                    ][b as usize % 4],
                    QuantityUnit::Count,
                    thing(
                        word,
                        "official",
                        &[["former", "vestrian", "retired"][b as usize % 3]],
                        Some("sign"),
                    ),
                ),
                1 => builder.quote(word, By::Nobody, None),
                _ => builder.holder(
                    word,
                    ["Tesk", "Vass"][b as usize % 2],
                    word,
                    "chief of staff",
                    None,
                    Tenure::Current,
                ),
            };
        }
        builder.build()
    }

    proptest! {
        #[test]
        fn groups_stay_in_their_story_and_point_at_real_claims(
            seeds in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..8), 1..12),
            assignment in proptest::collection::vec(0usize..3, 12),
            copies in proptest::collection::vec((0u32..12, 0u32..12), 0..4),
            corrupt in proptest::collection::vec(any::<bool>(), 12),
        ) {
            let mut articles: Vec<AnalyzedArticle> =
                seeds.iter().enumerate().map(|(i, s)| article(i as u32, s)).collect();
            // Spans from a faulty extractor: past the end, or inside a multi-byte character.
            for (a, &bad) in articles.iter_mut().zip(&corrupt) {
                if bad {
                    let len = a.article.text.len();
                    for c in &mut a.claims {
                        match &mut c.kind {
                            ClaimKind::Quantity(q) => q.number.end = len + 3,
                            ClaimKind::Quote(q) => q.content.start += 1,
                            ClaimKind::OfficeHolder(h) => h.person_span.doc += 1,
                            _ => {}
                        }
                    }
                }
            }
            let mut stories: Vec<Story> = (0..3).map(|s| story(s, &[], &[])).collect();
            for id in 0..articles.len() {
                stories[assignment[id]].docs.push(id as u32);
            }
            for (a, b) in copies {
                if let Some(s) = stories.iter_mut().find(|s| s.docs.contains(&a) && s.docs.contains(&b)) {
                    s.near_duplicates.extend(story(0, &[], &[(a, b)]).near_duplicates);
                }
            }
            let groups = run(&articles, &stories);
            for g in &groups {
                let story = g.story.and_then(|s| stories.get(s)).expect("group has a story");
                prop_assert!(!g.claims.is_empty());
                prop_assert!(!g.evidence.is_empty(), "a group without evidence: {g:?}");
                prop_assert!(!g.explanation.is_empty() && !g.explanation.contains('\n'));
                prop_assert!(g.independent_sources >= 1);
                for r in &g.claims {
                    prop_assert!(story.docs.contains(&r.doc));
                    prop_assert!(articles[r.doc as usize].claims.get(r.claim).is_some());
                }
                for s in &g.evidence {
                    prop_assert!(story.docs.contains(&s.doc));
                    prop_assert!(s.slice(&articles[s.doc as usize].article.text).is_some());
                }
                if let Some(ClaimKind::Quote(_)) = g.claims.first().and_then(|r| articles[r.doc as usize].claims.get(r.claim)).map(|c| &c.kind) {
                    prop_assert!(g.claims.iter().all(|r| matches!(articles[r.doc as usize].claims[r.claim].kind, ClaimKind::Quote(_))));
                }
            }
            for w in groups.windows(2) {
                prop_assert!(w[0].verdict <= w[1].verdict);
            }
        }
    }
}

#[test]
fn unmatched_quotes_of_people_are_judged_only_when_asked() {
    let said = |id, outlet, text: &str, quote: &str| {
        ArticleBuilder::new(id, outlet, text)
            .quote(quote, By::Person("Dunmore"), Some("said"))
            .build()
    };
    let mut articles = vec![
        said(
            0,
            "A",
            "“This strike stopped being a fair strike,” Dunmore said.",
            "This strike stopped being a fair strike",
        ),
        said(
            1,
            "B",
            "“This strike stopped being a fair strike,” Dunmore said.",
            "This strike stopped being a fair strike",
        ),
        said(
            2,
            "C",
            "“We must bring everyone home now,” Dunmore said.",
            "We must bring everyone home now",
        ),
    ];
    let stories = [story(0, &[0, 1, 2], &[])];
    assert_eq!(
        verdicts(&run(&articles, &stories)),
        [Verdict::QuoteVerbatim]
    );
    let options = AlignOptions {
        unmatched_quotes_of_people: true,
        ..AlignOptions::default()
    };
    let groups = align(&articles, &stories, &options);
    assert_eq!(
        verdicts(&groups),
        [Verdict::ParaphraseInQuotes, Verdict::QuoteVerbatim]
    );
    assert_eq!(
        groups[0].explanation,
        "C attributes “We must bring everyone home now” to Dunmore, but its wording matches none of \
         Dunmore as A, B quote it (“This strike stopped being a fair strike”)"
    );

    // The extractor's own paraphrase flag counts like an "in essence" cue.
    if let corroborate_model::ClaimKind::Quote(q) = &mut articles[2].claims[0].kind {
        q.marked_paraphrase = true;
    }
    let groups = run(&articles, &stories);
    assert_eq!(
        verdicts(&groups),
        [Verdict::ParaphraseInQuotes, Verdict::QuoteVerbatim]
    );
    assert!(
        groups[0]
            .explanation
            .starts_with("C prints “We must bring everyone home now” in quotation marks")
    );
}

#[test]
fn malformed_values_are_not_compared() {
    let groups = pair(
        (
            "The unemployment rate reached 550.",
            "550",
            Interval::exact(f64::NAN),
            Precision::Exact,
        ),
        (
            "The unemployment rate reached 600.",
            "600",
            Interval::between(700.0, 600.0),
            Precision::Exact,
        ),
        QuantityUnit::Count,
    );
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn flagged_sentences_of_one_passage_are_one_group() {
    let mut articles = letter_quotes();
    articles[2] = ArticleBuilder::new(
        2,
        "Unherd",
        "“The militia has been disbanded,” the letter argues in essence. “More fighting only risks lives.”",
    )
    .quote("The militia has been disbanded", By::Document("the letter"), Some("the letter argues in essence"))
    .quote("More fighting only risks lives.", By::Document("the letter"), None)
    .build();
    for claim in &mut articles[2].claims {
        if let corroborate_model::ClaimKind::Quote(q) = &mut claim.kind {
            q.marked_paraphrase = true;
        }
    }
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(
        verdicts(&groups),
        [Verdict::ParaphraseInQuotes, Verdict::QuoteVerbatim]
    );
    assert_eq!(
        groups[0].explanation,
        "Unherd prints “The militia has been disbanded” and one more passage in quotation marks but \
         flags them as a paraphrase (“the letter argues in essence”); Arab News, Vanguard quote \
         the letter as “It is our considered opinion that the Brine Guild no longer…”"
    );
    let evidence: Vec<&str> = groups[0]
        .evidence
        .iter()
        .map(|s| articles[s.doc as usize].quote(*s))
        .collect();
    assert_eq!(
        evidence[..3],
        [
            "The militia has been disbanded",
            "the letter argues in essence",
            "More fighting only risks lives."
        ]
    );
    assert_eq!(groups[0].claims.len(), 4);
}

#[test]
fn a_quote_and_a_figure_only_one_source_gives_are_single_source() {
    let statement = "We will rebuild every pier before the winter storms";
    let articles = vec![
        ArticleBuilder::new(
            0,
            "Wire",
            &format!("“{statement},” Varga said. The fire cost $35 million."),
        )
        .quote(statement, By::Person("Varga"), Some("Varga said"))
        .quantity(
            "$35 million",
            Interval::exact(35e6),
            Precision::Exact,
            QuantityUnit::Money {
                currency: "USD".into(),
            },
            thing("The fire", "fire", &[], None),
        )
        .build(),
        ArticleBuilder::new(
            1,
            "Daily",
            "“Short words,” Varga said. The fire cost 35 million dollars.",
        )
        .quote("Short words", By::Person("Varga"), Some("Varga said"))
        .build(),
    ];
    let groups = align(
        &articles,
        &[story(0, &[0, 1], &[])],
        &AlignOptions::default(),
    );
    let singles: Vec<&str> = groups
        .iter()
        .filter(|g| g.verdict == Verdict::SingleSource)
        .map(|g| g.explanation.as_str())
        .collect();
    assert!(
        singles.contains(&"only Wire quotes Varga as saying “We will rebuild every pier before the winter storms”"),
        "{singles:#?}"
    );
    assert!(
        singles
            .iter()
            .any(|e| e.starts_with("only Wire gives") && e.contains("$35 million")),
        "{singles:#?}"
    );
    assert!(
        !singles.iter().any(|e| e.contains("Short words")),
        "a phrase is not a statement"
    );
}

#[test]
fn a_quote_two_sources_print_is_not_single_source() {
    let statement = "We will rebuild every pier before the winter storms";
    let text = format!("“{statement},” Varga said.");
    let articles = vec![
        ArticleBuilder::new(0, "Wire", &text)
            .quote(statement, By::Person("Varga"), Some("Varga said"))
            .build(),
        ArticleBuilder::new(1, "Daily", &text)
            .quote(statement, By::Person("Varga"), Some("Varga said"))
            .build(),
    ];
    let groups = align(
        &articles,
        &[story(0, &[0, 1], &[])],
        &AlignOptions::default(),
    );
    assert_eq!(verdicts(&groups), [Verdict::QuoteVerbatim], "{groups:#?}");
}

fn money(b: ArticleBuilder, number: &str, value: f64, phrase: &str) -> AnalyzedArticle {
    b.quantity(
        number,
        Interval::exact(value),
        Precision::Exact,
        QuantityUnit::Money {
            currency: "USD".into(),
        },
        thing(phrase, "", &[], None),
    )
    .build()
}

#[test]
fn close_figures_in_matching_contexts_conflict_without_a_counted_noun() {
    let a = "The order unlocks military construction money, to the tune of $3.5 billion, for the harbour wall.";
    let b = "The order lets the governor divert $3.6 billion from military construction projects to the harbour wall.";
    let articles = vec![
        money(
            ArticleBuilder::new(0, "Wire", a),
            "$3.5 billion",
            3.5e9,
            "military construction money",
        ),
        money(
            ArticleBuilder::new(1, "Daily", b),
            "$3.6 billion",
            3.6e9,
            "military construction projects",
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    let conflicts: Vec<&ClaimGroup> = groups
        .iter()
        .filter(|g| g.verdict == Verdict::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 1, "{groups:#?}");
    assert!(
        conflicts[0]
            .explanation
            .contains("$3.5 billion (Wire) vs $3.6 billion (Daily)"),
        "{}",
        conflicts[0].explanation
    );
}

#[test]
fn figures_in_unrelated_contexts_or_far_apart_never_conflict() {
    let a = "The council spent $3.5 billion on schools and libraries this spring.";
    let b = "The port authority borrowed $3.6 billion to rebuild the harbour wall.";
    let c = "The order unlocks military construction money, to the tune of $9 billion, for the harbour wall.";
    let d = "The order lets the governor divert $3.6 billion from military construction projects to the harbour wall.";
    let articles = vec![
        money(
            ArticleBuilder::new(0, "Wire", a),
            "$3.5 billion",
            3.5e9,
            "schools",
        ),
        money(
            ArticleBuilder::new(1, "Daily", b),
            "$3.6 billion",
            3.6e9,
            "harbour wall",
        ),
        money(
            ArticleBuilder::new(2, "Post", c),
            "$9 billion",
            9e9,
            "military construction money",
        ),
        money(
            ArticleBuilder::new(3, "Times", d),
            "$3.6 billion",
            3.6e9,
            "military construction projects",
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[]), story(1, &[2, 3], &[])]);
    assert!(
        groups.iter().all(|g| g.verdict != Verdict::Conflict),
        "{groups:#?}"
    );
}

#[test]
fn a_change_two_versions_make_is_named_once() {
    let said = "We will rebuild every pier before the winter storms arrive";
    let changed = "We will repair every pier before the winter storms arrive";
    let article = |id, outlet: &str, words: &str| {
        ArticleBuilder::new(id, outlet, &format!("“{words},” Varga said."))
            .quote(words, By::Person("Varga"), Some("Varga said"))
            .build()
    };
    let articles = vec![
        article(0, "Wire", said),
        article(1, "Daily", said),
        article(2, "Post", changed),
        article(3, "Times", &format!("{changed} soon")),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2, 3], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    let explanation = &groups[0].explanation;
    assert_eq!(
        explanation.matches("\"rebuild\" → \"repair\"").count(),
        1,
        "{explanation}"
    );
    assert!(
        explanation.contains("Post") && explanation.contains("Times"),
        "{explanation}"
    );
}

#[test]
fn a_figure_for_a_union_never_meets_a_figure_for_a_part() {
    let count = |b: ArticleBuilder, number: &str, value: f64, phrase: &str, modifiers: &[&str]| {
        b.quantity(
            number,
            Interval::at_least(value),
            Precision::Bound,
            QuantityUnit::Count,
            thing(phrase, "store", modifiers, None),
        )
        .build()
    };
    let articles = vec![
        count(
            ArticleBuilder::new(
                0,
                "Wire",
                "It runs more than 4,300 Brine and Harbour Club stores.",
            ),
            "more than 4,300",
            4300.0,
            "Brine and Harbour Club stores",
            &["brine", "harbour", "club"],
        ),
        count(
            ArticleBuilder::new(1, "Daily", "It runs more than 3,400 stores."),
            "more than 3,400",
            3400.0,
            "stores",
            &[],
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert!(
        groups.iter().all(|g| g.verdict != Verdict::Conflict),
        "{groups:#?}"
    );
}

/// Articles on a flood's toll, each published on `dates[i]` with the figure `tolls[i]`.
fn tolls(dates: &[&str], tolls: &[u32]) -> Vec<AnalyzedArticle> {
    let outlets = ["Times", "Post", "Herald", "Globe"];
    dates
        .iter()
        .zip(tolls)
        .enumerate()
        .map(|(i, (date, toll))| {
            let text = format!("At least {toll} people were killed in the Vestrian floods.");
            let number = format!("{toll}");
            ArticleBuilder::new(i as DocId, outlets[i], &text)
                .published(date)
                .quantity(
                    &number,
                    Interval::exact(f64::from(*toll)),
                    Precision::Exact,
                    QuantityUnit::Count,
                    thing("people", "people", &[], Some("kill")),
                )
                .build()
        })
        .collect()
}

#[test]
fn a_figure_that_rises_from_day_to_day_is_a_development_not_a_conflict() {
    let articles = tolls(&["2024-03-01", "2024-03-01", "2024-03-02"], &[12, 12, 19]);
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Evolving], "{groups:#?}");
    let explanation = &groups[0].explanation;
    assert!(
        explanation.contains("12 (Times, Post, 2024-03-01) → 19 (Herald, 2024-03-02)")
            && explanation.ends_with("latest 19 (Herald, 2024-03-02)"),
        "{explanation}"
    );
    assert!(!groups[0].verdict.is_alarm());
}

#[test]
fn figures_that_differ_on_one_day_or_fall_later_stay_a_conflict() {
    let same_day = tolls(&["2024-03-01", "2024-03-01"], &[12, 19]);
    let groups = run(&same_day, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");

    let falling = tolls(&["2024-03-01", "2024-03-02"], &[19, 12]);
    let groups = run(&falling, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");

    let undated = {
        let mut articles = tolls(&["2024-03-01", "2024-03-02"], &[12, 19]);
        articles[1].article.published = None;
        articles
    };
    let groups = run(&undated, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");
}

#[test]
fn one_happening_on_days_that_cannot_meet_is_a_dating_conflict() {
    let articles = vec![
        ArticleBuilder::new(0, "Times", "Harbour trustees last week warned the pension reserve will be exhausted in 2036. Talks resume.")
            .date("last week", "2011-06-03", "2011-06-16")
            .build(),
        ArticleBuilder::new(1, "Post", "Projections from harbour trustees, issued last month, say the pension reserve will be exhausted by 2036.")
            .date("last month", "2011-05-01", "2011-05-31")
            .build(),
        // Another happening told in other words, on another day: not the same event.
        ArticleBuilder::new(2, "Herald", "The mayor opened the new ferry terminal on June 2. Crowds cheered.")
            .date("June 2", "2011-06-02", "2011-06-02")
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::DatingConflict], "{groups:#?}");
    let explanation = &groups[0].explanation;
    assert!(
        explanation.contains("“last week” (Times: 2011-06-03 to 2011-06-16)")
            && explanation.contains("“last month” (Post: 2011-05-01 to 2011-05-31)")
            && explanation.contains("exhausted"),
        "{explanation}"
    );
}

#[test]
fn dates_of_one_happening_that_overlap_or_touch_agree_silently() {
    let articles = vec![
        ArticleBuilder::new(0, "Times", "Harbour trustees last week warned the pension reserve will be exhausted in 2036.")
            .date("last week", "2011-06-03", "2011-06-16")
            .build(),
        ArticleBuilder::new(1, "Post", "Harbour trustees warned on June 15 that the pension reserve will be exhausted by 2036.")
            .date("June 15", "2011-06-15", "2011-06-15")
            .build(),
        ArticleBuilder::new(2, "Globe", "Harbour trustees warned on June 17 that the pension reserve will be exhausted by 2036.")
            .date("June 17", "2011-06-17", "2011-06-17")
            .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn units_of_measure_are_compared_after_exact_conversion() {
    let weight = |id: DocId, outlet: &str, text: &str, number: &str, value: f64, unit: &str| {
        ArticleBuilder::new(id, outlet, text)
            .quantity(
                number,
                Interval::exact(value),
                Precision::Exact,
                QuantityUnit::Count,
                thing(unit, unit, &[], None),
            )
            .build()
    };
    // 25 tonnes are 27.6 short tons: not 19 tons.
    let articles = vec![
        weight(
            0,
            "Times",
            "Cranes lifted the 19-ton sculpture.",
            "19",
            19.0,
            "ton",
        ),
        weight(
            1,
            "Post",
            "Cranes lifted the 25-tonne sculpture.",
            "25",
            25.0,
            "tonne",
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");
    // 12 kilometres are 7.5 miles: they agree with "7.5 miles".
    let articles = vec![
        weight(
            0,
            "Times",
            "The convoy drove 12 kilometers.",
            "12",
            12.0,
            "kilometer",
        ),
        weight(1, "Post", "The convoy drove 7.5 miles.", "7.5", 7.5, "mile"),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Agree], "{groups:#?}");
}
/// One article quoting `content` as said by `by`, with nothing else in it.
fn quoting(id: DocId, outlet: &str, content: &str, by: By<'_>) -> AnalyzedArticle {
    let speaker = match by {
        By::Person(name) | By::Document(name) => name,
        By::Nobody => "",
    };
    ArticleBuilder::new(id, outlet, &format!("“{content}” {speaker} said."))
        .quote(content, by, None)
        .build()
}

#[test]
fn a_word_opening_the_next_sentence_is_an_alteration_not_a_sentence_left_out() {
    let articles = vec![
        quoting(
            0,
            "A",
            "Some phony ideal. Some phony theology. Not a theology from the harbour charter.",
            By::Person("Varga"),
        ),
        quoting(
            1,
            "B",
            "Some phony ideal. Some phony theology. Oh, not a theology from the harbour charter.",
            By::Person("Varga"),
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
}

#[test]
fn a_lone_shared_word_one_change_from_the_quote_keeps_the_change_inside() {
    let articles = vec![
        quoting(
            0,
            "A",
            "rationale for gutting the harbour programs",
            By::Nobody,
        ),
        quoting(
            1,
            "B",
            "a rationale gutting the harbour programs",
            By::Nobody,
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
}

#[test]
fn an_ampersand_is_and() {
    let articles = vec![
        quoting(
            0,
            "A",
            "conservation & healthy herds are critical to the valley",
            By::Nobody,
        ),
        quoting(
            1,
            "B",
            "conservation and healthy herds are critical to the valley",
            By::Nobody,
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteVerbatim], "{groups:#?}");
}

#[test]
fn a_document_and_a_person_given_for_one_quote_are_compared_and_the_majority_speaker_leads() {
    let articles = vec![
        quoting(
            0,
            "A",
            "Your budget appears to reflect the values of your favorite philosopher rather than the harbour charter",
            By::Document("the letter"),
        ),
        quoting(
            1,
            "B",
            "I am afraid that your budget reflects the values of your favorite philosopher rather than the harbour charter",
            By::Person("Varga"),
        ),
        quoting(
            2,
            "C",
            "Your budget appears to reflect the values of your favorite philosopher rather than the harbour charter",
            By::Document("the letter"),
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    let g = &groups[0];
    assert_eq!(
        g.topic,
        corroborate_model::Topic::Quote {
            speaker: Some("the letter".into())
        }
    );
    assert!(
        g.explanation.contains("attribution differs"),
        "{}",
        g.explanation
    );
}

#[test]
fn crossed_excerpts_of_one_remark_are_compared_on_their_overlap() {
    // A starts inside B's version and runs on past its end; B says "in most years" where A
    // has nothing: a change inside the overlap.
    let articles = vec![
        quoting(
            0,
            "A",
            "has been a fair deal for the harbour towns. We have seen boats return, shops reopen and the quays fill again",
            By::Person("Varga"),
        ),
        quoting(
            1,
            "B",
            "I think the guild charter has been, in most years, a fair deal for the harbour towns",
            By::Person("Varga"),
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    assert!(
        groups[0].explanation.contains("+\"in most years\""),
        "{}",
        groups[0].explanation
    );
}

#[test]
fn excerpts_that_differ_only_where_one_marks_an_elision_are_not_altered() {
    // A jumps ("…") to a later passage of the remarks that B leaves out; B goes on with words
    // A skipped. Nothing inside what both print was changed.
    let articles = vec![
        quoting(
            0,
            "A",
            "We are going to repair the sea wall along the northern harbour … come what may, we will do our part",
            By::Person("Varga"),
        ),
        quoting(
            1,
            "B",
            "We are going to repair the sea wall along the northern harbour, and we are going to finish it come what may",
            By::Person("Varga"),
        ),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert!(
        !verdicts(&groups).contains(&Verdict::QuoteAltered),
        "{groups:#?}"
    );
}

/// An article naming `name` with `title` (canonical office title) of an unnamed body.
fn titled(id: DocId, outlet: &str, written: &str, name: &str, title: &str) -> AnalyzedArticle {
    let text = format!("{written} {name} spoke on Monday.");
    ArticleBuilder::new(id, outlet, &text)
        .holder(name, name, written, title, None, Tenure::Current)
        .build()
}

#[test]
fn one_person_given_two_top_posts_by_different_outlets_is_a_title_conflict() {
    let articles = vec![
        titled(0, "Wire", "CEO", "Ada Rinn", "chief executive"),
        titled(1, "Daily", "company president", "Ada T. Rinn", "president"),
        titled(2, "Post", "President", "Ada Rinn", "president"),
    ];
    let groups = run(&articles, &[story(0, &[0, 1, 2], &[])]);
    let conflicts: Vec<&ClaimGroup> = groups
        .iter()
        .filter(|g| g.verdict == Verdict::HolderConflict)
        .collect();
    assert_eq!(conflicts.len(), 1, "{groups:#?}");
    assert_eq!(
        conflicts[0].explanation,
        "Ada T. Rinn's post: chief executive (Wire) vs president (Daily, Post)"
    );
}

#[test]
fn two_posts_one_article_gives_together_or_a_namesake_are_no_title_conflict() {
    let both = ArticleBuilder::new(1, "Daily", "President Ada Rinn, the CEO Ada Rinn, spoke.")
        .holder(
            "Ada Rinn",
            "Ada Rinn",
            "President",
            "president",
            None,
            Tenure::Current,
        )
        .holder(
            "Ada Rinn",
            "Ada Rinn",
            "CEO",
            "chief executive",
            None,
            Tenure::Current,
        )
        .build();
    let articles = vec![
        titled(0, "Wire", "CEO", "Ada Rinn", "chief executive"),
        both,
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert!(
        !verdicts(&groups).contains(&Verdict::HolderConflict),
        "{groups:#?}"
    );
    let namesakes = vec![
        titled(0, "Wire", "CEO", "Ada Rinn", "chief executive"),
        titled(1, "Daily", "chairman", "Tomas Rinn", "chair"),
    ];
    let groups = run(&namesakes, &[story(0, &[0, 1], &[])]);
    assert!(
        !verdicts(&groups).contains(&Verdict::HolderConflict),
        "{groups:#?}"
    );
}

#[test]
fn a_quote_of_an_outlets_report_is_checked_against_that_outlets_article() {
    let first = "The charges against Vance were expected to include bribery and fraud, and to focus largely on the harbour contracts, two people said.";
    let second = "She denies them.";
    let report = ArticleBuilder::new(0, "The Ledger", &format!("{first} {second}"))
        .sentences(&[first, second])
        .build();
    let quoted = "will include bribery and fraud and focus on the harbour contracts";
    let quoting = ArticleBuilder::new(
        1,
        "Daily",
        &format!("The Ledger reported the charges “{quoted},” citing a person close to the case."),
    )
    .quote(quoted, By::Person("The Ledger"), Some("reported"))
    .build();
    let groups = run(&[report.clone(), quoting], &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    assert!(
        groups[0].explanation.ends_with(
            "The Ledger's own article words it otherwise: \"will\" → \"were expected to\", +\"to\", +\"largely\""
        ),
        "{}",
        groups[0].explanation
    );
    assert_eq!(groups[0].evidence.len(), 2);

    let faithful =
        "were expected to include bribery and fraud, and to focus largely on the harbour contracts";
    let quoting = ArticleBuilder::new(
        1,
        "Daily",
        &format!("The Ledger reported the charges “{faithful}.”"),
    )
    .quote(faithful, By::Person("The Ledger"), Some("reported"))
    .build();
    let groups = run(&[report, quoting], &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::QuoteVerbatim], "{groups:#?}");
}

#[test]
fn a_quoted_fragment_with_a_word_changed_from_the_speakers_quote_elsewhere_is_altered() {
    let statement = "We are especially worried about how this ordinance could affect our members";
    let full = ArticleBuilder::new(
        0,
        "Wire",
        &format!("“{statement},” said league president Ada Rinn."),
    )
    .quote(statement, By::Person("Ada Rinn"), Some("said"))
    .build();
    let fragment_of = |fragment: &str| {
        ArticleBuilder::new(
            1,
            "Daily",
            &format!(
                "League president Ada Rinn said the league was “{fragment}” about the ordinance."
            ),
        )
        .quote(fragment, By::Person("Ada Rinn"), Some("said"))
        .build()
    };
    let groups = run(
        &[full.clone(), fragment_of("deeply worried")],
        &[story(0, &[0, 1], &[])],
    );
    assert_eq!(verdicts(&groups), [Verdict::QuoteAltered], "{groups:#?}");
    assert!(
        groups[0]
            .explanation
            .ends_with("\"especially\" → \"deeply\""),
        "{}",
        groups[0].explanation
    );
    assert_eq!(groups[0].diffs.len(), 1);

    // Printed word for word, inflected to fit the sentence, or changed only in a function
    // word, the fragment is no alteration.
    for faithful in ["especially worried", "especially worry", "very worried"] {
        let groups = run(
            &[full.clone(), fragment_of(faithful)],
            &[story(0, &[0, 1], &[])],
        );
        assert!(
            !verdicts(&groups).contains(&Verdict::QuoteAltered),
            "{faithful}: {groups:#?}"
        );
    }
    // A changed word the speaker says in another sentence there joins two sentences.
    let second = "We are angry";
    let two_sentences = ArticleBuilder::new(
        0,
        "Wire",
        &format!("“{statement},” said league president Ada Rinn. “{second}.”"),
    )
    .quote(statement, By::Person("Ada Rinn"), Some("said"))
    .quote(second, By::Person("Ada Rinn"), None)
    .build();
    let groups = run(
        &[two_sentences, fragment_of("especially angry")],
        &[story(0, &[0, 1], &[])],
    );
    assert!(groups.is_empty(), "{groups:#?}");
    // Another person's words are not the speaker's.
    let other = ArticleBuilder::new(0, "Wire", &format!("“{statement},” said mayor Tomas Vell."))
        .quote(statement, By::Person("Tomas Vell"), Some("said"))
        .build();
    let groups = run(
        &[other, fragment_of("deeply worried")],
        &[story(0, &[0, 1], &[])],
    );
    assert!(groups.is_empty(), "{groups:#?}");
}

#[test]
fn different_maximum_figures_name_only_the_maximum_figures() {
    let women = |doc: DocId, outlet: &str, text: &str, number: &str, value: Interval| {
        ArticleBuilder::new(doc, outlet, text).quantity(
            number,
            value,
            Precision::Bound,
            QuantityUnit::Count,
            thing("women", "woman", &[], None),
        )
    };
    let articles = vec![
        women(
            0,
            "Wire",
            "The class could include up to 1.6 million women, and at least 544 women gave sworn statements.",
            "up to 1.6 million",
            Interval::between(0.0, 1_600_000.0),
        )
        .quantity(
            "at least 544",
            Interval::at_least(544.0),
            Precision::Bound,
            QuantityUnit::Count,
            thing("women", "woman", &[], None),
        )
        .build(),
        women(
            1,
            "Daily",
            "The class could include as many as 1.5 million women.",
            "as many as 1.5 million",
            Interval::between(0.0, 1_500_000.0),
        )
        .build(),
    ];
    let groups = run(&articles, &[story(0, &[0, 1], &[])]);
    assert_eq!(verdicts(&groups), [Verdict::Conflict], "{groups:#?}");
    assert_eq!(
        groups[0].explanation,
        "outlets give different maximum figures for “women”: up to 1.6 million (Wire) vs \
         as many as 1.5 million (Daily)"
    );
}

#[test]
fn a_copy_that_changed_a_figure_is_found_on_the_token_layer_stored_or_rebuilt() {
    let source = "Officials said the storm killed 12 people in the northern town of Kestrel Bay on Monday night.";
    let copy = "Officials said the storm killed 21 people in the northern town of Kestrel Bay on Monday night.";
    let mut articles = vec![
        ArticleBuilder::new(0, "Wire", source).build(),
        ArticleBuilder::new(1, "Daily", copy).build(),
    ];
    let mut s = story(0, &[0, 1], &[(0, 1)]);
    s.near_duplicates[0].likely_source = Some(0);
    s.near_duplicates[0].shared = vec![(
        corroborate_model::Span::new(0, corroborate_model::TextRange::new(0, source.len())),
        corroborate_model::Span::new(1, corroborate_model::TextRange::new(0, copy.len())),
    )];
    let changed = |articles: &[AnalyzedArticle]| {
        let groups = run(articles, std::slice::from_ref(&s));
        assert_eq!(verdicts(&groups), [Verdict::CopyAltered], "{groups:#?}");
        groups[0]
            .evidence
            .iter()
            .map(|e| &articles[e.doc as usize].article.text[e.start..e.end])
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Records read back from storage carry no layer: align rebuilds it.
    let rebuilt = changed(&articles);
    for a in &mut articles {
        a.tokens = corroborate_nlp::tokenize(&a.article.text);
    }
    assert_eq!(changed(&articles), rebuilt);
    assert!(rebuilt.iter().any(|e| e == "12"), "{rebuilt:?}");
    assert!(rebuilt.iter().any(|e| e == "21"), "{rebuilt:?}");
}
