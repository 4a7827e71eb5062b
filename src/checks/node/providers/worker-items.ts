// The worker-node sections of the CIS Amazon EKS Benchmark v1.8.0, the CIS Google GKE Benchmark
// v1.9.0 and the CIS Azure AKS Benchmark v1.8.0 (section 3 in each), as rows of the shared file
// and setting templates. Item numbers, what each tests and its Automated/Manual label follow the
// benchmarks as kube-bench encodes them (cfg/eks-1.8.0, cfg/gke-1.9.0, cfg/aks-1.8, node.yaml);
// titles and remediations are our own words.
//
// Where kube-bench fails a kubelet setting that is absent although the kubelet's default
// already satisfies the item (EKS/AKS 3.2.1 anonymous auth, 3.2.9 the serving-certificate
// gate), these checks judge the effective value and show the default in the evidence, as the
// CIS Kubernetes items of this tool do.

import { gateCheck } from '../../templates/feature-gate.js';
import { instancesOf, type NodeFacts } from '../../../inventory/node-facts.js';
import { fileCheck, type FileItem, type FileTarget } from '../../templates/file-item.js';
import { controlsOfCisItem } from '../nsa-controls.js';
import { flagFile } from '../paths.js';
import { settingCheck, type SettingItem } from '../../templates/setting-item.js';
import type { NodeCheck } from '../types.js';

export type Provider = 'eks' | 'gke' | 'aks';

/** Every worker-item check id, literally (the rows below build them from the provider and the item). */
const WORKER_IDS = new Set([
  {
    id: 'eks-kubelet-kubeconfig-mode',
  },
  {
    id: 'eks-kubelet-kubeconfig-owner',
  },
  {
    id: 'eks-kubelet-config-file-mode',
  },
  {
    id: 'eks-kubelet-config-file-owner',
  },
  {
    id: 'eks-kubelet-anonymous-auth-disabled',
  },
  {
    id: 'eks-kubelet-authorization-not-always-allow',
  },
  {
    id: 'eks-kubelet-client-ca-file',
  },
  {
    id: 'eks-kubelet-read-only-port-disabled',
  },
  {
    id: 'eks-kubelet-streaming-idle-timeout',
  },
  {
    id: 'eks-kubelet-makes-iptables-util-chains',
  },
  {
    id: 'eks-kubelet-event-qps',
  },
  {
    id: 'eks-kubelet-rotates-client-certificates',
  },
  {
    id: 'eks-kubelet-rotate-server-certificate-gate',
  },
  {
    id: 'gke-kubelet-kubeconfig-mode',
  },
  {
    id: 'gke-kubelet-kubeconfig-owner',
  },
  {
    id: 'gke-kubelet-config-file-mode',
  },
  {
    id: 'gke-kubelet-config-file-owner',
  },
  {
    id: 'aks-kubelet-kubeconfig-mode',
  },
  {
    id: 'aks-kubelet-kubeconfig-owner',
  },
  {
    id: 'aks-azure-json-mode',
  },
  {
    id: 'aks-azure-json-owner',
  },
  {
    id: 'aks-kubelet-anonymous-auth-disabled',
  },
  {
    id: 'aks-kubelet-authorization-not-always-allow',
  },
  {
    id: 'aks-kubelet-client-ca-file',
  },
  {
    id: 'aks-kubelet-read-only-port-disabled',
  },
  {
    id: 'aks-kubelet-streaming-idle-timeout',
  },
  {
    id: 'aks-kubelet-makes-iptables-util-chains',
  },
  {
    id: 'aks-kubelet-event-qps',
  },
  {
    id: 'aks-kubelet-rotates-client-certificates',
  },
  {
    id: 'aks-kubelet-rotate-server-certificate-gate',
  },
].map((r) => r.id));

/** A check id of the table above: ids are spelt out there so each can be found by name. */
function checkId(id: string): string {
  if (!WORKER_IDS.has(id)) throw new Error(`check id ${id} is not listed in WORKER_IDS`);
  return id;
}


const NAME: Record<Provider, string> = { eks: 'EKS', gke: 'GKE', aks: 'AKS' };

/** `cis-eks:3.2.1` plus the NSA items of the CIS Kubernetes item it corresponds to. */
export function providerControls(provider: Provider, id: string, cisEquivalent?: string): string[] {
  return [`cis-${provider}:${id}`, ...(cisEquivalent ? controlsOfCisItem(cisEquivalent).filter((c) => c.startsWith('nsa:')) : [])];
}

