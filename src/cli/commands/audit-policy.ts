import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { levelAndStages, type AuditRequest } from '../../analysis/audit/evaluate.js';
import { describeRule, type AuditLevel } from '../../analysis/audit/policy.js';
import { readAuditPolicyText } from '../../analysis/audit/policy-file.js';
import { formatPath } from '../../inventory/model.js';
import { resolvePositions } from '../../inventory/positions.js';
import { describeFsError } from '../../sources/manifests.js';
import { formatOption, outputOption, resolveFormat, writeReport } from '../output.js';
import { UsageError } from '../usage-error.js';

interface ExplainFlags {
  verb: string;
  resource?: string;
  apiGroup?: string;
  name: string;
  namespace: string;
  path?: string;
  user: string;
  group: string[];
  format?: string;
  output?: string;
}

const LEVEL_MEANING: Record<AuditLevel, string> = {
  None: 'no event is recorded',
  Metadata: 'user, groups, source IPs, user agent, verb, resource, namespace, name and response status; no bodies',
  Request: 'metadata and the request body (no response body)',
  RequestResponse: 'metadata, the request body and the response body',
};

export function registerAuditPolicy(program: Command): void {
  const group = program.command('audit-policy').description('Questions about an audit Policy (audit.k8s.io/v1), answered as the API server evaluates it');
  group
    .command('explain')
    .description('Which rule of the policy matches a request, and at which level it is logged')
    .argument('<file>', 'the audit policy file (what --audit-policy-file names)')
    .requiredOption('--verb <verb>', 'request verb: get, list, watch, create, update, patch, delete, deletecollection (non-resource: get, post, …)')
    .option('--resource <resource>', 'resource as kubectl writes it: pods, pods/exec, deployments.apps, roles.rbac.authorization.k8s.io')
    .option('--api-group <group>', 'API group of the resource ("" for core), instead of writing it after a dot')
    .option('--name <name>', 'object name ("" for collection requests such as list)', '')
    .option('-n, --namespace <namespace>', 'namespace ("" for cluster-scoped and all-namespace requests)', '')
    .option('--path <url>', 'a non-resource URL such as /healthz, instead of --resource')
    .option('--user <name>', 'user name; without it, rules that list users do not match', '')
    .option('--group <group>', 'a group of the user (repeatable); without it, rules that list userGroups do not match', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(formatOption(['table', 'json']))
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden audit-policy explain audit-policy.yaml --verb get --resource secrets -n prod
  $ kubeharden audit-policy explain audit-policy.yaml --verb create --resource pods/exec -n shop --user alice --group system:authenticated
  $ kubeharden audit-policy explain audit-policy.yaml --verb patch --resource deployments.apps/scale -n web
  $ kubeharden audit-policy explain audit-policy.yaml --verb get --path /healthz --format json

--format json prints {request, rule: {index, path, line, description} | null, level, omitStages};
rule is null when no rule matches (the default level None applies).

Exit codes: 0 answered; 2 usage error, or the file is unreadable or not a valid audit Policy.`,
    )
    .action(async (file: string, flags: ExplainFlags) => {
      const request = requestFromFlags(flags);
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`${file}: ${describeFsError(err)}`);
      }
      const loaded = readAuditPolicyText(text, file);
      if (!loaded.ok) {
        const details = (loaded.problems ?? []).map((p) => `\n  ${formatPath(p.path)}: ${p.message}`).join('');
        throw new UsageError(loaded.message + details);
      }
      const decision = levelAndStages(loaded.policy, request);
      const line = decision.rule
        ? (await resolvePositions(file, [{ doc: loaded.object.source.doc, path: [...loaded.object.source.pathInDoc, 'rules', decision.rule.index] }], text))[0]?.line
        : undefined;
      const answer = {
        request,
        rule: decision.rule ? { index: decision.rule.index, path: `rules[${decision.rule.index}]`, ...(line ? { line } : {}), description: describeRule(decision.rule) } : null,
        level: decision.level,
        omitStages: decision.omitStages,
      };
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(format === 'json' ? JSON.stringify(answer, null, 2) + '\n' : explainText(file, answer), flags.output);
    });
}

function requestFromFlags(flags: ExplainFlags): AuditRequest {
  const identity = { user: flags.user, groups: flags.group, verb: flags.verb };
  if (flags.path !== undefined) {
    if (flags.resource !== undefined) throw new UsageError('give either --resource or --path, not both');
    if (!flags.path.startsWith('/')) throw new UsageError(`--path must be a URL path starting with "/", got ${flags.path}`);
    return { kind: 'nonResource', ...identity, path: flags.path };
  }
  if (flags.resource === undefined) throw new UsageError('give --resource (e.g. pods, pods/exec, deployments.apps) or --path (e.g. /healthz)');
  const { resource, subresource, apiGroup } = parseResource(flags.resource);
  return {
    kind: 'resource',
    ...identity,
    apiGroup: flags.apiGroup ?? apiGroup,
    resource,
    subresource,
    namespace: flags.namespace,
    name: flags.name,
  };
}

/** `deployments.apps/scale` → resource deployments, group apps, subresource scale (kubectl's resource.group form). */
function parseResource(text: string): { resource: string; subresource: string; apiGroup: string } {
  const slash = text.indexOf('/');
  const head = slash === -1 ? text : text.slice(0, slash);
  const subresource = slash === -1 ? '' : text.slice(slash + 1);
  const dot = head.indexOf('.');
  const resource = dot === -1 ? head : head.slice(0, dot);
  if (!resource || subresource.includes('/') || (slash !== -1 && !subresource)) {
    throw new UsageError(`--resource must look like pods, pods/exec or deployments.apps/scale, got ${text}`);
  }
  return { resource, subresource, apiGroup: dot === -1 ? '' : head.slice(dot + 1) };
}

function explainText(file: string, a: { request: AuditRequest; rule: { path: string; line?: number; description: string } | null; level: AuditLevel; omitStages: string[] }): string {
  const r = a.request;
  const who = `${r.user ? `user ${r.user}` : 'no user given'}${r.groups.length ? ` (groups ${r.groups.join(', ')})` : ''}`;
  const what =
    r.kind === 'resource'
      ? `${r.verb} ${r.subresource ? `${r.resource}/${r.subresource}` : r.resource}${r.apiGroup ? ` (group ${r.apiGroup})` : ' (core group)'}` +
        `${r.name ? ` named ${r.name}` : ''}${r.namespace ? ` in namespace ${r.namespace}` : ' (cluster-scoped or all namespaces)'}`
      : `${r.verb} ${r.path} (non-resource URL)`;
  return [
    `request: ${what}, ${who}`,
    a.rule ? `matches: ${a.rule.description}${a.rule.line ? ` at ${file}:${a.rule.line}` : ''}` : 'matches: no rule — the default level None applies',
    `level:   ${a.level} — ${LEVEL_MEANING[a.level]}`,
    `omitted stages: ${a.omitStages.length ? a.omitStages.join(', ') : 'none'}`,
    '',
  ].join('\n');
}
