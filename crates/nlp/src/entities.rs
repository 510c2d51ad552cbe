//! Rule-based named-entity recognition and in-article alias resolution.
//!
//! The recogniser works in five passes over one article:
//!
//! 1. **Tokens and gazetteer hits.** Word tokens ([`crate::tokens`]) and one Aho-Corasick
//!    pass for places, organisations, titles and demonyms ([`crate::lexicon`]).
//! 2. **Evidence for capitalisation.** A capital letter proves little at the start of a
//!    sentence or in a title-case headline ("weak" positions). A weak word is a name only if
//!    a list knows it, or the article also capitalises it mid-sentence and never writes it in
//!    lower case ("Netanyahu" yes, "Security officials" no).
//! 3. **Acronym definitions.** "Commanders for Israel’s Security (CIS)": the words whose
//!    initials spell the parenthesised acronym form one organisation, aliased by the acronym.
//! 4. **Runs.** Maximal runs of accepted capitalised words (joined by spaces, a hyphen, a
//!    quoted nickname or a name particle) are cut into mentions: titles are stripped from
//!    persons ("Defense Minister Yoav Gallant" → "Yoav Gallant"), a given name starts a
//!    person ("Israel Katz"), an organisation head word ends an organisation, gazetteer hits
//!    stand alone ("Mossad").
//! 5. **Resolution.** Gazetteer hits and organisations are entities. A name of unknown kind
//!    is a person only with evidence somewhere in the article (title, given name, by-line,
//!    speech verb, notable surname); without it, it is dropped. A surname, nickname or
//!    acronym joins the unique entity it abbreviates, wherever in the article that entity is
//!    named; a surname shared by two full names stays an entity of its own.
//!
//! "the Trump administration" and "the Netanyahu government" are organisation mentions of
//! their own, not mentions of the person: quotes and offices must never be attached to the
//! person through the body they lead.

use crate::lexicon::{AbbreviationClass, LEXICON, LexKind};
use crate::names::{is_acronym, name_key, proper_suffixes, word_count};
use crate::tokens::{Gap, Word, gap, name_words};
use corroborate_model::{DocId, Entity, EntityKind, Mention, Span, TextRange, Token};
use rustc_hash::{FxHashMap, FxHashSet};

/// The most words a name can have; longer capitalised runs are headlines or lists.
const MAX_NAME_UNITS: usize = 6;

/// What a unit of a capitalised run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// A gazetteer entry.
    Lex(u32),
    /// An organisation named just before the acronym it defines (token of the acronym).
    Defined { acronym: usize, lex: Option<u32> },
    /// A capitalised word.
    Word,
    /// A nickname in quotes inside a name ("Benjamin “Bibi” Netanyahu").
    Nickname,
}

/// A unit: tokens `first..=last` of one kind.
#[derive(Debug, Clone, Copy)]
struct Unit {
    first: usize,
    last: usize,
    kind: UnitKind,
}

/// What a raw mention was recognised as before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Candidate {
    Lex(u32),
    Person,
    Organization,
    Place,
    /// A capitalised name with no evidence of its kind yet.
    Unknown,
}

/// A mention before resolution.
#[derive(Debug, Clone)]
struct RawMention {
    span: TextRange,
    name: String,
    candidate: Candidate,
    /// The mention with its title ("Lt. Gen. Eyal Zamir"), when a title preceded it.
    titled: Option<String>,
    nickname: Option<String>,
    acronym: Option<String>,
    /// A speech verb or "who" next to the mention shows it names a person.
    cue: bool,
}

/// Per-article recognition state.
struct Recognizer<'t> {
    text: &'t str,
    tokens: Vec<Word>,
    /// Unit starting at each token, if any multi-token or gazetteer unit starts there.
    units: Vec<Option<(UnitKind, usize)>>,
    accepted: Vec<bool>,
    /// Tokens of a by-line ("By Kelechi Amadi"): names there are people.
    byline: Vec<bool>,
    /// Every word the article writes in lower case ("security", "strip").
    lower_words: FxHashSet<&'t str>,
    raw: Vec<RawMention>,
}

/// Lower-case words that may sit inside an organisation name after its head word.
fn is_org_connector(word: &str) -> bool {
    matches!(word, "of" | "for" | "on")
}

