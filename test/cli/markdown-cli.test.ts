// `--format markdown` and `-o FILE.md` through the real CLI, for a manifest scan and a node audit:
// the same exit code as the JSON report of the same scan, and a Markdown report on stdout or in the file.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli.js';
import type { Result } from '../../src/result/result.js';
import { buildRoot } from '../sources/node/roots.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

test('scan examples/demo-cluster --format markdown: exits as with json and prints the report', async () => {
  const json = await runCli(['scan', 'examples/demo-cluster', '--format', 'json']);
  const md = await runCli(['scan', 'examples/demo-cluster', '--format', 'markdown']);
  const result = JSON.parse(json.stdout) as Result;
  assert.equal(json.code, 1, 'the demo cluster has high findings');
  assert.equal(md.code, json.code);
  assert.equal(md.stderr, '');
  assert.match(md.stdout, /^## kubeharden: manifests in `examples\/demo-cluster`\n\n❌ \*\*Fails:\*\*/);
  assert.ok(md.stdout.includes(`\n| ${SEVERITIES.map((s) => result.summary.findings[s]).join(' | ')} | ${result.summary.excepted} |\n`));

  const none = await runCli(['scan', 'examples/demo-cluster', '--format', 'markdown', '--fail-on', 'none']);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /\n⚠️ \*\*\d+ findings\*\*; none fails the run \(`--fail-on none`\)\.\n/);
});

test('-o report.md writes the Markdown report to the file and nothing to stdout', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-md-cli-'));
  try {
    const out = path.join(dir, 'report.md');
    const run = await runCli(['scan', 'examples/demo-cluster', '-o', out, '--fail-on', 'critical']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /^## kubeharden: manifests in `examples\/demo-cluster`\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const root = buildRoot('control-plane', 'kubeadm');
after(() => rmSync(root, { recursive: true, force: true }));

test('scan --node --format markdown: the node audit in Markdown, exiting as with json', async () => {
  const json = await runCli(['scan', '--node', '--root', root, '--node-name', 'cp-1', '--format', 'json']);
  const md = await runCli(['scan', '--node', '--root', root, '--node-name', 'cp-1', '--format', 'markdown']);
  assert.equal(md.code, json.code);
  assert.ok(md.stdout.startsWith(`## kubeharden: node \`cp-1\` (host filesystem at \`${root}\`)\n`), md.stdout.slice(0, 200));
  const result = JSON.parse(json.stdout) as Result;
  const manual = result.checks.filter((c) => c.status === 'manual');
  assert.ok(manual.length > 0);
  for (const c of manual) assert.ok(md.stdout.includes(`- **manual** \`${c.id}\``), c.id);
});
