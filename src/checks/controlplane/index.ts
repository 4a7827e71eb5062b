// The control-plane items of the CIS benchmark (section 1): API server, controller manager and
// scheduler flags, admission plugins, authorization, encryption, audit, and the control-plane
// files. Node checks: they read a node's processes and files, or static pods in a manifest scan.

import type { Check } from '../types.js';
import type { NodeCheck } from '../node/types.js';
import { apiServerVersionSupported } from './apiserver-version-supported.js';
import { configFileDecodes } from './config-file-decodes.js';
import { fileCheck } from '../templates/file-item.js';
import { settingCheck } from '../templates/setting-item.js';
import { APISERVER_ITEMS, CONTROLLER_MANAGER_ITEMS, SCHEDULER_ITEMS } from './apiserver-items.js';
import { ADMISSION_PLUGIN_ITEMS, admissionPluginCheck } from './admission-plugin-items.js';
import { apiserverAnonymousAuthDisabled } from './apiserver-anonymous-auth.js';
import { apiserverAuthorizationNode, apiserverAuthorizationNotAlwaysAllow, apiserverAuthorizationRbac } from './apiserver-authorization.js';
import { apiserverEncryptionProviderConfig, apiserverStrongEncryptionProvider } from './apiserver-encryption-provider.js';
import { auditPolicyCoversRisks, auditPolicyExists } from './audit-policy.js';
import { controllerManagerRotateKubeletServerCertificate } from './rotate-kubelet-server-certificate.js';
import { CONTROL_PLANE_FILE_ITEMS } from './file-items.js';
import { apiserverRequestTimeout, noBootstrapTokensForUsers, noClientCertificatesForUsers, noServiceAccountTokensForUsers } from './manual-items.js';

export const controlPlaneChecks: NodeCheck[] = [
  ...CONTROL_PLANE_FILE_ITEMS.map(fileCheck),
  ...[...APISERVER_ITEMS, ...CONTROLLER_MANAGER_ITEMS, ...SCHEDULER_ITEMS].map(settingCheck),
  ...ADMISSION_PLUGIN_ITEMS.map(admissionPluginCheck),
  apiserverAnonymousAuthDisabled,
  apiserverAuthorizationNotAlwaysAllow,
  apiserverAuthorizationNode,
  apiserverAuthorizationRbac,
  apiserverRequestTimeout,
  apiserverEncryptionProviderConfig,
  apiserverStrongEncryptionProvider,
  controllerManagerRotateKubeletServerCertificate,
  noClientCertificatesForUsers,
  noServiceAccountTokensForUsers,
  noBootstrapTokensForUsers,
  auditPolicyExists,
  auditPolicyCoversRisks,
];

/** Configuration files decoded as their loaders decode them (manifest scans, and the files a node's API server names). */
export const configFileChecks: Check[] = [configFileDecodes];

/** The API server's version against the supported releases (cluster scans and snapshots). */
export const apiServerVersionChecks: Check[] = [apiServerVersionSupported];
