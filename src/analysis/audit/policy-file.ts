// Reading an audit policy file (the one --audit-policy-file names, or one a user points at) as
// the API server does: one audit.k8s.io Policy, validated. For `audit-policy explain` and for
// a node scan that finds the file through the API server's flags.

import { Inventory } from '../../inventory/inventory.js';
import type { InventoryObject } from '../../inventory/model.js';
import { addText } from '../../inventory/parse-manifest.js';
import { isAuditPolicy, parsePolicy, type AuditPolicy, type PolicyProblem } from './policy.js';

export type PolicyFile =
  | { ok: true; policy: AuditPolicy; object: InventoryObject }
  | { ok: false; message: string; problems?: PolicyProblem[] };

export function readAuditPolicyText(text: string, file: string): PolicyFile {
  const inventory = new Inventory();
  addText(inventory, file, text, 0);
  const unreadable = inventory.problems.filter((p) => p.level === 'error');
  if (unreadable.length) {
    return { ok: false, message: `${file}: ${unreadable.map((p) => (p.line ? `line ${p.line}: ` : '') + p.message).join('; ')}` };
  }
  const policies = inventory.objects.filter(isAuditPolicy);
  if (!policies.length) {
    const kinds = inventory.objects.map((o) => `${o.apiVersion} ${o.kind}`);
    return { ok: false, message: `${file} holds no audit Policy (apiVersion audit.k8s.io/v1, kind Policy)${kinds.length ? `; it holds ${kinds.join(', ')}` : ''}` };
  }
  if (policies.length > 1) return { ok: false, message: `${file} holds ${policies.length} audit Policies; the API server reads exactly one` };
  const object = policies[0]!;
  const parsed = parsePolicy(object.raw);
  if (!parsed.ok) return { ok: false, message: `${file} is not a valid audit Policy (the API server would refuse to start)`, problems: parsed.problems };
  return { ok: true, policy: parsed.policy, object };
}
