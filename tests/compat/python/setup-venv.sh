#!/usr/bin/env bash
# Shared by ../python-http/prepare.sh and ../python-grpc/prepare.sh: creates tests/compat/python/.venv with
# nacos-sdk-python pinned in requirements.txt (transitive versions pinned in constraints.txt).
# Idempotent: a stamp holds the hash of the inputs; nothing is done (and nothing printed) when it matches.
set -euo pipefail
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null || { echo "$PY not found" >&2; exit 1; }
want=$( { "$PY" --version 2>&1; cat requirements.txt constraints.txt; } | sha256sum | cut -d' ' -f1)
stamp=.venv/.compat-stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/python ]; then
  exit 0
fi
# one prepare at a time (two SDK folders share this venv)
exec 9>".venv.lock"
flock -w 900 9
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/python ]; then
  exit 0
fi
rm -rf .venv
"$PY" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --no-input -r requirements.txt -c constraints.txt
.venv/bin/python -c 'import nacos, v2.nacos' 
echo "$want" > "$stamp"
