//! The v1.32 deletion order: upstream's test tables (`TestSortingActivePodsWithRanks`,
//! `TestSortingActivePods`, `TestGetPodsToDelete`, the kubectl sidecar case), cases derived from
//! the rules, the documented deviation (a total order), and properties.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::cmp::Ordering;

use kube_workloads::api::{
    ConditionStatus, Container, ContainerRestartPolicy, ContainerStatus, Pod, PodCondition,
    PodConditionType, PodPhase,
};
use kube_workloads::pods::{
    POD_DELETION_COST, RankingGates, active_pods_with_ranks_less, colocation_ranks,
    compare_active_pods, deletion_ranks, pods_to_delete, select_for_deletion,
};
use kube_workloads::time::Time;
use proptest::prelude::*;

fn now() -> Time {
    Time::from_ymd_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn hours_ago(h: i64) -> Time {
    now().add_seconds(-h * 3600)
}

/// `now` minus one calendar month, as upstream's `then1Month`.
fn month_ago() -> Time {
    Time::from_ymd_hms(2024, 4, 1, 12, 0, 0).unwrap()
}

fn pod(name: &str, node: &str, phase: PodPhase) -> Pod {
    let mut p = Pod::default();
    p.metadata.name = name.into();
    p.spec.node_name = node.into();
    p.status.phase = phase;
    p
}

fn with_ready(mut p: Pod, since: Option<Time>) -> Pod {
    p.status.conditions.push(PodCondition {
        type_: PodConditionType::Ready,
        status: ConditionStatus::True,
        last_transition_time: since,
        ..Default::default()
    });
    p
}

fn with_restarts(mut p: Pod, counts: &[i32]) -> Pod {
    for (i, &c) in counts.iter().enumerate() {
        p.status.container_statuses.push(ContainerStatus {
            name: format!("c{i}"),
            restart_count: c,
            ..Default::default()
        });
    }
    p
}

fn with_init(mut p: Pod, name: &str, sidecar: bool, restarts: i32) -> Pod {
    p.spec.init_containers.push(Container {
        name: name.into(),
        restart_policy: sidecar.then_some(ContainerRestartPolicy::Always),
        ..Default::default()
    });
    p.status.init_container_statuses.push(ContainerStatus {
        name: name.into(),
        restart_count: restarts,
        ..Default::default()
    });
    p
}

fn created(mut p: Pod, t: Time) -> Pod {
    p.metadata.creation_timestamp = Some(t);
    p
}

fn cost(mut p: Pod, v: &str) -> Pod {
    p.metadata
        .annotations
        .insert(POD_DELETION_COST.into(), v.into());
    p
}

fn uid(mut p: Pod, u: &str) -> Pod {
    p.metadata.uid = u.into();
    p
}

/// A running, ready pod with one container.
fn ready_pod(name: &str, node: &str, since: Option<Time>, restarts: i32) -> Pod {
    with_restarts(
        with_ready(pod(name, node, PodPhase::Running), since),
        &[restarts],
    )
}

fn names(pods: &[&Pod]) -> Vec<String> {
    pods.iter().map(|p| p.metadata.name.clone()).collect()
}

/// The pods of `TestSortingActivePodsWithRanks` (reference §3.5), by name.
fn ranked_fixture(name: &str) -> Pod {
    let (now, month) = (now(), month_ago());
    match name {
        "unscheduled" => pod(name, "", PodPhase::Pending),
        "pending" => pod(name, "node", PodPhase::Pending),
        "unknown-phase" => pod(name, "node", PodPhase::Unknown),
        "not-ready" => pod(name, "node", PodPhase::Running),
        "ready-no-last-transition-time" => ready_pod(name, "node", None, 0),
        "ready-now" => created(ready_pod(name, "node", Some(now), 0), now),
        "ready-then" => created(ready_pod(name, "node", Some(month), 0), month),
        "ready-high-restarts" => created(ready_pod(name, "node", Some(now), 9001), now),
        "ready-now-created-then" => created(ready_pod(name, "node", Some(now), 0), month),
        "low-deletion-cost" => cost(created(ready_pod(name, "node", Some(now), 0), month), "10"),
        "high-deletion-cost" => cost(created(ready_pod(name, "node", Some(now), 0), month), "100"),
        "unscheduled-5-hours" => created(pod(name, "", PodPhase::Pending), hours_ago(5)),
        // Upstream's "10 hours" pods use then8h (sic).
        "unscheduled-10-hours" => created(pod(name, "", PodPhase::Pending), hours_ago(8)),
        "ready-2-hours" => created(ready_pod(name, "", Some(hours_ago(2)), 0), month),
        "ready-5-hours" => created(ready_pod(name, "", Some(hours_ago(5)), 0), month),
        "ready-10-hours" => created(ready_pod(name, "", Some(hours_ago(8)), 0), month),
        other => panic!("no fixture {other}"),
    }
}

/// Asserts that `lesser` is deleted before `greater`, both by upstream's pairwise `Less` and by
/// this crate's total order, whatever the input order.
fn assert_before(lesser: &Pod, rank_l: usize, greater: &Pod, rank_g: usize, gates: RankingGates) {
    let ctx = format!(
        "{} ({rank_l}) < {} ({rank_g})",
        lesser.metadata.name, greater.metadata.name
    );
    assert!(
        active_pods_with_ranks_less(lesser, rank_l, greater, rank_g, now(), gates),
        "upstream Less: {ctx}"
    );
    assert!(
        !active_pods_with_ranks_less(greater, rank_g, lesser, rank_l, now(), gates),
        "upstream Less reversed: {ctx}"
    );
    let keys = deletion_ranks(&[lesser, greater], &[rank_l, rank_g], now(), gates);
    assert!(keys[0] < keys[1], "total order: {ctx}");
    let keys = deletion_ranks(&[greater, lesser], &[rank_g, rank_l], now(), gates);
    assert!(keys[1] < keys[0], "total order, swapped input: {ctx}");
    let first = select_for_deletion(&[greater, lesser], &[rank_g, rank_l], 1, now(), gates);
    assert_eq!(first, [1], "selection: {ctx}");
}

#[test]
fn sorting_active_pods_with_ranks_equivalences() {
    let gates = RankingGates::default();
    let itself = [
        "unscheduled",
        "pending",
        "unknown-phase",
        "not-ready",
        "ready-now-created-then",
        "ready-now",
        "ready-then",
        "ready-high-restarts",
    ];
    let mut pairs: Vec<(&str, &str)> = itself.iter().map(|n| (*n, *n)).collect();
    pairs.push(("unscheduled-5-hours", "unscheduled-10-hours"));
    pairs.push(("ready-5-hours", "ready-10-hours"));
    for (a, b) in pairs {
        let (pa, pb) = (ranked_fixture(a), ranked_fixture(b));
        assert!(
            !active_pods_with_ranks_less(&pa, 1, &pb, 1, now(), gates),
            "{a} !< {b}"
        );
        assert!(
            !active_pods_with_ranks_less(&pb, 1, &pa, 1, now(), gates),
            "{b} !< {a}"
        );
        // The same pod compares equal to itself in the total order.
        if a == b {
            let keys = deletion_ranks(&[&pa, &pb], &[1, 1], now(), gates);
            assert_eq!(keys[0].cmp(&keys[1]), Ordering::Equal, "{a}");
        }
    }
}

#[test]
fn sorting_active_pods_with_ranks_strict_orderings() {
    let on = RankingGates::default();
    let mut off = RankingGates::default();
    off.pod_deletion_cost = false;
    #[rustfmt::skip]
    let rows: [(&str, usize, &str, usize, RankingGates); 16] = [
        ("unscheduled", 1, "pending", 2, on),
        ("unscheduled", 2, "pending", 1, on),
        ("pending", 1, "unknown-phase", 2, on),
        ("unknown-phase", 1, "not-ready", 2, on),
        ("not-ready", 1, "ready-no-last-transition-time", 1, on),
        ("ready-no-last-transition-time", 1, "ready-now", 1, on),
        ("ready-now", 2, "ready-no-last-transition-time", 1, on),
        ("ready-now", 1, "ready-then", 1, on),
        ("ready-now", 2, "ready-then", 1, on),
        ("ready-high-restarts", 1, "ready-now", 1, on),
        ("ready-now", 2, "ready-high-restarts", 1, on),
        ("ready-now", 1, "ready-now-created-then", 1, on),
        ("ready-now-created-then", 2, "ready-now", 1, on),
        ("low-deletion-cost", 2, "high-deletion-cost", 1, on),
        ("high-deletion-cost", 2, "low-deletion-cost", 1, off),
        ("ready-2-hours", 1, "ready-5-hours", 1, on),
    ];
    for (lesser, rl, greater, rg, gates) in rows {
        assert_before(
            &ranked_fixture(lesser),
            rl,
            &ranked_fixture(greater),
            rg,
            gates,
        );
    }
}

#[test]
fn sorting_active_pods() {
    let (now, then) = (now(), month_ago());
    let ready_foo = |name: &str, since: Option<Time>, restarts: &[i32]| {
        with_restarts(
            with_ready(pod(name, "foo", PodPhase::Running), since),
            restarts,
        )
    };
    let pods = [
        pod("0", "", PodPhase::Pending),
        pod("1", "bar", PodPhase::Pending),
        pod("2", "foo", PodPhase::Unknown),
        pod("3", "foo", PodPhase::Running),
        ready_foo("4", None, &[3, 0]),
        ready_foo("5", Some(now), &[3, 0]),
        ready_foo("6", Some(then), &[3, 0]),
        created(ready_foo("7", Some(then), &[2, 1]), now),
        created(ready_foo("8", Some(then), &[2, 1]), then),
    ];
    let want: Vec<String> = (0..9).map(|i| i.to_string()).collect();
    let mut refs: Vec<&Pod> = pods.iter().collect();
    for round in 0..9 {
        refs.rotate_left(round);
        refs.reverse();
        let mut sorted = refs.clone();
        sorted.sort_by(|a, b| compare_active_pods(a, b));
        assert_eq!(names(&sorted), want, "round {round}");
    }
}

#[test]
fn get_pods_to_delete() {
    let u = pod("u", "", PodPhase::Pending);
    let s = pod("s", "fake-node", PodPhase::Pending);
    let mut nr = pod("nr", "fake-node", PodPhase::Running);
    nr.status.conditions.push(PodCondition {
        type_: PodConditionType::Ready,
        status: ConditionStatus::False,
        ..Default::default()
    });
    let r1 = with_ready(pod("r1", "fake-node-1", PodPhase::Running), None);
    let r2 = with_ready(pod("r2", "fake-node-2", PodPhase::Running), None);
    struct Case<'a> {
        name: &'a str,
        pods: Vec<&'a Pod>,
        related: Option<Vec<&'a Pod>>,
        n: usize,
        want: Vec<&'a str>,
        sorted: bool,
    }
    let cases = [
        Case {
            name: "empty",
            pods: vec![],
            related: None,
            n: 0,
            want: vec![],
            sorted: true,
        },
        Case {
            name: "n = len",
            pods: vec![&nr, &r1],
            related: None,
            n: 2,
            want: vec!["nr", "r1"],
            sorted: false,
        },
        Case {
            name: "n < len",
            pods: vec![&r1, &nr],
            related: None,
            n: 1,
            want: vec!["nr"],
            sorted: true,
        },
        Case {
            name: "all, n = len",
            pods: vec![&r1, &r1, &r2, &nr, &s, &u],
            related: None,
            n: 6,
            want: vec!["r1", "r1", "r2", "nr", "s", "u"],
            sorted: false,
        },
        Case {
            name: "all, n = len, related empty",
            pods: vec![&r1, &r1, &r2, &nr, &s, &u],
            related: Some(vec![]),
            n: 6,
            want: vec!["r1", "r1", "r2", "nr", "s", "u"],
            sorted: false,
        },
        Case {
            name: "scheduled vs unscheduled",
            pods: vec![&s, &u],
            related: None,
            n: 1,
            want: vec!["u"],
            sorted: true,
        },
        Case {
            name: "ready vs not-ready",
            pods: vec![&r1, &nr, &nr],
            related: None,
            n: 2,
            want: vec!["nr", "nr"],
            sorted: true,
        },
        Case {
            name: "colocation",
            pods: vec![&r1, &r2],
            related: Some(vec![&r1, &r2, &r2]),
            n: 1,
            want: vec!["r2"],
            sorted: true,
        },
        Case {
            name: "pending vs running",
            pods: vec![&s, &nr],
            related: None,
            n: 1,
            want: vec!["s"],
            sorted: true,
        },
        Case {
            name: "mixed",
            pods: vec![&r1, &r2, &nr, &s, &u],
            related: None,
            n: 3,
            want: vec!["u", "s", "nr"],
            sorted: true,
        },
    ];
    for case in cases {
        let related = case.related.clone().unwrap_or_else(|| case.pods.clone());
        let got = names(&pods_to_delete(&case.pods, &related, case.n, now()));
        if case.sorted {
            assert_eq!(got, case.want, "{}", case.name);
        } else {
            // Upstream returns these unsorted (cache order); this crate returns deletion order.
            let (mut g, mut w) = (got.clone(), case.want.clone());
            g.sort();
            w.sort();
            assert_eq!(g, w, "{}", case.name);
            let full = names(&pods_to_delete(&case.pods, &related, usize::MAX, now()));
            assert_eq!(
                got, full,
                "{}: n = len is the full deletion order",
                case.name
            );
        }
    }
    // In deletion order: unscheduled, pending, not ready, then the ready pods by colocation.
    let all = [&r1, &r1, &r2, &nr, &s, &u];
    assert_eq!(
        names(&pods_to_delete(&all, &all, 6, now())),
        ["u", "s", "nr", "r1", "r1", "r2"]
    );
}

