//! Defaulting as the API server applies it to core/v1 and apps/v1 objects
//! (`k8s.io/kubernetes/pkg/apis/core/v1/defaults.go`, `…/apps/v1/defaults.go` and the generated
//! declarative defaults).
//!
//! Decoding never defaults: call these explicitly, before [`crate::validation`], as the API server
//! does on every create and update. Every function is idempotent. Defaults for fields this crate
//! does not model are written into the structs' `extra` maps as [`Value`]s, so an encoded object
//! looks like what `kubectl get -o yaml` shows and templates compare like the stored objects.
//!
//! What is defaulted:
//! - ReplicaSet, ReplicationController, Deployment: `spec.replicas` 1. ReplicationController:
//!   an empty `spec.selector` and empty `metadata.labels` take the template labels.
//!   Deployment: strategy `RollingUpdate` with `rollingUpdate` created (only for that type) and
//!   `maxUnavailable` / `maxSurge` `"25%"`, `revisionHistoryLimit` 10,
//!   `progressDeadlineSeconds` 600.
//! - Every pod spec (Pods and templates): `restartPolicy` Always, `terminationGracePeriodSeconds`
//!   30, `dnsPolicy` ClusterFirst, `schedulerName` default-scheduler, `securityContext` `{}`.
//! - Every container (init and regular): port `protocol` TCP, `imagePullPolicy` (see
//!   [`image_pull_policy`]), `terminationMessagePath` /dev/termination-log,
//!   `terminationMessagePolicy` File, `env[].valueFrom.fieldRef.apiVersion` v1, probes
//!   (`timeoutSeconds` 1, `periodSeconds` 10, `successThreshold` 1, `failureThreshold` 3) and
//!   every `httpGet` action in probes and lifecycle hooks (`path` /, `scheme` HTTP).
//! - Volumes: `emptyDir: {}` for a volume without a source, `hostPath.type` "",
//!   `defaultMode` 420 (0644) for secret, configMap, downwardAPI and projected volumes,
//!   `fieldRef.apiVersion` v1 in downward-API items, projected service-account tokens'
//!   `expirationSeconds` 3600, and `volumeMode` Filesystem in ephemeral volume claim templates.
//! - Pods only (not templates): `enableServiceLinks` true; container `resources.requests` copied
//!   from `resources.limits` where missing; with `hostNetwork: true`, container ports without a
//!   `hostPort` get the `containerPort`.
//!
//! Left out: rounding of resource quantities to milli units, pod-level resource defaults
//! (alpha `PodLevelResources`), image-volume pull policies (alpha `ImageVolume`), ephemeral
//! containers, the legacy iSCSI / RBD / AzureDisk / ScaleIO volume defaults, and everything
//! admission plugins add on a real cluster (service account and its token volume, default
//! tolerations, priority).

use crate::api::{
    Container, Deployment, DeploymentStrategyType, IntOrString, Pod, PodSpec, PodTemplateSpec,
    Protocol, ReplicaSet, ReplicationController, RestartPolicy, RollingUpdateDeployment,
};
use crate::value::{Mapping, Value};

/// `terminationGracePeriodSeconds` when unset.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// `schedulerName` when unset.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// A container's `terminationMessagePath` when unset.
pub const TERMINATION_MESSAGE_PATH_DEFAULT: &str = "/dev/termination-log";
/// `defaultMode` of secret, configMap, downwardAPI and projected volumes (0644).
pub const DEFAULT_VOLUME_MODE: i64 = 0o644;
/// A Deployment's `maxUnavailable` and `maxSurge` when unset.
pub const DEFAULT_MAX_UNAVAILABLE_AND_SURGE: &str = "25%";
/// A Deployment's `revisionHistoryLimit` when unset.
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;
/// A Deployment's `progressDeadlineSeconds` when unset.
pub const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;

// ---------------------------------------------------------------------------------------------
// Workloads

