// Progress of a long manifest scan on stderr: only on a terminal, only once the scan has taken
// more than a moment, never with --quiet. stdout keeps only the report.

export interface ScanProgress {
  files: number;
  objects: number;
  stage: string;
}

const SHOW_AFTER_MS = 1500;
const EVERY_MS = 250;

/** Starts showing `counters` on stderr when it is a terminal; call the returned stop() when done. */
export function startProgress(counters: ScanProgress, quiet: boolean, stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr, showAfterMs = SHOW_AFTER_MS): () => void {
  if (quiet || !stream.isTTY) return () => {};
  let shown = false;
  const draw = () => {
    shown = true;
    stream.write(`\r\x1b[K${counters.stage}: ${counters.files} file${counters.files === 1 ? '' : 's'} read, ${counters.objects} objects`);
  };
  let timer: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    draw();
    timer = setInterval(draw, EVERY_MS);
    timer.unref();
  }, showAfterMs);
  delay.unref();
  return () => {
    clearTimeout(delay);
    if (timer) clearInterval(timer);
    if (shown) stream.write('\r\x1b[K');
  };
}
