#!/usr/bin/env bash
# Keyless Sigstore bundle verification, two ways:
#  1. in process: bundles verified per second on one thread (Signet.Bench verify-bundle: the bundle and trusted root
#     parsed once, then BundleVerifier.Verify in a loop), against `openssl speed ecdsap256 ecdsap384` in the same run
#     (the ECDSA verifications one bundle needs are the physical limit) and sigstore-js's Verifier in a loop;
#  2. one shot: `signet verify-bundle` (the sigstore-conformance client protocol) against sigstore-js
#     (@sigstore/verify through bench/sigstore-verify.mjs) verifying the same bundle with the same trusted root.
# The bundle is a real public-good one from sigstore-conformance (default happy-path-v0.3: Rekor v1 hashedrekord
# entry with SET and checkpoint, Fulcio certificate with one SCT). Prints a markdown section for docs/benchmarks.md;
# progress on stderr.
#
# Usage: bench/sigstore.sh [--baseline-only]
# Environment: SIGNET, BENCH_RUNS (see bench/README.md), SIGNET_TEST_DATA (default ../shared/data next to the
# repository), SIGNET_NPM_PEERS (default: the output of scripts/install-npm-peers.sh), BENCH_SECONDS (default 3,
# per in-process measurement), BENCH_BUNDLE_CASE (default happy-path-v0.3; happy-path-intoto-in-dsse-v3 has the same checks).
set -euo pipefail
bench_name=sigstore
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_args "$@"
require_tools openssl node jq
signet_init verify-bundle
seconds=${BENCH_SECONDS:-3}

