// Hostile admission requests, each the regression test of an attack that once worked:
// - a Pod's own kubeharden.io/ignore annotation exempted it (now only the operator's config does:
//   usernames, runtime classes, namespaces, as Pod Security Admission's AdmissionConfiguration);
// - `kind: pod` / `operation: create` in lower case were admitted unchecked;
// - a Pod of 15,000 containers took seconds and hundreds of MiB, and every request waited behind it;
// - a 7 MiB body with a Content-Length got a connection reset instead of 413;
// - deeply nested JSON was answered 500 instead of 400;
// - an exception while judging must answer a refusal or 500, never `allowed`, and keep serving.
// The requests stand in for the API server (none can run here); the server is the real one.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import type { RunningWebhook } from '../../src/webhook/server.js';
import { webhookHarness } from './harness.js';
import { parseConfig } from '../../src/engine/config.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { review, send } from './client.js';

const harness = webhookHarness({ workers: 1 });
const { logs, start } = harness;
let deny: RunningWebhook;

before(async () => {
  deny = await start();
});

function privilegedPod(extra: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'root-shell', namespace: 'shop', ...extra.metadata },
    spec: { containers: [{ name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true } }], ...extra.spec },
  };
}

async function respond(server: RunningWebhook, body: Record<string, any>) {
  const reply = await send(server.port, harness.pki.ca, { body: JSON.stringify(body) });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(reply.body.response.uid, body.request.uid);
  return reply.body.response;
}

test('the Pod author cannot exempt their own Pod with the kubeharden.io/ignore annotation', async () => {
  const response = await respond(deny, review(privilegedPod({ metadata: { annotations: { 'kubeharden.io/ignore': '*: trust me\ncontainer-not-privileged: needed' } } })));
  assert.equal(response.allowed, false);
  assert.match(response.status.message, /container-not-privileged/);
});

test("exemptions come from the operator's config: usernames, runtime classes, namespaces", async () => {
  const known = new Set(ALL_CHECKS.map((c) => c.id));
  const config = parseConfig(
    'webhook:\n  exemptions:\n    usernames: ["system:serviceaccount:ci:deployer"]\n    runtimeClasses: [gvisor]\n    namespaces: [sandbox]\n',
    'webhook.yaml',
    known,
  );
  assert.deepEqual(config.webhookExemptions, { usernames: ['system:serviceaccount:ci:deployer'], runtimeClasses: ['gvisor'], namespaces: ['sandbox'] });
  const exempting = await start({
    exemptions: { usernames: config.webhookExemptions.usernames, namespaces: config.webhookExemptions.namespaces },
    exemptRuntimeClasses: config.webhookExemptions.runtimeClasses,
  });
  assert.equal((await respond(exempting, review(privilegedPod(), { userInfo: { username: 'system:serviceaccount:ci:deployer' } }))).allowed, true);
  assert.match(logs.at(-1)!, /allowed=true findings=0 \(exempt: user system:serviceaccount:ci:deployer\)/);
  assert.equal((await respond(exempting, review(privilegedPod(), { userInfo: { username: 'mallory' } }))).allowed, false, 'another user is judged');
  assert.equal((await respond(exempting, review(privilegedPod({ metadata: { namespace: 'sandbox' } })))).allowed, true);
  assert.equal((await respond(exempting, review(privilegedPod({ spec: { runtimeClassName: 'gvisor' } })))).allowed, true);
  assert.equal((await respond(exempting, review(privilegedPod({ spec: { runtimeClassName: 'runc' } })))).allowed, false, 'another runtime class is judged');
  // A typo in the exemptions is a configuration error, never a silent exemption of nothing (or everything).
  assert.throws(() => parseConfig('webhook:\n  exemptions:\n    user: [x]\n', 'webhook.yaml', known), /webhook\.exemptions/);
});

test('kind or operation spelt otherwise than the API server spells them is refused, not admitted unchecked', async () => {
  const lowerKind = { ...privilegedPod(), kind: 'pod' };
  const r1 = await respond(deny, review(lowerKind, { kind: { group: '', version: 'v1', kind: 'pod' } }));
  assert.equal(r1.allowed, false, JSON.stringify(r1));
  const r2 = await respond(deny, review(privilegedPod(), { operation: 'create' }));
  assert.equal(r2.allowed, false, JSON.stringify(r2));
  assert.match(r2.status.message, /unknown operation "create"/);
  // The object says one kind, the request another.
  const r3 = await respond(deny, review({ ...privilegedPod(), kind: 'ConfigMap' }, { kind: { group: '', version: 'v1', kind: 'Pod' } }));
  assert.equal(r3.allowed, false);
});

test('a privileged `kubectl debug` container (the pods/ephemeralcontainers subresource) is judged and denied', async () => {
  const pod = privilegedPod();
  pod.spec.containers[0]!.securityContext = { privileged: false } as any;
  const debugged = { ...pod, spec: { ...pod.spec, ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }] } };
  const response = await respond(deny, review(debugged, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: pod }));
  assert.equal(response.allowed, false);
  assert.match(response.status.message, /container-not-privileged spec\.ephemeralContainers\[0\]\.securityContext\.privileged/);
  assert.match(logs.at(-1)!, /UPDATE Pod\/ephemeralcontainers shop\/root-shell allowed=false/);
});

