// Validates an SBOM file against its published JSON schema with ajv 8 + ajv-formats (pinned in
// scripts/install-npm-peers.sh). Options as the CycloneDX JavaScript library's own JSON validator uses them:
// strict false (the schemas carry annotation keywords such as meta:enum that strict mode rejects), every format
// checked through ajv-formats, all errors reported. ajv-formats has no iri-reference and idn-email (the CycloneDX
// library adds ajv-formats-draft2019 for them): here an iri-reference must resolve as a URL reference against a base
// and contain no whitespace, and an idn-email must be LOCAL@DOMAIN without whitespace.
// usage: node validate.mjs cyclonedx-1.6|spdx-2.3 SCHEMA_ROOT FILE
//   SCHEMA_ROOT is $SIGNET_TEST_DATA: cyclonedx-specification/schema/bom-1.6.schema.json (draft-07, refs
//   spdx.schema.json and jsf-0.82.schema.json) or spdx-spec/spdx-schema-2.3.json (draft 2019-09).
// Exit 0 when valid, 1 with the errors on stdout when not, 2 on bad usage.
// Needs NODE_PATH pointing at the node_modules that scripts/install-npm-peers.sh prints.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'noop.js'));
const Ajv = require('ajv').default;
const Ajv2019 = require('ajv/dist/2019').default;
const addFormats = require('ajv-formats').default;

const [format, root, file] = process.argv.slice(2);
if (!file || !['cyclonedx-1.6', 'spdx-2.3'].includes(format)) {
  console.error('usage: node validate.mjs cyclonedx-1.6|spdx-2.3 SCHEMA_ROOT FILE');
  process.exit(2);
}

const load = (...parts) => JSON.parse(readFileSync(path.join(root, ...parts), 'utf8'));
const options = { strict: false, allErrors: true, validateFormats: true };
const iriReference = (value) => {
  if (/\s/u.test(value)) return false;
  try {
    new URL(value, 'http://base.invalid/');
    return true;
  } catch {
    return false;
  }
};
const withFormats = (ajv) => {
  addFormats(ajv);
  ajv.addFormat('iri-reference', iriReference);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  return ajv;
};
let validate;
if (format === 'cyclonedx-1.6') {
  const ajv = withFormats(new Ajv(options));
  ajv.addSchema(load('cyclonedx-specification', 'schema', 'spdx.schema.json'), 'spdx.schema.json');
  ajv.addSchema(load('cyclonedx-specification', 'schema', 'jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
  validate = ajv.compile(load('cyclonedx-specification', 'schema', 'bom-1.6.schema.json'));
} else {
  const ajv = withFormats(new Ajv2019(options));
  validate = ajv.compile(load('spdx-spec', 'spdx-schema-2.3.json'));
}

const document = JSON.parse(readFileSync(file, 'utf8'));
if (validate(document)) {
  console.log(JSON.stringify({ valid: true }));
  process.exit(0);
}
for (const error of validate.errors) {
  console.log(`${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
}
process.exit(1);
