#!/usr/bin/env bash
# Set up (including Debian's chromium for the browser tests) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh --test
.venv/bin/ruff check search web tests bench
exec .venv/bin/python -m pytest "$@"
