// A LoadBalancer Service without loadBalancerSourceRanges is reachable from the whole internet
// (kube-linter exposed-services names the type; here the restriction decides). Internal load
// balancers, declared by each cloud's annotation, are not public.

import { isMapping } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';

/** Annotations that make a cloud provision an internal (VPC-only) load balancer. */
const INTERNAL_ANNOTATIONS: Record<string, RegExp> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': /^(true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/oci-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/openstack-internal-load-balancer': /^true$/i,
  'service.beta.kubernetes.io/do-loadbalancer-network': /^internal$/i,
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': /^intranet$/i,
};
/** The legacy annotation the service controller reads when the field is empty. */
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export const serviceLoadBalancerSourceRestricted: ObjectCheck = {
  id: 'service-load-balancer-source-restricted',
  title: 'LoadBalancer Services restrict their source addresses or are internal',
  // Low: a public front end is often meant to be public; the finding makes the exposure a decision.
  severity: 'low',
  category: 'network',
  // No benchmark item names it; NetworkPolicy (nsa:N3/N4) does not filter traffic before it reaches the node.
  controls: [],
  rationale:
    'A LoadBalancer Service gets an address the cloud routes from anywhere; without loadBalancerSourceRanges every client ' +
    'on the internet reaches it, and with externalTrafficPolicy: Cluster the client address is replaced, so NetworkPolicy ' +
    'cannot tell clients apart either.',
  remediation:
    'Set spec.loadBalancerSourceRanges to the client networks, or make the load balancer internal with your cloud\'s ' +
    'annotation; put a public service behind an Ingress or gateway that authenticates.',
  appliesTo: 'Services of type LoadBalancer',
  scope: 'object',
  kinds: ['Service'],
  examples: {
    pass: 'spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [203.0.113.0/24]',
    fail: 'spec:\n  type: LoadBalancer\n  ports: [{port: 443}]',
  },
  evaluate(obj) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || spec.type !== 'LoadBalancer') return [];
    const ranges = spec.loadBalancerSourceRanges;
    const open = (r: unknown) => r === '0.0.0.0/0' || r === '::/0';
    if (Array.isArray(ranges) && ranges.length > 0) {
      return ranges.some(open) ? [{ path: ['spec', 'loadBalancerSourceRanges'], message: 'loadBalancerSourceRanges includes 0.0.0.0/0 or ::/0, so every address may connect' }] : [];
    }
    const annotations = obj.annotations;
    const legacy = annotations[SOURCE_RANGES_ANNOTATION];
    if (typeof legacy === 'string' && legacy.trim() !== '') {
      const list = legacy.split(',').map((s) => s.trim());
      return list.some(open) ? [{ path: ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION], message: `${SOURCE_RANGES_ANNOTATION} includes 0.0.0.0/0 or ::/0` }] : [];
    }
    if (Object.entries(INTERNAL_ANNOTATIONS).some(([k, re]) => typeof annotations[k] === 'string' && re.test(annotations[k]!))) return [];
    return [
      {
        path: ['spec', 'type'],
        message: 'type LoadBalancer without loadBalancerSourceRanges (or an internal load-balancer annotation): reachable from any address',
      },
    ];
  },
};
