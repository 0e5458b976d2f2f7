//! The RollingUpdate strategy (upstream's `rolling.go`): scale the new ReplicaSet up within
//! `maxSurge`, then scale old ones down within `maxUnavailable`, one direction per sync.

use super::sync::with_new;
use super::util;
use super::{Ctx, Stop};

impl Ctx<'_> {
    /// Upstream's `rolloutRolling`.
    pub(crate) fn rollout_rolling(&mut self) -> Result<(), Stop> {
        let (new, old) = self.all_replica_sets_and_sync_revision(true)?;
        let all = with_new(&old, new);
        let Some(new) = new else {
            return Ok(());
        };
        if self.reconcile_new_replica_set(&all, new) {
            self.sync_rollout_status(&all, Some(new));
            return Ok(());
        }
        let active_old: Vec<usize> = old
            .iter()
            .copied()
            .filter(|&i| self.rs(i).replicas() > 0)
            .collect();
        if self.reconcile_old_replica_sets(&all, &active_old, new) {
            self.sync_rollout_status(&all, Some(new));
            return Ok(());
        }
        if util::deployment_complete(&self.d, &self.d.status) {
            self.cleanup_deployment(&old)?;
        }
        self.sync_rollout_status(&all, Some(new));
        Ok(())
    }

    /// Upstream's `reconcileNewReplicaSet`: true when the new ReplicaSet was scaled.
    pub(crate) fn reconcile_new_replica_set(&mut self, all: &[usize], new: usize) -> bool {
        let replicas = self.d.replicas();
        let current = self.rs(new).replicas();
        if current == replicas {
            return false;
        }
        if current > replicas {
            return self.scale_replica_set_and_record_event(new, replicas);
        }
        let total = util::replica_count(all.iter().map(|&i| self.rs(i)));
        match util::new_rs_new_replicas(&self.d, total, current) {
            Ok(n) => self.scale_replica_set_and_record_event(new, n),
            Err(_) => false,
        }
    }

    /// Upstream's `reconcileOldReplicaSets`: true when old ReplicaSets were scaled down.
    pub(crate) fn reconcile_old_replica_sets(
        &mut self,
        all: &[usize],
        active_old: &[usize],
        new: usize,
    ) -> bool {
        let old_pods = util::replica_count(active_old.iter().map(|&i| self.rs(i)));
        if old_pods == 0 {
            return false;
        }
        let all_pods = i64::from(util::replica_count(all.iter().map(|&i| self.rs(i))));
        let min_available =
            i64::from(self.d.replicas()) - i64::from(util::max_unavailable(&self.d));
        let new_rs = self.rs(new);
        let new_unavailable =
            i64::from(new_rs.replicas()) - i64::from(new_rs.status.available_replicas);
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        let mut old_sorted = active_old.to_vec();
        let cleaned = self.cleanup_unhealthy_replicas(
            &mut old_sorted,
            util::clamp_i32(i128::from(max_scaled_down)),
        );
        let all_now = with_new(&old_sorted, Some(new));
        let scaled = self.scale_down_old_replica_sets_for_rolling_update(&all_now, &old_sorted);
        cleaned.saturating_add(scaled) > 0
    }

    /// Upstream's `cleanupUnhealthyReplicas`: scale old ReplicaSets down by their not-yet-available
    /// replicas, oldest first, at most `max_cleanup` in total. Returns how many were removed.
    pub(crate) fn cleanup_unhealthy_replicas(
        &mut self,
        old: &mut [usize],
        max_cleanup: i32,
    ) -> i32 {
        old.sort_by(|&a, &b| util::by_creation(self.rs(a), self.rs(b)));
        let mut total = 0i32;
        for &i in old.iter() {
            if total >= max_cleanup {
                break;
            }
            let rs = self.rs(i);
            let spec = rs.replicas();
            if spec == 0 || spec == rs.status.available_replicas {
                continue;
            }
            let n = (max_cleanup - total).min(spec.saturating_sub(rs.status.available_replicas));
            let target = spec - n;
            if target > spec {
                // Upstream refuses (available above spec); nothing to clean here.
                return total;
            }
            self.scale_replica_set_and_record_event(i, target);
            total = total.saturating_add(n);
        }
        total
    }

    /// Upstream's `scaleDownOldReplicaSetsForRollingUpdate`: remove up to `available −
    /// minAvailable` replicas from old ReplicaSets, oldest first.
    pub(crate) fn scale_down_old_replica_sets_for_rolling_update(
        &mut self,
        all: &[usize],
        old: &[usize],
    ) -> i32 {
        let min_available =
            i64::from(self.d.replicas()) - i64::from(util::max_unavailable(&self.d));
        let available: i64 = all
            .iter()
            .map(|&i| i64::from(self.rs(i).status.available_replicas))
            .sum();
        if available <= min_available {
            return 0;
        }
        let mut old_sorted = old.to_vec();
        old_sorted.sort_by(|&a, &b| util::by_creation(self.rs(a), self.rs(b)));
        let budget = available - min_available;
        let mut total = 0i64;
        for i in old_sorted {
            if total >= budget {
                break;
            }
            let spec = self.rs(i).replicas();
            if spec == 0 {
                continue;
            }
            let n = i64::from(spec).min(budget - total);
            let target = util::clamp_i32(i128::from(i64::from(spec) - n));
            self.scale_replica_set_and_record_event(i, target);
            total += n;
        }
        util::clamp_i32(i128::from(total))
    }
}
