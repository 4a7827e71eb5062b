// `kubeharden webhook` from the command line: usage errors exit 2 naming the input, and the
// args of deploy/kubeharden-webhook.yaml start a server that answers probes and reviews, and
// stops cleanly on SIGTERM as Kubernetes stops a pod.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { freePort, makePki, type Pki } from '../sources/etcd/harness.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { review, send } from './client.js';

let pki: Pki;
before(() => {
  pki = makePki();
});
after(() => rmSync(pki.dir, { recursive: true, force: true }));

test('usage errors exit 2 with a message naming the input', async () => {
  const noCert = await runCli(['webhook']);
  assert.equal(noCert.code, 2);
  assert.match(noCert.stderr, /webhook serves HTTPS only: give --tls-cert FILE and --tls-key FILE/);
  const noKey = await runCli(['webhook', '--tls-cert', pki.files.serverCert]);
  assert.equal(noKey.code, 2);

  const missing = path.join(pki.dir, 'missing.key');
  const unreadable = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', missing]);
  assert.equal(unreadable.code, 2);
  assert.match(unreadable.stderr, new RegExp(`--tls-key ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));

  const notPem = path.join(pki.dir, 'not-a-key.pem');
  writeFileSync(notPem, 'hello\n');
  const garbage = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', notPem, '--port', String(await freePort())]);
  assert.equal(garbage.code, 2);
  assert.match(garbage.stderr, /cannot start the webhook on port \d+: .*check --tls-cert and --tls-key/);

  const badPort = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '--port', '70000']);
  assert.equal(badPort.code, 2);
  const badMode = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '--mode', 'audit']);
  assert.equal(badMode.code, 2);
  const badFailOn = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '--fail-on', 'bogus']);
  assert.equal(badFailOn.code, 2);
  assert.match(badFailOn.stderr, /--fail-on/);
  const badConfig = await runCli(['webhook', '--tls-cert', pki.files.serverCert, '--tls-key', pki.files.serverKey, '-c', missing]);
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.stderr, /cannot read the configuration/);
});

test('--help explains what it judges and what it cannot, with examples', async () => {
  const help = await runCli(['webhook', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:\n {2}\$ kubeharden webhook --tls-cert/);
  assert.match(help.stdout, /pod-service-account-token-not-automounted/);
  assert.match(help.stdout, /NetworkPolicy isolation/);
});

test('the args of deploy/kubeharden-webhook.yaml start a server that answers probes and reviews, and stops on SIGTERM', async () => {
  const { inventory } = await loadManifests([path.join(REPO_ROOT, 'deploy', 'kubeharden-webhook.yaml')]);
  const deployment = inventory.find('Deployment', 'kubeharden-webhook', 'kubeharden-webhook')!.raw as any;
  const container = deployment.spec.template.spec.containers[0];
  const port = await freePort();
  const args = (container.args as string[]).map((a) =>
    a === '/tls/tls.crt' ? pki.files.serverCert : a === '/tls/tls.key' ? pki.files.serverKey : a === String(container.ports[0].containerPort) ? String(port) : a,
  );
  assert.ok(args.includes(String(port)) && args.includes(pki.files.serverKey));
  assert.equal(container.readinessProbe.httpGet.path, '/healthz');

  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), ...args], { cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    for (let i = 0; i < 100 && !stderr.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, new RegExp(`listening on https://0\\.0\\.0\\.0:${port}/validate \\(mode deny, fail on high\\)`));
    assert.deepEqual((await send(port, pki.ca, { method: 'GET', path: '/healthz' })).body, { status: 'ok' });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] } };
    const reply = await send(port, pki.ca, { body: JSON.stringify(review(pod)) });
    assert.equal(reply.body.response.allowed, false);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /CREATE Pod shop\/p allowed=false findings=\d+/);
});
