//! What the simulator records: events with their times, and a timeline of ReplicaSet sizes and
//! Deployment conditions over simulated time.

use crate::event::Event;
use crate::time::Time;

/// An event as stored: when it happened and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// When it was recorded.
    pub time: Time,
    /// The event.
    pub event: Event,
}

/// A ReplicaSet at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaSetSample {
    /// `namespace/name`.
    pub name: String,
    /// Its controlling Deployment's name, if any.
    pub deployment: Option<String>,
    /// `spec.replicas`.
    pub spec: i32,
    /// Pods it owns that exist (terminating ones included).
    pub pods: i32,
    /// `status.readyReplicas`.
    pub ready: i32,
    /// `status.availableReplicas`.
    pub available: i32,
}

/// A Deployment at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentSample {
    /// `namespace/name`.
    pub name: String,
    /// `spec.replicas`.
    pub replicas: i32,
    /// maxSurge resolved against `spec.replicas`.
    pub max_surge: i32,
    /// maxUnavailable resolved against `spec.replicas`.
    pub max_unavailable: i32,
    /// `(type, status, reason)` of each condition.
    pub conditions: Vec<(String, String, String)>,
}

/// The cluster at one instant (recorded whenever it changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// When.
    pub time: Time,
    /// Every ReplicaSet.
    pub replica_sets: Vec<ReplicaSetSample>,
    /// Every Deployment.
    pub deployments: Vec<DeploymentSample>,
}

/// Samples in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// The samples.
    pub samples: Vec<Sample>,
}

impl Timeline {
    /// Records a sample unless it equals the previous one (apart from the time).
    pub(crate) fn record(&mut self, sample: Sample) {
        if let Some(last) = self.samples.last_mut() {
            if last.replica_sets == sample.replica_sets && last.deployments == sample.deployments {
                return;
            }
            if last.time == sample.time {
                *last = sample;
                return;
            }
        }
        self.samples.push(sample);
    }
}

/// A ReplicaSet as one Deployment sync saw it (before) or left it (after).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaSetState {
    /// `namespace/name`.
    pub name: String,
    /// `spec.replicas`.
    pub spec: i32,
    /// `status.availableReplicas`.
    pub available: i32,
    /// `deployment.kubernetes.io/revision`, if it parses.
    pub revision: Option<i64>,
    /// Whether its template equals the Deployment's (it is the new ReplicaSet).
    pub is_new: bool,
}

/// One Deployment reconcile that wrote something: what the invariant checker reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentSync {
    /// When.
    pub time: Time,
    /// `namespace/name` of the Deployment.
    pub deployment: String,
    /// `Recreate` or `RollingUpdate`.
    pub recreate: bool,
    /// `spec.paused`.
    pub paused: bool,
    /// `spec.replicas`.
    pub replicas: i32,
    /// maxSurge resolved against `spec.replicas`.
    pub max_surge: i32,
    /// maxUnavailable resolved against `spec.replicas`.
    pub max_unavailable: i32,
    /// Upstream would treat this sync as a scaling event (an active ReplicaSet's
    /// desired-replicas annotation differs from `spec.replicas`).
    pub scaling_event: bool,
    /// Before the sync, a pod of an old ReplicaSet was in any phase but Succeeded/Failed
    /// (terminating pods included): what `Recreate` waits for.
    pub old_pods_running: bool,
    /// The owned ReplicaSets before the sync.
    pub before: Vec<ReplicaSetState>,
    /// The owned ReplicaSets after the sync.
    pub after: Vec<ReplicaSetState>,
}

/// A pod deletion a ReplicaSet or ReplicationController plan asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodDeletion {
    /// When.
    pub time: Time,
    /// The controller's uid.
    pub controller_uid: String,
    /// `namespace/name` of the pod.
    pub pod: String,
    /// The uid of the pod's controller at the time (adoptions of the same plan included).
    pub pod_controller_uid: Option<String>,
    /// Whether the pod was active (not terminating, not Succeeded/Failed).
    pub pod_active: bool,
}

/// Controller activity since it was last taken (see [`super::Cluster::take_activity`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Deployment syncs that wrote something.
    pub deployment_syncs: Vec<DeploymentSync>,
    /// Pod deletions requested by controllers.
    pub pod_deletions: Vec<PodDeletion>,
}
