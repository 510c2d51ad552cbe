//! Times `align` on 10,000 synthetic articles in stories of ten.
//!
//! Each article has about 3 KB of text and 24 claims (quantities, office holders, quotes) drawn
//! from its story's shared pool with planted disagreements, rounding variants, altered and
//! partial quotes, and one near-duplicate pair per story.
//!
//! Run: `cargo run --release -p corroborate-align --example scale [ARTICLES [PER_STORY]]`
//! (PER_STORY defaults to 10; pass ARTICLES again to put everything in one story).

use corroborate_align::{AlignOptions, align};
use corroborate_model::{
    AnalyzedArticle, Article, Claim, ClaimKind, Counted, Entity, EntityKind, Interval,
    NearDuplicate, Office, OfficeHolder, Precision, Quantity, QuantityUnit, Quote, SourceRef, Span,
    Speaker, Story, Tenure, TextRange, Verdict,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

const WORDS: [&str; 24] = [
    "the",
    "war",
    "security",
    "government",
    "ceasefire",
    "military",
    "hostages",
    "strategic",
    "leaders",
    "talks",
    "pressure",
    "campaign",
    "judgment",
    "threat",
    "decision",
    "public",
    "release",
    "negotiated",
    "diplomacy",
    "future",
    "cabinet",
    "goals",
    "risk",
    "border",
];
const HEADS: [(&str, &str); 6] = [
    ("officials", "official"),
    ("hostages", "hostage"),
    ("soldiers", "soldier"),
    ("rockets", "rocket"),
    ("residents", "resident"),
    ("people", "person"),
];
const MODIFIERS: [&str; 6] = [
    "former",
    "retired",
    "israeli",
    "palestinian",
    "senior",
    "security",
];
const PREDICATES: [&str; 4] = ["sign", "kill", "remain", "release"];
const PEOPLE: [&str; 6] = [
    "Eyal Zamir",
    "Herzi Halevi",
    "David Barnea",
    "Israel Katz",
    "Yoav Gallant",
    "Ami Ayalon",
];
const TITLES: [(&str, &str); 3] = [
    ("chief of staff", "israel"),
    ("defense minister", "israel"),
    ("intelligence chief", "mossad"),
];

/// A deterministic xorshift generator, so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Appends text to an article and returns its span.
struct Writer {
    id: u32,
    text: String,
}

impl Writer {
    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        Span::new(self.id, TextRange::new(start, self.text.len()))
    }
}

fn sentence(rng: &mut Rng, words: usize) -> Vec<&'static str> {
    (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect()
}

