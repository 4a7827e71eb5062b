// Reads an EncryptionConfiguration (apiserver.config.k8s.io/v1) the way the API server does
// (spec/semantics.md section 4): every validation error it would refuse to start with, with the
// exact field path; the provider list that applies to a group/resource; and the keys, decoded.
// Key material stays inside this model: no message built here ever contains a secret.

import { formatPath, isMapping, type PathSegment } from '../../inventory/model.js';
import {
  overlapProblems,
  parseGroupResource,
  resourceStringProblem,
  type GroupResource,
} from './resources.js';

export const ENCRYPTION_CONFIG_API_VERSION = 'apiserver.config.k8s.io/v1';
export const ENCRYPTION_CONFIG_KIND = 'EncryptionConfiguration';

export type LocalKeyProviderType = 'aescbc' | 'aesgcm' | 'secretbox';
export type ProviderType = LocalKeyProviderType | 'kms' | 'identity';
const PROVIDER_TYPES: readonly ProviderType[] = ['aescbc', 'aesgcm', 'secretbox', 'kms', 'identity'];
export const LOCAL_KEY_PROVIDERS: readonly LocalKeyProviderType[] = ['aescbc', 'aesgcm', 'secretbox'];

/** Decoded key lengths the API server accepts (validation_encryption.go aesKeySizes, secretBoxKeySizes). */
const KEY_SIZES: Record<LocalKeyProviderType, readonly number[]> = {
  aescbc: [16, 24, 32],
  aesgcm: [16, 24, 32],
  secretbox: [32],
};

export interface EncryptionKey {
  name: string;
  /** The decoded key; undefined when the secret is missing, not base64 or of the wrong size. */
  secret?: Buffer;
  /** Path of the key item, e.g. resources[0].providers[1].aescbc.keys[0]. */
  path: PathSegment[];
}

export interface KmsSettings {
  name: string;
  /** `v1` when the file does not say (the API's default). */
  apiVersion: string;
  /** The plugin's socket as the file gives it (`unix:///path`), when it is a string. */
  endpoint?: string;
}

export interface Provider {
  type: ProviderType;
  /** Path of the provider item: resources[i].providers[j]. */
  path: PathSegment[];
  /** Keys of a local-key provider, in order (the first one writes). */
  keys: EncryptionKey[];
  kms?: KmsSettings;
}

export interface ResourceEntry {
  index: number;
  resources: { text: string; gr: GroupResource; path: PathSegment[] }[];
  providers: Provider[];
}

export interface ConfigProblem {
  path: PathSegment[];
  message: string;
  /** `keys`: a problem of a key's name or secret; `structure`: everything else. */
  area: 'structure' | 'keys';
}

export interface EncryptionConfig {
  entries: ResourceEntry[];
  problems: ConfigProblem[];
}

/** Which providers the API server uses for a group/resource, and where they were configured. */
export interface ProviderChoice {
  /** The providers in order; the first one writes. Empty when nothing covers the resource (identity). */
  providers: Provider[];
  /** The entries the providers came from (several when the same exact resource is listed twice). */
  entries: ResourceEntry[];
  /** The resource string that matched, e.g. `secrets` or `*.*`. */
  matchedBy?: string;
}

export function isEncryptionConfiguration(apiVersion: string, kind: string): boolean {
  return (kind === ENCRYPTION_CONFIG_KIND && apiVersion.startsWith('apiserver.config.k8s.io/')) || isLegacyEncryptionConfig(apiVersion, kind);
}

/**
 * `apiVersion: v1`, `kind: EncryptionConfig`: the pre-1.13 form, which the API server still
 * registers as the same type (k8s.io/apiserver pkg/apis/apiserver/v1/register.go) and loads.
 */
export function isLegacyEncryptionConfig(apiVersion: unknown, kind: unknown): boolean {
  return apiVersion === 'v1' && kind === 'EncryptionConfig';
}

export function readEncryptionConfig(raw: Record<string, unknown>): EncryptionConfig {
  const problems: ConfigProblem[] = [];
  const structure = (path: PathSegment[], message: string) => problems.push({ path, message, area: 'structure' });
  if (raw.apiVersion !== ENCRYPTION_CONFIG_API_VERSION && !isLegacyEncryptionConfig(raw.apiVersion, raw.kind)) {
    structure(['apiVersion'], `apiVersion must be ${ENCRYPTION_CONFIG_API_VERSION} (the only version current API servers read), not ${String(raw.apiVersion)}`);
  }
  if (!Array.isArray(raw.resources) || raw.resources.length === 0) {
    structure(['resources'], raw.resources === undefined || raw.resources === null || Array.isArray(raw.resources)
      ? 'at least one resources entry is required'
      : 'resources must be a list of {resources, providers} entries');
    return { entries: [], problems };
  }
  const kmsNames = new Set<string>();
  const entries = raw.resources.map((item, i) => readEntry(item, i, problems, kmsNames));
  problems.push(...maskingProblems(entries));
  return { entries, problems };
}

