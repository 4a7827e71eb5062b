// Walking a folder the way a repository is laid out: which files are plain manifests, which
// folders are Helm charts or Kustomize roots to render, and what the user left out
// (--exclude globs, .kubehardenignore, .gitignore).
//
// Matchers: `ignore` implements gitignore's rules (negation, anchoring, folder-only
// patterns) as git documents them; --exclude globs go through glob.ts, which matches
// without backtracking regular expressions (see there why not picomatch).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import jsYaml from 'js-yaml';
import type { InputProblem } from '../inventory/model.js';
import { describeFsError } from './read-file.js';
import { compileGlob } from './glob.js';

export const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
export const IGNORE_FILE = '.kubehardenignore';

export interface WalkOptions {
  /** Globs of paths to leave out, relative to the scanned folder (or as shown, folder included). */
  exclude?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
}

/** A file or folder that the scan does not read, and why (listed with --verbose). */
export interface SkippedInput {
  source: string;
  reason: string;
}

export interface WalkResult {
  files: { file: string; size: number }[];
  charts: string[];
  kustomizations: string[];
  skipped: SkippedInput[];
  problems: InputProblem[];
}

interface IgnoreLayer {
  base: string;
  matcher: Ignore;
  file: string;
}

/** Folders that never hold a project's own manifests. */
const NEVER_ENTERED = new Set(['node_modules', '.git']);

export async function walkFolder(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const out: WalkResult = { files: [], charts: [], kustomizations: [], skipped: [], problems: [] };
  const globs = (options.exclude ?? []).map((g) => ({ glob: g, test: compileGlob(g) }));
  const layers: IgnoreLayer[] = [];
  if (options.gitignore !== false) {
    // .gitignore files above the scanned folder, up to the repository's top, apply too.
    for (const dir of await ancestorsInRepo(root)) await pushIgnoreFile(layers, dir, '.gitignore');
  }

  const excludedBy = (full: string, isDir: boolean): string | undefined => {
    const rel = toPosix(path.relative(root, full));
    const shown = toPosix(full);
    for (const g of globs) if (g.test(rel) || g.test(shown)) return `--exclude ${g.glob}`;
    for (const layer of layers) {
      const relToLayer = toPosix(path.relative(layer.base, full));
      if (relToLayer === '' || relToLayer.startsWith('..')) continue;
      if (layer.matcher.ignores(isDir ? relToLayer + '/' : relToLayer)) return `listed in ${layer.file}`;
    }
    return undefined;
  };

  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      out.problems.push({ source: dir, message: describeFsError(err), level: 'error' });
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    const depth = layers.length;
    if (options.gitignore !== false && names.has('.gitignore')) await pushIgnoreFile(layers, dir, '.gitignore');
    if (names.has(IGNORE_FILE)) await pushIgnoreFile(layers, dir, IGNORE_FILE);

    if (names.has('Chart.yaml')) {
      // A chart is rendered as a whole: its templates, values and subcharts are not manifests.
      const kind = await chartType(path.join(dir, 'Chart.yaml'));
      if (kind === 'library') out.skipped.push({ source: dir, reason: 'library chart: it renders nothing itself, only through the charts that depend on it' });
      else out.charts.push(dir);
      layers.length = depth;
      return;
    }
    if (KUSTOMIZATION_FILES.some((n) => names.has(n))) out.kustomizations.push(dir);

    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (NEVER_ENTERED.has(entry.name)) continue;
        const why = excludedBy(full, true);
        if (why) out.skipped.push({ source: full, reason: why });
        // Hidden folders hold tool settings (.github workflows, .vscode), not manifests.
        else if (!entry.name.startsWith('.')) await visit(full);
        continue;
      }
      // Not only regular files and links: a FIFO or device named *.yaml is listed too, so that
      // reading it reports what it is (read-file.ts refuses it) instead of skipping it unsaid.
      // Hidden files are tool settings (.kubeharden.yaml itself, .gitlab-ci.yml,
      // .pre-commit-config.yaml). A hidden file named on the command line is still read.
      if (entry.name.startsWith('.') || !MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      if (KUSTOMIZATION_FILES.includes(entry.name)) continue; // read by kustomize, not a manifest
      const why = excludedBy(full, false);
      if (why) out.skipped.push({ source: full, reason: why });
      else out.files.push({ file: full, size: await fileSize(full) });
    }
    layers.length = depth;
  };
  await visit(root);
  return out;
}

async function pushIgnoreFile(layers: IgnoreLayer[], dir: string, name: string): Promise<void> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return;
  }
  layers.push({ base: dir, matcher: ignore().add(text), file: toPosix(file) });
}

/** The folders from the enclosing git repository's top down to `root`'s parent (none outside a repository). */
async function ancestorsInRepo(root: string): Promise<string[]> {
  let dir = path.resolve(root);
  if (await exists(path.join(dir, '.git'))) return [];
  const chain: string[] = [];
  for (let parent = path.dirname(dir); parent !== dir; dir = parent, parent = path.dirname(dir)) {
    chain.push(parent);
    if (await exists(path.join(parent, '.git'))) return chain.reverse();
  }
  return [];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function chartType(chartYaml: string): Promise<string | undefined> {
  try {
    const doc = jsYaml.load(await fs.readFile(chartYaml, 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as { type?: unknown } | null;
    return typeof doc?.type === 'string' ? doc.type : undefined;
  } catch {
    return undefined; // helm will say what is wrong with it when rendering
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0; // reading it will say why
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
