// .kubeharden.yaml exceptions apply to node findings as they do in a manifest scan: matched by
// check and resource (the static pod, or the process / file by kind and name), excepted
// findings stay in the result, marked, and do not count; expired rules warn.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cisNodeChecks } from '../../src/checks/node/index.js';
import type { ExceptionRule } from '../../src/engine/exceptions.js';
import { runNodeChecks } from '../../src/engine/node-run.js';
import { collectNodeFacts } from '../../src/sources/node/collect.js';
import { fakeFacts } from '../checks/node/node-helpers.js';
import { buildRoot } from '../sources/node/roots.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const rule = (r: Omit<ExceptionRule, 'source'>, i = 0): ExceptionRule => ({ ...r, source: `.kubeharden.yaml exceptions[${i}]` });
const profiling = cisNodeChecks.filter((c) => c.id === 'apiserver-profiling-disabled');

test('a process finding is excepted by kind Process and the component name (no pid)', async () => {
  const facts = fakeFacts([{ component: 'kube-apiserver', args: [], pid: 77 }]);
  const exceptions = [rule({ check: 'apiserver-profiling-disabled', resource: { kind: 'Process', name: 'kube-apiserver' }, reason: 'profiling needed while we debug' })];
  const result = await runNodeChecks(facts, profiling, { type: 'node', root: '/' }, { exceptions, now: NOW });
  assert.equal(result.findings.length, 1);
  assert.deepEqual(result.findings[0]!.exception, { reason: 'profiling needed while we debug', source: '.kubeharden.yaml exceptions[0]' });
  assert.equal(result.checks[0]!.status, 'pass');
  assert.equal(result.checks[0]!.failed, 0);
  assert.match(result.checks[0]!.reason ?? '', /^1 finding\(s\) covered by exceptions/);
  assert.equal(result.summary.excepted, 1);
  assert.equal(result.summary.findings.low, 0);

  const other = await runNodeChecks(facts, profiling, { type: 'node', root: '/' }, { exceptions: [rule({ check: 'apiserver-profiling-disabled', resource: { kind: 'Process', name: 'etcd' }, reason: 'x' })], now: NOW });
  assert.equal(other.findings[0]!.exception, undefined);
  assert.equal(other.checks[0]!.status, 'fail');
});

const root = buildRoot('control-plane', 'kubeadm');
after(() => rmSync(root, { recursive: true, force: true }));

test('static pod findings match the Pod; file findings match kind File by path; expired rules warn and do not apply', async () => {
  const exceptions = [
    rule({ check: 'apiserver-profiling-disabled', resource: { kind: 'Pod', namespace: 'kube-system', name: 'kube-apiserver*' }, reason: 'accepted' }, 0),
    rule({ check: 'kubelet-config-file-mode', resource: { kind: 'File', name: '/var/lib/kubelet/config.yaml' }, reason: 'kubeadm default' }, 1),
    rule({ check: 'scheduler-profiling-disabled', resource: {}, reason: 'old', expires: '2026-01-01' }, 2),
  ];
  const result = await runNodeChecks(collectNodeFacts({ root }), cisNodeChecks, { type: 'node', root }, { exceptions, now: NOW });
  const finding = (id: string) => result.findings.find((f) => f.check === id)!;
  const status = (id: string) => result.checks.find((c) => c.id === id)!.status;
  assert.equal(finding('apiserver-profiling-disabled').exception?.reason, 'accepted');
  assert.equal(status('apiserver-profiling-disabled'), 'pass');
  assert.equal(finding('kubelet-config-file-mode').exception?.reason, 'kubeadm default');
  assert.equal(status('kubelet-config-file-mode'), 'pass');
  assert.equal(finding('scheduler-profiling-disabled').exception, undefined);
  assert.equal(status('scheduler-profiling-disabled'), 'fail');
  assert.ok(result.errors.some((e) => e.level === 'warning' && /expired on 2026-01-01/.test(e.message)));
  assert.equal(result.summary.excepted, 2);
});
