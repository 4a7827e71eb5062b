// The Markdown report, on real scans. Where GitHub's own renderer is installed (Debian package
// cmark-gfm, the cmark fork github.com renders comments and job summaries with), the report is
// rendered with it and the resulting HTML is checked: every finding is one table row whose cells
// read exactly as the input, hostile names neither break a table nor make HTML or links.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanManifests } from '../../src/engine/scan.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { runNodeChecks } from '../../src/engine/node-run.js';
import { cisNodeChecks } from '../../src/checks/node/index.js';
import { collectNodeFacts } from '../../src/sources/node/collect.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Finding, Result } from '../../src/result/result.js';
import { REPO_ROOT } from '../helpers.js';
import { buildRoot } from '../sources/node/roots.js';

const CMARK = '/usr/bin/cmark-gfm';
const noCmark = existsSync(CMARK) ? undefined : `${CMARK} is not installed (apt-get install cmark-gfm)`;
if (noCmark && process.env.CI) throw new Error(`CI needs cmark-gfm for the Markdown report test: ${noCmark}`);

const DEMO = path.join(REPO_ROOT, 'examples', 'demo-cluster');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** GitHub's renderer with GitHub's extensions; --unsafe keeps raw HTML, so any that got through would show. */
function renderGfm(markdown: string): string {
  const run = spawnSync(CMARK, ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'], { input: markdown, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The text a reader sees in a piece of rendered HTML (a <br> is a line break). */
function textOf(html: string): string {
  return html
    .replace(/<br ?\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Every row of every table in rendered HTML, as the text of its cells, header row first. */
function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]!)));
}

/** The body rows of the findings tables (those headed Resource, Location, Field, Message). */
function findingTableRows(html: string): string[][] {
  return [...html.matchAll(/<table>[\s\S]*?<\/table>/g)]
    .map((table) => tableRows(table[0]))
    .filter((rows) => JSON.stringify(rows[0]) === JSON.stringify(['Resource', 'Location', 'Field', 'Message']))
    .flatMap((rows) => rows.slice(1));
}

/** The HTML elements a report may contain: Markdown's own, plus the <details>, <summary> and <br> it writes itself. */
const ALLOWED_TAGS = new Set(['h2', 'h3', 'h4', 'p', 'strong', 'em', 'code', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'br']);
function unexpectedTags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()).filter((t) => !ALLOWED_TAGS.has(t));
}

function findingRow(f: Finding): string[] {
  const r = f.resource;
  const resource = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${f.node ? ` on node ${f.node}` : ''}`;
  return [resource, f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file, f.location.path || '—', f.message];
}

/** The report split at its per-check headings: check id → that check's part of the Markdown. */
function checkSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const part of markdown.split(/\n(?=#{3,4} )/)) {
    const id = /^#### \S+ \w+: `([^`]+)`/.exec(part)?.[1];
    if (id) sections.set(id, part);
  }
  return sections;
}

/** A line of Markdown without its code spans and backslash escapes: what Markdown and GitHub still interpret. */
function liveText(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; ) {
    if (line[i] === '\\') {
      i += 2;
      continue;
    }
    const run = /^`+/.exec(line.slice(i))?.[0];
    if (run) {
      // A code span closes at the next backtick run of the same length; without one the run is literal.
      const close = new RegExp(`(?<!\`)${run}(?!\`)`).exec(line.slice(i + run.length));
      if (close) {
        i += run.length + close.index + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    out += line[i++];
  }
  return out;
}

function findingsByCheck(result: Result): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of result.findings) if (!f.exception) map.set(f.check, [...(map.get(f.check) ?? []), f]);
  return map;
}

function tableLines(section: string): string[] {
  return section.split('\n').filter((l) => l.startsWith('| ')).slice(2);
}

