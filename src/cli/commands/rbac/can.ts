// `kubeharden rbac can`: a subject's effective permissions in every namespace.

import { Command } from 'commander';
import { describeSubject } from '../../../analysis/rbac/engine.js';
import { effectivePermissions } from '../../../analysis/rbac/queries.js';
import { parseSubject } from '../../../analysis/rbac/request.js';
import { EXIT_OK, EXIT_USAGE } from '../../output.js';
import { collect, columns, common, emit, load, usage, type CommonFlags } from './shared.js';

export function registerCan(rbac: Command): void {
  common(
    rbac
      .command('can')
      .description("List a subject's effective permissions in every namespace (like kubectl auth can-i --list, for anyone)")
      .argument('<subject>', 'user:NAME, group:NAME, sa:NAMESPACE/NAME, system:serviceaccount:NS:NAME, or a bare user name')
      .argument('[paths...]', 'manifest files or folders (- for stdin)')
      .option('--group <group>', 'an extra group the user is in; repeat for more (system:authenticated is always added)', collect, []),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden rbac can sa:argocd/argocd-server k8s/
  $ kubeharden rbac can user:alice --group developers k8s/
  $ kubeharden rbac can group:system:authenticated k8s/ --format json`,
    )
    .action(async (subjectText: string, paths: string[], flags: CommonFlags & { group: string[] }) => {
      const subject = usage(() => parseSubject(subjectText));
      const loaded = await load(paths, flags);
      const answer = effectivePermissions(loaded.engine, subject, flags.group);
      await emit(flags, { ...answer, warnings: loaded.warnings }, () => {
        const head = `Permissions of ${describeSubject(subject)} (user ${answer.identity.user || '-'}, groups ${answer.identity.groups.join(', ') || '-'}):\n`;
        const masters = answer.unrestricted ? 'In group system:masters: every request is allowed, whatever RBAC says.\n' : '';
        const rows = [['SCOPE', 'VERBS', 'API GROUPS', 'RESOURCES', 'NAMES', 'NON-RESOURCE URLS', 'VIA']];
        for (const r of answer.rules) {
          rows.push([
            r.scope || '(cluster)',
            r.verbs.join(','),
            r.apiGroups.map((g) => (g === '' ? '""' : g)).join(','),
            r.resources.join(','),
            r.resourceNames.join(','),
            r.nonResourceURLs.join(','),
            r.via.description,
          ]);
        }
        return head + masters + (answer.rules.length ? columns(rows) : 'No RBAC permissions.\n');
      });
      process.exitCode = loaded.unreadable ? EXIT_USAGE : EXIT_OK;
    });
}
