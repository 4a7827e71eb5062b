// Which kinds carry pod specs, and exactly where. The built-in kinds follow spec/pss.md; the
// custom resources follow the Go types of each project, cited next to each entry, so that a
// path here is never a guess. Matched by kind, API group and (for custom resources) the API
// versions whose shape was checked: a `kind: Service` of serving.knative.dev or an unknown
// group's `RayCluster` is left alone.
//
// Deliberately not here:
// - Argo Workflows (Workflow, CronWorkflow, WorkflowTemplate): a template is not a pod spec. Its
//   `container`, `script` or `containerSet` is merged with pod-level fields spread over the
//   template and the workflow spec (securityContext, hostNetwork, serviceAccountName,
//   templateDefaults, a podSpecPatch string), and the controller adds its own `init` and `wait`
//   containers configured in its ConfigMap. None of that maps onto one pod spec exactly.
// - Knative Service (serving.knative.dev): spec.template.spec inlines a PodSpec, but Knative's
//   webhook admits only a subset of its fields, and its `secure-pod-defaults` setting (per
//   cluster; its default changes in Knative 1.21) fills in the restricted-profile fields.
//   Whether a Knative pod lacks them cannot be told from the manifest.

import type { InventoryObject, OperatorServiceAccount, PathSegment } from './model.js';
import { isMapping } from './model.js';

/** One step of a template location: a field, every item of a list, or every value of a map. */
export type LocationSegment = string | typeof EVERY_ITEM | typeof EVERY_VALUE;
export const EVERY_ITEM = Symbol('every list item');
export const EVERY_VALUE = Symbol('every map value');

/** Where one pod template of a kind sits. */
export interface TemplateLocation {
  /** Path to the part the template belongs to (a worker group, a replica spec); [] for the object root. */
  at: LocationSegment[];
  /** Path from that part to the PodTemplateSpec (metadata + spec); [] when the part is the template. */
  template: string[];
  /** For operators that name the pods' ServiceAccount when the template names none. */
  serviceAccount?: (object: InventoryObject, partPath: PathSegment[]) => OperatorServiceAccount | undefined;
}

export interface PodBearingKind {
  groups: string[];
  /** API versions whose shape was checked; undefined for built-in kinds (every served version has it). */
  versions?: string[];
  templates: TemplateLocation[];
}

/** `spec.workerGroupSpecs[*]` → segments; `[*]` is every list item, `{*}` every map value. */
function location(at: string, template = '', serviceAccount?: TemplateLocation['serviceAccount']): TemplateLocation {
  const segments: LocationSegment[] = [];
  for (const part of at.split('.').filter(Boolean)) {
    const each = part.endsWith('[*]') ? EVERY_ITEM : part.endsWith('{*}') ? EVERY_VALUE : undefined;
    segments.push(each ? part.slice(0, -3) : part);
    if (each) segments.push(each);
  }
  return { at: segments, template: template.split('.').filter(Boolean), ...(serviceAccount ? { serviceAccount } : {}) };
}

const WORKLOAD_TEMPLATE = [location('spec', 'template')];

// KubeRay: RayClusterSpec{HeadGroupSpec{Template PodTemplateSpec}, WorkerGroupSpecs []{Template}}
// (ray-project/kuberay ray-operator/apis/ray/v1/raycluster_types.go, same in v1alpha1). RayJob
// carries one at spec.rayClusterSpec plus spec.submitterPodTemplate (rayjob_types.go), RayService
// at spec.rayClusterConfig (rayservice_types.go).
function rayClusterTemplates(prefix: string, clusterName: (object: InventoryObject) => string | undefined): TemplateLocation[] {
  return [
    location(`${prefix}.headGroupSpec`, 'template', (object, partPath) => kubeRayHeadServiceAccount(object, partPath, clusterName)),
    location(`${prefix}.workerGroupSpecs[*]`, 'template'),
  ];
}

/**
 * With in-tree autoscaling, KubeRay gives the head pod the ServiceAccount the template names,
 * else one named after the RayCluster, and binds the autoscaler's Role to it
 * (controllers/ray/common/pod.go DefaultHeadPodTemplate, utils.GetHeadGroupServiceAccountName,
 * utils.IsAutoscalingEnabled: `enableInTreeAutoscaling: true`).
 */
function kubeRayHeadServiceAccount(
  object: InventoryObject,
  headPath: PathSegment[],
  clusterName: (object: InventoryObject) => string | undefined,
): OperatorServiceAccount | undefined {
  let clusterSpec: unknown = object.raw;
  for (const seg of headPath.slice(0, -1)) clusterSpec = isMapping(clusterSpec) ? clusterSpec[seg as string] : undefined;
  if (!isMapping(clusterSpec) || clusterSpec.enableInTreeAutoscaling !== true) return undefined;
  const name = clusterName(object);
  return {
    ...(name !== undefined ? { name } : {}),
    reason: 'KubeRay runs the autoscaler sidecar in the head pod under a ServiceAccount of its own (enableInTreeAutoscaling: true)',
  };
}