#[test]
fn sidecar_restarts_break_ties_after_regular_restarts() {
    let t = hours_ago(1);
    let base = |name: &str, sidecar: i32| {
        with_init(
            ready_pod(name, "node", Some(t), 3),
            "sidecar",
            true,
            sidecar,
        )
    };
    let (three, two) = (base("three", 3), base("two", 2));
    for input in [[&three, &two], [&two, &three]] {
        assert_eq!(names(&pods_to_delete(&input, &input, 1, now())), ["three"]);
        let mut sorted = input.to_vec();
        sorted.sort_by(|a, b| compare_active_pods(a, b));
        assert_eq!(names(&sorted), ["three", "two"]);
    }
    assert_before(&three, 1, &two, 1, RankingGates::default());
}

#[test]
fn derived_cases() {
    let gates = RankingGates::default();
    let t = hours_ago(1);
    let r = |name: &str, regular: i32| ready_pod(name, "node", Some(t), regular);

    // Regular restarts are compared before sidecar restarts.
    assert_before(
        &with_init(r("a", 5), "side", true, 0),
        1,
        &with_init(r("b", 4), "side", true, 9),
        1,
        gates,
    );
    // Equal regular restarts: more sidecar restarts first.
    assert_before(
        &with_init(r("a", 2), "side", true, 1),
        1,
        &with_init(r("b", 2), "side", true, 0),
        1,
        gates,
    );
    // Ordinary init container restarts are ignored: creation time decides.
    let plain_init = with_init(r("a", 2), "init", false, 7);
    let nothing = r("b", 2);
    assert!(!active_pods_with_ranks_less(
        &plain_init,
        1,
        &nothing,
        1,
        now(),
        gates
    ));
    assert!(!active_pods_with_ranks_less(
        &nothing,
        1,
        &plain_init,
        1,
        now(),
        gates
    ));
    assert_before(
        &created(plain_init.clone(), hours_ago(1)),
        1,
        &created(nothing.clone(), hours_ago(100)),
        1,
        gates,
    );
    assert_before(
        &created(nothing, hours_ago(1)),
        1,
        &created(plain_init, hours_ago(100)),
        1,
        gates,
    );
    // A negative cost goes before the default 0.
    assert_before(&cost(r("a", 0), "-5"), 1, &r("b", 0), 1, gates);
    // "+5" is invalid, so 0: a tie on cost; colocation rank then decides.
    let plus = cost(r("a", 0), "+5");
    let none = r("b", 0);
    assert!(!active_pods_with_ranks_less(
        &plus,
        1,
        &none,
        1,
        now(),
        gates
    ));
    assert!(!active_pods_with_ranks_less(
        &none,
        1,
        &plus,
        1,
        now(),
        gates
    ));
    assert_before(&none, 2, &plus, 1, gates);
    // Same log2 bucket, different ready times: the UID decides, restarts are never consulted.
    let b = uid(ready_pod("b", "node", Some(hours_ago(3)), 0), "b");
    let a = uid(
        ready_pod("a", "node", Some(now().add_seconds(-(3 * 3600 + 1800))), 50),
        "a",
    );
    assert_before(&a, 1, &b, 1, gates);
    let b_restarts = uid(ready_pod("b", "node", Some(hours_ago(3)), 99), "b");
    assert_before(&a, 1, &b_restarts, 1, gates);
}

