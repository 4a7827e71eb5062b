// kube-linter required-label-owner / required-annotation-email, as a policy the user writes in
// .kubeharden.yaml (requiredLabels, requiredAnnotations). Off until the config names one.

import type { InventoryCheck, Violation } from '../types.js';
import { POD_BEARING_KINDS } from '../../inventory/pod-specs.js';

export const objectHasRequiredMetadata: InventoryCheck = {
  id: 'object-has-required-metadata',
  title: 'Objects carry the labels and annotations the configuration requires',
  severity: 'low',
  category: 'workload',
  controls: ['nsa:A10'],
  rationale:
    'Ownership and classification labels (owner, team, data class) are how an incident reaches the right people and how ' +
    'policies select workloads; a policy nobody can query is not enforced.',
  remediation: 'Add the label or annotation the finding names, with a value that matches the configured pattern.',
  appliesTo: 'objects of the kinds each requiredLabels / requiredAnnotations entry names (default: the kinds that carry pods)',
  scope: 'inventory',
  examples: {
    pass: 'kind: Deployment\nmetadata:\n  labels: {owner: payments}',
    fail: 'kind: Deployment\nmetadata:\n  labels: {app: web}',
    config: 'requiredLabels:\n- key: owner',
  },
  evaluate(inventory, ctx) {
    if (ctx.requiredMetadata.length === 0) return { skip: 'no requiredLabels or requiredAnnotations in the configuration' };
    const violations: Violation[] = [];
    let evaluated = 0;
    const kindsOf = (kinds: string[] | undefined) => kinds ?? POD_BEARING_KINDS.filter((k) => k !== 'PodTemplate');
    const kinds = new Set(ctx.requiredMetadata.flatMap((r) => kindsOf(r.kinds)));
    for (const kind of kinds) {
      for (const object of inventory.ofKind(kind)) {
        evaluated++;
        for (const rule of ctx.requiredMetadata.filter((r) => kindsOf(r.kinds).includes(kind))) {
          const map = rule.in === 'labels' ? object.labels : object.annotations;
          const value = map[rule.key];
          const what = rule.in === 'labels' ? 'label' : 'annotation';
          if (value === undefined) {
            violations.push({ object, path: ['metadata', rule.in], message: `${kind} ${object.name} has no ${what} "${rule.key}"` });
          } else if (rule.value !== undefined && !new RegExp(`^(?:${rule.value})$`).test(value)) {
            violations.push({ object, path: ['metadata', rule.in, rule.key], message: `${what} "${rule.key}" is "${value}", which does not match ${rule.value}` });
          }
        }
      }
    }
    return { evaluated, violations };
  },
};
