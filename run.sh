#!/usr/bin/env bash
# Set up, index seeds/ and serve the web UI on http://127.0.0.1:8000/ : the one command a new user runs.
# Extra arguments go to `search serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/search reindex --seeds seeds --index index
exec .venv/bin/search serve --index index "$@"
