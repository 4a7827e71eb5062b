// The policies `generate netpol` writes, judged by a real kube-apiserver: every one is accepted
// as written (validation), and the policies the server stores (defaulted, read back with the
// real kubectl) give the same answers as the YAML kubeharden wrote — every observed flow of the
// generated cluster allowed, every unobserved one denied; the demo cluster's declared flow kept.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { NetpolModel } from '../../src/analysis/netpol/model.js';
import { FlowAggregate } from '../../src/fix/netpol-from-flows.js';
import { planNetpol } from '../../src/fix/netpol-plan.js';
import { Inventory } from '../../src/inventory/inventory.js';
import { addText } from '../../src/inventory/parse-manifest.js';
import { reachAnswer } from '../../src/queries/netpol.js';
import { readFlows } from '../../src/sources/flows/read-flows.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { inventoryFromYaml, REPO_ROOT, withTempDir } from '../helpers.js';
import { clusterYaml, hubbleLines, NOT_OBSERVED, OBSERVED, type Flow } from '../fix/flow-cluster.js';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from './harness.js';

const skip = controlPlaneUnavailable();

/** The manifests' objects without their NetworkPolicies, plus the policies as the server stores them. */
function withServerPolicies(inventory: Inventory, listJson: string): NetpolModel {
  const out = new Inventory();
  for (const o of inventory.objects) if (o.kind !== 'NetworkPolicy') out.add(o);
  addText(out, 'kubectl-get.json', listJson, 1_000_000);
  assert.deepEqual(out.problems, []);
  return new NetpolModel(out);
}

function verdict(model: NetpolModel, [from, to, protocol, port]: Flow): string {
  const answer = reachAnswer(model, from, to, protocol, port);
  if ('error' in answer) throw new Error(answer.error);
  return answer.verdict;
}

describe('generate netpol on a real kube-apiserver: accepted as written, same answers as stored', { skip }, () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane();
  });
  after(async () => {
    await plane?.stop();
  });

  test('policies from flows for shop and data: applied, read back, every observed flow allowed and every unobserved one denied', async () => {
    const inventory = inventoryFromYaml(clusterYaml());
    const aggregate = new FlowAggregate();
    await withTempDir('kubeharden-cp-flows-', async (dir) => {
      const { writeFile } = await import('node:fs/promises');
      const file = path.join(dir, 'flows.jsonpb');
      await writeFile(file, hubbleLines().join('\n'));
      await readFlows([file], (f) => aggregate.add(f), (p) => assert.fail(`${p.at}: ${p.message}`));
    });
    for (const ns of ['shop', 'data', 'monitoring']) await plane.kubectlOk(['create', 'namespace', ns]);
    for (const ns of ['shop', 'data']) {
      const plan = planNetpol(inventory, ns, { flows: aggregate.list() });
      // Not --dry-run: the server must accept and store each one (a rejected policy fails the apply).
      const applied = await plane.kubectlOk(['apply', '-f', '-'], plan.yaml);
      assert.equal(applied.trim().split('\n').length, plan.generated.length, applied);
    }
    const stored = await plane.kubectlOk(['get', 'networkpolicies', '-A', '-o', 'json']);
    const model = withServerPolicies(inventory, stored);
    assert.ok(model.policies.length >= 10, `${model.policies.length} policies read back`);
    for (const f of OBSERVED) assert.equal(verdict(model, f), 'allowed', `observed: ${f.join(' ')}`);
    for (const f of NOT_OBSERVED) assert.equal(verdict(model, f), 'denied', `not observed: ${f.join(' ')}`);
  });

  test('the demo cluster: payments\' policies and those generated for shop, stored by the server, keep storefront → payments-api TCP 8443', async () => {
    const { inventory } = await loadManifests([path.join(REPO_ROOT, 'examples/demo-cluster')]);
    await plane.kubectlOk(['create', 'namespace', 'payments']);
    const payments = inventory.ofKind('NetworkPolicy').map((o) => JSON.stringify(o.raw));
    await plane.kubectlOk(['apply', '-f', '-'], `{"apiVersion":"v1","kind":"List","items":[${payments.join(',')}]}`);
    await plane.kubectlOk(['delete', 'networkpolicies', '-n', 'shop', '--all']);
    await plane.kubectlOk(['apply', '-f', '-'], planNetpol(inventory, 'shop').yaml);
    const stored = await plane.kubectlOk(['get', 'networkpolicies', '-n', 'shop', '-o', 'json']);
    const storedPayments = await plane.kubectlOk(['get', 'networkpolicies', '-n', 'payments', '-o', 'json']);
    const out = new Inventory();
    for (const o of inventory.objects) if (o.kind !== 'NetworkPolicy') out.add(o);
    addText(out, 'shop.json', stored, 1_000_000);
    addText(out, 'payments.json', storedPayments, 2_000_000);
    const model = new NetpolModel(out);
    assert.ok(model.policies.some((p) => p.namespace === 'shop' && p.name === 'keep-egress-to-payments-allow-storefront'));
    assert.equal(verdict(model, ['shop/storefront', 'payments/payments-api', 'TCP', 8443]), 'allowed');
    assert.equal(verdict(model, ['shop/storefront', 'payments/payments-api', 'TCP', 8080]), 'denied');
  });
});
