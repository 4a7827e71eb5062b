// Benchmark (not a test): the reachability matrix of a synthetic cluster of 2,000 workloads and
// 500 NetworkPolicies. Run: npm run build && node dist/bench/netpol.js [workloads] [policies]
// Prints the time to build the model and the matrix, the time of the network checks of a scan,
// and the peak memory.

import { Inventory } from '../src/inventory/inventory.js';
import { addText } from '../src/inventory/parse-manifest.js';
import { NetpolModel } from '../src/analysis/netpol/model.js';
import { reachabilityMatrix } from '../src/analysis/netpol/reach.js';
import { networkChecks } from '../src/checks/network/index.js';
import { runChecks } from '../src/engine/run.js';

const WORKLOADS = Number(process.argv[2] ?? 2000);
const POLICIES = Number(process.argv[3] ?? 500);
const NAMESPACES = 50;
const APPS = 20;

/** A deterministic pseudo-random sequence, so runs compare. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function syntheticYaml(): string {
  const rand = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const docs: unknown[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}`, labels: { team: `t${n % 7}`, env: n % 3 ? 'prod' : 'dev' } } });
  }
  for (let i = 0; i < WORKLOADS; i++) {
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w${i}`, namespace: `ns${i % NAMESPACES}` },
      spec: {
        template: {
          metadata: { labels: { app: `app${i % APPS}`, tier: pick(['web', 'api', 'db', 'cache']), 'pod-template-hash': `h${i}` } },
          spec: { containers: [{ name: 'c', image: 'registry.example/app:1', ports: [{ name: 'http', containerPort: 8000 + (i % 50) }, { name: 'metrics', containerPort: 9090 }] }] },
        },
      },
    });
  }
  for (let p = 0; p < POLICIES; p++) {
    const ns = `ns${p % NAMESPACES}`;
    const kind = p % 5;
    const spec =
      kind === 0
        ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }
        : kind === 1
          ? { podSelector: { matchLabels: { app: `app${p % APPS}` } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }] }
          : kind === 2
            ? {
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'db'] }] },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${p % 7}` } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [`app${p % APPS}`] }] } }], ports: [{ port: 8000, endPort: 8025 }] }],
              }
            : kind === 3
              ? { podSelector: { matchLabels: { tier: 'cache' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 'metrics' }, { protocol: 'UDP', port: 53 }] }] }
              : { podSelector: { matchLabels: { app: `app${p % APPS}` } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] };
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${p}`, namespace: ns }, spec });
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

const text = syntheticYaml();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const inventory = new Inventory();
addText(inventory, 'synthetic.yaml', text, 0);
const t1 = performance.now();
const model = new NetpolModel(inventory);
const matrix = reachabilityMatrix(model);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

let open = 0;
let partial = 0;
for (const row of matrix) for (const cell of row) cell.sure.isAll ? open++ : cell.sure.isEmpty ? 0 : partial++;
const cells = matrix.length * matrix.length;
console.log(`workloads ${model.workloads.length}, policies ${model.policies.length} (${model.invalidPolicies.length} invalid), cells ${cells}`);
console.log(`parse ${(t1 - t0).toFixed(0)} ms; model + matrix ${(t2 - t1).toFixed(0)} ms (${((cells / (t2 - t1)) * 1000).toFixed(0)} cells/s)`);
console.log(`CPU time (user + system, steadier than wall time on a busy machine): ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
console.log(`cells: ${open} all ports, ${partial} some ports, ${cells - open - partial} none`);
const t3 = performance.now();
const scan = runChecks(inventory, networkChecks, { type: 'manifests' }).result;
const t4 = performance.now();
console.log(`network checks of a scan: ${(t4 - t3).toFixed(0)} ms (${scan.findings.length} findings)`);
console.log(`peak memory (rss) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
