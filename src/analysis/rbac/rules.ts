// Rule matching exactly as the RBAC authorizer does it (spec/semantics.md §1.5; upstream
// pkg/apis/rbac/v1/evaluation_helpers.go). RBAC sees only request attributes, never a body.

import type { Rule } from './types.js';

export interface ResourceRequest {
  type: 'resource';
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** "" for cluster-scoped resources and all-namespace list/watch. */
  namespace: string;
  /** "" for collection requests (create, list, deletecollection). */
  name: string;
}

export interface NonResourceRequest {
  type: 'nonResource';
  verb: string;
  path: string;
}

export type Request = ResourceRequest | NonResourceRequest;

/** `anyName`: ignore resourceNames, i.e. "allowed on at least one object name" (for analysis, not authorization). */
export function ruleAllows(rule: Rule, req: Request, anyName = false): boolean {
  if (!verbMatches(rule, req.verb)) return false;
  if (req.type === 'nonResource') return nonResourceURLMatches(rule, req.path);
  return apiGroupMatches(rule, req.apiGroup) && resourceMatches(rule, req.resource, req.subresource) && (anyName || resourceNameMatches(rule, req.name));
}

function verbMatches(rule: Rule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

function apiGroupMatches(rule: Rule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

function resourceMatches(rule: Rule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return rule.resources.some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

function resourceNameMatches(rule: Rule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

function nonResourceURLMatches(rule: Rule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => {
    if (u === '*' || u === path) return true;
    if (!u.endsWith('*')) return false;
    return path.startsWith(u.replace(/\*+$/, ''));
  });
}

/** A stable text key of a rule, for de-duplication as the aggregation controller does it. */
export function ruleKey(rule: Rule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}

/** True when the rule is `*` verbs on `*` resources of `*` groups with no name restriction. */
export function isFullWildcard(rule: Rule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

/** One line a person reads: `get,list on pods (core)`. */
export function describeRule(rule: Rule): string {
  const verbs = rule.verbs.join(',');
  if (rule.nonResourceURLs.length) return `${verbs} on ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  const names = rule.resourceNames.length ? ` named ${rule.resourceNames.join(',')}` : '';
  return `${verbs} on ${rule.resources.join(',')} (${groups})${names}`;
}
