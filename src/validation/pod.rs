//! Pod, pod template and pod spec validation (`k8s.io/kubernetes/pkg/apis/core/validation`):
//! containers, ports, host-port conflicts, restart and DNS policies, and the pod-specific
//! annotations.
//!
//! Fields this crate does not model are read from `extra` where the rule is simple
//! (`imagePullPolicy`, `terminationMessagePolicy`, `dnsPolicy`, `hostNetwork`, ...). Volumes,
//! env, probes' contents, resources, security contexts, affinity and tolerations are not
//! validated (see the crate notes).

use crate::api::{Container, ContainerRestartPolicy, Pod, PodSpec, PodTemplateSpec, RestartPolicy};
use crate::meta::Labels;
use crate::pods::POD_DELETION_COST;
use crate::validation::field::{BadValue, FieldError, FieldPath};
use crate::validation::meta::{push_annotations, push_object_meta};
use crate::validation::names;
use crate::validation::selector::push_labels;
use crate::value::{Mapping, Value};

/// The mirror-pod annotation (`kubernetes.io/config.mirror`).
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// Supported port protocols, sorted as upstream prints them.
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
/// Supported image pull policies, sorted as upstream prints them.
const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];
/// Supported termination message policies, in upstream's order.
const TERMINATION_MESSAGE_POLICIES: [&str; 2] = ["File", "FallbackToLogsOnError"];
/// Supported DNS policies, in upstream's order.
const DNS_POLICIES: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

/// Options upstream derives per request (`PodValidationOptions`, the parts that matter here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PodOptions {
    /// The object being validated is a Pod, not a template (`ResourceIsPod`).
    pub is_pod: bool,
    /// An update whose old object already had an invalid deletion cost.
    pub allow_invalid_deletion_cost: bool,
}

/// A string field kept in `extra`; absent, `null` and non-strings read as `""`.
pub(crate) fn extra_str<'a>(extra: &'a Mapping, key: &str) -> &'a str {
    extra.get(key).and_then(Value::as_str).unwrap_or("")
}

/// True when `extra` has `key` set to something other than `null`.
pub(crate) fn extra_set(extra: &Mapping, key: &str) -> bool {
    extra.get(key).is_some_and(|v| !matches!(v, Value::Null))
}

/// Upstream's `validFirstDigit` + `ParseInt(…, 10, 32)` for the pod-deletion-cost annotation.
pub(crate) fn deletion_cost_ok(v: &str) -> bool {
    let first_ok = v == "0"
        || v.as_bytes()
            .first()
            .is_some_and(|&c| c == b'-' || (b'1'..=b'9').contains(&c));
    first_ok && v.parse::<i32>().is_ok()
}

/// Upstream's `ValidatePodSpecificAnnotations` (mirror-pod and deletion-cost parts).
fn push_pod_specific_annotations(
    annotations: &Labels,
    spec: &PodSpec,
    path: &FieldPath,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    if let Some(v) = annotations.get(MIRROR_POD_ANNOTATION) {
        if spec.node_name.is_empty() {
            out.push(FieldError::invalid(
                path.key(MIRROR_POD_ANNOTATION),
                BadValue::Str(v.clone()),
                "must set spec.nodeName if mirror pod annotation is set",
            ));
        }
    }
    if !opts.allow_invalid_deletion_cost {
        if let Some(v) = annotations.get(POD_DELETION_COST) {
            if !deletion_cost_ok(v) {
                out.push(FieldError::invalid(
                    path.key(POD_DELETION_COST),
                    BadValue::Str(v.clone()),
                    "must be a 32bit integer",
                ));
            }
        }
    }
}

fn push_dns_subdomain(value: &str, path: FieldPath, out: &mut Vec<FieldError>) {
    for msg in names::is_dns1123_subdomain(value) {
        out.push(FieldError::invalid(
            path.clone(),
            BadValue::Str(value.to_owned()),
            msg,
        ));
    }
}

