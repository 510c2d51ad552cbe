//! The data model shared by every corroborate stage, defined once.
//!
//! The pipeline hands these types from stage to stage:
//!
//! ```text
//! RawDocument ──extract──▶ Article ──nlp──▶ AnalyzedArticle{sentences, entities, mentions}
//!             ──claims──▶ AnalyzedArticle{claims} ──cluster──▶ Story
//!             ──align / kb──▶ ClaimGroup{verdict} ──report──▶ Analysis (text, JSON, HTML)
//! ```
//!
//! Every extracted thing carries a [`Span`]: byte offsets into the extracted text of one
//! article ([`Article::text`]). Reports quote evidence through spans, never by copying, so any
//! output can be traced back to the exact characters that support it.
//!
//! ```
//! use corroborate_model::{Span, TextRange};
//! let text = "More than 600 officials signed.";
//! let span = Span::new(0, TextRange::new(0, 13));
//! assert_eq!(span.slice(text), Some("More than 600"));
//! ```

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Version of the JSON report schema; bump the minor on additions, the major on changes.
pub const SCHEMA_VERSION: &str = "1.6";

/// Index of an article within one analysis run (its position in [`Analysis::articles`]).
pub type DocId = u32;

/// Index of an entity within its article's [`AnalyzedArticle::entities`].
pub type EntityId = usize;

/// A half-open byte range `[start, end)` inside one article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TextRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl TextRange {
    /// A range from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the range covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when `other` lies entirely inside this range.
    pub fn contains(&self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The text this range covers, or `None` if it is out of bounds or splits a character.
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}

/// Evidence location: a byte range inside the text of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// The article.
    pub doc: DocId,
    /// First byte in [`Article::text`].
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span of `range` in article `doc`.
    pub fn new(doc: DocId, range: TextRange) -> Self {
        Self {
            doc,
            start: range.start,
            end: range.end,
        }
    }

    /// The byte range without the article.
    pub fn range(&self) -> TextRange {
        TextRange::new(self.start, self.end)
    }

    /// The text this span covers in `text` (the article's text).
    pub fn slice<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.range().slice(text)
    }
}

/// Where an input document came from: a path or URL, and the record inside it for containers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    /// File path, URL, or `-` for standard input.
    pub path: String,
    /// Index of the record inside a container (feed item, WARC record, JSON Lines line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl SourceRef {
    /// A whole-file source.
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            record: None,
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(r) => write!(f, "{}#{}", self.path, r),
            None => f.write_str(&self.path),
        }
    }
}

/// The kind of content a raw document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// Plain text, optionally with a front-matter block.
    PlainText,
    /// An HTML page.
    Html,
    /// An RSS or Atom feed (many articles).
    Feed,
    /// A WARC crawl file (many articles).
    Warc,
    /// JSON or JSON Lines article records.
    JsonRecords,
}

/// Metadata a container supplied alongside a document (feed item, WARC headers, JSON record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMetadata {
    /// URL of the article.
    pub url: Option<String>,
    /// Title given by the container.
    pub title: Option<String>,
    /// Publication date as given by the container, unparsed.
    pub date: Option<String>,
    /// Outlet or site name.
    pub outlet: Option<String>,
    /// Author names.
    pub authors: Vec<String>,
    /// Charset declared by the transport (e.g. an HTTP `Content-Type` header).
    pub charset: Option<String>,
}

/// One input document before extraction: bytes plus what the container told us about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// Where it came from.
    pub source: SourceRef,
    /// Detected or user-forced format.
    pub format: InputFormat,
    /// The undecoded content.
    pub bytes: Vec<u8>,
    /// Metadata from the container, if any.
    pub metadata: RecordMetadata,
}

/// A problem with one input: reported with its source, then skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// The file, URL or record that failed (displayed form of a [`SourceRef`] or a path).
    pub source: String,
    /// Why, in words a user can act on.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// An error for `source` with `reason`.
    pub fn new(source: impl fmt::Display, reason: impl Into<String>) -> Self {
        Self {
            source: source.to_string(),
            reason: reason.into(),
        }
    }
}

/// How a metadata value was found, so users can judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetadataOrigin {
    /// The user's front-matter block.
    FrontMatter,
    /// A line of the article text (headline, date line, by-line).
    Text,
    /// HTML `<meta>` tags.
    MetaTag,
    /// JSON-LD structured data.
    JsonLd,
    /// An HTML `<time>` element.
    TimeElement,
    /// A date pattern in the URL.
    Url,
    /// The feed, WARC or JSON record that carried the article.
    Container,
    /// The page's `<title>` or first heading.
    Heading,
}

