//! Office holders: who the articles of a story say holds each office.
//!
//! Claims are bucketed by `(title, org)`. Only offices with one holder at a time can have
//! holders in conflict (`[offices]` in `data/terms.toml`): "senator" or "ambassador" never
//! do, nor a qualified office ("deputy director", "nominee president"). For an office with one
//! holder per country or place ("the military chief of staff"), a claim that names no
//! organisation joins the bucket of the same title when the story names exactly one
//! organisation for that title, else the bucket of the story's dominant organisation (the one
//! most office claims name) when it has that title; otherwise it stays on its own. An office
//! with one holder per *body* ("president": of a country, a company, a union) is only ever
//! judged between claims that name the same body.
//!
//! Within a bucket, current and unspecified holders are compared: different people named by at
//! least two independent sources give **HolderConflict**, one person named by several sources
//! gives **Agree**. Former holders never conflict with current ones (a predecessor is not a
//! rival claim); a former holder named by several sources is an **Agree** group of its own.
//!
//! The reverse is a conflict too: one person given different top posts of one body
//! (`leader_titles` in terms.toml: "CEO Dan Cathy" against "the president, Dan T. Cathy") by
//! different outlets, when no article gives the person both.
//!
//! People are told apart by [`person_key`]: the surname without suffixes, so that an unlinked
//! "Zamir" and "Eyal Zamir", or "Joe Biden" and "Joseph R. Biden Jr.", never look like two
//! holders; surnames one letter apart with the same first initial are one person misspelt.
//!
//! Cost: linear in the number of office claims of the story.

use crate::AlignOptions;
use crate::confidence;
use crate::context::{StoryContext, person_key};
use crate::terms::{Holders, TERMS};
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, DocId, Office, OfficeHolder, Tenure, Topic, Verdict,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

struct Item<'a> {
    r: ClaimRef,
    holder: &'a OfficeHolder,
    name: &'a str,
    person: String,
}

