import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';
import { matchCredential } from './credentials.js';

export const containerNoCredentialsInEnv: PodCheck = {
  id: 'container-no-credentials-in-env',
  title: 'Containers carry no credentials in plain environment values',
  severity: 'high',
  category: 'secrets',
  controls: ['nsa:N14'],
  rationale:
    'A password, token or key written as an env value sits in plain text in the manifest, in Git, in the ' +
    'workload object readable by anyone who can read Deployments, and in every copy of them. The NSA/CISA ' +
    'guidance asks that credentials live in Secrets. Values are matched by known credential formats (private ' +
    'keys, JWTs, cloud and chat tokens, URLs with passwords) and by names that say credential (PASSWORD, ' +
    'TOKEN, SECRET, KEY…) holding a literal; names that only point at a credential (PASSWORD_FILE, ' +
    'TOKEN_PATH), empty values, flags and $(VAR) references are not reported. Findings name the variable, ' +
    'never its value.',
  remediation:
    'Move the value into a Secret and mount it as a file (or, at least, reference it with ' +
    'valueFrom.secretKeyRef); then rotate the credential, since it has been exposed.',
  appliesTo: 'containers of pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass: 'env:\n- {name: DB_PASSWORD_FILE, value: /etc/db/password}',
    fail: 'env:\n- {name: DB_PASSWORD, value: hunter2}',
  },
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const c of containersOf(pod)) {
      const env = c.container.env;
      if (!Array.isArray(env)) continue;
      env.forEach((entry, i) => {
        if (!isMapping(entry) || typeof entry.name !== 'string') return;
        const match = matchCredential(entry.name, entry.value);
        if (!match) return;
        violations.push({
          path: [...c.path, 'env', i, 'value'],
          message: `container "${c.name}" environment variable ${entry.name} looks like a credential (${match.reason}); move it into a Secret`,
        });
      });
    }
    return violations;
  },
};
