//! Prints the sentences, entities and mentions found in plain-text files, then the canonical
//! names after cross-article linking: `cargo run -p corroborate-nlp --example entities -- a.txt b.txt`.

use corroborate_model::{Article, SourceRef};
use corroborate_nlp::{analyze, link_entities};

fn main() {
    let mut run = Vec::new();
    for (id, path) in std::env::args().skip(1).enumerate() {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        run.push(analyze(Article::from_text(
            id as u32,
            SourceRef::file(path),
            text,
        )));
    }
    for a in &run {
        println!("== {} ({} sentences)", a.article.source, a.sentences.len());
        for s in &a.sentences {
            println!("  | {}", &a.article.text[s.start..s.end]);
        }
        for (id, e) in a.entities.iter().enumerate() {
            let spans: Vec<&str> = a
                .mentions
                .iter()
                .filter(|m| m.entity == id)
                .map(|m| a.quote(m.span))
                .collect();
            println!(
                "  {:?} {} {:?} <- {:?}",
                e.kind, e.canonical, e.aliases, spans
            );
        }
    }
    link_entities(&mut run);
    println!("== after linking");
    for a in &run {
        let names: Vec<&str> = a.entities.iter().map(|e| e.canonical.as_str()).collect();
        println!("  {}: {}", a.article.source, names.join("; "));
    }
}
