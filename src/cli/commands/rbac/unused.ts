// `kubeharden rbac unused`: the grants each subject holds and never used in the window of the
// audit logs, rule by rule, and the narrowed policy beside the current one as a diff.

import { Command } from 'commander';
import { parseSubject } from '../../../analysis/rbac/request.js';
import { DEFAULT_MAX_NAMES } from '../../../fix/generate-rbac.js';
import { unusedGrants, type UnusedAnswer } from '../../../fix/rbac-unused.js';
import { rbacModel } from '../../../queries/rbac.js';
import { readEvidence } from '../../../sources/audit-log.js';
import { readCluster } from '../../../sources/cluster/source.js';
import { loadManifests } from '../../../sources/manifests.js';
import { EXIT_OK, EXIT_USAGE } from '../../output.js';
import { UsageError } from '../../usage-error.js';
import { reportEvidenceRead } from '../audit-evidence-text.js';
import { common, emit, usage, type CommonFlags } from './shared.js';

interface UnusedFlags extends CommonFlags {
  auditLog: string[];
  subject?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
}

export function registerUnused(rbac: Command): void {
  common(
    rbac
      .command('unused')
      .description('For each subject, the grants it holds and never used in the audit logs (rule by rule), and the narrowed Roles as a diff')
      .argument('[paths...]', 'manifest files or folders with the Roles and bindings (- for stdin); or --cluster')
      .requiredOption('--audit-log <files...>', 'audit logs (Event JSON lines or EventList batches, gzipped or not); put PATHs before this option or after --')
      .option('--subject <subject>', 'only this subject: sa:NAMESPACE/NAME, user:NAME, group:NAME')
      .option('--cluster', "read the Roles and bindings from the kubeconfig's cluster instead of manifests")
      .option('--context <name>', 'kubeconfig context (with --cluster)')
      .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden rbac unused k8s/ --audit-log /var/log/kubernetes/audit/audit.log
  $ kubeharden rbac unused --cluster --audit-log audit.log audit.log.1.gz --subject sa:shop/storefront
  $ kubeharden rbac unused k8s/ --audit-log audit.log --format json | jq '.subjects[].grants[] | select(.status=="unused")'

Each grant of a subject's own bindings (rule by rule, in the binding's scope) is "unused" (no
observed request matched it), "partly used" (the parts no request used are listed; a wildcard
always allows more than was used) or "used". The proposed policy is what \`generate rbac\` writes
from the same requests, limited to what the subject may do now; its dry run is in its header.
Grants held through groups (system:authenticated, …) are shared and not listed.
The rules in full: docs/rbac-from-audit.md

JSON: {"window": {...}, "subjects": [{"subject", "requests", "grants": [{"binding", "role", "rule",
       "scope", "description", "requests", "status", "used": [{"request", "count"}], "unused": [...]}],
       "current", "proposed", "dryRun", "diff"}]}`,
    )
    .action(async (paths: string[], flags: UnusedFlags) => {
      const subject = flags.subject ? usage(() => parseSubject(flags.subject!)) : undefined;
      if (flags.cluster && paths.length) throw new UsageError('give either --cluster or manifest paths, not both');
      if (!flags.cluster && (flags.context ?? flags.kubeconfig) !== undefined) throw new UsageError('--context and --kubeconfig go with --cluster');
      const inventory = flags.cluster
        ? (await readCluster({ context: flags.context, kubeconfig: flags.kubeconfig })).inventory
        : (await loadManifests(paths.length ? paths : ['.'])).inventory;
      const model = rbacModel(inventory, { bootstrap: flags.defaults, defaultNamespace: flags.defaultNamespace });
      for (const w of model.warnings) process.stderr.write(`kubeharden: warning: ${w.source}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
      const { evidence, read } = await readEvidence(flags.auditLog);
      reportEvidenceRead(read, evidence.stats);
      if (read.files === 0) {
        process.exitCode = EXIT_USAGE;
        return;
      }
      const answer = unusedGrants(model.engine, evidence, { subject, maxNames: DEFAULT_MAX_NAMES });
      await emit(flags, { ...answer, warnings: model.warnings }, () => unusedText(answer));
      process.exitCode = model.unreadable || read.unreadable.length ? EXIT_USAGE : EXIT_OK;
    });
}

function unusedText(answer: UnusedAnswer): string {
  const out: string[] = [`Audit window: ${answer.window.from ?? '?'} to ${answer.window.to ?? '?'}`, ''];
  if (answer.subjects.length === 0) out.push('No subject is named by a binding of the input.');
  for (const s of answer.subjects) {
    const who = s.subject.kind === 'ServiceAccount' ? `ServiceAccount ${s.subject.namespace}/${s.subject.name}` : `${s.subject.kind} ${s.subject.name}`;
    out.push(`${who}: ${s.requests} allowed request${s.requests === 1 ? '' : 's'} observed`);
    for (const g of s.grants) {
      out.push(`  ${g.status.toUpperCase().padEnd(11)} ${g.description} (${g.requests} requests)`);
      for (const u of g.used) out.push(`      used: ${u.request} (${u.count})`);
      for (const u of groupVerbs(g.unused)) out.push(`      never used: ${u}`);
    }
    if (s.grants.length === 0) out.push('  (no grants of its own: only through groups)');
    out.push(`  Proposed narrowed policy (dry run ${s.dryRun.ok ? 'passed' : 'FAILED'}):`);
    out.push(...s.diff.split('\n').filter((l, i) => i > 1 || !/^(=+|Index:)/.test(l)).map((l) => `    ${l}`));
    out.push('');
  }
  return out.join('\n');
}

/** "get pods in namespace a", "list pods in namespace a" → "get, list pods in namespace a" (the JSON keeps each one). */
function groupVerbs(parts: string[]): string[] {
  const byRest = new Map<string, string[]>();
  const other: string[] = [];
  for (const p of parts) {
    const m = /^(\S+) (\S+ (?:named \S+ )?(?:in namespace \S+|cluster-wide))$/.exec(p);
    if (!m) {
      other.push(p);
      continue;
    }
    const list = byRest.get(m[2]!) ?? [];
    byRest.set(m[2]!, [...list, m[1]!]);
  }
  return [...[...byRest].map(([rest, verbs]) => `${verbs.join(', ')} ${rest}`), ...other];
}
