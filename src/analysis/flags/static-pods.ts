// Control-plane components in Pod manifests: a kubeadm static pod (`/etc/kubernetes/manifests/`)
// or a saved kube-system Pod list. The component is recognised from the container's command
// (`kube-apiserver …`), else from the `component` label kubeadm sets; argv is command + args,
// each token remembering its path in the Pod so findings point at `command[i]`.

import { identifyComponent, isComponentName, parseComponentCommandLine } from './components.js';
import { type ComponentName } from '../../inventory/node-facts.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { isMapping, type PathSegment, type PodTarget } from '../../inventory/model.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { ComponentFacts } from '../../inventory/node-facts.js';

export function componentsFromInventory(inventory: Inventory): ComponentFacts[] {
  const out: ComponentFacts[] = [];
  for (const pod of inventory.pods) {
    if (pod.object.kind !== 'Pod') continue;
    const found = componentFromPod(pod);
    if (found) out.push(found);
  }
  return out;
}

export function componentFromPod(pod: PodTarget): ComponentFacts | undefined {
  const object = pod.object;
  const label = object.labels.component;
  for (const ref of containersOf(pod)) {
    if (ref.list !== 'containers') continue;
    const command = stringList(ref.container.command);
    const args = stringList(ref.container.args);
    const argv: string[] = [];
    const argPaths: PathSegment[][] = [];
    command.forEach((t, i) => { argv.push(t); argPaths.push([...ref.path, 'command', i]); });
    let component = identifyComponent(argv);
    const entrypoint = command.length === 0 ? entrypointComponent(label, ref.container.image) : undefined;
    if (!component && entrypoint) {
      // No command: the image's entrypoint runs the component and args are all flags.
      component = entrypoint;
      argv.push(entrypoint);
      argPaths.push([...ref.path]);
    }
    if (!component) continue;
    args.forEach((t, i) => { argv.push(t); argPaths.push([...ref.path, 'args', i]); });
    const env = new Map<string, { value: string; path?: PathSegment[] }>();
    if (Array.isArray(ref.container.env)) {
      ref.container.env.forEach((e, i) => {
        if (isMapping(e) && typeof e.name === 'string' && e.name.startsWith('ETCD_') && e.value !== undefined && e.value !== null) {
          env.set(e.name, { value: String(e.value), path: [...ref.path, 'env', i, 'value'] });
        }
      });
    }
    const appendList = ref.container.args !== undefined ? 'args' : 'command';
    return {
      component,
      origin: {
        kind: 'manifest',
        file: object.source.file,
        object,
        containerPath: ref.path,
        argPaths,
        appendPath: [...ref.path, appendList],
      },
      cmd: parseComponentCommandLine(argv),
      env,
      where: `static pod manifest ${object.source.file}`,
    };
  }
  return undefined;
}

/**
 * The component an image's entrypoint runs: the kubeadm `component` label, else a kube-apiserver
 * image (`registry.k8s.io/kube-apiserver:v1.34.1`, `…/kube-apiserver-amd64@sha256:…`).
 */
function entrypointComponent(label: string | undefined, image: unknown): ComponentName | undefined {
  if (label && isComponentName(label)) return label;
  return typeof image === 'string' && /(^|\/)kube-apiserver(-[a-z0-9]+)?([:@]|$)/.test(image) ? 'kube-apiserver' : undefined;
}

/** Only lists of strings count; numbers and booleans become text as the API server would reject them. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === 'string' ? v : String(v)));
}