/// Defaults a Deployment (`SetObjectDefaults_Deployment`).
pub fn default_deployment(d: &mut Deployment) {
    let spec = &mut d.spec;
    spec.replicas.get_or_insert(1);
    let strategy = &mut spec.strategy;
    if strategy.type_.is_empty() {
        strategy.type_ = DeploymentStrategyType::RollingUpdate;
    }
    if strategy.type_ == DeploymentStrategyType::RollingUpdate {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_unavailable
            .get_or_insert_with(|| IntOrString::from(DEFAULT_MAX_UNAVAILABLE_AND_SURGE));
        ru.max_surge
            .get_or_insert_with(|| IntOrString::from(DEFAULT_MAX_UNAVAILABLE_AND_SURGE));
    }
    spec.revision_history_limit
        .get_or_insert(DEFAULT_REVISION_HISTORY_LIMIT);
    spec.progress_deadline_seconds
        .get_or_insert(DEFAULT_PROGRESS_DEADLINE_SECONDS);
    default_pod_template(&mut spec.template);
}

/// Defaults a ReplicaSet (`SetObjectDefaults_ReplicaSet`): replicas 1 and the template. The
/// selector is never derived from the template in apps/v1.
pub fn default_replica_set(rs: &mut ReplicaSet) {
    rs.spec.replicas.get_or_insert(1);
    default_pod_template(&mut rs.spec.template);
}

/// Defaults a ReplicationController (`SetObjectDefaults_ReplicationController`): when the
/// template has labels, an empty `spec.selector` and empty `metadata.labels` take them; replicas
/// 1; then the template.
pub fn default_replication_controller(rc: &mut ReplicationController) {
    if let Some(t) = &rc.spec.template {
        if !t.metadata.labels.is_empty() {
            if rc.spec.selector.is_empty() {
                rc.spec.selector = t.metadata.labels.clone();
            }
            if rc.metadata.labels.is_empty() {
                rc.metadata.labels = t.metadata.labels.clone();
            }
        }
    }
    rc.spec.replicas.get_or_insert(1);
    if let Some(t) = &mut rc.spec.template {
        default_pod_template(t);
    }
}

/// Defaults a pod template as it is stored inside a workload (pod-spec and container defaults;
/// not the Pod-only ones).
pub fn default_pod_template(t: &mut PodTemplateSpec) {
    default_pod_spec(&mut t.spec);
}

/// Defaults a Pod (`SetObjectDefaults_Pod`): the Pod-only defaults, then the pod spec.
pub fn default_pod(pod: &mut Pod) {
    let spec = &mut pod.spec;
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut())
    {
        requests_from_limits(&mut c.extra);
    }
    set_if_unset(&mut spec.extra, "enableServiceLinks", Value::Bool(true));
    if matches!(spec.extra.get("hostNetwork"), Some(Value::Bool(true))) {
        for c in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut())
        {
            for p in &mut c.ports {
                if p.host_port == 0 {
                    p.host_port = p.container_port;
                }
            }
        }
    }
    default_pod_spec(spec);
}

/// Defaults a pod spec (`SetDefaults_PodSpec` and everything nested in it).
pub fn default_pod_spec(spec: &mut PodSpec) {
    set_str_if_empty(&mut spec.extra, "dnsPolicy", "ClusterFirst");
    if spec.restart_policy.is_empty() {
        spec.restart_policy = RestartPolicy::Always;
    }
    set_if_unset(
        &mut spec.extra,
        "securityContext",
        Value::Mapping(Mapping::new()),
    );
    spec.termination_grace_period_seconds
        .get_or_insert(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    set_str_if_empty(&mut spec.extra, "schedulerName", DEFAULT_SCHEDULER_NAME);
    if let Some(Value::Sequence(volumes)) = spec.extra.get_mut("volumes") {
        for v in volumes.iter_mut() {
            if let Value::Mapping(v) = v {
                default_volume(v);
            }
        }
    }
    for c in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        default_container(c);
    }
}

