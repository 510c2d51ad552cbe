//! Office-holder claims: a person mention with an office title next to it.
//!
//! Four shapes are read around each person mention:
//! - a title before the name, possibly with ranks and one comma between
//!   ("Defense Minister Yoav Gallant", "IDF Chief of Staff Lt. Gen. Eyal Zamir",
//!   "the current defense minister, Israel Katz", "former IDF Chief Benny Gantz");
//! - an appositive after it ("Lt. Gen. Eyal Zamir, the military chief of staff",
//!   "David Barnea, the chief of Israel’s Mossad spy agency", "Ami Ayalon, former director
//!   of Shin Bet");
//! - a relative clause with an office verb ("X, who heads the city’s fire department");
//! - a predecessor ("his predecessor, Yoav Gallant"), which takes the office named just
//!   before and is [`Tenure::Former`].
//!
//! Titles normalise through [`crate::office`]. Generic titles ("chief", "head", "director")
//! mean "intelligence chief" only for intelligence services, "chief of staff" for armed
//! forces, and otherwise stay as written with their organisation ("head" of "fire
//! department"). An organisation is normalised only when the whole phrase is a known form,
//! so "the Israel Democracy Institute" stays that institute, not "israel".

use crate::implied;
use crate::lexicon::CUES;
use crate::office::{self, locate_title};
use crate::text::{Doc, Kind, singular};
use corroborate_model::{Claim, ClaimKind, EntityKind, Mention, Office, OfficeHolder, Tenure};

/// Appends office-holder claims to `out`.
pub(crate) fn extract(doc: &Doc, out: &mut Vec<Claim>) {
    let first_new = out.len();
    for m in &doc.mentions {
        if doc.entity_kind(m.entity) != Some(EntityKind::Person) {
            continue;
        }
        let evidence = doc.evidence(m.span.start, m.span.end);
        let mut found: Vec<OfficeHolder> = Vec::new();
        if let Some(h) = before_name(doc, m) {
            found.push(h);
        }
        if let Some(h) = predecessor(doc, m, &out[first_new..]) {
            found.push(h);
        }
        if let Some(h) = appositive(doc, m).or_else(|| office_verb(doc, m))
            && !found.iter().any(|f| f.office == h.office)
        {
            found.push(h);
        }
        out.extend(found.into_iter().map(|mut h| {
            let sentence = doc.evidence(h.office_span.start, h.office_span.end);
            h.historical = implied::historical(
                doc.slice(sentence.start, sentence.end),
                doc.slice(h.office_span.start, h.office_span.end),
            );
            Claim {
                evidence,
                kind: ClaimKind::OfficeHolder(h),
            }
        }));
    }
}

/// Tenure from a marker word just before a title ("former", "then-"), if any: the word right
/// before it, or the one before a hyphen. Anything else in between ends the search, so "then
/// asked U.S. President …" and "… was late. U.S. Secretary …" say nothing of the tenure.
fn tenure_before(doc: &Doc, title_start: usize) -> Option<Tenure> {
    let from = title_start.saturating_sub(2);
    for j in (from..title_start).rev() {
        let w = doc.lower(j).trim_end_matches('-');
        if CUES.former_markers.contains(w) {
            return Some(Tenure::Former);
        } else if CUES.current_markers.contains(w) {
            return Some(Tenure::Current);
        } else if !matches!(doc.word(j), "-" | "–") {
            return None;
        }
    }
    None
}

fn is_rank(doc: &Doc, j: usize) -> bool {
    doc.kind(j) == Kind::Word && CUES.ranks.contains(doc.lower(j))
}

/// A title right before the name.
fn before_name(doc: &Doc, m: &Mention) -> Option<OfficeHolder> {
    let a = doc.token_at(m.span.start);
    let sentence_start = doc.token_at(doc.evidence(m.span.start, m.span.end).start);
    let mut e = a.checked_sub(1).filter(|&e| e >= sentence_start)?;
    let mut candidates = vec![e];
    while e > sentence_start && (is_rank(doc, e) || doc.word(e) == ".") {
        e -= 1;
    }
    candidates.push(e);
    if doc.word(e) == "," && e > sentence_start {
        candidates.push(e - 1);
    }
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|&e| doc.kind(e) == Kind::Word)
        .find_map(|e| title_ending_at(doc, e, sentence_start, m))
}

