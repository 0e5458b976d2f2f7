//! Upstream's `sync.go`: finding or creating the new ReplicaSet and syncing revisions,
//! scaling primitives, status-only syncs and the status calculation.

use super::util::{self, reason};
use super::{Action, Ctx, Stop};
use crate::api::{
    ConditionStatus, DeploymentConditionType, DeploymentStatus, ReplicaSet, ReplicaSetSpec,
};
use crate::controller::Requeue;
use crate::hash::{POD_TEMPLATE_HASH_LABEL, equal_ignore_hash, pod_template_hash};
use crate::meta::ObjectMeta;

/// The new ReplicaSet (if any) and the old ones, as indices into `Ctx::rss`.
pub(crate) type Sets = (Option<usize>, Vec<usize>);

impl Ctx<'_> {
    /// Upstream's `syncStatusOnly` (Deployments being deleted).
    pub(crate) fn sync_status_only(&mut self) -> Result<(), Stop> {
        let (new, old) = self.all_replica_sets_and_sync_revision(false)?;
        let all = with_new(&old, new);
        self.sync_deployment_status(&all, new);
        Ok(())
    }

    /// Upstream's `sync`: scaling events and paused Deployments.
    pub(crate) fn sync(&mut self) -> Result<(), Stop> {
        let (new, old) = self.all_replica_sets_and_sync_revision(false)?;
        self.scale(new, &old)?;
        if self.d.spec.paused && super::rollback::rollback_to(&self.d).is_none() {
            self.cleanup_deployment(&old)?;
        }
        let all = with_new(&old, new);
        self.sync_deployment_status(&all, new);
        Ok(())
    }

    /// Upstream's `checkPausedConditions`: `DeploymentPaused` / `DeploymentResumed`.
    pub(crate) fn check_paused_conditions(&mut self) {
        if !util::has_progress_deadline(&self.d) {
            return;
        }
        let cond = util::get_condition(&self.d.status, &DeploymentConditionType::Progressing);
        if cond.is_some_and(|c| c.reason == reason::PROGRESS_DEADLINE_EXCEEDED) {
            return;
        }
        let paused_cond_exists = cond.is_some_and(|c| c.reason == reason::DEPLOYMENT_PAUSED);
        let condition = if self.d.spec.paused && !paused_cond_exists {
            util::new_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::Unknown,
                reason::DEPLOYMENT_PAUSED,
                "Deployment is paused".to_owned(),
                self.now,
            )
        } else if !self.d.spec.paused && paused_cond_exists {
            util::new_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::Unknown,
                reason::DEPLOYMENT_RESUMED,
                "Deployment is resumed".to_owned(),
                self.now,
            )
        } else {
            return;
        };
        util::set_condition(&mut self.d.to_mut().status, condition);
        self.write_status();
    }

    /// Upstream's `getAllReplicaSetsAndSyncRevision`.
    pub(crate) fn all_replica_sets_and_sync_revision(
        &mut self,
        create: bool,
    ) -> Result<Sets, Stop> {
        // The template comparison is the costly part; nothing that changes it (a new template or
        // new ReplicaSet) happens between the syncs of one reconcile without clearing the cache.
        let existing = match self.new_rs_cache {
            Some(found) => found,
            None => {
                let found = self.find_new_replica_set();
                self.new_rs_cache = Some(found);
                found
            }
        };
        let old: Vec<usize> = (0..self.rss.len())
            .filter(|i| Some(*i) != existing)
            .collect();
        let new = self.new_replica_set(existing, &old, create)?;
        Ok((new, old))
    }

    /// Upstream's `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the
    /// Deployment's ignoring the hash label (`rss` is kept sorted by creation).
    pub(crate) fn find_new_replica_set(&self) -> Option<usize> {
        (0..self.rss.len())
            .find(|&i| equal_ignore_hash(&self.rs(i).spec.template, &self.d.spec.template))
    }

    /// Upstream's `getNewReplicaSet`.
    fn new_replica_set(
        &mut self,
        existing: Option<usize>,
        old: &[usize],
        create: bool,
    ) -> Result<Option<usize>, Stop> {
        let max_old = util::max_revision(old.iter().map(|&i| self.rs(i)));
        let new_revision = max_old.saturating_add(1).to_string();

        if let Some(i) = existing {
            let rs = self.rs(i);
            let min_ready_needs_update = rs.spec.min_ready_seconds != self.d.spec.min_ready_seconds;
            if min_ready_needs_update
                || util::new_replica_set_annotations_need_update(&self.d, rs, &new_revision)
            {
                let mut copy = rs.clone();
                let annotations_updated = util::set_new_replica_set_annotations(
                    &self.d,
                    &mut copy,
                    &new_revision,
                    true,
                    util::MAX_REV_HISTORY_LENGTH_IN_CHARS,
                );
                if annotations_updated || min_ready_needs_update {
                    copy.spec.min_ready_seconds = self.d.spec.min_ready_seconds;
                    self.update_rs(i, copy);
                    return Ok(Some(i));
                }
            }
            let rs = self.rs(i);
            let rs_revision =
                crate::meta::lookup(&rs.metadata.annotations, util::REVISION_ANNOTATION)
                    .map_or("", String::as_str);
            let mut needs_update =
                if crate::meta::lookup(&self.d.metadata.annotations, util::REVISION_ANNOTATION)
                    .map(String::as_str)
                    == Some(rs_revision)
                {
                    false
                } else {
                    let rs_revision = rs_revision.to_owned();
                    self.set_deployment_revision(&rs_revision)
                };
            let has_progressing =
                util::get_condition(&self.d.status, &DeploymentConditionType::Progressing)
                    .is_some();
            if util::has_progress_deadline(&self.d) && !has_progressing {
                let c = util::new_condition(
                    DeploymentConditionType::Progressing,
                    ConditionStatus::True,
                    reason::FOUND_NEW_REPLICA_SET,
                    format!("Found new replica set {:?}", self.rs(i).metadata.name),
                    self.now,
                );
                util::set_condition(&mut self.d.to_mut().status, c);
                needs_update = true;
            }
            if needs_update {
                self.write_status();
            }
            return Ok(Some(i));
        }
        if !create {
            return Ok(None);
        }

        // Create the new ReplicaSet.
        let d = &self.d;
        let hash = pod_template_hash(&d.spec.template, d.status.collision_count);
        let mut template = d.spec.template.clone();
        template
            .metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        let mut selector = d.spec.selector.clone().unwrap_or_default();
        selector
            .match_labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        let mut new_rs = ReplicaSet {
            metadata: ObjectMeta {
                name: format!("{}-{hash}", d.metadata.name),
                namespace: d.metadata.namespace.clone(),
                owner_references: vec![super::controller_ref_of(d)],
                labels: template.metadata.labels.clone(),
                ..ObjectMeta::default()
            },
            spec: ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: d.spec.min_ready_seconds,
                selector: Some(selector),
                template,
                ..ReplicaSetSpec::default()
            },
            ..ReplicaSet::default()
        };
        let all_replicas = util::replica_count(old.iter().map(|&i| self.rs(i)));
        let Ok(new_replicas) = util::new_rs_new_replicas(d, all_replicas, 0) else {
            // Validated up front; upstream would return the error.
            self.requeue = Some(Requeue::Backoff);
            return Err(Stop);
        };
        new_rs.spec.replicas = Some(new_replicas);
        util::set_new_replica_set_annotations(
            d,
            &mut new_rs,
            &new_revision,
            false,
            util::MAX_REV_HISTORY_LENGTH_IN_CHARS,
        );

        // The store would answer AlreadyExists: ours (same owner, same template) or a collision.
        let clash = self
            .namespace_rss
            .iter()
            .find(|rs| rs.metadata.name == new_rs.metadata.name)
            .copied();
        let (index, already_exists) = match clash {
            Some(existing) => {
                let ours = existing
                    .metadata
                    .controller_ref()
                    .is_some_and(|r| r.uid == self.d.metadata.uid)
                    && equal_ignore_hash(&self.d.spec.template, &existing.spec.template);
                if !ours {
                    let status = &mut self.d.to_mut().status;
                    status.collision_count =
                        Some(status.collision_count.unwrap_or(0).saturating_add(1));
                    self.write_status();
                    self.requeue = Some(Requeue::Backoff);
                    return Err(Stop);
                }
                let index = match self
                    .rss
                    .iter()
                    .position(|r| r.metadata.uid == existing.metadata.uid)
                {
                    Some(i) => i,
                    None => {
                        self.rss.push(super::Working::Listed(existing));
                        self.new_rs_cache = None;
                        self.rss.len() - 1
                    }
                };
                (index, true)
            }
            None => {
                self.actions.push(Action::CreateReplicaSet(new_rs.clone()));
                let mut working = new_rs;
                working.metadata.creation_timestamp = Some(self.now);
                self.rss.push(super::Working::Written(Box::new(working)));
                self.new_rs_cache = None;
                (self.rss.len() - 1, false)
            }
        };
        let name = self.rs(index).metadata.name.clone();
        if !already_exists && new_replicas > 0 {
            self.event_normal(
                "ScalingReplicaSet",
                format!("Scaled up replica set {name} from 0 to {new_replicas}"),
            );
        }
        let mut needs_update = self.set_deployment_revision(&new_revision);
        if !already_exists && util::has_progress_deadline(&self.d) {
            let c = util::new_condition(
                DeploymentConditionType::Progressing,
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_CREATED,
                format!("Created new replica set {name:?}"),
                self.now,
            );
            util::set_condition(&mut self.d.to_mut().status, c);
            needs_update = true;
        }
        if needs_update {
            self.write_status();
        }
        Ok(Some(index))
    }

    /// `SetDeploymentRevision` on the working copy, cloning it only when it changes.
    fn set_deployment_revision(&mut self, revision: &str) -> bool {
        if self
            .d
            .metadata
            .annotations
            .get(util::REVISION_ANNOTATION)
            .map(String::as_str)
            == Some(revision)
        {
            return false;
        }
        util::set_deployment_revision(self.d.to_mut(), revision)
    }

    /// Upstream's `scaleReplicaSetAndRecordEvent`.
    pub(crate) fn scale_replica_set_and_record_event(&mut self, i: usize, new_scale: i32) -> bool {
        let current = self.rs(i).replicas();
        if current == new_scale {
            return false;
        }
        let op = if current < new_scale { "up" } else { "down" };
        self.scale_replica_set(i, new_scale, op)
    }

    /// Upstream's `scaleReplicaSet`: writes the size and the desired/max-replicas annotations
    /// when either differs; records `ScalingReplicaSet` (v1.32 wording) when the size changed.
    pub(crate) fn scale_replica_set(&mut self, i: usize, new_scale: i32, op: &str) -> bool {
        let rs = self.rs(i);
        let old_scale = rs.replicas();
        let size_needs_update = old_scale != new_scale;
        let desired = self.d.replicas();
        let max = desired.saturating_add(util::max_surge(&self.d));
        let annotations_need_update = util::replicas_annotations_need_update(rs, desired, max);
        if !size_needs_update && !annotations_need_update {
            return false;
        }
        let mut copy = rs.clone();
        copy.spec.replicas = Some(new_scale);
        util::set_replicas_annotations(&mut copy, desired, max);
        let name = copy.metadata.name.clone();
        self.update_rs(i, copy);
        if size_needs_update {
            self.event_normal(
                "ScalingReplicaSet",
                format!("Scaled {op} replica set {name} from {old_scale} to {new_scale}"),
            );
        }
        size_needs_update
    }

    /// Upstream's `syncDeploymentStatus`.
    pub(crate) fn sync_deployment_status(&mut self, all: &[usize], new: Option<usize>) {
        let status = self.calculate_status(all, new);
        if self.d.status == status {
            return;
        }
        self.d.to_mut().status = status;
        self.write_status();
    }

    /// Upstream's `calculateStatus`.
    pub(crate) fn calculate_status(&self, all: &[usize], new: Option<usize>) -> DeploymentStatus {
        let sum = |f: fn(&ReplicaSet) -> i32| {
            util::clamp_i32(all.iter().map(|&i| i128::from(f(self.rs(i)))).sum())
        };
        let available = sum(|rs| rs.status.available_replicas);
        // Upstream sums the specs of the objects as listed, not as this sync rescaled them.
        let total_spec = util::clamp_i32(
            all.iter()
                .map(|&i| i128::from(self.listed_replicas(i)))
                .sum(),
        );
        let d = &self.d;
        let mut status = DeploymentStatus {
            observed_generation: d.metadata.generation,
            replicas: sum(|rs| rs.status.replicas),
            updated_replicas: new.map_or(0, |i| self.rs(i).status.replicas),
            ready_replicas: sum(|rs| rs.status.ready_replicas),
            available_replicas: available,
            unavailable_replicas: total_spec.saturating_sub(available).max(0),
            conditions: d.status.conditions.clone(),
            collision_count: d.status.collision_count,
            extra: d.status.extra.clone(),
        };
        let (cstatus, creason, cmessage) =
            if available >= d.replicas().saturating_sub(util::max_unavailable(d)) {
                (
                    ConditionStatus::True,
                    reason::MINIMUM_REPLICAS_AVAILABLE,
                    "Deployment has minimum availability.",
                )
            } else {
                (
                    ConditionStatus::False,
                    reason::MINIMUM_REPLICAS_UNAVAILABLE,
                    "Deployment does not have minimum availability.",
                )
            };
        // SetDeploymentCondition leaves an equal (status, reason) condition untouched: skip
        // building the replacement in that common case.
        let unchanged = util::get_condition(&status, &DeploymentConditionType::Available)
            .is_some_and(|c| c.status == cstatus && c.reason == creason);
        if !unchanged {
            let condition = util::new_condition(
                DeploymentConditionType::Available,
                cstatus,
                creason,
                cmessage.to_owned(),
                self.now,
            );
            util::set_condition(&mut status, condition);
        }
        status
    }
}

/// `append(oldRSs, newRS)` without the nil.
pub(crate) fn with_new(old: &[usize], new: Option<usize>) -> Vec<usize> {
    let mut all = old.to_vec();
    all.extend(new);
    all
}