#[test]
fn zero_now_compares_times_without_buckets() {
    let gates = RankingGates::default();
    let zero = Time::MIN;
    // Same bucket at a real `now`, but with a zero `now` the later ready time simply goes first.
    let older = uid(ready_pod("older", "node", Some(hours_ago(6)), 0), "a");
    let newer = uid(ready_pod("newer", "node", Some(hours_ago(5)), 0), "b");
    assert!(active_pods_with_ranks_less(
        &older,
        1,
        &newer,
        1,
        now(),
        gates
    ));
    assert!(active_pods_with_ranks_less(
        &newer, 1, &older, 1, zero, gates
    ));
    let keys = deletion_ranks(&[&older, &newer], &[1, 1], zero, gates);
    assert!(keys[1] < keys[0]);
    // Go's zero time in a timestamp counts as unset.
    let zero_ready = ready_pod("zero", "node", Some(Time::MIN), 0);
    assert_before(&zero_ready, 1, &newer, 1, gates);
}

/// The documented deviation: upstream's relation can cycle; this crate's order is total,
/// deterministic, and agrees with upstream when upstream is consistent.
#[test]
fn total_order_where_upstream_cycles() {
    let gates = RankingGates::default();
    let t1 = hours_ago(5);
    let t2 = t1.add_seconds(1); // same log2 bucket (44)
    // A and B became ready at the same instant; C one second later.
    let a = uid(ready_pod("a", "node", Some(t1), 5), "z");
    let b = uid(ready_pod("b", "node", Some(t1), 0), "a");
    let c = uid(ready_pod("c", "node", Some(t2), 0), "m");
    let less = |x: &Pod, y: &Pod| active_pods_with_ranks_less(x, 3, y, 3, now(), gates);
    assert!(less(&a, &b), "equal times: more restarts first");
    assert!(less(&b, &c), "same bucket: uid a < m");
    assert!(less(&c, &a), "same bucket: uid m < z");
    let pods = [&a, &b, &c];
    let want = ["c", "a", "b"];
    for perm in [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ] {
        let input: Vec<&Pod> = perm.iter().map(|&i| pods[i]).collect();
        assert_eq!(names(&pods_to_delete(&input, &input, 3, now())), want);
        assert_eq!(names(&pods_to_delete(&input, &input, 2, now())), want[..2]);
        assert_eq!(names(&pods_to_delete(&input, &input, 1, now())), want[..1]);
    }

    // Swap the restarts: upstream is now consistent (B < C < A, B < A) and so is the result.
    let a = uid(ready_pod("a", "node", Some(t1), 0), "z");
    let b = uid(ready_pod("b", "node", Some(t1), 5), "a");
    assert!(less(&b, &a) && less(&b, &c) && less(&c, &a));
    let input = [&a, &b, &c];
    assert_eq!(
        names(&pods_to_delete(&input, &input, 3, now())),
        ["b", "c", "a"]
    );
}

