"""Compares the Spark job's output folder with the CLI's JSON report of the same inputs.

    python scripts/spark_compare.py REPORT.json SPARK_OUT [--min-bcubed 0.99] [--exact]

Prints one line of figures: articles matched (same text under the same id), stories B-cubed
precision, recall and F1 against the CLI's, stories identical, groups identical in order and as
a set (verdict, topic, explanation, claims, evidence with its text, diffs, story, sources,
confidence), and whether the summaries agree. Exits 1 when B-cubed F1 is below --min-bcubed,
or with --exact when anything differs.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys

import pyarrow.parquet as pq


def bcubed(gold: dict, found: dict) -> tuple:
    """B-cubed precision and recall of clustering ``found`` against ``gold`` (item → label)."""
    gold_members = collections.defaultdict(set)
    found_members = collections.defaultdict(set)
    for item, label in gold.items():
        gold_members[label].add(item)
    for item, label in found.items():
        found_members[label].add(item)
    precision = recall = 0.0
    for item in gold:
        g, f = gold_members[gold[item]], found_members[found[item]]
        both = len(g & f)
        precision += both / len(f)
        recall += both / len(g)
    n = max(1, len(gold))
    return precision / n, recall / n


def group_key(g: dict) -> str:
    """A group's comparable content, as canonical JSON."""
    topic = g["topic"] if isinstance(g["topic"], dict) else json.loads(g["topic"])
    if "topic_type" in g:
        topic = dict(topic, type=g["topic_type"]) if "type" not in topic else topic
    diffs = g["diffs"] if isinstance(g["diffs"], list) else json.loads(g["diffs"])
    return json.dumps(
        {
            "verdict": g["verdict"],
            "topic": topic,
            "explanation": g["explanation"],
            "claims": [(c["doc"], c["claim"]) for c in g["claims"]],
            "evidence": [(e["doc"], e["start"], e["end"], e["text"]) for e in g["evidence"]],
            "diffs": diffs,
            "story": g["story"],
            "independent_sources": g["independent_sources"],
            "confidence": round(float(g["confidence"]), 5),
        },
        sort_keys=True,
    )


def read_cli(path: str) -> tuple:
    """The CLI's report (``-f json`` or, streamed for large runs, ``-f jsonl``) reduced to what
    is compared: each article's text hash by id, the stories, the group keys and the summary."""
    texts, stories, groups, summary = {}, [], [], None
    if path.endswith(".jsonl"):
        with open(path) as f:
            for line in f:
                item = json.loads(line)
                kind = item.get("type")
                if kind == "run":
                    summary = item["summary"]
                elif kind == "article":
                    texts[item["article"]["id"]] = hash(item["article"]["text"])
                elif kind == "story":
                    stories.append(item)
                elif kind == "group":
                    groups.append(group_key(item))
    else:
        with open(path) as f:
            report = json.load(f)
        texts = {a["article"]["id"]: hash(a["article"]["text"]) for a in report["articles"]}
        stories = report["stories"]
        groups = [group_key(g) for g in report["groups"]]
        summary = report["summary"]
    return texts, stories, groups, dict(summary)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("out")
    parser.add_argument("--min-bcubed", type=float, default=0.99)
    parser.add_argument("--exact", action="store_true")
    args = parser.parse_args()
    cli_text, cli_stories_raw, cli_groups, cli_summary = read_cli(args.report)
    table = lambda t: pq.read_table(os.path.join(args.out, t)).to_pylist()  # noqa: E731
    articles, stories, groups = table("articles"), table("stories"), table("groups")
    with open(os.path.join(args.out, "summary.json")) as f:
        summary = json.load(f)

    same_articles = sum(1 for a in articles if cli_text.get(a["doc"]) == hash(a["text"]))
    gold = {d: s["id"] for s in cli_stories_raw for d in s["docs"]}
    found = {a["doc"]: a["story"] for a in articles}
    found = {d: found.get(d, -1 - d) for d in gold}
    p, r = bcubed(gold, found)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    cli_stories = [(s["label"], list(s["docs"])) for s in cli_stories_raw]
    spark_stories = [
        (s["label"], list(s["docs"])) for s in sorted(stories, key=lambda s: s["story"])
    ]
    same_stories = sum(1 for a, b in zip(cli_stories, spark_stories) if a == b)
    spark_groups = [group_key(g) for g in sorted(groups, key=lambda g: g["group"])]
    in_order = sum(1 for a, b in zip(cli_groups, spark_groups) if a == b)
    as_set = sum((collections.Counter(cli_groups) & collections.Counter(spark_groups)).values())
    same_summary = cli_summary == summary
    print(
        f"articles {len(articles)}/{len(cli_text)} ({same_articles} same text and id); "
        f"stories {len(stories)}/{len(cli_stories_raw)}, {same_stories} identical, "
        f"B-cubed P {p:.4f} R {r:.4f} F1 {f1:.4f}; "
        f"groups {len(groups)}/{len(cli_groups)}: {in_order} identical in order, {as_set} as a set; "
        f"summary {'same' if same_summary else 'differs'}"
    )
    if not same_summary:
        print(f"  CLI summary   {json.dumps(cli_summary, sort_keys=True)}")
        print(f"  Spark summary {json.dumps(summary, sort_keys=True)}")
    if f1 < args.min_bcubed:
        print(f"FAIL: stories B-cubed F1 {f1:.4f} below {args.min_bcubed}", file=sys.stderr)
        return 1
    exact = (
        same_articles == len(articles) == len(cli_text)
        and same_stories == len(stories) == len(cli_stories_raw)
        and in_order == len(groups) == len(cli_groups)
        and same_summary
    )
    if args.exact and not exact:
        print("FAIL: the Spark output differs from the CLI's report", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
