// Proof 3 of issue 12: kubeharden's ValidatingWebhookConfiguration (deploy/kubeharden-webhook.yaml,
// with a url clientConfig and caBundle instead of the in-cluster Service) registered with a real
// kube-apiserver. Pods and workloads created through the API are refused (deny) or admitted with
// warnings (warn) exactly as a scan of the same object says; with the webhook down or hanging, the
// server applies failurePolicy and timeoutSeconds.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../../src/sources/manifests.js';
import { scanManifests } from '../../src/engine/scan.js';
import { isPodBearing } from '../../src/inventory/pod-specs.js';
import type { InventoryObject } from '../../src/inventory/model.js';
import { blockingFindings } from '../../src/webhook/judge.js';
import { SINGLE_OBJECT_CHECKS } from '../../src/webhook/single-object-checks.js';
import { startWebhook, type RunningWebhook } from '../../src/webhook/server.js';
import { clip, findingLine, MAX_WARNING_CHARS } from '../../src/webhook/review.js';
import { listPath } from '../../src/sources/cluster/resources.js';
import { makePki, type Pki } from '../sources/etcd/harness.js';
import { REPO_ROOT } from '../helpers.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from './harness.js';
import { adminRequest, resourceOf, type KubeObject } from './load-objects.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const skip = controlPlaneUnavailable();
const SINGLE = new Set(SINGLE_OBJECT_CHECKS.map((c) => c.id));
const FAIL_ON = 'high';

/** deploy/'s ValidatingWebhookConfiguration, pointed at URL with our CA. */
function webhookConfiguration(url: string, ca: Buffer, overrides: { failurePolicy?: string; timeoutSeconds?: number } = {}): KubeObject {
  const docs = parseAllDocuments(readFileSync(path.join(REPO_ROOT, 'deploy/kubeharden-webhook.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
  const vwc = structuredClone(docs.find((d) => d?.kind === 'ValidatingWebhookConfiguration')!);
  delete vwc.metadata.annotations;
  for (const w of vwc.webhooks as KubeObject[]) {
    w.clientConfig = { url: `${url}/validate`, caBundle: ca.toString('base64') };
    Object.assign(w, overrides);
  }
  return vwc;
}

interface Answer {
  status: number;
  message: string;
  warnings: string[];
}

/** POST as admin, dry run or not; the API server's Warning headers parsed one by one. */
function create(plane: ControlPlane, obj: KubeObject, dryRun: boolean): Promise<Answer> {
  const resource = resourceOf(obj)!;
  const url = new URL(listPath(resource, obj.metadata.namespace) + (dryRun ? '?dryRun=All' : ''), plane.env.server);
  const pki = (f: string) => readFileSync(path.join(plane.env.pki, f));
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ca: pki('ca.crt'), cert: pki('admin.crt'), key: pki('admin.key'), headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        const warnings: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== 'warning') continue;
          // RFC 7234 warning-value: 299 - "text" (quotes and backslashes escaped). The API server
          // sends the text's UTF-8 bytes as they are (as kubectl reads them); Node hands header
          // values over as latin1.
          const value = Buffer.from(res.rawHeaders[i + 1]!, 'latin1').toString('utf8');
          const m = /^299 - "(.*)"$/s.exec(value);
          if (m) warnings.push(m[1]!.replace(/\\(.)/g, '$1'));
        }
        let message = '';
        try {
          message = String((JSON.parse(body) as { message?: string }).message ?? '');
        } catch {
          message = body;
        }
        resolve({ status: res.statusCode ?? 0, message, warnings });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(obj));
  });
}

