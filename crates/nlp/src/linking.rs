//! Cross-article alias resolution: one real-world entity, one canonical string in the run.
//!
//! Three hash maps, built in one pass over every entity of every article, then one rewriting
//! pass, so the cost is linear in the number of entities:
//!
//! * full person names (two words or more) by key, with the most frequent spelling as the
//!   canonical form ("Itamar Ben-Gvir" and "Itamar Ben Gvir" share a key);
//! * word suffixes of full names ("netanyahu", "ben gvir") → the one full name they abbreviate,
//!   or nothing when two different full names share it (ambiguous, left alone);
//! * acronyms defined in some article ("CIS") → the one organisation they stand for.
//!
//! Two different full names are never merged; a shorter full name is rewritten only when it
//! is a suffix of exactly one longer full name in the run.

use crate::names::{is_acronym, name_key, proper_suffixes, word_count};
use corroborate_model::{AnalyzedArticle, Entity, EntityKind};
use rustc_hash::FxHashMap;

/// A value seen once, or several different values (ambiguous).
#[derive(Debug, Clone)]
enum Unique<T> {
    One(T),
    Ambiguous,
}

impl<T: PartialEq> Unique<T> {
    fn merge(slot: &mut Option<Unique<T>>, value: T) {
        match slot {
            None => *slot = Some(Unique::One(value)),
            Some(Unique::One(have)) if *have != value => *slot = Some(Unique::Ambiguous),
            Some(_) => {}
        }
    }

    fn get(&self) -> Option<&T> {
        match self {
            Unique::One(v) => Some(v),
            Unique::Ambiguous => None,
        }
    }
}

/// Rewrites entity canonical names so one real-world entity has one canonical string in
/// every article. See the module docs for the rules.
pub(crate) fn link(articles: &mut [AnalyzedArticle]) {
    // Spellings of each full person name, with counts in first-seen order.
    let mut spellings: FxHashMap<String, Vec<(String, usize)>> = FxHashMap::default();
    let mut suffixes: FxHashMap<String, Option<Unique<String>>> = FxHashMap::default();
    let mut acronyms: FxHashMap<String, Option<Unique<String>>> = FxHashMap::default();
    for entity in articles.iter().flat_map(|a| &a.entities) {
        match entity.kind {
            EntityKind::Person => {
                let key = name_key(&entity.canonical);
                if word_count(&key) < 2 {
                    continue;
                }
                for suffix in proper_suffixes(&key) {
                    Unique::merge(suffixes.entry(suffix.to_string()).or_default(), key.clone());
                }
                let forms = spellings.entry(key).or_default();
                match forms.iter_mut().find(|(s, _)| *s == entity.canonical) {
                    Some((_, count)) => *count += 1,
                    None => forms.push((entity.canonical.clone(), 1)),
                }
            }
            EntityKind::Organization => {
                for alias in entity.aliases.iter().filter(|a| is_acronym(a)) {
                    if !is_acronym(&entity.canonical) {
                        Unique::merge(
                            acronyms.entry(alias.clone()).or_default(),
                            entity.canonical.clone(),
                        );
                    }
                }
            }
            EntityKind::Place | EntityKind::Group => {}
        }
    }
    let canonical_of = |key: &str| -> Option<String> {
        let forms = spellings.get(key)?;
        let best = forms.iter().map(|(_, c)| *c).max()?;
        forms
            .iter()
            .find(|(_, c)| *c == best)
            .map(|(s, _)| s.clone())
    };

    for entity in articles.iter_mut().flat_map(|a| a.entities.iter_mut()) {
        let target = match entity.kind {
            EntityKind::Person => {
                let key = name_key(&entity.canonical);
                let full = match suffixes.get(&key).and_then(|u| u.as_ref()?.get()) {
                    Some(longer) => longer.clone(),
                    None => key,
                };
                canonical_of(&full)
            }
            EntityKind::Organization if is_acronym(&entity.canonical) => acronyms
                .get(&entity.canonical)
                .and_then(|u| u.as_ref()?.get().cloned()),
            _ => None,
        };
        if let Some(target) = target {
            rename(entity, target);
        }
    }
}

