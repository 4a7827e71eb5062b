// What reading audit logs found, on stderr: files, events, requests, the time window, and the
// malformed lines (the first few with file:line). Shared by `generate rbac` and `rbac unused`.

import type { EvidenceStats } from '../../analysis/rbac/evidence.js';
import type { AuditReadStats } from '../../sources/audit-log.js';

export function reportEvidenceRead(read: AuditReadStats, stats: EvidenceStats): void {
  const say = (line: string) => process.stderr.write(`kubeharden: ${line}\n`);
  for (const u of read.unreadable) say(`error: ${u.file}: ${u.message}`);
  if (read.files === 0) return;
  const n = (x: number) => x.toLocaleString('en-US');
  say(
    `read ${n(read.files)} audit log file(s), ${n(read.lines)} lines: ${n(stats.events)} events, ${n(stats.requests)} requests` +
      ` (${n(stats.duplicateStages)} other stages of the same requests not counted again)`,
  );
  say(`time window: ${stats.window.from ?? 'no timestamps'} to ${stats.window.to ?? 'no timestamps'}`);
  if (stats.withoutFinalStage) say(`${n(stats.withoutFinalStage)} requests have no ResponseComplete in the logs (watches still open, or the stage is omitted); counted from their last stage`);
  if (stats.unauthenticated) say(`${n(stats.unauthenticated)} unauthenticated requests (401) are not anyone's`);
  if (read.malformed) {
    say(`warning: ${n(read.malformed)} malformed line(s) skipped; first:`);
    for (const m of read.examples) say(`  ${m.file}:${m.line}: ${m.message}`);
  }
}
