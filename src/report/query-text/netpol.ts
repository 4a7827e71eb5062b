// The answers of the NetworkPolicy queries (src/queries/netpol.ts) as text for a terminal, and
// the matrix as line-per-row JSON.

import type { DirectionReport, ReachReport } from '../../analysis/netpol/reach.js';
import type { IgnoredPolicies } from '../../queries/netpol.js';

export function reachText(r: ReachReport): string {
  const head = `${r.from} → ${r.to} ${r.protocol} ${r.port}: ${r.verdict.toUpperCase()}`;
  return [head, directionText('egress', r.egress), directionText('ingress', r.ingress), `  all ports allowed on this connection: ${r.ports.sure}${r.ports.sure !== r.ports.possible ? ` (maybe: ${r.ports.possible})` : ''}`, ''].join('\n');
}

function directionText(name: string, d: DirectionReport): string {
  const lines = [`  ${name} of ${d.endpoint}: ${d.verdict}`];
  if (d.policies.length) lines.push(`    isolated by: ${d.policies.join(', ')}`);
  for (const a of d.allowedBy) lines.push(`    allowed by ${a.policy} ${a.rule} (ports: ${a.ports})${a.certain ? '' : ' — uncertain'}`);
  if (d.policies.length && d.allowedBy.length === 0) lines.push(`    no rule of these policies allows this connection`);
  for (const n of d.notes) lines.push(`    note: ${n}`);
  return lines.join('\n');
}

/**
 * `rows[i][j]` is what workload i can open to workload j, in the words of the table. One row per
 * line: a matrix of thousands of workloads stays a file people can grep and jq can read.
 */
export function matrixJson(ids: string[], cells: string[][], ignored: IgnoredPolicies): string {
  const rows = cells.map((row) => '    ' + JSON.stringify(row)).join(',\n');
  return [
    '{',
    `  "workloads": ${JSON.stringify(ids)},`,
    '  "cells": "rows[i][j]: the ports workload i can open to workload j: all, none, or e.g. TCP 80,443; UDP 53 — with (maybe: …) for ports that depend on what manifests cannot say",',
    `  "rows": [\n${rows}\n  ],`,
    `  "ignoredPolicies": ${JSON.stringify(ignored)}`,
    '}',
    '',
  ].join('\n');
}

/** A numbered grid (rows: sources; columns: destinations) and the cells in words beneath. */
export function matrixText(ids: string[], cells: string[][]): string {
  if (ids.length === 0) return 'no workloads in the input\n';
  const symbol = (c: string) => (c === 'all' ? '✓' : c === 'none' ? '·' : c.includes('maybe') ? '?' : 'p');
  const width = String(ids.length).length;
  const lines = ['Rows: sources; columns: destinations.  ✓ all ports  · none  p some ports  ? uncertain', ''];
  lines.push(' '.repeat(width + 2) + ids.map((_, j) => String(j + 1).padStart(width)).join(' '));
  cells.forEach((row, i) => lines.push(`${String(i + 1).padStart(width)}  ${row.map((c) => symbol(c).padStart(width)).join(' ')}  ${ids[i]}`));
  const partial: string[] = [];
  cells.forEach((row, i) => row.forEach((c, j) => {
    if (c !== 'all' && c !== 'none') partial.push(`  ${ids[i]} → ${ids[j]}: ${c}`);
  }));
  // Pushed one by one: a spread of millions of cells would overflow the call stack.
  if (partial.length) lines.push('', 'Partly open:');
  for (const line of partial) lines.push(line);
  return lines.join('\n') + '\n';
}
