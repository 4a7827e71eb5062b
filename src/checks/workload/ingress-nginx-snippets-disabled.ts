import type { Inventory } from '../../inventory/inventory.js';
import { describeObject, isMapping, type InventoryObject } from '../../inventory/model.js';
import { containersOf } from '../../inventory/pod-specs.js';
import type { InventoryCheck, Violation } from '../types.js';
import { parseImageReference } from './image-reference.js';

const SETTING = 'allow-snippet-annotations';

type Version = [number, number, number];
/** v0.49.1 and v1.0.1 introduced the setting (CVE-2021-25742); before them snippets cannot be turned off. */
const FIRST_WITH_SETTING_V0: Version = [0, 49, 1];
const FIRST_WITH_SETTING_V1: Version = [1, 0, 1];
/** From v1.9.0 (Helm chart 4.8.0) the controller defaults the setting to false; before, to true. */
const DEFAULT_FALSE_SINCE: Version = [1, 9, 0];

export const ingressNginxSnippetsDisabled: InventoryCheck = {
  id: 'ingress-nginx-snippets-disabled',
  title: 'ingress-nginx does not accept snippet annotations (CVE-2021-25742)',
  severity: 'high',
  category: 'workload',
  controls: ['nsa:U2'],
  rationale:
    'With snippet annotations allowed, anyone who may create or edit an Ingress can inject raw NGINX ' +
    'configuration into the ingress-nginx controller and read its ServiceAccount token, which by default can ' +
    'read every Secret in the cluster (CVE-2021-25742). The controller ConfigMap key allow-snippet-annotations ' +
    'turns this off; it exists since v0.49.1 and v1.0.1 (v1.0.0 and v0.49.0 or older cannot turn it off) and ' +
    'defaults to "true" before v1.9.0 and to "false" from v1.9.0 on. The value is read as Go\'s ' +
    'strconv.ParseBool reads it; a value it cannot read leaves the default. When the key is unset the ' +
    'controller version decides, taken from the controller image in the same namespace, else from the ' +
    'ConfigMap\'s app.kubernetes.io/version label. ingress-nginx reached end of life in March 2026; plan its replacement.',
  remediation:
    'Set allow-snippet-annotations: "false" in the ingress-nginx controller ConfigMap (Helm: ' +
    'controller.allowSnippetAnnotations=false), and run v1.9.0 or later.',
  appliesTo: 'ingress-nginx controller ConfigMaps',
  scope: 'inventory',
  examples: {
    pass: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\ndata:\n  allow-snippet-annotations: "false"',
    fail: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller, namespace: ingress-nginx}\ndata:\n  allow-snippet-annotations: "true"',
  },
  evaluate(inventory) {
    const configMaps = inventory.ofKind('ConfigMap').filter(isControllerConfigMap);
    if (configMaps.length === 0) return { skip: 'the input has no ingress-nginx controller ConfigMap' };
    const violations: Violation[] = [];
    for (const cm of configMaps) {
      const problem = snippetProblem(cm, controllerVersion(inventory, cm));
      if (problem) violations.push({ object: cm, path: problem.path, message: `${describeObject(cm)}: ${problem.message}` });
    }
    return { evaluated: configMaps.length, violations };
  },
};

/**
 * The controller's ConfigMap: named ingress-nginx-controller, or labelled as the ingress-nginx
 * controller's — but not the chart's TCP/UDP port-map ConfigMaps, which carry the same labels.
 */
function isControllerConfigMap(cm: InventoryObject): boolean {
  if (cm.name === 'ingress-nginx-controller') return true;
  return cm.labels['app.kubernetes.io/name'] === 'ingress-nginx' && !/-(tcp|udp)$/.test(cm.name) && cm.labels['app.kubernetes.io/component'] !== 'default-backend';
}

function snippetProblem(cm: InventoryObject, version: Version | undefined): { path: (string | number)[]; message: string } | undefined {
  const raw = isMapping(cm.raw.data) ? cm.raw.data[SETTING] : undefined;
  const path = raw === undefined ? ['data'] : ['data', SETTING];
  const running = version ? ` (the input says the controller is v${version.join('.')})` : '';

  if (version && !hasSetting(version)) {
    return { path, message: `ingress-nginx v${version.join('.')} has no ${SETTING} setting, so snippets cannot be disabled; upgrade to v1.9.0 or later` };
  }
  if (raw !== undefined && typeof raw !== 'string') {
    return { path, message: `${SETTING} is not a string (an unquoted YAML value), which the API server rejects in ConfigMap data; write the string "false"` };
  }
  const value = typeof raw === 'string' ? parseGoBool(raw) : undefined;
  if (value === false) return undefined;
  if (value === true) return { path, message: `${SETTING} is "${raw}", so anyone who can edit an Ingress can inject NGINX configuration and read the controller's Secrets; set it to "false"` };

  const unread = typeof raw === 'string' ? `${SETTING} "${raw}" is not a boolean the controller can read, so its default applies` : `${SETTING} is not set, so the controller default applies`;
  if (version && compare(version, DEFAULT_FALSE_SINCE) >= 0) return undefined;
  if (version) return { path, message: `${unread}, which is "true" before v1.9.0${running}; set it to "false"` };
  return {
    path,
    message: `${unread}: "true" before v1.9.0, "false" from v1.9.0 on, and the input does not show the controller version; set it to "false" explicitly`,
  };
}

/** Go's strconv.ParseBool, plus mapstructure's weak decoding of "" as false. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(s)) return false;
  return undefined;
}

/**
 * The controller version: from the ingress-nginx controller image run in the ConfigMap's namespace
 * (when exactly one version runs there), else from the ConfigMap's app.kubernetes.io/version label,
 * which the Helm chart and the static manifests set to the controller version.
 */
function controllerVersion(inventory: Inventory, cm: InventoryObject): Version | undefined {
  const versions = new Set<string>();
  for (const pod of inventory.pods) {
    if (pod.object.namespace !== cm.namespace) continue;
    for (const c of containersOf(pod)) {
      const image = typeof c.container.image === 'string' ? parseImageReference(c.container.image) : undefined;
      if (!image || 'invalid' in image || !image.tag) continue;
      if (!/(^|\/)(ingress-nginx\/controller|nginx-ingress-controller)$/.test(image.name)) continue;
      const version = parseVersion(image.tag);
      if (version) versions.add(version.join('.'));
    }
  }
  if (versions.size === 1) return parseVersion([...versions][0]!);
  if (versions.size > 1) return undefined;
  const label = cm.labels['app.kubernetes.io/version'];
  return label === undefined ? undefined : parseVersion(label);
}

function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function hasSetting(v: Version): boolean {
  if (v[0] === 0) return compare(v, FIRST_WITH_SETTING_V0) >= 0;
  return compare(v, FIRST_WITH_SETTING_V1) >= 0;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