/// The longest run of title words ending at token `e` that names a known office.
fn title_ending_at(doc: &Doc, e: usize, floor: usize, m: &Mention) -> Option<OfficeHolder> {
    if !office::is_title_word(doc.lower(e)) {
        return None;
    }
    let mut start = e;
    while start > floor && e - start < 10 {
        let p = start - 1;
        let w = doc.lower(p);
        let ok = match doc.kind(p) {
            Kind::Word => {
                doc.is_capitalised(p)
                    || office::is_title_word(w)
                    || matches!(w, "of" | "the" | "for")
                    || office::normalize_org_exact(w).is_some()
            }
            Kind::Punct => {
                matches!(doc.word(p), "(" | ")")
                    || (doc.word(p) == "." && p > floor && doc.end(p - 1) == doc.start(p))
            }
            Kind::Number => false,
        };
        if !ok || CUES.former_markers.contains(w) || CUES.current_markers.contains(w) {
            break;
        }
        start = p;
    }
    // The longest phrase first; once no title occurs in a phrase, none occurs in its tails.
    for s in start..=e {
        if doc.kind(s) != Kind::Word || matches!(doc.lower(s), "of" | "the" | "for") {
            continue;
        }
        let span = doc.token_span(s, e + 1);
        let phrase = doc.slice(span.start, span.end);
        let found = locate_title(phrase)?;
        if !phrase_ends_with_form(phrase, found.form) {
            continue;
        }
        let office = resolve(found.canonical, found.form, &found.before, "")?;
        return Some(OfficeHolder {
            person: m.entity,
            person_span: m.span,
            office: qualified(doc, s.saturating_sub(2).max(floor), e + 1, office),
            office_span: span,
            tenure: title_tenure(doc, s, phrase),
            historical: false,
        });
    }
    None
}

/// The office with the first qualifier found in tokens `from..to` put before its title
/// ("deputy director", "acting mayor"), so that a deputy, a nominee or an acting
/// holder is never taken for the principal. Words of the title itself ("vice" in "vice
/// president") do not count; hyphenated words count by their parts ("President-elect").
fn qualified(doc: &Doc, from: usize, to: usize, mut office: Office) -> Office {
    let to = to.min(doc.tokens.len());
    let title_words: Vec<&str> = office.title.split([' ', '-']).collect();
    let qualifier = (from..to)
        .filter(|&j| doc.kind(j) == Kind::Word)
        .flat_map(|j| doc.lower(j).split('-'))
        .find(|part| CUES.office_qualifiers.contains(*part) && !title_words.contains(part));
    if let Some(q) = qualifier {
        office.title = format!("{q} {}", office.title);
    }
    office
}

fn phrase_ends_with_form(phrase: &str, form: &str) -> bool {
    let folded = phrase.to_lowercase().replace('’', "'");
    folded.trim_end().ends_with(form)
}

fn title_tenure(doc: &Doc, title_start: usize, phrase: &str) -> Tenure {
    let lower = phrase.to_lowercase();
    if lower.starts_with("ex-") || lower.starts_with("ex ") {
        return Tenure::Former;
    }
    tenure_before(doc, title_start).unwrap_or(Tenure::Current)
}

