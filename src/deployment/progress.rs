//! Rollout progress (upstream's `progress.go`): the Progressing and ReplicaFailure conditions,
//! the progress deadline judged with the caller's `now`, and when to check it again.

use std::time::Duration;

use super::Ctx;
use super::util::{self, reason};
use crate::api::{ConditionStatus, DeploymentConditionType, DeploymentStatus, REPLICA_FAILURE};
use crate::controller::Requeue;

impl Ctx<'_> {
    /// Upstream's `syncRolloutStatus`.
    pub(crate) fn sync_rollout_status(&mut self, all: &[usize], new: Option<usize>) {
        let mut status = self.calculate_status(all, new);
        let has_deadline = util::has_progress_deadline(&self.d);
        if !has_deadline {
            util::remove_condition(&mut status, &DeploymentConditionType::Progressing);
        }
        let current =
            util::get_condition(&self.d.status, &DeploymentConditionType::Progressing).cloned();
        let complete_before = status.replicas == status.updated_replicas
            && current
                .as_ref()
                .is_some_and(|c| c.reason == reason::NEW_REPLICA_SET_AVAILABLE);
        let name = |what: &str| match new {
            Some(i) => format!("ReplicaSet {:?} {what}", self.rs(i).metadata.name),
            None => format!("Deployment {:?} {what}", self.d.metadata.name),
        };
        if has_deadline && !complete_before {
            if util::deployment_complete(&self.d, &status) {
                let c = util::new_condition(
                    DeploymentConditionType::Progressing,
                    ConditionStatus::True,
                    reason::NEW_REPLICA_SET_AVAILABLE,
                    name("has successfully progressed."),
                    self.now,
                );
                util::set_condition(&mut status, c);
            } else if util::deployment_progressing(&self.d, &status) {
                let mut c = util::new_condition(
                    DeploymentConditionType::Progressing,
                    ConditionStatus::True,
                    reason::REPLICA_SET_UPDATED,
                    name("is progressing."),
                    self.now,
                );
                if let Some(cur) = &current {
                    if cur.status == ConditionStatus::True {
                        c.last_transition_time = cur.last_transition_time;
                    }
                    util::remove_condition(&mut status, &DeploymentConditionType::Progressing);
                }
                util::set_condition(&mut status, c);
            } else if util::deployment_timed_out(&self.d, &status, self.now) {
                let c = util::new_condition(
                    DeploymentConditionType::Progressing,
                    ConditionStatus::False,
                    reason::PROGRESS_DEADLINE_EXCEEDED,
                    name("has timed out progressing."),
                    self.now,
                );
                util::set_condition(&mut status, c);
            }
        }
        match self.replica_failure(all, new) {
            Some(c) => util::set_condition(&mut status, c),
            None => util::remove_condition(&mut status, &DeploymentConditionType::ReplicaFailure),
        }
        if self.d.status == status {
            self.requeue = Requeue::min(self.requeue, self.requeue_stuck(&status));
            return;
        }
        self.d.to_mut().status = status;
        self.write_status();
    }

    /// Upstream's `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition, else the
    /// first one found among all ReplicaSets.
    fn replica_failure(
        &self,
        all: &[usize],
        new: Option<usize>,
    ) -> Option<crate::api::DeploymentCondition> {
        let from = |i: usize| {
            self.rs(i)
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == REPLICA_FAILURE)
                .map(util::replica_set_to_deployment_condition)
        };
        new.and_then(from)
            .or_else(|| all.iter().find_map(|&i| from(i)))
    }

    /// Upstream's `requeueStuckDeployment`: when to check the progress deadline again.
    pub(crate) fn requeue_stuck(&self, status: &DeploymentStatus) -> Option<Requeue> {
        if !util::has_progress_deadline(&self.d) {
            return None;
        }
        let current = util::get_condition(&self.d.status, &DeploymentConditionType::Progressing)?;
        if util::deployment_complete(&self.d, status)
            || current.reason == reason::PROGRESS_DEADLINE_EXCEEDED
        {
            return None;
        }
        let deadline = i64::from(self.d.spec.progress_deadline_seconds.unwrap_or(0));
        let last = current.last_update_time.unwrap_or(crate::time::Time::MIN);
        let after = last.add_seconds(deadline).seconds_since(self.now);
        if after < 1 {
            return Some(Requeue::Backoff);
        }
        // Upstream adds a second against clock skew.
        Some(Requeue::After(Duration::from_secs(
            u64::try_from(after).unwrap_or(0) + 1,
        )))
    }
}
