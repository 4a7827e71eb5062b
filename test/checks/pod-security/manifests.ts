// Builders for the PSS check tests: a pod spec (flow-style YAML) as a Pod or as a workload template.

/** A Pod named p with the given spec and optional pod metadata fields (flow-style YAML). */
export function pod(spec: string, meta = ''): string {
  return `{apiVersion: v1, kind: Pod, metadata: {name: p${meta ? ', ' + meta : ''}}, spec: ${spec}}`;
}

/** A Deployment whose template has the given spec and template metadata; the controller's own metadata is separate. */
export function deployment(spec: string, templateMeta = '{}', controllerMeta = '{name: d}'): string {
  return `{apiVersion: apps/v1, kind: Deployment, metadata: ${controllerMeta}, spec: {selector: {}, template: {metadata: ${templateMeta}, spec: ${spec}}}}`;
}

/** A CronJob whose pod template has the given spec. */
export function cronJob(spec: string, templateMeta = '{}'): string {
  return `{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {metadata: ${templateMeta}, spec: ${spec}}}}}}`;
}