fn push_dns_label(value: &str, path: FieldPath, out: &mut Vec<FieldError>) {
    for msg in names::is_dns1123_label(value) {
        out.push(FieldError::invalid(
            path.clone(),
            BadValue::Str(value.to_owned()),
            msg,
        ));
    }
}

/// An enumerated string field: `Required value` when empty, `Unsupported value` when unknown.
fn push_enum(value: &str, supported: &[&str], path: FieldPath, out: &mut Vec<FieldError>) {
    if value.is_empty() {
        out.push(FieldError::required(path, ""));
    } else if !supported.contains(&value) {
        out.push(FieldError::not_supported(
            path,
            BadValue::Str(value.to_owned()),
            supported,
        ));
    }
}

/// Upstream's `validateContainerPorts`.
fn push_container_ports(c: &Container, path: &FieldPath, out: &mut Vec<FieldError>) {
    let mut seen_names: Vec<&str> = Vec::new();
    for (i, port) in c.ports.iter().enumerate() {
        let p = path.index(i);
        if !port.name.is_empty() {
            let msgs = names::is_valid_port_name(&port.name);
            if !msgs.is_empty() {
                for msg in msgs {
                    out.push(FieldError::invalid(
                        p.child("name"),
                        BadValue::Str(port.name.clone()),
                        msg,
                    ));
                }
            } else if seen_names.contains(&port.name.as_str()) {
                out.push(FieldError::duplicate(
                    p.child("name"),
                    BadValue::Str(port.name.clone()),
                ));
            } else {
                seen_names.push(&port.name);
            }
        }
        if port.container_port == 0 {
            out.push(FieldError::required(p.child("containerPort"), ""));
        } else {
            for msg in names::is_valid_port_num(i64::from(port.container_port)) {
                out.push(FieldError::invalid(
                    p.child("containerPort"),
                    BadValue::Int(i64::from(port.container_port)),
                    msg,
                ));
            }
        }
        if port.host_port != 0 {
            for msg in names::is_valid_port_num(i64::from(port.host_port)) {
                out.push(FieldError::invalid(
                    p.child("hostPort"),
                    BadValue::Int(i64::from(port.host_port)),
                    msg,
                ));
            }
        }
        push_enum(port.protocol.as_str(), &PROTOCOLS, p.child("protocol"), out);
    }
}

/// Upstream's `validateContainerCommon` (the parts this crate can see).
fn push_container_common(c: &Container, path: &FieldPath, out: &mut Vec<FieldError>) {
    if c.name.is_empty() {
        out.push(FieldError::required(path.child("name"), ""));
    } else {
        push_dns_label(&c.name, path.child("name"), out);
    }
    if c.image.is_empty() {
        out.push(FieldError::required(path.child("image"), ""));
    }
    push_enum(
        extra_str(&c.extra, "terminationMessagePolicy"),
        &TERMINATION_MESSAGE_POLICIES,
        path.child("terminationMessagePolicy"),
        out,
    );
    push_container_ports(c, &path.child("ports"), out);
    push_enum(
        extra_str(&c.extra, "imagePullPolicy"),
        &PULL_POLICIES,
        path.child("imagePullPolicy"),
        out,
    );
}

/// Upstream's `AccumulateUniqueHostPorts` over `containers`, indexed from 0 under `path`.
fn push_host_port_conflicts<'a>(
    containers: impl Iterator<Item = &'a Container>,
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    let mut seen: Vec<String> = Vec::new();
    for (ci, c) in containers.enumerate() {
        let ports = path.index(ci).child("ports");
        for (pi, port) in c.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{}",
                port.protocol.as_str(),
                port.host_ip,
                port.host_port
            );
            if seen.contains(&key) {
                out.push(FieldError::duplicate(
                    ports.index(pi).child("hostPort"),
                    BadValue::Str(key),
                ));
            } else {
                seen.push(key);
            }
        }
    }
}

