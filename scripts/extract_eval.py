#!/usr/bin/env python3
"""Accuracy of `corroborate extract` against public ground truth, beside trafilatura and
readability-lxml measured in the same run.

Data (../shared/testdata):
  readability-test-pages/pages/<case>/{source.html, expected.html, expected-metadata.json}
  htmldate-mediacloud/{html/<id>.html, ground-truth.json}

Metrics:
  main text   F1 over word 4-gram shingles (per page precision and recall, F1 averaged over pages)
  title       exact match after NFC, whitespace collapse and case folding (pages with a title)
  by-line     same, on pages whose ground truth has a by-line
  date        same calendar day (readability pages with publishedTime; mediacloud pages with a date),
              plus mediacloud accuracy over all 200 pages (a page with no gold date must get none)

Every tool gets the same input: the page, and for mediacloud the page URL (given to corroborate as
a JSON Lines record {url, html}). Python tools are installed with pip into .bench/venv.

Usage: python3 scripts/extract_eval.py [--no-python] [--engines]
  --engines   also score corroborate's alternative HTML engine (the trafilatura crate) via the
              extract_engine example
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "testdata"
BENCH = ROOT / ".bench"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve()
VENV = BENCH / "venv"
WORD = re.compile(r"\w+", re.UNICODE)
TAG = re.compile(r"<[^>]+>")


def words(text):
    return WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def shingles(text, n=4):
    w = words(text)
    if len(w) < n:
        return {tuple(w)} if w else set()
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def f1(pred, gold):
    p, g = shingles(pred), shingles(gold)
    if not p and not g:
        return 1.0, 1.0, 1.0
    if not p or not g:
        return 0.0, 0.0, 0.0
    common = len(p & g)
    prec, rec = common / len(p), common / len(g)
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s or "").split()).casefold()


def html_text(html):
    import html as h

    html = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html)
    return h.unescape(TAG.sub(" ", html))


def day(value):
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return m.group(0) if m else None


def readability_cases():
    base = SHARED / "readability-test-pages" / "pages"
    cases = []
    for d in sorted(base.iterdir()):
        meta = json.loads((d / "expected-metadata.json").read_text(encoding="utf-8"))
        gold = html_text((d / "expected.html").read_text(encoding="utf-8"))
        cases.append({"name": d.name, "path": str(d / "source.html"), "gold": gold, "meta": meta})
    return cases


def mediacloud_cases():
    base = SHARED / "htmldate-mediacloud"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        {"url": url, "path": str(base / "html" / v["file"]), "date": v["date"]}
        for url, v in sorted(truth.items())
    ]


def run_corroborate(binary, paths, threads=1):
    out = subprocess.run(
        [binary, "extract", "-f", "json", "-j", str(threads), *paths],
        capture_output=True,
        text=True,
    )
    results = {}
    for line in out.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            results[obj["source"]] = obj
    return results


def corroborate_readability(binary, cases):
    by_source = run_corroborate(binary, [c["path"] for c in cases])
    return [by_source.get(c["path"], {}) for c in cases]


def corroborate_mediacloud(binary, cases):
    records = BENCH / "mediacloud.jsonl"
    with records.open("w", encoding="utf-8") as f:
        for c in cases:
            raw = Path(c["path"]).read_bytes()
            html = raw.decode("utf-8", errors="replace")
            f.write(json.dumps({"url": c["url"], "html": html}) + "\n")
    by_source = run_corroborate(binary, [str(records)])
    out = []
    for i, _ in enumerate(cases):
        out.append(by_source.get(f"{records}#{i}", {}))
    return out


def engine_results(engine, paths):
    exe = TARGET / "release" / "examples" / "extract_engine"
    proc = subprocess.run([str(exe), engine, *paths], capture_output=True, text=True)
    by_source = {}
    for line in proc.stdout.splitlines():
        obj = json.loads(line)
        by_source[obj["source"]] = obj
    return [by_source.get(p, {}) for p in paths]


PY_TOOLS = r'''
import json, sys, warnings
warnings.filterwarnings("ignore")
tool, kind, listing = sys.argv[1], sys.argv[2], sys.argv[3]
items = json.load(open(listing))
out = []
for it in items:
    raw = open(it["path"], "rb").read()
    url = it.get("url")
    r = {}
    try:
        if tool == "trafilatura":
            import trafilatura
            doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
            if doc is not None:
                d = doc.as_dict() if hasattr(doc, "as_dict") else doc
                r = {"text": d.get("text"), "title": d.get("title"), "byline": d.get("author"),
                     "published": d.get("date")}
        elif tool == "readability-lxml":
            from readability import Document
            import lxml.html
            doc = Document(raw, url=url)
            summary = doc.summary(html_partial=True)
            text = "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""
            r = {"text": text, "title": doc.short_title(), "byline": None, "published": None}
        elif tool == "htmldate":
            from htmldate import find_date
            r = {"published": find_date(raw.decode("utf-8", "replace"), url=url, original_date=True)}
    except Exception as e:
        r = {"error": str(e)}
    out.append(r)
json.dump(out, sys.stdout)
'''


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    need = subprocess.run(
        [str(py), "-c", "import trafilatura, readability, htmldate"], capture_output=True
    )
    if need.returncode != 0:
        # pip 23's resolver trips over lxml's duplicated extras; a current pip does not.
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "trafilatura", "readability-lxml", "lxml_html_clean"],
            check=True,
        )
    return str(py)


def run_python(py, tool, items):
    listing = BENCH / f"list-{tool}.json"
    listing.write_text(json.dumps(items))
    script = BENCH / "eval_tools.py"
    script.write_text(PY_TOOLS)
    proc = subprocess.run([py, str(script), tool, "x", str(listing)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return [{} for _ in items]
    return json.loads(proc.stdout)


def score_readability(cases, results):
    f1s, precs, recs, title_hits, title_n, by_hits, by_n, date_hits, date_n = ([] , [], [], 0, 0, 0, 0, 0, 0)
    for c, r in zip(cases, results):
        p, rc, f = f1(r.get("text") or "", c["gold"])
        f1s.append(f)
        precs.append(p)
        recs.append(rc)
        m = c["meta"]
        if m.get("title"):
            title_n += 1
            title_hits += norm(r.get("title")) == norm(m["title"])
        if m.get("byline"):
            by_n += 1
            by_hits += norm(r.get("byline")) == norm(m["byline"])
        if m.get("publishedTime"):
            date_n += 1
            date_hits += day(r.get("published")) == day(m["publishedTime"])
    n = len(cases)
    return {
        "precision": sum(precs) / n,
        "recall": sum(recs) / n,
        "f1": sum(f1s) / n,
        "title": title_hits / title_n if title_n else None,
        "byline": by_hits / by_n if by_n else None,
        "date": date_hits / date_n if date_n else None,
        "date_n": date_n,
    }


def score_dates(cases, results):
    tp = fp = fn = tn = 0
    for c, r in zip(cases, results):
        got = day(r.get("published"))
        if c["date"]:
            if got == c["date"]:
                tp += 1
            elif got:
                fp += 1
            else:
                fn += 1
        else:
            if got:
                fp += 1
            else:
                tn += 1
    dated = sum(1 for c in cases if c["date"])
    return {
        "accuracy_all": (tp + tn) / len(cases),
        "accuracy_dated": tp / dated if dated else None,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def fmt(x):
    return "  n/a" if x is None else f"{x:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-python", action="store_true", help="skip trafilatura/readability-lxml")
    ap.add_argument("--engines", action="store_true", help="also score the trafilatura-crate engine")
    ap.add_argument("--binary", help="corroborate binary to score (default: build and use this checkout's)")
    args = ap.parse_args()
    if not SHARED.exists():
        print("skipped: ../shared not found")
        return
    BENCH.mkdir(exist_ok=True)
    if args.binary is None:
        # Always build: cargo does nothing when the binary is fresh, and a stale one would be
        # scored silently.
        subprocess.run(["cargo", "build", "--release", "-p", "corroborate-cli"], check=True, cwd=ROOT)
        args.binary = str(TARGET / "release" / "corroborate")
    rcases = readability_cases()
    mcases = mediacloud_cases()
    real = [i for i, c in enumerate(rcases) if re.search(r"\d$|-\d+$", c["name"]) and not re.match(r"^\d+$", c["name"])]

    rows = []
    t = time.time()
    ours_r = corroborate_readability(args.binary, rcases)
    ours_m = corroborate_mediacloud(args.binary, mcases)
    rows.append(("corroborate", ours_r, ours_m, time.time() - t))
    if args.engines:
        subprocess.run(
            ["cargo", "build", "--release", "-p", "corroborate-extract", "--example", "extract_engine"],
            check=True, cwd=ROOT,
        )
        t = time.time()
        tr = engine_results("trafilatura", [c["path"] for c in rcases])
        tm = engine_results("trafilatura", [c["path"] for c in mcases])
        rows.append(("corroborate (trafilatura-rs engine)", tr, tm, time.time() - t))
    if not args.no_python:
        py = ensure_venv()
        items_r = [{"path": c["path"]} for c in rcases]
        items_m = [{"path": c["path"], "url": c["url"]} for c in mcases]
        for tool in ["trafilatura", "readability-lxml"]:
            t = time.time()
            rr = run_python(py, tool, items_r)
            mm = run_python(py, tool, items_m)
            rows.append((tool, rr, mm, time.time() - t))
        t = time.time()
        rows.append(("htmldate", None, run_python(py, "htmldate", items_m), time.time() - t))

    print(f"readability-test-pages: {len(rcases)} pages ({len(real)} real-site pages); "
          f"htmldate-mediacloud: {len(mcases)} pages")
    print()
    print("| tool | text P | text R | text F1 | F1 real sites | title | by-line | date (readability, "
          f"{sum(1 for c in rcases if c['meta'].get('publishedTime'))}) | date mediacloud (dated) | date mediacloud (all 200) | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, rr, mm, secs in rows:
        if rr is not None:
            s = score_readability(rcases, rr)
            sreal = score_readability([rcases[i] for i in real], [rr[i] for i in real])
            cols = [fmt(s["precision"]), fmt(s["recall"]), fmt(s["f1"]), fmt(sreal["f1"]),
                    fmt(s["title"]), fmt(s["byline"]), fmt(s["date"])]
        else:
            cols = ["  n/a"] * 7
        d = score_dates(mcases, mm)
        print(f"| {name} | " + " | ".join(cols) + f" | {fmt(d['accuracy_dated'])} | {fmt(d['accuracy_all'])} | {secs:.1f} |")


if __name__ == "__main__":
    main()
