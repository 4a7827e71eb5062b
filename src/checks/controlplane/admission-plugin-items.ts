// CIS 1.2.3 and 1.2.9–1.2.14: admission plugins the API server must (or must not) run.
// Whether a plugin runs is the exact answer of analysis/admission (the plugins on by default,
// --enable-admission-plugins, --disable-admission-plugins, the deprecated --admission-control
// that runs exactly the plugins it lists), never a test of one flag's text. The same items run
// in a node scan (process flags) and a manifest scan (kube-apiserver static pods).

import { analyzeAdmission } from '../../analysis/admission/analyze.js';
import { flagValues } from '../../analysis/flags/components.js';
import { observeFlag, type Observation } from '../../analysis/flags/settings.js';
import { jsonPointer } from '../../inventory/model.js';
import { readHostOrContainer } from '../../analysis/flags/config-documents.js';
import type { ComponentFacts, NodeFacts } from '../../inventory/node-facts.js';
import type { PatchOp } from '../../result/result.js';
import { evaluateEach, evidenceOf, type InstanceVerdict } from '../node/evaluate.js';
import { manifestFix } from '../templates/setting-item.js';
import { defineNodeCheck, type ItemRow, type NodeCheck } from '../node/types.js';

export interface PluginItem extends ItemRow {
  plugin: string;
  /** `on`: the plugin must run; `off`: it must not. */
  want: 'on' | 'off';
}

const ENABLE = 'enable-admission-plugins';
const DISABLE = 'disable-admission-plugins';
const LEGACY = 'admission-control';
const CONFIG_FILE = 'admission-control-config-file';

export const ADMISSION_PLUGIN_ITEMS: PluginItem[] = [
  {
    id: 'apiserver-deny-service-external-ips', cis: '1.2.3', automated: false, severity: 'medium', plugin: 'DenyServiceExternalIPs', want: 'on',
    title: 'The DenyServiceExternalIPs admission plugin is enabled',
    rationale: 'Without it any user who can create a Service can claim an external IP and intercept traffic to it (CVE-2020-8554).',
    remediation: 'Add DenyServiceExternalIPs to --enable-admission-plugins (unless you use Service externalIPs on purpose).',
  },
  {
    id: 'apiserver-event-rate-limit-enabled', cis: '1.2.9', automated: false, severity: 'low', plugin: 'EventRateLimit', want: 'on',
    title: 'The EventRateLimit admission plugin limits the rate of Events',
    rationale:
      'Without a limit a misbehaving or malicious client can flood the API server and etcd with Events and starve other requests. ' +
      'EventRateLimit is off unless enabled, and the API server does not start with it unless --admission-control-config-file gives it limits.',
    remediation:
      'Add EventRateLimit to --enable-admission-plugins and configure it in --admission-control-config-file (a Configuration of apiVersion ' +
      'eventratelimit.admission.k8s.io/v1alpha1 with at least one limit, e.g. type: Namespace, qps: 50, burst: 100).',
  },
  {
    id: 'apiserver-always-admit-disabled', cis: '1.2.10', automated: true, severity: 'high', plugin: 'AlwaysAdmit', want: 'off',
    title: 'The AlwaysAdmit admission plugin is not enabled',
    rationale: 'AlwaysAdmit admits every request without looking at it. It is deprecated and exists only for testing.',
    remediation: 'Remove AlwaysAdmit from --enable-admission-plugins (or --admission-control).',
  },
  {
    id: 'apiserver-always-pull-images', cis: '1.2.11', automated: false, severity: 'low', plugin: 'AlwaysPullImages', want: 'on',
    title: 'The AlwaysPullImages admission plugin is enabled',
    rationale: 'Without it a pod can use a private image another tenant already pulled to the node, without credentials for it.',
    remediation: 'Add AlwaysPullImages to --enable-admission-plugins (consider registry availability: every start pulls).',
  },
  {
    id: 'apiserver-service-account-plugin-enabled', cis: '1.2.12', automated: true, severity: 'medium', plugin: 'ServiceAccount', want: 'on',
    title: 'The ServiceAccount admission plugin is not disabled',
    rationale: 'The ServiceAccount plugin assigns service accounts and their tokens to pods; disabling it breaks that isolation.',
    remediation: 'Remove ServiceAccount from --disable-admission-plugins (with --admission-control, list it there).',
  },
  {
    id: 'apiserver-namespace-lifecycle-plugin-enabled', cis: '1.2.13', automated: true, severity: 'medium', plugin: 'NamespaceLifecycle', want: 'on',
    title: 'The NamespaceLifecycle admission plugin is not disabled',
    rationale: 'NamespaceLifecycle refuses objects in terminating or missing namespaces and protects the system namespaces.',
    remediation: 'Remove NamespaceLifecycle from --disable-admission-plugins (with --admission-control, list it there).',
  },
  {
    id: 'apiserver-node-restriction-plugin-enabled', cis: '1.2.14', automated: true, severity: 'high', plugin: 'NodeRestriction', want: 'on',
    title: 'The NodeRestriction admission plugin is enabled',
    rationale:
      'NodeRestriction limits each kubelet to modifying its own Node object and the Pods bound to it, and stops kubelets from setting ' +
      'node-restriction labels; without it a compromised node can relabel other nodes and attract sensitive workloads. It is off unless enabled.',
    remediation: 'Add NodeRestriction to --enable-admission-plugins (and keep Node in --authorization-mode).',
  },
];

