// Which distribution runs on this node, from what is on its disk and in its process table.
// Each rule names the files or processes that distribution alone leaves (checked against the
// distributions' own sources: k3s and RKE2 data dirs, the EKS AMI's nodeadm and bootstrap.sh,
// GKE's /home/kubernetes layout on COS, AKS's azure.json). The first rule that matches wins:
// k3s and RKE2 before the clouds (an RKE2 cluster can run on EC2), the clouds before kubeadm.

import type { Host } from './host.js';
import { BENCHMARK_OF, type Distribution, type PlatformFacts } from '../../inventory/node-platform.js';

export interface Detection {
  distribution: Distribution;
  flavour?: string;
  role?: string;
  evidence: string[];
}

/** The first process whose program (argv[0], any folder) is `name`, with its sub-command. */
export function findProgram(processes: readonly { pid: number; argv: string[] }[], name: string): { pid: number; argv: string[] } | undefined {
  return processes.find((p) => (p.argv[0] ?? '').split('/').pop() === name && ['server', 'agent'].includes(p.argv[1] ?? ''));
}

function osRelease(host: Host): Map<string, string> {
  const read = host.readText('/etc/os-release');
  const out = new Map<string, string>();
  if (!read.ok) return out;
  for (const line of read.text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1] as string, (m[2] as string).replace(/^["']|["']$/g, ''));
  }
  return out;
}

export function detectDistribution(host: Host, processes: readonly { pid: number; argv: string[] }[]): Detection {
  const exists = (p: string) => host.stat(p).exists;
  const seen = (paths: string[]) => paths.filter(exists).map((p) => `${p} exists`);

  for (const program of ['k3s', 'rke2'] as const) {
    const process = findProgram(processes, program);
    const files = seen([`/etc/rancher/${program}/config.yaml`, `/var/lib/rancher/${program}/server`, `/var/lib/rancher/${program}/agent`]);
    if (!process && files.length === 0) continue;
    const evidence = [...(process ? [`process ${process.pid} runs ${program} ${process.argv[1]}`] : []), ...files];
    const role = process?.argv[1] === 'agent' ? 'agent' : process || exists(`/var/lib/rancher/${program}/server`) ? 'server' : 'agent';
    return { distribution: program, role, evidence };
  }

  const os = osRelease(host);
  const osId = os.get('ID');
  if (osId === 'bottlerocket') {
    return { distribution: 'eks', flavour: 'bottlerocket', role: 'worker', evidence: ['/etc/os-release ID=bottlerocket', ...seen(['/etc/kubernetes/kubelet/config'])] };
  }
  const al2023 = seen(['/etc/eks/kubelet/environment', '/usr/bin/nodeadm', '/etc/kubernetes/kubelet/config.json']);
  if (al2023.length) return { distribution: 'eks', flavour: 'al2023', role: 'worker', evidence: [...al2023, ...(osId ? [`/etc/os-release ID=${osId}`] : [])] };
  const al2 = seen(['/etc/eks/bootstrap.sh', '/etc/kubernetes/kubelet/kubelet-config.json']);
  if (al2.length) return { distribution: 'eks', flavour: 'al2', role: 'worker', evidence: al2 };

  const gke = seen(['/home/kubernetes/kubelet-config.yaml', '/home/kubernetes/bin/kubelet']);
  if (gke.length) return { distribution: 'gke', flavour: osId === 'cos' ? 'cos' : osId, role: 'worker', evidence: [...gke, ...(osId ? [`/etc/os-release ID=${osId}`] : [])] };

  const aks = seen(['/etc/kubernetes/azure.json', '/etc/default/kubeletconfig.json']);
  if (aks.length) return { distribution: 'aks', flavour: osId, role: 'worker', evidence: aks };

  const kubeadm = seen(['/etc/kubernetes/manifests', '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', '/var/lib/kubelet/config.yaml']);
  return {
    distribution: 'kubeadm',
    evidence: kubeadm.length ? kubeadm : ['no k3s, RKE2, EKS, GKE or AKS files found; the kubeadm layout of the CIS Kubernetes Benchmark is assumed'],
  };
}

export function emptyPlatform(d: Detection, benchmark?: string): PlatformFacts {
  return {
    ...d,
    benchmark: benchmark ? { name: benchmark, how: '--benchmark' } : { name: BENCHMARK_OF[d.distribution], how: 'detected' },
    paths: {},
    notApplicable: new Map(),
  };
}
