//! Rollout invariants checked against a simulated cluster after every step.

use std::collections::BTreeMap;
use std::fmt;

use crate::api::{ConditionStatus, DeploymentConditionType};
use crate::deployment::util;
use crate::hash::{POD_TEMPLATE_HASH_LABEL, equal_ignore_hash};
use crate::sim::{Cluster, DeploymentSync, Key};
use crate::time::Time;

/// A broken invariant, with enough detail to debug the run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// A rollout sync raised Σ spec.replicas above replicas + maxSurge.
    #[error(
        "{time}: {deployment}: Σ spec.replicas {total} exceeds replicas {replicas} + maxSurge {max_surge} (was {before})"
    )]
    SurgeExceeded {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// Σ spec.replicas after the sync.
        total: i32,
        /// Σ spec.replicas before the sync.
        before: i32,
        /// `spec.replicas`.
        replicas: i32,
        /// Resolved maxSurge.
        max_surge: i32,
    },
    /// A rollout sync scaled old ReplicaSets below the minAvailable budget.
    #[error(
        "{time}: {deployment}: available pods would drop from {before} to {after}, below minAvailable {min_available}"
    )]
    AvailabilityBudget {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// Available pods of active ReplicaSets before.
        before: i32,
        /// Available pods the new sizes leave.
        after: i32,
        /// replicas − maxUnavailable.
        min_available: i32,
    },
    /// An old ReplicaSet grew during a rollout (not a scaling event).
    #[error(
        "{time}: {deployment}: old ReplicaSet {replica_set} grew from {from} to {to} during a rollout"
    )]
    OldReplicaSetGrew {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// Which ReplicaSet.
        replica_set: String,
        /// Size before.
        from: i32,
        /// Size after.
        to: i32,
    },
    /// Two ReplicaSets of one Deployment have the same template.
    #[error("{deployment}: ReplicaSets {a} and {b} have the same template")]
    DuplicateTemplate {
        /// Which Deployment.
        deployment: String,
        /// One ReplicaSet.
        a: String,
        /// The other.
        b: String,
    },
    /// An owned ReplicaSet lacks a consistent pod-template-hash.
    #[error(
        "{replica_set}: pod-template-hash missing or inconsistent in labels, selector or template"
    )]
    MissingHash {
        /// Which ReplicaSet.
        replica_set: String,
    },
    /// A ReplicaSet's revision went down.
    #[error("{replica_set}: revision went from {from} to {to}")]
    RevisionDecreased {
        /// Which ReplicaSet.
        replica_set: String,
        /// Before.
        from: i64,
        /// After.
        to: i64,
    },
    /// A Deployment's collisionCount went down.
    #[error("{deployment}: collisionCount went from {from} to {to}")]
    CollisionCountDecreased {
        /// Which Deployment.
        deployment: String,
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// A Recreate rollout scaled the new ReplicaSet up while old pods were still running.
    #[error(
        "{time}: {deployment}: Recreate scaled {replica_set} up to {to} while old pods were running"
    )]
    RecreateOverlap {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// The new ReplicaSet.
        replica_set: String,
        /// Its new size.
        to: i32,
    },
    /// A controller deleted a pod it does not own (or an inactive one).
    #[error("{time}: controller {controller} deleted pod {pod} it does not own")]
    DeletedUnownedPod {
        /// When.
        time: Time,
        /// The controller's uid.
        controller: String,
        /// The pod.
        pod: String,
    },
    /// More old ReplicaSets than revisionHistoryLimit after settling.
    #[error("{deployment}: {old} old ReplicaSets kept, limit {limit}")]
    HistoryTooLong {
        /// Which Deployment.
        deployment: String,
        /// Old ReplicaSets.
        old: usize,
        /// revisionHistoryLimit.
        limit: i32,
    },
    /// The progress deadline passed without being reported.
    #[error(
        "{time}: {deployment}: progress deadline passed (last update {last_update}) but Progressing is {reason}"
    )]
    DeadlineNotReported {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// The condition's lastUpdateTime.
        last_update: Time,
        /// The condition's reason.
        reason: String,
    },
    /// ProgressDeadlineExceeded was reported before the deadline.
    #[error(
        "{time}: {deployment}: ProgressDeadlineExceeded reported before the deadline (last progress {last_update})"
    )]
    DeadlineReportedEarly {
        /// When.
        time: Time,
        /// Which Deployment.
        deployment: String,
        /// The previous condition's lastUpdateTime.
        last_update: Time,
    },
    /// The cluster did not settle.
    #[error("liveness: {0}")]
    NotLive(String),
    /// The cluster settled but a Deployment is not complete.
    #[error("liveness: {deployment} settled incomplete: {detail}")]
    Incomplete {
        /// Which Deployment.
        deployment: String,
        /// What is missing.
        detail: String,
    },
    /// A settled cluster still wrote something when reconciled again.
    #[error("liveness: reconciling a settled cluster still acted: {0}")]
    NotIdle(String),
}

