"""Generated articles (corroborate-bench gen: front matter, then text) as JSON Lines article
records, 200 per file, for posting to `corroborate serve` (scripts/load-test.sh,
scripts/ingest-profile.sh).
usage: python3 scripts/jsonl_batches.py CORPUS_DIR OUT_DIR"""
import json
import os
import sys

corpus, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith(".txt"))
for b in range(0, len(files), 200):
    with open(os.path.join(out, f"{b // 200:05d}.jsonl"), "w") as w:
        for path in files[b:b + 200]:
            head, text = open(path).read().split("\n---\n", 1)
            meta = dict(line.split(": ", 1) for line in head.strip("-\n").splitlines())
            record = {"url": "https://load.example/" + os.path.relpath(path, corpus),
                      "outlet": meta.get("outlet"), "title": meta.get("title"),
                      "byline": meta.get("byline"), "date": meta.get("date"), "text": text}
            w.write(json.dumps(record) + "\n")
