//! Warnings the API server returns with a successful create (`k8s.io/kubernetes/pkg/api/pod/warnings.go`
//! and the registry strategies), as data.
//!
//! kubectl prints each as `Warning: <path>: <message>`. Implemented, in upstream's order:
//! deprecated node labels in `nodeSelector` and `topologySpreadConstraints`, null label selectors
//! in topology spread constraints, deprecated annotations, deprecated volume plugins, duplicate
//! `hostAliases` IPs, duplicate or empty `imagePullSecrets`, seccomp and AppArmor annotations
//! without their fields, duplicate env names, the port checks (`hostIP set without hostPort`,
//! duplicate / overlapping / dangerously ambiguous port definitions), negative
//! `terminationGracePeriodSeconds`, and null label selectors in pod (anti-)affinity terms.
//! Not implemented: node-affinity deprecated labels, fractional memory quantities, projected
//! service-account-token path clashes and ephemeral-volume claim warnings.

use std::fmt;

use crate::api::{Container, ContainerPort, PodSpec};
use crate::meta::ObjectMeta;
use crate::validation::field::{FieldPath, go_quote};
use crate::validation::{names, render};
use crate::value::{Mapping, Value};

/// One warning: where, and what upstream says about it. Prints as `path: message`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    /// The field the warning is about.
    pub path: FieldPath,
    /// Upstream's text after the path.
    pub message: String,
}

