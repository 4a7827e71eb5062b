// The template most CIS items of sections 1–4 share: read one or more settings of one
// component (a flag, a kubelet setting with its config file, an etcd flag with its ETCD_*
// variable) and test them with a rule. Items are rows of data configuring this template.

import type { ComponentName } from '../../inventory/node-facts.js';
import {
  ETCD_SETTINGS,
  KUBE_PROXY_SETTINGS,
  KUBELET_SETTINGS,
  observeFlag,
  observeKubelet,
  observeReplacing,
  type Observation,
} from '../../analysis/flags/settings.js';
import { parseGoBool, parseGoDuration, parseGoInt } from '../../analysis/flags/values.js';
import { jsonPointer } from '../../inventory/model.js';
import type { ComponentFacts } from '../../inventory/node-facts.js';
import type { PatchOp } from '../../result/result.js';
import { describeSeen, evaluateEach, evidenceOf, unconfirmedPass, type InstanceVerdict } from '../node/evaluate.js';
import { defineNodeCheck, type ItemRow, type NodeCheck } from '../node/types.js';

export type Rule =
  /** Equal to this value; booleans compare as Go parses them (`--profiling=0` is false). */
  | { is: 'equal'; value: string; boolean?: boolean }
  | { is: 'not-equal'; value: string }
  /** Not explicitly set to false (an unset value passes, whatever its default). */
  | { is: 'not-set-false' }
  /**
   * Set to a non-empty value. Only for settings whose every non-empty value turns the
   * protection on (file paths); a number or boolean that can switch it off uses a value rule.
   */
  | { is: 'set' }
  /** Not set at all. */
  | { is: 'unset' }
  | { is: 'contains'; item: string }
  | { is: 'excludes'; item: string }
  | { is: 'at-least'; min: number }
  /** Set to an integer above 0 (where the component reads 0 or less as "off" or "unlimited"). */
  | { is: 'positive' }
  /** A Go duration that is not zero. */
  | { is: 'non-zero-duration' }
  /** Every entry of the list is one of these (and the list is set). */
  | { is: 'subset'; allowed: readonly string[] }
  /** A loopback address (host, or host:port). */
  | { is: 'loopback' };

export interface SettingItem extends ItemRow {
  component: ComponentName;
  /** Settings read; the rule must hold for each. Flag names without dashes. */
  keys: string[];
  rule: Rule;
  /** Upstream defaults of plain flags when absent (kubelet, etcd and kube-proxy defaults live with their settings). */
  defaults?: Record<string, string>;
}

export function observe(c: ComponentFacts, key: string, defaults: Record<string, string> = {}): Observation {
  switch (c.component) {
    case 'kubelet':
      return observeKubelet(c, key);
    case 'etcd':
      return observeReplacing(c, ETCD_SETTINGS[key] ?? { flag: key, field: [key] });
    case 'kube-proxy':
      return observeReplacing(c, KUBE_PROXY_SETTINGS[key] ?? { flag: key, field: [key] });
    default:
      return observeFlag(c, key, defaults[key]);
  }
}

/** Whether the observed value satisfies the rule, and what to write when it does not. */
export function judge(rule: Rule, obs: Observation): { ok: boolean; want: string; value?: string } {
  const v = obs.value;
  switch (rule.is) {
    case 'equal':
      if (rule.boolean) return { ok: v !== undefined && parseGoBool(v) === parseGoBool(rule.value), want: `set it to ${rule.value}`, value: rule.value };
      return { ok: v === rule.value, want: `set it to ${rule.value}`, value: rule.value };
    case 'not-equal':
      return { ok: v !== undefined && v !== rule.value, want: `set it to a value other than ${rule.value}` };
    case 'not-set-false':
      return { ok: !obs.set || parseGoBool(v ?? '') !== false, want: 'remove the false setting', value: 'true' };
    case 'set':
      return { ok: obs.set && v !== undefined && v.trim() !== '', want: 'set it' };
    case 'unset':
      return { ok: !obs.set, want: 'remove it' };
    case 'contains':
      return { ok: obs.list.includes(rule.item), want: `add ${rule.item} to the list`, value: [...(obs.set ? obs.list : []), rule.item].join(',') };
    case 'excludes':
      return { ok: !obs.list.includes(rule.item), want: `remove ${rule.item} from the list` };
    case 'at-least': {
      const n = v === undefined ? undefined : parseGoInt(v);
      return { ok: n !== undefined && n >= rule.min, want: `set it to ${rule.min} or more`, value: String(rule.min) };
    }
    case 'positive': {
      const n = v === undefined ? undefined : parseGoInt(v);
      return { ok: obs.set && n !== undefined && n > 0, want: 'set it to a positive limit chosen for your workloads (0 or less means no limit)' };
    }
    case 'non-zero-duration': {
      const d = v === undefined ? undefined : parseGoDuration(v);
      return { ok: v === undefined || (d !== undefined && d !== 0), want: 'set a non-zero duration such as 5m' };
    }
    case 'subset': {
      const outside = obs.list.filter((x) => !rule.allowed.includes(x));
      return {
        ok: obs.set && obs.list.length > 0 && outside.length === 0,
        want: outside.length ? `remove ${outside.join(', ')}; allowed: ${rule.allowed.join(', ')}` : `list only strong suites: ${rule.allowed.join(', ')}`,
      };
    }
    case 'loopback':
      return { ok: v !== undefined && isLoopback(v), want: 'set it to 127.0.0.1', value: '127.0.0.1' };
  }
}

