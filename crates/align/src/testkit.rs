//! Builds analysed articles by hand for tests: write the text, then point claims at phrases.

use corroborate_model::{
    AnalyzedArticle, Article, Claim, ClaimKind, Counted, DocId, Entity, EntityKind, Interval,
    Mention, MetadataOrigin, NearDuplicate, Office, OfficeHolder, Precision, PublishedDate,
    Quantity, QuantityUnit, Quote, SourceRef, Span, Speaker, Story, Tenure, TextRange,
    TimeExpression, TimeValue,
};

/// An article under construction.
pub(crate) struct ArticleBuilder {
    a: AnalyzedArticle,
}

/// How a test quote is attributed.
pub(crate) enum By<'a> {
    Person(&'a str),
    Document(&'a str),
    Nobody,
}

/// A counted thing: (phrase as written, head, modifiers, predicate).
pub(crate) struct Thing<'a> {
    pub phrase: &'a str,
    pub head: &'a str,
    pub modifiers: &'a [&'a str],
    pub predicate: Option<&'a str>,
}

impl ArticleBuilder {
    pub(crate) fn new(id: DocId, outlet: &str, text: &str) -> Self {
        Self {
            a: AnalyzedArticle::new(Article {
                outlet: (!outlet.is_empty()).then(|| outlet.to_string()),
                language: Some("en".into()),
                ..Article::from_text(
                    id,
                    SourceRef::file(format!("/corpus/{id:03}.txt")),
                    text.to_string(),
                )
            }),
        }
    }

    /// The span of the first occurrence of `needle`.
    pub(crate) fn span(&self, needle: &str) -> Span {
        let start = self
            .a
            .article
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in article {}", self.a.article.id));
        Span::new(
            self.a.article.id,
            TextRange::new(start, start + needle.len()),
        )
    }

    fn entity(&mut self, name: &str, kind: EntityKind) -> usize {
        if let Some(i) = self.a.entities.iter().position(|e| e.canonical == name) {
            return i;
        }
        self.a.entities.push(Entity {
            canonical: name.to_string(),
            kind,
            aliases: Vec::new(),
        });
        self.a.entities.len() - 1
    }

    fn push(&mut self, kind: ClaimKind) {
        let evidence = Span::new(
            self.a.article.id,
            TextRange::new(0, self.a.article.text.len()),
        );
        self.a.claims.push(Claim { evidence, kind });
    }

    /// A quantity written as `number`, counting `thing`.
    pub(crate) fn quantity(
        mut self,
        number: &str,
        value: Interval,
        precision: Precision,
        unit: QuantityUnit,
        thing: Thing<'_>,
    ) -> Self {
        let counted = Counted {
            phrase: thing.phrase.to_string(),
            head: thing.head.to_string(),
            modifiers: thing.modifiers.iter().map(|m| m.to_string()).collect(),
            predicate: thing.predicate.map(str::to_string),
            span: self.span(thing.phrase),
        };
        let number = self.span(number);
        self.push(ClaimKind::Quantity(Quantity {
            value,
            precision,
            unit,
            counted: Some(counted),
            number,
            year: None,
        }));
        self
    }

    /// `person` (named as written in the text) holds `title` of `org`.
    pub(crate) fn holder(
        mut self,
        person: &str,
        canonical: &str,
        office_text: &str,
        title: &str,
        org: Option<&str>,
        tenure: Tenure,
    ) -> Self {
        let entity = self.entity(canonical, EntityKind::Person);
        let holder = OfficeHolder {
            person: entity,
            person_span: self.span(person),
            office: Office {
                title: title.to_string(),
                org: org.map(str::to_string),
            },
            office_span: self.span(office_text),
            tenure,
            historical: false,
        };
        self.push(ClaimKind::OfficeHolder(holder));
        self
    }

    /// A quotation of `content`, attributed `by`, with an optional cue.
    pub(crate) fn quote(mut self, content: &str, by: By<'_>, cue: Option<&str>) -> Self {
        let content = self.span(content);
        let speaker = match by {
            By::Person(name) => {
                let span = self.span(name);
                Some(Speaker::Entity {
                    entity: self.entity(name, EntityKind::Person),
                    span,
                })
            }
            By::Document(description) => Some(Speaker::Document {
                description: description.to_lowercase(),
                span: self.span(description),
            }),
            By::Nobody => None,
        };
        let cue = cue.map(|c| self.span(c));
        self.push(ClaimKind::Quote(Quote {
            content,
            speaker,
            cue,
            marked_paraphrase: false,
        }));
        self
    }

    /// A date claim for `written`, the days `earliest` to `latest` (YYYY-MM-DD), with the
    /// sentence it stands in as evidence.
    pub(crate) fn date(mut self, written: &str, earliest: &str, latest: &str) -> Self {
        let span = self.span(written);
        let text = &self.a.article.text;
        let start = text[..span.start].rfind(". ").map_or(0, |i| i + 2);
        let end = text[span.end..]
            .find(". ")
            .map_or(text.len(), |i| span.end + i + 1);
        self.a.claims.push(Claim {
            evidence: Span::new(self.a.article.id, TextRange::new(start, end)),
            kind: ClaimKind::Time(TimeExpression {
                value: TimeValue::Date {
                    earliest: earliest.parse().expect("a YYYY-MM-DD date"),
                    latest: latest.parse().expect("a YYYY-MM-DD date"),
                },
                about: None,
                span,
                publication: None,
            }),
        });
        self
    }

    /// Published on `date` (YYYY-MM-DD), as its metadata says.
    pub(crate) fn published(mut self, date: &str) -> Self {
        self.a.article.published = Some(PublishedDate {
            date: date.parse().expect("a YYYY-MM-DD date"),
            origin: MetadataOrigin::MetaTag,
            raw: date.to_string(),
            evidence: None,
        });
        self
    }

    /// `name` (its first occurrence) is a mention of an entity of `kind`.
    pub(crate) fn mention(mut self, name: &str, kind: EntityKind) -> Self {
        let entity = self.entity(name, kind);
        let span = self.span(name);
        self.a.mentions.push(Mention { entity, span });
        self
    }

    /// Marks each of `parts` (as written in the text) as a sentence.
    pub(crate) fn sentences(mut self, parts: &[&str]) -> Self {
        for part in parts {
            let range = self.span(part).range();
            self.a.sentences.push(range);
        }
        self
    }

    pub(crate) fn build(self) -> AnalyzedArticle {
        self.a
    }
}

/// A story of `docs` where each pair in `copies` is a near-duplicate.
pub(crate) fn story(id: usize, docs: &[DocId], copies: &[(DocId, DocId)]) -> Story {
    Story {
        id,
        label: format!("story {id}"),
        docs: docs.to_vec(),
        near_duplicates: copies
            .iter()
            .map(|&(a, b)| NearDuplicate {
                a,
                b,
                similarity: 0.95,
                likely_source: None,
                shared: Vec::new(),
            })
            .collect(),
    }
}
