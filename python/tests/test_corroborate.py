"""Tests of the Python package against the repository's example corpus and the CLI's report.

Run by scripts/python-test.sh (which builds the CLI and the package first); the CLI's binary
comes from CORROBORATE_CLI, else target/release or target/debug.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import threading
import time

import pyarrow as pa
import pytest

import corroborate

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"
KB = ROOT / "examples" / "kestrel-bay-kb.toml"

COURIER = """---
outlet: The Kestrel Bay Courier
title: Warehouse fire shuts Kestrel Bay harbour
date: 2026-03-14
---
More than 120 firefighters fought the blaze at the harbour warehouses on Friday, the fire
department said. Fire Chief Dana Okafor said the port would stay closed until Monday.
"""

RADIO = {
    "url": "https://radio.example/2026/03/14/harbour-fire",
    "outlet": "Bay Radio News",
    "title": "Harbour warehouses burn in Kestrel Bay",
    "date": "2026-03-14",
    "text": (
        "Only 80 firefighters fought the blaze at the harbour warehouses on Friday, the fire "
        "department said. Fire Chief Dana Okafor said the port would stay closed until Monday."
    ),
}


def cli() -> str:
    if "CORROBORATE_CLI" in os.environ:
        return os.environ["CORROBORATE_CLI"]
    for profile in ("release", "debug"):
        binary = ROOT / "target" / profile / "corroborate"
        if binary.exists():
            return str(binary)
    pytest.skip("no corroborate binary: build it with cargo build -p corroborate-cli")


def without_time(report: dict) -> dict:
    report = dict(report)
    report["provenance"] = {k: v for k, v in report["provenance"].items() if k != "generated_at"}
    return report


@pytest.fixture(scope="module")
def example() -> corroborate.Report:
    return corroborate.analyze([str(EXAMPLES)], kb=KB)


def test_report_is_the_cli_json_report(example, tmp_path):
    out = tmp_path / "cli.json"
    subprocess.run(
        [cli(), "analyze", str(EXAMPLES), "--kb", str(KB), "-f", "json", "-o", str(out), "-q"],
        check=True,
    )
    expected = json.loads(out.read_text())
    assert without_time(example.to_dict()) == without_time(expected)
    assert example.summary["verdicts"]["conflict"] >= 1
    assert example.summary["verdicts"]["holder_conflict"] >= 1
    assert example.schema_version == expected["schema_version"]
    assert example.provenance["knowledge_bases"] == ["built-in", str(KB)]


def test_to_json_writes_what_to_dict_reads(example, tmp_path):
    path = tmp_path / "report.json"
    assert example.to_json(path) is None
    assert json.loads(path.read_text()) == example.to_dict()
    pretty = example.to_json(pretty=True)
    assert pretty.startswith("{\n") and json.loads(pretty) == example.to_dict()


def test_attributes_follow_the_json_report(example):
    report = example.to_dict()
    assert set(report) == {
        "schema_version", "summary", "articles", "stories", "groups", "errors", "provenance",
    }
    assert example.articles is report["articles"]
    assert len(example.articles) == report["summary"]["articles"] == 6
    assert len(example.stories) == 2
    assert example.errors == []
    assert "6 articles" in repr(example)


def test_tables_hold_the_report_fields(example):
    report = example.to_dict()
    tables = example.to_arrow()
    assert set(tables) == set(corroborate.TABLES)
    for name, table in tables.items():
        assert table.schema == corroborate.table_schema(name), name

    articles = tables["articles"].to_pylist()
    assert [a["doc"] for a in articles] == list(range(len(report["articles"])))
    for row, full in zip(articles, report["articles"]):
        assert row["title"] == full["article"]["title"]
        assert row["text"] == full["article"]["text"]
        assert row["claims"] == len(full["claims"])
        assert row["sourcing"] == full["sourcing"]
        published = full["article"].get("published")
        assert (row["published"].isoformat() if row["published"] else None) == (
            published["date"] if published else None
        )
    story_of = {doc: s["id"] for s in report["stories"] for doc in s["docs"]}
    assert [a["story"] for a in articles] == [story_of.get(a["doc"]) for a in articles]

    claims = tables["claims"].to_pylist()
    assert len(claims) == sum(len(a["claims"]) for a in report["articles"])
    for row in claims:
        full = report["articles"][row["doc"]]["claims"][row["claim"]]
        assert json.loads(row["json"]) == full
        assert row["type"] == full["type"]
        text = report["articles"][row["doc"]]["article"]["text"].encode()
        assert row["text"] == text[row["start"]:row["end"]].decode()

    stories = tables["stories"].to_pylist()
    assert [(s["story"], s["label"], s["docs"]) for s in stories] == [
        (s["id"], s["label"], s["docs"]) for s in report["stories"]
    ]

    groups = tables["groups"].to_pylist()
    assert len(groups) == len(report["groups"])
    for row, full in zip(groups, report["groups"]):
        assert row["verdict"] == full["verdict"]
        assert json.loads(row["topic"]) == full["topic"]
        assert row["explanation"] == full["explanation"]
        assert row["claims"] == full["claims"]
        assert row["evidence"] == full["evidence"]
        assert row["story"] == full["story"]
        assert row["confidence"] == pytest.approx(full["confidence"], rel=1e-6)
        assert json.loads(row["diffs"]) == full["diffs"]


def test_pandas(example):
    frames = example.to_pandas()
    groups = frames["groups"]
    assert list(groups.columns) == corroborate.table_schema("groups").names
    assert (groups["verdict"] == "conflict").sum() == example.summary["verdicts"]["conflict"]
    assert len(frames["articles"]) == 6


def test_strings_records_and_paths_mix_in_input_order():
    courier = EXAMPLES / "harbour-fire" / "courier.txt"
    report = corroborate.analyze([COURIER, RADIO, courier, pathlib.Path(courier)])
    sources = [a["article"]["source"]["path"] for a in report.articles]
    assert sources == ["inputs[0]", "inputs[1]", str(courier), str(courier)]
    first, second = report.articles[0]["article"], report.articles[1]["article"]
    assert first["outlet"] == "The Kestrel Bay Courier"
    assert second["outlet"] == "Bay Radio News" and second["url"] == RADIO["url"]
    conflicts = [g for g in report.groups if g["verdict"] == "conflict"]
    assert conflicts and "firefighters" in conflicts[0]["explanation"]
    assert report.provenance["inputs"] == ["inputs[0]", "inputs[1]", str(courier), str(courier)]


def test_a_single_input_need_not_be_a_list():
    assert len(corroborate.analyze(RADIO).articles) == 1
    assert len(corroborate.analyze(str(EXAMPLES)).articles) == 6


def test_bad_input_names_the_input_and_the_reason(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(corroborate.InputError) as raised:
        corroborate.analyze([RADIO, str(missing), {"title": "no text"}])
    message = str(raised.value)
    assert str(missing) in message and "No such file" in message
    assert "inputs[2]: record has no text or html field" in message
    assert [e["source"] for e in raised.value.errors] == [str(missing), "inputs[2]"]
    assert len(raised.value.report.articles) == 1
    assert isinstance(raised.value, ValueError)


def test_keep_lists_errors_like_the_cli(tmp_path):
    report = corroborate.analyze([RADIO, str(tmp_path / "missing.txt")], on_error="keep")
    assert len(report.articles) == 1
    assert report.errors[0]["source"].endswith("missing.txt")
    assert report.to_dict()["errors"] == report.errors


def test_wrong_types_and_options_are_refused():
    with pytest.raises(TypeError, match=r"inputs\[1\]: expected a path.*got int"):
        corroborate.analyze([RADIO, 3])
    with pytest.raises(ValueError, match="threads"):
        corroborate.analyze(RADIO, threads=0)
    with pytest.raises(ValueError, match="on_error"):
        corroborate.analyze(RADIO, on_error="ignore")
    with pytest.raises(ValueError, match="no table 'quotes'"):
        corroborate.analyze(RADIO).to_arrow("quotes")


def test_a_bad_knowledge_base_names_the_file_and_line(tmp_path):
    kb = tmp_path / "kb.toml"
    kb.write_text("[[holding]]\nperson = \n")
    with pytest.raises(corroborate.InputError, match="kb.toml"):
        corroborate.analyze(RADIO, kb=kb)
    with pytest.raises(corroborate.InputError, match="nowhere.toml"):
        corroborate.analyze(RADIO, kb=[tmp_path / "nowhere.toml"])


def test_threads_give_the_same_report():
    one = corroborate.analyze([str(EXAMPLES)], kb=KB, threads=1).to_dict()
    two = corroborate.analyze([str(EXAMPLES)], kb=KB, threads=2).to_dict()
    assert without_time(one) == without_time(two)


def test_empty_input_gives_empty_tables():
    report = corroborate.analyze([])
    assert report.summary["articles"] == 0
    for name, table in report.to_arrow().items():
        assert table.num_rows == 0 and table.schema == corroborate.table_schema(name)


def test_extract_matches_the_cli(tmp_path):
    page = (
        "<html><head><title>Harbour fire | Courier</title>"
        '<meta property="article:published_time" content="2026-03-14T09:00:00Z">'
        '<meta name="author" content="Mira Castell"></head><body><nav>Home News Sport</nav>'
        "<article><h1>Harbour fire</h1>"
        + "<p>More than 120 firefighters fought the blaze at the harbour warehouses.</p>" * 8
        + "</article><footer>Contact us</footer></body></html>"
    )
    url = "https://courier.example/2026/03/14/harbour-fire"
    extracted = corroborate.extract(page, url=url)
    assert extracted["url"] == url
    assert extracted["published"] == "2026-03-14"
    assert "firefighters" in extracted["text"] and "Contact us" not in extracted["text"]
    assert corroborate.extract(page.encode("utf-8"), url=url) == extracted

    path = tmp_path / "page.html"
    path.write_text(page)
    line = subprocess.run(
        [cli(), "extract", str(path), "-f", "json", "-q"], check=True, capture_output=True, text=True
    ).stdout
    from_cli = json.loads(line)
    for key in ("title", "byline", "published", "language", "text"):
        assert extracted[key] == from_cli[key], key


def test_extract_refuses_what_is_not_an_article():
    with pytest.raises(corroborate.InputError, match="<content>"):
        corroborate.extract(b"\xff\xfe\x00\xd8 not text")
    with pytest.raises(TypeError):
        corroborate.extract(42)


def test_the_gil_is_released_while_rust_works():
    """A Python thread keeps counting while analyze() runs on another thread."""
    texts = [
        {"text": f"Officials said {100 + i} people were evacuated from the harbour district "
                 f"on Friday after the fire. " * 30, "outlet": f"Outlet {i % 7}"}
        for i in range(1000)
    ]
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.perf_counter()
    report = corroborate.analyze(texts, threads=1)
    elapsed = time.perf_counter() - started
    done.set()
    counter.join()
    assert len(report.articles) == 1000
    # Holding the GIL for the whole call would leave the counter at a handful of ticks.
    assert ticks > 0.3 * elapsed / 0.001 * 0.5, (ticks, elapsed)


def test_version_and_stubs():
    assert corroborate.__version__
    package = pathlib.Path(corroborate.__file__).parent
    assert (package / "__init__.pyi").exists() and (package / "py.typed").exists()
