//! Unit tests of the Deployment controller with access to its internals: upstream's tables from
//! `pkg/controller/deployment/*_test.go` (v1.32), each case named as upstream names it, plus
//! scenario tests named after documented behaviours.
//!
//! Upstream's test helpers build Deployments with `maxSurge: 0, maxUnavailable: 0` (the
//! fencepost then makes `maxUnavailable` 1). [`reconcile`] rejects that combination as the API
//! server's validation does, so tests that go through [`reconcile`] use `maxUnavailable: 1`
//! instead, which resolves to the same numbers; tests of the internal steps keep upstream's
//! values.

#![allow(clippy::type_complexity)]

mod controller;
mod history;
mod progress;
mod recreate;
mod rolling;
mod scaling;
mod sync;

use super::*;
use crate::api::{
    ConditionStatus, Container, DeploymentConditionType, DeploymentStrategy, ReplicaSetCondition,
    RollingUpdateDeployment,
};
use crate::meta::LabelSelector;

/// 2016-05-20 02:00:00 UTC, upstream's `newTimestamp` in TestScale.
pub(super) fn new_ts() -> Time {
    Time::from_ymd_hms(2016, 5, 20, 2, 0, 0).unwrap()
}

/// 2016-05-20 01:00:00 UTC (`oldTimestamp`).
pub(super) fn old_ts() -> Time {
    Time::from_ymd_hms(2016, 5, 20, 1, 0, 0).unwrap()
}

/// 2016-05-20 00:00:00 UTC (`olderTimestamp`).
pub(super) fn older_ts() -> Time {
    Time::from_ymd_hms(2016, 5, 20, 0, 0, 0).unwrap()
}

/// A `now` well after every timestamp the tables use.
pub(super) fn now() -> Time {
    Time::from_ymd_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

pub(super) fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Upstream's `newDeployment(name, replicas, nil, maxSurge, maxUnavailable, {foo: bar})`:
/// RollingUpdate, no revision history limit, no progress deadline, generation 0.
pub(super) fn deployment(name: &str, replicas: i32, surge: i32, unavailable: i32) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = name.into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = format!("uid-{name}");
    d.spec.replicas = Some(replicas);
    d.spec.selector = Some(LabelSelector::from_labels([("foo", "bar")]));
    d.spec.template.metadata.labels = labels(&[("foo", "bar")]);
    d.spec.template.spec.containers.push(Container {
        name: "foo".into(),
        image: "foo/bar".into(),
        ..Default::default()
    });
    d.spec.strategy = DeploymentStrategy {
        type_: DeploymentStrategyType::RollingUpdate,
        rolling_update: Some(RollingUpdateDeployment {
            max_surge: Some(IntOrString::Int(surge)),
            max_unavailable: Some(IntOrString::Int(unavailable)),
            ..Default::default()
        }),
        ..Default::default()
    };
    d
}

/// The same Deployment with the `Recreate` strategy.
pub(super) fn recreate_deployment(name: &str, replicas: i32) -> Deployment {
    let mut d = deployment(name, replicas, 0, 0);
    d.spec.strategy = DeploymentStrategy {
        type_: DeploymentStrategyType::Recreate,
        ..Default::default()
    };
    d
}

/// Upstream's `rs(name, replicas, selector, timestamp)`: an empty template, no owner, zero status.
pub(super) fn rs(name: &str, replicas: i32, ts: Option<Time>) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = name.into();
    rs.metadata.namespace = "default".into();
    rs.metadata.uid = format!("uid-{name}");
    rs.metadata.creation_timestamp = ts;
    rs.spec.replicas = Some(replicas);
    rs
}

/// `rs` with `status.replicas` and `status.availableReplicas` (upstream's `newRSWithAvailable`;
/// `readyReplicas` stays 0 as there).
pub(super) fn rs_status(name: &str, spec: i32, status: i32, available: i32) -> ReplicaSet {
    let mut r = rs(name, spec, None);
    r.status.replicas = status;
    r.status.available_replicas = available;
    r
}

/// The controller reference `d` puts on its ReplicaSets.
pub(super) fn controller_ref(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..Default::default()
    }
}

/// Upstream's `newReplicaSet(d, name, replicas)`: owned by `d`, its selector and template.
pub(super) fn owned_rs(d: &Deployment, name: &str, replicas: i32) -> ReplicaSet {
    let mut r = rs(name, replicas, None);
    r.metadata.labels = d.spec.template.metadata.labels.clone();
    r.metadata.owner_references.push(controller_ref(d));
    r.spec.selector = d.spec.selector.clone();
    r.spec.template = d.spec.template.clone();
    r
}

/// A working context as `reconcile` builds it after claiming: every given ReplicaSet counts as
/// the Deployment's, sorted by creation.
pub(super) fn ctx<'a>(d: &'a Deployment, rss: &'a [ReplicaSet], now: Time) -> Ctx<'a> {
    let mut owned: Vec<super::Working<'a>> = rss.iter().map(super::Working::Listed).collect();
    owned.sort_by(|a, b| util::by_creation(a, b));
    Ctx {
        now,
        d: Cow::Borrowed(d),
        rss: owned,
        namespace_rss: rss.iter().collect(),
        rs_with_live_pods: Vec::new(),
        listed_replicas: Vec::new(),
        new_rs_cache: None,
        actions: Vec::new(),
        events: Vec::new(),
        requeue: None,
    }
}

/// The index of the ReplicaSet called `name` in the context.
pub(super) fn ix(ctx: &Ctx<'_>, name: &str) -> usize {
    ctx.rss
        .iter()
        .position(|r| r.metadata.name == name)
        .unwrap_or_else(|| panic!("no ReplicaSet {name}"))
}

