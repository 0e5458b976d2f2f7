//! Property tests of the Deployment controller, driven by a small deterministic store loop: the
//! Deployment and ReplicaSet controllers reconcile against an in-memory store, pods become ready
//! a second after creation, and random user actions (scale, template change, pause/resume,
//! rollback to an old template) happen between steps.
//!
//! Checked at every step: the plan is a function of its inputs (same input → same plan; shuffled
//! ReplicaSets and pods → same plan); no ReplicaSet's revision decreases; at most one
//! ReplicaSet has the Deployment's template; `collisionCount` never decreases; during a rollout
//! with no scaling event, Σ spec.replicas ≤ replicas + maxSurge; for `Recreate`, old and new
//! pods never run together. After the actions, the loop runs to a fixed point, where a
//! reconcile plans nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;

use kube_workloads::api::{
    ConditionStatus, Container, DeploymentStrategy, DeploymentStrategyType, PodCondition,
    PodConditionType, PodPhase, RollingUpdateDeployment,
};
use kube_workloads::deployment::{self, Action};
use kube_workloads::hash::equal_ignore_hash;
use kube_workloads::replica_set::{self, Report};
use kube_workloads::{Deployment, IntOrString, LabelSelector, Pod, ReplicaSet, Time};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const REVISION: &str = "deployment.kubernetes.io/revision";

/// 64 cases; failures are kept in `proptest-regressions/deployment_props.txt` and replayed first.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: support::case_count(64),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/deployment_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

#[derive(Clone, Debug)]
enum UserAction {
    Nothing,
    Scale(i32),
    SetImage(u8),
    Pause,
    Resume,
    /// Put back the template of the ReplicaSet at this index (mod the count), as
    /// `kubectl rollout undo` does.
    Rollback(usize),
}

fn user_action() -> impl Strategy<Value = UserAction> {
    prop_oneof![
        4 => Just(UserAction::Nothing),
        2 => (0..7i32).prop_map(UserAction::Scale),
        2 => (0..4u8).prop_map(UserAction::SetImage),
        1 => Just(UserAction::Pause),
        1 => Just(UserAction::Resume),
        1 => any::<usize>().prop_map(UserAction::Rollback),
    ]
}

#[derive(Clone, Debug)]
struct Setup {
    replicas: i32,
    recreate: bool,
    surge: IntOrString,
    unavailable: IntOrString,
    history_limit: i32,
}

fn int_or_percent() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        (0..4i32).prop_map(IntOrString::Int),
        prop_oneof![Just("0%"), Just("25%"), Just("50%"), Just("100%")]
            .prop_map(|s| IntOrString::String(s.to_owned())),
    ]
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        1..6i32,
        prop::bool::weighted(0.25),
        int_or_percent(),
        int_or_percent(),
        0..4i32,
    )
        .prop_filter("maxSurge and maxUnavailable may not both be 0", |s| {
            let zero = |v: &IntOrString| match v {
                IntOrString::Int(i) => *i == 0,
                IntOrString::String(s) => s == "0%",
            };
            s.1 || !(zero(&s.2) && zero(&s.3))
        })
        .prop_map(
            |(replicas, recreate, surge, unavailable, history_limit)| Setup {
                replicas,
                recreate,
                surge,
                unavailable,
                history_limit,
            },
        )
}

fn image(n: u8) -> String {
    format!("nginx:1.{}", 16 + u32::from(n))
}

fn new_deployment(s: &Setup) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = "web".into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = "uid-web".into();
    d.metadata.generation = 1;
    d.spec.replicas = Some(s.replicas);
    d.spec.selector = Some(LabelSelector::from_labels([("app", "web")]));
    d.spec
        .template
        .metadata
        .labels
        .insert("app".into(), "web".into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: image(0),
        ..Default::default()
    });
    d.spec.strategy = if s.recreate {
        DeploymentStrategy {
            type_: DeploymentStrategyType::Recreate,
            ..Default::default()
        }
    } else {
        DeploymentStrategy {
            type_: DeploymentStrategyType::RollingUpdate,
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(s.surge.clone()),
                max_unavailable: Some(s.unavailable.clone()),
                ..Default::default()
            }),
            ..Default::default()
        }
    };
    d.spec.revision_history_limit = Some(s.history_limit);
    d.spec.progress_deadline_seconds = Some(600);
    d
}

