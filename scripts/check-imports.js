#!/usr/bin/env node
// The import direction of DESIGN.md ("Layout"): cli → (engine, queries, sources, report,
// publish, fix, webhook) → checks → analysis → inventory → result.
//
// Reads every .ts file under a source folder (default src/), takes each relative import or
// export specifier (static, type-only and dynamic) and reports:
// - every import line from one part to a part it may not import (ALLOWED below);
// - every pair of parts that import each other;
// - every file cycle inside src/cli/commands (commands call the library, not each other in a loop);
// - every use of the filesystem, the network or processes in the parts that must not do I/O
//   (checks, analysis, result, report, queries): sources read, checks judge.
// Exit status 1 when there is any. `--json` prints the figures as JSON.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What each part may import besides itself. A top-level file not in a part (version.ts) is a leaf all may use. */
export const ALLOWED = {
  result: [],
  inventory: ['result'],
  analysis: ['inventory', 'result'],
  checks: ['analysis', 'inventory', 'result'],
  // Sources read inputs into an Inventory; parsing helpers of analysis (command lines, config
  // documents) are theirs to use. They know nothing of evaluation: no checks, no engine.
  sources: ['analysis', 'inventory', 'result'],
  // Reports render a Result (and the answers of queries); they know no check and no engine.
  report: ['queries', 'analysis', 'inventory', 'result'],
  queries: ['engine', 'checks', 'analysis', 'inventory', 'result'],
  // The engine runs a scan: it reads inputs through sources and runs checks.
  engine: ['sources', 'checks', 'analysis', 'inventory', 'result'],
  publish: ['report', 'sources', 'analysis', 'inventory', 'result'],
  fix: ['sources', 'checks', 'analysis', 'inventory', 'result'],
  webhook: ['engine', 'queries', 'sources', 'report', 'fix', 'checks', 'analysis', 'inventory', 'result'],
  cli: ['engine', 'queries', 'sources', 'report', 'publish', 'fix', 'webhook', 'checks', 'analysis', 'inventory', 'result'],
};

/** Parts that judge or render and must not touch files, the network or processes. */
export const NO_IO = ['checks', 'analysis', 'result', 'report', 'queries'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|tls|dgram|worker_threads)$/;

const SPECIFIER = /(?:^|[\s;}])(?:import|export)\s(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Comments blanked (lines kept), so an example in a comment is not an import. */
function code(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function checkImports(root) {
  const violations = [];
  const io = [];
  const partEdges = new Set();
  const fileEdges = new Map();
  const partOf = (file) => path.relative(root, file).split(path.sep)[0];
  for (const file of walk(root)) {
    const from = partOf(file);
    const rel = path.relative(root, file);
    const text = code(readFileSync(file, 'utf8'));
    const lines = new Set();
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2];
      const line = text.slice(0, m.index + m[0].length).split('\n').length;
      if (!spec.startsWith('.')) {
        if (NO_IO.includes(from) && IO_MODULES.test(spec)) io.push({ file: rel, line, spec });
        continue;
      }
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
      const to = partOf(target);
      if (!fileEdges.has(rel)) fileEdges.set(rel, new Set());
      fileEdges.get(rel).add(path.relative(root, target));
      if (to === from || to.endsWith('.ts')) continue;
      partEdges.add(`${from} ${to}`);
      if (!(ALLOWED[from] ?? []).includes(to) && !lines.has(line)) {
        lines.add(line);
        violations.push({ file: rel, line, from, to, spec });
      }
    }
  }
  const mutual = [];
  for (const edge of partEdges) {
    const [a, b] = edge.split(' ');
    if (a < b && partEdges.has(`${b} ${a}`)) mutual.push([a, b]);
  }
  return { violations, mutual, cycles: fileCycles(fileEdges, `cli${path.sep}commands${path.sep}`), io };
}

/** File cycles among files under `prefix` (each cycle once, as a list of files). */
function fileCycles(edges, prefix) {
  const cycles = [];
  const seen = new Set();
  const inside = (f) => f.startsWith(prefix);
  const visit = (start, file, trail) => {
    for (const next of edges.get(file) ?? []) {
      if (!inside(next)) continue;
      if (next === start) {
        const key = [...trail].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...trail, start]);
        }
      } else if (!trail.includes(next) && next > start) visit(start, next, [...trail, next]);
    }
  };
  for (const file of [...edges.keys()].filter(inside).sort()) visit(file, file, [file]);
  return cycles;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const root = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'src');
  const { violations, mutual, cycles, io } = checkImports(root);
  if (json) {
    console.log(JSON.stringify({ violations, mutual, cycles, io }, null, 2));
  } else {
    for (const v of violations) console.log(`${v.file}:${v.line}: ${v.from} may not import ${v.to} (${v.spec})`);
    for (const [a, b] of mutual) console.log(`${a} and ${b} import each other`);
    for (const c of cycles) console.log(`file cycle: ${c.join(' → ')}`);
    for (const i of io) console.log(`${i.file}:${i.line}: does I/O (${i.spec}); read it in a source and pass the facts`);
    console.log(`${violations.length} import lines against the direction, ${mutual.length} pairs of parts importing each other, ${cycles.length} file cycles in cli/commands, ${io.length} I/O imports where none may be`);
  }
  process.exit(violations.length || mutual.length || cycles.length || io.length ? 1 : 0);
}
