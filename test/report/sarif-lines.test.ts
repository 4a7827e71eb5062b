// SARIF regions point at the exact line and column of the field a finding names, across
// documents of a stream, list items, flow mappings, CRLF line endings, comments and a BOM: the
// line GitHub code scanning annotates in a pull request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli/run-cli.js';

async function regions(input: string): Promise<Map<string, { startLine: number; startColumn: number }[]>> {
  const run = await runCli(['scan', '-', '--format', 'sarif', '--fail-on', 'none'], { input });
  const results = JSON.parse(run.stdout).runs[0].results as any[];
  const out = new Map<string, { startLine: number; startColumn: number }[]>();
  for (const r of results.filter((x) => x.ruleId === 'container-not-privileged')) {
    const list = out.get(r.ruleId) ?? [];
    list.push(r.locations[0].physicalLocation.region);
    out.set(r.ruleId, list);
  }
  return out;
}

const STREAM = `# three pods, each privileged somewhere else
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers:
  - name: first
    image: nginx
  - name: second
    image: nginx
    securityContext:
      privileged: true
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  initContainers:
  - {name: init, image: busybox, securityContext: {privileged: true}}
  containers:
  - name: app
    image: nginx
---

# a comment before the document
apiVersion: apps/v1
kind: Deployment
metadata: {name: c}
spec:
  selector: {matchLabels: {app: c}}
  template:
    metadata: {labels: {app: c}}
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
`;

const EXPECTED = [
  { startLine: 12, startColumn: 7 },
  { startLine: 19, startColumn: 52 },
  { startLine: 38, startColumn: 13 },
];

test('each finding points at its own line and column, in every document', async () => {
  assert.deepEqual((await regions(STREAM)).get('container-not-privileged'), EXPECTED);
});

test('the same lines with CRLF line endings and a BOM', async () => {
  assert.deepEqual((await regions('\uFEFF' + STREAM.replace(/\n/g, '\r\n'))).get('container-not-privileged'), EXPECTED);
});
