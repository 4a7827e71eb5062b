// Audit events → what the authorizer saw (audit-event.ts), and their aggregation with stage
// de-duplication (evidence.ts). Worked examples, each with the event fields that decide it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { observationsFrom, type Observation } from '../../../src/analysis/rbac/audit-event.js';
import { Evidence, NAMES_KEPT, PENDING_LIMIT } from '../../../src/analysis/rbac/evidence.js';

const SA = { username: 'system:serviceaccount:team:app', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] };

function event(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: 'id-1',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/team/configmaps/cfg',
    verb: 'get',
    user: SA,
    objectRef: { resource: 'configmaps', namespace: 'team', name: 'cfg', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2026-12-06T01:00:00.000000Z',
    stageTimestamp: '2026-12-06T01:00:00.010000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...fields,
  };
}

function one(fields: Record<string, unknown>): Observation {
  const parsed = observationsFrom(event(fields));
  assert.equal(parsed.error, undefined);
  assert.equal(parsed.observations.length, 1);
  return parsed.observations[0]!;
}

test('a namespaced get: the attributes of objectRef, outcome from the authorizer annotation', () => {
  const o = one({});
  assert.deepEqual(o.request, { type: 'resource', verb: 'get', apiGroup: '', resource: 'configmaps', subresource: '', namespace: 'team', name: 'cfg' });
  assert.equal(o.outcome, 'allowed');
  assert.equal(o.user, SA.username);
});

test('create of a collection: the authorizer sees no name, though Metadata-level audit fills it from the body', () => {
  const o = one({ verb: 'create', requestURI: '/api/v1/namespaces/team/configmaps', objectRef: { resource: 'configmaps', namespace: 'team', name: 'made-by-app' } });
  assert.equal(o.request.type === 'resource' && o.request.name, '');
});

test('create on a subresource keeps the parent name (pods/exec, serviceaccounts/token are name-restrictable)', () => {
  const o = one({ verb: 'create', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'team', name: 'web-0' } });
  assert.equal(o.request.type === 'resource' && o.request.name, 'web-0');
});

test('list with fieldSelector metadata.name carries the name, as the authorizer sees it; a plain list has none', () => {
  const selected = one({ verb: 'list', objectRef: { resource: 'secrets', namespace: 'team', name: 's1' } });
  assert.equal(selected.request.type === 'resource' && selected.request.name, 's1');
  const plain = one({ verb: 'list', objectRef: { resource: 'secrets', namespace: 'team' } });
  assert.equal(plain.request.type === 'resource' && plain.request.name, '');
});

test('GET /api/v1/namespaces/foo is a request in namespace foo', () => {
  const o = one({ objectRef: { resource: 'namespaces', name: 'foo' } });
  assert.equal(o.request.type === 'resource' && o.request.namespace, 'foo');
});

test('non-resource requests: the path without its query, the lower-case method as verb', () => {
  const o = one({ objectRef: undefined, requestURI: '/metrics?x=1', verb: 'get' });
  assert.deepEqual(o.request, { type: 'nonResource', verb: 'get', path: '/metrics' });
});

test('outcome: forbid → denied; 403 after an allow (admission) → allowed; 403 without a decision → denied; 401 → unauthenticated', () => {
  assert.equal(one({ annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } }).outcome, 'denied');
  assert.equal(one({ responseStatus: { code: 403 } }).outcome, 'allowed');
  assert.equal(one({ annotations: {}, responseStatus: { code: 403 } }).outcome, 'denied');
  assert.equal(one({ annotations: {}, responseStatus: { code: 401 } }).outcome, 'unauthenticated');
  assert.equal(one({ annotations: {}, responseStatus: { code: 429 } }).outcome, 'allowed');
  assert.equal(one({ stage: 'RequestReceived', annotations: undefined, responseStatus: undefined }).outcome, 'unknown');
});

