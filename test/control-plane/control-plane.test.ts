// scripts/control-plane.mjs itself: a real etcd + kube-apiserver come up on loopback, answer as
// cluster admin through the real kubectl, restart with other flags keeping their data, and go away
// without a trace.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from './harness.js';

const skip = controlPlaneUnavailable();

function anonymousGet(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Running (not gone, not a zombie: in a container nothing may reap a detached process's exit status). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('control-plane.mjs: a real kube-apiserver and etcd', { skip }, () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  test('serves as kubeadm configures it, to the real kubectl, as system:masters', async () => {
    const { env } = plane;
    assert.match(env.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(new Set(Object.values(env.ports)).size, 4, 'four distinct ports');
    const version = JSON.parse(await plane.kubectlOk(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string }; clientVersion: { gitVersion: string } };
    assert.equal(version.serverVersion.gitVersion, `v${env.version}`);
    assert.equal(version.clientVersion.gitVersion, `v${env.version}`);
    assert.equal((await plane.kubectlOk(['get', '--raw', '/readyz'])).trim(), 'ok');
    assert.equal((await plane.kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.groups}'])).includes('system:masters'), true);
    for (const flag of ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction,PodSecurity']) {
      assert.ok(env.apiserverArgs.includes(flag), flag);
    }
    assert.ok(env.apiserverArgs.some((a) => a.startsWith('--audit-policy-file=')));
    assert.ok(env.apiserverArgs.some((a) => a.startsWith('--encryption-provider-config=')));
    assert.ok(existsSync(env.files.auditLog!), 'the audit log is written');
  });

  test('a restart with other flags keeps etcd, its data and the ports', async () => {
    const ca = readFileSync(`${plane.env.pki}/ca.crt`);
    await plane.kubectlOk(['create', 'namespace', 'survives-restart']);
    // kube-apiserver's default: anonymous requests are on, and /version is public (system:public-info-viewer).
    assert.equal(await anonymousGet(`${plane.env.server}/version`, ca), 200);
    const before = plane.env;
    await plane.restart({ apiserverFlags: ['--anonymous-auth=false'] });
    assert.equal(plane.env.pids.etcd, before.pids.etcd, 'etcd was not restarted');
    assert.notEqual(plane.env.pids.kubeApiserver, before.pids.kubeApiserver);
    assert.equal(plane.env.server, before.server);
    assert.ok(plane.env.apiserverArgs.includes('--anonymous-auth=false'));
    assert.ok(!processAlive(before.pids.kubeApiserver), 'the old API server is gone');
    assert.equal(await anonymousGet(`${plane.env.server}/version`, ca), 401);
    assert.equal((await plane.kubectlOk(['get', 'namespace', 'survives-restart', '-o', 'name'])).trim(), 'namespace/survives-restart');
    // The encryption key of the first start is kept, so Secrets written before a restart stay readable.
    assert.equal(plane.env.files.encryptionConfig, before.files.encryptionConfig);
  });

  test('down stops only its processes and removes its folder', async () => {
    const { pids, dir } = plane.env;
    await plane.stop();
    assert.equal(processAlive(pids.etcd), false);
    assert.equal(processAlive(pids.kubeApiserver), false);
    assert.equal(existsSync(dir), false);
  });
});

// The older supported minor, for version-dependent behaviour (Pod Security policy versions, flag
// defaults): run where it is built, never required (CI builds v1.37 only, to stay in its time).
describe('control-plane.mjs --version 1.35', { skip: controlPlaneUnavailable('1.35', { optional: true }) }, () => {
  test('starts a v1.35 kube-apiserver with the same flags, answering the v1.35 kubectl', async () => {
    const plane = await startControlPlane({ version: '1.35' });
    try {
      const version = JSON.parse(await plane.kubectlOk(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string; minor: string } };
      assert.equal(version.serverVersion.gitVersion, `v${plane.env.version}`);
      assert.equal(version.serverVersion.minor, '35');
      assert.equal((await plane.kubectlOk(['get', '--raw', '/readyz'])).trim(), 'ok');
    } finally {
      await plane.stop();
    }
  });
});
