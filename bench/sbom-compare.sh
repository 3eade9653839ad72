#!/usr/bin/env bash
# Compare the package URLs that `signet sbom` and cdxgen report for the same docker-archive (default: the
# `contents` test image, whose layer 5 purges the deb jq and whites out the npm minimist@1.2.5).
# purls are compared without qualifiers and subpath, with %40 decoded to @ and in lower case; every difference is
# printed with its category (see docs/sbom-comparison.md for what each category means and why it exists).
# Output: a markdown table per type and the list of differences on stdout; progress on stderr.
#
# Usage:   bench/sbom-compare.sh [TAR]
# Reads:   SIGNET, SIGNET_CDXGEN, SIGNET_TEST_IMAGES as bench/sbom.sh.
# Exit status 1 when a difference falls in no known category.
set -euo pipefail
bench_name=sbom-compare
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

require_tools jq comm
signet_init sbom
images_init
cdxgen_init
tar_path=${1:-$images/archives/contents.docker.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "signet sbom docker-archive:$tar_path"
"${signet_cmd[@]}" sbom "docker-archive:$tar_path" --format cyclonedx-json -o "$work/signet.json" >/dev/null
say "cdxgen -t docker $tar_path (~30-50 s)"
FETCH_LICENSE=false "$SIGNET_CDXGEN" -t docker "$tar_path" --spec-version 1.6 -o "$work/cdxgen.json" >/dev/null 2>&1

# normalised purl per component (components nested one level included), with the facts the categories need
norm='def n: sub("[?#].*$"; "") | gsub("%40"; "@") | ascii_downcase;
  [.components[]?, .components[]?.components[]?] | .[] | select(.purl != null)
  | [(.purl | n), (if any(.properties[]?; .name == "aquasecurity:trivy:PkgID") then "bin" else "src" end),
     ((.properties[]? | select(.name == "SrcFile") | .value) // "")] | @tsv'
jq -r "$norm" "$work/signet.json" | cut -f1 | sort -u >"$work/signet.purls"
jq -r "$norm" "$work/cdxgen.json" | sort -u -t$'\t' -k1,1 >"$work/cdxgen.tsv"
cut -f1 "$work/cdxgen.tsv" >"$work/cdxgen.purls"

# whiteouts of the archive's layers (".wh.NAME" entries), as paths without the prefix
mapfile -t layers < <(tar -xOf "$tar_path" manifest.json | jq -r '.[0].Layers[]')
for l in "${layers[@]}"; do tar -xOf "$tar_path" "$l" | tar -tzf - 2>/dev/null || tar -xOf "$tar_path" "$l" | tar -tf -; done \
  | sed -n 's|^\./||; s|\.wh\.\([^/]*\)$|\1|p' | grep -v '\.wh\.opq$' >"$work/whiteouts" || true

classify_cdxgen_only() {   # purl kind srcfile -> category
  local purl=$1 kind=$2 src=$3 w
  case $purl in
    pkg:generic/*) echo "cdxgen-file-component"; return ;;
    pkg:golang/stdlib@*) echo "cdxgen-go-stdlib"; return ;;
    pkg:deb/*) if [ "$kind" = src ]; then echo "cdxgen-deb-source-package"; return; fi ;;
    pkg:npm/*)
      while read -r w; do
        if [ -n "$w" ] && [[ "/${src#/}" == /"$w"/* ]]; then echo "cdxgen-ignores-whiteout"; return; fi
      done <"$work/whiteouts"
      if [[ $src == */package.json && $src != */node_modules/* ]]; then echo "cdxgen-app-root-package"; return; fi ;;
  esac
  echo "UNEXPLAINED"
}
classify_signet_only() {   # purl -> category
  case $1 in
    pkg:nuget/*) echo "signet-dotnet-deps" ;;
    pkg:pypi/*) echo "signet-python-installed-metadata" ;;
    pkg:golang/*) echo "signet-go-main-package-without-version" ;;
    *) echo "UNEXPLAINED" ;;
  esac
}

: >"$work/diff"
while IFS=$'\t' read -r purl kind src; do
  grep -qxF "$purl" "$work/signet.purls" && continue
  printf 'cdxgen only\t%s\t%s\n' "$(classify_cdxgen_only "$purl" "$kind" "$src")" "$purl" >>"$work/diff"
done <"$work/cdxgen.tsv"
comm -13 "$work/cdxgen.purls" "$work/signet.purls" | while read -r purl; do
  printf 'signet only\t%s\t%s\n' "$(classify_signet_only "$purl")" "$purl"
done >>"$work/diff"

types() { sed 's|/.*||' "$1" | sort | uniq -c | awk '{ print $2, $1 }'; }
echo "### purls by type ($(basename "$tar_path"))"
echo
echo "| type | signet | cdxgen | both | signet only | cdxgen only |"
echo "|---|---:|---:|---:|---:|---:|"
for t in $(cat "$work/signet.purls" "$work/cdxgen.purls" | sed 's|/.*||' | sort -u); do
  s=$(grep -c "^$t/" "$work/signet.purls" || true); c=$(grep -c "^$t/" "$work/cdxgen.purls" || true)
  b=$(comm -12 "$work/signet.purls" "$work/cdxgen.purls" | grep -c "^$t/" || true)
  echo "| $t | $s | $c | $b | $((s - b)) | $((c - b)) |"
done
echo
echo "### differences by category"
echo
echo "| side | category | count | examples |"
echo "|---|---|---:|---|"
cut -f1,2 "$work/diff" | sort | uniq -c | while read -r n side1 side2 cat; do
  ex=$(awk -F'\t' -v s="$side1 $side2" -v c="$cat" '$1 == s && $2 == c && k++ < 3 { printf "%s%s", (k > 1 ? "`, `" : ""), $3 }' "$work/diff")
  echo "| $side1 $side2 | $cat | $n | \`$ex\` |"
done
echo
echo "### every difference except file components"
echo
echo '```'
grep -v $'\tcdxgen-file-component\t' "$work/diff" | sort
echo '```'
if grep -q $'\tUNEXPLAINED\t' "$work/diff"; then say "some differences are UNEXPLAINED"; exit 1; fi
say "done in $(elapsed) s"
