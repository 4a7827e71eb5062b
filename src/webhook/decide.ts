// From the text of a request body to the answer: the whole decision of the webhook, with no
// I/O, so it runs in a worker thread (pool.ts) and the server's event loop only moves bytes.

import { isMapping } from '../inventory/model.js';
import { judgeObject, type JudgeOptions } from './judge.js';
import { BadReview, boundedList, boundedWarnings, findingLine, readReview, reviewResponse, type AdmissionRequest, type AdmissionVerdict } from './review.js';

export type WebhookMode = 'deny' | 'warn';

/** Who and where is admitted unjudged: only the operator's config says so (see engine/config.ts). */
export interface RequestExemptions {
  usernames?: readonly string[];
  namespaces?: readonly string[];
}

export interface DecideOptions extends JudgeOptions {
  mode: WebhookMode;
  exemptions?: RequestExemptions;
}

/** What the server sends back, and the one line it logs (never the body: it may hold Secrets). */
export interface Answer {
  status: number;
  body: unknown;
  log?: string;
}

/** The operations an AdmissionReview carries (k8s.io/api admission/v1 Operation). */
const OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export function answerReview(text: string, options: DecideOptions): Answer {
  let request: AdmissionRequest;
  try {
    request = readReview(text);
  } catch (err) {
    if (!(err instanceof BadReview)) throw err;
    return { status: 400, body: { error: `not a valid AdmissionReview: ${err.message}` } };
  }
  const decision = decide(request, options);
  if ('badRequest' in decision) return { status: 400, body: { error: decision.badRequest } };
  const log =
    `kubeharden webhook: ${request.operation} ${request.kind || '(unknown kind)'}${request.subResource ? '/' + request.subResource : ''} ${request.namespace ? request.namespace + '/' : ''}${request.name ?? '(unnamed)'}` +
    ` allowed=${decision.verdict.allowed} findings=${decision.findings}${decision.evaluated ? '' : ` (${decision.note ?? 'not evaluated'})`}${request.dryRun ? ' dryRun' : ''}`;
  return { status: 200, body: reviewResponse(request.uid, decision.verdict), log };
}

type Decision = { verdict: AdmissionVerdict; findings: number; evaluated: boolean; note?: string } | { badRequest: string };

/**
 * Judges one request. A dryRun request is judged like any other: the answer tells the client
 * what a real request would meet. What the webhook does not know (an operation, a kind that is
 * not pod-bearing, a kind spelt otherwise than the API server spells it) is refused, not let
 * through: the webhook's rules send only pod-bearing kinds, so anything else is not the API
 * server speaking, or a configuration that would admit what it means to judge.
 */
export function decide(request: AdmissionRequest, options: DecideOptions): Decision {
  const refuse = (message: string, note: string): Decision => ({ verdict: { allowed: false, message: `kubeharden refused it: ${message}` }, findings: 0, evaluated: false, note });
  if (!OPERATIONS.has(request.operation)) return refuse(`unknown operation ${JSON.stringify(request.operation)} (expected CREATE, UPDATE, DELETE or CONNECT)`, 'unknown operation');
  // DELETE removes a workload, it cannot make one less safe; CONNECT (exec, attach) carries no object.
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return { verdict: { allowed: true }, findings: 0, evaluated: false };
  // The API server always sends the object of a CREATE or UPDATE: a review without one was not
  // sent by an API server.
  if (!isMapping(request.object)) return { badRequest: `not a valid AdmissionReview: request.object of a ${request.operation} must be a JSON object` };
  const exemption = exemptionOf(request, options.exemptions);
  if (exemption) return { verdict: { allowed: true }, findings: 0, evaluated: false, note: exemption };
  if (typeof request.object.kind === 'string' && request.kind !== '' && request.object.kind !== request.kind) {
    return refuse(`the object's kind ${JSON.stringify(request.object.kind)} is not the request's kind ${JSON.stringify(request.kind)}`, 'kind mismatch');
  }
  const judgement = judgeObject(request.object, request.namespace, options);
  if ('exempt' in judgement) return { verdict: { allowed: true }, findings: 0, evaluated: false, note: `exempt: ${judgement.exempt}` };
  if ('tooLarge' in judgement) return refuse(judgement.tooLarge, 'too large to evaluate');
  if (!judgement.evaluated) {
    const kind = typeof request.object.kind === 'string' ? request.object.kind : request.kind;
    return refuse(`${JSON.stringify(kind)} is not a pod-bearing kind kubeharden knows (check the webhook's rules: they should send only pods and workloads)`, 'unknown kind');
  }
  const lines = judgement.blocking.map(findingLine);
  // An object whose fields have the wrong shape, so its pod checks could not run: the API server
  // has already validated the schema of built-in kinds, so this is a custom resource with a loose
  // schema. A scan exits 2 on it, not 0; allowing it would let a malformed sibling field hide a
  // pod template from every check. It is refused (deny mode) or warned about, like a finding.
  const problems = judgement.problems.map((p) => `kubeharden could not evaluate it: ${p}`);
  const all = [...problems, ...lines];
  if (all.length === 0) return { verdict: { allowed: true }, findings: 0, evaluated: true };
  const what = request.namespace ? `${request.kind} ${request.namespace}/${request.name ?? ''}` : `${request.kind} ${request.name ?? ''}`;
  const heading =
    `kubeharden ${options.mode === 'deny' ? 'denied' : 'warns about'} ${what.trim()}: ` +
    (lines.length ? `${lines.length} finding(s) at or above ${options.failOn}` : 'it could not be evaluated') +
    ' (fix them, or ask the cluster operator for an exception in the webhook configuration)';
  if (options.mode === 'warn') return { verdict: { allowed: true, warnings: boundedWarnings(all) }, findings: lines.length, evaluated: true };
  return { verdict: { allowed: false, message: boundedList(heading, all) }, findings: lines.length, evaluated: true };
}

function exemptionOf(request: AdmissionRequest, exemptions: RequestExemptions | undefined): string | undefined {
  if (!exemptions) return undefined;
  if (request.username !== undefined && exemptions.usernames?.includes(request.username)) return `exempt: user ${request.username}`;
  if (request.namespace !== undefined && exemptions.namespaces?.includes(request.namespace)) return `exempt: namespace ${request.namespace}`;
  return undefined;
}
