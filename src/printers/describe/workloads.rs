//! The describers themselves.

use crate::api::{Deployment, Pod, PodPhase, ReplicaSet, ReplicationController};
use crate::selector::Selector;
use crate::time::Time;

use super::super::duration::since;
use super::super::format::{SelectorFormatError, format_label_selector, rfc1123z, selector_string};
use super::super::get::pod_ip;
use super::super::quantity::qos_class;
use super::super::tabwriter::{DESCRIBE, tabwrite};
use super::template::{
    containers, pod_template, resources, seq, text, tolerations, topology, volumes,
};
use super::{
    DescribeOptions, EventRecord, W, annotations_multiline, controller_of, events_for,
    events_section, labels_multiline,
};

/// `kubectl describe pod`.
#[must_use]
pub fn describe_pod(pod: &Pod, events: &[EventRecord], opts: DescribeOptions, now: Time) -> String {
    let mut w = W::default();
    let m = &pod.metadata;
    let spec = &pod.spec;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    if let Some(crate::value::Value::Int(p)) = spec.extra.get("priority") {
        w.write(0, &format!("Priority:\t{p}\n"));
    }
    let pc = text(spec.extra.get("priorityClassName"));
    if !pc.is_empty() {
        w.write(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    let rc = text(spec.extra.get("runtimeClassName"));
    if !rc.is_empty() {
        w.write(0, &format!("Runtime Class Name:\t{rc}\n"));
    }
    let sa = text(spec.extra.get("serviceAccountName"));
    if !sa.is_empty() {
        w.write(0, &format!("Service Account:\t{sa}\n"));
    }
    if spec.node_name.is_empty() {
        w.write(0, "Node:\t<none>\n");
    } else {
        w.write(
            0,
            &format!("Node:\t{}/{}\n", spec.node_name, pod.status.host_ip),
        );
    }
    if let Some(t) = pod.status.start_time {
        w.write(0, &format!("Start Time:\t{}\n", rfc1123z(t)));
    }
    labels_multiline(&mut w, "", "Labels", "\t", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    if let Some(dt) = m
        .deletion_timestamp
        .filter(|_| !matches!(pod.status.phase, PodPhase::Failed | PodPhase::Succeeded))
    {
        w.write(
            0,
            &format!("Status:\tTerminating (lasts {})\n", since(Some(dt), now)),
        );
        w.write(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                m.deletion_grace_period_seconds.unwrap_or(0)
            ),
        );
    } else {
        w.write(0, &format!("Status:\t{}\n", pod.status.phase));
    }
    if !pod.status.reason.is_empty() {
        w.write(0, &format!("Reason:\t{}\n", pod.status.reason));
    }
    if !pod.status.message.is_empty() {
        w.write(0, &format!("Message:\t{}\n", pod.status.message));
    }
    if let Some(sp) = spec
        .extra
        .get("securityContext")
        .and_then(|s| s.get("seccompProfile"))
    {
        let t = text(sp.get("type"));
        w.write(0, &format!("SeccompProfile:\t{t}\n"));
        if t == "Localhost" {
            w.write(
                0,
                &format!("LocalhostProfile:\t{}\n", text(sp.get("localhostProfile"))),
            );
        }
    }
    w.write(0, &format!("IP:\t{}\n", pod.status.pod_ip));
    let ips: Vec<String> = match pod.status.extra.get("podIPs") {
        Some(crate::value::Value::Sequence(items)) => {
            items.iter().map(|i| text(i.get("ip"))).collect()
        }
        _ if !pod.status.pod_ip.is_empty() => vec![pod_ip(pod)],
        _ => Vec::new(),
    };
    if ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        for ip in ips {
            w.write(1, &format!("IP:\t{ip}\n"));
        }
    }
    if let Some(c) = controller_of(m) {
        w.write(0, &format!("Controlled By:\t{c}\n"));
    }
    let nominated = text(pod.status.extra.get("nominatedNodeName"));
    if !nominated.is_empty() {
        w.write(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    if let Some(r) = spec.extra.get("resources") {
        w.write(0, "Resources:\n");
        resources(&mut w, Some(r), 1);
    }
    if !spec.init_containers.is_empty() {
        containers(
            &mut w,
            "Init Containers",
            &spec.init_containers,
            &pod.status.init_container_statuses,
            Some(pod),
            "",
        );
    }
    containers(
        &mut w,
        "Containers",
        &spec.containers,
        &pod.status.container_statuses,
        Some(pod),
        "",
    );
    let gates = seq(spec.extra.get("readinessGates"));
    if !gates.is_empty() {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = text(g.get("conditionType"));
            let status = pod
                .status
                .conditions
                .iter()
                .find(|c| c.type_.as_str() == t)
                .map_or_else(|| "<none>".to_owned(), |c| c.status.to_string());
            w.write(1, &format!("{t} \t{status} \n"));
        }
    }
    if !pod.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in &pod.status.conditions {
            w.write(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    volumes(&mut w, seq(spec.extra.get("volumes")), "");
    w.write(0, &format!("QoS Class:\t{}\n", qos_class(pod)));
    labels_multiline(&mut w, "", "Node-Selectors", "\t", &spec.node_selector);
    tolerations(&mut w, "Tolerations", seq(spec.extra.get("tolerations")));
    topology(&mut w, seq(spec.extra.get("topologySpreadConstraints")), "");
    if opts.show_events {
        events_section(&mut w, &events_for(events, None, m), now);
    }
    tabwrite(&w.buf, DESCRIBE)
}

/// Phase counts of the pods a controller owns (`getPodStatusForController`).
fn pod_counts(pods: &[Pod], selector: &Selector<'_>, uid: &str) -> (usize, usize, usize, usize) {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in pods {
        if !selector.matches(&p.metadata.labels) {
            continue;
        }
        if p.metadata.controller_ref().is_none_or(|r| r.uid != uid) {
            continue;
        }
        match p.status.phase {
            PodPhase::Running => running += 1,
            PodPhase::Pending => waiting += 1,
            PodPhase::Succeeded => succeeded += 1,
            PodPhase::Failed => failed += 1,
            _ => {}
        }
    }
    (running, waiting, succeeded, failed)
}

fn rs_conditions(w: &mut W, conds: &[crate::api::ReplicaSetCondition]) {
    if conds.is_empty() {
        return;
    }
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for c in conds {
        w.write(1, &format!("{} \t{}\t{}\n", c.type_, c.status, c.reason));
    }
}

/// `kubectl describe replicaset`; `pods` are the namespace's pods (those the ReplicaSet owns
/// are counted by phase).
pub fn describe_replica_set(
    rs: &ReplicaSet,
    pods: &[Pod],
    events: &[EventRecord],
    opts: DescribeOptions,
    now: Time,
) -> Result<String, SelectorFormatError> {
    let selector = Selector::compile(rs.spec.selector.as_ref())
        .map_err(|e| SelectorFormatError(e.to_string()))?;
    let (r, wt, s, f) = pod_counts(pods, &selector, &rs.metadata.uid);
    let mut w = W::default();
    let m = &rs.metadata;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(rs.spec.selector.as_ref())
        ),
    );
    labels_multiline(&mut w, "", "Labels", "\t", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    if let Some(c) = controller_of(m) {
        w.write(0, &format!("Controlled By:\t{c}\n"));
    }
    w.write(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            rs.status.replicas,
            rs.replicas()
        ),
    );
    w.write(0, "Pods Status:\t");
    w.write(
        0,
        &format!("{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed\n"),
    );
    pod_template(&mut w, &rs.spec.template);
    rs_conditions(&mut w, &rs.status.conditions);
    if opts.show_events {
        events_section(&mut w, &events_for(events, Some("ReplicaSet"), m), now);
    }
    Ok(tabwrite(&w.buf, DESCRIBE))
}

/// `kubectl describe replicationcontroller`.
#[must_use]
pub fn describe_replication_controller(
    rc: &ReplicationController,
    pods: &[Pod],
    events: &[EventRecord],
    opts: DescribeOptions,
    now: Time,
) -> String {
    let selector = Selector::from_map(&rc.spec.selector);
    let (r, wt, s, f) = pod_counts(pods, &selector, &rc.metadata.uid);
    let mut w = W::default();
    let m = &rc.metadata;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    let mut keys: Vec<&String> = rc.spec.selector.keys().collect();
    keys.sort();
    let sel: Vec<String> = keys
        .iter()
        .map(|k| {
            format!(
                "{k}={}",
                rc.spec.selector.get(*k).map_or("", String::as_str)
            )
        })
        .collect();
    w.write(0, &format!("Selector:\t{}\n", sel.join(",")));
    labels_multiline(&mut w, "", "Labels", "\t", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.write(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            rc.status.replicas,
            rc.replicas()
        ),
    );
    w.write(
        0,
        &format!("Pods Status:\t{r} Running / {wt} Waiting / {s} Succeeded / {f} Failed\n"),
    );
    match &rc.spec.template {
        Some(t) => pod_template(&mut w, t),
        None => {
            w.write(0, "Pod Template:\n");
            w.write(1, "<unset>");
        }
    }
    rs_conditions(&mut w, &rc.status.conditions);
    if opts.show_events {
        events_section(
            &mut w,
            &events_for(events, Some("ReplicationController"), m),
            now,
        );
    }
    tabwrite(&w.buf, DESCRIBE)
}

fn rs_list(rss: &[&ReplicaSet]) -> String {
    if rss.is_empty() {
        return "<none>".to_owned();
    }
    let parts: Vec<String> = rss
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name,
                rs.status.replicas,
                rs.replicas()
            )
        })
        .collect();
    parts.join(", ")
}

