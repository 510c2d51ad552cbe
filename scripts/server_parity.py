#!/usr/bin/env python3
"""How far the server's stories, groups and verdicts are from the CLI's on the same articles.

Runs `corroborate analyze INPUT -f json`, then a fresh `corroborate serve` (SQLite in a
temporary folder) with `align_whole_below` set (default 0: every neighbourhood is aligned on its
own, as on a store past the threshold), uploads INPUT's files in the CLI's order, waits until
the queue is empty and compares:

- stories: B-cubed precision, recall and F1 of the server's stories against the CLI's;
- groups: a group is its verdict, topic and evidence spans (article, start, end); counts of the
  CLI's groups the server also gives, of the server's groups the CLI also gives, and per verdict.

A measurement, not a test (it is not run in CI). Usage, after
`cargo build --release -p corroborate-cli`: `scripts/server_parity.py INPUT [--whole-below N]`.
"""

import argparse
import collections
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid


def get(url):
    with urllib.request.urlopen(url, timeout=120) as reply:
        return json.loads(reply.read())


def upload(url, files):
    """POSTs `files` ([(name, bytes)]) as one multipart body to /api/uploads."""
    boundary = uuid.uuid4().hex
    body = bytearray()
    for name, data in files:
        body += (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        url + "/api/uploads",
        data=bytes(body),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=300) as reply:
        if reply.status != 202:
            sys.exit(f"upload answered {reply.status}")


def bcubed(clusters, truth):
    """B-cubed precision, recall and F1 of `clusters` against `truth` (item -> cluster label)."""
    by_label = collections.defaultdict(set)
    by_truth = collections.defaultdict(set)
    for item, label in clusters.items():
        by_label[label].add(item)
    for item, label in truth.items():
        by_truth[label].add(item)
    items = [i for i in clusters if i in truth]
    precision = recall = 0.0
    for i in items:
        mine, theirs = by_label[clusters[i]], by_truth[truth[i]]
        both = len(mine & theirs)
        precision += both / len(mine)
        recall += both / len(theirs)
    precision, recall = precision / len(items), recall / len(items)
    return precision, recall, 2 * precision * recall / (precision + recall)


def group_key(group, name_of):
    """A group as its verdict, topic and evidence spans, with articles by file name."""
    spans = tuple(sorted((name_of(s["doc"]), s["start"], s["end"]) for s in group["evidence"]))
    topic = dict(group.get("topic") or {})
    if topic.get("type") == "copy_change":  # the only topic that names articles
        topic["source"], topic["copy"] = name_of(topic["source"]), name_of(topic["copy"])
    topic = json.dumps(topic, sort_keys=True)
    return (group["verdict"], topic, spans)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a folder of articles (anything the CLI reads, one article per file)")
    parser.add_argument("--bin", default="target/release/corroborate")
    parser.add_argument("--whole-below", type=int, default=0, help="the server's align_whole_below")
    parser.add_argument("--batch", type=int, default=50, help="files per upload")
    args = parser.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="server-parity-"))

    started = time.time()
    subprocess.run([args.bin, "analyze", args.input, "-f", "json", "-o", str(work / "cli.json")], check=True)
    cli = json.loads((work / "cli.json").read_text())
    cli_seconds = time.time() - started
    paths = []
    for article in cli["articles"]:
        path = article["article"]["source"]["path"]
        if path not in paths:
            paths.append(path)
    names = [os.path.basename(p) for p in paths]
    if len(set(names)) != len(names):
        sys.exit("file names must be unique: the server knows an upload by its file name")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    (work / "desk.toml").write_text(
        f"ingest_per_minute = 1000000\nalign_whole_below = {args.whole_below}\n"
    )
    log = open(work / "server.log", "w")
    server = subprocess.Popen(
        [args.bin, "serve", "--config", str(work / "desk.toml"), "--data-dir", str(work / "data"),
         "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.05)
        started = time.time()
        for i in range(0, len(paths), args.batch):
            upload(url, [(os.path.basename(p), pathlib.Path(p).read_bytes()) for p in paths[i:i + args.batch]])
        while True:
            queue = get(url + "/api/ingest?limit=1")
            counts = queue["counts"]
            if counts["pending"] + counts["running"] == 0 and not queue.get("busy"):
                break
            time.sleep(0.5)
        server_seconds = time.time() - started

        name_of_id = {}
        offset = 0
        while offset is not None:
            page = get(f"{url}/api/articles?limit=500&offset={offset}")
            for item in page["items"]:
                detail = get(f"{url}/api/articles/{item['id']}")
                name_of_id[item["id"]] = os.path.basename(detail["article"]["article"]["source"]["path"])
            offset = page.get("next_offset")
        server_story = {}
        server_groups = []
        offset = 0
        while offset is not None:
            page = get(f"{url}/api/stories?limit=500&offset={offset}")
            for item in page["items"]:
                story = get(f"{url}/api/stories/{item['id']}")
                for article in story["articles"]:
                    server_story[name_of_id[article["id"]]] = item["id"]
                server_groups += [group_key(g, name_of_id.get) for g in story["groups"]]
            offset = page.get("next_offset")
    finally:
        server.terminate()
        server.wait()

    cli_name = {i: os.path.basename(a["article"]["source"]["path"]) for i, a in enumerate(cli["articles"])}
    cli_story = {}
    for s, story in enumerate(cli["stories"]):
        for doc in story["docs"]:
            cli_story[cli_name[doc]] = s
    cli_groups = [group_key(g, cli_name.get) for g in cli["groups"]]

    precision, recall, f1 = bcubed(server_story, cli_story)
    ours, theirs = collections.Counter(server_groups), collections.Counter(cli_groups)
    common = ours & theirs
    print(f"input: {args.input}; server align_whole_below = {args.whole_below}")
    print(f"articles: CLI {len(cli['articles'])}, server {len(server_story)}; "
          f"stories: CLI {len(cli['stories'])}, server {len(set(server_story.values()))}")
    print(f"stories B-cubed against the CLI's: precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}")
    print(f"groups: CLI {sum(theirs.values())}, server {sum(ours.values())}, identical {sum(common.values())} "
          f"({sum(common.values()) / max(1, sum(theirs.values())):.1%} of the CLI's, "
          f"{sum(common.values()) / max(1, sum(ours.values())):.1%} of the server's)")
    print("by verdict: verdict | CLI | server | identical")
    verdicts = sorted({k[0] for k in ours} | {k[0] for k in theirs})
    for v in verdicts:
        count = lambda c: sum(n for k, n in c.items() if k[0] == v)
        print(f"  {v} | {count(theirs)} | {count(ours)} | {count(common)}")
    print(f"time: CLI {cli_seconds:.1f} s, server ingest to an empty queue {server_seconds:.1f} s")
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
