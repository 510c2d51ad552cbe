//! The server end to end: real servers on ephemeral loopback ports, real HTTP.

#[allow(dead_code)]
mod common;

use common::TestServer;
use corroborate_server::ServeOptions;
use corroborate_server::storage::Storage;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

/// A group as both front ends can describe it: documents named by file name.
type GroupKey = (String, String, String, Vec<(String, usize, usize)>);

/// Uploads the example corpus in the CLI's order and checks that the server's groups and
/// verdicts are the CLI's; with `late`, the last article arrives after the rest are aligned.
fn same_groups_as_the_cli(server: &TestServer, late: bool) {
    let config = corroborate::Config::default();
    let cli = corroborate::analyze(&[examples().display().to_string()], &config);
    assert!(cli.groups.len() > 5, "the example corpus has groups");
    let file_name = |path: &str| {
        Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string()
    };
    let mut files: Vec<String> = Vec::new();
    for a in &cli.articles {
        if !files.contains(&a.article.source.path) {
            files.push(a.article.source.path.clone());
        }
    }
    for (i, path) in files.iter().enumerate() {
        if late && i + 1 == files.len() {
            server.idle();
            let before = server.get("/api/stories?limit=500").json();
            assert!(!before["items"].as_array().unwrap().is_empty());
        }
        let bytes = std::fs::read(path).unwrap();
        let reply = server.upload("/api/uploads", &[(&file_name(path), &bytes)]);
        assert_eq!(reply.status, 202, "{}", reply.body);
    }
    server.idle();

    let expected: Vec<GroupKey> = {
        let mut v: Vec<GroupKey> = cli
            .groups
            .iter()
            .map(|g| {
                (
                    g.verdict.name().to_string(),
                    serde_json::to_string(&g.topic).unwrap(),
                    g.explanation.clone(),
                    g.evidence
                        .iter()
                        .map(|s| {
                            let path = &cli.articles[s.doc as usize].article.source.path;
                            (file_name(path), s.start, s.end)
                        })
                        .collect(),
                )
            })
            .collect();
        v.sort();
        v
    };

    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let articles = server.get("/api/articles?limit=500").json();
    for a in articles["items"].as_array().unwrap() {
        let id = a["id"].as_i64().unwrap();
        let detail = server.get(&format!("/api/articles/{id}")).json();
        names.insert(
            id,
            detail["article"]["article"]["source"]["path"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let stories = server.get("/api/stories?limit=500").json();
    assert_eq!(
        stories["items"].as_array().unwrap().len(),
        cli.stories.len()
    );
    let mut actual: Vec<GroupKey> = Vec::new();
    for s in stories["items"].as_array().unwrap() {
        let story = server.get(&format!("/api/stories/{}", s["id"])).json();
        for g in story["groups"].as_array().unwrap() {
            actual.push((
                g["verdict"].as_str().unwrap().replace('_', "-"),
                serde_json::to_string(&g["topic"]).unwrap(),
                g["explanation"].as_str().unwrap().to_string(),
                g["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            names[&e["doc"].as_i64().unwrap()].clone(),
                            e["start"].as_u64().unwrap() as usize,
                            e["end"].as_u64().unwrap() as usize,
                        )
                    })
                    .collect(),
            ));
        }
    }
    actual.sort();
    // Topic JSON from the model and from the stored group must serialise alike.
    let normalise = |v: Vec<GroupKey>| -> Vec<GroupKey> {
        let mut v: Vec<GroupKey> = v
            .into_iter()
            .map(|(a, t, e, ev)| {
                let t: Value = serde_json::from_str(&t).unwrap();
                (a, t.to_string(), e, ev)
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(normalise(actual), normalise(expected));
}

#[test]
fn server_gives_the_cli_groups_and_verdicts_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    same_groups_as_the_cli(&server, false);

    // Uploading the corpus again stores nothing new.
    let bytes = std::fs::read(examples().join("council-budget.txt")).unwrap();
    server.upload("/api/uploads", &[("council-budget.txt", &bytes)]);
    server.idle();
    let queue = server.get("/api/ingest?limit=1").json();
    assert_eq!(queue["items"][0]["state"], "done");
    assert_eq!(queue["items"][0]["articles"], 0);
    server.shutdown();
}

#[test]
fn server_gives_the_cli_groups_and_verdicts_postgres() {
    let Some((store, _schema)) = common::postgres("server on PostgreSQL") else {
        return;
    };
    let mut options = ServeOptions::new("unused");
    options.listen = "127.0.0.1:0".parse().unwrap();
    let server = TestServer::start(options, Some(Arc::new(store) as Arc<dyn Storage>));
    same_groups_as_the_cli(&server, true);
    let search = server.get("/api/stories?q=firefighters").json();
    assert_eq!(search["items"].as_array().unwrap().len(), 1);
    server.shutdown();
}

#[test]
fn a_late_article_on_a_large_store_realigns_only_its_neighbourhood() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = ServeOptions::new(dir.path());
    options.listen = "127.0.0.1:0".parse().unwrap();
    // As on a store past the whole-run size: only changed neighbourhoods are aligned.
    options.align_whole_below = 0;
    let server = TestServer::start(options, None);
    let metric = |server: &TestServer, name: &str| -> u64 {
        let metrics = server.get("/metrics").body;
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .map(|v| v.trim().parse().unwrap())
            .unwrap()
    };
    let fire = examples().join("harbour-fire");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fire)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let reply = server.upload("/api/uploads", &[(&name, &std::fs::read(path).unwrap())]);
        assert_eq!(reply.status, 202, "{}", reply.body);
    }
    server.idle();
    let fire_story = server.get("/api/stories?q=firefighters").json()["items"][0].clone();
    let fire_before = server
        .get(&format!("/api/stories/{}", fire_story["id"]))
        .json();
    let aligned_before = metric(&server, "corroborate_aligned_articles_total");
    let match_report = "Riverton United beat Harlow Athletic 3-1 in the cup final at Ember Park \
                        on Sunday, with two goals from striker Tomasz Wielki.";
    let reply = server.post(
        "/api/articles",
        "application/json",
        &record(
            "https://sport.example/final",
            "United win the cup",
            match_report,
        ),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    server.idle();
    assert_eq!(
        metric(&server, "corroborate_aligned_articles_total") - aligned_before,
        1,
        "an unrelated article is a neighbourhood of its own: the fire story is not re-aligned"
    );
    let fire_after = server
        .get(&format!("/api/stories/{}", fire_story["id"]))
        .json();
    assert_eq!(fire_after, fire_before);

    // A later report of the fire joins the fire's neighbourhood and story.
    let text = "Firefighters fought the blaze at the Kestrel Bay harbour warehouses through the \
                night, the port authority said, and the port stayed closed on Saturday.";
    let reply = server.post(
        "/api/articles",
        "application/json",
        &record(
            "https://late.example/fire",
            "Kestrel Bay harbour fire",
            text,
        ),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    server.idle();
    let grew = metric(&server, "corroborate_aligned_articles_total") - aligned_before - 1;
    assert!(
        (2..=files.len() as u64 + 1).contains(&grew),
        "only the fire neighbourhood was aligned: {grew}"
    );
    let stories = server.get("/api/stories?limit=500").json();
    let placed: i64 = stories["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_i64().unwrap())
        .sum();
    assert_eq!(
        placed,
        files.len() as i64 + 2,
        "every article is in one story"
    );
    let late = server.get("/api/articles?limit=1").json()["items"][0].clone();
    let joined = late["story"].as_i64().unwrap();
    let story = server.get(&format!("/api/stories/{joined}")).json();
    assert!(story["story"]["articles"].as_i64().unwrap() > 1, "{story}");
    assert_eq!(
        joined,
        fire_story["id"].as_i64().unwrap(),
        "the fire story keeps its id when a report joins it and it is re-aligned"
    );
    server.shutdown();
}

#[test]
fn a_merged_story_id_leads_to_the_story_it_joined() {
    use corroborate_server::storage::{NewArticle, Results, StoryRow, StorySummary};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), false);
    let store = server.server().store();
    let article = |hash: &str, text: &str| NewArticle {
        url: None,
        content_hash: hash.into(),
        outlet: Some("The Courier".into()),
        title: Some("Harbour fire".into()),
        published: None,
        text: text.into(),
        analyzed: "{}".into(),
        queue_id: 1,
    };
    let id = |stored| match stored {
        corroborate_server::storage::Stored::New(id) => id,
        other => panic!("{other:?}"),
    };
    let first = id(store
        .store_article(&article("a", "Fire at the harbour."))
        .unwrap());
    let second = id(store
        .store_article(&article("b", "The harbour burned."))
        .unwrap());
    let story = |id: i64, articles: Vec<i64>| StoryRow {
        summary: StorySummary {
            id,
            label: "harbour fire".into(),
            articles: articles.len() as i64,
            outlets: vec!["The Courier".into()],
            groups: 0,
            disputed: 0,
            verdicts: vec![],
            newest: *articles.iter().max().unwrap(),
            first_published: None,
            last_published: None,
        },
        articles,
    };
    let apart = Results {
        stories: vec![story(first, vec![first]), story(second, vec![second])],
        ..Default::default()
    };
    // Written behind the server's back, as another server on the same database would: the
    // server sees it within its poll of the alignment count.
    store.replace_stories(&[first, second], &apart).unwrap();
    wait_for("the stories to show", || {
        server.get(&format!("/stories/{second}")).status == 200
    });
    let before = server.get(&format!("/api/stories/{first}"));
    let merged = Results {
        stories: vec![story(first, vec![first, second])],
        groups: vec![],
        moved: vec![(second, first)],
    };
    store.replace_stories(&[first, second], &merged).unwrap();
    wait_for("the merge to show", || {
        server.get(&format!("/api/stories/{second}")).status == 308
    });
    for prefix in ["/stories/", "/api/stories/"] {
        let reply = server.get(&format!("{prefix}{second}"));
        assert_eq!(reply.status, 308, "{prefix}: {}", reply.body);
        assert_eq!(reply.location, Some(format!("{prefix}{first}")));
    }
    // The re-aligned story is rendered anew, not served from the cache of its old version.
    let after = server.get(&format!("/api/stories/{first}"));
    assert_ne!(after.etag, before.etag);
    assert_eq!(after.json()["story"]["articles"], 2);
    assert!(
        server
            .get(&format!("/stories/{first}"))
            .body
            .contains("2 articles")
    );
    assert_eq!(server.get("/stories/999").status, 404);
    server.shutdown();
}

fn record(url: &str, title: &str, text: &str) -> Vec<u8> {
    json!({"url": url, "title": title, "outlet": "The Courier", "date": "2026-03-14", "text": text})
        .to_string()
        .into_bytes()
}

#[test]
fn an_acknowledged_article_survives_a_crash_before_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), false);
    let reply = server.post(
        "/api/articles",
        "application/json",
        &record(
            "https://courier.example/fire",
            "Harbour fire",
            "More than 100 firefighters fought the fire.",
        ),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    // A second item is claimed by the worker when the process dies.
    server.post(
        "/api/articles",
        "application/json",
        &record(
            "https://courier.example/b",
            "Budget",
            "The council approved a budget of $12 million.",
        ),
    );
    let store = server.server().store();
    assert_eq!(store.claim(1).unwrap().len(), 1);
    server.crash();

    let server = TestServer::sqlite(dir.path(), true);
    server.idle();
    let articles = server.get("/api/articles").json();
    assert_eq!(articles["items"].as_array().unwrap().len(), 2);
    let queue = server.get("/api/ingest").json();
    assert_eq!(queue["counts"]["done"], 2, "{queue}");
    server.shutdown();
}

