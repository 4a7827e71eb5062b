// The official client runs in a thread of its own (src/sources/cluster/connection-worker.ts):
// requests go through it, the read stops it, and a caller that never closes it still lets the
// process end. Against the local HTTPS stand-in for the API server (fake-apiserver.ts).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ApiClient, RequestFailed } from '../../../src/sources/cluster/client.js';
import { loadKubeConfig } from '../../../src/sources/cluster/kubeconfig.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

let server: FakeApiServer;
before(async () => {
  server = await startFakeApiServer([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
});
after(() => server.close());

test('requests go through the thread, several at once; after close() a request fails with a clear message', async () => {
  const config = await loadKubeConfig({ kubeconfig: server.kubeconfig() });
  assert.equal(config.context, 'fake');
  assert.equal(config.user, 'scanner');
  assert.match(config.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  const client = new ApiClient(config);
  const answers = await Promise.all([client.getJson('/version'), client.getJson('/api/v1/namespaces'), client.getJson('/version')]);
  assert.equal((answers[0] as { gitVersion: string }).gitVersion, 'v1.31.4');
  assert.deepEqual(((answers[1] as { items: { metadata: { name: string } }[] }).items).map((n) => n.metadata.name), ['shop']);
  client.close();
  await assert.rejects(client.getJson('/version'), (err: Error) => err instanceof RequestFailed && /GET \/version: the connection was closed/.test(err.message));
});

test('a caller that never closes the client does not keep the process alive', async () => {
  const module = (p: string) => JSON.stringify(fileURLToPath(new URL(p, import.meta.url)));
  const script = `
    const { loadKubeConfig } = await import(${module('../../../src/sources/cluster/kubeconfig.js')});
    const { ApiClient } = await import(${module('../../../src/sources/cluster/client.js')});
    const client = new ApiClient(await loadKubeConfig({ kubeconfig: ${JSON.stringify(server.kubeconfig())} }));
    console.log((await client.getJson('/version')).gitVersion);`;
  // Not spawnSync: the stand-in server answers from this process's event loop.
  const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.stdout.trim(), 'v1.31.4');
});
