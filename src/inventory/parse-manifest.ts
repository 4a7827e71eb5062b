// Parsing one manifest file's text into what the inventory keeps, with no shared state, so
// it can run in a worker thread: each object travels as JSON text, which is also what
// detaches it from the parser's strings (see `detached` in inventory.ts).

import { Inventory, inventoryObjectFrom, keptForInventory } from './inventory.js';
import { isMapping, type InputProblem, type SourceRef } from './model.js';
import { firstContentLine, parseDocument, splitDocuments } from './yaml.js';

export interface ParsedObject {
  /** The kept object as JSON text. */
  json: string;
  source: SourceRef;
}

export interface ParsedManifest {
  objects: ParsedObject[];
  problems: InputProblem[];
}

export function parseManifestText(file: string, text: string): ParsedManifest {
  const objects: ParsedObject[] = [];
  const problems: InputProblem[] = [];
  for (const chunk of splitDocuments(text)) {
    const parsed = parseDocument(chunk);
    if (!parsed.ok) {
      problems.push({ source: file, line: parsed.line, column: parsed.column, message: parsed.message, level: 'error' });
      continue;
    }
    for (const w of parsed.warnings) {
      problems.push({ source: file, line: w.line, column: w.column, message: w.message, level: 'warning' });
    }
    const value = parsed.value;
    if (value === null || value === undefined) continue; // an empty document, as kubectl skips it
    const contentLine = firstContentLine(chunk);
    const entries = listItems(value) ?? [{ value, pathInDoc: [] as (string | number)[] }];
    for (const { value: item, pathInDoc } of entries) {
      const checked = keptForInventory(item);
      if ('problem' in checked) {
        const where = pathInDoc.length ? `items[${pathInDoc[1]}]: ` : '';
        problems.push({ source: file, line: contentLine, message: where + checked.problem, level: 'error' });
        continue;
      }
      objects.push({ json: JSON.stringify(checked.kept), source: { file, doc: chunk.index, line: contentLine, pathInDoc } });
    }
  }
  return { objects, problems };
}

/** `kind: List` and every `*List` kind with `items` hold objects, which we read one by one. */
function listItems(value: unknown): { value: unknown; pathInDoc: (string | number)[] }[] | undefined {
  if (!isMapping(value) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) return undefined;
  if (!Array.isArray(value.items)) return undefined;
  return value.items.map((item, i) => ({ value: item, pathInDoc: ['items', i] }));
}

/** Parses a manifest text into an inventory; returns the next object id. */
export function addText(inventory: Inventory, file: string, text: string, nextId: number): number {
  return addParsed(inventory, parseManifestText(file, text), nextId);
}

/** Adds what a parse found to an inventory; returns the next object id. */
export function addParsed(inventory: Inventory, parsed: ParsedManifest, nextId: number): number {
  inventory.problems.push(...parsed.problems);
  for (const { json, source } of parsed.objects) {
    inventory.add(inventoryObjectFrom(JSON.parse(json) as Record<string, unknown>, source, nextId++));
  }
  return nextId;
}