#[test]
fn graceful_shutdown_requeues_claimed_work() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), false);
    server.post(
        "/api/articles",
        "application/json",
        &record("https://x/1", "A", "Forty people were hurt."),
    );
    let store = server.server().store();
    assert_eq!(store.claim(1).unwrap().len(), 1);
    assert_eq!(store.queue_counts().unwrap().running, 1);
    server.shutdown();
    assert_eq!(store.queue_counts().unwrap().pending, 1);
}

#[test]
fn a_changed_version_of_a_url_is_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let url = "https://courier.example/fire";
    server.post(
        "/api/articles",
        "application/json",
        &record(url, "Fire", "Eighty firefighters fought the fire."),
    );
    server.idle();
    server.post(
        "/api/articles",
        "application/json",
        &record(url, "Fire", "Ninety firefighters fought the fire."),
    );
    server.idle();
    let articles = server.get("/api/articles").json();
    let items = articles["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["revision_of"], items[1]["id"]);
    assert_eq!(items[1]["superseded"], true);
    let stories = server.get("/api/stories").json();
    assert_eq!(
        stories["items"][0]["articles"], 1,
        "only the revision is aligned"
    );
    let page = server.get(&format!("/articles/{}", items[1]["id"]));
    assert!(page.body.contains("later revision"));
}

