//! Deployment reconcile costs: the steady state of a Deployment with 10 ReplicaSets (goal
//! ≤ 2 µs), one rollout step, and a `Recreate` Deployment whose pod scan reads 10^5 pods.
//!
//! `cargo bench --bench deployment -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kube_workloads::api::{
    ConditionStatus, Container, DeploymentStrategy, DeploymentStrategyType, PodCondition,
    PodConditionType, PodPhase, RollingUpdateDeployment,
};
use kube_workloads::deployment::{self, Action, Observed};
use kube_workloads::{
    Deployment, IntOrString, LabelSelector, OwnerReference, Pod, ReplicaSet, Time,
};

fn deployment_of(strategy: DeploymentStrategyType, replicas: i32) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = "web".into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = "uid-web".into();
    d.metadata.generation = 1;
    d.spec.replicas = Some(replicas);
    d.spec.selector = Some(LabelSelector::from_labels([("app", "web")]));
    d.spec
        .template
        .metadata
        .labels
        .insert("app".into(), "web".into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx:1.0".into(),
        ..Default::default()
    });
    d.spec.strategy = match strategy {
        DeploymentStrategyType::Recreate => DeploymentStrategy {
            type_: DeploymentStrategyType::Recreate,
            ..Default::default()
        },
        _ => DeploymentStrategy {
            type_: DeploymentStrategyType::RollingUpdate,
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::String("25%".into())),
                max_unavailable: Some(IntOrString::String("25%".into())),
                ..Default::default()
            }),
            ..Default::default()
        },
    };
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    d
}

/// A minimal API server: applies plans; ReplicaSets report their spec as available at once.
struct Store {
    now: Time,
    d: Deployment,
    rss: Vec<ReplicaSet>,
    uid: u32,
}

impl Store {
    fn plan(&self) -> deployment::Plan {
        deployment::reconcile(&self.d, &Observed::new(&self.rss), self.now).unwrap()
    }

