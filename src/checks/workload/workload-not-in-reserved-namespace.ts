import { describeObject } from '../../inventory/model.js';
import type { PodCheck } from '../types.js';

/** Namespaces Kubernetes creates for data, never for workloads (kube-system does hold system workloads). */
const RESERVED_FOR_DATA = new Set(['kube-public', 'kube-node-lease']);

export const workloadNotInReservedNamespace: PodCheck = {
  id: 'workload-not-in-reserved-namespace',
  title: 'Workloads do not run in kube-public or kube-node-lease',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:N1'],
  rationale:
    'kube-public holds data readable by everyone, unauthenticated users included (the cluster-info ' +
    'ConfigMap); kube-node-lease holds the nodes\' heartbeat Leases. Neither is meant to run anything, and ' +
    'a workload placed there shares a namespace with objects that other components trust. The NSA/CISA ' +
    'guidance asks that user workloads stay out of the Kubernetes system namespaces. kube-system is not ' +
    'reported here, since cluster components legitimately run in it; only pods with an explicit ' +
    'metadata.namespace are judged.',
  remediation: 'Move the workload to a namespace of its own.',
  appliesTo: 'pod specs (Pods and every workload template) that set metadata.namespace',
  scope: 'pod',
  examples: {
    pass: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}',
    fail: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: kube-public}',
  },
  evaluate(pod) {
    const ns = pod.object.namespace;
    if (ns === undefined || !RESERVED_FOR_DATA.has(ns)) return [];
    return [{ path: ['metadata', 'namespace'], message: `${describeObject(pod.object)} runs in ${ns}, which Kubernetes reserves for its own data; move it to a namespace of its own` }];
  },
};
