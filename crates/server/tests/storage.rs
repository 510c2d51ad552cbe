//! One storage test suite, run against SQLite and PostgreSQL. The PostgreSQL run uses
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`) in a fresh schema and
//! prints `skipped: no PostgreSQL at …` when nothing answers there.

#[allow(dead_code)]
mod common;

use corroborate_server::storage::sqlite::SqliteStorage;
use corroborate_server::storage::*;

fn item(source: &str, payload: &str) -> NewItem {
    NewItem {
        source: source.into(),
        payload: payload.as_bytes().to_vec(),
    }
}

fn article(url: Option<&str>, hash: &str, outlet: &str, title: &str, text: &str) -> NewArticle {
    NewArticle {
        url: url.map(str::to_string),
        content_hash: hash.into(),
        outlet: Some(outlet.into()),
        title: Some(title.into()),
        published: Some("2025-08-04".into()),
        text: text.into(),
        analyzed: format!(r#"{{"title": "{title}"}}"#),
        queue_id: 1,
    }
}

fn queue_survives_claims_failures_and_requeues(store: &dyn Storage) {
    let ids = store
        .enqueue(&[
            item("a.txt", "one"),
            item("b.txt", "two"),
            item("c.txt", "three"),
        ])
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    let claimed = store.claim(2).unwrap();
    assert_eq!(
        claimed.iter().map(|i| i.id).collect::<Vec<_>>(),
        ids[..2].to_vec()
    );
    assert_eq!(claimed[0].payload, b"one");
    assert_eq!(claimed[1].source, "b.txt");
    let counts = store.queue_counts().unwrap();
    assert_eq!((counts.pending, counts.running), (1, 2));

    // A crash leaves items running; the next start puts them back.
    assert_eq!(store.requeue_running().unwrap(), 2);
    assert_eq!(store.queue_counts().unwrap().pending, 3);

    let claimed = store.claim(10).unwrap();
    assert_eq!(claimed.len(), 3);
    let recorded = store
        .record(&[
            Outcome::Analysed {
                item: ids[0],
                articles: vec![
                    article(None, "q1", "Courier", "One", "one"),
                    article(None, "q2", "Courier", "Two", "two"),
                ],
                note: None,
            },
            Outcome::Failed {
                item: ids[1],
                error: "b.txt: not an article".into(),
            },
        ])
        .unwrap();
    assert_eq!(recorded.len(), 2);
    assert!(matches!(recorded[0][..], [Stored::New(_), Stored::New(_)]));
    assert!(recorded[1].is_empty());
    store.requeue(&[ids[2]]).unwrap();
    let counts = store.queue_counts().unwrap();
    assert_eq!(
        (counts.pending, counts.running, counts.done, counts.failed),
        (1, 0, 1, 1)
    );

    let failed = store.queue(Some(QueueState::Failed), 10, 0).unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error.as_deref(), Some("b.txt: not an article"));
    assert_eq!(failed[0].attempts, 2);
    assert_eq!(failed[0].bytes, 3);
    assert!(store.retry(ids[1]).unwrap());
    assert!(
        !store.retry(ids[1]).unwrap(),
        "only failed items are retried"
    );
    assert!(!store.retry(9999).unwrap());
    let all = store.queue(None, 2, 0).unwrap();
    assert_eq!(
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );
    assert_eq!(store.queue(None, 2, 2).unwrap()[0].articles, 2);
}

fn articles_are_stored_once_and_revised_by_url(store: &dyn Storage) {
    let first = store
        .store_article(&article(
            Some("https://x/1"),
            "h1",
            "Courier",
            "Fire",
            "Eighty firefighters",
        ))
        .unwrap();
    let Stored::New(first) = first else {
        panic!("{first:?}")
    };
    assert_eq!(
        store
            .store_article(&article(
                Some("https://x/1"),
                "h1",
                "Courier",
                "Fire",
                "Eighty firefighters"
            ))
            .unwrap(),
        Stored::Duplicate(first)
    );
    let revised = store
        .store_article(&article(
            Some("https://x/1"),
            "h2",
            "Courier",
            "Fire",
            "Ninety firefighters",
        ))
        .unwrap();
    let Stored::Revision { id: second, of } = revised else {
        panic!("{revised:?}")
    };
    assert_eq!(of, first);
    let other = store
        .store_article(&article(
            None,
            "h3",
            "Gazette",
            "Budget",
            "The council voted",
        ))
        .unwrap();
    let Stored::New(third) = other else {
        panic!("{other:?}")
    };
    let listed = |rows: Vec<StoredAnalysis>| -> Vec<(i64, bool)> {
        rows.iter().map(|a| (a.id, a.superseded)).collect()
    };
    assert_eq!(
        listed(store.analyses_after(i64::MIN, 10).unwrap()),
        vec![(first, true), (second, false), (third, false)]
    );
    assert_eq!(
        listed(store.analyses_after(first, 1).unwrap()),
        vec![(second, false)]
    );
    assert_eq!(
        listed(store.analyses(&[third, first, 12345]).unwrap()),
        vec![(first, true), (third, false)]
    );
    assert!(store.analyses(&[]).unwrap().is_empty());
    let old = store.article(first).unwrap().unwrap();
    assert!(old.summary.superseded);
    let new = store.article(second).unwrap().unwrap();
    assert_eq!(new.summary.revision_of, Some(first));
    assert_eq!(new.analyzed, r#"{"title": "Fire"}"#);
    assert_eq!(store.articles(10, 0).unwrap().len(), 3);
    assert_eq!(store.outlets().unwrap(), vec!["Courier", "Gazette"]);
    assert!(store.article(12345).unwrap().is_none());

    let story = |id: i64,
                 label: &str,
                 outlets: &[&str],
                 disputed: i64,
                 verdicts: &[&str],
                 articles: Vec<i64>| StoryRow {
        summary: StorySummary {
            id,
            label: label.into(),
            articles: articles.len() as i64,
            outlets: outlets.iter().map(|s| s.to_string()).collect(),
            groups: verdicts.len() as i64,
            disputed,
            verdicts: verdicts.iter().map(|s| s.to_string()).collect(),
            newest: *articles.iter().max().unwrap(),
            first_published: Some(format!("2025-08-0{}", id % 9)),
            last_published: Some(format!("2025-08-0{}", id % 9)),
        },
        articles,
    };
    let results = Results {
        moved: vec![],
        stories: vec![
            story(
                second,
                "harbour fire",
                &["Courier"],
                1,
                &["conflict"],
                vec![second],
            ),
            story(
                third,
                "council budget",
                &["Gazette"],
                0,
                &["agree"],
                vec![third],
            ),
        ],
        groups: vec![
            GroupRow {
                key: format!("{second}-a"),
                story: Some(second),
                verdict: "conflict".into(),
                rank: 0,
                body: "{\"verdict\":\"conflict\"}".into(),
            },
            GroupRow {
                key: format!("{third}-b"),
                story: Some(third),
                verdict: "agree".into(),
                rank: 1,
                body: "{}".into(),
            },
        ],
    };
    store.replace_stories(&[second, third], &results).unwrap();
    store.replace_stories(&[second, third], &results).unwrap();

    let query = |f: &dyn Fn(&mut StoryQuery)| {
        let mut q = StoryQuery {
            limit: 10,
            ..Default::default()
        };
        f(&mut q);
        store
            .stories(&q)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(query(&|_| {}), vec![third, second], "newest first");
    assert_eq!(
        query(&|q| q.order = StoryOrder::Disputed),
        vec![second, third]
    );
    assert_eq!(
        query(&|q| q.verdict = Some("conflict".into())),
        vec![second]
    );
    assert_eq!(query(&|q| q.outlet = Some("Gazette".into())), vec![third]);
    assert_eq!(
        query(&|q| q.text = Some("firefighters".into())),
        vec![second]
    );
    assert_eq!(query(&|q| q.text = Some("council".into())), vec![third]);
    assert_eq!(
        query(&|q| q.text = Some("Eighty".into())),
        Vec::<i64>::new(),
        "superseded text is not in a story"
    );
    // Query syntax in user input is text, not an error.
    assert_eq!(
        query(&|q| q.text = Some("\"NEAR( OR -:*".into())),
        Vec::<i64>::new()
    );
    assert_eq!(
        query(&|q| {
            q.limit = 1;
            q.offset = 1;
        }),
        vec![second]
    );

    let summary = store.story(second).unwrap().unwrap();
    assert_eq!(summary, results.stories[0].summary);
    assert_eq!(store.story_articles(second).unwrap()[0].id, second);
    assert_eq!(store.story_articles(second).unwrap()[0].story, Some(second));
    assert_eq!(
        store.story_groups(second).unwrap(),
        vec![results.groups[0].clone()]
    );
    assert_eq!(
        store.group(&format!("{third}-b")).unwrap(),
        Some(results.groups[1].clone())
    );
    assert!(store.group("nope").unwrap().is_none());
    assert!(store.story(-1).unwrap().is_none());

    // Re-aligning the fire story alone leaves the council story and its groups as they were.
    let fire = Results {
        moved: vec![],
        stories: vec![story(
            second,
            "harbour fire",
            &["Courier"],
            0,
            &["agree"],
            vec![second],
        )],
        groups: vec![GroupRow {
            key: format!("{second}-c"),
            story: Some(second),
            verdict: "agree".into(),
            rank: 0,
            body: "{}".into(),
        }],
    };
    store.replace_stories(&[first, second], &fire).unwrap();
    assert_eq!(store.story(second).unwrap().unwrap().disputed, 0);
    assert!(store.group(&format!("{second}-a")).unwrap().is_none());
    assert_eq!(store.story_groups(second).unwrap(), fire.groups);
    assert_eq!(
        store.story(third).unwrap().unwrap(),
        results.stories[1].summary
    );
    assert_eq!(
        store.story_groups(third).unwrap(),
        vec![results.groups[1].clone()]
    );

    // Re-aligning gives a story a new version; a merged story's id leads to the story it
    // joined, also after that one moves in turn, until a story takes the id again.
    let version = |id: i64| match store.story_state(id).unwrap() {
        StoryState::Current { version } => version,
        other => panic!("{other:?}"),
    };
    let (v2, v3) = (version(second), version(third));
    let ids = store.story_ids(&[first, second, third]).unwrap();
    assert_eq!(ids.of_article.get(&second), Some(&second));
    assert_eq!(ids.of_article.get(&first), None);
    assert!(ids.held_elsewhere.is_empty());
    assert!(ids.next_spare > third);
    assert_eq!(
        store.story_ids(&[second]).unwrap().held_elsewhere.len(),
        0,
        "the story being replaced does not hold its own id"
    );
    let merged = Results {
        stories: vec![story(
            second,
            "harbour fire",
            &["Courier", "Gazette"],
            0,
            &[],
            vec![second, third],
        )],
        groups: vec![],
        moved: vec![(third, second)],
    };
    let commits = store.alignment_commits().unwrap();
    store.replace_stories(&[second, third], &merged).unwrap();
    assert!(version(second) > v2.max(v3));
    assert_eq!(store.alignment_commits().unwrap(), commits + 1);
    assert_eq!(
        store.story_state(third).unwrap(),
        StoryState::Moved { to: second }
    );
    assert_eq!(store.story_state(-5).unwrap(), StoryState::Missing);
    let renamed = Results {
        stories: vec![story(
            first,
            "harbour fire",
            &["Courier"],
            0,
            &[],
            vec![second, third],
        )],
        groups: vec![],
        moved: vec![(second, first)],
    };
    store.replace_stories(&[second, third], &renamed).unwrap();
    assert_eq!(
        store.story_state(third).unwrap(),
        StoryState::Moved { to: first }
    );
    let split = Results {
        stories: vec![
            story(first, "harbour fire", &["Courier"], 0, &[], vec![second]),
            story(third, "council budget", &["Gazette"], 0, &[], vec![third]),
        ],
        groups: vec![],
        moved: vec![],
    };
    store.replace_stories(&[second, third], &split).unwrap();
    assert!(matches!(
        store.story_state(third).unwrap(),
        StoryState::Current { .. }
    ));
    assert_eq!(
        store.story_state(second).unwrap(),
        StoryState::Moved { to: first }
    );
}

fn accounts_sessions_and_tokens(store: &dyn Storage) {
    assert_eq!(store.user_count().unwrap(), 0);
    let ana = store.put_user("ana", Role::Reader, "hash-1").unwrap();
    assert_eq!(
        store.put_user("ana", Role::Admin, "hash-2").unwrap(),
        ana,
        "same user updated"
    );
    let user = store.user("ana").unwrap().unwrap();
    assert_eq!(
        (user.role, user.password_hash.as_str()),
        (Role::Admin, "hash-2")
    );
    assert!(store.user("bob").unwrap().is_none());
    assert_eq!(store.user_count().unwrap(), 1);

    let future = now_plus(3600);
    store.create_session("s1", ana, "csrf-1", future).unwrap();
    store
        .create_session("old", ana, "csrf-0", now_plus(-10))
        .unwrap();
    let (who, csrf) = store.session("s1").unwrap().unwrap();
    assert_eq!((who.name.as_str(), csrf.as_str()), ("ana", "csrf-1"));
    assert!(store.session("old").unwrap().is_none(), "expired");
    store.delete_session("s1").unwrap();
    assert!(store.session("s1").unwrap().is_none());

    store.create_token("t1", ana, "bot").unwrap();
    assert_eq!(store.token_user("t1").unwrap().unwrap().id, ana);
    assert!(store.token_user("t2").unwrap().is_none());

    // Revoking: a token by its public id (a prefix of its hash), a user with everything it had.
    let (a, b) = (
        "a".repeat(64),
        format!("{}{}", "b".repeat(16), "c".repeat(48)),
    );
    store.create_token(&a, ana, "one").unwrap();
    store.create_token(&b, ana, "two").unwrap();
    let mut ids: Vec<String> = store.tokens().unwrap().into_iter().map(|t| t.id).collect();
    ids.sort();
    assert_eq!(ids, ["a".repeat(16), "b".repeat(16), "t1".to_string()]);
    assert!(store.revoke_token(&"b".repeat(16)).unwrap());
    assert!(!store.revoke_token(&"b".repeat(16)).unwrap());
    assert!(store.token_user(&b).unwrap().is_none());
    assert!(store.token_user(&a).unwrap().is_some());
    let bob = store.put_user("bob", Role::Editor, "hash-3").unwrap();
    store.create_session("s2", bob, "csrf-2", future).unwrap();
    store.create_token("t3", bob, "bot").unwrap();
    let names: Vec<String> = store.users().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["ana", "bob"]);
    assert!(store.delete_user("bob").unwrap());
    assert!(!store.delete_user("bob").unwrap());
    assert!(store.session("s2").unwrap().is_none());
    assert!(store.token_user("t3").unwrap().is_none());
    assert!(store.user("bob").unwrap().is_none());
    assert_eq!(store.user_count().unwrap(), 1);
}

fn feeds_keep_their_validators_and_failures(store: &dyn Storage) {
    let id = store
        .add_feed("https://wire.example/feed.xml", 900)
        .unwrap();
    assert_eq!(
        store.add_feed("https://wire.example/feed.xml", 60).unwrap(),
        id
    );
    let due = store.due_feeds(now_plus(0), 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].interval_seconds, 60);
    let before = store.queue_counts().unwrap().pending;
    let changed = FeedPoll::Changed {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let item = item("https://wire.example/feed.xml", "<rss/>");
    store
        .record_poll(id, &changed, Some(&item), now_plus(60))
        .unwrap();
    assert_eq!(
        store.queue_counts().unwrap().pending,
        before + 1,
        "queued with the poll"
    );
    assert!(store.due_feeds(now_plus(0), 10).unwrap().is_empty());
    store
        .record_poll(id, &FeedPoll::Failed("HTTP 500".into()), None, now_plus(-1))
        .unwrap();
    store
        .record_poll(id, &FeedPoll::Failed("HTTP 502".into()), None, now_plus(-1))
        .unwrap();
    let feed = store.due_feeds(now_plus(0), 10).unwrap().remove(0);
    assert_eq!(feed.etag.as_deref(), Some("\"v1\""));
    assert_eq!((feed.failures, feed.updates), (2, 1));
    assert_eq!(feed.last_error.as_deref(), Some("HTTP 502"));
    store
        .record_poll(id, &FeedPoll::Unchanged, None, now_plus(60))
        .unwrap();
    let feed = store.feeds().unwrap().remove(0);
    assert_eq!((feed.failures, feed.last_error), (0, None));
    assert!(store.delete_feed(id).unwrap());
    assert!(!store.delete_feed(id).unwrap());
}

fn now_plus(seconds: i64) -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + seconds
}

fn suite(store: &dyn Storage) {
    store.ping().unwrap();
    // Articles first: the queue test stores two more.
    articles_are_stored_once_and_revised_by_url(store);
    queue_survives_claims_failures_and_requeues(store);
    accounts_sessions_and_tokens(store);
    feeds_keep_their_validators_and_failures(store);
}

#[test]
fn sqlite_storage() {
    suite(&SqliteStorage::in_memory().unwrap());
}

#[test]
fn sqlite_file_storage_with_reading_connections() {
    let dir = tempfile::tempdir().unwrap();
    suite(&SqliteStorage::open(&dir.path().join("desk.sqlite")).unwrap());
}

#[test]
fn sqlite_keeps_everything_across_reopen_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let id = {
        let store = SqliteStorage::open(&path).unwrap();
        store.enqueue(&[item("a.txt", "one")]).unwrap()[0]
    };
    let store = SqliteStorage::open(&path).unwrap();
    assert_eq!(store.claim(5).unwrap()[0].id, id);
}

#[test]
fn sqlite_open_names_the_file_on_error() {
    let err = SqliteStorage::open(std::path::Path::new("/nonexistent-dir/x/desk.sqlite"))
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("/nonexistent-dir/x/desk.sqlite"),
        "{err}"
    );
}

#[test]
fn postgres_storage() {
    let Some((store, _schema)) = common::postgres("postgres_storage") else {
        return;
    };
    suite(&store);
}

#[test]
fn postgres_migrates_once_and_keeps_data_across_reconnect() {
    let Some((store, schema)) = common::postgres("postgres_reconnect") else {
        return;
    };
    let id = store.enqueue(&[item("a.txt", "one")]).unwrap()[0];
    drop(store);
    let again = corroborate_server::storage::postgres::PostgresStorage::connect_in_schema(
        &schema.url,
        Some(&schema.schema),
    )
    .unwrap();
    assert_eq!(again.claim(5).unwrap()[0].id, id);
}

#[test]
fn postgres_connect_error_names_the_server_without_its_password() {
    let err = corroborate_server::storage::postgres::PostgresStorage::connect(
        "postgres://u:hunter2@127.0.0.1:1/db",
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.contains("127.0.0.1:1") && !err.contains("hunter2"),
        "{err}"
    );
}
