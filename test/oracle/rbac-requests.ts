// Request generation for the RBAC oracle: (identity, request) pairs drawn from the roles and
// bindings under test — requests each subject's rules allow, their near misses (another verb,
// name, namespace, subresource or group), and requests picked at random from everything the
// rules mention — so both "allowed" and "denied" answers are exercised at every boundary.

import { identityOf, resolveSubject, subjectKey, type Identity, type RbacEngine, type SubjectId } from '../../src/analysis/rbac/engine.js';
import type { Request } from '../../src/analysis/rbac/rules.js';
import { pick, seededRandom } from './client.js';

export interface OracleRequest {
  identity: Identity;
  /** The subject whose identity this is (for who-can membership). */
  subject?: SubjectId;
  request: Request;
}

const BASE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'bind', 'escalate', 'use', 'approve', 'proxy'];
const BASE_RESOURCES: [string, string][] = [
  ['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['', 'services'], ['', 'namespaces'], ['', 'nodes'], ['', 'serviceaccounts'],
  ['apps', 'deployments'], ['apps', 'daemonsets'], ['batch', 'jobs'], ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'rolebindings'], ['networking.k8s.io', 'networkpolicies'], ['coordination.k8s.io', 'leases'],
  ['example.com', 'widgets'],
];
const BASE_SUBRESOURCES = ['', '', '', 'status', 'exec', 'log', 'scale', 'token', 'proxy', 'eviction', 'finalize'];
const BASE_URLS = ['/healthz', '/healthz/etcd', '/livez', '/readyz', '/metrics', '/metrics/slis', '/version', '/version/', '/api', '/api/v1', '/apis', '/apis/apps', '/openapi/v2', '/logs', '/debug/pprof', '/unknown'];
const BASE_NAMESPACES = ['', 'default', 'kube-system', 'kube-public', 'elsewhere'];
const BASE_NAMES = ['', '', 'some-name', 'kubernetes-dashboard-key-holder'];

/** Identities in group system:nodes are decided by the Node authorizer first, which kubeharden does not model. */
export function decidedByNodeAuthorizer(identity: Identity): boolean {
  return identity.groups.includes('system:nodes') || identity.user.startsWith('system:node:');
}

function concrete(random: () => number, value: string, pool: readonly string[]): string {
  return value === '*' ? pick(random, pool) : value;
}

