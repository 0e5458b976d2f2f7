//! ReplicationControllers (`core/v1`): the ReplicaSet's predecessor with an equality-only selector.

use crate::api::macros::k8s_struct;
use crate::api::pod::PodTemplateSpec;
use crate::api::replica_set::ReplicaSetCondition;
use crate::meta::{Labels, ObjectMeta};

k8s_struct! {
    /// Keeps `spec.replicas` pods matching `spec.selector` running (`core/v1` ReplicationController).
    pub struct ReplicationController("ReplicationController", "v1") {
        /// Standard object metadata.
        "metadata" => metadata: ObjectMeta,
        /// The desired state.
        "spec" => spec: ReplicationControllerSpec,
        /// The observed state, written by the controller.
        "status" => status: ReplicationControllerStatus,
    }
    unmodelled: []
}

k8s_struct! {
    /// The desired state of a ReplicationController.
    pub struct ReplicationControllerSpec("ReplicationControllerSpec") {
        /// Desired number of pods; defaulted to 1.
        "replicas" => replicas: Option<i32>,
        /// Seconds a ready pod must stay ready to count as available.
        "minReadySeconds" => min_ready_seconds: i32,
        /// Equality-based selector; defaulted from the template labels.
        "selector" => selector: Labels,
        /// What new pods look like (required by validation).
        "template" => template: Option<PodTemplateSpec>,
    }
    unmodelled: []
}

k8s_struct! {
    /// The observed state of a ReplicationController (same fields as a ReplicaSet's).
    pub struct ReplicationControllerStatus("ReplicationControllerStatus") {
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

impl ReplicationController {
    /// `spec.replicas`, with the API default of 1 when unset.
    #[must_use]
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
}
