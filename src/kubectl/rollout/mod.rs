//! `kubectl rollout`: `restart`, `pause`, `resume` (this file), `history`, `undo`, `status`.

mod history;
mod status;
mod undo;

pub use history::{HistoryError, history, view_history};
pub use status::{RolloutStatus, StatusError, status};
pub use undo::{UndoError, UndoOutcome, deployment_patch, undo};

use crate::time::Time;

use super::{Object, name_line, server};

/// The template annotation `rollout restart` sets.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// Why `rollout restart|pause|resume` failed; nothing was written. The messages carry kubectl's
/// `error: <resource> "<name>"` prefix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RolloutError {
    /// `pause` on a paused Deployment.
    #[error("error: {resource} \"{name}\" is already paused")]
    AlreadyPaused {
        /// `deployments.apps`.
        resource: String,
        /// The name.
        name: String,
    },
    /// `resume` on a Deployment that is not paused.
    #[error("error: {resource} \"{name}\" is not paused")]
    NotPaused {
        /// `deployments.apps`.
        resource: String,
        /// The name.
        name: String,
    },
    /// `restart` on a paused Deployment.
    #[error(
        "error: {resource} \"{name}\" can't restart paused deployment (run rollout resume first)"
    )]
    RestartPaused {
        /// `deployments.apps`.
        resource: String,
        /// The name.
        name: String,
    },
    /// `restart` twice within one second: the patch is empty.
    #[error(
        "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
    )]
    RestartTooSoon {
        /// The name.
        name: String,
    },
    /// The kind cannot be paused, resumed or restarted (`pausing is not supported`).
    #[error("error: {resource} \"{name}\" {verb} is not supported")]
    NotSupported {
        /// `replicasets.apps`, `pods`, ...
        resource: String,
        /// The name.
        name: String,
        /// `pausing`, `resuming` or `restarting`.
        verb: &'static str,
    },
}

fn unsupported(obj: &Object, verb: &'static str) -> RolloutError {
    RolloutError::NotSupported {
        resource: crate::kubectl::TypeNames::of(obj).resource,
        name: obj.name().to_owned(),
        verb,
    }
}

/// `kubectl rollout pause`: sets `spec.paused` (`deployment.apps/web paused`).
pub fn pause(obj: &Object) -> Result<(Object, String), RolloutError> {
    let Object::Deployment(d) = obj else {
        return Err(unsupported(obj, "pausing"));
    };
    if d.spec.paused {
        return Err(RolloutError::AlreadyPaused {
            resource: crate::kubectl::TypeNames::of(obj).resource,
            name: d.metadata.name.clone(),
        });
    }
    let mut new = d.clone();
    new.spec.paused = true;
    let mut updated = Object::Deployment(new);
    server::finish_update(obj, &mut updated);
    let line = name_line(&updated, "paused");
    Ok((updated, line))
}

/// `kubectl rollout resume`: clears `spec.paused` (`deployment.apps/web resumed`).
pub fn resume(obj: &Object) -> Result<(Object, String), RolloutError> {
    let Object::Deployment(d) = obj else {
        return Err(unsupported(obj, "resuming"));
    };
    if !d.spec.paused {
        return Err(RolloutError::NotPaused {
            resource: crate::kubectl::TypeNames::of(obj).resource,
            name: d.metadata.name.clone(),
        });
    }
    let mut new = d.clone();
    new.spec.paused = false;
    let mut updated = Object::Deployment(new);
    server::finish_update(obj, &mut updated);
    let line = name_line(&updated, "resumed");
    Ok((updated, line))
}

/// `kubectl rollout restart`: sets the template annotation `kubectl.kubernetes.io/restartedAt`
/// to `now` in RFC 3339 (`deployment.apps/web restarted`). kubectl writes the client's local
/// time with its offset; this crate writes UTC (`2024-05-01T12:34:56Z`).
pub fn restart(obj: &Object, now: Time) -> Result<(Object, String), RolloutError> {
    let Object::Deployment(d) = obj else {
        return Err(unsupported(obj, "restarting"));
    };
    if d.spec.paused {
        return Err(RolloutError::RestartPaused {
            resource: crate::kubectl::TypeNames::of(obj).resource,
            name: d.metadata.name.clone(),
        });
    }
    let mut new = d.clone();
    new.spec
        .template
        .metadata
        .annotations
        .insert(RESTARTED_AT_ANNOTATION.to_owned(), now.to_string());
    if &new == d {
        return Err(RolloutError::RestartTooSoon {
            name: d.metadata.name.clone(),
        });
    }
    let mut updated = Object::Deployment(new);
    server::finish_update(obj, &mut updated);
    let line = name_line(&updated, "restarted");
    Ok((updated, line))
}
