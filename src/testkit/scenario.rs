//! User actions against a simulated cluster, and a runner that checks the invariants after every
//! step and liveness at the end.

use std::time::Duration;

use super::invariants::{Checker, Violation};
use crate::api::Deployment;
use crate::sim::{Cascade, Cluster, Config, Faults, Key, Kind};

/// Something a user (or the world) does to a running Deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserAction {
    /// `kubectl scale --replicas=N`.
    Scale(i32),
    /// `kubectl set image` of the first container.
    SetImage(String),
    /// `kubectl rollout pause`.
    Pause,
    /// `kubectl rollout resume`.
    Resume,
    /// Back to the previous image (what `kubectl rollout undo` amounts to).
    Rollback,
    /// `kubectl delete pod` of the n-th pod (modulo the pod count).
    DeletePod(usize),
    /// A node goes away (the n-th, modulo the node count; the last node is never lost).
    LoseNode(usize),
    /// Time passes.
    Advance(Duration),
    /// A pod quota appears or goes (`None`).
    Quota(Option<usize>),
    /// The next n pod deletions fail.
    FailDeletes(usize),
    /// The next Deployment reconcile carries out only its first n writes (a controller crash).
    CrashController(usize),
}

/// A Deployment, the cluster it runs on, and what happens to it.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The simulated cluster's settings.
    pub config: Config,
    /// The Deployment created first.
    pub deployment: Deployment,
    /// What happens next, in order.
    pub actions: Vec<UserAction>,
}

/// The outcome of a scenario that kept every invariant.
#[derive(Debug)]
pub struct Outcome {
    /// The cluster at the end (settled).
    pub cluster: Cluster,
    /// The Deployment's key.
    pub deployment: Key,
}

/// Runs a scenario: every step (each action, then every deadline the clock passes) is checked
/// with a [`Checker`]; at the end faults are cleared, the Deployment resumed, and the cluster
/// must settle within `liveness_limit`, be complete, and stay idle when reconciled again.
pub fn run(scenario: &Scenario, liveness_limit: Duration) -> Result<Outcome, Violation> {
    let mut cluster = Cluster::new(scenario.config.clone());
    let key = cluster
        .create_deployment(scenario.deployment.clone())
        .map_err(|e| Violation::NotLive(e.to_string()))?;
    let mut checker = Checker::new();
    let mut images = vec![first_image(&scenario.deployment)];
    step(&mut cluster, &mut checker)?;
    for action in &scenario.actions {
        apply(&mut cluster, &key, action, &mut images);
        match action {
            UserAction::Advance(d) => advance(&mut cluster, &mut checker, *d)?,
            _ => step(&mut cluster, &mut checker)?,
        }
    }
    // Liveness: a fair world from here on.
    cluster.set_faults(Faults::default());
    if let Some(d) = cluster.deployment(&key).cloned() {
        if d.spec.paused {
            let mut d = d;
            d.spec.paused = false;
            let _ = cluster.update_deployment(d);
        }
    }
    let stop = cluster.now().add_duration(liveness_limit);
    loop {
        step(&mut cluster, &mut checker)?;
        let Some(next) = cluster.next_deadline() else {
            break;
        };
        if next > stop {
            return Err(Violation::NotLive(format!(
                "still busy at {} (next deadline {next})",
                cluster.now()
            )));
        }
        cluster
            .advance_to(next)
            .map_err(|e| Violation::NotLive(e.to_string()))?;
    }
    checker.check_settled(&mut cluster, true)?;
    let events = cluster.events().len();
    cluster
        .run_until_idle()
        .map_err(|e| Violation::NotLive(e.to_string()))?;
    let activity = cluster.take_activity();
    if !activity.deployment_syncs.is_empty() || cluster.events().len() != events {
        return Err(Violation::NotIdle(format!("{activity:?}")));
    }
    Ok(Outcome {
        cluster,
        deployment: key,
    })
}

fn first_image(d: &Deployment) -> String {
    d.spec
        .template
        .spec
        .containers
        .first()
        .map(|c| c.image.clone())
        .unwrap_or_default()
}

fn step(cluster: &mut Cluster, checker: &mut Checker) -> Result<(), Violation> {
    cluster
        .run_until_idle()
        .map_err(|e| Violation::NotLive(e.to_string()))?;
    checker.check(cluster)
}

