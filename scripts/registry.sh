#!/usr/bin/env bash
# Start or stop a throw-away Distribution registry (Debian docker-registry 2.8.2) bound to 127.0.0.1 on a free port.
# Everything lives in DIR: config.yml, data/, registry.log, registry.pid, addr ("127.0.0.1:PORT").
#
# Usage:   addr=$(scripts/registry.sh start DIR)   # prints 127.0.0.1:PORT as the last stdout line
#          scripts/registry.sh stop DIR            # stops only the PID recorded in DIR/registry.pid
#          scripts/registry.sh status DIR          # prints the address if running, exit 1 if not
# Reads:   SIGNET_REGISTRY_HTPASSWD=user:password  optional: require basic auth (bcrypt htpasswd, needs apache2-utils)
#          SIGNET_REGISTRY_PORT                    optional: a fixed port instead of a free one
# start is idempotent: if DIR already has a live registry its address is printed again. Timing goes to stderr.
# Plain HTTP on loopback: clients need --tls-verify=false (skopeo) or an insecure/plain-http option.
set -euo pipefail

started=$(date +%s.%N)
elapsed() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
die() { echo "registry.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start|stop|status DIR"; }

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
pidfile=$dir/registry.pid

alive() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
answers() { curl -s -o /dev/null --max-time 1 "http://$1/v2/" 2>/dev/null; }

write_config() {   # write_config PORT
  local auth=""
  if [ -n "${SIGNET_REGISTRY_HTPASSWD:-}" ]; then
    command -v htpasswd >/dev/null || die "htpasswd not found: run scripts/install-test-deps.sh"
    htpasswd -Bbc "$dir/htpasswd" "${SIGNET_REGISTRY_HTPASSWD%%:*}" "${SIGNET_REGISTRY_HTPASSWD#*:}" 2>/dev/null
    auth=$'auth:\n  htpasswd:\n    realm: signet-test\n    path: '"$dir/htpasswd"
  fi
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$1
$auth
EOF
}

start() {
  command -v docker-registry >/dev/null || die "docker-registry not found: run scripts/install-test-deps.sh"
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  pidfile=$dir/registry.pid
  if alive && [ -s "$dir/addr" ] && answers "$(cat "$dir/addr")"; then
    echo "registry.sh: already running (pid $(cat "$pidfile")), $(elapsed) s" >&2
    cat "$dir/addr"
    return 0
  fi
  local attempt port pid
  for attempt in 1 2 3 4 5; do
    port=${SIGNET_REGISTRY_PORT:-$((20000 + RANDOM % 20000))}
    port_in_use "$port" && { [ -z "${SIGNET_REGISTRY_PORT:-}" ] || die "port $port is in use"; continue; }
    write_config "$port"
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile"
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      if answers "127.0.0.1:$port"; then
        echo "127.0.0.1:$port" >"$dir/addr"
        echo "registry.sh: started pid $pid on 127.0.0.1:$port (attempt $attempt), $(elapsed) s" >&2
        echo "127.0.0.1:$port"
        return 0
      fi
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  tail -n 20 "$dir/registry.log" >&2 || true
  die "docker-registry did not come up (log: $dir/registry.log)"
}

stop() {
  if alive; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    echo "registry.sh: stopped pid $pid, $(elapsed) s" >&2
  else
    echo "registry.sh: not running in $dir" >&2
  fi
  rm -f "$pidfile" "$dir/addr"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  status) if alive && [ -s "$dir/addr" ]; then cat "$dir/addr"; else exit 1; fi ;;
  *) usage ;;
esac
