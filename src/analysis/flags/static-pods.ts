// Control-plane components in Pod manifests: a kubeadm static pod (`/etc/kubernetes/manifests/`)
// or a saved kube-system Pod list. The component is recognised from what the container runs:
// its command, else args that name the program, else an image whose entrypoint is the component,
// else the `component` label kubeadm sets (recorded as `recognisedBy`); argv is command + args,
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
    args.forEach((t, i) => { argv.push(t); argPaths.push([...ref.path, 'args', i]); });
    const found = recogniseComponent(command, args, label, ref.container.image);
    if (!found) continue;
    if (found.by.startsWith('image') || found.by.startsWith('label')) {
      // The image's entrypoint runs the component and args are all flags: the program name is
      // implied, pointing at the container.
      argv.unshift(found.component);
      argPaths.unshift([...ref.path]);
    }
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
      component: found.component,
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
      recognisedBy: found.by,
      where: found.by === 'command' ? `static pod manifest ${object.source.file}` : `static pod manifest ${object.source.file} (${found.component} recognised by ${found.by})`,
    };
  }
  return undefined;
}

/**
 * What a container runs, in the order the container runtime decides it: `command` replaces the
 * image's ENTRYPOINT; without it, `args` replace the image's CMD — so in images whose CMD is the
 * program (etcd's images have no ENTRYPOINT), `args` start with the program name; otherwise the
 * image's ENTRYPOINT is the component and `args` are only its flags. The kubeadm `component`
 * label is the last resort, for images kubeharden does not know.
 */
export function recogniseComponent(
  command: readonly string[],
  args: readonly string[],
  label: string | undefined,
  image: unknown,
): { component: ComponentName; by: string } | undefined {
  if (command.length > 0) {
    const component = identifyComponent([...command, ...args]);
    return component ? { component, by: 'command' } : undefined;
  }
  const fromArgs = args[0]?.startsWith('-') ? undefined : identifyComponent(args);
  if (fromArgs) return { component: fromArgs, by: 'args' };
  if (args.length > 0 && !args.every((a) => a.startsWith('-'))) return undefined; // args run something else
  const fromImage = imageComponent(image);
  if (fromImage) return { component: fromImage, by: `image ${String(image)}` };
  if (label && isComponentName(label)) return { component: label, by: `label component=${label}` };
  return undefined;
}

/**
 * Images whose entrypoint runs the component: the upstream images
 * (`registry.k8s.io/kube-apiserver:v1.34.1`, `…/kube-apiserver-amd64@sha256:…`, k8s.gcr.io,
 * `registry.k8s.io/etcd`, `quay.io/coreos/etcd`, `gcr.io/etcd-development/etcd`) and mirrors
 * that keep the repository name (`…/etcd:3.5.16-0`, `rancher/mirrored-coreos-etcd`). The last
 * path segment must be exactly the component (an arch suffix allowed), so `etcd-operator`,
 * `etcd-backup` or `kube-apiserver-proxy` are not taken for it.
 */
function imageComponent(image: unknown): ComponentName | undefined {
  if (typeof image !== 'string') return undefined;
  const repo = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  const last = repo.split('/').pop() ?? '';
  const m = /^(?:mirrored-(?:coreos-)?)?(kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|etcd)(?:-(?:amd64|arm64|arm|ppc64le|s390x))?$/.exec(last);
  return m ? (m[1] as ComponentName) : undefined;
}

/** Only lists of strings count; numbers and booleans become text as the API server would reject them. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (typeof v === 'string' ? v : String(v)));
}