/// `spec.replicas` of each updated ReplicaSet, from the last `UpdateReplicaSet` of each.
pub(super) fn updated_sizes(actions: &[Action]) -> Vec<(String, i32)> {
    let mut out: Vec<(String, i32)> = Vec::new();
    for a in actions {
        if let Action::UpdateReplicaSet(r) = a {
            out.retain(|(n, _)| n != &r.metadata.name);
            out.push((r.metadata.name.clone(), r.replicas()));
        }
    }
    out
}

/// One word per action, to compare action sequences as upstream's fake client tests do.
pub(super) fn verbs(plan: &Plan) -> Vec<&'static str> {
    plan.actions
        .iter()
        .map(|a| match a {
            Action::AdoptReplicaSet(_) => "adopt",
            Action::ReleaseReplicaSet(_) => "release",
            Action::CreateReplicaSet(_) => "create",
            Action::UpdateReplicaSet(_) => "update",
            Action::DeleteReplicaSet(_) => "delete",
            Action::UpdateDeploymentStatus(_) => "status",
            Action::UpdateDeployment(_) => "update-deployment",
        })
        .collect()
}

pub(super) fn messages(plan: &Plan) -> Vec<&str> {
    plan.events.iter().map(|e| e.message.as_str()).collect()
}

/// A small store: carries a plan out as an API server would (uids, creation times, generation
/// bumps on spec changes, status and annotation writes).
pub(super) struct Store {
    pub(super) now: Time,
    pub(super) d: Deployment,
    pub(super) rss: Vec<ReplicaSet>,
    uid: u32,
}

impl Store {
    pub(super) fn new(d: Deployment, rss: Vec<ReplicaSet>) -> Self {
        Store {
            now: now(),
            d,
            rss,
            uid: 0,
        }
    }

    pub(super) fn reconcile(&self) -> Plan {
        reconcile(&self.d, &Observed::new(&self.rss), self.now).unwrap()
    }

    pub(super) fn apply(&mut self, plan: &Plan) {
        for a in &plan.actions {
            match a {
                Action::CreateReplicaSet(r) => {
                    let mut r = r.clone();
                    self.uid += 1;
                    r.metadata.uid = format!("store-uid-{}", self.uid);
                    r.metadata.creation_timestamp = Some(self.now);
                    r.metadata.generation = 1;
                    self.rss.push(r);
                }
                Action::UpdateReplicaSet(new) => {
                    let old = self
                        .rss
                        .iter_mut()
                        .find(|r| r.metadata.name == new.metadata.name)
                        .unwrap();
                    if old.spec != new.spec {
                        old.metadata.generation += 1;
                    }
                    old.spec = new.spec.clone();
                    old.metadata.annotations = new.metadata.annotations.clone();
                }
                Action::DeleteReplicaSet(r) => self.rss.retain(|x| x.metadata.name != r.name),
                Action::AdoptReplicaSet(r) => {
                    let x = self
                        .rss
                        .iter_mut()
                        .find(|x| x.metadata.name == r.name)
                        .unwrap();
                    x.metadata
                        .owner_references
                        .push(plan.controller_ref.clone());
                }
                Action::ReleaseReplicaSet(r) => {
                    let uid = self.d.metadata.uid.clone();
                    let x = self
                        .rss
                        .iter_mut()
                        .find(|x| x.metadata.name == r.name)
                        .unwrap();
                    x.metadata.owner_references.retain(|o| o.uid != uid);
                }
                Action::UpdateDeploymentStatus(s) => {
                    self.d.status = s.status.clone();
                    self.d.metadata.annotations = s.annotations.clone();
                }
                Action::UpdateDeployment(d) => {
                    let status = self.d.status.clone();
                    if d.spec != self.d.spec
                        || d.metadata.annotations != self.d.metadata.annotations
                    {
                        self.d.metadata.generation += 1;
                    }
                    self.d.spec = d.spec.clone();
                    self.d.metadata.annotations = d.metadata.annotations.clone();
                    self.d.status = status;
                }
            }
        }
    }

    /// The ReplicaSet controller and kubelet, instantly: every ReplicaSet reports its spec as
    /// ready and available pods.
    pub(super) fn settle_replica_sets(&mut self) {
        for r in &mut self.rss {
            let n = r.replicas();
            r.status.replicas = n;
            r.status.ready_replicas = n;
            r.status.available_replicas = n;
            r.status.fully_labeled_replicas = n;
            r.status.observed_generation = r.metadata.generation;
        }
    }

    /// Reconcile and apply until a plan has no action (at most 20 rounds).
    pub(super) fn converge(&mut self) -> usize {
        for round in 0..20 {
            let plan = self.reconcile();
            if plan.is_noop() {
                return round;
            }
            self.apply(&plan);
            self.settle_replica_sets();
        }
        panic!("no fixed point after 20 rounds");
    }

    pub(super) fn by_name(&self, name: &str) -> &ReplicaSet {
        self.rss
            .iter()
            .find(|r| r.metadata.name == name)
            .unwrap_or_else(|| panic!("no ReplicaSet {name}"))
    }

    /// The ReplicaSet whose template equals the Deployment's.
    pub(super) fn new_rs(&self) -> &ReplicaSet {
        self.rss
            .iter()
            .find(|r| crate::hash::equal_ignore_hash(&r.spec.template, &self.d.spec.template))
            .unwrap()
    }
}

/// A ReplicaSet condition as the ReplicaSet controller writes it.
pub(super) fn replica_failure(message: &str, at: Time) -> ReplicaSetCondition {
    ReplicaSetCondition {
        type_: crate::api::REPLICA_FAILURE.to_owned(),
        status: ConditionStatus::True,
        last_transition_time: Some(at),
        reason: "FailedCreate".into(),
        message: message.into(),
        ..Default::default()
    }
}