/// Upstream's `validateContainers` (regular containers).
fn push_containers(containers: &[Container], path: &FieldPath, out: &mut Vec<FieldError>) {
    if containers.is_empty() {
        out.push(FieldError::required(path.clone(), ""));
        return;
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let p = path.index(i);
        push_container_common(c, &p, out);
        if names.contains(&c.name.as_str()) {
            out.push(FieldError::duplicate(
                p.child("name"),
                BadValue::Str(c.name.clone()),
            ));
        } else {
            names.push(&c.name);
        }
        if c.restart_policy.is_some() {
            out.push(FieldError::forbidden(
                p.child("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    push_host_port_conflicts(containers.iter(), path, out);
}

/// Upstream's `validateInitContainers`.
fn push_init_containers(
    init: &[Container],
    regular: &[Container],
    path: &FieldPath,
    out: &mut Vec<FieldError>,
) {
    let mut names: Vec<&str> = regular.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in init.iter().enumerate() {
        let p = path.index(i);
        push_container_common(c, &p, out);
        let mut sidecar = false;
        if let Some(policy) = &c.restart_policy {
            if *policy == ContainerRestartPolicy::Always {
                sidecar = true;
            } else {
                out.push(FieldError::not_supported(
                    p.child("restartPolicy"),
                    BadValue::Str(policy.as_str().to_owned()),
                    &["Always"],
                ));
            }
        }
        if names.contains(&c.name.as_str()) {
            out.push(FieldError::duplicate(
                p.child("name"),
                BadValue::Str(c.name.clone()),
            ));
        } else if !c.name.is_empty() {
            names.push(&c.name);
        }
        // Upstream checks each init container on its own (they run one by one), passing a
        // one-element list: conflicts are reported at index 0 whatever the container's index.
        push_host_port_conflicts(std::iter::once(c), path, out);
        if !sidecar {
            for field in [
                "lifecycle",
                "livenessProbe",
                "readinessProbe",
                "startupProbe",
            ] {
                if extra_set(&c.extra, field) {
                    out.push(FieldError::forbidden(
                        p.child(field),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
    }
}

/// Upstream's `validatePodHostNetworkDeps`.
fn push_host_network_deps(
    spec: &PodSpec,
    path: &FieldPath,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    if !matches!(spec.extra.get("hostNetwork"), Some(Value::Bool(true))) {
        return;
    }
    let cpath = path.child("containers");
    for (i, c) in spec.containers.iter().enumerate() {
        let ports = cpath.index(i).child("ports");
        for (j, port) in c.ports.iter().enumerate() {
            let (hp, cp) = (port.host_port, port.container_port);
            if (opts.is_pod || hp != 0) && hp != cp {
                out.push(FieldError::invalid(
                    ports.index(j).child("hostPort"),
                    BadValue::Int(i64::from(hp)),
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
}

/// Upstream's `ValidatePodSpec`, in its order, for the fields this crate sees.
pub(crate) fn push_pod_spec(
    spec: &PodSpec,
    path: &FieldPath,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    push_containers(&spec.containers, &path.child("containers"), out);
    push_init_containers(
        &spec.init_containers,
        &spec.containers,
        &path.child("initContainers"),
        out,
    );
    push_host_network_deps(spec, path, opts, out);
    push_enum(
        spec.restart_policy.as_str(),
        RestartPolicy::KNOWN,
        path.child("restartPolicy"),
        out,
    );
    let dns_policy = extra_str(&spec.extra, "dnsPolicy");
    push_enum(dns_policy, &DNS_POLICIES, path.child("dnsPolicy"), out);
    push_labels(&spec.node_selector, &path.child("nodeSelector"), out);
    if dns_policy == "None" {
        match spec.extra.get("dnsConfig") {
            None | Some(Value::Null) => out.push(FieldError::required(
                path.child("dnsConfig"),
                "must provide `dnsConfig` when `dnsPolicy` is None",
            )),
            Some(config) => {
                if !matches!(config.get("nameservers"), Some(Value::Sequence(s)) if !s.is_empty()) {
                    out.push(FieldError::required(
                        path.child("dnsConfig").child("nameservers"),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None",
                    ));
                }
            }
        }
    }
    let sa = extra_str(&spec.extra, "serviceAccountName");
    if !sa.is_empty() {
        push_dns_subdomain(sa, path.child("serviceAccountName"), out);
    }
    if !spec.node_name.is_empty() {
        push_dns_subdomain(&spec.node_name, path.child("nodeName"), out);
    }
    if let Some(v) = spec.active_deadline_seconds {
        if v < 1 || v > i64::from(i32::MAX) {
            out.push(FieldError::invalid(
                path.child("activeDeadlineSeconds"),
                BadValue::Int(v),
                names::inclusive_range_error(1, i64::from(i32::MAX)),
            ));
        }
    }
    for field in ["hostname", "subdomain"] {
        let v = extra_str(&spec.extra, field);
        if !v.is_empty() {
            push_dns_label(v, path.child(field), out);
        }
    }
    let pc = extra_str(&spec.extra, "priorityClassName");
    if !pc.is_empty() {
        push_dns_subdomain(pc, path.child("priorityClassName"), out);
    }
    if let Some(Value::String(rc)) = spec.extra.get("runtimeClassName") {
        push_dns_subdomain(rc, path.child("runtimeClassName"), out);
    }
}

/// Upstream's `ValidatePodTemplateSpec`: template labels are validated at `<path>.labels` (not
/// `<path>.metadata.labels`), annotations at `<path>.annotations`, then the pod spec.
pub(crate) fn push_pod_template_spec(
    t: &PodTemplateSpec,
    path: &FieldPath,
    opts: PodOptions,
    out: &mut Vec<FieldError>,
) {
    push_labels(&t.metadata.labels, &path.child("labels"), out);
    let annotations = path.child("annotations");
    push_annotations(&t.metadata.annotations, &annotations, out);
    push_pod_specific_annotations(&t.metadata.annotations, &t.spec, &annotations, opts, out);
    push_pod_spec(&t.spec, &path.child("spec"), opts, out);
    if nonempty_list(&t.spec.extra, "ephemeralContainers") {
        out.push(FieldError::forbidden(
            path.child("spec").child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
}

fn nonempty_list(extra: &Mapping, key: &str) -> bool {
    matches!(extra.get(key), Some(Value::Sequence(s)) if !s.is_empty())
}

/// Upstream's `ValidatePodCreate` (via `validatePodMetadataAndSpec`).
pub(crate) fn push_pod(pod: &Pod, opts: PodOptions, out: &mut Vec<FieldError>) {
    let meta = FieldPath::root().child("metadata");
    let spec = FieldPath::root().child("spec");
    push_object_meta(&pod.metadata, &meta, out);
    push_pod_specific_annotations(
        &pod.metadata.annotations,
        &pod.spec,
        &meta.child("annotations"),
        opts,
        out,
    );
    push_pod_spec(&pod.spec, &spec, opts, out);
    for (list, field) in [
        (&pod.spec.containers, "containers"),
        (&pod.spec.init_containers, "initContainers"),
    ] {
        let p = spec.child(field);
        for (i, c) in list.iter().enumerate() {
            if c.image.len() != c.image.trim().len() {
                out.push(FieldError::invalid(
                    p.index(i).child("image"),
                    BadValue::Str(c.image.clone()),
                    "must not have leading or trailing whitespace",
                ));
            }
        }
    }
    if nonempty_list(&pod.spec.extra, "ephemeralContainers") {
        out.push(FieldError::forbidden(
            spec.child("ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    if !pod.spec.node_name.is_empty() && nonempty_list(&pod.spec.extra, "schedulingGates") {
        out.push(FieldError::forbidden(
            spec.child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
}

/// Validates a pod template as upstream's `ValidatePodTemplateSpec` does, at `path`
/// (`spec.template` for the workload kinds).
#[must_use]
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_pod_template_spec(t, path, PodOptions::default(), &mut out);
    out
}

/// Validates a pod spec as upstream's `ValidatePodSpec` does for a spec embedded in a template.
#[must_use]
pub fn validate_pod_spec(spec: &PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut out = Vec::new();
    push_pod_spec(spec, path, PodOptions::default(), &mut out);
    out
}
