// `kubeharden rbac paths`: every subject that is or can become cluster-admin, with the shortest chain.

import { Command, Option } from 'commander';
import { describePath } from '../../../analysis/rbac/assertions.js';
import { describeSubject } from '../../../analysis/rbac/engine.js';
import { EscalationGraph } from '../../../analysis/rbac/escalation.js';
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
      const graph = new EscalationGraph(loaded.engine, loaded.inventory, { assumeRestrictedPods: flags.assumeRestrictedPods });
      const all = graph.paths();
      const shown = flags.includeDefaults ? all : all.filter((p) => !p.builtIn);
      const workloads = graph.workloads(loaded.inventory);
      const sideSteps = graph.sideSteps().filter((s) => flags.includeDefaults || !s.builtIn);
      await emit(flags, { paths: shown, sideSteps, workloads, warnings: loaded.warnings }, () => {
        const out: string[] = [];
        out.push(shown.length ? `Subjects that are or can become cluster-admin (${shown.length}):` : 'No subject can become cluster-admin.');
        for (const p of shown) {
          out.push(`  ${describeSubject(p.subject)}${p.builtIn ? ' (Kubernetes default)' : ''}`);
          p.steps.forEach((s, i) => out.push(`    ${i + 1}. [${s.vector}] ${s.action} → ${s.grants}\n       via ${s.via}`));
        }
        const powerful = workloads.filter((w) => w.clusterAdmin);
        out.push('', powerful.length ? `Workloads whose pods can become cluster-admin if compromised (${powerful.length}):` : 'No workload runs with a path to cluster-admin.');
        for (const w of powerful) out.push(`  ${w.workload} (ServiceAccount ${w.namespace}/${w.serviceAccount}): ${describePath(w.clusterAdmin ?? [])}`);
        const lateral = workloads.filter((w) => !w.clusterAdmin && w.becomes.length);
        if (lateral.length) out.push('', `Workloads whose pods can act as other service accounts (${lateral.length}):`);
        for (const w of lateral) out.push(`  ${w.workload} (ServiceAccount ${w.namespace}/${w.serviceAccount}) → ${w.becomes.join(', ')}`);
        if (sideSteps.length) out.push('', `Other escalation steps, not a path to cluster-admin by themselves (${sideSteps.length} subjects):`);
        for (const s of sideSteps) {
          out.push(`  ${describeSubject(s.subject)}${s.builtIn ? ' (Kubernetes default)' : ''}`);
          for (const step of s.steps) out.push(`    [${step.vector}] ${step.action} → ${step.result}\n       via ${step.via}`);
        }
        return out.join('\n') + '\n';
      });
      process.exitCode = loaded.unreadable ? EXIT_USAGE : EXIT_OK;
    });
}
