//! ReplicationControllers (`core/v1`): the ReplicaSet's predecessor with an equality-only selector.

use crate::api::macros::k8s_struct;
use crate::api::pod::PodTemplateSpec;
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

/// The observed state of a ReplicationController: the same fields as a ReplicaSet's, so the
/// two controllers share one status type.
pub type ReplicationControllerStatus = crate::api::ReplicaSetStatus;

impl ReplicationController {
    /// `spec.replicas`, with the API default of 1 when unset.
    #[must_use]
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
}
