//! Article text and knowledge-base files are untrusted: no input may panic, and every span
//! the crate reports must lie inside its article's text on character boundaries.

use corroborate_kb::{KnowledgeBase, date_articles, import_wikidata_text, kb_verdicts, link};
use corroborate_model::{AnalyzedArticle, Article, SourceRef, Span, Story};
use proptest::prelude::*;

fn article(id: u32, text: String) -> AnalyzedArticle {
    AnalyzedArticle::new(Article::from_text(id, SourceRef::file("p.txt"), text))
}

fn valid(articles: &[AnalyzedArticle], span: Span) -> bool {
    articles.get(span.doc as usize).is_some_and(|a| {
        span.start <= span.end && a.article.text.get(span.start..span.end).is_some()
    })
}

/// Text built from fragments that exercise the rules, glued with arbitrary characters.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Defense Minister Yoav Gallant",
        "U.S. President Donald Trump",
        "the former president’s",
        "his administration has",
        "Biden",
        "nearing its 23rd month",
        "nearly two years of war in Gaza",
        "August 4, 2025\n",
        "By Jane Roe | 12 March 2024\n",
        "IDF Chief of Staff, Lt. Gen. Herzi Halevi,",
        "the war cabinet is",
        "on Tuesday",
        "Sa’ar",
        "“",
        "”",
        "—",
        ". ",
        ", ",
        "\n",
        "é",
        "🙂",
        "In 2023, ",
        "then-Defense Minister Benny Gantz",
        "David Barnea, the chief of Israel’s Mossad",
    ]);
    (prop::collection::vec((pieces, "\\PC{0,6}"), 0..24)).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, junk)| format!("{p}{junk}"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_panic_and_spans_in_bounds(a in newsy(), b in "\\PC{0,300}", c in newsy()) {
        let kb = KnowledgeBase::starter();
        let mut articles = vec![article(0, a), article(1, b), article(2, c)];
        let stories = [Story { id: 0, label: String::new(), docs: vec![0, 1, 2], near_duplicates: vec![] }];
        date_articles(&kb, &mut articles, &stories);
        for x in &articles {
            for e in &x.dating.as_ref().unwrap().evidence {
                for s in &e.spans {
                    prop_assert!(valid(&articles, *s), "{s:?}");
                }
            }
            for assertion in link::office_assertions(&kb, x) {
                prop_assert!(valid(&articles, assertion.cue));
                prop_assert!(valid(&articles, assertion.sentence));
            }
        }
        for g in kb_verdicts(&kb, &articles, &stories) {
            prop_assert!(!g.explanation.is_empty());
            for s in &g.evidence {
                prop_assert!(valid(&articles, *s), "{s:?} in {g:?}");
            }
        }
    }

    #[test]
    fn arbitrary_kb_files_and_imports_never_panic(text in "\\PC{0,400}") {
        let _ = KnowledgeBase::from_toml("fuzz.toml", &text, true);
        let _ = import_wikidata_text("fuzz.csv", &text);
        let _ = import_wikidata_text("fuzz.json", &format!("{{{text}"));
    }
}
