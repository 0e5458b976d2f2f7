//! `kubectl scale`: validation, preconditions, and the write through the scale subresource.

use super::{Object, name_line, server};

/// The flags of one `kubectl scale`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScaleRequest {
    /// `--replicas` (`None` when the flag is missing).
    pub replicas: Option<i64>,
    /// `--current-replicas` (−1, the default, means no precondition).
    pub current_replicas: i64,
    /// `--resource-version` precondition.
    pub resource_version: Option<String>,
}

impl ScaleRequest {
    /// `--replicas=N` without preconditions.
    #[must_use]
    pub fn to(replicas: i64) -> Self {
        ScaleRequest {
            replicas: Some(replicas),
            current_replicas: -1,
            resource_version: None,
        }
    }
}

/// Why `scale` failed; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScaleError {
    /// `--replicas` missing (cobra's required-flag check).
    #[error("required flag(s) \"replicas\" not set")]
    ReplicasRequired,
    /// `--replicas` negative.
    #[error("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")]
    NegativeReplicas,
    /// `--current-replicas` below −1.
    #[error("The --current-replicas must specify an integer of -1 or greater")]
    BadCurrentReplicas,
    /// `--replicas` does not fit `spec.replicas` (an int32). This crate's message: kubectl
    /// itself would silently wrap the value.
    #[error("invalid argument {value:?} for \"--replicas\" flag: value out of range")]
    ReplicasOutOfRange {
        /// The value given.
        value: i64,
    },
    /// A precondition failed (`Expected replicas to be 2, was 3`).
    #[error("Expected {precondition} to be {expected}, was {actual}")]
    Precondition {
        /// `replicas` or `resource version`.
        precondition: &'static str,
        /// The expected value.
        expected: String,
        /// The actual value.
        actual: String,
    },
    /// The kind has no scale subresource (pods). Message as the scale client reports a
    /// resource without one in discovery (not pinned against a live cluster).
    #[error("could not find scale subresource for {resource} in discovery information")]
    NotScalable {
        /// `/v1, Resource=pods`.
        resource: String,
    },
}

/// `kubectl scale --replicas=N`: checks the flags and preconditions, then writes
/// `spec.replicas` (bumping `generation` when it changes). Prints `deployment.apps/web scaled`
/// even when the count was already N.
pub fn scale(obj: &Object, req: &ScaleRequest) -> Result<(Object, String), ScaleError> {
    let replicas = req.replicas.ok_or(ScaleError::ReplicasRequired)?;
    if replicas < 0 {
        return Err(ScaleError::NegativeReplicas);
    }
    if req.current_replicas < -1 {
        return Err(ScaleError::BadCurrentReplicas);
    }
    let n =
        i32::try_from(replicas).map_err(|_| ScaleError::ReplicasOutOfRange { value: replicas })?;
    let current = match obj {
        Object::ReplicaSet(rs) => rs.replicas(),
        Object::ReplicationController(rc) => rc.replicas(),
        Object::Deployment(d) => d.replicas(),
        _ => {
            return Err(ScaleError::NotScalable {
                resource: scale_resource(obj),
            });
        }
    };
    if req.current_replicas != -1 && i64::from(current) != req.current_replicas {
        return Err(ScaleError::Precondition {
            precondition: "replicas",
            expected: req.current_replicas.to_string(),
            actual: current.to_string(),
        });
    }
    if let Some(rv) = &req.resource_version {
        let actual = obj
            .metadata()
            .map(|m| m.resource_version.clone())
            .unwrap_or_default();
        if *rv != actual {
            return Err(ScaleError::Precondition {
                precondition: "resource version",
                expected: rv.clone(),
                actual,
            });
        }
    }
    let mut updated = obj.clone();
    match &mut updated {
        Object::ReplicaSet(rs) => rs.spec.replicas = Some(n),
        Object::ReplicationController(rc) => rc.spec.replicas = Some(n),
        Object::Deployment(d) => d.spec.replicas = Some(n),
        _ => {}
    }
    server::finish_update(obj, &mut updated);
    let line = name_line(&updated, "scaled");
    Ok((updated, line))
}

/// kubectl's `GroupVersionResource` rendering for an object without a scale subresource
/// (`/v1, Resource=pods`, `/v1, Resource=services`).
fn scale_resource(obj: &Object) -> String {
    let names = super::TypeNames::of(obj);
    let plural = names
        .resource
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let (group, version) = match obj.api_version().rsplit_once('/') {
        Some((g, v)) => (g.to_owned(), v.to_owned()),
        None => (String::new(), obj.api_version().to_owned()),
    };
    format!("{group}/{version}, Resource={plural}")
}
