#!/usr/bin/env bash
# Story clustering quality on the giveme5w1h news-cluster set (383 real articles, 69 events):
# B-cubed and pairwise precision/recall/F1, batch and streaming, with default options, for the
# product path (nlp sentences and entities, as `corroborate cluster` does) and for plain text.
#
#   scripts/cluster-eval.sh [DIR] [name=value ...] [errors] [split-half]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p corroborate-cluster --example eval_giveme
exec "${CARGO_TARGET_DIR:-target}/release/examples/eval_giveme" "$@"
