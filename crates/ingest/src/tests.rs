use super::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use std::fs;
use std::io::Write;

fn collect(inputs: &[String]) -> Vec<Result<RawDocument, InputError>> {
    open(inputs, &IngestOptions::default()).collect()
}

fn describe(items: &[Result<RawDocument, InputError>]) -> Vec<String> {
    items
        .iter()
        .map(|r| match r {
            Ok(d) => format!("ok {} {:?}", d.source, d.format),
            Err(e) => format!("error {e}"),
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn stream(bytes: Vec<u8>, options: &IngestOptions) -> Vec<Result<RawDocument, InputError>> {
    read_stream(
        "in".to_string(),
        Box::new(std::io::Cursor::new(bytes)),
        options,
    )
    .collect()
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-06T07:08:09Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_html(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n{body}")
        .into_bytes()
}

fn response(n: usize) -> Vec<u8> {
    warc_record(
        "response",
        &format!("https://example.org/{n}"),
        "application/http; msgtype=response",
        &http_html(&format!("<html><body><p>Story {n}</p></body></html>")),
    )
}

#[test]
fn directories_are_walked_in_order_and_bad_entries_do_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("b.txt"), "Second article.").unwrap();
    fs::write(dir.path().join("sub/a.txt"), "Nested article.").unwrap();
    fs::write(dir.path().join("empty.txt"), "  \n").unwrap();
    fs::write(dir.path().join(".hidden"), "skipped").unwrap();
    let items = collect(&[dir.path().display().to_string()]);
    let root = dir.path().display().to_string();
    let names: Vec<String> = describe(&items)
        .into_iter()
        .map(|s| s.replace(&root, ""))
        .collect();
    assert_eq!(
        names,
        vec![
            "ok /b.txt PlainText",
            "error /empty.txt: empty file",
            "ok /sub/a.txt PlainText"
        ]
    );
}

#[test]
fn missing_and_oversized_files_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, "x".repeat(2000)).unwrap();
    let options = IngestOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let inputs = vec![big.display().to_string(), "/no/such/file.txt".to_string()];
    let errors: Vec<String> = open(&inputs, &options)
        .map(|r| r.unwrap_err().to_string())
        .collect();
    assert!(errors[0].contains("big.txt: too large"), "{}", errors[0]);
    let huge = too_large("huge.txt", 100 * MIB, 64 * MIB);
    assert_eq!(
        huge.reason,
        "too large (100 MiB or more; the limit is 64 MiB, see --max-size)"
    );
    assert!(
        errors[1].starts_with("/no/such/file.txt: cannot open"),
        "{}",
        errors[1]
    );
}