/// Defaults one container (`SetDefaults_Container` plus ports, env, probes and lifecycle).
pub fn default_container(c: &mut Container) {
    if extra_str(&c.extra, "imagePullPolicy").is_empty() {
        let policy = image_pull_policy(&c.image);
        c.extra
            .insert("imagePullPolicy".to_owned(), Value::from(policy));
    }
    set_str_if_empty(
        &mut c.extra,
        "terminationMessagePath",
        TERMINATION_MESSAGE_PATH_DEFAULT,
    );
    set_str_if_empty(&mut c.extra, "terminationMessagePolicy", "File");
    for p in &mut c.ports {
        if p.protocol.is_empty() {
            p.protocol = Protocol::Tcp;
        }
    }
    if let Some(Value::Sequence(env)) = c.extra.get_mut("env") {
        for e in env.iter_mut() {
            if let Some(field_ref) = path_mut(e, &["valueFrom", "fieldRef"]) {
                set_str_if_empty(field_ref, "apiVersion", "v1");
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Mapping(p)) = c.extra.get_mut(probe) {
            set_int_if_zero(p, "timeoutSeconds", 1);
            set_int_if_zero(p, "periodSeconds", 10);
            set_int_if_zero(p, "successThreshold", 1);
            set_int_if_zero(p, "failureThreshold", 3);
            if let Some(Value::Mapping(h)) = p.get_mut("httpGet") {
                default_http_get(h);
            }
        }
    }
    if let Some(lifecycle) = c.extra.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = path_mut(lifecycle, &[hook, "httpGet"]) {
                default_http_get(h);
            }
        }
    }
}

fn default_http_get(h: &mut Mapping) {
    set_str_if_empty(h, "path", "/");
    set_str_if_empty(h, "scheme", "HTTP");
}

/// `SetDefaults_Pod`'s resource rule: limits without a matching request become requests.
fn requests_from_limits(extra: &mut Mapping) {
    let Some(Value::Mapping(resources)) = extra.get_mut("resources") else {
        return;
    };
    let limits = match resources.get("limits") {
        Some(Value::Mapping(l)) if !l.is_empty() => l.clone(),
        _ => return,
    };
    if !matches!(resources.get("requests"), Some(Value::Mapping(_))) {
        resources.insert("requests".to_owned(), Value::Mapping(Mapping::new()));
    }
    if let Some(Value::Mapping(requests)) = resources.get_mut("requests") {
        for (k, v) in limits {
            requests.entry(k).or_insert(v);
        }
    }
}

/// Every volume source key of `core/v1` VolumeSource.
fn default_volume(v: &mut Mapping) {
    let has_source = v
        .iter()
        .any(|(k, val)| k != "name" && !matches!(val, Value::Null));
    if !has_source {
        v.insert("emptyDir".to_owned(), Value::Mapping(Mapping::new()));
        return;
    }
    if let Some(Value::Mapping(h)) = v.get_mut("hostPath") {
        set_if_unset(h, "type", Value::from(""));
    }
    for source in ["secret", "configMap"] {
        if let Some(Value::Mapping(s)) = v.get_mut(source) {
            set_if_unset(s, "defaultMode", Value::Int(DEFAULT_VOLUME_MODE));
        }
    }
    if let Some(Value::Mapping(d)) = v.get_mut("downwardAPI") {
        set_if_unset(d, "defaultMode", Value::Int(DEFAULT_VOLUME_MODE));
        default_downward_items(d);
    }
    if let Some(Value::Mapping(p)) = v.get_mut("projected") {
        set_if_unset(p, "defaultMode", Value::Int(DEFAULT_VOLUME_MODE));
        if let Some(Value::Sequence(sources)) = p.get_mut("sources") {
            for s in sources.iter_mut() {
                if let Some(d) = path_mut(s, &["downwardAPI"]) {
                    default_downward_items(d);
                }
                if let Some(t) = path_mut(s, &["serviceAccountToken"]) {
                    set_if_unset(t, "expirationSeconds", Value::Int(3600));
                }
            }
        }
    }
    if let Some(spec) = v
        .get_mut("ephemeral")
        .and_then(|e| path_mut(e, &["volumeClaimTemplate", "spec"]))
    {
        set_if_unset(spec, "volumeMode", Value::from("Filesystem"));
    }
}