// ---------------------------------------------------------------------------------------------
// Properties

const AGES: [Option<i64>; 8] = [
    None,
    Some(-10),
    Some(0),
    Some(1000),
    Some(1001),
    Some(1002),
    Some(1100),
    Some(90_000),
];
const UIDS: [&str; 4] = ["", "a", "b", "c"];
const NODES: [&str; 3] = ["", "n1", "n2"];
const PHASES: [&str; 5] = ["Pending", "Running", "Unknown", "Succeeded", ""];
const COSTS: [Option<&str>; 3] = [None, Some("-1"), Some("5")];

#[derive(Clone, Debug)]
struct Spec {
    node: usize,
    phase: usize,
    ready: bool,
    ready_age: usize,
    restarts: i32,
    sidecar: i32,
    created_age: usize,
    cost: usize,
    uid: usize,
    deleting: bool,
}

fn arb_spec() -> impl Strategy<Value = Spec> {
    (
        (
            0..NODES.len(),
            0..PHASES.len(),
            any::<bool>(),
            0..AGES.len(),
        ),
        (
            0..3i32,
            0..2i32,
            0..AGES.len(),
            0..COSTS.len(),
            0..UIDS.len(),
        ),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |((node, phase, ready, ready_age), (restarts, sidecar, created_age, cost, uid), d)| {
                Spec {
                    node,
                    phase,
                    ready,
                    ready_age,
                    restarts,
                    sidecar,
                    created_age,
                    cost,
                    uid,
                    deleting: d,
                }
            },
        )
}

