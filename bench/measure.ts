// One measurement in a fresh process (so peak memory is the measurement's own):
//   node dist/bench/measure.js parse|scan DIR
// prints one JSON line: { mode, ms, objects, findings?, maxRssMiB }.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { scanManifests } from '../src/engine/scan.js';

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listYaml(full)));
    else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The floor: read every file and parse it with js-yaml's loadAll, keeping nothing. */
async function bareParse(dir: string): Promise<number> {
  let objects = 0;
  for (const file of await listYaml(dir)) {
    const text = await fs.readFile(file, 'utf8');
    jsYaml.loadAll(text, (doc) => {
      if (doc && typeof doc === 'object' && 'kind' in doc) objects++;
    });
  }
  return objects;
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if (!dir || (mode !== 'parse' && mode !== 'scan')) {
    console.error('usage: node dist/bench/measure.js parse|scan DIR');
    process.exit(2);
  }
  const start = process.hrtime.bigint();
  let objects: number;
  let findings: number | undefined;
  let errors: number | undefined;
  if (mode === 'parse') {
    objects = await bareParse(dir);
  } else {
    const result = await scanManifests([dir], { maxFileBytes: 1024 * 1024 * 1024 });
    objects = result.summary.objects;
    findings = result.findings.length;
    errors = result.errors.filter((e) => e.level === 'error').length;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, ms: Math.round(ms), objects, findings, errors, maxRssMiB: Math.round(maxRssMiB) }));
}

void main();
