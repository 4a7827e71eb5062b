// One API server audit event (audit.k8s.io/v1 Event) turned into what the RBAC authorizer saw
// when it decided the request: user, groups and the request attributes of spec/semantics.md §1.1.
// Nothing here reads files; src/sources/audit-log.ts streams the JSON values in.
//
// Where the audit record and the authorizer disagree, the authorizer's view is taken:
// - `create` on a collection carries no name for the authorizer, but at Metadata level the API
//   server fills `objectRef.name` from the request body (apiserver audit/request.go
//   LogRequestObject), so the name of a plain `create` is dropped here.
// - `GET /api/v1/namespaces/foo` is a request in namespace foo (requestinfo.go); the audit
//   objectRef already says so, and an event that lacks it gets it.
// - An impersonated request is authorized as the impersonated user; the impersonating user
//   needs `impersonate` on users / groups / serviceaccounts / uids / userextras (impersonation.go).

import { isMapping } from '../../inventory/model.js';
import type { ResourceRequest, Request } from './rules.js';
import { parseServiceAccountUser } from './engine.js';

export const AUDIT_API_VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'];
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic']);
const STAGES = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);
const DECISION_ANNOTATION = 'authorization.k8s.io/decision';

/**
 * How the request ended, for RBAC:
 * - allowed: the authorizer allowed it (annotation `authorization.k8s.io/decision: allow`, or a
 *   final status other than 401/403; a 403 with decision `allow` is admission's refusal, so allowed);
 * - denied: the authorizer refused it (decision `forbid`, or 403 without a decision);
 * - unauthenticated: 401, the request never reached the authorizer;
 * - unknown: only an early stage (RequestReceived) says it was made.
 */
export type Outcome = 'allowed' | 'denied' | 'unauthenticated' | 'unknown';

export interface Observation {
  /** "" when the event has none (then it cannot be de-duplicated across stages). */
  auditID: string;
  stage: string;
  final: boolean;
  user: string;
  groups: string[];
  request: Request;
  outcome: Outcome;
  /** ISO timestamps as written, for the window. */
  received?: string;
  completed?: string;
  /** Set on an `impersonate` observation derived from an impersonated request. */
  impersonation?: true;
}

/** `error` says why (part of) the value is not an audit event; the observations of an EventList's good items are kept. */
export interface Parsed {
  observations: Observation[];
  error?: string;
}

const fail = (error: string): Parsed => ({ observations: [], error });

