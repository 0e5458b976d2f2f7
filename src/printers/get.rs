//! `kubectl get` tables for pods, ReplicaSets, Deployments and ReplicationControllers, with the
//! columns of the v1.32 server-side printer (`pkg/printers/internalversion/printers.go`) laid
//! out by kubectl's table printer (tab writer with minimum width 6 and padding 3; headers in
//! upper case; `-o wide` adds the priority-1 columns; `--show-labels` appends `LABELS`).

use crate::api::{
    ConditionStatus, ContainerRestartPolicy, Deployment, Pod, PodConditionType, PodPhase,
    ReplicaSet, ReplicationController,
};
use crate::time::Time;

use super::duration::since;
use super::format::{format_label_selector, format_labels, selector_string};
use super::tabwriter::{TABLE, tabwrite};

/// Table options: `-o wide`, `--show-labels`, `--no-headers`, `-A`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-o wide`: add the priority-1 columns.
    pub wide: bool,
    /// `--show-labels`: append a `LABELS` column.
    pub show_labels: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `--all-namespaces`: prepend a `NAMESPACE` column.
    pub with_namespace: bool,
}

/// What `kubectl get` prints on stderr when a list is empty.
#[must_use]
pub fn no_resources_found(namespace: &str) -> String {
    format!("No resources found in {namespace} namespace.\n")
}

struct Column {
    name: &'static str,
    wide_only: bool,
}

const fn col(name: &'static str) -> Column {
    Column {
        name,
        wide_only: false,
    }
}

const fn wide(name: &'static str) -> Column {
    Column {
        name,
        wide_only: true,
    }
}

const POD_COLUMNS: &[Column] = &[
    col("NAME"),
    col("READY"),
    col("STATUS"),
    col("RESTARTS"),
    col("AGE"),
    wide("IP"),
    wide("NODE"),
    wide("NOMINATED NODE"),
    wide("READINESS GATES"),
];

const RS_COLUMNS: &[Column] = &[
    col("NAME"),
    col("DESIRED"),
    col("CURRENT"),
    col("READY"),
    col("AGE"),
    wide("CONTAINERS"),
    wide("IMAGES"),
    wide("SELECTOR"),
];

const DEPLOY_COLUMNS: &[Column] = &[
    col("NAME"),
    col("READY"),
    col("UP-TO-DATE"),
    col("AVAILABLE"),
    col("AGE"),
    wide("CONTAINERS"),
    wide("IMAGES"),
    wide("SELECTOR"),
];

struct Row<'a> {
    namespace: &'a str,
    name: &'a str,
    labels: &'a crate::meta::Labels,
    cells: Vec<String>,
}

/// Truncates a cell at its first line break (`...` appended) and escapes ESC, as the table
/// printer does.
fn cell_text(s: &str) -> String {
    let cut = s.find(['\n', '\r', '\u{0c}']);
    let base = match cut {
        Some(i) => &s[..i],
        None => s,
    };
    let mut out = base.replace('\u{1b}', "^[");
    if cut.is_some() {
        out.push_str("...");
    }
    out
}

