import { apiServerVersion } from '../../analysis/cluster/api-server-version.js';
import { describeTableAge, oldestSupportedMinor, parseKubernetesVersion, upstreamSupport } from '../../analysis/cluster/releases.js';
import type { InventoryCheck } from '../types.js';

export const apiServerVersionSupported: InventoryCheck = {
  id: 'apiserver-version-supported',
  title: 'The API server runs a Kubernetes minor release that upstream still supports',
  severity: 'high',
  category: 'control-plane',
  controls: ['nsa:U1'],
  rationale:
    'Upstream Kubernetes patches only its three newest minor releases, each for about fourteen months. After ' +
    'its end of life a release gets no security fixes, so known vulnerabilities stay open. The check compares ' +
    'the API server\'s /version with kubeharden\'s table of end-of-life dates, on the day the cluster was read. ' +
    'Managed offerings (GKE, EKS, AKS…) keep their own calendars and may support a release longer; findings on ' +
    'vendor builds say so. It needs a live cluster scan or a snapshot.',
  remediation: 'Upgrade the control plane, one minor release at a time, to a supported release; then the nodes.',
  appliesTo: 'The API server version (GET /version) of a scanned cluster',
  scope: 'inventory',
  evaluate(inventory) {
    const server = apiServerVersion(inventory);
    if ('skip' in server) return server;
    const version = parseKubernetesVersion(server.gitVersion);
    if (!version) return { skip: `the API server version "${server.gitVersion}" is not a Kubernetes version` };
    const support = upstreamSupport(version, server.observedOn);
    if (support.status === 'unknown') return { skip: support.reason };
    if (support.status === 'supported') return { evaluated: 1, violations: [] };
    const oldest = oldestSupportedMinor(server.observedOn);
    const vendor = version.vendorBuild ? '; this is a provider build, which may be supported longer — check your provider\'s calendar' : '';
    return {
      evaluated: 1,
      violations: [
        {
          object: server.object,
          path: ['gitVersion'],
          message:
            `the API server runs ${server.gitVersion}: Kubernetes 1.${version.minor} reached its upstream end of life on ${support.endOfLife} ` +
            `and gets no security fixes; upgrade to ${oldest ? `1.${oldest.split('.')[1]} or newer` : 'a supported release'} ` +
            `(per ${describeTableAge(server.observedOn)})${vendor}`,
        },
      ],
    };
  },
};
