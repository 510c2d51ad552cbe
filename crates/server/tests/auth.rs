//! Team use: accounts, roles, sessions, API tokens, CSRF and the ingest rate limit, against a
//! real server.

#[allow(dead_code)]
mod common;

use common::TestServer;
use corroborate_server::ServeOptions;
use corroborate_server::auth::{hash_password, new_secret, secret_hash};
use corroborate_server::storage::sqlite::SqliteStorage;
use corroborate_server::storage::{Role, Storage};
use std::sync::Arc;

struct Desk {
    server: TestServer,
    editor_token: String,
    _dir: tempfile::TempDir,
}

fn desk(public_read: bool, ingest_per_minute: u32) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStorage::open(&dir.path().join("desk.sqlite")).unwrap();
    let editor = store
        .put_user("ed", Role::Editor, &hash_password("editor-pass").unwrap())
        .unwrap();
    store
        .put_user("rea", Role::Reader, &hash_password("reader-pass").unwrap())
        .unwrap();
    store
        .put_user("boss", Role::Admin, &hash_password("admin-pass").unwrap())
        .unwrap();
    let editor_token = new_secret().unwrap();
    store
        .create_token(&secret_hash(&editor_token), editor, "test")
        .unwrap();
    let mut options = ServeOptions::new(dir.path());
    options.listen = "127.0.0.1:0".parse().unwrap();
    options.public_read = public_read;
    options.ingest_per_minute = ingest_per_minute;
    let server = TestServer::start(options, Some(Arc::new(store) as Arc<dyn Storage>));
    Desk {
        server,
        editor_token,
        _dir: dir,
    }
}

/// Logs in and returns the `name=value` cookie pair.
fn login(server: &TestServer, name: &str, password: &str) -> String {
    let reply = server.post(
        "/login",
        "application/x-www-form-urlencoded",
        format!("name={name}&password={password}&next=%2Fingest").as_bytes(),
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/ingest"));
    let cookie = reply.set_cookie.expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_string()
}

const RECORD: &[u8] = br#"{"title": "Fire", "text": "Forty people were hurt in the fire."}"#;

#[test]
fn private_desk_needs_a_login_and_roles_decide_who_ingests() {
    let desk = desk(false, 600);
    let s = &desk.server;
    let page = s.get("/");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2F"));
    assert_eq!(s.get("/api/stories").status, 401);
    assert_eq!(s.get("/healthz").status, 200);
    assert_eq!(s.get("/login").status, 200);
    assert_eq!(
        s.post("/api/articles", "application/json", RECORD).status,
        401
    );

    let wrong = s.post(
        "/login",
        "application/x-www-form-urlencoded",
        b"name=ed&password=nope",
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("Wrong name or password"));
    assert!(wrong.set_cookie.is_none());
    let unknown = s.post(
        "/login",
        "application/x-www-form-urlencoded",
        b"name=nobody&password=nope",
    );
    assert_eq!(unknown.status, 401);

    // A reader reads but cannot ingest.
    let reader = login(s, "rea", "reader-pass");
    assert_eq!(s.get_with("/", "Cookie", &reader).status, 200);
    assert_eq!(s.get_with("/api/stories", "Cookie", &reader).status, 200);
    let refused = s.post_with(
        "/api/articles",
        "application/json",
        RECORD,
        &[("Cookie", &reader)],
    );
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("editor"));

    // An editor's API token ingests without CSRF (it is not ambient).
    let bearer = format!("Bearer {}", desk.editor_token);
    let accepted = s.post_with(
        "/api/articles",
        "application/json",
        RECORD,
        &[("Authorization", &bearer)],
    );
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let bad = s.post_with(
        "/api/articles",
        "application/json",
        RECORD,
        &[("Authorization", "Bearer nope")],
    );
    assert_eq!(bad.status, 401);

    // An editor's session must carry the CSRF token its forms carry.
    let editor = login(s, "ed", "editor-pass");
    let page = s.get_with("/ingest", "Cookie", &editor).body;
    assert!(page.contains("ed (editor)"));
    let start = page
        .find("action=\"/ingest?csrf=")
        .expect("upload form with CSRF token")
        + 8;
    let action = &page[start..start + page[start..].find('"').unwrap()];
    let boundary = "b0undary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nForty people were hurt.\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let without = s.post_with(
        "/ingest",
        &content_type,
        body.as_bytes(),
        &[("Cookie", &editor)],
    );
    assert_eq!(without.status, 403);
    assert!(without.body.contains("CSRF"));
    let forged = s.post_with(
        "/ingest?csrf=0000",
        &content_type,
        body.as_bytes(),
        &[("Cookie", &editor)],
    );
    assert_eq!(forged.status, 403);
    let with = s.post_with(
        action,
        &content_type,
        body.as_bytes(),
        &[("Cookie", &editor)],
    );
    assert_eq!(with.status, 303, "{}", with.body);

    // Logging out ends the session.
    let out = s.post_with(
        "/logout",
        "application/x-www-form-urlencoded",
        b"",
        &[("Cookie", &editor)],
    );
    assert_eq!(out.status, 303);
    assert_eq!(s.get_with("/ingest", "Cookie", &editor).status, 303);
}

