#!/usr/bin/env node
// Builds the real helm and kustomize binaries from their Go modules, for the tests that render
// charts and overlays. Usage: node scripts/build-tools.mjs [helm] [kustomize]
//
// Each tool goes to ${KUBEHARDEN_CACHE:-$HOME/.cache/kubeharden}/tools/<name>-<version>/<name>,
// outside the checkout, keyed by version so a version bump builds afresh and an existing build
// is reused. `go install module@version` builds with the module's own go.mod, so helm's
// k8s.io dependencies stay at the versions helm was released with (v0.37.2 for helm v4.3.2).
// Prints the path of each binary. Exits 1 when Go is missing or a build fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TOOLS = {
  helm: {
    version: 'v4.3.2',
    pkg: 'helm.sh/helm/v4/cmd/helm',
    // Without this the binary reports its version as "v4.3" with no patch level.
    ldflags: (v) => `-X helm.sh/helm/v4/internal/version.version=${v}`,
  },
  kustomize: {
    // v5.8.3 is newer but needs Go 1.27; v5.8.2 is the newest that builds with Go 1.26.
    version: 'v5.8.2',
    pkg: 'sigs.k8s.io/kustomize/kustomize/v5',
    ldflags: (v) => `-X sigs.k8s.io/kustomize/api/provenance.version=${v}`,
  },
};

export function toolsDir() {
  const base = process.env.KUBEHARDEN_CACHE || path.join(os.homedir(), '.cache', 'kubeharden');
  return path.join(base, 'tools');
}

export function toolPath(name) {
  const t = TOOLS[name];
  return path.join(toolsDir(), `${name}-${t.version}`, name);
}

function build(name) {
  const t = TOOLS[name];
  const out = toolPath(name);
  if (existsSync(out)) return out;
  const dir = path.dirname(out);
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  const r = spawnSync('go', ['install', `-ldflags=${t.ldflags(t.version)}`, `${t.pkg}@${t.version}`], {
    env: { ...process.env, GOBIN: tmp, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`building ${name} ${t.version} failed${r.error ? `: ${r.error.message}` : ''}`);
  }
  // Rename into place only when complete, so an interrupted build is never taken as done.
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  console.error(`build-tools: built ${name} ${t.version} in ${Math.round((Date.now() - started) / 1000)}s`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in TOOLS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/build-tools.mjs ${Object.keys(TOOLS).join(' ')}`);
    process.exit(1);
  }
  if (spawnSync('go', ['version']).error) {
    console.error('build-tools: Go is not installed (https://go.dev/dl/); cannot build ' + names.join(', '));
    process.exit(1);
  }
  try {
    for (const n of names) console.log(build(n));
  } catch (e) {
    console.error(`build-tools: ${e.message}`);
    process.exit(1);
  }
}
