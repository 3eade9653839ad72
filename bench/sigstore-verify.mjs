// The sigstore-js peer of bench/sigstore.sh: verifies a keyless Sigstore bundle over a file with @sigstore/verify,
// trusting the given trusted_root.json and its default thresholds (1 tlog entry, 1 SCT, 1 timestamp), and requiring
// the certificate identity (SAN) and OIDC issuer.
// usage: node sigstore-verify.mjs BUNDLE TRUSTED_ROOT FILE IDENTITY ISSUER [SECONDS]
// Without SECONDS: one verification, prints {"verified":true} (exit 0) or {"verified":false,...} (exit 1).
// With SECONDS: parses the bundle and trusted root once, verifies in a loop on one thread for that long and prints
// "sigstore-js <bundles per second>".
// Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');

const [bundlePath, rootPath, filePath, identity, issuer, seconds] = process.argv.slice(2);
if (!issuer) {
  console.error('usage: node sigstore-verify.mjs BUNDLE TRUSTED_ROOT FILE IDENTITY ISSUER [SECONDS]');
  process.exit(2);
}

const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(rootPath, 'utf8')))));
const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
const artifact = readFileSync(filePath);
const policy = { subjectAlternativeName: identity, extensions: { issuer } };
const verify = () => verifier.verify(toSignedEntity(bundle, artifact), policy);

try {
  verify();
} catch (e) {
  console.log(JSON.stringify({ verified: false, code: e.code ?? e.name, message: e.message }));
  process.exit(1);
}

if (seconds === undefined) {
  console.log(JSON.stringify({ verified: true }));
} else {
  for (let i = 0; i < 20; i++) verify();
  const limit = Number(seconds) * 1e9;
  const start = process.hrtime.bigint();
  let count = 0;
  let elapsed = 0;
  while (elapsed < limit) {
    for (let i = 0; i < 10; i++) verify();
    count += 10;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  console.log(`sigstore-js ${(count / (elapsed / 1e9)).toFixed(1)}`);
}
