// The audit Policy model (audit.k8s.io/v1, kind Policy) and its validation, as the API server
// loads it: kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/audit/policy/reader.go and
// pkg/apis/audit/validation/validation.go (spec/semantics.md §5.1). A policy that fails
// validation makes the API server refuse to start, so it is reported, never evaluated.

import { isMapping, type PathSegment } from '../../inventory/model.js';

const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

const AUDIT_POLICY_GROUP = 'audit.k8s.io';
/**
 * The only version the v1.37 policy reader decodes (apiserver pkg/audit/policy/reader.go
 * apiGroupVersions): a v1beta1 or v1alpha1 Policy stops the API server from starting (seen on a
 * real kube-apiserver v1.37.2, test/oracle/audit.test.ts).
 */
const AUDIT_POLICY_API_VERSION = 'audit.k8s.io/v1';

export interface GroupResources {
  /** "" is the core group; "*" every group (v1.37 validation.go and checker.go); else exact. */
  group: string;
  /** Empty: every resource of the group. */
  resources: string[];
  /** Empty: every name. */
  resourceNames: string[];
}

export interface PolicyRule {
  /** Position in `rules`, for paths such as rules[3]. */
  index: number;
  level: AuditLevel;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: GroupResources[];
  namespaces: string[];
  nonResourceURLs: string[];
  omitStages: AuditStage[];
}

export interface AuditPolicy {
  omitStages: AuditStage[];
  rules: PolicyRule[];
}

export interface PolicyProblem {
  /** Path from the object root, e.g. ['rules', 2, 'level']. */
  path: PathSegment[];
  message: string;
}

export type ParsedPolicy = { ok: true; policy: AuditPolicy } | { ok: false; problems: PolicyProblem[] };

/** Whether an inventory object is an audit Policy (kind Policy is also used by other groups). */
export function isAuditPolicy(obj: { kind: string; group: string }): boolean {
  return obj.kind === 'Policy' && obj.group === AUDIT_POLICY_GROUP;
}

/** Reads and validates a Policy object as the API server does; every problem is reported with its path. */
export function parsePolicy(raw: Record<string, unknown>): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  if (raw.apiVersion !== AUDIT_POLICY_API_VERSION) {
    problems.push({ path: ['apiVersion'], message: `apiVersion ${JSON.stringify(raw.apiVersion)} is not read by the API server: write ${AUDIT_POLICY_API_VERSION}` });
  }
  const omitStages = stageList(raw.omitStages, ['omitStages'], problems);
  const rules: PolicyRule[] = [];
  if (raw.rules === undefined || raw.rules === null || (Array.isArray(raw.rules) && raw.rules.length === 0)) {
    problems.push({ path: ['rules'], message: 'the policy has no rules; the API server refuses to load a policy with 0 rules' });
  } else if (!Array.isArray(raw.rules)) {
    problems.push({ path: ['rules'], message: 'rules must be a list' });
  } else {
    raw.rules.forEach((value, index) => {
      const rule = parseRule(value, index, problems);
      if (rule) rules.push(rule);
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, policy: { omitStages, rules } };
}

function parseRule(value: unknown, index: number, problems: PolicyProblem[]): PolicyRule | undefined {
  const at = (...rest: PathSegment[]): PathSegment[] => ['rules', index, ...rest];
  if (!isMapping(value)) {
    problems.push({ path: at(), message: `rules[${index}] must be a mapping` });
    return undefined;
  }
  const before = problems.length;
  const level = value.level;
  if (level === undefined || level === null || level === '') {
    problems.push({ path: at('level'), message: `rules[${index}] has no level; write one of ${AUDIT_LEVELS.join(', ')}` });
  } else if (typeof level !== 'string' || !(AUDIT_LEVELS as readonly string[]).includes(level)) {
    problems.push({ path: at('level'), message: `rules[${index}].level ${JSON.stringify(level)} is not a level; write one of ${AUDIT_LEVELS.join(', ')} (case matters)` });
  }
  const users = stringList(value.users, at('users'), problems);
  const userGroups = stringList(value.userGroups, at('userGroups'), problems);
  const verbs = stringList(value.verbs, at('verbs'), problems);
  const namespaces = stringList(value.namespaces, at('namespaces'), problems);
  const nonResourceURLs = stringList(value.nonResourceURLs, at('nonResourceURLs'), problems);
  const omitStages = stageList(value.omitStages, at('omitStages'), problems);
  const resources = groupResourcesList(value.resources, at('resources'), problems);

  nonResourceURLs.forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) problems.push({ path: at('nonResourceURLs', i), message: `non-resource URL ${JSON.stringify(url)} must begin with "/"` });
    if (url !== '' && url.slice(0, -1).includes('*')) {
      problems.push({ path: at('nonResourceURLs', i), message: `non-resource URL ${JSON.stringify(url)} may use "*" only as its last character` });
    }
  });
  if (nonResourceURLs.length && (resources.length || namespaces.length)) {
    problems.push({
      path: at('nonResourceURLs'),
      message: `rules[${index}] sets nonResourceURLs together with ${resources.length ? 'resources' : 'namespaces'}; a rule applies either to resources or to non-resource URLs — split it into two rules`,
    });
  }
  if (problems.length > before) return undefined;
  return { index, level: level as AuditLevel, users, userGroups, verbs, resources, namespaces, nonResourceURLs, omitStages };
}