/// A publication date with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDate {
    /// The calendar date.
    pub date: NaiveDate,
    /// How it was found.
    pub origin: MetadataOrigin,
    /// The text it was read from, as written.
    pub raw: String,
    /// Where in the article text it was read, when it was read from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Span>,
}

/// One article: its main text and metadata. Offsets of every later stage refer to `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Position in the run.
    pub id: DocId,
    /// Where it came from.
    pub source: SourceRef,
    /// Canonical URL when known.
    pub url: Option<String>,
    /// Outlet or site name.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// By-line (author names as written, joined with ", ").
    pub byline: Option<String>,
    /// Publication date.
    pub published: Option<PublishedDate>,
    /// ISO 639-1 language code when detected or given.
    pub language: Option<String>,
    /// The main text. Headline, date line and by-line lines stay in it when they came from it,
    /// so their spans remain valid; [`Article::body_start`] says where the body proper begins.
    pub text: String,
    /// Byte offset in `text` where the body begins (after any headline, date line and by-line).
    pub body_start: usize,
}

impl Article {
    /// An article that is nothing but text read from `source`, with no metadata: where callers
    /// holding bare text (and tests) start.
    pub fn from_text(id: DocId, source: SourceRef, text: impl Into<String>) -> Self {
        Article {
            id,
            source,
            url: None,
            outlet: None,
            title: None,
            byline: None,
            published: None,
            language: None,
            text: text.into(),
            body_start: 0,
        }
    }

    /// The name a reader knows the article by: its outlet, else its title, else the file name
    /// (with the record number inside a container), whitespace collapsed.
    pub fn label(&self) -> String {
        let named = [&self.outlet, &self.title]
            .into_iter()
            .flatten()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|s| !s.is_empty());
        named.unwrap_or_else(|| {
            let path = self.source.path.trim_end_matches(['/', '\\']);
            let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
            match self.source.record {
                Some(r) => format!("{file}#{r}"),
                None => file.to_string(),
            }
        })
    }

    /// Gives the article a new id, moving the spans it holds (its date-line evidence) with it.
    pub fn renumber(&mut self, id: DocId) {
        self.id = id;
        if let Some(evidence) = self.published.as_mut().and_then(|p| p.evidence.as_mut()) {
            evidence.doc = id;
        }
    }
}

/// Kinds of named entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, agency, party, institution or armed force.
    Organization,
    /// A country, city or region.
    Place,
    /// A group of people described collectively ("former security officials").
    Group,
}

/// An entity as resolved within an article (and, after cross-article linking, across the run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The fullest name known ("Benjamin Netanyahu"); after cross-article linking, the same
    /// string in every article that names the same entity.
    pub canonical: String,
    /// What it is.
    pub kind: EntityKind,
    /// Other surface forms seen ("Bibi", "Mr. Netanyahu", "Netanyahu").
    pub aliases: Vec<String>,
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The entity in the article's entity list.
    pub entity: EntityId,
    /// Where it occurs.
    pub span: Span,
}

/// A numeric interval `[low, high]`; unbounded ends are ±infinity (serialised as `null`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound (`null` in JSON means unbounded below).
    #[serde(serialize_with = "infinite_as_null::serialize")]
    #[serde(deserialize_with = "infinite_as_null::low")]
    pub low: f64,
    /// Upper bound (`null` in JSON means unbounded above).
    #[serde(serialize_with = "infinite_as_null::serialize")]
    #[serde(deserialize_with = "infinite_as_null::high")]
    pub high: f64,
}

impl Interval {
    /// The single value `v`.
    pub fn exact(v: f64) -> Self {
        Self { low: v, high: v }
    }

    /// `[low, high]`.
    pub fn between(low: f64, high: f64) -> Self {
        Self { low, high }
    }

    /// `[v, ∞)`.
    pub fn at_least(v: f64) -> Self {
        Self {
            low: v,
            high: f64::INFINITY,
        }
    }

    /// `(-∞, v]`, clamped at zero for counts by the caller if needed.
    pub fn at_most(v: f64) -> Self {
        Self {
            low: f64::NEG_INFINITY,
            high: v,
        }
    }

    /// True when the two intervals share at least one value.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.low <= other.high && other.low <= self.high
    }
}

mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn low<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NEG_INFINITY))
    }

    pub fn high<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
    }
}

/// How precisely a quantity was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A plain figure ("550").
    Exact,
    /// Hedged around a figure ("about 1,200", "nearly two years").
    Approximate,
    /// A bound ("more than 600", "at least", "up to 28").
    Bound,
    /// A magnitude word with no figure ("hundreds", "dozens", "thousands").
    Vague,
}