#[test]
fn a_rising_figure_shows_as_figures_over_time_on_the_story_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let report = |outlet: &str, date: &str, text: String| {
        json!({
            "url": format!("https://{}.example/flood", outlet.len()),
            "outlet": outlet,
            "title": "Flood in the Marlow valley",
            "date": date,
            "text": text,
        })
    };
    let records = json!([
        report(
            "The Times",
            "2024-03-01",
            "The flood in the Marlow valley has killed 12 people, \
            officials said on Friday. Rescue teams searched villages along the river for \
            survivors while the governor Ilse Brandt visited the town of Kessel."
                .into()
        ),
        report(
            "The <script>Post</script>",
            "2024-03-01",
            "Governor Ilse Brandt toured Kessel, \
            where water stood two metres deep in the market square. The flood has killed 12 \
            people across the Marlow valley, according to the regional police."
                .into()
        ),
        report(
            "The Herald",
            "2024-03-02",
            "Police in the Marlow valley said on Saturday that the \
            flood has killed 19 people, as soldiers joined the search near Kessel. Governor Ilse \
            Brandt asked the federal government for emergency funds."
                .into()
        ),
    ]);
    let reply = server.post(
        "/api/articles",
        "application/json",
        records.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    server.idle();
    let stories = server.get("/api/stories?verdict=evolving").json();
    let story = stories["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no evolving group: {}", server.get("/api/stories").body));
    let page = server.get(&format!("/stories/{story}"));
    assert_eq!(page.status, 200);
    let table = page
        .body
        .split("Figures over time")
        .nth(1)
        .expect("a timeline on the story page");
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(
        rows[0].contains("2024-03-01") && rows[0].contains(">12<"),
        "{}",
        rows[0]
    );
    assert!(
        rows[2].contains("2024-03-02") && rows[2].contains("The Herald"),
        "{}",
        rows[2]
    );
    assert!(table.contains("Latest figure: <strong>19</strong> (The Herald, 2024-03-02)"));
    assert!(table.contains("The &lt;script&gt;Post&lt;/script&gt;"));
    assert!(!page.body.contains("<script>"));
    server.shutdown();
}

