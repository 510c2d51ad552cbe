//! Clustering a run in parts (connected components of shared story keys, each clustered with
//! the run's statistics, as the Spark job does) gives exactly the stories of the whole run.

use corroborate_cluster::{
    ArticleFeatures, ClusterOptions, RunStatistics, article_features, cluster, cluster_part,
    story_keys,
};
use corroborate_model::{
    AnalyzedArticle, Article, MetadataOrigin, PublishedDate, SourceRef, Story,
};
use std::collections::HashMap;

mod common;
use common::{Record, generate};

/// The generator's articles (planted copies and rewrites among many stories), with an empty
/// article and an exact copy of the first one at the end.
fn generated(n: usize) -> Vec<AnalyzedArticle> {
    let (mut records, _) = generate(n, 11);
    records.push(Record {
        title: String::new(),
        text: String::new(),
        date: String::new(),
        authors: Vec::new(),
    });
    let first = &records[0];
    records.push(Record {
        title: first.title.clone(),
        text: first.text.clone(),
        date: first.date.clone(),
        authors: Vec::new(),
    });
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut article = Article::from_text(i as u32, SourceRef::file(format!("{i}")), r.text);
            article.title = Some(r.title).filter(|t| !t.is_empty());
            article.byline = Some(r.authors.join(", ")).filter(|b| !b.is_empty());
            article.published = chrono::NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
                .ok()
                .map(|date| PublishedDate {
                    date,
                    origin: MetadataOrigin::Container,
                    raw: r.date.clone(),
                    evidence: None,
                });
            AnalyzedArticle::new(article)
        })
        .collect()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// What the Spark job does, in one process: statistics summed over two halves, keys per
/// article, components of shared keys, each component clustered apart, stories put in order of
/// their first article. Returns the stories and the size of the largest component.
fn in_parts(articles: &[AnalyzedArticle], options: &ClusterOptions) -> (Vec<Story>, usize) {
    let features: Vec<ArticleFeatures> = articles
        .iter()
        .map(|a| article_features(a, options))
        .collect();
    let mut first_copy: HashMap<u64, usize> = HashMap::new();
    let representative: Vec<bool> = features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.copy_key()
                .is_none_or(|k| *first_copy.entry(k).or_insert(i) == i)
        })
        .collect();
    let half = articles.len() / 2;
    let sums = |range: std::ops::Range<usize>| {
        let mut s = RunStatistics::default();
        for i in range {
            s.add(&articles[i], &features[i], representative[i]);
        }
        s
    };
    let statistics =
        RunStatistics::from_bytes(&sums(half..articles.len()).merge(sums(0..half)).to_bytes())
            .expect("statistics read back");
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    let mut holder: HashMap<u64, usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        for key in story_keys(f, representative[i], &statistics, options) {
            let other = *holder.entry(key).or_insert(i);
            let (a, b) = (find(&mut parent, i), find(&mut parent, other));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut components: HashMap<usize, Vec<AnalyzedArticle>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let root = find(&mut parent, i);
        components.entry(root).or_default().push(a.clone());
    }
    let largest = components.values().map(Vec::len).max().unwrap_or(0);
    let mut stories: Vec<Story> = components
        .values()
        .flat_map(|part| cluster_part(part, &statistics, options))
        .collect();
    stories.sort_by_key(|s| s.docs[0]);
    for (id, s) in stories.iter_mut().enumerate() {
        s.id = id;
    }
    (stories, largest)
}

#[test]
fn components_of_shared_keys_clustered_apart_give_the_run_s_stories() {
    let articles = generated(3000);
    let options = ClusterOptions::default();
    let whole = cluster(&articles, &options);
    let (parts, largest) = in_parts(&articles, &options);
    eprintln!(
        "{} articles, {} stories, largest component {largest} articles",
        articles.len(),
        whole.len()
    );
    assert!(whole.iter().any(|s| !s.near_duplicates.is_empty()));
    assert_eq!(parts.len(), whole.len());
    for (p, w) in parts.iter().zip(&whole) {
        assert_eq!(p, w);
    }
}
