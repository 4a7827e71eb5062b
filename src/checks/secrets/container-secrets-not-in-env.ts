import { EVERY_CONTAINER } from '../covered-containers.js';
import { containersOf } from '../../inventory/pod-specs.js';
import { isMapping } from '../../inventory/model.js';
import type { PodCheck, Violation } from '../types.js';

export const containerSecretsNotInEnv: PodCheck = {
  id: 'container-secrets-not-in-env',
  title: 'Containers read Secrets from files, not environment variables',
  severity: 'medium',
  category: 'secrets',
  controls: ['cis:5.4.1'],
  rationale:
    'Environment variables leak: applications print them in crash reports and debug pages, child processes ' +
    'inherit them, and they show in `kubectl describe`-style tooling and container runtime inspection. A ' +
    'Secret mounted as a volume stays in a tmpfs file that only the container reads, and is updated in ' +
    'place when the Secret changes.',
  remediation:
    'Mount the Secret as a volume (volumes[].secret or a projected volume) and have the application read ' +
    'the file, instead of env[].valueFrom.secretKeyRef or envFrom[].secretRef.',
  appliesTo: 'containers of pod specs (Pods and every workload template)',
  containers: EVERY_CONTAINER,
  scope: 'pod',
  examples: {
    pass:
      'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  volumeMounts:\n  - {name: db, mountPath: /etc/db, readOnly: true}\nvolumes:\n- name: db\n  secret: {secretName: db}',
    fail: 'containers:\n- name: app\n  image: registry.example/app:1.2.3\n  env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}',
  },
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const c of containersOf(pod)) {
      const { env, envFrom } = c.container;
      if (Array.isArray(env)) {
        env.forEach((entry, i) => {
          const ref = isMapping(entry) && isMapping(entry.valueFrom) ? entry.valueFrom.secretKeyRef : undefined;
          if (!isMapping(ref)) return;
          const varName = isMapping(entry) && typeof entry.name === 'string' ? entry.name : `env[${i}]`;
          violations.push({
            path: [...c.path, 'env', i, 'valueFrom', 'secretKeyRef'],
            message: `container "${c.name}" puts key ${quoted(ref.key)} of Secret ${quoted(ref.name)} into environment variable ${varName}; mount the Secret as a file instead`,
          });
        });
      }
      if (Array.isArray(envFrom)) {
        envFrom.forEach((entry, i) => {
          const ref = isMapping(entry) ? entry.secretRef : undefined;
          if (!isMapping(ref)) return;
          const prefix = isMapping(entry) && typeof entry.prefix === 'string' && entry.prefix ? ` (prefixed ${entry.prefix})` : '';
          violations.push({
            path: [...c.path, 'envFrom', i, 'secretRef'],
            message: `container "${c.name}" loads every key of Secret ${quoted(ref.name)} into environment variables${prefix}; mount the Secret as a file instead`,
          });
        });
      }
    }
    return violations;
  },
};

/** Secret and key names are identifiers, not values: safe to show. */
function quoted(name: unknown): string {
  return typeof name === 'string' && name !== '' ? `"${name}"` : '(unnamed)';
}
