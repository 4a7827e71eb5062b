import type { Check } from '../types.js';
import type { NodeCheck } from './types.js';
import { APISERVER_ITEMS, CONTROLLER_MANAGER_ITEMS, SCHEDULER_ITEMS } from '../controlplane/apiserver-items.js';
import { ADMISSION_PLUGIN_ITEMS, admissionPluginCheck } from '../controlplane/admission-plugin-items.js';
import { apiserverAnonymousAuthDisabled } from '../controlplane/apiserver-anonymous-auth.js';
import { apiserverAuthorizationNode, apiserverAuthorizationNotAlwaysAllow, apiserverAuthorizationRbac } from '../controlplane/apiserver-authorization.js';
import { apiserverEncryptionProviderConfig, apiserverStrongEncryptionProvider } from '../controlplane/apiserver-encryption-provider.js';
import { auditPolicyCoversRisks, auditPolicyExists } from '../controlplane/audit-policy.js';
import { controllerManagerRotateKubeletServerCertificate, kubeletRotateServerCertificateGate } from '../controlplane/feature-gate-items.js';
import { CONTROL_PLANE_FILE_ITEMS } from '../controlplane/file-items.js';
import { apiserverRequestTimeout, noBootstrapTokensForUsers, noClientCertificatesForUsers, noServiceAccountTokensForUsers } from '../controlplane/manual-items.js';
import { ETCD_ITEMS } from '../etcd/items.js';
import { etcdUsesOwnCa } from '../etcd/etcd-own-ca.js';
import { fileCheck } from '../templates/file-item.js';
import { WORKER_FILE_ITEMS } from './file-items.js';
import { KUBELET_ITEMS } from './kubelet-items.js';
import { kubeletServingCertificate } from './kubelet-serving-certificate.js';
import { settingCheck } from '../templates/setting-item.js';

/** Orders CIS ids numerically: 1.2.9 before 1.2.10. */
function byCisId(a: NodeCheck, b: NodeCheck): number {
  const pa = a.cis.id.split('.').map(Number);
  const pb = b.cis.id.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** Every CIS item of sections 1–4, one check each, in benchmark order. */
export const cisNodeChecks: NodeCheck[] = [
  ...[...CONTROL_PLANE_FILE_ITEMS, ...WORKER_FILE_ITEMS].map(fileCheck),
  ...[...APISERVER_ITEMS, ...CONTROLLER_MANAGER_ITEMS, ...SCHEDULER_ITEMS, ...ETCD_ITEMS, ...KUBELET_ITEMS].map(settingCheck),
  ...ADMISSION_PLUGIN_ITEMS.map(admissionPluginCheck),
  apiserverAnonymousAuthDisabled,
  apiserverAuthorizationNotAlwaysAllow,
  apiserverAuthorizationNode,
  apiserverAuthorizationRbac,
  apiserverRequestTimeout,
  apiserverEncryptionProviderConfig,
  apiserverStrongEncryptionProvider,
  controllerManagerRotateKubeletServerCertificate,
  etcdUsesOwnCa,
  noClientCertificatesForUsers,
  noServiceAccountTokensForUsers,
  noBootstrapTokensForUsers,
  auditPolicyExists,
  auditPolicyCoversRisks,
  kubeletServingCertificate,
  kubeletRotateServerCertificateGate,
].sort(byCisId);

/** Every node check, in the order reports list them. In a manifest scan they read static pods and KubeletConfiguration files. */
export const nodeChecks: Check[] = cisNodeChecks;