/// What a quantity is measured in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum QuantityUnit {
    /// A count of things.
    Count,
    /// A percentage (value 4.8 means 4.8 %).
    Percent,
    /// Money, normalised to units of `currency` (ISO code or symbol name, e.g. "USD").
    Money {
        /// Currency code.
        currency: String,
    },
    /// A duration, value in days.
    Duration,
}

/// What a number counts: "more than 600 *former Israeli security officials*".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// The noun phrase as written.
    pub phrase: String,
    /// Its head noun, lower-cased and singular ("official").
    pub head: String,
    /// Lower-cased modifiers of the head ("former", "israeli", "security").
    pub modifiers: Vec<String>,
    /// What is said of the counted things, as a lower-case lemma ("kill" in "65,000
    /// Palestinians have been killed", "sign", "flee", "alive"), so that counts of the same
    /// noun under different predicates are never compared.
    pub predicate: Option<String>,
    /// Where the noun phrase is.
    pub span: Span,
}

/// A number with what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The value as an interval ("more than 600" ⇒ [600, ∞)).
    pub value: Interval,
    /// How precisely it was stated.
    pub precision: Precision,
    /// What it is measured in.
    pub unit: QuantityUnit,
    /// What it counts, when that could be found.
    pub counted: Option<Counted>,
    /// The numeric expression ("more than 600", "$1.2 billion").
    pub number: Span,
    /// The year the figure is for, when its clause names one ("1.6 million arrests *in
    /// 2000*"); otherwise the figure is about the time the article reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// Whether an office is asserted as held now, formerly, or without a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tenure {
    /// "Defense Minister Yoav Gallant", "the current defense minister".
    Current,
    /// "former IDF Chief Benny Gantz", "his predecessor".
    Former,
    /// No time is implied.
    Unspecified,
}

/// An office, normalised for comparison ("Defence Minister" and "Minister of Defense" are equal).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Office {
    /// Normalised title, lower-case ("defense minister", "chief of staff", "president").
    pub title: String,
    /// The organisation or country, normalised ("israel", "idf", "united states"), when known.
    pub org: Option<String>,
}

/// "X holds office Y": "Lt. Gen. Eyal Zamir, the military chief of staff".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeHolder {
    /// The person (index into the article's entities).
    pub person: EntityId,
    /// Where the person is named.
    pub person_span: Span,
    /// The office.
    pub office: Office,
    /// Where the office is named.
    pub office_span: Span,
    /// Current, former, or unspecified.
    pub tenure: Tenure,
    /// The sentence anchors itself in a stated time ("in 2023", "then-"), so the office is
    /// asserted for that time, not the article's.
    #[serde(default)]
    pub historical: bool,
}

/// How the text implies that a person holds an office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImpliedBy {
    /// A title phrase before the name ("U.S. President Donald Trump").
    TitleBeforeName,
    /// A title phrase in apposition after the name ("Eyal Zamir, the military chief of staff").
    Apposition,
    /// "the Biden administration has …", "his administration is …": president or prime
    /// minister now.
    Administration,
    /// "the former president", about someone named shortly before.
    FormerTitle,
}

/// An office the text implies a person holds, read more loosely than an [`OfficeHolder`]
/// claim: only a knowledge base that knows the person as a holder of one of `offices` can
/// confirm it, so it is never compared across outlets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpliedOffice {
    /// The words that imply it ("U.S. President", "his administration", "the former
    /// president").
    pub cue: Span,
    /// The offices it may denote, most likely first (never empty).
    pub offices: Vec<Office>,
    /// Current or former.
    pub tenure: Tenure,
    /// Who it may be about, most likely first: the person named in it or next to it, or for
    /// "his administration" and "the former president" the people named before it in the
    /// same or the previous sentence (or two, for a former title), nearest first.
    pub candidates: Vec<Mention>,
    /// A name written in the phrase itself ("Biden" in "the Biden administration"), for a
    /// knowledge base to look up after the candidates: the article may name no one by it, or
    /// only someone else of that name.
    pub name: Option<Span>,
    /// The shape it was read from.
    pub implied_by: ImpliedBy,
    /// The sentence anchors itself in a stated time ("in 2023", "then-").
    pub historical: bool,
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Speaker {
    /// A named person or organisation.
    Entity {
        /// Index into the article's entities.
        entity: EntityId,
        /// Where the speaker is named near the quote.
        span: Span,
    },
    /// A document ("the letter", "the statement").
    Document {
        /// The description as written, lower-cased ("the letter").
        description: String,
        /// Where it is named.
        span: Span,
    },
    /// An unnamed person or group ("one former Mossad officer", "the officials").
    Description {
        /// The description as written.
        description: String,
        /// Where it is named.
        span: Span,
    },
}

