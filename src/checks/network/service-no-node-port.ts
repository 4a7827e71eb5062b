// A NodePort Service opens its port on every node's addresses (kube-linter exposed-services, off
// by default; Kyverno's restrict-nodeport and the Gatekeeper library's block-nodeport-services
// flag the type alone, with no namespace exempt). Only the type NodePort is judged: a
// LoadBalancer Service allocates node ports too (unless allocateLoadBalancerNodePorts: false),
// but it is judged by service-load-balancer-source-restricted, and reporting it here as well
// would say the same exposure twice.

import { isMapping } from '../../inventory/model.js';
import type { ObjectCheck } from '../types.js';

export const serviceNoNodePort: ObjectCheck = {
  id: 'service-no-node-port',
  title: 'Services are not of type NodePort',
  // Low, as service-load-balancer-source-restricted: the port is often meant to be reachable
  // (a bare-metal ingress controller), and whether it is depends on the nodes' firewall, which
  // no manifest shows; the finding makes the exposure a decision.
  severity: 'low',
  category: 'network',
  // NSA/CISA's N16 names the NodePort range among the ports a host firewall must guard, but it is
  // a host-level item that a manifest cannot pass or fail; mapping to it would misstate the score.
  controls: [],
  rationale:
    'A NodePort Service listens on every node\'s addresses (a port from 30000–32767 by default), so anyone who can reach ' +
    'a node reaches the pods behind it, outside any Ingress or gateway. With externalTrafficPolicy: Cluster the client ' +
    'address is replaced by a node\'s, so NetworkPolicy cannot tell clients apart, and the port stays open on nodes that ' +
    'run none of the pods.',
  remediation:
    'Use type ClusterIP behind an Ingress or gateway, or a LoadBalancer with loadBalancerSourceRanges. Where a NodePort ' +
    'is meant (a bare-metal ingress controller), firewall the node-port range to the clients that need it and note an ' +
    'exception.',
  appliesTo: 'Services of type NodePort',
  scope: 'object',
  kinds: ['Service'],
  examples: {
    pass: 'spec:\n  type: ClusterIP\n  ports: [{port: 443, targetPort: 8443}]',
    fail: 'spec:\n  type: NodePort\n  ports: [{port: 443, targetPort: 8443, nodePort: 30443}]',
  },
  evaluate(obj) {
    const spec = obj.raw.spec;
    // The type is case-sensitive: the API server refuses any other spelling.
    if (!isMapping(spec) || spec.type !== 'NodePort') return [];
    const nodePorts = (Array.isArray(spec.ports) ? spec.ports : []).filter(isMapping).map((p) => p.nodePort).filter((n) => typeof n === 'number');
    const ports = nodePorts.length ? `port${nodePorts.length === 1 ? '' : 's'} ${nodePorts.join(', ')}` : 'a port of the node-port range (30000–32767 by default)';
    return [{ path: ['spec', 'type'], message: `type NodePort opens ${ports} on every node's addresses` }];
  },
};
