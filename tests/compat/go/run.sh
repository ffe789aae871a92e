#!/usr/bin/env bash
# Runs the Go scenario once. Env: NACOS_ADDR, COMPAT_TMP, COMPAT_RUN (see ../CONTRACT.md).
set -uo pipefail
cd "$(dirname "$0")"
[ -x bin/scenario ] || ./prepare.sh >&2 || exit 1
: "${COMPAT_TMP:=$(mktemp -d)}"
export COMPAT_TMP
# The SDK also writes ./log and ./cache relative to the working dir when misconfigured: run it from COMPAT_TMP.
cd "$COMPAT_TMP" && exec "$OLDPWD/bin/scenario"
