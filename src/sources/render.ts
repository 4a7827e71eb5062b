// Rendering the folders a repository applies through a tool: Helm charts with the real
// `helm template`, Kustomize roots with the real `kustomize build` (or `kubectl kustomize`).
// We never imitate either: what is scanned is what would be applied. The output is a YAML
// stream; each object keeps the file it came from (Helm's `# Source:` comments, Kustomize's
// origin annotations) so findings point at files the user edits.

import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { toPosix } from './walk.js';

export interface RenderOptions {
  /** Namespace the objects will be installed into (helm --namespace). */
  namespace?: string;
  /** Helm release name (default "release-name", as `helm template` names it). */
  helmRelease?: string;
  /** Values files passed to helm with -f, in order. */
  helmValues?: string[];
  /** --set assignments passed to helm. */
  helmSet?: string[];
}

export type RenderOutcome =
  | {
      ok: true;
      /** How the text was made, shown where a file name would be: `<helm template release-name charts/web>`. */
      name: string;
      text: string;
      /** The file an object came from, given its `# Source:` comment and its annotations. */
      origin: (sourceComment: string | undefined, annotations: Record<string, string>) => string | undefined;
    }
  | { ok: false; problem: string };

const RENDER_TIMEOUT_MS = 5 * 60_000;
const KUSTOMIZE_ORIGIN = 'config.kubernetes.io/origin';

export const DEFAULT_RELEASE = 'release-name';

export async function renderChart(dir: string, options: RenderOptions): Promise<RenderOutcome> {
  const release = options.helmRelease ?? DEFAULT_RELEASE;
  const args = ['template', release, dir];
  if (options.namespace) args.push('--namespace', options.namespace);
  for (const v of options.helmValues ?? []) args.push('-f', v);
  for (const s of options.helmSet ?? []) args.push('--set', s);
  const helm = process.env.KUBEHARDEN_HELM || 'helm';
  const run = await runTool(helm, args);
  const shown = `helm ${args.map(shellQuote).join(' ')}`;
  if (run.missing) {
    return {
      ok: false,
      problem: `Helm chart not rendered: helm is not installed (nor set in KUBEHARDEN_HELM). Install helm, or render it yourself and pipe it in: ${shown} | kubeharden scan -`,
    };
  }
  if (run.code !== 0) return { ok: false, problem: `helm could not render this chart: ${run.stderr.trim() || `exit code ${run.code}`}` };
  return { ok: true, name: `<${shown}>`, text: run.stdout, origin: (source) => (source ? templateFile(dir, source) : undefined) };
}

/**
 * The template file a `# Source: CHART/charts/SUB/templates/x.yaml` comment names. Helm
 * writes charts by their names, which need not be their folders' (`subchartA` holding a
 * chart named `subcharta`), so each `charts/NAME` step is looked up by the Chart.yaml name.
 */
export function templateFile(chartDir: string, source: string): string {
  const parts = source.split('/').slice(1);
  let dir = chartDir;
  let i = 0;
  while (parts[i] === 'charts' && i + 2 < parts.length) {
    dir = path.join(dir, 'charts', subchartFolder(path.join(dir, 'charts'), parts[i + 1] as string));
    i += 2;
  }
  return toPosix(path.join(dir, ...parts.slice(i)));
}

function subchartFolder(chartsDir: string, name: string): string {
  if (existsSync(path.join(chartsDir, name, 'Chart.yaml'))) return name;
  try {
    for (const entry of readdirSync(chartsDir)) {
      const chartYaml = path.join(chartsDir, entry, 'Chart.yaml');
      if (!existsSync(chartYaml)) continue;
      const doc = jsYaml.load(readFileSync(chartYaml, 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as { name?: unknown } | null;
      if (doc?.name === name) return entry;
    }
  } catch {
    // unreadable: keep helm's name
  }
  return name; // a packaged subchart (.tgz): no folder to point at, helm's name it is
}

export async function renderKustomization(dir: string): Promise<RenderOutcome> {
  // Origin annotations are switched on by a wrapper kustomization that takes the user's root
  // as its only resource, so the user's files are read as they are and never changed.
  const wrapper = await fs.mkdtemp(path.join(os.tmpdir(), 'kubeharden-kustomize-'));
  try {
    await fs.writeFile(
      path.join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ${JSON.stringify(path.relative(wrapper, path.resolve(dir)))}\nbuildMetadata: [originAnnotations]\n`,
    );
    const explicit = process.env.KUBEHARDEN_KUSTOMIZE;
    let run = await runTool(explicit || 'kustomize', ['build', wrapper]);
    let tool = 'kustomize build';
    if (run.missing && !explicit) {
      run = await runTool('kubectl', ['kustomize', wrapper]);
      tool = 'kubectl kustomize';
    }
    if (run.missing) {
      return {
        ok: false,
        problem: `Kustomization not built: neither kustomize nor kubectl is installed (nor set in KUBEHARDEN_KUSTOMIZE). Install one, or build it yourself and pipe it in: kustomize build ${shellQuote(dir)} | kubeharden scan -`,
      };
    }
    if (run.code !== 0) {
      return { ok: false, problem: `${tool} could not build this kustomization: ${run.stderr.split(wrapper).join('<wrapper>').trim() || `exit code ${run.code}`}` };
    }
    return { ok: true, name: `<${tool} ${dir}>`, text: run.stdout, origin: (_, annotations) => kustomizeOrigin(annotations, wrapper) };
  } finally {
    await fs.rm(wrapper, { recursive: true, force: true });
  }
}

/**
 * The file a kustomize-built object came from, from its origin annotation (a path relative
 * to the root that was built, here our wrapper), as a path relative to the working folder.
 */
export function kustomizeOrigin(annotations: Record<string, string>, wrapper: string): string | undefined {
  const value = annotations[KUSTOMIZE_ORIGIN];
  if (!value) return undefined;
  try {
    const origin = jsYaml.load(value, { schema: jsYaml.CORE_SCHEMA }) as { path?: unknown; repo?: unknown } | null;
    if (typeof origin?.path !== 'string' || origin.repo !== undefined) return undefined;
    return toPosix(path.relative(process.cwd(), path.resolve(wrapper, origin.path)));
  } catch {
    return undefined;
  }
}

interface ToolRun {
  missing: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

function runTool(command: string, args: string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    // Our own timer, not spawn's `timeout`: that one outlives a spawn that failed (ENOENT)
    // and would hold the process open for the whole timeout.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ missing: e.code === 'ENOENT' || e.code === 'EACCES', code: -1, stdout: '', stderr: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        missing: false,
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n(stopped by ${signal} after ${RENDER_TIMEOUT_MS / 60_000} minutes)` : ''),
      });
    });
  });
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
