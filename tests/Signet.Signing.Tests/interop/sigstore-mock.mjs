// Serves sigstore-js's @sigstore/mock Fulcio (POST /api/v2/signingCert) and Rekor v1 (POST /api/v1/log/entries)
// over real HTTP on 127.0.0.1 (port 0 unless PORT is set), with fresh keys on every start, and writes the matching
// trusted root (protobuf-specs TrustedRoot JSON) to OUT_DIR/trusted_root.json. When ready it prints one JSON line
// {"url":"http://127.0.0.1:PORT","trustedRoot":"..."} on stdout; it runs until killed.
//
// The mock's handlers normally plug into nock; here they answer real requests. One gap is closed the way the real
// Rekor closes it: the mock logs a proposed entry as it was sent, while Rekor stores a dsse 0.0.1 entry in its
// canonical form (rekor pkg/types/dsse/v0.0.1: payloadHash, envelopeHash and signatures[{signature, verifier}]
// instead of the proposed envelope), which is what every verifier compares with the bundle. So dsse entries are
// canonicalized before they are handed to the mock's log; everything else (SET, checkpoint, inclusion proof, log id,
// certificate issuance with its embedded SCT) is the mock's own. The mock Fulcio does not check the token's signature,
// so any well-formed JWT is accepted; it certifies the token's `sub` claim as a URI SAN and copies `iss` and the
// GitHub claims into the Fulcio extensions.
//
// Timestamps: @sigstore/mock's TSA speaks the JSON API of sigstore's timestamp-authority and its tokens do not parse in
// @sigstore/core ("invalid time"), so the RFC 3161 endpoint here, POST /openssl-tsa (application/timestamp-query),
// is OpenSSL's own TSA (`openssl ts -reply`) with a P-256 signing certificate (critical EKU timeStamping) under a
// root made at start; both are in the trusted root's timestampAuthorities.
// usage: node sigstore-mock.mjs OUT_DIR
// Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const mock = require('@sigstore/mock');
const { generateKeyPair } = require('@sigstore/mock/dist/util/key');
const { TrustedRoot, HashAlgorithm, PublicKeyDetails } = require('@sigstore/protobuf-specs');

const [outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node sigstore-mock.mjs OUT_DIR');
  process.exit(2);
}

const MAX_REQUEST_BYTES = 1024 * 1024;
const sha256 = (data) => createHash('sha256').update(data).digest();

// Rekor's canonical dsse 0.0.1 body for a proposed entry {spec: {proposedContent: {envelope, verifiers}}}.
function canonicalDsse(proposed) {
  const { envelope, verifiers } = proposed.spec.proposedContent;
  const parsed = JSON.parse(envelope);
  if (!Array.isArray(parsed.signatures) || parsed.signatures.length !== verifiers.length) {
    throw new Error('dsse: every signature needs its verifier');
  }
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope)).toString('hex') },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(parsed.payload, 'base64')).toString('hex') },
      signatures: parsed.signatures.map((s, i) => ({ signature: s.sig, verifier: verifiers[i] })),
    },
  };
}

