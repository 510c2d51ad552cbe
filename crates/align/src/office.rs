//! Office holders: who the articles of a story say holds each office.
//!
//! Claims are bucketed by `(title, org)`. A claim that names no organisation ("the military
//! chief of staff") joins the bucket of the same title when the story names exactly one
//! organisation for that title, else the bucket of the story's dominant organisation (the one
//! most office claims name) when it has that title; otherwise it stays on its own.
//!
//! Within a bucket, current and unspecified holders are compared: different people named by at
//! least two independent sources give **HolderConflict**, one person named by several sources
//! gives **Agree**. Former holders never conflict with current ones (a predecessor is not a
//! rival claim); a former holder named by several sources is an **Agree** group of its own.
//!
//! People are told apart by surname (the last word of the linked canonical name), so that an
//! unlinked "Zamir" and "Eyal Zamir" never look like two chiefs of staff.
//!
//! Cost: linear in the number of office claims of the story.

use crate::AlignOptions;
use crate::context::{StoryContext, surname};
use corroborate_model::{
    ClaimGroup, ClaimKind, ClaimRef, Office, OfficeHolder, Tenure, Topic, Verdict,
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
        let person = surname(name);
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
        let org = org.clone().or_else(|| {
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

/// Splits holders by person, in order of first appearance.
fn people<'a, 'b>(items: &[&'b Item<'a>]) -> Vec<Vec<&'b Item<'a>>> {
    let mut people: Vec<Vec<&Item<'_>>> = Vec::new();
    for &item in items {
        match people
            .iter_mut()
            .find(|p| p.first().is_some_and(|f| f.person == item.person))
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
    });
}
