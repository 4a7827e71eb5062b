// CIS 2: etcd settings. Each comes from the flag, else the ETCD_* variable, unless a
// --config-file replaces both (src/analysis/flags/settings.ts).

import type { SettingItem } from '../templates/setting-item.js';

const etcd = { component: 'etcd' as const };

export const ETCD_ITEMS: SettingItem[] = [
  {
    ...etcd, id: 'etcd-client-tls', cis: '2.1', automated: true, severity: 'critical',
    title: 'etcd serves clients over TLS', keys: ['cert-file', 'key-file'], rule: { is: 'set' },
    rationale: 'etcd holds every object of the cluster, Secrets included; in clear text anyone on the network can read it.',
    remediation: 'Set --cert-file and --key-file on etcd.',
  },
  {
    ...etcd, id: 'etcd-client-cert-auth', cis: '2.2', automated: true, severity: 'critical',
    title: 'etcd requires client certificates', keys: ['client-cert-auth'], rule: { is: 'equal', value: 'true', boolean: true },
    rationale: 'Without client-certificate authentication any client that reaches the port can read and write all cluster data.',
    remediation: 'Set --client-cert-auth=true (and --trusted-ca-file) on etcd.',
  },
  {
    ...etcd, id: 'etcd-no-auto-tls', cis: '2.3', automated: true, severity: 'high',
    title: 'etcd does not use self-signed client certificates', keys: ['auto-tls'], rule: { is: 'equal', value: 'false', boolean: true },
    rationale: 'Auto-generated self-signed certificates cannot be verified by clients.',
    remediation: 'Remove --auto-tls or set --auto-tls=false on etcd.',
  },
  {
    ...etcd, id: 'etcd-peer-tls', cis: '2.4', automated: true, severity: 'high',
    title: 'etcd peers talk over TLS', keys: ['peer-cert-file', 'peer-key-file'], rule: { is: 'set' },
    rationale: 'Replication traffic carries all cluster data. A single-member etcd fails this by the letter of the benchmark.',
    remediation: 'Set --peer-cert-file and --peer-key-file on etcd.',
  },
  {
    ...etcd, id: 'etcd-peer-client-cert-auth', cis: '2.5', automated: true, severity: 'high',
    title: 'etcd peers must present certificates', keys: ['peer-client-cert-auth'], rule: { is: 'equal', value: 'true', boolean: true },
    rationale: 'Without it anything that reaches the peer port can join or read replication traffic.',
    remediation: 'Set --peer-client-cert-auth=true on etcd.',
  },
  {
    ...etcd, id: 'etcd-no-peer-auto-tls', cis: '2.6', automated: true, severity: 'high',
    title: 'etcd peers do not use self-signed certificates', keys: ['peer-auto-tls'], rule: { is: 'equal', value: 'false', boolean: true },
    rationale: 'Self-signed peer certificates cannot be verified.',
    remediation: 'Remove --peer-auto-tls or set --peer-auto-tls=false on etcd.',
  },
];
