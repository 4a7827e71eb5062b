// JUnit XML, for CI pages: one test case per check; a failed check lists its findings.

import { findingFile, type Result } from '../result/result.js';

export function renderJunit(result: Result): string {
  const cases = result.checks.map((check) => {
    const findings = result.findings.filter((f) => f.check === check.id && !f.exception);
    const name = attr(`${check.id}: ${check.title}`);
    const classname = attr(`kubeharden.${check.category}`);
    if (check.status === 'skip') return `    <testcase name="${name}" classname="${classname}"><skipped message="${attr(check.reason ?? '')}"/></testcase>`;
    if (check.status === 'error') return `    <testcase name="${name}" classname="${classname}"><error message="${attr(check.reason ?? '')}"/></testcase>`;
    if (!findings.length) return `    <testcase name="${name}" classname="${classname}"/>`;
    const body = findings
      .map((f) => `${findingFile(f)}:${f.location.line ?? 1}:${f.location.column ?? 1} ${f.resource.kind} ${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name}: ${f.message}`)
      .join('\n');
    return `    <testcase name="${name}" classname="${classname}"><failure message="${attr(`${findings.length} finding(s), severity ${check.severity}`)}" type="${check.severity}">${text(body)}</failure></testcase>`;
  });
  const failures = result.checks.filter((c) => c.status === 'fail' && result.findings.some((f) => f.check === c.id && !f.exception)).length;
  const skipped = result.checks.filter((c) => c.status === 'skip').length;
  const errors = result.checks.filter((c) => c.status === 'error').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kubeharden" tests="${result.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="kubeharden ${attr(result.target.type)}" tests="${result.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// XML 1.0 cannot carry most control characters at all, escaped or not.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
