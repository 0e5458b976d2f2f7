//! Pods and pod templates (`core/v1`): the fields the workload controllers, validation and the
//! printers read; everything else is kept in each struct's `extra`.

use crate::api::macros::{k8s_struct, string_enum};
use crate::meta::{Labels, ObjectMeta};
use crate::time::Time;

k8s_struct! {
    /// A group of containers that share one network namespace (`core/v1` Pod).
    pub struct Pod("Pod", "v1") {
        /// Standard object metadata.
        "metadata" => metadata: ObjectMeta,
        /// The desired behaviour of the pod.
        "spec" => spec: PodSpec,
        /// The observed state, written by the kubelet (or a simulator).
        "status" => status: PodStatus,
    }
    unmodelled: []
}

k8s_struct! {
    /// A pod's metadata and spec as a controller stamps them out (`core/v1` PodTemplateSpec).
    pub struct PodTemplateSpec("PodTemplateSpec") {
        /// Labels, annotations and finalizers copied to every pod.
        "metadata" => metadata: ObjectMeta,
        /// The pod spec copied to every pod.
        "spec" => spec: PodSpec,
    }
    unmodelled: []
}

k8s_struct! {
    /// The desired behaviour of a pod (`core/v1` PodSpec).
    pub struct PodSpec("PodSpec") {
        /// Init containers, run in order before the regular ones; those with
        /// `restartPolicy: Always` are sidecars that keep running.
        "initContainers" => init_containers: Vec<Container>,
        /// The regular containers; at least one is required.
        "containers" => containers: Vec<Container>,
        /// `Always`, `OnFailure` or `Never`; controllers require `Always`.
        "restartPolicy" => restart_policy: RestartPolicy,
        /// Grace period for termination; defaulted to 30.
        "terminationGracePeriodSeconds" => termination_grace_period_seconds: Option<i64>,
        /// Maximum run time; forbidden in ReplicaSet templates.
        "activeDeadlineSeconds" => active_deadline_seconds: Option<i64>,
        /// Node selector labels.
        "nodeSelector" => node_selector: Labels,
        /// The node the pod is bound to; empty while unscheduled.
        "nodeName" => node_name: String,
    }
    unmodelled: [
        "affinity", "automountServiceAccountToken", "dnsConfig", "dnsPolicy", "enableServiceLinks",
        "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
        "hostname", "imagePullSecrets", "os", "overhead", "preemptionPolicy", "priority",
        "priorityClassName", "readinessGates", "resourceClaims", "resources", "runtimeClassName",
        "schedulerName", "schedulingGates", "securityContext", "serviceAccount", "serviceAccountName",
        "setHostnameAsFQDN", "shareProcessNamespace", "subdomain", "tolerations",
        "topologySpreadConstraints", "volumes",
    ]
}

k8s_struct! {
    /// One container of a pod (`core/v1` Container).
    pub struct Container("Container") {
        /// DNS-1123 label, unique within the pod.
        "name" always => name: String,
        /// The container image.
        "image" => image: String,
        /// Ports the container exposes; all containers of a pod share one network namespace.
        "ports" => ports: Vec<ContainerPort>,
        /// Only on init containers: `Always` makes it a sidecar.
        "restartPolicy" => restart_policy: Option<ContainerRestartPolicy>,
    }
    unmodelled: [
        "args", "command", "env", "envFrom", "imagePullPolicy", "lifecycle", "livenessProbe",
        "readinessProbe", "resizePolicy", "resources", "securityContext", "startupProbe", "stdin",
        "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices",
        "volumeMounts", "workingDir",
    ]
}

k8s_struct! {
    /// A network port of a container (`core/v1` ContainerPort).
    pub struct ContainerPort("ContainerPort") {
        /// Optional IANA_SVC_NAME, unique within the pod.
        "name" => name: String,
        /// Port on the host; 0 means none.
        "hostPort" => host_port: i32,
        /// Port in the pod's network namespace (1–65535).
        "containerPort" always => container_port: i32,
        /// `TCP`, `UDP` or `SCTP`; defaulted to `TCP`.
        "protocol" => protocol: Protocol,
        /// Host IP to bind the host port to.
        "hostIP" => host_ip: String,
    }
    unmodelled: []
}

k8s_struct! {
    /// The observed state of a pod (`core/v1` PodStatus).
    pub struct PodStatus("PodStatus") {
        /// Lifecycle phase.
        "phase" => phase: PodPhase,
        /// Conditions, among them `Ready` with its `lastTransitionTime`.
        "conditions" => conditions: Vec<PodCondition>,
        /// Human-readable detail about the phase.
        "message" => message: String,
        /// Brief CamelCase reason (`Evicted`).
        "reason" => reason: String,
        /// IP of the node.
        "hostIP" => host_ip: String,
        /// IP of the pod, shared by all its containers.
        "podIP" => pod_ip: String,
        /// When the kubelet acknowledged the pod.
        "startTime" => start_time: Option<Time>,
        /// Statuses of the init containers, sidecars included.
        "initContainerStatuses" => init_container_statuses: Vec<ContainerStatus>,
        /// Statuses of the regular containers.
        "containerStatuses" => container_statuses: Vec<ContainerStatus>,
    }
    unmodelled: [
        "ephemeralContainerStatuses", "hostIPs", "nominatedNodeName", "podIPs", "qosClass",
        "resize", "resourceClaimStatuses",
    ]
}

