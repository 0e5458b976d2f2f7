//! Containers, volumes, tolerations and the pod template, shared by every describer.

use crate::api::{Container, ContainerState, ContainerStatus, Pod, PodTemplateSpec};
use crate::value::{Mapping, Value};

use super::super::format::{format_label_selector, rfc1123z};
use super::{W, annotations_multiline, labels_multiline};

pub(crate) fn seq(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Sequence(items)) => items,
        _ => &[],
    }
}

pub(crate) fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::UInt(u)) => u.to_string(),
        Some(Value::Float(f)) => super::super::gojson::go_float_g(*f),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn int(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Int(i)) => *i,
        Some(Value::UInt(u)) => i64::try_from(*u).unwrap_or(i64::MAX),
        _ => 0,
    }
}

fn boolean(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

fn get<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    v.and_then(|v| v.get(key))
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_list(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(|i| text(Some(i))).collect();
    format!("[{}]", parts.join(" "))
}

/// `describeResources` for a `resources` value at `level`.
pub(crate) fn resources(w: &mut W, res: Option<&Value>, level: usize) {
    for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
        let Some(m) = get(res, key).and_then(Value::as_mapping) else {
            continue;
        };
        if m.is_empty() {
            continue;
        }
        w.write(level, &format!("{title}:\n"));
        let mut names: Vec<&String> = m.keys().collect();
        names.sort();
        for n in names {
            w.write(level + 1, &format!("{n}:\t{}\n", text(m.get(n))));
        }
    }
}

/// Resolves `valueFrom.fieldRef` against a pod (upstream's `EnvValueRetriever`).
fn field_ref_value(pod: Option<&Pod>, path: &str) -> String {
    let Some(pod) = pod else {
        return String::new();
    };
    let m = &pod.metadata;
    let quoted = |prefix: &str| -> Option<String> {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("']"))
            .map(str::to_owned)
    };
    if let Some(k) = quoted("metadata.labels['") {
        return m.labels.get(&k).cloned().unwrap_or_default();
    }
    if let Some(k) = quoted("metadata.annotations['") {
        return m.annotations.get(&k).cloned().unwrap_or_default();
    }
    match path {
        "metadata.name" => m.name.clone(),
        "metadata.namespace" => m.namespace.clone(),
        "metadata.uid" => m.uid.clone(),
        "spec.nodeName" => pod.spec.node_name.clone(),
        "spec.serviceAccountName" => text(pod.spec.extra.get("serviceAccountName")),
        "status.podIP" => pod.status.pod_ip.clone(),
        "status.hostIP" => pod.status.host_ip.clone(),
        _ => String::new(),
    }
}

fn env_vars(w: &mut W, c: &Container, pod: Option<&Pod>) {
    let env = seq(c.extra.get("env"));
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Environment:{none}\n"));
    for e in env {
        let name = text(e.get("name"));
        let Some(from) = e.get("valueFrom").filter(|v| !v.is_empty()) else {
            let value = text(e.get("value"));
            for (i, s) in value.split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{name}:\t{s}\n"));
                } else {
                    w.write(3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef") {
            let path = text(f.get("fieldPath"));
            let value = field_ref_value(pod, &path);
            let api = text(f.get("apiVersion"));
            w.write(3, &format!("{name}:\t{value} ({api}:{path})\n"));
        } else if let Some(r) = from.get("resourceFieldRef") {
            let res = text(r.get("resource"));
            let (kind, rname) = res.split_once('.').unwrap_or(("", ""));
            let mut value = text(get(get(c.extra.get("resources"), kind), rname));
            if value.is_empty() {
                value = "0".to_owned();
            }
            if value == "0" && (res == "limits.cpu" || res == "limits.memory") {
                value = "node allocatable".to_owned();
            }
            w.write(3, &format!("{name}:\t{value} ({res})\n"));
        } else if let Some(s) = from.get("secretKeyRef") {
            w.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    text(s.get("key")),
                    text(s.get("name")),
                    boolean(s.get("optional"))
                ),
            );
        } else if let Some(s) = from.get("configMapKeyRef") {
            w.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    text(s.get("key")),
                    text(s.get("name")),
                    boolean(s.get("optional"))
                ),
            );
        }
    }
}

