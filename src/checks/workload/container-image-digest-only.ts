// A stricter policy beside container-image-pinned (checkov CKV_K8S_43): every image by digest.
// Opt-in, since a version tag is an accepted practice; turn it on where images must be immutable.

import { EVERY_CONTAINER, coveredContainers } from '../covered-containers.js';
import type { PodCheck, Violation } from '../types.js';
import { parseImageReference } from './image-reference.js';

export const containerImageDigestOnly: PodCheck = {
  id: 'container-image-digest-only',
  title: 'Container images are referenced by digest (policy, opt-in)',
  severity: 'medium',
  category: 'workload',
  controls: ['nsa:P14'],
  rationale:
    'A tag can be pushed again, so the image that runs may not be the one that was scanned and approved; a digest ' +
    '(`@sha256:…`) names exactly one image. This is the strict form of container-image-pinned, for clusters whose policy ' +
    'is that only digests are deployed.',
  remediation: 'Reference each image by digest: registry.example/app@sha256:… (or app:1.2.3@sha256:… to keep the tag readable).',
  appliesTo: 'image of every container of pod specs',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  optIn: true,
  examples: {
    pass: 'image: registry.example/app:1.2.3@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    fail: 'image: registry.example/app:1.2.3',
  },
  evaluate(pod) {
    const out: Violation[] = [];
    for (const c of coveredContainers(pod, containerImageDigestOnly)) {
      const image = c.container.image;
      if (typeof image !== 'string' || image === '') continue; // container-image-pinned reports a missing image
      const ref = parseImageReference(image);
      if ('invalid' in ref || ref.digest) continue; // an invalid reference is container-image-pinned's finding
      out.push({ path: [...c.path, 'image'], message: `container "${c.name}" image "${image}" is not referenced by digest` });
    }
    return out;
  },
};