/// Lower-case particles inside personal names ("Ursula von der Leyen").
fn is_name_particle(word: &str) -> bool {
    matches!(
        word,
        "bin"
            | "ibn"
            | "al"
            | "el"
            | "de"
            | "da"
            | "van"
            | "von"
            | "der"
            | "la"
            | "le"
            | "du"
            | "dos"
    )
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Collapses whitespace runs to single spaces.
fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'t> Recognizer<'t> {
    fn word(&self, i: usize) -> &'t str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn gap(&self, a: usize, b: usize) -> Gap {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(&x), Some(&y)) => gap(self.text, x, y),
            _ => Gap::Other,
        }
    }

    fn between(&self, a: usize, b: usize) -> &'t str {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => self.text.get(x.end..y.start).unwrap_or(""),
            _ => "",
        }
    }

    fn range(&self, first: usize, last: usize) -> TextRange {
        match (self.tokens.get(first), self.tokens.get(last)) {
            (Some(a), Some(b)) => TextRange::new(a.start, b.end),
            _ => TextRange::new(0, 0),
        }
    }

    fn slice(&self, r: TextRange) -> &'t str {
        r.slice(self.text).unwrap_or("")
    }

    fn unit(&self, i: usize) -> Unit {
        match self.units.get(i).copied().flatten() {
            Some((kind, last)) => Unit {
                first: i,
                last,
                kind,
            },
            None => Unit {
                first: i,
                last: i,
                kind: UnitKind::Word,
            },
        }
    }

    fn lex_kind(unit: Unit) -> Option<LexKind> {
        match unit.kind {
            UnitKind::Lex(id) => LEXICON.entry(id).map(|e| e.kind),
            _ => None,
        }
    }

    fn is_title(unit: Unit) -> bool {
        Self::lex_kind(unit) == Some(LexKind::Title)
    }

    fn is_wordlike(unit: Unit) -> bool {
        matches!(unit.kind, UnitKind::Word | UnitKind::Nickname)
    }

    /// A gazetteer place that is also a given name and starts a name ("Israel Katz").
    fn lex_given_name(&self, unit: Unit) -> bool {
        matches!(unit.kind, UnitKind::Lex(_))
            && unit.first == unit.last
            && LEXICON.is_given_name(self.word(unit.first))
    }

    fn new(text: &'t str, layer: &[Token], sentences: &[TextRange]) -> Self {
        let tokens = name_words(text, layer);
        let n = tokens.len();
        let mut units: Vec<Option<(UnitKind, usize)>> = vec![None; n];
        let mut cursor = 0;
        for (start, end, id) in LEXICON.find_all(text) {
            cursor += tokens[cursor..].partition_point(|t| t.start < start);
            let Some(first) = tokens
                .get(cursor)
                .filter(|t| t.start == start)
                .map(|_| cursor)
            else {
                continue;
            };
            let last = first + tokens[first..].partition_point(|t| t.end < end);
            if tokens.get(last).is_some_and(|t| t.end == end) {
                units[first] = Some((UnitKind::Lex(id), last));
            }
        }
        let mut recognizer = Self {
            text,
            tokens,
            units,
            accepted: vec![false; n],
            byline: vec![false; n],
            lower_words: FxHashSet::default(),
            raw: Vec::new(),
        };
        recognizer.define_acronyms();
        recognizer.accept_capitalised(sentences);
        recognizer
    }

    /// Marks "Name Words (ACR)" as one organisation unit when the initials spell ACR.
    fn define_acronyms(&mut self) {
        for t in 1..self.tokens.len() {
            let acronym = self.word(t);
            if !is_acronym(acronym) || acronym.len() > 8 {
                continue;
            }
            let before = self.between(t - 1, t);
            let after_ok = self
                .tokens
                .get(t)
                .and_then(|tok| self.text.get(tok.end..))
                .is_some_and(|rest| rest.starts_with(')'));
            if before.trim() != "(" || !after_ok {
                continue;
            }
            let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphabetic()).collect();
            let mut need = letters.len();
            let mut k = t - 1;
            let mut first = None;
            while need > 0 && t - k <= 2 * letters.len() + 2 {
                let word = self.word(k);
                if starts_upper(word) {
                    if word.chars().next() != letters.get(need - 1).copied() {
                        break;
                    }
                    need -= 1;
                    if need == 0 {
                        first = Some(k);
                        break;
                    }
                } else if k == t - 1 || !(is_org_connector(word) || word == "and" || word == "the")
                {
                    break;
                }
                if k == 0 {
                    break;
                }
                let joined = matches!(self.gap(k - 1, k), Gap::Space | Gap::Hyphen)
                    || matches!(self.between(k - 1, k).trim_end(), "’s" | "'s" | "’" | "'");
                if !joined {
                    break;
                }
                k -= 1;
            }
            let Some(first) = first else {
                continue;
            };
            let last = t - 1;
            if first == last {
                continue;
            }
            let lex = match self.units[first] {
                Some((UnitKind::Lex(id), l)) if l == last => Some(id),
                _ => None,
            };
            self.units[first] = Some((UnitKind::Defined { acronym: t, lex }, last));
        }
    }

    /// Decides which tokens may start or continue a name.
    fn accept_capitalised(&mut self, sentences: &[TextRange]) {
        let n = self.tokens.len();
        let mut weak = vec![false; n];
        let mut cursor = 0;
        for s in sentences {
            cursor += self.tokens[cursor..].partition_point(|t| t.start < s.start);
            // The first word of the sentence ("550 Ex-Mossad chiefs": "Ex").
            let first_word = (cursor..n)
                .take_while(|&i| self.tokens[i].end <= s.end)
                .find(|&i| self.word(i).chars().next().is_some_and(char::is_alphabetic));
            if let Some(i) = first_word {
                weak[i] = true;
            }
        }
        // Words that open a quotation or follow a colon start a sentence of their own (but
        // not a nickname inside a name: "Benjamin “Bibi” Netanyahu").
        for (i, is_weak) in weak.iter_mut().enumerate().skip(1) {
            let opens = self.between(i - 1, i).trim_end().ends_with(['“', '"', ':']);
            if opens && !starts_upper(self.word(i - 1)) {
                *is_weak = true;
            }
        }
        self.mark_headlines(&mut weak);

        let capitalised: FxHashSet<&'t str> = (0..n)
            .map(|i| self.word(i))
            .filter(|w| starts_upper(w))
            .collect();
        self.split_glued_names(&capitalised);
        let mut strong_caps: FxHashSet<&str> =
            FxHashSet::with_capacity_and_hasher(n / 4, Default::default());
        let mut lower_words: FxHashSet<&'t str> =
            FxHashSet::with_capacity_and_hasher(n, Default::default());
        for (i, &is_weak) in weak.iter().enumerate() {
            let word = self.word(i);
            if starts_upper(word) {
                if !is_weak {
                    strong_caps.insert(word);
                }
            } else if word.chars().next().is_some_and(char::is_lowercase) {
                lower_words.insert(word);
            }
        }

        let accepted = (0..n).map(|i| {
            let word = self.word(i);
            match self.units[i] {
                Some((UnitKind::Defined { .. }, _)) => true,
                // A one-word gazetteer hit at a sentence start that the article also writes
                // in lower case is the common word ("Nice work", "Turkey" and "turkey").
                Some((UnitKind::Lex(_), last)) => {
                    starts_upper(word)
                        && !(weak[i] && last == i && lower_words.contains(word.to_lowercase().as_str()))
                }
                _ if !starts_upper(word) || LEXICON.is_stopword(word) => false,
                // "Ill.", "Nov.": abbreviations other than titles name nothing by themselves.
                _ if word.strip_suffix('.').and_then(|w| LEXICON.abbreviation(w)).is_some_and(|c| c != AbbreviationClass::Title) => false,
                _ if !weak[i] => true,
                _ if LEXICON.is_given_name(word) => true,
                // A portfolio word before a title ("Defense Minister").
                _ if self.gap(i, i + 1) == Gap::Space
                    && matches!(self.units.get(i + 1).copied().flatten(), Some((UnitKind::Lex(id), _)) if LEXICON.entry(id).is_some_and(|e| e.kind == LexKind::Title)) =>
                {
                    true
                }
                _ => {
                    let lower = word.to_lowercase();
                    let confirmed =
                        strong_caps.contains(word) && !lower_words.contains(lower.as_str());
                    let starts_name = !word.ends_with("ly")
                        && !lower_words.contains(lower.as_str())
                        && self.gap(i, i + 1) == Gap::Space
                        && self.units.get(i + 1).is_some_and(Option::is_none)
                        && i + 1 < n
                        && !weak[i + 1]
                        && starts_upper(self.word(i + 1))
                        && !LEXICON.is_stopword(self.word(i + 1));
                    let speaks = !lower_words.contains(lower.as_str())
                        && self.gap(i, i + 1) == Gap::Space
                        && LEXICON.is_cue_verb(self.word(i + 1));
                    let notable = !lower_words.contains(lower.as_str())
                        && LEXICON.is_notable_person(&name_key(word));
                    confirmed || starts_name || speaks || notable
                }
            }
        });
        self.accepted = accepted.collect();
        self.lower_words = lower_words;
    }

    /// Marks every token of a title-case headline line as weak; keeps by-line names strong.
    fn mark_headlines(&mut self, weak: &mut [bool]) {
        let mut line_start = 0;
        let mut cursor = 0;
        for line in self.text.split_inclusive('\n') {
            let line_end = line_start + line.len();
            let first = cursor;
            while self.tokens.get(cursor).is_some_and(|t| t.start < line_end) {
                cursor += 1;
            }
            let tokens = first..cursor;
            line_start = line_end;
            if tokens.is_empty() {
                continue;
            }
            let trimmed = line.trim_end().trim_end_matches(['”', '"', '’', '\'', ')']);
            let question_headline = trimmed.ends_with('?') && tokens.len() <= 8;
            if trimmed.ends_with(['.', '!', '?', '…']) && !question_headline {
                continue;
            }
            if self.word(first) == "By" && tokens.len() <= 6 {
                // The author names, up to a comma ("By Anna Lindqvist, Northern Wire").
                for i in tokens {
                    if i > first && self.between(i - 1, i).contains(',') {
                        break;
                    }
                    self.byline[i] = true;
                }
                continue;
            }
            let (mut capitalised, mut long) = (0usize, 0usize);
            for i in tokens.clone() {
                let word = self.word(i);
                if word.chars().count() >= 4 && word.chars().next().is_some_and(char::is_alphabetic)
                {
                    long += 1;
                    capitalised += usize::from(starts_upper(word));
                }
            }
            if capitalised >= 2 && capitalised * 3 >= long * 2 {
                for w in &mut weak[tokens] {
                    *w = true;
                }
            }
        }
    }

    /// Best effort for typos that glue a name to the next word ("Netanyahuintensifies"): a
    /// capitalised token that starts with a name the article uses elsewhere and continues in
    /// lower case is cut after the name.
    fn split_glued_names(&mut self, capitalised: &FxHashSet<&str>) {
        for i in 0..self.tokens.len() {
            let Word { start, .. } = self.tokens[i];
            let word = self.word(i);
            if word.len() < 9 || !starts_upper(word) || self.units[i].is_some() {
                continue;
            }
            let cut = word
                .char_indices()
                .map(|(k, _)| k)
                .filter(|&k| k >= 4 && word.len() - k >= 3)
                .rev()
                .find(|&k| {
                    capitalised.contains(&word[..k]) && word[k..].chars().all(char::is_lowercase)
                });
            if let Some(k) = cut {
                self.tokens[i] = Word {
                    start,
                    end: start + k,
                };
            }
        }
    }

    /// Finds every capitalised run and cuts it into raw mentions.
    fn collect_runs(&mut self) {
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            if !self.accepted[i] {
                i += 1;
                continue;
            }
            let mut run = Vec::new();
            let mut j = i;
            loop {
                let unit = self.unit(j);
                run.push(unit);
                let next = unit.last + 1;
                if next >= n {
                    break;
                }
                let g = self.gap(unit.last, next);
                let next_unit = self.unit(next);
                if g == Gap::Space && self.accepted[next] {
                    j = next;
                    continue;
                }
                if g == Gap::Hyphen
                    && self.accepted[next]
                    && unit.kind == UnitKind::Word
                    && next_unit.kind == UnitKind::Word
                {
                    j = next;
                    continue;
                }
                // A lower-case syllable after a hyphen ends an East Asian given name
                // ("Kim Jong-un", "Moon Jae-in", "Ban Ki-moon").
                let syllable = self.word(next);
                if g == Gap::Hyphen
                    && unit.kind == UnitKind::Word
                    && run.len() >= 2
                    && run[..run.len() - 1].iter().any(|u| {
                        u.kind == UnitKind::Word && LEXICON.is_given_name(self.word(u.first))
                    })
                    && (2..=4).contains(&syllable.len())
                    && syllable.chars().all(|c| c.is_ascii_lowercase())
                    && !matches!(
                        syllable,
                        "led"
                            | "run"
                            | "era"
                            | "like"
                            | "type"
                            | "born"
                            | "made"
                            | "held"
                            | "free"
                            | "wide"
                            | "long"
                    )
                {
                    if let Some(last) = run.last_mut() {
                        last.last = next;
                    }
                    break;
                }
                if unit.kind == UnitKind::Word && self.nickname_follows(unit.last) {
                    run.push(Unit {
                        first: next,
                        last: next,
                        kind: UnitKind::Nickname,
                    });
                    j = next + 1;
                    continue;
                }
                let connector = self.word(next);
                let head = self.word(unit.last);
                let connects = g == Gap::Space
                    && unit.kind == UnitKind::Word
                    && self.gap(next, next + 1) == Gap::Space
                    && self.accepted.get(next + 1).copied().unwrap_or(false)
                    && ((is_org_connector(connector) && LEXICON.is_org_keyword(head))
                        || is_name_particle(connector));
                if connects {
                    j = next + 1;
                    continue;
                }
                break;
            }
            let end = run.last().map_or(i, |u| u.last);
            self.cut_run(&run);
            i = end + 1;
        }
    }

    /// True when token `at` is followed by `“Nick” Name`.
    fn nickname_follows(&self, at: usize) -> bool {
        let (nick, after) = (at + 1, at + 2);
        let open = self.between(at, nick);
        let close = self.between(nick, after);
        after < self.tokens.len()
            && matches!(open.trim_start(), "“" | "\"")
            && open.len() > open.trim_start().len()
            && matches!(close.trim_end(), "”" | "\"")
            && close.len() > close.trim_end().len()
            && starts_upper(self.word(nick))
            && self.accepted[after]
            && self.unit(after).kind == UnitKind::Word
    }

    /// Cuts one run into mentions, stripping titles.
    fn cut_run(&mut self, run: &[Unit]) {
        let title_at = (0..run.len()).rev().find(|&t| {
            Self::is_title(run[t])
                && run
                    .get(t + 1)
                    .is_some_and(|u| Self::is_wordlike(*u) || self.lex_given_name(*u))
        });
        let Some(t) = title_at else {
            self.cut_name(run, None);
            return;
        };
        // "Major League Baseball", "General Motors Company": a title word heading an
        // organisation's name.
        let organisation = run[t + 1..]
            .iter()
            .any(|u| u.kind == UnitKind::Word && LEXICON.is_org_keyword(self.word(u.last)));
        if organisation {
            self.cut_name(run, None);
            return;
        }
        let mut block = t;
        while block > 0 && (Self::is_title(run[block - 1]) || run[block - 1].kind == UnitKind::Word)
        {
            block -= 1;
        }
        self.cut_name(&run[..block], None);
        let titled_from = self.tokens.get(run[block].first).map(|tok| tok.start);
        self.cut_name(&run[t + 1..], titled_from);
    }

    /// Cuts the name part of a run; `titled_from` is where a preceding title starts.
    /// Iterative, so a pathological run of thousands of capitalised words costs no stack.
    fn cut_name(&mut self, units: &[Unit], titled_from: Option<usize>) {
        let mut rest = units;
        let mut titled = titled_from;
        while !rest.is_empty() {
            let used = self.cut_prefix(rest, titled).clamp(1, rest.len());
            rest = &rest[used..];
            titled = None;
        }
    }

    /// Pushes the mentions at the start of `units`; returns how many units it used.
    fn cut_prefix(&mut self, units: &[Unit], titled_from: Option<usize>) -> usize {
        let (Some(&first), Some(&last)) = (units.first(), units.last()) else {
            return 1;
        };
        if let UnitKind::Defined { acronym, lex } = first.kind {
            let span = self.range(first.first, first.last);
            self.push(
                span,
                lex.map_or(Candidate::Organization, Candidate::Lex),
                None,
                None,
            );
            let acronym = self.word(acronym).to_string();
            if let Some(m) = self.raw.last_mut() {
                m.acronym = Some(acronym);
            }
            return 1;
        }
        // An organisation head word ends the name, or heads it before a connector
        // ("Institute for National Security Studies").
        let org_head = (last.kind == UnitKind::Word
            && LEXICON.is_org_keyword(self.word(last.last)))
            || units.windows(2).any(|pair| {
                pair[1].first > pair[0].last + 1 && LEXICON.is_org_keyword(self.word(pair[0].last))
            });
        if titled_from.is_none() && (2..=MAX_NAME_UNITS).contains(&units.len()) && org_head {
            let span = self.range(first.first, last.last);
            self.push(span, Candidate::Organization, None, None);
            return units.len();
        }
        // A place head word ends the name ("Mario M. Cuomo Bridge").
        if titled_from.is_none()
            && (2..=MAX_NAME_UNITS).contains(&units.len())
            && last.kind == UnitKind::Word
            && LEXICON.is_place_keyword(self.word(last.last))
        {
            let span = self.range(first.first, last.last);
            self.push(span, Candidate::Place, None, None);
            return units.len();
        }
        // Shouted words before a name ("CLOSE Sheila E.") are not part of it.
        if titled_from.is_none()
            && first.kind == UnitKind::Word
            && is_acronym(self.word(first.first))
            && units
                .get(1)
                .is_some_and(|u| u.kind == UnitKind::Word && !is_acronym(self.word(u.first)))
        {
            self.push_name(&units[..1], Candidate::Unknown, None);
            return 1;
        }
        let person_start = titled_from.is_some()
            || (self.byline.get(first.first).copied().unwrap_or(false) && Self::is_wordlike(first))
            || (first.kind == UnitKind::Word
                && LEXICON.is_given_name(self.word(first.first))
                && units.len() >= 2)
            || (self.lex_given_name(first)
                && units.get(1).is_some_and(|u| u.kind == UnitKind::Word));
        if person_start && (Self::is_wordlike(first) || self.lex_given_name(first)) {
            let mut end = 1;
            while end < MAX_NAME_UNITS && units.get(end).is_some_and(|u| Self::is_wordlike(*u)) {
                end += 1;
            }
            if end >= 2 || titled_from.is_some() {
                self.push_name(&units[..end], Candidate::Person, titled_from);
                return end;
            }
        }
        if Self::is_wordlike(first) {
            let mut end = 1;
            while units.get(end).is_some_and(|u| Self::is_wordlike(*u)) {
                end += 1;
            }
            let group = &units[..end];
            let single_keyword = end == 1 && LEXICON.is_org_keyword(self.word(first.first));
            // Several capitals-only words are shouting ("READ MORE"), not acronyms.
            let shouting = end >= 2
                && group
                    .iter()
                    .all(|u| (u.first..=u.last).all(|i| is_acronym(self.word(i))));
            if !single_keyword && !shouting && end <= MAX_NAME_UNITS && first.kind == UnitKind::Word
            {
                self.push_name(group, Candidate::Unknown, None);
            }
            return end;
        }
        if let UnitKind::Lex(id) = first.kind {
            let keep = !matches!(
                LEXICON.entry(id).map(|e| e.kind),
                Some(LexKind::Title | LexKind::DemonymAdjective) | None
            );
            if keep {
                let span = self.range(first.first, first.last);
                self.push(span, Candidate::Lex(id), None, None);
            }
        }
        1
    }

    /// Pushes a person-like name built from word and nickname units.
    fn push_name(&mut self, units: &[Unit], candidate: Candidate, titled_from: Option<usize>) {
        let (Some(first), Some(last)) = (units.first(), units.last()) else {
            return;
        };
        let span = self.range(first.first, last.last);
        let mut name = String::new();
        let mut nickname = None;
        let mut previous: Option<usize> = None;
        for unit in units {
            if unit.kind == UnitKind::Nickname {
                nickname = Some(self.word(unit.first).to_string());
                continue;
            }
            for i in unit.first..=unit.last {
                if let Some(p) = previous {
                    let between = self.between(p, i).trim();
                    if self.gap(p, i) == Gap::Hyphen {
                        name.push('-');
                    } else if is_name_particle(between) {
                        // "Osama bin Laden": the particle belongs to the name.
                        name.push(' ');
                        name.push_str(between);
                        name.push(' ');
                    } else {
                        name.push(' ');
                    }
                }
                name.push_str(self.word(i));
                previous = Some(i);
            }
        }
        let titled = titled_from
            .and_then(|from| self.text.get(from..span.end))
            .map(normalize_space);
        self.push_named(span, name, candidate, titled, nickname);
    }

    fn push(
        &mut self,
        span: TextRange,
        candidate: Candidate,
        titled: Option<String>,
        nickname: Option<String>,
    ) {
        let name = normalize_space(self.slice(span));
        self.push_named(span, name, candidate, titled, nickname);
    }

    fn push_named(
        &mut self,
        mut span: TextRange,
        mut name: String,
        mut candidate: Candidate,
        titled: Option<String>,
        nickname: Option<String>,
    ) {
        if span.is_empty() || name.is_empty() {
            return;
        }
        // "the Trump administration": the body, not the person.
        if matches!(candidate, Candidate::Unknown | Candidate::Person) && titled.is_none() {
            let rest = self.text.get(span.end..).unwrap_or("");
            let after = rest.trim_start_matches([' ', '\u{a0}']);
            let word_len = after
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(after.len());
            let body = &after[..word_len];
            if after.len() < rest.len() && LEXICON.is_governing_body(body) {
                span.end += (rest.len() - after.len()) + word_len;
                name = format!("{name} {body}");
                candidate = Candidate::Organization;
            }
        }
        let cue =
            matches!(candidate, Candidate::Unknown | Candidate::Person) && self.person_cue(span);
        self.raw.push(RawMention {
            span,
            name,
            candidate,
            titled,
            nickname,
            acronym: None,
            cue,
        });
    }

    /// True when a speech verb follows the mention ("Gittleman said", "Biden has publicly
    /// called", "Plesner, who") or precedes it ("noted Yohanan Plesner").
    fn person_cue(&self, span: TextRange) -> bool {
        let next = self.tokens.partition_point(|t| t.start < span.end);
        let Some(after) = self.tokens.get(next) else {
            return false;
        };
        let between = self.text.get(span.end..after.start).unwrap_or("");
        if between.trim() == "," && self.word(next) == "who" {
            return true;
        }
        if between.trim().is_empty() && !between.contains('\n') {
            let mut k = next;
            while k < next + 2
                && LEXICON.is_cue_skip(self.word(k))
                && self.gap(k, k + 1) == Gap::Space
            {
                k += 1;
            }
            if LEXICON.is_cue_verb(self.word(k)) {
                return true;
            }
        }
        let first = self.tokens.partition_point(|t| t.start < span.start);
        first > 0
            && LEXICON.is_cue_verb(self.word(first - 1))
            && self
                .tokens
                .get(first - 1)
                .and_then(|t| self.text.get(t.end..span.start))
                .is_some_and(|g| matches!(g.trim(), "" | ","))
    }
}