#[test]
fn formats_are_detected_from_content() {
    assert_eq!(detect_format(b"Headline\n\nBody."), InputFormat::PlainText);
    assert_eq!(
        detect_format(b"\xEF\xBB\xBF <!DOCTYPE html><html>"),
        InputFormat::Html
    );
    assert_eq!(
        detect_format(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
        InputFormat::Feed
    );
    assert_eq!(detect_format(b"WARC/1.1\r\n"), InputFormat::Warc);
    assert_eq!(detect_format(b"{\"title\": 1}"), InputFormat::JsonRecords);
}

#[test]
fn gzip_is_decompressed_and_truncated_gzip_is_an_error_naming_the_input() {
    let page = b"<html><body><p>Gzipped page</p></body></html>";
    let items = stream(gzip(page), &IngestOptions::default());
    let doc = items[0].as_ref().unwrap();
    assert_eq!(doc.format, InputFormat::Html);
    assert_eq!(doc.bytes, page);

    let long: Vec<u8> = (0..20_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let mut truncated = gzip(&long);
    truncated.truncate(truncated.len() / 2);
    let items = stream(truncated, &IngestOptions::default());
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(e.source, "in");
    assert!(
        e.reason.contains("truncated") || e.reason.contains("corrupt"),
        "{e}"
    );
}

#[test]
fn gzip_size_limit_applies_to_the_decompressed_size() {
    let options = IngestOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let items = stream(gzip(&[b'a'; 50_000]), &options);
    assert!(items[0].as_ref().unwrap_err().reason.contains("too large"));
}

#[test]
fn warc_responses_become_html_documents_and_other_records_are_counted() {
    let mut warc = warc_record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    );
    warc.extend(warc_record(
        "request",
        "https://example.org/0",
        "application/http; msgtype=request",
        b"GET / HTTP/1.1\r\n\r\n",
    ));
    warc.extend(response(0));
    warc.extend(warc_record(
        "response",
        "https://example.org/logo.png",
        "application/http; msgtype=response",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
    ));
    warc.extend(response(1));
    let options = IngestOptions::default();
    for bytes in [warc.clone(), gzip(&warc)] {
        let items = stream(bytes, &options);
        assert_eq!(describe(&items), vec!["ok in#2 Html", "ok in#4 Html"]);
        let doc = items[0].as_ref().unwrap();
        assert_eq!(doc.metadata.url.as_deref(), Some("https://example.org/0"));
        assert_eq!(doc.metadata.charset.as_deref(), Some("ISO-8859-1"));
        assert_eq!(
            doc.metadata.date, None,
            "crawl time is not publication time"
        );
        assert_eq!(doc.bytes, b"<html><body><p>Story 0</p></body></html>");
    }
    assert_eq!(options.stats.warc_non_response.load(Ordering::Relaxed), 4);
    assert_eq!(options.stats.warc_non_html.load(Ordering::Relaxed), 2);
    assert!(
        options
            .stats
            .summary()
            .unwrap()
            .contains("skipped 4 WARC records")
    );
}

#[test]
fn per_record_gzip_members_stream_like_common_crawl() {
    let mut bytes = Vec::new();
    for n in 0..3 {
        bytes.extend(gzip(&response(n)));
    }
    let items = stream(bytes, &IngestOptions::default());
    assert_eq!(
        describe(&items),
        vec!["ok in#0 Html", "ok in#1 Html", "ok in#2 Html"]
    );
}

#[test]
fn a_corrupt_record_in_the_middle_is_one_error_and_reading_resumes() {
    // Garbage header in the middle.
    let mut warc = response(0);
    warc.extend(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\ngarbage garbage\r\n\r\n",
    );
    warc.extend(response(2));
    let items = stream(warc, &IngestOptions::default());
    let seen = describe(&items);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0], "ok in#0 Html");
    assert!(
        seen[1].starts_with("error in#1: corrupt record header: bad Content-Length"),
        "{seen:?}"
    );
    assert!(seen[2].starts_with("ok in#"), "{seen:?}");

    // A Content-Length that runs into the next record.
    let mut record = response(0);
    let text = String::from_utf8(record.clone()).unwrap();
    let len: usize = text
        .split("Content-Length: ")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    record = text
        .replacen(
            &format!("Content-Length: {len}"),
            &format!("Content-Length: {}", len + 40),
            1,
        )
        .into_bytes();
    let mut warc = record;
    warc.extend(response(1));
    warc.extend(response(2));
    let seen = describe(&stream(warc, &IngestOptions::default()));
    assert!(
        seen[0].starts_with("error in#0: corrupt record"),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("ok in#2 Html"),
        "{seen:?}"
    );
    assert!(seen.iter().any(|s| s == "ok in#1 Html"), "{seen:?}");

    // A file that ends inside a record.
    let mut warc = response(0);
    let cut = response(1);
    warc.extend(&cut[..cut.len() - 20]);
    let seen = describe(&stream(warc, &IngestOptions::default()));
    assert_eq!(seen[0], "ok in#0 Html");
    assert!(
        seen[1].starts_with("error in#1: truncated record"),
        "{seen:?}"
    );
}

#[test]
fn a_truncated_gzip_warc_or_json_lines_stream_reports_once_and_ends() {
    let mut warc = Vec::new();
    for n in 0..40 {
        warc.extend(response(n));
    }
    let mut bytes = gzip(&warc);
    bytes.truncate(bytes.len() * 2 / 3);
    bytes.extend([0xAB; 64]);
    let items = stream(bytes, &IngestOptions::default());
    let errors = items.iter().filter(|i| i.is_err()).count();
    assert!(
        items.iter().filter(|i| i.is_ok()).count() > 5,
        "{:?}",
        describe(&items)
    );
    assert_eq!(errors, 1, "{:?}", describe(&items));

    let lines: String = (0..2000)
        .map(|i| format!("{{\"text\": \"Story {i}.\"}}\n"))
        .collect();
    let mut bytes = gzip(lines.as_bytes());
    bytes.truncate(bytes.len() / 2);
    let items = stream(bytes, &IngestOptions::default());
    assert_eq!(items.iter().filter(|i| i.is_err()).count(), 1);
}

