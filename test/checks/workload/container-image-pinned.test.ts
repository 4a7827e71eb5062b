import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerImagePinned as check } from '../../../src/checks/workload/container-image-pinned.js';
import { parseImageReference } from '../../../src/checks/workload/image-reference.js';
import { paths, runCheck } from '../../helpers.js';
import { checkTester } from '../../check-tester.js';

const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

test('image references are parsed like the distribution reference grammar', () => {
  assert.deepEqual(parseImageReference('nginx'), { name: 'nginx', tag: undefined, digest: undefined });
  assert.deepEqual(parseImageReference('localhost:5000/app'), { name: 'localhost:5000/app', tag: undefined, digest: undefined });
  assert.deepEqual(parseImageReference('localhost:5000/app:1.0'), { name: 'localhost:5000/app', tag: '1.0', digest: undefined });
  assert.deepEqual(parseImageReference(`registry.example:443/team/app:1.2.3@${DIGEST}`), { name: 'registry.example:443/team/app', tag: '1.2.3', digest: DIGEST });
  assert.deepEqual(parseImageReference(`app@${DIGEST}`), { name: 'app', tag: undefined, digest: DIGEST });
  assert.ok('invalid' in parseImageReference('app@sha256:xyz'));
  assert.ok('invalid' in parseImageReference('app:'));
  assert.ok('invalid' in parseImageReference('registry.example/'));
});

test('passes for version tags and digests, including tag@digest and a registry port', () => {
  const v = runCheck(check, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - {name: init, image: "localhost:5000/tools:2024.06"}
      containers:
      - {name: app, image: "registry.example/app@${DIGEST}"}
      - {name: sidecar, image: "envoyproxy/envoy:latest@${DIGEST}"}
`);
  assert.deepEqual(v, []);
});

test('fails for no tag (even behind a registry port), :latest, and a missing image', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  initContainers:
  - {name: init, image: "localhost:5000/app"}
  containers:
  - {name: app, image: "nginx:latest"}
  - {name: plain, image: busybox}
  - {name: upper, image: "busybox:LATEST"}
  ephemeralContainers:
  - {name: debug}
`);
  assert.deepEqual(paths(v), ['spec.initContainers[0].image', 'spec.containers[0].image', 'spec.containers[1].image', 'spec.ephemeralContainers[0].image']);
  assert.match(v[0]!.message, /"localhost:5000\/app" has no tag, so it runs whatever :latest points to; pin it by digest \(localhost:5000\/app@sha256:…\)/);
  assert.match(v[1]!.message, /uses the moving :latest tag/);
  assert.equal(v[3]!.message, 'container "debug" has no image');
});

test('an invalid reference is reported as such', () => {
  const v = runCheck(check, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: "app:bad tag"}
`);
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /is not a valid image reference/);
});

// The model for new check tests: cases run through the real engine, findings pinned to
// path, line, column and message (see test/check-tester.ts).
checkTester(check, {
  valid: [
    `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - {name: app, image: "registry.example/app:1.2.3@${DIGEST}"}
`,
  ],
  invalid: [
    {
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: localhost:5000/app
      - name: sidecar
        image: envoyproxy/envoy:latest
`,
      findings: [
        { path: 'spec.template.spec.containers[0].image', line: 10, column: 9, message: /image "localhost:5000\/app" has no tag/ },
        { path: 'spec.template.spec.containers[1].image', line: 12, column: 9, message: /uses the moving :latest tag/ },
      ],
    },
  ],
});
