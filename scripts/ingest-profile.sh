#!/usr/bin/env bash
# Where `corroborate serve` spends its CPU while it ingests (issue 11), independent of how busy
# the machine is: N generated articles (default 20,000, `corroborate-bench gen`) posted through
# the API as JSON Lines (200 records per request, 2 clients) to a fresh SQLite server running
# under `perf record`, then the CPU time per article stored and the share of the main stages,
# counted from the sampled call stacks. A measurement, not a test: CI does not run it.
#   scripts/ingest-profile.sh [N]
# Environment: BIN (server binary, default the release build), NO_BUILD=1 (use the binaries
# as they are), WORK (working folder, default a temporary one; the corpus is kept there between
# runs when set), CONFIG_EXTRA (lines added to the server's configuration file).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
command -v perf >/dev/null || { echo "ingest-profile.sh needs perf (apt-get install linux-perf)" >&2; exit 1; }
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --locked -p corroborate-cli -p corroborate-bench
fi
bin="${BIN:-${CARGO_TARGET_DIR:-target}/release/corroborate}"
bench="${CARGO_TARGET_DIR:-target}/release/corroborate-bench"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -z "${WORK:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
if [ "$(cat "$work/corpus.n" 2>/dev/null)" != "$n" ]; then
  rm -rf "$work/corpus" "$work/batches"
  "$bench" gen --articles "$n" --out "$work/corpus" >/dev/null
  python3 scripts/jsonl_batches.py "$work/corpus" "$work/batches"
  echo "$n" > "$work/corpus.n"
fi
rm -rf "$work/data"
printf 'ingest_per_minute = 1000000\n%s\n' "${CONFIG_EXTRA:-}" > "$work/desk.toml"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
hz=49
perf record -q -F "$hz" --call-graph dwarf,16384 -o "$work/perf.data" -- \
  "$bin" serve --config "$work/desk.toml" --data-dir "$work/data" --listen "127.0.0.1:$port" \
  2>"$work/server.log" >/dev/null &
pid=$!
for _ in $(seq 400); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.05; done
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
ls "$work"/batches/*.jsonl | xargs -P 2 -I{} curl -sf -o /dev/null \
  -H 'content-type: application/x-ndjson' --data-binary @{} "$url/api/articles"
while :; do
  left="$(curl -sf "$url/api/ingest?limit=1" | jq '.counts.pending + .counts.running + (if .busy then 1 else 0 end)')"
  [ "$left" = 0 ] && break
  sleep 0.5
done
wall=$(echo "$(date +%s.%N) - $start" | bc)
metrics="$(curl -sf "$url/metrics")"
kill -INT "$pid"; wait "$pid" 2>/dev/null || true; pid=""
stored=$(awk '/^corroborate_articles_stored_total/ {print $2}' <<<"$metrics")
aligned=$(awk '/^corroborate_aligned_articles_total/ {print $2}' <<<"$metrics")
echo "$(date -u '+%F %H:%M UTC'): $stored articles stored in ${wall%.*} s ($(echo "$stored / $wall" | bc) articles/s), $aligned aligned; load $load_before -> $(cut -d' ' -f1-3 /proc/loadavg)"
perf script -i "$work/perf.data" -F ip,sym 2>/dev/null >"$work/stacks.txt"
python3 - "$hz" "$stored" "$work/stacks.txt" <<'PY'
import sys
hz, stored = int(sys.argv[1]), int(sys.argv[2])
stacks, frames = [], []
for line in open(sys.argv[3]):
    line = line.strip()
    if not line:
        if frames:
            stacks.append(frames)
            frames = []
        continue
    frames.append(line.split(None, 1)[-1])
if frames:
    stacks.append(frames)
n = len(stacks)
print(f"CPU {n / hz:.1f} s sampled: {1000 * n / hz / max(stored, 1):.2f} ms per article stored")
stages = [
    ("analysis (extract, nlp, claims)", "corroborate_server::desk::analyse"),
    ("  extraction", "corroborate_extract::extract"),
    ("re-alignment (library cross-article stages)", "corroborate::cross_article"),
    ("  alignment", "corroborate_align::align"),
    ("  story clustering", "corroborate_cluster::cluster"),
    ("  dating and judging", "corroborate_kb::verdicts::date_and_judge"),
    ("reading stored analyses back", "corroborate_server::desk::load_analyzed"),
    ("SQLite", "<corroborate_server::storage::sqlite::SqliteStorage"),
    ("placement (story index)", "corroborate_server::desk::place"),
]
for label, prefix in stages:
    share = sum(1 for s in stacks if any(f.startswith(prefix) for f in s))
    print(f"  {label:45s} {100 * share / max(n, 1):5.1f} %")
PY