test('the demo cluster: counts and scores as in the summary, every finding under its check, verdict as the exit code', async () => {
  const result = await scanManifests([DEMO], { failOn: 'high' });
  const md = renderMarkdown(result);
  assert.match(md, /^## kubeharden: manifests in `[^`]*examples\/demo-cluster`\n/);
  const atOrAboveHigh = result.summary.findings.critical + result.summary.findings.high;
  assert.ok(atOrAboveHigh > 0);
  assert.match(md, new RegExp(`\\n❌ \\*\\*Fails:\\*\\* ${atOrAboveHigh} findings at high severity or above \\(\`--fail-on high\`\\); ${result.findings.length} findings in all\\.\\n`));
  const counts = md.split('\n').find((l) => /^\| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|$/.test(l));
  assert.equal(counts, `| ${SEVERITIES.map((s) => result.summary.findings[s]).join(' | ')} | ${result.summary.excepted} |`);
  for (const [fw, score] of Object.entries(result.summary.frameworks).filter(([, s]) => s.pass + s.fail > 0)) {
    assert.ok(md.includes(`| ${fw.toUpperCase()} | ${score.score}% | ${score.pass} of ${score.pass + score.fail} | ${score.manual} |`), fw);
  }

  const sections = checkSections(md);
  const byCheck = findingsByCheck(result);
  assert.deepEqual([...sections.keys()].sort(), [...byCheck.keys()].sort());
  for (const [id, findings] of byCheck) {
    const section = sections.get(id)!;
    const check = result.checks.find((c) => c.id === id)!;
    assert.ok(section.startsWith(`#### `) && section.includes(check.title), id);
    assert.match(section, new RegExp(`\\n${findings.length} findings?( · |\\n)`), id);
    for (const control of check.controls) assert.ok(section.includes(`\`${control}\``), `${id} lists ${control}`);
    assert.equal(section.split('**How to fix:**').length, 2, `${id}: how to fix once`);
    assert.equal(tableLines(section).length, findings.length, id);
    assert.doesNotMatch(section, /more \(see the JSON report\)/);
  }
  // Most severe check first.
  const order = [...sections.keys()].map((id) => SEVERITIES.indexOf(byCheck.get(id)![0]!.severity));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});

test('rendered by GitHub\'s cmark-gfm: one table row per finding, cells read exactly as the Result', { skip: noCmark }, async () => {
  const result = await scanManifests([DEMO]);
  const html = renderGfm(renderMarkdown(result));
  assert.deepEqual(unexpectedTags(html), []);
  const rows = findingTableRows(html);
  assert.equal(rows.length, result.findings.length);
  assert.deepEqual(rows.map((r) => JSON.stringify(r)).sort(), result.findings.map((f) => JSON.stringify(findingRow(f))).sort());
});

test('hostile names, messages and file names neither break a table nor make HTML, links or mentions', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-md-'));
  try {
    const hostile = `apiVersion: v1
kind: Pod
metadata:
  name: "a|b\u0060\u0060c</td><script>alert(1)</script><img src=x onerror=alert(2)>\u0060"
  namespace: "[click](https://evil.example/x) ![i](http://evil.example/i.png) @octocat #12 www.evil.example"
spec:
  containers:
  - name: "c\`*x*\`_y_ ~~z~~ $m$ &lt; \\\\| w\\nnext line \\u001b[31mred\\u202eevil | end"
    image: "nginx:1.27"
`;
    // A file name that holds a backslash right before a pipe, the one thing a code span in a table cannot carry.
    const file = path.join(dir, 'odd\\|name.yaml');
    writeFileSync(file, hostile);
    const result = await scanManifests([dir]);
    assert.ok(result.findings.length > 3);
    const md = renderMarkdown(result);
    assert.doesNotMatch(md, /\x1b|\u202e/, 'control and bidi characters are made visible');
    for (const line of md.split('\n')) {
      // Outside code spans and backslash escapes, nothing from the input may read as HTML, a
      // link, or (on GitHub, after rendering) a mention or an issue reference.
      const live = liveText(line).replace(/<br>|<\/?details>|<\/?summary>/g, '');
      assert.doesNotMatch(live, /<|\]\(|@octocat|#12\b|https?:\/\/|www\.evil/, line);
    }
    for (const [id, findings] of findingsByCheck(result)) {
      const rows = tableLines(checkSections(md).get(id)!);
      assert.equal(rows.length, findings.length, id);
      for (const row of rows) {
        // No emphasis, strikethrough or math from the input, and four cells (a `|` splits a row
        // unless a backslash is right before it, even inside a code span).
        assert.doesNotMatch(liveText(row).replace(/<br>/g, ''), /[*~$]|(^|[^\p{L}\p{N}])_|_($|[^\p{L}\p{N}])/u, row);
        assert.equal(row.match(/(?<!\\)\|/g)!.length, 5, row);
      }
    }
    if (noCmark) return;
    const html = renderGfm(md);
    assert.deepEqual(unexpectedTags(html), []);
    assert.doesNotMatch(html, /<a |<del>|<em>x<\/em>/);
    const visible = (s: string) => s.replace(/\x1b/g, '\\x1b').replace(/\u202e/g, '\\u202e');
    const rows = findingTableRows(html).map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(rows, result.findings.map((f) => JSON.stringify(findingRow(f).map(visible))).sort());
    assert.ok(result.findings.some((f) => f.message.includes('\n')), 'the test exercises a line break in a message');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('large results: the first N findings per check, then "… and K more", with exact counts', async () => {
  const pods = Array.from({ length: 120 }, (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: web-${i}, namespace: shop}
spec:
  containers:
  - {name: c, image: "nginx:1.27"}
`).join('---\n');
  const result = await scanManifests(['-'], { readStdin: async () => pods });
  const byCheck = findingsByCheck(result);
  assert.ok([...byCheck.values()].some((list) => list.length === 120));
  for (const limit of [undefined, 7]) {
    const shown = limit ?? 50;
    const md = renderMarkdown(result, limit === undefined ? {} : { maxFindingsPerCheck: limit });
    const sections = checkSections(md);
    for (const [id, findings] of byCheck) {
      const section = sections.get(id)!;
      assert.match(section, new RegExp(`\\n${findings.length} findings?( · |\\n)`), id);
      assert.equal(tableLines(section).length, Math.min(shown, findings.length), id);
      const more = findings.length - shown;
      if (more > 0) assert.ok(section.includes(`\n… and ${more} more (see the JSON report)\n`), `${id}: ${more} more`);
      else assert.doesNotMatch(section, /more \(see the JSON report\)/);
    }
    const counts = md.split('\n').find((l) => /^\| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|$/.test(l));
    assert.equal(counts, `| ${SEVERITIES.map((s) => result.summary.findings[s]).join(' | ')} | 0 |`);
    assert.ok(Buffer.byteLength(md) < 1024 * 1024, 'fits a job summary');
  }
});

test('no findings: one plain line that still says what did not run; no findings section', async () => {
  const result = await scanManifests(['-'], { readStdin: async () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: app}\ndata: {color: blue}\n' });
  assert.equal(result.findings.length, 0);
  const md = renderMarkdown(result);
  const passed = result.checks.filter((c) => c.status === 'pass').length;
  const skipped = result.checks.filter((c) => c.status === 'skip').length;
  assert.ok(skipped > 0);
  assert.match(md, new RegExp(`\\n✅ \\*\\*No findings:\\*\\* ${passed} checks? passed; ${skipped} did not run on this input \\(listed below\\)\\.\\n`));
  assert.doesNotMatch(md, /### Findings|\| Critical \|/);
  assert.match(md, /^## kubeharden: manifests in standard input/);
});

test('skipped checks are listed with their reasons, apart from passes; turned-off checks are counted apart', async () => {
  const result = await scanManifests([DEMO], { disabled: ['container-image-pinned'] });
  const md = renderMarkdown(result);
  const skipped = result.checks.filter((c) => c.status === 'skip');
  const off = skipped.filter((c) => c.id === 'container-image-pinned');
  assert.equal(off.length, 1);
  // The disabled check plus the opt-in checks nobody enabled.
  const turnedOff = 1 + ALL_CHECKS.filter((c) => c.optIn).length;
  assert.ok(md.includes(`### Not checked: ${skipped.length} checks\n\n<details><summary>These ${skipped.length} checks were skipped, not passed: ${skipped.length - turnedOff} do not apply to this input, ${turnedOff} are turned off. Reasons:</summary>`));
  assert.ok(md.includes(`${turnedOff} turned off`));
  if (noCmark) {
    for (const c of skipped) assert.ok(md.includes(`- \`${c.id}\`: `), c.id);
    return;
  }
  const items = new Set([...renderGfm(md).matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]!)));
  for (const c of skipped) assert.ok(items.has(`${c.id}: ${c.reason}`), `${c.id}: ${c.reason}`);
});

test('excepted findings are listed apart with their reason and not counted', async () => {
  // An exception covers a check on an object, so every finding of that check there.
  const exceptions = [{
    check: 'container-read-only-root-filesystem',
    resource: { kind: 'Deployment', namespace: 'shop', name: 'storefront' },
    reason: 'writes its cache to / <for now> & *on purpose*',
    expires: '2099-12-31',
    source: '.kubeharden.yaml exceptions[0]',
  }];
  const plain = await scanManifests([DEMO]);
  const result = await scanManifests([DEMO], { exceptions });
  const excepted = result.findings.filter((f) => f.exception);
  assert.ok(excepted.length >= 1);
  const md = renderMarkdown(result);
  assert.ok(md.includes(`### Excepted: ${excepted.length} finding${excepted.length === 1 ? '' : 's'}, not counted`));
  for (const f of excepted) {
    assert.ok(md.includes(`| \`container-read-only-root-filesystem\` | Deployment \`shop/storefront\` | \`${f.location.file}:${f.location.line}\` | writes its cache to / \\<for now\\> & \\*on purpose\\* (until 2099-12-31; .kubeharden.yaml exceptions\\[0\\]) |`));
  }
  const all = findingsByCheck(plain).get('container-read-only-root-filesystem')!;
  const own = checkSections(md).get('container-read-only-root-filesystem')!;
  assert.match(own, new RegExp(`\\n${all.length - excepted.length} findings? · `));
  assert.equal(tableLines(own).length, all.length - excepted.length);
  assert.ok(tableLines(own).every((l) => !l.includes('`shop/storefront`')));
  const counts = md.split('\n').find((l) => /^\| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \|$/.test(l));
  assert.equal(counts, `| ${SEVERITIES.map((s) => result.summary.findings[s]).join(' | ')} | ${excepted.length} |`);
  const severity = excepted[0]!.severity;
  assert.equal(result.summary.findings[severity], plain.summary.findings[severity] - excepted.length);
});

test('inputs that could not be read have their own section and make the verdict', async () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: app}\n---\n: : bad: [\n';
  const result = await scanManifests(['-'], { readStdin: async () => text });
  const errors = result.errors.filter((e) => e.level === 'error');
  assert.equal(errors.length, 1);
  const md = renderMarkdown(result);
  assert.match(md, /\n❌ \*\*1 input could not be read\*\* \(see Input errors\)/);
  const e = errors[0]!;
  assert.ok(md.includes(`### Input errors: 1\n\n| Input | Message |\n| --- | --- |\n| \`<stdin>:${e.line}:${e.column}\` | `), md);
});

const nodeRoot = buildRoot('control-plane', 'kubeadm');
after(() => rmSync(nodeRoot, { recursive: true, force: true }));

async function nodeResult(): Promise<Result> {
  return runNodeChecks(collectNodeFacts({ root: nodeRoot }), cisNodeChecks, { type: 'node', root: nodeRoot }, {});
}

test('a node audit: failing checks show what was seen; manual checks are listed for a person with their reason', async () => {
  const result = await nodeResult();
  const md = renderMarkdown(result);
  assert.ok(md.startsWith(`## kubeharden: node (host filesystem at \`${nodeRoot}\`)\n`));
  const sections = checkSections(md);
  const failing = result.checks.filter((c) => c.status === 'fail' && c.evidence?.length);
  assert.ok(failing.length > 3);
  for (const check of failing) {
    const section = sections.get(check.id)!;
    for (const e of check.evidence!) assert.ok(section.includes(`- saw \`${e.subject}\`: ${e.value === undefined ? 'not set' : `\`${e.value}\``}`), `${check.id}: ${e.subject}`);
  }
  const manual = result.checks.filter((c) => c.status === 'manual');
  assert.ok(manual.length > 0);
  const review = md.slice(md.indexOf('### For a person to review'));
  for (const c of manual) assert.ok(review.includes(`- **manual** \`${c.id}\``), c.id);
  if (noCmark) return;
  const items = [...renderGfm(review).matchAll(/<li>([\s\S]*?)(?:<ul>|<\/li>)/g)].map((m) => textOf(m[1]!).trim());
  for (const c of manual) assert.ok(items.some((i) => i.endsWith(`${c.title}. ${c.reason}`)), c.id);
});

test('a cluster result gathering node audits: each check\'s outcome per node, and the nodes not audited', async () => {
  const result = await nodeResult();
  const check = result.checks.find((c) => c.status === 'fail')!;
  check.nodes = [
    { node: 'cp-1', status: 'fail', passed: 0, failed: 1, reason: 'seen on cp-1' },
    { node: 'cp-2', status: 'pass', passed: 1, failed: 0 },
  ];
  const cluster: Result = { ...result, target: { type: 'cluster', context: 'prod', nodeAudits: [{ node: 'cp-1', status: 'current' }, { node: 'cp-2', status: 'current' }, { node: 'w-9', status: 'stale' }] } };
  const md = renderMarkdown(cluster);
  assert.match(md, /^## kubeharden: cluster, context `prod`\n/);
  assert.ok(md.includes('\nNode audits: 2 current; not gathered: `w-9` (stale).\n'));
  assert.ok(checkSections(md).get(check.id)!.includes('\n*Nodes:* `cp-1` fail (seen on cp-1), `cp-2` pass\n'));
});