function kubeletKubeconfig(facts: NodeFacts): FileTarget[] {
  const known = facts.platform?.paths.kubeletKubeconfig;
  if (known) return [known];
  return flagFile(facts, 'kubelet', 'kubeconfig', ['/var/lib/kubelet/kubeconfig']);
}

function kubeletConfigFiles(facts: NodeFacts): FileTarget[] {
  const known = facts.platform?.paths.kubeletConfigFiles;
  if (known?.length) return known;
  const config = instancesOf(facts, 'kubelet')[0]?.config;
  return config ? [{ path: config.path, how: `kubelet config file (${config.how})` }] : [];
}

function filePair(provider: Provider, f: {
  short: string; what: string; modeId: string; ownerId: string; max: number; equivalents?: [string, string]; appliesTo: string; rationale: string; targets: (facts: NodeFacts) => FileTarget[];
}): FileItem[] {
  const mode = f.max.toString(8);
  const common = { automated: true, category: 'node' as const, severity: 'medium' as const, rationale: f.rationale, appliesTo: f.appliesTo, targets: (facts: NodeFacts) => ({ files: f.targets(facts) }) };
  return [
    { ...common, id: checkId(`${provider}-${f.short}-mode`), cis: f.modeId, controls: providerControls(provider, f.modeId, f.equivalents?.[0]), title: `The ${f.what} is mode ${mode} or stricter (${NAME[provider]})`, test: { maxMode: f.max }, remediation: `chmod ${mode} the ${f.what} (see "Looks at" for its path on ${NAME[provider]} nodes).` },
    { ...common, id: checkId(`${provider}-${f.short}-owner`), cis: f.ownerId, controls: providerControls(provider, f.ownerId, f.equivalents?.[1]), title: `The ${f.what} is owned by root:root (${NAME[provider]})`, test: { owner: 'root:root' }, remediation: `chown root:root the ${f.what}.` },
  ];
}

const KUBECONFIG_FILES = (provider: Provider) => filePair(provider, {
  short: 'kubelet-kubeconfig', what: 'kubelet kubeconfig', modeId: '3.1.1', ownerId: '3.1.2', max: 0o644, equivalents: ['4.1.5', '4.1.6'],
  appliesTo: 'the file named by kubelet --kubeconfig (EKS, GKE and AKS images: /var/lib/kubelet/kubeconfig)',
  rationale: 'The kubelet kubeconfig holds the node\'s credentials to the API server; whoever can write it can point the kubelet elsewhere.',
  targets: kubeletKubeconfig,
});

const CONFIG_FILES = (provider: Provider, where: string) => filePair(provider, {
  short: 'kubelet-config-file', what: 'kubelet config file', modeId: '3.1.3', ownerId: '3.1.4', max: 0o644,
  appliesTo: `the kubelet's --config file and its --config-dir drop-ins (${where})`,
  rationale: 'The kubelet config file sets its authentication, authorization and ports.',
  targets: kubeletConfigFiles,
});

const AZURE_JSON = filePair('aks', {
  short: 'azure-json', what: 'azure.json cloud config', modeId: '3.1.3', ownerId: '3.1.4', max: 0o644,
  appliesTo: '/etc/kubernetes/azure.json',
  rationale: 'azure.json holds the node\'s cloud-provider configuration and, on older clusters, service-principal credentials.',
  targets: (facts) => [facts.platform?.paths.azureJson ?? { path: '/etc/kubernetes/azure.json', how: 'AKS cloud provider config' }],
});

