import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli/run-cli.js';

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: app
  annotations:
    kubeharden.io/ignore: "container-read-only-root-filesystem: needs a writable /data <for now> & \\"ok\\""
spec:
  containers:
  - {name: c, image: nginx:1.27}
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: app}
spec:
  containers:
  - {name: c, image: nginx:1.27}
`;

test('SARIF 2.1.0: rules, results with regions, fingerprints, suppressions for exceptions', async () => {
  const run = await runCli(['scan', '-', '--format', 'sarif', '--fail-on', 'none'], { input: PODS });
  const sarif = JSON.parse(run.stdout);
  assert.equal(sarif.version, '2.1.0');
  const [runObj] = sarif.runs;
  assert.equal(runObj.tool.driver.name, 'kubeharden');
  const rule = runObj.tool.driver.rules.find((r: { id: string }) => r.id === 'container-read-only-root-filesystem');
  assert.ok(rule.properties.tags.includes('nsa:P3'));
  const results = runObj.results.filter((r: { ruleId: string }) => r.ruleId === 'container-read-only-root-filesystem');
  assert.equal(results.length, 2);
  assert.deepEqual(results[1].locations[0].physicalLocation, { artifactLocation: { uri: 'stdin' }, region: { startLine: 17, startColumn: 5 } });
  assert.equal(results[0].suppressions[0].justification, 'needs a writable /data <for now> & "ok"');
  assert.equal(results[1].suppressions, undefined);
  assert.match(results[0].partialFingerprints['kubeharden/v1'], /^[0-9a-f]{16}$/);
});

test('JUnit XML: a test case per check, failures list findings, XML is escaped', async () => {
  const run = await runCli(['scan', '-', '--format', 'junit', '--fail-on', 'low'], { input: PODS.replace('name: q', 'name: "q<&>"') });
  assert.match(run.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="kubeharden"/);
  // The excepted finding (pod p) does not fail the case; it is listed in system-out.
  assert.match(run.stdout, /<testcase name="container-read-only-root-filesystem: Containers run with a read-only root filesystem" classname="kubeharden.workload" file="&lt;stdin&gt;" line="10" time="0"><failure message="1 finding\(s\) at or above --fail-on low, severity low" type="low">&lt;stdin&gt;:17:5 low Pod app\/q&lt;&amp;&gt;: container "c" does not set[^<]*<\/failure><system-out>&lt;stdin&gt;:10:5 low Pod app\/p: [^<]*\(excepted: needs a writable \/data &lt;for now&gt; &amp; "ok"\)<\/system-out>/);
  assert.doesNotMatch(run.stdout, /<&>/);
});
