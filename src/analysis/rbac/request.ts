// Turns what a person types (kubectl's way of naming things) into RBAC request attributes and
// subjects: `pods`, `deployments.apps`, `pods/exec`, `/metrics`; `sa:dev/build`, `group:ops`.

import type { Request } from './rules.js';
import { parseServiceAccountUser, type SubjectId } from './engine.js';
import { resolveResource } from './resource-names.js';

export interface RequestArgs {
  verb: string;
  /** `pods`, `deployments.apps`, `pods/exec`, `deployments.apps/scale`, or a URL path `/metrics`. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Builds the request; throws an Error with a message for the user when the arguments cannot be one. */
export function buildRequest(args: RequestArgs): Request {
  const verb = args.verb.trim();
  if (!verb) throw new Error('VERB is empty');
  if (args.resource.startsWith('/')) {
    if (args.namespace || args.name || args.subresource) {
      throw new Error('a non-resource URL takes no --namespace, --name or --subresource (its requests are cluster-wide)');
    }
    return { type: 'nonResource', verb, path: args.resource };
  }
  const slash = args.resource.indexOf('/');
  const typed = slash === -1 ? args.resource : args.resource.slice(0, slash);
  const typedSub = slash === -1 ? '' : args.resource.slice(slash + 1);
  if (typedSub && args.subresource && typedSub !== args.subresource) {
    throw new Error(`subresource given twice: ${args.resource} and --subresource ${args.subresource}`);
  }
  const dot = typed.indexOf('.');
  const typedResource = dot === -1 ? typed : typed.slice(0, dot);
  const typedGroup = dot === -1 ? '' : typed.slice(dot + 1);
  if (!typedResource) throw new Error(`RESOURCE ${JSON.stringify(args.resource)} names no resource`);
  // `secret`, `Secrets`, `deploy` and `Deployment` mean what kubectl takes them to mean.
  const { resource, apiGroup } = resolveResource(typedResource, typedGroup);
  const name = args.name ?? '';
  let namespace = args.namespace ?? '';
  // GET /api/v1/namespaces/foo is a request in namespace foo (spec/semantics.md §1.1).
  if (resource === 'namespaces' && apiGroup === '' && name && !namespace) namespace = name;
  return { type: 'resource', verb, apiGroup, resource, subresource: args.subresource ?? typedSub, namespace, name };
}

/** One line for messages: `create pods/exec named p1 in namespace dev`. */
export function describeRequest(req: Request, inSomeNamespace = false): string {
  if (req.type === 'nonResource') return `${req.verb} ${req.path}`;
  const res = (req.apiGroup ? `${req.resource}.${req.apiGroup}` : req.resource) + (req.subresource ? `/${req.subresource}` : '');
  const named = req.name ? ` named ${req.name}` : '';
  const where = req.namespace
    ? ` in namespace ${req.namespace}`
    : inSomeNamespace
      ? ' in at least one namespace'
      : ' cluster-wide (all namespaces, or a cluster-scoped resource)';
  return `${req.verb} ${res}${named}${where}`;
}

/**
 * Parses a subject: `user:NAME`, `group:NAME`, `serviceaccount:NS/NAME` (also `sa:NS/NAME`),
 * `system:serviceaccount:NS:NAME`, or a bare user name.
 */
export function parseSubject(text: string): SubjectId {
  const t = text.trim();
  if (!t) throw new Error('SUBJECT is empty');
  const sa = parseServiceAccountUser(t);
  if (sa) return { kind: 'ServiceAccount', ...sa };
  const colon = t.indexOf(':');
  const prefix = colon === -1 ? '' : t.slice(0, colon).toLowerCase();
  const rest = t.slice(colon + 1);
  if (prefix === 'user') return { kind: 'User', name: nonEmpty(rest, t) };
  if (prefix === 'group') return { kind: 'Group', name: nonEmpty(rest, t) };
  if (prefix === 'serviceaccount' || prefix === 'sa') {
    const m = /^([^/:]+)[/:]([^/:]+)$/.exec(rest);
    if (!m) throw new Error(`service account ${JSON.stringify(t)} must be written ${prefix}:NAMESPACE/NAME`);
    return { kind: 'ServiceAccount', namespace: m[1] as string, name: m[2] as string };
  }
  return { kind: 'User', name: t };
}

function nonEmpty(name: string, text: string): string {
  if (!name) throw new Error(`subject ${JSON.stringify(text)} has no name`);
  return name;
}
