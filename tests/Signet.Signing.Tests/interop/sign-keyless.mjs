// Signs keyless with sigstore-js's own signing stack (@sigstore/sign: FulcioSigner with an ephemeral key, RekorWitness)
// against a Fulcio and Rekor at URL (the @sigstore/mock server of sigstore-mock.mjs), and writes the bundle.
// MODE is 'message' (MessageSignatureBundleBuilder over FILE: hashedrekord entry) or 'dsse' (DSSEBundleBuilder with
// FILE as an in-toto statement: dsse entry).
// usage: node sign-keyless.mjs FILE BUNDLE_OUT URL TOKEN message|dsse
// Prints one JSON line {"mediaType":...}. Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

const [filePath, outPath, url, token, mode] = process.argv.slice(2);
if (!mode || !['message', 'dsse'].includes(mode)) {
  console.error('usage: node sign-keyless.mjs FILE BUNDLE_OUT URL TOKEN message|dsse');
  process.exit(2);
}

const signer = new FulcioSigner({ fulcioBaseURL: url, identityProvider: { getToken: async () => token } });
const witnesses = [new RekorWitness({ rekorBaseURL: url })];
const builder = mode === 'dsse'
  ? new DSSEBundleBuilder({ signer, witnesses })
  : new MessageSignatureBundleBuilder({ signer, witnesses });
const artifact = mode === 'dsse'
  ? { data: readFileSync(filePath), type: 'application/vnd.in-toto+json' }
  : { data: readFileSync(filePath) };
const bundle = await builder.create(artifact);
writeFileSync(outPath, JSON.stringify(bundleToJSON(bundle)));
console.log(JSON.stringify({ mediaType: bundle.mediaType }));
