// Evidence of what subjects did, aggregated from audit events as they stream by: per user, one
// entry per distinct request shape (namespace, group, resource, subresource, verb — or URL and
// verb) with a count and the object names seen. Events are never kept, so memory grows with the
// number of distinct shapes and names, not with the length of the logs.
//
// De-duplication by stage: the API server writes up to four events per request (RequestReceived,
// ResponseStarted for long-running requests, ResponseComplete, Panic), all with the same auditID.
// A request is counted once: at its final stage (ResponseComplete or Panic), or — when the logs
// hold no final stage for it (a watch still open when the log ends, a policy that omits
// ResponseComplete) — once, from the latest early stage seen, when the logs end. Early stages
// waiting for their final stage are held at most PENDING_LIMIT at a time (the oldest is then
// counted as it is); final auditIDs are remembered for the last RECENT_LIMIT requests, so the
// same event read twice (a log and its copy, log and webhook backends) is counted once when the
// copies are that close.

import type { Observation, Outcome } from './audit-event.js';
import type { Request } from './rules.js';

export const PENDING_LIMIT = 100_000;
export const RECENT_LIMIT = 100_000;
/** Names kept per request shape; past it the shape is marked as having "many" names. */
export const NAMES_KEPT = 64;

export interface ShapeEvidence {
  /** The request with name "" (the shape). */
  request: Request;
  count: number;
  /** Requests of this shape that carried no name (collection requests). */
  unnamed: number;
  /** name → count, at most NAMES_KEPT names. */
  names: Map<string, number>;
  /** True when more than NAMES_KEPT distinct names were seen. */
  manyNames: boolean;
}

export interface SubjectEvidence {
  user: string;
  groups: Set<string>;
  allowed: Map<string, ShapeEvidence>;
  denied: Map<string, ShapeEvidence>;
  first?: string;
  last?: string;
}

export interface EvidenceStats {
  /** Audit events read (each stage of each request is one). */
  events: number;
  /** Requests counted after de-duplication by auditID and stage. */
  requests: number;
  /** Events not counted because another stage (or a copy) of the same request was counted. */
  duplicateStages: number;
  /** Requests whose logs hold no final stage (counted from an early stage). */
  withoutFinalStage: number;
  /** 401s: never reached the authorizer, not counted for any subject. */
  unauthenticated: number;
  denied: number;
  /** Earliest requestReceivedTimestamp and latest stageTimestamp seen. */
  window: { from?: string; to?: string };
}

export function shapeKey(req: Request): string {
  return req.type === 'nonResource'
    ? `U\0${req.path}\0${req.verb}`
    : `R\0${req.namespace}\0${req.apiGroup}\0${req.resource}\0${req.subresource}\0${req.verb}`;
}

/** Orders RFC 3339 timestamps; Date keeps milliseconds only, so ties fall back to the text (same format). */
function compareTimes(a: string, b: string): number {
  // The API server writes one format (2026-12-06T01:02:03.123456Z): then the text orders them, and fast.
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return a < b ? -1 : a > b ? 1 : 0;
  const d = Date.parse(a) - Date.parse(b);
  return d !== 0 && !Number.isNaN(d) ? d : a < b ? -1 : a > b ? 1 : 0;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareTimes(b, a) < 0 ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareTimes(b, a) > 0 ? b : a;
}

export class Evidence {
  readonly subjects = new Map<string, SubjectEvidence>();
  readonly stats: EvidenceStats = { events: 0, requests: 0, duplicateStages: 0, withoutFinalStage: 0, unauthenticated: 0, denied: 0, window: {} };
  /** auditID → the early-stage observations of a request not yet completed. */
  private readonly pending = new Map<string, Observation[]>();
  private readonly recentFinal = new Set<string>();
  /** The same IDs in the order they came, as a ring, so the oldest is dropped in constant time. */
  private readonly recentRing: string[] = new Array<string>(RECENT_LIMIT);
  private recentNext = 0;

