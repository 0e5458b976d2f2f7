//! The deprecated rollback path (upstream's `rollback.go`): a Deployment annotated
//! `deprecated.deployment.rollback.to: N` gets the template of revision N (0 = the previous one).
//!
//! No served API version has `spec.rollbackTo` any more and `kubectl rollout undo` patches the
//! template directly (see [`crate::kubectl`] when it lands), so only a hand-set annotation
//! reaches this path.

use super::sync::with_new;
use super::util::{self, DEPRECATED_ROLLBACK_TO};
use super::{Action, Ctx, Stop};
use crate::api::Deployment;
use crate::hash::{POD_TEMPLATE_HASH_LABEL, equal_ignore_hash};

/// The revision the annotation asks for, when it parses as an `i64`.
pub(crate) fn rollback_to(d: &Deployment) -> Option<i64> {
    d.metadata
        .annotations
        .get(DEPRECATED_ROLLBACK_TO)
        .and_then(|v| v.parse::<i64>().ok())
}

impl Ctx<'_> {
    /// Upstream's `rollback`.
    pub(crate) fn rollback(&mut self) -> Result<(), Stop> {
        let (new, old) = self.all_replica_sets_and_sync_revision(true)?;
        let all = with_new(&old, new);
        let mut target = rollback_to(&self.d).unwrap_or(0);
        if target == 0 {
            target = util::last_revision(all.iter().map(|&i| self.rs(i)));
            if target == 0 {
                self.event_warning(
                    "DeploymentRollbackRevisionNotFound",
                    "Unable to find last revision.".to_owned(),
                );
                self.clear_rollback_to();
                return Ok(());
            }
        }
        for &i in &all {
            let Ok(v) = util::revision(&self.rs(i).metadata.annotations) else {
                continue;
            };
            if v != target {
                continue;
            }
            let performed = self.rollback_to_template(i);
            self.clear_rollback_to();
            if performed {
                let name = self.d.metadata.name.clone();
                self.event_normal(
                    "DeploymentRollback",
                    format!("Rolled back deployment {name:?} to revision {target}"),
                );
            }
            return Ok(());
        }
        self.event_warning(
            "DeploymentRollbackRevisionNotFound",
            "Unable to find the revision to rollback to.".to_owned(),
        );
        self.clear_rollback_to();
        Ok(())
    }

    /// Upstream's `rollbackToTemplate`: copy the ReplicaSet's template (minus the hash label)
    /// and its non-skipped annotations into the Deployment; true when the template changed.
    fn rollback_to_template(&mut self, i: usize) -> bool {
        let rs = self.rs(i).clone();
        if equal_ignore_hash(&self.d.spec.template, &rs.spec.template) {
            let name = self.d.metadata.name.clone();
            self.event_warning(
                "DeploymentRollbackTemplateUnchanged",
                format!("The rollback revision contains the same template as current deployment {name:?}"),
            );
            return false;
        }
        self.new_rs_cache = None;
        let d = self.d.to_mut();
        d.spec.template.metadata = rs.spec.template.metadata.clone();
        d.spec
            .template
            .metadata
            .labels
            .shift_remove(POD_TEMPLATE_HASH_LABEL);
        d.spec.template.spec = rs.spec.template.spec.clone();
        // SetDeploymentAnnotationsTo: keep only the skip-listed annotations of the Deployment,
        // then take every other annotation of the ReplicaSet.
        let mut annotations = crate::meta::Labels::new();
        for (k, v) in &d.metadata.annotations {
            if util::ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in &rs.metadata.annotations {
            if !util::ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        d.metadata.annotations = annotations;
        true
    }

    /// Removes the annotation and writes the Deployment (a spec update).
    fn clear_rollback_to(&mut self) {
        let d = self.d.to_mut();
        d.metadata.annotations.shift_remove(DEPRECATED_ROLLBACK_TO);
        self.actions.push(Action::UpdateDeployment(Box::new(
            self.d.clone().into_owned(),
        )));
    }
}
