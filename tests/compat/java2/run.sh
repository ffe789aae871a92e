#!/usr/bin/env bash
# Runs the Java scenario with the pinned nacos-client for java2 (see ../java/run.sh for the env).
exec "$(dirname "${BASH_SOURCE[0]}")/../java/run.sh" java2