#[test]
fn hostile_article_text_is_escaped_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let hostile = json!({
        "url": "https://evil.example/<script>",
        "title": "<script>alert('title')</script> Fire",
        "outlet": "<img src=x onerror=alert(1)>",
        "text": "Officials said 40 people were hurt.\n\n<script>alert('text')</script> \"</mark><b>bold</b>\" firefighters said."
    });
    let reply = server.post(
        "/api/articles",
        "application/json",
        hostile.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 202);
    server.idle();
    let story = server.get("/api/stories").json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let article = server.get("/api/articles").json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    for path in [
        "/".to_string(),
        format!("/stories/{story}"),
        format!("/articles/{article}"),
        "/ingest".to_string(),
        "/?q=%3Cscript%3E".to_string(),
    ] {
        let page = server.get(&path);
        assert_eq!(page.status, 200, "{path}");
        for raw in ["<script", "<img", "<b>"] {
            assert!(
                !page.body.contains(raw),
                "{path} contains {raw}:\n{}",
                page.body
            );
        }
    }
    let page = server.get(&format!("/articles/{article}"));
    assert!(
        page.body
            .contains("&lt;script&gt;alert('text')&lt;/script&gt;")
    );
    assert!(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn failed_items_are_listed_with_their_error_and_can_be_retried() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let reply = server.upload(
        "/api/uploads",
        &[("empty-feed.xml", b"<rss><channel></channel></rss>")],
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    let id = reply.json()["queued"][0].as_i64().unwrap();
    server.idle();
    let failed = server.get("/api/ingest?state=failed").json();
    assert_eq!(failed["items"][0]["id"], id);
    let error = failed["items"][0]["error"].as_str().unwrap();
    assert!(error.contains("empty-feed.xml"), "{error}");
    let page = server.get("/ingest");
    assert!(page.body.contains(&format!("/ingest/{id}/retry")));

    let retried = server.post(&format!("/api/ingest/{id}/retry"), "application/json", b"");
    assert_eq!(retried.status, 202);
    server.idle();
    assert_eq!(
        server.get("/api/ingest?state=failed").json()["items"][0]["attempts"],
        2
    );
    let form = server.post(
        &format!("/ingest/{id}/retry"),
        "application/x-www-form-urlencoded",
        b"",
    );
    assert_eq!(form.status, 303);
    assert_eq!(form.location.as_deref(), Some("/ingest"));
    assert_eq!(
        server
            .post("/api/ingest/999/retry", "application/json", b"")
            .status,
        404
    );
}

#[test]
fn bad_requests_get_a_clear_4xx() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = ServeOptions::new(dir.path());
    options.listen = "127.0.0.1:0".parse().unwrap();
    options.max_upload_bytes = 64 * 1024;
    options.worker = false;
    let server = TestServer::start(options, None);
    let cases: Vec<(common::Reply, u16, &str)> = vec![
        (
            server.post("/api/articles", "application/json", b"{not json"),
            400,
            "not JSON",
        ),
        (
            server.post("/api/articles", "application/json", b"\xff\xfe\xfd"),
            400,
            "not UTF-8",
        ),
        (
            server.post("/api/articles", "application/json", b"[1, 2]"),
            400,
            "must be a JSON object",
        ),
        (
            server.post(
                "/api/uploads",
                "multipart/form-data; boundary=x",
                b"--x\r\ngarbage",
            ),
            400,
            "malformed upload",
        ),
        (
            server.post("/api/uploads", "text/plain", b"hello"),
            400,
            "multipart",
        ),
        (
            server.upload("/api/uploads", &[("big.txt", &vec![b'a'; 100 * 1024])]),
            413,
            "",
        ),
        (server.get("/api/stories/123"), 404, "no story 123"),
        (server.get("/api/stories?sort=sideways"), 400, "sort"),
        (
            server.get("/api/stories?verdict=maybe"),
            400,
            "no such verdict",
        ),
        (server.get("/api/nothing"), 404, "no such resource"),
        (server.get("/stories/abc"), 400, ""),
        (server.get("/articles/5"), 404, "no article 5"),
        (
            server.post_with(
                "/api/articles",
                "text/plain",
                br#"{"text": "x"}"#,
                &[("Origin", "https://evil.example")],
            ),
            403,
            "cross-site",
        ),
    ];
    for (i, (reply, status, text)) in cases.iter().enumerate() {
        assert_eq!(reply.status, *status, "case {i}: {}", reply.body);
        assert!(reply.body.contains(text), "case {i}: {}", reply.body);
    }
    assert_eq!(
        server.get("/api/ingest").json()["counts"]["pending"],
        0,
        "nothing bad was queued"
    );
}

