//! Property tests of the ReplicaSet controller over random ReplicaSets and pod sets: pods that
//! are owned, orphaned, owned by a sibling ReplicaSet or by something else, in other namespaces,
//! in every phase, ready or not since various times, terminating, on various nodes, with labels
//! that match or not, deletion costs (valid and invalid), restarts and creation times.
//!
//! Claims checked (DESIGN.md "Key contracts", reference §2.3–§2.5):
//! - equal inputs give equal plans, and the order of the pods (and ReplicaSets) never matters;
//! - a plan never both creates and deletes, and does at most 500 of either;
//! - claims (adopt / release) and the create / delete counts are upstream's;
//! - only claimed active pods are deleted, and they are the first `n` of the ranking
//!   ([`pods::pods_to_delete`]): every deleted pod ranks at or before every kept one;
//! - carrying a plan out and reconciling again reaches a fixed point with no actions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use proptest::prelude::*;

use kube_workloads::api::{
    ConditionStatus, Container, ContainerStatus, PodCondition, PodConditionType, PodPhase,
    ReplicaSetCondition,
};
use kube_workloads::meta::{LabelSelectorOperator, LabelSelectorRequirement};
use kube_workloads::pods;
use kube_workloads::replica_set::{self, Observed, Plan, Report};
use kube_workloads::selector::Selector;
use kube_workloads::{LabelSelector, Labels, OwnerReference, Pod, ReplicaSet, Time};

const NAMESPACE: &str = "default";
const RS_UID: &str = "uid-rs";
const SIBLING_UID: &str = "uid-sibling";
const DEPLOYMENT_UID: &str = "uid-deployment";

fn now() -> Time {
    Time::from_unix(1_700_000_000)
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn controller(kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generated inputs

/// Label values from a small domain so that selectors match some pods and not others.
#[derive(Clone, Debug)]
struct LabelCase {
    app: Option<&'static str>,
    tier: Option<&'static str>,
    track: Option<&'static str>,
}

impl LabelCase {
    fn labels(&self) -> Labels {
        let mut l = Labels::new();
        for (k, v) in [
            ("app", self.app),
            ("tier", self.tier),
            ("track", self.track),
        ] {
            if let Some(v) = v {
                l.insert(k.into(), v.into());
            }
        }
        l
    }
}

fn label_case() -> impl Strategy<Value = LabelCase> {
    (
        prop_oneof![3 => Just(Some("web")), 1 => Just(Some("api")), 1 => Just(None)],
        prop::option::of(prop_oneof![Just("front"), Just("back")]),
        prop::option::of(prop_oneof![Just("stable"), Just("canary")]),
    )
        .prop_map(|(app, tier, track)| LabelCase { app, tier, track })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    /// Controlled by the ReplicaSet under test.
    Ours,
    /// No controller (possibly a non-controller owner reference).
    Orphan,
    /// Controlled by a sibling ReplicaSet of the same Deployment.
    Sibling,
    /// Controlled by something else.
    Stranger,
    /// Controlled by the ReplicaSet under test, but in another namespace.
    OursElsewhere,
    /// No controller, in another namespace.
    OrphanElsewhere,
}

#[derive(Clone, Debug)]
struct PodCase {
    owner: Owner,
    non_controller_owner: bool,
    labels: LabelCase,
    phase: PodPhase,
    /// The Ready condition: status and optional lastTransitionTime offset (seconds).
    ready: Option<(ConditionStatus, Option<i64>)>,
    terminating: bool,
    node: &'static str,
    cost: Option<&'static str>,
    created: Option<i64>,
    restarts: i32,
    /// Makes UID order differ from name order.
    uid_key: u16,
}

fn phase() -> impl Strategy<Value = PodPhase> {
    prop_oneof![
        2 => Just(PodPhase::Pending),
        6 => Just(PodPhase::Running),
        1 => Just(PodPhase::Succeeded),
        1 => Just(PodPhase::Failed),
        1 => Just(PodPhase::Unknown),
        1 => Just(PodPhase::Other(String::new())),
    ]
}

/// Offsets (seconds before `now`, a few after) chosen to hit equal times, equal log2 buckets
/// and different buckets.
fn offset() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(-1),
        Just(-10),
        Just(-11),
        Just(-60),
        Just(-3_600),
        Just(-5 * 3_600),
        Just(-8 * 3_600),
        Just(-30 * 86_400),
        Just(5),
        -100_000i64..0,
    ]
}

