// k3s and RKE2 nodes.
//
// k3s runs every component inside its own process (`k3s server`): /proc shows no
// kube-apiserver, so its flags are rebuilt the way k3s builds them — k3s's own defaults
// (pkg/daemons/control/server.go, pkg/daemons/agent/agent_linux.go in k3s-io/k3s) with the
// user's `kube-apiserver-arg`, `kube-controller-manager-arg`, `kube-scheduler-arg`,
// `kubelet-arg`, `kube-proxy-arg` appended (k3s's util.GetArgs: a user argument replaces the
// default of the same name). The user's settings come from /etc/rancher/k3s/config.yaml, then
// config.yaml.d/*.yaml in name order (a later file replaces a key; `key+:` appends to it),
// then the command line of the k3s process or, when processes cannot be read, its systemd unit
// (docs.k3s.io, "Configuration File"). The kubelet reads k3s's drop-in folder
// agent/etc/kubelet.conf.d (00-k3s-defaults.conf, k3s v1.32+), read here like any --config-dir.
//
// RKE2 runs the same components as static pods in agent/pod-manifests, which the node source
// reads as it reads kubeadm's; its kubelet is a child process of rke2 (seen in /proc), else
// rebuilt from the drop-in folder as for k3s.

import { parseComponentCommandLine } from '../../analysis/flags/components.js';
import { parseYamlMapping } from '../../analysis/flags/config-documents.js';
import { addComponent, instancesOf, type ComponentFacts, type ComponentName, type NodeFacts } from '../../inventory/node-facts.js';
import type { Host } from './host.js';
import type { PlatformFacts } from '../../inventory/node-platform.js';
import { findProgram } from './detect-platform.js';
import { unitCommand } from './systemd-unit.js';

export type RancherProgram = 'k3s' | 'rke2';

/** The merged settings of config.yaml, config.yaml.d and the command line, and the files they came from. */
export interface RancherConfig {
  values: Map<string, unknown>;
  files: string[];
}

/** k3s/RKE2 flags that may repeat (cli.StringSlice in k3s's pkg/cli/cmds). */
const LIST_KEYS = new Set([
  'kube-apiserver-arg', 'kube-controller-manager-arg', 'kube-scheduler-arg', 'kubelet-arg', 'kube-proxy-arg', 'etcd-arg',
  'kube-cloud-controller-manager-arg', 'disable', 'tls-san', 'node-label', 'node-taint',
]);

export function readRancherConfig(facts: NodeFacts, host: Host, program: RancherProgram, cliArgs: string[]): RancherConfig {
  const values = new Map<string, unknown>();
  const files: string[] = [];
  const base = `/etc/rancher/${program}/config.yaml`;
  const dropInDir = `${base}.d`;
  const dropIns = host.stat(dropInDir).exists ? host.list(dropInDir, false).entries.filter((f) => /\.ya?ml$/.test(f)) : [];
  for (const file of [base, ...dropIns]) {
    const read = host.readText(file);
    if (!read.ok) {
      if (!read.missing) facts.errors.push({ source: file, message: `${program} config not read: ${read.message}`, level: 'warning' });
      continue;
    }
    if (read.text.trim() === '') continue;
    const parsed = parseYamlMapping(read.text, file);
    if (!parsed.ok) {
      facts.errors.push({ source: file, message: `${program} config not used: ${parsed.message}`, level: 'warning' });
      continue;
    }
    files.push(file);
    for (const [rawKey, value] of Object.entries(parsed.value)) {
      const append = rawKey.endsWith('+');
      const key = rawKey.replace(/\+$/, '');
      const known = values.get(key);
      if (append && known !== undefined) values.set(key, [...asList(known), ...asList(value)]);
      else values.set(key, value);
    }
  }
  // Command-line flags come after the config file: list flags add to it, others replace.
  for (let i = 0; i < cliArgs.length; i++) {
    const token = cliArgs[i] as string;
    if (!token.startsWith('-')) continue;
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    let key = eq === -1 ? body : body.slice(0, eq);
    let value: unknown = eq === -1 ? undefined : body.slice(eq + 1);
    if (value === undefined) {
      const next = cliArgs[i + 1];
      if (next !== undefined && !next.startsWith('-') && (LIST_KEYS.has(key) || !BOOLEAN_KEYS.has(key))) {
        value = next;
        i++;
      } else value = true;
    }
    key = key.replace(/\+$/, '');
    if (LIST_KEYS.has(key)) values.set(key, [...asList(values.get(key)), value]);
    else values.set(key, value);
  }
  return { values, files };
}