#[test]
fn api_pages_etags_openapi_health_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    for i in 0..3 {
        server.post(
            "/api/articles",
            "application/json",
            &record(
                &format!("https://x/{i}"),
                &format!("Story {i}"),
                &format!(
                    "Officials said {} people were hurt in story number {i}.",
                    10 + i
                ),
            ),
        );
    }
    server.idle();
    let first = server.get("/api/articles?limit=2").json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["next_offset"], 2);
    let second = server.get("/api/articles?limit=2&offset=2").json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["next_offset"], Value::Null);

    let reply = server.get("/api/stories");
    let etag = reply.etag.clone().expect("ETag");
    assert_eq!(
        server
            .get_with("/api/stories", "If-None-Match", &etag)
            .status,
        304
    );
    assert_eq!(
        server
            .get_with("/api/stories", "If-None-Match", "\"other\"")
            .status,
        200
    );

    let openapi = server.get("/api/openapi.json").json();
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/api/stories"].is_object());

    let health = server.get("/healthz");
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("corroborate_articles_stored_total 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("corroborate_queue_items{state=\"done\"} 3"),
        "{metrics}"
    );

    let story = server.get("/api/stories").json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let page = server.get(&format!("/stories/{story}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<meta name=\"viewport\""));
    let css = server.get("/static/desk.css");
    assert!(css.body.contains("@media"));
}

