//! ReplicaSet reconcile at 10 to 10^5 pods: steady state (nothing to do), scale-up and
//! scale-down of 1 % (1,000 of 10^5).
//!
//! Throughput is reported per observed pod, so criterion's `thrpt` is pods per second (ns/pod =
//! 1e9 / thrpt). Goals (issue 4): steady state ≤ 15 ns/pod at 10^5 pods, t(10^5)/t(10^4) ≤ 11,
//! one scale-down reconcile at 10^5 pods ≤ 3 ms.
//!
//! Short run: `cargo bench --bench replica_set -- --warm-up-time 1 --measurement-time 3`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use kube_workloads::api::{ConditionStatus, Container, PodCondition, PodConditionType, PodPhase};
use kube_workloads::replica_set::{self, Observed, Plan};
use kube_workloads::{LabelSelector, Labels, OwnerReference, Pod, ReplicaSet, Time};

const SIZES: [usize; 4] = [10, 1_000, 10_000, 100_000];

fn now() -> Time {
    Time::from_unix(1_700_000_000)
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A Deployment's ReplicaSet: selector and template labels `app` + `pod-template-hash`, owned
/// by a Deployment, `minReadySeconds` 10.
fn replica_set(replicas: usize) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "web-7c5ddbdf54".into();
    rs.metadata.namespace = "default".into();
    rs.metadata.uid = "3f0c5b2e-2a43-4f53-9c57-2f3c8d1e5a01".into();
    rs.metadata.generation = 1;
    rs.metadata.owner_references.push(OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: "web".into(),
        uid: "0b6a1c1e-7c61-4d8e-8a63-5d1c0e9f2b11".into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    });
    rs.spec.replicas = Some(i32::try_from(replicas).unwrap());
    rs.spec.min_ready_seconds = 10;
    let template = [("app", "web"), ("pod-template-hash", "7c5ddbdf54")];
    rs.spec.selector = Some(LabelSelector::from_labels(template));
    rs.spec.template.metadata.labels = labels(&template);
    rs.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx:1.16".into(),
        ..Container::default()
    });
    rs
}

/// The API server's five-character name suffix (alphabet without vowels), unique per `i` and
/// unrelated to creation order, as real generated names are (27^5 > 10^5; multiplying by a
/// number prime to 3 permutes the residues).
fn suffix(i: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = (i * 7_368_787 + 1_234_567) % 14_348_907;
    (0..5)
        .map(|_| {
            let c = ALPHABET[x % 27];
            x /= 27;
            char::from(c)
        })
        .collect()
}

/// A UID-shaped string, unique per `i`, in no particular order.
fn uid(i: usize) -> String {
    let x = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xffff,
        x & 0xfff,
        (x >> 52) & 0xfff,
        i
    )
}

/// `n` running pods owned by `rs`, spread over 100 nodes, ready for an hour, with the five
/// conditions a kubelet writes (Ready third).
fn pods(rs: &ReplicaSet, n: usize) -> Vec<Pod> {
    let owner = OwnerReference {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        name: rs.metadata.name.clone(),
        uid: rs.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    };
    (0..n)
        .map(|i| {
            let mut p = Pod::default();
            p.metadata.name = format!("web-7c5ddbdf54-{}", suffix(i));
            p.metadata.namespace = "default".into();
            p.metadata.uid = uid(i);
            p.metadata.labels = rs.spec.template.metadata.labels.clone();
            p.metadata.owner_references.push(owner.clone());
            p.metadata.creation_timestamp =
                Some(now().add_seconds(-7200 + i64::try_from(i % 3600).unwrap()));
            p.spec = rs.spec.template.spec.clone();
            p.spec.node_name = format!("node-{:03}", i % 100);
            p.status.phase = PodPhase::Running;
            let since = Some(now().add_seconds(-3600 + i64::try_from(i % 1800).unwrap()));
            for type_ in [
                PodConditionType::PodReadyToStartContainers,
                PodConditionType::Initialized,
                PodConditionType::Ready,
                PodConditionType::ContainersReady,
                PodConditionType::PodScheduled,
            ] {
                p.status.conditions.push(PodCondition {
                    type_,
                    status: ConditionStatus::True,
                    last_transition_time: since,
                    ..PodCondition::default()
                });
            }
            p
        })
        .collect()
}

/// Writes the status a first reconcile computes, so the benchmarked reconcile starts from a
/// written status with `observedGeneration` current.
fn settle(rs: &mut ReplicaSet, pods: &[Pod]) {
    let plan = replica_set::reconcile(rs, &Observed::new(pods), now()).unwrap();
    if let Some(status) = plan.status {
        rs.status = status;
    }
}

type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

/// Per-size settings: pods as throughput elements; 10 samples for the big sizes (each
/// iteration at 10^5 pods is long enough that 10 samples of many iterations are stable).
fn configure(g: &mut Group<'_>, n: usize) {
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(if n >= 10_000 { 10 } else { 50 });
}

/// One benchmark input: the ReplicaSet, the pods of its namespace, its sibling ReplicaSets.
struct Case {
    rs: ReplicaSet,
    pods: Vec<Pod>,
    siblings: Vec<ReplicaSet>,
}

impl Case {
    /// `n` ready pods of `rs` and a status already written for them (observedGeneration
    /// current): the steady state the other cases start from.
    fn settled(n: usize, owned: bool) -> Case {
        let mut rs = replica_set(n);
        if !owned {
            rs.metadata.owner_references.clear();
        }
        let pods = pods(&rs, n);
        settle(&mut rs, &pods);
        let siblings = vec![rs.clone()];
        Case { rs, pods, siblings }
    }

