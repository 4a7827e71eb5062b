// The containers a check covers, as its `containers` metadata says: one place decides, so the
// metadata the docs show is what the check does.

import { containersOf } from '../inventory/pod-specs.js';
import type { ContainerListName, ContainerRef, PodTarget } from '../inventory/model.js';
import type { CheckMeta } from './types.js';

export const ALL_CONTAINER_LISTS: ContainerListName[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** The pod's containers in the lists the check covers (every list when it declares none). */
export function coveredContainers(pod: PodTarget, meta: Pick<CheckMeta, 'containers'>): ContainerRef[] {
  const covers = meta.containers?.covers ?? ALL_CONTAINER_LISTS;
  return containersOf(pod).filter((c) => covers.includes(c.list));
}

/** Why: shared wording for the two common choices. */
export const EVERY_CONTAINER = {
  covers: ALL_CONTAINER_LISTS,
  why: 'every container runs in the pod with what it is given, whether it is an init, regular or ephemeral (debug) container',
};
export const PSA_CONTAINERS = {
  covers: ALL_CONTAINER_LISTS,
  why: 'as the Pod Security Admission library: init, regular and ephemeral containers alike',
};
