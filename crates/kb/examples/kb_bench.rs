//! Load-time and per-article cost of the knowledge base.
//!
//! Generates a knowledge base of 100,000 office-holder rows (TOML, in memory), times its
//! parse, then times dating and verdicts per article on the seed articles (read from
//! ../shared at run time) with the starter and with the generated knowledge base, next to the
//! per-article analysis (nlp + claims) on the same articles for scale. Wall and CPU time are
//! both reported: the machine this runs on is usually shared.
//!
//! ```text
//! cargo run --release -p corroborate-kb --example kb_bench [ROWS]
//! cargo run --release -p corroborate-kb --example kb_bench ROWS --write FILE
//! ```
//!
//! With `--write FILE` it only writes the generated knowledge base to FILE, so that
//! `scripts/bench.sh` can time the whole `analyze` run with and without it (`--kb FILE`).

use corroborate_kb::{KnowledgeBase, date_and_judge};
use corroborate_model::{AnalyzedArticle, Article, SourceRef, Story};
use std::fmt::Write as _;
use std::time::Instant;

const FIRST: [&str; 20] = [
    "Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Karim",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tomas",
];
const OFFICES: [&str; 10] = [
    "Minister of Defence",
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Chief of the General Staff",
    "Director of Intelligence",
    "Minister of Finance",
    "Governor",
    "Mayor",
    "Minister of Health",
];

fn generated(rows: usize) -> String {
    let mut s = String::with_capacity(rows * 200);
    s.push_str("[kb]\nas_of = \"2025-06-30\"\n");
    for i in 0..rows {
        let org = i / 400;
        let office = OFFICES[(i / 40) % OFFICES.len()];
        let slot = i % 40;
        let from_year = 1900 + slot * 3;
        let _ = write!(
            s,
            "\n[[holder]]\noffice = \"{office}\"\norg = \"Region {org}\"\nholder = \"{} Holder{i}\"\naliases = [\"Holder{i}\"]\nfrom = \"{from_year}-0{}-1{}\"\nto = \"{}-0{}-1{}\"\nsource = \"generated row {i}\"\n",
            FIRST[i % FIRST.len()],
            1 + slot % 9,
            slot % 10,
            from_year + 2,
            1 + slot % 9,
            slot % 10,
        );
    }
    s
}

fn seeds() -> Vec<AnalyzedArticle> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            corroborate_nlp::analyze(Article {
                language: Some("en".into()),
                ..Article::from_text(
                    i as u32,
                    SourceRef::file(p.display().to_string()),
                    std::fs::read_to_string(p).unwrap_or_default(),
                )
            })
        })
        .collect()
}

/// CPU time of this process in seconds (Linux: utime + stime from /proc/self/stat, in clock
/// ticks of 1/100 s), so figures taken on a busy shared machine stay comparable.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name come the state (field 3), ..., utime (field 14) and stime (field 15).
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field(11) + field(12)) / 100.0
}

/// Wall and CPU time of `f`, in seconds.
fn timed(f: impl FnOnce()) -> (f64, f64) {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    f();
    (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

fn per_article_kb(kb: &KnowledgeBase, articles: &[AnalyzedArticle], rounds: usize) -> (f64, f64) {
    let stories = [Story {
        id: 0,
        label: String::new(),
        docs: (0..articles.len() as u32).collect(),
        near_duplicates: vec![],
    }];
    let (wall, cpu) = timed(|| {
        for _ in 0..rounds {
            let mut batch = articles.to_vec();
            std::hint::black_box(date_and_judge(kb, &mut batch, &stories));
        }
    });
    let per = 1e6 / (rounds * articles.len()) as f64;
    (wall * per, cpu * per)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let text = generated(rows);
    if let Some(path) = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
    {
        if let Err(e) = std::fs::write(path, &text) {
            eprintln!("kb_bench: cannot write {path}: {e}");
            std::process::exit(1);
        }
        println!("wrote {rows} generated rows to {path}");
        return;
    }
    let mut loaded = None;
    let (wall, cpu) = timed(|| {
        loaded = Some(
            KnowledgeBase::from_toml("generated.toml", &text, false)
                .expect("generated rows are valid"),
        );
    });
    let Some((big, diagnostics)) = loaded else {
        return;
    };
    println!(
        "load: {rows} rows ({:.1} MB TOML) in {:.0} ms wall, {:.0} ms CPU ({} diagnostics)",
        text.len() as f64 / 1e6,
        wall * 1e3,
        cpu * 1e3,
        diagnostics.len()
    );
    let start = Instant::now();
    let starter = KnowledgeBase::starter();
    println!(
        "starter: {} rows in {:.1} ms",
        starter.holdings().len(),
        start.elapsed().as_secs_f64() * 1e3
    );

    let articles = seeds();
    if articles.is_empty() {
        println!("skipped per-article timing: ../shared not found");
        return;
    }
    let warm = Instant::now();
    per_article_kb(&big, &articles, 1);
    println!(
        "first use of the {rows}-row KB: {:.0} ms",
        warm.elapsed().as_secs_f64() * 1e3
    );
    per_article_kb(&starter, &articles, 1);
    let rounds = 400;
    let (wall, cpu) = timed(|| {
        for _ in 0..rounds {
            for a in &articles {
                let mut analysed = corroborate_nlp::analyze(a.article.clone());
                analysed.claims = corroborate_claims::extract_claims(&analysed);
                std::hint::black_box(analysed);
            }
        }
    });
    let per = 1e6 / (rounds * articles.len()) as f64;
    println!(
        "nlp + claims (the per-article analysis): {:.1} µs/article wall, {:.1} CPU",
        wall * per,
        cpu * per
    );
    let (w, c) = per_article_kb(&starter, &articles, rounds);
    println!("kb date_and_judge, starter KB: {w:.1} µs/article wall, {c:.1} CPU");
    let (w, c) = per_article_kb(&big, &articles, rounds);
    println!("kb date_and_judge, {rows}-row KB: {w:.1} µs/article wall, {c:.1} CPU");
}
