// Finds the pod specs inside every pod-bearing object, once, and checks the shape of the fields
// that checks read. Where they sit is pod-bearing-kinds.ts. A pod spec with the wrong shape (say
// `containers: "nginx"`) would be rejected by the API server; we report it as an input problem
// and leave that template out of the pod checks rather than guess. An object with several
// templates (a RayCluster's head and worker groups) keeps the ones that are well formed.

import {
  ContainerListName,
  ContainerRef,
  InventoryObject,
  PathSegment,
  PodTarget,
  formatPath,
  isMapping,
} from './model.js';
import { EVERY_ITEM, EVERY_VALUE, POD_BEARING, hasSeveralTemplates, podBearingKind, rightApiVersion, type TemplateLocation } from './pod-bearing-kinds.js';

export const POD_BEARING_KINDS = Object.keys(POD_BEARING);

/**
 * Whether objects of this kind, group and version carry pod specs. The live-cluster source asks
 * it about the built-in controllers it lists (custom resources are not listed there).
 */
export function isPodBearing(obj: Pick<InventoryObject, 'kind' | 'group' | 'apiVersion'>): boolean {
  return podBearingKind(obj) !== undefined;
}

export interface PodProblem {
  message: string;
  /** For objects with several templates: the part whose pod checks were not run. */
  skipped?: string;
}

export interface PodExtraction {
  /** Every well-formed pod spec of the object, in the order of its templates. */
  targets: PodTarget[];
  /** Input problems, each naming the field; the templates they concern are not in `targets`. */
  problems: PodProblem[];
}

/** Every pod spec of an object; none for kinds that carry none, and for a controller without a template. */
export function extractPodSpecs(obj: InventoryObject): PodExtraction {
  const out: PodExtraction = { targets: [], problems: [] };
  const kind = podBearingKind(obj);
  if (!kind) {
    const right = rightApiVersion(obj);
    if (right) out.problems.push({ message: `apiVersion ${obj.apiVersion || '(none)'} does not serve kind ${obj.kind}, so the API server would refuse it; write apiVersion: ${right}` });
    return out;
  }
  const several = hasSeveralTemplates(kind);
  for (const location of kind.templates) {
    for (const part of partsAt(obj.raw, location, several, out.problems)) {
      extractTemplate(obj, location, part, several, out);
    }
  }
  return out;
}

interface Found {
  path: PathSegment[];
  value: unknown;
}

/** The parts a location names in this object; missing ones are simply absent, wrong shapes are problems. */
function partsAt(raw: Record<string, unknown>, location: TemplateLocation, several: boolean, problems: PodProblem[]): Found[] {
  let found: Found[] = [{ path: [], value: raw }];
  for (const seg of location.at) {
    const next: Found[] = [];
    for (const { path, value } of found) {
      if (value === undefined || value === null) continue;
      const wrong = (expected: string) => problems.push(problem(`${formatPath(path)} must be ${expected}, got ${typeName(value)}`, path, several));
      if (seg === EVERY_ITEM) {
        if (!Array.isArray(value)) wrong('a list');
        else value.forEach((item, i) => next.push({ path: [...path, i], value: item }));
      } else if (!isMapping(value)) {
        wrong('a mapping');
      } else if (seg === EVERY_VALUE) {
        for (const [key, item] of Object.entries(value)) next.push({ path: [...path, key], value: item });
      } else {
        next.push({ path: [...path, seg], value: value[seg] });
      }
    }
    found = next;
  }
  return found;
}

function extractTemplate(obj: InventoryObject, location: TemplateLocation, part: Found, several: boolean, out: PodExtraction): void {
  const report = (message: string) => out.problems.push(problem(message, part.path, several));

  // Walk to the PodTemplateSpec; a missing one (ReplicationController with template: null) is skipped.
  let template = part.value;
  let templatePath = part.path;
  for (const seg of location.template) {
    if (template === undefined || template === null) return;
    if (!isMapping(template)) return void report(`${formatPath(templatePath)} must be a mapping, got ${typeName(template)}`);
    template = template[seg];
    templatePath = [...templatePath, seg];
  }
  if (template === undefined || template === null) return;
  if (!isMapping(template)) return void report(`${formatPath(templatePath)} must be a mapping, got ${typeName(template)}`);

  const specPath = [...templatePath, 'spec'];
  const metaPath = [...templatePath, 'metadata'];
  const spec = template.spec;
  if (spec === undefined || spec === null) return;
  if (!isMapping(spec)) return void report(`${formatPath(specPath)} must be a mapping, got ${typeName(spec)}`);
  const meta = template.metadata;
  if (meta !== undefined && meta !== null && !isMapping(meta)) return void report(`${formatPath(metaPath)} must be a mapping, got ${typeName(meta)}`);

  const problems = validatePodSpecShape(spec, specPath);
  if (isMapping(meta) && meta.annotations !== undefined && meta.annotations !== null && !isMapping(meta.annotations)) {
    problems.push(`${formatPath([...metaPath, 'annotations'])} must be a mapping, got ${typeName(meta.annotations)}`);
  }
  if (problems.length) {
    for (const message of problems) report(message);
    return;
  }

  const target: PodTarget = { object: obj, meta: isMapping(meta) ? meta : {}, spec, metaPath, specPath };
  if (several) target.part = partName(part.path);
  const namesAccount = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '';
  const operatorAccount = namesAccount ? undefined : location.serviceAccount?.(obj, part.path);
  if (operatorAccount) target.operatorServiceAccount = operatorAccount;
  out.targets.push(target);
}

/** `workerGroupSpecs[1]` for spec.workerGroupSpecs[1]: the part named from spec. */
function partName(path: PathSegment[]): string {
  return formatPath(path[0] === 'spec' ? path.slice(1) : path);
}

function problem(message: string, path: PathSegment[], several: boolean): PodProblem {
  return several ? { message, skipped: formatPath(path) || 'the object' } : { message };
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

function typeName(value: unknown): string {
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