/// A deterministic shuffle (xorshift-driven Fisher–Yates).
fn shuffled<T: Clone>(items: &[T], mut seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    seed |= 1;
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let j = usize::try_from(seed % (u64::try_from(i).unwrap() + 1)).unwrap();
        v.swap(i, j);
    }
    v
}

struct Cluster {
    now: Time,
    uid: u64,
    d: Deployment,
    rss: Vec<ReplicaSet>,
    pods: Vec<Pod>,
    seed: u64,
    revisions: BTreeMap<String, i64>,
    collision_count: i32,
    /// A scaling event happened since the Deployment last settled.
    scaled: bool,
}

impl Cluster {
    fn new(d: Deployment, seed: u64) -> Self {
        Cluster {
            now: Time::from_unix(1_700_000_000),
            uid: 0,
            d,
            rss: Vec::new(),
            pods: Vec::new(),
            seed,
            revisions: BTreeMap::new(),
            collision_count: 0,
            scaled: false,
        }
    }

    fn next_uid(&mut self) -> String {
        self.uid += 1;
        format!("uid-{}", self.uid)
    }

    fn plan(&self, rss: &[ReplicaSet], pods: &[Pod]) -> deployment::Plan {
        deployment::reconcile(
            &self.d,
            &deployment::Observed::new(rss).with_pods(pods),
            self.now,
        )
        .unwrap()
    }

    /// The Deployment's plan, checked for determinism and input-order independence.
    fn checked_plan(&mut self) -> deployment::Plan {
        let plan = self.plan(&self.rss, &self.pods);
        assert_eq!(
            plan,
            self.plan(&self.rss, &self.pods),
            "same input, same plan"
        );
        self.seed = self
            .seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let rss = shuffled(&self.rss, self.seed);
        let pods = shuffled(&self.pods, self.seed.rotate_left(17));
        assert_eq!(plan, self.plan(&rss, &pods), "shuffled input, same plan");
        plan
    }

