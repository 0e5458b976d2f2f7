//! ReplicaSet, Deployment and ReplicationController spec and status validation
//! (`k8s.io/kubernetes/pkg/apis/apps/validation`, and the ReplicationController part of
//! `k8s.io/kubernetes/pkg/apis/core/validation`), in upstream's check order.

use crate::api::{
    Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, DeploymentStrategyType,
    IntOrString, PodTemplateSpec, ReplicaSetSpec, ReplicaSetStatus, ReplicationControllerSpec,
    ReplicationControllerStatus, RestartPolicy, RollingUpdateDeployment,
};
use crate::selector::Selector;
use crate::validation::field::{BadValue, FieldError, FieldPath};
use crate::validation::meta::nonnegative;
use crate::validation::pod::{PodOptions, push_pod_template_spec};
use crate::validation::selector::push_label_selector;
use crate::validation::{names, render};

/// The Deployment annotation that carries the removed `spec.rollbackTo.revision`.
pub const DEPRECATED_ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";

const SELECTOR_MISMATCH: &str = "`selector` does not match template `labels`";

/// Go's `strconv.Atoi` as `IntOrString.IntValue()` uses it: optional sign and decimal digits;
/// a syntax error gives 0, an out-of-range value saturates.
fn go_atoi(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    let mut n: i64 = 0;
    for c in digits.bytes() {
        let d = i64::from(c - b'0');
        n = if neg {
            n.saturating_mul(10).saturating_sub(d)
        } else {
            n.saturating_mul(10).saturating_add(d)
        };
    }
    n
}

/// Upstream's `getPercentValue`: the number of a valid `[0-9]+%` string.
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if names::is_valid_percent(s).is_empty() => {
            Some(go_atoi(s.strip_suffix('%').unwrap_or(s)))
        }
        _ => None,
    }
}

/// Upstream's `getIntOrPercentValue`: the percent number, or `IntValue()`.
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match (percent_value(v), v) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => i64::from(*i),
        (None, IntOrString::String(s)) => go_atoi(s),
    }
}

/// Upstream's `ValidatePositiveIntOrPercent`.
fn push_positive_int_or_percent(v: &IntOrString, path: FieldPath, out: &mut Vec<FieldError>) {
    match v {
        IntOrString::String(s) => {
            for msg in names::is_valid_percent(s) {
                out.push(FieldError::invalid(
                    path.clone(),
                    BadValue::Rendered(v.go_repr()),
                    msg,
                ));
            }
        }
        IntOrString::Int(i) => nonnegative(i64::from(*i), path, out),
    }
}

