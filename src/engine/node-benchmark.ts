// Which benchmark a node audit runs, and how the Result says so (`target.benchmark`): its name
// and title, whether it was detected or chosen, the distribution and the evidence for it, and
// the sections the provider runs.

import { BENCHMARKS, findBenchmark, type Benchmark } from '../checks/node/benchmarks.js';
import type { NodeFacts } from '../inventory/node-facts.js';

export function benchmarkOf(facts: NodeFacts): Benchmark {
  const name = facts.platform?.benchmark.name;
  return (name ? findBenchmark(name) : undefined) ?? BENCHMARKS[0]!;
}

export function benchmarkTarget(facts: NodeFacts, benchmark: Benchmark): Record<string, unknown> {
  const platform = facts.platform;
  return {
    name: benchmark.name,
    title: benchmark.title,
    how: platform?.benchmark.how ?? 'detected',
    ...(platform ? { distribution: platform.distribution, ...(platform.flavour ? { flavour: platform.flavour } : {}), ...(platform.role ? { role: platform.role } : {}), evidence: platform.evidence } : {}),
    ...(platform?.datastore ? { datastore: platform.datastore.kind } : {}),
    ...(benchmark.providerManaged ? { providerManaged: benchmark.providerManaged } : {}),
    source: benchmark.source,
  };
}
