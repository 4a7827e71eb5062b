// `kubeharden generate rbac --from-audit-log FILE...`: least-privilege Roles and bindings per
// subject, from the requests the API server's audit log shows it made, each checked by the RBAC
// engine (dry run) before it is written.

import { Command, InvalidArgumentError, Option } from 'commander';
import { parseSubject } from '../../analysis/rbac/request.js';
import { DEFAULT_MAX_NAMES, generateRbac } from '../../fix/generate-rbac.js';
import { renderPolicy } from '../../fix/rbac-from-evidence.js';
import { readEvidence } from '../../sources/audit-log.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, outputOption, writeReport } from '../output.js';
import { reportEvidenceRead } from './audit-evidence-text.js';
import { usage } from './rbac/shared.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number, 0 or more');
  return n;
}

export function registerGenerateRbac(generate: Command): void {
  generate
    .command('rbac')
    .description('Least-privilege Roles/ClusterRoles and bindings per subject, from the requests an API server audit log shows it made')
    .requiredOption('--from-audit-log <files...>', 'audit.k8s.io/v1 Event JSON lines or webhook EventList batches, gzipped or not (- for stdin)')
    .option('--subject <subject>', 'only this subject: sa:NAMESPACE/NAME, user:NAME, group:NAME (a group gathers the requests of its members)')
    .option('-n, --namespace <namespace>', 'only requests in this namespace (cluster-wide requests are left out and counted)')
    .option('--max-names <n>', 'limit a verb on a resource to the object names used when at most this many were (0: never)', positiveInt, DEFAULT_MAX_NAMES)
    .option('--include-defaults', "also grant requests Kubernetes' default policy already allows (discovery, /version, …)")
    .addOption(new Option('-f, --format <format>', 'yaml (the objects, commented) or json (objects, counts and dry run)').choices(['yaml', 'json']).default('yaml'))
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate rbac --from-audit-log /var/log/kubernetes/audit/audit.log > observed-rbac.yaml
  $ kubeharden generate rbac --from-audit-log audit.log audit-*.log.gz --subject sa:shop/storefront
  $ kubeharden generate rbac --from-audit-log webhook-batches.json --namespace shop -f json | jq '.policies[].dryRun'

For each subject (ServiceAccount for system:serviceaccount:NS:NAME users, else User; or the --subject):
  - a Role + RoleBinding per namespace it made requests in, a ClusterRole + ClusterRoleBinding for
    requests without a namespace (cluster-scoped resources, all-namespace lists, non-resource URLs);
  - verbs as the authorizer saw them (get, list, watch, create, update, patch, delete, deletecollection,
    impersonate), subresources and URLs kept; each rule commented with the requests it covers;
  - resourceNames when every request named an object, at most --max-names names were used, and the
    subject did not create objects of that resource itself (create, plain list/watch and
    deletecollection carry no name, so they are never name-limited);
  - denied requests (authorization.k8s.io/decision: forbid, or 403) are listed, never granted;
  - requests Kubernetes' default roles already allow the user (discovery, /version, …) are not granted again;
  - members of system:masters and nodes are skipped (RBAC does not decide for them).
Every request is counted once per auditID (ResponseComplete, else the last stage seen). Before writing,
kubeharden's RBAC engine checks each policy alone: every observed request allowed, no unused verb,
resource, name or namespace; the YAML says so. Exit codes: 0 written; 1 a dry run failed; 2 a log could not be
read (the others are used; none readable: nothing is written). The rules in full: docs/rbac-from-audit.md`,
    )
    .action(async (flags: { fromAuditLog: string[]; subject?: string; namespace?: string; maxNames: number; includeDefaults?: boolean; format: string; output?: string }) => {
      const subject = flags.subject ? usage(() => parseSubject(flags.subject!)) : undefined;
      const { evidence, read } = await readEvidence(flags.fromAuditLog);
      reportEvidenceRead(read, evidence.stats);
      if (read.files === 0) {
        process.exitCode = EXIT_USAGE;
        return;
      }
      const generation = generateRbac(evidence, { subject, namespace: flags.namespace, maxNames: flags.maxNames, includeDefaults: flags.includeDefaults });
      for (const s of generation.skipped) process.stderr.write(`kubeharden: skipped ${s.user} (${s.requests} requests): ${s.reason}\n`);
      if (generation.policies.length === 0) process.stderr.write(`kubeharden: warning: no subject${subject ? ' matching --subject' : ''} to write rules for\n`);
      const rendered = generation.policies.map(renderPolicy);
      const window = evidence.stats.window;
      if (flags.format === 'json') {
        const json = {
          window,
          read: { files: read.files, lines: read.lines, malformed: read.malformed, examples: read.examples, unreadable: read.unreadable },
          evidence: evidence.stats,
          skipped: generation.skipped,
          policies: rendered.map(({ policy: p, objects, dryRun }) => ({
            subject: p.subject, users: p.users, first: p.first, last: p.last, requests: p.requests, coveredByDefaults: p.coveredByDefaults,
            outsideNamespace: p.outsideNamespace, rules: p.rules, denied: p.denied, warnings: p.warnings, dryRun, objects,
          })),
        };
        await writeReport(JSON.stringify(json, null, 2) + '\n', flags.output);
      } else {
        const top = `# Written by kubeharden generate rbac from ${evidence.stats.requests} requests in ${read.files} audit log file(s), ${window.from ?? '?'} to ${window.to ?? '?'}.\n`;
        await writeReport(top + rendered.map((r) => r.yaml).join('---\n'), flags.output);
      }
      const failed = rendered.filter((r) => !r.dryRun.ok);
      for (const f of failed) process.stderr.write(`kubeharden: error: the dry run of the rules for ${f.policy.users.join(', ')} failed; see the YAML header\n`);
      process.exitCode = read.unreadable.length ? EXIT_USAGE : failed.length ? EXIT_FINDINGS : EXIT_OK;
    });
}