fn pod_case() -> impl Strategy<Value = PodCase> {
    (
        (
            prop_oneof![
                8 => Just(Owner::Ours),
                4 => Just(Owner::Orphan),
                2 => Just(Owner::Sibling),
                1 => Just(Owner::Stranger),
                1 => Just(Owner::OursElsewhere),
                1 => Just(Owner::OrphanElsewhere),
            ],
            prop::bool::weighted(0.1),
            label_case(),
            phase(),
        ),
        (
            prop::option::weighted(
                0.8,
                (
                    prop_oneof![
                        4 => Just(ConditionStatus::True),
                        1 => Just(ConditionStatus::False),
                        1 => Just(ConditionStatus::Unknown),
                    ],
                    prop::option::weighted(0.8, offset()),
                ),
            ),
            prop::bool::weighted(0.1),
            prop_oneof![Just(""), Just("node-1"), Just("node-2"), Just("node-3")],
        ),
        (
            prop::option::weighted(
                0.3,
                prop_oneof![
                    Just("0"),
                    Just("10"),
                    Just("100"),
                    Just("-5"),
                    Just("-008"),
                    Just("+3"),
                    Just("008"),
                    Just("abc"),
                    Just(""),
                    Just("99999999999"),
                ],
            ),
            prop::option::weighted(0.8, offset()),
            prop_oneof![4 => Just(0), 1 => 1..4i32],
            any::<u16>(),
        ),
    )
        .prop_map(
            |(
                (owner, non_controller_owner, labels, phase),
                (ready, terminating, node),
                (cost, created, restarts, uid_key),
            )| PodCase {
                owner,
                non_controller_owner,
                labels,
                phase,
                ready,
                terminating,
                node,
                cost,
                created,
                restarts,
                uid_key,
            },
        )
}

fn build_pod(i: usize, case: &PodCase) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = format!("web-{i:03}");
    p.metadata.uid = format!("uid-{:05}-{i:03}", case.uid_key);
    p.metadata.namespace = match case.owner {
        Owner::OursElsewhere | Owner::OrphanElsewhere => "elsewhere".into(),
        _ => NAMESPACE.into(),
    };
    if case.non_controller_owner {
        let mut r = controller("ConfigMap", "cm", "uid-cm");
        r.controller = None;
        p.metadata.owner_references.push(r);
    }
    match case.owner {
        Owner::Ours | Owner::OursElsewhere => {
            p.metadata
                .owner_references
                .push(controller("ReplicaSet", "web", RS_UID))
        }
        Owner::Sibling => {
            p.metadata
                .owner_references
                .push(controller("ReplicaSet", "web-old", SIBLING_UID))
        }
        Owner::Stranger => {
            p.metadata
                .owner_references
                .push(controller("StatefulSet", "db", "uid-stranger"))
        }
        Owner::Orphan | Owner::OrphanElsewhere => {}
    }
    p.metadata.labels = case.labels.labels();
    if let Some(cost) = case.cost {
        p.metadata
            .annotations
            .insert(pods::POD_DELETION_COST.into(), cost.into());
    }
    p.metadata.creation_timestamp = case.created.map(|s| now().add_seconds(s));
    if case.terminating {
        p.metadata.deletion_timestamp = Some(now());
    }
    p.spec.node_name = case.node.into();
    p.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx:1.16".into(),
        ..Container::default()
    });
    p.status.phase = case.phase.clone();
    p.status.conditions.push(PodCondition {
        type_: PodConditionType::PodScheduled,
        status: ConditionStatus::True,
        ..PodCondition::default()
    });
    if let Some((status, since)) = &case.ready {
        p.status.conditions.push(PodCondition {
            type_: PodConditionType::Ready,
            status: status.clone(),
            last_transition_time: since.map(|s| now().add_seconds(s)),
            ..PodCondition::default()
        });
    }
    p.status.container_statuses.push(ContainerStatus {
        name: "nginx".into(),
        restart_count: case.restarts,
        ..ContainerStatus::default()
    });
    p
}