function readEntry(item: unknown, index: number, problems: ConfigProblem[], kmsNames: Set<string>): ResourceEntry {
  const base: PathSegment[] = ['resources', index];
  const entry: ResourceEntry = { index, resources: [], providers: [] };
  const structure = (path: PathSegment[], message: string) => problems.push({ path, message, area: 'structure' });
  if (!isMapping(item)) {
    structure(base, 'each resources entry must be a mapping with resources and providers');
    return entry;
  }
  if (!Array.isArray(item.resources) || item.resources.length === 0) {
    structure([...base, 'resources'], Array.isArray(item.resources) || item.resources == null
      ? 'at least one resource is required (for example secrets)'
      : 'resources must be a list of strings such as secrets or *.apps');
  } else {
    item.resources.forEach((text, j) => {
      const path = [...base, 'resources', j];
      if (typeof text !== 'string') return structure(path, 'each resource must be a string such as secrets or *.apps');
      const problem = resourceStringProblem(text);
      if (problem) return structure(path, `"${text}": ${problem}`);
      entry.resources.push({ text, gr: parseGroupResource(text), path });
    });
    for (const message of overlapProblems(entry.resources.map((r) => r.gr))) structure([...base, 'resources'], message);
  }
  if (!Array.isArray(item.providers) || item.providers.length === 0) {
    structure([...base, 'providers'], Array.isArray(item.providers) || item.providers == null
      ? 'at least one provider is required'
      : 'providers must be a list');
    return entry;
  }
  item.providers.forEach((p, j) => {
    const provider = readProvider(p, [...base, 'providers', j], problems, kmsNames);
    if (provider) entry.providers.push(provider);
  });
  return entry;
}

function readProvider(item: unknown, path: PathSegment[], problems: ConfigProblem[], kmsNames: Set<string>): Provider | undefined {
  const structure = (at: PathSegment[], message: string) => problems.push({ path: at, message, area: 'structure' });
  if (!isMapping(item)) {
    structure(path, `each provider must be a mapping with exactly one of ${PROVIDER_TYPES.join(', ')}`);
    return undefined;
  }
  // A provider key set to null is absent for the API server (a nil pointer), except `identity: {}`.
  const present = PROVIDER_TYPES.filter((t) => item[t] !== undefined && item[t] !== null);
  if (present.length === 0) {
    structure(path, `provider does not contain any of the expected providers: ${PROVIDER_TYPES.join(', ')}`);
    return undefined;
  }
  if (present.length > 1) {
    structure(path, `more than one provider (${present.join(', ')}) in a single item; split them into separate list items`);
    return undefined;
  }
  const type = present[0] as ProviderType;
  const body = item[type];
  if (!isMapping(body)) {
    structure([...path, type], `${type} must be a mapping`);
    return undefined;
  }
  const provider: Provider = { type, path, keys: [] };
  if (type === 'kms') provider.kms = readKms(body, [...path, 'kms'], problems, kmsNames);
  else if (type !== 'identity') provider.keys = readKeys(type, body.keys, [...path, type, 'keys'], problems);
  return provider;
}

function readKeys(type: LocalKeyProviderType, value: unknown, path: PathSegment[], problems: ConfigProblem[]): EncryptionKey[] {
  const keyProblem = (at: PathSegment[], message: string) => problems.push({ path: at, message, area: 'keys' });
  if (!Array.isArray(value) || value.length === 0) {
    keyProblem(path, `at least one key is required for ${type}`);
    return [];
  }
  const keys: EncryptionKey[] = [];
  value.forEach((item, i) => {
    const keyPath = [...path, i];
    if (!isMapping(item)) return keyProblem(keyPath, 'each key must be a mapping with name and secret');
    const name = typeof item.name === 'string' ? item.name : '';
    if (typeof item.name !== 'string' && item.name != null) keyProblem([...keyPath, 'name'], 'name must be a string');
    else if (name === '') keyProblem([...keyPath, 'name'], 'name is a mandatory field for a key');
    const key: EncryptionKey = { name, path: keyPath };
    const secretProblem = checkSecret(type, item.secret, key);
    if (secretProblem) keyProblem([...keyPath, 'secret'], secretProblem);
    keys.push(key);
  });
  return keys;
}

/** Decodes a key's secret into `key.secret`, or says why the API server would refuse it (never showing it). */
function checkSecret(type: LocalKeyProviderType, secret: unknown, key: EncryptionKey): string | undefined {
  if (secret === undefined || secret === null || secret === '') return 'secret is a mandatory field for a key';
  if (typeof secret !== 'string') return 'secret must be a base64 string';
  const decoded = decodeStdBase64(secret);
  if (!decoded) return 'secret must be standard (padded) base64; generate one with: head -c 32 /dev/urandom | base64';
  const sizes = KEY_SIZES[type];
  if (!sizes.includes(decoded.length)) {
    return `secret decodes to ${decoded.length} bytes; ${type} needs ${sizes.join(', ')} bytes${sizes.length > 1 ? ' (32 recommended)' : ''}`;
  }
  key.secret = decoded;
  return undefined;
}