fn env_from(w: &mut W, c: &Container) {
    let from = seq(c.extra.get("envFrom"));
    if from.is_empty() {
        return;
    }
    w.write(2, "Environment Variables from:\n");
    for e in from {
        let (kind, r) = if let Some(r) = e.get("configMapRef") {
            ("ConfigMap", Some(r))
        } else if let Some(r) = e.get("secretRef") {
            ("Secret", Some(r))
        } else {
            ("", None)
        };
        let name = text(get(r, "name"));
        let optional = boolean(get(r, "optional"));
        let prefix = text(e.get("prefix"));
        if prefix.is_empty() {
            w.write(3, &format!("{name}\t{kind}\tOptional: {optional}\n"));
        } else {
            w.write(
                3,
                &format!("{name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"),
            );
        }
    }
}

/// `DescribeProbe`.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p.get("initialDelaySeconds")),
        int(p.get("timeoutSeconds")),
        int(p.get("periodSeconds")),
        int(p.get("successThreshold")),
        int(p.get("failureThreshold"))
    );
    if let Some(e) = p.get("exec") {
        return format!("exec {} {attrs}", go_list(seq(e.get("command"))));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = text(h.get("scheme")).to_lowercase();
        let port = text(h.get("port"));
        let host = text(h.get("host"));
        let hostport = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let mut url = String::new();
        if !scheme.is_empty() {
            url.push_str(&scheme);
            url.push(':');
        }
        if !scheme.is_empty() || !hostport.is_empty() {
            url.push_str("//");
            url.push_str(&hostport);
        }
        let path = text(h.get("path"));
        if !path.is_empty() && !path.starts_with('/') && !hostport.is_empty() {
            url.push('/');
        }
        url.push_str(&path);
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = p.get("tcpSocket") {
        return format!(
            "tcp-socket {}:{} {attrs}",
            text(t.get("host")),
            text(t.get("port"))
        );
    }
    if let Some(g) = p.get("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int(g.get("port")),
            text(g.get("service"))
        );
    }
    format!("unknown {attrs}")
}

fn state(w: &mut W, title: &str, s: &ContainerState) {
    if let Some(r) = &s.running {
        w.write(2, &format!("{title}:\tRunning\n"));
        let started = r.started_at.map_or_else(zero_time, rfc1123z);
        w.write(3, &format!("Started:\t{started}\n"));
    } else if let Some(wt) = &s.waiting {
        w.write(2, &format!("{title}:\tWaiting\n"));
        if !wt.reason.is_empty() {
            w.write(3, &format!("Reason:\t{}\n", wt.reason));
        }
    } else if let Some(t) = &s.terminated {
        w.write(2, &format!("{title}:\tTerminated\n"));
        if !t.reason.is_empty() {
            w.write(3, &format!("Reason:\t{}\n", t.reason));
        }
        if !t.message.is_empty() {
            w.write(3, &format!("Message:\t{}\n", t.message));
        }
        w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if t.signal > 0 {
            w.write(3, &format!("Signal:\t{}\n", t.signal));
        }
        let started = t.started_at.map_or_else(zero_time, rfc1123z);
        let finished = t.finished_at.map_or_else(zero_time, rfc1123z);
        w.write(3, &format!("Started:\t{started}\n"));
        w.write(3, &format!("Finished:\t{finished}\n"));
    } else {
        w.write(2, &format!("{title}:\tWaiting\n"));
    }
}

/// Go's zero `time.Time` in RFC 1123Z.
fn zero_time() -> String {
    "Mon, 01 Jan 0001 00:00:00 +0000".to_owned()
}

