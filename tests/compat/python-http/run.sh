#!/usr/bin/env bash
# Runs the scenario once. Env: NACOS_ADDR, COMPAT_TMP, COMPAT_RUN, optional NACOS_USER, NACOS_PASS, COMPAT_AUTH (see ../CONTRACT.md).
set -uo pipefail
cd "$(dirname "$0")"
export NACOS_ADDR="${NACOS_ADDR:-127.0.0.1:8848}"
export COMPAT_TMP="${COMPAT_TMP:-$(mktemp -d)}"
# keep the SDK's default ~/nacos and ~/logs/nacos dirs out of the real home
export HOME="$COMPAT_TMP/home"
mkdir -p "$HOME"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
exec ../python/.venv/bin/python scenario.py
