# shellcheck shell=bash
# Helpers shared by bench/*.sh (source me). Not executable on its own.

bench_started=$(date +%s.%N)
bench_load=$(cut -d' ' -f1 /proc/loadavg)   # other work on the machine skews every number: print it
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_RUNS=${BENCH_RUNS:-5}

say() { echo "${bench_name:-bench}: $*" >&2; }
die() { say "$*"; exit 1; }
elapsed() { awk -v a="$bench_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
fmt() { awk -v x="$1" -v f="${2:-%.2f}" 'BEGIN { printf f, x }'; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b == 0 || a == "" || b == "") print "n/a"; else printf f, a / b }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { if (s == "" || s == 0) print "n/a"; else printf "%.0f", bytes / 1e6 / s }'; }

# bench_args "$@": the options every bench script takes; sets bench_baseline_only (1 with --baseline-only).
bench_args() {
  bench_baseline_only=0
  for arg in "$@"; do
    case $arg in
      --baseline-only) bench_baseline_only=1 ;;
      *) die "usage: $0 [--baseline-only]" ;;
    esac
  done
}

# require_tools TOOL...: fails naming the first tool that is not installed.
require_tools() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-test-deps.sh"; done
}

# signet_init COMMAND: split $SIGNET (default "signet") into the array signet_cmd and set signet_ok=1 if
# `$SIGNET COMMAND --help` runs and mentions COMMAND (the CLI runs and has that command).
# With --baseline-only (bench_baseline_only=1) a missing signet is reported as n/a instead of failing.
signet_init() {
  read -ra signet_cmd <<<"${SIGNET:-signet}"
  # shellcheck disable=SC2034  # used by the sourcing scripts
  signet_ok=0
  local help=""
  if [ "${#signet_cmd[@]}" -gt 0 ] && command -v "${signet_cmd[0]}" >/dev/null 2>&1; then
    help=$("${signet_cmd[@]}" "$1" --help 2>&1) || help=""
  fi
  # System.CommandLine answers an unknown command followed by --help with the root help and exit code 0,
  # so the command must appear in the help text
  if grep -qF -- "$1" <<<"$help"; then
    # shellcheck disable=SC2034
    signet_ok=1
  elif [ "${bench_baseline_only:-0}" = 1 ]; then
    say "SIGNET='${SIGNET:-signet}' cannot run '$1': signet columns will be n/a (--baseline-only)"
  else
    die "SIGNET='${SIGNET:-signet}' cannot run '$1' ('${SIGNET:-signet} $1 --help' failed or does not show that command).
  Build and publish the CLI, e.g.:
    dotnet publish src/Signet.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -o artifacts/signet && export SIGNET=\$PWD/artifacts/signet/signet
  or set SIGNET='dotnet run --project src/Signet.Cli -c Release --' (adds build-check time to every run),
  or pass --baseline-only to measure only the reference tools."
  fi
}

# images_init: set $images to the test image cache, building it if needed (cached builds take ~0 s).
images_init() {
  if [ -n "${SIGNET_TEST_IMAGES:-}" ]; then
    images=$SIGNET_TEST_IMAGES
  else
    images=$("$bench_root/scripts/build-test-images.sh" | tail -n 1)
  fi
  [ -s "$images/summary.json" ] || die "no summary.json in '$images': run scripts/build-test-images.sh"
}

# measure VAR 'shell command' [prepare command]: mean wall seconds of BENCH_RUNS runs (1 warm-up) -> VAR, their
# median -> VAR_median. Uses hyperfine when installed (VAR_sd gets the standard deviation), a plain loop otherwise.
measure() {
  local var=$1 cmd=$2 prep=${3:-true} json mean sd median
  if command -v hyperfine >/dev/null; then
    json=$(mktemp)
    if ! hyperfine --style none --warmup 1 --runs "$BENCH_RUNS" --prepare "$prep" --export-json "$json" "$cmd" \
         >"$json.out" 2>&1; then
      cat "$json.out" >&2; rm -f "$json" "$json.out"
      die "command failed: $cmd"
    fi
    mean=$(jq '.results[0].mean' "$json"); sd=$(jq '.results[0].stddev // 0' "$json")
    median=$(jq '.results[0].median' "$json")
    rm -f "$json" "$json.out"
  else
    local i t0 times=""
    bash -c "$prep"
    bash -c "$cmd" >/dev/null 2>&1 || die "command failed: $cmd"   # warm-up
    for ((i = 0; i < BENCH_RUNS; i++)); do
      bash -c "$prep"
      t0=$(date +%s.%N)
      bash -c "$cmd" >/dev/null 2>&1 || die "command failed: $cmd"
      times+="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"$'\n'
    done
    mean=$(awk 'NF { t += $1; n++ } END { print t / n }' <<<"$times"); sd=0
    median=$(sort -g <<<"$times" | awk 'NF { v[++n] = $1 } END { print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }')
  fi
  printf -v "$var" '%s' "$mean"
  printf -v "${var}_sd" '%s' "$sd"
  printf -v "${var}_median" '%s' "$median"
}

# one: "1.00" for the signet row when signet was measured, n/a otherwise
one() { if [ -n "$1" ]; then echo "1.00"; else echo "n/a"; fi; }

# q ARGS...: shell-quote arguments into one string for measure
q() { printf '%q ' "$@"; }

# host line for the tables
host_line() {
  printf '%s, %s cores, %s, load average %s at start' "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(nproc)" \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$bench_load"
}

# cdxgen_init: set SIGNET_CDXGEN to the cdxgen executable (default: the one scripts/install-npm-peers.sh cdxgen
# installed under /var/tmp/signet-npm); fails naming the script when there is none.
cdxgen_init() {
  if [ -z "${SIGNET_CDXGEN:-}" ]; then
    SIGNET_CDXGEN=$(find /var/tmp/signet-npm -path '*/node_modules/.bin/cdxgen' 2>/dev/null | head -n 1)
  fi
  if [ -z "$SIGNET_CDXGEN" ] || [ ! -x "$SIGNET_CDXGEN" ]; then
    die "cdxgen not found: run scripts/install-npm-peers.sh cdxgen or set SIGNET_CDXGEN"
  fi
}