/// Upstream's `ValidateRollingUpdateDeployment`. Unset values are Go's zero `IntOrString`.
fn push_rolling_update(ru: &RollingUpdateDeployment, path: &FieldPath, out: &mut Vec<FieldError>) {
    let unavailable = ru.max_unavailable.clone().unwrap_or_default();
    let surge = ru.max_surge.clone().unwrap_or_default();
    push_positive_int_or_percent(&unavailable, path.child("maxUnavailable"), out);
    push_positive_int_or_percent(&surge, path.child("maxSurge"), out);
    if int_or_percent_value(&unavailable) == 0 && int_or_percent_value(&surge) == 0 {
        out.push(FieldError::invalid(
            path.child("maxUnavailable"),
            BadValue::Rendered(unavailable.go_repr()),
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    if percent_value(&unavailable).is_some_and(|p| p > 100) {
        out.push(FieldError::invalid(
            path.child("maxUnavailable"),
            BadValue::Rendered(unavailable.go_repr()),
            "must not be greater than 100%",
        ));
    }
}

/// Upstream's `ValidateDeploymentStrategy`.
fn push_strategy(s: &DeploymentStrategy, path: &FieldPath, out: &mut Vec<FieldError>) {
    match s.type_ {
        DeploymentStrategyType::Recreate => {
            if s.rolling_update.is_some() {
                out.push(FieldError::forbidden(
                    path.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        DeploymentStrategyType::RollingUpdate => match &s.rolling_update {
            None => out.push(FieldError::required(
                path.child("rollingUpdate"),
                "this should be defaulted and never be nil",
            )),
            Some(ru) => push_rolling_update(ru, &path.child("rollingUpdate"), out),
        },
        _ => out.push(FieldError::not_supported(
            path.clone(),
            BadValue::Rendered(render::deployment_strategy(s)),
            DeploymentStrategyType::KNOWN,
        )),
    }
}

/// Upstream's `ValidatePodTemplateSpecForReplicaSet` (and, with `kind` = `ReplicationController`,
/// the template half of `ValidatePodTemplateSpecForRC`).
fn push_template_for_controller(
    template: &PodTemplateSpec,
    selector: &Selector<'_>,
    path: &FieldPath,
    kind: &str,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    if !selector.is_empty() && !selector.matches(&template.metadata.labels) {
        out.push(FieldError::invalid(
            path.child("metadata").child("labels"),
            BadValue::Rendered(render::string_map(&template.metadata.labels)),
            SELECTOR_MISMATCH,
        ));
    }
    push_pod_template_spec(template, path, opts, out);
    let spec = path.child("spec");
    if template.spec.restart_policy != RestartPolicy::Always {
        out.push(FieldError::not_supported(
            spec.child("restartPolicy"),
            BadValue::Str(template.spec.restart_policy.as_str().to_owned()),
            &["Always"],
        ));
    }
    if template.spec.active_deadline_seconds.is_some() {
        out.push(FieldError::forbidden(
            spec.child("activeDeadlineSeconds"),
            format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
}

/// The selector checks shared by ReplicaSets and Deployments, then the template (skipped when the
/// selector does not convert).
fn push_selector_and_template(
    selector: Option<&crate::meta::LabelSelector>,
    template: &PodTemplateSpec,
    path: &FieldPath,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    let sel_path = path.child("selector");
    match selector {
        None => out.push(FieldError::required(sel_path.clone(), "")),
        Some(sel) => {
            push_label_selector(sel, &sel_path, out);
            if sel.is_empty() {
                out.push(FieldError::invalid(
                    sel_path.clone(),
                    BadValue::Rendered(render::label_selector(sel)),
                    "empty selector is invalid for deployment",
                ));
            }
        }
    }
    match Selector::compile(selector) {
        Err(_) => out.push(FieldError::invalid(
            sel_path,
            BadValue::Rendered(render::label_selector_ptr(selector)),
            "invalid label selector",
        )),
        Ok(compiled) => push_template_for_controller(
            template,
            &compiled,
            &path.child("template"),
            "ReplicaSet",
            opts,
            out,
        ),
    }
}

/// Upstream's `ValidateReplicaSetSpec`.
pub(crate) fn push_replica_set_spec(
    spec: &ReplicaSetSpec,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    let path = FieldPath::root().child("spec");
    nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        path.child("replicas"),
        out,
    );
    nonnegative(
        i64::from(spec.min_ready_seconds),
        path.child("minReadySeconds"),
        out,
    );
    push_selector_and_template(spec.selector.as_ref(), &spec.template, &path, opts, out);
}

/// Upstream's `ValidateDeploymentSpec`; `d` is the whole object because the removed
/// `spec.rollbackTo` travels in an annotation.
pub(crate) fn push_deployment_spec(d: &Deployment, opts: PodOptions, out: &mut Vec<FieldError>) {
    let spec: &DeploymentSpec = &d.spec;
    let path = FieldPath::root().child("spec");
    nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        path.child("replicas"),
        out,
    );
    push_selector_and_template(spec.selector.as_ref(), &spec.template, &path, opts, out);
    push_strategy(&spec.strategy, &path.child("strategy"), out);
    nonnegative(
        i64::from(spec.min_ready_seconds),
        path.child("minReadySeconds"),
        out,
    );
    if let Some(limit) = spec.revision_history_limit {
        nonnegative(i64::from(limit), path.child("revisionHistoryLimit"), out);
    }
    if let Some(Ok(revision)) = d
        .metadata
        .annotations
        .get(DEPRECATED_ROLLBACK_TO)
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<i64>())
    {
        nonnegative(revision, path.child("rollback").child("version"), out);
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        let p = path.child("progressDeadlineSeconds");
        nonnegative(i64::from(deadline), p.clone(), out);
        if deadline <= spec.min_ready_seconds {
            out.push(FieldError::invalid(
                p,
                BadValue::Int(i64::from(deadline)),
                "must be greater than minReadySeconds",
            ));
        }
    }
}

/// Upstream's `ValidateReplicationControllerSpec`.
pub(crate) fn push_replication_controller_spec(
    spec: &ReplicationControllerSpec,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    let path = FieldPath::root().child("spec");
    nonnegative(
        i64::from(spec.min_ready_seconds),
        path.child("minReadySeconds"),
        out,
    );
    let selector = Selector::from_map(&spec.selector);
    if selector.is_empty() {
        out.push(FieldError::required(path.child("selector"), ""));
    }
    nonnegative(
        i64::from(spec.replicas.unwrap_or(0)),
        path.child("replicas"),
        out,
    );
    match &spec.template {
        None => out.push(FieldError::required(path.child("template"), "")),
        Some(t) => push_template_for_controller(
            t,
            &selector,
            &path.child("template"),
            "ReplicationController",
            opts,
            out,
        ),
    }
}

/// The counter checks shared by ReplicaSet and ReplicationController status.
#[allow(clippy::too_many_arguments)]
fn push_replica_counts(
    replicas: i32,
    fully_labeled: i32,
    ready: i32,
    available: i32,
    observed_generation: i64,
    out: &mut Vec<FieldError>,
) {
    let path = FieldPath::root().child("status");
    nonnegative(i64::from(replicas), path.child("replicas"), out);
    nonnegative(
        i64::from(fully_labeled),
        path.child("fullyLabeledReplicas"),
        out,
    );
    nonnegative(i64::from(ready), path.child("readyReplicas"), out);
    nonnegative(i64::from(available), path.child("availableReplicas"), out);
    nonnegative(observed_generation, path.child("observedGeneration"), out);
    let msg = "cannot be greater than status.replicas";
    for (value, field) in [
        (fully_labeled, "fullyLabeledReplicas"),
        (ready, "readyReplicas"),
        (available, "availableReplicas"),
    ] {
        if value > replicas {
            out.push(FieldError::invalid(
                path.child(field),
                BadValue::Int(i64::from(value)),
                msg,
            ));
        }
    }
    if available > ready {
        out.push(FieldError::invalid(
            path.child("availableReplicas"),
            BadValue::Int(i64::from(available)),
            "cannot be greater than readyReplicas",
        ));
    }
}

/// Upstream's `ValidateReplicaSetStatus`.
pub(crate) fn push_replica_set_status(s: &ReplicaSetStatus, out: &mut Vec<FieldError>) {
    push_replica_counts(
        s.replicas,
        s.fully_labeled_replicas,
        s.ready_replicas,
        s.available_replicas,
        s.observed_generation,
        out,
    );
}

/// Upstream's `ValidateReplicationControllerStatus`.
pub(crate) fn push_replication_controller_status(
    s: &ReplicationControllerStatus,
    out: &mut Vec<FieldError>,
) {
    push_replica_counts(
        s.replicas,
        s.fully_labeled_replicas,
        s.ready_replicas,
        s.available_replicas,
        s.observed_generation,
        out,
    );
}

/// Upstream's `ValidateDeploymentStatus` plus the collision-count rule of a status update.
pub(crate) fn push_deployment_status(
    new: &DeploymentStatus,
    old: &DeploymentStatus,
    out: &mut Vec<FieldError>,
) {
    let path = FieldPath::root().child("status");
    nonnegative(
        new.observed_generation,
        path.child("observedGeneration"),
        out,
    );
    for (value, field) in [
        (new.replicas, "replicas"),
        (new.updated_replicas, "updatedReplicas"),
        (new.ready_replicas, "readyReplicas"),
        (new.available_replicas, "availableReplicas"),
        (new.unavailable_replicas, "unavailableReplicas"),
    ] {
        nonnegative(i64::from(value), path.child(field), out);
    }
    if let Some(c) = new.collision_count {
        nonnegative(i64::from(c), path.child("collisionCount"), out);
    }
    let msg = "cannot be greater than status.replicas";
    for (value, field) in [
        (new.updated_replicas, "updatedReplicas"),
        (new.ready_replicas, "readyReplicas"),
        (new.available_replicas, "availableReplicas"),
    ] {
        if value > new.replicas {
            out.push(FieldError::invalid(
                path.child(field),
                BadValue::Int(i64::from(value)),
                msg,
            ));
        }
    }
    if new.available_replicas > new.ready_replicas {
        out.push(FieldError::invalid(
            path.child("availableReplicas"),
            BadValue::Int(i64::from(new.available_replicas)),
            "cannot be greater than readyReplicas",
        ));
    }
    let decremented = match (new.collision_count, old.collision_count) {
        (None, Some(_)) => true,
        (Some(n), Some(o)) => n < o,
        _ => false,
    };
    if decremented {
        out.push(FieldError::invalid(
            path.child("collisionCount"),
            BadValue::Int(i64::from(new.collision_count.unwrap_or(0))),
            "cannot be decremented",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_atoi_matches_strconv() {
        assert_eq!(go_atoi("25"), 25);
        assert_eq!(go_atoi("+5"), 5);
        assert_eq!(go_atoi("-3"), -3);
        assert_eq!(go_atoi("abc"), 0);
        assert_eq!(go_atoi(""), 0);
        assert_eq!(go_atoi("-"), 0);
        assert_eq!(go_atoi("5%"), 0);
        assert_eq!(go_atoi("99999999999999999999999"), i64::MAX);
        assert_eq!(go_atoi("-99999999999999999999999"), i64::MIN);
    }

    #[test]
    fn int_or_percent_values() {
        assert_eq!(int_or_percent_value(&IntOrString::String("0%".into())), 0);
        assert_eq!(int_or_percent_value(&IntOrString::String("25%".into())), 25);
        assert_eq!(int_or_percent_value(&IntOrString::String("3".into())), 3);
        assert_eq!(int_or_percent_value(&IntOrString::String("x".into())), 0);
        assert_eq!(int_or_percent_value(&IntOrString::Int(2)), 2);
        assert_eq!(
            percent_value(&IntOrString::String("101%".into())),
            Some(101)
        );
        assert_eq!(percent_value(&IntOrString::Int(101)), None);
    }
}
