// The AdmissionReview (admission.k8s.io/v1) envelope: reading a request, writing a response.
// https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
// (request and response shapes; k8s.io/api admission/v1 types.go).

import { isMapping } from '../inventory/model.js';
import type { Finding } from '../result/result.js';

const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export interface AdmissionRequest {
  uid: string;
  operation: string;
  kind: string;
  namespace?: string;
  name?: string;
  /** request.object; undefined for DELETE (the API server sends oldObject only). */
  object?: unknown;
  dryRun: boolean;
}

export class BadReview extends Error {}

/** Reads the envelope; a request that is not an AdmissionReview v1 is a BadReview (answered 400). */
export function readReview(body: string): AdmissionRequest {
  let review: unknown;
  try {
    review = JSON.parse(body);
  } catch (err) {
    throw new BadReview(`the body is not JSON: ${(err as Error).message}`);
  }
  if (!isMapping(review)) throw new BadReview('the body is not a JSON object');
  if (review.apiVersion !== ADMISSION_API_VERSION || review.kind !== 'AdmissionReview') {
    throw new BadReview(
      `expected apiVersion ${ADMISSION_API_VERSION}, kind AdmissionReview; got ${JSON.stringify(review.apiVersion)}, ${JSON.stringify(review.kind)} ` +
        '(set admissionReviewVersions: [v1] in the webhook configuration)',
    );
  }
  const request = review.request;
  if (!isMapping(request)) throw new BadReview('the AdmissionReview has no request');
  if (typeof request.uid !== 'string' || request.uid === '') throw new BadReview('the AdmissionReview request has no uid');
  if (typeof request.operation !== 'string') throw new BadReview('the AdmissionReview request has no operation');
  const kind = isMapping(request.kind) && typeof request.kind.kind === 'string' ? request.kind.kind : '';
  return {
    uid: request.uid,
    operation: request.operation,
    kind,
    ...(typeof request.namespace === 'string' && request.namespace ? { namespace: request.namespace } : {}),
    ...(typeof request.name === 'string' && request.name ? { name: request.name } : {}),
    object: request.object ?? undefined,
    dryRun: request.dryRun === true,
  };
}

export interface AdmissionVerdict {
  allowed: boolean;
  /** On deny: the Status message. */
  message?: string;
  warnings?: string[];
}

export function reviewResponse(uid: string, verdict: AdmissionVerdict): Record<string, unknown> {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: verdict.allowed,
      ...(verdict.allowed ? {} : { status: { code: 403, reason: 'Forbidden', message: verdict.message ?? 'denied by kubeharden' } }),
      ...(verdict.warnings?.length ? { warnings: verdict.warnings } : {}),
    },
  };
}

// Bounds on what goes back to the client. k8s.io/api admission/v1 AdmissionResponse.Warnings:
// "Limit warnings to 120 characters if possible. Warnings over 256 characters and large numbers
// of warnings may be truncated"; the admission webhook docs add that once more than 4096
// characters of warnings are added to a response, further warnings are ignored.
export const MAX_WARNING_CHARS = 120;
const MAX_WARNINGS_TOTAL_CHARS = 4096;
/** The denial message travels back in a Status and is printed by kubectl: a screenful at most. */
const MAX_MESSAGE_CHARS = 4096;
const MAX_LINE_CHARS = 400;

/** One finding as a line: `CHECK-ID PATH: MESSAGE`. */
export function findingLine(f: Pick<Finding, 'check' | 'message' | 'location'>): string {
  return `${f.check} ${f.location.path || '(object)'}: ${f.message}`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** Lines under a heading, clipped each and in total, ending with how many were left out. */
export function boundedList(heading: string, lines: readonly string[], maxChars = MAX_MESSAGE_CHARS): string {
  const reserve = 40; // room for the "… and N more" line
  let out = heading;
  for (let i = 0; i < lines.length; i++) {
    const line = '\n- ' + clip(lines[i] as string, MAX_LINE_CHARS);
    if (out.length + line.length > maxChars - reserve) return `${out}\n… and ${lines.length - i} more`;
    out += line;
  }
  return out;
}

/** Warnings of at most 120 characters each, 4096 in all; the last one says how many were left out. */
export function boundedWarnings(lines: readonly string[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const warning = clip(lines[i] as string, MAX_WARNING_CHARS);
    // Keep room for the "and N more" line.
    if (total + warning.length + MAX_WARNING_CHARS > MAX_WARNINGS_TOTAL_CHARS && i < lines.length - 1) {
      out.push(`kubeharden: … and ${lines.length - i} more finding(s)`);
      return out;
    }
    out.push(warning);
    total += warning.length;
  }
  return out;
}
