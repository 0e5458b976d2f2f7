//! Deployments (`apps/v1`): declarative rollouts through one ReplicaSet per pod template.

use crate::api::intstr::IntOrString;
use crate::api::macros::{k8s_struct, string_enum};
use crate::api::pod::{ConditionStatus, PodTemplateSpec};
use crate::meta::{LabelSelector, ObjectMeta};
use crate::time::Time;

k8s_struct! {
    /// Manages ReplicaSets to roll a pod template out (`apps/v1` Deployment).
    pub struct Deployment("Deployment", "apps/v1") {
        /// Standard object metadata.
        "metadata" => metadata: ObjectMeta,
        /// The desired state.
        "spec" => spec: DeploymentSpec,
        /// The observed state, written by the controller.
        "status" => status: DeploymentStatus,
    }
    unmodelled: []
}

k8s_struct! {
    /// The desired state of a Deployment.
    pub struct DeploymentSpec("DeploymentSpec") {
        /// Desired number of pods; defaulted to 1.
        "replicas" => replicas: Option<i32>,
        /// Which pods and ReplicaSets belong to it; immutable in apps/v1.
        "selector" => selector: Option<LabelSelector>,
        /// The pod template; a change starts a rollout.
        "template" => template: PodTemplateSpec,
        /// How to replace old pods by new ones.
        "strategy" => strategy: DeploymentStrategy,
        /// Seconds a ready pod must stay ready to count as available.
        "minReadySeconds" => min_ready_seconds: i32,
        /// Old ReplicaSets to keep for rollback; defaulted to 10.
        "revisionHistoryLimit" => revision_history_limit: Option<i32>,
        /// While true, only scaling and status happen.
        "paused" => paused: bool,
        /// Seconds without progress before `ProgressDeadlineExceeded`; defaulted to 600.
        "progressDeadlineSeconds" => progress_deadline_seconds: Option<i32>,
    }
    unmodelled: []
}

k8s_struct! {
    /// How a Deployment replaces pods.
    pub struct DeploymentStrategy("DeploymentStrategy") {
        /// `RollingUpdate` (default) or `Recreate`.
        "type" => type_: DeploymentStrategyType,
        /// Parameters of `RollingUpdate`.
        "rollingUpdate" => rolling_update: Option<RollingUpdateDeployment>,
    }
    unmodelled: []
}

string_enum! {
    /// The kind of rollout strategy.
    pub enum DeploymentStrategyType {
        /// Kill all old pods before creating new ones.
        Recreate = "Recreate",
        /// Replace old pods by new ones gradually.
        RollingUpdate = "RollingUpdate",
    }
}

k8s_struct! {
    /// Parameters of a rolling update.
    pub struct RollingUpdateDeployment("RollingUpdateDeployment") {
        /// Pods that may be unavailable during the update (absolute, or a percentage rounded down).
        "maxUnavailable" => max_unavailable: Option<IntOrString>,
        /// Pods that may be created above `replicas` (absolute, or a percentage rounded up).
        "maxSurge" => max_surge: Option<IntOrString>,
    }
    unmodelled: []
}

k8s_struct! {
    /// The observed state of a Deployment.
    pub struct DeploymentStatus("DeploymentStatus") {
        /// The generation the controller last acted on.
        "observedGeneration" => observed_generation: i64,
        /// Pods of all its ReplicaSets (their `status.replicas`).
        "replicas" => replicas: i32,
        /// Pods of the new ReplicaSet.
        "updatedReplicas" => updated_replicas: i32,
        /// Ready pods.
        "readyReplicas" => ready_replicas: i32,
        /// Available pods.
        "availableReplicas" => available_replicas: i32,
        /// Σ spec.replicas of its ReplicaSets minus available pods (at least 0).
        "unavailableReplicas" => unavailable_replicas: i32,
        /// Conditions: `Available`, `Progressing`, `ReplicaFailure`.
        "conditions" => conditions: Vec<DeploymentCondition>,
        /// Hash collisions seen; mixed into the pod-template hash. Never decreases.
        "collisionCount" => collision_count: Option<i32>,
    }
    unmodelled: []
}

k8s_struct! {
    /// One condition of a Deployment.
    pub struct DeploymentCondition("DeploymentCondition") {
        /// `Available`, `Progressing` or `ReplicaFailure`.
        "type" always => type_: DeploymentConditionType,
        /// `True`, `False` or `Unknown`.
        "status" always => status: ConditionStatus,
        /// When the condition was last updated (progress resets the deadline clock).
        "lastUpdateTime" => last_update_time: Option<Time>,
        /// When the status last changed.
        "lastTransitionTime" => last_transition_time: Option<Time>,
        /// CamelCase reason (`NewReplicaSetAvailable`).
        "reason" => reason: String,
        /// Human-readable message.
        "message" => message: String,
    }
    unmodelled: []
}

string_enum! {
    /// The type of a Deployment condition.
    pub enum DeploymentConditionType {
        /// At least the minimum number of pods is available.
        Available = "Available",
        /// A rollout is progressing, complete, paused or stuck.
        Progressing = "Progressing",
        /// A ReplicaSet failed to create or delete pods.
        ReplicaFailure = "ReplicaFailure",
    }
}

impl Deployment {
    /// `spec.replicas`, with the API default of 1 when unset.
    #[must_use]
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    /// The first condition of the given type.
    #[must_use]
    pub fn condition(&self, type_: &DeploymentConditionType) -> Option<&DeploymentCondition> {
        self.status.conditions.iter().find(|c| &c.type_ == type_)
    }
}
