// Kubernetes label selectors (metav1.LabelSelector) with the API server's validation:
// matchLabels AND every matchExpression; In/NotIn on values, Exists/DoesNotExist on keys.
// NotIn and DoesNotExist hold for objects that lack the key. The empty selector matches everything.

import { isMapping, type PathSegment } from '../../inventory/model.js';

export type Labels = Readonly<Record<string, string>>;

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: ReadonlySet<string>;
}

/** A three-valued answer, for questions whose input is partly unknown. */
export type Tri = 'yes' | 'no' | 'maybe';

export interface LabelSelector {
  /** True when the selector has no requirement at all: it matches every object. */
  readonly matchesAll: boolean;
  matches(labels: Labels): boolean;
  /**
   * Matching against an object of which only some label keys are known (a namespace the input
   * does not declare: only its name label is certain). 'maybe' when an unknown key decides.
   */
  matchesPartly(labels: Labels, isKnownKey: (key: string) => boolean): Tri;
  /** The selector in the compact form people write: `app=web,tier in (a,b),!legacy`. */
  readonly text: string;
}

/** A problem in a selector, with the path to the field at fault (relative to the object root). */
export interface FieldProblem {
  path: PathSegment[];
  message: string;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Parses a LabelSelector value found at `path`; problems make the selector unusable. */
export function parseLabelSelector(value: unknown, path: PathSegment[]): { selector: LabelSelector } | { problems: FieldProblem[] } {
  if (value === undefined || value === null) return { selector: compile([]) };
  if (!isMapping(value)) return { problems: [{ path, message: `a label selector must be a mapping, got ${kindOf(value)}` }] };
  const problems: FieldProblem[] = [];
  const reqs: Requirement[] = [];
  const { matchLabels, matchExpressions } = value;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isMapping(matchLabels)) problems.push({ path: [...path, 'matchLabels'], message: `matchLabels must be a mapping, got ${kindOf(matchLabels)}` });
    else {
      for (const [key, v] of Object.entries(matchLabels)) {
        const str = scalarString(v);
        const problem = str === undefined ? `label value for "${key}" must be a string, got ${kindOf(v)}` : keyProblem(key) ?? valueProblem(key, str);
        if (problem) problems.push({ path: [...path, 'matchLabels', key], message: problem });
        else reqs.push({ key, operator: 'In', values: new Set([str as string]) });
      }
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) {
      problems.push({ path: [...path, 'matchExpressions'], message: `matchExpressions must be a list, got ${kindOf(matchExpressions)}` });
    } else {
      matchExpressions.forEach((expr, i) => {
        const at = [...path, 'matchExpressions', i];
        const parsed = parseRequirement(expr);
        if ('problem' in parsed) problems.push({ path: at, message: parsed.problem });
        else reqs.push(parsed.requirement);
      });
    }
  }
  return problems.length ? { problems } : { selector: compile(reqs) };
}

function parseRequirement(expr: unknown): { requirement: Requirement } | { problem: string } {
  if (!isMapping(expr)) return { problem: `a match expression must be a mapping, got ${kindOf(expr)}` };
  const { key, operator, values } = expr;
  if (typeof key !== 'string' || key === '') return { problem: 'a match expression needs a non-empty `key`' };
  const badKey = keyProblem(key);
  if (badKey) return { problem: badKey };
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    return { problem: `operator ${JSON.stringify(operator ?? null)} is not valid for "${key}"; use In, NotIn, Exists or DoesNotExist` };
  }
  const list = values === undefined || values === null ? [] : values;
  if (!Array.isArray(list)) return { problem: `values of "${key}" must be a list, got ${kindOf(list)}` };
  const strings = list.map(scalarString);
  if (strings.some((s) => s === undefined)) return { problem: `values of "${key}" must be strings` };
  const badValue = strings.map((v) => valueProblem(key, v as string)).find((p) => p);
  if (badValue) return { problem: badValue };
  if ((operator === 'In' || operator === 'NotIn') && strings.length === 0) {
    return { problem: `operator ${operator} on "${key}" needs at least one value (the API server rejects an empty list)` };
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && strings.length > 0) {
    return { problem: `operator ${operator} on "${key}" must not have values (the API server rejects them)` };
  }
  return { requirement: { key, operator: operator as Requirement['operator'], values: new Set(strings as string[]) } };
}

// Label syntax as the API server validates it (IsQualifiedName, IsValidLabelValue).
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  const nameOk = name.length <= 63 && NAME.test(name);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  return nameOk && prefixOk && key.split('/').length <= 2
    ? undefined
    : `"${key}" is not a valid label key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

function valueProblem(key: string, value: string): string | undefined {
  return value === '' || (value.length <= 63 && NAME.test(value))
    ? undefined
    : `"${value}" is not a valid value for label "${key}": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

function compile(reqs: Requirement[]): LabelSelector {
  return {
    matchesAll: reqs.length === 0,
    matches(labels) {
      return reqs.every((r) => requirementHolds(r, labels));
    },
    matchesPartly(labels, isKnownKey) {
      let result: Tri = 'yes';
      for (const r of reqs) {
        if (!isKnownKey(r.key)) result = 'maybe';
        else if (!requirementHolds(r, labels)) return 'no';
      }
      return result;
    },
    text: reqs.length === 0 ? '{}' : reqs.map(describeRequirement).join(','),
  };
}

function requirementHolds(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.has(labels[r.key] as string);
    case 'NotIn':
      return !has || !r.values.has(labels[r.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function describeRequirement(r: Requirement): string {
  const vals = [...r.values];
  switch (r.operator) {
    case 'In':
      return vals.length === 1 ? `${r.key}=${vals[0]}` : `${r.key} in (${vals.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${vals.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

/** YAML 1.1 may have read `true` or `8080` where a string label value was meant; Kubernetes would reject those, but a number is unambiguous. */
function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isMapping(v)) return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