#[test]
fn chunked_and_gzipped_http_payloads_are_decoded() {
    let body = b"<html><body><p>Chunky</p></body></html>";
    let gz = gzip(body);
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    http.extend(format!("{:x}\r\n", gz.len()).as_bytes());
    http.extend(&gz);
    http.extend(b"\r\n0\r\n\r\n");
    let warc = warc_record(
        "response",
        "https://e.org/",
        "application/http; msgtype=response",
        &http,
    );
    let items = stream(warc, &IngestOptions::default());
    assert_eq!(items[0].as_ref().unwrap().bytes, body);
}

#[test]
fn feed_items_become_documents_with_item_metadata() {
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Gazette</title><link>https://gazette.example/</link>
<item><title>Ferry strike ends</title><link>https://gazette.example/ferry</link>
<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><dc:creator>Jane Roe</dc:creator>
<description>Short teaser.</description>
<content:encoded><![CDATA[<p>The strike ended on Tuesday after talks.</p><p>Crews return on Monday.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://gazette.example/two</link><description>Only a teaser here.</description></item>
</channel></rss>"#;
    let items = stream(rss.as_bytes().to_vec(), &IngestOptions::default());
    assert_eq!(describe(&items), vec!["ok in#0 Html", "ok in#1 Html"]);
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.metadata.title.as_deref(), Some("Ferry strike ends"));
    assert_eq!(
        first.metadata.url.as_deref(),
        Some("https://gazette.example/ferry")
    );
    assert_eq!(first.metadata.outlet.as_deref(), Some("Harbour Gazette"));
    assert_eq!(first.metadata.authors, vec!["Jane Roe"]);
    assert!(
        first
            .metadata
            .date
            .as_deref()
            .unwrap()
            .starts_with("2025-03-04")
    );
    let body = String::from_utf8(first.bytes.clone()).unwrap();
    assert!(body.contains("Crews return on Monday."), "{body}");
    assert!(!body.contains("Short teaser"), "{body}");

    let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>T</title><id>x</id><updated>2025-01-02T00:00:00Z</updated><link href="https://a.example/t"/>
<author><name>Kim Lee</name></author><content type="html">&lt;p&gt;Full body.&lt;/p&gt;</content></entry></feed>"#;
    let items = stream(atom.as_bytes().to_vec(), &IngestOptions::default());
    let doc = items[0].as_ref().unwrap();
    assert_eq!(doc.metadata.authors, vec!["Kim Lee"]);
    assert!(String::from_utf8_lossy(&doc.bytes).contains("<p>Full body.</p>"));
}

#[test]
fn a_feed_that_is_not_xml_is_one_clear_error() {
    let options = IngestOptions {
        format: Some(InputFormat::Feed),
        ..Default::default()
    };
    let items = stream(b"<rss><channel><item><title>unclosed".to_vec(), &options);
    assert_eq!(items.len(), 1);
    assert!(
        items[0]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("not a readable RSS/Atom feed")
    );
    let items = stream(b"this is not xml at all".to_vec(), &options);
    assert!(items[0].as_ref().unwrap_err().reason.contains("feed"));
}

#[test]
fn json_lines_records_with_text_or_html_and_a_bad_line() {
    let lines = concat!(
        r#"{"url":"https://a.example/1","title":"One","maintext":"Body one.","date_publish":"2024-01-02 10:00:00","authors":["A B","C D"],"source_domain":"a.example"}"#,
        "\n",
        "{not json\n",
        "\n",
        r#"{"url":"https://a.example/3","html":"<html><body><p>Three</p></body></html>","author":"E F; G H"}"#,
        "\n",
        r#"{"url":"https://a.example/4"}"#,
        "\n"
    );
    let items = stream(lines.as_bytes().to_vec(), &IngestOptions::default());
    let seen = describe(&items);
    assert_eq!(seen[0], "ok in#0 PlainText");
    assert!(
        seen[1].starts_with("error in#1: line 2 is not valid JSON"),
        "{seen:?}"
    );
    assert_eq!(seen[2], "ok in#3 Html");
    assert!(seen[3].contains("no text or html field"), "{seen:?}");
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.bytes, b"Body one.");
    assert_eq!(first.metadata.authors, vec!["A B", "C D"]);
    assert_eq!(first.metadata.outlet.as_deref(), Some("a.example"));
    assert_eq!(first.metadata.date.as_deref(), Some("2024-01-02 10:00:00"));
    let third = items[2].as_ref().unwrap();
    assert_eq!(third.metadata.authors, vec!["E F", "G H"]);
}

