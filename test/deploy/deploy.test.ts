// The in-cluster manifests and the image. What can be proven without a Docker engine or the
// Go-built control plane (kubectl apply -k deploy/ on a real kube-apiserver, with the roles used
// for real, is test/control-plane/deploy-rbac.test.ts):
// - each role grants exactly what its workload uses: the scanner reads what the cluster source
//   lists (never Secrets) and writes only PolicyReports; the node audit only publishes its
//   ConfigMap;
// - kubeharden's own scan of deploy/ reports nothing but the exceptions of
//   deploy/.kubeharden.yaml, and every one of those is still needed;
// - the containers' args are real command lines: run as written (against a host root and the
//   local API stand-in) they audit, publish, gather and write reports;
// - the image's runtime stage holds everything the compiled tool imports: no devDependency is
//   imported at run time, and every path the Dockerfile copies exists.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanManifests } from '../../src/engine/scan.js';
import { loadConfig } from '../../src/engine/config.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { CLUSTER_RESOURCES } from '../../src/sources/cluster/resources.js';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeApiServer } from '../sources/cluster/fake-apiserver.js';
import { buildRoot } from '../sources/node/roots.js';
import { judgeObject } from '../../src/webhook/judge.js';

const DEPLOY = path.join(REPO_ROOT, 'deploy');
const CONFIG = path.join(DEPLOY, '.kubeharden.yaml');

/**
 * The manifests of deploy/, each read as a file: a scan of the folder would build its
 * kustomization with kustomize, which these tests do not need (and leave the webhook, which
 * the kustomization does not list, apart).
 */
function deployFiles(): string[] {
  return readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && !f.startsWith('.')).sort().map((f) => path.join(DEPLOY, f));
}

async function deployInventory() {
  const { inventory } = await loadManifests(deployFiles());
  return inventory;
}

function grants(rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]): string[] {
  const out = new Set<string>();
  for (const rule of rules) for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) out.add(`${verb} ${group}/${resource}`);
  return [...out].sort();
}

function podSpec(raw: any): any {
  return raw.kind === 'CronJob' ? raw.spec.jobTemplate.spec.template.spec : raw.spec.template.spec;
}

function containerArgs(raw: any): string[] {
  return podSpec(raw).containers[0].args;
}

function containerImage(raw: any): string {
  return podSpec(raw).containers[0].image;
}

test('the scanner reads what the cluster source lists but Secrets, and writes only PolicyReports', async () => {
  const inventory = await deployInventory();
  const read = inventory.find('ClusterRole', undefined, 'kubeharden-read')!;
  // `list secrets` would grant every Secret value (RBAC cannot grant metadata only): left out on purpose.
  const needed = [...CLUSTER_RESOURCES.filter((r) => r.kind !== 'Secret').map((r) => `list ${r.group}/${r.plural}`), 'get /namespaces'].sort();
  assert.deepEqual(grants(read.raw.rules as any), needed);
  const writer = inventory.find('ClusterRole', undefined, 'kubeharden-report-writer')!;
  assert.deepEqual(grants(writer.raw.rules as any), ['create', 'delete', 'list', 'patch'].flatMap((v) => [`${v} wgpolicyk8s.io/clusterpolicyreports`, `${v} wgpolicyk8s.io/policyreports`]).sort());
  for (const name of ['kubeharden-read', 'kubeharden-report-writer']) {
    const binding = inventory.find('ClusterRoleBinding', undefined, name)!.raw as any;
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'kubeharden-scanner', namespace: 'kubeharden' }]);
  }
});

test('the node audit may only create and patch ConfigMaps in its own namespace', async () => {
  const inventory = await deployInventory();
  const role = inventory.find('Role', 'kubeharden-node', 'kubeharden-node-audit-publisher')!;
  assert.deepEqual(grants(role.raw.rules as any), ['create /configmaps', 'patch /configmaps']);
  const binding = inventory.find('RoleBinding', 'kubeharden-node', 'kubeharden-node-audit-publisher')!.raw as any;
  const daemonSet = inventory.find('DaemonSet', 'kubeharden-node', 'kubeharden-node-audit')!.raw as any;
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: daemonSet.spec.template.spec.serviceAccountName, namespace: 'kubeharden-node' }]);
  assert.equal(inventory.ofKind('ClusterRoleBinding').filter((b) => (b.raw as any).subjects.some((s: any) => s.namespace === 'kubeharden-node')).length, 0);
});

test("kubeharden's own scan of deploy/ reports only the exceptions of deploy/.kubeharden.yaml, each still needed", async () => {
  const config = await loadConfig(CONFIG, new Set(ALL_CHECKS.map((c) => c.id)));
  assert.ok(config.exceptions.length > 0);
  const result = await scanManifests(deployFiles(), { exceptions: config.exceptions, disabled: config.disabled });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.findings.filter((f) => !f.exception).map((f) => `${f.check} ${f.resource.kind}/${f.resource.name} ${f.location.path}`), []);
  const used = new Set(result.findings.map((f) => f.exception!.source));
  assert.deepEqual(config.exceptions.filter((e) => !used.has(e.source)).map((e) => `${e.check} ${e.resource.name}`), [], 'an exception nothing needs should go');
  // No inline ignores: every exception lives in the config file, with its reason.
  const inventory = await deployInventory();
  assert.ok(inventory.objects.every((o) => !('kubeharden.io/ignore' in o.annotations)));
});

