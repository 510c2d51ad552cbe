//! Decoding HTML bytes to text, by the rules browsers use, with `encoding_rs`.
//!
//! Order: a byte-order mark wins; then the charset the transport declared (HTTP `Content-Type`,
//! passed in by the container); then a `<meta charset>` / `<meta http-equiv>` declaration in the
//! first 4 KB; then UTF-8 if the bytes are valid UTF-8; else windows-1252 (what browsers assume
//! for unlabelled Western pages). Mislabelled pages are common: a page declared as a single-byte
//! charset whose bytes are valid UTF-8 with non-ASCII sequences is decoded as UTF-8, and a page
//! declared UTF-8 whose bytes are not is decoded as windows-1252 rather than filled with
//! replacement characters.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Decodes `bytes`, returning the text and the name of the encoding used.
pub fn decode_html(bytes: &[u8], declared: Option<&str>) -> (String, &'static str) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), encoding.name());
    }
    let label = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let encoding = match label {
        // UTF-16 labels inside an 8-bit document are wrong by definition (HTML spec).
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) if e == UTF_8 && !valid_utf8 => WINDOWS_1252,
        Some(e) if e != UTF_8 && valid_utf8 && !bytes.is_ascii() && e.is_single_byte() => UTF_8,
        Some(e) => e,
        None if valid_utf8 => UTF_8,
        None => WINDOWS_1252,
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding.name())
}

/// The encoding named by a `<meta>` declaration near the top of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(pos) = find(tag, b"charset=") {
            let value: Vec<u8> = tag[pos + 8..]
                .iter()
                .skip_while(|b| **b == b'"' || **b == b'\'' || b.is_ascii_whitespace())
                .take_while(|b| {
                    b.is_ascii_alphanumeric() || matches!(**b, b'-' | b'_' | b':' | b'.')
                })
                .copied()
                .collect();
            if let Some(encoding) = Encoding::for_label(&value) {
                return Some(encoding);
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_beats_every_declaration() {
        let mut bytes = b"\xEF\xBB\xBF<meta charset=\"iso-8859-1\">".to_vec();
        bytes.extend("Café".as_bytes());
        let (text, name) = decode_html(&bytes, Some("windows-1252"));
        assert!(text.ends_with("Café"));
        assert_eq!(name, "UTF-8");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<p>Ünïcode</p>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_html(&utf16, None).0, "<p>Ünïcode</p>");
    }

    #[test]
    fn http_then_meta_declarations_are_honoured() {
        let latin1 = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>Caf\xe9</body></html>";
        assert!(decode_html(latin1, None).0.contains("Café"));
        let koi8 = b"<meta charset=koi8-r><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
        assert!(decode_html(koi8, None).0.contains("Привет"));
        let sjis = b"<p>\x93\xfa\x96\x7b</p>";
        assert!(decode_html(sjis, Some("Shift_JIS")).0.contains("日本"));
    }

    #[test]
    fn mislabelled_pages_fall_back_sensibly() {
        // Declared Latin-1, really UTF-8.
        let bytes = "<meta charset=\"iso-8859-1\"><p>“Quoted” café</p>".as_bytes();
        assert!(decode_html(bytes, None).0.contains("“Quoted” café"));
        // Declared UTF-8, really windows-1252 (curly quotes 0x93/0x94).
        let bytes = b"<meta charset=\"utf-8\"><p>\x93Quoted\x94 caf\xe9</p>";
        assert!(decode_html(bytes, None).0.contains("“Quoted” café"));
        // Unlabelled, not UTF-8.
        assert!(decode_html(b"<p>na\xefve</p>", None).0.contains("naïve"));
        // Unknown label.
        assert!(
            decode_html("<p>é</p>".as_bytes(), Some("x-nonsense"))
                .0
                .contains('é')
        );
    }
}