const BOOLEAN_KEYS = new Set(['secrets-encryption', 'cluster-init', 'protect-kernel-defaults', 'disable-apiserver', 'disable-scheduler', 'disable-controller-manager', 'disable-etcd', 'disable-kube-proxy', 'selinux']);

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function stringList(config: RancherConfig, key: string): string[] {
  return asList(config.values.get(key)).map((v) => String(v));
}

function isTrue(config: RancherConfig, key: string): boolean {
  const v = config.values.get(key);
  return v === true || v === 'true';
}

export function dataDir(config: RancherConfig, program: RancherProgram): string {
  const v = config.values.get('data-dir');
  return typeof v === 'string' && v ? v.replace(/\/$/, '') : `/var/lib/rancher/${program}`;
}

/** `audit-log-path=/x` → `--audit-log-path=/x` (k3s accepts both spellings). */
function asFlags(args: string[]): string[] {
  return args.map((a) => (a.startsWith('-') ? a : `--${a}`));
}

/** The program's own argv after `server`/`agent`: from its process, else from its systemd unit. */
function programArgs(host: Host, processes: readonly { pid: number; argv: string[] }[], program: RancherProgram, role: string | undefined): { args: string[]; source?: string } {
  const process = findProgram(processes, program);
  if (process) return { args: process.argv.slice(2), source: `process ${process.pid}` };
  const unitName = program === 'k3s' ? (role === 'agent' ? 'k3s-agent.service' : 'k3s.service') : role === 'agent' ? 'rke2-agent.service' : 'rke2-server.service';
  const unit = unitCommand(host, unitName);
  if (!unit || unit.argv.length === 0) return { args: [] };
  const sub = unit.argv.findIndex((w) => w === 'server' || w === 'agent');
  return { args: sub === -1 ? [] : unit.argv.slice(sub + 1), source: unit.files[0] };
}

/** Where k3s's own arguments come from (k3s-io/k3s: pkg/daemons/control/server.go, pkg/daemons/agent/agent_linux.go). */
const K3S_DEFAULT = 'k3s default';

/** argv tokens with where each came from. */
type SourcedArgs = { argv: string[]; sources: string[] };

function synthetic(component: ComponentName, args: SourcedArgs | string[], file: string, where: string): ComponentFacts {
  const { argv, sources } = Array.isArray(args) ? { argv: args, sources: [] } : args;
  // argSources is indexed like argv, whose [0] is the program.
  return { component, origin: { kind: 'config', file, argSources: ['', ...sources] }, cmd: parseComponentCommandLine([component, ...argv]), env: new Map(), where };
}

/**
 * Adds what a k3s node runs to the facts: on a server the API server, controller manager,
 * scheduler and (with embedded etcd) etcd; on every node the kubelet and kube-proxy. Fills the
 * platform's paths and the items that do not apply.
 */
