import { containersOf } from '../../inventory/pod-specs.js';
import { describeObject, getPath, isMapping, type PodTarget } from '../../inventory/model.js';
import type { InventoryCheck, Violation } from '../types.js';

type Version = [number, number, number];

/**
 * Upstream kubelet releases affected by CVE-2021-25741 (subPath symlink exchange), per minor
 * version: the first fixed patch release. Minors before 1.19 never got a fix.
 */
const FIRST_FIXED_PATCH: Record<string, number> = { '1.19': 15, '1.20': 11, '1.21': 5, '1.22': 2 };

export const subPathKubeletPatched: InventoryCheck = {
  id: 'subpath-kubelet-patched',
  title: 'Workloads with subPath mounts do not run on kubelets open to CVE-2021-25741',
  severity: 'high',
  category: 'workload',
  controls: ['nsa:U2'],
  rationale:
    'On unpatched kubelets a container that can write a volume can replace a subPath with a symlink and ' +
    'get the kubelet to mount any host path into it, including the host root (CVE-2021-25741). Affected: ' +
    'kubelet 1.19.14 and older, 1.20.0–1.20.10, 1.21.0–1.21.4 and 1.22.0–1.22.1; fixed in 1.19.15, 1.20.11, ' +
    '1.21.5 and 1.22.2. It matters only where pods use volumeMounts[].subPath or subPathExpr. The check ' +
    'needs Node objects (a cluster scan or snapshot) to know the kubelet versions and skips without them. ' +
    'Vendor builds (a suffix such as -gke.… or -eks-…) may carry a backported fix; their findings say so.',
  remediation:
    'Upgrade the kubelets to a fixed release (1.22.2 or later; better, a supported Kubernetes version). Until ' +
    'then, remove subPath mounts or keep untrusted users from creating pods with them.',
  appliesTo: 'Nodes (their kubelet version) and pod specs with subPath mounts',
  scope: 'inventory',
  examples: {
    pass: 'kind: Node\nstatus:\n  nodeInfo: {kubeletVersion: v1.31.4}',
    fail: 'kind: Node\nstatus:\n  nodeInfo: {kubeletVersion: v1.21.3}',
    beside: 'kind: Pod\nspec:\n  containers:\n  - name: app\n    image: registry.example/app:1.2.3\n    volumeMounts: [{name: conf, mountPath: /etc/app/app.conf, subPath: app.conf}]\n  volumes: [{name: conf, configMap: {name: app}}]',
  },
  evaluate(inventory) {
    const nodes = inventory.ofKind('Node').flatMap((node) => {
      const version = getPath(node.raw, ['status', 'nodeInfo', 'kubeletVersion']);
      return typeof version === 'string' ? [{ node, version }] : [];
    });
    if (nodes.length === 0) return { skip: 'the input has no Node objects with status.nodeInfo.kubeletVersion (scan the cluster to check kubelet versions)' };
    const subPathPods = inventory.pods.filter(usesSubPath);
    if (subPathPods.length === 0) return { skip: 'no pod in the input uses volumeMounts[].subPath or subPathExpr, which the vulnerability needs' };
    const violations: Violation[] = [];
    for (const { node, version } of nodes) {
      const parsed = parseKubeletVersion(version);
      if (!parsed || !isVulnerable(parsed.version)) continue;
      const vendor = parsed.vendorBuild ? '; this is a vendor build, which may carry a backported fix — check your provider\'s security bulletin' : '';
      const names = subPathPods.slice(0, 3).map((p) => describeObject(p.object)).join(', ');
      const more = subPathPods.length > 3 ? ` and ${subPathPods.length - 3} more` : '';
      violations.push({
        object: node,
        path: ['status', 'nodeInfo', 'kubeletVersion'],
        message: `${describeObject(node)} runs kubelet ${version}, open to CVE-2021-25741, and the input has pods with subPath mounts (${names}${more}); upgrade the kubelet${vendor}`,
      });
    }
    return { evaluated: nodes.length, violations };
  },
};

function usesSubPath(pod: PodTarget): boolean {
  return containersOf(pod).some(
    (c) =>
      Array.isArray(c.container.volumeMounts) &&
      c.container.volumeMounts.some((m) => isMapping(m) && ((typeof m.subPath === 'string' && m.subPath !== '') || (typeof m.subPathExpr === 'string' && m.subPathExpr !== ''))),
  );
}

/** "v1.21.3-gke.1200" → 1.21.3, a vendor build. */
function parseKubeletVersion(text: string): { version: Version; vendorBuild: boolean } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/.exec(text);
  if (!m) return undefined;
  return { version: [Number(m[1]), Number(m[2]), Number(m[3])], vendorBuild: m[4] !== '' };
}

function isVulnerable([major, minor, patch]: Version): boolean {
  if (major !== 1) return false;
  if (minor < 19) return true;
  const firstFixed = FIRST_FIXED_PATCH[`1.${minor}`];
  return firstFixed !== undefined && patch < firstFixed;
}