/// Checks the rollout invariants after each step of a simulated run, remembering what it needs
/// from earlier steps (revisions, collision counts, progress conditions).
#[derive(Clone, Debug, Default)]
pub struct Checker {
    revisions: BTreeMap<String, i64>,
    collisions: BTreeMap<String, i32>,
    progressing: BTreeMap<String, (String, Time)>,
}

impl Checker {
    /// A checker with no history.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks everything that must hold at every step, consuming the cluster's activity.
    pub fn check(&mut self, cluster: &mut Cluster) -> Result<(), Violation> {
        let activity = cluster.take_activity();
        for sync in &activity.deployment_syncs {
            check_sync(sync)?;
        }
        for del in &activity.pod_deletions {
            if del.pod_controller_uid.as_deref() != Some(del.controller_uid.as_str())
                || !del.pod_active
            {
                return Err(Violation::DeletedUnownedPod {
                    time: del.time,
                    controller: del.controller_uid.clone(),
                    pod: del.pod.clone(),
                });
            }
        }
        self.check_state(cluster)
    }

    fn check_state(&mut self, cluster: &Cluster) -> Result<(), Violation> {
        let now = cluster.now();
        for rs in cluster.replica_sets() {
            let name = Key::of(&rs.metadata).to_string();
            if let Ok(rev) = util::revision(&rs.metadata.annotations) {
                let key = rs.metadata.uid.clone();
                if let Some(&prev) = self.revisions.get(&key) {
                    if rev < prev {
                        return Err(Violation::RevisionDecreased {
                            replica_set: name,
                            from: prev,
                            to: rev,
                        });
                    }
                }
                self.revisions.insert(key, rev);
            }
        }
        for d in cluster.deployments() {
            let dname = Key::of(&d.metadata).to_string();
            let owned: Vec<_> = cluster
                .replica_sets()
                .filter(|rs| {
                    rs.metadata
                        .controller_ref()
                        .is_some_and(|r| r.uid == d.metadata.uid)
                })
                .collect();
            for (i, a) in owned.iter().enumerate() {
                let hash = a.metadata.labels.get(POD_TEMPLATE_HASH_LABEL);
                let consistent = hash.is_some()
                    && a.spec.template.metadata.labels.get(POD_TEMPLATE_HASH_LABEL) == hash
                    && a.spec
                        .selector
                        .as_ref()
                        .and_then(|s| s.match_labels.get(POD_TEMPLATE_HASH_LABEL))
                        == hash;
                if !consistent {
                    return Err(Violation::MissingHash {
                        replica_set: Key::of(&a.metadata).to_string(),
                    });
                }
                for b in owned.iter().skip(i + 1) {
                    if equal_ignore_hash(&a.spec.template, &b.spec.template) {
                        return Err(Violation::DuplicateTemplate {
                            deployment: dname,
                            a: a.metadata.name.clone(),
                            b: b.metadata.name.clone(),
                        });
                    }
                }
            }
            let cc = d.status.collision_count.unwrap_or(0);
            if let Some(&prev) = self.collisions.get(&d.metadata.uid) {
                if cc < prev {
                    return Err(Violation::CollisionCountDecreased {
                        deployment: dname,
                        from: prev,
                        to: cc,
                    });
                }
            }
            self.collisions.insert(d.metadata.uid.clone(), cc);

            // Progress deadline: reported iff exceeded.
            if util::has_progress_deadline(d) && !d.spec.paused {
                let pds = i64::from(d.spec.progress_deadline_seconds.unwrap_or(0));
                if let Some(c) =
                    util::get_condition(&d.status, &DeploymentConditionType::Progressing)
                {
                    let last = c.last_update_time.unwrap_or(Time::MIN);
                    let open = matches!(
                        c.reason.as_str(),
                        util::reason::REPLICA_SET_UPDATED
                            | util::reason::NEW_REPLICA_SET_CREATED
                            | util::reason::FOUND_NEW_REPLICA_SET
                            | util::reason::DEPLOYMENT_RESUMED
                    );
                    if open
                        && c.status != ConditionStatus::False
                        && last.add_seconds(pds + 1) < now
                        && !util::deployment_complete(d, &d.status)
                        && d.status.observed_generation >= d.metadata.generation
                    {
                        return Err(Violation::DeadlineNotReported {
                            time: now,
                            deployment: dname,
                            last_update: last,
                            reason: c.reason.clone(),
                        });
                    }
                    if c.reason == util::reason::PROGRESS_DEADLINE_EXCEEDED {
                        if let Some((prev_reason, prev_update)) =
                            self.progressing.get(&d.metadata.uid)
                        {
                            let reported = c.last_transition_time.unwrap_or(now);
                            if prev_reason != util::reason::PROGRESS_DEADLINE_EXCEEDED
                                && prev_reason != util::reason::DEPLOYMENT_PAUSED
                                && prev_update.add_seconds(pds) >= reported
                            {
                                return Err(Violation::DeadlineReportedEarly {
                                    time: now,
                                    deployment: dname,
                                    last_update: *prev_update,
                                });
                            }
                        }
                    }
                    self.progressing
                        .insert(d.metadata.uid.clone(), (c.reason.clone(), last));
                }
            }
        }
        Ok(())
    }

