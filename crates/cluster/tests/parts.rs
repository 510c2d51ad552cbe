//! Clustering a run in parts (whole average-link clusters of the run's story graph, joined by
//! lone articles, near-duplicates and copies, each part clustered with the run's statistics,
//! links and clusters, as the Spark job does) gives exactly the stories of the whole run.

use corroborate_cluster::{
    ArticleFeatures, ClusterOptions, RunStatistics, StoryKeys, StoryLinks, article_features,
    bucket_pairs, cluster, cluster_part, edge, is_duplicate, posting_neighbours, story_candidates,
    story_keys, story_parts,
};
use corroborate_model::{
    AnalyzedArticle, Article, DocId, MetadataOrigin, PublishedDate, SourceRef, Story,
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

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    parent[a.max(b)] = a.min(b);
}

/// The sizes of the connected components of `parent`, largest first.
fn sizes(parent: &mut [usize]) -> Vec<usize> {
    let mut count: HashMap<usize, usize> = HashMap::new();
    for i in 0..parent.len() {
        *count.entry(find(parent, i)).or_default() += 1;
    }
    let mut sizes: Vec<usize> = count.into_values().collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// A multimap from keys to values, in the order of the values' arrival (a shuffle).
fn shuffle<K: std::hash::Hash + Eq, V>(rows: impl Iterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        out.entry(k).or_default().push(v);
    }
    out
}

/// What the Spark job does, in one process: statistics summed over two halves, story keys per
/// article, each key term's postings to neighbours, each article's neighbours to its story
/// candidates, each LSH bucket to near-duplicate candidates, the candidates that are links,
/// the run's average-link clusters and parts from the links and exact copies, each part
/// clustered apart with its clusters, stories put in order of their first article. Returns the stories and the sizes of the parts and of
/// coarser splits.
fn in_parts(articles: &[AnalyzedArticle], options: &ClusterOptions) -> (Vec<Story>, Sizes) {
    let features: Vec<ArticleFeatures> = articles
        .iter()
        .map(|a| article_features(a, options))
        .collect();
    let mut first_copy: HashMap<u64, usize> = HashMap::new();
    let copy_of: Vec<usize> = features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.copy_key()
                .map_or(i, |k| *first_copy.entry(k).or_insert(i))
        })
        .collect();
    let half = articles.len() / 2;
    let sums = |range: std::ops::Range<usize>| {
        let mut s = RunStatistics::default();
        for i in range {
            s.add(&articles[i], &features[i], copy_of[i] == i);
        }
        s
    };
    let statistics =
        RunStatistics::from_bytes(&sums(half..articles.len()).merge(sums(0..half)).to_bytes())
            .expect("statistics read back");
    let keys: Vec<StoryKeys> = features
        .iter()
        .enumerate()
        .map(|(i, f)| story_keys(f, copy_of[i] == i, &statistics, options))
        .collect();
    let id = |i: usize| articles[i].article.id;
    let features_of = |d: DocId| &features[d as usize];

    // The earlier plan: articles sharing a key term, band key or exact-copy hash joined.
    let mut shared: Vec<usize> = (0..articles.len()).collect();
    let mut holder: HashMap<(u8, u64), usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        union(&mut shared, i, copy_of[i]);
        let all =
            (k.terms.iter().map(|&t| (0, u64::from(t)))).chain(k.bands.iter().map(|&b| (1, b)));
        for key in all {
            let other = *holder.entry(key).or_insert(i);
            union(&mut shared, i, other);
        }
    }

    // Story candidates: a shuffle by key term, then by article.
    let postings = shuffle(keys.iter().enumerate().flat_map(|(i, k)| {
        let day = features[i].day;
        k.terms.iter().map(move |&t| (t, (day, id(i))))
    }));
    let seen = shuffle(
        postings
            .values()
            .flat_map(|list| posting_neighbours(list, options)),
    );
    let mut similar: Vec<(DocId, DocId)> = seen
        .into_iter()
        .flat_map(|(me, seen)| {
            story_candidates(me, seen, options)
                .into_iter()
                .map(move |o| (me.min(o), me.max(o)))
        })
        .collect();
    similar.sort_unstable();
    similar.dedup();
    let similar: Vec<(DocId, DocId, f32)> = similar
        .into_iter()
        .filter_map(|(a, b)| {
            Some((
                a,
                b,
                edge(features_of(a), features_of(b), &statistics, options)?,
            ))
        })
        .collect();
    // Near-duplicate candidates: a shuffle by band key.
    let buckets = shuffle(
        keys.iter()
            .enumerate()
            .flat_map(|(i, k)| k.bands.iter().map(move |&b| (b, id(i)))),
    );
    let mut duplicates: Vec<(DocId, DocId)> = buckets
        .values()
        .flat_map(|docs| bucket_pairs(docs, options))
        .collect();
    duplicates.sort_unstable();
    duplicates.dedup();
    duplicates.retain(|&(a, b)| is_duplicate(features_of(a), features_of(b), options));
    let links = StoryLinks {
        similar,
        duplicates,
    };

    let copies: Vec<(DocId, DocId)> = (0..articles.len())
        .filter(|&i| copy_of[i] != i)
        .map(|i| (id(copy_of[i]), id(i)))
        .collect();
    let parts = story_parts(articles.len(), &links, &copies, options);
    // The previous plan: the components of the edges at the story threshold, joined by every
    // edge of a lone article, near-duplicates and copies.
    let mut size: HashMap<DocId, usize> = HashMap::new();
    for &c in &parts.cluster {
        *size.entry(c).or_default() += 1;
    }
    let alone = |d: DocId| size[&parts.cluster[d as usize]] == 1;
    let mut threshold: Vec<usize> = (0..articles.len()).collect();
    for (a, b) in links
        .similar
        .iter()
        .filter(|&&(a, b, s)| s >= options.story_threshold || alone(a) || alone(b))
        .map(|&(a, b, _)| (a, b))
        .chain(links.duplicates.iter().copied())
        .chain(copies.iter().copied())
    {
        union(&mut threshold, a as usize, b as usize);
    }
    let mut graph: Vec<usize> = (0..articles.len()).collect();
    for (a, b) in links
        .similar
        .iter()
        .map(|&(a, b, _)| (a, b))
        .chain(links.duplicates.iter().copied())
    {
        union(&mut graph, a as usize, b as usize);
    }
    for &(a, b) in &copies {
        union(&mut graph, a as usize, b as usize);
    }
    let mut parent: Vec<usize> = parts.part.iter().map(|&p| p as usize).collect();
    let mut members: HashMap<usize, (Vec<AnalyzedArticle>, Vec<DocId>)> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let root = find(&mut parent, i);
        let (docs, clusters) = members.entry(root).or_default();
        docs.push(a.clone());
        clusters.push(parts.cluster[i]);
    }
    let mut stories: Vec<Story> = members
        .values()
        .flat_map(|(part, clusters)| cluster_part(part, clusters, &statistics, &links, options))
        .collect();
    stories.sort_by_key(|s| s.docs[0]);
    for (id, s) in stories.iter_mut().enumerate() {
        s.id = id;
    }
    let sizes = Sizes {
        shared: self::sizes(&mut shared),
        graph: self::sizes(&mut graph),
        threshold: self::sizes(&mut threshold),
        parts: self::sizes(&mut parent),
    };
    (stories, sizes)
}

