// kubeharden as a library: `import { scan, scanCluster, checks } from 'kubeharden'`.
// The CLI is a thin layer over exactly these functions; the Result they return is the same
// object `--format json` prints (schemaVersion 1), and the renderers turn it into the formats.

export { scanManifests as scan, scanManifests, type ScanManifestsOptions as ScanOptions } from './engine/scan.js';
export { scanCluster, scanSnapshot, type ScanClusterOptions, type NodeAuditOptions } from './engine/scan-cluster.js';
export { FRAMEWORKS, type Framework, type EngineOptions } from './engine/run.js';
export { blockingFindings, type FailOn } from './result/fail-on.js';
export {
  RESULT_SCHEMA_VERSION,
  type Result,
  type CheckResult,
  type CheckStatus,
  type Finding,
  type InputError,
  type Location,
  type ResourceRef,
  type Evidence,
  type FrameworkScore,
  type NodeCheckOutcome,
  type NodeAuditRecord,
} from './result/result.js';
export { SEVERITIES, type Severity, type PatchOp, type Category, type PssLevel } from './result/result.js';
export type { Check, CheckMeta } from './checks/types.js';
export { ALL_CHECKS as checks, CHECK_CATALOG as checkCatalog, findCheck } from './checks/index.js';
export { renderSarif, type SarifOptions } from './report/sarif.js';
export { renderJunit, type JunitOptions } from './report/junit.js';
export { renderMarkdown, type MarkdownOptions } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderJson } from './report/json.js';
export { renderPolicyReports, buildPolicyReports, type PolicyReportOptions } from './report/policyreport.js';
export { renderOpenReports, buildOpenReports } from './report/openreports.js';
export { renderCodeQuality, buildCodeQuality, type CodeQualityIssue } from './report/gitlab.js';
export { FRAMEWORK_EDITIONS } from './report/frameworks.js';
export { TOOL_VERSION as version } from './version.js';
