// What the admission chain of one kube-apiserver looks like, from its flags and the files they
// name: the pure function a node scan calls with flags it parsed, and the manifest checks call
// with the flags of a static Pod.

import { podSecurityConfig, eventRateLimitConfig, readAdmissionConfiguration, type EventRateLimitConfig, type PodSecurityConfig, type ReadFile } from './config.js';
import { admissionFlagsFrom, effectivePlugins, type KubernetesVersion } from './plugins.js';

export interface AdmissionAnalysis {
  /** Plugins that run, in order. */
  enabled: string[];
  /** Reasons the API server would not start with these flags and files. */
  problems: string[];
  configFile?: string;
  /** Why the configuration file was not read (manifest scans cannot open node files). */
  configNotRead?: string;
  /** PodSecurity's defaults and exemptions, when it runs and its configuration was read (or none is named). */
  podSecurity?: PodSecurityConfig;
  /** EventRateLimit's limits, when it runs and its configuration was read. */
  eventRateLimit?: EventRateLimitConfig;
}

/**
 * @param flags kube-apiserver flags, already parsed (name without dashes → value; last occurrence wins)
 * @param readFile reads a file of the API server's host; omit it when the files cannot be read
 */
export function analyzeAdmission(flags: ReadonlyMap<string, string>, readFile?: ReadFile, version: KubernetesVersion = 'latest'): AdmissionAnalysis {
  const admissionFlags = admissionFlagsFrom(flags);
  const { enabled, problems } = effectivePlugins(admissionFlags, version);
  const result: AdmissionAnalysis = { enabled, problems: [...problems] };
  const configFile = admissionFlags.configFile;
  let plugins = new Map<string, { from: string; value: Record<string, unknown> }>();
  if (configFile) {
    result.configFile = configFile;
    const text = readFile?.(configFile);
    if (!readFile) {
      result.configNotRead = `${configFile} is on the API server's host and was not scanned`;
    } else if (text === undefined) {
      result.problems.push(`--admission-control-config-file names ${configFile}, which does not exist or cannot be read: the API server stops at start-up`);
    } else {
      const read = readAdmissionConfiguration(text, configFile, readFile, enabled);
      result.problems.push(...read.problems);
      plugins = read.plugins;
    }
  }
  const configKnown = !configFile || !result.configNotRead;
  if (enabled.includes('PodSecurity') && configKnown) {
    result.podSecurity = podSecurityConfig(plugins.get('PodSecurity'));
    result.problems.push(...result.podSecurity.problems);
  }
  if (enabled.includes('EventRateLimit') && configKnown) {
    result.eventRateLimit = eventRateLimitConfig(plugins.get('EventRateLimit'));
    result.problems.push(...result.eventRateLimit.problems);
  }
  return result;
}
