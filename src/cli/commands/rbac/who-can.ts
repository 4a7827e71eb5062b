// `kubeharden rbac who-can`: every subject that may make a request, and through which binding and rule.

import { Command } from 'commander';
import { whoCan } from '../../../analysis/rbac/queries.js';
import { buildRequest, describeRequest } from '../../../analysis/rbac/request.js';
import { EXIT_OK, EXIT_USAGE } from '../../output.js';
import { UsageError } from '../../usage-error.js';

import { columns, common, emit, load, usage, type CommonFlags } from './shared.js';

export function registerWhoCan(rbac: Command): void {
  common(
    rbac
      .command('who-can')
      .description('List every subject that may make a request, and through which binding and rule')
      .argument('<verb>', 'verb: get, list, create, update, patch, delete, impersonate, bind, escalate, …')
      .argument('<resource>', 'as kubectl writes it: pods, deployments.apps, pods/exec, or a URL path like /metrics')
      .argument('[paths...]', 'manifest files or folders (- for stdin)')
      .option('--subresource <name>', 'subresource, e.g. exec, log, scale, token')
      .option('-n, --namespace <ns>', 'namespace of the request (without it: cluster-wide, i.e. all namespaces or a cluster-scoped resource)')
      .option('-A, --any-namespace', 'who may do it in at least one namespace (each "via" names where); not with --namespace')
      .option('--name <name>', 'name of the object; without it a collection request (create, list). For list/watch it stands for fieldSelector=metadata.name=N'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden rbac who-can create pods -n dev k8s/
  $ kubeharden rbac who-can get secrets -n kube-system k8s/ --format json
  $ kubeharden rbac who-can create pods/exec -n prod --name web-0 k8s/
  $ kubeharden rbac who-can patch deployments.apps --subresource scale -n shop k8s/
  $ kubeharden rbac who-can get /metrics k8s/
  $ kubeharden rbac who-can create pods -A k8s/     in at least one namespace

JSON: {"request": {...}, "subjects": [{"kind", "name", "namespace", "via": [{"binding", "role", "rule", "scope", "description"}]}]}`,
    )
    .action(async (verb: string, resource: string, paths: string[], flags: CommonFlags & { subresource?: string; namespace?: string; name?: string; anyNamespace?: boolean }) => {
      if (flags.anyNamespace && flags.namespace) throw new UsageError('--any-namespace and --namespace exclude each other');
      const request = usage(() => buildRequest({ verb, resource, subresource: flags.subresource, namespace: flags.namespace, name: flags.name }));
      const loaded = await load(paths, flags);
      const answer = whoCan(loaded.engine, request, flags.anyNamespace);
      await emit(flags, { ...answer, warnings: loaded.warnings }, () => {
        const rows = [['KIND', 'NAMESPACE', 'NAME', 'VIA']];
        for (const s of answer.subjects) {
          s.via.forEach((v, i) => rows.push(i === 0 ? [s.kind, s.namespace ?? '', s.name, v.description] : ['', '', '', v.description]));
        }
        return `Who can ${describeRequest(request, flags.anyNamespace)}:\n` + columns(rows);
      });
      process.exitCode = loaded.unreadable ? EXIT_USAGE : EXIT_OK;
    });
}
