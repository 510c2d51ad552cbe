//! Near-duplicate precision/recall and story quality on a small corpus from the generator
//! binary (planted exact copies and synonym-swapped, clause-reordered rewrites).

use corroborate_cluster::eval::{bcubed, duplicate_pairs};
use corroborate_cluster::{ArticleFeatures, ArticleText, ClusterOptions, cluster_features};

mod common;

#[test]
fn planted_copies_are_found_and_stories_recovered() {
    let (records, truth) = common::generate(2000, 7);
    let options = ClusterOptions::default();
    let features: Vec<ArticleFeatures> = records
        .iter()
        .map(|r| {
            let byline = r.authors.join(", ");
            let input = ArticleText {
                text: &r.text,
                title: Some(&r.title),
                published: chrono::NaiveDate::parse_from_str(&r.date, "%Y-%m-%d").ok(),
                byline: Some(&byline),
                ..Default::default()
            };
            ArticleFeatures::extract(&input, options.signature_len())
        })
        .collect();
    assert_eq!(features.len(), 2000);
    let clustering = cluster_features(&features, &options);
    let found: Vec<(u32, u32)> = clustering.duplicates.iter().map(|p| (p.a, p.b)).collect();
    let dup = duplicate_pairs(&found, &truth.duplicates);
    eprintln!("near-duplicates P {:.4} R {:.4}", dup.precision, dup.recall);
    assert!(dup.precision >= 0.93, "precision {:.4}", dup.precision);
    assert!(dup.recall >= 0.95, "recall {:.4}", dup.recall);
    let stories = bcubed(&clustering.labels(features.len()), &truth.stories);
    eprintln!(
        "stories B-cubed P {:.4} R {:.4} F1 {:.4}",
        stories.precision, stories.recall, stories.f1
    );
    assert!(stories.recall >= 0.95, "story recall {:.4}", stories.recall);
    assert!(stories.f1 >= 0.95, "story F1 {:.4}", stories.f1);
}
