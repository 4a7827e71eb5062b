// CIS 4.2 and 4.3: kubelet and kube-proxy settings. A kubelet setting's effective value is
// the flag, else the KubeletConfiguration field, else the default for how the kubelet runs
// (src/analysis/flags/settings.ts, observeKubelet).

import type { SettingItem } from '../templates/setting-item.js';

const kubelet = { component: 'kubelet' as const };

const STRONG_KUBELET_CIPHERS = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
] as const;

export const KUBELET_ITEMS: SettingItem[] = [
  {
    ...kubelet, id: 'kubelet-anonymous-auth-disabled', cis: '4.2.1', automated: true, severity: 'critical',
    title: 'The kubelet refuses anonymous requests', keys: ['anonymous-auth'], rule: { is: 'equal', value: 'false', boolean: true },
    rationale: 'An anonymous kubelet API lets anyone who reaches port 10250 read pods and, with AlwaysAllow, run commands in them. ' +
      'A kubelet with a config file defaults to false; one without --config defaults to true (kube-bench fails both when unset).',
    remediation: 'Set authentication.anonymous.enabled: false in the kubelet config file (or --anonymous-auth=false).',
  },
  {
    ...kubelet, id: 'kubelet-authorization-not-always-allow', cis: '4.2.2', automated: true, severity: 'critical',
    title: 'The kubelet authorizes requests (not AlwaysAllow)', keys: ['authorization-mode'], rule: { is: 'not-equal', value: 'AlwaysAllow' },
    rationale: 'AlwaysAllow lets every authenticated (or anonymous) caller exec into pods. Config-file default Webhook; flag-only default AlwaysAllow.',
    remediation: 'Set authorization.mode: Webhook in the kubelet config file (and authentication.webhook.enabled: true).',
  },
  {
    ...kubelet, id: 'kubelet-client-ca-file', cis: '4.2.3', automated: true, severity: 'high',
    title: 'The kubelet verifies client certificates', keys: ['client-ca-file'], rule: { is: 'set' },
    rationale: 'Without a client CA the kubelet cannot authenticate the API server by certificate.',
    remediation: 'Set authentication.x509.clientCAFile in the kubelet config file (or --client-ca-file).',
  },
  {
    ...kubelet, id: 'kubelet-read-only-port-disabled', cis: '4.2.4', automated: false, severity: 'high',
    title: 'The kubelet read-only port is off', keys: ['read-only-port'], rule: { is: 'equal', value: '0' },
    rationale: 'Port 10255 serves pod and node data without authentication. It is 0 by default with a config file but 10255 for a flag-only kubelet ' +
      '(kube-bench passes that case; this check fails it).',
    remediation: 'Set readOnlyPort: 0 in the kubelet config file (or --read-only-port=0).',
  },
  {
    ...kubelet, id: 'kubelet-streaming-idle-timeout', cis: '4.2.5', automated: false, severity: 'low',
    title: 'Streaming connections time out when idle', keys: ['streaming-connection-idle-timeout'], rule: { is: 'non-zero-duration' },
    rationale: 'A zero timeout keeps idle exec and port-forward streams open forever. A zero duration in the config file takes the 4h default; a zero flag really disables it.',
    remediation: 'Set streamingConnectionIdleTimeout: 5m in the kubelet config file (or --streaming-connection-idle-timeout=5m).',
  },
  {
    ...kubelet, id: 'kubelet-makes-iptables-util-chains', cis: '4.2.6', automated: true, severity: 'low',
    title: 'The kubelet manages its iptables chains', keys: ['make-iptables-util-chains'], rule: { is: 'equal', value: 'true', boolean: true },
    rationale: 'Letting the kubelet keep its iptables chains in line with pod networking avoids conflicting rules.',
    remediation: 'Remove makeIPTablesUtilChains: false from the kubelet config (the default is true).',
  },
  {
    ...kubelet, id: 'kubelet-hostname-not-overridden', cis: '4.2.7', automated: false, severity: 'low',
    title: 'The kubelet hostname is not overridden', keys: ['hostname-override'], rule: { is: 'unset' },
    rationale: 'Overriding the hostname can break TLS between the kubelet and the API server. Some cloud providers need it: document that exception.',
    remediation: 'Remove --hostname-override from the kubelet command line (systemd drop-in or kubeadm-flags.env).',
  },
  {
    ...kubelet, id: 'kubelet-event-qps', cis: '4.2.8', automated: false, severity: 'info',
    title: 'Kubelet event recording keeps the events you need', keys: ['event-qps'], rule: { is: 'at-least', min: 0 },
    rationale: 'Too low a rate drops events that matter for investigations; 0 means no limit. Whether the level is adequate is a site decision.',
    remediation: 'Set eventRecordQPS in the kubelet config file to a level that captures the events you need (0 for no limit).',
  },
  {
    ...kubelet, id: 'kubelet-rotates-client-certificates', cis: '4.2.10', automated: true, severity: 'medium',
    title: 'Kubelet client certificate rotation is not disabled', keys: ['rotate-certificates'], rule: { is: 'not-set-false' },
    rationale: 'Rotation replaces the kubelet\'s client certificate before it expires. The benchmark asks that it is not set to false, so an unset ' +
      'value passes — note that the upstream default is then false (the evidence says so); kubeadm sets true.',
    remediation: 'Set rotateCertificates: true in the kubelet config file.',
  },
  {
    ...kubelet, id: 'kubelet-strong-tls-ciphers', cis: '4.2.12', automated: false, severity: 'low',
    title: 'The kubelet only offers strong TLS cipher suites', keys: ['tls-cipher-suites'], rule: { is: 'subset', allowed: STRONG_KUBELET_CIPHERS },
    rationale: 'Go\'s default list includes suites the benchmark does not accept.',
    remediation: `Set tlsCipherSuites: [${STRONG_KUBELET_CIPHERS.join(', ')}] in the kubelet config file.`,
  },
  {
    ...kubelet, id: 'kubelet-pod-pids-limit', cis: '4.2.13', automated: false, severity: 'medium',
    title: 'Pods have a process-id limit', keys: ['pod-max-pids'], rule: { is: 'positive' },
    rationale: 'Without a limit (default -1) one pod can exhaust the node\'s process ids (a fork bomb).',
    remediation: 'Set podPidsLimit in the kubelet config file to a positive value fit for your workloads, for example 4096.',
  },
  {
    ...kubelet, id: 'kubelet-seccomp-default', cis: '4.2.14', automated: false, severity: 'medium',
    title: 'The kubelet applies RuntimeDefault seccomp by default', keys: ['seccomp-default'], rule: { is: 'equal', value: 'true', boolean: true },
    rationale: 'Pods without a seccomp profile run unconfined unless seccompDefault is on. kube-bench only tests that the setting exists; this check tests its value.',
    remediation: 'Set seccompDefault: true in the kubelet config file (or --seccomp-default).',
  },
  {
    component: 'kube-proxy', id: 'kube-proxy-metrics-loopback', cis: '4.3.1', automated: true, severity: 'medium',
    title: 'kube-proxy metrics are bound to loopback', keys: ['metrics-bind-address'], rule: { is: 'loopback' },
    rationale: 'Metrics on 0.0.0.0 expose the node\'s service topology to the network. The default is 127.0.0.1:10249.',
    remediation: 'Set metricsBindAddress: 127.0.0.1:10249 in the kube-proxy config (kubeadm: ConfigMap kube-system/kube-proxy, key config.conf).',
  },
];