impl Speaker {
    /// Where the speaker is named.
    pub fn span(&self) -> Span {
        match self {
            Speaker::Entity { span, .. }
            | Speaker::Document { span, .. }
            | Speaker::Description { span, .. } => *span,
        }
    }
}

/// Sets every document id in a serialised analysis (the `doc` fields of spans and claim
/// references, and the article's own `id`) to `id`: an analysis stored or shipped on its own
/// (the server's store, the Spark job's executors) rejoins a run under its number there.
pub fn renumber_analysis(value: &mut serde_json::Value, id: u64) {
    fn set_docs(value: &mut serde_json::Value, id: u64) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key == "doc" && v.is_u64() {
                        *v = id.into();
                    } else {
                        set_docs(v, id);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| set_docs(v, id)),
            _ => {}
        }
    }
    if let Some(article) = value.get_mut("article").and_then(|a| a.get_mut("id")) {
        *article = id.into();
    }
    set_docs(value, id);
}

/// A direct quotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The words inside the quotation marks.
    pub content: Span,
    /// Who said or wrote it, when attributed.
    pub speaker: Option<Speaker>,
    /// The attribution verb phrase ("said", "the letter states", "said in essence").
    pub cue: Option<Span>,
    /// The cue itself flags the quote as a paraphrase ("in essence", "paraphrasing").
    pub marked_paraphrase: bool,
}

/// How a statement is sourced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourcingKind {
    /// A named person or organisation.
    Named,
    /// Anonymous sources ("speaking anonymously", "sources familiar with").
    Anonymous,
    /// A document ("the letter states").
    Document,
    /// Hedged or second-hand ("reportedly", "said to be", "insiders claim").
    Hedged,
}

/// A sourcing cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Which kind.
    pub kind: SourcingKind,
    /// The cue phrase.
    pub cue: Span,
    /// The source, when named or described.
    pub source: Option<String>,
}

/// Whose voice a framing term is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    /// The outlet's own narration.
    Outlet,
    /// Inside a quotation.
    Quoted,
}

/// A loaded or emotive term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framing {
    /// The lexicon entry that matched, lower-case.
    pub term: String,
    /// Its lexicon category ("legal-charge", "intensifier", ...).
    pub category: String,
    /// Whose voice.
    pub voice: Voice,
    /// Where it occurs.
    pub span: Span,
}

/// A point in time or a length of time stated in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum TimeValue {
    /// A calendar date or period, as the range of days it could denote
    /// ("October 7, 2023" ⇒ one day; "October 2023" ⇒ the month).
    Date {
        /// First possible day.
        earliest: NaiveDate,
        /// Last possible day.
        latest: NaiveDate,
    },
    /// A duration in days ("nearly two years", "its 23rd month").
    Duration {
        /// Length in days.
        days: Interval,
    },
    /// A weekday name ("on Tuesday"), 1 = Monday … 7 = Sunday.
    Weekday {
        /// ISO weekday number.
        day: u8,
    },
}

/// A date or duration with what it refers to when known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpression {
    /// The value.
    pub value: TimeValue,
    /// What it dates or measures ("the war", "the attack"), lower-case, when found.
    pub about: Option<String>,
    /// The time expression itself.
    pub span: Span,
    /// Set on the day written in the article's own date line or by-line when its metadata
    /// states no publication date: the article's statement of when it was published, which
    /// the knowledge base dates it by. Absent from JSON when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<PublicationLine>,
}

/// The header line a publication date is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationLine {
    /// A line that is only a date, perhaps with a weekday, a time or "Published" ("August 4,
    /// 2025", "Updated: Mon 4 August 2025 10:00 EST").
    DateLine,
    /// A by-line with a date ("By Jane Roe | 12 March 2024").
    ByLine,
}

/// What a claim asserts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ClaimKind {
    /// A number and what it counts.
    Quantity(Quantity),
    /// A person holding an office.
    OfficeHolder(OfficeHolder),
    /// An office the text implies someone holds, for the knowledge base to confirm.
    ImpliedOffice(ImpliedOffice),
    /// A direct quotation.
    Quote(Quote),
    /// A sourcing cue.
    Attribution(Attribution),
    /// A loaded term.
    Framing(Framing),
    /// A date or duration.
    Time(TimeExpression),
}

/// One claim with the sentence (or clause) that supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The supporting text, usually the sentence.
    pub evidence: Span,
    /// What is claimed.
    #[serde(flatten)]
    pub kind: ClaimKind,
}

