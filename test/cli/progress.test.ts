import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgress } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => (written.push(s), true) } as never, written };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

test('progress: on a terminal, files and objects on one line, cleared at the end', async () => {
  const { stream, written } = fakeStream(true);
  const counters = { files: 3, objects: 10, stage: 'reading manifests' };
  const stop = startProgress(counters, false, stream, 0);
  await tick();
  stop();
  assert.ok(written.some((w) => w === '\r\x1b[Kreading manifests: 3 files read, 10 objects'), JSON.stringify(written));
  assert.equal(written[written.length - 1], '\r\x1b[K');
});

test('progress: nothing when stderr is not a terminal, or with --quiet', async () => {
  for (const [isTTY, quiet] of [[false, false], [true, true]] as const) {
    const { stream, written } = fakeStream(isTTY);
    const stop = startProgress({ files: 1, objects: 1, stage: 's' }, quiet, stream, 0);
    await tick();
    stop();
    assert.deepEqual(written, []);
  }
});
