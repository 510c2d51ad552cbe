//! Builds analysed articles by hand for unit tests: naive sentences and name mentions.

use corroborate_model::{
    AnalyzedArticle, Article, Claim, ClaimKind, Entity, EntityKind, Mention, SourceRef, Span,
    TextRange,
};

/// An article with `text`, sentences split at ". " / "? " / "! " / new lines (not after
/// short capitalised abbreviations), and one entity per `(name, kind)` whose mentions are
/// every occurrence of the full name and, for people, of the last word of the name.
pub(crate) fn article(text: &str, names: &[(&str, EntityKind)]) -> AnalyzedArticle {
    let mut doc = AnalyzedArticle::new(Article {
        language: Some("en".into()),
        ..Article::from_text(7, SourceRef::file("test.txt"), text.to_string())
    });
    doc.sentences = sentences(text);
    let mut taken: Vec<TextRange> = Vec::new();
    for (id, (name, kind)) in names.iter().enumerate() {
        doc.entities.push(Entity {
            canonical: name.to_string(),
            kind: *kind,
            aliases: Vec::new(),
        });
        let mut forms = vec![name.to_string()];
        if *kind == EntityKind::Person
            && let Some(last) = name.split(' ').next_back()
            && last != *name
        {
            forms.push(last.to_string());
        }
        for form in forms {
            for (at, _) in text.match_indices(form.as_str()) {
                let range = TextRange::new(at, at + form.len());
                let boundary = text[range.end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
                    && text[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                if boundary
                    && !taken
                        .iter()
                        .any(|t| t.start < range.end && range.start < t.end)
                {
                    taken.push(range);
                    doc.mentions.push(Mention {
                        entity: id,
                        span: Span::new(7, range),
                    });
                }
            }
        }
    }
    doc.mentions.sort_by_key(|m| m.span.start);
    doc
}

fn sentences(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let boundary = match b {
            b'\n' => true,
            b'.' | b'?' | b'!' => {
                let word_start = text[..i]
                    .rfind(|c: char| !c.is_alphanumeric())
                    .map_or(0, |p| p + 1);
                let word = &text[word_start..i];
                let abbreviation = b == b'.'
                    && word.len() <= 3
                    && word.chars().next().is_some_and(char::is_uppercase);
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'"') {
                    j += 1;
                }
                if text[j..].starts_with('”') {
                    j += '”'.len_utf8();
                }
                let followed = text[j..].starts_with(' ') || j >= bytes.len();
                if !abbreviation && followed {
                    i = j - 1;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if boundary {
            let end = if b == b'\n' { i } else { i + 1 };
            if !text[start..end].trim().is_empty() {
                let lead = text[start..end].len() - text[start..end].trim_start().len();
                out.push(TextRange::new(start + lead, end));
            }
            start = i + 1;
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        let lead = text[start..].len() - text[start..].trim_start().len();
        out.push(TextRange::new(start + lead, text.len()));
    }
    out
}

/// Claims of one kind, in order.
pub(crate) fn of_kind<T>(claims: &[Claim], pick: impl Fn(&ClaimKind) -> Option<&T>) -> Vec<T>
where
    T: Clone,
{
    claims
        .iter()
        .filter_map(|c| pick(&c.kind))
        .cloned()
        .collect()
}