/// How the date of an article was estimated, one rule at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatingEvidence {
    /// The rule ("date-line", "relative-to-event", "office-holders", "weekday").
    pub rule: String,
    /// One line a reader can check.
    pub explanation: String,
    /// Earliest date this evidence allows.
    pub earliest: Option<NaiveDate>,
    /// Latest date this evidence allows.
    pub latest: Option<NaiveDate>,
    /// The text it rests on.
    pub spans: Vec<Span>,
}

/// An article's date as an interval with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateEstimate {
    /// Earliest plausible date of writing (`None`: unbounded).
    pub earliest: Option<NaiveDate>,
    /// Latest plausible date of writing (`None`: unbounded).
    pub latest: Option<NaiveDate>,
    /// The pieces of evidence combined.
    pub evidence: Vec<DatingEvidence>,
}

/// What a token of an article's token layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters first ("Ex-Mossad", "U.S", "Sa’ar", "F-35").
    Word,
    /// A digit first ("1,200", "4.8", "20-30", "3m", "23rd").
    Number,
    /// One character that is neither a letter, a digit nor white space.
    Punct,
}

/// One token of an article's token layer: `article.text[start..end]` and its shape.
///
/// `nlp` builds the layer once per article ([`AnalyzedArticle::tokens`]); later stages read
/// it instead of splitting the text again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// A word whose first letter is upper case.
    pub capitalised: bool,
}

/// An article with everything the per-article stages found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedArticle {
    /// The article.
    pub article: Article,
    /// Sentence ranges in `article.text`, in order.
    pub sentences: Vec<TextRange>,
    /// The token layer of `article.text`, in order (built by `nlp`). Never serialised: it is
    /// cheap to rebuild and would outweigh the rest of the record, so a record read back from
    /// JSON or storage has none, nor has one past the facade's per-article stages (which drop
    /// it to keep a run's memory); the stages that read tokens rebuild it through `nlp`.
    #[serde(skip)]
    pub tokens: Vec<Token>,
    /// Entities found (indexed by [`EntityId`]).
    pub entities: Vec<Entity>,
    /// Their occurrences.
    pub mentions: Vec<Mention>,
    /// Pronouns and role nouns ("she", "the senator") resolved to a person the article names;
    /// kept apart from `mentions`, whose spans are names. An input to claims only, so not
    /// written out (the report schema is unchanged: quote speakers carry the resolution).
    #[serde(default, skip_serializing)]
    pub coreference: Vec<Mention>,
    /// Claims found.
    pub claims: Vec<Claim>,
    /// The article's estimated date, when a knowledge base was used.
    pub dating: Option<DateEstimate>,
}

impl AnalyzedArticle {
    /// A fresh record for `article` with nothing found yet.
    pub fn new(article: Article) -> Self {
        Self {
            article,
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            mentions: Vec::new(),
            coreference: Vec::new(),
            claims: Vec::new(),
            dating: None,
        }
    }

    /// The text covered by `span`, or an empty string if the span does not belong here.
    pub fn quote(&self, span: Span) -> &str {
        if span.doc != self.article.id {
            return "";
        }
        span.slice(&self.article.text).unwrap_or("")
    }

    /// Gives the article and every span it holds the document id `id`: an analysis kept in
    /// memory rejoins a run under its number there, as [`renumber_analysis`] does for one
    /// serialised (without the cost of writing and parsing it).
    pub fn renumber(&mut self, id: DocId) {
        self.article.renumber(id);
        let set = |span: &mut Span| span.doc = id;
        self.mentions
            .iter_mut()
            .chain(&mut self.coreference)
            .for_each(|m| set(&mut m.span));
        for claim in &mut self.claims {
            set(&mut claim.evidence);
            match &mut claim.kind {
                ClaimKind::Quantity(q) => {
                    set(&mut q.number);
                    if let Some(counted) = &mut q.counted {
                        set(&mut counted.span);
                    }
                }
                ClaimKind::OfficeHolder(o) => {
                    set(&mut o.person_span);
                    set(&mut o.office_span);
                }
                ClaimKind::ImpliedOffice(o) => {
                    set(&mut o.cue);
                    o.candidates.iter_mut().for_each(|m| set(&mut m.span));
                    o.name.iter_mut().for_each(set);
                }
                ClaimKind::Quote(q) => {
                    set(&mut q.content);
                    q.cue.iter_mut().for_each(set);
                    match &mut q.speaker {
                        Some(
                            Speaker::Entity { span, .. }
                            | Speaker::Document { span, .. }
                            | Speaker::Description { span, .. },
                        ) => set(span),
                        None => {}
                    }
                }
                ClaimKind::Attribution(a) => set(&mut a.cue),
                ClaimKind::Framing(f) => set(&mut f.span),
                ClaimKind::Time(t) => set(&mut t.span),
            }
        }
        if let Some(dating) = &mut self.dating {
            for evidence in &mut dating.evidence {
                evidence.spans.iter_mut().for_each(set);
            }
        }
    }
}

