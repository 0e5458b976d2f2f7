//! Primitives on the reconcile hot path: the pod-template hash, template equality ignoring the
//! hash label, and choosing which pods to delete.
//!
//! Goals: hash of a typical template ≤ 2 µs; ranking 10⁵ pods to pick 1,000 ≤ 3 ms.
//! Run: `cargo bench --bench primitives -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kube_workloads::api::{
    ConditionStatus, ContainerStatus, Pod, PodCondition, PodConditionType, PodPhase,
    PodTemplateSpec,
};
use kube_workloads::hash::{POD_TEMPLATE_HASH_LABEL, equal_ignore_hash, pod_template_hash};
use kube_workloads::pods::pods_to_delete;
use kube_workloads::time::Time;

/// A typical stored (defaulted) Deployment template.
const TYPICAL: &str = "
metadata:
  labels:
    app: web
    tier: frontend
  annotations:
    team: payments
spec:
  containers:
  - name: web
    image: registry.example/web:2.3.1
    imagePullPolicy: IfNotPresent
    ports:
    - containerPort: 8080
      name: http
      protocol: TCP
    env:
    - name: MODE
      value: production
    resources:
      limits:
        cpu: 500m
        memory: 256Mi
      requests:
        cpu: 100m
        memory: 128Mi
    readinessProbe:
      httpGet:
        path: /healthz
        port: 8080
      periodSeconds: 10
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  dnsPolicy: ClusterFirst
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  terminationGracePeriodSeconds: 30
";

fn template_benches(c: &mut Criterion) {
    let t: PodTemplateSpec = serde_yaml::from_str(TYPICAL).unwrap();
    c.bench_function("pod_template_hash/typical", |b| {
        b.iter(|| pod_template_hash(black_box(&t), black_box(Some(1))))
    });
    let mut rs_template = t.clone();
    rs_template
        .metadata
        .labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), pod_template_hash(&t, None));
    c.bench_function("equal_ignore_hash/typical_equal", |b| {
        b.iter(|| equal_ignore_hash(black_box(&t), black_box(&rs_template)))
    });
}

/// A small deterministic generator (no randomness in benchmarks either).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

fn now() -> Time {
    Time::from_ymd_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

/// `count` pods on 100 nodes: 2% pending, 3% running but not ready, the rest ready at a time
/// spread over 30 days (or all at the same second when `same_second`), small restart counts,
/// unique UIDs.
fn pods(count: usize, same_second: bool) -> Vec<Pod> {
    let mut rng = Lcg(42);
    let now = now();
    (0..count)
        .map(|i| {
            let mut p = Pod::default();
            p.metadata.name = format!("web-7c5ddbdf54-{i:06}");
            p.metadata.uid = format!(
                "{:08x}-{:04x}-4000-8000-{i:012x}",
                rng.next(1 << 32),
                rng.next(1 << 16)
            );
            let age = if same_second {
                3600
            } else {
                i64::try_from(rng.next(30 * 86_400)).unwrap()
            };
            p.metadata.creation_timestamp = Some(now.add_seconds(-age - 20));
            let roll = rng.next(100);
            if roll < 2 {
                p.status.phase = PodPhase::Pending;
                return p;
            }
            p.spec.node_name = format!("node-{:03}", rng.next(100));
            p.status.phase = PodPhase::Running;
            p.status.container_statuses.push(ContainerStatus {
                name: "web".into(),
                restart_count: i32::try_from(rng.next(3)).unwrap(),
                ..Default::default()
            });
            p.status.conditions.push(PodCondition {
                type_: PodConditionType::Ready,
                status: if roll < 5 {
                    ConditionStatus::False
                } else {
                    ConditionStatus::True
                },
                last_transition_time: Some(now.add_seconds(-age)),
                ..Default::default()
            });
            p
        })
        .collect()
}

fn ranking_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("pods_to_delete");
    for (label, same_second) in [("spread", false), ("same_second", true)] {
        let pods = pods(100_000, same_second);
        let refs: Vec<&Pod> = pods.iter().collect();
        group.bench_with_input(
            BenchmarkId::new(label, "1e5_pick_1000"),
            &refs,
            |b, refs| b.iter(|| pods_to_delete(black_box(refs), black_box(refs), 1000, now())),
        );
    }
    group.finish();
}

criterion_group!(benches, template_benches, ranking_benches);
criterion_main!(benches);
