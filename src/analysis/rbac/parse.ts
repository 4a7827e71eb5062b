// Reads Roles, ClusterRoles, RoleBindings and ClusterRoleBindings from an Inventory into the
// engine's model. Input the API server would reject is reported as a problem naming the field,
// and the part at fault grants nothing; nothing here throws on bad input.

import type { Inventory } from '../../inventory/inventory.js';
import { isMapping, type InventoryObject, type PathSegment } from '../../inventory/model.js';
import type { BindingDef, LabelSelector, RbacProblem, RoleDef, RoleKind, Rule, SubjectDef, SubjectKind } from './types.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS: readonly string[] = ['User', 'Group', 'ServiceAccount'];

export interface ParsedRbac {
  roles: RoleDef[];
  bindings: BindingDef[];
  problems: RbacProblem[];
}

/** Only objects of the RBAC API group count: a CRD kind named `Role` in another group is not RBAC. */
function isRbacObject(obj: InventoryObject): boolean {
  return obj.group === RBAC_GROUP;
}

/** `defaultNamespace`: where objects without metadata.namespace go (as `kubectl apply -n NS` would put them). */
export function parseRbac(inventory: Inventory, defaultNamespace = 'default'): ParsedRbac {
  const problems: RbacProblem[] = [];
  const roles: RoleDef[] = [];
  const bindings: BindingDef[] = [];
  for (const kind of ['ClusterRole', 'Role'] as const) {
    for (const obj of inventory.ofKind(kind).filter(isRbacObject)) {
      const role = parseRole(obj, kind, defaultNamespace, problems);
      if (role) roles.push(role);
    }
  }
  for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
    for (const obj of inventory.ofKind(kind).filter(isRbacObject)) {
      const binding = parseBinding(obj, kind, defaultNamespace, problems);
      if (binding) bindings.push(binding);
    }
  }
  return { roles, bindings, problems };
}

function parseRole(obj: InventoryObject, kind: RoleKind, defaultNamespace: string, problems: RbacProblem[]): RoleDef | undefined {
  const problem = (path: PathSegment[], message: string) => problems.push({ object: obj, path, message });
  if (!obj.name) {
    problem(['metadata', 'name'], `${kind} has no name; it is ignored`);
    return undefined;
  }
  const namespace = kind === 'Role' ? (obj.namespace ?? defaultNamespace) : undefined;
  const ref = { kind, namespace, name: obj.name };
  const role: RoleDef = { ref, labels: obj.labels, rules: [], origin: { manifest: obj } };
  const rawRules = obj.raw.rules;
  if (Array.isArray(rawRules)) {
    rawRules.forEach((raw, index) => {
      const rule = parseRule(raw, kind, ['rules', index], problem);
      if (rule) role.rules.push({ rule, role: ref, index });
    });
  } else if (rawRules !== undefined && rawRules !== null) {
    problem(['rules'], `rules must be a list; this ${kind} grants nothing`);
  }
  if (kind === 'ClusterRole' && obj.raw.aggregationRule !== undefined && obj.raw.aggregationRule !== null) {
    role.aggregationSelectors = parseAggregationRule(obj.raw.aggregationRule, problem);
  }
  return role;
}

type ProblemSink = (path: PathSegment[], message: string) => void;

function parseRule(raw: unknown, kind: RoleKind, path: PathSegment[], problem: ProblemSink): Rule | undefined {
  if (!isMapping(raw)) {
    problem(path, 'rule must be a mapping; it grants nothing');
    return undefined;
  }
  const field = (name: string): string[] | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    problem([...path, name], `${name} must be a list of strings; the rule grants nothing`);
    return undefined;
  };
  const verbs = field('verbs');
  const apiGroups = field('apiGroups');
  const resources = field('resources');
  const resourceNames = field('resourceNames');
  const nonResourceURLs = field('nonResourceURLs');
  if (!verbs || !apiGroups || !resources || !resourceNames || !nonResourceURLs) return undefined;
  const rule = { verbs, apiGroups, resources, resourceNames, nonResourceURLs };
  const invalid = whyInvalid(rule, kind);
  if (invalid) {
    problem([...path, invalid.field], `${invalid.message}; the API server rejects this ${kind}, and the rule grants nothing`);
    return undefined;
  }
  return rule;
}

/** The validation of pkg/apis/rbac/validation/validation.go, reduced to what changes a rule's meaning. */
function whyInvalid(rule: Rule, kind: RoleKind): { field: string; message: string } | undefined {
  if (rule.verbs.length === 0) return { field: 'verbs', message: 'rule has no verbs' };
  if (rule.nonResourceURLs.length > 0) {
    if (kind === 'Role') return { field: 'nonResourceURLs', message: 'a namespaced Role cannot have nonResourceURLs' };
    if (rule.apiGroups.length || rule.resources.length || rule.resourceNames.length) {
      return { field: 'nonResourceURLs', message: 'a rule cannot mix nonResourceURLs with apiGroups, resources or resourceNames' };
    }
    return undefined;
  }
  if (rule.apiGroups.length === 0) return { field: 'apiGroups', message: 'resource rule has no apiGroups (write "" for the core group)' };
  if (rule.resources.length === 0) return { field: 'resources', message: 'resource rule has no resources' };
  return undefined;
}

