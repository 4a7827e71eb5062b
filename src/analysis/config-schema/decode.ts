// Decodes a configuration file the way the component that loads it does, to say which fields it
// would refuse or ignore. Facts from the loaders (k8s.io/apiserver v0.37.2, k8s.io/kubernetes
// v1.37.2):
// - EncryptionConfiguration (pkg/server/options/encryptionconfig/config.go), AdmissionConfiguration
//   (pkg/admission/config.go), AuthorizationConfiguration (pkg/apis/apiserver/load/load.go) and
//   AuthenticationConfiguration (pkg/kubeapiserver/options/authentication.go) are decoded with
//   serializer.EnableStrict only: an unknown or duplicate field is an error and the API server
//   does not start (or, on a reload, keeps the old file).
// - The audit Policy (pkg/audit/policy/reader.go) and the KubeletConfiguration
//   (pkg/kubelet/kubeletconfig/util/codec) try strict decoding, then fall back to lenient decoding
//   with a logged warning: an unknown field is silently ignored, which for a misspelled field
//   means the setting is not applied.
// - Both refuse a kind their scheme does not register and a value of the wrong JSON type
//   (encoding/json never converts a number into a string or a string into a boolean).
// Field names are matched case-sensitively (sigs.k8s.io/json), so `Resources` is unknown.

import { formatPath, isMapping, type PathSegment } from '../../inventory/model.js';
import { CONFIG_SCHEMAS } from './schemas.generated.js';
import { nearestName } from '../near-miss.js';
import type { SchemaNode } from './schema.js';

export interface ConfigLoader {
  /** What loads the file, for messages: "the API server", "the kubelet". */
  loader: string;
  /** Whether an unknown field makes it refuse the file (else it is ignored with a warning). */
  strict: boolean;
}

const LOADERS: Record<string, ConfigLoader> = {
  EncryptionConfiguration: { loader: 'the API server', strict: true },
  EncryptionConfig: { loader: 'the API server', strict: true },
  AdmissionConfiguration: { loader: 'the API server', strict: true },
  AuthenticationConfiguration: { loader: 'the API server', strict: true },
  AuthorizationConfiguration: { loader: 'the API server', strict: true },
  Policy: { loader: 'the API server', strict: false },
  KubeletConfiguration: { loader: 'the kubelet', strict: false },
};

/** The groups whose every object is a configuration file (never an API resource). */
const CONFIG_GROUPS: Record<string, ConfigLoader> = {
  'apiserver.config.k8s.io': { loader: 'the API server', strict: true },
  'audit.k8s.io': { loader: 'the API server', strict: false },
  'kubelet.config.k8s.io': { loader: 'the kubelet', strict: false },
};

/** Kinds registered in those groups that kubeharden does not model: not misspellings. */
const OTHER_REGISTERED_KINDS = new Set([
  'EgressSelectorConfiguration', 'TracingConfiguration', 'Event', 'EventList', 'PolicyList',
  'CredentialProviderConfig', 'SerializedNodeConfigSource', 'ImageReviewConfig',
]);

export interface DecodeProblem {
  path: PathSegment[];
  message: string;
  /** True when the loader refuses the whole file; false when it ignores the field with a warning. */
  refused: boolean;
}

export interface DecodedConfig extends ConfigLoader {
  /** `apiserver.config.k8s.io/v1/EncryptionConfiguration`. */
  type: string;
  problems: DecodeProblem[];
}

/** The schema key of an object (the legacy `v1` EncryptionConfig included), or undefined. */
export function configType(apiVersion: string, kind: string): string | undefined {
  const key = `${apiVersion}/${kind}`;
  return Object.hasOwn(CONFIG_SCHEMAS, key) ? key : undefined;
}

/** Whether an object is one of the configuration files decoded here, or claims to be (its group says so). */
export function isConfigFileObject(apiVersion: string, kind: string): boolean {
  if (configType(apiVersion, kind)) return true;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return Object.hasOwn(CONFIG_GROUPS, group);
}

/**
 * How the loader decodes this object: the fields it refuses or ignores, a kind or version it
 * does not register. Undefined for objects of other groups.
 */
export function decodeConfig(raw: Record<string, unknown>): DecodedConfig | undefined {
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  const kind = typeof raw.kind === 'string' ? raw.kind : '';
  const type = configType(apiVersion, kind);
  if (type) {
    const loader = LOADERS[kind]!;
    const problems: DecodeProblem[] = [];
    walk(raw, CONFIG_SCHEMAS[type]!, [], loader, problems);
    return { type, ...loader, problems };
  }
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!Object.hasOwn(CONFIG_GROUPS, group) || OTHER_REGISTERED_KINDS.has(kind)) return undefined;
  const loader = CONFIG_GROUPS[group]!;
  const known = Object.keys(CONFIG_SCHEMAS).filter((k) => k.startsWith(`${group}/`));
  const sameKind = known.filter((k) => k.endsWith(`/${kind}`));
  const message = sameKind.length
    ? `${loader.loader} does not read ${kind} at ${apiVersion}; it reads ${sameKind.map((k) => k.slice(0, k.lastIndexOf('/'))).join(', ')}`
    : `${loader.loader} registers no kind "${kind}" in ${group}${suggest(kind, known.map((k) => k.slice(k.lastIndexOf('/') + 1)))}`;
  return { type: `${apiVersion}/${kind}`, ...loader, problems: [{ path: [sameKind.length ? 'apiVersion' : 'kind'], message, refused: true }] };
}

function walk(value: unknown, node: SchemaNode, path: PathSegment[], loader: ConfigLoader, out: DecodeProblem[]): void {
  if (value === null || value === undefined || node.kind === 'any') return;
  const wrongType = (expected: string): void => void
    out.push({ path, message: `${where(path)} must be ${expected}, got ${describe(value)}: the file does not decode`, refused: true });
  switch (node.kind) {
    case 'string':
      if (typeof value !== 'string') wrongType('a string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType('true or false');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) wrongType('an integer');
      return;
    case 'number':
      if (typeof value !== 'number') wrongType('a number');
      return;
    case 'list':
      if (!Array.isArray(value)) return wrongType('a list');
      value.forEach((item, i) => walk(item, node.items, [...path, i], loader, out));
      return;
    case 'map':
      if (!isMapping(value)) return wrongType('a mapping');
      for (const [k, item] of Object.entries(value)) walk(item, node.items, [...path, k], loader, out);
      return;
    case 'object': {
      if (!isMapping(value)) return wrongType('a mapping');
      const fields = node.fields ?? {};
      for (const [k, item] of Object.entries(value)) {
        const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
        if (field) {
          walk(item, field, [...path, k], loader, out);
          continue;
        }
        const hint = suggest(k, Object.keys(fields));
        out.push({
          path: [...path, k],
          message: loader.strict
            ? `unknown field "${where([...path, k])}"${hint}: ${loader.loader} refuses this file`
            : `unknown field "${where([...path, k])}"${hint}: ${loader.loader} ignores it (it falls back to lenient decoding and logs a warning), so the setting is not applied`,
          refused: loader.strict,
        });
      }
    }
  }
}

/** ` (did you mean "providers"?)` for a near miss: another case, or up to two edits. */
function suggest(name: string, candidates: string[]): string {
  const best = nearestName(name, candidates);
  return best ? ` (did you mean "${best}"?)` : '';
}

function where(path: PathSegment[]): string {
  return formatPath(path) || 'the document';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}