/// Makes `canonical` the entity's name, keeping the old name as an alias.
fn rename(entity: &mut Entity, canonical: String) {
    if entity.canonical == canonical {
        return;
    }
    let old = std::mem::replace(&mut entity.canonical, canonical);
    entity.aliases.retain(|a| *a != entity.canonical);
    if !entity.aliases.contains(&old) {
        entity.aliases.push(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::{Article, SourceRef};

    fn article(id: u32, entities: &[(&str, EntityKind, &[&str])]) -> AnalyzedArticle {
        let mut a = AnalyzedArticle::new(Article::from_text(
            id,
            SourceRef::file(format!("{id}.txt")),
            String::new(),
        ));
        a.entities = entities
            .iter()
            .map(|(name, kind, aliases)| Entity {
                canonical: name.to_string(),
                kind: *kind,
                aliases: aliases.iter().map(|s| s.to_string()).collect(),
            })
            .collect();
        a
    }

    fn canonicals(articles: &[AnalyzedArticle]) -> Vec<Vec<&str>> {
        articles
            .iter()
            .map(|a| a.entities.iter().map(|e| e.canonical.as_str()).collect())
            .collect()
    }

    #[test]
    fn surname_resolves_to_the_full_name_seen_in_another_article() {
        let mut run = vec![
            article(
                0,
                &[
                    ("Netanyahu", EntityKind::Person, &[]),
                    ("Halevi", EntityKind::Person, &[]),
                ],
            ),
            article(1, &[("Benjamin Netanyahu", EntityKind::Person, &["Bibi"])]),
            article(2, &[("Herzi Halevi", EntityKind::Person, &[])]),
        ];
        link(&mut run);
        assert_eq!(
            canonicals(&run),
            [
                vec!["Benjamin Netanyahu", "Herzi Halevi"],
                vec!["Benjamin Netanyahu"],
                vec!["Herzi Halevi"]
            ]
        );
        assert_eq!(run[0].entities[0].aliases, ["Netanyahu"]);
    }

    #[test]
    fn shared_surname_of_two_full_names_stays_ambiguous_and_full_names_never_merge() {
        let mut run = vec![
            article(0, &[("Smith", EntityKind::Person, &[])]),
            article(1, &[("John Smith", EntityKind::Person, &[])]),
            article(2, &[("Jane Smith", EntityKind::Person, &[])]),
        ];
        link(&mut run);
        assert_eq!(
            canonicals(&run),
            [vec!["Smith"], vec!["John Smith"], vec!["Jane Smith"]]
        );
    }

    #[test]
    fn spelling_variants_of_one_full_name_share_the_most_frequent_form() {
        let mut run = vec![
            article(0, &[("Itamar Ben Gvir", EntityKind::Person, &[])]),
            article(1, &[("Itamar Ben-Gvir", EntityKind::Person, &[])]),
            article(
                2,
                &[
                    ("Itamar Ben-Gvir", EntityKind::Person, &[]),
                    ("Ben-Gvir", EntityKind::Person, &[]),
                ],
            ),
        ];
        link(&mut run);
        assert_eq!(
            canonicals(&run),
            [
                vec!["Itamar Ben-Gvir"],
                vec!["Itamar Ben-Gvir"],
                vec!["Itamar Ben-Gvir", "Itamar Ben-Gvir"]
            ]
        );
    }

    #[test]
    fn acronym_defined_in_one_article_names_the_organisation_in_another() {
        let mut run = vec![
            article(
                0,
                &[(
                    "Commanders for Israel’s Security",
                    EntityKind::Organization,
                    &["CIS"],
                )],
            ),
            article(
                1,
                &[
                    ("CIS", EntityKind::Organization, &[]),
                    ("Shin Bet", EntityKind::Organization, &[]),
                ],
            ),
        ];
        link(&mut run);
        assert_eq!(
            canonicals(&run)[1],
            ["Commanders for Israel’s Security", "Shin Bet"]
        );
    }

    #[test]
    fn many_articles_link_in_linear_time() {
        let names: Vec<String> = (0..20_000)
            .map(|i| format!("Person{i} Surname{i}"))
            .collect();
        let mut run: Vec<AnalyzedArticle> = names
            .iter()
            .enumerate()
            .map(|(i, full)| {
                let surname = full.rsplit(' ').next().unwrap_or_default();
                article(
                    i as u32,
                    &[
                        (full, EntityKind::Person, &[]),
                        (surname, EntityKind::Person, &[]),
                    ],
                )
            })
            .collect();
        let started = std::time::Instant::now();
        link(&mut run);
        assert!(started.elapsed().as_secs() < 5);
        assert!(
            run.iter()
                .all(|a| a.entities[0].canonical == a.entities[1].canonical)
        );
    }

    #[test]
    fn places_and_groups_are_left_alone() {
        let mut run = vec![article(
            0,
            &[
                ("Israel", EntityKind::Place, &[]),
                ("Israelis", EntityKind::Group, &[]),
            ],
        )];
        link(&mut run);
        assert_eq!(canonicals(&run), [vec!["Israel", "Israelis"]]);
    }
}
