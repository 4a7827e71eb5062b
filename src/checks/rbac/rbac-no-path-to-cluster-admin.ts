import { describePath } from '../../analysis/rbac/assertions.js';
import { describeSubject, RbacEngine, resolveSubject, subjectKey } from '../../analysis/rbac/engine.js';
import { EscalationGraph } from '../../analysis/rbac/escalation.js';
import { Inventory } from '../../inventory/inventory.js';
import type { InventoryCheck, Violation } from '../types.js';
import { rbacFacts } from './shared.js';

export const rbacNoPathToClusterAdmin: InventoryCheck = {
  id: 'rbac-no-path-to-cluster-admin',
  title: 'No subject can escalate to cluster-admin',
  severity: 'high',
  category: 'rbac',
  controls: ['nsa:A6', 'cis:5.1.1'],
  rationale:
    'Permissions combine: creating a Deployment runs pods as any service account of the namespace, reading Secrets ' +
    'yields tokens, nodes/proxy reaches every pod, bind and impersonate hand out any role. A subject that is not meant ' +
    'to be an administrator but has such a chain is one compromise away from the whole cluster.',
  remediation: 'Break the first step of the chain the finding shows: remove the permission from the role, narrow it with resourceNames, or move it to a RoleBinding in a namespace that enforces Pod Security.',
  appliesTo:
    'subjects of the scanned bindings (Kubernetes\' own defaults excepted, and subjects such as system:kube-controller-manager that ' +
    'Kubernetes\' default bindings alone already give the path); run `kubeharden rbac paths` for the full view',
  scope: 'inventory',
  evaluate(inventory) {
    const { engine, graph } = rbacFacts(inventory);
    const manifestBindings = engine.bindings.filter((b) => 'manifest' in b.origin);
    if (!manifestBindings.length) return { evaluated: 0, violations: [] };
    const g = graph();
    // The same cluster with Kubernetes' default bindings only: a subject that has a path there (the
    // controller-manager reads every Secret by design) owes nothing to the scanned manifests.
    let defaultsOnly: EscalationGraph | undefined;
    const inherent = (id: Parameters<EscalationGraph['pathOf']>[0]) =>
      (defaultsOnly ??= new EscalationGraph(RbacEngine.fromInventory(new Inventory()), inventory)).pathOf(id) !== undefined;
    const violations: Violation[] = [];
    const reported = new Set<string>();
    for (const b of manifestBindings) {
      for (const s of b.subjects) {
        const id = resolveSubject(s, b);
        const key = subjectKey(id);
        if (reported.has(key)) continue;
        const path = g.pathOf(id);
        // Direct holders of `*` on `*` are reported by rbac-cluster-admin-bound-only-where-needed and
        // rbac-rules-avoid-wildcards; system:masters by rbac-no-system-masters-binding.
        if (!path || (path.length === 1 && (path[0]?.vector === 'E25' || path[0]?.vector === 'masters'))) continue;
        if (inherent(id)) continue;
        reported.add(key);
        const object = 'manifest' in b.origin ? b.origin.manifest : undefined;
        violations.push({ path: ['subjects', s.index], object, message: `${describeSubject(id)} can become cluster-admin: ${describePath(path)}` });
      }
    }
    return { evaluated: manifestBindings.length, violations };
  },
};