/// Namespaces of entity keys: a person and an organisation may share a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Namespace {
    Gazetteer,
    Organization,
    Place,
    Person,
}

/// Builds an article's entities while resolving aliases.
#[derive(Default)]
struct EntityTable {
    entities: Vec<Entity>,
    by_key: FxHashMap<(Namespace, String), usize>,
    aliases: FxHashMap<String, usize>,
}

impl EntityTable {
    fn entity(
        &mut self,
        namespace: Namespace,
        key: String,
        canonical: &str,
        kind: EntityKind,
    ) -> usize {
        *self.by_key.entry((namespace, key)).or_insert_with(|| {
            self.entities.push(Entity {
                canonical: canonical.to_string(),
                kind,
                aliases: Vec::new(),
            });
            self.entities.len() - 1
        })
    }

    fn add_alias(&mut self, id: usize, alias: &str) {
        if let Some(e) = self.entities.get_mut(id)
            && e.canonical != alias
            && !e.aliases.iter().any(|a| a == alias)
        {
            e.aliases.push(alias.to_string());
        }
    }
}

/// Resolves raw mentions into entities and mentions.
fn resolve(
    raw: Vec<RawMention>,
    lower_words: &FxHashSet<&str>,
    doc: DocId,
) -> (Vec<Entity>, Vec<Mention>) {
    let mut table = EntityTable::default();
    let keys: Vec<String> = raw.iter().map(|m| name_key(&m.name)).collect();
    // Names shown to be people somewhere in the article: a title, a given name, a by-line
    // or a speech verb next to one of their mentions.
    let evidenced: FxHashSet<&str> = raw
        .iter()
        .zip(&keys)
        .filter(|(m, key)| {
            m.candidate == Candidate::Person
                || (m.candidate == Candidate::Unknown && (m.cue || LEXICON.is_notable_person(key)))
        })
        .map(|(_, key)| key.as_str())
        .collect();
    // Full person names (two words or more) and the suffixes that may stand for them.
    let full_person: Vec<bool> = raw
        .iter()
        .zip(&keys)
        .map(|(m, key)| {
            matches!(m.candidate, Candidate::Person | Candidate::Unknown)
                && key.contains(' ')
                && evidenced.contains(key.as_str())
                && !m.name.split(' ').any(is_acronym)
        })
        .collect();
    let mut suffixes: FxHashMap<&str, Option<&str>> = FxHashMap::default();
    for (key, _) in keys.iter().zip(&full_person).filter(|(_, full)| **full) {
        for suffix in proper_suffixes(key) {
            let slot = suffixes.entry(suffix).or_insert(Some(key.as_str()));
            if slot.is_some_and(|k| k != key) {
                *slot = None;
            }
        }
    }
    // A full name standing for a longer one ("Shafran Gittleman") resolves to it.
    let full_key = |key: &str| -> String {
        match suffixes.get(key) {
            Some(Some(longer)) => (*longer).to_string(),
            _ => key.to_string(),
        }
    };
    // The fullest spelling of each person.
    let mut fullest: FxHashMap<String, (usize, &str)> = FxHashMap::default();
    for (index, m) in raw.iter().enumerate().filter(|(i, _)| full_person[*i]) {
        let words = word_count(&keys[index]);
        let slot = fullest
            .entry(full_key(&keys[index]))
            .or_insert((words, &m.name));
        if slot.0 < words {
            *slot = (words, &m.name);
        }
    }

    let mut resolved: Vec<Option<usize>> = vec![None; raw.len()];
    // Pass 1: gazetteer hits, organisations and full person names.
    for (index, m) in raw.iter().enumerate() {
        let id = match m.candidate {
            Candidate::Lex(entry) => {
                let Some(e) = LEXICON.entry(entry) else {
                    continue;
                };
                let kind = match e.kind {
                    LexKind::Place => EntityKind::Place,
                    LexKind::DemonymPlural => EntityKind::Group,
                    _ => EntityKind::Organization,
                };
                table.entity(
                    Namespace::Gazetteer,
                    e.canonical.to_string(),
                    e.canonical,
                    kind,
                )
            }
            Candidate::Organization => table.entity(
                Namespace::Organization,
                keys[index].clone(),
                &m.name,
                EntityKind::Organization,
            ),
            Candidate::Place => table.entity(
                Namespace::Place,
                keys[index].clone(),
                &m.name,
                EntityKind::Place,
            ),
            _ if full_person[index] => {
                let key = full_key(&keys[index]);
                let canonical = fullest.get(&key).map_or(m.name.as_str(), |(_, name)| name);
                table.entity(Namespace::Person, key, canonical, EntityKind::Person)
            }
            _ => continue,
        };
        resolved[index] = Some(id);
        for alias in [&m.acronym, &m.nickname].into_iter().flatten() {
            table.aliases.entry(alias.clone()).or_insert(id);
        }
    }
    // Pass 2: single names, resolved through aliases and surnames.
    for (index, m) in raw.iter().enumerate() {
        if resolved[index].is_some() {
            continue;
        }
        let key = &keys[index];
        let known =
            table
                .aliases
                .get(&m.name)
                .copied()
                .or_else(|| match suffixes.get(key.as_str()) {
                    Some(Some(full)) => table
                        .by_key
                        .get(&(Namespace::Person, (*full).to_string()))
                        .copied(),
                    _ => None,
                });
        resolved[index] = match known {
            Some(id) => Some(id),
            None if m.candidate == Candidate::Person => {
                Some(table.entity(Namespace::Person, key.clone(), &m.name, EntityKind::Person))
            }
            // Without evidence a name is nothing we can type: no entity.
            None if !evidenced.contains(key.as_str())
                || lower_words.contains(key.as_str())
                || LEXICON.is_org_keyword(&m.name) =>
            {
                None
            }
            // An acronym that speaks ("NHK said") is an organisation.
            None if is_acronym(&m.name) => Some(table.entity(
                Namespace::Organization,
                key.clone(),
                &m.name,
                EntityKind::Organization,
            )),
            None => Some(table.entity(Namespace::Person, key.clone(), &m.name, EntityKind::Person)),
        };
    }

    let mut mentions = Vec::with_capacity(raw.len());
    for (m, id) in raw.iter().zip(resolved) {
        let Some(id) = id else {
            continue;
        };
        table.add_alias(id, &m.name);
        for alias in [&m.titled, &m.nickname, &m.acronym].into_iter().flatten() {
            table.add_alias(id, alias);
        }
        mentions.push(Mention {
            entity: id,
            span: Span::new(doc, m.span),
        });
    }
    mentions.sort_by_key(|m| (m.span.start, m.span.end));
    (table.entities, mentions)
}

