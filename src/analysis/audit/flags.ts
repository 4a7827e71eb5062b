// The audit flags of kube-apiserver (spec/semantics.md §5.4, CIS 1.2.16–1.2.19 and 3.2.1):
// a pure function over already-parsed flags, for the node audit. The policy file itself is
// read with readAuditPolicyText (policy-file.ts) and judged by the audit-policy checks.

export interface AuditFlagFinding {
  /** The flag at fault (or that should be set), without dashes. */
  flag: string;
  controls: string[];
  message: string;
}

/** CIS thresholds for the log backend's retention flags (defaults are 0: no rotation limits, nothing kept). */
const RETENTION: { flag: string; min: number; control: string; unit: string }[] = [
  { flag: 'audit-log-maxage', min: 30, control: 'cis:1.2.17', unit: 'days' },
  { flag: 'audit-log-maxbackup', min: 10, control: 'cis:1.2.18', unit: 'rotated files' },
  { flag: 'audit-log-maxsize', min: 100, control: 'cis:1.2.19', unit: 'MB' },
];

/** @param flags kube-apiserver flags, already parsed (name without dashes → value; last occurrence wins) */
export function auditFlagFindings(flags: ReadonlyMap<string, string>): AuditFlagFinding[] {
  const out: AuditFlagFinding[] = [];
  if (!flags.get('audit-policy-file')) {
    out.push({ flag: 'audit-policy-file', controls: ['cis:3.2.1', 'nsa:L1'], message: '--audit-policy-file is not set, so the API server records no audit events at all; set it to an audit Policy file (kubeharden generate audit-policy writes one)' });
  }
  const logPath = flags.get('audit-log-path');
  const webhook = flags.get('audit-webhook-config-file');
  if (!logPath && !webhook) {
    out.push({ flag: 'audit-log-path', controls: ['cis:1.2.16', 'nsa:L1'], message: 'no audit backend: neither --audit-log-path nor --audit-webhook-config-file is set, so audit events go nowhere; set --audit-log-path (a file, or - for stdout) or a webhook backend' });
  }
  if (logPath) {
    for (const r of RETENTION) {
      const value = flags.get(r.flag);
      const n = value === undefined ? 0 : Number(value);
      if (value !== undefined && !/^\d+$/.test(value)) {
        out.push({ flag: r.flag, controls: [r.control, 'nsa:L2'], message: `--${r.flag}=${value} is not a whole number: the API server refuses to start; set --${r.flag}=${r.min} or more` });
      } else if (n < r.min) {
        out.push({
          flag: r.flag,
          controls: [r.control, 'nsa:L2'],
          message: `${value === undefined ? `--${r.flag} is not set (default 0)` : `--${r.flag}=${value}`}; keep at least ${r.min} ${r.unit}: set --${r.flag}=${r.min} or more`,
        });
      }
    }
  }
  return out;
}
