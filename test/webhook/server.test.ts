// The admission server over real HTTPS (certificates made by openssl), with AdmissionReviews
// shaped as the API server sends them. No API server can run here: these requests stand in for it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { RunningWebhook } from '../../src/webhook/server.js';
import { webhookHarness } from './harness.js';
import { makePki } from '../sources/etcd/harness.js';
import { review, send } from './client.js';

const harness = webhookHarness();
const { logs, start } = harness;
let deny: RunningWebhook;

before(async () => {
  deny = await start();
});

const compliantDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        serviceAccountName: 'web',
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'app',
            image: 'registry.example/web@sha256:' + 'a'.repeat(64),
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 8080 } },
            readinessProbe: { httpGet: { path: '/', port: 8080 } },
          },
        ],
      },
    },
  },
};

function privilegedPod(metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'root-shell', namespace: 'shop', ...metadata },
    spec: { containers: [{ name: 'shell', image: 'busybox:1.36', env: [{ name: 'TOKEN', value: 'not-for-logs-3f9a' }], securityContext: { privileged: true } }] },
  };
}

async function admit(server: RunningWebhook, body: Record<string, any>) {
  const reply = await send(server.port, harness.pki.ca, { body: JSON.stringify(body) });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assert.equal(reply.body.apiVersion, 'admission.k8s.io/v1');
  assert.equal(reply.body.kind, 'AdmissionReview');
  assert.equal(reply.body.response.uid, body.request.uid, 'the response carries the request uid');
  return reply.body.response;
}

test('a compliant Deployment is allowed, even at --fail-on low', async () => {
  const strict = await start({ failOn: 'low' });
  const response = await admit(strict, review(compliantDeployment));
  assert.equal(response.allowed, true, JSON.stringify(response));
  assert.equal(response.status, undefined);
  assert.equal(response.warnings, undefined);
});

test('a privileged Pod is denied with 403 and a message naming the check and the field', async () => {
  const response = await admit(deny, review(privilegedPod()));
  assert.equal(response.allowed, false);
  assert.equal(response.status.code, 403);
  assert.match(response.status.message, /^kubeharden denied Pod shop\/root-shell: \d+ finding\(s\) at or above high/);
  assert.match(response.status.message, /\n- container-not-privileged spec\.containers\[0\]\.securityContext\.privileged: container "shell" sets securityContext\.privileged: true/);
  assert.ok(response.status.message.length <= 4096);
});

test('warn mode admits the Pod and returns each finding as a warning of at most 120 characters', async () => {
  const warn = await start({ mode: 'warn' });
  const response = await admit(warn, review(privilegedPod()));
  assert.equal(response.allowed, true);
  assert.equal(response.status, undefined);
  assert.ok(response.warnings.some((w: string) => w.startsWith('container-not-privileged spec.containers[0].securityContext.privileged: ')));
  for (const w of response.warnings) assert.ok(w.length <= 120, `${w.length}: ${w}`);
});

test("exceptions come from the operator's config only: the object's own kubeharden.io/ignore annotation is not honoured", async () => {
  const denied = await admit(deny, review(privilegedPod()));
  const checks = [...denied.status.message.matchAll(/^- ([a-z0-9-]+) /gm)].map((m) => m[1]);
  assert.ok(checks.length >= 2, denied.status.message);
  // The Pod's author cannot turn deny mode off for their own Pod.
  const annotation = checks.map((c) => `${c}: a debugging pod the platform team runs by hand`).join('\n');
  const inline = await admit(deny, review(privilegedPod({ annotations: { 'kubeharden.io/ignore': annotation } })));
  assert.equal(inline.allowed, false, JSON.stringify(inline));
  assert.match(inline.status.message, new RegExp(`- ${checks[0]} `));
  const everything = await admit(deny, review(privilegedPod({ annotations: { 'kubeharden.io/ignore': '*: trust me' } })));
  assert.equal(everything.allowed, false);

  const excepting = await start({ exceptions: checks.map((check, i) => ({ check: check!, resource: { kind: 'Pod', namespace: 'shop', name: 'root-shell' }, reason: 'debug pod', source: `test exceptions[${i}]` })) });
  assert.equal((await admit(excepting, review(privilegedPod()))).allowed, true);
  assert.equal((await admit(excepting, review(privilegedPod({ name: 'other' })))).allowed, false, 'the exception names one Pod only');
});

