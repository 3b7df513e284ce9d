#!/usr/bin/env bash
# Set up, index seeds/ and show what was indexed: the one command a new user runs.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/search reindex --seeds seeds --index index
.venv/bin/search docs --index index