export function collectK3s(facts: NodeFacts, host: Host, platform: PlatformFacts, processes: readonly { pid: number; argv: string[] }[]): void {
  const cli = programArgs(host, processes, 'k3s', platform.role);
  const config = readRancherConfig(facts, host, 'k3s', cli.args);
  const D = dataDir(config, 'k3s');
  const sources = [...config.files, ...(cli.source ? [cli.source] : [])];
  const from = sources.length ? sources.join(', ') : 'no config file or command-line flags';
  const file = config.files[0] ?? cli.source ?? `/etc/rancher/k3s/config.yaml`;
  platform.evidence.push(`k3s settings read from ${from}; data dir ${D}`);
  const tls = `${D}/server/tls`;
  const cred = `${D}/server/cred`;
  const server = platform.role === 'server';

  if (server) {
    const datastore = k3sDatastore(host, config, D);
    platform.datastore = datastore;
    platform.evidence.push(`datastore: ${datastore.evidence}`);
    const etcdTls = datastore.kind === 'embedded-etcd'
      ? [`--etcd-servers=https://127.0.0.1:2379`, `--etcd-cafile=${tls}/etcd/server-ca.crt`, `--etcd-certfile=${tls}/etcd/client.crt`, `--etcd-keyfile=${tls}/etcd/client.key`]
      : datastore.kind === 'external'
        ? [`--etcd-servers=${String(config.values.get('datastore-endpoint'))}`, ...(['cafile', 'certfile', 'keyfile'] as const).flatMap((k) => {
            const v = config.values.get(`datastore-${k}`);
            return typeof v === 'string' && v ? [`--etcd-${k}=${v}`] : [];
          })]
        : ['--etcd-servers=unix://kine.sock'];
    const userApiArgs = stringList(config, 'kube-apiserver-arg');
    const hasArg = (name: string) => userApiArgs.some((a) => a.replace(/^--?/, '').split('=')[0] === name);
    // k3s v1.33 server.go: anonymous-auth and authorization-mode are left to an authentication/authorization config file when one is given.
    const apiserver = [
      '--storage-backend=etcd3', ...etcdTls,
      `--cert-dir=${tls}/temporary-certs`, '--allow-privileged=true', '--enable-bootstrap-token-auth=true',
      ...(hasArg('authorization-config') ? [] : ['--authorization-mode=Node,RBAC']),
      ...(hasArg('authentication-config') ? [] : ['--anonymous-auth=false']),
      `--service-account-signing-key-file=${tls}/service.current.key`, `--service-account-key-file=${tls}/service.key`,
      '--secure-port=6444', '--bind-address=127.0.0.1',
      `--tls-cert-file=${tls}/serving-kube-apiserver.crt`, `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
      `--kubelet-certificate-authority=${tls}/server-ca.crt`,
      `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`, `--kubelet-client-key=${tls}/client-kube-apiserver.key`,
      `--requestheader-client-ca-file=${tls}/request-header-ca.crt`, `--proxy-client-cert-file=${tls}/client-auth-proxy.crt`, `--proxy-client-key-file=${tls}/client-auth-proxy.key`,
      `--client-ca-file=${tls}/client-ca.crt`, '--enable-admission-plugins=NodeRestriction', '--profiling=false',
      ...(isTrue(config, 'secrets-encryption') ? [`--encryption-provider-config=${cred}/encryption-config.json`, '--encryption-provider-config-automatic-reload=true'] : []),
    ];
    const where = (c: string) => `k3s server (embedded ${c}: k3s defaults${config.values.has(`${c}-arg`) ? ` with ${c}-arg from ${from}` : ''})`;
    if (!isTrue(config, 'disable-apiserver')) addComponent(facts, synthetic('kube-apiserver', mergeArgs(apiserver, asFlags(userApiArgs), K3S_DEFAULT, `kube-apiserver-arg in ${from}`), file, where('kube-apiserver')));
    if (!isTrue(config, 'disable-controller-manager')) {
      addComponent(facts, synthetic('kube-controller-manager', mergeArgs([
        '--controllers=*,tokencleaner', `--kubeconfig=${cred}/controller.kubeconfig`, `--service-account-private-key-file=${tls}/service.current.key`,
        '--allocate-node-cidrs=true', `--root-ca-file=${tls}/server-ca.crt`, '--profiling=false', '--bind-address=127.0.0.1', '--secure-port=10257',
        '--use-service-account-credentials=true',
      ], asFlags(stringList(config, 'kube-controller-manager-arg')), K3S_DEFAULT, `kube-controller-manager-arg in ${from}`), file, where('kube-controller-manager')));
    }
    if (!isTrue(config, 'disable-scheduler')) {
      addComponent(facts, synthetic('kube-scheduler', mergeArgs([
        `--kubeconfig=${cred}/scheduler.kubeconfig`, '--bind-address=127.0.0.1', '--secure-port=10259', '--profiling=false',
      ], asFlags(stringList(config, 'kube-scheduler-arg')), K3S_DEFAULT, `kube-scheduler-arg in ${from}`), file, where('kube-scheduler')));
    }
    if (datastore.kind === 'embedded-etcd' && !isTrue(config, 'disable-etcd')) {
      // k3s writes the embedded etcd's whole configuration to this file (kube-bench's k3s etcd items read it).
      const etcd = synthetic('etcd', ['--config-file', `${D}/server/db/etcd/config`], `${D}/server/db/etcd/config`, `k3s server (embedded etcd, configuration ${D}/server/db/etcd/config)`);
      addComponent(facts, etcd);
    } else {
      const why = datastore.kind === 'sqlite'
        ? `k3s keeps cluster state in SQLite through kine (${datastore.evidence}); there is no etcd`
        : `k3s uses an external datastore (${datastore.evidence}); its etcd, if any, runs elsewhere`;
      facts.notFound.set('etcd', why);
      for (const id of ['1.1.11', '1.1.12', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7']) platform.notApplicable.set(id, why);
      if (datastore.kind === 'sqlite') {
        for (const id of ['1.2.23', '1.2.26']) platform.notApplicable.set(id, `${why}: the API server reaches kine over a local unix socket, so etcd client TLS does not apply`);
      }
    }
    platform.paths.adminKubeconfigs = [
      { path: `${cred}/admin.kubeconfig`, how: 'k3s admin kubeconfig' },
      { path: stringOr(config, 'write-kubeconfig', '/etc/rancher/k3s/k3s.yaml'), how: 'kubeconfig k3s writes for users (write-kubeconfig)' },
    ];
    platform.paths.pkiDir = { path: tls, how: 'k3s server TLS folder' };
  } else {
    const why = 'a k3s agent runs no control plane: the API server, controller manager, scheduler and datastore run on the k3s servers';
    for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const) facts.notFound.set(c, why);
  }

  const node = config.values.get('node-name');
  const kubelet = mergeArgs([
    `--config-dir=${D}/agent/etc/kubelet.conf.d`, `--kubeconfig=${D}/agent/kubelet.kubeconfig`, '--read-only-port=0',
    ...(typeof node === 'string' ? [`--hostname-override=${node}`] : []),
  ], asFlags(stringList(config, 'kubelet-arg')), K3S_DEFAULT, `kubelet-arg in ${from}`);
  addComponent(facts, synthetic('kubelet', kubelet, file, `k3s ${platform.role ?? 'node'} (embedded kubelet: k3s defaults${config.values.has('kubelet-arg') ? ` with kubelet-arg from ${from}` : ''})`));
  if (!isTrue(config, 'disable-kube-proxy')) {
    addComponent(facts, synthetic('kube-proxy', mergeArgs([
      '--proxy-mode=iptables', '--healthz-bind-address=127.0.0.1', `--kubeconfig=${D}/agent/kubeproxy.kubeconfig`,
    ], asFlags(stringList(config, 'kube-proxy-arg')), K3S_DEFAULT, `kube-proxy-arg in ${from}`), file, `k3s ${platform.role ?? 'node'} (embedded kube-proxy)`));
  }
  platform.paths.kubeProxyKubeconfig = { path: `${D}/agent/kubeproxy.kubeconfig`, how: 'k3s kube-proxy kubeconfig' };
  platform.paths.cniDirs = [
    { path: `${D}/agent/etc/cni/net.d`, how: 'k3s CNI config folder' },
    { path: '/var/lib/cni/networks', how: 'CNI IPAM state (kube-bench)' },
  ];
  const inside = 'k3s runs the API server, controller manager and scheduler inside its own process: there are no static pod manifests';
  for (const id of ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8']) platform.notApplicable.set(id, inside);
  if (platform.datastore?.kind === 'embedded-etcd') platform.notApplicable.set('1.1.12', 'k3s runs etcd inside its own process as root; there is no etcd user to own the data directory');
  const kubeletInside = `the kubelet runs inside the k3s process; its unit is ${platform.role === 'agent' ? 'k3s-agent' : 'k3s'}.service, not a kubelet service file`;
  platform.notApplicable.set('4.1.1', kubeletInside);
  platform.notApplicable.set('4.1.2', kubeletInside);
  platform.notApplicable.set('4.2.7', 'k3s sets --hostname-override to the node name itself (the k3s CIS self-assessment guide marks this item not applicable)');
}

/** RKE2: static pods come from agent/pod-manifests; a kubelet not seen running is rebuilt from RKE2's defaults and drop-ins. */
export function collectRke2(facts: NodeFacts, host: Host, platform: PlatformFacts, processes: readonly { pid: number; argv: string[] }[]): string {
  const cli = programArgs(host, processes, 'rke2', platform.role);
  const config = readRancherConfig(facts, host, 'rke2', cli.args);
  const D = dataDir(config, 'rke2');
  const sources = [...config.files, ...(cli.source ? [cli.source] : [])];
  platform.evidence.push(`RKE2 settings read from ${sources.length ? sources.join(', ') : 'no config file or command-line flags'}; data dir ${D}`);
  if (!instancesOf(facts, 'kubelet').length) {
    const node = config.values.get('node-name');
    const kubelet = mergeArgs([
      `--config-dir=${D}/agent/etc/kubelet.conf.d`, `--kubeconfig=${D}/agent/kubelet.kubeconfig`, '--read-only-port=0',
      ...(typeof node === 'string' ? [`--hostname-override=${node}`] : []),
    ], asFlags(stringList(config, 'kubelet-arg')), 'RKE2 default', `kubelet-arg in ${sources.join(', ') || 'the RKE2 config'}`);
    addComponent(facts, synthetic('kubelet', kubelet, config.files[0] ?? `${D}/agent/etc/kubelet.conf.d`, `RKE2 kubelet (process not seen: RKE2 defaults${config.values.has('kubelet-arg') ? ' with kubelet-arg' : ''})`));
  }
  // rke2 starts the kubelet itself with arguments: there is no kubelet service file (the RKE2 CIS guide marks 4.1.1/4.1.2 not applicable).
  const noUnit = `the kubelet is started by the rke2 ${platform.role === 'agent' ? 'agent' : 'server'} process with its arguments; there is no kubelet service file`;
  platform.notApplicable.set('4.1.1', noUnit);
  platform.notApplicable.set('4.1.2', noUnit);
  if (platform.role === 'server') {
    platform.paths.adminKubeconfigs = [
      { path: `${D}/server/cred/admin.kubeconfig`, how: 'RKE2 admin kubeconfig' },
      { path: stringOr(config, 'write-kubeconfig', '/etc/rancher/rke2/rke2.yaml'), how: 'kubeconfig RKE2 writes for users (write-kubeconfig)' },
    ];
    platform.paths.pkiDir = { path: `${D}/server/tls`, how: 'RKE2 server TLS folder' };
  }
  platform.paths.kubeProxyKubeconfig = { path: `${D}/agent/kubeproxy.kubeconfig`, how: 'RKE2 kube-proxy kubeconfig' };
  platform.paths.cniDirs = [{ path: '/etc/cni/net.d', how: 'CNI config folder (RKE2 canal)' }, { path: '/var/lib/cni/networks', how: 'CNI IPAM state (kube-bench)' }];
  platform.notApplicable.set('4.2.7', 'RKE2 sets --hostname-override to the node name itself');
  return `${D}/agent/pod-manifests`;
}

function stringOr(config: RancherConfig, key: string, fallback: string): string {
  const v = config.values.get(key);
  return typeof v === 'string' && v ? v : fallback;
}

/** k3s util.GetArgs: a user argument replaces the default of the same name; new ones are added. */
function mergeArgs(defaults: string[], user: string[], defaultSource: string, userSource: string): SourcedArgs {
  const name = (a: string) => a.replace(/^--?/, '').split('=')[0]!;
  const overridden = new Set(user.map(name));
  const kept = defaults.filter((a) => !overridden.has(name(a)));
  return { argv: [...kept, ...user], sources: [...kept.map(() => defaultSource), ...user.map(() => userSource)] };
}

function k3sDatastore(host: Host, config: RancherConfig, D: string): NonNullable<PlatformFacts['datastore']> {
  const endpoint = config.values.get('datastore-endpoint');
  if (typeof endpoint === 'string' && endpoint) {
    return { kind: 'external', evidence: `datastore-endpoint ${endpoint.replace(/\/\/[^@/]*@/, '//***@')}` };
  }
  if (isTrue(config, 'cluster-init') || host.stat(`${D}/server/db/etcd`).exists) {
    return { kind: 'embedded-etcd', evidence: isTrue(config, 'cluster-init') ? 'cluster-init: true' : `${D}/server/db/etcd exists` };
  }
  return { kind: 'sqlite', evidence: host.stat(`${D}/server/db/state.db`).exists ? `${D}/server/db/state.db exists` : 'no datastore-endpoint, no cluster-init and no embedded etcd: k3s defaults to SQLite' };
}

