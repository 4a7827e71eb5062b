// RBAC questions over an inventory: who may make a request, what a subject may do, and who is
// or can become cluster-admin. The answers are plain data; src/report/query-text/rbac.ts
// renders them for people, the CLI prints them (`kubeharden rbac …`).

import { RbacEngine } from '../analysis/rbac/engine.js';
import { checkAssertions, parseAssertions, type Assertion, type AssertionOutcome } from '../analysis/rbac/assertions.js';
import { EscalationGraph } from '../analysis/rbac/escalation.js';
import { effectivePermissions, whoCan, type CanAnswer, type WhoCanAnswer } from '../analysis/rbac/queries.js';
import type { SubjectId } from '../analysis/rbac/engine.js';
import type { Request } from '../analysis/rbac/rules.js';
import type { Inventory } from '../inventory/inventory.js';

export interface RbacModel {
  inventory: Inventory;
  engine: RbacEngine;
  /** Inputs and RBAC objects that could not be used in full, to show as warnings. */
  warnings: { source: string; line?: number; message: string }[];
  /** True when some input could not be read at all. */
  unreadable: boolean;
}

/** The RBAC engine of an inventory, with what it could not read. */
export function rbacModel(inventory: Inventory, options: { bootstrap: boolean; defaultNamespace: string }): RbacModel {
  const engine = RbacEngine.fromInventory(inventory, { bootstrap: options.bootstrap, defaultNamespace: options.defaultNamespace });
  const warnings = [
    ...inventory.problems.map((p) => ({ source: p.source, line: p.line, message: p.message })),
    ...engine.problems.map((p) => ({
      source: p.object ? `${p.object.source.file} (${p.object.kind} ${p.object.namespace ? p.object.namespace + '/' : ''}${p.object.name})` : '-',
      line: p.object?.source.line,
      message: `${p.path.length ? formatPathText(p.path) + ': ' : ''}${p.message}`,
    })),
  ];
  return { inventory, engine, warnings, unreadable: inventory.problems.some((p) => p.level === 'error') };
}

function formatPathText(path: (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

export type { CanAnswer, WhoCanAnswer };

/** Every subject that may make the request, with the bindings and rules that allow it. */
export function whoCanAnswer(model: RbacModel, request: Request, anyNamespace: boolean | undefined): WhoCanAnswer {
  return whoCan(model.engine, request, anyNamespace);
}

/** A subject's effective permissions in every namespace. */
export function permissionsAnswer(model: RbacModel, subject: SubjectId, groups: string[]): CanAnswer {
  return effectivePermissions(model.engine, subject, groups);
}

export interface PathsAnswer {
  paths: ReturnType<EscalationGraph['paths']>;
  sideSteps: ReturnType<EscalationGraph['sideSteps']>;
  workloads: ReturnType<EscalationGraph['workloads']>;
}

/** Who is or can become cluster-admin, the other escalation steps, and the workloads carrying that power. */
export function pathsAnswer(model: RbacModel, options: { assumeRestrictedPods?: boolean; includeDefaults?: boolean }): PathsAnswer {
  const graph = new EscalationGraph(model.engine, model.inventory, { assumeRestrictedPods: options.assumeRestrictedPods });
  const all = graph.paths();
  const paths = options.includeDefaults ? all : all.filter((p) => !p.builtIn);
  const workloads = graph.workloads(model.inventory);
  const sideSteps = graph.sideSteps().filter((s) => options.includeDefaults || !s.builtIn);
  return { paths, sideSteps, workloads };
}

export interface AssertionsAnswer {
  assertions: AssertionOutcome[];
  passed: number;
  failed: number;
}

/** The RBAC scenario assertions of a file's text (format: docs/rbac-assertions.md), or what is wrong with it. */
export function readAssertions(text: string): { assertions: Assertion[] } | { error: string } {
  return parseAssertions(text);
}

/** Whether each assertion holds, and why not when it does not. */
export function assertionsAnswer(model: RbacModel, assertions: Assertion[], options: { assumeRestrictedPods?: boolean }): AssertionsAnswer {
  const graph = new EscalationGraph(model.engine, model.inventory, { assumeRestrictedPods: options.assumeRestrictedPods });
  const outcomes = checkAssertions(model.engine, graph, assertions);
  const failed = outcomes.filter((o) => !o.passed).length;
  return { assertions: outcomes, passed: outcomes.length - failed, failed };
}