/** Reads one JSON value of an audit log: an Event, or an EventList as the webhook backend sends them. */
export function observationsFrom(value: unknown): Parsed {
  if (!isMapping(value)) return fail('not a JSON object');
  const apiVersion = value.apiVersion;
  if (apiVersion !== undefined && !AUDIT_API_VERSIONS.includes(String(apiVersion))) {
    return fail(`apiVersion ${JSON.stringify(apiVersion)} is not ${AUDIT_API_VERSIONS.join(' or ')}`);
  }
  if (value.kind === 'EventList') {
    if (!Array.isArray(value.items)) return fail('EventList without an items list');
    const observations: Observation[] = [];
    const errors: string[] = [];
    for (let i = 0; i < value.items.length; i++) {
      const one = eventObservations(value.items[i]);
      if (one.error) errors.push(`items[${i}]: ${one.error}`);
      else observations.push(...one.observations);
    }
    return errors.length ? { observations, error: `${errors.length} of ${value.items.length} events unreadable, first ${errors[0]}` } : { observations };
  }
  if (value.kind !== undefined && value.kind !== 'Event') return fail(`kind ${JSON.stringify(value.kind)} is not Event or EventList`);
  return eventObservations(value);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

function eventObservations(event: unknown): Parsed {
  if (!isMapping(event)) return fail('an event is not a JSON object');
  const stage = str(event.stage);
  if (!stage || !STAGES.has(stage)) return fail(`stage ${JSON.stringify(event.stage)} is not an audit stage`);
  const verb = str(event.verb);
  if (!verb) return fail('no verb');
  const user = isMapping(event.user) ? event.user : undefined;
  const username = user ? str(user.username) : undefined;
  if (username === undefined) return fail('no user.username');
  const groups = stringList(user?.groups);
  if (!groups) return fail('user.groups is not a list of strings');
  const requestURI = str(event.requestURI) ?? '';
  const request = requestOf(event, verb, requestURI);
  if (typeof request === 'string') return fail(request);
  const base = {
    auditID: str(event.auditID) ?? '',
    stage,
    final: FINAL_STAGES.has(stage),
    received: str(event.requestReceivedTimestamp),
    completed: str(event.stageTimestamp),
  };
  const outcome = outcomeOf(event);
  const impersonated = isMapping(event.impersonatedUser) ? event.impersonatedUser : undefined;
  if (!impersonated) return { observations: [{ ...base, user: username, groups, request, outcome }] };
  const asUser = str(impersonated.username);
  const asGroups = stringList(impersonated.groups);
  if (asUser === undefined || !asGroups) return fail('impersonatedUser without a username or with bad groups');
  const observations: Observation[] = [{ ...base, user: asUser, groups: asGroups, request, outcome }];
  // The impersonating user was allowed to impersonate (impersonatedUser is only set then).
  for (const req of impersonationRequests(asUser, asGroups, str(impersonated.uid), impersonated.extra)) {
    observations.push({ ...base, user: username, groups, request: req, outcome: 'allowed', impersonation: true });
  }
  return { observations };
}

function requestOf(event: Record<string, unknown>, verb: string, requestURI: string): Request | string {
  const ref = event.objectRef;
  if (ref === undefined || ref === null) {
    if (!requestURI.startsWith('/')) return 'a non-resource request without a requestURI path';
    const q = requestURI.indexOf('?');
    return { type: 'nonResource', verb, path: q === -1 ? requestURI : requestURI.slice(0, q) };
  }
  if (!isMapping(ref)) return 'objectRef is not an object';
  const fields = ['resource', 'namespace', 'name', 'apiGroup', 'subresource'] as const;
  for (const f of fields) if (ref[f] !== undefined && typeof ref[f] !== 'string') return `objectRef.${f} is not a string`;
  const resource = str(ref.resource) ?? '';
  if (!resource) return 'objectRef without a resource';
  const subresource = str(ref.subresource) ?? '';
  const apiGroup = str(ref.apiGroup) ?? '';
  let name = str(ref.name) ?? '';
  let namespace = str(ref.namespace) ?? '';
  // The authorizer sees no name on a create of a collection (the name is in the body).
  if (verb === 'create' && !subresource) name = '';
  if (resource === 'namespaces' && apiGroup === '' && name && !namespace) namespace = name;
  return { type: 'resource', verb, apiGroup, resource, subresource, namespace, name } satisfies ResourceRequest;
}

function outcomeOf(event: Record<string, unknown>): Outcome {
  const annotations = isMapping(event.annotations) ? event.annotations : {};
  const decision = annotations[DECISION_ANNOTATION];
  if (decision === 'forbid') return 'denied';
  if (decision === 'allow') return 'allowed';
  const status = isMapping(event.responseStatus) ? event.responseStatus : undefined;
  const code = status && typeof status.code === 'number' ? status.code : undefined;
  if (code === 401) return 'unauthenticated';
  if (code === 403) return 'denied';
  return code === undefined ? 'unknown' : 'allowed';
}

const ALWAYS_ADDED_GROUPS = new Set(['system:authenticated']);

/** What the impersonation filter authorizes for the impersonating user (spec/semantics.md §2.2 E14). */
function impersonationRequests(user: string, groups: string[], uid: string | undefined, extra: unknown): Request[] {
  const out: Request[] = [];
  const imp = (apiGroup: string, resource: string, name: string, namespace = '', subresource = ''): Request => ({
    type: 'resource', verb: 'impersonate', apiGroup, resource, subresource, namespace, name,
  });
  const sa = parseServiceAccountUser(user);
  // A ServiceAccount is impersonated as serviceaccounts NAME in its namespace; its groups come with it.
  out.push(sa ? imp('', 'serviceaccounts', sa.name, sa.namespace) : imp('', 'users', user));
  const implied = sa ? new Set(['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`]) : new Set<string>();
  for (const g of groups) if (!ALWAYS_ADDED_GROUPS.has(g) && !implied.has(g)) out.push(imp('', 'groups', g));
  if (uid) out.push(imp('authentication.k8s.io', 'uids', uid));
  if (isMapping(extra)) {
    for (const [key, values] of Object.entries(extra)) {
      for (const v of Array.isArray(values) ? values : []) if (typeof v === 'string') out.push(imp('authentication.k8s.io', 'userextras', v, '', key));
    }
  }
  return out;
}
