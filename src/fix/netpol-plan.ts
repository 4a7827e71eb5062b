// `generate netpol` as one plan: the policies (baseline, kept declared flows, proposals, and
// rules from observed flows), their YAML, and the proof — the reachability matrix before and
// after applying them, and the dry run of every observed flow through the engine.

import { beyondEvidence, type Broadening } from '../analysis/netpol/breadth.js';
import { compareMatrices, type MatrixComparison } from '../analysis/netpol/changes.js';
import { NetpolModel } from '../analysis/netpol/model.js';
import { Inventory } from '../inventory/inventory.js';
import { addText } from '../inventory/parse-manifest.js';
import { generateNetpol, type GeneratedPolicy } from './generate-netpol.js';
import { dryRunFlows, policiesFromFlows, type DryRunFlow, type FlowPolicies, type ObservedFlow } from './netpol-from-flows.js';
import { netpolYaml } from './netpol-yaml.js';

export interface NetpolPlan {
  generated: GeneratedPolicy[];
  yaml: string;
  comparison: MatrixComparison;
  /** Present when flows were given. */
  fromFlows?: FlowPolicies;
  dryRun?: DryRunFlow[];
  /** With flows: what the rules written from them select or admit beyond the workloads seen. */
  broader?: Broadening[];
  /** Problems of the generated YAML as the manifest reader saw them (none expected). */
  problems: string[];
}

export interface PlanOptions {
  proposals?: boolean;
  flows?: ObservedFlow[];
  flowSources?: string[];
}

export function planNetpol(inventory: Inventory, namespace: string, options: PlanOptions = {}): NetpolPlan {
  const before = new NetpolModel(inventory);
  const generated = generateNetpol(inventory, namespace, { proposals: options.proposals });
  let fromFlows: FlowPolicies | undefined;
  if (options.flows) {
    fromFlows = policiesFromFlows(before, namespace, options.flows, { egressIsolated: namespace !== 'kube-system', sources: options.flowSources ?? [] });
    generated.push(...fromFlows.policies);
  }
  const yaml = netpolYaml(generated);
  // The model after applying: the same objects plus the policies read back from the YAML written, as kubectl would read it.
  const applied = new Inventory();
  for (const obj of inventory.objects) applied.add(obj);
  const problemsBefore = applied.problems.length;
  addText(applied, `generated-${namespace}.yaml`, yaml, inventory.objects.reduce((m, o) => Math.max(m, o.id), 0) + 1);
  const after = new NetpolModel(applied);
  const problems = [
    ...applied.problems.slice(problemsBefore).map((p) => p.message),
    ...after.invalidPolicies.filter((b) => b.object.source.file === `generated-${namespace}.yaml`).map((b) => `${b.object.name}: ${b.problems.map((p) => p.message).join('; ')}`),
  ];
  const comparison = compareMatrices(before, after, namespace);
  const dryRun = options.flows ? dryRunFlows(before, after, namespace, options.flows, fromFlows?.leftOut) : undefined;
  const broader = fromFlows ? beyondEvidence(after, namespace, fromFlows.evidence) : undefined;
  return { generated, yaml, comparison, problems, ...(fromFlows ? { fromFlows } : {}), ...(dryRun ? { dryRun } : {}), ...(broader ? { broader } : {}) };
}
