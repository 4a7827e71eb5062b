import { countObjects, describePod, type InventoryObject, type PodTarget } from '../../inventory/model.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { CheckContext, InventoryCheck, Violation } from '../types.js';

/** RuntimeClass handlers of sandboxed runtimes: gVisor (`runsc`, GKE's `gvisor`) and Kata Containers (`kata*`). */
function isSandboxHandler(handler: string): boolean {
  return handler === 'runsc' || handler === 'gvisor' || handler === 'kata' || handler.startsWith('kata-');
}

export const untrustedWorkloadSandboxed: InventoryCheck = {
  id: 'untrusted-workload-sandboxed',
  title: 'Untrusted workloads run in a sandboxed runtime',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:P15'],
  rationale:
    'Ordinary containers share the node\'s kernel, so one kernel bug lets code in a container take the node. ' +
    'Sandboxed runtimes (gVisor, Kata Containers) put a user-space kernel or a lightweight VM between the ' +
    'workload and the host. The NSA/CISA guidance recommends them where stronger isolation is needed. ' +
    'Only the workloads you mark untrusted in the configuration (`untrusted:` selectors) are checked; ' +
    'with none marked, the check is skipped rather than passed.',
  remediation:
    'Install a sandboxed runtime on (some) nodes, create a RuntimeClass for it (handler runsc or kata…), and ' +
    'set spec.runtimeClassName on the untrusted workloads. List the RuntimeClass under sandboxRuntimeClasses ' +
    'in the configuration if its object is not part of the scan.',
  appliesTo: 'pod specs the configuration marks untrusted, and RuntimeClasses',
  scope: 'inventory',
  examples: {
    pass: 'metadata: {namespace: tenants}\nspec:\n  runtimeClassName: gvisor\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
    fail: 'metadata: {namespace: tenants}\nspec:\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
    config: 'untrusted:\n- namespace: tenants',
  },
  evaluate(inventory, ctx) {
    const untrusted = inventory.pods.filter((pod) => ctx.isUntrusted(pod));
    if (untrusted.length === 0) {
      return { skip: 'no workload is marked untrusted in the configuration (`untrusted:` selectors), so there is nothing that must be sandboxed' };
    }
    const violations: Violation[] = [];
    for (const pod of untrusted) {
      const problem = sandboxProblem(pod, inventory, ctx);
      if (problem) violations.push({ object: pod.object, path: [...pod.specPath, 'runtimeClassName'], message: `${describePod(pod)} is marked untrusted but ${problem}` });
    }
    return { evaluated: countObjects(untrusted), violations };
  },
};

/** Why the pod is not sandboxed, or undefined when it is. */
function sandboxProblem(pod: PodTarget, inventory: Inventory, ctx: CheckContext): string | undefined {
  const runtimeClass = pod.spec.runtimeClassName;
  if (typeof runtimeClass !== 'string' || runtimeClass === '') {
    return 'sets no runtimeClassName, so it runs in the node\'s default (unsandboxed) runtime; set a sandboxed RuntimeClass';
  }
  if (ctx.sandboxRuntimeClasses.includes(runtimeClass)) return undefined;
  // RuntimeClass is cluster-scoped: match by name whatever namespace a manifest wrote.
  const object: InventoryObject | undefined = inventory.ofKind('RuntimeClass').find((rc) => rc.name === runtimeClass);
  if (!object) {
    return `uses RuntimeClass "${runtimeClass}", which is neither in sandboxRuntimeClasses nor in the input, so its handler is unknown; if it is a sandbox, add it to sandboxRuntimeClasses`;
  }
  const handler = object.raw.handler;
  if (typeof handler === 'string' && isSandboxHandler(handler)) return undefined;
  return `uses RuntimeClass "${runtimeClass}" whose handler ${typeof handler === 'string' ? `"${handler}"` : '(unset)'} is not a sandboxed runtime (runsc, gvisor, kata*)`;
}
