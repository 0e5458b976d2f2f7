//! ReplicaSets (`apps/v1`): keep a number of pods from one template running.

use crate::api::macros::k8s_struct;
use crate::api::pod::{ConditionStatus, PodTemplateSpec};
use crate::meta::{LabelSelector, ObjectMeta};
use crate::time::Time;

k8s_struct! {
    /// Keeps `spec.replicas` pods matching `spec.selector` running (`apps/v1` ReplicaSet).
    pub struct ReplicaSet("ReplicaSet", "apps/v1") {
        /// Standard object metadata.
        "metadata" => metadata: ObjectMeta,
        /// The desired state.
        "spec" => spec: ReplicaSetSpec,
        /// The observed state, written by the controller.
        "status" => status: ReplicaSetStatus,
    }
    unmodelled: []
}

k8s_struct! {
    /// The desired state of a ReplicaSet.
    pub struct ReplicaSetSpec("ReplicaSetSpec") {
        /// Desired number of pods; defaulted to 1.
        "replicas" => replicas: Option<i32>,
        /// Seconds a ready pod must stay ready to count as available.
        "minReadySeconds" => min_ready_seconds: i32,
        /// Which pods belong to it; must match the template's labels. Immutable in apps/v1.
        "selector" => selector: Option<LabelSelector>,
        /// What new pods look like.
        "template" => template: PodTemplateSpec,
    }
    unmodelled: []
}

k8s_struct! {
    /// The observed state of a ReplicaSet.
    pub struct ReplicaSetStatus("ReplicaSetStatus") {
        /// Active pods it owns.
        "replicas" always => replicas: i32,
        /// Of those, pods whose labels include every template label.
        "fullyLabeledReplicas" => fully_labeled_replicas: i32,
        /// Of those, pods that are Ready.
        "readyReplicas" => ready_replicas: i32,
        /// Of those, pods Ready for at least `minReadySeconds`.
        "availableReplicas" => available_replicas: i32,
        /// The `metadata.generation` this status was computed for.
        "observedGeneration" => observed_generation: i64,
        /// Conditions; the controller only sets `ReplicaFailure`.
        "conditions" => conditions: Vec<ReplicaSetCondition>,
    }
    unmodelled: []
}

k8s_struct! {
    /// One condition of a ReplicaSet (or ReplicationController).
    pub struct ReplicaSetCondition("ReplicaSetCondition") {
        /// The condition type (`ReplicaFailure`).
        "type" always => type_: String,
        /// `True`, `False` or `Unknown`.
        "status" always => status: ConditionStatus,
        /// When the status last changed.
        "lastTransitionTime" => last_transition_time: Option<Time>,
        /// `FailedCreate` or `FailedDelete` for `ReplicaFailure`.
        "reason" => reason: String,
        /// The error text.
        "message" => message: String,
    }
    unmodelled: []
}

/// The only condition type the ReplicaSet controller sets.
pub const REPLICA_FAILURE: &str = "ReplicaFailure";

impl ReplicaSet {
    /// `spec.replicas`, with the API default of 1 when unset.
    #[must_use]
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
}
