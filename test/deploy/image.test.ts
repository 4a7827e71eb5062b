// The Dockerfile's supply chain, as far as it can be checked without a Docker engine or a
// registry (neither is reachable here): every base image is pinned by a sha256 digest, both
// stages are on the same Node LTS line (one of those .ci/run tests on) and the same Debian, and
// the image carries the OCI labels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers.js';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
const ciRun = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');

test('base images: pinned by digest, one Node LTS line that CI tests, one Debian release', () => {
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? name));
  assert.equal(froms.length, 2);
  for (const image of froms) assert.match(image, /^[a-z0-9./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/, `${image} is pinned by digest`);
  const [build, runtime] = froms as [string, string];
  const buildMajor = /^node:(\d+)-bookworm-slim@/.exec(build)?.[1];
  const runtimeMajor = /^gcr\.io\/distroless\/nodejs(\d+)-debian12:nonroot@/.exec(runtime)?.[1];
  assert.ok(buildMajor && buildMajor === runtimeMajor, `${build} and ${runtime} are one Node line on Debian 12`);
  assert.ok(Number(buildMajor) % 2 === 0, 'an LTS (even) Node line');
  assert.match(ciRun, new RegExp(`NODE_VERSIONS=\\([^)]*\\b${buildMajor}\\.\\d+\\.\\d+`), `CI tests Node ${buildMajor}`);
  const engines = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  assert.match(engines, new RegExp(`\\^${buildMajor}\\b`), 'engines names the image\'s Node line');
  // The label names the runtime base and its digest exactly as the FROM does.
  assert.ok(dockerfile.includes(`org.opencontainers.image.base.digest="${runtime.slice(runtime.indexOf('@') + 1)}"`));
});

test('OCI labels: title, source, licenses, version, revision, created', () => {
  for (const label of ['title', 'description', 'source', 'licenses', 'version', 'revision', 'created', 'base.name', 'base.digest']) {
    assert.match(dockerfile, new RegExp(`org\\.opencontainers\\.image\\.${label.replace('.', '\\.')}="[^"]+"`), label);
  }
  assert.match(dockerfile, /^USER 65532:65532$/m);
});
