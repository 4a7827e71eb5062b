// `kubeharden rbac`: who-can, can, paths and test over the RBAC objects of manifests, offline.
// Thin: parse arguments, ask the engine (src/analysis/rbac), print.

import { promises as fs } from 'node:fs';
import { Command, Option } from 'commander';
import { checkAssertions, describePath, parseAssertions } from '../../analysis/rbac/assertions.js';
import { BOOTSTRAP_POLICY_RELEASE } from '../../analysis/rbac/bootstrap-policy.js';
import { describeSubject, RbacEngine } from '../../analysis/rbac/engine.js';
import { EscalationGraph } from '../../analysis/rbac/escalation.js';
import { effectivePermissions, whoCan } from '../../analysis/rbac/queries.js';
import { buildRequest, describeRequest, parseSubject } from '../../analysis/rbac/request.js';
import type { Inventory } from '../../inventory/inventory.js';
import { loadManifests } from '../../sources/manifests.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, formatOption, outputOption, resolveFormat, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

interface CommonFlags {
  format?: string;
  output?: string;
  defaults: boolean;
  defaultNamespace: string;
}

interface Loaded {
  inventory: Inventory;
  engine: RbacEngine;
  warnings: { source: string; line?: number; message: string }[];
  /** True when some input could not be read at all (exit code 2). */
  unreadable: boolean;
}

const FORMATS = ['table', 'json'];

async function load(paths: string[], flags: CommonFlags): Promise<Loaded> {
  const { inventory } = await loadManifests(paths.length ? paths : ['.']);
  const engine = RbacEngine.fromInventory(inventory, { bootstrap: flags.defaults, defaultNamespace: flags.defaultNamespace });
  const warnings = [
    ...inventory.problems.map((p) => ({ source: p.source, line: p.line, message: p.message })),
    ...engine.problems.map((p) => ({
      source: p.object ? `${p.object.source.file} (${p.object.kind} ${p.object.namespace ? p.object.namespace + '/' : ''}${p.object.name})` : '-',
      line: p.object?.source.line,
      message: `${p.path.length ? formatPathText(p.path) + ': ' : ''}${p.message}`,
    })),
  ];
  for (const w of warnings) process.stderr.write(`kubeharden: warning: ${w.source}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
  return { inventory, engine, warnings, unreadable: inventory.problems.some((p) => p.level === 'error') };
}

function formatPathText(path: (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

function common(cmd: Command): Command {
  return cmd
    .addOption(formatOption(FORMATS))
    .addOption(outputOption())
    .option('--no-defaults', "do not add Kubernetes' default roles and bindings (admin, edit, view, system:*)")
    .option('--default-namespace <ns>', 'namespace of objects without metadata.namespace, as `kubectl apply -n NS` would place them', 'default');
}

/** Pads columns of a small table for the terminal. */
function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

async function emit(flags: CommonFlags, json: unknown, table: () => string): Promise<void> {
  const format = resolveFormat(flags.format, flags.output);
  await writeReport(format === 'json' ? JSON.stringify(json, null, 2) + '\n' : table(), flags.output);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function registerRbac(program: Command): void {
  const rbac = program
    .command('rbac')
    .description(`Query RBAC offline: who can do what, a subject's permissions, paths to cluster-admin, scenario tests (defaults: ${BOOTSTRAP_POLICY_RELEASE})`);

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
      const parsed = parseAssertions(text);
      if ('error' in parsed) throw new UsageError(`${file}: ${parsed.error}`);
      const loaded = await load(paths, flags);
      const graph = new EscalationGraph(loaded.engine, loaded.inventory, { assumeRestrictedPods: flags.assumeRestrictedPods });
      const outcomes = checkAssertions(loaded.engine, graph, parsed.assertions);
      const failed = outcomes.filter((o) => !o.passed).length;
      await emit(flags, { assertions: outcomes, passed: outcomes.length - failed, failed, warnings: loaded.warnings }, () => {
        const lines = outcomes.map((o) => `${o.passed ? 'PASS' : 'FAIL'}  ${o.assertion}${o.passed ? '' : `\n      ${o.reason}`}`);
        return `${lines.join('\n')}\n\n${outcomes.length - failed} passed, ${failed} failed\n`;
      });
      process.exitCode = loaded.unreadable ? EXIT_USAGE : failed ? EXIT_FINDINGS : EXIT_OK;
    });
}