    fn apply(&mut self, plan: &deployment::Plan) {
        for a in &plan.actions {
            match a {
                Action::CreateReplicaSet(rs) => {
                    assert!(
                        self.rss.iter().all(|r| r.metadata.name != rs.metadata.name),
                        "created a ReplicaSet whose name exists: {}",
                        rs.metadata.name
                    );
                    let mut rs = rs.clone();
                    rs.metadata.uid = self.next_uid();
                    rs.metadata.creation_timestamp = Some(self.now);
                    rs.metadata.generation = 1;
                    self.rss.push(rs);
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
                Action::DeleteReplicaSet(r) => {
                    self.rss.retain(|x| x.metadata.uid != r.uid);
                    // Garbage collection of its pods.
                    self.pods
                        .retain(|p| p.metadata.controller_ref().is_none_or(|o| o.uid != r.uid));
                }
                Action::UpdateDeploymentStatus(s) => {
                    self.d.status = s.status.clone();
                    self.d.metadata.annotations = s.annotations.clone();
                }
                other => panic!("unexpected action {other:?}"),
            }
        }
    }

    fn reconcile_replica_sets(&mut self) {
        for i in 0..self.rss.len() {
            let rs = self.rss[i].clone();
            let plan =
                replica_set::reconcile(&rs, &replica_set::Observed::new(&self.pods), self.now)
                    .unwrap();
            let mut report = Report::default();
            if let Some(c) = &plan.create {
                for _ in 0..c.count {
                    let mut p = c.pod.clone();
                    p.metadata.uid = self.next_uid();
                    p.metadata.name = format!("{}{}", p.metadata.generate_name, self.uid);
                    p.metadata.creation_timestamp = Some(self.now);
                    p.status.phase = PodPhase::Pending;
                    report.created.push(p.metadata.name.clone());
                    self.pods.push(p);
                }
            }
            for d in &plan.delete {
                self.pods.retain(|p| p.metadata.uid != d.uid);
                report.deleted.push(d.clone());
            }
            if let Some(s) = plan.complete(&report).status {
                self.rss[i].status = s;
            }
        }
    }

    /// Pending pods become Running and Ready one second after creation.
    fn kubelet(&mut self) {
        for p in &mut self.pods {
            if p.status.phase == PodPhase::Pending
                && p.metadata.creation_timestamp.unwrap() < self.now
            {
                p.spec.node_name = "node-1".into();
                p.status.phase = PodPhase::Running;
                p.status.conditions.push(PodCondition {
                    type_: PodConditionType::Ready,
                    status: ConditionStatus::True,
                    last_transition_time: Some(self.now),
                    ..Default::default()
                });
            }
        }
    }

    fn max_surge(&self) -> i32 {
        deployment::util::max_surge(&self.d)
    }

    fn check_invariants(&mut self) {
        // Revisions never decrease.
        for r in &self.rss {
            let rev: i64 = r
                .metadata
                .annotations
                .get(REVISION)
                .map_or(0, |v| v.parse().unwrap());
            let last = self.revisions.entry(r.metadata.uid.clone()).or_insert(rev);
            assert!(rev >= *last, "{}: revision {last} → {rev}", r.metadata.name);
            *last = rev;
        }
        // At most one ReplicaSet has the Deployment's template.
        let matching = self
            .rss
            .iter()
            .filter(|r| equal_ignore_hash(&r.spec.template, &self.d.spec.template))
            .count();
        assert!(matching <= 1, "{matching} ReplicaSets match the template");
        // collisionCount never decreases.
        let cc = self.d.status.collision_count.unwrap_or(0);
        assert!(cc >= self.collision_count);
        self.collision_count = cc;
        // Σ spec ≤ replicas + maxSurge while no scaling event happened.
        let total: i32 = self.rss.iter().map(ReplicaSet::replicas).sum();
        if !self.scaled {
            assert!(
                total <= self.d.replicas() + self.max_surge(),
                "Σ spec {total} > {} + {}",
                self.d.replicas(),
                self.max_surge()
            );
        }
        // Recreate: no pod of one template while a pod of another one runs.
        if self.d.spec.strategy.type_ == DeploymentStrategyType::Recreate {
            let mut images: Vec<&str> = self
                .pods
                .iter()
                .filter(|p| !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed))
                .map(|p| p.spec.containers[0].image.as_str())
                .collect();
            images.sort_unstable();
            images.dedup();
            assert!(images.len() <= 1, "Recreate runs {images:?} together");
        }
        // Settled: the scaling event is over.
        let active = self.rss.iter().filter(|r| r.replicas() > 0).count();
        if active <= 1 && total == self.d.replicas() {
            self.scaled = false;
        }
    }

    fn step(&mut self) -> deployment::Plan {
        let plan = self.checked_plan();
        self.apply(&plan);
        self.check_invariants();
        self.reconcile_replica_sets();
        self.now = self.now.add_seconds(1);
        self.kubelet();
        plan
    }

