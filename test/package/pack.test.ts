// The package as users get it: `npm pack` from a clean copy of the sources (its prepack build),
// installed from the tarball into an empty folder, then used three ways — as a library
// (`import { scan, scanCluster, checks } from 'kubeharden'`, JavaScript and type-checked
// TypeScript), as a CLI (`npx kubeharden scan`), and as a kubectl plugin (`kubectl-kubeharden`,
// through the real kubectl when one is installed).
//
// The install reads the dependencies from npm's local cache first (`--prefer-offline`; `npm ci`
// has just filled it), and only asks the npm registry for what the cache lacks.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers.js';
import { scanManifests } from '../../src/engine/scan.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { startFakeApiServer } from '../sources/cluster/fake-apiserver.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const DEMO = path.join(REPO_ROOT, 'examples', 'demo-cluster');
const work = mkdtempSync(path.join(tmpdir(), 'kubeharden-pack-'));
let tarball = '';
let files: string[] = [];
const app = path.join(work, 'app');

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...options, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...(options.env ?? {}) } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return String(r.stdout);
}

before(() => {
  // A clean copy of what a clone has (no dist/), with the repository's node_modules for the build.
  const src = path.join(work, 'src');
  mkdirSync(src);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'bin', 'src', 'scripts']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(src, entry), { recursive: true });
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');
  const out = run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: src });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info!.filename);
  files = info!.files.map((f) => f.path).sort();
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run(NPM, ['install', '--prefer-offline', '--no-save', '--ignore-scripts', tarball], { cwd: app });
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball: a built CLI and library with types, no source maps, nothing it does not need', () => {
  for (const needed of ['package.json', 'README.md', 'LICENSE', 'bin/kubeharden.js', 'bin/kubectl-kubeharden.js', 'bin/entry.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/cli/main.js', 'dist/cli/parse-worker.js', 'dist/cli/judge-worker.js', 'dist/cli/connection-worker.js', 'dist/build-info.json']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }
  const unneeded = files.filter((f) => !/^(package\.json|README\.md|LICENSE|bin\/[^/]+\.js|dist\/build-info\.json|dist\/src\/.+\.(js|d\.ts)|dist\/cli\/[^/]+\.js)$/.test(f));
  assert.deepEqual(unneeded, []);
  assert.equal(files.filter((f) => f.endsWith('.map')).length, 0);
  // No compiled file points at a source map it does not ship.
  const installed = path.join(app, 'node_modules', 'kubeharden');
  const dangling = files.filter((f) => f.endsWith('.js') && /sourceMappingURL=/.test(readFileSync(path.join(installed, f), 'utf8')));
  assert.deepEqual(dangling, []);
  const sizeKb = Math.round(Number(spawnSync('stat', ['-c', '%s', tarball], { encoding: 'utf8' }).stdout) / 1024);
  console.log(`tarball: ${files.length} files, ${sizeKb} KiB`);
});

