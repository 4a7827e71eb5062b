import { describeObject, jsonPointer } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';

export const defaultServiceAccountTokenNotAutomounted: InventoryCheck = {
  id: 'default-service-account-token-not-automounted',
  title: 'The "default" ServiceAccount does not automount its token',
  severity: 'medium',
  category: 'workload',
  controls: ['cis:5.1.5'],
  rationale:
    'Every namespace has a ServiceAccount named "default" that pods use when they name none. With ' +
    'automountServiceAccountToken unset or true, each such pod gets its token mounted. CIS 5.1.5 asks that ' +
    'the default ServiceAccounts set automountServiceAccountToken: false, so that pods must opt in to a ' +
    'token through a dedicated ServiceAccount.',
  remediation:
    'Set automountServiceAccountToken: false on the ServiceAccount named "default" in every namespace ' +
    '(and do not bind Roles to it).',
  appliesTo: 'ServiceAccounts named "default"',
  scope: 'inventory',
  examples: {
    pass: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\nautomountServiceAccountToken: false',
    fail: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}',
  },
  evaluate(inventory) {
    const defaults = inventory.ofKind('ServiceAccount').filter((sa) => sa.name === 'default');
    if (defaults.length === 0) return { skip: 'the input has no ServiceAccount named "default"' };
    const violations: Violation[] = [];
    for (const sa of defaults) {
      const value = sa.raw.automountServiceAccountToken;
      if (value === false) continue;
      violations.push({
        object: sa,
        path: ['automountServiceAccountToken'],
        message:
          value === true
            ? `${describeObject(sa)} sets automountServiceAccountToken: true; set it to false`
            : `${describeObject(sa)} does not set automountServiceAccountToken, so pods using it get its token; set it to false`,
        fix: [{ op: 'add', path: jsonPointer(['automountServiceAccountToken']), value: false }],
      });
    }
    return { evaluated: defaults.length, violations };
  },
};
