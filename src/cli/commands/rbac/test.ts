// `kubeharden rbac test`: RBAC scenario tests (X can / cannot do Y, X cannot become cluster-admin).

import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { assertionsAnswer, readAssertions } from '../../../queries/rbac.js';
import { assertionsText } from '../../../report/query-text/rbac.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../../output.js';
import { UsageError } from '../../usage-error.js';

import { common, emit, load, type CommonFlags } from './shared.js';

export function registerTest(rbac: Command): void {
  common(
    rbac
      .command('test')
      .description('Check RBAC scenario assertions (subject can / cannot do something, cannot become cluster-admin); exit 1 when one fails')
      .argument('<assertions>', 'YAML file of assertions (format: docs/rbac-assertions.md)')
      .argument('[paths...]', 'manifest files or folders (- for stdin)')
      .option('--assume-restricted-pods', 'for "cannot become cluster-admin": assume admission blocks privileged/hostPath pods everywhere'),
  )
    .addHelpText(
      'after',
      `
Example assertions file:
  assertions:
  - subject: sa:ci/deployer
    can: create deployments.apps
    namespace: ci
  - subject: user:alice
    cannot: get secrets
    namespace: prod
  - subject: group:system:authenticated
    cannot: become cluster-admin

Examples:
  $ kubeharden rbac test rbac-assertions.yaml k8s/
  $ kubeharden rbac test rbac-assertions.yaml k8s/ --format json

Exit codes: 0 every assertion holds; 1 one fails; 2 the assertions or the manifests could not be read.`,
    )
    .action(async (file: string, paths: string[], flags: CommonFlags & { assumeRestrictedPods?: boolean }) => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const parsed = readAssertions(text);
      if ('error' in parsed) throw new UsageError(`${file}: ${parsed.error}`);
      const loaded = await load(paths, flags);
      const answer = assertionsAnswer(loaded, parsed.assertions, { assumeRestrictedPods: flags.assumeRestrictedPods });
      await emit(flags, { ...answer, warnings: loaded.warnings }, () => assertionsText(answer));
      process.exitCode = loaded.unreadable ? EXIT_USAGE : answer.failed ? EXIT_FINDINGS : EXIT_OK;
    });
}
