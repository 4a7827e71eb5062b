// The HTML report, checked in a real headless Chromium (Debian package chromium, driven by
// playwright-core): it renders, shows every finding, filters by severity, escapes hostile
// input, and a screenshot is written for people to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { scanManifests } from '../../src/engine/scan.js';
import { renderHtml } from '../../src/report/html.js';
import { REPO_ROOT } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const unavailable = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (unavailable && process.env.CI) throw new Error(`CI needs Chromium for the HTML report test: ${unavailable}`);

let browser: Browser | undefined;
before(async () => {
  if (unavailable) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => browser?.close());

test('the demo cluster report renders in Chromium with every finding, and filters by severity', { skip: unavailable }, async () => {
  const result = await scanManifests([path.join(REPO_ROOT, 'examples', 'demo-cluster')]);
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-html-'));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, renderHtml(result));
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('file://' + file);
  assert.match(await page.title(), /^kubeharden report — /);
  assert.equal(await page.locator('tr.finding').count(), result.findings.length);
  assert.equal(await page.locator('.card[data-severity="critical"] b').innerText(), String(result.summary.findings.critical));
  const low = result.findings.filter((f) => f.severity === 'low').length;
  assert.ok(low > 0);
  await page.locator('input[data-filter="low"]').uncheck();
  assert.equal(await page.locator('tr.finding:visible').count(), result.findings.length - low);
  await page.locator('input[data-filter="low"]').check();
  const shots = path.join(REPO_ROOT, 'dist', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, 'html-report.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test('hostile names and messages are escaped, never executed', { skip: unavailable }, async () => {
  const hostile = `apiVersion: v1
kind: Pod
metadata:
  name: "x<script>window.pwned=1</script>"
  namespace: "<img src=x onerror=window.pwned=2>"
spec:
  containers:
  - name: "<b>c</b>"
    image: "nginx:1.27"
`;
  const result = await scanManifests(['-'], { readStdin: async () => hostile });
  const dir = mkdtempSync(path.join(tmpdir(), 'kh-html-'));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, renderHtml(result));
  const page = await browser!.newPage();
  await page.goto('file://' + file);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.ok((await page.locator('body').innerText()).includes('x<script>window.pwned=1</script>'));
  await page.close();
});
