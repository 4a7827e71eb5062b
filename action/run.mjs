// The GitHub Action's scan step (action.yml): install kubeharden, scan the given paths once
// (JSON result), render SARIF and the job summary from that result with the library, and
// write the step outputs. It never fails the job itself: the last step does, after the upload.
//
// Runner interface: inputs as INPUT_* environment variables; GITHUB_WORKSPACE (the checkout),
// GITHUB_ACTION_PATH (this action's checkout), RUNNER_TEMP, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY (files to append to).

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;
const input = (name, fallback = '') => (env[`INPUT_${name}`] ?? '').trim() || fallback;
const workspace = env.GITHUB_WORKSPACE || process.cwd();
const actionPath = env.GITHUB_ACTION_PATH || path.dirname(path.dirname(new URL(import.meta.url).pathname));
const temp = mkdtempSync(path.join(env.RUNNER_TEMP || workspace, 'kubeharden-'));

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${String(value).replace(/\n/g, ' ')}\n`);
}

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.log(`::error title=kubeharden::${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    output('exit-code', 2);
    process.exit(0);
  }
}

/** The installed package's folder: a registry version, or this action's own checkout (built once). */
function install() {
  const version = input('VERSION');
  if (version) {
    const prefix = path.join(temp, 'install');
    mkdirSync(prefix);
    sh('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `kubeharden@${version}`], temp);
    return path.join(prefix, 'node_modules', 'kubeharden');
  }
  if (!existsSync(path.join(actionPath, 'dist', 'src', 'cli', 'main.js'))) {
    sh('npm', ['ci', '--no-audit', '--no-fund'], actionPath);
    sh('node', ['scripts/prepack.js'], actionPath);
  }
  return actionPath;
}

const pkg = install();
const resultFile = path.join(temp, 'kubeharden-result.json');
const paths = input('PATHS', '.').split(/\s+/).filter(Boolean);
const args = ['scan', ...paths, '--format', 'json', '--output', resultFile, '--fail-on', input('FAIL_ON', 'high')];
if (input('CONFIG')) args.push('--config', input('CONFIG'));
if (input('BASELINE')) args.push('--baseline', input('BASELINE'));
// Extra arguments split on white space, as a shell would without quotes (paths with spaces go in `paths`).
args.push(...input('ARGS').split(/\s+/).filter(Boolean));
console.log(`kubeharden ${args.join(' ')}`);
const scan = spawnSync(process.execPath, [path.join(pkg, 'bin', 'kubeharden.js'), ...args], { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] });
const exitCode = scan.status ?? 2;
output('exit-code', exitCode);
output('result-file', resultFile);
if (!existsSync(resultFile)) {
  console.log('::error title=kubeharden::the scan wrote no result (see its message above)');
  process.exit(0);
}

const lib = await import(pathToFileURL(path.join(pkg, 'dist', 'src', 'index.js')).href);
const result = JSON.parse(readFileSync(resultFile, 'utf8'));
const counted = result.findings.filter((f) => !f.exception).length;
output('findings', counted);

const sarifFile = path.resolve(workspace, input('SARIF_FILE', 'kubeharden.sarif'));
mkdirSync(path.dirname(sarifFile), { recursive: true });
writeFileSync(sarifFile, lib.renderSarif(result, { root: workspace, cwd: workspace }));
output('sarif-file', sarifFile);

if (input('SUMMARY', 'true') === 'true' && env.GITHUB_STEP_SUMMARY) {
  appendFileSync(env.GITHUB_STEP_SUMMARY, lib.renderMarkdown(result));
}
console.log(`kubeharden: ${counted} finding(s); exit code ${exitCode}`);
