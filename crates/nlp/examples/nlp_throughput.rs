//! Measures `analyze` throughput on a synthetic 3 KB news article:
//! `cargo run --release -p corroborate-nlp --example nlp_throughput`.

use corroborate_model::{Article, SourceRef};
use corroborate_nlp::analyze;
use std::hint::black_box;
use std::time::Instant;

/// A synthetic article of about 3 KB with the phrasings the recogniser handles: titles, ranks,
/// quotes with attribution, possessives, acronyms, gazetteer places and organisations.
fn synthetic_article() -> String {
    let paragraphs = [
        "Harbor Talks Stall as Ministers Trade Blame\nMarch 3, 2026\nBy Lena Hartmann\n",
        "More than 400 retired diplomats, including former heads of the Foreign Ministry, urged U.S. President Daniel Brooks on Monday to press Prime Minister Elena Novak to reopen talks with Egypt and Jordan. ",
        "“We believe the current approach no longer serves national security,” the letter states. ",
        "The appeal was organised by the group Diplomats for Regional Stability (DRS), whose members served at the United Nations and NATO.\n",
        "Defense Minister Tomas Keller dismissed the letter. “It is a political stunt,” Keller said. “Nothing in it is new.” ",
        "Lt. Gen. Marco Rossi, the army chief of staff, reportedly shared some of the concerns, according to two officials who spoke on condition of anonymity. ",
        "General Rossi has met Mr. Brooks’s envoy twice since Nov. 10, at 4 p.m. in Geneva, and the talks ran 4.8 hours on average.\n",
        "Critics of Ms. Novak say the Novak government has ignored the Institute for Regional Studies, a think tank in Brussels. ",
        "Novak’s office declined to comment. Foreign Minister Sarah Levin, who previously served as ambassador to Washington, said the DRS had “every right to speak.” ",
        "Meanwhile, Hamas and Hezbollah issued statements, and the Palestinian Authority called for calm in Gaza City and the West Bank.\n",
        "Analysts at the Israel Democracy Institute said public support for the talks fell to 38 percent. ",
        "Rossi and Keller are expected to meet again next week in Cairo, alongside officials from Qatar, Saudi Arabia and the United Arab Emirates. ",
        "Whether Ms. Novak will attend remains unclear... Her spokesman, David Cohen, said only that “the prime minister follows the talks closely.”\n",
        "Security officials, speaking anonymously, said Mossad and Shin Bet had briefed the cabinet. Levin told reporters the Brooks administration supported a deal.\n",
    ];
    let mut text = String::new();
    while text.len() < 3000 {
        for p in paragraphs {
            text.push_str(p);
        }
    }
    text
}

fn main() {
    let text = synthetic_article();
    let article = Article::from_text(0, SourceRef::file("synthetic"), text);
    let warm = analyze(article.clone());
    println!(
        "article: {} bytes, {} sentences, {} entities, {} mentions",
        article.text.len(),
        warm.sentences.len(),
        warm.entities.len(),
        warm.mentions.len()
    );
    let rounds = 20_000;
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(analyze(black_box(article.clone())));
    }
    let elapsed = start.elapsed();
    let per_article = elapsed / rounds;
    println!(
        "{rounds} articles in {elapsed:.2?} wall: {per_article:.1?} per article, {:.0} articles/s",
        f64::from(rounds) / elapsed.as_secs_f64()
    );
    // On a shared machine wall time includes waiting for a core; CPU time does not.
    if let (Some(before), Some(after)) = (cpu_before, cpu_seconds()) {
        let cpu = after - before;
        println!(
            "CPU time {cpu:.2} s: {:.1} µs per article, {:.0} articles/s per core",
            cpu * 1e6 / f64::from(rounds),
            f64::from(rounds) / cpu
        );
    }
}

/// User plus system CPU time of this process from `/proc/self/stat` (Linux, 100 ticks/s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the command name: state is field 3, utime field 14 and stime field 15.
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}
