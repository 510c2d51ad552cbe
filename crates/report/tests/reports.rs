//! Snapshot and contract tests of the three reports on the invented fixture.

mod fixture;

use corroborate_model::{
    Analysis, Claim, ClaimKind, ImpliedBy, ImpliedOffice, Mention, Office, Span, Tenure, TextRange,
};
use corroborate_report::{
    HtmlOptions, JSON_SCHEMA, SpanProblem, TextOptions, html, invalid_evidence, json, text,
    write_json,
};

fn plain(analysis: &Analysis) -> String {
    text(
        analysis,
        &TextOptions {
            color: false,
            all: false,
        },
    )
}

#[test]
fn text_report_snapshot() {
    insta::assert_snapshot!(plain(&fixture::analysis()));
}

#[test]
fn json_report_snapshot() {
    // The raw string, so the snapshot also pins key order and formatting.
    insta::assert_snapshot!(json(&fixture::analysis()));
}

#[test]
fn streamed_json_is_the_same_bytes() {
    let analysis = fixture::analysis();
    let mut streamed = Vec::new();
    write_json(
        &analysis,
        &mut streamed,
        corroborate_report::JsonLayout::Pretty,
    )
    .unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), json(&analysis));
}

#[test]
fn html_report_snapshot() {
    insta::assert_snapshot!(html(&fixture::analysis(), &HtmlOptions::default()));
}

#[test]
fn alarms_below_the_shown_confidence_wait_for_all_in_text_and_html_but_stay_in_json() {
    let mut analysis = fixture::analysis();
    let weak = analysis
        .groups
        .iter()
        .position(|g| g.verdict.is_alarm())
        .expect("the fixture has an alarm");
    analysis.groups[weak].confidence = 0.3;
    analysis.groups[weak].explanation = "a weakly matched alarm".into();
    let shown = plain(&analysis);
    assert!(!shown.contains("a weakly matched alarm"));
    assert!(shown.contains("1 alarm below confidence 0.5 not shown; --all shows them"));
    let all = text(
        &analysis,
        &TextOptions {
            color: false,
            all: true,
        },
    );
    assert!(all.contains("a weakly matched alarm (confidence 0.30)"));
    assert!(!all.contains("not shown"));
    let page = html(&analysis, &HtmlOptions::default());
    assert!(!page.contains("a weakly matched alarm"));
    assert!(page.contains("1 alarm below confidence 0.5 not shown"));
    let page = html(&analysis, &HtmlOptions { all: true });
    assert!(page.contains("a weakly matched alarm"));
    assert!(page.contains("confidence 0.30"));
    assert!(json(&analysis).contains("a weakly matched alarm"));
}

#[test]
fn plain_text_has_no_escape_codes_and_colour_has_some() {
    let mut analysis = fixture::analysis();
    analysis.articles[1].article.outlet = Some("Daily\u{1b}[31m Planet".into());
    analysis.groups[0].explanation.push_str("\u{1b}[2J");
    if let Some(provenance) = &mut analysis.provenance {
        provenance.inputs.push("evil\u{1b}[2J.txt".into());
    }
    assert!(!plain(&analysis).contains('\u{1b}'));
    let coloured = text(
        &analysis,
        &TextOptions {
            color: true,
            all: false,
        },
    );
    assert!(coloured.contains("\u{1b}["));
    assert!(!coloured.contains("\u{1b}[2J"));
    assert!(!coloured.contains("\u{1b}[31m Planet"));
}

#[test]
fn text_report_orders_verdicts_and_renders_word_diffs() {
    let report = plain(&fixture::analysis());
    let position = |needle: &str| {
        report
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{report}"))
    };
    assert!(position("CONFLICT (1)") < position("HOLDER CONFLICT (1)"));
    assert!(position("QUOTE ALTERED (1)") < position("SINGLE SOURCE (2)"));
    position("Harbor Courier → Daily Planet: a reckless gamble with the [-city’s-] economy.");
    position("Sourcing: named 1 · anonymous 1 · hedged 0 · document 1");
    position("Framing (outlet’s voice): “collapsed” (dramatic) · 1 more term only inside quotes");
    position("[Marlow strike hits trucking] “212 trucks”");
    position("scans/ledger.pdf: unsupported format");
}

#[test]
fn text_report_says_when_there_is_nothing_to_compare() {
    let mut analysis = fixture::analysis();
    analysis.groups.clear();
    let report = plain(&analysis);
    assert!(report.starts_with(
        "3 articles · 1 story · 0 claim groups · 2 input errors\n\nNo claims to compare.\n"
    ));
}