test('the library reads a live cluster from the installed package: the official client starts in its own thread there too', async () => {
  const server = await startFakeApiServer([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
  try {
    writeFileSync(
      path.join(app, 'live.mjs'),
      `import { scanCluster } from 'kubeharden';
const result = await scanCluster({ kubeconfig: process.argv[2] });
console.log(JSON.stringify({ type: result.target.type, context: result.target.context, namespaces: result.target.resources.namespaces, errors: result.errors }));
`,
    );
    // Not spawnSync: the stand-in server answers from this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, ['live.mjs', server.kubeconfig()], { cwd: app, timeout: 120_000 });
    assert.deepEqual(JSON.parse(stdout), { type: 'cluster', context: 'fake', namespaces: 1, errors: [] });
  } finally {
    await server.close();
  }
});

test('the library: import { scan, scanCluster, checks } from "kubeharden" gives the same result as the CLI', async () => {
  writeFileSync(
    path.join(app, 'use.mjs'),
    `import { scan, scanCluster, checks, renderSarif, version } from 'kubeharden';
const result = await scan([process.argv[2]]);
console.log(JSON.stringify({ findings: result.findings.length, checks: checks.length, scanCluster: typeof scanCluster, sarif: typeof renderSarif, version, schemaVersion: result.schemaVersion }));
`,
  );
  const out = JSON.parse(run(process.execPath, ['use.mjs', DEMO], { cwd: app })) as Record<string, unknown>;
  const expected = await scanManifests([DEMO]);
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(out, { findings: expected.findings.length, checks: ALL_CHECKS.length, scanCluster: 'function', sarif: 'function', version: pkg.version, schemaVersion: 1 });
  assert.ok(expected.findings.length > 0);
});

test('the library types: a TypeScript program using the Result types type-checks against the installed package', () => {
  writeFileSync(
    path.join(app, 'use.ts'),
    `import { scan, checks, type Result, type Finding, type Severity, type CheckResult } from 'kubeharden';
const result: Result = await scan(['k8s/'], { failOn: 'high' });
const worst: Severity | undefined = result.findings.map((f: Finding) => f.severity)[0];
const failed: CheckResult[] = result.checks.filter((c) => c.status === 'fail');
const ids: string[] = checks.map((c) => c.id);
console.log(worst, failed.length, ids.length);
// @ts-expect-error: a Result has no such field
console.log(result.nonsense);
`,
  );
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules', '@types'), 'use.ts'], { cwd: app });
});

test("the README's library example type-checks against the installed package", () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## As a library'));
  const example = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(example?.includes("from 'kubeharden'"), 'the README has a library example');
  writeFileSync(path.join(app, 'readme-example.mjs'), example!);
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '--noEmit', '--allowJs', '--checkJs', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules', '@types'), 'readme-example.mjs'], { cwd: app });
});

test('npx kubeharden scan, and kubectl-kubeharden, from the installed package', () => {
  const json = JSON.parse(run(NPM, ['exec', '--offline', '--', 'kubeharden', 'scan', DEMO, '--format', 'json', '--fail-on', 'none'], { cwd: app })) as { findings: unknown[] };
  assert.ok(json.findings.length > 0);
  const version = run(NPM, ['exec', '--offline', '--', 'kubectl-kubeharden', 'version'], { cwd: app });
  assert.match(version, /^kubeharden \d+\.\d+\.\d+ \(commit [^)]+\)\nNode\.js v\d+/);
  const help = run(NPM, ['exec', '--offline', '--', 'kubectl-kubeharden', '--help'], { cwd: app });
  assert.match(help, /^Usage: kubectl kubeharden /);
});

test('the installed CLI runs from its bundle, its parse worker included, with the same report as the checkout', async () => {
  const installed = path.join(app, 'node_modules', 'kubeharden');
  // An installed package has no src/: its bundle is what it was built with.
  const { cliModule } = (await import(path.join(installed, 'bin', 'entry.js'))) as { cliModule: () => string };
  assert.ok(cliModule().endsWith('/dist/cli/main.js'), cliModule());
  // Over 4 MiB of input, so the files are parsed in the bundle's worker thread as well.
  const corpus = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
  const fromPackage = path.join(work, 'packaged.json');
  const fromCheckout = path.join(work, 'checkout.json');
  run(process.execPath, [path.join(installed, 'bin', 'kubeharden.js'), 'scan', corpus, '--format', 'json', '-o', fromPackage, '--fail-on', 'none'], { cwd: app });
  // The checkout's CLI unbundled: its modules one by one, as the tests import them.
  const unbundled = path.join(work, 'unbundled.mjs');
  writeFileSync(unbundled, `import { main } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js')).href)};\nprocess.exitCode = await main(process.argv);\n`);
  run(process.execPath, [unbundled, 'scan', corpus, '--format', 'json', '-o', fromCheckout, '--fail-on', 'none'], { cwd: app });
  const packaged = JSON.parse(readFileSync(fromPackage, 'utf8')) as { findings: unknown[] };
  assert.ok(packaged.findings.length > 10_000, `${packaged.findings.length} findings`);
  assert.deepEqual(packaged, JSON.parse(readFileSync(fromCheckout, 'utf8')));
});