#[derive(Clone, Debug)]
struct RsCase {
    replicas: i32,
    min_ready_seconds: i32,
    template: LabelCase,
    /// Extra requirements; those the template does not satisfy are dropped.
    expressions: Vec<(usize, usize)>,
    empty_selector: bool,
    deleting: bool,
    owned_by_deployment: bool,
    generation: i64,
    observed_generation: i64,
    old_replicas: i32,
    replica_failure: bool,
    expectations_satisfied: bool,
}

fn rs_case() -> impl Strategy<Value = RsCase> {
    (
        (
            prop_oneof![8 => 0..40i32, 1 => 400..1_200i32],
            prop_oneof![Just(0), Just(10), Just(3_600)],
            label_case().prop_map(|mut l| {
                l.app = Some("web");
                l
            }),
            prop::collection::vec((0..4usize, 0..3usize), 0..3),
            prop::bool::weighted(0.05),
            prop::bool::weighted(0.1),
        ),
        (
            prop::bool::weighted(0.7),
            1..4i64,
            0..4i64,
            0..5i32,
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.9),
        ),
    )
        .prop_map(
            |(
                (replicas, min_ready_seconds, template, expressions, empty_selector, deleting),
                (
                    owned_by_deployment,
                    generation,
                    observed_generation,
                    old_replicas,
                    replica_failure,
                    expectations_satisfied,
                ),
            )| RsCase {
                replicas,
                min_ready_seconds,
                template,
                expressions,
                empty_selector,
                deleting,
                owned_by_deployment,
                generation,
                observed_generation,
                old_replicas,
                replica_failure,
                expectations_satisfied,
            },
        )
}

fn requirement(key: usize, op: usize) -> LabelSelectorRequirement {
    let key = ["tier", "track", "app", "zone"][key];
    let (operator, values) = match op {
        0 => (
            LabelSelectorOperator::In,
            vec!["front".into(), "stable".into(), "web".into()],
        ),
        1 => (LabelSelectorOperator::NotIn, vec!["canary".into()]),
        _ => (LabelSelectorOperator::DoesNotExist, Vec::new()),
    };
    LabelSelectorRequirement {
        key: key.into(),
        operator,
        values,
        ..LabelSelectorRequirement::default()
    }
}

fn build_rs(case: &RsCase) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "web".into();
    rs.metadata.namespace = NAMESPACE.into();
    rs.metadata.uid = RS_UID.into();
    rs.metadata.generation = case.generation;
    if case.deleting {
        rs.metadata.deletion_timestamp = Some(now().add_seconds(-1));
    }
    if case.owned_by_deployment {
        rs.metadata
            .owner_references
            .push(controller("Deployment", "web", DEPLOYMENT_UID));
    }
    rs.spec.replicas = Some(case.replicas);
    rs.spec.min_ready_seconds = case.min_ready_seconds;
    let template = case.template.labels();
    let mut selector = LabelSelector::default();
    if !case.empty_selector {
        selector.match_labels = labels(&[("app", "web")]);
        if let Some(tier) = case.template.tier {
            selector.match_labels.insert("tier".into(), tier.into());
        }
        for &(key, op) in &case.expressions {
            let req = requirement(key, op);
            let one = LabelSelector {
                match_expressions: vec![req.clone()],
                ..LabelSelector::default()
            };
            if Selector::compile(Some(&one)).unwrap().matches(&template) {
                selector.match_expressions.push(req);
            }
        }
    }
    rs.spec.selector = Some(selector);
    rs.spec.template.metadata.labels = template;
    rs.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx:1.16".into(),
        ..Container::default()
    });
    rs.status.observed_generation = case.observed_generation;
    rs.status.replicas = case.old_replicas;
    if case.replica_failure {
        rs.status.conditions.push(ReplicaSetCondition {
            type_: "ReplicaFailure".into(),
            status: ConditionStatus::True,
            reason: "FailedCreate".into(),
            ..ReplicaSetCondition::default()
        });
    }
    rs
}

