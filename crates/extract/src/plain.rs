//! Plain-text articles as they really come: an optional front-matter block, then perhaps a
//! headline, a deck, a date line and a by-line, then the body.
//!
//! Front matter is a block of `key: value` lines between two `---` lines at the very top:
//!
//! ```text
//! ---
//! outlet: The Harbour Gazette
//! title: Ferry strike enters second week
//! byline: Jane Roe
//! date: 2031-03-14
//! url: https://example.org/ferry
//! language: en
//! ---
//! Body text...
//! ```
//!
//! Every key is optional (`author` and `published` are accepted as synonyms), unknown keys are
//! ignored, and nothing is required. The block is flat `key: value` pairs only, which is why it
//! is read here rather than with a YAML library: a YAML parser would accept nested documents we
//! could not use and fail on unquoted colons that journalists write in titles.

use crate::dates::parse_date_line;
use corroborate_model::{Article, MetadataOrigin, PublishedDate, SourceRef, Span, TextRange};

/// Header lines longer than this are body text, not a headline or deck.
const MAX_HEADLINE_BYTES: usize = 220;

/// Metadata from a front-matter block.
#[derive(Debug, Default, PartialEq)]
struct FrontMatter {
    outlet: Option<String>,
    title: Option<String>,
    byline: Option<String>,
    date: Option<String>,
    url: Option<String>,
    language: Option<String>,
}

/// Splits a leading `---` block off `text`; returns the metadata and the rest.
fn split_front_matter(text: &str) -> (Option<FrontMatter>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    let Some(end) = rest.find("\n---") else {
        return (None, text);
    };
    let after = &rest[end + 4..];
    if !(after.is_empty() || after.starts_with('\n')) {
        return (None, text);
    }
    let mut fm = FrontMatter::default();
    for line in rest[..end].lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches('"').trim().to_string();
        if value.is_empty() {
            continue;
        }
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "outlet" | "source" | "site" | "publisher" => &mut fm.outlet,
            "title" | "headline" => &mut fm.title,
            "byline" | "author" | "authors" => &mut fm.byline,
            "date" | "published" => &mut fm.date,
            "url" => &mut fm.url,
            "language" | "lang" => &mut fm.language,
            _ => continue,
        };
        *slot = Some(value);
    }
    (Some(fm), after.strip_prefix('\n').unwrap_or(after))
}

/// A line of the text with its byte range.
struct Line<'a> {
    range: TextRange,
    text: &'a str,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let trimmed = body.trim();
        Line {
            range: TextRange::new(start + lead, start + lead + trimmed.len()),
            text: trimmed,
        }
    })
}

/// True for a line that reads as a headline or deck rather than a sentence of body text.
fn is_heading(line: &str) -> bool {
    line.len() <= MAX_HEADLINE_BYTES
        && !line.ends_with(['.', '!', '?', '"', '”', ':', ';', ','])
        && line.split_whitespace().count() >= 2
}

/// A by-line such as "By Jane Roe" or "By Jane Roe and John Doe, Reuters".
fn parse_byline(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
        .or_else(|| line.strip_prefix("by "))?;
    let words = rest.split_whitespace().count();
    let capitalised = rest.chars().next().is_some_and(char::is_uppercase);
    (capitalised && (1..=12).contains(&words) && !rest.ends_with('.')).then_some(rest.trim())
}

