// `npm pack` / `npm publish` build: a clean dist/src compiled from src only (and the CLI bundled
// from it into dist/cli, see bundle.js), with type
// declarations for the library and no source maps (the package ships no .ts to map to), and
// dist/build-info.json recording the commit for `kubeharden version`.
//
// Also the `prepare` script with --if-missing: npm builds a package installed from git (as
// pre-commit installs its hooks: `npm install -g git+file://…`) by running `prepare`, not
// `prepack`; in a checkout that is already built it does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (process.argv.includes('--if-missing') && existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) process.exit(0);
// npm prepares a git dependency in a clone whose devDependencies it may not have installed
// (npm 11 with --install-links, as pre-commit runs it): install them there first.
if (!existsSync(path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')) || !existsSync(path.join(root, 'node_modules', 'esbuild'))) {
  const npm = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--include=dev', '--global=false', '--install-links=false'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
}
rmSync(path.join(root, 'dist', 'src'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// The CLI's bundle, made from the dist/src just compiled (scripts/bundle.js).
const bundle = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: 'inherit' });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
const git = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' });
const commit = git.status === 0 ? git.stdout.trim() : 'unknown';
mkdirSync(path.join(root, 'dist'), { recursive: true });
writeFileSync(path.join(root, 'dist', 'build-info.json'), JSON.stringify({ commit }) + '\n');
