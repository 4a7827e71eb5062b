// Generated NetworkPolicies as one multi-document YAML file: each policy preceded by a comment
// saying why it is there, and each rule written from evidence by the flows it covers.

import { Document, isNode } from 'yaml';
import type { GeneratedPolicy } from './generate-netpol.js';

export function netpolYaml(generated: GeneratedPolicy[]): string {
  return generated
    .map((g) => {
      // YAML 1.1, as kubectl reads it: a label value such as "yes", "on" or "0644" must come out quoted.
      const doc = new Document(g.policy, { version: '1.1' });
      doc.commentBefore = (g.proposal ? ' PROPOSAL — review before applying.\n ' : ' ') + g.reason;
      for (const { path, comment } of g.ruleComments ?? []) {
        const node = doc.getIn(path, true);
        if (isNode(node)) node.commentBefore = comment;
      }
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
