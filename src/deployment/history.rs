//! Revision history cleanup (upstream's `cleanupDeployment`): keep at most
//! `revisionHistoryLimit` old ReplicaSets, deleting the oldest revisions that are fully scaled
//! down.

use super::util;
use super::{Action, Ctx, ReplicaSetRef, Stop};

impl Ctx<'_> {
    /// Upstream's `cleanupDeployment`: among old ReplicaSets not being deleted, examine the
    /// `count − limit` lowest revisions and delete those with no replicas (spec and status) whose
    /// generation has been observed; the others are skipped without widening the window.
    pub(crate) fn cleanup_deployment(&mut self, old: &[usize]) -> Result<(), Stop> {
        let Some(limit) = self
            .d
            .spec
            .revision_history_limit
            .filter(|_| util::has_revision_history_limit(&self.d))
        else {
            return Ok(());
        };
        let mut cleanable: Vec<usize> = old
            .iter()
            .copied()
            .filter(|&i| self.rs(i).metadata.deletion_timestamp.is_none())
            .collect();
        let diff = i64::try_from(cleanable.len()).unwrap_or(i64::MAX) - i64::from(limit);
        if diff <= 0 {
            return Ok(());
        }
        util::sort_by_revision(&mut cleanable, |i| self.rs(i));
        for &i in cleanable
            .iter()
            .take(usize::try_from(diff).unwrap_or(usize::MAX))
        {
            let rs = self.rs(i);
            // Upstream reads the object as listed: a scale-down this sync made is not seen.
            if rs.status.replicas != 0
                || self.listed_replicas(i) != 0
                || rs.metadata.generation > rs.status.observed_generation
                || rs.metadata.deletion_timestamp.is_some()
            {
                continue;
            }
            let r = ReplicaSetRef::of(rs);
            self.actions.push(Action::DeleteReplicaSet(r));
        }
        Ok(())
    }
}
