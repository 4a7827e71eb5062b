// Finds the pod spec inside every pod-bearing kind, once, and checks the shape of the fields
// that checks read. An object whose pod spec has the wrong shape (say `containers: "nginx"`)
// would be rejected by the API server; we report it as an input problem and leave it out
// of the pod checks rather than guess.

import {
  ContainerListName,
  ContainerRef,
  InventoryObject,
  PathSegment,
  PodTarget,
  formatPath,
  isMapping,
} from './model.js';

interface PodLocation {
  metaPath: PathSegment[];
  specPath: PathSegment[];
}

/** kind → accepted API groups and where its pod template lives (spec/pss.md table). */
const POD_BEARING: Record<string, { groups: string[]; location: PodLocation }> = {
  Pod: { groups: [''], location: { metaPath: ['metadata'], specPath: ['spec'] } },
  PodTemplate: { groups: [''], location: { metaPath: ['template', 'metadata'], specPath: ['template', 'spec'] } },
  ReplicationController: { groups: [''], location: templateAt(['spec', 'template']) },
  ReplicaSet: { groups: ['apps', 'extensions'], location: templateAt(['spec', 'template']) },
  Deployment: { groups: ['apps', 'extensions'], location: templateAt(['spec', 'template']) },
  StatefulSet: { groups: ['apps'], location: templateAt(['spec', 'template']) },
  DaemonSet: { groups: ['apps', 'extensions'], location: templateAt(['spec', 'template']) },
  Job: { groups: ['batch'], location: templateAt(['spec', 'template']) },
  CronJob: { groups: ['batch'], location: templateAt(['spec', 'jobTemplate', 'spec', 'template']) },
};

function templateAt(prefix: PathSegment[]): PodLocation {
  return { metaPath: [...prefix, 'metadata'], specPath: [...prefix, 'spec'] };
}

export const POD_BEARING_KINDS = Object.keys(POD_BEARING);

export function isPodBearing(obj: Pick<InventoryObject, 'kind' | 'group'>): boolean {
  const entry = POD_BEARING[obj.kind];
  return entry !== undefined && entry.groups.includes(obj.group);
}

export type PodExtraction =
  | { kind: 'none' } // not pod-bearing, or a controller without a template
  | { kind: 'pod'; target: PodTarget }
  | { kind: 'invalid'; problems: string[] };

export function extractPodSpec(obj: InventoryObject): PodExtraction {
  const entry = POD_BEARING[obj.kind];
  if (!entry || !entry.groups.includes(obj.group)) return { kind: 'none' };
  const { metaPath, specPath } = entry.location;

  // Walk to the pod spec; a missing template (ReplicationController with template: null) is skipped.
  let cur: unknown = obj.raw;
  for (let i = 0; i < specPath.length; i++) {
    const seg = specPath[i] as string;
    if (cur === undefined || cur === null) return { kind: 'none' };
    if (!isMapping(cur)) {
      return { kind: 'invalid', problems: [`${formatPath(specPath.slice(0, i))} must be a mapping, got ${typeName(cur)}`] };
    }
    cur = cur[seg];
  }
  if (cur === undefined || cur === null) return { kind: 'none' };
  if (!isMapping(cur)) return { kind: 'invalid', problems: [`${formatPath(specPath)} must be a mapping, got ${typeName(cur)}`] };
  const spec = cur;

  let meta: unknown = obj.raw;
  for (const seg of metaPath) meta = isMapping(meta) ? meta[seg as string] : undefined;
  if (meta !== undefined && meta !== null && !isMapping(meta)) {
    return { kind: 'invalid', problems: [`${formatPath(metaPath)} must be a mapping, got ${typeName(meta)}`] };
  }

  const problems = validatePodSpecShape(spec, specPath);
  if (meta && isMapping(meta) && meta.annotations !== undefined && meta.annotations !== null && !isMapping(meta.annotations)) {
    problems.push(`${formatPath([...metaPath, 'annotations'])} must be a mapping, got ${typeName(meta.annotations)}`);
  }
  if (problems.length) return { kind: 'invalid', problems };
  return {
    kind: 'pod',
    target: { object: obj, meta: isMapping(meta) ? meta : {}, spec, metaPath, specPath },
  };
}

