// The Kubernetes Dashboard and Helm 2's Tiller, recognised by their images. Both were the way
// into many clusters: the Dashboard often runs with a powerful ServiceAccount and is exposed,
// and Tiller serves an unauthenticated gRPC API that installs anything with cluster-admin.

import { podServiceAccount } from '../../analysis/pod/service-account.js';
import { EVERY_CONTAINER, coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';
import { parseImageReference } from './image-reference.js';

/** Last path segment of the image repository → what runs. */
const COMPONENTS: Record<string, string> = {
  dashboard: 'the Kubernetes Dashboard',
  'kubernetes-dashboard': 'the Kubernetes Dashboard',
  'kubernetes-dashboard-amd64': 'the Kubernetes Dashboard',
  'kubernetes-dashboard-arm64': 'the Kubernetes Dashboard',
  'dashboard-web': 'the Kubernetes Dashboard',
  'dashboard-api': 'the Kubernetes Dashboard',
  'dashboard-auth': 'the Kubernetes Dashboard',
  tiller: 'Helm 2 Tiller',
};

function whatRuns(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const ref = parseImageReference(image);
  if ('invalid' in ref) return undefined;
  const parts = ref.name.split('/');
  const last = parts[parts.length - 1]!;
  const owner = parts.slice(0, -1).join('/');
  if (last === 'tiller') return /kubernetes-helm|helm/.test(owner) ? COMPONENTS.tiller : undefined;
  // `dashboard` alone is a common name: only the upstream kubernetesui org counts.
  if (last.startsWith('dashboard')) return /(^|\/)kubernetesui$/.test(owner) ? COMPONENTS[last] : undefined;
  return COMPONENTS[last];
}

export const clusterNoDashboardOrTiller: PodCheck = {
  id: 'cluster-no-dashboard-or-tiller',
  title: 'The Kubernetes Dashboard and Helm 2 Tiller are not deployed',
  severity: 'high',
  category: 'workload',
  controls: ['nsa:U4', 'nsa:A6'],
  rationale:
    'Tiller (Helm 2, unsupported since 2020) accepts unauthenticated requests from any pod and installs charts with its ' +
    'usually cluster-wide privileges. The Dashboard is a web front end to the API whose ServiceAccount, when given broad ' +
    'rights or skip-login, hands them to whoever reaches it.',
  remediation:
    'Remove Tiller (migrate to Helm 3, which has no server side). Remove the Dashboard, or keep it reachable only through ' +
    'kubectl proxy/port-forward, with login required and a ServiceAccount that has no rights of its own.',
  appliesTo: 'container images of pod specs',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: { pass: 'image: registry.example/app:1.2.3', fail: 'image: kubernetesui/dashboard:v2.7.0' },
  evaluate(pod) {
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, clusterNoDashboardOrTiller)) {
      const what = whatRuns(c.container.image);
      if (!what) continue;
      const sa = podServiceAccount(pod);
      out.push({
        path: [...c.path, 'image'],
        message: `container "${c.name}" runs ${what} (${String(c.container.image)}) under ServiceAccount "${sa.name ?? 'default'}"; check what that account may do`,
      });
    }
    return out;
  },
};
