// A finding's fingerprint: stable across runs and reformatting (check + resource + path), so
// baselines and suppressions survive edits to the YAML around a finding.

import { hash } from 'node:crypto';

/** The identity of a resource as a fingerprint sees it. */
export interface FingerprintedResource {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Stable across runs and reformatting: the check, the resource's identity and the field path. */
export function fingerprint(checkId: string, object: FingerprintedResource, path: string): string {
  // The first 8 bytes written as hex: a fresh 16-character string, not a view into a 64-character one.
  return hash('sha256', [checkId, object.group, object.kind, object.namespace ?? '', object.name, path].join('\u0000'), 'buffer').toString('hex', 0, 8);
}
