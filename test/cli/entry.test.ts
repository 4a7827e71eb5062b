// bin/entry.js: the bin scripts load the CLI's bundle (dist/cli), in a checkout only when it was
// made from the current dist/src, so a bare `tsc` after an edit is never hidden behind an older bundle.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, withTempDir } from '../helpers.js';

const { cliModule } = (await import(pathToFileURL(path.join(REPO_ROOT, 'bin', 'entry.js')).href)) as { cliModule: (root?: URL) => string };

function place(root: string, file: string, seconds: number): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, 'export {};\n');
  utimesSync(full, seconds, seconds);
}

test('in a checkout: the bundle when it is as new as dist/src or newer; dist/src when it is older or missing', async () => {
  await withTempDir('kubeharden-entry-', async (dir) => {
    const root = pathToFileURL(dir + path.sep);
    place(dir, 'src/cli/main.ts', 500);
    place(dir, 'dist/src/cli/main.js', 1_000);
    assert.ok(cliModule(root).endsWith('/dist/src/cli/main.js'), 'no bundle');
    place(dir, 'dist/cli/main.js', 2_000);
    assert.ok(cliModule(root).endsWith('/dist/cli/main.js'), 'bundle made after the compile');
    place(dir, 'dist/src/cli/main.js', 3_000);
    assert.ok(cliModule(root).endsWith('/dist/src/cli/main.js'), 'compiled again after the bundle');
    place(dir, 'dist/src/cli/main.js', 2_000);
    assert.ok(cliModule(root).endsWith('/dist/cli/main.js'), 'one time stamp for both');
  });
});

test('in an installed package (no src/): the bundle, whatever the time stamps npm gave the files as it extracted them', async () => {
  await withTempDir('kubeharden-entry-', async (dir) => {
    const root = pathToFileURL(dir + path.sep);
    place(dir, 'dist/cli/main.js', 1_000);
    place(dir, 'dist/src/cli/main.js', 2_000);
    assert.ok(cliModule(root).endsWith('/dist/cli/main.js'));
  });
});

test('this checkout, built by npm run build, runs from the bundle, its worker threads beside it', () => {
  assert.ok(cliModule().endsWith('/dist/cli/main.js'), cliModule());
  for (const worker of ['parse-worker.js', 'judge-worker.js', 'connection-worker.js']) {
    assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'cli', worker)), worker);
  }
});
