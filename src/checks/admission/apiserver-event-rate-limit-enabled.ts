import { apiServerAdmissionCheck, flagLocation, listFlag } from './apiserver-admission.js';

export const apiServerEventRateLimitEnabled = apiServerAdmissionCheck(
  {
    id: 'apiserver-event-rate-limit-enabled',
    title: 'The EventRateLimit admission plugin limits the rate of Events',
    severity: 'medium',
    controls: ['cis:1.2.9'],
    rationale:
      'Without a limit, a misbehaving or malicious client can flood the API server and etcd with Events and starve ' +
      'other requests. EventRateLimit rejects Events above per-server, per-namespace, per-user or per-source limits. ' +
      'It is off unless enabled and needs its limits in the admission configuration file.',
    remediation:
      'Add EventRateLimit to --enable-admission-plugins and configure it in --admission-control-config-file (a ' +
      'Configuration of apiVersion eventratelimit.admission.k8s.io/v1alpha1 with at least one limit, e.g. type: ' +
      'Namespace, qps: 50, burst: 100).',
    examples: {
      pass: 'command: [kube-apiserver, --enable-admission-plugins=EventRateLimit, --admission-control-config-file=/etc/kubernetes/admission.yaml]',
      fail: 'command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]',
    },
  },
  (analysis, a) => {
    if (!analysis.enabled.includes('EventRateLimit')) {
      const flag = a.flags.has('admission-control') ? 'admission-control' : 'enable-admission-plugins';
      const current = listFlag(a, flag);
      return [{
        path: flagLocation(a, flag).path,
        message: `EventRateLimit is off${current.length ? ` (--${flag}=${current.join(',')})` : ' by default'}; enable it and give it limits in --admission-control-config-file`,
      }];
    }
    if (!a.flags.has('admission-control-config-file')) {
      return [{
        path: flagLocation(a, 'admission-control-config-file').path,
        message: 'EventRateLimit is enabled but --admission-control-config-file is not set, so it has no limits and the API server does not start; add the flag with an EventRateLimit configuration',
      }];
    }
    return [];
  },
);
