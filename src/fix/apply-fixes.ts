// Turns findings' fixes into new file contents. Only documents with fixes are touched;
// every other byte of the file is kept as it was.

import { promises as fs } from 'node:fs';
import type { LocatedFinding } from '../checks/types.js';
import type { PatchOp } from '../result/result.js';
import { splitDocuments } from '../inventory/yaml.js';
import { applyPatch } from './patch-yaml.js';
import type { TextCache } from '../sources/manifests.js';

export interface FileFix {
  file: string;
  before: string;
  after: string;
  /** Findings whose fix was applied. */
  fixed: number;
  /** Findings whose fix could not be applied, with why. */
  failed: { check: string; path: string; reason: string }[];
}

export async function computeFixes(located: LocatedFinding[], texts: TextCache): Promise<FileFix[]> {
  const withFix = located.filter((l) => l.finding.fix?.length && !l.finding.exception);
  const byFile = new Map<string, LocatedFinding[]>();
  for (const l of withFix) {
    const list = byFile.get(l.object.source.file) ?? [];
    byFile.set(l.object.source.file, list);
    list.push(l);
  }
  const results: FileFix[] = [];
  for (const [file, entries] of byFile) {
    const before = texts.get(file) ?? (await fs.readFile(file, 'utf8'));
    const chunks = splitDocuments(before);
    const byDoc = new Map<number, LocatedFinding[]>();
    for (const e of entries) {
      const list = byDoc.get(e.object.source.doc) ?? [];
      byDoc.set(e.object.source.doc, list);
      list.push(e);
    }
    const result: FileFix = { file, before, after: before, fixed: 0, failed: [] };
    // Edit documents from the last to the first so earlier offsets stay valid.
    for (const doc of [...byDoc.keys()].sort((a, b) => b - a)) {
      const chunk = chunks[doc];
      if (!chunk) continue;
      const end = chunks[doc + 1]?.offset ?? before.length;
      let docText = result.after.slice(chunk.offset, end);
      for (const entry of byDoc.get(doc) ?? []) {
        const outcome = applyPatch(docText, entry.object.source.pathInDoc, entry.finding.fix as PatchOp[]);
        if (outcome.ok) {
          docText = outcome.text;
          result.fixed++;
        } else {
          result.failed.push({ check: entry.finding.check, path: entry.finding.location.path, reason: outcome.reason });
        }
      }
      result.after = result.after.slice(0, chunk.offset) + docText + result.after.slice(end);
    }
    results.push(result);
  }
  return results;
}