fn render(columns: &[Column], mut rows: Vec<Row<'_>>, opts: TableOptions) -> String {
    if rows.is_empty() {
        return String::new();
    }
    rows.sort_by(|a, b| (a.namespace, a.name).cmp(&(b.namespace, b.name)));
    let mut text = String::new();
    let visible: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| opts.wide || !c.wide_only)
        .map(|(i, _)| i)
        .collect();
    if !opts.no_headers {
        let mut headers: Vec<&str> = Vec::new();
        if opts.with_namespace {
            headers.push("NAMESPACE");
        }
        headers.extend(
            visible
                .iter()
                .filter_map(|&i| columns.get(i).map(|c| c.name)),
        );
        if opts.show_labels {
            headers.push("LABELS");
        }
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for r in &rows {
        let mut cells: Vec<String> = Vec::new();
        if opts.with_namespace {
            cells.push(cell_text(r.namespace));
        }
        cells.extend(
            visible
                .iter()
                .filter_map(|&i| r.cells.get(i))
                .map(|c| cell_text(c)),
        );
        if opts.show_labels {
            cells.push(format_labels(r.labels));
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    tabwrite(&text, TABLE)
}

/// `kubectl get pods`.
#[must_use]
pub fn pods_table(pods: &[Pod], opts: TableOptions, now: Time) -> String {
    let rows = pods
        .iter()
        .map(|p| Row {
            namespace: &p.metadata.namespace,
            name: &p.metadata.name,
            labels: &p.metadata.labels,
            cells: pod_cells(p, now),
        })
        .collect();
    render(POD_COLUMNS, rows, opts)
}

/// `kubectl get replicasets`.
#[must_use]
pub fn replica_sets_table(rss: &[ReplicaSet], opts: TableOptions, now: Time) -> String {
    let rows = rss
        .iter()
        .map(|rs| {
            let (names, images) = container_cells(&rs.spec.template.spec.containers);
            Row {
                namespace: &rs.metadata.namespace,
                name: &rs.metadata.name,
                labels: &rs.metadata.labels,
                cells: vec![
                    rs.metadata.name.clone(),
                    rs.replicas().to_string(),
                    rs.status.replicas.to_string(),
                    rs.status.ready_replicas.to_string(),
                    since(rs.metadata.creation_timestamp, now),
                    names,
                    images,
                    format_label_selector(rs.spec.selector.as_ref()),
                ],
            }
        })
        .collect();
    render(RS_COLUMNS, rows, opts)
}

/// `kubectl get replicationcontrollers`.
#[must_use]
pub fn replication_controllers_table(
    rcs: &[ReplicationController],
    opts: TableOptions,
    now: Time,
) -> String {
    let rows = rcs
        .iter()
        .map(|rc| {
            let containers = rc
                .spec
                .template
                .as_ref()
                .map(|t| t.spec.containers.as_slice())
                .unwrap_or(&[]);
            let (names, images) = container_cells(containers);
            Row {
                namespace: &rc.metadata.namespace,
                name: &rc.metadata.name,
                labels: &rc.metadata.labels,
                cells: vec![
                    rc.metadata.name.clone(),
                    rc.replicas().to_string(),
                    rc.status.replicas.to_string(),
                    rc.status.ready_replicas.to_string(),
                    since(rc.metadata.creation_timestamp, now),
                    names,
                    images,
                    format_labels(&rc.spec.selector),
                ],
            }
        })
        .collect();
    render(RS_COLUMNS, rows, opts)
}

/// `kubectl get deployments`.
#[must_use]
pub fn deployments_table(ds: &[Deployment], opts: TableOptions, now: Time) -> String {
    let rows = ds
        .iter()
        .map(|d| {
            let (names, images) = container_cells(&d.spec.template.spec.containers);
            let selector = selector_string(d.spec.selector.as_ref())
                .unwrap_or_else(|_| "<invalid>".to_owned());
            Row {
                namespace: &d.metadata.namespace,
                name: &d.metadata.name,
                labels: &d.metadata.labels,
                cells: vec![
                    d.metadata.name.clone(),
                    format!("{}/{}", d.status.ready_replicas, d.replicas()),
                    d.status.updated_replicas.to_string(),
                    d.status.available_replicas.to_string(),
                    since(d.metadata.creation_timestamp, now),
                    names,
                    images,
                    selector,
                ],
            }
        })
        .collect();
    render(DEPLOY_COLUMNS, rows, opts)
}

fn container_cells(containers: &[crate::api::Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_str()).collect();
    (names.join(","), images.join(","))
}

fn is_restartable(pod: &Pod, name: &str) -> bool {
    pod.spec
        .init_containers
        .iter()
        .find(|c| c.name == name)
        .is_some_and(|c| c.restart_policy == Some(ContainerRestartPolicy::Always))
}

fn condition_true(pod: &Pod, t: &PodConditionType) -> bool {
    pod.status
        .conditions
        .iter()
        .any(|c| &c.type_ == t && c.status == ConditionStatus::True)
}

/// The pod's IP as the v1.32 printer shows it: `status.podIPs[0]`, which the API server fills
/// from `status.podIP`.
#[must_use]
pub fn pod_ip(pod: &Pod) -> String {
    pod.status
        .extra
        .get("podIPs")
        .and_then(|v| match v {
            crate::value::Value::Sequence(items) => items.first(),
            _ => None,
        })
        .and_then(|first| first.get("ip"))
        .and_then(|ip| ip.as_str())
        .map_or_else(|| pod.status.pod_ip.clone(), str::to_owned)
}

/// READY, STATUS and RESTARTS of a pod, computed as the v1.32 printer does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSummary {
    /// `ready/total` containers (sidecars count).
    pub ready: String,
    /// The STATUS column: phase, reason, `Init:…`, `ContainerCreating`, `CrashLoopBackOff`,
    /// `Completed`, `Terminating`, ...
    pub status: String,
    /// Total restarts, with `(Xs ago)` after the last container exit when known.
    pub restarts: String,
}

/// Computes READY, STATUS and RESTARTS (upstream's `printPod`).
#[must_use]
pub fn pod_summary(pod: &Pod, now: Time) -> PodSummary {
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut total = pod.spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<Time> = None;
    let mut last_sidecar_restart: Option<Time> = None;
    let phase = pod.status.phase.as_str();
    let mut reason = if pod.status.reason.is_empty() {
        phase.to_owned()
    } else {
        pod.status.reason.clone()
    };
    if pod
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == PodConditionType::PodScheduled && c.reason == "SchedulingGated")
    {
        reason = "SchedulingGated".to_owned();
    }
    total += pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy == Some(ContainerRestartPolicy::Always))
        .count();
    let later = |cur: Option<Time>, t: Option<Time>| match (cur, t) {
        (Some(c), Some(t)) if t > c => Some(t),
        (None, Some(t)) => Some(t),
        (c, _) => c,
    };
    let mut initializing = false;
    let n_init = pod.spec.init_containers.len();
    for (i, c) in pod.status.init_container_statuses.iter().enumerate() {
        restarts += i64::from(c.restart_count);
        let finished = c.last_state.terminated.as_ref().and_then(|t| t.finished_at);
        last_restart = later(last_restart, finished);
        let sidecar = is_restartable(pod, &c.name);
        if sidecar {
            sidecar_restarts += i64::from(c.restart_count);
            last_sidecar_restart = later(last_sidecar_restart, finished);
        }
        if let Some(t) = c.state.terminated.as_ref().filter(|t| t.exit_code == 0) {
            let _ = t;
            continue;
        }
        if sidecar && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &c.state.terminated {
            reason = if t.reason.is_empty() {
                if t.signal != 0 {
                    format!("Init:Signal:{}", t.signal)
                } else {
                    format!("Init:ExitCode:{}", t.exit_code)
                }
            } else {
                format!("Init:{}", t.reason)
            };
        } else if let Some(w) = c
            .state
            .waiting
            .as_ref()
            .filter(|w| !w.reason.is_empty() && w.reason != "PodInitializing")
        {
            reason = format!("Init:{}", w.reason);
        } else {
            reason = format!("Init:{i}/{n_init}");
        }
        initializing = true;
        break;
    }
    if !initializing || condition_true(pod, &PodConditionType::Initialized) {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for c in pod.status.container_statuses.iter().rev() {
            restarts += i64::from(c.restart_count);
            let finished = c.last_state.terminated.as_ref().and_then(|t| t.finished_at);
            last_restart = later(last_restart, finished);
            if let Some(w) = c.state.waiting.as_ref().filter(|w| !w.reason.is_empty()) {
                reason = w.reason.clone();
            } else if let Some(t) = c.state.terminated.as_ref().filter(|t| !t.reason.is_empty()) {
                reason = t.reason.clone();
            } else if let Some(t) = &c.state.terminated {
                reason = if t.signal != 0 {
                    format!("Signal:{}", t.signal)
                } else {
                    format!("ExitCode:{}", t.exit_code)
                };
            } else if c.ready && c.state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(pod, &PodConditionType::Ready) {
                "Running".to_owned()
            } else {
                "NotReady".to_owned()
            };
        }
    }
    if pod.metadata.deletion_timestamp.is_some() && pod.status.reason == "NodeLost" {
        reason = "Unknown".to_owned();
    } else if pod.metadata.deletion_timestamp.is_some()
        && !matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
    {
        reason = "Terminating".to_owned();
    }
    let restarts_text = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", since(Some(t), now)),
        _ => restarts.to_string(),
    };
    PodSummary {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts: restarts_text,
    }
}