fn advance(cluster: &mut Cluster, checker: &mut Checker, d: Duration) -> Result<(), Violation> {
    let target = cluster.now().add_duration(d);
    step(cluster, checker)?;
    while let Some(next) = cluster.next_deadline() {
        if next > target {
            break;
        }
        cluster
            .advance_to(next)
            .map_err(|e| Violation::NotLive(e.to_string()))?;
        checker.check(cluster)?;
    }
    cluster
        .advance_to(target)
        .map_err(|e| Violation::NotLive(e.to_string()))?;
    checker.check(cluster)
}

/// Applies one action to the cluster (user-side writes only; controllers run afterwards).
pub fn apply(cluster: &mut Cluster, key: &Key, action: &UserAction, images: &mut Vec<String>) {
    let update = |cluster: &mut Cluster, f: &dyn Fn(&mut Deployment)| {
        if let Some(mut d) = cluster.deployment(key).cloned() {
            f(&mut d);
            let _ = cluster.update_deployment(d);
        }
    };
    match action {
        UserAction::Scale(n) => update(cluster, &|d| d.spec.replicas = Some(*n)),
        UserAction::SetImage(image) => {
            images.push(image.clone());
            update(cluster, &|d| set_image(d, image));
        }
        UserAction::Pause => update(cluster, &|d| d.spec.paused = true),
        UserAction::Resume => update(cluster, &|d| d.spec.paused = false),
        UserAction::Rollback => {
            if images.len() >= 2 {
                images.pop();
                if let Some(previous) = images.last().cloned() {
                    update(cluster, &|d| set_image(d, &previous));
                }
            }
        }
        UserAction::DeletePod(n) => {
            let keys: Vec<Key> = cluster.pods().map(|p| Key::of(&p.metadata)).collect();
            if !keys.is_empty() {
                if let Some(k) = keys.get(n % keys.len()) {
                    let _ = cluster.delete(Kind::Pod, k, Cascade::Background);
                }
            }
        }
        UserAction::LoseNode(n) => {
            let nodes = cluster.config().nodes.clone();
            if nodes.len() > 1 {
                let i = n % (nodes.len() - 1);
                if let Some(node) = nodes.get(i) {
                    cluster.lose_node(node);
                }
            }
        }
        UserAction::Advance(_) => {}
        UserAction::Quota(q) => {
            let mut f = cluster.config().faults.clone();
            f.pod_quota = *q;
            cluster.set_faults(f);
        }
        UserAction::FailDeletes(n) => {
            let mut f = cluster.config().faults.clone();
            f.fail_pod_deletes = *n;
            cluster.set_faults(f);
        }
        UserAction::CrashController(n) => {
            let mut f = cluster.config().faults.clone();
            f.crash_deployment_after_actions = Some(*n);
            cluster.set_faults(f);
        }
    }
}

fn set_image(d: &mut Deployment, image: &str) {
    if let Some(c) = d.spec.template.spec.containers.first_mut() {
        c.image = image.to_owned();
    }
}

/// A summary of a settled cluster that does not depend on generated names: per ReplicaSet of
/// the Deployment (by pod-template-hash) its size, revision and pod count, and the
/// Deployment's status counts and conditions. Two runs that reach the same state have equal
/// summaries.
#[must_use]
pub fn summary(cluster: &Cluster, key: &Key) -> String {
    let mut out = String::new();
    if let Some(d) = cluster.deployment(key) {
        let s = &d.status;
        out.push_str(&format!(
            "deployment replicas={} updated={} ready={} available={} revision={:?}\n",
            s.replicas,
            s.updated_replicas,
            s.ready_replicas,
            s.available_replicas,
            d.metadata
                .annotations
                .get(crate::deployment::util::REVISION_ANNOTATION)
        ));
        for c in &s.conditions {
            out.push_str(&format!("  {} {} {}\n", c.type_, c.status, c.reason));
        }
        let mut rows: Vec<String> = cluster
            .replica_sets()
            .filter(|rs| {
                rs.metadata
                    .controller_ref()
                    .is_some_and(|r| r.uid == d.metadata.uid)
            })
            .map(|rs| {
                let pods = cluster
                    .pods()
                    .filter(|p| {
                        p.metadata
                            .controller_ref()
                            .is_some_and(|r| r.uid == rs.metadata.uid)
                    })
                    .count();
                format!(
                    "rs {} spec={} pods={pods} revision={:?}\n",
                    rs.metadata.name,
                    rs.replicas(),
                    rs.metadata
                        .annotations
                        .get(crate::deployment::util::REVISION_ANNOTATION)
                )
            })
            .collect();
        rows.sort();
        for r in rows {
            out.push_str(&r);
        }
    }
    out
}
