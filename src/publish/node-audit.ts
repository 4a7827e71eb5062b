// `kubeharden scan --node --publish`: a node's audit stored in the cluster, as a ConfigMap of
// the node-audit namespace, where the cluster scan gathers it (src/engine/node-audits.ts).
// The node's ServiceAccount needs only `create` and `patch` on configmaps in that namespace.

import type { Result } from '../result/result.js';
import { NODE_AUDIT_NAMESPACE, nodeAuditConfigMap, nodeAuditConfigMapName } from '../result/node-audit-record.js';
import { ApiClient, ApiError, type ApiClientOptions } from '../sources/cluster/client.js';
import { ClusterSourceError, loadKubeConfig, type KubeConfigOptions } from '../sources/cluster/kubeconfig.js';
import { applyObject } from './write.js';

/** Kubernetes refuses a ConfigMap over 1 MiB; a node's audit is far smaller, gzipped. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;

export interface PublishOptions extends KubeConfigOptions, ApiClientOptions {
  namespace?: string;
  auditedAt?: Date;
}

/** Writes the record and returns where it went (`configmap NS/NAME on SERVER`). */
export async function publishNodeAudit(result: Result, node: string, options: PublishOptions = {}): Promise<string> {
  const namespace = options.namespace ?? NODE_AUDIT_NAMESPACE;
  const configMap = nodeAuditConfigMap(result, node, namespace, options.auditedAt);
  const body = JSON.stringify(configMap);
  if (body.length > MAX_CONFIGMAP_BYTES) throw new ClusterSourceError(`the audit of node ${node} is ${body.length} bytes gzipped, over the 1 MiB a ConfigMap can hold`);
  const name = nodeAuditConfigMapName(node);
  const config = await loadKubeConfig(options);
  const client = new ApiClient(config, options);
  const where = `configmap ${namespace}/${name} on ${config.server}`;
  try {
    await applyObject(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`, configMap);
    return where;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      throw new ClusterSourceError(`could not publish the node audit to ${where}: forbidden; the ServiceAccount needs create and patch on configmaps in namespace ${namespace} (deploy/kubeharden-node-audit.yaml grants them)`);
    }
    if (err instanceof ApiError && err.status === 404) {
      throw new ClusterSourceError(`could not publish the node audit to ${where}: namespace ${namespace} does not exist (apply deploy/kubeharden-node-audit.yaml, or give --publish-namespace)`);
    }
    throw new ClusterSourceError(`could not publish the node audit to ${where}: ${(err as Error)?.message ?? String(err)}`);
  } finally {
    client.close();
  }
}
