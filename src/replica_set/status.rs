//! ReplicaSet status: upstream's `calculateStatus` and the rule for when to write it.

use std::borrow::Borrow;

use crate::api::{ConditionStatus, REPLICA_FAILURE, ReplicaSetCondition, ReplicaSetStatus};
use crate::time::Time;

/// Pod counts over the claimed active pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) replicas: usize,
    pub(crate) fully_labeled: i32,
    pub(crate) ready: i32,
    pub(crate) available: i32,
}

/// Everything needed to compute the status after the plan ran, with or without an error.
///
/// `S` holds the status found on the object: borrowed while reconciling
/// ([`StatusInputsRef`]), owned ([`StatusInputs::into_owned`]) in a plan that may need it again.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StatusInputs<S = ReplicaSetStatus> {
    /// Counts over the claimed active pods.
    pub(crate) counts: Counts,
    pub(crate) old: S,
    pub(crate) generation: i64,
    pub(crate) desired: i32,
    pub(crate) now: Time,
}

/// [`StatusInputs`] borrowing the object's status (no copy while reconciling).
pub(crate) type StatusInputsRef<'a> = StatusInputs<&'a ReplicaSetStatus>;

impl StatusInputsRef<'_> {
    /// The same inputs owning a copy of the old status.
    pub(crate) fn into_owned(self) -> StatusInputs {
        StatusInputs {
            counts: self.counts,
            old: self.old.clone(),
            generation: self.generation,
            desired: self.desired,
            now: self.now,
        }
    }
}

impl<S: Borrow<ReplicaSetStatus>> StatusInputs<S> {
    /// The status to write given the manage error (if any), or `None` when upstream would skip
    /// the write: counts equal, `generation == observedGeneration`, and conditions equal.
    pub(crate) fn status(&self, error: Option<&str>) -> Option<ReplicaSetStatus> {
        let old: &ReplicaSetStatus = self.old.borrow();
        let replicas = i32::try_from(self.counts.replicas).unwrap_or(i32::MAX);
        let conditions_change = condition_change(&old.conditions, error);
        if old.replicas == replicas
            && old.fully_labeled_replicas == self.counts.fully_labeled
            && old.ready_replicas == self.counts.ready
            && old.available_replicas == self.counts.available
            && self.generation == old.observed_generation
            && conditions_change.is_none()
        {
            return None;
        }
        let mut status = ReplicaSetStatus {
            replicas,
            fully_labeled_replicas: self.counts.fully_labeled,
            ready_replicas: self.counts.ready,
            available_replicas: self.counts.available,
            observed_generation: self.generation,
            conditions: old.conditions.clone(),
            extra: old.extra.clone(),
        };
        match conditions_change {
            Some(ConditionChange::Add) => status.conditions.push(ReplicaSetCondition {
                type_: REPLICA_FAILURE.to_owned(),
                status: ConditionStatus::True,
                last_transition_time: Some(self.now),
                reason: match replicas.cmp(&self.desired) {
                    std::cmp::Ordering::Less => "FailedCreate".to_owned(),
                    std::cmp::Ordering::Greater => "FailedDelete".to_owned(),
                    std::cmp::Ordering::Equal => String::new(),
                },
                message: error.unwrap_or_default().to_owned(),
                ..ReplicaSetCondition::default()
            }),
            Some(ConditionChange::Remove) => {
                status.conditions.retain(|c| c.type_ != REPLICA_FAILURE)
            }
            None => {}
        }
        Some(status)
    }
}

enum ConditionChange {
    Add,
    Remove,
}

/// Upstream's ReplicaFailure rule: added when a manage error occurs and none exists (the
/// reason comes from the sign of claimed − desired, empty when they are equal), kept unchanged
/// while errors continue, removed by an error-free sync.
fn condition_change(
    conditions: &[ReplicaSetCondition],
    error: Option<&str>,
) -> Option<ConditionChange> {
    let existing = conditions.iter().any(|c| c.type_ == REPLICA_FAILURE);
    match (error, existing) {
        (Some(_), false) => Some(ConditionChange::Add),
        (None, true) => Some(ConditionChange::Remove),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(replicas: usize, desired: i32, old: ReplicaSetStatus) -> StatusInputs {
        StatusInputs {
            counts: Counts {
                replicas,
                fully_labeled: 0,
                ready: 0,
                available: 0,
            },
            old,
            generation: 1,
            desired,
            now: Time::from_unix(100),
        }
    }

    fn failure(reason: &str) -> ReplicaSetCondition {
        ReplicaSetCondition {
            type_: REPLICA_FAILURE.into(),
            status: ConditionStatus::True,
            reason: reason.into(),
            ..Default::default()
        }
    }

    // Upstream TestCalculateStatusConditions.
    #[test]
    fn replica_failure_condition_table() {
        let s = inputs(1, 2, ReplicaSetStatus::default())
            .status(Some("fake manageReplicasErr"))
            .unwrap();
        assert_eq!(s.conditions.len(), 1);
        assert_eq!(s.conditions[0].reason, "FailedCreate");
        assert_eq!(s.conditions[0].message, "fake manageReplicasErr");
        assert_eq!(
            s.conditions[0].last_transition_time,
            Some(Time::from_unix(100))
        );

        let s = inputs(3, 2, ReplicaSetStatus::default())
            .status(Some("fake manageReplicasErr"))
            .unwrap();
        assert_eq!(s.conditions[0].reason, "FailedDelete");

        let with = ReplicaSetStatus {
            conditions: vec![failure("")],
            ..Default::default()
        };
        let s = inputs(0, 10, with.clone()).status(None).unwrap();
        assert!(s.conditions.is_empty());

        let s = inputs(0, 10, with.clone()).status(Some("again")).unwrap();
        assert_eq!(s.conditions, with.conditions);

        let s = inputs(0, 10, ReplicaSetStatus::default())
            .status(None)
            .unwrap();
        assert!(s.conditions.is_empty());
    }

    #[test]
    fn write_is_skipped_only_when_nothing_changed_and_generation_observed() {
        let old = ReplicaSetStatus {
            observed_generation: 1,
            ..Default::default()
        };
        assert_eq!(inputs(0, 0, old.clone()).status(None), None);
        let mut i = inputs(0, 0, old);
        i.generation = 2;
        assert_eq!(i.status(None).unwrap().observed_generation, 2);
    }
}
