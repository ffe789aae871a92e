#!/usr/bin/env bash
# Downloads the pinned Go modules (Go module proxy only) and builds the scenario into ./bin.
# Idempotent: a second run only re-links when a source file changed, and prints nothing.
set -euo pipefail
cd "$(dirname "$0")"
command -v go >/dev/null || { echo "prepare go: 'go' not found on PATH" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
go mod download
mkdir -p bin
go build -trimpath -o bin/scenario .
