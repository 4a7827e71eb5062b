// SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning and others).

import type { Severity } from '../result/result.js';
import type { CheckResult, Result } from '../result/result.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
// GitHub ranks code-scanning alerts by this CVSS-like number.
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export function renderSarif(result: Result, describe: (id: string) => { rationale: string; remediation: string } | undefined): string {
  const ruleIds = [...new Set(result.findings.map((f) => f.check))];
  const checksById = new Map<string, CheckResult>(result.checks.map((c) => [c.id, c]));
  const rules = ruleIds.map((id) => {
    const check = checksById.get(id);
    const text = describe(id);
    return {
      id,
      name: id,
      shortDescription: { text: check?.title ?? id },
      fullDescription: { text: text?.rationale ?? check?.title ?? id },
      help: { text: text?.remediation ?? '' },
      defaultConfiguration: { level: LEVEL[check?.severity ?? 'medium'] },
      properties: { tags: ['security', 'kubernetes', ...(check?.controls ?? [])], 'security-severity': SECURITY_SEVERITY[check?.severity ?? 'medium'] },
    };
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kubeharden', version: result.tool.version, informationUri: 'https://github.com/kubeharden/kubeharden', rules } },
        results: result.findings.map((f) => ({
          ruleId: f.check,
          ruleIndex: ruleIds.indexOf(f.check),
          level: LEVEL[f.severity],
          message: { text: `${f.message}. ${f.remediation}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.location.file) },
                region: { startLine: f.location.line ?? 1, startColumn: f.location.column ?? 1 },
              },
              logicalLocations: [{ name: `${f.node !== undefined ? `node ${f.node}: ` : ''}${f.resource.kind}/${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name}`, fullyQualifiedName: f.location.path, kind: 'object' }],
            },
          ],
          partialFingerprints: { 'kubeharden/v1': f.fingerprint },
          ...(f.exception ? { suppressions: [{ kind: 'external', justification: f.exception.reason }] } : {}),
          properties: { severity: f.severity, controls: f.controls, ...(f.node !== undefined ? { node: f.node } : {}) },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function toUri(file: string): string {
  if (file === '<stdin>') return 'stdin';
  return encodeURI(file.replace(/\\/g, '/')).replace(/^\.\//, '');
}
