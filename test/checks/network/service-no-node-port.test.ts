// service-no-node-port: only type NodePort fails; ClusterIP, headless, ExternalName and
// LoadBalancer (judged by service-load-balancer-source-restricted) pass, whatever their ports.
import { serviceNoNodePort as check } from '../../../src/checks/network/service-no-node-port.js';
import { checkTester } from '../../check-tester.js';

const svc = (spec: string, name = 'web') => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop}
spec:
${spec.replace(/^/gm, '  ')}
`;

checkTester(check, {
  valid: [
    svc('ports: [{port: 80, targetPort: 8080}]'),
    svc('type: ClusterIP\nports: [{port: 80}]'),
    svc('clusterIP: None\nselector: {app: web}\nports: [{port: 80}]'),
    svc('type: ExternalName\nexternalName: db.example.com'),
    // A LoadBalancer allocates node ports too, but another check judges its exposure.
    svc('type: LoadBalancer\nloadBalancerSourceRanges: [203.0.113.0/24]\nports: [{port: 443, nodePort: 30443}]'),
    // The API server refuses a type spelled otherwise, so it is no NodePort.
    svc('type: nodeport\nports: [{port: 80}]'),
  ],
  invalid: [
    {
      yaml: svc('type: NodePort\nports:\n- {port: 80, targetPort: 8080, nodePort: 30080}\n- {port: 443, nodePort: 30443}'),
      findings: [{ path: 'spec.type', line: 5, column: 3, message: "type NodePort opens ports 30080, 30443 on every node's addresses" }],
    },
    {
      name: 'no nodePort given: the API server picks one from the range',
      yaml: svc('type: NodePort\nexternalTrafficPolicy: Local\nports: [{port: 80}]'),
      findings: [{ path: 'spec.type', line: 5, message: "type NodePort opens a port of the node-port range (30000–32767 by default) on every node's addresses" }],
    },
    {
      name: 'one port',
      yaml: svc('type: NodePort\nports: [{port: 80, nodePort: 31000}]', 'ingress-nginx-controller'),
      findings: [{ path: 'spec.type', message: "type NodePort opens port 31000 on every node's addresses" }],
    },
  ],
});
