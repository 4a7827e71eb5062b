// The record a node audit leaves in the cluster: its Result, gzipped, in a ConfigMap of the
// node-audit namespace. Written by src/publish/node-audit.ts, read back by the engine when it
// gathers node audits into a cluster result (src/engine/node-audits.ts).

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Result } from './result.js';
import { TOOL_VERSION } from '../version.js';

export const NODE_AUDIT_NAMESPACE = 'kubeharden-node';
export const NODE_AUDIT_LABEL = 'kubeharden.io/node-audit';
export const NODE_AUDIT_NODE_ANNOTATION = 'kubeharden.io/node';
const NODE_AUDIT_TIME_ANNOTATION = 'kubeharden.io/audited-at';
export const NODE_AUDIT_DATA_KEY = 'result.json.gz';

/** The ConfigMap name for a node: `node-audit-NODE`, or a hash when that would be too long. */
export function nodeAuditConfigMapName(node: string): string {
  const name = `node-audit-${node}`;
  return name.length <= 253 ? name : `node-audit-${createHash('sha256').update(node).digest('hex').slice(0, 32)}`;
}

/** The ConfigMap that carries a node's Result (gzipped JSON in binaryData). */
export function nodeAuditConfigMap(result: Result, node: string, namespace = NODE_AUDIT_NAMESPACE, auditedAt = new Date()): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: nodeAuditConfigMapName(node),
      namespace,
      labels: { [NODE_AUDIT_LABEL]: 'true', 'app.kubernetes.io/managed-by': 'kubeharden' },
      annotations: { [NODE_AUDIT_NODE_ANNOTATION]: node, [NODE_AUDIT_TIME_ANNOTATION]: auditedAt.toISOString(), 'kubeharden.io/tool-version': TOOL_VERSION },
    },
    binaryData: { [NODE_AUDIT_DATA_KEY]: gzipSync(JSON.stringify(result)).toString('base64') },
  };
}