/// Groups the office-holder claims of one story and appends their verdict groups.
pub(crate) fn align(ctx: &StoryContext<'_>, _options: &AlignOptions, out: &mut Vec<ClaimGroup>) {
    let mut items: Vec<(String, Option<String>, Item<'_>)> = Vec::new();
    for (r, claim) in ctx.claims() {
        let ClaimKind::OfficeHolder(holder) = &claim.kind else {
            continue;
        };
        if !ctx.is_valid(holder.person_span, r.doc) || !ctx.is_valid(holder.office_span, r.doc) {
            continue;
        }
        let Some(entity) = ctx
            .article(r.doc)
            .and_then(|a| a.entities.get(holder.person))
        else {
            continue;
        };
        let name = entity.canonical.trim();
        let person = person_key(name);
        let title = normalise(&holder.office.title);
        if person.is_empty() || title.is_empty() {
            continue;
        }
        let org = holder
            .office
            .org
            .as_deref()
            .map(normalise)
            .filter(|o| !o.is_empty());
        items.push((
            title,
            org,
            Item {
                r,
                holder,
                name,
                person,
            },
        ));
    }
    let dominant = dominant_org(&items);
    let mut orgs_by_title: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (title, org, _) in &items {
        if let Some(org) = org {
            orgs_by_title.entry(title).or_default().insert(org);
        }
    }
    let mut buckets: BTreeMap<(String, Option<String>), Vec<&Item<'_>>> = BTreeMap::new();
    for (title, org, item) in &items {
        let infer = TERMS.holders(title) == Holders::OneInStory;
        let org = org.clone().or_else(|| {
            if !infer {
                return None;
            }
            let known = orgs_by_title.get(title.as_str())?;
            match (known.len(), known.iter().next(), &dominant) {
                (1, Some(only), _) => Some(only.to_string()),
                (_, _, Some(dominant)) if known.contains(dominant.as_str()) => {
                    Some(dominant.clone())
                }
                _ => None,
            }
        });
        buckets.entry((title.clone(), org)).or_default().push(item);
    }
    for ((title, org), members) in buckets {
        let office = Office { title, org };
        let (former, current): (Vec<&Item<'_>>, Vec<&Item<'_>>) = members
            .into_iter()
            .partition(|i| i.holder.tenure == Tenure::Former);
        judge(ctx, &office, &current, false, out);
        for person in people(&former) {
            judge(ctx, &office, &person, true, out);
        }
    }
    title_conflicts(ctx, &items, out);
}

/// One person given different top posts of one body by different outlets ("CEO Dan Cathy" /
/// "the president, Dan T. Cathy"): a **HolderConflict** on the person's title. Not when an
/// article gives the person two of them ("president and chief executive": both held), nor
/// when the claims name different bodies. People are one only under the same first initial
/// as well as the same surname: a founder and his son share a surname.
fn title_conflicts(
    ctx: &StoryContext<'_>,
    items: &[(String, Option<String>, Item<'_>)],
    out: &mut Vec<ClaimGroup>,
) {
    let leaders: Vec<(&str, Option<&str>, &Item<'_>)> = items
        .iter()
        .filter(|(title, _, item)| {
            item.holder.tenure != Tenure::Former && TERMS.is_leader_title(title)
        })
        .map(|(title, org, item)| (title.as_str(), org.as_deref(), item))
        .collect();
    let mut people: Vec<Vec<usize>> = Vec::new();
    for (k, &(_, _, item)) in leaders.iter().enumerate() {
        let first = |p: &Vec<usize>| leaders[p[0]].2;
        match people
            .iter_mut()
            .find(|p| same_person(first(p), item) && same_initial(first(p).name, item.name))
        {
            Some(person) => person.push(k),
            None => people.push(vec![k]),
        }
    }
    for person in people {
        let claims: Vec<(&str, Option<&str>, &Item<'_>)> =
            person.iter().map(|&k| leaders[k]).collect();
        let titles: BTreeSet<&str> = claims.iter().map(|c| c.0).collect();
        let orgs: BTreeSet<&str> = claims.iter().filter_map(|c| c.1).collect();
        let refs: Vec<ClaimRef> = claims.iter().map(|c| c.2.r).collect();
        let sources = ctx.sources_of_refs(&refs);
        if titles.len() < 2 || orgs.len() > 1 || sources < 2 {
            continue;
        }
        let mut by_doc: HashMap<DocId, BTreeSet<&str>> = HashMap::new();
        for c in &claims {
            by_doc.entry(c.2.r.doc).or_default().insert(c.0);
        }
        if by_doc.values().any(|t| t.len() > 1) {
            continue;
        }
        let name = claims
            .iter()
            .map(|c| c.2.name)
            .max_by_key(|n| n.len())
            .unwrap_or("");
        let described = titles
            .iter()
            .map(|title| {
                let refs: Vec<ClaimRef> = claims
                    .iter()
                    .filter(|c| c.0 == *title)
                    .map(|c| c.2.r)
                    .collect();
                format!("{title} ({})", ctx.outlets(&refs))
            })
            .collect::<Vec<_>>()
            .join(" vs ");
        let org = orgs.first().map(|o| format!(" of {o}")).unwrap_or_default();
        let mut evidence = Vec::new();
        for c in &claims {
            evidence.push(c.2.holder.office_span);
            evidence.push(c.2.holder.person_span);
        }
        out.push(ClaimGroup {
            topic: Topic::Named {
                name: name.to_string(),
            },
            verdict: Verdict::HolderConflict,
            explanation: format!("{name}'s post{org}: {described}"),
            claims: refs,
            evidence,
            diffs: Vec::new(),
            independent_sources: sources,
            story: Some(ctx.story.id),
            confidence: confidence::TITLES,
        });
    }
}

/// True unless both names give a first name and the initials differ.
fn same_initial(a: &str, b: &str) -> bool {
    let initial = |name: &str| {
        let mut words = name.split_whitespace();
        let first = words.next()?;
        words.next()?;
        first.chars().next().map(|c| c.to_ascii_lowercase())
    };
    match (initial(a), initial(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Lower-case with whitespace collapsed.
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The organisation most office claims of the story name (ties: alphabetical).
fn dominant_org(items: &[(String, Option<String>, Item<'_>)]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, org, _) in items {
        if let Some(org) = org {
            *counts.entry(org).or_default() += 1;
        }
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(org, _)| org.to_string())
}

/// True when two holders are one person: the same surname key, or keys one letter apart
/// (a misspelling) with the same first initial.
fn same_person(a: &Item<'_>, b: &Item<'_>) -> bool {
    if a.person == b.person {
        return true;
    }
    let initial = |name: &str| name.chars().next().map(|c| c.to_ascii_lowercase());
    a.person.chars().count() >= 5
        && initial(a.name) == initial(b.name)
        && strsim::levenshtein(&a.person, &b.person) <= 1
}

/// Splits holders by person, in order of first appearance.
fn people<'a, 'b>(items: &[&'b Item<'a>]) -> Vec<Vec<&'b Item<'a>>> {
    let mut people: Vec<Vec<&Item<'_>>> = Vec::new();
    for &item in items {
        match people
            .iter_mut()
            .find(|p| p.first().is_some_and(|f| same_person(f, item)))
        {
            Some(person) => person.push(item),
            None => people.push(vec![item]),
        }
    }
    people
}

fn judge(
    ctx: &StoryContext<'_>,
    office: &Office,
    items: &[&Item<'_>],
    former: bool,
    out: &mut Vec<ClaimGroup>,
) {
    let refs: Vec<ClaimRef> = items.iter().map(|i| i.r).collect();
    let sources = ctx.sources_of_refs(&refs);
    if sources < 2 {
        return;
    }
    let people = people(items);
    let can_conflict = match TERMS.holders(&office.title) {
        Holders::OneInStory => true,
        Holders::OnePerNamedBody => office.org.is_some(),
        Holders::Many => false,
    };
    if people.len() >= 2 && (former || !can_conflict) {
        // Several people may hold it at once: each is a claim of its own.
        for person in &people {
            judge(ctx, office, person, former, out);
        }
        return;
    }
    let verdict = if people.len() >= 2 {
        Verdict::HolderConflict
    } else {
        Verdict::Agree
    };
    let office_label = match &office.org {
        Some(org) => format!("{} ({org})", office.title),
        None => office.title.clone(),
    };
    let described = people
        .iter()
        .map(|person| {
            let name = person
                .iter()
                .map(|i| i.name)
                .max_by_key(|n| n.len())
                .unwrap_or("");
            let refs: Vec<ClaimRef> = person.iter().map(|i| i.r).collect();
            format!("{name} ({})", ctx.outlets(&refs))
        })
        .collect::<Vec<_>>()
        .join(" vs ");
    let tense = if former { "former " } else { "" };
    let explanation = match verdict {
        Verdict::HolderConflict => format!("{office_label}: {described}"),
        _ => format!("{tense}{office_label}: {described}, named by {sources} sources"),
    };
    let mut evidence = Vec::new();
    let mut claims = Vec::new();
    for person in &people {
        for item in person {
            claims.push(item.r);
            evidence.push(item.holder.person_span);
            if item.holder.office_span != item.holder.person_span {
                evidence.push(item.holder.office_span);
            }
        }
    }
    out.push(ClaimGroup {
        topic: Topic::Office {
            office: office.clone(),
        },
        verdict,
        explanation,
        claims,
        evidence,
        diffs: Vec::new(),
        independent_sources: sources,
        story: Some(ctx.story.id),
        confidence: match verdict {
            Verdict::HolderConflict => confidence::holders(office.org.is_some()),
            _ => confidence::FINDING,
        },
    });
}
