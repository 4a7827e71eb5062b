// Manifest snippets the network check tests share. JSON flow values keep YAML 1.1 from reading
// names like `y` or `on` as booleans.

export interface DeploymentOptions {
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

export function deployment(namespace: string, name: string, options: DeploymentOptions = {}): string {
  const container = { name: 'main', image: 'registry.example/app:1.0.0', ...(options.ports ? { ports: options.ports } : {}) };
  return `
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template:
    metadata: {labels: ${JSON.stringify(options.labels ?? { app: name })}}
    spec:
      containers: [${JSON.stringify(container)}]
`;
}

/** A NetworkPolicy document; `spec` is YAML flow text. */
export function networkPolicy(namespace: string, name: string, spec: string): string {
  return `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
`;
}