    fn apply(&mut self, plan: &deployment::Plan) {
        for a in &plan.actions {
            match a {
                Action::CreateReplicaSet(r) => {
                    let mut r = r.clone();
                    self.uid += 1;
                    r.metadata.uid = format!("rs-uid-{}", self.uid);
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
                Action::DeleteReplicaSet(r) => self.rss.retain(|x| x.metadata.uid != r.uid),
                Action::UpdateDeploymentStatus(s) => {
                    self.d.status = s.status.clone();
                    self.d.metadata.annotations = s.annotations.clone();
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        for r in &mut self.rss {
            let n = r.replicas();
            r.status.replicas = n;
            r.status.ready_replicas = n;
            r.status.available_replicas = n;
            r.status.fully_labeled_replicas = n;
            r.status.observed_generation = r.metadata.generation;
        }
    }

    fn converge(&mut self) {
        for _ in 0..100 {
            let plan = self.plan();
            if plan.is_noop() {
                return;
            }
            self.apply(&plan);
            self.now = self.now.add_seconds(1);
        }
        panic!("no fixed point");
    }

    fn set_image(&mut self, n: usize) {
        self.d.spec.template.spec.containers[0].image = format!("nginx:1.{n}");
        self.d.metadata.generation += 1;
    }
}

/// A settled Deployment that went through ten templates: 1 new + 9 old ReplicaSets.
fn ten_replica_sets() -> Store {
    let mut s = Store {
        now: Time::from_unix(1_700_000_000),
        d: deployment_of(DeploymentStrategyType::RollingUpdate, 10),
        rss: Vec::new(),
        uid: 0,
    };
    s.converge();
    for n in 1..10 {
        s.now = s.now.add_seconds(60);
        s.set_image(n);
        s.converge();
    }
    assert_eq!(s.rss.len(), 10);
    assert!(s.plan().is_noop());
    s
}

fn pod_of(rs: &ReplicaSet, i: usize) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = format!("{}-{i}", rs.metadata.name);
    p.metadata.namespace = "default".into();
    p.metadata.uid = format!("pod-uid-{}-{i}", rs.metadata.name);
    p.metadata.labels = rs.spec.template.metadata.labels.clone();
    p.metadata.owner_references.push(OwnerReference {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        name: rs.metadata.name.clone(),
        uid: rs.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..Default::default()
    });
    p.spec.node_name = "node-1".into();
    p.status.phase = PodPhase::Running;
    p.status.conditions.push(PodCondition {
        type_: PodConditionType::Ready,
        status: ConditionStatus::True,
        ..Default::default()
    });
    p
}

fn steady_state(c: &mut Criterion) {
    // Steady state: 10 ReplicaSets, nothing to do.
    c.bench_function("deployment/steady_state_10_replica_sets", |b| {
        let s = ten_replica_sets();
        b.iter(|| {
            let plan =
                deployment::reconcile(black_box(&s.d), &Observed::new(black_box(&s.rss)), s.now)
                    .unwrap();
            black_box(plan)
        });
    });
}

fn rollout_steps(c: &mut Criterion) {
    // One rollout step: a new template on the settled Deployment (create the new ReplicaSet,
    // two status writes, scale the oldest active one down).
    c.bench_function("deployment/rollout_step_create_new_replica_set", |b| {
        let mut rollout = ten_replica_sets();
        rollout.set_image(99);
        assert!(rollout.plan().created_replica_set().is_some());
        b.iter(|| {
            let plan = deployment::reconcile(
                black_box(&rollout.d),
                &Observed::new(black_box(&rollout.rss)),
                rollout.now,
            )
            .unwrap();
            black_box(plan)
        });
    });

    // Mid-rollout step: the new ReplicaSet is scaled up by one surge step.
    c.bench_function("deployment/rollout_step_scale_replica_set", |b| {
        let mut mid = ten_replica_sets();
        mid.set_image(98);
        let plan = mid.plan();
        mid.apply(&plan);
        mid.now = mid.now.add_seconds(1);
        let step = mid.plan();
        assert!(
            step.actions
                .iter()
                .any(|a| matches!(a, Action::UpdateReplicaSet(_)))
        );
        b.iter(|| {
            let plan = deployment::reconcile(
                black_box(&mid.d),
                &Observed::new(black_box(&mid.rss)),
                mid.now,
            )
            .unwrap();
            black_box(plan)
        });
    });
}

/// A settled Recreate Deployment of 10^5 replicas and its pods.
fn recreate_100k() -> (Store, Vec<Pod>) {
    let mut rec = Store {
        now: Time::from_unix(1_700_000_000),
        d: deployment_of(DeploymentStrategyType::Recreate, 100_000),
        rss: Vec::new(),
        uid: 0,
    };
    rec.converge();
    let pods: Vec<Pod> = (0..100_000).map(|i| pod_of(&rec.rss[0], i)).collect();
    (rec, pods)
}

fn recreate_pod_scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("deployment");
    group.sample_size(20);
    // A settled Recreate Deployment whose new ReplicaSet runs 10^5 pods: the reconcile scans
    // them all looking for old pods.
    group.bench_function("recreate_steady_state_100k_pods", |b| {
        let (rec, pods) = recreate_100k();
        let observed = Observed::new(&rec.rss).with_pods(&pods);
        assert!(
            deployment::reconcile(&rec.d, &observed, rec.now)
                .unwrap()
                .is_noop()
        );
        b.iter(|| {
            let plan = deployment::reconcile(
                black_box(&rec.d),
                &Observed::new(black_box(&rec.rss)).with_pods(black_box(&pods)),
                rec.now,
            )
            .unwrap();
            black_box(plan)
        });
    });
    // Mid-rollout: the old ReplicaSet is at 0 but 10^5 of its pods still run; the reconcile
    // waits.
    group.bench_function("recreate_waiting_for_100k_old_pods", |b| {
        let (mut rec, pods) = recreate_100k();
        let old_uid = rec.rss[0].metadata.uid.clone();
        rec.set_image(7);
        let plan = rec.plan();
        rec.apply(&plan);
        let mut old = rec
            .rss
            .iter()
            .find(|r| r.metadata.uid == old_uid)
            .unwrap()
            .clone();
        old.status.replicas = 0;
        let waiting_rss = vec![old];
        let observed = Observed::new(&waiting_rss).with_pods(&pods);
        let plan = deployment::reconcile(&rec.d, &observed, rec.now).unwrap();
        assert!(plan.created_replica_set().is_none(), "old pods still run");
        b.iter(|| {
            let plan = deployment::reconcile(
                black_box(&rec.d),
                &Observed::new(black_box(&waiting_rss)).with_pods(black_box(&pods)),
                rec.now,
            )
            .unwrap();
            black_box(plan)
        });
    });
    group.finish();
}

criterion_group!(benches, steady_state, rollout_steps, recreate_pod_scan);
criterion_main!(benches);
