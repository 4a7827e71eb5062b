// The thread that holds the official client (@kubernetes/client-node): it loads the kubeconfig
// (contexts, client certificates, bearer tokens, exec credential plugins, OIDC, proxies work as
// they do for kubectl) and sends the requests the main thread asks for with its credentials.
//
// Why a thread of its own: importing the client costs ~80 MiB of memory (its kubeconfig module
// imports the whole generated API), which a scan of a large cluster would otherwise carry
// through its checks; a thread's memory goes back to the system when the read ends and the
// thread stops (connection.ts). Credentials stay in this thread: the main thread sees answers.
//
// In: workerData (what to load); then { id, url, method, headers, payload?, timeoutMs, maxResponseBytes, what }.
// Out: { loaded: { context, server, origin, user } } or { loadFailed: message } first; then for
// each request { id, status, headers, body } (body an ArrayBuffer, transferred) or { id, error }.

import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterSourceError } from './errors.js';
import type { ConnectionRequest, ConnectionAnswer, ConnectionFailure, LoadRequest, LoadedDescription } from './connection.js';

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

class TooLarge extends Error {}
class Failed extends Error {}

async function main(): Promise<void> {
  let kc: KubeConfig;
  let description: LoadedDescription;
  try {
    ({ kc, description } = await load(workerData as LoadRequest));
  } catch (err) {
    parentPort!.postMessage({ loadFailed: err instanceof ClusterSourceError ? err.message : `the kubeconfig could not be loaded: ${(err as Error)?.message ?? String(err)}` });
    return;
  }
  parentPort!.postMessage({ loaded: description });
  const sender = new Sender(kc, description);
  parentPort!.on('message', (request: ConnectionRequest) => {
    sender.send(request).then(
      (answer) => parentPort!.postMessage(answer, [answer.body]),
      (error: ConnectionFailure['error']) => parentPort!.postMessage({ id: request.id, error } satisfies ConnectionFailure),
    );
  });
}

async function load(request: LoadRequest): Promise<{ kc: KubeConfig; description: LoadedDescription }> {
  const env = request.env;
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  let origin: string;
  if (request.kubeconfig !== undefined) {
    origin = request.kubeconfig;
    loadFile(kc, request.kubeconfig);
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== '');
    origin = `$KUBECONFIG (${files.join(path.delimiter)})`;
    loadFile(kc, files[0]!);
    for (const file of files.slice(1)) {
      const more: KubeConfig = new KubeConfig();
      loadFile(more, file);
      kc.mergeConfig(more);
    }
  } else if (existsSync(path.join(request.home ?? os.homedir(), '.kube', 'config'))) {
    origin = path.join(request.home ?? os.homedir(), '.kube', 'config');
    loadFile(kc, origin);
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    if (request.context) throw new ClusterSourceError(`--context ${request.context} was given, but there is no kubeconfig: running in a cluster, only its ServiceAccount can be used`);
    kc.loadFromCluster();
    origin = 'the in-cluster ServiceAccount';
  } else {
    throw new ClusterSourceError(
      'no kubeconfig found: give --kubeconfig FILE, set $KUBECONFIG, create ~/.kube/config, or run kubeharden in a pod (in-cluster ServiceAccount)',
    );
  }

  if (request.context !== undefined) {
    if (!kc.getContextObject(request.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ClusterSourceError(
        `context "${request.context}" is not in ${origin}` + (known.length ? `; its contexts are: ${known.join(', ')}` : '; it has no contexts'),
      );
    }
    kc.setCurrentContext(request.context);
  }
  const context = kc.getCurrentContext();
  if (!context) throw new ClusterSourceError(`${origin} sets no current-context; choose one with --context`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    const clusterName = kc.getContextObject(context)?.cluster;
    throw new ClusterSourceError(`context "${context}" in ${origin} names cluster "${clusterName ?? ''}", which is not defined there`);
  }
  if (!cluster.server) throw new ClusterSourceError(`cluster "${cluster.name}" in ${origin} has no server URL`);
  return { kc, description: { context, server: cluster.server, origin, user: kc.getCurrentUser()?.name ?? '' } };
}

function loadFile(kc: KubeConfig, file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ClusterSourceError(`kubeconfig ${file} does not exist`);
  }
  if (!isFile) throw new ClusterSourceError(`kubeconfig ${file} is not a file`);
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new ClusterSourceError(`kubeconfig ${file} could not be read: ${(err as Error).message}`);
  }
}

/** Makes requests with the kubeconfig's connection settings, one kept-alive agent for all. */
class Sender {
  private agent: http.Agent | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly description: LoadedDescription,
  ) {}

  async send(request: ConnectionRequest): Promise<ConnectionAnswer> {
    const url = new URL(request.url);
    // Credentials can take a process (an exec plugin) or a request (OIDC refresh) that never
    // answers: they get the request's deadline too, and the request then its own.
    let deadline: NodeJS.Timeout | undefined;
    const options = await Promise.race([
      this.options(request, url),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () =>
            reject({
              kind: 'prepare',
              message: `could not prepare the connection (credentials of user "${this.description.user}") for context "${this.description.context}": no credentials within ${formatSeconds(request.timeoutMs)} (an exec credential plugin or token provider that does not answer)`,
            } satisfies ConnectionFailure['error']),
          request.timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(deadline));
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (err instanceof TooLarge) reject({ kind: 'too-large', message: err.message });
        else if (err instanceof Failed) reject({ kind: 'failed', message: err.message });
        else reject({ kind: 'network', message: err.message, code: (err as NodeJS.ErrnoException).code });
      };
      const req = (url.protocol === 'https:' ? https.request : http.request)(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > request.maxResponseBytes) {
          req.destroy(new TooLarge(`${request.what}: the answer is ${declared} bytes, over the ${request.maxResponseBytes} bytes read at once`));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxResponseBytes) req.destroy(new TooLarge(`${request.what}: the answer is over the ${request.maxResponseBytes} bytes read at once`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          // A body of its own (not a slice of Node's shared pool), so it can be moved, not copied, to the main thread.
          const body = new ArrayBuffer(size);
          const view = new Uint8Array(body);
          let at = 0;
          for (const chunk of chunks) {
            view.set(chunk, at);
            at += chunk.length;
          }
          resolve({ id: request.id, status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => {
        req.destroy(new Failed(`${request.what}: no complete answer from ${this.description.server} within ${formatSeconds(request.timeoutMs)} (the server hung)`));
      }, request.timeoutMs);
      req.on('error', fail);
      req.end(request.payload);
    });
  }

  private async options(request: ConnectionRequest, url: URL): Promise<https.RequestOptions> {
    const options: https.RequestOptions = { method: request.method, headers: { ...request.headers } };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (err) {
      throw {
        kind: 'prepare',
        message: `could not prepare the connection (credentials of user "${this.description.user}") for context "${this.description.context}": ${(err as Error).message}`,
      } satisfies ConnectionFailure['error'];
    }
    // The client makes a new agent on every call; keeping the first one keeps its connections
    // (one TLS handshake per connection, not per page). Headers are still fresh each time, as an
    // exec plugin's or OIDC token may have been renewed.
    if (url.protocol === 'http:') delete options.agent;
    else if (!this.agent && options.agent instanceof http.Agent) {
      // Node reads keepAlive when a request finishes, so set after construction it takes effect.
      this.agent = Object.assign(options.agent, { keepAlive: true });
    }
    if (this.agent) options.agent = this.agent;
    return options;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

void main();