#[test]
fn json_arrays_and_pretty_objects_are_read_whole() {
    let array = br#"[{"title":"A","text":"Alpha."},{"title":"B","text":"Beta."}]"#;
    assert_eq!(
        describe(&stream(array.to_vec(), &IngestOptions::default())),
        vec!["ok in#0 PlainText", "ok in#1 PlainText"]
    );
    let pretty = b"{\n  \"title\": \"A\",\n  \"text\": \"Alpha.\"\n}\n";
    assert_eq!(
        describe(&stream(pretty.to_vec(), &IngestOptions::default())),
        vec!["ok in PlainText"]
    );
}

/// A tiny HTTP server on 127.0.0.1 answering `count` connections according to the path.
fn serve(count: usize) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut request_line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let _ = match path.as_str() {
                "/page" => {
                    let body = b"<html><body><p>Caf\xe9</p></body></html>";
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    stream.write_all(&[head.as_bytes(), body].concat())
                }
                "/moved" => stream.write_all(
                    b"HTTP/1.1 302 Found\r\nLocation: /page\r\nContent-Length: 0\r\n\r\n",
                ),
                "/missing" => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
                "/slow" => {
                    std::thread::sleep(Duration::from_millis(1500));
                    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                }
                "/endless" => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>",
                    );
                    let chunk = [b'x'; 8192];
                    // Bounded: stops after 64 MB or when the client hangs up.
                    for _ in 0..8192 {
                        if stream.write_all(&chunk).is_err() {
                            break;
                        }
                    }
                    Ok(())
                }
                _ => Ok(()),
            };
        }
    });
    (base, handle)
}

#[test]
fn urls_are_fetched_from_a_local_server_with_redirects_errors_timeouts_and_limits() {
    let (base, server) = serve(6);
    let options = IngestOptions {
        url_timeout: Duration::from_millis(700),
        max_bytes: 100_000,
        ..Default::default()
    };
    let inputs: Vec<String> = ["/moved", "/missing", "/slow", "/endless", "/page"]
        .iter()
        .map(|p| format!("{base}{p}"))
        .collect();
    let items: Vec<_> = open(&inputs, &options).collect();
    assert_eq!(items.len(), 5);
    let moved = items[0].as_ref().unwrap();
    assert_eq!(moved.format, InputFormat::Html);
    assert_eq!(moved.metadata.charset.as_deref(), Some("windows-1252"));
    assert_eq!(moved.metadata.url.as_deref(), Some(inputs[0].as_str()));
    let missing = items[1].as_ref().unwrap_err();
    assert_eq!(missing.source, inputs[1]);
    assert!(missing.reason.contains("404"), "{missing}");
    let slow = items[2].as_ref().unwrap_err();
    assert!(slow.reason.contains("timed out"), "{slow}");
    let endless = items[3].as_ref().unwrap_err();
    assert!(
        endless.reason.contains("too large") || endless.reason.contains("timed out"),
        "{endless}"
    );
    assert!(items[4].is_ok());
    server.join().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        for format in [None, Some(InputFormat::Warc), Some(InputFormat::Feed), Some(InputFormat::JsonRecords)] {
            let options = IngestOptions { format, ..Default::default() };
            let _ = stream(bytes.clone(), &options);
        }
    }

    #[test]
    fn damaged_warc_never_panics_and_keeps_later_records(cut in 0usize..600, junk in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut warc = response(0);
        let cut = cut.min(warc.len());
        warc.splice(cut..cut, junk);
        warc.extend(response(1));
        let options = IngestOptions { format: Some(InputFormat::Warc), ..Default::default() };
        let items = stream(warc, &options);
        prop_assert!(items.iter().any(|i| i.as_ref().is_ok_and(|d| d.metadata.url.as_deref() == Some("https://example.org/1"))));
    }
}

#[test]
fn input_lists_skip_comments_and_blank_lines() {
    let list = "\u{feff}# seeds\nhttps://a.example/1\n\n  articles/b.txt  \n#https://skipped\n";
    assert_eq!(
        parse_input_list(list),
        vec![
            "https://a.example/1".to_string(),
            "articles/b.txt".to_string()
        ]
    );
    let missing = read_input_list(Path::new("/nonexistent/urls.txt")).unwrap_err();
    assert!(
        missing.reason.contains("cannot read the input list"),
        "{missing}"
    );
}

