import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNoCredentialsInEnv as check } from '../../../src/checks/secrets/container-no-credentials-in-env.js';
import { paths, runCheck } from '../../helpers.js';

const SECRET_VALUES = ['hunter2', 'AKIAIOSFODNN7EXAMPLE', 's3cr3t-pw', 'sk-test-123'];

test('reports credential-looking env values by name only, at the exact entry', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: app:1.2.3
        env:
        - {name: dbPassword, value: hunter2}
      containers:
      - name: app
        image: app:1.2.3
        env:
        - {name: LOG_LEVEL, value: info}
        - {name: UPSTREAM, value: AKIAIOSFODNN7EXAMPLE}
        - {name: DATABASE_URL, value: "postgres://app:s3cr3t-pw@db:5432/app"}
        - {name: STRIPE_API_KEY, value: sk-test-123}
`);
  assert.deepEqual(paths(v), [
    'spec.template.spec.initContainers[0].env[0].value',
    'spec.template.spec.containers[0].env[1].value',
    'spec.template.spec.containers[0].env[2].value',
    'spec.template.spec.containers[0].env[3].value',
  ]);
  assert.equal(v[0]!.message, 'container "migrate" environment variable dbPassword looks like a credential (its name contains "password" and it holds a literal value); move it into a Secret');
  assert.match(v[1]!.message, /UPSTREAM .*looks like an AWS access key id/);
  assert.match(v[2]!.message, /DATABASE_URL .*a URL with an embedded password/);
  assert.match(v[3]!.message, /STRIPE_API_KEY .*its name contains "key"/);
  for (const { message } of v) for (const secret of SECRET_VALUES) assert.ok(!message.includes(secret), `message leaks a value: ${message}`);
});

test('names that only point at a credential, empty values, flags and $(VAR) references are not credentials', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: app:1.2.3
    env:
    - {name: TOKEN_PATH, value: /var/run/secrets/tokens/api}
    - {name: PASSWORD_FILE, value: /etc/db/password}
    - {name: DB_PASSWORD, value: ""}
    - {name: API_TOKEN, value: "$(SHARED_TOKEN)"}
    - {name: DATABASE_URL, value: "postgres://app:$(DB_PASSWORD)@db:5432/app"}
    - {name: ENABLE_TOKEN, value: "true"}
    - {name: SECRET_NAME, value: db-credentials}
    - {name: KEYCLOAK_REALM, value: shop}
    - {name: MONKEY, value: banana}
    - {name: PUBLIC_KEY, value: "abc"}
    - {name: SORT_KEY, value: created_at}
    - {name: CACHE_KEY_PREFIX, value: "shop:"}
    - {name: TOKEN_EXPIRY_SECONDS, value: "3600"}
    - {name: MYSQL_ALLOW_EMPTY_PASSWORD, value: "1"}
    - {name: MYSQL_RANDOM_ROOT_PASSWORD, value: "yes"}
    - name: DB_PASSWORD_FROM_SECRET
      valueFrom: {secretKeyRef: {name: db, key: password}}
`);
  assert.deepEqual(v, []);
});