  /** Adds the observations of one event (one request; more than one when it was impersonated). */
  addEvent(observations: Observation[]): void {
    const first = observations[0];
    if (!first) return;
    this.stats.events++;
    this.stats.window.from = earlier(this.stats.window.from, first.received ?? first.completed);
    this.stats.window.to = later(this.stats.window.to, first.completed ?? first.received);
    const id = first.auditID;
    if (!id) return this.count(observations);
    if (this.recentFinal.has(id)) {
      this.stats.duplicateStages++;
      return;
    }
    if (first.final) {
      if (this.pending.delete(id)) this.stats.duplicateStages++;
      this.rememberFinal(id);
      return this.count(observations);
    }
    // An early stage: hold the latest one (ResponseStarted knows the outcome, RequestReceived does not).
    if (this.pending.has(id)) this.stats.duplicateStages++;
    else if (this.pending.size >= PENDING_LIMIT) this.flushOldest();
    this.pending.delete(id);
    this.pending.set(id, observations);
  }

  /** Counts the requests whose logs hold no final stage; call once after the last event. */
  finish(): void {
    for (const observations of this.pending.values()) {
      this.stats.withoutFinalStage++;
      this.count(observations);
    }
    this.pending.clear();
  }

  private flushOldest(): void {
    const oldest = this.pending.keys().next();
    if (oldest.done) return;
    const observations = this.pending.get(oldest.value)!;
    this.pending.delete(oldest.value);
    this.stats.withoutFinalStage++;
    this.count(observations);
  }

  private rememberFinal(id: string): void {
    const dropped = this.recentRing[this.recentNext];
    if (dropped !== undefined) this.recentFinal.delete(dropped);
    this.recentRing[this.recentNext] = id;
    this.recentNext = (this.recentNext + 1) % RECENT_LIMIT;
    this.recentFinal.add(id);
  }

  private count(observations: Observation[]): void {
    this.stats.requests++;
    for (const o of observations) this.record(o, o.outcome);
  }

  private record(o: Observation, outcome: Outcome): void {
    if (outcome === 'unauthenticated') {
      this.stats.unauthenticated++;
      return;
    }
    if (outcome === 'denied') this.stats.denied++;
    let subject = this.subjects.get(o.user);
    if (!subject) this.subjects.set(o.user, (subject = { user: o.user, groups: new Set(), allowed: new Map(), denied: new Map() }));
    for (const g of o.groups) subject.groups.add(g);
    subject.first = earlier(subject.first, o.received ?? o.completed);
    subject.last = later(subject.last, o.completed ?? o.received);
    addToShapes(outcome === 'denied' ? subject.denied : subject.allowed, o.request);
  }
}

/** Adds one request to a shape map (also used to merge the evidence of several users). */
export function addToShapes(shapes: Map<string, ShapeEvidence>, request: Request, times = 1, names?: Map<string, number>, unnamed?: number, manyNames = false): void {
  const key = shapeKey(request);
  let shape = shapes.get(key);
  if (!shape) {
    const bare: Request = request.type === 'resource' ? { ...request, name: '' } : request;
    shapes.set(key, (shape = { request: bare, count: 0, unnamed: 0, names: new Map(), manyNames: false }));
  }
  shape.count += times;
  shape.manyNames ||= manyNames;
  const addName = (name: string, n: number) => {
    if (shape.names.has(name)) shape.names.set(name, shape.names.get(name)! + n);
    else if (shape.names.size < NAMES_KEPT) shape.names.set(name, n);
    else shape.manyNames = true;
  };
  if (names) {
    for (const [name, n] of names) addName(name, n);
    shape.unnamed += unnamed ?? 0;
    return;
  }
  const name = request.type === 'resource' ? request.name : '';
  if (request.type === 'resource' && name) addName(name, times);
  else shape.unnamed += times;
}
