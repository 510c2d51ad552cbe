//! Deterministic synthetic news corpus for clustering scale tests.
//!
//! ```text
//! corroborate-gen-corpus --articles N [--stories M] [--seed S] --out DIR
//! ```
//!
//! Writes `DIR/articles.jsonl` (one `{id, url, title, text, date, outlet, authors}` record per
//! line) and `DIR/truth.json` (`{"stories": [story of article 0, ...], "duplicates": [[source,
//! copy], ...]}`). Stories are built from one sentence-template lexicon
//! (`data/gen_lexicon.txt`), a shared pool of people (each person with a fixed role appears in
//! several unrelated stories), shared places and shared background sentences, so stories are
//! not separable by vocabulary alone. Within a story, independent articles render the story's
//! facts with different templates and share its quote word for word; planted copies are exact
//! duplicates or rewrites of an earlier article (synonym swaps, clauses swapped around a comma,
//! a sentence dropped or added). The same arguments always give the same bytes.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::sync::LazyLock;

/// SplitMix64: a tiny, well-known PRNG, so the corpus never changes with a crate upgrade.
struct Rng(u64);

impl Rng {
    /// A generator for `stream` under `seed`. Both are scrambled first: with a plain
    /// `seed ^ stream * γ`, stream k+1 would replay stream k shifted by one draw.
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Self(stream);
        let s = r.next();
        let mut r = Self(seed ^ s);
        Self(r.next())
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// The parsed lexicon: section name → lines.
struct Lexicon {
    sections: HashMap<String, Vec<String>>,
    synonyms: HashMap<String, String>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut sections: HashMap<String, Vec<String>> = HashMap::new();
    let mut current = String::new();
    for line in include_str!("../../data/gen_lexicon.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_string();
            continue;
        }
        sections
            .entry(current.clone())
            .or_default()
            .push(line.to_string());
    }
    let mut synonyms = HashMap::new();
    for pair in sections.get("synonyms").into_iter().flatten() {
        if let Some((a, b)) = pair.split_once('=') {
            synonyms.insert(a.to_string(), b.to_string());
            synonyms.insert(b.to_string(), a.to_string());
        }
    }
    Lexicon { sections, synonyms }
});

