// Like ESLint's checkRuleFiles: every check has a test, a generated docs page, is registered in
// the catalog through its own folder's index.ts, and sits in the folder of its category.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CHECK_CATALOG } from '../../src/checks/index.js';
import { PROBE_CHECK_CATALOG } from '../../src/checks/probes/index.js';
import type { Category } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';

/** The folder of src/checks/ where a check of each category is defined. */
const FOLDERS: Record<Category, string> = {
  workload: 'workload',
  'pod-security': 'pod-security',
  rbac: 'rbac',
  network: 'network',
  'control-plane': 'controlplane',
  node: 'node',
  etcd: 'etcd',
  secrets: 'secrets',
  audit: 'audit',
  admission: 'admission',
  reliability: 'reliability',
};

/**
 * The folder of a check. A CIS item that reads a node sits with the component it reads,
 * whatever it is about (1.2.16, the API server's audit log path, is an audit check read from
 * the API server's flags): sections 1 and 3 in controlplane/, 2 in etcd/, 4 in node/. Live
 * probe checks sit in probes/. Every other check sits in its category's folder.
 */
function expectedFolder(c: (typeof CHECK_CATALOG)[number]): string {
  // The provider benchmarks' items (cis-eks:, cis-gke:, cis-aks:) are node audit items, numbered
  // by their own benchmark: they sit in node/providers/.
  if (c.controls.some((ref) => /^cis-[a-z]+:/.test(ref))) return 'node';
  const cis = (c as { cis?: { id: string } }).cis?.id;
  if (cis) return cis.startsWith('2.') ? 'etcd' : cis.startsWith('4.') ? 'node' : 'controlplane';
  if (PROBE_IDS.has(c.id)) return 'probes';
  return FOLDERS[c.category];
}
const PROBE_IDS = new Set(PROBE_CHECK_CATALOG.map((c) => c.id));
/** Folders that hold no check of their own: shared shapes and the types. */
const NOT_CHECK_FOLDERS = new Set(['templates']);


function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const SRC = path.join(REPO_ROOT, 'src', 'checks');
const sources = walk(SRC).map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }));
const tests = walk(path.join(REPO_ROOT, 'test')).map((file) => readFileSync(file, 'utf8'));

/**
 * The file that defines a check: the one holding its id as a string (`id: 'container-image-pinned'`,
 * or a table row), else the one whose id template matches it (`id: `${f.short}-mode``).
 */
function definingFile(id: string): string | undefined {
  const candidates = sources.filter((s) => !s.file.endsWith('index.ts'));
  const defined = candidates.find((s) => new RegExp(`\\bid:\\s*'${id}'`).test(s.text));
  if (defined) return defined.file;
  const literal = candidates.find((s) => s.text.includes(`'${id}'`));
  if (literal) return literal.file;
  return candidates.find((s) =>
    [...s.text.matchAll(/\bid:\s*`([^`]+)`/g)].some((m) => new RegExp(`^${m[1]!.replace(/\$\{[^}]+\}/g, '[a-z0-9-]+')}$`).test(id)),
  )?.file;
}

test('every check is defined in a file of the folder of its category', () => {
  const problems: string[] = [];
  for (const c of CHECK_CATALOG) {
    const file = definingFile(c.id);
    if (!file) {
      problems.push(`${c.id}: no file under src/checks defines it with id: '${c.id}'`);
      continue;
    }
    const folder = file.split(path.sep)[0]!;
    if (NOT_CHECK_FOLDERS.has(folder) || folder !== expectedFolder(c)) problems.push(`${c.id} (category ${c.category}) is defined in ${file}, not in ${expectedFolder(c)}/`);
  }
  assert.deepEqual(problems, []);
});

test('every check defined under src/checks is registered in the catalog', () => {
  const ids = new Set(CHECK_CATALOG.map((c) => c.id));
  const defined = sources.flatMap((s) =>
    [...s.text.matchAll(/^\s*(?:export const \w+(?::\s*\w+)?\s*=\s*(?:define\w*\()?\{\s*)?id:\s*'([a-z0-9-]+)',\s*$/gm)].map((m) => ({ id: m[1]!, file: s.file })),
  );
  assert.ok(defined.length >= CHECK_CATALOG.length * 0.5, `found only ${defined.length} check ids in src/checks: the pattern no longer matches how checks are written`);
  assert.deepEqual(defined.filter((d) => !ids.has(d.id)).map((d) => `${d.id} (${d.file})`), []);
});

test("every check's folder registers it through its own index.ts", () => {
  const problems: string[] = [];
  for (const c of CHECK_CATALOG) {
    const file = definingFile(c.id);
    if (!file) continue;
    const [folder, ...rest] = file.split(path.sep);
    const index = path.join(SRC, folder!, 'index.ts');
    if (!existsSync(index)) {
      problems.push(`${folder}/ has no index.ts (registering ${c.id})`);
      continue;
    }
    const module = rest.join('/').replace(/\.ts$/, '.js');
    if (rest.join('/') !== 'index.ts' && !readFileSync(index, 'utf8').includes(`'./${module}'`)) problems.push(`${folder}/index.ts does not import ./${module} (${c.id})`);
  }
  assert.deepEqual([...new Set(problems)], []);
});

test('every check has a generated docs page', () => {
  assert.deepEqual(CHECK_CATALOG.filter((c) => !existsSync(path.join(REPO_ROOT, 'docs', 'checks', `${c.id}.md`))).map((c) => c.id), []);
});

test('every check has a test that names it or imports its module', () => {
  const untested = CHECK_CATALOG.filter((c) => {
    const file = definingFile(c.id);
    const module = file ? `checks/${file.split(path.sep).join('/').replace(/\.ts$/, '.js')}` : undefined;
    return !tests.some((t) => t.includes(`'${c.id}'`) || t.includes(`"${c.id}"`) || (module !== undefined && t.includes(module)));
  });
  assert.deepEqual(untested.map((c) => c.id), []);
});
