import { apiServerVersion } from '../../analysis/cluster/api-server-version.js';
import { parseKubernetesVersion } from '../../analysis/cluster/releases.js';
import { describeObject, getPath } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';

const KUBELET_VERSION = ['status', 'nodeInfo', 'kubeletVersion'];

export const kubeletVersionWithinSkew: InventoryCheck = {
  id: 'kubelet-version-within-skew',
  title: 'Every kubelet is within the supported version skew of the API server',
  severity: 'medium',
  category: 'node',
  controls: ['nsa:U1'],
  rationale:
    'The version skew policy says a kubelet must not be newer than the API server and may be at most three ' +
    'minor releases older (two for kubelets older than 1.25). Outside that range the pair is untested: API ' +
    'fields and security features the control plane relies on may be missing or behave differently on the node, ' +
    'and a node that far behind usually also misses security fixes. It needs a live cluster scan or a snapshot.',
  remediation: 'Upgrade the node (drain it, upgrade the kubelet, uncordon) to the API server\'s minor release or close to it; never upgrade nodes past the control plane.',
  appliesTo: 'Nodes (status.nodeInfo.kubeletVersion) and the API server version of a scanned cluster',
  scope: 'inventory',
  evaluate(inventory) {
    const server = apiServerVersion(inventory);
    if ('skip' in server) return server;
    const apiServer = parseKubernetesVersion(server.gitVersion);
    if (!apiServer) return { skip: `the API server version "${server.gitVersion}" is not a Kubernetes version` };
    const violations: Violation[] = [];
    let evaluated = 0;
    for (const node of inventory.ofKind('Node')) {
      const text = getPath(node.raw, KUBELET_VERSION);
      const kubelet = typeof text === 'string' ? parseKubernetesVersion(text) : undefined;
      if (!kubelet || kubelet.major !== apiServer.major) continue;
      evaluated++;
      const behind = apiServer.minor - kubelet.minor;
      const allowed = kubelet.minor < 25 ? 2 : 3;
      const where = `${describeObject(node)} runs kubelet ${kubelet.text} with API server ${apiServer.text}`;
      if (behind < 0) {
        violations.push({ object: node, path: KUBELET_VERSION, message: `${where}: a kubelet must not be newer than the API server; upgrade the control plane first or run kubelet 1.${apiServer.minor}` });
      } else if (behind > allowed) {
        violations.push({ object: node, path: KUBELET_VERSION, message: `${where}: ${behind} minor releases behind, more than the ${allowed} the skew policy allows; upgrade the kubelet to 1.${apiServer.minor - allowed} or newer` });
      }
    }
    if (evaluated === 0) return { skip: 'the input has no Node objects with status.nodeInfo.kubeletVersion' };
    return { evaluated, violations };
  },
};