impl Warning {
    /// A warning at `path`.
    #[must_use]
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        Warning {
            path,
            message: message.into(),
        }
    }

    /// The line kubectl prints on stderr: `Warning: <path>: <message>`.
    #[must_use]
    pub fn kubectl_line(&self) -> String {
        format!("Warning: {self}")
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Which creation warning about the object name to give (`WarningsOnCreate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameWarning {
    /// ReplicaSets, ReplicationControllers, Deployments: names feed pod names and hostnames.
    Workload,
    /// Pods: the name is the hostname.
    Pod,
}

/// `metadata.name: this is used in … a DNS label is recommended: [<msgs>]` when the name is not a
/// DNS-1123 label.
pub(crate) fn name_warning(name: &str, kind: NameWarning, out: &mut Vec<Warning>) {
    let msgs = names::is_dns1123_label(name);
    if msgs.is_empty() {
        return;
    }
    let what = match kind {
        NameWarning::Workload => "this is used in Pod names and hostnames",
        NameWarning::Pod => "this is used in the Pod's hostname",
    };
    out.push(Warning::new(
        FieldPath::root().child("metadata").child("name"),
        format!(
            "{what}, which can result in surprising behavior; a DNS label is recommended: {}",
            render::plain_string_list(&msgs)
        ),
    ));
}

/// Upstream's `GetNodeLabelDeprecatedMessage`.
fn deprecated_node_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "beta.kubernetes.io/arch" => r#"deprecated since v1.14; use "kubernetes.io/arch" instead"#,
        "beta.kubernetes.io/os" => r#"deprecated since v1.14; use "kubernetes.io/os" instead"#,
        "failure-domain.beta.kubernetes.io/region" => {
            r#"deprecated since v1.17; use "topology.kubernetes.io/region" instead"#
        }
        "failure-domain.beta.kubernetes.io/zone" => {
            r#"deprecated since v1.17; use "topology.kubernetes.io/zone" instead"#
        }
        "beta.kubernetes.io/instance-type" => {
            r#"deprecated since v1.17; use "node.kubernetes.io/instance-type" instead"#
        }
        _ => return None,
    })
}

const DEPRECATED_ANNOTATIONS: [(&str, &str); 3] = [
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        r#"non-functional in v1.16+; use the "priorityClassName" field instead"#,
    ),
    (
        "security.alpha.kubernetes.io/sysctls",
        r#"non-functional in v1.11+; use the "sysctls" field instead"#,
    ),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        r#"non-functional in v1.11+; use the "sysctls" field instead"#,
    ),
];

/// (JSON key, path segment upstream prints, message).
const DEPRECATED_VOLUMES: [(&str, &str, &str); 9] = [
    (
        "photonPersistentDisk",
        "photonPersistentDisk",
        "deprecated in v1.11, non-functional in v1.16+",
    ),
    ("gitRepo", "gitRepo", "deprecated in v1.11"),
    (
        "scaleIO",
        "scaleIO",
        "deprecated in v1.16, non-functional in v1.22+",
    ),
    (
        "flocker",
        "flocker",
        "deprecated in v1.22, non-functional in v1.25+",
    ),
    (
        "storageos",
        "storageOS",
        "deprecated in v1.22, non-functional in v1.25+",
    ),
    (
        "quobyte",
        "quobyte",
        "deprecated in v1.22, non-functional in v1.25+",
    ),
    (
        "glusterfs",
        "glusterfs",
        "deprecated in v1.25, non-functional in v1.26+",
    ),
    (
        "cephfs",
        "cephfs",
        "deprecated in v1.28, non-functional in v1.31+",
    ),
    (
        "rbd",
        "rbd",
        "deprecated in v1.28, non-functional in v1.31+",
    ),
];

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn list<'a>(m: &'a Mapping, key: &str) -> &'a [Value] {
    match m.get(key) {
        Some(Value::Sequence(s)) => s,
        _ => &[],
    }
}

fn map_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

fn str_of(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("")
}

fn is_unset(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::Null))
}

/// The containers upstream's `VisitContainersWithPath` visits: init, then regular (ephemeral
/// containers are not modelled).
fn visit<'a>(spec: &'a PodSpec, spec_path: &FieldPath) -> Vec<(&'a Container, FieldPath)> {
    let init = spec_path.child("initContainers");
    let regular = spec_path.child("containers");
    spec.init_containers
        .iter()
        .enumerate()
        .map(|(i, c)| (c, init.index(i)))
        .chain(
            spec.containers
                .iter()
                .enumerate()
                .map(|(i, c)| (c, regular.index(i))),
        )
        .collect()
}

fn has_seccomp_profile(sc: Option<&Value>) -> bool {
    sc.is_some_and(|sc| !is_unset(map_get(sc, "seccompProfile")))
}

fn has_apparmor_profile(sc: Option<&Value>) -> bool {
    sc.is_some_and(|sc| !is_unset(map_get(sc, "appArmorProfile")))
}

fn env_warnings(c: &Container, p: &FieldPath, out: &mut Vec<Warning>) {
    let env = list(&c.extra, "env");
    if env.len() < 2 {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in env.iter().enumerate() {
        let name = str_of(map_get(item, "name"));
        if seen.contains(&name) {
            let reference = format!("$({name})");
            let value = str_of(map_get(item, "value"));
            let bad = !is_unset(map_get(item, "valueFrom"))
                || value == reference
                || !value.contains(&reference);
            if bad {
                out.push(Warning::new(
                    p.child("env").index(i),
                    format!(
                        "hides previous definition of {}, which may be dropped when using apply",
                        go_quote(name)
                    ),
                ));
            }
        } else {
            seen.push(name);
        }
    }
}

fn port_warnings(spec: &PodSpec, spec_path: &FieldPath, out: &mut Vec<Warning>) {
    let mut all: Vec<(String, FieldPath, &ContainerPort)> = Vec::new();
    for (c, cpath) in visit(spec, spec_path) {
        for (i, port) in c.ports.iter().enumerate() {
            let ppath = cpath.child("ports").index(i);
            if !port.host_ip.is_empty() && port.host_port == 0 {
                out.push(Warning::new(
                    ppath.clone(),
                    format!(
                        "hostIP set without hostPort: {}",
                        render::container_port_plus_v(port)
                    ),
                ));
            }
            let key = format!("{}/{}", port.container_port, port.protocol.as_str());
            for (other_key, other_path, other) in &all {
                if *other_key != key {
                    continue;
                }
                let msg = if port.host_ip == other.host_ip && port.host_port == other.host_port {
                    Some("duplicate port definition")
                } else if port.host_port == 0 || other.host_port == 0 {
                    Some("overlapping port definition")
                } else if port.host_port == other.host_port
                    && (port.host_ip.is_empty() != other.host_ip.is_empty())
                {
                    Some("dangerously ambiguous port definition")
                } else {
                    None
                };
                if let Some(msg) = msg {
                    out.push(Warning::new(
                        ppath.clone(),
                        format!("{msg} with {other_path}"),
                    ));
                }
            }
            all.push((key, ppath, port));
        }
    }
}

fn affinity_term_warnings(
    terms: &[Value],
    path: &FieldPath,
    weighted: bool,
    out: &mut Vec<Warning>,
) {
    for (i, t) in terms.iter().enumerate() {
        let (term, p) = if weighted {
            (
                map_get(t, "podAffinityTerm"),
                path.index(i).child("podAffinityTerm"),
            )
        } else {
            (Some(t), path.index(i))
        };
        if is_unset(term.and_then(|t| map_get(t, "labelSelector"))) {
            out.push(Warning::new(
                p.child("labelSelector"),
                "a null labelSelector results in matching no pod",
            ));
        }
    }
}

/// Upstream's `warningsForPodSpecAndMeta`. `base` is the template's path (`spec.template`), or
/// the root for a Pod.
pub(crate) fn pod_spec_warnings(
    base: &FieldPath,
    spec: &PodSpec,
    meta: &ObjectMeta,
    is_template: bool,
    out: &mut Vec<Warning>,
) {
    let spec_path = base.child("spec");
    for k in spec.node_selector.keys() {
        if let Some(msg) = deprecated_node_label(k) {
            out.push(Warning::new(
                spec_path.child("nodeSelector").key(k.clone()),
                msg,
            ));
        }
    }
    let tsc = spec_path.child("topologySpreadConstraints");
    for (i, t) in list(&spec.extra, "topologySpreadConstraints")
        .iter()
        .enumerate()
    {
        let key = str_of(map_get(t, "topologyKey"));
        if let Some(msg) = deprecated_node_label(key) {
            out.push(Warning::new(
                tsc.index(i).child("topologyKey"),
                format!("{key} is {msg}"),
            ));
        }
        if is_unset(map_get(t, "labelSelector")) {
            out.push(Warning::new(
                tsc.index(i).child("labelSelector"),
                "a null labelSelector results in matching no pod",
            ));
        }
    }
    let annotations = base.child("metadata").child("annotations");
    for (key, msg) in DEPRECATED_ANNOTATIONS {
        if meta.annotations.contains_key(key) {
            out.push(Warning::new(annotations.key(key), msg));
        }
    }
    let volumes = spec_path.child("volumes");
    for (i, v) in list(&spec.extra, "volumes").iter().enumerate() {
        for (json, segment, msg) in DEPRECATED_VOLUMES {
            if !is_unset(map_get(v, json)) {
                out.push(Warning::new(volumes.index(i).child(segment), msg));
            }
        }
    }
    let aliases = list(&spec.extra, "hostAliases");
    if aliases.len() > 1 {
        let mut seen: Vec<&str> = Vec::new();
        for (i, a) in aliases.iter().enumerate() {
            let ip = str_of(map_get(a, "ip"));
            if seen.contains(&ip) {
                out.push(Warning::new(
                    spec_path.child("hostAliases").index(i).child("ip"),
                    format!("duplicate ip {}", go_quote(ip)),
                ));
            } else {
                seen.push(ip);
            }
        }
    }
    let secrets = list(&spec.extra, "imagePullSecrets");
    let secrets_path = spec_path.child("imagePullSecrets");
    if secrets.len() > 1 {
        let mut seen: Vec<&str> = Vec::new();
        for (i, s) in secrets.iter().enumerate() {
            let name = str_of(map_get(s, "name"));
            if seen.contains(&name) {
                out.push(Warning::new(
                    secrets_path.index(i).child("name"),
                    format!("duplicate name {}", go_quote(name)),
                ));
            } else {
                seen.push(name);
            }
        }
    }
    for (i, s) in secrets.iter().enumerate() {
        let name = str_of(map_get(s, "name"));
        if name.is_empty() {
            out.push(Warning::new(
                secrets_path.index(i).child("name"),
                format!("invalid empty name {}", go_quote(name)),
            ));
        }
    }
    let pod_sc = spec.extra.get("securityContext");
    if !has_seccomp_profile(pod_sc) && meta.annotations.contains_key(SECCOMP_POD_ANNOTATION) {
        out.push(Warning::new(
            annotations.key(SECCOMP_POD_ANNOTATION),
            r#"non-functional in v1.27+; use the "seccompProfile" field instead"#,
        ));
    }
    let pod_apparmor = has_apparmor_profile(pod_sc);
    for (c, cpath) in visit(spec, &spec_path) {
        let csc = c.extra.get("securityContext");
        let seccomp_key = format!("{SECCOMP_CONTAINER_PREFIX}{}", c.name);
        if !has_seccomp_profile(csc) && meta.annotations.contains_key(&seccomp_key) {
            out.push(Warning::new(
                annotations.key(seccomp_key),
                r#"non-functional in v1.27+; use the "seccompProfile" field instead"#,
            ));
        }
        let apparmor_key = format!("{APPARMOR_CONTAINER_PREFIX}{}", c.name);
        if is_template
            && !(pod_apparmor || has_apparmor_profile(csc))
            && meta.annotations.contains_key(&apparmor_key)
        {
            out.push(Warning::new(
                annotations.key(apparmor_key),
                r#"deprecated since v1.30; use the "appArmorProfile" field instead"#,
            ));
        }
        env_warnings(c, &cpath, out);
    }
    port_warnings(spec, &spec_path, out);
    if spec.termination_grace_period_seconds.is_some_and(|g| g < 0) {
        out.push(Warning::new(
            spec_path.child("terminationGracePeriodSeconds"),
            "must be >= 0; negative values are invalid and will be treated as 1",
        ));
    }
    if let Some(aff) = spec.extra.get("affinity") {
        let apath = spec_path.child("affinity");
        for kind in ["podAffinity", "podAntiAffinity"] {
            let Some(a) = map_get(aff, kind) else {
                continue;
            };
            if matches!(a, Value::Null) {
                continue;
            }
            let kpath = apath.child(kind);
            let req = "requiredDuringSchedulingIgnoredDuringExecution";
            let pref = "preferredDuringSchedulingIgnoredDuringExecution";
            if let Some(m) = a.as_mapping() {
                affinity_term_warnings(list(m, req), &kpath.child(req), false, out);
                affinity_term_warnings(list(m, pref), &kpath.child(pref), true, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_print_path_then_message() {
        let w = Warning::new(
            FieldPath::parse("spec.containers[1].ports[0]"),
            "duplicate port definition with spec.containers[0].ports[0]",
        );
        assert_eq!(
            w.to_string(),
            "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
        );
        assert_eq!(w.kubectl_line(), format!("Warning: {w}"));
    }

    #[test]
    fn name_warnings_only_for_non_labels() {
        let mut out = Vec::new();
        name_warning("web", NameWarning::Workload, &mut out);
        assert!(out.is_empty());
        name_warning("web.v1", NameWarning::Workload, &mut out);
        assert_eq!(
            out[0].to_string(),
            "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"
        );
    }

    #[test]
    fn deprecated_node_labels() {
        assert_eq!(
            deprecated_node_label("beta.kubernetes.io/arch"),
            Some(r#"deprecated since v1.14; use "kubernetes.io/arch" instead"#)
        );
        assert_eq!(deprecated_node_label("kubernetes.io/arch"), None);
    }
}
