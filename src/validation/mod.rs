//! Validation as the API server performs it: every error with its field path and upstream's
//! message, plus warnings returned as data.
//!
//! Validate objects **after** [`crate::defaults`], as the API server does: an undefaulted object
//! is missing values upstream requires (`restartPolicy`, `dnsPolicy`, port `protocol`,
//! `imagePullPolicy`, `terminationMessagePolicy`, ...) and is reported exactly as the API server
//! would report it. The namespace must be resolved first too (the API server takes it from the
//! request; see [`resolve_namespace`]).
//!
//! ```
//! use kube_workloads::{Deployment, IntOrString};
//! use kube_workloads::validation::{validate_deployment, ObjectKind};
//!
//! let mut d: Deployment = serde_yaml::from_str(r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: zero, namespace: default}
//! spec:
//!   selector: {matchLabels: {app: web}}
//!   template:
//!     metadata: {labels: {app: web}}
//!     spec: {containers: [{name: web, image: nginx:1.16}]}
//!   strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
//! "#).unwrap();
//! kube_workloads::defaults::default_deployment(&mut d);
//! let err = validate_deployment(&d).into_result(ObjectKind::Deployment, "zero").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "Deployment.apps \"zero\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: \
//!      Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: \
//!      may not be 0 when `maxSurge` is 0"
//! );
//! ```
//!
//! Deliberate differences from upstream (all in states upstream never validates, or in values
//! Go cannot print reproducibly):
//! - an empty `name` with a non-empty `generateName` is not an error (the API server generates
//!   the name before it validates; the store does that here);
//! - maps are walked in the order they were written, not Go's random order;
//! - non-nil pointers inside a printed struct show [`render::GO_POINTER`], not an address;
//! - `metadata.resourceVersion` is not checked on update (the store's concurrency control);
//! - a `generateName` of exactly `-` is reported as an invalid name (upstream's name masking
//!   slices out of bounds there and the API server answers 500).
//!
//! Not validated (fields kept in `extra`): volumes and volume mounts, env and envFrom, probe and
//! lifecycle contents, resources, security contexts, affinity, tolerations, topology spread
//! constraints, DNS config beyond `dnsPolicy: None`, resource claims, and the seccomp, AppArmor
//! and tolerations annotations.

pub mod field;
pub mod names;

mod apps;
mod invalid;
mod meta;
mod pod;
pub mod render;
mod selector;
mod update;
mod warnings;

pub use apps::DEPRECATED_ROLLBACK_TO;
pub use field::{BadValue, ErrorType, FieldError, FieldErrors, FieldPath, PathSegment};
pub use invalid::{InvalidError, ObjectKind, StatusCause, aggregate_message, unique_messages};
pub use meta::{
    NamespaceMismatch, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES, resolve_namespace, validate_annotations,
    validate_object_meta, validate_owner_references,
};
pub use pod::{MIRROR_POD_ANNOTATION, validate_pod_spec, validate_pod_template_spec};
pub use selector::{validate_label_selector, validate_labels};
pub use update::{
    prepare_deployment_for_create, prepare_deployment_for_status_update,
    prepare_deployment_for_update, prepare_replica_set_for_create,
    prepare_replica_set_for_status_update, prepare_replica_set_for_update,
    prepare_replication_controller_for_create, prepare_replication_controller_for_status_update,
    prepare_replication_controller_for_update, validate_deployment_status_update,
    validate_deployment_update, validate_replica_set_status_update, validate_replica_set_update,
    validate_replication_controller_status_update, validate_replication_controller_update,
};
pub use warnings::Warning;

use crate::api::{Deployment, Pod, ReplicaSet, ReplicationController};
use crate::validation::pod::PodOptions;
use crate::validation::warnings::{NameWarning, name_warning, pod_spec_warnings};

/// The outcome of validating one object: every error, in upstream's order, and the warnings the
/// API server would return with a successful request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Validation {
    /// Every error found. Empty means the object is accepted.
    pub errors: Vec<FieldError>,
    /// Warnings (returned even when there are errors, but only sent on success upstream).
    pub warnings: Vec<Warning>,
}

impl Validation {
    /// True when there are no errors.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The warnings when valid; otherwise the API server's rejection of `kind`/`name`.
    pub fn into_result(
        self,
        kind: ObjectKind,
        name: impl Into<String>,
    ) -> Result<Vec<Warning>, InvalidError> {
        if self.errors.is_empty() {
            Ok(self.warnings)
        } else {
            Err(InvalidError::new(kind, name, self.errors))
        }
    }
}

fn template_path() -> FieldPath {
    FieldPath::root().child("spec").child("template")
}

/// Validates a Pod as the API server does on create (`ValidatePodCreate`), with its create
/// warnings.
pub fn validate_pod(pod: &Pod) -> Validation {
    let mut v = Validation::default();
    let opts = PodOptions {
        is_pod: true,
        allow_invalid_deletion_cost: false,
    };
    pod::push_pod(pod, opts, &mut v.errors);
    name_warning(&pod.metadata.name, NameWarning::Pod, &mut v.warnings);
    pod_spec_warnings(
        &FieldPath::root(),
        &pod.spec,
        &pod.metadata,
        false,
        &mut v.warnings,
    );
    v
}

pub(crate) fn replica_set_errors(rs: &ReplicaSet, opts: PodOptions, out: &mut Vec<FieldError>) {
    meta::push_object_meta(&rs.metadata, &FieldPath::root().child("metadata"), out);
    apps::push_replica_set_spec(&rs.spec, opts, out);
}

pub(crate) fn deployment_errors(d: &Deployment, opts: PodOptions, out: &mut Vec<FieldError>) {
    meta::push_object_meta(&d.metadata, &FieldPath::root().child("metadata"), out);
    apps::push_deployment_spec(d, opts, out);
}

pub(crate) fn replication_controller_errors(
    rc: &ReplicationController,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    meta::push_object_meta(&rc.metadata, &FieldPath::root().child("metadata"), out);
    apps::push_replication_controller_spec(&rc.spec, opts, out);
}

/// Validates a ReplicaSet as the API server does on create, with its create warnings (name not a
/// DNS label; pod template warnings under `spec.template`).
pub fn validate_replica_set(rs: &ReplicaSet) -> Validation {
    let mut v = Validation::default();
    replica_set_errors(rs, PodOptions::default(), &mut v.errors);
    name_warning(&rs.metadata.name, NameWarning::Workload, &mut v.warnings);
    pod_spec_warnings(
        &template_path(),
        &rs.spec.template.spec,
        &rs.spec.template.metadata,
        true,
        &mut v.warnings,
    );
    v
}

/// Validates a Deployment as the API server does on create, with its create warnings.
pub fn validate_deployment(d: &Deployment) -> Validation {
    let mut v = Validation::default();
    deployment_errors(d, PodOptions::default(), &mut v.errors);
    name_warning(&d.metadata.name, NameWarning::Workload, &mut v.warnings);
    pod_spec_warnings(
        &template_path(),
        &d.spec.template.spec,
        &d.spec.template.metadata,
        true,
        &mut v.warnings,
    );
    v
}

/// Validates a ReplicationController as the API server does on create, with its create warnings.
pub fn validate_replication_controller(rc: &ReplicationController) -> Validation {
    let mut v = Validation::default();
    replication_controller_errors(rc, PodOptions::default(), &mut v.errors);
    name_warning(&rc.metadata.name, NameWarning::Workload, &mut v.warnings);
    if let Some(t) = &rc.spec.template {
        pod_spec_warnings(
            &template_path(),
            &t.spec,
            &t.metadata,
            true,
            &mut v.warnings,
        );
    }
    v
}
