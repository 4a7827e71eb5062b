// Finds and loads the user's kubeconfig (or the in-cluster ServiceAccount) with the official
// client, so contexts, client certificates, bearer tokens, exec credential plugins and OIDC
// work as they do for kubectl. The client runs in a thread of its own (connection-worker.ts
// says why). Every way loading can fail ends in a ClusterSourceError that names the cause.

import { Connection } from './connection.js';
import { ClusterSourceError } from './errors.js';

export { ClusterSourceError };

export interface KubeConfigOptions {
  /** A kubeconfig file; default $KUBECONFIG, then ~/.kube/config, then the in-cluster ServiceAccount. */
  kubeconfig?: string;
  /** A context of the kubeconfig; default its current-context. */
  context?: string;
  /** Environment and home folder, injectable for tests. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface LoadedKubeConfig {
  /** The context used, or "in-cluster". */
  context: string;
  /** The API server URL. */
  server: string;
  /** Where the configuration came from, for messages. */
  origin: string;
  /** The name of the context's user entry, for messages. */
  user: string;
  /** The official client's thread, which sends requests with the kubeconfig's credentials; ApiClient.close() stops it. */
  connection: Connection;
}

export async function loadKubeConfig(options: KubeConfigOptions = {}): Promise<LoadedKubeConfig> {
  const connection = await Connection.open({
    kubeconfig: options.kubeconfig,
    context: options.context,
    env: { ...(options.env ?? process.env) },
    home: options.home,
  });
  return { ...connection.description, connection };
}
