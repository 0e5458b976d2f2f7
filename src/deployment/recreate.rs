//! The Recreate strategy (upstream's `recreate.go`): scale every old ReplicaSet to zero, wait
//! until no old pod is running, then create the new ReplicaSet at full size.

use super::sync::with_new;
use super::util;
use super::{Ctx, Stop};

impl Ctx<'_> {
    /// Upstream's `rolloutRecreate`.
    pub(crate) fn rollout_recreate(&mut self) -> Result<(), Stop> {
        let (mut new, mut old) = self.all_replica_sets_and_sync_revision(false)?;
        let mut all = with_new(&old, new);
        let active_old: Vec<usize> = old
            .iter()
            .copied()
            .filter(|&i| self.rs(i).replicas() > 0)
            .collect();
        let mut scaled = false;
        for i in active_old {
            scaled |= self.scale_replica_set_and_record_event(i, 0);
        }
        if scaled {
            self.sync_rollout_status(&all, new);
            return Ok(());
        }
        if self.old_pods_running(new, &old) {
            self.sync_rollout_status(&all, new);
            return Ok(());
        }
        if new.is_none() {
            let (n, o) = self.all_replica_sets_and_sync_revision(true)?;
            new = n;
            old = o;
            all = with_new(&old, new);
        }
        if let Some(n) = new {
            let replicas = self.d.replicas();
            self.scale_replica_set_and_record_event(n, replicas);
        }
        if util::deployment_complete(&self.d, &self.d.status) {
            self.cleanup_deployment(&old)?;
        }
        self.sync_rollout_status(&all, new);
        Ok(())
    }

    /// Upstream's `oldPodsRunning`: an old ReplicaSet still reports pods, or a pod of an old
    /// ReplicaSet is in any phase but Succeeded/Failed (terminating pods included).
    pub(crate) fn old_pods_running(&self, new: Option<usize>, old: &[usize]) -> bool {
        let reported: i64 = old
            .iter()
            .map(|&i| i64::from(self.rs(i).status.replicas))
            .sum();
        if reported > 0 {
            return true;
        }
        let new_uid = new.map(|i| self.rs(i).metadata.uid.as_str());
        self.rs_with_live_pods
            .iter()
            .any(|uid| Some(uid.as_str()) != new_uid)
    }
}
