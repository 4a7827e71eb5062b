// A container runtime's socket mounted from the host: whoever can talk to it starts privileged
// containers on the node. Beyond the general hostPath check (which baseline PSS already reports),
// this is its own critical finding, naming the runtime. kube-linter docker-sock, checkov
// CKV_K8S_27, Polaris and kubescape report the Docker socket; here every CRI socket, and the
// folders that hold them, count.

import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';

/** Socket paths of the runtimes a node may run (the default of each project and of its packagings). */
const SOCKETS: Record<string, string> = {
  '/var/run/docker.sock': 'Docker', '/run/docker.sock': 'Docker',
  '/var/run/containerd/containerd.sock': 'containerd', '/run/containerd/containerd.sock': 'containerd',
  '/run/k3s/containerd/containerd.sock': 'containerd (k3s)', '/var/run/k3s/containerd/containerd.sock': 'containerd (k3s)',
  '/run/k0s/containerd.sock': 'containerd (k0s)',
  '/var/snap/microk8s/common/run/containerd.sock': 'containerd (MicroK8s)',
  '/var/run/crio/crio.sock': 'CRI-O', '/run/crio/crio.sock': 'CRI-O',
  '/var/run/podman/podman.sock': 'Podman', '/run/podman/podman.sock': 'Podman',
  '/var/run/cri-dockerd.sock': 'cri-dockerd', '/run/cri-dockerd.sock': 'cri-dockerd',
  '/var/run/dockershim.sock': 'dockershim', '/run/dockershim.sock': 'dockershim',
};

/** A folder mounted whole exposes every socket beneath it. */
function exposedSockets(path: string): string[] {
  const p = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  if (SOCKETS[p]) return [p];
  const prefix = p === '/' ? '/' : `${p}/`;
  return Object.keys(SOCKETS).filter((s) => s.startsWith(prefix));
}

export const podNoContainerRuntimeSocket: PodCheck = {
  id: 'pod-no-container-runtime-socket',
  title: 'Pods do not mount a container runtime socket from the host',
  severity: 'critical',
  category: 'workload',
  controls: ['cis:5.2.11', 'nsa:P7'],
  rationale:
    'The Docker, containerd, CRI-O or Podman socket is the node\'s control channel: a process that can write to it starts ' +
    'a privileged container with the host filesystem mounted, outside Kubernetes\' admission control and audit log. ' +
    'Mounting it (or a folder holding it, such as /var/run) hands the node to the pod.',
  remediation:
    'Remove the hostPath volume. Build images with a daemonless builder (BuildKit rootless, kaniko, buildah), read container ' +
    'metadata from the kubelet or the API, and run node agents that truly need the socket in a namespace and node pool of their own.',
  appliesTo: 'hostPath volumes of pod specs',
  scope: 'pod',
  examples: {
    pass: 'volumes:\n- name: cache\n  emptyDir: {}',
    fail: 'volumes:\n- name: runtime\n  hostPath:\n    path: /run/containerd/containerd.sock',
  },
  evaluate(pod) {
    const out: Violation[] = [];
    const volumes = pod.spec.volumes;
    if (!Array.isArray(volumes)) return out;
    volumes.forEach((volume, i) => {
      if (!isMapping(volume) || !isMapping(volume.hostPath) || typeof volume.hostPath.path !== 'string') return;
      const sockets = exposedSockets(volume.hostPath.path);
      if (sockets.length === 0) return;
      const runtimes = [...new Set(sockets.map((s) => SOCKETS[s]))].join(', ');
      const name = typeof volume.name === 'string' ? volume.name : `volumes[${i}]`;
      out.push({
        path: [...pod.specPath, 'volumes', i, 'hostPath', 'path'],
        message:
          sockets.length === 1 && sockets[0] === volume.hostPath.path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')
            ? `volume "${name}" mounts the ${runtimes} socket ${sockets[0]} from the host: the pod can start privileged containers on the node`
            : `volume "${name}" mounts ${volume.hostPath.path} from the host, which holds the ${runtimes} socket(s) (${sockets.join(', ')}): the pod can start privileged containers on the node`,
      });
    });
    return out;
  },
};
