// The node-audit DaemonSet of deploy/ on every distribution: it mounts the host's whole root
// read-only at /host, so k3s's and RKE2's /var/lib/rancher and /etc/rancher, EKS's /etc/eks and
// /etc/kubernetes/kubelet, GKE's /home/kubernetes and AKS's /etc/default/kubelet are all under
// it. Its arguments, run against each distribution's root (one round, without publishing),
// audit that node against its own benchmark.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { inventoryFromYaml, REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { aksRoot, eksRoot, gkeRoot, k3sRoot, rke2Root } from '../sources/node/distribution-roots.js';

const roots: string[] = [];
after(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('the DaemonSet mounts the host root and audits k3s, RKE2, EKS, GKE and AKS nodes against their own benchmarks', async () => {
  const file = path.join(REPO_ROOT, 'deploy', 'kubeharden-node-audit.yaml');
  const daemonSet = inventoryFromYaml(readFileSync(file, 'utf8'), file).ofKind('DaemonSet')[0]!.raw as any;
  const pod = daemonSet.spec.template.spec;
  const mount = pod.containers[0].volumeMounts.find((m: any) => m.mountPath === '/host');
  assert.equal(pod.volumes.find((v: any) => v.name === mount.name).hostPath.path, '/');
  assert.equal(pod.hostPID, true, 'the host\'s /proc shows k3s server, rke2 and kubelet processes');
  const args: string[] = pod.containers[0].args;
  // One round, not published: drop --publish and --every 24h.
  const once = args.filter((a, i) => a !== '--publish' && a !== '--every' && args[i - 1] !== '--every');
  for (const [build, benchmark] of [[eksRoot, 'cis-eks-1.8'], [gkeRoot, 'cis-gke-1.9'], [aksRoot, 'cis-aks-1.8'], [k3sRoot, 'k3s-cis-1.12'], [rke2Root, 'rke2-cis-1.12']] as const) {
    const root = build('default');
    roots.push(root);
    const run = await runCli(once.map((a) => (a === '/host' ? root : a === '/proc' ? path.join(root, 'no-proc') : a)), { env: { NODE_NAME: 'node-1' } });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.target.benchmark.name, benchmark);
    assert.ok(result.checks.length > 10);
  }
});
