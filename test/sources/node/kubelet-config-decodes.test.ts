// A node scan decodes the kubelet's config file (and its --config-dir drop-ins) as the kubelet
// does (k8s.io/kubernetes v1.37.2, pkg/kubelet/kubeletconfig/util/codec: strict decoding, then a
// lenient fallback with a logged warning): config-file-decodes reports an unknown field, a value
// of the wrong type and a field written twice, at the file's path and the field's line.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { runNodeChecks } from '../../../src/engine/node-run.js';
import { collectNodeFacts } from '../../../src/sources/node/collect.js';
import type { Result } from '../../../src/result/result.js';
import { buildRoot } from './roots.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';

function root(role: 'worker' | 'control-plane', edit: (text: string) => string = (t) => t, extra: Record<string, string> = {}): string {
  const dir = buildRoot(role, 'kubeadm');
  roots.push(dir);
  const file = path.join(dir, KUBELET_CONFIG);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  for (const [hostPath, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, hostPath)), { recursive: true });
    writeFileSync(path.join(dir, hostPath), text);
  }
  return dir;
}
const scan = (dir: string) => runNodeChecks(collectNodeFacts({ root: dir }), cisNodeChecks, { type: 'node', root: dir });
const decodes = (r: Result) => r.findings.filter((f) => f.check === 'config-file-decodes').map((f) => `${f.location.file}:${f.location.line} ${f.location.path}: ${f.message}`);

test("kubeadm's kubelet config decodes: config-file-decodes passes on a worker, and is the only file check there", async () => {
  const result = await scan(root('worker'));
  const check = result.checks.find((c) => c.id === 'config-file-decodes');
  assert.equal(check?.status, 'pass', check?.reason);
  assert.equal(check?.passed, 1);
  assert.equal(result.checks.length, cisNodeChecks.length + 1);
  assert.deepEqual(decodes(result), []);
});

test('a misspelled field: ignored by the kubelet, reported at its line with the field it meant', async () => {
  const result = await scan(root('worker', (t) => t.replace('rotateCertificates: true', 'rotateCertificate: true')));
  assert.deepEqual(decodes(result), [
    `${KUBELET_CONFIG}:38 rotateCertificate: unknown field "rotateCertificate" (did you mean "rotateCertificates"?): the kubelet ignores it (it falls back to lenient decoding and logs a warning), so the setting is not applied`,
  ]);
  assert.equal(result.checks.find((c) => c.id === 'config-file-decodes')?.status, 'fail');
});

test('a value of the wrong type: the kubelet refuses the file', async () => {
  const result = await scan(root('worker', (t) => t.replace('healthzPort: 10248', 'healthzPort: "10248"')));
  assert.equal(decodes(result).length, 1);
  assert.match(decodes(result)[0]!, /^\/var\/lib\/kubelet\/config\.yaml:24 healthzPort: healthzPort must be an integer, got a string.*the kubelet will refuse this file$/);
});

test('a field written twice: strict decoding fails, the kubelet falls back and uses the last value; each repeat is named', async () => {
  const result = await scan(root('worker', (t) => t.replace('  anonymous:\n    enabled: false\n', '  anonymous:\n    enabled: false\n    enabled: true\n') + 'readOnlyPort: 10255\nreadOnlyPort: 0\n'));
  const found = decodes(result);
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found[0]!, /^\/var\/lib\/kubelet\/config\.yaml:\d+ authentication\.anonymous\.enabled: "authentication\.anonymous\.enabled" is given twice \(again at line 5\): strict decoding rejects it, so the kubelet falls back to lenient decoding and uses the last value$/);
  assert.match(found[1]!, /readOnlyPort: "readOnlyPort" is given twice \(again at line 48\)/);
  // The kubelet items judge the value the kubelet uses: the last one (anonymous auth on).
  assert.equal(result.checks.find((c) => c.id === 'kubelet-anonymous-auth-disabled')?.status, 'fail');
});

test('--config-dir drop-ins are decoded too, each at its own path', async () => {
  const dropIn = '/etc/kubernetes/kubelet.conf.d/10-extra.conf';
  const dir = root('worker', (t) => t, {
    [dropIn]: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPortt: 0\n',
    // Where kubeadm's unit takes extra flags from.
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--config-dir=/etc/kubernetes/kubelet.conf.d\n',
  });
  const result = await scan(dir);
  assert.deepEqual(decodes(result).map((l) => l.replace(/: unknown.*/, '')), [`${dropIn}:3 readOnlyPortt`]);
});

test('on a control plane the kubelet file joins the API server files', async () => {
  const dir = root('control-plane', (t) => t.replace('cgroupDriver: systemd', 'cgroupDriver: systemd\ncgroupsPerQos: true'));
  const result = await scan(dir);
  assert.deepEqual(decodes(result).map((l) => l.replace(/: unknown.*/, '')), [`${KUBELET_CONFIG}:16 cgroupsPerQos`]);
});