fn mounts(w: &mut W, c: &Container) {
    let mut ms: Vec<&Value> = seq(c.extra.get("volumeMounts")).iter().collect();
    let none = if ms.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Mounts:{none}\n"));
    ms.sort_by_key(|m| text(m.get("mountPath")));
    for m in ms {
        let mut flags = vec![
            if boolean(m.get("readOnly")) {
                "ro"
            } else {
                "rw"
            }
            .to_owned(),
        ];
        let sub = text(m.get("subPath"));
        if !sub.is_empty() {
            flags.push(format!("path={}", crate::validation::field::go_quote(&sub)));
        }
        w.write(
            3,
            &format!(
                "{} from {} ({})\n",
                text(m.get("mountPath")),
                text(m.get("name")),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = seq(c.extra.get("volumeDevices")).iter().collect();
    if !devices.is_empty() {
        w.write(2, &format!("Devices:{none}\n"));
        devices.sort_by_key(|d| text(d.get("devicePath")));
        for d in devices {
            w.write(
                3,
                &format!(
                    "{} from {}\n",
                    text(d.get("devicePath")),
                    text(d.get("name"))
                ),
            );
        }
    }
}

/// `describeContainers`.
pub(crate) fn containers(
    w: &mut W,
    label: &str,
    cs: &[Container],
    statuses: &[ContainerStatus],
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if cs.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in cs {
        let status = statuses.iter().rev().find(|s| s.name == c.name);
        w.write(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(s) = status {
            w.write(2, &format!("Container ID:\t{}\n", s.container_id));
        }
        w.write(2, &format!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, p.protocol))
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.host_port, p.protocol))
            .collect();
        let or_none = |s: String| if s.is_empty() { "<none>".to_owned() } else { s };
        let ps = ports.join(", ");
        if ps.contains(',') {
            w.write(2, &format!("Ports:\t{ps}\n"));
        } else {
            w.write(2, &format!("Port:\t{}\n", or_none(ps)));
        }
        let hs = host_ports.join(", ");
        if hs.contains(',') {
            w.write(2, &format!("Host Ports:\t{hs}\n"));
        } else {
            w.write(2, &format!("Host Port:\t{}\n", or_none(hs)));
        }
        let seccomp = get(c.extra.get("securityContext"), "seccompProfile");
        if let Some(sp) = seccomp {
            let t = text(sp.get("type"));
            w.write(2, &format!("SeccompProfile:\t{t}\n"));
            if t == "Localhost" {
                w.write(
                    3,
                    &format!("LocalhostProfile:\t{}\n", text(sp.get("localhostProfile"))),
                );
            }
        }
        for (title, key) in [("Command", "command"), ("Args", "args")] {
            let items = seq(c.extra.get(key));
            if items.is_empty() {
                continue;
            }
            w.write(2, &format!("{title}:\n"));
            for item in items {
                for s in text(Some(item)).split('\n') {
                    w.write(3, &format!("{s}\n"));
                }
            }
        }
        if let Some(s) = status {
            state(w, "State", &s.state);
            if s.last_state.terminated.is_some() {
                state(w, "Last State", &s.last_state);
            }
            w.write(
                2,
                &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }),
            );
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        resources(w, c.extra.get("resources"), 2);
        for (title, key) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if let Some(p) = c.extra.get(key).filter(|p| !matches!(p, Value::Null)) {
                w.write(2, &format!("{title}:\t{}\n", probe(p)));
            }
        }
        env_from(w, c);
        env_vars(w, c, pod);
        mounts(w, c);
    }
}

fn volume_source(w: &mut W, v: &Mapping) {
    let o = |m: &Mapping, k: &str| text(m.get(k));
    let opt = |m: &Mapping| boolean(m.get("optional"));
    if let Some(h) = v.get("hostPath").and_then(Value::as_mapping) {
        let t = h
            .get("type")
            .map_or_else(|| "<none>".to_owned(), |t| text(Some(t)));
        w.write(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{t}\n",
                o(h, "path")
            ),
        );
    } else if let Some(e) = v.get("emptyDir").and_then(Value::as_mapping) {
        let size = o(e, "sizeLimit");
        let size = if size.is_empty()
            || super::super::quantity::parse_nanos(&size).is_none_or(|q| q <= 0)
        {
            "<unset>".to_owned()
        } else {
            size
        };
        w.write(
            2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                o(e, "medium")
            ),
        );
    } else if let Some(s) = v.get("secret").and_then(Value::as_mapping) {
        w.write(
            2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                o(s, "secretName"),
                opt(s)
            ),
        );
    } else if let Some(c) = v.get("configMap").and_then(Value::as_mapping) {
        w.write(
            2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                o(c, "name"),
                opt(c)
            ),
        );
    } else if let Some(p) = v.get("persistentVolumeClaim").and_then(Value::as_mapping) {
        w.write(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                o(p, "claimName"),
                boolean(p.get("readOnly"))
            ),
        );
    } else if let Some(n) = v.get("nfs").and_then(Value::as_mapping) {
        w.write(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                o(n, "server"),
                o(n, "path"),
                boolean(n.get("readOnly"))
            ),
        );
    } else if let Some(p) = v.get("projected").and_then(Value::as_mapping) {
        w.write(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        );
        for s in seq(p.get("sources")) {
            if let Some(sec) = s.get("secret").and_then(Value::as_mapping) {
                w.write(
                    2,
                    &format!(
                        "SecretName:\t{}\n    SecretOptionalName:\t{}\n",
                        o(sec, "name"),
                        go_bool_ptr(sec.get("optional"))
                    ),
                );
            } else if s.get("downwardAPI").is_some() {
                w.write(2, "DownwardAPI:\ttrue\n");
            } else if let Some(cm) = s.get("configMap").and_then(Value::as_mapping) {
                w.write(
                    2,
                    &format!(
                        "ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n",
                        o(cm, "name"),
                        go_bool_ptr(cm.get("optional"))
                    ),
                );
            } else if let Some(t) = s.get("serviceAccountToken") {
                w.write(
                    2,
                    &format!(
                        "TokenExpirationSeconds:\t{}\n",
                        int(t.get("expirationSeconds"))
                    ),
                );
            }
        }
    } else if let Some(d) = v.get("downwardAPI").and_then(Value::as_mapping) {
        w.write(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in seq(d.get("items")) {
            let path = text(item.get("path"));
            if let Some(f) = item.get("fieldRef") {
                w.write(3, &format!("{} -> {path}\n", text(f.get("fieldPath"))));
            }
            if let Some(r) = item.get("resourceFieldRef") {
                w.write(3, &format!("{} -> {path}\n", text(r.get("resource"))));
            }
        }
    } else {
        w.write(1, "<unknown>\n");
    }
}