test('kubectl kubeharden: the real kubectl finds the plugin on PATH', (t) => {
  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  if (!kubectl && process.env.KUBEHARDEN_REQUIRE_KUBECTL === '1') assert.fail('KUBEHARDEN_REQUIRE_KUBECTL=1 but no kubectl is installed (apt-get install kubectl)');
  if (!kubectl) {
    t.skip('no kubectl installed: the plugin is checked through kubectl where it is (Debian package kubectl)');
    return;
  }
  const bin = path.join(app, 'node_modules', '.bin');
  assert.ok(readdirSync(bin).includes('kubectl-kubeharden'));
  const env = { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const plugins = run(kubectl, ['plugin', 'list', '--name-only'], { env });
  assert.match(plugins, /^kubectl-kubeharden$/m);
  const out = run(kubectl, ['kubeharden', 'scan', DEMO, '--format', 'json', '--fail-on', 'none'], { env });
  assert.ok((JSON.parse(out) as { findings: unknown[] }).findings.length > 0);
});

test('krew: the release archive and plugin manifest install as krew installs them, and kubectl runs the plugin', () => {
  const out = path.join(work, 'krew');
  run(process.execPath, [path.join(REPO_ROOT, 'scripts', 'krew-release.js'), '--out', out, '--tarball', tarball, '--base-url', 'https://example.invalid/dl']);
  const manifest = parse(readFileSync(path.join(out, 'kubeharden.yaml'), 'utf8')) as {
    apiVersion: string; kind: string; metadata: { name: string };
    spec: { version: string; shortDescription: string; platforms: { uri: string; sha256: string; bin: string; files: { from: string; to: string }[]; selector: unknown }[] };
  };
  assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'kubeharden');
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(manifest.spec.version, `v${pkg.version}`);
  assert.ok(manifest.spec.shortDescription.length <= 60, 'krew-index keeps short descriptions short');
  const [platform] = manifest.spec.platforms;
  const archive = path.join(out, path.basename(platform!.uri));
  assert.equal(platform!.uri, `https://example.invalid/dl/kubeharden-krew-v${pkg.version}.tar.gz`);
  assert.equal(platform!.sha256, createHash('sha256').update(readFileSync(archive)).digest('hex'));
  // What krew does: unpack, copy `files`, link `bin` into its bin folder.
  const unpacked = path.join(work, 'krew-unpacked');
  const installed = path.join(work, 'krew-store', 'kubeharden', manifest.spec.version);
  const krewBin = path.join(work, 'krew-bin');
  mkdirSync(unpacked);
  mkdirSync(installed, { recursive: true });
  mkdirSync(krewBin);
  run('tar', ['xzf', archive, '-C', unpacked]);
  assert.deepEqual(platform!.files, [{ from: 'kubeharden/*', to: '.' }]);
  for (const entry of readdirSync(path.join(unpacked, 'kubeharden'))) cpSync(path.join(unpacked, 'kubeharden', entry), path.join(installed, entry), { recursive: true, verbatimSymlinks: true });
  symlinkSync(path.join(installed, platform!.bin), path.join(krewBin, 'kubectl-kubeharden'));
  assert.ok(!existsSync(path.join(installed, 'node_modules', 'typescript')), 'no devDependency in the archive');
  const env = { PATH: `${krewBin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin:/bin` };
  const version = run(path.join(krewBin, 'kubectl-kubeharden'), ['version'], { env, cwd: work });
  assert.match(version, new RegExp(`^kubeharden ${pkg.version.replace(/\./g, '\\.')} `));
  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  if (kubectl) {
    const scan = run(kubectl, ['kubeharden', 'scan', DEMO, '--format', 'json', '--fail-on', 'none'], { env, cwd: work });
    assert.ok((JSON.parse(scan) as { findings: unknown[] }).findings.length > 0);
  }
});
