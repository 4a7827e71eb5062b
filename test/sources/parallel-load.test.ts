// Large inputs are parsed in worker threads; the inventory must be exactly what parsing the
// same files one by one in this thread gives: same objects, ids, sources and problems.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Inventory } from '../../src/inventory/inventory.js';
import { loadManifests } from '../../src/sources/manifests.js';
import { addParsed, parseManifestText } from '../../src/inventory/parse-manifest.js';
import { REPO_ROOT } from '../helpers.js';

test('the corpus (22.7 MiB, so parsed in workers) loads exactly as file-by-file parsing does', async () => {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real');
  const serial = new Inventory();
  let id = 0;
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    // Byte base 0: the corpus files are UTF-8 without a byte-order mark, read as they are, so
    // their objects record their documents' byte ranges as the file reader's do.
    id = addParsed(serial, parseManifestText(file, readFileSync(file, 'utf8'), 0), id);
  }
  const view = (inv: Inventory) => inv.objects.map((o) => [o.id, o.kind, o.namespace, o.name, o.source, JSON.stringify(o.raw)]);
  // Several times: a worker is given its next file before it answers the last, so its answers
  // may come back in either order (which once gave objects in another order now and then).
  for (let run = 0; run < 5; run++) {
    const { inventory: parallel } = await loadManifests([dir]);
    assert.equal(parallel.size, serial.size);
    assert.deepEqual(view(parallel), view(serial), `run ${run + 1}`);
    assert.deepEqual(parallel.problems, serial.problems);
    assert.equal(parallel.pods.length, serial.pods.length);
  }
});
