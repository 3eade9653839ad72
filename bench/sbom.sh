#!/usr/bin/env bash
# Benchmark `signet sbom` against cdxgen on the same docker-archive tar, with a physical reference:
#   - reference: read every layer of the archive once (`tar -xOf TAR LAYER`, piped through `gzip -dc` when the
#     layer is gzip) into /dev/null: the least work any scanner that looks at every layer must do
#   - signet:    signet sbom docker-archive:TAR --format cyclonedx-json -o OUT
#   - cdxgen:    FETCH_LICENSE=false cdxgen -t docker TAR --spec-version 1.6 -o OUT
# Wall time and peak RSS of each run come from `/usr/bin/time -f '%e %M'`.
# Images: the `contents` docker-archive of the test image cache and the `bench` image, converted from the oci
# layout to a docker-archive in /var/tmp/signet-bench-sbom (kept between runs).
# Output: a markdown section for docs/benchmarks.md on stdout; progress and timing on stderr.
#
# Usage:   bench/sbom.sh [TAR...]      (default: the contents and bench archives)
# Reads:   SIGNET              command that runs signet (default: signet on PATH); may contain spaces,
#                              e.g. SIGNET="dotnet src/Signet.Cli/bin/Release/net10.0/signet.dll"
#          SIGNET_CDXGEN       cdxgen executable (default: /var/tmp/signet-npm/*/node_modules/.bin/cdxgen, from
#                              scripts/install-npm-peers.sh cdxgen)
#          SIGNET_TEST_IMAGES  image cache from scripts/build-test-images.sh (default: runs it, cached ~0 s)
#          BENCH_RUNS          timed runs of signet and the reference (default 5, after 1 warm-up)
#          BENCH_CDXGEN_RUNS   timed runs of cdxgen (default 1: ~50 s and 350 MB each; no warm-up)
# All runs are with a warm page cache (the archive is read once before timing).
set -euo pipefail
bench_name=sbom
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

require_tools tar gzip jq skopeo /usr/bin/time
signet_init sbom
images_init
BENCH_CDXGEN_RUNS=${BENCH_CDXGEN_RUNS:-1}
cdxgen_init

work=/var/tmp/signet-bench-sbom
mkdir -p "$work"
tars=("$@")
if [ "${#tars[@]}" -eq 0 ]; then
  tars=("$images/archives/contents.docker.tar" "$work/bench.docker.tar")
  if [ ! -s "$work/bench.docker.tar" ]; then
    say "converting oci:$images/oci:bench to $work/bench.docker.tar"
    skopeo copy --quiet "oci:$images/oci:bench" "docker-archive:$work/bench.docker.tar.part:signet/bench:latest"
    mv "$work/bench.docker.tar.part" "$work/bench.docker.tar"
  fi
fi

# timed RUNS VAR 'shell command': mean wall s -> VAR, max peak RSS KiB -> VAR_rss, over RUNS runs
timed() {
  local runs=$1 var=$2 cmd=$3 f i t=0 m=0 line
  f=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$f" bash -c "$cmd" >/dev/null 2>&1 || { rm -f "$f"; die "command failed: $cmd"; }
    line=$(tail -n 1 "$f")
    t=$(awk -v a="$t" -v b="${line% *}" 'BEGIN { print a + b }')
    m=$(awk -v a="$m" -v b="${line#* }" 'BEGIN { print (b > a) ? b : a }')
  done
  rm -f "$f"
  printf -v "$var" '%s' "$(awk -v t="$t" -v n="$runs" 'BEGIN { print t / n }')"
  printf -v "${var}_rss" '%s' "$m"
}
mib() { fmt "$(awk -v k="$1" 'BEGIN { print k / 1024 }')" "%.0f"; }