fn names(items: &[Result<RawDocument, InputError>], root: &Path) -> Vec<String> {
    let root = root.display().to_string();
    describe(items)
        .into_iter()
        .map(|s| s.replace(&root, ""))
        .collect()
}

#[test]
fn folders_read_what_looks_like_articles_and_globs_adjust_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::create_dir(p("drafts")).unwrap();
    for name in [
        "a.txt",
        "b.HTML",
        "c.py",
        "d.csv",
        "e.toml",
        "f.md",
        "g.warc.gz",
        "drafts/h.txt",
        "Makefile",
    ] {
        let body: &[u8] = if name.ends_with(".gz") {
            &[]
        } else {
            b"An article."
        };
        fs::write(p(name), body).unwrap();
    }
    fs::write(p("g.warc.gz"), gzip(&response(1))).unwrap();
    let root = vec![dir.path().display().to_string()];
    let options = IngestOptions::default();
    let items: Vec<_> = open(&root, &options).collect();
    assert_eq!(
        names(&items, dir.path()),
        vec![
            "ok /a.txt PlainText",
            "ok /b.HTML PlainText",
            "ok /drafts/h.txt PlainText",
            "ok /g.warc.gz#0 Html",
        ]
    );
    assert_eq!(options.stats.not_articles.load(Ordering::Relaxed), 5);
    let options = IngestOptions {
        files: FileFilter::new(&["*.md".into()], &["drafts/**".into(), "a.*".into()]).unwrap(),
        ..Default::default()
    };
    let items: Vec<_> = open(&root, &options).collect();
    assert_eq!(
        names(&items, dir.path()),
        vec![
            "ok /b.HTML PlainText",
            "ok /f.md PlainText",
            "ok /g.warc.gz#0 Html"
        ]
    );
    assert!(FileFilter::new(&["a[".into()], &[]).is_err());
}

#[test]
fn reports_corroborate_wrote_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(
        p("report.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"generator\" content=\"corroborate 0.1.0\"><title>x</title>",
    )
    .unwrap();
    fs::write(
        p("report.json"),
        "{\n  \"schema_version\": \"1.1\",\n  \"summary\": {}}",
    )
    .unwrap();
    fs::write(
        p("report.jsonl"),
        "{\"type\":\"run\",\"schema_version\":\"1.1\"}\n",
    )
    .unwrap();
    fs::write(p("story.html"), "<html><head><meta name=\"generator\" content=\"WordPress\"></head><body><p>Real.</p></body></html>").unwrap();
    let options = IngestOptions::default();
    let items: Vec<_> = open(&[dir.path().display().to_string()], &options).collect();
    assert_eq!(names(&items, dir.path()), vec!["ok /story.html Html"]);
    assert_eq!(options.stats.own_reports.load(Ordering::Relaxed), 3);
    assert!(
        options
            .stats
            .summary()
            .unwrap()
            .contains("3 reports written by corroborate")
    );
}

#[test]
fn links_are_followed_only_to_files_inside_the_folder() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "Outside the tree.").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::create_dir(p("sub")).unwrap();
    fs::write(p("sub/inside.txt"), "Inside the tree.").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), p("out.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p("outdir")).unwrap();
    std::os::unix::fs::symlink(p("sub/inside.txt"), p("alias.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path(), p("sub/loop")).unwrap();
    let options = IngestOptions::default();
    let items: Vec<_> = open(&[dir.path().display().to_string()], &options).collect();
    assert_eq!(
        names(&items, dir.path()),
        vec!["ok /alias.txt PlainText", "ok /sub/inside.txt PlainText"]
    );
    // out.txt leaves the tree; outdir and sub/loop have no article extension.
    assert_eq!(options.stats.links_not_followed.load(Ordering::Relaxed), 1);
}

#[test]
fn warc_error_responses_are_skipped_and_counted() {
    let not_found = warc_record(
        "response",
        "https://example.org/gone",
        "application/http; msgtype=response",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body>Not found</body></html>",
    );
    let mut warc = response(1);
    warc.extend(not_found);
    warc.extend(response(2));
    let options = IngestOptions::default();
    let items = stream(warc, &options);
    assert_eq!(describe(&items), vec!["ok in#0 Html", "ok in#2 Html"]);
    assert_eq!(options.stats.warc_not_ok.load(Ordering::Relaxed), 1);
    assert_eq!(
        options.stats.summary().as_deref(),
        Some("skipped 1 WARC responses with a status other than 2xx")
    );
}
