import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerSecretsNotInEnv as check } from '../../../src/checks/secrets/container-secrets-not-in-env.js';
import { paths, runCheck } from '../../helpers.js';

test('passes for Secrets mounted as volumes and for ConfigMap references', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1.2.3
        env:
        - {name: LOG_LEVEL, value: info}
        - name: REGION
          valueFrom: {configMapKeyRef: {name: settings, key: region}}
        envFrom:
        - configMapRef: {name: settings}
        volumeMounts:
        - {name: db, mountPath: /etc/db, readOnly: true}
      volumes:
      - name: db
        secret: {secretName: db}
`);
  assert.deepEqual(v, []);
});

test('fails at the exact env entry, naming variable and Secret but no value', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  initContainers:
  - name: migrate
    image: app:1.2.3
    envFrom:
    - configMapRef: {name: settings}
    - secretRef: {name: db-admin}
      prefix: ADMIN_
  containers:
  - name: app
    image: app:1.2.3
    env:
    - {name: LOG_LEVEL, value: info}
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db, key: password}
`);
  assert.deepEqual(paths(v), ['spec.initContainers[0].envFrom[1].secretRef', 'spec.containers[0].env[1].valueFrom.secretKeyRef']);
  assert.equal(v[0]!.message, 'container "migrate" loads every key of Secret "db-admin" into environment variables (prefixed ADMIN_); mount the Secret as a file instead');
  assert.equal(v[1]!.message, 'container "app" puts key "password" of Secret "db" into environment variable DB_PASSWORD; mount the Secret as a file instead');
});
