//! Object metadata validation (`k8s.io/apimachinery/pkg/api/validation/objectmeta.go` plus the
//! core finalizer-name check), on create and on update.

use crate::meta::{ObjectMeta, OwnerReference};
use crate::validation::field::{BadValue, FieldError, FieldPath};
use crate::validation::selector::{push_labels, validate_label_name};
use crate::validation::{names, render};

/// Largest total size (keys plus values, in bytes) of an object's annotations: 256 KiB.
pub const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES: usize = 256 * 1024;

/// Upstream's `IsNegativeErrorMsg`.
pub(crate) const IS_NEGATIVE: &str = "must be greater than or equal to 0";

/// Upstream's `FieldImmutableErrorMsg`.
pub(crate) const IMMUTABLE: &str = "field is immutable";

/// The finalizer names that need no `/` (upstream's `IsStandardFinalizerName`).
const STANDARD_FINALIZERS: [&str; 3] = ["kubernetes", "orphan", "foregroundDeletion"];

/// How a kind's object names are checked (upstream's `ValidateNameFunc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameRule {
    /// `NameIsDNSSubdomain`: Pods, ReplicaSets, ReplicationControllers, Deployments.
    DnsSubdomain,
    /// `ValidatePathSegmentName`: the generic check the API server adds on update.
    PathSegment,
}

impl NameRule {
    fn check(self, name: &str, prefix: bool) -> Vec<String> {
        match self {
            NameRule::DnsSubdomain => names::name_is_dns_subdomain(name, prefix),
            NameRule::PathSegment if prefix => names::is_valid_path_segment_prefix(name),
            NameRule::PathSegment => names::is_valid_path_segment_name(name),
        }
    }
}

/// Pushes `Invalid value: <v>: must be greater than or equal to 0` when `v` is negative
/// (upstream's `ValidateNonnegativeField`).
pub(crate) fn nonnegative(value: i64, path: FieldPath, out: &mut Vec<FieldError>) {
    if value < 0 {
        out.push(FieldError::invalid(path, BadValue::Int(value), IS_NEGATIVE));
    }
}

/// Upstream's `ValidateAnnotations`: keys are qualified names after lower-casing (the error shows
/// the key as written), and the total size may not exceed 256 KiB.
#[must_use]
pub fn validate_annotations(
    annotations: &crate::meta::Labels,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_annotations(annotations, path, &mut out);
    out
}

