// Shared steps of node checks: evaluate each instance of a component, turn observations into
// evidence, combine per-instance verdicts into one status.

import type { ComponentName } from '../../inventory/node-facts.js';
import type { Observation, SettingLocation } from '../../analysis/flags/settings.js';
import type { Evidence } from '../../result/result.js';
import { instancesOf, type ComponentFacts, type NodeFacts } from '../../inventory/node-facts.js';
import type { PatchOp } from '../../result/result.js';
import { failStatus, type CisItem, type NodeFinding, type NodeOutcome } from './types.js';

/**
 * What one component instance says about one item. A failure whose line-level finding another
 * check reports on the same file (`lineLevelElsewhere`: its id) sets the status in a node scan
 * but adds no finding of its own, so one problem is reported once.
 */
export type InstanceVerdict =
  | { ok: true; evidence: Evidence[]; note?: string }
  | { ok: false; evidence: Evidence[]; message: string; location: SettingLocation; fix?: PatchOp[]; lineLevelElsewhere?: string }
  | { ok: 'unknown'; evidence: Evidence[]; reason: string }
  /** Passes on what could be read, but a flag on a command line that could not be read may override it: warn. */
  | { ok: 'unconfirmed'; evidence: Evidence[]; reason: string };

/**
 * A pass read from a config file or a default, for a component whose command line is unknown:
 * the flags that could override it are named, and the item warns instead of passing.
 */
export function unconfirmedPass(c: ComponentFacts, observations: readonly { obs: Observation; flag: string }[], evidence: Evidence[]): InstanceVerdict | undefined {
  if (!c.commandLineUnknown) return undefined;
  const fromFile = observations.filter((o) => o.obs.how !== 'flag');
  if (fromFile.length === 0) return undefined;
  const flags = fromFile.map((o) => `--${o.flag}`).join(', ');
  return {
    ok: 'unconfirmed',
    evidence,
    reason: `${fromFile.map((o) => o.obs.subject).join(', ')} passes from ${c.where}, but its command line is unknown: ${c.commandLineUnknown}; ${flags} there would override it`,
  };
}

export function evidenceOf(obs: Observation): Evidence {
  if (obs.unknown) return { subject: obs.subject, source: obs.unknown };
  if (obs.set) return { subject: obs.subject, value: obs.value, source: `${obs.source} [${obs.how}]` };
  const def = obs.value === undefined ? 'no default' : `${obs.how}: ${obs.value}`;
  return { subject: obs.subject, source: `${obs.source} [not set; ${def}]` };
}

/** "\"true\" (flag)" or "not set (default: true)" — how a message names what was seen. */
export function describeSeen(obs: Observation): string {
  if (obs.set) return `"${obs.value}" (${obs.how})`;
  return obs.value === undefined ? 'not set' : `not set (${obs.how}: ${obs.value})`;
}

function resourceOf(c: ComponentFacts): NodeFinding['resource'] {
  const o = c.origin;
  if (o.kind === 'process') return { kind: 'Process', name: `${c.component} (pid ${o.pid})` };
  if (o.kind === 'manifest') return { kind: o.object.kind, name: o.object.name, ...(o.object.namespace ? { namespace: o.object.namespace } : {}) };
  return o.object ? { kind: o.object.kind, name: o.object.name || o.file } : { kind: 'File', name: o.file };
}

export function notFoundReason(facts: NodeFacts, component: ComponentName): string {
  const why = facts.notFound.get(component);
  if (facts.mode === 'manifests') {
    const what = component === 'kubelet' ? 'no KubeletConfiguration' : component === 'kube-proxy' ? 'no kube-proxy Pod or KubeProxyConfiguration' : `no ${component} static pod`;
    return `${what} in the input`;
  }
  return why ?? `${component} is not running on this node and no static pod manifest for it was found`;
}

/** Evaluates each instance of a component and combines: any failure fails (warn for Manual items), any unknown skips. */
export function evaluateEach(
  facts: NodeFacts,
  component: ComponentName,
  cis: CisItem,
  judge: (c: ComponentFacts) => InstanceVerdict,
): NodeOutcome {
  const instances = instancesOf(facts, component);
  if (instances.length === 0) return { status: 'skip', reason: notFoundReason(facts, component), evidence: [], findings: [], evaluated: 0 };
  const evidence: Evidence[] = [];
  const findings: NodeFinding[] = [];
  const unknown: string[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const unconfirmed: string[] = [];
  for (const c of instances) {
    const verdict = judge(c);
    evidence.push(...verdict.evidence);
    if (verdict.ok === 'unknown') unknown.push(verdict.reason);
    else if (verdict.ok === 'unconfirmed') unconfirmed.push(verdict.reason);
    else if (verdict.ok === false) {
      failures.push(verdict.lineLevelElsewhere ? `${verdict.message} (finding: ${verdict.lineLevelElsewhere})` : verdict.message);
      if (verdict.lineLevelElsewhere && facts.mode === 'node') continue;
      findings.push({ message: verdict.message, resource: resourceOf(c), location: verdict.location, ...(verdict.fix ? { fix: verdict.fix } : {}) });
    } else if (verdict.note) notes.push(verdict.note);
  }
  if (failures.length) return { status: failStatus(cis), reason: failures.join('; '), evidence, findings, evaluated: instances.length, failed: failures.length };
  if (unknown.length) return { status: 'skip', reason: unknown.join('; '), evidence, findings, evaluated: instances.length };
  if (unconfirmed.length) return { status: 'warn', reason: unconfirmed.join('; '), evidence, findings, evaluated: instances.length };
  const seen = evidence.map((e) => `${e.subject} ${e.value !== undefined ? `= "${e.value}"` : 'not set'}`).join('; ');
  return { status: 'pass', reason: [seen, ...notes].filter(Boolean).join('; '), evidence, findings, evaluated: instances.length };
}
