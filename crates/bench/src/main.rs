//! `corroborate-bench`: generates a deterministic benchmark corpus and times the pipeline's
//! stages in process.
//!
//! `gen` writes N plain-text articles (about 3 KB each, with front matter) in stories of ten,
//! each story sharing names, figures and quotes with planted disagreements, so that every stage
//! has real work to do. `stages` reads a corpus and reports articles/s and MB/s for the
//! per-article stages (single-threaded and on all cores) and for the cross-article stages,
//! plus peak memory. `scripts/bench.sh` runs both and the whole CLI under `/usr/bin/time`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use corroborate::model::{Article, InputError};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "corroborate-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a deterministic corpus of plain-text articles.
    Gen {
        /// Number of articles.
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Articles per story.
        #[arg(long, default_value_t = 10)]
        per_story: usize,
        /// Random seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Output folder (created).
        #[arg(long)]
        out: PathBuf,
    },
    /// Time the pipeline's stages on a corpus folder.
    Stages {
        /// Corpus folder.
        corpus: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Gen {
            articles,
            per_story,
            seed,
            out,
        } => generate(articles, per_story.max(1), seed, &out),
        Command::Stages { corpus } => stages(&corpus),
    }
}

const GIVEN: &[&str] = &[
    "Anna", "Boris", "Carmen", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Karin", "Luca", "Maya", "Nils", "Olga", "Pavel", "Rosa", "Samir", "Tara", "Viktor",
];
const FAMILY: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Varga",
    "Reyes",
    "Castell",
    "Moreau",
    "Haddad",
    "Kowalski",
    "Brandt",
    "Ishikawa",
    "Novak",
    "Petrov",
    "Santos",
    "Weber",
    "Quist",
    "Adeyemi",
    "Larsen",
    "Duarte",
];
const TOWN_START: &[&str] = &[
    "Kes", "Mar", "Bel", "Tor", "Al", "Ros", "Vel", "Cor", "Sal", "Ner",
];
const TOWN_END: &[&str] = &[
    "trel Bay", "hollow", "ford", "mouth", "haven", "wick", "port", "dale",
];
const EVENTS: &[(&str, &str, &str)] = &[
    ("fire", "firefighters", "warehouses"),
    ("flood", "rescue workers", "homes"),
    ("strike", "dock workers", "ships"),
    ("storm", "utility crews", "power lines"),
    ("collapse", "engineers", "buildings"),
];
const OUTLETS: &[&str] = &[
    "The Courier",
    "Daily Ledger",
    "Harbour Watch",
    "Northern Wire",
    "Bay Radio",
    "The Sentinel",
    "Evening Post",
    "Coast Times",
    "Metro Herald",
    "Valley Report",
];
/// Nouns, verbs and adjectives from which each story draws its own vocabulary, so that stories
/// differ in their words as real ones do, while sharing towns, names and sentence shapes.
const NOUNS: &[&str] = &[
    "bridge",
    "harbour",
    "council",
    "budget",
    "school",
    "hospital",
    "railway",
    "factory",
    "union",
    "contract",
    "inquiry",
    "court",
    "tunnel",
    "reservoir",
    "pipeline",
    "airport",
    "market",
    "museum",
    "stadium",
    "library",
    "ferry",
    "warehouse",
    "refinery",
    "mine",
    "festival",
    "election",
    "ballot",
    "lawsuit",
    "pension",
    "subsidy",
    "tariff",
    "loan",
    "bond",
    "audit",
    "permit",
    "license",
    "tender",
    "merger",
    "strike",
    "protest",
    "curfew",
    "drought",
    "wildfire",
    "landslide",
    "outbreak",
    "vaccine",
    "clinic",
    "prison",
    "border",
    "checkpoint",
    "embassy",
    "treaty",
    "summit",
    "ceasefire",
    "convoy",
    "shipment",
    "harvest",
    "orchard",
    "vineyard",
    "fishery",
    "quarry",
    "dam",
    "canal",
    "highway",
    "depot",
    "terminal",
    "substation",
    "grid",
    "battery",
    "turbine",
    "reactor",
    "satellite",
    "laboratory",
    "university",
    "scholarship",
    "charity",
    "shelter",
    "parish",
    "cathedral",
    "monument",
    "archive",
    "broadcast",
    "newspaper",
    "website",
    "database",
    "password",
    "software",
    "patent",
    "startup",
    "bank",
    "insurer",
    "landlord",
    "tenant",
    "mortgage",
    "rent",
    "wage",
    "overtime",
    "shift",
    "inspection",
    "recall",
    "verdict",
    "appeal",
    "sentence",
    "bail",
    "warrant",
    "raid",
    "smuggling",
    "fraud",
    "bribe",
];
const VERBS: &[&str] = &[
    "approved",
    "rejected",
    "delayed",
    "cancelled",
    "expanded",
    "reviewed",
    "inspected",
    "closed",
    "reopened",
    "funded",
    "blocked",
    "challenged",
    "audited",
    "suspended",
    "restored",
    "replaced",
    "privatised",
    "renamed",
    "relocated",
    "evacuated",
    "flooded",
    "damaged",
    "rebuilt",
    "sold",
    "bought",
    "leased",
    "taxed",
    "subsidised",
    "investigated",
    "defended",
];
const ADJECTIVES: &[&str] = &[
    "new",
    "old",
    "regional",
    "municipal",
    "private",
    "public",
    "northern",
    "southern",
    "coastal",
    "rural",
    "urban",
    "disputed",
    "delayed",
    "costly",
    "temporary",
    "permanent",
    "historic",
    "modern",
    "damaged",
    "abandoned",
    "crowded",
    "empty",
    "larger",
    "smaller",
    "controversial",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Sentence shapes; `{t}` town, `{n}` a person, `{k}` a number, `{d}` a weekday, `{a}` an
/// adjective, `{x}`/`{y}` nouns and `{v}` a verb from the story's vocabulary.
const SHAPES: &[&str] = &[
    "The {a} {x} in {t} was {v} on {d}, {n} said.",
    "{n} said the {x} had been {v} twice since the {y} was {v}.",
    "Officials in {t} {v} the {a} {y} after {k} complaints about the {x}.",
    "The {x} will be {v} by {d}, according to {n}, who oversees the {y}.",
    "Critics including {n} said the {a} {x} was {v} without a proper {y}.",
    "About {k} residents attended a meeting on the {x} in {t} on {d}.",
    "The {y} is expected to be {v} within {k} days, {n} told reporters.",
    "{n} called the {a} {y} a mistake and asked for the {x} to be {v}.",
    "A report on the {x} found that the {y} had been {v} in {k} cases.",
    "The {a} {x} near {t} has been {v} since {d}, residents said.",
];

/// A story's own words.
struct Vocabulary {
    nouns: Vec<&'static str>,
    verbs: Vec<&'static str>,
    adjectives: Vec<&'static str>,
}

fn vocabulary(rng: &mut ChaCha8Rng) -> Vocabulary {
    Vocabulary {
        nouns: NOUNS.choose_multiple(rng, 6).copied().collect(),
        verbs: VERBS.choose_multiple(rng, 4).copied().collect(),
        adjectives: ADJECTIVES.choose_multiple(rng, 3).copied().collect(),
    }
}

fn filler(facts: &StoryFacts, rng: &mut ChaCha8Rng) -> String {
    let words = &facts.words;
    let pick = |list: &[&'static str], rng: &mut ChaCha8Rng| *list.choose(rng).unwrap_or(&"");
    let shape = *SHAPES.choose(rng).unwrap_or(&SHAPES[0]);
    let mut out = String::with_capacity(shape.len() + 40);
    let mut rest = shape;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let key = rest.get(open + 1..open + 2).unwrap_or("");
        let value = match key {
            "t" => facts.town.clone(),
            "n" => name(rng),
            "k" => rng.random_range(2..900).to_string(),
            "d" => pick(WEEKDAYS, rng).to_string(),
            "a" => pick(&words.adjectives, rng).to_string(),
            "x" | "y" => pick(&words.nouns, rng).to_string(),
            _ => pick(&words.verbs, rng).to_string(),
        };
        out.push_str(&value);
        rest = rest.get(open + 3..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        GIVEN.choose(rng).unwrap_or(&"Anna"),
        FAMILY.choose(rng).unwrap_or(&"Okafor")
    )
}

/// One story's facts; each article retells them with planted variations.
struct StoryFacts {
    town: String,
    event: (&'static str, &'static str, &'static str),
    chief: String,
    old_chief: String,
    mayor: String,
    workers: u32,
    evacuated: u32,
    destroyed: u32,
    damage_millions: u32,
    quote: String,
    words: Vocabulary,
}

fn story_facts(rng: &mut ChaCha8Rng) -> StoryFacts {
    let town = format!(
        "{}{}",
        TOWN_START.choose(rng).unwrap_or(&"Kes"),
        TOWN_END.choose(rng).unwrap_or(&"ford")
    );
    let event = *EVENTS.choose(rng).unwrap_or(&EVENTS[0]);
    StoryFacts {
        quote: format!(
            "We will rebuild {town}, and we will rebuild it better than before, whatever it takes"
        ),
        town,
        event,
        chief: name(rng),
        old_chief: name(rng),
        mayor: name(rng),
        workers: rng.random_range(40..400),
        evacuated: rng.random_range(100..5000),
        destroyed: rng.random_range(3..60),
        damage_millions: rng.random_range(2..200),
        words: vocabulary(rng),
    }
}

fn article(facts: &StoryFacts, rng: &mut ChaCha8Rng, story: usize, index: usize) -> String {
    let (event, workers_noun, things) = facts.event;
    let town = &facts.town;
    let outlet = OUTLETS[(story + index) % OUTLETS.len()];
    let mut text = String::with_capacity(3500);
    let day = 1 + (story % 27);
    let _ = write!(
        text,
        "---\noutlet: {outlet}\ntitle: {event} in {town}: what we know\nbyline: {}\ndate: 2026-03-{day:02}\n---\n",
        name(rng)
    );
    let workers = match rng.random_range(0..4) {
        0 => format!("more than {}", facts.workers - facts.workers % 10),
        1 => format!("about {}", facts.workers),
        2 => format!("{}", facts.workers / 2),
        _ => format!("{}", facts.workers),
    };
    let chief = if rng.random_bool(0.15) {
        &facts.old_chief
    } else {
        &facts.chief
    };
    let evacuated = if rng.random_bool(0.3) {
        "Hundreds of".to_string()
    } else {
        format!("About {}", facts.evacuated)
    };
    let quote = if rng.random_bool(0.2) {
        facts.quote.replace("better", "stronger")
    } else {
        facts.quote.clone()
    };
    let _ = writeln!(
        text,
        "A {event} struck {town} on Thursday, and {workers} {workers_noun} worked through the night, Chief {chief} said. \
         {evacuated} residents were evacuated as the situation worsened, and {} {things} were destroyed.\n",
        facts.destroyed
    );
    let _ = writeln!(
        text,
        "\"{quote},\" Mayor {} told reporters at the scene. Officials speaking on condition of anonymity said the response had been slow. \
         The damage was estimated at ${} million, according to the regional government.\n",
        facts.mayor, facts.damage_millions
    );
    while text.len() < 3000 {
        let paragraph: Vec<String> = (0..3).map(|_| filler(facts, rng)).collect();
        let _ = writeln!(text, "{}\n", paragraph.join(" "));
    }
    text
}

fn generate(
    articles: usize,
    per_story: usize,
    seed: u64,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut bytes = 0;
    let mut facts = story_facts(&mut rng);
    for i in 0..articles {
        if i % per_story == 0 {
            facts = story_facts(&mut rng);
        }
        let text = article(&facts, &mut rng, i / per_story, i % per_story);
        bytes += text.len();
        let path = out.join(format!("{:03}/{i:06}.txt", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(path.parent().unwrap_or(out))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!(
        "wrote {articles} articles ({:.1} MB) to {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}

/// Peak resident memory of this process so far, in MB (Linux; 0 elsewhere).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn stages(corpus: &std::path::Path) -> anyhow::Result<()> {
    let config = corroborate::Config::default();
    let inputs = vec![corpus.display().to_string()];
    let start = Instant::now();
    let mut articles: Vec<Article> = Vec::new();
    let mut errors: Vec<InputError> = Vec::new();
    corroborate::extract_each(&inputs, &config, |r| match r {
        Ok(a) => articles.push(a),
        Err(e) => errors.push(e),
    });
    let read = start.elapsed().as_secs_f64();
    let n = articles.len() as f64;
    let mb = articles.iter().map(|a| a.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus: {} articles, {mb:.1} MB of text, {} errors",
        articles.len(),
        errors.len()
    );
    println!(
        "{:<34} {:>10} {:>12} {:>9}",
        "stage", "seconds", "articles/s", "MB/s"
    );
    let row = |label: &str, secs: f64| {
        println!(
            "{label:<34} {secs:>10.3} {:>12.0} {:>9.2}",
            n / secs,
            mb / secs
        );
    };
    row("read + extract (all cores)", read);

    let single = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let start = Instant::now();
    let analyzed: Vec<_> = single.install(|| {
        articles
            .par_iter()
            .cloned()
            .map(corroborate::analyze_article)
            .collect()
    });
    row("nlp + claims (1 thread)", start.elapsed().as_secs_f64());
    drop(analyzed);

    let start = Instant::now();
    let analyzed: Vec<_> = articles
        .par_iter()
        .cloned()
        .map(corroborate::analyze_article)
        .collect();
    row(
        &format!("nlp + claims ({} threads)", rayon::current_num_threads()),
        start.elapsed().as_secs_f64(),
    );

    // The cross-article stages one by one, in the order the pipeline runs them.
    let mut analyzed = analyzed;
    let start = Instant::now();
    corroborate_nlp::link_entities(&mut analyzed);
    row(
        "link entities across articles",
        start.elapsed().as_secs_f64(),
    );
    let start = Instant::now();
    let stories = corroborate_cluster::cluster(&analyzed, &config.cluster);
    row("cluster stories", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let kb_groups = corroborate_kb::date_and_judge(&config.kb, &mut analyzed, &stories);
    row("knowledge base", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let groups = corroborate_align::align(&analyzed, &stories, &config.align);
    row("align claims", start.elapsed().as_secs_f64());
    drop((kb_groups, groups));

    let start = Instant::now();
    let analysis = corroborate::analyze_articles(analyzed, Vec::new(), &config);
    row("all cross-article stages", start.elapsed().as_secs_f64());
    let start = Instant::now();
    let json = corroborate::report::json(&analysis);
    row("JSON report", start.elapsed().as_secs_f64());
    drop(json);
    println!(
        "result: {} stories, {} claim groups; peak memory {:.0} MB",
        analysis.stories.len(),
        analysis.groups.len(),
        peak_rss_mb()
    );
    Ok(())
}
