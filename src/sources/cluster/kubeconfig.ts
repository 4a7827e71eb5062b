// Finds and loads the user's kubeconfig (or the in-cluster ServiceAccount) with the official
// client, so contexts, client certificates, bearer tokens, exec credential plugins and OIDC
// work as they do for kubectl. Every way it can fail ends in a ClusterSourceError that names
// the cause.

import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
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
  kc: KubeConfig;
  /** The context used, or "in-cluster". */
  context: string;
  /** The API server URL. */
  server: string;
  /** Where the configuration came from, for messages. */
  origin: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export async function loadKubeConfig(options: KubeConfigOptions = {}): Promise<LoadedKubeConfig> {
  const env = options.env ?? process.env;
  // Loaded on first use: the client takes most of a second to import, which a manifests scan need not pay.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  let origin: string;
  if (options.kubeconfig !== undefined) {
    origin = options.kubeconfig;
    loadFile(kc, options.kubeconfig);
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '');
    origin = `$KUBECONFIG (${files.join(path.delimiter)})`;
    loadFile(kc, files[0]!);
    for (const file of files.slice(1)) {
      const more: KubeConfig = new KubeConfig();
      loadFile(more, file);
      kc.mergeConfig(more);
    }
  } else if (existsSync(path.join(options.home ?? os.homedir(), '.kube', 'config'))) {
    origin = path.join(options.home ?? os.homedir(), '.kube', 'config');
    loadFile(kc, origin);
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    if (options.context) throw new ClusterSourceError(`--context ${options.context} was given, but there is no kubeconfig: running in a cluster, only its ServiceAccount can be used`);
    kc.loadFromCluster();
    origin = 'the in-cluster ServiceAccount';
  } else {
    throw new ClusterSourceError(
      'no kubeconfig found: give --kubeconfig FILE, set $KUBECONFIG, create ~/.kube/config, or run kubeharden in a pod (in-cluster ServiceAccount)',
    );
  }

  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ClusterSourceError(
        `context "${options.context}" is not in ${origin}` + (known.length ? `; its contexts are: ${known.join(', ')}` : '; it has no contexts'),
      );
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  if (!context) throw new ClusterSourceError(`${origin} sets no current-context; choose one with --context`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    const clusterName = kc.getContextObject(context)?.cluster;
    throw new ClusterSourceError(`context "${context}" in ${origin} names cluster "${clusterName ?? ''}", which is not defined there`);
  }
  if (!cluster.server) throw new ClusterSourceError(`cluster "${cluster.name}" in ${origin} has no server URL`);
  return { kc, context, server: cluster.server, origin };
}

function loadFile(kc: KubeConfig, file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ClusterSourceError(`kubeconfig ${file} does not exist`);
  }
  if (!isFile) throw new ClusterSourceError(`kubeconfig ${file} is not a file`);
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new ClusterSourceError(`kubeconfig ${file} could not be read: ${(err as Error).message}`);
  }
}
