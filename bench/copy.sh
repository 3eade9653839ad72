#!/usr/bin/env bash
# Benchmark `signet copy` registry -> OCI layout against `skopeo copy` on the bench test image.
# Starts its own docker-registry on 127.0.0.1 (scripts/registry.sh, temp dir, free port), pushes the bench image
# with skopeo, times both copies into fresh layouts, stops the registry by the PID it started.
# Output: a markdown section for docs/benchmarks.md on stdout; progress and timing on stderr.
#
# Usage:   bench/copy.sh [--baseline-only]
# Reads:   SIGNET              command that runs signet (default: signet on PATH)
#          SIGNET_COPY_ARGS    extra arguments for signet copy (e.g. a plain-HTTP/insecure flag if signet needs one)
#          SIGNET_TEST_IMAGES  image cache from scripts/build-test-images.sh (default: runs it, cached ~0 s)
#          BENCH_RUNS          timed runs per command (default 5, after 1 warm-up)
#          BENCH_TMP           where the registry and the copies go (default: a new dir under /var/tmp)
# --baseline-only times only skopeo and prints n/a for signet.
set -euo pipefail
bench_name=copy
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

bench_args "$@"
require_tools skopeo jq docker-registry curl
signet_init copy
images_init

tmp=${BENCH_TMP:-$(mktemp -d /var/tmp/signet-bench-copy-XXXXXX)}
mkdir -p "$tmp"
cleanup() {
  "$bench_root/scripts/registry.sh" stop "$tmp/registry" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

addr=$("$bench_root/scripts/registry.sh" start "$tmp/registry" 2>/dev/null | tail -n 1)
src="docker://$addr/bench:latest"
t0=$(date +%s.%N)
skopeo copy -q --dest-tls-verify=false "oci:$images/oci:bench" "$src" >/dev/null \
  || die "skopeo could not push the bench image to $addr (log: $tmp/registry/registry.log)"
t_push=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
raw=$(skopeo inspect --raw --tls-verify=false "$src")
bytes=$(jq '([.layers[].size] | add) + .config.size' <<<"$raw")
layers=$(jq '.layers | length' <<<"$raw")
src_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "$src")
say "pushed bench to $addr in $(fmt "$t_push" %.1f) s: $layers layers, $bytes bytes; $BENCH_RUNS runs each"

t_skopeo="" t_skopeo_sd=""
measure t_skopeo "skopeo copy -q --src-tls-verify=false $(q "$src" "oci:$tmp/y:latest") >/dev/null" "rm -rf $(q "$tmp/y")"
t_signet="" t_signet_sd="" same="n/a"
if [ "$signet_ok" = 1 ]; then
  read -ra copy_args <<<"${SIGNET_COPY_ARGS:-}"
  measure t_signet "$(q "${signet_cmd[@]}" copy "${copy_args[@]}" "$src" "oci:$tmp/x:latest") >/dev/null" "rm -rf $(q "$tmp/x")"
  # the copy must keep the manifest bytes: same digest as in the registry
  got=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' "$tmp/x/index.json")
  if [ "$got" = "$src_digest" ]; then same=yes; else same="NO ($got)"; fi
fi
na() { if [ -n "$1" ]; then echo "$1"; else echo "n/a"; fi; }

cat <<EOF
### copy: registry -> \`oci:\` layout, bench image

Source: Distribution 2.8.2 (Debian docker-registry) on $addr, plain HTTP on loopback; bench image $layers layers, $(fmt "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" %.1f) MB.
Host: $(host_line). Mean of $BENCH_RUNS runs after one warm-up; each run writes a fresh layout. MB = 10^6 bytes.

| what | wall s | MB/s | signet / this |
|---|---:|---:|---:|
| \`signet copy docker://... oci:...\` | $(na "${t_signet:+$(fmt "$t_signet" %.3f) ± $(fmt "$t_signet_sd" %.3f)}") | $(mbps "$bytes" "$t_signet") | $(one "$t_signet") |
| \`skopeo copy --src-tls-verify=false docker://... oci:...\` ($(skopeo --version | awk '{ print $3 }')) | $(fmt "$t_skopeo" %.3f) ± $(fmt "$t_skopeo_sd" %.3f) | $(mbps "$bytes" "$t_skopeo") | $(div "$t_signet" "$t_skopeo") |

signet's layout keeps the registry's manifest digest ($src_digest): $same.
EOF
say "done in $(elapsed) s"