/** EKS and AKS number their kubelet items alike (3.2.1–3.2.9). */
function kubeletRows(provider: Provider): NodeCheck[] {
  const row = (id: string, cis: string, key: string, rule: SettingItem['rule'], severity: SettingItem['severity'], title: string, rationale: string, remediation: string): SettingItem => ({
    component: 'kubelet', id: checkId(`${provider}-${key}`), cis: id, automated: true, severity, controls: providerControls(provider, id, cis),
    title: `${title} (${NAME[provider]})`, keys: [KEY_OF[key] as string], rule, rationale, remediation,
  });
  const rows: SettingItem[] = [
    row('3.2.1', '4.2.1', 'kubelet-anonymous-auth-disabled', { is: 'equal', value: 'false', boolean: true }, 'critical', 'The kubelet refuses anonymous requests',
      'An anonymous kubelet API lets anyone who reaches port 10250 read pods. The node images set authentication.anonymous.enabled: false.',
      'Set "authentication": {"anonymous": {"enabled": false}} in the kubelet config file (or --anonymous-auth=false).'),
    row('3.2.2', '4.2.2', 'kubelet-authorization-not-always-allow', { is: 'not-equal', value: 'AlwaysAllow' }, 'critical', 'The kubelet authorizes requests (not AlwaysAllow)',
      'AlwaysAllow lets every authenticated caller exec into pods.',
      'Set "authorization": {"mode": "Webhook"} and "authentication": {"webhook": {"enabled": true}} in the kubelet config file.'),
    row('3.2.3', '4.2.3', 'kubelet-client-ca-file', { is: 'set' }, 'high', 'The kubelet verifies client certificates',
      'Without a client CA the kubelet cannot authenticate the API server by certificate.',
      'Set "authentication": {"x509": {"clientCAFile": "/etc/kubernetes/pki/ca.crt"}} in the kubelet config file (or --client-ca-file).'),
    row('3.2.4', '4.2.4', 'kubelet-read-only-port-disabled', { is: 'equal', value: '0' }, 'high', 'The kubelet read-only port is off',
      'Port 10255 serves pod and node data without authentication.',
      'Set "readOnlyPort": 0 in the kubelet config file (or --read-only-port=0).'),
    row('3.2.5', '4.2.5', 'kubelet-streaming-idle-timeout', { is: 'non-zero-duration' }, 'low', 'Streaming connections time out when idle',
      'A zero timeout keeps idle exec and port-forward streams open forever; unset means the 4h default.',
      'Remove a zero streamingConnectionIdleTimeout (or set it, e.g. "4h0m0s") in the kubelet config file.'),
    row('3.2.6', '4.2.6', 'kubelet-makes-iptables-util-chains', { is: 'equal', value: 'true', boolean: true }, 'low', 'The kubelet manages its iptables chains',
      'The kubelet keeps its iptables chains in line with pod networking; the default is true.',
      'Remove "makeIPTablesUtilChains": false from the kubelet config file.'),
    row('3.2.7', '4.2.8', 'kubelet-event-qps', { is: 'at-least', min: 0 }, 'info', 'Kubelet event recording keeps the events you need',
      'Too low a rate drops events that matter for investigations; 0 means no limit (kube-bench\'s AKS profile tests for exactly 0).',
      'Set eventRecordQPS in the kubelet config file to 0 or a level that captures the events you need.'),
    row('3.2.8', '4.2.10', 'kubelet-rotates-client-certificates', { is: 'not-set-false' }, 'medium', 'Kubelet client certificate rotation is not disabled',
      'Rotation replaces the kubelet\'s client certificate before it expires; the item passes when the setting is absent or true.',
      'Remove "rotateCertificates": false (and --rotate-certificates=false) from the kubelet\'s settings.'),
  ];
  return [
    ...rows.map(settingCheck),
    gateCheck(checkId(`${provider}-kubelet-rotate-server-certificate-gate`), '3.2.9', true, 'kubelet',
      'Set "featureGates": {"RotateKubeletServerCertificate": true} in the kubelet config file, and do not turn it off with --feature-gates.',
      providerControls(provider, '3.2.9', '4.2.11'), ` (${NAME[provider]})`),
  ];
}

/** The setting key each row reads (see KUBELET_SETTINGS). */
const KEY_OF: Record<string, string> = {
  'kubelet-anonymous-auth-disabled': 'anonymous-auth',
  'kubelet-authorization-not-always-allow': 'authorization-mode',
  'kubelet-client-ca-file': 'client-ca-file',
  'kubelet-read-only-port-disabled': 'read-only-port',
  'kubelet-streaming-idle-timeout': 'streaming-connection-idle-timeout',
  'kubelet-makes-iptables-util-chains': 'make-iptables-util-chains',
  'kubelet-event-qps': 'event-qps',
  'kubelet-rotates-client-certificates': 'rotate-certificates',
};

export const EKS_WORKER_CHECKS: NodeCheck[] = [
  ...[...KUBECONFIG_FILES('eks'), ...CONFIG_FILES('eks', 'AL2023: /etc/kubernetes/kubelet/config.json and config.json.d/*.conf; AL2: /etc/kubernetes/kubelet/kubelet-config.json; Bottlerocket: /etc/kubernetes/kubelet/config')].map(fileCheck),
  ...kubeletRows('eks'),
];

export const GKE_WORKER_CHECKS: NodeCheck[] = [...KUBECONFIG_FILES('gke'), ...CONFIG_FILES('gke', 'COS and Ubuntu images: /home/kubernetes/kubelet-config.yaml')].map(fileCheck);

export const AKS_WORKER_CHECKS: NodeCheck[] = [...[...KUBECONFIG_FILES('aks'), ...AZURE_JSON].map(fileCheck), ...kubeletRows('aks')];