test('impersonation: the request is the impersonated user’s; the impersonator needs impersonate on each part', () => {
  const parsed = observationsFrom(
    event({
      user: { username: 'alice', groups: ['system:authenticated'] },
      impersonatedUser: { username: 'system:serviceaccount:team:app', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated', 'ops'], extra: { scopes: ['view'] } },
    }),
  );
  assert.equal(parsed.error, undefined);
  const [main, ...imp] = parsed.observations;
  assert.equal(main!.user, 'system:serviceaccount:team:app');
  assert.deepEqual(
    imp.map((o) => (o.request.type === 'resource' ? `${o.user} ${o.request.verb} ${o.request.resource}/${o.request.subresource} ${o.request.namespace}/${o.request.name}` : '')),
    ['alice impersonate serviceaccounts/ team/app', 'alice impersonate groups/ /ops', 'alice impersonate userextras/scopes /view'],
  );
});

test('EventList batches of the webhook backend; a bad item is reported and the good ones kept', () => {
  const parsed = observationsFrom({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [event({ auditID: 'a' }), { stage: 'Nope' }, event({ auditID: 'b' })] });
  assert.equal(parsed.observations.length, 2);
  assert.match(parsed.error ?? '', /1 of 3 events unreadable, first items\[1\]: stage "Nope"/);
});

test('not an audit event: other kinds, other apiVersions, missing user or verb, wrong types', () => {
  for (const [value, message] of [
    [42, /not a JSON object/],
    [{ kind: 'Pod', apiVersion: 'v1' }, /apiVersion "v1"/],
    [event({ kind: 'Policy' }), /kind "Policy"/],
    [event({ user: {} }), /no user.username/],
    [event({ verb: '' }), /no verb/],
    [event({ user: { username: 'u', groups: 'x' } }), /groups/],
    [event({ objectRef: { resource: 7 } }), /objectRef.resource/],
    [event({ objectRef: undefined, requestURI: 'nope' }), /requestURI/],
  ] as const) {
    assert.match(observationsFrom(value).error ?? '', message);
  }
});

function feed(evidence: Evidence, fields: Record<string, unknown>): void {
  evidence.addEvent(observationsFrom(event(fields)).observations);
}

test('stages of one request are counted once: at ResponseComplete, else once from the last early stage', () => {
  const e = new Evidence();
  feed(e, { auditID: 'r1', stage: 'RequestReceived', annotations: undefined, responseStatus: undefined });
  feed(e, { auditID: 'r1', stage: 'ResponseComplete' });
  // A watch still open when the log ends: RequestReceived + ResponseStarted, no ResponseComplete.
  feed(e, { auditID: 'w1', verb: 'watch', stage: 'RequestReceived', objectRef: { resource: 'configmaps', namespace: 'team' }, annotations: undefined, responseStatus: undefined });
  feed(e, { auditID: 'w1', verb: 'watch', stage: 'ResponseStarted', objectRef: { resource: 'configmaps', namespace: 'team' } });
  // The same final event read twice (a log and its copy).
  feed(e, { auditID: 'r1', stage: 'ResponseComplete' });
  e.finish();
  assert.deepEqual({ events: e.stats.events, requests: e.stats.requests, dup: e.stats.duplicateStages, open: e.stats.withoutFinalStage }, { events: 5, requests: 2, dup: 3, open: 1 });
  const shapes = [...e.subjects.get(SA.username)!.allowed.values()];
  assert.deepEqual(shapes.map((s) => [s.request.verb, s.count]).sort(), [['get', 1], ['watch', 1]]);
  assert.deepEqual(e.stats.window, { from: '2026-12-06T01:00:00.000000Z', to: '2026-12-06T01:00:00.010000Z' });
});

test('early stages held waiting for their final stage are bounded: the oldest is counted when the limit is reached', () => {
  const e = new Evidence();
  for (let i = 0; i <= PENDING_LIMIT; i++) feed(e, { auditID: `p${i}`, stage: 'RequestReceived', annotations: undefined, responseStatus: undefined });
  assert.equal(e.stats.requests, 1, 'the oldest was counted to make room');
  feed(e, { auditID: 'p0', stage: 'ResponseComplete' });
  e.finish();
  // p0 was counted when flushed and again at its ResponseComplete: the documented cost of the bound.
  assert.equal(e.stats.requests, PENDING_LIMIT + 2);
});

test('names are kept up to NAMES_KEPT per shape, then the shape is marked as having many', () => {
  const e = new Evidence();
  for (let i = 0; i < NAMES_KEPT + 3; i++) feed(e, { auditID: `n${i}`, objectRef: { resource: 'configmaps', namespace: 'team', name: `cm-${i}` } });
  const shape = [...e.subjects.get(SA.username)!.allowed.values()][0]!;
  assert.equal(shape.count, NAMES_KEPT + 3);
  assert.equal(shape.names.size, NAMES_KEPT);
  assert.equal(shape.manyNames, true);
});

test('denied requests are kept apart from allowed ones; 401s are nobody’s', () => {
  const e = new Evidence();
  feed(e, { auditID: 'd1', annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } });
  feed(e, { auditID: 'u1', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, annotations: {}, responseStatus: { code: 401 } });
  const s = e.subjects.get(SA.username)!;
  assert.equal(s.allowed.size, 0);
  assert.equal(s.denied.size, 1);
  assert.equal(e.stats.unauthenticated, 1);
  assert.equal(e.subjects.has('system:anonymous'), false);
});