fn default_downward_items(d: &mut Mapping) {
    if let Some(Value::Sequence(items)) = d.get_mut("items") {
        for item in items.iter_mut() {
            if let Some(f) = path_mut(item, &["fieldRef"]) {
                set_str_if_empty(f, "apiVersion", "v1");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value helpers

fn extra_str<'a>(m: &'a Mapping, key: &str) -> &'a str {
    m.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The mapping at `path` below `v`, if every step is a mapping.
fn path_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Mapping> {
    let mut cur = v;
    for key in path {
        cur = match cur {
            Value::Mapping(m) => m.get_mut(*key)?,
            _ => return None,
        };
    }
    match cur {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

/// Sets `key` when it is absent or `null` (a Go nil pointer).
fn set_if_unset(m: &mut Mapping, key: &str, value: Value) {
    if matches!(m.get(key), None | Some(Value::Null)) {
        m.insert(key.to_owned(), value);
    }
}

/// Sets a string field when it is absent, `null` or `""` (Go's zero string).
fn set_str_if_empty(m: &mut Mapping, key: &str, value: &str) {
    if matches!(m.get(key), None | Some(Value::Null))
        || m.get(key).and_then(Value::as_str) == Some("")
    {
        m.insert(key.to_owned(), Value::from(value));
    }
}

/// Sets an integer field when it is absent, `null` or 0 (Go's zero int).
fn set_int_if_zero(m: &mut Mapping, key: &str, value: i64) {
    if matches!(m.get(key), None | Some(Value::Null) | Some(Value::Int(0))) {
        m.insert(key.to_owned(), Value::Int(value));
    }
}

// ---------------------------------------------------------------------------------------------
// Image references

/// The `imagePullPolicy` the API server gives a container that does not set one: `Always` when
/// the image reference parses and its tag is `latest`, or it has neither tag nor digest;
/// `IfNotPresent` otherwise — including a digest without a tag and any reference that does not
/// parse (upstream's `ParseImageName` error is ignored). References are parsed as Docker's
/// `ParseNormalizedNamed` does (`nginx` is `docker.io/library/nginx`; the repository must be
/// lower case; digests must be `sha256`, `sha384` or `sha512` in lower-case hex).
#[must_use]
pub fn image_pull_policy(image: &str) -> &'static str {
    match parse_image_reference(image) {
        Some(r) if r.tag.as_deref() == Some("latest") || (r.tag.is_none() && !r.digest) => "Always",
        _ => "IfNotPresent",
    }
}

/// What the pull policy needs from a parsed reference.
struct ImageRef {
    tag: Option<String>,
    digest: bool,
}

const DEFAULT_DOMAIN: &str = "docker.io";
const NAME_TOTAL_LENGTH_MAX: usize = 255;

fn parse_image_reference(s: &str) -> Option<ImageRef> {
    // A bare 64-hex identifier is refused.
    if s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return None;
    }
    // splitDockerDomain
    let (domain, mut remainder) = match s.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => (DEFAULT_DOMAIN.to_owned(), s.to_owned()),
    };
    let domain = if domain == "index.docker.io" {
        DEFAULT_DOMAIN.to_owned()
    } else {
        domain
    };
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    let remote_name = remainder.split(':').next().unwrap_or("");
    if remote_name.to_lowercase() != remote_name {
        return None;
    }
    let full = format!("{domain}/{remainder}");
    // name (":" tag)? ("@" digest)?
    let (before_digest, digest) = match full.split_once('@') {
        Some((a, d)) => (a, Some(d)),
        None => (full.as_str(), None),
    };
    if let Some(d) = digest {
        if !valid_digest(d) {
            return None;
        }
    }
    let last_slash = before_digest.rfind('/').unwrap_or(0);
    let (name, tag) = match before_digest.rfind(':') {
        Some(i) if i > last_slash => (
            before_digest.get(..i).unwrap_or(""),
            Some(before_digest.get(i + 1..).unwrap_or("")),
        ),
        _ => (before_digest, None),
    };
    if name.len() > NAME_TOTAL_LENGTH_MAX || !valid_name(name) {
        return None;
    }
    if let Some(t) = tag {
        if !valid_tag(t) {
            return None;
        }
    }
    Some(ImageRef {
        tag: tag.map(str::to_owned),
        digest: digest.is_some(),
    })
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && b.first().is_some_and(|&c| word(c))
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// `sha256:<64 hex>`, `sha384:<96 hex>` or `sha512:<128 hex>`, lower-case hex.
fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len
        && hex
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// `(?:domain/)?path-component(?:/path-component)*`
fn valid_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    let all_paths = |ps: &[&str]| !ps.is_empty() && ps.iter().all(|p| valid_path_component(p));
    match parts.split_first() {
        Some((first, rest)) => all_paths(&parts) || (valid_domain(first) && all_paths(rest)),
        None => false,
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(p: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let b = p.as_bytes();
    if !b.first().is_some_and(|&c| alnum(c)) || !b.last().is_some_and(|&c| alnum(c)) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b.get(i).is_some_and(|&c| alnum(c)) {
            i += 1;
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(|&c| !alnum(c)) {
            i += 1;
        }
        let sep = p.get(start..i).unwrap_or("");
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `host(:port)?` where host is a domain name or a bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, after)) => {
                if ip.is_empty() || !ip.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
                    return false;
                }
                match after {
                    "" => return true,
                    a => ("", a.strip_prefix(':')),
                }
            }
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    let port_ok = match port {
        None => true,
        Some(p) => !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()),
    };
    let host_ok =
        d.starts_with('[') || (!host.is_empty() && host.split('.').all(valid_domain_component));
    port_ok && host_ok
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`
fn valid_domain_component(c: &str) -> bool {
    let b = c.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|&x| x.is_ascii_alphanumeric() || x == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_parse_image_name() {
        let sha = "a".repeat(64);
        let cases = [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.16", "IfNotPresent"),
            ("library/nginx", "Always"),
            ("docker.io/library/nginx:1.17", "IfNotPresent"),
            ("registry.example.com:5000/team/app", "Always"),
            ("registry.example.com:5000/team/app:v2", "IfNotPresent"),
            ("localhost:5000/app:latest", "Always"),
            ("localhost/app", "Always"),
            ("[::1]:5000/app:1", "IfNotPresent"),
            ("gcr.io/google-containers/pause:3.9", "IfNotPresent"),
            // a digest without a tag is not "latest"
            (&format!("nginx@sha256:{sha}"), "IfNotPresent"),
            (&format!("nginx:latest@sha256:{sha}"), "Always"),
            // references that do not parse get IfNotPresent
            ("", "IfNotPresent"),
            ("Nginx", "IfNotPresent"),
            ("NGINX:latest", "IfNotPresent"),
            ("nginx@sha256:abc", "IfNotPresent"),
            ("nginx@md5:0123456789abcdef0123456789abcdef", "IfNotPresent"),
            ("nginx:", "IfNotPresent"),
            ("nginx:-x", "IfNotPresent"),
            ("a//b", "IfNotPresent"),
            ("my_.app", "IfNotPresent"),
            (&sha, "IfNotPresent"),
            // a domain may have upper case, the path may not
            ("Example.com/app", "Always"),
            ("my__app:latest", "Always"),
            ("my---app", "Always"),
            ("my___app", "IfNotPresent"),
        ];
        for (image, want) in cases {
            assert_eq!(image_pull_policy(image), want, "{image:?}");
        }
        let long = format!("{}:1", "a".repeat(250));
        assert_eq!(image_pull_policy(&long), "IfNotPresent");
    }
}
