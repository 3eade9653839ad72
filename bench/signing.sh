#!/usr/bin/env bash
# In-process signature verifications per second (ECDSA P-256, SHA-256, DER, over a cosign simple-signing payload)
# against `openssl speed ecdsap256` in the same run: OpenSSL's own loop on the same library is the physical limit.
# Prints a markdown section for docs/benchmarks.md; progress on stderr.
#
# Usage: bench/signing.sh [SECONDS]     (default 3 seconds per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}
dotnet build bench/Signet.Bench -c Release -nologo -v quiet >&2
signet=$(dotnet bench/Signet.Bench/bin/Release/net10.0/Signet.Bench.dll verify-ecdsa-p256 "$seconds" | awk '{ print $2 }')
openssl_line=$(openssl speed -seconds "$seconds" ecdsap256 2>/dev/null | grep 'nistp256')
openssl=$(awk '{ print $NF }' <<<"$openssl_line")
ratio=$(awk -v a="$signet" -v b="$openssl" 'BEGIN { printf "%.2f", a / b }')
cat <<MD
### ECDSA P-256 verifications per second (one thread)

Load average at start: $(cut -d' ' -f1 /proc/loadavg). $seconds s per measurement.

| what | verifications/s | signet / openssl |
|---|---:|---:|
| \`Signet.Bench verify-ecdsa-p256\` (PublicKey.Verify: SHA-256 of a 227-byte payload + DER ECDSA verify through .NET) | $signet | $ratio |
| \`openssl speed ecdsap256\` (verify column) | $openssl | 1.00 |
MD