/// "X, the military chief of staff" / "X, president of the Israel Democracy Institute".
fn appositive(doc: &Doc, m: &Mention) -> Option<OfficeHolder> {
    let after = doc.token_at(m.span.end);
    if after >= doc.tokens.len() || doc.word(after) != "," {
        return None;
    }
    let mut j = after + 1;
    let mut tenure = None;
    let limit = (j + 14).min(doc.tokens.len());
    while j < limit {
        let w = doc.lower(j);
        if CUES.former_markers.contains(w.trim_end_matches('-')) {
            tenure = Some(Tenure::Former);
        } else if CUES.current_markers.contains(w) {
            tenure = Some(Tenure::Current);
        } else if !(matches!(
            w,
            "the" | "a" | "an" | "his" | "her" | "their" | "its" | "mr" | "ms" | "mrs" | "dr" | "."
        ) || w.ends_with("'s")
            || w.ends_with("’s"))
        {
            break;
        }
        j += 1;
    }
    let title_start = j;
    let mut end = j;
    while end < limit {
        let Some(&t) = doc.tokens.get(end) else {
            break;
        };
        let w = doc.lower(end);
        let dot_in_abbreviation = w == "."
            && end > title_start
            && doc.end(end - 1) == t.start
            && doc.word(end - 1).len() <= 3;
        if (t.kind == Kind::Punct && !dot_in_abbreviation)
            || matches!(w, "who" | "which" | "and" | "since" | "until" | "when")
        {
            break;
        }
        end += 1;
    }
    if end == title_start {
        return None;
    }
    let span = doc.token_span(title_start, end);
    let phrase = doc.text.get(span.start..span.end)?;
    let found = locate_title(phrase)?;
    if !found.before.is_empty()
        && office::normalize_org_exact(&found.before).is_none()
        && !found.before.split(' ').all(office::is_title_word)
    {
        return None;
    }
    let org_after = match ["of ", "at ", "for "]
        .iter()
        .find_map(|p| found.after.strip_prefix(p))
    {
        Some(org) => org,
        None if found.after.is_empty() => "",
        None => return None,
    };
    let office = resolve(found.canonical, found.form, &found.before, org_after)?;
    Some(OfficeHolder {
        person: m.entity,
        person_span: m.span,
        office: qualified(doc, after + 1, end, office),
        office_span: span,
        tenure: tenure.unwrap_or(Tenure::Current),
        historical: false,
    })
}

/// "X, who heads the city’s fire department".
fn office_verb(doc: &Doc, m: &Mention) -> Option<OfficeHolder> {
    let a = doc.token_at(m.span.end);
    if a + 3 >= doc.tokens.len() || doc.word(a) != "," || doc.lower(a + 1) != "who" {
        return None;
    }
    let verb = doc.lower(a + 2);
    let title = CUES.office_verbs.get(verb)?;
    let mut end = a + 3;
    while end < doc.tokens.len()
        && end - a < 12
        && doc.kind(end) == Kind::Word
        && !matches!(doc.lower(end), "and" | "since" | "until" | "who" | "which")
    {
        end += 1;
    }
    if end == a + 3 {
        return None;
    }
    let org_span = doc.token_span(a + 3, end);
    let org_text = doc
        .text
        .get(org_span.start..org_span.end)?
        .to_lowercase()
        .replace('’', "'");
    let office = resolve_generic(title, &org_text);
    let tenure = if CUES.office_verbs_past.contains_key(verb) {
        Tenure::Former
    } else {
        Tenure::Current
    };
    Some(OfficeHolder {
        person: m.entity,
        person_span: m.span,
        office,
        office_span: doc.span(doc.start(a + 2), org_span.end),
        tenure,
        historical: false,
    })
}

/// "his predecessor, Yoav Gallant": the office of the holder named just before.
fn predecessor(doc: &Doc, m: &Mention, earlier: &[Claim]) -> Option<OfficeHolder> {
    let a = doc.token_at(m.span.start);
    let mut p = a.checked_sub(1)?;
    if doc.word(p) == "," {
        p = p.checked_sub(1)?;
    }
    if !CUES.predecessor_words.contains(doc.lower(p)) {
        return None;
    }
    let window = doc
        .evidence(m.span.start, m.span.end)
        .start
        .saturating_sub(400);
    let (office, office_span) = earlier.iter().rev().find_map(|c| match &c.kind {
        ClaimKind::OfficeHolder(h)
            if h.office_span.start >= window && h.office_span.end <= m.span.start =>
        {
            Some((h.office.clone(), h.office_span))
        }
        _ => None,
    })?;
    Some(OfficeHolder {
        person: m.entity,
        person_span: m.span,
        office,
        office_span,
        tenure: Tenure::Former,
        historical: false,
    })
}