test('--fail-on, severity overrides and disabled checks decide as they do for a scan', async () => {
  const critical = await start({ failOn: 'critical' });
  const response = await admit(critical, review(privilegedPod()));
  // container-not-privileged is critical; the high findings (capabilities, escalation) do not count.
  assert.match(response.status.message, /1 finding\(s\) at or above critical .*\n- container-not-privileged [^\n]*$/);
  const lowered = await start({ failOn: 'critical', severityOverrides: { 'container-not-privileged': 'high' } });
  assert.equal((await admit(lowered, review(privilegedPod()))).allowed, true);
  const none = await start({ failOn: 'none' });
  assert.equal((await admit(none, review(privilegedPod()))).allowed, true);
  const disabled = await start({ disabled: ['container-not-privileged'] });
  const without = await admit(disabled, review(privilegedPod()));
  assert.equal(without.allowed, false);
  assert.doesNotMatch(without.status.message, /container-not-privileged/);
});

test('DELETE is allowed without evaluation; a dryRun CREATE is judged like a real one', async () => {
  const del = await admit(deny, review(undefined, { operation: 'DELETE', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'shop', name: 'root-shell', oldObject: privilegedPod() }));
  assert.equal(del.allowed, true);
  assert.match(logs.at(-1)!, /DELETE Pod shop\/root-shell allowed=true findings=0 \(not evaluated\)/);
  const dry = await admit(deny, review(privilegedPod(), { dryRun: true }));
  assert.equal(dry.allowed, false);
  assert.match(logs.at(-1)!, /CREATE Pod shop\/root-shell allowed=false findings=\d+ dryRun$/);
});

test('a ConfigMap (not pod-bearing: the rules never send one) is refused, not admitted unchecked, and its data is not logged', async () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { password: 'hunter2-not-for-logs' } };
  const response = await admit(deny, review(configMap));
  assert.equal(response.allowed, false);
  assert.match(response.status.message, /"ConfigMap" is not a pod-bearing kind kubeharden knows/);
  assert.match(logs.at(-1)!, /CREATE ConfigMap shop\/settings allowed=false findings=0 \(unknown kind\)/);
  assert.doesNotMatch(logs.join('\n'), /hunter2/);
});

test('an UPDATE is judged on the new object; the namespace of the request fills a missing one', async () => {
  const pod = privilegedPod();
  delete (pod.metadata as any).namespace;
  const response = await admit(deny, review(pod, { operation: 'UPDATE', namespace: 'kube-public', oldObject: compliantDeployment }));
  assert.equal(response.allowed, false);
  // workload-not-in-reserved-namespace sees the namespace the request names.
  const strict = await start({ failOn: 'medium' });
  const info = await admit(strict, review(pod, { namespace: 'kube-public' }));
  assert.match(info.status.message, /^kubeharden denied Pod kube-public\/root-shell/);
  assert.match(info.status.message, /- workload-not-in-reserved-namespace metadata\.namespace: Pod kube-public\/root-shell runs in kube-public/);
});

test('logs: one line per decision, never the body', async () => {
  const before = logs.length;
  await admit(deny, review(privilegedPod()));
  assert.equal(logs.length, before + 1);
  assert.doesNotMatch(logs.join('\n'), /not-for-logs/);
});

test('bad input is a 400 with a clear message, or a denial when only the object is malformed', async () => {
  const bad = async (body: string | Buffer, pattern: RegExp, status = 400) => {
    const reply = await send(deny.port, harness.pki.ca, { body });
    assert.equal(reply.status, status, `${String(body).slice(0, 80)} → ${JSON.stringify(reply.body)}`);
    assert.match(reply.body.error, pattern);
  };
  await bad('{"apiVersion": "admission.k8s.io/v1", ', /^not a valid AdmissionReview: the body is not JSON/);
  await bad('[1,2]', /the body is not a JSON object/);
  await bad('', /not JSON/);
  await bad(JSON.stringify({ ...review(privilegedPod()), apiVersion: 'admission.k8s.io/v1beta1' }), /expected apiVersion admission\.k8s\.io\/v1.*admissionReviewVersions: \[v1\]/);
  await bad(JSON.stringify({ ...review(privilegedPod()), kind: 'Pod' }), /kind AdmissionReview/);
  await bad(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /has no request/);
  const noUid = review(privilegedPod());
  delete noUid.request.uid;
  await bad(JSON.stringify(noUid), /has no uid/);
  await bad(JSON.stringify(review(undefined, { operation: 'CREATE' })), /request\.object of a CREATE must be a JSON object/);
  await bad(JSON.stringify(review(['not', 'an', 'object'] as any)), /request\.object of a CREATE must be a JSON object/);

  // The object itself has fields of the wrong shape: judged, not crashed on, and refused.
  const wrongShapes = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', namespace: 'shop' }, spec: { containers: 'not a list' } };
  const response = await admit(deny, review(wrongShapes));
  assert.equal(response.allowed, false);
  assert.match(response.status.message, /could not evaluate it: .*containers/);
  const badMetadata = { apiVersion: 'v1', kind: 'Pod', metadata: 'not a mapping', spec: {} };
  const r2 = await admit(deny, review(badMetadata));
  assert.equal(r2.allowed, false);
  assert.match(r2.status.message, /could not evaluate it: Pod: metadata must be a mapping/);
  const noKind = await admit(deny, review({ metadata: { name: 'x' } } as any));
  assert.equal(noKind.allowed, false);
  assert.match(noKind.status.message, /has no `kind`/);

  const get = await send(deny.port, harness.pki.ca, { method: 'GET' });
  assert.equal(get.status, 405);
  const elsewhere = await send(deny.port, harness.pki.ca, { path: '/mutate' });
  assert.equal(elsewhere.status, 404);
  const health = await send(deny.port, harness.pki.ca, { method: 'GET', path: '/healthz' });
  assert.deepEqual([health.status, health.body], [200, { status: 'ok' }]);
});