/// Go's `%v` of a `*bool` in the v1.32 projected-volume lines: `<nil>` when unset. (Go prints
/// the pointer's address when set; this crate prints the value.)
fn go_bool_ptr(v: Option<&Value>) -> String {
    match v {
        Some(Value::Bool(b)) => b.to_string(),
        _ => "<nil>".to_owned(),
    }
}

/// `describeVolumes`.
pub(crate) fn volumes(w: &mut W, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.write(1, &format!("{name_indent}{}:\n", text(v.get("name"))));
        match v.as_mapping() {
            Some(m) => volume_source(w, m),
            None => w.write(1, "<unknown>\n"),
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
pub(crate) fn tolerations(w: &mut W, title: &str, tols: &[Value]) {
    w.write(0, &format!("{title}:\t"));
    if tols.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tols.iter().collect();
    sorted.sort_by_key(|t| text(t.get("key")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let key = text(t.get("key"));
        let value = text(t.get("value"));
        let effect = text(t.get("effect"));
        let mut s = key.clone();
        if !value.is_empty() {
            s.push('=');
            s.push_str(&value);
        }
        if !effect.is_empty() {
            s.push(':');
            s.push_str(&effect);
        }
        if text(t.get("operator")) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t
            .get("tolerationSeconds")
            .filter(|v| !matches!(v, Value::Null))
        {
            s.push_str(&format!(" for {}s", text(Some(secs))));
        }
        s.push('\n');
        w.write(0, &s);
    }
}

/// `describeTopologySpreadConstraints`.
pub(crate) fn topology(w: &mut W, tscs: &[Value], space: &str) {
    if tscs.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = tscs.iter().collect();
    sorted.sort_by_key(|t| text(t.get("topologyKey")));
    w.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, space);
            w.write(0, "\t");
        }
        let mut s = format!(
            "{}:{} when max skew {} is exceeded",
            text(t.get("topologyKey")),
            text(t.get("whenUnsatisfiable")),
            int(t.get("maxSkew"))
        );
        if let Some(sel) = t.get("labelSelector") {
            let parsed: Option<crate::meta::LabelSelector> =
                serde::Deserialize::deserialize(sel).ok();
            s.push_str(&format!(
                " for selector {}",
                format_label_selector(parsed.as_ref())
            ));
        }
        s.push('\n');
        w.write(0, &s);
    }
}

/// `DescribePodTemplate` into a describe writer.
pub(crate) fn pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.write(0, "Pod Template:\n");
    labels_multiline(w, "", "  Labels", "\t", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &t.metadata.annotations);
    }
    let sa = text(t.spec.extra.get("serviceAccountName"));
    if !sa.is_empty() {
        w.write(1, &format!("Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        containers(
            w,
            "Init Containers",
            &t.spec.init_containers,
            &[],
            None,
            "  ",
        );
    }
    containers(w, "Containers", &t.spec.containers, &[], None, "  ");
    volumes(w, seq(t.spec.extra.get("volumes")), "  ");
    topology(w, seq(t.spec.extra.get("topologySpreadConstraints")), "  ");
    let pc = text(t.spec.extra.get("priorityClassName"));
    if !pc.is_empty() {
        w.write(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(w, "", "  Node-Selectors", "\t", &t.spec.node_selector);
    tolerations(w, "  Tolerations", seq(t.spec.extra.get("tolerations")));
}

/// The pod template dump of `rollout history --revision N` (upstream's `printTemplate`): the
/// `describe` lines with their tabs kept, not aligned.
#[must_use]
pub fn describe_pod_template(t: &PodTemplateSpec) -> String {
    let mut w = W::default();
    pod_template(&mut w, t);
    w.buf
}