// OpenSSL TSA material in DIR: root.crt (self-signed CA), tsa.crt/tsa.key (the signer), tsa.cnf; returns DER certs.
function makeTsa(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'tsa.cnf'), [
    '[ req ]', 'distinguished_name = dn', '[ dn ]',
    '[ tsa ]', 'default_tsa = tsa_config',
    '[ tsa_config ]', 'serial = ./serial', 'crypto_device = builtin', 'signer_cert = ./tsa.crt', 'certs = ./tsa.crt',
    'signer_key = ./tsa.key', 'signer_digest = sha256', 'default_policy = 1.3.6.1.4.1.57264.2', 'other_policies = 1.2.3.4',
    'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = no', 'tsa_name = no', 'ess_cert_id_chain = no',
    'ess_cert_id_alg = sha256',
    '[ tsa_ext ]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', 'extendedKeyUsage = critical,timeStamping',
    '[ ca_ext ]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign', '',
  ].join('\n'));
  writeFileSync(path.join(dir, 'serial'), '01\n');
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'root.key', '-out', 'root.crt', '-subj', '/O=signet.test/CN=tsa root', '-days', '2', '-config', 'tsa.cnf', '-extensions', 'ca_ext');
  openssl('req', '-new', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/O=signet.test/CN=tsa signer', '-config', 'tsa.cnf');
  openssl('x509', '-req', '-in', 'tsa.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '2', '-extfile', 'tsa.cnf', '-extensions', 'tsa_ext');
  const der = (name) => openssl('x509', '-in', name, '-outform', 'DER');
  let requests = 0;
  const reply = async (query) => {
    const id = ++requests;
    const [q, r] = [`q${id}.tsq`, `r${id}.tsr`];
    writeFileSync(path.join(dir, q), query);
    try {
      openssl('ts', '-reply', '-config', 'tsa.cnf', '-queryfile', q, '-out', r);
      return { statusCode: 200, response: readFileSync(path.join(dir, r)), contentType: 'application/timestamp-reply' };
    } finally {
      rmSync(path.join(dir, q), { force: true });
      rmSync(path.join(dir, r), { force: true });
    }
  };
  return { leaf: der('tsa.crt'), root: der('root.crt'), reply };
}

const server = http.createServer();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const start = new Date(Date.now() - 3600e3);
  const ctlog = await mock.initializeCTLog(generateKeyPair('prime256v1'));
  const ca = await mock.initializeCA(generateKeyPair('prime256v1'), ctlog);
  const tlog = await mock.initializeTLog(base, generateKeyPair('prime256v1'));
  const fulcio = mock.fulcioHandler(ca);
  const rekor = async (body) => {
    const proposed = JSON.parse(body);
    const entry = proposed.kind === 'dsse' && proposed.apiVersion === '0.0.1' ? canonicalDsse(proposed) : proposed;
    return { statusCode: 201, response: JSON.stringify(await tlog.log(entry)), contentType: 'application/json' };
  };
  const tsa = makeTsa(path.join(outDir, 'tsa'));
  const routes = { [fulcio.path]: fulcio.fn, '/api/v1/log/entries': rekor, '/openssl-tsa': tsa.reply };

  const der = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const key = (pub) => ({ rawBytes: pub, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } });
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: base, hashAlgorithm: HashAlgorithm.SHA2_256, publicKey: key(tlog.publicKey), logId: { keyId: sha256(tlog.publicKey) } }],
    certificateAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' }, uri: base,
      certChain: { certificates: [{ rawBytes: der(ca.rootCertificate) }] }, validFor: { start },
    }],
    ctlogs: [{ baseUrl: base, hashAlgorithm: HashAlgorithm.SHA2_256, publicKey: key(ctlog.publicKey), logId: { keyId: der(ctlog.logID) } }],
    timestampAuthorities: [{
      subject: { organization: 'signet.test', commonName: 'tsa signer' }, uri: `${base}/openssl-tsa`,
      certChain: { certificates: [{ rawBytes: tsa.leaf }, { rawBytes: tsa.root }] }, validFor: { start },
    }],
  };
  mkdirSync(outDir, { recursive: true });
  const trustedRoot = path.join(outDir, 'trusted_root.json');
  writeFileSync(trustedRoot, JSON.stringify(TrustedRoot.toJSON(root), null, 2));

  server.on('request', (req, res) => {
    const route = req.method === 'POST' ? routes[req.url] : undefined;
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no ${req.method} ${req.url} here`);
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413).end('request too large');
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', async () => {
      const body = req.url === '/openssl-tsa' ? Buffer.concat(chunks) : Buffer.concat(chunks).toString('utf8');
      const answer = await route(body).catch((e) => ({ statusCode: 400, response: String(e?.message ?? e), contentType: 'text/plain' }));
      res.writeHead(answer.statusCode, { 'Content-Type': answer.contentType ?? 'text/plain' }).end(answer.response);
    });
  });
  console.log(JSON.stringify({ url: base, trustedRoot }));
});
