// Verifies a keyless Sigstore bundle with sigstore-js (@sigstore/verify) against a trusted root file: the Fulcio
// chain, at least one SCT, one transparency log entry (SET and inclusion proof/checkpoint), one verified timestamp
// (the log's integrated time or an RFC 3161 timestamp), the certificate identity (SAN and OIDC issuer) and the
// signature over FILE (a message signature) or the DSSE envelope (FILE '-': no artifact, for image statements).
// usage: node verify-keyless.mjs BUNDLE FILE|- TRUSTED_ROOT IDENTITY ISSUER [TIMESTAMP_THRESHOLD]
// TIMESTAMP_THRESHOLD (default 1) counts integrated times with a SET and RFC 3161 timestamps: 2 for a bundle with
// one log entry proves that its RFC 3161 timestamp verified too.
// Prints one JSON line {"verified":true,"identity":...,"timestamps":[...]} or {"verified":false,"code":...,"message":...};
// exit 0 / 1 (2 for usage). Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');

const [bundlePath, filePath, rootPath, identity, issuer, timestampThreshold = '1'] = process.argv.slice(2);
if (!issuer) {
  console.error('usage: node verify-keyless.mjs BUNDLE FILE|- TRUSTED_ROOT IDENTITY ISSUER [TIMESTAMP_THRESHOLD]');
  process.exit(2);
}

try {
  const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(rootPath, 'utf8'))));
  const verifier = new Verifier(trust, { ctlogThreshold: 1, tlogThreshold: 1, timestampThreshold: Number(timestampThreshold) });
  const bundle = bundleFromJSON(JSON.parse(readFileSync(bundlePath, 'utf8')));
  const data = filePath === '-' ? undefined : readFileSync(filePath);
  const signer = verifier.verify(toSignedEntity(bundle, data), {
    subjectAlternativeName: identity,
    extensions: { issuer },
  });
  console.log(JSON.stringify({ verified: true, identity: signer.identity?.subjectAlternativeName, issuer: signer.identity?.extensions?.issuer }));
} catch (e) {
  console.log(JSON.stringify({ verified: false, code: e.code ?? e.name, message: e.message }));
  process.exit(1);
}
