import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRETS, decodeStdBase64, goDurationSeconds, providersFor, readEncryptionConfig } from '../../../src/analysis/encryption/config.js';
import { formatPath } from '../../../src/inventory/model.js';
import { parseGroupResource, resourceStringProblem } from '../../../src/analysis/encryption/resources.js';

const KEY32 = Buffer.alloc(32, 1).toString('base64');

function config(resources: unknown) {
  return readEncryptionConfig({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources });
}
const problemPaths = (c: ReturnType<typeof config>) => c.problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

test('resource strings: the spec table of valid and invalid strings', () => {
  assert.deepEqual(parseGroupResource('secrets'), { group: '', resource: 'secrets' });
  assert.deepEqual(parseGroupResource('deployments.apps'), { group: 'apps', resource: 'deployments' });
  assert.deepEqual(parseGroupResource('pandas.awesome.bears.example'), { group: 'awesome.bears.example', resource: 'pandas' });
  assert.deepEqual(parseGroupResource('*.'), { group: '', resource: '*' });
  assert.deepEqual(parseGroupResource('*.*'), { group: '*', resource: '*' });
  for (const ok of ['secrets', 'deployments.apps', '*.apps', '*.', '*.*', 'events']) assert.equal(resourceStringProblem(ok), undefined, ok);
  assert.match(resourceStringProblem('*') ?? '', /use '\*\.'/);
  assert.match(resourceStringProblem('secrets.*') ?? '', /across groups/);
  assert.match(resourceStringProblem('x.events.k8s.io') ?? '', /'events' API group/);
  assert.match(resourceStringProblem('x.extensions') ?? '', /removed/);
  assert.match(resourceStringProblem('serviceipallocations') ?? '', /REST/);
  assert.match(resourceStringProblem('Secrets') ?? '', /capital/);
});

test('transformerFor: exact, then group wildcard, then *.*, else identity; same exact resource concatenates', () => {
  const c = config([
    { resources: ['events'], providers: [{ identity: {} }] },
    { resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'a', secret: KEY32 }] } }] },
    { resources: ['secrets'], providers: [{ identity: {} }] },
    { resources: ['*.apps'], providers: [{ aesgcm: { keys: [{ name: 'g', secret: KEY32 }] } }] },
    { resources: ['*.*'], providers: [{ aescbc: { keys: [{ name: 'c', secret: KEY32 }] } }] },
  ]);
  assert.deepEqual(c.problems, []);
  assert.deepEqual(providersFor(c, SECRETS).providers.map((p) => p.type), ['secretbox', 'identity']);
  assert.equal(providersFor(c, SECRETS).matchedBy, 'secrets');
  assert.deepEqual(providersFor(c, { group: 'apps', resource: 'deployments' }).providers.map((p) => p.type), ['aesgcm']);
  assert.deepEqual(providersFor(c, { group: '', resource: 'configmaps' }).providers.map((p) => p.type), ['aescbc']);
  assert.equal(providersFor(config([{ resources: ['configmaps'], providers: [{ identity: {} }] }]), SECRETS).matchedBy, undefined);
  assert.equal(providersFor(config([{ resources: ['*.'], providers: [{ identity: {} }] }]), SECRETS).matchedBy, '*.');
});

test('validation: overlaps, duplicates and masking by an earlier wildcard, with paths', () => {
  const c = config([
    { resources: ['*.*', 'secrets'], providers: [{ identity: {} }] },
    { resources: ['configmaps', 'configmaps'], providers: [{ identity: {} }] },
    { resources: ['deployments.apps'], providers: [{ identity: {} }] },
  ]);
  assert.deepEqual(problemPaths(c), [
    "resources[0].resources: overlapping resources such as 'secrets' and '*.' in the same resource list are not allowed as they would be masked",
    'resources[1].resources: the same resource cannot be specified multiple times',
    'resources[0].resources[1]: "secrets" is masked by the earlier rule "*.*" (resources[0].resources[0]); list specific resources before wildcards',
    'resources[1].resources[0]: "configmaps" is masked by the earlier rule "*.*" (resources[0].resources[0]); list specific resources before wildcards',
    'resources[1].resources[1]: "configmaps" is masked by the earlier rule "*.*" (resources[0].resources[0]); list specific resources before wildcards',
    'resources[2].resources[0]: "deployments.apps" is masked by the earlier rule "*.*" (resources[0].resources[0]); list specific resources before wildcards',
  ]);
  // The override pattern from the docs: a specific entry before the wildcard is fine.
  assert.deepEqual(config([
    { resources: ['events'], providers: [{ identity: {} }] },
    { resources: ['*.*'], providers: [{ secretbox: { keys: [{ name: 'k', secret: KEY32 }] } }] },
  ]).problems, []);
  // `*.*` twice is a duplicate, an overlap (as the Go loop decides) and masked.
  assert.equal(config([{ resources: ['*.*', '*.*'], providers: [{ identity: {} }] }]).problems.length, 3);
  // The upstream TestWildcardMasking cases: "*." before "secrets" in one list; "*." in two entries.
  const sameList = config([{ resources: ['configmaps', '*.', 'secrets'], providers: [{ identity: {} }] }]);
  assert.ok(problemPaths(sameList).includes('resources[0].resources[2]: "secrets" is masked by the earlier rule "*." (resources[0].resources[1]); list specific resources before wildcards'));
  const twoEntries = config([{ resources: ['*.'], providers: [{ identity: {} }] }, { resources: ['*.'], providers: [{ identity: {} }] }]);
  assert.deepEqual(problemPaths(twoEntries), ['resources[1].resources[0]: "*." is masked by the earlier rule "*." (resources[0].resources[0]); list specific resources before wildcards']);
  // A later wildcard after specific resources, and the same exact resource in two entries, are fine.
  assert.deepEqual(config([
    { resources: ['deployments.apps'], providers: [{ identity: {} }] },
    { resources: ['*.apps'], providers: [{ identity: {} }] },
    { resources: ['*.*'], providers: [{ identity: {} }] },
    { resources: ['deployments.apps'], providers: [{ identity: {} }] },
  ]).problems.map((p) => p.message), ['"deployments.apps" is masked by the earlier rule "*.apps" (resources[1].resources[0]); list specific resources before wildcards']);
});