rows=""
for tar_path in "${tars[@]}"; do
  [ -s "$tar_path" ] || die "no archive at $tar_path"
  name=$(basename "$tar_path" .docker.tar)
  cat "$tar_path" >/dev/null   # warm the page cache
  # reference: every layer listed in manifest.json, decompressed when gzip, read once
  ref_cmd=""
  while read -r layer; do
    if tar -xOf "$tar_path" "$layer" | head -c 2 | od -An -tx1 | grep -q '1f 8b'; then
      ref_cmd+="tar -xOf $(q "$tar_path" "$layer")| gzip -dc >/dev/null; "
    else
      ref_cmd+="tar -xOf $(q "$tar_path" "$layer")>/dev/null; "
    fi
  done < <(tar -xOf "$tar_path" manifest.json | jq -r '.[0].Layers[]')
  layers=$(tar -xOf "$tar_path" manifest.json | jq '.[0].Layers | length')
  say "$name: $layers layers, $(stat -c %s "$tar_path") bytes; signet/reference x$BENCH_RUNS, cdxgen x$BENCH_CDXGEN_RUNS"
  bash -c "$ref_cmd"; "${signet_cmd[@]}" sbom "docker-archive:$tar_path" -o "$work/$name.signet.json" >/dev/null 2>&1 \
    || die "signet sbom docker-archive:$tar_path failed"   # warm-ups
  timed "$BENCH_RUNS" t_ref "$ref_cmd"
  timed "$BENCH_RUNS" t_sig "$(q "${signet_cmd[@]}" sbom "docker-archive:$tar_path" --format cyclonedx-json -o "$work/$name.signet.json")"
  timed "$BENCH_CDXGEN_RUNS" t_cdx "FETCH_LICENSE=false $(q "$SIGNET_CDXGEN" -t docker "$tar_path" --spec-version 1.6 -o "$work/$name.cdxgen.json")"
  n_sig=$(jq '.components | length' "$work/$name.signet.json")
  n_cdx=$(jq '.components | length' "$work/$name.cdxgen.json")
  say "$name: reference $t_ref s, signet $t_sig s / ${t_sig_rss} KiB, cdxgen $t_cdx s / ${t_cdx_rss} KiB"
  rows+="| $name | $(fmt "$(awk -v b="$(stat -c %s "$tar_path")" 'BEGIN { print b / 1e6 }')" %.1f) MB, $layers layers"
  rows+=" | $(fmt "$t_ref" %.2f) | $(fmt "$t_sig" %.2f) | $(mib "$t_sig_rss") | $n_sig | $(fmt "$t_cdx" %.1f) | $(mib "$t_cdx_rss") | $n_cdx"
  rows+=" | $(div "$t_sig" "$t_cdx" %.3f) | $(div "$t_sig" "$t_ref") |"$'\n'
done

cat <<EOF
### sbom: \`signet sbom\` vs cdxgen on the same docker-archive

Host: $(host_line). Signet and the reference: mean of $BENCH_RUNS runs after one warm-up; cdxgen: mean of
$BENCH_CDXGEN_RUNS run(s) (cdxgen $(jq -r .version "$(dirname "$SIGNET_CDXGEN")/../@cyclonedx/cdxgen/package.json" 2>/dev/null || echo "version unknown")), no warm-up. Warm page cache. MB = 10^6 bytes, RSS in MiB
(peak, \`/usr/bin/time -f '%e %M'\`).

- reference: every layer of the archive read once (\`tar -xOf TAR LAYER > /dev/null\`, through \`gzip -dc\` when the layer is gzip);
- signet: \`$SIGNET sbom docker-archive:TAR --format cyclonedx-json -o OUT\`;
- cdxgen: \`FETCH_LICENSE=false cdxgen -t docker TAR --spec-version 1.6 -o OUT\`.

Goals: signet / cdxgen time <= 0.1; signet peak RSS < 200 MiB for a ~300 MB image.

| archive | size | reference s | signet s | signet RSS MiB | signet components | cdxgen s | cdxgen RSS MiB | cdxgen components | signet / cdxgen time | signet / reference time |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$rows
EOF
say "done in $(elapsed) s"