fn build(i: usize, s: &Spec) -> Pod {
    let at = |age: Option<i64>| age.map(|a| now().add_seconds(-a));
    let mut p = pod(
        &format!("p{i:02}"),
        NODES[s.node],
        PodPhase::parse(PHASES[s.phase]),
    );
    if s.ready {
        p = with_ready(p, at(AGES[s.ready_age]));
    }
    p = with_restarts(p, &[s.restarts]);
    p = with_init(p, "side", true, s.sidecar);
    if let Some(t) = at(AGES[s.created_age]) {
        p = created(p, t);
    }
    if let Some(c) = COSTS[s.cost] {
        p = cost(p, c);
    }
    if s.deleting {
        p.metadata.deletion_timestamp = Some(now());
    }
    uid(p, UIDS[s.uid])
}

fn build_all(specs: &[Spec]) -> Vec<Pod> {
    specs.iter().enumerate().map(|(i, s)| build(i, s)).collect()
}

#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn test_bucket(age: i64) -> i64 {
    if age <= 0 {
        -1
    } else {
        ((age * 1_000_000_000) as f64).log2() as i64
    }
}

/// True when upstream decides the pair at criterion 6 by UID across different ready times in
/// one bucket: the only decisions this crate may override (inconsistent sets only).
fn uid_decided_ready_pair(a: &Pod, ra: usize, b: &Pod, rb: usize) -> bool {
    let ready_age = |p: &Pod| kube_workloads::pods::ready_since(p).map(|t| now().seconds_since(t));
    let (na, nb) = (&a.spec.node_name, &b.spec.node_name);
    !(na != nb && (na.is_empty() || nb.is_empty()))
        && kube_workloads::pods::is_ready(a)
        && kube_workloads::pods::is_ready(b)
        && kube_workloads::pods::deletion_cost(a) == kube_workloads::pods::deletion_cost(b)
        && ra == rb
        && match (ready_age(a), ready_age(b)) {
            (Some(x), Some(y)) => x != y && test_bucket(x) == test_bucket(y),
            _ => false,
        }
        && phase_ord(a) == phase_ord(b)
}

