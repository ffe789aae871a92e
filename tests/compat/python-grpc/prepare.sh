#!/usr/bin/env bash
# Installs nacos-sdk-python (pinned in ../python/requirements.txt) into the shared venv ../python/.venv.
set -euo pipefail
exec "$(dirname "$0")/../python/setup-venv.sh"
