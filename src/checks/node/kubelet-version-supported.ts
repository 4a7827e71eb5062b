import { apiServerVersion } from '../../analysis/cluster/api-server-version.js';
import { describeTableAge, parseKubernetesVersion, upstreamSupport } from '../../analysis/cluster/releases.js';
import { describeObject, getPath } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';

const KUBELET_VERSION = ['status', 'nodeInfo', 'kubeletVersion'];

export const kubeletVersionSupported: InventoryCheck = {
  id: 'kubelet-version-supported',
  title: 'Every kubelet runs a Kubernetes minor release that upstream still supports',
  severity: 'high',
  category: 'node',
  controls: ['nsa:U1'],
  rationale:
    'A kubelet within the version skew policy may still be a release past its end of life, which gets no ' +
    'security fixes. The check compares each Node\'s kubelet version with kubeharden\'s table of end-of-life ' +
    'dates, on the day the cluster was read (so it needs a live cluster scan or a snapshot). Provider builds ' +
    'may be supported longer; their findings say so.',
  remediation: 'Upgrade the node\'s kubelet (drain, upgrade, uncordon) to a supported minor release no newer than the API server.',
  appliesTo: 'Nodes (status.nodeInfo.kubeletVersion) of a scanned cluster',
  scope: 'inventory',
  evaluate(inventory) {
    const server = apiServerVersion(inventory);
    if ('skip' in server) return { skip: `${server.skip}, which says on which day the kubelet versions were read` };
    const violations: Violation[] = [];
    let evaluated = 0;
    for (const node of inventory.ofKind('Node')) {
      const text = getPath(node.raw, KUBELET_VERSION);
      const kubelet = typeof text === 'string' ? parseKubernetesVersion(text) : undefined;
      if (!kubelet) continue;
      const support = upstreamSupport(kubelet, server.observedOn);
      if (support.status === 'unknown') continue;
      evaluated++;
      if (support.status === 'ended') {
        const vendor = kubelet.vendorBuild ? '; this is a provider build, which may be supported longer — check your provider\'s calendar' : '';
        violations.push({
          object: node,
          path: KUBELET_VERSION,
          message: `${describeObject(node)} runs kubelet ${kubelet.text}: Kubernetes 1.${kubelet.minor} reached its upstream end of life on ${support.endOfLife}; upgrade the node (per ${describeTableAge(server.observedOn)})${vendor}`,
        });
      }
    }
    if (evaluated === 0) return { skip: 'the input has no Node objects with a kubelet version kubeharden can judge' };
    return { evaluated, violations };
  },
};
