// The main thread's side of connection-worker.ts: the official client runs in a thread of its
// own, which loads the kubeconfig and sends requests; this side asks and gets answers. The
// thread stops on close(), and its memory (~80 MiB, most of it the client's generated API)
// goes back to the system before a scan's checks start.

import type http from 'node:http';
import { Worker } from 'node:worker_threads';
import { ClusterSourceError } from './errors.js';

/** What to load: the kubeconfig options of kubeconfig.ts, with the environment copied. */
export interface LoadRequest {
  kubeconfig?: string;
  context?: string;
  env: Record<string, string | undefined>;
  home?: string;
}

/** What the loaded kubeconfig says, for messages. */
export interface LoadedDescription {
  /** The context used, or the in-cluster one. */
  context: string;
  /** The API server URL. */
  server: string;
  /** Where the configuration came from. */
  origin: string;
  /** The name of the context's user entry. */
  user: string;
}

export interface ConnectionRequest {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  payload?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** `GET /api/v1/pods`, for messages. */
  what: string;
}

export interface ConnectionAnswer {
  id: number;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: ArrayBuffer;
}

export interface ConnectionFailure {
  id: number;
  error: {
    /** prepare: the credentials could not be applied; network: the connection failed (code is Node's); failed/too-large: see the message. */
    kind: 'prepare' | 'network' | 'failed' | 'too-large';
    message: string;
    code?: string;
  };
}

type Pending = { resolve: (answer: ConnectionAnswer) => void; reject: (failure: ConnectionFailure['error']) => void };

export class Connection {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped: string | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly description: LoadedDescription,
  ) {
    worker.on('message', (m: ConnectionAnswer | ConnectionFailure) => {
      const waiting = this.pending.get(m.id);
      if (!waiting) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in m) waiting.reject(m.error);
      else waiting.resolve(m);
    });
    const stop = (why: string) => {
      this.stopped ??= why;
      for (const waiting of this.pending.values()) waiting.reject({ kind: 'failed', message: why });
      this.pending.clear();
    };
    worker.on('error', (err) => stop(`the connection thread failed: ${err?.message ?? String(err)}`));
    worker.on('exit', () => stop('the connection was closed'));
    // Idle, the thread does not keep the process alive: a caller that forgets close() still ends.
    worker.unref();
  }

  /** Starts the thread and loads the kubeconfig there; throws ClusterSourceError naming what is wrong with it. */
  static async open(request: LoadRequest): Promise<Connection> {
    // No flags of the main thread's: some cannot start a thread (--input-type), and none is needed.
    const worker = new Worker(new URL('./connection-worker.js', import.meta.url), { workerData: request, execArgv: [] });
    let onMessage!: (m: { loaded?: LoadedDescription; loadFailed?: string }) => void;
    let onError!: (err: Error) => void;
    let onExit!: (code: number) => void;
    const first = await new Promise<{ loaded?: LoadedDescription; loadFailed?: string }>((resolve) => {
      onMessage = resolve;
      onError = (err) => resolve({ loadFailed: `the kubeconfig could not be loaded: ${err?.message ?? String(err)}` });
      onExit = (code) => resolve({ loadFailed: `the kubeconfig could not be loaded: its thread stopped (exit code ${code})` });
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    });
    // Only these: removeAllListeners() would also take the worker's own, and no answer would arrive.
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    if (!first.loaded) {
      await worker.terminate();
      throw new ClusterSourceError(first.loadFailed ?? 'the kubeconfig could not be loaded');
    }
    return new Connection(worker, first.loaded);
  }

  /** Sends one request; rejects with ConnectionFailure['error']. */
  send(request: Omit<ConnectionRequest, 'id'>): Promise<ConnectionAnswer> {
    if (this.stopped) return Promise.reject({ kind: 'failed', message: `${request.what}: ${this.stopped}` } satisfies ConnectionFailure['error']);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Kept alive while an answer is awaited.
      this.worker.ref();
      this.worker.postMessage({ ...request, id } satisfies ConnectionRequest);
    });
  }

  /** Stops the thread: its connections close and its memory is released. */
  close(): void {
    this.stopped ??= 'the connection was closed';
    void this.worker.terminate();
  }
}