    fn user(&mut self, a: &UserAction) {
        let d = &mut self.d;
        match a {
            UserAction::Nothing => return,
            UserAction::Scale(n) => {
                if d.spec.replicas != Some(*n) {
                    self.scaled = true;
                }
                d.spec.replicas = Some(*n);
            }
            UserAction::SetImage(n) => d.spec.template.spec.containers[0].image = image(*n),
            UserAction::Pause => d.spec.paused = true,
            UserAction::Resume => d.spec.paused = false,
            UserAction::Rollback(i) => {
                if self.rss.is_empty() {
                    return;
                }
                let rs = &self.rss[i % self.rss.len()];
                let mut t = rs.spec.template.clone();
                t.metadata.labels.shift_remove("pod-template-hash");
                d.spec.template = t;
            }
        }
        d.metadata.generation += 1;
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn deployment_controller_invariants(
        setup in setup(),
        actions in prop::collection::vec((user_action(), 0..4usize), 1..12),
        seed in any::<u64>(),
    ) {
        let mut c = Cluster::new(new_deployment(&setup), seed);
        for _ in 0..3 {
            let _ = c.step();
        }
        for (action, steps) in &actions {
            c.user(action);
            for _ in 0..*steps {
                let _ = c.step();
            }
        }
        // Run to a fixed point.
        let mut settled = false;
        for _ in 0..200 {
            let before = (c.rss.clone(), c.pods.clone());
            let plan = c.step();
            if plan.is_noop() && before == (c.rss.clone(), c.pods.clone()) {
                settled = true;
                break;
            }
        }
        prop_assert!(settled, "no fixed point: {:?}", c.d.status);
        // At the fixed point a reconcile plans nothing, however often it is asked.
        let again = c.checked_plan();
        prop_assert!(again.is_noop(), "{:?}", again.actions);
        prop_assert!(again.events.is_empty());
        // Upstream quirk (kept): when the only active ReplicaSet already has the Deployment's
        // size but a stale desired-replicas annotation, `scale` returns without refreshing it,
        // so every sync is a scaling event and the rollout path (completion condition, history
        // cleanup) never runs again (kubernetes/kubernetes PR #138036, open).
        let stale_scaling_event = c.rss.iter().any(|r| {
            r.replicas() > 0
                && r
                    .metadata
                    .annotations
                    .get("deployment.kubernetes.io/desired-replicas")
                    .and_then(|v| v.parse::<i32>().ok())
                    .is_some_and(|v| v != c.d.replicas())
        });
        if stale_scaling_event {
            // The quirk's shape: one active ReplicaSet, already at the requested size.
            let active: Vec<&ReplicaSet> = c.rss.iter().filter(|r| r.replicas() > 0).collect();
            prop_assert_eq!(active.len(), 1);
            prop_assert_eq!(active[0].replicas(), c.d.replicas());
        } else if !c.d.spec.paused {
            // It is the Deployment's template that runs, at the requested size.
            let new: Vec<&ReplicaSet> = c
                .rss
                .iter()
                .filter(|r| equal_ignore_hash(&r.spec.template, &c.d.spec.template))
                .collect();
            prop_assert_eq!(new.len(), 1);
            prop_assert_eq!(new[0].replicas(), c.d.replicas());
            let others: i32 = c
                .rss
                .iter()
                .filter(|r| !equal_ignore_hash(&r.spec.template, &c.d.spec.template))
                .map(ReplicaSet::replicas)
                .sum();
            prop_assert_eq!(others, 0);
            prop_assert_eq!(c.d.status.updated_replicas, c.d.replicas());
            prop_assert_eq!(c.d.status.observed_generation, c.d.metadata.generation);
            // History is pruned to the limit once complete.
            let old = c
                .rss
                .iter()
                .filter(|r| !equal_ignore_hash(&r.spec.template, &c.d.spec.template))
                .count();
            prop_assert!(old <= usize::try_from(setup.history_limit).unwrap());
            let progressing = c
                .d
                .condition(&kube_workloads::api::DeploymentConditionType::Progressing)
                .unwrap();
            prop_assert_eq!(progressing.reason.as_str(), "NewReplicaSetAvailable");
        }
    }
}

/// An arbitrary ReplicaSet of the namespace: ours, someone else's or an orphan; matching or
/// not; with any revision (garbage included), replica annotations, sizes and statuses.
fn arbitrary_replica_set(index: usize) -> impl Strategy<Value = ReplicaSet> {
    (
        (0..3u8, 0..4u8, 0..6i32, 0..6i32, 0..6i32),
        (
            prop_oneof![
                Just(None),
                (0..6i64).prop_map(|v| Some(v.to_string())),
                Just(Some("garbage".to_owned())),
            ],
            prop::option::of((0..8i32, 0..10i32)),
            0..3u8,
            any::<bool>(),
            0..4i64,
        ),
    )
        .prop_map(
            move |((owner, img, spec, status, available), (rev, repl, matching, deleting, ts))| {
                let mut rs = ReplicaSet::default();
                rs.metadata.name = format!("rs-{index}");
                rs.metadata.namespace = "default".into();
                rs.metadata.uid = format!("rs-uid-{index}");
                rs.metadata.creation_timestamp = Some(Time::from_unix(1_000 + ts));
                rs.metadata.generation = 1;
                match owner {
                    0 => rs
                        .metadata
                        .owner_references
                        .push(kube_workloads::OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "Deployment".into(),
                            name: "web".into(),
                            uid: "uid-web".into(),
                            controller: Some(true),
                            ..Default::default()
                        }),
                    1 => rs
                        .metadata
                        .owner_references
                        .push(kube_workloads::OwnerReference {
                            api_version: "apps/v1".into(),
                            kind: "Deployment".into(),
                            name: "other".into(),
                            uid: "uid-other".into(),
                            controller: Some(true),
                            ..Default::default()
                        }),
                    _ => {}
                }
                let app = if matching == 0 { "elsewhere" } else { "web" };
                rs.metadata.labels.insert("app".into(), app.into());
                rs.spec
                    .template
                    .metadata
                    .labels
                    .insert("app".into(), app.into());
                rs.spec.template.spec.containers.push(Container {
                    name: "nginx".into(),
                    image: image(img),
                    ..Default::default()
                });
                rs.spec.replicas = Some(spec);
                rs.status.replicas = status;
                rs.status.ready_replicas = available.min(status);
                rs.status.available_replicas = available.min(status);
                rs.status.observed_generation = 1;
                if let Some(r) = rev {
                    rs.metadata.annotations.insert(REVISION.into(), r);
                }
                if let Some((desired, max)) = repl {
                    rs.metadata.annotations.insert(
                        "deployment.kubernetes.io/desired-replicas".into(),
                        desired.to_string(),
                    );
                    rs.metadata.annotations.insert(
                        "deployment.kubernetes.io/max-replicas".into(),
                        max.to_string(),
                    );
                }
                if deleting {
                    rs.metadata.deletion_timestamp = Some(Time::from_unix(2_000));
                }
                rs
            },
        )
}

