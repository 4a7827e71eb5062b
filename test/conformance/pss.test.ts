// Conformance with Kubernetes' own Pod Security Admission fixtures (test/fixtures/conformance/pss,
// see its README): at level L, every L/pass file gives no PSS finding and every L/fail file gives a
// finding of the check its file name names. Each fixture is also judged as the pod template of every
// workload kind, with the same verdict.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { pssChecks } from '../../src/checks/pod-security/index.js';
import type { Check } from '../../src/checks/types.js';
import type { PssLevel } from '../../src/result/result.js';
import { runChecks } from '../../src/engine/run.js';
import { KUBERNETES_YAML_SCHEMA } from '../../src/inventory/yaml.js';
import { REPO_ROOT, inventoryFromYaml } from '../helpers.js';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'conformance', 'pss');
const LEVELS: PssLevel[] = ['baseline', 'restricted'];

/** The pod template wrapped in each workload kind; the controller's own metadata carries no annotations. */
const WRAPPERS: Record<string, (template: object) => object> = {
  Deployment: (t) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { selector: {}, template: t } }),
  StatefulSet: (t) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'w' }, spec: { selector: {}, template: t } }),
  DaemonSet: (t) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'w' }, spec: { selector: {}, template: t } }),
  ReplicaSet: (t) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'w' }, spec: { selector: {}, template: t } }),
  Job: (t) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'w' }, spec: { template: t } }),
  CronJob: (t) => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'w' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: t } } },
  }),
  ReplicationController: (t) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'w' }, spec: { template: t } }),
  PodTemplate: (t) => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'w' }, template: t }),
};

/** `seccompprofile_restricted3.yaml` → the check whose PSA id is seccompProfile_restricted. */
function namedCheck(file: string): Check | undefined {
  const name = file.replace(/\.yaml$/, '').replace(/[0-9]+$/, '').toLowerCase();
  return pssChecks.find((c) => c.pss?.check.toLowerCase() === name);
}

/**
 * The PSA ids whose findings show the named check's rule fired at a level: the check itself, or at
 * restricted the check that replaces it there (hostPathVolumes → restrictedVolumes, …).
 */
function acceptedIds(check: Check, level: PssLevel): string[] {
  const overriddenBy = check.pss?.overriddenBy;
  return level === 'restricted' && overriddenBy ? [check.pss!.check, overriddenBy] : [check.pss!.check];
}

/** PSA ids of the checks that found something in one YAML text. */
function findingsFor(text: string, level: PssLevel): string[] {
  const inventory = inventoryFromYaml(text);
  assert.deepEqual(inventory.problems, [], 'fixture loads without problems');
  assert.equal(inventory.pods.length, 1, 'exactly one pod spec');
  const { result } = runChecks(inventory, pssChecks, { type: 'manifests' }, { settings: { pssLevel: level } });
  const errored = result.checks.filter((c) => c.status === 'error');
  assert.deepEqual(errored, [], 'no check errors');
  const byId = new Map(pssChecks.map((c) => [c.id, c.pss!.check]));
  return result.findings.map((f) => byId.get(f.check)!);
}

/** The fixture as a Pod and as the template of every workload kind (ephemeral containers exist only on Pods). */
function variants(text: string): { kind: string; text: string }[] {
  const pod = yaml.load(text, { schema: KUBERNETES_YAML_SCHEMA }) as { metadata?: object; spec: Record<string, unknown> };
  const out = [{ kind: 'Pod', text }];
  if (pod.spec.ephemeralContainers !== undefined) return out;
  const template = { metadata: pod.metadata, spec: pod.spec };
  for (const [kind, wrap] of Object.entries(WRAPPERS)) out.push({ kind, text: JSON.stringify(wrap(template)) });
  return out;
}

for (const level of LEVELS) {
  describe(`PSS conformance, ${level}`, () => {
    for (const verdict of ['pass', 'fail'] as const) {
      const dir = path.join(FIXTURES, level, verdict);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
        test(`${level}/${verdict}/${file}`, () => {
          const text = readFileSync(path.join(dir, file), 'utf8');
          const expected = verdict === 'fail' ? namedCheck(file) : undefined;
          if (verdict === 'fail') assert.ok(expected, `${file} names no known PSS check`);
          for (const variant of variants(text)) {
            const found = findingsFor(variant.text, level);
            if (verdict === 'pass') {
              assert.deepEqual(found, [], `${variant.kind}: a ${level}/pass fixture must give no finding`);
            } else {
              const accepted = acceptedIds(expected!, level);
              assert.ok(
                found.some((id) => accepted.includes(id)),
                `${variant.kind}: expected a finding of ${accepted.join(' or ')}, got [${found.join(', ')}]`,
              );
            }
          }
        });
      }
    }
  });
}
