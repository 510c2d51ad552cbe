//! Corpus test on the five seed articles in `../shared/corpus/seeds` (read at test time, never
//! copied into the repository).

use corroborate_model::{AnalyzedArticle, Article, EntityKind, SourceRef};
use corroborate_nlp::{analyze, link_entities};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// The seed articles in file-name order, or `None` when the shared folder is missing.
fn seeds() -> Option<Vec<AnalyzedArticle>> {
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipped: ../shared not found");
        return None;
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5, "expected the five seed articles in {SEEDS}");
    Some(
        paths
            .iter()
            .enumerate()
            .map(|(id, path)| {
                let text = std::fs::read_to_string(path).expect("readable seed");
                analyze(Article::from_text(
                    id as u32,
                    SourceRef::file(path.display().to_string()),
                    text,
                ))
            })
            .collect(),
    )
}

fn entity<'a>(a: &'a AnalyzedArticle, canonical: &str) -> &'a corroborate_model::Entity {
    a.entities
        .iter()
        .find(|e| e.canonical == canonical)
        .unwrap_or_else(|| panic!("{canonical} not found in {}", a.article.source))
}

/// Texts of the mentions of the entity named `canonical`.
fn mention_texts<'a>(a: &'a AnalyzedArticle, canonical: &str) -> Vec<&'a str> {
    a.mentions
        .iter()
        .filter(|m| a.entities[m.entity].canonical == canonical)
        .map(|m| a.quote(m.span))
        .collect()
}

fn sentence_texts(a: &AnalyzedArticle) -> Vec<&str> {
    a.sentences
        .iter()
        .map(|r| &a.article.text[r.start..r.end])
        .collect()
}

#[test]
fn seed_sentences_are_sane() {
    let Some(run) = seeds() else { return };
    for a in &run {
        let lines = a
            .article
            .text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count();
        assert!(
            a.sentences.len() >= lines,
            "{}: fewer sentences than lines",
            a.article.source
        );
        for s in sentence_texts(a) {
            assert!(!s.contains('\n'), "sentence spans a line break: {s:?}");
            assert!(!s.starts_with(' ') && !s.ends_with(' '));
        }
    }
    // The quote split after its attribution, not inside it.
    let ayalon = sentence_texts(&run[0]);
    let said = ayalon
        .iter()
        .position(|s| s.starts_with("“At first") && s.ends_with("Ayalon said."))
        .expect("quote with attribution is one sentence");
    assert!(
        ayalon[said + 1].starts_with("“It is leading") && ayalon[said + 1].ends_with("identity.”")
    );
    assert!(
        ayalon
            .iter()
            .any(|s| s.starts_with("“It is our professional judgment")
                && s.ends_with("the letter states."))
    );
    // Ranks and initialisms do not split.
    assert!(
        ayalon
            .iter()
            .any(|s| s.contains("Maj. Gen. Roman Gofman") && s.contains("Yossi Fuchs"))
    );
    assert!(
        ayalon
            .iter()
            .any(|s| s.contains("Lt. Gen. Eyal Zamir") && s.ends_with("negotiators."))
    );
    // Date line and by-line are sentences of their own.
    assert_eq!(
        &sentence_texts(&run[2])[..2],
        ["August 4, 2025", "By Ayinde Adeleke"]
    );
    for (a, range) in run
        .iter()
        .zip([(28, 32), (22, 26), (13, 15), (44, 50), (28, 32)])
    {
        let n = a.sentences.len();
        assert!(
            n >= range.0 && n <= range.1,
            "{}: {n} sentences",
            a.article.source
        );
    }
}

