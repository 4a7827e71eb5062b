// NodeFacts: what a node audit saw — the components' command lines (from /proc or from
// static pod manifests), their config files, and the host filesystem to stat. Checks read
// these facts; sources fill them.



import type { InputError } from '../result/result.js';
import type { Inventory } from './inventory.js';
import type { InventoryObject, PathSegment } from './model.js';
import type { RecordedHost } from './host-files.js';
import type { PlatformFacts } from './node-platform.js';

/** Where a component's command line was read. */
export type Origin =
  | { kind: 'process'; pid: number }
  | {
      kind: 'manifest';
      file: string;
      object: InventoryObject;
      /** Path from the Pod root to the container. */
      containerPath: PathSegment[];
      /** For each argv token, its path in the Pod (`spec.containers[0].command[3]`). */
      argPaths: PathSegment[][];
      /** Path of the list a new flag would be appended to (command or args). */
      appendPath: PathSegment[];
    }
  /** A component known only from its config file (a KubeletConfiguration in a manifest scan), or rebuilt from a distribution's defaults and settings (k3s). */
  | { kind: 'config'; file: string; object?: InventoryObject; /** Where each argv token came from, when known ("k3s default", "kube-apiserver-arg in /etc/rancher/k3s/config.yaml"). */ argSources?: string[] };

/** A config file a component reads (kubelet `--config`, etcd `--config-file`, kube-proxy `--config`). */
/** `ConfigFile.how` of kubelet --config-dir drop-ins merged without a config file (`path` is then the folder). */
export const KUBELET_DROP_INS_ONLY = '--config-dir drop-ins';

export interface ConfigFile {
  path: string;
  /** How the path was found: `--config flag`, `default location`, `manifest`. */
  how: string;
  value?: Record<string, unknown>;
  /** Why it could not be used (missing, unreadable, not YAML, wrong kind). */
  error?: string;
  /** Set when the file was read from the inventory (manifest scans), for finding locations. */
  object?: InventoryObject;
  /** kubelet --config-dir drop-ins merged over the file, in the order applied; `value` is the merged result. */
  dropIns?: { path: string; value: Record<string, unknown> }[];
}

export interface ComponentFacts {
  component: ComponentName;
  origin: Origin;
  cmd: ParsedCommandLine;
  /** `ETCD_*` variables of the process or container (other variables are never kept: they may hold secrets). */
  env: Map<string, { value: string; path?: PathSegment[] }>;
  config?: ConfigFile;
  /**
   * How a Pod's container was taken for this component: `command`, `args` (they name the
   * program), `image …` (its entrypoint runs it) or `label component=…`. Processes: unset.
   */
  recognisedBy?: string;
  /**
   * Set when the component's command line could not be read (no process seen, no unit file
   * showing its flags): why, and how to give it. A flag on the real command line could override
   * what the config file says, so a pass from the file alone is not confirmed.
   */
  commandLineUnknown?: string;
  /** "process 1234", "static pod manifest /etc/kubernetes/manifests/kube-apiserver.yaml". */
  where: string;
}

/** The components a node audit knows. */
export const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'kube-proxy'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** One occurrence of a flag on the command line. */
export interface FlagOccurrence {
  /** The text after `=` or the next token; undefined for a bare flag (`--profiling`). */
  value: string | undefined;
  /** Index in argv of the token holding the flag name. */
  index: number;
  /** Index of the token holding the value when it was given as `--a b`. */
  valueIndex?: number;
}

export interface ParsedCommandLine {
  argv: string[];
  /** Every flag by name (without dashes), occurrences in command-line order. */
  flags: Map<string, FlagOccurrence[]>;
  /** Tokens that are not flags or flag values (Kubernetes components refuse to start with any). */
  positionals: { value: string; index: number }[];
}

export const DEFAULT_MANIFESTS_DIR = '/etc/kubernetes/manifests';

/** A path and how it was found ("kubelet staticPodPath in /var/lib/kubelet/config.yaml", "kubeadm default path"). */
export interface FoundPath {
  path: string;
  how: string;
}

export interface NodeFacts {
  /** 'node': a host was read; 'manifests': facts come from an inventory of manifests only. */
  mode: 'node' | 'manifests';
  /** Undefined in manifest scans: file checks cannot run there. */
  host?: RecordedHost;
  /** The proc folder processes were read from (undefined when processes were not read). */
  procRoot?: string;
  /** The kubelet's static pod folder (node scans only). */
  staticPodDir?: FoundPath;
  /** The inventory of manifests (static pods, config objects) the facts came from, if any. */
  inventory?: Inventory;
  components: Map<ComponentName, ComponentFacts[]>;
  /** Why a component was not found where it was looked for. */
  notFound: Map<ComponentName, string>;
  /** The distribution (k3s, RKE2, EKS…), its benchmark and its files, stated up front (node scans only). */
  platform?: PlatformFacts;
  errors: InputError[];
}

export function instancesOf(facts: NodeFacts, component: ComponentName): ComponentFacts[] {
  return facts.components.get(component) ?? [];
}

export function addComponent(facts: NodeFacts, c: ComponentFacts): void {
  let list = facts.components.get(c.component);
  if (!list) facts.components.set(c.component, (list = []));
  list.push(c);
}
