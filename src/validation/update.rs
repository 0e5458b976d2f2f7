//! What the API server does around a create or an update of a workload: the registry's
//! `PrepareForCreate` / `PrepareForUpdate` (status reset, the generation rule) and the update
//! validation, including the apps/v1 selector immutability.
//!
//! A store calls, in this order: `prepare_*` then `validate_*`. Update validation reproduces
//! upstream's error list exactly, which for ReplicaSets and ReplicationControllers runs the create
//! checks and the update checks one after the other, so an error can appear more than once in
//! [`Validation::errors`]; printing ([`InvalidError`](super::InvalidError)) drops exact duplicates
//! as upstream does.

use crate::api::{Deployment, PodTemplateSpec, ReplicaSet, ReplicationController};
use crate::meta::ObjectMeta;
use crate::pods::POD_DELETION_COST;
use crate::validation::field::{BadValue, FieldPath};
use crate::validation::meta::{IMMUTABLE, push_common_update_fields, push_object_meta_update};
use crate::validation::pod::{PodOptions, deletion_cost_ok};
use crate::validation::warnings::pod_spec_warnings;
use crate::validation::{
    FieldError, Validation, apps, render, replica_set_errors, replication_controller_errors,
};

fn reset_for_create(meta: &mut ObjectMeta) {
    meta.generation = 1;
    meta.deletion_timestamp = None;
    meta.deletion_grace_period_seconds = None;
}

/// Upstream's `apiequality.Semantic.DeepEqual` for specs: both sides as the API server would
/// encode them, with `null`, `""` and `[]` counting as absent at any depth (Go's nil and empty
/// slices, and a zero string, are equal; `{}` stays significant because it may be a non-nil
/// pointer to an empty struct).
fn semantic_eq<T: serde::Serialize + PartialEq>(a: &T, b: &T) -> bool {
    fn normalize(v: serde_json::Value) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        match v {
            J::Null => None,
            J::String(s) if s.is_empty() => None,
            J::Array(items) => {
                let items: Vec<J> = items
                    .into_iter()
                    .map(|i| normalize(i).unwrap_or(J::Null))
                    .collect();
                if items.is_empty() {
                    None
                } else {
                    Some(J::Array(items))
                }
            }
            J::Object(map) => Some(J::Object(
                map.into_iter()
                    .filter_map(|(k, v)| normalize(v).map(|v| (k, v)))
                    .collect(),
            )),
            other => Some(other),
        }
    }
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(x), Ok(y)) => normalize(x) == normalize(y),
        _ => a == b,
    }
}

/// What `rest.BeforeUpdate` does to the metadata around the strategy's `PrepareForUpdate`: an
/// empty uid takes the stored one, a set creation timestamp cannot change, a deletion timestamp
/// cannot be removed or changed, and a deletion grace period cannot be removed.
fn after_prepare_for_update(new: &mut ObjectMeta, old: &ObjectMeta) {
    if new.uid.is_empty() {
        new.uid = old.uid.clone();
    }
    if old.creation_timestamp.is_some() {
        new.creation_timestamp = old.creation_timestamp;
    }
    if old.deletion_timestamp.is_some() {
        new.deletion_timestamp = old.deletion_timestamp;
    }
    if old.deletion_grace_period_seconds.is_some() && new.deletion_grace_period_seconds.is_none() {
        new.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    }
}

/// `PrepareForCreate` of a ReplicaSet: status cleared, `metadata.generation` = 1 (and, as
/// `rest.BeforeCreate` does, any deletion timestamp dropped). UID, creation timestamp, resource
/// version and a generated name are the store's to assign.
pub fn prepare_replica_set_for_create(rs: &mut ReplicaSet) {
    rs.status = Default::default();
    reset_for_create(&mut rs.metadata);
}

/// `PrepareForCreate` of a Deployment: status cleared, generation 1.
pub fn prepare_deployment_for_create(d: &mut Deployment) {
    d.status = Default::default();
    reset_for_create(&mut d.metadata);
}

/// `PrepareForCreate` of a ReplicationController: status cleared, generation 1.
pub fn prepare_replication_controller_for_create(rc: &mut ReplicationController) {
    rc.status = Default::default();
    reset_for_create(&mut rc.metadata);
}