/// Builds an [`Article`] from decoded plain text. `stated_title` is a title the container
/// stated explicitly (a JSON record's `title`, a feed item's): like a front-matter title it
/// beats a headline guessed from the first lines, which in records is often an image caption.
pub fn article(source: SourceRef, text: &str, id: u32, stated_title: Option<&str>) -> Article {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let (front, body) = split_front_matter(&normalized);
    let text = body.to_string();
    let front = front.unwrap_or_default();

    let mut title = front
        .title
        .clone()
        .or_else(|| stated_title.map(str::to_string));
    let mut byline = front.byline.clone();
    let mut published = front.date.as_deref().and_then(|raw| {
        parse_date_line(raw).map(|date| PublishedDate {
            date,
            origin: MetadataOrigin::FrontMatter,
            raw: raw.to_string(),
            evidence: None,
        })
    });

    // Header lines: up to a few short lines before the first line of body text.
    let mut body_start = 0;
    let mut seen_title = false;
    let non_empty: Vec<Line> = lines(&text)
        .filter(|l| !l.text.is_empty())
        .take(5)
        .collect();
    for (i, line) in non_empty.iter().enumerate() {
        let is_last = i + 1 == non_empty.len();
        if let Some(date) = parse_date_line(line.text) {
            if published.is_none() {
                published = Some(PublishedDate {
                    date,
                    origin: MetadataOrigin::Text,
                    raw: line.text.to_string(),
                    evidence: Some(Span::new(id, line.range)),
                });
            }
        } else if let Some(name) = parse_byline(line.text) {
            byline.get_or_insert_with(|| name.to_string());
        } else if !is_last && is_heading(line.text) {
            if !seen_title {
                title.get_or_insert_with(|| line.text.to_string());
                seen_title = true;
            }
        } else {
            break;
        }
        body_start = line.range.end;
    }
    let body_start = text[body_start..]
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |skip| body_start + skip);

    Article {
        id,
        source,
        url: front.url,
        outlet: front.outlet,
        title,
        byline,
        published,
        language: front.language,
        text,
        body_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn parse(text: &str) -> Article {
        article(SourceRef::file("t.txt"), text, 3, None)
    }

    #[test]
    fn a_stated_title_beats_a_guessed_headline_but_the_header_is_still_skipped() {
        let text = "Firefighters at the pier at dawn\nThe harbour fire burned for six hours, officials said.\n";
        let guessed = parse(text);
        assert_eq!(
            guessed.title.as_deref(),
            Some("Firefighters at the pier at dawn")
        );
        let stated = article(
            SourceRef::file("r.jsonl"),
            text,
            3,
            Some("Harbour fire out"),
        );
        assert_eq!(stated.title.as_deref(), Some("Harbour fire out"));
        assert_eq!(stated.body_start, guessed.body_start);
        let front = "---\ntitle: From front matter\n---\nBody text of the story, told plainly.\n";
        let a = article(SourceRef::file("f.txt"), front, 3, Some("From the record"));
        assert_eq!(a.title.as_deref(), Some("From front matter"));
    }

    #[test]
    fn date_line_and_byline_before_the_body_are_recognised() {
        let a = parse("August 4, 2025\nBy Ayo Bello\nIn a rare move, officials spoke.\n");
        let date = a.published.clone().unwrap();
        assert_eq!(date.date, NaiveDate::from_ymd_opt(2025, 8, 4).unwrap());
        assert_eq!(date.origin, MetadataOrigin::Text);
        assert_eq!(
            date.evidence.unwrap().slice(&a.text),
            Some("August 4, 2025")
        );
        assert_eq!(a.byline.as_deref(), Some("Ayo Bello"));
        assert_eq!(a.title, None);
        assert!(a.text[a.body_start..].starts_with("In a rare move"));
    }

    #[test]
    fn headline_and_deck_are_header_but_a_body_first_article_has_no_title() {
        let a = parse(
            "Port Strike Ends After Nine Days\nDockers return to work\nThe strike ended on Monday.\nMore text.",
        );
        assert_eq!(a.title.as_deref(), Some("Port Strike Ends After Nine Days"));
        assert!(a.text[a.body_start..].starts_with("The strike ended"));

        let b = parse("The strike ended on Monday, officials said.\nSection Heading\nMore.");
        assert_eq!(b.title, None);
        assert_eq!(b.body_start, 0);
    }

    #[test]
    fn a_single_line_is_body_not_headline() {
        let a = parse("Only one line without a full stop");
        assert_eq!(a.title, None);
        assert_eq!(a.body_start, 0);
    }

    #[test]
    fn front_matter_supplies_metadata_and_is_not_part_of_the_text() {
        let a = parse(
            "---\noutlet: The Gazette\ntitle: \"Fire: a timeline\"\nauthor: Jane Roe\ndate: 2031-03-14\nmood: n/a\n---\nBody text.\r\nSecond line.",
        );
        assert_eq!(a.outlet.as_deref(), Some("The Gazette"));
        assert_eq!(a.title.as_deref(), Some("Fire: a timeline"));
        assert_eq!(a.byline.as_deref(), Some("Jane Roe"));
        assert_eq!(a.published.unwrap().origin, MetadataOrigin::FrontMatter);
        assert_eq!(a.text, "Body text.\nSecond line.");
    }

    #[test]
    fn unterminated_front_matter_is_ordinary_text() {
        let a = parse("---\ntitle: x\nBody.");
        assert_eq!(a.outlet, None);
        assert!(a.text.starts_with("---"));
    }

    #[test]
    fn leading_blank_lines_and_curly_quotes_keep_offsets_valid() {
        let a = parse("\n\n“Quoted” opening line.\n");
        assert_eq!(&a.text[a.body_start..a.body_start + 3], "“");
    }
}
