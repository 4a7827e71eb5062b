// A fixed pool of worker threads that judge request bodies, with a bound on every dimension a
// hostile request could stretch: a deadline per request (a worker past it is terminated and
// replaced), a memory limit per worker (one that runs out is replaced), and a bounded queue
// (past it, requests are answered 503 at once instead of waiting behind each other).

import { Worker } from 'node:worker_threads';
import type { Answer, DecideOptions } from './decide.js';

export interface PoolOptions {
  size: number;
  /** Longest a judgement may take before its worker is replaced and the request answered 500. */
  deadlineMs: number;
  /** Requests waiting for a worker; more are answered 503. */
  maxQueue: number;
  /** Heap of each worker (MiB). */
  maxHeapMb: number;
  /** The worker module; tests give one that fails, to prove a failure is never an `allowed`. */
  script?: URL;
  log: (line: string) => void;
}

interface Job {
  id: number;
  body: string;
  resolve: (answer: Answer) => void;
}

interface Slot {
  worker: Worker;
  /** Loaded (and warmed up): jobs go only to ready threads, so a deadline never counts a start. */
  isReady: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  ready: Promise<void>;
}

const internalError = (why: string): Answer => ({ status: 500, body: { error: `internal error in kubeharden webhook: ${why}` } });

export class JudgePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly judgeOptions: DecideOptions,
    private readonly options: PoolOptions,
  ) {
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  /** Resolves once every worker has loaded; rejects when the worker module cannot start. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  judge(body: string): Promise<Answer> {
    if (this.closed) return Promise.resolve(internalError('shutting down'));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.resolve({ status: 503, body: { error: `kubeharden webhook is overloaded: ${this.queue.length} requests waiting` } });
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, body, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve(internalError('shutting down'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.script ?? new URL('./judge-worker.js', import.meta.url), {
      workerData: this.judgeOptions,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
    });
    let markReady!: () => void;
    let failStart!: (err: Error) => void;
    const slot: Slot = {
      worker,
      isReady: false,
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
    };
    slot.ready.catch(() => undefined);
    worker.on('message', (m: { ready?: true; id?: number; answer?: Answer; error?: string }) => {
      if (m.ready) {
        slot.isReady = true;
        markReady();
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.finish(slot, m.answer ?? internalError(m.error ?? 'no answer'));
      if (m.error !== undefined) this.options.log(`kubeharden webhook: internal error: ${m.error}`);
    });
    // A worker that dies (out of memory, a crash) costs its request a 500, never an `allowed`; a new one takes its place.
    worker.on('error', (err) => {
      failStart(err);
      this.options.log(`kubeharden webhook: internal error in a judging thread: ${err.message}`);
      this.replace(slot, 'the judging thread failed');
    });
    worker.on('exit', () => {
      if (!this.closed) this.replace(slot, 'the judging thread stopped');
    });
    return slot;
  }

  private replace(slot: Slot, why: string): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    if (slot.job) this.finish(slot, internalError(why));
    void slot.worker.terminate();
    if (this.closed) return;
    this.slots[index] = this.spawn();
  }

  private finish(slot: Slot, answer: Answer): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    job?.resolve(answer);
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || !slot.isReady) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.timer = setTimeout(() => {
        this.options.log(`kubeharden webhook: a request took longer than ${this.options.deadlineMs} ms to judge; its thread is replaced`);
        this.replace(slot, `the request could not be judged within ${this.options.deadlineMs} ms`);
      }, this.options.deadlineMs);
      slot.worker.postMessage({ id: job.id, body: job.body });
    }
  }
}
