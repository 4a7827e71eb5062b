// `probe apiserver` against local TLS servers configured open (TLS 1.0 and up, every cipher
// suite, answers without credentials) and closed (TLS 1.2+, ECDHE-GCM/ChaCha20 only, 401 to
// anonymous requests), with certificates made by openssl in the test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { makePki, type Pki } from '../etcd/harness.js';
import { probeApiServer } from '../../../src/sources/apiserver/probe.js';
import { CIS_STRONG_SUITES } from '../../../src/checks/probes/apiserver.js';
import { apiServerProbeResult } from '../../../src/engine/probe-result.js';
import { runCli } from '../../cli/run-cli.js';
import type { Result } from '../../../src/result/result.js';

let pki: Pki;
const servers: https.Server[] = [];
let openUrl: string;
let closedUrl: string;

async function serve(options: https.ServerOptions, answer: (res: import('node:http').ServerResponse) => void): Promise<string> {
  const server = https.createServer({ cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey), ...options }, (_req, res) => answer(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  pki = makePki();
  openUrl = await serve({ minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' }, (res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"kind":"APIVersions","versions":["v1"]}');
  });
  closedUrl = await serve({ minVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' }, (res) => {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
  });
});
after(() => servers.forEach((s) => s.close()));

const now = new Date();
const statuses = (r: Result) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

test('an open server: old TLS, weak suites, anonymous reads — every check fails', async () => {
  const report = await probeApiServer({ url: openUrl, ca: pki.ca, timeoutMs: 3000 });
  assert.deepEqual(report.tlsVersions, { TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': true });
  assert.ok(report.cipherSuites.includes('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'), report.cipherSuites.join(' '));
  assert.ok(report.cipherSuites.includes('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'));
  assert.deepEqual(report.anonymous.map((a) => a.status), [200, 200, 200, 200, 200]);
  const result = apiServerProbeResult(report, { now, expiryWarningDays: 30, caGiven: true, failOn: 'high' });
  assert.deepEqual(statuses(result), {
    'apiserver-rejects-anonymous-requests': 'fail',
    'apiserver-anonymous-cannot-read-api': 'fail',
    'apiserver-accepts-only-tls12-or-newer': 'fail',
    'apiserver-accepts-only-strong-cipher-suites': 'fail',
    'apiserver-serving-certificate-valid': 'pass',
  });
  assert.deepEqual(result.findings.filter((f) => f.check === 'apiserver-anonymous-cannot-read-api').map((f) => f.location.path), ['/api', '/apis', '/metrics']);
  assert.deepEqual(result.findings.filter((f) => f.check === 'apiserver-accepts-only-tls12-or-newer').map((f) => f.location.path), ['TLSv1', 'TLSv1.1']);
  const weak = result.findings.filter((f) => f.check === 'apiserver-accepts-only-strong-cipher-suites').map((f) => f.location.path);
  assert.ok(weak.length > 0 && weak.every((s) => !CIS_STRONG_SUITES.has(s)));
});

test('a closed server: TLS 1.2+, strong suites only, 401 without credentials — every check passes', async () => {
  const report = await probeApiServer({ url: closedUrl, ca: pki.ca, timeoutMs: 3000 });
  assert.deepEqual(report.tlsVersions, { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
  assert.deepEqual(report.cipherSuites, ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256']);
  const result = apiServerProbeResult(report, { now, expiryWarningDays: 30, caGiven: true, failOn: 'high' });
  assert.deepEqual(new Set(Object.values(statuses(result))), new Set(['pass']));
  assert.deepEqual(result.findings, []);
});

test('the certificate: near expiry, another host name, another CA', async () => {
  const report = await probeApiServer({ url: closedUrl.replace('127.0.0.1', 'localhost'), ca: makePki().ca, timeoutMs: 3000 });
  const result = apiServerProbeResult(report, { now, expiryWarningDays: 1000, caGiven: true, failOn: 'high' });
  const messages = result.findings.filter((f) => f.check === 'apiserver-serving-certificate-valid').map((f) => f.message);
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.match(messages[0]!, /expires in \d+ days/);
  assert.match(messages[1]!, /does not name the host/);
  assert.match(messages[2]!, /does not verify against the given CA/);
});

test('the CLI: findings and exit 1 for the open server, exit 0 for the closed one, 2 when nothing answers', async () => {
  const open = await runCli(['probe', 'apiserver', openUrl, '--format', 'json']);
  assert.equal(open.code, 1);
  assert.equal((JSON.parse(open.stdout) as Result).target.source, 'apiserver-probe');
  const closed = await runCli(['probe', 'apiserver', closedUrl, '--ca', pki.files.ca, '--format', 'json']);
  assert.equal(closed.code, 0, closed.stderr);
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const refused = await runCli(['probe', 'apiserver', `https://127.0.0.1:${port}`, '--format', 'json']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /kubeharden: .*127\.0\.0\.1/);
  const plain = await runCli(['probe', 'apiserver', 'http://127.0.0.1:8080']);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /probed over https/);
});
