// `kubeharden rbac can`: a subject's effective permissions in every namespace.

import { Command } from 'commander';
import { parseSubject } from '../../../analysis/rbac/request.js';
import { permissionsAnswer } from '../../../queries/rbac.js';
import { permissionsText } from '../../../report/query-text/rbac.js';
import { EXIT_OK, EXIT_USAGE } from '../../output.js';
import { collect, common, emit, load, usage, type CommonFlags } from './shared.js';

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
      const answer = permissionsAnswer(loaded, subject, flags.group);
      await emit(flags, { ...answer, warnings: loaded.warnings }, () => permissionsText(subject, answer));
      process.exitCode = loaded.unreadable ? EXIT_USAGE : EXIT_OK;
    });
}
