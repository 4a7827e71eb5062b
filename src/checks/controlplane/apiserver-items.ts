// CIS 1.2: kube-apiserver flags that one template tests (src/checks/node/setting-template.ts).
// Items that read a config file named by a flag have their own files beside this one;
// admission plugin items (1.2.3, 1.2.9–1.2.14) are in admission-plugin-items.ts.
// Absent flags take the upstream default stated per item in spec/cis.md.

import type { SettingItem } from '../templates/setting-item.js';

const apiserver = { component: 'kube-apiserver' as const };

const STRONG_APISERVER_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
] as const;

export const APISERVER_ITEMS: SettingItem[] = [
  {
    ...apiserver, id: 'apiserver-no-static-token-file', cis: '1.2.2', automated: true, severity: 'high',
    title: 'The API server does not authenticate with a static token file', keys: ['token-auth-file'], rule: { is: 'unset' },
    rationale: 'Tokens in a static file live forever in clear text and cannot be revoked without restarting the API server.',
    remediation: 'Remove --token-auth-file from the kube-apiserver command and use service-account tokens, OIDC or client certificates.',
  },
  {
    ...apiserver, id: 'apiserver-kubelet-client-certificate', cis: '1.2.4', automated: true, severity: 'high',
    title: 'The API server presents a client certificate to kubelets', keys: ['kubelet-client-certificate', 'kubelet-client-key'], rule: { is: 'set' },
    rationale: 'Kubelets must authenticate the API server; without a client certificate they would have to allow anonymous requests.',
    remediation: 'Set --kubelet-client-certificate and --kubelet-client-key to a certificate the kubelets trust.',
  },
  {
    ...apiserver, id: 'apiserver-verifies-kubelet-certificates', cis: '1.2.5', automated: true, severity: 'high',
    title: 'The API server verifies kubelet serving certificates', keys: ['kubelet-certificate-authority'], rule: { is: 'set' },
    rationale: 'Without a CA the API server does not verify the kubelet it connects to (for exec, logs, port-forward), so the connection can be intercepted.',
    remediation: 'Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates (with serverTLSBootstrap on the kubelets).',
  },
  {
    ...apiserver, id: 'apiserver-profiling-disabled', cis: '1.2.15', automated: true, severity: 'low',
    title: 'API server profiling is off', keys: ['profiling'], rule: { is: 'equal', value: 'false', boolean: true }, defaults: { profiling: 'true' },
    rationale: 'The /debug/pprof endpoints reveal program detail and can be used to degrade the server; they are on by default.',
    remediation: 'Set --profiling=false on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-audit-log-path', cis: '1.2.16', automated: true, severity: 'medium', category: 'audit',
    title: 'The API server writes an audit log', keys: ['audit-log-path'], rule: { is: 'set' },
    rationale: 'Without an audit log backend there is no record of who did what in the cluster.',
    remediation: 'Set --audit-log-path (and --audit-policy-file) on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-audit-log-maxage', cis: '1.2.17', automated: true, severity: 'low', category: 'audit',
    title: 'Audit logs are kept for at least 30 days', keys: ['audit-log-maxage'], rule: { is: 'at-least', min: 30 }, defaults: { 'audit-log-maxage': '0' },
    rationale: 'Investigations need history; the default 0 keeps rotated files by count only.',
    remediation: 'Set --audit-log-maxage=30 or more.',
  },
  {
    ...apiserver, id: 'apiserver-audit-log-maxbackup', cis: '1.2.18', automated: true, severity: 'low', category: 'audit',
    title: 'At least 10 rotated audit log files are kept', keys: ['audit-log-maxbackup'], rule: { is: 'at-least', min: 10 }, defaults: { 'audit-log-maxbackup': '0' },
    rationale: 'Rotated audit files are the history an investigation reads.',
    remediation: 'Set --audit-log-maxbackup=10 or more.',
  },
  {
    ...apiserver, id: 'apiserver-audit-log-maxsize', cis: '1.2.19', automated: true, severity: 'low', category: 'audit',
    title: 'Audit log files rotate at 100 MB or more', keys: ['audit-log-maxsize'], rule: { is: 'at-least', min: 100 }, defaults: { 'audit-log-maxsize': '0' },
    rationale: 'A sensible rotation size keeps enough history per file.',
    remediation: 'Set --audit-log-maxsize=100 or more.',
  },
  {
    ...apiserver, id: 'apiserver-service-account-lookup', cis: '1.2.21', automated: true, severity: 'medium',
    title: 'Service-account tokens are checked against etcd', keys: ['service-account-lookup'], rule: { is: 'equal', value: 'true', boolean: true }, defaults: { 'service-account-lookup': 'true' },
    rationale: 'Without the lookup a token of a deleted service account stays valid until it expires.',
    remediation: 'Remove --service-account-lookup=false (the default is true).',
  },
  {
    ...apiserver, id: 'apiserver-service-account-key-file', cis: '1.2.22', automated: true, severity: 'medium',
    title: 'The API server has a service-account verification key', keys: ['service-account-key-file'], rule: { is: 'set' },
    rationale: 'A dedicated key pair lets service-account signing keys rotate; the fallback to the TLS key does not.',
    remediation: 'Set --service-account-key-file to the public key matching the controller manager\'s --service-account-private-key-file.',
  },
  {
    ...apiserver, id: 'apiserver-etcd-client-certificate', cis: '1.2.23', automated: true, severity: 'high',
    title: 'The API server authenticates to etcd with a client certificate', keys: ['etcd-certfile', 'etcd-keyfile'], rule: { is: 'set' },
    rationale: 'etcd holds every secret of the cluster; it must only accept clients that present a certificate.',
    remediation: 'Set --etcd-certfile and --etcd-keyfile on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-tls-serving-certificate', cis: '1.2.24', automated: true, severity: 'high',
    title: 'The API server serves TLS with a configured certificate', keys: ['tls-cert-file', 'tls-private-key-file'], rule: { is: 'set' },
    rationale: 'Without them the API server generates a self-signed certificate that clients cannot verify.',
    remediation: 'Set --tls-cert-file and --tls-private-key-file on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-client-ca-file', cis: '1.2.25', automated: true, severity: 'high',
    title: 'The API server verifies client certificates against a CA', keys: ['client-ca-file'], rule: { is: 'set' },
    rationale: 'x509 client authentication needs a CA; components authenticate with certificates signed by it.',
    remediation: 'Set --client-ca-file on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-etcd-ca-file', cis: '1.2.26', automated: true, severity: 'high',
    title: 'The API server verifies etcd\'s certificate', keys: ['etcd-cafile'], rule: { is: 'set' },
    rationale: 'Without a CA for etcd the API server cannot tell the real etcd from an impostor.',
    remediation: 'Set --etcd-cafile on kube-apiserver.',
  },
  {
    ...apiserver, id: 'apiserver-strong-tls-ciphers', cis: '1.2.29', automated: false, severity: 'low',
    title: 'The API server only offers strong TLS cipher suites', keys: ['tls-cipher-suites'], rule: { is: 'subset', allowed: STRONG_APISERVER_CIPHERS },
    rationale: 'Go\'s default list includes CBC-mode and RSA key-exchange suites the benchmark does not accept.',
    remediation: `Set --tls-cipher-suites=${STRONG_APISERVER_CIPHERS.slice(3, 9).join(',')}.`,
  },
  {
    ...apiserver, id: 'apiserver-no-extended-token-expiration', cis: '1.2.30', automated: true, severity: 'medium',
    title: 'Projected service-account tokens are not extended', keys: ['service-account-extend-token-expiration'],
    rule: { is: 'equal', value: 'false', boolean: true }, defaults: { 'service-account-extend-token-expiration': 'true' },
    rationale: 'By default the API server extends projected tokens to a year for old clients, so a stolen token lives long.',
    remediation: 'Set --service-account-extend-token-expiration=false on kube-apiserver.',
  },
];

