// The official SARIF 2.1.0 schema (test/fixtures/sarif), compiled once for the tests that check
// kubeharden's SARIF against it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

// Ajv's draft-04 build: the SARIF 2.1.0 schema is a draft-04 schema.
const Ajv04 = createRequire(import.meta.url)('ajv-draft-04') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] } };
const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// unicodeRegExp off: the schema's `language` pattern is valid only as a non-Unicode RegExp.
export const validateSarif = new Ajv04({ allErrors: false, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
