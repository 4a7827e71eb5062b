// The engine options of a command: the configuration file's settings, switches, severity
// overrides and exceptions, with the command line's --pss-level, --pss-version, --framework
// and --fail-on over them. One place, so every command that runs checks reads them alike.

import type { LoadedConfig } from '../engine/config.js';
import type { EngineOptions, Framework } from '../engine/run.js';
import type { PssLevel, Severity } from '../result/result.js';

export interface EngineFlags {
  pssLevel?: PssLevel;
  pssVersion?: string;
  /** `cis`, `nsa`, `pss` or `all`. */
  framework?: string;
  failOn?: Severity | 'none';
}

export function engineOptionsFrom(config: LoadedConfig, flags: EngineFlags): EngineOptions {
  const settings = { ...config.settings };
  if (flags.pssLevel) settings.pssLevel = flags.pssLevel;
  if (flags.pssVersion) settings.pssVersion = flags.pssVersion;
  return {
    settings,
    disabled: config.disabled,
    enabled: config.enabled,
    severityOverrides: config.severityOverrides,
    exceptions: config.exceptions,
    ...(flags.framework !== undefined ? { frameworks: flags.framework === 'all' ? undefined : [flags.framework as Framework] } : {}),
    ...(flags.failOn !== undefined ? { failOn: flags.failOn } : {}),
  };
}