export const CONTROLLER_MANAGER_ITEMS: SettingItem[] = [
  {
    component: 'kube-controller-manager', id: 'controller-manager-terminated-pod-gc-threshold', cis: '1.3.1', automated: false, severity: 'low',
    title: 'The terminated-pod garbage-collection threshold is set', keys: ['terminated-pod-gc-threshold'], rule: { is: 'positive' },
    defaults: { 'terminated-pod-gc-threshold': '12500' },
    // The controller manager reads 0 or less as "collector off" (pkg/controller/podgc), so a
    // value that is merely present is not enough.
    rationale: 'Terminated pods pile up to 12500 by default, which can degrade the cluster; a value of 0 or less turns the collector off altogether.',
    remediation: 'Set --terminated-pod-gc-threshold to a value fit for the cluster, for example 10.',
  },
  {
    component: 'kube-controller-manager', id: 'controller-manager-profiling-disabled', cis: '1.3.2', automated: true, severity: 'low',
    title: 'Controller manager profiling is off', keys: ['profiling'], rule: { is: 'equal', value: 'false', boolean: true }, defaults: { profiling: 'true' },
    rationale: 'The /debug/pprof endpoints reveal program detail; they are on by default.',
    remediation: 'Set --profiling=false on kube-controller-manager.',
  },
  {
    component: 'kube-controller-manager', id: 'controller-manager-service-account-credentials', cis: '1.3.3', automated: true, severity: 'medium',
    title: 'Each controller uses its own service-account credentials', keys: ['use-service-account-credentials'],
    rule: { is: 'equal', value: 'true', boolean: true }, defaults: { 'use-service-account-credentials': 'false' },
    rationale: 'With shared credentials every controller has the union of all controllers\' permissions.',
    remediation: 'Set --use-service-account-credentials=true on kube-controller-manager.',
  },
  {
    component: 'kube-controller-manager', id: 'controller-manager-service-account-private-key', cis: '1.3.4', automated: true, severity: 'medium',
    title: 'The controller manager has a service-account signing key', keys: ['service-account-private-key-file'], rule: { is: 'set' },
    rationale: 'A dedicated signing key allows rotation of service-account tokens.',
    remediation: 'Set --service-account-private-key-file on kube-controller-manager.',
  },
  {
    component: 'kube-controller-manager', id: 'controller-manager-root-ca-file', cis: '1.3.5', automated: true, severity: 'medium',
    title: 'The root CA is published to pods', keys: ['root-ca-file'], rule: { is: 'set' },
    rationale: 'Pods verify the API server\'s certificate with this CA; without it they are open to interception.',
    remediation: 'Set --root-ca-file on kube-controller-manager.',
  },
  {
    component: 'kube-controller-manager', id: 'controller-manager-binds-loopback', cis: '1.3.7', automated: true, severity: 'medium',
    title: 'The controller manager binds to loopback', keys: ['bind-address'], rule: { is: 'loopback' }, defaults: { 'bind-address': '0.0.0.0' },
    rationale: 'Its secure port serves health and metrics; bound to 0.0.0.0 (the upstream default) it is reachable from the network. ' +
      'kube-bench passes an absent flag; the benchmark text names the 0.0.0.0 default, so an absent flag fails here.',
    remediation: 'Set --bind-address=127.0.0.1 on kube-controller-manager.',
  },
];

export const SCHEDULER_ITEMS: SettingItem[] = [
  {
    component: 'kube-scheduler', id: 'scheduler-profiling-disabled', cis: '1.4.1', automated: true, severity: 'low',
    title: 'Scheduler profiling is off', keys: ['profiling'], rule: { is: 'equal', value: 'false', boolean: true }, defaults: { profiling: 'true' },
    rationale: 'The /debug/pprof endpoints reveal program detail; they are on by default.',
    remediation: 'Set --profiling=false on kube-scheduler.',
  },
  {
    component: 'kube-scheduler', id: 'scheduler-binds-loopback', cis: '1.4.2', automated: true, severity: 'medium',
    title: 'The scheduler binds to loopback', keys: ['bind-address'], rule: { is: 'loopback' }, defaults: { 'bind-address': '0.0.0.0' },
    rationale: 'Bound to 0.0.0.0 (the upstream default) its port is reachable from the network. ' +
      'kube-bench passes an absent flag; the benchmark text names the 0.0.0.0 default, so an absent flag fails here.',
    remediation: 'Set --bind-address=127.0.0.1 on kube-scheduler.',
  },
];