function isLoopback(address: string): boolean {
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : /^[^:]*:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(':')) : address;
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === 'localhost';
}

/**
 * A JSON patch for a static pod manifest: replace the `--flag=value` token, or append the flag.
 * Only for plain flags, and not when the value sits in a separate token (`--flag value`).
 */
export function manifestFix(c: ComponentFacts, key: string, obs: Observation, value: string | undefined): PatchOp[] | undefined {
  const o = c.origin;
  if (o.kind !== 'manifest' || value === undefined || obs.how === 'config file' || obs.how === 'environment') return undefined;
  if (c.component === 'kubelet' || c.component === 'kube-proxy') return undefined;
  const token = `--${key}=${value}`;
  if (!obs.set) return [{ op: 'add', path: jsonPointer([...o.appendPath, '-']), value: token }];
  const occurrences = c.cmd.flags.get(key) ?? [];
  if (occurrences.length !== 1 || occurrences[0]!.valueIndex !== undefined) return undefined;
  return [{ op: 'replace', path: jsonPointer(o.argPaths[occurrences[0]!.index] ?? []), value: token }];
}

/** `--read-only-port (config readOnlyPort)`: the flag and, where there is one, the config file field. */
function describeKey(component: ComponentName, key: string): string {
  const field = component === 'kubelet' ? KUBELET_SETTINGS[key]?.field : component === 'etcd' ? ETCD_SETTINGS[key]?.field : component === 'kube-proxy' ? KUBE_PROXY_SETTINGS[key]?.field : undefined;
  const env = component === 'etcd' ? ETCD_SETTINGS[key]?.env : undefined;
  const extra = [field ? `config file ${field.join('.')}` : '', env ? `env ${env}` : ''].filter(Boolean).join(', ');
  return extra ? `--${key} (${extra})` : `--${key}`;
}

export function settingCheck(item: SettingItem): NodeCheck {
  const cis = { id: item.cis, automated: item.automated };
  return defineNodeCheck({
    id: item.id,
    title: item.title,
    severity: item.severity,
    category: item.category ?? (item.component === 'etcd' ? 'etcd' : item.component === 'kubelet' || item.component === 'kube-proxy' ? 'node' : 'control-plane'),
    cis,
    ...(item.controls ? { controls: item.controls } : {}),
    rationale: item.rationale,
    remediation: item.remediation,
    appliesTo: `${item.component} ${item.keys.map((k) => describeKey(item.component, k)).join(' and ')}`,
    evaluateNode: (facts) =>
      evaluateEach(facts, item.component, cis, (c): InstanceVerdict => {
        const observations = item.keys.map((k) => ({ key: k, obs: observe(c, k, item.defaults) }));
        const evidence = observations.map((o) => evidenceOf(o.obs));
        const unknown = observations.find((o) => o.obs.unknown);
        if (unknown) return { ok: 'unknown', evidence, reason: unknown.obs.unknown as string };
        for (const { key, obs } of observations) {
          const verdict = judge(item.rule, obs);
          if (verdict.ok) continue;
          const fix = manifestFix(c, key, obs, verdict.value);
          return {
            ok: false,
            evidence,
            message: `${obs.subject} is ${describeSeen(obs)} in ${c.where}; ${verdict.want}`,
            location: obs.location,
            ...(fix ? { fix } : {}),
          };
        }
        // A kubelet known only from its config file: every kubelet setting has a flag that wins over the file.
        const overridable = observations.flatMap(({ key, obs }) => {
          const flag = c.component === 'kubelet' ? KUBELET_SETTINGS[key]?.flag : undefined;
          return flag ? [{ obs, flag }] : [];
        });
        return unconfirmedPass(c, overridable, evidence) ?? { ok: true, evidence };
      }),
  });
}