impl Lexicon {
    fn section(&self, name: &str) -> &[String] {
        self.sections.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Template variants grouped by fact kind, in lexicon order.
    fn templates(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for line in self.section("templates") {
            let Some((kind, template)) = line.split_once('|') else {
                continue;
            };
            match out.last_mut() {
                Some((k, v)) if k == kind => v.push(template.to_string()),
                _ => out.push((kind.to_string(), vec![template.to_string()])),
            }
        }
        out
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A made-up word of 2–3 syllables, deterministic in `index`.
fn coined(index: usize, salt: u64) -> String {
    let syl = LEXICON.section("syllables");
    let mut r = Rng::new(index as u64, salt);
    let n = 2 + r.below(2);
    let word: String = (0..n)
        .filter_map(|_| r.pick(syl))
        .map(String::as_str)
        .collect();
    capitalize(&word)
}

struct Person {
    name: String,
    surname: String,
    role: String,
}

fn person(index: usize) -> Person {
    let mut r = Rng::new(index as u64, 7);
    let first = r
        .pick(LEXICON.section("first_names"))
        .cloned()
        .unwrap_or_default();
    let surname = coined(index, 11);
    let role = LEXICON
        .section("roles")
        .get(index % LEXICON.section("roles").len().max(1))
        .cloned()
        .unwrap_or_default();
    Person {
        name: format!("{first} {surname}"),
        surname,
        role,
    }
}

#[derive(Serialize)]
struct Record {
    id: usize,
    url: String,
    title: String,
    text: String,
    date: String,
    outlet: String,
    authors: Vec<String>,
}

/// One generated article before ids are assigned.
struct Draft {
    sentences: Vec<String>,
    title: String,
    day: i64,
    outlet: usize,
    authors: Vec<String>,
    /// Index (within the story) of the article this one copies.
    copy_of: Option<usize>,
}

struct Params {
    people: usize,
    places: usize,
}

fn fill(template: &str, slots: &HashMap<&str, String>) -> String {
    let mut out = template.to_string();
    for (k, v) in slots {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Swaps synonyms, swaps clauses around a comma, drops or adds a sentence.
fn rewrite(source: &[String], r: &mut Rng, extra: String) -> Vec<String> {
    let mut out: Vec<String> = source
        .iter()
        .map(|s| {
            let swapped: Vec<String> = s
                .split(' ')
                .map(|w| {
                    let core = w.trim_end_matches([',', '.', ';']);
                    let tail = &w[core.len()..];
                    match LEXICON.synonyms.get(core) {
                        Some(syn) if r.chance(0.7) => format!("{syn}{tail}"),
                        _ => w.to_string(),
                    }
                })
                .collect();
            let s = swapped.join(" ");
            match s.split_once(", ") {
                Some((a, b)) if !s.contains('“') && r.chance(0.5) => {
                    let b = b.trim_end_matches('.');
                    let a_lower = if a
                        .split(' ')
                        .next()
                        .is_some_and(|w| w.chars().skip(1).any(char::is_uppercase))
                    {
                        a.to_string()
                    } else {
                        let mut c = a.chars();
                        c.next()
                            .map(|f| f.to_lowercase().chain(c).collect())
                            .unwrap_or_default()
                    };
                    format!("{}, {a_lower}.", capitalize(b))
                }
                _ => s,
            }
        })
        .collect();
    if out.len() > 4 && r.chance(0.5) {
        let i = 1 + r.below(out.len() - 1);
        out.remove(i);
    }
    if r.chance(0.5) {
        out.push(extra);
    }
    out
}

fn story(seed: u64, s: usize, size: usize, stories: usize, p: &Params) -> Vec<Draft> {
    let lex = &*LEXICON;
    let mut r = Rng::new(seed, s as u64 + 1);
    let topics: Vec<(&str, Vec<&str>)> = lex
        .section("topics")
        .iter()
        .filter_map(|l| l.split_once('|'))
        .map(|(k, v)| (k, v.split(',').collect()))
        .collect();
    let topic = topics
        .get(r.below(topics.len()))
        .map(|t| t.1.clone())
        .unwrap_or_default();
    let topic_word = |r: &mut Rng| {
        let i = r.below(topic.len().max(1));
        topic.get(i).map(|s| s.to_string()).unwrap_or_default()
    };
    let p1 = person(r.below(p.people));
    let p2 = person(r.below(p.people));
    let place = format!(
        "{}{}",
        coined(r.below(p.places), 3),
        ["ton", "ville", "burg", "field", "port"][r.below(5)]
    );
    let facility = format!(
        "{} {}",
        coined(r.below(1 << 20), 5),
        r.pick(lex.section("facilities"))
            .cloned()
            .unwrap_or_default()
    );
    let quote_parts = lex.section("quote_parts");
    let quote = capitalize(&format!(
        "{} and {}",
        r.pick(quote_parts).cloned().unwrap_or_default(),
        r.pick(quote_parts).cloned().unwrap_or_default()
    ));
    let day0 = (s * 365 / stories.max(1)) as i64 + r.below(3) as i64;
    let weekdays = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let mut slots: HashMap<&str, String> = HashMap::new();
    slots.insert("P1", p1.name.clone());
    slots.insert("S1", p1.surname.clone());
    slots.insert("R1", p1.role.clone());
    slots.insert("P2", p2.name.clone());
    slots.insert("S2", p2.surname.clone());
    slots.insert("R2", p2.role.clone());
    slots.insert("PL", place.clone());
    slots.insert("X", facility.clone());
    slots.insert(
        "ORG",
        format!(
            "{place} {}",
            r.pick(lex.section("organisations"))
                .cloned()
                .unwrap_or_default()
        ),
    );
    slots.insert("N1", (2 + r.below(48)).to_string());
    slots.insert("N2", (3 + r.below(200)).to_string());
    slots.insert("N3", (1 + r.below(90)).to_string());
    slots.insert("T", topic_word(&mut r));
    slots.insert(
        "T2",
        r.pick(lex.section("causes")).cloned().unwrap_or_default(),
    );
    slots.insert("DAY", weekdays[r.below(7)].to_string());
    slots.insert("Q", quote);
    let templates = lex.templates();
    // The story's words from the shared vocabulary (4,000 coined words): every story has its
    // own mix, but each word is used by many stories.
    let story_words: Vec<String> = (0..6)
        .map(|_| coined(r.below(4000), 13).to_lowercase())
        .collect();
    let words = |r: &mut Rng| {
        let a = r.below(story_words.len());
        let b = (a + 1 + r.below(story_words.len() - 1)) % story_words.len();
        format!("{} {}", story_words[a], story_words[b])
    };
    let render = |template: &str, r: &mut Rng| {
        let mut f = slots.clone();
        f.insert("W", words(r));
        fill(template, &f)
    };
    let filler = |r: &mut Rng| {
        let mut f = slots.clone();
        f.insert("W", words(r));
        f.insert(
            "G",
            r.pick(lex.section("generic_nouns"))
                .cloned()
                .unwrap_or_default(),
        );
        f.insert(
            "A",
            r.pick(lex.section("generic_adjectives"))
                .cloned()
                .unwrap_or_default(),
        );
        fill(
            r.pick(lex.section("filler"))
                .map(String::as_str)
                .unwrap_or(""),
            &f,
        )
    };
    let title_forms = [
        "{N1} {T} at {X} in {PL}",
        "{PL}: {T} hit the {X}",
        "{S1} visits {X} after {T}",
        "{T} at {PL} {X} leave {N2} hurt",
    ];
    let mut drafts: Vec<Draft> = Vec::with_capacity(size);
    for a in 0..size {
        let outlet = r.below(200);
        let wire = r.chance(0.15);
        let authors = if wire {
            vec![["Associated Press", "Reuters", "AFP"][r.below(3)].to_string()]
        } else {
            vec![person(r.below(p.people)).name]
        };
        let day = day0 + r.below(4) as i64;
        let originals: Vec<usize> = (0..a).filter(|&i| drafts[i].copy_of.is_none()).collect();
        if !originals.is_empty() && r.chance(0.22) {
            let src = originals[r.below(originals.len())];
            let exact = r.chance(0.15);
            let sentences = if exact {
                drafts[src].sentences.clone()
            } else {
                let extra = filler(&mut r);
                rewrite(&drafts[src].sentences, &mut r, extra)
            };
            let title = drafts[src].title.clone();
            let day = drafts[src].day + r.below(2) as i64;
            drafts.push(Draft {
                sentences,
                title,
                day,
                outlet,
                authors,
                copy_of: Some(src),
            });
            continue;
        }
        let mut sentences = Vec::new();
        for (i, (_, variants)) in templates.iter().enumerate() {
            if (i == 0 || r.chance(0.7))
                && let Some(t) = r.pick(variants)
            {
                sentences.push(capitalize(&render(t, &mut r)));
            }
        }
        for _ in 0..1 + r.below(3) {
            let at = r.below(sentences.len() + 1).max(1).min(sentences.len());
            sentences.insert(at, filler(&mut r));
        }
        let title = capitalize(&fill(title_forms[r.below(title_forms.len())], &slots));
        drafts.push(Draft {
            sentences,
            title,
            day,
            outlet,
            authors,
            copy_of: None,
        });
    }
    drafts
}

fn usage() -> ! {
    eprintln!("usage: corroborate-gen-corpus --articles N [--stories M] [--seed S] --out DIR");
    std::process::exit(2);
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut n: Option<usize> = None;
    let mut m: Option<usize> = None;
    let mut seed = 42u64;
    let mut out: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--articles" => n = v.parse().ok(),
            "--stories" => m = v.parse().ok(),
            "--seed" => seed = v.parse().unwrap_or_else(|_| usage()),
            "--out" => out = Some(v.clone()),
            _ => usage(),
        }
    }
    let (Some(n), Some(out)) = (n, out) else {
        usage()
    };
    let m = m.unwrap_or((n / 8).max(1)).clamp(1, n.max(1));
    let params = Params {
        people: (m / 4).max(20),
        places: (m / 20).max(10),
    };
    // Story sizes: one article each, the rest spread with random weights.
    let mut r = Rng::new(seed, 0);
    let weights: Vec<f64> = (0..m)
        .map(|_| 0.2 + (r.next() >> 11) as f64 / (1u64 << 53) as f64 * 1.6)
        .collect();
    let total: f64 = weights.iter().sum();
    let extra = n.saturating_sub(m);
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| 1 + (extra as f64 * w / total) as usize)
        .collect();
    let mut assigned: usize = sizes.iter().sum();
    while assigned < n {
        let i = r.below(m);
        sizes[i] += 1;
        assigned += 1;
    }
    std::fs::create_dir_all(&out)?;
    let mut articles = BufWriter::new(std::fs::File::create(format!("{out}/articles.jsonl"))?);
    let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut story_of: Vec<usize> = Vec::with_capacity(n);
    let mut duplicates: Vec<(usize, usize)> = Vec::new();
    let chunk = 4096;
    for start in (0..m).step_by(chunk) {
        let end = (start + chunk).min(m);
        let drafts: Vec<(usize, Vec<Draft>)> = (start..end)
            .into_par_iter()
            .map(|s| (s, story(seed, s, sizes[s], m, &params)))
            .collect();
        // Interleave the chunk's articles by day (ties in a seeded order), as a crawl would.
        let mut order: Vec<(i64, u64, usize, usize)> = drafts
            .iter()
            .enumerate()
            .flat_map(|(ci, (s, d))| {
                d.iter()
                    .enumerate()
                    .map(move |(ai, a)| (a.day, (*s as u64) << 20 | ai as u64, ci, ai))
            })
            .map(|(day, key, ci, ai)| (day, Rng::new(seed, key).next(), ci, ai))
            .collect();
        order.sort_unstable();
        let mut id_of: HashMap<(usize, usize), usize> = HashMap::new();
        for (_, _, ci, ai) in &order {
            id_of.insert((*ci, *ai), story_of.len() + id_of.len());
        }
        for (_, _, ci, ai) in order {
            let (s, list) = &drafts[ci];
            let a = &list[ai];
            let id = id_of[&(ci, ai)];
            if let Some(src) = a.copy_of {
                duplicates.push((id_of[&(ci, src)], id));
            }
            let mut text = String::new();
            for (k, sentence) in a.sentences.iter().enumerate() {
                if k > 0 {
                    text.push_str(if k % 3 == 0 { "\n\n" } else { " " });
                }
                text.push_str(sentence);
            }
            let date = base + chrono::Days::new(a.day.max(0) as u64);
            let record = Record {
                id,
                url: format!("https://outlet{}.example/news/{id}", a.outlet),
                title: a.title.clone(),
                text,
                date: date.format("%Y-%m-%d").to_string(),
                outlet: format!("Outlet {}", a.outlet),
                authors: a.authors.clone(),
            };
            serde_json::to_writer(&mut articles, &record)?;
            articles.write_all(b"\n")?;
            story_of.push(*s);
        }
    }
    articles.flush()?;
    let truth = serde_json::json!({ "stories": story_of, "duplicates": duplicates });
    std::fs::write(format!("{out}/truth.json"), serde_json::to_vec(&truth)?)?;
    eprintln!(
        "wrote {n} articles in {m} stories ({} planted copies) to {out}",
        duplicates.len()
    );
    Ok(())
}
