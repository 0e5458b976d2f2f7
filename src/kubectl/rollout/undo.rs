//! `kubectl rollout undo` (Deployment rollbacker): pick the revision, skip when the template
//! already matches, refuse paused Deployments, and patch the template and annotations back.

use serde_json::Value as Json;

use crate::api::{Deployment, PodTemplateSpec, ReplicaSet};
use crate::deployment::util::{ANNOTATIONS_TO_SKIP, revision};
use crate::hash::{POD_TEMPLATE_HASH_LABEL, equal_ignore_hash};
use crate::meta::Labels;
use crate::printers::gojson;
use crate::selector::SelectorError;
use crate::validation::field::go_quote;

use super::super::util::deployment_replica_sets;
use super::super::{Object, name_line, server};

/// Why `rollout undo` failed; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UndoError {
    /// Only Deployments can be rolled back here.
    #[error("no rollbacker has been implemented for {}", go_quote(.group_kind))]
    NotSupported {
        /// `ReplicaSet.apps`, `Pod`, ...
        group_kind: String,
    },
    /// `--to-revision` negative or naming no ReplicaSet.
    #[error("unable to find specified revision {revision} in history")]
    RevisionNotFound {
        /// The revision asked for.
        revision: i64,
    },
    /// Plain `undo` with fewer than two revisions.
    #[error("no rollout history found for deployment {}", go_quote(.name))]
    NoHistory {
        /// The Deployment's name.
        name: String,
    },
    /// The Deployment is paused.
    #[error(
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
    )]
    Paused,
    /// The Deployment's selector does not convert.
    #[error("failed to retrieve replica sets from deployment {name}: {source}")]
    InvalidSelector {
        /// The Deployment's name.
        name: String,
        /// The selector error.
        source: SelectorError,
    },
}

/// The result of `rollout undo`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum UndoOutcome {
    /// The template was restored.
    RolledBack {
        /// The Deployment after the JSON patch (generation bumped).
        deployment: Box<Deployment>,
        /// The JSON patch kubectl sends (`application/json-patch+json`).
        patch: String,
        /// `deployment.apps/web rolled back\n`.
        output: String,
    },
    /// The template already matches; nothing was written.
    Skipped {
        /// `deployment.apps/web skipped rollback (current template already matches revision
        /// N)\n`, with N the revision asked for (0 for a plain `undo`).
        output: String,
    },
}

/// Upstream's `deploymentRevision`: the ReplicaSet for `to_revision`, or for 0 the one with
/// the second-highest revision.
fn revision_rs<'a>(
    d: &Deployment,
    rss: &'a [ReplicaSet],
    to_revision: i64,
) -> Result<&'a ReplicaSet, UndoError> {
    let found = deployment_replica_sets(d, rss).map_err(|source| UndoError::InvalidSelector {
        name: d.metadata.name.clone(),
        source,
    })?;
    let (mut latest, mut latest_rev): (Option<&ReplicaSet>, i64) = (None, -1);
    let (mut previous, mut previous_rev): (Option<&ReplicaSet>, i64) = (None, -1);
    for rs in found.all() {
        let Ok(v) = revision(&rs.metadata.annotations) else {
            continue;
        };
        if to_revision == 0 {
            if latest_rev < v {
                previous_rev = latest_rev;
                previous = latest;
                latest_rev = v;
                latest = Some(rs);
            } else if previous_rev < v {
                previous_rev = v;
                previous = Some(rs);
            }
        } else if to_revision == v {
            return Ok(rs);
        }
    }
    if to_revision > 0 {
        return Err(UndoError::RevisionNotFound {
            revision: to_revision,
        });
    }
    previous.ok_or_else(|| UndoError::NoHistory {
        name: d.metadata.name.clone(),
    })
}

