// Fills line and column into findings, reopening only the files and documents that have findings.

import { resolvePositions, type PositionRequest } from '../inventory/positions.js';
import type { TextCache } from '../sources/manifests.js';
import type { EngineOutput } from './run.js';
import type { InventoryObject } from '../inventory/model.js';

export async function locateFindings(located: EngineOutput['located'], texts: TextCache): Promise<void> {
  const byFile = new Map<string, EngineOutput['located']>();
  for (const entry of located) {
    const file = entry.object.source.file;
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(entry);
  }
  for (const [file, entries] of byFile) {
    // Objects read from a live cluster have no text, so no lines: the field path says where.
    if (entries[0]!.object.source.line === 0) continue;
    const text = texts.get(file);
    const requests: PositionRequest[] = entries.map((e) => ({
      doc: e.object.source.doc,
      path: e.path,
      root: documentRoot(e.object),
      ...(text === undefined && e.object.source.range ? { range: e.object.source.range } : {}),
    }));
    const positions = await resolvePositions(file, requests, text);
    entries.forEach((entry, i) => {
      const pos = positions[i];
      const line = pos ? pos.line : entry.object.source.line;
      const { file: shownFile, path } = entry.finding.location;
      // A new location of its final shape rather than fields added to the old one: V8 gives
      // added properties a store of their own (24 bytes more per finding, measured).
      if (entry.object.source.origin !== undefined) {
        entry.finding.location = { file: shownFile, path, rendered: pos ? { source: file, line, column: pos.column } : { source: file, line } };
      } else {
        entry.finding.location = pos ? { file: shownFile, path, line, column: pos.column } : { file: shownFile, path, line };
      }
    });
  }
}

/**
 * The parsed document an object came from, as far as the fast locator needs it: the object
 * itself, or for an item of a `kind: List` a stand-in holding it at `items[i]`.
 */
function documentRoot(object: InventoryObject): unknown {
  const [first, index] = object.source.pathInDoc;
  if (first === undefined) return object.raw;
  if (first !== 'items' || typeof index !== 'number') return undefined;
  const items: unknown[] = new Array(index + 1);
  items[index] = object.raw;
  return { items };
}
