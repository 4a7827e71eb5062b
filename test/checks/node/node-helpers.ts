// Builds NodeFacts in memory for check tests: components as if read from /proc, with an
// optional kubelet config file, and optionally a host root folder for files they name.

import { parseComponentCommandLine } from '../../../src/analysis/flags/components.js';
import { type ComponentName } from '../../../src/inventory/node-facts.js';
import { addComponent, type ComponentFacts, type NodeFacts } from '../../../src/inventory/node-facts.js';
import { Host } from '../../../src/sources/node/host.js';
import { RecordedHost } from '../../../src/inventory/host-files.js';

export interface FakeComponent {
  component: ComponentName;
  /** Flags (argv without the program name). */
  args?: string[];
  /** A parsed config file (kubelet --config, etcd --config-file, kube-proxy --config), or its error. */
  config?: Record<string, unknown> | { error: string };
  env?: Record<string, string>;
  pid?: number;
}

export function fakeComponent(f: FakeComponent): ComponentFacts {
  const pid = f.pid ?? 4242;
  const c: ComponentFacts = {
    component: f.component,
    origin: { kind: 'process', pid },
    cmd: parseComponentCommandLine([f.component, ...(f.args ?? [])]),
    env: new Map(Object.entries(f.env ?? {}).map(([k, v]) => [k, { value: v }])),
    where: `process ${pid}`,
  };
  if (f.config) {
    c.config = 'error' in f.config && typeof f.config.error === 'string'
      ? { path: '/var/lib/kubelet/config.yaml', how: '--config flag', error: f.config.error }
      : { path: '/var/lib/kubelet/config.yaml', how: '--config flag', value: f.config as Record<string, unknown> };
  }
  return c;
}

export function fakeFacts(components: FakeComponent[], root?: string): NodeFacts {
  const facts: NodeFacts = { mode: 'node', components: new Map(), notFound: new Map(), errors: [], ...(root ? { host: new RecordedHost(new Host(root)) } : {}) };
  for (const c of components) addComponent(facts, fakeComponent(c));
  return facts;
}

/** A kubeadm-style kube-apiserver static Pod; `flags` are appended to its command (command[2] onwards). */
export const apiServerManifest = (...flags: string[]) => `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.1
    command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
${flags.map((f) => `    - ${f}`).join('\n')}
`;
