#!/usr/bin/env bash
# Runs the Node scenario once. Env: NACOS_ADDR, COMPAT_TMP, COMPAT_RUN, optional NACOS_USER, NACOS_PASS, COMPAT_AUTH (see ../CONTRACT.md).
set -uo pipefail
cd "$(dirname "$0")"
export NACOS_ADDR="${NACOS_ADDR:-127.0.0.1:8848}"
export COMPAT_TMP="${COMPAT_TMP:-$(mktemp -d)}"
exec node scenario.mjs