pub(crate) fn push_annotations(
    annotations: &crate::meta::Labels,
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    let mut total: usize = 0;
    for (k, v) in annotations {
        let lower = k.to_lowercase();
        if !names::qualified_name_ok(&lower) {
            for msg in names::is_qualified_name(&lower) {
                out.push(FieldError::invalid(
                    path.clone(),
                    BadValue::Str(k.clone()),
                    msg,
                ));
            }
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES {
        out.push(FieldError::too_long(
            path.clone(),
            format!("may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes"),
        ));
    }
}

/// The version part of an `apiVersion` as upstream's `ParseGroupVersion` reads it (empty when the
/// string is empty, `/`, ends in `/`, or has more than one `/`).
fn api_version_version(api_version: &str) -> &str {
    match api_version.matches('/').count() {
        0 => api_version,
        1 => api_version.split_once('/').map_or("", |(_, v)| v),
        _ => "",
    }
}

fn api_version_group(api_version: &str) -> &str {
    match api_version.matches('/').count() {
        1 => api_version.split_once('/').map_or("", |(g, _)| g),
        _ => "",
    }
}

fn push_owner_reference(r: &OwnerReference, path: &FieldPath, out: &mut Vec<FieldError>) {
    let version = api_version_version(&r.api_version);
    if version.is_empty() {
        out.push(FieldError::invalid(
            path.child("apiVersion"),
            BadValue::Str(r.api_version.clone()),
            "version must not be empty",
        ));
    }
    if r.kind.is_empty() {
        out.push(FieldError::invalid(
            path.child("kind"),
            BadValue::Str(r.kind.clone()),
            "kind must not be empty",
        ));
    }
    if r.name.is_empty() {
        out.push(FieldError::invalid(
            path.child("name"),
            BadValue::Str(r.name.clone()),
            "name must not be empty",
        ));
    }
    if r.uid.is_empty() {
        out.push(FieldError::invalid(
            path.child("uid"),
            BadValue::Str(r.uid.clone()),
            "uid must not be empty",
        ));
    }
    // BannedOwners: core/v1 Event.
    if api_version_group(&r.api_version).is_empty() && version == "v1" && r.kind == "Event" {
        out.push(FieldError::invalid(
            path.clone(),
            BadValue::Rendered(render::owner_reference(r)),
            "/v1, Kind=Event is disallowed from being an owner",
        ));
    }
}

/// Upstream's `ValidateOwnerReferences`: each reference needs apiVersion (with a version), kind,
/// name and uid (errors on `ownerReferences.<field>`, without an index), and at most one may
/// have `controller: true`.
#[must_use]
pub fn validate_owner_references(refs: &[OwnerReference], path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_owner_references(refs, path, &mut out);
    out
}

pub(crate) fn push_owner_references(
    refs: &[OwnerReference],
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    let mut first_controller: Option<String> = None;
    for r in refs {
        push_owner_reference(r, path, out);
        if r.controller == Some(true) {
            let current = format!("{}/{}", r.kind, r.name);
            match &first_controller {
                Some(first) => out.push(FieldError::invalid(
                    path.clone(),
                    BadValue::Rendered(render::owner_references(refs)),
                    format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"
                    ),
                )),
                None => first_controller = Some(current),
            }
        }
    }
}

fn push_finalizers(finalizers: &[String], path: &FieldPath, out: &mut Vec<FieldError>) {
    let mut orphan = false;
    let mut foreground = false;
    for f in finalizers {
        validate_label_name(f, path, out);
        orphan |= f == "orphan";
        foreground |= f == "foregroundDeletion";
    }
    if orphan && foreground {
        out.push(FieldError::invalid(
            path.clone(),
            BadValue::Rendered(render::string_slice(finalizers)),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
}

/// The apimachinery part of `ValidateObjectMeta` (namespace required; name rule per kind).
fn push_object_meta_generic(
    meta: &ObjectMeta,
    rule: NameRule,
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    if !meta.generate_name.is_empty() {
        for msg in rule.check(&meta.generate_name, true) {
            out.push(FieldError::invalid(
                path.child("generateName"),
                BadValue::Str(meta.generate_name.clone()),
                msg,
            ));
        }
    }
    if meta.name.is_empty() {
        // The API server generates the name from generateName before validating, so this only
        // fires when both are empty (a name the store has yet to generate is not an error here).
        if meta.generate_name.is_empty() {
            out.push(FieldError::required(
                path.child("name"),
                "name or generateName is required",
            ));
        }
    } else {
        for msg in rule.check(&meta.name, false) {
            out.push(FieldError::invalid(
                path.child("name"),
                BadValue::Str(meta.name.clone()),
                msg,
            ));
        }
    }
    if meta.namespace.is_empty() {
        out.push(FieldError::required(path.child("namespace"), ""));
    } else {
        for msg in names::name_is_dns_label(&meta.namespace, false) {
            out.push(FieldError::invalid(
                path.child("namespace"),
                BadValue::Str(meta.namespace.clone()),
                msg,
            ));
        }
    }
    nonnegative(meta.generation, path.child("generation"), out);
    push_labels(&meta.labels, &path.child("labels"), out);
    push_annotations(&meta.annotations, &path.child("annotations"), out);
    push_owner_references(&meta.owner_references, &path.child("ownerReferences"), out);
    push_finalizers(&meta.finalizers, &path.child("finalizers"), out);
}

/// Core's `ValidateObjectMeta` for namespaced kinds whose names are DNS subdomains: the
/// apimachinery checks, then every finalizer without a `/` must be a standard one.
pub(crate) fn push_object_meta(meta: &ObjectMeta, path: &FieldPath, out: &mut Vec<FieldError>) {
    push_object_meta_generic(meta, NameRule::DnsSubdomain, path, out);
    let fin = path.child("finalizers");
    for (i, f) in meta.finalizers.iter().enumerate() {
        let p = fin.index(i);
        validate_label_name(f, &p, out);
        if !f.contains('/') && !STANDARD_FINALIZERS.contains(&f.as_str()) {
            out.push(FieldError::invalid(
                p,
                BadValue::Str(f.clone()),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

/// Validates the metadata of a namespaced object whose name must be a DNS subdomain (Pods,
/// ReplicaSets, ReplicationControllers, Deployments), as on create.
#[must_use]
pub fn validate_object_meta(meta: &ObjectMeta, path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_object_meta(meta, path, &mut out);
    out
}

fn immutable(changed: bool, path: FieldPath, value: BadValue, out: &mut Vec<FieldError>) {
    if changed {
        out.push(FieldError::invalid(path, value, IMMUTABLE));
    }
}

/// Upstream's `ValidateObjectMetaAccessorUpdate`, without the `resourceVersion` check (the
/// store's concurrency control; for these kinds the API server fills a missing one in before it
/// validates).
pub(crate) fn push_object_meta_update(
    new: &ObjectMeta,
    old: &ObjectMeta,
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    if old.deletion_timestamp.is_some() {
        let mut added: Vec<&String> = new
            .finalizers
            .iter()
            .filter(|f| !old.finalizers.contains(f))
            .collect();
        added.sort();
        added.dedup();
        if !added.is_empty() {
            out.push(FieldError::forbidden(
                path.child("finalizers"),
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers {}",
                    render::string_slice(&added)
                ),
            ));
        }
    }
    if new.generation < old.generation {
        out.push(FieldError::invalid(
            path.child("generation"),
            BadValue::Int(new.generation),
            "must not be decremented",
        ));
    }
    immutable(
        new.name != old.name,
        path.child("name"),
        BadValue::Str(new.name.clone()),
        out,
    );
    immutable(
        new.namespace != old.namespace,
        path.child("namespace"),
        BadValue::Str(new.namespace.clone()),
        out,
    );
    immutable(
        new.uid != old.uid,
        path.child("uid"),
        BadValue::Str(new.uid.clone()),
        out,
    );
    immutable(
        new.creation_timestamp != old.creation_timestamp,
        path.child("creationTimestamp"),
        BadValue::Rendered(render::go_time(new.creation_timestamp)),
        out,
    );
    immutable(
        new.deletion_timestamp != old.deletion_timestamp,
        path.child("deletionTimestamp"),
        BadValue::Rendered(render::go_time_ptr(new.deletion_timestamp)),
        out,
    );
    immutable(
        new.deletion_grace_period_seconds != old.deletion_grace_period_seconds,
        path.child("deletionGracePeriodSeconds"),
        new.deletion_grace_period_seconds
            .map_or(BadValue::Null, BadValue::Int),
        out,
    );
    push_labels(&new.labels, &path.child("labels"), out);
    push_annotations(&new.annotations, &path.child("annotations"), out);
    push_owner_references(&new.owner_references, &path.child("ownerReferences"), out);
}

/// The checks the API server runs on every update before the kind's own validation
/// (`rest.BeforeUpdate` → `validateCommonFields`): generic metadata validation with the
/// path-segment name rule, then the metadata update rules.
pub(crate) fn push_common_update_fields(
    new: &ObjectMeta,
    old: &ObjectMeta,
    out: &mut Vec<FieldError>,
) {
    let path = FieldPath::root().child("metadata");
    push_object_meta_generic(new, NameRule::PathSegment, &path, out);
    push_object_meta_update(new, old, &path, out);
}

/// The request namespace did not match the object's (`EnsureObjectNamespaceMatchesRequestNamespace`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the namespace of the provided object does not match the namespace sent on the request")]
pub struct NamespaceMismatch {
    /// The namespace in the object.
    pub object: String,
    /// The namespace of the request.
    pub request: String,
}

/// What the API server does with `metadata.namespace` before it validates a create or update
/// sent to `request_namespace` (for kubectl, the context's namespace, usually `default`): an
/// empty namespace takes the request's; a different one is rejected (HTTP 400).
pub fn resolve_namespace(
    meta: &mut ObjectMeta,
    request_namespace: &str,
) -> Result<(), NamespaceMismatch> {
    if meta.namespace.is_empty() {
        meta.namespace = request_namespace.to_owned();
        Ok(())
    } else if meta.namespace == request_namespace {
        Ok(())
    } else {
        Err(NamespaceMismatch {
            object: meta.namespace.clone(),
            request: request_namespace.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_parse_as_upstream() {
        assert_eq!(api_version_version("apps/v1"), "v1");
        assert_eq!(api_version_version("v1"), "v1");
        assert_eq!(api_version_version(""), "");
        assert_eq!(api_version_version("/"), "");
        assert_eq!(api_version_version("apps/"), "");
        assert_eq!(api_version_version("a/b/c"), "");
        assert_eq!(api_version_group("apps/v1"), "apps");
        assert_eq!(api_version_group("v1"), "");
    }

    #[test]
    fn generic_update_name_rule_is_the_path_segment_rule() {
        let mut out = Vec::new();
        let meta = ObjectMeta {
            name: "..".into(),
            namespace: "default".into(),
            ..Default::default()
        };
        push_common_update_fields(&meta, &meta, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].to_string(),
            "metadata.name: Invalid value: \"..\": may not be '..'"
        );
    }

    #[test]
    fn annotation_size_counts_keys_and_values() {
        let mut a = crate::meta::Labels::new();
        a.insert(
            "k".repeat(4),
            "v".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 4),
        );
        assert!(validate_annotations(&a, &FieldPath::root()).is_empty());
        a.insert("x".into(), String::new());
        assert_eq!(validate_annotations(&a, &FieldPath::root()).len(), 1);
    }
}