/// A pair of near-duplicate articles (a rewrite or copy of the same text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    /// One article.
    pub a: DocId,
    /// The other.
    pub b: DocId,
    /// Estimated similarity in [0, 1].
    pub similarity: f64,
    /// The article that is likely the source, when it can be told.
    pub likely_source: Option<DocId>,
    /// Passages shared, as (span in a, span in b).
    pub shared: Vec<(Span, Span)>,
}

/// Articles about the same event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Position in [`Analysis::stories`].
    pub id: usize,
    /// A short label (most distinctive shared terms).
    pub label: String,
    /// Member articles.
    pub docs: Vec<DocId>,
    /// Near-duplicate pairs within the story.
    pub near_duplicates: Vec<NearDuplicate>,
}

/// A reference to one claim: the article and the claim's index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClaimRef {
    /// The article.
    pub doc: DocId,
    /// Index into [`AnalyzedArticle::claims`].
    pub claim: usize,
}

/// The outcome of comparing a group of claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A near-copy of another article that changes one of its facts (a figure, a name, the
    /// words of a quote): first, because copies count as one source and would otherwise hide it.
    CopyAltered,
    /// Figures for the same thing cannot all be true.
    Conflict,
    /// The same office is said to be held by different people at the same time.
    HolderConflict,
    /// Words presented as a quote do not appear in the quoted source as printed elsewhere,
    /// or the outlet itself flags them as a paraphrase.
    ParaphraseInQuotes,
    /// The same quote with words changed.
    QuoteAltered,
    /// The same words attributed to different people (or to different documents).
    SpeakerConflict,
    /// A claim true only outside the article's (or its story's) date.
    Stale,
    /// One article contradicts itself (e.g. "President" and "the former president").
    InternallyInconsistent,
    /// The articles of one story, or one happening they report, cannot be dated consistently
    /// ("last week" against "last month" for one announcement).
    DatingConflict,
    /// A vague figure ("hundreds") beside a precise one.
    VagueVsPrecise,
    /// A figure that changes over time: later articles give new values (a rising toll).
    Evolving,
    /// The same quote, word for word.
    QuoteVerbatim,
    /// Figures or holders that agree (allowing for rounding).
    Agree,
    /// Only one independent source makes the claim.
    SingleSource,
}

impl Verdict {
    /// Every verdict, most important first (the order reports use).
    pub const ALL: [Verdict; 14] = [
        Verdict::CopyAltered,
        Verdict::Conflict,
        Verdict::HolderConflict,
        Verdict::ParaphraseInQuotes,
        Verdict::QuoteAltered,
        Verdict::SpeakerConflict,
        Verdict::Stale,
        Verdict::InternallyInconsistent,
        Verdict::DatingConflict,
        Verdict::VagueVsPrecise,
        Verdict::Evolving,
        Verdict::QuoteVerbatim,
        Verdict::Agree,
        Verdict::SingleSource,
    ];

