//! Scaling events and proportional scaling (upstream's `isScalingEvent` and `scale`).

use super::sync::with_new;
use super::util;
use super::{Ctx, Stop};
use crate::api::DeploymentStrategyType;

impl Ctx<'_> {
    /// Upstream's `isScalingEvent`: some active ReplicaSet's desired-replicas annotation parses
    /// and differs from `spec.replicas`. Like upstream it syncs revisions first (which may write).
    pub(crate) fn is_scaling_event(&mut self) -> Result<bool, Stop> {
        let (new, old) = self.all_replica_sets_and_sync_revision(false)?;
        let replicas = self.d.replicas();
        Ok(with_new(&old, new).into_iter().any(|i| {
            let rs = self.rs(i);
            rs.replicas() > 0
                && util::desired_replicas_annotation(rs).is_some_and(|d| d != replicas)
        }))
    }

    /// Upstream's `FindActiveOrLatest`: the only active ReplicaSet, or with none active the new
    /// one (else the newest old one); `None` when several are active.
    fn find_active_or_latest(&self, new: Option<usize>, old: &[usize]) -> Option<usize> {
        if new.is_none() && old.is_empty() {
            return None;
        }
        let mut old_sorted = old.to_vec();
        old_sorted.sort_by(|&a, &b| util::by_creation(self.rs(b), self.rs(a)));
        let active: Vec<usize> = with_new(&old_sorted, new)
            .into_iter()
            .filter(|&i| self.rs(i).replicas() > 0)
            .collect();
        match active.as_slice() {
            [] => new.or_else(|| old_sorted.first().copied()),
            [only] => Some(*only),
            _ => None,
        }
    }

    /// Upstream's `scale`: scale the single active ReplicaSet to the full size; with a saturated
    /// new ReplicaSet scale the old ones to zero; otherwise (RollingUpdate) spread the
    /// difference proportionally, larger ReplicaSets first, the rounding leftover to the first.
    pub(crate) fn scale(&mut self, new: Option<usize>, old: &[usize]) -> Result<(), Stop> {
        let replicas = self.d.replicas();
        if let Some(i) = self.find_active_or_latest(new, old) {
            if self.rs(i).replicas() == replicas {
                return Ok(());
            }
            self.scale_replica_set_and_record_event(i, replicas);
            return Ok(());
        }
        // FindActiveOrLatest sorted the old ReplicaSets newest first, in place, upstream.
        let mut old_sorted = old.to_vec();
        old_sorted.sort_by(|&a, &b| util::by_creation(self.rs(b), self.rs(a)));
        if util::is_saturated(&self.d, new.map(|i| self.rs(i))) {
            for &i in &old_sorted {
                if self.rs(i).replicas() > 0 {
                    self.scale_replica_set_and_record_event(i, 0);
                }
            }
            return Ok(());
        }
        if self.d.spec.strategy.type_ != DeploymentStrategyType::RollingUpdate {
            return Ok(());
        }
        let mut all: Vec<usize> = with_new(&old_sorted, new)
            .into_iter()
            .filter(|&i| self.rs(i).replicas() > 0)
            .collect();
        let current = util::replica_count(all.iter().map(|&i| self.rs(i)));
        let allowed = if replicas > 0 {
            replicas.saturating_add(util::max_surge(&self.d))
        } else {
            0
        };
        let to_add = allowed.saturating_sub(current);
        let op = match to_add.signum() {
            1 => {
                all.sort_by(|&a, &b| util::by_size_newer(self.rs(a), self.rs(b)));
                "up"
            }
            -1 => {
                all.sort_by(|&a, &b| util::by_size_older(self.rs(a), self.rs(b)));
                "down"
            }
            _ => "",
        };
        let mut added = 0i32;
        let mut sizes = Vec::with_capacity(all.len());
        for &i in &all {
            let rs = self.rs(i);
            if to_add == 0 {
                sizes.push(rs.replicas());
            } else {
                let p = util::proportion(rs, &self.d, to_add, added);
                sizes.push(rs.replicas().saturating_add(p));
                added = added.saturating_add(p);
            }
        }
        for (k, &i) in all.iter().enumerate() {
            let mut size = sizes.get(k).copied().unwrap_or(0);
            if k == 0 && to_add != 0 {
                size = size.saturating_add(to_add.saturating_sub(added)).max(0);
            }
            self.scale_replica_set(i, size, op);
        }
        Ok(())
    }
}