fn pod_cells(pod: &Pod, now: Time) -> Vec<String> {
    let s = pod_summary(pod, now);
    let or_none = |v: String| if v.is_empty() { "<none>".to_owned() } else { v };
    let nominated = pod
        .status
        .extra
        .get("nominatedNodeName")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_owned();
    let gates: Vec<String> = match pod.spec.extra.get("readinessGates") {
        Some(crate::value::Value::Sequence(items)) => items
            .iter()
            .filter_map(|g| g.get("conditionType").and_then(|t| t.as_str()))
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let readiness = if gates.is_empty() {
        "<none>".to_owned()
    } else {
        let ok = gates
            .iter()
            .filter(|g| {
                pod.status
                    .conditions
                    .iter()
                    .find(|c| c.type_.as_str() == g.as_str())
                    .is_some_and(|c| c.status == ConditionStatus::True)
            })
            .count();
        format!("{ok}/{}", gates.len())
    };
    vec![
        pod.metadata.name.clone(),
        s.ready,
        s.status,
        s.restarts,
        since(pod.metadata.creation_timestamp, now),
        or_none(pod_ip(pod)),
        or_none(pod.spec.node_name.clone()),
        or_none(nominated),
        readiness,
    ]
}

/// `-o name` lines: `pod/x`, `replicaset.apps/x`, `deployment.apps/x`,
/// `replicationcontroller/x`, one per object, sorted by name as the API lists them.
#[must_use]
pub fn names(kind_prefix: &str, names: &[&str]) -> String {
    let mut sorted: Vec<&str> = names.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|n| format!("{kind_prefix}/{n}\n"))
        .collect()
}
