// Node checks: CIS items that read a host (process flags, config files, file modes) rather
// than one Kubernetes object. Each is also an InventoryCheck, so the same item runs in a
// manifest scan on static pod manifests and KubeletConfiguration files, and `checks list`
// shows it with every other check.

import type { Evidence } from '../../result/result.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { SettingLocation } from '../../analysis/flags/settings.js';
import type { NodeFacts } from '../../inventory/node-facts.js';
import { factsFromInventory } from '../../analysis/flags/node-facts-from-inventory.js';
import { controlsOfCisItem } from './nsa-controls.js';
import type { CheckMeta, InventoryCheck, InventoryOutcome, Violation } from '../types.js';
import type { PatchOp } from '../../result/result.js';

export type NodeStatus = 'pass' | 'fail' | 'warn' | 'manual' | 'skip';

export interface NodeFinding {
  message: string;
  resource: { kind: string; name: string; namespace?: string };
  location: SettingLocation;
  fix?: PatchOp[];
}

export interface NodeOutcome {
  status: NodeStatus;
  /** Why this status, in words; for manual items what a human must look at. */
  reason: string;
  evidence: Evidence[];
  findings: NodeFinding[];
  /** Components or files evaluated. */
  evaluated: number;
  /** Instances that failed, when not every failure has a finding (see InstanceVerdict.lineLevelElsewhere). */
  failed?: number;
}

export interface CisItem {
  /** `1.2.15` */
  id: string;
  /** As the benchmark labels it. A failing Manual item reports warn, never fail. */
  automated: boolean;
}

/** What a row of an item table (setting or file template) says about its CIS item. */
export interface ItemRow {
  id: string;
  /** CIS item id, `1.2.15`. */
  cis: string;
  automated: boolean;
  title: string;
  severity: CheckMeta['severity'];
  category?: CheckMeta['category'];
  rationale: string;
  remediation: string;
  /** Control references when the item is not a CIS Kubernetes item (`cis-eks:3.2.1`); default `cis:ID` and its NSA items. */
  controls?: string[];
}

export interface NodeCheck extends InventoryCheck {
  cis: CisItem;
  evaluateNode(facts: NodeFacts): NodeOutcome;
}

export type NodeCheckDefinition = Omit<CheckMeta, 'controls'> & { cis: CisItem; controls?: string[]; evaluateNode(facts: NodeFacts): NodeOutcome };

/** Builds a node check whose manifest-scan form runs the same evaluation on facts read from the inventory. */
export function defineNodeCheck(def: NodeCheckDefinition): NodeCheck {
  return {
    ...def,
    controls: def.controls ?? controlsOfCisItem(def.cis.id),
    ...(def.cis.automated ? {} : { failStatus: 'warn' as const }),
    scope: 'inventory',
    evaluate(inventory: Inventory): InventoryOutcome {
      const outcome = def.evaluateNode(factsFromInventory(inventory));
      if (outcome.status === 'manual') return { manual: outcome.reason };
      if (outcome.status === 'skip') return { skip: outcome.reason };
      const violations: Violation[] = [];
      for (const f of outcome.findings) {
        if (!f.location.object || !f.location.segments) continue;
        violations.push({ path: f.location.segments, message: f.message, object: f.location.object, ...(f.fix ? { fix: f.fix } : {}) });
      }
      // Failures without an object of the input to point at: found in a file another check
      // reports line by line (lineLevelElsewhere). They still decide this item.
      const unlocated = outcome.status === 'pass' ? 0 : Math.max(0, (outcome.failed ?? outcome.findings.length) - violations.length);
      if (outcome.status !== 'pass' && violations.length === 0 && unlocated === 0) return { skip: outcome.reason };
      return { evaluated: outcome.evaluated, violations, ...(unlocated ? { failedElsewhere: { count: unlocated, reason: outcome.reason } } : {}) };
    },
  };
}

/** The status a failed test gives: fail for Automated items, warn for Manual ones (as kube-bench reports them). */
export function failStatus(cis: CisItem): NodeStatus {
  return cis.automated ? 'fail' : 'warn';
}
