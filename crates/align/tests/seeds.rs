//! The five seed articles (one story, five outlets) with claims placed by hand where a claim
//! extractor should find them, checking the verdicts a careful reader would give.
//!
//! Claims are located in the real texts by short phrases, so spans, curly quotes and em dashes
//! are the real ones; the article text itself is read from `../shared` at test time.

use corroborate_align::{AlignOptions, align};
use corroborate_model::{
    AnalyzedArticle, Article, Claim, ClaimKind, Counted, Entity, EntityKind, Interval, Office,
    OfficeHolder, Precision, Quantity, QuantityUnit, Quote, SourceRef, Span, Speaker, Story,
    Tenure, TextRange, Verdict,
};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

fn load() -> Option<Vec<AnalyzedArticle>> {
    let mut paths: Vec<_> = std::fs::read_dir(SEEDS)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let articles = paths
        .iter()
        .enumerate()
        .filter_map(|(id, path)| {
            let text = std::fs::read_to_string(path).ok()?;
            Some(AnalyzedArticle::new(Article {
                language: Some("en".into()),
                ..Article::from_text(id as u32, SourceRef::file(path.display().to_string()), text)
            }))
        })
        .collect::<Vec<_>>();
    (articles.len() == 5).then_some(articles)
}

fn span(a: &AnalyzedArticle, needle: &str) -> Span {
    let start = a
        .article
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in seed {}", a.article.id));
    Span::new(a.article.id, TextRange::new(start, start + needle.len()))
}

/// The quotation that starts with `opening`, up to its closing mark (without a final comma).
fn quotation(a: &AnalyzedArticle, opening: &str) -> Span {
    let s = span(a, opening);
    let rest = &a.article.text[s.start..];
    let len = rest.find(['”', '"']).expect("closing quotation mark");
    let content = rest[..len].trim_end_matches([',', ' ']);
    Span::new(s.doc, TextRange::new(s.start, s.start + content.len()))
}

fn claim(a: &mut AnalyzedArticle, kind: ClaimKind) {
    let evidence = Span::new(a.article.id, TextRange::new(0, a.article.text.len()));
    a.claims.push(Claim { evidence, kind });
}

fn signatories(a: &mut AnalyzedArticle, number: &str, low: f64, phrase: &str, modifiers: &[&str]) {
    let kind = ClaimKind::Quantity(Quantity {
        value: Interval::at_least(low),
        precision: Precision::Bound,
        unit: QuantityUnit::Count,
        counted: Some(Counted {
            phrase: phrase.into(),
            head: "official".into(),
            modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
            predicate: Some("call".into()),
            span: span(a, phrase),
        }),
        number: span(a, number),
        year: None,
    });
    claim(a, kind);
}

fn count(
    a: &mut AnalyzedArticle,
    number: &str,
    value: Interval,
    precision: Precision,
    phrase: &str,
    head: &str,
    predicate: Option<&str>,
) {
    let kind = ClaimKind::Quantity(Quantity {
        value,
        precision,
        unit: QuantityUnit::Count,
        counted: Some(Counted {
            phrase: phrase.into(),
            head: head.into(),
            modifiers: Vec::new(),
            predicate: predicate.map(str::to_string),
            span: span(a, phrase),
        }),
        number: span(a, number),
        year: None,
    });
    claim(a, kind);
}

fn chief(a: &mut AnalyzedArticle, name: &str, office: &str, org: Option<&str>) {
    a.entities.push(Entity {
        canonical: name.into(),
        kind: EntityKind::Person,
        aliases: Vec::new(),
    });
    let kind = ClaimKind::OfficeHolder(OfficeHolder {
        person: a.entities.len() - 1,
        person_span: span(a, name),
        office: Office {
            title: "chief of staff".into(),
            org: org.map(str::to_string),
        },
        office_span: span(a, office),
        tenure: Tenure::Current,
        historical: false,
    });
    claim(a, kind);
}

fn letter_quote(a: &mut AnalyzedArticle, opening: &str, cue: &str) {
    let kind = ClaimKind::Quote(Quote {
        content: quotation(a, opening),
        speaker: Some(Speaker::Document {
            description: "the letter".into(),
            span: span(a, "the letter"),
        }),
        cue: Some(span(a, cue)),
        marked_paraphrase: false,
    });
    claim(a, kind);
}