    /// Checks what must hold once the cluster has settled: history within the limit, and (for
    /// `require_complete`) every unpaused Deployment complete.
    pub fn check_settled(
        &mut self,
        cluster: &mut Cluster,
        require_complete: bool,
    ) -> Result<(), Violation> {
        self.check(cluster)?;
        for d in cluster.deployments() {
            let dname = Key::of(&d.metadata).to_string();
            if util::has_revision_history_limit(d) {
                let limit = d.spec.revision_history_limit.unwrap_or(0);
                let old = cluster
                    .replica_sets()
                    .filter(|rs| {
                        rs.metadata
                            .controller_ref()
                            .is_some_and(|r| r.uid == d.metadata.uid)
                    })
                    .filter(|rs| !equal_ignore_hash(&rs.spec.template, &d.spec.template))
                    .count();
                let complete = util::deployment_complete(d, &d.status);
                if (complete || d.spec.paused) && old > usize::try_from(limit).unwrap_or(0) {
                    return Err(Violation::HistoryTooLong {
                        deployment: dname,
                        old,
                        limit,
                    });
                }
            }
            if require_complete && !d.spec.paused && !util::deployment_complete(d, &d.status) {
                let s = &d.status;
                return Err(Violation::Incomplete {
                    deployment: dname,
                    detail: format!(
                        "replicas {} updated {} available {} of {} (observedGeneration {} / {})",
                        s.replicas,
                        s.updated_replicas,
                        s.available_replicas,
                        d.replicas(),
                        s.observed_generation,
                        d.metadata.generation
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Per-sync invariants: surge bound, availability budget, old ReplicaSets only shrink.
fn check_sync(sync: &DeploymentSync) -> Result<(), Violation> {
    if sync.scaling_event || sync.paused {
        return Ok(());
    }
    let before: i32 = sync.before.iter().map(|r| r.spec).sum();
    let after: i32 = sync.after.iter().map(|r| r.spec).sum();
    let bound = sync
        .replicas
        .saturating_add(if sync.recreate { 0 } else { sync.max_surge });
    if after > bound && after > before {
        return Err(Violation::SurgeExceeded {
            time: sync.time,
            deployment: sync.deployment.clone(),
            total: after,
            before,
            replicas: sync.replicas,
            max_surge: sync.max_surge,
        });
    }
    for a in &sync.after {
        let Some(b) = sync.before.iter().find(|b| b.name == a.name) else {
            continue;
        };
        if !a.is_new && a.spec > b.spec {
            return Err(Violation::OldReplicaSetGrew {
                time: sync.time,
                deployment: sync.deployment.clone(),
                replica_set: a.name.clone(),
                from: b.spec,
                to: a.spec,
            });
        }
    }
    if sync.recreate && sync.old_pods_running {
        for a in sync.after.iter().filter(|a| a.is_new) {
            let before = sync
                .before
                .iter()
                .find(|b| b.name == a.name)
                .map_or(0, |b| b.spec);
            if a.spec > before {
                return Err(Violation::RecreateOverlap {
                    time: sync.time,
                    deployment: sync.deployment.clone(),
                    replica_set: a.name.clone(),
                    to: a.spec,
                });
            }
        }
    }
    if !sync.recreate {
        // The guarantee as upstream states it, over what the controller observed (ReplicaSet
        // statuses may lag their specs): scale-downs beyond the not-yet-available replicas never
        // take the observed available count below `replicas − maxUnavailable`.
        let min_available = sync.replicas.saturating_sub(sync.max_unavailable);
        let (mut available, mut removed, mut unhealthy) = (0i32, 0i32, 0i32);
        for b in sync.before.iter().filter(|b| b.spec > 0) {
            let after_spec = sync
                .after
                .iter()
                .find(|a| a.name == b.name)
                .map_or(0, |a| a.spec);
            available = available.saturating_add(b.available);
            removed = removed.saturating_add((b.spec - after_spec).max(0));
            unhealthy = unhealthy.saturating_add((b.spec - b.available).max(0));
        }
        let after = available.saturating_sub((removed - unhealthy).max(0));
        if after < available.min(min_available) {
            return Err(Violation::AvailabilityBudget {
                time: sync.time,
                deployment: sync.deployment.clone(),
                before: available,
                after,
                min_available,
            });
        }
    }
    Ok(())
}

impl fmt::Display for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "checker tracking {} ReplicaSets and {} Deployments",
            self.revisions.len(),
            self.collisions.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ReplicaSetState;

    fn rs(name: &str, spec: i32, available: i32, is_new: bool) -> ReplicaSetState {
        ReplicaSetState {
            name: name.into(),
            spec,
            available,
            revision: None,
            is_new,
        }
    }

    fn sync(before: Vec<ReplicaSetState>, after: Vec<ReplicaSetState>) -> DeploymentSync {
        DeploymentSync {
            time: Time::from_unix(0),
            deployment: "default/web".into(),
            recreate: false,
            paused: false,
            replicas: 10,
            max_surge: 3,
            max_unavailable: 2,
            scaling_event: false,
            old_pods_running: false,
            before,
            after,
        }
    }

    #[test]
    fn the_worked_example_passes() {
        let s = sync(
            vec![rs("old", 10, 10, false)],
            vec![rs("old", 8, 10, false), rs("new", 3, 0, true)],
        );
        assert_eq!(check_sync(&s), Ok(()));
    }

    #[test]
    fn each_per_sync_violation_is_caught() {
        let surge = sync(
            vec![rs("old", 10, 10, false)],
            vec![rs("old", 10, 10, false), rs("new", 4, 0, true)],
        );
        assert!(matches!(
            check_sync(&surge),
            Err(Violation::SurgeExceeded { total: 14, .. })
        ));
        let budget = sync(
            vec![rs("old", 10, 10, false)],
            vec![rs("old", 7, 10, false), rs("new", 3, 0, true)],
        );
        assert!(matches!(
            check_sync(&budget),
            Err(Violation::AvailabilityBudget { after: 7, .. })
        ));
        let grew = sync(
            vec![rs("old", 5, 5, false), rs("new", 5, 5, true)],
            vec![rs("old", 6, 5, false), rs("new", 5, 5, true)],
        );
        assert!(matches!(
            check_sync(&grew),
            Err(Violation::OldReplicaSetGrew { .. })
        ));
        let mut scaling = surge;
        scaling.scaling_event = true;
        assert_eq!(check_sync(&scaling), Ok(()), "scaling events are exempt");
    }
}
