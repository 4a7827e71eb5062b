import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { PodCheck, Violation } from '../types.js';
import { parseImageReference } from './image-reference.js';

export const containerImagePinned: PodCheck = {
  id: 'container-image-pinned',
  title: 'Container images are pinned to a tag or digest, never latest',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:P14'],
  rationale:
    'An image without a tag means `:latest`, and `:latest` moves: each node may pull a different image, a ' +
    'rollback does not roll back, and what was scanned is not what runs. The NSA/CISA guidance asks that ' +
    'only scanned, approved images are deployed, which needs a reference that names one image. A digest ' +
    '(`@sha256:…`) is immutable and best; a version tag is better than nothing but can be re-pushed.',
  remediation:
    'Reference images by digest (registry.example/app@sha256:…, or app:1.2.3@sha256:… to keep the tag ' +
    'readable), or at least by a specific version tag; never omit the tag or use :latest.',
  appliesTo: 'containers of pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass: 'containers:\n- name: app\n  image: registry.example/app:1.2.3@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    fail: 'containers:\n- name: app\n  image: localhost:5000/app',
  },
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      const path = [...c.path, 'image'];
      if (typeof image !== 'string' || image === '') {
        violations.push({ path, message: `container "${c.name}" has no image` });
        continue;
      }
      const ref = parseImageReference(image);
      if ('invalid' in ref) {
        violations.push({ path, message: `container "${c.name}" image "${image}" is not a valid image reference: ${ref.invalid}` });
      } else if (ref.digest) {
        continue; // the runtime pulls by digest; a tag beside it is only a label
      } else if (ref.tag === undefined) {
        violations.push({
          path,
          message: `container "${c.name}" image "${image}" has no tag, so it runs whatever :latest points to; pin it by digest (${ref.name}@sha256:…) or a version tag`,
        });
      } else if (ref.tag === 'latest') {
        violations.push({
          path,
          message: `container "${c.name}" image "${image}" uses the moving :latest tag; pin it by digest (${ref.name}@sha256:…) or a version tag`,
        });
      }
    }
    return violations;
  },
};