#[test]
fn seed_story_verdicts() {
    let Some(mut seeds) = load() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let [s0, s1, s2, s3, s4] = seeds.as_mut_slice() else {
        unreachable!("load returns five seeds")
    };
    signatories(
        s0,
        "more than 600",
        600.0,
        "retired Israeli security officials",
        &["retired", "israeli", "security"],
    );
    signatories(
        s1,
        "More than 550",
        550.0,
        "former Israeli security officials",
        &["former", "israeli", "security"],
    );
    signatories(
        s2,
        "more than 600",
        600.0,
        "former senior Israeli security officials",
        &["former", "senior", "israeli", "security"],
    );
    chief(s0, "Eyal Zamir", "IDF Chief of Staff", Some("israel"));
    chief(s3, "Eyal Zamir", "military chief of staff", None);
    chief(s4, "Herzi Halevi", "Chief of Staff", Some("israel"));
    letter_quote(s0, "It is our professional judgment", "the letter states");
    letter_quote(s2, "It is our professional judgment", "the letter states");
    letter_quote(
        s1,
        "Hamas has been dismantled",
        "the letter says in essence",
    );
    count(
        s3,
        "approximately 65,000",
        Interval::exact(65_000.0),
        Precision::Approximate,
        "Palestinians have been killed",
        "palestinian",
        Some("kill"),
    );
    count(
        s3,
        "two million",
        Interval::exact(2e6),
        Precision::Exact,
        "Palestinian residents",
        "resident",
        None,
    );
    count(
        s3,
        "hundreds of thousands",
        Interval::between(2e5, 999_999.0),
        Precision::Vague,
        "Palestinians remained",
        "palestinian",
        Some("remain"),
    );
    count(
        s3,
        "roughly 20",
        Interval::exact(20.0),
        Precision::Approximate,
        "hostages are still alive",
        "hostage",
        Some("alive"),
    );
    count(
        s3,
        "up to 28",
        Interval::at_most(28.0),
        Precision::Bound,
        "28 others",
        "other",
        None,
    );

    let story = Story {
        id: 0,
        label: "seed".into(),
        docs: (0..5).collect(),
        near_duplicates: Vec::new(),
    };
    let groups = align(&seeds, &[story], &AlignOptions::default());
    for g in &groups {
        eprintln!("{:<22} {}", g.verdict.name(), g.explanation);
        for s in &g.evidence {
            assert!(s.slice(&seeds[s.doc as usize].article.text).is_some());
        }
    }
    let with = |v: Verdict| groups.iter().filter(move |g| g.verdict == v);
    let conflicts: Vec<_> = with(Verdict::Conflict).collect();
    assert_eq!(conflicts.len(), 1, "only the signatories conflict");
    assert_eq!(
        conflicts[0].explanation,
        "outlets give different minimum figures for “retired Israeli security officials”: \
         more than 600 (000_464b0e75628e0361.txt, 002_84ef4cf209883c51.txt) vs \
         More than 550 (001_29be97726b5e019a.txt)"
    );
    let holders: Vec<_> = with(Verdict::HolderConflict).collect();
    assert_eq!(holders.len(), 1);
    assert_eq!(
        holders[0].explanation,
        "chief of staff (israel): Eyal Zamir (000_464b0e75628e0361.txt, 003_47ef2131506feb3b.txt) \
         vs Herzi Halevi (004_46facb9d735cb4a5.txt)"
    );
    assert_eq!(with(Verdict::QuoteVerbatim).count(), 1);
    let paraphrase: Vec<_> = with(Verdict::ParaphraseInQuotes).collect();
    assert_eq!(paraphrase.len(), 1);
    assert_eq!(
        paraphrase[0].claims.len(),
        3,
        "the paraphrase and the letter as 000 and 002 print it"
    );
    assert_eq!(with(Verdict::VagueVsPrecise).count(), 0);
    assert!(with(Verdict::SingleSource).all(|g| g.claims.iter().all(|r| r.doc == 3)));
}
