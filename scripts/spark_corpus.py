"""Turns a folder of front-matter text articles (`corroborate-bench gen`) into article records
with the JSON-record field names, as JSON Lines split over several files and as Parquet.

    python scripts/spark_corpus.py GEN_DIR OUT_DIR [--files N]

Writes OUT_DIR/jsonl/part-NNN.jsonl (N files, records in the folder's name order, so reading
the folder gives the generated articles in their original order) and OUT_DIR/parquet/records.parquet.
"""

from __future__ import annotations

import argparse
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq


def record(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fields: dict = {}
    if text.startswith("---\n"):
        head, _, text = text[4:].partition("\n---\n")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    out = {
        "url": "https://"
        + fields.get("outlet", "example").lower().replace(" ", "-")
        + ".example/"
        + os.path.splitext(os.path.basename(path))[0],
        "title": fields.get("title"),
        "outlet": fields.get("outlet"),
        "date": fields.get("date"),
        "authors": [fields["byline"]] if fields.get("byline") else [],
        "text": text,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gen")
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=8)
    args = parser.parse_args()
    paths = sorted(
        os.path.join(d, n) for d, _, names in os.walk(args.gen) for n in names if n.endswith(".txt")
    )
    records = [record(p) for p in paths]
    os.makedirs(os.path.join(args.out, "jsonl"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "parquet"), exist_ok=True)
    per_file = -(-len(records) // args.files)
    for i in range(args.files):
        with open(
            os.path.join(args.out, "jsonl", f"part-{i:03}.jsonl"), "w", encoding="utf-8"
        ) as f:
            for r in records[i * per_file : (i + 1) * per_file]:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    pq.write_table(
        pa.Table.from_pylist(records), os.path.join(args.out, "parquet", "records.parquet")
    )


if __name__ == "__main__":
    main()