describe('the webhook registered with a real kube-apiserver', { skip }, () => {
  let plane: ControlPlane;
  let pki: Pki;
  let work: string;
  let deny: RunningWebhook;
  let warn: RunningWebhook;
  let objects: InventoryObject[];
  /** Per object: the lines a scan of that object alone reports at or above FAIL_ON. */
  const expected = new Map<InventoryObject, string[]>();
  /** The webhooks' one line per decision (operation, kind/subresource, namespace/name, allowed). */
  const decisions: string[] = [];

  const signature = (a: Answer) => `${a.status} ${a.warnings.length > 0}`;
  /**
   * Registers the webhook configuration and waits until the API server uses it: its admission
   * plugin reads configurations through an informer, so the first requests after a change may
   * still see the old one. Readiness is a changed answer to a dry-run create of PROBE (each
   * configuration of these tests answers it differently from the one before); returns that answer.
   */
  const register = async (port: number, overrides: { failurePolicy?: string; timeoutSeconds?: number } = {}, probe?: KubeObject): Promise<Answer | undefined> => {
    const before = probe ? signature(await create(plane, probe, true)) : undefined;
    await plane.kubectlOk(['apply', '-f', '-'], JSON.stringify(webhookConfiguration(`https://127.0.0.1:${port}`, pki.ca, overrides)));
    if (!probe) return undefined;
    let answer = await create(plane, probe, true);
    for (let i = 0; i < 50 && signature(answer) === before; i++) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await create(plane, probe, true);
    }
    return answer;
  };

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kh-webhook-real-'));
    pki = makePki();
    plane = await startControlPlane();
    const options = { cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey), host: '127.0.0.1', port: 0, failOn: FAIL_ON, log: (line: string) => void decisions.push(line) } as const;
    deny = await startWebhook({ ...options, mode: 'deny' });
    warn = await startWebhook({ ...options, mode: 'warn' });
    const { inventory } = await loadManifests([path.join(REPO_ROOT, 'examples/demo-cluster')]);
    objects = inventory.objects.filter((o) => isPodBearing(o) && resourceOf(o.raw as KubeObject));
    const namespaces = new Set(objects.map((o) => o.namespace ?? 'default'));
    for (const ns of namespaces) {
      // Plain namespaces (no Pod Security labels, so PodSecurity admission decides nothing here), each
      // with the "default" ServiceAccount the controller manager would make.
      if (ns !== 'default') await plane.kubectlOk(['create', 'namespace', ns]);
      await plane.kubectlOk(['create', 'serviceaccount', 'default', '-n', ns]);
    }
    for (const o of objects) {
      const file = path.join(work, `${o.kind}-${o.name}.json`);
      writeFileSync(file, JSON.stringify(o.raw));
      const result = await scanManifests([file]);
      expected.set(o, blockingFindings(result.findings.filter((f) => SINGLE.has(f.check)), FAIL_ON).map(findingLine));
    }
  });
  after(async () => {
    await deny?.close();
    await warn?.close();
    await plane?.stop();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  /** The first demo object a scan refuses: every configuration below answers it differently from the one before. */
  const probeObject = () => withNamespace(objects.find((o) => expected.get(o)!.length > 0)!);
  const withNamespace = (o: InventoryObject) => ({ ...(o.raw as KubeObject), metadata: { ...(o.raw as KubeObject).metadata, namespace: o.namespace ?? 'default' } });

  test('deny mode: created objects are refused exactly when a scan of them has findings at or above high', async (t) => {
    await register(deny.port, {}, probeObject());
    let refused = 0;
    for (const o of objects) {
      const lines = expected.get(o)!;
      const answer = await create(plane, withNamespace(o), false);
      const what = `${o.kind} ${o.namespace}/${o.name}`;
      if (lines.length === 0) {
        assert.equal(answer.status, 201, `${what} admitted: ${answer.message}`);
        // Removed again, so the warn-mode test can create it (dry run) once more.
        const removed = await adminRequest(plane.env, 'DELETE', `${listPath(resourceOf(o.raw as KubeObject)!, o.namespace ?? 'default')}/${o.name}`);
        assert.equal(removed.status, 200, removed.body);
        continue;
      }
      refused++;
      assert.equal(answer.status, 403, `${what} refused`);
      assert.match(answer.message, /^admission webhook "validate\.kubeharden\.io" denied the request: kubeharden denied /);
      const got = answer.message.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
      assert.deepEqual(got.sort(), lines.map((l) => clip(l, 400)).sort(), what);
      const stored = await adminRequest(plane.env, 'GET', `${listPath(resourceOf(o.raw as KubeObject)!, o.namespace ?? 'default')}/${o.name}`);
      assert.equal(stored.status, 404, `${what} was not stored`);
    }
    t.diagnostic(`${objects.length} pod-bearing objects of the demo cluster, ${refused} refused`);
    assert.ok(refused > 0 && refused < objects.length, 'some refused, some admitted');
  });

  test('warn mode: every object is admitted, with one warning per finding of the scan', async (t) => {
    await register(warn.port, {}, probeObject());
    for (const o of objects) {
      const answer = await create(plane, withNamespace(o), true);
      const what = `${o.kind} ${o.namespace}/${o.name}`;
      assert.equal(answer.status, 201, `${what}: ${answer.message}`);
      // The API server adds warnings of its own (a deprecated AppArmor annotation…): kubeharden's
      // begin with the id of a check.
      const ours = answer.warnings.filter((w) => SINGLE.has(w.split(' ')[0]!));
      for (const w of answer.warnings.filter((x) => !ours.includes(x))) t.diagnostic(`${what}: the API server's own warning: ${w}`);
      assert.deepEqual(ours.sort(), expected.get(o)!.map((l) => clip(l, MAX_WARNING_CHARS)).sort(), what);
    }
  });

  test('the corpus, deny mode (dry run): every pod-bearing object the server validates is refused exactly as its scan says', async (t) => {
    const { inventory } = await loadManifests([path.join(REPO_ROOT, 'test/fixtures/corpus/real')]);
    const corpus = inventory.objects.filter((o) => isPodBearing(o) && resourceOf(o.raw as KubeObject) && typeof (o.raw as KubeObject).metadata?.name === 'string');
    // What the controller manager would have made, and the ServiceAccounts the pods name (the
    // ServiceAccount admission plugin refuses a Pod whose ServiceAccount does not exist).
    const namespaces = new Set(corpus.map((o) => o.namespace ?? 'default'));
    for (const ns of namespaces) await adminRequest(plane.env, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const o of corpus) {
      const spec = (o.raw as KubeObject).spec ?? {};
      for (const sa of new Set(['default', o.kind === 'Pod' ? spec.serviceAccountName : undefined].filter(Boolean))) {
        await adminRequest(plane.env, 'POST', `/api/v1/namespaces/${o.namespace ?? 'default'}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
      }
    }
    await register(deny.port, {}, probeObject());
    const selector = (webhookConfiguration('https://x', pki.ca).webhooks as KubeObject[])[0]!.namespaceSelector.matchExpressions as KubeObject[];
    const exempt = new Set<string>(selector.find((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'NotIn')!.values);
    let skipped = 0;
    let compared = 0;
    let refused = 0;
    let findings = 0;
    const notReached: string[] = [];
    for (const o of corpus) {
      const what = `${o.kind} ${o.namespace ?? 'default'}/${o.name} (${path.basename(o.source.file)})`;
      const answer = await create(plane, withNamespace(o), true);
      const ourDenial = answer.status === 403 && answer.message.startsWith('admission webhook "validate.kubeharden.io" denied');
      if (answer.status !== 201 && !ourDenial) {
        // Refused before the validating webhooks run (schema validation, placeholders in names…).
        notReached.push(`${what}: ${answer.status} ${answer.message.slice(0, 160)}`);
        continue;
      }
      if (exempt.has(o.namespace ?? 'default')) {
        // The configuration's namespaceSelector leaves these namespaces out: the server does not call the webhook.
        assert.equal(answer.status, 201, what);
        skipped++;
        continue;
      }
      const file = path.join(work, 'alone.json');
      writeFileSync(file, JSON.stringify(o.raw));
      const lines = blockingFindings((await scanManifests([file])).findings.filter((f) => SINGLE.has(f.check)), FAIL_ON).map(findingLine).map((l) => clip(l, 400));
      compared++;
      findings += lines.length;
      assert.equal(ourDenial, lines.length > 0, `${what}: ${answer.status} ${answer.message.slice(0, 300)}`);
      if (!ourDenial) continue;
      refused++;
      const got = answer.message.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
      const more = /\n… and (\d+) more$/.exec(answer.message);
      // A long denial lists what fits in 4 KiB and says how many more there are.
      assert.equal(got.length + (more ? Number(more[1]) : 0), lines.length, what);
      for (const line of got) assert.ok(lines.includes(line), `${what}: ${line}`);
    }
    t.diagnostic(`${corpus.length} pod-bearing objects of the corpus: ${compared} judged by the server's call to the webhook (${refused} refused, ${findings} findings), ${notReached.length} refused before it, ${skipped} in namespaces the configuration leaves out`);
    for (const n of notReached) t.diagnostic(`not reached: ${n}`);
    assert.ok(compared > 500, `${compared} compared`);
  });

  test('pods/ephemeralcontainers: kubectl debug and raw writes to the subresource are judged as a scan of the resulting Pod; pods/resize reaches the webhook', async (t) => {
    const ns = 'kh-debug';
    await plane.kubectlOk(['create', 'namespace', ns]);
    await plane.kubectlOk(['create', 'serviceaccount', 'default', '-n', ns]);
    await register(deny.port, {}, probeObject());
    const digest = 'registry.example/debug@sha256:' + 'b'.repeat(64);
    const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
    const compliant: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'app', image: 'registry.example/web@sha256:' + 'a'.repeat(64), securityContext: restricted, resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }],
      },
    };
    /** What a scan of this Pod says at or above FAIL_ON (the single-object checks, as the webhook runs them). */
    const scanLines = async (pod: KubeObject) => {
      const file = path.join(work, 'ephemeral.json');
      writeFileSync(file, JSON.stringify(pod));
      return blockingFindings((await scanManifests([file])).findings.filter((f) => SINGLE.has(f.check)), FAIL_ON).map(findingLine).map((l) => clip(l, 400));
    };
    const podPath = `/api/v1/namespaces/${ns}/pods/web`;
    const getPod = async () => JSON.parse((await adminRequest(plane.env, 'GET', podPath)).body) as KubeObject;
    const denialLines = (message: string) => message.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2)).sort();

    assert.deepEqual(await scanLines(compliant), [], 'the compliant Pod has no finding at or above high');
    const created = await create(plane, compliant, false);
    assert.equal(created.status, 201, created.message);
    const privilegedPod = { ...compliant, metadata: { name: 'web-privileged', namespace: ns }, spec: { ...compliant.spec, containers: [{ ...compliant.spec.containers[0], securityContext: { privileged: true } }] } };
    const refusedPod = await create(plane, privilegedPod, false);
    assert.equal(refusedPod.status, 403);
    assert.deepEqual(denialLines(refusedPod.message), (await scanLines(privilegedPod)).sort());

    // A raw write of the subresource, as `kubectl debug` ends up doing: the whole Pod is sent, with the new ephemeral container.
    const withEphemeral = async (container: KubeObject) => {
      const pod = await getPod();
      pod.spec.ephemeralContainers = [...(pod.spec.ephemeralContainers ?? []), container];
      return pod;
    };
    const privilegedDebug = await withEphemeral({ name: 'debugger', image: 'busybox', securityContext: { privileged: true } });
    const expectedRefusal = (await scanLines(privilegedDebug)).sort();
    assert.ok(expectedRefusal.some((l) => l.includes('debugger')), `a scan names the privileged ephemeral container: ${expectedRefusal.join(' | ')}`);
    const putRefused = await adminRequest(plane.env, 'PUT', `${podPath}/ephemeralcontainers`, privilegedDebug);
    assert.equal(putRefused.status, 403, putRefused.body);
    const putMessage = String(JSON.parse(putRefused.body).message);
    assert.match(putMessage, /^admission webhook "validate\.kubeharden\.io" denied the request: kubeharden denied Pod kh-debug\/web: /);
    assert.deepEqual(denialLines(putMessage), expectedRefusal);
    assert.equal((await getPod()).spec.ephemeralContainers, undefined, 'the refused ephemeral container was not added');

    const safeDebug = await withEphemeral({ name: 'safe-debugger', image: digest, securityContext: restricted });
    assert.deepEqual(await scanLines(safeDebug), []);
    const putAdmitted = await adminRequest(plane.env, 'PUT', `${podPath}/ephemeralcontainers`, safeDebug);
    assert.equal(putAdmitted.status, 200, putAdmitted.body);
    assert.deepEqual((await getPod()).spec.ephemeralContainers.map((c: KubeObject) => c.name), ['safe-debugger']);

    // The real kubectl debug: the sysadmin profile asks for a privileged container and is refused;
    // the restricted profile's container is judged like any other and admitted.
    const sysadmin = await plane.kubectl(['debug', '-n', ns, 'web', `--image=${digest}`, '--profile=sysadmin', '-c', 'sysadmin-debugger']);
    assert.notEqual(sysadmin.status, 0, sysadmin.stdout);
    assert.match(sysadmin.stderr, /admission webhook "validate\.kubeharden\.io" denied the request: kubeharden denied Pod kh-debug\/web: /);
    assert.match(sysadmin.stderr, /sysadmin-debugger/);
    const restrictedRun = await plane.kubectl(['debug', '-n', ns, 'web', `--image=${digest}`, '--profile=restricted', '-c', 'restricted-debugger']);
    const afterRestricted = await getPod();
    const restrictedLines = await scanLines(afterRestricted);
    t.diagnostic(`kubectl debug --profile=restricted: exit ${restrictedRun.status}; a scan of the Pod it leaves: ${restrictedLines.length} finding(s) at or above ${FAIL_ON}`);
    assert.equal(restrictedRun.status, 0, restrictedRun.stderr);
    assert.deepEqual(restrictedLines, [], 'what the webhook admitted, a scan passes');
    assert.deepEqual(afterRestricted.spec.ephemeralContainers.map((c: KubeObject) => c.name), ['safe-debugger', 'restricted-debugger']);

    // pods/resize (in-place resize) sends the Pod to the webhook too; resources alone change nothing it judges at high.
    const resize = await adminRequest(plane.env, 'PATCH', `${podPath}/resize`, { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' }, limits: { cpu: '500m', memory: '128Mi' } } }] } }, { 'content-type': 'application/strategic-merge-patch+json' });
    assert.equal(resize.status, 200, resize.body);

    const seen = decisions.filter((d) => d.includes(`${ns}/web `));
    for (const d of seen) t.diagnostic(d);
    assert.ok(seen.some((d) => /UPDATE Pod\/ephemeralcontainers kh-debug\/web allowed=false/.test(d)), 'the webhook judged the refused subresource writes');
    assert.ok(seen.some((d) => /UPDATE Pod\/ephemeralcontainers kh-debug\/web allowed=true/.test(d)), 'and the admitted ones');
    assert.ok(seen.some((d) => /UPDATE Pod\/resize kh-debug\/web allowed=true/.test(d)), 'pods/resize reached the webhook');

    // With the webhook down and failurePolicy Fail, kubectl debug is refused, not let through unjudged.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const down = (await register(closed, { failurePolicy: 'Fail' }, probeObject()))!;
    assert.equal(down.status, 500);
    const whileDown = await plane.kubectl(['debug', '-n', ns, 'web', `--image=${digest}`, '--profile=restricted', '-c', 'while-down']);
    assert.notEqual(whileDown.status, 0);
    assert.match(whileDown.stderr, /failed calling webhook "validate\.kubeharden\.io".*connection refused/s);
    assert.ok(!(await getPod()).spec.ephemeralContainers.some((c: KubeObject) => c.name === 'while-down'));
  });

  test('the webhook down: failurePolicy Fail refuses, Ignore admits; a hanging webhook hits timeoutSeconds', async () => {
    const bad = objects.find((o) => expected.get(o)!.length > 0)!;
    // A port with nothing listening.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const probe = withNamespace(bad);
    const refused = (await register(closed, { failurePolicy: 'Fail' }, probe))!;
    assert.equal(refused.status, 500);
    assert.match(refused.message, /failed calling webhook "validate\.kubeharden\.io".*connection refused/s);
    const admitted = (await register(closed, { failurePolicy: 'Ignore' }, probe))!;
    assert.equal(admitted.status, 201, admitted.message);

    // A webhook that accepts the connection and never answers (a fault the real webhook does not
    // produce; a plain TLS server stands in for it).
    const hanging = https.createServer({ cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey) }, () => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hanging.address() as net.AddressInfo).port;
      const timedOut = (await register(port, { failurePolicy: 'Fail', timeoutSeconds: 1 }, probe))!;
      assert.equal(timedOut.status, 500);
      assert.match(timedOut.message, /failed calling webhook "validate\.kubeharden\.io".*(deadline exceeded|timeout|Timeout)/s);
      const ignored = (await register(port, { failurePolicy: 'Ignore', timeoutSeconds: 1 }, probe))!;
      assert.equal(ignored.status, 201, ignored.message);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});
