import { jsonPointer } from '../../inventory/model.js';
import { apiServerAdmissionCheck, flagLocation, listFlag } from './apiserver-admission.js';

export const apiServerAlwaysAdmitDisabled = apiServerAdmissionCheck(
  {
    id: 'apiserver-always-admit-disabled',
    title: 'The AlwaysAdmit admission plugin is off',
    severity: 'high',
    controls: ['cis:1.2.10'],
    rationale:
      'AlwaysAdmit admits every request without looking at it. It is deprecated and exists only for testing; enabling ' +
      'it signals that admission control is not taken seriously.',
    remediation: 'Remove AlwaysAdmit from --enable-admission-plugins (or --admission-control).',
    examples: {
      pass: 'command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]',
      fail: 'command: [kube-apiserver, --enable-admission-plugins=AlwaysAdmit,NodeRestriction]',
    },
  },
  (analysis, a) => {
    if (!analysis.enabled.includes('AlwaysAdmit')) return [];
    const flag = a.flags.has('admission-control') ? 'admission-control' : 'enable-admission-plugins';
    const where = flagLocation(a, flag);
    const rest = listFlag(a, flag).filter((p) => p !== 'AlwaysAdmit');
    const written = where.index !== undefined && (a.container.container[where.list] as string[])[where.index] !== `--${flag}`;
    return [{
      path: where.path,
      message: `--${flag} enables AlwaysAdmit, which admits every request unchecked; remove it from the list`,
      ...(written
        ? { fix: [rest.length ? { op: 'replace' as const, path: jsonPointer(where.path), value: `--${flag}=${rest.join(',')}` } : { op: 'remove' as const, path: jsonPointer(where.path) }] }
        : {}),
    }];
  },
);
