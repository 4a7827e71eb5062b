// Pod Security preview: which existing workloads a Pod Security level would reject and why,
// and the strictest labels each namespace's current workloads already pass. A query above the
// checks: it judges pods with the PSS checks (src/checks/pod-security/), a parameter here so
// that it decides exactly as the rest of kubeharden does. The namespace-label semantics are
// analysis/admission/psa.ts.

import { pssChecks as defaultPssChecks } from '../checks/pod-security/index.js';
import type { Check, PodCheck } from '../checks/types.js';
import { makeCheckContext } from '../engine/context.js';
import type { Inventory } from '../inventory/inventory.js';
import { countObjects, describePod, type PodTarget } from '../inventory/model.js';
import type { PodSecurityConfig, PsaLevel } from '../analysis/admission/config.js';
import { LABEL_PREFIX, namespaceOf, namespacePolicy, type NamespacePolicy } from '../analysis/admission/psa.js';

export class NoPssChecks extends Error {}

/** One workload the level would not admit, with each failing Pod Security check. */
export interface Rejection {
  workload: string;
  /** Pods are rejected at creation; for controllers the pods they create would be rejected. */
  rejects: 'the Pod' | 'the pods it creates';
  reasons: { check: string; pss: string; message: string }[];
}

/** The PSS checks that apply at a level, as PSA composes them (restricted replaces some baseline checks). */
export function checksForLevel(level: PsaLevel, checks: readonly Check[]): PodCheck[] {
  if (level === 'privileged') return [];
  return checks.filter((c): c is PodCheck => c.scope === 'pod' && c.pss !== undefined).filter((c) => {
    if (level === 'baseline') return c.pss!.level === 'baseline';
    return !c.pss!.overriddenBy;
  });
}

/** Which of these pods a namespace at `level` (and policy `version`) would reject, and why. */
export function previewLevel(
  inventory: Inventory,
  pods: readonly PodTarget[],
  level: PsaLevel,
  version = 'latest',
  checks: readonly Check[] = defaultPssChecks,
  exemptRuntimeClasses: readonly string[] = [],
): Rejection[] {
  if (level === 'privileged') return [];
  const selected = checksForLevel(level, checks);
  // Judging pods with no checks would admit everything: a silent pass. Refuse instead.
  if (!selected.length) throw new NoPssChecks(`no Pod Security Standards checks for the ${level} level are available, so pods cannot be judged`);
  const ctx = makeCheckContext(inventory, { pssLevel: level === 'baseline' ? 'baseline' : 'restricted', pssVersion: version });
  const out: Rejection[] = [];
  for (const pod of pods) {
    const runtimeClass = pod.spec.runtimeClassName;
    if (typeof runtimeClass === 'string' && exemptRuntimeClasses.includes(runtimeClass)) continue;
    const reasons = selected.flatMap((check) =>
      check.evaluate(pod, ctx).map((v) => ({ check: check.id, pss: `${check.pss!.level}/${check.pss!.check}`, message: v.message })),
    );
    if (reasons.length) out.push({ workload: describePod(pod), rejects: pod.object.kind === 'Pod' ? 'the Pod' : 'the pods it creates', reasons });
  }
  return out;
}

export interface LabelProposal {
  namespace: string;
  /** The strictest level every current workload of the namespace passes. */
  level: PsaLevel;
  version: string;
  workloads: number;
  /** Why the next stricter level was not proposed: the workloads it would reject. */
  blockedAt?: { level: PsaLevel; rejections: Rejection[] };
  labels: Record<string, string>;
}

/**
 * Proposes PodSecurity labels per namespace: enforce the strictest level its current workloads
 * already pass, and warn and audit at restricted so the remaining gap stays visible.
 */
export function proposePsaLabels(inventory: Inventory, options: { version?: string; checks?: readonly Check[] } = {}): LabelProposal[] {
  const version = options.version ?? 'latest';
  const checks = options.checks ?? defaultPssChecks;
  const byNamespace = new Map<string, PodTarget[]>();
  for (const ns of inventory.ofKind('Namespace')) if (ns.name) byNamespace.set(ns.name, []);
  for (const pod of inventory.pods) {
    const ns = namespaceOf(pod);
    const list = byNamespace.get(ns) ?? [];
    byNamespace.set(ns, list);
    list.push(pod);
  }
  return [...byNamespace.keys()].sort().map((namespace) => {
    const pods = byNamespace.get(namespace)!;
    let level: PsaLevel = 'privileged';
    let blockedAt: LabelProposal['blockedAt'];
    for (const candidate of ['restricted', 'baseline'] as const) {
      const rejections = previewLevel(inventory, pods, candidate, version, checks);
      if (!rejections.length) {
        level = candidate;
        break;
      }
      blockedAt = { level: candidate, rejections }; // ends as the level just above the proposal
    }
    const labels: Record<string, string> = {
      [`${LABEL_PREFIX}enforce`]: level,
      [`${LABEL_PREFIX}enforce-version`]: version,
      [`${LABEL_PREFIX}warn`]: 'restricted',
      [`${LABEL_PREFIX}warn-version`]: version,
      [`${LABEL_PREFIX}audit`]: 'restricted',
      [`${LABEL_PREFIX}audit-version`]: version,
    };
    return { namespace, level, version, workloads: countObjects(pods), ...(blockedAt && level !== 'restricted' ? { blockedAt } : {}), labels };
  });
}

export interface NamespaceReport {
  namespace: string;
  /** Whether the input has the Namespace object (its labels are then known). */
  declared: boolean;
  policy: NamespacePolicy;
  workloads: number;
  /** Workloads the preview level would reject (none when the namespace is exempt). */
  rejections: Rejection[];
}

/**
 * Every namespace of the input with the Pod Security policy it gets (labels over the cluster
 * defaults) and the workloads a stricter level would reject — the preview before labelling.
 */
export function namespaceReports(
  inventory: Inventory,
  options: { previewLevel: PsaLevel; version?: string; config?: PodSecurityConfig; checks?: readonly Check[] },
): NamespaceReport[] {
  const names = new Set<string>(inventory.ofKind('Namespace').filter((n) => n.group === '' && n.name).map((n) => n.name));
  for (const pod of inventory.pods) names.add(namespaceOf(pod));
  return [...names].sort().map((namespace) => {
    const object = inventory.find('Namespace', undefined, namespace);
    const policy = namespacePolicy(namespace, object?.labels ?? {}, options.config);
    const pods = inventory.pods.filter((p) => namespaceOf(p) === namespace);
    const rejections = policy.exempt
      ? []
      : previewLevel(inventory, pods, options.previewLevel, options.version ?? 'latest', options.checks, options.config?.exemptions.runtimeClasses);
    return { namespace, declared: object !== undefined, policy, workloads: countObjects(pods), rejections };
  });
}
