//! `kubectl rollout status` (Deployment status viewer), one evaluation of the watched object.

use crate::api::DeploymentConditionType;
use crate::deployment::util::{reason, revision};

use super::super::Object;
use crate::validation::field::go_quote as q;

/// What the status viewer reports for one observation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RolloutStatus {
    /// The rollout is complete; kubectl prints the message and exits 0.
    Done(String),
    /// Still rolling out; kubectl prints the message and keeps watching.
    Waiting(String),
}

impl RolloutStatus {
    /// The line kubectl prints (ends with a newline).
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            RolloutStatus::Done(m) | RolloutStatus::Waiting(m) => m,
        }
    }

    /// True when done.
    #[must_use]
    pub fn is_done(&self) -> bool {
        matches!(self, RolloutStatus::Done(_))
    }
}

/// Why the status viewer failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    /// Only Deployments have a status viewer here.
    #[error("no status viewer has been implemented for {group_kind}")]
    NotSupported {
        /// `ReplicaSet.apps`, `Pod`, ...
        group_kind: String,
    },
    /// The revision annotation does not parse.
    #[error(
        "cannot get the revision of deployment {}: strconv.ParseInt: parsing {}: invalid syntax",
        q(.name),
        q(.value)
    )]
    BadRevision {
        /// The Deployment's name.
        name: String,
        /// The annotation's value.
        value: String,
    },
    /// `--revision` differs from the Deployment's revision.
    #[error("desired revision ({desired}) is different from the running revision ({running})")]
    RevisionMismatch {
        /// `--revision`.
        desired: i64,
        /// The Deployment's revision annotation.
        running: i64,
    },
    /// `Progressing` has reason `ProgressDeadlineExceeded`.
    #[error("deployment {} exceeded its progress deadline", q(.name))]
    DeadlineExceeded {
        /// The Deployment's name.
        name: String,
    },
}

/// Upstream's `DeploymentStatusViewer.Status` (`revision` is `--revision`, 0 for none).
pub fn status(obj: &Object, rev: i64) -> Result<RolloutStatus, StatusError> {
    let Object::Deployment(d) = obj else {
        return Err(StatusError::NotSupported {
            group_kind: crate::kubectl::TypeNames::of(obj).group_kind,
        });
    };
    let name = &d.metadata.name;
    let quoted = q(name);
    if rev > 0 {
        let running = revision(&d.metadata.annotations).map_err(|e| StatusError::BadRevision {
            name: name.clone(),
            value: e.value,
        })?;
        if running != rev {
            return Err(StatusError::RevisionMismatch {
                desired: rev,
                running,
            });
        }
    }
    if d.metadata.generation > d.status.observed_generation {
        return Ok(RolloutStatus::Waiting(
            "Waiting for deployment spec update to be observed...\n".to_owned(),
        ));
    }
    if d.condition(&DeploymentConditionType::Progressing)
        .is_some_and(|c| c.reason == reason::PROGRESS_DEADLINE_EXCEEDED)
    {
        return Err(StatusError::DeadlineExceeded { name: name.clone() });
    }
    let s = &d.status;
    if let Some(replicas) = d.spec.replicas {
        if s.updated_replicas < replicas {
            return Ok(RolloutStatus::Waiting(format!(
                "Waiting for deployment {quoted} rollout to finish: {} out of {replicas} new replicas have been updated...\n",
                s.updated_replicas
            )));
        }
    }
    if s.replicas > s.updated_replicas {
        return Ok(RolloutStatus::Waiting(format!(
            "Waiting for deployment {quoted} rollout to finish: {} old replicas are pending termination...\n",
            i64::from(s.replicas) - i64::from(s.updated_replicas)
        )));
    }
    if s.available_replicas < s.updated_replicas {
        return Ok(RolloutStatus::Waiting(format!(
            "Waiting for deployment {quoted} rollout to finish: {} of {} updated replicas are available...\n",
            s.available_replicas, s.updated_replicas
        )));
    }
    Ok(RolloutStatus::Done(format!(
        "deployment {quoted} successfully rolled out\n"
    )))
}
