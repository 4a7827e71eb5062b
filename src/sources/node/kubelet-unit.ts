// The kubelet's command line from its systemd unit, for hosts whose processes we cannot see
// (--root). kubeadm's drop-in 10-kubeadm.conf runs
//   ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
// with the variables from Environment= lines and EnvironmentFile= files; systemd splits an
// unquoted $VAR on whitespace.

import type { Host } from './host.js';

export const KUBELET_DROP_IN_PATHS = [
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
];

export function kubeletArgvFromUnit(host: Host): { argv: string[]; file: string } | undefined {
  for (const file of KUBELET_DROP_IN_PATHS) {
    const read = host.readText(file);
    if (!read.ok) continue;
    const vars = new Map<string, string>();
    let exec: string | undefined;
    for (const raw of read.text.split('\n')) {
      const line = raw.trim();
      const env = /^Environment=(.*)$/.exec(line);
      if (env) for (const [k, v] of assignments(env[1] as string)) vars.set(k, v);
      const envFile = /^EnvironmentFile=-?(.*)$/.exec(line);
      if (envFile) {
        const text = host.readText((envFile[1] as string).trim());
        if (text.ok) for (const l of text.text.split('\n')) for (const [k, v] of assignments(l.trim())) vars.set(k, v);
      }
      const execStart = /^ExecStart=(.*)$/.exec(line);
      if (execStart && execStart[1]) exec = execStart[1];
    }
    if (!exec) continue;
    const argv = exec.split(/\s+/).filter(Boolean).flatMap((t) => (t.startsWith('$') ? (vars.get(t.replace(/^\$\{?|\}$/g, '')) ?? '').split(/\s+/).filter(Boolean) : [t]));
    return { argv, file };
  }
  return undefined;
}

/** `"A=x y" B=z` or `A="x y"` → pairs. */
function assignments(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of text.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)=([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|\S*)/g)) {
    if (m[1]) out.push([m[1], m[2] ?? '']);
    else if (m[3]) out.push([m[3], m[5] ?? m[6] ?? m[4] ?? '']);
  }
  return out;
}
