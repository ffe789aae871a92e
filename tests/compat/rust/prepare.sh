#!/usr/bin/env bash
# Fetches the pinned crates (crates.io only) and builds the scenario in release mode.
# The target dir is ./target (gitignored). Idempotent: a second run is a no-op build.
set -euo pipefail
cd "$(dirname "$0")"
command -v cargo >/dev/null || { echo "prepare rust: 'cargo' not found on PATH" >&2; exit 1; }
export CARGO_TARGET_DIR="$PWD/target"
# Cargo.lock pins every crate; --locked refuses to silently re-resolve.
cargo build --release --locked --quiet
