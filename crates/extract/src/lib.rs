//! Turns a [`RawDocument`] into an [`Article`]: main text plus outlet, title, by-line, date and
//! language.
//!
//! [`extract`] decodes the bytes, dispatches on [`InputFormat`] to a reader for that format
//! (plain text in [`plain`]; HTML pages in [`html`], decoded by [`charset`], metadata by
//! [`htmlmeta`]), and fills in what the container already knew ([`RawDocument::metadata`]:
//! feed item, WARC record, JSON record) where the content did not say. Containers themselves
//! (feeds, WARC, JSON records) are split into documents by `corroborate_ingest`.
//!
//! ```
//! use corroborate_model::{InputFormat, RawDocument, RecordMetadata, SourceRef};
//! let raw = RawDocument {
//!     source: SourceRef::file("a.txt"),
//!     format: InputFormat::PlainText,
//!     bytes: b"August 4, 2025\nBy Jo Park\nThe council voted.".to_vec(),
//!     metadata: RecordMetadata::default(),
//! };
//! let article = corroborate_extract::extract(raw, 0).unwrap();
//! assert_eq!(article.byline.as_deref(), Some("Jo Park"));
//! ```

pub mod charset;
pub mod dates;
pub mod html;
pub mod htmlmeta;
pub mod plain;

pub use html::Engine;

use corroborate_model::{
    Article, DocId, InputError, InputFormat, MetadataOrigin, PublishedDate, RawDocument,
};

/// How documents are extracted.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions {
    /// Main-content extractor for HTML pages.
    pub engine: Engine,
}

/// Extracts the article in `raw`, numbering it `id`.
pub fn extract(raw: RawDocument, id: DocId) -> Result<Article, InputError> {
    extract_with(raw, id, &ExtractOptions::default())
}

/// [`extract`] with a choice of HTML extractor (used to compare extractors on test pages).
pub fn extract_with(
    raw: RawDocument,
    id: DocId,
    options: &ExtractOptions,
) -> Result<Article, InputError> {
    let mut article = match raw.format {
        InputFormat::PlainText => {
            let text =
                decode_text(&raw.bytes).map_err(|reason| InputError::new(&raw.source, reason))?;
            plain::article(raw.source.clone(), &text, id, raw.metadata.title.as_deref())
        }
        InputFormat::Html => {
            // The latest calendar day that has begun anywhere (UTC+14): a page dated in its
            // own zone can be a day ahead of UTC, but never ahead of this.
            let today = (chrono::Utc::now() + chrono::Duration::hours(14)).date_naive();
            html::article(
                raw.source.clone(),
                &raw.bytes,
                &raw.metadata,
                id,
                options.engine,
                today,
            )
            .map_err(|reason| InputError::new(&raw.source, reason))?
        }
        other => {
            return Err(InputError::new(
                &raw.source,
                format!(
                    "{other:?} is a container: read it with corroborate_ingest::open, which splits it into articles"
                ),
            ));
        }
    };
    apply_container_metadata(&mut article, &raw);
    if article.text.trim().is_empty() {
        return Err(InputError::new(&raw.source, "no article text found"));
    }
    if article.language.is_none() {
        article.language = detect_language(&article.text);
    }
    Ok(article)
}

/// Decodes plain text: UTF-8 (with or without BOM) or UTF-16 with a BOM. Anything else is an
/// error naming the first bad byte, because silently replacing characters would corrupt quotes.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not text".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(format!(
            "not valid UTF-8 (first invalid byte at offset {}); convert the file to UTF-8",
            e.valid_up_to()
        )),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| format!("invalid UTF-16: {e}"))
}

