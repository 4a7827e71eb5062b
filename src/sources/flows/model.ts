// What kubeharden keeps of one observed connection, whatever flow log it came from: who opened
// it, towards whom, on which destination port. Only connection *initiations* are kept (replies
// and denied attempts are dropped by the readers), so each record is evidence of a flow the
// workloads need.

import type { Protocol } from '../../analysis/netpol/ports.js';

/** One end of an observed connection. */
export type FlowEndpoint =
  | {
      kind: 'pod';
      namespace: string;
      /** Every pod label the log carries (without Cilium's `k8s:` source prefix). */
      labels: Record<string, string>;
      /** The pod's name, or an aggregated name (`storefront-7d9f8b5c4-*`), for messages and matching. */
      name?: string;
      /** The controller the log names (Hubble `workloads[0]`), when it does. */
      workload?: { name: string; kind?: string };
      ip?: string;
    }
  /** An address outside the pod network's identities: the internet, a node, the API server. */
  | { kind: 'ip'; /** Absent when the log aggregated it away (Calico `pub`/`pvt` without an IP). */ ip?: string; /** DNS names the log associates with it (Hubble destination_names, Calico dest_domains). */ names: string[]; /** what the log calls it: `world`, `kube-apiserver`, `pub`, … */ label?: string }
  /** The node the other end runs on (Cilium `reserved:host`): node → pod traffic is always allowed. */
  | { kind: 'node'; ip?: string };

export interface FlowRecord {
  format: 'hubble' | 'calico';
  src: FlowEndpoint;
  dst: FlowEndpoint;
  protocol: Protocol;
  port: number;
  /** Where it was read: `file:line`. */
  at: string;
}

/** Why a line was not used, counted per reason so the summary can say what was left out. */
export type SkipReason =
  | 'reply'
  | 'denied'
  | 'not-l4'
  | 'not-a-flow'
  | 'direction-unknown'
  | 'no-address';

export interface FlowReadStats {
  files: number;
  lines: number;
  flows: number;
  skipped: Partial<Record<SkipReason, number>>;
  malformed: number;
}