/** KubeRay's utils.CheckName: the last 50 characters, and an "r" for a leading digit or punctuation. */
export function kubeRayCheckName(name: string): string {
  let s = name.length > 50 ? name.slice(name.length - 50) : name;
  if (/^[0-9!"#%&'()*,\-./:;?@[\\\]_{}]/.test(s)) s = 'r' + s.slice(1);
  return s;
}

// Kubeflow training operator (kubeflow/training-operator pkg/apis/kubeflow.org/v1): every job
// kind is a map of replica type to ReplicaSpec{Template PodTemplateSpec} (common_types.go), under
// a field of its own (pytorch_types.go, tensorflow_types.go, xgboost_types.go,
// paddlepaddle_types.go, jax_types.go, mxnet_types.go, mpi_types.go).
const trainingJob = (field: string): PodBearingKind[] => [{ groups: ['kubeflow.org'], versions: ['v1'], templates: [location(`spec.${field}{*}`, 'template')] }];

/** kind → the variants that carry pod templates (group, versions, where). */
export const POD_BEARING: Record<string, PodBearingKind[]> = {
  Pod: [{ groups: [''], templates: [location('', '')] }],
  // Built-in kinds list their groups; the first is the one the API server serves today.
  PodTemplate: [{ groups: [''], templates: [location('', 'template')] }],
  ReplicationController: [{ groups: [''], templates: WORKLOAD_TEMPLATE }],
  ReplicaSet: [{ groups: ['apps', 'extensions'], templates: WORKLOAD_TEMPLATE }],
  Deployment: [{ groups: ['apps', 'extensions'], templates: WORKLOAD_TEMPLATE }],
  StatefulSet: [
    { groups: ['apps'], templates: WORKLOAD_TEMPLATE },
    // OpenKruise Advanced StatefulSet: StatefulSetSpec{Template v1.PodTemplateSpec}
    // (openkruise/kruise apis/apps/v1beta1/statefulset_types.go; v1alpha1 the same).
    { groups: ['apps.kruise.io'], versions: ['v1beta1', 'v1alpha1'], templates: WORKLOAD_TEMPLATE },
  ],
  DaemonSet: [
    { groups: ['apps', 'extensions'], templates: WORKLOAD_TEMPLATE },
    // OpenKruise Advanced DaemonSet: DaemonSetSpec{Template corev1.PodTemplateSpec} (apis/apps/v1alpha1/daemonset_types.go).
    { groups: ['apps.kruise.io'], versions: ['v1alpha1'], templates: WORKLOAD_TEMPLATE },
  ],
  Job: [{ groups: ['batch'], templates: WORKLOAD_TEMPLATE }],
  CronJob: [{ groups: ['batch'], templates: [location('spec', 'jobTemplate.spec.template')] }],

  // JobSet: ReplicatedJob{Template batchv1.JobTemplateSpec} (kubernetes-sigs/jobset
  // api/jobset/v1alpha2/jobset_types.go and api/jobset/v1/jobset_types.go), so the pod template is
  // the Job template's spec.template.
  JobSet: [{ groups: ['jobset.x-k8s.io'], versions: ['v1alpha2', 'v1'], templates: [location('spec.replicatedJobs[*]', 'template.spec.template')] }],

  RayCluster: [{ groups: ['ray.io'], versions: ['v1', 'v1alpha1'], templates: rayClusterTemplates('spec', (o) => kubeRayCheckName(o.name)) }],
  // The RayCluster a RayJob or RayService makes gets a generated name, and so does the head's ServiceAccount.
  RayJob: [{ groups: ['ray.io'], versions: ['v1', 'v1alpha1'], templates: [...rayClusterTemplates('spec.rayClusterSpec', () => undefined), location('spec.submitterPodTemplate')] }],
  RayService: [{ groups: ['ray.io'], versions: ['v1', 'v1alpha1'], templates: rayClusterTemplates('spec.rayClusterConfig', () => undefined) }],

  MPIJob: [
    // kubeflow/mpi-operator pkg/apis/kubeflow/v2beta1/types.go: MPIReplicaSpecs map[MPIReplicaType]*ReplicaSpec
    // (common_types.go: Template PodTemplateSpec); the controller sets no ServiceAccount (mpi_job_controller.go).
    { groups: ['kubeflow.org'], versions: ['v2beta1'], templates: [location('spec.mpiReplicaSpecs{*}', 'template')] },
    // The training operator's v1 MPIJob: the same map (mpi_types.go); its controller gives the
    // launcher the ServiceAccount "<name>-launcher" when the template names none, and the launcher
    // uses it to exec into the workers.
    {
      groups: ['kubeflow.org'],
      versions: ['v1'],
      templates: [
        location('spec.mpiReplicaSpecs{*}', 'template', (object, partPath) =>
          partPath[partPath.length - 1] === 'Launcher'
            ? { name: `${object.name}-launcher`, reason: 'the training operator runs the MPIJob launcher under a ServiceAccount of its own, which it uses to exec into the workers' }
            : undefined),
      ],
    },
  ],
  PyTorchJob: trainingJob('pytorchReplicaSpecs'),
  TFJob: trainingJob('tfReplicaSpecs'),
  XGBoostJob: trainingJob('xgbReplicaSpecs'),
  PaddleJob: trainingJob('paddleReplicaSpecs'),
  JAXJob: trainingJob('jaxReplicaSpecs'),
  MXJob: trainingJob('mxReplicaSpecs'),

  // LeaderWorkerSet: LeaderWorkerTemplate{LeaderTemplate *PodTemplateSpec (optional; the worker
  // template is used when it is absent), WorkerTemplate PodTemplateSpec} (kubernetes-sigs/lws
  // api/leaderworkerset/v1/leaderworkerset_types.go).
  LeaderWorkerSet: [{ groups: ['leaderworkerset.x-k8s.io'], versions: ['v1'], templates: [location('spec.leaderWorkerTemplate.leaderTemplate'), location('spec.leaderWorkerTemplate.workerTemplate')] }],

  // Argo Rollouts: RolloutSpec{Template corev1.PodTemplateSpec} (argoproj/argo-rollouts
  // pkg/apis/rollouts/v1alpha1/types.go); with spec.workloadRef instead, the template is the
  // referenced Deployment's, which is checked as itself.
  Rollout: [{ groups: ['argoproj.io'], versions: ['v1alpha1'], templates: WORKLOAD_TEMPLATE }],

  // OpenShift DeploymentConfig: DeploymentConfigSpec{Template *corev1.PodTemplateSpec}
  // (openshift/api apps/v1/types.go). OpenShift 3 also served it group-less as `apiVersion: v1`
  // (the legacy /oapi API), which old templates still carry.
  DeploymentConfig: [{ groups: ['apps.openshift.io', ''], versions: ['v1'], templates: WORKLOAD_TEMPLATE }],

  // OpenKruise CloneSet: CloneSetSpec{Template v1.PodTemplateSpec} (apis/apps/v1alpha1/cloneset_types.go).
  CloneSet: [{ groups: ['apps.kruise.io'], versions: ['v1alpha1'], templates: WORKLOAD_TEMPLATE }],

  // KEDA ScaledJob: ScaledJobSpec{JobTargetRef *batchv1.JobSpec} (kedacore/keda
  // apis/keda/v1alpha1/scaledjob_types.go), so the pod template is the Job spec's template.
  ScaledJob: [{ groups: ['keda.sh'], versions: ['v1alpha1'], templates: [location('spec.jobTargetRef', 'template')] }],
};

/** Kubernetes' own API groups: the core group, the dot-less ones (apps, batch…) and *.k8s.io. */
function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * For a built-in pod-bearing kind written with an apiVersion of a built-in group that never
 * served it (`apiVersion: v1` on a Deployment, `apps/v1` on a Job): the apiVersion to write.
 * The API server refuses such an object ("no matches for kind"), so it is an input error, not
 * an object to skip silently. Custom groups (a Kruise StatefulSet) are someone else's kind.
 */
export function rightApiVersion(obj: Pick<InventoryObject, 'kind' | 'group' | 'apiVersion'>): string | undefined {
  if (!Object.hasOwn(POD_BEARING, obj.kind) || !isBuiltInGroup(obj.group)) return undefined;
  const builtIn = POD_BEARING[obj.kind]!.find((k) => k.versions === undefined);
  if (!builtIn || builtIn.groups.includes(obj.group)) return undefined;
  const group = builtIn.groups[0]!;
  return group === '' ? 'v1' : `${group}/v1`;
}

/** The variant of its kind an object is, or undefined when it carries no pod spec. */
export function podBearingKind(obj: Pick<InventoryObject, 'kind' | 'group' | 'apiVersion'>): PodBearingKind | undefined {
  const version = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
  // Own properties only: `kind: constructor` must not find Object's.
  if (!Object.hasOwn(POD_BEARING, obj.kind)) return undefined;
  return POD_BEARING[obj.kind]!.find((k) => k.groups.includes(obj.group) && (k.versions === undefined || k.versions.includes(version)));
}

/** Whether objects of this kind hold several pod templates, each then named by its part. */
export function hasSeveralTemplates(kind: PodBearingKind): boolean {
  return kind.templates.length > 1 || kind.templates.some((t) => t.at.some((s) => typeof s !== 'string'));
}