export function generateRequests(engine: RbacEngine, seed: number, perSubject: number): OracleRequest[] {
  const random = seededRandom(seed);
  const verbs = new Set(BASE_VERBS);
  const resources = new Map<string, [string, string]>(BASE_RESOURCES.map((gr) => [gr.join('/'), gr]));
  const subresources = new Set(BASE_SUBRESOURCES);
  const urls = new Set(BASE_URLS);
  const namespaces = new Set(BASE_NAMESPACES);
  const names = new Set(BASE_NAMES);
  for (const role of engine.roles) {
    if (role.ref.namespace) namespaces.add(role.ref.namespace);
    for (const { rule } of engine.rulesOf(role.ref) ?? []) {
      for (const v of rule.verbs) if (v !== '*') verbs.add(v);
      for (const n of rule.resourceNames) names.add(n);
      for (const u of rule.nonResourceURLs) if (u !== '*') urls.add(u.endsWith('*') ? u.replace(/\*+$/, '') + 'x' : u);
      for (const g of rule.apiGroups) {
        for (const r of rule.resources) {
          if (g === '*' || r === '*' || r.startsWith('*/')) continue;
          const [res, sub = ''] = r.split('/');
          resources.set(`${g}/${res}`, [g, res as string]);
          subresources.add(sub);
        }
      }
    }
  }
  for (const b of engine.bindings) if (b.namespace) namespaces.add(b.namespace);
  const verbList = [...verbs];
  const resourceList = [...resources.values()];
  const groupList = [...new Set(resourceList.map(([g]) => g))];
  const subList = [...subresources];
  const urlList = [...urls];
  const nsList = [...namespaces];
  const nameList = [...names];

  // Every subject bound anywhere, plus identities no binding names.
  const subjects = new Map<string, SubjectId>();
  for (const b of engine.bindings) for (const s of b.subjects) {
    const id = resolveSubject(s, b);
    subjects.set(subjectKey(id), id);
  }
  for (const extra of [
    { kind: 'User', name: 'alice' },
    { kind: 'User', name: 'system:anonymous' },
    { kind: 'ServiceAccount', namespace: 'default', name: 'default' },
    { kind: 'ServiceAccount', namespace: 'kube-system', name: 'nobody' },
    { kind: 'Group', name: 'system:authenticated' },
    { kind: 'Group', name: 'system:unauthenticated' },
    { kind: 'Group', name: 'system:serviceaccounts' },
    { kind: 'Group', name: 'system:masters' },
  ] as SubjectId[]) subjects.set(subjectKey(extra), extra);

  const randomRequest = (): Request => {
    if (random() < 0.12) return { type: 'nonResource', verb: random() < 0.8 ? 'get' : pick(random, verbList), path: pick(random, urlList) };
    const [group, resource] = pick(random, resourceList);
    return {
      type: 'resource',
      verb: pick(random, verbList),
      apiGroup: random() < 0.9 ? group : pick(random, groupList),
      resource,
      subresource: pick(random, subList),
      namespace: pick(random, nsList),
      name: pick(random, nameList),
    };
  };

  const out: OracleRequest[] = [];
  for (const subject of subjects.values()) {
    const identity = identityOf(subject);
    if (decidedByNodeAuthorizer(identity)) continue;
    const grants = engine.grantsFor(identity);
    for (let i = 0; i < perSubject; i++) {
      let request: Request;
      const grant = grants.length && random() < 0.6 ? pick(random, grants) : undefined;
      if (!grant) request = randomRequest();
      else {
        const rule = grant.placed.rule;
        if (rule.nonResourceURLs.length) {
          const u = pick(random, rule.nonResourceURLs);
          const path = u === '*' ? pick(random, urlList) : u.endsWith('*') ? u.replace(/\*+$/, '') + pick(random, ['', 'a', 'x/y']) : u;
          request = { type: 'nonResource', verb: concrete(random, pick(random, rule.verbs), verbList), path };
        } else {
          const rawResource = concrete(random, pick(random, rule.resources.length ? rule.resources : ['*']), resourceList.map(([, r]) => r));
          const [res, sub] = rawResource.startsWith('*/') ? [pick(random, resourceList)[1], rawResource.slice(2)] : rawResource.split('/');
          request = {
            type: 'resource',
            verb: concrete(random, pick(random, rule.verbs.length ? rule.verbs : ['*']), verbList),
            apiGroup: concrete(random, pick(random, rule.apiGroups.length ? rule.apiGroups : ['*']), groupList),
            resource: res as string,
            subresource: sub ?? '',
            namespace: grant.scope || pick(random, nsList),
            name: rule.resourceNames.length ? pick(random, rule.resourceNames) : pick(random, nameList),
          };
        }
        // A near miss half of the time: change one attribute.
        if (random() < 0.5) {
          const r = request;
          const which = Math.floor(random() * 5);
          if (r.type === 'nonResource') r.path = which < 2 ? pick(random, urlList) : r.path + '/more';
          else if (which === 0) r.verb = pick(random, verbList);
          else if (which === 1) r.name = pick(random, nameList);
          else if (which === 2) r.namespace = pick(random, nsList);
          else if (which === 3) r.subresource = pick(random, subList);
          else r.apiGroup = pick(random, groupList);
        }
      }
      out.push({ identity, subject, request });
    }
  }
  return out;
}

/** The SubjectAccessReview that asks the real authorizer the same question. */
export function subjectAccessReview(q: OracleRequest): object {
  const r = q.request;
  const spec: Record<string, unknown> = { user: q.identity.user, groups: q.identity.groups };
  if (r.type === 'nonResource') spec.nonResourceAttributes = { verb: r.verb, path: r.path };
  else spec.resourceAttributes = { verb: r.verb, group: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: r.name };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
}
