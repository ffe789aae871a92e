#!/usr/bin/env bash
# Installs the npm `nacos` SDK pinned in package.json / package-lock.json. Idempotent and quiet when up to date.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "node not found" >&2; exit 1; }
stamp=node_modules/.compat-stamp
want=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/nacos/package.json ]; then
  exit 0
fi
npm install --no-audit --no-fund --loglevel=error
echo "$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)" > "$stamp"