/// The ReplicaSets of the namespace: ours, a sibling of the same Deployment (selecting the
/// canary track), and an unrelated one.
fn replica_sets(rs: &ReplicaSet) -> Vec<ReplicaSet> {
    let mut sibling = ReplicaSet::default();
    sibling.metadata.name = "web-old".into();
    sibling.metadata.namespace = NAMESPACE.into();
    sibling.metadata.uid = SIBLING_UID.into();
    sibling
        .metadata
        .owner_references
        .push(controller("Deployment", "web", DEPLOYMENT_UID));
    sibling.spec.selector = Some(LabelSelector::from_labels([
        ("app", "web"),
        ("track", "canary"),
    ]));
    let mut unrelated = ReplicaSet::default();
    unrelated.metadata.name = "api".into();
    unrelated.metadata.namespace = NAMESPACE.into();
    unrelated.metadata.uid = "uid-api".into();
    unrelated.spec.selector = Some(LabelSelector::from_labels([("app", "api")]));
    vec![rs.clone(), sibling, unrelated]
}

#[derive(Clone, Debug)]
struct Scenario {
    rs: ReplicaSet,
    pods: Vec<Pod>,
    expectations_satisfied: bool,
    /// A permutation of the pods' indices.
    permutation: Vec<usize>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (rs_case(), prop::collection::vec(pod_case(), 0..40))
        .prop_flat_map(|(rs_case, pod_cases)| {
            let n = pod_cases.len();
            (
                Just(rs_case),
                Just(pod_cases),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(rs_case, pod_cases, permutation)| Scenario {
            rs: build_rs(&rs_case),
            pods: pod_cases
                .iter()
                .enumerate()
                .map(|(i, c)| build_pod(i, c))
                .collect(),
            expectations_satisfied: rs_case.expectations_satisfied,
            permutation,
        })
}

// ---------------------------------------------------------------------------------------------
// Oracles, written from the reference (§2.3, §2.4, §2.5) rather than from the implementation

fn selector(rs: &ReplicaSet) -> Selector<'_> {
    Selector::compile(rs.spec.selector.as_ref()).unwrap()
}

fn controller_uid(p: &Pod) -> Option<&str> {
    p.metadata.controller_ref().map(|r| r.uid.as_str())
}

fn in_scope(rs: &ReplicaSet, p: &Pod) -> bool {
    p.metadata.namespace == rs.metadata.namespace && pods::is_active(p)
}

fn owned_and_matching(rs: &ReplicaSet, p: &Pod) -> bool {
    in_scope(rs, p)
        && controller_uid(p) == Some(rs.metadata.uid.as_str())
        && selector(rs).matches(&p.metadata.labels)
}

fn adoptable(rs: &ReplicaSet, p: &Pod) -> bool {
    in_scope(rs, p)
        && controller_uid(p).is_none()
        && rs.metadata.deletion_timestamp.is_none()
        && selector(rs).matches(&p.metadata.labels)
}

fn releasable(rs: &ReplicaSet, p: &Pod) -> bool {
    in_scope(rs, p)
        && controller_uid(p) == Some(rs.metadata.uid.as_str())
        && rs.metadata.deletion_timestamp.is_none()
        && !selector(rs).matches(&p.metadata.labels)
}

/// Upstream's claimed active pods (the owned ones plus the orphans the plan adopts), in input
/// order.
fn claimed_pods<'p>(rs: &ReplicaSet, pods: &'p [Pod]) -> Vec<&'p Pod> {
    pods.iter()
        .filter(|p| owned_and_matching(rs, p) || adoptable(rs, p))
        .collect()
}

/// The pods colocation ranks count (§2.5 step 2): those of the namespace matching the selector
/// of any ReplicaSet with the same controller as ours; none for a ReplicaSet without one.
fn related<'p>(rs: &ReplicaSet, rss: &[ReplicaSet], pods: &'p [Pod]) -> Vec<&'p Pod> {
    let Some(owner) = rs.metadata.controller_ref() else {
        return Vec::new();
    };
    let selectors: Vec<Selector<'_>> = rss
        .iter()
        .filter(|r| {
            r.metadata.namespace == rs.metadata.namespace
                && r.metadata.controller_ref().map(|o| &o.uid) == Some(&owner.uid)
        })
        .map(|r| Selector::compile(r.spec.selector.as_ref()).unwrap())
        .collect();
    pods.iter()
        .filter(|p| {
            p.metadata.namespace == rs.metadata.namespace
                && selectors.iter().any(|s| s.matches(&p.metadata.labels))
        })
        .collect()
}