#[test]
fn seed_entities_within_articles() {
    let Some(run) = seeds() else { return };
    let netanyahu = entity(&run[4], "Benjamin Netanyahu");
    assert_eq!(netanyahu.kind, EntityKind::Person);
    assert!(
        netanyahu.aliases.iter().any(|a| a == "Bibi"),
        "{:?}",
        netanyahu.aliases
    );
    assert!(mention_texts(&run[4], "Benjamin Netanyahu").contains(&"Bibi"));

    let zamir = entity(&run[3], "Eyal Zamir");
    assert_eq!(zamir.kind, EntityKind::Person);
    assert!(
        zamir.aliases.iter().any(|a| a == "General Zamir"),
        "{:?}",
        zamir.aliases
    );
    assert!(
        mention_texts(&run[3], "Eyal Zamir")
            .iter()
            .filter(|m| **m == "Zamir")
            .count()
            >= 6
    );

    assert_eq!(entity(&run[4], "Herzi Halevi").kind, EntityKind::Person);
    assert!(mention_texts(&run[4], "Herzi Halevi").len() >= 5);
    assert_eq!(entity(&run[3], "Israel Katz").kind, EntityKind::Person);
    assert_eq!(entity(&run[3], "Israel").kind, EntityKind::Place);
    for (doc, person) in [
        (3, "Yoav Gallant"),
        (4, "Yoav Gallant"),
        (3, "David Barnea"),
        (0, "David Barnea"),
        (0, "Donald Trump"),
        (2, "Donald Trump"),
        (0, "Ami Ayalon"),
        (4, "Antony Blinken"),
        (3, "Yohanan Plesner"),
    ] {
        assert_eq!(
            entity(&run[doc], person).kind,
            EntityKind::Person,
            "{person} in {doc}"
        );
    }
    for (doc, org) in [
        (0, "Mossad"),
        (1, "Shin Bet"),
        (3, "Hamas"),
        (2, "Israel Defense Forces"),
    ] {
        assert_eq!(
            entity(&run[doc], org).kind,
            EntityKind::Organization,
            "{org} in {doc}"
        );
    }
    let cis = entity(&run[2], "Commanders for Israel’s Security");
    assert_eq!(cis.kind, EntityKind::Organization);
    assert!(cis.aliases.iter().any(|a| a == "CIS"));
    assert_eq!(
        mention_texts(&run[2], "Commanders for Israel’s Security").len(),
        3
    );
    for a in &run {
        assert_eq!(entity(a, "Gaza").kind, EntityKind::Place);
    }
    assert_eq!(entity(&run[3], "Gaza City").kind, EntityKind::Place);
    // Mention spans are exact names: no titles, no possessives.
    for a in &run {
        for m in &a.mentions {
            let text = a.quote(m.span);
            assert!(!text.is_empty());
            assert!(!text.ends_with("’s") && !text.ends_with("'s"), "{text:?}");
            assert!(
                !text.starts_with("Mr.")
                    && !text.starts_with("Lt.")
                    && !text.starts_with("General "),
                "{text:?}"
            );
        }
    }
}

#[test]
fn seed_surnames_link_across_articles() {
    let Some(mut run) = seeds() else { return };
    link_entities(&mut run);
    let mut bare = 0;
    for a in &run {
        for m in &a.mentions {
            if a.quote(m.span) == "Netanyahu" {
                bare += 1;
                assert_eq!(
                    a.entities[m.entity].canonical, "Benjamin Netanyahu",
                    "in {}",
                    a.article.source
                );
            }
            if a.quote(m.span) == "Trump" {
                assert_eq!(a.entities[m.entity].canonical, "Donald Trump");
            }
            if a.quote(m.span) == "Halevi" {
                assert_eq!(a.entities[m.entity].canonical, "Herzi Halevi");
            }
        }
    }
    assert!(bare >= 20, "only {bare} bare Netanyahu mentions");
    // Spelling variants of one full name share one canonical form.
    let ben_gvir: Vec<&str> = run
        .iter()
        .flat_map(|a| &a.entities)
        .filter(|e| e.canonical.starts_with("Itamar Ben"))
        .map(|e| e.canonical.as_str())
        .collect();
    assert_eq!(ben_gvir.len(), 2);
    assert_eq!(ben_gvir[0], ben_gvir[1]);
}