function parseAggregationRule(raw: unknown, problem: ProblemSink): LabelSelector[] {
  const selectors = isMapping(raw) ? raw.clusterRoleSelectors : undefined;
  if (!Array.isArray(selectors)) {
    problem(['aggregationRule', 'clusterRoleSelectors'], 'aggregationRule.clusterRoleSelectors must be a list; nothing is aggregated');
    return [];
  }
  const out: LabelSelector[] = [];
  selectors.forEach((sel, i) => {
    const parsed = parseSelector(sel);
    if (typeof parsed === 'string') problem(['aggregationRule', 'clusterRoleSelectors', i], `${parsed}; this selector selects nothing`);
    else out.push(parsed);
  });
  return out;
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A metav1.LabelSelector, or why it is invalid. */
function parseSelector(raw: unknown): LabelSelector | string {
  if (raw === null || raw === undefined) return { matchLabels: {}, matchExpressions: [] };
  if (!isMapping(raw)) return 'a label selector must be a mapping';
  const matchLabels: Record<string, string> = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isMapping(raw.matchLabels)) return 'matchLabels must be a mapping';
    for (const [k, v] of Object.entries(raw.matchLabels)) matchLabels[k] = String(v);
  }
  const matchExpressions: LabelSelector['matchExpressions'] = [];
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) return 'matchExpressions must be a list';
    for (const e of raw.matchExpressions) {
      if (!isMapping(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPERATORS.includes(e.operator)) {
        return `matchExpressions entries need a key and an operator of ${OPERATORS.join(', ')}`;
      }
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      matchExpressions.push({ key: e.key, operator: e.operator, values });
    }
  }
  return { matchLabels, matchExpressions };
}

export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(value as string)) return false; break;
      case 'NotIn': if (has && e.values.includes(value as string)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

function parseBinding(
  obj: InventoryObject,
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  defaultNamespace: string,
  problems: RbacProblem[],
): BindingDef | undefined {
  const problem = (path: PathSegment[], message: string) => problems.push({ object: obj, path, message });
  const namespace = kind === 'RoleBinding' ? (obj.namespace ?? defaultNamespace) : undefined;
  const ref = obj.raw.roleRef;
  if (!isMapping(ref) || typeof ref.name !== 'string' || ref.name === '') {
    problem(['roleRef'], `${kind} has no roleRef.name; it grants nothing`);
    return undefined;
  }
  if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') {
    problem(['roleRef', 'kind'], `roleRef.kind must be Role or ClusterRole, not ${JSON.stringify(ref.kind)}; the binding grants nothing`);
    return undefined;
  }
  if (kind === 'ClusterRoleBinding' && ref.kind === 'Role') {
    problem(['roleRef', 'kind'], 'a ClusterRoleBinding can only refer to a ClusterRole; the API server rejects it and it grants nothing');
    return undefined;
  }
  const binding: BindingDef = {
    kind,
    namespace,
    name: obj.name,
    roleRef: { kind: ref.kind, name: ref.name, namespace: ref.kind === 'Role' ? namespace : undefined },
    subjects: [],
    origin: { manifest: obj },
  };
  const subjects = obj.raw.subjects;
  if (subjects !== undefined && subjects !== null && !Array.isArray(subjects)) {
    problem(['subjects'], 'subjects must be a list; the binding grants nothing');
  }
  (Array.isArray(subjects) ? subjects : []).forEach((raw, index) => {
    const subject = parseSubject(raw, kind, index, problem);
    if (subject) binding.subjects.push(subject);
  });
  return binding;
}

function parseSubject(raw: unknown, kind: string, index: number, problem: ProblemSink): SubjectDef | undefined {
  const path = ['subjects', index];
  if (!isMapping(raw)) {
    problem(path, 'subject must be a mapping; it is ignored');
    return undefined;
  }
  if (typeof raw.kind !== 'string' || !SUBJECT_KINDS.includes(raw.kind)) {
    problem([...path, 'kind'], `unknown subject kind ${JSON.stringify(raw.kind)} (User, Group or ServiceAccount); it matches nobody`);
    return undefined;
  }
  if (typeof raw.name !== 'string' || raw.name === '') {
    problem([...path, 'name'], 'subject has no name; it matches nobody');
    return undefined;
  }
  const namespace = typeof raw.namespace === 'string' && raw.namespace !== '' ? raw.namespace : undefined;
  if (raw.kind === 'ServiceAccount' && kind === 'ClusterRoleBinding' && !namespace) {
    problem([...path, 'namespace'], `ServiceAccount subject "${raw.name}" of a ClusterRoleBinding needs a namespace; it matches nobody`);
    return undefined;
  }
  return { kind: raw.kind as SubjectKind, name: raw.name, namespace, index };
}
