// A worker thread of the judging pool (pool.ts): request bodies in, answers out. Judging here
// keeps the server's event loop free, so one large request never delays the others' bytes.

import { parentPort, workerData } from 'node:worker_threads';
import { answerReview, type DecideOptions } from './decide.js';

const options = workerData as DecideOptions;

parentPort!.on('message', (job: { id: number; body: string }) => {
  try {
    parentPort!.postMessage({ id: job.id, answer: answerReview(job.body, options) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error)?.message ?? String(err) });
  }
});
// One judgement before saying ready, so the first real request does not pay for compiling the checks.
answerReview(
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'warm-up', operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'warm-up' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  }),
  options,
);
parentPort!.postMessage({ ready: true });
