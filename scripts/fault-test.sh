#!/usr/bin/env bash
# Fault test of `corroborate serve`: posts N article records (default 1000) in batches of 250,
# kills the server with SIGKILL while it is still analysing, restarts it on the same data
# directory and checks that every acknowledged record was stored exactly once and the queue
# drained. Usage: scripts/fault-test.sh [N] [postgres|postgres-restart]
# With "postgres" the server stores in a fresh schema of the database at DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
# With "postgres-restart" it stores in a private PostgreSQL 15 cluster (initdb in a temporary
# folder, its own port, so the shared server is never touched), restarts that cluster while
# records are being posted and analysed instead of killing the server, and checks the same:
# the server reconnects and nothing acknowledged is lost (a post refused during the restart is
# not acknowledged and is sent again).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
backend="${2:-sqlite}"
database_args=()
schema=""
pg=""
pgbin=/usr/lib/postgresql/15/bin
if [ "$backend" = postgres-restart ]; then
  if [ ! -x "$pgbin/initdb" ] || ! id postgres >/dev/null 2>&1; then
    echo "skipped: no PostgreSQL 15 binaries in $pgbin or no postgres user"
    exit 0
  fi
  pg="$(mktemp -d)"
  chown postgres "$pg"
  pgport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  su postgres -c "$pgbin/initdb -D $pg/data -A trust -U postgres" >/dev/null
  pgctl() { su postgres -c "$pgbin/pg_ctl -D $pg/data -o '-p $pgport -k $pg' -l $pg/log -w $*" >/dev/null; }
  pgctl start
  database_args=(--database "postgres://postgres@127.0.0.1:$pgport/postgres")
elif [ "$backend" = postgres ]; then
  db="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
  schema="fault_test_$$"
  if ! command -v psql >/dev/null || ! psql -q "$db" -c "CREATE SCHEMA $schema" >/dev/null 2>&1; then
    echo "skipped: no PostgreSQL at $db"
    exit 0
  fi
  database_args=(--database "$db?options=-c%20search_path%3D$schema")
fi
# BIN=… runs another server binary as it is (a release build) instead of building the debug one.
if [ -z "${BIN:-}" ]; then cargo build --locked -p corroborate-cli; fi
bin="${BIN:-${CARGO_TARGET_DIR:-target}/debug/corroborate}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  if [ -n "$schema" ]; then psql -q "$db" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; fi
  if [ -n "$pg" ]; then pgctl stop -m immediate || true; rm -rf "$pg"; fi
  rm -rf "$work"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
start() {
  "$bin" serve --data-dir "$work/data" "${database_args[@]}" --listen "127.0.0.1:$port" 2>>"$work/server.log" >/dev/null &
  pid=$!
  for _ in $(seq 200); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.05; done
  echo "server did not start" >&2; exit 1
}
start
acked=0
for ((b = 0; b < n; b += 250)); do
  python3 - "$b" "$n" > "$work/batch.jsonl" <<'PY'
import json, sys
b, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(b, min(b + 250, n)):
    print(json.dumps({"url": f"https://wire.example/{i}", "outlet": f"Outlet {i % 7}",
                      "title": f"Report {i}",
                      "text": f"Officials said {i + 10} people were evacuated from district {i} on Monday."}))
PY
  if [ -n "$pg" ] && [ "$b" -eq $(((n / 2) / 250 * 250)) ]; then
    # Restart the database under load: in the background, while posting goes on.
    (pgctl restart -m fast) &
    restarter=$!
  fi
  # A refused post (the database restarting) is not acknowledged: send it again.
  until reply="$(curl -sf -H 'content-type: application/x-ndjson' --data-binary @"$work/batch.jsonl" "$url/api/articles")"; do
    refused=$((${refused:-0} + 1)); sleep 0.2
  done
  acked=$((acked + $(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["queued"]))' "$reply")))
done
# The queue's state; asked again while the server answers 503 (the database restarting).
status() {
  for _ in $(seq 150); do curl -sf "$url/api/ingest?limit=1" && return; sleep 0.2; done
  echo "no answer from $url/api/ingest for 30 s" >&2; return 1
}
done_before="$(status | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["done"])')"
if [ -n "$pg" ]; then
  wait "$restarter"
  echo "$backend: acknowledged $acked records, PostgreSQL restarted under load (${refused:-0} posts refused and sent again); $done_before analysed when posting ended"
else
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  echo "$backend: acknowledged $acked records; $done_before analysed when the server was killed with SIGKILL"
  start
fi
while :; do
  state="$(status)"
  left="$(python3 -c 'import json,sys; c=json.loads(sys.argv[1]); print(c["counts"]["pending"] + c["counts"]["running"] + int(c["busy"]))' "$state")"
  [ "$left" = 0 ] && break
  sleep 0.5
done
python3 - "$url" "$acked" <<'PY'
import json, sys, urllib.request
url, acked = sys.argv[1], int(sys.argv[2])
get = lambda p: json.load(urllib.request.urlopen(url + p))
counts = get("/api/ingest?limit=1")["counts"]
ids, offset = [], 0
while True:
    page = get(f"/api/articles?limit=500&offset={offset}")
    ids += [a["url"] for a in page["items"]]
    if page["next_offset"] is None: break
    offset = page["next_offset"]
assert counts["done"] == acked and counts["failed"] == 0, counts
assert len(ids) == acked and len(set(ids)) == acked, (len(ids), len(set(ids)))
print(f"after the restart: {counts['done']} queue items done, {len(ids)} articles stored, each once")
PY
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