    fn observed(&self) -> Observed<'_, Pod, ReplicaSet> {
        Observed::new(&self.pods).with_replica_sets(&self.siblings)
    }
}

/// Benchmarks one reconcile per size. Inputs are built (and the plan checked) only when the
/// benchmark is selected, once per benchmark, so filtering (`-- steady/100000`) and profiling
/// (`--profile-time`) see only the reconcile being measured.
fn bench_sizes(
    c: &mut Criterion,
    group: &str,
    sizes: &[usize],
    setup: impl Fn(usize) -> Case,
    check: impl Fn(usize, &Plan),
) {
    let mut g = c.benchmark_group(group);
    for &n in sizes {
        configure(&mut g, n);
        let mut case: Option<Case> = None;
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            let case = case.get_or_insert_with(|| {
                let case = setup(n);
                check(
                    n,
                    &replica_set::reconcile(&case.rs, &case.observed(), now()).unwrap(),
                );
                case
            });
            let observed = case.observed();
            b.iter(|| replica_set::reconcile(black_box(&case.rs), black_box(&observed), now()));
        });
    }
    g.finish();
}

fn steady_state(c: &mut Criterion) {
    bench_sizes(
        c,
        "replica_set/steady",
        &SIZES,
        |n| Case::settled(n, true),
        |_, plan| assert!(plan.is_noop() && plan.requeue.is_none(), "{plan:?}"),
    );
}

fn scale_up(c: &mut Criterion) {
    // n pods exist, n + 1,000 wanted: one reconcile creates 500 (the burst cap).
    bench_sizes(
        c,
        "replica_set/scale_up",
        &SIZES,
        |n| {
            let mut case = Case::settled(n, true);
            case.rs.spec.replicas = Some(i32::try_from(n + 1_000).unwrap());
            case.rs.metadata.generation += 1;
            case
        },
        |_, plan| assert_eq!(plan.create.as_ref().map(|c| c.count), Some(500)),
    );
}

fn scale_down(c: &mut Criterion) {
    // n pods exist, 1 % fewer wanted (1,000 of 10^5): one reconcile ranks the claimed pods and
    // deletes min(excess, 500). Two shapes: a standalone ReplicaSet (no colocation ranks) and a
    // Deployment's (colocation ranks against the pods of every ReplicaSet of the Deployment).
    for owned in [false, true] {
        let sizes: Vec<usize> = SIZES.to_vec();
        bench_sizes(
            c,
            if owned {
                "replica_set/scale_down_owned"
            } else {
                "replica_set/scale_down"
            },
            &sizes,
            |n| {
                let mut case = Case::settled(n, owned);
                case.rs.spec.replicas = Some(i32::try_from(n - excess(n)).unwrap());
                case.rs.metadata.generation += 1;
                case.siblings = vec![case.rs.clone()];
                case
            },
            |n, plan| assert_eq!(plan.delete.len(), excess(n).min(500)),
        );
    }
}

/// 1 % of the pods (at least one).
fn excess(n: usize) -> usize {
    (n / 100).max(1)
}

criterion_group!(benches, steady_state, scale_up, scale_down);

/// `RS_BENCH_LOOP=<case>:<pods>:<iterations>` (case `steady`, `scale_up`, `scale_down` or
/// `scale_down_owned`) runs just that many reconciles without criterion, for profilers that
/// count instructions (`valgrind --tool=callgrind --toggle-collect=kube_workloads::replica_set::reconcile`:
/// the exact name, since a wildcard also matches the closures inside it and toggles collection
/// off there). Prints the mean wall-clock time per reconcile, which also serves for one-shot
/// timings of cases too slow for criterion's minimum of ten samples.
#[allow(clippy::disallowed_methods)] // Instant::now: a benchmark measures time
fn profile_loop(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let [case, n, iterations] = parts[..] else {
        panic!("RS_BENCH_LOOP=<case>:<pods>:<iterations>, got {spec:?}");
    };
    let n: usize = n.parse().unwrap();
    let iterations: usize = iterations.parse().unwrap();
    let mut case = match case {
        "steady" => Case::settled(n, true),
        "scale_up" => {
            let mut c = Case::settled(n, true);
            c.rs.spec.replicas = Some(i32::try_from(n + 1_000).unwrap());
            c
        }
        "scale_down" | "scale_down_owned" => {
            let mut c = Case::settled(n, case == "scale_down_owned");
            c.rs.spec.replicas = Some(i32::try_from(n - excess(n)).unwrap());
            c.siblings = vec![c.rs.clone()];
            c
        }
        other => panic!("unknown case {other:?}"),
    };
    if !matches!(parts[0], "steady") {
        case.rs.metadata.generation += 1;
    }
    let observed = case.observed();
    let start = std::time::Instant::now();
    for _ in 0..iterations {
        let plan = replica_set::reconcile(black_box(&case.rs), &observed, now()).unwrap();
        let _ = black_box(plan);
    }
    if iterations > 0 {
        let each = start.elapsed() / u32::try_from(iterations).unwrap();
        eprintln!(
            "{spec}: {each:?} per reconcile, {:.1} ns/pod",
            each.as_secs_f64() * 1e9 / n as f64
        );
    }
}

fn main() {
    if let Some(spec) = std::env::var_os("RS_BENCH_LOOP") {
        profile_loop(&spec.to_string_lossy());
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