function groupResourcesList(value: unknown, path: PathSegment[], problems: PolicyProblem[]): GroupResources[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'resources must be a list of {group, resources, resourceNames}' });
    return [];
  }
  const out: GroupResources[] = [];
  value.forEach((entry, i) => {
    if (!isMapping(entry)) {
      problems.push({ path: [...path, i], message: 'each resources entry must be a mapping {group, resources, resourceNames}' });
      return;
    }
    const group = entry.group === undefined || entry.group === null ? '' : entry.group;
    if (typeof group !== 'string') {
      problems.push({ path: [...path, i, 'group'], message: 'group must be a string ("" for the core group)' });
      return;
    }
    if (group !== '' && group !== '*' && !isDnsSubdomain(group)) {
      problems.push({
        path: [...path, i, 'group'],
        message: `group ${JSON.stringify(group)} is not an API group name${group.includes('/') ? ' (write the group without its version, e.g. "apps", not "apps/v1")' : ''}`,
      });
    }
    const resources = stringList(entry.resources, [...path, i, 'resources'], problems);
    const resourceNames = stringList(entry.resourceNames, [...path, i, 'resourceNames'], problems);
    if (resourceNames.length && !resources.length) {
      problems.push({ path: [...path, i, 'resourceNames'], message: 'resourceNames requires at least one resource in the same entry' });
    }
    out.push({ group, resources, resourceNames });
  });
  return out;
}

function stageList(value: unknown, path: PathSegment[], problems: PolicyProblem[]): AuditStage[] {
  const stages = stringList(value, path, problems);
  stages.forEach((s, i) => {
    if (!(AUDIT_STAGES as readonly string[]).includes(s)) {
      problems.push({ path: [...path, i], message: `${JSON.stringify(s)} is not a stage; allowed stages are ${AUDIT_STAGES.join(', ')}` });
    }
  });
  return stages as AuditStage[];
}

function stringList(value: unknown, path: PathSegment[], problems: PolicyProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: `${String(path[path.length - 1])} must be a list of strings` });
    return [];
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string') out.push(v);
    else problems.push({ path: [...path, i], message: `${JSON.stringify(v)} must be a string (quote it in YAML)` });
  });
  return out;
}

/** RFC 1123 subdomain, lower case, at most 253 characters (apimachinery NameIsDNSSubdomain). */
function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

const LEVEL_RANK: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Whether level a records at least as much as level b. */
export function levelAtLeast(a: AuditLevel, b: AuditLevel): boolean {
  return LEVEL_RANK[a] >= LEVEL_RANK[b];
}

/** A short description of what a rule selects, for messages: `rules[3] (None: users system:kube-proxy; verbs watch)`. */
export function describeRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.users.length) parts.push(`users ${rule.users.join(',')}`);
  if (rule.userGroups.length) parts.push(`userGroups ${rule.userGroups.join(',')}`);
  if (rule.verbs.length) parts.push(`verbs ${rule.verbs.join(',')}`);
  if (rule.namespaces.length) parts.push(`namespaces ${rule.namespaces.map((n) => (n === '' ? '""' : n)).join(',')}`);
  if (rule.resources.length) parts.push(`resources ${rule.resources.map(describeGroupResources).join(' ')}`);
  if (rule.nonResourceURLs.length) parts.push(`nonResourceURLs ${rule.nonResourceURLs.join(',')}`);
  return `rules[${rule.index}] (${rule.level}${parts.length ? ': ' + parts.join('; ') : ', matches every request'})`;
}

function describeGroupResources(gr: GroupResources): string {
  const group = gr.group === '' ? 'core' : gr.group;
  const res = gr.resources.length ? gr.resources.join(',') : '*';
  return `${group}:${res}${gr.resourceNames.length ? `[${gr.resourceNames.join(',')}]` : ''}`;
}