/// The office for a located title, its organisation read from before or after the title.
fn resolve(canonical: &str, form: &str, before: &str, after: &str) -> Option<Office> {
    let org_text = if after.is_empty() { before } else { after };
    if CUES.office.generic_titles.contains(form) {
        return Some(resolve_generic(form, org_text));
    }
    let org = org_name(org_text).and_then(|o| {
        let known = office::normalize_org_exact(&o);
        if !after.is_empty() {
            known.or(Some(o))
        } else if o.split(' ').count() <= 4 {
            known.or_else(|| office::normalize_org(&o))
        } else {
            known
        }
    });
    Some(Office {
        title: canonical.to_string(),
        org,
    })
}

/// A generic title ("head", "chief", "director") with its organisation as written.
fn resolve_generic(title: &str, org_text: &str) -> Office {
    let org = org_name(org_text);
    let known = org.as_deref().and_then(office::normalize_org_exact);
    if let Some(k) = &known
        && CUES.office.intelligence_orgs.contains(k.as_str())
    {
        return Office {
            title: "intelligence chief".into(),
            org: known,
        };
    }
    let military = CUES.office.military_words.iter().any(|w| {
        org_text
            .split(|c: char| !c.is_alphanumeric())
            .collect::<Vec<_>>()
            .windows(w.split(' ').count())
            .any(|win| win.join(" ") == *w)
    });
    if military && matches!(title, "chief" | "head") {
        return Office {
            title: "chief of staff".into(),
            org: known.or_else(|| org.as_deref().and_then(office::normalize_org)),
        };
    }
    Office {
        title: singular(title),
        org: known.or(org),
    }
}