/** A patch that makes a list flag hold `list`: replace its token, remove it when empty, or append it. */
function listFix(c: ComponentFacts, key: string, obs: Observation, list: string[]): PatchOp[] | undefined {
  if (list.length) return manifestFix(c, key, obs, list.join(','));
  const o = c.origin;
  const occurrences = c.cmd.flags.get(key) ?? [];
  if (o.kind !== 'manifest' || occurrences.length !== 1 || occurrences[0]!.valueIndex !== undefined) return undefined;
  return [{ op: 'remove', path: jsonPointer(o.argPaths[occurrences[0]!.index] ?? []) }];
}

type Failure = Extract<InstanceVerdict, { ok: false }>;

function failure(evidence: Failure['evidence'], message: string, obs: Observation, fix: PatchOp[] | undefined): Failure {
  return { ok: false, evidence, message, location: obs.location, ...(fix ? { fix } : {}) };
}

/** The plugin does not run but must: name the flag that keeps it off and how to change it. */
function turnOn(c: ComponentFacts, plugin: string, evidence: Failure['evidence']): Failure {
  const legacy = observeFlag(c, LEGACY);
  if (legacy.set) {
    return failure(evidence, `--admission-control runs exactly the plugins it lists and does not list ${plugin} in ${c.where}; add it (better: replace the deprecated flag with --enable-admission-plugins)`, legacy, listFix(c, LEGACY, legacy, [...legacy.list, plugin]));
  }
  const disable = observeFlag(c, DISABLE);
  if (disable.list.includes(plugin)) {
    return failure(evidence, `--disable-admission-plugins turns ${plugin} off in ${c.where}; remove it from that list`, disable, listFix(c, DISABLE, disable, disable.list.filter((p) => p !== plugin)));
  }
  const enable = observeFlag(c, ENABLE);
  const seen = enable.set ? `--enable-admission-plugins (${enable.value}) does not include it` : '--enable-admission-plugins is not set';
  return failure(evidence, `${plugin} is off by default and ${seen} in ${c.where}; add ${plugin} to --enable-admission-plugins`, enable, listFix(c, ENABLE, enable, [...enable.list, plugin]));
}

/** The plugin runs but must not: name the flag that turns it on. */
function turnOff(c: ComponentFacts, plugin: string, evidence: Failure['evidence']): Failure {
  for (const key of [LEGACY, ENABLE]) {
    const obs = observeFlag(c, key);
    if (obs.list.includes(plugin)) {
      return failure(evidence, `--${key} enables ${plugin} in ${c.where}; remove it from the list`, obs, listFix(c, key, obs, obs.list.filter((p) => p !== plugin)));
    }
  }
  const disable = observeFlag(c, DISABLE);
  return failure(evidence, `${plugin} is on by default in ${c.where}; add it to --disable-admission-plugins`, disable, listFix(c, DISABLE, disable, [...disable.list, plugin]));
}

/** EventRateLimit runs: the API server needs its limits in the admission configuration file. */
function eventRateLimitConfigured(facts: NodeFacts, c: ComponentFacts, flags: Map<string, string>, evidence: Failure['evidence']): InstanceVerdict {
  const config = observeFlag(c, CONFIG_FILE);
  evidence.push(evidenceOf(config));
  if (!config.set) {
    return failure(evidence, `EventRateLimit is enabled but --admission-control-config-file is not set in ${c.where}, so it has no limits and the API server does not start; add the flag with an EventRateLimit configuration`, config, undefined);
  }
  if (facts.mode === 'manifests') return { ok: true, evidence, note: `the limits in ${config.value} were not read (node files are not part of a manifest scan); review them by hand` };
  const file = config.value as string;
  const first = readHostOrContainer(facts, c, file);
  if (!first.ok) return { ok: 'unknown', evidence, reason: `cannot read the admission configuration: ${first.message}` };
  const read = (path: string) => {
    const r = readHostOrContainer(facts, c, path);
    return r.ok ? r.text : undefined;
  };
  const limits = analyzeAdmission(flags, read).eventRateLimit;
  if (limits?.problems.length) return failure(evidence, `EventRateLimit in ${c.where}: ${limits.problems.join('; ')}`, config, undefined);
  const described = (limits?.limits ?? []).map((l) => `${l.type} qps ${l.qps} burst ${l.burst}`).join(', ');
  evidence.push({ subject: 'EventRateLimit limits', value: described, source: first.source });
  return { ok: true, evidence };
}

export function admissionPluginCheck(item: PluginItem): NodeCheck {
  const cis = { id: item.cis, automated: item.automated };
  return defineNodeCheck({
    id: item.id,
    title: item.title,
    severity: item.severity,
    category: 'admission',
    cis,
    rationale: item.rationale,
    remediation: item.remediation,
    appliesTo: 'kube-apiserver --enable-admission-plugins, --disable-admission-plugins and --admission-control (the plugins that run)',
    evaluateNode: (facts) =>
      evaluateEach(facts, 'kube-apiserver', cis, (c): InstanceVerdict => {
        const flags = flagValues(c.cmd);
        const runs = analyzeAdmission(flags).enabled.includes(item.plugin);
        const evidence = [ENABLE, DISABLE, LEGACY].map((k) => observeFlag(c, k)).filter((o) => o.set || o.subject.endsWith(ENABLE)).map(evidenceOf);
        evidence.push({ subject: `kube-apiserver admission plugin ${item.plugin}`, value: runs ? 'runs' : 'does not run', source: `${c.where} (plugins on by default and the admission flags)` });
        if (item.want === 'off') return runs ? turnOff(c, item.plugin, evidence) : { ok: true, evidence };
        if (!runs) return turnOn(c, item.plugin, evidence);
        if (item.plugin === 'EventRateLimit') return eventRateLimitConfigured(facts, c, flags, evidence);
        return { ok: true, evidence };
      }),
  });
}