fn article(id: u32, story: usize, rng: &mut Rng, quotes: &[Vec<&'static str>]) -> AnalyzedArticle {
    let mut w = Writer {
        id,
        text: String::new(),
    };
    let mut claims = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let whole = |w: &Writer| Span::new(w.id, TextRange::new(0, w.text.len()));
    for q in 0..12 {
        let (plural, head) = HEADS[(story + q) % HEADS.len()];
        let base = 100.0 * ((story % 50) as f64 + 1.0) * (q as f64 + 1.0);
        let (value, precision, written) = match rng.below(5) {
            0 => (
                Interval::at_least(base),
                Precision::Bound,
                format!("more than {base}"),
            ),
            1 => (
                Interval::exact(base * 1.02),
                Precision::Approximate,
                format!("about {}", base * 1.02),
            ),
            2 => (
                Interval::between(base / 3.0, base * 3.0),
                Precision::Vague,
                "hundreds".to_string(),
            ),
            3 => (
                Interval::exact(base + 50.0),
                Precision::Exact,
                format!("{}", base + 50.0),
            ),
            _ => (Interval::exact(base), Precision::Exact, format!("{base}")),
        };
        let modifier = MODIFIERS[rng.below(MODIFIERS.len())];
        w.push(&format!("{} ", sentence(rng, 12).join(" ")));
        let number = w.push(&written);
        w.push(" ");
        let phrase = format!("{modifier} {plural}");
        let span = w.push(&phrase);
        w.push(&format!(" {}. ", sentence(rng, 8).join(" ")));
        claims.push(Claim {
            evidence: whole(&w),
            kind: ClaimKind::Quantity(Quantity {
                value,
                precision,
                unit: QuantityUnit::Count,
                counted: Some(Counted {
                    phrase,
                    head: head.to_string(),
                    modifiers: vec![modifier.to_string()],
                    predicate: Some(PREDICATES[q % PREDICATES.len()].to_string()),
                    span,
                }),
                number,
                year: None,
            }),
        });
    }
    for t in 0..4 {
        let (title, org) = TITLES[t % TITLES.len()];
        let person = PEOPLE[(story + t + rng.below(2)) % PEOPLE.len()];
        let entity = entities.len();
        entities.push(Entity {
            canonical: person.to_string(),
            kind: EntityKind::Person,
            aliases: Vec::new(),
        });
        let person_span = w.push(person);
        w.push(", the ");
        let office_span = w.push(title);
        w.push(&format!(", said {}. ", sentence(rng, 10).join(" ")));
        claims.push(Claim {
            evidence: whole(&w),
            kind: ClaimKind::OfficeHolder(OfficeHolder {
                person: entity,
                person_span,
                office: Office {
                    title: title.to_string(),
                    org: Some(org.to_string()),
                },
                office_span,
                tenure: if rng.below(4) == 0 {
                    Tenure::Former
                } else {
                    Tenure::Current
                },
                historical: false,
            }),
        });
    }
    for _ in 0..8 {
        let mut words = quotes[rng.below(quotes.len())].clone();
        match rng.below(4) {
            0 => words[rng.below(20)] = WORDS[rng.below(WORDS.len())],
            1 => words.truncate(12),
            _ => {}
        }
        w.push("“");
        let content = w.push(&words.join(" "));
        w.push("”, ");
        let speaker_span = w.push("the letter");
        let cue = w.push(" states");
        w.push(". ");
        claims.push(Claim {
            evidence: whole(&w),
            kind: ClaimKind::Quote(Quote {
                content,
                speaker: Some(Speaker::Document {
                    description: "the letter".into(),
                    span: speaker_span,
                }),
                cue: Some(cue),
                marked_paraphrase: rng.below(50) == 0,
            }),
        });
    }
    let mut analyzed = AnalyzedArticle::new(Article {
        outlet: Some(format!("Outlet {}", id % 37)),
        language: Some("en".into()),
        ..Article::from_text(
            id,
            SourceRef::file(format!("synthetic/{id:05}.txt")),
            w.text,
        )
    });
    analyzed.entities = entities;
    analyzed.claims = claims;
    analyzed
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let per_story: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10)
        .max(1);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut articles = Vec::with_capacity(n);
    let mut stories = Vec::new();
    for (s, first) in (0..n).step_by(per_story).enumerate() {
        let quotes: Vec<Vec<&str>> = (0..6).map(|_| sentence(&mut rng, 20)).collect();
        let docs: Vec<u32> = (first..(first + per_story).min(n))
            .map(|d| d as u32)
            .collect();
        for &d in &docs {
            articles.push(article(d, s, &mut rng, &quotes));
        }
        let near_duplicates = match docs.as_slice() {
            [a, b, ..] => vec![NearDuplicate {
                a: *a,
                b: *b,
                similarity: 0.9,
                likely_source: None,
                shared: Vec::new(),
            }],
            _ => Vec::new(),
        };
        stories.push(Story {
            id: s,
            label: format!("story {s}"),
            docs,
            near_duplicates,
        });
    }
    let claims: usize = articles.iter().map(|a| a.claims.len()).sum();
    let bytes: usize = articles.iter().map(|a| a.article.text.len()).sum();
    let start = Instant::now();
    let groups = align(&articles, &stories, &AlignOptions::default());
    let elapsed = start.elapsed();
    let mut by_verdict: BTreeMap<Verdict, usize> = BTreeMap::new();
    for g in &groups {
        *by_verdict.entry(g.verdict).or_default() += 1;
    }
    // Written with `writeln!` so that piping into `head` ends quietly instead of panicking.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(
        stdout,
        "{} articles ({:.1} MB, {} claims) in {} stories: {} groups in {:.3} s ({:.1} µs/article, {:.0} articles/s)",
        articles.len(),
        bytes as f64 / 1e6,
        claims,
        stories.len(),
        groups.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / articles.len().max(1) as f64,
        articles.len() as f64 / elapsed.as_secs_f64(),
    );
    for (verdict, count) in by_verdict {
        let _ = writeln!(stdout, "  {:<22} {count}", verdict.name());
    }
}
