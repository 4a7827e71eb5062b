#!/usr/bin/env node
// Generates docs/checks/ from the checks' metadata (never written by hand).
// `--check` fails when the committed docs differ from what the metadata says (CI runs this).
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CHECK_CATALOG as ALL_CHECKS } from '../dist/src/checks/index.js';

const DOCS = 'docs/checks';
const checkOnly = process.argv.includes('--check');

function page(c) {
  const lines = [
    `# ${c.id}`,
    '',
    `**${c.title}**`,
    '',
    '| | |',
    '|---|---|',
    `| Severity | ${c.severity} |`,
    `| Category | ${c.category} |`,
    `| Controls | ${c.controls.map((x) => '`' + x + '`').join(', ')} |`,
    `| Looks at | ${c.appliesTo} |`,
  ];
  if (c.pss) lines.push(`| Pod Security Admission check | \`${c.pss.check}\` (${c.pss.level}${c.pss.overriddenBy ? `; replaced by \`${c.pss.overriddenBy}\` at restricted` : ''}) |`);
  if (c.subsumedAtRestrictedBy) lines.push(`| At the restricted level | quiet: [${c.subsumedAtRestrictedBy}](${c.subsumedAtRestrictedBy}.md) reports everything this check would |`);
  if (c.containers) {
    const names = { initContainers: 'init', containers: 'regular', ephemeralContainers: 'ephemeral' };
    lines.push(`| Containers | ${c.containers.covers.map((l) => names[l]).join(', ')}: ${c.containers.why} |`);
  }
  if (c.optIn) lines.push('| Opt-in | yes: enable it under `checks.enable` in `.kubeharden.yaml` |');
  lines.push('', '## Why', '', c.rationale, '', '## How to fix', '', c.remediation, '');
  if (c.examples) {
    lines.push('## Examples', '', 'Passes:', '', '```yaml', c.examples.pass, '```', '', 'Fails:', '', '```yaml', c.examples.fail, '```', '');
    if (c.examples.beside) lines.push('Both beside:', '', '```yaml', c.examples.beside, '```', '');
    if (c.examples.config) lines.push('Both with this `.kubeharden.yaml`:', '', '```yaml', c.examples.config, '```', '');
  }
  lines.push('---', '', `Generated from \`src/checks/\` by \`npm run docs\`; do not edit by hand. Silence this check for one object with the annotation \`kubeharden.io/ignore: "${c.id}: <reason>"\`.`, '');
  return lines.join('\n');
}

function index(checks) {
  const byCategory = new Map();
  for (const c of checks) {
    if (!byCategory.has(c.category)) byCategory.set(c.category, []);
    byCategory.get(c.category).push(c);
  }
  const lines = ['# Checks', '', `${checks.length} checks. Generated from the checks' metadata by \`npm run docs\`; do not edit by hand.`, ''];
  for (const [category, list] of byCategory) {
    lines.push(`## ${category}`, '', '| Check | Severity | Controls |', '|---|---|---|');
    for (const c of list) lines.push(`| [${c.id}](${c.id}.md) — ${c.title} | ${c.severity} | ${c.controls.join(', ')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

const wanted = new Map(ALL_CHECKS.map((c) => [`${c.id}.md`, page(c)]));
wanted.set('README.md', index(ALL_CHECKS));

const existing = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md')) : [];
if (checkOnly) {
  const stale = [];
  for (const [name, text] of wanted) {
    const file = path.join(DOCS, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(name);
  }
  for (const name of existing) if (!wanted.has(name)) stale.push(name + ' (no such check)');
  if (stale.length) {
    console.error(`docs/checks is stale (${stale.length} file(s): ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}); run \`npm run docs\` and commit.`);
    process.exit(1);
  }
  console.log(`docs/checks is up to date (${wanted.size} files).`);
} else {
  mkdirSync(DOCS, { recursive: true });
  for (const name of existing) if (!wanted.has(name)) rmSync(path.join(DOCS, name));
  for (const [name, text] of wanted) writeFileSync(path.join(DOCS, name), text);
  console.log(`wrote ${wanted.size} files to ${DOCS}`);
}
