// The configuration file (`--config FILE`, default `.kubeharden.yaml` in the working folder).
// Validated strictly: a misspelt key or a wrong type is an error naming the file and the
// field, never silently ignored.

import { promises as fs } from 'node:fs';
import { z } from 'zod';
import jsYaml from 'js-yaml';
import type { Category, Severity } from '../result/result.js';
import { CHECK_CATALOG } from '../checks/index.js';
import type { ExceptionRule } from './exceptions.js';
import type { ResourceSelector } from './selectors.js';
import type { ScanSettings } from './context.js';
import { parsePssVersion } from '../analysis/pod/pss-version.js';

const DEFAULT_CONFIG_FILE = '.kubeharden.yaml';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const checkId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a check id is kebab-case, e.g. container-runs-as-non-root');

const selector = z
  .object({
    kind: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    labels: z.record(z.string()).optional(),
  })
  .strict();

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')), 'not a real date');

const requiredMetadata = z
  .object({
    key: z.string().min(1),
    value: z
      .string()
      .refine((v) => { try { new RegExp(v); return true; } catch { return false; } }, 'not a valid regular expression')
      .optional(),
    kinds: z.array(z.string().min(1)).optional(),
  })
  .strict();

const configSchema = z
  .object({
    pssLevel: z.enum(['baseline', 'restricted']).optional(),
    pssVersion: z.string().refine((v) => parsePssVersion(v) !== undefined, 'latest or v1.N (e.g. v1.30)').optional(),
    checks: z
      .object({
        disable: z.array(checkId).optional(),
        // Whole categories, e.g. reliability (availability checks kept out of the security scores).
        disableCategories: z.array(z.enum(['workload', 'pod-security', 'rbac', 'network', 'control-plane', 'node', 'etcd', 'secrets', 'audit', 'admission', 'reliability'])).optional(),
        enable: z.array(checkId).optional(),
        severity: z.record(checkId, severity).optional(),
      })
      .strict()
      .optional(),
    untrusted: z.array(selector).optional(),
    requiredLabels: z.array(requiredMetadata).optional(),
    requiredAnnotations: z.array(requiredMetadata).optional(),
    sandboxRuntimeClasses: z.array(z.string().min(1)).optional(),
    exceptions: z
      .array(
        z
          .object({
            check: z.union([checkId, z.literal('*')]),
            resource: selector.optional(),
            reason: z.string().trim().min(1, 'every exception needs a reason'),
            expires: isoDate.optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export interface LoadedConfig {
  file?: string;
  settings: Partial<ScanSettings>;
  disabled: string[];
  enabled: string[];
  severityOverrides: Record<string, Severity>;
  exceptions: ExceptionRule[];
}

const EMPTY_CONFIG: LoadedConfig = { settings: {}, disabled: [], enabled: [], severityOverrides: {}, exceptions: [] };

export class ConfigError extends Error {}

/**
 * Loads the config. With no explicit path, a missing default file is fine (empty config);
 * an explicit path that cannot be read is an error.
 */
export async function loadConfig(explicitPath: string | undefined, knownCheckIds: ReadonlySet<string>): Promise<LoadedConfig> {
  const file = explicitPath ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!explicitPath && (err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new ConfigError(`${file}: cannot read the configuration: ${(err as Error).message}`);
  }
  return parseConfig(text, file, knownCheckIds);
}

/** Every check of these categories (a check named in `enable` is still enabled only if its category is not disabled). */
function idsOfCategories(categories: readonly Category[]): string[] {
  return CHECK_CATALOG.filter((c) => categories.includes(c.category)).map((c) => c.id);
}

export function parseConfig(text: string, file: string, knownCheckIds: ReadonlySet<string>): LoadedConfig {
  let raw: unknown;
  try {
    // The config is ours, not Kubernetes': plain YAML 1.2 core (dates stay strings).
    raw = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
  } catch (err) {
    throw new ConfigError(`${file}: invalid YAML: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) raw = {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ConfigError(`${file}: invalid configuration:\n  ${issues.join('\n  ')}`);
  }
  const cfg = parsed.data;
  const unknown = [
    ...(cfg.checks?.disable ?? []),
    ...(cfg.checks?.enable ?? []),
    ...Object.keys(cfg.checks?.severity ?? {}),
    ...(cfg.exceptions ?? []).map((e) => e.check).filter((c) => c !== '*'),
  ].filter((id) => !knownCheckIds.has(id));
  if (unknown.length) {
    throw new ConfigError(`${file}: unknown check id(s): ${[...new Set(unknown)].join(', ')} (see \`kubeharden checks list\`)`);
  }
  const settings: Partial<ScanSettings> = {};
  if (cfg.pssLevel) settings.pssLevel = cfg.pssLevel;
  if (cfg.pssVersion) settings.pssVersion = cfg.pssVersion;
  if (cfg.untrusted) settings.untrusted = cfg.untrusted as ResourceSelector[];
  if (cfg.sandboxRuntimeClasses) settings.sandboxRuntimeClasses = cfg.sandboxRuntimeClasses;
  const required = [
    ...(cfg.requiredLabels ?? []).map((r) => ({ in: 'labels' as const, ...r })),
    ...(cfg.requiredAnnotations ?? []).map((r) => ({ in: 'annotations' as const, ...r })),
  ];
  if (required.length) settings.requiredMetadata = required;
  return {
    file,
    settings,
    disabled: [...(cfg.checks?.disable ?? []), ...idsOfCategories(cfg.checks?.disableCategories ?? [])],
    enabled: cfg.checks?.enable ?? [],
    severityOverrides: cfg.checks?.severity ?? {},
    exceptions: (cfg.exceptions ?? []).map((e, i) => ({
      check: e.check,
      resource: e.resource ?? {},
      reason: e.reason,
      ...(e.expires ? { expires: e.expires } : {}),
      source: `${file} exceptions[${i}]`,
    })),
  };
}
