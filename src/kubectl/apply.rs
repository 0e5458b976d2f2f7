//! `kubectl apply` (client-side): create, or three-way merge against the stored object.

use serde_json::Value as Json;

use crate::api::{PodPhase, ReplicaSetStatus};
use crate::deployment::util::{CHANGE_CAUSE_ANNOTATION, LAST_APPLIED_CONFIG};
use crate::meta::LabelSelector;
use crate::printers::gojson;
use crate::time::Time;

use super::{Object, name_line, server};
use crate::manifest::OtherObject;

/// What the caller's store supplies for one `apply`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyRequest<'a> {
    /// The command's namespace (`-n`, or the context's default).
    pub namespace: &'a str,
    /// The UID to assign when the object is created.
    pub uid: &'a str,
    /// The `resourceVersion` the store gives this write.
    pub resource_version: &'a str,
    /// `Some(cause)` with `--record` (see [`super::change_cause`]).
    pub change_cause: Option<&'a str>,
    /// The time of the write (`creationTimestamp` on create).
    pub now: Time,
}

/// What `apply` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApplyOutcome {
    /// The object did not exist.
    Created,
    /// The merge changed the stored object.
    Configured,
    /// The merge changed nothing; nothing was written.
    Unchanged,
}

impl ApplyOutcome {
    /// `created`, `configured`, `unchanged`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        }
    }
}

/// The result of `apply`.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The object as stored after the write (the stored object itself when unchanged).
    pub object: Object,
    /// Created, configured or unchanged.
    pub outcome: ApplyOutcome,
    /// kubectl's line: `deployment.apps/sample-deployment created`.
    pub output: String,
}

/// Why `apply` failed; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The manifest names another namespace than the command's.
    #[error(
        "the namespace from the provided object \"{object_namespace}\" does not match the namespace \"{namespace}\". You must pass '--namespace={object_namespace}' to perform this operation."
    )]
    NamespaceMismatch {
        /// The manifest's namespace.
        object_namespace: String,
        /// The command's namespace.
        namespace: String,
    },
    /// The stored object is of another kind.
    #[error("cannot apply a {applied} over the stored {stored} {name:?}")]
    KindMismatch {
        /// The applied kind.
        applied: String,
        /// The stored kind.
        stored: String,
        /// The name.
        name: String,
    },
    /// `spec.selector` of a ReplicaSet or Deployment cannot change (apps/v1).
    #[error(
        "The {kind} \"{name}\" is invalid: spec.selector: Invalid value: {selector}: field is immutable"
    )]
    SelectorImmutable {
        /// `ReplicaSet` or `Deployment`.
        kind: String,
        /// The object's name.
        name: String,
        /// The new selector rendered as Go's `%#v` (`v1.LabelSelector{...}`).
        selector: String,
    },
    /// The merged object does not decode (a field changed type).
    #[error("error when applying patch to {name:?}: {message}")]
    Merge {
        /// The object's name.
        name: String,
        /// The decoder's message.
        message: String,
    },
}

fn to_json(obj: &Object) -> Json {
    let r = match obj {
        Object::Pod(o) => serde_json::to_value(o),
        Object::ReplicaSet(o) => serde_json::to_value(o),
        Object::ReplicationController(o) => serde_json::to_value(o),
        Object::Deployment(o) => serde_json::to_value(o),
        Object::Other(o) => serde_json::to_value(&o.value),
    };
    r.unwrap_or(Json::Null)
}

fn from_json(kind: &str, v: &Json) -> Result<Object, serde_json::Error> {
    Ok(match kind {
        "Pod" => Object::Pod(serde_json::from_value(v.clone())?),
        "ReplicaSet" => Object::ReplicaSet(serde_json::from_value(v.clone())?),
        "ReplicationController" => {
            Object::ReplicationController(serde_json::from_value(v.clone())?)
        }
        "Deployment" => Object::Deployment(serde_json::from_value(v.clone())?),
        _ => Object::Other(OtherObject::from_value(serde_json::from_value(v.clone())?)),
    })
}

/// The `metadata` mapping of an object's JSON, created when absent.
fn json_meta(v: &mut Json) -> Option<&mut serde_json::Map<String, Json>> {
    let obj = v.as_object_mut()?;
    let meta = obj
        .entry("metadata")
        .or_insert_with(|| Json::Object(serde_json::Map::new()));
    meta.as_object_mut()
}

/// The `metadata.annotations` mapping of an object's JSON, created when absent.
fn json_annotations(v: &mut Json) -> Option<&mut serde_json::Map<String, Json>> {
    json_meta(v)?
        .entry("annotations")
        .or_insert_with(|| Json::Object(serde_json::Map::new()))
        .as_object_mut()
}

/// The `kubectl.kubernetes.io/last-applied-configuration` value kubectl writes for an object
/// as it will be sent: its JSON with keys sorted, `metadata.annotations` present (possibly
/// `{}`) and without the annotation itself, followed by a newline.
#[must_use]
pub fn last_applied_configuration(obj: &Object) -> String {
    last_applied_of(to_json(obj))
}

