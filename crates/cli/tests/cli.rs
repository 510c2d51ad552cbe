//! The `corroborate` binary end to end: exit codes, bad input, stdin, output formats.

use std::fs;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn corroborate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn examples() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/articles").to_string()
}

#[test]
fn analyze_examples_succeeds_with_a_plain_summary() {
    let out = corroborate(&["analyze", &examples()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("6 articles"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
}

#[test]
fn bad_inputs_are_reported_by_name_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(
        p("good.txt"),
        "The council approved 12 new buses on Monday, the mayor said.\n",
    )
    .unwrap();
    fs::write(p("latin1.txt"), b"Caf\xe9 owners protested on Monday.").unwrap();
    fs::write(p("empty.txt"), "").unwrap();
    fs::write(p("binary.txt"), [0x7f, b'E', b'L', b'F', 0, 1, 2, 0]).unwrap();
    fs::File::create(p("huge.txt"))
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    std::os::unix::fs::symlink(p("missing-target.txt"), p("dangling.txt")).unwrap();

    let out = corroborate(&["analyze", &dir.path().display().to_string(), "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code 1 when some inputs failed"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    for (file, reason) in [
        ("latin1.txt", "not valid UTF-8"),
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("huge.txt", "too large"),
        ("dangling.txt", "cannot"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no '{reason}' error for {file} in:\n{stderr}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["articles"].as_array().unwrap().len(), 1);
    assert_eq!(json["errors"].as_array().unwrap().len(), 5);
}

#[test]
fn nothing_readable_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    let out = corroborate(&["analyze", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article could be read"));
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .args(["extract", "-", "-f", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Storm Hits Coast\nBy Jo Park\nThe storm hit the coast on Monday.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["title"], "Storm Hits Coast");
    assert_eq!(record["byline"], "Jo Park");
    assert_eq!(record["source"], "-");
}

#[test]
fn html_report_escapes_hostile_article_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.txt");
    fs::write(
        &file,
        "---\noutlet: <script>alert('outlet')</script>\n---\nOfficials said \"<img src=x onerror=alert(1)>\" 40 times. <script>alert(2)</script>\n",
    )
    .unwrap();
    let out = corroborate(&["analyze", &file.display().to_string(), "-f", "html"]);
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(2)"),
        "article text must be escaped"
    );
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
}

#[test]
fn reports_record_version_time_inputs_and_knowledge_bases() {
    let kb = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kestrel-bay-kb.toml"
    );
    let out = corroborate(&["analyze", &examples(), "--kb", kb, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let provenance = &report["provenance"];
    assert_eq!(provenance["tool"], "corroborate");
    assert_eq!(provenance["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        provenance["generated_at"]
            .as_str()
            .is_some_and(|t| t.len() == 20 && t.ends_with('Z')),
        "{provenance}"
    );
    assert_eq!(provenance["inputs"], serde_json::json!([examples()]));
    assert_eq!(
        provenance["knowledge_bases"],
        serde_json::json!(["built-in", kb])
    );
    let text = String::from_utf8(corroborate(&["analyze", &examples()]).stdout).unwrap();
    assert!(text.contains(" UTC from "), "{text}");
}

#[test]
fn json_is_compact_in_a_pipe_and_pretty_when_asked() {
    let compact = corroborate(&["analyze", &examples(), "-f", "json"]);
    assert_eq!(String::from_utf8_lossy(&compact.stdout).lines().count(), 1);
    let pretty = corroborate(&["analyze", &examples(), "-f", "json", "--pretty"]);
    assert!(String::from_utf8_lossy(&pretty.stdout).lines().count() > 100);
    let a: serde_json::Value = serde_json::from_slice(&compact.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&pretty.stdout).unwrap();
    assert_eq!(a["groups"], b["groups"]);
}

#[test]
fn json_lines_stream_one_typed_object_per_line() {
    for command in ["analyze", "cluster"] {
        let out = corroborate(&[command, &examples(), "-f", "jsonl"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let text = String::from_utf8(out.stdout).unwrap();
        let kinds: Vec<String> = text
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                value["type"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(kinds[0], "run", "{command}");
        assert_eq!(kinds.iter().filter(|k| *k == "article").count(), 6);
        assert_eq!(kinds.iter().filter(|k| *k == "story").count(), 2);
        assert_eq!(
            kinds.iter().any(|k| k == "group"),
            command == "analyze",
            "{command}"
        );
    }
}

#[test]
fn the_output_extension_chooses_the_format_unless_f_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    for (name, starts) in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.json", "{\"schema_version\""),
        ("r.jsonl", "{\"type\":\"run\""),
        ("r.txt", "6 articles"),
    ] {
        let out = corroborate(&["analyze", &examples(), "-o", &path(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let written = fs::read_to_string(path(name)).unwrap();
        assert!(written.starts_with(starts), "{name}: {}", &written[..40]);
    }
    corroborate(&["analyze", &examples(), "-o", &path("x.html"), "-f", "text"]);
    assert!(
        fs::read_to_string(path("x.html"))
            .unwrap()
            .starts_with("6 articles")
    );
    corroborate(&["cluster", &examples(), "-o", &path("c.jsonl")]);
    assert!(
        fs::read_to_string(path("c.jsonl"))
            .unwrap()
            .starts_with("{\"type\":\"run\"")
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corroborate"))
        .args(["analyze", &examples(), "-f", "json", "--pretty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn input_files_list_paths_with_comments() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("urls.txt");
    let article = format!("{}/council-budget.txt", examples());
    fs::write(&list, format!("# one article\n\n{article}\n")).unwrap();
    let out = corroborate(&["extract", "-i", &list.display().to_string(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["source"], article);
    let missing = corroborate(&["analyze", "-i", "/nonexistent/urls.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the input list"));
}

#[test]
fn quiet_says_nothing_and_verbose_names_the_stages() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    let article = format!("{}/council-budget.txt", examples());
    let folder = dir.path().display().to_string();
    let quiet = corroborate(&["analyze", &article, &folder, "-q"]);
    assert_eq!(
        quiet.status.code(),
        Some(1),
        "a skipped input still shows in the status"
    );
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    let verbose = corroborate(&["analyze", &article, &folder, "-v"]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("s] clustering stories"), "{stderr}");
    assert!(stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("done in "), "{stderr}");
    // Not a terminal: no progress line.
    let plain = corroborate(&["analyze", &article]);
    assert_eq!(String::from_utf8_lossy(&plain.stderr), "");
}

#[test]
fn folders_skip_what_is_not_an_article_and_earlier_reports() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(
        p("story.txt"),
        "The council approved 12 new buses on Monday, the mayor said.\n",
    )
    .unwrap();
    fs::write(
        p("notes.md"),
        "The council approved 14 new buses, the mayor said.\n",
    )
    .unwrap();
    fs::write(p("tool.py"), "print('not an article')\n").unwrap();
    let folder = dir.path().display().to_string();
    let report = p("report.json").display().to_string();
    corroborate(&["analyze", &folder, "-o", &report]);
    let out = corroborate(&["analyze", &folder, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped 2 files that do not look like articles (see --include), 1 reports written by corroborate"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["articles"].as_array().unwrap().len(), 1);
    let out = corroborate(&[
        "analyze",
        &folder,
        "--include",
        "*.md",
        "--exclude",
        "story.*",
        "-f",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["articles"][0]["article"]["source"]["path"],
        p("notes.md").display().to_string()
    );
    let bad = corroborate(&["analyze", &folder, "--include", "a["]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn extract_and_cluster_fail_when_nothing_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    let folder = dir.path().display().to_string();
    for command in ["extract", "cluster"] {
        let out = corroborate(&[command, &folder]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("no article could be read"));
    }
}

#[test]
fn sizes_are_in_mib_in_help_and_errors() {
    let help = String::from_utf8(corroborate(&["analyze", "--help"]).stdout).unwrap();
    assert!(help.contains("--max-size <MiB>"), "{help}");
    assert!(!help.contains("megabytes"));
}