fn uids<'a>(pods: impl IntoIterator<Item = &'a Pod>) -> Vec<String> {
    pods.into_iter().map(|p| p.metadata.uid.clone()).collect()
}

fn plan_for(s: &Scenario, pods: &[Pod], rss: &[ReplicaSet]) -> Plan {
    let observed = Observed::new(pods)
        .with_replica_sets(rss)
        .with_expectations_satisfied(s.expectations_satisfied);
    replica_set::reconcile(&s.rs, &observed, now()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// A tiny executor: the caller's side of the contract

/// Carries a plan out against `pods`, as a store whose every write succeeds: adoption and
/// release patch owner references, creations get fresh names and UIDs, deletions remove the
/// pod. The completion's status is written back to `rs`.
fn execute(plan: &Plan, rs: &mut ReplicaSet, pods: &mut Vec<Pod>, next: &mut usize) {
    let mut report = Report::default();
    for a in &plan.adopt {
        let p = pods.iter_mut().find(|p| p.metadata.uid == a.uid).unwrap();
        assert!(
            p.metadata.controller_ref().is_none(),
            "adopting a controlled pod"
        );
        p.metadata
            .owner_references
            .push(plan.controller_ref.clone());
    }
    for r in &plan.release {
        let p = pods.iter_mut().find(|p| p.metadata.uid == r.uid).unwrap();
        p.metadata
            .owner_references
            .retain(|o| o.uid != plan.controller_ref.uid);
    }
    if let Some(create) = &plan.create {
        for _ in 0..create.count {
            let mut p = create.pod.clone();
            p.metadata.name = format!("{}{:05}", create.pod.metadata.generate_name, *next);
            p.metadata.uid = format!("uid-created-{:05}", *next);
            p.metadata.creation_timestamp = Some(now());
            *next += 1;
            report.created.push(p.metadata.name.clone());
            pods.push(p);
        }
    }
    for d in &plan.delete {
        let before = pods.len();
        pods.retain(|p| p.metadata.uid != d.uid);
        assert_eq!(pods.len(), before - 1, "deleting a pod that does not exist");
        report.deleted.push(d.clone());
    }
    let done = plan.complete(&report);
    assert_eq!(done.status, plan.status, "an all-success completion");
    assert_eq!(done.requeue, plan.requeue);
    assert_eq!(
        done.events.len(),
        report.created.len() + report.deleted.len()
    );
    if let Some(status) = done.status {
        rs.status = status;
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(support::cases(128))]

    #[test]
    fn equal_inputs_give_equal_plans_whatever_the_order(s in scenario()) {
        let rss = replica_sets(&s.rs);
        let plan = plan_for(&s, &s.pods, &rss);
        prop_assert_eq!(&plan, &plan_for(&s, &s.pods, &rss));
        let shuffled: Vec<Pod> = s.permutation.iter().map(|&i| s.pods[i].clone()).collect();
        let mut rss_reversed = rss.clone();
        rss_reversed.reverse();
        prop_assert_eq!(&plan, &plan_for(&s, &shuffled, &rss_reversed));
    }

    #[test]
    fn claims_and_counts_are_upstreams(s in scenario()) {
        let rs = &s.rs;
        let rss = replica_sets(rs);
        let plan = plan_for(&s, &s.pods, &rss);

        let mut adopt: Vec<&Pod> = s.pods.iter().filter(|p| adoptable(rs, p)).collect();
        adopt.sort_by(|a, b| (&a.metadata.name, &a.metadata.uid).cmp(&(&b.metadata.name, &b.metadata.uid)));
        let mut release: Vec<&Pod> = s.pods.iter().filter(|p| releasable(rs, p)).collect();
        release.sort_by(|a, b| (&a.metadata.name, &a.metadata.uid).cmp(&(&b.metadata.name, &b.metadata.uid)));
        prop_assert_eq!(plan.adopt.iter().map(|r| r.uid.clone()).collect::<Vec<_>>(), uids(adopt));
        prop_assert_eq!(plan.release.iter().map(|r| r.uid.clone()).collect::<Vec<_>>(), uids(release));

        let claimed = claimed_pods(rs, &s.pods).len();
        let desired = usize::try_from(rs.replicas()).unwrap();
        let acts = s.expectations_satisfied && rs.metadata.deletion_timestamp.is_none();
        let creates = plan.create.as_ref().map_or(0, |c| c.count);
        prop_assert!(creates == 0 || plan.delete.is_empty(), "both creates and deletes");
        prop_assert!(creates <= 500 && plan.delete.len() <= 500);
        let want_creates = if acts { desired.saturating_sub(claimed).min(500) } else { 0 };
        let want_deletes = if acts { claimed.saturating_sub(desired).min(500) } else { 0 };
        prop_assert_eq!(creates, want_creates);
        prop_assert_eq!(plan.delete.len(), want_deletes);
        prop_assert_eq!(plan.create.is_some(), want_creates > 0, "no empty create");

        if let Some(status) = &plan.status {
            prop_assert_eq!(status.observed_generation, rs.metadata.generation);
        }
        // calculateStatus over the claimed active pods (a skipped write means the old status
        // already holds these numbers).
        let status = plan.status.as_ref().unwrap_or(&rs.status);
        let claimed = claimed_pods(rs, &s.pods);
        let template = &rs.spec.template.metadata.labels;
        let count = |f: &dyn Fn(&Pod) -> bool| {
            i32::try_from(claimed.iter().filter(|p| f(p)).count()).unwrap()
        };
        prop_assert_eq!(status.replicas, count(&|_| true));
        prop_assert_eq!(
            status.fully_labeled_replicas,
            count(&|p| template.iter().all(|(k, v)| p.metadata.labels.get(k) == Some(v)))
        );
        prop_assert_eq!(status.ready_replicas, count(&|p| pods::is_ready(p)));
        prop_assert_eq!(
            status.available_replicas,
            count(&|p| pods::is_available(p, rs.spec.min_ready_seconds, now()))
        );
    }

    #[test]
    fn only_claimed_active_pods_are_deleted_and_they_rank_first(s in scenario()) {
        let rs = &s.rs;
        let rss = replica_sets(rs);
        let plan = plan_for(&s, &s.pods, &rss);
        let claimed = claimed_pods(rs, &s.pods);
        let claimed_uids: BTreeSet<&str> =
            claimed.iter().map(|p| p.metadata.uid.as_str()).collect();
        for d in &plan.delete {
            prop_assert!(claimed_uids.contains(d.uid.as_str()), "deletes unclaimed {:?}", d);
            prop_assert_eq!(&d.namespace, &rs.metadata.namespace);
        }
        let deleted: BTreeSet<&str> = plan.delete.iter().map(|d| d.uid.as_str()).collect();
        prop_assert_eq!(deleted.len(), plan.delete.len(), "a pod deleted twice");
        if plan.delete.is_empty() {
            return Ok(());
        }

        // The first n of the ranking, through the public ranking API.
        let related = related(rs, &rss, &s.pods);
        let n = plan.delete.len();
        let ranked = pods::pods_to_delete(&claimed, &related, n, now());
        prop_assert_eq!(
            plan.delete.iter().map(|d| d.uid.clone()).collect::<Vec<_>>(),
            uids(ranked)
        );

        // Pairwise: no kept pod ranks strictly before a deleted one.
        let by_uid = |uid: &str| *claimed.iter().find(|p| p.metadata.uid == uid).unwrap();
        for d in &plan.delete {
            let d = by_uid(&d.uid);
            for k in claimed.iter().filter(|p| !deleted.contains(p.metadata.uid.as_str())) {
                let first = pods::pods_to_delete(&[*k, d], &related, 1, now());
                prop_assert_eq!(
                    &first[0].metadata.uid, &d.metadata.uid,
                    "kept {} ranks before deleted {}", k.metadata.name, d.metadata.name
                );
            }
        }
    }

    #[test]
    fn carrying_plans_out_reaches_a_fixed_point(s in scenario()) {
        let mut rs = s.rs.clone();
        let mut pods = s.pods.clone();
        let mut next = 0;
        let rounds = 8;
        let mut reached = false;
        for _ in 0..rounds {
            let rss = replica_sets(&rs);
            let observed = Observed::new(&pods)
                .with_replica_sets(&rss)
                .with_expectations_satisfied(s.expectations_satisfied);
            let plan = replica_set::reconcile(&rs, &observed, now()).unwrap();
            if plan.is_noop() {
                prop_assert_eq!(plan.complete(&Report::default()).status, None);
                reached = true;
                break;
            }
            execute(&plan, &mut rs, &mut pods, &mut next);
        }
        prop_assert!(reached, "no fixed point after {} rounds", rounds);

        // At the fixed point: nothing left to claim, and (when allowed to act) the desired count.
        prop_assert!(!pods.iter().any(|p| adoptable(&rs, p) || releasable(&rs, p)));
        let claimed = claimed_pods(&rs, &pods).len();
        prop_assert_eq!(usize::try_from(rs.status.replicas).unwrap(), claimed);
        prop_assert_eq!(rs.status.observed_generation, rs.metadata.generation);
        if s.expectations_satisfied && rs.metadata.deletion_timestamp.is_none() {
            prop_assert_eq!(claimed, usize::try_from(rs.replicas()).unwrap());
            prop_assert!(!rs.status.conditions.iter().any(|c| c.type_ == "ReplicaFailure"));
        }
    }
}

/// Bulk owned pods, to reach the 500 cap on deletions as well as creations.
fn bulk(n: usize, rs: &ReplicaSet) -> Vec<Pod> {
    (0..n)
        .map(|i| {
            let mut p = build_pod(
                i,
                &PodCase {
                    owner: if i % 7 == 0 {
                        Owner::Orphan
                    } else {
                        Owner::Ours
                    },
                    non_controller_owner: false,
                    labels: rs_labels(),
                    phase: PodPhase::Running,
                    ready: Some((ConditionStatus::True, Some(-60 - i64::try_from(i).unwrap()))),
                    terminating: i % 11 == 0,
                    node: ["node-1", "node-2", ""][i % 3],
                    cost: None,
                    created: Some(-3_600),
                    restarts: 0,
                    uid_key: u16::try_from(i * 7_919 % 65_536).unwrap(),
                },
            );
            p.metadata.labels = rs.spec.template.metadata.labels.clone();
            p
        })
        .collect()
}

fn rs_labels() -> LabelCase {
    LabelCase {
        app: Some("web"),
        tier: None,
        track: None,
    }
}

proptest! {
    #![proptest_config(support::cases(64))]

    #[test]
    fn bursts_never_exceed_500(pods in 0..1_300usize, replicas in 0..1_300i32) {
        let mut case = rs_case_default();
        case.replicas = replicas;
        let rs = build_rs(&case);
        let pods = bulk(pods, &rs);
        let plan = replica_set::reconcile(&rs, &Observed::new(&pods), now()).unwrap();
        let claimed = claimed_pods(&rs, &pods).len();
        let desired = usize::try_from(replicas).unwrap();
        let creates = plan.create.as_ref().map_or(0, |c| c.count);
        prop_assert!(creates == 0 || plan.delete.is_empty());
        prop_assert_eq!(creates, desired.saturating_sub(claimed).min(500));
        prop_assert_eq!(plan.delete.len(), claimed.saturating_sub(desired).min(500));
        if let Some(c) = &plan.create {
            prop_assert_eq!(c.batches().sum::<usize>(), c.count);
        }
    }
}

fn rs_case_default() -> RsCase {
    RsCase {
        replicas: 0,
        min_ready_seconds: 0,
        template: rs_labels(),
        expressions: Vec::new(),
        empty_selector: false,
        deleting: false,
        owned_by_deployment: false,
        generation: 1,
        observed_generation: 0,
        old_replicas: 0,
        replica_failure: false,
        expectations_satisfied: true,
    }
}