test('validation: provider items, keys, KMS fields — never echoing a secret', () => {
  const secret = 'c2hvcnQ='; // "short"
  const c = config([
    {
      resources: ['secrets'],
      providers: [
        {},
        { identity: {}, aescbc: { keys: [] } },
        { aescbc: { keys: [] } },
        { secretbox: { keys: [{ name: 'k', secret }, { secret: 'not base64!' }, { name: 'x' }] } },
        { aesgcm: { keys: [{ name: 'a', secret: Buffer.alloc(20).toString('base64') }] } },
        { kms: { apiVersion: 'v2', name: 'a:b', endpoint: 'tcp://1.2.3.4', timeout: '0s', cachesize: 10 } },
        { kms: { name: 'v1kms', endpoint: 'unix:///run/k.sock', cachesize: 0, timeout: 'soon' } },
      ],
    },
  ]);
  const all = problemPaths(c);
  assert.deepEqual(all, [
    'resources[0].providers[0]: provider does not contain any of the expected providers: aescbc, aesgcm, secretbox, kms, identity',
    'resources[0].providers[1]: more than one provider (aescbc, identity) in a single item; split them into separate list items',
    'resources[0].providers[2].aescbc.keys: at least one key is required for aescbc',
    'resources[0].providers[3].secretbox.keys[0].secret: secret decodes to 5 bytes; secretbox needs 32 bytes',
    'resources[0].providers[3].secretbox.keys[1].name: name is a mandatory field for a key',
    'resources[0].providers[3].secretbox.keys[1].secret: secret must be standard (padded) base64; generate one with: head -c 32 /dev/urandom | base64',
    'resources[0].providers[3].secretbox.keys[2].secret: secret is a mandatory field for a key',
    'resources[0].providers[4].aesgcm.keys[0].secret: secret decodes to 20 bytes; aesgcm needs 16, 24, 32 bytes (32 recommended)',
    "resources[0].providers[5].kms.name: invalid KMS provider name a:b: it must not contain ':'",
    'resources[0].providers[5].kms.endpoint: unsupported scheme in tcp://1.2.3.4; only unix:// sockets are supported',
    'resources[0].providers[5].kms.timeout: timeout should be a positive value',
    'resources[0].providers[5].kms.cachesize: cachesize is not supported in v2',
    'resources[0].providers[6].kms.timeout: timeout must be a duration such as 3s',
    'resources[0].providers[6].kms.cachesize: cachesize should be a positive value, or negative to disable',
  ]);
  assert.ok(!all.join('\n').includes(secret));
  assert.equal(c.entries[0]?.providers.find((p) => p.type === 'kms' && p.kms?.name === 'v1kms')?.kms?.apiVersion, 'v1', 'kms apiVersion defaults to v1');
});

test('validation: top-level shape and wrong types give messages, not exceptions', () => {
  assert.match(problemPaths(readEncryptionConfig({ apiVersion: 'apiserver.config.k8s.io/v1beta1', kind: 'EncryptionConfiguration', resources: [] })).join('\n'), /apiVersion must be apiserver.config.k8s.io\/v1[\s\S]*at least one resources entry/);
  for (const bad of ['secrets', 7, [7], [{ resources: 'secrets', providers: {} }], [{ resources: [1], providers: [7, { aescbc: 'x' }, { aescbc: { keys: [{ name: 1, secret: 2 }] } }] }]]) {
    const c = config(bad);
    assert.ok(c.problems.length > 0, JSON.stringify(bad));
  }
});

test('Go base64 and duration parsing', () => {
  assert.equal(decodeStdBase64(KEY32)?.length, 32);
  assert.equal(decodeStdBase64(KEY32.slice(0, 20) + '\n' + KEY32.slice(20))?.length, 32, 'newlines are ignored, as Go does');
  assert.equal(decodeStdBase64(KEY32.replace(/=$/, '')), undefined, 'padding is required');
  assert.equal(decodeStdBase64('ab-_ab-_'), undefined, 'URL-safe alphabet is refused');
  assert.equal(goDurationSeconds('3s'), 3);
  assert.equal(goDurationSeconds('1m30s'), 90);
  assert.equal(goDurationSeconds('500ms'), 0.5);
  assert.equal(goDurationSeconds('-1s'), -1);
  assert.equal(goDurationSeconds('3'), undefined);
});
