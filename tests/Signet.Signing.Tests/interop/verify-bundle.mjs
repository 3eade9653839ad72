// Verifies a Sigstore bundle over a file with sigstore-js (@sigstore/verify), trusting one public key and nothing
// else: an empty trusted root (no CAs, logs or TSAs) and thresholds of 0 for transparency logs, CT logs and
// timestamps, so a keyed bundle without a tlog is judged on its signature alone. The key is found by the bundle's
// publicKey.hint through toTrustMaterial's key finder, which here returns the given key whatever the hint is.
// usage: node verify-bundle.mjs BUNDLE FILE PUBLIC_KEY_PEM
// Prints one JSON line {"verified":true} or {"verified":false,"code":...,"message":...}; exit 0 / 1 (2 for usage).
// Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');

const [bundlePath, filePath, keyPath] = process.argv.slice(2);
if (!keyPath) {
  console.error('usage: node verify-bundle.mjs BUNDLE FILE PUBLIC_KEY_PEM');
  process.exit(2);
}

const key = createPublicKey(readFileSync(keyPath));
const root = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [],
});
const trust = toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });

try {
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  verifier.verify(toSignedEntity(bundle, readFileSync(filePath)));
  console.log(JSON.stringify({ verified: true }));
} catch (e) {
  console.log(JSON.stringify({ verified: false, code: e.code ?? e.name, message: e.message }));
  process.exit(1);
}
