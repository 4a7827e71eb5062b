// The file --admission-control-config-file names (AdmissionConfiguration) and the plugin
// configurations in it or next to it, read as the API server reads them
// (k8s.io/apiserver/pkg/admission/config.go): a plugin's `path` is relative to the
// AdmissionConfiguration file's folder; a plugin that runs and whose `path` cannot be read
// stops the API server at start-up; an embedded `configuration` wins over `path`.

import path from 'node:path';
import { isMapping } from '../../inventory/model.js';
import { parseDocument, splitDocuments } from '../../inventory/yaml.js';

/** Reads a file of the node (or of a snapshot); undefined when it does not exist or cannot be read. */
export type ReadFile = (file: string) => string | undefined;

export interface PluginConfig {
  /** Where the configuration was read: the AdmissionConfiguration file, or the file its `path` names. */
  from: string;
  value: Record<string, unknown>;
}

export interface AdmissionConfigRead {
  plugins: Map<string, PluginConfig>;
  /** Problems that stop the API server, or make the file useless, in words naming the file. */
  problems: string[];
}

/** Parses the single YAML or JSON document of a config file. */
export function parseConfigText(text: string, file: string): { value: Record<string, unknown> } | { problem: string } {
  const docs = splitDocuments(text).map(parseDocument);
  const failed = docs.find((d) => !d.ok);
  if (failed && !failed.ok) return { problem: `${file}: line ${failed.line}: ${failed.message}` };
  const values = docs.flatMap((d) => (d.ok && d.value !== null && d.value !== undefined ? [d.value] : []));
  if (values.length !== 1 || !isMapping(values[0])) return { problem: `${file}: expected one configuration object, found ${values.length === 1 ? 'a non-mapping value' : `${values.length} documents`}` };
  return { value: values[0] };
}

/**
 * Reads an AdmissionConfiguration. `enabled` are the plugins that run (only their configuration
 * is ever opened by the API server, so only their missing files are fatal).
 */
export function readAdmissionConfiguration(text: string, file: string, readFile: ReadFile, enabled: readonly string[]): AdmissionConfigRead {
  const plugins = new Map<string, PluginConfig>();
  const problems: string[] = [];
  const parsed = parseConfigText(text, file);
  if ('problem' in parsed) return { plugins, problems: [parsed.problem] };
  const config = parsed.value;
  if (config.kind !== 'AdmissionConfiguration' || !/^apiserver\.(config\.)?k8s\.io\//.test(String(config.apiVersion))) {
    return { plugins, problems: [`${file} is not an AdmissionConfiguration (apiVersion apiserver.config.k8s.io/v1, kind AdmissionConfiguration); found ${String(config.apiVersion)} ${String(config.kind)}`] };
  }
  if (config.plugins !== undefined && config.plugins !== null && !Array.isArray(config.plugins)) {
    return { plugins, problems: [`${file}: plugins must be a list of {name, path | configuration}`] };
  }
  const entries = Array.isArray(config.plugins) ? config.plugins : [];
  entries.forEach((entry, i) => {
    if (!isMapping(entry) || typeof entry.name !== 'string') {
      problems.push(`${file}: plugins[${i}] must be a mapping with a name`);
      return;
    }
    const name = entry.name;
    if (plugins.has(name)) return; // the API server uses the first entry for a plugin
    if (isMapping(entry.configuration)) {
      plugins.set(name, { from: file, value: entry.configuration });
      return;
    }
    if (typeof entry.path !== 'string' || entry.path === '') return;
    const target = path.isAbsolute(entry.path) ? entry.path : path.join(path.dirname(file), entry.path);
    const content = readFile(target);
    if (content === undefined) {
      if (enabled.includes(name)) {
        problems.push(`${file}: plugins[${i}] (${name}) names ${target}, which does not exist or cannot be read: the API server stops at start-up`);
      }
      return;
    }
    const pluginConfig = parseConfigText(content, target);
    if ('problem' in pluginConfig) problems.push(pluginConfig.problem);
    else plugins.set(name, { from: target, value: pluginConfig.value });
  });
  return { plugins, problems };
}

export const PSA_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PsaLevel = (typeof PSA_LEVELS)[number];
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;
export type PsaMode = (typeof PSA_MODES)[number];

export interface LevelVersion {
  level: PsaLevel;
  /** `latest` or `v1.N`. */
  version: string;
}

export interface PodSecurityConfig {
  defaults: Record<PsaMode, LevelVersion>;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
  problems: string[];
}

const PSA_VERSION_RE = /^(latest|v1\.(0|[1-9][0-9]*))$/;