test('a body over the limit is refused with 413, by its Content-Length or as it streams', async () => {
  const small = await start({ maxBodyBytes: 64 * 1024 });
  const big = JSON.stringify(review({ ...privilegedPod(), data: 'x'.repeat(100 * 1024) }));
  // A Content-Length over the limit is answered before any of the body is read.
  const declared = await send(small.port, harness.pki.ca, { headers: { 'content-length': String(100 * 1024 * 1024) }, headersOnly: true });
  assert.equal(declared.status, 413);
  assert.match(declared.body.error, /larger than 65536 bytes/);
  const streamed = await send(small.port, harness.pki.ca, { body: big, headers: { 'transfer-encoding': 'chunked' } });
  assert.equal(streamed.status, 413);
  assert.match(streamed.body.error, /larger than 65536 bytes/);
  // A stream far beyond the limit is cut off, not read to its end.
  const endless = await send(small.port, harness.pki.ca, { body: 'x'.repeat(1024 * 1024), headers: { 'transfer-encoding': 'chunked' } }).catch((err: NodeJS.ErrnoException) => err.code);
  assert.ok(endless === 'ECONNRESET' || endless === 'EPIPE' || (typeof endless === 'object' && endless.status === 413), String(endless));
  // The server still answers.
  assert.equal((await admit(small, review(compliantDeployment))).allowed, true);
});

test('a client that stalls does not hang the server for others, and is cut off', async () => {
  const quick = await start({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  // Headers sent, body promised but never sent.
  const stalled = tls.connect({ host: '127.0.0.1', port: quick.port, ca: harness.pki.ca });
  await new Promise<void>((resolve) => stalled.once('secureConnect', () => resolve()));
  stalled.write('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiV');
  const closed = new Promise<number>((resolve) => {
    const t0 = Date.now();
    stalled.on('close', () => resolve(Date.now() - t0));
    stalled.on('error', () => undefined);
    stalled.resume();
  });
  // Half a request open, and a handshake never finished: others are still answered at once.
  const silent = tls.connect({ host: '127.0.0.1', port: quick.port, ca: harness.pki.ca });
  silent.on('error', () => undefined);
  assert.equal((await admit(quick, review(privilegedPod()))).allowed, false);
  const waited = await closed;
  assert.ok(waited < 5000, `the stalled client was cut off after ${waited} ms`);
  silent.destroy();
});

test('a renewed certificate is served without a restart; a half-written one is not', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-webhook-tls-'));
  const renewed = makePki();
  try {
    const certFile = path.join(dir, 'tls.crt');
    const keyFile = path.join(dir, 'tls.key');
    copyFileSync(harness.pki.files.serverCert, certFile);
    copyFileSync(harness.pki.files.serverKey, keyFile);
    const server = await start({ reloadTls: { certFile, keyFile, everyMs: 50 } });
    assert.equal((await send(server.port, harness.pki.ca, { method: 'GET', path: '/healthz' })).status, 200);
    // The new certificate without its key: kept out, the old pair still served.
    copyFileSync(renewed.files.serverCert, certFile);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await send(server.port, harness.pki.ca, { method: 'GET', path: '/healthz' })).status, 200);
    assert.ok(logs.some((l) => /the new TLS files do not load yet/.test(l)));
    copyFileSync(renewed.files.serverKey, keyFile);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await send(server.port, renewed.ca, { method: 'GET', path: '/healthz' })).status, 200);
    await assert.rejects(send(server.port, harness.pki.ca, { method: 'GET', path: '/healthz' }), /certificate/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(renewed.dir, { recursive: true, force: true });
  }
});