/// The organisation named by a phrase: lower-cased, without determiners, a possessive
/// owner ("Israel's", "the city's") or a generic tail ("spy agency"); `None` when empty.
fn org_name(text: &str) -> Option<String> {
    let mut s = text.trim().to_lowercase().replace('’', "'");
    loop {
        let length = s.len();
        for det in ["the ", "a ", "an ", "its ", "his ", "her ", "their "] {
            if let Some(rest) = s.strip_prefix(det) {
                s = rest.to_string();
            }
        }
        if let Some((owner, rest)) = s.split_once("'s ")
            && (!owner.contains(' ')
                || owner.ends_with("country")
                || owner.ends_with("city")
                || office::normalize_org_exact(owner).is_some())
        {
            s = rest.to_string();
        }
        if s.len() == length {
            break;
        }
    }
    for suffix in &CUES.office.org_suffixes {
        if let Some(rest) = s.strip_suffix(suffix.as_str()) {
            let rest = rest.trim();
            if !rest.is_empty() && office::normalize_org_exact(rest).is_some() {
                s = rest.to_string();
                break;
            }
        }
    }
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use crate::extract_claims;
    use crate::testutil::{article, of_kind};
    use corroborate_model::{ClaimKind, EntityKind::Person, Office, OfficeHolder, Tenure};

    fn holders(text: &str, people: &[&str]) -> Vec<(String, Office, Tenure)> {
        let names: Vec<_> = people.iter().map(|p| (*p, Person)).collect();
        let doc = article(text, &names);
        let found: Vec<OfficeHolder> = of_kind(&extract_claims(&doc), |k| match k {
            ClaimKind::OfficeHolder(h) => Some(h),
            _ => None,
        });
        found
            .into_iter()
            .map(|h| (doc.entities[h.person].canonical.clone(), h.office, h.tenure))
            .collect()
    }

    fn office(title: &str, org: Option<&str>) -> Office {
        Office {
            title: title.into(),
            org: org.map(Into::into),
        }
    }

    #[test]
    fn a_deputy_or_acting_holder_is_not_the_principal() {
        let found = holders(
            "Deputy Director Ada Quill met acting Mayor Cy Vann.",
            &["Ada Quill", "Cy Vann"],
        );
        let titles: Vec<&str> = found.iter().map(|(_, o, _)| o.title.as_str()).collect();
        assert_eq!(titles, ["deputy director", "acting mayor"]);
        let found = holders(
            "Ada Quill, the deputy chief of staff, spoke.",
            &["Ada Quill"],
        );
        assert!(
            found.iter().all(|(_, o, _)| o.title != "chief of staff"),
            "{found:?}"
        );
    }

    #[test]
    fn titles_before_names_with_ranks_and_organisations() {
        let found = holders(
            "Opposing them are IDF Chief of Staff Lt. Gen. Eyal Zamir, Defense Minister Yoav Gallant and U.S. President Donald Trump.",
            &["Eyal Zamir", "Yoav Gallant", "Donald Trump"],
        );
        assert_eq!(
            found,
            [
                (
                    "Eyal Zamir".into(),
                    office("chief of staff", Some("israel")),
                    Tenure::Current
                ),
                (
                    "Yoav Gallant".into(),
                    office("defense minister", None),
                    Tenure::Current
                ),
                (
                    "Donald Trump".into(),
                    office("president", Some("united states")),
                    Tenure::Current
                ),
            ]
        );
    }

    #[test]
    fn former_generic_chief_of_an_army_is_chief_of_staff() {
        let found = holders(
            "Members include former IDF Chief Benny Gantz.",
            &["Benny Gantz"],
        );
        assert_eq!(
            found,
            [(
                "Benny Gantz".into(),
                office("chief of staff", Some("israel")),
                Tenure::Former
            )]
        );
    }

    #[test]
    fn appositives_after_names() {
        let found = holders(
            "Lt. Gen. Eyal Zamir, the military chief of staff, objected. So did David Barnea, the chief of Israel’s Mossad spy agency. Tzachi Hanegbi, Mr. Netanyahu’s national security adviser, agreed.",
            &["Eyal Zamir", "David Barnea", "Tzachi Hanegbi"],
        );
        assert_eq!(
            found,
            [
                (
                    "Eyal Zamir".into(),
                    office("chief of staff", None),
                    Tenure::Current
                ),
                (
                    "David Barnea".into(),
                    office("intelligence chief", Some("mossad")),
                    Tenure::Current
                ),
                (
                    "Tzachi Hanegbi".into(),
                    office("national security adviser", None),
                    Tenure::Current
                ),
            ]
        );
    }

    #[test]
    fn former_director_and_institute_president_keep_their_organisations() {
        let found = holders(
            "On the panel sat Ami Ayalon, a former director of Shin Bet, the country’s internal service. “Timing counts,” noted Yohanan Plesner, the president of the Israel Democracy Institute.",
            &["Ami Ayalon", "Yohanan Plesner"],
        );
        assert_eq!(
            found,
            [
                (
                    "Ami Ayalon".into(),
                    office("intelligence chief", Some("shin bet")),
                    Tenure::Former
                ),
                (
                    "Yohanan Plesner".into(),
                    office("president", Some("israel democracy institute")),
                    Tenure::Current
                ),
            ]
        );
    }

    #[test]
    fn current_holder_and_predecessor_share_the_office() {
        let found = holders(
            "The current defense minister, Israel Katz, took over once his predecessor, Yoav Gallant, was removed.",
            &["Israel Katz", "Yoav Gallant"],
        );
        assert_eq!(
            found,
            [
                (
                    "Israel Katz".into(),
                    office("defense minister", None),
                    Tenure::Current
                ),
                (
                    "Yoav Gallant".into(),
                    office("defense minister", None),
                    Tenure::Former
                ),
            ]
        );
    }

    #[test]
    fn office_verbs_keep_titles_outside_the_vocabulary() {
        let found = holders(
            "Dana Cohen, who heads the city’s fire department, spoke.",
            &["Dana Cohen"],
        );
        assert_eq!(
            found,
            [(
                "Dana Cohen".into(),
                office("head", Some("fire department")),
                Tenure::Current
            )]
        );
    }

    #[test]
    fn names_without_titles_hold_nothing() {
        assert!(
            holders(
                "Yesterday Dana Cohen and Eli Levi met a plumber, Ron Tal.",
                &["Dana Cohen", "Eli Levi", "Ron Tal"]
            )
            .is_empty()
        );
    }
}