/// Finds the entities of `text` and their mentions; `layer` is its token layer
/// ([`crate::tokenize`]) and `sentences` come from [`crate::split_sentences`]. The words of
/// the name view ([`name_words`]) are returned for the later passes.
pub(crate) fn recognize(
    text: &str,
    layer: &[Token],
    sentences: &[TextRange],
    doc: DocId,
) -> (Vec<Entity>, Vec<Mention>, Vec<Word>) {
    let mut recognizer = Recognizer::new(text, layer, sentences);
    recognizer.collect_runs();
    let lower_words = std::mem::take(&mut recognizer.lower_words);
    let (entities, mentions) = resolve(recognizer.raw, &lower_words, doc);
    (entities, mentions, recognizer.tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split_sentences;
    use proptest::prelude::*;

    struct Found {
        text: String,
        entities: Vec<Entity>,
        mentions: Vec<Mention>,
    }

    impl Found {
        fn new(text: &str) -> Self {
            let (entities, mentions, _) =
                recognize(text, &crate::tokenize(text), &split_sentences(text), 0);
            Self {
                text: text.to_string(),
                entities,
                mentions,
            }
        }

        fn entity(&self, canonical: &str) -> Option<&Entity> {
            self.entities.iter().find(|e| e.canonical == canonical)
        }

        fn kind(&self, canonical: &str) -> Option<EntityKind> {
            self.entity(canonical).map(|e| e.kind)
        }

        /// Mention texts with the canonical name of their entity.
        fn mentions(&self) -> Vec<(&str, &str)> {
            self.mentions
                .iter()
                .map(|m| {
                    (
                        m.span.slice(&self.text).unwrap_or("<bad span>"),
                        self.entities[m.entity].canonical.as_str(),
                    )
                })
                .collect()
        }
    }

    #[test]
    fn ranks_are_stripped_from_the_name_and_kept_as_alias() {
        let found =
            Found::new("On Sunday, Lt. Gen. Eyal Zamir objected. Later General Zamir resigned.");
        assert_eq!(
            found.mentions(),
            [("Eyal Zamir", "Eyal Zamir"), ("Zamir", "Eyal Zamir")]
        );
        let zamir = found
            .entity("Eyal Zamir")
            .map(|e| e.aliases.clone())
            .unwrap_or_default();
        assert!(
            zamir.contains(&"Lt. Gen. Eyal Zamir".to_string()),
            "{zamir:?}"
        );
        assert!(zamir.contains(&"General Zamir".to_string()), "{zamir:?}");
    }

    #[test]
    fn office_words_are_not_part_of_the_person_name() {
        let found = Found::new(
            "Guests, among them Defense Minister Yoav Gallant and Strategic Affairs Minister Ron Dermer, met U.S. Secretary of State Antony Blinken and Mossad Chief David Barnea.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Yoav Gallant", "Yoav Gallant"),
                ("Ron Dermer", "Ron Dermer"),
                ("U.S.", "United States"),
                ("Antony Blinken", "Antony Blinken"),
                ("Mossad", "Mossad"),
                ("David Barnea", "David Barnea"),
            ]
        );
        assert_eq!(found.kind("Yoav Gallant"), Some(EntityKind::Person));
        assert_eq!(found.kind("Mossad"), Some(EntityKind::Organization));
    }

    #[test]
    fn possessive_is_outside_the_mention() {
        let found =
            Found::new("He opposed Mr. Netanyahu’s plan and Hamas’ leaders and Israel's allies.");
        assert_eq!(
            found.mentions(),
            [
                ("Netanyahu", "Netanyahu"),
                ("Hamas", "Hamas"),
                ("Israel", "Israel")
            ]
        );
    }

    #[test]
    fn quoted_nickname_joins_first_and_last_name_and_resolves_later_uses() {
        let found = Found::new(
            "Prime Minister Benjamin “Bibi” Netanyahu spoke.\nBibi’s Ambition: Total Control\nMr. Netanyahu left. Netanyahu returned.",
        );
        let netanyahu = found
            .entity("Benjamin Netanyahu")
            .expect("full name entity");
        assert_eq!(netanyahu.kind, EntityKind::Person);
        for alias in ["Bibi", "Mr. Netanyahu", "Netanyahu"] {
            assert!(
                netanyahu.aliases.iter().any(|a| a == alias),
                "{alias} in {:?}",
                netanyahu.aliases
            );
        }
        assert!(
            found
                .mentions()
                .iter()
                .all(|(_, c)| *c == "Benjamin Netanyahu"),
            "{:?}",
            found.mentions()
        );
        assert_eq!(found.mentions().len(), 4);
    }

    #[test]
    fn surname_before_the_full_name_resolves_too() {
        let found = Found::new("Halevi objected. Later, General Herzi Halevi resigned.");
        assert_eq!(
            found.mentions(),
            [("Halevi", "Herzi Halevi"), ("Herzi Halevi", "Herzi Halevi")]
        );
    }

    #[test]
    fn parenthesised_acronym_defines_an_alias() {
        let found = Found::new(
            "A petition from Commanders for Israel’s Security (CIS), whose members include retired officers of the Israeli Defense Forces (IDF), circulated. The CIS declined to comment.",
        );
        let cis = found
            .entity("Commanders for Israel’s Security")
            .expect("CIS organisation");
        assert_eq!(cis.kind, EntityKind::Organization);
        assert!(cis.aliases.iter().any(|a| a == "CIS"));
        assert_eq!(
            found.mentions(),
            [
                (
                    "Commanders for Israel’s Security",
                    "Commanders for Israel’s Security"
                ),
                ("CIS", "Commanders for Israel’s Security"),
                ("Israeli Defense Forces", "Israel Defense Forces"),
                ("IDF", "Israel Defense Forces"),
                ("CIS", "Commanders for Israel’s Security"),
            ]
        );
    }

    #[test]
    fn acronym_of_an_unknown_organisation() {
        let found = Found::new(
            "Analysts at the Middle Harbor Research Group (MHRG) disagreed. MHRG later agreed.",
        );
        let group = found
            .entity("Middle Harbor Research Group")
            .expect("organisation");
        assert_eq!(group.kind, EntityKind::Organization);
        assert_eq!(
            found
                .mentions()
                .iter()
                .filter(|(_, c)| *c == "Middle Harbor Research Group")
                .count(),
            3
        );
    }

    #[test]
    fn place_that_is_also_a_given_name() {
        let found = Found::new(
            "On Monday the defense minister, Israel Katz, visited a school. Mr. Katz spoke briefly. Israel then reopened roads to Gaza City and Gaza.",
        );
        assert_eq!(found.kind("Israel Katz"), Some(EntityKind::Person));
        assert_eq!(found.kind("Israel"), Some(EntityKind::Place));
        assert_eq!(found.kind("Gaza City"), Some(EntityKind::Place));
        assert_eq!(found.kind("Gaza"), Some(EntityKind::Place));
        assert_eq!(
            found.mentions(),
            [
                ("Israel Katz", "Israel Katz"),
                ("Katz", "Israel Katz"),
                ("Israel", "Israel"),
                ("Gaza City", "Gaza City"),
                ("Gaza", "Gaza")
            ]
        );
    }

    #[test]
    fn organisations_from_gazetteer_and_head_words() {
        let found = Found::new(
            "Former Mossad and Shin Bet officers disputed the Hamas figures, said Dafna Levavi, director of the Israel Democracy Institute, and a fellow at the Institute for National Security Studies.",
        );
        for org in [
            "Mossad",
            "Shin Bet",
            "Hamas",
            "Israel Democracy Institute",
            "Institute for National Security Studies",
        ] {
            assert_eq!(found.kind(org), Some(EntityKind::Organization), "{org}");
        }
        assert_eq!(found.kind("Dafna Levavi"), Some(EntityKind::Person));
    }

    #[test]
    fn sentence_initial_and_headline_capitals_need_evidence() {
        let found = Found::new(
            "Security officials spoke. Critics of the plan agree. Military intelligence disagrees.\nRegional Talks Stalling\nThe military and security chiefs met. He warned: “Security first,” and 550 Ex-security chiefs agreed.",
        );
        assert!(found.entities.is_empty(), "{:?}", found.entities);
    }

    #[test]
    fn sentence_initial_name_confirmed_elsewhere_is_kept() {
        let found = Found::new("Netanyahu is pressing. Aides say Netanyahu insisted.");
        assert_eq!(
            found.mentions(),
            [("Netanyahu", "Netanyahu"), ("Netanyahu", "Netanyahu")]
        );
        assert_eq!(found.kind("Netanyahu"), Some(EntityKind::Person));
    }

    #[test]
    fn unknown_names_need_evidence_of_a_person() {
        let found = Found::new(
            "Fans watched the Grand Harbor Cup on Zorbex and Quillnet. “It works,” said Maren Oakes. Oakes, who founded Zorbex, has repeatedly warned about it. Bastow argued otherwise.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Maren Oakes", "Maren Oakes"),
                ("Oakes", "Maren Oakes"),
                ("Bastow", "Bastow")
            ]
        );
        assert!(found.entities.iter().all(|e| e.kind == EntityKind::Person));
    }

    #[test]
    fn british_honorifics_particles_and_place_heads() {
        let found = Found::new(
            "Mr Clayton met Dr Phil Moss near the Mario M. Cuomo Bridge. Osama bin Laden was killed. CLOSE Sheila Escovedo said so.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Clayton", "Clayton"),
                ("Phil Moss", "Phil Moss"),
                ("Mario M. Cuomo Bridge", "Mario M. Cuomo Bridge"),
                ("Osama bin Laden", "Osama bin Laden"),
                ("Sheila Escovedo", "Sheila Escovedo")
            ]
        );
        assert_eq!(found.kind("Mario M. Cuomo Bridge"), Some(EntityKind::Place));
        assert_eq!(found.kind("Osama bin Laden"), Some(EntityKind::Person));
    }

    #[test]
    fn title_word_heading_an_organisation_is_no_title() {
        let found = Found::new("Fans of the Major Riverside League cheered, said Anna Kowal.");
        assert_eq!(
            found.kind("Major Riverside League"),
            Some(EntityKind::Organization)
        );
        assert_eq!(found.kind("Anna Kowal"), Some(EntityKind::Person));
    }

    #[test]
    fn notable_surname_alone_is_a_person() {
        let found = Found::new("Netanyahu is pressing. Aides of Netanyahu agree with Putin.");
        assert_eq!(
            found.mentions(),
            [
                ("Netanyahu", "Netanyahu"),
                ("Netanyahu", "Netanyahu"),
                ("Putin", "Putin")
            ]
        );
        assert!(found.entities.iter().all(|e| e.kind == EntityKind::Person));
    }

    #[test]
    fn east_asian_given_names_with_hyphenated_syllable() {
        let found = Found::new(
            "North Korean leader Kim Jong-un met President Moon Jae-in. Ban Ki-moon said so. Pompeo-led talks.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Kim Jong-un", "Kim Jong-un"),
                ("Moon Jae-in", "Moon Jae-in"),
                ("Ban Ki-moon", "Ban Ki-moon"),
                ("Pompeo", "Pompeo")
            ]
        );
    }

    #[test]
    fn body_named_after_a_leader_is_an_organisation_not_the_person() {
        let found =
            Found::new("With help from the Trump administration, Donald Trump spoke. Trump left.");
        assert_eq!(
            found.kind("Trump administration"),
            Some(EntityKind::Organization)
        );
        assert_eq!(
            found.mentions(),
            [
                ("Trump administration", "Trump administration"),
                ("Donald Trump", "Donald Trump"),
                ("Trump", "Donald Trump")
            ]
        );
    }

    #[test]
    fn surname_shared_by_two_full_names_stays_ambiguous() {
        let found = Found::new("John Smith met Jane Smith. Later, Smith said no.");
        assert_eq!(
            found.mentions(),
            [
                ("John Smith", "John Smith"),
                ("Jane Smith", "Jane Smith"),
                ("Smith", "Smith")
            ]
        );
    }

    #[test]
    fn hyphenated_surnames_and_hyphen_compounds() {
        let found = Found::new(
            "Ministers like Itamar Ben-Gvir cheered the Hamas-led attack, seen from the Tel Aviv-based group. Ben-Gvir said so.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Itamar Ben-Gvir", "Itamar Ben-Gvir"),
                ("Hamas", "Hamas"),
                ("Tel Aviv", "Tel Aviv"),
                ("Ben-Gvir", "Itamar Ben-Gvir")
            ]
        );
    }

    #[test]
    fn glued_typo_is_cut_after_the_known_name() {
        let found = Found::new(
            "Prime Minister Benjamin “Bibi” Netanyahudeclined to comment. Netanyahu left early.",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Benjamin “Bibi” Netanyahu", "Benjamin Netanyahu"),
                ("Netanyahu", "Benjamin Netanyahu")
            ]
        );
    }

    #[test]
    fn byline_names_a_person_and_date_line_names_nothing() {
        let found = Found::new(
            "May 12, 2025\nBy Kelechi Amadi\nThe hearing was adjourned.\nBy Anna Lindqvist, Northern Wire\n",
        );
        assert_eq!(
            found.mentions(),
            [
                ("Kelechi Amadi", "Kelechi Amadi"),
                ("Anna Lindqvist", "Anna Lindqvist")
            ]
        );
        assert_eq!(found.kind("Kelechi Amadi"), Some(EntityKind::Person));
    }

    #[test]
    fn demonyms_are_groups_only_in_the_plural() {
        let found =
            Found::new("Many Israelis and Palestinians oppose Israeli and Palestinian leaders.");
        assert_eq!(found.kind("Israelis"), Some(EntityKind::Group));
        assert_eq!(found.kind("Palestinians"), Some(EntityKind::Group));
        assert_eq!(found.entities.len(), 2);
    }

    #[test]
    fn pathological_runs_stay_linear() {
        let capitalised = "John Smith Alpha Beta ".repeat(10_000);
        let connectors = "of for ".repeat(20_000) + "Alpha (AB) ";
        let acronyms = "Alpha Beta (AB) ".repeat(5_000);
        for text in [capitalised, connectors, acronyms] {
            let started = std::time::Instant::now();
            check_mentions(&text);
            assert!(
                started.elapsed().as_secs() < 5,
                "too slow on {} bytes",
                text.len()
            );
        }
    }

    proptest! {
        #[test]
        fn mentions_are_valid_for_any_text(text in "(?s).{0,300}") {
            check_mentions(&text);
        }

        #[test]
        fn mentions_are_valid_for_name_like_text(
            text in "([A-Z][a-z’']{0,8}|Mr\\.|Lt\\. Gen\\.|U\\.S\\.|Israel|Gaza City|IDF|[“”\"(),.-]|[a-z]{1,6}|\n| ){0,60}"
        ) {
            check_mentions(&text);
        }
    }

    fn check_mentions(text: &str) {
        let found = Found::new(text);
        let mut previous_end = 0;
        for m in &found.mentions {
            assert!(m.entity < found.entities.len());
            assert!(m.span.start < m.span.end, "empty mention {m:?}");
            assert!(m.span.start >= previous_end, "overlap or disorder at {m:?}");
            assert!(
                m.span.slice(text).is_some(),
                "mention off bounds or char boundary {m:?}"
            );
            previous_end = m.span.end;
        }
        for e in &found.entities {
            assert!(!e.canonical.is_empty());
        }
    }
}