fn csrf_of(page: &str, path: &str) -> String {
    let start = page
        .find(&format!("action=\"{path}?csrf="))
        .expect("a form with a CSRF token")
        + format!("action=\"{path}?csrf=").len();
    page[start..start + 64].to_string()
}

#[test]
fn users_make_their_own_tokens_and_admins_add_users() {
    let desk = desk(false, 600);
    let s = &desk.server;
    let form = "application/x-www-form-urlencoded";

    let reader = login(s, "rea", "reader-pass");
    let page = s.get_with("/account", "Cookie", &reader).body;
    assert!(
        !page.contains("Add or update a user"),
        "only admins add users"
    );
    let csrf = csrf_of(&page, "/account/tokens");
    let made = s.post_with(
        &format!("/account/tokens?csrf={csrf}"),
        form,
        b"label=script",
        &[("Cookie", &reader)],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let at = made.body.find("<code class=\"token\">").unwrap() + "<code class=\"token\">".len();
    let token = &made.body[at..at + 64];
    let bearer = format!("Bearer {token}");
    assert_eq!(
        s.get_with("/api/stories", "Authorization", &bearer).status,
        200
    );
    let refused = s.post_with(
        "/api/articles",
        "application/json",
        RECORD,
        &[("Authorization", &bearer)],
    );
    assert_eq!(refused.status, 403, "a reader's token reads only");
    let body = b"name=mallory&role=admin&password=password123";
    let refused = s.post_with(
        &format!("/account/users?csrf={csrf}"),
        form,
        body,
        &[("Cookie", &reader)],
    );
    assert_eq!(refused.status, 403);

    let admin = login(s, "boss", "admin-pass");
    let page = s.get_with("/account", "Cookie", &admin).body;
    let csrf = csrf_of(&page, "/account/users");
    let short = s.post_with(
        &format!("/account/users?csrf={csrf}"),
        form,
        b"name=new&role=editor&password=short",
        &[("Cookie", &admin)],
    );
    assert_eq!(short.status, 400);
    let saved = s.post_with(
        &format!("/account/users?csrf={csrf}"),
        form,
        b"name=new&role=editor&password=new-editor-pass",
        &[("Cookie", &admin)],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(
        saved
            .body
            .contains("Saved user <strong>new</strong> (editor)")
    );
    login(s, "new", "new-editor-pass");
}

#[test]
fn admins_revoke_tokens_and_users_and_revoked_tokens_get_401() {
    let desk = desk(false, 600);
    let s = &desk.server;
    let editor = format!("Bearer {}", desk.editor_token);
    assert_eq!(
        s.get_with("/api/stories", "Authorization", &editor).status,
        200
    );

    // Only admins list or revoke.
    assert_eq!(
        s.get_with("/api/tokens", "Authorization", &editor).status,
        403
    );
    let boss = s.server().store().user("boss").unwrap().unwrap();
    let admin_token = new_secret().unwrap();
    s.server()
        .store()
        .create_token(&secret_hash(&admin_token), boss.id, "ops")
        .unwrap();
    let admin = format!("Bearer {admin_token}");
    let admin_headers = [("Authorization", admin.as_str())];

    let tokens = s.get_with("/api/tokens", "Authorization", &admin).json();
    let items = tokens["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{tokens}");
    let editor_id = secret_hash(&desk.editor_token)[..16].to_string();
    let listed = items.iter().find(|t| t["user"] == "ed").unwrap();
    assert_eq!(listed["id"], editor_id.as_str());
    assert_eq!(listed["label"], "test");
    assert!(
        !tokens.to_string().contains(&desk.editor_token),
        "no secret listed"
    );

    assert_eq!(s.delete_with("/api/tokens/zz", &admin_headers).status, 400);
    assert_eq!(
        s.delete_with("/api/tokens/0123456789abcdef", &admin_headers)
            .status,
        404
    );
    assert_eq!(
        s.delete_with(
            &format!("/api/tokens/{editor_id}"),
            &[("Authorization", &editor)]
        )
        .status,
        403,
        "an editor cannot revoke"
    );
    let revoked = s.delete_with(&format!("/api/tokens/{editor_id}"), &admin_headers);
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    let refused = s.get_with("/api/stories", "Authorization", &editor);
    assert_eq!(refused.status, 401, "a revoked token");
    assert_eq!(
        s.post_with(
            "/api/articles",
            "application/json",
            RECORD,
            &[("Authorization", &editor)]
        )
        .status,
        401
    );

    // Revoking a user ends its sessions and its tokens.
    let session = login(s, "rea", "reader-pass");
    let rea = s.server().store().user("rea").unwrap().unwrap();
    let reader_token = new_secret().unwrap();
    s.server()
        .store()
        .create_token(&secret_hash(&reader_token), rea.id, "reader")
        .unwrap();
    let reader = format!("Bearer {reader_token}");
    assert_eq!(
        s.get_with("/api/stories", "Authorization", &reader).status,
        200
    );
    assert_eq!(
        s.delete_with("/api/users/boss", &admin_headers).status,
        400,
        "not yourself"
    );
    assert_eq!(
        s.delete_with("/api/users/nobody", &admin_headers).status,
        404
    );
    assert_eq!(s.delete_with("/api/users/rea", &admin_headers).status, 204);
    assert_eq!(
        s.get_with("/api/stories", "Authorization", &reader).status,
        401
    );
    assert_eq!(s.get_with("/api/stories", "Cookie", &session).status, 401);
    let users = s.get_with("/api/users", "Authorization", &admin).json();
    let names: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["boss", "ed"]);

    // The account page lists accounts for an admin, with revoke buttons that need the CSRF token.
    let cookie = login(s, "boss", "admin-pass");
    let page = s.get_with("/account", "Cookie", &cookie).body;
    let csrf = csrf_of(&page, "/account/users/ed/revoke");
    let form = "application/x-www-form-urlencoded";
    let forged = s.post_with(
        "/account/users/ed/revoke",
        form,
        b"",
        &[("Cookie", &cookie)],
    );
    assert_eq!(forged.status, 403, "no CSRF token");
    let done = s.post_with(
        &format!("/account/users/ed/revoke?csrf={csrf}"),
        form,
        b"",
        &[("Cookie", &cookie)],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Revoked user <strong>ed</strong>"));
    assert!(s.server().store().user("ed").unwrap().is_none());
    let page = s.get_with("/account", "Cookie", &cookie).body;
    let id = secret_hash(&admin_token)[..16].to_string();
    let csrf = csrf_of(&page, &format!("/account/tokens/{id}/revoke"));
    let done = s.post_with(
        &format!("/account/tokens/{id}/revoke?csrf={csrf}"),
        form,
        b"",
        &[("Cookie", &cookie)],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        s.get_with("/api/users", "Authorization", &admin).status,
        401
    );
}

#[test]
fn public_reading_still_needs_an_editor_to_ingest() {
    let desk = desk(true, 600);
    let s = &desk.server;
    assert_eq!(s.get("/").status, 200);
    assert_eq!(s.get("/api/stories").status, 200);
    assert!(s.get("/").body.contains("Log in"));
    assert_eq!(
        s.post("/api/articles", "application/json", RECORD).status,
        401
    );
}

#[test]
fn ingest_is_rate_limited_per_address() {
    let desk = desk(false, 2);
    let s = &desk.server;
    let bearer = format!("Bearer {}", desk.editor_token);
    let post = || {
        s.post_with(
            "/api/articles",
            "application/json",
            RECORD,
            &[("Authorization", &bearer)],
        )
        .status
    };
    assert_eq!(post(), 202);
    assert_eq!(post(), 202);
    assert_eq!(post(), 429);
    assert_eq!(
        s.get_with("/api/ingest", "Authorization", &bearer).status,
        200,
        "reading is not limited"
    );
}

#[test]
fn accounts_allow_listening_beyond_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = ServeOptions::new(dir.path());
    options.listen = "0.0.0.0:0".parse().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let err = runtime
        .block_on(corroborate_server::Server::start(options.clone()))
        .err()
        .unwrap();
    assert!(err.contains("authentication is not configured"), "{err}");
    let store = SqliteStorage::open(&dir.path().join("corroborate.sqlite")).unwrap();
    store
        .put_user("admin", Role::Admin, &hash_password("admin-pass").unwrap())
        .unwrap();
    drop(store);
    let server = runtime
        .block_on(corroborate_server::Server::start(options))
        .unwrap();
    runtime.block_on(server.shutdown());
}
