// Proof 1 of issue 12 against the real kube-apiserver: the demo cluster and the real-world corpus
// created through the API, then `scan --cluster`, `collect` + `scan SNAPSHOT`, real discovery,
// pagination seen in the server's own audit log, Secrets never read with their values, and the same
// findings as a scan of the same objects as manifests except what only a live cluster knows.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCluster } from '../../src/sources/cluster/source.js';
import { CLUSTER_RESOURCES, apiVersionOf } from '../../src/sources/cluster/resources.js';
import { scanClusterRead } from '../../src/engine/scan-cluster.js';
import { scanManifests } from '../../src/engine/scan.js';
import type { Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from './harness.js';
import { adminRequest, clusterObjectsOf, createAll, resourceOf, withNamespacesAndDefaultServiceAccounts, type KubeObject, type Refusal } from './load-objects.js';
import { auditEvents, serviceAccountKubeconfig } from './cluster-access.js';

const skip = controlPlaneUnavailable();
const PAGE = 7;
/** A value that must never leave the API server towards kubeharden. */
const PLANTED = `kh-planted-${randomBytes(12).toString('hex')}`;
const PLANTED_B64 = Buffer.from(PLANTED).toString('base64');

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
# Secrets with their bodies: a response that carried a value would show it here.
- level: RequestResponse
  resources: [{group: "", resources: [secrets]}]
- level: Metadata
`;

/** A finding as both scans can state it: where it was read from (file and line, or cluster://) left out. */
function key(f: Result['findings'][number]): string {
  const r = f.resource;
  return `${f.check} ${r?.kind ?? ''} ${r?.namespace ?? ''}/${r?.name ?? ''} ${f.location.path ?? ''} ${f.message}`;
}

describe('live scan of a real kube-apiserver loaded with the demo cluster and the corpus', { skip }, () => {
  let plane: ControlPlane;
  let work: string;
  let created: KubeObject[];
  let refused: Refusal[];
  let leftOut: Record<string, number>;
  let scannerKubeconfig: string;
  const scanner = 'system:serviceaccount:kube-system:kh-scanner';

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kh-live-'));
    writeFileSync(path.join(work, 'audit.yaml'), AUDIT_POLICY);
    plane = await startControlPlane({ auditPolicy: path.join(work, 'audit.yaml') });
    const loaded = await clusterObjectsOf([path.join(REPO_ROOT, 'examples/demo-cluster'), path.join(REPO_ROOT, 'test/fixtures/corpus/real')]);
    leftOut = loaded.leftOut;
    const planted: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kh-planted', namespace: 'default' }, type: 'Opaque', data: { token: PLANTED_B64 } };
    ({ created, refused } = await createAll(plane.env, withNamespacesAndDefaultServiceAccounts([...loaded.objects, planted])));
    // kubeharden scans as a ServiceAccount with a TokenRequest token, so its requests are told apart in the audit log.
    scannerKubeconfig = await serviceAccountKubeconfig(plane, 'kube-system', 'kh-scanner', 'cluster-admin', work);
  });
  after(async () => {
    await plane?.stop();
  });

  test('the server took the objects; what it refused is reported', (t) => {
    t.diagnostic(`created ${created.length}, refused ${refused.length}; kinds a cluster scan does not list, left out: ${JSON.stringify(leftOut)}`);
    for (const r of refused) t.diagnostic(`refused ${r.object}: ${r.status} ${r.message.slice(0, 200)}`);
    assert.ok(created.length > 1000, `only ${created.length} objects created`);
    assert.ok(created.some((o) => o.metadata.name === 'kh-planted'));
  });

  test('the API server refuses an object nested over 10,000 levels (deeper list items are a hostile server\'s, left out by the scan)', async () => {
    // A ConfigMap (no webhook of the corpus intercepts them) with an unknown field the server drops after decoding it.
    const configMap = (depth: number) =>
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-${depth}","namespace":"default"},"deep":` + '{"x":'.repeat(depth) + '1' + '}'.repeat(depth) + '}';
    // A dry run: the body is decoded and admitted, nothing is stored.
    const accepted = await adminRequest(plane.env, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', configMap(9_000));
    assert.equal(accepted.status, 201, accepted.body.slice(0, 300));
    const refused = await adminRequest(plane.env, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', configMap(10_100));
    assert.equal(refused.status, 400);
    assert.match(refused.body, /exceeded max depth/);
  });

  test('real discovery serves every resource the scan lists, as the scan names it', async () => {
    const groups = new Map<string, KubeObject>();
    for (const r of CLUSTER_RESOURCES) {
      const gv = apiVersionOf(r);
      if (!groups.has(gv)) {
        const answer = await adminRequest(plane.env, 'GET', r.group ? `/apis/${gv}` : `/api/${gv}`);
        assert.equal(answer.status, 200, gv);
        groups.set(gv, JSON.parse(answer.body) as KubeObject);
      }
      const served = (groups.get(gv)!.resources as KubeObject[]).find((x) => x.name === r.plural);
      assert.ok(served, `${gv} ${r.plural} is served`);
      assert.equal(served.kind, r.kind);
      assert.equal(served.namespaced, r.namespaced, `${r.plural} namespaced`);
      assert.ok((served.verbs as string[]).includes('list'), `${r.plural} can be listed`);
    }
  });

  test('lists are paginated with a small limit, as the server logs them', async () => {
    const read = await readCluster({ kubeconfig: scannerKubeconfig, pageSize: PAGE });
    const clusterRoles = read.inventory.ofKind('ClusterRole').length;
    assert.ok(clusterRoles > PAGE * 3, `${clusterRoles} ClusterRoles`);
    const lists = (await auditEvents(plane.env, (e) => e.user.username === scanner && e.verb === 'list' && e.objectRef?.resource === 'clusterroles'))
      .map((e) => new URL(e.requestURI, 'https://x').searchParams);
    assert.ok(lists.every((q) => q.get('limit') === String(PAGE)), 'every page asks for the limit');
    assert.equal(lists.filter((q) => !q.has('continue')).length, 1, 'one first page');
    assert.equal(lists.length, Math.ceil(clusterRoles / PAGE), 'one request per page');
  });

  test('Secrets: listed as metadata only; the planted value is in no output and no response the server sent kubeharden', async () => {
    const snapshot = path.join(work, 'snapshot.json');
    const collect = await runCli(['collect', '--cluster', '--kubeconfig', scannerKubeconfig, '-o', snapshot]);
    assert.equal(collect.code, 0, collect.stderr);
    const live = await runCli(['scan', '--cluster', '--kubeconfig', scannerKubeconfig, '-f', 'json', '--fail-on', 'none']);
    assert.equal(live.code, 0, live.stderr);
    const offline = await runCli(['scan', snapshot, '-f', 'json', '--fail-on', 'none']);
    assert.equal(offline.code, 0, offline.stderr);
    const outputs = [collect.stdout, collect.stderr, live.stdout, live.stderr, offline.stdout, offline.stderr, readFileSync(snapshot, 'utf8')];
    for (const text of outputs) {
      assert.ok(!text.includes(PLANTED) && !text.includes(PLANTED_B64), 'the planted value leaked into an output');
    }
    assert.ok(readFileSync(snapshot, 'utf8').includes('"kh-planted"'), 'the Secret itself is in the snapshot (by name)');

    // The control: the admin reading the Secret puts its value in the audit log, so the search below can find one.
    await plane.kubectlOk(['get', 'secret', 'kh-planted', '-n', 'default', '-o', 'name']);
    const secretEvents = await auditEvents(plane.env, (e) => e.objectRef?.resource === 'secrets' && e.stage === 'ResponseComplete');
    const admin = secretEvents.filter((e) => e.user.username === 'kubernetes-admin' && e.objectRef?.name === 'kh-planted' && e.verb === 'get');
    assert.ok(admin.some((e) => JSON.stringify(e.responseObject).includes(PLANTED_B64)), 'the audit log shows values when a response carries them');
    const ours = secretEvents.filter((e) => e.user.username === scanner);
    assert.ok(ours.length >= 3, `kubeharden's Secret requests are logged (${ours.length})`);
    for (const e of ours) {
      assert.equal(e.verb, 'list', e.requestURI);
      assert.ok(!JSON.stringify(e).includes(PLANTED_B64) && !JSON.stringify(e).includes(PLANTED), `the response to ${e.requestURI} carried the value`);
      assert.equal((e.responseObject as KubeObject | undefined)?.kind, 'PartialObjectMetadataList', e.requestURI);
    }

    // collect + scan SNAPSHOT gives the live scan's result.
    const strip = (r: Result) => ({ ...r, target: { ...r.target, readAt: undefined }, tool: undefined });
    const a = strip(JSON.parse(live.stdout) as Result);
    const b = strip(JSON.parse(offline.stdout) as Result);
    assert.deepEqual(b.findings.map(key).sort(), a.findings.map(key).sort());
    assert.deepEqual(b.checks, a.checks);
  });

  test('the same findings as a manifest scan of the same objects, except what only a live cluster knows', async (t) => {
    const read = await readCluster({ kubeconfig: scannerKubeconfig, pageSize: 50 });
    const live = scanClusterRead(read);
    // The manifests: what was created, in the order a live read adds objects, with the /version answer.
    const rank = (o: KubeObject) => CLUSTER_RESOURCES.indexOf(resourceOf(o)!);
    const sorted = [...created].sort((x, y) => rank(x) - rank(y) || String(x.metadata.namespace ?? '').localeCompare(y.metadata.namespace ?? '') || x.metadata.name.localeCompare(y.metadata.name));
    const [version] = read.inventory.ofKind('APIServerVersion');
    const file = path.join(work, 'same-objects.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [version!.raw, ...sorted] }));
    const manifests = await scanManifests([file]);
    const liveKeys = new Set(live.findings.map(key));
    const fileKeys = new Set(manifests.findings.map(key));
    const onlyLive = live.findings.filter((f) => !fileKeys.has(key(f)));
    const onlyFile = manifests.findings.filter((f) => !liveKeys.has(key(f)));
    t.diagnostic(`findings: live ${live.findings.length}, manifests ${manifests.findings.length}, the same ${live.findings.length - onlyLive.length}; only live ${onlyLive.length}, only manifests ${onlyFile.length}`);

    // Every difference must be one of these, each something only the live cluster knows.
    const createdKeys = new Set(created.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`));
    const res = (f: Result['findings'][number]) => `${f.resource?.kind} ${f.resource?.namespace ?? ''}/${f.resource?.name}`;
    const SAME_VERDICT_OTHER_WORDS: Record<string, string> = {
      // Admission (the ServiceAccount plugin) writes serviceAccountName: default into a Pod that names
      // none: the same finding, now saying the pod sets it.
      'pod-uses-dedicated-service-account': 'the ServiceAccount admission plugin set spec.serviceAccountName: default',
      // The API server labels every Namespace with kubernetes.io/metadata.name: the same finding, its
      // path now inside the labels.
      'namespace-enforces-pod-security': 'the API server labelled the Namespace kubernetes.io/metadata.name',
      // The API server defaults spec.replicas to 1: the same finding, saying it runs 1 replica.
      'workload-replicas-more-than-one': 'the API server set spec.replicas: 1',
      // The API server allocates a nodePort to every port of a NodePort Service that names none: the
      // same finding, now naming the ports it opened.
      'service-no-node-port': 'the API server allocated the nodePorts',
    };
    const explained = new Map<string, number>();
    const note = (why: string) => explained.set(why, (explained.get(why) ?? 0) + 1);
    const unexplained: string[] = [];
    const fileLeft = [...onlyFile];
    const serverMade = new Set<string>();
    for (const f of onlyLive) {
      if (!createdKeys.has(res(f))) {
        // Objects the API server makes at start (default namespaces, bootstrap roles and bindings) and
        // the test's own scanner binding: a manifest scan has no such object.
        serverMade.add(res(f));
        note(`${f.check} on an object the server or the test made`);
        continue;
      }
      const pair = fileLeft.findIndex((g) => g.check === f.check && res(g) === res(f));
      if (pair >= 0 && SAME_VERDICT_OTHER_WORDS[f.check]) {
        fileLeft.splice(pair, 1);
        note(`${f.check}: ${SAME_VERDICT_OTHER_WORDS[f.check]}`);
        continue;
      }
      unexplained.push(`only live: ${key(f)}`);
    }
    for (const g of fileLeft) {
      // Without the Namespace object (the server made default and kube-system), a manifest scan puts a
      // namespace-level finding on the namespace's first workload; live it is on the Namespace.
      const onNamespace = live.findings.some((f) => f.check === g.check && f.message === g.message && f.resource?.kind === 'Namespace' && f.resource.name === g.resource?.namespace && serverMade.has(res(f)));
      if (onNamespace) {
        note(`${g.check}: on the server-made Namespace instead of its first workload`);
        continue;
      }
      // The API server fills serviceAccountName from the deprecated serviceAccount field (pod defaulting),
      // so the live object no longer relies on the deprecated field alone.
      if (g.check === 'pod-no-deprecated-service-account-field') {
        note(`${g.check}: the API server filled serviceAccountName from serviceAccount`);
        continue;
      }
      unexplained.push(`only in manifests: ${key(g)}`);
    }
    for (const [why, n] of [...explained].sort()) t.diagnostic(`${n} × ${why}`);
    t.diagnostic(`objects made by the server or the test with findings: ${[...serverMade].sort().join(', ')}`);
    assert.deepEqual(unexplained, []);
    assert.ok(live.findings.length - onlyLive.length > 5000, 'most findings are the same');
  });
});
