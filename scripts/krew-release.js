#!/usr/bin/env node
// Builds the kubectl plugin's krew release: an archive with the packed package, its production
// dependencies (from package-lock.json) and a `kubectl-kubeharden` launcher, and the krew plugin
// manifest (kubeharden.yaml) with the archive's sha256, ready for the krew-index.
//
//   node scripts/krew-release.js --out release/ [--tarball kubeharden-0.1.0.tgz] [--base-url URL]
//
// The plugin is JavaScript: it needs Node.js (20.12+, 22 or 24) on PATH, which the manifest's
// caveats say; the one archive serves every platform krew installs on except Windows.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { out: { type: 'string', default: 'release' }, tarball: { type: 'string' }, 'base-url': { type: 'string' } } });
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const version = `v${pkg.version}`;
const baseUrl = values['base-url'] ?? `https://github.com/kubeharden/kubeharden/releases/download/${version}`;
const out = path.resolve(values.out);
mkdirSync(out, { recursive: true });

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
  return r.stdout;
}

const work = mkdtempSync(path.join(tmpdir(), 'kubeharden-krew-'));
try {
  let tarball = values.tarball && path.resolve(values.tarball);
  if (!tarball) {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root).replace(/^[^[]*/, ''));
    tarball = path.join(work, packed[0].filename);
  }
  run('tar', ['xzf', tarball, '-C', work]);
  const staged = path.join(work, 'kubeharden');
  renameSync(path.join(work, 'package'), staged);
  // The production dependencies exactly as the lock file pins them.
  copyFileSync(path.join(root, 'package-lock.json'), path.join(staged, 'package-lock.json'));
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], staged);
  rmSync(path.join(staged, 'package-lock.json'));
  const launcher = path.join(staged, 'kubectl-kubeharden');
  writeFileSync(
    launcher,
    `#!/bin/sh
# krew links this file into ~/.krew/bin: run the plugin beside the real file, with the node on PATH.
self=$(readlink -f "$0") || self=$0
exec node "$(dirname "$self")/bin/kubectl-kubeharden.js" "$@"
`,
  );
  chmodSync(launcher, 0o755);
  const archiveName = `kubeharden-krew-${version}.tar.gz`;
  const archive = path.join(out, archiveName);
  run('tar', ['czf', archive, '--owner=0', '--group=0', '--numeric-owner', '-C', work, 'kubeharden'], root);
  const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
  const manifest = `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: kubeharden
spec:
  version: ${version}
  homepage: https://github.com/kubeharden/kubeharden
  shortDescription: Audit hardening against CIS, NSA/CISA and Pod Security
  description: |
    kubeharden audits how hardened a cluster (or its manifests) is against the CIS Kubernetes
    Benchmark, the NSA/CISA Kubernetes Hardening Guidance and the Pod Security Standards:
    exact findings with the field to change, RBAC escalation paths, NetworkPolicy reachability,
    and the fixes. \`kubectl kubeharden scan --cluster\` scans the current context.
  caveats: |
    kubeharden is a Node.js program: it needs node (20.12 or newer, 22 or 24) on your PATH.
  platforms:
  - selector:
      matchExpressions:
      - key: os
        operator: In
        values: [linux, darwin]
    uri: ${baseUrl}/${archiveName}
    sha256: ${sha256}
    files:
    - from: kubeharden/*
      to: .
    bin: kubectl-kubeharden
`;
  writeFileSync(path.join(out, 'kubeharden.yaml'), manifest);
  console.log(`${archive}\n${path.join(out, 'kubeharden.yaml')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
