import type { PodCheck } from '../types.js';
import { isMirrorPod, podServiceAccount } from '../../analysis/pod/service-account.js';

export const podUsesDedicatedServiceAccount: PodCheck = {
  id: 'pod-uses-dedicated-service-account',
  title: 'Pods run under their own ServiceAccount, not "default"',
  severity: 'low',
  category: 'workload',
  controls: ['cis:5.1.5', 'nsa:A9'],
  rationale:
    'Every pod that names no ServiceAccount runs as the namespace\'s "default" one. Permissions granted to ' +
    '"default" for one workload then reach every other workload in the namespace, and no workload can be ' +
    'given exactly what it needs. CIS and NSA/CISA ask for a dedicated ServiceAccount per workload. Pods ' +
    'whose operator gives them a ServiceAccount of its own (KubeRay\'s head pod with in-tree autoscaling) ' +
    'do not run as "default"; mirror pods (static pods as the API shows them) run under no ServiceAccount at all.',
  remediation:
    'Create a ServiceAccount for the workload (with automountServiceAccountToken: false unless it calls the ' +
    'API), bind only the Roles it needs to it, and set spec.serviceAccountName to its name.',
  appliesTo: 'pod specs (Pods and every workload template)',
  scope: 'pod',
  examples: {
    pass: 'spec:\n  serviceAccountName: web\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
    fail: 'spec:\n  containers:\n  - {name: app, image: registry.example/app:1.2.3}',
  },
  evaluate(pod) {
    if (isMirrorPod(pod)) return [];
    const sa = podServiceAccount(pod);
    if (sa.name !== 'default') return [];
    if (sa.from === 'operator') {
      // A RayCluster named "default": KubeRay names the head's ServiceAccount after it.
      return [{ path: [...pod.specPath, 'serviceAccountName'], message: `pod does not set serviceAccountName and ${pod.operatorServiceAccount?.reason}, named "default" after the resource: the namespace's "default" ServiceAccount; set serviceAccountName to a dedicated one` }];
    }
    return [
      {
        path: [...pod.specPath, sa.from ?? 'serviceAccountName'],
        message: sa.from
          ? `pod sets ${sa.from}: default; give it a dedicated ServiceAccount`
          : 'pod does not set serviceAccountName, so it runs as the namespace\'s "default" ServiceAccount; give it a dedicated one',
      },
    ];
  },
};
