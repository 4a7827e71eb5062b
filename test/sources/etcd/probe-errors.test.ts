// Bad endpoints and bad inputs end in a clear error within the request deadline, never a hang.
// No etcd needed: each case is a small local server that misbehaves in one way.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeEtcd } from '../../../src/sources/etcd/probe.js';
import { prefixRangeEnd } from '../../../src/sources/etcd/client.js';
import { REPO_ROOT } from '../../helpers.js';
import { freePort } from './harness.js';

/** Short, so the hanging cases end quickly; the CLI default is 5 seconds. */
const TIMEOUT_MS = 300;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

async function probeError(endpoint: string): Promise<string> {
  const report = await probeEtcd({ endpoints: [endpoint], timeoutMs: TIMEOUT_MS });
  assert.equal(report.secrets, undefined);
  return report.endpoints[0]?.error ?? '(no error)';
}

describe('endpoints that are not a working etcd', () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => sockets.add(socket)); // accepts, never answers
  const ssh = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1\r\n'));
  const web = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>'));
  const ports: Record<string, number> = {};
  before(async () => {
    ports.silent = await listen(silent);
    ports.ssh = await listen(ssh);
    ports.web = await listen(web);
  });
  after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
    ssh.close();
    web.close();
  });

  test('nothing listening: connection refused', async () => {
    assert.match(await probeError(`http://127.0.0.1:${await freePort()}`), /connection refused \(nothing listens there\)/);
  });

  test('accepts the connection and never answers: a timeout error naming the deadline (http and https)', async () => {
    assert.match(await probeError(`http://127.0.0.1:${ports.silent}`), /did not answer within 0\.3s \(connected: yes\)/);
    assert.match(await probeError(`https://127.0.0.1:${ports.silent}`), /no TLS handshake within 0\.3s/);
  });

  test('a port that is not etcd: not HTTP at all, or HTTP but not the etcd gateway', async () => {
    assert.match(await probeError(`http://127.0.0.1:${ports.ssh}`), /does not speak HTTP/);
    assert.match(await probeError(`http://127.0.0.1:${ports.web}`), /answered HTTP 404 but not with etcd's JSON gateway \(it said: <html>not found<\/html>\)/);
  });

  test('malformed endpoints', async () => {
    assert.match(await probeError('localhost:2379'), /scheme must be http or https/);
    assert.match(await probeError('http://127.0.0.1'), /has no port/);
    assert.match(await probeError('not a url'), /is not a URL/);
  });
});

test('prefix range ends', () => {
  assert.deepEqual(prefixRangeEnd(Buffer.from('/registry/secrets/')), Buffer.from('/registry/secrets0'));
  assert.deepEqual(prefixRangeEnd(Buffer.from([0x61, 0xff])), Buffer.from([0x62]));
});

describe('CLI: bad input exits 2 with a message', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-probe-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubeharden.js'), 'etcd', 'probe', ...args], { encoding: 'utf8' });

  test('an unreachable endpoint', async () => {
    const run = cli('--endpoints', `http://127.0.0.1:${await freePort()}`, '--timeout', '2', '--format', 'json');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /connection refused/);
    assert.match(JSON.parse(run.stdout).errors[0].message, /connection refused/);
  });

  test('a malformed --encryption-config, and one with a key of the wrong size', () => {
    writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [\n');
    const broken = cli('--endpoints', 'http://127.0.0.1:1', '--encryption-config', path.join(dir, 'broken.yaml'));
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /broken\.yaml: /);
    const secret = Buffer.alloc(20, 7).toString('base64');
    writeFileSync(
      path.join(dir, 'short-key.yaml'),
      `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aescbc: {keys: [{name: k, secret: ${secret}}]}\n`,
    );
    const short = cli('--endpoints', 'http://127.0.0.1:1', '--encryption-config', path.join(dir, 'short-key.yaml'));
    assert.equal(short.status, 2);
    assert.match(short.stderr, /secret decodes to 20 bytes; aescbc needs 16, 24, 32 bytes/);
    assert.ok(!short.stderr.includes(secret));
  });

  test('usage errors: --cert without --key, a bad --timeout', () => {
    assert.equal(cli('--endpoints', 'http://127.0.0.1:1', '--cert', 'x').status, 2);
    assert.equal(cli('--endpoints', 'http://127.0.0.1:1', '--timeout', 'forever').status, 2);
  });

  test('usage errors: --kms-plugin without --encryption-config, a --kms-socket without a provider name', () => {
    const plugin = cli('--endpoints', 'http://127.0.0.1:1', '--kms-plugin');
    assert.equal(plugin.status, 2);
    assert.match(plugin.stderr, /--kms-plugin and --kms-socket need --encryption-config/);
    const socket = cli('--endpoints', 'http://127.0.0.1:1', '--kms-socket', '/run/kms.sock');
    assert.equal(socket.status, 2);
    assert.match(socket.stderr, /--kms-socket "\/run\/kms.sock": write it as NAME=\/path\/to\/socket/);
    const endpoint = cli('--endpoints', 'http://127.0.0.1:1', '--kms-socket', 'vault=unix://relative.sock');
    assert.equal(endpoint.status, 2);
    assert.match(endpoint.stderr, /--kms-socket: KMS endpoint "unix:\/\/relative.sock" is not unix:\/\/\/path\/to\/socket/);
  });
});
