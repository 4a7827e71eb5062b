// `kubeharden rbac paths`: every subject that is or can become cluster-admin, with the shortest chain.

import { Command, Option } from 'commander';
import { pathsAnswer } from '../../../queries/rbac.js';
import { pathsText } from '../../../report/query-text/rbac.js';
import { EXIT_OK, EXIT_USAGE } from '../../output.js';

import { common, emit, load, type CommonFlags } from './shared.js';

export function registerPaths(rbac: Command): void {
  common(
    rbac
      .command('paths')
      .description('List every subject that is or can become cluster-admin-equivalent, with the shortest chain of steps, and which workloads carry that power')
      .argument('[paths...]', 'manifest files or folders (- for stdin)')
      .addOption(new Option('--to <goal>', 'the goal of the paths').choices(['cluster-admin']).default('cluster-admin'))
      .option('--assume-restricted-pods', 'assume admission blocks privileged/hostPath pods everywhere (default: only where a Namespace enforces Pod Security baseline or restricted)')
      .option('--include-defaults', "also list Kubernetes' own subjects (system:masters, system:kube-controller-manager, …)"),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden rbac paths --to cluster-admin k8s/
  $ kubeharden rbac paths k8s/ --format json | jq '.paths[] | .subject'
  $ kubeharden rbac paths k8s/ --assume-restricted-pods

Subjects without a path that hold E20–E23 (node writes, pods/status, services/status, Service
externalIPs) are listed after the workloads, each step with its result: "cluster-admin with node
control", "indirect", "MitM in N" or "MitM".

JSON: {"paths": [{"subject": {...}, "builtIn": false, "steps": [{"vector", "action", "grants", "via"}]}],
       "sideSteps": [{"subject": {...}, "builtIn": false, "steps": [{"vector", "action", "result", "via"}]}],
       "workloads": [{"workload", "namespace", "serviceAccount", "tokenMounted", "rules", "becomes", "clusterAdmin": [steps]}]}`,
    )
    .action(async (paths: string[], flags: CommonFlags & { assumeRestrictedPods?: boolean; includeDefaults?: boolean }) => {
      const loaded = await load(paths, flags);
      const answer = pathsAnswer(loaded, flags);
      await emit(flags, { ...answer, warnings: loaded.warnings }, () => pathsText(answer));
      process.exitCode = loaded.unreadable ? EXIT_USAGE : EXIT_OK;
    });
}
