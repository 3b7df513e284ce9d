#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian machine with Python 3.11:
# system packages (ICU headers for PyICU; with --test also Debian's chromium for browser tests),
# a virtualenv in .venv, and the package with its pinned dependencies.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
need_deb() {  # install Debian packages that are missing
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

need_deb libicu-dev pkg-config g++ python3-venv
if [ $want_test = 1 ]; then
  # Browser tests drive Debian's chromium (Playwright cannot download its own browser here);
  # fonts-noto-core gives Vietnamese glyphs in screenshots.
  need_deb chromium fonts-noto-core
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
# One environment for both README commands: `./run.sh` needs the package, `./test.sh` the same
# plus the test extras installed on top. A stamp per pyproject.toml version records what is in
# .venv ("base" or "test"); a test install serves run.sh as it is, and a base install only gets
# the test extras added, so running one command after the other never installs anything twice.
PIP=.venv/bin/pip
stamp=.venv/.installed-$(sha1sum < pyproject.toml | cut -c1-12)
if [ -f "$stamp-test" ] || { [ $want_test = 0 ] && [ -f "$stamp-base" ]; }; then
  : # everything this command needs is installed
elif [ $want_test = 1 ] && [ -f "$stamp-base" ]; then
  echo "setup: adding the test extras to .venv"
  "$PIP" install -q -e ".[test]"  # the package's own pins are already satisfied: only the extras install
  rm -f .venv/.installed-*
  touch "$stamp-test"
else
  echo "setup: installing Python packages (PyICU builds from source the first time, ~90 s)"
  "$PIP" install -q --upgrade pip
  if [ $want_test = 1 ]; then "$PIP" install -q -e ".[test]"; else "$PIP" install -q -e .; fi
  rm -f .venv/.installed-*
  if [ $want_test = 1 ]; then touch "$stamp-test"; else touch "$stamp-base"; fi
fi
echo "setup: ready"
