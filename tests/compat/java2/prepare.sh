#!/usr/bin/env bash
# Builds the Java scenario against the pinned nacos-client for java2 (see ../java/pom.xml).
exec "$(dirname "${BASH_SOURCE[0]}")/../java/build.sh" java2