test("the containers' args run as written: the node audit publishes, the scan gathers it and writes reports", async () => {
  const inventory = await deployInventory();
  const daemonSetArgs = containerArgs(inventory.find('DaemonSet', 'kubeharden-node', 'kubeharden-node-audit')!.raw);
  const cronJobArgs = containerArgs(inventory.find('CronJob', 'kubeharden', 'kubeharden-scan')!.raw);
  assert.deepEqual(daemonSetArgs.slice(daemonSetArgs.indexOf('--every'), daemonSetArgs.indexOf('--every') + 2), ['--every', '24h']);

  const root = buildRoot('worker', 'kubeadm');
  const proc = mkdtempSync(path.join(tmpdir(), 'kh-deploy-proc-'));
  const server = await startFakeApiServer([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubeharden-node' } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' } },
  ]);
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(proc, { recursive: true, force: true });
  });
  try {
    const kubeconfig = server.kubeconfig();
    // As the DaemonSet runs it, with the host at the test root, one round instead of every 24h,
    // and the kubeconfig standing in for the in-cluster ServiceAccount.
    const nodeArgs = daemonSetArgs.filter((a, i) => a !== '--every' && daemonSetArgs[i - 1] !== '--every').map((a) => (a === '/host' ? root : a === '/proc' ? proc : a));
    const audit = await runCli([...nodeArgs, '--kubeconfig', kubeconfig], { env: { NODE_NAME: 'worker-1' } });
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stderr, /node audit published to configmap kubeharden-node\/node-audit-worker-1/);
    const scan = await runCli([...cronJobArgs, '--kubeconfig', kubeconfig]);
    assert.equal(scan.code, 0, scan.stderr);
    const result = JSON.parse(scan.stdout) as Result;
    assert.deepEqual((result.target.nodeAudits as any[]).map((r) => [r.node, r.status]), [['worker-1', 'current']]);
    assert.ok(server.written('ClusterPolicyReport').some((r) => r.metadata.name === 'kubeharden-node-worker-1'));
  } finally {
    await server.close();
  }
});

test('the kustomization applies every manifest of deploy/ but the webhook (applied once its certificate exists), and sets the image the workloads use', async () => {
  const kustomization = (await deployInventory()).find('Kustomization', undefined, '')!.raw as any;
  const manifests = readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && !f.startsWith('.')).sort();
  assert.deepEqual([...kustomization.resources].sort(), manifests.filter((f) => f !== 'kubeharden-webhook.yaml'));
  const inventory = await deployInventory();
  const images = [...inventory.ofKind('DaemonSet'), ...inventory.ofKind('CronJob'), ...inventory.ofKind('Deployment')].map((o) => containerImage(o.raw));
  assert.deepEqual([...new Set(images)], [`${kustomization.images[0].name}:${kustomization.images[0].newTag}`]);
});

test("the webhook, as deployed (default config, --fail-on high), admits kubeharden's own workloads in every namespace it judges", async () => {
  const inventory = await deployInventory();
  const webhookConfig = inventory.ofKind('ValidatingWebhookConfiguration').find((o) => o.name === 'kubeharden')!.raw as any;
  const excluded = new Set<string>(webhookConfig.webhooks[0].namespaceSelector.matchExpressions.find((e: any) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'NotIn').values);
  assert.ok(excluded.has('kubeharden-node'), 'the node audit needs host access: its namespace is left out');
  const args = containerArgs(inventory.find('Deployment', 'kubeharden-webhook', 'kubeharden-webhook')!.raw);
  const failOn = args.includes('--fail-on') ? (args[args.indexOf('--fail-on') + 1] as any) : 'high';
  const judged = inventory.objects.filter((o) => ['CronJob', 'DaemonSet', 'Deployment'].includes(o.kind) && !excluded.has(o.namespace ?? ''));
  assert.ok(judged.some((o) => o.kind === 'CronJob'), 'the scan CronJob is judged');
  for (const object of judged) {
    const verdict = judgeObject(object.raw, object.namespace, { failOn });
    assert.ok(verdict.evaluated, object.name);
    if (verdict.evaluated) {
      assert.deepEqual(verdict.blocking.map((f) => `${f.check} ${f.location.path}`), [], `${object.kind} ${object.name} would be refused`);
      assert.deepEqual(verdict.problems, []);
    }
  }
});

test('the image: every path the Dockerfile copies exists, and the runtime imports no devDependency', () => {
  const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
  assert.ok(copied.length > 3);
  for (const source of copied) assert.ok(existsSync(path.join(REPO_ROOT, source)), `Dockerfile copies ${source}, which does not exist`);
  assert.match(dockerfile, /COPY --from=build \/src\/dist\/src \.\/dist\/src/);
  assert.match(dockerfile, /COPY --from=build \/src\/dist\/cli \.\/dist\/cli/);
  assert.match(dockerfile, /npm prune --omit=dev/);

  // The runtime stage has dist/src, the CLI's bundle of it and the production node_modules only.
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const allowed = new Set(Object.keys(pkg.dependencies));
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const imported = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) {
        const text = readFileSync(full, 'utf8');
        const specifiers = [...text.matchAll(/^(?:import|export)\s[^;'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
        for (const spec of specifiers) {
          if (spec.startsWith('.')) continue;
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          if (!builtins.has(spec) && !builtins.has(name)) imported.set(name, path.relative(REPO_ROOT, full));
        }
      }
    }
  };
  walk(path.join(REPO_ROOT, 'dist', 'src'));
  walk(path.join(REPO_ROOT, 'dist', 'cli'));
  assert.ok(imported.has('yaml') && imported.has('@kubernetes/client-node'), 'the scan found the real imports');
  for (const [name, file] of imported) assert.ok(allowed.has(name), `${file} imports ${name}, which is not a production dependency (npm prune --omit=dev removes it from the image)`);
});