/// Fills fields the content left empty from what the container (feed, WARC, record) said.
fn apply_container_metadata(article: &mut Article, raw: &RawDocument) {
    let meta = &raw.metadata;
    if article.url.is_none() {
        article.url = meta.url.clone();
    }
    if article.outlet.is_none() {
        article.outlet = meta.outlet.clone();
    }
    if article.title.is_none() {
        article.title = meta.title.clone();
    }
    if article.byline.is_none() && !meta.authors.is_empty() {
        article.byline = Some(meta.authors.join(", "));
    }
    if article.published.is_none() {
        article.published = meta.date.as_deref().and_then(|raw| {
            dates::parse_date_line(raw).map(|date| PublishedDate {
                date,
                origin: MetadataOrigin::Container,
                raw: raw.to_string(),
                evidence: None,
            })
        });
    }
}

/// ISO 639-1 code of the text's language, when whatlang is confident (on the first 2,000
/// characters: shorter samples were faster but left more texts undetected, 868 instead of 342
/// of the 10,000 benchmark articles at 600 characters).
fn detect_language(text: &str) -> Option<String> {
    let sample = match text.char_indices().nth(2000) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    let info = whatlang::detect(sample).filter(|i| i.is_reliable())?;
    let code = info.lang().code();
    // whatlang names two languages by a member of a macrolanguage, which has no 639-1 code.
    let code = match code {
        "cmn" => "zho",
        "pes" => "fas",
        other => other,
    };
    let lang = isolang::Language::from_639_3(code)?;
    Some(lang.to_639_1().unwrap_or(code).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use corroborate_model::{RecordMetadata, SourceRef};

    fn raw(bytes: &[u8]) -> RawDocument {
        RawDocument {
            source: SourceRef::file("in.txt"),
            format: InputFormat::PlainText,
            bytes: bytes.to_vec(),
            metadata: RecordMetadata::default(),
        }
    }

    #[test]
    fn detected_languages_are_two_letter_codes() {
        let zh = "北京市政府今天宣布，从下个月开始，全市所有公交车将免费为六十五岁以上的老年人提供服务。市民对此表示欢迎，认为这项政策会让老人出行更加方便。";
        let fa = "دولت امروز اعلام کرد که از ماه آینده همه اتوبوس‌های شهری برای سالمندان رایگان خواهد بود و مردم از این تصمیم استقبال کردند.";
        let en = "The city council voted on Tuesday to close the old harbour bridge for repairs, and the mayor said the work would take most of the summer.";
        assert_eq!(detect_language(zh).as_deref(), Some("zh"));
        assert_eq!(detect_language(fa).as_deref(), Some("fa"));
        assert_eq!(detect_language(en).as_deref(), Some("en"));
    }

    #[test]
    fn invalid_utf8_and_binary_are_errors_naming_the_file() {
        let e = extract(raw(b"caf\xE9 au lait"), 0).unwrap_err();
        assert_eq!(e.source, "in.txt");
        assert!(e.reason.contains("not valid UTF-8"), "{}", e.reason);
        let e = extract(raw(b"\x7fELF\x00\x01"), 0).unwrap_err();
        assert!(e.reason.contains("binary"), "{}", e.reason);
    }

    #[test]
    fn boms_are_honoured() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Hello “world”.".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(extract(raw(&utf16), 0).unwrap().text, "Hello “world”.");
        assert_eq!(extract(raw(b"\xEF\xBB\xBFHi."), 0).unwrap().text, "Hi.");
    }

    #[test]
    fn english_is_detected() {
        let a = extract(raw(b"The council voted on Tuesday to close the old harbour bridge for repairs, officials said."), 0).unwrap();
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn container_metadata_fills_gaps_only() {
        let mut r = raw(b"Body of the story.");
        r.metadata.title = Some("From feed".into());
        r.metadata.authors = vec!["A. B.".into(), "C. D.".into()];
        r.metadata.date = Some("2024-01-02T03:04:05Z".into());
        let a = extract(r, 0).unwrap();
        assert_eq!(a.title.as_deref(), Some("From feed"));
        assert_eq!(a.byline.as_deref(), Some("A. B., C. D."));
        assert_eq!(a.published.unwrap().origin, MetadataOrigin::Container);
    }
}
