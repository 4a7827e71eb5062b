// Which ServiceAccount a pod runs as, decided as the API server decides it.

import type { PodTarget } from '../../inventory/model.js';

export interface PodServiceAccount {
  name: string;
  /** Which field named it; undefined when neither does and the API server's `default` applies. */
  from?: 'serviceAccountName' | 'serviceAccount';
}

/**
 * `serviceAccountName`, else the deprecated `serviceAccount` (the API server copies it over),
 * else `default`. An empty string counts as unset, as it does for the API server.
 */
export function podServiceAccount(pod: PodTarget): PodServiceAccount {
  const { serviceAccountName, serviceAccount } = pod.spec;
  if (typeof serviceAccountName === 'string' && serviceAccountName !== '') return { name: serviceAccountName, from: 'serviceAccountName' };
  if (typeof serviceAccount === 'string' && serviceAccount !== '') return { name: serviceAccount, from: 'serviceAccount' };
  return { name: 'default' };
}
