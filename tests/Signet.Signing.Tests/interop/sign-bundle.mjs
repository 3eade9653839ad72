// Signs a file with a private key through sigstore-js's own bundle builder (@sigstore/sign
// MessageSignatureBundleBuilder) with a key signer and no witnesses (no Fulcio, Rekor or TSA), and writes the bundle.
// sigstore-js has no key-file signer of its own: the Signer below is the small interface it lets callers supply
// (sign(data) -> {signature, key: {$case: 'publicKey', publicKey, hint}}), backed by node:crypto.
// usage: node sign-bundle.mjs FILE PRIVATE_KEY_PEM BUNDLE_OUT
// Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const { MessageSignatureBundleBuilder } = require('@sigstore/sign');

const [filePath, keyPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node sign-bundle.mjs FILE PRIVATE_KEY_PEM BUNDLE_OUT');
  process.exit(2);
}

const privateKey = createPrivateKey(readFileSync(keyPath));
const publicKey = createPublicKey(privateKey);
const spki = publicKey.export({ type: 'spki', format: 'der' });
const signer = {
  sign: async (data) => ({
    // ECDSA P-256 with SHA-256, DER signature: what @sigstore/sign's bundle (messageDigest SHA2_256) declares.
    signature: sign('sha256', data, privateKey),
    key: {
      $case: 'publicKey',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      hint: createHash('sha256').update(spki).digest('base64'),
    },
  }),
};

const builder = new MessageSignatureBundleBuilder({ signer, witnesses: [] });
const bundle = await builder.create({ data: readFileSync(filePath) });
// bundleToJSON is applied by the builder's callers in sigstore; do it here through @sigstore/bundle.
const { bundleToJSON } = require('@sigstore/bundle');
writeFileSync(outPath, JSON.stringify(bundleToJSON(bundle)));
console.log(JSON.stringify({ mediaType: bundle.mediaType }));
