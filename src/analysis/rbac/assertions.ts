// RBAC scenario tests: a YAML file of assertions ("sa:ci/deployer can create deployments.apps in
// ci", "group:system:authenticated cannot become cluster-admin") checked against the engine.
// The file format is documented in docs/rbac-assertions.md.

import { isMapping } from '../../inventory/model.js';
import { parseDocument, splitDocuments } from '../../inventory/yaml.js';
import { describeGrant, describeSubject, identityOf, type RbacEngine, type SubjectId } from './engine.js';
import type { EscalationGraph, Step } from './escalation.js';
import { buildRequest, describeRequest, parseSubject } from './request.js';
import type { Request } from './rules.js';

export interface Assertion {
  /** 0-based position in the file's `assertions` list. */
  index: number;
  subject: SubjectId;
  groups: string[];
  expect: 'can' | 'cannot';
  /** A request, or the escalation goal. */
  what: Request | 'cluster-admin';
  text: string;
}

export interface AssertionOutcome {
  index: number;
  assertion: string;
  passed: boolean;
  reason: string;
}

const BECOME_CLUSTER_ADMIN = /^become\s+cluster-admin$/;

/** Parses the assertions file; returns the assertions, or the first problem with its place. */
export function parseAssertions(text: string): { assertions: Assertion[] } | { error: string } {
  const chunks = splitDocuments(text);
  if (chunks.length !== 1) return { error: 'the assertions file must be one YAML document' };
  const parsed = parseDocument(chunks[0] as (typeof chunks)[number]);
  if (!parsed.ok) return { error: `line ${parsed.line}: ${parsed.message}` };
  const list = isMapping(parsed.value) ? parsed.value.assertions : undefined;
  if (!Array.isArray(list)) return { error: 'the file needs a top-level `assertions:` list' };
  const assertions: Assertion[] = [];
  for (const [index, raw] of list.entries()) {
    const where = `assertions[${index}]`;
    try {
      assertions.push(parseOne(raw, index));
    } catch (err) {
      return { error: `${where}: ${(err as Error).message}` };
    }
  }
  return { assertions };
}

function parseOne(raw: unknown, index: number): Assertion {
  if (!isMapping(raw)) throw new Error('must be a mapping with subject and can or cannot');
  if (typeof raw.subject !== 'string') throw new Error('needs `subject:` (user:NAME, group:NAME, sa:NAMESPACE/NAME)');
  const hasCan = raw.can !== undefined;
  const hasCannot = raw.cannot !== undefined;
  if (hasCan === hasCannot) throw new Error('needs exactly one of `can:` or `cannot:`');
  const expect = hasCan ? 'can' : 'cannot';
  const phrase = String(hasCan ? raw.can : raw.cannot).trim();
  const groups = raw.groups === undefined ? [] : raw.groups;
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new Error('`groups:` must be a list of group names');
  const optional = (key: string) => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new Error(`\`${key}:\` must be a string`);
    return v;
  };
  const subject = parseSubject(raw.subject);
  let what: Assertion['what'];
  if (BECOME_CLUSTER_ADMIN.test(phrase)) {
    if (expect === 'can') throw new Error('"can: become cluster-admin" is not supported; assert "cannot: become cluster-admin"');
    what = 'cluster-admin';
  } else {
    const words = phrase.split(/\s+/);
    if (words.length !== 2) throw new Error(`"${phrase}" must be "VERB RESOURCE" (e.g. "create deployments.apps") or "become cluster-admin"`);
    what = buildRequest({
      verb: words[0] as string,
      resource: words[1] as string,
      subresource: optional('subresource'),
      namespace: optional('namespace'),
      name: optional('name'),
    });
  }
  const text = `${describeSubject(subject)} ${expect} ${what === 'cluster-admin' ? 'become cluster-admin' : describeRequest(what)}`;
  return { index, subject, groups: groups as string[], expect, what, text };
}

export function checkAssertions(engine: RbacEngine, graph: EscalationGraph, assertions: Assertion[]): AssertionOutcome[] {
  return assertions.map((a) => {
    const base = identityOf(a.subject);
    const identity = { user: base.user, groups: [...new Set([...base.groups, ...a.groups])] };
    if (a.what === 'cluster-admin') {
      // The subject's own grants, or those of any group it is in, may lead there.
      const candidates: SubjectId[] = [a.subject, ...identity.groups.map((name) => ({ kind: 'Group' as const, name }))];
      const path = candidates.map((s) => graph.pathOf(s)).find((p) => p !== undefined);
      const masters = identity.groups.includes('system:masters');
      const passed = !path && !masters;
      return { index: a.index, assertion: a.text, passed, reason: passed ? 'no escalation path found' : masters ? 'is in group system:masters' : describePath(path as Step[]) };
    }
    const decision = engine.authorize(identity, a.what);
    const passed = decision.allowed === (a.expect === 'can');
    let reason: string;
    if (decision.allowed) {
      reason = decision.masters ? 'allowed: member of system:masters' : `allowed by ${decision.grants.map(describeGrant).join('; ')}`;
    } else {
      reason = 'no binding grants it';
    }
    return { index: a.index, assertion: a.text, passed, reason };
  });
}

export function describePath(steps: Step[]): string {
  return steps.map((s, i) => `${i + 1}. ${s.action} → ${s.grants} [${s.vector}] via ${s.via}`).join('; ');
}
