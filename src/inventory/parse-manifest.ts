// Parsing one manifest file's text into what the inventory keeps, with no shared state, so
// it can run in a worker thread: each object travels as JSON text, which is also what
// detaches it from the parser's strings (see `detached` in inventory.ts).

import { Inventory, inventoryObjectFrom, keptForInventory } from './inventory.js';
import { isMapping, STDIN_NAME, type InputProblem, type SourceRef } from './model.js';
import { CLUSTER_SCOPED_KINDS } from './cluster-scoped.js';
import { firstContentLine, parseDocument, splitDocuments, type DocumentChunk } from './yaml.js';

export interface ParsedObject {
  /** The kept object as JSON text. */
  json: string;
  source: SourceRef;
}

export interface ParsedManifest {
  objects: ParsedObject[];
  problems: InputProblem[];
  /**
   * Documents that are not Kubernetes objects (no `kind`: a values file, a compose file, a
   * workflow) and documents that did not parse. A folder scan skips a file holding only such
   * documents; in a file that also holds objects, or a file named on the command line, they
   * stay errors (already in `problems`).
   */
  notKubernetes: number;
  syntaxErrors: number;
  /** Documents with a `kind`: meant to be Kubernetes objects, whether valid or not. */
  kindDocs: number;
  /** A top-level `apiVersion:` or `kind:` line: a file meant as Kubernetes even if it does not parse. */
  mentionsKind: boolean;
}

const MENTIONS_KIND_RE = /^(?:apiVersion|kind)[ \t]*:|^[ \t]*"(?:apiVersion|kind)"[ \t]*:/m;

/** Helm's `# Source: chart/templates/x.yaml` comment at the top of each rendered document. */
const HELM_SOURCE_RE = /^# Source: (.+?)\s*$/m;

export function parseManifestText(file: string, text: string): ParsedManifest {
  const objects: ParsedObject[] = [];
  const problems: InputProblem[] = [];
  const counts: DocumentCounts = { notKubernetes: 0, syntaxErrors: 0, kindDocs: 0 };
  let chunks;
  try {
    chunks = splitDocuments(text);
  } catch (err) {
    return { objects, problems: [unexpected(file, 1, err)], ...counts, mentionsKind: false };
  }
  for (const chunk of chunks) {
    // Whatever goes wrong in one document (a bug, a RangeError from a value too large to copy)
    // costs that document, reported against it; the rest of the file and of the scan goes on.
    try {
      readDocument(file, chunk, objects, problems, counts);
    } catch (err) {
      problems.push(unexpected(file, chunk.line, err));
    }
  }
  return { objects, problems, ...counts, mentionsKind: counts.syntaxErrors > 0 && MENTIONS_KIND_RE.test(text) };
}

/** The `# Source:` comment among the comment lines before a document's content. */
function helmSourceOf(chunkText: string, linesBeforeContent: number): string | undefined {
  if (!chunkText.includes('# Source: ')) return undefined;
  const head = chunkText.split('\n', linesBeforeContent + 1).slice(0, linesBeforeContent).join('\n');
  return HELM_SOURCE_RE.exec(head)?.[1];
}

function unexpected(file: string, line: number, err: unknown): InputProblem {
  const what = err instanceof RangeError ? 'the document is too large or too deeply nested to read' : `could not read the document: ${(err as Error)?.message ?? String(err)}`;
  return { source: file, line, message: what, level: 'error' };
}

interface DocumentCounts {
  notKubernetes: number;
  syntaxErrors: number;
  kindDocs: number;
}

function readDocument(file: string, chunk: DocumentChunk, objects: ParsedObject[], problems: InputProblem[], counts: DocumentCounts): void {
  const parsed = parseDocument(chunk);
  if (!parsed.ok) {
    counts.syntaxErrors++;
    problems.push({ source: file, line: parsed.line, column: parsed.column, message: parsed.message, level: 'error' });
    return;
  }
  for (const w of parsed.warnings) {
    problems.push({ source: file, line: w.line, column: w.column, message: w.message, level: 'warning' });
  }
  const value = parsed.value;
  if (value === null || value === undefined) return; // an empty document, as kubectl skips it
  const contentLine = firstContentLine(chunk);
  const helmSource = helmSourceOf(chunk.text, contentLine - chunk.line);
  const entries = listItems(value) ?? [{ value, pathInDoc: [] as (string | number)[] }];
  for (const { value: item, pathInDoc } of entries) {
    const checked = keptForInventory(item);
    if ('problem' in checked) {
      if (!isMapping(item) || item.kind === undefined) counts.notKubernetes++;
      else counts.kindDocs++;
      const where = pathInDoc.length ? `items[${pathInDoc[1]}]: ` : '';
      problems.push({ source: file, line: contentLine, message: where + checked.problem, level: 'error' });
      continue;
    }
    counts.kindDocs++;
    // Keys this object repeats, with paths from the object (a List item's own fields).
    const duplicateKeys = parsed.duplicateKeys
      ?.filter((d) => pathInDoc.every((s, i) => d.path[i] === s))
      .map((d) => ({ ...d, path: d.path.slice(pathInDoc.length) }));
    objects.push({
      json: JSON.stringify(checked.kept),
      source: { file, doc: chunk.index, line: contentLine, pathInDoc, ...(helmSource ? { origin: helmSource } : {}), ...(duplicateKeys?.length ? { duplicateKeys } : {}) },
    });
  }
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

/** The file a rendered object came from, given its `# Source:` comment and its annotations. */
export type OriginOf = (sourceComment: string | undefined, annotations: Record<string, string>) => string | undefined;

/**
 * Adds what a parse found to an inventory; returns the next object id. `originOf` maps
 * rendered output's objects to the files they came from; `namespace` is the one objects
 * without a namespace will be installed into (--namespace), as `kubectl apply -n` and
 * `helm install --namespace` place them (helm template writes it only where a template says).
 */
export function addParsed(inventory: Inventory, parsed: ParsedManifest, nextId: number, originOf?: OriginOf, namespace?: string): number {
  inventory.problems.push(...parsed.problems);
  for (const { json, source } of parsed.objects) {
    const object = inventoryObjectFrom(JSON.parse(json) as Record<string, unknown>, source, nextId++);
    if (namespace && object.namespace === undefined && !CLUSTER_SCOPED_KINDS.has(object.kind)) object.namespace = namespace;
    // `# Source:` comments name templates only for a stream piped in from `helm template` (and
    // rendered charts); a file on disk is itself what the user edits: its findings keep its lines.
    const origin = originOf ? originOf(source.origin, object.annotations) : source.file === STDIN_NAME ? source.origin : undefined;
    if (origin) object.source.origin = origin;
    else delete object.source.origin;
    inventory.add(object);
  }
  return nextId;
}
