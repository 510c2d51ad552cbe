//! The generator binary's corpus, for the integration tests that cluster it.
// Each test binary uses part of this module.
#![allow(dead_code)]

/// One article record of `articles.jsonl`.
#[derive(serde::Deserialize)]
pub struct Record {
    pub title: String,
    pub text: String,
    pub date: String,
    pub authors: Vec<String>,
}

/// `truth.json`: the story of each article and the planted copies.
#[derive(serde::Deserialize)]
pub struct Truth {
    pub stories: Vec<u32>,
    pub duplicates: Vec<(u32, u32)>,
}

/// Runs `corroborate-gen-corpus` for `articles` articles under `seed` and reads what it wrote.
pub fn generate(articles: usize, seed: u64) -> (Vec<Record>, Truth) {
    let dir = std::env::temp_dir().join(format!(
        "corroborate-gen-{}-{articles}-{seed}",
        std::process::id()
    ));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_corroborate-gen-corpus"))
        .args([
            "--articles",
            &articles.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(&dir)
        .status()
        .expect("generator runs");
    assert!(status.success());
    let lines = std::fs::read_to_string(dir.join("articles.jsonl")).expect("articles written");
    let truth = std::fs::read(dir.join("truth.json")).expect("truth written");
    let _ = std::fs::remove_dir_all(&dir);
    let records = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("record JSON"))
        .collect();
    (records, serde_json::from_slice(&truth).expect("truth JSON"))
}
