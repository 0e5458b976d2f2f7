//! `kubectl rollout history` (Deployment history viewer).

use std::collections::BTreeMap;

use crate::api::{PodTemplateSpec, ReplicaSet};
use crate::deployment::util::{CHANGE_CAUSE_ANNOTATION, revision};
use crate::printers::describe_pod_template;
use crate::printers::tabwriter::{DESCRIBE, tabwrite};
use crate::selector::SelectorError;

use super::super::util::deployment_replica_sets;
use super::super::{Object, name_line};

/// Why `rollout history` failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// `--revision` is negative.
    #[error("revision must be a positive integer: {revision}")]
    NegativeRevision {
        /// The value given.
        revision: i64,
    },
    /// `--revision N` names no ReplicaSet.
    #[error("unable to find the specified revision")]
    RevisionNotFound,
    /// Only Deployments have a history here.
    #[error("no history viewer has been implemented for {:?}", .group_kind)]
    NotSupported {
        /// `ReplicaSet.apps`, `Pod`, ...
        group_kind: String,
    },
    /// The Deployment's selector does not convert.
    #[error("failed to retrieve replica sets from deployment {name}: {source}")]
    InvalidSelector {
        /// The Deployment's name.
        name: String,
        /// The selector error.
        source: SelectorError,
    },
}

/// The history viewer's text (upstream's `ViewHistory`): `REVISION  CHANGE-CAUSE` table, the
/// pod template of one revision, or `No rollout history found.`. `rss` are the namespace's
/// ReplicaSets.
pub fn view_history(obj: &Object, rss: &[ReplicaSet], rev: i64) -> Result<String, HistoryError> {
    let Object::Deployment(d) = obj else {
        return Err(HistoryError::NotSupported {
            group_kind: crate::kubectl::TypeNames::of(obj).group_kind,
        });
    };
    let found =
        deployment_replica_sets(d, rss).map_err(|source| HistoryError::InvalidSelector {
            name: d.metadata.name.clone(),
            source,
        })?;
    let mut history: BTreeMap<i64, PodTemplateSpec> = BTreeMap::new();
    for rs in found.all() {
        let Ok(v) = revision(&rs.metadata.annotations) else {
            continue;
        };
        let mut t = rs.spec.template.clone();
        if let Some(cause) = rs
            .metadata
            .annotations
            .get(CHANGE_CAUSE_ANNOTATION)
            .filter(|c| !c.is_empty())
        {
            t.metadata
                .annotations
                .insert(CHANGE_CAUSE_ANNOTATION.to_owned(), cause.clone());
        }
        history.insert(v, t);
    }
    if history.is_empty() {
        return Ok("No rollout history found.".to_owned());
    }
    if rev > 0 {
        let t = history.get(&rev).ok_or(HistoryError::RevisionNotFound)?;
        return Ok(describe_pod_template(t));
    }
    let mut text = String::from("REVISION\tCHANGE-CAUSE\n");
    for (r, t) in &history {
        let cause = t
            .metadata
            .annotations
            .get(CHANGE_CAUSE_ANNOTATION)
            .filter(|c| !c.is_empty())
            .map_or("<none>", String::as_str);
        text.push_str(&format!("{r}\t{cause}\n"));
    }
    Ok(tabwrite(&text, DESCRIBE))
}

/// Everything `kubectl rollout history deployment/x [--revision N]` prints: the name line
/// (with a trailing space, or `with revision #N`) and the viewer's text, as the name printer
/// joins them.
pub fn history(obj: &Object, rss: &[ReplicaSet], rev: i64) -> Result<String, HistoryError> {
    if rev < 0 {
        return Err(HistoryError::NegativeRevision { revision: rev });
    }
    let text = view_history(obj, rss, rev)?;
    let with = if rev > 0 {
        format!("with revision #{rev}")
    } else {
        String::new()
    };
    Ok(name_line(obj, &format!("{with}\n{text}")))
}
