//! kubectl's `pkg/util/deployment`: which ReplicaSets belong to a Deployment, and which of them
//! is the new one.

use crate::api::{Deployment, ReplicaSet};
use crate::hash::equal_ignore_hash;
use crate::selector::{Selector, SelectorError};

/// A Deployment's ReplicaSets as kubectl's `GetAllReplicaSets` returns them.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentReplicaSets<'a> {
    /// Every old ReplicaSet (`allOldRSs`, including those scaled to 0), ordered by creation
    /// timestamp then name.
    pub old: Vec<&'a ReplicaSet>,
    /// The oldest ReplicaSet whose template equals the Deployment's (ignoring the
    /// pod-template-hash label).
    pub new: Option<&'a ReplicaSet>,
}

impl<'a> DeploymentReplicaSets<'a> {
    /// Old then new, the order `rollout history` and `rollout undo` read them in.
    #[must_use]
    pub fn all(&self) -> Vec<&'a ReplicaSet> {
        let mut v = self.old.clone();
        v.extend(self.new);
        v
    }
}

/// Lists the Deployment's ReplicaSets among `rss`: same namespace, labels matching the
/// Deployment's selector, and a controller reference to the Deployment's UID.
pub fn deployment_replica_sets<'a>(
    d: &Deployment,
    rss: &'a [ReplicaSet],
) -> Result<DeploymentReplicaSets<'a>, SelectorError> {
    let selector = Selector::compile(d.spec.selector.as_ref())?;
    let mut owned: Vec<&ReplicaSet> = rss
        .iter()
        .filter(|rs| rs.metadata.namespace == d.metadata.namespace)
        .filter(|rs| selector.matches(&rs.metadata.labels))
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|r| r.uid == d.metadata.uid)
        })
        .collect();
    owned.sort_by(|a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    let new = owned
        .iter()
        .copied()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template));
    let old = owned
        .into_iter()
        .filter(|rs| new.is_none_or(|n| !std::ptr::eq(n, *rs)))
        .collect();
    Ok(DeploymentReplicaSets { old, new })
}