k8s_struct! {
    /// One condition of a pod (`core/v1` PodCondition).
    pub struct PodCondition("PodCondition") {
        /// The condition type (`Ready`, `PodScheduled`, ...).
        "type" always => type_: PodConditionType,
        /// `True`, `False` or `Unknown`.
        "status" always => status: ConditionStatus,
        /// Last time the condition was probed.
        "lastProbeTime" => last_probe_time: Option<Time>,
        /// Last time the status changed; for `Ready`, when the pod became ready.
        "lastTransitionTime" => last_transition_time: Option<Time>,
        /// Brief CamelCase reason.
        "reason" => reason: String,
        /// Human-readable detail.
        "message" => message: String,
    }
    unmodelled: []
}

k8s_struct! {
    /// The observed state of one container (`core/v1` ContainerStatus).
    pub struct ContainerStatus("ContainerStatus") {
        /// The container's name.
        "name" always => name: String,
        /// Current state.
        "state" => state: ContainerState,
        /// State of the previous run, after a restart.
        "lastState" => last_state: ContainerState,
        /// Whether the container passes its readiness probe.
        "ready" always => ready: bool,
        /// How many times the container restarted.
        "restartCount" always => restart_count: i32,
        /// The image it runs.
        "image" always => image: String,
        /// The image's digest.
        "imageID" always => image_id: String,
        /// Runtime-specific container id.
        "containerID" => container_id: String,
        /// Whether the startup probe passed.
        "started" => started: Option<bool>,
    }
    unmodelled: ["allocatedResources", "allocatedResourcesStatus", "resources", "user", "volumeMounts"]
}

k8s_struct! {
    /// Exactly one of waiting, running or terminated (`core/v1` ContainerState).
    pub struct ContainerState("ContainerState") {
        /// Not running yet (`ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`).
        "waiting" => waiting: Option<ContainerStateWaiting>,
        /// Running since `startedAt`.
        "running" => running: Option<ContainerStateRunning>,
        /// Exited.
        "terminated" => terminated: Option<ContainerStateTerminated>,
    }
    unmodelled: []
}

k8s_struct! {
    /// A waiting container (`core/v1` ContainerStateWaiting).
    pub struct ContainerStateWaiting("ContainerStateWaiting") {
        /// Why it is waiting.
        "reason" => reason: String,
        /// Detail.
        "message" => message: String,
    }
    unmodelled: []
}

k8s_struct! {
    /// A running container (`core/v1` ContainerStateRunning).
    pub struct ContainerStateRunning("ContainerStateRunning") {
        /// When it started.
        "startedAt" => started_at: Option<Time>,
    }
    unmodelled: []
}

k8s_struct! {
    /// An exited container (`core/v1` ContainerStateTerminated).
    pub struct ContainerStateTerminated("ContainerStateTerminated") {
        /// Exit status.
        "exitCode" always => exit_code: i32,
        /// Signal that killed it.
        "signal" => signal: i32,
        /// Why it exited (`Completed`, `Error`, `OOMKilled`).
        "reason" => reason: String,
        /// Detail.
        "message" => message: String,
        /// When it started.
        "startedAt" => started_at: Option<Time>,
        /// When it exited.
        "finishedAt" => finished_at: Option<Time>,
        /// Runtime-specific container id.
        "containerID" => container_id: String,
    }
    unmodelled: []
}

string_enum! {
    /// A pod's restart policy (`core/v1` RestartPolicy).
    pub enum RestartPolicy {
        /// Restart containers whenever they exit.
        Always = "Always",
        /// Restart containers that fail.
        OnFailure = "OnFailure",
        /// Never restart.
        Never = "Never",
    }
}

string_enum! {
    /// A container-level restart policy; only `Always` exists (sidecar init containers).
    pub enum ContainerRestartPolicy {
        /// The init container keeps running as a sidecar.
        Always = "Always",
    }
}

string_enum! {
    /// A port's protocol (`core/v1` Protocol).
    pub enum Protocol {
        /// TCP.
        Tcp = "TCP",
        /// UDP.
        Udp = "UDP",
        /// SCTP.
        Sctp = "SCTP",
    }
}

string_enum! {
    /// A pod's lifecycle phase (`core/v1` PodPhase).
    pub enum PodPhase {
        /// Accepted but not all containers are running.
        Pending = "Pending",
        /// Bound to a node and at least one container runs.
        Running = "Running",
        /// All containers exited successfully and will not restart.
        Succeeded = "Succeeded",
        /// All containers exited and at least one failed.
        Failed = "Failed",
        /// The state could not be obtained.
        Unknown = "Unknown",
    }
}

string_enum! {
    /// The type of a pod condition (`core/v1` PodConditionType).
    pub enum PodConditionType {
        /// Scheduled to a node.
        PodScheduled = "PodScheduled",
        /// The sandbox is ready.
        PodReadyToStartContainers = "PodReadyToStartContainers",
        /// All init containers completed.
        Initialized = "Initialized",
        /// All containers are ready.
        ContainersReady = "ContainersReady",
        /// Able to serve requests; what the controllers count.
        Ready = "Ready",
        /// About to be terminated by a disruption.
        DisruptionTarget = "DisruptionTarget",
    }
}

string_enum! {
    /// The status of any condition (`core/v1` ConditionStatus).
    pub enum ConditionStatus {
        /// The condition holds.
        True = "True",
        /// The condition does not hold.
        False = "False",
        /// It is not known whether the condition holds.
        Unknown = "Unknown",
    }
}

impl Pod {
    /// The first condition of the given type.
    #[must_use]
    pub fn condition(&self, type_: &PodConditionType) -> Option<&PodCondition> {
        self.status.conditions.iter().find(|c| &c.type_ == type_)
    }
}
