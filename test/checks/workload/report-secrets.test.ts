// End to end through the scanner: the workload checks find the leaks in a realistic manifest,
// point at their lines, and no credential value reaches the report.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { scanManifests } from '../../../src/engine/scan.js';
import { workloadChecks } from '../../../src/checks/workload/index.js';
import { REPO_ROOT } from '../../helpers.js';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workload', 'leaky-app.yaml');
const FAKE_CREDENTIALS = ['Tr0ub4dor&3-fake', 'xoxb-000000000000-fakefakefake', 'correct-horse-fake', 'AKIAFAKEFAKEFAKEFAKE'];

test('credential findings carry lines and names, never values', async () => {
  const result = await scanManifests([FIXTURE], { checks: workloadChecks });
  const leaks = result.findings
    .filter((f) => ['configmap-no-credentials', 'container-no-credentials-in-env', 'container-secrets-not-in-env'].includes(f.check))
    .map((f) => `${f.check} ${f.location.line} ${f.location.path}`);
  assert.deepEqual(leaks.sort(), [
    'configmap-no-credentials 10 data.ADMIN_PASSWORD',
    'configmap-no-credentials 11 data.SLACK_HOOK_TOKEN',
    'container-no-credentials-in-env 30 spec.template.spec.initContainers[0].env[0].value',
    'container-no-credentials-in-env 36 spec.template.spec.containers[0].env[0].value',
    'container-secrets-not-in-env 39 spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef',
  ]);
  const report = JSON.stringify(result);
  for (const value of FAKE_CREDENTIALS) assert.ok(!report.includes(value), `the report contains the value ${value}`);
});