    /// The kebab-case name used in text reports and HTML classes.
    pub fn name(&self) -> &'static str {
        self.definition().name
    }

    /// The snake_case name in JSON reports, the API and stored rows.
    pub fn key(&self) -> &'static str {
        self.definition().key
    }

    /// What the verdict means, in a few words a reader can act on.
    pub fn description(&self) -> &'static str {
        self.definition().description
    }

    /// Whether the verdict says something is wrong and asks a reader to look: an alarm.
    pub fn is_alarm(&self) -> bool {
        self.definition().alarm
    }

    /// Whether the verdict says outlets disagree or a claim is wrong: an alarm other than a
    /// vague figure. Stories are ranked by how many such groups they have.
    pub fn is_dispute(&self) -> bool {
        self.is_alarm() && self.tone() != Tone::Vagueness
    }

    /// How reports colour the verdict.
    pub fn tone(&self) -> Tone {
        self.definition().tone
    }

    /// Everything reports need to know about a verdict, in one place.
    fn definition(&self) -> VerdictDefinition {
        use Tone::*;
        let (name, key, description, tone) = match self {
            Verdict::CopyAltered => (
                "copy-altered",
                "copy_altered",
                "a copy that changes a fact of the article it copies",
                Alteration,
            ),
            Verdict::Evolving => (
                "evolving",
                "evolving",
                "a figure that changed as the story developed",
                Time,
            ),
            Verdict::Conflict => (
                "conflict",
                "conflict",
                "figures for the same thing that cannot all be true",
                Contradiction,
            ),
            Verdict::HolderConflict => (
                "holder-conflict",
                "holder_conflict",
                "one office, different holders at the same time; or one person, different top posts of one body",
                Contradiction,
            ),
            Verdict::ParaphraseInQuotes => (
                "paraphrase-in-quotes",
                "paraphrase_in_quotes",
                "words in quotation marks that the source did not say",
                Alteration,
            ),
            Verdict::QuoteAltered => (
                "quote-altered",
                "quote_altered",
                "the same quotation with words changed",
                Alteration,
            ),
            Verdict::SpeakerConflict => (
                "speaker-conflict",
                "speaker_conflict",
                "the same words attributed to different speakers",
                Contradiction,
            ),
            Verdict::Stale => (
                "stale",
                "stale",
                "true only outside the article's date",
                Time,
            ),
            Verdict::InternallyInconsistent => (
                "internally-inconsistent",
                "internally_inconsistent",
                "an article that contradicts itself",
                Contradiction,
            ),
            Verdict::DatingConflict => (
                "dating-conflict",
                "dating_conflict",
                "articles, or one happening, dated inconsistently",
                Time,
            ),
            Verdict::VagueVsPrecise => (
                "vague-vs-precise",
                "vague_vs_precise",
                "a vague figure beside a precise one",
                Vagueness,
            ),
            Verdict::QuoteVerbatim => (
                "quote-verbatim",
                "quote_verbatim",
                "the same quotation, word for word",
                Agreement,
            ),
            Verdict::Agree => ("agree", "agree", "figures or holders that agree", Agreement),
            Verdict::SingleSource => (
                "single-source",
                "single_source",
                "only one independent source",
                SingleSource,
            ),
        };
        // A development over time is news, not an error; agreement and single sources
        // neither.
        let alarm = !matches!(
            self,
            Verdict::Evolving | Verdict::QuoteVerbatim | Verdict::Agree | Verdict::SingleSource
        );
        VerdictDefinition {
            name,
            key,
            description,
            tone,
            alarm,
        }
    }
}

/// What defines a verdict for readers.
struct VerdictDefinition {
    name: &'static str,
    key: &'static str,
    description: &'static str,
    tone: Tone,
    alarm: bool,
}

/// The family a verdict belongs to, which reports show by colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Claims that cannot all be true.
    Contradiction,
    /// Words changed or put in someone's mouth.
    Alteration,
    /// Claims out of step with their time.
    Time,
    /// A vague figure beside a precise one.
    Vagueness,
    /// Outlets agree.
    Agreement,
    /// Only one source.
    SingleSource,
}

/// What a claim group is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Topic {
    /// Quantities of the same counted thing in the same unit.
    Quantity {
        /// The alignment key ("official", "hostage alive").
        counted: String,
        /// The unit.
        unit: QuantityUnit,
    },
    /// Holders of one office.
    Office {
        /// The office.
        office: Office,
    },
    /// Versions of one quotation.
    Quote {
        /// The speaker's canonical name or description when known.
        speaker: Option<String>,
    },
    /// A person or organisation: one only some outlets name, or a person the outlets give
    /// different posts.
    Named {
        /// The canonical name.
        name: String,
    },
    /// The dating of an article or story (knowledge-base verdicts).
    Dating,
    /// A fact a near-copy gives differently from the article it copies.
    CopyChange {
        /// What changed.
        change: CopyChangeKind,
        /// The article copied from: the likely source, or the first of the two when which came
        /// first cannot be told (`direction_known` false).
        source: DocId,
        /// The near-copy that changes the fact.
        copy: DocId,
        /// Whether `source` is known to be the original (a wire by-line, an earlier date, or
        /// containing the other) rather than merely the first of the pair.
        direction_known: bool,
        /// The fact as the source writes it ("1,200").
        before: String,
        /// The fact as the copy writes it ("2,500").
        after: String,
    },
}

/// The kind of fact a near-copy changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyChangeKind {
    /// A figure ("1,200 residents" to "2,500 residents").
    Figure,
    /// A name: a person, an office holder, an organisation or a place.
    Name,
    /// Words inside quotation marks.
    Quote,
}

/// One word-level edit between two versions of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "text")]
pub enum DiffSegment {
    /// Words in both.
    Equal(String),
    /// Words only in the second version.
    Insert(String),
    /// Words only in the first version.
    Delete(String),
}