/// `kubectl rollout undo [--to-revision N]`; `rss` are the namespace's ReplicaSets.
pub fn undo(obj: &Object, rss: &[ReplicaSet], to_revision: i64) -> Result<UndoOutcome, UndoError> {
    let Object::Deployment(d) = obj else {
        return Err(UndoError::NotSupported {
            group_kind: crate::kubectl::TypeNames::of(obj).group_kind,
        });
    };
    if to_revision < 0 {
        return Err(UndoError::RevisionNotFound {
            revision: to_revision,
        });
    }
    let rs = revision_rs(d, rss, to_revision)?;
    if d.spec.paused {
        return Err(UndoError::Paused);
    }
    if equal_ignore_hash(&rs.spec.template, &d.spec.template) {
        return Ok(UndoOutcome::Skipped {
            output: name_line(
                obj,
                &format!(
                    "skipped rollback (current template already matches revision {to_revision})"
                ),
            ),
        });
    }
    let mut template = rs.spec.template.clone();
    template
        .metadata
        .labels
        .shift_remove(POD_TEMPLATE_HASH_LABEL);
    let mut annotations: Vec<(String, String)> = Vec::new();
    for k in ANNOTATIONS_TO_SKIP {
        if let Some(v) = d.metadata.annotations.get(k) {
            annotations.push((k.to_owned(), v.clone()));
        }
    }
    for (k, v) in &rs.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.retain(|(e, _)| e != k);
            annotations.push((k.clone(), v.clone()));
        }
    }
    annotations.sort();
    let annotations: Labels = annotations.into_iter().collect();
    let patch = deployment_patch(&template, &annotations);
    let mut new = d.clone();
    new.spec.template = template;
    new.metadata.annotations = annotations;
    let mut updated = Object::Deployment(new);
    server::finish_update(obj, &mut updated);
    let output = name_line(&updated, "rolled back");
    let Object::Deployment(deployment) = updated else {
        return Err(UndoError::NotSupported {
            group_kind: crate::kubectl::TypeNames::of(obj).group_kind,
        });
    };
    Ok(UndoOutcome::RolledBack {
        deployment: Box::new(deployment),
        patch,
        output,
    })
}

const OBJECT_META: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

const POD_SPEC: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
];

const CONTAINER: &[&str] = &[
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

const PORT: &[&str] = &["name", "hostPort", "containerPort", "protocol", "hostIP"];

#[derive(Clone, Copy)]
enum Shape {
    Template,
    Meta,
    Spec,
    Container,
    Port,
    Map,
}

fn child_shape(parent: Shape, key: &str) -> Shape {
    match (parent, key) {
        (Shape::Template, "metadata") => Shape::Meta,
        (Shape::Template, "spec") => Shape::Spec,
        (Shape::Spec, "containers" | "initContainers") => Shape::Container,
        (Shape::Container, "ports") => Shape::Port,
        _ => Shape::Map,
    }
}

fn order(shape: Shape) -> &'static [&'static str] {
    match shape {
        Shape::Template => &["metadata", "spec"],
        Shape::Meta => OBJECT_META,
        Shape::Spec => POD_SPEC,
        Shape::Container => CONTAINER,
        Shape::Port => PORT,
        Shape::Map => &[],
    }
}

/// Writes JSON with Go's typed-struct field order for the pod template types (maps and
/// unmodelled structs in sorted key order).
fn write_go(out: &mut String, v: &Json, shape: Shape) {
    match v {
        Json::Object(m) => {
            let mut entries: Vec<(&String, &Json)> = m.iter().collect();
            let table = order(shape);
            let mut fields: Vec<(String, Json)> = entries
                .drain(..)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let required: Option<(&str, Json)> = match shape {
                Shape::Template => Some(("metadata", Json::Object(serde_json::Map::new()))),
                Shape::Meta => Some(("creationTimestamp", Json::Null)),
                Shape::Spec => Some(("containers", Json::Null)),
                Shape::Container => Some(("resources", Json::Object(serde_json::Map::new()))),
                _ => None,
            };
            if let Some((key, default)) = required {
                if !fields.iter().any(|(k, _)| k == key) {
                    fields.push((key.to_owned(), default));
                }
            }
            fields.sort_by_key(|(k, _)| {
                (
                    table.iter().position(|t| t == k).unwrap_or(usize::MAX),
                    k.clone(),
                )
            });
            out.push('{');
            for (i, (k, val)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                gojson::write_string(out, k);
                out.push(':');
                write_go(out, val, child_shape(shape, k));
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go(out, item, shape);
            }
            out.push(']');
        }
        other => out.push_str(&gojson::compact(other)),
    }
}

/// The JSON patch `rollout undo` sends (upstream's `getDeploymentPatch`): replace
/// `/spec/template`, then `/metadata/annotations`.
#[must_use]
pub fn deployment_patch(template: &PodTemplateSpec, annotations: &Labels) -> String {
    let t = serde_json::to_value(template).unwrap_or(Json::Null);
    let mut out = String::from(r#"[{"op":"replace","path":"/spec/template","value":"#);
    write_go(&mut out, &t, Shape::Template);
    out.push_str(r#"},{"op":"replace","path":"/metadata/annotations","value":"#);
    let a: serde_json::Map<String, Json> = annotations
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    out.push_str(&gojson::compact(&Json::Object(a)));
    out.push_str("}]");
    out
}
