// Collects NodeFacts from a host: running components from /proc (not with --root, whose
// processes belong to another host, unless a proc folder is given), static pod manifests
// for components not seen running, and the config files the components name.

import { readFileSync, statSync } from 'node:fs';
import { parseComponentCommandLine } from '../../analysis/flags/components.js';
import { COMPONENTS, type ComponentName } from '../../inventory/node-facts.js';
import { readFlag } from '../../analysis/flags/components.js';
import { Inventory } from '../../inventory/inventory.js';
import { getPath, isMapping } from '../../inventory/model.js';
import { addText } from '../../inventory/parse-manifest.js';
import { parseConfigText, parseYamlMapping, type ExpectedKind } from '../../analysis/flags/config-documents.js';
import { addComponent, DEFAULT_MANIFESTS_DIR, instancesOf, KUBELET_DROP_INS_ONLY, type ComponentFacts, type ConfigFile, type FoundPath, type NodeFacts } from '../../inventory/node-facts.js';
import { Host, REAL_FS, type FsLayer } from './host.js';
import { RecordedHost } from '../../inventory/host-files.js';
import { KUBELET_DROP_IN_PATHS, kubeletArgvFromUnit } from './kubelet-unit.js';
import { findComponentProcesses, listCommandLines } from './processes.js';
import { collectPlatform, finishPlatform } from './platform-collect.js';
import { componentFromPod } from '../../analysis/flags/static-pods.js';

export interface CollectOptions {
  /** Host filesystem root; default `/`. */
  root?: string;
  /** Where to read processes; default `/proc` without --root, none with it. `null` never reads processes. */
  procRoot?: string | null;
  /** Injectable filesystem (tests simulate permission errors with it). */
  fs?: FsLayer;
  /** Judge the node against this benchmark instead of the one its distribution implies. */
  benchmark?: string;
}

export class NodeSourceError extends Error {}

const KUBELET_DEFAULT_CONFIG = '/var/lib/kubelet/config.yaml';
const KUBELET_CONFIG: ExpectedKind = { kinds: ['KubeletConfiguration'], groups: ['kubelet.config.k8s.io'] };
const KUBE_PROXY_CONFIG: ExpectedKind = { kinds: ['KubeProxyConfiguration'], groups: ['kubeproxy.config.k8s.io'] };

export function collectNodeFacts(options: CollectOptions = {}): NodeFacts {
  const root = options.root ?? '/';
  checkRoot(root);
  const procRoot = options.procRoot === null ? undefined : options.procRoot ?? (options.root === undefined ? '/proc' : undefined);
  const host = new Host(root, options.fs ?? REAL_FS);
  const facts: NodeFacts = { mode: 'node', host: new RecordedHost(host), procRoot, components: new Map(), notFound: new Map(), errors: [] };

  if (procRoot) {
    for (const p of findComponentProcesses(procRoot)) {
      const env = new Map([...p.env].map(([k, v]) => [k, { value: v }]));
      addComponent(facts, { component: p.component, origin: { kind: 'process', pid: p.pid }, cmd: parseComponentCommandLine(p.argv), env, where: `process ${p.pid}` });
    }
  }
  const platformPods = collectPlatform(facts, host, procRoot ? listCommandLines(procRoot) : [], options.benchmark);
  attachKubelet(facts, host);
  facts.staticPodDir = platformPods && !kubeletNamesPodDir(facts) ? { path: platformPods, how: `${facts.platform?.distribution} static pod folder` } : staticPodDir(facts);
  const manifestsDir = facts.staticPodDir.path;
  const manifests = readStaticPods(facts, host, manifestsDir);
  for (const component of COMPONENTS) {
    if (instancesOf(facts, component).length) continue;
    const fromManifest = manifests.get(component);
    if (fromManifest) {
      addComponent(facts, fromManifest);
      warnStrayArguments(facts, fromManifest);
    } else if (!facts.notFound.has(component)) facts.notFound.set(component, notFoundReason(component, procRoot, manifestsDir));
  }
  for (const c of instancesOf(facts, 'etcd')) attachReplacingConfig(facts, host, c, 'config-file', undefined);
  for (const c of instancesOf(facts, 'kube-proxy')) attachReplacingConfig(facts, host, c, 'config', KUBE_PROXY_CONFIG);
  finishPlatform(facts);
  return facts;
}

