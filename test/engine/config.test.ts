import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../src/engine/config.js';

const KNOWN = new Set(['container-read-only-root-filesystem', 'container-image-pinned']);

test('a full configuration is read', () => {
  const cfg = parseConfig(`
pssLevel: baseline
pssVersion: v1.30
checks:
  disable: [container-image-pinned]
  severity: {container-read-only-root-filesystem: high}
untrusted:
  - namespace: tenant-*
sandboxRuntimeClasses: [gvisor]
exceptions:
  - check: container-read-only-root-filesystem
    resource: {kind: Deployment, namespace: legacy, name: old-app}
    reason: writes to /var/cache; rewrite tracked in JIRA-123
    expires: 2027-01-31
`, 'cfg.yaml', KNOWN);
  assert.deepEqual(cfg.settings, { pssLevel: 'baseline', pssVersion: 'v1.30', untrusted: [{ namespace: 'tenant-*' }], sandboxRuntimeClasses: ['gvisor'] });
  assert.deepEqual(cfg.disabled, ['container-image-pinned']);
  assert.deepEqual(cfg.severityOverrides, { 'container-read-only-root-filesystem': 'high' });
  assert.deepEqual(cfg.exceptions, [{
    check: 'container-read-only-root-filesystem',
    resource: { kind: 'Deployment', namespace: 'legacy', name: 'old-app' },
    reason: 'writes to /var/cache; rewrite tracked in JIRA-123',
    expires: '2027-01-31',
    source: 'cfg.yaml exceptions[0]',
  }]);
});

test('an empty file is an empty configuration', () => {
  assert.deepEqual(parseConfig('', 'c.yaml', KNOWN).exceptions, []);
});

function configError(text: string): string {
  try {
    parseConfig(text, 'c.yaml', KNOWN);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('an exception without a reason is refused', () => {
  assert.match(configError('exceptions:\n  - check: container-image-pinned\n'), /exceptions\.0\.reason: Required/);
  assert.match(configError('exceptions:\n  - check: container-image-pinned\n    reason: "  "\n'), /every exception needs a reason/);
});

test('misspelt keys, wrong types, bad dates and unknown checks are errors naming the field', () => {
  assert.match(configError('pssLevl: baseline\n'), /pssLevl: unknown key "pssLevl" \(did you mean pssLevel\?\)/);
  assert.match(configError('pssLevel: strict\n'), /pssLevel: Invalid enum value/);
  assert.match(configError('checks: {disable: container-image-pinned}\n'), /checks\.disable: Expected array/);
  assert.match(configError('exceptions: [{check: container-image-pinned, reason: r, expires: 2027-13-45}]\n'), /expires: not a real date/);
  assert.match(configError('checks: {disable: [no-such-check]}\n'), /unknown check id\(s\): no-such-check/);
  assert.match(configError('a: [\n'), /^c\.yaml: invalid YAML/);
});

test('pssVersion is checked as the Pod Security Admission library parses it', () => {
  assert.equal(parseConfig('pssVersion: v1.30\n', 'c.yaml', KNOWN).settings.pssVersion, 'v1.30');
  assert.match(configError('pssVersion: v1.025\n'), /pssVersion: latest or v1\.N/);
  assert.match(configError('pssVersion: 1.30\n'), /pssVersion: Expected string, received number/);
});