fn phase_ord(p: &Pod) -> u8 {
    match p.status.phase {
        PodPhase::Unknown => 1,
        PodPhase::Running => 2,
        _ => 0,
    }
}

/// Upstream's relation on a set is a strict weak order.
fn is_strict_weak_order(less: &[Vec<bool>]) -> bool {
    let n = less.len();
    for i in 0..n {
        if less[i][i] {
            return false;
        }
        for j in 0..n {
            if less[i][j] && less[j][i] {
                return false;
            }
            for k in 0..n {
                // Negative transitivity: i < k implies i < j or j < k.
                if less[i][k] && !(less[i][j] || less[j][k]) {
                    return false;
                }
            }
        }
    }
    true
}

proptest! {
    #![proptest_config(support::cases(512))]

    /// The deletion order is a total order (antisymmetric, transitive, total) on every set.
    #[test]
    fn ranking_is_a_total_order(specs in prop::collection::vec(arb_spec(), 0..9)) {
        let pods = build_all(&specs);
        let refs: Vec<&Pod> = pods.iter().collect();
        let ranks = colocation_ranks(&refs, &refs);
        let keys = deletion_ranks(&refs, &ranks, now(), RankingGates::default());
        for i in 0..keys.len() {
            for j in 0..keys.len() {
                let (ij, ji) = (keys[i].cmp(&keys[j]), keys[j].cmp(&keys[i]));
                prop_assert_eq!(ij, ji.reverse());
                // Total: distinct pods (distinct names) never compare equal.
                prop_assert_eq!(ij == Ordering::Equal, i == j);
                for k in 0..keys.len() {
                    if keys[i] < keys[j] && keys[j] < keys[k] {
                        prop_assert!(keys[i] < keys[k]);
                    }
                }
            }
        }
    }

    /// The order agrees with upstream's pairwise `Less` wherever upstream is consistent, and on
    /// every pair that upstream does not decide by UID across ready times of one bucket.
    #[test]
    fn ranking_agrees_with_upstream(specs in prop::collection::vec(arb_spec(), 2..7)) {
        let pods = build_all(&specs);
        let refs: Vec<&Pod> = pods.iter().collect();
        let ranks = colocation_ranks(&refs, &refs);
        let gates = RankingGates::default();
        let n = refs.len();
        let less: Vec<Vec<bool>> = (0..n)
            .map(|i| (0..n).map(|j| {
                active_pods_with_ranks_less(refs[i], ranks[i], refs[j], ranks[j], now(), gates)
            }).collect())
            .collect();
        let order = select_for_deletion(&refs, &ranks, n, now(), gates);
        let mut pos = vec![0; n];
        for (p, &i) in order.iter().enumerate() {
            pos[i] = p;
        }
        let consistent = is_strict_weak_order(&less);
        for i in 0..n {
            for j in 0..n {
                if less[i][j]
                    && (consistent || !uid_decided_ready_pair(refs[i], ranks[i], refs[j], ranks[j]))
                {
                    prop_assert!(
                        pos[i] < pos[j],
                        "{} should precede {} (consistent: {})",
                        refs[i].metadata.name, refs[j].metadata.name, consistent
                    );
                }
            }
        }
    }

    /// `pods_to_delete(n)` is the first `n` of the full order, whatever the input order.
    #[test]
    fn selection_is_a_prefix_and_ignores_input_order(
        (specs, perm) in prop::collection::vec(arb_spec(), 0..64).prop_flat_map(|specs| {
            let idx: Vec<usize> = (0..specs.len()).collect();
            (Just(specs), Just(idx).prop_shuffle())
        }),
        n_frac in 0usize..=100,
    ) {
        let pods = build_all(&specs);
        let refs: Vec<&Pod> = pods.iter().collect();
        let shuffled: Vec<&Pod> = perm.iter().map(|&i| refs[i]).collect();
        let full = names(&pods_to_delete(&refs, &refs, refs.len(), now()));
        let full_shuffled = names(&pods_to_delete(&shuffled, &shuffled, refs.len(), now()));
        prop_assert_eq!(&full, &full_shuffled);
        let n = refs.len() * n_frac / 100;
        let part = names(&pods_to_delete(&shuffled, &shuffled, n, now()));
        prop_assert_eq!(&part[..], &full[..n]);
        let part = names(&pods_to_delete(&refs, &refs, n, now()));
        prop_assert_eq!(&part[..], &full[..n]);
    }
}

