// A self-contained HTML report to hand to others: one file, no external assets, no script
// needed to read it (a small script only adds filtering). Every value from the input is
// escaped: manifests are untrusted text.

import type { Severity } from '../result/result.js';
import { findingFile, type Finding, type Result } from '../result/result.js';
import { howToFix } from './how-to-fix.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const COLORS: Record<Severity, string> = { critical: '#7b1fa2', high: '#c62828', medium: '#ef6c00', low: '#00838f', info: '#616161' };

export function renderHtml(result: Result): string {
  const shown = result.findings;
  // Only checks with a finding in this report: a baseline or --severity may leave none.
  const failed = result.checks.filter((c) => c.status === 'fail' && shown.some((f) => f.check === c.id));
  const byResource = new Map<string, Finding[]>();
  for (const f of shown) {
    const key = `${f.resource.kind} ${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name}`;
    const list = byResource.get(key) ?? [];
    byResource.set(key, list);
    list.push(f);
  }
  const title = `kubeharden report — ${targetLabel(result)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: 20px 32px; }
  header h1 { margin: 0 0 4px; font-size: 20px; }
  header p { margin: 0; opacity: .8; }
  main { padding: 24px 32px; max-width: 1200px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
  h2 { font-size: 16px; margin: 0 0 12px; }
  .cards { display: flex; gap: 12px; flex-wrap: wrap; }
  .card { border-radius: 6px; padding: 10px 16px; color: #fff; min-width: 90px; }
  .card b { display: block; font-size: 22px; }
  .score { background: #eaeef2; color: #1f2328; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { font-weight: 600; color: #57606a; }
  .sev { display: inline-block; border-radius: 4px; color: #fff; padding: 0 6px; font-size: 12px; font-weight: 600; text-transform: uppercase; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eaeef2; padding: 1px 4px; border-radius: 4px; word-break: break-all; }
  .resource { margin-top: 16px; font-weight: 600; }
  .excepted { opacity: .55; }
  td.where { width: 34%; }
  td.controls code { white-space: nowrap; display: inline-block; margin: 1px 0; }
  td.where code { word-break: break-word; }
  .muted { color: #57606a; }
  .filters label { margin-right: 12px; }
</style>
</head>
<body>
<header>
  <h1>${esc(title)}</h1>
  <p>kubeharden ${esc(result.tool.version)} · ${result.summary.objects} objects · Pod Security Standards ${esc(result.settings.pssLevel)} (${esc(result.settings.pssVersion)})</p>
</header>
<main>
<section id="summary">
  <h2>Summary</h2>
  <div class="cards">
${SEVERITIES.map((s) => `    <div class="card" style="background:${COLORS[s]}" data-severity="${s}"><b>${result.summary.findings[s]}</b>${s}</div>`).join('\n')}
${Object.entries(result.summary.frameworks)
  .filter(([, sc]) => sc.pass + sc.fail > 0)
  .map(([fw, sc]) => `    <div class="card score" data-framework="${esc(fw)}"><b>${sc.score}%</b>${esc(fw.toUpperCase())} · ${sc.pass}/${sc.pass + sc.fail} controls</div>`)
  .join('\n')}
  </div>
  ${result.summary.excepted ? `<p class="muted">${result.summary.excepted} finding(s) covered by exceptions are shown faded.</p>` : ''}
</section>
${failed.length ? `<section id="fix">
  <h2>What to fix</h2>
  <table>
    <tr><th>Severity</th><th>Check</th><th>Objects</th><th>How to fix</th><th>Controls</th></tr>
${failed
  .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
  .map((c) => `    <tr><td>${badge(c.severity)}</td><td><b>${esc(c.id)}</b><br><span class="muted">${esc(c.title)}</span></td><td>${c.failed}</td><td>${esc(howToFix(c, result.findings))}</td><td class="controls">${c.controls.map((x) => `<code>${esc(x)}</code>`).join(' ')}</td></tr>`)
  .join('\n')}
  </table>
</section>` : ''}
<section id="findings">
  <h2>Findings (${shown.length})</h2>
  ${shown.length === 0 ? '<p>No findings.</p>' : `<p class="filters">Show: ${SEVERITIES.map((s) => `<label><input type="checkbox" data-filter="${s}" checked> ${s}</label>`).join('')}</p>`}
${[...byResource]
  .map(([resource, list]) => `  <div class="resource">${esc(resource)}</div>
  <table>
${list
  .map((f) => `    <tr class="finding${f.exception ? ' excepted' : ''}" data-severity="${f.severity}"><td>${badge(f.severity)}</td><td class="where"><code>${esc(findingFile(f))}${f.location.line ? ':' + f.location.line : ''}</code><br><code>${esc(f.location.path)}</code></td><td>${esc(f.message)}${f.exception ? `<br><span class="muted">excepted: ${esc(f.exception.reason)}</span>` : ''}</td><td class="muted">${esc(f.check)}</td></tr>`)
  .join('\n')}
  </table>`)
  .join('\n')}
</section>
${result.errors.length ? `<section id="errors">
  <h2>Inputs that could not be read</h2>
  <table>
${result.errors.map((e) => `    <tr><td>${esc(e.level)}</td><td><code>${esc(e.source)}${e.line ? ':' + e.line : ''}</code></td><td>${esc(e.message)}</td></tr>`).join('\n')}
  </table>
</section>` : ''}
</main>
<script>
  for (const box of document.querySelectorAll('input[data-filter]')) {
    box.addEventListener('change', () => {
      for (const row of document.querySelectorAll('tr.finding[data-severity="' + box.dataset.filter + '"]')) row.hidden = !box.checked;
    });
  }
</script>
</body>
</html>
`;
}

function targetLabel(result: Result): string {
  const t = result.target;
  if (Array.isArray(t.inputs)) return (t.inputs as string[]).join(', ');
  return String(t.type);
}

function badge(s: Severity): string {
  return `<span class="sev" style="background:${COLORS[s]}">${s}</span>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
