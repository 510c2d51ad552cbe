//! Linking "person holds office" assertions in an article to knowledge-base rows.
//!
//! Assertions come from two places:
//!
//! * office-holder claims of the claims stage ("Defense Minister Yoav Gallant"), whose person
//!   is an entity of the article;
//! * implied assertions about the holders the knowledge base knows by name: this module finds
//!   those names (a lookup of capitalised word runs in the knowledge base's name tables by
//!   [`name_key`](corroborate_nlp::name_key), the one step that needs the knowledge base) and
//!   asks the claims stage's [`implied`] readers what the text around them says — a title
//!   before the name ("U.S. President Donald Trump"), an apposition ("David Barnea, the chief
//!   of Israel's Mossad"), "the Biden administration" or "his administration has …" (the
//!   person is president now), and "the former president" (resolved to the nearest preceding
//!   holder of that office).
//!
//! Each assertion is linked to the rows of that person and office, which give the days on
//! which it was true ([`OfficeAssertion::truth`]); whether its sentence anchors itself in a
//! stated time is the claims stage's reading too ([`implied::historical`]).

use crate::date::{DayRange, merge_ranges};
use crate::{Holding, KnowledgeBase};
use chrono::NaiveDate;
use corroborate_claims::implied;
use corroborate_model::{AnalyzedArticle, ClaimKind, Office, Span, Tenure, TextRange};
use corroborate_nlp::push_name_key;

/// How an assertion was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// An office-holder claim of the claims stage.
    Claim,
    /// A title written before a known holder's name ("President Trump").
    TitleBeforeName,
    /// A title in apposition after the name ("Eyal Zamir, the military chief of staff").
    Apposition,
    /// "the Biden administration has …", "his administration has …".
    Administration,
    /// "the former president", resolved to the nearest preceding holder.
    FormerTitle,
}

/// One "person holds (or held) office" assertion, linked to the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeAssertion {
    /// The claim it comes from, for office-holder claims.
    pub claim: Option<usize>,
    /// The holder's name as the knowledge base writes it.
    pub holder: String,
    /// The office, as the knowledge base normalises it.
    pub office: Office,
    /// Whether the office is asserted as held now or formerly.
    pub tenure: Tenure,
    /// The words that assert the office ("Defense Minister", "his administration").
    pub cue: Span,
    /// Where the person is named, when named.
    pub person: Option<Span>,
    /// The sentence.
    pub sentence: Span,
    /// How it was found.
    pub basis: Basis,
    /// The sentence anchors itself in a stated time ("in 2023", "then-"), so the assertion is
    /// about that time, not the article's.
    pub historical: bool,
    /// The days on which the assertion was (possibly) true, sorted and merged.
    pub truth: Vec<DayRange>,
    /// The knowledge-base rows it rests on, as "file:line".
    pub rows: Vec<String>,
    /// The rows' sources.
    pub sources: Vec<String>,
}

/// A knowledge-base holder named in the text.
#[derive(Debug, Clone, PartialEq)]
struct PersonHit {
    range: TextRange,
    holders: Vec<String>,
}

/// Word tokens of a text as byte ranges: letters and digits with the apostrophes, hyphens
/// and full stops that occur inside names ("Sa’ar", "Kramp-Karrenbauer", "Charles Q. Brown").
fn word_tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let inside =
            c.is_alphanumeric() || (start.is_some() && matches!(c, '\'' | '’' | '-' | '.'));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// A word without trailing punctuation, and without a possessive ("Netanyahu’s").
fn name_forms(word: &str) -> [&str; 2] {
    let core = word.trim_end_matches(['.', '-', '\'', '’']);
    let no_possessive = core
        .strip_suffix("’s")
        .or_else(|| core.strip_suffix("'s"))
        .unwrap_or(core);
    [core, no_possessive]
}

