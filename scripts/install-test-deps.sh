#!/usr/bin/env bash
# Install the Debian packages that the test-image builder, the integration tests and the benchmarks use.
# Idempotent: asks apt only for what is missing and runs `apt-get update` only then. Must run as root (CI is).
# busybox-static is not installed (it conflicts with busybox); build-test-images.sh downloads its .deb.
# Prints one "package version" line per package, then the time taken (stderr).
#
# Usage: scripts/install-test-deps.sh
set -euo pipefail

started=$(date +%s.%N)
packages=(
  docker-registry   # distribution 2.8.2: the registry for integration tests and the copy benchmark
  skopeo            # copies/converts images (v2s2, zstd, archives) and is the copy baseline
  umoci             # builds OCI layouts without a docker engine
  debootstrap       # Debian root filesystems for the minbase and bench images
  apache2-utils     # htpasswd for registries with basic auth
  softhsm2 opensc   # a PKCS#11 token (SoftHSM2) and pkcs11-tool to create keys in it
  zstd jq openssl curl
  python3-nacl      # independent XSalsa20-Poly1305 (with hashlib.scrypt) to decrypt the key files Signet writes
  time              # GNU /usr/bin/time -f %M (peak RSS)
  hyperfine         # repeated timings in bench/
  shellcheck        # lint for these scripts
)

if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: must run as root (apt-get install); try: sudo $0" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  log=$(mktemp)
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "install-test-deps: apt-get failed installing: ${missing[*]} (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
fi

dpkg-query -W -f='${Package} ${Version}\n' "${packages[@]}"
awk -v n="${#missing[@]}" -v a="$started" -v b="$(date +%s.%N)" \
  'BEGIN { printf "install-test-deps: %d package(s) installed now, %.1f s\n", n, b - a }' >&2
