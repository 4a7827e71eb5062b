// Pod Security Admission at the namespace level: the policy a namespace's labels give it over
// the cluster defaults (pod-security-admission api/helpers.go PolicyToEvaluate). Which workloads
// a level would reject is a query above the checks: src/queries/psa-preview.ts.

import type { PodTarget } from '../../inventory/model.js';
import { PSA_LEVELS, PSA_MODES, type LevelVersion, type PodSecurityConfig, type PsaLevel, type PsaMode } from './config.js';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
const VERSION_RE = /^(latest|v1\.(0|[1-9][0-9]*))$/;

export interface NamespacePolicy {
  modes: Record<PsaMode, LevelVersion & { from: 'label' | 'default' }>;
  /** Labels the PodSecurity plugin cannot read, with what it uses instead. */
  problems: string[];
  /** The namespace is exempt in the PodSecurity configuration: nothing is enforced. */
  exempt: boolean;
}

const BUILT_IN_DEFAULTS: PodSecurityConfig['defaults'] = {
  enforce: { level: 'privileged', version: 'latest' },
  audit: { level: 'privileged', version: 'latest' },
  warn: { level: 'privileged', version: 'latest' },
};

/**
 * The policy PodSecurity applies in a namespace. An unreadable enforce level fails closed
 * (restricted); unreadable audit and warn levels fail open (privileged); an unreadable version
 * is latest — as the admission library does.
 */
export function namespacePolicy(namespace: string, labels: Record<string, string>, config?: Pick<PodSecurityConfig, 'defaults' | 'exemptions'>): NamespacePolicy {
  const defaults = config?.defaults ?? BUILT_IN_DEFAULTS;
  const problems: string[] = [];
  const modes = {} as NamespacePolicy['modes'];
  for (const mode of PSA_MODES) {
    const entry: LevelVersion & { from: 'label' | 'default' } = { ...defaults[mode], from: 'default' };
    const level = labels[LABEL_PREFIX + mode];
    if (level !== undefined) {
      entry.from = 'label';
      if ((PSA_LEVELS as readonly string[]).includes(level)) entry.level = level as PsaLevel;
      else {
        entry.level = mode === 'enforce' ? 'restricted' : 'privileged';
        problems.push(`label ${LABEL_PREFIX}${mode}=${level} is not privileged, baseline or restricted; PodSecurity uses ${entry.level}`);
      }
    }
    const version = labels[`${LABEL_PREFIX}${mode}-version`];
    if (version !== undefined) {
      entry.from = 'label';
      if (VERSION_RE.test(version)) entry.version = version;
      else {
        entry.version = 'latest';
        problems.push(`label ${LABEL_PREFIX}${mode}-version=${version} is not "latest" or "v1.N"; PodSecurity uses latest`);
      }
    }
    modes[mode] = entry;
  }
  return { modes, problems, exempt: config?.exemptions.namespaces.includes(namespace) ?? false };
}

export function namespaceOf(pod: PodTarget): string {
  // A manifest without a namespace lands in the namespace kubectl is pointed at; "default" is assumed.
  return pod.object.namespace || 'default';
}
