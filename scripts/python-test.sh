#!/usr/bin/env bash
# Builds the Python package (crates/python + python/) into a virtual environment and runs its
# pytest suite against the CLI built from the same tree.
#   scripts/python-test.sh
# Environment: CORROBORATE_VENV (default target/python-venv, kept between runs; delete it for
# a clean one), PYTHON (the interpreter that makes the venv, default python3), PROFILE (cargo
# profile of the extension: dev, the default, reuses the debug build of scripts/test.sh;
# release for measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${CORROBORATE_VENV:-target/python-venv}
profile=${PROFILE:-dev}
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
command -v "${PYTHON:-python3}" >/dev/null || { echo "python-test.sh needs Python 3.9+ (python3)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
"${pip[@]}" install 'maturin>=1.9,<2' 'pyarrow>=14' 'pandas>=2' 'pytest>=7'
cargo build -q --locked -p corroborate-cli
# The build backend runs `maturin` from PATH: the venv's.
PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile $profile --locked" \
  "${pip[@]}" install --no-build-isolation --no-deps --force-reinstall ./python
CORROBORATE_CLI="$target/debug/corroborate" "$venv/bin/python" -m pytest -q python/tests