# The case, as the conformance data README defines it: artifact, identity, issuer and trusted root default to the
# suite's shared ones unless the case directory has its own.
data=${SIGNET_TEST_DATA:-$bench_root/../shared/data}/sigstore-conformance
[ -d "$data/bundle-verify" ] || die "no sigstore-conformance data in '$data': set SIGNET_TEST_DATA"
case_name=${BENCH_BUNDLE_CASE:-happy-path-v0.3}
case_dir=$data/bundle-verify/$case_name
bundle=$case_dir/bundle.sigstore.json
[ -s "$bundle" ] || die "no bundle $bundle"
pick() { if [ -e "$case_dir/$1" ]; then echo "$case_dir/$1"; else echo "$2"; fi; }
artifact=$(pick artifact "$data/bundle-verify/a.txt")
root=$(pick trusted_root.json "$data/trusted_root.production.json")
identity=$(cat "$(pick identity /dev/null)")
identity=${identity:-https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main}
issuer=$(cat "$(pick issuer /dev/null)")
issuer=${issuer:-https://token.actions.githubusercontent.com}

# The ECDSA count below is read off the checks for a bundle of this shape; refuse another shape.
shape=$(jq -r '[(.verificationMaterial.tlogEntries | length),
  (.verificationMaterial.tlogEntries[0].inclusionPromise != null), (.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint != null),
  (.verificationMaterial.certificate != null), ((.verificationMaterial.timestampVerificationData.rfc3161Timestamps // []) | length)] | @tsv' "$bundle")
[ "$shape" = $'1\ttrue\ttrue\ttrue\t0' ] ||
  die "$case_name is not a keyless bundle with one Rekor v1 entry (SET + checkpoint) and no RFC 3161 timestamp; the ECDSA count printed would not hold"

peers=${SIGNET_NPM_PEERS:-$("$bench_root/scripts/install-npm-peers.sh" 2>/dev/null | tail -n 1)}
[ -f "$peers/node_modules/@sigstore/verify/package.json" ] || die "no @sigstore/verify in '$peers': run scripts/install-npm-peers.sh"
export NODE_PATH=$peers/node_modules
js_version=$(node -p "require('$NODE_PATH/@sigstore/verify/package.json').version")
js=(node "$bench_root/bench/sigstore-verify.mjs" "$bundle" "$root" "$artifact" "$identity" "$issuer")

# 1. in process
signet_rate=""
if [ "$bench_baseline_only" = 0 ]; then
  say "building bench/Signet.Bench (Release)"
  dotnet build "$bench_root/bench/Signet.Bench" -c Release -nologo -v quiet >&2
  say "Signet.Bench verify-bundle, $seconds s"
  signet_rate=$(dotnet "$bench_root/bench/Signet.Bench/bin/Release/net10.0/Signet.Bench.dll" verify-bundle \
    "$bundle" "$root" "$artifact" "$identity" "$issuer" "$seconds" | awk '{ print $2 }')
fi
say "sigstore-js in process, $seconds s"
js_rate=$("${js[@]}" "$seconds" | awk '{ print $2 }')
say "openssl speed ecdsap256 ecdsap384, $seconds s each"
speed=$(openssl speed -seconds "$seconds" ecdsap256 ecdsap384 2>/dev/null)
p256=$(awk '/\(nistp256\)/ { print $NF }' <<<"$speed")
p384=$(awk '/\(nistp384\)/ { print $NF }' <<<"$speed")
# ECDSA verifications per bundle: the SET and the checkpoint (Rekor's P-256 key), the SCT (CT log, P-256), the
# signature over the artifact (leaf key, P-256); the leaf's, the intermediate's and the root's self-signature (P-384
# Fulcio CA keys: .NET's chain builder sets X509_V_FLAG_CHECK_SS_SIGNATURE, so OpenSSL also checks the trust anchor's
# own signature, which a verifier need not do). Counted with perf uprobes on libcrypto's ECDSA_do_verify and
# X509_verify: 7 and 3 per bundle (docs/benchmarks.md).
limit=$(awk -v a="$p256" -v b="$p384" 'BEGIN { printf "%.1f", 1 / (4 / a + 3 / b) }')
limit_min=$(awk -v a="$p256" -v b="$p384" 'BEGIN { printf "%.1f", 1 / (4 / a + 2 / b) }')
naive=$(awk -v a="$p256" 'BEGIN { printf "%.1f", a / 7 }')
ratio() { if [ -n "$signet_rate" ]; then div "$signet_rate" "$1"; else echo n/a; fi; }

# 2. one shot; both must accept the bundle (measure stops on a failure) and reject it for another issuer.
s=$(q "${signet_cmd[@]}")
signet_verify=""
if [ "$signet_ok" = 1 ]; then
  signet_verify="$s verify-bundle --bundle $(q "$bundle") --certificate-identity $(q "$identity") --certificate-oidc-issuer $(q "$issuer") --trusted-root $(q "$root") $(q "$artifact")"
  ! "${signet_cmd[@]}" verify-bundle --bundle "$bundle" --certificate-identity "$identity" \
    --certificate-oidc-issuer https://issuer.invalid --trusted-root "$root" "$artifact" >/dev/null 2>&1 ||
    die "signet verify-bundle accepted $case_name for another issuer"
  say "one-shot signet verify-bundle, $BENCH_RUNS runs"
  measure t_signet "$signet_verify"
  # Diagnostic: .NET's X509Chain reads the system CA store (/etc/ssl/certs) once per process even with a custom
  # root; pointing OpenSSL's store at an empty directory shows that cost (the verification never trusts those CAs).
  no_store=$(mktemp -d)
  measure t_signet_no_store "SSL_CERT_DIR=$(q "$no_store") SSL_CERT_FILE=$(q "$no_store/none") $signet_verify"
  rmdir "$no_store"
  measure t_signet_start "$s --version"
fi
! "${js[@]:0:6}" https://issuer.invalid >/dev/null 2>&1 || die "sigstore-js accepted $case_name for another issuer"
say "one-shot sigstore-js, $BENCH_RUNS runs"
measure t_js "$(q "${js[@]}")"
measure t_node_start "node -e ''"
row() { if [ -n "${2:-}" ]; then echo "$(fmt "$2" %.3f) | $(fmt "$1" %.3f) ± $(fmt "$3" %.3f)"; else echo "n/a | n/a"; fi; }

# shellcheck disable=SC2154  # t_* and their _median/_sd are set by measure (printf -v)
cat <<MD
### keyless bundle verification: in process and one shot

Bundle: sigstore-conformance \`$case_name\` (public-good Rekor v1 entry with SET and checkpoint, Fulcio certificate
with one embedded SCT), trusted root \`$(basename "$root")\`, artifact \`$(basename "$artifact")\`.
Host: $(host_line). Peer: sigstore-js @sigstore/verify $js_version on Node $(node -p process.versions.node) (OpenSSL
$(node -p process.versions.openssl) inside Node).

In process, one thread, $seconds s per measurement: every loop iteration is the whole offline verification (tlog SET,
Merkle inclusion proof, checkpoint signature, log body against the bundle, Fulcio chain at the integrated time, SCT,
signature over the artifact, identity and issuer). One such bundle costs Signet **7 ECDSA verifications: 4 on
P-256** (SET, checkpoint, SCT, artifact signature) **and 3 on P-384** (leaf, intermediate and, because .NET's chain
builder asks OpenSSL to, the root's self-signature); a verifier needs at least 4 + 2. The ECDSA limit for one bundle is
1 / (4 / P-256 rate + 3 / P-384 rate).

| what | per second | signet / this |
|---|---:|---:|
| \`Signet.Bench verify-bundle\` (BundleVerifier.Verify, bundle parsed once) | ${signet_rate:-n/a} bundles | $(if [ -n "$signet_rate" ]; then echo 1.00; else echo n/a; fi) |
| sigstore-js \`Verifier.verify\` in a loop (bundle parsed once) | $js_rate bundles | $(ratio "$js_rate") |
| \`openssl speed ecdsap256\` (verify column) | $p256 verifications | $(ratio "$p256") |
| \`openssl speed ecdsap384\` (verify column) | $p384 verifications | $(ratio "$p384") |
| ECDSA limit per bundle as Signet verifies it, 1 / (4 / P-256 + 3 / P-384) | $limit bundles | $(ratio "$limit") |
| ECDSA limit without the root's self-signature, 1 / (4 / P-256 + 2 / P-384) | $limit_min bundles | $(ratio "$limit_min") |
| P-256 rate / 7 (as if all seven were P-256) | $naive bundles | $(ratio "$naive") |

One shot: a new process per verification, reading the bundle, trusted root and artifact. Median (mean ± standard
deviation) of $BENCH_RUNS runs after one warm-up. Both reject the same bundle for another OIDC issuer.

| what | median wall s | mean ± sd | signet / sigstore-js (medians) |
|---|---:|---:|---:|
| \`signet verify-bundle --bundle B --certificate-identity I --certificate-oidc-issuer O --trusted-root R FILE\` | $(row "${t_signet:-}" "${t_signet_median:-}" "${t_signet_sd:-}") | $(if [ -n "${t_signet_median:-}" ]; then div "$t_signet_median" "$t_js_median"; else echo n/a; fi) |
| the same with \`SSL_CERT_DIR\`/\`SSL_CERT_FILE\` at an empty directory (system CA store not read) | $(row "${t_signet_no_store:-}" "${t_signet_no_store_median:-}" "${t_signet_no_store_sd:-}") | $(if [ -n "${t_signet_no_store_median:-}" ]; then div "$t_signet_no_store_median" "$t_js_median"; else echo n/a; fi) |
| \`node bench/sigstore-verify.mjs B R FILE I O\` (@sigstore/verify) | $(row "$t_js" "$t_js_median" "$t_js_sd") | 1.00 |
| start-up floor: \`signet --version\` | $(row "${t_signet_start:-}" "${t_signet_start_median:-}" "${t_signet_start_sd:-}") | |
| start-up floor: \`node -e ''\` | $(row "$t_node_start" "$t_node_start_median" "$t_node_start_sd") | |
MD
say "done in $(elapsed) s"
