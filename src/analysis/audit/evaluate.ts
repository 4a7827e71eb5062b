// Which audit level one request gets: rules in order, the first match wins, no match is None.
// A line-for-line model of kubernetes/kubernetes
// staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go (spec/semantics.md §5.2).

import type { AuditLevel, AuditPolicy, AuditStage, PolicyRule } from './policy.js';
import { AUDIT_STAGES } from './policy.js';

interface RequestIdentity {
  user: string;
  groups: string[];
  verb: string;
}

/** A request to a resource, with the attributes the API server derives from its URL (spec/semantics.md §1.1). */
export interface ResourceRequest extends RequestIdentity {
  kind: 'resource';
  apiGroup: string;
  resource: string;
  subresource: string;
  /** "" for cluster-scoped resources and all-namespace requests. */
  namespace: string;
  /** "" for collection requests. */
  name: string;
}

export interface NonResourceRequest extends RequestIdentity {
  kind: 'nonResource';
  path: string;
}

export type AuditRequest = ResourceRequest | NonResourceRequest;

export interface AuditDecision {
  level: AuditLevel;
  /** The rule that decided, or undefined when no rule matched (the default level None applies). */
  rule?: PolicyRule;
  /** Stages not recorded: the policy's omitStages united with the rule's. */
  omitStages: AuditStage[];
}

export function levelAndStages(policy: AuditPolicy, req: AuditRequest): AuditDecision {
  for (const rule of policy.rules) {
    if (ruleMatches(rule, req)) return { level: rule.level, rule, omitStages: unionStages(policy.omitStages, rule.omitStages) };
  }
  return { level: 'None', omitStages: unionStages(policy.omitStages, []) };
}

export function ruleMatches(rule: PolicyRule, req: AuditRequest): boolean {
  if (rule.users.length && !rule.users.includes(req.user)) return false;
  if (rule.userGroups.length && !req.groups.some((g) => rule.userGroups.includes(g))) return false;
  if (rule.verbs.length && !rule.verbs.includes(req.verb)) return false;
  if (rule.namespaces.length || rule.resources.length) return ruleMatchesResource(rule, req);
  if (rule.nonResourceURLs.length) return req.kind === 'nonResource' && rule.nonResourceURLs.some((spec) => pathMatches(req.path, spec));
  return true;
}

function ruleMatchesResource(rule: PolicyRule, req: AuditRequest): boolean {
  if (req.kind !== 'resource') return false;
  // Cluster-scoped and all-namespace requests have the namespace "".
  if (rule.namespaces.length && !rule.namespaces.includes(req.namespace)) return false;
  if (!rule.resources.length) return true;
  for (const gr of rule.resources) {
    if (gr.group !== '*' && gr.group !== req.apiGroup) continue;
    if (!gr.resources.length) return true;
    if (gr.resourceNames.length && !gr.resourceNames.includes(req.name)) continue;
    if (gr.resources.some((res) => resourcePatternMatches(res, req.resource, req.subresource))) return true;
  }
  return false;
}

/** One entry of a rule's `resources[].resources` against a request's resource and subresource. */
export function resourcePatternMatches(pattern: string, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  if (pattern === combined || pattern === '*') return true;
  if (subresource && pattern.startsWith('*/') && pattern.slice(2) === subresource) return true;
  // `pods/*` covers pods itself and every subresource of pods.
  return pattern.endsWith('/*') && pattern.slice(0, -2) === resource;
}

/** `*`, an exact path, or a prefix ending in `*` (every trailing `*` is trimmed, as strings.TrimRight does). */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function unionStages(...lists: AuditStage[][]): AuditStage[] {
  const set = new Set(lists.flat());
  return AUDIT_STAGES.filter((s) => set.has(s));
}