/** Whether the kubelet itself says where its static pods are (flag or staticPodPath). */
function kubeletNamesPodDir(facts: NodeFacts): boolean {
  return staticPodDir(facts).how !== 'kubeadm default path';
}

/**
 * `--profiling false` in a manifest: a boolean flag takes its value only as `--flag=value`,
 * so this is `--profiling` (true) plus an argument the component refuses: it will not start.
 */
function warnStrayArguments(facts: NodeFacts, c: ComponentFacts): void {
  if (c.origin.kind !== 'manifest' || c.cmd.positionals.length === 0) return;
  const words = c.cmd.positionals.map((p) => `"${p.value}"`).join(', ');
  facts.errors.push({
    source: c.origin.file,
    message: `${c.component} has stray argument(s) ${words}: boolean flags take a value only as --flag=value, and ${c.component} refuses to start with positional arguments`,
    level: 'warning',
  });
}

function checkRoot(root: string): void {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new NodeSourceError(`--root ${root}: no such folder`);
  }
  if (!st.isDirectory()) throw new NodeSourceError(`--root ${root}: not a folder`);
}

function notFoundReason(component: ComponentName, procRoot: string | undefined, manifestsDir: string): string {
  const processes = procRoot ? `no ${component} process in ${procRoot}` : `processes are not read with --root (add --proc DIR to read them)`;
  if (component === 'kubelet') return `${processes}, and no kubelet config file or systemd unit was found`;
  if (component === 'kube-proxy') return `${processes} (kube-proxy runs as a DaemonSet; its settings live in ConfigMap kube-system/kube-proxy)`;
  return `${processes}, and no static pod manifest for it in ${manifestsDir}`;
}

/** The kubelet: its process (with its --config), else its systemd unit and the default config file. */
function attachKubelet(facts: NodeFacts, host: Host): void {
  const running = instancesOf(facts, 'kubelet');
  for (const c of running) {
    const flag = readFlag(c.cmd, 'config');
    if (flag.set && flag.value) c.config = readConfig(facts, host, flag.value, '--config flag', KUBELET_CONFIG);
    applyKubeletDropIns(facts, host, c);
  }
  if (running.length) return;
  const unit = kubeletArgvFromUnit(host);
  const argv = unit?.argv ?? ['kubelet'];
  const cmd = parseComponentCommandLine(argv[0]?.endsWith('kubelet') ? argv : ['kubelet', ...argv.slice(1)]);
  const flag = readFlag(cmd, 'config');
  const configPath = flag.set && flag.value ? flag.value : KUBELET_DEFAULT_CONFIG;
  const present = host.stat(configPath).exists;
  if (!unit && !present) return;
  const c: ComponentFacts = {
    component: 'kubelet',
    origin: { kind: 'config', file: unit?.file ?? configPath },
    cmd,
    env: new Map(),
    where: unit ? `kubelet systemd unit ${unit.file} (process not seen)` : `kubelet config file ${configPath} (process not seen)`,
  };
  if (!unit) {
    c.commandLineUnknown = facts.procRoot
      ? `no kubelet process in ${facts.procRoot} and no systemd unit (${KUBELET_DROP_IN_PATHS.join(', ')}) shows its flags`
      : `processes are not read with --root (give --proc DIR, the host's /proc, to read the kubelet's flags) and no systemd unit shows them`;
  }
  if (flag.set || present) c.config = readConfig(facts, host, configPath, flag.set ? '--config in the systemd unit' : 'default location', KUBELET_CONFIG);
  applyKubeletDropIns(facts, host, c);
  addComponent(facts, c);
}

/** The kubelet's --pod-manifest-path, else its config's staticPodPath, else kubeadm's folder. */
/**
 * kubelet --config-dir: every `*.conf` file of the folder, in name order, merged over the
 * config file as a JSON merge patch (maps merge, other values replace); flags still win.
 */