/// Knowledge-base holders named in `text`: the longest run of words (starting with a capital)
/// that is a holder's name or alias. Words are looked up in the knowledge base's name and
/// name-prefix tables, so the cost does not grow with the size of the knowledge base.
fn person_hits(kb: &KnowledgeBase, text: &str) -> Vec<PersonHit> {
    let toks = word_tokens(text);
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    while i < toks.len() {
        let (s, e) = toks[i];
        let first = text.get(s..e).unwrap_or("");
        let [core, no_possessive] = name_forms(first);
        let starts_upper = first.chars().next().is_some_and(char::is_uppercase);
        if !starts_upper
            || !(kb.first_words.contains(core) || kb.first_words.contains(no_possessive))
        {
            i += 1;
            continue;
        }
        buf.clear();
        let mut best: Option<(usize, usize)> = None;
        let mut k = i;
        while let Some(&(ts, te)) = toks.get(k) {
            let word = text.get(ts..te).unwrap_or("");
            let base = buf.len();
            let [core, no_possessive] = name_forms(word);
            for form in [no_possessive, core] {
                buf.truncate(base);
                push_name_key(&mut buf, form);
                if kb.by_name.contains_key(&buf) {
                    best = Some((k, ts + form.len()));
                    break;
                }
            }
            buf.truncate(base);
            push_name_key(&mut buf, core);
            let next_joined = toks
                .get(k + 1)
                .is_some_and(|&(ns, _)| text.get(te..ns) == Some(" "));
            let initial = word.ends_with('.') && core.chars().count() <= 2;
            if !next_joined
                || (core.len() != word.len() && !initial)
                || !kb.name_prefixes.contains(&buf)
            {
                break;
            }
            k += 1;
        }
        match best {
            Some((last, end)) => {
                buf.clear();
                push_name_key(&mut buf, text.get(s..end).unwrap_or(""));
                out.push(PersonHit {
                    range: TextRange::new(s, end),
                    holders: kb.holders_named(&buf),
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The nlp stage's sentence around byte `pos`; between sentences, the empty range at `pos`
/// (so a window "from the sentence before" does not reach over a paragraph break); the whole
/// text when the article has no sentences.
pub(crate) fn sentence_at(article: &AnalyzedArticle, pos: usize) -> TextRange {
    let sentences = &article.sentences;
    if sentences.is_empty() {
        return TextRange::new(0, article.article.text.len());
    }
    let i = sentences.partition_point(|s| s.end <= pos);
    match sentences.get(i) {
        Some(s) if s.start <= pos => *s,
        _ => TextRange::new(pos, pos),
    }
}

/// When `tenure` of `rows` (one person, one office) was possibly true.
fn truth_of(rows: &[&Holding], tenure: Tenure) -> Vec<DayRange> {
    match tenure {
        Tenure::Current => merge_ranges(rows.iter().map(|h| h.possible_tenure()).collect()),
        Tenure::Former => {
            // Possibly former: after the earliest possible end of a tenure, except on days
            // the person was certainly in office.
            let first_end = rows
                .iter()
                .filter_map(|h| match h.to {
                    Some(t) => Some(t.earliest),
                    None => h.known_until.and_then(|d| d.succ_opt()),
                })
                .min();
            let Some(first_end) = first_end else {
                return Vec::new();
            };
            let certain: Vec<DayRange> = merge_ranges(
                rows.iter()
                    .filter_map(|h| {
                        let from = h.from.latest;
                        let to = match h.to {
                            Some(t) => t.earliest.pred_opt()?,
                            None => h.known_until.unwrap_or(NaiveDate::MAX),
                        };
                        (from <= to).then_some(DayRange { from, to })
                    })
                    .collect(),
            );
            subtract(DayRange::new(Some(first_end), None), &certain)
        }
        Tenure::Unspecified => Vec::new(),
    }
}

fn subtract(range: DayRange, holes: &[DayRange]) -> Vec<DayRange> {
    let mut out = Vec::new();
    let mut from = range.from;
    for h in holes {
        if h.to < from || h.from > range.to {
            continue;
        }
        if h.from > from
            && let Some(end) = h.from.pred_opt()
        {
            out.push(DayRange {
                from,
                to: end.min(range.to),
            });
        }
        match h.to.succ_opt() {
            Some(next) => from = from.max(next),
            None => return out,
        }
    }
    if from <= range.to {
        out.push(DayRange { from, to: range.to });
    }
    out
}

struct Builder<'a> {
    kb: &'a KnowledgeBase,
    article: &'a AnalyzedArticle,
    out: Vec<OfficeAssertion>,
}

impl Builder<'_> {
    fn span(&self, r: TextRange) -> Span {
        Span::new(self.article.article.id, r)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        names: &[&str],
        offices: &[Office],
        tenure: Tenure,
        cue: TextRange,
        person: Option<TextRange>,
        basis: Basis,
        claim: Option<usize>,
    ) -> bool {
        let Some((office, holder, rows)) = offices.iter().find_map(|o| {
            self.kb
                .person_office(names, o)
                .map(|(h, rows)| (o, h, rows))
        }) else {
            return false;
        };
        let text = &self.article.article.text;
        let sentence = sentence_at(self.article, cue.start);
        let sentence_text = text.get(sentence.start..sentence.end).unwrap_or("");
        let cue_text = text.get(cue.start..cue.end).unwrap_or("");
        let historical = implied::historical(sentence_text, cue_text);
        let office = rows
            .first()
            .map(|h| h.office.clone())
            .unwrap_or_else(|| office.clone());
        let assertion = OfficeAssertion {
            claim,
            holder,
            office,
            tenure,
            cue: self.span(cue),
            person: person.map(|p| self.span(p)),
            sentence: self.span(sentence),
            basis,
            historical,
            truth: truth_of(&rows, tenure),
            rows: rows
                .iter()
                .map(|h| format!("{}:{}", h.file, h.line))
                .collect(),
            sources: {
                let mut s: Vec<String> = rows.iter().map(|h| h.source.clone()).collect();
                s.dedup();
                s
            },
        };
        self.out.push(assertion);
        true
    }

    fn covered(&self, person: TextRange) -> bool {
        self.out.iter().any(|a| {
            a.person
                .is_some_and(|p| p.start < person.end && person.start < p.end)
        })
    }
}

/// Every office assertion in `article` that the knowledge base can link: the claims stage's
/// office-holder claims plus the implied ones found here, without duplicates.
pub fn office_assertions(kb: &KnowledgeBase, article: &AnalyzedArticle) -> Vec<OfficeAssertion> {
    let mut b = Builder {
        kb,
        article,
        out: Vec::new(),
    };
    let text = &article.article.text;
    let doc = article.article.id;
    for (i, claim) in article.claims.iter().enumerate() {
        let ClaimKind::OfficeHolder(oh) = &claim.kind else {
            continue;
        };
        if oh.tenure == Tenure::Unspecified || oh.person_span.doc != doc {
            continue;
        }
        let Some(entity) = article.entities.get(oh.person) else {
            continue;
        };
        let mut names: Vec<&str> = vec![entity.canonical.as_str()];
        names.extend(entity.aliases.iter().map(String::as_str));
        let person_text = article.quote(oh.person_span);
        if !person_text.is_empty() {
            names.push(person_text);
        }
        let office_text = article.quote(oh.office_span);
        let mut offices = vec![oh.office.clone()];
        offices.extend(
            implied::offices_of(office_text)
                .into_iter()
                .filter(|o| o != &oh.office),
        );
        b.push(
            &names,
            &offices,
            oh.tenure,
            oh.office_span.range(),
            Some(oh.person_span.range()),
            Basis::Claim,
            Some(i),
        );
    }

    let hits = person_hits(kb, text);
    for hit in &hits {
        if b.covered(hit.range) {
            continue;
        }
        let sentence = sentence_at(article, hit.range.start);
        let names: Vec<&str> = hit.holders.iter().map(String::as_str).collect();
        let mut done = false;
        // The title never reaches back over another person's name.
        let floor = hits
            .iter()
            .filter(|h| h.range.end <= hit.range.start && h.range.end > sentence.start)
            .map(|h| h.range.end)
            .max()
            .unwrap_or(sentence.start);
        if let Some(t) = implied::title_before(text, sentence, floor, hit.range.start) {
            done = b.push(
                &names,
                &t.offices,
                t.tenure,
                t.cue,
                Some(hit.range),
                Basis::TitleBeforeName,
                None,
            );
        }
        if !done && let Some(t) = implied::title_after(text, sentence, hit.range.end) {
            b.push(
                &names,
                &t.offices,
                t.tenure,
                t.cue,
                Some(hit.range),
                Basis::Apposition,
                None,
            );
        }
    }

    for adm in implied::administrations(text) {
        let start = adm.cue.start;
        let candidates: Vec<(&[String], Option<TextRange>)> = if let Some(r) = adm.name {
            match hits
                .iter()
                .find(|h| h.range.end == r.end && h.range.start <= r.start)
            {
                Some(h) => vec![(&h.holders, Some(r))],
                None => continue,
            }
        } else {
            // "his administration": the nearest preceding holder in this or the last sentence.
            let sentence = sentence_at(article, start);
            let window_start = sentence_at(article, sentence.start.saturating_sub(2)).start;
            hits.iter()
                .rev()
                .filter(|h| h.range.end <= start && h.range.start >= window_start)
                .map(|h| (h.holders.as_slice(), Some(h.range)))
                .collect()
        };
        for (holders, person) in candidates {
            let names: Vec<&str> = holders.iter().map(String::as_str).collect();
            if b.push(
                &names,
                &adm.offices,
                Tenure::Current,
                adm.cue,
                person,
                Basis::Administration,
                None,
            ) {
                break;
            }
        }
    }

    for former in implied::former_titles(text) {
        // A name right after the phrase was handled as a title before a name.
        if former
            .next
            .is_some_and(|next| hits.iter().any(|h| h.range.start == next))
        {
            continue;
        }
        let start = former.cue.start;
        let sentence = sentence_at(article, start);
        let window_start = sentence_at(article, sentence.start.saturating_sub(2)).start;
        let previous = sentence_at(article, window_start.saturating_sub(2)).start;
        for hit in hits
            .iter()
            .rev()
            .filter(|h| h.range.end <= start && h.range.start >= previous)
        {
            let names: Vec<&str> = hit.holders.iter().map(String::as_str).collect();
            if b.push(
                &names,
                &former.offices,
                Tenure::Former,
                former.cue,
                None,
                Basis::FormerTitle,
                None,
            ) {
                break;
            }
        }
    }
    b.out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use corroborate_model::{Article, SourceRef};

    /// An article through the nlp stage (sentences and entities), without claims.
    pub(crate) fn article(id: u32, text: &str) -> AnalyzedArticle {
        corroborate_nlp::analyze(Article {
            language: Some("en".into()),
            ..Article::from_text(id, SourceRef::file(format!("{id}.txt")), text)
        })
    }

    /// An article through the nlp and claims stages, as the pipeline hands it to the
    /// knowledge base.
    pub(crate) fn analysed(id: u32, text: &str) -> AnalyzedArticle {
        let mut a = article(id, text);
        a.claims = corroborate_claims::extract_claims(&a);
        a
    }

    fn found(text: &str) -> Vec<(String, String, Tenure, Basis, String)> {
        let kb = KnowledgeBase::starter();
        let a = article(0, text);
        office_assertions(&kb, &a)
            .into_iter()
            .map(|x| {
                (
                    x.holder,
                    x.office.title,
                    x.tenure,
                    x.basis,
                    a.quote(x.cue).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn titles_before_names_link_through_ranks_brackets_and_commas() {
        let halevi = found("IDF Chief of Staff, Lt. Gen. Herzi Halevi, inspected the depot.");
        assert_eq!(halevi.len(), 1, "{halevi:?}");
        let got = found(
            "Speaking first was IDF Chief of Staff Lt. Gen. Herzi Halevi. The Israel Defense Forces (IDF) Chief of Staff, Lt. Gen. Eyal Zamir, declined to comment. Reporters then asked U.S. President Donald Trump about it.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].1.as_str()),
            ("Herzi Halevi", "chief of staff")
        );
        assert_eq!(got[1].0, "Eyal Zamir");
        assert_eq!(got[1].4, "Israel Defense Forces (IDF) Chief of Staff");
        assert_eq!(
            (got[2].0.as_str(), got[2].1.as_str(), got[2].2),
            ("Donald Trump", "president", Tenure::Current)
        );
    }

    #[test]
    fn former_titles_appositions_and_army_chiefs_are_read() {
        let got = found(
            "Seated at the head table were Defense Minister Yoav Gallant, former IDF Chief Benny Gantz and two envoys. Later General Zamir met David Barnea, the chief of Israel’s Mossad intelligence agency, in Haifa.",
        );
        let summary: Vec<(&str, &str, Tenure)> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1.as_str(), g.2))
            .collect();
        assert_eq!(
            summary,
            [
                ("Yoav Gallant", "defense minister", Tenure::Current),
                ("Benny Gantz", "chief of staff", Tenure::Former),
                ("David Barnea", "intelligence chief", Tenure::Current),
            ]
        );
        assert_eq!(got[2].3, Basis::Apposition);
    }

    #[test]
    fn administrations_count_only_in_the_present_tense() {
        let got = found(
            "Although Biden has quietly urged patience, his administration has declined to set a deadline.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].3, got[0].4.as_str()),
            ("Joe Biden", Basis::Administration, "his administration")
        );
        assert!(found("Under the Biden administration has been a phrase.").is_empty());
        assert!(found("With quiet help from the Trump administration, he kept going.").is_empty());
        let named = found("The Biden administration is weighing sanctions.");
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].0, "Joe Biden");
        let opening = found("Biden has urged patience. His administration has set no deadline.");
        assert_eq!(opening.len(), 1, "{opening:?}");
        assert_eq!(opening[0].4, "His administration");
        let full = found("Critics say Joe Biden’s administration has failed.");
        assert_eq!(full.len(), 1, "{full:?}");
        assert_eq!(
            (full[0].0.as_str(), full[0].3),
            ("Joe Biden", Basis::Administration)
        );
    }

    #[test]
    fn the_former_president_resolves_to_the_nearest_holder() {
        let got = found(
            "Donald Trump has taken credit for the deal. Still, analysts say the former president’s friendship with Netanyahu counts.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].2, got[0].3),
            ("Donald Trump", Tenure::Former, Basis::FormerTitle)
        );
    }

    #[test]
    fn truth_windows_for_current_and_former_tenures() {
        let kb = KnowledgeBase::starter();
        let a = article(
            0,
            "Defense Minister Yoav Gallant spoke. Former President Joe Biden spoke. President Donald Trump spoke.",
        );
        let got = office_assertions(&kb, &a);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].truth.len(), 1);
        assert_eq!(got[0].truth[0].to_string(), "2022-12-29 – 2024-11-05");
        assert_eq!(got[1].truth[0].to_string(), "from 2025-01-20");
        let trump: Vec<String> = got[2].truth.iter().map(|r| r.to_string()).collect();
        assert_eq!(trump, ["2017-01-20 – 2021-01-20", "from 2025-01-20"]);
        assert!(got[0].sources[0].contains("Gallant"));
    }

    #[test]
    fn historical_sentences_are_marked() {
        let kb = KnowledgeBase::starter();
        let a = article(
            0,
            "In 2023, Defense Minister Yoav Gallant ordered a siege. Then-Defense Minister Benny Gantz agreed.",
        );
        let got = office_assertions(&kb, &a);
        assert!(got.iter().all(|x| x.historical), "{got:?}");
    }

    #[test]
    fn names_with_initials_possessives_and_curly_apostrophes_are_found() {
        let kb = KnowledgeBase::starter();
        let text = "Gen. Charles Q. Brown Jr. met Gideon Sa’ar. Netanyahu’s aides and Blinken.";
        let hits: Vec<(String, String)> = person_hits(&kb, text)
            .into_iter()
            .map(|h| {
                (
                    text[h.range.start..h.range.end].to_string(),
                    h.holders[0].clone(),
                )
            })
            .collect();
        let expected = [
            ("Charles Q. Brown Jr", "Charles Q. Brown Jr."),
            ("Gideon Sa’ar", "Gideon Sa'ar"),
            ("Netanyahu", "Benjamin Netanyahu"),
            ("Blinken", "Antony Blinken"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(hits, expected);
    }

    #[test]
    fn unknown_people_and_non_titles_are_ignored() {
        assert!(found("Dalia Rosen, president of the Israel Rowing Federation, spoke.").is_empty());
        assert!(found("Trump’s Role Under Scrutiny. Netanyahu’s plan stands.").is_empty());
        assert!(found("").is_empty());
    }
}