const CONTAINER_LISTS: ContainerListName[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Containers in the order the Pod Security Admission library visits them: init, regular, ephemeral. */
export function containersOf(pod: PodTarget): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, index) => {
      if (!isMapping(container)) return;
      refs.push({
        container,
        list,
        index,
        path: [...pod.specPath, list, index],
        name: typeof container.name === 'string' ? container.name : `${list}[${index}]`,
      });
    });
  }
  return refs;
}

// Fields the checks read, with the JSON type the API requires. A wrong type is an input problem.
type Expected = 'boolean' | 'string' | 'integer' | 'mapping' | 'list';
const POD_SECURITY_CONTEXT_FIELDS: Record<string, Expected> = {
  runAsNonRoot: 'boolean', runAsUser: 'integer', runAsGroup: 'integer', fsGroup: 'integer',
  seccompProfile: 'mapping', appArmorProfile: 'mapping', seLinuxOptions: 'mapping',
  windowsOptions: 'mapping', sysctls: 'list', supplementalGroups: 'list',
};
const CONTAINER_SECURITY_CONTEXT_FIELDS: Record<string, Expected> = {
  privileged: 'boolean', allowPrivilegeEscalation: 'boolean', readOnlyRootFilesystem: 'boolean',
  runAsNonRoot: 'boolean', runAsUser: 'integer', runAsGroup: 'integer', procMount: 'string',
  capabilities: 'mapping', seccompProfile: 'mapping', appArmorProfile: 'mapping',
  seLinuxOptions: 'mapping', windowsOptions: 'mapping',
};
const POD_SPEC_FIELDS: Record<string, Expected> = {
  hostNetwork: 'boolean', hostPID: 'boolean', hostIPC: 'boolean', hostUsers: 'boolean',
  automountServiceAccountToken: 'boolean', securityContext: 'mapping', volumes: 'list',
  os: 'mapping', serviceAccountName: 'string', runtimeClassName: 'string',
};

function validatePodSpecShape(spec: Record<string, unknown>, specPath: PathSegment[]): string[] {
  const problems: string[] = [];
  checkFields(spec, POD_SPEC_FIELDS, specPath, problems);
  if (isMapping(spec.securityContext)) {
    checkFields(spec.securityContext, POD_SECURITY_CONTEXT_FIELDS, [...specPath, 'securityContext'], problems);
  }
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((v, i) => {
      if (!isMapping(v)) problems.push(`${formatPath([...specPath, 'volumes', i])} must be a mapping, got ${typeName(v)}`);
    });
  }
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (items === undefined || items === null) continue;
    const listPath = [...specPath, list];
    if (!Array.isArray(items)) {
      problems.push(`${formatPath(listPath)} must be a list of containers, got ${typeName(items)}`);
      continue;
    }
    items.forEach((c, i) => {
      const cPath = [...listPath, i];
      if (!isMapping(c)) {
        problems.push(`${formatPath(cPath)} must be a container mapping, got ${typeName(c)}`);
        return;
      }
      checkFields(c, { name: 'string', image: 'string', securityContext: 'mapping', ports: 'list', env: 'list', envFrom: 'list', resources: 'mapping', volumeMounts: 'list' }, cPath, problems);
      if (isMapping(c.securityContext)) {
        checkFields(c.securityContext, CONTAINER_SECURITY_CONTEXT_FIELDS, [...cPath, 'securityContext'], problems);
        const caps = c.securityContext.capabilities;
        if (isMapping(caps)) checkFields(caps, { add: 'list', drop: 'list' }, [...cPath, 'securityContext', 'capabilities'], problems);
      }
    });
  }
  return problems;
}

function checkFields(obj: Record<string, unknown>, fields: Record<string, Expected>, at: PathSegment[], problems: string[]): void {
  for (const [field, expected] of Object.entries(fields)) {
    const value = obj[field];
    if (value === undefined || value === null) continue;
    if (!hasType(value, expected)) {
      problems.push(`${formatPath([...at, field])} must be ${article(expected)}, got ${typeName(value)} ${preview(value)}`.trimEnd());
    }
  }
}

function hasType(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'mapping': return isMapping(value);
    case 'list': return Array.isArray(value);
  }
}

function article(expected: Expected): string {
  return expected === 'integer' ? 'an integer' : expected === 'list' ? 'a list' : `a ${expected}`;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  return `a ${typeof value}`;
}

function preview(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}