/// A word-level comparison between two quotes of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteDiff {
    /// The first version.
    pub from: ClaimRef,
    /// The second version.
    pub to: ClaimRef,
    /// The edits turning `from` into `to`.
    pub segments: Vec<DiffSegment>,
}

/// Comparable claims from one or more articles, with a verdict and its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimGroup {
    /// What the claims are about.
    pub topic: Topic,
    /// The verdict.
    pub verdict: Verdict,
    /// One line a reader can check against the evidence.
    pub explanation: String,
    /// The claims compared.
    pub claims: Vec<ClaimRef>,
    /// The spans that support the verdict, in report order.
    pub evidence: Vec<Span>,
    /// Word-level differences for quote groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diffs: Vec<QuoteDiff>,
    /// Number of independent sources (near-duplicate copies count once).
    pub independent_sources: usize,
    /// The story the group belongs to.
    pub story: Option<usize>,
    /// How likely a reader checking the evidence finds the verdict right, from 0 to 1: the
    /// strength of the evidence for an alarm (how the claims were matched, how far apart they
    /// are, how much of a quote changed). Text and HTML reports show alarms from
    /// [`MIN_SHOWN_CONFIDENCE`]; JSON keeps every group. Reports from before it existed read
    /// as 1.
    #[serde(default = "certain")]
    pub confidence: f32,
}

/// The confidence from which text and HTML reports show an alarm unless asked for all.
pub const MIN_SHOWN_CONFIDENCE: f32 = 0.5;

fn certain() -> f32 {
    1.0
}

/// Everything one run produced: the contents of a JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Articles analysed, indexed by [`DocId`].
    pub articles: Vec<AnalyzedArticle>,
    /// Stories (groups of articles about one event).
    pub stories: Vec<Story>,
    /// Claim groups with verdicts, most important first.
    pub groups: Vec<ClaimGroup>,
    /// Inputs that could not be read or analysed.
    pub errors: Vec<InputError>,
    /// What produced the report, when the caller recorded it (absent in reports from before
    /// it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// What produced a report, so an archived report can be traced and re-run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The program ("corroborate").
    pub tool: String,
    /// Its version.
    pub version: String,
    /// When the run started, in UTC.
    pub generated_at: DateTime<Utc>,
    /// The inputs as given (paths, folders, URLs, `-` for standard input).
    pub inputs: Vec<String>,
    /// The knowledge bases merged for the run, in order: `built-in`, then each file as given.
    pub knowledge_bases: Vec<String>,
}

impl Analysis {
    /// The claim a reference points to, if it exists.
    pub fn claim(&self, r: ClaimRef) -> Option<&Claim> {
        self.articles.get(r.doc as usize)?.claims.get(r.claim)
    }

    /// The text a span covers, or an empty string if the span is invalid.
    pub fn quote(&self, span: Span) -> &str {
        self.articles
            .get(span.doc as usize)
            .map(|a| a.quote(span))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_slice_rejects_out_of_bounds_and_char_splits() {
        let text = "“Hi” there";
        assert_eq!(Span::new(0, TextRange::new(0, 3)).slice(text), Some("“"));
        assert_eq!(Span::new(0, TextRange::new(0, 2)).slice(text), None);
        assert_eq!(Span::new(0, TextRange::new(5, 99)).slice(text), None);
    }

    #[test]
    fn interval_overlap_and_infinite_bounds_round_trip_as_null() {
        let more_than_600 = Interval::at_least(600.0);
        assert!(more_than_600.overlaps(&Interval::exact(650.0)));
        assert!(!more_than_600.overlaps(&Interval::exact(550.0)));
        let json = serde_json::to_string(&more_than_600).unwrap();
        assert_eq!(json, r#"{"low":600.0,"high":null}"#);
        let back: Interval = serde_json::from_str(&json).unwrap();
        assert_eq!(back, more_than_600);
    }

    #[test]
    fn verdict_order_puts_conflicts_first() {
        let mut v = Verdict::ALL.to_vec();
        v.reverse();
        v.sort();
        assert_eq!(v, Verdict::ALL.to_vec());
    }

    #[test]
    fn verdict_keys_are_their_json_names_and_alarms_are_the_first_ten() {
        for verdict in Verdict::ALL {
            let json = serde_json::to_value(verdict).unwrap();
            assert_eq!(json.as_str(), Some(verdict.key()));
            assert_eq!(verdict.name(), verdict.key().replace('_', "-"));
            assert!(!verdict.description().is_empty());
        }
        let alarms: Vec<Verdict> = Verdict::ALL.into_iter().filter(Verdict::is_alarm).collect();
        assert_eq!(alarms, Verdict::ALL[..10]);
    }
}