#[test]
fn story_and_article_pages_link_evidence_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let fire = examples().join("harbour-fire");
    let mut names: Vec<_> = std::fs::read_dir(&fire)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    let parts: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(server.upload("/ingest", &parts).status, 303);
    server.idle();

    let disputed = server
        .get("/api/stories?sort=disputed&verdict=conflict")
        .json();
    let story = &disputed["items"][0];
    assert!(story["disputed"].as_i64().unwrap() > 0, "{disputed}");
    let id = story["id"].as_i64().unwrap();
    let page = server.get(&format!("/stories/{id}")).body;
    let detail = server.get(&format!("/api/stories/{id}")).json();
    let conflict = detail["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["verdict"] == "conflict")
        .expect("a conflict group");
    let key = conflict["key"].as_str().unwrap();
    assert!(page.contains(&format!("id=\"group-{key}\"")));
    assert!(page.contains("Sourcing and framing by article"));
    let evidence = &conflict["evidence"][0];
    let link = format!("/articles/{}#at-{}", evidence["doc"], evidence["start"]);
    assert!(page.contains(&link), "story page links {link}");
    let article = server.get(&format!("/articles/{}", evidence["doc"])).body;
    assert!(
        article.contains(&format!(
            "<a href=\"/groups/{key}\"><mark id=\"at-{}\"",
            evidence["start"]
        )),
        "{article}"
    );
    assert!(
        article.contains(&format!("<a href=\"/groups/{key}\">how many: firefighter")),
        "{article}"
    );
    let permalink = server.get(&format!("/groups/{key}"));
    assert_eq!(permalink.status, 303);
    assert_eq!(
        permalink.location,
        Some(format!("/stories/{id}#group-{key}"))
    );
    assert_eq!(
        server.get(&format!("/api/groups/{key}")).json()["verdict"],
        "conflict"
    );

    let march = server
        .get("/api/stories?from=2026-03-01&to=2026-03-31")
        .json();
    assert!(
        march["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == id),
        "{march}"
    );
    let later = server.get("/api/stories?from=2027-01-01").json();
    assert!(later["items"].as_array().unwrap().is_empty());
    let search = server.get("/?q=firefighters").body;
    assert!(search.contains(&format!("href=\"/stories/{id}\"")));
    let none = server.get("/?q=zebra").body;
    assert!(none.contains("No stories match"));
}

/// A feed served on loopback that honours `If-None-Match` and counts what it was asked.
#[derive(Default)]
struct FeedSite {
    version: u32,
    requests: u32,
    not_modified: u32,
}

fn rss(version: u32) -> String {
    let mut items = vec![
        (
            "https://wire.example/1",
            "Fire at the harbour",
            "Firefighters said 80 people were evacuated from the harbour on Monday.",
        ),
        (
            "https://wire.example/2",
            "Council budget",
            "The council approved a budget of 12 million dollars on Tuesday.",
        ),
    ];
    if version > 1 {
        items.insert(
            0,
            (
                "https://wire.example/3",
                "Harbour reopens",
                "The port authority said the harbour reopened on Friday after the fire.",
            ),
        );
    }
    let items: String = items
        .iter()
        .map(|(link, title, text)| {
            format!("<item><title>{title}</title><link>{link}</link><description>{text}</description></item>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>The Wire</title><link>https://wire.example/</link><description>news</description>{items}</channel></rss>"
    )
}

fn serve_feed(server: &TestServer) -> (String, Arc<std::sync::Mutex<FeedSite>>) {
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::IntoResponse;
    let site = Arc::new(std::sync::Mutex::new(FeedSite {
        version: 1,
        ..Default::default()
    }));
    let shared = site.clone();
    let app = axum::Router::new().route(
        "/feed.xml",
        axum::routing::get(move |headers: HeaderMap| {
            let site = shared.clone();
            async move {
                let mut site = site.lock().unwrap();
                site.requests += 1;
                let etag = format!("\"v{}\"", site.version);
                if headers
                    .get(header::IF_NONE_MATCH)
                    .and_then(|v| v.to_str().ok())
                    == Some(etag.as_str())
                {
                    site.not_modified += 1;
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                (
                    [
                        (header::ETAG, etag),
                        (header::CONTENT_TYPE, "application/rss+xml".to_string()),
                    ],
                    rss(site.version),
                )
                    .into_response()
            }
        }),
    );
    let listener = server
        .runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    server
        .runtime
        .spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/feed.xml"), site)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed().as_secs() < 60,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn feeds_are_polled_with_conditional_get_and_failing_ones_back_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let (url, site) = serve_feed(&server);
    let reply = server.post(
        "/api/feeds",
        "application/json",
        json!({"url": url, "interval_seconds": 1})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let articles = || {
        server.get("/api/articles").json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    wait_for("the first poll's articles", || {
        server.idle();
        articles() == 2
    });
    wait_for("a conditional GET answered 304", || {
        site.lock().unwrap().not_modified >= 1
    });
    server.idle();
    assert_eq!(articles(), 2, "an unchanged feed adds nothing");

    site.lock().unwrap().version = 2;
    wait_for("the changed feed's new article", || {
        server.idle();
        articles() == 3
    });
    let feeds = server.get("/api/feeds").json();
    assert_eq!(feeds["items"][0]["updates"], 2);
    assert_eq!(feeds["items"][0]["etag"], "\"v2\"");
    assert!(server.get("/feeds").body.contains(&url));

    // A feed on a closed port fails, says why, and waits longer after each failure.
    let closed = server.post(
        "/api/feeds",
        "application/json",
        br#"{"url": "http://127.0.0.1:9/feed.xml", "interval_seconds": 1}"#,
    );
    let id = closed.json()["id"].as_i64().unwrap();
    wait_for("the closed port's failure", || {
        let feeds = server.get("/api/feeds").json();
        let feed = feeds["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone();
        feed["failures"].as_i64().unwrap() >= 1
            && feed["next_poll_at"].as_i64().unwrap() - feed["last_polled_at"].as_i64().unwrap()
                >= 2
            && feed["last_error"].as_str().unwrap().contains("127.0.0.1:9")
    });
    assert_eq!(
        server
            .post(
                "/api/feeds",
                "application/json",
                br#"{"url": "file:///etc/passwd"}"#
            )
            .status,
        400
    );
    let del = server.agent_delete(&format!("/api/feeds/{id}"));
    assert_eq!(del, 204);
    server.shutdown();
}

#[test]
fn submitted_urls_are_fetched_and_unreachable_ones_fail_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::sqlite(dir.path(), true);
    let (feed_url, _site) = serve_feed(&server);
    let reply = server.post(
        "/api/urls",
        "application/json",
        json!({"urls": [feed_url, "http://127.0.0.1:9/closed"]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    server.idle();
    assert_eq!(
        server.get("/api/articles").json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let failed = server.get("/api/ingest?state=failed").json();
    let error = failed["items"][0]["error"].as_str().unwrap();
    assert!(error.contains("127.0.0.1:9/closed"), "{error}");
    assert_eq!(
        server
            .post(
                "/api/urls",
                "application/json",
                br#"{"url": "javascript:alert(1)"}"#
            )
            .status,
        400
    );
    assert_eq!(
        server
            .post("/api/urls", "application/json", br#"{}"#)
            .status,
        400
    );
}
