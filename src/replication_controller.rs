//! The ReplicationController controller: the ReplicaSet controller on a ReplicationController,
//! as upstream runs it (equality-based selector, owner reference `v1`/`ReplicationController`,
//! events from `replication-controller`). Plans and reports are the ReplicaSet's; see
//! [`crate::replica_set`] for the order in which to carry a plan out.

use std::borrow::Borrow;

use crate::api::{Pod, ReplicaSet, ReplicationController};
use crate::replica_set::{
    ControllerKind, Observed, Plan, ReconcileError, Target, reconcile_target,
};
use crate::selector::Selector;
use crate::time::Time;

/// Reconciles a ReplicationController: upstream's `syncReplicaSet` on the converted object.
///
/// An empty selector or a missing template (which validation rejects and defaulting normally
/// fills in) is an error: upstream would treat an absent selector as matching nothing and an
/// empty one as matching everything, and this crate cannot tell the two apart.
pub fn reconcile<P: Borrow<Pod>, R: Borrow<ReplicaSet>>(
    rc: &ReplicationController,
    observed: &Observed<'_, P, R>,
    now: Time,
) -> Result<Plan, ReconcileError> {
    let template = rc
        .spec
        .template
        .as_ref()
        .ok_or(ReconcileError::MissingTemplate)?;
    if rc.spec.selector.is_empty() {
        return Err(ReconcileError::MissingSelector);
    }
    let target = Target {
        kind: ControllerKind::ReplicationController,
        meta: &rc.metadata,
        replicas: rc.replicas(),
        min_ready_seconds: rc.spec.min_ready_seconds,
        selector: Selector::from_map(&rc.spec.selector),
        template,
        status: &rc.status,
    };
    reconcile_target(&target, observed, now)
}
