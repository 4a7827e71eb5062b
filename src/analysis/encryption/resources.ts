// Resource strings of an EncryptionConfiguration (`secrets`, `deployments.apps`, `*.apps`, `*.`, `*.*`)
// and the rules the API server applies to them (spec/semantics.md 4.1, validation_encryption.go and
// encryptionconfig/config.go).

/** A group/resource pair; `*` is a wildcard. The core group is "". */
export interface GroupResource {
  group: string;
  resource: string;
}

/** `schema.ParseGroupResource`: split at the first dot; no dot means the core group. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot === -1 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

const NO_REST_API = new Set(['apiserveripinfo', 'serviceipallocations', 'servicenodeportallocations']);

/** Why a single resource string is refused by the API server, or undefined when it is valid. */
export function resourceStringProblem(text: string): string | undefined {
  if (text.toLowerCase() !== text) return 'resource name should not contain capital letters';
  if (text === '*') return "use '*.' to encrypt all the resources from core API group or '*.*' to encrypt all resources";
  if (NO_REST_API.has(text)) return 'resources which do not have REST APIs cannot be encrypted';
  const gr = parseGroupResource(text);
  if (gr.group === 'events.k8s.io') {
    return "'*.events.k8s.io' objects are stored using the 'events' API group in etcd; use 'events' instead";
  }
  if (gr.group === 'extensions') return "'extensions' group has been removed and cannot be used for encryption";
  if (gr.group === '*' && gr.resource !== '*') return 'encrypting the same resource across groups is not supported';
  return undefined;
}

function isWildcard(gr: GroupResource): boolean {
  return gr.resource === '*';
}

/** `validateResourceOverlap`: duplicates and overlaps inside one `resources` list. */
export function overlapProblems(list: GroupResource[]): string[] {
  let duplicate = false;
  let overlap = false;
  // Mirrors the Go loop exactly, including that only the first equal pair is skipped as a
  // duplicate: a later equal wildcard pair (`*.*` twice) also counts as an overlap.
  list.forEach((a, i) =>
    list.forEach((b, j) => {
      if (i === j) return;
      if (a.group === b.group && a.resource === b.resource && !duplicate) {
        duplicate = true;
        return;
      }
      if ((a.group === '*' && a.resource === '*') || (a.group === b.group && (isWildcard(a) || isWildcard(b)))) overlap = true;
    }),
  );
  const out: string[] = [];
  if (duplicate) out.push('the same resource cannot be specified multiple times');
  if (overlap) out.push("overlapping resources such as 'secrets' and '*.' in the same resource list are not allowed as they would be masked");
  return out;
}
