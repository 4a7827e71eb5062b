// In scans the inline kubeharden.io/ignore annotation stays, but a policy can forbid it
// (`allowInlineIgnores: false` in the config): then the annotation excepts nothing, the report
// says it was seen and not honoured, and every report lists who excepted what.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kh-inline-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: writable
  namespace: shop
  annotations:
    kubeharden.io/ignore: "container-not-privileged: the author says so"
spec:
  containers:
  - name: app
    image: nginx
    securityContext: {privileged: true}
`;

test('allowInlineIgnores: false makes the annotation except nothing, and says so', async () => {
  const file = path.join(dir, 'pod.yaml');
  writeFileSync(file, POD);
  const allowed = JSON.parse((await runCli(['scan', file, '-f', 'json', '--fail-on', 'none'])).stdout);
  assert.ok(allowed.findings.some((f: any) => f.check === 'container-not-privileged' && f.exception?.source === 'annotation kubeharden.io/ignore on Pod writable'));

  const config = path.join(dir, 'policy.yaml');
  writeFileSync(config, 'allowInlineIgnores: false\n');
  const run = await runCli(['scan', file, '-c', config, '-f', 'json', '--fail-on', 'critical']);
  assert.equal(run.code, 1, 'the privileged container counts again');
  const forbidden = JSON.parse(run.stdout);
  const finding = forbidden.findings.find((f: any) => f.check === 'container-not-privileged');
  assert.equal(finding.exception, undefined);
  assert.ok(forbidden.errors.some((e: any) => e.level === 'warning' && e.source === 'Pod shop/writable' && /kubeharden\.io\/ignore is not honoured \(allowInlineIgnores: false\)/.test(e.message)), JSON.stringify(forbidden.errors));
  // A config exception still applies.
  writeFileSync(config, 'allowInlineIgnores: false\nexceptions:\n- check: container-not-privileged\n  resource: {kind: Pod, name: writable}\n  reason: approved by security (TICKET-12)\n');
  const approved = await runCli(['scan', file, '-c', config, '-f', 'table', '--fail-on', 'critical']);
  assert.equal(approved.code, 0, approved.stdout);
  // Who excepted what.
  assert.match(approved.stdout, /^Exceptions$/m);
  assert.match(approved.stdout, /^ {2}.*policy\.yaml exceptions\[0\]: 1 finding\(s\) of container-not-privileged: approved by security \(TICKET-12\)$/m);
});

test('a wrong type for allowInlineIgnores is a configuration error', async () => {
  const file = path.join(dir, 'pod2.yaml');
  writeFileSync(file, POD);
  const config = path.join(dir, 'bad.yaml');
  writeFileSync(config, 'allowInlineIgnores: "no thanks"\n');
  const run = await runCli(['scan', file, '-c', config]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /allowInlineIgnores/);
});