/** The PodSecurity plugin's configuration; without one, every mode defaults to privileged at latest. */
export function podSecurityConfig(config: PluginConfig | undefined): PodSecurityConfig {
  const result: PodSecurityConfig = {
    defaults: { enforce: { level: 'privileged', version: 'latest' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'privileged', version: 'latest' } },
    exemptions: { usernames: [], runtimeClasses: [], namespaces: [] },
    problems: [],
  };
  if (!config) return result;
  const v = config.value;
  if (v.kind !== 'PodSecurityConfiguration' || !String(v.apiVersion).startsWith('pod-security.admission.config.k8s.io/')) {
    result.problems.push(`${config.from}: the PodSecurity configuration must be apiVersion pod-security.admission.config.k8s.io/v1, kind PodSecurityConfiguration; found ${String(v.apiVersion)} ${String(v.kind)}`);
    return result;
  }
  const defaults = isMapping(v.defaults) ? v.defaults : {};
  for (const mode of PSA_MODES) {
    const level = defaults[mode];
    const version = defaults[`${mode}-version`];
    if (level !== undefined) {
      if ((PSA_LEVELS as readonly unknown[]).includes(level)) result.defaults[mode].level = level as PsaLevel;
      else result.problems.push(`${config.from}: defaults.${mode} ${JSON.stringify(level)} must be one of ${PSA_LEVELS.join(', ')}: the API server refuses to start`);
    }
    if (version !== undefined) {
      if (typeof version === 'string' && PSA_VERSION_RE.test(version)) result.defaults[mode].version = version;
      else result.problems.push(`${config.from}: defaults.${mode}-version ${JSON.stringify(version)} must be "latest" or "v1.N": the API server refuses to start`);
    }
  }
  const exemptions = isMapping(v.exemptions) ? v.exemptions : {};
  for (const key of ['usernames', 'runtimeClasses', 'namespaces'] as const) {
    const list = exemptions[key];
    if (Array.isArray(list)) result.exemptions[key] = list.filter((x): x is string => typeof x === 'string');
  }
  return result;
}

export interface EventRateLimitConfig {
  limits: { type: string; qps: number; burst: number }[];
  problems: string[];
}

const LIMIT_TYPES = ['Server', 'Namespace', 'User', 'SourceAndObject'];

/**
 * The EventRateLimit plugin's configuration, validated as the plugin does
 * (plugin/pkg/admission/eventratelimit/apis/eventratelimit/validation): at least one limit,
 * each of a known type with positive qps and burst. Without a configuration the limits list is
 * empty and the plugin refuses to start.
 */
export function eventRateLimitConfig(config: PluginConfig | undefined): EventRateLimitConfig {
  if (!config) return { limits: [], problems: ['EventRateLimit is enabled without a configuration; it needs at least one limit, so the API server does not start'] };
  const problems: string[] = [];
  const v = config.value;
  if (v.kind !== 'Configuration' || !String(v.apiVersion).startsWith('eventratelimit.admission.k8s.io/')) {
    problems.push(`${config.from}: the EventRateLimit configuration must be apiVersion eventratelimit.admission.k8s.io/v1alpha1, kind Configuration; found ${String(v.apiVersion)} ${String(v.kind)}`);
    return { limits: [], problems };
  }
  const limits: EventRateLimitConfig['limits'] = [];
  const raw = Array.isArray(v.limits) ? v.limits : [];
  if (!raw.length) problems.push(`${config.from}: EventRateLimit limits must not be empty: the API server does not start`);
  raw.forEach((l, i) => {
    if (!isMapping(l)) return problems.push(`${config.from}: limits[${i}] must be a mapping`);
    const type = String(l.type);
    const qps = typeof l.qps === 'number' ? l.qps : 0;
    const burst = typeof l.burst === 'number' ? l.burst : 0;
    if (!LIMIT_TYPES.includes(type)) problems.push(`${config.from}: limits[${i}].type ${JSON.stringify(l.type)} must be one of ${LIMIT_TYPES.join(', ')}`);
    if (qps <= 0) problems.push(`${config.from}: limits[${i}].qps must be positive`);
    if (burst <= 0) problems.push(`${config.from}: limits[${i}].burst must be positive`);
    limits.push({ type, qps, burst });
    return undefined;
  });
  return { limits, problems };
}

/** What a PodSecurity configuration leaves open, in words (for the node audit's report). */
export function podSecurityGaps(config: PodSecurityConfig, sandboxRuntimeClasses: readonly string[] = []): string[] {
  const gaps: string[] = [];
  const enforce = config.defaults.enforce.level;
  if (enforce === 'privileged') {
    gaps.push('defaults.enforce is privileged: a namespace without a pod-security.kubernetes.io/enforce label admits any pod; set defaults.enforce to baseline (or restricted)');
  }
  const extraNamespaces = config.exemptions.namespaces.filter((n) => n !== 'kube-system');
  if (extraNamespaces.length) gaps.push(`exemptions.namespaces exempts ${extraNamespaces.join(', ')} besides kube-system: pods there are never checked`);
  if (config.exemptions.usernames.length) {
    gaps.push(`exemptions.usernames exempts ${config.exemptions.usernames.join(', ')}: pods these users create directly are never checked (pods their controllers create still are)`);
  }
  const unsandboxed = config.exemptions.runtimeClasses.filter((r) => !sandboxRuntimeClasses.includes(r));
  if (unsandboxed.length) gaps.push(`exemptions.runtimeClasses exempts ${unsandboxed.join(', ')}, not known as sandboxed runtimes: any pod naming them skips the checks`);
  return gaps;
}
