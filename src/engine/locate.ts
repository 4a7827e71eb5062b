// Fills line and column into findings, reopening only the files and documents that have findings.

import { resolvePositions, type PositionRequest } from '../inventory/positions.js';
import type { TextCache } from '../sources/manifests.js';
import type { EngineOutput } from './run.js';

export async function locateFindings(located: EngineOutput['located'], texts: TextCache): Promise<void> {
  const byFile = new Map<string, EngineOutput['located']>();
  for (const entry of located) {
    const file = entry.object.source.file;
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(entry);
  }
  for (const [file, entries] of byFile) {
    const requests: PositionRequest[] = entries.map((e) => ({ doc: e.object.source.doc, path: e.path }));
    const positions = await resolvePositions(file, requests, texts.get(file));
    entries.forEach((entry, i) => {
      const pos = positions[i];
      if (pos) {
        entry.finding.location.line = pos.line;
        entry.finding.location.column = pos.column;
      } else {
        entry.finding.location.line = entry.object.source.line;
      }
    });
  }
}
