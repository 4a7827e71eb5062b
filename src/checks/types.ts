// The shape of a check. One check per file: metadata and behaviour together, like an ESLint
// rule. docs/checks/ is generated from this metadata.

import type { Inventory } from '../inventory/inventory.js';
import type { Category, Finding, PatchOp, PssLevel, Severity } from '../result/result.js';
import type { ContainerListName, InventoryObject, PathSegment, PodTarget } from '../inventory/model.js';

/** A Result finding with the object and field path its check reported, so positions and fixes can be resolved afterwards. */
export interface LocatedFinding {
  finding: Finding;
  object: InventoryObject;
  path: PathSegment[];
}

/** One thing wrong with one object. */
export interface Violation {
  /** Path from the object root to the field at fault (or the nearest field that exists/should exist). */
  path: PathSegment[];
  /** What is wrong, naming the container or field, and what to write instead. */
  message: string;
  /** A remediation specific to this case; defaults to the check's remediation. */
  remediation?: string;
  fix?: PatchOp[];
  /** Inventory-scope checks name the object the violation belongs to. */
  object?: InventoryObject;
}

export interface CheckContext {
  pssLevel: PssLevel;
  /** `latest` or `v1.N`. */
  pssVersion: string;
  inventory: Inventory;
  /** Whether the user's config marks this pod's workload as untrusted. */
  isUntrusted(pod: PodTarget): boolean;
  /** Names of RuntimeClasses the user's config counts as sandboxed (gVisor, Kata…). */
  sandboxRuntimeClasses: string[];
  /** The labels and annotations the user's config requires (`requiredLabels`, `requiredAnnotations`). */
  requiredMetadata: RequiredMetadata[];
}

/** One required label or annotation: its key, optionally a pattern its value must match, and the kinds it applies to. */
export interface RequiredMetadata {
  in: 'labels' | 'annotations';
  key: string;
  /** A regular expression the whole value must match. */
  value?: string;
  /** Kinds it applies to; default: every kind that carries pods (workloads). */
  kinds?: string[];
}

export interface CheckMeta {
  /** Stable kebab-case id that says what the check wants, e.g. `container-runs-as-non-root`. */
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  /** Control references `FRAMEWORK:ID`: `cis:5.2.6`, `nsa:P9`, `pss:restricted/allowPrivilegeEscalation`. */
  controls: string[];
  /** Why it matters, in plain words. */
  rationale: string;
  /** What to change, in plain words. */
  remediation: string;
  /** What the check looks at, in plain words (for docs). */
  appliesTo: string;
  /** For Pod Security Standards checks: the PSA check this implements. */
  pss?: {
    level: PssLevel;
    /** PSA check id as in the Pod Security Admission library, e.g. `hostNamespaces`. */
    check: string;
    /** The restricted check that replaces this baseline check at the restricted level. */
    overriddenBy?: string;
  };
  /**
   * The id of a restricted-level check that reports everything this one would: at the
   * restricted level this check then stays quiet instead of repeating it (it still runs at
   * baseline, or when that check is disabled).
   */
  subsumedAtRestrictedBy?: string;
  /**
   * The status a failing check reports: `warn` for items a benchmark labels Manual (a human
   * must judge the finding), as kube-bench reports them. Default `fail`.
   */
  failStatus?: 'warn';
  /**
   * Kinds the check cannot decide without, beyond those it reads (the engine notices every
   * kind a check asks the inventory for). When a source could not read one of them (a 403
   * from a live cluster), the check is a skip that says so, never a pass.
   */
  needs?: string[];
  /**
   * For checks that look at containers: the lists they cover (init, regular, ephemeral) and why
   * the others are left out. The docs show it; test/checks/container-lists.test.ts proves it.
   */
  containers?: { covers: ContainerListName[]; why: string };
  /** Off unless the config enables it (for checks that need input from the user). */
  optIn?: boolean;
  /**
   * Passing and failing examples for the docs (YAML snippets), each run by the check tester
   * (test/checks/check-examples.test.ts), so they must decide the check on their own or with:
   */
  examples?: {
    pass: string;
    fail: string;
    /** Other objects both examples are judged beside (the Service that selects the pod, the ServiceAccount it names), as YAML documents. */
    beside?: string;
    /** The `.kubeharden.yaml` both examples are judged with, for checks that decide from the configuration. */
    config?: string;
  };
}

/** Looks at each pod spec (Pod and every pod template). */
export interface PodCheck extends CheckMeta {
  scope: 'pod';
  evaluate(pod: PodTarget, ctx: CheckContext): Violation[];
}

/** Looks at each object of the given kinds. */
export interface ObjectCheck extends CheckMeta {
  scope: 'object';
  kinds: string[];
  evaluate(obj: InventoryObject, ctx: CheckContext): Violation[];
}

export type InventoryOutcome =
  | {
      evaluated: number;
      violations: Violation[];
      /**
       * Failures reported line by line by another check (a CIS item whose EncryptionConfiguration
       * problem the secrets checks point at): they fail this check without a finding of its own.
       */
      failedElsewhere?: { count: number; reason: string };
    }
  | { skip: string }
  /** The check cannot be automated: what a human must look at. */
  | { manual: string };

/** Looks at the inventory as a whole (cross-object relations). */
export interface InventoryCheck extends CheckMeta {
  scope: 'inventory';
  evaluate(inventory: Inventory, ctx: CheckContext): InventoryOutcome;
}

export type Check = PodCheck | ObjectCheck | InventoryCheck;