/**
 * Go's base64.StdEncoding.DecodeString: the standard alphabet with `=` padding; CR and LF are
 * ignored; anything else (URL-safe characters, missing padding, spaces) is an error.
 */
export function decodeStdBase64(text: string): Buffer | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return undefined;
  return Buffer.from(clean, 'base64');
}

function readKms(body: Record<string, unknown>, path: PathSegment[], problems: ConfigProblem[], kmsNames: Set<string>): KmsSettings {
  const structure = (at: PathSegment[], message: string) => problems.push({ path: at, message, area: 'structure' });
  const apiVersion = body.apiVersion === undefined || body.apiVersion === null || body.apiVersion === '' ? 'v1' : String(body.apiVersion);
  const name = typeof body.name === 'string' ? body.name : '';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') structure([...path, 'apiVersion'], `unsupported apiVersion ${apiVersion} for a KMS provider; only v1 and v2 are supported`);
  if (name === '') structure([...path, 'name'], 'name is a mandatory field for a kms provider');
  if (apiVersion !== 'v1' && name.includes(':')) structure([...path, 'name'], `invalid KMS provider name ${name}: it must not contain ':'`);
  // v2 names must be unique across every KMS provider; v1 names only when automatic reload is on,
  // which a file alone does not tell.
  if (apiVersion !== 'v1' && name !== '' && kmsNames.has(name)) structure([...path, 'name'], `duplicate KMS provider name ${name}; names must be unique`);
  if (name !== '') kmsNames.add(name);
  const endpoint = body.endpoint;
  if (typeof endpoint !== 'string' || endpoint === '') structure([...path, 'endpoint'], 'endpoint is a mandatory field for a kms provider (unix:///path/to/socket)');
  else if (!endpoint.startsWith('unix://')) structure([...path, 'endpoint'], `unsupported scheme in ${endpoint}; only unix:// sockets are supported`);
  if (body.timeout !== undefined && body.timeout !== null) {
    const seconds = typeof body.timeout === 'string' ? goDurationSeconds(body.timeout) : undefined;
    if (seconds === undefined) structure([...path, 'timeout'], 'timeout must be a duration such as 3s');
    else if (seconds <= 0) structure([...path, 'timeout'], 'timeout should be a positive value');
  }
  if (body.cachesize !== undefined && body.cachesize !== null) {
    if (apiVersion !== 'v1') structure([...path, 'cachesize'], 'cachesize is not supported in v2');
    else if (body.cachesize === 0) structure([...path, 'cachesize'], 'cachesize should be a positive value, or negative to disable');
  }
  return { name, apiVersion, ...(typeof endpoint === 'string' && endpoint !== '' ? { endpoint } : {}) };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds; undefined when it is not a Go duration. */
export function goDurationSeconds(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of (m[2] as string).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += parseFloat(part[1] as string) * (DURATION_UNITS[part[2] as string] as number);
  }
  return m[1] === '-' ? -total : total;
}

/**
 * config.go, exactly: resources are registered one by one in file order (across and within entries);
 * a resource whose `*.<its group>` or `*.*` was registered before it is "masked by earlier rule" and
 * the API server refuses to start. Specific resources before wildcards is the supported override.
 */
function maskingProblems(entries: ResourceEntry[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const registered = new Map<string, { text: string; path: PathSegment[] }>();
  const id = (gr: GroupResource) => `${gr.resource}|${gr.group}`;
  for (const r of entries.flatMap((e) => e.resources)) {
    const masking = registered.get(id({ group: r.gr.group, resource: '*' })) ?? registered.get(id({ group: '*', resource: '*' }));
    if (masking) {
      out.push({
        path: r.path,
        message: `"${r.text}" is masked by the earlier rule "${masking.text}" (${formatPath(masking.path)}); list specific resources before wildcards`,
        area: 'structure',
      });
    }
    if (!registered.has(id(r.gr))) registered.set(id(r.gr), { text: r.text, path: r.path });
  }
  return out;
}

/**
 * transformerFor(group, resource): the exact entry, else the group's `*.<group>` entry, else `*.*`,
 * else identity. The same pattern in several entries concatenates their providers in entry order.
 */
export function providersFor(config: EncryptionConfig, target: GroupResource): ProviderChoice {
  const levels: GroupResource[] = [target, { group: target.group, resource: '*' }, { group: '*', resource: '*' }];
  for (const pattern of levels) {
    const same = (gr: GroupResource) => gr.group === pattern.group && gr.resource === pattern.resource;
    const matching = config.entries.filter((e) => e.resources.some((r) => same(r.gr)));
    if (matching.length > 0) {
      const matchedBy = matching[0]?.resources.find((r) => same(r.gr))?.text;
      return { providers: matching.flatMap((e) => e.providers), entries: matching, matchedBy };
    }
  }
  return { providers: [], entries: [] };
}

export const SECRETS: GroupResource = { group: '', resource: 'secrets' };
