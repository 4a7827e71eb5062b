// Real RBAC from Argo CD, kube-prometheus, ingress-nginx, metrics-server and the Kubernetes
// dashboard (test/fixtures/rbac/corpus, sources in SOURCES.md there). Each expected answer was
// worked out by hand from the roles in those files before it was pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { RbacEngine } from '../../../src/analysis/rbac/engine.js';
import { EscalationGraph } from '../../../src/analysis/rbac/escalation.js';
import { whoCan } from '../../../src/analysis/rbac/queries.js';
import { buildRequest } from '../../../src/analysis/rbac/request.js';
import { loadManifests } from '../../../src/sources/manifests.js';
import { REPO_ROOT } from '../../helpers.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'rbac', 'corpus');

async function open(file: string, defaultNamespace?: string) {
  const { inventory } = await loadManifests([path.join(DIR, file)]);
  assert.deepEqual(inventory.problems.filter((p) => p.level === 'error'), []);
  const engine = RbacEngine.fromInventory(inventory, { defaultNamespace });
  return { inventory, engine, graph: new EscalationGraph(engine, inventory) };
}

const names = (answer: ReturnType<typeof whoCan>) => answer.subjects.map((s) => `${s.kind}:${s.namespace ? s.namespace + '/' : ''}${s.name}`).sort();

test('Argo CD: who can get Secrets in argocd (installed with kubectl apply -n argocd)', async () => {
  const { engine } = await open('argoproj__argo-cd__manifests-install.rbac.yaml', 'argocd');
  const answer = whoCan(engine, buildRequest({ verb: 'get', resource: 'secrets', namespace: 'argocd' }));
  assert.deepEqual(names(answer), [
    'Group:system:masters',
    'ServiceAccount:argocd/argocd-application-controller',
    'ServiceAccount:argocd/argocd-applicationset-controller',
    'ServiceAccount:argocd/argocd-dex-server',
    'ServiceAccount:argocd/argocd-server',
    // Default controller roles: get on */* (garbage collector, namespace controller).
    'ServiceAccount:kube-system/generic-garbage-collector',
    'ServiceAccount:kube-system/namespace-controller',
    'User:system:kube-controller-manager',
  ]);
  // argocd-notifications-controller may get only the Secret argocd-notifications-secret (resourceNames).
  const named = whoCan(engine, buildRequest({ verb: 'get', resource: 'secrets', namespace: 'argocd', name: 'argocd-notifications-secret' }));
  assert.ok(names(named).includes('ServiceAccount:argocd/argocd-notifications-controller'));
  const server = answer.subjects.find((s) => s.name === 'argocd-server');
  assert.deepEqual(server?.via.map((v) => v.description), [
    'ClusterRoleBinding argocd-server → ClusterRole argocd-server rules[0]',
    'RoleBinding argocd/argocd-server → Role argocd/argocd-server rules[0]',
  ]);
});

test('Argo CD: paths to cluster-admin, and which workloads carry them', async () => {
  const { inventory, graph } = await open('argoproj__argo-cd__manifests-install.rbac.yaml', 'argocd');
  const got = graph.paths().filter((p) => !p.builtIn).map((p) => `${p.subject.name}: ${p.steps.map((s) => `${s.vector}→${s.grants}`).join(' ')}`);
  assert.deepEqual(got.sort(), [
    // ClusterRole argocd-application-controller rules[0] is */*/*.
    'argocd-application-controller: E25→cluster-admin',
    // rules[4] lists Secrets cluster-wide, kube-system included.
    'argocd-applicationset-controller: E8→cluster-admin',
    // Reads Secrets of argocd, where the application controller's token can be.
    'argocd-dex-server: E8→ServiceAccount argocd/argocd-application-controller E25→cluster-admin',
    'argocd-notifications-controller: E8→ServiceAccount argocd/argocd-application-controller E25→cluster-admin',
    // ClusterRole argocd-server rules[0]: get on */* includes nodes/proxy.
    'argocd-server: E15→cluster-admin',
  ]);
  const workloads = graph.workloads(inventory);
  const repo = workloads.find((w) => w.workload === 'Deployment argocd/argocd-repo-server');
  assert.equal(repo?.tokenMounted, false, 'argocd-repo-server sets automountServiceAccountToken: false');
  const redis = workloads.find((w) => w.workload === 'Deployment argocd/argocd-redis');
  // argocd-redis may create Secrets and get only the Secret argocd-redis: no identity to take over.
  assert.deepEqual([redis?.clusterAdmin, redis?.becomes], [undefined, []]);
  const dex = workloads.find((w) => w.workload === 'Deployment argocd/argocd-dex-server');
  assert.ok(dex?.becomes.includes('ServiceAccount argocd/argocd-application-controller'), JSON.stringify(dex?.becomes));
  assert.equal(workloads.find((w) => w.workload === 'StatefulSet argocd/argocd-application-controller')?.clusterAdmin?.[0]?.vector, 'E25');
});

