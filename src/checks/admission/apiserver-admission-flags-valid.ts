import { apiServerAdmissionCheck, flagLocation } from './apiserver-admission.js';

export const apiServerAdmissionFlagsValid = apiServerAdmissionCheck(
  {
    id: 'apiserver-admission-flags-valid',
    title: 'The API server admission flags name real plugins and do not contradict each other',
    severity: 'high',
    // No benchmark item covers flags that stop the API server; this is kubeharden's own.
    controls: [],
    rationale:
      'kube-apiserver refuses to start when an admission flag names a plugin it does not have (a removed one such as ' +
      'PodSecurityPolicy, or a typo), when a plugin is both enabled and disabled, or when the deprecated ' +
      '--admission-control is combined with --enable-admission-plugins/--disable-admission-plugins. A control plane ' +
      'upgrade with such flags leaves the cluster without an API server.',
    remediation:
      'Remove unknown and removed plugin names, list each plugin in only one of --enable-admission-plugins and ' +
      '--disable-admission-plugins, and replace --admission-control with --enable-admission-plugins.',
    examples: {
      pass: 'command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]',
      // Quoted: in a YAML flow sequence the comma would split the flag in two.
      fail: 'command: [kube-apiserver, "--enable-admission-plugins=NodeRestriction,PodSecurityPolicy"]',
    },
  },
  (analysis, a) =>
    analysis.problems.map((message) => {
      const flag = /^--([a-z-]+)/.exec(message)?.[1] ?? (/both enabled and disabled/.test(message) ? 'disable-admission-plugins' : 'enable-admission-plugins');
      return { path: flagLocation(a, flag).path, message };
    }),
);
