import type { Command } from 'commander';
import { GENERATED_AUDIT_POLICY } from '../../fix/audit-policy.js';
import { outputOption, writeReport } from '../output.js';

/** Adds `generate audit-policy` to the `generate` command group. */
export function registerGenerateAuditPolicy(generate: Command): void {
  generate
    .command('audit-policy')
    .description('Write an audit Policy: Metadata for Secrets/ConfigMaps/TokenReviews, RequestResponse for RBAC and workload changes, a catch-all at the end')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate audit-policy > /etc/kubernetes/audit-policy.yaml
  $ kubeharden generate audit-policy -o audit-policy.yaml && kubeharden scan audit-policy.yaml

Then start kube-apiserver with --audit-policy-file=<the file> and a backend (--audit-log-path=…
with --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100, or
--audit-webhook-config-file=…); a static-pod API server also needs hostPath mounts for both.`,
    )
    .action(async (flags: { output?: string }) => {
      await writeReport(GENERATED_AUDIT_POLICY, flags.output);
    });
}