fn last_applied_of(mut v: Json) -> String {
    if let Some(meta) = v.get_mut("metadata").and_then(Json::as_object_mut) {
        let ann = meta
            .entry("annotations")
            .or_insert_with(|| Json::Object(serde_json::Map::new()));
        if let Some(a) = ann.as_object_mut() {
            a.remove(LAST_APPLIED_CONFIG);
        }
    }
    gojson::compact(&v) + "\n"
}

/// Go's `%#v` of a `v1.LabelSelector`, as the immutability error prints it.
fn go_selector(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else {
        return "null".to_owned();
    };
    let q = crate::validation::field::go_quote;
    let labels = if sel.match_labels.is_empty() {
        "map[string]string(nil)".to_owned()
    } else {
        let mut keys: Vec<&String> = sel.match_labels.keys().collect();
        keys.sort();
        let parts: Vec<String> = keys
            .iter()
            .map(|k| {
                format!(
                    "{}:{}",
                    q(k),
                    q(sel.match_labels.get(*k).map_or("", String::as_str))
                )
            })
            .collect();
        format!("map[string]string{{{}}}", parts.join(", "))
    };
    let exprs = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_owned()
    } else {
        let parts: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|e| {
                let values = if e.values.is_empty() {
                    "[]string(nil)".to_owned()
                } else {
                    let v: Vec<String> = e.values.iter().map(|s| q(s)).collect();
                    format!("[]string{{{}}}", v.join(", "))
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                    q(&e.key),
                    q(e.operator.as_str())
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", parts.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

fn selector_of(obj: &Object) -> Option<Option<&LabelSelector>> {
    match obj {
        Object::ReplicaSet(rs) => Some(rs.spec.selector.as_ref()),
        Object::Deployment(d) => Some(d.spec.selector.as_ref()),
        _ => None,
    }
}

/// Merge keys of the lists strategic merge patch merges element by element.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets" => Some("name"),
        "ports" => Some("containerPort"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ownerReferences" => Some("uid"),
        "conditions" => Some("type"),
        _ => None,
    }
}

fn keyed<'a>(items: &'a [Json], key: &str) -> Option<Vec<(&'a Json, &'a Json)>> {
    items
        .iter()
        .map(|i| i.get(key).map(|k| (k, i)))
        .collect::<Option<Vec<_>>>()
}

/// Three-way merge in the spirit of strategic merge patch: fields the new configuration sets
/// win, fields the previous configuration set and the new one dropped are removed, everything
/// else (written by controllers or other clients) is kept; lists with a merge key merge by key.
fn merge3(original: Option<&Json>, modified: &Json, current: &Json, field: &str) -> Json {
    match (modified, current) {
        (Json::Object(m), Json::Object(c)) => {
            let mut out = c.clone();
            for (k, mv) in m {
                let merged = match c.get(k) {
                    Some(cv) => merge3(original.and_then(|o| o.get(k)), mv, cv, k),
                    None => mv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            if let Some(Json::Object(o)) = original {
                for k in o.keys() {
                    if !m.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            Json::Object(out)
        }
        (Json::Array(m), Json::Array(c)) => {
            let Some(key) = merge_key(field) else {
                return modified.clone();
            };
            let (Some(mk), Some(ck)) = (keyed(m, key), keyed(c, key)) else {
                return modified.clone();
            };
            let ok: Vec<(&Json, &Json)> = match original {
                Some(Json::Array(o)) => keyed(o, key).unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut out: Vec<Json> = Vec::new();
            for (k, mv) in &mk {
                let orig = ok.iter().find(|(ok, _)| ok == k).map(|(_, v)| *v);
                match ck.iter().find(|(ck, _)| ck == k) {
                    Some((_, cv)) => out.push(merge3(orig, mv, cv, "")),
                    None => out.push((*mv).clone()),
                }
            }
            for (k, cv) in &ck {
                let in_modified = mk.iter().any(|(mk, _)| mk == k);
                let in_original = ok.iter().any(|(ok, _)| ok == k);
                if !in_modified && !in_original {
                    out.push((*cv).clone());
                }
            }
            Json::Array(out)
        }
        _ => modified.clone(),
    }
}

fn prepare_create(obj: &mut Object, req: &ApplyRequest<'_>) {
    match obj {
        Object::Pod(p) => {
            p.status = crate::api::PodStatus {
                phase: PodPhase::Pending,
                ..Default::default()
            };
            let qos = crate::printers::quantity::qos_class(p);
            p.status
                .extra
                .insert("qosClass".into(), crate::value::Value::String(qos));
        }
        Object::ReplicaSet(rs) => {
            rs.status = ReplicaSetStatus::default();
            rs.metadata.generation = 1;
        }
        Object::ReplicationController(rc) => {
            rc.status = ReplicaSetStatus::default();
            rc.metadata.generation = 1;
        }
        Object::Deployment(d) => {
            d.status = crate::api::DeploymentStatus::default();
            d.metadata.generation = 1;
        }
        _ => {}
    }
    if let Some(m) = obj.metadata_mut() {
        m.uid = req.uid.to_owned();
        m.creation_timestamp = Some(req.now);
        m.resource_version = req.resource_version.to_owned();
    } else if let Object::Other(o) = obj {
        set_other_meta(o, "uid", req.uid.into());
        set_other_meta(o, "creationTimestamp", req.now.to_string().into());
        set_other_meta(o, "resourceVersion", req.resource_version.into());
    }
}

/// Sets `metadata.<key>` of a pass-through object.
fn set_other_meta(o: &mut OtherObject, key: &str, value: crate::value::Value) {
    use crate::value::Value;
    if let Value::Mapping(root) = &mut o.value {
        let meta = root
            .entry("metadata".to_owned())
            .or_insert_with(|| Value::Mapping(crate::value::Mapping::new()));
        if let Value::Mapping(m) = meta {
            m.insert(key.to_owned(), value);
        }
    }
}

/// `kubectl apply -f` for one object: `applied` is the manifest's object, `stored` the object
/// of the same kind and name in the store, if any.
///
/// On create the API server's fields are set (`uid`, `creationTimestamp`, `generation: 1` —
/// none for pods in v1.32 —, `resourceVersion`, empty status; pods start `Pending` with their
/// QoS class). On update the last applied configuration, the new one and the stored object are
/// merged three ways; `uid`, `creationTimestamp` and status are kept and `generation` bumped
/// on a spec change (Deployments: also on an annotation change). With `--record` the change
/// cause is part of what is applied (and so of the last-applied configuration).
pub fn apply(
    applied: &Object,
    stored: Option<&Object>,
    req: &ApplyRequest<'_>,
) -> Result<Applied, ApplyError> {
    let kind = applied.kind().to_owned();
    let mut v = to_json(applied);
    if let Some(meta) = json_meta(&mut v) {
        let ns = meta
            .get("namespace")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_owned();
        if ns.is_empty() {
            meta.insert(
                "namespace".to_owned(),
                Json::String(req.namespace.to_owned()),
            );
        } else if ns != req.namespace {
            return Err(ApplyError::NamespaceMismatch {
                object_namespace: ns,
                namespace: req.namespace.to_owned(),
            });
        }
    }
    if let (Some(cause), Some(a)) = (req.change_cause, json_annotations(&mut v)) {
        a.insert(
            CHANGE_CAUSE_ANNOTATION.to_owned(),
            Json::String(cause.to_owned()),
        );
    }
    let last_applied = last_applied_of(v.clone());
    if let Some(a) = json_annotations(&mut v) {
        a.insert(LAST_APPLIED_CONFIG.to_owned(), Json::String(last_applied));
    }
    let mut obj = from_json(&kind, &v).map_err(|e| ApplyError::Merge {
        name: applied.name().to_owned(),
        message: e.to_string(),
    })?;
    let Some(stored) = stored else {
        prepare_create(&mut obj, req);
        let output = name_line(&obj, "created");
        return Ok(Applied {
            object: obj,
            outcome: ApplyOutcome::Created,
            output,
        });
    };
    if stored.kind() != obj.kind() {
        return Err(ApplyError::KindMismatch {
            applied: obj.kind().to_owned(),
            stored: stored.kind().to_owned(),
            name: obj.name().to_owned(),
        });
    }
    let current = to_json(stored);
    let original: Option<Json> = current
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(LAST_APPLIED_CONFIG))
        .and_then(Json::as_str)
        .and_then(|s| serde_json::from_str(s).ok());
    let merged = merge3(original.as_ref(), &to_json(&obj), &current, "");
    if merged == current {
        let output = name_line(stored, "unchanged");
        return Ok(Applied {
            object: stored.clone(),
            outcome: ApplyOutcome::Unchanged,
            output,
        });
    }
    let mut updated = from_json(stored.kind(), &merged).map_err(|e| ApplyError::Merge {
        name: stored.name().to_owned(),
        message: e.to_string(),
    })?;
    if let (Some(old), Some(new)) = (selector_of(stored), selector_of(&updated)) {
        if old != new {
            return Err(ApplyError::SelectorImmutable {
                kind: updated.kind().to_owned(),
                name: updated.name().to_owned(),
                selector: go_selector(new),
            });
        }
    }
    server::finish_update(stored, &mut updated);
    if !server::changed(stored, &updated) {
        let output = name_line(stored, "unchanged");
        return Ok(Applied {
            object: stored.clone(),
            outcome: ApplyOutcome::Unchanged,
            output,
        });
    }
    match updated.metadata_mut() {
        Some(m) => m.resource_version = req.resource_version.to_owned(),
        None => {
            if let Object::Other(o) = &mut updated {
                set_other_meta(o, "resourceVersion", req.resource_version.into());
            }
        }
    }
    let output = name_line(&updated, "configured");
    Ok(Applied {
        object: updated,
        outcome: ApplyOutcome::Configured,
        output,
    })
}