test('kube-prometheus: kube-state-metrics lists Secrets everywhere; prometheus-operator writes StatefulSets everywhere', async () => {
  const { graph, engine } = await open('prometheus-operator__kube-prometheus__manifests.rbac.yaml');
  const got = graph.paths().filter((p) => !p.builtIn).map((p) => `${p.subject.namespace}/${p.subject.name}: ${p.steps.map((s) => s.vector).join(' ')} ${p.steps[0]!.via}`);
  assert.deepEqual(got.sort(), [
    'monitoring/kube-state-metrics: E8 ClusterRoleBinding kube-state-metrics → ClusterRole kube-state-metrics rules[0]',
    'monitoring/prometheus-operator: E2 ClusterRoleBinding prometheus-operator → ClusterRole prometheus-operator rules[1]',
  ]);
  const metrics = whoCan(engine, buildRequest({ verb: 'get', resource: '/metrics' }));
  assert.ok(names(metrics).includes('ServiceAccount:monitoring/prometheus-k8s'));
  assert.ok(!names(metrics).includes('ServiceAccount:monitoring/prometheus-operator'));
});

test('ingress-nginx: the controller lists Secrets cluster-wide; the admission job reaches it through its Role', async () => {
  const { graph } = await open('kubernetes__ingress-nginx__deploy-static-provider-cloud-deploy.yaml');
  const got = graph.paths().filter((p) => !p.builtIn).map((p) => `${p.subject.name}: ${p.steps.map((s) => `${s.vector}→${s.grants}`).join(' ')}`);
  assert.deepEqual(got.sort(), [
    'ingress-nginx-admission: E8→ServiceAccount ingress-nginx/ingress-nginx E8→cluster-admin',
    'ingress-nginx: E8→cluster-admin',
  ]);
});

test('metrics-server and the dashboard: no path to cluster-admin; dashboard Secrets only by name', async () => {
  const ms = await open('kubernetes-sigs__metrics-server__manifests-base.yaml');
  assert.deepEqual(ms.graph.paths().filter((p) => !p.builtIn), []);
  // metrics-server binds the default Role kube-system/extension-apiserver-authentication-reader.
  assert.deepEqual(ms.engine.danglingBindings(), []);
  const dash = await open('kubernetes__dashboard__aio-deploy-recommended.yaml');
  assert.deepEqual(dash.graph.paths().filter((p) => !p.builtIn), []);
  const list = whoCan(dash.engine, buildRequest({ verb: 'list', resource: 'secrets', namespace: 'kubernetes-dashboard' }));
  assert.ok(!names(list).some((n) => n.includes('kubernetes-dashboard/')));
  const get = whoCan(dash.engine, buildRequest({ verb: 'get', resource: 'secrets', namespace: 'kubernetes-dashboard', name: 'kubernetes-dashboard-csrf' }));
  assert.ok(names(get).includes('ServiceAccount:kubernetes-dashboard/kubernetes-dashboard'));
});