fn arbitrary_deployment() -> impl Strategy<Value = Deployment> {
    (
        setup(),
        (
            0..4u8,
            any::<bool>(),
            prop::option::of(-1..4i64),
            any::<bool>(),
        ),
        (
            prop::option::of(0..3i32),
            0..4i64,
            prop::option::of(0..3i32),
        ),
    )
        .prop_map(
            |(s, (img, paused, rollback_to, deleting), (collisions, age, pds))| {
                let mut d = new_deployment(&s);
                d.spec.template.spec.containers[0].image = image(img);
                d.spec.paused = paused;
                if let Some(r) = rollback_to {
                    d.metadata
                        .annotations
                        .insert("deprecated.deployment.rollback.to".into(), r.to_string());
                }
                if deleting {
                    d.metadata.deletion_timestamp = Some(Time::from_unix(2_000));
                }
                d.status.collision_count = collisions;
                d.spec.progress_deadline_seconds = pds.map(|p| p * 30);
                d.status
                    .conditions
                    .push(kube_workloads::api::DeploymentCondition {
                        type_: kube_workloads::api::DeploymentConditionType::Progressing,
                        status: ConditionStatus::True,
                        reason: "ReplicaSetUpdated".into(),
                        last_update_time: Some(Time::from_unix(1_000 + age * 20)),
                        last_transition_time: Some(Time::from_unix(1_000)),
                        ..Default::default()
                    });
                d
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// Any snapshot, reachable or not: reconcile never panics, and its plan depends on the
    /// objects only, not on the order of the slices.
    #[test]
    fn any_snapshot_gives_one_plan(
        d in arbitrary_deployment(),
        rss in (0..7usize).prop_flat_map(|n| {
            (0..n).map(arbitrary_replica_set).collect::<Vec<_>>()
        }),
        now in 1_000..1_200i64,
        seed in any::<u64>(),
    ) {
        let now = Time::from_unix(now);
        let plan = deployment::reconcile(&d, &deployment::Observed::new(&rss), now);
        let again = deployment::reconcile(&d, &deployment::Observed::new(&rss), now);
        prop_assert_eq!(&plan, &again);
        let shuffled_rss = shuffled(&rss, seed);
        let shuffled_plan = deployment::reconcile(&d, &deployment::Observed::new(&shuffled_rss), now);
        prop_assert_eq!(&plan, &shuffled_plan);
        if let Ok(plan) = plan {
            // Never a write to a ReplicaSet another controller owns.
            for a in &plan.actions {
                let name = match a {
                    Action::UpdateReplicaSet(r) => r.metadata.name.clone(),
                    Action::DeleteReplicaSet(r)
                    | Action::AdoptReplicaSet(r)
                    | Action::ReleaseReplicaSet(r) => r.name.clone(),
                    _ => continue,
                };
                let target = rss.iter().find(|r| r.metadata.name == name).unwrap();
                let owner = target.metadata.controller_ref().map(|o| o.uid.as_str());
                prop_assert!(owner != Some("uid-other"), "touched {name}: {a:?}");
            }
        }
    }
}