/// `PrepareForUpdate` of a ReplicaSet (with `rest.BeforeUpdate`'s metadata rules): the request
/// cannot set the generation or the status; the generation is bumped when the spec changed
/// (semantic equality); uid, creation and deletion timestamps are kept from the stored object.
pub fn prepare_replica_set_for_update(new: &mut ReplicaSet, old: &ReplicaSet) {
    new.status = old.status.clone();
    new.metadata.generation = old.metadata.generation;
    if !semantic_eq(&new.spec, &old.spec) {
        new.metadata.generation = old.metadata.generation.saturating_add(1);
    }
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// `PrepareForUpdate` of a Deployment: as for ReplicaSets, but a change of
/// `metadata.annotations` bumps the generation too (they are copied to the ReplicaSets).
pub fn prepare_deployment_for_update(new: &mut Deployment, old: &Deployment) {
    new.status = old.status.clone();
    new.metadata.generation = old.metadata.generation;
    if !semantic_eq(&new.spec, &old.spec) || new.metadata.annotations != old.metadata.annotations {
        new.metadata.generation = old.metadata.generation.saturating_add(1);
    }
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// `PrepareForUpdate` of a ReplicationController: as for ReplicaSets.
pub fn prepare_replication_controller_for_update(
    new: &mut ReplicationController,
    old: &ReplicationController,
) {
    new.status = old.status.clone();
    new.metadata.generation = old.metadata.generation;
    if !semantic_eq(&new.spec, &old.spec) {
        new.metadata.generation = old.metadata.generation.saturating_add(1);
    }
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// `PrepareForUpdate` of the ReplicaSet `status` subresource: the spec cannot change, the
/// generation does not move.
pub fn prepare_replica_set_for_status_update(new: &mut ReplicaSet, old: &ReplicaSet) {
    new.spec = old.spec.clone();
    new.metadata.generation = old.metadata.generation;
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// `PrepareForUpdate` of the Deployment `status` subresource: spec and labels cannot change
/// (annotations can: this is how the controller records the revision), no generation bump.
pub fn prepare_deployment_for_status_update(new: &mut Deployment, old: &Deployment) {
    new.spec = old.spec.clone();
    new.metadata.labels = old.metadata.labels.clone();
    new.metadata.generation = old.metadata.generation;
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// `PrepareForUpdate` of the ReplicationController `status` subresource.
pub fn prepare_replication_controller_for_status_update(
    new: &mut ReplicationController,
    old: &ReplicationController,
) {
    new.spec = old.spec.clone();
    new.metadata.generation = old.metadata.generation;
    after_prepare_for_update(&mut new.metadata, &old.metadata);
}

/// Pod options for an update: an invalid deletion cost that was already stored is tolerated.
fn update_options(old_template: Option<&PodTemplateSpec>) -> PodOptions {
    let allow = old_template
        .and_then(|t| t.metadata.annotations.get(POD_DELETION_COST))
        .is_some_and(|v| !deletion_cost_ok(v));
    PodOptions {
        is_pod: false,
        allow_invalid_deletion_cost: allow,
    }
}

fn selector_immutable(
    new: Option<&crate::meta::LabelSelector>,
    old: Option<&crate::meta::LabelSelector>,
    out: &mut Vec<FieldError>,
) {
    if new != old {
        out.push(FieldError::invalid(
            FieldPath::root().child("spec").child("selector"),
            BadValue::Rendered(render::label_selector_ptr(new)),
            IMMUTABLE,
        ));
    }
}

fn template_warnings(t: &PodTemplateSpec, v: &mut Validation) {
    pod_spec_warnings(
        &FieldPath::root().child("spec").child("template"),
        &t.spec,
        &t.metadata,
        true,
        &mut v.warnings,
    );
}

fn meta_path() -> FieldPath {
    FieldPath::root().child("metadata")
}

/// Validates an update of a ReplicaSet (after [`prepare_replica_set_for_update`]): the common
/// metadata checks, create validation, update validation, and — as for every apps/v1 request in
/// v1.32 — `spec.selector: Invalid value: <new>: field is immutable`. Pod template warnings are
/// returned when the generation moved.
pub fn validate_replica_set_update(old: &ReplicaSet, new: &ReplicaSet) -> Validation {
    let mut v = Validation::default();
    let opts = update_options(Some(&old.spec.template));
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    replica_set_errors(new, opts, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_replica_set_spec(&new.spec, opts, &mut v.errors);
    selector_immutable(
        new.spec.selector.as_ref(),
        old.spec.selector.as_ref(),
        &mut v.errors,
    );
    if new.metadata.generation != old.metadata.generation {
        template_warnings(&new.spec.template, &mut v);
    }
    v
}

/// Validates an update of a Deployment (after [`prepare_deployment_for_update`]): common
/// metadata checks, update validation, and the apps/v1 selector immutability.
pub fn validate_deployment_update(old: &Deployment, new: &Deployment) -> Validation {
    let mut v = Validation::default();
    let opts = update_options(Some(&old.spec.template));
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_deployment_spec(new, opts, &mut v.errors);
    selector_immutable(
        new.spec.selector.as_ref(),
        old.spec.selector.as_ref(),
        &mut v.errors,
    );
    if new.metadata.generation != old.metadata.generation {
        template_warnings(&new.spec.template, &mut v);
    }
    v
}

/// Validates an update of a ReplicationController (after
/// [`prepare_replication_controller_for_update`]): create and update validation. Its selector is
/// mutable.
pub fn validate_replication_controller_update(
    old: &ReplicationController,
    new: &ReplicationController,
) -> Validation {
    let mut v = Validation::default();
    let opts = update_options(old.spec.template.as_ref());
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    replication_controller_errors(new, opts, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_replication_controller_spec(&new.spec, opts, &mut v.errors);
    if new.metadata.generation != old.metadata.generation {
        if let Some(t) = &new.spec.template {
            template_warnings(t, &mut v);
        }
    }
    v
}

/// Validates a write to a ReplicaSet's `status` subresource (after
/// [`prepare_replica_set_for_status_update`]).
pub fn validate_replica_set_status_update(old: &ReplicaSet, new: &ReplicaSet) -> Validation {
    let mut v = Validation::default();
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_replica_set_status(&new.status, &mut v.errors);
    v
}

/// Validates a write to a Deployment's `status` subresource (after
/// [`prepare_deployment_for_status_update`]), including
/// `status.collisionCount: Invalid value: N: cannot be decremented`.
pub fn validate_deployment_status_update(old: &Deployment, new: &Deployment) -> Validation {
    let mut v = Validation::default();
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_deployment_status(&new.status, &old.status, &mut v.errors);
    v
}

/// Validates a write to a ReplicationController's `status` subresource.
pub fn validate_replication_controller_status_update(
    old: &ReplicationController,
    new: &ReplicationController,
) -> Validation {
    let mut v = Validation::default();
    push_common_update_fields(&new.metadata, &old.metadata, &mut v.errors);
    push_object_meta_update(&new.metadata, &old.metadata, &meta_path(), &mut v.errors);
    apps::push_replication_controller_status(&new.status, &mut v.errors);
    v
}