/// Component sizes, largest first: of shared keys (the first plan), of the story graph's
/// links and copies, of the edges at the story threshold joined by lone articles' edges,
/// near-duplicates and copies (the previous plan), and of the parts clustered apart (whole
/// average-link clusters joined by lone articles, near-duplicates and copies).
struct Sizes {
    shared: Vec<usize>,
    graph: Vec<usize>,
    threshold: Vec<usize>,
    parts: Vec<usize>,
}

/// The giveme5w1h news-cluster set (real articles, read from ../shared; skipped when it is
/// missing), as dated plain-text articles.
fn giveme() -> Option<Vec<AnalyzedArticle>> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/giveme5w1h-news-cluster"
    );
    let index = std::fs::read_to_string(format!("{dir}/clusters.json")).ok()?;
    let records: Vec<serde_json::Value> = serde_json::from_str(&index).expect("clusters.json");
    let articles = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let file = r["file"].as_str().expect("file");
            let raw = std::fs::read_to_string(format!("{dir}/{file}")).expect("article file");
            let a: serde_json::Value = serde_json::from_str(&raw).expect("article JSON");
            let field = |k: &str| a[k].as_str().filter(|s| *s != "None").map(str::to_string);
            let text = field("text").unwrap_or_default();
            let mut article = Article::from_text(i as u32, SourceRef::file(file), text);
            article.title = field("title").filter(|t| !t.is_empty());
            article.published = field("date_publish")
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
                .map(|date| PublishedDate {
                    date,
                    origin: MetadataOrigin::Container,
                    raw: String::new(),
                    evidence: None,
                });
            AnalyzedArticle::new(article)
        })
        .collect();
    Some(articles)
}

/// Clusters `articles` whole and in parts, checks that the stories are equal and that each
/// split is finer than the one before, and prints the sizes.
fn check(name: &str, articles: &[AnalyzedArticle]) {
    let options = ClusterOptions::default();
    let whole = cluster(articles, &options);
    let (parts, sizes) = in_parts(articles, &options);
    let show = |what: &str, s: &[usize]| {
        format!(
            "{what}: {}, the largest {} articles, sizes {:?}",
            s.len(),
            s[0],
            &s[..s.len().min(12)]
        )
    };
    eprintln!(
        "{name}: {} articles, {} stories, the largest of {}; {}; {}; {}; {}",
        articles.len(),
        whole.len(),
        whole.iter().map(|s| s.docs.len()).max().unwrap_or(0),
        show("components of shared keys", &sizes.shared),
        show("components of the story graph", &sizes.graph),
        show(
            "components at the story threshold (previous parts)",
            &sizes.threshold
        ),
        show("parts", &sizes.parts),
    );
    for (coarse, fine) in [
        (&sizes.shared, &sizes.graph),
        (&sizes.graph, &sizes.threshold),
        (&sizes.threshold, &sizes.parts),
    ] {
        assert!(fine.len() >= coarse.len() && fine[0] <= coarse[0]);
    }
    assert_eq!(parts.len(), whole.len());
    for (p, w) in parts.iter().zip(&whole) {
        assert_eq!(p, w);
    }
}

#[test]
fn components_of_the_story_graph_clustered_apart_give_the_run_s_stories() {
    let articles = generated(3000);
    let whole = cluster(&articles, &ClusterOptions::default());
    assert!(whole.iter().any(|s| !s.near_duplicates.is_empty()));
    check("generated", &articles);
}

#[test]
fn real_articles_clustered_in_parts_give_the_run_s_stories() {
    let Some(articles) = giveme() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    check("giveme", &articles);
}