#[test]
fn select_for_deletion_handles_short_rank_slices_and_large_n() {
    let a = pod("a", "n", PodPhase::Running);
    let b = pod("b", "", PodPhase::Running);
    let pods = [&a, &b];
    assert_eq!(
        select_for_deletion(&pods, &[], 5, now(), RankingGates::default()),
        [1, 0]
    );
    assert!(select_for_deletion(&pods, &[7], 0, now(), RankingGates::default()).is_empty());
    assert!(pods_to_delete(&[], &pods, 3, now()).is_empty());
}

/// Many pods tied on every packed criterion (one node, one bucket, some equal ready times):
/// the selection must keep the whole tied class to order it, for every cut and input order.
#[test]
fn selection_with_a_large_tied_class() {
    let base = now().add_seconds(-5000); // bucket 42
    let pods: Vec<Pod> = (0..120)
        .map(|i| {
            let since = base.add_seconds(-(i % 7)); // 7 distinct times, one bucket
            let p = ready_pod(&format!("p{i:03}"), "node", Some(since), (i % 3) as i32);
            uid(p, &format!("{:02}", (i * 37) % 100))
        })
        .collect();
    let refs: Vec<&Pod> = pods.iter().collect();
    let full = names(&pods_to_delete(&refs, &refs, refs.len(), now()));
    let mut reversed = refs.clone();
    reversed.reverse();
    for n in [0, 1, 2, 17, 60, 119, 120] {
        assert_eq!(
            names(&pods_to_delete(&refs, &refs, n, now())),
            full[..n],
            "n = {n}"
        );
        assert_eq!(
            names(&pods_to_delete(&reversed, &reversed, n, now())),
            full[..n],
            "n = {n}"
        );
    }
}
