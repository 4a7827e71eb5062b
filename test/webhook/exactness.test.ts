// The webhook's verdict equals the scan's: for every pod-bearing object of the demo cluster and
// the real-world corpus, a scan of a file holding only that object and the webhook's judgement
// of the same object report the same findings of the single-object checks (check, field path,
// message), and the same "could not evaluate" errors. The demo cluster also goes through the
// real HTTPS server, comparing its denial message line by line.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifests } from '../../src/sources/manifests.js';
import { scanManifests } from '../../src/engine/scan.js';
import { isPodBearing } from '../../src/inventory/pod-specs.js';
import type { Finding } from '../../src/result/result.js';
import type { InventoryObject } from '../../src/inventory/model.js';
import { judgeObject, blockingFindings, type JudgeOptions } from '../../src/webhook/judge.js';
import { SINGLE_OBJECT_CHECKS } from '../../src/webhook/single-object-checks.js';
import { startWebhook } from '../../src/webhook/server.js';
import { clip, findingLine } from '../../src/webhook/review.js';
import { makePki } from '../sources/etcd/harness.js';
import { REPO_ROOT } from '../helpers.js';
import { review, send } from './client.js';

const DEMO = path.join(REPO_ROOT, 'examples', 'demo-cluster');
const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
const SINGLE = new Set(SINGLE_OBJECT_CHECKS.map((c) => c.id));
const work = mkdtempSync(path.join(tmpdir(), 'kh-webhook-exact-'));
after(() => rmSync(work, { recursive: true, force: true }));

const key = (f: Finding) => `${f.check}\t${f.location.path}\t${f.severity}\t${f.message}`;

async function podBearingObjects(dir: string): Promise<InventoryObject[]> {
  const { inventory } = await loadManifests([dir]);
  return inventory.objects.filter((o) => isPodBearing(o));
}

let fileCount = 0;
/** What `kubeharden scan FILE` reports for a file holding only this object, at this threshold. */
async function scanAlone(object: InventoryObject, options: JudgeOptions): Promise<{ findings: string[]; errors: string[] }> {
  const result = await scanManifests([writeAlone(object)], options);
  const single = result.findings.filter((f) => SINGLE.has(f.check));
  return {
    findings: blockingFindings(single, options.failOn).map(key).sort(),
    errors: result.errors.filter((e) => e.level === 'error').map((e) => e.message).sort(),
  };
}

async function compare(objects: InventoryObject[], options: JudgeOptions): Promise<{ objects: number; findings: number }> {
  let findings = 0;
  for (const object of objects) {
    const scanned = await scanAlone(object, options);
    const judged = judgeObject(object.raw, undefined, options);
    assert.ok(judged.evaluated, `${object.kind} ${object.name} is pod-bearing`);
    const what = `${object.kind} ${object.namespace ?? ''}/${object.name} of ${object.source.file}`;
    assert.deepEqual(judged.blocking.map(key).sort(), scanned.findings, what);
    assert.deepEqual([...judged.problems].sort(), scanned.errors, what);
    findings += scanned.findings.length;
  }
  return { objects: objects.length, findings };
}

test('the demo cluster: same findings as a scan of each object alone, at every threshold and level', async (t) => {
  const objects = await podBearingObjects(DEMO);
  assert.ok(objects.length >= 5, `${objects.length} pod-bearing objects`);
  const all = await compare(objects, { failOn: 'info' });
  assert.ok(all.findings > 20, `${all.findings} findings compared`);
  t.diagnostic(`${all.objects} objects, ${all.findings} findings compared`);
  await compare(objects, { failOn: 'high' });
  await compare(objects, { failOn: 'info', settings: { pssLevel: 'baseline' } });
});

test('the real-world corpus: same findings as a scan of each object alone', async (t) => {
  const objects = readdirSync(CORPUS).length ? await podBearingObjects(CORPUS) : [];
  assert.ok(objects.length > 100, `${objects.length} pod-bearing objects`);
  const { findings } = await compare(objects, { failOn: 'info' });
  assert.ok(findings > 1000, `${findings} findings compared`);
  t.diagnostic(`${objects.length} objects, ${findings} findings compared`);
});

test("the demo cluster through the HTTPS server: the denial lists exactly the scan's findings", async () => {
  const pki = makePki();
  const server = await startWebhook({ cert: readFileSync(pki.files.serverCert), key: readFileSync(pki.files.serverKey), port: 0, host: '127.0.0.1', mode: 'deny', failOn: 'medium', log: () => undefined });
  try {
    let denied = 0;
    for (const object of await podBearingObjects(DEMO)) {
      const scanned = await scanManifests([writeAlone(object)], { failOn: 'medium' });
      const expected = blockingFindings(scanned.findings.filter((f) => SINGLE.has(f.check)), 'medium').map((f) => clip(findingLine(f), 400));
      const reply = await send(server.port, pki.ca, { body: JSON.stringify(review(object.raw as any)) });
      assert.equal(reply.status, 200);
      const response = reply.body.response;
      assert.equal(response.allowed, expected.length === 0, `${object.kind} ${object.name}`);
      if (response.allowed) continue;
      denied++;
      const lines = (response.status.message as string).split('\n').slice(1).map((l) => l.replace(/^- /, ''));
      assert.ok(!lines.at(-1)!.startsWith('… and '), 'no demo denial is long enough to be cut');
      assert.deepEqual(lines.sort(), expected.sort(), `${object.kind} ${object.name}`);
    }
    assert.ok(denied >= 3, `${denied} demo objects denied`);
  } finally {
    await server.close();
    rmSync(pki.dir, { recursive: true, force: true });
  }
});

function writeAlone(object: InventoryObject): string {
  const file = path.join(work, `object-${++fileCount}.json`);
  writeFileSync(file, JSON.stringify(object.raw));
  return file;
}
