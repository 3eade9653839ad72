#!/usr/bin/env bash
# Benchmark signing one registry image (resolve the tag, sign, push the signature) and verifying it with signet,
# against the closest independent image-signing client on this machine: skopeo 1.9's GPG "simple signing"
# (no cosign binary exists in Debian or npm). skopeo fetches the manifest (`inspect --raw`) and signs it
# (`standalone-sign`, signature written to a local file as its lookaside store would) and verifies it
# (`standalone-verify`); signet signs with an ECDSA P-256 key file in the cosign bundle and legacy formats and verifies
# by fetching the signatures from the registry (referrers fallback tag / .sig tag). Prints a markdown section.
#
# Usage: bench/sign-verify.sh      Environment: SIGNET, SIGNET_TEST_IMAGES, BENCH_RUNS, BENCH_TMP (see bench/README.md)
set -euo pipefail
bench_name=sign-verify
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
signet_init sign
images_init
for tool in skopeo gpg jq docker-registry; do command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-test-deps.sh"; done

tmp=${BENCH_TMP:-$(mktemp -d /var/tmp/signet-bench-sign.XXXXXX)}
mkdir -p "$tmp"
cleanup() {
  "$bench_root/scripts/registry.sh" stop "$tmp/registry" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
addr=$("$bench_root/scripts/registry.sh" start "$tmp/registry" 2>/dev/null | tail -n 1)
image=$(jq -r '.images[] | select(.name == "multilayer") | .reference' "$images/summary.json")
skopeo copy -q --dest-tls-verify=false "$image" "docker://$addr/bench/app:v1"
ref="$addr/bench/app:v1"

# keys: a cosign-format key pair (empty passphrase) and a GPG key without passphrase in a private keyring
export SIGNET_PASSWORD=""
"${signet_cmd[@]}" generate-key-pair --output-key-prefix "$tmp/cosign" >/dev/null
export GNUPGHOME=$tmp/gnupg
mkdir -m 700 -p "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "signet bench <bench@signet.invalid>" nistp256 sign never 2>/dev/null
fingerprint=$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr/ { print $10; exit }')

s=$(q "${signet_cmd[@]}")
measure t_sign_bundle "$s sign --key $(q "$tmp/cosign.key") $(q "$ref")"
measure t_sign_legacy "$s sign --format legacy --key $(q "$tmp/cosign.key") $(q "$ref")"
measure t_verify "$s verify --key $(q "$tmp/cosign.pub") $(q "$ref")"
measure t_skopeo_sign "skopeo inspect --raw --tls-verify=false $(q "docker://$ref") >$(q "$tmp/m.json") && skopeo standalone-sign $(q "$tmp/m.json") $(q "$ref") $fingerprint -o $(q "$tmp/sig")"
measure t_skopeo_verify "skopeo inspect --raw --tls-verify=false $(q "docker://$ref") >$(q "$tmp/m2.json") && skopeo standalone-verify $(q "$tmp/m2.json") $(q "$ref") $fingerprint $(q "$tmp/sig")"

cat <<MD
### sign and verify one registry image

Registry: Distribution 2.8.2 on $addr (no referrers API: signet uses the tag fallback). Image: the multilayer test image.
Host: $(host_line). Mean of $BENCH_RUNS runs after one warm-up. Peer: skopeo $(skopeo --version | awk '{ print $3 }') GPG simple signing
(the closest independent image-signing client here; it stores the signature in a local file, signet pushes it to the registry).

| what | wall s | signet / skopeo |
|---|---:|---:|
| \`signet sign --key cosign.key\` (bundle referrer, pushed) | $(fmt "$t_sign_bundle" %.3f) ± $(fmt "$t_sign_bundle_sd" %.3f) | $(div "$t_sign_bundle" "$t_skopeo_sign") |
| \`signet sign --format legacy --key cosign.key\` (.sig layer appended, pushed) | $(fmt "$t_sign_legacy" %.3f) ± $(fmt "$t_sign_legacy_sd" %.3f) | $(div "$t_sign_legacy" "$t_skopeo_sign") |
| \`skopeo inspect --raw\` + \`skopeo standalone-sign\` (GPG, local file) | $(fmt "$t_skopeo_sign" %.3f) ± $(fmt "$t_skopeo_sign_sd" %.3f) | 1.00 |
| \`signet verify --key cosign.pub\` (all signatures found, $((BENCH_RUNS + 1)) x 2 or more) | $(fmt "$t_verify" %.3f) ± $(fmt "$t_verify_sd" %.3f) | $(div "$t_verify" "$t_skopeo_verify") |
| \`skopeo inspect --raw\` + \`skopeo standalone-verify\` | $(fmt "$t_skopeo_verify" %.3f) ± $(fmt "$t_skopeo_verify_sd" %.3f) | 1.00 |
MD
say "done in $(elapsed) s"
