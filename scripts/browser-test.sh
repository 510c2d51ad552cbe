#!/usr/bin/env bash
# Browser test of `corroborate serve`: Debian's chromium driven by playwright-core (npm) against
# a real server on loopback with two accounts. Screenshots go to docs/screenshots/.
# Prints 'skipped: …' and exits 0 when chromium or npm is missing (a user's clone).
set -euo pipefail
cd "$(dirname "$0")/.."
chromium_bin="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium_bin" ] || ! command -v npm >/dev/null; then
  echo "skipped: browser test needs chromium and npm (apt-get install chromium nodejs npm)"
  exit 0
fi
(cd crates/server/browser && npm ci --no-audit --no-fund --silent)
cargo build --locked -p corroborate-cli
bin="${CARGO_TARGET_DIR:-target}/debug/corroborate"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export CORROBORATE_PASSWORD="browser-test-password"
"$bin" serve --data-dir "$work/data" --add-user editor --role editor >/dev/null
"$bin" serve --data-dir "$work/data" --add-user reader --role reader >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
mkdir -p docs/screenshots "$work/shots"
DESK_URL="http://127.0.0.1:$port" EXAMPLES="$PWD/examples/articles" SCREENSHOTS="$work/shots" \
  DESK_PASSWORD="$CORROBORATE_PASSWORD" CHROMIUM="$chromium_bin" \
  node crates/server/browser/desk.test.mjs || { tail -50 "$work/server.log" >&2; exit 1; }
cp "$work"/shots/*.png docs/screenshots/
