// Small helpers for tests: build an inventory from YAML text and run one check on it.

import { Inventory } from '../src/inventory/inventory.js';
import { addText } from '../src/inventory/parse-manifest.js';
import { makeCheckContext, type ScanSettings } from '../src/engine/context.js';
import type { Check, CheckContext, PodCheck, Violation } from '../src/checks/types.js';
import { formatPath } from '../src/inventory/model.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/…, fixtures live in test/…). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function inventoryFromYaml(text: string, file = 'test.yaml'): Inventory {
  const inventory = new Inventory();
  addText(inventory, file, text, 0);
  return inventory;
}

export function contextFor(inventory: Inventory, settings: Partial<ScanSettings> = {}): CheckContext {
  return makeCheckContext(inventory, settings);
}

/** Runs a check over every target of an inventory and returns its violations. */
export function runCheck(check: Check, yamlText: string, settings: Partial<ScanSettings> = {}): Violation[] {
  const inventory = inventoryFromYaml(yamlText);
  const bad = inventory.problems.filter((p) => p.level === 'error');
  if (bad.length) throw new Error('test input did not load: ' + bad.map((p) => p.message).join('; '));
  const ctx = contextFor(inventory, settings);
  switch (check.scope) {
    case 'pod':
      return inventory.pods.flatMap((pod) => check.evaluate(pod, ctx));
    case 'object':
      return check.kinds.flatMap((kind) => inventory.ofKind(kind)).flatMap((obj) => check.evaluate(obj, ctx));
    case 'inventory': {
      const outcome = check.evaluate(inventory, ctx);
      if ('skip' in outcome) throw new Error('check skipped: ' + outcome.skip);
      if ('manual' in outcome) throw new Error('check is manual: ' + outcome.manual);
      return outcome.violations;
    }
  }
}

/** Violation paths as strings, for compact assertions. */
export function paths(violations: Violation[]): string[] {
  return violations.map((v) => formatPath(v.path));
}

/**
 * A pod check that stands in for a check with a bug (no real check misbehaves on purpose): its
 * metadata is filler, its `evaluate` is what the test needs.
 */
export function standInPodCheck(id: string, evaluate: PodCheck['evaluate']): PodCheck {
  return { id, title: id, severity: 'low', category: 'workload', controls: ['nsa:P1'], rationale: 'a stand-in for a check with a bug', remediation: 'none', appliesTo: 'pods', scope: 'pod', evaluate };
}

/** Runs `fn` with a fresh temporary directory (mkdtemp, so parallel runs never share one) and removes it afterwards. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `netpol matrix` of an inventory as `"src → dst": cell` (cells in the words of the matrix). */
export async function matrixCells(inventory: Inventory): Promise<Record<string, string>> {
  const { NetpolModel } = await import('../src/analysis/netpol/model.js');
  const { describeCell, reachabilityMatrix } = await import('../src/analysis/netpol/reach.js');
  const model = new NetpolModel(inventory);
  const ids = model.workloads.map((w) => w.id);
  const out: Record<string, string> = {};
  reachabilityMatrix(model).forEach((row, i) => row.forEach((cell, j) => (out[`${ids[i]} → ${ids[j]}`] = describeCell(cell))));
  return out;
}
