import type { Check } from '../types.js';
import { credentialChecks } from '../secrets/index.js';
import { namespaceLabelChecks } from '../admission/index.js';
import { containerReadOnlyRootFilesystem } from './container-read-only-root-filesystem.js';
import { containerResourceLimitsSet } from './container-resource-limits-set.js';
import { containerResourceRequestsSet } from './container-resource-requests-set.js';
import { podServiceAccountTokenNotAutomounted } from './pod-service-account-token-not-automounted.js';
import { podUsesDedicatedServiceAccount } from './pod-uses-dedicated-service-account.js';
import { defaultServiceAccountTokenNotAutomounted } from './default-service-account-token-not-automounted.js';
import { containerImagePinned } from './container-image-pinned.js';
import { objectNotInDefaultNamespace } from './object-not-in-default-namespace.js';
import { untrustedWorkloadSandboxed } from './untrusted-workload-sandboxed.js';
import { containerRunsWithNonRootGroup } from './container-runs-with-non-root-group.js';
import { containerNoDangerousCapabilities } from './container-no-dangerous-capabilities.js';
import { containerDropsNetRaw } from './container-drops-net-raw.js';
import { namespaceLimitRangeDefined } from './namespace-limitrange-defined.js';
import { namespaceResourceQuotaDefined } from './namespace-resourcequota-defined.js';
import { ingressNginxSnippetsDisabled } from './ingress-nginx-snippets-disabled.js';
import { subPathKubeletPatched } from './subpath-kubelet-patched.js';
import { namespaceNameAvoidsKubePrefix } from './namespace-name-avoids-kube-prefix.js';
import { workloadNotInReservedNamespace } from './workload-not-in-reserved-namespace.js';

import { podNoContainerRuntimeSocket } from './pod-no-container-runtime-socket.js';
import { podNoDeprecatedServiceAccountField } from './pod-no-deprecated-service-account-field.js';
import { containerNoSshPort } from './container-no-ssh-port.js';
import { containerImageDigestOnly } from './container-image-digest-only.js';
import { containerRunsWithHighUid } from './container-runs-with-high-uid.js';
import { containerEphemeralStorageSet } from './container-ephemeral-storage-set.js';
import { clusterNoDashboardOrTiller } from './cluster-no-dashboard-or-tiller.js';
import { containerImagePullPolicyAlways } from './container-image-pull-policy-always.js';
import { objectHasRequiredMetadata } from './object-has-required-metadata.js';

/** Every workload hardening check, in the order reports list them, with the credential checks (secrets/) and the namespace label check (admission/) where reports have always listed them. */
export const workloadChecks: Check[] = [
  containerReadOnlyRootFilesystem,
  containerResourceLimitsSet,
  containerResourceRequestsSet,
  podServiceAccountTokenNotAutomounted,
  podUsesDedicatedServiceAccount,
  defaultServiceAccountTokenNotAutomounted,
  ...credentialChecks,
  containerImagePinned,
  containerRunsWithNonRootGroup,
  containerNoDangerousCapabilities,
  containerDropsNetRaw,
  untrustedWorkloadSandboxed,
  objectNotInDefaultNamespace,
  workloadNotInReservedNamespace,
  namespaceNameAvoidsKubePrefix,
  namespaceLimitRangeDefined,
  namespaceResourceQuotaDefined,
  ...namespaceLabelChecks,
  ingressNginxSnippetsDisabled,
  subPathKubeletPatched,
  podNoContainerRuntimeSocket,
  clusterNoDashboardOrTiller,
  containerNoSshPort,
  podNoDeprecatedServiceAccountField,
  containerImageDigestOnly,
  containerImagePullPolicyAlways,
  containerRunsWithHighUid,
  containerEphemeralStorageSet,
  objectHasRequiredMetadata,
];
