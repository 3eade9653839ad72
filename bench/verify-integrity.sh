#!/usr/bin/env bash
# Benchmark `signet verify-integrity` on the bench test image against the physical limits on this machine:
#   - openssl dgst -sha256 over the same blob files (digest check only: the fastest a SHA-256 pass can be)
#   - gzip -dc LAYER | sha256sum for each gzip layer (the DiffID pipeline: decompress + hash the tar)
# and the peak RSS of signet on a small (minbase) and a large (bench) image.
# Output: a markdown section for docs/benchmarks.md on stdout; progress and timing on stderr.
#
# Usage:   bench/verify-integrity.sh [--baseline-only]
# Reads:   SIGNET              command that runs signet (default: signet on PATH); may contain spaces,
#                              e.g. SIGNET="$PWD/artifacts/signet/signet"
#          SIGNET_TEST_IMAGES  image cache from scripts/build-test-images.sh (default: runs it, cached ~0 s)
#          BENCH_RUNS          timed runs per command (default 5, after 1 warm-up)
# --baseline-only measures only openssl/gzip and prints n/a for signet (for use before the CLI exists).
# All runs are with a warm page cache (the blobs are read once before timing).
set -euo pipefail
bench_name=verify-integrity
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

bench_args "$@"
require_tools openssl gzip sha256sum jq /usr/bin/time
signet_init verify-integrity
images_init

layout=$images/oci
image_ref() { echo "oci:$layout:$1"; }
manifest_of() {   # manifest_of TAG -> path of the manifest blob
  local d
  d=$(jq -r --arg t "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$layout/index.json")
  [ -n "$d" ] || die "tag $1 not found in $layout"
  echo "$layout/blobs/sha256/${d#sha256:}"
}
bench_manifest=$(manifest_of bench)
mapfile -t blobs < <(jq -r '.config.digest, .layers[].digest' "$bench_manifest" | sed "s|^sha256:|$layout/blobs/sha256/|")
mapfile -t gz_layers < <(jq -r '.layers[] | select(.mediaType | endswith("gzip")) | .digest' "$bench_manifest" | sed "s|^sha256:|$layout/blobs/sha256/|")
blob_bytes=$(stat -c %s "${blobs[@]}" | awk '{ s += $1 } END { print s }')
layer_count=$(jq '.layers | length' "$bench_manifest")
cat "${blobs[@]}" >/dev/null   # warm the page cache
say "bench image: $layer_count layers, $blob_bytes bytes in blobs; $BENCH_RUNS runs each"

# uncompressed size of the gzip layers (for the output MB/s of the DiffID pipeline)
tar_bytes=0
for l in "${gz_layers[@]}"; do tar_bytes=$((tar_bytes + $(gzip -dc "$l" | wc -c))); done

# (a) throughput
t_openssl="" t_openssl_sd="" t_diffid="" t_diffid_sd=""
measure t_openssl "$(q openssl dgst -sha256 "${blobs[@]}") >/dev/null"
diffid_cmd=""
for l in "${gz_layers[@]}"; do diffid_cmd+="gzip -dc $(q "$l")| sha256sum >/dev/null; "; done
measure t_diffid "$diffid_cmd"
t_signet="" t_signet_sd="" t_digests="" t_digests_sd=""
if [ "$signet_ok" = 1 ]; then
  measure t_signet "$(q "${signet_cmd[@]}" verify-integrity "$(image_ref bench)") >/dev/null"
  measure t_digests "$(q "${signet_cmd[@]}" verify-integrity --digests-only "$(image_ref bench)") >/dev/null"
fi

# (c) peak RSS (KiB) of one verify-integrity run per image
rss() {   # rss TAG -> peak RSS in KiB
  local f
  f=$(mktemp)
  /usr/bin/time -f %M -o "$f" "${signet_cmd[@]}" verify-integrity "$(image_ref "$1")" >/dev/null 2>&1 \
    || { rm -f "$f"; die "signet verify-integrity $(image_ref "$1") failed"; }
  tail -n 1 "$f"; rm -f "$f"
}
size_of() { jq --arg n "$1" '.images[] | select(.name == $n) | .compressedSize' "$images/summary.json"; }
rss_min="" rss_bench=""
if [ "$signet_ok" = 1 ]; then rss_min=$(rss minbase); rss_bench=$(rss bench); fi
na() { if [ -n "$1" ]; then echo "$1"; else echo "n/a"; fi; }
mib() { if [ -n "$1" ]; then fmt "$(awk -v k="$1" 'BEGIN { print k / 1024 }')" "%.0f MiB"; else echo "n/a"; fi; }

cat <<EOF
### verify-integrity: \`oci:\` layout, bench image

Bench image: $layer_count layers, $(fmt "$(awk -v b="$blob_bytes" 'BEGIN { print b / 1e6 }')" %.1f) MB of blobs (config + gzip layers), $(fmt "$(awk -v b="$tar_bytes" 'BEGIN { print b / 1e6 }')" %.1f) MB of uncompressed layer tars.
Host: $(host_line). Mean of $BENCH_RUNS runs after one warm-up, warm page cache. MB = 10^6 bytes.

Throughput ratio = reference time / signet time (above 1: signet is faster). Goals from issue 2: digests >= 0.8 x the
SHA-256 limit, DiffIDs >= 0.9 x the gunzip pipeline.

| check | signet | wall s | MB/s (blobs) | reference | wall s | MB/s (blobs) | throughput ratio | goal |
|---|---|---:|---:|---|---:|---:|---:|---:|
| blob digests and sizes | \`verify-integrity --digests-only\` | $(na "${t_digests:+$(fmt "$t_digests" %.3f) ± $(fmt "$t_digests_sd" %.3f)}") | $(mbps "$blob_bytes" "$t_digests") | \`openssl dgst -sha256\` over the blob files (1 core) | $(fmt "$t_openssl" %.3f) ± $(fmt "$t_openssl_sd" %.3f) | $(mbps "$blob_bytes" "$t_openssl") | $(div "$t_openssl" "$t_digests") | 0.8 |
| digests + every layer's DiffID | \`verify-integrity\` | $(na "${t_signet:+$(fmt "$t_signet" %.3f) ± $(fmt "$t_signet_sd" %.3f)}") | $(mbps "$blob_bytes" "$t_signet") | \`gzip -dc LAYER \| sha256sum\` per layer ($(mbps "$tar_bytes" "$t_diffid") MB/s of tar) | $(fmt "$t_diffid" %.3f) ± $(fmt "$t_diffid_sd" %.3f) | $(mbps "$blob_bytes" "$t_diffid") | $(div "$t_diffid" "$t_signet") | 0.9 |

Peak RSS of one \`signet verify-integrity\` run (\`/usr/bin/time -f %M\`):

| image | compressed layers | peak RSS |
|---|---:|---:|
| minbase | $(fmt "$(awk -v b="$(size_of minbase)" 'BEGIN { print b / 1e6 }')" %.1f) MB | $(mib "$rss_min") |
| bench | $(fmt "$(awk -v b="$(size_of bench)" 'BEGIN { print b / 1e6 }')" %.1f) MB | $(mib "$rss_bench") |
EOF
say "done in $(elapsed) s"
