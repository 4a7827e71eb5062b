// Polaris hpaMinAvailability and hpaMaxAvailability: an autoscaler whose minimum is one replica
// scales the workload down to a single point of failure; one whose maximum is not above its
// minimum cannot scale.

import { isMapping } from '../../inventory/model.js';
import type { ObjectCheck, Violation } from '../types.js';

export const hpaScalesSafely: ObjectCheck = {
  id: 'hpa-scales-safely',
  title: 'HorizontalPodAutoscalers keep at least two replicas and can scale',
  severity: 'low',
  category: 'reliability',
  controls: [],
  rationale: 'minReplicas defaults to 1, so at quiet times the workload runs one pod and a single eviction is an outage; a maxReplicas not above minReplicas leaves nothing to scale.',
  remediation: 'Set minReplicas to 2 or more and maxReplicas above it.',
  appliesTo: 'HorizontalPodAutoscalers (autoscaling/v1 and v2)',
  scope: 'object',
  kinds: ['HorizontalPodAutoscaler'],
  examples: { pass: 'spec:\n  minReplicas: 2\n  maxReplicas: 10', fail: 'spec:\n  maxReplicas: 10   # minReplicas defaults to 1' },
  evaluate(obj) {
    const spec = obj.raw.spec;
    if (!isMapping(spec) || obj.group !== 'autoscaling') return [];
    const out: Violation[] = [];
    const min = spec.minReplicas === undefined || spec.minReplicas === null ? 1 : spec.minReplicas;
    if (typeof min === 'number' && min < 2) {
      out.push({ path: ['spec', 'minReplicas'], message: spec.minReplicas === undefined ? 'minReplicas is not set, so it defaults to 1' : `minReplicas is ${min}` });
    }
    if (typeof min === 'number' && typeof spec.maxReplicas === 'number' && spec.maxReplicas <= min) {
      out.push({ path: ['spec', 'maxReplicas'], message: `maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}, so it cannot scale` });
    }
    return out;
  },
};