fn intstr(v: Option<&crate::api::IntOrString>) -> String {
    v.map_or_else(|| "<nil>".to_owned(), ToString::to_string)
}

/// `kubectl describe deployment`; `rss` are the namespace's ReplicaSets (the Deployment's own
/// are found as kubectl finds them: selector, controller reference, template equality).
pub fn describe_deployment(
    d: &Deployment,
    rss: &[ReplicaSet],
    events: &[EventRecord],
    opts: DescribeOptions,
    now: Time,
) -> Result<String, SelectorFormatError> {
    let selector = selector_string(d.spec.selector.as_ref())?;
    let mut w = W::default();
    let m = &d.metadata;
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    let created = m
        .creation_timestamp
        .map_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".to_owned(), rfc1123z);
    w.write(0, &format!("CreationTimestamp:\t{created}\n"));
    labels_multiline(&mut w, "", "Labels", "\t", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.write(0, &format!("Selector:\t{selector}\n"));
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.replicas(),
            d.status.updated_replicas,
            d.status.replicas,
            d.status.available_replicas,
            d.status.unavailable_replicas
        ),
    );
    w.write(0, &format!("StrategyType:\t{}\n", d.spec.strategy.type_));
    w.write(
        0,
        &format!("MinReadySeconds:\t{}\n", d.spec.min_ready_seconds),
    );
    if let Some(ru) = &d.spec.strategy.rolling_update {
        w.write(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                intstr(ru.max_unavailable.as_ref()),
                intstr(ru.max_surge.as_ref())
            ),
        );
    }
    pod_template(&mut w, &d.spec.template);
    if !d.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in &d.status.conditions {
            w.write(1, &format!("{} \t{}\t{}\n", c.type_, c.status, c.reason));
        }
    }
    if let Ok(found) = crate::kubectl::util::deployment_replica_sets(d, rss) {
        let new: Vec<&ReplicaSet> = found.new.into_iter().collect();
        if !found.old.is_empty() || !new.is_empty() {
            w.write(0, &format!("OldReplicaSets:\t{}\n", rs_list(&found.old)));
            w.write(0, &format!("NewReplicaSet:\t{}\n", rs_list(&new)));
        }
    }
    if opts.show_events {
        events_section(&mut w, &events_for(events, Some("Deployment"), m), now);
    }
    Ok(tabwrite(&w.buf, DESCRIBE))
}
