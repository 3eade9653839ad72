#!/usr/bin/env bash
# The whole test suite: installs what the tests need (idempotent), builds the cached test images, checks formatting,
# builds with warnings as errors and runs every test project. Prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

scripts/install-test-deps.sh
SIGNET_TEST_IMAGES=$(scripts/build-test-images.sh | tail -n 1)
export SIGNET_TEST_IMAGES
# sigstore-js for the interop tests, pinned and cached outside the checkout (the last line printed is its directory).
SIGNET_NPM_PEERS=$(scripts/install-npm-peers.sh | tail -n 1)
export SIGNET_NPM_PEERS
# cdxgen (with its bundled trivy-cdxgen) for the SBOM comparison, pinned and cached the same way.
SIGNET_CDXGEN=$(scripts/install-npm-peers.sh cdxgen | tail -n 1)/node_modules/.bin/cdxgen
export SIGNET_CDXGEN
if [[ -z ${SIGNET_TEST_DATA:-} && -d ../shared/data ]]; then
  SIGNET_TEST_DATA=$(cd ../shared/data && pwd)
fi
export SIGNET_TEST_DATA=${SIGNET_TEST_DATA:-}
[[ -n $SIGNET_TEST_DATA ]] || echo "note: SIGNET_TEST_DATA is unset and ../shared/data is absent; tests that read shared data will fail and say so" >&2

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet format Signet.sln --verify-no-changes
dotnet build Signet.sln -c Release -warnaserror -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Signet.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed) failed=$(sum Failed) skipped=$(sum Skipped)
echo "test suite took $((SECONDS - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
if ((status != 0 || passed == 0)); then
  exit 1
fi