test('a Pod of 15,000 containers is refused as too large to evaluate, and requests behind it are still answered', async () => {
  const containers = Array.from({ length: 15_000 }, (_, i) => ({ name: `c${i}`, image: 'busybox' }));
  const huge = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'shop' }, spec: { containers } };
  const body = JSON.stringify(review(huge));
  assert.ok(body.length < 3 * 1024 * 1024, 'under the API server body limit');
  const pending = [send(deny.port, harness.pki.ca, { body }), send(deny.port, harness.pki.ca, { body }), respond(deny, review(privilegedPod()))];
  const [a, b, small] = await Promise.all(pending);
  for (const r of [a, b] as { status: number; body: any }[]) {
    assert.equal(r.status, 200);
    assert.equal(r.body.response.allowed, false);
    assert.match(r.body.response.status.message, /too large to evaluate: 15000 containers, over the limit of 250/);
  }
  assert.equal((small as any).allowed, false);
  // The limit is the operator's to set.
  const tight = await start({ maxContainers: 1 });
  const two = await respond(tight, review(privilegedPod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] } })));
  assert.match(two.status.message, /too large to evaluate: 2 containers, over the limit of 1/);
  // Past the limit and past the deadline: the judging thread is replaced, the request answered
  // 500 (a refusal under failurePolicy: Fail), and the server goes on serving.
  const slow = await start({ maxContainers: 20_000, judgeDeadlineMs: 50 });
  const late = await send(slow.port, harness.pki.ca, { body });
  assert.equal(late.status, 500);
  assert.match(late.body.error, /could not be judged within 50 ms/);
  assert.equal((await send(slow.port, harness.pki.ca, { method: 'GET', path: '/healthz' })).status, 200);
  assert.ok(logs.some((l) => /took longer than 50 ms to judge; its thread is replaced/.test(l)));
});

test('a 7 MiB body with a Content-Length is answered 413, not with a reset connection', async () => {
  // As a client streams it (the API server writes its body while the answer may already come):
  // the body arrives in pieces after the headers, and the answer is read once all is written.
  // Closing the connection with unread bytes in it makes the kernel send a reset, which throws
  // away the 413 before the client can read it; the server must read (and drop) the body first.
  const total = 7 * 1024 * 1024;
  const reply = await new Promise<{ status: number; text: string } | { error: string }>((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port: deny.port, ca: harness.pki.ca }, async () => {
      socket.write(`POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`);
      const piece = Buffer.alloc(256 * 1024, 0x20);
      for (let sent = 0; sent < total && !socket.destroyed; sent += piece.length) {
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
        await new Promise((r) => setTimeout(r, 5));
      }
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), text }));
      socket.resume();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
  assert.ok('status' in reply, `the client saw ${JSON.stringify(reply)}`);
  if ('status' in reply) {
    assert.equal(reply.status, 413);
    assert.match(reply.text, /larger than 6291456 bytes/);
  }
});

test('deeply nested JSON is a 400, not a 500', async () => {
  const object: any = privilegedPod();
  object.spec.deep = 'DEEP';
  const text = JSON.stringify(review(object)).replace('"DEEP"', '{"x":'.repeat(100_000) + '{}' + '}'.repeat(100_000));
  const reply = await send(deny.port, harness.pki.ca, { body: text });
  assert.equal(reply.status, 400, JSON.stringify(reply.body).slice(0, 200));
  assert.match(reply.body.error, /nested more than 1000 levels deep/);
  // Deep arrays too, and the server still answers.
  const arrays = '['.repeat(50_000) + ']'.repeat(50_000);
  const reply2 = await send(deny.port, harness.pki.ca, { body: `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","kind":{"kind":"Pod"},"object":{"kind":"Pod","x":${arrays}}}}` });
  assert.equal(reply2.status, 400);
  assert.equal((await respond(deny, review(privilegedPod()))).allowed, false);
});

test('an exception while judging answers 500 (a refusal under failurePolicy: Fail), never allowed, and the server keeps serving', async () => {
  const broken = await start({ judgeScript: new URL('./fixtures/throwing-judge.js', import.meta.url) });
  for (let i = 0; i < 3; i++) {
    const reply = await send(broken.port, harness.pki.ca, { body: JSON.stringify(review(privilegedPod())) });
    assert.equal(reply.status, 500);
    assert.equal(reply.body.response, undefined, 'no AdmissionReview answer, so no allowed');
    assert.match(reply.body.error, /internal error/);
  }
  // A judging thread that dies is replaced; its request is answered 500 too.
  const died = await send(broken.port, harness.pki.ca, { body: JSON.stringify({ die: true }) });
  assert.equal(died.status, 500);
  const health = await send(broken.port, harness.pki.ca, { method: 'GET', path: '/healthz' });
  assert.equal(health.status, 200);
  const after = await send(broken.port, harness.pki.ca, { body: JSON.stringify(review(privilegedPod())) });
  assert.equal(after.status, 500);
  assert.ok(logs.some((l) => /internal error/.test(l)));
});