function applyKubeletDropIns(facts: NodeFacts, host: Host, c: ComponentFacts): void {
  const dir = readFlag(c.cmd, 'config-dir').value;
  if (!dir) return;
  const config: ConfigFile = c.config ?? { path: dir, how: KUBELET_DROP_INS_ONLY, value: {} };
  if (config.error) return;
  const listing = host.list(dir, false);
  for (const e of listing.errors) facts.errors.push({ source: dir, message: `kubelet drop-in folder not read: ${e}`, level: 'warning' });
  config.dropIns = [];
  for (const file of listing.entries.filter((f) => f.endsWith('.conf'))) {
    const dropIn = readConfig(facts, host, file, '--config-dir drop-in', KUBELET_CONFIG);
    if (dropIn.error || !dropIn.value) {
      config.error = `drop-in ${file}: ${dropIn.error ?? 'empty'}`;
      break;
    }
    config.value = mergePatch(config.value ?? {}, dropIn.value) as Record<string, unknown>;
    config.dropIns.push({ path: file, value: dropIn.value });
  }
  c.config = config;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMapping(patch)) return patch;
  const out: Record<string, unknown> = isMapping(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function staticPodDir(facts: NodeFacts): FoundPath {
  const kubelet = instancesOf(facts, 'kubelet')[0];
  const flag = kubelet ? readFlag(kubelet.cmd, 'pod-manifest-path') : undefined;
  if (flag?.set && flag.value) return { path: flag.value, how: 'kubelet --pod-manifest-path' };
  const field = getPath(kubelet?.config?.value, ['staticPodPath']);
  if (typeof field === 'string' && field) return { path: field, how: `kubelet staticPodPath in ${kubelet?.config?.path}` };
  return { path: DEFAULT_MANIFESTS_DIR, how: 'kubeadm default path' };
}

function readStaticPods(facts: NodeFacts, host: Host, dir: string): Map<ComponentName, ComponentFacts> {
  const found = new Map<ComponentName, ComponentFacts>();
  if (!host.stat(dir).exists) return found;
  const inventory = new Inventory();
  let nextId = 0;
  const listing = host.list(dir, false);
  for (const e of listing.errors) facts.errors.push({ source: dir, message: `static pod folder not readable: ${e}`, level: 'warning' });
  for (const file of listing.entries.filter((f) => /\.(ya?ml|json)$/.test(f))) {
    const read = host.readText(file);
    if (!read.ok) {
      facts.errors.push({ source: file, message: `static pod manifest not read: ${read.message}`, level: 'warning' });
      continue;
    }
    nextId = addText(inventory, file, read.text, nextId);
  }
  for (const p of inventory.problems) facts.errors.push({ ...p, level: 'warning', message: `static pod manifest: ${p.message}` });
  for (const pod of inventory.pods) {
    const c = componentFromPod(pod);
    if (c && !found.has(c.component)) found.set(c.component, c);
  }
  facts.inventory = inventory;
  return found;
}

/** etcd --config-file and kube-proxy --config replace the flags when given. */
function attachReplacingConfig(facts: NodeFacts, host: Host, c: ComponentFacts, flagName: string, expected: ExpectedKind | undefined): void {
  const flag = readFlag(c.cmd, flagName);
  if (!flag.set || !flag.value) return;
  c.config = readConfig(facts, host, flag.value, `--${flagName} flag`, expected, c.origin.kind === 'process' ? c.origin.pid : undefined);
}

function readConfig(facts: NodeFacts, host: Host, path: string, how: string, expected: ExpectedKind | undefined, pid?: number): ConfigFile {
  let read = host.readText(path);
  let source = path;
  if (!read.ok && read.missing && pid !== undefined && facts.procRoot) {
    // A containerised component (kubeadm's kube-proxy) reads its config from inside its container.
    try {
      read = { ok: true, text: readFileSync(`${facts.procRoot}/${pid}/root${path}`, 'utf8') };
      source = `${path} (inside the container of process ${pid})`;
    } catch {
      // keep the host error
    }
  }
  if (!read.ok) {
    facts.errors.push({ source: path, message: `config file not read: ${read.message}`, level: 'warning' });
    return { path, how, error: read.message };
  }
  const parsed = expected ? parseConfigText(read.text, source, expected) : parseYamlMapping(read.text, source);
  if (!parsed.ok) return configError(facts, path, how, parsed.message);
  return { path, how, value: parsed.value };
}

function configError(facts: NodeFacts, path: string, how: string, message: string): ConfigFile {
  facts.errors.push({ source: path, message: `config file not used: ${message}`, level: 'warning' });
  return { path, how, error: message };
}