#[test]
fn reports_are_deterministic() {
    let analysis = fixture::analysis();
    assert_eq!(json(&analysis), json(&analysis));
    assert_eq!(
        html(&analysis, &HtmlOptions::default()),
        html(&analysis, &HtmlOptions::default())
    );
    assert_eq!(plain(&analysis), plain(&analysis));
}

#[test]
fn json_report_validates_against_the_published_schema() {
    let schema: serde_json::Value = serde_json::from_str(JSON_SCHEMA).expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let mut analysis = fixture::analysis();
    analysis.groups[0]
        .evidence
        .push(Span::new(7, TextRange::new(0, 1)));
    // The fixture holds no implied office claim; one is added so its schema is checked too.
    let doc = analysis.articles[0].article.id;
    let span = Span::new(doc, TextRange::new(0, 4));
    analysis.articles[0].claims.push(Claim {
        evidence: span,
        kind: ClaimKind::ImpliedOffice(ImpliedOffice {
            cue: span,
            offices: vec![Office {
                title: "president".into(),
                org: None,
            }],
            tenure: Tenure::Former,
            candidates: vec![Mention { entity: 0, span }],
            name: None,
            implied_by: ImpliedBy::FormerTitle,
            historical: false,
        }),
    });
    for report in [json(&fixture::analysis()), json(&analysis)] {
        let instance: serde_json::Value = serde_json::from_str(&report).expect("report is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "schema violations:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn schema_rejects_a_report_missing_evidence_text() {
    let schema: serde_json::Value = serde_json::from_str(JSON_SCHEMA).expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let mut instance: serde_json::Value =
        serde_json::from_str(&json(&fixture::analysis())).expect("report is JSON");
    if let Some(evidence) = instance.pointer_mut("/groups/0/evidence/0")
        && let Some(object) = evidence.as_object_mut()
    {
        object.remove("text");
    }
    assert!(!validator.is_valid(&instance));
}

#[test]
fn json_report_reads_back_as_the_analysis() {
    let analysis = fixture::analysis();
    let back: Analysis = serde_json::from_str(&json(&analysis)).expect("report is an Analysis");
    assert_eq!(back, analysis);
}

#[test]
fn json_evidence_quotes_its_text_and_marks_invalid_spans_null() {
    let mut analysis = fixture::analysis();
    analysis.groups[1]
        .evidence
        .push(Span::new(0, TextRange::new(10, 99_999)));
    let report: serde_json::Value = serde_json::from_str(&json(&analysis)).expect("JSON");
    assert_eq!(
        report["groups"][0]["evidence"][2]["text"],
        "About 450 dockworkers"
    );
    assert!(report["groups"][1]["evidence"][2]["text"].is_null());
    assert_eq!(report["summary"]["invalid_evidence"], 1);
    assert_eq!(report["summary"]["verdicts"]["single_source"], 2);
    assert_eq!(report["articles"][0]["sourcing"]["anonymous"], 1);
}

#[test]
fn invalid_spans_are_reported_not_rendered() {
    let mut analysis = fixture::analysis();
    let curly = analysis.articles[0]
        .article
        .text
        .find('“')
        .expect("fixture has curly quotes");
    analysis.groups[0].evidence = vec![
        Span::new(0, TextRange::new(curly + 1, curly + 5)),
        Span::new(9, TextRange::new(0, 4)),
        Span::new(1, TextRange::new(30, 20)),
        Span::new(2, TextRange::new(0, 1 << 20)),
    ];
    let problems: Vec<SpanProblem> = invalid_evidence(&analysis)
        .iter()
        .map(|i| i.problem)
        .collect();
    assert_eq!(
        problems,
        vec![
            SpanProblem::SplitsCharacter,
            SpanProblem::UnknownArticle,
            SpanProblem::Reversed,
            SpanProblem::OutOfBounds {
                text_len: analysis.articles[2].article.text.len()
            },
        ]
    );
    let report = plain(&analysis);
    assert!(report.contains("(invalid evidence, bytes 30..20: the span ends before it starts)"));
    assert!(report.contains("[unknown article 9] (invalid evidence"));
    let page = html(&analysis, &HtmlOptions::default());
    assert_eq!(page.matches("invalid evidence, bytes").count(), 4);
    assert!(!page.contains("id=\"span-0-0\""));
}

#[test]
fn html_escapes_untrusted_input_everywhere() {
    const PAYLOADS: [&str; 3] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "</textarea><b>",
    ];
    let mut analysis = fixture::analysis();
    let hostile = PAYLOADS.join(" ");
    for analyzed in &mut analysis.articles {
        let article = &mut analyzed.article;
        article.title = Some(hostile.clone());
        article.outlet = Some(hostile.clone());
        article.byline = Some(hostile.clone());
        article.source.path = hostile.clone();
        article.url = Some(format!("https://{hostile}/story"));
        let original = article.text.len();
        article.text.push_str(&format!("\n{hostile}\n"));
        analyzed.dating = None;
        let _ = original;
    }
    let tail = analysis.articles[0].article.text.len() - 1;
    let start = tail - hostile.len();
    analysis.groups[0]
        .evidence
        .push(Span::new(0, TextRange::new(start, tail)));
    for group in &mut analysis.groups {
        group.explanation = hostile.clone();
    }
    analysis.stories[0].label = hostile.clone();
    analysis.errors[0].source = hostile.clone();
    analysis.errors[0].reason = hostile.clone();
    if let Some(provenance) = &mut analysis.provenance {
        provenance.inputs.push(hostile.clone());
        provenance.knowledge_bases.push(hostile.clone());
    }
    let page = html(&analysis, &HtmlOptions::default());
    for payload in PAYLOADS {
        assert!(!page.contains(payload), "unescaped {payload:?}");
    }
    for raw in ["<script", "<img", "</textarea", "<b>"] {
        assert!(!page.contains(raw), "raw {raw:?} in page");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn html_is_self_contained() {
    let page = html(&fixture::analysis(), &HtmlOptions::default());
    // Article URLs are shown as text; nothing may be loaded or linked from outside.
    for external in [
        "<link",
        "<script",
        "src=",
        "@import",
        "url(",
        "href=\"http",
        "href=\"//",
    ] {
        assert!(!page.contains(external), "{external:?} in page");
    }
}

#[test]
fn html_links_groups_and_spans_both_ways() {
    let page = html(&fixture::analysis(), &HtmlOptions::default());
    for (group, spans) in [(0, 3), (3, 2), (7, 1)] {
        assert!(page.contains(&format!("id=\"group-{group}\"")));
        for k in 0..spans {
            assert!(page.contains(&format!("href=\"#span-{group}-{k}\"")));
            assert!(page.contains(&format!("id=\"span-{group}-{k}\" href=\"#group-{group}\"")));
        }
    }
    // "on Monday" lies inside the conflict sentence: its segment carries both groups.
    assert!(page.contains("data-spans=\"span-0-0 span-7-0\""));
}

/// The fixture plus a quiet second story (one article known only by its URL) listed first, so
/// the index must reorder by dispute.
fn two_stories() -> Analysis {
    let mut analysis = fixture::analysis();
    let mut quiet = analysis.articles[2].clone();
    quiet.article.renumber(3);
    quiet.article.title = Some("Ferry timetable unchanged".into());
    quiet.article.source = corroborate_model::SourceRef::file("inbox/ferry.html");
    quiet.article.url = Some("https://www.ferry-gazette.example:8443/news/1".into());
    quiet.claims.clear();
    analysis.articles.push(quiet);
    for group in &mut analysis.groups {
        group.story = Some(1);
    }
    let strike = analysis.stories.remove(0);
    analysis.stories = vec![
        corroborate_model::Story {
            id: 0,
            label: "ferri timet".into(),
            docs: vec![3],
            near_duplicates: vec![],
        },
        corroborate_model::Story { id: 1, ..strike },
    ];
    analysis
}

#[test]
fn html_indexes_stories_most_disputed_first_under_their_headlines() {
    let page = html(&two_stories(), &HtmlOptions::default());
    let position = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from the page"))
    };
    assert!(
        position("<a href=\"#story-1\">Port strike enters third week</a>")
            < position("<a href=\"#story-0\">Ferry timetable unchanged</a>")
    );
    assert!(position("id=\"story-1\"") < position("id=\"story-0\""));
    assert!(
        !page.contains("marlow port strike"),
        "stemmed label shown as a title"
    );
    // An article without an outlet is named by the site of its URL, never by its file.
    assert!(page.contains("<p class=\"outlet\">ferry-gazette.example</p>"));
    assert!(!page.contains(">ferry.html<"));
}

#[test]
fn html_explains_every_colour() {
    let page = html(&fixture::analysis(), &HtmlOptions::default());
    for verdict in corroborate_model::Verdict::ALL {
        assert!(
            page.contains(&format!("class=\"swatch v-{}\"", verdict.name())),
            "no legend entry for {verdict:?}"
        );
    }
}

#[test]
fn html_glance_table_puts_outlets_against_disputed_facts() {
    let page = html(&fixture::analysis(), &HtmlOptions::default());
    let table =
        &page[page.find("<table>").expect("a glance table")..page.find("</table>").unwrap()];
    assert!(table.contains("G1 dockworker"), "{table}");
    assert!(
        table.contains("<th scope=\"row\">Daily Planet</th>"),
        "{table}"
    );
    assert!(
        table.contains("<td class=\"v-conflict\">About 450</td>"),
        "{table}"
    );
    assert!(
        table.contains("<td class=\"v-conflict\">More than 600</td>"),
        "{table}"
    );
    // Agreeing and single-source groups are not disputed facts.
    assert!(!table.contains("G7"), "{table}");
}

#[test]
fn html_shows_evidence_inside_its_sentence() {
    let page = html(&fixture::analysis(), &HtmlOptions::default());
    let card = &page[page.find("id=\"group-4\"").expect("group 4")..];
    let card = &card[..card.find("</div>").unwrap()];
    assert!(
        card.contains("has left <mark class=\"v-vague-vs-precise\"><a href=\"#span-4-1\">212 trucks</a></mark> idle at the gates"),
        "{card}"
    );
}

#[test]
fn every_report_records_its_provenance() {
    let analysis = fixture::analysis();
    let line = "Generated by corroborate 0.1.0 on 2025-03-06 09:30:00 UTC from articles/, \
                feeds/marlow.xml; knowledge bases: built-in, marlow-kb.toml";
    assert!(plain(&analysis).contains(line));
    assert!(html(&analysis, &HtmlOptions::default()).contains(line));
    let report: serde_json::Value = serde_json::from_str(&json(&analysis)).expect("JSON");
    assert_eq!(report["schema_version"], "1.6");
    assert_eq!(report["provenance"]["generated_at"], "2025-03-06T09:30:00Z");
    assert_eq!(report["provenance"]["knowledge_bases"][1], "marlow-kb.toml");
    let mut many = analysis.clone();
    if let Some(provenance) = &mut many.provenance {
        provenance.inputs = (0..1000).map(|i| format!("a{i}.txt")).collect();
    }
    assert!(plain(&many).contains("from a0.txt, a1.txt, a2.txt, a3.txt, a4.txt, and 995 more;"));
    let mut without = analysis;
    without.provenance = None;
    assert!(!json(&without).contains("provenance"));
}

#[test]
fn compact_json_is_the_same_report_on_one_line() {
    let analysis = fixture::analysis();
    let mut compact = Vec::new();
    write_json(
        &analysis,
        &mut compact,
        corroborate_report::JsonLayout::Compact,
    )
    .unwrap();
    let compact = String::from_utf8(compact).unwrap();
    assert_eq!(compact.lines().count(), 1);
    assert!(compact.len() < json(&analysis).len() * 3 / 4);
    let a: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let b: serde_json::Value = serde_json::from_str(&json(&analysis)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn json_lines_give_one_typed_object_per_line() {
    let analysis = fixture::analysis();
    let mut out = Vec::new();
    corroborate_report::write_jsonl(&analysis, &mut out).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "run");
    assert_eq!(lines[0]["summary"]["groups"], 8);
    for (kind, n) in [("article", 3), ("story", 1), ("group", 8), ("error", 2)] {
        assert_eq!(kinds.iter().filter(|k| **k == kind).count(), n, "{kind}");
    }
    let group = lines.iter().find(|l| l["type"] == "group").unwrap();
    assert_eq!(group["id"], 0);
    assert_eq!(group["evidence"][2]["text"], "About 450 dockworkers");
    assert_eq!(lines[1]["article"]["outlet"], "Harbor Courier");
}

#[test]
fn story_reports_come_as_text_json_and_json_lines() {
    let analysis = fixture::analysis();
    let text = corroborate_report::stories_text(&analysis);
    assert!(text.starts_with("3 articles in 1 story\n"), "{text}");
    assert!(
        text.contains("similarity 0.82, likely source [0], 1 shared passage\n"),
        "{text}"
    );
    // A passage aligned with one worded differently is quoted from both sides: neither
    // wording is called shared.
    let mut reworded = analysis.clone();
    reworded.stories[0].near_duplicates[0].shared[0].1.start += 4;
    let text = corroborate_report::stories_text(&reworded);
    assert!(
        text.contains("    [0] “The union’s statement reads:")
            && text.contains("    [2] “union’s statement reads:"),
        "{text}"
    );
    let mut json = Vec::new();
    corroborate_report::write_stories_json(&analysis, &mut json, Default::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["stories"][0]["docs"], serde_json::json!([0, 1, 2]));
    assert_eq!(json["articles"][2]["source"], "feeds/ledger.xml#7");
    let mut lines = Vec::new();
    corroborate_report::write_stories_jsonl(&analysis, &mut lines).unwrap();
    let lines = String::from_utf8(lines).unwrap();
    assert_eq!(lines.lines().count(), 1 + 3 + 1 + 2);
    assert!(
        lines
            .lines()
            .nth(4)
            .unwrap()
            .starts_with("{\"type\":\"story\",\"id\":0,")
    );
}

#[test]
fn html_cards_and_tables_stay_small_for_large_stories() {
    let mut analysis = fixture::analysis();
    // Twenty copies of the Daily Planet, all in the conflict group and in 20 conflicts.
    let planet = analysis.articles[1].clone();
    let span = analysis.groups[0].evidence[2];
    for n in 0..20u32 {
        let mut copy = planet.clone();
        copy.article.renumber(3 + n);
        analysis.articles.push(copy);
        analysis.stories[0].docs.push(3 + n);
        analysis.groups[0]
            .evidence
            .push(Span { doc: 3 + n, ..span });
    }
    let conflict = analysis.groups[0].clone();
    for _ in 0..20 {
        analysis.groups.insert(1, conflict.clone());
    }
    let page = html(&analysis, &HtmlOptions::default());
    let card = &page[page.find("id=\"group-0\"").unwrap()..];
    let card = &card[..card.find("</div>").unwrap()];
    assert_eq!(card.matches("<q class=\"context\">").count(), 8, "{card}");
    assert!(
        card.contains("Also in 14 more places: <a href=\"#span-0-"),
        "{card}"
    );
    assert!(page.contains("(the 12 most important of 24; all are in the groups below)"));
    // Every span is still highlighted in its article.
    assert!(page.contains("id=\"span-0-22\""));
}

/// 500 stories of 12 articles of 4 KB each (24 MB of text), one conflict per story, the first
/// story the most disputed.
fn many_stories() -> Analysis {
    use corroborate_model::{
        AnalyzedArticle, Article, ClaimGroup, QuantityUnit, SourceRef, Story, Topic, Verdict,
    };
    let sentence = "Crews worked through the night at the harbour after the fire spread. ";
    let text = sentence.repeat(4_000 / sentence.len());
    let mut analysis = fixture::analysis();
    analysis.articles.clear();
    analysis.stories.clear();
    analysis.groups.clear();
    for s in 0..500usize {
        let mut docs = Vec::new();
        for k in 0..12 {
            let id = analysis.articles.len() as u32;
            let mut article =
                Article::from_text(id, SourceRef::file(format!("s{s}/{k}.txt")), &*text);
            article.outlet = Some(format!("Outlet {k}"));
            article.title = Some(format!("Story {s}"));
            analysis.articles.push(AnalyzedArticle::new(article));
            docs.push(id);
        }
        for _ in 0..if s == 0 { 3 } else { 1 } {
            analysis.groups.push(ClaimGroup {
                topic: Topic::Quantity {
                    counted: "crew".into(),
                    unit: QuantityUnit::Count,
                },
                verdict: Verdict::Conflict,
                explanation: "“crews”: 12 (Outlet 0) vs 20 (Outlet 1)".into(),
                claims: vec![],
                evidence: docs
                    .iter()
                    .map(|&d| Span::new(d, TextRange::new(0, 5)))
                    .collect(),
                diffs: vec![],
                independent_sources: 12,
                story: Some(s),
                confidence: 0.8,
            });
        }
        analysis.stories.push(Story {
            id: s,
            label: format!("story {s}"),
            docs,
            near_duplicates: vec![],
        });
    }
    analysis
}

#[test]
fn html_of_a_large_run_summarises_stories_past_its_budget() {
    let analysis = many_stories();
    let page = html(&analysis, &HtmlOptions::default());
    assert!(page.len() < 20_000_000, "{} bytes", page.len());
    // The most disputed story in full, with its articles' text; the last one summarised,
    // still listing its groups and articles under the ids the index and tables link to.
    let first = &page[page.find("id=\"story-0\"").unwrap()..];
    let first = &first[..first.find("</section>").unwrap()];
    assert!(
        first.contains("<article class=\"doc\" id=\"doc-0\">"),
        "{first}"
    );
    let last = &page[page
        .find("<section class=\"story summary\" id=\"story-499\"")
        .expect("summarised")..];
    assert!(last.contains("id=\"group-501\""));
    assert!(last.contains("<li id=\"doc-5999\"><strong>Outlet 11</strong> — Story 499"));
    assert!(!last.contains("Crews worked through the night"));
    for s in 0..500 {
        assert!(page.contains(&format!("href=\"#story-{s}\"")));
    }
}
