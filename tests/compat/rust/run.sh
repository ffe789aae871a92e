#!/usr/bin/env bash
# Runs the Rust scenario once. Env: NACOS_ADDR, COMPAT_TMP, COMPAT_RUN, optional NACOS_USER, NACOS_PASS, COMPAT_AUTH (see ../CONTRACT.md).
set -uo pipefail
cd "$(dirname "$0")"
bin="$PWD/target/release/scenario"
[ -x "$bin" ] || ./prepare.sh >&2 || exit 1
: "${COMPAT_TMP:=$(mktemp -d)}"
export COMPAT_TMP
# Run from COMPAT_TMP so that nothing the SDK writes relative to the working dir lands in the repo.
cd "$COMPAT_TMP" && exec "$bin"
