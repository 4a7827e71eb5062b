// A check template, kube-linter style: "every container sets these fields". Checks that differ
// only in the fields they want (resource limits, resource requests) configure it instead of
// copying it.

import { coveredContainers } from '../covered-containers.js';
import { formatPath, getPath, type PathSegment } from '../../inventory/model.js';
import type { CheckMeta, PodCheck, Violation } from '../types.js';

export interface RequiredField {
  /** Path inside a container that must hold a non-empty value, e.g. ['resources','limits','cpu']. */
  path: PathSegment[];
  /** A field the API server copies into `path` when `path` is unset (requests default to limits). */
  defaultedFrom?: PathSegment[];
  /** A pod-spec field that, when set, stands in for this field on every container (pod-level resources). */
  podLevel?: PathSegment[];
}

export interface ContainerFieldSetOptions extends Omit<CheckMeta, 'appliesTo'> {
  fields: RequiredField[];
}

/**
 * Builds a PodCheck that fails for each init or regular container missing one of the fields.
 * Ephemeral containers are skipped: the API forbids resources on them and they are debugging
 * aids, not part of the workload.
 */
export function containerFieldSetCheck(options: ContainerFieldSetOptions): PodCheck {
  const { fields, ...meta } = options;
  const check: PodCheck = {
    ...meta,
    appliesTo: 'init and regular containers of pod specs (Pods and every workload template)',
    containers: {
      covers: ['initContainers', 'containers'],
      why: 'the API refuses resources on ephemeral containers, and they are debugging aids, not part of the workload',
    },
    scope: 'pod',
    evaluate(pod) {
      const violations: Violation[] = [];
      for (const c of coveredContainers(pod, check)) {
        for (const field of fields) {
          if (field.podLevel && isQuantitySet(getPath(pod.spec, field.podLevel))) continue;
          const value = getPath(c.container, field.path);
          if (isQuantitySet(value)) continue;
          if (field.defaultedFrom && isQuantitySet(getPath(c.container, field.defaultedFrom))) continue;
          const what = value === undefined || value === null ? 'does not set' : 'sets an empty';
          const fallback = field.defaultedFrom ? ` (nor ${formatPath(field.defaultedFrom)}, which it would default to)` : '';
          violations.push({
            path: [...c.path, ...field.path],
            message: `container "${c.name}" ${what} ${formatPath(field.path)}${fallback}`,
          });
        }
      }
      return violations;
    },
  };
  return check;
}

/** A quantity is written as a string ("500m", "1Gi") or a bare number (1); anything else is unset. */
export function isQuantitySet(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  return typeof value === 'number' && Number.isFinite(value);
}
