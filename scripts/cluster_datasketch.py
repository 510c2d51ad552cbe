#!/usr/bin/env python3
"""Near-duplicate candidates with datasketch MinHashLSH on a corroborate-gen-corpus corpus.

Parameters comparable to corroborate-cluster's defaults: 60 permutations, LSH with 20 bands of
3 rows, shingles = bigrams of lower-cased words without stop words. Times MinHash computation,
LSH insertion and one query per article (the candidate generation step only; corroborate also
confirms candidates by sentence alignment, which this does not do). Prints one line:
    datasketch articles N minhash S s | lsh S s | total S s | candidate pairs P
Usage: cluster_datasketch.py DIR
"""
import json
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def main() -> None:
    directory = sys.argv[1]
    stop_path = __file__.rsplit("/", 2)[0] + "/crates/nlp/data/function_words.txt"
    with open(stop_path, encoding="utf-8") as f:
        stop = {w.strip() for w in f if w.strip() and not w.startswith("#")}
    with open(f"{directory}/articles.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    start = time.perf_counter()
    hashes = []
    for r in records:
        words = [w for w in WORD.findall(r["text"].lower()) if w not in stop and len(w) > 1]
        shingles = {f"{a} {b}".encode() for a, b in zip(words, words[1:])} or {b" ".join(w.encode() for w in words)}
        m = MinHash(num_perm=60, seed=1)
        m.update_batch(list(shingles))
        hashes.append(m)
    minhashed = time.perf_counter()
    lsh = MinHashLSH(num_perm=60, params=(20, 3))
    for i, m in enumerate(hashes):
        lsh.insert(str(i), m)
    pairs = 0
    for i, m in enumerate(hashes):
        pairs += sum(1 for k in lsh.query(m) if int(k) > i)
    done = time.perf_counter()
    print(
        f"datasketch articles {len(records)} | minhash {minhashed - start:.2f} s | "
        f"lsh {done - minhashed:.2f} s | total {done - start:.2f} s | candidate pairs {pairs}"
    )


if __name__ == "__main__":
    main()
